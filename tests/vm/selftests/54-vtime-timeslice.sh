#!/bin/sh
# The timeslice profile's claims (profiles/timeslice.bpf.c), in virtual
# time: each replay runs on a fresh device with clock=virtual at the top
# clock, so every figure below is the model's and the policy's, never the
# host's. The decisions are read from nvgreplay's decision log (the
# driver's tracepoints: job_queue "runnable at", job_dispatch "ctx C ...
# started at", job_done "done at", all device times), per engine.
#
# (1) An interactive client sends a request of three short kernels (30, 20,
#     10 us, submitted 2 us apart on its one channel) every 4.7 ms beside a
#     hog of 10 ms kernels (3 in flight); timeslice with slice_us=2000:
#   request_in_one_turn        no other context's job starts between a
#                              request's first job starting and its last
#                              one completing: the context's next job runs
#                              in its turn (the built-in default gives each
#                              job a turn of its own: the hog runs between)
#   newcomer_waits_for_slice_end  a request's first job starts when the
#                              hog's current slice ends, not at once: the
#                              hog, alone since its turn began at D, had its
#                              slice renewed every 2 ms, so the request
#                              arriving at A starts at E = D + 2 ms x
#                              ceil((A - D) / 2 ms), within E .. E + 200 us
#                              (the preemption waits for the engine's next
#                              chunk, up to 100 us, and a 20 us context save)
# (2) Three hogs, 2.5 ms kernels, 2 in flight each, all from the start;
#     slice_us=1000:
#   round_robin                the turns (runs of consecutive starts of one
#                              context) go a, b, c, a, b, c, ... while all
#                              three have work
#   turn_is_one_slice          every turn but the last of each context lasts
#                              1 ms .. 1.2 ms, also those in which a
#                              context's job completes and its next one
#                              goes on (a third of them): the slice is the
#                              context's, not the job's
. /test/lib.sh
S=/tmp/vts
mkdir -p $S

lsmod | grep -q '^nvghost ' && nvg_unload
NCPU=$(one_cpu)
echo "# cpus online: $NCPU (one CPU: the same decisions, less wall time under TCG)"

# The traces.
{
	echo '{"nvgtrace": 1, "name": "timeslice-requests"}'
	echo '{"type": "client", "id": 1, "name": "hog", "prio": "normal", "engine": "compute", "inflight": 3}'
	echo '{"type": "client", "id": 2, "name": "interactive", "prio": "normal", "engine": "compute"}'
	awk 'BEGIN {
		for (i = 1; i <= 18; i++)
			printf "{\"type\": \"job\", \"client\": 1, \"id\": %d, \"t_ns\": 0, \"cost_ns\": 10000000}\n", i
		for (r = 0; r < 30; r++) {
			t = 10300000 + r * 4700000
			printf "{\"type\": \"job\", \"client\": 2, \"id\": %d, \"t_ns\": %d, \"cost_ns\": 30000}\n", 3 * r + 1, t
			printf "{\"type\": \"job\", \"client\": 2, \"id\": %d, \"t_ns\": %d, \"cost_ns\": 20000}\n", 3 * r + 2, t + 2000
			printf "{\"type\": \"job\", \"client\": 2, \"id\": %d, \"t_ns\": %d, \"cost_ns\": 10000}\n", 3 * r + 3, t + 4000
		}
	}'
} > $S/requests.jsonl
{
	echo '{"nvgtrace": 1, "name": "timeslice-three-hogs"}'
	for c in 1 2 3; do
		echo "{\"type\": \"client\", \"id\": $c, \"name\": \"hog$c\", \"prio\": \"normal\", \"engine\": \"compute\", \"inflight\": 2}"
	done
	awk 'BEGIN {
		for (c = 1; c <= 3; c++)
			for (i = 1; i <= 8; i++)
				printf "{\"type\": \"job\", \"client\": %d, \"id\": %d, \"t_ns\": 0, \"cost_ns\": 2500000}\n", c, i
	}'
} > $S/hogs.jsonl

# ts_replay NAME TRACE SLICE_US: a fresh device on the virtual clock, top
# clock held, TRACE replayed under timeslice; decision log $S/NAME.log.
# Fails, saying why, if the replay failed or lost a job, did not run on
# the virtual clock, the policy was ejected, or the log overflowed.
ts_replay() {
	lsmod | grep -q '^nvghost ' && { nvg_unload || return 1; }
	nvg_load clock=virtual num_heads=0 || { echo "modprobe nvghost clock=virtual num_heads=0 failed"; return 1; }
	pin_max_clock 0 || { echo "cannot pin the top clock"; return 1; }
	nvgreplay -q "$S/$2" --policy timeslice --set slice_us="$3" \
		--summary $S/$1.sum --log $S/$1.log > $S/$1.out 2> $S/$1.err
	_st=$?
	if [ "$_st" -ne 0 ]; then
		echo "expected nvgreplay exit 0 (every job completed), got $_st: $(tail -n 3 $S/$1.err | tr '\n' ' ')"
		return 1
	fi
	if ! grep -q '^nvgreplay-summary .* clock=virtual ' $S/$1.sum; then
		echo "expected clock=virtual in the summary, got: $(head -n 1 $S/$1.sum)"
		return 1
	fi
	if grep -q '^run .* ejected=1' $S/$1.sum; then
		echo "expected timeslice not ejected, got: $(grep '^run ' $S/$1.sum)"
		return 1
	fi
	if ! grep -q 'nvghost_job_dispatch: ' $S/$1.log; then
		echo "expected job_dispatch events in the decision log, got $(wc -l < $S/$1.log) lines"
		return 1
	fi
}

# events NAME: the compute engine's (engine 0's) events of the log, one a
# line: "q JOB CTX T" (runnable at T), "s JOB CTX T" (started at T),
# "d JOB T" (done at T).
events() {
	awk '/nvghost_job_queue: gpu0 engine 0 / {
		for (i = 1; i <= NF; i++) { if ($i == "job") j = $(i + 1); if ($i == "ctx") c = $(i + 1) }
		print "q", j, c, $NF; next }
	/nvghost_job_dispatch: gpu0 engine 0 / {
		for (i = 1; i <= NF; i++) { if ($i == "job") j = $(i + 1); if ($i == "ctx") c = $(i + 1); if ($i == "at") t = $(i + 1) }
		sub(/,$/, "", t); print "s", j, c, t; next }
	/nvghost_job_done: gpu0 engine 0 / {
		for (i = 1; i <= NF; i++) if ($i == "job") j = $(i + 1)
		print "d", j, $NF }' $S/$1.log
}

# kv KEY FILE: the value of the first word KEY=VALUE in FILE.
kv() {
	awk -v k="$1=" '{ for (i = 1; i <= NF; i++) if (index($i, k) == 1) { print substr($i, length(k) + 1); exit } }' "$2"
}

# (1) requests beside a hog. The hog is the context that starts first; the
# interactive one's jobs, in order, make requests of three.
if check requests_replay ts_replay req requests.jsonl 2000; then
	sed "s/^/# req: /" $S/req.sum
	events req > $S/req.ev
	awk -v slice=2000000 -v tol=200000 '
	$1 == "q" { qt[$2] = $4; next }
	$1 == "s" {
		if (hog == "") { hog = $3; turn = $4 }
		if ($3 == hog && last != hog) turn = $4	# a new turn of the hog
		last = $3
		if ($3 == hog) {
			if (open) {
				between++
				if (ex1 == "") ex1 = sprintf("request %d: the hog started at %s, after the request'"'"'s first job started at %s and before its last one completed", r, $4, fs)
			}
			next
		}
		n++
		if ((n - 1) % 3 == 0) {
			r = (n - 1) / 3; open = 1; fs = $4; a = qt[$2]
			e = turn + int((a - turn + slice - 1) / slice) * slice
			if ($4 < e || $4 > e + tol) {
				off++
				if (ex2 == "") ex2 = sprintf("request %d: runnable at %d, the hog'"'"'s turn began at %d, so its slice ends at %d; started at %s, expected %d .. %d", r, a, turn, e, $4, e, e + tol)
			}
			print $4 - a > "'$S'/req.wait"
		}
		if ((n - 1) % 3 == 2) lastjob = $2
		next
	}
	$1 == "d" && open && $2 == lastjob { open = 0 }
	END {
		printf "jobs=%d between=%d off=%d\n", n, between, off
		printf "ex1=%s\nex2=%s\n", ex1, ex2
	}' $S/req.ev > $S/req.res
	jobs=$(kv jobs $S/req.res); between=$(kv between $S/req.res); off=$(kv off $S/req.res)
	w=$(sort -n $S/req.wait | awk '{ v[n++] = $1 } END { if (n) printf "min %d p50 %d max %d ns", v[0], v[int((n - 1) / 2)], v[n - 1] }')
	echo "# req: interactive jobs started $jobs; first job runnable to started: $w"
	if check_eq requests_all_jobs_seen "$jobs" 90; then
		if [ "$between" = 0 ]; then
			pass "request_in_one_turn (30 requests of 3 jobs, no hog start inside one)"
		else
			fail request_in_one_turn "expected no hog job to start between a request's first job starting and its last one completing, seen $between: $(sed -n 's/^ex1=//p' $S/req.res)"
		fi
		if [ "$off" = 0 ]; then
			pass "newcomer_waits_for_slice_end (30 requests; $w)"
		else
			fail newcomer_waits_for_slice_end "expected each request's first job to start when the hog's renewed 2 ms slice ends (+0 .. 200 us), $off of 30 did not: $(sed -n 's/^ex2=//p' $S/req.res)"
		fi
	fi
fi

# (2) three hogs: the turns, in order.
if check hogs_replay ts_replay rr hogs.jsonl 1000; then
	sed "s/^/# rr: /" $S/rr.sum
	events rr > $S/rr.ev
	awk -v slice=1000000 -v tol=200000 '
	$1 == "s" {
		if ($3 != last) { t++; who[t] = $3; at[t] = $4; jobs[t] = 0; lastof[$3] = t }
		jobs[t]++; last = $3
	}
	END {
		m = t
		for (c in lastof) if (lastof[c] < m) m = lastof[c]
		for (i = 1; i < m; i++) {
			if (i > 3 && (who[i] != who[i - 3] || who[i] == who[i - 1] || who[i] == who[i - 2])) {
				rr++; if (ex1 == "") ex1 = sprintf("turn %d: context %s after %s, %s, %s", i, who[i], who[i - 3], who[i - 2], who[i - 1])
			}
			len = at[i + 1] - at[i]
			if (len < slice || len > slice + tol) {
				bad++; if (ex2 == "") ex2 = sprintf("turn %d (context %s, %d jobs started) lasted %d ns", i, who[i], jobs[i], len)
			}
			if (jobs[i] > 1) cont++
		}
		printf "turns=%d checked=%d rr=%d bad=%d cont=%d\nex1=%s\nex2=%s\n", t, m - 1, rr, bad, cont, ex1, ex2
	}' $S/rr.ev > $S/rr.res
	v() { kv "$1" $S/rr.res; }
	echo "# rr: $(head -n 1 $S/rr.res)"
	if check_gt hogs_turns_checked "$(v checked)" 30; then
		if [ "$(v rr)" = 0 ]; then
			pass "round_robin ($(v checked) turns: a, b, c in turn)"
		else
			fail round_robin "expected the three contexts in turn while all have work, seen $(v rr) out of order: $(sed -n 's/^ex1=//p' $S/rr.res)"
		fi
		if [ "$(v bad)" = 0 ] && [ "$(v cont)" -gt 0 ]; then
			pass "turn_is_one_slice ($(v checked) turns of 1 .. 1.2 ms, $(v cont) of them with a job completing and the context's next one going on)"
		else
			fail turn_is_one_slice "expected every turn (but each context's last) to last 1 .. 1.2 ms, and some with more than one job of the context, seen $(v bad) outside and $(v cont) with more than one job: $(sed -n 's/^ex2=//p' $S/rr.res)"
		fi
	fi
fi

lsmod | grep -q '^nvghost ' && check rmmod nvg_unload
all_cpus
check dmesg_clean dmesg_clean
