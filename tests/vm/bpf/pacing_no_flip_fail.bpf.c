// SPDX-License-Identifier: GPL-2.0
/*
 * pacing_no_flip_fail - a pacing policy without its required op, flip().
 * The load must fail (validate: -EINVAL).
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

void NVG_OPS(no_flip_vblank, struct nvg_vblank *vb)
{
}

NVG_PACING_OPS_DEFINE(pacing_no_flip_ops,
	.vblank		= (void *)no_flip_vblank,
	.name		= "pacing_no_flip");
