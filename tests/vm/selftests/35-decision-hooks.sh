#!/bin/sh
# Decisions the arbiter used to make in C are the scheduling policy's, each
# with the old rule as its built-in default (issue 12, item 0):
#   - ops.select_engine: which copy engine a new channel runs on (default:
#     the device's copy engines in turn);
#   - ops.slice_end: what happens to a job whose slice is over (default:
#     preempt it as soon as another job waits for its engine).
# Each is shown both ways in one run, and an invalid answer ejects.
. /test/lib.sh
T=$NVG_TESTBPF

ejected() { [ "$(status_field sched state)" = ejected ] || { echo "sched state $(status_field sched state)"; return 1; }; }
preemptions() { awk '$1 == "preemptions:" { print $2 }' $DBG/gpu0/arbiter; }
# eng_done ENGINE: jobs engine ENGINE of gpu0 completed.
eng_done() { awk -v e="$1:" '$1 == "engine" && $2 == e { print $10 }' $DBG/gpu0/arbiter; }
nr_engines() { grep -c '^engine ' $DBG/gpu0/arbiter; }
# copy_done: jobs completed so far by each copy engine, in engine order.
copy_done() { for e in $(seq 1 $(($(nr_engines) - 1))); do printf '%s ' "$(eng_done $e)"; done; }
# copy_delta BEFORE AFTER: per copy engine, how many more jobs completed.
copy_delta() {
	echo "$1|$2" | awk -F'|' '{ n = split($1, b, " "); split($2, a, " ")
		for (i = 1; i <= n; i++) printf "%d ", a[i] - b[i] }'
}
# engines_used DELTAS: how many copy engines got work.
engines_used() { _u=0; for _d in $1; do [ "$_d" -gt 0 ] && _u=$((_u + 1)); done; echo $_u; }

# 1 ms slices, so that two 30 ms jobs on one engine preempt each other.
check modprobe nvg_load sched_slice_us=1000
nce=$(($(nr_engines) - 1))
check_cmp has_two_copy_engines "$nce" ge 2 "copy engines of gpu0"

# select_engine. Default: four clients, each with a copy channel, spread.
b=$(copy_done)
for i in 1 2 3 4; do libnvg_test >/tmp/libnvg.out 2>&1 || cat /tmp/libnvg.out; done
d=$(copy_delta "$b" "$(copy_done)")
check_cmp default_spreads_copy_channels "$(engines_used "$d")" ge 2 "copy engines used (jobs per copy engine: $d)"

# The policy's choice: every copy channel on the last copy engine.
check load_select_engine_last nvgpolicy load $T/select_engine_last.bpf.o
b=$(copy_done)
for i in 1 2 3 4; do
	check libnvg_under_select_engine_$i libnvg_test
done
d=$(copy_delta "$b" "$(copy_done)")
check_eq policy_uses_one_copy_engine "$(engines_used "$d")" 1
check_cmp policy_uses_last_copy_engine "$(echo $d | awk '{ print $NF }')" gt 0 \
	"jobs on copy engine $nce (jobs per copy engine: $d)"
check_cmp select_engine_op_ran "$(op_count sched select_engine)" ge 8 "select_engine calls (2 channels per client)"
check_eq select_engine_not_ejected "$(status_field sched state)" attached
check unload_select_engine_last nvgpolicy unload select_engine_last

# An engine of another class ejects; the channel still works.
check load_bad_select_engine nvgpolicy load $T/bad_select_engine.bpf.o
check libnvg_under_bad_select_engine libnvg_test
check bad_select_engine_ejected wait_for 5 ejected
status_has bad_select_engine_kind sched last_exit 'kind=error_invalid(1027) op=select_engine'
status_has bad_select_engine_msg sched last_msg 'select_engine returned engine 0, not one of gpu0'
nvgpolicy unload bad_select_engine >/dev/null 2>&1

# slice_end. Default: two 30 ms jobs on one engine preempt each other at
# the end of each 1 ms slice.
p=$(preemptions); before=$(completed_total 0)
echo "0 2 30000" > $DBG/gpu0/submit
check default_jobs_done wait_for 30 idle 0
check_eq default_completed "$(completed_total 0)" $((before + 2))
check_cmp default_preempts_at_slice_end $(($(preemptions) - p)) gt 0 "preemptions of two 30 ms jobs with 1 ms slices"

# The policy lets a job whose slice is over run on: nothing is preempted.
check load_slice_run_on nvgpolicy load $T/slice_run_on.bpf.o
p=$(preemptions); before=$(completed_total 0)
echo "0 2 30000" > $DBG/gpu0/submit
check run_on_jobs_done wait_for 30 idle 0
check_eq run_on_completed "$(completed_total 0)" $((before + 2))
check_eq run_on_no_preemption $(($(preemptions) - p)) 0
check_cmp slice_end_op_ran "$(op_count sched slice_end)" ge 1 "slice_end calls"
check_eq slice_run_on_not_ejected "$(status_field sched state)" attached
check unload_slice_run_on nvgpolicy unload slice_run_on

# An extension outside the slice limits ejects; the default rule goes on.
check load_bad_slice_end nvgpolicy load $T/bad_slice_end.bpf.o
p=$(preemptions); before=$(completed_total 0)
echo "0 2 30000" > $DBG/gpu0/submit
check bad_slice_end_jobs_done wait_for 30 idle 0
check_eq bad_slice_end_completed "$(completed_total 0)" $((before + 2))
check bad_slice_end_ejected ejected
status_has bad_slice_end_kind sched last_exit 'kind=error_invalid(1027) op=slice_end'
status_has bad_slice_end_msg sched last_msg 'slice_end returned 1 ns for job'
check_cmp bad_slice_end_default_preempts $(($(preemptions) - p)) gt 0 "preemptions after the ejection"
nvgpolicy unload bad_slice_end >/dev/null 2>&1

check rmmod nvg_unload
check dmesg_clean dmesg_clean
