#!/bin/sh
# make bench's calibration lines (issue 15, item 5), run by bench-vtime.sh
# after its goals; alone: tests/vm/run-vm.sh nvg.script=/test/bench-calib.sh
#
# The interference measurement of the real H100 (traces/real/README.md,
# "Interference"), replayed in virtual time on chip gh100 under the
# built-in default policy: an interactive client sending a two-kernel
# request every 5 ms, alone, beside a hog of 20 ms spin kernels and beside
# a hog of 10-16 ms matmuls (traces/real/h100-2026-12-06/calib/, written by
# traces/real/mkcalib.py). Per condition and statistic one line, the real
# GPU's figure (calib/real.txt, from interference.json) beside the
# simulated one and their ratio:
#
#   bench: vtime calib COND STAT real_ms=R sim_ms=S ratio=sim/real value=S/R
#
# COND alone, beside_sleep_hog, beside_matmul_hog; STAT p50, p90, p99, max
# of the request's launch to completion: on the real GPU by the wall clock
# (perf_counter before the first launch to the return of the event's
# synchronize), in the replay from the first kernel's arrival (its submit)
# to the second kernel's completion in device time (nvgreplay --csv). Then
# a "what_if" line per hog: the same replay with the module's default
# timeslice at 2 ms (sched_slice_us=2000, NVIDIA's inferred slice), to show
# which parameter explains the difference; the default is not changed.
# Then the same three replays under the timeslice profile
# (profiles/timeslice.bpf.c: NVIDIA-like time-slicing, a 2 ms slice per
# context rather than per job, renewed while nobody else waits):
#
#   bench: vtime calib timeslice COND STAT real_ms=R sim_ms=S ratio=sim/real value=S/R
#
# No goal: these lines are comparisons, not pass/fail.
# Exit status: the number of replays that failed.
. /test/lib.sh
C=/usr/share/nvghost/traces/real/calib
S=/tmp/calib
crc=0
SL=
mkdir -p $S

lsmod | grep -q '^nvghost ' && nvg_unload
# One CPU: the same decisions (a virtual-clock replay), less wall time
# under TCG; bench-vtime.sh, which runs this, does the same.
NCPU0=$(grep -c '^processor' /proc/cpuinfo)
one_cpu > /dev/null

# calib_replay NAME TRACE [MODULE-PARAMS...]: a fresh gh100 on the virtual
# clock at its top clock (the H100 ran at its 1980 MHz maximum throughout,
# but for the matmul hog's power-bound window), the trace replayed under
# the built-in default, or under policy $POL if set; the per-job CSV in
# $S/NAME/.
POL=
calib_replay() {
	_n=$1; _t=$2; shift 2
	lsmod | grep -q '^nvghost ' && nvg_unload
	if ! nvg_load chip=gh100 clock=virtual "$@"; then
		echo "bench: error vtime calib $_n: modprobe nvghost chip=gh100 clock=virtual $* failed: $(dmesg | tail -n 2 | tr '\n' ' ')"
		return 1
	fi
	pin_max_clock 0 || echo "bench: error vtime calib $_n: cannot pin the top clock"
	read -r _u0 _ < /proc/uptime
	nvgreplay -q "$C/$_t" ${POL:+--policy "$POL"} --csv "$S/$_n" --summary "$S/$_n.sum" > "$S/$_n.out" 2> "$S/$_n.err"
	_st=$?
	read -r _u1 _ < /proc/uptime
	echo "bench: vtime replay calib_$_n trace=real/calib/$_t args=\"chip=gh100 $*\" policy=${POL:-default} exit=$_st guest_wall_s=$(awk -v a="$_u0" -v b="$_u1" 'BEGIN { printf "%.1f", b - a }')"
	[ -s "$S/$_n.sum" ] && sed "s/^/vtime-summary calib_$_n: /" "$S/$_n.sum"
	if [ "$_st" -ne 0 ] || [ ! -s "$S/$_n/jobs.csv" ]; then
		echo "bench: error vtime calib $_n: nvgreplay exit $_st: $(tail -n 3 "$S/$_n.err" | tr '\n' ' ')"
		return 1
	fi
	if ! grep -q '^nvgreplay-summary .* clock=virtual chip=gh100 ' "$S/$_n.sum"; then
		echo "bench: error vtime calib $_n: not a virtual-clock replay on gh100: $(head -n 1 "$S/$_n.sum")"
		return 1
	fi
	if grep -q '^run .* ejected=1' "$S/$_n.sum"; then
		echo "bench: error vtime calib $_n: policy $POL ejected: $(grep '^run ' "$S/$_n.sum")"
		return 1
	fi
}

# requests NAME: the interactive client's request latencies, ns, one a line:
# request k is jobs 2k-1 and 2k (or job 2k alone, in the one-job-per-request
# what-if), from the first one's arrival to job 2k's end. A request with a
# job that never ran is printed as "lost".
requests() {
	awk -F, 'NR > 1 && $2 == "interactive" { arr[$3] = $6; end[$3] = $9; if ($3 > n) n = $3 }
	END {
		for (i = 2; i <= n; i += 2) {
			a = ((i - 1) in arr) ? arr[i - 1] : arr[i]
			if (!(i in end) || end[i] < 0 || ((i - 1) in end && end[i - 1] < 0)) print "lost"
			else print end[i] - a
		}
	}' "$S/$1/jobs.csv"
}

# stat P: the P quantile (0..1; "max") of the sorted numbers on stdin, as
# traces/real/common.py's pct() takes it (the value at round(P * (n - 1))).
stat() {
	sort -n | awk -v p="$1" '{ v[n++] = $1 } END {
		if (!n) { print "n/a"; exit }
		i = (p == "max") ? n - 1 : int(p * (n - 1) + 0.5)
		if (i > n - 1) i = n - 1
		printf "%.3f\n", v[i] / 1e6 }'
}

# compare NAME COND [LABEL]: one line per statistic of replay NAME against
# real.txt's COND line; LABEL (default COND) names the lines.
compare() {
	requests "$1" > "$S/$1.req"
	if grep -q '^lost$' "$S/$1.req"; then
		echo "bench: error vtime calib $1: $(grep -c '^lost$' "$S/$1.req") requests did not complete"
		crc=$((crc + 1))
	fi
	for st in p50:0.50 p90:0.90 p99:0.99 max:max; do
		_k=${st%%:*}
		_r=$(awk -v c="$2" -v k="${_k}_ms=" '$1 == c { for (i = 2; i <= NF; i++) if (index($i, k) == 1) print substr($i, length(k) + 1) }' $C/real.txt)
		_s=$(grep -v '^lost$' "$S/$1.req" | stat "${st#*:}")
		_x=$(awk -v a="$_s" -v b="$_r" 'BEGIN { if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b == 0) print "n/a"; else printf "%.3f\n", a / b }')
		echo "bench: vtime calib ${3:-$2} $_k real_ms=${_r:-n/a} sim_ms=$_s ratio=sim/real value=$_x"
	done
}

echo "bench: vtime calib chip=gh100 policy=default real=$C/real.txt (H100 80GB HBM3, driver 580.159.04, 2026-12-06)"
for c in alone:interactive_alone beside_sleep_hog:interactive_vs_sleep_hog beside_matmul_hog:interactive_vs_matmul_hog; do
	if calib_replay "${c%%:*}" "${c#*:}.nvgt.jsonl"; then
		[ -n "$SL" ] || SL=$(cat /sys/module/nvghost/parameters/sched_slice_us)
		compare "${c%%:*}" "${c%%:*}"
	else
		crc=$((crc + 1))
	fi
done
echo "bench: vtime calib default_slice_us=${SL:-?} requests=$(wc -l < "$S/alone.req" 2>/dev/null || echo 0)"

# The same under the timeslice profile: what a policy that slices like
# NVIDIA's hardware (per context, 2 ms, renewed) makes of it.
POL=timeslice
echo "bench: vtime calib chip=gh100 policy=timeslice $(nvgpolicy list --available 2>/dev/null | awk '$1 == "timeslice" { getline; print $2, $3; exit }')"
for c in alone:interactive_alone beside_sleep_hog:interactive_vs_sleep_hog beside_matmul_hog:interactive_vs_matmul_hog; do
	if calib_replay "ts_${c%%:*}" "${c#*:}.nvgt.jsonl"; then
		compare "ts_${c%%:*}" "${c%%:*}" "timeslice ${c%%:*}"
	else
		crc=$((crc + 1))
	fi
done
POL=

# What explains the difference (bench/README.md): the slice length (what if
# it were NVIDIA's ~2 ms, inferred from the real waits), and what the slice
# is given to (what if each request were one job: nvghost slices jobs, so a
# request's second kernel waits for a slice of its own; NVIDIA slices
# contexts, whose queued kernels all run in their turn).
for c in beside_sleep_hog:interactive_vs_sleep_hog beside_matmul_hog:interactive_vs_matmul_hog; do
	if calib_replay "${c%%:*}_slice2ms" "${c#*:}.nvgt.jsonl" sched_slice_us=2000; then
		compare "${c%%:*}_slice2ms" "${c%%:*}" "what_if_slice_2ms ${c%%:*}"
	else
		crc=$((crc + 1))
	fi
done
for c in default: slice_2ms:sched_slice_us=2000; do
	if calib_replay "1job_${c%%:*}" interactive_vs_sleep_hog_1job.nvgt.jsonl ${c#*:}; then
		compare "1job_${c%%:*}" beside_sleep_hog "what_if_one_job_per_request_${c%%:*} beside_sleep_hog"
	else
		crc=$((crc + 1))
	fi
done

lsmod | grep -q '^nvghost ' && { nvg_unload || { echo "bench: error vtime calib: rmmod nvghost failed"; crc=$((crc + 1)); }; }
[ "$NCPU0" -gt 1 ] && all_cpus
exit "$crc"
