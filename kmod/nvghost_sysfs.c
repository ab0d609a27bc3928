// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_sysfs.c - the stable status interface, in the manner of
 * sched_ext's /sys/kernel/sched_ext.
 *
 * Module-wide, one directory per policy hook:
 *
 *   /sys/kernel/nvghost/hooks/HOOK/   HOOK: sched, pacing, power
 *     state        default, attached or ejected
 *     policy       the attached (or ejected) policy's name, else "default"
 *     exit_kind    why the last policy stopped: none, done, unreg,
 *                  unreg_kern, sysrq, error, error_bpf, error_stall,
 *                  error_invalid (enum nvg_exit_kind, by name)
 *     exit_op      the op that caused it, empty if none
 *     exit_code    the errno or value that caused it
 *     exit_reason  short fixed text for the kind, empty for none
 *     exit_msg     the details, empty if none
 *     events       "KEY VALUE" lines: attached, ejected (since load), then
 *                  op_NAME for each op (calls under the current policy)
 *
 * Per GPU, under its platform device (/sys/class/drm/cardN/device):
 *
 *   heads/H/frames   flips that head H latched (frames shown) since load
 *
 * One value per file, every file read-only; debugfs keeps the one-page
 * status file for people debugging. Each directory is a kobject of its own:
 * removing it waits for readers (kernfs drains them), so nothing here is
 * read after the device or the module is gone.
 */
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "nvghost_drv.h"
#include "nvghost_kms.h"
#include "nvghost_pacing_ops.h"
#include "nvghost_power_ops.h"
#include "nvghost_mem_ops.h"
#include "nvghost_sched.h"

struct nvg_hook_kobj {
	struct kobject kobj;
	struct nvg_hook *hook;
};

static struct kobject *nvg_sysfs_root;
static struct kobject *nvg_sysfs_hooks;
static struct nvg_hook_kobj *nvg_hook_kobjs[4];

static void nvg_hook_snap(struct kobject *kobj, struct nvg_hook_status *st)
{
	nvg_hook_snapshot(container_of(kobj, struct nvg_hook_kobj, kobj)->hook, st);
}

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	struct nvg_hook_status st;

	nvg_hook_snap(kobj, &st);
	return sysfs_emit(buf, "%s\n", nvg_hook_state_name(st.state));
}

static ssize_t policy_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	struct nvg_hook_status st;

	nvg_hook_snap(kobj, &st);
	return sysfs_emit(buf, "%s\n", st.policy);
}

static ssize_t exit_kind_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	struct nvg_hook_status st;

	nvg_hook_snap(kobj, &st);
	return sysfs_emit(buf, "%s\n", nvg_exit_kind_name(st.exit.kind));
}

static ssize_t exit_op_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	struct nvg_hook_status st;

	nvg_hook_snap(kobj, &st);
	return sysfs_emit(buf, "%s\n", st.exit.op);
}

static ssize_t exit_code_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	struct nvg_hook_status st;

	nvg_hook_snap(kobj, &st);
	return sysfs_emit(buf, "%lld\n", st.exit.exit_code);
}

static ssize_t exit_reason_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	struct nvg_hook_status st;

	nvg_hook_snap(kobj, &st);
	return sysfs_emit(buf, "%s\n", st.exit.kind ? st.exit.reason : "");
}

static ssize_t exit_msg_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	struct nvg_hook_status st;

	nvg_hook_snap(kobj, &st);
	return sysfs_emit(buf, "%s\n", st.exit.msg);
}

static ssize_t events_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	struct nvg_hook *hook = container_of(kobj, struct nvg_hook_kobj, kobj)->hook;
	struct nvg_hook_status st;
	unsigned int i;
	int len;

	nvg_hook_snapshot(hook, &st);
	len = sysfs_emit(buf, "attached %llu\n", st.attached);
	len += sysfs_emit_at(buf, len, "ejected %llu\n", st.ejected);
	for (i = 0; i < hook->nr_ops; i++)
		len += sysfs_emit_at(buf, len, "op_%s %lld\n", hook->op_names[i],
				     atomic64_read(&hook->op_calls[i]));
	return len;
}

static struct kobj_attribute nvg_attr_state = __ATTR_RO(state);
static struct kobj_attribute nvg_attr_policy = __ATTR_RO(policy);
static struct kobj_attribute nvg_attr_exit_kind = __ATTR_RO(exit_kind);
static struct kobj_attribute nvg_attr_exit_op = __ATTR_RO(exit_op);
static struct kobj_attribute nvg_attr_exit_code = __ATTR_RO(exit_code);
static struct kobj_attribute nvg_attr_exit_reason = __ATTR_RO(exit_reason);
static struct kobj_attribute nvg_attr_exit_msg = __ATTR_RO(exit_msg);
static struct kobj_attribute nvg_attr_events = __ATTR_RO(events);

static struct attribute *nvg_hook_attrs[] = {
	&nvg_attr_state.attr,
	&nvg_attr_policy.attr,
	&nvg_attr_exit_kind.attr,
	&nvg_attr_exit_op.attr,
	&nvg_attr_exit_code.attr,
	&nvg_attr_exit_reason.attr,
	&nvg_attr_exit_msg.attr,
	&nvg_attr_events.attr,
	NULL,
};
ATTRIBUTE_GROUPS(nvg_hook);

static void nvg_hook_kobj_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct nvg_hook_kobj, kobj));
}

static const struct kobj_type nvg_hook_ktype = {
	.release	= nvg_hook_kobj_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= nvg_hook_groups,
};

static void nvg_sysfs_put(struct kobject **kobj)
{
	if (*kobj) {
		kobject_del(*kobj);
		kobject_put(*kobj);
		*kobj = NULL;
	}
}

void nvg_sysfs_module_fini(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nvg_hook_kobjs); i++) {
		if (nvg_hook_kobjs[i]) {
			kobject_del(&nvg_hook_kobjs[i]->kobj);
			kobject_put(&nvg_hook_kobjs[i]->kobj);
			nvg_hook_kobjs[i] = NULL;
		}
	}
	nvg_sysfs_put(&nvg_sysfs_hooks);
	nvg_sysfs_put(&nvg_sysfs_root);
}

/**
 * nvg_sysfs_module_init() - create /sys/kernel/nvghost
 *
 * Called once the hooks are initialised (nvg_bpf_register()).
 *
 * Return: 0 or -ENOMEM.
 */
int nvg_sysfs_module_init(void)
{
	struct nvg_hook *hooks[] = { &nvg_sched_hook, &nvg_pacing_hook, &nvg_power_hook,
				     &nvg_mem_hook };
	struct nvg_hook_kobj *hk;
	unsigned int i;
	int ret;

	BUILD_BUG_ON(ARRAY_SIZE(hooks) != ARRAY_SIZE(nvg_hook_kobjs));
	nvg_sysfs_root = kobject_create_and_add("nvghost", kernel_kobj);
	if (!nvg_sysfs_root)
		return -ENOMEM;
	nvg_sysfs_hooks = kobject_create_and_add("hooks", nvg_sysfs_root);
	if (!nvg_sysfs_hooks)
		goto err;
	for (i = 0; i < ARRAY_SIZE(hooks); i++) {
		hk = kzalloc(sizeof(*hk), GFP_KERNEL);
		if (!hk)
			goto err;
		hk->hook = hooks[i];
		ret = kobject_init_and_add(&hk->kobj, &nvg_hook_ktype, nvg_sysfs_hooks,
					   "%s", hooks[i]->name);
		if (ret) {
			kobject_put(&hk->kobj);
			goto err;
		}
		nvg_hook_kobjs[i] = hk;
	}
	return 0;

err:
	nvg_sysfs_module_fini();
	return -ENOMEM;
}

/* A head's directory: heads/H. */
struct nvg_head_kobj {
	struct kobject kobj;
	struct nvg_head *head;
};

static ssize_t frames_show(struct kobject *kobj, struct kobj_attribute *a, char *buf)
{
	struct nvg_head *head = container_of(kobj, struct nvg_head_kobj, kobj)->head;

	return sysfs_emit(buf, "%lld\n", atomic64_read(&head->latched));
}

static struct kobj_attribute nvg_attr_frames = __ATTR_RO(frames);

static struct attribute *nvg_head_attrs[] = {
	&nvg_attr_frames.attr,
	NULL,
};
ATTRIBUTE_GROUPS(nvg_head);

static void nvg_head_kobj_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct nvg_head_kobj, kobj));
}

static const struct kobj_type nvg_head_ktype = {
	.release	= nvg_head_kobj_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= nvg_head_groups,
};

/**
 * nvg_sysfs_device_fini() - remove the device's heads/ directory
 * @ndev: the device.
 *
 * Readers are drained: once this returns no file here reads @ndev.
 */
void nvg_sysfs_device_fini(struct nvg_device *ndev)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ndev->head_kobjs); i++) {
		if (ndev->head_kobjs[i]) {
			kobject_del(ndev->head_kobjs[i]);
			kobject_put(ndev->head_kobjs[i]);
			ndev->head_kobjs[i] = NULL;
		}
	}
	nvg_sysfs_put(&ndev->heads_kobj);
}

/**
 * nvg_sysfs_device_init() - create heads/H/frames under the device
 * @ndev: the device, its heads initialised.
 *
 * Return: 0 or -ENOMEM.
 */
int nvg_sysfs_device_init(struct nvg_device *ndev)
{
	struct nvg_head_kobj *hk;
	unsigned int i;
	int ret;

	ndev->heads_kobj = kobject_create_and_add("heads", &ndev->drm.dev->kobj);
	if (!ndev->heads_kobj)
		return -ENOMEM;
	for (i = 0; i < ndev->kms.nr_heads; i++) {
		hk = kzalloc(sizeof(*hk), GFP_KERNEL);
		if (!hk)
			goto err;
		hk->head = &ndev->kms.heads[i];
		ret = kobject_init_and_add(&hk->kobj, &nvg_head_ktype, ndev->heads_kobj,
					   "%u", i);
		if (ret) {
			kobject_put(&hk->kobj);
			goto err;
		}
		ndev->head_kobjs[i] = &hk->kobj;
	}
	return 0;

err:
	nvg_sysfs_device_fini(ndev);
	return -ENOMEM;
}
