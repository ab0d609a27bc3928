#!/bin/sh
# make replay, guest side (scripts/replay.sh boots it with nvg.script=/test/replay.sh):
# load the driver (clock=virtual where the module has a virtual clock, unless
# the host asked for live), replay /replay/TRACE under each policy with
# nvgreplay, and send the results to the host between marker lines:
#   ==== BEGIN REPLAYTABLE / END      nvgreplay's table
#   ==== BEGIN REPLAYCSV / END        rcsv:FILE:LINE (jobs.csv, flips.csv, samples.csv)
# /replay/args (written by the host): TRACE=file POLICIES="a b" CLOCK=virtual|live
# SETS="k=v ..." (tunables for both policies).
. /test/lib.sh
. /replay/args

mod_args=
[ "${CLOCK:-virtual}" = virtual ] && mod_args=clock=virtual
nvg_load $mod_args || { echo "replay: modprobe nvghost $mod_args failed"; exit 1; }
# a virtual clock replays on one CPU: the same decisions, faster (one_cpu in lib.sh)
[ -n "$mod_args" ] && echo "replay: virtual clock, cpus online: $(one_cpu)"

set -- /replay/"$TRACE"
n=0
for p in $POLICIES; do
	n=$((n + 1))
	case $n in
	1) set -- "$@" --policy "$p" ;;
	2) set -- "$@" --vs "$p" ;;
	*) echo "replay: at most two policies (got: $POLICIES)"; exit 2 ;;
	esac
done
for s in $SETS; do set -- "$@" --set "$s"; done
echo "replay: nvgreplay $*"
nvgreplay "$@" --csv /tmp/replay --log /tmp/replay.log > /tmp/replay.out
rc=$?
cat /tmp/replay.out
replay_emit REPLAY rcsv /tmp/replay.out /tmp/replay
echo "replay: decision log: $(grep -vc '^#' /tmp/replay.log 2>/dev/null) events (kept in the guest)"
nvg_unload
dmesg_clean >/dev/null || { echo "replay: kernel warnings:"; dmesg_clean; rc=1; }
exit $rc
