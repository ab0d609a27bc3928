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

# modetest sets a mode and flips; it prints "freq: N Hz" every 60 flips.
# Its stdin must stay open and silent (it quits on input).
# Under TCG, modetest itself may miss a vblank now and then: every line
# must be under HIGH and above 3/4 of LOW, and the best one at least LOW.
freq_ok() { # LOG LOW HIGH
	awk -v lo="$2" -v hi="$3" '/^freq:/ { f = $2 + 0; n++; if (f > best) best = f
			if (f < lo * 0.75 || f > hi) bad++ }
		END { exit !(n > 0 && !bad && best >= lo) }' "$1"
}
sleep 12 | timeout 8 modetest -M nvghost -s DP-1:1920x1080-60 -v > /tmp/mt-dp.out 2>&1
grep freq /tmp/mt-dp.out | head -n 3
check modetest_flips_dp_60hz freq_ok /tmp/mt-dp.out 57 62
sleep 12 | timeout 8 modetest -M nvghost -s HDMI-A-1:1024x768-60 -v > /tmp/mt-hdmi.out 2>&1
grep freq /tmp/mt-hdmi.out | head -n 3
check modetest_flips_hdmi_60hz freq_ok /tmp/mt-hdmi.out 57 62

# Each rejection says why in the atomic debug log (drm.debug=0x10).
echo 0x10 > /sys/module/drm/parameters/debug
kms_test reject
echo 0 > /sys/module/drm/parameters/debug
dmesg > /tmp/dmesg.kms
check reason_pixel_clock grep -q 'the head drives at most 700000 kHz' /tmp/dmesg.kms
check reason_cursor_scaling grep -q 'the cursor cannot scale' /tmp/dmesg.kms
check reason_overlay_outside grep -q 'outside the 1024x768 CRTC' /tmp/dmesg.kms
check reason_primary_cover grep -q 'the primary plane must cover the CRTC' /tmp/dmesg.kms
check reason_vrr grep -q 'VRR requested, but .* reports no refresh range' /tmp/dmesg.kms
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
expect_fail edid_bad_name_refused "" sh -c "echo nosuchmonitor > $CON/connector-1/edid"
kms_test multihead 2560x1440@60 1920x1080@60

check display_debugfs grep -q '^head 1: off' $CON/display

# Unloading with a head scanning out (modetest leaves it on) is clean.
sleep 5 | timeout 2 modetest -M nvghost -s DP-1:1920x1080-60 -v > /dev/null 2>&1
check head_left_on grep -q 'active=1' $DRI/state
check display_debugfs_head_on grep -q '^head 0: on vrr off pclk_khz 148500 htotal 2200 vtotal 1125' $CON/display
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
expect_fail num_heads_range_checked "" modprobe nvghost num_heads=5
check num_heads_error_says_why sh -c "dmesg | grep -q 'num_heads must be 0..4'"
check dmesg_clean dmesg_clean
