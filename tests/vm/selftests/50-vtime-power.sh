#!/bin/sh
# 17-power-policy's frame rule, in virtual time (issue 12, item 8): a steady
# game (2 +- 0.5 ms of GPU work per frame at the top clock, vsync'd at 60 Hz
# on head 0, 3 s; traces/synthetic/short/steady-game-3s.jsonl) replayed with
# nvgreplay on a device loaded with clock=virtual, under the gaming and
# balanced power profiles (governor nvg_power_ops), from idle at the lowest
# clock and (gaming) from warm at the top clock. On the virtual clock the
# game is never late because of the host, so the checks that 17 made only
# when the host was fast enough are made every time, without SKIP:
#   P_frames_presented     the game's frames reached the display (>= 90% of
#                          the 180 a 3 s trace holds at 60 Hz)
#   P_clock_not_stuck_low  the median clock from 1.5 s on (samples.csv,
#                          every 10 ms of device time) is above the bottom
#                          p-state, where a 2 ms frame takes 24 ms
#   P_deadlines_met        at most 10% of the frames missed their refresh
#   P_clock_below_top      the median clock is below the top: the policy
#                          gives the frame what it needs, not more
# For reference the same game at the top clock (performance) misses nothing.
# Every replay must finish with every job completed and no policy ejected.
. /test/lib.sh
TR=/usr/share/nvghost/traces/short/steady-game-3s.jsonl
S=/tmp/vtpow
CARD=/dev/dri/card0
DF=/sys/class/devfreq/nvghost.0
mkdir -p $S

lsmod | grep -q '^nvghost ' && nvg_unload

# advance NS: ADVANCE the device clock by NS.
advance() { vclock_test advance $CARD "$1" > /dev/null; }
clock_is() { _c=$(cat $DF/cur_freq); [ "$_c" = "$1" ] || { echo "cur_freq $_c, expected $1"; return 1; }; }

# vt_cold: a fresh device on the virtual clock, governor nvg_power_ops with
# no policy (the built-in default, simple_ondemand's rule), idle until it
# dropped to the lowest clock: 17's starting point, in device time.
vt_cold() {
	lsmod | grep -q '^nvghost ' && { nvg_unload || return 1; }
	nvg_load clock=virtual || return 1
	echo nvg_power_ops > $DF/governor || return 1
	advance 300000000
	clock_is "$FMIN"
}

# vt_replay NAME NVGREPLAY-ARGS...: replay $TR; summary $S/NAME.sum, CSVs
# in $S/NAME/. Fails, saying why, if the replay failed or lost a job, did
# not run on the virtual clock, or a policy was ejected.
vt_replay() {
	vr_n=$1; shift
	rm -rf "${S:?}/$vr_n"
	nvgreplay -q "$TR" "$@" --csv "$S/$vr_n" --summary $S/$vr_n.sum > $S/$vr_n.out 2> $S/$vr_n.err
	vr_st=$?
	if [ "$vr_st" -ne 0 ]; then
		echo "expected nvgreplay exit 0 (the replay finished, every job completed), got $vr_st: $(tail -n 3 $S/$vr_n.err | tr '\n' ' ')"
		return 1
	fi
	if ! grep -q '^nvgreplay-summary .* clock=virtual ' $S/$vr_n.sum; then
		echo "expected clock=virtual in the summary, got: $(head -n 1 $S/$vr_n.sum)"
		return 1
	fi
	if grep -q '^run .* ejected=1' $S/$vr_n.sum; then
		echo "expected no policy ejected, got: $(grep '^run .* ejected=1' $S/$vr_n.sum)"
		return 1
	fi
}

# results NAME: _frames, _missed (the game's frames and missed refreshes),
# _mhz_med (the median clock from 1.5 s of device time on) and _mhz_first
# (the clock at the replay's start: the policy has been attached since
# before nvgreplay's set-up, mode set and first vblank, so it may already
# have moved the clock from where vt_cold or warm left it).
results() {
	_frames=$(summary_value $S/$1.sum head 0 client=game frames)
	_missed=$(summary_value $S/$1.sum client 0 name=game missed)
	_mhz_med=$(awk -F, 'NR > 1 && $2 >= 1500000000 { print $3 }' $S/$1/samples.csv | sort -n |
		awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "" }')
	_mhz_first=$(awk -F, 'NR == 2 { print $3 }' $S/$1/samples.csv)
	echo "# $1: frames $_frames, missed $_missed, clock at the start ${_mhz_first} MHz, median clock from 1.5 s on ${_mhz_med} MHz (bottom $FMIN_MHZ, top $TOP_MHZ)"
}

# check_policy_game NAME: the four checks on results' numbers.
check_policy_game() {
	check_cmp "$1_frames_presented" "$_frames" ge 162 "frames of the game presented in 3 s at 60 Hz (90% of 180)"
	check_cmp "$1_clock_not_stuck_low" "$_mhz_med" gt "$FMIN_MHZ" "median clock from 1.5 s on, MHz (the bottom p-state, where a 2 ms frame takes 24 ms)"
	check_cmp "$1_deadlines_met" $((${_missed:-999999} * 10)) le "${_frames:-0}" "missed refreshes x 10 ($_missed missed of $_frames frames; expected at most 10%)"
	check_cmp "$1_clock_below_top" "$_mhz_med" lt "$TOP_MHZ" "median clock from 1.5 s on, MHz, with $_missed of $_frames frames missed (the top clock is more than a 2.5 ms frame needs)"
}

check modprobe nvg_load clock=virtual
FMAX=$(awk '{ print $NF }' $DF/available_frequencies)
FMIN=$(awk '{ print $1 }' $DF/available_frequencies)
TOP_MHZ=$((FMAX / 1000000)); FMIN_MHZ=$((FMIN / 1000000))
check rmmod_probe nvg_unload

# The reference: the same game held at the top clock.
if check top_cold vt_cold && check top_replay vt_replay top --policy performance; then
	results top
	check_cmp top_frames_presented "$_frames" ge 162 "frames of the game presented in 3 s at 60 Hz (90% of 180)"
	check_cmp top_at_top "$_mhz_med" eq "$TOP_MHZ" "median clock under performance, MHz"
	check_cmp top_deadlines_met "$_missed" eq 0 "refreshes missed at the top clock (2.5 ms frames at most, 16.7 ms refresh)"
fi

for prof in gaming balanced; do
	if check ${prof}_steady_cold vt_cold && check ${prof}_steady_replay vt_replay ${prof}_steady --policy $prof; then
		results ${prof}_steady
		check_policy_game ${prof}_steady
	fi
done

# Warm: the GPU at the top clock when gaming is attached (performance held
# it there, then let go; gaming_warm_at_top checks it); gaming must bring it
# down to what the frame needs.
warm() {
	vt_cold || return 1
	nvgpolicy load $NVG_PROFILES/performance.bpf.o > /dev/null || return 1
	advance 200000000
	clock_is "$FMAX" || return 1
	nvgpolicy unload performance > /dev/null
}
if check gaming_warm_at_top warm && check gaming_warm_replay vt_replay gaming_warm --policy gaming; then
	results gaming_warm
	check_policy_game gaming_warm
fi

check rmmod nvg_unload
check dmesg_clean dmesg_clean
