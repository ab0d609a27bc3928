#!/bin/sh
# Determinism across CPUs, many times (issue 12 item 4): each trace replayed
# once on one CPU (the reference) and then N times on every CPU of the VM,
# each decision log compared with the reference; for hunting a difference
# that shows only now and then (a loaded host), which 32-replay's ten
# replays per trace rarely meet:
#   tests/vm/run-vm.sh nvg.script=/test/det-vtime.sh [nvg.det_n=N] \
#	[nvg.det_traces=a,b] [nvg.det_policy=gaming] [nvg.det_alt=1]
# (default: 5 replays of bench-gaming-3hogs and fair-weights, built-in
# policy; nvg.det_alt=1: every other replay on one CPU, CPU1 going off and
# on line between them, as in 32-replay). Prints a "det:" line per replay
# with its hash and the clock's counts of what must never happen (debugfs
# gpu0/vclock escapes_*, and the "a settle did not wait" / "planned for" /
# "activity after a settle" warnings), and the first differences of a log
# that differs; exit status 0 when every replay matched its reference and
# nothing was counted.
. /test/lib.sh
T=/usr/share/nvghost/traces
N=5; TRACES="bench-gaming-3hogs fair-weights"; POLICY=; ALT=
for a in $(cat /proc/cmdline); do
	case $a in
	nvg.det_n=*) N=${a#nvg.det_n=} ;;
	nvg.det_traces=*) TRACES=$(echo "${a#nvg.det_traces=}" | tr , ' ') ;;
	nvg.det_policy=*) POLICY=${a#nvg.det_policy=} ;;
	nvg.det_alt=*) ALT=${a#nvg.det_alt=} ;;
	esac
done
warnings() { vclock_warnings | wc -l; }
rc=0
replay() {	# replay TRACE RUN
	lsmod | grep -q '^nvghost ' && nvg_unload
	nvg_load clock=virtual || { echo "det: modprobe failed"; exit 1; }
	w0=$(warnings)
	nvgreplay -q "$T/$1.jsonl" ${POLICY:+--policy "$POLICY"} --log /tmp/det-$2.log \
		> /tmp/det.out 2> /tmp/det.err || { rc=1; tail -n 3 /tmp/det.err; }
	w=$(($(warnings) - w0))
	esc=$(grep escapes /sys/kernel/debug/nvghost/gpu0/vclock 2>/dev/null | tr '\n' ' ')
	echo "det: trace=$1 run=$2 cpus=$(grep -c '^processor' /proc/cpuinfo)" \
		"sha=$(sha256sum < /tmp/det-$2.log | cut -c1-16) warnings=$w $esc"
	[ "$w" -eq 0 ] || { rc=1; vclock_warnings | tail -n 3 | sed 's/^/det:   /'; }
	case "$esc" in *"escapes_hw: 0 escapes_drv: 0"*|"") ;; *) rc=1 ;; esac
	if [ "$2" != ref ] && ! cmp -s /tmp/det-ref.log /tmp/det-$2.log; then
		rc=1
		echo "det: trace=$1 run=$2 differs from the reference; first differences:"
		diff -U2 /tmp/det-ref.log /tmp/det-$2.log | grep -v '^[-+]#' | sed -n '3,24p' | sed 's/^/det:   /'
	fi
}
for tr in $TRACES; do
	one_cpu > /dev/null
	replay "$tr" ref
	all_cpus
	i=1
	while [ "$i" -le "$N" ]; do
		if [ -n "$ALT" ] && [ $((i % 2)) -eq 0 ]; then one_cpu > /dev/null; else all_cpus; fi
		replay "$tr" "$i"
		i=$((i + 1))
	done
	all_cpus
done
lsmod | grep -q '^nvghost ' && nvg_unload
echo "det: $([ $rc = 0 ] && echo all equal, nothing counted || echo FAILED)"
exit $rc
