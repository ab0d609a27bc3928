#!/bin/sh
# Runs on the host root over 9p: bpftrace sees frame pacing's tracepoints
# (every flip of a short game loop queued and latched, the head's vblanks),
# and the host's lm-sensors shows the GPU's hwmon device.
. /test/lib.sh

check modprobe nvg_load
check bpftrace_attached bt_start /tmp/bt.out -e 'tracepoint:nvghost:nvghost_flip_queued { @queued = count(); }
	tracepoint:nvghost:nvghost_flip_latched { @latched = count(); }
	tracepoint:nvghost:nvghost_vblank { @vblank = count(); }'
check pace_runs timeout 30 kms_test pace 0 1920x1080@60 0 1 4000 1000 0
bt_stop $BT_PID
cat /tmp/bt.out
bt_n() { sed -n "s/^@$1: //p" /tmp/bt.out; }
check flips_queued test "$(bt_n queued)" -gt 30
# (a flip queued at the end may not be latched before bpftrace stops)
check flips_latched test "$(bt_n latched)" -ge "$(($(bt_n queued) - 2))"
check vblanks test "$(bt_n vblank)" -ge "$(($(bt_n latched) - 2))"

if command -v sensors >/dev/null 2>&1; then
	timeout 10 sensors > /tmp/sensors.out 2>&1
	cat /tmp/sensors.out
	check sensors_shows_gpu grep -q '^nvghost-' /tmp/sensors.out
	check sensors_shows_temp grep -q '^temp1: *+[0-9]' /tmp/sensors.out
	check sensors_shows_power grep -q '^power1: *[0-9]' /tmp/sensors.out
else
	fail sensors_installed "sensors (lm-sensors) is not installed on the host (make deps)"
fi
check rmmod nvg_unload
check dmesg_clean dmesg_clean
