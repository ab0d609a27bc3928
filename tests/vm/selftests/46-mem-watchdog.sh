#!/bin/sh
# The memory hook's watchdog (issue 16, Tests: stalling faults past the
# watchdog). The memory hook has no watchdog of its own: a fault whose
# service took longer than sched_watchdog_ms of device time while a memory
# policy is attached ejects it (error_stall). mem_fault_stall's fault()
# spins for 600 ms of device time; the watchdog is set to 200 ms at run
# time (jobs may take 10 s, so the stalled copy job is not reset). The
# policy must be ejected with the exit record (op fault, the wait in ms as
# the code), and the workload (12 MiB managed buffers through an 8 MiB
# VRAM limit, every byte checked) complete under the built-in default.
. /test/lib.sh
T=$NVG_TESTBPF
DEV=/dev/dri/renderD128
SYS=/sys/kernel/nvghost/hooks

dmesg -c >/dev/null
check modprobe nvg_load uvm_vram_mb=8 job_timeout_ms=$(slow_ms 10000)
check set_watchdog sh -c 'echo 200 > /sys/module/nvghost/parameters/sched_watchdog_ms'
check_eq watchdog_set "$(cat /sys/module/nvghost/parameters/sched_watchdog_ms)" 200
check stall_load nvgpolicy load $T/mem_fault_stall.bpf.o --set stall_ms=600
uvm_test $DEV touch 12
check_eq stall_nothing_lost "$?" 0
check_eq stall_ejected "$(status_field mem state)" ejected
status_has stall_kind mem last_exit "kind=error_stall"
status_has stall_op mem last_exit "op=fault"
status_has stall_reason mem last_msg "waited .* ms (watchdog 200 ms)"
echo "exit record: $(status_field mem last_exit): $(status_field mem last_msg)"
check_cmp stall_waited_code "$(cat $SYS/mem/exit_code)" ge 600 \
	"the exit code (ms the fault waited) with fault() spinning 600 ms"
check stall_unload nvgpolicy unload mem_fault_stall
check_eq default_after "$(status_field mem state)" default
check uvm_vram_released wait_for 10 grep -qx 'vram_used: 0' $DBG/gpu0/uvm
check rmmod nvg_unload
check dmesg_clean dmesg_clean
