// SPDX-License-Identifier: GPL-2.0
/*
 * nvg_sim_power.c - the simulated GPU's clocks, power and temperature
 * (the NVG_SIM_PWR_* block and the engines' busy/gating state).
 *
 * Clocks. The board has a p-state ladder (nvghost_chip.c); the driver
 * selects a p-state and the GPU runs at its clock and voltage at once (a
 * real GPU takes some microseconds to relock a PLL: not modelled). The
 * executor costs BUSY cycles at this clock (nvg_sim_exec.c), so the clock
 * decides how fast compute work completes.
 *
 * Power. Each NVG_SIM_POWER_STEP_NS of PTIMER time (live mode; in virtual
 * mode each time the clock moves, and before a p-state change) the model
 * integrates:
 *
 *   P = P_static(V) + P_dyn_max * sum_e(w_e * a_e) * (f V^2) / (f_max V_max^2)
 *
 * P_static is leakage, memory and board, idle_w at the lowest voltage and
 * growing linearly with V. a_e is engine e's activity over the step: 1 while
 * busy, NVG_SIM_IDLE_ACTIVITY while idle but clocked, 0 once power-gated.
 * w_e weighs the engines: compute NVG_SIM_COMPUTE_WEIGHT per mille, the copy
 * engines share the rest. P_dyn_max is calibrated so that every engine busy
 * at the top p-state draws the chip's TGP; everything gated at the lowest
 * draws idle_w.
 *
 * Gating. An engine with no work power-gates after NVG_SIM_GATE_IDLE_NS
 * idle; the next job on it pays NVG_SIM_UNGATE_NS before it starts.
 *
 * Temperature. First order: the die relaxes towards ambient + P / cooling
 * capacity with the chip's time constant. At the slowdown temperature the
 * STATUS_SLOWDOWN flag rises (the driver's thermal zone trips there); at the
 * shutdown temperature the hardware protects itself, independently of any
 * driver, by holding the lowest p-state until the die is back below the
 * slowdown temperature (STATUS_SHUTDOWN).
 *
 * Test knobs: AMBIENT sets the air temperature; HEAT_INJECT adds an offset
 * to it and, so that a test need not wait for the heatsink, moves the die
 * temperature by the same step at once; THERMAL_RESET puts the die back at
 * its power-up temperature (virtual mode's replays start from there).
 */
#include <linux/math64.h>

#include "nvg_sim_priv.h"
#include "../nvghost_regs.h"

#define NVG_SIM_POWER_STEP_NS	(10 * NSEC_PER_MSEC)
#define NVG_SIM_GATE_IDLE_NS	(1 * NSEC_PER_MSEC)
/* Activity of a clocked, idle engine (clock tree, idle loops), in ppm. */
#define NVG_SIM_IDLE_ACTIVITY	50000
/* The compute engine's share of dynamic power, per mille. */
#define NVG_SIM_COMPUTE_WEIGHT	900
#define NVG_SIM_AMBIENT_MC	30000
#define PPM			1000000ULL

static const struct nvg_chip_power *nvg_sim_pw(struct nvg_sim *sim)
{
	return &sim->chip->power;
}

u64 nvg_sim_engine_busy_ns(struct nvg_sim_engine *e, u64 now)
{
	return e->busy_ns + (e->busy ? now - e->busy_since : 0);
}

bool nvg_sim_engine_gated(struct nvg_sim_engine *e, u64 now)
{
	return !e->busy && now - e->idle_since >= NVG_SIM_GATE_IDLE_NS;
}

/* Leakage grows with voltage; idle_w is its value at the lowest one. */
static u64 nvg_sim_static_mw(const struct nvg_chip_power *pw, u32 mv)
{
	return div_u64((u64)pw->idle_w * 1000 * mv, pw->pstates[0].mv);
}

/* Engine weights in dynamic power, per mille. */
static u32 nvg_sim_engine_weight(struct nvg_sim *sim, unsigned int i)
{
	if (!sim->chip->nr_copy)
		return 1000;
	if (i == 0)
		return NVG_SIM_COMPUTE_WEIGHT;
	return (1000 - NVG_SIM_COMPUTE_WEIGHT) / sim->chip->nr_copy;
}

/* Activity of engine @e over (@now - @dt, @now], in ppm. */
static u64 nvg_sim_activity_ppm(struct nvg_sim_engine *e, u64 now, u64 dt,
				u64 busy_dt)
{
	u64 idle_dt = dt - busy_dt, gated_dt = 0;

	if (!e->busy && now - e->idle_since > NVG_SIM_GATE_IDLE_NS)
		gated_dt = min(idle_dt, now - e->idle_since - NVG_SIM_GATE_IDLE_NS);
	return div64_u64(busy_dt * PPM + (idle_dt - gated_dt) * NVG_SIM_IDLE_ACTIVITY,
			 dt);
}

/* Board power over a step that lasted @dt ns and ends @now. Lock held. */
static u32 nvg_sim_power_mw(struct nvg_sim *sim, u64 now, u64 dt)
{
	const struct nvg_chip_power *pw = nvg_sim_pw(sim);
	const struct nvg_pstate *top = &pw->pstates[pw->nr_pstates - 1];
	struct nvg_sim_power *p = &sim->pwr;
	u64 dyn_max, act = 0, fv2, fv2_max, dyn;
	unsigned int i;

	for (i = 0; i < nvg_chip_nr_engines(sim->chip); i++) {
		struct nvg_sim_engine *e = &sim->engines[i];
		u64 busy = nvg_sim_engine_busy_ns(e, now);
		u64 busy_dt = min(busy - p->busy_at_last[i], dt);

		p->busy_at_last[i] = busy;
		act += nvg_sim_engine_weight(sim, i) *
		       nvg_sim_activity_ppm(e, now, dt, busy_dt);
	}
	/* act: per mille times ppm, at most 1e9 */
	dyn_max = (u64)pw->tgp_w * 1000 - nvg_sim_static_mw(pw, top->mv);
	fv2 = (u64)p->mhz * p->mv * p->mv;
	fv2_max = (u64)top->mhz * top->mv * top->mv;
	dyn = div64_u64(div_u64(dyn_max * act, 1000 * PPM) * fv2, fv2_max);
	return nvg_sim_static_mw(pw, p->mv) + dyn;
}

/*
 * The clock follows the selected p-state unless protection holds it. In
 * virtual mode an engine computing a job planned its end with the old
 * clock: it plans again from its next chunk boundary (nvg_sim_exec.c).
 */
static void nvg_sim_power_set_clock(struct nvg_sim *sim)
{
	const struct nvg_chip_power *pw = nvg_sim_pw(sim);
	struct nvg_sim_power *p = &sim->pwr;
	const struct nvg_pstate *ps = &pw->pstates[p->protect ? 0 : p->pstate];
	unsigned int i;

	if (sim->clk.virt && p->mhz != ps->mhz) {
		for (i = 0; i < NVG_MAX_ENGINES; i++) {
			struct nvg_sim_engine *e = &sim->engines[i];

			if (e->busy) {
				e->replan = true;
				nvg_sim_engine_vwake(e, false);
			}
		}
	}
	WRITE_ONCE(p->mhz, ps->mhz);
	p->mv = ps->mv;
}

/* T relaxes towards its target: dT/dt = (target - T) / tau, in short steps. */
static void nvg_sim_power_heat(struct nvg_sim *sim, u64 dt)
{
	const struct nvg_chip_power *pw = nvg_sim_pw(sim);
	struct nvg_sim_power *p = &sim->pwr;
	u64 tau = (u64)pw->tau_ms * NSEC_PER_MSEC, step, max_step = tau / 32;
	s64 target = ((s64)p->ambient_mc + p->inject_mc) * 1000 +
		     (s64)div_u64((u64)p->power_mw * PPM, pw->cool_mw_per_k);

	for (; dt; dt -= step) {
		step = min(dt, max_step);
		p->temp_uc += div64_s64((target - p->temp_uc) * (s64)step, tau);
	}
}

/* Integrate power, energy and temperature up to @now. Lock held. */
void nvg_sim_power_step(struct nvg_sim *sim, u64 now)
{
	const struct nvg_chip_power *pw = nvg_sim_pw(sim);
	struct nvg_sim_power *p = &sim->pwr;
	u64 dt = now - p->last_ns;
	s64 slowdown = (s64)pw->slowdown_c * PPM;

	if (!dt)
		return;
	p->last_ns = now;
	p->power_mw = nvg_sim_power_mw(sim, now, dt);
	p->energy_pj += (u64)p->power_mw * dt;	/* mW x ns = pJ */
	p->energy_uj += div64_u64_rem(p->energy_pj, PPM, &p->energy_pj);
	nvg_sim_power_heat(sim, dt);

	if (p->temp_uc >= (s64)pw->shutdown_c * PPM)
		p->protect = true;
	else if (p->temp_uc < slowdown)
		p->protect = false;
	nvg_sim_power_set_clock(sim);
}

static enum hrtimer_restart nvg_sim_power_tick(struct hrtimer *t)
{
	struct nvg_sim *sim = container_of(t, struct nvg_sim, pwr.tick);
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	nvg_sim_power_step(sim, nvg_sim_time(sim));
	spin_unlock_irqrestore(&sim->lock, flags);
	hrtimer_forward_now(t, ns_to_ktime(NVG_SIM_POWER_STEP_NS));
	return HRTIMER_RESTART;
}

/* Power-up: top p-state (as the VBIOS leaves it), at ambient temperature. */
void nvg_sim_power_init(struct nvg_sim *sim)
{
	struct nvg_sim_power *p = &sim->pwr;

	p->pstate = nvg_sim_pw(sim)->nr_pstates - 1;
	p->ambient_mc = NVG_SIM_AMBIENT_MC;
	p->temp_uc = (s64)p->ambient_mc * 1000;
	nvg_sim_power_set_clock(sim);
	hrtimer_init(&p->tick, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	p->tick.function = nvg_sim_power_tick;
	/* Virtual mode: integrated each time the clock moves (nvg_sim_clock.c). */
	if (sim->clk.virt)
		p->last_ns = nvg_sim_time(sim);
	else
		hrtimer_start(&p->tick, ns_to_ktime(NVG_SIM_POWER_STEP_NS), HRTIMER_MODE_REL);
}

void nvg_sim_power_fini(struct nvg_sim *sim)
{
	hrtimer_cancel(&sim->pwr.tick);
}

static u32 nvg_sim_power_read(struct nvg_sim *sim, u32 reg)
{
	const struct nvg_chip_power *pw = nvg_sim_pw(sim);
	struct nvg_sim_power *p = &sim->pwr;
	s64 t = p->temp_uc;

	if (reg >= NVG_SIM_PWR_PSTATE_MHZ(0) &&
	    reg < NVG_SIM_PWR_PSTATE_MHZ(pw->nr_pstates)) {
		u32 i = (reg - NVG_SIM_PWR_PSTATE_MHZ(0)) / 8;

		return reg & 4 ? pw->pstates[i].mv : pw->pstates[i].mhz;
	}
	switch (reg) {
	case NVG_SIM_PWR_PSTATE_COUNT:
		return pw->nr_pstates;
	case NVG_SIM_PWR_PSTATE:
		return p->pstate;
	case NVG_SIM_PWR_CLK_MHZ:
		return p->mhz;
	case NVG_SIM_PWR_VOLT_MV:
		return p->mv;
	case NVG_SIM_PWR_POWER_MW:
		return p->power_mw;
	case NVG_SIM_PWR_ENERGY_LO:
		return lower_32_bits(p->energy_uj);
	case NVG_SIM_PWR_ENERGY_HI:
		return upper_32_bits(p->energy_uj);
	case NVG_SIM_PWR_TEMP:
		return (u32)(s32)div_s64(t, 1000);
	case NVG_SIM_PWR_STATUS:
		return (t >= (s64)pw->slowdown_c * PPM ? NVG_SIM_PWR_STATUS_SLOWDOWN : 0) |
		       (p->protect ? NVG_SIM_PWR_STATUS_SHUTDOWN : 0);
	case NVG_SIM_PWR_SLOWDOWN_TEMP:
		return pw->slowdown_c * 1000;
	case NVG_SIM_PWR_SHUTDOWN_TEMP:
		return pw->shutdown_c * 1000;
	case NVG_SIM_PWR_LIMIT_MW:
		return pw->tgp_w * 1000;
	case NVG_SIM_PWR_AMBIENT:
		return p->ambient_mc;
	case NVG_SIM_PWR_HEAT_INJECT:
		return p->inject_mc;
	default:
		return NVG_BAD_REG_VALUE;
	}
}

bool nvg_sim_power_rd32(struct nvg_sim *sim, u32 reg, u32 *val)
{
	unsigned long flags;

	if (reg < NVG_SIM_PWR || reg >= NVG_SIM_PWR + 0x200)
		return false;
	spin_lock_irqsave(&sim->lock, flags);
	*val = nvg_sim_power_read(sim, reg);
	spin_unlock_irqrestore(&sim->lock, flags);
	return true;
}

bool nvg_sim_power_wr32(struct nvg_sim *sim, u32 reg, u32 val)
{
	struct nvg_sim_power *p = &sim->pwr;
	unsigned long flags;

	if (reg < NVG_SIM_PWR || reg >= NVG_SIM_PWR + 0x200)
		return false;
	spin_lock_irqsave(&sim->lock, flags);
	switch (reg) {
	case NVG_SIM_PWR_PSTATE:
		/* An index past the table is ignored, as a bad VBIOS entry. */
		if (val < nvg_sim_pw(sim)->nr_pstates) {
			/* Virtual mode: what ran until now ran at the old clock. */
			if (sim->clk.virt)
				nvg_sim_power_step(sim, nvg_sim_time(sim));
			p->pstate = val;
			nvg_sim_power_set_clock(sim);
		}
		break;
	case NVG_SIM_PWR_AMBIENT:
		p->ambient_mc = clamp_t(s32, val, -40000, 150000);
		break;
	case NVG_SIM_PWR_THERMAL_RESET:
		/*
		 * The die as at power-up (the air's temperature, with any
		 * injected heat, which is the surroundings'): what ran until
		 * now is integrated at the old temperature first.
		 */
		if (val != 1)
			break;
		nvg_sim_power_step(sim, nvg_sim_time(sim));
		p->temp_uc = ((s64)p->ambient_mc + p->inject_mc) * 1000;
		p->protect = false;
		nvg_sim_power_set_clock(sim);
		break;
	case NVG_SIM_PWR_HEAT_INJECT: {
		s32 inject = clamp_t(s32, val, -100000, 150000);

		p->temp_uc += (s64)(inject - p->inject_mc) * 1000;
		p->inject_mc = inject;
		break;
	}
	default:
		break;
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	return true;
}
