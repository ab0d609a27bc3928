#!/usr/bin/env python3
"""Calibration measurements of a real NVIDIA GPU for nvghost's cost model
(issue 15, item 5). Writes calibration.json into --out.

Measures:
  copy bandwidth   host->device and device->host from pinned memory (and
                   pageable, for two sizes), device->device, several sizes;
                   CUDA events around each copy (median of N), and the wall
                   clock with a synchronize
  empty kernel     through PyTorch (torch.cuda._sleep(0): a <<<1,1>>> spin
                   kernel told to spin 0 cycles) and natively
                   (calib_native.cu, built here with nvcc): launch-to-
                   completion by wall clock with a synchronize, event to
                   event on the GPU, launch call alone, back to back
  null syscall     os.getppid() from Python, and syscall(SYS_getppid) from
                   the native probe, so the ratio launch-to-completion /
                   null syscall can be quoted
  interference     copied from interference.json (record.py interference),
                   if it is in --out

Usage: python3 calibrate.py [--out DIR]
"""
import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import time
import traceback

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30


def time_copy(dst, src, reps, dev):
    """Median event time and median wall time (s) of dst.copy_(src)."""
    e0 = torch.cuda.Event(enable_timing=True)
    e1 = torch.cuda.Event(enable_timing=True)
    for _ in range(3):
        dst.copy_(src, non_blocking=True)
    torch.cuda.synchronize(dev)
    ev, wall = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        e0.record()
        dst.copy_(src, non_blocking=True)
        e1.record()
        e1.synchronize()
        wall.append(time.perf_counter() - t0)
        ev.append(e0.elapsed_time(e1) / 1e3)
    ev.sort()
    wall.sort()
    return ev[len(ev) // 2], wall[len(wall) // 2]


def bandwidth(dev):
    sizes = [4 * KiB, 64 * KiB, 1 * MiB, 16 * MiB, 256 * MiB, 1 * GiB]
    rows = []
    for n in sizes:
        reps = 200 if n <= MiB else (50 if n <= 16 * MiB else 10)
        d0 = torch.empty(n, dtype=torch.uint8, device=dev)
        d1 = torch.empty(n, dtype=torch.uint8, device=dev)
        d0.random_(0, 255)
        hp = torch.empty(n, dtype=torch.uint8, pin_memory=True)
        hp.random_(0, 255)
        cases = [("h2d_pinned", d0, hp), ("d2h_pinned", hp, d0),
                 ("d2d", d1, d0)]
        if n in (16 * MiB, 256 * MiB):
            hq = torch.empty(n, dtype=torch.uint8)
            hq.random_(0, 255)
            cases += [("h2d_pageable", d0, hq), ("d2h_pageable", hq, d0)]
        for name, dst, src in cases:
            t_ev, t_wall = time_copy(dst, src, reps, dev)
            rows.append({"direction": name, "bytes": n, "reps": reps,
                         "median_event_us": t_ev * 1e6,
                         "median_wall_us": t_wall * 1e6,
                         "GBps_event": n / t_ev / 1e9,
                         "GBps_wall": n / t_wall / 1e9})
            print("  %-13s %10d B  %9.1f us  %7.1f GB/s (events)  %7.1f GB/s"
                  " (wall)" % (name, n, t_ev * 1e6, n / t_ev / 1e9,
                               n / t_wall / 1e9), flush=True)
        del d0, d1, hp
        torch.cuda.empty_cache()
    return {
        "method": "tensor.copy_(non_blocking=True) between uint8 tensors; "
                  "CUDA events recorded just before and after on the current "
                  "stream, median of reps after 3 warm-ups; wall = "
                  "perf_counter around the same with event.synchronize(). "
                  "GB/s = bytes copied / time (1 GB = 1e9 B); for d2d the "
                  "memory traffic is twice that (read + write).",
        "rows": rows,
    }


def torch_empty_kernel(dev, n=5000):
    """torch.cuda._sleep(0) as the empty kernel, through PyTorch."""
    k = torch.cuda._sleep
    for _ in range(500):
        k(0)
    torch.cuda.synchronize(dev)
    wall, ev, call = [], [], []
    e0 = torch.cuda.Event(enable_timing=True)
    e1 = torch.cuda.Event(enable_timing=True)
    for _ in range(n):
        t0 = time.perf_counter_ns()
        k(0)
        torch.cuda.synchronize(dev)
        wall.append(time.perf_counter_ns() - t0)
    for _ in range(n):
        t0 = time.perf_counter_ns()
        k(0)
        call.append(time.perf_counter_ns() - t0)
        torch.cuda.synchronize(dev)
    for _ in range(n):
        e0.record()
        k(0)
        e1.record()
        e1.synchronize()
        ev.append(e0.elapsed_time(e1) * 1e6)
    b2b = []
    for _ in range(5):
        t0 = time.perf_counter_ns()
        for _ in range(1000):
            k(0)
        torch.cuda.synchronize(dev)
        b2b.append((time.perf_counter_ns() - t0) / 1000)
    return {
        "kernel": "torch.cuda._sleep(0) (<<<1,1>>>, spins 0 cycles)",
        "units": "ns",
        "launch_to_synchronize_return": common.pct(wall),
        "launch_call_only": common.pct(call),
        "event_to_event": common.pct(ev),
        "back_to_back_per_kernel": common.pct(b2b),
    }


def py_null_syscall():
    """os.getppid() per call from Python, minus an empty Python loop."""
    n = 200000
    getppid = os.getppid
    res = []
    for _ in range(5):
        t0 = time.perf_counter_ns()
        for _ in range(n):
            getppid()
        t1 = time.perf_counter_ns()
        for _ in range(n):
            pass
        t2 = time.perf_counter_ns()
        res.append(((t1 - t0) / n, (t2 - t1) / n))
    res.sort()
    med = res[len(res) // 2]
    return {"units": "ns", "getppid_per_call": med[0],
            "empty_loop_per_iteration": med[1],
            "getppid_minus_loop": med[0] - med[1]}


def find_nvcc():
    c = shutil.which("nvcc")
    if c:
        return c
    for p in ["/usr/local/cuda/bin/nvcc"] + sorted(
            glob.glob("/usr/local/cuda*/bin/nvcc")):
        if os.path.exists(p):
            return p
    return None


def native(out):
    nvcc = find_nvcc()
    if not nvcc:
        return {"error": "nvcc not found"}
    exe = os.path.join("/tmp", "calib_native")
    cmd = [nvcc, "-O2", "-arch=sm_90", "-o", exe,
           os.path.join(HERE, "calib_native.cu")]
    r = subprocess.run(cmd, capture_output=True, text=True)
    res = {"nvcc": nvcc, "build": " ".join(cmd),
           "nvcc_version": common.sh([nvcc, "--version"]).strip()}
    if r.returncode != 0:
        res["error"] = "nvcc failed: " + r.stderr[-2000:]
        return res
    for mode in ("spin", "blocking"):
        r = subprocess.run([exe, mode, "20000"], capture_output=True,
                           text=True, timeout=300)
        if r.returncode != 0:
            res[mode] = {"error": "rc=%d %s" % (r.returncode, r.stderr[-2000:])}
            continue
        try:
            res[mode] = json.loads(r.stdout)
        except ValueError as e:
            res[mode] = {"error": "bad JSON (%s): %s" % (e, r.stdout[-2000:])}
    return res


def ratios(cal):
    out = {}
    try:
        sc = cal["native"]["spin"]["null_syscall_getppid_per_call"]["p50"]
        for mode in ("spin", "blocking"):
            m = cal["native"][mode]
            out["native_%s_empty_kernel_launch_to_sync_p50_over_null_syscall"
                % mode] = (m["empty_kernel_launch_to_sync_return"]["p50"] / sc)
            out["native_%s_empty_kernel_launch_to_sync_p99_over_null_syscall"
                % mode] = (m["empty_kernel_launch_to_sync_return"]["p99"] / sc)
    except (KeyError, TypeError, ZeroDivisionError) as e:
        out["native_error"] = "missing figure: %s" % e
    try:
        sc = cal["python_null_syscall"]["getppid_per_call"]
        t = cal["torch_empty_kernel"]["launch_to_synchronize_return"]["p50"]
        out["torch_empty_kernel_launch_to_sync_p50_over_python_getppid"] = \
            t / sc
    except (KeyError, TypeError, ZeroDivisionError) as e:
        out["torch_error"] = "missing figure: %s" % e
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--out", default=".")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if not torch.cuda.is_available():
        sys.exit("calibrate.py: CUDA is not available")
    dev = torch.device("cuda", 0)
    torch.cuda.set_device(dev)
    cal = {"environment": common.environment(torch, dev)}
    steps = [("copy_bandwidth", lambda: bandwidth(dev)),
             ("torch_empty_kernel", lambda: torch_empty_kernel(dev)),
             ("python_null_syscall", py_null_syscall),
             ("native", lambda: native(args.out))]
    with common.ClockSampler(0.25) as cs:
        for name, fn in steps:
            t0 = time.perf_counter()
            print("[%s]" % name, flush=True)
            try:
                cal[name] = fn()
            except Exception:  # noqa: BLE001  keep the other figures
                cal[name] = {"error": traceback.format_exc()}
                print(cal[name]["error"], flush=True)
            print("[%s] took %.1f s" % (name, time.perf_counter() - t0),
                  flush=True)
    cal["clocks_during_calibration"] = cs.summary()
    cal["ratios"] = ratios(cal)
    ipath = os.path.join(args.out, "interference.json")
    if os.path.exists(ipath):
        with open(ipath) as f:
            inter = json.load(f)
        cal["interference"] = {k: {kk: vv for kk, vv in v.items()
                                   if kk != "environment"}
                               for k, v in inter.get("conditions", {}).items()}
        cal["interference_config"] = inter.get("config")
    else:
        cal["interference"] = {"error": "interference.json not in --out: "
                                        "run record.py interference first"}
    common.write_json(os.path.join(args.out, "calibration.json"), cal)
    # short table last: the caller reads the tail of the output
    print(json.dumps({"ratios": cal["ratios"]}, indent=1))
    for mode in ("spin", "blocking"):
        m = cal.get("native", {}).get(mode, {})
        for k, v in m.items():
            if isinstance(v, dict) and "p50" in v:
                print("native %-8s %-46s p50 %9.1f p99 %9.1f ns" % (
                    mode, k, v["p50"], v["p99"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
