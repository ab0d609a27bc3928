#!/bin/sh
# A bounded random-ioctl run with concurrent closes and kills (issue 11,
# item 6): ioctl_fuzz's workers issue seeded random nvghost and core DRM
# ioctls while their files are closed under them and they are SIGKILLed
# and restarted. Then the device still works (a fresh client's checksum
# job), every worker was reaped (ioctl_fuzz checks both), nothing is left
# in D state or on the engines, the module unloads and loads again, and
# dmesg shows no warning, oops or nvghost error. The seed is printed; to
# repeat a run, or run a longer one, give the guest's kernel command line
# nvg.fuzz_seed=N (and nvg.fuzz_ops=N, nvg.fuzz_seconds=N; defaults 20000
# operations, at most 30 s), e.g. tests/vm/run-vm.sh nvg.tests=33-ioctl-fuzz
# nvg.fuzz_seed=123.
. /test/lib.sh

cmdline_arg() { sed -n "s/.*nvg\.$1=\([0-9]*\).*/\1/p" /proc/cmdline; }
SEED=$(cmdline_arg fuzz_seed)
SEED=${SEED:-$(date +%s)}
OPS=$(cmdline_arg fuzz_ops)
SECS=$(cmdline_arg fuzz_seconds)
echo "# 33-ioctl-fuzz: seed $SEED"

dmesg -c >/dev/null
# A short job timeout: mutated pushbuffers hang now and then (a BUSY of
# 2^40 cycles, a semaphore never released) and are reset after it.
check modprobe nvg_load job_timeout_ms=$(slow_ms 200) sched_watchdog_ms=$(slow_ms 200)
ioctl_fuzz /dev/dri/renderD128 /dev/dri/card0 "$SEED" "${OPS:-20000}" 4 "${SECS:-30}"
check_eq fuzz_exit_status "$?" 0

# no_d_state: no task (any thread of any process, ours or the kernel's)
# in uninterruptible sleep; else say which, where it waits and its stack.
no_d_state() {
	_nd_out=""
	for _nd_s in /proc/[0-9]*/task/[0-9]*/stat; do
		_nd_st=$(sed 's/.*) //' "$_nd_s" 2>/dev/null | cut -d' ' -f1)
		[ "$_nd_st" = D ] || continue
		_nd_t=${_nd_s%/stat}
		_nd_out="$_nd_out $(cat $_nd_t/comm 2>/dev/null)[${_nd_t##*/}] in $(cat $_nd_t/wchan 2>/dev/null): $(tr '\n' ' ' < $_nd_t/stack 2>/dev/null);"
	done
	[ -z "$_nd_out" ] || { echo "in D state:$_nd_out"; return 1; }
}
# A task may pass through D state for a moment: none may stay there.
check no_task_in_d_state wait_for 10 no_d_state
check engines_idle wait_for 20 idle 0
check rmmod_after_fuzz nvg_unload
check modprobe_after_fuzz nvg_load
# The device works after the reload too (0 operations: the fresh client only).
ioctl_fuzz /dev/dri/renderD128 /dev/dri/card0 "$SEED" 0 1 1 | grep -v '^#'
check rmmod_again nvg_unload
check dmesg_clean dmesg_clean
# nvghost's own complaints: errors and warnings it logs (drm_err/drm_warn
# print "nvghost nvghost.0: [drm] *ERROR* ..." / "... jobs pending at
# release"), and any other nvghost line saying so. Not the two every load
# prints: the unsigned module's taint, and the OPP core's note that the
# device has no interconnect paths (-EOPNOTSUPP).
nvg_errors() {
	! dmesg | grep -i 'nvghost' |
		grep -vE 'module verification failed|_allocate_opp_table: Error finding interconnect paths: -95' |
		grep -iE 'error|warn|fail|pending|bug'
}
check dmesg_no_nvghost_errors nvg_errors
