/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_power_ops.h - the GPU power hook: struct nvg_power_ops.
 *
 * Each sampling period the driver hands the policy what the GPU did (engine
 * utilisation, temperature, power, the current p-state, the frames its
 * clients presented, and per client process its GPU time and frames
 * presented and missed) and the policy answers with the p-state to run in,
 * like a devfreq governor -- which is how users see it: the devfreq
 * governor "nvg_power_ops" calls the attached policy, or, with none attached,
 * the hook's built-in default.
 *
 * Thermal limits always win: the driver clamps the answer to
 * @max_pstate, which the thermal framework lowers when the GPU overheats.
 * A p-state outside the table, or a negative answer, ejects the policy.
 *
 * Who the period's per-client table counts is the policy's too
 * (@client_key): each source of GPU time or frames is mapped to a client
 * key, and the table has one entry per key. The built-in default keys by
 * the process that opened the DRM file.
 *
 * Like the scheduling hook, no stability guarantee: policies are built
 * against the module's BTF.
 */
#ifndef _NVGHOST_POWER_OPS_H_
#define _NVGHOST_POWER_OPS_H_

#include <linux/types.h>
#include "nvghost_policy.h"

#define NVG_POWER_MAX_ENGINES	8
#define NVG_POWER_MAX_PSTATES	16
#define NVG_POWER_MAX_CLIENTS	8
/* Engine kinds a client's GPU time is counted by, as in fdinfo. */
#define NVG_POWER_ENGINE_KINDS	2

/**
 * enum nvg_power_source_kind - what ops.client_key() is asked to attribute
 * @NVG_POWER_SRC_BUSY: a DRM file's GPU time in the period (what fdinfo's
 *	drm-engine-* counters grew by).
 * @NVG_POWER_SRC_FRAMES: a head's frames presented and missed in the
 *	period, and their frame time; the source is the DRM file that queued
 *	the head's last flip (the presenter).
 */
enum nvg_power_source_kind {
	NVG_POWER_SRC_BUSY = 0,
	NVG_POWER_SRC_FRAMES = 1,
};

/**
 * struct nvg_power_source - one source of a period's per-client numbers,
 *	read-only: what ops.client_key() maps to a client key
 * @dev_index: which nvghost device.
 * @kind: what is attributed (&enum nvg_power_source_kind).
 * @head: the head, for %NVG_POWER_SRC_FRAMES; -1 otherwise.
 * @pid: thread group id of the process that opened the DRM file. For a
 *	flip whose commit asked for no event (no file to go to), the process
 *	that committed it; 0 if a kernel thread did.
 * @ppid: thread group id of @pid's parent when it opened the file (when it
 *	committed the flip); 0 unknown.
 * @prio: the highest priority class (DRM_NVGHOST_PRIORITY_*) of the
 *	file's channels so far; LOW (0) if it has none, or no file.
 * @client_id: the DRM file's client id (fdinfo's drm-client-id); 0 if
 *	there is no file.
 * @dflt: the built-in key: @pid (0, not counted, if @pid is 0).
 * @comm: command name of @pid when it opened the file (committed).
 */
struct nvg_power_source {
	u32 dev_index;
	enum nvg_power_source_kind kind;
	s32 head;
	s32 pid;
	s32 ppid;
	u32 prio;
	u64 client_id;
	u32 dflt;
	char comm[16];
};

/**
 * struct nvg_power_client - one client in a sampling period, read-only
 * @pid: the process first counted under @key in the period (with the
 *	built-in key, the process itself: all its DRM files of the device
 *	count as one client, as a game often renders on one file and
 *	presents on another).
 * @key: the client key its sources were mapped to (ops.client_key();
 *	built in: @pid).
 * @frames: flips of its that latched in the period.
 * @missed: refreshes in the period, on heads it presents on, that showed
 *	its previous image again because the next was not ready (up to two
 *	per frame): its missed deadlines.
 * @busy_ns: GPU time its jobs used in the period, [0] on compute engines,
 *	[1] on copy engines (what fdinfo's drm-engine-compute and
 *	drm-engine-copy count).
 * @frame_ns: its frame time: the mean interval between its flips
 *	latching, over those in the period that followed another within
 *	eight refreshes; 0 if there were none.
 * @deadline_ns: the refresh period of the head it presents on (the time
 *	it has for each frame; with VRR, the monitor's shortest frame); 0 if
 *	it presents on none.
 * @render_ns: its last frame's start (DRM_IOCTL_NVGHOST_FRAME_WAIT) to
 *	the flip; 0 unknown.
 */
struct nvg_power_client {
	s32 pid;
	u32 frames;
	u32 missed;
	u32 key;
	u64 busy_ns[NVG_POWER_ENGINE_KINDS];
	u64 frame_ns;
	u64 deadline_ns;
	u64 render_ns;
};

/**
 * struct nvg_power_period - what a GPU did in one sampling period, read-only
 * @dev_index: which nvghost device.
 * @period_ns: length of the period.
 * @nr_pstates: p-states in the table; 0 is the lowest clock.
 * @pstate: the p-state the GPU ran in.
 * @max_pstate: the highest the policy may choose now (thermal and user
 *	limits); answers above it are clamped, not refused.
 * @clock_mhz: the clock the GPU ran at (below @pstate's under the
 *	hardware's own overtemperature protection).
 * @pstate_mhz: each p-state's clock, slowest first.
 * @nr_engines: entries used in @util_pm.
 * @util_pm: per engine, the share of the period it was busy, per mille.
 * @temp_mc: GPU temperature, milli-degrees Celsius.
 * @power_mw: average power over the period, milliwatts.
 * @power_cap_mw: the power cap in force (0: none).
 * @frames: flips its heads latched in the period (all clients).
 * @missed: missed deadlines in the period (all clients; see
 *	&struct nvg_power_client).
 * @frame_ns: refresh period of the first head that flipped since the
 *	module loaded (0: none).
 * @nr_clients: entries used in @clients.
 * @clients: the clients using the GPU, one per client key (see
 *	ops.client_key(); built in: per process): those that presented on a
 *	head in the period first, in head order, then the others that used
 *	GPU time in it, in the order their files were opened; at most
 *	NVG_POWER_MAX_CLIENTS (the rest are left out).
 */
struct nvg_power_period {
	u32 dev_index;
	u64 period_ns;
	u32 nr_pstates;
	u32 pstate;
	u32 max_pstate;
	u32 clock_mhz;
	u32 pstate_mhz[NVG_POWER_MAX_PSTATES];
	u32 nr_engines;
	u32 util_pm[NVG_POWER_MAX_ENGINES];
	u32 temp_mc;
	u32 power_mw;
	u32 power_cap_mw;
	u32 frames;
	u32 missed;
	u64 frame_ns;
	u32 nr_clients;
	struct nvg_power_client clients[NVG_POWER_MAX_CLIENTS];
};

/**
 * struct nvg_power_ops - a GPU power policy
 *
 * @select is required; the rest is optional. Only @init and @exit may be
 * sleepable programs.
 */
struct nvg_power_ops {
	/**
	 * @init: called once when the policy is attached. Return 0, or a
	 * negative errno to refuse the attachment.
	 */
	s32 (*init)(void);

	/**
	 * @exit: called once when the policy stops being used, with the
	 * record of why.
	 */
	void (*exit)(struct nvg_exit_info *info);

	/**
	 * @select: the p-state to run in for the next period, given the last
	 * one. Return an index into the p-state table
	 * (0 .. @period->nr_pstates - 1). Anything else -- a negative errno
	 * included -- ejects the policy, and the built-in default goes on.
	 */
	s32 (*select)(struct nvg_power_period *period);

	/**
	 * @client_key: which client of the period's table @src counts for.
	 * Asked, while the period is filled in (before @select), once per
	 * DRM file that used GPU time in the period and once per head that
	 * showed or missed frames. Return a key in 1 .. U32_MAX: sources
	 * with the same key are one client (their frames, misses and GPU
	 * time add up); 0 leaves @src out of the table (it still counts in
	 * the device's totals). Not set: @src->dflt, the opener's process.
	 * A negative answer, or one above U32_MAX, ejects the policy, and
	 * the built-in keys go on. So a policy can group a process tree
	 * (@src->ppid), a program (@src->comm), or count a compositor's
	 * flips for the game whose frames it shows.
	 */
	s64 (*client_key)(struct nvg_power_source *src);

	/**
	 * @flags: reserved, must be 0.
	 */
	u64 flags;

	/**
	 * @name: the policy's name, a valid BPF object name, not empty.
	 */
	char name[NVG_OPS_NAME_LEN];
};

enum nvg_power_op {
	NVG_POWER_OP_INIT,
	NVG_POWER_OP_EXIT,
	NVG_POWER_OP_SELECT,
	NVG_POWER_OP_CLIENT_KEY,
	NVG_POWER_NR_OPS,
};

extern struct nvg_hook nvg_power_hook;

int nvg_power_ops_register(void);
bool nvg_power_prog(const struct bpf_prog *prog);
int nvg_power_ops_show(struct seq_file *m);
bool nvg_power_attached(void);
int nvg_power_select(struct nvg_power_period *period, u32 *pstate);
u32 nvg_power_client_key(struct nvg_power_source *src);

#endif /* _NVGHOST_POWER_OPS_H_ */
