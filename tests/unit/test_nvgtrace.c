// SPDX-License-Identifier: GPL-2.0
/*
 * test_nvgtrace.c - host unit tests of nvgreplay's strict nvgtrace v1
 * reader (tools/nvgtrace.c; traces/FORMAT.md).
 *
 * Valid traces: every key of the format parsed into the right field
 * (header, device, heads, clients, jobs with both arrivals, copies,
 * cycles, deps, frames), a gzipped file, and the shipped traces.
 * Invalid lines: each case breaks one rule and the reader must reject the
 * whole file with the line number, the record and the key. The expected
 * messages are the words of tools/nvgtrace_import.py's checker (its
 * output for the same input, taken when this table was written), except
 * where noted: a JSON syntax error is worded by each parser its own way,
 * an exponent is shown as written, and an integer past 64 bits is "not an
 * integer" here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <zlib.h>

#include "../../tools/nvgtrace.h"
#include "../../tools/mempat.h"

struct bad_case {
	const char *name, *text, *want;
};

static const struct bad_case bad_cases[] = {
	{ "frac",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"cost_ns\": 1.5}\n",
	  "t.jsonl:3: client 1 job 1: key 'cost_ns': 1.5 is not an integer (nanoseconds)" },
	{ "exp",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"cost_ns\": 1e3}\n",
	  "t.jsonl:3: client 1 job 1: key 'cost_ns': 1e3 is not an integer (nanoseconds)" },
	{ "dup",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"t_ns\": 0, \"cost_ns\": 1}\n",
	  "t.jsonl:3: key 't_ns' appears twice" },
	{ "unknown",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"cost_ns\": 1, \"x\": 1}\n",
	  "t.jsonl:3: client 1 job 1: unknown key 'x' (allowed: type, client, id, t_ns, after_prev_ns, engine, cost_ns, cycles, clock_mhz, bytes, dir, host_mem, recorded_ns, deps, mem)" },
	{ "version",
	  "{\"nvgtrace\": 2}\n",
	  "t.jsonl:1: header: key 'nvgtrace': version 2 is not supported (this reader knows 1)" },
	{ "noheader",
	  "{\"type\": \"client\", \"id\": 1, \"name\": \"a\"}\n",
	  "t.jsonl:1: header: missing key 'nvgtrace' (the first line must be the header, {\"nvgtrace\": 1, ...})" },
	{ "undefined",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"cost_ns\": 1}\n",
	  "t.jsonl:2: client 1 job 1: client 1 is not defined (a client record must come first)" },
	{ "neg",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"cost_ns\": -5}\n",
	  "t.jsonl:3: client 1 job 1: key 'cost_ns': negative cost -5" },
	{ "bothcost",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"cost_ns\": 5, \"cycles\": 3}\n",
	  "t.jsonl:3: client 1 job 1: a compute job has exactly one of 'cost_ns' and 'cycles'" },
	{ "firstthink",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"after_prev_ns\": 0, \"cost_ns\": 5}\n",
	  "t.jsonl:3: client 1 job 1: the client's first job needs 't_ns' (there is no previous job)" },
	{ "idorder",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"}\n{\"type\": \"job\", \"client\": 1, \"id\": 2, \"t_ns\": 0, \"cost_ns\": 5}\n{\"type\": \"job\", \"client\": 1, \"id\": 2, \"t_ns\": 0, \"cost_ns\": 5}\n",
	  "t.jsonl:4: client 1 job 2: id 2 is not above the client's previous id 2" },
	{ "tback",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 9, \"cost_ns\": 5}\n{\"type\": \"job\", \"client\": 1, \"id\": 2, \"t_ns\": 3, \"cost_ns\": 5}\n",
	  "t.jsonl:4: client 1 job 2: t_ns 3 is before the client's previous job's 9" },
	{ "deps",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"cost_ns\": 5, \"deps\": [7]}\n",
	  "t.jsonl:3: client 1 job 1: key 'deps': job 7 is not an earlier job of client 1" },
	{ "copykey",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"cost_ns\": 5, \"bytes\": 4}\n",
	  "t.jsonl:3: client 1 job 1: key 'bytes' is for copy jobs; this job is on the compute engine" },
	{ "copymissing",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"engine\": \"copy\", \"bytes\": 4}\n",
	  "t.jsonl:3: client 1 job 1: missing key 'dir' (a copy job has 'bytes' and 'dir')" },
	{ "hostmem",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"engine\": \"copy\", \"bytes\": 4, \"dir\": \"fill\", \"host_mem\": \"pinned\"}\n",
	  "t.jsonl:3: client 1 job 1: key 'host_mem' is for h2d and d2h copies, not fill" },
	{ "gamejob",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 2, \"name\": \"g\", \"head\": 0, \"sync\": \"vsync\"}\n{\"type\": \"job\", \"client\": 2, \"id\": 1, \"t_ns\": 0, \"cost_ns\": 5}\n",
	  "t.jsonl:3: client 2 job 1: client 2 is a game: its work is in frame records" },
	{ "framenogame",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"}\n{\"type\": \"frame\", \"client\": 1, \"id\": 1}\n",
	  "t.jsonl:3: client 1 frame 1: client 1 is not a game (no 'head'): frames need one" },
	{ "framejob",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 2, \"name\": \"g\", \"head\": 0, \"sync\": \"vsync\"}\n{\"type\": \"frame\", \"client\": 2, \"id\": 1, \"jobs\": [{\"cost_ns\": 1, \"dir\": \"h2d\"}]}\n",
	  "t.jsonl:3: client 2 frame 1: jobs[0]: key 'dir' is for copy jobs; this job is on the compute engine" },
	{ "wait",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 2, \"name\": \"g\", \"head\": 0, \"sync\": \"vsync\"}\n{\"type\": \"frame\", \"client\": 2, \"id\": 1, \"wait\": 1}\n",
	  "t.jsonl:3: client 2 frame 1: key 'wait': 1 is not true or false" },
	{ "badjson",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"\n",
	  "t.jsonl:2: not valid JSON: expected ',' or '}' in an object (column 40)" },
	{ "trailing",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"} x\n",
	  "t.jsonl:2: not valid JSON: extra data after the value (column 42)" },
	{ "name",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a b\"}\n",
	  "t.jsonl:2: client 1: key 'name': \"a b\" is not 1-31 characters of [A-Za-z0-9_.-]" },
	{ "samename",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"}\n{\"type\": \"client\", \"id\": 2, \"name\": \"a\"}\n",
	  "t.jsonl:3: client 2: two clients are named 'a'" },
	{ "twohead",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 2, \"name\": \"g\", \"head\": 0, \"sync\": \"vsync\"}\n{\"type\": \"client\", \"id\": 3, \"name\": \"g2\", \"head\": 0, \"sync\": \"vrr\"}\n",
	  "t.jsonl:3: client 3: head 0 already has a game (client 2)" },
	{ "gameinflight",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 3, \"name\": \"g2\", \"head\": 0, \"sync\": \"vrr\", \"inflight\": 2}\n",
	  "t.jsonl:2: client 3: key 'inflight' is for job clients, not a game (one with 'head')" },
	{ "gpu",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 3, \"name\": \"g2\", \"gpu\": 8}\n",
	  "t.jsonl:2: client 3: key 'gpu': 8 is out of range [0, 7]" },
	{ "prio",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 3, \"name\": \"g2\", \"prio\": \"urgent\"}\n",
	  "t.jsonl:2: client 3: key 'prio': \"urgent\" is not one of low, normal, high" },
	{ "vrr",
	  "{\"nvgtrace\": 1, \"device\": {\"heads\": [{\"head\": 0, \"vrr_hz\": [165, 48]}]}}\n",
	  "t.jsonl:1: header: device: heads[0]: key 'vrr_hz': [165, 48] is not [min, max] with 1 <= min < max <= 1000" },
	{ "headtwice",
	  "{\"nvgtrace\": 1, \"device\": {\"heads\": [{\"head\": 0}, {\"head\": 0}]}}\n",
	  "t.jsonl:1: header: device: heads[1]: head 0 is set up twice" },
	{ "mode",
	  "{\"nvgtrace\": 1, \"device\": {\"heads\": [{\"head\": 0, \"w\": 100}]}}\n",
	  "t.jsonl:1: header: device: heads[0]: a mode needs 'w', 'h' and 'hz' together (or 'hz' alone)" },
	{ "off",
	  "{\"nvgtrace\": 1, \"device\": {\"heads\": [{\"head\": 1, \"monitor\": \"off\"}]}}\n{\"type\": \"client\", \"id\": 3, \"name\": \"g2\", \"head\": 1, \"sync\": \"vrr\"}\n",
	  "t.jsonl:2: client 3: head 1 has no monitor (device.heads says 'off')" },
	{ "temp",
	  "{\"nvgtrace\": 1, \"device\": {\"temp_c\": 200}}\n",
	  "t.jsonl:1: header: device: key 'temp_c': 200 is out of range [-40, 150]" },
	{ "chip",
	  "{\"nvgtrace\": 1, \"device\": {\"chip\": \"AD102\"}}\n",
	  "t.jsonl:1: header: device: key 'chip': \"AD102\" is not a chip name (lower-case letters and digits)" },
	{ "type",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"clients\", \"id\": 1}\n",
	  "t.jsonl:2: key 'type': \"clients\" is not client, job or frame" },
	{ "secondheader",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"nvgtrace\": 1}\n",
	  "t.jsonl:2: a second header (only the first line is the header)" },
	{ "empty",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n\n",
	  "t.jsonl:2: empty line" },
	{ "big",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 99999999999999999999, \"cost_ns\": 1}\n",
	  "t.jsonl:3: client 1 job 1: key 't_ns': 99999999999999999999 is not an integer (nanoseconds)" },
	{ "source",
	  "{\"nvgtrace\": 1, \"source\": 5}\n",
	  "t.jsonl:1: header: key 'source' is not a JSON object" },
	{ "nan",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": NaN, \"cost_ns\": 1}\n",
	  "t.jsonl:3: not valid JSON: 'NaN' is not a JSON number this format accepts (column 47)" },
	{ "cyclesclock",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"a\"}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"cycles\": 1, \"clock_mhz\": 100}\n",
	  "t.jsonl:3: client 1 job 1: key 'clock_mhz' goes with 'cost_ns', not 'cycles'" },
	/* managed memory (issue 16): buffers, ranges, the budget */
	{ "mempast",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"m\", \"managed\": [{\"id\": 1, \"bytes\": 4096}]}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"mem\": [{\"buf\": 1, \"offset\": 4, \"bytes\": 4096, \"op\": \"read\"}]}\n",
	  "t.jsonl:3: client 1 job 1: mem[0]: offset 4 + bytes 4096 is past the end of buffer 1 (4096 bytes)" },
	{ "membuf",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"m\", \"managed\": [{\"id\": 1, \"bytes\": 4096}]}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"mem\": [{\"buf\": 2, \"offset\": 0, \"bytes\": 4096, \"op\": \"read\"}]}\n",
	  "t.jsonl:3: client 1 job 1: mem[0]: key 'buf': 2 is not a managed buffer of client 1" },
	{ "memop",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"m\", \"managed\": [{\"id\": 1, \"bytes\": 4096}]}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"mem\": [{\"buf\": 1, \"offset\": 0, \"bytes\": 4096, \"op\": \"rw\"}]}\n",
	  "t.jsonl:3: client 1 job 1: mem[0]: key 'op': \"rw\" is not one of read, write" },
	{ "memalign",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"m\", \"managed\": [{\"id\": 1, \"bytes\": 4096}]}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"mem\": [{\"buf\": 1, \"offset\": 2, \"bytes\": 8, \"op\": \"write\"}]}\n",
	  "t.jsonl:3: client 1 job 1: mem[0]: a write fills 32-bit words: offset and bytes are multiples of 4" },
	{ "memmissing",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"m\", \"managed\": [{\"id\": 1, \"bytes\": 4096}]}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"mem\": [{\"buf\": 1, \"offset\": 0, \"bytes\": 8}]}\n",
	  "t.jsonl:3: client 1 job 1: mem[0]: missing key 'op'" },
	{ "memempty",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"m\", \"managed\": [{\"id\": 1, \"bytes\": 4096}]}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"mem\": []}\n",
	  "t.jsonl:3: client 1 job 1: key 'mem' is not a list of 1-64 ranges" },
	{ "memzero",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"m\", \"managed\": [{\"id\": 1, \"bytes\": 4096}]}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"mem\": [{\"buf\": 1, \"offset\": 0, \"bytes\": 0, \"op\": \"read\"}]}\n",
	  "t.jsonl:3: client 1 job 1: mem[0]: key 'bytes': 0 is out of range [1, 4294967295]" },
	{ "memcopy",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"m\", \"managed\": [{\"id\": 1, \"bytes\": 4096}]}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"engine\": \"copy\", \"bytes\": 8, \"dir\": \"d2d\", \"mem\": [{\"buf\": 1, \"offset\": 0, \"bytes\": 4096, \"op\": \"read\"}]}\n",
	  "t.jsonl:3: client 1 job 1: key 'mem' is for compute jobs (CHECKSUM and FILL); this job is on the copy engine" },
	{ "memnobuf",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"m\"}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"mem\": [{\"buf\": 1, \"offset\": 0, \"bytes\": 4096, \"op\": \"read\"}]}\n",
	  "t.jsonl:3: client 1 job 1: key 'mem': client 1 has no managed buffers (its key 'managed')" },
	{ "memclock",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"m\", \"managed\": [{\"id\": 1, \"bytes\": 4096}]}\n{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"clock_mhz\": 100, \"mem\": [{\"buf\": 1, \"offset\": 0, \"bytes\": 4096, \"op\": \"read\"}]}\n",
	  "t.jsonl:3: client 1 job 1: key 'clock_mhz' goes with 'cost_ns'" },
	{ "managedtwice",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"m\", \"managed\": [{\"id\": 1, \"bytes\": 4096}, {\"id\": 1, \"bytes\": 8192}]}\n",
	  "t.jsonl:2: client 1: managed[1]: buffer id 1 is defined twice" },
	{ "managedkey",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"m\", \"managed\": [{\"id\": 1, \"size\": 4096}]}\n",
	  "t.jsonl:2: client 1: managed[0]: unknown key 'size' (allowed: id, bytes)" },
	{ "managedgame",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 2, \"name\": \"g\", \"head\": 0, \"sync\": \"vsync\", \"managed\": [{\"id\": 1, \"bytes\": 4096}]}\n",
	  "t.jsonl:2: client 2: key 'managed' is for job clients, not a game (one with 'head')" },
	{ "managedlist",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 1, \"name\": \"m\", \"managed\": 4096}\n",
	  "t.jsonl:2: client 1: key 'managed' is not a list of 1-8 buffers" },
	{ "uvmmb",
	  "{\"nvgtrace\": 1, \"device\": {\"uvm_vram_mb\": -1}}\n",
	  "t.jsonl:1: header: device: key 'uvm_vram_mb': -1 is out of range [0, 1048576]" },
	{ "memframe",
	  "{\"nvgtrace\": 1, \"name\": \"t\"}\n{\"type\": \"client\", \"id\": 2, \"name\": \"g\", \"head\": 0, \"sync\": \"vsync\"}\n{\"type\": \"frame\", \"client\": 2, \"id\": 1, \"jobs\": [{\"cost_ns\": 1, \"mem\": []}]}\n",
	  "t.jsonl:3: client 2 frame 1: jobs[0]: unknown key 'mem' (allowed: engine, cost_ns, cycles, clock_mhz, bytes, dir, host_mem, recorded_ns)" },
};

static int parse(const char *text, struct nvgt_trace *t, char *err, size_t len)
{
	return nvgt_parse_buf(text, strlen(text), "t.jsonl", t, err, len);
}

Test(nvgtrace, rejects_each_bad_line_with_line_and_key)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct nvgt_trace t;
		char err[512] = "";
		int ret = parse(bad_cases[i].text, &t, err, sizeof(err));

		cr_expect(eq(int, ret, -1), "case %s: accepted, expected \"%s\"",
			  bad_cases[i].name, bad_cases[i].want);
		if (!ret)
			nvgt_free(&t);
		cr_expect(eq(str, err, (char *)bad_cases[i].want), "case %s",
			  bad_cases[i].name);
	}
}

static const char valid[] =
	"{\"nvgtrace\": 1, \"name\": \"all keys\", \"duration_ns\": 5000000000, \"clock_mhz\": 1980,"
	" \"device\": {\"chip\": \"ad102\", \"pstate\": 2, \"temp_c\": -5, \"heads\": ["
	"{\"head\": 0, \"monitor\": \"qhd165\", \"hz\": 60, \"vrr_hz\": [48, 165]},"
	" {\"head\": 2, \"w\": 1920, \"h\": 1080, \"hz\": 60}, {\"head\": 3, \"monitor\": \"off\"}]},"
	" \"source\": {\"format\": \"x\", \"ratio\": 1.5e3, \"nested\": [null, true, \"\\u00e9\\ud83d\\ude00\"]}}\n"
	"{\"type\": \"client\", \"id\": 1, \"name\": \"decode.s7\", \"pid\": 482, \"prio\": \"high\","
	" \"engine\": \"compute\", \"inflight\": 2, \"late\": \"skip\", \"gpu\": 1}\n"
	"{\"type\": \"client\", \"id\": 3, \"name\": \"game\", \"prio\": \"low\", \"head\": 0, \"sync\": \"vrr\"}\n"
	"{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"cost_ns\": 3264}\n"
	"{\"type\": \"job\", \"client\": 1, \"id\": 2, \"after_prev_ns\": 74017, \"cost_ns\": 1376, \"clock_mhz\": 1500}\n"
	"{\"type\": \"frame\", \"client\": 3, \"id\": 1, \"wait\": true, \"cpu_ns\": 1500000,"
	" \"jobs\": [{\"cost_ns\": 4000000}, {\"engine\": \"copy\", \"bytes\": 8294400, \"dir\": \"d2d\"}]}\n"
	"{\"type\": \"job\", \"client\": 1, \"id\": 3, \"after_prev_ns\": 0, \"cycles\": 1980000}\n"
	"{\"type\": \"job\", \"client\": 1, \"id\": 5, \"after_prev_ns\": 12000, \"engine\": \"copy\","
	" \"bytes\": 8, \"dir\": \"d2h\", \"host_mem\": \"pinned\", \"recorded_ns\": 1952}\n"
	"{\"type\": \"job\", \"client\": 1, \"id\": 9, \"t_ns\": 9000000, \"cost_ns\": 500000, \"deps\": [3, 5]}\n"
	"{\"type\": \"frame\", \"client\": 3, \"id\": 4}\n";

static void check_valid(const struct nvgt_trace *t)
{
	const struct nvgt_client *c, *g;
	const struct nvgt_job *j;

	cr_assert(eq(str, (char *)t->name, "all keys"));
	cr_expect(eq(i64, t->duration_ns, 5000000000LL));
	cr_expect(eq(i64, t->clock_mhz, 1980));
	cr_expect(eq(str, (char *)t->chip, "ad102"));
	cr_expect(eq(int, t->pstate, 2));
	cr_expect(t->has_temp && t->temp_c == -5);
	cr_expect(t->heads[0].set && t->heads[0].monitor == NVGT_MON_QHD165 &&
		  t->heads[0].hz == 60 && t->heads[0].vrr_min == 48 && t->heads[0].vrr_max == 165);
	cr_expect(t->heads[1].set == false && t->heads[1].monitor == NVGT_MON_DEFAULT);
	cr_expect(t->heads[2].w == 1920 && t->heads[2].h == 1080 && t->heads[2].hz == 60);
	cr_expect(t->heads[3].monitor == NVGT_MON_OFF);
	cr_assert(eq(sz, t->nclients, 2));
	c = &t->clients[0];
	g = &t->clients[1];
	cr_expect(eq(str, (char *)c->name, "decode.s7"));
	cr_expect(c->id == 1 && c->pid == 482 && c->prio == NVGT_PRIO_HIGH && c->inflight == 2 &&
		  c->late == NVGT_LATE_SKIP && c->head == -1 && c->sync == NVGT_SYNC_NONE &&
		  c->gpu == 1);
	cr_expect(g->id == 3 && g->head == 0 && g->sync == NVGT_SYNC_VRR && g->prio == NVGT_PRIO_LOW &&
		  g->pid == 0 && g->inflight == 0 && g->gpu == 0);
	cr_assert(eq(sz, c->njobs, 5));
	j = c->jobs;
	cr_expect(j[0].t_ns == 0 && j[0].after_prev_ns == -1 && j[0].w.cost_ns == 3264 &&
		  !j[0].w.has_cycles && j[0].w.clock_mhz == 0 && j[0].line == 4);
	cr_expect(j[1].t_ns == -1 && j[1].after_prev_ns == 74017 && j[1].w.clock_mhz == 1500);
	cr_expect(j[2].w.has_cycles && j[2].w.cycles == 1980000 && j[2].w.engine == NVGT_COMPUTE);
	cr_expect(j[3].id == 5 && j[3].w.engine == NVGT_COPY && j[3].w.bytes == 8 &&
		  j[3].w.dir == NVGT_D2H && j[3].w.host_mem == NVGT_HOST_PINNED &&
		  j[3].w.recorded_ns == 1952);
	cr_assert(eq(sz, j[4].ndeps, 2));
	/* deps are indices into the client's jobs: ids 3 and 5 */
	cr_expect(j[4].deps[0] == 2 && j[4].deps[1] == 3);
	cr_assert(eq(sz, g->nframes, 2));
	cr_expect(g->frames[0].wait && g->frames[0].cpu_ns == 1500000 && g->frames[0].njobs == 2);
	cr_expect(g->frames[0].jobs[0].cost_ns == 4000000 &&
		  g->frames[0].jobs[1].engine == NVGT_COPY &&
		  g->frames[0].jobs[1].bytes == 8294400 && g->frames[0].jobs[1].dir == NVGT_D2D);
	cr_expect(g->frames[1].id == 4 && g->frames[1].wait == false && g->frames[1].njobs == 0);
	cr_expect(eq(u32, t->lines, 10));
}

Test(nvgtrace, parses_every_key)
{
	struct nvgt_trace t;
	char err[512] = "";

	cr_assert(eq(int, parse(valid, &t, err, sizeof(err)), 0), "rejected: %s", err);
	check_valid(&t);
	nvgt_free(&t);
}

Test(nvgtrace, reads_gzip_and_plain_files)
{
	char path[] = "/tmp/test_nvgtrace.XXXXXX";
	struct nvgt_trace t;
	char err[512] = "";
	gzFile gz;
	int fd;

	fd = mkstemp(path);
	cr_assert(fd >= 0);
	close(fd);
	gz = gzopen(path, "wb");
	cr_assert(gz != NULL);
	cr_assert(eq(int, gzwrite(gz, valid, sizeof(valid) - 1), (int)sizeof(valid) - 1));
	gzclose(gz);
	cr_assert(eq(int, nvgt_parse_file(path, &t, err, sizeof(err)), 0), "gzip: %s", err);
	check_valid(&t);
	nvgt_free(&t);

	/* a truncated gzip stream is an error, not a shorter trace */
	{
		FILE *f = fopen(path, "rb");
		char buf[4096];
		size_t n = fread(buf, 1, sizeof(buf), f);

		fclose(f);
		f = fopen(path, "wb");
		fwrite(buf, 1, n - 12, f);
		fclose(f);
		cr_expect(eq(int, nvgt_parse_file(path, &t, err, sizeof(err)), -1),
			  "a truncated gzip file was accepted");
	}

	/* plain, with the last newline missing: truncated */
	{
		FILE *f = fopen(path, "wb");

		fwrite(valid, 1, sizeof(valid) - 2, f);
		fclose(f);
		cr_expect(eq(int, nvgt_parse_file(path, &t, err, sizeof(err)), -1));
		cr_expect(strstr(err, ":10: the line does not end with a newline") != NULL,
			  "got: %s", err);
	}
	unlink(path);
	cr_expect(eq(int, nvgt_parse_file(path, &t, err, sizeof(err)), -1));
	cr_expect(strstr(err, "cannot read") != NULL, "got: %s", err);
}

Test(nvgtrace, empty_and_non_utf8)
{
	struct nvgt_trace t;
	char err[512] = "";

	cr_expect(eq(int, parse("", &t, err, sizeof(err)), -1));
	cr_expect(eq(str, err, "t.jsonl: empty (the first line must be the header)"));
	cr_expect(eq(int, parse("{\"nvgtrace\": 1, \"name\": \"\xff\"}\n", &t, err, sizeof(err)), -1));
	cr_expect(eq(str, err, "t.jsonl:1: not UTF-8 text"));
}

/* Every shipped trace reads (make unit runs from the top of the tree). */
Test(nvgtrace, shipped_traces)
{
	static const char *const files[] = {
		"traces/synthetic/game.jsonl", "traces/synthetic/bench-gaming.jsonl",
		"traces/synthetic/bench-fifo.jsonl", "traces/synthetic/mem/mem-cyclic.jsonl",
		"traces/real/h100-2026-12-06/decode.nvgt.jsonl.gz",
	};
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct nvgt_trace t;
		char err[512] = "";

		if (access(files[i], R_OK))
			cr_skip("%s not found (not run from the top of the tree)", files[i]);
		cr_expect(eq(int, nvgt_parse_file(files[i], &t, err, sizeof(err)), 0), "%s", err);
		cr_expect(t.nclients > 0, "%s: no clients", files[i]);
		nvgt_free(&t);
	}
}

/* Managed buffers, memory jobs (with and without a cost), the budget. */
Test(nvgtrace, parses_memory_records)
{
	static const char text[] =
		"{\"nvgtrace\": 1, \"device\": {\"uvm_vram_mb\": 8}}\n"
		"{\"type\": \"client\", \"id\": 1, \"name\": \"llm\", \"managed\": "
		"[{\"id\": 1, \"bytes\": 6291456}, {\"id\": 7, \"bytes\": 2097152}]}\n"
		"{\"type\": \"job\", \"client\": 1, \"id\": 1, \"t_ns\": 0, \"mem\": ["
		"{\"buf\": 1, \"offset\": 0, \"bytes\": 2097152, \"op\": \"read\"}, "
		"{\"buf\": 7, \"offset\": 262144, \"bytes\": 262144, \"op\": \"write\"}]}\n"
		"{\"type\": \"job\", \"client\": 1, \"id\": 2, \"after_prev_ns\": 5, \"cost_ns\": 1000, "
		"\"mem\": [{\"buf\": 7, \"offset\": 2097151, \"bytes\": 1, \"op\": \"read\"}]}\n"
		"{\"type\": \"job\", \"client\": 1, \"id\": 3, \"after_prev_ns\": 0, \"cost_ns\": 1}\n";
	const struct nvgt_client *c;
	struct nvgt_trace t;
	char err[512] = "";

	cr_assert(eq(int, parse(text, &t, err, sizeof(err)), 0), "rejected: %s", err);
	cr_expect(eq(i64, t.uvm_vram_mb, 8));
	c = &t.clients[0];
	cr_assert(eq(int, c->nbufs, 2));
	cr_expect(c->bufs[0].id == 1 && c->bufs[0].bytes == 6291456 &&
		  c->bufs[1].id == 7 && c->bufs[1].bytes == 2097152);
	cr_assert(eq(sz, c->njobs, 3));
	cr_assert(eq(sz, c->jobs[0].nmem, 2));
	cr_expect(c->jobs[0].mem[0].buf == 0 && !c->jobs[0].mem[0].write &&
		  c->jobs[0].mem[0].offset == 0 && c->jobs[0].mem[0].bytes == 2097152);
	/* buffer id 7 is index 1 */
	cr_expect(c->jobs[0].mem[1].buf == 1 && c->jobs[0].mem[1].write &&
		  c->jobs[0].mem[1].offset == 262144 && c->jobs[0].mem[1].bytes == 262144);
	cr_expect(c->jobs[0].w.cost_ns == 0 && !c->jobs[0].w.has_cycles);
	cr_expect(c->jobs[1].nmem == 1 && c->jobs[1].w.cost_ns == 1000);
	cr_expect(c->jobs[2].nmem == 0 && c->jobs[2].mem == NULL);
	nvgt_free(&t);
	/* without the key: -1 */
	cr_assert(eq(int, parse("{\"nvgtrace\": 1}\n", &t, err, sizeof(err)), 0), "%s", err);
	cr_expect(eq(i64, t.uvm_vram_mb, -1));
	nvgt_free(&t);
}

/*
 * The shipped memory trace holds mempat.h's jobs (what nvgbench's mem
 * client and uvm_test's vbench submit): generate.sh writes it with
 * nvgtrace_import.py's port of the patterns, so this checks the port.
 */
Test(nvgtrace, mem_trace_is_mempat)
{
	const char *path = "traces/synthetic/mem/mem-cyclic.jsonl";
	struct nvg_mp_op ops[NVG_MP_OPS];
	const struct nvgt_client *c;
	struct nvg_mempat mp;
	uint64_t rng = 88172645463325252ULL;
	struct nvgt_trace t;
	char err[512] = "";
	unsigned int n, k;
	size_t j = 0;

	if (access(path, R_OK))
		cr_skip("%s not found (not run from the top of the tree)", path);
	cr_assert(eq(int, nvgt_parse_file(path, &t, err, sizeof(err)), 0), "%s", err);
	cr_expect(eq(i64, t.uvm_vram_mb, 8));
	c = &t.clients[0];
	/* nvgbench -t 5 mem:scan,pattern=cyclic,ws=150%,passes=4 at uvm_vram_mb=8 */
	cr_assert(eq(int, nvg_mp_init(&mp, NVG_MP_CYCLIC, 12ULL << 20, 4, &rng), 0));
	cr_assert(eq(int, c->nbufs, 1));
	cr_expect(eq(i64, c->bufs[0].bytes, (int64_t)mp.size[0]));
	while ((n = nvg_mp_next(&mp, ops))) {
		cr_assert(j < c->njobs, "the trace has %zu jobs, mempat more", c->njobs);
		cr_assert(eq(sz, c->jobs[j].nmem, n), "job %zu", j + 1);
		for (k = 0; k < n; k++)
			cr_expect(c->jobs[j].mem[k].buf == (int)ops[k].buf &&
				  c->jobs[j].mem[k].write == ops[k].write &&
				  c->jobs[j].mem[k].offset == (int64_t)ops[k].off &&
				  c->jobs[j].mem[k].bytes == ops[k].len, "job %zu range %u", j + 1, k);
		j++;
	}
	cr_expect(eq(sz, j, c->njobs));
	nvgt_free(&t);
}
