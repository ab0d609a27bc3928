// SPDX-License-Identifier: GPL-2.0
/*
 * bad_client_key - a power policy whose client_key() answers a key above
 * U32_MAX, which ejects it (57-vtime-power-attr); select() keeps the
 * current p-state.
 */
#include "nvg/power.bpf.h"

char _license[] SEC("license") = "GPL";

s64 NVG_OPS(bad_client_key, struct nvg_power_source *src)
{
	return 1LL << 32;
}

s32 NVG_OPS(bad_ck_select, struct nvg_power_period *p)
{
	return p->pstate;
}

NVG_POWER_OPS_DEFINE(bad_client_key_ops,
	.select		= (void *)bad_ck_select,
	.client_key	= (void *)bad_client_key,
	.name		= "bad_client_key");
