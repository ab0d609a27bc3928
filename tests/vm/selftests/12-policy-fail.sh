#!/bin/sh
# The dispatch-queue API's rules, one misbehaving policy per rule
# (tests/vm/bpf/): the verifier rejects what it can see at load (a kfunc
# called from an op that may not call it, 24-kfunc-filter has the rest),
# with its message shown; the kfuncs eject at run time what it cannot, with a
# structured reason. After every ejection the default runs all the work
# that was queued: completed == submitted, nothing lost, nothing run twice.
. /test/lib.sh
T=$NVG_TESTBPF

ejected() { [ "$(status_field sched state)" = ejected ]; }

check modprobe nvg_load

# Load-time rejections: nothing attaches, the verifier's reason is shown.
# reject NAME OBJECT MESSAGE
reject() {
	expect_fail $1_rejected "verifier rejected" nvgpolicy load $T/$2.bpf.o
	expect_fail $1_reason "$3" nvgpolicy load $T/$2.bpf.o
	check $1_nothing_attached test "$(status_field sched state)" = default
	check $1_no_pin test ! -e /sys/fs/bpf/nvghost/$2
}
reject runaway_loop runaway_loop "infinite loop detected"
reject write_readonly write_readonly "only read is supported"
reject create_in_dispatch create_in_dispatch_fail \
	"calling kernel function nvg_dsq_create is not allowed"
reject wrong_op_kfunc wrong_op_kfunc \
	"calling kernel function nvg_dsq_move_to_engine is not allowed"

# Run-time ejections. eject NAME OBJECT EXIT-PATTERN MSG-PATTERN: the
# policy attaches, then 20 jobs are queued on engine 0 and 10 on engine 1;
# the policy is ejected at its first misdeed (an enqueue or a dispatch of
# the first of them), and the default then runs every one of them.
# (lib.sh's helpers use _n, _p, ...: these variables are e_*.)
eject() {
	e_name=$1; e_obj=$2
	e_before=$(completed_total 0)
	e_ej=$(status_field sched ejected_total)
	check ${e_name}_load nvgpolicy load $T/$e_obj.bpf.o
	echo "0 20 1000" > $DBG/gpu0/submit
	echo "1 10 1000" > $DBG/gpu0/submit
	check ${e_name}_ejected wait_for 10 ejected
	status_has ${e_name}_kind sched last_exit "$3"
	status_has ${e_name}_reason sched last_msg "$4"
	check ${e_name}_counted test "$(status_field sched ejected_total)" -eq $((e_ej + 1))
	check ${e_name}_nothing_lost wait_for 20 idle 0
	check_eq ${e_name}_completed_all "$(completed_total 0)" $((e_before + 30))
	check ${e_name}_logged sh -c "dmesg | grep -q \"sched policy '${e_obj%_fail}' ejected\""
	check ${e_name}_unload nvgpolicy unload $e_obj
}

eject bad_dsq bad_dsq_fail 'kind=error_invalid(1027)' \
	'nvg_dsq_insert(): dispatch queue 4242 does not exist'
eject double_dispatch double_dispatch 'kind=error_invalid(1027) op=dispatch' \
	'nvg_dsq_move_to_engine() called twice in one dispatch of gpu0 engine [01]'
eject move_and_return move_and_return 'kind=error_invalid(1027) op=dispatch' \
	'dispatch moved job [0-9]* to gpu0 engine [01] and also returned job'
eject bad_slice bad_slice 'kind=error_invalid(1027) op=enqueue code=11000000000' \
	'timeslice 11000000000 ns for job [0-9]* is outside \[100000, 10000000000\]'
eject dsq_mode_mix dsq_mode_mix 'kind=error_invalid(1027)' \
	'nvg_dsq_insert(): dispatch queue 0 is ordered by vtime'
eject double_insert double_insert 'kind=error_invalid(1027)' \
	'nvg_dsq_insert(): job [0-9]* is already in dispatch queue 0'
eject bad_preempt bad_preempt 'kind=error_invalid(1027)' \
	'nvg_engine_preempt(): no engine 7 on gpu0'

# After all that, the hook is clean and a good policy schedules again.
check_eq nothing_left_attached "$(status_field sched state)" default
check no_pins_left sh -c "test -z \"\$(ls /sys/fs/bpf/nvghost 2>/dev/null)\""
before=$(completed_total 0)
check good_policy_after nvgpolicy load $NVG_PROFILES/fair.bpf.o
echo "0 10 500" > $DBG/gpu0/submit
check good_policy_runs wait_for 10 idle 0
check_eq good_policy_completed "$(completed_total 0)" $((before + 10))
check_eq good_policy_attached "$(status_field sched state)" attached
nvgpolicy unload fair >/dev/null

check rmmod nvg_unload
check dmesg_clean dmesg_clean
