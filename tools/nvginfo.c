// SPDX-License-Identifier: GPL-2.0
/*
 * nvginfo - print what the nvghost driver reports about its devices.
 *
 *   nvginfo [-d NODE] [-a] [-h]
 *
 * Without -d, every nvghost device under /dev/dri is shown once, through its
 * render node if it has one (else its card node). Everything comes from
 * DRM_IOCTL_NVGHOST_GET_PARAM; the chip name is looked up in the driver's own
 * chip table (kmod/nvghost_chip.c, compiled in).
 *
 * Build: gcc -Wall -Wextra -Werror -Ikmod -Iuapi $(pkg-config --cflags libdrm) \
 *	tools/nvginfo.c kmod/nvghost_chip.c $(pkg-config --libs libdrm) -o build/nvginfo
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <xf86drm.h>

#include "nvghost_drm.h"
#include "nvghost_chip.h"

#ifndef DRI_DIR
#define DRI_DIR		"/dev/dri"
#endif
#define DRIVER_NAME	"nvghost"
#define MAX_SHOWN	64	/* distinct devices remembered for de-duplication */
#define MAX_ENGINES_SHOWN 256	/* never loop on a nonsense ENGINE_COUNT */

static const char *prog = "nvginfo";

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-d NODE] [-a] [-h]\n"
		"Print what the nvghost DRM driver reports: driver version, chip, PMC_BOOT_0,\n"
		"architecture, implementation, VRAM, engines and their classes, PTIMER.\n"
		"\n"
		"  -d NODE  show only this DRM node (e.g. /dev/dri/renderD128 or /dev/dri/card0)\n"
		"  -a       show every nvghost node, card and render, not one node per device\n"
		"  -h       show this help\n"
		"\n"
		"Without -d, every nvghost device in " DRI_DIR " is shown.\n"
		"Exit status: 0 on success, 1 if no nvghost device is found or a query fails,\n"
		"2 on a usage error.\n", prog);
}

static const char *param_name(u32 param)
{
	switch (param) {
	case DRM_NVGHOST_PARAM_CHIP_ID:		return "CHIP_ID";
	case DRM_NVGHOST_PARAM_ARCH:		return "ARCH";
	case DRM_NVGHOST_PARAM_IMPL:		return "IMPL";
	case DRM_NVGHOST_PARAM_VRAM_SIZE:	return "VRAM_SIZE";
	case DRM_NVGHOST_PARAM_ENGINE_COUNT:	return "ENGINE_COUNT";
	case DRM_NVGHOST_PARAM_PTIMER_NS:	return "PTIMER_NS";
	case DRM_NVGHOST_PARAM_ENGINE_CLASS:	return "ENGINE_CLASS";
	default:				return "?";
	}
}

static const char *class_name(u32 class)
{
	switch (class) {
	case TURING_DMA_COPY_A:		return "TURING_DMA_COPY_A";
	case TURING_COMPUTE_A:		return "TURING_COMPUTE_A";
	case AMPERE_DMA_COPY_B:		return "AMPERE_DMA_COPY_B";
	case AMPERE_COMPUTE_B:		return "AMPERE_COMPUTE_B";
	case ADA_COMPUTE_A:		return "ADA_COMPUTE_A";
	case HOPPER_DMA_COPY_A:		return "HOPPER_DMA_COPY_A";
	case HOPPER_COMPUTE_A:		return "HOPPER_COMPUTE_A";
	default:			return NULL;
	}
}

/* GET_PARAM; reports a failure on stderr and returns false. */
static bool get_param(int fd, const char *path, u32 param, u32 index, u64 *value)
{
	struct drm_nvghost_get_param gp = {
		.param = param,
		.index = index,
	};

	if (drmIoctl(fd, DRM_IOCTL_NVGHOST_GET_PARAM, &gp)) {
		fprintf(stderr, "%s: %s: GET_PARAM %s (index %u): %s\n",
			prog, path, param_name(param), index, strerror(errno));
		return false;
	}
	*value = gp.value;
	return true;
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
 * Open @path and check that nvghost drives it. Returns the fd, or -1 with
 * errno set (ENODEV: not nvghost; @other, if given, then says what it is).
 */
static int open_nvghost(const char *path, drmVersionPtr *versionp, char *other, size_t len)
{
	drmVersionPtr v;
	int fd;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	v = drmGetVersion(fd);
	if (!v || strcmp(v->name, DRIVER_NAME)) {
		if (other && v)
			snprintf(other, len, "a %s device", v->name);
		else if (other)
			snprintf(other, len, "not a DRM device");
		drmFreeVersion(v);
		close(fd);
		errno = ENODEV;
		return -1;
	}
	*versionp = v;
	return fd;
}

/* Print one device; returns false if any query failed. */
static bool show(int fd, const char *path, drmVersionPtr v)
{
	const struct nvg_chip *chip;
	u64 boot0, arch, impl, vram, count, ptimer, class;
	bool ok = true;
	u64 i;

	printf("%s\n", path);
	printf("  driver:         %s %d.%d.%d (%s)\n", v->name, v->version_major,
	       v->version_minor, v->version_patchlevel, v->date ? v->date : "no date");

	if (get_param(fd, path, DRM_NVGHOST_PARAM_CHIP_ID, 0, &boot0)) {
		chip = nvg_chip_by_boot0((u32)boot0);
		if (chip)
			printf("  chip:           %s (%s)\n", chip->name, chip->marketing);
		else
			printf("  chip:           unknown\n");
		printf("  PMC_BOOT_0:     0x%08llx\n", boot0);
	} else {
		ok = false;
	}

	if (get_param(fd, path, DRM_NVGHOST_PARAM_ARCH, 0, &arch))
		printf("  architecture:   %s (0x%02llx)\n",
		       nvg_arch_name((u32)arch), arch);
	else
		ok = false;

	if (get_param(fd, path, DRM_NVGHOST_PARAM_IMPL, 0, &impl))
		printf("  implementation: 0x%llx\n", impl);
	else
		ok = false;

	if (get_param(fd, path, DRM_NVGHOST_PARAM_VRAM_SIZE, 0, &vram)) {
		if (vram & ((1u << 20) - 1))
			printf("  VRAM:           %llu MiB (%llu bytes)\n",
			       vram >> 20, vram);
		else
			printf("  VRAM:           %llu MiB\n", vram >> 20);
	} else {
		ok = false;
	}

	if (get_param(fd, path, DRM_NVGHOST_PARAM_ENGINE_COUNT, 0, &count)) {
		printf("  engines:        %llu\n", count);
		for (i = 0; i < count && i < MAX_ENGINES_SHOWN; i++) {
			const char *name;

			if (!get_param(fd, path, DRM_NVGHOST_PARAM_ENGINE_CLASS, (u32)i, &class)) {
				ok = false;
				break;
			}
			name = class_name((u32)class);
			printf("    engine %llu:     class 0x%04llx%s%s\n", i, class,
			       name ? " " : "", name ? name : "");
		}
	} else {
		ok = false;
	}

	if (get_param(fd, path, DRM_NVGHOST_PARAM_PTIMER_NS, 0, &ptimer))
		printf("  PTIMER:         %llu ns\n", ptimer);
	else
		ok = false;

	return ok;
}

static int show_one(const char *path)
{
	drmVersionPtr v;
	char other[64];
	bool ok;
	int fd;

	fd = open_nvghost(path, &v, other, sizeof(other));
	if (fd < 0) {
		if (errno == ENODEV)
			fprintf(stderr, "%s: %s: not an nvghost device (%s)\n",
				prog, path, other);
		else
			fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return 1;
	}
	ok = show(fd, path, v);
	drmFreeVersion(v);
	close(fd);
	return ok ? 0 : 1;
}

static int node_filter(const struct dirent *d)
{
	return !strncmp(d->d_name, "renderD", 7) || !strncmp(d->d_name, "card", 4);
}

/* render nodes first, so each device is shown through its render node */
static int node_order(const struct dirent **a, const struct dirent **b)
{
	bool ra = !strncmp((*a)->d_name, "renderD", 7);
	bool rb = !strncmp((*b)->d_name, "renderD", 7);

	if (ra != rb)
		return ra ? -1 : 1;
	return versionsort(a, b);
}

static int show_all(bool every_node)
{
	static char shown[MAX_SHOWN][PATH_MAX];
	int nshown = 0, found = 0, unopened = 0, open_errno = 0;
	struct dirent **names;
	bool ok = true;
	int i, n;

	n = scandir(DRI_DIR, &names, node_filter, node_order);
	if (n < 0) {
		fprintf(stderr, "%s: no nvghost device found: %s: %s\n",
			prog, DRI_DIR, strerror(errno));
		return 1;
	}

	for (i = 0; i < n; i++) {
		char path[PATH_MAX], dev[PATH_MAX];
		bool have_dev, dup = false;
		drmVersionPtr v;
		int fd, j;

		snprintf(path, sizeof(path), "%s/%s", DRI_DIR, names[i]->d_name);
		fd = open_nvghost(path, &v, NULL, 0);
		if (fd < 0) {
			if (errno != ENODEV) {
				unopened++;
				open_errno = errno;
			}
			continue;
		}

		have_dev = node_device(fd, dev);
		for (j = 0; have_dev && !every_node && j < nshown; j++)
			if (!strcmp(shown[j], dev))
				dup = true;
		if (!dup) {
			if (found)
				printf("\n");
			if (!show(fd, path, v))
				ok = false;
			found++;
			if (have_dev && nshown < MAX_SHOWN)
				snprintf(shown[nshown++], PATH_MAX, "%s", dev);
		}
		drmFreeVersion(v);
		close(fd);
	}

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);

	if (!found) {
		if (unopened)
			fprintf(stderr, "%s: no nvghost device found in %s (%d node%s could not be opened: %s)\n",
				prog, DRI_DIR, unopened, unopened == 1 ? "" : "s",
				strerror(open_errno));
		else
			fprintf(stderr, "%s: no nvghost device found in %s\n", prog, DRI_DIR);
		return 1;
	}
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *node = NULL;
	bool every_node = false;
	int opt;

	while ((opt = getopt(argc, argv, "d:ah")) != -1) {
		switch (opt) {
		case 'd':
			node = optarg;
			break;
		case 'a':
			every_node = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s' (try -h)\n", prog, argv[optind]);
		return 2;
	}

	if (node)
		return show_one(node);
	return show_all(every_node);
}
