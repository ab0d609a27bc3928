#!/bin/sh
# nvgreplay: the trace player, live and in virtual time.
#
# Live clock (today's default): behaviour only, nothing timed. A trace with
# every kind of record (traces/synthetic/mixed.jsonl: copies of each
# direction, deps across engines, think times, cycles, a late-skip client,
# a game with frame waits, CPU time and an empty frame) and the shipped
# game and gaming-vs-hog traces replay to the end, every submitted job
# completes, the table has every client (and the head), the decision log
# is written with a hash; --policy/--vs replays once per policy and
# unloads it after; a policy ejected mid-replay is reported with its exit
# record while the replay completes; a bad trace is refused with its line and key, before
# anything is loaded.
#
# Virtual clock (module parameter clock=virtual): each shipped trace
# replayed N times (NVG_REPLAY_N, default 10) gives the same decision-log
# hash every time: the first replay on every CPU of the VM, the others on
# one (the other CPUs offline), which also shows that the number of CPUs
# does not change a decision; so does game-hog under the shipped gaming
# policy (name game-hog-gaming). No engine may plan late, run after the
# clock moved on, and nothing may run after a settle.
# NVG_REPLAY_N=3 NVG_REPLAY_TRACES="mixed game" on the kernel command line
# (tests/vm/run-vm.sh NVG_REPLAY_N=3 ...: init's environment) run fewer.
. /test/lib.sh
# the image's copy of traces/synthetic; on the 9p root, the project's
T=/usr/share/nvghost/traces
[ -d $T ] || T=${NVG_TOOLS:-/nonexistent}/../traces/synthetic
N=${NVG_REPLAY_N:-10}
OUT=/tmp/replay

# has_clients FILE NAME...: the table has a "client NAME" section for each.
has_clients() {
	_f=$1; shift
	for _c in "$@"; do
		grep -q "^client $_c (" "$_f" || { echo "no 'client $_c' section in the table"; return 1; }
	done
}

# replay_ok FILE LABEL: the replay under LABEL finished and no job was lost.
replay_ok() {
	grep -q "^replay $2: finished" "$1" || { grep "^replay $2" "$1"; echo "replay $2 did not finish"; return 1; }
	! grep -q "jobs did not complete" "$1.err" || { grep "did not complete" "$1.err"; return 1; }
}

# has_line NAME PATTERN FILE: PASS if a line of FILE matches PATTERN.
has_line() {
	if grep -q -- "$2" "$3"; then
		pass "$1"
	else
		fail "$1" "expected a line matching '$2' in $3, got: $(head -c 300 "$3" | tr '\n' '|')"
	fi
}

check modprobe nvg_load
mkdir -p $OUT

# -- live mode: behaviour --
nvgreplay -q $T/mixed.jsonl --log $OUT/mixed.log --csv $OUT/mixed --summary $OUT/mixed.sum > $OUT/mixed.out 2> $OUT/mixed.out.err
check_eq replay_mixed_exit_status "$?" 0
sed 's/^/# /' $OUT/mixed.out $OUT/mixed.out.err
check replay_mixed_finished replay_ok $OUT/mixed.out default
check replay_mixed_clients has_clients $OUT/mixed.out stream game tick bg
has_line replay_mixed_head '^head 0 (client game, vsync)' $OUT/mixed.out
# every job of the trace that was submitted completed: 45 compute/copy jobs
# of the non-games (tick may skip some), 12 frames presented
frames=$(awk '$1 == "frames" && $2 == "presented" { print $3 }' $OUT/mixed.out)
check_eq replay_mixed_frames_presented "$frames" 12
stream=$(awk -F, '$2 == "stream" && $9 >= 0' $OUT/mixed/jobs.csv | wc -l)
check_eq replay_mixed_stream_jobs_csv "$stream" 7
# deps held: job 2 (after the h2d copy 1) started after copy 1 ended
dep=$(awk -F, '$2 == "stream" && $3 == 1 { e = $9 } $2 == "stream" && $3 == 2 { s = $8 }
	END { print (s >= e && e > 0) ? "ok" : "job 2 started at " s ", copy 1 ended at " e }' $OUT/mixed/jobs.csv)
check_eq replay_mixed_dep_order "$dep" ok
has_line replay_mixed_log_hash 'decision log sha256 [0-9a-f]\{64\}' $OUT/mixed.out
has_line replay_mixed_log_renumbered 'nvghost_job_queue: gpu0 engine [0-9]* job 1 ctx 1 ' $OUT/mixed.log
check_eq replay_mixed_log_stripped "$(grep -v '^#' $OUT/mixed.log | grep -vc '^nvghost_') lines not starting with the event name" "0 lines not starting with the event name"
check_gt replay_mixed_samples "$(wc -l < $OUT/mixed/samples.csv)" 2
# --summary: the table's numbers as key=value lines (make bench's vtime
# section reads them): the header, one run line, a client line per client
# with the table's figures, the game's head line, the gpu line
has_line replay_mixed_summary_header '^nvgreplay-summary version=1 .* runs=1 clients=4$' $OUT/mixed.sum
has_line replay_mixed_summary_run '^run run=0 label=default policy=default status=finished span_ns=[1-9]' $OUT/mixed.sum
check_eq replay_mixed_summary_client_names "$(awk '$1 == "client" { for (i = 2; i <= NF; i++) if ($i ~ /^name=/) printf "%s ", substr($i, 6) }' $OUT/mixed.sum)" \
	"stream game tick bg "
sumframes=$(awk '$1 == "head" { for (i = 2; i <= NF; i++) if ($i ~ /^frames=/) print substr($i, 8) }' $OUT/mixed.sum)
check_eq replay_mixed_summary_head_frames "$sumframes" "$frames"
# the same p99 as the table's row, in ns there, us here
tp99=$(awk '/^client stream /{ c = 1 } c && /submit-to-run p99/ { print $NF; exit }' $OUT/mixed.out)
sp99=$(awk '$1 == "client" && / name=stream / { for (i = 2; i <= NF; i++) if ($i ~ /^s2r_p99_ns=/) printf "%.0f", substr($i, 12) / 1000 }' $OUT/mixed.sum)
check_eq replay_mixed_summary_s2r_p99_matches_table "$sp99" "$tp99"
has_line replay_mixed_summary_gpu '^gpu run=0 label=default gpu=0 have=[01] energy_j=' $OUT/mixed.sum

# the shipped game: flips on head 0 at 60 Hz
nvgreplay -q $T/game.jsonl > $OUT/game.out 2> $OUT/game.out.err
check_eq replay_game_exit_status "$?" 0
check replay_game_finished replay_ok $OUT/game.out default
has_line replay_game_fps '^  fps ' $OUT/game.out

# two policies side by side, each unloaded after its replay
nvgreplay -q $T/bench-gaming.jsonl --policy gaming --vs fifo > $OUT/ab.out 2> $OUT/ab.out.err
check_eq replay_ab_exit_status "$?" 0
sed 's/^/# /' $OUT/ab.out $OUT/ab.out.err
check replay_ab_gaming_finished replay_ok $OUT/ab.out gaming
check replay_ab_fifo_finished replay_ok $OUT/ab.out fifo
check replay_ab_clients has_clients $OUT/ab.out game hog
has_line replay_ab_columns 'gaming  *fifo  *B/A' $OUT/ab.out
check_eq replay_ab_policies_unloaded "$(nvgpolicy list 2>&1 | grep -c -e gaming -e fifo)" 0

# a policy ejected mid-replay (policy_error: an error of its own on its 5th
# enqueue): its exit record is reported, the replay goes on under the
# default and every job completes
nvgreplay -q $T/mixed.jsonl --policy $NVG_TESTBPF/policy_error.bpf.o > $OUT/eject.out 2> $OUT/eject.out.err
check_eq replay_eject_exit_status "$?" 0
check replay_eject_finished replay_ok $OUT/eject.out policy_error
has_line replay_eject_reported 'policy .*policy_error.bpf.o was ejected and the replay went on under the built-in default: hook sched (policy_error): kind error_bpf, op enqueue, code 77' $OUT/eject.out
frames=$(awk '$1 == "frames" && $2 == "presented" { print $3 }' $OUT/eject.out)
check_eq replay_eject_frames_presented "$frames" 12

# a bad trace: refused with line and key, exit status 2
printf '{"nvgtrace": 1}\n{"type": "client", "id": 1, "name": "a"}\n{"type": "job", "client": 1, "id": 1, "t_ns": 0, "cost_ns": 1.5}\n' > $OUT/bad.jsonl
nvgreplay -q $OUT/bad.jsonl > $OUT/bad.out 2>&1
check_eq replay_bad_trace_exit_status "$?" 2
has_line replay_bad_trace_message "bad.jsonl:3: client 1 job 1: key 'cost_ns': 1.5 is not an integer" $OUT/bad.out

check nvg_unload nvg_unload

# -- virtual mode: determinism --
# Each replay on a freshly loaded module: the same module parameters, the
# device clock starting at 0, a cold GPU (a replay's decision log has
# absolute device times, and the power model's state carries over).
check modprobe_virtual nvg_load clock=virtual
mode=$(nvgreplay -q $T/mixed.jsonl 2>&1 | sed -n 's/.*clock \([a-z]*\), chip.*/\1/p' | head -n 1)
check_eq replay_clock_is_virtual "$mode" virtual
check nvg_unload_virtual nvg_unload
NCPU=$(grep -c '^processor' /proc/cpuinfo)
# late_plans: the clock's never-expected warnings so far (vclock_warnings, lib.sh)
late_plans() { vclock_warnings | wc -l; }
# det_check NAME TRACE [ARGS...]: TRACE replayed N times (nvgreplay ARGS)
# gives one decision-log hash.
det_check() {
	name=$1 tr=$2
	shift 2
	# NVG_REPLAY_TRACES="mixed game" (kernel command line) narrows the set
	case " ${NVG_REPLAY_TRACES:-$name} " in *" $name "*) ;; *) return 0 ;; esac
	first=
	same=0
	i=0
	late0=$(late_plans)
	where=
	while [ $i -lt "$N" ]; do
		w0=$(late_plans)
		# replay 0 on every CPU, the others on one (one_cpu, lib.sh):
		# the same decisions on 1 and 2 vCPUs, and faster
		if [ $i -eq 1 ]; then one_cpu >/dev/null; elif [ $i -eq 0 ]; then all_cpus; fi
		nvg_load clock=virtual || { fail "replay_virtual_load_$name" "modprobe nvghost clock=virtual failed"; break; }
		h=$(nvgreplay -q "$tr" "$@" --log $OUT/det-$name-$i.log 2>$OUT/det-$name-$i.err |
			sed -n 's/.*decision log sha256 \([0-9a-f]*\).*/\1/p')
		nvg_unload
		[ "$(late_plans)" -gt "$w0" ] && where="$where replay $i ($(grep -c '^processor' /proc/cpuinfo) CPU)"
		[ -z "$first" ] && first=$h
		if [ -n "$h" ] && [ "$h" = "$first" ]; then
			same=$((same + 1))
		else
			echo "# $name replay $i: sha256 $h differs from replay 0's $first; its stderr and replay 0's (a flip not armed in time, say):"
			sed 's/^/#   replay '$i': /' $OUT/det-$name-$i.err
			sed 's/^/#   replay 0: /' $OUT/det-$name-0.err
			echo "# first differences:"
			diff -U4 $OUT/det-$name-0.log $OUT/det-$name-$i.log | grep -v -e '^[-+]#' |
				sed -n '3,40p' | sed 's/^/#   /'
		fi
		i=$((i + 1))
	done
	all_cpus
	# an engine that planned for a time the clock had passed or ran after
	# it moved, work after a settle: a settle let the clock move on too
	# early (said with the hashes, so that a mismatch says whether that is why)
	late=$(($(late_plans) - late0))
	said=
	if [ "$late" -gt 0 ]; then
		vclock_warnings | tail -n 3 | sed 's/^/# /'
		# in the FAIL line too, which a CI log keeps: in which replay, and what
		said=" in$where, the first: $(vclock_warnings | sed -n "$((late0 + 1))p" | sed 's/^\[[ 0-9.]*\] //')"
	fi
	check_eq "replay_virtual_deterministic_$name" "$same/$N hashes equal to the first ($first, on $NCPU CPUs; the others on 1), late engine plans $late$said" \
		"$N/$N hashes equal to the first ($first, on $NCPU CPUs; the others on 1), late engine plans 0"
	rm -f $OUT/det-$name-*.log $OUT/det-$name-*.err
}
for tr in $T/*.jsonl; do
	det_check "$(basename "$tr" .jsonl)" "$tr"
done
# the same with a shipped policy deciding (its BPF program, its maps)
det_check game-hog-gaming $T/game-hog.jsonl --policy gaming
check dmesg_clean dmesg_clean
