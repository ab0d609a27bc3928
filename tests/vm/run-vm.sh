#!/bin/bash
# Boot the pinned kernel in QEMU with the nvghost guest image and return the
# guest's exit status.
#
# usage: run-vm.sh [--9p] [--live] [--timeout S] [--kernel DIR] [--initrd F]
#                  [kernel args...]
#   --9p       boot on into the host root over virtio-9p (bpftrace etc.)
#   --sysroot DIR  boot DIR (a whole Debian root) over virtio-9p with its
#              own systemd as PID 1 (tests/deb-sysroot-test.sh)
#   --live     also print the serial console while it runs
#   --icount   TCG only: the guest's clock counts its instructions, 1 ns
#              each (QEMU -icount shift=0,sleep=off), so guest time is the
#              guest's work, the same on a busy host and a quiet one: for
#              A/B comparisons of speed changes (bench/README.md)
#   --kernel   boot DIR/kimg/boot/vmlinuz-$(cat DIR/kver) (default: build,
#              the pinned kernel; make test-debug: build/debug-kernel)
#   --initrd   the guest image (default build/vm/initramfs.cpio.gz)
#   kernel args: nvg.script=/test/demo.sh, nvg.tests=01-load,... (tests/vm/init)
# NVG_INITRD=FILE boots another guest image (tests/deb-test.sh).
#
# Exit status: the guest's (number of failed checks), or 124 on timeout,
# 125 if the guest died without reporting (panic), and the serial log's tail
# is printed in both cases. The full log is build/vm/serial.log.
set -uo pipefail
cd "$(dirname "$0")/../.."
KDIR_VM=build
INITRD=${NVG_INITRD:-build/vm/initramfs.cpio.gz}
LOG=${LOG:-build/vm/serial.log}
TIMEOUT=${TIMEOUT:-600}
MODE=initramfs
LIVE=
ICOUNT=
EXTRA=()
while [ $# -gt 0 ]; do
	case $1 in
	--9p) MODE=9p ;;
	--sysroot) MODE=sys; SYSROOT=$(cd "$2" && pwd) || exit 2; shift ;;
	--live) LIVE=1 ;;
	--icount) ICOUNT=1 ;;
	--timeout) TIMEOUT=$2; shift ;;
	--kernel) KDIR_VM=$2; shift ;;
	--initrd) INITRD=$2; shift ;;
	*) EXTRA+=("$1") ;;
	esac
	shift
done
KVER=$(cat "$KDIR_VM/kver")
KERNEL=$KDIR_VM/kimg/boot/vmlinuz-$KVER

# KVM when /dev/kvm exists and really boots this kernel (nested setups may
# expose a /dev/kvm that aborts or hangs); the verdict is cached per machine
# in build/vm/accel. Otherwise TCG, which is what CI machines have.
probe_kvm() {
	[ -w /dev/kvm ] || return 1
	timeout 15 qemu-system-x86_64 -accel kvm -cpu host -m 256 -nographic -no-reboot \
		-display none -vga none -nic none -kernel "$KERNEL" \
		-append "console=ttyS0 panic=-1 rdinit=/nonexistent" </dev/null 2>&1 |
		grep -q 'Kernel panic'
}
mkdir -p build/vm
if [ ! -f build/vm/accel ]; then
	if probe_kvm; then echo kvm; else echo tcg; fi > build/vm/accel
fi
ACCEL=$(cat build/vm/accel)
CPU=max
[ "$ACCEL" = kvm ] && CPU=host
QEMU=(qemu-system-x86_64 -accel "$ACCEL" -cpu "$CPU" -m "${MEM:-1024}" -smp "${SMP:-2}"
	-nographic -no-reboot -serial mon:stdio -display none -vga none -nic none
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
	-kernel "$KERNEL" -initrd "$INITRD")
if [ -n "$ICOUNT" ]; then
	[ "$ACCEL" = tcg ] || { echo "vm: --icount needs TCG (accel here: $ACCEL)" >&2; exit 2; }
	QEMU+=(-icount shift=0,sleep=off)
fi
# The guest reports where it waits shortly before the timeout kills it.
DEADLINE=$((TIMEOUT > 300 ? TIMEOUT - 60 : TIMEOUT * 4 / 5))
# no_timer_check: under TCG on a loaded host the boot's check that the
# 8254 timer ticks through the IO-APIC can starve and panic the guest
# ("IO-APIC + timer doesn't work!"); what a VM kernel is booted with.
APPEND="console=ttyS0 panic=-1 oops=panic loglevel=4 no_timer_check nvg.deadline=$DEADLINE ${EXTRA[*]}"
if [ "$MODE" = 9p ]; then
	QEMU+=(-fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap
	       -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot)
	APPEND="$APPEND nvg.root=9p nvg.project=$PWD"
elif [ "$MODE" = sys ]; then
	QEMU+=(-fsdev local,id=sysroot,path="$SYSROOT",security_model=none,readonly=on,multidevs=remap
	       -device virtio-9p-pci,fsdev=sysroot,mount_tag=sysroot)
	APPEND="$APPEND nvg.root=sys"
fi

mkdir -p "$(dirname "$LOG")"
echo "vm: booting $KVER ($ACCEL${ICOUNT:+ icount}, $MODE), log in $LOG"
start=$(date +%s.%N)
if [ -n "$LIVE" ]; then
	# Show the guest's own output: from its first line on, no kernel log.
	timeout "$TIMEOUT" "${QEMU[@]}" -append "$APPEND" </dev/null 2>&1 | tee "$LOG" |
		sed -u -n '/GUEST: up/,$p' | grep -av --line-buffered '^\[ *[0-9.]*\]' | grep -av --line-buffered 'GUEST_EXIT_STATUS'
	qrc=${PIPESTATUS[0]}
else
	timeout "$TIMEOUT" "${QEMU[@]}" -append "$APPEND" </dev/null >"$LOG" 2>&1
	qrc=$?
fi
secs=$(echo "$start $(date +%s.%N)" | awk '{ printf "%.1f", $2 - $1 }')
st=$(grep -a -o 'GUEST_EXIT_STATUS=[0-9]*' "$LOG" | tail -n 1 | cut -d= -f2)

if [ "$qrc" -eq 124 ]; then
	echo "vm: TIMEOUT after ${TIMEOUT}s; last lines of the serial console:"
	tail -n 40 "$LOG"
	exit 124
fi
if [ -z "$st" ]; then
	echo "vm: the guest died without reporting (qemu rc $qrc, ${secs}s); last lines:"
	tail -n 40 "$LOG"
	exit 125
fi
# isa-debug-exit makes qemu exit with (status << 1) | 1: a cross-check.
if [ "$qrc" -ne $(((st << 1) | 1)) ]; then
	echo "vm: warning: qemu rc $qrc does not match guest status $st"
fi
echo "vm: guest exit status $st after ${secs}s"
exit "$st"
