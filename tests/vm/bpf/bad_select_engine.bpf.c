// SPDX-License-Identifier: GPL-2.0
/*
 * bad_select_engine - ops.select_engine puts a copy channel on engine 0,
 * the compute engine: not one of the class's. Must be ejected with
 * error_invalid; the channel gets the built-in choice and works.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS(bad_select_engine, struct nvg_ctx *gctx,
	    struct nvg_select_engine_args *args)
{
	return args->engine_class == DRM_NVGHOST_ENGINE_COPY ? 0 : -1;
}

NVG_SCHED_OPS_DEFINE(bad_select_engine_ops,
	.select_engine	= (void *)bad_select_engine,
	.name		= "bad_select_engine");
