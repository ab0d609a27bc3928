#!/bin/sh
# nvg_mem_ops, the fourth hook (issue 16, item 3), on the framework of the
# other three: validation at load, per-op kfunc permissions (and none
# across hooks), op counters in the status, several hooks attached at once,
# hot swap (unload one memory policy, load another), ejection by hand and
# on a bad decision, with the structured exit record, and nothing lost: the
# managed-memory workload (uvm_test touch: CPU write, GPU copy between two
# managed buffers over the 8 MiB VRAM limit, CPU check of every byte)
# passes under every policy, also the ones ejected in the middle of it.
. /test/lib.sh
T=$NVG_TESTBPF
P=$NVG_PROFILES
DEV=/dev/dri/renderD128
SYS=/sys/kernel/nvghost/hooks

dmesg -c >/dev/null
check modprobe nvg_load uvm_vram_mb=8
check_eq mem_default "$(status_field mem state)" default
check_eq mem_sysfs_default "$(cat $SYS/mem/state)" default

# Refused at load.
expect_fail mem_no_ops "needs at least one of fault" nvgpolicy load $T/mem_no_ops_fail.bpf.o
expect_fail mem_wrong_op_kfunc "calling kernel function nvg_mem_evict_block is not allowed" \
	nvgpolicy load $T/mem_wrong_op_kfunc_fail.bpf.o
expect_fail mem_calls_sched_kfunc "calling kernel function nvg_sched_error is not allowed" \
	nvgpolicy load $T/mem_sched_kfunc_fail.bpf.o
expect_fail sched_calls_mem_kfunc "calling kernel function nvg_mem_lru_move is not allowed" \
	nvgpolicy load $T/sched_mem_kfunc_fail.bpf.o
check_eq mem_default_after_refusals "$(status_field mem state)" default

# The default (no policy) serves the workload.
uvm_test $DEV touch 12
check_eq touch_default_exit_status "$?" 0

# lru (the default as BPF) beside a scheduling policy: both attached.
check lru_load nvgpolicy load $P/lru.bpf.o
check fifo_load nvgpolicy load $P/fifo.bpf.o
check_eq lru_attached "$(status_field mem state)" attached
check_eq lru_named "$(status_field mem policy)" lru
check_eq fifo_attached "$(status_field sched state)" attached
uvm_test $DEV touch 12
check_eq touch_lru_exit_status "$?" 0
check_gt lru_op_fault "$(op_count mem fault)" 0
check_gt lru_op_access "$(op_count mem access)" 0
check_gt lru_op_evict "$(op_count mem evict)" 0
check nvgpolicy_status_shows_mem sh -c 'nvgpolicy status | grep -A2 "mem" | grep -q lru'

# Hot swap: lru out, lfu in, the workload again.
check lru_unload nvgpolicy unload lru
check_eq mem_default_after_unload "$(status_field mem state)" default
check lfu_load nvgpolicy load $P/lfu.bpf.o
uvm_test $DEV touch 12
check_eq touch_lfu_exit_status "$?" 0
check_gt lfu_op_evict "$(op_count mem evict)" 0
check lfu_unload nvgpolicy unload lfu
for p in stride quota; do
	check ${p}_load nvgpolicy load $P/$p.bpf.o
	uvm_test $DEV touch 12
	check_eq touch_${p}_exit_status "$?" 0
	check_eq ${p}_still_attached "$(status_field mem state)" attached
	check ${p}_unload nvgpolicy unload $p
done

# By hand.
check lru_reload nvgpolicy load $P/lru.bpf.o
check mem_eject_by_hand sh -c "echo mem > $DBG/eject"
check_eq mem_ejected_by_hand "$(status_field mem state)" ejected
status_has mem_sysrq_kind mem last_exit "kind=sysrq"
check_eq fifo_untouched "$(status_field sched state)" attached
check lru_unload_after_eject nvgpolicy unload lru

# must_eject NAME OBJECT MSG: ejected in the middle of the workload, which
# still completes with every byte right.
must_eject() {
	check $1_load nvgpolicy load $T/$2.bpf.o
	uvm_test $DEV touch 12
	check_eq $1_nothing_lost "$?" 0
	check_eq $1_ejected "$(status_field mem state)" ejected
	status_has $1_kind mem last_exit "kind=error_invalid"
	status_has $1_reason mem last_msg "$3"
	check $1_unload nvgpolicy unload $2
}
must_eject bad_region mem_bad_region "fault() chose region"
must_eject evict_not_resident mem_evict_not_resident "is not resident"
must_eject evict_bad_index mem_evict_bad_index "candidates"
must_eject prefetch_missing mem_prefetch_missing "does not exist"

check fifo_unload nvgpolicy unload fifo
check uvm_vram_released wait_for 10 grep -qx 'vram_used: 0' $DBG/gpu0/uvm
check rmmod nvg_unload
check dmesg_clean dmesg_clean
