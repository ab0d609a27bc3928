// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_clock.c - the device clock's two modes, and
 * DRM_IOCTL_NVGHOST_CLOCK.
 *
 * clock=live (the default): device time (PTIMER) follows CLOCK_MONOTONIC,
 * as on real hardware. clock=virtual: it moves only when the clock is
 * ADVANCEd: the simulator's pending events (engines reaching their modelled
 * time, the PTIMER alarm that carries every driver timer, the heads'
 * vblanks) are played one at a time, in device-time order, and after each
 * the device settles, i.e. everything the event set off has run (see
 * nvg_clock_settle()), before the next: two engines finishing at the same
 * time are handled one after the other, each one's interrupt, arbiter and
 * policy decisions complete. The same driver code decides in both modes;
 * only where time comes from differs.
 */
#include <linux/capability.h>
#include <linux/devfreq.h>
#include <linux/thermal.h>
#include <linux/moduleparam.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <drm/drm_auth.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_print.h>

#include "nvghost_drv.h"
#include "nvghost_kms.h"
#include "nvghost_pacing_ops.h"
#include "nvghost_policy.h"
#include "nvghost_power.h"
#include "nvghost_power_ops.h"
#include "nvghost_sched_ops.h"
#include "nvghost_uvm.h"
#include "../uapi/nvghost_drm.h"

static char *nvg_clock = "live";
module_param_named(clock, nvg_clock, charp, 0444);
MODULE_PARM_DESC(clock,
		 "Device clock of each GPU, comma-separated per GPU, the last repeating: live (follows CLOCK_MONOTONIC) or virtual (moves only through DRM_IOCTL_NVGHOST_CLOCK) (default live)");

/**
 * nvg_clock_param() - the clock= entry for GPU @index
 * @index: the GPU.
 * @virt: set to whether its clock is virtual.
 *
 * Return: 0, or -EINVAL for anything but "live" or "virtual".
 */
int nvg_clock_param(unsigned int index, bool *virt)
{
	const char *p = nvg_clock ?: "live", *end;
	unsigned int i;

	for (i = 0; i < index; i++) {
		end = strchr(p, ',');
		if (!end)
			break;
		p = end + 1;
	}
	end = strchrnul(p, ',');
	if (end - p == 4 && !strncmp(p, "live", 4)) {
		*virt = false;
		return 0;
	}
	if (end - p == 7 && !strncmp(p, "virtual", 7)) {
		*virt = true;
		return 0;
	}
	pr_err("nvghost: bad clock= parameter '%s' for gpu%u: live or virtual\n",
	       nvg_clock, index);
	return -EINVAL;
}

/*
 * Virtual clock: devfreq and the thermal zone poll on the host's clock, so
 * they are registered with no polling and sampled here, through their
 * public entry points, by device alarms: the governors and the power
 * policy decide exactly as in live mode. The periods are live mode's
 * devfreq polling period and the zone's passive one (the shorter of its
 * two: a zone past its trip point is sampled that often in live mode).
 */
#define NVG_VCLOCK_DEVFREQ_NS	(50 * NSEC_PER_MSEC)
#define NVG_VCLOCK_THERMAL_NS	(100 * NSEC_PER_MSEC)

static void nvg_clock_devfreq_alarm(struct nvg_alarm *alarm)
{
	struct nvg_device *ndev = container_of(alarm, struct nvg_device, devfreq_alarm);

	queue_work(ndev->alarm_wq, &ndev->devfreq_work);
}

static void nvg_clock_devfreq_work(struct work_struct *work)
{
	struct nvg_device *ndev = container_of(work, struct nvg_device, devfreq_work);
	struct devfreq *df = ndev->power.devfreq;

	mutex_lock(&df->lock);
	update_devfreq(df);
	mutex_unlock(&df->lock);
	if (!READ_ONCE(ndev->power_stopping))
		nvg_alarm_after(ndev, &ndev->devfreq_alarm, NVG_VCLOCK_DEVFREQ_NS);
}

static void nvg_clock_thermal_alarm(struct nvg_alarm *alarm)
{
	struct nvg_device *ndev = container_of(alarm, struct nvg_device, thermal_alarm);

	queue_work(ndev->alarm_wq, &ndev->thermal_work);
}

static void nvg_clock_thermal_work(struct work_struct *work)
{
	struct nvg_device *ndev = container_of(work, struct nvg_device, thermal_work);

	thermal_zone_device_update(ndev->power.tz, THERMAL_EVENT_UNSPECIFIED);
	if (!READ_ONCE(ndev->power_stopping))
		nvg_alarm_after(ndev, &ndev->thermal_alarm, NVG_VCLOCK_THERMAL_NS);
}

/* After devfreq and the thermal zone are registered; no-op in live mode. */
void nvg_clock_power_start(struct nvg_device *ndev)
{
	if (!ndev->vclock)
		return;
	WRITE_ONCE(ndev->power_stopping, false);
	INIT_WORK(&ndev->devfreq_work, nvg_clock_devfreq_work);
	INIT_WORK(&ndev->thermal_work, nvg_clock_thermal_work);
	nvg_alarm_init(&ndev->devfreq_alarm, nvg_clock_devfreq_alarm);
	nvg_alarm_init(&ndev->thermal_alarm, nvg_clock_thermal_alarm);
	nvg_alarm_after(ndev, &ndev->devfreq_alarm, NVG_VCLOCK_DEVFREQ_NS);
	nvg_alarm_after(ndev, &ndev->thermal_alarm, NVG_VCLOCK_THERMAL_NS);
}

/* Before they are unregistered. */
void nvg_clock_power_stop(struct nvg_device *ndev)
{
	if (!ndev->vclock)
		return;
	WRITE_ONCE(ndev->power_stopping, true);
	nvg_alarm_cancel_sync(ndev, &ndev->devfreq_alarm);
	nvg_alarm_cancel_sync(ndev, &ndev->thermal_alarm);
	cancel_work_sync(&ndev->devfreq_work);
	cancel_work_sync(&ndev->thermal_work);
	/* A work that ran meanwhile re-armed nothing; one queued is gone. */
	nvg_alarm_cancel_sync(ndev, &ndev->devfreq_alarm);
	nvg_alarm_cancel_sync(ndev, &ndev->thermal_alarm);
}

/*
 * Virtual clock: drm_sched has no timeout of its own (MAX_SCHEDULE_TIMEOUT:
 * it would count host time). Each engine's job timeout is a device alarm
 * instead, re-armed whenever a job of the engine starts or completes, as
 * drm_sched restarts its timer; when it fires with jobs pending, its work
 * calls drm_sched_fault(), drm_sched's public way into its timeout handler
 * (nvg_timedout_job()), which then runs on the same ordered queue.
 */
static void nvg_clock_timeout_alarm(struct nvg_alarm *alarm)
{
	struct nvg_job_timeout *t = container_of(alarm, struct nvg_job_timeout, alarm);

	if (!READ_ONCE(t->ndev->arb.dead))
		queue_work(t->ndev->alarm_wq, &t->work);
}

static bool nvg_clock_sched_pending(struct drm_gpu_scheduler *sched)
{
	bool pending;

	spin_lock(&sched->job_list_lock);
	pending = !list_empty(&sched->pending_list);
	spin_unlock(&sched->job_list_lock);
	return pending;
}

static void nvg_clock_timeout_work(struct work_struct *work)
{
	struct nvg_job_timeout *t = container_of(work, struct nvg_job_timeout, work);
	struct nvg_device *ndev = t->ndev;

	if (READ_ONCE(ndev->arb.dead) || !nvg_clock_sched_pending(&ndev->sched[t->engine]))
		return;
	drm_sched_fault(&ndev->sched[t->engine]);
	nvg_clock_job_timeout_arm(ndev, t->engine);
}

/**
 * nvg_clock_job_timeout_arm() - a job of @engine started or completed
 * @ndev: the device.
 * @engine: the engine.
 *
 * Virtual clock only (a no-op in live mode): the engine's job timeout
 * starts again, job_timeout_ms of device time from now. Any context.
 */
void nvg_clock_job_timeout_arm(struct nvg_device *ndev, u32 engine)
{
	struct nvg_job_timeout *t = &ndev->job_timeouts[engine];

	if (!ndev->vclock || READ_ONCE(ndev->arb.dead))
		return;
	nvg_alarm_after(ndev, &t->alarm, (u64)nvg_job_timeout_ms * NSEC_PER_MSEC);
}

void nvg_clock_job_timeouts_init(struct nvg_device *ndev)
{
	u32 i;

	for (i = 0; i < NVG_MAX_ENGINES; i++) {
		struct nvg_job_timeout *t = &ndev->job_timeouts[i];

		t->ndev = ndev;
		t->engine = i;
		nvg_alarm_init(&t->alarm, nvg_clock_timeout_alarm);
		INIT_WORK(&t->work, nvg_clock_timeout_work);
	}
}

/* The arbiter is dead (nothing re-arms them): before drm_sched_fini(). */
void nvg_clock_job_timeouts_stop(struct nvg_device *ndev)
{
	u32 i;

	for (i = 0; i < NVG_MAX_ENGINES; i++) {
		nvg_alarm_cancel_sync(ndev, &ndev->job_timeouts[i].alarm);
		cancel_work_sync(&ndev->job_timeouts[i].work);
		nvg_alarm_cancel_sync(ndev, &ndev->job_timeouts[i].alarm);
	}
}

/* The hardware still (see below), and both activity counters. */
static u64 nvg_clock_hw_still(struct nvg_device *ndev)
{
	u64 t0 = ktime_get_ns(), gen;

	gen = ndev->hal.clock->settle(&ndev->hal) + atomic64_read(&ndev->vgen);
	ndev->vstats.hw_ns += ktime_get_ns() - t0;
	return gen;
}

/* Both activity counters now, without waiting for anything. */
static u64 nvg_clock_gen(struct nvg_device *ndev)
{
	return ndev->hal.clock->gen(&ndev->hal) + atomic64_read(&ndev->vgen);
}

/*
 * drm_sched's work, pending or running. Its run and free work requeue
 * each other, and themselves, after our callbacks returned (after
 * nvg_vgen_count()): a work that was running when a settle's pass read the
 * counters and that requeues once that pass's flush has begun is not
 * waited for, and moves no counter until it runs, perhaps after the
 * settle (seen in CI: "activity after a settle (after_engine; hardware +0,
 * driver +1)"). The flush waited for the one running, so what it requeued
 * is pending now, or running, or done and counted. Our own work counts
 * after it queues (nvg_vgen_count()).
 */
static bool nvg_clock_sched_busy(struct nvg_device *ndev)
{
	u32 i;

	for (i = 0; i < ndev->arb.nr_engines; i++) {
		struct drm_gpu_scheduler *sched = &ndev->sched[i];

		if (work_busy(&sched->work_free_job) || work_busy(&sched->work_run_job))
			return true;
	}
	return false;
}

/* Where a settle was (enum nvg_vsettle_place): debugfs and the warnings. */
static const char *const nvg_vsettle_place[NVG_VSETTLE_PLACES] = {
	"before", "after_alarm", "after_head", "after_engine", "at_until" };

/*
 * Wait until nothing an event set off is still going: the interrupt it
 * raised was handled (and the alarms due ran), the arbiter's kick work,
 * drm_sched's submit and free work, the work device alarms queued, the
 * replayable faults raised (nvg_uvm_settle()) and a policy's ejection are
 * done, every engine is idle or blocked on its
 * next event, and every nonblocking commit (a page flip) has programmed
 * the hardware (nvg_kms_vcommits_settle()). One pass waits for the
 * hardware, flushes the driver's work and the commits, and waits for the
 * hardware again (that work may have launched or preempted an engine);
 * the settle is over after a pass in which neither activity counter moved
 * and no commit was waited for: anything that ran during it (a kick, an
 * alarm, drm_sched's work, an interrupt, an engine waking or launching, a
 * flip being armed) counts, and so does drm_sched's work still pending
 * or running after the flush (nvg_clock_sched_busy()). Both counters only
 * grow, so a pass whose flushes moved neither (their sum reads as before,
 * with no wait) left the hardware as still as it found it: the second
 * wait is skipped.
 */
static void nvg_clock_settle(struct nvg_device *ndev, unsigned int where)
{
	u64 before, after, t0, s0 = ktime_get_ns();
	int commits;
	bool busy;

	ndev->vstats.settles++;
	ndev->vstats.settle_n[where]++;
	do {
		ndev->vstats.passes++;
		before = nvg_clock_hw_still(ndev);
		t0 = ktime_get_ns();
		/* the kick, drm_sched's work and the alarms' all run there */
		flush_workqueue(ndev->alarm_wq);
		flush_work(&nvg_sched_hook.eject_work);
		flush_work(&nvg_power_hook.eject_work);
		flush_work(&nvg_pacing_hook.eject_work);
		/* replayable faults: serviced, migrated and replayed */
		nvg_uvm_settle(ndev);
		ndev->vstats.flush_ns += ktime_get_ns() - t0;
		t0 = ktime_get_ns();
		commits = nvg_kms_vcommits_settle(ndev);
		ndev->vstats.commits += commits;
		ndev->vstats.commit_ns += ktime_get_ns() - t0;
		busy = nvg_clock_sched_busy(ndev);	/* before the counters */
		if (!commits && !busy && nvg_clock_gen(ndev) == before) {
			ndev->vstats.still_passes++;
			break;
		}
		after = nvg_clock_hw_still(ndev);
	} while (before != after || commits || busy);
	ndev->vsettled_hw = ndev->hal.clock->gen(&ndev->hal);
	ndev->vsettled_drv = atomic64_read(&ndev->vgen);
	ndev->vsettled_where = where;
	ndev->vstats.settle_ns[where] += ktime_get_ns() - s0;
}

/*
 * Between a settle's end and the next event played (or ADVANCE's return)
 * nothing may run: the device is still, and the clock_lock keeps other
 * ADVANCEs out. Something that did ran outside what the settle waits for,
 * at a moment the host's CPUs chose: on two CPUs it may run before the
 * next event or after it, and the same replay can decide differently. Count
 * it (debugfs gpuN/vclock) and say so once per ADVANCE; another process's
 * ioctl during an ADVANCE shows here too (the driver's counter).
 */
static void nvg_clock_check_escape(struct nvg_device *ndev, u64 next, bool *said)
{
	u64 hw = ndev->hal.clock->gen(&ndev->hal) - ndev->vsettled_hw;
	u64 drv = atomic64_read(&ndev->vgen) - ndev->vsettled_drv;
	/* an engine still at work counts, even before it moved the counter */
	bool busy = !ndev->hal.clock->still(&ndev->hal);

	if (!hw && !drv && !busy)
		return;
	ndev->vstats.escapes_hw += hw || busy;
	ndev->vstats.escapes_drv += !!drv;
	if (!*said)
		pr_warn_ratelimited("nvghost: gpu%u: virtual clock: activity after a settle (%s; hardware +%llu%s, driver +%llu, last counted at %pS) at %llu ns, next event at %llu ns: this replay may not be deterministic\n",
				    ndev->index, nvg_vsettle_place[ndev->vsettled_where],
				    hw, busy ? ", still at work" : "", drv,
				    (void *)READ_ONCE(ndev->vgen_site),
				    nvg_ptimer_read(ndev), next);
	*said = true;
}

static bool nvg_clock_may_advance(struct drm_file *file)
{
	return drm_is_current_master(file) || capable(CAP_SYS_ADMIN);
}

static int nvg_clock_advance(struct nvg_device *ndev, struct drm_nvghost_clock *args)
{
	const struct nvg_hal_clock_funcs *clk = ndev->hal.clock;
	u64 signals;
	bool stop = false;
	int ret;

	u64 t0, w0 = ktime_get_ns();
	bool said = false;
	u32 kind;

	ret = mutex_lock_interruptible(&ndev->clock_lock);
	if (ret)
		return ret;
	ndev->vstats.advances++;
	nvg_clock_settle(ndev, NVG_VSETTLE_BEFORE);
	signals = atomic64_read(&ndev->vsignals);
	if (args->until_ns > nvg_ptimer_read(ndev)) {
		while (args->events < U32_MAX) {
			if (fatal_signal_pending(current)) {
				ret = -EINTR;
				break;
			}
			nvg_clock_check_escape(ndev, clk->next(&ndev->hal), &said);
			t0 = ktime_get_ns();
			if (!clk->play(&ndev->hal, args->until_ns, &kind))
				break;
			ndev->vstats.play_ns += ktime_get_ns() - t0;
			ndev->vstats.events++;
			args->events++;
			nvg_clock_settle(ndev, NVG_VSETTLE_EVENT +
					 min_t(u32, kind, NVG_HAL_EV_KINDS - 1));
			if ((args->flags & DRM_NVGHOST_CLOCK_STOP_ON_SIGNAL) &&
			    atomic64_read(&ndev->vsignals) != signals) {
				stop = true;
				break;
			}
		}
		/*
		 * The settle after the last event (or before the first)
		 * still holds unless moving the clock set the hardware
		 * going (a new p-state's clock replanning a job): no
		 * event was played since, so nothing of the device's
		 * queued work; what callers do meanwhile is theirs, and
		 * the next ADVANCE settles it first.
		 */
		if (!stop && !ret) {
			if (clk->set(&ndev->hal, args->until_ns))
				nvg_clock_settle(ndev, NVG_VSETTLE_UNTIL);
			else
				ndev->vstats.settles_skipped++;
		}
	}
	nvg_clock_check_escape(ndev, clk->next(&ndev->hal), &said);
	ndev->vstats.advance_ns += ktime_get_ns() - w0;
	mutex_unlock(&ndev->clock_lock);
	return ret;
}

/**
 * nvg_clock_stats_show() - debugfs gpuN/vclock: where ADVANCE's time went
 * @ndev: the device.
 * @m: where to print.
 *
 * Host (wall) nanoseconds, for finding what makes a replay slow; nothing
 * the device decides depends on them.
 *
 * Return: 0.
 */
int nvg_clock_stats_show(struct nvg_device *ndev, struct seq_file *m)
{
	const char *const *place = nvg_vsettle_place;
	const struct nvg_vclock_stats *v = &ndev->vstats;
	unsigned int i;

	mutex_lock(&ndev->clock_lock);
	seq_printf(m, "virtual: %d\nadvances: %llu\nevents: %llu\nsettles: %llu\npasses: %llu\n"
		   "commits_waited: %llu\nadvance_ns: %llu\nplay_ns: %llu\nhw_settle_ns: %llu\n"
		   "flush_ns: %llu\ncommit_ns: %llu\n", ndev->vclock, v->advances, v->events,
		   v->settles, v->passes, v->commits, v->advance_ns, v->play_ns, v->hw_ns,
		   v->flush_ns, v->commit_ns);
	for (i = 0; i < NVG_VSETTLE_PLACES; i++)
		seq_printf(m, "settles_%s: %llu %llu ns\n", place[i], v->settle_n[i],
			   v->settle_ns[i]);
	seq_printf(m, "settles_skipped: %llu\nstill_passes: %llu\nescapes_hw: %llu\nescapes_drv: %llu\n",
		   v->settles_skipped, v->still_passes, v->escapes_hw, v->escapes_drv);
	mutex_unlock(&ndev->clock_lock);
	return 0;
}

/**
 * nvg_ioctl_clock() - DRM_IOCTL_NVGHOST_CLOCK: read or advance the device clock
 * @drm: the device.
 * @data: a &struct drm_nvghost_clock.
 * @file: the caller's file.
 *
 * Return: 0; -EINVAL for an unknown op or flag (or a GET or THERMAL_RESET
 * with flags or until_ns); -EOPNOTSUPP for ADVANCE or THERMAL_RESET in live
 * mode; -EACCES for either from a file that is not the DRM master, without
 * CAP_SYS_ADMIN; -EBUSY for THERMAL_RESET while a job is queued or
 * running (nvg_power_thermal_reset()); -ENODEV
 * once unplugged; -EINTR if a fatal signal ended an ADVANCE (the clock
 * then stands at the last event played).
 */
int nvg_ioctl_clock(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct nvg_device *ndev = to_nvg_device(drm);
	struct drm_nvghost_clock *args = data;
	int ret = 0, idx;

	if (args->op > DRM_NVGHOST_CLOCK_THERMAL_RESET) {
		drm_dbg_driver(drm, "clock: unknown op %u\n", args->op);
		return -EINVAL;
	}
	if (args->flags & ~DRM_NVGHOST_CLOCK_FLAGS) {
		drm_dbg_driver(drm, "clock: unknown flags 0x%x\n", args->flags);
		return -EINVAL;
	}
	if (args->op != DRM_NVGHOST_CLOCK_ADVANCE && (args->flags || args->until_ns)) {
		drm_dbg_driver(drm, "clock: only ADVANCE takes flags or until_ns\n");
		return -EINVAL;
	}
	args->mode = ndev->vclock ? DRM_NVGHOST_CLOCK_MODE_VIRTUAL :
				    DRM_NVGHOST_CLOCK_MODE_LIVE;
	args->events = 0;
	if (args->op != DRM_NVGHOST_CLOCK_GET) {
		if (!ndev->vclock)
			return -EOPNOTSUPP;
		if (!nvg_clock_may_advance(file))
			return -EACCES;
	}
	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	if (args->op == DRM_NVGHOST_CLOCK_ADVANCE)
		ret = nvg_clock_advance(ndev, args);
	else if (args->op == DRM_NVGHOST_CLOCK_THERMAL_RESET)
		ret = nvg_power_thermal_reset(ndev);
	args->now_ns = nvg_ptimer_read(ndev);
	args->next_ns = ndev->vclock ? ndev->hal.clock->next(&ndev->hal) : 0;
	drm_dev_exit(idx);
	return ret;
}
