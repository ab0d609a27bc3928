#!/bin/sh
# The main job (make run): load the driver, show the device, attach the
# fifo policy, run work through it, and show what happened.
. /test/lib.sh

step() { printf '\n==> %s\n' "$*"; }

step "modprobe nvghost"
nvg_load || { echo "modprobe nvghost failed"; exit 1; }
dmesg | grep 'nvghost.*GPU' | tail -n 1 | sed 's/^\[[ 0-9.]*\] /  /'

step "nvginfo"
nvginfo || exit 1

step "nvgpolicy load fifo.bpf.o"
nvgpolicy load "$NVG_PROFILES/fifo.bpf.o" || exit 1

step "submitting 200 synthetic jobs of 500 us over 3 engines"
echo "0 100 500" > $DBG/gpu0/submit
echo "1 50 500" > $DBG/gpu0/submit
echo "2 50 500" > $DBG/gpu0/submit
wait_for 30 idle 0 || { echo "jobs did not finish"; exit 1; }
cat $DBG/gpu0/arbiter

step "nvgpolicy status"
nvgpolicy status || exit 1

step "nvgpolicy unload fifo"
nvgpolicy unload fifo || exit 1
status_field sched state
nvg_unload
dmesg_clean >/dev/null || { echo "kernel warnings:"; dmesg_clean; exit 1; }
echo
echo "demo: done"
