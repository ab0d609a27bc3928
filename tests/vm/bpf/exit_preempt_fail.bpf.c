// SPDX-License-Identifier: GPL-2.0
/*
 * exit_preempt_fail - exit() preempts an engine (nvg_engine_preempt()),
 * which only enqueue, dispatch, running and stopping may do: the verifier
 * must reject it at load.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

void NVG_OPS_SLEEPABLE(preempt_exit, struct nvg_exit_info *ei)
{
	nvg_engine_preempt(0, 0);
}

NVG_SCHED_OPS_DEFINE(exit_preempt_ops,
	.exit		= (void *)preempt_exit,
	.name		= "exit_preempt");
