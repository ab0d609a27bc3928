#!/bin/sh
# Managed memory (issue 16, item 1): a managed buffer has no backing at
# creation; the GPU's first touch makes pages resident as zeroes; a GPU
# access to a page in system memory raises a replayable fault that the
# driver services (migration to VRAM, page tables, TLB) before replaying
# the access; a CPU access faults the pages back; READ_ONLY still refuses
# writes, PRIME export is refused; managed and other buffers share an
# address space. uvm_test checks each with byte-for-byte data.
. /test/lib.sh

DEV=/dev/dri/renderD128

dmesg -c >/dev/null
check modprobe nvg_load
uvm_test $DEV basic
check_eq uvm_basic_exit_status "$?" 0
# The faults went through the fault buffer and were replayed.
check_gt uvm_faults_serviced "$(sed -n 's/^faults: //p' $DBG/gpu0/uvm)" 0
check_gt uvm_replays "$(sed -n 's/^replays: //p' $DBG/gpu0/uvm)" 0
check_gt uvm_cpu_faults "$(sed -n 's/^cpu_faults: //p' $DBG/gpu0/uvm)" 0
check uvm_vram_released wait_for 10 grep -qx 'vram_used: 0' $DBG/gpu0/uvm
check vram_unused_after wait_for 10 grep -qx 'used: 0' $DBG/gpu0/vram
check rmmod nvg_unload
check dmesg_clean dmesg_clean
