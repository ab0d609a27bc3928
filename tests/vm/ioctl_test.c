// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl_test - DRM_IOCTL_NVGHOST_GET_PARAM against the real driver, run
 * inside the test VM.
 *
 *   ioctl_test DEVICE EXPECTED_CHIP_NAME [EXPECTED_VRAM_MB]
 *   e.g. ioctl_test /dev/dri/renderD128 ga102
 *
 * EXPECTED_VRAM_MB defaults to the chip table's; give it when the module was
 * loaded with a VRAM override. Prints one line per subtest, "PASS: name" or
 * "FAIL: name: details", and exits with the number of failures (0 = all
 * passed; capped at 125 so it never reads as a signal or a shell error).
 *
 * Expected values come from kmod/nvghost_chip.c (compiled in), the same table
 * the driver uses; the table itself is checked by tests/unit/test_chip.c.
 *
 * Build: gcc -Wall -Wextra -Werror -Ikmod -Iuapi $(pkg-config --cflags libdrm) \
 *	tests/vm/ioctl_test.c kmod/nvghost_chip.c $(pkg-config --libs libdrm) -o build/ioctl_test
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "nvghost_drm.h"
#include "nvghost_chip.h"
#include "check.h"

#ifndef DRI_DIR
#define DRI_DIR		"/dev/dri"
#endif
#define DRIVER_NAME	"nvghost"
#define NSEC_PER_MSEC	1000000ull
#define MAX_EXIT	125

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int exit_status(void)
{
	fflush(stdout);
	return failures > MAX_EXIT ? MAX_EXIT : failures;
}

/* GET_PARAM: 0, or the errno it failed with. */
static int get_param_raw(int fd, struct drm_nvghost_get_param *gp)
{
	return drmIoctl(fd, DRM_IOCTL_NVGHOST_GET_PARAM, gp) ? errno : 0;
}

static int get_param(int fd, u32 param, u32 index, u64 *value)
{
	struct drm_nvghost_get_param gp = { .param = param, .index = index };
	int err = get_param_raw(fd, &gp);

	if (!err)
		*value = gp.value;
	return err;
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

static void sleep_ns(u64 ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / 1000000000ull),
		.tv_nsec = (long)(ns % 1000000000ull),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
}

/* ---- the node and its device ---- */

/* Open @path if nvghost drives it; -1 otherwise (errno ENODEV: another driver). */
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

/* The sysfs path of the device behind a DRM node, shared by its card and render node. */
static bool node_device(int fd, char *buf)
{
	char link[64];
	struct stat st;

	if (fstat(fd, &st) || !S_ISCHR(st.st_mode))
		return false;
	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	return realpath(link, buf) != NULL;
}

/*
 * Find the nvghost card node of the device behind @dev_fd: the card whose
 * sysfs device matches, else (no sysfs link to compare) the first nvghost
 * card. Returns its fd and fills @path, or -1.
 */
static int open_card(int dev_fd, char *path, size_t len)
{
	char want[PATH_MAX], have[PATH_MAX];
	struct dirent **names;
	bool want_ok;
	int i, n, fd, found = -1;

	want_ok = node_device(dev_fd, want);
	n = scandir(DRI_DIR, &names, NULL, versionsort);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		char p[PATH_MAX];

		if (found >= 0 || strncmp(names[i]->d_name, "card", 4))
			continue;
		snprintf(p, sizeof(p), "%s/%s", DRI_DIR, names[i]->d_name);
		fd = open_nvghost(p);
		if (fd < 0)
			continue;
		if (want_ok && (!node_device(fd, have) || strcmp(want, have))) {
			close(fd);
			continue;
		}
		snprintf(path, len, "%s", p);
		found = fd;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return found;
}

/* ---- subtests ---- */

static void expect_param(int fd, const char *name, u32 param, u32 index, u64 expected)
{
	u64 value;
	int err = get_param(fd, param, index, &value);

	if (err)
		fail(name, "GET_PARAM failed: %s", strerror(err));
	else if (value != expected)
		fail(name, "got 0x%llx (%llu), expected 0x%llx (%llu)",
		     value, value, expected, expected);
	else
		pass(name);
}

static void expect_einval(int fd, const char *name, struct drm_nvghost_get_param gp)
{
	int err = get_param_raw(fd, &gp);

	if (!err)
		fail(name, "accepted (returned 0, value 0x%llx), expected EINVAL", gp.value);
	else if (err != EINVAL)
		fail(name, "failed with %s (errno %d), expected EINVAL", strerror(err), err);
	else
		pass(name);
}

static void test_params(int fd, const struct nvg_chip *chip, u64 vram_mb)
{
	u32 nr = nvg_chip_nr_engines(chip);
	char name[64];
	u32 i;

	expect_param(fd, "param_chip_id", DRM_NVGHOST_PARAM_CHIP_ID, 0, chip->boot0);
	expect_param(fd, "param_arch", DRM_NVGHOST_PARAM_ARCH, 0, nvg_boot0_arch(chip->boot0));
	expect_param(fd, "param_impl", DRM_NVGHOST_PARAM_IMPL, 0, nvg_boot0_impl(chip->boot0));
	expect_param(fd, "param_vram_size", DRM_NVGHOST_PARAM_VRAM_SIZE, 0, vram_mb << 20);
	expect_param(fd, "param_engine_count", DRM_NVGHOST_PARAM_ENGINE_COUNT, 0, nr);
	for (i = 0; i < nr; i++) {
		snprintf(name, sizeof(name), "param_engine_class_%u", i);
		expect_param(fd, name, DRM_NVGHOST_PARAM_ENGINE_CLASS, i,
			     nvg_chip_engine_class(chip, i));
	}
}

static void test_ptimer(int fd)
{
	const char *name;
	u64 p0, p1, t0, t1, gpu, cpu, slack;
	int err;

	name = "ptimer_nonzero";
	err = get_param(fd, DRM_NVGHOST_PARAM_PTIMER_NS, 0, &p0);
	if (err)
		fail(name, "GET_PARAM failed: %s", strerror(err));
	else if (!p0)
		fail(name, "PTIMER_NS read 0");
	else
		pass(name);

	name = "ptimer_increases";
	err = get_param(fd, DRM_NVGHOST_PARAM_PTIMER_NS, 0, &p0);
	if (!err) {
		sleep_ns(1 * NSEC_PER_MSEC);
		err = get_param(fd, DRM_NVGHOST_PARAM_PTIMER_NS, 0, &p1);
	}
	if (err)
		fail(name, "GET_PARAM failed: %s", strerror(err));
	else if (p1 <= p0)
		fail(name, "%llu ns, then %llu ns 1 ms later", p0, p1);
	else
		pass(name);

	/* GPU time across a 100 ms sleep vs CLOCK_MONOTONIC around it: within 50% + 20 ms */
	name = "ptimer_tracks_monotonic";
	t0 = now_ns();
	err = get_param(fd, DRM_NVGHOST_PARAM_PTIMER_NS, 0, &p0);
	if (!err) {
		sleep_ns(100 * NSEC_PER_MSEC);
		err = get_param(fd, DRM_NVGHOST_PARAM_PTIMER_NS, 0, &p1);
	}
	t1 = now_ns();
	if (err) {
		fail(name, "GET_PARAM failed: %s", strerror(err));
		return;
	}
	cpu = t1 - t0;
	slack = cpu / 2 + 20 * NSEC_PER_MSEC;
	if (p1 < p0) {
		fail(name, "PTIMER went backwards: %llu ns, then %llu ns", p0, p1);
		return;
	}
	gpu = p1 - p0;
	if (gpu + slack < cpu || gpu > cpu + slack)
		fail(name, "PTIMER advanced %llu ns while CLOCK_MONOTONIC advanced %llu"
		     " ns (allowed +/- %llu ns)", gpu, cpu, slack);
	else
		pass(name);
}

static void test_validation(int fd, const struct nvg_chip *chip)
{
	static const struct {
		u32 param;
		const char *name;
	} non_indexed[] = {
		{ DRM_NVGHOST_PARAM_CHIP_ID, "reject_index_on_chip_id" },
		{ DRM_NVGHOST_PARAM_ARCH, "reject_index_on_arch" },
		{ DRM_NVGHOST_PARAM_IMPL, "reject_index_on_impl" },
		{ DRM_NVGHOST_PARAM_VRAM_SIZE, "reject_index_on_vram_size" },
		{ DRM_NVGHOST_PARAM_ENGINE_COUNT, "reject_index_on_engine_count" },
		{ DRM_NVGHOST_PARAM_PTIMER_NS, "reject_index_on_ptimer_ns" },
	};
	const struct drm_nvghost_get_param valid = { .param = DRM_NVGHOST_PARAM_CHIP_ID };
	struct drm_nvghost_get_param gp;
	unsigned int i;

	gp = valid;
	gp.flags = 1u << 0;
	expect_einval(fd, "reject_flags_bit0", gp);

	gp = valid;
	gp.flags = 1u << 31;
	expect_einval(fd, "reject_flags_bit31", gp);

	gp = valid;
	gp.pad = 1;
	expect_einval(fd, "reject_pad_nonzero", gp);

	gp = valid;
	gp.param = 7;
	expect_einval(fd, "reject_param_7", gp);

	gp = valid;
	gp.param = 0xffffffff;
	expect_einval(fd, "reject_param_0xffffffff", gp);

	for (i = 0; i < ARRAY_SIZE(non_indexed); i++) {
		gp = valid;
		gp.param = non_indexed[i].param;
		gp.index = 1;
		expect_einval(fd, non_indexed[i].name, gp);
	}

	gp = valid;
	gp.param = DRM_NVGHOST_PARAM_ENGINE_CLASS;
	gp.index = nvg_chip_nr_engines(chip);
	expect_einval(fd, "reject_engine_index_eq_count", gp);

	gp = valid;
	gp.param = DRM_NVGHOST_PARAM_ENGINE_CLASS;
	gp.index = 0xffffffff;
	expect_einval(fd, "reject_engine_index_0xffffffff", gp);
}

static void test_card_node(int dev_fd, const struct nvg_chip *chip)
{
	const char *name = "card_node_chip_id";
	char path[PATH_MAX];
	u64 value;
	int fd, err;

	fd = open_card(dev_fd, path, sizeof(path));
	if (fd < 0) {
		fail(name, "no nvghost card node in %s", DRI_DIR);
		return;
	}
	err = get_param(fd, DRM_NVGHOST_PARAM_CHIP_ID, 0, &value);
	if (err)
		fail(name, "%s: GET_PARAM failed: %s", path, strerror(err));
	else if (value != chip->boot0)
		fail(name, "%s: got 0x%llx, expected 0x%08x", path, value, chip->boot0);
	else
		pass(name);
	close(fd);
}

int main(int argc, char **argv)
{
	const struct nvg_chip *chip;
	const char *device;
	u64 vram_mb;
	int fd;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: %s DEVICE EXPECTED_CHIP_NAME [EXPECTED_VRAM_MB]\n"
			"  e.g. %s /dev/dri/renderD128 ga102\n", argv[0], argv[0]);
		fail("usage", "expected 2 or 3 arguments, got %d", argc - 1);
		return exit_status();
	}
	device = argv[1];

	chip = nvg_chip_by_name(argv[2]);
	if (!chip) {
		fail("expected_chip", "'%s' is not a chip of the table", argv[2]);
		return exit_status();
	}

	vram_mb = chip->vram_mb;
	if (argc == 4) {
		char *end;

		errno = 0;
		vram_mb = strtoull(argv[3], &end, 0);
		if (errno || end == argv[3] || *end || !vram_mb || vram_mb > (UINT64_MAX >> 20)) {
			fail("expected_vram", "'%s' is not a VRAM size in MiB", argv[3]);
			return exit_status();
		}
	}

	fd = open_nvghost(device);
	if (fd < 0) {
		fail("open", "%s: %s", device,
		     errno == ENODEV ? "not an nvghost DRM node" : strerror(errno));
		return exit_status();
	}
	pass("open");

	test_params(fd, chip, vram_mb);
	test_ptimer(fd);
	test_validation(fd, chip);
	test_card_node(fd, chip);

	close(fd);
	return exit_status();
}
