#!/bin/sh
# make run's replay part (sourced by tests/vm/demo.sh after the live parts):
# the scheduling part's workload (traces/synthetic/demo-game-vs-hog.jsonl:
# nvgbench interactive:game,period=10,cost=1 hog:hog as a trace) replayed
# with nvgreplay on a device loaded with clock=virtual, under gaming and
# under fifo, side by side: deterministic (the same numbers every run, on
# any host), and no longer bounded by how fast the emulator can pace the
# GPU. The top clock is pinned, as make bench's scheduling comparisons do.
#
# For the host (scripts/run-demo.sh), between marker lines on the console:
#   ==== BEGIN VREPLAYTABLE / END    nvgreplay's side-by-side table
#   ==== BEGIN VREPLAYCSV / END      vcsv:FILE:LINE (jobs.csv, flips.csv,
#                                    samples.csv), plotted on the host by
#                                    scripts/replay-plot.sh
# Standalone: tests/vm/run-vm.sh nvg.script=/test/demo-replay.sh
VTRACE=/usr/share/nvghost/traces/demo-game-vs-hog.jsonl
VSTANDALONE=
if ! command -v nvg_load > /dev/null 2>&1; then
	. /test/lib.sh
	VSTANDALONE=1
fi

printf '\n==> replay in virtual time: nvgreplay %s --policy gaming --vs fifo\n' "$(basename $VTRACE)"
echo "  the same game + hog workload as the scheduling part, as a trace, on clock=virtual:"
echo "  the device clock moves only from event to event, so the result is the model's and"
echo "  the policies', the same on every run and every host (docs/architecture.md)"
lsmod | grep -q '^nvghost ' && nvg_unload
if ! nvg_load clock=virtual num_heads=0; then
	echo "demo: modprobe nvghost clock=virtual failed"
else
	pin_max_clock 0 || echo "demo: could not pin the top clock"
	rm -rf /tmp/vreplay
	read -r _vu0 _ < /proc/uptime
	# progress lines (stderr) straight to the console
	nvgreplay "$VTRACE" --policy gaming --vs fifo --csv /tmp/vreplay > /tmp/vreplay.out
	_vrc=$?
	read -r _vu1 _ < /proc/uptime
	cat /tmp/vreplay.out
	[ $_vrc -eq 0 ] || echo "demo: nvgreplay failed (exit status $_vrc)"
	replay_emit VREPLAY vcsv /tmp/vreplay.out /tmp/vreplay \
		"nvgreplay $(basename $VTRACE) --policy gaming --vs fifo, clock=virtual, top clock pinned ($(awk -v a="$_vu0" -v b="$_vu1" 'BEGIN { printf "%.0f", b - a }') s of guest time for both replays)"
	nvg_unload
fi

if [ -n "$VSTANDALONE" ]; then
	dmesg_clean >/dev/null || { echo "kernel warnings:"; dmesg_clean; exit 1; }
	echo "demo: done"
fi
