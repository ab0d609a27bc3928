#!/bin/sh
# Runs the selftests inside the VM and prints the tally:
# "vm: N passed, M failed, K skipped". Exit status: the number of failures.
# A SKIP line is a check a test chose not to make because a precondition
# it measured in the same run does not hold on this host; it says why.
. /test/lib.sh
cd /test/selftests || exit 99
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
	start=$(cut -d' ' -f1 /proc/uptime)
	sh "./$t" > /tmp/t.out 2>&1
	rc=$?
	cat /tmp/t.out
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
echo "vm: $total_pass passed, $total_fail failed, $total_skip skipped"
exit "$total_fail"
