// SPDX-License-Identifier: GPL-2.0
/*
 * mem_bad_region - a memory policy whose fault() answers a region without
 * the faulting page: the driver must eject it (error_invalid) and service
 * the fault with the default, losing nothing.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s64 NVG_OPS(bad_region_fault, struct nvg_mem_fault *f)
{
	return 1ULL << ((f->page + 1) & 31);
}

NVG_MEM_OPS_DEFINE(mem_bad_region_ops,
	.fault		= (void *)bad_region_fault,
	.name		= "mem_bad_region");
