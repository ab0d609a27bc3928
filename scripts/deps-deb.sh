#!/bin/bash
# What `make deb` needs on top of scripts/deps.sh: Debian's packaging tools
# (debhelper, dh-dkms, lintian), scdoc for the man pages, debootstrap for
# tests/deb-sysroot-test.sh's clean root.
# Idempotent; says what it installs.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
PKGS=(debhelper dh-dkms dkms lintian scdoc mandoc dpkg-dev fakeroot debootstrap)
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps-deb: installing ${missing[*]}"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Everything debian/control asks for must now be there.
dpkg-checkbuilddeps debian/control
echo "deps-deb: ready"
