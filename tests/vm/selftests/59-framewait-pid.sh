#!/bin/sh
# Whose frame FRAME_WAIT starts (issue 12 item 5: nvgreplay calls it
# in-process on the file its game's process opened): the pacing policy is
# handed the pid of the process that opened the DRM file, as for a flip on
# that file, not the caller's. kms_test framewait-fork calls FRAME_WAIT
# (NO_SLEEP) on head 0 from a forked child on the parent's file; the pid in
# the nvghost_frame_wait trace event (what struct nvg_frame.pid holds) must
# be the parent's.
#   framewait_pid_is_opener  the event's pid is the opener's, not the child's
. /test/lib.sh
TR=/sys/kernel/tracing
[ -d $TR/instances ] || TR=/sys/kernel/debug/tracing
I=$TR/instances/nvg59

check modprobe nvg_load
check trace_instance mkdir -p $I
echo 1 > $I/events/nvghost/nvghost_frame_wait/enable
echo > $I/trace
kms_test framewait-fork 0 > /tmp/fw59.out 2>&1
cat /tmp/fw59.out
echo 0 > $I/events/nvghost/nvghost_frame_wait/enable
ev=$(grep 'nvghost_frame_wait:' $I/trace | tail -n 1)
echo "# $ev"
opener=$(sed -n 's/^opener=\([0-9]*\) caller=.*/\1/p' /tmp/fw59.out)
caller=$(sed -n 's/^opener=[0-9]* caller=\([0-9]*\)$/\1/p' /tmp/fw59.out)
seen=$(echo "$ev" | sed -n 's/.* pid \(-\{0,1\}[0-9]*\) at .*/\1/p')
if [ -n "$opener" ] && [ -n "$seen" ] && [ "$seen" = "$opener" ]; then
	pass framewait_pid_is_opener
else
	fail framewait_pid_is_opener "the nvghost_frame_wait event's pid '$seen', expected the file's opener '$opener' (the calling child was '$caller'); event: '$ev'"
fi
rmdir $I 2>/dev/null
nvg_unload
