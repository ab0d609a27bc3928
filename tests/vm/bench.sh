#!/bin/sh
# The guest side of `make bench` (scripts/bench.sh on the host): load
# nvghost and vgem, run bench_submit, unload. Every result line starts with
# "bench: "; the exit status is the number of measurements that failed.
#
# job_timeout_ms is raised because a 64 MiB copy can take seconds of wall
# time under TCG; it changes nothing for a job that finishes in time.
. /test/lib.sh

echo "bench: guest kernel=$(uname -r) cpus=$(grep -c '^processor' /proc/cpuinfo)" \
	"mem_mb=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)"
nvg_load job_timeout_ms=30000 || { echo "bench: error modprobe nvghost failed"; exit 1; }
pin_max_clock 0 || echo "bench: error could not pin the GPU clock"
modprobe vgem || echo "bench: error modprobe vgem failed (no baseline for bo_cycle)"

start=$(cut -d' ' -f1 /proc/uptime)
bench_submit
rc=$?

# Scheduling: the same workload under two schedulers, back to back in this
# run; nvgbench's per-client lines, then the ratios the issue asks for.
#   sched_run POLICY RUN CLIENT...   (POLICY "default": no BPF policy)
sched_run() {
	_pol=$1; _run=$2; shift 2
	if [ "$_pol" != default ] &&
	   ! nvgpolicy load "$NVG_PROFILES/$_pol.bpf.o" >/dev/null; then
		echo "bench: error cannot load $_pol.bpf.o"
		return 1
	fi
	nvgbench -t 5 "$@" > /tmp/nb.out 2>&1 || echo "bench: error nvgbench failed in $_run"
	[ "$_pol" = default ] || nvgpolicy unload --all >/dev/null
	sed -n "s/^nvgbench: client=/bench: sched run=$_run client=/p" /tmp/nb.out | tee -a /tmp/sched.out
}

# field RUN CLIENT KEY: a number from a sched line (e.g. p99, throughput).
field() {
	awk -v r="run=$1" -v c="client=$2" -v k="$3=" '
		index($0, r " ") && index($0, c " ") {
			for (i = 1; i <= NF; i++)
				if (index($i, k) == 1) { v = substr($i, length(k) + 1); sub(/[^0-9.].*/, "", v); print v; exit }
		}' /tmp/sched.out
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.2f", a / b }'
}

: > /tmp/sched.out
# (a) The same FIFO algorithm, built in and as BPF: what the BPF path costs.
A="interactive:game heavy:h1 heavy:h2"
sched_run default a_default $A || rc=$((rc + 1))
sched_run fifo a_bpf_fifo $A || rc=$((rc + 1))
echo "bench: sched fifo_bpf_vs_builtin game_p50_ratio=$(ratio "$(field a_bpf_fifo game p50)" "$(field a_default game p50)")" \
	"game_p99_ratio=$(ratio "$(field a_bpf_fifo game p99)" "$(field a_default game p99)")" \
	"(goal <= 1.05 / <= 1.10)"
# (b) gaming against fifo under a very heavy low-priority hog.
B="interactive:game veryheavy:hog,prio=low"
sched_run fifo b_fifo $B || rc=$((rc + 1))
if [ -e "$NVG_PROFILES/gaming.bpf.o" ]; then
	sched_run gaming b_gaming $B || rc=$((rc + 1))
	echo "bench: sched gaming_vs_fifo game_p99_fifo_over_gaming=$(ratio "$(field b_fifo game p99)" "$(field b_gaming game p99)")" \
		"hog_throughput_gaming_over_fifo=$(ratio "$(field b_gaming hog throughput)" "$(field b_fifo hog throughput)")" \
		"hog_starved_max_gap_ms=$(field b_gaming hog starved_max_gap_ms)" \
		"(goal >= 5 / >= 0.95)"
else
	echo "bench: error gaming.bpf.o is not built; no gaming comparison"
	rc=$((rc + 1))
fi
end=$(cut -d' ' -f1 /proc/uptime)
echo "bench: done in $(echo "$start $end" | awk '{ printf "%.1f", $2 - $1 }') s (guest clock)"

rmmod vgem 2>/dev/null
nvg_unload || { echo "bench: error rmmod nvghost failed"; rc=$((rc + 1)); }
if ! dmesg_clean >/tmp/dmesg.bad; then
	echo "bench: error kernel warnings during the run:"
	sed 's/^/bench: dmesg /' /tmp/dmesg.bad
	rc=$((rc + 1))
fi
exit "$rc"
