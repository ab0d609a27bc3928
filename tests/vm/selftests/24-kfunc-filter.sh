#!/bin/sh
# kfunc permissions are checked by the verifier, at load: a program may
# call an nvghost kfunc only from the nvg_sched_ops ops the kfunc is meant
# for (docs/architecture.md, "kfunc permissions"); nvg_device_now_ns(),
# the device clock, from any op of the three hooks. Programs of the other
# hooks, of other subsystems' struct_ops, or of the wrong op are rejected
# with the verifier's reason, and a job-taking kfunc accepts only the job
# the op was given. What is allowed still loads and runs: a policy calling
# every kfunc from every op allowed to, and every shipped profile. And a
# policy sees device time: the clock it reads is the one of the job's
# enqueue_ns and of PTIMER as DRM_NVGHOST_PARAM_PTIMER_NS reads it.
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
reject other_subsystem_clock tcp_devclock_fail \
	"calling kernel function nvg_device_now_ns is not allowed"
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

# The device clock, from every op of every hook (devclock_watch records
# what it read; the sched, power and pacing parts attach at once). Each
# time a policy reads must lie between PTIMER reads taken through the
# ioctl before and after it, and not before the time the driver gave the
# op: all on one clock, so the order holds on any host however slow.
# (The host's bpf_ktime_get_ns() counts from boot, PTIMER from the GPU's
# power-up: its reads would lie after the later PTIMER read.)
ptimer() { nvginfo | awk '/PTIMER:/ { print $2; exit }'; }
# snap: dump devclock_watch's globals; dcw NAME reads one.
snap() { bpftool map dump name devclock.bss > /tmp/dcw.bss; }
dcw() { sed -n "s/.*\"$1\": \([0-9]*\).*/\1/p" /tmp/dcw.bss | tail -n 1; }
TL=$(ptimer)
check clock_loads nvgpolicy load $T/devclock_watch.bpf.o
for h in sched pacing power; do
	check_eq clock_${h}_attached "$(status_field $h state)" attached
done
DF=/sys/class/devfreq/nvghost.0
check clock_power_governor sh -c "echo nvg_power_ops > $DF/governor"
T0=$(ptimer)
echo "0 5 200" > $DBG/gpu0/submit
check clock_jobs_run wait_for 20 idle 0
T1=$(ptimer)
# Two power periods after T1: devfreq polls on its own.
snap
P1=$(dcw periods)
periods_past() { snap; [ "$(dcw periods)" -ge $((${P1:-0} + 2)) ] || { echo "periods $(dcw periods)"; return 1; }; }
check clock_power_periods wait_for 20 periods_past
T2=$(ptimer)
check_cmp clock_ptimer_read "$TL" gt 0 "PTIMER through DRM_NVGHOST_PARAM_PTIMER_NS"
check_cmp clock_init_read "$(dcw init_ns)" gt 0 "nvg_device_now_ns(0) in init (sleepable)"
check_cmp clock_init_after_load_began "$(dcw init_ns)" ge "$TL" "init's device time (PTIMER before the load: $TL)"
check_cmp clock_init_before_submit "$(dcw init_ns)" le "$T0" "init's device time (PTIMER after the load: $T0)"
check_cmp clock_jobs_seen "$(dcw jobs)" ge 5 "jobs enqueue() saw"
check_cmp clock_first_enqueue_after_t0 "$(dcw first_enq_ns)" ge "$T0" "the first job's enqueue_ns (PTIMER before the submit: $T0)"
check_cmp clock_first_read_after_enqueue "$(dcw first_ns)" ge "$(dcw first_enq_ns)" "device time in enqueue() (its job's enqueue_ns)"
check_cmp clock_last_read_before_t1 "$(dcw last_ns)" le "$T1" "device time in the last enqueue() (PTIMER after the jobs: $T1)"
check_cmp clock_last_read_after_enqueue "$(dcw last_ns)" ge "$(dcw last_enq_ns)" "device time in the last enqueue() (its job's enqueue_ns)"
check_cmp clock_lag_within_window "$(dcw max_lag_ns)" le $((T1 - T0)) "largest device time - enqueue_ns in enqueue() (the submit's PTIMER window)"
check_eq clock_ordered_every_op "$(dcw bad_order)" 0
check_eq clock_absent_gpu_zero "$(dcw absent_ns)" 0
check_eq clock_out_of_range_zero "$(dcw out_of_range_ns)" 0
check_cmp clock_power_first_after_load "$(dcw power_first_ns)" ge "$TL" "device time in the first select() (PTIMER before the load: $TL)"
check_cmp clock_power_last_before_t2 "$(dcw power_last_ns)" le "$T2" "device time in the last select() (PTIMER after the dump: $T2)"
check_cmp clock_power_last_after_t1 "$(dcw power_last_ns)" ge "$T1" "device time in the last select() (PTIMER before waiting for periods: $T1)"
check_eq clock_power_monotonic "$(dcw power_backwards)" 0
check_eq clock_pacing_ordered "$(dcw flip_bad)" 0
check clock_unload nvgpolicy unload devclock_watch
echo simple_ondemand > $DF/governor
status_has clock_left_in_order sched last_exit 'kind=unreg'

# Every shipped profile still loads (each attaches to all its hooks).
for f in $P/*.bpf.o; do
	p=$(basename $f .bpf.o)
	check profile_${p}_loads nvgpolicy load $f
	check profile_${p}_not_ejected sh -c "! grep -q 'state: ejected' $DBG/status"
	check profile_${p}_unloads nvgpolicy unload $p
done

check rmmod nvg_unload
check dmesg_clean dmesg_clean
