// SPDX-License-Identifier: GPL-2.0
/*
 * gem_test - buffer objects (GEM_CREATE, GEM_INFO, mmap, PRIME) against the
 * real driver, run inside the test VM.
 *
 *   gem_test DEVICE [MODE [DEVICE2]]
 *
 *   all      (default) basic, then prime
 *   basic    creation in VRAM and system memory, GEM_INFO, CPU mappings,
 *            every validation rule, a system object larger than RAM, and
 *            1000 objects created and closed without leaking VRAM
 *   prime    export to a dma-buf and import on a second open of DEVICE
 *   vram64   out of VRAM; needs the module loaded with vram_mb=64
 *   xdev     export on DEVICE, import on DEVICE2 (another nvghost GPU:
 *            num_gpus=2), which goes through the dma-buf's pages; then
 *            DEVICE2's copy engine fills the imported buffers
 *
 * Prints one line per subtest, "PASS: name" or "FAIL: name: details", and
 * exits with the number of failures (capped at 125).
 *
 * Build: gcc -Wall -Wextra -Werror -Ikmod -Iuapi $(pkg-config --cflags libdrm) \
 *	tests/vm/gem_test.c $(pkg-config --libs libdrm) -o build/gem_test
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/sync_file.h>

#include <xf86drm.h>

#include "nvghost_drm.h"
#include "check.h"
#include "nvghost_pb.h"		/* pushbuffer format, for the xdev GPU check */

#define DRIVER_NAME	"nvghost"
#define DEBUGFS		"/sys/kernel/debug/nvghost"
#define MAX_EXIT	125
#define PAGE		((uint64_t)4096)
#define MiB		((uint64_t)1 << 20)

#define VRAM		DRM_NVGHOST_PLACEMENT_VRAM
#define SYSTEM		DRM_NVGHOST_PLACEMENT_SYSTEM

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int exit_status(void)
{
	fflush(stdout);
	return failures > MAX_EXIT ? MAX_EXIT : failures;
}

static const char *pl_name(uint32_t placement)
{
	return placement == VRAM ? "vram" : "system";
}

/* ---- the driver's interface: 0, or the errno the call failed with ---- */

static int gem_create_raw(int fd, struct drm_nvghost_gem_create *c)
{
	return drmIoctl(fd, DRM_IOCTL_NVGHOST_GEM_CREATE, c) ? errno : 0;
}

static int gem_create(int fd, uint64_t size, uint32_t placement, uint32_t *handle)
{
	struct drm_nvghost_gem_create c = { .size = size, .placement = placement };
	int err = gem_create_raw(fd, &c);

	if (!err)
		*handle = c.handle;
	return err;
}

static int gem_info_raw(int fd, struct drm_nvghost_gem_info *i)
{
	return drmIoctl(fd, DRM_IOCTL_NVGHOST_GEM_INFO, i) ? errno : 0;
}

static int gem_info(int fd, uint32_t handle, struct drm_nvghost_gem_info *i)
{
	memset(i, 0, sizeof(*i));
	i->handle = handle;
	return gem_info_raw(fd, i);
}

static int gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	return drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &c) ? errno : 0;
}

/* Map the whole object through the DRM file; NULL (errno set) on failure. */
static void *gem_mmap(int fd, uint32_t handle, uint64_t *size)
{
	struct drm_nvghost_gem_info i;
	void *p;
	int err;

	err = gem_info(fd, handle, &i);
	if (err) {
		errno = err;
		return NULL;
	}
	p = mmap(NULL, i.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)i.mmap_offset);
	if (p == MAP_FAILED)
		return NULL;
	*size = i.size;
	return p;
}

/* ---- patterns ---- */

static uint32_t pattern_word(uint64_t index, uint32_t seed)
{
	uint32_t x = (uint32_t)index * 2654435761u ^ seed;

	return x ^ (x >> 15);
}

static void fill(void *p, uint64_t size, uint32_t seed)
{
	uint32_t *w = p;
	uint64_t i;

	for (i = 0; i < size / 4; i++)
		w[i] = pattern_word(i, seed);
}

/* Byte offset of the first word that differs from the pattern, or -1. */
static int64_t pattern_mismatch(const void *p, uint64_t size, uint32_t seed)
{
	const uint32_t *w = p;
	uint64_t i;

	for (i = 0; i < size / 4; i++)
		if (w[i] != pattern_word(i, seed))
			return (int64_t)(i * 4);
	return -1;
}

static int64_t check_zero(const void *p, uint64_t size)
{
	const uint64_t *w = p;
	uint64_t i;

	for (i = 0; i < size / 8; i++)
		if (w[i])
			return (int64_t)(i * 8);
	return -1;
}

/* ---- the device ---- */

/* Open @path if nvghost drives it; -1 otherwise. */
static int open_nvghost(const char *path)
{
	drmVersionPtr v;
	bool ours;
	int fd;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	v = drmGetVersion(fd);
	ours = v && !strcmp(v->name, DRIVER_NAME);
	drmFreeVersion(v);
	if (!ours) {
		close(fd);
		errno = ENODEV;
		return -1;
	}
	return fd;
}

/* The GPU number behind a DRM node: its platform device is "nvghost.N". */
static int gpu_index(int fd)
{
	char link[64], path[PATH_MAX];
	struct stat st;
	const char *dot;

	if (fstat(fd, &st) || !S_ISCHR(st.st_mode))
		return -1;
	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	if (!realpath(link, path))
		return -1;
	dot = strrchr(path, '.');
	if (!dot || strncmp(strrchr(path, '/') + 1, DRIVER_NAME ".", strlen(DRIVER_NAME) + 1))
		return -1;
	return atoi(dot + 1);
}

/* A field ("used", "free", ...) of gpuN/vram in debugfs; -1 if unreadable. */
static int64_t vram_stat(int fd, const char *field)
{
	char path[128], key[32];
	long long value;
	int64_t found = -1;
	FILE *f;
	int gpu = gpu_index(fd);

	if (gpu < 0)
		return -1;
	snprintf(path, sizeof(path), DEBUGFS "/gpu%d/vram", gpu);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%31[^:]: %lld\n", key, &value) == 2)
		if (!strcmp(key, field))
			found = value;
	fclose(f);
	return found;
}

static uint64_t vram_size(int fd)
{
	struct drm_nvghost_get_param gp = { .param = DRM_NVGHOST_PARAM_VRAM_SIZE };

	return drmIoctl(fd, DRM_IOCTL_NVGHOST_GET_PARAM, &gp) ? 0 : gp.value;
}

/* ---- subtests ---- */

static void expect_err(const char *name, int err, int expected)
{
	if (err == expected)
		pass(name);
	else if (!err)
		fail(name, "succeeded, expected %s", strerror(expected));
	else
		fail(name, "failed with %s (errno %d), expected %s", strerror(err), err,
		     strerror(expected));
}

static void expect_create_err(int fd, const char *name, struct drm_nvghost_gem_create c,
			      int expected)
{
	int err = gem_create_raw(fd, &c);

	if (!err)
		gem_close(fd, c.handle);
	expect_err(name, err, expected);
}

/*
 * One object: created with the right size and placement, a usable mmap
 * offset, two mappings that see each other's writes, contents that survive
 * unmapping, and a handle that is gone after GEM_CLOSE.
 */
static void test_object(int fd, uint32_t placement, uint64_t size, const char *label)
{
	uint64_t expected = (size + PAGE - 1) & ~(PAGE - 1), sa, sb;
	struct drm_nvghost_gem_info info;
	char name[96];
	uint32_t handle;
	void *a, *b;
	int64_t bad;
	int err;

	snprintf(name, sizeof(name), "create_%s_%s", pl_name(placement), label);
	err = gem_create(fd, size, placement, &handle);
	if (err) {
		fail(name, "GEM_CREATE of %" PRIu64 " bytes: %s", size, strerror(err));
		return;
	}
	pass(name);

	snprintf(name, sizeof(name), "info_%s_%s", pl_name(placement), label);
	err = gem_info(fd, handle, &info);
	if (err)
		fail(name, "GEM_INFO: %s", strerror(err));
	else if (info.size != expected)
		fail(name, "size %llu, expected %" PRIu64, (unsigned long long)info.size, expected);
	else if (info.placement != placement)
		fail(name, "placement %u, expected %u", info.placement, placement);
	else if (!info.mmap_offset || info.mmap_offset % PAGE)
		fail(name, "mmap offset 0x%llx is not a page-aligned, non-zero offset",
		     (unsigned long long)info.mmap_offset);
	else if (info.pad)
		fail(name, "pad %u, expected 0", info.pad);
	else
		pass(name);

	snprintf(name, sizeof(name), "fresh_reads_zero_%s_%s", pl_name(placement), label);
	a = gem_mmap(fd, handle, &sa);
	b = a ? gem_mmap(fd, handle, &sb) : NULL;
	if (!b) {
		fail(name, "mmap: %s", strerror(errno));
		if (a)
			munmap(a, sa);
		goto out_close;
	}
	bad = check_zero(a, sa);
	if (bad >= 0)
		fail(name, "non-zero at offset %" PRId64, bad);
	else
		pass(name);

	/* Two mappings of one object are one memory: writes through either show in both. */
	snprintf(name, sizeof(name), "mmap_coherent_%s_%s", pl_name(placement), label);
	fill(a, sa, 0x1234);
	bad = pattern_mismatch(b, sb, 0x1234);
	if (bad < 0) {
		fill(b, sb, 0xabcd);
		bad = pattern_mismatch(a, sa, 0xabcd);
	}
	if (bad >= 0)
		fail(name, "second mapping differs at offset %" PRId64, bad);
	else
		pass(name);

	snprintf(name, sizeof(name), "mmap_persists_%s_%s", pl_name(placement), label);
	munmap(a, sa);
	munmap(b, sb);
	a = gem_mmap(fd, handle, &sa);
	if (!a) {
		fail(name, "mmap again: %s", strerror(errno));
		goto out_close;
	}
	bad = pattern_mismatch(a, sa, 0xabcd);
	munmap(a, sa);
	if (bad >= 0)
		fail(name, "after munmap/mmap, differs at offset %" PRId64, bad);
	else
		pass(name);

out_close:
	snprintf(name, sizeof(name), "close_then_info_enoent_%s_%s", pl_name(placement), label);
	err = gem_close(fd, handle);
	if (err) {
		fail(name, "GEM_CLOSE: %s", strerror(err));
		return;
	}
	expect_err(name, gem_info(fd, handle, &info), ENOENT);
}

static void test_objects(int fd)
{
	static const struct {
		uint64_t size;
		const char *label;
	} sizes[] = {
		{ 1, "1b" }, { PAGE, "4k" }, { MiB, "1m" }, { 64 * MiB, "64m" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		test_object(fd, VRAM, sizes[i].size, sizes[i].label);
		test_object(fd, SYSTEM, sizes[i].size, sizes[i].label);
	}
}

static void test_create_rules(int fd)
{
	const struct drm_nvghost_gem_create valid = { .size = PAGE, .placement = VRAM };
	struct drm_nvghost_gem_create c;

	c = valid;
	c.flags = 1u << 0;
	expect_create_err(fd, "create_reject_flags_bit0", c, EINVAL);
	c = valid;
	c.flags = 1u << 31;
	expect_create_err(fd, "create_reject_flags_bit31", c, EINVAL);
	c = valid;
	c.pad = 1;
	expect_create_err(fd, "create_reject_pad", c, EINVAL);
	c = valid;
	c.size = 0;
	expect_create_err(fd, "create_reject_size_0", c, EINVAL);
	c = valid;
	c.size = DRM_NVGHOST_GEM_MAX_SIZE + 1;
	expect_create_err(fd, "create_reject_size_max_plus_1", c, EINVAL);
	c = valid;
	c.size = UINT64_MAX;
	expect_create_err(fd, "create_reject_size_u64_max", c, EINVAL);
	c = valid;
	c.placement = 2;
	expect_create_err(fd, "create_reject_placement_2", c, EINVAL);
	c = valid;
	c.placement = UINT32_MAX;
	expect_create_err(fd, "create_reject_placement_u32_max", c, EINVAL);

	/* The largest size passes validation and fails only for want of memory. */
	c = valid;
	c.size = DRM_NVGHOST_GEM_MAX_SIZE;
	expect_create_err(fd, "create_vram_max_size_enospc", c, ENOSPC);
	c = valid;
	c.size = vram_size(fd) + PAGE;
	expect_create_err(fd, "create_vram_larger_than_vram_enospc", c, ENOSPC);
}

static void test_info_rules(int fd)
{
	struct drm_nvghost_gem_info i;
	uint32_t handle;
	int err;

	err = gem_create(fd, PAGE, SYSTEM, &handle);
	if (err) {
		fail("info_rules_setup", "GEM_CREATE: %s", strerror(err));
		return;
	}
	memset(&i, 0, sizeof(i));
	i.handle = handle;
	i.flags = 1;
	expect_err("info_reject_flags_bit0", gem_info_raw(fd, &i), EINVAL);
	memset(&i, 0, sizeof(i));
	i.handle = handle;
	i.flags = 1u << 31;
	expect_err("info_reject_flags_bit31", gem_info_raw(fd, &i), EINVAL);
	memset(&i, 0, sizeof(i));
	i.handle = handle;
	i.pad = 1;
	expect_err("info_reject_pad", gem_info_raw(fd, &i), EINVAL);
	expect_err("info_unknown_handle_enoent", gem_info(fd, 0xdeadbeef, &i), ENOENT);
	expect_err("info_handle_0_enoent", gem_info(fd, 0, &i), ENOENT);
	gem_close(fd, handle);
}

static void test_system_too_big(int fd)
{
	struct drm_nvghost_gem_create c = { .placement = SYSTEM };
	struct sysinfo si;

	if (sysinfo(&si)) {
		fail("create_system_larger_than_ram_enomem", "sysinfo: %s", strerror(errno));
		return;
	}
	c.size = (uint64_t)si.totalram * si.mem_unit + PAGE;
	expect_create_err(fd, "create_system_larger_than_ram_enomem", c, ENOMEM);
	c.size = DRM_NVGHOST_GEM_MAX_SIZE;
	expect_create_err(fd, "create_system_max_size_enomem", c, ENOMEM);
}

/* 1000 small objects, some of them mapped and written, leave no VRAM behind. */
static void test_many(int fd)
{
	const char *name = "many_objects_no_leak";
	enum { N = 1000 };
	static uint32_t handles[N];
	int64_t used0, used1, used_mid;
	unsigned int i, n = 0;
	int err = 0;

	used0 = vram_stat(fd, "used");
	if (used0 < 0) {
		fail(name, "cannot read %s/gpuN/vram", DEBUGFS);
		return;
	}
	for (i = 0; i < N && !err; i++) {
		uint32_t placement = i % 2 ? SYSTEM : VRAM;

		err = gem_create(fd, PAGE * (1 + i % 4), placement, &handles[i]);
		if (err)
			break;
		n++;
		if (i % 10 == 0) {
			uint64_t size;
			void *p = gem_mmap(fd, handles[i], &size);

			if (!p) {
				err = errno;
				break;
			}
			fill(p, size, i);
			err = pattern_mismatch(p, size, i) >= 0 ? EIO : 0;
			munmap(p, size);
		}
	}
	used_mid = vram_stat(fd, "used");
	for (i = 0; i < n; i++)
		if (gem_close(fd, handles[i]) && !err)
			err = EBADF;
	used1 = vram_stat(fd, "used");
	if (err)
		fail(name, "object %u: %s", n, strerror(err));
	/* The VRAM objects are the even ones: 1, 3, 1, 3, ... pages. */
	else if (used_mid - used0 != N * (int64_t)PAGE)
		fail(name, "VRAM used grew by %" PRId64 " bytes for the objects, expected %" PRId64,
		     used_mid - used0, N * (int64_t)PAGE);
	else if (used1 != used0)
		fail(name, "VRAM used %" PRId64 " bytes before, %" PRId64 " after closing all", used0,
		     used1);
	else
		pass(name);
}

/* ---- PRIME ---- */

static int export_fd(int fd, uint32_t handle)
{
	int dmabuf;

	return drmPrimeHandleToFD(fd, handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf) ? -errno : dmabuf;
}

/*
 * Export an object from @fd_a, import it on @fd_b, and check both sides see
 * one memory. @expect_placement: what GEM_INFO says on the importing side.
 * Closing everything must give the exporter's VRAM back.
 */
static void test_share(int fd_a, int fd_b, uint32_t placement, uint32_t expect_placement,
		       const char *label)
{
	const uint64_t size = 256 * 1024;
	struct drm_nvghost_gem_info info;
	void *a = NULL, *b = NULL, *d;
	uint32_t ha, hb;
	int64_t used0, bad;
	uint64_t sa, sb;
	char name[96];
	int dmabuf, err;

	used0 = vram_stat(fd_a, "used");
	snprintf(name, sizeof(name), "%s_export_%s", label, pl_name(placement));
	err = gem_create(fd_a, size, placement, &ha);
	if (err) {
		fail(name, "GEM_CREATE: %s", strerror(err));
		return;
	}
	a = gem_mmap(fd_a, ha, &sa);
	if (!a) {
		fail(name, "mmap: %s", strerror(errno));
		gem_close(fd_a, ha);
		return;
	}
	fill(a, sa, 0x5eed);
	dmabuf = export_fd(fd_a, ha);
	if (dmabuf < 0) {
		fail(name, "PRIME_HANDLE_TO_FD: %s", strerror(-dmabuf));
		goto out_a;
	}
	pass(name);

	snprintf(name, sizeof(name), "%s_import_%s", label, pl_name(placement));
	if (drmPrimeFDToHandle(fd_b, dmabuf, &hb)) {
		fail(name, "PRIME_FD_TO_HANDLE: %s", strerror(errno));
		goto out_dmabuf;
	}
	err = gem_info(fd_b, hb, &info);
	if (err)
		fail(name, "GEM_INFO on the importer: %s", strerror(err));
	else if (info.size != size || info.placement != expect_placement)
		fail(name, "importer sees size %llu placement %u, expected %" PRIu64 " and %u",
		     (unsigned long long)info.size, info.placement, size, expect_placement);
	else
		pass(name);

	snprintf(name, sizeof(name), "%s_importer_sees_data_%s", label, pl_name(placement));
	b = gem_mmap(fd_b, hb, &sb);
	if (!b) {
		fail(name, "mmap on the importer: %s", strerror(errno));
		goto out_b;
	}
	bad = pattern_mismatch(b, sb, 0x5eed);
	if (bad >= 0)
		fail(name, "differs at offset %" PRId64, bad);
	else
		pass(name);

	snprintf(name, sizeof(name), "%s_exporter_sees_importer_%s", label, pl_name(placement));
	fill(b, sb, 0xfeed);
	bad = pattern_mismatch(a, sa, 0xfeed);
	if (bad >= 0)
		fail(name, "differs at offset %" PRId64, bad);
	else
		pass(name);

	/* The dma-buf itself maps the same memory, also from an offset into it. */
	snprintf(name, sizeof(name), "%s_dmabuf_mmap_%s", label, pl_name(placement));
	d = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dmabuf, 0);
	if (d == MAP_FAILED) {
		fail(name, "mmap of the dma-buf: %s", strerror(errno));
	} else {
		bad = pattern_mismatch(d, size, 0xfeed);
		munmap(d, size);
		if (bad >= 0)
			fail(name, "differs at offset %" PRId64, bad);
		else
			pass(name);
	}
	if (placement == VRAM) {
		snprintf(name, sizeof(name), "%s_dmabuf_mmap_offset_%s", label, pl_name(placement));
		d = mmap(NULL, size - PAGE, PROT_READ, MAP_SHARED, dmabuf, PAGE);
		if (d == MAP_FAILED) {
			fail(name, "mmap of the dma-buf at 4096: %s", strerror(errno));
		} else {
			bad = memcmp(d, (char *)a + PAGE, size - PAGE) ? 0 : -1;
			munmap(d, size - PAGE);
			if (bad >= 0)
				fail(name, "page 1 of the buffer is not at the start of the mapping");
			else
				pass(name);
		}
	}

	/* The exporter lets go first: the importer keeps the memory alive. */
	snprintf(name, sizeof(name), "%s_outlives_exporter_%s", label, pl_name(placement));
	munmap(a, sa);
	a = NULL;
	gem_close(fd_a, ha);
	close(dmabuf);
	dmabuf = -1;
	bad = pattern_mismatch(b, sb, 0xfeed);
	if (bad >= 0)
		fail(name, "differs at offset %" PRId64, bad);
	else
		pass(name);

	munmap(b, sb);
	gem_close(fd_b, hb);
	if (placement == VRAM && used0 >= 0) {
		snprintf(name, sizeof(name), "%s_vram_freed_%s", label, pl_name(placement));
		if (vram_stat(fd_a, "used") != used0)
			fail(name, "VRAM used %" PRId64 " before, %" PRId64 " after closing all",
			     used0, vram_stat(fd_a, "used"));
		else
			pass(name);
	}
	return;

out_b:
	gem_close(fd_b, hb);
out_dmabuf:
	if (dmabuf >= 0)
		close(dmabuf);
out_a:
	if (a)
		munmap(a, sa);
	gem_close(fd_a, ha);
}

static void test_prime(const char *path, int fd)
{
	int fd2 = open_nvghost(path);

	if (fd2 < 0) {
		fail("prime_second_open", "%s: %s", path, strerror(errno));
		return;
	}
	pass("prime_second_open");
	/* Same device: the importer gets the exporter's own object. */
	test_share(fd, fd2, VRAM, VRAM, "prime");
	test_share(fd, fd2, SYSTEM, SYSTEM, "prime");
	/* And the other way round. */
	test_share(fd2, fd, VRAM, VRAM, "prime_reverse");
	test_share(fd2, fd, SYSTEM, SYSTEM, "prime_reverse");
	close(fd2);
}

/* ---- GPU access to an imported buffer (xdev) ---- */

static int vm_bind(int fd, uint32_t op, uint32_t handle, uint64_t va, uint64_t range)
{
	struct drm_nvghost_vm_bind b = {
		.op = op, .handle = op == DRM_NVGHOST_VM_BIND_MAP ? handle : 0,
		.va = va, .range = range,
	};

	return drmIoctl(fd, DRM_IOCTL_NVGHOST_VM_BIND, &b) ? errno : 0;
}

/* The class of a copy engine of the GPU behind @fd, or 0. */
static uint32_t copy_class(int fd)
{
	struct drm_nvghost_get_param gp = { .param = DRM_NVGHOST_PARAM_ENGINE_COUNT };
	uint64_t i, n;

	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_GET_PARAM, &gp))
		return 0;
	n = gp.value;
	for (i = 0; i < n; i++) {
		gp = (struct drm_nvghost_get_param){
			.param = DRM_NVGHOST_PARAM_ENGINE_CLASS, .index = (uint32_t)i,
		};
		if (drmIoctl(fd, DRM_IOCTL_NVGHOST_GET_PARAM, &gp))
			return 0;
		if (gp.value == TURING_DMA_COPY_A || gp.value == AMPERE_DMA_COPY_B ||
		    gp.value == HOPPER_DMA_COPY_A)
			return (uint32_t)gp.value;
	}
	return 0;
}

/*
 * Have @fd_b's copy engine fill @words words at GPU address @va with @value:
 * a pushbuffer in a system-memory object of @fd_b. 0, or what failed.
 */
static const char *gpu_fill(int fd_b, uint64_t va, uint32_t words, uint32_t value)
{
	const uint64_t pb_va = DRM_NVGHOST_VA_START;
	struct drm_nvghost_ctx_create cc = {
		.engine_class = DRM_NVGHOST_ENGINE_COPY,
		.priority = DRM_NVGHOST_PRIORITY_NORMAL,
	};
	struct drm_nvghost_submit sub = { .gpfifo_count = 1,
					  .flags = DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE };
	struct drm_nvghost_ctx_destroy cd = { 0 };
	struct sync_file_info sfi = { 0 };
	uint32_t handle, *dw, n = 0, cls = copy_class(fd_b);
	const char *what = NULL;
	struct pollfd pfd;
	uint64_t size, entry;

	if (!cls)
		return "no copy engine";
	if (gem_create(fd_b, PAGE, SYSTEM, &handle))
		return "pushbuffer GEM_CREATE";
	dw = gem_mmap(fd_b, handle, &size);
	if (!dw) {
		gem_close(fd_b, handle);
		return "pushbuffer mmap";
	}
	dw[n++] = nvg_pb_hdr_incr(4, NVG_HOST_SET_OBJECT, 1);
	dw[n++] = cls;
	dw[n++] = nvg_pb_hdr_incr(4, NVG_COPY_SET_REMAP_CONST_A, 2);
	dw[n++] = value;
	dw[n++] = 0;
	dw[n++] = nvg_pb_hdr_incr(4, NVG_COPY_SET_REMAP_COMPONENTS, 1);
	dw[n++] = (NVG_REMAP_CONST_A << NVG_REMAP_DST_SHIFT(0)) |
		  (3u << NVG_REMAP_COMPONENT_SIZE_SHIFT);	/* one 4-byte component */
	dw[n++] = nvg_pb_hdr_incr(4, NVG_COPY_OFFSET_OUT_UPPER, 2);
	dw[n++] = (uint32_t)(va >> 32);
	dw[n++] = (uint32_t)va;
	dw[n++] = nvg_pb_hdr_incr(4, NVG_COPY_LINE_LENGTH_IN, 1);
	dw[n++] = words;
	dw[n++] = nvg_pb_hdr_incr(4, NVG_COPY_LAUNCH_DMA, 1);
	dw[n++] = NVG_LAUNCH_DMA_DATA_TRANSFER_TYPE_PIPELINED | NVG_LAUNCH_DMA_REMAP_ENABLE |
		  NVG_LAUNCH_DMA_SRC_MEMORY_LAYOUT_PITCH | NVG_LAUNCH_DMA_DST_MEMORY_LAYOUT_PITCH;
	munmap(dw, size);

	if (vm_bind(fd_b, DRM_NVGHOST_VM_BIND_MAP, handle, pb_va, PAGE)) {
		what = "pushbuffer VM_BIND";
		goto out_close;
	}
	if (drmIoctl(fd_b, DRM_IOCTL_NVGHOST_CTX_CREATE, &cc)) {
		what = "CTX_CREATE";
		goto out_unbind;
	}
	entry = nvg_gpfifo_entry_encode(pb_va, n, 0);
	sub.ctx_id = cc.ctx_id;
	sub.gpfifo = (uintptr_t)&entry;
	if (drmIoctl(fd_b, DRM_IOCTL_NVGHOST_SUBMIT, &sub)) {
		what = "SUBMIT";
		goto out_ctx;
	}
	pfd = (struct pollfd){ .fd = sub.fence_fd, .events = POLLIN };
	if (poll(&pfd, 1, 10000) != 1)
		what = "the job did not complete in 10 s";
	else if (ioctl(sub.fence_fd, SYNC_IOC_FILE_INFO, &sfi) || sfi.status != 1)
		what = "the job failed";
	close(sub.fence_fd);
out_ctx:
	cd.ctx_id = cc.ctx_id;
	drmIoctl(fd_b, DRM_IOCTL_NVGHOST_CTX_DESTROY, &cd);
out_unbind:
	vm_bind(fd_b, DRM_NVGHOST_VM_BIND_UNMAP, 0, pb_va, PAGE);
out_close:
	gem_close(fd_b, handle);
	return what;
}

/*
 * @fd_b imports an object of @fd_a, binds it in its GPU address space and
 * has its copy engine fill it: the exporter's CPU mapping shows the words.
 * Binding pins the import and walks the importer's DMA addresses of the
 * exporter's pages.
 */
static void test_gpu_import(int fd_a, int fd_b, uint32_t placement)
{
	const uint64_t size = 64 * 1024, va = DRM_NVGHOST_VA_START + 16 * MiB;
	const uint32_t value = 0xc0ffee00 | placement;
	uint32_t ha, hb, words = (uint32_t)(size / 4), i, bad = 0;
	const char *what;
	char name[64];
	uint64_t sa;
	uint32_t *a;
	int dmabuf, err;

	snprintf(name, sizeof(name), "xdev_gpu_fills_import_%s", pl_name(placement));
	if (gem_create(fd_a, size, placement, &ha)) {
		fail(name, "GEM_CREATE: %s", strerror(errno));
		return;
	}
	a = gem_mmap(fd_a, ha, &sa);
	dmabuf = export_fd(fd_a, ha);
	if (!a || dmabuf < 0 || drmPrimeFDToHandle(fd_b, dmabuf, &hb)) {
		fail(name, "map, export or import failed: %s", strerror(errno));
		goto out;
	}
	err = vm_bind(fd_b, DRM_NVGHOST_VM_BIND_MAP, hb, va, size);
	if (err) {
		fail(name, "VM_BIND of the imported object: %s", strerror(err));
		gem_close(fd_b, hb);
		goto out;
	}
	what = gpu_fill(fd_b, va + 4, words - 2, value);
	for (i = 0; i < words; i++)
		bad += a[i] != (i == 0 || i == words - 1 ? 0 : value);
	if (what)
		fail(name, "%s", what);
	else if (bad)
		fail(name, "%u of %u words wrong (word 1 is 0x%08x)", bad, words, a[1]);
	else
		pass(name);
	vm_bind(fd_b, DRM_NVGHOST_VM_BIND_UNMAP, 0, va, size);
	gem_close(fd_b, hb);
out:
	if (dmabuf >= 0)
		close(dmabuf);
	if (a)
		munmap(a, sa);
	gem_close(fd_a, ha);
}

static void test_xdev(int fd, const char *path2)
{
	int fd2 = open_nvghost(path2);

	if (fd2 < 0) {
		fail("xdev_open", "%s: %s", path2, strerror(errno));
		return;
	}
	if (gpu_index(fd2) == gpu_index(fd)) {
		fail("xdev_open", "%s is the same GPU", path2);
		close(fd2);
		return;
	}
	pass("xdev_open");
	/* Another device imports the pages: a system-memory object there. */
	test_share(fd, fd2, VRAM, SYSTEM, "xdev");
	test_share(fd, fd2, SYSTEM, SYSTEM, "xdev");
	test_share(fd2, fd, VRAM, SYSTEM, "xdev_reverse");
	test_share(fd2, fd, SYSTEM, SYSTEM, "xdev_reverse");
	test_gpu_import(fd, fd2, VRAM);
	test_gpu_import(fd, fd2, SYSTEM);
	close(fd2);
}

/* ---- out of VRAM (vram_mb=64) ---- */

static void test_vram64(int fd)
{
	enum { MAX_OBJ = 8 };
	uint32_t big[MAX_OBJ], rest = 0, extra, handle;
	unsigned int i, n = 0;
	int64_t free0, bad;
	uint64_t size;
	int err;
	void *p;

	if (vram_size(fd) != 64 * MiB) {
		fail("vram64_setup", "VRAM is %" PRIu64 " bytes: load the module with vram_mb=64",
		     vram_size(fd));
		return;
	}
	expect_err("vram64_create_65m_enospc", gem_create(fd, 65 * MiB, VRAM, &handle), ENOSPC);
	expect_err("vram64_create_64m_plus_1_enospc", gem_create(fd, 64 * MiB + 1, VRAM, &handle),
		   ENOSPC);

	/*
	 * Fill VRAM with 16 MiB objects. Each open file's GPU page directory
	 * lives in VRAM too, so only what debugfs reports free fits: three
	 * objects, then the rest in one object of exactly what is left.
	 */
	free0 = vram_stat(fd, "free");
	if (free0 < 0) {
		fail("vram64_fill", "cannot read %s/gpuN/vram", DEBUGFS);
		return;
	}
	while (n < MAX_OBJ && !(err = gem_create(fd, 16 * MiB, VRAM, &big[n])))
		n++;
	if (err != ENOSPC || n != (uint64_t)free0 / (16 * MiB))
		fail("vram64_fill_16m", "%u objects of 16 MiB fit in %" PRId64
		     " free bytes, then %s; expected %" PRIu64 " then ENOSPC", n, free0,
		     err ? strerror(err) : "no error", (uint64_t)free0 / (16 * MiB));
	else
		pass("vram64_fill_16m");
	size = (uint64_t)free0 - n * 16 * MiB;
	if (size) {
		err = gem_create(fd, size, VRAM, &rest);
		if (err)
			fail("vram64_fill_rest", "GEM_CREATE of the last %" PRIu64 " bytes: %s", size,
			     strerror(err));
		else
			pass("vram64_fill_rest");
	}
	if (vram_stat(fd, "free") != 0)
		fail("vram64_full", "debugfs says %" PRId64 " bytes free", vram_stat(fd, "free"));
	else
		pass("vram64_full");
	err = gem_create(fd, PAGE, VRAM, &extra);
	expect_err("vram64_full_4k_enospc", err, ENOSPC);
	if (!err)
		gem_close(fd, extra);
	/* System memory is another pool: still available. */
	err = gem_create(fd, PAGE, SYSTEM, &extra);
	if (err)
		fail("vram64_full_system_ok", "GEM_CREATE in system memory: %s", strerror(err));
	else
		pass("vram64_full_system_ok");
	if (!err)
		gem_close(fd, extra);

	/* Dirty all of VRAM, so that what comes next must be cleared. */
	for (i = 0; i < n; i++) {
		p = gem_mmap(fd, big[i], &size);
		if (p) {
			fill(p, size, 0xd1d1 + i);
			munmap(p, size);
		}
	}

	if (n) {
		gem_close(fd, big[--n]);
		err = gem_create(fd, 16 * MiB, VRAM, &big[n]);
		if (err) {
			fail("vram64_close_one_then_create", "GEM_CREATE: %s", strerror(err));
		} else {
			pass("vram64_close_one_then_create");
			p = gem_mmap(fd, big[n], &size);
			bad = p ? check_zero(p, size) : 0;
			if (!p)
				fail("vram64_recycled_reads_zero", "mmap: %s", strerror(errno));
			else if (bad >= 0)
				fail("vram64_recycled_reads_zero",
				     "reused VRAM holds old data at offset %" PRId64, bad);
			else
				pass("vram64_recycled_reads_zero");
			if (p)
				munmap(p, size);
			n++;
		}
	}

	for (i = 0; i < n; i++)
		gem_close(fd, big[i]);
	if (rest)
		gem_close(fd, rest);
	if (vram_stat(fd, "free") != free0)
		fail("vram64_all_freed", "free %" PRId64 ", expected %" PRId64,
		     vram_stat(fd, "free"), free0);
	else
		pass("vram64_all_freed");
}

int main(int argc, char **argv)
{
	const char *mode = argc > 2 ? argv[2] : "all";
	int fd;

	if (argc < 2 || argc > 4 || (!strcmp(mode, "xdev") && argc != 4)) {
		fprintf(stderr, "usage: %s DEVICE [all|basic|prime|vram64|xdev DEVICE2]\n", argv[0]);
		fail("usage", "bad arguments");
		return exit_status();
	}
	fd = open_nvghost(argv[1]);
	if (fd < 0) {
		fail("open", "%s: %s", argv[1],
		     errno == ENODEV ? "not an nvghost DRM node" : strerror(errno));
		return exit_status();
	}
	pass("open");

	if (!strcmp(mode, "all") || !strcmp(mode, "basic")) {
		test_objects(fd);
		test_create_rules(fd);
		test_info_rules(fd);
		test_system_too_big(fd);
		test_many(fd);
	}
	if (!strcmp(mode, "all") || !strcmp(mode, "prime"))
		test_prime(argv[1], fd);
	if (!strcmp(mode, "vram64"))
		test_vram64(fd);
	if (!strcmp(mode, "xdev"))
		test_xdev(fd, argv[3]);
	if (strcmp(mode, "all") && strcmp(mode, "basic") && strcmp(mode, "prime") &&
	    strcmp(mode, "vram64") && strcmp(mode, "xdev"))
		fail("usage", "unknown mode '%s'", mode);

	close(fd);
	return exit_status();
}
