#!/bin/sh
# Who may create a HIGH-priority channel (what policies treat as critical):
# a client with CAP_SYS_NICE or the DRM master; anyone else gets EACCES,
# and LOW and NORMAL channels work for everyone (submit_test priority).
. /test/lib.sh

check modprobe nvg_load
submit_test /dev/dri/renderD128 priority /dev/dri/card0
check_eq submit_priority_exit_status "$?" 0
check rmmod nvg_unload
check dmesg_clean dmesg_clean
