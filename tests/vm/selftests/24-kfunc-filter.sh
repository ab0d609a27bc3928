#!/bin/sh
# kfunc permissions are checked by the verifier, at load: a program may
# call an nvghost kfunc only from the nvg_sched_ops ops the kfunc is meant
# for (docs/architecture.md, "kfunc permissions"). Programs of the other
# hooks, of other subsystems' struct_ops, or of the wrong op are rejected
# with the verifier's reason, and a job-taking kfunc accepts only the job
# the op was given. What is allowed still loads and runs: a policy calling
# every kfunc from every op allowed to, and every shipped profile.
. /test/lib.sh
T=$NVG_TESTBPF
P=$NVG_PROFILES

check modprobe nvg_load

# reject NAME OBJECT MESSAGE: refused at load, nothing attached, no pin.
reject() {
	expect_fail $1_rejected "verifier rejected" nvgpolicy load $T/$2.bpf.o
	expect_fail $1_reason "$3" nvgpolicy load $T/$2.bpf.o
	for h in sched pacing power; do
		check $1_${h}_untouched test "$(status_field $h state)" = default
	done
	check $1_no_pin test ! -e /sys/fs/bpf/nvghost/$2
	nvgpolicy unload $2 >/dev/null 2>&1	# if it was wrongly accepted
}
reject wrong_op wrong_op_kfunc \
	"calling kernel function nvg_dsq_move_to_engine is not allowed"
reject create_in_dispatch create_in_dispatch_fail \
	"calling kernel function nvg_dsq_create is not allowed"
reject exit_preempt exit_preempt_fail \
	"calling kernel function nvg_engine_preempt is not allowed"
reject power_hook power_kfunc_fail \
	"calling kernel function nvg_sched_error is not allowed"
reject pacing_hook pacing_kfunc_fail \
	"calling kernel function nvg_dsq_nr_queued is not allowed"
reject other_subsystem tcp_kfunc_fail \
	"calling kernel function nvg_sched_error is not allowed"
reject null_job null_job_fail "Possibly NULL pointer passed to trusted arg0"
reject stack_job stack_job_fail "must point to scalar, or struct with scalar"

# Everything allowed, from every op allowed: loads, schedules, not ejected.
before=$(completed_total 0)
check matrix_loads nvgpolicy load $T/kfunc_matrix.bpf.o
echo "0 20 200" > $DBG/gpu0/submit
echo "1 10 200" > $DBG/gpu0/submit
check matrix_runs wait_for 20 idle 0
check_eq matrix_completed "$(completed_total 0)" $((before + 30))
check_eq matrix_not_ejected "$(status_field sched state)" attached
check matrix_dispatched test "$(op_count sched dispatch)" -ge 30
check matrix_ctx_init_ran sh -c "libnvg_test >/dev/null && test \$(awk '/op ctx_init:/ { print \$3 }' $DBG/status | head -n 1) -ge 1"
check matrix_unload nvgpolicy unload kfunc_matrix
status_has matrix_left_in_order sched last_exit 'kind=unreg'

# Every shipped profile still loads (each attaches to all its hooks).
for f in $P/*.bpf.o; do
	p=$(basename $f .bpf.o)
	check profile_${p}_loads nvgpolicy load $f
	check profile_${p}_not_ejected sh -c "! grep -q 'state: ejected' $DBG/status"
	check profile_${p}_unloads nvgpolicy unload $p
done

check rmmod nvg_unload
check dmesg_clean dmesg_clean
