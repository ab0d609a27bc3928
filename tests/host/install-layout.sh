#!/bin/sh
# What the packages ship, checked fast without building them (make deb and
# tests/deb-test.sh do that): `make install DESTDIR=` lays out every file
# the debian/*.install lists name, and no file goes unpackaged; the DKMS
# tree is complete; the unit verifies; the man pages render without
# warnings; the installed policies describe themselves; and an
# out-of-tree policy builds against the staged nvghost-dev (examples/policy).
. tests/host/lib.sh
R=$TMPD/root
VERSION=$(sed -n '1s/.*(\(.*\)).*/\1/p' debian/changelog)
KVER=$(cat build/kver)

if ! make -s install DESTDIR="$R" > "$TMPD/install.log" 2>&1; then
	fail make_install "$(tail -n 5 "$TMPD/install.log" | tr '\n' ' ')"
	exit 0
fi
pass make_install

# Every .install line matches something, and every file is claimed.
(cd "$R" && find . -type f -o -type l | sed 's|^\./||' | sort) > "$TMPD/files"
: > "$TMPD/claimed"
bad=
for inst in debian/*.install; do
	while read -r pat; do
		case $pat in '' | '#'*) continue ;; esac
		# shellcheck disable=SC2086
		m=$(cd "$R" && ls -d $pat 2>/dev/null)
		if [ -z "$m" ]; then
			bad="$bad $inst:$pat"
			continue
		fi
		for x in $m; do
			(cd "$R" && find "$x" -type f -o -type l) >> "$TMPD/claimed"
		done
	done < "$inst"
done
[ -z "$bad" ] && pass install_lists_match || fail install_lists_match "nothing installed for$bad"
# debian/not-installed: what debhelper installs another way (the unit).
grep -v '^#' debian/not-installed >> "$TMPD/claimed"
# (dh_installsystemd takes debian/PACKAGE.NAME.service only with --name=NAME)
if [ -e debian/nvghost-tools.nvgpolicy.service ] &&
   grep -q 'dh_installsystemd .*--name=nvgpolicy' debian/rules; then
	pass unit_for_dh_installsystemd
else
	fail unit_for_dh_installsystemd "want debian/nvghost-tools.nvgpolicy.service and dh_installsystemd --name=nvgpolicy"
fi
unclaimed=$(sort -u "$TMPD/claimed" | comm -23 "$TMPD/files" -)
[ -z "$unclaimed" ] && pass every_file_packaged || fail every_file_packaged "in no package: $(echo $unclaimed)"

bad=
for f in usr/sbin/nvgpolicy usr/bin/nvgtop usr/bin/nvginfo usr/bin/nvgbench \
	usr/lib/nvghost/nvgpolicy-service usr/lib/nvghost/gen-vmlinux-h; do
	[ -x "$R/$f" ] || bad="$bad $f"
done
[ -z "$bad" ] && pass executables || fail executables "not executable:$bad"

# DKMS: dkms.conf with the version, and a source for every Kbuild object.
D=$R/usr/src/nvghost-$VERSION
if grep -qx "PACKAGE_VERSION=\"$VERSION\"" "$D/dkms.conf" && grep -q '^BUILT_MODULE_LOCATION\[0\]="kmod/"' "$D/dkms.conf"; then
	pass dkms_conf
else
	fail dkms_conf "$D/dkms.conf: want PACKAGE_VERSION=\"$VERSION\" and BUILT_MODULE_LOCATION kmod/"
fi
missing=
for o in $(sed -n 's/^[ \t]*\([a-z_/]*\)\.o.*/\1/p' kmod/Kbuild | grep -v '^nvghost$'); do
	[ -f "$D/kmod/$o.c" ] || missing="$missing $o.c"
done
[ -f "$D/uapi/nvghost_drm.h" ] || missing="$missing uapi/nvghost_drm.h"
[ -z "$missing" ] && pass dkms_sources || fail dkms_sources "missing in $D:$missing"

# The unit, against the staged root (with the host's own units beside it).
mkdir -p "$TMPD/sr/usr/lib/systemd/system"
cp -a "$R/." "$TMPD/sr/"
cp -an /lib/systemd/system/. "$TMPD/sr/usr/lib/systemd/system/" 2>/dev/null
if command -v systemd-analyze >/dev/null; then
	out=$(systemd-analyze verify --man=no --root="$TMPD/sr" nvgpolicy.service 2>&1)
	rc=$?
	[ $rc -eq 0 ] && [ -z "$out" ] && pass systemd_analyze_verify ||
		fail systemd_analyze_verify "status $rc: $(echo "$out" | tr '\n' ' ')"
else
	fail systemd_analyze_verify "systemd-analyze is not installed"
fi
sh -n "$R/usr/lib/nvghost/nvgpolicy-service" && pass service_script_syntax ||
	fail service_script_syntax "sh -n failed"
bash -n "$R/usr/share/bash-completion/completions/nvgpolicy" && pass completion_syntax ||
	fail completion_syntax "bash -n failed"

# Man pages: all five, rendered by groff with every warning on.
for m in man1/nvginfo.1 man1/nvgbench.1 man1/nvgtop.1 man4/nvghost.4 man8/nvgpolicy.8; do
	f=$R/usr/share/man/$m
	if [ ! -s "$f" ]; then
		fail "man_$(basename $m)" "$f missing"
		continue
	fi
	w=$(groff -man -ww -z -Tutf8 "$f" 2>&1)
	[ -z "$w" ] && pass "man_$(basename $m)" || fail "man_$(basename $m)" "groff warns: $(echo "$w" | head -n 3 | tr '\n' ' ')"
done

# Installed policies: each has a description and its hooks.
NVG_POLICY_PATH=$R/usr/lib/nvghost/policies "$R/usr/sbin/nvgpolicy" list --available > "$TMPD/avail" 2>&1
n=$(grep -cE '^[a-z]+ +[a-z,]+ +[a-z]' "$TMPD/avail")
if [ "$n" -eq "$(ls profiles/*.bpf.c | wc -l)" ] && ! grep -q 'no description' "$TMPD/avail"; then
	pass policies_described
else
	fail policies_described "$n described of $(ls profiles/*.bpf.c | wc -l): $(head -n 4 "$TMPD/avail" | tr '\n' ' ')"
fi
pkg-config --validate "$R/usr/lib/$(gcc -print-multiarch)/pkgconfig/nvghost.pc" &&
	pass pkgconfig_valid || fail pkgconfig_valid "pkg-config --validate failed"

# Out-of-tree policy against the staged nvghost-dev, vmlinux.h from the
# module built here and the pinned kernel's BTF.
cp -r "$R/usr/share/doc/nvghost-dev/examples/policy" "$TMPD/ex"
if PKG_CONFIG_PATH=$R/usr/lib/$(gcc -print-multiarch)/pkgconfig PKG_CONFIG_SYSROOT_DIR=$R \
	make -C "$TMPD/ex" MODULE="$PWD/build/nvghost.ko" \
	VMLINUX="/usr/src/linux-headers-$KVER/vmlinux" > "$TMPD/ex.log" 2>&1; then
	pass example_builds
else
	fail example_builds "$(tail -n 5 "$TMPD/ex.log" | tr '\n' ' ')"
fi
NVG_POLICY_PATH=$TMPD/ex/.output "$R/usr/sbin/nvgpolicy" list --available > "$TMPD/ex.avail" 2>&1
grep -qE '^lifo +sched +an example policy built outside' "$TMPD/ex.avail" &&
	pass example_described || fail example_described "$(head -n 3 "$TMPD/ex.avail" | tr '\n' ' ')"
if readelf -S "$TMPD/ex/.output/lifo.bpf.o" 2>/dev/null | grep -q '\.struct_ops\.link'; then
	pass example_has_struct_ops
else
	fail example_has_struct_ops "no .struct_ops.link section in lifo.bpf.o"
fi
