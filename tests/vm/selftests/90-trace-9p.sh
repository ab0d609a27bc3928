#!/bin/sh
# Runs on the host root over 9p: bpftrace sees nvghost's tracepoints while
# fifo schedules jobs, and the shipped bpftrace script works.
. /test/lib.sh

# bt_run OUT SCRIPT-ARGS...: start bpftrace, wait until its probes are
# attached (LLVM start-up takes seconds under TCG), run jobs, then stop it
# with SIGINT as a person would.
bt_run() {
	_out=$1; shift
	bpftrace "$@" > "$_out" 2>&1 &
	_pid=$!
	wait_for 60 grep -q '^Attaching' "$_out" || { kill $_pid; return 1; }
	sleep 0.5
	echo "0 12 100" > $DBG/gpu0/submit
	echo "1 8 100" > $DBG/gpu0/submit
	wait_for 10 idle 0
	kill -INT $_pid
	wait $_pid
	cat "$_out"
}

check modprobe nvg_load
check load_fifo nvgpolicy load $NVG_PROFILES/fifo.bpf.o

bt_run /tmp/bt.out -e 'tracepoint:nvghost:nvghost_job_done { @done = count(); }
	tracepoint:nvghost:nvghost_job_start { @start = count(); }'
check bpftrace_job_done grep -q '^@done: 20$' /tmp/bt.out
check bpftrace_job_start grep -q '^@start: 20$' /tmp/bt.out

bt_run /tmp/bt2.out $NVG_TOOLS/trace/job-latency.bt
check latency_script_hist grep -q '^@latency_us\[0, 1\]:' /tmp/bt2.out
check latency_script_started grep -q '^@started_with_policy\[1\]: 20$' /tmp/bt2.out

nvgpolicy unload fifo >/dev/null
check rmmod nvg_unload
