#!/bin/sh
# Hot swap: policies are loaded, replaced and unloaded while well over 1000
# jobs are in flight on several engines. Every load succeeds, every swap is
# seen (the new policy is the one attached and its ops run on the jobs in
# flight), and every job completes exactly once: completed == submitted (a
# job run twice would complete twice), nothing ejected, nothing left queued.
. /test/lib.sh

check modprobe nvg_load
P=$NVG_PROFILES
submitted=0
# feed: 1500 jobs of 1-3 ms over three engines (0.5-1.5 s of work each).
feed() {
	echo "0 500 3000" > $DBG/gpu0/submit &&
	echo "1 500 2000" > $DBG/gpu0/submit &&
	echo "2 500 1000" > $DBG/gpu0/submit && submitted=$((submitted + 1500))
}
feed
check_cmp many_in_flight "$(queued_total 0)" ge 1000 "jobs queued before the swaps"
# The host's own noise, before any swap: the longest an engine sat idle
# with work queued under the default scheduler for a second.
sleep 1
base=$(max_idle_queued_us 0)
enqueued() { _c=$(op_count sched enqueue); [ "${_c:-0}" -gt 0 ] || { echo "op enqueue: '$_c'"; return 1; }; }
swaps=0
i=0
for pol in fifo fair gaming compute fifo; do
	i=$((i + 1))
	s=swap${i}_$pol
	nvgpolicy unload --all >/dev/null 2>&1
	# Under load whatever the host's speed: a load (the verifier, under
	# an emulator) can take seconds, so top the queues up to 3000 jobs.
	while [ "$(queued_total 0)" -lt 3000 ]; do feed; done
	check ${s}_load nvgpolicy load $P/$pol.bpf.o && swaps=$((swaps + 1))
	check_cmp ${s}_under_load "$(queued_total 0)" gt 0 "jobs still queued once $pol attached"
	check_eq ${s}_attached "$(status_field sched policy)" "$pol"
	# The jobs in flight are handed to the new policy (replayed).
	check ${s}_sees_jobs wait_for 10 enqueued
	sleep 0.2
done
nvgpolicy unload --all >/dev/null 2>&1
check_eq every_swap_loaded "$swaps" 5
check all_done wait_for 120 idle 0
check_eq completed_exactly_once "$(completed_total 0)" "$submitted"
check_eq no_ejection "$(status_field sched ejected_total)" 0
check_eq attach_count "$(status_field sched attached_total)" 5
# No engine stalled: the longest any engine sat idle while jobs were
# queued, across all the swaps. A job a swap lost or starved would sit
# until the watchdog (sched_watchdog_ms): never near it. Within one
# timeslice is the mechanism's bound, but a loaded host can delay the
# dispatch work itself by more; that bound is checked only if the default
# scheduler alone stayed within half a slice in this run.
gap=$(max_idle_queued_us 0)
slice=$(cat /sys/module/nvghost/parameters/sched_slice_us)
wd=$(( $(cat /sys/module/nvghost/parameters/sched_watchdog_ms) * 1000 ))
echo "hot swap: longest an engine sat idle with work queued: $gap us (before the swaps $base us; timeslice $slice us)"
check_cmp no_stall_near_watchdog "$gap" lt $((wd / 2)) "longest idle with work queued, us (half the watchdog)"
if [ -n "$base" ] && [ "$base" -le $((slice / 2)) ]; then
	check_cmp no_stall_beyond_a_slice "$gap" le "$slice" "longest idle with work queued, us (a timeslice)"
else
	skip no_stall_beyond_a_slice "the default scheduler alone left an engine idle $base us with work queued on this host (more than half the $slice us timeslice): dispatch latency here is the host's"
fi
check rmmod nvg_unload
check dmesg_clean dmesg_clean
