#!/bin/sh
# Command submission end to end: pushbuffers validated and executed by the
# simulated engines (a copy matrix over sizes, offsets and placements, 2D
# pitched copies, fills, compute, semaphores across channels), fences
# (syncobjs in and out, timeline points, sync files in and out), a dma-buf
# filled by another client's GPU work, 8 clients at once, one rejection per
# validation rule; then recovery from an injected hang, MMU fault and lost
# interrupt, each RECOVERY_N times, with a 100 ms job timeout.
. /test/lib.sh

DEV=/dev/dri/renderD128
RECOVERY_N=100

# run_submit NAME ARGS...: submit_test's checks, plus one that it ran to the
# end (a crash prints no FAIL line), and how long it took.
run_submit() {
	_n=$1; shift
	_t0=$(cut -d' ' -f1 /proc/uptime)
	submit_test "$@"
	_rc=$?
	_t1=$(cut -d' ' -f1 /proc/uptime)
	echo "# $_n: $(echo "$_t0 $_t1" | awk '{ printf "%.1f", $2 - $1 }') s"
	check_eq "${_n}_exit_status" "$_rc" 0
}

dmesg -c >/dev/null

check modprobe nvg_load
run_submit submit_basic $DEV basic
check vram_unused_after_basic grep -qx 'used: 0' $DBG/gpu0/vram
check rmmod nvg_unload

check modprobe_short_timeout nvg_load job_timeout_ms=$(slow_ms 100) sched_watchdog_ms=$(slow_ms 100)
run_submit submit_recovery $DEV recovery $RECOVERY_N
# Exactly one reset per injected hang and one lost interrupt per drop: no
# innocent job was taken for hung.
check_eq resets_counted "$(awk '/^engine_resets:/ { print $2 }' $DBG/gpu0/info)" $RECOVERY_N
check_eq lost_irq_counted "$(awk '/^irq_lost:/ { print $2 }' $DBG/gpu0/info)" $RECOVERY_N
check rmmod_after_recovery nvg_unload
check dmesg_clean dmesg_clean
