#!/bin/sh
# The guest side of `make bench` (scripts/bench.sh on the host): load
# nvghost and vgem, run bench_submit, the scheduling and the power
# comparisons, unload. Every result line starts with
# "bench: "; the exit status is the number of measurements that failed.
# After the live measurements, tests/vm/bench-vtime.sh: the same goals in
# virtual time ("bench: vtime" lines); then tests/vm/bench-uvm.sh, managed
# memory ("bench: uvm" lines).
#
# job_timeout_ms is raised because a 64 MiB copy can take seconds of wall
# time under TCG; it changes nothing for a job that finishes in time.
. /test/lib.sh

echo "bench: guest kernel=$(uname -r) cpus=$(grep -c '^processor' /proc/cpuinfo)" \
	"mem_mb=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)"
nvg_load job_timeout_ms=30000 || { echo "bench: error modprobe nvghost failed"; exit 1; }
pin_max_clock 0 || echo "bench: error could not pin the GPU clock"
modprobe vgem || echo "bench: error modprobe vgem failed (no baseline for bo_cycle)"

start=$(cut -d' ' -f1 /proc/uptime)
# The submission path (issue 14): latency against a null ioctl, throughput,
# hook overhead and the breakdown by hop, fast path off and on.
sh /test/bench-fastpath.sh
rc=$?
bench_submit -s copy,bo
rc=$((rc + $?))

# Scheduling: the same workload under two schedulers, alternated in this
# run (A B A B, so that a noisy stretch of the host hits both); nvgbench's
# per-client lines, then the ratios the issue asks for.
#   sched_run POLICY RUN CLIENT...   (POLICY "default": no BPF policy)
sched_run() {
	_pol=$1; _run=$2; shift 2
	if [ "$_pol" != default ] &&
	   ! nvgpolicy load "$NVG_PROFILES/$_pol.bpf.o" >/dev/null; then
		echo "bench: error cannot load $_pol.bpf.o"
		return 1
	fi
	nvgbench -t 5 "$@" > /tmp/nb.out 2>&1 || echo "bench: error nvgbench failed in $_run"
	[ "$_pol" = default ] || nvgpolicy unload --all >/dev/null
	sed -n "s/^nvgbench: client=/bench: sched run=$_run client=/p" /tmp/nb.out | tee -a /tmp/sched.out
}

# field RUN CLIENT KEY: a number from a sched line. KEY is a plain key
# (throughput, starved_max_gap_ms) or GROUP.KEY (lat_us.p99, start_us.p50).
field() {
	awk -v r="run=$1" -v c="client=$2" -v k="$3" '
		index($0, r " ") && index($0, c " ") {
			g = ""; key = k
			if (index(k, ".")) { g = substr(k, 1, index(k, ".") - 1); key = substr(k, index(k, ".") + 1) }
			in_g = (g == "")
			for (i = 1; i <= NF; i++) {
				if ($i !~ /=/) { in_g = (g == "" || $i == g); continue }
				if (in_g && index($i, key "=") == 1) {
					v = substr($i, length(key) + 2); sub(/[^0-9.].*/, "", v); print v; exit
				}
			}
		}' /tmp/sched.out
}

# mean2 RUN1 RUN2 CLIENT KEY: the mean of a field over two runs.
mean2() {
	awk -v a="$(field "$1" "$3" "$4")" -v b="$(field "$2" "$3" "$4")" \
		'BEGIN { if (a == "" || b == "") print ""; else printf "%.1f", (a + b) / 2 }'
}

# hogs_tput RUN: hog1..hog3's throughput, summed.
hogs_tput() {
	awk -v a="$(field "$1" hog1 throughput)" -v b="$(field "$1" hog2 throughput)" \
		-v c="$(field "$1" hog3 throughput)" 'BEGIN { printf "%.1f", a + b + c }'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.2f", a / b }'
}

: > /tmp/sched.out
# (a) The same FIFO algorithm, built in and as BPF: what the BPF path costs.
# Latency here is submit-to-run (start_us: the GPU timestamps the job's
# start), the part a scheduler decides; submit-to-signal (lat_us) also.
A="interactive:game heavy:h1 heavy:h2"
for i in 1 2; do
	sched_run default a_default$i $A || rc=$((rc + 1))
	sched_run fifo a_bpf_fifo$i $A || rc=$((rc + 1))
done
for k in start_us.p50 start_us.p99 lat_us.p50 lat_us.p99; do
	eval "a_$(echo $k | tr . _)=\$(ratio \"\$(mean2 a_bpf_fifo1 a_bpf_fifo2 game $k)\" \"\$(mean2 a_default1 a_default2 game $k)\")"
done
echo "bench: sched fifo_bpf_vs_builtin game_start_p50_ratio=$a_start_us_p50 game_start_p99_ratio=$a_start_us_p99" \
	"game_lat_p50_ratio=$a_lat_us_p50 game_lat_p99_ratio=$a_lat_us_p99" \
	"heavy_throughput_ratio=$(ratio "$(mean2 a_bpf_fifo1 a_bpf_fifo2 h1 throughput)" "$(mean2 a_default1 a_default2 h1 throughput)")" \
	"(goal start <= 1.05 / <= 1.10)"

# (b) gaming against fifo under a very heavy low-priority hog; then the
# floor: the game alone, nothing to wait for, which no policy can beat
# (under TCG it is set by the emulator's wake-up latencies).
B="interactive:game veryheavy:hog,prio=low"
if [ -e "$NVG_PROFILES/gaming.bpf.o" ]; then
	for i in 1 2; do
		sched_run fifo b_fifo$i $B || rc=$((rc + 1))
		sched_run gaming b_gaming$i $B || rc=$((rc + 1))
	done
	sched_run gaming b_floor interactive:game || rc=$((rc + 1))
	echo "bench: sched gaming_vs_fifo game_start_p99_fifo_over_gaming=$(ratio "$(mean2 b_fifo1 b_fifo2 game start_us.p99)" "$(mean2 b_gaming1 b_gaming2 game start_us.p99)")" \
		"game_lat_p99_fifo_over_gaming=$(ratio "$(mean2 b_fifo1 b_fifo2 game lat_us.p99)" "$(mean2 b_gaming1 b_gaming2 game lat_us.p99)")" \
		"hog_throughput_gaming_over_fifo=$(ratio "$(mean2 b_gaming1 b_gaming2 hog throughput)" "$(mean2 b_fifo1 b_fifo2 hog throughput)")" \
		"hog_starved_max_gap_ms=$(mean2 b_gaming1 b_gaming2 hog starved_max_gap_ms)" \
		"(goal >= 5 / >= 0.95)"
	echo "bench: sched gaming_floor game_start_p99_us=$(mean2 b_gaming1 b_gaming2 game start_us.p99)" \
		"alone_start_p99_us=$(field b_floor game start_us.p99)" \
		"gaming_over_floor=$(ratio "$(mean2 b_gaming1 b_gaming2 game start_us.p99)" "$(field b_floor game start_us.p99)")"
	# (b2) the same with three hogs: FIFO round-robin makes the game wait a
	# slice per runnable hog; gaming does not.
	B3="interactive:game veryheavy:hog1,prio=low veryheavy:hog2,prio=low veryheavy:hog3,prio=low"
	sched_run fifo b3_fifo $B3 || rc=$((rc + 1))
	sched_run gaming b3_gaming $B3 || rc=$((rc + 1))
	echo "bench: sched gaming_vs_fifo_3hogs game_start_p99_fifo_over_gaming=$(ratio "$(field b3_fifo game start_us.p99)" "$(field b3_gaming game start_us.p99)")" \
		"game_lat_p99_fifo_over_gaming=$(ratio "$(field b3_fifo game lat_us.p99)" "$(field b3_gaming game lat_us.p99)")" \
		"hogs_throughput_gaming_over_fifo=$(ratio "$(hogs_tput b3_gaming)" "$(hogs_tput b3_fifo)")"
else
	echo "bench: error gaming.bpf.o is not built; no gaming comparison"
	rc=$((rc + 1))
fi
# Frame pacing: a game loop flipping on head 0 (kms_test pace: FRAME_WAIT,
# render, flip, wait for the flip) while a low-priority hog keeps the GPU
# busy; each case alternated A B A B, 4 s per run.
#   start advice: 60 Hz, 4 +- 1 ms frames; gaming's advice vs none
#     (present latency = frame start to its flip's event; frame rate).
#   cadence: VRR 48-165 Hz, 8 +- 3 ms frames; smooth vs none (flip-interval
#     jitter p99; share of intervals within 1 Hz of the median rate).
# pace_run RUN POLICY VRR RENDER_US JITTER_US WAIT MODE
pace_run() {
	_r=$1; _p=$2; shift 2
	[ "$_p" = default ] || nvgpolicy load "$NVG_PROFILES/$_p.bpf.o" >/dev/null ||
		{ echo "bench: error pacing: cannot load $_p"; return 1; }
	nvgbench -t 5 hog:bg >/dev/null 2>&1 &
	_hog=$!
	sleep 0.3
	kms_test pace 0 "$5" "$1" 4 "$2" "$3" "$4" > /tmp/pace.out 2>&1
	wait $_hog
	[ "$_p" = default ] || nvgpolicy unload --all >/dev/null
	sed -n "s/^# pace: /bench: pacing run=$_r policy=$_p /p" /tmp/pace.out | tee -a /tmp/pacing.out
	grep -q "^PASS: pace_frames_presented" /tmp/pace.out || { echo "bench: error pacing run $_r: $(tail -n 2 /tmp/pace.out | tr "\n" " ")"; return 1; }
}
# pf RUN KEY: a value from a pacing line (fps, jitter_p99_us, present_median_us, ...)
pf() {
	awk -v r="run=$1" -v k="$2=" '$1 == "bench:" && index($0, " " r " ") {
		for (i = 1; i <= NF; i++) if (index($i, k) == 1) { print substr($i, length(k) + 1); exit } }' /tmp/pacing.out
}
pmean() { awk -v a="$(pf "$1" "$3")" -v b="$(pf "$2" "$3")" 'BEGIN { printf "%.1f", (a + b) / 2 }'; }
: > /tmp/pacing.out
for i in 1 2; do
	pace_run adv_none$i default 0 4000 1000 1 1920x1080@60 || rc=$((rc + 1))
	pace_run adv_gaming$i gaming 0 4000 1000 1 1920x1080@60 || rc=$((rc + 1))
done
for i in 1 2; do
	pace_run vrr_none$i default 1 8000 3000 0 pref || rc=$((rc + 1))
	pace_run vrr_smooth$i smooth 1 8000 3000 0 pref || rc=$((rc + 1))
done
echo "bench: pacing start_advice present_median_us none=$(pmean adv_none1 adv_none2 present_median_us)" \
	"gaming=$(pmean adv_gaming1 adv_gaming2 present_median_us)" \
	"present_ratio=$(ratio "$(pmean adv_gaming1 adv_gaming2 present_median_us)" "$(pmean adv_none1 adv_none2 present_median_us)")" \
	"fps none=$(pmean adv_none1 adv_none2 fps) gaming=$(pmean adv_gaming1 adv_gaming2 fps)" \
	"fps_ratio=$(ratio "$(pmean adv_gaming1 adv_gaming2 fps)" "$(pmean adv_none1 adv_none2 fps)")" \
	"(goal present_ratio <= 0.70 at fps_ratio >= 0.95)"
echo "bench: pacing cadence jitter_p99_us none=$(pmean vrr_none1 vrr_none2 jitter_p99_us)" \
	"smooth=$(pmean vrr_smooth1 vrr_smooth2 jitter_p99_us)" \
	"jitter_ratio_none_over_smooth=$(ratio "$(pmean vrr_none1 vrr_none2 jitter_p99_us)" "$(pmean vrr_smooth1 vrr_smooth2 jitter_p99_us)")" \
	"within_1hz_pct none=$(pmean vrr_none1 vrr_none2 within_1hz_pct) smooth=$(pmean vrr_smooth1 vrr_smooth2 within_1hz_pct)" \
	"(goal jitter ratio >= 2, within_1hz >= 95%)"

# Power: energy per frame of gaming, balanced and powersave against the default devfreq
# governor (simple_ondemand), for the game of make run's power part alone on
# the GPU (each frame 4 +- 1 ms of work at the top clock, presented on head 0
# at 60 Hz, vsync'd; a frame meets its deadline when it is shown at the
# refresh after the previous one). The comparisons above
# ran at a pinned top clock: release the pin first (min_freq back to the
# lowest frequency). Runs alternate (A B C D A B C D), each from the same state:
# no policy, simple_ondemand, idle at the lowest clock (power_settle); the
# governor is simple_ondemand again at the end.
DF=/sys/class/devfreq/nvghost.0
PW="game:game,head=0,hz=60,cost=4,jitter=1"
: > /tmp/power.out
if awk '{ print $1 }' $DF/available_frequencies > $DF/min_freq; then
	echo "bench: power workload=$PW secs=5 min_freq=$(cat $DF/min_freq) (clock pin released)"
	for i in 1 2; do
		for g in simple_ondemand gaming balanced powersave; do
			if ! power_settle; then
				echo "bench: error power: gpu0 did not settle idle at its lowest clock"
				rc=$((rc + 1))
				continue
			fi
			power_run "p_$g$i" "$g" 5 $PW || { echo "bench: error power run p_$g$i failed"; rc=$((rc + 1)); }
			sed -n -e "s/^nvgbench: client=/bench: power run=p_$g$i client=/p" \
				-e 's/^power: /bench: power /p' "/tmp/power-p_$g$i.out" | tee -a /tmp/power.out
		done
	done
	power_settle >/dev/null 2>&1 || true
	# psum GOVERNOR: "energy_j frames missed", summed over its runs.
	psum() {
		awk -v g="governor=$1" '$1 == "bench:" && $2 == "power" && index($0, " " g " ") {
			for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] += kv[2] }
		} END { printf "%s %d %d\n", v["energy_j"], v["frames"], v["missed"] }' /tmp/power.out
	}
	# pcmp GOVERNOR: its line against simple_ondemand.
	pcmp() {
		echo "$(psum "$1") $(psum simple_ondemand)" | awk -v g="$1" '{
			jf = $2 ? $1 / $2 : 0; od = $5 ? $4 / $5 : 0
			met = $2 ? 100 * ($2 - $3) / $2 : 0; odmet = $5 ? 100 * ($5 - $6) / $5 : 0
			printf("bench: power %s_vs_ondemand j_per_frame=%.3f ondemand_j_per_frame=%.3f j_per_frame_ratio=%s met_pct=%.1f ondemand_met_pct=%.1f hit_rate_same_or_better=%s (goal ratio <= 0.90 at the same or better hit rate)\n",
			       g, jf, od, (od ? sprintf("%.2f", jf / od) : "n/a"), met, odmet, (met >= odmet ? "yes" : "no"))
		}'
	}
	pcmp gaming
	pcmp balanced
	pcmp powersave
else
	echo "bench: error power: cannot release the clock pin (min_freq)"
	rc=$((rc + 1))
fi

rmmod vgem 2>/dev/null
nvg_unload || { echo "bench: error rmmod nvghost failed"; rc=$((rc + 1)); }

# Virtual time (issue 12 items 5 and 7): the policy goals replayed on the
# virtual clock with nvgreplay, and the replay speed; "bench: vtime" lines.
# Reloads the module with clock=virtual; unloads it at the end.
sh /test/bench-vtime.sh
rc=$((rc + $?))

# Managed memory (issue 16 item 6): per memory policy, workload and VRAM
# ratio in virtual time, and the issue's goals; "bench: uvm" lines.
sh /test/bench-uvm.sh
rc=$((rc + $?))

end=$(cut -d' ' -f1 /proc/uptime)
echo "bench: done in $(echo "$start $end" | awk '{ printf "%.1f", $2 - $1 }') s (guest clock)"
if ! dmesg_clean >/tmp/dmesg.bad; then
	echo "bench: error kernel warnings during the run:"
	sed 's/^/bench: dmesg /' /tmp/dmesg.bad
	rc=$((rc + 1))
fi
exit "$rc"
