#!/bin/sh
# nvgtop --once (batch) while a workload runs under gaming: the GPU's clock,
# power, temperature and a non-zero compute share; frames per second on the
# head a game presents on; the client with its command, share and jobs per
# second; each hook's policy with its op counters (all from stable
# interfaces: fdinfo, sysfs, BPF object info).
. /test/lib.sh

check modprobe nvg_load
check load_gaming nvgpolicy load gaming
# The workload outlives nvgtop, however slow the emulator: its own session,
# ended (clients and all) once nvgtop has sampled.
setsid nvgbench -t 600 veryheavy:hog game:g,head=0,hz=60,cost=2 > /tmp/bench.out 2>&1 &
BENCH=$!
check client_running wait_for 60 sh -c 'grep -qs "^drm-driver:.*nvghost" /proc/[0-9]*/fdinfo/*'
FRAMES=/sys/class/drm/card0/device/heads/0/frames
check head_frames_counting wait_for 60 sh -c "[ \$(cat $FRAMES) -gt 0 ]"
# Stable interfaces only: debugfs (not ABI) is unmounted while nvgtop samples.
check umount_debugfs umount /sys/kernel/debug
check nvgtop_once sh -c 'nvgtop --once -d 2 > /tmp/top.out'
check mount_debugfs mount -t debugfs none /sys/kernel/debug
kill -TERM -$BENCH
wait $BENCH
cat /tmp/top.out
check gpu_line grep -qE '^GPU 0  ad102' /tmp/top.out
check clock_line grep -qE '^  clock [0-9]+ MHz  p-state [0-9]+/[0-9]+  governor ' /tmp/top.out
check power_temp grep -qE '^  power [0-9.]+ W  temp [0-9.]+ C  energy [0-9.]+ J' /tmp/top.out
busy=$(awk '$1 == "busy" { sub(/%/, "", $3); print int($3) }' /tmp/top.out)
check_gt gpu_compute_busy "$busy" 10
client=$(awk '$2 == "hog" && $3 == 0 { sub(/%/, "", $4); if (int($4) > m) m = int($4) } END { print m + 0 }' /tmp/top.out)
check_gt client_compute_share "$client" 10
# fps per head: the game flips on head 0 (at most 60 Hz, however slow the host).
fps=$(awk '$1 == "fps" { for (i = 2; i < NF; i++) if ($i == "head0") print int($(i + 1)) }' /tmp/top.out)
check_gt head0_fps "$fps" 0
# jobs per second per client (fdinfo's nvghost-jobs-*): the hog runs jobs.
jobs=$(awk '$1 == "PID" { for (i = 1; i <= NF; i++) if ($i == "JOBS/S") c = i }
	c && $2 == "hog" && $3 == 0 && $c + 0 > m { m = $c + 0 } END { print int(m * 10) }' /tmp/top.out)
check_gt client_jobs_per_s "$jobs" 0
check jobs_column grep -qE '^ +PID +COMMAND +GPU +COMPUTE +COPY +JOBS/S ' /tmp/top.out
check hook_sched grep -qE '^sched +gaming +gaming_ops +[0-9]+ +attached +.*dispatch=[1-9]' /tmp/top.out
check hook_power grep -qE '^power +gaming ' /tmp/top.out
check hook_pacing grep -qE '^pacing +gaming ' /tmp/top.out
check gpu_filter sh -c 'nvgtop -b -n 1 -d 0.2 -g 1 | grep -q "no nvghost GPU with that index"'
expect_fail bad_option "want a GPU index" nvgtop -g 9
check unload nvgpolicy unload gaming
check rmmod nvg_unload
check dmesg_clean dmesg_clean
