#!/bin/sh
# The submission path (issue 14), a part of `make bench` (tests/vm/bench.sh
# runs it; alone: tests/vm/run-vm.sh --live nvg.script=/test/bench-fastpath.sh).
#
#  1. submit-to-signal latency of an empty job against a null ioctl, and
#     small-job throughput (64 in flight on one channel and over eight), with
#     the module's fast path off and on (nvghost.fast_path, writable at run
#     time), alternated A B A B in this boot; then the ratios against the
#     goals;
#  2. the hook overhead: the scheduling hooks on the job path timed per call
#     (function_graph) with the built-in default and with fifo.bpf.o, per
#     job, as a share of the job path; and the latency with each;
#  3. the breakdown by hop: 200 nop jobs traced with ftrace (syscalls, the
#     nvghost, gpu_scheduler, workqueue, irq and dma_fence events), the
#     median time of each hop, for each path.
# Every line starts with "bench: "; the exit status counts the failures.
# Loads nvghost itself if it is not loaded (and unloads it then).
. /test/lib.sh

N=${BENCH_FP_N:-1000}
T=${BENCH_FP_T:-1000}
rc=0
own=0
if [ ! -e "$DBG/status" ]; then
	nvg_load job_timeout_ms=30000 || { echo "bench: error modprobe nvghost failed"; exit 1; }
	pin_max_clock 0 || echo "bench: error could not pin the GPU clock"
	own=1
fi
FP=/sys/module/nvghost/parameters/fast_path
if [ -w $FP ]; then
	PATHS="0 1 0 1"
else
	PATHS="only"	# a module without the switch: its one path
fi
setfp() { [ "$1" = only ] || echo "$1" > $FP; }

# 1. Latency and throughput, both paths in one run: bench_submit -F switches
# the parameter between blocks of 100 jobs (throughput: between rounds).
if [ "$PATHS" = only ]; then
	bench_submit -s latency,throughput -n "$N" -T "$T" > /tmp/fp1.out 2>&1 || rc=$((rc + 1))
	sed -i -e "s/^bench: submit_latency_us /bench: submit_latency_us fast_path=only /" \
		-e "s/^bench: throughput /bench: throughput fast_path=only /" /tmp/fp1.out
else
	bench_submit -F -s latency,throughput -n "$N" -T "$T" > /tmp/fp1.out 2>&1 || rc=$((rc + 1))
fi
grep '^bench: ' /tmp/fp1.out | tee /tmp/fp.out

# fpv KIND PATH KEY: the mean over that path's runs of a field.
fpv() {
	awk -v kind="$1" -v p="fast_path=$2" -v k="$3" -v job="${4:-job=nop}" -v ch="${5:-}" '
		$2 == kind && $3 == p && index($0, " " job " ") && (ch == "" || index($0, " " ch " ")) {
			for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) {
				v = substr($i, length(k) + 2); s += v; n++; break }
		} END { if (n) printf "%.1f", s / n }' /tmp/fp.out
}
div() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.1f", a / b }'
}
goal() {	# goal VALUE OP TARGET
	awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
		if (v == "n/a" || v == "") { print "not_measured"; exit }
		print ((op == "<=" ? v + 0 <= t + 0 : v + 0 >= t + 0) ? "met" : "missed") }'
}
for p in $(echo "$PATHS" | tr ' ' '\n' | sort -u); do
	# null_ioctl_us's p50 follows the "| null_ioctl_us" group.
	null=$(awk -v p="fast_path=$p" '$2 == "submit_latency_us" && $3 == p && / job=nop / {
		for (i = 1; i <= NF; i++) if ($i == "null_ioctl_us") { v = $(i + 1); sub(/p50=/, "", v); s += v; n++ } }
		END { if (n) printf "%.2f", s / n }' /tmp/fp.out)
	p50=$(fpv submit_latency_us "$p" p50)
	p99=$(fpv submit_latency_us "$p" p99)
	ip50=$(fpv submit_latency_us "$p" ioctl_p50)
	r=$(div "$p50" "$null")
	ri=$(div "$ip50" "$null")
	echo "bench: fastpath fast_path=$p nop_p50_us=$p50 nop_p99_us=$p99 ioctl_p50_us=$ip50" \
		"null_ioctl_p50_us=$null ratio_p50=$r (goal <= 40: $(goal "$r" "<=" 40))" \
		"ioctl_ratio_p50=$ri (goal <= 15: $(goal "$ri" "<=" 15))" \
		"tput_1ch_jobs_per_s=$(fpv throughput "$p" median_jobs_per_s job=nop channels=1)" \
		"tput_8ch_jobs_per_s=$(fpv throughput "$p" median_jobs_per_s job=nop channels=8)"
done
if [ "$PATHS" != only ]; then
	echo "bench: fastpath after_over_before p50=$(div "$(fpv submit_latency_us 1 p50)" "$(fpv submit_latency_us 0 p50)")" \
		"p99=$(div "$(fpv submit_latency_us 1 p99)" "$(fpv submit_latency_us 0 p99)")" \
		"(goal p99 <= 1.0: $(goal "$(div "$(fpv submit_latency_us 1 p99)" "$(fpv submit_latency_us 0 p99)")" "<=" 1.0))" \
		"tput_1ch=$(div "$(fpv throughput 1 median_jobs_per_s job=nop channels=1)" "$(fpv throughput 0 median_jobs_per_s job=nop channels=1)")" \
		"tput_8ch=$(div "$(fpv throughput 1 median_jobs_per_s job=nop channels=8)" "$(fpv throughput 0 median_jobs_per_s job=nop channels=8)")"
	setfp 1
fi

# 2. Hook overhead: the job path's scheduling hooks (nvg_sched_enqueue,
# dispatch, running, stopping: the wrappers that call the policy, or return
# at once without one), timed per call with function_graph (one level, so
# nothing under them is traced) while 200 nop jobs run, with the built-in
# default and with fifo.bpf.o (the same FIFO as BPF), alternated twice.
# Per job: sum over the hooks of calls per job times the median call; the
# difference fifo - default is what the BPF policy costs, as a share of the
# untraced job path (nop p50 of section 1, the fast path). Medians, since a
# mean over a loaded host is one descheduled vCPU away from anything.
# Then the untraced latency with each, alternated, as a cross-check.
TR=/sys/kernel/tracing
HOOKS="nvg_sched_enqueue nvg_sched_dispatch nvg_sched_running nvg_sched_stopping"
HJ=${BENCH_FP_HOOK_JOBS:-200}
: > /tmp/hookcalls.out
for i in 1 2; do
	for pol in default fifo; do
		if [ $pol = fifo ] && ! nvgpolicy load "$NVG_PROFILES/fifo.bpf.o" >/dev/null; then
			echo "bench: error hook overhead: cannot load fifo.bpf.o"
			rc=$((rc + 1))
			continue
		fi
		echo 0 > $TR/tracing_on
		echo > $TR/trace
		echo function_graph > $TR/current_tracer
		echo "$HOOKS" | tr ' ' '\n' > $TR/set_graph_function
		echo 1 > $TR/max_graph_depth
		echo 1 > $TR/tracing_on
		bench_submit -J "$HJ" >/dev/null 2>&1 || rc=$((rc + 1))
		echo 0 > $TR/tracing_on
		awk -v pol=$pol '/ us +\|/ && /\(\);/ {
			match($0, /[0-9]+\.[0-9]+ us/); us = substr($0, RSTART, RLENGTH - 3)
			name = substr($0, index($0, "|") + 1); sub(/^ */, "", name); sub(/ .*|\(\);.*/, "", name)
			print pol, name, us }' $TR/trace >> /tmp/hookcalls.out
		echo nop > $TR/current_tracer
		echo > $TR/set_graph_function
		echo 0 > $TR/max_graph_depth
		[ $pol = fifo ] && nvgpolicy unload --all >/dev/null
	done
done
nop_p50=$(fpv submit_latency_us "$(echo "$PATHS" | awk '{ print ($1 == "only") ? "only" : "1" }')" p50)
awk -v jobs=$((2 * HJ)) -v path_us="$nop_p50" '
	{ n[$1, $2]++; v[$1, $2, n[$1, $2]] = $3; fns[$2] = 1 }
	function med(p, f,   i, j, x, a, k) {
		k = n[p, f]; for (i = 1; i <= k; i++) a[i] = v[p, f, i]
		for (i = 2; i <= k; i++) { x = a[i]; for (j = i - 1; j > 0 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
		return k ? a[int((k + 1) / 2)] : 0
	}
	END {
		for (f in fns) {
			d = med("default", f); b = med("fifo", f)
			cd = n["default", f] / jobs; cb = n["fifo", f] / jobs
			printf "bench: hook_overhead hook=%s calls_per_job default=%.2f fifo=%.2f median_call_us default=%.2f fifo=%.2f\n", f, cd, cb, d, b
			td += cd * d; tb += cb * b
		}
		diff = tb - td
		printf "bench: hook_overhead per_job_us default=%.2f fifo=%.2f fifo_minus_default=%.2f job_path_p50_us=%s share_pct=%s (goal <= 1%%: %s) (function_graph times each call: an upper bound)\n",
			td, tb, diff, path_us, (path_us > 0 ? sprintf("%.2f", 100 * diff / path_us) : "n/a"),
			(path_us > 0 ? (100 * diff / path_us <= 1 ? "met" : "missed") : "not_measured")
	}' /tmp/hookcalls.out
HN=${BENCH_FP_HOOK_N:-300}
: > /tmp/hook.out
for i in 1 2; do
	for pol in default fifo; do
		[ $pol = fifo ] && { nvgpolicy load "$NVG_PROFILES/fifo.bpf.o" >/dev/null || continue; }
		bench_submit -s latency -n "$HN" -w 20 > /tmp/fp1.out 2>&1 || rc=$((rc + 1))
		[ $pol = fifo ] && nvgpolicy unload --all >/dev/null
		sed -n "s/^bench: submit_latency_us /bench: hook_overhead run=$pol$i /p" /tmp/fp1.out >> /tmp/hook.out
	done
done
hv() {	# hv POLICY KEY: mean over the two runs, nop jobs
	awk -v r="run=$1" -v k="$2" '
		index($0, " " r) && / job=nop / {
			for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) { s += substr($i, length(k) + 2); n++; break }
		} END { if (n) printf "%.1f", s / n }' /tmp/hook.out
}
echo "bench: hook_overhead untraced nop_p50_us default=$(hv default p50) fifo=$(hv fifo p50)" \
	"fifo_over_default=$(awk -v a="$(hv fifo p50)" -v b="$(hv default p50)" 'BEGIN { if (b == "" || b == 0) print "n/a"; else printf "%.3f", a / b }')" \
	"(two runs each, alternated; host noise is larger than the hooks)"

# 3. The breakdown by hop, from ftrace.
breakdown() {	# breakdown PATH
	echo 0 > $TR/tracing_on
	echo > $TR/trace
	echo 8192 > $TR/buffer_size_kb
	echo > $TR/set_event
	for e in raw_syscalls:sys_enter raw_syscalls:sys_exit nvghost:nvghost_submit \
		 nvghost:nvghost_job_queue nvghost:nvghost_job_start nvghost:nvghost_job_done \
		 gpu_scheduler:drm_sched_job gpu_scheduler:drm_run_job \
		 gpu_scheduler:drm_sched_process_job workqueue:workqueue_execute_start \
		 irq:irq_handler_entry dma_fence:dma_fence_signaled; do
		echo "$e" >> $TR/set_event 2>/dev/null ||
			echo "bench: breakdown note: no event $e"
	done
	# ioctl (16) and poll (7, ppoll 271) of the benchmark only; other syscalls are noise.
	echo 'id == 16 || id == 7 || id == 271' > $TR/events/raw_syscalls/sys_enter/filter
	echo 'id == 16 || id == 7 || id == 271' > $TR/events/raw_syscalls/sys_exit/filter
	echo 1 > $TR/tracing_on
	bench_submit -J "${BENCH_FP_TRACE_N:-200}" >/dev/null 2>&1 || rc=$((rc + 1))
	echo 0 > $TR/tracing_on
	echo > $TR/set_event
	echo 0 > $TR/events/raw_syscalls/sys_enter/filter
	echo 0 > $TR/events/raw_syscalls/sys_exit/filter
	# Per job (from the SUBMIT ioctl's entry to poll()'s return), the first
	# time of each milestone; the kick work before the interrupt starts the
	# job, the one after completes it. Sorted by time, each step from one
	# milestone to the next is a hop "A->B"; per hop the median over the
	# jobs that took it. What happened after poll() returned is off the
	# waiter's path and listed apart.
	awk -v path="$1" '
	function ts() { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) return substr($i, 1, length($i) - 1) * 1e6; return -1 }
	function mark(m) { if (job && !(m in t)) t[m] = now }
	function flush(   i, j, n, k, x, nm2, names, lab) {
		if (!job || !("poll_exit" in t) || !("ioctl_exit" in t)) return
		ntot++
		tot[ntot] = t["poll_exit"] - t["ioctl_enter"]
		ioc[ntot] = t["ioctl_exit"] - t["ioctl_enter"]
		n = 0
		for (k in t) if (k != "ioctl_exit") {
			if (t[k] > t["poll_exit"]) { after[k]++; continue }
			names[++n] = k
		}
		for (i = 2; i <= n; i++) { x = names[i]; for (j = i - 1; j > 0 && t[names[j]] > t[x]; j--) names[j + 1] = names[j]; names[j + 1] = x }
		for (i = 2; i <= n; i++) {
			lab = names[i - 1] "->" names[i]
			if (!(lab in cnt)) order[++nlab] = lab
			d[lab, ++cnt[lab]] = t[names[i]] - t[names[i - 1]]
			pos[lab] += i
		}
	}
	function median(arr, n,   i, j, x, a) {
		for (i = 1; i <= n; i++) a[i] = arr[i]
		for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j > 0 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
		return n ? a[int((n + 1) / 2)] : 0
	}
	/^#/ { next }
	{
		now = ts(); if (now < 0) next
		if (/sys_enter: NR 16 /) { flush(); delete t; job = 1; t["ioctl_enter"] = now; irq = 0; next }
		if (/sys_exit: NR 16 /) { mark("ioctl_exit"); next }
		if (/sys_exit: NR (7|271) /) { mark("poll_exit"); next }
		if (/nvghost_submit:/) mark("validated")
		else if (/drm_sched_job:/) mark("sched_push")
		else if (/drm_sched_run_job_work/) mark("sched_worker")
		else if (/drm_run_job:/) mark("run_job")
		else if (/nvghost_job_queue:/) mark("arb_queue")
		else if (/nvg_arbiter_kick_workfn/) mark(irq ? "kick_work_done" : "kick_work")
		else if (/nvghost_job_start:/) mark("job_start")
		else if (/nvg_sim_exec_work/) mark("engine_exec")
		else if (/irq_handler_entry:/ && /nvghost/) { mark("irq"); irq = 1 }
		else if (/nvghost_job_done:/) mark("job_done")
		else if (/dma_fence_signaled:/ && irq) {
			if (/timeline=nvghost-hw/) mark("hw_fence")
			else if (/driver=drm_sched/) mark("sched_finished")
			else if (/timeline=nvghost-channel/) mark("out_fence")
		}
	}
	END {
		flush()
		printf "bench: breakdown fast_path=%s jobs=%d total_p50_us=%.1f ioctl_p50_us=%.1f (traced: ftrace adds to every hop)\n",
			path, ntot, median(tot, ntot), median(ioc, ntot)
		# hops taken by at least a quarter of the jobs, in their usual order
		for (i = 1; i <= nlab; i++) { l = order[i]; avg[l] = pos[l] / cnt[l] }
		for (i = 2; i <= nlab; i++) { x = order[i]; for (j = i - 1; j > 0 && avg[order[j]] > avg[x]; j--) order[j + 1] = order[j]; order[j + 1] = x }
		for (i = 1; i <= nlab; i++) {
			l = order[i]
			if (cnt[l] * 4 < ntot) continue
			delete v; for (j = 1; j <= cnt[l]; j++) v[j] = d[l, j]
			printf "bench: breakdown fast_path=%s hop=%s n=%d p50_us=%.1f\n", path, l, cnt[l], median(v, cnt[l])
		}
		s = ""
		for (k in after) if (after[k] * 4 >= ntot) s = s " " k
		if (s != "") printf "bench: breakdown fast_path=%s after_the_waiter_woke:%s\n", path, s
	}' $TR/trace
	echo > $TR/trace
}
# The SUBMIT ioctl's own parts: function_graph under nvg_ioctl_submit, one
# level down (nothing under its callees is traced); the median time of each
# direct callee (functions the compiler inlined count as their caller's).
ioctl_profile() {
	echo 0 > $TR/tracing_on
	echo > $TR/trace
	echo function_graph > $TR/current_tracer || { echo "bench: breakdown note: no function_graph tracer"; return; }
	echo nvg_ioctl_submit > $TR/set_graph_function
	echo 2 > $TR/max_graph_depth
	echo funcgraph-tail > $TR/trace_options
	echo 1 > $TR/tracing_on
	bench_submit -J "${BENCH_FP_PROFILE_N:-100}" >/dev/null 2>&1 || rc=$((rc + 1))
	echo 0 > $TR/tracing_on
	awk -v path="$1" '
	function med(f,   i, j, x, a, k) {
		k = cnt[f]; for (i = 1; i <= k; i++) a[i] = v[f, i]
		for (i = 2; i <= k; i++) { x = a[i]; for (j = i - 1; j > 0 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
		return k ? a[int((k + 1) / 2)] : 0
	}
	/ us +\|/ {
		bar = index($0, "|"); rest = substr($0, bar + 1)
		match(rest, /^ */); depth = (RLENGTH - 2) / 2
		match($0, /[0-9]+\.[0-9]+ us/); us = substr($0, RSTART, RLENGTH - 3) + 0
		name = rest; sub(/^ */, "", name)
		if (name ~ /^} \/\* /) { sub(/^} \/\* /, "", name); sub(/ \*\/.*/, "", name) }
		else if (name ~ /\(\);/) sub(/\(\);.*/, "", name)
		else next
		sub(/ \[[a-z_]*\]/, "", name)
		if (depth == 0 && name == "nvg_ioctl_submit") { n++; v["", n] = us; cnt[""] = n; next }
		if (depth != 1) next
		if (!(name in cnt)) order[++k] = name
		v[name, ++cnt[name]] = us
	}
	END {
		if (!n) { print "bench: breakdown note: no SUBMIT in the function graph"; exit }
		tot = med("")
		printf "bench: ioctl_profile fast_path=%s submits=%d nvg_ioctl_submit_p50_us=%.1f (function_graph, one level: medians per call)\n", path, n, tot
		for (i = 1; i <= k; i++) {
			f = order[i]; m = med(f) * cnt[f] / n
			if (cnt[f] * 2 >= n && m >= 0.5)
				printf "bench: ioctl_profile fast_path=%s fn=%s calls_per_submit=%.1f p50_us=%.1f share_pct=%.0f\n", path, f, cnt[f] / n, med(f), 100 * m / tot
		}
	}' $TR/trace
	echo nop > $TR/current_tracer
	echo > $TR/set_graph_function
	echo 0 > $TR/max_graph_depth
	echo nofuncgraph-tail > $TR/trace_options
	echo > $TR/trace
}
for p in $(echo "$PATHS" | tr ' ' '\n' | sort -u); do
	setfp "$p"
	breakdown "$p"
	ioctl_profile "$p"
done
setfp 1
[ $own = 1 ] && { nvg_unload || rc=$((rc + 1)); }
exit "$rc"
