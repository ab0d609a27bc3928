// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_alarm.c - device alarms: the driver's timers run on the GPU's
 * clock, not the host's.
 *
 * As nouveau's nvkm_timer_alarm(): pending alarms sit in one list sorted by
 * PTIMER time, PTIMER's ALARM_0 is programmed to the earliest, and the
 * PTIMER interrupt runs the ones that are due and programs the next. The
 * arbiter's slice timer, the scheduling watchdog, the pacing latch, the
 * FRAME_WAIT sleep and, in virtual mode, the job timeout and the
 * devfreq/thermal sampling all are alarms, so the same driver code runs
 * whether device time follows the host's clock (clock=live) or moves only
 * when DRM_IOCTL_NVGHOST_CLOCK plays the next event (clock=virtual).
 *
 * ALARM_0 compares against the low 32 bits of PTIMER: an alarm further
 * away than NVG_ALARM_MAX_NS is programmed in steps.
 */
#include <linux/sched/signal.h>
#include <drm/drm_drv.h>

#include "nvghost_drv.h"
#include "nvghost_alarm.h"
#include "nvghost_regs.h"

/* The furthest ALARM_0 can be programmed ahead (it wraps at 2^32 ns). */
#define NVG_ALARM_MAX_NS	BIT_ULL(31)

void nvg_alarm_init(struct nvg_alarm *alarm, void (*func)(struct nvg_alarm *alarm))
{
	INIT_LIST_HEAD(&alarm->head);
	alarm->func = func;
}

static void nvg_alarm_nop(struct nvg_alarm *alarm)
{
}

void nvg_alarms_init(struct nvg_device *ndev)
{
	spin_lock_init(&ndev->alarm_lock);
	INIT_LIST_HEAD(&ndev->alarms);
	nvg_alarm_init(&ndev->test_alarm, nvg_alarm_nop);
}

/* Program ALARM_0 for the earliest pending alarm. alarm_lock held. */
static void nvg_alarm_program(struct nvg_device *ndev, u64 now)
{
	struct nvg_alarm *first;
	u64 when;

	first = list_first_entry_or_null(&ndev->alarms, struct nvg_alarm, head);
	if (!first)
		return;
	when = min(first->timestamp, now + NVG_ALARM_MAX_NS);
	nvg_wr32(&ndev->hal, NV_PTIMER_ALARM_0, lower_32_bits(when));
}

/**
 * nvg_alarm_at() - (re)arm @alarm for PTIMER time @when
 * @ndev: the device.
 * @alarm: the alarm; moved if it was pending.
 * @when: PTIMER ns; a time already past fires at once.
 *
 * Any context.
 */
void nvg_alarm_at(struct nvg_device *ndev, struct nvg_alarm *alarm, u64 when)
{
	struct nvg_alarm *a;
	unsigned long flags;

	spin_lock_irqsave(&ndev->alarm_lock, flags);
	list_del_init(&alarm->head);
	alarm->timestamp = when;
	list_for_each_entry(a, &ndev->alarms, head)
		if (a->timestamp > when)
			break;
	list_add_tail(&alarm->head, &a->head);
	if (list_first_entry(&ndev->alarms, struct nvg_alarm, head) == alarm)
		nvg_alarm_program(ndev, nvg_ptimer_read(ndev));
	spin_unlock_irqrestore(&ndev->alarm_lock, flags);
}

/* @ns of device time from now. Any context. */
void nvg_alarm_after(struct nvg_device *ndev, struct nvg_alarm *alarm, u64 ns)
{
	nvg_alarm_at(ndev, alarm, nvg_ptimer_read(ndev) + ns);
}

/* Disarm; its function may still be running. Any context. */
void nvg_alarm_cancel(struct nvg_device *ndev, struct nvg_alarm *alarm)
{
	unsigned long flags;

	spin_lock_irqsave(&ndev->alarm_lock, flags);
	list_del_init(&alarm->head);
	spin_unlock_irqrestore(&ndev->alarm_lock, flags);
}

/* Disarm, and wait for its function if it is running. Not from it. */
void nvg_alarm_cancel_sync(struct nvg_device *ndev, struct nvg_alarm *alarm)
{
	nvg_alarm_cancel(ndev, alarm);
	while (READ_ONCE(ndev->alarm_running) == alarm)
		cpu_relax();
}

bool nvg_alarm_pending(struct nvg_device *ndev, struct nvg_alarm *alarm)
{
	unsigned long flags;
	bool pending;

	spin_lock_irqsave(&ndev->alarm_lock, flags);
	pending = !list_empty(&alarm->head);
	spin_unlock_irqrestore(&ndev->alarm_lock, flags);
	return pending;
}

/**
 * nvg_alarms_irq() - PTIMER's ALARM interrupt: run what is due
 * @ndev: the device.
 *
 * Hard IRQ. Each due alarm is taken off the list and run with the lock
 * dropped (it may re-arm itself), one at a time, oldest first; then ALARM_0
 * is programmed for the next.
 */
void nvg_alarms_irq(struct nvg_device *ndev)
{
	struct nvg_alarm *a;
	unsigned long flags;
	u64 now;

	spin_lock_irqsave(&ndev->alarm_lock, flags);
	for (;;) {
		now = nvg_ptimer_read(ndev);
		a = list_first_entry_or_null(&ndev->alarms, struct nvg_alarm, head);
		if (!a || a->timestamp > now)
			break;
		list_del_init(&a->head);
		WRITE_ONCE(ndev->alarm_running, a);
		spin_unlock_irqrestore(&ndev->alarm_lock, flags);
		a->func(a);
		nvg_vgen_count(ndev);	/* after the work it queued */
		WRITE_ONCE(ndev->alarm_running, NULL);
		spin_lock_irqsave(&ndev->alarm_lock, flags);
	}
	nvg_alarm_program(ndev, now);
	spin_unlock_irqrestore(&ndev->alarm_lock, flags);
}

struct nvg_alarm_sleeper {
	struct nvg_alarm alarm;
	struct task_struct *task;
	bool fired;
};

static void nvg_alarm_wake(struct nvg_alarm *alarm)
{
	struct nvg_alarm_sleeper *s = container_of(alarm, struct nvg_alarm_sleeper, alarm);

	WRITE_ONCE(s->fired, true);
	wake_up_process(s->task);
}

/**
 * nvg_alarm_sleep_until() - sleep until PTIMER time @when
 * @ndev: the device.
 * @when: PTIMER ns.
 *
 * Interruptible. In virtual mode the sleep ends when the clock is advanced
 * past @when.
 *
 * Return: 0, or -EINTR if a signal cut it short.
 */
int nvg_alarm_sleep_until(struct nvg_device *ndev, u64 when)
{
	struct nvg_alarm_sleeper s = { .task = current };
	int ret = 0;

	nvg_alarm_init(&s.alarm, nvg_alarm_wake);
	nvg_alarm_at(ndev, &s.alarm, when);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(s.fired))
			break;
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		/* Gone: its alarms no longer fire; the caller sees -ENODEV. */
		if (drm_dev_is_unplugged(&ndev->drm))
			break;
		schedule_timeout(HZ / 10);
	}
	__set_current_state(TASK_RUNNING);
	nvg_alarm_cancel_sync(ndev, &s.alarm);
	return ret;
}
