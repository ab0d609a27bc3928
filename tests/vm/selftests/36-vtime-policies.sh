#!/bin/sh
# The policy orderings of 11-policies.sh, asserted in virtual time (issue
# 12, item 8): each comparison is an nvgreplay of a shipped trace on a
# fresh device with module parameter clock=virtual, the top clock pinned,
# so the numbers depend on the model and the policies only, never on how
# fast or loaded the host is (no best-of-two, no margins for TCG hiccups).
# The numbers come from nvgreplay's --summary (man/nvgreplay.1.scd), as in
# tests/vm/bench-vtime.sh, whose helpers this mirrors.
#   gaming_p99_below_fifo       bench-gaming: a game (1 ms every 10 ms)
#                               against a very heavy low-priority hog;
#                               the game's submit-to-run p99 is lower
#                               under gaming than under fifo
#   gaming_hog_throughput       ... and the hog keeps >= 0.95x fifo's jobs/s
#   gaming_p50_below_fifo       bench-gaming-3hogs: the game against three
#                               such hogs; its submit-to-signal p50 is
#                               lower under gaming than under fifo
#   gaming_misses_fewer_frames  ... and it misses fewer of its 10 ms
#                               deadlines (fifo misses nearly all of them)
#   fair_shares_more_than_fifo  short/heavy-veryheavy-3s: a heavy client
#                               (2.5 ms jobs) gets > 1.15x fifo's jobs/s
#                               against a very heavy one (50 ms) under fair
#   fair_weights_high_normal    fair-weights: two very heavy clients, HIGH
#                               and NORMAL, share 200:100 under fair (HIGH's
#                               jobs/s over NORMAL's within 5% of 2)
#   compute_default_never_preempts  short/heavy-veryheavy-3s under compute
#                               (100 ms slice, longer than any job): the
#                               arbiter preempts nothing
. /test/lib.sh
T=/usr/share/nvghost/traces
S=/tmp/vtp
mkdir -p $S

lsmod | grep -q '^nvghost ' && nvg_unload

preemptions() { awk '$1 == "preemptions:" { print $2 }' $DBG/gpu0/arbiter; }

# vt_pinned: a fresh device on the virtual clock (device time 0, idle,
# cold), top clock held: each comparison starts from the same state. No
# display heads: these traces use none (and before main's 8f8cc21 the fbdev
# console's modeset on a virtual clock waited 10 s a head for flips).
vt_pinned() {
	lsmod | grep -q '^nvghost ' && { nvg_unload || return 1; }
	nvg_load clock=virtual num_heads=0 || return 1
	pin_max_clock 0
}

# vt_replay NAME TRACE NVGREPLAY-ARGS...: replay $T/TRACE, summary in
# $S/NAME.sum. Fails, saying why, if the replay failed or lost a job
# (nvgreplay's exit status), did not run on the virtual clock, or a
# policy was ejected during it.
vt_replay() {
	vr_n=$1; vr_t=$2; shift 2
	nvgreplay -q "$T/$vr_t" "$@" --summary $S/$vr_n.sum > $S/$vr_n.out 2> $S/$vr_n.err
	vr_st=$?
	if [ "$vr_st" -ne 0 ]; then
		echo "expected nvgreplay exit 0 (every replay finished, every job completed), got $vr_st: $(tail -n 3 $S/$vr_n.err | tr '\n' ' ')"
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

# show NAME: the replay's summary in the log, behind the checks' lines.
show() { sed "s/^/# $1: /" $S/$1.sum; }

# sv NAME KIND RUN SEL KEY: KEY's value in $S/NAME.sum (summary_value).
sv() { summary_value "$S/$1.sum" "$2" "$3" "$4" "$5"; }

# ratio A B: A/B with 3 decimals, "n/a" when one is not a number or B is 0.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 == 0) { print "n/a"; exit }
		printf "%.3f\n", a / b }'
}

# order NAME METRIC VALUE OP TARGET SEEN: PASS if VALUE OP TARGET (OP: <
# <= >= >), else FAIL saying "expected METRIC OP TARGET" and the numbers SEEN.
order() {
	if awk -v v="$3" -v op="$4" -v t="$5" 'BEGIN {
		if (v !~ /^-?[0-9.]+$/) exit 1
		v += 0; t += 0
		exit !((op == "<" && v < t) || (op == "<=" && v <= t) ||
		       (op == ">=" && v >= t) || (op == ">" && v > t)) }'; then
		pass "$1 ($2=$3, want $4 $5; $6)"
	else
		fail "$1" "expected $2 $4 $5, seen $2=$3 ($6)"
		return 1
	fi
}

# game_fifo_over_gaming NAME CHECK KEY WHAT: replay NAME was --policy fifo
# --vs gaming; CHECK passes if the game's KEY (ns, WHAT) is larger under
# fifo than under gaming.
game_fifo_over_gaming() {
	f=$(sv "$1" client 0 name=game "$3"); g=$(sv "$1" client 1 name=game "$3")
	order "$2" fifo/gaming "$(ratio "$f" "$g")" ">" 1 \
		"game $4: fifo ${f:-?} ns, gaming ${g:-?} ns"
}

# (1) gaming against fifo: 11-policies' gaming_p99_below_fifo and the hog's
# progress, here with the hog's throughput kept.
if check gaming_vs_fifo_pinned vt_pinned &&
   check gaming_vs_fifo_replay vt_replay gvf bench-gaming.jsonl --policy fifo --vs gaming; then
	show gvf
	game_fifo_over_gaming gvf gaming_p99_below_fifo s2r_p99_ns "submit-to-run p99"
	f=$(sv gvf client 0 name=hog throughput); g=$(sv gvf client 1 name=hog throughput)
	r=$(ratio "$g" "$f")
	order gaming_hog_throughput gaming/fifo "$r" ">=" 0.95 \
		"hog jobs/s: fifo ${f:-?}, gaming ${g:-?}"
fi

# (1b) the same against three hogs: 11-policies' gaming_p50_below_fifo and
# gaming_misses_fewer_frames (live, a game against two very heavy clients,
# they depended on the host's speed: the debug kernel's slowness failed the
# second).
if check gaming_3hogs_pinned vt_pinned &&
   check gaming_3hogs_replay vt_replay g3 bench-gaming-3hogs.jsonl --policy fifo --vs gaming; then
	show g3
	game_fifo_over_gaming g3 gaming_p50_below_fifo s2s_p50_ns "submit-to-signal p50"
	f=$(sv g3 client 0 name=game missed); g=$(sv g3 client 1 name=game missed)
	d=$(sv g3 client 1 name=game deadlines)
	order gaming_misses_fewer_frames gaming_missed "${g:-?}" "<" "${f:-0}" \
		"game deadlines missed: fifo ${f:-?}, gaming ${g:-?} of ${d:-?}"
fi

# (2) fair against fifo: 11-policies' fair_shares_more_than_fifo.
if check fair_vs_fifo_pinned vt_pinned &&
   check fair_vs_fifo_replay vt_replay fvf short/heavy-veryheavy-3s.jsonl --policy fifo --vs fair; then
	show fvf
	f=$(sv fvf client 0 name=light throughput); a=$(sv fvf client 1 name=light throughput)
	r=$(ratio "$a" "$f")
	order fair_shares_more_than_fifo fair/fifo "$r" ">" 1.15 \
		"heavy client's jobs/s against a very heavy one: fifo ${f:-?}, fair ${a:-?}"
fi

# (3) fair's weights: 11-policies' fair_high_prio_weighs_more, here to 5%
# of the weights (200:100, profiles/fair.bpf.c). The two clients run the
# same jobs, so the ratio of jobs/s is the ratio of shares.
if check fair_weights_pinned vt_pinned &&
   check fair_weights_replay vt_replay fw fair-weights.jsonl --policy fair; then
	show fw
	h=$(sv fw client 0 name=high throughput); n=$(sv fw client 0 name=normal throughput)
	r=$(ratio "$h" "$n")
	dev=$(awk -v r="$r" 'BEGIN { if (r !~ /^[0-9.]+$/) print "n/a"; else { d = (r / 2 - 1) * 100; printf "%.1f\n", d < 0 ? -d : d } }')
	order fair_weights_high_normal deviation_pct "$dev" "<=" 5 \
		"HIGH jobs/s ${h:-?}, NORMAL ${n:-?}, HIGH/NORMAL=$r, weights 200:100, deviation_pct=|ratio/2-1|*100"
fi

# (4) compute's default slice (100 ms) is longer than any job here (50 ms
# at most): 11-policies' compute_default_never_preempts, on a workload
# where fifo's 5 ms slice does preempt.
if check compute_pinned vt_pinned; then
	p0=$(preemptions)
	if check compute_replay vt_replay cmp short/heavy-veryheavy-3s.jsonl --policy compute; then
		show cmp
		p=$(($(preemptions) - p0))
		order compute_default_never_preempts preemptions "$p" "<=" 0 \
			"arbiter preemptions during the replay under compute, slice_ms=100, jobs of 50 ms at most"
	fi
fi

check rmmod nvg_unload
check dmesg_clean dmesg_clean
