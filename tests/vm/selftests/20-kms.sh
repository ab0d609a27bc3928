#!/bin/sh
# The display engine: connectors and modes from EDIDs, modesets and page
# flips at each mode's refresh rate (modetest and kms_test), atomic check
# rejections, vblank timing, CRCs, VRR, hotplug and several heads at once.
. /test/lib.sh

check modprobe nvg_load
DRI=/sys/kernel/debug/dri/0
CON=$DBG/gpu0

# modetest lists both connectors with the modes of their monitors' EDIDs.
modetest -M nvghost -c > /tmp/conn.out 2>&1
check modetest_lists_dp grep -q 'connected.*DP-1' /tmp/conn.out
check modetest_lists_hdmi grep -q 'connected.*HDMI-A-1' /tmp/conn.out
check dp_modes_from_edid grep -q '2560x1440 165' /tmp/conn.out
check hdmi_modes_from_edid grep -q '3840x2160 60' /tmp/conn.out
check connector_vrr_capable_listed grep -q 'vrr_capable' /tmp/conn.out

# modetest sets a mode and flips; it prints "freq: N Hz" every 60 flips,
# from its own wall clock. Its stdin must stay open and silent (it quits on
# input). On a slow or loaded host modetest itself misses vblanks (a flip
# every other refresh is 30 Hz), and its wall-clock rate can even read above
# the refresh when its own reads of the clock are late, so its rate says
# how fast the host is, not the display: what holds anywhere is that it
# flipped (the head's latched-flip counter, sysfs heads/H/frames, moved).
# The flip rate itself (every frame at the next refresh, 60 Hz on HDMI,
# 165 Hz on DP) is asserted in virtual time by 51-vtime-flips, where the
# host cannot make a flip late. The refresh is measured here from the
# head's vblank counter and latched timestamps, which are exact on any host
# (the timing generator counts the frames it could not deliver in time):
# every head that is on runs at its mode's rate, and one of them at HZ.
# head_vblanks: "HEAD VBLANKS LAST_VBLANK_NS MODE_mHz" per head that is on.
head_vblanks() {
	awk '$1 == "head" && $3 == "on" {
		for (i = 4; i < NF; i++) { v[$i] = $(i + 1) }
		printf "%s %s %s %.0f\n", $2, v["vblanks"], v["last_vblank_ns"],
		       v["pclk_khz"] * 1e6 / (v["htotal"] * v["vtotal"])
	}' $CON/display
}
# modetest_flips NAME CONNECTOR:MODE HZ HEAD
modetest_flips() {
	sleep 30 | timeout 25 modetest -M nvghost -s "$2" -v > /tmp/mt.out 2>&1 &
	_mp=$!
	wait_for 5 sh -c "grep -q '^head [0-9]*: on' $CON/display"
	# modetest -v prints a "freq:" line once it has flipped for a while:
	# from then on it is DRM master and flipping (on a slow host, the
	# debug kernel, that took longer than the 4 s this once waited).
	wait_for 15 grep -q freq /tmp/mt.out
	head_vblanks > /tmp/vb1
	# The latched-flip counter over 3 s in which modetest is DRM master
	# and flipping (not across its start or exit: the fbdev console's
	# commits around them latch too).
	_fr0=$(cat /sys/class/drm/card0/device/heads/$4/frames)
	sleep 3
	head_vblanks > /tmp/vb2
	_fr1=$(cat /sys/class/drm/card0/device/heads/$4/frames)
	kill $(pidof modetest) 2>/dev/null
	wait $_mp
	grep freq /tmp/mt.out | head -n 3
	check_cmp "$1_flipped" "$((_fr1 - _fr0))" gt 0 "flips head $4 latched in 3 s of modetest flipping on it (heads/$4/frames $_fr0 -> $_fr1)"
	# Rates in mHz: vblanks counted over the time between their timestamps.
	awk -v hz="$3" 'NR == FNR { c[$1] = $2; t[$1] = $3; next }
		($1 in c) { dt = $3 - t[$1]; n = $2 - c[$1]; m = dt > 0 ? n * 1e12 / dt : 0; k++
		  printf "head %s %d vblanks in %.3f s: %.3f Hz, mode %.3f Hz\n", $1, n, dt / 1e9, m / 1000, $4 / 1000
		  if (n < 30 || m < $4 * 0.99 || m > $4 * 1.01) bad++
		  if ($4 > hz * 995 && $4 < hz * 1005) at_hz++ }
		END { exit !(k > 0 && !bad && at_hz) }' /tmp/vb1 /tmp/vb2 > /tmp/vb.out
	_st=$?
	cat /tmp/vb.out
	if [ $_st -eq 0 ]; then
		pass "$1_vblanks_at_${3}hz"
	else
		fail "$1_vblanks_at_${3}hz" "expected every head that is on to count vblanks at its mode's rate (1%) and one mode at $3 Hz, saw: $(tr '\n' ';' < /tmp/vb.out)"
	fi
}
modetest_flips modetest_dp DP-1:1920x1080-60 60 0
modetest_flips modetest_hdmi HDMI-A-1:1024x768-60 60 1

# Each rejection says why in the atomic debug log (drm.debug=0x10).
echo 0x10 > /sys/module/drm/parameters/debug
kms_test reject
echo 0 > /sys/module/drm/parameters/debug
dmesg > /tmp/dmesg.kms
check reason_pixel_clock grep -q 'the head drives at most 700000 kHz' /tmp/dmesg.kms
check reason_cursor_scaling grep -q 'the cursor cannot scale' /tmp/dmesg.kms
check reason_overlay_outside grep -q 'outside the 1024x768 CRTC' /tmp/dmesg.kms
check reason_primary_cover grep -q 'the primary plane must cover the CRTC' /tmp/dmesg.kms
check reason_vrr_hint_ignored grep -q 'VRR hint ignored: .* reports no refresh range' /tmp/dmesg.kms
kms_test formats
kms_test vblank 0 2560x1440@165
kms_test vblank 1 1920x1080@60
kms_test flips 0 pref
kms_test crc 1 640x480@60 $DRI/crtc-1
kms_test vrr 0 pref
kms_test hotplug $CON

# The EDID file reads back the monitor's bytes and takes raw bytes.
cat $CON/connector-1/edid > /tmp/tv.edid
check edid_reads_128_bytes test "$(wc -c < /tmp/tv.edid)" -eq 128
echo fhd60 > $CON/connector-1/edid
cat /tmp/tv.edid > $CON/connector-1/edid
check edid_raw_write cmp -s /tmp/tv.edid $CON/connector-1/edid
modetest -M nvghost -c > /tmp/conn.out 2>&1
check edid_raw_write_modes grep -q '3840x2160 60' /tmp/conn.out
expect_fail edid_bad_name_refused "Invalid argument" sh -c "echo nosuchmonitor > $CON/connector-1/edid"
kms_test multihead 2560x1440@60 1920x1080@60

# (with no client the fbdev console holds the heads: on or off)
check display_debugfs grep -q '^head 1: o[nf]* vrr o[nf]* pclk_khz' $CON/display

# Unloading with a head scanning out (modetest leaves it on, and the fbdev
# console takes it back when modetest exits) is clean.
sleep 5 | timeout 4 modetest -M nvghost -s DP-1:1920x1080-60 -v > /dev/null 2>&1 &
mt=$!
check display_debugfs_head_on wait_for 10 grep -q '^head 0: on vrr off pclk_khz 148500 htotal 2200 vtotal 1125' $CON/display
wait $mt
check head_left_on grep -q 'active=1' $DRI/state
# Unplugging the monitor of a head that scans out: the head stays, the
# connector reports disconnected.
echo off > $CON/connector-0/connected
modetest -M nvghost -c > /tmp/conn.out 2>&1
check unplug_while_on grep -q 'disconnected.*DP-1' /tmp/conn.out
check rmmod nvg_unload

# No heads: a render-only device.
check modprobe_0_heads nvg_load num_heads=0
check no_connectors_0_heads test -z "$(ls /sys/class/drm/ | grep card0-)"
kms_test noheads
check rmmod_0_heads nvg_unload

# Four heads, four different modes at once.
check modprobe_4_heads nvg_load num_heads=4
kms_test multihead 2560x1440@165 3840x2160@60 1920x1080@60 1280x1024@60
check rmmod_4_heads nvg_unload
expect_fail num_heads_range_checked "Invalid argument" modprobe nvghost num_heads=5
check num_heads_error_says_why sh -c "dmesg | grep -q 'num_heads must be 0..4'"
check dmesg_clean dmesg_clean
