#!/bin/sh
# The speed of a virtual-time replay alone (issue 12 item 5): make bench's
# speed_60s replay (traces/synthetic/long/game-hog-60s.jsonl under
# --policy gaming) and nothing else, for measuring where its time goes:
#   tests/vm/run-vm.sh nvg.script=/test/speed-vtime.sh [nvg.speed_s=S] [nvg.speed_n=N]
# nvg.speed_s=S replays only the first S device seconds (the trace's
# duration_ns cut to S s; default 60), nvg.speed_n=N replays it N times
# (default 1) and checks that the decision-log hashes are equal;
# nvg.speed_cpus=all replays on every CPU of the VM, not on one (one_cpu
# in lib.sh: what make bench does). Prints
# "speed: ..." lines; exit status 0 when every replay finished.
. /test/lib.sh
T=/usr/share/nvghost/traces/long/game-hog-60s.jsonl
S=60; N=1; CPUS=1
for a in $(cat /proc/cmdline); do
	case $a in
	nvg.speed_cpus=*) CPUS=${a#nvg.speed_cpus=} ;;
	nvg.speed_s=*) S=${a#nvg.speed_s=} ;;
	nvg.speed_n=*) N=${a#nvg.speed_n=} ;;
	esac
done
sed "1s/\"duration_ns\": [0-9]*/\"duration_ns\": ${S}000000000/" "$T" > /tmp/speed.jsonl
[ "$CPUS" = 1 ] && echo "speed: cpus_online=$(one_cpu) wakeup_preemption=$(wakeup_preemption)"
# what the guest kernel pays per context switch and syscall (mitigations=)
echo "speed-cpu: $(cat /proc/cmdline | tr ' ' '\n' | grep '^mitigations=' || echo 'mitigations=default'):" \
	$(cd /sys/devices/system/cpu/vulnerabilities 2>/dev/null && grep -H . * | sed 's/ /_/g')
rc=0; first=
i=1
while [ "$i" -le "$N" ]; do
	lsmod | grep -q '^nvghost ' && nvg_unload
	nvg_load clock=virtual || { echo "speed: modprobe failed"; exit 1; }
	read -r u0 _ < /proc/uptime
	nvgreplay -q /tmp/speed.jsonl --policy gaming --summary /tmp/speed.sum --log /tmp/speed.log \
		> /tmp/speed.out 2> /tmp/speed.err || { rc=1; tail -n 5 /tmp/speed.err; }
	read -r u1 _ < /proc/uptime
	d=$(summary_value /tmp/speed.sum run 0 "" span_ns)
	w=$(summary_value /tmp/speed.sum run 0 "" wall_s)
	h=$(sha256sum < /tmp/speed.log | cut -c1-16)
	echo "speed: run=$i device_s=$(awk -v d="$d" 'BEGIN { printf "%.2f", d / 1e9 }') wall_s=$w" \
		"ratio=$(awk -v d="$d" -v w="$w" 'BEGIN { if (w > 0) printf "%.2f", d / 1e9 / w }')" \
		"guest_s=$(awk -v a="$u0" -v b="$u1" 'BEGIN { printf "%.1f", b - a }')" \
		"in_advance_s=$(summary_value /tmp/speed.sum run 0 "" advance_wall_s) ipc_s=$(summary_value /tmp/speed.sum run 0 "" ipc_wall_s) flipwait_s=$(summary_value /tmp/speed.sum run 0 "" flipwait_wall_s) loop_s=$(summary_value /tmp/speed.sum run 0 "" loop_wall_s) reap_s=$(summary_value /tmp/speed.sum run 0 "" reap_wall_s) sample_s=$(summary_value /tmp/speed.sum run 0 "" sample_wall_s) pre_s=$(summary_value /tmp/speed.sum run 0 "" pre_wall_s) log_s=$(summary_value /tmp/speed.sum run 0 "" log_wall_s)" \
		"advances=$(summary_value /tmp/speed.sum run 0 "" advances)" \
		"events=$(summary_value /tmp/speed.sum run 0 "" events_played)" \
		"settles=$(summary_value /tmp/speed.sum run 0 "" settles)" \
		"log_events=$(summary_value /tmp/speed.sum run 0 "" events) log_sha=$h"
	grep '^client\|^head' /tmp/speed.sum | sed 's/^/speed-summary: /'
	[ -e /sys/kernel/debug/nvghost/gpu0/vclock ] && echo "speed-kstats: $(tr '\n' ' ' < /sys/kernel/debug/nvghost/gpu0/vclock)"
	if [ -z "$first" ]; then first=$h; cp /tmp/speed.log /tmp/speed.log1
	elif [ "$h" != "$first" ]; then
		echo "speed: FAIL run $i log sha $h != run 1's $first; first differences:"
		diff /tmp/speed.log1 /tmp/speed.log | head -n 20 | sed 's/^/speed-diff: /'
		rc=1
	fi
	i=$((i + 1))
done
nvg_unload
all_cpus
exit $rc
