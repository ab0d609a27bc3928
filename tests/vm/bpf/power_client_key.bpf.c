// SPDX-License-Identifier: GPL-2.0
/*
 * power_client_key - a power policy that changes who the period's client
 * table counts (ops.client_key), for 57-vtime-power-attr: the processes
 * named "game" and "hog" are one client, key 7; any other source keeps its
 * built-in key (src->dflt, its process). select() runs the top p-state it
 * may and records what it saw; bpftool map dump name power_cl.bss reads
 * it back:
 *
 *   key_calls          client_key() calls
 *   busy_calls         ... for a file's GPU time (NVG_POWER_SRC_BUSY)
 *   frames_calls       ... for a head's frames (NVG_POWER_SRC_FRAMES)
 *   bad_src            calls whose source was not as documented (a BUSY
 *                      source with a head or no client id, a FRAMES
 *                      source not on head 0, no pid, dflt not the pid)
 *   nofile_frames      FRAMES sources with no file (client id 0: the
 *                      head's last flip came from a commit that asked for
 *                      no event, e.g. the game's mode set; the committer)
 *   game_prio, hog_prio  the highest priority class seen per name, + 1
 *   periods            select() calls
 *   max_clients        most clients in one period's table
 *   other_clients      table entries whose key was not 7
 *   key7_frames        frames of the key-7 client, summed over periods
 *   key7_busy_ns       GPU time of the key-7 client (both engine kinds)
 *   dev_frames         period->frames summed (all heads)
 */
#include "nvg/power.bpf.h"

char _license[] SEC("license") = "GPL";

u32 key_calls, busy_calls, frames_calls, bad_src, nofile_frames, game_prio, hog_prio;
u32 periods, max_clients, other_clients, key7_frames, dev_frames;
u64 key7_busy_ns;

static __always_inline bool comm_is(const char *c, const char *name, int len)
{
	int i;

	for (i = 0; i < len; i++)
		if (c[i] != name[i])
			return false;
	return c[len] == '\0';
}

s64 NVG_OPS(ck_client_key, struct nvg_power_source *src)
{
	key_calls++;
	if (src->kind == NVG_POWER_SRC_FRAMES) {
		frames_calls++;
		if (src->head != 0)
			bad_src++;
		if (!src->client_id)
			nofile_frames++;
	} else {
		busy_calls++;
		if (src->kind != NVG_POWER_SRC_BUSY || src->head != -1 || !src->client_id)
			bad_src++;
	}
	if (src->pid <= 0 || src->dflt != (u32)src->pid)
		bad_src++;
	if (comm_is(src->comm, "game", 4)) {
		if (src->prio + 1 > game_prio)
			game_prio = src->prio + 1;
		return 7;
	}
	if (comm_is(src->comm, "hog", 3)) {
		if (src->prio + 1 > hog_prio)
			hog_prio = src->prio + 1;
		return 7;
	}
	return src->dflt;
}

s32 NVG_OPS(ck_select, struct nvg_power_period *p)
{
	u32 i;

	periods++;
	if (p->nr_clients > max_clients)
		max_clients = p->nr_clients;
	dev_frames += p->frames;
#pragma unroll
	for (i = 0; i < NVG_POWER_MAX_CLIENTS; i++) {
		const struct nvg_power_client *c = &p->clients[i];

		if (i >= p->nr_clients)
			break;
		if (c->key != 7) {
			other_clients++;
			continue;
		}
		key7_frames += c->frames;
		key7_busy_ns += c->busy_ns[0] + c->busy_ns[1];
	}
	return p->max_pstate;
}

NVG_POWER_OPS_DEFINE(power_client_key_ops,
	.select		= (void *)ck_select,
	.client_key	= (void *)ck_client_key,
	.name		= "power_client_key");
