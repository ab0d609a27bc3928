// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_power_gov.c - the devfreq governor "nvg_power_ops": the GPU's
 * p-state, chosen each polling period by the BPF power policy.
 *
 * Users switch to it the standard way,
 *
 *	echo nvg_power_ops > /sys/class/devfreq/<gpu>/governor
 *
 * (nvgpolicy does it when it loads a policy with a power part). Each period
 * it reads the GPU's sample (nvg_power_sample(), the same simple_ondemand
 * sees), hands it to the attached policy as a &struct nvg_power_period and
 * asks for a p-state. The devfreq core then clamps the answer to the
 * device's frequency range, which is where the thermal framework's cooling
 * device (and sysfs min_freq/max_freq) apply their limits: thermal limits
 * always win.
 *
 * With no policy attached, or after one was ejected, the built-in default
 * decides: simple_ondemand's rule, keep-current band included, with the
 * thresholds simple_ondemand uses for this GPU (nvghost_ondemand.h), so
 * switching governor changes nothing until a policy loads.
 *
 * The governor serves only nvghost's devfreq devices: selecting it for any
 * other device fails (-EINVAL) and that device keeps its governor.
 */
#include <linux/devfreq.h>
#include <linux/module.h>
#include <linux/units.h>

#include "nvghost_devfreq_gov.h"
#include "nvghost_drv.h"
#include "nvghost_kms.h"
#include "nvghost_ondemand.h"
#include "nvghost_power.h"
#include "nvghost_power_ops.h"

#define NVG_POWER_GOV_NAME	"nvg_power_ops"

/* The highest p-state at or below @hz; 0 if none is. */
static u32 nvg_pstate_at_or_below(struct nvg_power *pw, unsigned long hz)
{
	u32 i;

	for (i = pw->nr_pstates; i-- > 1; )
		if ((unsigned long)pw->pstates[i].mhz * HZ_PER_MHZ <= hz)
			return i;
	return 0;
}

/*
 * The per-client table. Which client a source (a file's GPU time, a head's
 * frames) counts for is the policy's (ops.client_key(); built in: the
 * file opener's process); keeping the table -- one entry per key, summed,
 * bounded, in the order the keys came -- is the driver's.
 */

/* @src is the process @pr describes (a file's opener, or a flip's committer). */
static void nvg_power_source_who(struct nvg_power_source *src, const struct nvg_presenter *pr)
{
	src->pid = pr->pid;
	src->ppid = pr->ppid;
	src->prio = pr->prio;
	src->client_id = pr->client_id;
	memcpy(src->comm, pr->comm, sizeof(src->comm));
}

/*
 * The entry of the client @src counts for, added if there is room; NULL
 * if it is not counted (key 0) or the table is full.
 */
static struct nvg_power_client *nvg_power_client_of(struct nvg_power_period *p,
						    struct nvg_power_source *src)
{
	u32 i, key;

	src->dev_index = p->dev_index;
	src->dflt = src->pid > 0 ? src->pid : 0;
	key = nvg_power_client_key(src);
	if (!key)
		return NULL;
	for (i = 0; i < p->nr_clients; i++)
		if (p->clients[i].key == key)
			return &p->clients[i];
	if (p->nr_clients == NVG_POWER_MAX_CLIENTS)
		return NULL;
	p->clients[p->nr_clients].pid = src->pid;
	p->clients[p->nr_clients].key = key;
	return &p->clients[p->nr_clients++];
}

/*
 * What the heads showed: device totals, and per presenting process its
 * frames, misses and frame time (the pacing side of the display counts
 * them at each vblank).
 */
static void nvg_power_fill_frames(struct nvg_device *ndev, struct nvg_power_period *p)
{
	u32 intervals[NVG_POWER_MAX_CLIENTS] = { };
	struct nvg_power_client *c;
	struct nvg_head_frames hf;
	unsigned int i;

	for (i = 0; i < ndev->kms.nr_heads; i++) {
		struct nvg_power_source src = { .kind = NVG_POWER_SRC_FRAMES, .head = i };

		nvg_kms_take_frames(&ndev->kms.heads[i], &hf);
		p->frames += hf.frames;
		p->missed += hf.missed;
		if (!p->frame_ns)
			p->frame_ns = hf.frame_ns;
		if (!hf.frames && !hf.missed)
			continue;
		nvg_power_source_who(&src, &hf.presenter);
		c = nvg_power_client_of(p, &src);
		if (!c)
			continue;
		c->frames += hf.frames;
		c->missed += hf.missed;
		c->frame_ns += hf.interval_ns;	/* a sum until the end */
		intervals[c - p->clients] += hf.intervals;
		if (hf.frame_ns && (!c->deadline_ns || hf.frame_ns < c->deadline_ns))
			c->deadline_ns = hf.frame_ns;
		if (hf.render_ns)
			c->render_ns = hf.render_ns;
	}
	for (i = 0; i < p->nr_clients; i++)
		p->clients[i].frame_ns = intervals[i] ?
			div_u64(p->clients[i].frame_ns, intervals[i]) : 0;
}

/*
 * Each process's GPU time in the period: the increase of its files'
 * fdinfo counters since the last period. (Clamped, because the first
 * period after another governor ran covers everything since then.)
 */
static void nvg_power_fill_busy(struct nvg_device *ndev, struct nvg_power_period *p)
{
	u64 cap = p->period_ns * max(p->nr_engines, 1U), d[NVG_POWER_ENGINE_KINDS], now;
	struct nvg_power_client *c;
	struct nvg_client *cl;
	unsigned int k;

	mutex_lock(&ndev->clients_lock);
	list_for_each_entry(cl, &ndev->clients, node) {
		struct nvg_power_source src = { .kind = NVG_POWER_SRC_BUSY, .head = -1 };
		struct nvg_presenter who;

		for (k = 0; k < NVG_POWER_ENGINE_KINDS; k++) {
			now = atomic64_read(&cl->busy_ns[k]);
			d[k] = min(now - cl->busy_seen_ns[k], cap);
			cl->busy_seen_ns[k] = now;
		}
		if (!d[0] && !d[1])
			continue;
		nvg_presenter_of_client(cl, &who);
		nvg_power_source_who(&src, &who);
		c = nvg_power_client_of(p, &src);
		if (!c)
			continue;
		for (k = 0; k < NVG_POWER_ENGINE_KINDS; k++)
			c->busy_ns[k] += d[k];
	}
	mutex_unlock(&ndev->clients_lock);
}

static int nvg_power_gov_target(struct devfreq *df, unsigned long *freq)
{
	struct nvg_device *ndev = nvg_power_devfreq_owner(df);
	struct nvg_power_period *p;
	struct nvg_power_sample s;
	unsigned long min_hz, max_hz;
	struct nvg_power *pw;
	u32 i, ps;

	if (!ndev)
		return -EINVAL;
	pw = &ndev->power;
	p = &pw->period;
	memset(p, 0, sizeof(*p));
	nvg_power_sample(ndev, &s);
	devfreq_get_freq_range(df, &min_hz, &max_hz);

	p->dev_index = ndev->index;
	p->period_ns = s.total_ns;
	p->nr_pstates = pw->nr_pstates;
	p->pstate = s.pstate;
	p->max_pstate = nvg_pstate_at_or_below(pw, max_hz);
	p->clock_mhz = s.mhz;
	for (i = 0; i < p->nr_pstates && i < NVG_POWER_MAX_PSTATES; i++)
		p->pstate_mhz[i] = pw->pstates[i].mhz;
	p->nr_engines = min_t(u32, ndev->arb.nr_engines, NVG_POWER_MAX_ENGINES);
	for (i = 0; i < p->nr_engines; i++)
		p->util_pm[i] = s.total_ns ?
			div64_u64(s.busy_ns[i] * 1000, s.total_ns) : 0;
	p->temp_mc = max(s.temp_mc, 0);
	p->power_mw = s.power_mw;
	p->power_cap_mw = pw->limit_mw;
	nvg_power_fill_frames(ndev, p);
	nvg_power_fill_busy(ndev, p);

	if (nvg_power_select(p, &ps))
		ps = min(nvg_ondemand_pstate(pw->pstates, pw->nr_pstates,
					     pw->ondemand.upthreshold,
					     pw->ondemand.downdifferential, s.mhz,
					     s.busy_ns[0], s.total_ns), p->max_pstate);
	*freq = (unsigned long)pw->pstates[ps].mhz * HZ_PER_MHZ;
	return 0;
}

static int nvg_power_gov_event(struct devfreq *df, unsigned int event, void *data)
{
	switch (event) {
	case DEVFREQ_GOV_START:
		/*
		 * Only nvghost's GPUs: the governor reads the GPU behind the
		 * device. The devfreq core keeps (or restores) the previous
		 * governor when this fails.
		 */
		if (!nvg_power_devfreq_owner(df))
			return -EINVAL;
		devfreq_monitor_start(df);
		break;
	case DEVFREQ_GOV_STOP:
		devfreq_monitor_stop(df);
		break;
	case DEVFREQ_GOV_UPDATE_INTERVAL:
		devfreq_update_interval(df, (unsigned int *)data);
		break;
	case DEVFREQ_GOV_SUSPEND:
		devfreq_monitor_suspend(df);
		break;
	case DEVFREQ_GOV_RESUME:
		devfreq_monitor_resume(df);
		break;
	}
	return 0;
}

static struct devfreq_governor nvg_power_governor = {
	.name = NVG_POWER_GOV_NAME,
	.attrs = DEVFREQ_GOV_ATTR_POLLING_INTERVAL | DEVFREQ_GOV_ATTR_TIMER,
	.get_target_freq = nvg_power_gov_target,
	.event_handler = nvg_power_gov_event,
};

int nvg_power_gov_register(void)
{
	return devfreq_add_governor(&nvg_power_governor);
}

void nvg_power_gov_unregister(void)
{
	int ret = devfreq_remove_governor(&nvg_power_governor);

	if (ret)
		pr_warn("nvghost: removing devfreq governor %s: %d\n",
			NVG_POWER_GOV_NAME, ret);
}
