#!/bin/sh
# A memory policy may not evict a block that is in use (issue 16, Tests:
# must-eject memory policies). In use means: being migrated in, or serviced
# for a fault of the batch in progress, whose stalled access waits for the
# replay or is being replayed while the batch's prefetches migrate;
# evicting it would undo the service and fault that access again. The two
# policies prefetch the block after the faulting one, and when that
# prefetch needs VRAM they name the faulting block: as a candidate's index
# (mem_evict_in_use) or through nvg_mem_evict_block() (mem_evict_block_in_use).
# The driver must refuse it and eject the policy with the exit record
# (error_invalid, "is in use"); the workload (CPU write, GPU copy between
# two 12 MiB managed buffers through an 8 MiB VRAM limit, CPU check of
# every byte) still completes under the built-in default.
. /test/lib.sh
DEV=/dev/dri/renderD128

dmesg -c >/dev/null
check modprobe nvg_load uvm_vram_mb=8

for p in mem_evict_in_use mem_evict_block_in_use; do
	mem_policy_refused $p "is in use" $DEV
	check_gt ${p}_prefetch_ran "$(sed -n 's/^prefetched: //p' $DBG/gpu0/uvm)" 0
	check ${p}_unload nvgpolicy unload $p
	check_eq ${p}_default_after "$(status_field mem state)" default
done

check uvm_vram_released wait_for 10 grep -qx 'vram_used: 0' $DBG/gpu0/uvm
check rmmod nvg_unload
check dmesg_clean dmesg_clean
