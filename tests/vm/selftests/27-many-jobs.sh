#!/bin/sh
# Many queued jobs: dispatch queues and the arbiter's lookup by id stay
# cheap (no scan of the queue under the arbiter's spinlock) and keep their
# order. dsq_order holds back N jobs on two engines, then checks the order
# in which each engine starts them, ejecting itself at the first one out of
# order: FIFO queue, vtime queue (ties in submission order), and jobs named
# by id, newest first. The time from the last submission to idle is printed
# (a measurement, not a check). Then teardown under load: the module is
# removed while engines run with tiny timeslices and jobs are queued.
. /test/lib.sh
T=$NVG_TESTBPF
# In vtime order the oldest job is passed over until its turn, and
# dsq_order's watchdog (its ops.timeout_ms, 30 s, the most a policy may
# ask) counts that: on a slow guest (NVG_SLOW > 1, the debug kernel's,
# where 20000 jobs ran in 68-86 s and 4000 in up to 28 s beside a loaded
# host) 1000 jobs keep the run well inside it.
N=${NVG_MANY_JOBS:-20000}
[ "$NVG_SLOW" -gt 1 ] && N=${NVG_MANY_JOBS:-1000}

# A long timeslice: no job is preempted, so each starts exactly once.
check modprobe nvg_load job_timeout_ms=30000 sched_slice_us=10000000

for m in 0 1 2; do
	case $m in 0) name=fifo ;; 1) name=vtime ;; 2) name=by_id ;; esac
	before=$(completed_total 0)
	check ${name}_load nvgpolicy load $T/dsq_order.bpf.o --set mode=$m --set hold=$N
	t0=$(cut -d' ' -f1 /proc/uptime)
	left=$N
	while [ $left -gt 0 ]; do
		c=$((left > 10000 ? 10000 : left))
		e=$(( (left / 10000) % 2 ))
		echo "$e $c 1" > $DBG/gpu0/submit || break
		left=$((left - c))
	done
	t1=$(cut -d' ' -f1 /proc/uptime)
	check ${name}_all_done wait_for 300 idle 0
	t2=$(cut -d' ' -f1 /proc/uptime)
	echo "many-jobs: $name: $N jobs queued in $(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }') s, run in $(echo "$t1 $t2" | awk '{ printf "%.2f", $2 - $1 }') s"
	check_eq ${name}_completed "$(completed_total 0)" $((before + N))
	check_eq ${name}_in_order "$(status_field sched state)" attached
	status_has ${name}_no_error sched last_exit 'kind=none'
	check ${name}_unload nvgpolicy unload dsq_order
done
check rmmod nvg_unload

# Teardown while timers and kicks are busy: 100 us slices, three engines,
# thousands of jobs queued, then rmmod at once. Ten times.
ok=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	modprobe nvghost sched_slice_us=100 || break
	for e in 0 1 2; do echo "$e 3000 300" > $DBG/gpu0/submit; done
	sleep 0.$i
	rmmod nvghost || break
	ok=$((ok + 1))
done
check_eq teardown_under_load "$ok" 10
check dmesg_clean dmesg_clean
