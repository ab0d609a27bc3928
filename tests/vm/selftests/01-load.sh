#!/bin/sh
# The module loads, creates a DRM device with card and render nodes, its
# interrupt path works (PTIMER alarm, engine completion), and it unloads.
. /test/lib.sh

check modprobe nvg_load
check card_node test -c /dev/dri/card0
check render_node test -c /dev/dri/renderD128
check driver_name grep -qx 'nvghost.*' /sys/kernel/debug/dri/0/name
check module_btf test -e /sys/kernel/btf/nvghost
check status_default test "$(status_field sched state)" = default
check info_nvginfo nvginfo

irq=$(awk '/^irq:/ { print $2 }' $DBG/gpu0/info)
check irq_registered grep -q "^ *$irq:.*nvghost" /proc/interrupts

before=$(awk '/^irq_ptimer:/ { print $2 }' $DBG/gpu0/info)
echo 2000 > $DBG/gpu0/ptimer_alarm
ptimer_irq_moved() { [ "$(awk '/^irq_ptimer:/ { print $2 }' $DBG/gpu0/info)" -gt "$before" ]; }
check ptimer_alarm_interrupts wait_for 2 ptimer_irq_moved

echo "0 20 100" > $DBG/gpu0/submit
check default_runs_jobs wait_for 5 idle 0
check default_completed_all test "$(completed_total 0)" -eq 20
check engine_irqs_counted test "$(awk '/^irq_pfifo:/ { print $2 }' $DBG/gpu0/info)" -gt 0
# Every job dispatched by the default once, plus once more per preemption
# (a slow host can stretch a job past its slice while others wait).
check_eq default_dispatched "$(awk '$1 == "dispatched_by_default:" { d = $2 }
	$1 == "preemptions:" { p = $2 } END { print d - p }' $DBG/gpu0/arbiter)" 20
check submit_bad_engine_rejected sh -c "! echo '99 1 1' > $DBG/gpu0/submit"

check rmmod nvg_unload
check nodes_gone test ! -e /dev/dri/card0
check dmesg_clean dmesg_clean
