#!/bin/sh
# The submission fast path (issue 14; docs/architecture.md, "Latency path"):
# the fast_path parameter is on by default and switches at run time; with it
# on, dependency-free jobs reach the arbiter from SUBMIT (early_submits) and
# the completion interrupt signals their out-fence (irq_signals), an idle
# engine starts a job as it arrives (direct_starts); with it off none of
# that happens. Either way a job without dependencies does not overtake its
# channel's earlier job that waits for a fence, and nothing is lost.
. /test/lib.sh
FP=/sys/module/nvghost/parameters/fast_path
DEV=/dev/dri/renderD128

check modprobe nvg_load
check_eq fast_path_default_on "$(cat $FP 2>/dev/null)" Y
# fpc KEY: a counter of the arbiter's fast_path line.
fpc() {
	awk -v k="$1" '$1 == "fast_path:" { for (i = 2; i < NF; i++) if ($i == k) print $(i + 1) }' \
		$DBG/gpu0/arbiter
}

e0=$(fpc early_submits); s0=$(fpc irq_signals); d0=$(fpc direct_starts)
check fast_jobs bench_submit -J 50
check_eq fast_early_submits "$(( $(fpc early_submits) - ${e0:-0} ))" 50
check_eq fast_irq_signals "$(( $(fpc irq_signals) - ${s0:-0} ))" 50
check_gt fast_direct_starts "$(( $(fpc direct_starts) - ${d0:-0} ))" 0
submit_test $DEV order
check_eq fast_order_exit_status "$?" 0

check fast_path_off sh -c "echo 0 > $FP"
e0=$(fpc early_submits); s0=$(fpc irq_signals); d0=$(fpc direct_starts)
check slow_jobs bench_submit -J 50
check_eq slow_no_early_submits "$(( $(fpc early_submits) - ${e0:-0} ))" 0
check_eq slow_no_irq_signals "$(( $(fpc irq_signals) - ${s0:-0} ))" 0
check_eq slow_no_direct_starts "$(( $(fpc direct_starts) - ${d0:-0} ))" 0
submit_test $DEV order
check_eq slow_order_exit_status "$?" 0
check fast_path_on_again sh -c "echo 1 > $FP"

check_eq all_done "$(wait_for 60 idle 0 && echo idle)" idle
check vram_unused wait_for 30 grep -qx 'used: 0' $DBG/gpu0/vram
check rmmod nvg_unload
check dmesg_clean dmesg_clean
