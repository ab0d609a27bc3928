# shellcheck shell=sh
# Helpers for the VM selftests. Each selftest is a shell script that prints
# one line per check: "PASS: name", "FAIL: name: why" or, where a
# precondition measured in the same run does not hold on this host,
# "SKIP: name: why". guest-run.sh counts them. A FAIL line says what was
# expected and what was seen; the helpers below never print an empty why.
# Environment: NVG_PROFILES and NVG_TESTBPF (where the .bpf.o are).

DBG=/sys/kernel/debug/nvghost

pass() { echo "PASS: $1"; }
# fail NAME WHY: WHY says what was expected and what was seen.
fail() {
	if [ -n "$2" ]; then
		echo "FAIL: $1: $2"
	else
		echo "FAIL: $1: (the test gave no reason: a bug in the test, which must say what it expected and saw)"
	fi
}
# skip NAME WHY: a check not made, and why (a precondition this run measured).
skip() {
	echo "SKIP: $1: ${2:-(no reason given: a bug in the test)}"
}

# check NAME CMD...: PASS if CMD succeeds; else say the command (its
# arguments expanded: the values compared), its status and its last output.
# The check helpers return non-zero when they FAIL.
check() {
	_n=$1; shift
	if "$@" >/tmp/check.out 2>&1; then
		pass "$_n"
	else
		_st=$?
		_o=$(tail -n 3 /tmp/check.out | tr '\n' ' ')
		fail "$_n" "expected success of '$*', got exit status $_st${_o:+: $_o}"
		return 1
	fi
}

# check_cmp NAME A OP B WHAT: PASS if the integer test "A -OP B" holds
# (OP: lt le gt ge eq ne); else "WHAT: got A, expected OP B".
check_cmp() {
	if [ -n "$2" ] && [ "$2" -"$3" "$4" ] 2>/dev/null; then
		pass "$1"
	else
		case $3 in
		lt) _w="less than" ;; le) _w="at most" ;; gt) _w="more than" ;;
		ge) _w="at least" ;; eq) _w="equal to" ;; *) _w="$3" ;;
		esac
		fail "$1" "${5:+$5: }got '$2', expected $_w $4"
		return 1
	fi
}

# check_eq NAME ACTUAL EXPECTED: PASS if equal, else say both.
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', expected '$3'"; return 1; fi
}

# check_gt NAME VALUE MIN: PASS if the integer VALUE is greater than MIN.
check_gt() {
	if [ -n "$2" ] && [ "$2" -gt "$3" ] 2>/dev/null; then pass "$1"; else fail "$1" "got '$2', wanted more than $3"; fi
}

# status_has NAME HOOK FIELD PATTERN: PASS if the field matches PATTERN.
# A policy's exit is recorded when the kernel lets go of its struct_ops
# link, which may come a moment after the command that dropped it
# returned: wait up to 10 s for the field to match.
status_has() {
	_end=$(( $(date +%s) + 10 ))
	while :; do
		_v=$(status_field "$2" "$3")
		if echo "$_v" | grep -q -- "$4"; then pass "$1"; return; fi
		[ "$(date +%s)" -ge "$_end" ] && break
		sleep 0.05
	done
	fail "$1" "$3 is '$_v' after 10 s, wanted '$4'"
}

# expect_fail NAME PATTERN CMD...: PASS if CMD fails and prints PATTERN
# (a grep pattern naming the specific error; an empty one would accept any
# failure, so it is refused).
expect_fail() {
	_n=$1; _p=$2; shift 2
	if [ -z "$_p" ]; then
		fail "$_n" "expect_fail needs the expected error's pattern (a bug in the test)"
	elif "$@" >/tmp/check.out 2>&1; then
		fail "$_n" "'$*' succeeded, expected it to fail with '$_p'"
	elif grep -q -- "$_p" /tmp/check.out; then
		pass "$_n"
	else
		fail "$_n" "expected '$_p' from '$*', got: $(tail -n 4 /tmp/check.out | tr '\n' ' ')"
	fi
}

# NVG_SLOW (kernel command line nvg.slow=N, default 1): how many times
# slower than a Debian kernel under TCG this guest runs its simulated GPU on
# the live clock. make test-debug sets it: under KASAN and lockdep the
# simulator's engines (kernel workers) take several times longer to copy,
# fill and be scheduled, and a live job's GPU time is wall time.
NVG_SLOW=${NVG_SLOW:-1}

# slow_ms MS: a live-clock time limit a test chooses (job_timeout_ms,
# sched_watchdog_ms), scaled by NVG_SLOW.
slow_ms() { echo $(($1 * NVG_SLOW)); }

# Load the module with the given parameters and wait for its devices. On a
# slow guest (NVG_SLOW > 1) a live module without an explicit job_timeout_ms
# gets the default (2000 ms) scaled.
nvg_load() {
	_extra=
	case " $* " in
	*" job_timeout_ms="* | *" clock=virtual"*) ;;
	*) [ "$NVG_SLOW" -gt 1 ] && _extra="job_timeout_ms=$(slow_ms 2000)" ;;
	esac
	modprobe nvghost "$@" $_extra || return 1
	[ -e $DBG/status ]
}

# rmmod, retrying: a just-freed struct_ops map drops its module reference
# asynchronously.
nvg_unload() {
	nvgpolicy unload --all >/dev/null 2>&1
	for _i in $(seq 1 50); do
		rmmod nvghost 2>/dev/null && return 0
		sleep 0.1
	done
	rmmod nvghost
}

# pin_max_clock GPU: hold the GPU at its top p-state through devfreq's
# min_freq, as benchmarks lock clocks: comparing scheduling policies must
# not measure the governor's ramp up from idle.
pin_max_clock() {
	_df=/sys/class/devfreq/nvghost.$1
	awk '{ print $NF }' $_df/available_frequencies > $_df/min_freq &&
		[ "$(cat $_df/cur_freq)" = "$(cat $_df/min_freq)" ]
}

# replay_emit TAG PREFIX OUT DIR [HEADER]: nvgreplay's table (file OUT,
# after the line HEADER if given) and its CSVs (DIR/{jobs,flips,samples}.csv,
# each line prefixed PREFIX:FILE:) between "==== BEGIN/END TAGTABLE" and
# "TAGCSV" markers, for the host to cut out of the console log (make run's
# demo, make replay).
replay_emit() {
	echo "==== BEGIN ${1}TABLE"
	[ -n "$5" ] && echo "$5"
	cat "$3"
	echo "==== END ${1}TABLE"
	echo "==== BEGIN ${1}CSV"
	for _f in jobs flips samples; do
		[ -f "$4/$_f.csv" ] && sed "s/^/$2:$_f:/" "$4/$_f.csv"
	done
	echo "==== END ${1}CSV"
}

# mem_policy_refused P REASON DEV: memory policy P (a test object) loads,
# a managed-memory workload (uvm_test touch 12) completes beside it with
# nothing lost, and the driver ejected P with an error_invalid exit record
# whose message says REASON. Checks named P_load, P_nothing_lost,
# P_ejected, P_kind, P_reason.
mem_policy_refused() {
	check "$1"_load nvgpolicy load "$NVG_TESTBPF/$1.bpf.o"
	uvm_test "$3" touch 12
	check_eq "$1"_nothing_lost "$?" 0
	check_eq "$1"_ejected "$(status_field mem state)" ejected
	status_has "$1"_kind mem last_exit "kind=error_invalid"
	status_has "$1"_reason mem last_msg "$2"
	echo "exit record: $(status_field mem last_exit): $(status_field mem last_msg)"
}

# status_field HOOK FIELD: a field of a hook's block in the status file.
status_field() {
	awk -v h="$1" -v f="$2" '
		/^hook: / { in_h = ($2 == h) }
		in_h && $1 == f":" { sub(/^[^:]*: /, ""); print; exit }' $DBG/status
}

# op_count HOOK OP: how many times an op ran.
op_count() {
	awk -v h="$1" -v o="$2" '
		/^hook: / { in_h = ($2 == h) }
		in_h && $1 == "op" && $2 == o":" { print $3; exit }' $DBG/status
}

# wait_for SECONDS CMD...: poll until CMD succeeds. On a timeout, say so
# with what the last try printed (predicates print what they saw).
wait_for() {
	_t=$1; shift
	_end=$(( $(date +%s) + _t ))
	while ! "$@" >/tmp/wait_for.out 2>&1; do
		if [ "$(date +%s)" -ge "$_end" ]; then
			echo "timed out after $_t s waiting for '$*'; last try: $(tail -n 2 /tmp/wait_for.out | tr '\n' ' ')"
			return 1
		fi
		sleep 0.05
	done
}

# exited PID: the background child PID has ended (gone, or a zombie not yet
# waited for: kill -0 still succeeds on those).
exited() {
	[ ! -e /proc/$1/stat ] || [ "$(awk '{ print $3 }' /proc/$1/stat)" = Z ]
}

# bt_polling PID: bpftrace PID waits in its output loop (epoll_wait), which
# it enters only once every probe is attached and BEGIN has run.
bt_polling() {
	grep -q do_epoll_wait /proc/$1/stack 2>/dev/null
}

# bt_start OUT ARGS...: start bpftrace ARGS in the background, its output in
# OUT, and wait until its probes are attached; BT_PID is its pid. bpftrace
# prints "Attaching N probes..." before it attaches them, which takes
# seconds under TCG and more on a loaded host: work started at that line can
# run before the probes see it, and a SIGINT that comes before bpftrace
# polls is not acted on until a probe prints something (seen on a loaded
# host: bpftrace still in epoll_wait 60 s after SIGINT, its counts never
# printed). Return: non-zero, bpftrace killed and OUT shown, if it is not
# polling within 120 s.
bt_start() {
	_bt_out=$1; shift
	bpftrace "$@" > "$_bt_out" 2>&1 &
	BT_PID=$!
	if ! wait_for 120 bt_polling $BT_PID; then
		echo "bpftrace not polling for output 120 s after its start; its output:"
		cat "$_bt_out"
		kill -KILL $BT_PID 2>/dev/null
		wait $BT_PID
		return 1
	fi
}

# bt_stop PID: stop bpftrace with SIGINT, as a person would, so that it
# prints its maps; again every 2 s while it is still seen polling (a SIGINT
# that lands while it is out of epoll_wait, printing an interval's lines, is
# not acted on until the next one). After 60 s: its state, and killed.
bt_stop() {
	_bt_end=$(( $(date +%s) + 60 ))
	while ! exited $1; do
		if [ "$(date +%s)" -ge "$_bt_end" ]; then
			echo "bpftrace still running 60 s after SIGINT; its state and kernel stack, then killed:"
			grep -E '^(State|SigBlk|SigCgt):' /proc/$1/status 2>/dev/null
			cat /proc/$1/stack 2>/dev/null
			kill -KILL $1
			break
		fi
		bt_polling $1 && kill -INT $1
		wait_for 2 exited $1 >/dev/null
	done
	wait $1
}

# queued_total GPU: jobs waiting on all engines of a device.
queued_total() {
	awk '$1 == "engine" { q += $6 } END { print q + 0 }' $DBG/gpu$1/arbiter
}

# idle GPU: nothing queued and nothing running (else print what is).
idle() {
	awk '$1 == "engine" && ($6 != 0 || $8 != 0) { busy = 1; printf "engine %s queued %s running %s; ", $2, $6, $8 }
		END { exit busy }' $DBG/gpu$1/arbiter
}

completed_total() {
	awk '$1 == "engine" { c += $10 } END { print c + 0 }' $DBG/gpu$1/arbiter
}

# max_idle_queued_us GPU: the longest any engine sat idle with work queued.
max_idle_queued_us() {
	awk '$1 == "engine" && $12 > m { m = $12 } END { print m + 0 }' $DBG/gpu$1/arbiter
}

# The virtual clock's warnings that a replay must never give: an engine that
# planned for a time already past or ran after the clock moved on
# (nvg_sim_vwait(), nvg_sim_exec_late()), work after a settle
# (nvg_clock_check_escape()). Ratelimited: a count is a lower bound.
vclock_warnings() {
	dmesg | grep -e 'nvghost-sim: engine .* planned for' -e 'a settle did not wait for it' \
		-e 'activity after a settle'
}

# A dmesg that must stay clean: kernel warnings, oopses, leaks. (The debug
# kernel of make test-debug announces its leak and use-after-free checkers.)
dmesg_clean() {
	! dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace|leak|refcount_t|use-after-free|general protection' |
		grep -vE 'kmemleak: Kernel memory leak detector initialized|RCU callback double-/use-after-free debug is enabled'
}

# ---- power: make run's power part and make bench's power section ----

# gpu_power FIELD: a field of gpu0's debugfs power file (clock_mhz,
# power_mw, energy_uj, temp_mc, pstate, ...).
gpu_power() {
	awk -v f="$1:" '$1 == f { print $2; exit }' $DBG/gpu0/power
}

# power_settle [cool]: the same starting point for every power run: no
# policy, governor simple_ondemand, gpu0 idle at its lowest clock for 1 s.
# With "cool", first wait (at most 30 s) until the die temperature is near
# its idle equilibrium: falling by less than 0.3 C a second, i.e. (with the
# model's 4 s time constant) within ~1.2 C of it.
power_settle() {
	_df=/sys/class/devfreq/nvghost.0
	nvgpolicy unload --all >/dev/null 2>&1
	echo simple_ondemand > $_df/governor || return 1
	wait_for 30 idle 0 || return 1
	_fmin=$(awk '{ print $1 }' $_df/available_frequencies)
	wait_for 10 sh -c "[ \$(cat $_df/cur_freq) = $_fmin ]" || return 1
	if [ "$1" = cool ]; then
		_t1=$(gpu_power temp_mc)
		for _i in $(seq 1 30); do
			sleep 1
			_t2=$(gpu_power temp_mc)
			[ $((_t1 - _t2)) -lt 300 ] && break
			_t1=$_t2
		done
	fi
	sleep 1
}

# power_sampler RAW: until /tmp/power.stop exists, every ~100 ms append
# "uptime s,clock MHz,power mW,temp mC,energy uJ" for gpu0 to RAW. Shell
# builtins only: a fork per sample would cost the emulated guest more CPU
# than the workload it watches (the wait is a read with a timeout on a FIFO
# nobody writes; sleep if there is no FIFO).
power_sampler() {
	_fifo=/tmp/power.fifo
	[ -p $_fifo ] || mkfifo $_fifo 2>/dev/null
	[ -p $_fifo ] && exec 3<> $_fifo
	while [ ! -e /tmp/power.stop ]; do
		read -r _up _ < /proc/uptime
		while read -r _k _v _; do
			case $_k in
			clock_mhz:) _m=$_v ;; power_mw:) _p=$_v ;;
			temp_mc:) _c=$_v ;; energy_uj:) _e=$_v ;;
			esac
		done < $DBG/gpu0/power
		echo "$_up,$_m,$_p,$_c,$_e" >> "$1"
		if [ -p $_fifo ]; then read -r -t 0.1 _ <&3; else sleep 0.1; fi
	done
}

# power_run RUN GOVERNOR SECS CLIENT...: nvgbench -t SECS CLIENT... on gpu0
# governed by GOVERNOR: "simple_ondemand", or a power profile's name (the
# governor nvg_power_ops and that profile loaded), starting from
# power_settle's state (call it first). Writes /tmp/power-RUN.csv (the
# samples, t=0 when the workload starts) and /tmp/power-RUN.out: nvgbench's
# lines, then
#   power: run=RUN governor=G secs=S frames=N missed=M energy_j=E avg_w=W
#          j_per_frame=J peak_c=T start_c=T mean_mhz=F
# (one line) for the first (interactive) client: frames completed, missed
# deadlines, energy and average power over the nvgbench run, energy per
# frame, the hottest and the starting die temperature, the mean sampled
# clock. Non-zero if the governor or the profile could not be set up.
power_run() {
	_run=$1; _gov=$2; _secs=$3; shift 3
	_df=/sys/class/devfreq/nvghost.0
	if [ "$_gov" != simple_ondemand ]; then
		echo nvg_power_ops > $_df/governor || return 1
		nvgpolicy load "$NVG_PROFILES/$_gov.bpf.o" >/dev/null || return 1
	fi
	rm -f /tmp/power.stop "/tmp/power-$_run.csv" /tmp/power.raw
	read -r _u0 _ < /proc/uptime
	_e0=$(gpu_power energy_uj)
	_c0=$(gpu_power temp_mc)
	power_sampler /tmp/power.raw &
	_spid=$!
	nvgbench -t "$_secs" "$@" > "/tmp/power-$_run.out" 2>&1
	_rc=$?
	_e1=$(gpu_power energy_uj)
	read -r _u1 _ < /proc/uptime
	touch /tmp/power.stop
	wait $_spid
	awk -F, -v t0="$_u0" -v e0="$_e0" '{ printf "%.2f,%d,%.1f,%.1f,%.3f\n", $1 - t0, $2, $3 / 1000, $4 / 1000, ($5 - e0) / 1e6 }' \
		/tmp/power.raw > "/tmp/power-$_run.csv"
	[ "$_gov" = simple_ondemand ] || nvgpolicy unload --all >/dev/null
	[ $_rc -eq 0 ] || echo "power_run: nvgbench failed in $_run (exit status $_rc)" >> "/tmp/power-$_run.out"
	awk -F, -v run="$_run" -v gov="$_gov" -v u0="$_u0" -v u1="$_u1" -v e0="$_e0" -v e1="$_e1" -v c0="$_c0" -v out="/tmp/power-$_run.out" '
		BEGIN {
			while ((getline l < out) > 0)
				if (l ~ /^nvgbench: client=/ && !jobs) {
					n = split(l, f, " ")
					for (i = 1; i <= n; i++) {
						if (f[i] ~ /^jobs=/) jobs = substr(f[i], 6)
						if (f[i] ~ /^missed=/) { split(substr(f[i], 8), m, "/"); missed = m[1] }
					}
				}
		}
		$4 > peak { peak = $4 } { mhz += $2; ns++ }
		END {
			secs = u1 - u0; ej = (e1 - e0) / 1e6
			printf "power: run=%s governor=%s secs=%.2f frames=%d missed=%d energy_j=%.1f avg_w=%.1f j_per_frame=%s peak_c=%.1f start_c=%.1f mean_mhz=%d\n",
			       run, gov, secs, jobs, missed, ej, (secs > 0 ? ej / secs : 0),
			       (jobs > 0 ? sprintf("%.3f", ej / jobs) : "n/a"), peak, c0 / 1000, (ns ? mhz / ns : 0)
		}' "/tmp/power-$_run.csv" >> "/tmp/power-$_run.out"
	return $_rc
}

# send_csv MARK NAME TAG RUN...: the host's copy of each run's
# /tmp/NAME-RUN.csv (there is no shared folder in the initramfs boot):
# printed between "==== BEGIN MARK" and "==== END MARK" lines, each line
# prefixed "TAG:RUN:", for scripts/run-demo.sh to take apart.
send_csv() {
	_mark=$1; _name=$2; _tag=$3; shift 3
	echo "==== BEGIN $_mark"
	for _r in "$@"; do
		[ -f "/tmp/$_name-$_r.csv" ] && sed "s/^/$_tag:$_r:/" "/tmp/$_name-$_r.csv"
	done
	echo "==== END $_mark"
}

# summary_value FILE KIND RUN SEL KEY: from an `nvgreplay --summary` FILE,
# KEY's value on the first KIND line (run, client, head, gpu) of replay RUN
# (0 or 1) that also has the word SEL (e.g. name=game; "" for any); empty
# if there is none.
summary_value() {
	awk -v kind="$2" -v run="run=$3" -v sel="$4" -v key="$5=" '
		$1 == kind {
			r = 0; s = (sel == ""); v = ""
			for (i = 2; i <= NF; i++) {
				if ($i == run) r = 1
				if ($i == sel) s = 1
				if (index($i, key) == 1) v = substr($i, length(key) + 1)
			}
			if (r && s) { print v; exit }
		}' "$1" 2>/dev/null
}

# one_cpu / all_cpus: take every CPU but the first offline, and back.
# A virtual-clock replay decides the same on any number of CPUs (its
# decision-log hash does not change: 32-replay), but under TCG it runs
# about ten times faster on one: at each event the engine thread, the
# interrupt and the workers it wakes then run on the CPU that plays the
# event, instead of waking a halted second vCPU for each hop. make bench's
# virtual-time section and make replay use it; one_cpu prints how many
# CPUs are online afterwards.
#
# one_cpu also turns the scheduler's wakeup preemption off (the
# WAKEUP_PREEMPTION feature, debugfs sched/features), all_cpus back on.
# On one CPU a woken worker then runs when the task that woke it blocks
# (ADVANCE's settle waits for it, so it runs before the clock moves all
# the same) instead of preempting it at once: the player's submits and
# flips stop being cut by a context switch each, which TCG makes dear.
# Same decisions (decision log sha256 7a853d12944a8c7f... in each of the
# 18 60 s game-hog replays that printed it, either way; and 32-replay
# compares its replay on every CPU, with it on, to those on one); 17.1
# against 19.4 s of guest wall time, means of 10 rounds (bench/README.md,
# speed).
one_cpu() {
	for _c in /sys/devices/system/cpu/cpu[1-9]*/online; do
		[ -e "$_c" ] && echo 0 > "$_c"
	done 2>/dev/null
	echo NO_WAKEUP_PREEMPTION > /sys/kernel/debug/sched/features 2>/dev/null
	grep -c '^processor' /proc/cpuinfo
}
# "on" or "off": the scheduler's wakeup preemption (one_cpu turns it off)
wakeup_preemption() {
	if grep -qw NO_WAKEUP_PREEMPTION /sys/kernel/debug/sched/features 2>/dev/null; then
		echo off
	else
		echo on
	fi
}
all_cpus() {
	echo WAKEUP_PREEMPTION > /sys/kernel/debug/sched/features 2>/dev/null
	for _c in /sys/devices/system/cpu/cpu[1-9]*/online; do
		[ -e "$_c" ] && echo 1 > "$_c"
	done 2>/dev/null
}
