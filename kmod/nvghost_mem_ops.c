// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_mem_ops.c - the nvg_mem_ops struct_ops type: registration,
 * validation, the built-in default (density prefetch, LRU eviction), the
 * checked calls nvghost_uvm.c makes, and the memory kfuncs.
 *
 * The same shape as nvghost_power_ops.c: init_member validates the data
 * fields, nvg_ops_check_member() keeps sleepable programs to init and
 * exit, update is refused, every op has a CFI stub and every answer is
 * checked before it is used. The kfuncs are in the module's one kfunc set
 * (nvghost_dsq.c), whose filter lets each be called only from the ops this
 * file's table names; at run time they check again that the op calling
 * them is running on this device in this thread.
 */
#include <linux/bpf.h>
#include <linux/bpf_verifier.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>

#include "nvghost_drv.h"
#include "nvghost_mem_ops.h"
#include "nvghost_uvm.h"

static_assert(offsetof(struct nvg_mem_ops, init) == NVG_OPS_INIT_OFF);
static_assert(offsetof(struct nvg_mem_ops, exit) == NVG_OPS_EXIT_OFF);
static_assert(ARRAY_SIZE(((struct nvg_uvm *)0)->cand) == NVG_MEM_MAX_CANDIDATES);

static const char *const nvg_mem_op_names[NVG_MEM_NR_OPS] = {
	[NVG_MEM_OP_INIT] = "init",
	[NVG_MEM_OP_EXIT] = "exit",
	[NVG_MEM_OP_FAULT] = "fault",
	[NVG_MEM_OP_ACCESS] = "access",
	[NVG_MEM_OP_ACTIVATE] = "activate",
	[NVG_MEM_OP_EVICT] = "evict",
};

struct nvg_hook nvg_mem_hook;

/* ---- the built-in default ---- */

/**
 * nvg_mem_density_region() - UVM's density prefetch
 * @resident: the block's resident pages.
 * @faulting: its pages faulting in this batch.
 * @page: the faulting page.
 * @nr_pages: pages in the block.
 *
 * Walks the aligned subregions containing @page, 2 to 32 pages, and
 * returns the largest in which more than 51% of the pages are resident or
 * faulting (just @page if none is): a scan that has touched most of a
 * region gets the rest in one migration.
 *
 * Return: the pages to bring in (@page included).
 */
u32 nvg_mem_density_region(u32 resident, u32 faulting, u32 page, u32 nr_pages)
{
	u32 all = nr_pages >= 32 ? U32_MAX : BIT(nr_pages) - 1;
	u32 present = (resident | faulting | BIT(page)) & all;
	u32 region = BIT(page), size, sub, n;

	for (size = 2; size <= 32; size *= 2) {
		sub = size == 32 ? U32_MAX : (BIT(size) - 1) << (page & ~(size - 1));
		sub &= all;
		n = hweight32(sub);
		if (hweight32(present & sub) * 100 > 51 * n)
			region = sub;
	}
	return region;
}

/* ---- calling the policy ---- */

static void nvg_mem_fill_block(struct nvg_uvm *u, struct nvg_mem_block *b,
			       struct nvg_uvm_block *blk)
{
	b->dev_index = u->ndev->index;
	b->pid = blk->ubo->pid;
	memcpy(b->comm, blk->ubo->comm, sizeof(b->comm));
	b->bo_id = blk->ubo->id;
	b->block = blk->index;
	b->nr_pages = blk->nr_pages;
	b->resident = blk->resident;
	b->in_use = nvg_uvm_block_in_use(u, blk);
	b->faults = blk->faults;
	b->evictions = blk->evictions;
	b->last_ns = blk->last_ns;
}

void nvg_mem_fill_fault(struct nvg_uvm *u, struct nvg_mem_fault *mf,
			struct nvg_uvm_block *blk, u32 page, u32 faulting,
			const struct nvg_hal_fault *f)
{
	memset(mf, 0, sizeof(*mf));
	nvg_mem_fill_block(u, &mf->blk, blk);
	mf->page = page;
	mf->faulting = faulting;
	mf->density = hweight32(blk->resident | faulting) * 1000 / blk->nr_pages;
	mf->access = f->write ? NVG_MEM_ACCESS_WRITE : NVG_MEM_ACCESS_READ;
	mf->engine = f->engine;
	mf->nr_blocks = blk->ubo->nr_blocks;
	mf->va = f->va;
	mf->now_ns = nvg_ptimer_read(u->ndev);
}

/*
 * Start calling @op (if the policy has it): the kfuncs may then act for
 * this device, in this thread. Returns with rcu_read_lock() held if it
 * returns ops.
 */
static struct nvg_mem_ops *nvg_mem_begin(struct nvg_uvm *u, enum nvg_mem_op op)
{
	struct nvg_mem_ops *ops;
	bool has;

	rcu_read_lock();
	ops = rcu_dereference(nvg_mem_hook.ops);
	if (ops) {
		switch (op) {
		case NVG_MEM_OP_FAULT:
			has = ops->fault;
			break;
		case NVG_MEM_OP_ACCESS:
			has = ops->access;
			break;
		case NVG_MEM_OP_ACTIVATE:
			has = ops->activate;
			break;
		case NVG_MEM_OP_EVICT:
			has = ops->evict;
			break;
		default:
			has = false;
			break;
		}
		if (has) {
			nvg_hook_count(&nvg_mem_hook, op);
			u->kf_mask = BIT(op);
			u->kf_task = current;
			return ops;
		}
	}
	rcu_read_unlock();
	return NULL;
}

/* Done calling; true if the policy is still the one that answered. */
static bool nvg_mem_end(struct nvg_uvm *u, struct nvg_mem_ops *ops)
{
	bool alive = rcu_access_pointer(nvg_mem_hook.ops) == ops;

	u->kf_mask = 0;
	u->kf_task = NULL;
	rcu_read_unlock();
	return alive;
}

void nvg_mem_notify_access(struct nvg_uvm *u, struct nvg_uvm_block *blk,
			   struct nvg_mem_fault *mf)
{
	struct nvg_mem_ops *ops = nvg_mem_begin(u, NVG_MEM_OP_ACCESS);

	if (!ops)
		return;
	ops->access(mf);
	nvg_mem_end(u, ops);
}

void nvg_mem_notify_activate(struct nvg_uvm *u, struct nvg_uvm_block *blk)
{
	struct nvg_mem_ops *ops = nvg_mem_begin(u, NVG_MEM_OP_ACTIVATE);
	struct nvg_mem_block b = {};

	if (!ops)
		return;
	nvg_mem_fill_block(u, &b, blk);
	ops->activate(&b);
	nvg_mem_end(u, ops);
}

/**
 * nvg_mem_fault_region() - which pages of @blk come in with the fault
 * @u: the device's managed memory, locked.
 * @blk: the block.
 * @mf: the fault, as the policy sees it.
 *
 * Return: a bitmap of pages, @mf->page included.
 */
u32 nvg_mem_fault_region(struct nvg_uvm *u, struct nvg_uvm_block *blk,
			 struct nvg_mem_fault *mf)
{
	u32 def = nvg_mem_density_region(blk->resident, mf->faulting, mf->page,
					 blk->nr_pages);
	u32 all = blk->nr_pages >= 32 ? U32_MAX : BIT(blk->nr_pages) - 1;
	struct nvg_mem_ops *ops = nvg_mem_begin(u, NVG_MEM_OP_FAULT);
	s64 ret;

	if (!ops)
		return def;
	ret = ops->fault(mf);
	if (!nvg_mem_end(u, ops) || !ret)
		return def;
	if (ret < 0) {
		nvg_hook_eject(&nvg_mem_hook, NVG_EXIT_ERROR_BPF, "fault", ret,
			       "fault() returned error %lld", ret);
		return def;
	}
	if ((u64)ret > U32_MAX || !(ret & BIT(mf->page)) || (ret & ~(s64)all)) {
		nvg_hook_eject(&nvg_mem_hook, NVG_EXIT_ERROR_INVALID, "fault", ret,
			       "fault() chose region 0x%llx for page %u of a %u-page block",
			       ret, mf->page, blk->nr_pages);
		return def;
	}
	return ret;
}

/*
 * The least recently used block not in use; if every resident block is in
 * use (a batch faulting on more blocks than VRAM holds), the least recently
 * used one that is not being migrated: its stalled access faults again
 * after the replay, which is slower but never wrong.
 */
static struct nvg_uvm_block *nvg_mem_lru_victim(struct nvg_uvm *u)
{
	struct nvg_uvm_block *blk;

	list_for_each_entry(blk, &u->lru, lru)
		if (!nvg_uvm_block_in_use(u, blk))
			return blk;
	list_for_each_entry(blk, &u->lru, lru)
		if (!blk->in_use)
			return blk;
	return NULL;
}

/**
 * nvg_mem_choose_victim() - VRAM is full: which block goes
 * @u: the device's managed memory, locked.
 * @for_blk: the block that needs a chunk.
 *
 * Return: a resident block not being migrated, or NULL if there is none.
 */
struct nvg_uvm_block *nvg_mem_choose_victim(struct nvg_uvm *u,
					    struct nvg_uvm_block *for_blk)
{
	struct nvg_uvm_block *def = nvg_mem_lru_victim(u), *blk, *victim = NULL;
	struct nvg_mem_evict *arg = u->evict_arg;
	struct nvg_mem_ops *ops;
	u32 nr = 0;
	s32 ret;

	if (!def)
		return NULL;
	ops = nvg_mem_begin(u, NVG_MEM_OP_EVICT);
	if (!ops)
		return def;
	memset(arg, 0, sizeof(*arg));
	arg->dev_index = u->ndev->index;
	nvg_mem_fill_block(u, &arg->for_blk, for_blk);
	arg->used_bytes = u->used;
	arg->limit_bytes = (u64)READ_ONCE(nvg_uvm_vram_mb) << 20;
	list_for_each_entry(blk, &u->lru, lru) {
		if (nr == NVG_MEM_MAX_CANDIDATES)
			break;
		u->cand[nr] = blk;
		nvg_mem_fill_block(u, &arg->cand[nr++], blk);
	}
	arg->nr = nr;
	u->chosen = NULL;
	ret = ops->evict(arg);
	if (!nvg_mem_end(u, ops))
		return def;
	if (ret < 0) {
		nvg_hook_eject(&nvg_mem_hook, NVG_EXIT_ERROR_BPF, "evict", ret,
			       "evict() returned error %d", ret);
	} else if (ret == NVG_MEM_EVICT_DEFAULT) {
		victim = def;
	} else if (ret == NVG_MEM_EVICT_CHOSEN) {
		victim = u->chosen;
		if (!victim)
			nvg_hook_eject(&nvg_mem_hook, NVG_EXIT_ERROR_INVALID, "evict", ret,
				       "evict() answered CHOSEN without nvg_mem_evict_block()");
	} else if (ret < nr) {
		victim = u->cand[ret];
		if (nvg_uvm_block_in_use(u, victim)) {
			nvg_hook_eject(&nvg_mem_hook, NVG_EXIT_ERROR_INVALID, "evict", ret,
				       "evict() chose candidate %d, block %u of buffer %llu, which is in use (serviced in this fault batch)",
				       ret, victim->index, victim->ubo->id);
			victim = NULL;
		}
	} else {
		nvg_hook_eject(&nvg_mem_hook, NVG_EXIT_ERROR_INVALID, "evict", ret,
			       "evict() returned %d; there are %u candidates", ret, nr);
	}
	u->chosen = NULL;
	return victim ?: def;
}

/**
 * nvg_mem_watchdog() - a fault waited too long under a policy
 * @u: the device's managed memory, locked.
 * @f: a fault just serviced or cancelled.
 *
 * A fault that took longer than sched_watchdog_ms of device time to
 * service, while a policy is attached, ejects it: its prefetches and
 * evictions are what made the batch slow.
 */
void nvg_mem_watchdog(struct nvg_uvm *u, const struct nvg_hal_fault *f)
{
	u64 waited, limit = (u64)READ_ONCE(nvg_sched_watchdog_ms) * NSEC_PER_MSEC;

	if (!rcu_access_pointer(nvg_mem_hook.ops))
		return;
	waited = nvg_ptimer_read(u->ndev) - f->time;
	if (waited > limit)
		nvg_hook_eject(&nvg_mem_hook, NVG_EXIT_ERROR_STALL, "fault", waited / NSEC_PER_MSEC,
			       "a fault at 0x%llx waited %llu ms (watchdog %u ms)", f->va,
			       waited / NSEC_PER_MSEC, nvg_sched_watchdog_ms);
}

/* ---- kfuncs ---- */

/*
 * The device's managed memory, if an op allowed to call @kfunc (@mask) runs
 * for it in this thread; otherwise the policy is ejected.
 */
static struct nvg_uvm *nvg_mem_kf(u32 dev_index, u32 mask, const char *kfunc)
{
	struct nvg_device *ndev = NULL;
	struct nvg_uvm *u;

	if (dev_index < NVG_MAX_GPUS)
		ndev = READ_ONCE(nvg_devs_by_index[array_index_nospec(dev_index, NVG_MAX_GPUS)]);
	u = ndev ? ndev->uvm : NULL;
	if (u && u->kf_task == current && (u->kf_mask & mask))
		return u;
	nvg_hook_eject(&nvg_mem_hook, NVG_EXIT_ERROR_BPF, kfunc, dev_index,
		       "%s() called for gpu%u outside an op that may call it", kfunc, dev_index);
	return NULL;
}

__bpf_kfunc_start_defs();

/**
 * nvg_mem_prefetch() - migrate pages of a block after this fault batch
 * @dev_index: the device.
 * @bo_id: the buffer (&struct nvg_mem_block.bo_id).
 * @block: the block in it.
 * @pages: bitmap of its pages.
 *
 * From @fault only. The migration runs once the batch's faults are
 * serviced and replayed, as UVM's prefetches do; up to 16 per batch. A
 * buffer or block that does not exist, or pages beyond the block, eject
 * the policy.
 *
 * Return: 0, -EBUSY if 16 are queued already, -EINVAL (ejected).
 */
__bpf_kfunc s32 nvg_mem_prefetch(u32 dev_index, u64 bo_id, u32 block, u32 pages)
{
	struct nvg_uvm *u = nvg_mem_kf(dev_index, BIT(NVG_MEM_OP_FAULT), "nvg_mem_prefetch");
	struct nvg_uvm_block *blk;
	u32 all;

	if (!u)
		return -EINVAL;
	blk = nvg_uvm_find_block(u, bo_id, block);
	all = blk && blk->nr_pages < 32 ? BIT(blk->nr_pages) - 1 : U32_MAX;
	if (!blk || !pages || (pages & ~all)) {
		nvg_hook_eject(&nvg_mem_hook, NVG_EXIT_ERROR_INVALID, "fault", pages,
			       "%s(): buffer %llu block %u pages 0x%x does not exist",
			       __func__, bo_id, block, pages);
		return -EINVAL;
	}
	if (u->nr_prefetch == ARRAY_SIZE(u->prefetch))
		return -EBUSY;
	u->prefetch[u->nr_prefetch].bo_id = bo_id;
	u->prefetch[u->nr_prefetch].block = block;
	u->prefetch[u->nr_prefetch].pages = pages;
	u->nr_prefetch++;
	return 0;
}

/**
 * nvg_mem_lru_move() - reorder the eviction list
 * @dev_index: the device.
 * @bo_id: the buffer.
 * @block: the block.
 * @hot: true: most recently used (evicted last); false: evicted next.
 *
 * From @access and @activate.
 *
 * Return: 0, or -ENOENT if the block holds no VRAM (nothing to move).
 */
__bpf_kfunc s32 nvg_mem_lru_move(u32 dev_index, u64 bo_id, u32 block, bool hot)
{
	struct nvg_uvm *u = nvg_mem_kf(dev_index, BIT(NVG_MEM_OP_ACCESS) |
				       BIT(NVG_MEM_OP_ACTIVATE), "nvg_mem_lru_move");
	struct nvg_uvm_block *blk;

	if (!u)
		return -EINVAL;
	blk = nvg_uvm_find_block(u, bo_id, block);
	if (!blk || list_empty(&blk->chunk))
		return -ENOENT;
	if (hot)
		list_move_tail(&blk->lru, &u->lru);
	else
		list_move(&blk->lru, &u->lru);
	return 0;
}

/**
 * nvg_mem_evict_block() - name the block @evict evicts
 * @dev_index: the device.
 * @bo_id: the buffer.
 * @block: the block; it must be resident and not in use.
 *
 * From @evict, which then returns NVG_MEM_EVICT_CHOSEN. A block that does
 * not exist, holds no VRAM or is in use (nvg_uvm_block_in_use()) ejects
 * the policy.
 *
 * Return: 0, or -EINVAL (ejected).
 */
__bpf_kfunc s32 nvg_mem_evict_block(u32 dev_index, u64 bo_id, u32 block)
{
	struct nvg_uvm *u = nvg_mem_kf(dev_index, BIT(NVG_MEM_OP_EVICT), "nvg_mem_evict_block");
	struct nvg_uvm_block *blk;

	if (!u)
		return -EINVAL;
	blk = nvg_uvm_find_block(u, bo_id, block);
	if (!blk || list_empty(&blk->chunk) || nvg_uvm_block_in_use(u, blk)) {
		nvg_hook_eject(&nvg_mem_hook, NVG_EXIT_ERROR_INVALID, "evict", block,
			       "%s(): buffer %llu block %u %s", __func__, bo_id, block,
			       !blk ? "does not exist" : list_empty(&blk->chunk) ?
			       "is not resident" :
			       "is in use (serviced in this fault batch)");
		return -EINVAL;
	}
	u->chosen = blk;
	return 0;
}

__bpf_kfunc_end_defs();

/* ---- struct_ops ---- */

int nvg_mem_ops_show(struct seq_file *m)
{
	return nvg_hook_show(&nvg_mem_hook, m);
}

static void nvg_mem_call_exit(void *kdata, struct nvg_exit_info *ei)
{
	struct nvg_mem_ops *ops = kdata;

	if (ops->exit) {
		nvg_hook_count(&nvg_mem_hook, NVG_MEM_OP_EXIT);
		ops->exit(ei);
	}
}

static int nvg_mem_reg(void *kdata, struct bpf_link *link)
{
	struct nvg_mem_ops *ops = kdata;

	return nvg_hook_reg(&nvg_mem_hook, kdata, ops->name, ops->init, NVG_MEM_OP_INIT);
}

static void nvg_mem_unreg(void *kdata, struct bpf_link *link)
{
	nvg_hook_detach(&nvg_mem_hook, kdata);
}

/* A memory policy must decide something. */
static int nvg_mem_validate(void *kdata)
{
	struct nvg_mem_ops *ops = kdata;

	if (!ops->fault && !ops->access && !ops->activate && !ops->evict) {
		nvg_hook_record(&nvg_mem_hook, NVG_EXIT_ERROR, "validate", -EINVAL,
				"nvg_mem_ops needs at least one of fault, access, activate, evict");
		return -EINVAL;
	}
	return 0;
}

static int nvg_mem_init_member(const struct btf_type *t, const struct btf_member *member,
			       void *kdata, const void *udata)
{
	return nvg_ops_init_flags_name(__btf_member_bit_offset(t, member) / 8,
				       offsetof(struct nvg_mem_ops, flags),
				       offsetof(struct nvg_mem_ops, name), kdata, udata);
}

static const struct btf *nvg_mem_btf;
BTF_ID_LIST_SINGLE(nvg_mem_ops_btf_id, struct, nvg_mem_ops)

/**
 * nvg_mem_prog_op() - which op of struct nvg_mem_ops @prog is
 * @prog: a program being verified.
 *
 * Return: its &enum nvg_mem_op, or -ENOENT.
 */
int nvg_mem_prog_op(const struct bpf_prog *prog)
{
	const struct btf *btf = READ_ONCE(nvg_mem_btf);
	const struct btf_member *member;
	const struct btf_type *t;

	if (prog->type != BPF_PROG_TYPE_STRUCT_OPS || !btf ||
	    prog->aux->attach_btf != btf ||
	    prog->aux->attach_btf_id != nvg_mem_ops_btf_id[0])
		return -ENOENT;
	t = btf_type_by_id(btf, nvg_mem_ops_btf_id[0]);
	if (prog->expected_attach_type >= btf_type_vlen(t))
		return -ENOENT;
	member = btf_type_member(t) + prog->expected_attach_type;
	switch (__btf_member_bit_offset(t, member) / 8) {
	case offsetof(struct nvg_mem_ops, init):	return NVG_MEM_OP_INIT;
	case offsetof(struct nvg_mem_ops, exit):	return NVG_MEM_OP_EXIT;
	case offsetof(struct nvg_mem_ops, fault):	return NVG_MEM_OP_FAULT;
	case offsetof(struct nvg_mem_ops, access):	return NVG_MEM_OP_ACCESS;
	case offsetof(struct nvg_mem_ops, activate):	return NVG_MEM_OP_ACTIVATE;
	case offsetof(struct nvg_mem_ops, evict):	return NVG_MEM_OP_EVICT;
	}
	return -ENOENT;
}

static int nvg_mem_bpf_init(struct btf *btf)
{
	const struct btf_type *t = btf_type_by_id(btf, nvg_mem_ops_btf_id[0]);

	if (!t || !btf_type_is_struct(t) || t->size != sizeof(struct nvg_mem_ops)) {
		pr_err("nvghost: the module's BTF ids do not match its BTF (relocated?): kfunc permissions cannot be checked\n");
		return -EINVAL;
	}
	WRITE_ONCE(nvg_mem_btf, btf);
	return 0;
}

/* CFI stubs: one per op, same prototype, never called. */
static s32 nvg_mem_init_stub(void) { return -EINVAL; }
static void nvg_mem_exit_stub(struct nvg_exit_info *info) {}
static s64 nvg_mem_fault_stub(struct nvg_mem_fault *fault) { return -EINVAL; }
static void nvg_mem_access_stub(struct nvg_mem_fault *fault) {}
static void nvg_mem_activate_stub(struct nvg_mem_block *blk) {}
static s32 nvg_mem_evict_stub(struct nvg_mem_evict *evict) { return -EINVAL; }

static struct nvg_mem_ops __bpf_ops_nvg_mem_ops = {
	.init		= nvg_mem_init_stub,
	.exit		= nvg_mem_exit_stub,
	.fault		= nvg_mem_fault_stub,
	.access		= nvg_mem_access_stub,
	.activate	= nvg_mem_activate_stub,
	.evict		= nvg_mem_evict_stub,
};

static struct bpf_struct_ops bpf_nvg_mem_ops = {
	.verifier_ops	= &nvg_ops_verifier_ops,
	.reg		= nvg_mem_reg,
	.unreg		= nvg_mem_unreg,
	.check_member	= nvg_ops_check_member,
	.init_member	= nvg_mem_init_member,
	.init		= nvg_mem_bpf_init,
	.update		= nvg_ops_update,
	.validate	= nvg_mem_validate,
	.name		= "nvg_mem_ops",
	.owner		= THIS_MODULE,
	.cfi_stubs	= &__bpf_ops_nvg_mem_ops,
};

int nvg_mem_ops_register(void)
{
	nvg_mem_hook.name = "mem";
	nvg_mem_hook.op_names = nvg_mem_op_names;
	nvg_mem_hook.nr_ops = NVG_MEM_NR_OPS;
	nvg_mem_hook.call_exit = nvg_mem_call_exit;
	nvg_hook_init(&nvg_mem_hook);
	return register_bpf_struct_ops(&bpf_nvg_mem_ops, nvg_mem_ops);
}
