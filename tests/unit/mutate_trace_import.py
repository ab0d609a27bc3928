#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Shows that tests/unit/test_trace_import.py can fail: breaks
tools/nvgtrace_import.py one way at a time (a copy in a temporary folder),
runs the tests against it (NVGTRACE_IMPORT) and prints which tests caught
it. Every line must show failures. Not part of make test; run by hand:

  python3 tests/unit/mutate_trace_import.py
"""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
os.chdir(ROOT)
src = open('tools/nvgtrace_import.py').read()
muts = {
 'gap_off_by_one': ('gap = e.start_ns - prev_end\n', 'gap = e.start_ns - prev_end + 1\n'),
 'unknown_keys_allowed': ('        if k not in allowed:\n            w.err', '        if False:\n            w.err'),
 'any_version': ('if not _is_int(v) or v != VERSION:', 'if not _is_int(v) or v < VERSION:'),
 'dangling_client': ('        if c is None:\n                    w.err', '        if False:\n                    w.err'),
 'negative_cost': ('if _is_int(obj["cost_ns"]) and obj["cost_ns"] < 0:', 'if False:'),
 'missing_ts_zero': ('    if key not in obj:\n        raise _event_err(i, ev, "missing field', '    if key not in obj:\n        return Decimal(0)\n        raise _event_err(i, ev, "missing field'),
 'non_numeric_ok': ('    if isinstance(v, bool) or not isinstance(v, (int, Decimal)):', '    if isinstance(v, str): v = Decimal(v)\n    if isinstance(v, bool) or not isinstance(v, (int, Decimal)):'),
 'htoh_accepted': ('"PtoP": "d2d"}', '"PtoP": "d2d", "HtoH": "d2d"}'),
 'truncated_is_empty': ('''    except json.JSONDecodeError as e:
        raise BadInput(''', '''    except json.JSONDecodeError as e:
        data = {"traceEvents": []}
        return data
        raise BadInput('''),
 'empty_ok': ('''    if not gpu:
        raise BadInput("no GPU work: no event''', '''    if not gpu:
        return [dumps({"nvgtrace": 1})]
        raise BadInput("no GPU work: no event'''),
 'no_dur_sign_check': ('    if dur < 0:\n', '    if False:\n'),
 'jitter_seed': ('state = (JITTER_SEED ^', 'state = (JITTER_SEED + 1 ^'),
}
tmp = tempfile.mkdtemp(prefix='nvgtrace-mut-')
missed = 0
for name, (a, b) in muts.items():
    assert src.count(a) == 1, (name, src.count(a))
    p = os.path.join(tmp, name + '.py')
    open(p, 'w').write(src.replace(a, b))
    r = subprocess.run([sys.executable, 'tests/unit/test_trace_import.py'], env=dict(os.environ, NVGTRACE_IMPORT=p), capture_output=True, text=True)
    fails = [l.split(':')[2].strip() for l in r.stdout.splitlines() if l.startswith('FAIL')]
    missed += not fails
    print('%-22s rc=%d %s | %s' % (name, r.returncode, r.stdout.splitlines()[-1], ', '.join(fails) or 'NOT CAUGHT'))
    os.unlink(p)
os.rmdir(tmp)
sys.exit(1 if missed else 0)
