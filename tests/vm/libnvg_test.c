// SPDX-License-Identifier: GPL-2.0
/*
 * libnvg_test - every libnvg command kind, encoded by the builder, accepted
 * by the driver's validator and executed by the simulated engines with the
 * expected result; and libnvg's wrappers' error paths.
 *
 *   libnvg_test          (uses the first nvghost render node)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvg.h"
#include "nvg_cmd.h"
#include "nvghost_chip.h"
#include "check.h"

struct rig {
	struct nvg_device dev;
	struct nvg_bo pb;		/* the pushbuffer, system memory */
	struct nvg_bo a, b;		/* data: a in VRAM, b in system memory */
	uint32_t copy_ctx, compute_ctx;
	uint32_t compute_class;
};

/* Build one command on a channel of @cls, run it, return the fence status. */
static int run(struct rig *r, uint32_t ctx, uint32_t cls, const struct nvg_cmd *cmds, int n)
{
	struct nvg_pb_builder b;
	struct nvg_submit_args args = { .nr_entries = 1, .in_fence_fd = -1,
					.want_out_fence = 1 };
	uint64_t entry;
	int i, ret, fence;

	ret = nvg_pb_builder_init(&b, cls, r->pb.map, r->pb.size / 4);
	for (i = 0; !ret && i < n; i++)
		ret = nvg_pb_emit(&b, &cmds[i]);
	if (ret)
		return ret;
	entry = nvg_gpfifo_entry_encode(r->pb.va, nvg_pb_builder_count(&b), 0);
	args.entries = &entry;
	ret = nvg_submit(&r->dev, ctx, &args, &fence);
	nvg_pb_builder_fini(&b);
	return ret ? ret : nvg_fence_wait(fence, 10000);
}

static void test_commands(struct rig *r)
{
	uint8_t *a = r->a.map, *b = r->b.map;
	uint32_t *sem = (uint32_t *)(b + 0x80000);
	struct nvg_cmd c[2];
	uint32_t i, bad = 0, sum;
	int st;

	for (i = 0; i < 65536; i++)
		a[i] = (uint8_t)(i * 13 + 1);
	c[0] = nvg_cmd_copy(r->a.va, r->b.va, 65536);
	st = run(r, r->copy_ctx, AMPERE_DMA_COPY_B, c, 1);
	result("libnvg_copy", !st && !memcmp(a, b, 65536), "status %d", st);

	/* 2-D: 16 lines of 100 bytes, pitch 128 in, 256 out, from offset 3 */
	memset(b, 0, 8192);
	c[0] = nvg_cmd_copy_2d(r->a.va + 3, r->b.va + 5, 100, 16, 128, 256);
	st = run(r, r->copy_ctx, AMPERE_DMA_COPY_B, c, 1);
	for (i = 0; i < 16; i++)
		bad += memcmp(a + 3 + i * 128, b + 5 + i * 256, 100) != 0 ||
		       b[5 + i * 256 + 100] != 0;
	result("libnvg_copy_2d", !st && !bad, "status %d, %u lines wrong", st, bad);

	c[0] = nvg_cmd_fill32(r->a.va, 65536, 0xdeadbeef);
	st = run(r, r->copy_ctx, AMPERE_DMA_COPY_B, c, 1);
	for (i = 0, bad = 0; i < 16384; i++)
		bad += ((uint32_t *)a)[i] != 0xdeadbeef;
	result("libnvg_fill32_copy_engine", !st && !bad, "status %d, %u words wrong", st, bad);

	c[0] = nvg_cmd_fill32(r->a.va, 65536, 0x11223344);
	st = run(r, r->compute_ctx, r->compute_class, c, 1);
	for (i = 0, bad = 0; i < 16384; i++)
		bad += ((uint32_t *)a)[i] != 0x11223344;
	result("libnvg_fill32_compute", !st && !bad, "status %d, %u words wrong", st, bad);

	c[0] = nvg_cmd_checksum(r->a.va, 65536, r->b.va + 0x80100);
	st = run(r, r->compute_ctx, r->compute_class, c, 1);
	sum = nvg_fnv1a32(a, 65536, NVG_FNV1A32_INIT);
	result("libnvg_checksum", !st && *(uint32_t *)(b + 0x80100) == sum,
	       "status %d, got 0x%08x want 0x%08x", st, *(uint32_t *)(b + 0x80100), sum);

	c[0] = nvg_cmd_busy(100000);
	st = run(r, r->compute_ctx, r->compute_class, c, 1);
	result("libnvg_busy", !st, "status %d", st);

	sem[0] = 0;
	c[0] = nvg_cmd_sem_release(r->b.va + 0x80000, 77, NVG_CMD_SEM_32, false);
	st = run(r, r->copy_ctx, AMPERE_DMA_COPY_B, c, 1);
	result("libnvg_sem_release_32", !st && sem[0] == 77, "status %d, sem %u", st, sem[0]);

	c[0] = nvg_cmd_sem_release(r->b.va + 0x80010, 0x100000002ULL, NVG_CMD_SEM_64, true);
	st = run(r, r->copy_ctx, AMPERE_DMA_COPY_B, c, 1);
	result("libnvg_sem_release_64_timestamp",
	       !st && *(uint64_t *)(b + 0x80010) == 0x100000002ULL && *(uint64_t *)(b + 0x80018),
	       "status %d", st);

	/* An acquire that is already satisfied, then a release after it. */
	c[0] = nvg_cmd_sem_acquire(r->b.va + 0x80000, 50, NVG_CMD_SEM_GEQ, NVG_CMD_SEM_32);
	c[1] = nvg_cmd_sem_release(r->b.va + 0x80004, 5, NVG_CMD_SEM_32, false);
	st = run(r, r->copy_ctx, AMPERE_DMA_COPY_B, c, 2);
	result("libnvg_sem_acquire_geq", !st && sem[1] == 5, "status %d, sem %u", st, sem[1]);
}

static void test_wrapper_errors(struct rig *r)
{
	struct nvg_device d;
	struct nvg_bo bo;
	uint32_t ctx;

	result("libnvg_open_not_nvghost", nvg_open(&d, "/dev/null") == -ENODEV,
	       "opening /dev/null did not give -ENODEV");
	result("libnvg_bo_create_bad_placement",
	       nvg_bo_create(&r->dev, 4096, 7, &bo) == -EINVAL, "no -EINVAL");
	result("libnvg_ctx_create_bad_class",
	       nvg_ctx_create(&r->dev, 9, 0, &ctx) == -EINVAL, "no -EINVAL");
	result("libnvg_bind_overlap",
	       nvg_bo_bind(&r->dev, &r->a, r->b.va, 0) == -EEXIST, "no -EEXIST");
}

int main(void)
{
	struct rig r;
	uint64_t v;
	int ret;

	ret = nvg_open(&r.dev, NULL);
	if (ret) {
		printf("FAIL: open: %s\n", strerror(-ret));
		return 1;
	}
	nvg_get_param(&r.dev, DRM_NVGHOST_PARAM_ENGINE_CLASS, 0, &v);
	r.compute_class = (uint32_t)v;
	ret = nvg_bo_create(&r.dev, 1 << 20, DRM_NVGHOST_PLACEMENT_SYSTEM, &r.pb) ?:
	      nvg_bo_map(&r.dev, &r.pb) ?: nvg_bo_bind(&r.dev, &r.pb, 0, 0) ?:
	      nvg_bo_create(&r.dev, 1 << 20, DRM_NVGHOST_PLACEMENT_VRAM, &r.a) ?:
	      nvg_bo_map(&r.dev, &r.a) ?: nvg_bo_bind(&r.dev, &r.a, 0, 0) ?:
	      nvg_bo_create(&r.dev, 1 << 20, DRM_NVGHOST_PLACEMENT_SYSTEM, &r.b) ?:
	      nvg_bo_map(&r.dev, &r.b) ?: nvg_bo_bind(&r.dev, &r.b, 0, 0) ?:
	      nvg_ctx_create(&r.dev, DRM_NVGHOST_ENGINE_COPY, DRM_NVGHOST_PRIORITY_NORMAL,
			     &r.copy_ctx) ?:
	      nvg_ctx_create(&r.dev, DRM_NVGHOST_ENGINE_COMPUTE, DRM_NVGHOST_PRIORITY_NORMAL,
			     &r.compute_ctx);
	result("libnvg_setup", !ret, "%s", strerror(-ret));
	if (ret)
		return 1;
	test_commands(&r);
	test_wrapper_errors(&r);
	nvg_bo_destroy(&r.dev, &r.a);
	nvg_bo_destroy(&r.dev, &r.b);
	nvg_bo_destroy(&r.dev, &r.pb);
	nvg_close(&r.dev);
	return failures;
}
