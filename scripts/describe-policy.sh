#!/bin/sh
# describe-policy.sh SRC.bpf.c OBJ.bpf.o
#
# Give a compiled policy its one-line description, the one
# `nvgpolicy list --available` shows: the first paragraph of the source's
# header comment, which by convention reads
#
#    * NAME - WHAT IT DOES.
#
# goes, without "NAME - ", into the object's .nvg.desc section (a plain
# string; libbpf skips the section). An object that already has the section
# keeps it. Needs llvm-objcopy.
set -eu
src=$1
obj=$2
OBJCOPY=${LLVM_OBJCOPY:-llvm-objcopy}

if readelf -S "$obj" 2>/dev/null | grep -q ' \.nvg\.desc '; then
	exit 0
fi
# The paragraph that starts at " * NAME - ", up to the first blank comment
# line, joined; then its first sentence.
desc=$(awk '
	!started && /^ \* [A-Za-z0-9_]+ - / { started = 1; sub(/^ \* [A-Za-z0-9_]+ - /, ""); text = $0; next }
	started && /^ \*\/?[ \t]*$/ { exit }
	started && /^ \*\// { exit }
	started { sub(/^ \* ?/, ""); text = text " " $0 }
	END { print text }' "$src" | sed 's/\([.!?]\) .*/\1/')
if [ -z "$desc" ]; then
	echo "describe-policy: $src has no ' * NAME - DESCRIPTION' header line; $obj gets no description" >&2
	exit 0
fi
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
printf '%s' "$desc" > "$tmp"
"$OBJCOPY" --add-section .nvg.desc="$tmp" --set-section-flags .nvg.desc=readonly,contents "$obj"
