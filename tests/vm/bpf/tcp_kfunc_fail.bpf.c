// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_kfunc_fail - a struct_ops program of another subsystem (a TCP
 * congestion control) calls nvghost's nvg_sched_error(). nvghost's kfuncs
 * are registered for struct_ops programs, but only nvg_sched_ops programs
 * may call them: the verifier must reject it at load.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops/nvgtcp_ssthresh")
__u32 BPF_PROG(nvgtcp_ssthresh, struct sock *sk)
{
	nvg_sched_error(1);
	return 2;
}

SEC("struct_ops/nvgtcp_cong_avoid")
void BPF_PROG(nvgtcp_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
}

SEC("struct_ops/nvgtcp_undo_cwnd")
__u32 BPF_PROG(nvgtcp_undo_cwnd, struct sock *sk)
{
	return 2;
}

SEC(".struct_ops.link")
struct tcp_congestion_ops nvgtcp = {
	.ssthresh	= (void *)nvgtcp_ssthresh,
	.cong_avoid	= (void *)nvgtcp_cong_avoid,
	.undo_cwnd	= (void *)nvgtcp_undo_cwnd,
	.name		= "nvgtcp",
};
