#!/bin/sh
# The power hook's client attribution is the policy's (issue 12, item 0):
# ops.client_key() maps each source of a period's per-client numbers (a
# DRM file's GPU time, a head's frames) to a client key, and the table
# select() sees has one entry per key. In virtual time (deterministic), on
# traces/synthetic/short/game-hog-3s.jsonl (a vsync'd game on head 0 and a
# low-priority hog, each its own process):
#   - built in (power_watch, no client_key): one client per process, so
#     the game and the hog are two entries;
#   - power_client_key (tests/vm/bpf/power_client_key.bpf.c) counts both
#     for key 7: select() sees one client, key 7, holding every frame the
#     head showed and both processes' GPU time; client_key() was asked for
#     files' GPU time and the head's frames, with the source's pid, client
#     id, head, comm and priority class as documented;
#   - bad_client_key answers a key above U32_MAX: the policy is ejected
#     (error_invalid, op client_key), the replay goes on.
. /test/lib.sh
T=$NVG_TESTBPF
TR=/usr/share/nvghost/traces/short/game-hog-3s.jsonl
S=/tmp/vtattr
CARD=/dev/dri/card0
DF=/sys/class/devfreq/nvghost.0
mkdir -p $S

lsmod | grep -q '^nvghost ' && nvg_unload

# snap MAP: dump a policy's globals; val NAME reads one from that dump.
snap() { bpftool map dump name "$1" > $S/bss 2>&1; }
val() { sed -n "s/.*\"$1\": \([0-9-]*\).*/\1/p" $S/bss | tail -n 1; }

# vt_fresh: a fresh device on the virtual clock, governor nvg_power_ops.
vt_fresh() {
	lsmod | grep -q '^nvghost ' && { nvg_unload || return 1; }
	nvg_load clock=virtual || return 1
	echo nvg_power_ops > $DF/governor
}

# vt_replay NAME: replay $TR under whatever policy is attached; fails,
# saying why, if the replay failed or lost a job or was not virtual.
vt_replay() {
	nvgreplay -q "$TR" --summary $S/$1.sum > $S/$1.out 2> $S/$1.err
	vr_st=$?
	if [ "$vr_st" -ne 0 ]; then
		echo "expected nvgreplay exit 0 (every job completed), got $vr_st: $(tail -n 3 $S/$1.err | tr '\n' ' ')"
		return 1
	fi
	grep -q '^nvgreplay-summary .* clock=virtual ' $S/$1.sum ||
		{ echo "expected clock=virtual in the summary, got: $(head -n 1 $S/$1.sum)"; return 1; }
}

ncpu=$(one_cpu)
echo "# replaying on $ncpu CPU(s)"

# Built in: one entry per process.
if check default_fresh vt_fresh && check default_watch_load nvgpolicy load $T/power_watch.bpf.o &&
   check default_replay vt_replay default; then
	snap power_wa.bss
	echo "# built-in keys: $(val periods) periods, at most $(val max_clients) clients, frames $(val frames) of $(val dev_frames)"
	check_cmp default_periods "$(val periods)" gt 50 "select() calls over 3 s of device time (every 50 ms)"
	check_cmp default_two_clients "$(val max_clients)" eq 2 "most clients in a period's table under the built-in keys (the game and the hog, one per process)"
	check_cmp default_head_flipped "$(val dev_frames)" gt 0 "frames the head showed"
	check_cmp default_frames_counted "$(val frames)" eq "$(val dev_frames)" "frames of the presenting client, summed (the head's frames, all the game's)"
	check default_watch_unload nvgpolicy unload power_watch
fi

# The policy's keys: everything named game or hog is client 7.
if check policy_fresh vt_fresh && check policy_load nvgpolicy load $T/power_client_key.bpf.o &&
   check policy_replay vt_replay policy; then
	snap power_cl.bss
	echo "# client_key: $(val key_calls) calls ($(val busy_calls) GPU time, $(val frames_calls) frames, $(val nofile_frames) of them from a commit with no file), $(val periods) periods, at most $(val max_clients) clients, other keys $(val other_clients), key 7: frames $(val key7_frames) of $(val dev_frames), busy $(val key7_busy_ns) ns"
	check_eq policy_attached "$(status_field power state)" attached
	check_cmp client_key_asked_busy "$(val busy_calls)" gt 0 "client_key() calls for a file's GPU time"
	check_cmp client_key_asked_frames "$(val frames_calls)" gt 0 "client_key() calls for a head's frames"
	check_cmp client_key_op_count "$(op_count power client_key)" eq "$(val key_calls)" "client_key calls in the hook's status (the policy counted $(val key_calls))"
	check_cmp client_key_source_as_documented "$(val bad_src)" eq 0 "client_key() calls with a source not as documented (kind/head/pid/dflt, a file's GPU time with no client id)"
	check_cmp client_key_game_prio "$(val game_prio)" eq 2 "the game's priority class + 1 (normal)"
	check_cmp client_key_hog_prio "$(val hog_prio)" eq 1 "the hog's priority class + 1 (low)"
	check_cmp policy_one_client "$(val max_clients)" eq 1 "most clients in a period's table with the game and the hog keyed 7"
	check_cmp policy_no_other_key "$(val other_clients)" eq 0 "table entries with a key other than 7"
	check_cmp policy_key7_has_all_frames "$(val key7_frames)" eq "$(val dev_frames)" "frames of client 7, summed (the head's frames, all the game's)"
	check_cmp policy_head_flipped "$(val dev_frames)" gt 0 "frames the head showed"
	check_cmp policy_key7_busy "$(val key7_busy_ns)" gt 1000000000 "GPU time of client 7, ns (the hog keeps the GPU busy)"
	check policy_unload nvgpolicy unload power_client_key
fi

# A key above U32_MAX ejects; the replay goes on under the built-in keys.
if check bad_fresh vt_fresh && check bad_load nvgpolicy load $T/bad_client_key.bpf.o &&
   check bad_replay vt_replay bad; then
	check_eq bad_client_key_ejected "$(status_field power state)" ejected
	status_has bad_client_key_kind power last_exit 'kind=error_invalid(1027) op=client_key'
	status_has bad_client_key_msg power last_msg 'client_key() returned key 4294967296'
fi
nvgpolicy unload bad_client_key >/dev/null 2>&1

all_cpus
echo simple_ondemand > $DF/governor 2>/dev/null
check rmmod nvg_unload
check dmesg_clean dmesg_clean
