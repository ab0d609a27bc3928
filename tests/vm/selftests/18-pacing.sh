#!/bin/sh
# The frame-pacing hook on a real flip path (kms_test pace: a game loop on
# head 0, the 2560x1440 48-165 Hz DP monitor): with no policy flips latch
# at the next vblank and FRAME_WAIT gives no advice; a policy's latch time
# in the past or beyond the head's window ejects it and the flips go on
# under the default; smooth and gaming attach and decide; gaming advises a
# start time and FRAME_WAIT sleeps until it; the power hook sees the frames.
. /test/lib.sh
T=$NVG_TESTBPF
P=$NVG_PROFILES

ejected() { _s=$(status_field pacing state); [ "$_s" = ejected ] || { echo "pacing state $_s, expected ejected"; return 1; }; }
# pace OUT VRR RENDER_US JITTER_US WAIT [MODE]: 2 s of the game loop.
pace() {
	_o=$1; shift
	kms_test pace 0 "${5:-pref}" "$1" 2 "$2" "$3" "$4" > "$_o" 2>&1
	cat "$_o"
	grep -q '^PASS: pace_frames_presented' "$_o"
}
pval() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" "$1" | head -n 1; }

check modprobe nvg_load
check default_flips pace /tmp/p0 1 8000 2000 1
check_eq default_no_advice "$(pval /tmp/p0 advised)" 0

for bad in pacing_past_latch pacing_beyond_window; do
	check ${bad}_load nvgpolicy load $T/$bad.bpf.o
	check ${bad}_flips_go_on pace /tmp/p1 1 8000 2000 0
	check ${bad}_ejected ejected
	status_has ${bad}_kind pacing last_exit "kind=error_invalid"
	status_has ${bad}_reason pacing last_msg "latch time"
	nvgpolicy unload $bad >/dev/null
done
# At a fixed refresh rate the window is a few refreshes: beyond it ejects too.
check beyond_fixed_load nvgpolicy load $T/pacing_beyond_window.bpf.o
check beyond_fixed_flips_go_on pace /tmp/p1 0 8000 2000 0
check beyond_fixed_ejected ejected
nvgpolicy unload pacing_beyond_window >/dev/null

check smooth_load nvgpolicy load $P/smooth.bpf.o
check smooth_flips pace /tmp/p2 1 8000 3000 0
check_cmp smooth_decides "$(op_count pacing flip)" gt 10 "smooth's flip calls in 2 s of flips"
check_eq smooth_not_ejected "$(status_field pacing state)" attached
check smooth_unload nvgpolicy unload smooth

check gaming_load nvgpolicy load $P/gaming.bpf.o
# At 60 Hz a 4 ms frame started right after a flip waits ~12 ms for the
# next vblank: gaming advises starting later.
check gaming_flips pace /tmp/p3 0 4000 1000 1 1920x1080@60
grep '^# pace' /tmp/p3
# How many frames 2 s hold is the host's business; that gaming advises a
# good share of them (about a third on an idle host: the frames that would
# otherwise wait for the vblank) is the policy's; with no policy it is none.
P3_FLIPS=$(pval /tmp/p3 flips)
P3_ADV=$(pval /tmp/p3 advised)
check_cmp gaming_flips_counted "$P3_FLIPS" ge 6 "frames of the game loop in 2 s"
check_cmp gaming_advises "$P3_ADV" ge 3 "frames FRAME_WAIT advised, of $P3_FLIPS"
check_cmp gaming_advises_a_share $((${P3_ADV:-0} * 5)) ge "${P3_FLIPS:-1}" "advised x 5 ($P3_ADV advised of $P3_FLIPS frames; expected a fifth or more)"
check_cmp gaming_sleeps "$(pval /tmp/p3 slept_us_avg | cut -d. -f1)" gt 1000 "average FRAME_WAIT sleep, us"
check_cmp gaming_frame_start_called "$(op_count pacing frame_start)" gt 10 "frame_start calls"
check_eq gaming_not_ejected "$(status_field pacing state)" attached
# The power hook sees the frames: gaming's power part answers every period.
DF=/sys/class/devfreq/nvghost.0
echo nvg_power_ops > $DF/governor
check gaming_power_flips pace /tmp/p4 1 4000 1000 1
check_cmp gaming_power_selects "$(op_count power select)" gt 5 "power select calls in 2 s"
echo simple_ondemand > $DF/governor
check gaming_unload nvgpolicy unload gaming

check rmmod nvg_unload
check dmesg_clean dmesg_clean
