# SPDX-License-Identifier: GPL-2.0
# nvghost: a DRM driver whose policies are BPF programs.
#
#   make run     boot the test VM, load the driver and a policy, run work,
#                show the results (the main job)
#   make test    every test: host unit tests, then the VM selftests
#   make         build everything (module, BPF, tools); installs what is
#                missing first (scripts/deps.sh)
#   make help    the other targets
#
# Both `run` and `test` install their own dependencies on a fresh Debian 12
# machine. V=1 shows the commands.

ifeq ($(V),1)
Q :=
else
Q := @
endif

B := build
KVER = $(shell cat $(B)/kver 2>/dev/null)
KDIR = /usr/src/linux-headers-$(KVER)
CC ?= gcc
CFLAGS ?= -O2 -g
USER_CFLAGS := $(CFLAGS) -Wall -Wextra -Werror -Ikmod -Iuapi -I/usr/include/libdrm
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_x86 -mcpu=v3 -Wall -Werror \
	-I$(B)/bpf -Ibpf

PROFILES := $(patsubst profiles/%.bpf.c,$(B)/bpf/%.bpf.o,$(wildcard profiles/*.bpf.c))
TEST_BPF := $(patsubst tests/vm/bpf/%.bpf.c,$(B)/bpf/%.bpf.o,$(wildcard tests/vm/bpf/*.bpf.c))
UNIT := $(patsubst tests/unit/%.c,$(B)/unit/%,$(wildcard tests/unit/test_*.c))
KMOD_SRCS := $(shell find kmod -name '*.[ch]') kmod/Kbuild
TOOLS := $(B)/nvgpolicy $(B)/nvginfo $(B)/ioctl_test $(B)/gem_test $(B)/submit_test $(B)/fdinfo_test $(B)/libnvg_test $(B)/prime_vgem_test \
	$(B)/bench_submit $(B)/vm_bind_test $(B)/nvgbench $(B)/kms_test

.DELETE_ON_ERROR:
.SECONDARY:

# Public targets: set up first, then build with the kernel version known.
all: deps
	$(Q)$(MAKE) --no-print-directory build

run: deps
	$(Q)$(MAKE) --no-print-directory build $(B)/vm/initramfs.cpio.gz
	$(Q)scripts/run-demo.sh

# Micro-benchmarks in the VM, saved to bench/results-<UTC date>.txt (bench/README.md).
bench: deps
	$(Q)$(MAKE) --no-print-directory build $(B)/vm/initramfs.cpio.gz
	$(Q)scripts/bench.sh

test: deps
	$(Q)$(MAKE) --no-print-directory build $(UNIT) $(B)/vm/initramfs.cpio.gz
	$(Q)scripts/run-tests.sh

# The debug-kernel lane (scripts/test-debug.sh): every VM selftest, KUnit and
# a fault-injection run on a lockdep/KASAN/UBSAN kernel built from Debian's
# linux-source-6.12 (cached in build/debug-kernel; the first build is long).
test-debug: deps
	$(Q)$(MAKE) --no-print-directory build
	$(Q)scripts/test-debug.sh

deps:
	$(Q)scripts/deps.sh

help:
	@sed -n '2,/^$$/s/^# \?//p' Makefile
	@echo "Other targets: bench (benchmarks in the VM, bench/README.md), deps,"
	@echo "test-debug (the VM selftests, KUnit and fault injection on a debug"
	@echo "kernel: lockdep, KASAN, UBSAN; README.md), debug-kernel (build it only),"
	@echo "build (no dependency check), unit (host tests"
	@echo "only), checkpatch, clean. O=... is not supported; outputs go to build/."

# Internal: the build proper.
build: $(B)/nvghost.ko $(PROFILES) $(TEST_BPF) $(TOOLS)

debug-kernel: deps
	$(Q)nice -n 10 scripts/debug-kernel.sh

unit: deps
	$(Q)$(MAKE) --no-print-directory $(UNIT)
	$(Q)scripts/run-tests.sh --unit-only

$(B)/nvghost.ko: $(KMOD_SRCS) $(B)/kver
	@echo "  KMOD    nvghost.ko (kernel $(KVER))"
	$(Q)$(MAKE) -s -C $(KDIR) M=$(CURDIR)/kmod modules
	$(Q)if ! readelf -S kmod/nvghost.ko | grep -q '\.BTF '; then \
		echo "error: kmod/nvghost.ko has no .BTF section: policies cannot attach." >&2; \
		echo "       Is pahole installed and $(KDIR)/vmlinux present?" >&2; \
		exit 1; fi
	$(Q)cp kmod/nvghost.ko $@

# One header with the kernel's types and the module's (split BTF on top).
$(B)/bpf/vmlinux.h: $(B)/nvghost.ko
	@echo "  BTF     $@"
	$(Q)mkdir -p $(B)/bpf
	$(Q)bpftool btf dump file $< --base-btf $(KDIR)/vmlinux format c > $@

$(B)/bpf/%.bpf.o: profiles/%.bpf.c $(B)/bpf/vmlinux.h $(wildcard bpf/nvg/*.h)
	@echo "  BPF     $@"
	$(Q)clang $(BPF_CFLAGS) -c $< -o $@

$(B)/bpf/%.bpf.o: tests/vm/bpf/%.bpf.c $(B)/bpf/vmlinux.h $(wildcard bpf/nvg/*.h)
	@echo "  BPF     $@"
	$(Q)clang $(BPF_CFLAGS) -c $< -o $@

$(B)/nvgpolicy: loader/nvgpolicy.c
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ $< $$(pkg-config --cflags --libs libbpf)

$(B)/nvginfo: tools/nvginfo.c kmod/nvghost_chip.c kmod/nvghost_chip.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ tools/nvginfo.c kmod/nvghost_chip.c -ldrm

$(B)/ioctl_test: tests/vm/ioctl_test.c tests/vm/check.h kmod/nvghost_chip.c kmod/nvghost_chip.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ tests/vm/ioctl_test.c kmod/nvghost_chip.c -ldrm

$(B)/submit_test: tests/vm/submit_test.c tests/vm/check.h kmod/nvghost_pb.c kmod/nvghost_pb.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ tests/vm/submit_test.c kmod/nvghost_pb.c -ldrm

$(B)/vm_bind_test: tests/vm/vm_bind_test.c tests/vm/check.h kmod/nvghost_pb.c kmod/nvghost_pb.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ tests/vm/vm_bind_test.c kmod/nvghost_pb.c -ldrm

$(B)/libnvg_test: tests/vm/libnvg_test.c tests/vm/check.h libnvg/nvg.c libnvg/nvg.h libnvg/nvg_cmd.c \
		libnvg/nvg_cmd.h kmod/nvghost_pb.c kmod/nvghost_pb.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -Ilibnvg -o $@ tests/vm/libnvg_test.c libnvg/nvg.c \
		libnvg/nvg_cmd.c kmod/nvghost_pb.c -ldrm

$(B)/nvgbench: tools/nvgbench.c libnvg/nvg.c libnvg/nvg.h libnvg/nvg_cmd.c libnvg/nvg_cmd.h \
		libnvg/nvg_present.c libnvg/nvg_present.h \
		kmod/nvghost_pb.c kmod/nvghost_pb.h kmod/nvghost_chip.c kmod/nvghost_chip.h \
		uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -Ilibnvg -o $@ tools/nvgbench.c libnvg/nvg.c \
		libnvg/nvg_cmd.c libnvg/nvg_present.c kmod/nvghost_pb.c kmod/nvghost_chip.c -ldrm -lm

$(B)/prime_vgem_test: tests/vm/prime_vgem_test.c tests/vm/check.h libnvg/nvg.c libnvg/nvg.h libnvg/nvg_cmd.c \
		libnvg/nvg_cmd.h kmod/nvghost_pb.c kmod/nvghost_pb.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -Ilibnvg -o $@ tests/vm/prime_vgem_test.c libnvg/nvg.c \
		libnvg/nvg_cmd.c kmod/nvghost_pb.c -ldrm

$(B)/fdinfo_test: tests/vm/fdinfo_test.c tests/vm/check.h kmod/nvghost_pb.c kmod/nvghost_pb.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ tests/vm/fdinfo_test.c kmod/nvghost_pb.c -ldrm

$(B)/bench_submit: tests/vm/bench_submit.c kmod/nvghost_chip.c kmod/nvghost_chip.h kmod/nvghost_pb.h \
		uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ tests/vm/bench_submit.c kmod/nvghost_chip.c -ldrm

$(B)/kms_test: tests/vm/kms_test.c tests/vm/check.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ tests/vm/kms_test.c -ldrm -lm

$(B)/gem_test: tests/vm/gem_test.c tests/vm/check.h uapi/nvghost_drm.h kmod/nvghost_pb.h kmod/nvghost_chip.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ tests/vm/gem_test.c -ldrm

# Host unit tests, with ASan and UBSan: each links the shared pure-C files
# it tests (prerequisites ending in .c).
$(B)/unit/test_pb: kmod/nvghost_pb.c kmod/nvghost_pb.h
$(B)/unit/test_edid: kmod/nvghost_edid.c kmod/nvghost_edid.h
$(B)/unit/test_nvg_cmd: kmod/nvghost_pb.c kmod/nvghost_pb.h libnvg/nvg_cmd.c libnvg/nvg_cmd.h
$(B)/unit/%: tests/unit/%.c kmod/nvghost_chip.c kmod/nvghost_chip.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)mkdir -p $(B)/unit
	$(Q)$(CC) $(USER_CFLAGS) -Ilibnvg -fsanitize=address,undefined -o $@ \
		$(filter %.c,$^) -lcriterion

$(B)/vm/initramfs.cpio.gz: build tests/vm/mkinitramfs.sh tests/vm/init tests/vm/*.sh \
		tests/vm/selftests/*.sh
	$(Q)tests/vm/mkinitramfs.sh $@

checkpatch:
	$(Q)scripts/checkpatch.sh

clean:
	$(Q)$(MAKE) -s -C kmod clean 2>/dev/null || true
	$(Q)rm -rf $(B)/bpf $(B)/unit $(B)/vm $(B)/demo $(B)/debug $(TOOLS) $(B)/nvghost.ko

.PHONY: all run bench test test-debug debug-kernel deps help build unit checkpatch clean
