"""Shared helpers for record.py and calibrate.py: environment metadata, clock
sampling, percentiles, and Chrome-trace (Kineto) post-processing.

Everything here only READS the GPU's state (nvidia-smi -q / --query-gpu,
NVML clock getters); nothing changes clocks, power or compute mode.
"""
import datetime
import gzip
import json
import os
import platform
import subprocess
import sys
import threading
import time

SMI_FIELDS = [
    "name", "driver_version", "pci.bus_id", "vbios_version", "pstate",
    "clocks.sm", "clocks.gr", "clocks.mem", "clocks.max.sm", "clocks.max.mem",
    "power.draw", "power.limit", "temperature.gpu", "compute_mode",
    "persistence_mode", "utilization.gpu", "memory.total",
]


def sh(cmd, timeout=60):
    """Run a read-only command; return its stdout, or 'ERROR: ...'."""
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.SubprocessError) as e:
        return "ERROR: %s" % e
    if r.returncode != 0:
        return "ERROR: rc=%d %s" % (r.returncode, r.stderr.strip()[:500])
    return r.stdout


def smi_query():
    """nvidia-smi --query-gpu for GPU 0, as {field: value}. Falls back to
    one field at a time if the driver rejects a field name."""
    def q(fields):
        out = sh(["nvidia-smi", "-i", "0", "--query-gpu=" + ",".join(fields),
                  "--format=csv,noheader"])
        if out.startswith("ERROR"):
            return None
        vals = [v.strip() for v in out.strip().splitlines()[0].split(",")]
        if len(vals) != len(fields):
            return None
        return dict(zip(fields, vals))

    d = q(SMI_FIELDS)
    if d is not None:
        return d
    d = {}
    for f in SMI_FIELDS:
        one = q([f])
        d[f] = one[f] if one else "unavailable"
    return d


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


_SMI_Q = None


def environment(torch, dev):
    """GPU / driver / software description for a metadata JSON."""
    global _SMI_Q
    if _SMI_Q is None:
        _SMI_Q = sh(["nvidia-smi", "-q"])
    env = {
        "recorded_utc": utc_now(),
        "python": sys.version.split()[0],
        "torch": torch.__version__,
        "torch_cuda": torch.version.cuda,
        "kernel": platform.release(),
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "argv": sys.argv,
    }
    if dev.type == "cuda":
        p = torch.cuda.get_device_properties(dev)
        env["gpu"] = {
            "name": p.name,
            "compute_capability": "%d.%d" % (p.major, p.minor),
            "sm_count": p.multi_processor_count,
            "total_memory_bytes": p.total_memory,
            "l2_cache_bytes": getattr(p, "L2_cache_size", None),
            "uuid": str(getattr(p, "uuid", "")),
        }
        try:
            env["cudnn"] = torch.backends.cudnn.version()
        except Exception as e:  # noqa: BLE001
            env["cudnn"] = "ERROR: %s" % e
        try:
            env["cuda_driver_api_version"] = torch.cuda.driver_version() \
                if hasattr(torch.cuda, "driver_version") else None
        except Exception:  # noqa: BLE001
            env["cuda_driver_api_version"] = None
        env["nvidia_smi_query"] = smi_query()
        env["nvidia_smi_q"] = _SMI_Q
    else:
        env["gpu"] = None
        env["note"] = "dry run on %s: no GPU, nothing here is a measurement" % dev
    return env


class ClockSampler:
    """Samples SM/memory clock, power and temperature through NVML (read
    only) every period_s while a window is recorded."""

    def __init__(self, period_s=0.05):
        self.period_s = period_s
        self.samples = []
        self.error = None
        self._stop = threading.Event()
        self._t = None
        self._nvml = None
        self._h = None
        try:
            import pynvml  # nvidia-ml-py
            pynvml.nvmlInit()
            self._nvml = pynvml
            self._h = pynvml.nvmlDeviceGetHandleByIndex(0)
        except Exception as e:  # noqa: BLE001
            self.error = "NVML unavailable: %s" % e

    def _one(self):
        n, h = self._nvml, self._h
        s = {"t": time.perf_counter()}
        for key, fn in (
            ("sm_mhz", lambda: n.nvmlDeviceGetClockInfo(h, n.NVML_CLOCK_SM)),
            ("mem_mhz", lambda: n.nvmlDeviceGetClockInfo(h, n.NVML_CLOCK_MEM)),
            ("power_mw", lambda: n.nvmlDeviceGetPowerUsage(h)),
            ("temp_c", lambda: n.nvmlDeviceGetTemperature(
                h, n.NVML_TEMPERATURE_GPU)),
        ):
            try:
                s[key] = fn()
            except Exception:  # noqa: BLE001
                s[key] = None
        return s

    def _run(self):
        while not self._stop.is_set():
            self.samples.append(self._one())
            self._stop.wait(self.period_s)

    def __enter__(self):
        if self._nvml is not None:
            self._t = threading.Thread(target=self._run, daemon=True)
            self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._t is not None:
            self._t.join()
        return False

    def summary(self):
        if not self.samples:
            return {"error": self.error or "no samples"}
        out = {"period_s": self.period_s, "n": len(self.samples)}
        for key in ("sm_mhz", "mem_mhz", "power_mw", "temp_c"):
            v = sorted(x[key] for x in self.samples if x[key] is not None)
            if v:
                out[key] = {"min": v[0], "median": v[len(v) // 2],
                            "max": v[-1]}
        t0 = self.samples[0]["t"]
        out["samples"] = [
            [round(x["t"] - t0, 4), x["sm_mhz"], x["mem_mhz"], x["power_mw"],
             x["temp_c"]] for x in self.samples]
        out["samples_columns"] = ["t_s", "sm_mhz", "mem_mhz", "power_mw",
                                  "temp_c"]
        return out


def pct(values, scale=1.0):
    """p50/p90/p99/max/min/mean of a list, multiplied by scale."""
    if not values:
        return {"n": 0}
    v = sorted(x * scale for x in values)
    n = len(v)

    def at(p):
        return v[min(n - 1, int(round(p * (n - 1))))]
    return {"n": n, "min": v[0], "p50": at(0.50), "p90": at(0.90),
            "p99": at(0.99), "max": v[-1], "mean": sum(v) / n}


# --- Chrome trace post-processing -----------------------------------------

GPU_CATS = ("kernel", "gpu_memcpy", "gpu_memset")
# Dropped, in this order, when a gzipped trace is over budget. The converter
# needs kernels, copies, memsets and the runtime calls that launched them
# (cuda_runtime / cuda_driver, linked by args.correlation); the CPU-side
# operator tree is context only.
STRIP_TIERS = [
    (),
    ("cpu_op", "python_function", "cpu_instant_event", "fwdbwd"),
    ("cpu_op", "python_function", "cpu_instant_event", "fwdbwd", "ac2g"),
]


def analyze(trace):
    """Counts by category and GPU activity figures of a Kineto trace."""
    ev = trace.get("traceEvents", [])
    cats = {}
    for e in ev:
        c = e.get("cat", "<none:ph=%s>" % e.get("ph"))
        cats[c] = cats.get(c, 0) + 1
    gpu = [e for e in ev if e.get("cat") in GPU_CATS and e.get("ph") == "X"]
    out = {"events_by_cat": cats}
    if not gpu:
        out["gpu_events"] = 0
        return out
    start = min(e["ts"] for e in gpu)
    end = max(e["ts"] + e.get("dur", 0) for e in gpu)
    iv = sorted((e["ts"], e["ts"] + e.get("dur", 0)) for e in gpu)
    busy, cs, ce = 0.0, iv[0][0], iv[0][1]
    for s, t in iv[1:]:
        if s > ce:
            busy += ce - cs
            cs, ce = s, t
        else:
            ce = max(ce, t)
    busy += ce - cs
    kern = [e for e in gpu if e.get("cat") == "kernel"]
    streams = sorted({str(e.get("args", {}).get("stream")) for e in gpu})
    names = {}
    for e in kern:
        names[e.get("name", "?")] = names.get(e.get("name", "?"), 0) + 1
    top = sorted(names.items(), key=lambda kv: -kv[1])[:15]
    out.update({
        "gpu_events": len(gpu),
        "kernels": len(kern),
        "memcpys": sum(1 for e in gpu if e.get("cat") == "gpu_memcpy"),
        "memsets": sum(1 for e in gpu if e.get("cat") == "gpu_memset"),
        "gpu_window_us": end - start,
        "gpu_busy_us": busy,
        "kernel_time_sum_us": sum(e.get("dur", 0) for e in kern),
        "kernel_dur_us": pct([e.get("dur", 0) for e in kern]),
        "streams": streams,
        "distinct_kernel_names": len(names),
        "top_kernels": top,
    })
    return out


def finish_trace(raw_json_path, gz_path, max_gz_bytes):
    """Gzip a Chrome trace written by export_chrome_trace; if over budget,
    drop CPU-side categories (see STRIP_TIERS) and try again. Removes the
    raw JSON. Returns (analysis, info)."""
    with open(raw_json_path, "rb") as f:
        raw = f.read()
    trace = json.loads(raw)
    info = {"raw_json_bytes": len(raw)}
    if isinstance(trace, list):  # legacy (non-Kineto) profiler output
        trace = {"traceEvents": trace}
        info["legacy_list_format"] = True
    analysis = analyze(trace)
    for tier, drop in enumerate(STRIP_TIERS):
        if tier == 0:
            data = raw
        else:
            t2 = dict(trace)
            t2["traceEvents"] = [e for e in trace["traceEvents"]
                                 if e.get("cat") not in drop]
            data = json.dumps(t2, separators=(",", ":")).encode()
        gz = gzip.compress(data, compresslevel=9)
        info.update({"strip_tier": tier, "dropped_categories": list(drop),
                     "json_bytes": len(data), "gz_bytes": len(gz)})
        if len(gz) <= max_gz_bytes or tier == len(STRIP_TIERS) - 1:
            break
    with open(gz_path, "wb") as f:
        f.write(gz)
    os.unlink(raw_json_path)
    return analysis, info


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1, sort_keys=False, default=str)
        f.write("\n")
