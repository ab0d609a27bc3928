#!/bin/sh
# make bench's managed-memory section (issue 16, item 6): per memory policy
# (the built-in default, lru, lfu, stride, quota; stride1 is stride with
# ahead_blocks=1, not counted as a shipped policy in the goals) per workload (uvm_test
# vbench: seq, cyclic, random, hotcold, strided, llm) at 0.5x, 1x, 1.5x and
# 2x the managed VRAM budget (module parameter uvm_vram_mb, 8 MiB: the
# ratios matter, not the size), on the virtual clock (clock=virtual): the
# completion time is device time from the cost model, not the emulator's
# speed, so one run per cell is the answer. Then the latency-critical
# client beside a streaming tenant of 2x the budget (uvm_test vtenants),
# alone, under the default and under quota; then the issue's goals.
# tests/vm/bench.sh runs it after bench-vtime.sh; alone:
#   tests/vm/run-vm.sh nvg.script=/test/bench-uvm.sh
# (nvg.uvmb=quick on the guest's command line: default and stride on the
# seq, cyclic and llm patterns at 1.5x only, each twice: a quick look and
# a determinism check).
#
# Lines: "bench: uvm policy=P ratio=R ..." (one a cell, uvm_test's numbers),
# "bench: uvm-table ..." (the table), "bench: uvm-tenants ...", "bench:
# uvm-goal NAME ... met|missed|not_measured". Without a virtual clock the
# table is measured on the live clock (device time is then PTIMER, i.e.
# host time: a reference only) and the lines say vtime=0.
# Exit status: the number of runs that failed.
. /test/lib.sh
DEV=/dev/dri/renderD128
P=$NVG_PROFILES
S=/tmp/uvmb
BUDGET=8
PASSES=4
POLICIES="default lru lfu stride quota stride1"
PATTERNS="seq cyclic random hotcold strided llm"
RATIOS="0.5 1.0 1.5 2.0"
REPEAT=1
grep -q 'nvg.uvmb=quick' /proc/cmdline && {
	POLICIES="default stride"; PATTERNS="seq cyclic llm"; RATIOS="1.5"; REPEAT=2
}
rc=0
mkdir -p $S
rm -f $S/*

CLOCK=clock=virtual
lsmod | grep -q '^nvghost ' && nvg_unload
# one CPU: each fault is a few thread hand-offs, far faster on one vCPU
# (docs/architecture.md, "Speed, and where the time goes")
ncpu=$(one_cpu)
uvm_load() {
	lsmod | grep -q '^nvghost ' && { nvg_unload || return 1; }
	# shellcheck disable=SC2086
	nvg_load $CLOCK uvm_vram_mb=$BUDGET
}
uvm_load || { echo "bench: error uvm: modprobe nvghost $CLOCK uvm_vram_mb=$BUDGET failed"; all_cpus; exit 1; }
cm=live; [ -n "$CLOCK" ] && cm=virtual
echo "bench: uvm setup clock=$cm uvm_vram_mb=$BUDGET passes=$PASSES cpus=$ncpu"

# pol_load POLICY: attach it ("default": none); quota protects pid 1 here,
# which has no managed memory: it is LRU for everyone (its protection is
# measured by the tenants below).
pol_load() {
	case $1 in
	default) return 0 ;;
	quota) nvgpolicy load $P/quota.bpf.o --set protect_pid=1 -v > $S/pol.err 2>&1 ;;
	stride1) nvgpolicy load $P/stride.bpf.o --set ahead_blocks=1 -v > $S/pol.err 2>&1 ;;
	*) nvgpolicy load $P/$1.bpf.o -v > $S/pol.err 2>&1 ;;
	esac || { tail -n 25 $S/pol.err; return 1; }
}
pol_unload() { [ "$1" = default ] || nvgpolicy unload "${1%%[0-9]}" >/dev/null; }

t0=$(cut -d' ' -f1 /proc/uptime)
for pol in $POLICIES; do
	if ! pol_load $pol; then
		echo "bench: error uvm: nvgpolicy load $pol failed"
		rc=$((rc + 1))
		continue
	fi
	for pat in $PATTERNS; do
		for r in $RATIOS; do
			mb=$(awk -v r="$r" -v b=$BUDGET 'BEGIN { printf "%d", r * b }')
			k=1
			while [ $k -le $REPEAT ]; do
				uvm_test $DEV vbench $pat $mb $PASSES > $S/run.out 2>&1
				st=$?
				line=$(grep '^bench: uvm ' $S/run.out | head -n 1)
				if [ "$st" -ne 0 ] || [ -z "$line" ]; then
					echo "bench: error uvm policy=$pol pattern=$pat ratio=$r: uvm_test exit $st: $(grep -v '^bench' $S/run.out | tail -n 3 | tr '\n' ' ')"
					rc=$((rc + 1))
				fi
				[ -n "$line" ] && echo "$line" | sed "s/^bench: uvm /bench: uvm policy=$pol ratio=$r /" | tee -a $S/cells
				k=$((k + 1))
			done
		done
	done
	pol_unload $pol
	if nvgpolicy status 2>/dev/null | grep -q 'ejected_total: [1-9]'; then
		echo "bench: error uvm: $pol was ejected: $(nvgpolicy status 2>/dev/null | grep -i eject | head -n 2 | tr '\n' ' ')"
		rc=$((rc + 1))
	fi
done
t1=$(cut -d' ' -f1 /proc/uptime)

# f LINE KEY: KEY's value in a cell line
cell() {	# cell POLICY PATTERN RATIO KEY
	awk -v p="policy=$1" -v pat="pattern=$2" -v r="ratio=$3" -v k="$4=" '
		$3 == p && $4 == r && index($0, " " pat " ") {
			for (i = 1; i <= NF; i++) if (index($i, k) == 1) { print substr($i, length(k) + 1); exit }
		}' $S/cells 2>/dev/null
}

# The table: device time (ms), faults, MiB migrated in and out, MiB
# prefetched and the share of it never used before eviction, thrashing.
echo "bench: uvm-table policy  pattern  ratio  device_ms  faults  in_mib  out_mib  prefetch_mib  wasted_mib  wasted_pct  thrashing  data"
awk '
	function v(k,   i) { for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) return substr($i, length(k) + 2); return "" }
	$1 == "bench:" && $2 == "uvm" {
		pf = v("prefetched_kib") / 1024; w = v("prefetch_unused_kib") / 1024
		printf "bench: uvm-table %-7s %-8s %-5s %10.3f %7d %7.1f %8.1f %13.1f %11.1f %11s %10d  %s\n",
			v("policy"), v("pattern"), v("ratio"), v("device_us") / 1000, v("faults"),
			v("in_kib") / 1024, v("out_kib") / 1024, pf, w,
			(pf > 0 ? sprintf("%.1f", 100 * w / pf) : "-"), v("thrashing"), v("data")
	}' $S/cells
echo "bench: uvm table_runs=$(wc -l < $S/cells) guest_wall_s=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')"

# The latency-critical client (2 MiB, 20 jobs 0.5 ms apart) beside a
# tenant streaming 2x the budget: alone, then shared under the default,
# then under quota protecting it (its pid: the shell exec'ing uvm_test).
TEN_LC=2
TEN_STREAM=$((2 * BUDGET))
TEN_JOBS=20
tenants() {	# tenants NAME POLICY [alone]
	uvm_load || { echo "bench: error uvm-tenants: reload failed"; rc=$((rc + 1)); return; }
	sh -c "
		if [ $2 = quota ]; then nvgpolicy load $P/quota.bpf.o --set protect_pid=\$\$ >/dev/null || exit 99; fi
		exec uvm_test $DEV vtenants $TEN_LC $TEN_STREAM $TEN_JOBS $3" > $S/ten-$1.out 2>&1
	st=$?
	[ "$2" = quota ] && nvgpolicy unload quota >/dev/null
	line=$(grep '^bench: uvm-tenants ' $S/ten-$1.out | head -n 1)
	if [ "$st" -ne 0 ] || [ -z "$line" ]; then
		echo "bench: error uvm-tenants $1: exit $st: $(grep -v '^bench' $S/ten-$1.out | tail -n 3 | tr '\n' ' ')"
		rc=$((rc + 1))
	fi
	[ -n "$line" ] && echo "$line" | sed "s/^bench: uvm-tenants /bench: uvm-tenants run=$1 policy=$2 /" | tee -a $S/tenants
}
tenants alone default alone
tenants shared_default default
tenants shared_quota quota

# Goals (issue 16, item 6).
goal() {	# goal NAME VALUE OP TARGET TEXT
	awk -v n="$1" -v v="$2" -v op="$3" -v t="$4" -v txt="$5" 'BEGIN {
		if (v == "" || v == "n/a") { printf "bench: uvm-goal %s %s: not_measured\n", n, txt; exit }
		ok = (op == "ge") ? (v + 0 >= t + 0) : (v + 0 <= t + 0)
		printf "bench: uvm-goal %s %s value=%s target=%s%s %s\n", n, txt, v,
			op == "ge" ? ">=" : "<=", t, ok ? "met" : "missed"
	}'
}
# best shipped policy vs the default on PATTERN at 1.5x
speedup() {
	d=$(cell default $1 1.5 device_us)
	best=; bp=
	for pol in lru lfu stride quota; do
		x=$(cell $pol $1 1.5 device_us)
		[ -n "$x" ] || continue
		if [ -z "$best" ] || [ "$x" -lt "$best" ]; then best=$x; bp=$pol; fi
	done
	if [ -n "$d" ] && [ -n "$best" ] && [ "$best" -gt 0 ]; then
		echo "$(awk -v a="$d" -v b="$best" 'BEGIN { printf "%.2f", a / b }') $bp $d $best"
	fi
}
set -- $(speedup cyclic)
goal cyclic_1.5x_speedup "${1:-}" ge 3 "best=${2:-?} default_us=${3:-?} best_us=${4:-?}"
set -- $(speedup llm)
goal llm_1.5x_speedup "${1:-}" ge 3 "best=${2:-?} default_us=${3:-?} best_us=${4:-?}"

tv() { awk -v r="run=$1" -v k="$2=" '$3 == r { for (i = 1; i <= NF; i++) if (index($i, k) == 1) print substr($i, length(k) + 1) }' $S/tenants 2>/dev/null; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
a=$(tv alone lc_mean_us)
goal quota_lc_latency "$(ratio "$(tv shared_quota lc_mean_us)" "$a")" le 1.2 \
	"lc_mean_us_alone=${a:-?} shared_quota=$(tv shared_quota lc_mean_us) shared_default=$(tv shared_default lc_mean_us) default_ratio=$(ratio "$(tv shared_default lc_mean_us)" "$a") p95_ratio=$(ratio "$(tv shared_quota lc_p95_us)" "$(tv alone lc_p95_us)")"

# stride's wasted prefetch on its target patterns (scans: seq, cyclic, llm),
# over every ratio: prefetched MiB never used before eviction / prefetched
w=$(awk '
	function v(k,   i) { for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) return substr($i, length(k) + 2); return "" }
	$3 == "policy=stride" && (index($0, " pattern=seq ") || index($0, " pattern=cyclic ") || index($0, " pattern=llm ")) {
		p += v("prefetched_kib"); u += v("prefetch_unused_kib") }
	END { if (p > 0) printf "%.1f %.1f %.1f\n", 100 * u / p, p / 1024, u / 1024 }' $S/cells)
set -- $w
goal stride_wasted_prefetch_pct "${1:-}" le 30 "patterns=seq,cyclic,llm prefetched_mib=${2:-?} unused_mib=${3:-?}"

all_cpus >/dev/null 2>&1
nvg_unload || { echo "bench: error uvm: rmmod nvghost failed"; rc=$((rc + 1)); }
exit "$rc"
