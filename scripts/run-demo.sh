#!/bin/bash
# The host side of `make run`: boot the test VM once with tests/vm/demo.sh as
# the guest script (a game-like client against a low-priority hog, first
# under the default scheduler, then under a BPF policy), then take from the
# serial log the comparison table and the per-job CSVs (printed between
# "==== BEGIN/END" markers: the initramfs boot has no shared folder), write
# build/demo/RUN-CLIENT.csv, plot the game's frame latency over time for both
# runs into build/demo/frame-latency.png, and print the table again. Then the
# same for the power part (a game under each devfreq governor / power
# profile): its table, build/demo/power-RUN.csv (gpu0 sampled every ~100 ms)
# and build/demo/power.png (clock, power and temperature over time). Then
# the pacing part's table and build/demo/pacing.png, and last the replay
# part (tests/vm/demo-replay.sh: the first part's workload replayed by
# nvgreplay in virtual time, gaming vs fifo): its table and CSVs in
# build/demo/replay/, plotted by scripts/replay-plot.sh into
# build/demo/replay/*.png.
#
# Needs the guest image: run through `make run`, which builds it first.
# --no-boot: only redo the extraction, plot and table from an existing $LOG.
# Exit status: the VM's (non-zero if the demo failed), or 1 if no results.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
LOG=${LOG:-build/vm/serial-demo.log}
OUT=build/demo

if [ "${1:-}" = --no-boot ]; then
	[ -f "$LOG" ] || { echo "run: no $LOG to read" >&2; exit 1; }
	st=0
	vmrun="from the existing log $LOG"
else
	# Show the guest live, but not the hundreds of CSV lines.
	start=$(date +%s)
	LOG=$LOG tests/vm/run-vm.sh --live nvg.script=/test/demo.sh |
		grep -av --line-buffered -e '^csv:' -e '^==== [A-Z]* CSV' -e '^pcsv:' -e '^==== [A-Z]* POWERCSV' \
			-e '^qcsv:' -e '^==== [A-Z]* PACECSV' -e '^vcsv:' -e '^==== [A-Z]* VREPLAYCSV'
	st=${PIPESTATUS[0]}
	vmrun="VM run $(( $(date +%s) - start )) s, log $LOG"
fi

# Serial lines end in \r\n; kernel messages may interleave, so keep only ours.
between() { tr -d '\r' < "$LOG" | sed -n "/^==== BEGIN $1\$/,/^==== END $1\$/p" | sed '1d;$d'; }

# gnuplot's PNG terminal: pngcairo where gnuplot has it.
term=png
command -v gnuplot >/dev/null && gnuplot -e 'set terminal' 2>/dev/null | grep -q pngcairo && term=pngcairo

# plot PNG ERRFILE: run the gnuplot script on stdin; print why it made no
# PNG (nothing if it did).
plot() {
	if ! gnuplot 2>"$2"; then
		echo "gnuplot failed: $(tail -n 3 "$2")"
	elif [ ! -s "$1" ]; then
		echo "gnuplot wrote no $1: $(tail -n 3 "$2")"
	else
		rm -f "$2"
	fi
}

# show_plot WHAT ERR PNG: where the plot is, or why there is none (which
# fails the run).
show_plot() {
	if [ -n "$2" ]; then
		echo "run: no $1: $2" >&2
		[ "$st" -eq 0 ] && st=1
	else
		echo "$1: $3"
	fi
}
table=$(between TABLE)
if [ -z "$table" ]; then
	echo "run: no results in $LOG (VM status $st)" >&2
	exit 1
fi

rm -rf "$OUT"
mkdir -p "$OUT"
between CSV | grep -a '^csv:[A-Za-z0-9_.-]*:[A-Za-z0-9_.-]*:[0-9.]*,[0-9.]*,[0-9.]*$' |
	awk -F: -v out="$OUT" '{ f = out "/" $2 "-" $3 ".csv"; print $4 > f }'
runs=$(ls "$OUT" | sed -n 's/-game\.csv$//p')
policy=$(echo "$runs" | grep -v '^default$' | head -n 1)

PNG=$OUT/frame-latency.png
plot_err=
if [ ! -s "$OUT/default-game.csv" ] || [ -z "$policy" ] || [ ! -s "$OUT/$policy-game.csv" ]; then
	plot_err="no frame CSVs for both runs in $LOG"
elif ! command -v gnuplot >/dev/null; then
	plot_err="gnuplot is not installed (make deps)"
else
	period=$(echo "$table" | sed -n 's/.*missed deadlines (> \([0-9.]*\) ms).*/\1/p')
	# Both runs on the same scale, one panel each, the deadline drawn across.
	ymax=$(cat "$OUT/default-game.csv" "$OUT/$policy-game.csv" |
		awk -F, -v p="${period:-10}" '$2 > m { m = $2 } END { m = m > p ? m : p; print m * 1.1 }')
	plot_err=$(plot "$PNG" "$OUT/gnuplot.err" <<-EOF
		set terminal $term size 1100,800 $([ $term = pngcairo ] && echo "font 'Sans,10'")
		set output '$PNG'
		set datafile separator ','
		set multiplot layout 2,1 title "nvghost: game frame latency (a 1 ms job every ${period:-10} ms) against a low-priority hog (50 ms jobs, 2 in flight)"
		set xlabel 'time since start of run (s)'
		set ylabel 'frame latency (ms)'
		set grid
		set key top left box opaque
		set xrange [0:*]
		set yrange [0:$ymax]
		set arrow from graph 0, first ${period:-10} to graph 1, first ${period:-10} nohead dt 2 lw 1.5 lc rgb '#c00000' front
		set label 'deadline ${period:-10} ms' at graph 0.99, first ${period:-10} right offset 0,0.7 tc rgb '#c00000' front
		set title 'built-in default scheduler'
		plot '$OUT/default-game.csv' using 1:2 with points pt 7 ps 0.5 lc rgb '#1f77b4' title 'submit to signal (what the game sees)', \\
		     '' using 1:3 with points pt 1 ps 0.5 lc rgb '#2ca02c' title 'submit to running on the GPU (the scheduler part)'
		set title 'BPF policy: $policy'
		plot '$OUT/$policy-game.csv' using 1:2 with points pt 7 ps 0.5 lc rgb '#ff7f0e' title 'submit to signal (what the game sees)', \\
		     '' using 1:3 with points pt 1 ps 0.5 lc rgb '#2ca02c' title 'submit to running on the GPU (the scheduler part)'
		unset multiplot
	EOF
	)
fi

# The power part: samples "t s,clock MHz,power W,temp C,energy J" per run;
# a 7th column, the average power over the interval since the previous
# sample (from the energy counter: the 2nd column is the last 10 ms step's,
# which swings between idle and busy with every frame).
ptable=$(between POWERTABLE)
between POWERCSV | grep -a '^pcsv:[A-Za-z0-9_.-]*:[-0-9.]*,[0-9]*,[0-9.]*,[0-9.]*,[-0-9.]*$' |
	awk -F'[:,]' -v out="$OUT" '{
		f = out "/power-" $2 ".csv"
		avg = ($2 in t) && $3 > t[$2] ? ($7 - e[$2]) / ($3 - t[$2]) : $5
		printf "%s,%s,%s,%s,%s,%.1f\n", $3, $4, $5, $6, $7, avg > f
		t[$2] = $3; e[$2] = $7
	}'
pruns=$(ls "$OUT" | sed -n 's/^power-\(.*\)\.csv$/\1/p')
PPNG=$OUT/power.png
pplot_err=
if [ -z "$ptable" ]; then
	pplot_err="no power table in $LOG"
elif [ -z "$pruns" ]; then
	pplot_err="no power samples in $LOG"
elif ! command -v gnuplot >/dev/null; then
	pplot_err="gnuplot is not installed (make deps)"
else
	# One line per run, in the guest's order, the same colour in every panel.
	order=$(echo "$ptable" | sed -n 's/^governor \/ power profile *//p')
	[ -n "$order" ] || order=$pruns
	colors=('#7f7f7f' '#d62728' '#1f77b4' '#2ca02c' '#ff7f0e' '#9467bd' '#8c564b')
	panel() { # COLUMN STYLE
		local i=0 sep= r
		printf 'plot '
		for r in $order; do
			[ -s "$OUT/power-$r.csv" ] || continue
			printf "%s'%s' using 1:%s with %s lw 1.5 lc rgb '%s' title '%s'" \
				"$sep" "$OUT/power-$r.csv" "$1" "$2" "${colors[i % ${#colors[@]}]}" "$r"
			sep=', '
			i=$((i + 1))
		done
		echo
	}
	workload=$(echo "$ptable" | sed -n 's/^workload: nvgbench -t [0-9]* \([^ ]*\).*/\1/p')
	pplot_err=$(plot "$PPNG" "$OUT/gnuplot-power.err" <<-EOF
		set terminal $term size 1100,1000 $([ $term = pngcairo ] && echo "font 'Sans,10'")
		set output '$PPNG'
		set datafile separator ','
		set termoption noenhanced
		set multiplot layout 3,1 title "nvghost gpu0: a game ($workload) under each devfreq governor / power profile"
		set grid
		set key outside right top
		set xrange [0:*]
		set autoscale xfixmax
		set xlabel 'time since start of run (s)'
		set title 'graphics clock'
		set ylabel 'MHz'
		set yrange [0:*]
		$(panel 2 steps)
		set title 'board power (average over each ~100 ms sample, from the energy counter)'
		set ylabel 'W'
		$(panel 6 lines)
		set title 'die temperature'
		set ylabel 'C'
		set yrange [*:*]
		$(panel 4 lines)
		unset multiplot
	EOF
	)
fi

# The frame-pacing part: per run "t s,flip interval ms,present latency ms".
qtable=$(between PACETABLE)
between PACECSV | grep -a '^qcsv:[A-Za-z0-9_.-]*:[0-9.]*,[0-9.]*,[0-9.]*$' |
	awk -F: -v out="$OUT" '{ print $3 > (out "/pace-" $2 ".csv") }'
QPNG=$OUT/pacing.png
qplot_err=
if [ -z "$qtable" ]; then
	qplot_err="no pacing table in $LOG"
elif ! ls "$OUT"/pace-*.csv >/dev/null 2>&1; then
	qplot_err="no flip intervals in $LOG"
elif ! command -v gnuplot >/dev/null; then
	qplot_err="gnuplot is not installed (make deps)"
else
	qplot_err=$(plot "$QPNG" "$OUT/gnuplot-pacing.err" <<-EOF
		set terminal $term size 1100,800 $([ $term = pngcairo ] && echo "font 'Sans,10'")
		set output '$QPNG'
		set termoption noenhanced
		set datafile separator ','
		set multiplot layout 2,1 title "nvghost: flip intervals of a game loop on head 0 while a hog runs"
		set xlabel 'time since start of run (s)'
		set ylabel 'flip interval (ms)'
		set grid
		set key top right box opaque
		set yrange [0:*]
		set title 'VRR 48-165 Hz, frames of 8 +- 3 ms: no policy vs smooth'
		plot '$OUT/pace-vrr_default.csv' using 1:2 with lines lc rgb '#1f77b4' title 'no policy', \\
		     '$OUT/pace-vrr_smooth.csv' using 1:2 with lines lc rgb '#ff7f0e' title 'smooth'
		set title '60 Hz, frames of 4 +- 1 ms: present latency (frame start to flip) without and with gaming start advice'
		set ylabel 'present latency (ms)'
		plot '$OUT/pace-fixed_default.csv' using 1:3 with points pt 7 ps 0.4 lc rgb '#1f77b4' title 'no policy', \\
		     '$OUT/pace-fixed_gaming.csv' using 1:3 with points pt 7 ps 0.4 lc rgb '#d62728' title 'gaming (FRAME_WAIT advice)'
		unset multiplot
	EOF
	)
fi

# The replay part: nvgreplay's table and CSVs (vcsv:FILE:LINE), plotted by
# scripts/replay-plot.sh as make replay does.
VDIR=$OUT/replay
vtable=$(between VREPLAYTABLE)
vplot_err=
vnote=
mkdir -p "$VDIR"
if [ -z "$vtable" ]; then
	if tr -d '\r' < "$LOG" | grep -q '^demo: this nvghost.ko has no virtual clock'; then
		vnote="this nvghost.ko has no virtual clock: no replay part"
	else
		vplot_err="no replay table in $LOG"
	fi
else
	echo "$vtable" > "$VDIR/table.txt"
	for f in jobs flips samples; do
		between VREPLAYCSV | grep -a "^vcsv:$f:" | cut -d: -f3- > "$VDIR/$f.csv"
	done
	if [ ! -s "$VDIR/samples.csv" ]; then
		vplot_err="no replay CSVs in $LOG"
	elif ! vplot_out=$(scripts/replay-plot.sh "$VDIR" 2>&1); then
		vplot_err="scripts/replay-plot.sh $VDIR: $(echo "$vplot_out" | tail -n 2 | tr '\n' ' ')"
	fi
fi

echo
echo "==> make run: default scheduler vs $policy ($vmrun)"
echo "$table"
echo
echo "per-job CSVs (submit time s, latency ms, start latency ms): $(ls "$OUT"/*.csv | grep -v -e '/power-' -e '/pace-' | tr '\n' ' ')"
show_plot "frame latency plot" "$plot_err" "$PNG"

echo
echo "==> make run, power part: simple_ondemand vs the power profiles"
if [ -n "$ptable" ]; then
	echo "$ptable"
	echo
	echo "power samples (t s, clock MHz, power W (last 10 ms), temp C, energy J, power W (since last sample)): $(ls "$OUT"/power-*.csv 2>/dev/null | tr '\n' ' ')"
fi
show_plot "power plot" "$pplot_err" "$PPNG"

echo
echo "==> make run, frame-pacing part: no policy vs smooth and gaming"
if [ -n "$qtable" ]; then
	echo "$qtable"
	echo
	echo "flip intervals (t s, interval ms, present latency ms): $(ls "$OUT"/pace-*.csv 2>/dev/null | tr '\n' ' ')"
fi
show_plot "frame pacing plot" "$qplot_err" "$QPNG"

echo
echo "==> make run, replay part: the first part's workload in virtual time, gaming vs fifo (nvgreplay)"
if [ -n "$vnote" ]; then
	echo "$vnote"
elif [ -n "$vplot_err" ]; then
	show_plot "replay plots" "$vplot_err" ""
else
	echo "$vtable"
	echo
	echo "replay CSVs (nvgreplay --csv): $(ls "$VDIR"/*.csv | tr '\n' ' ')"
	for png in "$VDIR"/*.png; do
		[ -s "$png" ] && echo "replay plot: $png"
	done
fi
exit "$st"
