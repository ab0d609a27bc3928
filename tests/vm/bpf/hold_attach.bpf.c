// SPDX-License-Identifier: GPL-2.0
/*
 * hold_attach - not a policy: a kprobe for 25-attach-race, loaded with
 * bpftool. When a policy attach reaches nvg_hook_begin_attach() (the hook's
 * reg_lock held), it counts the call in "entered" and holds the attach
 * there until the hook's active policy is gone (ejected) or 5 s passed.
 * That opens, deterministically, the window in which the old policy's
 * ejection is pending while the new one attaches.
 */
#include "nvg/common.bpf.h"
#include <bpf/bpf_core_read.h>

char _license[] SEC("license") = "GPL";

u32 entered;
u32 held_ms;

struct hold_ctx {
	struct nvg_hook *hook;
	u64 deadline;
};

static long hold_cb(u64 i, void *data)
{
	struct hold_ctx *h = data;
	struct nvg_hook *hook = h->hook;

	if (bpf_ktime_get_ns() >= h->deadline)
		return 1;
	return BPF_CORE_READ(hook, ops) == NULL;
}

SEC("kprobe/nvg_hook_begin_attach")
int BPF_KPROBE(hold_begin_attach, struct nvg_hook *hook)
{
	struct hold_ctx h = { .hook = hook };
	u64 t0 = bpf_ktime_get_ns();

	h.deadline = t0 + 5000000000ULL;
	__sync_fetch_and_add(&entered, 1);
	bpf_loop(1 << 23, hold_cb, &h, 0);
	held_ms = (bpf_ktime_get_ns() - t0) / 1000000;
	return 0;
}
