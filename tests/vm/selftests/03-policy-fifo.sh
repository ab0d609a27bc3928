#!/bin/sh
# fifo.bpf.o attaches, the status shows it, its ops run, jobs complete in
# order through it, tunables work, and unloading restores the default.
. /test/lib.sh
FIFO=$NVG_PROFILES/fifo.bpf.o

# The device runs on the virtual clock (docs/architecture.md, "Two clock
# modes"): its time moves only when the test advances it, so a job holds its
# engine for exactly its cost in device time, however slow the host. A 5 s
# default slice: the jobs below run to completion unpreempted, so every
# enqueue the policy sees is a first one.
check modprobe nvg_load clock=virtual sched_slice_us=5000000
# advance NS: move the device clock NS ahead (everything due runs).
advance() { vclock_test advance /dev/dri/card0 "$1" > /dev/null; }
# Before attach: a 4 s job runs and three short ones wait behind it; those
# three must be handed to the policy exactly once. The clock stands still
# while the policy loads (2.3 s of wall time on a loaded host, more on the
# debug kernel), so they are still queued when it attaches.
echo "0 1 4000000" > $DBG/gpu0/submit
echo "0 3 10000" > $DBG/gpu0/submit
advance 1000000
check load_fifo nvgpolicy load $FIFO
check status_attached test "$(status_field sched state)" = attached
check status_policy_name test "$(status_field sched policy)" = fifo
check list_shows_fifo sh -c 'nvgpolicy list | grep -q fifo'
check pinned test -e /sys/fs/bpf/nvghost/fifo/fifo_ops

echo "0 30 200" > $DBG/gpu0/submit
echo "1 10 200" > $DBG/gpu0/submit
advance 5000000000
check jobs_complete wait_for 15 idle 0
check_eq completed_all "$(completed_total 0)" 44
check_eq enqueue_exactly_once "$(op_count sched enqueue)" 43
check op_dispatch_counted test "$(op_count sched dispatch)" -ge 40
check dispatched_by_policy test "$(awk '/^dispatched_by_policy:/ { print $2 }' $DBG/gpu0/arbiter)" -ge 40
check status_shows_ops sh -c "nvgpolicy status | grep -q 'op dispatch'"
check rmmod_refused_while_attached sh -c '! rmmod nvghost 2>/dev/null'

check unload_fifo nvgpolicy unload fifo
check status_default_again test "$(status_field sched state)" = default
status_has last_exit_unreg sched last_exit 'kind=unreg'
check pin_removed test ! -e /sys/fs/bpf/nvghost/fifo
echo "0 5 100" > $DBG/gpu0/submit
advance 100000000
check default_after_unload wait_for 5 idle 0

# Tunables: --set writes const volatile values before load. A 1 ms slice
# (the module's default here is 5 s): jobs of 3 ms are preempted while
# others wait for the engine, and still all complete.
pre=$(awk '/^preemptions:/ { print $2 }' $DBG/gpu0/arbiter)
check set_slice nvgpolicy load $FIFO --set slice_us=1000
echo "0 5 3000" > $DBG/gpu0/submit
advance 100000000
check small_slice_completes wait_for 10 idle 0
check_eq small_slice_completed_all "$(completed_total 0)" 54
check small_slice_preempts test "$(awk '/^preemptions:/ { print $2 }' $DBG/gpu0/arbiter)" -gt "$pre"
check small_slice_requeued test "$(op_count sched enqueue)" -gt 5
check small_slice_not_ejected test "$(status_field sched state)" = attached
nvgpolicy unload fifo >/dev/null
expect_fail set_unknown_name "has no tunable 'nosuch'" nvgpolicy load $FIFO --set nosuch=1
expect_fail set_bad_value "slice_us" nvgpolicy load $FIFO --set slice_us=abc
expect_fail set_out_of_range "slice_us" nvgpolicy load $FIFO --set slice_us=5000000000
expect_fail set_malformed "NAME=VALUE" nvgpolicy load $FIFO --set slice_us
# A slice the driver would refuse is refused at attach by init(): -EINVAL.
expect_fail set_slice_too_small "Invalid argument" nvgpolicy load $FIFO --set slice_us=50
status_has slice_too_small_recorded sched last_exit 'op=init code=-22'
check nothing_left_attached test "$(status_field sched state)" = default

check rmmod nvg_unload
check dmesg_clean dmesg_clean
