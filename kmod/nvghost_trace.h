/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_trace.h - tracepoints for every job and policy event, for
 * bpftrace and perf: tracepoint:nvghost:*.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM nvghost

#if !defined(_NVGHOST_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define _NVGHOST_TRACE_H_

#include <linux/tracepoint.h>
#include "nvghost_drv.h"

DECLARE_EVENT_CLASS(nvghost_job,
	TP_PROTO(struct nvg_job_obj *job),
	TP_ARGS(job),
	TP_STRUCT__entry(
		__field(u64, id)
		__field(u64, ctx_id)
		__field(u32, dev)
		__field(u32, engine)
		__field(u64, cost_ns)
		__field(u64, enqueue_ns)
	),
	TP_fast_assign(
		__entry->id = job->pub.id;
		__entry->ctx_id = job->pub.ctx_id;
		__entry->dev = job->pub.dev_index;
		__entry->engine = job->pub.engine;
		__entry->cost_ns = job->pub.cost_ns;
		__entry->enqueue_ns = job->pub.enqueue_ns;
	),
	TP_printk("gpu%u engine %u job %llu ctx %llu cost %llu ns runnable at %llu",
		  __entry->dev, __entry->engine, __entry->id, __entry->ctx_id,
		  __entry->cost_ns, __entry->enqueue_ns)
);

DEFINE_EVENT(nvghost_job, nvghost_job_queue,
	TP_PROTO(struct nvg_job_obj *job),
	TP_ARGS(job)
);

TRACE_EVENT(nvghost_job_start,
	TP_PROTO(struct nvg_job_obj *job, bool by_policy_hook),
	TP_ARGS(job, by_policy_hook),
	TP_STRUCT__entry(
		__field(u64, id)
		__field(u32, dev)
		__field(u32, engine)
		__field(bool, policy)
	),
	TP_fast_assign(
		__entry->id = job->pub.id;
		__entry->dev = job->pub.dev_index;
		__entry->engine = job->pub.engine;
		__entry->policy = by_policy_hook;
	),
	TP_printk("gpu%u engine %u job %llu (policy attached: %d)",
		  __entry->dev, __entry->engine, __entry->id, __entry->policy)
);

TRACE_EVENT(nvghost_job_done,
	TP_PROTO(struct nvg_job_obj *job, u64 now_ns),
	TP_ARGS(job, now_ns),
	TP_STRUCT__entry(
		__field(u64, id)
		__field(u32, dev)
		__field(u32, engine)
		__field(u64, latency_ns)
		__field(u64, now_ns)
	),
	TP_fast_assign(
		__entry->id = job->pub.id;
		__entry->dev = job->pub.dev_index;
		__entry->engine = job->pub.engine;
		__entry->latency_ns = now_ns - job->pub.enqueue_ns;
		__entry->now_ns = now_ns;
	),
	TP_printk("gpu%u engine %u job %llu latency %llu ns done at %llu",
		  __entry->dev, __entry->engine, __entry->id, __entry->latency_ns,
		  __entry->now_ns)
);

DEFINE_EVENT(nvghost_job, nvghost_job_reset,
	TP_PROTO(struct nvg_job_obj *job),
	TP_ARGS(job)
);

TRACE_EVENT(nvghost_job_fault,
	TP_PROTO(struct nvg_job_obj *job, u64 va),
	TP_ARGS(job, va),
	TP_STRUCT__entry(
		__field(u64, id)
		__field(u32, dev)
		__field(u32, engine)
		__field(u64, va)
	),
	TP_fast_assign(
		__entry->id = job->pub.id;
		__entry->dev = job->pub.dev_index;
		__entry->engine = job->pub.engine;
		__entry->va = va;
	),
	TP_printk("gpu%u engine %u job %llu MMU fault at 0x%llx",
		  __entry->dev, __entry->engine, __entry->id, __entry->va)
);

TRACE_EVENT(nvghost_job_preempt,
	TP_PROTO(struct nvg_job_obj *job, u32 reason),
	TP_ARGS(job, reason),
	TP_STRUCT__entry(
		__field(u64, id)
		__field(u64, ctx_id)
		__field(u32, dev)
		__field(u32, engine)
		__field(u32, reason)
	),
	TP_fast_assign(
		__entry->id = job->pub.id;
		__entry->ctx_id = job->pub.ctx_id;
		__entry->dev = job->pub.dev_index;
		__entry->engine = job->pub.engine;
		__entry->reason = reason;
	),
	TP_printk("gpu%u engine %u job %llu ctx %llu reason %u",
		  __entry->dev, __entry->engine, __entry->id, __entry->ctx_id,
		  __entry->reason)
);

TRACE_EVENT(nvghost_job_dispatch,
	TP_PROTO(struct nvg_job_obj *job, bool by_policy),
	TP_ARGS(job, by_policy),
	TP_STRUCT__entry(
		__field(u64, id)
		__field(u64, ctx_id)
		__field(u32, dev)
		__field(u32, engine)
		__field(u64, wait_ns)
		__field(u64, start_ns)
		__field(bool, by_policy)
	),
	TP_fast_assign(
		__entry->id = job->pub.id;
		__entry->ctx_id = job->pub.ctx_id;
		__entry->dev = job->pub.dev_index;
		__entry->engine = job->pub.engine;
		__entry->wait_ns = job->start_ns - job->pub.enqueue_ns;
		__entry->start_ns = job->start_ns;
		__entry->by_policy = by_policy;
	),
	TP_printk("gpu%u engine %u job %llu ctx %llu waited %llu ns, started at %llu (policy %d)",
		  __entry->dev, __entry->engine, __entry->id, __entry->ctx_id,
		  __entry->wait_ns, __entry->start_ns, __entry->by_policy)
);

TRACE_EVENT(nvghost_policy_eject,
	TP_PROTO(const char *hook, const char *policy, u32 kind, const char *msg),
	TP_ARGS(hook, policy, kind, msg),
	TP_STRUCT__entry(
		__string(hook, hook)
		__string(policy, policy)
		__field(u32, kind)
		__string(msg, msg)
	),
	TP_fast_assign(
		__assign_str(hook);
		__assign_str(policy);
		__entry->kind = kind;
		__assign_str(msg);
	),
	TP_printk("%s policy %s ejected, kind %u: %s", __get_str(hook),
		  __get_str(policy), __entry->kind, __get_str(msg))
);

TRACE_EVENT(nvghost_submit,
	TP_PROTO(u32 dev, u32 chan, u32 engine, u32 dwords),
	TP_ARGS(dev, chan, engine, dwords),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u32, chan)
		__field(u32, engine)
		__field(u32, dwords)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->chan = chan;
		__entry->engine = engine;
		__entry->dwords = dwords;
	),
	TP_printk("gpu%u channel %u engine %u: %u pushbuffer dwords",
		  __entry->dev, __entry->chan, __entry->engine, __entry->dwords)
);

/* Frame pacing: a flip queued (and when the policy wants it latched). */
TRACE_EVENT(nvghost_flip_queued,
	TP_PROTO(u32 dev, u32 hd, u64 now_ns, u64 latch_ns, u64 seq),
	TP_ARGS(dev, hd, now_ns, latch_ns, seq),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u32, head)
		__field(u64, now_ns)
		__field(u64, latch_ns)
		__field(u64, seq)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->head = hd;
		__entry->now_ns = now_ns;
		__entry->latch_ns = latch_ns;
		__entry->seq = seq;
	),
	TP_printk("gpu%u head %u: flip queued at %llu, latch at %llu (0: next vblank), vblank %llu",
		  __entry->dev, __entry->head, __entry->now_ns, __entry->latch_ns,
		  __entry->seq)
);

/* A head refreshed; @flipped: a new image latched at it. */
TRACE_EVENT(nvghost_vblank,
	TP_PROTO(u32 dev, u32 hd, u64 seq, u64 time_ns, bool flipped),
	TP_ARGS(dev, hd, seq, time_ns, flipped),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u32, head)
		__field(u64, seq)
		__field(u64, time_ns)
		__field(bool, flipped)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->head = hd;
		__entry->seq = seq;
		__entry->time_ns = time_ns;
		__entry->flipped = flipped;
	),
	TP_printk("gpu%u head %u: vblank %llu at %llu%s", __entry->dev, __entry->head,
		  __entry->seq, __entry->time_ns, __entry->flipped ? ", flip latched" : "")
);

/* A queued flip became visible: its event carries this vblank. */
TRACE_EVENT(nvghost_flip_latched,
	TP_PROTO(u32 dev, u32 hd, u64 seq, u64 time_ns),
	TP_ARGS(dev, hd, seq, time_ns),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u32, head)
		__field(u64, seq)
		__field(u64, time_ns)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->head = hd;
		__entry->seq = seq;
		__entry->time_ns = time_ns;
	),
	TP_printk("gpu%u head %u: flip latched at vblank %llu (%llu)", __entry->dev,
		  __entry->head, __entry->seq, __entry->time_ns)
);

/*
 * What clients ask of the GPU, for recording a workload (nvgtrace record):
 * a submitted job, with its client (the context's pid, comm and priority),
 * the device time it was submitted at, its modelled cost (engine cycles of
 * its BUSY methods, bytes of its copies and fills), its finished fence and
 * the fences it waits on (context:seqno pairs, as 0x-hex pairs), so that a
 * recorder can tell which earlier jobs it depends on. Not in nvgreplay's
 * decision log (pids and fence contexts differ from run to run).
 */
TRACE_EVENT(nvghost_job_submit,
	TP_PROTO(u32 dev, u32 chan, u32 engine, const struct nvg_ctx *ctx, u64 now_ns,
		 u64 cycles, u64 bytes, u64 fills, const struct dma_fence *done,
		 struct dma_fence *const *deps, u32 nr_deps),
	TP_ARGS(dev, chan, engine, ctx, now_ns, cycles, bytes, fills, done, deps, nr_deps),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u32, chan)
		__field(u32, engine)
		__field(u64, ctx)
		__field(s32, pid)
		__field(u32, prio)
		__field(u64, now_ns)
		__field(u64, cycles)
		__field(u64, bytes)
		__field(u64, fills)
		__field(u64, fctx)
		__field(u64, fseq)
		__dynamic_array(u64, deps, 2 * nr_deps)
		__array(char, comm, 16)
	),
	TP_fast_assign(
		u64 *d = __get_dynamic_array(deps);
		u32 i;

		__entry->dev = dev;
		__entry->chan = chan;
		__entry->engine = engine;
		__entry->ctx = ctx->id;
		__entry->pid = ctx->pid;
		__entry->prio = ctx->prio;
		__entry->now_ns = now_ns;
		__entry->cycles = cycles;
		__entry->bytes = bytes;
		__entry->fills = fills;
		__entry->fctx = done->context;
		__entry->fseq = done->seqno;
		for (i = 0; i < nr_deps; i++) {
			d[2 * i] = deps[i]->context;
			d[2 * i + 1] = deps[i]->seqno;
		}
		memcpy(__entry->comm, ctx->comm, 16);
		__entry->comm[15] = '\0';
	),
	TP_printk("gpu%u channel %u engine %u ctx %llu pid %d prio %u at %llu cycles %llu bytes %llu fills %llu fence %llu:%llu deps %s comm %s",
		  __entry->dev, __entry->chan, __entry->engine, __entry->ctx, __entry->pid,
		  __entry->prio, __entry->now_ns, __entry->cycles, __entry->bytes,
		  __entry->fills, __entry->fctx, __entry->fseq,
		  __print_array(__get_dynamic_array(deps),
				__get_dynamic_array_len(deps) / sizeof(u64), sizeof(u64)),
		  __entry->comm)
);

/* A submitted job's finished fence is about to signal (nvgtrace record). */
TRACE_EVENT(nvghost_job_signal,
	TP_PROTO(u32 dev, const struct dma_fence *done, u64 now_ns, int error),
	TP_ARGS(dev, done, now_ns, error),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u64, fctx)
		__field(u64, fseq)
		__field(u64, now_ns)
		__field(int, error)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->fctx = done->context;
		__entry->fseq = done->seqno;
		__entry->now_ns = now_ns;
		__entry->error = error;
	),
	TP_printk("gpu%u fence %llu:%llu at %llu error %d", __entry->dev, __entry->fctx,
		  __entry->fseq, __entry->now_ns, __entry->error)
);

/* A client's frame: its FRAME_WAIT, and its flip queued (nvgtrace record). */
TRACE_EVENT(nvghost_frame_wait,
	TP_PROTO(u32 dev, u32 hd, s32 pid, u64 now_ns, u64 advised_ns),
	TP_ARGS(dev, hd, pid, now_ns, advised_ns),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u32, head)
		__field(s32, pid)
		__field(u64, now_ns)
		__field(u64, advised_ns)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->head = hd;
		__entry->pid = pid;
		__entry->now_ns = now_ns;
		__entry->advised_ns = advised_ns;
	),
	TP_printk("gpu%u head %u pid %d at %llu advised %llu", __entry->dev, __entry->head,
		  __entry->pid, __entry->now_ns, __entry->advised_ns)
);

TRACE_EVENT(nvghost_present,
	TP_PROTO(u32 dev, u32 hd, s32 pid, u64 now_ns, bool vrr),
	TP_ARGS(dev, hd, pid, now_ns, vrr),
	TP_STRUCT__entry(
		__field(u32, dev)
		__field(u32, head)
		__field(s32, pid)
		__field(u64, now_ns)
		__field(bool, vrr)
	),
	TP_fast_assign(
		__entry->dev = dev;
		__entry->head = hd;
		__entry->pid = pid;
		__entry->now_ns = now_ns;
		__entry->vrr = vrr;
	),
	TP_printk("gpu%u head %u pid %d at %llu vrr %d", __entry->dev, __entry->head,
		  __entry->pid, __entry->now_ns, __entry->vrr)
);

#endif /* _NVGHOST_TRACE_H_ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE nvghost_trace
#include <trace/define_trace.h>
