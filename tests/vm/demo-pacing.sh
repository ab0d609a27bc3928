#!/bin/sh
# The frame-pacing part of the main job (make run), guest side; demo.sh
# sources it after the power part (alone: boot with
# nvg.script=/test/demo-pacing.sh). A game loop (kms_test pace: optional
# DRM_IOCTL_NVGHOST_FRAME_WAIT, render, flip, wait for the flip) on head 0
# while a low-priority hog keeps the GPU busy, QSECS seconds per run:
#   - on the 48-165 Hz monitor with VRR, 8 +- 3 ms frames: no policy, then
#     smooth (even cadence);
#   - at 60 Hz, 4 +- 1 ms frames asking FRAME_WAIT each frame: no policy,
#     then gaming (start advice).
# The "render" is a sleep of the frame's time: the hog competes for the
# emulated CPUs, not for the GPU.
#
# For the host (scripts/run-demo.sh), between marker lines on the console:
#   ==== BEGIN PACETABLE / ==== END PACETABLE   the comparison
#   ==== BEGIN PACECSV / ==== END PACECSV       qcsv:RUN:<t s>,<interval ms>,<present ms>
. /test/lib.sh

QSECS=${QSECS:-4}
qstep() { printf '\n==> %s\n' "$*"; }

QSTANDALONE=
if [ ! -e $DBG/status ]; then
	QSTANDALONE=1
	nvg_load || { echo "modprobe nvghost failed"; exit 1; }
fi

# qrun RUN POLICY VRR RENDER_US JITTER_US WAIT MODE
qrun() {
	_r=$1; _p=$2; shift 2
	qstep "pacing run $_r: policy $_p"
	[ "$_p" = default ] || nvgpolicy load "$NVG_PROFILES/$_p.bpf.o" >/dev/null ||
		{ echo "demo: cannot load $_p"; return 1; }
	nvgbench -t $((QSECS + 1)) hog:bg >/dev/null 2>&1 &
	_hog=$!
	sleep 0.3
	PACE_CSV=/tmp/pace-$_r.csv kms_test pace 0 "$5" "$1" "$QSECS" "$2" "$3" "$4" > /tmp/pace-$_r.out 2>&1
	wait $_hog
	[ "$_p" = default ] || nvgpolicy unload --all >/dev/null
	sed -n 's/^# pace: /  /p' /tmp/pace-$_r.out
	grep -q '^PASS: pace_frames_presented' /tmp/pace-$_r.out
}
qv() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" /tmp/pace-$1.out | head -n 1; }
us_ms() { [ -n "$1" ] && awk -v v="$1" 'BEGIN { printf "%.2f", v / 1000 }' || echo "?"; }

qrun vrr_default default 1 8000 3000 0 pref || exit 1
qrun vrr_smooth smooth 1 8000 3000 0 pref || exit 1
qrun fixed_default default 0 4000 1000 1 1920x1080@60 || exit 1
qrun fixed_gaming gaming 0 4000 1000 1 1920x1080@60 || exit 1

QRUNS="vrr_default vrr_smooth fixed_default fixed_gaming"
qrow() {
	_l=$1; shift
	printf '%-34s' "$_l"
	for r in $QRUNS; do printf ' %14s' "$("$@" "$r")"; done
	printf '\n'
}
qget() { qv "$2" "$1"; }
qms() { us_ms "$(qv "$2" "$1")"; }

qstep "frame pacing: no policy vs smooth (VRR) and vs gaming (60 Hz), hog running"
echo "==== BEGIN PACETABLE"
echo "game loop on head 0 for ${QSECS} s per run while nvgbench hog:bg runs; VRR: 48-165 Hz"
echo "monitor, 8 +- 3 ms frames; 60 Hz: 4 +- 1 ms frames, FRAME_WAIT before each"
printf '%-34s' "run"; for r in $QRUNS; do printf ' %14s' "$r"; done; printf '\n'
qrow "frames per second" qget fps
qrow "flip interval median (ms)" qms interval_median_us
qrow "flip interval jitter p99 (ms)" qms jitter_p99_us
qrow "intervals within 1 Hz (%)" qget within_1hz_pct
qrow "present latency median (ms)" qms present_median_us
qrow "present latency p99 (ms)" qms present_p99_us
qrow "frames with start advice" qget advised
echo "jitter: each flip interval's distance from the median; present latency: frame start"
echo "to its flip's event. smooth trades frame rate for an even cadence; gaming's advice"
echo "starts a frame as late as still makes the next vblank."
echo "==== END PACETABLE"

send_csv PACECSV pace qcsv $QRUNS

if [ -n "$QSTANDALONE" ]; then
	nvg_unload
	dmesg_clean >/dev/null || { echo "kernel warnings:"; dmesg_clean; exit 1; }
	echo "demo: done"
fi
