/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_vm.h - per-client GPU virtual address spaces.
 */
#ifndef _NVGHOST_VM_H_
#define _NVGHOST_VM_H_

#include <linux/mutex.h>
#include <drm/drm_gpuvm.h>

struct nvg_device;
struct nvg_pt;
struct nvg_vm_use;

/**
 * struct nvg_vm_ranges - GPU virtual address ranges a job reaches, being
 * collected while its pushbuffer is validated
 * @r: the ranges, as [start, end) pairs.
 * @nr: how many.
 * @max: room at @r.
 */
struct nvg_vm_ranges {
	struct nvg_va_range {
		u64 start;
		u64 end;
	} *r;
	u32 nr;
	u32 max;
};

/**
 * struct nvg_vm - one GPU address space (one per DRM file)
 * @base: the kernel's GPU VA manager: which ranges map what.
 * @ndev: the device.
 * @lock: serialises binds and page table changes.
 * @uvm_lock: held (inside @lock) while mappings and page tables change,
 *	and by managed memory's fault handling, which must not take @lock:
 *	a submit holds @lock while it reads user memory (mmap_lock), and a
 *	CPU fault on managed memory holds mmap_lock (nvghost_uvm.c).
 * @root: the page directory (PD0) the GPU's MMU starts from.
 * @pt_bytes: VRAM used by this VM's page tables.
 * @gone: the device was unplugged when the VM went: its page tables are
 *	freed without being written (under @lock).
 * @uses: &struct nvg_vm_use of jobs that may not have finished, oldest
 *	first (@lock): what each reaches, so that an unmap waits only for
 *	the jobs that use its range.
 * @nr_uses: entries in @uses.
 * @nr_uses_swept: entries left by the last full sweep of signalled ones.
 */
struct nvg_vm {
	struct drm_gpuvm base;
	struct nvg_device *ndev;
	struct mutex lock; /* binds and page tables */
	struct mutex uvm_lock; /* mapping changes vs managed memory */
	struct nvg_pt *root;
	u64 pt_bytes;
	bool gone;
	struct list_head uses;
	u32 nr_uses;
	u32 nr_uses_swept;
};

struct nvg_vm *nvg_vm_create(struct nvg_device *ndev);
void nvg_vm_destroy(struct nvg_vm *vm);
u64 nvg_vm_pdb(struct nvg_vm *vm);
bool nvg_vm_check_range(struct nvg_vm *vm, u64 va, u64 size, bool write);
int nvg_vm_read(struct nvg_vm *vm, u64 va, void *dst, u64 len);
int nvg_vm_ranges_add(struct nvg_vm_ranges *rs, u64 va, u64 size);
void nvg_vm_ranges_fini(struct nvg_vm_ranges *rs);
int nvg_vm_reserve_job(struct nvg_vm *vm, struct nvg_vm_ranges *rs,
		       struct nvg_vm_use **use);
void nvg_vm_add_job(struct nvg_vm *vm, struct dma_fence *fence,
		    struct nvg_vm_use *use);
void nvg_vm_use_free(struct nvg_vm_use *use);
int nvg_ioctl_vm_bind(struct drm_device *drm, void *data,
		      struct drm_file *file);

#endif /* _NVGHOST_VM_H_ */
