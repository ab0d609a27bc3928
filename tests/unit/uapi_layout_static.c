// SPDX-License-Identifier: GPL-2.0
/*
 * uapi_layout_static.c - the ABI of uapi/nvghost_drm.h, pinned: every
 * struct's size, every member's offset and size (and that they cover the
 * struct with no implicit padding), every ioctl number, and the values of
 * the enums, flags and limits user space passes. A change that breaks one
 * of these breaks every binary built against the old header.
 *
 * Only _Static_asserts: the facts are compile-time constants, so checking
 * them at run time could never fail. scripts/run-tests.sh compiles this
 * file with
 *
 *   gcc -m32 -fsyntax-only -Iuapi -I/usr/include/libdrm tests/unit/uapi_layout_static.c
 *   gcc -m64 -fsyntax-only -Iuapi -I/usr/include/libdrm tests/unit/uapi_layout_static.c
 *
 * so a layout that differs between 32-bit and 64-bit user space (a __u64
 * only 4-aligned on i386, a missing pad) fails there, with the assertion's
 * message saying which fact broke. The expected numbers are written out,
 * not derived from the header.
 */
#include <stddef.h>

#include "nvghost_drm.h"

#define member_size(type, member)	sizeof(((type *)0)->member)

/* struct drm_nvghost_get_param */
#define GP	struct drm_nvghost_get_param
_Static_assert(sizeof(GP) == 24, "get_param: size is 24");
_Static_assert(sizeof(GP) % 8 == 0, "get_param: size is a multiple of 8");
_Static_assert(offsetof(GP, param) == 0, "get_param: param at 0");
_Static_assert(member_size(GP, param) == 4, "get_param: param is 4 bytes");
_Static_assert(offsetof(GP, flags) == 4, "get_param: flags at 4");
_Static_assert(member_size(GP, flags) == 4, "get_param: flags is 4 bytes");
_Static_assert(offsetof(GP, value) == 8, "get_param: value at 8");
_Static_assert(member_size(GP, value) == 8, "get_param: value is 8 bytes");
_Static_assert(offsetof(GP, index) == 16, "get_param: index at 16");
_Static_assert(member_size(GP, index) == 4, "get_param: index is 4 bytes");
_Static_assert(offsetof(GP, pad) == 20, "get_param: pad at 20");
_Static_assert(member_size(GP, pad) == 4, "get_param: pad is 4 bytes");
/* the members above cover every byte: no hidden padding */
_Static_assert(member_size(GP, param) + member_size(GP, flags) + member_size(GP, value) + member_size(GP, index) + member_size(GP, pad) == sizeof(GP),
	       "get_param: no implicit padding");

/* struct drm_nvghost_gem_create */
#define GC	struct drm_nvghost_gem_create
_Static_assert(sizeof(GC) == 24, "gem_create: size is 24");
_Static_assert(sizeof(GC) % 8 == 0, "gem_create: size is a multiple of 8");
_Static_assert(offsetof(GC, size) == 0, "gem_create: size at 0");
_Static_assert(member_size(GC, size) == 8, "gem_create: size is 8 bytes");
_Static_assert(offsetof(GC, placement) == 8, "gem_create: placement at 8");
_Static_assert(member_size(GC, placement) == 4, "gem_create: placement is 4 bytes");
_Static_assert(offsetof(GC, flags) == 12, "gem_create: flags at 12");
_Static_assert(member_size(GC, flags) == 4, "gem_create: flags is 4 bytes");
_Static_assert(offsetof(GC, handle) == 16, "gem_create: handle at 16");
_Static_assert(member_size(GC, handle) == 4, "gem_create: handle is 4 bytes");
_Static_assert(offsetof(GC, pad) == 20, "gem_create: pad at 20");
_Static_assert(member_size(GC, pad) == 4, "gem_create: pad is 4 bytes");
/* the members above cover every byte: no hidden padding */
_Static_assert(member_size(GC, size) + member_size(GC, placement) + member_size(GC, flags) + member_size(GC, handle) + member_size(GC, pad) == sizeof(GC),
	       "gem_create: no implicit padding");

/* struct drm_nvghost_gem_info */
#define GI	struct drm_nvghost_gem_info
_Static_assert(sizeof(GI) == 32, "gem_info: size is 32");
_Static_assert(sizeof(GI) % 8 == 0, "gem_info: size is a multiple of 8");
_Static_assert(offsetof(GI, handle) == 0, "gem_info: handle at 0");
_Static_assert(member_size(GI, handle) == 4, "gem_info: handle is 4 bytes");
_Static_assert(offsetof(GI, flags) == 4, "gem_info: flags at 4");
_Static_assert(member_size(GI, flags) == 4, "gem_info: flags is 4 bytes");
_Static_assert(offsetof(GI, size) == 8, "gem_info: size at 8");
_Static_assert(member_size(GI, size) == 8, "gem_info: size is 8 bytes");
_Static_assert(offsetof(GI, mmap_offset) == 16, "gem_info: mmap_offset at 16");
_Static_assert(member_size(GI, mmap_offset) == 8, "gem_info: mmap_offset is 8 bytes");
_Static_assert(offsetof(GI, placement) == 24, "gem_info: placement at 24");
_Static_assert(member_size(GI, placement) == 4, "gem_info: placement is 4 bytes");
_Static_assert(offsetof(GI, pad) == 28, "gem_info: pad at 28");
_Static_assert(member_size(GI, pad) == 4, "gem_info: pad is 4 bytes");
/* the members above cover every byte: no hidden padding */
_Static_assert(member_size(GI, handle) + member_size(GI, flags) + member_size(GI, size) + member_size(GI, mmap_offset) + member_size(GI, placement) + member_size(GI, pad) == sizeof(GI),
	       "gem_info: no implicit padding");

/* struct drm_nvghost_vm_bind */
#define VB	struct drm_nvghost_vm_bind
_Static_assert(sizeof(VB) == 40, "vm_bind: size is 40");
_Static_assert(sizeof(VB) % 8 == 0, "vm_bind: size is a multiple of 8");
_Static_assert(offsetof(VB, op) == 0, "vm_bind: op at 0");
_Static_assert(member_size(VB, op) == 4, "vm_bind: op is 4 bytes");
_Static_assert(offsetof(VB, flags) == 4, "vm_bind: flags at 4");
_Static_assert(member_size(VB, flags) == 4, "vm_bind: flags is 4 bytes");
_Static_assert(offsetof(VB, handle) == 8, "vm_bind: handle at 8");
_Static_assert(member_size(VB, handle) == 4, "vm_bind: handle is 4 bytes");
_Static_assert(offsetof(VB, pad) == 12, "vm_bind: pad at 12");
_Static_assert(member_size(VB, pad) == 4, "vm_bind: pad is 4 bytes");
_Static_assert(offsetof(VB, va) == 16, "vm_bind: va at 16");
_Static_assert(member_size(VB, va) == 8, "vm_bind: va is 8 bytes");
_Static_assert(offsetof(VB, bo_offset) == 24, "vm_bind: bo_offset at 24");
_Static_assert(member_size(VB, bo_offset) == 8, "vm_bind: bo_offset is 8 bytes");
_Static_assert(offsetof(VB, range) == 32, "vm_bind: range at 32");
_Static_assert(member_size(VB, range) == 8, "vm_bind: range is 8 bytes");
/* the members above cover every byte: no hidden padding */
_Static_assert(member_size(VB, op) + member_size(VB, flags) + member_size(VB, handle) + member_size(VB, pad) + member_size(VB, va) + member_size(VB, bo_offset) + member_size(VB, range) == sizeof(VB),
	       "vm_bind: no implicit padding");

/* struct drm_nvghost_ctx_create */
#define CC	struct drm_nvghost_ctx_create
_Static_assert(sizeof(CC) == 16, "ctx_create: size is 16");
_Static_assert(sizeof(CC) % 8 == 0, "ctx_create: size is a multiple of 8");
_Static_assert(offsetof(CC, engine_class) == 0, "ctx_create: engine_class at 0");
_Static_assert(member_size(CC, engine_class) == 4, "ctx_create: engine_class is 4 bytes");
_Static_assert(offsetof(CC, priority) == 4, "ctx_create: priority at 4");
_Static_assert(member_size(CC, priority) == 4, "ctx_create: priority is 4 bytes");
_Static_assert(offsetof(CC, flags) == 8, "ctx_create: flags at 8");
_Static_assert(member_size(CC, flags) == 4, "ctx_create: flags is 4 bytes");
_Static_assert(offsetof(CC, ctx_id) == 12, "ctx_create: ctx_id at 12");
_Static_assert(member_size(CC, ctx_id) == 4, "ctx_create: ctx_id is 4 bytes");
/* the members above cover every byte: no hidden padding */
_Static_assert(member_size(CC, engine_class) + member_size(CC, priority) + member_size(CC, flags) + member_size(CC, ctx_id) == sizeof(CC),
	       "ctx_create: no implicit padding");

/* struct drm_nvghost_ctx_destroy */
#define CD	struct drm_nvghost_ctx_destroy
_Static_assert(sizeof(CD) == 8, "ctx_destroy: size is 8");
_Static_assert(sizeof(CD) % 8 == 0, "ctx_destroy: size is a multiple of 8");
_Static_assert(offsetof(CD, ctx_id) == 0, "ctx_destroy: ctx_id at 0");
_Static_assert(member_size(CD, ctx_id) == 4, "ctx_destroy: ctx_id is 4 bytes");
_Static_assert(offsetof(CD, pad) == 4, "ctx_destroy: pad at 4");
_Static_assert(member_size(CD, pad) == 4, "ctx_destroy: pad is 4 bytes");
/* the members above cover every byte: no hidden padding */
_Static_assert(member_size(CD, ctx_id) + member_size(CD, pad) == sizeof(CD),
	       "ctx_destroy: no implicit padding");

/* struct drm_nvghost_sync */
#define SY	struct drm_nvghost_sync
_Static_assert(sizeof(SY) == 16, "sync: size is 16");
_Static_assert(sizeof(SY) % 8 == 0, "sync: size is a multiple of 8");
_Static_assert(offsetof(SY, handle) == 0, "sync: handle at 0");
_Static_assert(member_size(SY, handle) == 4, "sync: handle is 4 bytes");
_Static_assert(offsetof(SY, flags) == 4, "sync: flags at 4");
_Static_assert(member_size(SY, flags) == 4, "sync: flags is 4 bytes");
_Static_assert(offsetof(SY, point) == 8, "sync: point at 8");
_Static_assert(member_size(SY, point) == 8, "sync: point is 8 bytes");
/* the members above cover every byte: no hidden padding */
_Static_assert(member_size(SY, handle) + member_size(SY, flags) + member_size(SY, point) == sizeof(SY),
	       "sync: no implicit padding");

/* struct drm_nvghost_submit */
#define SU	struct drm_nvghost_submit
_Static_assert(sizeof(SU) == 48, "submit: size is 48");
_Static_assert(sizeof(SU) % 8 == 0, "submit: size is a multiple of 8");
_Static_assert(offsetof(SU, ctx_id) == 0, "submit: ctx_id at 0");
_Static_assert(member_size(SU, ctx_id) == 4, "submit: ctx_id is 4 bytes");
_Static_assert(offsetof(SU, flags) == 4, "submit: flags at 4");
_Static_assert(member_size(SU, flags) == 4, "submit: flags is 4 bytes");
_Static_assert(offsetof(SU, gpfifo) == 8, "submit: gpfifo at 8");
_Static_assert(member_size(SU, gpfifo) == 8, "submit: gpfifo is 8 bytes");
_Static_assert(offsetof(SU, gpfifo_count) == 16, "submit: gpfifo_count at 16");
_Static_assert(member_size(SU, gpfifo_count) == 4, "submit: gpfifo_count is 4 bytes");
_Static_assert(offsetof(SU, in_sync_count) == 20, "submit: in_sync_count at 20");
_Static_assert(member_size(SU, in_sync_count) == 4, "submit: in_sync_count is 4 bytes");
_Static_assert(offsetof(SU, in_syncs) == 24, "submit: in_syncs at 24");
_Static_assert(member_size(SU, in_syncs) == 8, "submit: in_syncs is 8 bytes");
_Static_assert(offsetof(SU, out_sync_count) == 32, "submit: out_sync_count at 32");
_Static_assert(member_size(SU, out_sync_count) == 4, "submit: out_sync_count is 4 bytes");
_Static_assert(offsetof(SU, fence_fd) == 36, "submit: fence_fd at 36");
_Static_assert(member_size(SU, fence_fd) == 4, "submit: fence_fd is 4 bytes");
_Static_assert(offsetof(SU, out_syncs) == 40, "submit: out_syncs at 40");
_Static_assert(member_size(SU, out_syncs) == 8, "submit: out_syncs is 8 bytes");
/* the members above cover every byte: no hidden padding */
_Static_assert(member_size(SU, ctx_id) + member_size(SU, flags) + member_size(SU, gpfifo) + member_size(SU, gpfifo_count) + member_size(SU, in_sync_count) + member_size(SU, in_syncs) + member_size(SU, out_sync_count) + member_size(SU, fence_fd) + member_size(SU, out_syncs) == sizeof(SU),
	       "submit: no implicit padding");

/* struct drm_nvghost_frame_wait */
#define FW	struct drm_nvghost_frame_wait
_Static_assert(sizeof(FW) == 24, "frame_wait: size is 24");
_Static_assert(sizeof(FW) % 8 == 0, "frame_wait: size is a multiple of 8");
_Static_assert(offsetof(FW, crtc_id) == 0, "frame_wait: crtc_id at 0");
_Static_assert(member_size(FW, crtc_id) == 4, "frame_wait: crtc_id is 4 bytes");
_Static_assert(offsetof(FW, flags) == 4, "frame_wait: flags at 4");
_Static_assert(member_size(FW, flags) == 4, "frame_wait: flags is 4 bytes");
_Static_assert(offsetof(FW, advised_ns) == 8, "frame_wait: advised_ns at 8");
_Static_assert(member_size(FW, advised_ns) == 8, "frame_wait: advised_ns is 8 bytes");
_Static_assert(offsetof(FW, slept_ns) == 16, "frame_wait: slept_ns at 16");
_Static_assert(member_size(FW, slept_ns) == 8, "frame_wait: slept_ns is 8 bytes");
/* the members above cover every byte: no hidden padding */
_Static_assert(member_size(FW, crtc_id) + member_size(FW, flags) + member_size(FW, advised_ns) + member_size(FW, slept_ns) == sizeof(FW),
	       "frame_wait: no implicit padding");

/* struct drm_nvghost_clock */
#define CL	struct drm_nvghost_clock
_Static_assert(sizeof(CL) == 40, "clock: size is 40");
_Static_assert(sizeof(CL) % 8 == 0, "clock: size is a multiple of 8");
_Static_assert(offsetof(CL, op) == 0, "clock: op at 0");
_Static_assert(member_size(CL, op) == 4, "clock: op is 4 bytes");
_Static_assert(offsetof(CL, flags) == 4, "clock: flags at 4");
_Static_assert(member_size(CL, flags) == 4, "clock: flags is 4 bytes");
_Static_assert(offsetof(CL, until_ns) == 8, "clock: until_ns at 8");
_Static_assert(member_size(CL, until_ns) == 8, "clock: until_ns is 8 bytes");
_Static_assert(offsetof(CL, now_ns) == 16, "clock: now_ns at 16");
_Static_assert(member_size(CL, now_ns) == 8, "clock: now_ns is 8 bytes");
_Static_assert(offsetof(CL, next_ns) == 24, "clock: next_ns at 24");
_Static_assert(member_size(CL, next_ns) == 8, "clock: next_ns is 8 bytes");
_Static_assert(offsetof(CL, mode) == 32, "clock: mode at 32");
_Static_assert(member_size(CL, mode) == 4, "clock: mode is 4 bytes");
_Static_assert(offsetof(CL, events) == 36, "clock: events at 36");
_Static_assert(member_size(CL, events) == 4, "clock: events is 4 bytes");
/* the members above cover every byte: no hidden padding */
_Static_assert(member_size(CL, op) + member_size(CL, flags) + member_size(CL, until_ns) + member_size(CL, now_ns) + member_size(CL, next_ns) + member_size(CL, mode) + member_size(CL, events) == sizeof(CL),
	       "clock: no implicit padding");

/* ioctl numbers, as strace shows them: _IOWR('d', 0x40 + command, size) */
_Static_assert(DRM_NVGHOST_GET_PARAM == 0x00, "GET_PARAM command is 0x00");
_Static_assert(DRM_IOCTL_NVGHOST_GET_PARAM == 0xc0186440u,
	       "GET_PARAM is DRM_IOWR(0x40, struct drm_nvghost_get_param): 0xc0186440");
_Static_assert(DRM_NVGHOST_GEM_CREATE == 0x01, "GEM_CREATE command is 0x01");
_Static_assert(DRM_IOCTL_NVGHOST_GEM_CREATE == 0xc0186441u,
	       "GEM_CREATE is DRM_IOWR(0x41, struct drm_nvghost_gem_create): 0xc0186441");
_Static_assert(DRM_NVGHOST_GEM_INFO == 0x02, "GEM_INFO command is 0x02");
_Static_assert(DRM_IOCTL_NVGHOST_GEM_INFO == 0xc0206442u,
	       "GEM_INFO is DRM_IOWR(0x42, struct drm_nvghost_gem_info): 0xc0206442");
_Static_assert(DRM_NVGHOST_VM_BIND == 0x03, "VM_BIND command is 0x03");
_Static_assert(DRM_IOCTL_NVGHOST_VM_BIND == 0xc0286443u,
	       "VM_BIND is DRM_IOWR(0x43, struct drm_nvghost_vm_bind): 0xc0286443");
_Static_assert(DRM_NVGHOST_CTX_CREATE == 0x04, "CTX_CREATE command is 0x04");
_Static_assert(DRM_IOCTL_NVGHOST_CTX_CREATE == 0xc0106444u,
	       "CTX_CREATE is DRM_IOWR(0x44, struct drm_nvghost_ctx_create): 0xc0106444");
_Static_assert(DRM_NVGHOST_CTX_DESTROY == 0x05, "CTX_DESTROY command is 0x05");
_Static_assert(DRM_IOCTL_NVGHOST_CTX_DESTROY == 0x40086445u,
	       "CTX_DESTROY is DRM_IOW(0x45, struct drm_nvghost_ctx_destroy): 0x40086445");
_Static_assert(DRM_NVGHOST_SUBMIT == 0x06, "SUBMIT command is 0x06");
_Static_assert(DRM_IOCTL_NVGHOST_SUBMIT == 0xc0306446u,
	       "SUBMIT is DRM_IOWR(0x46, struct drm_nvghost_submit): 0xc0306446");
_Static_assert(DRM_NVGHOST_FRAME_WAIT == 0x07, "FRAME_WAIT command is 0x07");
_Static_assert(DRM_IOCTL_NVGHOST_FRAME_WAIT == 0xc0186447u,
	       "FRAME_WAIT is DRM_IOWR(0x47, struct drm_nvghost_frame_wait): 0xc0186447");
_Static_assert(DRM_NVGHOST_CLOCK == 0x08, "CLOCK command is 0x08");
_Static_assert(DRM_IOCTL_NVGHOST_CLOCK == 0xc0286448u,
	       "CLOCK is DRM_IOWR(0x48, struct drm_nvghost_clock): 0xc0286448");
_Static_assert(DRM_NVGHOST_CLOCK_GET == 0 && DRM_NVGHOST_CLOCK_ADVANCE == 1, "clock ops 0, 1");
_Static_assert(DRM_NVGHOST_CLOCK_THERMAL_RESET == 2, "clock op 2 (additive)");
_Static_assert(DRM_NVGHOST_CLOCK_STOP_ON_SIGNAL == 1 && DRM_NVGHOST_CLOCK_MODE_VIRTUAL == 1, "clock flag, mode");

/* parameter ids */
_Static_assert(DRM_NVGHOST_PARAM_CHIP_ID == 0, "CHIP_ID is 0");
_Static_assert(DRM_NVGHOST_PARAM_ARCH == 1, "ARCH is 1");
_Static_assert(DRM_NVGHOST_PARAM_IMPL == 2, "IMPL is 2");
_Static_assert(DRM_NVGHOST_PARAM_VRAM_SIZE == 3, "VRAM_SIZE is 3");
_Static_assert(DRM_NVGHOST_PARAM_ENGINE_COUNT == 4, "ENGINE_COUNT is 4");
_Static_assert(DRM_NVGHOST_PARAM_PTIMER_NS == 5, "PTIMER_NS is 5");
_Static_assert(DRM_NVGHOST_PARAM_ENGINE_CLASS == 6, "ENGINE_CLASS is 6");

/* placements, VM_BIND ops and flags, engine classes, priorities */
_Static_assert(DRM_NVGHOST_PLACEMENT_VRAM == 0, "PLACEMENT_VRAM is 0");
_Static_assert(DRM_NVGHOST_PLACEMENT_SYSTEM == 1, "PLACEMENT_SYSTEM is 1");
_Static_assert(DRM_NVGHOST_VM_BIND_MAP == 0, "VM_BIND_MAP is 0");
_Static_assert(DRM_NVGHOST_VM_BIND_UNMAP == 1, "VM_BIND_UNMAP is 1");
_Static_assert(DRM_NVGHOST_VM_BIND_READ_ONLY == 0x1, "VM_BIND_READ_ONLY is bit 0");
_Static_assert(DRM_NVGHOST_VM_BIND_FLAGS == 0x1, "VM_BIND_FLAGS is READ_ONLY only");
_Static_assert(DRM_NVGHOST_ENGINE_COMPUTE == 0, "ENGINE_COMPUTE is 0");
_Static_assert(DRM_NVGHOST_ENGINE_COPY == 1, "ENGINE_COPY is 1");
_Static_assert(DRM_NVGHOST_PRIORITY_LOW == 0, "PRIORITY_LOW is 0");
_Static_assert(DRM_NVGHOST_PRIORITY_NORMAL == 1, "PRIORITY_NORMAL is 1");
_Static_assert(DRM_NVGHOST_PRIORITY_HIGH == 2, "PRIORITY_HIGH is 2");

/* submission and frame-wait flags */
_Static_assert(DRM_NVGHOST_SUBMIT_IN_SYNC_FILE == 0x1, "SUBMIT_IN_SYNC_FILE is bit 0");
_Static_assert(DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE == 0x2, "SUBMIT_OUT_SYNC_FILE is bit 1");
_Static_assert(DRM_NVGHOST_SUBMIT_FLAGS == 0x3, "SUBMIT_FLAGS is IN | OUT");
_Static_assert(DRM_NVGHOST_FRAME_WAIT_NO_SLEEP == 0x1, "FRAME_WAIT_NO_SLEEP is bit 0");
_Static_assert(DRM_NVGHOST_FRAME_WAIT_FLAGS == 0x1, "FRAME_WAIT_FLAGS is NO_SLEEP only");

/* limits and the user VA range */
_Static_assert(DRM_NVGHOST_GEM_MAX_SIZE == 0x10000000000ull, "GEM_MAX_SIZE is 1 TiB");
_Static_assert(DRM_NVGHOST_VA_START == 0x100000ull, "VA_START is 1 MiB");
_Static_assert(DRM_NVGHOST_VA_END == 0xff00000000ull, "VA_END is 0xff00000000");
_Static_assert(DRM_NVGHOST_MAX_GPFIFO_ENTRIES == 256, "MAX_GPFIFO_ENTRIES is 256");
_Static_assert(DRM_NVGHOST_MAX_SYNCS == 64, "MAX_SYNCS is 64");
_Static_assert(DRM_NVGHOST_MAX_PUSH_DWORDS == 1048576, "MAX_PUSH_DWORDS is 2^20");
