// SPDX-License-Identifier: GPL-2.0
/*
 * mem_fault_stall - fault() spins (bpf_loop() reading the device clock)
 * until stall_ms of device time have passed: the first fault's service
 * takes longer than the watchdog (sched_watchdog_ms, set below stall_ms by
 * the test), which must eject the policy (error_stall) after that fault;
 * the built-in default then serves every later fault.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

const volatile u32 stall_ms = 600;

struct spin {
	u32 dev;
	u64 until;
};

static long spin_step(u64 i, void *data)
{
	struct spin *s = data;

	return nvg_device_now_ns(s->dev) >= s->until;
}

s64 NVG_OPS(stall_fault, struct nvg_mem_fault *f)
{
	struct spin s = { .dev = f->blk.dev_index };
	u32 round;

	s.until = nvg_device_now_ns(s.dev) + (u64)stall_ms * 1000000;
	/* bpf_loop() stops at 2^23 calls: go round until the time is up. */
	for (round = 0; round < 64 && nvg_device_now_ns(s.dev) < s.until; round++)
		bpf_loop(1 << 23, spin_step, &s, 0);
	return 0;
}

NVG_MEM_OPS_DEFINE(mem_fault_stall_ops,
	.fault		= (void *)stall_fault,
	.name		= "mem_fault_stall");
