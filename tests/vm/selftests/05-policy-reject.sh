#!/bin/sh
# Every load-time rule refuses a bad policy with its reason shown, one rule
# per check, and leaves the default in place.
. /test/lib.sh
T=$NVG_TESTBPF

expect_fail module_not_loaded "nvghost module is not loaded" nvgpolicy load $NVG_PROFILES/fifo.bpf.o
check modprobe nvg_load
expect_fail file_missing "no such file" nvgpolicy load /nonexistent.bpf.o
echo "not elf" > /tmp/junk.bpf.o
expect_fail not_bpf_object "not a BPF object" nvgpolicy load /tmp/junk.bpf.o
expect_fail verifier_rejects_write "verifier rejected" nvgpolicy load $T/verifier_fail.bpf.o
expect_fail verifier_reason_shown "only read is supported" nvgpolicy load $T/verifier_fail.bpf.o
expect_fail unknown_flags "Invalid argument" nvgpolicy load $T/bad_flags_fail.bpf.o
expect_fail timeout_too_big "Argument list too long" nvgpolicy load $T/bad_timeout_fail.bpf.o
expect_fail bad_name "Invalid argument" nvgpolicy load $T/bad_name_fail.bpf.o
expect_fail flag_needs_dispatch "Invalid argument" nvgpolicy load $T/no_dispatch_fail.bpf.o
status_has flag_needs_dispatch_reason sched last_msg 'requires ops.dispatch'
# The verifier quotes check_member's refusal of a sleepable enqueue.
expect_fail sleepable_enqueue "attach to unsupported member enqueue of struct nvg_sched_ops" nvgpolicy load $T/sleepable_fail.bpf.o
expect_fail init_refuses "No such device" nvgpolicy load $T/init_fail.bpf.o
status_has init_refusal_recorded sched last_exit 'op=init code=-19'
check nothing_attached test "$(status_field sched state)" = default
check no_pins_left sh -c "test -z \"\$(ls /sys/fs/bpf/nvghost 2>/dev/null)\""

check load_fifo nvgpolicy load $NVG_PROFILES/fifo.bpf.o
cp $NVG_PROFILES/fifo.bpf.o /tmp/fifo2.bpf.o
expect_fail hook_taken "already taken by policy 'fifo'" nvgpolicy load /tmp/fifo2.bpf.o
expect_fail unload_unknown "no policy 'nosuch'" nvgpolicy unload nosuch
check unload_fifo nvgpolicy unload fifo

check rmmod nvg_unload
check dmesg_clean dmesg_clean
