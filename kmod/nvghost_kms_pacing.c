// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_kms_pacing.c - the display's side of the frame-pacing hook.
 *
 * Three points where nvg_pacing_ops is asked or told:
 *
 *  - a flip is queued (atomic_flush): nvg_pacing_latch() asks when it
 *    should latch. At a fixed refresh rate the answer becomes a vblank
 *    number (the first vblank at or after that time); with VRR the head is
 *    told the image is ready (FLIP) only at that time, by a device alarm, so
 *    the refresh happens then (or when the monitor's longest frame forces
 *    one, which repeats the old image).
 *  - a vblank (hard IRQ): the policy observes it, and the head counts the
 *    frames its presenter (the process that flips on it) showed and
 *    missed, and their intervals, for the power hook.
 *  - DRM_IOCTL_NVGHOST_FRAME_WAIT: the policy advises when the client
 *    should start its next frame; the ioctl sleeps until then.
 *
 * A frame is missed when a head refreshes without a new image while a
 * client is presenting on it (it flipped within the last two refreshes):
 * the previous image is shown twice.
 *
 * That count is mechanism, like fdinfo's: a fixed definition of what the
 * display did, counted in the vblank's hard IRQ. A power policy that wants
 * another definition observes every refresh itself through the pacing
 * hook's vblank() (flipped or not) in the same BPF object. Whom the frames
 * and misses are counted for is policy: the power hook's client_key().
 */
#include <linux/hrtimer.h>
#include <linux/sched/signal.h>
#include <drm/drm_crtc.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_vblank.h>

#include "nvghost_drv.h"
#include "nvghost_kms.h"
#include "nvghost_pacing_ops.h"
#include "nvghost_trace.h"
#include "../uapi/nvghost_drm.h"

/* VRR: the policy's moment has come; the image is ready. Hard IRQ. */
static void nvg_pace_timer_fn(struct nvg_alarm *t)
{
	struct nvg_head *head = container_of(t, struct nvg_head, pace_timer);
	struct drm_device *drm = &head->ndev->drm;
	unsigned long flags;

	spin_lock_irqsave(&drm->event_lock, flags);
	if (head->pace_hold) {
		head->pace_hold = false;
		head->flip_seq = drm_crtc_vblank_count(&head->crtc) + 1;
		nvg_hw_head_flip(&head->ndev->hal, head->index);
	}
	spin_unlock_irqrestore(&drm->event_lock, flags);
}

void nvg_pacing_head_init(struct nvg_head *head)
{
	nvg_alarm_init(&head->pace_timer, nvg_pace_timer_fn);
}

/* The head goes off, or away: no held flip waits for the timer any more. */
void nvg_pacing_head_off(struct nvg_head *head)
{
	nvg_alarm_cancel_sync(head->ndev, &head->pace_timer);
	head->pace_hold = false;
	head->last_latch_ns = 0;
}

/**
 * nvg_presenter_of_client() - what the power hook is told of a DRM file
 * @client: the file's client (its opener, as it opened the file).
 * @pr: filled in.
 */
void nvg_presenter_of_client(const struct nvg_client *client, struct nvg_presenter *pr)
{
	memset(pr, 0, sizeof(*pr));
	pr->pid = client->pid;
	pr->ppid = client->ppid;
	pr->prio = READ_ONCE(client->prio);
	pr->client_id = client->client_id;
	memcpy(pr->comm, client->comm, sizeof(pr->comm));
}

/*
 * Who flipped: the DRM file the flip's event goes to, as its opener left it
 * (the same file whose GPU time the power hook sees). Not current: a
 * nonblocking commit is flushed from a worker. A commit that asked for no
 * event has one the atomic helpers made, with no file: then the committer
 * if it is flushing its own commit, else nobody (pid 0).
 *
 * These are facts about the flip; whom the power hook counts its frames
 * for is the power policy's (ops.client_key(), given all of them; built
 * in: @pr->pid).
 */
static void nvg_flip_presenter(struct nvg_head *head, struct nvg_presenter *pr)
{
	struct drm_file *file = head->flip_event ? head->flip_event->base.file_priv : NULL;
	struct nvg_client *client = file ? file->driver_priv : NULL;

	if (client) {
		nvg_presenter_of_client(client, pr);
		return;
	}
	memset(pr, 0, sizeof(*pr));
	if (!(current->flags & PF_KTHREAD)) {
		pr->pid = task_tgid_nr(current);
		pr->ppid = task_ppid_nr(current);
		strscpy_pad(pr->comm, current->comm, sizeof(pr->comm));
	}
}

/*
 * Whose frame a FRAME_WAIT on @file starts: the file's opener, as for a
 * flip on it, whichever process makes the call (a file handed to another
 * process, as nvgreplay does, still speaks for its opener).
 */
static pid_t nvg_file_pid(struct drm_file *file)
{
	struct nvg_client *client = file->driver_priv;

	return client ? client->pid : task_tgid_nr(current);
}

/**
 * nvg_pacing_latch() - at which vblank does a flip just queued latch?
 * @head: the head, its flip_event set.
 * @cs: the new CRTC state.
 * @next: the number of the head's next vblank (the default).
 *
 * Called from atomic_flush under the DRM event_lock. With VRR and a
 * policy's time, sets @head->pace_hold: the caller then does not write
 * FLIP; the pace timer does, at that time.
 *
 * Return: the vblank number to complete the flip at.
 */
u64 nvg_pacing_latch(struct nvg_head *head, struct drm_crtc_state *cs, u64 next)
{
	struct nvg_device *ndev = head->ndev;
	const struct drm_display_mode *m = &cs->adjusted_mode;
	struct nvg_flip f = { };
	struct nvg_presenter pr;
	u64 t, next_time;

	f.dev_index = ndev->index;
	f.head = head->index;
	nvg_flip_presenter(head, &pr);
	f.pid = pr.pid;
	f.vrr = nvg_head_vrr(head, cs);
	f.seq = next - 1;
	f.now_ns = nvg_ptimer_read(ndev);
	f.last_vblank_ns = nvg_head_vblank_time(head);
	f.frame_ns = m->clock ? div_u64((u64)m->htotal * m->vtotal * 1000000ULL, m->clock) : 0;
	if (f.vrr) {
		f.vrr_min_ns = f.frame_ns;
		f.vrr_max_ns = nvg_hw_head_vrr_max_ns(&ndev->hal, head->index);
		f.window_end_ns = f.last_vblank_ns + f.vrr_max_ns;
	} else {
		f.window_end_ns = f.last_vblank_ns + NVG_PACING_MAX_FRAMES_AHEAD * f.frame_ns;
	}
	head->frame_ns = f.frame_ns;
	head->presenter = pr;	/* under the event_lock, as nvg_kms_take_frames() reads it */
	if (head->frame_start_ns && f.now_ns > head->frame_start_ns)
		head->render_ns = f.now_ns - head->frame_start_ns;
	head->frame_start_ns = 0;

	t = nvg_pacing_flip(&f);
	head->latch_ns = t;
	trace_nvghost_flip_queued(f.dev_index, f.head, f.now_ns, t, next);
	trace_nvghost_present(f.dev_index, f.head, f.pid, f.now_ns, f.vrr);
	if (!t || !f.frame_ns)
		return next;
	if (f.vrr) {
		head->pace_hold = true;
		nvg_alarm_at(ndev, &head->pace_timer, t);
		return U64_MAX;	/* the pace timer names the vblank */
	}
	next_time = f.last_vblank_ns + f.frame_ns;
	if (t <= next_time)
		return next;
	return next + DIV_ROUND_UP_ULL(t - next_time, f.frame_ns);
}

/**
 * nvg_pacing_vblank_seen() - a head refreshed (hard IRQ)
 * @head: the head.
 * @seq: its vblank count.
 * @flipped: a flip latched at this vblank.
 */
void nvg_pacing_vblank_seen(struct nvg_head *head, u64 seq, bool flipped)
{
	struct nvg_vblank vb = {
		.dev_index = head->ndev->index,
		.head = head->index,
		.seq = seq,
		.time_ns = nvg_head_vblank_time(head),
		.flipped = flipped,
	};

	trace_nvghost_vblank(vb.dev_index, vb.head, seq, vb.time_ns, flipped);
	if (flipped) {
		trace_nvghost_flip_latched(vb.dev_index, vb.head, seq, vb.time_ns);
		atomic_inc(&head->frames);
		if (head->last_latch_ns && head->since_flip < NVG_KMS_FRAME_GAP_MAX &&
		    vb.time_ns > head->last_latch_ns) {
			atomic64_add(vb.time_ns - head->last_latch_ns, &head->interval_ns);
			atomic_inc(&head->intervals);
		}
		head->last_latch_ns = vb.time_ns;
		head->since_flip = 0;
	} else if (head->since_flip < 2 && !head->flip_event) {
		head->since_flip++;
		atomic_inc(&head->missed);
	} else if (head->since_flip < U32_MAX) {
		head->since_flip++;
	}
	nvg_pacing_vblank(&vb);
}

/**
 * nvg_kms_take_frames() - what a head showed since the last call
 * @head: the head.
 * @f: filled in: its presenter, frames presented and missed (see the top
 *	of this file), their intervals, the refresh period and the last
 *	render time. The counters restart from zero.
 */
void nvg_kms_take_frames(struct nvg_head *head, struct nvg_head_frames *f)
{
	unsigned long flags;

	spin_lock_irqsave(&head->ndev->drm.event_lock, flags);
	f->presenter = head->presenter;
	spin_unlock_irqrestore(&head->ndev->drm.event_lock, flags);
	f->frames = atomic_xchg(&head->frames, 0);
	f->missed = atomic_xchg(&head->missed, 0);
	/* (a vblank between these two may land in the next period's share) */
	f->intervals = atomic_xchg(&head->intervals, 0);
	f->interval_ns = atomic64_xchg(&head->interval_ns, 0);
	f->frame_ns = READ_ONCE(head->frame_ns);
	f->render_ns = READ_ONCE(head->render_ns);
}

int nvg_ioctl_frame_wait(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct nvg_device *ndev = to_nvg_device(drm);
	struct drm_nvghost_frame_wait *args = data;
	struct nvg_frame fr = { };
	struct drm_crtc *crtc;
	struct nvg_head *head;
	u64 t, before;
	int ret = 0, idx;

	if (args->flags & ~DRM_NVGHOST_FRAME_WAIT_FLAGS)
		return -EINVAL;
	/* num_heads=0: no mode config (not even its locks), no CRTC to find. */
	if (!drm_core_check_feature(drm, DRIVER_MODESET))
		return -EOPNOTSUPP;
	crtc = drm_crtc_find(drm, file, args->crtc_id);
	if (!crtc)
		return -ENOENT;
	head = to_nvg_head(crtc);
	/* The head's registers; not held across the sleep, which an unplug need not wait for. */
	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;

	fr.dev_index = ndev->index;
	fr.head = head->index;
	/* The file's opener, as a flip's (nvg_flip_pid()): not current. */
	fr.pid = nvg_file_pid(file);
	fr.queued = READ_ONCE(head->flip_event) ? 1 : 0;
	fr.now_ns = nvg_ptimer_read(ndev);
	fr.last_vblank_ns = nvg_head_vblank_time(head);
	fr.frame_ns = READ_ONCE(head->frame_ns);
	fr.last_frame_ns = READ_ONCE(head->render_ns);

	t = nvg_pacing_frame_start(&fr);
	trace_nvghost_frame_wait(fr.dev_index, fr.head, fr.pid, fr.now_ns, t);
	drm_dev_exit(idx);
	args->advised_ns = t ? t + ndev->kms.ptimer_to_ktime : 0;
	args->slept_ns = 0;
	if (t && !(args->flags & DRM_NVGHOST_FRAME_WAIT_NO_SLEEP)) {
		/* On the device's clock: in virtual mode, until ADVANCE gets there. */
		before = nvg_ptimer_read(ndev);
		ret = nvg_alarm_sleep_until(ndev, t);
		args->slept_ns = nvg_ptimer_read(ndev) - before;
	}
	/* The frame starts now: its render time ends at the next flip. */
	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	WRITE_ONCE(head->frame_start_ns, nvg_ptimer_read(ndev));
	drm_dev_exit(idx);
	return ret;
}
