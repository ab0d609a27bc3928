#!/bin/bash
# make test-deb: the Debian packages, built and used as a user would.
#   1. make deb (debhelper, dh-dkms, lintian: no errors) into build/deb/;
#   2. every package unpacked (dpkg -x) into a clean root: the files each
#      must ship, and the dependencies dpkg records;
#   3. DKMS, in its own tree, builds nvghost.ko from nvghost-dkms's source
#      for the pinned kernel's headers; the module has BTF;
#   4. the VM boots with that module and the packaged tools and policies:
#      modprobe nvghost, nvgpolicy load gaming by name, the service's
#      start/watch/stop, nvgtop (selftests 28, 29, 30);
#   5. tests/deb-sysroot-test.sh: `apt install` of the packages into a clean
#      Debian 12 root (DKMS builds the module from the postinst), booted
#      under its own systemd: nvgpolicy.service at boot, ejection, restart,
#      stop (NVG_DEB_SYSROOT=0 skips it, saying so).
# Ends with "N passed, M failed". --no-build reuses build/deb/'s packages.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
passed=0
failed=0
pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1: $2"; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }

KVER=$(cat build/kver)
VERSION=$(dpkg-parsechangelog -S Version)
OUT=build/deb
ROOT=$OUT/root

# --no-build: test the packages already in build/deb/ (after a make deb).
if [ "${1:-}" = --no-build ] && ls $OUT/*.changes >/dev/null 2>&1; then
	echo "deb-test: using the packages in $OUT"
elif make --no-print-directory deb; then
	pass make_deb
else
	fail make_deb "see $OUT/build.log"
	finish
fi
grep -qE '^E: ' $OUT/lintian.log && fail lintian_no_errors "$(grep -E '^E: ' $OUT/lintian.log | head -n 3)" || pass lintian_no_errors
tags=$(grep -E '^[EW]: ' $OUT/lintian.log | sort -u)
[ -z "$tags" ] && pass lintian_no_warnings || fail lintian_no_warnings "$(echo "$tags" | head -n 5 | tr '\n' ' ')"

rm -rf "$ROOT"
mkdir -p "$ROOT"
for p in nvghost-dkms nvghost-tools nvghost-policies nvghost-dev; do
	deb=$(ls $OUT/${p}_"$VERSION"_*.deb 2>/dev/null | head -n 1)
	if [ -z "$deb" ]; then fail "deb_$p" "no $p package in $OUT"; continue; fi
	dpkg-deb -x "$deb" "$ROOT" && pass "unpack_$p" || fail "unpack_$p" "dpkg-deb -x $deb"
done
want() { # want PACKAGE-LABEL PATH...
	local l=$1 m=
	shift
	# shellcheck disable=SC2086 # $f may be a glob (usr/lib/*/libnvg.a)
	# (units: /lib/systemd/system on Debian 12, /usr/lib/... later)
	for f in "$@"; do
		ls -d "$ROOT"/$f >/dev/null 2>&1 || ls -d "$ROOT"/usr/$f >/dev/null 2>&1 || m="$m $f"
	done
	[ -z "$m" ] && pass "contents_$l" || fail "contents_$l" "missing:$m"
}
want dkms usr/src/nvghost-$VERSION/dkms.conf usr/src/nvghost-$VERSION/Makefile \
	usr/src/nvghost-$VERSION/kmod/Kbuild usr/src/nvghost-$VERSION/uapi/nvghost_drm.h \
	etc/modprobe.d/nvghost.conf
want tools usr/sbin/nvgpolicy usr/bin/nvgtop usr/bin/nvginfo usr/bin/nvgbench \
	lib/systemd/system/nvgpolicy.service usr/lib/nvghost/nvgpolicy-service \
	etc/default/nvgpolicy usr/share/bash-completion/completions/nvgpolicy \
	usr/share/man/man8/nvgpolicy.8.gz usr/share/man/man1/nvgtop.1.gz \
	usr/share/man/man1/nvginfo.1.gz usr/share/man/man1/nvgbench.1.gz \
	usr/share/man/man4/nvghost.4.gz usr/share/nvghost/trace/job-latency.bt
want policies $(for s in profiles/*.bpf.c; do echo usr/lib/nvghost/policies/$(basename "$s" .c).o; done)
want dev usr/include/nvghost/nvghost_drm.h usr/include/nvghost/nvg.h \
	usr/include/nvghost/bpf/nvg/common.bpf.h usr/lib/*/libnvg.a \
	usr/lib/*/pkgconfig/nvghost.pc usr/lib/nvghost/gen-vmlinux-h \
	usr/share/doc/nvghost-dev/examples/policy/Makefile
dep() { # dep PACKAGE PATTERN: its Depends field matches
	local d
	d=$(dpkg-deb -f $OUT/"$1"_"$VERSION"_*.deb Depends)
	echo "$d" | grep -qE "$2" && pass "depends_$1" || fail "depends_$1" "Depends '$d' lacks $2"
}
dep nvghost-dkms 'dkms \(>= '
dep nvghost-tools 'libbpf1 \(>= 1:1\.[4-9]'
script_has() { # script_has LABEL PACKAGE SCRIPT PATTERN
	rm -rf "$OUT/ctl"
	dpkg-deb -e $OUT/"$2"_"$VERSION"_*.deb "$OUT/ctl"
	grep -qs -- "$4" "$OUT/ctl/$3" && pass "$1" || fail "$1" "$2's $3 has no '$4'"
}
script_has dkms_postinst nvghost-dkms postinst 'dkms'
script_has dkms_prerm nvghost-dkms prerm 'dkms remove'
script_has service_enabled nvghost-tools postinst 'deb-systemd-helper'
script_has conffiles nvghost-tools conffiles '/etc/default/nvgpolicy'

# DKMS builds the module from the package's source, in a private tree.
DK=$OUT/dkms
rm -rf "$DK"
mkdir -p "$DK"
if dkms add -m nvghost -v "$VERSION" --sourcetree "$PWD/$ROOT/usr/src" --dkmstree "$PWD/$DK" >"$OUT/dkms.log" 2>&1 &&
   dkms build -m nvghost -v "$VERSION" -k "$KVER" --kernelsourcedir "/usr/src/linux-headers-$KVER" \
	--sourcetree "$PWD/$ROOT/usr/src" --dkmstree "$PWD/$DK" >>"$OUT/dkms.log" 2>&1; then
	pass dkms_build
else
	fail dkms_build "$(tail -n 5 "$OUT/dkms.log" | tr '\n' ' ')"
	finish
fi
ko=$(find "$DK" -path "*/$KVER/*" -name 'nvghost.ko*' | head -n 1)
case $ko in
*.xz) xz -dc "$ko" > $OUT/nvghost.ko ;;
*) cp "$ko" $OUT/nvghost.ko ;;
esac
readelf -S $OUT/nvghost.ko | grep -q '\.BTF ' && pass dkms_module_btf || fail dkms_module_btf "$ko has no .BTF"
[ "$(modinfo -F vermagic $OUT/nvghost.ko | cut -d' ' -f1)" = "$KVER" ] && pass dkms_module_vermagic ||
	fail dkms_module_vermagic "vermagic $(modinfo -F vermagic $OUT/nvghost.ko)"

# The VM with the DKMS module and the packaged tools and policies.
if NVG_KO=$OUT/nvghost.ko NVG_PKGROOT=$ROOT tests/vm/mkinitramfs.sh $OUT/initramfs.cpio.gz; then
	NVG_INITRD=$OUT/initramfs.cpio.gz LOG=$OUT/serial.log tests/vm/run-vm.sh nvg.tests=28-policy-names,29-service,30-nvgtop
	line=$(grep -a -E '^vm: [0-9]+ passed, [0-9]+ failed' $OUT/serial.log | tail -n 1)
	grep -a -E '^(PASS|FAIL): ' $OUT/serial.log | sed 's/^/  vm: /'
	if [ -n "$line" ]; then
		passed=$((passed + $(echo "$line" | awk '{ print $2 }')))
		failed=$((failed + $(echo "$line" | awk '{ print $4 }')))
	else
		fail vm_run "no tally in $OUT/serial.log"
	fi
else
	fail vm_image "mkinitramfs with the packaged files failed"
fi

if [ "${NVG_DEB_SYSROOT:-1}" = 0 ]; then
	echo "deb-test: NVG_DEB_SYSROOT=0: apt install into a clean root under systemd NOT run"
else
	tests/deb-sysroot-test.sh | tee $OUT/sysroot-test.out
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' $OUT/sysroot-test.out | tail -n 1)
	if [ -n "$line" ]; then
		passed=$((passed + $(echo "$line" | awk '{ print $1 }')))
		failed=$((failed + $(echo "$line" | awk '{ print $3 }')))
	else
		fail sysroot "tests/deb-sysroot-test.sh gave no tally (see $OUT/sysroot-test.out)"
	fi
fi
finish
