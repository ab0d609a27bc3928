#!/bin/sh
# A migration whose copy fails (issue 16, Tests: an injected fault during
# migration; docs/architecture.md "Eviction": a copy that fails leaves the
# page resident and mapped). Debugfs gpu0/inject "1 fail_migration" makes
# the copy engine's next migration copy fail. A holding process fills the
# 8 MiB managed share of VRAM with its own blocks and then waits; the
# faulting process copies from its managed buffer: the eviction that would
# make room fails its copy out, so that fault is cancelled (the job ends
# with an error), the victim stays resident, nothing of the faulting
# client comes in; with room (no limit), the copy in fails: cancelled
# again, its chunk given back. Then, nothing armed, the copy works; the
# holding process's data are whole through the GPU and the CPU, the
# faulting one's through the CPU and the GPU, and the kernel logs no
# warning.
. /test/lib.sh
DEV=/dev/dri/renderD128
STOP=/tmp/uvm-hold-stop

dmesg -c >/dev/null
check modprobe nvg_load uvm_vram_mb=8
rm -f $STOP $STOP.ready
uvm_test $DEV hold 8 $STOP >/tmp/hold.out 2>&1 &
hpid=$!
check hold_ready wait_for 120 test -s $STOP.ready
check_eq vram_full "$(sed -n 's/^vram_used: //p' $DBG/gpu0/uvm)" 8388608
uvm_test $DEV migfail 4
check_eq migfail_exit_status "$?" 0
touch $STOP
wait $hpid
check_eq hold_exit_status "$?" 0
cat /tmp/hold.out
check uvm_vram_released wait_for 10 grep -qx 'vram_used: 0' $DBG/gpu0/uvm
check rmmod nvg_unload
check dmesg_clean dmesg_clean
