#!/bin/sh
# modprobe/rmmod 20 times, and attach/detach 10 times, leave nothing behind.
. /test/lib.sh

dmesg -c >/dev/null
ok=0
for i in $(seq 1 20); do
	nvg_load num_gpus=2 && nvg_unload && ok=$((ok + 1))
done
check modprobe_rmmod_20x test "$ok" -eq 20

nvg_load
ok=0
for i in $(seq 1 10); do
	nvgpolicy load $NVG_PROFILES/fifo.bpf.o >/dev/null &&
		echo "0 3 50" > $DBG/gpu0/submit &&
		nvgpolicy unload fifo >/dev/null && ok=$((ok + 1))
done
check attach_detach_10x test "$ok" -eq 10
check loop_jobs_done wait_for 5 idle 0
check attached_total_10 test "$(status_field sched attached_total)" -eq 10
nvg_unload
check no_leftover_module sh -c '! lsmod | grep -q ^nvghost'
check dmesg_clean dmesg_clean
