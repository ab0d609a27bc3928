#!/usr/bin/env python3
"""Print a Markdown table of the recorded traces in a folder (from their
NAME.meta.json files) and the calibration headline figures. Needs only the
Python standard library; reads what record.py/calibrate.py wrote.

Usage: python3 summarize.py [DIR]
"""
import glob
import json
import os
import sys


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "."
    metas = sorted(glob.glob(os.path.join(d, "*.meta.json")))
    cal = os.path.join(d, "calibration.json")
    if not metas and not os.path.exists(cal):
        sys.exit("summarize.py: no *.meta.json or calibration.json in %s" % d)
    if metas:
        print("| trace | gz KiB | kernels | memcpy | memset | GPU window ms "
              "| GPU busy ms | SM MHz (median) | GPU (uuid prefix) "
              "| meta written (UTC) |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for path in metas:
        with open(path) as f:
            m = json.load(f)
        a = m["trace_analysis"]
        env = m["environment"]
        gz = os.path.join(d, m["trace_file"])
        size = os.path.getsize(gz) / 1024 if os.path.exists(gz) else -1
        sm = m["clocks_during_window"].get("sm_mhz", {}).get("median", "?")
        print("| %s | %.0f | %d | %d | %d | %.1f | %.1f | %s | %s | %s |" % (
            m["trace_file"], size, a.get("kernels", 0), a.get("memcpys", 0),
            a.get("memsets", 0), a.get("gpu_window_us", 0) / 1e3,
            a.get("gpu_busy_us", 0) / 1e3, sm,
            (env.get("gpu") or {}).get("uuid", "?")[:8],
            env.get("recorded_utc", "?")))
    if os.path.exists(cal):
        with open(cal) as f:
            c = json.load(f)
        print()
        for k, v in sorted(c.get("ratios", {}).items()):
            print("- %s: %s" % (k, v if isinstance(v, str) else
                                "%.1f" % v))
    return 0


if __name__ == "__main__":
    sys.exit(main())
