// SPDX-License-Identifier: GPL-2.0
/*
 * uapi_layout_static.c - the facts of test_uapi_layout.c as _Static_asserts
 * only. Never linked or run: compiled with
 *
 *   gcc -m32 -fsyntax-only -Iuapi -I/usr/include/libdrm tests/unit/uapi_layout_static.c
 *   gcc -m64 -fsyntax-only -Iuapi -I/usr/include/libdrm tests/unit/uapi_layout_static.c
 *
 * so that a layout which differs between 32-bit and 64-bit user space
 * (a __u64 only 4-aligned on i386, a missing pad) fails the build.
 */
#include <stddef.h>

#include "nvghost_drm.h"

#define member_size(type, member)	sizeof(((type *)0)->member)

#define GP	struct drm_nvghost_get_param

/* struct drm_nvghost_get_param */
_Static_assert(sizeof(GP) == 24, "get_param: size is 24");
_Static_assert(sizeof(GP) % 8 == 0, "get_param: size is a multiple of 8");
_Static_assert(offsetof(GP, param) == 0, "get_param: param at 0");
_Static_assert(offsetof(GP, flags) == 4, "get_param: flags at 4");
_Static_assert(offsetof(GP, value) == 8, "get_param: value at 8");
_Static_assert(offsetof(GP, index) == 16, "get_param: index at 16");
_Static_assert(offsetof(GP, pad) == 20, "get_param: pad at 20");
_Static_assert(member_size(GP, param) == 4, "get_param: param is 4 bytes");
_Static_assert(member_size(GP, flags) == 4, "get_param: flags is 4 bytes");
_Static_assert(member_size(GP, value) == 8, "get_param: value is 8 bytes");
_Static_assert(member_size(GP, index) == 4, "get_param: index is 4 bytes");
_Static_assert(member_size(GP, pad) == 4, "get_param: pad is 4 bytes");
_Static_assert(offsetof(GP, value) % 8 == 0, "get_param: value 8-aligned");

/* ioctl numbers */
_Static_assert(DRM_NVGHOST_GET_PARAM == 0x00, "GET_PARAM command is 0");
_Static_assert(DRM_IOCTL_NVGHOST_GET_PARAM == DRM_IOWR(0x40, GP),
	       "GET_PARAM is DRM_IOWR(0x40, struct drm_nvghost_get_param)");
_Static_assert(DRM_IOCTL_NVGHOST_GET_PARAM == 0xc0186440u,
	       "GET_PARAM is 0xc0186440");
_Static_assert(_IOC_TYPE(DRM_IOCTL_NVGHOST_GET_PARAM) == 'd', "GET_PARAM type 'd'");
_Static_assert(_IOC_NR(DRM_IOCTL_NVGHOST_GET_PARAM) == 0x40, "GET_PARAM nr 0x40");
_Static_assert(_IOC_DIR(DRM_IOCTL_NVGHOST_GET_PARAM) == (_IOC_READ | _IOC_WRITE),
	       "GET_PARAM is read/write");
_Static_assert(_IOC_SIZE(DRM_IOCTL_NVGHOST_GET_PARAM) == sizeof(GP),
	       "GET_PARAM size is the struct's");

/* parameter ids */
_Static_assert(DRM_NVGHOST_PARAM_CHIP_ID == 0, "CHIP_ID is 0");
_Static_assert(DRM_NVGHOST_PARAM_ARCH == 1, "ARCH is 1");
_Static_assert(DRM_NVGHOST_PARAM_IMPL == 2, "IMPL is 2");
_Static_assert(DRM_NVGHOST_PARAM_VRAM_SIZE == 3, "VRAM_SIZE is 3");
_Static_assert(DRM_NVGHOST_PARAM_ENGINE_COUNT == 4, "ENGINE_COUNT is 4");
_Static_assert(DRM_NVGHOST_PARAM_PTIMER_NS == 5, "PTIMER_NS is 5");
_Static_assert(DRM_NVGHOST_PARAM_ENGINE_CLASS == 6, "ENGINE_CLASS is 6");

/* struct drm_nvghost_frame_wait */
#define FW	struct drm_nvghost_frame_wait
_Static_assert(sizeof(FW) == 24, "frame_wait: size is 24");
_Static_assert(offsetof(FW, crtc_id) == 0, "frame_wait: crtc_id at 0");
_Static_assert(offsetof(FW, flags) == 4, "frame_wait: flags at 4");
_Static_assert(offsetof(FW, advised_ns) == 8, "frame_wait: advised_ns at 8");
_Static_assert(offsetof(FW, slept_ns) == 16, "frame_wait: slept_ns at 16");
