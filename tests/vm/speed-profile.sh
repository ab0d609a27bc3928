#!/bin/sh
# Where a virtual-time replay's guest CPU time goes: make bench's speed_60s
# replay (game-hog under --policy gaming, on one CPU) cut to S device
# seconds, once plain and once under perf (cpu-clock sampling, call graphs),
# then perf's report by process, by function (self) and by function with
# its callees. Needs the 9p boot and perf on the host (Debian: linux-perf):
#   tests/vm/run-vm.sh --9p --timeout 1200 nvg.script=$PWD/tests/vm/speed-profile.sh [nvg.speed_s=S]
# Read it knowing two biases: perf slows the replay (both wall times are
# printed), and under TCG a sample cannot land where interrupts are off,
# so that time shows at the point they come back on
# (_raw_spin_unlock_irqrestore, finish_task_switch).
. /test/lib.sh
# the image's copy of traces/synthetic; on the 9p root, the project's
T=/usr/share/nvghost/traces/long/game-hog-60s.jsonl
[ -f $T ] || T=${NVG_TOOLS:-/nonexistent}/../traces/synthetic/long/game-hog-60s.jsonl
S=20
for a in $(cat /proc/cmdline); do
	case $a in nvg.speed_s=*) S=${a#nvg.speed_s=} ;; esac
done
command -v perf >/dev/null || { echo "profile: no perf on this root (the host needs linux-perf; boot with --9p)"; exit 1; }
sed "1s/\"duration_ns\": [0-9]*/\"duration_ns\": ${S}000000000/" "$T" > /tmp/speed.jsonl
echo "profile: cpus_online=$(one_cpu)"
run() {
	read -r _u0 _ < /proc/uptime
	"$@" nvgreplay -q /tmp/speed.jsonl --policy gaming --summary /tmp/p.sum --log /tmp/p.log \
		> /dev/null 2> /tmp/p.err || { tail -n 5 /tmp/p.err; return 1; }
	read -r _u1 _ < /proc/uptime
	echo "profile: ${1:-plain} replay of ${S} s: guest_s=$(awk -v a="$_u0" -v b="$_u1" 'BEGIN { print b - a }')" \
		"wall_s=$(summary_value /tmp/p.sum run 0 "" wall_s) in_advance_s=$(summary_value /tmp/p.sum run 0 "" advance_wall_s)" \
		"pre_s=$(summary_value /tmp/p.sum run 0 "" pre_wall_s) log_s=$(summary_value /tmp/p.sum run 0 "" log_wall_s)" \
		"log_sha=$(sha256sum < /tmp/p.log | cut -c1-16)"
}
nvg_load clock=virtual || exit 1
run || exit 1
nvg_unload
nvg_load clock=virtual || exit 1
run perf record -q -a -g -F 1000 -e cpu-clock -o /tmp/perf.data -- || exit 1
# (the module's symbols come from /proc/kallsyms while it is loaded)
R="perf report -i /tmp/perf.data --kallsyms=/proc/kallsyms --stdio -g none"
echo "=== profile: by process"
$R --no-children --sort comm --percent-limit 0.5 2>/dev/null | grep -v '^#' | grep -v '^$'
echo "=== profile: by function, self"
$R --no-children --sort dso,sym --percent-limit 0.3 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 80
echo "=== profile: by function, with its callees"
$R --children --sort sym --percent-limit 1 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 150
nvg_unload
all_cpus
