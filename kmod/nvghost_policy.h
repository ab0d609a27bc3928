/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_policy.h - the parts every BPF policy hook shares: exit records,
 * hook state, ejection.
 *
 * This is not uapi: BPF policies see these types through the module's BTF and
 * may have to be rebuilt when they change (as with sched_ext's ops).
 */
#ifndef _NVGHOST_POLICY_H_
#define _NVGHOST_POLICY_H_

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#define NVG_OPS_NAME_LEN	32
#define NVG_EXIT_REASON_LEN	64
#define NVG_EXIT_MSG_LEN	160

/**
 * enum nvg_exit_kind - why a policy stopped being used
 *
 * Grouped in bands as sched_ext's scx_exit_kind: below 64 a normal end,
 * 64..1023 unregistration by someone, 1024 and up an error that ejected the
 * policy. The built-in default takes over in every case.
 *
 * @NVG_EXIT_NONE: the policy is still in use (or none was ever attached).
 * @NVG_EXIT_DONE: the policy finished by itself.
 * @NVG_EXIT_UNREG: user space detached it (link destroyed or unpinned).
 * @NVG_EXIT_UNREG_KERN: the module is going away.
 * @NVG_EXIT_SYSRQ: ejected by hand through debugfs (the SysRq-S equivalent).
 * @NVG_EXIT_ERROR: generic error.
 * @NVG_EXIT_ERROR_BPF: an op returned an error or a value out of range.
 * @NVG_EXIT_ERROR_STALL: work waited longer than the watchdog allows.
 * @NVG_EXIT_ERROR_INVALID: an op made a decision that cannot be carried out.
 */
enum nvg_exit_kind {
	NVG_EXIT_NONE = 0,
	NVG_EXIT_DONE = 1,
	NVG_EXIT_UNREG = 64,
	NVG_EXIT_UNREG_KERN = 65,
	NVG_EXIT_SYSRQ = 66,
	NVG_EXIT_ERROR = 1024,
	NVG_EXIT_ERROR_BPF = 1025,
	NVG_EXIT_ERROR_STALL = 1026,
	NVG_EXIT_ERROR_INVALID = 1027,
};

/**
 * struct nvg_exit_info - the structured record of why a policy stopped
 * @kind: an &enum nvg_exit_kind.
 * @exit_code: the errno or value that caused it, when there is one.
 * @op: the op that caused it ("dispatch", ...), empty if none.
 * @reason: short fixed text for the kind.
 * @msg: details, printf-formatted at the point of failure.
 *
 * Passed to the policy's exit op and shown in the status file.
 */
struct nvg_exit_info {
	enum nvg_exit_kind kind;
	s64 exit_code;
	char op[16];
	char reason[NVG_EXIT_REASON_LEN];
	char msg[NVG_EXIT_MSG_LEN];
};

/* Set from the nvghost_hook's state machine, shown in the status file. */
enum nvg_hook_state {
	NVG_HOOK_DEFAULT,	/* no policy: built-in default */
	NVG_HOOK_ATTACHED,	/* a policy makes the decisions */
	NVG_HOOK_EJECTED,	/* ejected; its link is still pinned */
};

#define NVG_HOOK_MAX_OPS	16

struct bpf_verifier_ops;
struct seq_file;

/**
 * struct nvg_hook - one policy slot (sched, later power and pacing)
 * @name: the hook's name, as shown to users.
 * @op_names: name of each op, indexed like @op_calls.
 * @nr_ops: entries used in @op_names.
 * @reg_lock: serialises attach, detach and the ejection work; may sleep.
 * @ops: the active policy's ops (kdata), or NULL; readers use RCU.
 * @attached: the registered kdata, active or ejected, until unreg.
 * @exit_lock: protects @last_exit and @ejecting; taken from any context.
 * @ejecting: an ejection is pending or done for @attached.
 * @exit_called: the policy's exit op already ran for @attached.
 * @policy: name of the attached (or last) policy.
 * @state: an &enum nvg_hook_state.
 * @op_calls: how many times each op ran under the current policy.
 * @attach_count: policies attached since load.
 * @eject_count: policies ejected since load.
 * @last_exit: why the last policy stopped.
 * @eject_work: runs the exit op and logs, out of the failing context.
 * @call_exit: calls the policy's exit op with the record (hook-specific).
 * @forget: drops per-context policy state after the policy left; called
 *	with the RCU grace period passed, before @call_exit.
 * @resume_default: lets the built-in default pick up where the policy
 *	stopped (e.g. restart idle engines); called after @call_exit.
 */
struct nvg_hook {
	const char *name;
	const char *const *op_names;
	unsigned int nr_ops;

	struct mutex reg_lock; /* attach, detach, ejection work */
	void __rcu *ops;
	void *attached;

	spinlock_t exit_lock; /* @ops writes, exit record; any context */
	bool ejecting;
	bool exit_called;
	char policy[NVG_OPS_NAME_LEN];
	enum nvg_hook_state state;

	atomic64_t op_calls[NVG_HOOK_MAX_OPS];
	u64 attach_count;
	u64 eject_count;
	struct nvg_exit_info last_exit;

	struct work_struct eject_work;
	void (*call_exit)(void *kdata, struct nvg_exit_info *ei);
	void (*forget)(struct nvg_hook *hook, void *kdata, bool was_active);
	void (*resume_default)(struct nvg_hook *hook);
};

/* What the status interfaces (sysfs, debugfs) show of a hook. */
struct nvg_hook_status {
	enum nvg_hook_state state;
	char policy[NVG_OPS_NAME_LEN];
	u64 attached;
	u64 ejected;
	struct nvg_exit_info exit;
};

void nvg_hook_snapshot(struct nvg_hook *hook, struct nvg_hook_status *st);
const char *nvg_hook_state_name(enum nvg_hook_state state);

void nvg_hook_init(struct nvg_hook *hook);
int nvg_hook_begin_attach(struct nvg_hook *hook, void *kdata, const char *name);
int nvg_hook_claim(struct nvg_hook *hook, void *kdata, const char *name);
void nvg_hook_publish(struct nvg_hook *hook, void *kdata);
void nvg_hook_abort_attach(struct nvg_hook *hook, void *kdata,
			   enum nvg_exit_kind kind, const char *op, s64 code,
			   const char *msg);
void nvg_hook_detach(struct nvg_hook *hook, void *kdata);
int nvg_hook_reg(struct nvg_hook *hook, void *kdata, const char *name,
		 s32 (*init)(void), unsigned int init_op);
void nvg_hook_record(struct nvg_hook *hook, enum nvg_exit_kind kind,
		     const char *op, s64 code, const char *msg);
const char *nvg_exit_kind_name(enum nvg_exit_kind kind);
__printf(5, 6)
void nvg_hook_eject(struct nvg_hook *hook, enum nvg_exit_kind kind,
		    const char *op, s64 code, const char *fmt, ...);
void nvg_hook_flush(struct nvg_hook *hook);
int nvg_ops_name_copy(char *dst, const char *src, size_t size);
int nvg_ops_init_flags_name(u32 moff, size_t flags_off, size_t name_off,
			    void *kdata, const void *udata);

/* Every hook's table starts with its lifecycle ops, init and exit. */
#define NVG_OPS_INIT_OFF	0
#define NVG_OPS_EXIT_OFF	sizeof(void *)
struct btf_type;
struct btf_member;
struct bpf_prog;
int nvg_ops_check_member(const struct btf_type *t, const struct btf_member *member,
			 const struct bpf_prog *prog);
struct bpf_link;
int nvg_ops_update(void *kdata, void *old_kdata, struct bpf_link *link);

/* The verifier rules every hook's ops share: arguments are read-only. */
extern const struct bpf_verifier_ops nvg_ops_verifier_ops;
int nvg_hook_show(struct nvg_hook *hook, struct seq_file *m);

static inline void nvg_hook_count(struct nvg_hook *hook, unsigned int op)
{
	atomic64_inc(&hook->op_calls[op]);
}

/* Module-wide BPF plumbing: kfuncs and every hook (nvghost_policy.c). */
int nvg_bpf_register(void);
void nvg_bpf_unregister(void);

#endif /* _NVGHOST_POLICY_H_ */
