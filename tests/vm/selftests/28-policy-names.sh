#!/bin/sh
# Policies by name, as installed: `nvgpolicy load gaming` finds
# /usr/lib/nvghost/policies/gaming.bpf.o (where nvghost-policies puts them;
# the guest image has them there), attaches every hook of it, and
# `nvgpolicy list --available` describes what is installed.
. /test/lib.sh
unset NVG_POLICY_PATH

check list_available sh -c 'nvgpolicy list --available > /tmp/avail'
check available_gaming grep -q '^gaming .*frame-aware scheduling' /tmp/avail
check available_tunables grep -q 'crit_run_us=4000' /tmp/avail
check available_dir grep -q '^/usr/lib/nvghost/policies (installed):' /tmp/avail

check modprobe nvg_load
check load_by_name nvgpolicy load gaming
check_eq by_name_sched "$(status_field sched policy)" gaming
check_eq by_name_power "$(status_field power policy)" gaming
check_eq by_name_pacing "$(status_field pacing policy)" gaming
check unload_by_name nvgpolicy unload gaming
# The links are freed after the pins go, asynchronously: give it time.
for _i in $(seq 1 50); do
	[ "$(status_field sched state)" = default ] && break
	sleep 0.1
done
check_eq unloaded "$(status_field sched state)" default
check load_by_name_with_set nvgpolicy load fifo --set slice_us=2000
check unload_fifo nvgpolicy unload fifo
expect_fail unknown_name "no policy 'nosuch'" nvgpolicy load nosuch
check rmmod nvg_unload
check dmesg_clean dmesg_clean
