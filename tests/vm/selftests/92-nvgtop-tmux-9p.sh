#!/bin/sh
# Runs on the host root over 9p (for tmux): nvgtop's live screen in a
# terminal shows the running client (with its jobs per second) and the
# attached policy, its keys act
# (s: next sort key, g: next GPU), and q quits.
. /test/lib.sh
if ! command -v tmux >/dev/null; then
	fail tmux_present "tmux is not installed on the host"
	exit 0
fi
[ -e /dev/pts/ptmx ] || { mkdir -p /dev/pts; mount -t devpts devpts /dev/pts; }
export TERM=xterm-256color
screen() { tmux capture-pane -p -t top > /tmp/screen.txt; }

check modprobe nvg_load
check load_gaming nvgpolicy load gaming
# The workload runs until the end of the test (its own session, ended then).
setsid nvgbench -t 600 veryheavy:hog > /tmp/bench.out 2>&1 &
BENCH=$!
check tmux_start tmux new-session -d -s top -x 110 -y 30 "nvgtop -d 0.5"
check screen_shows_client wait_for 30 sh -c 'tmux capture-pane -p -t top | grep -qE "hog +0 +[1-9][0-9.]*%"'
# Jobs per second from fdinfo's nvghost-jobs-*: the hog submits jobs.
jobs_ps() {
	tmux capture-pane -p -t top | awk '$1 == "PID" { for (i = 1; i <= NF; i++) if ($i == "JOBS/S") c = i }
		c && $2 == "hog" && $c + 0 > 0 { ok = 1 } END { exit !ok }'
}
check screen_jobs_per_s wait_for 30 jobs_ps
screen
echo "--- nvgtop screen (tmux, 110x30):"
cat /tmp/screen.txt
echo "---"
check screen_gpu grep -qE '^GPU 0  ad102' /tmp/screen.txt
check screen_jobs_header grep -qE 'PID +COMMAND +GPU +COMPUTE +COPY +JOBS/S' /tmp/screen.txt
check screen_policy grep -qE '^sched +gaming +gaming_ops +[0-9]+ +attached' /tmp/screen.txt
tmux send-keys -t top s
check key_s_sorts wait_for 10 sh -c 'tmux capture-pane -p -t top | grep -q "sort: pid"'
tmux send-keys -t top g
check key_g_picks_gpu wait_for 10 sh -c 'tmux capture-pane -p -t top | grep -q "gpu: 0"'
tmux send-keys -t top q
check key_q_quits wait_for 10 sh -c '! tmux has-session -t top 2>/dev/null'
tmux kill-server 2>/dev/null
kill -TERM -$BENCH
wait $BENCH
check unload nvgpolicy unload gaming
check rmmod nvg_unload
check dmesg_clean dmesg_clean
