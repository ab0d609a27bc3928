#!/bin/bash
# Run every test and end with one plain line, "N passed, M failed".
#   1. host unit tests (Criterion, ASan+UBSan), the uapi layout check on
#      -m32 and -m64, the Python tests of the trace tools, a short libFuzzer
#      run of the pushbuffer parser, and the host tests of tools and
#      packaging (tests/host);
#   2. the VM selftests in the fast initramfs boot;
#   3. the VM selftests that need host tools (bpftrace), over 9p.
# Exit status: non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
UNIT_ONLY=
[ "${1:-}" = --unit-only ] && UNIT_ONLY=1
passed=0
failed=0
skipped=0
start=$(date +%s)

# Criterion's summary: "Synthesis: Tested: 27 | Passing: 27 | Failing: 0 | Crashing: 0"
for t in build/unit/test_*; do
	echo "=== unit: $(basename "$t")"
	out=$("$t" 2>&1)
	rc=$?
	line=$(echo "$out" | grep 'Synthesis:' | tail -n 1)
	echo "$line"
	p=$(echo "$line" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
	f=$(echo "$line" | sed -n 's/.*Failing: \([0-9]*\) | Crashing: \([0-9]*\).*/\1 \2/p' | awk '{ print $1 + $2 }')
	if [ -z "$p" ] || { [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; }; then
		echo "$out" | tail -n 20
		f=$(( ${f:-0} + 1 ))
	elif [ "$f" -gt 0 ]; then
		echo "$out" | grep -E '\[(FAIL|----)\]' | head -n 20
	fi
	passed=$((passed + ${p:-0}))
	failed=$((failed + f))
done

# The uapi ABI is compile-time facts: the check is that the file compiles;
# a failure names the broken facts (the assertions' messages).
for m in 32 64; do
	if out=$(gcc -m$m -std=c11 -Wall -Wextra -Werror -fsyntax-only -Iuapi -I/usr/include/libdrm \
		tests/unit/uapi_layout_static.c 2>&1); then
		echo "PASS: uapi layout -m$m"; passed=$((passed + 1))
	else
		echo "$out" | head -n 20
		echo "FAIL: uapi layout -m$m: expected every ABI fact of tests/unit/uapi_layout_static.c to hold, broken: $(echo "$out" | grep -E 'error:' | sed 's/.*error: //' | head -n 5 | tr '\n' ';')"
		failed=$((failed + 1))
	fi
done

# Python unit tests (tools/nvgtrace_import.py and the traces under traces/):
# one PASS/FAIL line per test, then "python unit: N passed, M failed".
echo "=== unit: test_trace_import.py"
out=$(python3 tests/unit/test_trace_import.py 2>&1)
rc=$?
line=$(echo "$out" | grep -E '^python unit: [0-9]+ passed, [0-9]+ failed$' | tail -n 1)
if [ -n "$line" ]; then
	echo "$out" | grep -E '^(PASS|FAIL): '
	echo "$line"
	p=$(echo "$line" | awk '{ print $3 }')
	f=$(echo "$line" | awk '{ print $5 }')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: python unit tests exited with status $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
else
	echo "$out" | tail -n 20
	echo "FAIL: python unit tests did not report (status $rc)"
	failed=$((failed + 1))
fi

# The pushbuffer parser under libFuzzer, briefly (make fuzz runs it for a
# minute): from the unit tests' seeds, new inputs into a scratch directory.
if [ -x build/fuzz/fuzz_pb ]; then
	echo "=== fuzz: pushbuffer parser (tests/fuzz/fuzz_pb.c), 100000 runs"
	fz=$(mktemp -d)
	if out=$(cd build/fuzz && ./fuzz_pb -runs=100000 -max_total_time=120 \
		-artifact_prefix="$fz/" "$fz" seeds 2>&1); then
		echo "PASS: fuzz_pb_100000_runs"; passed=$((passed + 1))
	else
		echo "$out" | grep -v '^#' | tail -n 30
		echo "FAIL: fuzz_pb_100000_runs: the harness crashed; the input is in $fz/crash-*"
		failed=$((failed + 1))
	fi
	ls "$fz"/crash-* >/dev/null 2>&1 || rm -rf "$fz"
else
	echo "FAIL: fuzz_pb_100000_runs: expected build/fuzz/fuzz_pb (make unit and make test build it), found none"
	failed=$((failed + 1))
fi

# Host tests of the tools and packaging (tests/host/*.sh): PASS/FAIL lines.
for t in tests/host/*.sh; do
	[ "$(basename "$t")" = lib.sh ] && continue
	echo "=== host: $(basename "$t" .sh)"
	out=$(sh "$t" 2>&1)
	rc=$?
	echo "$out" | grep -E '^(PASS|FAIL): '
	p=$(echo "$out" | grep -c '^PASS: ')
	f=$(echo "$out" | grep -c '^FAIL: ')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$out" | tail -n 5
		echo "FAIL: $t exited $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done

vm_run() {
	local out st line
	out=$(mktemp)
	tests/vm/run-vm.sh "$@" | tee "$out"
	st=${PIPESTATUS[0]}
	line=$(grep -a -E '^vm: [0-9]+ passed, [0-9]+ failed' build/vm/serial.log | tail -n 1)
	if [ -n "$line" ]; then
		grep -a -E '^(PASS: |FAIL: |SKIP: |=== |--- )' build/vm/serial.log
		passed=$((passed + $(echo "$line" | awk '{ print $2 }')))
		failed=$((failed + $(echo "$line" | awk '{ print $4 }')))
		skipped=$((skipped + $(echo "$line" | awk '{ print $6 + 0 }')))
	else
		failed=$((failed + 1))
	fi
	[ "$st" -ne 0 ] && [ -z "$line" ] && echo "FAIL: vm run $* (status $st; 124: the VM ran past its limit)"
	cp build/vm/serial.log "build/vm/serial-$(echo "$*" | tr -c 'a-z0-9' '_').log"
	rm -f "$out"
}

# The initramfs boot runs every selftest but the 9p ones: about 20 minutes
# of VM time here since the virtual-time (50-52), tenant (37-38) and managed
# memory (40-43) selftests came (32-replay's replays are 3 minutes). Its
# limit is a backstop against a hung guest, far above that.
if [ -z "$UNIT_ONLY" ]; then
	vm_run --timeout "${NVG_VM_TIMEOUT:-3000}"
	vm_run --9p
fi

echo "tests took $(( $(date +%s) - start )) s"
[ "$skipped" -gt 0 ] && echo "$skipped skipped (see the SKIP lines for why)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
