#!/bin/sh
# The GH100 entry of the chip table (kmod/nvghost_chip.c, compiled in as
# is) holds what the real H100 measured, where it says it was measured
# (traces/real/h100-2026-12-06: calibration.json, the meta files and the
# decode_graph trace; docs/architecture.md, "The cost model's numbers"), so
# that neither can drift without this test failing. Then the calibration
# replays (traces/real/h100-2026-12-06/calib/) are what mkcalib.py writes
# from the shipped recordings, and they pass the trace checker.
. tests/host/lib.sh
REC=traces/real/h100-2026-12-06

cat >"$TMPD/dump.c" <<'EOF'
#include <stdio.h>
#include "nvghost_chip.h"

int main(void)
{
	const struct nvg_chip *c = nvg_chip_by_name("gh100");
	unsigned int i;

	if (!c)
		return 1;
	printf("boot0=%u\nvram_mb=%u\ngpc_mhz=%u\nvram_gbps=%u\npcie_gbps=%u\n",
	       c->boot0, c->vram_mb, c->gpc_mhz, c->vram_gbps, c->pcie_gbps);
	printf("tgp_w=%u\nidle_w=%u\nslowdown_c=%u\nshutdown_c=%u\n", c->power.tgp_w,
	       c->power.idle_w, c->power.slowdown_c, c->power.shutdown_c);
	printf("sm_count=%u\nmem_mhz=%u\nop_ns=%u\nmin_job_ns=%u\npstates=", c->sm_count,
	       c->mem_mhz, c->op_ns, c->min_job_ns);
	for (i = 0; i < c->power.nr_pstates; i++)
		printf("%s%u", i ? "," : "", c->power.pstates[i].mhz);
	printf("\n");
	return 0;
}
EOF
if ! cc -std=gnu11 -Wall -Werror -Ikmod -o "$TMPD/dump" "$TMPD/dump.c" kmod/nvghost_chip.c >"$TMPD/cc" 2>&1; then
	fail gh100_table_dump_builds "cc failed: $(tail -n 3 "$TMPD/cc" | tr '\n' ' ')"
	exit 0
fi
if ! "$TMPD/dump" >"$TMPD/gh100"; then
	fail gh100_in_chip_table "expected a chip named gh100 in kmod/nvghost_chip.c, found none"
	exit 0
fi

python3 - "$TMPD/gh100" "$REC" <<'EOF'
import gzip, json, os, re, sys

table = dict(l.strip().split("=", 1) for l in open(sys.argv[1]))
rec = sys.argv[2]
cal = json.load(open(os.path.join(rec, "calibration.json")))
env = cal["environment"]
smi = env["nvidia_smi_query"]


def num(s):
    return float(re.match(r"\s*([0-9.]+)", s).group(1))


def check(name, field, expected, where, rel=0.0):
    seen = float(table[field])
    ok = abs(seen - expected) <= rel * abs(expected) + 1e-9 if rel else seen == expected
    tol = " within %g%%" % (rel * 100) if rel else ""
    if ok:
        print("PASS: %s" % name)
    else:
        print("FAIL: %s: expected %s = %s%s (%s), the table has %s"
              % (name, field, expected, tol, where, table[field]))


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p * (len(v) - 1))))]


rows = {(r["direction"], r["bytes"]): r for r in cal["copy_bandwidth"]["rows"]}
gib = 1 << 30
check("gh100_top_clock_is_measured_max_sm", "gpc_mhz", num(smi["clocks.max.sm"]),
      "calibration.json nvidia_smi_query clocks.max.sm")
check("gh100_mem_clock_is_measured", "mem_mhz", num(smi["clocks.max.mem"]),
      "calibration.json nvidia_smi_query clocks.max.mem")
check("gh100_sm_count_is_measured", "sm_count", env["gpu"]["sm_count"],
      "calibration.json environment.gpu.sm_count")
check("gh100_tgp_is_power_limit", "tgp_w", num(smi["power.limit"]),
      "calibration.json nvidia_smi_query power.limit")
check("gh100_idle_power_is_lowest_sample", "idle_w",
      cal["clocks_during_calibration"]["power_mw"]["min"] // 1000,
      "calibration.json clocks_during_calibration.power_mw.min, W rounded down")
check("gh100_d2d_copy_bandwidth", "vram_gbps", rows[("d2d", gib)]["GBps_event"],
      "calibration.json copy_bandwidth d2d 1 GiB GBps_event", 0.01)
check("gh100_h2d_pinned_bandwidth", "pcie_gbps", rows[("h2d_pinned", gib)]["GBps_event"],
      "calibration.json copy_bandwidth h2d_pinned 1 GiB GBps_event", 0.01)
check("gh100_d2h_pinned_bandwidth", "pcie_gbps", rows[("d2h_pinned", gib)]["GBps_event"],
      "calibration.json copy_bandwidth d2h_pinned 1 GiB GBps_event", 0.01)
check("gh100_empty_job_is_empty_kernel_gpu_time", "min_job_ns",
      cal["native"]["spin"]["empty_kernel_event_to_event"]["p50"],
      "calibration.json native.spin.empty_kernel_event_to_event.p50")

# VRAM: the board's 80 GiB; the driver reported a little less usable.
seen_mib = num(smi["memory.total"])
vram = int(table["vram_mb"])
if vram == 80 * 1024 and 0.99 * vram <= seen_mib <= vram:
    print("PASS: gh100_vram_is_the_boards")
else:
    print("FAIL: gh100_vram_is_the_boards: expected vram_mb = 81920 (80 GiB) with "
          "nvidia-smi's memory.total (%s) within 1%% below it, the table has %d" % (smi["memory.total"], vram))

# Temperatures: T.Limit offsets from nvidia-smi -q (current + margin = limit).
q = env["nvidia_smi_q"]
def qtemp(label):
    return int(re.search(r"^\s*%s\s*:\s*(-?\d+) C" % re.escape(label), q, re.M).group(1))
limit = qtemp("GPU Current Temp") + qtemp("GPU T.Limit Temp")
check("gh100_slowdown_temp_from_tlimit", "slowdown_c", limit - qtemp("GPU Slowdown T.Limit Temp"),
      "nvidia-smi -q: current + T.Limit margin - slowdown offset")
check("gh100_shutdown_temp_from_tlimit", "shutdown_c", limit - qtemp("GPU Shutdown T.Limit Temp"),
      "nvidia-smi -q: current + T.Limit margin - shutdown offset")

# P-states: the clocks the board was seen at under its power limit.
ladder = [int(x) for x in table["pstates"].split(",")]
sm = json.load(open(os.path.join(rec, "hog_matmul.meta.json")))["clocks_during_window"]["sm_mhz"]
want = sorted({sm["min"], sm["median"], int(num(smi["clocks.max.sm"]))})
if all(w in ladder for w in want):
    print("PASS: gh100_pstates_hold_the_observed_clocks")
else:
    print("FAIL: gh100_pstates_hold_the_observed_clocks: expected %s (hog_matmul.meta.json sm_mhz "
          "min and median, clocks.max.sm) in the ladder, it is %s" % (want, ladder))

# The per-operation cost: the GPU's gap between dependent kernels of one
# CUDA graph replay (decode_graph: 64 replays, 8960 gaps), p50.
tr = json.load(gzip.open(os.path.join(rec, "decode_graph.trace.json.gz")))["traceEvents"]
launches = {e["args"]["correlation"] for e in tr
            if e.get("cat") == "cuda_runtime" and e.get("name") == "cudaGraphLaunch"}
groups = {}
for e in tr:
    if e.get("cat") == "kernel" and e["args"].get("correlation") in launches:
        groups.setdefault(e["args"]["correlation"], []).append(e)
gaps = []
for g in groups.values():
    g.sort(key=lambda e: e["ts"])
    gaps += [(b["ts"] - a["ts"] - a["dur"]) * 1000 for a, b in zip(g, g[1:])]
if len(gaps) != 8960:
    print("FAIL: gh100_op_cost_is_graph_gap: expected 8960 gaps in decode_graph's 64 graph replays, found %d" % len(gaps))
else:
    check("gh100_op_cost_is_graph_gap", "op_ns", pct(gaps, 0.5),
          "decode_graph.trace.json.gz: p50 gap between kernels of one cudaGraphLaunch, ns", 0.02)
EOF

# The calibration replays are what mkcalib.py writes, and they are valid.
if python3 traces/real/mkcalib.py "$TMPD/calib" >"$TMPD/mk" 2>&1; then
	for f in interactive_alone.nvgt.jsonl interactive_vs_sleep_hog.nvgt.jsonl \
		 interactive_vs_matmul_hog.nvgt.jsonl interactive_vs_sleep_hog_1job.nvgt.jsonl real.txt; do
		if cmp -s "$TMPD/calib/$f" "$REC/calib/$f"; then
			pass "calib_${f%%.*}_up_to_date"
		else
			fail "calib_${f%%.*}_up_to_date" "expected $REC/calib/$f to be what traces/real/mkcalib.py writes; it differs (run it again)"
		fi
	done
else
	fail calib_mkcalib_runs "python3 traces/real/mkcalib.py failed: $(tail -n 3 "$TMPD/mk" | tr '\n' ' ')"
fi
for f in "$REC"/calib/*.nvgt.jsonl; do
	n=$(basename "$f" .nvgt.jsonl)
	if python3 tools/nvgtrace_import.py check "$f" >"$TMPD/chk" 2>&1; then
		pass "calib_${n}_passes_check"
	else
		fail "calib_${n}_passes_check" "tools/nvgtrace_import.py check: $(tail -n 2 "$TMPD/chk" | tr '\n' ' ')"
	fi
	if grep -q '"device": {"chip": "gh100"}' "$f"; then
		pass "calib_${n}_on_gh100"
	else
		fail "calib_${n}_on_gh100" "expected the header to ask for chip gh100: $(head -c 200 "$f")"
	fi
done
