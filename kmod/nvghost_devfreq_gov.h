/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nvghost_devfreq_gov.h - what a devfreq governor needs from the devfreq
 * core, copied from drivers/devfreq/governor.h of Linux 6.12.
 *
 * That header is private to drivers/devfreq and no linux-headers package
 * ships it, yet the functions it declares are exported for governors in
 * modules. The layout of struct devfreq_governor must match the running
 * kernel's; scripts/config.sh pins one 6.12 kernel, and a different major
 * version needs this file checked against its governor.h.
 */
#ifndef _NVGHOST_DEVFREQ_GOV_H_
#define _NVGHOST_DEVFREQ_GOV_H_

#include <linux/devfreq.h>

#define DEVFREQ_NAME_LEN			16

#define DEVFREQ_GOV_START			0x1
#define DEVFREQ_GOV_STOP			0x2
#define DEVFREQ_GOV_UPDATE_INTERVAL		0x3
#define DEVFREQ_GOV_SUSPEND			0x4
#define DEVFREQ_GOV_RESUME			0x5

#define DEVFREQ_GOV_ATTR_POLLING_INTERVAL	BIT(0)
#define DEVFREQ_GOV_ATTR_TIMER			BIT(1)

struct devfreq_governor {
	struct list_head node;

	const char name[DEVFREQ_NAME_LEN];
	const u64 attrs;
	const u64 flags;
	int (*get_target_freq)(struct devfreq *this, unsigned long *freq);
	int (*event_handler)(struct devfreq *devfreq, unsigned int event, void *data);
};

void devfreq_monitor_start(struct devfreq *devfreq);
void devfreq_monitor_stop(struct devfreq *devfreq);
void devfreq_monitor_suspend(struct devfreq *devfreq);
void devfreq_monitor_resume(struct devfreq *devfreq);
void devfreq_update_interval(struct devfreq *devfreq, unsigned int *delay);
int devfreq_add_governor(struct devfreq_governor *governor);
int devfreq_remove_governor(struct devfreq_governor *governor);
void devfreq_get_freq_range(struct devfreq *devfreq, unsigned long *min_freq,
			    unsigned long *max_freq);

#endif /* _NVGHOST_DEVFREQ_GOV_H_ */
