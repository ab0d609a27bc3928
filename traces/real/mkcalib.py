#!/usr/bin/env python3
"""Build the calibration replays of the interference measurement.

On the H100 (h100-2026-12-06, README.md "Interference"), an interactive
process sent a request (relu(A @ B): a matmul kernel, then a relu kernel)
every 5 ms and waited for it, alone and beside a hog process (20 ms spin
kernels, or 16384^3 matmuls), under NVIDIA's default time-slicing. This
script turns the converted recordings into three nvgtrace files that replay
the same situation on nvghost's GH100 (chip gh100), and a table of what the
real GPU measured, for make bench (tests/vm/bench-vtime.sh, "calib" lines):

  calib/interactive_alone.nvgt.jsonl          the interactive client alone
  calib/interactive_vs_sleep_hog.nvgt.jsonl   beside the spin-kernel hog
  calib/interactive_vs_matmul_hog.nvgt.jsonl  beside the matmul hog
  calib/interactive_vs_sleep_hog_1job.nvgt.jsonl
                                              the same with each request one job
                                              (both kernels' cost): a what-if that
                                              separates the two model differences
                                              make bench reports (bench/README.md)
  calib/real.txt                              interference.json's wall-clock
                                              request latencies, one line per
                                              condition

The interactive client comes from interactive_alone.nvgt.jsonl: its 402 jobs
are 201 requests of two kernels each, with their recorded GPU costs. The
converter gives each job after its predecessor's completion (think time);
here a request's first kernel arrives at the time it started on the GPU in
the recording (t_ns), and its second one a launch call later (the native
probe's launch_call_only p50 in calibration.json, 2.4 us), as in the
unprofiled run the real figures come from: the process launched both, then
waited. (The recording's own gap, 15 to 75 us, is the profiler's cost: it
would let the first kernel finish before the second is queued.) The hog is the first jobs of hog_sleep.nvgt.jsonl (or the
matmuls of hog_matmul.nvgt.jsonl, at the 1500 MHz they were recorded at;
its 4-byte memsets are left out), all arriving at 0 with at most 3 in
flight, as the hog process kept at most 3 kernels queued. The hog starts
10 ms before the first request (it was running when the interactive process
started). Both clients have normal priority, as the two processes had.

Standard library only. Usage (from anywhere):

    python3 traces/real/mkcalib.py [OUTDIR]    # default: h100-2026-12-06/calib

Run again, it writes the same bytes (tests/unit/test_trace_import.py checks
the shipped files are what it writes).
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REC = os.path.join(HERE, "h100-2026-12-06")
CHIP = "gh100"
CLOCK_MHZ = 1980        # the SM clock of the interactive recording (meta.json)
HOG_LEAD_NS = 10000000  # the hog runs this long before the first request
HOG_INFLIGHT = 3        # the recorded hogs kept at most 3 kernels queued
REQUEST_GAP_NS = 1000000  # jobs of one request start within this of each other


def records(path):
    with open(path) as f:
        lines = [json.loads(x) for x in f]
    return lines[0], lines[1:]


def launch_gap_ns():
    """The host's cost of one kernel launch, ns (calibration.json)."""
    with open(os.path.join(REC, "calibration.json")) as f:
        return int(round(json.load(f)["native"]["spin"]["launch_call_only"]["p50"]))


def interactive():
    """The requests: [(t_ns of the first kernel, [(t_ns, cost_ns), ...])]."""
    hdr, recs = records(os.path.join(REC, "interactive_alone.nvgt.jsonl"))
    if hdr.get("clock_mhz") != CLOCK_MHZ:
        sys.exit("mkcalib: interactive_alone is at %s MHz, expected %d" % (hdr.get("clock_mhz"), CLOCK_MHZ))
    jobs = [r for r in recs if r["type"] == "job"]
    if len(jobs) % 2:
        sys.exit("mkcalib: interactive_alone has %d jobs, expected pairs" % len(jobs))
    t, end, starts = 0, 0, []
    for j in jobs:
        if j.get("engine", "compute") != "compute" or "cost_ns" not in j:
            sys.exit("mkcalib: interactive_alone job %d is not a timed compute job" % j["id"])
        t = j["t_ns"] if "t_ns" in j else end + j["after_prev_ns"]
        starts.append((t, j["cost_ns"]))
        end = t + j["cost_ns"]
    reqs, gap = [], launch_gap_ns()
    for k in range(0, len(starts), 2):
        a, b = starts[k], starts[k + 1]
        if b[0] - a[0] > REQUEST_GAP_NS:
            sys.exit("mkcalib: jobs %d and %d are %d ns apart: not one request" % (k + 1, k + 2, b[0] - a[0]))
        if reqs and a[0] - reqs[-1][0] < REQUEST_GAP_NS:
            sys.exit("mkcalib: request at job %d follows the previous one by less than 1 ms" % (k + 1))
        reqs.append((a[0], [a, (a[0] + gap, b[1])]))
    return reqs


def hog_all(name):
    """The compute jobs of a hog recording: [(cost_ns, clock_mhz)]."""
    hdr, recs = records(os.path.join(REC, name + ".nvgt.jsonl"))
    return [(r["cost_ns"], r.get("clock_mhz", hdr["clock_mhz"])) for r in recs
            if r["type"] == "job" and r.get("engine", "compute") == "compute"]


def hog(name, n):
    """The first n compute jobs of a hog recording."""
    out = hog_all(name)
    if len(out) < n:
        sys.exit("mkcalib: %s has %d compute jobs, %d needed" % (name, len(out), n))
    return out[:n]


def dump(obj):
    return json.dumps(obj, separators=(", ", ": "))


def write_trace(path, name, reqs, hogname, one_job=False):
    off = HOG_LEAD_NS if hogname else 0
    last = reqs[-1][1][-1]
    duration = off + last[0] + last[1] + 1000000
    src = {"format": "calib", "tool": "traces/real/mkcalib.py",
           "interactive": "interactive_alone.nvgt.jsonl (a request's first kernel at its recorded GPU "
                          "start, the second one launch call later: %d ns)" % launch_gap_ns(),
           "requests": len(reqs), "real": "interference.json"}
    lines = []
    if hogname:
        # enough hog jobs to keep it busy past the end (each at the replay's clock)
        total, n = 0, 0
        for c, clk in hog_all(hogname):
            if total >= duration:
                break
            total += c * clk // CLOCK_MHZ
            n += 1
        n += HOG_INFLIGHT
        costs = hog(hogname, n)
        src["hog"] = "%s.nvgt.jsonl, first %d compute jobs, t_ns 0, inflight %d" % (hogname, n, HOG_INFLIGHT)
    hdr = {"nvgtrace": 1, "name": name, "duration_ns": duration, "clock_mhz": CLOCK_MHZ,
           "device": {"chip": CHIP}, "source": src}
    lines.append(dump(hdr))
    if hogname:
        lines.append(dump({"type": "client", "id": 1, "name": "hog", "prio": "normal",
                           "engine": "compute", "inflight": HOG_INFLIGHT}))
    cid = 2 if hogname else 1
    lines.append(dump({"type": "client", "id": cid, "name": "interactive", "prio": "normal",
                       "engine": "compute"}))
    if hogname:
        for i, (c, clk) in enumerate(costs, 1):
            j = {"type": "job", "client": 1, "id": i, "t_ns": 0, "cost_ns": c}
            if clk != CLOCK_MHZ:
                j["clock_mhz"] = clk
            lines.append(dump(j))
    jid = 0
    for t0, kernels in reqs:
        if one_job:
            # ids stay 2k-1 (unused) and 2k: the request ends with job 2k
            jid += 2
            lines.append(dump({"type": "job", "client": cid, "id": jid, "t_ns": off + t0,
                               "cost_ns": sum(c for _, c in kernels)}))
            continue
        for t, c in kernels:
            jid += 1
            lines.append(dump({"type": "job", "client": cid, "id": jid, "t_ns": off + t, "cost_ns": c}))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def write_real(path):
    with open(os.path.join(REC, "interference.json")) as f:
        d = json.load(f)
    out = ["# interference.json (call 1, GPU b3b1889b): the interactive request's wall-clock",
           "# launch to completion, unprofiled, ms; written by traces/real/mkcalib.py"]
    for cond in ("alone", "beside_sleep_hog", "beside_matmul_hog"):
        w = d["conditions"][cond]["wall_launch_to_completion_ms"]
        out.append("%s n=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f"
                   % (cond, w["n"], w["p50"], w["p90"], w["p99"], w["max"]))
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REC, "calib")
    os.makedirs(out, exist_ok=True)
    reqs = interactive()
    write_trace(os.path.join(out, "interactive_alone.nvgt.jsonl"), "calib-interactive-alone", reqs, None)
    write_trace(os.path.join(out, "interactive_vs_sleep_hog.nvgt.jsonl"), "calib-interactive-vs-sleep-hog",
                reqs, "hog_sleep")
    write_trace(os.path.join(out, "interactive_vs_matmul_hog.nvgt.jsonl"), "calib-interactive-vs-matmul-hog",
                reqs, "hog_matmul")
    write_trace(os.path.join(out, "interactive_vs_sleep_hog_1job.nvgt.jsonl"),
                "calib-interactive-vs-sleep-hog-1job", reqs, "hog_sleep", one_job=True)
    write_real(os.path.join(out, "real.txt"))


if __name__ == "__main__":
    main()
