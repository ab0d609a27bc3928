#!/bin/sh
# KUnit suites of nvghost's pure logic (kmod/tests/; debug lane only, the
# module exists only on a kernel with KUnit): loading nvghost_kunit runs
# them, and their KTAP results land in dmesg. One check per test case, a
# failing one with KUnit's own "Expected ..., but ..." lines.
. /test/lib.sh

SUITES="nvghost_dsq nvghost_edid nvghost_pb"

echo "nvghost-kunit: begin" > /dev/kmsg
check modprobe_nvghost_kunit modprobe nvghost_kunit
check rmmod_nvghost_kunit rmmod nvghost_kunit
dmesg | sed -n '/nvghost-kunit: begin/,$p' | sed 's/^\[[ 0-9.]*\] //' > /tmp/kunit.log

# Test cases are the "ok N name" lines at 4 spaces (parameters are at 8); a
# case's failure lines come before its "not ok".
awk '
	/^    # Subtest: nvghost_/ { suite = $3; buf = ""; next }
	suite && /^    (not )?ok [0-9]+ / {
		if ($1 == "ok") { print "PASS: kunit_" suite "_" $3 }
		else { gsub(/[ \t]+/, " ", buf); print "FAIL: kunit_" suite "_" $4 ":" substr(buf, 1, 400) }
		buf = ""; next
	}
	suite && !/^ *(not )?ok [0-9]+ / && !/^ *(KTAP|1\.\.|# Subtest)/ { buf = buf " " $0 }
' /tmp/kunit.log

for s in $SUITES; do
	sum=$(grep -m1 "^# $s: pass:" /tmp/kunit.log)
	if [ -z "$sum" ]; then
		fail "kunit_suite_$s" "no \"# $s: pass:...\" summary in dmesg (suite did not run)"
	elif echo "$sum" | grep -q ' fail:0 '; then
		pass "kunit_suite_$s"
	else
		fail "kunit_suite_$s" "$sum"
	fi
done
