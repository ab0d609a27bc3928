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
# the shapes of the virtual-time goals (issue 12 item 7; nvgreplay, make replay)
gen game-hog.jsonl -t 5 game:game,head=0,hz=60,cost=4,jitter=1,wait=1 hog:hog
gen game-3hogs.jsonl -t 5 game:game,head=0,hz=60,cost=4,jitter=1,wait=1 hog:hog1 hog:hog2 hog:hog3
gen fair-weights.jsonl -t 5 veryheavy:high,prio=high veryheavy:normal
gen vrr-smooth.jsonl -t 5 game:game,head=0,cost=8,jitter=3,sync=vrr,vrr=48-165,wait=1
gen interactive-veryheavy.jsonl -t 5 interactive:game veryheavy:vh
# item 5's speed measurement (make bench's "vtime speed_60s"): a minute of the
# game-hog shape. In long/, so that 32-replay's ten-times-each determinism
# loop over synthetic/*.jsonl leaves it out.
mkdir -p "$out_dir/long"
gen long/game-hog-60s.jsonl -t 60 game:game,head=0,hz=60,cost=4,jitter=1,wait=1 hog:hog
# the live comparison of tests/vm/selftests/11-policies.sh (fair_shares_more_than_fifo),
# 3 s, for 36-vtime-policies.sh. In short/, out of 32-replay's determinism loop.
mkdir -p "$out_dir/short"
gen short/heavy-veryheavy-3s.jsonl -t 3 heavy:light veryheavy:hog
# the timing checks of 17-power-policy, 18-pacing and 20-kms, in virtual time
# (tests/vm/selftests/50-vtime-power.sh, 51-vtime-flips.sh): 17's steady game,
# a light game on each head at a fixed rate, 18's 60 Hz game loop
gen short/steady-game-3s.jsonl -t 3 game:game,head=0,hz=60,cost=2,jitter=0.5
gen short/game-hdmi60-2s.jsonl -t 2 game:game,head=1,hz=60,cost=1
gen short/game-dp165-2s.jsonl -t 2 game:game,head=0,hz=165,cost=1
gen short/game-hog-3s.jsonl -t 3 game:game,head=0,hz=60,cost=4,jitter=1,wait=1 hog:hog
# stand-ins for the tenants of nvgreplay --tenant (issue 15 item 4; make bench's
# "vtime tenants" lines, 38-tenants) until real recordings take their place:
# an LLM-decode-like stream of short kernels back to back, a training-like
# one of 4 ms kernels, a frame loop of a 1 ms kernel every 16.7 ms (60 Hz).
# 1 s each; in tenants/, out of 32-replay's determinism loop.
mkdir -p "$out_dir/tenants"
gen tenants/llm-decode.jsonl -t 1 heavy:decode,cost=0.2
gen tenants/train.jsonl -t 1 heavy:train,cost=4
gen tenants/frame-loop.jsonl -t 1 interactive:frames,period=16.667,cost=1
# two GPUs against one on independent work (make bench's "vtime multi_gpu"):
# two clients of 4 ms kernels back to back, both on GPU 0, or the second on
# GPU 1 (the client key "gpu"; the module loaded with num_gpus=2). In gpus/.
mkdir -p "$out_dir/gpus"
gen gpus/two-1gpu.jsonl -t 1 heavy:a,cost=4 heavy:b,cost=4
sed -e 's/^\({"type": "client", "id": 2, .*\)}$/\1, "gpu": 1}/' \
	-e '1s/"name": "two-1gpu"/"name": "two-2gpus"/' \
	"$out_dir/gpus/two-1gpu.jsonl" > "$out_dir/gpus/two-2gpus.jsonl"
# managed memory (issue 16 item 5): a cyclic scan of 12 MiB, 1.5x the 8 MiB
# budget its header asks for (device.uvm_vram_mb: nvgreplay sets the module
# parameter uvm_vram_mb for the replay), 4 passes, one job a pass
# (tests/vm/selftests/56-mem-trace.sh). In mem/, out of 32-replay's
# ten-times-each loop: each replay migrates ~50 MiB, slow under TCG.
mkdir -p "$out_dir/mem"
python3 "$here/../../tools/nvgtrace_import.py" nvgbench --uvm-vram-mb 8 -o "$out_dir/mem/mem-cyclic.jsonl" \
	-t 5 mem:scan,pattern=cyclic,ws=150%,passes=4
# every kind of record nvgreplay plays, briefly (tests/vm/selftests/32-replay.sh):
# copies of each direction, deps across engines, think times, cycles, clock_mhz,
# a late-skip HIGH client, a game with frame waits, CPU time and an empty frame
cat > "$out_dir/mixed.jsonl" <<'EOF'
{"nvgtrace": 1, "name": "mixed", "device": {"heads": [{"head": 0, "hz": 60}]}, "source": {"format": "hand-written", "purpose": "every kind of record nvgreplay plays, briefly (tests/vm/selftests/32-replay.sh)"}}
{"type": "client", "id": 1, "name": "stream", "prio": "normal", "engine": "compute", "inflight": 2}
{"type": "client", "id": 2, "name": "game", "head": 0, "sync": "vsync"}
{"type": "client", "id": 3, "name": "tick", "prio": "high", "inflight": 1, "late": "skip"}
{"type": "client", "id": 4, "name": "bg", "prio": "low", "inflight": 2}
{"type": "job", "client": 1, "id": 1, "t_ns": 0, "engine": "copy", "bytes": 1048576, "dir": "h2d", "host_mem": "pinned"}
{"type": "job", "client": 1, "id": 2, "after_prev_ns": 0, "cost_ns": 2000000, "deps": [1]}
{"type": "job", "client": 1, "id": 3, "after_prev_ns": 100000, "engine": "copy", "bytes": 65536, "dir": "d2h", "recorded_ns": 5000}
{"type": "job", "client": 1, "id": 4, "after_prev_ns": 50000, "cycles": 1000000}
{"type": "job", "client": 1, "id": 5, "after_prev_ns": 0, "engine": "copy", "bytes": 262144, "dir": "fill"}
{"type": "job", "client": 1, "id": 6, "after_prev_ns": 0, "engine": "copy", "bytes": 262144, "dir": "d2d"}
{"type": "job", "client": 1, "id": 7, "after_prev_ns": 200000, "cost_ns": 1000000, "clock_mhz": 1000, "deps": [5, 6]}
{"type": "frame", "client": 2, "id": 1, "jobs": [{"cost_ns": 3000000}]}
{"type": "frame", "client": 2, "id": 2, "jobs": [{"cost_ns": 3000000}], "wait": true}
{"type": "frame", "client": 2, "id": 3, "jobs": [{"cost_ns": 3000000}], "cpu_ns": 1000000}
{"type": "frame", "client": 2, "id": 4, "jobs": [{"cost_ns": 3000000}], "wait": true}
{"type": "frame", "client": 2, "id": 5, "jobs": [{"cost_ns": 3000000}, {"engine": "copy", "bytes": 1048576, "dir": "d2d"}]}
{"type": "frame", "client": 2, "id": 6, "jobs": [{"cost_ns": 3000000}], "wait": true, "cpu_ns": 1000000}
{"type": "frame", "client": 2, "id": 7, "jobs": []}
{"type": "frame", "client": 2, "id": 8, "jobs": [{"cost_ns": 3000000}], "wait": true}
{"type": "frame", "client": 2, "id": 9, "jobs": [{"cost_ns": 3000000}], "cpu_ns": 1000000}
{"type": "frame", "client": 2, "id": 10, "jobs": [{"cost_ns": 3000000}], "wait": true}
{"type": "frame", "client": 2, "id": 11, "jobs": [{"cost_ns": 3000000}]}
{"type": "frame", "client": 2, "id": 12, "jobs": [{"cost_ns": 3000000}], "wait": true, "cpu_ns": 1000000}
{"type": "job", "client": 3, "id": 1, "t_ns": 0, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 2, "t_ns": 10000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 3, "t_ns": 20000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 4, "t_ns": 30000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 5, "t_ns": 40000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 6, "t_ns": 50000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 7, "t_ns": 60000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 8, "t_ns": 70000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 9, "t_ns": 80000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 10, "t_ns": 90000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 11, "t_ns": 100000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 12, "t_ns": 110000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 13, "t_ns": 120000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 14, "t_ns": 130000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 15, "t_ns": 140000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 16, "t_ns": 150000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 17, "t_ns": 160000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 18, "t_ns": 170000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 19, "t_ns": 180000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 20, "t_ns": 190000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 21, "t_ns": 200000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 22, "t_ns": 210000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 23, "t_ns": 220000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 24, "t_ns": 230000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 25, "t_ns": 240000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 26, "t_ns": 250000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 27, "t_ns": 260000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 28, "t_ns": 270000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 29, "t_ns": 280000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 30, "t_ns": 290000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 31, "t_ns": 300000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 32, "t_ns": 310000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 33, "t_ns": 320000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 34, "t_ns": 330000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 35, "t_ns": 340000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 36, "t_ns": 350000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 37, "t_ns": 360000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 38, "t_ns": 370000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 39, "t_ns": 380000000, "cost_ns": 500000}
{"type": "job", "client": 3, "id": 40, "t_ns": 390000000, "cost_ns": 500000}
{"type": "job", "client": 4, "id": 1, "t_ns": 0, "cost_ns": 50000000}
{"type": "job", "client": 4, "id": 2, "t_ns": 0, "cost_ns": 50000000}
{"type": "job", "client": 4, "id": 3, "t_ns": 0, "cost_ns": 50000000}
{"type": "job", "client": 4, "id": 4, "t_ns": 0, "cost_ns": 50000000}
{"type": "job", "client": 4, "id": 5, "t_ns": 0, "cost_ns": 50000000}
{"type": "job", "client": 4, "id": 6, "t_ns": 0, "cost_ns": 50000000}
{"type": "job", "client": 4, "id": 7, "t_ns": 0, "cost_ns": 50000000}
{"type": "job", "client": 4, "id": 8, "t_ns": 0, "cost_ns": 50000000}
{"type": "job", "client": 4, "id": 9, "t_ns": 0, "cost_ns": 50000000}
{"type": "job", "client": 4, "id": 10, "t_ns": 0, "cost_ns": 50000000}
EOF
