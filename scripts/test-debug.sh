#!/bin/bash
# make test-debug: every VM selftest on a debug kernel, plus the KUnit suites
# and the fault-injection run, and no kernel report allowed.
#
#   1. the debug kernel (scripts/debug-kernel.sh; cached in build/debug-kernel)
#   2. nvghost.ko and nvghost_kunit.ko built against it, in their own tree
#      (build/debug/src/kmod, a copy of kmod/: the normal build stays as it
#      is), and the selftests' test-only module (build/debug/src/testkmod)
#   3. a guest image for it (tests/vm/mkinitramfs.sh --kernel ...), with the
#      debug-only selftests of tests/vm/debug/ (KUnit, fault injection)
#   4. the VM selftests in the initramfs boot, then the -9p ones over 9p
#   5. the serial logs searched for lockdep, KASAN, UBSAN, object-debug and
#      other kernel reports (WARNING:, BUG:, Oops): any one fails the run,
#      and each is printed
# The guest's tools and BPF objects are the normal build's (make build): user
# space and CO-RE BPF do not depend on the kernel's configuration.
#
# Logs: build/debug/serial.log, build/debug/serial-9p.log. Exit status:
# non-zero if a check failed or the kernel reported anything.
set -uo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
D=build/debug
KD=build/debug-kernel
NICE=(nice -n "${NVG_NICE:-10}")

"${NICE[@]}" scripts/debug-kernel.sh || exit 1
KDIR=$PWD/$KD/src/linux-source-6.12
KVER=$(cat $KD/kver)
t_kernel=$(date +%s)

# 2) the modules
echo "  KMOD    nvghost.ko, nvghost_kunit.ko (debug kernel $KVER)"
mkdir -p $D/src
rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='*.cmd' --exclude='*.mod' \
	--exclude='*.mod.c' --exclude='modules.order' --exclude='Module.symvers' \
	--exclude='.tmp_versions' --exclude='*.d' kmod/ $D/src/kmod/
rsync -a --delete uapi/ $D/src/uapi/
if ! "${NICE[@]}" make -s -C "$KDIR" M="$PWD/$D/src/kmod" -j"$(nproc)" modules; then
	echo "test-debug: module build against the debug kernel failed" >&2
	exit 1
fi
# the selftests' own test-only module (17-power-policy's foreign devfreq device)
rsync -a --delete --include='*.c' --include='Kbuild' --exclude='*' tests/vm/kmod/ $D/src/testkmod/
if ! "${NICE[@]}" make -s -C "$KDIR" M="$PWD/$D/src/testkmod" modules; then
	echo "test-debug: test module build against the debug kernel failed" >&2
	exit 1
fi
for ko in nvghost nvghost_kunit; do
	if ! readelf -S "$D/src/kmod/$ko.ko" | grep -q '\.BTF '; then
		echo "test-debug: $ko.ko has no .BTF section" >&2
		exit 1
	fi
done

# 3) the guest image
tests/vm/mkinitramfs.sh --kernel $KD --module $D/src/kmod/nvghost.ko \
	--extra-ko $D/src/kmod/nvghost_kunit.ko \
	--test-ko $D/src/testkmod/nvg_devfreq_dummy.ko --tests tests/vm/debug $D/initramfs.cpio.gz || exit 1
t_built=$(date +%s)

# 4) the runs. Console loglevel 5 puts warnings (lockdep's, WARN()'s) on
# the serial log, not only errors; every KASAN report, not only the first;
# and an oops kills its task instead of the VM (run-vm.sh's oops=panic), so
# that one bug does not hide the reports of every test after it; slab_nomerge
# keeps every slab cache its own, so 81-fault-inject can leave one out.
# nvg.slow=5: the simulator runs about five times slower on this kernel (a
# 64 MiB copy took 2.1 s of wall time, past the 2 s job timeout); the
# tests' live time limits scale with it (tests/vm/lib.sh).
ARGS=(loglevel=5 kasan_multi_shot sysctl.kernel.panic_on_oops=0 slab_nomerge nvg.slow=5)
passed=0
failed=0
vm_run() {
	local log=$1 line
	shift
	LOG=$log MEM=${MEM:-1536} tests/vm/run-vm.sh --kernel $KD --initrd $D/initramfs.cpio.gz \
		--timeout "${TIMEOUT:-2700}" "$@" "${ARGS[@]}"
	line=$(grep -a -E '^vm: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	grep -a -E '^(FAIL: |--- )' "$log"
	if [ -n "$line" ]; then
		passed=$((passed + $(echo "$line" | awk '{ print $2 }')))
		failed=$((failed + $(echo "$line" | awk '{ print $4 }')))
	else
		echo "FAIL: vm run $* reported no tally"
		failed=$((failed + 1))
	fi
}
vm_run $D/serial.log ${NVG_TESTS:+nvg.tests=$NVG_TESTS}
[ -z "${NVG_TESTS:-}" ] && vm_run $D/serial-9p.log --9p

# 5) kernel reports, wherever they came from
reports=0
rm -f $D/reports.heads
for log in $D/serial.log $D/serial-9p.log; do
	[ -f "$log" ] || continue
	# Each kernel report from its first line to its end marker (or 60
	# lines); the guest's dmesg checks print some lines again: once only.
	awk -v lf="$log" '
		!/^\[ *[0-9]+\.[0-9]+\] / { next }
		seen[$0]++ { next }
		/possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|BUG: |WARNING: |Oops|general protection fault|KASAN: |UBSAN: |ODEBUG: |kernel BUG|refcount_t: |list_add corruption|list_del corruption|sleeping function called from invalid context|Kernel panic/ {
			if (!inrep) { inrep = 1; n = 0; print "---- " lf ": " $0 }
			else print
			next
		}
		inrep {
			print
			if (++n >= 60 || /---\[ end trace|\] =+$/) inrep = 0
		}
	' "$log" > $D/reports.tmp
	if [ -s $D/reports.tmp ]; then
		cat $D/reports.tmp
		reports=$((reports + $(grep -c '^---- ' $D/reports.tmp)))
		grep '^---- ' $D/reports.tmp | sed 's/^---- [^:]*: \[ *[0-9.]*\] //' >> $D/reports.heads
	fi
	rm -f $D/reports.tmp
done
if [ -s $D/reports.heads ]; then
	echo "test-debug: kernel reports, by first line:"
	sort $D/reports.heads | uniq -c | sort -rn
fi
rm -f $D/reports.heads
grep -aq 'turning off the locking correctness validator' $D/serial*.log 2>/dev/null &&
	echo "test-debug: note: lockdep turned itself off after its first report; later lock bugs went unchecked"

end=$(date +%s)
echo "test-debug: kernel $((t_kernel - start)) s, modules and image $((t_built - t_kernel)) s, VM runs $((end - t_built)) s"
echo "test-debug: $passed passed, $failed failed, $reports kernel reports"
[ "$failed" -eq 0 ] && [ "$reports" -eq 0 ]
