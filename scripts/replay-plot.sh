#!/bin/bash
# Plot nvgreplay's CSVs (nvgreplay --csv DIR) with gnuplot, on the host:
#   DIR/frame-latency.png  per replay: a game's present latency per frame
#                          (submit to the flip's vblank), or without a game
#                          the first client's submit-to-signal per job, over
#                          time; submit-to-run beside it
#   DIR/flip-intervals.png per replay: the game's flip-to-flip intervals
#   DIR/power.png          per replay: GPU clock, power and temperature
# Every replay (the CSVs' first column) is one colour in every panel.
#
# usage: scripts/replay-plot.sh DIR
# Exit status: 0 if every plot that has data was written, 1 otherwise.
set -uo pipefail
DIR=${1:?usage: replay-plot.sh DIR}
for f in jobs.csv flips.csv samples.csv; do
	[ -f "$DIR/$f" ] || { echo "replay-plot: no $DIR/$f (nvgreplay --csv $DIR writes it)" >&2; exit 1; }
done
command -v gnuplot >/dev/null || { echo "replay-plot: gnuplot is not installed (make deps)" >&2; exit 1; }
term=png
gnuplot -e 'set terminal' 2>/dev/null | grep -q pngcairo && term=pngcairo
font=
[ $term = pngcairo ] && font="font 'Sans,10'"
colors=('#1f77b4' '#ff7f0e' '#2ca02c' '#d62728')
D=$DIR/.plot
rm -rf "$D" && mkdir -p "$D"

# Replays in the order they ran; per replay its rows, times in seconds/ms.
runs=$(awk -F, 'NR > 1 && !($1 in s) { s[$1]; print $1 }' "$DIR/samples.csv")
[ -n "$runs" ] || { echo "replay-plot: $DIR/samples.csv has no rows" >&2; exit 1; }
first_client=$(awk -F, 'NR == 2 { print $2; exit }' "$DIR/jobs.csv")
games=$(awk -F, 'NR > 1 { print $2 }' "$DIR/flips.csv" | sort -u | head -n 1)
for r in $runs; do
	# flips: frame start (s), present latency (ms), interval (ms)
	awk -F, -v r="$r" 'NR > 1 && $1 == r { printf "%.6f,%.3f,%s\n", $5 / 1e9, $10 / 1e6,
		$9 < 0 ? "NaN" : sprintf("%.3f", $9 / 1e6) }' "$DIR/flips.csv" > "$D/$r-flips.dat"
	# jobs of the first client: submit (s), submit-to-signal (ms), submit-to-run (ms)
	awk -F, -v r="$r" -v c="$first_client" 'NR > 1 && $1 == r && $2 == c && $11 >= 0 {
		printf "%.6f,%.3f,%s\n", $7 / 1e9, $11 / 1e6, $10 < 0 ? "NaN" : sprintf("%.3f", $10 / 1e6) }' \
		"$DIR/jobs.csv" > "$D/$r-jobs.dat"
	# samples: t (s), clock MHz, power W, temp C
	awk -F, -v r="$r" 'NR > 1 && $1 == r { printf "%.6f,%s,%.3f,%s\n", $2 / 1e9, $3, $4 / 1e3, $6 }' \
		"$DIR/samples.csv" > "$D/$r-samples.dat"
done

rc=0
# plot PNG: the gnuplot script on stdin; say why there is no PNG.
plot() {
	if ! gnuplot 2>"$D/err"; then
		echo "replay-plot: gnuplot failed for $1: $(tail -n 3 "$D/err")" >&2
		rc=1
	elif [ ! -s "$1" ]; then
		echo "replay-plot: gnuplot wrote no $1: $(tail -n 3 "$D/err")" >&2
		rc=1
	else
		echo "replay-plot: wrote $1"
	fi
}
# lines FILE-SUFFIX USING TITLE-SUFFIX STYLE: one plot clause per replay.
lines() {
	local i=0 sep= r
	printf 'plot '
	for r in $runs; do
		printf "%s'%s' using %s with %s lc rgb '%s' title '%s%s'" "$sep" "$D/$r-$1.dat" "$2" "$4" \
			"${colors[$((i % 4))]}" "$r" "$3"
		sep=', '
		i=$((i + 1))
	done
	echo
}

if [ -n "$games" ]; then
	plot "$DIR/frame-latency.png" <<-EOF
		set terminal $term size 1100,600 $font
		set output '$DIR/frame-latency.png'
		set datafile separator ','
		set title "nvgreplay: $games's present latency per frame (submit to the vblank its flip latched at)"
		set xlabel 'frame start (s since the replay began)'
		set ylabel 'present latency (ms)'
		set grid
		set key top left box opaque
		$(lines flips 1:2 '' 'points pt 7 ps 0.5')
	EOF
	plot "$DIR/flip-intervals.png" <<-EOF
		set terminal $term size 1100,600 $font
		set output '$DIR/flip-intervals.png'
		set datafile separator ','
		set title "nvgreplay: $games's flip-to-flip intervals"
		set xlabel 'frame start (s since the replay began)'
		set ylabel 'interval (ms)'
		set grid
		set key top left box opaque
		$(lines flips 1:3 '' 'points pt 7 ps 0.5')
	EOF
else
	plot "$DIR/frame-latency.png" <<-EOF
		set terminal $term size 1100,600 $font
		set output '$DIR/frame-latency.png'
		set datafile separator ','
		set title "nvgreplay: $first_client's jobs, submit to signal (and to running on the GPU)"
		set xlabel 'submitted at (s since the replay began)'
		set ylabel 'latency (ms)'
		set grid
		set key top left box opaque
		$(lines jobs 1:2 ' signal' 'points pt 7 ps 0.5'), \\
		$(lines jobs 1:3 ' run' 'points pt 1 ps 0.5' | sed 's/^plot //')
	EOF
fi
plot "$DIR/power.png" <<-EOF
	set terminal $term size 1100,900 $font
	set output '$DIR/power.png'
	set datafile separator ','
	set multiplot layout 3,1 title 'nvgreplay: GPU 0 clock, power and temperature'
	set grid
	set key top right box opaque
	set xlabel 'time (s since the replay began)'
	set ylabel 'clock (MHz)'
	$(lines samples 1:2 '' 'steps lw 1.5')
	set ylabel 'power (W)'
	$(lines samples 1:3 '' 'lines lw 1')
	set ylabel 'temperature (C)'
	$(lines samples 1:4 '' 'lines lw 1.5')
	unset multiplot
EOF
rm -rf "$D"
exit $rc
