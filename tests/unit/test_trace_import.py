#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host tests of tools/nvgtrace_import.py and the shipped traces: the Kineto
converter (a hand-written trace to exact output, every kind of malformed
input), the format checker (each kind of bad trace), the nvgbench shapes,
and that the files under traces/ are what the documented commands write.

Run: python3 tests/unit/test_trace_import.py   (one PASS/FAIL line per test
and a last line "python unit: N passed, M failed"; scripts/run-tests.sh
counts it). NVGTRACE_IMPORT=PATH tests another copy of the tool.
"""
import contextlib
import copy
import gzip
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOOL = os.environ.get("NVGTRACE_IMPORT", os.path.join(ROOT, "tools", "nvgtrace_import.py"))
REAL = os.path.join(ROOT, "traces", "real", "h100-2026-12-06")
SYNTH = os.path.join(ROOT, "traces", "synthetic")

sys.dont_write_bytecode = True      # no tools/__pycache__ in the tree
_spec = importlib.util.spec_from_file_location("nvgtrace_import", TOOL)
nt = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nt)


def run_tool(*argv):
    """main(argv) in this process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = nt.main(list(argv))
        except SystemExit as e:
            rc = e.code
    return rc, out.getvalue(), err.getvalue()


def ev_kernel(name, ts, dur, stream, corr, device=0):
    return {"ph": "X", "cat": "kernel", "name": name, "pid": device, "tid": stream,
            "ts": ts, "dur": dur,
            "args": {"External id": corr, "queued": 0, "device": device, "context": 1,
                     "stream": stream, "correlation": corr, "grid": [1, 1, 1],
                     "block": [32, 1, 1]}}


def ev_copy(cat, name, ts, dur, stream, corr, nbytes, device=0):
    return {"ph": "X", "cat": cat, "name": name, "pid": device, "tid": stream,
            "ts": ts, "dur": dur,
            "args": {"device": device, "context": 1, "stream": stream,
                     "correlation": corr, "bytes": nbytes,
                     "memory bandwidth (GB/s)": 1.0}}


def ev_runtime(name, ts, corr, pid=4242):
    return {"ph": "X", "cat": "cuda_runtime", "name": name, "pid": pid, "tid": pid,
            "ts": ts, "dur": 2, "args": {"correlation": corr}}


# Two streams (7 and 13), kernels, a pageable HtoD and a pinned DtoH copy,
# a memset, gaps; the file lists them out of order, with CPU events, flow
# events and metadata around them, as Kineto does.
TINY_EVENTS = [
    {"name": "process_name", "ph": "M", "ts": 999, "pid": 0, "tid": 0,
     "args": {"name": "python3"}},
    {"ph": "X", "cat": "cpu_op", "name": "aten::mm", "pid": 4242, "tid": 4242,
     "ts": 990, "dur": 5, "args": {}},
    ev_runtime("cudaLaunchKernel", 995, 1),
    ev_kernel("k_a", 1000.000, 10.5, 7, 1),
    ev_kernel("k_c", 1005.0, 100.0, 13, 5),
    ev_runtime("cudaMemcpyAsync", 1001, 2),
    ev_copy("gpu_memcpy", "Memcpy HtoD (Pageable -> Device)", 1012.000, 2.25, 7, 2, 4096),
    ev_copy("gpu_memcpy", "Memcpy DtoH (Device -> Pinned)", 1030.0, 1.5, 7, 4, 8),
    ev_kernel("k_b", 1020.125, 3.0, 7, 3),
    {"ph": "s", "cat": "ac2g", "name": "ac2g", "id": 1, "pid": 4242, "tid": 4242,
     "ts": 995, "bp": "e"},
    ev_copy("gpu_memset", "Memset (Device)", 1200.0, 0.75, 13, 6, 64),
    ev_kernel("k_d", 1300.5, 0.001, 13, 7),
    ev_runtime("cudaLaunchKernel", 1002, 5),
]


def tiny_trace(events=None):
    return {"schemaVersion": 1,
            "deviceProperties": [{"id": 0, "name": "Test GPU", "numSms": 4}],
            "baseTimeNanoseconds": 1700000000000000000,
            "traceEvents": copy.deepcopy(TINY_EVENTS if events is None else events)}


TINY_EXPECTED = [
    {"nvgtrace": 1, "name": "tiny", "clock_mhz": 1500,
     "source": {"format": "kineto", "file": "tiny.json", "device": 0,
                "device_name": "Test GPU", "clock_from": "--gpu-clock-mhz",
                "t0_us": "1000", "base_time_ns": 1700000000000000000,
                "streams": [7, 13], "kernels": 4, "memcpys": 2, "memsets": 1,
                "overlaps": 0, "overlap_ns": 0,
                "ignored": {"(no cat, ph M)": 1, "ac2g": 1, "cpu_op": 1,
                            "cuda_runtime": 3}}},
    {"type": "client", "id": 1, "name": "tiny.s7", "pid": 4242, "prio": "normal",
     "engine": "compute"},
    {"type": "client", "id": 2, "name": "tiny.s13", "pid": 4242, "prio": "normal",
     "engine": "compute"},
    {"type": "job", "client": 1, "id": 1, "t_ns": 0, "cost_ns": 10500},
    {"type": "job", "client": 1, "id": 2, "after_prev_ns": 1500, "engine": "copy",
     "bytes": 4096, "dir": "h2d", "host_mem": "pageable", "recorded_ns": 2250},
    {"type": "job", "client": 1, "id": 3, "after_prev_ns": 5875, "cost_ns": 3000},
    {"type": "job", "client": 1, "id": 4, "after_prev_ns": 6875, "engine": "copy",
     "bytes": 8, "dir": "d2h", "host_mem": "pinned", "recorded_ns": 1500},
    {"type": "job", "client": 2, "id": 1, "t_ns": 5000, "cost_ns": 100000},
    {"type": "job", "client": 2, "id": 2, "after_prev_ns": 95000, "engine": "copy",
     "bytes": 64, "dir": "fill", "recorded_ns": 750},
    {"type": "job", "client": 2, "id": 3, "after_prev_ns": 99750, "cost_ns": 1},
]


class TmpDir(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="nvgtrace-test-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def write_json(self, name, obj, gz=False):
        p = self.path(name)
        data = json.dumps(obj).encode()
        with (gzip.open(p, "wb") if gz else open(p, "wb")) as f:
            f.write(data)
        return p

    def read_lines(self, p):
        with nt.open_text(p) as f:
            return f.read().splitlines()

    def convert(self, src, *extra):
        out = self.path("out.jsonl")
        rc, o, e = run_tool("kineto", src, "-o", out, *extra)
        return rc, e, out


class KinetoConvert(TmpDir):
    def test_two_streams_exact_output(self):
        src = self.write_json("tiny.json", tiny_trace())
        rc, err, out = self.convert(src, "--gpu-clock-mhz", "1500")
        self.assertEqual(rc, 0, "conversion failed: " + err)
        got = self.read_lines(out)
        want = [json.dumps(o) for o in TINY_EXPECTED]
        for i, (g, w) in enumerate(zip(got, want)):
            self.assertEqual(g, w, "line %d: expected %s, saw %s" % (i + 1, w, g))
        self.assertEqual(len(got), len(want), "expected %d lines, saw %d" % (len(want), len(got)))

    def test_gzip_input_same_output(self):
        plain = self.write_json("tiny.json", tiny_trace())
        rc, err, out = self.convert(plain, "--gpu-clock-mhz", "1500")
        self.assertEqual(rc, 0, err)
        want = self.read_lines(out)
        gz = self.write_json("tiny.trace.json.gz", tiny_trace(), gz=True)
        rc, err, out = self.convert(gz, "--gpu-clock-mhz", "1500", "--name", "tiny")
        self.assertEqual(rc, 0, err)
        got = self.read_lines(out)
        # only the source file's name differs
        self.assertEqual(got[1:], want[1:], "gzip input: expected the same records")
        self.assertEqual(json.loads(got[0])["source"]["file"], "tiny.trace.json.gz")

    def test_output_passes_check(self):
        src = self.write_json("tiny.json", tiny_trace())
        rc, err, out = self.convert(src, "--gpu-clock-mhz", "1500")
        self.assertEqual(rc, 0, err)
        rc, o, e = run_tool("check", out)
        self.assertEqual(rc, 0, "check of the converted trace failed: " + e)
        self.assertIn("2 clients, 7 jobs", o)
        # stream 13 alone: 5000 + 100000 + 95000 + 750 + 99750 + 1 ns
        self.assertIn("span alone: 0.301 ms", o, "expected stream 13's span, saw:\n" + o)

    def test_clock_from_meta(self):
        src = self.write_json("w.trace.json", tiny_trace())
        self.write_json("w.meta.json", {"clocks_during_window": {"sm_mhz": {"median": 1425}}})
        rc, err, out = self.convert(src)
        self.assertEqual(rc, 0, err)
        h = json.loads(self.read_lines(out)[0])
        self.assertEqual(h["clock_mhz"], 1425, "expected the meta's median clock")
        self.assertEqual(h["source"]["clock_from"],
                         "w.meta.json clocks_during_window.sm_mhz.median")
        rc, err, out = self.convert(src, "--gpu-clock-mhz", "1980")
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(self.read_lines(out)[0])["clock_mhz"], 1980,
                         "expected --gpu-clock-mhz to override the meta")

    def test_meta_without_clock_is_an_error(self):
        src = self.write_json("w.trace.json", tiny_trace())
        self.write_json("w.meta.json", {"workload": {}})
        rc, err, _ = self.convert(src)
        self.assertEqual(rc, 1)
        self.assertIn("no 'clocks_during_window.sm_mhz.median'", err)

    def test_no_clock_is_an_error(self):
        src = self.write_json("w.json", tiny_trace())
        rc, err, _ = self.convert(src)
        self.assertEqual(rc, 1, "expected failure without a clock")
        self.assertIn("--gpu-clock-mhz", err)

    def test_overlap_on_one_stream(self):
        evs = [ev_kernel("a", 100, 10, 7, 1), ev_kernel("b", 108, 5, 7, 2),
               ev_kernel("c", 120, 1, 7, 3)]
        src = self.write_json("o.json", tiny_trace(evs))
        rc, err, out = self.convert(src, "--gpu-clock-mhz", "1000")
        self.assertEqual(rc, 0, err)
        jobs = [json.loads(x) for x in self.read_lines(out)[2:]]
        self.assertEqual([j.get("after_prev_ns") for j in jobs], [None, 0, 7000],
                         "expected b to follow a at once and c 7 us after b's end")
        src_info = json.loads(self.read_lines(out)[0])["source"]
        self.assertEqual((src_info["overlaps"], src_info["overlap_ns"]), (1, 2000))
        self.assertIn("replayed one after the other", err)

    def test_several_devices(self):
        evs = [ev_kernel("a", 100, 10, 7, 1, device=0), ev_kernel("b", 50, 5, 9, 2, device=1)]
        src = self.write_json("d.json", tiny_trace(evs))
        rc, err, _ = self.convert(src, "--gpu-clock-mhz", "1000")
        self.assertEqual(rc, 1)
        self.assertIn("GPU work on devices 0, 1: choose one with --device N", err)
        rc, err, out = self.convert(src, "--gpu-clock-mhz", "1000", "--device", "1")
        self.assertEqual(rc, 0, err)
        lines = self.read_lines(out)
        self.assertEqual(len(lines), 3, "expected header, one client, one job")
        self.assertEqual(json.loads(lines[0])["source"]["other_devices_events"], 1)
        self.assertEqual(json.loads(lines[2])["cost_ns"], 5000)
        rc, err, _ = self.convert(src, "--gpu-clock-mhz", "1000", "--device", "2")
        self.assertEqual(rc, 1)
        self.assertIn("no GPU work on device 2", err)

    def test_skip_bad(self):
        evs = copy.deepcopy(TINY_EVENTS)
        del evs[4]["ts"]                    # k_c, stream 13
        src = self.write_json("tiny.json", tiny_trace(evs))
        rc, err, _ = self.convert(src, "--gpu-clock-mhz", "1500")
        self.assertEqual(rc, 1, "expected failure without --skip-bad")
        rc, err, out = self.convert(src, "--gpu-clock-mhz", "1500", "--skip-bad")
        self.assertEqual(rc, 0, err)
        self.assertIn("skipped 1 bad GPU event(s) (--skip-bad)", err)
        self.assertIn("event 4 (kernel 'k_c'): missing field 'ts'", err)
        lines = [json.loads(x) for x in self.read_lines(out)]
        self.assertEqual(lines[0]["source"]["skipped_bad"], 1)
        self.assertEqual(lines[0]["source"]["kernels"], 3)
        s13 = [j for j in lines if j.get("client") == 2 and j["type"] == "job"]
        self.assertEqual(len(s13), 2, "expected stream 13 without k_c")


class KinetoMalformed(TmpDir):
    """Each malformed input: exit status 1 and an error naming the event,
    its name and the field."""

    def bad(self, mutate, want, name="tiny.json"):
        evs = copy.deepcopy(TINY_EVENTS)
        mutate(evs)
        src = self.write_json(name, tiny_trace(evs))
        rc, err, out = self.convert(src, "--gpu-clock-mhz", "1500")
        self.assertEqual(rc, 1, "expected exit status 1 (%s), saw %r" % (want, rc))
        self.assertIn(want, err, "expected the error %r, saw %r" % (want, err))
        self.assertFalse(os.path.exists(out), "no output expected on error")

    def test_missing_ts(self):
        self.bad(lambda e: e[3].pop("ts"), "event 3 (kernel 'k_a'): missing field 'ts'")

    def test_missing_dur(self):
        self.bad(lambda e: e[6].pop("dur"),
                 "event 6 (gpu_memcpy 'Memcpy HtoD (Pageable -> Device)'): missing field 'dur'")

    def test_non_numeric_dur(self):
        self.bad(lambda e: e[8].__setitem__("dur", "3.0"),
                 "event 8 (kernel 'k_b'): field 'dur' is not a number: \"3.0\"")

    def test_non_numeric_stream(self):
        self.bad(lambda e: e[8]["args"].__setitem__("stream", "7"),
                 "event 8 (kernel 'k_b'): field 'args.stream' is not a number")

    def test_missing_bytes(self):
        self.bad(lambda e: e[7]["args"].pop("bytes"),
                 "event 7 (gpu_memcpy 'Memcpy DtoH (Device -> Pinned)'): missing field 'args.bytes'")

    def test_negative_dur(self):
        self.bad(lambda e: e[11].__setitem__("dur", -1),
                 "event 11 (kernel 'k_d'): field 'dur' is negative")

    def test_missing_args(self):
        self.bad(lambda e: e[11].pop("args"), "event 11 (kernel 'k_d'): missing field 'args'")

    def test_unknown_memcpy_kind(self):
        self.bad(lambda e: e[7].__setitem__("name", "Memcpy HtoH (Pinned -> Pageable)"),
                 "event 7 (gpu_memcpy 'Memcpy HtoH (Pinned -> Pageable)'): "
                 "unknown memcpy kind 'HtoH'")

    def test_unparsable_memcpy_name(self):
        self.bad(lambda e: e[7].__setitem__("name", "Memcpy"),
                 "event 7 (gpu_memcpy 'Memcpy'): field 'name' is not \"Memcpy KIND (SRC -> DST)\"")

    def test_event_not_an_object(self):
        self.bad(lambda e: e.__setitem__(5, [1, 2]), "event 5: not a JSON object")

    def test_not_a_complete_event(self):
        self.bad(lambda e: e[3].__setitem__("ph", "i"),
                 "event 3 (kernel 'k_a'): field 'ph' is \"i\", expected \"X\"")

    def test_truncated_json(self):
        p = self.path("t.json")
        data = json.dumps(tiny_trace())
        with open(p, "w") as f:
            f.write(data[:len(data) // 2])
        rc, err, out = self.convert(p, "--gpu-clock-mhz", "1500")
        self.assertEqual(rc, 1)
        self.assertIn("not valid JSON (truncated?): line 1 column", err)

    def test_truncated_gzip(self):
        p = self.write_json("t.json.gz", tiny_trace(), gz=True)
        with open(p, "rb") as f:
            data = f.read()
        with open(p, "wb") as f:
            f.write(data[:len(data) // 2])
        rc, err, out = self.convert(p, "--gpu-clock-mhz", "1500")
        self.assertEqual(rc, 1)
        self.assertIn("cannot decompress (truncated?)", err)

    def test_empty_trace(self):
        src = self.write_json("e.json", tiny_trace([]))
        rc, err, out = self.convert(src, "--gpu-clock-mhz", "1500")
        self.assertEqual(rc, 1)
        self.assertIn("no GPU work: no event of cat kernel, gpu_memcpy, gpu_memset", err)

    def test_only_cpu_events(self):
        src = self.write_json("e.json", tiny_trace(TINY_EVENTS[:3]))
        rc, err, out = self.convert(src, "--gpu-clock-mhz", "1500")
        self.assertEqual(rc, 1)
        self.assertIn("no GPU work", err)

    def test_no_trace_events(self):
        src = self.write_json("e.json", {"schemaVersion": 1})
        rc, err, out = self.convert(src, "--gpu-clock-mhz", "1500")
        self.assertEqual(rc, 1)
        self.assertIn("not a Chrome trace: no 'traceEvents'", err)

    def test_empty_file(self):
        p = self.path("z.json")
        open(p, "w").close()
        rc, err, out = self.convert(p, "--gpu-clock-mhz", "1500")
        self.assertEqual(rc, 1)
        self.assertIn("not valid JSON", err)


# A valid trace using every record type; tests break one thing at a time.
GOOD = [
    {"nvgtrace": 1, "name": "t", "duration_ns": 100000000, "clock_mhz": 1000,
     "device": {"chip": "ad102", "pstate": 1, "temp_c": 40,
                "heads": [{"head": 0, "monitor": "qhd165", "hz": 60, "vrr_hz": [48, 165]}]},
     "source": {"anything": ["goes", 1.5]}},
    {"type": "client", "id": 1, "name": "a", "pid": 10, "prio": "low", "engine": "compute",
     "inflight": 2},
    {"type": "client", "id": 2, "name": "g", "head": 0, "sync": "vsync"},
    {"type": "job", "client": 1, "id": 1, "t_ns": 0, "cost_ns": 1000000},
    {"type": "job", "client": 1, "id": 2, "after_prev_ns": 500, "engine": "copy",
     "bytes": 4096, "dir": "h2d", "host_mem": "pinned", "recorded_ns": 1000},
    {"type": "job", "client": 1, "id": 5, "t_ns": 10, "cycles": 2000, "deps": [1, 2]},
    {"type": "frame", "client": 2, "id": 1, "wait": True, "cpu_ns": 1000,
     "jobs": [{"cost_ns": 4000000}, {"engine": "copy", "bytes": 10, "dir": "d2d"}]},
    {"type": "frame", "client": 2, "id": 2, "jobs": []},
]


class Check(TmpDir):
    def check(self, records=None, raw=None):
        p = self.path("t.jsonl")
        with open(p, "w") as f:
            if raw is not None:
                f.write(raw)
            else:
                for r in records:
                    f.write(json.dumps(r) + "\n")
        return run_tool("check", p)

    def bad(self, line, mutate, want):
        recs = copy.deepcopy(GOOD)
        mutate(recs)
        rc, out, err = self.check(recs)
        self.assertEqual(rc, 1, "expected the check to fail (%s), it passed:\n%s" % (want, out))
        self.assertIn("t.jsonl:%d: %s" % (line, want), err,
                      "expected %r at line %d, saw %r" % (want, line, err))

    def test_good_trace(self):
        rc, out, err = self.check(GOOD)
        self.assertEqual(rc, 0, "expected the good trace to pass: " + err)
        self.assertIn("3 jobs, 2 frames; costs at 1000 MHz", out)
        self.assertIn("client 1 'a' pid 10 prio low engine compute inflight 2", out)
        self.assertIn("h2d 1 (4096 bytes)", out)
        self.assertIn("t.jsonl: ok", out)

    def test_unknown_key(self):
        self.bad(2, lambda r: r[1].__setitem__("colour", "red"),
                 "client 1: unknown key 'colour'")

    def test_unknown_header_key(self):
        self.bad(1, lambda r: r[0].__setitem__("speed", 2), "header: unknown key 'speed'")

    def test_unknown_frame_job_key(self):
        self.bad(7, lambda r: r[6]["jobs"][0].__setitem__("name", "x"),
                 "client 2 frame 1: jobs[0]: unknown key 'name'")

    def test_wrong_version(self):
        self.bad(1, lambda r: r[0].__setitem__("nvgtrace", 2),
                 "header: key 'nvgtrace': version 2 is not supported")

    def test_missing_header(self):
        self.bad(1, lambda r: r.pop(0), "header: missing key 'nvgtrace'")

    def test_dangling_client(self):
        self.bad(4, lambda r: r[3].__setitem__("client", 7),
                 "client 7 job 1: client 7 is not defined")

    def test_negative_cost(self):
        self.bad(4, lambda r: r[3].__setitem__("cost_ns", -5),
                 "client 1 job 1: key 'cost_ns': negative cost -5")

    def test_negative_cycles(self):
        self.bad(6, lambda r: r[5].__setitem__("cycles", -1),
                 "client 1 job 5: key 'cycles': negative cost -1")

    def test_negative_frame_cost(self):
        self.bad(7, lambda r: r[6]["jobs"][0].__setitem__("cost_ns", -1),
                 "client 2 frame 1: jobs[0]: key 'cost_ns': negative cost -1")

    def test_fractional_time(self):
        self.bad(4, lambda r: r[3].__setitem__("cost_ns", 1.5),
                 "client 1 job 1: key 'cost_ns': 1.5 is not an integer")

    def test_duplicate_key(self):
        recs = [json.dumps(r) for r in GOOD]
        recs[3] = recs[3][:-1] + ', "cost_ns": 7}'
        rc, out, err = self.check(raw="\n".join(recs) + "\n")
        self.assertEqual(rc, 1)
        self.assertIn("t.jsonl:4: key 'cost_ns' appears twice", err)

    def test_first_job_after_prev(self):
        self.bad(4, lambda r: (r[3].pop("t_ns"), r[3].__setitem__("after_prev_ns", 5)),
                 "client 1 job 1: the client's first job needs 't_ns'")

    def test_both_arrivals(self):
        self.bad(5, lambda r: r[4].__setitem__("t_ns", 5),
                 "client 1 job 2: a job has exactly one of 't_ns' and 'after_prev_ns'")

    def test_dep_not_earlier(self):
        self.bad(6, lambda r: r[5].__setitem__("deps", [1, 9]),
                 "client 1 job 5: key 'deps': job 9 is not an earlier job of client 1")

    def test_ids_increase(self):
        self.bad(5, lambda r: r[4].__setitem__("id", 1),
                 "client 1 job 1: id 1 is not above the client's previous id 1")

    def test_copy_with_cost(self):
        self.bad(5, lambda r: r[4].__setitem__("cost_ns", 5),
                 "client 1 job 2: key 'cost_ns' is for compute jobs")

    def test_compute_with_bytes(self):
        self.bad(4, lambda r: r[3].__setitem__("bytes", 5),
                 "client 1 job 1: key 'bytes' is for copy jobs")

    def test_unknown_dir(self):
        self.bad(5, lambda r: r[4].__setitem__("dir", "sideways"),
                 "client 1 job 2: key 'dir': \"sideways\" is not one of h2d, d2h, d2d, fill")

    def test_job_on_game(self):
        self.bad(4, lambda r: r[3].__setitem__("client", 2),
                 "client 2 job 1: client 2 is a game: its work is in frame records")

    def test_frame_on_non_game(self):
        self.bad(7, lambda r: r[6].__setitem__("client", 1),
                 "client 1 frame 1: client 1 is not a game")

    def test_duplicate_client(self):
        self.bad(3, lambda r: r[2].__setitem__("id", 1), "client 1: client id 1 is defined twice")

    def test_name_with_newline(self):
        self.bad(2, lambda r: r[1].__setitem__("name", "a\n"),
                 "client 1: key 'name': \"a\\n\" is not 1-31 characters")

    def test_bad_prio(self):
        self.bad(2, lambda r: r[1].__setitem__("prio", "urgent"),
                 "client 1: key 'prio': \"urgent\" is not one of low, normal, high")

    def test_bad_gpu(self):
        self.bad(2, lambda r: r[1].__setitem__("gpu", 8),
                 "client 1: key 'gpu': 8 is out of range [0, 7]")

    def test_gpu_accepted(self):
        recs = copy.deepcopy(GOOD)
        recs[1]["gpu"] = 1
        rc, out, err = self.check(recs)
        self.assertEqual(rc, 0, "expected a client on gpu 1 to pass: " + err)
        self.assertIn(" gpu 1", out)

    def test_bad_head(self):
        self.bad(1, lambda r: r[0]["device"]["heads"][0].__setitem__("monitor", "crt"),
                 "header: device: heads[0]: key 'monitor': \"crt\" is not one of")

    def test_not_json(self):
        recs = [json.dumps(r) for r in GOOD]
        recs[2] = recs[2][:20]
        rc, out, err = self.check(raw="\n".join(recs) + "\n")
        self.assertEqual(rc, 1)
        self.assertIn("t.jsonl:3: not valid JSON", err)

    def test_truncated_last_line(self):
        recs = [json.dumps(r) for r in GOOD]
        rc, out, err = self.check(raw="\n".join(recs))
        self.assertEqual(rc, 1)
        self.assertIn("t.jsonl:8: the line does not end with a newline", err)

    def test_empty_file(self):
        rc, out, err = self.check(raw="")
        self.assertEqual(rc, 1)
        self.assertIn("t.jsonl: empty", err)

    def test_blank_line(self):
        recs = [json.dumps(r) for r in GOOD]
        rc, out, err = self.check(raw="\n".join(recs[:3]) + "\n\n" + "\n".join(recs[3:]) + "\n")
        self.assertEqual(rc, 1)
        self.assertIn("t.jsonl:4: empty line", err)

    def test_format_md_examples(self):
        """The examples of traces/FORMAT.md make a valid trace."""
        with open(os.path.join(ROOT, "traces", "FORMAT.md"), encoding="utf-8") as f:
            blocks = re.findall(r"```json\n(.*?)```", f.read(), re.S)
        self.assertEqual(len(blocks), 5, "expected 5 json examples (header, client, job, "
                         "managed memory, frame)")
        header = " ".join(blocks[0].split("\n"))
        lines = [header] + [x for b in blocks[1:3] + blocks[4:] for x in b.strip().split("\n")]
        rc, out, err = self.check(raw="\n".join(lines) + "\n")
        self.assertEqual(rc, 0, "FORMAT.md's examples fail the check: " + err)
        # the managed-memory example is a whole trace of its own
        rc, out, err = self.check(raw=blocks[3].strip() + "\n")
        self.assertEqual(rc, 0, "FORMAT.md's managed-memory example fails the check: " + err)


class Nvgbench(TmpDir):
    def gen(self, *argv):
        out = self.path("n.jsonl")
        rc, o, e = run_tool("nvgbench", "-o", out, *argv)
        self.assertEqual(rc, 0, e)
        return [json.loads(x) for x in self.read_lines(out)]

    def test_interactive(self):
        recs = self.gen("-t", "1", "interactive:ui,period=20,cost=3")
        self.assertEqual(recs[0]["duration_ns"], 1000000000)
        self.assertEqual(recs[1], {"type": "client", "id": 1, "name": "ui", "prio": "normal",
                                   "engine": "compute", "inflight": 1, "late": "skip"})
        jobs = recs[2:]
        self.assertEqual(len(jobs), 50, "expected a job every 20 ms for 1 s")
        self.assertEqual([j["t_ns"] for j in jobs[:3]], [0, 20000000, 40000000])
        self.assertTrue(all(j["cost_ns"] == 3000000 for j in jobs))

    def test_hog_and_names(self):
        recs = self.gen("-t", "1", "veryheavy", "veryheavy", "hog")
        clients = [r for r in recs if r.get("type") == "client"]
        self.assertEqual([(c["name"], c["prio"], c["inflight"]) for c in clients],
                         [("veryheavy1", "normal", 2), ("veryheavy2", "normal", 2),
                          ("hog", "low", 2)])
        self.assertEqual(sum(1 for r in recs if r.get("client") == 3), 22,
                         "expected 1 s / 50 ms + 2 in flight jobs")

    def test_game_jitter_matches_nvgbench(self):
        # the first frame costs of nvgbench's rng_unit() with its seed,
        # computed by the C code (tools/nvgbench.c) for client 1
        recs = self.gen("-t", "1", "game:g,head=0,hz=60,cost=4,jitter=1")
        self.assertEqual(recs[0]["device"], {"heads": [{"head": 0, "hz": 60}]})
        costs = [r["jobs"][0]["cost_ns"] for r in recs if r.get("type") == "frame"][:3]
        self.assertEqual(costs, [3612542, 4665844, 3329288])

    def test_mem_matches_mempat(self):
        # the first random chunks of tools/mempat.h (nvgbench's mem client)
        # with its seed over 40 MiB, computed by the C code
        recs = self.gen("-t", "1", "mem:r,pattern=random,ws=40,passes=2")
        self.assertEqual(recs[1]["managed"], [{"id": 1, "bytes": 40 << 20}])
        jobs = [r for r in recs if r.get("type") == "job"]
        self.assertEqual(len(jobs), 2, "expected one job a pass of 20 chunks")
        self.assertEqual([m["offset"] >> 16 for m in jobs[0]["mem"][:5]],
                         [384, 480, 384, 416, 192])
        self.assertTrue(all(m["op"] == "read" and m["bytes"] == 2 << 20 for j in jobs
                            for m in j["mem"]))

    def test_mem_llm_and_budget(self):
        recs = self.gen("-t", "1", "--uvm-vram-mb", "16", "mem:d,pattern=llm,ws=50%,passes=3")
        self.assertEqual(recs[0]["device"], {"uvm_vram_mb": 16})
        self.assertEqual(recs[1]["managed"], [{"id": 1, "bytes": 6 << 20},
                                              {"id": 2, "bytes": 2 << 20}])
        jobs = [r for r in recs if r.get("type") == "job"]
        # each token: 3 weight chunks, its KV entries written, the cache read
        self.assertEqual([[(m["buf"], m["op"], m["offset"], m["bytes"]) for m in j["mem"][3:]]
                          for j in jobs],
                         [[(2, "write", 0, 262144), (2, "read", 0, 262144)],
                          [(2, "write", 262144, 262144), (2, "read", 0, 524288)],
                          [(2, "write", 524288, 262144), (2, "read", 0, 786432)]])
        rc, _, e = run_tool("nvgbench", "-o", self.path("x.jsonl"), "mem:d,pattern=llm,ws=50%,passes=3")
        self.assertEqual(rc, 1)
        self.assertIn("give --uvm-vram-mb N", e)
        rc, _, e = run_tool("nvgbench", "-o", self.path("x.jsonl"), "mem:d,pattern=seq,ws=8")
        self.assertEqual(rc, 1)
        self.assertIn("needs pattern=, ws= and passes=", e)

    def test_game_vrr_wait_cpu(self):
        # the generator's own game options: the frame keys nvgbench lacks
        recs = self.gen("-t", "1", "game:g,cost=8,jitter=3,sync=vrr,vrr=48-165,wait=1,cpu=1.5")
        self.assertEqual(recs[0]["device"], {"heads": [{"head": 0, "vrr_hz": [48, 165]}]})
        self.assertEqual(recs[1]["sync"], "vrr")
        frames = [r for r in recs if r.get("type") == "frame"]
        self.assertEqual(len(frames), 166, "expected a frame per refresh at 165 Hz, and one")
        self.assertTrue(all(f["wait"] is True and f["cpu_ns"] == 1500000 for f in frames))
        self.assertTrue(all(5000000 <= f["jobs"][0]["cost_ns"] <= 11000000 for f in frames))
        plain = self.gen("-t", "1", "game:g")
        self.assertNotIn("wait", plain[2])
        self.assertNotIn("cpu_ns", plain[2])
        for bad, msg in (("game,sync=gsync", "bad sync 'gsync'"),
                         ("game,vrr=165-48", "bad vrr '165-48'"),
                         ("game,vrr=48-165", "vrr= goes with sync=vrr"),
                         ("game,wait=2", "bad wait '2'"),
                         ("hog,wait=1", "wait= is for game clients only")):
            rc, o, e = run_tool("nvgbench", "-o", self.path("x"), bad)
            self.assertEqual(rc, 1, bad)
            self.assertIn(msg, e)

    def test_bad_client(self):
        rc, o, e = run_tool("nvgbench", "-o", self.path("x"), "interactive:a,head=1")
        self.assertEqual(rc, 1)
        self.assertIn("head= is for game clients only", e)
        rc, o, e = run_tool("nvgbench", "-o", self.path("x"), "game,cost=2,jitter=2")
        self.assertEqual(rc, 1)
        self.assertIn("jitter (2 ms) must be less than cost (2 ms)", e)


class Shipped(TmpDir):
    def test_synthetic_up_to_date(self):
        """traces/synthetic/ holds what generate.sh writes."""
        r = subprocess.run(["sh", os.path.join(SYNTH, "generate.sh"), self.tmp],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        def listed(d):
            return sorted(f for sub in ("", "long", "short", "tenants", "gpus") if os.path.isdir(os.path.join(d, sub))
                          for f in (os.path.join(sub, g) if sub else g
                                    for g in os.listdir(os.path.join(d, sub)))
                          if f.endswith(".jsonl"))
        made = listed(self.tmp)
        shipped = listed(SYNTH)
        self.assertEqual(made, shipped, "generate.sh writes other files than are shipped")
        for f in made:
            with open(os.path.join(self.tmp, f), "rb") as a, open(os.path.join(SYNTH, f), "rb") as b:
                self.assertTrue(a.read() == b.read(),
                                "traces/synthetic/%s differs from what generate.sh writes" % f)

    def test_shipped_traces_pass_check(self):
        files = sorted(os.path.join(d, f) for d in (SYNTH, REAL) for f in os.listdir(d)
                       if re.search(r"\.jsonl(\.gz)?$", f))
        self.assertGreaterEqual(len(files), 19, "expected 9 synthetic and 10 real traces")
        for p in files:
            try:
                nt.check_file(p)
            except nt.BadTrace as e:
                self.fail("%s fails the check: %s" % (p, e))

    def test_real_traces_match_their_recordings(self):
        """Each converted H100 trace holds the kernels, copies and memsets
        the recording's metadata counted, with the same kernel time."""
        for f in sorted(os.listdir(REAL)):
            m = re.match(r"(.*)\.trace\.json\.gz$", f)
            if not m:
                continue
            n = m.group(1)
            conv = [p for p in (n + ".nvgt.jsonl", n + ".nvgt.jsonl.gz")
                    if os.path.exists(os.path.join(REAL, p))]
            self.assertEqual(len(conv), 1, "expected one converted trace of %s" % f)
            t = nt.check_file(os.path.join(REAL, conv[0]))
            with open(os.path.join(REAL, n + ".meta.json")) as mf:
                ta = json.load(mf)["trace_analysis"]
            jobs = [j for c in t.order for j in t.records[c]]
            comp = [j for j in jobs if j.get("engine", "compute") == "compute"]
            counts = (len(comp), sum(1 for j in jobs if j.get("dir") in ("h2d", "d2h", "d2d")),
                      sum(1 for j in jobs if j.get("dir") == "fill"))
            self.assertEqual(counts, (ta["kernels"], ta["memcpys"], ta["memsets"]),
                             "%s: kernels/memcpys/memsets" % n)
            ks = sum(j["cost_ns"] for j in comp) / 1000.0
            self.assertAlmostEqual(ks, ta["kernel_time_sum_us"], delta=0.01 * len(comp),
                                   msg="%s: kernel time %.3f us, the meta says %.3f"
                                   % (n, ks, ta["kernel_time_sum_us"]))

    def test_real_trace_reconverts(self):
        """interactive_alone's shipped conversion is what convert.sh's command writes."""
        src = os.path.join(REAL, "interactive_alone.trace.json.gz")
        rc, err, out = self.convert(src)
        self.assertEqual(rc, 0, err)
        with open(out, "rb") as a, open(os.path.join(REAL, "interactive_alone.nvgt.jsonl"), "rb") as b:
            self.assertTrue(a.read() == b.read(), "the shipped conversion differs from a new one")


class Report(unittest.TextTestResult):
    """One PASS/FAIL line per test, for scripts/run-tests.sh."""

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.passed = 0

    def _name(self, test):
        return "trace_import: %s.%s" % (type(test).__name__, test._testMethodName)

    def addSuccess(self, test):
        self.passed += 1
        print("PASS: %s" % self._name(test), flush=True)

    def _fail(self, test, err, kind):
        # the exception's message (it may span lines), without the traceback
        lines = self._exc_info_to_string(err, test).strip().splitlines()
        first = max((i for i, x in enumerate(lines)
                     if re.match(r"^[\w.]+(Error|Exception|Exit)\b", x)), default=len(lines) - 1)
        msg = " | ".join(lines[first:])[:600] if lines else kind
        print("FAIL: %s: %s" % (self._name(test), msg), flush=True)

    def addFailure(self, test, err):
        self.failures.append((test, ""))
        self._fail(test, err, "failure")

    def addError(self, test, err):
        self.errors.append((test, ""))
        self._fail(test, err, "error")

    def addSkip(self, test, reason):
        self.failures.append((test, ""))
        print("FAIL: %s: skipped (%s)" % (self._name(test), reason), flush=True)


if __name__ == "__main__":
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    res = Report(io.StringIO(), False, 0)
    suite.run(res)
    nfail = len(res.failures) + len(res.errors)
    print("python unit: %d passed, %d failed" % (res.passed, nfail))
    sys.exit(1 if nfail else 0)
