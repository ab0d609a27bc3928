// SPDX-License-Identifier: GPL-2.0
/*
 * prime_vgem_test - DMA-buf sharing with another driver (vgem, which ships
 * with the kernel): a vgem buffer imported into nvghost and written by the
 * GPU, read back through vgem; an nvghost VRAM buffer exported to vgem and
 * read through vgem's mapping.
 *
 *   prime_vgem_test      (vgem must be loaded)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include "nvg.h"
#include "nvg_cmd.h"
#include "nvghost_chip.h"
#include "check.h"

static int open_vgem(void)
{
	char path[32];
	int i, fd;

	for (i = 0; i < 16; i++) {
		drmVersionPtr v;

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		if (v && !strcmp(v->name, "vgem")) {
			drmFreeVersion(v);
			return fd;
		}
		drmFreeVersion(v);
		close(fd);
	}
	return -1;
}

/* A 64 KiB vgem dumb buffer, mapped. */
static void *vgem_dumb(int vfd, uint32_t *handle)
{
	struct drm_mode_create_dumb c = { .width = 16384, .height = 1, .bpp = 32 };
	struct drm_mode_map_dumb m = {};
	void *p;

	if (drmIoctl(vfd, DRM_IOCTL_MODE_CREATE_DUMB, &c))
		return NULL;
	m.handle = c.handle;
	if (drmIoctl(vfd, DRM_IOCTL_MODE_MAP_DUMB, &m))
		return NULL;
	p = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_SHARED, vfd, m.offset);
	*handle = c.handle;
	return p == MAP_FAILED ? NULL : p;
}

/* Fill @va (64 KiB) with @value on the copy engine; the fence status. */
static int gpu_fill(struct nvg_device *dev, struct nvg_bo *pb, uint32_t ctx,
		    uint64_t va, uint32_t value)
{
	struct nvg_submit_args a = { .nr_entries = 1, .in_fence_fd = -1, .want_out_fence = 1 };
	struct nvg_cmd cmd = nvg_cmd_fill32(va, 65536, value);
	struct nvg_pb_builder b;
	uint64_t entry;
	int fence, ret;

	ret = nvg_pb_builder_init(&b, AMPERE_DMA_COPY_B, pb->map, pb->size / 4) ?:
	      nvg_pb_emit(&b, &cmd);
	if (ret)
		return ret;
	entry = nvg_gpfifo_entry_encode(pb->va, nvg_pb_builder_count(&b), 0);
	a.entries = &entry;
	ret = nvg_submit(dev, ctx, &a, &fence);
	nvg_pb_builder_fini(&b);
	return ret ?: nvg_fence_wait(fence, 10000);
}

int main(void)
{
	struct nvg_bo pb, imported = {}, vram;
	struct nvg_device dev;
	uint32_t vh, ctx, i, bad = 0, h2;
	uint32_t *vmap, *p;
	int vfd, dmabuf, ret;

	vfd = open_vgem();
	if (vfd < 0 || nvg_open(&dev, NULL)) {
		check("setup", 0, "no vgem or nvghost device");
		return 1;
	}
	vmap = vgem_dumb(vfd, &vh);
	ret = !vmap || nvg_bo_create(&dev, 4096, DRM_NVGHOST_PLACEMENT_SYSTEM, &pb) ||
	      nvg_bo_map(&dev, &pb) || nvg_bo_bind(&dev, &pb, 0, 0) ||
	      nvg_ctx_create(&dev, DRM_NVGHOST_ENGINE_COPY, 1, &ctx);
	check("setup", !ret, "buffers or channel");
	if (ret)
		return 1;

	/* vgem -> nvghost: the GPU writes into vgem's pages. */
	memset(vmap, 0, 65536);
	ret = drmPrimeHandleToFD(vfd, vh, DRM_CLOEXEC | DRM_RDWR, &dmabuf) ||
	      drmPrimeFDToHandle(dev.fd, dmabuf, &imported.handle);
	imported.size = 65536;
	check("import_vgem_buffer", !ret, strerror(errno));
	ret = ret ?: nvg_bo_bind(&dev, &imported, 0, 0);
	check("bind_imported_buffer", !ret, strerror(-ret));
	ret = ret ?: gpu_fill(&dev, &pb, ctx, imported.va, 0x600d1dea);
	for (i = 0; i < 16384; i++)
		bad += vmap[i] != 0x600d1dea;
	result("gpu_writes_vgem_buffer", !ret && !bad,
	       "status %d, %u of 16384 words in vgem's mapping not 0x600d1dea, expected 0 and none", ret, bad);
	close(dmabuf);

	/* nvghost VRAM -> vgem: vgem maps what the GPU wrote. */
	ret = nvg_bo_create(&dev, 65536, DRM_NVGHOST_PLACEMENT_VRAM, &vram) ?:
	      nvg_bo_bind(&dev, &vram, 0, 0) ?:
	      gpu_fill(&dev, &pb, ctx, vram.va, 0xfeedface);
	ret = ret ?: drmPrimeHandleToFD(dev.fd, vram.handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf);
	ret = ret ?: drmPrimeFDToHandle(vfd, dmabuf, &h2);
	check("export_vram_to_vgem", !ret, "export or import failed");
	p = ret ? MAP_FAILED : mmap(NULL, 65536, PROT_READ, MAP_SHARED, dmabuf, 0);
	for (i = 0, bad = 0; p != MAP_FAILED && i < 16384; i++)
		bad += p[i] != 0xfeedface;
	result("vram_dmabuf_mmap_sees_gpu_data", p != MAP_FAILED && !bad,
	       "%s, %u of 16384 words not the GPU's fill 0xfeedface, expected a mapping and none",
	       p == MAP_FAILED ? "mmap failed" : "mapped", bad);
	nvg_close(&dev);
	close(vfd);
	return failures;
}
