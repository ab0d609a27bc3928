#!/bin/sh
# Buffer objects: creation in VRAM and system memory, GEM_INFO, CPU
# mappings, the validation rules, PRIME sharing (between two clients of one
# GPU, and between two GPUs), running out of VRAM, no leaks. gem_test prints
# one line per check; its exit status is the number of failures.
. /test/lib.sh

DEV=/dev/dri/renderD128

# run_gem NAME ARGS...: gem_test's checks, plus one that it ran to the end.
run_gem() {
	_n=$1; shift
	gem_test "$@"
	_rc=$?
	check_eq "${_n}_exit_status" "$_rc" 0
}

dmesg -c >/dev/null

check modprobe nvg_load
run_gem gem_all $DEV
check rmmod nvg_unload

check modprobe_vram_mb_64 nvg_load vram_mb=64
check vram_64m_reported grep -qx 'total: 67108864' $DBG/gpu0/vram
run_gem gem_vram64 $DEV vram64
check rmmod_vram_mb_64 nvg_unload

check modprobe_two_gpus nvg_load num_gpus=2
run_gem gem_xdev $DEV xdev /dev/dri/renderD129
check vram_unused_after_xdev grep -qx 'used: 0' $DBG/gpu0/vram
check rmmod_two_gpus nvg_unload

check dmesg_clean dmesg_clean
