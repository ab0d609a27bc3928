#!/bin/bash
# Run the kernel's checkpatch.pl (--strict) on kmod/. The headers package
# does not ship it, so it is taken from linux-source-6.12 (downloaded once,
# only the few files checkpatch reads are kept in build/checkpatch/).
set -euo pipefail
cd "$(dirname "$0")/.."
CP=build/checkpatch/scripts/checkpatch.pl
if [ ! -x "$CP" ]; then
	echo "checkpatch: fetching scripts/checkpatch.pl from linux-source-6.12 (once)"
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -qq linux-source-6.12)
	dpkg-deb --fsys-tarfile "$tmp"/linux-source-6.12_*.deb |
		tar -x -O --wildcards './usr/src/linux-source-6.12.tar.xz' | xz -dc |
		tar -x -C "$tmp" --wildcards 'linux-source-6.12/scripts/checkpatch.pl' \
			'linux-source-6.12/scripts/spelling.txt' \
			'linux-source-6.12/scripts/const_structs.checkpatch'
	mkdir -p build/checkpatch
	mv "$tmp/linux-source-6.12/scripts" build/checkpatch/
	rm -rf "$tmp"
fi
# Trace headers follow the TRACE_EVENT() layout, which checkpatch dislikes.
"$CP" --no-tree --strict --quiet -f $(find kmod -name '*.[ch]' ! -name '*.mod.c' ! -name '*_trace.h')
