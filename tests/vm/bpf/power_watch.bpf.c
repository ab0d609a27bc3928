// SPDX-License-Identifier: GPL-2.0
/*
 * power_watch - a power policy that runs the top p-state it may and
 * records what the per-client frame information said, for 17-power-policy
 * to read back (bpftool map dump name power_wa.bss):
 *
 *   periods          select() calls
 *   max_clients      most clients in one period
 *   present_periods  periods with a client that presented
 *   frames, missed   summed over presenting clients and periods
 *   present_busy_ns  GPU time of presenting clients, summed
 *   deadline_ns      the last presenting client's deadline
 *   frame_ns_min/max its frame time, smallest and largest non-zero seen
 *   other_busy_ns    GPU time of clients that did not present, summed
 *   dev_frames       period->frames summed (all heads)
 *   bad              periods where the clients' frames or missed exceeded
 *                    the device totals
 *
 * A client's GPU time is not held against the period: fdinfo counts a
 * job's time when it completes, so the period after a long job (or a
 * short one, when a loaded host delays devfreq's polling) may show more
 * than its own length; the sums over the run are checked instead.
 */
#include "nvg/power.bpf.h"

char _license[] SEC("license") = "GPL";

u32 periods, max_clients, present_periods, frames, missed, dev_frames, bad;
u64 present_busy_ns, other_busy_ns, deadline_ns, frame_ns_min, frame_ns_max;

s32 NVG_OPS(watch_select, struct nvg_power_period *p)
{
	u32 i, f = 0, m = 0, presented = 0;

	periods++;
	if (p->nr_clients > max_clients)
		max_clients = p->nr_clients;
#pragma unroll
	for (i = 0; i < NVG_POWER_MAX_CLIENTS; i++) {
		const struct nvg_power_client *c = &p->clients[i];

		if (i >= p->nr_clients)
			break;
		if (!c->deadline_ns) {
			other_busy_ns += c->busy_ns[0];
			continue;
		}
		presented = 1;
		f += c->frames;
		m += c->missed;
		present_busy_ns += c->busy_ns[0];
		deadline_ns = c->deadline_ns;
		if (c->frame_ns && (!frame_ns_min || c->frame_ns < frame_ns_min))
			frame_ns_min = c->frame_ns;
		if (c->frame_ns > frame_ns_max)
			frame_ns_max = c->frame_ns;
	}
	if (f > p->frames || m > p->missed)
		bad++;
	frames += f;
	missed += m;
	dev_frames += p->frames;
	present_periods += presented;
	return p->max_pstate;
}

NVG_POWER_OPS_DEFINE(power_watch_ops,
	.select		= (void *)watch_select,
	.name		= "power_watch");
