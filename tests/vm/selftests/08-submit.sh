#!/bin/sh
# Command submission end to end: pushbuffers validated and executed by the
# simulated engines (copies, fills, compute, semaphores across channels,
# fences), one rejection per validation rule, then recovery from an
# injected hang, MMU fault and lost interrupt with a short job timeout.
. /test/lib.sh

check modprobe nvg_load
submit_test /dev/dri/renderD128 basic
check rmmod nvg_unload

check modprobe_short_timeout nvg_load job_timeout_ms=500 sched_watchdog_ms=400
submit_test /dev/dri/renderD128 recovery
check resets_counted test "$(awk '/^engine_resets:/ { print $2 }' $DBG/gpu0/info)" -ge 1
check lost_irq_counted test "$(awk '/^irq_lost:/ { print $2 }' $DBG/gpu0/info)" -ge 1
check rmmod_after_recovery nvg_unload
check dmesg_clean dmesg_clean
