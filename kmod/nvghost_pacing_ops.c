// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_pacing_ops.c - the nvg_pacing_ops struct_ops type: registration,
 * validation, and the checked calls the display makes into a policy.
 *
 * The same shape as the other hooks (nvghost_sched_ops.c): the answers of
 * flip() and frame_start() are checked against the window the head allows
 * before the display uses them; a bad one ejects the policy and the
 * built-in default (next vblank, no advice) goes on.
 */
#include <linux/bpf.h>
#include <linux/bpf_verifier.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>

#include "nvghost_pacing_ops.h"

/* nvg_ops_check_member() finds the lifecycle ops where every table has them. */
static_assert(offsetof(struct nvg_pacing_ops, init) == NVG_OPS_INIT_OFF);
static_assert(offsetof(struct nvg_pacing_ops, exit) == NVG_OPS_EXIT_OFF);

static const char *const nvg_pacing_op_names[NVG_PACING_NR_OPS] = {
	[NVG_PACING_OP_INIT] = "init",
	[NVG_PACING_OP_EXIT] = "exit",
	[NVG_PACING_OP_FLIP] = "flip",
	[NVG_PACING_OP_VBLANK] = "vblank",
	[NVG_PACING_OP_FRAME_START] = "frame_start",
};

struct nvg_hook nvg_pacing_hook;

/**
 * nvg_pacing_flip() - when should this flip latch?
 * @flip: the flip; @flip->window_end_ns must be set.
 *
 * Any context (the op is not sleepable).
 *
 * Return: a PTIMER time within [@flip->now_ns, @flip->window_end_ns], or
 * 0 for the default (the next vblank).
 */
u64 nvg_pacing_flip(struct nvg_flip *flip)
{
	struct nvg_pacing_ops *ops;
	u64 t = 0;

	rcu_read_lock();
	ops = rcu_dereference(nvg_pacing_hook.ops);
	if (ops) {
		nvg_hook_count(&nvg_pacing_hook, NVG_PACING_OP_FLIP);
		t = ops->flip(flip);
		if (t && t < flip->now_ns) {
			nvg_hook_eject(&nvg_pacing_hook, NVG_EXIT_ERROR_INVALID, "flip", t,
				       "flip() chose latch time %llu, %llu ns in the past (gpu%u head %u)",
				       t, flip->now_ns - t, flip->dev_index, flip->head);
			t = 0;
		} else if (t > flip->window_end_ns) {
			nvg_hook_eject(&nvg_pacing_hook, NVG_EXIT_ERROR_INVALID, "flip", t,
				       "flip() chose latch time %llu, %llu ns beyond the head's window (gpu%u head %u)",
				       t, t - flip->window_end_ns, flip->dev_index, flip->head);
			t = 0;
		}
	}
	rcu_read_unlock();
	return t;
}

void nvg_pacing_vblank(struct nvg_vblank *vblank)
{
	struct nvg_pacing_ops *ops;

	rcu_read_lock();
	ops = rcu_dereference(nvg_pacing_hook.ops);
	if (ops && ops->vblank) {
		nvg_hook_count(&nvg_pacing_hook, NVG_PACING_OP_VBLANK);
		ops->vblank(vblank);
	}
	rcu_read_unlock();
}

/**
 * nvg_pacing_frame_start() - when should this client start its frame?
 * @frame: the request.
 *
 * Return: a PTIMER time not before @frame->now_ns, or 0 for no advice.
 */
u64 nvg_pacing_frame_start(struct nvg_frame *frame)
{
	struct nvg_pacing_ops *ops;
	u64 t = 0;

	rcu_read_lock();
	ops = rcu_dereference(nvg_pacing_hook.ops);
	if (ops && ops->frame_start) {
		nvg_hook_count(&nvg_pacing_hook, NVG_PACING_OP_FRAME_START);
		t = ops->frame_start(frame);
		if (t > frame->now_ns + NVG_PACING_MAX_START_NS) {
			nvg_hook_eject(&nvg_pacing_hook, NVG_EXIT_ERROR_INVALID,
				       "frame_start", t,
				       "frame_start() advised a start %llu ns ahead (at most %llu)",
				       t - frame->now_ns, NVG_PACING_MAX_START_NS);
			t = 0;
		} else if (t && t < frame->now_ns) {
			t = frame->now_ns;	/* a start in the past: now */
		}
	}
	rcu_read_unlock();
	return t;
}

int nvg_pacing_ops_show(struct seq_file *m)
{
	return nvg_hook_show(&nvg_pacing_hook, m);
}

static void nvg_pacing_call_exit(void *kdata, struct nvg_exit_info *ei)
{
	struct nvg_pacing_ops *ops = kdata;

	if (ops->exit) {
		nvg_hook_count(&nvg_pacing_hook, NVG_PACING_OP_EXIT);
		ops->exit(ei);
	}
}

static int nvg_pacing_reg(void *kdata, struct bpf_link *link)
{
	struct nvg_pacing_ops *ops = kdata;

	return nvg_hook_reg(&nvg_pacing_hook, kdata, ops->name, ops->init, NVG_PACING_OP_INIT);
}

static void nvg_pacing_unreg(void *kdata, struct bpf_link *link)
{
	nvg_hook_detach(&nvg_pacing_hook, kdata);
}

/* A pacing policy that does not decide when flips latch is no policy. */
static int nvg_pacing_validate(void *kdata)
{
	struct nvg_pacing_ops *ops = kdata;

	if (!ops->flip) {
		nvg_hook_record(&nvg_pacing_hook, NVG_EXIT_ERROR, "validate", -EINVAL,
				"nvg_pacing_ops.flip() is required");
		return -EINVAL;
	}
	return 0;
}

static int nvg_pacing_init_member(const struct btf_type *t,
				  const struct btf_member *member,
				  void *kdata, const void *udata)
{
	return nvg_ops_init_flags_name(__btf_member_bit_offset(t, member) / 8,
				       offsetof(struct nvg_pacing_ops, flags),
				       offsetof(struct nvg_pacing_ops, name), kdata, udata);
}

/*
 * Which program is one of this hook's, for the kfunc filter
 * (nvghost_dsq.c): its attach target is struct nvg_pacing_ops in the
 * module's BTF, by the id resolve_btfids wrote at build time.
 */
static const struct btf *nvg_pacing_btf;
BTF_ID_LIST_SINGLE(nvg_pacing_ops_btf_id, struct, nvg_pacing_ops)

/**
 * nvg_pacing_prog() - is @prog an op of struct nvg_pacing_ops?
 * @prog: a program being verified.
 */
bool nvg_pacing_prog(const struct bpf_prog *prog)
{
	const struct btf *btf = READ_ONCE(nvg_pacing_btf);

	return prog->type == BPF_PROG_TYPE_STRUCT_OPS && btf &&
	       prog->aux->attach_btf == btf &&
	       prog->aux->attach_btf_id == nvg_pacing_ops_btf_id[0];
}

/* As nvg_sched_bpf_init(): the build-time id must name this struct. */
static int nvg_pacing_bpf_init(struct btf *btf)
{
	const struct btf_type *t = btf_type_by_id(btf, nvg_pacing_ops_btf_id[0]);

	if (!t || !btf_type_is_struct(t) || t->size != sizeof(struct nvg_pacing_ops)) {
		pr_err("nvghost: the module's BTF ids do not match its BTF (relocated?): kfunc permissions cannot be checked\n");
		return -EINVAL;
	}
	WRITE_ONCE(nvg_pacing_btf, btf);
	return 0;
}

/* CFI stubs: one per op, same prototype, never called. */
static s32 nvg_pacing_init_stub(void) { return -EINVAL; }
static void nvg_pacing_exit_stub(struct nvg_exit_info *info) {}
static u64 nvg_pacing_flip_stub(struct nvg_flip *flip) { return 0; }
static void nvg_pacing_vblank_stub(struct nvg_vblank *vblank) {}
static u64 nvg_pacing_frame_start_stub(struct nvg_frame *frame) { return 0; }

static struct nvg_pacing_ops __bpf_ops_nvg_pacing_ops = {
	.init		= nvg_pacing_init_stub,
	.exit		= nvg_pacing_exit_stub,
	.flip		= nvg_pacing_flip_stub,
	.vblank		= nvg_pacing_vblank_stub,
	.frame_start	= nvg_pacing_frame_start_stub,
};

static struct bpf_struct_ops bpf_nvg_pacing_ops = {
	.verifier_ops	= &nvg_ops_verifier_ops,
	.reg		= nvg_pacing_reg,
	.unreg		= nvg_pacing_unreg,
	.check_member	= nvg_ops_check_member,
	.init_member	= nvg_pacing_init_member,
	.init		= nvg_pacing_bpf_init,
	.update		= nvg_ops_update,
	.validate	= nvg_pacing_validate,
	.name		= "nvg_pacing_ops",
	.owner		= THIS_MODULE,
	.cfi_stubs	= &__bpf_ops_nvg_pacing_ops,
};

int nvg_pacing_ops_register(void)
{
	nvg_pacing_hook.name = "pacing";
	nvg_pacing_hook.op_names = nvg_pacing_op_names;
	nvg_pacing_hook.nr_ops = NVG_PACING_NR_OPS;
	nvg_pacing_hook.call_exit = nvg_pacing_call_exit;
	nvg_hook_init(&nvg_pacing_hook);
	return register_bpf_struct_ops(&bpf_nvg_pacing_ops, nvg_pacing_ops);
}
