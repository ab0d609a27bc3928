// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_debugfs.c - status and test knobs under /sys/kernel/debug/nvghost.
 *
 *   status          each hook: state, policy, op counters, last exit
 *   eject           write a hook name (sched, pacing, power) to eject its policy, the
 *                   equivalent of sched_ext's SysRq-S
 *   gpuN/info       identity, PTIMER, interrupt counters
 *   gpuN/arbiter    run queues and who dispatched what
 *   gpuN/vram       VRAM bytes: total, used, free
 *   gpuN/submit     write "ENGINE COUNT COST_US" to queue synthetic jobs
 *   gpuN/ptimer_alarm  write "DELAY_US" to arm the PTIMER alarm
 *   gpuN/inject     write "ENGINE hang|fault|drop_irq": the engine's next
 *                   job hangs, faults at its first access, or completes
 *                   without an interrupt (recovery tests); "ENGINE
 *                   hang_migrate|fault_migrate": it hangs in, or faults
 *                   at the end of, its first managed-memory fault, after
 *                   the driver migrated the pages (47-uvm-inject);
 *                   "ENGINE fail_migration": the next migration copy the
 *                   engine makes fails (the simulator migrates on engine
 *                   1; one failure per write; 48-uvm-migration-fail)
 *   gpuN/power      p-state, clock, voltage, power, energy, temperature,
 *                   each engine's busy time and gating
 *   gpuN/thermal_inject  write a signed offset in milli-degrees C: the
 *                   GPU's air gets that much hotter and the die jumps by
 *                   as much at once (throttling tests); 0 undoes it
 *
 * debugfs is not ABI; these are for tests, tools and people debugging.
 */
#include <linux/debugfs.h>
#include <linux/kstrtox.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "nvghost_drv.h"
#include "nvghost_pacing_ops.h"
#include "nvghost_power_ops.h"
#include "nvghost_mem_ops.h"
#include "nvghost_uvm.h"
#include "nvghost_regs.h"
#include "nvghost_sched.h"

static struct dentry *nvg_debugfs_root;

static int nvg_uvm_dbg_show(struct seq_file *m, void *unused)
{
	return nvg_uvm_show(m->private, m);
}
DEFINE_SHOW_ATTRIBUTE(nvg_uvm_dbg);

static int nvg_status_show(struct seq_file *m, void *unused)
{
	return nvg_sched_show(m) ?: nvg_pacing_ops_show(m) ?: nvg_power_ops_show(m) ?:
	       nvg_mem_ops_show(m);
}
DEFINE_SHOW_ATTRIBUTE(nvg_status);

/* Copy a short user write into a NUL-terminated, newline-stripped buffer. */
static int nvg_debugfs_read_arg(char *buf, size_t size, const char __user *ubuf,
				size_t len)
{
	if (len >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	strim(buf);
	return 0;
}

static ssize_t nvg_eject_write(struct file *f, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	struct nvg_hook *hook;
	char buf[16];
	int ret;

	ret = nvg_debugfs_read_arg(buf, sizeof(buf), ubuf, len);
	if (ret)
		return ret;
	if (!strcmp(buf, "sched"))
		hook = &nvg_sched_hook;
	else if (!strcmp(buf, "pacing"))
		hook = &nvg_pacing_hook;
	else if (!strcmp(buf, "power"))
		hook = &nvg_power_hook;
	else if (!strcmp(buf, "mem"))
		hook = &nvg_mem_hook;
	else
		return -EINVAL;
	if (!rcu_access_pointer(hook->ops))
		return -ENOENT;
	nvg_hook_eject(hook, NVG_EXIT_SYSRQ, NULL, 0,
		       "ejected through debugfs by %s[%d]", current->comm,
		       task_tgid_nr(current));
	nvg_hook_flush(hook);
	return len;
}

static const struct file_operations nvg_eject_fops = {
	.owner	= THIS_MODULE,
	.write	= nvg_eject_write,
	.llseek	= noop_llseek,
};

static int nvg_info_show(struct seq_file *m, void *unused)
{
	struct nvg_device *ndev = m->private;

	seq_printf(m, "chip: %s\n", ndev->chip->name);
	seq_printf(m, "boot0: 0x%08x\n", ndev->boot0);
	seq_printf(m, "arch: %s\n", nvg_arch_name(nvg_boot0_arch(ndev->boot0)));
	seq_printf(m, "vram_mb: %llu\n", ndev->vram_size >> 20);
	seq_printf(m, "engines: %u\n", ndev->arb.nr_engines);
	seq_printf(m, "ptimer_ns: %llu\n", nvg_ptimer_read(ndev));
	seq_printf(m, "irq: %d\n", ndev->hal.irq);
	seq_printf(m, "irq_ptimer: %lld\n", atomic64_read(&ndev->irq_ptimer));
	seq_printf(m, "irq_pfifo: %lld\n", atomic64_read(&ndev->irq_pfifo));
	seq_printf(m, "irq_spurious: %lld\n", atomic64_read(&ndev->irq_spurious));
	seq_printf(m, "irq_lost: %lld\n", atomic64_read(&ndev->irq_lost));
	seq_printf(m, "irq_mmu_fault: %lld\n", atomic64_read(&ndev->irq_mmu_fault));
	seq_printf(m, "engine_resets: %lld\n", atomic64_read(&ndev->engine_resets));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nvg_info);

static int nvg_arbiter_dbg_show(struct seq_file *m, void *unused)
{
	return nvg_arbiter_show(m->private, m);
}
DEFINE_SHOW_ATTRIBUTE(nvg_arbiter_dbg);

static int nvg_vram_dbg_show(struct seq_file *m, void *unused)
{
	return nvg_vram_show(m->private, m);
}
DEFINE_SHOW_ATTRIBUTE(nvg_vram_dbg);

static int nvg_display_dbg_show(struct seq_file *m, void *unused)
{
	return nvg_kms_show(m->private, m);
}
DEFINE_SHOW_ATTRIBUTE(nvg_display_dbg);

static int nvg_vclock_dbg_show(struct seq_file *m, void *unused)
{
	return nvg_clock_stats_show(m->private, m);
}
DEFINE_SHOW_ATTRIBUTE(nvg_vclock_dbg);

static ssize_t nvg_submit_write(struct file *f, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	struct nvg_device *ndev = file_inode(f)->i_private;
	u32 engine, count, cost_us, i;
	char buf[64];
	int ret;

	ret = nvg_debugfs_read_arg(buf, sizeof(buf), ubuf, len);
	if (ret)
		return ret;
	if (sscanf(buf, "%u %u %u", &engine, &count, &cost_us) != 3 ||
	    !count || count > 10000)
		return -EINVAL;
	for (i = 0; i < count; i++) {
		ret = nvg_arbiter_submit(ndev, ndev->kctx, engine,
					 (u64)cost_us * NSEC_PER_USEC);
		if (ret)
			return ret;
	}
	return len;
}

static const struct file_operations nvg_submit_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= nvg_submit_write,
	.llseek	= noop_llseek,
};

static ssize_t nvg_alarm_write(struct file *f, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	struct nvg_device *ndev = file_inode(f)->i_private;
	u32 delay_us;
	int ret;

	ret = kstrtou32_from_user(ubuf, len, 0, &delay_us);
	if (ret)
		return ret;
	if (delay_us > 1000000)
		return -ERANGE;
	/* A device alarm: ALARM_0 is the driver's, multiplexed (nvghost_alarm.c). */
	nvg_alarm_after(ndev, &ndev->test_alarm, (u64)delay_us * NSEC_PER_USEC);
	return len;
}

static const struct file_operations nvg_alarm_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= nvg_alarm_write,
	.llseek	= noop_llseek,
};

static ssize_t nvg_inject_write(struct file *f, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	struct nvg_device *ndev = file_inode(f)->i_private;
	char buf[32], what[16];
	enum nvg_hal_inject_what inj;
	u32 engine;
	int ret;

	if (!nvg_hw_can_inject(&ndev->hal))
		return -EOPNOTSUPP;
	ret = nvg_debugfs_read_arg(buf, sizeof(buf), ubuf, len);
	if (ret)
		return ret;
	if (sscanf(buf, "%u %15s", &engine, what) != 2 ||
	    engine >= ndev->arb.nr_engines)
		return -EINVAL;
	if (!strcmp(what, "hang"))
		inj = NVG_HAL_INJECT_HANG;
	else if (!strcmp(what, "fault"))
		inj = NVG_HAL_INJECT_FAULT;
	else if (!strcmp(what, "drop_irq"))
		inj = NVG_HAL_INJECT_DROP_IRQ;
	else if (!strcmp(what, "hang_migrate"))
		inj = NVG_HAL_INJECT_HANG_MIGRATE;
	else if (!strcmp(what, "fault_migrate"))
		inj = NVG_HAL_INJECT_FAULT_MIGRATE;
	else if (!strcmp(what, "fail_migration"))
		inj = NVG_HAL_INJECT_FAIL_MIGRATION;
	else
		return -EINVAL;
	nvg_hw_inject_engine(&ndev->hal, engine, inj);
	return len;
}

static const struct file_operations nvg_inject_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= nvg_inject_write,
	.llseek	= noop_llseek,
};

static int nvg_power_dbg_show(struct seq_file *m, void *unused)
{
	return nvg_power_show(m->private, m);
}
DEFINE_SHOW_ATTRIBUTE(nvg_power_dbg);

static ssize_t nvg_thermal_inject_write(struct file *f, const char __user *ubuf,
					size_t len, loff_t *ppos)
{
	struct nvg_device *ndev = file_inode(f)->i_private;
	s32 mc;
	int ret;

	if (!nvg_hw_can_inject(&ndev->hal))
		return -EOPNOTSUPP;
	ret = kstrtos32_from_user(ubuf, len, 0, &mc);
	if (ret)
		return ret;
	if (mc < -100000 || mc > 150000)
		return -ERANGE;
	nvg_hw_inject_heat(&ndev->hal, mc);
	return len;
}

static const struct file_operations nvg_thermal_inject_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= nvg_thermal_inject_write,
	.llseek	= noop_llseek,
};

void nvg_debugfs_device_init(struct nvg_device *ndev)
{
	unsigned int i;
	char name[16];

	snprintf(name, sizeof(name), "gpu%u", ndev->index);
	ndev->debugfs = debugfs_create_dir(name, nvg_debugfs_root);
	debugfs_create_file("info", 0444, ndev->debugfs, ndev, &nvg_info_fops);
	debugfs_create_file("arbiter", 0444, ndev->debugfs, ndev,
			    &nvg_arbiter_dbg_fops);
	debugfs_create_file("vram", 0444, ndev->debugfs, ndev, &nvg_vram_dbg_fops);
	debugfs_create_file("submit", 0200, ndev->debugfs, ndev, &nvg_submit_fops);
	debugfs_create_file("ptimer_alarm", 0200, ndev->debugfs, ndev,
			    &nvg_alarm_fops);
	debugfs_create_file("inject", 0200, ndev->debugfs, ndev, &nvg_inject_fops);
	debugfs_create_file("power", 0444, ndev->debugfs, ndev, &nvg_power_dbg_fops);
	debugfs_create_file("thermal_inject", 0200, ndev->debugfs, ndev,
			    &nvg_thermal_inject_fops);
	debugfs_create_file("display", 0444, ndev->debugfs, ndev, &nvg_display_dbg_fops);
	debugfs_create_file("uvm", 0444, ndev->debugfs, ndev, &nvg_uvm_dbg_fops);
	debugfs_create_file("vclock", 0444, ndev->debugfs, ndev, &nvg_vclock_dbg_fops);
	for (i = 0; i < ndev->kms.nr_heads; i++)
		nvg_connector_debugfs_init(&ndev->kms.heads[i], ndev->debugfs);
}

void nvg_debugfs_device_fini(struct nvg_device *ndev)
{
	debugfs_remove_recursive(ndev->debugfs);
	ndev->debugfs = NULL;
}

void nvg_debugfs_module_init(void)
{
	nvg_debugfs_root = debugfs_create_dir("nvghost", NULL);
	debugfs_create_file("status", 0444, nvg_debugfs_root, NULL,
			    &nvg_status_fops);
	debugfs_create_file("eject", 0200, nvg_debugfs_root, NULL, &nvg_eject_fops);
}

void nvg_debugfs_module_fini(void)
{
	debugfs_remove_recursive(nvg_debugfs_root);
}
