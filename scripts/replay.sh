#!/bin/bash
# make replay TRACE=FILE [POLICIES="fifo gaming"] [CLOCK=virtual|live] [SETS="k=v ..."]:
# boot the test VM, replay the trace with nvgreplay under each policy (the
# first is --policy, the second --vs; "default" is the built-in default),
# show the guest's progress and table, and write build/replay/: the table,
# jobs.csv, flips.csv, samples.csv and the plots (scripts/replay-plot.sh).
#
# The trace travels into the guest as a second cpio archive appended to the
# guest image (the kernel unpacks concatenated archives), so any trace on
# the host works, gzipped or not.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
TRACE=${TRACE:-}
POLICIES=${POLICIES:-}
CLOCK=${CLOCK:-virtual}
SETS=${SETS:-}
OUT=build/replay
LOG=${LOG:-build/vm/serial-replay.log}

[ -n "$TRACE" ] || { echo "replay: usage: make replay TRACE=traces/synthetic/game-hog.jsonl POLICIES=\"fifo gaming\"" >&2; exit 2; }
[ -r "$TRACE" ] || { echo "replay: cannot read $TRACE" >&2; exit 2; }
case $CLOCK in virtual|live) ;; *) echo "replay: CLOCK=$CLOCK: virtual or live" >&2; exit 2 ;; esac
[ "$(echo $POLICIES | wc -w)" -le 2 ] || { echo "replay: at most two POLICIES (A and B)" >&2; exit 2; }
# Check the trace here first: a bad one is refused before the VM boots.
python3 tools/nvgtrace_import.py check "$TRACE" > /dev/null || exit 2

stage=$(mktemp -d "${TMPDIR:-/tmp}/nvgreplay.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/replay"
name=$(basename "$TRACE")
cp "$TRACE" "$stage/replay/$name"
{
	printf 'TRACE=%s\n' "'$name'"
	printf 'POLICIES=%s\n' "'$POLICIES'"
	printf 'CLOCK=%s\n' "'$CLOCK'"
	printf 'SETS=%s\n' "'$SETS'"
} > "$stage/replay/args"
(cd "$stage" && find replay | cpio -o -H newc --quiet | gzip -1) > "$stage/extra.cpio.gz"
cat build/vm/initramfs.cpio.gz "$stage/extra.cpio.gz" > build/vm/replay.cpio.gz

echo "replay: $TRACE under ${POLICIES:-the built-in default} (clock $CLOCK) in the VM"
start=$(date +%s)
LOG=$LOG tests/vm/run-vm.sh --live --initrd build/vm/replay.cpio.gz nvg.script=/test/replay.sh |
	grep -av --line-buffered -e '^rcsv:' -e '^==== [A-Z]* REPLAY'
st=${PIPESTATUS[0]}
echo "replay: VM run $(( $(date +%s) - start )) s, log $LOG"

between() { tr -d '\r' < "$LOG" | sed -n "/^==== BEGIN $1\$/,/^==== END $1\$/p" | sed '1d;$d'; }
rm -rf "$OUT"
mkdir -p "$OUT"
between REPLAYTABLE > "$OUT/table.txt"
for f in jobs flips samples; do
	between REPLAYCSV | grep -a "^rcsv:$f:" | cut -d: -f3- > "$OUT/$f.csv"
done
if [ ! -s "$OUT/table.txt" ] || [ ! -s "$OUT/samples.csv" ]; then
	echo "replay: no results in $LOG (VM status $st)" >&2
	exit 1
fi
scripts/replay-plot.sh "$OUT" || st=${st:-1}
echo
cat "$OUT/table.txt"
echo
echo "replay: results in $OUT/ (table.txt, jobs.csv, flips.csv, samples.csv, *.png)"
exit "$st"
