// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_power_ops.c - the nvg_power_ops struct_ops type: registration,
 * validation, and the checked call the power governor makes each period.
 *
 * The same shape as nvghost_sched_ops.c: init_member validates data fields,
 * the framework's nvg_ops_check_member() keeps sleepable programs to init
 * and exit (select() runs under devfreq's locks), validate refuses
 * a policy without the required op, update is refused, every op has a CFI
 * stub, and every answer is checked before it is used. client_key()
 * (who the period's per-client table counts) is asked while the governor
 * fills the period in, before select().
 */
#include <linux/bpf.h>
#include <linux/bpf_verifier.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>

#include "nvghost_power_ops.h"

/* nvg_ops_check_member() finds the lifecycle ops where every table has them. */
static_assert(offsetof(struct nvg_power_ops, init) == NVG_OPS_INIT_OFF);
static_assert(offsetof(struct nvg_power_ops, exit) == NVG_OPS_EXIT_OFF);

static const char *const nvg_power_op_names[NVG_POWER_NR_OPS] = {
	[NVG_POWER_OP_INIT] = "init",
	[NVG_POWER_OP_EXIT] = "exit",
	[NVG_POWER_OP_SELECT] = "select",
	[NVG_POWER_OP_CLIENT_KEY] = "client_key",
};

struct nvg_hook nvg_power_hook;

bool nvg_power_attached(void)
{
	return rcu_access_pointer(nvg_power_hook.ops);
}

/**
 * nvg_power_select() - ask the attached policy for the next p-state
 * @period: the period that ended; @period->max_pstate bounds the answer.
 * @pstate: set to the p-state to run in, clamped to @period->max_pstate.
 *
 * Any context that may not sleep is fine (the op is not sleepable).
 *
 * Return: 0 if the policy answered, -ENOENT if none is attached (the
 * caller's built-in default decides), -EINVAL if its answer was invalid
 * (it is being ejected; the default decides).
 */
int nvg_power_select(struct nvg_power_period *period, u32 *pstate)
{
	struct nvg_power_ops *ops;
	int ret = -ENOENT;
	s32 ps;

	rcu_read_lock();
	ops = rcu_dereference(nvg_power_hook.ops);
	if (ops) {
		nvg_hook_count(&nvg_power_hook, NVG_POWER_OP_SELECT);
		ps = ops->select(period);
		if (ps < 0 || ps >= period->nr_pstates) {
			nvg_hook_eject(&nvg_power_hook, ps < 0 ? NVG_EXIT_ERROR_BPF :
					NVG_EXIT_ERROR_INVALID, "select", ps,
				       ps < 0 ? "select() returned error %d" :
				       "select() chose p-state %d; gpu%u has 0..%u",
				       ps, period->dev_index, period->nr_pstates - 1);
			ret = -EINVAL;
		} else {
			*pstate = min_t(u32, ps, period->max_pstate);
			ret = 0;
		}
	}
	rcu_read_unlock();
	return ret;
}

/**
 * nvg_power_client_key() - the client of the period's table @src counts for
 * @src: the source, @src->dflt its built-in key.
 *
 * Any context that may not sleep is fine (the op is not sleepable).
 *
 * Return: the attached policy's key if it has ops.client_key() and its
 * answer is valid (0: not counted), else @src->dflt. An invalid answer
 * ejects the policy.
 */
u32 nvg_power_client_key(struct nvg_power_source *src)
{
	struct nvg_power_ops *ops;
	u32 key = src->dflt;
	s64 ret;

	rcu_read_lock();
	ops = rcu_dereference(nvg_power_hook.ops);
	if (ops && ops->client_key) {
		struct nvg_power_source s = *src;	/* the policy's alone */

		nvg_hook_count(&nvg_power_hook, NVG_POWER_OP_CLIENT_KEY);
		ret = ops->client_key(&s);
		if (ret < 0 || ret > U32_MAX)
			nvg_hook_eject(&nvg_power_hook, ret < 0 ? NVG_EXIT_ERROR_BPF :
				       NVG_EXIT_ERROR_INVALID, "client_key", ret,
				       ret < 0 ? "client_key() returned error %lld" :
				       "client_key() returned key %lld; keys are 0..4294967295",
				       ret);
		else
			key = ret;
	}
	rcu_read_unlock();
	return key;
}

int nvg_power_ops_show(struct seq_file *m)
{
	return nvg_hook_show(&nvg_power_hook, m);
}

static void nvg_power_call_exit(void *kdata, struct nvg_exit_info *ei)
{
	struct nvg_power_ops *ops = kdata;

	if (ops->exit) {
		nvg_hook_count(&nvg_power_hook, NVG_POWER_OP_EXIT);
		ops->exit(ei);
	}
}

static int nvg_power_reg(void *kdata, struct bpf_link *link)
{
	struct nvg_power_ops *ops = kdata;

	return nvg_hook_reg(&nvg_power_hook, kdata, ops->name, ops->init, NVG_POWER_OP_INIT);
}

static void nvg_power_unreg(void *kdata, struct bpf_link *link)
{
	nvg_hook_detach(&nvg_power_hook, kdata);
}

/* A power policy that cannot choose a p-state is no policy. */
static int nvg_power_validate(void *kdata)
{
	struct nvg_power_ops *ops = kdata;

	if (!ops->select) {
		nvg_hook_record(&nvg_power_hook, NVG_EXIT_ERROR, "validate", -EINVAL,
				"nvg_power_ops.select() is required");
		return -EINVAL;
	}
	return 0;
}

static int nvg_power_init_member(const struct btf_type *t,
				 const struct btf_member *member,
				 void *kdata, const void *udata)
{
	return nvg_ops_init_flags_name(__btf_member_bit_offset(t, member) / 8,
				       offsetof(struct nvg_power_ops, flags),
				       offsetof(struct nvg_power_ops, name), kdata, udata);
}

/*
 * Which program is one of this hook's, for the kfunc filter
 * (nvghost_dsq.c): its attach target is struct nvg_power_ops in the
 * module's BTF, by the id resolve_btfids wrote at build time.
 */
static const struct btf *nvg_power_btf;
BTF_ID_LIST_SINGLE(nvg_power_ops_btf_id, struct, nvg_power_ops)

/**
 * nvg_power_prog() - is @prog an op of struct nvg_power_ops?
 * @prog: a program being verified.
 */
bool nvg_power_prog(const struct bpf_prog *prog)
{
	const struct btf *btf = READ_ONCE(nvg_power_btf);

	return prog->type == BPF_PROG_TYPE_STRUCT_OPS && btf &&
	       prog->aux->attach_btf == btf &&
	       prog->aux->attach_btf_id == nvg_power_ops_btf_id[0];
}

/* As nvg_sched_bpf_init(): the build-time id must name this struct. */
static int nvg_power_bpf_init(struct btf *btf)
{
	const struct btf_type *t = btf_type_by_id(btf, nvg_power_ops_btf_id[0]);

	if (!t || !btf_type_is_struct(t) || t->size != sizeof(struct nvg_power_ops)) {
		pr_err("nvghost: the module's BTF ids do not match its BTF (relocated?): kfunc permissions cannot be checked\n");
		return -EINVAL;
	}
	WRITE_ONCE(nvg_power_btf, btf);
	return 0;
}

/* CFI stubs: one per op, same prototype, never called. */
static s32 nvg_power_init_stub(void) { return -EINVAL; }
static void nvg_power_exit_stub(struct nvg_exit_info *info) {}
static s32 nvg_power_select_stub(struct nvg_power_period *period) { return -EINVAL; }
static s64 nvg_power_client_key_stub(struct nvg_power_source *src) { return -EINVAL; }

static struct nvg_power_ops __bpf_ops_nvg_power_ops = {
	.init		= nvg_power_init_stub,
	.exit		= nvg_power_exit_stub,
	.select		= nvg_power_select_stub,
	.client_key	= nvg_power_client_key_stub,
};

static struct bpf_struct_ops bpf_nvg_power_ops = {
	.verifier_ops	= &nvg_ops_verifier_ops,
	.reg		= nvg_power_reg,
	.unreg		= nvg_power_unreg,
	.check_member	= nvg_ops_check_member,
	.init_member	= nvg_power_init_member,
	.init		= nvg_power_bpf_init,
	.update		= nvg_ops_update,
	.validate	= nvg_power_validate,
	.name		= "nvg_power_ops",
	.owner		= THIS_MODULE,
	.cfi_stubs	= &__bpf_ops_nvg_power_ops,
};

int nvg_power_ops_register(void)
{
	nvg_power_hook.name = "power";
	nvg_power_hook.op_names = nvg_power_op_names;
	nvg_power_hook.nr_ops = NVG_POWER_NR_OPS;
	nvg_power_hook.call_exit = nvg_power_call_exit;
	nvg_hook_init(&nvg_power_hook);
	return register_bpf_struct_ops(&bpf_nvg_power_ops, nvg_power_ops);
}
