#!/bin/bash
# Build the debug kernel of `make test-debug`: Debian's linux-source-6.12 of
# the pinned kernel's version (scripts/config.sh), configured from
# `make tinyconfig` plus scripts/debug-kernel.config (lockdep, KASAN, UBSAN,
# object debugging, kmemleak, fault injection, KUnit, BTF, and what nvghost
# and the VM need).
#
# Result, under build/debug-kernel/:
#   kver                       the kernel release (e.g. 6.12.111-nvgdebug)
#   kimg/boot/vmlinuz-KVER     the image the VM boots
#   kimg/lib/modules/KVER/     its modules (vgem) and module index
#   src/linux-source-6.12/     the configured, built tree: KDIR for nvghost
#   stamp                      package version + fragment hash of that build
#   build.log                  the last build's output
# Nothing is done when the stamp matches: the kernel is rebuilt only when the
# fragment or the source version changes (then incrementally, if the source
# version is the same).
#
# usage: scripts/debug-kernel.sh     (from anywhere; run it under nice)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/config.sh

say() { printf 'debug-kernel: %s\n' "$*"; }
D=$PWD/build/debug-kernel
FRAG=$PWD/scripts/debug-kernel.config
SRC=$D/src/linux-source-6.12
mkdir -p "$D"

# The source package of the pinned version (6.12.111+deb12-amd64 is built
# from linux 6.12.111-1~deb12u1), or the newest 6.12 if the archive dropped it.
up=${KVER_PIN%%+*}
pkgver=$(apt-cache madison linux-source-6.12 2>/dev/null |
	awk -v u="$up" '{ v = $3 } index(v, u "-") == 1 { print v; exit }')
if [ -z "$pkgver" ]; then
	pkgver=$(apt-cache madison linux-source-6.12 2>/dev/null | awk '{ print $3 }' | sort -V | tail -n1)
	[ -n "$pkgver" ] || { echo "debug-kernel: no linux-source-6.12 in the apt archive (apt-get update?)" >&2; exit 1; }
	printf 'debug-kernel: WARNING: no linux-source-6.12 %s-*; using %s\n' "$up" "$pkgver" >&2
fi
stamp="linux-source-6.12 $pkgver, fragment $(sha256sum "$FRAG" | cut -c1-16)"
if [ "$(cat "$D/stamp" 2>/dev/null)" = "$stamp" ] && [ -f "$D/kver" ] &&
	[ -f "$D/kimg/boot/vmlinuz-$(cat "$D/kver")" ]; then
	exit 0
fi
say "building for: $stamp"
start=$(date +%s)

# What a kernel build needs beyond scripts/deps.sh's packages.
missing=()
for p in flex bison bc libelf-dev libssl-dev rsync; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	SUDO=
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	say "installing ${missing[*]}"
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 1) source
if [ "$(cat "$D/src/.pkgver" 2>/dev/null)" != "$pkgver" ]; then
	rm -rf "$D/src" "$D/dl"
	mkdir -p "$D/src" "$D/dl"
	say "downloading linux-source-6.12 $pkgver"
	(cd "$D/dl" && apt-get download -q "linux-source-6.12=$pkgver" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
	deb=$(ls "$D"/dl/linux-source-6.12_*.deb 2>/dev/null | head -n1)
	[ -n "$deb" ] || { echo "debug-kernel: apt-get download linux-source-6.12=$pkgver failed" >&2; exit 1; }
	say "extracting"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-6.12.tar.xz | tar -xJ -C "$D/src"
	rm -rf "$D/dl"
	echo "$pkgver" > "$D/src/.pkgver"
fi

# The DRM helper libraries are select-only symbols: give the tree one
# symbol that selects them, as an in-tree driver of nvghost's kind would.
# (Re)written at every run, so that a change here reaches a tree extracted
# before it; a tree from before the markers has the block without them.
KCONF=$SRC/drivers/gpu/drm/Kconfig
sed -i -e '/^# nvghost debug lane: begin$/,/^# nvghost debug lane: end$/d' \
	-e '/^config DRM_NVGHOST_DEPS$/,/^\tselect DRM_BUDDY$/d' "$KCONF"
cat >> "$KCONF" <<'KC'
# nvghost debug lane: begin
config DRM_NVGHOST_DEPS
	bool "DRM helpers for the out-of-tree nvghost module (its debug lane)"
	depends on DRM && MMU
	select DRM_KMS_HELPER
	select DRM_GEM_SHMEM_HELPER
	select DRM_SCHED
	select DRM_GPUVM
	select DRM_EXEC
	select DRM_BUDDY
	select DRM_TTM_HELPER if DRM_FBDEV_EMULATION
	# drm_client_setup() (the fbdev console) is an empty inline without it
	select DRM_CLIENT_SELECTION
# nvghost debug lane: end
KC

# 2) configuration: tinyconfig + fragment, then check that every line held
cd "$SRC"
say "configuring (tinyconfig + ${FRAG#"${PWD%/build/*}"/})"
make -s tinyconfig >/dev/null
scripts/kconfig/merge_config.sh -m -O . .config "$FRAG" >/dev/null
make -s olddefconfig >/dev/null
bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) want=$line; sym=${line%%=*} ;;
	"# CONFIG_"*" is not set") sym=${line#\# }; sym=${sym%% *}; want="# $sym is not set" ;;
	*) continue ;;
	esac
	got=$(grep -E "^(# )?$sym[= ]" .config || true)
	if [ "$got" != "$want" ] && ! { [ -z "$got" ] && [ "${want#\# }" != "$want" ]; }; then
		echo "debug-kernel: config: wanted '$want', got '${got:-(absent: a dependency is missing)}'" >&2
		bad=1
	fi
done < "$FRAG"
[ "$bad" = 0 ] || exit 1

# 3) build and install into kimg/
jobs=$(nproc)
say "building with $jobs jobs (log: build/debug-kernel/build.log)"
if ! make -j"$jobs" bzImage modules > "$D/build.log" 2>&1; then
	tail -n 40 "$D/build.log" >&2
	echo "debug-kernel: build failed; full log in $D/build.log" >&2
	exit 1
fi
krel=$(make -s kernelrelease)
rm -rf "$D/kimg"
mkdir -p "$D/kimg/boot"
make -s modules_install INSTALL_MOD_PATH="$D/kimg" INSTALL_MOD_STRIP=1 DEPMOD=/sbin/depmod >> "$D/build.log" 2>&1
rm -f "$D/kimg/lib/modules/$krel/build"
cp arch/x86/boot/bzImage "$D/kimg/boot/vmlinuz-$krel"
echo "$krel" > "$D/kver"
echo "$stamp" > "$D/stamp"
say "built $krel in $(($(date +%s) - start)) s"
