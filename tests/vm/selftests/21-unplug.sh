#!/bin/sh
# Hot unplug: the GPU is unbound from its driver while a client uses it
# (buffer objects mapped on the CPU and the GPU, jobs running, queued and
# waiting on fences, synthetic jobs, a page flip pending, a policy attached
# to every hook), 20 times: every ioctl of the open files fails with ENODEV,
# fences signal, the flip event arrives, mappings stay safe, munmap and close
# are safe, and the rebound device works (unplug_test). Then fences that
# outlive their DRM file: rmmod is refused while they live, SYNC_FILE_INFO
# and close are safe, rmmod works once they are gone. No oops, no warning.
. /test/lib.sh

ROUNDS=20

dmesg -c >/dev/null

check modprobe nvg_load
# gaming fills the scheduling, pacing and power hooks.
check policy_attached nvgpolicy load $NVG_PROFILES/gaming.bpf.o
check governor_nvg_power_ops sh -c 'echo nvg_power_ops > /sys/class/devfreq/nvghost.0/governor'
unplug_test unplug $ROUNDS
check_eq unplug_test_exit_status "$?" 0
check_eq policy_survives_unbind "$(status_field sched ejected_total)" 0
status_has sched_policy_still_attached sched policy gaming
# The rebound device runs work under the policy.
before=$(completed_total 0)
check rebound_device_runs_work sh -c "echo '0 20 1000' > $DBG/gpu0/submit"
check rebound_device_idle wait_for 30 idle 0
check_eq rebound_jobs_completed "$(( $(completed_total 0) - before ))" 20
check rmmod nvg_unload

check modprobe_fences nvg_load
unplug_test fence-rmmod
check_eq fence_rmmod_exit_status "$?" 0
lsmod | grep -q '^nvghost ' && nvg_unload

check dmesg_clean dmesg_clean
