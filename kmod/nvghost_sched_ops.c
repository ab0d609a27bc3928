// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_sched_ops.c - the nvg_sched_ops struct_ops type: registration,
 * validation, and the checked calls the driver makes into a policy.
 *
 * Modelled on kernel/sched/ext.c's "bpf_struct_ops plumbing" section:
 * init_member validates data fields, check_member (the framework's
 * nvg_ops_check_member(), shared by every hook) keeps sleepable programs to
 * the lifecycle ops, validate checks cross-field rules, update is refused,
 * and every op has a CFI stub.
 */
#include <linux/bpf.h>
#include <linux/bpf_verifier.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/ctype.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>

#include "nvghost_drv.h"
#include "nvghost_dsq.h"
#include "nvghost_pacing_ops.h"
#include "nvghost_power_ops.h"
#include "nvghost_sched.h"

/* nvg_ops_check_member() finds the lifecycle ops where every table has them. */
static_assert(offsetof(struct nvg_sched_ops, init) == NVG_OPS_INIT_OFF);
static_assert(offsetof(struct nvg_sched_ops, exit) == NVG_OPS_EXIT_OFF);

static const char *const nvg_sched_op_names[NVG_SCHED_NR_OPS] = {
	[NVG_SCHED_OP_INIT] = "init",
	[NVG_SCHED_OP_EXIT] = "exit",
	[NVG_SCHED_OP_CTX_INIT] = "ctx_init",
	[NVG_SCHED_OP_CTX_EXIT] = "ctx_exit",
	[NVG_SCHED_OP_ENQUEUE] = "enqueue",
	[NVG_SCHED_OP_DISPATCH] = "dispatch",
	[NVG_SCHED_OP_RUNNING] = "running",
	[NVG_SCHED_OP_STOPPING] = "stopping",
	[NVG_SCHED_OP_SELECT_ENGINE] = "select_engine",
	[NVG_SCHED_OP_SLICE_END] = "slice_end",
};

struct nvg_hook nvg_sched_hook;

/*
 * Bumped at every attach, before the policy is published: a job remembers
 * the generation of the policy that saw its enqueue (0 if none did), so
 * that handing queued jobs to a new policy (replay, after publication)
 * hands each job exactly once, whether it was queued before the attach,
 * during it, or raced with the replay.
 */
static atomic64_t nvg_sched_gen = ATOMIC64_INIT(1);

/**************************************************************************
 * Checked calls into the policy.
 */

static struct nvg_sched_ops *nvg_sched_ops_get(void)
{
	return rcu_dereference(nvg_sched_hook.ops);
}

/* An errno is in [-MAX_ERRNO, 0]; anything else is a policy bug. */
static bool nvg_errno_valid(s32 err)
{
	return err <= 0 && err >= -MAX_ERRNO;
}

u64 nvg_sched_generation(void)
{
	return atomic64_read(&nvg_sched_gen);
}

bool nvg_sched_attached(void)
{
	return rcu_access_pointer(nvg_sched_hook.ops);
}

/* Called with nvg_devices_lock held (it orders contexts against attach). */
int nvg_sched_ctx_init(struct nvg_ctx_obj *ctx)
{
	struct nvg_ctx_init_args args = {
		.pid = ctx->pub.pid,
		.prio = ctx->pub.prio,
		.flags = ctx->pub.flags,
	};
	struct nvg_sched_ops *ops;
	s32 ret = 0;

	lockdep_assert_held(&nvg_devices_lock);
	rcu_read_lock();
	ops = nvg_sched_ops_get();
	if (ops && ops->ctx_init) {
		nvg_hook_count(&nvg_sched_hook, NVG_SCHED_OP_CTX_INIT);
		ret = ops->ctx_init(&ctx->pub, &args);
		if (!nvg_errno_valid(ret)) {
			nvg_hook_eject(&nvg_sched_hook, NVG_EXIT_ERROR_BPF, "ctx_init", ret,
				       "ctx_init() returned %d, not 0 or a negative errno",
				       ret);
			ret = 0;
		} else if (!ret) {
			ctx->policy_init = true;
		}
	} else if (ops) {
		ctx->policy_init = true;
	}
	rcu_read_unlock();
	return ret;
}

/* Called with nvg_devices_lock held. */
void nvg_sched_ctx_exit(struct nvg_ctx_obj *ctx)
{
	struct nvg_sched_ops *ops;

	lockdep_assert_held(&nvg_devices_lock);
	if (!ctx->policy_init)
		return;
	ctx->policy_init = false;
	rcu_read_lock();
	ops = nvg_sched_ops_get();
	if (ops && ops->ctx_exit) {
		nvg_hook_count(&nvg_sched_hook, NVG_SCHED_OP_CTX_EXIT);
		ops->ctx_exit(&ctx->pub);
	}
	rcu_read_unlock();
}

/* Called with the job's arbiter lock held. */
void nvg_sched_enqueue(struct nvg_job_obj *job, u64 enq_flags)
{
	struct nvg_sched_ops *ops;
	struct nvg_kf_state *st;

	rcu_read_lock();
	ops = nvg_sched_ops_get();
	/*
	 * Only a policy that is published sees the job: stamp it with that
	 * policy's generation, else with none. The generation was bumped
	 * before the publication this read saw (rcu_assign_pointer() orders
	 * them), so it is the policy's. A job that arrives while a policy
	 * attaches, after the bump and before the publication, stays
	 * unstamped and is handed over by the replay.
	 */
	smp_rmb();
	job->enq_gen = ops ? nvg_sched_generation() : 0;
	if (ops && ops->enqueue) {
		nvg_hook_count(&nvg_sched_hook, NVG_SCHED_OP_ENQUEUE);
		st = nvg_kf_enter(NVG_KF_ENQUEUE, "enqueue", NULL, 0);
		ops->enqueue(&job->pub, enq_flags);
		nvg_kf_exit(st);
	}
	rcu_read_unlock();
}

/**
 * nvg_sched_dispatch() - ask the policy which job an idle engine runs
 * @ndev: the device.
 * @engine: the idle engine.
 * @nr_queued: jobs waiting for it.
 * @idle: set to true if the engine must stay idle (policy chose nothing
 *	and owns dispatch completely).
 * @moved: set to the job the policy moved with nvg_dsq_move_to_engine(),
 *	or NULL.
 *
 * The id is NOT checked here; the caller looks it up in the engine's queue
 * and ejects the policy if it is not there, or if it also moved a job.
 *
 * Return: the job id the policy named, or 0.
 */
u64 nvg_sched_dispatch(struct nvg_device *ndev, u32 engine, u32 nr_queued,
		       bool *idle, struct nvg_job_obj **moved)
{
	struct nvg_sched_ops *ops;
	struct nvg_kf_state *st;
	u64 id = 0;

	*idle = false;
	*moved = NULL;
	rcu_read_lock();
	ops = nvg_sched_ops_get();
	if (ops && ops->dispatch) {
		nvg_hook_count(&nvg_sched_hook, NVG_SCHED_OP_DISPATCH);
		st = nvg_kf_enter(NVG_KF_DISPATCH, "dispatch", ndev, engine);
		id = ops->dispatch(ndev->index, engine, nr_queued);
		*moved = st->moved;
		nvg_kf_exit(st);
		if (!id && !*moved && (ops->flags & NVG_SCHED_OPS_F_NO_DEFAULT_DISPATCH))
			*idle = true;
	}
	rcu_read_unlock();
	return id;
}

void nvg_sched_running(struct nvg_job_obj *job)
{
	struct nvg_sched_ops *ops;

	rcu_read_lock();
	ops = nvg_sched_ops_get();
	if (ops && ops->running) {
		struct nvg_kf_state *st;

		nvg_hook_count(&nvg_sched_hook, NVG_SCHED_OP_RUNNING);
		st = nvg_kf_enter(NVG_KF_RUNNING, "running", NULL, 0);
		ops->running(&job->pub);
		nvg_kf_exit(st);
	}
	rcu_read_unlock();
}

void nvg_sched_stopping(struct nvg_job_obj *job, enum nvg_job_stop_reason why)
{
	struct nvg_sched_ops *ops;

	rcu_read_lock();
	ops = nvg_sched_ops_get();
	if (ops && ops->stopping) {
		struct nvg_kf_state *st;

		nvg_hook_count(&nvg_sched_hook, NVG_SCHED_OP_STOPPING);
		st = nvg_kf_enter(NVG_KF_STOPPING, "stopping", NULL, 0);
		ops->stopping(&job->pub, why);
		nvg_kf_exit(st);
	}
	rcu_read_unlock();
}

/**
 * nvg_sched_select_engine() - the engine a new channel runs on
 * @ndev: the device.
 * @ctx: the channel's context.
 * @args: the class, its engines and the built-in choice.
 *
 * Process context; no lock held.
 *
 * Return: the policy's engine if it named a valid one, else @args->dflt.
 */
u32 nvg_sched_select_engine(struct nvg_device *ndev, struct nvg_ctx_obj *ctx,
			    struct nvg_select_engine_args *args)
{
	struct nvg_sched_ops *ops;
	u32 engine = args->dflt;
	s32 ret;

	rcu_read_lock();
	ops = nvg_sched_ops_get();
	if (ops && ops->select_engine) {
		struct nvg_select_engine_args a = *args;	/* the policy's to scribble on */

		nvg_hook_count(&nvg_sched_hook, NVG_SCHED_OP_SELECT_ENGINE);
		ret = ops->select_engine(&ctx->pub, &a);
		if (ret >= 0 && ((u32)ret < args->first ||
				 (u32)ret - args->first >= args->nr))
			nvg_hook_eject(&nvg_sched_hook, NVG_EXIT_ERROR_INVALID,
				       "select_engine", ret,
				       "select_engine returned engine %d, not one of gpu%u's engines [%u, %u) of class %u",
				       ret, ndev->index, args->first,
				       args->first + args->nr, args->engine_class);
		else if (ret >= 0)
			engine = ret;
	}
	rcu_read_unlock();
	return engine;
}

/**
 * nvg_sched_slice_end() - running @job used its slice up: run on?
 * @ndev: the device.
 * @job: the job.
 * @nr_queued: jobs waiting for its engine.
 *
 * Called with the arbiter lock held.
 *
 * Return: 0 for the built-in rule (preempt when a job waits), or how much
 * longer the policy lets @job run, within the slice limits.
 */
u64 nvg_sched_slice_end(struct nvg_device *ndev, struct nvg_job_obj *job,
			u32 nr_queued)
{
	struct nvg_sched_ops *ops;
	u64 ext = 0;

	rcu_read_lock();
	ops = nvg_sched_ops_get();
	if (ops && ops->slice_end) {
		struct nvg_kf_state *st;

		nvg_hook_count(&nvg_sched_hook, NVG_SCHED_OP_SLICE_END);
		st = nvg_kf_enter(NVG_KF_SLICE_END, "slice_end", ndev, job->pub.engine);
		ext = ops->slice_end(&job->pub, nr_queued);
		nvg_kf_exit(st);
		if (ext && (ext < NVG_SLICE_MIN_NS || ext > NVG_SLICE_MAX_NS)) {
			nvg_hook_eject(&nvg_sched_hook, NVG_EXIT_ERROR_INVALID,
				       "slice_end", ext,
				       "slice_end returned %llu ns for job %llu, outside [%llu, %llu]",
				       ext, job->pub.id, NVG_SLICE_MIN_NS, NVG_SLICE_MAX_NS);
			ext = 0;
		}
	}
	rcu_read_unlock();
	return ext;
}

/* The watchdog limit in force: the policy's own, or the module's. */
u32 nvg_sched_watchdog_limit_ms(void)
{
	struct nvg_sched_ops *ops;
	u32 ms = 0;

	rcu_read_lock();
	ops = nvg_sched_ops_get();
	if (ops)
		ms = ops->timeout_ms;
	rcu_read_unlock();
	return ms ?: READ_ONCE(nvg_sched_watchdog_ms);
}

int nvg_sched_show(struct seq_file *m)
{
	struct nvg_sched_ops *ops;

	nvg_hook_show(&nvg_sched_hook, m);
	rcu_read_lock();
	ops = nvg_sched_ops_get();
	seq_printf(m, "  flags: 0x%llx\n", ops ? ops->flags : 0ULL);
	rcu_read_unlock();
	seq_printf(m, "  watchdog_ms: %u\n", nvg_sched_watchdog_limit_ms());
	return 0;
}

/**************************************************************************
 * Attach and detach.
 */

/* Hand every existing context to the new policy; undo on refusal. */
static int nvg_sched_init_all_ctxs(struct nvg_sched_ops *ops, char *msg,
				   size_t len)
{
	struct nvg_device *ndev;
	struct nvg_ctx_obj *ctx;
	s32 ret;

	lockdep_assert_held(&nvg_devices_lock);
	list_for_each_entry(ndev, &nvg_devices, node) {
		list_for_each_entry(ctx, &ndev->ctxs, node) {
			struct nvg_ctx_init_args args = {
				.pid = ctx->pub.pid,
				.prio = ctx->pub.prio,
				.flags = ctx->pub.flags,
			};

			if (!ops->ctx_init) {
				ctx->policy_init = true;
				continue;
			}
			nvg_hook_count(&nvg_sched_hook, NVG_SCHED_OP_CTX_INIT);
			ret = ops->ctx_init(&ctx->pub, &args);
			if (ret) {
				snprintf(msg, len,
					 "ctx_init() of context %llu (%s[%d]) returned %d",
					 ctx->pub.id, ctx->pub.comm, ctx->pub.pid, ret);
				return nvg_errno_valid(ret) ? ret : -EPROTO;
			}
			ctx->policy_init = true;
		}
	}
	return 0;
}

/* hook->forget: drop the policy's per-context state. */
static void nvg_sched_forget(struct nvg_hook *hook, void *kdata, bool was_active)
{
	struct nvg_sched_ops *ops = kdata;
	struct nvg_device *ndev;
	struct nvg_ctx_obj *ctx;

	mutex_lock(&nvg_devices_lock);
	list_for_each_entry(ndev, &nvg_devices, node) {
		list_for_each_entry(ctx, &ndev->ctxs, node) {
			/* Only a policy leaving in order hears about its contexts. */
			if (ctx->policy_init && was_active && ops->ctx_exit) {
				nvg_hook_count(hook, NVG_SCHED_OP_CTX_EXIT);
				ops->ctx_exit(&ctx->pub);
			}
			ctx->policy_init = false;
		}
	}
	mutex_unlock(&nvg_devices_lock);
	/* Its dispatch queues go; their jobs are still in the engines' queues. */
	nvg_dsq_destroy_all();
}

/* hook->resume_default: the default may have idle engines to start. */
static void nvg_sched_resume_default(struct nvg_hook *hook)
{
	struct nvg_device *ndev;

	mutex_lock(&nvg_devices_lock);
	list_for_each_entry(ndev, &nvg_devices, node)
		nvg_arbiter_kick(ndev);
	mutex_unlock(&nvg_devices_lock);
}

static void nvg_sched_call_exit(void *kdata, struct nvg_exit_info *ei)
{
	struct nvg_sched_ops *ops = kdata;

	if (ops->exit) {
		nvg_hook_count(&nvg_sched_hook, NVG_SCHED_OP_EXIT);
		ops->exit(ei);
	}
}

static int nvg_sched_reg(void *kdata, struct bpf_link *link)
{
	struct nvg_sched_ops *ops = kdata;
	struct nvg_device *ndev;
	char msg[NVG_EXIT_MSG_LEN];
	s32 ret;

	ret = nvg_hook_claim(&nvg_sched_hook, kdata, ops->name);
	if (ret)
		goto out_unlock;

	if (ops->init) {
		nvg_hook_count(&nvg_sched_hook, NVG_SCHED_OP_INIT);
		nvg_kf_init_begin();
		ret = ops->init();
		nvg_kf_init_end();
		if (ret) {
			nvg_dsq_destroy_all();
			snprintf(msg, sizeof(msg), "init() returned %d", ret);
			ret = nvg_errno_valid(ret) ? ret : -EPROTO;
			nvg_hook_abort_attach(&nvg_sched_hook, kdata, NVG_EXIT_ERROR_BPF,
					      "init", ret, msg);
			goto out_unlock;
		}
	}

	atomic64_inc(&nvg_sched_gen);
	mutex_lock(&nvg_devices_lock);
	ret = nvg_sched_init_all_ctxs(ops, msg, sizeof(msg));
	if (ret) {
		mutex_unlock(&nvg_devices_lock);
		nvg_sched_forget(&nvg_sched_hook, kdata, true);
		nvg_hook_abort_attach(&nvg_sched_hook, kdata, NVG_EXIT_ERROR_BPF,
				      "ctx_init", ret, msg);
		goto out_unlock;
	}
	nvg_hook_publish(&nvg_sched_hook, kdata);
	/* Jobs already queued are the new policy's to schedule too. */
	list_for_each_entry(ndev, &nvg_devices, node) {
		nvg_arbiter_replay(ndev);
		nvg_arbiter_kick(ndev);
	}
	mutex_unlock(&nvg_devices_lock);

out_unlock:
	mutex_unlock(&nvg_sched_hook.reg_lock);
	return ret;
}

static void nvg_sched_unreg(void *kdata, struct bpf_link *link)
{
	nvg_hook_detach(&nvg_sched_hook, kdata);
}

/* Cross-field rules, checked when the map is loaded. */
static int nvg_sched_validate(void *kdata)
{
	struct nvg_sched_ops *ops = kdata;

	if ((ops->flags & NVG_SCHED_OPS_F_NO_DEFAULT_DISPATCH) && !ops->dispatch) {
		nvg_hook_record(&nvg_sched_hook, NVG_EXIT_ERROR, "validate", -EINVAL,
				"NVG_SCHED_OPS_F_NO_DEFAULT_DISPATCH requires ops.dispatch()");
		return -EINVAL;
	}
	return 0;
}

static int nvg_sched_init_member(const struct btf_type *t,
				 const struct btf_member *member,
				 void *kdata, const void *udata)
{
	const struct nvg_sched_ops *uops = udata;
	struct nvg_sched_ops *ops = kdata;
	u32 moff = __btf_member_bit_offset(t, member) / 8;
	int ret;

	switch (moff) {
	case offsetof(struct nvg_sched_ops, flags):
		if (uops->flags & ~NVG_SCHED_OPS_ALL_FLAGS)
			return -EINVAL;
		ops->flags = uops->flags;
		return 1;
	case offsetof(struct nvg_sched_ops, timeout_ms):
		if (uops->timeout_ms && uops->timeout_ms < NVG_SCHED_TIMEOUT_MIN_MS)
			return -EINVAL;
		if (uops->timeout_ms > NVG_SCHED_TIMEOUT_MAX_MS ||
		    uops->timeout_ms > nvg_job_timeout_ms)
			return -E2BIG;
		ops->timeout_ms = uops->timeout_ms;
		return 1;
	case offsetof(struct nvg_sched_ops, name):
		ret = nvg_ops_name_copy(ops->name, uops->name, sizeof(ops->name));
		return ret ?: 1;
	}
	return 0;
}

/*
 * Which program is which, for the kfunc filter (nvghost_dsq.c): the
 * module's BTF, and the id in it of struct nvg_sched_ops, as resolve_btfids
 * wrote it at build time. A program of this hook has that BTF and id as its
 * attach target, and the index of its op's member as expected_attach_type.
 */
static const struct btf *nvg_sched_btf;
BTF_ID_LIST_SINGLE(nvg_sched_ops_btf_id, struct, nvg_sched_ops)

/**
 * nvg_sched_prog_op() - the scheduling op a BPF program implements
 * @prog: a program being verified.
 *
 * Return: its &enum nvg_sched_op, or -ENOENT if @prog is no op of
 * struct nvg_sched_ops (another hook's, another subsystem's, or no
 * struct_ops program at all).
 */
int nvg_sched_prog_op(const struct bpf_prog *prog)
{
	const struct btf *btf = READ_ONCE(nvg_sched_btf);
	const struct btf_member *member;
	const struct btf_type *t;

	if (prog->type != BPF_PROG_TYPE_STRUCT_OPS || !btf ||
	    prog->aux->attach_btf != btf ||
	    prog->aux->attach_btf_id != nvg_sched_ops_btf_id[0])
		return -ENOENT;
	t = btf_type_by_id(btf, nvg_sched_ops_btf_id[0]);
	if (prog->expected_attach_type >= btf_type_vlen(t))
		return -ENOENT;
	member = btf_type_member(t) + prog->expected_attach_type;
	switch (__btf_member_bit_offset(t, member) / 8) {
	case offsetof(struct nvg_sched_ops, init):	return NVG_SCHED_OP_INIT;
	case offsetof(struct nvg_sched_ops, exit):	return NVG_SCHED_OP_EXIT;
	case offsetof(struct nvg_sched_ops, ctx_init):	return NVG_SCHED_OP_CTX_INIT;
	case offsetof(struct nvg_sched_ops, ctx_exit):	return NVG_SCHED_OP_CTX_EXIT;
	case offsetof(struct nvg_sched_ops, enqueue):	return NVG_SCHED_OP_ENQUEUE;
	case offsetof(struct nvg_sched_ops, dispatch):	return NVG_SCHED_OP_DISPATCH;
	case offsetof(struct nvg_sched_ops, running):	return NVG_SCHED_OP_RUNNING;
	case offsetof(struct nvg_sched_ops, stopping):	return NVG_SCHED_OP_STOPPING;
	case offsetof(struct nvg_sched_ops, select_engine):
		return NVG_SCHED_OP_SELECT_ENGINE;
	case offsetof(struct nvg_sched_ops, slice_end):	return NVG_SCHED_OP_SLICE_END;
	}
	return -ENOENT;
}

/*
 * Called with the module's BTF when the type is registered. The build-time
 * id must name this struct in it: a BTF relocated at load (pahole's
 * distilled base) would move it, and the kfunc filter would then refuse
 * every call; refuse to register instead, saying why.
 */
static int nvg_sched_bpf_init(struct btf *btf)
{
	const struct btf_type *t = btf_type_by_id(btf, nvg_sched_ops_btf_id[0]);

	if (!t || !btf_type_is_struct(t) || t->size != sizeof(struct nvg_sched_ops) ||
	    nvg_dsq_check_kfunc_ids(btf)) {
		pr_err("nvghost: the module's BTF ids do not match its BTF (relocated?): kfunc permissions cannot be checked\n");
		return -EINVAL;
	}
	WRITE_ONCE(nvg_sched_btf, btf);
	return 0;
}

/* CFI stubs: one per op, same prototype, never called. */
static s32 nvg_sched_init_stub(void) { return -EINVAL; }
static void nvg_sched_exit_stub(struct nvg_exit_info *info) {}
static s32 nvg_sched_ctx_init_stub(struct nvg_ctx *ctx, struct nvg_ctx_init_args *args)
{
	return -EINVAL;
}

static void nvg_sched_ctx_exit_stub(struct nvg_ctx *ctx) {}
static void nvg_sched_enqueue_stub(struct nvg_job *job, u64 enq_flags) {}
static u64 nvg_sched_dispatch_stub(u32 dev_index, u32 engine, u32 nr_queued) { return 0; }
static void nvg_sched_running_stub(struct nvg_job *job) {}
static void nvg_sched_stopping_stub(struct nvg_job *job, u32 reason) {}
static s32 nvg_sched_select_engine_stub(struct nvg_ctx *ctx,
					struct nvg_select_engine_args *args)
{
	return -EINVAL;
}

static u64 nvg_sched_slice_end_stub(struct nvg_job *job, u32 nr_queued) { return 0; }

static struct nvg_sched_ops __bpf_ops_nvg_sched_ops = {
	.init		= nvg_sched_init_stub,
	.exit		= nvg_sched_exit_stub,
	.ctx_init	= nvg_sched_ctx_init_stub,
	.ctx_exit	= nvg_sched_ctx_exit_stub,
	.enqueue	= nvg_sched_enqueue_stub,
	.dispatch	= nvg_sched_dispatch_stub,
	.running	= nvg_sched_running_stub,
	.stopping	= nvg_sched_stopping_stub,
	.select_engine	= nvg_sched_select_engine_stub,
	.slice_end	= nvg_sched_slice_end_stub,
};

static struct bpf_struct_ops bpf_nvg_sched_ops = {
	.verifier_ops	= &nvg_ops_verifier_ops,
	.reg		= nvg_sched_reg,
	.unreg		= nvg_sched_unreg,
	.check_member	= nvg_ops_check_member,
	.init_member	= nvg_sched_init_member,
	.init		= nvg_sched_bpf_init,
	.update		= nvg_ops_update,
	.validate	= nvg_sched_validate,
	.name		= "nvg_sched_ops",
	.owner		= THIS_MODULE,
	.cfi_stubs	= &__bpf_ops_nvg_sched_ops,
};

int nvg_sched_ops_register(void)
{
	nvg_sched_hook.name = "sched";
	nvg_sched_hook.op_names = nvg_sched_op_names;
	nvg_sched_hook.nr_ops = NVG_SCHED_NR_OPS;
	nvg_sched_hook.call_exit = nvg_sched_call_exit;
	nvg_sched_hook.forget = nvg_sched_forget;
	nvg_sched_hook.resume_default = nvg_sched_resume_default;
	nvg_hook_init(&nvg_sched_hook);
	return register_bpf_struct_ops(&bpf_nvg_sched_ops, nvg_sched_ops);
}
