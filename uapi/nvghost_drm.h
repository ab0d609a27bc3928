/* SPDX-License-Identifier: MIT */
/*
 * nvghost_drm.h - user-space interface of the nvghost DRM driver.
 *
 * Conventions (Documentation/process/botching-up-ioctls.rst): only fixed-size
 * types, explicit padding that the kernel checks to be zero, every struct a
 * multiple of 8 bytes, pointers passed as __u64, unknown flags and parameters
 * rejected with -EINVAL. Features are discovered through GET_PARAM, not
 * through version numbers.
 */
#ifndef _NVGHOST_DRM_H_
#define _NVGHOST_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define DRM_NVGHOST_GET_PARAM		0x00
#define DRM_NVGHOST_GEM_CREATE		0x01
#define DRM_NVGHOST_GEM_INFO		0x02
#define DRM_NVGHOST_VM_BIND		0x03
#define DRM_NVGHOST_CTX_CREATE		0x04
#define DRM_NVGHOST_CTX_DESTROY		0x05
#define DRM_NVGHOST_SUBMIT		0x06
#define DRM_NVGHOST_FRAME_WAIT		0x07
#define DRM_NVGHOST_CLOCK		0x08

#define DRM_IOCTL_NVGHOST_GET_PARAM	DRM_IOWR(DRM_COMMAND_BASE + DRM_NVGHOST_GET_PARAM, \
						 struct drm_nvghost_get_param)
#define DRM_IOCTL_NVGHOST_GEM_CREATE	DRM_IOWR(DRM_COMMAND_BASE + DRM_NVGHOST_GEM_CREATE, \
						 struct drm_nvghost_gem_create)
#define DRM_IOCTL_NVGHOST_GEM_INFO	DRM_IOWR(DRM_COMMAND_BASE + DRM_NVGHOST_GEM_INFO, \
						 struct drm_nvghost_gem_info)
#define DRM_IOCTL_NVGHOST_VM_BIND	DRM_IOWR(DRM_COMMAND_BASE + DRM_NVGHOST_VM_BIND, \
						 struct drm_nvghost_vm_bind)
#define DRM_IOCTL_NVGHOST_CTX_CREATE	DRM_IOWR(DRM_COMMAND_BASE + DRM_NVGHOST_CTX_CREATE, \
						 struct drm_nvghost_ctx_create)
#define DRM_IOCTL_NVGHOST_CTX_DESTROY	DRM_IOW(DRM_COMMAND_BASE + DRM_NVGHOST_CTX_DESTROY, \
						struct drm_nvghost_ctx_destroy)
#define DRM_IOCTL_NVGHOST_FRAME_WAIT	DRM_IOWR(DRM_COMMAND_BASE + DRM_NVGHOST_FRAME_WAIT, \
					 struct drm_nvghost_frame_wait)
#define DRM_IOCTL_NVGHOST_SUBMIT	DRM_IOWR(DRM_COMMAND_BASE + DRM_NVGHOST_SUBMIT, \
						 struct drm_nvghost_submit)
#define DRM_IOCTL_NVGHOST_CLOCK		DRM_IOWR(DRM_COMMAND_BASE + DRM_NVGHOST_CLOCK, \
						 struct drm_nvghost_clock)

/**
 * enum drm_nvghost_param - what DRM_IOCTL_NVGHOST_GET_PARAM can return
 *
 * @DRM_NVGHOST_PARAM_CHIP_ID: the raw PMC_BOOT_0 register (architecture,
 *	implementation and revision fields, NVIDIA's layout).
 * @DRM_NVGHOST_PARAM_ARCH: architecture, PMC_BOOT_0 bits 28:24
 *	(0x16 Turing, 0x17 Ampere, 0x19 Ada).
 * @DRM_NVGHOST_PARAM_IMPL: implementation, PMC_BOOT_0 bits 23:20
 *	(e.g. 2 for TU102/GA102/AD102).
 * @DRM_NVGHOST_PARAM_VRAM_SIZE: video memory in bytes.
 * @DRM_NVGHOST_PARAM_ENGINE_COUNT: number of engines work can run on.
 * @DRM_NVGHOST_PARAM_PTIMER_NS: the GPU's PTIMER, in nanoseconds.
 * @DRM_NVGHOST_PARAM_ENGINE_CLASS: the class id (e.g. 0xc7b5 for
 *	AMPERE_DMA_COPY_B) of engine number @index.
 *
 * Only @DRM_NVGHOST_PARAM_ENGINE_CLASS takes an index; the others require
 * index == 0.
 */
enum drm_nvghost_param {
	DRM_NVGHOST_PARAM_CHIP_ID = 0,
	DRM_NVGHOST_PARAM_ARCH = 1,
	DRM_NVGHOST_PARAM_IMPL = 2,
	DRM_NVGHOST_PARAM_VRAM_SIZE = 3,
	DRM_NVGHOST_PARAM_ENGINE_COUNT = 4,
	DRM_NVGHOST_PARAM_PTIMER_NS = 5,
	DRM_NVGHOST_PARAM_ENGINE_CLASS = 6,
};

/**
 * struct drm_nvghost_get_param - query a device parameter
 * @param: in, one of &enum drm_nvghost_param.
 * @flags: in, must be zero (no flags are defined yet).
 * @value: out, the parameter's value.
 * @index: in, the engine number for indexed parameters, otherwise zero.
 * @pad: must be zero.
 */
struct drm_nvghost_get_param {
	__u32 param;
	__u32 flags;
	__u64 value;
	__u32 index;
	__u32 pad;
};

/**
 * enum drm_nvghost_placement - where a buffer object lives
 * @DRM_NVGHOST_PLACEMENT_VRAM: the GPU's own memory. Allocation fails with
 *	-ENOSPC when it is full.
 * @DRM_NVGHOST_PLACEMENT_SYSTEM: system memory the GPU reaches by DMA.
 *	Allocation fails with -ENOMEM when memory is short.
 * @DRM_NVGHOST_PLACEMENT_MANAGED: managed (unified) memory: no backing at
 *	creation; each 64 KiB page lives where the GPU or the CPU last
 *	touched it. A GPU access to a page not in VRAM raises a replayable
 *	fault that migrates it in (evicting other managed memory when VRAM
 *	is full); a CPU access through mmap migrates it back to system
 *	memory. Reads as zero until written. Cannot be exported (PRIME) or
 *	hold pushbuffers. Mappings must be shared (MAP_SHARED).
 */
enum drm_nvghost_placement {
	DRM_NVGHOST_PLACEMENT_VRAM = 0,
	DRM_NVGHOST_PLACEMENT_SYSTEM = 1,
	DRM_NVGHOST_PLACEMENT_MANAGED = 2,
};

/* Largest buffer object: the simulated GPU's 40-bit address space. */
#define DRM_NVGHOST_GEM_MAX_SIZE	(1ULL << 40)

/**
 * struct drm_nvghost_gem_create - create a buffer object
 * @size: in, bytes; rounded up to the page size; 1 .. DRM_NVGHOST_GEM_MAX_SIZE.
 * @placement: in, an &enum drm_nvghost_placement.
 * @flags: in, must be zero.
 * @handle: out, the GEM handle.
 * @pad: must be zero.
 *
 * Close the handle with DRM_IOCTL_GEM_CLOSE; share it with
 * DRM_IOCTL_PRIME_HANDLE_TO_FD.
 */
struct drm_nvghost_gem_create {
	__u64 size;
	__u32 placement;
	__u32 flags;
	__u32 handle;
	__u32 pad;
};

/**
 * struct drm_nvghost_gem_info - facts about a buffer object
 * @handle: in, the GEM handle.
 * @flags: in, must be zero.
 * @size: out, bytes.
 * @mmap_offset: out, the offset to pass to mmap() on the DRM file to map
 *	the whole object into the CPU's address space.
 * @placement: out, an &enum drm_nvghost_placement.
 * @pad: must be zero.
 */
struct drm_nvghost_gem_info {
	__u32 handle;
	__u32 flags;
	__u64 size;
	__u64 mmap_offset;
	__u32 placement;
	__u32 pad;
};

/* The GPU virtual address range user space may bind (40-bit, 4 KiB pages). */
#define DRM_NVGHOST_VA_START		0x0000000000100000ULL	/* 1 MiB: 0 stays unmapped */
#define DRM_NVGHOST_VA_END		0x000000ff00000000ULL	/* above: the kernel's */

/**
 * enum drm_nvghost_vm_bind_op - what DRM_IOCTL_NVGHOST_VM_BIND does
 * @DRM_NVGHOST_VM_BIND_MAP: map [bo_offset, bo_offset + range) of the object
 *	at [va, va + range) in the caller's GPU address space. The range must
 *	be free.
 * @DRM_NVGHOST_VM_BIND_UNMAP: unmap [va, va + range); it must be exactly one
 *	or more whole earlier mappings, or parts of them (they are split),
 *	with no hole: -ENOENT if nothing is mapped there, -EINVAL if only part
 *	of the range is. It first waits for the jobs that reach the range
 *	(only those); a signal ends the wait with -EINTR (or restarts the
 *	call) and nothing is unmapped.
 */
enum drm_nvghost_vm_bind_op {
	DRM_NVGHOST_VM_BIND_MAP = 0,
	DRM_NVGHOST_VM_BIND_UNMAP = 1,
};

/* The GPU may read but not write the mapping. */
#define DRM_NVGHOST_VM_BIND_READ_ONLY	(1 << 0)
#define DRM_NVGHOST_VM_BIND_FLAGS	DRM_NVGHOST_VM_BIND_READ_ONLY

/**
 * struct drm_nvghost_vm_bind - map or unmap buffer ranges on the GPU
 * @op: in, an &enum drm_nvghost_vm_bind_op.
 * @flags: in, DRM_NVGHOST_VM_BIND_* (MAP only; zero for UNMAP).
 * @handle: in, the GEM handle (MAP); zero for UNMAP.
 * @pad: must be zero.
 * @va: in, GPU virtual address, 4 KiB aligned, within
 *	[DRM_NVGHOST_VA_START, DRM_NVGHOST_VA_END).
 * @bo_offset: in, offset in the object, 4 KiB aligned (MAP); zero for UNMAP.
 * @range: in, bytes, 4 KiB aligned, not zero; va + range must stay within
 *	the user range and bo_offset + range within the object.
 *
 * Each DRM file has its own GPU address space. The bind takes effect
 * before the ioctl returns.
 */
struct drm_nvghost_vm_bind {
	__u32 op;
	__u32 flags;
	__u32 handle;
	__u32 pad;
	__u64 va;
	__u64 bo_offset;
	__u64 range;
};

/**
 * enum drm_nvghost_engine_class - what a channel runs on
 * @DRM_NVGHOST_ENGINE_COMPUTE: the compute engine (engine 0); its class is
 *	DRM_NVGHOST_PARAM_ENGINE_CLASS of engine 0.
 * @DRM_NVGHOST_ENGINE_COPY: a copy engine (the driver picks one).
 */
enum drm_nvghost_engine_class {
	DRM_NVGHOST_ENGINE_COMPUTE = 0,
	DRM_NVGHOST_ENGINE_COPY = 1,
};

/*
 * Priority classes, for the scheduling policy to use. HIGH is what policies
 * treat as critical (gaming runs it ahead of everything else): CTX_CREATE
 * gives it only to a caller with CAP_SYS_NICE or to the DRM master, and
 * fails with -EACCES otherwise. LOW and NORMAL are open to every client.
 */
#define DRM_NVGHOST_PRIORITY_LOW	0
#define DRM_NVGHOST_PRIORITY_NORMAL	1
#define DRM_NVGHOST_PRIORITY_HIGH	2

/**
 * struct drm_nvghost_ctx_create - create a channel
 * @engine_class: in, an &enum drm_nvghost_engine_class.
 * @priority: in, DRM_NVGHOST_PRIORITY_*; HIGH needs CAP_SYS_NICE or DRM
 *	master (-EACCES).
 * @flags: in, must be zero.
 * @ctx_id: out, the channel's id, for SUBMIT and CTX_DESTROY.
 *
 * A channel runs the caller's pushbuffers, in order, in the caller's GPU
 * address space, on one engine.
 */
struct drm_nvghost_ctx_create {
	__u32 engine_class;
	__u32 priority;
	__u32 flags;
	__u32 ctx_id;
};

/**
 * struct drm_nvghost_ctx_destroy - destroy a channel
 * @ctx_id: in, as returned by CTX_CREATE. Work already submitted finishes.
 * @pad: must be zero.
 *
 * A SUBMIT on the channel racing with its destruction (from another thread
 * or a process sharing the file) either takes its job in before it (the
 * job finishes, or is cancelled with an error if it cannot within the
 * destruction's wait), or fails with ENOENT; no job is left unrun.
 */
struct drm_nvghost_ctx_destroy {
	__u32 ctx_id;
	__u32 pad;
};

/**
 * struct drm_nvghost_sync - a DRM syncobj to wait on or signal
 * @handle: the syncobj handle.
 * @flags: must be zero.
 * @point: timeline point; 0 for a binary syncobj.
 */
struct drm_nvghost_sync {
	__u32 handle;
	__u32 flags;
	__u64 point;
};

/* Wait for the sync_file in @fence_fd before running. */
#define DRM_NVGHOST_SUBMIT_IN_SYNC_FILE		(1 << 0)
/* Return a sync_file of the job's completion in @fence_fd. */
#define DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE	(1 << 1)
#define DRM_NVGHOST_SUBMIT_FLAGS		(DRM_NVGHOST_SUBMIT_IN_SYNC_FILE | \
						 DRM_NVGHOST_SUBMIT_OUT_SYNC_FILE)

/* Limits of one submission. */
#define DRM_NVGHOST_MAX_GPFIFO_ENTRIES	256
#define DRM_NVGHOST_MAX_SYNCS		64
#define DRM_NVGHOST_MAX_PUSH_DWORDS	(1 << 20)

/**
 * struct drm_nvghost_submit - run pushbuffers on a channel
 * @ctx_id: in, the channel.
 * @flags: in, DRM_NVGHOST_SUBMIT_*.
 * @gpfifo: in, pointer to @gpfifo_count GPFIFO entries (__u64 each, NVIDIA's
 *	format: pushbuffer GPU VA and length in dwords), executed in order.
 * @gpfifo_count: in, 1 .. DRM_NVGHOST_MAX_GPFIFO_ENTRIES.
 * @in_sync_count: in, entries at @in_syncs, 0 .. DRM_NVGHOST_MAX_SYNCS.
 * @in_syncs: in, pointer to &struct drm_nvghost_sync to wait for.
 * @out_sync_count: in, entries at @out_syncs, 0 .. DRM_NVGHOST_MAX_SYNCS.
 * @fence_fd: in, a sync_file to wait for (with IN_SYNC_FILE); out, a
 *	sync_file of completion (with OUT_SYNC_FILE).
 * @out_syncs: in, pointer to &struct drm_nvghost_sync to signal on
 *	completion.
 *
 * Every pushbuffer is read and validated before the GPU sees it (a kernel
 * copy runs, so later changes to the buffers do not matter): -EINVAL if a
 * method header, class, method or address is not acceptable, with the
 * reason in the kernel's debug log. The job's fence completes with an error
 * if the GPU faults or the job hangs.
 */
struct drm_nvghost_submit {
	__u32 ctx_id;
	__u32 flags;
	__u64 gpfifo;
	__u32 gpfifo_count;
	__u32 in_sync_count;
	__u64 in_syncs;
	__u32 out_sync_count;
	__s32 fence_fd;
	__u64 out_syncs;
};

/* Return the advice without sleeping until it. */
#define DRM_NVGHOST_FRAME_WAIT_NO_SLEEP		(1 << 0)
#define DRM_NVGHOST_FRAME_WAIT_FLAGS		DRM_NVGHOST_FRAME_WAIT_NO_SLEEP

/**
 * struct drm_nvghost_frame_wait - mark a frame's start; wait for the best
 *	moment to start it
 * @crtc_id: in, the CRTC the client presents on (card node only: the
 *	client is the one flipping).
 * @flags: in, DRM_NVGHOST_FRAME_WAIT_*.
 * @advised_ns: out, the CLOCK_MONOTONIC time the frame-pacing policy
 *	advised to start rendering at; 0 if it gave no advice (no policy: the
 *	built-in default gives none).
 * @slept_ns: out, how long the call slept until then (0 with NO_SLEEP or
 *	without advice).
 *
 * A game calls this right before it samples input and renders a frame
 * (the Reflex-style "sleep until the best moment"); the time from here to
 * its next flip on @crtc_id is what the pacing policy learns as the
 * frame's render time. The frame is the client's whose DRM file this is:
 * the policy sees the pid of the process that opened the file (as for a
 * flip on it), not the caller's, so a file handed to another process
 * (SCM_RIGHTS) still speaks for its opener. -ENOENT for an unknown CRTC,
 * -EOPNOTSUPP on a device without display heads (num_heads=0), -EINVAL
 * for unknown flags, -EINTR if a signal cut the sleep short.
 */
struct drm_nvghost_frame_wait {
	__u32 crtc_id;
	__u32 flags;
	__u64 advised_ns;
	__u64 slept_ns;
};

/**
 * enum drm_nvghost_clock_op - what DRM_IOCTL_NVGHOST_CLOCK does
 * @DRM_NVGHOST_CLOCK_GET: report the device clock and its mode; any node.
 * @DRM_NVGHOST_CLOCK_ADVANCE: virtual mode only (-EOPNOTSUPP in live mode):
 *	play the device's pending events in time order, each at its own
 *	device time, up to and including @until_ns, letting everything an
 *	event triggers (interrupts, the arbiter and its policy, job
 *	completions, flips, the power governor) settle before the next one;
 *	then set the clock to @until_ns. Needs the card node as DRM master,
 *	or CAP_SYS_ADMIN. A @until_ns at or before the current time plays
 *	nothing and only lets the device settle.
 * @DRM_NVGHOST_CLOCK_THERMAL_RESET: virtual mode only (-EOPNOTSUPP in live
 *	mode): put the GPU's die back at a freshly loaded device's
 *	temperature (the air's, as at power-up), so that the next workload
 *	starts as it would after a module reload (nvgreplay does it before
 *	each replay). The device clock, the energy counter and the p-state
 *	(the governor's) are kept. Only while the GPU is idle: -EBUSY if a job
 *	is queued or running. Same permission as ADVANCE; @flags and
 *	@until_ns must be 0.
 */
enum drm_nvghost_clock_op {
	DRM_NVGHOST_CLOCK_GET = 0,
	DRM_NVGHOST_CLOCK_ADVANCE = 1,
	DRM_NVGHOST_CLOCK_THERMAL_RESET = 2,
};

/* ADVANCE: return right after the first event whose consequences signalled
 * a job's fence or completed a flip; @now_ns is then that event's time. */
#define DRM_NVGHOST_CLOCK_STOP_ON_SIGNAL	(1 << 0)
#define DRM_NVGHOST_CLOCK_FLAGS			DRM_NVGHOST_CLOCK_STOP_ON_SIGNAL

/* The device clock follows CLOCK_MONOTONIC (module parameter clock=live). */
#define DRM_NVGHOST_CLOCK_MODE_LIVE	0
/* The device clock moves only through DRM_NVGHOST_CLOCK_ADVANCE (clock=virtual). */
#define DRM_NVGHOST_CLOCK_MODE_VIRTUAL	1

/**
 * struct drm_nvghost_clock - read or advance the device clock
 * @op: in, &enum drm_nvghost_clock_op.
 * @flags: in, DRM_NVGHOST_CLOCK_* (ADVANCE only; 0 for GET).
 * @until_ns: in, ADVANCE: the device time to advance to; 0 for GET.
 * @now_ns: out, the device clock (PTIMER, ns since the GPU powered up) when
 *	the call returns.
 * @next_ns: out, virtual mode: device time of the next pending event, or
 *	~0 if none is pending; live mode: 0.
 * @mode: out, DRM_NVGHOST_CLOCK_MODE_*.
 * @events: out, ADVANCE: how many events were played.
 *
 * In virtual mode every time the driver reports (PTIMER, fence and vblank
 * timestamps, the pacing advice of FRAME_WAIT) is device time, and a
 * fence's or flip event's timestamp is the device time it happened at.
 * -EINVAL for an unknown op or flag, -EOPNOTSUPP for ADVANCE or
 * THERMAL_RESET in live mode, -EACCES for either without permission,
 * -EBUSY for THERMAL_RESET while the GPU has work, -ENODEV once unplugged.
 */
struct drm_nvghost_clock {
	__u32 op;
	__u32 flags;
	__u64 until_ns;
	__u64 now_ns;
	__u64 next_ns;
	__u32 mode;
	__u32 events;
};

#if defined(__cplusplus)
}
#endif

#endif /* _NVGHOST_DRM_H_ */
