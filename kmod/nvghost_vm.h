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

/**
 * struct nvg_vm - one GPU address space (one per DRM file)
 * @base: the kernel's GPU VA manager: which ranges map what.
 * @ndev: the device.
 * @lock: serialises binds and page table changes.
 * @root: the page directory (PD0) the GPU's MMU starts from.
 * @pt_bytes: VRAM used by this VM's page tables.
 * @gone: the device was unplugged when the VM went: its page tables are
 *	freed without being written (under @lock).
 */
struct nvg_vm {
	struct drm_gpuvm base;
	struct nvg_device *ndev;
	struct mutex lock; /* binds and page tables */
	struct nvg_pt *root;
	u64 pt_bytes;
	bool gone;
};

struct nvg_vm *nvg_vm_create(struct nvg_device *ndev);
void nvg_vm_destroy(struct nvg_vm *vm);
u64 nvg_vm_pdb(struct nvg_vm *vm);
bool nvg_vm_check_range(struct nvg_vm *vm, u64 va, u64 size, bool write);
int nvg_vm_read(struct nvg_vm *vm, u64 va, void *dst, u64 len);
int nvg_vm_reserve_job(struct nvg_vm *vm);
void nvg_vm_add_job(struct nvg_vm *vm, struct dma_fence *fence);
int nvg_ioctl_vm_bind(struct drm_device *drm, void *data,
		      struct drm_file *file);

#endif /* _NVGHOST_VM_H_ */
