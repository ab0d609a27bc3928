// SPDX-License-Identifier: GPL-2.0
/*
 * vclock_probe - what a policy reads from the device clock on a virtual
 * clock (52-vtime-kfunc). In enqueue() it records, for each job, the device
 * time nvg_device_now_ns() gave, the job's enqueue_ns and the host's
 * bpf_ktime_get_ns(), so the test can compare them with the time it
 * advanced the device to (DRM_IOCTL_NVGHOST_CLOCK). bpftool map dump name
 * vclock_p.bss:
 *
 *   jobs                       enqueue() calls seen
 *   first_dev_ns, last_dev_ns  nvg_device_now_ns() in the first and the last
 *   first_enq_ns, last_enq_ns  those jobs' enqueue_ns
 *   first_host_ns, last_host_ns bpf_ktime_get_ns() then
 *   periods, power_dev_ns      power select() calls and the device time the
 *                              last one read
 *
 * It schedules nothing itself: jobs stay with the built-in FIFO; the power
 * part answers the p-state in force.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u64 jobs, first_dev_ns, first_enq_ns, first_host_ns;
u64 last_dev_ns, last_enq_ns, last_host_ns;
u64 periods, power_dev_ns;

void NVG_OPS(vcp_enqueue, struct nvg_job *job, u64 enq_flags)
{
	u64 dev = nvg_device_now_ns(job->dev_index);
	u64 host = bpf_ktime_get_ns();

	if (!jobs) {
		first_dev_ns = dev;
		first_enq_ns = job->enqueue_ns;
		first_host_ns = host;
	}
	last_dev_ns = dev;
	last_enq_ns = job->enqueue_ns;
	last_host_ns = host;
	jobs++;
}

NVG_SCHED_OPS_DEFINE(vclock_probe_sched,
	.enqueue	= (void *)vcp_enqueue,
	.name		= "vclock_probe");

s32 NVG_OPS(vcp_select, struct nvg_power_period *p)
{
	power_dev_ns = nvg_device_now_ns(p->dev_index);
	periods++;
	return p->pstate;
}

NVG_POWER_OPS_DEFINE(vclock_probe_power,
	.select		= (void *)vcp_select,
	.name		= "vclock_probe");
