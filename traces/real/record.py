#!/usr/bin/env python3
"""Record PyTorch-profiler (Kineto) Chrome traces of small workloads on a
real NVIDIA GPU, for nvghost's trace converter and replay (issue 15).

Workloads (random weights; nothing is downloaded):
  decode   GPT-like decoder, batch 1, KV cache, 128-token prompt, 64 new
           tokens, one host sync per token (token.item(), as a streaming
           server does)
  train    small transformer LM, forward + backward + AdamW, a few steps,
           loss.item() per step
  frames   latency-sensitive frame loop: ~10 small kernels per frame, wait
           for the GPU ("present"), sleep to the next 16.667 ms deadline
  interference
           an interactive process (a small matmul request every 5 ms) beside
           a hog of long kernels in another process (NVIDIA's default
           time-slicing between processes; no MPS), once with a hog of
           spin kernels, once with a hog of large matmuls; launch-to-
           completion latency by wall clock and by CUDA events
  all      all of the above, in this order

Each trace is written as NAME.trace.json.gz (export_chrome_trace, gzipped)
with NAME.meta.json beside it (GPU, driver, CUDA, PyTorch, nvidia-smi -q,
clocks sampled through NVML during the window, workload parameters and the
workload's own timings).

Usage:  python3 record.py [--out DIR] [--device cuda|cpu] WORKLOAD
        (--device cpu is a dry run of the code paths; it measures nothing)
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
import traceback

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.profiler import ProfilerActivity, profile, record_function

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

HAVE_SDPA = hasattr(F, "scaled_dot_product_attention")


def sdpa(q, k, v, is_causal=False, mask=None):
    """F.scaled_dot_product_attention; the fallback serves only the CPU
    dry run on an old PyTorch. Causal masks are top-left aligned: prompts
    are only processed at position 0."""
    if HAVE_SDPA:
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask,
                                              is_causal=is_causal)
    a = (q @ k.transpose(-2, -1)) / q.shape[-1] ** 0.5
    if is_causal:
        mask = torch.ones(q.shape[2], k.shape[2], dtype=torch.bool,
                          device=q.device).tril()
    if mask is not None:
        a = a.masked_fill(~mask, float("-inf"))
    return a.softmax(-1) @ v


# --- model -----------------------------------------------------------------

class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h = heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, 4 * d)
        self.fc2 = nn.Linear(4 * d, d)

    def forward(self, x, cache=None, pos=0, mask=None):
        B, T, D = x.shape
        hd = D // self.h
        q, k, v = self.qkv(self.ln1(x)).split(D, dim=2)
        q = q.view(B, T, self.h, hd).transpose(1, 2)
        k = k.view(B, T, self.h, hd).transpose(1, 2)
        v = v.view(B, T, self.h, hd).transpose(1, 2)
        if mask is not None:
            # Static shapes (CUDA-graph decode): pos is a tensor of the
            # tokens' positions, mask [1,1,T,tmax] says what they may see.
            kc, vc = cache
            kc.index_copy_(2, pos, k)
            vc.index_copy_(2, pos, v)
            y = sdpa(q, kc, vc, mask=mask)
            y = y.transpose(1, 2).reshape(B, T, D)
            x = x + self.proj(y)
            return x + self.fc2(F.gelu(self.fc1(self.ln2(x)),
                                       approximate="tanh"))
        if cache is not None:
            kc, vc = cache
            kc[:, :, pos:pos + T] = k
            vc[:, :, pos:pos + T] = v
            k = kc[:, :, :pos + T]
            v = vc[:, :, :pos + T]
        # Prompts are only ever processed at pos 0, so a top-left causal
        # mask is right for T > 1; a single decode token sees everything.
        y = sdpa(q, k, v, is_causal=T > 1)
        y = y.transpose(1, 2).reshape(B, T, D)
        x = x + self.proj(y)
        x = x + self.fc2(F.gelu(self.fc1(self.ln2(x)), approximate="tanh"))
        return x


class GPT(nn.Module):
    def __init__(self, vocab, d, heads, layers, tmax):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(tmax, d)
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.lnf = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, idx, caches=None, pos=0, mask=None):
        T = idx.shape[1]
        if torch.is_tensor(pos):
            p = pos
        else:
            p = torch.arange(pos, pos + T, device=idx.device)
        x = self.tok(idx) + self.pos(p)
        for i, b in enumerate(self.blocks):
            x = b(x, None if caches is None else caches[i], pos, mask)
        return self.head(self.lnf(x))


# --- helpers ---------------------------------------------------------------

def sync(dev):
    if dev.type == "cuda":
        torch.cuda.synchronize(dev)


def activities(dev):
    a = [ProfilerActivity.CPU]
    if dev.type == "cuda":
        a.append(ProfilerActivity.CUDA)
    return a


class Recorder:
    """Profiles one window and writes NAME.trace.json.gz + NAME.meta.json."""

    def __init__(self, args, dev, name, params):
        self.args, self.dev, self.name, self.params = args, dev, name, params

    def __enter__(self):
        sync(self.dev)
        self.smi_before = (common.smi_query() if self.dev.type == "cuda"
                           else None)
        self.sampler = common.ClockSampler().__enter__()
        self.prof = profile(activities=activities(self.dev)).__enter__()
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, et, ev, tb):
        sync(self.dev)
        self.wall_s = time.perf_counter() - self.t0
        self.prof.__exit__(et, ev, tb)
        self.sampler.__exit__(et, ev, tb)
        return False

    def save(self, results):
        out = self.args.out
        raw = os.path.join(out, self.name + ".trace.json")
        gz = raw + ".gz"
        self.prof.export_chrome_trace(raw)
        analysis, info = common.finish_trace(
            raw, gz, self.args.max_gz_kib * 1024)
        meta = {
            "name": self.name,
            "trace_file": os.path.basename(gz),
            "trace_format": "Kineto Chrome trace JSON (torch.profiler "
                            "export_chrome_trace), gzip; ts/dur in us",
            "workload": self.params,
            "profiled_window_wall_s": self.wall_s,
            "trace_file_info": info,
            "trace_analysis": analysis,
            "results": results,
            "nvidia_smi_before": self.smi_before,
            "nvidia_smi_after": (common.smi_query()
                                 if self.dev.type == "cuda" else None),
            "clocks_during_window": self.sampler.summary(),
            "environment": common.environment(torch, self.dev),
        }
        common.write_json(os.path.join(out, self.name + ".meta.json"), meta)
        print("[%s] %d kernels, GPU busy %.1f ms of %.1f ms window, "
              "trace %.0f KiB gz (tier %d)" % (
                  self.name, analysis.get("kernels", 0),
                  analysis.get("gpu_busy_us", 0) / 1e3,
                  analysis.get("gpu_window_us", 0) / 1e3,
                  info["gz_bytes"] / 1024, info["strip_tier"]), flush=True)
        return meta


# --- a. decode -------------------------------------------------------------

def run_decode(args, dev):
    cfg = dict(vocab=32000, d=1024, heads=16, layers=8, prompt=128,
               new_tokens=64, batch=1, dtype="bfloat16", kv_cache=True,
               host_sync_per_token=True, warmup_runs=2)
    if args.small:
        cfg.update(d=128, heads=4, layers=2, vocab=1000, prompt=16,
                   new_tokens=8)
    torch.manual_seed(0)
    dt = torch.bfloat16
    tmax = cfg["prompt"] + cfg["new_tokens"]
    model = GPT(cfg["vocab"], cfg["d"], cfg["heads"], cfg["layers"],
                tmax).to(dev, dt).eval()
    hd = cfg["d"] // cfg["heads"]
    caches = [(torch.zeros(1, cfg["heads"], tmax, hd, device=dev, dtype=dt),
               torch.zeros(1, cfg["heads"], tmax, hd, device=dev, dtype=dt))
              for _ in range(cfg["layers"])]

    def generate():
        idx = torch.randint(0, cfg["vocab"], (1, cfg["prompt"]), device=dev)
        lat = []
        with torch.no_grad():
            t0 = time.perf_counter()
            with record_function("prefill"):
                logits = model(idx, caches, 0)
                nxt = logits[:, -1].argmax(-1, keepdim=True)
                nxt.item()
            prefill_s = time.perf_counter() - t0
            pos = cfg["prompt"]
            for _ in range(cfg["new_tokens"]):
                t0 = time.perf_counter()
                with record_function("decode_token"):
                    logits = model(nxt, caches, pos)
                    nxt = logits[:, -1].argmax(-1, keepdim=True)
                    nxt.item()  # host sync: stream the token out
                lat.append(time.perf_counter() - t0)
                pos += 1
        return prefill_s, lat

    for _ in range(cfg["warmup_runs"]):
        generate()
    with Recorder(args, dev, "decode", cfg) as rec:
        prefill_s, lat = generate()
    res = {"prefill_wall_ms": prefill_s * 1e3,
           "per_token_wall_ms": common.pct(lat, 1e3),
           "tokens_per_s": len(lat) / sum(lat)}
    return rec.save(res)


def run_decode_graph(args, dev):
    """Decode as production servers run it: each token's forward pass is
    one CUDA graph replay (static KV cache, position and mask buffers
    updated by small copies before the replay); one host sync per token."""
    cfg = dict(vocab=32000, d=4096, heads=32, layers=8, prompt=128,
               new_tokens=64, batch=1, dtype="bfloat16", kv_cache=True,
               cuda_graph=dev.type == "cuda", host_sync_per_token=True,
               warmup_runs=2,
               note="prefill eager (causal SDPA); decode steps replay one "
                    "captured CUDA graph (SDPA with a boolean mask over the "
                    "whole static cache)")
    if args.small:
        cfg.update(d=128, heads=4, layers=2, vocab=1000, prompt=16,
                   new_tokens=8)
    torch.manual_seed(0)
    dt = torch.bfloat16
    tmax = cfg["prompt"] + cfg["new_tokens"]
    model = GPT(cfg["vocab"], cfg["d"], cfg["heads"], cfg["layers"],
                tmax).to(dev, dt).eval()
    hd = cfg["d"] // cfg["heads"]
    caches = [(torch.zeros(1, cfg["heads"], tmax, hd, device=dev, dtype=dt),
               torch.zeros(1, cfg["heads"], tmax, hd, device=dev, dtype=dt))
              for _ in range(cfg["layers"])]
    s_tok = torch.zeros(1, 1, dtype=torch.long, device=dev)
    s_pos = torch.zeros(1, dtype=torch.long, device=dev)
    s_mask = torch.zeros(1, 1, 1, tmax, dtype=torch.bool, device=dev)
    s_mask[..., 0] = True  # warm-up/capture runs must not see all -inf
    out = {}

    def fwd():
        out["logits"] = model(s_tok, caches, s_pos, s_mask)

    with torch.no_grad():
        if cfg["cuda_graph"]:
            side = torch.cuda.Stream()
            side.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(side):
                for _ in range(3):
                    fwd()
            torch.cuda.current_stream().wait_stream(side)
            g = torch.cuda.CUDAGraph()
            with torch.cuda.graph(g):
                fwd()
            step = g.replay
        else:  # CPU dry run: same static-shape path, eager
            step = fwd

    def generate(prompt_ids):
        toks, lat = [], []
        with torch.no_grad():
            t0 = time.perf_counter()
            with record_function("prefill"):
                logits = model(prompt_ids, caches, 0)
                nxt = logits[:, -1].argmax(-1, keepdim=True)
                toks.append(nxt.item())
            prefill_s = time.perf_counter() - t0
            s_mask.zero_()
            s_mask[..., :cfg["prompt"]] = True
            pos = cfg["prompt"]
            for _ in range(cfg["new_tokens"]):
                t0 = time.perf_counter()
                with record_function("decode_token"):
                    s_tok.copy_(nxt)
                    s_pos.fill_(pos)
                    s_mask[..., pos] = True
                    step()
                    nxt = out["logits"][:, -1].argmax(-1, keepdim=True)
                    toks.append(nxt.item())  # host sync: stream it out
                lat.append(time.perf_counter() - t0)
                pos += 1
        return prefill_s, lat, toks

    prompt_ids = torch.randint(0, cfg["vocab"], (1, cfg["prompt"]),
                               device=dev)
    for _ in range(cfg["warmup_runs"]):
        generate(prompt_ids)
    # sanity: the same prompt decoded eagerly (dynamic-shape path)
    with torch.no_grad():
        logits = model(prompt_ids, caches, 0)
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        eager = [nxt.item()]
        for i in range(cfg["new_tokens"]):
            logits = model(nxt, caches, cfg["prompt"] + i)
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            eager.append(nxt.item())
    with Recorder(args, dev, "decode_graph", cfg) as rec:
        prefill_s, lat, toks = generate(prompt_ids)
    agree = 0
    for a, b in zip(toks, eager):
        if a != b:
            break
        agree += 1
    res = {"prefill_wall_ms": prefill_s * 1e3,
           "per_token_wall_ms": common.pct(lat, 1e3),
           "tokens_per_s": len(lat) / sum(lat),
           "params": sum(p.numel() for p in model.parameters()),
           "tokens_equal_to_eager_decode_prefix": agree,
           "tokens_total": len(toks)}
    return rec.save(res)


# --- b. training -----------------------------------------------------------

def run_train(args, dev, name="train", **over):
    cfg = dict(vocab=8192, d=768, heads=12, layers=6, seq=512, batch=8,
               steps=6, warmup_steps=3, optimizer="AdamW lr=3e-4",
               precision="fp32 weights, bf16 autocast",
               host_sync_per_step="loss.item()")
    cfg.update(over)
    if args.small:
        cfg.update(d=64, heads=2, layers=2, vocab=500, seq=32, batch=2,
                   steps=2, warmup_steps=1)
    torch.manual_seed(0)
    model = GPT(cfg["vocab"], cfg["d"], cfg["heads"], cfg["layers"],
                cfg["seq"]).to(dev)
    kw = {"fused": True} if dev.type == "cuda" else {}
    cfg["optimizer"] += " fused" if kw else ""
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4, **kw)
    V = cfg["vocab"]

    def step():
        x = torch.randint(0, V, (cfg["batch"], cfg["seq"] + 1), device=dev)
        t0 = time.perf_counter()
        with record_function("train_step"):
            with torch.autocast(dev.type, dtype=torch.bfloat16):
                logits = model(x[:, :-1])
            loss = F.cross_entropy(logits.float().view(-1, V),
                                   x[:, 1:].reshape(-1))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            lv = loss.item()
        return time.perf_counter() - t0, lv

    for _ in range(cfg["warmup_steps"]):
        step()
    times, losses = [], []
    with Recorder(args, dev, name, cfg) as rec:
        for _ in range(cfg["steps"]):
            t, lv = step()
            times.append(t)
            losses.append(lv)
    res = {"per_step_wall_ms": common.pct(times, 1e3), "losses": losses,
           "params": sum(p.numel() for p in model.parameters())}
    return rec.save(res)


# --- c. frame loop ---------------------------------------------------------

def run_frames(args, dev):
    cfg = dict(frames=60, warmup_frames=10, period_ms=1000.0 / 60, height=720,
               width=1280, dtype="bfloat16",
               per_frame="conv3x3(3->16)+relu, conv3x3(16->3), blend+clamp, "
                         "256x256x256 matmul+tanh, mean, scale; then wait "
                         "for the GPU (present) and sleep to the next deadline")
    if args.small:
        cfg.update(frames=5, warmup_frames=1, height=32, width=32)
    torch.manual_seed(0)
    dt = torch.bfloat16
    conv1 = nn.Conv2d(3, 16, 3, padding=1).to(dev, dt)
    conv2 = nn.Conv2d(16, 3, 3, padding=1).to(dev, dt)
    img = torch.rand(1, 3, cfg["height"], cfg["width"], device=dev, dtype=dt)
    draws = torch.randn(256, 256, device=dev, dtype=dt)
    wmat = torch.randn(256, 256, device=dev, dtype=dt) / 16
    cuda = dev.type == "cuda"
    period = cfg["period_ms"] / 1e3

    def frame():
        ev0 = ev1 = None
        if cuda:
            ev0 = torch.cuda.Event(enable_timing=True)
            ev1 = torch.cuda.Event(enable_timing=True)
            ev0.record()
        with record_function("frame"), torch.no_grad():
            y = F.relu(conv1(img))
            z = conv2(y)
            out = (img + 0.1 * z).clamp_(0, 1)
            d = torch.tanh(draws @ wmat)
            out.mul_(d.mean())
        if cuda:
            ev1.record()
            ev1.synchronize()  # "present": wait until the frame is rendered
        return ev0, ev1

    def loop(n):
        rows = []
        t_start = time.perf_counter()
        for i in range(n):
            ideal = t_start + i * period
            now = time.perf_counter()
            if now < ideal:
                time.sleep(ideal - now)
            t0 = time.perf_counter()
            ev0, ev1 = frame()
            t1 = time.perf_counter()
            rows.append([i, (t0 - ideal) * 1e3, (t1 - t0) * 1e3,
                         ev0.elapsed_time(ev1) if ev0 is not None else None,
                         (t1 - ideal) * 1e3 > cfg["period_ms"]])
        return rows

    loop(cfg["warmup_frames"])
    with Recorder(args, dev, "frames", cfg) as rec:
        rows = loop(cfg["frames"])
    res = {
        "frame_columns": ["frame", "start_late_ms", "submit_to_done_wall_ms",
                          "gpu_event_ms", "missed_deadline"],
        "frame_rows": rows,
        "submit_to_done_wall_ms": common.pct([r[2] for r in rows]),
        "gpu_event_ms": common.pct([r[3] for r in rows if r[3] is not None]),
        "start_late_ms": common.pct([r[1] for r in rows]),
        "deadline_misses": sum(1 for r in rows if r[4]),
    }
    return rec.save(res)


# --- d. interference -------------------------------------------------------

def interactive_requests(dev, seconds, period_ms, a, b):
    """One request = small matmul + relu, every period_ms. Returns
    (wall launch-to-completion ms, CUDA event ms) lists."""
    walls, evs = [], []
    e0 = torch.cuda.Event(enable_timing=True)
    e1 = torch.cuda.Event(enable_timing=True)
    t_end = time.perf_counter() + seconds
    nxt = time.perf_counter()
    while True:
        now = time.perf_counter()
        if now >= t_end:
            break
        if now < nxt:
            time.sleep(nxt - now)
        nxt += period_ms / 1e3
        t0 = time.perf_counter()
        with record_function("request"):
            e0.record()
            c = torch.relu(a @ b)
            e1.record()
        e1.synchronize()
        t1 = time.perf_counter()
        walls.append((t1 - t0) * 1e3)
        evs.append(e0.elapsed_time(e1))
    return walls, evs


def run_hog(args, dev):
    """Child process: launch long kernels back to back (at most 3 in
    flight) until the stop file appears; profile from 'ready' to stop."""
    kind, kms = args.hog_kind, args.hog_kernel_ms
    torch.manual_seed(1)
    info = {"kind": kind, "target_kernel_ms": kms, "pid": os.getpid()}
    e0 = torch.cuda.Event(enable_timing=True)
    e1 = torch.cuda.Event(enable_timing=True)
    if kind == "sleep":
        torch.cuda._sleep(1000)  # warm up / load the module
        e0.record()
        torch.cuda._sleep(20_000_000)
        e1.record()
        e1.synchronize()
        cyc_per_ms = 20_000_000 / e0.elapsed_time(e1)
        cycles = int(kms * cyc_per_ms)
        info.update({"spin_cycles_per_ms_measured": cyc_per_ms,
                     "spin_cycles": cycles,
                     "note": "torch.cuda._sleep: one block, one thread, "
                             "spinning on clock64"})

        def launch():
            torch.cuda._sleep(cycles)
    else:
        n = 16384
        x = torch.randn(n, n, device=dev, dtype=torch.bfloat16)
        y = torch.randn(n, n, device=dev, dtype=torch.bfloat16)
        z = torch.empty(n, n, device=dev, dtype=torch.bfloat16)
        torch.matmul(x, y, out=z)
        info["matmul_n"] = n

        def launch():
            torch.matmul(x, y, out=z)
    # kernel time alone (before the interactive client starts measuring)
    alone = []
    for _ in range(5):
        e0.record()
        launch()
        e1.record()
        e1.synchronize()
        alone.append(e0.elapsed_time(e1))
    info["kernel_ms_alone"] = common.pct(alone)
    inflight = []
    launched = 0
    with Recorder(args, dev, args.hog_name, info) as rec:
        t0 = time.perf_counter()
        with open(args.ready, "w") as f:  # profiler is running: go
            f.write("ready\n")
        while not os.path.exists(args.stop):
            if time.perf_counter() - t0 > args.hog_max_s:
                info["stopped_by"] = "hog_max_s"
                break
            launch()
            ev = torch.cuda.Event()
            ev.record()
            inflight.append(ev)
            launched += 1
            if len(inflight) >= 3:
                inflight.pop(0).synchronize()
    wall = time.perf_counter() - t0
    res = {"kernels_launched": launched, "wall_s": wall,
           "kernels_per_s": launched / wall}
    rec.save(res)
    return 0


def run_interference(args, dev):
    cfg = dict(request="relu(A@B), A,B 512x512 bf16", period_ms=5.0,
               measure_s=2.0, profiled_s=1.0, hog_kernel_ms=20.0,
               hogs=["sleep", "matmul"],
               scheduling="two processes on one GPU, NVIDIA default "
                          "time-slicing (no MPS), default compute mode")
    torch.manual_seed(0)
    a = torch.randn(512, 512, device=dev, dtype=torch.bfloat16)
    b = torch.randn(512, 512, device=dev, dtype=torch.bfloat16)
    interactive_requests(dev, 0.3, cfg["period_ms"], a, b)  # warm-up
    summary = {"config": cfg, "conditions": {},
               "environment": common.environment(torch, dev)}

    def measure(label, trace_name, hog=None):
        w, e = interactive_requests(dev, cfg["measure_s"], cfg["period_ms"],
                                    a, b)
        cond = {"hog": hog, "wall_launch_to_completion_ms": common.pct(w),
                "cuda_event_ms": common.pct(e),
                "note": "unprofiled %.1f s; the trace is of a further "
                        "%.1f s" % (cfg["measure_s"], cfg["profiled_s"])}
        with Recorder(args, dev, trace_name,
                      dict(cfg, condition=label)) as rec:
            pw, pe = interactive_requests(dev, cfg["profiled_s"],
                                          cfg["period_ms"], a, b)
        cond["profiled_wall_launch_to_completion_ms"] = common.pct(pw)
        cond["profiled_cuda_event_ms"] = common.pct(pe)
        rec.save({"wall_launch_to_completion_ms": common.pct(pw),
                  "cuda_event_ms": common.pct(pe),
                  "unprofiled": {k: cond[k] for k in
                                 ("wall_launch_to_completion_ms",
                                  "cuda_event_ms")}})
        summary["conditions"][label] = cond
        print("[%s] wall p50 %.3f p99 %.3f max %.3f ms; events p50 %.3f "
              "p99 %.3f ms" % (label, cond["wall_launch_to_completion_ms"]
                               ["p50"], cond["wall_launch_to_completion_ms"]
                               ["p99"], cond["wall_launch_to_completion_ms"]
                               ["max"], cond["cuda_event_ms"]["p50"],
                               cond["cuda_event_ms"]["p99"]), flush=True)

    measure("alone", "interactive_alone")
    for kind in cfg["hogs"]:
        tmp = tempfile.mkdtemp(prefix="hog-")
        ready, stop = os.path.join(tmp, "ready"), os.path.join(tmp, "stop")
        hog_name = "hog_" + kind
        cmd = [sys.executable, os.path.abspath(__file__), "--out", args.out,
               "--max-gz-kib", str(args.max_gz_kib), "hog",
               "--hog-kind", kind, "--hog-kernel-ms", str(cfg["hog_kernel_ms"]),
               "--hog-name", hog_name, "--ready", ready, "--stop", stop,
               "--hog-max-s", "60"]
        p = subprocess.Popen(cmd)
        t0 = time.perf_counter()
        while not os.path.exists(ready):
            if p.poll() is not None or time.perf_counter() - t0 > 120:
                break
            time.sleep(0.05)
        if not os.path.exists(ready):
            summary["conditions"]["beside_%s_hog" % kind] = {
                "error": "hog did not start (rc=%s)" % p.poll()}
            if p.poll() is None:
                p.kill()
            p.wait()
            continue
        time.sleep(0.5)
        label = "beside_%s_hog" % kind
        try:
            measure(label, "interactive_vs_%s_hog" % kind, hog=hog_name)
        except Exception:  # noqa: BLE001  record it, try the next hog
            traceback.print_exc()
            summary["conditions"][label] = {"error": traceback.format_exc()}
        with open(stop, "w") as f:
            f.write("stop\n")
        try:
            rc = p.wait(timeout=120)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            rc = "killed after 120 s"
        summary["conditions"][label]["hog_rc"] = rc
    common.write_json(os.path.join(args.out, "interference.json"), summary)
    return summary


# --- main ------------------------------------------------------------------

def run_train_large(args, dev):
    """A GPU-bound training step (the 'train' one is launch-bound)."""
    return run_train(args, dev, "train_large", vocab=32000, d=1024, heads=16,
                     layers=12, seq=1024, batch=16, steps=6, warmup_steps=2)


WORKLOADS = {"decode": run_decode, "decode_graph": run_decode_graph,
             "train": run_train, "train_large": run_train_large,
             "frames": run_frames, "interference": run_interference}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--out", default=".")
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--max-gz-kib", type=int, default=1200,
                    help="strip CPU-side events when a gzipped trace is "
                         "larger (default %(default)s)")
    ap.add_argument("--small", action="store_true",
                    help="tiny sizes, for a quick dry run")
    ap.add_argument("workload", choices=list(WORKLOADS) + ["all", "hog"])
    ap.add_argument("--hog-kind", choices=["sleep", "matmul"])
    ap.add_argument("--hog-kernel-ms", type=float, default=20.0)
    ap.add_argument("--hog-name", default="hog")
    ap.add_argument("--hog-max-s", type=float, default=60.0)
    ap.add_argument("--ready")
    ap.add_argument("--stop")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    dev = torch.device(args.device)
    if dev.type == "cuda":
        if not torch.cuda.is_available():
            sys.exit("record.py: CUDA is not available")
        torch.cuda.set_device(0)
        dev = torch.device("cuda", 0)
    if args.workload == "hog":
        return run_hog(args, dev)
    names = list(WORKLOADS) if args.workload == "all" else [args.workload]
    if dev.type != "cuda" and "interference" in names:
        names.remove("interference")
        print("interference needs a GPU: skipped")
    failed = []
    for n in names:
        t0 = time.perf_counter()
        try:
            WORKLOADS[n](args, dev)
        except Exception:  # keep going: record what can be recorded
            traceback.print_exc()
            failed.append(n)
        print("[%s] took %.1f s" % (n, time.perf_counter() - t0), flush=True)
    if failed:
        print("FAILED: %s" % " ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
