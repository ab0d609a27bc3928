#!/bin/bash
# Build the guest image: an initramfs with busybox, nvghost.ko and the
# closure of the kernel modules it (and the 9p boot) needs, our tools with
# their shared libraries, the BPF objects and the selftests.
#
# The same image boots two ways (tests/vm/init): self-contained (the fast
# path), or as stage 1 of a boot into the host's root filesystem over
# virtio-9p, for tests that need big host tools such as bpftrace.
#
# usage: mkinitramfs.sh [options] OUT.cpio.gz      (run from the top of the tree)
#   --kernel DIR   the guest kernel: DIR/kver names it, DIR/kimg holds its
#                  image and modules (default: build/kver, build/kimg, the
#                  pinned kernel; make test-debug: build/debug-kernel)
#   --module KO    the nvghost.ko to ship (default kmod/nvghost.ko)
#   --extra-ko KO  one more module to ship next to it (repeatable)
#   --tests DIR    more selftests: DIR/*.sh join /test/selftests
#   --test-ko KO   a test-only module for the selftests, shipped in /test
#                  (repeatable; default with the pinned kernel:
#                  build/nvg_devfreq_dummy.ko)
#
# For tests of the Debian packages (tests/deb-test.sh): NVG_KO=FILE in the
# environment is --module FILE (the DKMS-built one), and NVG_PKGROOT=DIR (the
# packages unpacked with dpkg -x) takes nvgpolicy, nvgtop, nvgpolicy-service
# and the policies from there, at their installed paths.
set -euo pipefail
KDIR_VM=build
NVG_KO=${NVG_KO:-kmod/nvghost.ko}
EXTRA_KO=()
MORE_TESTS=
TEST_KO=()
while [ $# -gt 1 ]; do
	case $1 in
	--kernel) KDIR_VM=$2; shift ;;
	--module) NVG_KO=$2; shift ;;
	--extra-ko) EXTRA_KO+=("$2"); shift ;;
	--tests) MORE_TESTS=$2; shift ;;
	--test-ko) TEST_KO+=("$2"); shift ;;
	*) echo "mkinitramfs.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
OUT=$1
KVER=$(cat "$KDIR_VM/kver")
KIMG=$(cd "$KDIR_VM/kimg" && pwd)
MODDIR=lib/modules/$KVER
ROOT=$(mktemp -d "${TMPDIR:-/tmp}/nvghost-initrd.XXXXXX")
trap 'rm -rf "$ROOT"' EXIT

# The extracted kernel's module tree needs its index once, for the closure.
if [ ! -f "$KIMG/$MODDIR/modules.dep" ]; then
	echo "vm: indexing the guest kernel's modules (once)"
	depmod -b "$KIMG" "$KVER"
fi

mkdir -p "$ROOT"/{bin,sbin,dev,proc,sys,tmp,run,etc,root,usr/bin,usr/sbin,lib,lib64}
mkdir -p "$ROOT"/{test/bpf,usr/share/nvghost/profiles,usr/share/nvghost/traces,newroot,lower,rw}
cp /bin/busybox "$ROOT/bin/busybox"
ln -s busybox "$ROOT/bin/sh"
# busybox's modprobe reads modules.dep like kmod's and is what request_module
# finds at /sbin/modprobe.
for t in modprobe insmod rmmod lsmod modinfo; do ln -sf ../bin/busybox "$ROOT/sbin/$t"; done

# A host binary plus every shared library ldd lists.
copy_bin() {
	local src=$1 dst=$2 lib
	mkdir -p "$ROOT$(dirname "$dst")"
	cp -L "$src" "$ROOT$dst"
	for lib in $(ldd "$src" 2>/dev/null | grep -oE '/[^ ]+'); do
		[ -e "$ROOT$lib" ] && continue
		mkdir -p "$ROOT$(dirname "$lib")"
		cp -L "$lib" "$ROOT$lib"
	done
}
copy_bin build/nvgpolicy /usr/bin/nvgpolicy
copy_bin build/nvginfo /usr/bin/nvginfo
copy_bin build/nvgtop /usr/bin/nvgtop
copy_bin build/ioctl_test /usr/bin/ioctl_test
copy_bin build/gem_test /usr/bin/gem_test
copy_bin build/submit_test /usr/bin/submit_test
copy_bin build/vm_bind_test /usr/bin/vm_bind_test
copy_bin build/uvm_test /usr/bin/uvm_test
copy_bin build/fdinfo_test /usr/bin/fdinfo_test
copy_bin build/libnvg_test /usr/bin/libnvg_test
copy_bin build/prime_vgem_test /usr/bin/prime_vgem_test
copy_bin build/bench_submit /usr/bin/bench_submit
copy_bin build/nvgbench /usr/bin/nvgbench
copy_bin build/nvgreplay /usr/bin/nvgreplay
copy_bin build/nvgtrace /usr/bin/nvgtrace
copy_bin build/kms_test /usr/bin/kms_test
copy_bin build/kms_conf_test /usr/bin/kms_conf_test
copy_bin build/unplug_test /usr/bin/unplug_test
copy_bin build/recovery_test /usr/bin/recovery_test
copy_bin build/vclock_test /usr/bin/vclock_test
copy_bin build/ioctl_fuzz /usr/bin/ioctl_fuzz
copy_bin /usr/sbin/bpftool /usr/sbin/bpftool
copy_bin /usr/bin/modetest /usr/bin/modetest

# Kernel modules: nvghost's dependency closure (with the devfreq governor it
# asks for by name), the 9p/overlay boot's, and
# vgem's (the baseline of make bench).
mkdir -p "$ROOT/$MODDIR/extra"
cp "$NVG_KO" "$ROOT/$MODDIR/extra/nvghost.ko"
for ko in "${EXTRA_KO[@]}"; do cp "$ko" "$ROOT/$MODDIR/extra/"; done
# test-only, insmod by path; built for the pinned kernel only
if [ ${#TEST_KO[@]} -eq 0 ] && [ "$KDIR_VM" = build ]; then
	TEST_KO=(build/nvg_devfreq_dummy.ko)
fi
for ko in "${TEST_KO[@]}"; do cp "$ko" "$ROOT/test/"; done
cp "$KIMG/$MODDIR"/modules.{order,builtin,builtin.modinfo} "$ROOT/$MODDIR/"
# (a module built into the kernel shows as "builtin NAME": nothing to copy)
deps=$(modinfo -F depends "$NVG_KO" | tr ',' ' ')
for m in $deps governor_simpleondemand netfs 9pnet 9pnet_virtio 9p overlay vgem; do
	modprobe -d "$KIMG" -S "$KVER" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
done | sort -u | while read -r ko; do
	rel=${ko#"$KIMG"/}
	mkdir -p "$ROOT/$(dirname "$rel")"
	# busybox would first hand the compressed file to finit_module(), which
	# logs "Invalid ELF header magic"; store modules uncompressed.
	case $ko in
	*.xz) xz -dc "$ko" > "$ROOT/${rel%.xz}" ;;
	*) cp "$ko" "$ROOT/$rel" ;;
	esac
done
depmod -b "$ROOT" "$KVER"

# The synthetic traces (nvgreplay, make replay, 32-replay).
cp traces/synthetic/*.jsonl "$ROOT/usr/share/nvghost/traces/"
# ... and the long ones (make bench's virtual-time section, tests/vm/bench-vtime.sh)
mkdir -p "$ROOT/usr/share/nvghost/traces/long"
cp traces/synthetic/long/*.jsonl "$ROOT/usr/share/nvghost/traces/long/"
# ... and the short ones (tests/vm/selftests/36-vtime-policies.sh)
mkdir -p "$ROOT/usr/share/nvghost/traces/short"
cp traces/synthetic/short/*.jsonl "$ROOT/usr/share/nvghost/traces/short/"
# ... and the H100 calibration replays (tests/vm/bench-calib.sh)
mkdir -p "$ROOT/usr/share/nvghost/traces/real/calib"
cp traces/real/h100-2026-12-06/calib/* "$ROOT/usr/share/nvghost/traces/real/calib/"
# ... and the real tenants of bench-vtime.sh's tenants_real: the H100 frame
# loop as a 60 Hz game (mktenants.py) and the two decodes, gzipped as
# shipped (nvgreplay reads .gz), and the large training loop: 185 KiB
mkdir -p "$ROOT/usr/share/nvghost/traces/real/tenants"
cp traces/real/h100-2026-12-06/tenants/frames-60hz.nvgt.jsonl \
	traces/real/h100-2026-12-06/decode.nvgt.jsonl.gz \
	traces/real/h100-2026-12-06/decode_graph.nvgt.jsonl.gz \
	traces/real/h100-2026-12-06/train_large.nvgt.jsonl.gz \
	"$ROOT/usr/share/nvghost/traces/real/tenants/"
# ... and those of nvgreplay --tenant and of clients on two GPUs (38-tenants, bench-vtime.sh)
mkdir -p "$ROOT/usr/share/nvghost/traces/tenants" "$ROOT/usr/share/nvghost/traces/gpus"
cp traces/synthetic/tenants/*.jsonl "$ROOT/usr/share/nvghost/traces/tenants/"
cp traces/synthetic/gpus/*.jsonl "$ROOT/usr/share/nvghost/traces/gpus/"
# ... and the managed-memory ones (56-mem-trace)
mkdir -p "$ROOT/usr/share/nvghost/traces/mem"
cp traces/synthetic/mem/*.jsonl "$ROOT/usr/share/nvghost/traces/mem/"

# Every shipped policy (profiles/NAME.bpf.c) that is built goes to $NVG_PROFILES.
for src in profiles/*.bpf.c; do
	o=build/bpf/$(basename "$src" .c).o
	if [ -f "$o" ]; then cp "$o" "$ROOT/usr/share/nvghost/profiles/"; fi
done
# Also where the nvghost-policies package installs them, for load-by-name,
# with nvgpolicy.service's script where nvghost-tools puts it.
mkdir -p "$ROOT/usr/lib/nvghost"
ln -s ../../share/nvghost/profiles "$ROOT/usr/lib/nvghost/policies"
cp systemd/nvgpolicy-service "$ROOT/usr/lib/nvghost/"
for o in build/bpf/*.bpf.o; do
	case $(basename "$o") in fifo.bpf.o) ;; *) cp "$o" "$ROOT/test/bpf/" ;; esac
done
if [ -n "${NVG_PKGROOT:-}" ]; then
	P=$NVG_PKGROOT
	rm -f "$ROOT/usr/bin/nvgpolicy" "$ROOT/usr/bin/nvgtop" "$ROOT/usr/lib/nvghost/policies"
	copy_bin "$P/usr/sbin/nvgpolicy" /usr/sbin/nvgpolicy
	copy_bin "$P/usr/bin/nvgtop" /usr/bin/nvgtop
	cp "$P/usr/lib/nvghost/nvgpolicy-service" "$ROOT/usr/lib/nvghost/"
	cp -r "$P/usr/lib/nvghost/policies" "$ROOT/usr/lib/nvghost/policies"
	echo "vm: module $NVG_KO, tools and policies from $P"
fi
cp tests/vm/lib.sh tests/vm/guest-run.sh tests/vm/demo.sh tests/vm/demo-power.sh tests/vm/demo-pacing.sh tests/vm/demo-replay.sh \
	tests/vm/bench.sh tests/vm/bench-vtime.sh tests/vm/replay.sh "$ROOT/test/"
cp tests/vm/bench-calib.sh tests/vm/bench-uvm.sh "$ROOT/test/"
cp tests/vm/speed-vtime.sh tests/vm/det-vtime.sh tests/vm/bench-fastpath.sh "$ROOT/test/"
cp -r tests/vm/selftests "$ROOT/test/"
if [ -n "$MORE_TESTS" ]; then cp "$MORE_TESTS"/*.sh "$ROOT/test/selftests/"; fi
cp tests/vm/init "$ROOT/init"
chmod +x "$ROOT/init"

mkdir -p "$(dirname "$OUT")"
(cd "$ROOT" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "vm: guest image $OUT ($(du -h "$OUT" | cut -f1))"
