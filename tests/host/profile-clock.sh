#!/bin/sh
# Every shipped profile takes its decisions on the device clock
# (nvg_device_now_ns(), PTIMER), never on the host's: with clock=virtual
# the device's time moves only as its events are played, and a profile
# that read the host's clock would decide differently there. Checked in
# the built objects, so a macro or a header cannot hide a call: no BPF
# helper that reads a host clock (bpf_ktime_get_ns 5, bpf_jiffies64 118,
# bpf_ktime_get_boot_ns 125, bpf_ktime_get_coarse_ns 160,
# bpf_ktime_get_tai_ns 208). The example policy is built here too.
. tests/host/lib.sh
HOST_CLOCKS='^call (5|118|125|160|208)$'

# clock_free NAME OBJECT: PASS if OBJECT calls none of the host clocks.
clock_free() {
	if ! llvm-objdump -d "$2" >"$TMPD/dis" 2>&1; then
		fail "$1" "llvm-objdump -d $2 failed: $(tail -n 2 "$TMPD/dis" | tr '\n' ' ')"
		return
	fi
	_calls=$(sed -n 's/.*\t\(call [0-9]*\)$/\1/p' "$TMPD/dis" | grep -E "$HOST_CLOCKS" | sort | uniq -c | tr '\n' ' ')
	if [ -n "$_calls" ]; then
		fail "$1" "expected no host-clock helper calls in $2, found: $_calls"
	else
		pass "$1"
	fi
}

for f in profiles/*.bpf.c; do
	p=$(basename "$f" .bpf.c)
	clock_free "profile_${p}_device_clock_only" "build/bpf/$p.bpf.o"
done
if clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -mcpu=v3 -Wall -Werror -Ibuild/bpf -Ibpf \
	-c examples/policy/lifo.bpf.c -o "$TMPD/lifo.bpf.o" >"$TMPD/cc" 2>&1; then
	clock_free example_lifo_device_clock_only "$TMPD/lifo.bpf.o"
else
	fail example_lifo_builds "clang failed: $(tail -n 3 "$TMPD/cc" | tr '\n' ' ')"
fi
# The check itself sees a host-clock call where there is one.
printf '%s\n' '#include "nvg/common.bpf.h"' 'char _license[] SEC("license") = "GPL";' \
	'u64 t;' 'SEC("struct_ops/x") int BPF_PROG(x) { t = bpf_ktime_get_ns(); return 0; }' \
	>"$TMPD/ktime.bpf.c"
clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -mcpu=v3 -Ibuild/bpf -Ibpf \
	-c "$TMPD/ktime.bpf.c" -o "$TMPD/ktime.bpf.o" 2>"$TMPD/cc"
if clock_free x "$TMPD/ktime.bpf.o" | grep -q '^FAIL: x: .*call 5'; then
	pass host_clock_check_sees_ktime
else
	fail host_clock_check_sees_ktime "expected the check to find 'call 5' in a program calling bpf_ktime_get_ns(): $(clock_free x "$TMPD/ktime.bpf.o")"
fi
