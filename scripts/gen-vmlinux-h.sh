#!/bin/sh
# gen-vmlinux-h - write the vmlinux.h that an nvghost BPF policy includes
# (through nvg/common.bpf.h): every type of the kernel and of the nvghost
# module, as C, from their BTF. Installed as /usr/lib/nvghost/gen-vmlinux-h.
#
#   gen-vmlinux-h [-o FILE] [-b VMLINUX] [MODULE]
#
# MODULE: the module's BTF, by default /sys/kernel/btf/nvghost (the module
# loaded), or an nvghost.ko[.xz] file, such as DKMS's
# /lib/modules/$(uname -r)/updates/dkms/nvghost.ko.xz.
# -b VMLINUX: the kernel's BTF the module's is split on, by default
# /sys/kernel/btf/vmlinux; to build for another kernel than the running one,
# its /usr/src/linux-headers-KVER/vmlinux.
# -o FILE: where to write (default: standard output).
#
# Needs bpftool. A policy built on one 6.12 kernel's vmlinux.h loads on the
# others: libbpf relocates its field accesses (CO-RE).
set -eu
out=
base=/sys/kernel/btf/vmlinux
while getopts o:b:h opt; do
	case $opt in
	o) out=$OPTARG ;;
	b) base=$OPTARG ;;
	*) sed -n '2,/^set/{/^set/d;s/^# \{0,1\}//;p}' "$0"; [ "$opt" = h ]; exit ;;
	esac
done
shift $((OPTIND - 1))
mod=${1:-/sys/kernel/btf/nvghost}

die() { echo "gen-vmlinux-h: $*" >&2; exit 1; }
command -v bpftool >/dev/null || die "bpftool is not installed (apt install bpftool)"
[ -e "$base" ] || die "no kernel BTF at $base (CONFIG_DEBUG_INFO_BTF; or -b /usr/src/linux-headers-KVER/vmlinux)"
if [ ! -e "$mod" ]; then
	[ "$mod" = /sys/kernel/btf/nvghost ] && die "the nvghost module is not loaded (modprobe nvghost), and no MODULE file was given"
	die "$mod: no such file"
fi
tmp=
trap '[ -z "$tmp" ] || rm -f "$tmp"' EXIT
case $mod in
*.xz) tmp=$(mktemp); xz -dc "$mod" > "$tmp"; mod=$tmp ;;
*.zst) tmp=$(mktemp); zstd -qdc "$mod" > "$tmp"; mod=$tmp ;;
esac
if [ -n "$out" ]; then
	bpftool btf dump file "$mod" --base-btf "$base" format c > "$out.tmp"
	mv "$out.tmp" "$out"
else
	bpftool btf dump file "$mod" --base-btf "$base" format c
fi
