#!/bin/sh
# Regenerate the traces of nvgbench's client shapes in this folder (or in
# OUTDIR) from the nvgbench command lines they stand for (traces/README.md).
# Deterministic: tests/unit/test_trace_import.py checks that the shipped
# files are what this writes.
#   traces/synthetic/generate.sh [OUTDIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out_dir=${1:-$here}
gen() { out=$1; shift; python3 "$here/../../tools/nvgtrace_import.py" nvgbench -o "$out_dir/$out" "$@"; }
# one client of each shape, 5 s
gen interactive.jsonl -t 5 interactive
gen heavy.jsonl -t 5 heavy
gen veryheavy.jsonl -t 5 veryheavy
gen hog.jsonl -t 5 hog
gen game.jsonl -t 5 game:game,head=0,hz=60,cost=4,jitter=1
# the workloads of make run (tests/vm/demo.sh) and make bench (tests/vm/bench.sh)
gen demo-game-vs-hog.jsonl -t 5 interactive:game,period=10,cost=1 hog:hog
gen bench-fifo.jsonl -t 5 interactive:game heavy:h1 heavy:h2
gen bench-gaming.jsonl -t 5 interactive:game veryheavy:hog,prio=low
gen bench-gaming-3hogs.jsonl -t 5 interactive:game veryheavy:hog1,prio=low \
	veryheavy:hog2,prio=low veryheavy:hog3,prio=low
