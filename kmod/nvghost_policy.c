// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_policy.c - what every policy hook shares: attaching, detaching,
 * ejecting, and reporting.
 *
 * The safety rule, taken from sched_ext: the GPU keeps working no matter
 * what a policy does. A hook's active policy is an RCU-protected pointer;
 * ejection clears it from any context (an op's caller may hold spinlocks or
 * run in IRQ context), so the very next decision is the built-in default's.
 * The policy's exit op, the log line and restarting the default run later
 * from a work item, after an RCU grace period guarantees that no op of the
 * ejected policy is still running.
 *
 * Lock order: reg_lock (mutex), then nvg_devices_lock (in the hooks'
 * callbacks), then exit_lock (spinlock, innermost).
 */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/ctype.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "nvghost_dsq.h"
#include "nvghost_pacing_ops.h"
#include "nvghost_policy.h"
#include "nvghost_power_ops.h"
#include "nvghost_mem_ops.h"
#include "nvghost_sched_ops.h"
#include "nvghost_trace.h"

const char *nvg_exit_kind_name(enum nvg_exit_kind kind)
{
	switch (kind) {
	case NVG_EXIT_NONE:		return "none";
	case NVG_EXIT_DONE:		return "done";
	case NVG_EXIT_UNREG:		return "unreg";
	case NVG_EXIT_UNREG_KERN:	return "unreg_kern";
	case NVG_EXIT_SYSRQ:		return "sysrq";
	case NVG_EXIT_ERROR:		return "error";
	case NVG_EXIT_ERROR_BPF:	return "error_bpf";
	case NVG_EXIT_ERROR_STALL:	return "error_stall";
	case NVG_EXIT_ERROR_INVALID:	return "error_invalid";
	}
	return "?";
}

static const char *nvg_exit_reason(enum nvg_exit_kind kind)
{
	switch (kind) {
	case NVG_EXIT_UNREG:		return "detached from user space";
	case NVG_EXIT_UNREG_KERN:	return "detached by the kernel";
	case NVG_EXIT_SYSRQ:		return "ejected by hand (debugfs)";
	case NVG_EXIT_ERROR_BPF:	return "policy returned an error or out-of-range value";
	case NVG_EXIT_ERROR_STALL:	return "runnable work stalled";
	case NVG_EXIT_ERROR_INVALID:	return "policy made an invalid decision";
	default:			return "policy stopped";
	}
}

/* Called with exit_lock held. */
static void nvg_hook_fill_exit(struct nvg_hook *hook, enum nvg_exit_kind kind,
			       const char *op, s64 code, const char *msg)
{
	struct nvg_exit_info *ei = &hook->last_exit;

	ei->kind = kind;
	ei->exit_code = code;
	strscpy(ei->op, op ?: "", sizeof(ei->op));
	strscpy(ei->reason, nvg_exit_reason(kind), sizeof(ei->reason));
	strscpy(ei->msg, msg ?: "", sizeof(ei->msg));
}

/**
 * nvg_hook_record() - set the exit record without ejecting anything
 * @hook: the hook.
 * @kind: why.
 * @op: the op (or step) concerned, or NULL.
 * @code: the errno or value concerned.
 * @msg: details.
 *
 * For refusals that happen before a policy is attached (validation), so
 * that the status file can say why a load failed.
 */
void nvg_hook_record(struct nvg_hook *hook, enum nvg_exit_kind kind,
		     const char *op, s64 code, const char *msg)
{
	unsigned long flags;

	spin_lock_irqsave(&hook->exit_lock, flags);
	nvg_hook_fill_exit(hook, kind, op, code, msg);
	spin_unlock_irqrestore(&hook->exit_lock, flags);
}

/*
 * Runs the ejected policy's exit op once nothing can be calling it any more,
 * then lets the default resume. Serialised with attach and detach.
 */
static void nvg_hook_eject_workfn(struct work_struct *work)
{
	struct nvg_hook *hook = container_of(work, struct nvg_hook, eject_work);
	struct nvg_exit_info ei;
	unsigned long flags;
	void *kdata;

	mutex_lock(&hook->reg_lock);
	kdata = hook->attached;
	if (!kdata || hook->exit_called || !hook->ejecting) {
		mutex_unlock(&hook->reg_lock);
		return;
	}
	synchronize_rcu();
	spin_lock_irqsave(&hook->exit_lock, flags);
	ei = hook->last_exit;
	spin_unlock_irqrestore(&hook->exit_lock, flags);

	pr_warn("nvghost: %s policy '%s' ejected: %s: %s%s%s\n",
		hook->name, hook->policy, ei.reason, ei.op,
		ei.op[0] ? ": " : "", ei.msg);
	trace_nvghost_policy_eject(hook->name, hook->policy, ei.kind, ei.msg);
	if (hook->forget)
		hook->forget(hook, kdata, true);
	hook->call_exit(kdata, &ei);
	hook->exit_called = true;
	mutex_unlock(&hook->reg_lock);

	if (hook->resume_default)
		hook->resume_default(hook);
}

void nvg_hook_init(struct nvg_hook *hook)
{
	mutex_init(&hook->reg_lock);
	spin_lock_init(&hook->exit_lock);
	INIT_WORK(&hook->eject_work, nvg_hook_eject_workfn);
	strscpy(hook->policy, "default", sizeof(hook->policy));
	hook->state = NVG_HOOK_DEFAULT;
}

/**
 * nvg_hook_begin_attach() - claim the hook for a new policy
 * @hook: the hook; reg_lock must be held.
 * @kdata: the policy's ops.
 * @name: the policy's name.
 *
 * The policy is not published yet: the caller runs its init op and
 * per-context setup, then calls nvg_hook_publish() or
 * nvg_hook_abort_attach(). Callers use nvg_hook_claim(), which waits out
 * a pending ejection.
 *
 * Return: 0, -EBUSY if another policy is active, or -EAGAIN if the
 * previous policy's ejection has not finished (its exit op has not run,
 * its state is not gone).
 */
int nvg_hook_begin_attach(struct nvg_hook *hook, void *kdata, const char *name)
{
	unsigned long flags;
	unsigned int i;

	lockdep_assert_held(&hook->reg_lock);
	spin_lock_irqsave(&hook->exit_lock, flags);
	if (rcu_access_pointer(hook->ops)) {
		spin_unlock_irqrestore(&hook->exit_lock, flags);
		return -EBUSY;
	}
	/*
	 * Ejected, but the work that runs its exit op and forgets its state
	 * (dispatch queues, per-context state) has not run yet: taking the
	 * hook now would make that work skip the old policy for good.
	 */
	if (hook->attached && hook->ejecting && !hook->exit_called) {
		spin_unlock_irqrestore(&hook->exit_lock, flags);
		return -EAGAIN;
	}

	/*
	 * An ejected policy whose link is still pinned keeps @attached until
	 * user space unpins it; a new policy may take the hook meanwhile, and
	 * the old one's late unreg is then ignored.
	 */
	hook->attached = kdata;
	hook->ejecting = false;
	hook->exit_called = false;
	strscpy(hook->policy, name, sizeof(hook->policy));
	nvg_hook_fill_exit(hook, NVG_EXIT_NONE, NULL, 0, NULL);
	spin_unlock_irqrestore(&hook->exit_lock, flags);
	for (i = 0; i < NVG_HOOK_MAX_OPS; i++)
		atomic64_set(&hook->op_calls[i], 0);
	return 0;
}

/**
 * nvg_hook_claim() - take @hook's reg_lock and claim the hook
 * @hook: the hook.
 * @kdata: the policy's ops.
 * @name: the policy's name.
 *
 * As nvg_hook_begin_attach(), but a pending ejection of the previous
 * policy is waited for (it may happen at any moment, also while this
 * attach waits for reg_lock) and the claim retried.
 *
 * Return: 0 or -EBUSY, with reg_lock held either way.
 */
int nvg_hook_claim(struct nvg_hook *hook, void *kdata, const char *name)
{
	int ret;

	for (;;) {
		flush_work(&hook->eject_work);
		mutex_lock(&hook->reg_lock);
		ret = nvg_hook_begin_attach(hook, kdata, name);
		if (ret != -EAGAIN)
			return ret;
		mutex_unlock(&hook->reg_lock);
	}
}

/**
 * nvg_hook_publish() - make the claimed policy the one that decides
 * @hook: the hook; reg_lock must be held.
 * @kdata: the policy's ops, as passed to nvg_hook_begin_attach().
 */
void nvg_hook_publish(struct nvg_hook *hook, void *kdata)
{
	unsigned long flags;

	lockdep_assert_held(&hook->reg_lock);
	spin_lock_irqsave(&hook->exit_lock, flags);
	rcu_assign_pointer(hook->ops, kdata);
	hook->state = NVG_HOOK_ATTACHED;
	hook->attach_count++;
	spin_unlock_irqrestore(&hook->exit_lock, flags);
	pr_info("nvghost: %s policy '%s' attached\n", hook->name, hook->policy);
}

/**
 * nvg_hook_abort_attach() - give the hook back after a failed attach
 * @hook: the hook; reg_lock must be held.
 * @kdata: the policy's ops.
 * @kind: why the attach failed.
 * @op: the op that failed.
 * @code: its errno.
 * @msg: details.
 *
 * The policy's exit op is called with the record, as sched_ext does, so
 * that the policy and the loader learn why.
 */
void nvg_hook_abort_attach(struct nvg_hook *hook, void *kdata,
			   enum nvg_exit_kind kind, const char *op, s64 code,
			   const char *msg)
{
	struct nvg_exit_info ei;
	unsigned long flags;

	lockdep_assert_held(&hook->reg_lock);
	spin_lock_irqsave(&hook->exit_lock, flags);
	nvg_hook_fill_exit(hook, kind, op, code, msg);
	ei = hook->last_exit;
	spin_unlock_irqrestore(&hook->exit_lock, flags);
	hook->call_exit(kdata, &ei);
	hook->attached = NULL;
	strscpy(hook->policy, "default", sizeof(hook->policy));
	pr_info("nvghost: %s policy refused: %s: %s\n", hook->name, op, msg);
}

/**
 * nvg_hook_reg() - attach a policy whose only set-up is its init op
 * @hook: the hook.
 * @kdata: the policy's ops (the struct_ops kdata).
 * @name: its name.
 * @init: its init op, or NULL.
 * @init_op: the index of init in @hook->op_names, for the op counter.
 *
 * The whole struct_ops reg of a hook with no per-context state (pacing,
 * power): claim the hook, run init, publish. A refused init leaves an exit
 * record saying why, as for the scheduling hook.
 *
 * Return: 0, -EBUSY if the hook is taken, or init's errno (-EPROTO for a
 * value that is no errno).
 */
int nvg_hook_reg(struct nvg_hook *hook, void *kdata, const char *name,
		 s32 (*init)(void), unsigned int init_op)
{
	char msg[NVG_EXIT_MSG_LEN];
	s32 ret;

	ret = nvg_hook_claim(hook, kdata, name);
	if (ret)
		goto out_unlock;
	if (init) {
		nvg_hook_count(hook, init_op);
		ret = init();
		if (ret) {
			snprintf(msg, sizeof(msg), "init() returned %d", ret);
			ret = ret < 0 && ret >= -MAX_ERRNO ? ret : -EPROTO;
			nvg_hook_abort_attach(hook, kdata, NVG_EXIT_ERROR_BPF, "init", ret, msg);
			goto out_unlock;
		}
	}
	nvg_hook_publish(hook, kdata);
out_unlock:
	mutex_unlock(&hook->reg_lock);
	return ret;
}

/**
 * nvg_hook_eject() - stop using the active policy, from any context
 * @hook: the hook.
 * @kind: why (an error kind, or %NVG_EXIT_SYSRQ).
 * @op: the op that misbehaved, or NULL.
 * @code: the offending value.
 * @fmt: details, printf-style.
 *
 * The first ejection wins; later calls for the same policy do nothing. The
 * built-in default decides from the moment this returns.
 */
void nvg_hook_eject(struct nvg_hook *hook, enum nvg_exit_kind kind,
		    const char *op, s64 code, const char *fmt, ...)
{
	char msg[NVG_EXIT_MSG_LEN];
	unsigned long flags;
	va_list args;

	va_start(args, fmt);
	vscnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);

	spin_lock_irqsave(&hook->exit_lock, flags);
	if (!rcu_access_pointer(hook->ops) || hook->ejecting) {
		spin_unlock_irqrestore(&hook->exit_lock, flags);
		return;
	}
	hook->ejecting = true;
	RCU_INIT_POINTER(hook->ops, NULL);
	hook->state = NVG_HOOK_EJECTED;
	hook->eject_count++;
	nvg_hook_fill_exit(hook, kind, op, code, msg);
	spin_unlock_irqrestore(&hook->exit_lock, flags);
	schedule_work(&hook->eject_work);
}

/**
 * nvg_hook_detach() - the policy's link went away (struct_ops unreg)
 * @hook: the hook.
 * @kdata: the policy's ops.
 */
void nvg_hook_detach(struct nvg_hook *hook, void *kdata)
{
	struct nvg_exit_info ei;
	unsigned long flags;
	bool was_active;

	flush_work(&hook->eject_work);
	mutex_lock(&hook->reg_lock);
	if (hook->attached != kdata) {
		/* An ejected policy that a newer one already replaced. */
		mutex_unlock(&hook->reg_lock);
		return;
	}
	spin_lock_irqsave(&hook->exit_lock, flags);
	was_active = rcu_access_pointer(hook->ops) == kdata;
	if (was_active) {
		RCU_INIT_POINTER(hook->ops, NULL);
		nvg_hook_fill_exit(hook, NVG_EXIT_UNREG, NULL, 0, NULL);
	}
	hook->state = NVG_HOOK_DEFAULT;
	ei = hook->last_exit;
	spin_unlock_irqrestore(&hook->exit_lock, flags);

	if (!hook->exit_called) {
		synchronize_rcu();
		if (hook->forget)
			hook->forget(hook, kdata, was_active);
		hook->call_exit(kdata, &ei);
	}
	pr_info("nvghost: %s policy '%s' detached\n", hook->name, hook->policy);
	hook->attached = NULL;
	strscpy(hook->policy, "default", sizeof(hook->policy));
	mutex_unlock(&hook->reg_lock);

	if (hook->resume_default)
		hook->resume_default(hook);
}

/* Wait for a pending ejection to finish (module unload, tests). */
void nvg_hook_flush(struct nvg_hook *hook)
{
	flush_work(&hook->eject_work);
}

static const char *const nvg_hook_state_names[] = {
	[NVG_HOOK_DEFAULT] = "default",
	[NVG_HOOK_ATTACHED] = "attached",
	[NVG_HOOK_EJECTED] = "ejected",
};

const char *nvg_hook_state_name(enum nvg_hook_state state)
{
	return nvg_hook_state_names[state];
}

/**
 * nvg_hook_snapshot() - a consistent copy of what the hook reports
 * @hook: the hook.
 * @st: filled in: state, policy ("default" unless one is attached or
 *	ejected), totals and the last exit record.
 */
void nvg_hook_snapshot(struct nvg_hook *hook, struct nvg_hook_status *st)
{
	unsigned long flags;

	spin_lock_irqsave(&hook->exit_lock, flags);
	st->state = hook->state;
	strscpy(st->policy, st->state == NVG_HOOK_DEFAULT ? "default" : hook->policy,
		sizeof(st->policy));
	st->attached = hook->attach_count;
	st->ejected = hook->eject_count;
	st->exit = hook->last_exit;
	spin_unlock_irqrestore(&hook->exit_lock, flags);
}

/**
 * nvg_hook_show() - the hook's part of the status file
 * @hook: the hook.
 * @m: the file.
 *
 * Return: 0.
 */
int nvg_hook_show(struct nvg_hook *hook, struct seq_file *m)
{
	struct nvg_hook_status st;
	struct nvg_exit_info *ei = &st.exit;
	unsigned int i;

	nvg_hook_snapshot(hook, &st);
	seq_printf(m, "hook: %s\n", hook->name);
	seq_printf(m, "  state: %s\n", nvg_hook_state_names[st.state]);
	seq_printf(m, "  policy: %s\n", st.policy);
	seq_printf(m, "  attached_total: %llu\n", st.attached);
	seq_printf(m, "  ejected_total: %llu\n", st.ejected);
	for (i = 0; i < hook->nr_ops; i++)
		seq_printf(m, "  op %s: %lld\n", hook->op_names[i],
			   atomic64_read(&hook->op_calls[i]));
	seq_printf(m, "  last_exit: kind=%s(%d) op=%s code=%lld\n",
		   nvg_exit_kind_name(ei->kind), ei->kind,
		   ei->op[0] ? ei->op : "-", ei->exit_code);
	seq_printf(m, "  last_reason: %s\n", ei->kind ? ei->reason : "-");
	seq_printf(m, "  last_msg: %s\n", ei->msg[0] ? ei->msg : "-");
	return 0;
}

/**
 * nvg_ops_name_copy() - copy a policy's name, if it is a valid one
 * @dst: where to.
 * @src: the name from the policy's struct_ops map.
 * @size: size of both.
 *
 * Return: 0, or -EINVAL unless @src is a valid BPF object name: not empty,
 * [A-Za-z0-9_.], NUL-terminated within @size.
 */
int nvg_ops_name_copy(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; i < size && src[i]; i++)
		if (!isalnum(src[i]) && src[i] != '_' && src[i] != '.')
			return -EINVAL;
	if (i == 0 || i == size)
		return -EINVAL;
	memcpy(dst, src, i + 1);
	return 0;
}

/**
 * nvg_ops_check_member() - the sleepable rule every hook shares
 * @t: the ops table's type.
 * @member: the op a program is loaded for.
 * @prog: the program.
 *
 * Only the lifecycle ops, init and exit (the first two members of every
 * hook's table, NVG_OPS_INIT_OFF and NVG_OPS_EXIT_OFF), may be sleepable;
 * the others run in atomic context: under spinlocks, from interrupts, or
 * under devfreq's locks.
 *
 * Return: 0, or -EINVAL for a sleepable program on another op.
 */
int nvg_ops_check_member(const struct btf_type *t, const struct btf_member *member,
			 const struct bpf_prog *prog)
{
	u32 moff = __btf_member_bit_offset(t, member) / 8;

	if (moff == NVG_OPS_INIT_OFF || moff == NVG_OPS_EXIT_OFF)
		return 0;
	return prog->sleepable ? -EINVAL : 0;
}

/*
 * Every hook refuses live update, as sched_ext does and for its reason: a
 * new policy's init can fail, and the swap may race with an ejection.
 * Users replace a policy by unloading it and loading the next.
 */
int nvg_ops_update(void *kdata, void *old_kdata, struct bpf_link *link)
{
	return -EOPNOTSUPP;
}

/**
 * nvg_ops_init_flags_name() - the data members of a table whose flags are
 *	all reserved
 * @moff: the member's offset.
 * @flags_off: where the table's u64 flags are.
 * @name_off: where its name (NVG_OPS_NAME_LEN bytes) is.
 * @kdata: the kernel's copy of the table.
 * @udata: the policy's.
 *
 * Return: 1 if @moff is the flags (they must be 0) or the name (it must be
 * a valid one) and was handled, 0 if it is another member, or -EINVAL.
 */
int nvg_ops_init_flags_name(u32 moff, size_t flags_off, size_t name_off,
			    void *kdata, const void *udata)
{
	int ret;

	if (moff == flags_off)
		return *(const u64 *)(udata + flags_off) ? -EINVAL : 1;
	if (moff == name_off) {
		ret = nvg_ops_name_copy(kdata + name_off, udata + name_off, NVG_OPS_NAME_LEN);
		return ret ?: 1;
	}
	return 0;
}

/*
 * Arguments of every hook's ops are read-only: with no btf_struct_access,
 * the verifier refuses any write through them.
 */
static bool nvg_ops_is_valid_access(int off, int size, enum bpf_access_type type,
				    const struct bpf_prog *prog,
				    struct bpf_insn_access_aux *info)
{
	if (type != BPF_READ)
		return false;
	if (off < 0 || off >= sizeof(__u64) * MAX_BPF_FUNC_ARGS)
		return false;
	if (off % size != 0)
		return false;
	return btf_ctx_access(off, size, type, prog, info);
}

static const struct bpf_func_proto *
nvg_ops_get_func_proto(enum bpf_func_id func_id, const struct bpf_prog *prog)
{
	return bpf_base_func_proto(func_id, prog);
}

const struct bpf_verifier_ops nvg_ops_verifier_ops = {
	.get_func_proto		= nvg_ops_get_func_proto,
	.is_valid_access	= nvg_ops_is_valid_access,
};

/**************************************************************************
 * Module-wide registration.
 */

int nvg_bpf_register(void)
{
	/* kfuncs first: a policy's BTF must find them when it loads. */
	return nvg_dsq_register_kfuncs() ?: nvg_sched_ops_register() ?:
	       nvg_pacing_ops_register() ?: nvg_power_ops_register() ?:
	       nvg_mem_ops_register();
}

/*
 * struct_ops types of a module go away with its BTF; an attached policy holds
 * a module reference, so by now none is attached. Only a late ejection work
 * item may remain.
 */
void nvg_bpf_unregister(void)
{
	nvg_hook_flush(&nvg_sched_hook);
	nvg_hook_flush(&nvg_pacing_hook);
	nvg_hook_flush(&nvg_power_hook);
	nvg_hook_flush(&nvg_mem_hook);
}
