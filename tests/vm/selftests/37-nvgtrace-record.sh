#!/bin/sh
# nvgtrace record (issue 15, item 1): a live run recorded from the driver's
# tracepoints (nvghost_job_submit, nvghost_job_signal, nvghost_frame_wait,
# nvghost_present) into an nvgtrace file that nvgreplay plays back.
#
# Behaviour only, nothing timed: recording an nvgbench run gives one client
# per nvgbench client (named after it, with its priority) holding exactly
# the jobs nvgbench completed, each of the cycles nvgbench submitted; its
# game becomes a game client on head 0 with one frame per presented frame;
# the file passes the strict reader and replays with every job completed.
# Recording an nvgreplay run of traces/synthetic/mixed.jsonl keeps its
# dependencies (a kernel waiting on its copy, on another engine of the same
# process). Clear errors: the module not loaded, not root.
. /test/lib.sh
T=/usr/share/nvghost/traces
[ -d $T ] || T=${NVG_TOOLS:-/nonexistent}/../traces/synthetic
OUT=/tmp/record
mkdir -p $OUT

# jv FILE CLIENT: the trace's job records of client named CLIENT, one a line
cid() { sed -n "s/^{\"type\": \"client\", \"id\": \([0-9]*\), \"name\": \"$2\".*/\1/p" "$1"; }
jobs_of() { grep "^{\"type\": \"job\", \"client\": $(cid "$1" "$2")," "$1"; }
# bv CLIENT KEY: KEY= of nvgbench's line for CLIENT (setup or result)
bv() { sed -n "s/^nvgbench: $3client=$1 .* $2=\([0-9]*\).*/\1/p" $OUT/bench.out | head -n 1; }

lsmod | grep -q '^nvghost ' && nvg_unload
nvgtrace record -q -o $OUT/x.jsonl --seconds 1 > $OUT/nomod.out 2>&1
check_eq record_no_module_exit "$?" 1
grep -q "the nvghost module is not loaded" $OUT/nomod.out && pass record_no_module_message ||
	fail record_no_module_message "expected 'the nvghost module is not loaded', got: $(head -c 200 $OUT/nomod.out)"

check modprobe nvg_load
# as an unprivileged user: whichever way this image has to drop root
asuser=
for w in "setpriv --reuid=65534 --regid=65534 --clear-groups" "busybox setuidgid nobody" "chpst -u nobody"; do
	[ "$($w id -u 2>/dev/null)" = 65534 ] && { asuser=$w; break; }
done
if [ -n "$asuser" ]; then
	$asuser nvgtrace record -q -o /tmp/x.jsonl --seconds 1 > $OUT/noroot.out 2>&1
	check_eq record_not_root_exit "$?" 1
	grep -q "needs root" $OUT/noroot.out && pass record_not_root_message ||
		fail record_not_root_message "expected 'needs root', got: $(head -c 200 $OUT/noroot.out)"
else
	skip record_not_root "no way to drop root in this image (setpriv --reuid, busybox setuidgid, chpst)"
fi

# -- an nvgbench run --
nvgtrace record -o $OUT/bench.jsonl -- nvgbench -t 2 heavy:h1 heavy:lo,prio=low,cost=1 \
	interactive:i1,period=10,cost=1 game:g,head=0,hz=60,cost=2 > $OUT/bench.out 2> $OUT/bench.err
check_eq record_bench_exit "$?" 0
sed 's/^/# /' $OUT/bench.out $OUT/bench.err | tail -n 12
nvgtrace check $OUT/bench.jsonl > $OUT/check.out 2>&1
check_eq record_bench_check "$?" 0
sed 's/^/# /' $OUT/check.out
for c in h1 lo i1; do
	n=$(jobs_of $OUT/bench.jsonl $c | wc -l)
	check_eq "record_bench_${c}_job_count" "$n jobs recorded" "$(bv $c jobs) jobs recorded"
	cyc=$(bv $c cycles setup\ )
	other=$(jobs_of $OUT/bench.jsonl $c | grep -vc "\"cycles\": $cyc}")
	check_eq "record_bench_${c}_cost" "$other jobs of another cost than $cyc cycles" "0 jobs of another cost than $cyc cycles"
done
grep -q '"name": "lo", "pid": [0-9]*, "prio": "low"' $OUT/bench.jsonl && pass record_bench_priority ||
	fail record_bench_priority "expected client lo with prio low, got: $(grep '"name": "lo"' $OUT/bench.jsonl)"
grep -q '"name": "g", .*"head": 0, "sync": "vsync"' $OUT/bench.jsonl && pass record_bench_game ||
	fail record_bench_game "expected client g as a game on head 0, got: $(grep '"name": "g"' $OUT/bench.jsonl)"
nf=$(grep -c "^{\"type\": \"frame\", \"client\": $(cid $OUT/bench.jsonl g)," $OUT/bench.jsonl)
check_eq record_bench_game_frames "$nf frames" "$(bv g jobs) frames"
gcyc=$(grep "^{\"type\": \"frame\", \"client\": $(cid $OUT/bench.jsonl g)," $OUT/bench.jsonl | grep -vc '"jobs": \[{"cycles": [0-9]*}\]}')
check_eq record_bench_game_one_job_per_frame "$gcyc frames not of one compute job" "0 frames not of one compute job"

# the recording replays, every job completing
nvgreplay -q $OUT/bench.jsonl > $OUT/replay.out 2> $OUT/replay.err
check_eq record_bench_replays "$?" 0
sed 's/^/# /' $OUT/replay.err | tail -n 5
done_h1=$(awk '/^client h1 /{ c = 1 } c && /jobs completed/ { print $NF; exit }' $OUT/replay.out)
check_eq record_bench_replay_h1_jobs "$done_h1" "$(bv h1 jobs)"

# -- dependencies: a recorded nvgreplay run of mixed.jsonl --
nvgtrace record -q -o $OUT/mixed.jsonl -- nvgreplay -q $T/mixed.jsonl > $OUT/mixed.out 2>&1
check_eq record_mixed_exit "$?" 0
# stream: job 2 (compute) waits for copy 1, job 7 for 5 and 6: two jobs with deps
check_eq record_mixed_deps "$(jobs_of $OUT/mixed.jsonl stream | grep -c '"deps": \[')" 2
check_eq record_mixed_stream_jobs "$(jobs_of $OUT/mixed.jsonl stream | wc -l)" 7
grep -q '"name": "stream", .*"engine": "compute"' $OUT/mixed.jsonl && jobs_of $OUT/mixed.jsonl stream | grep -q '"engine": "copy", "bytes": 1048576, "dir": "d2d"' &&
	pass record_mixed_copy_in_same_client || fail record_mixed_copy_in_same_client "expected stream's 1 MiB copy as a copy job of the same client: $(jobs_of $OUT/mixed.jsonl stream | head -n 2)"
nvgreplay -q $OUT/mixed.jsonl > $OUT/mixed-replay.out 2>&1
check_eq record_mixed_replays "$?" 0
check nvg_unload nvg_unload
check dmesg_clean dmesg_clean
