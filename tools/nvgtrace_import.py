#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""nvgtrace_import.py - write, import and check nvghost workload traces.

The trace format (nvgtrace version 1) is specified in traces/FORMAT.md: JSON
Lines, a header line, then client, job and frame records. Python 3 standard
library only.

  nvgtrace_import.py kineto IN.json[.gz] -o OUT.jsonl[.gz]
                     [--gpu-clock-mhz N] [--device N] [--name NAME]
                     [--prio low|normal|high] [--skip-bad]
      convert a PyTorch profiler (Kineto) Chrome trace: each CUDA stream
      becomes a client, kernels compute jobs, memcpy/memset copy jobs,
      gaps on a stream think times (traces/README.md lists the
      approximations)
  nvgtrace_import.py nvgbench [-t SECONDS] [--name NAME] -o OUT CLIENT...
      the trace of an nvgbench command line (same CLIENT syntax; a game
      also takes sync=vsync|vrr, vrr=MIN-MAX, wait=0|1 and cpu=MS, the
      frame keys nvgbench cannot express)
  nvgtrace_import.py check FILE...
      validate traces against the format and print a summary

Exit status: 0 on success, 1 if an input or trace is bad (the message names
the event or line and the field), 2 on a usage error.
"""
import argparse
import gzip
import io
import json
import math
import os
import re
import sys
import zlib
from decimal import Decimal

PROG = "nvgtrace_import"
VERSION = 1

PRIOS = ("low", "normal", "high")
ENGINES = ("compute", "copy")
DIRS = ("h2d", "d2h", "d2d", "fill")
HOST_MEMS = ("pinned", "pageable")
SYNCS = ("vsync", "vrr")
LATES = ("run", "skip")
# The monitors the driver can put on a connector (debugfs connector-K/edid,
# tools/mkedid.py), and "off" for an unplugged one.
MONITORS = ("qhd165", "uhd60", "fhd60", "off")
MAX_HEADS = 4
NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,31}$")
CHIP_RE = re.compile(r"^[a-z0-9]{1,15}$")
U63 = (1 << 63) - 1
U31 = (1 << 31) - 1


class BadTrace(Exception):
    """A trace that does not follow traces/FORMAT.md."""


class BadInput(Exception):
    """An input (Kineto trace, command line) that cannot be converted."""


def die(msg, status=1):
    sys.stderr.write("%s: %s\n" % (PROG, msg))
    sys.exit(status)


def open_text(path):
    """A text stream of @path, gunzipped if it starts with gzip's magic."""
    f = open(path, "rb")
    magic = f.read(2)
    f.seek(0)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.GzipFile(fileobj=f), encoding="utf-8")
    return io.TextIOWrapper(f, encoding="utf-8")


def write_lines(path, lines):
    """Write @lines to @path; gzip (reproducibly: no name, no time) if it
    ends in .gz."""
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    if path.endswith(".gz"):
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0,
                           compresslevel=9) as g:
            g.write(data)
        data = buf.getvalue()
    with open(path, "wb") as f:
        f.write(data)


def dumps(obj):
    """One record, keys in the order given, as FORMAT.md shows them."""
    return json.dumps(obj, ensure_ascii=False)


# ---------------------------------------------------------------------------
# The format: validation (check)
# ---------------------------------------------------------------------------

def _no_dup_keys(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise BadTrace("key '%s' appears twice" % k)
        d[k] = v
    return d


def _reject_const(name):
    raise BadTrace("'%s' is not a JSON number this format accepts" % name)


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


class Where:
    """Names the record being checked in error messages."""

    def __init__(self, what):
        self.what = what

    def err(self, msg):
        raise BadTrace("%s: %s" % (self.what, msg))


def _check_keys(w, obj, allowed, required=()):
    for k in obj:
        if k not in allowed:
            w.err("unknown key '%s' (allowed: %s)" % (k, ", ".join(allowed)))
    for k in required:
        if k not in obj:
            w.err("missing key '%s'" % k)


def _int(w, obj, key, lo, hi, unit=""):
    v = obj[key]
    if not _is_int(v):
        w.err("key '%s': %s is not an integer%s" % (key, json.dumps(v), unit))
    if v < lo or v > hi:
        w.err("key '%s': %d is out of range [%d, %d]" % (key, v, lo, hi))
    return v


def _enum(w, obj, key, values):
    v = obj[key]
    if v not in values or not isinstance(v, str):
        w.err("key '%s': %s is not one of %s" % (key, json.dumps(v), ", ".join(values)))
    return v


def _str(w, obj, key, pattern, what):
    v = obj[key]
    if not isinstance(v, str) or not pattern.fullmatch(v):
        w.err("key '%s': %s is not %s" % (key, json.dumps(v), what))
    return v


def _bool(w, obj, key):
    v = obj[key]
    if not isinstance(v, bool):
        w.err("key '%s': %s is not true or false" % (key, json.dumps(v)))
    return v


HEADER_KEYS = ("nvgtrace", "name", "duration_ns", "clock_mhz", "device", "source")
DEVICE_KEYS = ("chip", "pstate", "temp_c", "heads", "uvm_vram_mb")
HEAD_KEYS = ("head", "monitor", "w", "h", "hz", "vrr_hz")
CLIENT_KEYS = ("type", "id", "name", "pid", "prio", "engine", "inflight", "late",
               "head", "sync", "gpu", "managed")
MAX_BUFS = 8
MAX_RANGES = 64
BUF_KEYS = ("id", "bytes")
RANGE_KEYS = ("buf", "offset", "bytes", "op")
MAX_GPUS = 8
WORK_KEYS = ("engine", "cost_ns", "cycles", "clock_mhz", "bytes", "dir",
             "host_mem", "recorded_ns")
JOB_KEYS = ("type", "client", "id", "t_ns", "after_prev_ns") + WORK_KEYS + ("deps", "mem")
FRAME_KEYS = ("type", "client", "id", "wait", "cpu_ns", "jobs")


def check_header(obj):
    w = Where("header")
    if not isinstance(obj, dict):
        w.err("not a JSON object")
    if "nvgtrace" not in obj:
        w.err("missing key 'nvgtrace' (the first line must be the header, "
              "{\"nvgtrace\": %d, ...})" % VERSION)
    v = obj["nvgtrace"]
    if not _is_int(v) or v != VERSION:
        w.err("key 'nvgtrace': version %s is not supported (this reader knows %d)"
              % (json.dumps(v), VERSION))
    _check_keys(w, obj, HEADER_KEYS)
    if "name" in obj:
        _str(w, obj, "name", re.compile(r"^[^\x00-\x1f]{1,200}$"),
             "a string of 1-200 printable characters")
    if "duration_ns" in obj:
        _int(w, obj, "duration_ns", 1, U63)
    if "clock_mhz" in obj:
        _int(w, obj, "clock_mhz", 1, 100000)
    if "source" in obj and not isinstance(obj["source"], dict):
        w.err("key 'source' is not a JSON object")
    heads = {}
    if "device" in obj:
        dev = obj["device"]
        wd = Where("header: device")
        if not isinstance(dev, dict):
            wd.err("not a JSON object")
        _check_keys(wd, dev, DEVICE_KEYS)
        if "chip" in dev:
            _str(wd, dev, "chip", CHIP_RE, "a chip name (lower-case letters and digits)")
        if "pstate" in dev:
            _int(wd, dev, "pstate", 0, 31)
        if "uvm_vram_mb" in dev:
            _int(wd, dev, "uvm_vram_mb", 0, 1048576, " (MiB)")
        if "temp_c" in dev:
            _int(wd, dev, "temp_c", -40, 150, " (degrees Celsius)")
        if "heads" in dev:
            if not isinstance(dev["heads"], list):
                wd.err("key 'heads' is not a list")
            for i, h in enumerate(dev["heads"]):
                wh = Where("header: device: heads[%d]" % i)
                if not isinstance(h, dict):
                    wh.err("not a JSON object")
                _check_keys(wh, h, HEAD_KEYS, ("head",))
                n = _int(wh, h, "head", 0, MAX_HEADS - 1)
                if n in heads:
                    wh.err("head %d is set up twice" % n)
                heads[n] = h
                if "monitor" in h:
                    _enum(wh, h, "monitor", MONITORS)
                for k, hi in (("w", 16384), ("h", 16384), ("hz", 1000)):
                    if k in h:
                        _int(wh, h, k, 1, hi)
                if ("w" in h or "h" in h) and not ("w" in h and "h" in h and "hz" in h):
                    wh.err("a mode needs 'w', 'h' and 'hz' together (or 'hz' alone)")
                if "vrr_hz" in h:
                    r = h["vrr_hz"]
                    if (not isinstance(r, list) or len(r) != 2 or
                            not all(_is_int(x) for x in r) or
                            not 1 <= r[0] < r[1] <= 1000):
                        wh.err("key 'vrr_hz': %s is not [min, max] with 1 <= min < max <= 1000"
                               % json.dumps(r))
                if h.get("monitor") == "off" and len(h) > 2:
                    wh.err("an unplugged head ('monitor': 'off') takes no mode or range")
    return heads


def check_work(w, obj, engine, mem=False):
    """A job's or a frame job's GPU work on @engine (compute or copy); with
    @mem (a job with ranges of managed memory) the cost is optional."""
    if engine == "compute":
        for k in ("bytes", "dir", "host_mem", "recorded_ns"):
            if k in obj:
                w.err("key '%s' is for copy jobs; this job is on the compute engine" % k)
        if "cost_ns" in obj and "cycles" in obj:
            w.err("a compute job has exactly one of 'cost_ns' and 'cycles'")
        if "cost_ns" not in obj and "cycles" not in obj:
            if not mem:
                w.err("a compute job has exactly one of 'cost_ns' and 'cycles'")
            if "clock_mhz" in obj:
                w.err("key 'clock_mhz' goes with 'cost_ns'")
            return
        if "cost_ns" in obj:
            if _is_int(obj["cost_ns"]) and obj["cost_ns"] < 0:
                w.err("key 'cost_ns': negative cost %d" % obj["cost_ns"])
            _int(w, obj, "cost_ns", 0, U63, " (nanoseconds)")
        else:
            if _is_int(obj["cycles"]) and obj["cycles"] < 0:
                w.err("key 'cycles': negative cost %d" % obj["cycles"])
            _int(w, obj, "cycles", 0, U63)
            if "clock_mhz" in obj:
                w.err("key 'clock_mhz' goes with 'cost_ns', not 'cycles'")
        if "clock_mhz" in obj:
            _int(w, obj, "clock_mhz", 1, 100000)
    else:
        for k in ("cost_ns", "cycles", "clock_mhz"):
            if k in obj:
                w.err("key '%s' is for compute jobs; a copy's time follows from 'bytes'" % k)
        for k in ("bytes", "dir"):
            if k not in obj:
                w.err("missing key '%s' (a copy job has 'bytes' and 'dir')" % k)
        if _is_int(obj["bytes"]) and obj["bytes"] < 0:
            w.err("key 'bytes': negative size %d" % obj["bytes"])
        _int(w, obj, "bytes", 0, U63)
        d = _enum(w, obj, "dir", DIRS)
        if "host_mem" in obj:
            _enum(w, obj, "host_mem", HOST_MEMS)
            if d not in ("h2d", "d2h"):
                w.err("key 'host_mem' is for h2d and d2h copies, not %s" % d)
        if "recorded_ns" in obj:
            _int(w, obj, "recorded_ns", 0, U63, " (nanoseconds)")


class Trace:
    """A checked trace: the header, the clients, each client's records."""

    def __init__(self):
        self.header = None
        self.heads = {}
        self.clients = {}       # id -> client record
        self.order = []         # client ids in file order
        self.records = {}       # client id -> [job or frame records]


def check_lines(lines, name="trace"):
    """Check the lines of a trace (an iterable of str); return a Trace, or
    raise BadTrace naming the line."""
    t = Trace()
    names = set()
    game_heads = {}
    last_id = {}
    last_t = {}
    n = 0
    for n, line in enumerate(lines, 1):
        where = "%s:%d" % (name, n)
        try:
            if not line.endswith("\n"):
                raise BadTrace("the line does not end with a newline (truncated file?)")
            line = line[:-1]
            if not line.strip():
                raise BadTrace("empty line")
            try:
                obj = json.loads(line, object_pairs_hook=_no_dup_keys,
                                 parse_constant=_reject_const)
            except ValueError as e:
                raise BadTrace("not valid JSON: %s" % e)
            if n == 1:
                t.heads = check_header(obj)
                t.header = obj
                continue
            if not isinstance(obj, dict):
                raise BadTrace("not a JSON object")
            if "nvgtrace" in obj:
                raise BadTrace("a second header (only the first line is the header)")
            typ = obj.get("type")
            if typ == "client":
                w = Where("client")
                if "id" not in obj:
                    w.err("missing key 'id'")
                cid = _int(w, obj, "id", 1, U31)
                w = Where("client %d" % cid)
                _check_keys(w, obj, CLIENT_KEYS, ("type", "id", "name"))
                if cid in t.clients:
                    w.err("client id %d is defined twice" % cid)
                nm = _str(w, obj, "name", NAME_RE, "1-31 characters of [A-Za-z0-9_.-]")
                if nm in names:
                    w.err("two clients are named '%s'" % nm)
                if "pid" in obj:
                    _int(w, obj, "pid", 1, U31)
                if "prio" in obj:
                    _enum(w, obj, "prio", PRIOS)
                if "engine" in obj:
                    _enum(w, obj, "engine", ENGINES)
                if "inflight" in obj:
                    _int(w, obj, "inflight", 1, 64)
                if "late" in obj:
                    _enum(w, obj, "late", LATES)
                if "gpu" in obj:
                    _int(w, obj, "gpu", 0, MAX_GPUS - 1)
                if ("head" in obj) != ("sync" in obj):
                    w.err("a game client has both 'head' and 'sync'")
                if "head" in obj:
                    h = _int(w, obj, "head", 0, MAX_HEADS - 1)
                    _enum(w, obj, "sync", SYNCS)
                    for k in ("inflight", "late"):
                        if k in obj:
                            w.err("key '%s' is for job clients, not a game (one with 'head')" % k)
                    if obj.get("engine", "compute") != "compute":
                        w.err("a game renders on the compute engine")
                    if h in game_heads:
                        w.err("head %d already has a game (client %d)" % (h, game_heads[h]))
                    if t.heads.get(h, {}).get("monitor") == "off":
                        w.err("head %d has no monitor (device.heads says 'off')" % h)
                    game_heads[h] = cid
                    if "managed" in obj:
                        w.err("key 'managed' is for job clients, not a game (one with 'head')")
                if "managed" in obj:
                    _check_managed(w, obj["managed"])
                names.add(nm)
                t.clients[cid] = obj
                t.order.append(cid)
                t.records[cid] = []
            elif typ in ("job", "frame"):
                keys = JOB_KEYS if typ == "job" else FRAME_KEYS
                w = Where(typ)
                for k in ("client", "id"):
                    if k not in obj:
                        w.err("missing key '%s'" % k)
                cid = _int(w, obj, "client", 1, U31)
                jid = _int(w, obj, "id", 1, U31)
                w = Where("client %d %s %d" % (cid, typ, jid))
                _check_keys(w, obj, keys, ("type", "client", "id"))
                c = t.clients.get(cid)
                if c is None:
                    w.err("client %d is not defined (a client record must come first)" % cid)
                game = "head" in c
                if game and typ == "job":
                    w.err("client %d is a game: its work is in frame records" % cid)
                if not game and typ == "frame":
                    w.err("client %d is not a game (no 'head'): frames need one" % cid)
                if jid <= last_id.get(cid, 0):
                    w.err("id %d is not above the client's previous id %d"
                          % (jid, last_id[cid]))
                if typ == "job":
                    _check_job(w, obj, c, t, last_t)
                else:
                    _check_frame(w, obj, c, t)
                last_id[cid] = jid
                t.records[cid].append(obj)
            else:
                raise BadTrace("key 'type': %s is not client, job or frame"
                               % json.dumps(typ) if "type" in obj else "missing key 'type'")
        except BadTrace as e:
            raise BadTrace("%s: %s" % (where, e))
    if n == 0 or t.header is None:
        raise BadTrace("%s: empty (the first line must be the header)" % name)
    return t


def _check_job(w, obj, c, t, last_t):
    cid = obj["client"]
    if ("t_ns" in obj) == ("after_prev_ns" in obj):
        w.err("a job has exactly one of 't_ns' and 'after_prev_ns'")
    recs = t.records[cid]
    if "t_ns" in obj:
        v = _int(w, obj, "t_ns", 0, U63, " (nanoseconds)")
        if v < last_t.get(cid, 0):
            w.err("t_ns %d is before the client's previous job's %d" % (v, last_t[cid]))
        last_t[cid] = v
    else:
        _int(w, obj, "after_prev_ns", 0, U63, " (nanoseconds)")
        if not recs:
            w.err("the client's first job needs 't_ns' (there is no previous job)")
    engine = obj.get("engine", c.get("engine", "compute"))
    if "engine" in obj:
        _enum(w, obj, "engine", ENGINES)
    if "mem" in obj and engine != "compute":
        w.err("key 'mem' is for compute jobs (CHECKSUM and FILL); this job is on the copy engine")
    check_work(w, obj, engine, "mem" in obj)
    if "deps" in obj:
        deps = obj["deps"]
        if not isinstance(deps, list) or not deps:
            w.err("key 'deps' is not a non-empty list of job ids")
        ids = {r["id"] for r in recs}
        seen = set()
        for d in deps:
            if not _is_int(d):
                w.err("key 'deps': %s is not a job id" % json.dumps(d))
            if d in seen:
                w.err("key 'deps': job %d is listed twice" % d)
            if d not in ids:
                w.err("key 'deps': job %d is not an earlier job of client %d" % (d, cid))
            seen.add(d)
    if "mem" in obj:
        _check_mem(w, obj["mem"], c)


def _each_object(w, items, key, most, noun, keys):
    """Key KEY's list of 1-MOST objects with exactly KEYS: (Where, object) each."""
    if not isinstance(items, list) or not 1 <= len(items) <= most:
        w.err("key '%s' is not a list of 1-%d %s" % (key, most, noun))
    for i, x in enumerate(items):
        wx = Where("%s: %s[%d]" % (w.what, key, i))
        if not isinstance(x, dict):
            wx.err("not a JSON object")
        _check_keys(wx, x, keys, keys)
        yield wx, x


def _check_managed(w, bufs):
    """A client's "managed": [{"id": N, "bytes": N}, ...]."""
    ids = set()
    for wb, b in _each_object(w, bufs, "managed", MAX_BUFS, "buffers", BUF_KEYS):
        bid = _int(wb, b, "id", 1, U31)
        _int(wb, b, "bytes", 1, 1 << 40, " (bytes)")
        if bid in ids:
            wb.err("buffer id %d is defined twice" % bid)
        ids.add(bid)


def _check_mem(w, ranges, c):
    """A job's "mem": ranges of its client's managed buffers."""
    bufs = {b["id"]: b["bytes"] for b in c.get("managed", [])}
    if not bufs:
        w.err("key 'mem': client %d has no managed buffers (its key 'managed')" % c["id"])
    for wr, r in _each_object(w, ranges, "mem", MAX_RANGES, "ranges", RANGE_KEYS):
        bid = _int(wr, r, "buf", 1, U31)
        off = _int(wr, r, "offset", 0, U63, " (bytes)")
        n = _int(wr, r, "bytes", 1, 0xffffffff, " (bytes)")
        op = _enum(wr, r, "op", ("read", "write"))
        if bid not in bufs:
            wr.err("key 'buf': %d is not a managed buffer of client %d" % (bid, c["id"]))
        if off > bufs[bid] or n > bufs[bid] - off:
            wr.err("offset %d + bytes %d is past the end of buffer %d (%d bytes)"
                   % (off, n, bid, bufs[bid]))
        if op == "write" and (off | n) & 3:
            wr.err("a write fills 32-bit words: offset and bytes are multiples of 4")


def _check_frame(w, obj, c, t):
    if "wait" in obj:
        _bool(w, obj, "wait")
    if "cpu_ns" in obj:
        _int(w, obj, "cpu_ns", 0, U63, " (nanoseconds)")
    jobs = obj.get("jobs", [])
    if not isinstance(jobs, list):
        w.err("key 'jobs' is not a list")
    for i, j in enumerate(jobs):
        wj = Where("%s: jobs[%d]" % (w.what, i))
        if not isinstance(j, dict):
            wj.err("not a JSON object")
        _check_keys(wj, j, WORK_KEYS)
        engine = j.get("engine", "compute")
        if "engine" in j:
            _enum(wj, j, "engine", ENGINES)
        check_work(wj, j, engine)


def check_file(path):
    with open_text(path) as f:
        try:
            return check_lines(f, os.path.basename(path))
        except (UnicodeDecodeError, EOFError, OSError, zlib.error) as e:
            raise BadTrace("%s: cannot read: %s" % (os.path.basename(path), e))


# ---------------------------------------------------------------------------
# Summary: what a checked trace holds, and how long it runs alone
# ---------------------------------------------------------------------------

def work_ns(rec, engine, clock):
    """The time of one piece of work as recorded: cost_ns as is, cycles at
    the header's clock (None without one), a copy's recorded_ns (None if
    not recorded)."""
    if engine == "copy":
        return rec.get("recorded_ns")
    if "cost_ns" in rec:
        return rec["cost_ns"]
    if "cycles" not in rec:     # a memory job without a cost: its ranges' time only
        return 0
    if clock:
        return rec["cycles"] * 1000 // clock
    return None


def head_refresh_ns(t, head):
    """The refresh period of @head as the header sets it up, or None."""
    h = t.heads.get(head, {})
    if "hz" in h:
        return 1e9 / h["hz"]
    return None


def simulate_alone(t, cid):
    """Each client alone on an otherwise idle GPU, costs as recorded: when
    its last work ends (ns), with a list of what could not be timed."""
    c = t.clients[cid]
    clock = t.header.get("clock_mhz")
    untimed = set()
    recs = t.records[cid]
    stop = t.header.get("duration_ns", U63)
    if "head" in c:
        period = head_refresh_ns(t, c["head"])
        if period is None:
            untimed.add("refresh rate of head %d not in the header" % c["head"])
            return None, untimed
        if c["sync"] == "vrr":
            rng = t.heads.get(c["head"], {}).get("vrr_hz")
            min_interval = 1e9 / rng[1] if rng else period
        now = 0.0
        latch = 0.0
        for fr in recs:
            if now >= stop:
                break
            now += fr.get("cpu_ns", 0)
            for j in fr.get("jobs", []):
                d = work_ns(j, j.get("engine", "compute"), clock)
                if d is None:
                    untimed.add("copies without recorded_ns" if j.get("engine") == "copy"
                                else "cycles without a header clock_mhz")
                    d = 0
                now += d
            if c["sync"] == "vsync":
                latch = (math.floor(now / period) + 1) * period
            else:
                latch = max(now, latch + min_interval)
            now = latch
        return int(latch), untimed
    inflight = c.get("inflight", 0)
    late = c.get("late", "run")
    engine_free = {}
    end = {}
    ends_in_order = []
    prev_end = 0
    last = 0
    for j in recs:
        engine = j.get("engine", c.get("engine", "compute"))
        arr = j["t_ns"] if "t_ns" in j else prev_end + j["after_prev_ns"]
        eligible = ends_in_order[-inflight] if inflight and len(ends_in_order) >= inflight else 0
        if "t_ns" in j and late == "skip" and eligible > j["t_ns"]:
            continue
        sub = max(arr, eligible)
        if sub >= stop:
            break
        start = max([sub, engine_free.get(engine, 0)] + [end[d] for d in j.get("deps", [])])
        d = work_ns(j, engine, clock)
        if d is None:
            untimed.add("copies without recorded_ns" if engine == "copy"
                        else "cycles without a header clock_mhz")
            d = 0
        if "mem" in j:
            untimed.add("managed-memory ranges (faults, migrations, reads: the driver's time)")
        e = start + d
        end[j["id"]] = e
        engine_free[engine] = e
        ends_in_order.append(e)
        ends_in_order.sort()
        prev_end = e
        last = max(last, e)
    return last, untimed


def fmt_ms(ns):
    return "%.3f ms" % (ns / 1e6)


def summarize(t, name, out):
    h = t.header
    njobs = sum(len(t.records[c]) for c in t.order if "head" not in t.clients[c])
    nframes = sum(len(t.records[c]) for c in t.order if "head" in t.clients[c])
    clock = h.get("clock_mhz")
    out.write("%s: nvgtrace %d%s, %d clients, %d jobs, %d frames; costs at %s\n" % (
        name, h["nvgtrace"], ", '%s'" % h["name"] if "name" in h else "",
        len(t.order), njobs, nframes,
        "%d MHz" % clock if clock else "the replaying chip's top clock"))
    if "duration_ns" in h:
        out.write("  duration: %s (no job or frame is submitted at or after it)\n" % fmt_ms(h["duration_ns"]))
    tot_compute = 0
    tot_copy = 0
    span = 0
    notes = set()
    for cid in t.order:
        c = t.clients[cid]
        recs = t.records[cid]
        desc = "client %d '%s'%s prio %s engine %s" % (
            cid, c["name"], " pid %d" % c["pid"] if "pid" in c else "",
            c.get("prio", "normal"), c.get("engine", "compute"))
        if "head" in c:
            desc += " game on head %d (%s)" % (c["head"], c["sync"])
            works = [(j, j.get("engine", "compute")) for fr in recs for j in fr.get("jobs", [])]
        else:
            if "inflight" in c:
                desc += " inflight %d" % c["inflight"]
            if "gpu" in c:
                desc += " gpu %d" % c["gpu"]
            if "late" in c:
                desc += " late %s" % c["late"]
            works = [(j, j.get("engine", c.get("engine", "compute"))) for j in recs]
        comp = [j for j, e in works if e == "compute"]
        copies = [j for j, e in works if e == "copy"]
        comp_ns = sum(work_ns(j, "compute", clock) or 0 for j in comp)
        cycles = sum(j["cycles"] for j in comp if "cycles" in j and not clock)
        rec_ns = sum(j.get("recorded_ns", 0) for j in copies)
        tot_compute += comp_ns
        tot_copy += rec_ns
        out.write("  %s\n" % desc)
        if "head" in c:
            out.write("    %d frames, %d waiting for pacing advice, CPU %s\n" % (
                len(recs), sum(1 for f in recs if f.get("wait")),
                fmt_ms(sum(f.get("cpu_ns", 0) for f in recs))))
        if "managed" in c:
            mem = [r for j in comp for r in j.get("mem", [])]
            out.write("    managed: %d buffers, %d bytes; %d jobs touch %d ranges: read %d bytes, "
                      "write %d bytes\n" % (
                          len(c["managed"]), sum(b["bytes"] for b in c["managed"]),
                          sum(1 for j in comp if "mem" in j), len(mem),
                          sum(r["bytes"] for r in mem if r["op"] == "read"),
                          sum(r["bytes"] for r in mem if r["op"] == "write")))
        line = "    %d compute jobs: %s" % (len(comp), fmt_ms(comp_ns))
        if cycles:
            line += " + %d cycles (no clock to time them)" % cycles
        out.write(line + "\n")
        if copies:
            by_dir = {}
            for j in copies:
                n, b = by_dir.get(j["dir"], (0, 0))
                by_dir[j["dir"]] = (n + 1, b + j["bytes"])
            out.write("    %d copy jobs: %s; recorded %s\n" % (
                len(copies), ", ".join("%s %d (%d bytes)" % (d, n, b)
                                       for d, (n, b) in sorted(by_dir.items())),
                fmt_ms(rec_ns)))
        e, untimed = simulate_alone(t, cid)
        notes |= untimed
        if e is None:
            out.write("    span alone: not computed\n")
        else:
            out.write("    span alone: %s\n" % fmt_ms(e))
            span = max(span, e)
    out.write("  total GPU time: compute %s, copies %s (recorded); span %s "
              "(each client alone on an idle GPU, costs as recorded)\n" % (
                  fmt_ms(tot_compute), fmt_ms(tot_copy), fmt_ms(span)))
    for n in sorted(notes):
        out.write("  not timed: %s\n" % n)


def cmd_check(args):
    rc = 0
    for path in args.files:
        try:
            t = check_file(path)
        except BadTrace as e:
            sys.stderr.write("%s: %s\n" % (PROG, e))
            rc = 1
            continue
        except OSError as e:
            sys.stderr.write("%s: %s: %s\n" % (PROG, path, e.strerror or e))
            rc = 1
            continue
        summarize(t, os.path.basename(path), sys.stdout)
        sys.stdout.write("%s: ok\n" % os.path.basename(path))
    return rc


# ---------------------------------------------------------------------------
# Kineto (PyTorch profiler) Chrome trace -> nvgtrace
# ---------------------------------------------------------------------------

GPU_CATS = ("kernel", "gpu_memcpy", "gpu_memset")
# Kineto names a copy "Memcpy KIND (SRC -> DST)"; CUPTI's kinds.
MEMCPY_RE = re.compile(r"^Memcpy (\w+) \(([\w ]+) -> ([\w ]+)\)$")
MEMCPY_DIRS = {"HtoD": "h2d", "DtoH": "d2h", "DtoD": "d2d",
               # between two GPUs: charged as a copy within one (traces/README.md)
               "PtoP": "d2d"}
HOST_MEM = {"Pinned": "pinned", "Pageable": "pageable"}


class Event:
    """One GPU activity from the trace, checked."""
    __slots__ = ("index", "cat", "name", "start_ns", "dur_ns", "stream", "device",
                 "bytes", "dir", "host_mem", "correlation")


def us_to_ns(v):
    """Kineto's microseconds (exact decimals from the file) to integer ns."""
    return int((v * 1000).to_integral_value())


def _event_err(i, ev, msg):
    cat = ev.get("cat") if isinstance(ev, dict) else None
    nm = ev.get("name") if isinstance(ev, dict) else None
    label = "event %d" % i
    if isinstance(cat, str):
        label += " (%s" % cat
        if isinstance(nm, str):
            label += " '%s'" % (nm if len(nm) <= 60 else nm[:57] + "...")
        label += ")"
    return BadInput("%s: %s" % (label, msg))


def _num(i, ev, obj, key, where=""):
    if key not in obj:
        raise _event_err(i, ev, "missing field '%s%s'" % (where, key))
    v = obj[key]
    if isinstance(v, bool) or not isinstance(v, (int, Decimal)):
        raise _event_err(i, ev, "field '%s%s' is not a number: %s" % (
            where, key, json.dumps(v, default=str)[:40]))
    return Decimal(v)


def _int_field(i, ev, obj, key, where, lo=0):
    v = _num(i, ev, obj, key, where)
    if v != v.to_integral_value() or v < lo:
        raise _event_err(i, ev, "field '%s%s' is not an integer >= %d: %s" % (where, key, lo, v))
    return int(v)


def parse_gpu_event(i, ev):
    """Event @i of cat kernel/gpu_memcpy/gpu_memset: checked, or BadInput."""
    e = Event()
    e.index = i
    e.cat = ev["cat"]
    name = ev.get("name")
    if not isinstance(name, str):
        raise _event_err(i, ev, "missing field 'name'" if "name" not in ev
                         else "field 'name' is not a string")
    e.name = name
    if ev.get("ph") != "X":
        raise _event_err(i, ev, "field 'ph' is %s, expected \"X\" (a complete event)"
                         % json.dumps(ev.get("ph"), default=str))
    ts = _num(i, ev, ev, "ts")
    dur = _num(i, ev, ev, "dur")
    if dur < 0:
        raise _event_err(i, ev, "field 'dur' is negative: %s" % dur)
    e.start_ns = us_to_ns(ts)
    e.dur_ns = us_to_ns(dur)
    args = ev.get("args")
    if not isinstance(args, dict):
        raise _event_err(i, ev, "missing field 'args'" if args is None
                         else "field 'args' is not an object")
    e.stream = _int_field(i, ev, args, "stream", "args.")
    e.device = _int_field(i, ev, args, "device", "args.")
    e.correlation = None
    if "correlation" in args:
        e.correlation = _int_field(i, ev, args, "correlation", "args.")
    e.bytes = e.dir = e.host_mem = None
    if e.cat == "gpu_memcpy":
        m = MEMCPY_RE.fullmatch(name)
        if not m:
            raise _event_err(i, ev, "field 'name' is not \"Memcpy KIND (SRC -> DST)\"")
        kind, src, dst = m.groups()
        if kind not in MEMCPY_DIRS:
            raise _event_err(i, ev, "unknown memcpy kind '%s' (known: %s)"
                             % (kind, ", ".join(MEMCPY_DIRS)))
        e.dir = MEMCPY_DIRS[kind]
        host = src if e.dir == "h2d" else dst if e.dir == "d2h" else None
        if host is not None:
            e.host_mem = HOST_MEM.get(host)
    elif e.cat == "gpu_memset":
        e.dir = "fill"
    if e.cat != "kernel":
        e.bytes = _int_field(i, ev, args, "bytes", "args.")
    return e


def _no_constant(c):
    raise ValueError("%s is not a number JSON allows" % c)


def load_kineto(path):
    try:
        with open_text(path) as f:
            data = json.load(f, parse_float=Decimal, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        raise BadInput("not valid JSON (truncated?): line %d column %d: %s"
                       % (e.lineno, e.colno, e.msg))
    except (EOFError, zlib.error, gzip.BadGzipFile) as e:
        raise BadInput("cannot decompress (truncated?): %s" % e)
    except UnicodeDecodeError as e:
        raise BadInput("not UTF-8 text: %s" % e)
    except ValueError as e:
        raise BadInput("not valid JSON: %s" % e)
    if not isinstance(data, dict):
        raise BadInput("not a Chrome trace: the top level is not a JSON object")
    if "traceEvents" not in data:
        raise BadInput("not a Chrome trace: no 'traceEvents'")
    if not isinstance(data["traceEvents"], list):
        raise BadInput("'traceEvents' is not a list")
    return data


def meta_path(path):
    """NAME.meta.json beside NAME.trace.json[.gz] or NAME.json[.gz]."""
    base = path[:-3] if path.endswith(".gz") else path
    base = base[:-5] if base.endswith(".json") else base
    base = base[:-6] if base.endswith(".trace") else base
    return base + ".meta.json"


def clock_from_meta(path):
    """(MHz, where it came from) from record.py's metadata, or None if there
    is no metadata file. A metadata file without the clock is an error."""
    mp = meta_path(path)
    if not os.path.exists(mp):
        return None
    try:
        with open(mp, encoding="utf-8") as f:
            meta = json.load(f)
    except (OSError, ValueError) as e:
        raise BadInput("%s: cannot read: %s" % (mp, e))
    try:
        v = meta["clocks_during_window"]["sm_mhz"]["median"]
    except (KeyError, TypeError):
        raise BadInput("%s: no 'clocks_during_window.sm_mhz.median' "
                       "(give the clock with --gpu-clock-mhz)" % mp)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not 1 <= v <= 100000:
        raise BadInput("%s: 'clocks_during_window.sm_mhz.median' is not a clock: %r" % (mp, v))
    return int(round(v)), "%s clocks_during_window.sm_mhz.median" % os.path.basename(mp)


def default_name(path):
    b = os.path.basename(path)
    for suf in (".gz", ".json", ".trace"):
        if b.endswith(suf):
            b = b[:-len(suf)]
    b = re.sub(r"[^A-Za-z0-9_.-]", "_", b)
    return b or "trace"


def convert_kineto(path, clock_mhz=None, device=None, name=None, prio="normal",
                   skip_bad=False, warn=None):
    """The nvgtrace lines of Kineto trace @path; raises BadInput."""
    if clock_mhz is None:
        got = clock_from_meta(path)
        if got is None:
            raise BadInput("no clock: no %s beside the trace; give the clock the "
                           "kernels ran at with --gpu-clock-mhz N"
                           % os.path.basename(meta_path(path)))
        clock_mhz, clock_src = got
    else:
        clock_src = "--gpu-clock-mhz"
    data = load_kineto(path)
    events = data["traceEvents"]
    gpu = []
    ignored = {}
    bad = []
    for i, ev in enumerate(events):
        if not isinstance(ev, dict):
            err = BadInput("event %d: not a JSON object" % i)
            if not skip_bad:
                raise err
            bad.append(str(err))
            continue
        cat = ev.get("cat")
        if cat in GPU_CATS:
            try:
                gpu.append(parse_gpu_event(i, ev))
            except BadInput as err:
                if not skip_bad:
                    raise
                bad.append(str(err))
        else:
            key = cat if isinstance(cat, str) else "(no cat, ph %s)" % ev.get("ph")
            ignored[key] = ignored.get(key, 0) + 1
    devices = sorted({e.device for e in gpu})
    if not gpu:
        raise BadInput("no GPU work: no event of cat %s%s" % (
            ", ".join(GPU_CATS), " that could be read" if bad else ""))
    if device is None:
        if len(devices) > 1:
            raise BadInput("GPU work on devices %s: choose one with --device N"
                           % ", ".join(map(str, devices)))
        device = devices[0]
    other = [e for e in gpu if e.device != device]
    gpu = [e for e in gpu if e.device == device]
    if not gpu:
        raise BadInput("no GPU work on device %d (devices with work: %s)"
                       % (device, ", ".join(map(str, devices))))
    # The launching process: the runtime/driver call with the same correlation.
    pid_of = {}
    for ev in events:
        if (isinstance(ev, dict) and ev.get("cat") in ("cuda_runtime", "cuda_driver")
                and isinstance(ev.get("args"), dict)):
            c = ev["args"].get("correlation")
            p = ev.get("pid")
            if _is_int(c) and _is_int(p) and p > 0:
                pid_of.setdefault(c, p)
    t0 = min(e.start_ns for e in gpu)
    streams = sorted({e.stream for e in gpu})
    prefix = name or default_name(path)
    clients = []
    jobs = []
    overlaps = 0
    overlap_ns = 0
    for cid, s in enumerate(streams, 1):
        evs = sorted((e for e in gpu if e.stream == s), key=lambda e: (e.start_ns, e.index))
        suffix = ".s%d" % s
        cname = prefix[:31 - len(suffix)] + suffix
        c = {"type": "client", "id": cid, "name": cname}
        pids = [pid_of[e.correlation] for e in evs if e.correlation in pid_of]
        if pids:
            c["pid"] = max(set(pids), key=pids.count)
        c["prio"] = prio
        c["engine"] = "compute"
        clients.append(c)
        prev_end = None
        for jid, e in enumerate(evs, 1):
            j = {"type": "job", "client": cid, "id": jid}
            if prev_end is None:
                j["t_ns"] = e.start_ns - t0
            else:
                gap = e.start_ns - prev_end
                if gap < 0:
                    overlaps += 1
                    overlap_ns += -gap
                    gap = 0
                j["after_prev_ns"] = gap
            if e.cat == "kernel":
                j["cost_ns"] = e.dur_ns
            else:
                j["engine"] = "copy"
                j["bytes"] = e.bytes
                j["dir"] = e.dir
                if e.host_mem:
                    j["host_mem"] = e.host_mem
                j["recorded_ns"] = e.dur_ns
            jobs.append(j)
            # One stream runs in order: the next starts after this one ends
            # (or after the latest end so far, if kernels overlapped).
            end = e.start_ns + e.dur_ns
            prev_end = end if prev_end is None else max(prev_end, end)
    src = {"format": "kineto", "file": os.path.basename(path), "device": device}
    props = data.get("deviceProperties")
    if isinstance(props, list):
        for p in props:
            if isinstance(p, dict) and p.get("id") == device and isinstance(p.get("name"), str):
                src["device_name"] = p["name"]
    src["clock_from"] = clock_src
    src["t0_us"] = str(Decimal(t0) / 1000)
    base = data.get("baseTimeNanoseconds")
    if _is_int(base):
        src["base_time_ns"] = base
    src["streams"] = streams
    src["kernels"] = sum(1 for e in gpu if e.cat == "kernel")
    src["memcpys"] = sum(1 for e in gpu if e.cat == "gpu_memcpy")
    src["memsets"] = sum(1 for e in gpu if e.cat == "gpu_memset")
    src["overlaps"] = overlaps
    src["overlap_ns"] = overlap_ns
    if other:
        src["other_devices_events"] = len(other)
    if bad:
        src["skipped_bad"] = len(bad)
    src["ignored"] = dict(sorted(ignored.items()))
    header = {"nvgtrace": VERSION, "name": prefix, "clock_mhz": clock_mhz, "source": src}
    if warn:
        for m in bad[:5]:
            warn("skipped %s" % m)
        if bad:
            warn("skipped %d bad GPU event(s) (--skip-bad)" % len(bad))
        if other:
            warn("left out %d GPU event(s) of other devices (--device %d)"
                 % (len(other), device))
        if overlaps:
            warn("%d job(s) started before the previous one on their stream ended "
                 "(%d ns in all): replayed one after the other" % (overlaps, overlap_ns))
    return [dumps(header)] + [dumps(c) for c in clients] + [dumps(j) for j in jobs]


def cmd_kineto(args):
    def warn(m):
        sys.stderr.write("%s: %s: %s\n" % (PROG, args.input, m))
    try:
        lines = convert_kineto(args.input, args.gpu_clock_mhz, args.device, args.name,
                               args.prio, args.skip_bad, warn)
        # What we write must pass our own check.
        t = check_lines((line + "\n" for line in lines), os.path.basename(args.output))
    except BadInput as e:
        die("%s: %s" % (args.input, e))
    except BadTrace as e:
        die("internal error: the converted trace fails its check: %s" % e)
    except OSError as e:
        die("%s: %s" % (args.input, e.strerror or e))
    try:
        write_lines(args.output, lines)
    except OSError as e:
        die("%s: %s" % (args.output, e.strerror or e))
    n = sum(len(r) for r in t.records.values())
    sys.stderr.write("%s: %s: %d clients, %d jobs -> %s\n"
                     % (PROG, args.input, len(t.order), n, args.output))
    return 0


# ---------------------------------------------------------------------------
# nvgbench command line -> nvgtrace (tools/nvgbench.c's client shapes)
# ---------------------------------------------------------------------------

# kind: period_ms, cost_ms, in flight, priority (tools/nvgbench.c: kinds[])
NVGBENCH_KINDS = {
    "interactive": (10.0, 1.0, 1, "normal"),
    "heavy": (0, 2.5, 2, "normal"),
    "veryheavy": (0, 50.0, 2, "normal"),
    "hog": (0, 50.0, 2, "low"),
    "game": (0, 4.0, 1, "normal"),
    "mem": (0, 0, 1, "normal"),
}
MEM_PATTERNS = ("seq", "cyclic", "random", "hotcold", "strided", "llm")
# The monitor each head starts with (docs/architecture.md, "Connectors and
# monitors") and its preferred refresh rate: what nvgbench's game gets
# without hz=.
DEFAULT_HZ = {0: 165}
JITTER_SEED = 0x6e7667686f737421
M64 = (1 << 64) - 1


def _ms(arg, v, what, allow_zero=False):
    try:
        x = float(v)
    except ValueError:
        x = float("nan")
    ok = (x >= 0 if allow_zero else x > 0) and x <= 60000
    if not ok:
        raise BadInput("client '%s': bad %s '%s' (milliseconds, %s)"
                       % (arg, what, v, ">= 0" if allow_zero else "> 0"))
    return x


def parse_nvgbench_client(arg):
    parts = arg.split(",")
    kind, _, name = parts[0].partition(":")
    if kind not in NVGBENCH_KINDS:
        raise BadInput("client '%s': unknown kind '%s' (%s)"
                       % (arg, kind, ", ".join(NVGBENCH_KINDS)))
    period, cost, inflight, prio = NVGBENCH_KINDS[kind]
    c = {"kind": kind, "name": name, "period": period, "cost": cost,
         "inflight": inflight, "prio": prio, "head": 0, "hz": 0, "jitter": 0.0,
         "sync": "vsync", "vrr": None, "wait": False, "cpu": 0.0}
    if name and not NAME_RE.fullmatch(name):
        raise BadInput("client '%s': name '%s' must be 1-31 characters of [A-Za-z0-9_.-]"
                       % (arg, name))
    if parts[0].endswith(":"):
        raise BadInput("client '%s': empty name" % arg)
    for opt in parts[1:]:
        k, eq, v = opt.partition("=")
        if not eq:
            raise BadInput("client '%s': unknown option '%s'" % (arg, opt))
        if kind == "mem" or k in ("pattern", "ws", "passes"):
            _mem_opt(arg, kind, c, k, v)
            continue
        if k == "period":
            if kind != "interactive":
                raise BadInput("client '%s': period= is for interactive clients only" % arg)
            c["period"] = _ms(arg, v, "period")
        elif k == "cost":
            c["cost"] = _ms(arg, v, "cost")
        elif k == "prio":
            if v not in PRIOS:
                raise BadInput("client '%s': bad prio '%s' (low, normal, high)" % (arg, v))
            c["prio"] = v
        elif k in ("head", "hz", "jitter", "sync", "vrr", "wait", "cpu"):
            if kind != "game":
                raise BadInput("client '%s': %s= is for game clients only" % (arg, k))
            # sync=, vrr=, wait= and cpu= are the generator's own (nvgbench's
            # game is vsync'd, never waits, spends no CPU time): the frame
            # keys of FORMAT.md that nvgbench cannot express.
            if k == "sync":
                if v not in SYNCS:
                    raise BadInput("client '%s': bad sync '%s' (%s)" % (arg, v, ", ".join(SYNCS)))
                c["sync"] = v
            elif k == "vrr":
                m = re.fullmatch(r"([0-9]{1,4})-([0-9]{1,4})", v)
                if not m or not 1 <= int(m.group(1)) < int(m.group(2)) <= 1000:
                    raise BadInput("client '%s': bad vrr '%s' (MIN-MAX Hz, 1 <= MIN < MAX <= 1000)"
                                   % (arg, v))
                c["vrr"] = [int(m.group(1)), int(m.group(2))]
            elif k == "wait":
                if v not in ("0", "1"):
                    raise BadInput("client '%s': bad wait '%s' (0 or 1)" % (arg, v))
                c["wait"] = v == "1"
            elif k == "cpu":
                c["cpu"] = _ms(arg, v, "cpu", allow_zero=True)
            elif k == "jitter":
                c["jitter"] = _ms(arg, v, "jitter", allow_zero=True)
            else:
                lo, hi = (0, MAX_HEADS - 1) if k == "head" else (1, 1000)
                if not re.fullmatch(r"[0-9]{1,4}", v) or not lo <= int(v) <= hi:
                    raise BadInput("client '%s': bad %s '%s' (%d-%d)" % (arg, k, v, lo, hi))
                c[k] = int(v)
        else:
            raise BadInput("client '%s': unknown option '%s'" % (arg, opt))
    if kind == "mem" and ("pattern" not in c or "ws" not in c or "passes" not in c):
        raise BadInput("client '%s': a mem client in a trace needs pattern=, ws= and passes= "
                       "(how many jobs fit in -t is the device's to say)" % arg)
    if c["vrr"] and c["sync"] != "vrr":
        raise BadInput("client '%s': vrr= goes with sync=vrr" % arg)
    if kind == "game" and c["jitter"] >= c["cost"]:
        raise BadInput("client '%s': jitter (%g ms) must be less than cost (%g ms)"
                       % (arg, c["jitter"], c["cost"]))
    return c


def _mem_opt(arg, kind, c, k, v):
    """A mem client's option (nvgbench.c: parse_mem_opt())."""
    if kind != "mem":
        raise BadInput("client '%s': %s= is for mem clients only" % (arg, k))
    if k == "pattern":
        if v not in MEM_PATTERNS:
            raise BadInput("client '%s': unknown pattern '%s' (%s)"
                           % (arg, v, ", ".join(MEM_PATTERNS)))
        c["pattern"] = v
    elif k == "ws":
        m = re.fullmatch(r"([0-9]{1,7})(%?)", v)
        if not m or not (1 <= int(m.group(1)) <= (10000 if m.group(2) else 1048576)):
            raise BadInput("client '%s': bad ws '%s' (MiB, 1-1048576, or a share of "
                           "uvm_vram_mb, 1%%-10000%%)" % (arg, v))
        c["ws"] = (int(m.group(1)), bool(m.group(2)))
    elif k == "passes":
        if not re.fullmatch(r"[0-9]{1,7}", v) or not 1 <= int(v) <= 1000000:
            raise BadInput("client '%s': bad passes '%s' (1-1000000)" % (arg, v))
        c["passes"] = int(v)
    elif k == "prio":
        if v not in PRIOS:
            raise BadInput("client '%s': bad prio '%s' (low, normal, high)" % (arg, v))
        c["prio"] = v
    else:
        raise BadInput("client '%s': unknown option '%s=%s' (pattern=, ws=, passes=, prio=)"
                       % (arg, k, v))


MP_CHUNK = 2 << 20
MP_PAGE = 64 << 10
MP_OPS = 64
MP_SEED = 88172645463325252


def mempat_jobs(pattern, ws, passes):
    """tools/mempat.h's jobs (the same ranges, the same random numbers, as
    nvgbench's mem client; tests/unit/test_nvgtrace.c checks the shipped
    trace against mempat.h): (buffer sizes, a list of jobs, each a list of
    (buffer index, write, offset, bytes))."""
    sizes = [ws]
    if pattern == "llm":
        sizes = [ws - ws // 4, ws // 4]
    if pattern == "seq":
        passes = 1
    nchunks = sizes[0] // MP_CHUNK
    if not nchunks:
        raise BadInput("ws of %d bytes: the %s pattern needs at least one 2 MiB chunk"
                       % (ws, pattern))
    rng = [MP_SEED]

    def rnd():
        x = rng[0]
        x ^= (x << 13) & M64
        x ^= x >> 7
        x ^= (x << 17) & M64
        rng[0] = x
        return x
    jobs, ops, kv_used, kv_step = [], [], 0, MP_CHUNK // 8
    for p in range(passes):
        for i in range(nchunks):
            c = i
            if pattern == "random":
                c = rnd() % nchunks
            elif pattern == "hotcold":
                c = rnd() % (max(nchunks // 10, 1)) if rnd() % 10 else rnd() % nchunks
            if pattern == "strided":
                ops += [(0, False, c * MP_CHUNK + k * MP_PAGE, MP_PAGE)
                        for k in range(0, MP_CHUNK // MP_PAGE, 4)]
            else:
                ops.append((0, False, c * MP_CHUNK, MP_CHUNK))
            if i + 1 == nchunks:
                if pattern == "llm":
                    if kv_used + kv_step <= sizes[1]:
                        ops.append((1, True, kv_used, kv_step))
                        kv_used += kv_step
                    o = 0
                    while o < kv_used and len(ops) < MP_OPS:
                        ops.append((1, False, o, min(kv_used - o, MP_CHUNK)))
                        o += MP_CHUNK
                jobs.append(ops)
                ops = []
            elif len(ops) + 8 > MP_OPS:
                jobs.append(ops)
                ops = []
    return sizes, jobs


def name_nvgbench_clients(cs):
    """As nvgbench's name_clients(): after the kind, numbered if it repeats."""
    for c in cs:
        if c["name"]:
            continue
        same = sum(1 for o in cs if o["kind"] == c["kind"])
        if same == 1:
            c["name"] = c["kind"]
            continue
        n = 1
        while any(o["name"] == "%s%d" % (c["kind"], n) for o in cs):
            n += 1
        c["name"] = "%s%d" % (c["kind"], n)
    seen = set()
    for c in cs:
        if c["name"] in seen:
            raise BadInput("two clients are named '%s'" % c["name"])
        seen.add(c["name"])


def xorshift_unit(state):
    """nvgbench's rng_unit(): (new state, uniform in [0, 1))."""
    x = state
    x ^= x >> 12
    x ^= (x << 25) & M64
    x ^= x >> 27
    return x, (((x * 0x2545f4914f6cdd1d) & M64) >> 11) / 9007199254740992.0


def convert_nvgbench(clients, seconds, name, command, uvm_vram_mb=None):
    if not clients:
        raise BadInput("no clients given (see nvgbench -h)")
    if len(clients) > 16:
        raise BadInput("at most 16 clients")
    cs = [parse_nvgbench_client(a) for a in clients]
    if sum(1 for c in cs if c["kind"] == "game") > 1:
        raise BadInput("at most one game client (nvgbench: it must be DRM master)")
    name_nvgbench_clients(cs)
    if not 0 < seconds <= 3600:
        raise BadInput("-t: %g is not a duration in seconds (0 < t <= 3600)" % seconds)
    dur = int(round(seconds * 1e9))
    header = {"nvgtrace": VERSION, "name": name, "duration_ns": dur,
              "source": {"format": "nvgbench", "command": command}}
    game = [c for c in cs if c["kind"] == "game"]
    if game and (game[0]["hz"] or game[0]["vrr"]):
        head = {"head": game[0]["head"]}
        if game[0]["hz"]:
            head["hz"] = game[0]["hz"]
        if game[0]["vrr"]:
            head["vrr_hz"] = game[0]["vrr"]
        header["device"] = {"heads": [head]}
    if uvm_vram_mb is not None:
        header.setdefault("device", {})["uvm_vram_mb"] = uvm_vram_mb
    out = [header]
    recs = []
    for c in cs:
        if c["kind"] == "mem" and c["ws"][1]:
            if not uvm_vram_mb:
                raise BadInput("client '%s': ws=%d%% is a share of the managed-memory budget: "
                               "give --uvm-vram-mb N (not 0)" % (c["name"], c["ws"][0]))
            c["ws"] = (max((uvm_vram_mb * c["ws"][0] + 50) // 100, 1), False)
    for cid, c in enumerate(cs, 1):
        cost_ns = int(round(c["cost"] * 1e6))
        rec = {"type": "client", "id": cid, "name": c["name"], "prio": c["prio"],
               "engine": "compute"}
        if c["kind"] == "interactive":
            # A frame every period; a late frame makes the next one start at
            # the next period boundary not yet past (run_interactive()).
            rec.update(inflight=1, late="skip")
            period = int(round(c["period"] * 1e6))
            for k in range(-(-dur // period)):
                recs.append({"type": "job", "client": cid, "id": k + 1, "t_ns": k * period,
                             "cost_ns": cost_ns})
        elif c["kind"] == "mem":
            # mempat.h's jobs back to back, one in flight (nvgbench's run_mem())
            sizes, jobs = mempat_jobs(c["pattern"], c["ws"][0] << 20, c["passes"])
            rec.update(inflight=1, managed=[{"id": b + 1, "bytes": n}
                                            for b, n in enumerate(sizes)])
            for k, ops in enumerate(jobs):
                recs.append({"type": "job", "client": cid, "id": k + 1, "t_ns": 0, "mem": [
                    {"buf": b + 1, "offset": off, "bytes": n, "op": "write" if w else "read"}
                    for b, w, off, n in ops]})
        elif c["kind"] == "game":
            rec.update(head=c["head"], sync=c["sync"])
            hz = c["hz"] or DEFAULT_HZ.get(c["head"], 60)
            if c["vrr"]:
                hz = max(hz, c["vrr"][1])
            # At most one frame a refresh (vsync; VRR: at its top rate), and one to spare.
            frames = int(math.ceil(seconds * hz)) + 1
            state = (JITTER_SEED ^ ((cid * 0x9e3779b97f4a7c15) & M64)) & M64
            for k in range(frames):
                cns = cost_ns
                if c["jitter"] > 0:
                    state, u = xorshift_unit(state)
                    cns = int(round((c["cost"] + c["jitter"] * (2 * u - 1)) * 1e6))
                    cns = max(cns, 1)
                fr = {"type": "frame", "client": cid, "id": k + 1}
                if c["wait"]:
                    fr["wait"] = True
                if c["cpu"] > 0:
                    fr["cpu_ns"] = int(round(c["cpu"] * 1e6))
                fr["jobs"] = [{"cost_ns": cns}]
                recs.append(fr)
        else:
            # Back to back, inflight in flight, until the end (run_backtoback()):
            # as many as fit alone, and the ones in flight at the end.
            rec.update(inflight=c["inflight"])
            n = -(-dur // cost_ns) + c["inflight"]
            for k in range(n):
                recs.append({"type": "job", "client": cid, "id": k + 1, "t_ns": 0,
                             "cost_ns": cost_ns})
        out.append(rec)
    return [dumps(o) for o in out + recs]


def cmd_nvgbench(args):
    name = args.name or default_name(args.output).replace(".jsonl", "")
    command = "nvgbench -t %g %s" % (args.t, " ".join(args.clients))
    try:
        lines = convert_nvgbench(args.clients, args.t, name, command, args.uvm_vram_mb)
        check_lines((line + "\n" for line in lines), os.path.basename(args.output))
    except BadInput as e:
        die(str(e))
    except BadTrace as e:
        die("internal error: the trace fails its check: %s" % e)
    try:
        write_lines(args.output, lines)
    except OSError as e:
        die("%s: %s" % (args.output, e.strerror or e))
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog=PROG, description="Write, import and check nvghost workload traces "
        "(traces/FORMAT.md).")
    sub = ap.add_subparsers(dest="cmd", metavar="COMMAND")
    sub.required = True
    k = sub.add_parser("kineto", help="convert a PyTorch profiler (Kineto) Chrome trace")
    k.add_argument("input", metavar="IN.json[.gz]")
    k.add_argument("-o", "--output", required=True, metavar="OUT.jsonl[.gz]")
    k.add_argument("--gpu-clock-mhz", type=int, metavar="N",
                   help="the SM clock the kernels ran at (default: the median "
                   "from NAME.meta.json beside the trace)")
    k.add_argument("--device", type=int, metavar="N",
                   help="the CUDA device to convert (needed if the trace has several)")
    k.add_argument("--name", metavar="NAME",
                   help="trace name and client name prefix (default: from IN)")
    k.add_argument("--prio", choices=PRIOS, default="normal",
                   help="priority class of every client (default normal)")
    k.add_argument("--skip-bad", action="store_true",
                   help="skip malformed GPU events with a warning instead of failing")
    b = sub.add_parser("nvgbench", help="the trace of an nvgbench command line")
    b.add_argument("-t", type=float, default=5.0, metavar="SECONDS",
                   help="how long clients submit work (default 5)")
    b.add_argument("-o", "--output", required=True, metavar="OUT.jsonl")
    b.add_argument("--name", metavar="NAME", help="trace name (default: from OUT)")
    b.add_argument("--uvm-vram-mb", type=int, metavar="N",
                   help="the managed-memory budget the trace needs (its header's "
                   "device.uvm_vram_mb; mem clients' ws=PCT%% is a share of it)")
    b.add_argument("clients", nargs="+", metavar="CLIENT",
                   help="kind[:name][,period=MS][,cost=MS][,prio=P][,head=N][,hz=HZ]"
                   "[,jitter=MS], or mem[:name],pattern=P,ws=MIB|PCT%%,passes=N, as nvgbench")
    c = sub.add_parser("check", help="validate traces and print a summary")
    c.add_argument("files", nargs="+", metavar="FILE.jsonl[.gz]")
    args = ap.parse_args(argv)
    if args.cmd == "kineto":
        if args.gpu_clock_mhz is not None and not 1 <= args.gpu_clock_mhz <= 100000:
            ap.error("--gpu-clock-mhz: %d is not a clock in MHz (1-100000)" % args.gpu_clock_mhz)
        if args.name is not None and not NAME_RE.fullmatch(args.name):
            ap.error("--name: '%s' must be 1-31 characters of [A-Za-z0-9_.-]" % args.name)
        return cmd_kineto(args)
    if args.cmd == "nvgbench":
        return cmd_nvgbench(args)
    return cmd_check(args)


if __name__ == "__main__":
    sys.exit(main())
