#!/bin/sh
# Convert every Kineto trace of a recording folder (default h100-2026-12-06)
# into nvgtrace files beside it: NAME.trace.json.gz -> NAME.nvgt.jsonl, or
# NAME.nvgt.jsonl.gz when the text is over 256 KiB. Clocks come from
# NAME.meta.json (tools/nvgtrace_import.py); every file is checked after.
set -eu
cd "$(dirname "$0")"
dir=${1:-h100-2026-12-06}
tool=../../tools/nvgtrace_import.py
for f in "$dir"/*.trace.json.gz; do
	n=${f%.trace.json.gz}
	rm -f "$n.nvgt.jsonl" "$n.nvgt.jsonl.gz"
	python3 $tool kineto "$f" -o "$n.nvgt.jsonl"
	if [ "$(wc -c < "$n.nvgt.jsonl")" -gt 262144 ]; then
		python3 $tool kineto "$f" -o "$n.nvgt.jsonl.gz" 2>/dev/null
		rm "$n.nvgt.jsonl"
	fi
done
python3 $tool check "$dir"/*.nvgt.jsonl*
