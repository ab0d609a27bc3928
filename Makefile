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
USER_CFLAGS := $(CFLAGS) $(CPPFLAGS) -Wall -Wextra -Werror -Ikmod -Iuapi -I/usr/include/libdrm
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_x86 -mcpu=v3 -Wall -Werror \
	-I$(B)/bpf -Ibpf

PROFILES := $(patsubst profiles/%.bpf.c,$(B)/bpf/%.bpf.o,$(wildcard profiles/*.bpf.c))
TEST_BPF := $(patsubst tests/vm/bpf/%.bpf.c,$(B)/bpf/%.bpf.o,$(wildcard tests/vm/bpf/*.bpf.c))
UNIT := $(patsubst tests/unit/%.c,$(B)/unit/%,$(wildcard tests/unit/test_*.c))
KMOD_SRCS := $(shell find kmod -name '*.[ch]') kmod/Kbuild
TOOLS := $(B)/nvgpolicy $(B)/nvginfo $(B)/nvgtop $(B)/ioctl_test $(B)/gem_test $(B)/submit_test $(B)/fdinfo_test $(B)/libnvg_test $(B)/prime_vgem_test \
	$(B)/bench_submit $(B)/vm_bind_test $(B)/uvm_test $(B)/nvgbench $(B)/nvgreplay $(B)/nvgtrace $(B)/kms_test $(B)/kms_conf_test \
	$(B)/unplug_test $(B)/recovery_test $(B)/ioctl_fuzz $(B)/vclock_test

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

# Replay a workload trace in the VM under one or two policies (nvgreplay):
#   make replay TRACE=traces/synthetic/game-hog.jsonl POLICIES="fifo gaming"
# [CLOCK=virtual|live] [SETS="name=value ..."]; results in build/replay/.
replay: deps
	$(Q)$(MAKE) --no-print-directory build $(B)/vm/initramfs.cpio.gz
	$(Q)TRACE="$(TRACE)" POLICIES="$(POLICIES)" CLOCK="$(CLOCK)" SETS="$(SETS)" scripts/replay.sh

test: deps
	$(Q)$(MAKE) --no-print-directory build $(UNIT) $(FUZZ) $(B)/vm/initramfs.cpio.gz
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
	@echo "replay TRACE=... POLICIES=\"A B\" (a trace replayed in the VM under"
	@echo "policies A and B with nvgreplay, side by side; build/replay/),"
	@echo "test-debug (the VM selftests, KUnit and fault injection on a debug"
	@echo "kernel: lockdep, KASAN, UBSAN; README.md), debug-kernel (build it only),"
	@echo "build (no dependency check), unit (host tests"
	@echo "only), fuzz (the pushbuffer parser under libFuzzer, FUZZ_TIME=60 s),"
	@echo "checkpatch, clean. O=... is not supported; outputs go to build/."
	@echo "Packaging (docs/packaging.md): deb (Debian packages in build/deb/),"
	@echo "test-deb (build, unpack, DKMS-build and boot them), install"
	@echo "[DESTDIR=... PREFIX=/usr], dist (what install needs)."

# Internal: the build proper.
build: $(B)/nvghost.ko $(B)/nvg_devfreq_dummy.ko $(PROFILES) $(TEST_BPF) $(TOOLS)

debug-kernel: deps
	$(Q)nice -n 10 scripts/debug-kernel.sh

unit: deps
	$(Q)$(MAKE) --no-print-directory $(UNIT) $(FUZZ)
	$(Q)scripts/run-tests.sh --unit-only

# The pushbuffer parser under libFuzzer (tests/fuzz/fuzz_pb.c), FUZZ_TIME
# seconds, from the seeds the unit tests write; new finds go to
# build/fuzz/corpus, crashes to build/fuzz/crash-*. make unit and make test
# run it briefly (scripts/run-tests.sh).
FUZZ_TIME ?= 60
FUZZ := $(B)/fuzz/fuzz_pb $(B)/fuzz/seeds/.stamp

fuzz: deps
	$(Q)$(MAKE) --no-print-directory $(FUZZ)
	$(Q)mkdir -p $(B)/fuzz/corpus
	$(Q)cd $(B)/fuzz && ./fuzz_pb -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
		-artifact_prefix=./ corpus seeds

$(B)/fuzz/fuzz_pb: tests/fuzz/fuzz_pb.c kmod/nvghost_pb.c kmod/nvghost_pb.h kmod/nvghost_chip.h
	@echo "  CC      $@ (libFuzzer)"
	$(Q)mkdir -p $(B)/fuzz
	$(Q)clang -g -O1 -Wall -Wextra -Werror -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -Ikmod -o $@ tests/fuzz/fuzz_pb.c kmod/nvghost_pb.c

# The seed corpus: every pushbuffer test_pb's table and tests parse.
$(B)/fuzz/seeds/.stamp: $(B)/unit/test_pb
	$(Q)rm -rf $(B)/fuzz/seeds && mkdir -p $(B)/fuzz/seeds
	$(Q)NVG_FUZZ_SEEDS=$(CURDIR)/$(B)/fuzz/seeds $(B)/unit/test_pb >/dev/null 2>&1
	$(Q)touch $@

$(B)/nvghost.ko: $(KMOD_SRCS) $(B)/kver
	@echo "  KMOD    nvghost.ko (kernel $(KVER))"
	$(Q)$(MAKE) -s -C $(KDIR) M=$(CURDIR)/kmod modules
	$(Q)if ! readelf -S kmod/nvghost.ko | grep -q '\.BTF '; then \
		echo "error: kmod/nvghost.ko has no .BTF section: policies cannot attach." >&2; \
		echo "       Is pahole installed and $(KDIR)/vmlinux present?" >&2; \
		exit 1; fi
	$(Q)cp kmod/nvghost.ko $@

# A test-only module for the VM selftests (tests/vm/kmod/).
$(B)/nvg_devfreq_dummy.ko: tests/vm/kmod/nvg_devfreq_dummy.c tests/vm/kmod/Kbuild $(B)/kver
	@echo "  KMOD    $@"
	$(Q)$(MAKE) -s -C $(KDIR) M=$(CURDIR)/tests/vm/kmod modules
	$(Q)cp tests/vm/kmod/nvg_devfreq_dummy.ko $@

# One header with the kernel's types and the module's (split BTF on top).
$(B)/bpf/vmlinux.h: $(B)/nvghost.ko
	@echo "  BTF     $@"
	$(Q)mkdir -p $(B)/bpf
	$(Q)bpftool btf dump file $< --base-btf $(KDIR)/vmlinux format c > $@

$(B)/bpf/%.bpf.o: profiles/%.bpf.c $(B)/bpf/vmlinux.h $(wildcard bpf/nvg/*.h) scripts/describe-policy.sh
	@echo "  BPF     $@"
	$(Q)clang $(BPF_CFLAGS) -c $< -o $@
	$(Q)scripts/describe-policy.sh $< $@

$(B)/bpf/%.bpf.o: tests/vm/bpf/%.bpf.c $(B)/bpf/vmlinux.h $(wildcard bpf/nvg/*.h)
	@echo "  BPF     $@"
	$(Q)clang $(BPF_CFLAGS) -c $< -o $@

$(B)/nvgpolicy: loader/nvgpolicy.c
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) $(LDFLAGS) -o $@ $< $$(pkg-config --cflags --libs libbpf)

$(B)/nvginfo: tools/nvginfo.c kmod/nvghost_chip.c kmod/nvghost_chip.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) $(LDFLAGS) -o $@ tools/nvginfo.c kmod/nvghost_chip.c -ldrm

$(B)/nvgtop: tools/nvgtop.c kmod/nvghost_chip.c kmod/nvghost_chip.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) $(LDFLAGS) -o $@ tools/nvgtop.c kmod/nvghost_chip.c \
		$$(pkg-config --cflags --libs libbpf)

$(B)/ioctl_test: tests/vm/ioctl_test.c tests/vm/check.h kmod/nvghost_chip.c kmod/nvghost_chip.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ tests/vm/ioctl_test.c kmod/nvghost_chip.c -ldrm

$(B)/submit_test: tests/vm/submit_test.c tests/vm/check.h tests/vm/gpu.h kmod/nvghost_pb.c kmod/nvghost_pb.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ tests/vm/submit_test.c kmod/nvghost_pb.c -ldrm

$(B)/vm_bind_test: tests/vm/vm_bind_test.c tests/vm/check.h tests/vm/gpu.h kmod/nvghost_pb.c kmod/nvghost_pb.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ tests/vm/vm_bind_test.c kmod/nvghost_pb.c -ldrm

$(B)/uvm_test: tests/vm/uvm_test.c tests/vm/check.h tests/vm/gpu.h tools/mempat.h kmod/nvghost_pb.c kmod/nvghost_pb.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -Itools -o $@ tests/vm/uvm_test.c kmod/nvghost_pb.c -ldrm

$(B)/libnvg_test: tests/vm/libnvg_test.c tests/vm/check.h libnvg/nvg.c libnvg/nvg.h libnvg/nvg_cmd.c \
		libnvg/nvg_cmd.h kmod/nvghost_pb.c kmod/nvghost_pb.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -Ilibnvg -o $@ tests/vm/libnvg_test.c libnvg/nvg.c \
		libnvg/nvg_cmd.c kmod/nvghost_pb.c -ldrm

$(B)/nvgbench: tools/nvgbench.c tools/util.h tools/stats.h tools/mempat.h libnvg/nvg.c libnvg/nvg.h libnvg/nvg_cmd.c libnvg/nvg_cmd.h \
		libnvg/nvg_present.c libnvg/nvg_present.h \
		kmod/nvghost_pb.c kmod/nvghost_pb.h kmod/nvghost_chip.c kmod/nvghost_chip.h \
		uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) $(LDFLAGS) -Ilibnvg -Itools -o $@ tools/nvgbench.c libnvg/nvg.c \
		libnvg/nvg_cmd.c libnvg/nvg_present.c kmod/nvghost_pb.c kmod/nvghost_chip.c -ldrm -lm

$(B)/nvgreplay: tools/nvgreplay.c tools/util.h tools/nvgtrace.c tools/nvgtrace.h tools/sha256.c tools/sha256.h tools/stats.h \
		libnvg/nvg.c libnvg/nvg.h libnvg/nvg_cmd.c libnvg/nvg_cmd.h \
		libnvg/nvg_present.c libnvg/nvg_present.h \
		kmod/nvghost_pb.c kmod/nvghost_pb.h kmod/nvghost_chip.c kmod/nvghost_chip.h \
		uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) $(LDFLAGS) -Ilibnvg -Itools -o $@ tools/nvgreplay.c tools/nvgtrace.c \
		tools/sha256.c libnvg/nvg.c libnvg/nvg_cmd.c libnvg/nvg_present.c kmod/nvghost_pb.c \
		kmod/nvghost_chip.c -ldrm -lz -lm

$(B)/nvgtrace: tools/nvgtrace_cli.c tools/util.h tools/nvgtrace.c tools/nvgtrace.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) $(LDFLAGS) -Itools -o $@ tools/nvgtrace_cli.c tools/nvgtrace.c -lz

$(B)/prime_vgem_test: tests/vm/prime_vgem_test.c tests/vm/check.h libnvg/nvg.c libnvg/nvg.h libnvg/nvg_cmd.c \
		libnvg/nvg_cmd.h kmod/nvghost_pb.c kmod/nvghost_pb.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -Ilibnvg -o $@ tests/vm/prime_vgem_test.c libnvg/nvg.c \
		libnvg/nvg_cmd.c kmod/nvghost_pb.c -ldrm

$(B)/recovery_test: tests/vm/recovery_test.c tests/vm/check.h tests/vm/gpu.h kmod/nvghost_pb.c kmod/nvghost_pb.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ tests/vm/recovery_test.c kmod/nvghost_pb.c -ldrm

$(B)/vclock_test: tests/vm/vclock_test.c tests/vm/check.h tests/vm/gpu.h kmod/nvghost_pb.c kmod/nvghost_pb.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ tests/vm/vclock_test.c kmod/nvghost_pb.c -ldrm

$(B)/fdinfo_test: tests/vm/fdinfo_test.c tests/vm/check.h kmod/nvghost_pb.c kmod/nvghost_pb.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ tests/vm/fdinfo_test.c kmod/nvghost_pb.c -ldrm

$(B)/bench_submit: tests/vm/bench_submit.c tests/vm/gpu.h kmod/nvghost_chip.c kmod/nvghost_chip.h kmod/nvghost_pb.h \
		uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ tests/vm/bench_submit.c kmod/nvghost_chip.c -ldrm

$(B)/kms_test: tests/vm/kms_test.c tests/vm/check.h tests/vm/kms.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ tests/vm/kms_test.c -ldrm -lm

$(B)/kms_conf_test: tests/vm/kms_conf_test.c tests/vm/check.h tests/vm/kms.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ tests/vm/kms_conf_test.c -ldrm

$(B)/unplug_test: tests/vm/unplug_test.c tests/vm/check.h tests/vm/gpu.h kmod/nvghost_pb.c kmod/nvghost_pb.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ tests/vm/unplug_test.c kmod/nvghost_pb.c -ldrm

$(B)/ioctl_fuzz: tests/vm/ioctl_fuzz.c tests/vm/check.h kmod/nvghost_pb.c kmod/nvghost_pb.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -pthread -o $@ tests/vm/ioctl_fuzz.c kmod/nvghost_pb.c -ldrm

$(B)/gem_test: tests/vm/gem_test.c tests/vm/check.h uapi/nvghost_drm.h kmod/nvghost_pb.h kmod/nvghost_chip.h
	@echo "  CC      $@"
	$(Q)$(CC) $(USER_CFLAGS) -o $@ tests/vm/gem_test.c -ldrm

# Host unit tests, with ASan and UBSan: each links the shared pure-C files
# it tests (prerequisites ending in .c).
$(B)/unit/test_pb: kmod/nvghost_pb.c kmod/nvghost_pb.h
$(B)/unit/test_edid: kmod/nvghost_edid.c kmod/nvghost_edid.h
$(B)/unit/test_nvg_cmd: kmod/nvghost_pb.c kmod/nvghost_pb.h libnvg/nvg_cmd.c libnvg/nvg_cmd.h
$(B)/unit/test_ondemand: kmod/nvghost_ondemand.h
$(B)/unit/test_nvgtrace: tools/nvgtrace.c tools/nvgtrace.h tools/mempat.h
$(B)/unit/test_nvgtrace: UNIT_LDLIBS := -lz
$(B)/unit/test_sha256: tools/sha256.c tools/sha256.h
$(B)/unit/%: tests/unit/%.c kmod/nvghost_chip.c kmod/nvghost_chip.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)mkdir -p $(B)/unit
	$(Q)$(CC) $(USER_CFLAGS) -Ilibnvg -fsanitize=address,undefined -o $@ \
		$(filter %.c,$^) -lcriterion $(UNIT_LDLIBS)

$(B)/vm/initramfs.cpio.gz: build tests/vm/mkinitramfs.sh tests/vm/init tests/vm/*.sh traces/synthetic/*.jsonl \
		traces/synthetic/short/*.jsonl traces/real/h100-2026-12-06/calib/* \
		traces/real/h100-2026-12-06/tenants/*.jsonl traces/real/h100-2026-12-06/decode*.nvgt.jsonl.gz traces/real/h100-2026-12-06/train_large.nvgt.jsonl.gz \
		traces/synthetic/tenants/*.jsonl \
		traces/synthetic/gpus/*.jsonl traces/synthetic/mem/*.jsonl \
		tests/vm/selftests/*.sh systemd/nvgpolicy-service
	$(Q)tests/vm/mkinitramfs.sh $@

checkpatch:
	$(Q)scripts/checkpatch.sh

# ---- Installing and packaging (docs/packaging.md) ----
# `make install [DESTDIR=...] [PREFIX=/usr]` lays out what the Debian packages
# ship; `make deb` builds them into build/deb/ with debhelper and dh-dkms.
VERSION := $(shell sed -n '1s/.*(\(.*\)).*/\1/p' debian/changelog)
PREFIX ?= /usr
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
LIBDIR ?= $(PREFIX)/lib/$(MULTIARCH)
INCDIR := $(PREFIX)/include/nvghost
NVGLIB := $(PREFIX)/lib/nvghost
MANS := $(patsubst man/%.scd,$(B)/man/%,$(wildcard man/*.scd))
LIBNVG_OBJS := $(addprefix $(B)/libnvg/,nvg.o nvg_cmd.o nvg_present.o nvghost_pb.o nvghost_chip.o)
SHIPPED_TOOLS := $(B)/nvgpolicy $(B)/nvginfo $(B)/nvgbench $(B)/nvgreplay $(B)/nvgtop $(B)/nvgtrace
INSTALL ?= install

# What the packages ship (nvghost.ko is built only for the policies' BTF).
dist: $(PROFILES) $(SHIPPED_TOOLS) $(B)/libnvg.a $(B)/nvghost.pc $(MANS)

$(B)/libnvg/%.o: libnvg/%.c libnvg/*.h kmod/nvghost_pb.h kmod/nvghost_chip.h uapi/nvghost_drm.h
	@echo "  CC      $@"
	$(Q)mkdir -p $(B)/libnvg
	$(Q)$(CC) $(USER_CFLAGS) -fPIC -Ilibnvg -c -o $@ $<

$(B)/libnvg/%.o: kmod/%.c kmod/*.h
	@echo "  CC      $@"
	$(Q)mkdir -p $(B)/libnvg
	$(Q)$(CC) $(USER_CFLAGS) -fPIC -c -o $@ $<

$(B)/libnvg.a: $(LIBNVG_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/nvghost.pc: libnvg/nvghost.pc.in debian/changelog
	@echo "  GEN     $@"
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@VERSION@|$(VERSION)|' $< > $@

$(B)/man/%: man/%.scd
	@echo "  SCDOC   $@"
	$(Q)mkdir -p $(B)/man
	$(Q)scdoc < $< > $@

install: dist
	@echo "  INSTALL $(DESTDIR)$(PREFIX)"
	$(Q)$(INSTALL) -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/sbin \
		$(DESTDIR)$(NVGLIB)/policies $(DESTDIR)$(PREFIX)/share/nvghost/trace \
		$(DESTDIR)$(PREFIX)/share/nvghost/traces \
		$(DESTDIR)$(INCDIR)/bpf/nvg $(DESTDIR)$(LIBDIR)/pkgconfig \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/lib/systemd/system $(DESTDIR)/etc/default \
		$(DESTDIR)/etc/modprobe.d $(DESTDIR)$(PREFIX)/share/doc/nvghost-dev/examples/policy
	$(Q)$(INSTALL) -m 755 $(B)/nvginfo $(B)/nvgbench $(B)/nvgreplay $(B)/nvgtrace $(B)/nvgtop \
		$(DESTDIR)$(PREFIX)/bin/
	$(Q)$(INSTALL) -m 755 $(B)/nvgpolicy $(DESTDIR)$(PREFIX)/sbin/
	$(Q)$(INSTALL) -m 644 $(PROFILES) $(DESTDIR)$(NVGLIB)/policies/
	$(Q)$(INSTALL) -m 755 tools/trace/*.bt $(DESTDIR)$(PREFIX)/share/nvghost/trace/
	$(Q)$(INSTALL) -m 644 traces/synthetic/*.jsonl $(DESTDIR)$(PREFIX)/share/nvghost/traces/
	$(Q)$(INSTALL) -m 644 tools/completion/nvgpolicy $(DESTDIR)$(PREFIX)/share/bash-completion/completions/
	$(Q)for m in $(MANS); do s=$${m##*.}; \
		$(INSTALL) -D -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man$$s/$$(basename $$m); done
	$(Q)$(INSTALL) -m 644 systemd/nvgpolicy.service $(DESTDIR)$(PREFIX)/lib/systemd/system/
	$(Q)$(INSTALL) -m 755 systemd/nvgpolicy-service $(DESTDIR)$(NVGLIB)/
	$(Q)$(INSTALL) -m 644 systemd/nvgpolicy.default $(DESTDIR)/etc/default/nvgpolicy
	$(Q)$(INSTALL) -m 644 dkms/nvghost.modprobe.conf $(DESTDIR)/etc/modprobe.d/nvghost.conf
	$(Q)# nvghost-dev: uapi, libnvg, the policy headers, vmlinux.h generator
	$(Q)$(INSTALL) -m 644 uapi/nvghost_drm.h libnvg/nvg.h libnvg/nvg_cmd.h libnvg/nvg_present.h \
		kmod/nvghost_pb.h kmod/nvghost_chip.h $(DESTDIR)$(INCDIR)/
	$(Q)$(INSTALL) -m 644 bpf/nvg/*.h $(DESTDIR)$(INCDIR)/bpf/nvg/
	$(Q)$(INSTALL) -m 644 $(B)/libnvg.a $(DESTDIR)$(LIBDIR)/
	$(Q)$(INSTALL) -m 644 $(B)/nvghost.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	$(Q)$(INSTALL) -m 755 scripts/gen-vmlinux-h.sh $(DESTDIR)$(NVGLIB)/gen-vmlinux-h
	$(Q)$(INSTALL) -m 755 scripts/describe-policy.sh $(DESTDIR)$(NVGLIB)/describe-policy
	$(Q)$(INSTALL) -m 644 examples/policy/* $(DESTDIR)$(PREFIX)/share/doc/nvghost-dev/examples/policy/
	$(Q)# nvghost-dkms: the module's source as DKMS builds it
	$(Q)d=$(DESTDIR)/usr/src/nvghost-$(VERSION); \
		$(INSTALL) -d $$d/uapi && \
		for f in $$(find kmod -name '*.[ch]' -not -name '*.mod.c') kmod/Kbuild; do \
			$(INSTALL) -D -m 644 $$f $$d/$$f || exit 1; done && \
		$(INSTALL) -m 644 uapi/nvghost_drm.h $$d/uapi/ && \
		$(INSTALL) -m 644 dkms/Makefile $$d/Makefile && \
		sed 's/#MODULE_VERSION#/$(VERSION)/' dkms/dkms.conf > $$d/dkms.conf

# Debian packages in build/deb/ (installs debhelper, dh-dkms, lintian first).
deb: deps
	$(Q)scripts/deps-deb.sh
	$(Q)scripts/build-deb.sh

# The packages built, unpacked, DKMS-built and used in the VM (~10 min).
test-deb: deps
	$(Q)$(MAKE) --no-print-directory build
	$(Q)tests/deb-test.sh

clean:
	$(Q)$(MAKE) -s -C kmod clean 2>/dev/null || true
	$(Q)$(MAKE) -s -C $(KDIR) M=$(CURDIR)/tests/vm/kmod clean 2>/dev/null || true
	$(Q)rm -rf $(B)/bpf $(B)/unit $(B)/fuzz $(B)/vm $(B)/demo $(B)/debug $(TOOLS) $(B)/nvghost.ko $(B)/nvg_devfreq_dummy.ko \
		$(B)/libnvg $(B)/libnvg.a $(B)/nvghost.pc $(B)/man $(B)/deb $(B)/stage

.PHONY: all run bench replay test test-debug debug-kernel deps help build unit fuzz checkpatch clean dist install deb test-deb
