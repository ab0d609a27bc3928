// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_devclock_fail - a struct_ops program of another subsystem (a TCP
 * congestion control) calls nvg_device_now_ns(), the one nvghost kfunc
 * that every nvghost hook may call. Only nvghost's hooks may: the
 * verifier must reject it at load.
 */
#include "nvg/common.bpf.h"

char _license[] SEC("license") = "GPL";

u64 seen;

SEC("struct_ops/nvgtcpclk_ssthresh")
__u32 BPF_PROG(nvgtcpclk_ssthresh, struct sock *sk)
{
	seen = nvg_device_now_ns(0);
	return 2;
}

SEC("struct_ops/nvgtcpclk_cong_avoid")
void BPF_PROG(nvgtcpclk_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
}

SEC("struct_ops/nvgtcpclk_undo_cwnd")
__u32 BPF_PROG(nvgtcpclk_undo_cwnd, struct sock *sk)
{
	return 2;
}

SEC(".struct_ops.link")
struct tcp_congestion_ops nvgtcpclk = {
	.ssthresh	= (void *)nvgtcpclk_ssthresh,
	.cong_avoid	= (void *)nvgtcpclk_cong_avoid,
	.undo_cwnd	= (void *)nvgtcpclk_undo_cwnd,
	.name		= "nvgtcpclk",
};
