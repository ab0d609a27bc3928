#!/bin/sh
# GPU virtual address spaces (VM_BIND): one check per validation rule with
# its exact errno, then map / unmap / remap, a partial unmap that splits a
# mapping, two clients' independent address spaces, copies to unmapped VAs
# refused, READ_ONLY mappings, all proven with GPU copies. vm_bind_test
# prints one line per check; its exit status is the number of failures.
. /test/lib.sh

DEV=/dev/dri/renderD128

dmesg -c >/dev/null
check modprobe nvg_load
vm_bind_test $DEV
check_eq vm_bind_test_exit_status "$?" 0
# Every object and page table went with the clients that made them.
check vram_unused_after grep -qx 'used: 0' $DBG/gpu0/vram
check rmmod nvg_unload
check dmesg_clean dmesg_clean
