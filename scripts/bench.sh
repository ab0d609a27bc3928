#!/bin/bash
# The host side of `make bench`: boot the test VM with tests/vm/bench.sh as
# the guest script, take the "bench: " lines from the serial log, print them
# and save them with a header (kernel, chip, accel, QEMU, host CPU) to
# bench/results-<UTC date>.txt (a second run on the same day replaces it).
#
# Needs the guest image: run through `make bench`, which builds it first.
# Exit status: non-zero if the VM failed or any measurement reported an error.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
LOG=build/vm/serial-bench.log
OUTDIR=bench
start=$(date +%s)

# The live part takes ~3 min under TCG, the virtual-time part (a dozen
# replays of 5 s and one of 60 s of device time) a few more, the managed-
# memory table (bench-uvm.sh) a few more: more than run-vm.sh's default
# 600 s limit on a loaded host.
LOG=$LOG TIMEOUT=${TIMEOUT:-1800} tests/vm/run-vm.sh --live nvg.script=/test/bench.sh
st=$?
secs=$(( $(date +%s) - start ))

# The 60 s replay of speed_60s once more, in a boot whose guest clock counts
# instructions (run-vm.sh --icount): the guest's work, the same figure on a
# busy host and a quiet one, so that two runs of make bench on different
# days or hosts can be compared where the wall-clock figure cannot.
ICLOG=build/vm/serial-bench-icount.log
if [ "$(cat build/vm/accel 2>/dev/null)" = tcg ]; then
	LOG=$ICLOG TIMEOUT=${TIMEOUT:-1800} tests/vm/run-vm.sh --icount \
		nvg.script=/test/speed-vtime.sh > /dev/null
	icl=$(tr -d '\r' < "$ICLOG" | grep -a '^speed: run=1 ' | head -n 1)
	if [ -n "$icl" ]; then
		icl=${icl#speed: run=1 }
		icount_line="bench: vtime speed_60s_icount ${icl//wall_s=/icount_s=} (guest time in instructions, 1 ns each; not the goal's measure, which is wall time)"
	else
		icount_line="bench: error speed_60s_icount: no result in $ICLOG"
	fi
else
	icount_line="bench: vtime speed_60s_icount skipped: needs TCG (accel $(cat build/vm/accel 2>/dev/null))"
fi

# Serial lines end in \r\n; kernel messages may interleave, so keep only ours.
lines=$(tr -d '\r' < "$LOG" | grep -a '^bench: ')
[ -n "$lines" ] && lines=$(printf '%s\n%s' "$lines" "$icount_line")
if [ -z "$lines" ]; then
	echo "bench: no results in $LOG (VM status $st)" >&2
	exit 1
fi

field() { echo "$lines" | grep -a -o "$1=[^ ]*" | head -n 1 | cut -d= -f2-; }
KVER=$(field kernel)
CHIP=$(field chip)
BOARD=$(echo "$lines" | grep -a -o 'board="[^"]*"' | head -n 1 | cut -d'"' -f2)
ACCEL=$(cat build/vm/accel 2>/dev/null || echo unknown)
QEMUV=$(qemu-system-x86_64 --version | head -n 1)
HOSTCPU=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
DATE=$(date -u +%Y-%m-%d)
STAMP=$(date -u +%Y-%m-%dT%H:%M:%SZ)
OUT=$OUTDIR/results-$DATE.txt

mkdir -p "$OUTDIR"
{
	echo "# nvghost benchmark results (make bench), $STAMP"
	echo "# kernel: ${KVER:-unknown}"
	echo "# chip: ${CHIP:-unknown} (${BOARD:-?})"
	echo "# accel: $ACCEL, ${SMP:-2} vCPUs, ${MEM:-1024} MiB"
	echo "# qemu: $QEMUV"
	echo "# host cpu: ${HOSTCPU:-unknown} ($(nproc) CPUs)"
	echo "# VM run: ${secs} s from boot to power-off, exit status $st"
	echo "# What each number means: bench/README.md"
	echo "$lines"
} > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"

echo
echo "==> results ($OUT)"
cat "$OUT"
if [ "$st" -ne 0 ] || echo "$lines" | grep -q '^bench: error'; then
	echo "bench: FAILED (VM status $st); see $LOG" >&2
	exit 1
fi
