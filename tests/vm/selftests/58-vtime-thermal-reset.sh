#!/bin/sh
# A replay starts from a fresh device's thermal state (issue 12, item 6's
# --vs): DRM_IOCTL_NVGHOST_CLOCK's THERMAL_RESET puts the die back at a
# freshly loaded device's temperature, in virtual mode only and only while
# the GPU is idle, and nvgreplay does it before each replay, so that
# `--policy A --vs B` compares both from the same start (it used to start B
# at A's end temperature).
#   - live mode: refused with EOPNOTSUPP;
#   - virtual mode: refused with EBUSY while a job runs; once idle, a GPU
#     that 1 s of work warmed is back at the temperature it had when the
#     module was loaded;
#   - nvgreplay steady-game-3s --policy performance --vs performance: the
#     first replay warms the GPU (peak above its start), the second starts
#     at the first's start temperature.
. /test/lib.sh
TR=/usr/share/nvghost/traces/short/steady-game-3s.jsonl
CARD=/dev/dri/card0
S=/tmp/vttr
mkdir -p $S

lsmod | grep -q '^nvghost ' && nvg_unload

# reset_says EXPECTED: THERMAL_RESET's answer, "0" or "-ERRNO".
reset_says() {
	_r=$(vclock_test thermal-reset $CARD)
	_r=${_r#thermal_reset=}
	[ "${_r%% *}" = "$1" ] || { echo "THERMAL_RESET answered $_r, expected $1"; return 1; }
}
# temp_mc: the GPU's temperature (hwmon temp1_input), milli-degrees C.
temp_mc() {
	for _d in /sys/class/hwmon/*; do
		[ "$(cat "$_d/name" 2>/dev/null)" = nvghost ] && { cat "$_d/temp1_input"; return; }
	done
}

check modprobe_live nvg_load
check live_refused_eopnotsupp reset_says -95
check rmmod_live nvg_unload

check modprobe_virtual nvg_load clock=virtual
FRESH=$(temp_mc)
echo "# fresh device: $FRESH m degC"
echo "0 1 1000000" > $DBG/gpu0/submit
check busy_refused_ebusy reset_says -16
vclock_test advance $CARD 1500000000 > /dev/null
check job_done idle 0
HOT=$(temp_mc)
check_cmp work_warmed_gpu "$HOT" gt "$FRESH" "temperature after 1 s of work, m degC (fresh: $FRESH)"
check idle_reset reset_says 0
check_cmp reset_to_fresh "$(temp_mc)" eq "$FRESH" "temperature after THERMAL_RESET, m degC (it was $HOT; a fresh device has $FRESH)"
check rmmod_virtual nvg_unload

check modprobe_vs nvg_load clock=virtual
nvgreplay -q $TR --policy performance --vs performance --summary $S/vs.sum > $S/vs.out 2> $S/vs.err
check_eq vs_exit_status "$?" 0
check_eq vs_no_reset_warning "$(grep -c 'THERMAL_RESET' $S/vs.err)" 0
s0=$(summary_value $S/vs.sum gpu 0 "" start_c); p0=$(summary_value $S/vs.sum gpu 0 "" peak_c)
s1=$(summary_value $S/vs.sum gpu 1 "" start_c); p1=$(summary_value $S/vs.sum gpu 1 "" peak_c)
echo "# replay A: start $s0 C, peak $p0 C; replay B: start $s1 C, peak $p1 C"
check_cmp vs_first_warms "$(echo "$p0 $s0" | awk '{ print ($1 > $2) }')" eq 1 "first replay's peak above its start ($p0 C, start $s0 C): 1 if so"
if [ -n "$s0" ] && [ "$s1" = "$s0" ]; then
	pass vs_second_starts_fresh
else
	fail vs_second_starts_fresh "second replay's start temperature $s1 C, expected the first's, on a fresh module: $s0 C (the first replay peaked at $p0 C)"
fi
check rmmod nvg_unload
check dmesg_clean dmesg_clean
