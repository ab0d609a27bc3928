#!/bin/sh
# A virtual clock's settle waits for nonblocking commits (issue 12, item 4).
#
# A page flip is a nonblocking atomic commit: a worker programs it later,
# at whatever host time it runs. If the clock's settle did not wait for
# it, the device time at which the flip is armed, and so the vblank it
# latches at, would depend on when the host let the worker run. Here the
# player (nvgreplay, with NVGREPLAY_NO_FLIP_WATCH=1: no waiting of its own
# for the commit) runs at SCHED_FIFO on one CPU, so the commit's worker
# gets the CPU only when the player sleeps; its decision log and frame
# counts must equal those of a replay at normal priority that waits for
# every flip to be armed (the player's flip watch). A VRR game (its flips
# paced by the default policy's latch) and a 60 Hz game with a hog, each
# cut to 2 s of device time. Last, the clock's debugfs counters say the
# settle waited for some commits. SKIPs where the module has no virtual
# clock.
. /test/lib.sh
T=/usr/share/nvghost/traces
S=/tmp/vcommits
mkdir -p $S

lsmod | grep -q '^nvghost ' && nvg_unload
echo "# cpus online: $(one_cpu)"

# rep NAME TRACE [fifo]: a fresh virtual device, one replay (2 s); prints
# "SHA FRAMES LATE".
rep() {
	nvg_unload >/dev/null 2>&1
	nvg_load clock=virtual || { echo "modprobe failed"; return 1; }
	# (one file name for both: the log's header names the trace)
	sed '1s/"duration_ns": [0-9]*/"duration_ns": 2000000000/' "$T/$2" > $S/$2
	if [ "$3" = fifo ]; then
		NVGREPLAY_NO_FLIP_WATCH=1 vclock_test fifo nvgreplay -q $S/$2 \
			--summary $S/$1.sum --log $S/$1.log > $S/$1.out 2> $S/$1.err
	else
		nvgreplay -q $S/$2 --summary $S/$1.sum --log $S/$1.log > $S/$1.out 2> $S/$1.err
	fi
	_st=$?
	[ -e $DBG/gpu0/vclock ] && cp $DBG/gpu0/vclock $S/$1.vclock
	[ $_st -eq 0 ] || { echo "nvgreplay exit $_st: $(tail -n 2 $S/$1.err | tr '\n' ' ')"; return 1; }
	echo "$(sha256sum < $S/$1.log | cut -c1-16) $(summary_value $S/$1.sum head 0 "" frames) $(summary_value $S/$1.sum head 0 "" late_frames)"
}

for t in vrr-smooth game-hog; do
	ref=$(rep "$t-ref" "$t.jsonl")
	fifo=$(rep "$t-fifo" "$t.jsonl" fifo)
	echo "# $t: reference (flip watch) sha frames late: $ref; fifo, no flip watch: $fifo"
	check_cmp "vtime_commits_${t}_frames" "$(echo "$ref" | cut -d' ' -f2)" gt 60 \
		"frames shown in 2 s of device time"
	check_eq "vtime_commits_${t}_same_decisions" "$fifo" "$ref" ||
		diff $S/$t-ref.log $S/$t-fifo.log | head -n 12 | sed 's/^/# diff: /'
done
w=$(awk '$1 == "commits_waited:" { print $2 }' $S/vrr-smooth-fifo.vclock 2>/dev/null)
check_cmp vtime_commits_settle_waited "${w:-0}" gt 0 \
	"nonblocking commits the settle waited for in the fifo replay (debugfs gpu0/vclock commits_waited)"
nvg_unload
all_cpus
