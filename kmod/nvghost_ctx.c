// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_ctx.c - clients (one per open DRM file) and scheduling contexts
 * (one per channel, plus each device's own kernel context).
 *
 * Every context is announced to the scheduling policy (ops.ctx_init) while
 * nvg_devices_lock is held, the same lock attach takes to announce the
 * contexts that already exist, so a policy hears about each context once.
 */
#include <linux/atomic.h>
#include <linux/dma-resv.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "nvghost_drv.h"
#include "nvghost_uvm.h"
#include "nvghost_job.h"
#include "nvghost_sched.h"
#include "nvghost_vm.h"
#include "../uapi/nvghost_drm.h"

static atomic64_t nvg_next_ctx_id = ATOMIC64_INIT(0);

/**
 * nvg_ctx_create() - create a context and announce it to the policy
 * @ndev: its device.
 * @comm: the owning process's command name.
 * @pid: its thread group id (0 for the kernel).
 * @prio: priority class.
 * @flags: context flags.
 *
 * Return: the context, or an ERR_PTR (the policy's ctx_init may refuse it).
 */
struct nvg_ctx_obj *nvg_ctx_create(struct nvg_device *ndev, const char *comm,
				   pid_t pid, u32 prio, u32 flags)
{
	struct nvg_ctx_obj *ctx;
	int ret;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->ndev = ndev;
	ctx->pub.id = atomic64_inc_return(&nvg_next_ctx_id);
	ctx->pub.dev_index = ndev->index;
	ctx->pub.pid = pid;
	ctx->pub.prio = prio;
	ctx->pub.flags = flags;
	strscpy(ctx->pub.comm, comm, sizeof(ctx->pub.comm));

	mutex_lock(&nvg_devices_lock);
	ret = nvg_sched_ctx_init(ctx);
	if (!ret)
		list_add_tail(&ctx->node, &ndev->ctxs);
	mutex_unlock(&nvg_devices_lock);
	if (ret) {
		kfree(ctx);
		return ERR_PTR(ret);
	}
	return ctx;
}

void nvg_ctx_destroy(struct nvg_ctx_obj *ctx)
{
	mutex_lock(&nvg_devices_lock);
	nvg_sched_ctx_exit(ctx);
	list_del(&ctx->node);
	mutex_unlock(&nvg_devices_lock);
	kfree(ctx);
}

/* Each DRM file is a client: a GPU address space and its channels. */
int nvg_ctx_open(struct drm_device *drm, struct drm_file *file)
{
	struct nvg_client *client;
	int idx;

	/* An open racing with an unplug: the page directory lives in VRAM. */
	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	client = kzalloc(sizeof(*client), GFP_KERNEL);
	if (!client) {
		drm_dev_exit(idx);
		return -ENOMEM;
	}
	client->vm = nvg_vm_create(to_nvg_device(drm));
	drm_dev_exit(idx);
	if (IS_ERR(client->vm)) {
		int ret = PTR_ERR(client->vm);

		kfree(client);
		return ret;
	}
	xa_init_flags(&client->chans, XA_FLAGS_ALLOC1);
	client->pid = task_tgid_nr(current);
	get_task_comm(client->comm, current);
	client->ppid = task_ppid_nr(current);
	client->client_id = file->client_id;
	mutex_lock(&to_nvg_device(drm)->clients_lock);
	list_add_tail(&client->node, &to_nvg_device(drm)->clients);
	mutex_unlock(&to_nvg_device(drm)->clients_lock);
	file->driver_priv = client;
	return 0;
}

static void nvg_client_free(struct drm_device *drm, struct nvg_client *client)
{
	mutex_lock(&to_nvg_device(drm)->clients_lock);
	list_del(&client->node);
	mutex_unlock(&to_nvg_device(drm)->clients_lock);
	/* Channels first: their jobs still run in the address space. */
	nvg_chans_destroy(client);
	nvg_vm_destroy(client->vm);
	kfree(client);
}

void nvg_ctx_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct nvg_client *client = file->driver_priv;

	/* An in-kernel client's file has none (nvg_ctx_detach_internal()). */
	if (client)
		nvg_client_free(drm, client);
}

/**
 * nvg_ctx_detach_internal() - in-kernel DRM clients are no GPU clients
 * @drm: the DRM device, its in-kernel clients (the fbdev console) set up.
 *
 * nvg_ctx_open() gave their files an address space (a page directory in
 * VRAM) and a place in the client list, as it cannot tell them from a
 * process's at open. They only modeset and blit into a dumb buffer: free
 * both, so VRAM, nvgtop and the power hook see only processes' clients.
 */
void nvg_ctx_detach_internal(struct drm_device *drm)
{
	struct drm_file *file;

	mutex_lock(&drm->filelist_mutex);
	list_for_each_entry(file, &drm->filelist_internal, lhead) {
		struct nvg_client *client = file->driver_priv;

		if (!client)
			continue;
		file->driver_priv = NULL;
		nvg_client_free(drm, client);
	}
	mutex_unlock(&drm->filelist_mutex);
}

/* A client's memory by region: VRAM, system. */
struct nvg_fdinfo_mem {
	struct drm_memory_stats region[2];
};

static int nvg_fdinfo_add_obj(int id, void *ptr, void *data)
{
	struct nvg_bo *bo = to_nvg_bo(ptr);
	struct drm_gem_object *obj = &bo->shmem.base;
	struct nvg_fdinfo_mem *m = data;
	bool vram = bo->placement == DRM_NVGHOST_PLACEMENT_VRAM;
	struct drm_memory_stats *st = &m->region[vram ? 0 : 1];

	/* Managed memory has keys of its own (nvg_uvm_show_fdinfo()). */
	if (bo->placement == DRM_NVGHOST_PLACEMENT_MANAGED)
		return 0;

	if (drm_gem_object_is_shared_for_memory_stats(obj))
		st->shared += obj->size;
	else
		st->private += obj->size;
	/* VRAM objects are backed at creation; shmem ones once pinned. */
	if (vram || bo->shmem.pages || bo->shmem.sgt)
		st->resident += obj->size;
	if (!dma_resv_test_signaled(obj->resv, dma_resv_usage_rw(true)))
		st->active += obj->size;
	return 0;
}

/**
 * nvg_ctx_show_fdinfo() - per-client statistics in DRM's fdinfo format
 * @p: where to print.
 * @file: the client.
 *
 * drm-engine-<class>: GPU time its jobs used, in ns, per engine class;
 * nvghost-jobs-<class>: jobs it submitted (accepted by SUBMIT), per class,
 * a driver-specific key as drm-usage-stats.rst allows; then, per region
 * (vram, system), DRM's standard memory keys printed by
 * drm_print_memory_stats(): drm-total-, drm-shared-, drm-active- and
 * drm-resident-<region> (Documentation/gpu/drm-usage-stats.rst).
 */
void nvg_ctx_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	static const char *const region[2] = { "vram", "system" };
	struct nvg_client *client = file->driver_priv;
	struct nvg_fdinfo_mem m = {};
	int i;

	drm_printf(p, "drm-engine-compute:\t%llu ns\n",
		   (u64)atomic64_read(&client->busy_ns[0]));
	drm_printf(p, "drm-engine-copy:\t%llu ns\n",
		   (u64)atomic64_read(&client->busy_ns[1]));
	drm_printf(p, "nvghost-jobs-compute:\t%llu\n",
		   (u64)atomic64_read(&client->jobs[0]));
	drm_printf(p, "nvghost-jobs-copy:\t%llu\n",
		   (u64)atomic64_read(&client->jobs[1]));
	spin_lock(&file->table_lock);
	idr_for_each(&file->object_idr, nvg_fdinfo_add_obj, &m);
	spin_unlock(&file->table_lock);
	for (i = 0; i < 2; i++)
		drm_print_memory_stats(p, &m.region[i], DRM_GEM_OBJECT_RESIDENT, region[i]);
	nvg_uvm_show_fdinfo(p, file);
}
