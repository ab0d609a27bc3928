// SPDX-License-Identifier: GPL-2.0
/*
 * pacing_beyond_window - flip() holds a flip longer than the head allows
 * (past window_end_ns: beyond the monitor's longest VRR frame, or more
 * than NVG_PACING_MAX_FRAMES_AHEAD refreshes). Must be ejected with kind
 * error_invalid.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u64 NVG_OPS(beyond_flip, struct nvg_flip *flip)
{
	return flip->window_end_ns + 1;
}

NVG_PACING_OPS_DEFINE(pacing_beyond_window_ops,
	.flip		= (void *)beyond_flip,
	.name		= "pacing_beyond");
