#!/bin/bash
# Build nvghost's Debian packages into build/deb/ and check them with lintian
# (docs/packaging.md). The source is copied to build/deb/src/nvghost-VERSION
# first (tracked and new files, not build/), so the build is from a clean
# tree and dpkg-buildpackage's outputs land in build/deb/.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=$(dpkg-parsechangelog -S Version)
OUT=build/deb
SRC=$OUT/src/nvghost-$VERSION
rm -rf "$OUT"
mkdir -p "$SRC"
if [ -d .git ] || git rev-parse --git-dir >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$SRC"
else
	tar --exclude=./build --exclude=.git -cf - . | tar -xf - -C "$SRC"
fi
# The kernel the policies are built against: the one the tree uses.
[ -f build/kver ] && mkdir -p "$SRC/build" && cp build/kver "$SRC/build/kver"
echo "deb: building nvghost $VERSION in $SRC"
(cd "$SRC" && dpkg-buildpackage -us -uc -b) > "$OUT/build.log" 2>&1 || {
	tail -n 40 "$OUT/build.log"
	echo "deb: dpkg-buildpackage failed; the whole log is $OUT/build.log" >&2
	exit 1
}
mv "$OUT"/src/*.deb "$OUT"/src/*.buildinfo "$OUT"/src/*.changes "$OUT"/ 2>/dev/null || true
echo "deb: packages in $OUT:"
for d in "$OUT"/*.deb; do
	printf '  %-48s %8s\n' "$(basename "$d")" "$(du -h "$d" | cut -f1)"
done
if command -v lintian >/dev/null; then
	echo "deb: lintian (debian/lintian-overrides say why each override is there)"
	lintian --info --display-info "$OUT"/*.changes | tee "$OUT/lintian.log" || true
	if grep -qE '^E: ' "$OUT/lintian.log"; then
		echo "deb: lintian reports errors" >&2
		exit 1
	fi
fi
