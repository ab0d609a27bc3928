#!/bin/sh
# Recovery where work shares the GPU: a job that never ends (a semaphore
# acquire nobody releases, a BUSY of 2^62 cycles, two at once) beside
# another client streaming jobs onto the same engine is reset after its
# job_timeout_ms of GPU time, and the other client's jobs all complete; a
# process with two hung jobs can be SIGKILLed and the module unloads after.
# An unmap waits only for the jobs that use its range (interruptibly), so a
# job waiting on a semaphore the next submission releases completes with no
# reset. A client that fills VRAM does not lock other processes out.
. /test/lib.sh

DEV=/dev/dri/renderD128

dmesg -c >/dev/null
check modprobe_short_timeout nvg_load job_timeout_ms=$(slow_ms 200) sched_watchdog_ms=$(slow_ms 200)
recovery_test $DEV hang_shared
check_eq hang_shared_exit_status "$?" 0
recovery_test $DEV hang_kill
check_eq hang_kill_exit_status "$?" 0
check rmmod_after_hang_kill nvg_unload

check modprobe nvg_load
recovery_test $DEV unmap
check_eq unmap_exit_status "$?" 0
check vram_unused_after_unmap grep -qx 'used: 0' $DBG/gpu0/vram
check rmmod_after_unmap nvg_unload

check modprobe_vram_mb_64 nvg_load vram_mb=64
recovery_test $DEV vram_full
check_eq vram_full_exit_status "$?" 0
check vram_unused_after_full grep -qx 'used: 0' $DBG/gpu0/vram
check rmmod_after_vram_full nvg_unload
check dmesg_clean dmesg_clean
