#!/bin/sh
# Runs on the host root over 9p: bpftrace sees nvghost's tracepoints while
# fifo schedules jobs.
. /test/lib.sh

check modprobe nvg_load
check load_fifo nvgpolicy load $NVG_PROFILES/fifo.bpf.o
(sleep 4; echo "0 12 100" > $DBG/gpu0/submit) &
bpftrace -e 'tracepoint:nvghost:nvghost_job_done { @done = count(); }
	tracepoint:nvghost:nvghost_job_start { @start = count(); }
	interval:s:8 { exit(); }' > /tmp/bt.out 2>&1
wait
cat /tmp/bt.out
check bpftrace_job_done grep -q '^@done: 12$' /tmp/bt.out
check bpftrace_job_start grep -q '^@start: 12$' /tmp/bt.out
nvgpolicy unload fifo >/dev/null
check rmmod nvg_unload
