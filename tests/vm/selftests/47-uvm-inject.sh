#!/bin/sh
# A hang or a fault injected during a migration (issue 16, Tests). Debugfs
# gpu0/inject "0 hang_migrate" makes the compute engine's next job hang in
# its first managed-memory fault: the driver migrates the pages and
# replays, the engine never goes on; "0 fault_migrate" makes that replayed
# access end the job with an MMU fault. The guilty client's job (a checksum
# of a 4 MiB managed buffer it wrote) must fail -- reset by recovery after
# job_timeout_ms (4 s), or faulted -- after pages migrated for it; its data stay
# whole and a new channel works. Meanwhile an innocent process (a system
# -> managed -> VRAM copy chain on the copy engine, 4 MiB each, the managed
# buffer sharing the 8 MiB VRAM limit with the guilty one) keeps running,
# every byte checked each round, and the kernel logs no warning.
. /test/lib.sh
DEV=/dev/dri/renderD128
STOP=/tmp/uvm-innocent-stop

resets() { sed -n 's/^engine_resets: //p' $DBG/gpu0/info; }

dmesg -c >/dev/null
# Hung jobs are reset after 4 s of GPU time: time for the innocent's rounds.
check modprobe nvg_load uvm_vram_mb=8 job_timeout_ms=$(slow_ms 4000)
rm -f $STOP $STOP.rounds
uvm_test $DEV innocent 4 $STOP >/tmp/innocent.out 2>&1 &
ipid=$!
check innocent_started wait_for 120 test -s $STOP.rounds
r0=$(cat $STOP.rounds)
reset0=$(resets)

uvm_test $DEV guilty hang 4
check_eq guilty_hang_exit_status "$?" 0
check_gt hang_reset_by_recovery "$(resets)" "$reset0"
r1=$(cat $STOP.rounds)
check_gt innocent_ran_during_hang "$r1" "$r0"

uvm_test $DEV guilty fault 4
check_eq guilty_fault_exit_status "$?" 0
r2=$(cat $STOP.rounds)
check innocent_runs_after_fault wait_for 120 sh -c "[ \$(cat $STOP.rounds) -gt $r2 ]"

touch $STOP
wait $ipid
check_eq innocent_exit_status "$?" 0
cat /tmp/innocent.out
check_gt innocent_migrated "$(sed -n 's/^migrated_in: //p' $DBG/gpu0/uvm)" 0
check uvm_vram_released wait_for 10 grep -qx 'vram_used: 0' $DBG/gpu0/uvm
check rmmod nvg_unload
check dmesg_clean dmesg_clean
