#!/bin/bash
# make test-deb, part 2: the packages installed the way a user installs
# them, then booted under a real systemd.
#   1. a clean Debian 12 root (debootstrap --variant=minbase, systemd), with
#      bookworm-updates, -security and -backports in its sources;
#   2. in it, as README's install section says: the pinned kernel's headers
#      (which bring its image), then `apt install -t bookworm-backports
#      ./nvghost-{dkms,tools,policies}_*.deb`: apt resolves the dependencies,
#      dpkg runs the maintainer scripts, and DKMS (the package's postinst)
#      builds nvghost.ko for the pinned kernel;
#   3. /etc/default/nvgpolicy names `gaming`; the VM boots that root over
#      virtio-9p with its own systemd as PID 1 (run-vm.sh --sysroot), and
#      nvg-systest.service (written here, ordered after nvgpolicy.service)
#      checks the service at boot, its status and journal, an ejection,
#      restart, stop and `systemd-analyze verify`, printing "SYS: PASS/FAIL"
#      lines and its tally on the serial console.
# Needs root (chroot, mounts) and the network (the Debian archive). The
# debootstrap'd base is cached in build/deb-cache/ (delete it to re-make).
# --boot-only: boot the root an earlier run left in build/deb/sysroot again
# (steps 1 and 2 skipped), e.g. after changing only the guest's checks.
# Ends with "N passed, M failed"; exit status 0 only if none failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
passed=0
failed=0
pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1: $2"; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }
say() { echo "deb-sysroot: $*"; }

KVER=$(cat build/kver)
VERSION=$(dpkg-parsechangelog -S Version)
OUT=build/deb
SYS=$OUT/sysroot
CACHE=build/deb-cache
BASE=$CACHE/bookworm-minbase.tar
MIRROR=${NVG_DEBIAN_MIRROR:-http://deb.debian.org/debian}
LOGF=$OUT/sysroot.log

if [ "$(id -u)" -ne 0 ]; then
	if sudo -n true 2>/dev/null; then exec sudo -n "$PWD/tests/deb-sysroot-test.sh" "$@"; fi
	fail sysroot_root "this test needs root (chroot and mounts): run it as root or with password-less sudo"
	finish
fi
command -v debootstrap >/dev/null || { fail sysroot_debootstrap "debootstrap is not installed (scripts/deps-deb.sh installs it)"; finish; }

mounted=()
umount_all() {
	local i
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null; done
	mounted=()
}
trap umount_all EXIT
in_root() { chroot "$SYS" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
	DEBIAN_FRONTEND=noninteractive "$@"; }

BOOT_ONLY=
if [ "${1:-}" = --boot-only ]; then
	[ -e "$SYS/usr/lib/nvghost/nvgpolicy-service" ] ||
		{ fail sysroot_boot_only "no installed root in $SYS to boot: run without --boot-only first"; finish; }
	BOOT_ONLY=1
fi

# Steps 1 and 2 (not with --boot-only).
install_root() {
# 1. The clean root.
rm -rf "$SYS"
mkdir -p "$SYS" "$CACHE"
: > "$LOGF"
if [ ! -s "$BASE" ]; then
	say "debootstrap bookworm (minbase + systemd) from $MIRROR; a few minutes, log in $LOGF"
	if debootstrap --variant=minbase --include=systemd,systemd-sysv,udev,kmod,ca-certificates \
		bookworm "$SYS" "$MIRROR" >>"$LOGF" 2>&1; then
		tar -C "$SYS" -cf "$BASE.tmp" . && mv "$BASE.tmp" "$BASE"
	else
		fail sysroot_debootstrap "debootstrap failed: $(tail -n 3 "$LOGF" | tr '\n' ' ')"
		finish
	fi
else
	say "the clean root from the cache ($BASE)"
	tar -C "$SYS" -xf "$BASE"
fi
pass sysroot_debootstrap
cat > "$SYS/etc/apt/sources.list" <<SRC
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb $MIRROR bookworm-backports main
deb http://deb.debian.org/debian-security bookworm-security main
SRC
# The headers bring the kernel's image (their dependency): its initramfs is
# never booted here (run-vm.sh boots the root over 9p), so making one (a
# minute or more per kernel) is diverted to true.
chroot "$SYS" dpkg-divert --local --rename --add /usr/sbin/update-initramfs >>"$LOGF" 2>&1
ln -sf /bin/true "$SYS/usr/sbin/update-initramfs"
for m in proc sys dev dev/pts; do
	mkdir -p "$SYS/$m"
	case $m in
	proc) mount -t proc proc "$SYS/proc" ;;
	*) mount --bind "/$m" "$SYS/$m" ;;
	esac && mounted+=("$SYS/$m")
done

# 2. apt, as the README says.
say "apt-get update and the kernel's headers (linux-headers-$KVER)"
if in_root apt-get update -qq >>"$LOGF" 2>&1 &&
   in_root apt-get install -y -qq --no-install-recommends "linux-headers-$KVER" >>"$LOGF" 2>&1; then
	pass sysroot_kernel_headers
else
	fail sysroot_kernel_headers "apt-get install linux-headers-$KVER failed: $(tail -n 3 "$LOGF" | tr '\n' ' ')"
	finish
fi
mkdir -p "$SYS/tmp/debs"
for p in nvghost-dkms nvghost-tools nvghost-policies; do
	cp $OUT/${p}_"$VERSION"_*.deb "$SYS/tmp/debs/" || { fail "sysroot_deb_$p" "no $p package in $OUT"; finish; }
done
say "apt install -t bookworm-backports ./nvghost-{dkms,tools,policies}_${VERSION}_*.deb (DKMS builds the module: minutes)"
if in_root sh -c 'cd /tmp/debs && apt-get install -y -q -t bookworm-backports ./nvghost-dkms_*.deb ./nvghost-tools_*.deb ./nvghost-policies_*.deb' \
	>>"$LOGF" 2>&1; then
	pass sysroot_apt_install
else
	fail sysroot_apt_install "apt install of the packages failed: $(grep -E '^(E:| )' "$LOGF" | tail -n 4 | tr '\n' ' ')"
	finish
fi
# apt also installs what the packages recommend: bookworm-backports' newest
# 6.12 headers (and image), which may be older than the ones the module
# needs (dkms.conf's BUILD_EXCLUSIVE_KERNEL): DKMS must skip those, not fail.
for k in $(ls "$SYS/lib/modules"); do
	[ "$k" = "$KVER" ] && continue
	grep -q "Building initial module for $k" "$LOGF" || continue
	# dkms_common.postinst ends each kernel's block with "Skipped." or "Done."
	# (after DKMS's own messages), or fails the install. (apt's log has
	# CR-LF line ends.)
	res=$(awk -v b="Building initial module for $k" '{ sub(/\r$/, "") } $0 == b { f = 1; next }
		f && /^(Skipped|Done)\.$/ { print; exit } f && /^Building initial module for / { exit }' "$LOGF")
	if [ -n "$res" ]; then
		pass "sysroot_dkms_other_kernel_$k"
	else
		fail "sysroot_dkms_other_kernel_$k" "expected DKMS to skip kernel $k (older than dkms.conf's BUILD_EXCLUSIVE_KERNEL) or build it, seen: $(in_root dkms status -m nvghost -k "$k" 2>&1 | tr '\n' ' ')"
	fi
done
st=$(in_root dkms status -m nvghost -v "$VERSION" -k "$KVER" 2>&1)
case $st in
*installed*) pass sysroot_dkms_installed ;;
*) fail sysroot_dkms_installed "expected 'installed' for $KVER in dkms status, seen '$st'" ;;
esac
ko=$(in_root modinfo -k "$KVER" -n nvghost 2>&1)
case $ko in
*/updates/dkms/nvghost.ko*) pass sysroot_module_from_dkms ;;
*) fail sysroot_module_from_dkms "expected modinfo -n nvghost under updates/dkms, seen '$ko'" ;;
esac
[ -L "$SYS/etc/systemd/system/multi-user.target.wants/nvgpolicy.service" ] && pass sysroot_service_enabled ||
	fail sysroot_service_enabled "nvgpolicy.service not enabled by the package (no multi-user.target.wants link)"
in_root nvgpolicy list --available > "$OUT/sysroot-list.txt" 2>&1
grep -q '^gaming' "$OUT/sysroot-list.txt" && pass sysroot_policies_by_name ||
	fail sysroot_policies_by_name "expected gaming in nvgpolicy list --available, seen: $(head -n 3 "$OUT/sysroot-list.txt" | tr '\n' ' ')"

}
umount_all
[ -n "$BOOT_ONLY" ] || install_root

# 3. Configure, then boot it under systemd.
sed -i 's/^NVGPOLICY_POLICIES=""/NVGPOLICY_POLICIES="gaming"/; s/^NVGPOLICY_WATCH_INTERVAL=.*/NVGPOLICY_WATCH_INTERVAL=1/' \
	"$SYS/etc/default/nvgpolicy"
grep -q '^NVGPOLICY_POLICIES="gaming"' "$SYS/etc/default/nvgpolicy" ||
	{ fail sysroot_config "could not set NVGPOLICY_POLICIES in /etc/default/nvgpolicy"; finish; }
install -m 0755 tests/vm/sysroot/nvg-systest "$SYS/usr/local/sbin/nvg-systest"
install -m 0644 tests/vm/sysroot/nvg-systest.service "$SYS/etc/systemd/system/nvg-systest.service"
ln -sf /etc/systemd/system/nvg-systest.service "$SYS/etc/systemd/system/multi-user.target.wants/nvg-systest.service"
echo nvghost-sysroot > "$SYS/etc/hostname"
: > "$SYS/etc/machine-id"
umount_all

say "booting the root under its own systemd (run-vm.sh --sysroot)"
SLOG=$OUT/sysroot-serial.log
NVG_INITRD=${NVG_INITRD:-$OUT/initramfs.cpio.gz}
[ -s "$NVG_INITRD" ] || NVG_INITRD=build/vm/initramfs.cpio.gz
NVG_INITRD=$NVG_INITRD LOG=$SLOG TIMEOUT=${NVG_VM_TIMEOUT:-900} tests/vm/run-vm.sh --sysroot "$SYS" \
	systemd.show_status=0
grep -a -E '^SYS: (PASS|FAIL): ' "$SLOG" | sed 's/^SYS: /  vm: /'
line=$(grep -a -E '^SYS: [0-9]+ passed, [0-9]+ failed' "$SLOG" | tail -n 1)
if [ -n "$line" ]; then
	passed=$((passed + $(echo "$line" | awk '{ print $2 }')))
	failed=$((failed + $(echo "$line" | awk '{ print $4 }')))
else
	fail sysroot_vm "no tally from nvg-systest in $SLOG (did systemd boot? see its tail above)"
fi
finish
