#!/bin/sh
# Attaching a policy races with nothing:
#  - jobs submitted while a policy attaches (after the driver started
#    announcing contexts to it, before it decides) still reach the policy
#    exactly once: a policy that owns dispatch is attached and detached
#    again and again under a steady stream of submissions, and is never
#    ejected for a stall, and every job completes once;
#  - a policy that attaches while the previous one's ejection is still
#    pending waits for that ejection to finish: the old policy's exit runs,
#    its dispatch queues go, and the new one creates its own.
. /test/lib.sh
T=$NVG_TESTBPF
P=$NVG_PROFILES

check modprobe nvg_load

# 1. Submissions during attach. slow_attach spins 200 ms in each ctx_init,
# i.e. between the start of its attach and its publication. The submitter
# keeps a backlog of ~40 short jobs per engine, so jobs submitted in that
# window are still waiting when the policy takes over.
rm -f /tmp/submit.stop /tmp/submit.count
(
	n=0
	while [ ! -e /tmp/submit.stop ]; do
		if [ "$(queued_total 0)" -lt 80 ]; then
			echo "0 10 2000" > $DBG/gpu0/submit && n=$((n + 10))
			echo "1 10 2000" > $DBG/gpu0/submit && n=$((n + 10))
		else
			sleep 0.01
		fi
	done
	echo $n > /tmp/submit.count
) &
spid=$!
attached=0
held=0
for i in 1 2 3 4 5 6; do
	nvgpolicy load $T/slow_attach.bpf.o >/dev/null && attached=$((attached + 1))
	# Longer than the policy's 200 ms watchdog: a job it was never told
	# about would have it ejected by now.
	sleep 1
	[ "$(status_field sched state)" = attached ] && held=$((held + 1))
	nvgpolicy unload slow_attach >/dev/null 2>&1
done
touch /tmp/submit.stop
wait $spid
nvgpolicy unload --all >/dev/null 2>&1
check_eq attach_loop_all_attached "$attached" 6
check_eq attach_loop_stayed_attached "$held" 6
check_eq attach_loop_never_ejected "$(status_field sched ejected_total)" 0
status_has attach_loop_no_stall sched last_exit 'kind=unreg'
submitted=$(cat /tmp/submit.count)
check_gt attach_loop_submitted "$submitted" 100
check attach_loop_all_done wait_for 60 idle 0
check_eq attach_loop_completed_once "$(completed_total 0)" "$submitted"

# 2. Attach while an ejection is pending. hold_attach (a kprobe) holds the
# next attach inside nvg_hook_begin_attach() until the active policy is
# gone; we eject it then.
check load_fifo nvgpolicy load $P/fifo.bpf.o
check kprobe_load bpftool prog loadall $T/hold_attach.bpf.o /sys/fs/bpf/hold autoattach
[ -d /sys/fs/bpf/hold ] || bpftool -d prog loadall $T/hold_attach.bpf.o /sys/fs/bpf/hold2 autoattach 2>&1 | tail -n 25
entered() {
	bpftool map dump name hold_att.bss 2>/dev/null | grep -q '"entered": [1-9]'
}
nvgpolicy load $P/fair.bpf.o > /tmp/fair.out 2>&1 &
fpid=$!
check attach_held wait_for 60 entered
check eject_during_attach sh -c "echo sched > $DBG/eject"
wait $fpid
frc=$?
rm -rf /sys/fs/bpf/hold
check_eq new_policy_attached "$frc" 0
check new_policy_attached_why sh -c "test $frc -eq 0 || { cat /tmp/fair.out; false; }"
check_eq new_policy_is_fair "$(status_field sched policy)" fair
check_eq new_policy_state "$(status_field sched state)" attached
check old_exit_ran sh -c "dmesg | grep -q \"sched policy 'fifo' ejected: ejected by hand\""
check_eq ejected_once "$(status_field sched ejected_total)" 1
before=$(completed_total 0)
echo "0 10 100" > $DBG/gpu0/submit
check new_policy_schedules wait_for 10 idle 0
check_eq new_policy_completed "$(completed_total 0)" $((before + 10))
check unload_all nvgpolicy unload --all

check rmmod nvg_unload
check dmesg_clean dmesg_clean
