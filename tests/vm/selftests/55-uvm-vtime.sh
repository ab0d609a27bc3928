#!/bin/sh
# Managed memory on the virtual clock (issue 16, item 6): a workload's
# completion time is device time from the cost model, so it is the same on
# every run, and it covers what the model charges: the copy engine's
# migrations (one serial queue) and 20 us of fault service a batch. The
# prefetch-wasted count is exact (the MMU's accessed bits): zero for a scan
# that reads all it prefetched, not zero for a strided read the sequential
# prefetcher overshoots. An asynchronous prefetch is not free: the access
# waits for its migration's end. The policies' claims, in device time:
# stride beats the default on a cyclic scan over 1.5x the budget, quota
# keeps a latency-critical client's job latency beside a tenant streaming
# 2x the budget (the default does not). make bench's table is
# tests/vm/bench-uvm.sh; this checks behaviour, no figure of merit.
. /test/lib.sh
P=$NVG_PROFILES
DEV=/dev/dri/renderD128
U=$DBG/gpu0/uvm

lsmod | grep -q '^nvghost ' && nvg_unload
one_cpu >/dev/null
dmesg -c >/dev/null
check modprobe nvg_load clock=virtual uvm_vram_mb=8

uv() { sed -n "s/^$1: //p" $U; }
field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" "$2" | head -n 1; }
# vb NAME PATTERN MB: uvm_test vbench PATTERN MB 4 > /tmp/NAME.out, with
# the device's migration time and fault batches over it in NAME.mig/.bat
vb() {
	_m0=$(uv migrate_ns); _b0=$(uv batches)
	uvm_test $DEV vbench $2 $3 4 > /tmp/$1.out 2>&1
	check_eq ${1}_completes "$?" 0 || sed "s/^/  $1: /" /tmp/$1.out
	echo "$(( ($(uv migrate_ns) - _m0) / 1000 ))" > /tmp/$1.mig
	echo "$(( $(uv batches) - _b0 ))" > /tmp/$1.bat
	grep '^bench: ' /tmp/$1.out
}
# covers NAME: device time >= the serial queue's migrations + fault service
covers() {
	_lo=$(( $(cat /tmp/$1.mig) + 20 * $(cat /tmp/$1.bat) ))
	check_cmp ${1}_time_covers_migrations_and_faults "$(field device_us /tmp/$1.out)" ge $_lo \
		"device us vs $(cat /tmp/$1.mig) us of migrations + 20 us x $(cat /tmp/$1.bat) fault batches"
}

# the default: completes, the same twice, time grows with what migrates
vb cyc_a cyclic 12
vb cyc_b cyclic 12
check_eq cyclic_same_device_time_twice \
	"$(field device_us /tmp/cyc_b.out) $(field faults /tmp/cyc_b.out) $(field in_kib /tmp/cyc_b.out)" \
	"$(field device_us /tmp/cyc_a.out) $(field faults /tmp/cyc_a.out) $(field in_kib /tmp/cyc_a.out)"
covers cyc_a
vb small cyclic 4
check_cmp cyclic_over_budget_costs_more "$(field device_us /tmp/cyc_a.out)" gt \
	"$(( 3 * $(field device_us /tmp/small.out) ))" \
	"device us of a 12 MiB cyclic scan (8 MiB budget) vs 3x a 4 MiB one's"

# stride: reads every byte it prefetched on the cyclic scan; overshoots on
# the strided one; faster than the default on the cyclic scan
nvgpolicy load $P/stride.bpf.o >/dev/null
vb st_cyc cyclic 12
vb st_str strided 12
nvgpolicy unload stride >/dev/null
check_cmp stride_prefetches_cyclic "$(field prefetched_kib /tmp/st_cyc.out)" gt 0
check_eq stride_cyclic_no_prefetch_wasted "$(field prefetch_unused_kib /tmp/st_cyc.out)" 0
check_cmp stride_strided_prefetch_wasted "$(field prefetch_unused_kib /tmp/st_str.out)" gt 0 \
	"KiB prefetched and evicted unused on a stride-4 read (3 pages in 4 are never read)"
check_cmp stride_faster_than_default_cyclic "$(field device_us /tmp/st_cyc.out)" lt \
	"$(field device_us /tmp/cyc_a.out)" "stride's device us vs the default's"
covers st_cyc

# an asynchronous prefetch of the next block is waited for, not free: a
# 13 MiB buffer read in 2 MiB chunks: the last block read (5) is prefetched
# when block 4 faults, and no fault follows that would wait for the queue
nvgpolicy load $P/stride.bpf.o --set ahead_blocks=1 >/dev/null
vb st_ahead seq 13
nvgpolicy unload stride >/dev/null
check_cmp stride_ahead_prefetches "$(field prefetched_kib /tmp/st_ahead.out)" gt 2048
covers st_ahead

# quota: the latency-critical client beside a tenant streaming 16 MiB
ten() {
	nvg_unload && nvg_load clock=virtual uvm_vram_mb=8 || { fail ten_$1_reload "modprobe failed"; return; }
	sh -c "
		if [ $2 = quota ]; then nvgpolicy load $P/quota.bpf.o --set protect_pid=\$\$ >/dev/null || exit 99; fi
		exec uvm_test $DEV vtenants 2 16 10 $3" > /tmp/ten_$1.out 2>&1
	check_eq ten_$1_completes "$?" 0 || sed "s/^/  ten_$1: /" /tmp/ten_$1.out
	[ $2 = quota ] && nvgpolicy unload quota >/dev/null
	grep '^bench: ' /tmp/ten_$1.out
}
lc() { sed -n "s/.* lc_mean_us=\([0-9.]*\).*/\1/p" /tmp/ten_$1.out; }
ten alone default alone
ten default default
ten quota quota
a=$(lc alone)
check quota_lc_latency_within_1.2x_alone \
	awk -v a="$a" -v q="$(lc quota)" 'BEGIN { exit !(a > 0 && q != "" && q <= 1.2 * a) }'
check default_lc_latency_above_1.2x_alone \
	awk -v a="$a" -v d="$(lc default)" 'BEGIN { exit !(a > 0 && d != "" && d > 1.2 * a) }'

all_cpus
check rmmod nvg_unload
check dmesg_clean dmesg_clean
