#!/bin/sh
# GET_PARAM reports each modelled chip (Turing, Ampere, Ada, Hopper) with its real
# PMC_BOOT_0 and rejects every malformed request (ioctl_test: one subtest
# per validation rule); several GPUs at once each report their own chip.
. /test/lib.sh

for c in tu102 tu104 ga102 ga104 ad102 ad104 gh100; do
	if nvg_load chip=$c; then
		ioctl_test /dev/dri/renderD128 $c | sed "s/^\(PASS\|FAIL\): /\1: $c: /"
	else
		fail "load_$c" "modprobe chip=$c failed"
	fi
	nvg_unload
done

check vram_override_load nvg_load chip=ga102 vram_mb=512
ioctl_test /dev/dri/renderD128 ga102 512 | grep '_vram' | sed 's/^\(PASS\|FAIL\): /\1: override: /'
nvg_unload

check three_gpus_load nvg_load num_gpus=3 chip=tu102,ga102,ad102
i=0
for c in tu102 ga102 ad102; do
	ioctl_test /dev/dri/renderD$((128 + i)) $c | grep 'chip_id' | sed "s/^\(PASS\|FAIL\): /\1: gpu$i: /"
	i=$((i + 1))
done
check three_gpus_debugfs test -d $DBG/gpu2
nvg_unload

expect_fail bad_chip_refused "No such device" modprobe nvghost chip=gb202
check bad_chip_says_why sh -c "dmesg | grep -q \"unknown chip 'gb202'\""
expect_fail bad_num_gpus_refused "Invalid argument" modprobe nvghost num_gpus=9
check bad_num_gpus_says_why sh -c "dmesg | grep -q 'num_gpus must be 1..8'"
check dmesg_clean dmesg_clean
