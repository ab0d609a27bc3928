// SPDX-License-Identifier: GPL-2.0
/*
 * select_engine_last - ops.select_engine puts every copy channel on the
 * device's last copy engine (the built-in choice hands them out in turn);
 * compute channels get the default (a negative answer).
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS(select_engine_last, struct nvg_ctx *gctx,
	    struct nvg_select_engine_args *args)
{
	if (args->engine_class != DRM_NVGHOST_ENGINE_COPY)
		return -1;
	return args->first + args->nr - 1;
}

NVG_SCHED_OPS_DEFINE(select_engine_last_ops,
	.select_engine	= (void *)select_engine_last,
	.name		= "select_engine_last");
