#!/bin/sh
# The device clock's two modes (clock=live|virtual, DRM_IOCTL_NVGHOST_CLOCK).
# Live: GET says live, ADVANCE is -EOPNOTSUPP. Virtual: device time does not
# move over real time, only with ADVANCE; a render node without
# CAP_SYS_ADMIN may not ADVANCE; a BUSY job completes exactly at its
# modelled device time (its fence's timestamp); devfreq samples, and energy
# and temperature integrate, over virtual time only; a lost interrupt is
# recovered by the job timeout at its device time; a head's vblanks come at the mode's rate of device
# time; and the same scenario (a hog and short jobs on two contexts, the
# fair policy attached) replayed three times, each after a reload, gives
# identical completion times in identical order.
. /test/lib.sh

CARD=/dev/dri/card0
RENDER=/dev/dri/renderD128
P=$NVG_PROFILES

dmesg -c >/dev/null
expect_fail clock_param_rejected "Invalid argument" modprobe nvghost clock=bogus
check clock_param_says_why sh -c 'dmesg | grep -q "bad clock= parameter .bogus."'

check modprobe_live nvg_load
vclock_test live $CARD
check rmmod_live nvg_unload

check modprobe_virtual nvg_load clock=virtual
vclock_test virtual $CARD $RENDER "$(gpu_power clock_mhz)"
# devfreq samples on device time: an idle GPU stays at the top clock over
# real time, and simple_ondemand takes it to the lowest within 200 ms of
# device time.
top=$(gpu_power clock_mhz)
low=$(awk '$1 == "pstate" && $2 == "0:" { print $3 }' $DBG/gpu0/power)
sleep 0.3
check_eq devfreq_still_without_advance "$(gpu_power clock_mhz)" "$top"
vclock_test advance $CARD 200000000 >/dev/null
check_eq devfreq_samples_virtual_time "$(gpu_power clock_mhz)" "$low"
# Energy and temperature: nothing over real time; over 1 s of device time,
# energy is the board's power (idle, lowest p-state) times 1 s (mW x s = mJ).
e0=$(gpu_power energy_uj)
t0=$(gpu_power temp_mc)
sleep 0.5
e1=$(gpu_power energy_uj)
check_eq energy_still_without_advance "$e1" "$e0"
check_eq temp_still_without_advance "$(gpu_power temp_mc)" "$t0"
vclock_test advance $CARD 1000000000
e2=$(gpu_power energy_uj)
p=$(gpu_power power_mw)
echo "# energy: $e1 -> $e2 uJ over 1 s of device time at $p mW; temp $t0 -> $(gpu_power temp_mc) mC"
check_cmp energy_integrates_virtual_time $(( (e2 - e1) / 10 )) eq $(( p * 100 )) \
	"energy over 1 s of device time, in 10 uJ (power_mw $p x 1 s)"
check_cmp temp_moves_with_virtual_time "$(gpu_power temp_mc)" ne "$t0" "temperature after 1 s of device time"
check rmmod_virtual nvg_unload

# A lost completion interrupt: the job timeout, a device alarm that calls
# drm_sched_fault(), finds the job done and completes it, at exactly
# job_timeout_ms of device time after the submission.
check modprobe_virtual_timeout nvg_load clock=virtual job_timeout_ms=200 sched_watchdog_ms=200
echo "0 drop_irq" > $DBG/gpu0/inject
vclock_test lostirq $CARD 200
check_eq lost_irq_counted "$(awk '$1 == "irq_lost:" { print $2 }' $DBG/gpu0/info)" 1
check rmmod_virtual_timeout nvg_unload

check modprobe_virtual_kms nvg_load clock=virtual
kms_test vclock 0 1920x1080@60
check rmmod_virtual_kms nvg_unload

# Three runs: a race shows up in some runs only.
for run in 1 2 3; do
	check modprobe_virtual_run$run nvg_load clock=virtual
	check fair_load_run$run nvgpolicy load $P/fair.bpf.o
	vclock_test scenario $CARD > /tmp/vclock_run$run
	cat /tmp/vclock_run$run
	check_cmp fair_decided_run$run "$(op_count sched dispatch)" gt 0 "fair's dispatch calls"
	grep '^# done' /tmp/vclock_run$run > /tmp/vclock_done$run
	check rmmod_run$run nvg_unload
done
check_cmp scenario_jobs_done "$(wc -l < /tmp/vclock_done1)" eq 16 "completions in run 1"
for run in 2 3; do
	if cmp -s /tmp/vclock_done1 /tmp/vclock_done$run; then
		pass scenario_deterministic_run$run
	else
		fail scenario_deterministic_run$run "expected identical completion times and order, first difference: $(awk 'NR == FNR { a[FNR] = $0; next } a[FNR] != $0 { print "run 1 \"" a[FNR] "\", this run \"" $0 "\""; exit }' /tmp/vclock_done1 /tmp/vclock_done$run)"
	fi
done
# An engine that planned for a time already past was not waited for by a settle.
check no_settle_missed_an_engine sh -c '! dmesg | grep "nvghost-sim: engine .* planned for"'
check dmesg_clean dmesg_clean
