#!/bin/sh
# A policy reads *virtual* time (issue 12, item 2): on a device loaded with
# clock=virtual, nvg_device_now_ns() in a policy's op returns the device
# time the test advanced the clock to (DRM_IOCTL_NVGHOST_CLOCK), to the
# nanosecond, however much wall time passed meanwhile, and not the host's
# clock (bpf_ktime_get_ns(), which the same op reads too). A kfunc that
# returned CLOCK_MONOTONIC (or CLOCK_MONOTONIC since the GPU's power-up,
# live mode's clock) fails probe_reads_advanced_time_*: the test stops the
# device clock at odd times (337.000123 ms, then 1.000004321 s later) that
# no host clock reads at the moment of a job's enqueue.
# The policy is tests/vm/bpf/vclock_probe.bpf.c (its sched enqueue() and its
# power select() record what they read; bpftool dumps its globals).
. /test/lib.sh
T=$NVG_TESTBPF
CARD=/dev/dri/card0
DF=/sys/class/devfreq/nvghost.0

lsmod | grep -q '^nvghost ' && nvg_unload

# snap: dump the probe's globals; vcp NAME reads one from that dump.
snap() { bpftool map dump name vclock_p.bss > /tmp/vcp.bss 2>&1; }
vcp() { sed -n "s/.*\"$1\": \([0-9]*\).*/\1/p" /tmp/vcp.bss | tail -n 1; }
# jobs_seen N: the probe's enqueue() ran N times (else say how many).
jobs_seen() { snap; [ "$(vcp jobs)" = "$1" ] || { echo "enqueue() calls $(vcp jobs), expected $1"; return 1; }; }
# advance NS: ADVANCE the device clock by NS; prints the device time after.
advance() { vclock_test advance $CARD "$1" | sed -n 's/^now=\([0-9]*\) .*/\1/p'; }

check modprobe_virtual nvg_load clock=virtual num_heads=0
check probe_load nvgpolicy load $T/vclock_probe.bpf.o
check_eq probe_sched_attached "$(status_field sched state)" attached
check probe_power_governor sh -c "echo nvg_power_ops > $DF/governor"

# (1) Advance to an odd device time, let wall time pass, queue a job.
T0=$(advance 0)
T1=$(advance 337000123)
check_cmp clock_advanced "$T1" eq $((T0 + 337000123)) "device time after ADVANCE by 337000123 ns from $T0"
sleep 0.5
check_eq clock_still_over_wall_time "$(advance 0)" "$T1"
echo "0 1 100" > $DBG/gpu0/submit
check probe_saw_job1 wait_for 10 jobs_seen 1
D1=$(vcp first_dev_ns); E1=$(vcp first_enq_ns); H1=$(vcp first_host_ns)
echo "# job 1: device clock advanced to $T1; the policy read nvg_device_now_ns()=$D1, enqueue_ns=$E1, bpf_ktime_get_ns()=$H1"
check_cmp probe_reads_advanced_time_1 "$D1" eq "$T1" "nvg_device_now_ns() in enqueue(), ns (the device time the test advanced to; bpf_ktime_get_ns() read $H1)"
check_cmp probe_enqueue_ns_is_device_time_1 "$E1" eq "$T1" "the job's enqueue_ns"
check_cmp probe_not_host_clock_1 "$H1" ne "$D1" "bpf_ktime_get_ns() against nvg_device_now_ns() ($D1)"

# (2) Again 1.000004321 s of device time later: the policy's two reads are
# exactly that far apart (the host's are not: 1 s of device time plays in
# far less, or more, wall time).
T2=$(advance 1000004321)
check_cmp clock_advanced_again "$T2" eq $((T1 + 1000004321)) "device time after ADVANCE by 1000004321 ns from $T1"
check idle_after_advance idle 0
echo "0 1 100" > $DBG/gpu0/submit
check probe_saw_job2 wait_for 10 jobs_seen 2
D2=$(vcp last_dev_ns); E2=$(vcp last_enq_ns); H2=$(vcp last_host_ns)
echo "# job 2: device clock advanced to $T2; the policy read nvg_device_now_ns()=$D2, enqueue_ns=$E2, bpf_ktime_get_ns()=$H2 (host delta $((H2 - H1)) ns)"
check_cmp probe_reads_advanced_time_2 "$D2" eq "$T2" "nvg_device_now_ns() in enqueue(), ns (the device time the test advanced to; bpf_ktime_get_ns() read $H2)"
check_cmp probe_enqueue_ns_is_device_time_2 "$E2" eq "$T2" "the job's enqueue_ns"
check_cmp probe_device_delta_exact $((D2 - D1)) eq 1000004321 "device time between the two reads, ns"
check_cmp probe_host_delta_differs $((H2 - H1)) ne $((D2 - D1)) "bpf_ktime_get_ns() between the two reads, ns"

# (3) The power hook's select() runs on devfreq's sampling alarm, every
# 50 ms of device time: its last read lies in the last 50 ms before T2.
check_cmp probe_power_periods "$(vcp periods)" gt 10 "power select() calls over 1.34 s of device time"
PD=$(vcp power_dev_ns)
check_cmp probe_power_read_not_after_t2 "$PD" le "$T2" "nvg_device_now_ns() in the last select() (device time now: $T2)"
check_cmp probe_power_read_in_last_period "$PD" gt $((T2 - 50000000)) "nvg_device_now_ns() in the last select() (device time now: $T2, sampling every 50 ms)"

advance 1000000 >/dev/null
check jobs_done idle 0
check probe_unload nvgpolicy unload vclock_probe
echo simple_ondemand > $DF/governor
check rmmod nvg_unload
check dmesg_clean dmesg_clean
