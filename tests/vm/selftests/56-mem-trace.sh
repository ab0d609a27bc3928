#!/bin/sh
# Memory workloads as traces and nvgbench clients (issue 16, item 5). The
# shipped trace traces/synthetic/mem/mem-cyclic.jsonl (a 12 MiB managed
# buffer scanned 4 times; its header asks for uvm_vram_mb=8, which
# nvgreplay sets for the replay and restores) replayed on the virtual
# clock through the real driver paths (a managed BO, CHECKSUM jobs over its
# ranges): the same decision-log hash and counters twice under each of two
# memory policies (the default and stride), and the two differ in device
# time. Then nvgbench's mem client on the live clock at 150% of the budget.
. /test/lib.sh
P=$NVG_PROFILES
T=/usr/share/nvghost/traces/mem
S=/tmp/memtrace
PARAM=/sys/module/nvghost/parameters/uvm_vram_mb
mkdir -p $S

lsmod | grep -q '^nvghost ' && nvg_unload
dmesg -c >/dev/null
check modprobe nvg_load clock=virtual num_heads=0
check_eq uvm_vram_mb_default "$(cat $PARAM)" 0

# mr NAME NVGREPLAY-ARGS...: replay the trace on a fresh device (device
# time 0, cold, as 32-replay's determinism loop), summary in $S/NAME.sum
mr() {
	_n=$1; shift
	nvg_unload
	nvg_load clock=virtual num_heads=0 || { fail ${_n}_load "modprobe nvghost clock=virtual failed"; return 1; }
	nvgreplay -q $T/mem-cyclic.jsonl "$@" --summary $S/$_n.sum --log $S/$_n.log \
		> $S/$_n.out 2> $S/$_n.err
	check_eq ${_n}_replays "$?" 0 || sed "s/^/  $_n: /" $S/$_n.err | tail -n 5
	sed "s/^/# $_n: /" $S/$_n.sum
}
sv() { summary_value "$S/$1.sum" "$2" 0 "$3" "$4"; }

mr def_a
mr def_b
mr st_a --policy $P/stride.bpf.o
mr st_b --policy $P/stride.bpf.o
check_eq uvm_vram_mb_restored "$(cat $PARAM)" 0
grep -q '^nvghost_uvm_fault: gpu0 pid 1: read fault at' $S/def_a.log &&
	pass log_has_faults_pids_renumbered ||
	fail log_has_faults_pids_renumbered "expected 'nvghost_uvm_fault: gpu0 pid 1: read fault at' in the decision log, saw: $(grep -m 1 nvghost_uvm_fault $S/def_a.log)"
check_eq clock_is_virtual "$(sed -n 's/^nvgreplay-summary .* clock=\([a-z]*\) .*/\1/p' $S/def_a.sum)" virtual
check_eq all_jobs_done "$(sv def_a client name=scan done)" 4
# the managed buffer was migrated: at least all of it once, faults serviced
check_cmp default_faults "$(sv def_a managed name=scan faults)" gt 0 "GPU faults of the replay"
check_cmp default_migrated_in "$(sv def_a managed name=scan in_kib)" ge 12288 \
	"KiB migrated to VRAM by 4 scans of 12 MiB"
check_cmp default_evicted "$(sv def_a managed name=scan evicted_kib)" gt 0 \
	"KiB evicted (12 MiB over an 8 MiB budget)"
for p in def st; do
	check_eq ${p}_same_log_twice "$(sv ${p}_b run '' sha256)" "$(sv ${p}_a run '' sha256)" ||
		diff $S/${p}_a.log $S/${p}_b.log | head -n 8 | sed "s/^/  $p log: /"
	check_eq ${p}_same_span_twice "$(sv ${p}_b run '' span_ns)" "$(sv ${p}_a run '' span_ns)"
	check_eq ${p}_same_faults_twice "$(sv ${p}_b managed name=scan faults) $(sv ${p}_b managed name=scan in_kib)" \
		"$(sv ${p}_a managed name=scan faults) $(sv ${p}_a managed name=scan in_kib)"
done
d=$(sv def_a run '' span_ns); s=$(sv st_a run '' span_ns)
check_cmp policies_differ_in_device_time "$s" ne "$d" "stride's span ns vs the default's ($d)"
check_cmp stride_faster_on_cyclic "$s" lt "$d" "stride's span ns vs the default's"

# nvgbench's mem client: ws=150% of the 8 MiB budget, two passes, live clock
nvg_unload
check reload_live nvg_load uvm_vram_mb=8
nvgbench -t 60 mem:m,pattern=cyclic,ws=150%,passes=2 > $S/bench.out 2>&1
check_eq nvgbench_mem_exit "$?" 0 || cat $S/bench.out
grep '^nvgbench: client=m ' $S/bench.out | sed 's/^/# /'
f() { sed -n "s/^nvgbench: client=m .* $1=\([0-9]*\).*/\1/p" $S/bench.out; }
check_eq nvgbench_mem_ws "$(f ws_mib)" 12
check_eq nvgbench_mem_passes "$(f passes)" 2
check_eq nvgbench_mem_jobs "$(sed -n 's/^nvgbench: client=m .* jobs=\([0-9]*\) .*/\1/p' $S/bench.out)" 2
check_cmp nvgbench_mem_faults "$(f faults)" gt 0
check_cmp nvgbench_mem_in_kib "$(f in_kib)" ge 12288 "KiB migrated in by 2 scans of 12 MiB"
check_cmp nvgbench_mem_evicted "$(f evicted_kib)" gt 0 "KiB evicted (12 MiB over 8 MiB)"

check rmmod nvg_unload
check dmesg_clean dmesg_clean
