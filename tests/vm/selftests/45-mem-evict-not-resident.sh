#!/bin/sh
# A memory policy may not evict a block that is not resident (issue 16,
# Tests: must-eject memory policies). mem_evict_other_not_resident names,
# through nvg_mem_evict_block(), an existing block of the faulting buffer
# that holds no VRAM and is not the one being serviced (42-mem-hook's
# mem_evict_not_resident names the block being serviced). The driver must
# refuse it and eject the policy with the exit record (error_invalid, "is
# not resident"), evict by LRU instead, and the workload (12 MiB managed
# buffers through an 8 MiB VRAM limit, every byte checked) completes.
. /test/lib.sh
DEV=/dev/dri/renderD128
p=mem_evict_other_not_resident

dmesg -c >/dev/null
check modprobe nvg_load uvm_vram_mb=8
mem_policy_refused $p "is not resident" $DEV
status_has ${p}_op mem last_exit "op=evict"
check ${p}_unload nvgpolicy unload $p
# The default serves the next client as before.
uvm_test $DEV touch 12
check_eq default_after_exit_status "$?" 0
check uvm_vram_released wait_for 10 grep -qx 'vram_used: 0' $DBG/gpu0/uvm
check rmmod nvg_unload
check dmesg_clean dmesg_clean
