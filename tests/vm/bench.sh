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
modprobe vgem || echo "bench: error modprobe vgem failed (no baseline for bo_cycle)"

start=$(cut -d' ' -f1 /proc/uptime)
bench_submit
rc=$?
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
