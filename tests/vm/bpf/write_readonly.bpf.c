// SPDX-License-Identifier: GPL-2.0
/*
 * write_readonly - ctx_init() raises the context's priority by writing
 * struct nvg_ctx, which policies may only read. The verifier must reject
 * it, and nvgpolicy must show why.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS(write_ctx_init, struct nvg_ctx *gctx, struct nvg_ctx_init_args *args)
{
	gctx->prio = 2;
	return 0;
}

NVG_SCHED_OPS_DEFINE(write_readonly_ops,
	.ctx_init	= (void *)write_ctx_init,
	.name		= "write_readonly");
