#!/bin/bash
# Install everything nvghost needs on a Debian 12 (bookworm) machine.
#
# Idempotent: every step checks first and says what it does. Safe to run on
# every `make`. Needs root (or sudo) only when something is missing.
#
# Result: build/kver holds the kernel version in use; build/kimg/ holds the
# extracted (not installed) kernel image the VM boots.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/config.sh

say() { printf 'deps: %s\n' "$*"; }
warn() { printf 'deps: WARNING: %s\n' "$*" >&2; }

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "deps: need root or sudo to install packages" >&2; exit 1; }
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
# linux-headers depends on linux-image; INITRD=No stops the image's postinst
# from building a host initramfs we never use (minutes, and pulls udev).
export INITRD=No

mkdir -p build
APT_UPDATED=
apt_update() {
	[ -n "$APT_UPDATED" ] && return 0
	say "apt-get update"
	$SUDO apt-get update -qq
	APT_UPDATED=1
}

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed'; }

# 1) bookworm-backports (qemu 10, libbpf 1.4, bpftool 7.5 come from there)
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	say "adding bookworm-backports to apt sources"
	$SUDO tee /etc/apt/sources.list.d/nvghost-backports.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	APT_UPDATED=
	apt_update
fi

# 2) the kernel version: the pin, or the newest 6.12 if the archive dropped it
KVER=$KVER_PIN
if [ ! -d "/usr/src/linux-headers-$KVER" ]; then
	apt_update
	if ! apt-cache show "linux-headers-$KVER" >/dev/null 2>&1; then
		newest=$(apt-cache pkgnames linux-headers-6.12. | grep -E '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
			sed 's/^linux-headers-//' | sort -V | tail -n1)
		[ -n "$newest" ] || { echo "deps: no linux-headers-6.12.*+deb12-amd64 in the archive" >&2; exit 1; }
		warn "pinned kernel $KVER_PIN is no longer in the archive; falling back to $newest"
		KVER=$newest
	fi
fi
# Rewrite only on change: build products depend on this file's date.
[ "$(cat build/kver 2>/dev/null)" = "$KVER" ] || echo "$KVER" > build/kver

# 3) packages
BOOKWORM_PKGS=(gcc make libc6-dev clang llvm pahole busybox-static cpio xz-utils kmod bc
	bpftrace libdrm-tests libdrm-dev pkg-config libcriterion-dev gnuplot-nox file
	lm-sensors gcc-multilib python3 libclang-rt-14-dev scdoc groff-base systemd)
BPO_PKGS=(qemu-system-x86 libbpf-dev bpftool)
missing=()
for p in "${BOOKWORM_PKGS[@]}" "linux-headers-$KVER"; do have_pkg "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
	apt_update
	say "installing ${missing[*]}"
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
missing=()
for p in "${BPO_PKGS[@]}"; do have_pkg "$p" || missing+=("$p"); done
# Debian 12 itself ships libbpf 1.1, too old for module struct_ops
if have_pkg libbpf-dev && dpkg --compare-versions "$(dpkg-query -W -f='${Version}' libbpf-dev)" lt 1:1.4; then
	missing+=(libbpf-dev)
fi
if [ ${#missing[@]} -gt 0 ]; then
	apt_update
	say "installing from bookworm-backports: ${missing[*]}"
	$SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports "${missing[@]}"
fi

# 4) the guest kernel: extracted from its .deb, never installed
if [ ! -f "build/kimg/boot/vmlinuz-$KVER" ]; then
	apt_update
	say "downloading and extracting linux-image-$KVER into build/kimg"
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -qq "linux-image-$KVER")
	rm -rf build/kimg.tmp
	dpkg-deb -x "$tmp"/linux-image-*.deb build/kimg.tmp
	rm -rf "$tmp" build/kimg
	mv build/kimg.tmp build/kimg
fi
say "ready (kernel $KVER)"
