#!/bin/sh
# KMS as DRM documents it (issue 13): VRR_ENABLED is a hint, gamma (legacy
# and GAMMA_LUT) shows in the CRC, dumb buffers and small framebuffers,
# modes whose frame size overflows are refused, legacy cursor updates do not
# wait for a pending flip, async page flips complete at once, fbdev
# emulation puts a console on head 0; the CRC covers all planes composed
# (and the background with the primary plane off), one entry per vblank
# with no gap, through DEGAMMA_LUT, CTM and GAMMA_LUT in that order; vsync
# flips complete no earlier than they were submitted.
. /test/lib.sh

check modprobe nvg_load
DRI=/sys/kernel/debug/dri/0
CON=$DBG/gpu0

# fbdev emulation: a framebuffer device of nvghost, shown on head 0.
check fbdev_registered wait_for 10 sh -c 'grep -q nvghost /sys/class/graphics/fb*/name'
cat /sys/class/graphics/fb*/name 2>/dev/null
check fbdev_console_on_head0 wait_for 10 grep -q '^head 0: on' $CON/display
grep '^head' $CON/display
# fbcon took it: a virtual console bound to a frame buffer device.
fbcon_bound() {
	for v in /sys/class/vtconsole/vtcon*; do
		grep -q 'frame buffer' "$v/name" && grep -q 1 "$v/bind" && return 0
	done
	echo "vtconsoles: $(cat /sys/class/vtconsole/vtcon*/name | tr '\n' ';')"
	return 1
}
check fbcon_bound fbcon_bound
if [ -c /dev/fb0 ]; then
	check fbdev_writable sh -c 'head -c 65536 /dev/urandom > /dev/fb0'
else
	fail fbdev_device "expected /dev/fb0, saw none"
fi

kms_conf_test vrr $CON/display
kms_conf_test gamma $DRI/crtc-1
kms_conf_test dumb
kms_conf_test cursor $DRI/state
kms_conf_test async
kms_conf_test compose $DRI/crtc-1
kms_conf_test crcframes $DRI/crtc-0 180
kms_conf_test color $DRI/crtc-1
kms_conf_test fliptimes 160

# modetest sets the gamma of every head it lights.
sleep 5 | timeout 2 modetest -M nvghost -s DP-1:1920x1080-60 > /tmp/mt.out 2>&1
grep -i gamma /tmp/mt.out
check modetest_sets_gamma sh -c '! grep -q "failed to set gamma" /tmp/mt.out'

check rmmod nvg_unload
check dmesg_clean dmesg_clean
