#!/usr/bin/env python3
"""Build the real frame loop as a 60 Hz game, for make bench's tenants_real.

The frames recording (h100-2026-12-06, README.md: 60 frames, one every
16.667 ms, 15 kernels and one memset each, then a wait for the GPU) converts
to one compute client whose jobs follow each other by think times
(frames.nvgt.jsonl): a frame's first kernel comes ~14.2 ms after the
previous frame's last one completed. Such a client has no deadlines in
nvgreplay (a deadline is the next job's t_ns), so beside another tenant the
player could not say whether a frame was late. This script writes the same
GPU work as a game (traces/FORMAT.md, "Frame"): one frame record per
recorded frame with its 16 jobs (their recorded costs at 1980 MHz, the
memset a copy-engine fill), presented on head 0 at 60 Hz with vsync. The
game's loop starts a frame when the previous one's flip latched, as the
recorded loop started one at its 16.667 ms deadline, and the player counts
a frame late when its flip misses the refresh after the previous one's: the
frame deadline of issue 15 item 4.

What it approximates: the ~1 us gaps between a frame's kernels (launch
calls) are dropped (a frame's jobs are submitted together and run in
order); the host's time from the frame's start to its first launch is not
kept (cpu_ns 0); the recorded loop waited for the GPU and did not present.

Its duration_ns is 240 ms: the first 15 frames, the frames that start while
the decode recording (decode.nvgt.jsonl.gz: 238.6 ms alone, by `check`)
runs, so that every frame replayed beside it has the decode beside it. The
player cannot loop a trace.

Standard library only. Usage:

    python3 traces/real/mktenants.py [OUTDIR]   # default: h100-2026-12-06/tenants

Run again, it writes the same bytes.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REC = os.path.join(HERE, "h100-2026-12-06")
FRAME_GAP_NS = 1000000   # a think time longer than this starts a new frame
DURATION_NS = 240000000  # 15 frames at 60 Hz: the decode recording's span
JOB_KEYS = ("engine", "cost_ns", "cycles", "clock_mhz", "bytes", "dir",
            "host_mem", "recorded_ns")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REC, "tenants")
    with open(os.path.join(REC, "frames.nvgt.jsonl")) as f:
        recs = [json.loads(line) for line in f if line.strip()]
    head, body = recs[0], recs[1:]
    clients = [r for r in body if r["type"] == "client"]
    if len(clients) != 1:
        sys.exit("mktenants: frames.nvgt.jsonl: expected one client, found %d" % len(clients))
    frames = []
    for r in body:
        if r["type"] != "job":
            continue
        if not frames or r.get("after_prev_ns", 0) > FRAME_GAP_NS:
            frames.append([])
        frames[-1].append({k: r[k] for k in JOB_KEYS if k in r})
    if len(frames) != 60 or any(len(fr) != 16 for fr in frames):
        sys.exit("mktenants: expected 60 frames of 16 jobs, found %d (%s)" %
                 (len(frames), sorted(set(len(fr) for fr in frames))))
    hdr = {
        "nvgtrace": 1,
        "name": "frames-60hz",
        "duration_ns": DURATION_NS,
        "clock_mhz": head["clock_mhz"],
        "device": {"heads": [{"head": 0, "hz": 60}]},
        "source": {"format": "derived", "from": "frames.nvgt.jsonl",
                   "script": "traces/real/mktenants.py",
                   "note": "each recorded frame's 16 jobs as one frame of a 60 Hz vsync game on head 0"},
    }
    client = {"type": "client", "id": 1, "name": "frames", "prio": "normal",
              "engine": "compute", "head": 0, "sync": "vsync"}
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "frames-60hz.nvgt.jsonl")
    with open(path, "w") as f:
        f.write(json.dumps(hdr) + "\n")
        f.write(json.dumps(client) + "\n")
        for i, fr in enumerate(frames, 1):
            f.write(json.dumps({"type": "frame", "client": 1, "id": i, "jobs": fr}) + "\n")
    print("wrote %s: %d frames of %d jobs" % (path, len(frames), len(frames[0])))


if __name__ == "__main__":
    main()
