#!/bin/sh
# Runs the selftests inside the VM and prints the tally:
# "vm: N passed, M failed, K skipped". Exit status: the number of failures.
# A SKIP line is a check a test chose not to make because a precondition
# it measured in the same run does not hold on this host; it says why.
. /test/lib.sh
cd /test/selftests || exit 99

# watchdog: at nvg.deadline seconds of uptime (run-vm.sh sets it a little
# before its own timeout kills the VM), say which test is still running and
# where every process waits, so that a hang leaves more than a silent
# console behind.
watchdog() {
	while [ "$(cut -d. -f1 /proc/uptime)" -lt "$NVG_DEADLINE" ]; do sleep 5; done
	echo "GUEST: deadline: $(cat /tmp/t.name 2>/dev/null) still running at $(cut -d' ' -f1 /proc/uptime) s; where each process waits:"
	for d in /proc/[0-9]*; do
		# (kernel threads have no command line; /proc files have no size)
		c=$(tr '\0' ' ' < "$d/cmdline" 2>/dev/null | cut -c1-120)
		[ -n "$c" ] || continue
		echo "--- pid ${d#/proc/} $c"
		grep '^State:' "$d/status"
		cat "$d/stack" 2>/dev/null
	done
	echo "--- kernel log, last 40 lines"
	dmesg | tail -n 40
}
if [ -n "${NVG_DEADLINE:-}" ]; then
	watchdog &
	wd_pid=$!
fi
total_pass=0
total_fail=0
total_skip=0
for t in *.sh; do
	name=${t%.sh}
	if [ -n "$NVG_TESTS" ]; then
		case ",$NVG_TESTS," in *",$name,"*) ;; *) continue ;; esac
	else
		# *-9p tests need the host root (bpftrace); the rest run in the
		# fast initramfs boot.
		case $name in
		*-9p) [ "$NVG_ROOTMODE" = 9p ] || continue ;;
		*) [ "$NVG_ROOTMODE" = 9p ] && continue ;;
		esac
	fi
	echo "=== $name"
	echo "$name" > /tmp/t.name
	start=$(cut -d' ' -f1 /proc/uptime)
	# The lines reach the console as they come: a test that hangs shows
	# how far it got.
	{ sh "./$t"; echo $? > /tmp/t.rc; } 2>&1 | tee /tmp/t.out
	rc=$(cat /tmp/t.rc 2>/dev/null || echo 99)
	p=$(grep -c '^PASS: ' /tmp/t.out)
	f=$(grep -c '^FAIL: ' /tmp/t.out)
	s=$(grep -c '^SKIP: ' /tmp/t.out)
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: $name: script exited $rc"
		f=1
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: $name: ran no check"
		f=1
	fi
	# Every test must leave the module unloaded and the kernel clean.
	if lsmod | grep -q '^nvghost '; then
		echo "FAIL: $name: left nvghost loaded"
		f=$((f + 1))
		nvg_unload
	fi
	end=$(cut -d' ' -f1 /proc/uptime)
	echo "--- $name: $p passed, $f failed, $s skipped ($(echo "$start $end" | awk '{ printf "%.1f", $2 - $1 }') s)"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + s))
done
if ! dmesg_clean >/tmp/dmesg.bad; then
	echo "FAIL: dmesg: kernel warnings during the run:"
	cat /tmp/dmesg.bad
	total_fail=$((total_fail + 1))
fi
[ -n "${wd_pid:-}" ] && kill "$wd_pid" 2>/dev/null
echo "vm: $total_pass passed, $total_fail failed, $total_skip skipped"
exit "$total_fail"
