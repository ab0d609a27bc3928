/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_alarm.h - device alarms: timers on the GPU's own clock (PTIMER),
 * multiplexed on its ALARM interrupt (nvghost_alarm.c).
 */
#ifndef _NVGHOST_ALARM_H_
#define _NVGHOST_ALARM_H_

#include <linux/list.h>
#include <linux/types.h>

struct nvg_device;

/**
 * struct nvg_alarm - a timer on device time
 * @head: entry in the device's list of pending alarms, by time.
 * @timestamp: PTIMER time it is due at.
 * @func: what it does then, in hard-IRQ context (the PTIMER interrupt).
 */
struct nvg_alarm {
	struct list_head head;
	u64 timestamp;
	void (*func)(struct nvg_alarm *alarm);
};

void nvg_alarm_init(struct nvg_alarm *alarm, void (*func)(struct nvg_alarm *alarm));
void nvg_alarm_at(struct nvg_device *ndev, struct nvg_alarm *alarm, u64 when);
void nvg_alarm_after(struct nvg_device *ndev, struct nvg_alarm *alarm, u64 ns);
void nvg_alarm_cancel(struct nvg_device *ndev, struct nvg_alarm *alarm);
void nvg_alarm_cancel_sync(struct nvg_device *ndev, struct nvg_alarm *alarm);
bool nvg_alarm_pending(struct nvg_device *ndev, struct nvg_alarm *alarm);
void nvg_alarms_init(struct nvg_device *ndev);
void nvg_alarms_irq(struct nvg_device *ndev);
int nvg_alarm_sleep_until(struct nvg_device *ndev, u64 when);

#endif /* _NVGHOST_ALARM_H_ */
