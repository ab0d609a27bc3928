// SPDX-License-Identifier: GPL-2.0
/*
 * pacing_past_latch - flip() asks to latch a flip before it was queued.
 * Must be ejected with kind error_invalid; the flip latches at the next
 * vblank (the default).
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u64 NVG_OPS(past_flip, struct nvg_flip *flip)
{
	return flip->now_ns - 1000000;
}

NVG_PACING_OPS_DEFINE(pacing_past_latch_ops,
	.flip		= (void *)past_flip,
	.name		= "pacing_past");
