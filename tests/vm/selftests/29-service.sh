#!/bin/sh
# nvgpolicy.service's script, run by hand as systemd would (no systemd in
# the VM): start loads the module and the configured policies with their
# tunables; watch runs until a policy is ejected, then says why and exits 1;
# the ejected policy is not loaded again; stop unloads everything. A bad
# configuration fails the start and leaves nothing loaded.
. /test/lib.sh
SVC=/usr/lib/nvghost/nvgpolicy-service
export NVGPOLICY_CONF=/tmp/nvgpolicy.conf NVGPOLICY_STATE=/tmp/nvgpolicy-state
unset NVGPOLICY_POLICIES

cat > $NVGPOLICY_CONF <<'CONF'
NVGPOLICY_POLICIES="fifo smooth"
NVGPOLICY_SET_fifo="slice_us=2000"
NVGPOLICY_WATCH_INTERVAL=1
CONF
check start $SVC start
check module_loaded test -e /sys/kernel/btf/nvghost
check_eq sched_policy "$(status_field sched policy)" fifo
check_eq pacing_policy "$(status_field pacing policy)" smooth
check_eq power_untouched "$(status_field power state)" default
check pins sh -c 'test -e /sys/fs/bpf/nvghost/fifo/fifo_ops && test -e /sys/fs/bpf/nvghost/smooth'

$SVC watch > /tmp/watch.out 2>&1 &
WATCH=$!
sleep 2
check watch_running kill -0 $WATCH
echo sched > $DBG/eject
for _i in $(seq 1 50); do kill -0 $WATCH 2>/dev/null || break; sleep 0.2; done
if kill -0 $WATCH 2>/dev/null; then
	fail watch_exits_on_eject "watch still running 10 s after the ejection"
	kill $WATCH
	wait $WATCH
else
	wait $WATCH
	check_eq watch_exit_status "$?" 1
fi
check watch_says_ejected grep -q "hook sched: policy 'fifo' was EJECTED: ejected by hand" /tmp/watch.out
check watch_says_exit_kind grep -q "exit: kind=sysrq" /tmp/watch.out
check watch_says_what_to_do grep -q "systemctl restart nvgpolicy" /tmp/watch.out
sleep 1
check_eq stays_ejected "$(status_field sched state)" ejected
check stop $SVC stop
check nothing_pinned sh -c 'test -z "$(ls /sys/fs/bpf/nvghost 2>/dev/null)"'
# (the links are freed after the pins go, asynchronously)
for _i in $(seq 1 50); do
	[ "$(status_field pacing state)" = default ] && [ "$(status_field sched state)" = default ] && break
	sleep 0.1
done
check_eq sched_default "$(status_field sched state)" default
check_eq pacing_default "$(status_field pacing state)" default

# A policy that cannot load fails the start and undoes the ones before it.
echo 'NVGPOLICY_POLICIES="fifo nosuch"' > $NVGPOLICY_CONF
expect_fail bad_config_fails "loading policy 'nosuch' failed" $SVC start
check bad_config_nothing_pinned sh -c 'test -z "$(ls /sys/fs/bpf/nvghost 2>/dev/null)"'
# A bad tunable too.
printf 'NVGPOLICY_POLICIES="fifo"\nNVGPOLICY_SET_fifo="slice_us=7"\n' > $NVGPOLICY_CONF
expect_fail bad_tunable_fails "loading policy 'fifo' failed" $SVC start
check_eq bad_tunable_default "$(status_field sched state)" default

# Nothing configured: the defaults run, watch has nothing to do.
echo 'NVGPOLICY_POLICIES=""' > $NVGPOLICY_CONF
check empty_start $SVC start
check empty_watch_exits_0 $SVC watch
check empty_stop $SVC stop

check rmmod nvg_unload
check dmesg_clean dmesg_clean
