#!/bin/sh
# The power part of the main job (make run), guest side; demo.sh sources it
# after the scheduling part (alone: boot with nvg.script=/test/demo-power.sh).
# A game that renders each frame on the GPU -- 4 +- 1 ms of work at the top
# clock -- and presents it on head 0 at 60 Hz, vsync'd (nvgbench's game
# client), run PSECS seconds under the default devfreq governor
# (simple_ondemand) and then under the governor nvg_power_ops with each
# power profile. Before each run gpu0 is
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
PWORKLOAD=${PWORKLOAD:-game:game,head=0,hz=60,cost=4,jitter=1}
PRUNS=$(echo "${PRUNS:-simple_ondemand performance balanced powersave gaming}" | tr , ' ')

pstep() { printf '\n==> %s\n' "$*"; }

PSTANDALONE=
if [ ! -e $DBG/status ]; then
	PSTANDALONE=1
	nvg_load || { echo "modprobe nvghost failed"; exit 1; }
fi

pstep "power: workload, ${PSECS} s per run: nvgbench $PWORKLOAD"
echo "  game: renders each frame on the GPU (4 +- 1 ms of work at the top clock: 2520 MHz"
echo "  on ad102; 8 ms at 1245 MHz, 14 ms at 735 MHz, 48 ms at 210 MHz), waits for it, then"
echo "  flips it on head 0 at 60 Hz and waits for the flip (vsync): a frame meets its deadline"
echo "  when it is shown at the refresh after the previous one (16.7 ms)"
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
	present_p99) grep '^nvgbench: client=game ' "/tmp/power-$1.out" |
		sed -n 's/.*present_us p50=[^ ]* p99=\([0-9.]*\).*/\1/p' |
		awk '{ printf "%.1f", $1 / 1000 }' ;;
	fps) grep '^nvgbench: client=game ' "/tmp/power-$1.out" |
		sed -n 's/.* fps=\([0-9.]*\).*/\1/p' ;;
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
echo "workload: nvgbench -t $PSECS $PWORKLOAD (game: 4 +- 1 ms of GPU work at the"
echo "top clock per frame, presented on head 0 at 60 Hz, vsync'd: deadline one refresh, 16.7 ms);"
echo "gpu0 idle at its lowest clock before each run"
printf '%-30s' "governor / power profile"
for r in $PRUNS; do printf ' %15s' "$r"; done
printf '\n'
prow "frames presented" get frames
prow "deadlines met (next refresh)" met
prow "  share met" met_pct
prow "frames per second" get fps
prow "render+present p99 (ms)" get present_p99
prow "mean clock (MHz)" get mean_mhz
prow "average power (W)" get avg_w
prow "energy per frame (J)" get j_per_frame
prow "  vs simple_ondemand" vs_ondemand
prow "peak temperature (C)" get peak_c
prow "temperature at start (C)" get start_c
echo "simple_ondemand: the default devfreq governor; the others: governor nvg_power_ops"
echo "with that profile loaded (gaming also schedules: a single client, nothing to reorder)."
echo "energy: gpu0's energy counter over the nvgbench run; per frame: / frames completed."
echo "A frame not ready for the next refresh waits for the one after: the game drops to"
echo "30 (20, 15) frames per second, and its GPU utilisation falls with it -- a utilisation"
echo "rule (simple_ondemand) then keeps or lowers the clock that made it late; the profiles"
echo "also see each client's GPU time per frame against its deadline (per-client frame"
echo "information) and size the clock from that."
[ -n "$PNOTE" ] && echo "note: ejected during their run (the default governed the rest):$PNOTE"
echo "==== END POWERTABLE"

send_csv POWERCSV power pcsv $PRUNS
echo "demo: $(cat /tmp/power-*.csv | wc -l) power samples sent to the host (pcsv:RUN:...)"

if [ -n "$PSTANDALONE" ]; then
	nvg_unload
	dmesg_clean >/dev/null || { echo "kernel warnings:"; dmesg_clean; exit 1; }
	echo
	echo "demo: done"
fi
