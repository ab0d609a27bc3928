/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvghost_kms.h - the display engine: heads, planes, connectors.
 */
#ifndef _NVGHOST_KMS_H_
#define _NVGHOST_KMS_H_

#include <linux/atomic.h>
#include <linux/hrtimer.h>

#include "nvghost_alarm.h"
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/workqueue.h>
#include <drm/drm_connector.h>
#include <drm/drm_crtc.h>
#include <drm/drm_encoder.h>
#include <drm/drm_plane.h>

struct dentry;
struct drm_framebuffer;
struct drm_pending_vblank_event;
struct nvg_device;
struct seq_file;

/* Heads the driver drives at most (the simulated display engine has 4). */
#define NVG_MAX_HEADS	4

/*
 * Entries of a head's gamma LUT (GAMMA_LUT and the legacy gamma ioctl) and
 * of its DEGAMMA_LUT.
 */
#define NVG_GAMMA_SIZE	256

/* Cursor planes take images up to this size. */
#define NVG_CURSOR_MAX	256

/**
 * struct nvg_connector - the monitor plugged into a head
 * @base: the DRM connector.
 * @encoder: the encoder that feeds it.
 * @lock: protects @connected, @edid and @edid_size against debugfs.
 * @connected: a monitor is plugged in.
 * @edid: its EDID (kmalloc'ed copy).
 * @edid_size: bytes in @edid.
 * @vrr_min_hz: the lowest refresh of the monitor's VRR range, 0 if it has
 *	none; set when the modes are probed (under the mode_config mutex).
 * @vrr_max_hz: the highest.
 */
struct nvg_connector {
	struct drm_connector base;
	struct drm_encoder encoder;
	struct mutex lock; /* see above */
	bool connected;
	u8 *edid;
	size_t edid_size;
	unsigned int vrr_min_hz;
	unsigned int vrr_max_hz;
};

/**
 * struct nvg_head - one head: a CRTC with its planes and its connector
 * @ndev: its device.
 * @index: head number, the CRTC's index.
 * @crtc: the DRM CRTC.
 * @primary: the primary plane (scanout of the whole CRTC).
 * @cursor: the cursor plane.
 * @overlay: the overlay plane.
 * @conn: its connector.
 * @flip_event: the flip waiting to latch (under the DRM event_lock).
 * @flip_seq: the vblank at which it latches (nvg_flip_latch_seq()).
 * @flip_after: CLOCK_MONOTONIC time (device time with a virtual clock) the
 *	flip was armed: it latches at no vblank that began before.
 * @crc_enabled: the CRC source is "auto": compute a CRC at each vblank.
 * @crc_lock: protects @crc_next, @crc_end and @crc_pending (hard IRQ).
 * @crc_next: the next frame to report, 0: none reported yet.
 * @crc_end: the latest vblank.
 * @crc_pending: a vblank came since the worker last looked.
 * @crc_work: reports the frames up to @crc_end.
 * @pace_timer: with VRR, writes FLIP at the latch time a pacing policy
 *	chose.
 * @pace_hold: a flip waits for @pace_timer (under the DRM event_lock).
 * @latch_ns: the latch time the policy chose for the last flip, 0: none.
 * @frame_ns: the mode's refresh period.
 * @frame_start_ns: PTIMER time a client last started a frame
 *	(DRM_IOCTL_NVGHOST_FRAME_WAIT), 0 once its flip came.
 * @render_ns: the last frame's start to its flip.
 * @since_flip: refreshes since a flip last latched (to count misses).
 * @presenter: who queued the last flip (under the DRM event_lock).
 * @last_latch_ns: PTIMER time the last flip latched.
 * @frames: flips latched since the power hook last looked
 *	(nvg_kms_take_frames()).
 * @missed: refreshes since then that repeated an image while a client
 *	presented (see nvghost_kms_pacing.c).
 * @intervals: latched flips since then that followed another within
 *	NVG_KMS_FRAME_GAP_MAX refreshes, and @interval_ns their total time
 *	since that other one: the presenter's frame time.
 */
/**
 * struct nvg_presenter - who queued a head's flip, as the power hook's
 *	ops.client_key() sees it (&struct nvg_power_source)
 * @pid: thread group id of the process that opened the DRM file the flip's
 *	event goes to; with no file, of the process that committed it; 0: a
 *	kernel thread did.
 * @ppid: thread group id of @pid's parent (at open, or at the commit).
 * @prio: the file's highest channel priority class so far (0: no file).
 * @client_id: the DRM file's client id; 0: no file.
 * @comm: @pid's command name (at open, or at the commit).
 */
struct nvg_presenter {
	pid_t pid;
	pid_t ppid;
	u32 prio;
	u64 client_id;
	char comm[TASK_COMM_LEN];
};

struct nvg_client;
void nvg_presenter_of_client(const struct nvg_client *client, struct nvg_presenter *pr);

/*
 * A flip that latches within this many refreshes of the previous one on its
 * head continues a sequence of frames (its interval is a frame time); after
 * a longer gap it starts a new one.
 */
#define NVG_KMS_FRAME_GAP_MAX	8

struct nvg_head {
	struct nvg_device *ndev;
	unsigned int index;
	struct drm_crtc crtc;
	struct drm_plane primary;
	struct drm_plane cursor;
	struct drm_plane overlay;
	struct nvg_connector conn;

	struct drm_pending_vblank_event *flip_event;
	u64 flip_seq;
	ktime_t flip_after;

	bool crc_enabled;
	spinlock_t crc_lock; /* see above */
	u64 crc_next;
	u64 crc_end;
	bool crc_pending;
	struct work_struct crc_work;

	/* frame pacing (nvghost_kms_pacing.c) */
	struct nvg_alarm pace_timer;
	bool pace_hold;
	u64 latch_ns;
	u64 frame_ns;
	u64 frame_start_ns;
	u64 render_ns;
	u32 since_flip;
	struct nvg_presenter presenter;
	u64 last_latch_ns;
	atomic_t frames;
	atomic_t missed;
	atomic_t intervals;
	atomic64_t interval_ns;
	atomic64_t latched;
};

/**
 * struct nvg_kms - the device's display engine
 * @nr_heads: heads in use (module parameter num_heads).
 * @max_pclk_khz: the fastest pixel clock a head drives.
 * @ptimer_to_ktime: add to a PTIMER time to get CLOCK_MONOTONIC ns.
 * @intr_lock: serialises nvg_hw_disp_vblank_irq() (a read-modify-write).
 * @vcommit_lock: protects @vcommits.
 * @vcommits: virtual clock: nonblocking commits not yet programmed
 *	(nvg_kms_vcommits_settle()).
 * @crc_wq: where CRCs are computed.
 * @heads: the heads.
 */
struct nvg_kms {
	unsigned int nr_heads;
	u32 max_pclk_khz;
	s64 ptimer_to_ktime;
	spinlock_t intr_lock; /* see above */
	spinlock_t vcommit_lock; /* see above */
	struct list_head vcommits;
	struct workqueue_struct *crc_wq;
	struct nvg_head heads[NVG_MAX_HEADS];
};

static inline struct nvg_head *to_nvg_head(struct drm_crtc *crtc)
{
	return container_of(crtc, struct nvg_head, crtc);
}

static inline struct nvg_connector *to_nvg_connector(struct drm_connector *c)
{
	return container_of(c, struct nvg_connector, base);
}

/**
 * nvg_head_vrr() - whether a head runs with adaptive sync
 * @head: the head.
 * @cs: its CRTC state.
 *
 * VRR_ENABLED is a hint: it takes effect where the monitor has a VRR
 * range, and a monitor without one runs at the mode's fixed rate.
 *
 * Return: true if the head's frames may stretch.
 */
static inline bool nvg_head_vrr(struct nvg_head *head,
				const struct drm_crtc_state *cs)
{
	return cs->vrr_enabled && READ_ONCE(head->conn.vrr_min_hz);
}

/* nvghost_kms.c */
extern unsigned int nvg_num_heads;
bool nvg_fb_is_console(const struct drm_framebuffer *fb);
int nvg_kms_init(struct nvg_device *ndev);
void nvg_kms_fini(struct nvg_device *ndev);
void nvg_kms_irq(struct nvg_device *ndev);
int nvg_kms_vcommits_settle(struct nvg_device *ndev);
int nvg_kms_show(struct nvg_device *ndev, struct seq_file *m);

/* nvghost_kms_crtc.c */
int nvg_crtc_init(struct nvg_head *head);
u64 nvg_head_vblank_time(struct nvg_head *head);
void nvg_crtc_vblank(struct nvg_head *head);

/* nvghost_kms_pacing.c */
void nvg_pacing_head_init(struct nvg_head *head);
void nvg_pacing_head_off(struct nvg_head *head);
u64 nvg_pacing_latch(struct nvg_head *head, struct drm_crtc_state *cs, u64 next);
void nvg_pacing_vblank_seen(struct nvg_head *head, u64 seq, bool flipped);
/**
 * struct nvg_head_frames - what one head showed since the power hook last
 * looked (see &struct nvg_head for the fields)
 */
struct nvg_head_frames {
	struct nvg_presenter presenter;
	u32 frames;
	u32 missed;
	u32 intervals;
	u64 interval_ns;
	u64 frame_ns;
	u64 render_ns;
};

void nvg_kms_take_frames(struct nvg_head *head, struct nvg_head_frames *f);
int nvg_ioctl_frame_wait(struct drm_device *drm, void *data, struct drm_file *file);

/* nvghost_kms_plane.c */
int nvg_planes_init(struct nvg_head *head);

/* nvghost_kms_crc.c */
const char *const *nvg_crtc_get_crc_sources(struct drm_crtc *crtc, size_t *count);
int nvg_crtc_verify_crc_source(struct drm_crtc *crtc, const char *source,
			       size_t *values_cnt);
int nvg_crtc_set_crc_source(struct drm_crtc *crtc, const char *source);
void nvg_crc_work(struct work_struct *work);
void nvg_crc_vblank(struct nvg_head *head, u64 seq);
void nvg_crc_restart(struct nvg_head *head);

/* nvghost_kms_compose.c */
struct nvg_compose;
struct nvg_compose *nvg_compose_begin(struct nvg_head *head, unsigned int *width,
				      unsigned int *height);
void nvg_compose_row(struct nvg_compose *c, unsigned int y, u32 *out);
void nvg_compose_end(struct nvg_compose *c);

/* nvghost_kms_color.c */
struct nvg_color;
int nvg_color_check(struct drm_crtc *crtc, struct drm_crtc_state *cs);
struct nvg_color *nvg_color_get(struct drm_crtc *crtc);
void nvg_color_free(struct nvg_color *color);
void nvg_color_apply(const struct nvg_color *color, u32 *px, unsigned int n);

/* nvghost_kms_connector.c */
int nvg_connector_init(struct nvg_head *head);
void nvg_connector_fini(struct nvg_head *head);
void nvg_connector_debugfs_init(struct nvg_head *head, struct dentry *root);

#endif /* _NVGHOST_KMS_H_ */
