#!/bin/sh
# The power part of the main job (make run), guest side; demo.sh sources it
# after the scheduling part (alone: boot with nvg.script=/test/demo-power.sh).
# The same game-like frame loop, heavier per frame -- 4 ms of work (at the
# top clock) every 10 ms, so a slow clock makes it late -- run PSECS seconds
# under the default devfreq governor (simple_ondemand) and then under the
# governor nvg_power_ops with each power profile. Before each run gpu0 is
# brought back to the same state: no policy, idle at its lowest clock, the
# die cooled to near its idle temperature (power_settle in lib.sh).
#
# For the host (scripts/run-demo.sh), between marker lines on the console:
#   ==== BEGIN POWERTABLE / ==== END POWERTABLE   the comparison
#   ==== BEGIN POWERCSV / ==== END POWERCSV       pcsv:RUN:<t s>,<clock MHz>,<power W>,<temp C>,<energy J>
#     (gpu0 sampled every ~100 ms, t=0 at the start of the workload)
. /test/lib.sh

# (PSECS, PWORKLOAD, PRUNS: from the environment for experiments, e.g. as
# kernel arguments PSECS=3 PRUNS=simple_ondemand,gaming; the table's text
# describes the default workload.)
PSECS=${PSECS:-5}
PWORKLOAD=${PWORKLOAD:-interactive:game,period=10,cost=4}
PRUNS=$(echo "${PRUNS:-simple_ondemand performance balanced powersave gaming}" | tr , ' ')

pstep() { printf '\n==> %s\n' "$*"; }

PSTANDALONE=
if [ ! -e $DBG/status ]; then
	PSTANDALONE=1
	nvg_load || { echo "modprobe nvghost failed"; exit 1; }
fi

pstep "power: workload, ${PSECS} s per run: nvgbench $PWORKLOAD"
echo "  game: interactive, one job every 10 ms that takes 4 ms at the top clock"
echo "  (2520 MHz on ad102; 8 ms at 1245 MHz, 48 ms at 210 MHz), waits for each (deadline: 10 ms)"
echo "  runs: the default devfreq governor simple_ondemand, then the governor"
echo "  nvg_power_ops with each power profile; each from the same state: idle at the"
echo "  lowest clock, die near its idle temperature"

PNOTE=
for r in $PRUNS; do
	pstep "power run: $r"
	if ! power_settle cool; then
		echo "demo: could not bring gpu0 back to idle at its lowest clock"
		exit 1
	fi
	echo "  start: $(gpu_power clock_mhz) MHz, $(gpu_power temp_mc) mC; governor $([ $r = simple_ondemand ] && echo simple_ondemand || echo "nvg_power_ops + $r.bpf.o")"
	_ej0=$(status_field power ejected_total)
	if ! power_run "$r" "$r" "$PSECS" $PWORKLOAD; then
		cat "/tmp/power-$r.out"
		echo "demo: power run $r failed"
		exit 1
	fi
	cat "/tmp/power-$r.out"
	if [ "$(status_field power ejected_total)" != "$_ej0" ]; then
		echo "WARNING: the $r policy was ejected during its run ($(status_field power last_reason))"
		PNOTE="$PNOTE $r"
	fi
done
power_settle >/dev/null 2>&1

# pval RUN KEY: a value from a run's "power:" line, or nvgbench's for the game.
pval() {
	case $2 in
	lat_p99) grep '^nvgbench: client=game ' "/tmp/power-$1.out" |
		sed -n 's/.*lat_us p50=[^ ]* p99=\([0-9.]*\).*/\1/p' |
		awk '{ printf "%.2f", $1 / 1000 }' ;;
	*) sed -n "s/^power: .* $2=\([^ ]*\).*/\1/p" "/tmp/power-$1.out" 2>/dev/null ;;
	esac
}
prow() {
	_label=$1; shift
	printf '%-30s' "$_label"
	for r in $PRUNS; do printf ' %15s' "$("$@" "$r")"; done
	printf '\n'
}
met() { awk -v n="$(pval "$1" frames)" -v m="$(pval "$1" missed)" 'BEGIN { printf "%d/%d", n - m, n }'; }
met_pct() { awk -v n="$(pval "$1" frames)" -v m="$(pval "$1" missed)" 'BEGIN { if (n) printf "%.1f%%", 100 * (n - m) / n; else print "?" }'; }
vs_ondemand() {
	awk -v a="$(pval "$1" j_per_frame)" -v b="$(pval simple_ondemand j_per_frame)" \
		'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.2fx", a / b }'
}
get() { pval "$2" "$1"; }

pstep "power: simple_ondemand vs the power profiles"
echo "==== BEGIN POWERTABLE"
echo "workload: nvgbench -t $PSECS $PWORKLOAD (game: 4 ms of GPU work at the top clock every"
echo "10 ms, deadline 10 ms); gpu0 idle at its lowest clock before each run"
printf '%-30s' "governor / power profile"
for r in $PRUNS; do printf ' %15s' "$r"; done
printf '\n'
prow "frames completed" get frames
prow "deadlines met (<= 10 ms)" met
prow "  share met" met_pct
prow "frame latency p99 (ms)" get lat_p99
prow "mean clock (MHz)" get mean_mhz
prow "average power (W)" get avg_w
prow "energy per frame (J)" get j_per_frame
prow "  vs simple_ondemand" vs_ondemand
prow "peak temperature (C)" get peak_c
prow "temperature at start (C)" get start_c
echo "simple_ondemand: the default devfreq governor; the others: governor nvg_power_ops"
echo "with that profile loaded (gaming also schedules: a single client, nothing to reorder)."
echo "energy: gpu0's energy counter over the nvgbench run; per frame: / frames completed."
echo "A late frame makes the game skip to the next 10 ms slot (fewer frames, less work"
echo "per second). This game renders without presenting on a head, so the power"
echo "policies see no frames (frames/missed in struct nvg_power_period count flips):"
echo "they govern on utilisation alone, and a skipped slot lowers it, so a utilisation"
echo "target can settle on a clock too slow for the deadline."
[ -n "$PNOTE" ] && echo "note: ejected during their run (the default governed the rest):$PNOTE"
echo "==== END POWERTABLE"

echo "==== BEGIN POWERCSV"
for r in $PRUNS; do
	[ -f "/tmp/power-$r.csv" ] && sed "s/^/pcsv:$r:/" "/tmp/power-$r.csv"
done
echo "==== END POWERCSV"
echo "demo: $(cat /tmp/power-*.csv | wc -l) power samples sent to the host (pcsv:RUN:...)"

if [ -n "$PSTANDALONE" ]; then
	nvg_unload
	dmesg_clean >/dev/null || { echo "kernel warnings:"; dmesg_clean; exit 1; }
	echo
	echo "demo: done"
fi
