#!/bin/sh
# Per-client statistics in fdinfo: engine busy time and memory by region.
. /test/lib.sh

check modprobe nvg_load
fdinfo_test /dev/dri/renderD128
check rmmod nvg_unload
check dmesg_clean dmesg_clean
