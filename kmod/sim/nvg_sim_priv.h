/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvg_sim_priv.h - state shared by the simulated GPU's units.
 */
#ifndef _NVG_SIM_PRIV_H_
#define _NVG_SIM_PRIV_H_

#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/rbtree.h>
#include <linux/rwsem.h>
#include <linux/workqueue.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include "../nvghost_chip.h"
#include "nvg_sim.h"

struct irq_domain;
struct fwnode_handle;
struct nvg_sim;

/*
 * Virtual mode (nvg_sim_clock.c): what comes first among events of the
 * same device time. Sources are ordered by kind, then by number, so that
 * the order does not depend on which CPU queued its event first.
 */
enum nvg_sim_event_kind {
	NVG_SIM_EV_ALARM = 0,	/* PTIMER's alarm */
	NVG_SIM_EV_HEAD = 1,	/* a head's vblank or VRR refresh */
	NVG_SIM_EV_ENGINE = 2,	/* an engine reaches its modelled time */
};

/**
 * struct nvg_sim_event - one pending event of the virtual clock
 * @node: entry in the clock's queue, ordered by (@time, @kind, @id).
 * @time: device time it is due at.
 * @kind: enum nvg_sim_event_kind.
 * @id: the source's number (head or engine).
 * @queued: it is in the queue.
 * @fire: plays it; called without sim->lock, the clock already at @time.
 */
struct nvg_sim_event {
	struct rb_node node;
	u64 time;
	u32 kind;
	u32 id;
	bool queued;
	void (*fire)(struct nvg_sim_event *ev);
};

/**
 * struct nvg_sim_timer - a timer on device time: an hrtimer in live mode,
 * an event of the virtual clock in virtual mode
 * @hrt: live mode.
 * @ev: virtual mode.
 * @sim: its GPU.
 * @fn: called when it expires (hard IRQ in live mode, process context in
 *	virtual mode) with the device time it was due at; returns when to
 *	fire next, or U64_MAX to stop.
 */
struct nvg_sim_timer {
	struct hrtimer hrt;
	struct nvg_sim_event ev;
	struct nvg_sim *sim;
	u64 (*fn)(struct nvg_sim_timer *t, u64 due);
};

/**
 * struct nvg_sim_clock - the device clock
 * @virt: virtual mode: device time moves only in nvg_sim_clock_play().
 * @now: virtual mode: the device time (written under sim->lock).
 * @queue: virtual mode: pending events.
 * @settle_wq: woken when an engine blocks on its next event or goes idle.
 * @gen: counts activity (interrupts raised, engines launched, woken,
 *	blocked, finished): a settle is over when it stops moving.
 */
struct nvg_sim_clock {
	bool virt;
	u64 now;
	struct rb_root_cached queue;
	wait_queue_head_t settle_wq;
	atomic64_t gen;
};

/* Where an engine's executor is, in virtual mode (nvg_sim_engine.vstate). */
enum nvg_sim_vstate {
	NVG_SIM_ENG_IDLE = 0,	/* no job */
	NVG_SIM_ENG_RUNNING,	/* doing host work: a settle waits for it */
	NVG_SIM_ENG_BLOCKED,	/* waiting for its event (or a RESET) */
};

/* Entries of each engine's TLB (direct mapped by virtual page number). */
#define NVG_SIM_TLB_ENTRIES	64
/* Replayable fault buffer entries: one per stalled engine is enough. */
#define NVG_SIM_FAULT_ENTRIES	32

/**
 * struct nvg_sim_engine - one engine's runner state
 * @sim: back pointer.
 * @index: engine number.
 * @class_id: the engine's class (copy or compute).
 * @token: job token written by the driver.
 * @cost_ns: modelled duration of a synthetic job.
 * @pdb: VRAM address of the job's page directory.
 * @pb_addr: VRAM address of the job's pushbuffer.
 * @pb_len: its length in dwords; 0 for a synthetic job.
 * @done: token of the last finished job.
 * @result: NVG_SIM_RESULT_* of the last finished job.
 * @fault_va: the address that faulted, when @result is FAULT.
 * @busy: a job is executing.
 * @abort: RESET was written while @busy.
 * @preempt: PREEMPT was written while @busy.
 * @inject: NVG_SIM_INJECT_* armed for the next job.
 * @active_inject: the injections that apply to the running job.
 * @mig_fail: migrations (nvg_sim_migrate()) that fail next, armed by
 *	NVG_SIM_INJECT_MIG_COPY; only the migration engine makes them.
 * @exec_work: executes the job.
 * @saved: contexts of preempted jobs, by token.
 * @busy_ns: PTIMER time spent busy in finished stretches (nvg_sim_power.c).
 * @busy_since: PTIMER time the current stretch started, when @busy.
 * @idle_since: PTIMER time the engine last went idle; it power-gates
 *	NVG_SIM_GATE_IDLE_NS later.
 * @ungate: the job being launched found the engine gated: it pays the
 *	ungating latency first.
 * @vstate: virtual mode: enum nvg_sim_vstate (under sim->lock).
 * @vhard: virtual mode: the executor's wait ends only at its time or on a
 *	RESET, not on a PREEMPT (it finishes the chunk it is in).
 * @replan: virtual mode: the clock changed while a job computes: it stops
 *	planning with the old clock at its next chunk boundary.
 * @ev: virtual mode: the executor's next event.
 * @woke_at: virtual mode: the device time the executor was last launched
 *	or woken at; it must run at that time (nvg_sim_exec_late()).
 */
struct nvg_sim_engine {
	struct nvg_sim *sim;
	unsigned int index;
	u32 class_id;
	u64 token;
	u64 cost_ns;
	u64 pdb;
	u64 pb_addr;
	u32 pb_len;
	u64 done;
	u32 result;
	u64 fault_va;
	bool busy;
	bool abort;
	bool preempt;
	u32 inject;
	u32 active_inject;
	u32 mig_fail;
	struct work_struct exec_work;
	/* woken on RESET and PREEMPT, so that a pacing sleep ends at once */
	wait_queue_head_t wake;
	struct xarray saved;
	u64 busy_ns;
	u64 busy_since;
	u64 idle_since;
	bool ungate;
	u8 vstate;
	bool vhard;
	bool replan;
	struct nvg_sim_event ev;
	u64 woke_at;
	/* replayable faults and the TLB (nvg_sim_fault.c) */
	struct nvg_sim_tlb {
		u64 pdb;
		u64 vpn;
		u64 pte;
	} tlb[NVG_SIM_TLB_ENTRIES];
	bool fault_stalled;	/* waiting for a replay (sim->lock) */
	bool fault_cancelled;	/* the driver cancelled it: fatal */
	atomic64_t steal_ns;	/* copy time migrations took from this engine */
	u64 mig_wait;		/* a page it reached is migrating in until then */
};

/**
 * struct nvg_sim_power - the power/thermal unit's state (nvg_sim_power.c)
 * @pstate: the p-state the driver selected.
 * @protect: overtemperature protection holds the clock at p-state 0.
 * @mhz: the clock the GPU runs at now (executor reads it unlocked).
 * @mv: the voltage it runs at.
 * @last_ns: PTIMER time the model was integrated up to.
 * @busy_at_last: each engine's busy time at @last_ns.
 * @power_mw: board power over the last step.
 * @energy_uj: energy since power-up.
 * @energy_pj: the part of it below one microjoule.
 * @temp_uc: die temperature, micro-degrees C.
 * @ambient_mc: air temperature.
 * @inject_mc: test offset on top of @ambient_mc.
 * @tick: steps the model every NVG_SIM_POWER_STEP_NS (live mode; in
 *	virtual mode the model is integrated whenever the clock moves).
 */
struct nvg_sim_power {
	u32 pstate;
	bool protect;
	u32 mhz;
	u32 mv;
	u64 last_ns;
	u64 busy_at_last[NVG_MAX_ENGINES];
	u32 power_mw;
	u64 energy_uj;
	u64 energy_pj;
	s64 temp_uc;
	s32 ambient_mc;
	s32 inject_mc;
	struct hrtimer tick;
};

/* Heads of the display engine, and the fastest pixel clock each drives. */
#define NVG_SIM_HEADS			4
#define NVG_SIM_HEAD_MAX_PCLK_KHZ	700000

/**
 * struct nvg_sim_head - one head's timing generator
 * @sim: back pointer.
 * @index: head number.
 * @ctrl: NVG_SIM_HEAD_CTRL.
 * @pclk_khz: pixel clock.
 * @htotal: pixels per line, blanking included.
 * @vtotal: lines per frame, blanking included.
 * @vrr_max_ns: the longest frame, with VRR.
 * @period_ns: the raster's frame time (the shortest frame, with VRR).
 * @count: vblanks so far (VBLANK_COUNT).
 * @time: PTIMER time of the last vblank (VBLANK_TIME).
 * @frame_ns: length of the last frame (FRAME_NS).
 * @flip_ready: VRR: FLIP was written since the last vblank.
 * @timer: fires at the next vblank.
 */
struct nvg_sim_head {
	struct nvg_sim *sim;
	unsigned int index;
	u32 ctrl;
	u32 pclk_khz;
	u32 htotal;
	u32 vtotal;
	u32 vrr_max_ns;
	u64 period_ns;
	u32 count;
	u64 time;
	u32 frame_ns;
	bool flip_ready;
	struct nvg_sim_timer timer;
};

/**
 * struct nvg_sim - one simulated GPU
 * @chip: the chip it models.
 * @vram_mb: its memory size.
 * @lock: protects every register below; taken from any context.
 * @t0: CLOCK_MONOTONIC ns at power-up; PTIMER counts from there.
 * @pmc_intr_en: NV_PMC_INTR_EN_0.
 * @ptimer_intr: NV_PTIMER_INTR_0 pending bits.
 * @ptimer_intr_en: NV_PTIMER_INTR_EN_0.
 * @ptimer_alarm: NV_PTIMER_ALARM_0.
 * @alarm_timer: fires when PTIMER passes the alarm.
 * @clk: the device clock, live or virtual.
 * @eng_intr: NVG_SIM_ENG_INTR pending bits.
 * @engines: the engine runners.
 * @disp_intr: NVG_SIM_DISP_INTR pending bits.
 * @disp_intr_en: NVG_SIM_DISP_INTR_EN.
 * @heads: the display engine's timing generators.
 * @fwnode: names the interrupt domain.
 * @domain: the GPU's interrupt controller, one line.
 * @irq: Linux IRQ number of that line.
 * @vram: backing pages of video memory, by page number, allocated on first
 *	touch so that a 24 GiB board costs only what is used.
 * @exec_wq: where engines execute pushbuffers (they sleep to model time).
 * @pwr: clocks, power and temperature.
 * @raise_work: delivers the interrupt in hard-IRQ context.
 * @retriggers: consecutive deliveries that left it pending.
 */
struct nvg_sim {
	const struct nvg_chip *chip;
	u32 vram_mb;
	spinlock_t lock; /* the register file; any context */
	u64 t0;

	u32 pmc_intr_en;
	u32 ptimer_intr;
	u32 ptimer_intr_en;
	u32 ptimer_alarm;
	struct nvg_sim_timer alarm_timer;
	struct nvg_sim_clock clk;

	u32 eng_intr;
	struct nvg_sim_engine engines[NVG_MAX_ENGINES];

	u32 disp_intr;
	u32 disp_intr_en;
	struct nvg_sim_head heads[NVG_SIM_HEADS];

	struct fwnode_handle *fwnode;
	struct irq_domain *domain;
	int irq;
	struct irq_work raise_work;
	unsigned int retriggers;

	struct xarray vram;
	struct workqueue_struct *exec_wq;
	struct nvg_sim_power pwr;
	bool stopped;	/* unplugged: nvg_sim_stop() */

	/* nvg_sim_fault.c: MMU accesses vs TLB invalidation, fault buffer */
	struct rw_semaphore mmu_sem;
	struct nvg_sim_fault fault_buf[NVG_SIM_FAULT_ENTRIES];
	u32 fault_get;
	u32 fault_put;
	bool fault_intr;
	u64 mig_free_at;
	u64 faults;
	u64 replays;
	bool fault_batch;	/* the driver is reading a batch: its service is queued */
	u64 replay_at;		/* the migration queue's end at the last replay */
	u64 *mig_ready;		/* per 2 MiB of VRAM: when its last migration in ends */
	unsigned long *accessed;	/* per 64 KiB of VRAM: a TLB loaded a translation to it */
};

/* nvg_sim_clock.c */
void nvg_sim_clock_init(struct nvg_sim *sim, bool virt);
void nvg_sim_event_add(struct nvg_sim *sim, struct nvg_sim_event *ev, u64 time);
void nvg_sim_event_del(struct nvg_sim *sim, struct nvg_sim_event *ev);
void nvg_sim_timer_init(struct nvg_sim *sim, struct nvg_sim_timer *t, u32 kind,
			u32 id, u64 (*fn)(struct nvg_sim_timer *t, u64 due));
void nvg_sim_timer_start(struct nvg_sim_timer *t, u64 due);
void nvg_sim_timer_cancel(struct nvg_sim_timer *t);
void nvg_sim_engine_vwake(struct nvg_sim_engine *e, bool hard);

/* nvg_sim_irq.c */
int nvg_sim_irq_init(struct nvg_sim *sim, unsigned int index);
void nvg_sim_irq_fini(struct nvg_sim *sim);
u32 nvg_sim_pmc_intr(struct nvg_sim *sim);
void nvg_sim_raise(struct nvg_sim *sim);
void nvg_sim_raise_now(struct nvg_sim *sim);

/* nvg_sim_disp.c */
void nvg_sim_disp_init(struct nvg_sim *sim);
void nvg_sim_disp_fini(struct nvg_sim *sim);
bool nvg_sim_disp_rd32(struct nvg_sim *sim, u32 reg, u32 *val);
bool nvg_sim_disp_wr32(struct nvg_sim *sim, u32 reg, u32 val);

/* nvg_sim_mem.c */
void nvg_sim_mem_init(struct nvg_sim *sim);
void nvg_sim_mem_fini(struct nvg_sim *sim);

/* nvg_sim_mmu.c */
int nvg_sim_mmu_access(struct nvg_sim_engine *e, u64 pdb, u64 va, void *buf,
		       u32 len, bool write, bool *sys, u64 *fault_va);

/* nvg_sim_fault.c */
int nvg_sim_fault_init(struct nvg_sim *sim);
void nvg_sim_fault_fini(struct nvg_sim *sim);
void nvg_sim_vram_loaded(struct nvg_sim *sim, struct nvg_sim_engine *e, u64 addr);
void nvg_sim_tlb_flush_engine(struct nvg_sim_engine *e);
int nvg_sim_fault_post(struct nvg_sim_engine *e, u64 pdb, u64 va, bool write);
int nvg_sim_fault_wait_end(struct nvg_sim_engine *e, u64 *mig_done);
int nvg_sim_vram_rw(struct nvg_sim *sim, u64 addr, void *buf, u32 len,
		    bool write);
int nvg_sim_sys_rw(u64 addr, void *buf, u32 len, bool write);

/* nvg_sim_exec.c */
void nvg_sim_exec_work(struct work_struct *work);
void nvg_sim_exec_event(struct nvg_sim_event *ev);
void nvg_sim_exec_fini(struct nvg_sim_engine *e);
void nvg_sim_engine_finish(struct nvg_sim_engine *e, u32 result, u64 fault_va);

/* nvg_sim_engine.c */
int nvg_sim_engines_init(struct nvg_sim *sim);
void nvg_sim_engines_fini(struct nvg_sim *sim);
bool nvg_sim_engine_rd32(struct nvg_sim *sim, u32 reg, u32 *val);
bool nvg_sim_engine_wr32(struct nvg_sim *sim, u32 reg, u32 val);

/* nvg_sim_power.c */
/* What waking a power-gated engine costs the job that wakes it. */
#define NVG_SIM_UNGATE_NS	(10 * NSEC_PER_USEC)
void nvg_sim_power_init(struct nvg_sim *sim);
void nvg_sim_power_fini(struct nvg_sim *sim);
void nvg_sim_power_step(struct nvg_sim *sim, u64 now);
bool nvg_sim_power_rd32(struct nvg_sim *sim, u32 reg, u32 *val);
bool nvg_sim_power_wr32(struct nvg_sim *sim, u32 reg, u32 val);
u64 nvg_sim_engine_busy_ns(struct nvg_sim_engine *e, u64 now);
bool nvg_sim_engine_gated(struct nvg_sim_engine *e, u64 now);

/* The graphics clock now: what BUSY cycles cost (read without the lock). */
static inline u32 nvg_sim_clk_mhz(struct nvg_sim *sim)
{
	return READ_ONCE(sim->pwr.mhz);
}

/* Device time (PTIMER): CLOCK_MONOTONIC since power-up, or the virtual clock. */
static inline u64 nvg_sim_time(struct nvg_sim *sim)
{
	if (sim->clk.virt)
		return READ_ONCE(sim->clk.now);
	return ktime_get_ns() - sim->t0;
}

#endif /* _NVG_SIM_PRIV_H_ */
