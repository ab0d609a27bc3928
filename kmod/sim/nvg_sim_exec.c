// SPDX-License-Identifier: GPL-2.0
/*
 * nvg_sim_exec.c - the simulated engines execute pushbuffers.
 *
 * The engine fetches the job's pushbuffer from VRAM and decodes it with the
 * same parser the driver validated it with (nvghost_pb.c), then performs
 * each operation: data really moves, through the MMU. Time is modelled: each
 * operation costs GPU time from the chip's clock and bandwidths, and the
 * engine does not finish a chunk before its modelled time has passed. So a
 * copy of 1 MiB takes about as long as on the modelled board whatever the
 * host's speed (unless the host is slower, which only makes it longer).
 *
 * Work is split into chunks of at most NVG_SIM_CHUNK bytes; between chunks
 * the engine checks for RESET, which is also where a later preemption will
 * stop a job.
 */
#include <linux/delay.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "nvg_sim_priv.h"
#include "../nvghost_pb.h"
#include "../nvghost_regs.h"

#define NVG_SIM_CHUNK		(256 * 1024)
#define NVG_SIM_BOUNCE		4096
/* How often a semaphore acquire looks at memory again. */
#define NVG_SIM_POLL_US		20
/* Fixed cost of an operation: method decode, semaphore write. */
#define NVG_SIM_OP_NS		500

/* One job's execution. */
struct nvg_sim_run {
	struct nvg_sim_engine *e;
	u64 start_ns;		/* host time the job started */
	u64 model_ns;		/* modelled GPU time spent so far */
	u64 fault_va;
	u8 *src;		/* bounce buffers, NVG_SIM_BOUNCE each */
	u8 *dst;
};

static bool nvg_sim_aborted(struct nvg_sim_run *r)
{
	return READ_ONCE(r->e->abort);
}

/* Let host time catch up with the model, then see if we were reset. */
static int nvg_sim_pace(struct nvg_sim_run *r, u64 cost_ns)
{
	u64 now, due;

	r->model_ns += cost_ns;
	due = r->start_ns + r->model_ns;
	now = ktime_get_ns();
	if (due > now + 20 * NSEC_PER_USEC)
		usleep_range((due - now) / NSEC_PER_USEC,
			     (due - now) / NSEC_PER_USEC + 10);
	else
		cond_resched();
	return nvg_sim_aborted(r) ? -EINTR : 0;
}

/* Transfer time for @bytes: VRAM bandwidth, or PCIe if system memory is
 * involved. GB/s is bytes per ns.
 */
static u64 nvg_sim_xfer_ns(struct nvg_sim_run *r, u64 bytes, bool sysmem)
{
	const struct nvg_chip *chip = r->e->sim->chip;

	return div_u64(bytes, sysmem ? chip->pcie_gbps : chip->vram_gbps);
}

static int nvg_sim_rw(struct nvg_sim_run *r, u64 va, void *buf, u32 len,
		      bool write)
{
	struct nvg_sim_engine *e = r->e;

	if (e->active_inject & NVG_SIM_INJECT_FAULT) {
		r->fault_va = va;
		return -EFAULT;
	}
	return nvg_sim_mmu_access(e->sim, e->pdb, va, buf, len, write, &r->fault_va);
}

/* One remapped element: @src (num_src components) to @dst (num_dst). */
static void nvg_sim_remap_elem(const struct nvg_pb_remap *rm, const u8 *src, u8 *dst)
{
	u32 c, sz = rm->component_size;

	for (c = 0; c < rm->num_dst; c++) {
		u32 sel = rm->dst[c];
		u8 *d = dst + c * sz;

		if (sel < 4)
			memcpy(d, src + sel * sz, sz);
		else if (sel == NVG_REMAP_CONST_A)
			memcpy(d, &rm->const_a, sz);	/* little endian */
		else if (sel == NVG_REMAP_CONST_B)
			memcpy(d, &rm->const_b, sz);
		/* NO_WRITE: @dst already holds what memory holds */
	}
}

/* Copy one line, plain or remapped, through the bounce buffers. */
static int nvg_sim_copy_line(struct nvg_sim_run *r, const struct nvg_pb_copy *c,
			     u64 src, u64 dst)
{
	const struct nvg_pb_remap *rm = &c->remap_cfg;
	u32 src_el = c->remap ? rm->num_src * rm->component_size : 1;
	u32 dst_el = c->remap ? rm->num_dst * rm->component_size : 1;
	u32 per = NVG_SIM_BOUNCE / max(src_el, dst_el);
	u64 done = 0, elems = c->line_len, since_pace = 0;
	int ret;

	while (done < elems) {
		u32 n = min_t(u64, per, elems - done), i;

		if (c->src_bytes_per_line) {
			ret = nvg_sim_rw(r, src + done * src_el, r->src, n * src_el, false);
			if (ret)
				return ret;
		}
		if (!c->remap) {
			memcpy(r->dst, r->src, n);
		} else {
			/* Read first: NO_WRITE components keep memory's bytes. */
			ret = nvg_sim_rw(r, dst + done * dst_el, r->dst, n * dst_el, false);
			if (ret)
				return ret;
			for (i = 0; i < n; i++)
				nvg_sim_remap_elem(rm, r->src + i * src_el, r->dst + i * dst_el);
		}
		ret = nvg_sim_rw(r, dst + done * dst_el, r->dst, n * dst_el, true);
		if (ret)
			return ret;
		done += n;
		since_pace += n * dst_el;
		if (since_pace >= NVG_SIM_CHUNK) {
			ret = nvg_sim_pace(r, nvg_sim_xfer_ns(r, since_pace, false));
			if (ret)
				return ret;
			since_pace = 0;
		}
	}
	return since_pace ? nvg_sim_pace(r, nvg_sim_xfer_ns(r, since_pace, false)) : 0;
}

static int nvg_sim_do_copy(struct nvg_sim_run *r, const struct nvg_pb_copy *c)
{
	u32 line;
	int ret;

	for (line = 0; line < c->line_count; line++) {
		ret = nvg_sim_copy_line(r, c, c->src_va + (u64)line * c->pitch_in,
					c->dst_va + (u64)line * c->pitch_out);
		if (ret)
			return ret;
	}
	return 0;
}

static int nvg_sim_do_fill(struct nvg_sim_run *r, u64 va, u64 size, u32 value)
{
	u64 done = 0, since_pace = 0;
	u32 i;
	int ret;

	for (i = 0; i < NVG_SIM_BOUNCE / 4; i++)
		((u32 *)r->dst)[i] = value;
	while (done < size) {
		u32 n = min_t(u64, NVG_SIM_BOUNCE, size - done);

		ret = nvg_sim_rw(r, va + done, r->dst, n, true);
		if (ret)
			return ret;
		done += n;
		since_pace += n;
		if (since_pace >= NVG_SIM_CHUNK || done == size) {
			ret = nvg_sim_pace(r, nvg_sim_xfer_ns(r, since_pace, false));
			if (ret)
				return ret;
			since_pace = 0;
		}
	}
	return 0;
}

static int nvg_sim_do_checksum(struct nvg_sim_run *r, u64 va, u64 size, u64 result_va)
{
	u32 sum = NVG_FNV1A32_INIT;
	u64 done = 0, since_pace = 0;
	int ret;

	while (done < size) {
		u32 n = min_t(u64, NVG_SIM_BOUNCE, size - done);

		ret = nvg_sim_rw(r, va + done, r->src, n, false);
		if (ret)
			return ret;
		sum = nvg_fnv1a32(r->src, n, sum);
		done += n;
		since_pace += n;
		if (since_pace >= NVG_SIM_CHUNK || done == size) {
			ret = nvg_sim_pace(r, nvg_sim_xfer_ns(r, since_pace, false));
			if (ret)
				return ret;
			since_pace = 0;
		}
	}
	return nvg_sim_rw(r, result_va, &sum, sizeof(sum), true);
}

static u64 nvg_sim_ptimer(struct nvg_sim *sim)
{
	return nvg_sim_time(sim);
}

static int nvg_sim_do_release(struct nvg_sim_run *r, const struct nvg_pb_sem_release *s)
{
	u8 buf[16] = {};
	u64 ts;

	memcpy(buf, &s->payload, s->size);
	if (s->timestamp) {
		ts = nvg_sim_ptimer(r->e->sim);
		memcpy(buf + 8, &ts, sizeof(ts));
	}
	return nvg_sim_rw(r, s->va, buf, s->timestamp ? 16 : s->size, true);
}

/* Wait until the semaphore satisfies the condition, or a RESET. */
static int nvg_sim_do_acquire(struct nvg_sim_run *r, const struct nvg_pb_sem_acquire *s)
{
	u64 mask = s->size == 4 ? 0xffffffffULL : ~0ULL;
	int ret;

	for (;;) {
		u64 v = 0;

		ret = nvg_sim_rw(r, s->va, &v, s->size, false);
		if (ret)
			return ret;
		v &= mask;
		if (s->cond == NVG_PB_SEM_EQ ? v == (s->payload & mask) :
					       v >= (s->payload & mask))
			return 0;
		if (nvg_sim_aborted(r))
			return -EINTR;
		usleep_range(NVG_SIM_POLL_US, 2 * NVG_SIM_POLL_US);
		/* Waiting is not work: restart the model clock after it. */
		r->start_ns = ktime_get_ns() - r->model_ns;
	}
}

static int nvg_sim_do_op(struct nvg_sim_run *r, const struct nvg_pb_op *op)
{
	const struct nvg_chip *chip = r->e->sim->chip;
	int ret;

	switch (op->kind) {
	case NVG_PB_OP_COPY:
		return nvg_sim_do_copy(r, &op->copy);
	case NVG_PB_OP_FILL:
		return nvg_sim_do_fill(r, op->fill.va, op->fill.size, op->fill.value);
	case NVG_PB_OP_CHECKSUM:
		return nvg_sim_do_checksum(r, op->checksum.va, op->checksum.size,
					   op->checksum.result_va);
	case NVG_PB_OP_SEM_RELEASE:
		ret = nvg_sim_do_release(r, &op->release);
		return ret ?: nvg_sim_pace(r, NVG_SIM_OP_NS);
	case NVG_PB_OP_SEM_ACQUIRE:
		return nvg_sim_do_acquire(r, &op->acquire);
	case NVG_PB_OP_BUSY: {
		/* cycles at the clock, paced in chunks of ~100 us */
		u64 ns = mul_u64_u32_div(op->busy.cycles, 1000, chip->gpc_mhz), step;

		while (ns) {
			step = min_t(u64, ns, 100 * NSEC_PER_USEC);
			ret = nvg_sim_pace(r, step);
			if (ret)
				return ret;
			ns -= step;
		}
		return 0;
	}
	default:
		/* INTERRUPT, WFI: the engine is in order, nothing to wait for */
		return nvg_sim_pace(r, NVG_SIM_OP_NS);
	}
}

/* Fetch the pushbuffer from VRAM, decode it, and perform every operation. */
static u32 nvg_sim_run_pb(struct nvg_sim_run *r, u32 *pb, struct nvg_pb_parser *p)
{
	struct nvg_sim_engine *e = r->e;
	struct nvg_pb_error err;
	struct nvg_pb_op op;
	u64 off, bytes = (u64)e->pb_len * 4;
	int ret;

	for (off = 0; off < bytes; off += NVG_SIM_BOUNCE - (off & (NVG_SIM_BOUNCE - 1))) {
		u32 n = min_t(u64, bytes - off, NVG_SIM_BOUNCE - ((e->pb_addr + off) & (NVG_SIM_BOUNCE - 1)));

		if (nvg_sim_vram_rw(e->sim, e->pb_addr + off, (u8 *)pb + off, n, false))
			return NVG_SIM_RESULT_BAD_PB;
	}

	nvg_pb_parser_init(p, e->class_id);
	nvg_pb_parser_segment(p, pb, e->pb_len);
	for (;;) {
		ret = nvg_pb_parser_next(p, &op, &err);
		if (ret == 0)
			return NVG_SIM_RESULT_OK;
		if (ret < 0)
			return NVG_SIM_RESULT_BAD_PB;
		ret = nvg_sim_do_op(r, &op);
		if (ret == -EINTR)
			return NVG_SIM_RESULT_ABORTED;
		if (ret)
			return NVG_SIM_RESULT_FAULT;
	}
}

/**
 * nvg_sim_exec_work() - an engine runs its current pushbuffer job
 * @work: the engine's exec_work.
 */
void nvg_sim_exec_work(struct work_struct *work)
{
	struct nvg_sim_engine *e = container_of(work, struct nvg_sim_engine, exec_work);
	struct nvg_sim_run r = { .e = e, .start_ns = ktime_get_ns() };
	struct nvg_pb_parser *p;
	u32 result = NVG_SIM_RESULT_BAD_PB;
	u32 *pb;

	if (e->active_inject & NVG_SIM_INJECT_HANG) {
		/* A hung engine makes no progress until it is reset. */
		while (!nvg_sim_aborted(&r))
			msleep(5);
		nvg_sim_engine_finish(e, NVG_SIM_RESULT_ABORTED, 0);
		return;
	}

	pb = kvmalloc_array(e->pb_len, sizeof(u32), GFP_KERNEL);
	p = kmalloc(sizeof(*p), GFP_KERNEL);
	r.src = kmalloc(NVG_SIM_BOUNCE, GFP_KERNEL);
	r.dst = kmalloc(NVG_SIM_BOUNCE, GFP_KERNEL);
	if (pb && p && r.src && r.dst)
		result = nvg_sim_run_pb(&r, pb, p);
	kfree(r.dst);
	kfree(r.src);
	kfree(p);
	kvfree(pb);
	nvg_sim_engine_finish(e, result, r.fault_va);
}
