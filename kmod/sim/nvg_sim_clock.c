// SPDX-License-Identifier: GPL-2.0
/*
 * nvg_sim_clock.c - the simulated GPU's device clock, live or virtual.
 *
 * Live mode (the default): PTIMER is CLOCK_MONOTONIC since power-up and
 * every timed thing in the GPU (the PTIMER alarm, each head's vblanks, the
 * power model's step) is an hrtimer; engines sleep until their modelled
 * time has passed on the host.
 *
 * Virtual mode: PTIMER is a number that moves only when the driver plays
 * the next event (nvg_sim_clock_play(), from DRM_IOCTL_NVGHOST_CLOCK).
 * Everything that would have been an hrtimer is an event in one queue,
 * ordered by device time and, among events of the same time, by source:
 * the PTIMER alarm, then the heads, then the engines, each in number
 * order, so that the order never depends on which CPU queued an event
 * first. An engine computing a job registers ONE event, at the job's
 * modelled end (nvg_sim_exec.c); a PREEMPT, a RESET or a clock change
 * makes it plan again from its next chunk boundary. The power model is
 * integrated whenever the clock moves, with no event of its own; engine
 * power-gating is computed from the idle time, with none either.
 *
 * The queue is protected by sim->lock. Events are played with the lock
 * dropped, one at a time, by the one caller of nvg_sim_clock_play().
 */
#include <linux/irq_work.h>
#include <linux/wait.h>

#include "nvg_sim.h"
#include "nvg_sim_priv.h"

/*
 * Where a virtual clock starts: as if power-up and probe took 1 ms, so that
 * no device time the driver sees is 0 (which some of its state uses for
 * "never").
 */
#define NVG_SIM_VCLOCK_START	(1 * NSEC_PER_MSEC)

void nvg_sim_clock_init(struct nvg_sim *sim, bool virt)
{
	struct nvg_sim_clock *clk = &sim->clk;

	clk->virt = virt;
	clk->now = virt ? NVG_SIM_VCLOCK_START : 0;
	clk->queue = RB_ROOT_CACHED;
	init_waitqueue_head(&clk->settle_wq);
	atomic64_set(&clk->gen, 0);
}

static bool nvg_sim_event_before(const struct nvg_sim_event *a,
				 const struct nvg_sim_event *b)
{
	if (a->time != b->time)
		return a->time < b->time;
	if (a->kind != b->kind)
		return a->kind < b->kind;
	return a->id < b->id;
}

static bool nvg_sim_event_less(struct rb_node *a, const struct rb_node *b)
{
	return nvg_sim_event_before(rb_entry(a, struct nvg_sim_event, node),
				    rb_entry(b, struct nvg_sim_event, node));
}

/**
 * nvg_sim_event_add() - (re)queue @ev at device time @time
 * @sim: the GPU, in virtual mode; sim->lock held.
 * @ev: the event; moved if it was queued.
 * @time: when; a time already past means now.
 */
void nvg_sim_event_add(struct nvg_sim *sim, struct nvg_sim_event *ev, u64 time)
{
	nvg_sim_event_del(sim, ev);
	ev->time = max(time, sim->clk.now);
	rb_add_cached(&ev->node, &sim->clk.queue, nvg_sim_event_less);
	ev->queued = true;
}

/* sim->lock held. */
void nvg_sim_event_del(struct nvg_sim *sim, struct nvg_sim_event *ev)
{
	if (!ev->queued)
		return;
	rb_erase_cached(&ev->node, &sim->clk.queue);
	ev->queued = false;
}

static enum hrtimer_restart nvg_sim_timer_hrt(struct hrtimer *h)
{
	struct nvg_sim_timer *t = container_of(h, struct nvg_sim_timer, hrt);
	u64 next = t->fn(t, ktime_to_ns(hrtimer_get_expires(h)) - t->sim->t0);

	if (next == U64_MAX)
		return HRTIMER_NORESTART;
	hrtimer_set_expires(h, ns_to_ktime(next + t->sim->t0));
	return HRTIMER_RESTART;
}

static void nvg_sim_timer_ev(struct nvg_sim_event *ev)
{
	struct nvg_sim_timer *t = container_of(ev, struct nvg_sim_timer, ev);
	struct nvg_sim *sim = t->sim;
	unsigned long flags;
	u64 next;

	next = t->fn(t, ev->time);
	spin_lock_irqsave(&sim->lock, flags);
	/* Re-armed meanwhile (a register write): that time wins. */
	if (next != U64_MAX && !ev->queued)
		nvg_sim_event_add(sim, ev, next);
	spin_unlock_irqrestore(&sim->lock, flags);
}

/**
 * nvg_sim_timer_init() - a timer on device time
 * @sim: the GPU (its clock mode already set).
 * @t: the timer.
 * @kind: enum nvg_sim_event_kind, for virtual mode's order of ties.
 * @id: the source's number, likewise.
 * @fn: what it does when it expires; see &struct nvg_sim_timer.
 */
void nvg_sim_timer_init(struct nvg_sim *sim, struct nvg_sim_timer *t, u32 kind,
			u32 id, u64 (*fn)(struct nvg_sim_timer *t, u64 due))
{
	t->sim = sim;
	t->fn = fn;
	t->ev.kind = kind;
	t->ev.id = id;
	t->ev.fire = nvg_sim_timer_ev;
	hrtimer_init(&t->hrt, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	t->hrt.function = nvg_sim_timer_hrt;
}

/**
 * nvg_sim_timer_start() - fire @t at device time @due
 * @t: the timer.
 * @due: PTIMER time.
 *
 * Any context; in virtual mode sim->lock must be held.
 */
void nvg_sim_timer_start(struct nvg_sim_timer *t, u64 due)
{
	struct nvg_sim *sim = t->sim;

	if (sim->clk.virt)
		nvg_sim_event_add(sim, &t->ev, due);
	else
		hrtimer_start(&t->hrt, ns_to_ktime(due + sim->t0), HRTIMER_MODE_ABS);
}

/*
 * Live mode: waits for a running callback (not from it). Virtual mode:
 * sim->lock must not be held.
 */
void nvg_sim_timer_cancel(struct nvg_sim_timer *t)
{
	struct nvg_sim *sim = t->sim;
	unsigned long flags;

	if (!sim->clk.virt) {
		hrtimer_cancel(&t->hrt);
		return;
	}
	spin_lock_irqsave(&sim->lock, flags);
	nvg_sim_event_del(sim, &t->ev);
	spin_unlock_irqrestore(&sim->lock, flags);
}

/**
 * nvg_sim_engine_vwake() - let a blocked executor run (virtual mode)
 * @e: the engine.
 * @hard: its time came, or a RESET: wake it even in a chunk's wait.
 *
 * sim->lock held.
 */
void nvg_sim_engine_vwake(struct nvg_sim_engine *e, bool hard)
{
	struct nvg_sim *sim = e->sim;

	if (!sim->clk.virt || e->vstate != NVG_SIM_ENG_BLOCKED)
		return;
	if (!hard && e->vhard)
		return;
	nvg_sim_event_del(sim, &e->ev);
	e->vstate = NVG_SIM_ENG_RUNNING;
	e->woke_at = sim->clk.now;
	atomic64_inc(&sim->clk.gen);
	wake_up(&e->wake);
}

/* Move the clock to @t (not backwards) and integrate the power model. Lock held. */
static void nvg_sim_clock_move(struct nvg_sim *sim, u64 t)
{
	if (t <= sim->clk.now)
		return;
	WRITE_ONCE(sim->clk.now, t);
	nvg_sim_power_step(sim, t);
}

bool nvg_sim_clock_virtual(struct nvg_sim *sim)
{
	return sim->clk.virt;
}

/**
 * nvg_sim_clock_next() - when the next event is due
 * @sim: the GPU, virtual mode.
 *
 * Return: its device time, or U64_MAX if none is pending.
 */
u64 nvg_sim_clock_next(struct nvg_sim *sim)
{
	struct rb_node *n;
	unsigned long flags;
	u64 t = U64_MAX;

	spin_lock_irqsave(&sim->lock, flags);
	n = rb_first_cached(&sim->clk.queue);
	if (n)
		t = rb_entry(n, struct nvg_sim_event, node)->time;
	spin_unlock_irqrestore(&sim->lock, flags);
	return t;
}

/**
 * nvg_sim_clock_play() - play the next event, if it is due by @until
 * @sim: the GPU, virtual mode.
 * @until: device time.
 * @kind: set to the event's enum nvg_sim_event_kind (the HAL's
 *	enum nvg_hal_event_kind has the same values).
 *
 * Moves the clock to the event's time and plays it. What it sets off (an
 * interrupt, an engine going on) runs asynchronously: the caller settles
 * (nvg_sim_clock_settle() and its own work) before playing the next one.
 * One caller at a time.
 *
 * Return: true if an event was played.
 */
bool nvg_sim_clock_play(struct nvg_sim *sim, u64 until, u32 *kind)
{
	struct nvg_sim_event *ev;
	struct rb_node *n;
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	n = rb_first_cached(&sim->clk.queue);
	ev = n ? rb_entry(n, struct nvg_sim_event, node) : NULL;
	if (!ev || ev->time > until || READ_ONCE(sim->stopped)) {
		spin_unlock_irqrestore(&sim->lock, flags);
		return false;
	}
	nvg_sim_event_del(sim, ev);
	nvg_sim_clock_move(sim, ev->time);
	atomic64_inc(&sim->clk.gen);
	spin_unlock_irqrestore(&sim->lock, flags);
	*kind = ev->kind;
	ev->fire(ev);
	return true;
}

/**
 * nvg_sim_clock_set() - move the clock to @t, with no event on the way
 * @sim: the GPU, virtual mode.
 * @t: device time; at most nvg_sim_clock_next(), or nothing happens.
 *
 * Return: whether the move set anything going (the activity counter
 * moved: the power model changed the clock and woke an engine computing
 * a job to plan again); if not, the GPU is as still as it was.
 */
bool nvg_sim_clock_set(struct nvg_sim *sim, u64 t)
{
	struct rb_node *n;
	unsigned long flags;
	s64 gen;

	spin_lock_irqsave(&sim->lock, flags);
	gen = atomic64_read(&sim->clk.gen);
	n = rb_first_cached(&sim->clk.queue);
	if (!n || rb_entry(n, struct nvg_sim_event, node)->time >= t)
		nvg_sim_clock_move(sim, t);
	gen = atomic64_read(&sim->clk.gen) - gen;
	spin_unlock_irqrestore(&sim->lock, flags);
	return gen != 0;
}

static bool nvg_sim_engines_still(struct nvg_sim *sim)
{
	unsigned long flags;
	bool still = true;
	unsigned int i;

	spin_lock_irqsave(&sim->lock, flags);
	for (i = 0; i < NVG_MAX_ENGINES; i++)
		if (sim->engines[i].vstate == NVG_SIM_ENG_RUNNING)
			still = false;
	spin_unlock_irqrestore(&sim->lock, flags);
	return still;
}

/**
 * nvg_sim_clock_still() - whether the GPU is still now, without waiting
 * @sim: the GPU, virtual mode.
 *
 * Return: true if no engine is doing host work and no interrupt is in
 * flight.
 */
bool nvg_sim_clock_still(struct nvg_sim *sim)
{
	return !irq_work_is_busy(&sim->raise_work) && nvg_sim_engines_still(sim);
}

/**
 * nvg_sim_clock_settle() - wait until the GPU itself is still
 * @sim: the GPU, virtual mode.
 *
 * The interrupt it raised has been delivered (and the driver's hard-IRQ
 * handler has run), and every engine is idle or blocked on its next event.
 * The driver's own work may set it going again: the caller loops until
 * the activity counter this returns stops moving.
 *
 * Return: the activity counter.
 */
u64 nvg_sim_clock_settle(struct nvg_sim *sim)
{
	u64 gen;

	if (READ_ONCE(sim->stopped))
		return atomic64_read(&sim->clk.gen);
	/*
	 * An engine that finished queued its interrupt before going idle,
	 * so the second sync waits for the handler; but the handler may
	 * launch the engine's next job, and on another CPU it can run after
	 * this CPU saw every engine still: look again after it, or the
	 * executor of that job would start only after the clock moved on.
	 *
	 * The counter is read before the last look, not after: a launch
	 * (on another CPU: the driver's work, which the caller flushes only
	 * after this) between a look that saw every engine still and the
	 * read would be in the value returned, the caller would see it
	 * unchanged after its flushes and end the settle with that engine
	 * running (seen on the debug kernel: "engine 0 launched at T ran at
	 * T + 5 ms"). Read first, a launch after it moves the counter.
	 */
	do {
		irq_work_sync(&sim->raise_work);
		wait_event(sim->clk.settle_wq, nvg_sim_engines_still(sim));
		irq_work_sync(&sim->raise_work);
		gen = atomic64_read(&sim->clk.gen);
		smp_rmb();	/* the counter, then the engines' states */
	} while (!nvg_sim_clock_still(sim));
	return gen;
}

/**
 * nvg_sim_clock_gen() - the activity counter, without waiting
 * @sim: the GPU, virtual mode.
 *
 * Every interrupt raised and every engine woken, launched or blocking
 * moves it: if it still reads what nvg_sim_clock_settle() returned, the
 * GPU is as still as it was then.
 *
 * Return: the activity counter.
 */
u64 nvg_sim_clock_gen(struct nvg_sim *sim)
{
	return atomic64_read(&sim->clk.gen);
}
