#!/bin/sh
# The main job (make run), guest side: load the driver, show the device, then
# run the same contended workload twice -- a game-like interactive client
# (a 1 ms frame every 10 ms) against a very heavy low-priority hog (50 ms
# jobs, two in flight), all on the compute engine -- first under the built-in
# default scheduler, then under a BPF policy (gaming.bpf.o, or fifo.bpf.o
# while gaming is not in the image), and compare them side by side.
#
# Then the power part (tests/vm/demo-power.sh): a heavier frame loop under
# the default devfreq governor and under each power profile; the
# frame-pacing part (demo-pacing.sh); and the replay part (demo-replay.sh):
# the first part's workload as a trace, replayed by nvgreplay in virtual
# time under gaming and fifo.
#
# For the host (scripts/run-demo.sh), between marker lines on the console:
#   ==== BEGIN TABLE / ==== END TABLE    the comparison
#   ==== BEGIN CSV / ==== END CSV        csv:RUN:CLIENT:<submit s>,<latency ms>,<start latency ms>
#   ==== BEGIN POWERTABLE, POWERCSV      the power part's (demo-power.sh)
#   ==== BEGIN PACETABLE, PACECSV        the frame-pacing part's (demo-pacing.sh)
#   ==== BEGIN VREPLAYTABLE, VREPLAYCSV  the replay part's (demo-replay.sh)
. /test/lib.sh

SECS=5
WORKLOAD="interactive:game,period=10,cost=1 hog:hog"

step() { printf '\n==> %s\n' "$*"; }

# arb_counters: "by_policy by_default preemptions" of gpu0 so far.
arb_counters() {
	awk '$1 == "dispatched_by_policy:" { p = $2 } $1 == "dispatched_by_default:" { d = $2 }
	     $1 == "preemptions:" { x = $2 } END { print p + 0, d + 0, x + 0 }' $DBG/gpu0/arbiter
}

# bench LABEL: the workload, with results in /tmp/LABEL.out, CSVs /tmp/LABEL-*.csv.
bench() {
	_before=$(arb_counters)
	nvgbench -t $SECS -o "/tmp/$1" $WORKLOAD > "/tmp/$1.out" 2>&1
	_rc=$?
	cat "/tmp/$1.out"
	echo "$_before $(arb_counters)" | awk '{
		printf "arbiter (gpu0, this run): %d jobs dispatched by the policy, %d by the default, %d preemptions\n",
		       $4 - $1, $5 - $2, $6 - $3 }'
	[ $_rc -eq 0 ] || echo "demo: nvgbench failed (exit status $_rc)"
	return $_rc
}

# field FILE CLIENT KEY: a value from a client's nvgbench result line; KEY
# is a plain key (missed) or GROUP.KEY (lat_us.p99, start_us.p50).
field() {
	grep "^nvgbench: client=$2 " "$1" | awk -v k="$3" '{
		g = ""; key = k
		if (index(k, ".")) { g = substr(k, 1, index(k, ".") - 1); key = substr(k, index(k, ".") + 1) }
		in_g = (g == "")
		for (i = 1; i <= NF; i++) {
			if ($i !~ /=/) { in_g = (g == "" || $i == g); continue }
			if (in_g && index($i, key "=") == 1) { print substr($i, length(key) + 2); exit }
		}
	}'
}
us_to_ms() { [ -n "$1" ] && awk -v v="$1" 'BEGIN { printf "%.2f", v / 1000 }' || echo "?"; }

step "modprobe nvghost"
nvg_load || { echo "modprobe nvghost failed"; exit 1; }
dmesg | grep 'nvghost.*GPU' | tail -n 1 | sed 's/^\[[ 0-9.]*\] /  /'

step "nvginfo"
nvginfo || exit 1

POLICY=$NVG_PROFILES/gaming.bpf.o
NOTE=
if [ ! -f "$POLICY" ]; then
	POLICY=$NVG_PROFILES/fifo.bpf.o
	NOTE="gaming.bpf.o is not in this image (profiles/gaming.bpf.c not built yet): the policy run uses fifo.bpf.o instead"
fi
PNAME=$(basename "$POLICY" .bpf.o)

step "workload, ${SECS} s: nvgbench $WORKLOAD"
echo "  game: interactive, one 1 ms job every 10 ms, waits for each (deadline: 10 ms)"
echo "  hog:  veryheavy on a LOW priority channel, 50 ms jobs back to back, 2 in flight"

step "run 1: built-in default scheduler (no policy attached)"
echo "  hook sched: $(status_field sched state), policy $(status_field sched policy)"
bench default || exit 1

step "nvgpolicy load $POLICY"
[ -n "$NOTE" ] && echo "NOTE: $NOTE"
nvgpolicy load "$POLICY" || exit 1
EJ0=$(status_field sched ejected_total)

step "run 2: policy $PNAME"
bench "$PNAME" || exit 1
EJ1=$(status_field sched ejected_total)
EJECTED=
if [ "$EJ0" != "$EJ1" ]; then
	EJECTED="the $PNAME policy was EJECTED during run 2 ($(status_field sched last_reason)): part of run 2 ran under the default"
	echo "WARNING: $EJECTED"
fi

step "nvgpolicy status"
nvgpolicy status || exit 1

step "nvgpolicy unload $PNAME"
nvgpolicy unload "$PNAME" || exit 1
echo "  hook sched: $(status_field sched state)"

step "default vs $PNAME"
D=/tmp/default.out
P=/tmp/$PNAME.out
echo "==== BEGIN TABLE"
printf '%-34s %14s %14s\n' "${SECS} s each, game vs hog" "default" "$PNAME"
for k in p50 p99 max; do
	printf '%-34s %14s %14s\n' "frame latency $k (ms)" \
		"$(us_to_ms "$(field $D game lat_us.$k)")" "$(us_to_ms "$(field $P game lat_us.$k)")"
done
for k in p50 p99 max; do
	printf '%-34s %14s %14s\n' "  of it, wait to run $k (ms)" \
		"$(us_to_ms "$(field $D game start_us.$k)")" "$(us_to_ms "$(field $P game start_us.$k)")"
done
printf '%-34s %14s %14s\n' "missed deadlines (> 10 ms)" \
	"$(field $D game missed)" "$(field $P game missed)"
printf '%-34s %14s %14s\n' "hog throughput (jobs/s)" \
	"$(field $D hog throughput | sed 's|/s$||')" "$(field $P hog throughput | sed 's|/s$||')"
printf '%-34s %14s %14s\n' "hog longest wait for a job (ms)" \
	"$(field $D hog starved_max_gap_ms)" "$(field $P hog starved_max_gap_ms)"
echo "frame latency: submit to signal, what the game sees; wait to run: submit until the"
echo "job started on the GPU (timestamped by the GPU), the part the scheduler decides."
[ -n "$NOTE" ] && echo "note: $NOTE"
[ -n "$EJECTED" ] && echo "note: $EJECTED"
echo "==== END TABLE"

# The per-job CSVs, for the host (there is no shared folder in this boot).
echo "==== BEGIN CSV"
for run in default "$PNAME"; do
	for c in game hog; do
		[ -f "/tmp/$run-$c.csv" ] && sed "s/^/csv:$run:$c:/" "/tmp/$run-$c.csv"
	done
done
echo "==== END CSV"
echo "demo: $(cat /tmp/*.csv | wc -l) per-job CSV lines sent to the host (csv:RUN:CLIENT:...)"

# The power part: its own table and samples (tests/vm/demo-power.sh).
. /test/demo-power.sh

# The frame-pacing part: its own table and flip intervals (demo-pacing.sh).
. /test/demo-pacing.sh

nvg_unload

# The replay part: the scheduling part's workload replayed in virtual time
# (tests/vm/demo-replay.sh), gaming vs fifo, with its table and CSVs.
. /test/demo-replay.sh

dmesg_clean >/dev/null || { echo "kernel warnings:"; dmesg_clean; exit 1; }
echo
echo "demo: done"
