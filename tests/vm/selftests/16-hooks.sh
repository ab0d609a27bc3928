#!/bin/sh
# The pacing and power hooks share the scheduling hook's framework: each
# attaches, shows in the status file with its own op counters, is ejected
# by hand through debugfs, and refuses at load what it can see then (a
# missing required op, a write to the driver's read-only arguments). One
# object may fill several hooks; the others stay with their defaults.
. /test/lib.sh
T=$NVG_TESTBPF
P=$NVG_PROFILES

check modprobe nvg_load
for h in sched pacing power; do
	check ${h}_in_status test "$(status_field $h state)" = default
done

# Required ops: the loader shows the hook's reason.
expect_fail power_no_select "select() is required" nvgpolicy load $T/power_no_select_fail.bpf.o
check power_no_select_nothing_attached test "$(status_field power state)" = default
expect_fail pacing_no_flip "flip() is required" nvgpolicy load $T/pacing_no_flip_fail.bpf.o
check pacing_no_flip_nothing_attached test "$(status_field pacing state)" = default
# The sample a power policy reads is the driver's: it may not write it.
expect_fail power_write_sample "only read is supported" nvgpolicy load $T/power_write_sample_fail.bpf.o

# Attach and eject by hand, per hook; the others are untouched.
check power_attach nvgpolicy load $T/power_bad_pstate.bpf.o
check power_attached test "$(status_field power state)" = attached
check power_policy_name test "$(status_field power policy)" = power_bad_pstate
check pacing_still_default test "$(status_field pacing state)" = default
check sched_attach nvgpolicy load $P/fifo.bpf.o
check both_listed sh -c 'nvgpolicy list | grep -q power_bad_pstate && nvgpolicy list | grep -q fifo'
check power_eject sh -c "echo power > $DBG/eject"
check power_ejected test "$(status_field power state)" = ejected
status_has power_eject_kind power last_exit "kind=sysrq"
check sched_not_ejected test "$(status_field sched state)" = attached
expect_fail eject_unknown_hook "Invalid argument" sh -c "echo nosuch > $DBG/eject"
expect_fail eject_default_hook "No such file" sh -c "echo pacing > $DBG/eject"
check pacing_attach nvgpolicy load $T/pacing_past_latch.bpf.o
check pacing_attached test "$(status_field pacing state)" = attached
check unload_all nvgpolicy unload --all
for h in sched pacing power; do
	check ${h}_default_again test "$(status_field $h state)" = default
done
check rmmod nvg_unload
check dmesg_clean dmesg_clean
