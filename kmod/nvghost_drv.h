/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_drv.h - the nvghost device and what its parts share.
 */
#ifndef _NVGHOST_DRV_H_
#define _NVGHOST_DRV_H_

#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <drm/drm_device.h>
#include <drm/gpu_scheduler.h>

#include "hal/nvghost_hal.h"
#include "nvghost_alarm.h"
#include "nvghost_chip.h"
#include "nvghost_gem.h"
#include "nvghost_kms.h"
#include "nvghost_power.h"
#include "nvghost_sched_ops.h"

#define DRIVER_NAME	"nvghost"
#define DRIVER_DESC	"BPF-programmable driver for a simulated NVIDIA-class GPU"
#define DRIVER_DATE	"20261125"
#define DRIVER_MAJOR	0
#define DRIVER_MINOR	1

#define NVG_MAX_GPUS	8

struct dentry;
struct drm_printer;
struct nvg_dsq;
struct nvg_hwjob;
struct nvg_vm;
struct platform_device;

/**
 * struct nvg_engine - the driver's view of one engine
 * @index: engine number.
 * @class_id: its class, read from the hardware.
 * @queue: runnable jobs, oldest first (the default's FIFO order).
 * @nr_queued: entries in @queue.
 * @running: the job the engine executes, or NULL.
 * @completed: jobs finished on this engine.
 * @stall_since: PTIMER time since which the oldest queued job has been
 *	passed over (engine idle, or running a younger job); 0 if it is not.
 * @slice_timer: a device alarm: fires when the running job's timeslice is
 *	over.
 * @slice_over: the running job used its slice up with nobody waiting; the
 *	next job to arrive preempts it.
 * @preempting: a PREEMPT was written for the running job.
 */
struct nvg_engine {
	u32 index;
	u32 class_id;
	struct list_head queue;
	u32 nr_queued;
	struct nvg_job_obj *running;
	u64 completed;
	u64 stall_since;
	/* the engine finished its last job at (PTIMER ns); 0: never */
	u64 idle_since;
	/* the longest it sat idle while work was queued, ns (debugfs) */
	u64 max_idle_queued_ns;
	struct nvg_alarm slice_timer;
	/* how late slice_timer fired beyond 1 ms: the machine stalled (ns) */
	atomic64_t stalled_ns;
	bool slice_over;
	bool preempting;
};

/**
 * struct nvg_arbiter - decides which job each engine runs
 * @lock: protects the engines' queues and the counters; any context.
 * @engines: per-engine state.
 * @nr_engines: engines in use.
 * @kick_work: starts idle engines; runs the policy's dispatch.
 * @watchdog: ejects a policy that lets runnable work stall; queued by
 *	@watchdog_alarm.
 * @watchdog_alarm: a device alarm, every sched_watchdog_ms / 4.
 * @done_pending: engines whose completion the IRQ handler saw, not yet
 *	retired by @kick_work.
 * @preempt_req: engines a policy asked to preempt (nvg_engine_preempt()).
 * @slice_expired: engines whose running job's slice timer fired.
 * @next_copy: the copy engine the built-in choice gives the next channel
 *	(nvg_chan_pick_engine()).
 * @preemptions: jobs preempted (slice expiry or policy request).
 * @by_policy: jobs started because the policy named them.
 * @by_default: jobs started by the built-in FIFO.
 * @dead: the device is unplugged or going away: no kick is queued, no job
 *	starts, no slice timer is armed, none is accepted (set under @lock;
 *	nvg_arbiter_unplug(), nvg_arbiter_fini()).
 * @jobs: every job of the device the arbiter holds (queued, running, or in
 *	a channel's backlog), by id, for dispatch by id.
 * @early_submits: jobs SUBMIT handed over itself (fast path; under @lock).
 * @direct_starts: jobs started on an idle engine as they arrived, without
 *	the kick work (fast path; under @lock).
 * @irq_signals: out-fences the completion interrupt signalled (fast path;
 *	under @lock).
 */
struct nvg_arbiter {
	spinlock_t lock; /* see above */
	struct nvg_engine engines[NVG_MAX_ENGINES];
	u32 nr_engines;
	struct work_struct kick_work;
	struct work_struct watchdog;
	struct nvg_alarm watchdog_alarm;
	atomic_t done_pending;
	atomic_t preempt_req;
	atomic_t slice_expired;
	atomic_t next_copy;
	u64 preemptions;
	u64 by_policy;
	u64 by_default;
	u64 early_submits;
	u64 direct_starts;
	u64 irq_signals;
	bool dead;
	struct xarray jobs;
};

/**
 * struct nvg_job_timeout - virtual clock: an engine's job timeout
 * @alarm: a device alarm, job_timeout_ms after a job started or completed.
 * @work: calls drm_sched_fault().
 * @ndev: the device.
 * @engine: the engine.
 */
struct nvg_job_timeout {
	struct nvg_alarm alarm;
	struct work_struct work;
	struct nvg_device *ndev;
	u32 engine;
};

/**
 * enum nvg_vsettle_place - where in ADVANCE a settle was (statistics)
 * @NVG_VSETTLE_BEFORE: before the first event.
 * @NVG_VSETTLE_EVENT: after an event: plus its enum nvg_hal_event_kind.
 * @NVG_VSETTLE_UNTIL: after moving the clock to until_ns with no event.
 * @NVG_VSETTLE_PLACES: how many.
 */
enum nvg_vsettle_place {
	NVG_VSETTLE_BEFORE,
	NVG_VSETTLE_EVENT,
	NVG_VSETTLE_UNTIL = NVG_VSETTLE_EVENT + NVG_HAL_EV_KINDS,
	NVG_VSETTLE_PLACES,
};

/**
 * struct nvg_vclock_stats - host time spent in virtual-clock ADVANCEs
 * @advances: ADVANCE calls.
 * @events: events played.
 * @settles: settles (one before and after each event, and at the end).
 * @passes: their passes (nvg_clock_settle()).
 * @commits: nonblocking commits a settle waited for.
 * @advance_ns: host ns in ADVANCE, clock_lock held.
 * @play_ns: in playing events.
 * @hw_ns: in waiting for the simulated hardware to settle.
 * @flush_ns: in flushing the driver's work.
 * @commit_ns: in waiting for nonblocking commits.
 * @settle_n: settles by place (enum nvg_vsettle_place).
 * @settle_ns: host ns in them, likewise.
 * @settles_skipped: [2] not needed (moving the clock set nothing going).
 * @still_passes: passes whose flushes moved no activity counter (their
 *	second wait for the hardware skipped).
 * @escapes_hw: times the hardware's activity counter had moved between a
 *	settle's end and the next event's play (or the ADVANCE's return):
 *	something the settle did not wait for ran after it.
 * @escapes_drv: likewise the driver's (a work item, an alarm, a kick).
 *
 * Under clock_lock.
 */
struct nvg_vclock_stats {
	u64 advances, events, settles, passes, commits;
	u64 advance_ns, play_ns, hw_ns, flush_ns, commit_ns;
	u64 settle_n[NVG_VSETTLE_PLACES], settle_ns[NVG_VSETTLE_PLACES];
	u64 settles_skipped, still_passes;
	u64 escapes_hw, escapes_drv;
};

/**
 * struct nvg_device - one simulated GPU
 * @drm: the DRM device (card and render nodes).
 * @pdev: the platform device it is bound to.
 * @index: 0-based device number.
 * @hal: how the driver reaches the hardware.
 * @chip: what PMC_BOOT_0 identified.
 * @boot0: the PMC_BOOT_0 value read at probe.
 * @vram_size: bytes of video memory.
 * @vram: its allocator.
 * @irq_ptimer: PTIMER interrupts handled.
 * @irq_pfifo: engine interrupts handled.
 * @irq_spurious: interrupts with nothing pending.
 * @irq_lost: completions found by the hang check, their interrupt lost.
 * @irq_mmu_fault: MMU fault interrupts.
 * @engine_resets: engines reset under a hung job.
 * @arb: job arbitration.
 * @sched: per engine, drm_sched for dependencies and hang detection.
 * @kctx: the device's own context, owner of jobs injected for testing.
 * @kms: the display engine.
 * @ctxs: every open &struct nvg_ctx_obj of this device, protected by
 *	nvg_devices_lock (one lock orders contexts against policy attach).
 * @clients: every open &struct nvg_client (DRM file) of this device, under
 *	@clients_lock: per-client GPU time for power decisions.
 * @clients_lock: protects @clients (a leaf lock: the devfreq governor
 *	takes it under devfreq's own).
 * @power: p-states, devfreq, thermal zone, hwmon (nvghost_power.h).
 * @node: entry in the module's device list.
 * @debugfs: this device's directory under the module's debugfs root.
 * @heads_kobj: its heads/ directory in sysfs (nvghost_sysfs.c).
 * @head_kobjs: heads/H, one per head in use.
 * @dummy_page: what CPU mappings of VRAM show once the device is gone.
 * @alarm_lock: protects @alarms (nvghost_alarm.c); any context.
 * @alarms: pending device alarms, by PTIMER time.
 * @alarm_running: the alarm whose function runs now, or NULL.
 * @alarm_wq: ordered; the work that device alarms set off (the watchdog,
 *	and in virtual mode devfreq, thermal and job timeouts), which a
 *	virtual clock's settle flushes.
 * @vclock: the device clock is virtual (clock=virtual, nvghost_clock.c).
 * @clock_lock: one DRM_IOCTL_NVGHOST_CLOCK ADVANCE at a time.
 * @vgen: counts the driver's activity (alarms run, arbiter kicks), for
 *	the settle of a virtual clock: nvg_vgen_count(), after what it counts.
 * @vgen_site: where @vgen was last counted, for the warning when
 *	something ran after a settle.
 * @vsignals: job fences signalled and flips completed (STOP_ON_SIGNAL).
 * @vstats: virtual clock: where ADVANCE's host time goes (debugfs gpuN/vclock).
 * @vsettled_hw: virtual clock: the hardware's activity counter at the last
 *	settle's end (nvg_clock_check_escape()).
 * @vsettled_drv: the driver's (@vgen), likewise.
 * @vsettled_where: where that settle was (enum nvg_vsettle_place), for the
 *	warning when something ran after it.
 * @devfreq_alarm: virtual clock: devfreq's sampling period, on device time.
 * @devfreq_work: what it runs: update_devfreq().
 * @thermal_alarm: virtual clock: the thermal zone's, likewise.
 * @thermal_work: thermal_zone_device_update().
 * @power_stopping: the two works no longer re-arm their alarms.
 * @job_timeouts: virtual clock: each engine's job timeout (nvghost_clock.c).
 * @test_alarm: debugfs gpuN/ptimer_alarm's: does nothing but interrupt.
 */
struct nvg_device {
	struct drm_device drm;
	struct platform_device *pdev;
	unsigned int index;
	struct nvg_hal hal;
	const struct nvg_chip *chip;
	u32 boot0;
	u64 vram_size;
	struct nvg_vram vram;

	atomic64_t irq_ptimer;
	atomic64_t irq_pfifo;
	atomic64_t irq_spurious;
	atomic64_t irq_lost;
	atomic64_t irq_mmu_fault;
	atomic64_t engine_resets;

	struct nvg_arbiter arb;
	struct drm_gpu_scheduler sched[NVG_MAX_ENGINES];
	struct workqueue_struct *sched_wq[NVG_MAX_ENGINES];
	struct nvg_ctx_obj *kctx;
	struct nvg_kms kms;
	struct list_head ctxs; /* under nvg_devices_lock */
	struct list_head clients;
	struct mutex clients_lock; /* protects clients */
	struct nvg_power power;

	struct list_head node;
	struct dentry *debugfs;
	struct kobject *heads_kobj;
	struct kobject *head_kobjs[NVG_MAX_HEADS];
	struct page *dummy_page;

	spinlock_t alarm_lock; /* see above */
	struct list_head alarms;
	struct nvg_alarm *alarm_running;
	struct workqueue_struct *alarm_wq;
	bool vclock;
	struct mutex clock_lock; /* see above */
	atomic64_t vgen;
	unsigned long vgen_site;
	atomic64_t vsignals;
	struct nvg_vclock_stats vstats;
	u64 vsettled_hw, vsettled_drv;
	unsigned int vsettled_where;
	struct nvg_alarm devfreq_alarm;
	struct work_struct devfreq_work;
	struct nvg_alarm thermal_alarm;
	struct work_struct thermal_work;
	bool power_stopping;
	struct nvg_job_timeout job_timeouts[NVG_MAX_ENGINES];
	struct nvg_alarm test_alarm;
	struct nvg_uvm *uvm; /* managed memory, nvghost_uvm.c */
};

/**
 * struct nvg_ctx_obj - a scheduling context: one per channel, plus each
 * device's own kernel context (for synthetic jobs)
 * @pub: what policies see.
 * @ndev: its device.
 * @node: entry in the device's @ctxs.
 * @policy_init: the attached policy's ctx_init accepted it.
 */
struct nvg_ctx_obj {
	struct nvg_ctx pub;
	struct nvg_device *ndev;
	struct list_head node;
	bool policy_init;
};

/**
 * struct nvg_client - what one DRM file owns
 * @vm: its GPU address space.
 * @chans: its channels, by id.
 * @busy_ns: GPU time its jobs used, [0] compute, [1] copy (for fdinfo,
 *	and for whoever decides p-states to see who keeps the GPU busy).
 * @busy_seen_ns: @busy_ns when the power hook last looked (under the
 *	device's clients_lock).
 * @node: entry in its device's @clients.
 * @pid: thread group id of the process that opened it.
 * @comm: that process's command name.
 * @ppid: thread group id of its parent then.
 * @client_id: the DRM file's client id (fdinfo's drm-client-id).
 * @prio: the highest priority class of its channels so far (LOW if none).
 *
 * @pid, @ppid, @comm, @client_id and @prio are what the power hook's
 * ops.client_key() sees of the file (&struct nvg_power_source).
 */
struct nvg_client {
	struct nvg_vm *vm;
	struct xarray chans;
	atomic64_t busy_ns[2];
	atomic64_t jobs[2];	/* submitted, per engine class (fdinfo) */
	u64 busy_seen_ns[2];
	struct list_head node;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	pid_t ppid;
	u64 client_id;
	u32 prio;
};

/**
 * struct nvg_job_obj - a job as the driver tracks it
 * @pub: what policies see.
 * @node: entry in its engine's queue.
 * @enq_gen: the policy generation that was told about it (see
 *	nvg_sched_generation()), so a new policy is told exactly once.
 * @hw: the submitted job it carries, or NULL for a synthetic job.
 * @start_ns: PTIMER time it (last) started on its engine.
 * @done_ns: PTIMER time the interrupt reported it done, if @done_in_irq.
 * @done_in_irq: the fast path signalled its out-fence in the interrupt
 *	(nvg_arbiter_engine_done()) and counted its client's GPU time then,
 *	before the waiter woke, so that fdinfo already shows it.
 * @dsq: the policy's dispatch queue it is filed in, or NULL
 *	(nvg_dsq_lock).
 * @dsq_node: entry in a vtime @dsq's tree for its engine.
 * @dsq_link: entry in a FIFO @dsq's list for its engine.
 * @vtime: its virtual time in a vtime @dsq.
 * @stop_reason: why it is being preempted (enum nvg_job_stop_reason).
 * @stall_ns: time it ran while the machine itself stalled (a host that
 *	did not run the simulated GPU), not counted as its GPU time.
 * @queued: it is in its engine's queue, runnable (not running, not in a
 *	channel's backlog); under the arbiter's lock.
 */
struct nvg_job_obj {
	struct nvg_job pub;
	struct list_head node;
	u64 enq_gen;
	struct nvg_hwjob *hw;
	u64 start_ns;
	u64 done_ns;
	struct nvg_dsq *dsq;
	union {
		struct rb_node dsq_node;
		struct list_head dsq_link;
	};
	u64 vtime;
	u32 stop_reason;
	u64 stall_ns;
	bool queued;
	bool done_in_irq;
};

/*
 * nvg_vgen_count() - count driver activity for a virtual clock's settle
 *
 * After what it counts has queued its work or signalled its fences: a
 * settle that read the counter before the count flushes after it, so it
 * finds that work queued, or sees the counter move and settles again.
 * Counted before, the work could be queued after the settle's flush began
 * and run once the settle had ended (nvg_clock_settle()). drm_sched's
 * callbacks (run_job, free_job) cannot count after drm_sched requeues its
 * work: the settle looks at that work itself (nvg_clock_sched_busy()).
 */
#define nvg_vgen_count(ndev) do {					\
	struct nvg_device *__nd = (ndev);				\
									\
	WRITE_ONCE(__nd->vgen_site, _THIS_IP_);				\
	atomic64_inc(&__nd->vgen);					\
} while (0)

static inline struct nvg_device *to_nvg_device(struct drm_device *drm)
{
	return container_of(drm, struct nvg_device, drm);
}

/* nvghost_drv.c: the module's devices */
extern struct mutex nvg_devices_lock;
extern struct list_head nvg_devices;
extern struct nvg_device *nvg_devs_by_index[NVG_MAX_GPUS];
extern unsigned int nvg_sched_watchdog_ms;
extern unsigned int nvg_job_timeout_ms;
extern unsigned int nvg_sched_slice_us;
extern bool nvg_fast_path;

/*
 * The submission fast path is on (nvg_fast_path), and @ndev runs on the live
 * clock: in virtual mode drm_sched, the kick work and the alarms' work share
 * one ordered queue so that what an event sets off runs in one order
 * (docs/architecture.md, "Two clock modes"); there the path stays as it was.
 */
#define nvg_fast(ndev)	(READ_ONCE(nvg_fast_path) && !(ndev)->vclock)
u64 nvg_default_slice_ns(void);

/* nvghost_param.c */
int nvg_ioctl_get_param(struct drm_device *drm, void *data,
			struct drm_file *file);

/* nvghost_irq.c */
u64 nvg_ptimer_read(struct nvg_device *ndev);
int nvg_irq_init(struct nvg_device *ndev);
void nvg_irq_fini(struct nvg_device *ndev);

/* nvghost_clock.c */
int nvg_clock_param(unsigned int index, bool *virt);
int nvg_clock_stats_show(struct nvg_device *ndev, struct seq_file *m);
int nvg_ioctl_clock(struct drm_device *drm, void *data, struct drm_file *file);
void nvg_clock_power_start(struct nvg_device *ndev);
void nvg_clock_power_stop(struct nvg_device *ndev);
void nvg_clock_job_timeout_arm(struct nvg_device *ndev, u32 engine);
void nvg_clock_job_timeouts_init(struct nvg_device *ndev);
void nvg_clock_job_timeouts_stop(struct nvg_device *ndev);

/* nvghost_ctx.c */
struct nvg_ctx_obj *nvg_ctx_create(struct nvg_device *ndev, const char *comm,
				   pid_t pid, u32 prio, u32 flags);
void nvg_ctx_destroy(struct nvg_ctx_obj *ctx);
int nvg_ctx_open(struct drm_device *drm, struct drm_file *file);
void nvg_ctx_postclose(struct drm_device *drm, struct drm_file *file);
void nvg_ctx_detach_internal(struct drm_device *drm);
void nvg_ctx_show_fdinfo(struct drm_printer *p, struct drm_file *file);

/* nvghost_arbiter.c */
void nvg_arbiter_init(struct nvg_device *ndev);
void nvg_arbiter_fini(struct nvg_device *ndev);
void nvg_arbiter_unplug(struct nvg_device *ndev, void (*stop_hw)(struct nvg_device *));
int nvg_arbiter_submit(struct nvg_device *ndev, struct nvg_ctx_obj *ctx,
		       u32 engine, u64 cost_ns);
int nvg_arbiter_submit_hw(struct nvg_device *ndev, struct nvg_hwjob *hw);
void nvg_arbiter_recover(struct nvg_device *ndev, u32 engine);
void nvg_arbiter_request_preempt(struct nvg_device *ndev, u32 engine);
u32 nvg_arbiter_engine_intr(struct nvg_device *ndev, u32 *faulted);
void nvg_arbiter_engine_done(struct nvg_device *ndev, u32 engines);
void nvg_arbiter_kick(struct nvg_device *ndev);
void nvg_arbiter_sync(struct nvg_device *ndev);
void nvg_arbiter_replay(struct nvg_device *ndev);
u64 nvg_arbiter_stalled_ns(struct nvg_device *ndev, u32 *engine, u64 *job_id);
int nvg_arbiter_show(struct nvg_device *ndev, struct seq_file *m);
bool nvg_arbiter_idle(struct nvg_device *ndev);

/* nvghost_sysfs.c */
int nvg_sysfs_module_init(void);
void nvg_sysfs_module_fini(void);
int nvg_sysfs_device_init(struct nvg_device *ndev);
void nvg_sysfs_device_fini(struct nvg_device *ndev);

/* nvghost_debugfs.c */
void nvg_debugfs_module_init(void);
void nvg_debugfs_module_fini(void);
void nvg_debugfs_device_init(struct nvg_device *ndev);
void nvg_debugfs_device_fini(struct nvg_device *ndev);

#endif /* _NVGHOST_DRV_H_ */
