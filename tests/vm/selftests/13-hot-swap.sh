#!/bin/sh
# Hot swap: policies are loaded, replaced and unloaded while well over 1000
# jobs are in flight on several engines. Every job completes exactly once:
# completed == submitted (a job run twice would complete twice), nothing
# ejected, nothing left queued.
. /test/lib.sh

check modprobe nvg_load
P=$NVG_PROFILES
# 1500 jobs of 1-3 ms over three engines: ~2 s of work per engine.
echo "0 500 3000" > $DBG/gpu0/submit
echo "1 500 2000" > $DBG/gpu0/submit
echo "2 500 1000" > $DBG/gpu0/submit
inflight=$(queued_total 0)
check many_in_flight test "$inflight" -ge 1000
swaps=0
for pol in fifo fair gaming compute fifo; do
	[ -e $P/$pol.bpf.o ] || continue
	nvgpolicy unload --all >/dev/null 2>&1
	nvgpolicy load $P/$pol.bpf.o >/dev/null && swaps=$((swaps + 1))
	sleep 0.2
done
nvgpolicy unload --all >/dev/null 2>&1
check swapped_under_load test "$swaps" -ge 2
check all_done wait_for 60 idle 0
check_eq completed_exactly_once "$(completed_total 0)" 1500
check_eq no_ejection "$(status_field sched ejected_total)" 0
check_eq attach_count "$(status_field sched attached_total)" "$swaps"
# No engine stalled beyond one timeslice: the longest any engine sat idle
# while jobs were queued, across all the swaps.
gap=$(max_idle_queued_us 0)
slice=$(cat /sys/module/nvghost/parameters/sched_slice_us)
echo "hot swap: longest an engine sat idle with work queued: $gap us (timeslice $slice us)"
check no_stall_beyond_a_slice test "$gap" -le "$slice"
check rmmod nvg_unload
check dmesg_clean dmesg_clean
