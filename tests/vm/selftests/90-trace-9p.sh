#!/bin/sh
# Runs on the host root over 9p: bpftrace sees nvghost's tracepoints while
# fifo schedules jobs, and the shipped bpftrace scripts work (uvm-faults.bt on
# managed memory too).
. /test/lib.sh

# bt_run OUT SCRIPT-ARGS...: start bpftrace and wait until its probes are
# attached (bt_start), run jobs, then stop it with SIGINT as a person would
# (bt_stop). The jobs: 20 synthetic ones (12 on engine 0, 8 on engine 1), or
# the commands in BT_WORK if it is set.
bt_run() {
	_out=$1; shift
	bt_start "$_out" "$@" || return 1
	if [ -n "${BT_WORK:-}" ]; then
		eval "$BT_WORK" > "$_out.work" 2>&1
	else
		echo "0 12 100" > $DBG/gpu0/submit
		echo "1 8 100" > $DBG/gpu0/submit
	fi
	wait_for 10 idle 0
	bt_stop $BT_PID
	cat "$_out"
}

check modprobe nvg_load
check load_fifo nvgpolicy load $NVG_PROFILES/fifo.bpf.o

bt_run /tmp/bt.out -e 'tracepoint:nvghost:nvghost_job_done { @done = count(); }
	tracepoint:nvghost:nvghost_job_start { @start = count(); }'
# Every job completes once; it may start more than once, since a job that
# outlives its timeslice (the VM is slow under bpftrace) is preempted and
# resumed, and each start fires the tracepoint.
check bpftrace_job_done grep -q '^@done: 20$' /tmp/bt.out
check bpftrace_job_start awk '/^@start: / { ok = $2 >= 20 } END { exit !ok }' /tmp/bt.out

bt_run /tmp/bt2.out $NVG_TOOLS/trace/job-latency.bt
check latency_script_hist grep -q '^@latency_us\[0, 1\]:' /tmp/bt2.out
check latency_script_started awk '/^@started_with_policy\[1\]: / { ok = $2 >= 20 } END { exit !ok }' /tmp/bt2.out

# Queue wait per context: the 20 synthetic jobs all belong to the kernel's
# context; two nvgbench clients are two more contexts.
bt_run /tmp/bt3.out $NVG_TOOLS/trace/queue-wait.bt
check queue_wait_hist grep -q '^@wait_us\[[0-9]*\]:' /tmp/bt3.out
# (a job preempted at the end of its slice waits again: at least 20 waits)
check queue_wait_all_jobs test "$(awk '/^@waits\[/ { n += $2 } END { print n + 0 }' /tmp/bt3.out)" -ge 20
BT_WORK="nvgbench -t 1 interactive:ui heavy:bulk"
bt_run /tmp/bt4.out $NVG_TOOLS/trace/queue-wait.bt
check queue_wait_per_context test "$(grep -c '^@waits\[[0-9]*\]: [1-9]' /tmp/bt4.out)" -ge 2

# Preemptions: 4 jobs of 20 ms on one engine use up 5 ms slices while the
# others wait; then a second passes so that a per-second line is printed.
BT_WORK='echo "0 4 20000" > $DBG/gpu0/submit && wait_for 10 idle 0 && sleep 1.2'
bt_run /tmp/bt5.out $NVG_TOOLS/trace/preemptions.bt
BT_WORK=
check preemptions_slice_expired grep -q '^@total_by_reason\[slice_expired\]: [1-9]' /tmp/bt5.out
check preemptions_per_second grep -q 'preemptions/s: [1-9]' /tmp/bt5.out

# Managed memory: 12 MiB touched through an 8 MiB budget faults, migrates
# and evicts; then a second passes so that a per-second line is printed.
echo 8 > /sys/module/nvghost/parameters/uvm_vram_mb
BT_WORK='uvm_test /dev/dri/renderD128 touch 12 && sleep 1.2'
bt_run /tmp/bt6.out $NVG_TOOLS/trace/uvm-faults.bt
BT_WORK=
check uvm_work_passed grep -q '^PASS' /tmp/bt6.out.work
check uvm_fault_latency_hist grep -q '^@fault_latency_us\[[0-9]*\]:' /tmp/bt6.out
check uvm_faults_counted grep -q '^@faults\[[0-9]*\]: [1-9]' /tmp/bt6.out
check uvm_migrated_per_second grep -q '^@in_bytes\[[0-9]*\]: [1-9]' /tmp/bt6.out
check uvm_evicted_per_second grep -q '^@evicted_bytes\[[0-9]*\]: [1-9]' /tmp/bt6.out
echo 0 > /sys/module/nvghost/parameters/uvm_vram_mb

nvgpolicy unload fifo >/dev/null
check rmmod nvg_unload
