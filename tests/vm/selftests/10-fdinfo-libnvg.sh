#!/bin/sh
# Per-client statistics in fdinfo (engine busy time, memory by region), and
# libnvg end to end: every command kind its builder encodes runs.
. /test/lib.sh

check modprobe nvg_load
fdinfo_test /dev/dri/renderD128
libnvg_test
check modprobe_vgem modprobe vgem
prime_vgem_test
check rmmod_vgem rmmod vgem
check rmmod nvg_unload
check dmesg_clean dmesg_clean
