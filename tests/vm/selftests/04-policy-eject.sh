#!/bin/sh
# Policies that misbehave are ejected, with a structured reason, and the
# built-in default takes over without losing or repeating a job.
. /test/lib.sh
T=$NVG_TESTBPF

ejected() { [ "$(status_field sched state)" = ejected ]; }
# The stable status interface (sysfs): one value per file.
SYS=/sys/kernel/nvghost/hooks
hookf() { cat $SYS/$1/$2 2>&1; }
hook_event() { awk -v k="$2" '$1 == k { print $2 }' $SYS/$1/events; }

check modprobe nvg_load
for h in sched pacing power; do
	check_eq sysfs_${h}_state_default "$(hookf $h state)" default
	check_eq sysfs_${h}_policy_default "$(hookf $h policy)" default
	check_eq sysfs_${h}_exit_kind_none "$(hookf $h exit_kind)" none
done

# Attach and detach change state and policy; a detach leaves "unreg".
check sysfs_load_fifo nvgpolicy load $NVG_PROFILES/fifo.bpf.o
check_eq sysfs_state_attached "$(hookf sched state)" attached
check_eq sysfs_policy_fifo "$(hookf sched policy)" fifo
check_eq sysfs_events_attached "$(hook_event sched attached)" 1
echo "0 5 100" > $DBG/gpu0/submit
check sysfs_jobs_idle wait_for 5 idle 0
check_cmp sysfs_events_op_dispatch "$(hook_event sched op_dispatch)" ge 5 \
	"op_dispatch in $SYS/sched/events after 5 jobs"
check sysfs_unload_fifo nvgpolicy unload fifo
check_eq sysfs_state_default_after_unload "$(hookf sched state)" default
check_eq sysfs_policy_default_after_unload "$(hookf sched policy)" default
check_eq sysfs_exit_kind_unreg "$(hookf sched exit_kind)" unreg
check_eq sysfs_exit_reason_unreg "$(hookf sched exit_reason)" "detached from user space"

# An invalid decision: dispatch names a job that does not exist.
check load_bad_dispatch nvgpolicy load $T/bad_dispatch.bpf.o
before=$(completed_total 0)
echo "0 25 200" > $DBG/gpu0/submit
check bad_dispatch_ejected wait_for 5 ejected
check_eq sysfs_state_ejected "$(hookf sched state)" ejected
check_eq sysfs_policy_ejected "$(hookf sched policy)" bad_dispatch
check_eq sysfs_exit_kind_error_invalid "$(hookf sched exit_kind)" error_invalid
check_eq sysfs_exit_op_dispatch "$(hookf sched exit_op)" dispatch
check sysfs_exit_msg grep -q 'not queued on gpu0 engine 0' $SYS/sched/exit_msg
check_eq sysfs_events_ejected "$(hook_event sched ejected)" 1
status_has bad_dispatch_kind sched last_exit 'kind=error_invalid(1027) op=dispatch'
status_has bad_dispatch_msg sched last_msg 'not queued on gpu0 engine 0'
check bad_dispatch_nothing_lost wait_for 5 idle 0
check_eq bad_dispatch_completed_all "$(completed_total 0)" $((before + 25))
check bad_dispatch_logged sh -c "dmesg | grep -q \"sched policy 'bad_dispatch' ejected\""
check bad_dispatch_ejected_total test "$(status_field sched ejected_total)" -eq 1

# The hook is free again even while the ejected policy's link is pinned.
check attach_after_eject nvgpolicy load $NVG_PROFILES/fifo.bpf.o
check attach_after_eject_state test "$(status_field sched state)" = attached
check unload_ejected_keeps_new nvgpolicy unload bad_dispatch
check new_policy_still_attached test "$(status_field sched policy)" = fifo
nvgpolicy unload fifo >/dev/null

# An out-of-range return value: ctx_init answers 4242.
check load_bad_ctx_init nvgpolicy load $T/bad_ctx_init.bpf.o
check channel_create_still_works libnvg_test
check bad_ctx_init_ejected wait_for 5 ejected
status_has bad_ctx_init_kind sched last_exit 'kind=error_bpf(1025) op=ctx_init code=4242'
check_eq sysfs_exit_code_4242 "$(hookf sched exit_code)" 4242
nvgpolicy unload bad_ctx_init >/dev/null

# A stall: the policy owns dispatch and never dispatches (200 ms watchdog).
check load_stall nvgpolicy load $T/stall.bpf.o
before=$(completed_total 0)
echo "0 10 100" > $DBG/gpu0/submit
check stall_ejected wait_for 5 ejected
status_has stall_kind sched last_exit 'kind=error_stall(1026)'
status_has stall_msg sched last_msg 'limit 200 ms'
check stall_jobs_run_after wait_for 5 idle 0
check_eq stall_completed_all "$(completed_total 0)" $((before + 10))
nvgpolicy unload stall >/dev/null

# The policy's own error (nvg_sched_error()).
check load_policy_error nvgpolicy load $T/policy_error.bpf.o
before=$(completed_total 0)
echo "0 10 100" > $DBG/gpu0/submit
check policy_error_ejected wait_for 5 ejected
status_has policy_error_kind sched last_exit 'kind=error_bpf(1025) op=enqueue code=77'
check policy_error_jobs_run wait_for 5 idle 0
check_eq policy_error_completed_all "$(completed_total 0)" $((before + 10))
nvgpolicy unload policy_error >/dev/null

# By hand, the SysRq-S equivalent.
check load_fifo nvgpolicy load $NVG_PROFILES/fifo.bpf.o
check manual_eject sh -c "echo sched > $DBG/eject"
check manual_eject_state test "$(status_field sched state)" = ejected
check_eq sysfs_exit_kind_sysrq "$(hookf sched exit_kind)" sysrq
status_has manual_eject_kind sched last_exit 'kind=sysrq(66)'
check status_shows_eject sh -c "nvgpolicy status | grep -q 'ejected through debugfs'"
# Nothing attached: the write fails with ENOENT, nothing is ejected.
expect_fail eject_nothing_attached "No such file or directory" sh -c "echo sched > $DBG/eject"
nvgpolicy unload fifo >/dev/null

check rmmod nvg_unload
check sysfs_gone_after_rmmod test ! -e /sys/kernel/nvghost
# Loaded again, the directory is back (nothing left over from the last load).
check modprobe_again nvg_load
check_eq sysfs_state_after_reload "$(hookf sched state)" default
check rmmod_again nvg_unload
check dmesg_clean dmesg_clean
