// SPDX-License-Identifier: GPL-2.0
/*
 * bad_ctx_init - ctx_init() returns a positive value, which is no errno.
 * Must be ejected with error_bpf when the next channel is created.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

s32 NVG_OPS(bad_ctx_init, struct nvg_ctx *gctx, struct nvg_ctx_init_args *args)
{
	/* Accept the contexts that exist at attach, break on the next. */
	return gctx->pid > 1 ? 4242 : 0;
}

NVG_SCHED_OPS_DEFINE(bad_ctx_init_ops,
	.ctx_init	= (void *)bad_ctx_init,
	.name		= "bad_ctx_init");
