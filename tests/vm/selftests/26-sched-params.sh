#!/bin/sh
# The scheduling parameters writable at run time keep their rules: a
# watchdog limit of 0 (which would eject every policy at once) or above
# job_timeout_ms is refused with EINVAL, at load and at run time, and the
# value and the attached policy stay as they were.
. /test/lib.sh
PARAM=/sys/module/nvghost/parameters/sched_watchdog_ms

expect_fail load_zero_refused "Invalid argument" modprobe nvghost sched_watchdog_ms=0
check load_zero_not_loaded sh -c "! lsmod | grep -q '^nvghost '"
rmmod nvghost 2>/dev/null
expect_fail load_above_timeout_refused "Invalid argument" modprobe nvghost sched_watchdog_ms=3000
check modprobe nvg_load job_timeout_ms=2000 sched_watchdog_ms=1000

check load_fifo nvgpolicy load $NVG_PROFILES/fifo.bpf.o
expect_fail write_zero_refused "Invalid argument" sh -c "echo 0 > $PARAM"
expect_fail write_above_timeout_refused "Invalid argument" sh -c "echo 2001 > $PARAM"
expect_fail write_garbage_refused "Invalid argument" sh -c "echo 12ms > $PARAM"
check_eq value_kept "$(cat $PARAM)" 1000
before=$(completed_total 0)
echo "0 20 500" > $DBG/gpu0/submit
check jobs_run wait_for 20 idle 0
check_eq jobs_completed "$(completed_total 0)" $((before + 20))
check_eq policy_not_ejected "$(status_field sched state)" attached
check_eq nothing_ejected "$(status_field sched ejected_total)" 0

check write_in_range sh -c "echo 2000 > $PARAM"
check_eq value_set "$(cat $PARAM)" 2000
check_eq status_shows_limit "$(status_field sched watchdog_ms)" 2000
check write_one sh -c "echo 1 > $PARAM"
check_eq value_one "$(cat $PARAM)" 1
check write_back sh -c "echo 1000 > $PARAM"
check_eq still_attached "$(status_field sched state)" attached
check unload_fifo nvgpolicy unload fifo

check rmmod nvg_unload
check dmesg_clean dmesg_clean
