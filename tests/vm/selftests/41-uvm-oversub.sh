#!/bin/sh
# Oversubscription (issue 16, item 2): managed memory may exceed VRAM.
# With managed memory limited to 16 MiB (uvm_vram_mb, also writable at run
# time), two 24 MiB managed buffers are copied into each other by the GPU
# and rewritten by the CPU round after round until at least 1 GiB has
# migrated in and 1 GiB out (the client's fdinfo, checked again against
# the kernel's totals in debugfs gpu0/uvm); every byte is checked after
# every round. Eviction
# (copy back, unmap, TLB invalidate) happens before each faulting block
# comes in, and blocks that cycle through VRAM are reported as thrashing
# (fdinfo, debugfs). Then a client killed in the middle of migrations
# leaves nothing behind.
. /test/lib.sh

DEV=/dev/dri/renderD128

dmesg -c >/dev/null
check modprobe nvg_load uvm_vram_mb=16
check_eq uvm_limit_reported "$(sed -n 's/^vram_limit: //p' $DBG/gpu0/uvm)" 16777216
uvm() { sed -n "s/^$1: //p" $DBG/gpu0/uvm; }
in0=$(uvm migrated_in)
out0=$(uvm migrated_out)
t0=$(cut -d' ' -f1 /proc/uptime)
uvm_test $DEV oversub_each 24 1
check_eq uvm_oversub_exit_status "$?" 0
t1=$(cut -d' ' -f1 /proc/uptime)
# The kernel's own totals (debugfs gpu0/uvm), not only the client's fdinfo.
in_mib=$(( ($(uvm migrated_in) - in0) >> 20 ))
out_mib=$(( ($(uvm migrated_out) - out0) >> 20 ))
echo "41-uvm-oversub: migrated in $in_mib MiB, out $out_mib MiB," \
	"every byte checked, in $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s"
check_cmp uvm_migrated_in_1gib "$in_mib" ge 1024 "MiB migrated into VRAM (debugfs)"
check_cmp uvm_migrated_out_1gib "$out_mib" ge 1024 "MiB migrated out of VRAM (debugfs)"
check_gt uvm_evictions "$(sed -n 's/^evictions: //p' $DBG/gpu0/uvm)" 0
check_gt uvm_thrashing "$(sed -n 's/^thrashing: //p' $DBG/gpu0/uvm)" 0
check uvm_vram_released wait_for 10 grep -qx 'vram_used: 0' $DBG/gpu0/uvm

# A client killed while its copies fault and migrate: its memory goes,
# the GPU keeps serving the next client.
uvm_test $DEV oversub 24 100 >/dev/null 2>&1 &
pid=$!
sleep 3
kill -9 $pid
wait $pid 2>/dev/null
check uvm_killed_vram_released wait_for 10 grep -qx 'vram_used: 0' $DBG/gpu0/uvm
# At run time: a smaller limit for the next client.
echo 8 > /sys/module/nvghost/parameters/uvm_vram_mb
uvm_test $DEV touch 12
check_eq uvm_after_kill_exit_status "$?" 0
check vram_unused_after wait_for 10 grep -qx 'used: 0' $DBG/gpu0/vram
check rmmod nvg_unload
check dmesg_clean dmesg_clean
