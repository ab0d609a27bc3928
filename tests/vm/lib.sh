# shellcheck shell=sh
# Helpers for the VM selftests. Each selftest is a shell script that prints
# one line per check: "PASS: name" or "FAIL: name: why". guest-run.sh counts
# them. Environment: NVG_PROFILES and NVG_TESTBPF (where the .bpf.o are).

DBG=/sys/kernel/debug/nvghost

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; }

# check NAME CMD...: PASS if CMD succeeds.
check() {
	_n=$1; shift
	if "$@" >/tmp/check.out 2>&1; then pass "$_n"; else fail "$_n" "$(tail -n 3 /tmp/check.out | tr '\n' ' ')"; fi
}

# check_eq NAME ACTUAL EXPECTED: PASS if equal, else say both.
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', expected '$3'"; fi
}

# status_has NAME HOOK FIELD PATTERN: PASS if the field matches PATTERN.
status_has() {
	_v=$(status_field "$2" "$3")
	if echo "$_v" | grep -q -- "$4"; then pass "$1"; else fail "$1" "$3 is '$_v', wanted '$4'"; fi
}

# expect_fail NAME PATTERN CMD...: PASS if CMD fails and prints PATTERN.
expect_fail() {
	_n=$1; _p=$2; shift 2
	if "$@" >/tmp/check.out 2>&1; then
		fail "$_n" "succeeded but should have failed"
	elif grep -q -- "$_p" /tmp/check.out; then
		pass "$_n"
	else
		fail "$_n" "no '$_p' in: $(tail -n 4 /tmp/check.out | tr '\n' ' ')"
	fi
}

# Load the module with the given parameters and wait for its devices.
nvg_load() {
	modprobe nvghost "$@" || return 1
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

# wait_for SECONDS CMD...: poll until CMD succeeds.
wait_for() {
	_t=$1; shift
	_end=$(( $(date +%s) + _t ))
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$_end" ] && return 1
		sleep 0.05
	done
}

# queued_total GPU: jobs waiting on all engines of a device.
queued_total() {
	awk '$1 == "engine" { q += $6 } END { print q + 0 }' $DBG/gpu$1/arbiter
}

# idle GPU: nothing queued and nothing running.
idle() {
	awk '$1 == "engine" && ($6 != 0 || $8 != 0) { busy = 1 } END { exit busy }' $DBG/gpu$1/arbiter
}

completed_total() {
	awk '$1 == "engine" { c += $10 } END { print c + 0 }' $DBG/gpu$1/arbiter
}

# max_idle_queued_us GPU: the longest any engine sat idle with work queued.
max_idle_queued_us() {
	awk '$1 == "engine" && $12 > m { m = $12 } END { print m + 0 }' $DBG/gpu$1/arbiter
}

# A dmesg that must stay clean: kernel warnings, oopses, leaks.
dmesg_clean() {
	! dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace|leak|refcount_t|use-after-free|general protection'
}
