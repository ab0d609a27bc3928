// SPDX-License-Identifier: GPL-2.0
/*
 * test_uapi_layout.c - the ABI of uapi/nvghost_drm.h, pinned: struct sizes,
 * member offsets and sizes, ioctl numbers and parameter ids. A change that
 * breaks one of these breaks every binary built against the old header.
 *
 * uapi_layout_static.c holds the same facts as _Static_asserts, compiled
 * with -m32 and -m64 to prove the layout does not depend on the ABI.
 */
#include <stddef.h>
#include <stdint.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "nvghost_drm.h"

#define member_size(type, member)	sizeof(((type *)0)->member)

/* ---- struct drm_nvghost_get_param ---- */

Test(get_param, size_is_24)
{
	cr_assert(eq(sz, sizeof(struct drm_nvghost_get_param), 24));
}

Test(get_param, size_is_multiple_of_8)
{
	cr_assert(eq(sz, sizeof(struct drm_nvghost_get_param) % 8, 0));
}

Test(get_param, param_at_0)
{
	cr_assert(eq(sz, offsetof(struct drm_nvghost_get_param, param), 0));
}

Test(get_param, flags_at_4)
{
	cr_assert(eq(sz, offsetof(struct drm_nvghost_get_param, flags), 4));
}

Test(get_param, value_at_8)
{
	cr_assert(eq(sz, offsetof(struct drm_nvghost_get_param, value), 8));
}

Test(get_param, index_at_16)
{
	cr_assert(eq(sz, offsetof(struct drm_nvghost_get_param, index), 16));
}

Test(get_param, pad_at_20)
{
	cr_assert(eq(sz, offsetof(struct drm_nvghost_get_param, pad), 20));
}

Test(get_param, param_is_4_bytes)
{
	cr_assert(eq(sz, member_size(struct drm_nvghost_get_param, param), 4));
}

Test(get_param, flags_is_4_bytes)
{
	cr_assert(eq(sz, member_size(struct drm_nvghost_get_param, flags), 4));
}

Test(get_param, value_is_8_bytes)
{
	cr_assert(eq(sz, member_size(struct drm_nvghost_get_param, value), 8));
}

Test(get_param, index_is_4_bytes)
{
	cr_assert(eq(sz, member_size(struct drm_nvghost_get_param, index), 4));
}

Test(get_param, pad_is_4_bytes)
{
	cr_assert(eq(sz, member_size(struct drm_nvghost_get_param, pad), 4));
}

/* value is naturally aligned within the struct, so no ABI pads it differently */
Test(get_param, value_offset_is_8_aligned)
{
	cr_assert(eq(sz, offsetof(struct drm_nvghost_get_param, value) % 8, 0));
}

/* ---- ioctl numbers ---- */

Test(ioctl, get_param_command_is_0)
{
	cr_assert(eq(int, DRM_NVGHOST_GET_PARAM, 0x00));
}

Test(ioctl, get_param_is_iowr_0x40)
{
	cr_assert(eq(u64, (uint64_t)DRM_IOCTL_NVGHOST_GET_PARAM,
		     (uint64_t)DRM_IOWR(0x40, struct drm_nvghost_get_param)));
}

/* the number itself, as strace shows it: _IOWR('d', 0x40, 24) */
Test(ioctl, get_param_number_is_c0186440)
{
	cr_assert(eq(u64, (uint64_t)DRM_IOCTL_NVGHOST_GET_PARAM, 0xc0186440));
}

Test(ioctl, get_param_type_is_d)
{
	cr_assert(eq(u64, (uint64_t)_IOC_TYPE(DRM_IOCTL_NVGHOST_GET_PARAM), 'd'));
}

Test(ioctl, get_param_nr_is_0x40)
{
	cr_assert(eq(u64, (uint64_t)_IOC_NR(DRM_IOCTL_NVGHOST_GET_PARAM), 0x40));
}

Test(ioctl, get_param_dir_is_read_write)
{
	cr_assert(eq(u64, (uint64_t)_IOC_DIR(DRM_IOCTL_NVGHOST_GET_PARAM),
		     (uint64_t)(_IOC_READ | _IOC_WRITE)));
}

Test(ioctl, get_param_size_is_struct_size)
{
	cr_assert(eq(u64, (uint64_t)_IOC_SIZE(DRM_IOCTL_NVGHOST_GET_PARAM),
		     (uint64_t)sizeof(struct drm_nvghost_get_param)));
}

/* ---- parameter ids ---- */

Test(param_ids, chip_id_is_0)
{
	cr_assert(eq(int, DRM_NVGHOST_PARAM_CHIP_ID, 0));
}

Test(param_ids, arch_is_1)
{
	cr_assert(eq(int, DRM_NVGHOST_PARAM_ARCH, 1));
}

Test(param_ids, impl_is_2)
{
	cr_assert(eq(int, DRM_NVGHOST_PARAM_IMPL, 2));
}

Test(param_ids, vram_size_is_3)
{
	cr_assert(eq(int, DRM_NVGHOST_PARAM_VRAM_SIZE, 3));
}

Test(param_ids, engine_count_is_4)
{
	cr_assert(eq(int, DRM_NVGHOST_PARAM_ENGINE_COUNT, 4));
}

Test(param_ids, ptimer_ns_is_5)
{
	cr_assert(eq(int, DRM_NVGHOST_PARAM_PTIMER_NS, 5));
}

Test(param_ids, engine_class_is_6)
{
	cr_assert(eq(int, DRM_NVGHOST_PARAM_ENGINE_CLASS, 6));
}
