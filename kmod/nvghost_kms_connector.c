// SPDX-License-Identifier: GPL-2.0
/*
 * nvghost_kms_connector.c - the simulated monitors and their hotplug.
 *
 * Each head feeds one connector, DisplayPort on even heads and HDMI-A on
 * odd ones, behind its own encoder. The monitor behind it is an EDID
 * (nvghost_edid.c), parsed by drm_edid into the connector's modes and
 * display info; a monitor whose EDID gives a refresh range (at least 10 Hz
 * wide) is VRR capable. Tests plug, unplug and swap monitors through
 * debugfs, nvghost/gpuN/connector-K/:
 *
 *   connected   "on" or "off"
 *   edid        the EDID's bytes; write a monitor's name (qhd165, uhd60,
 *               fhd60) or raw EDID bytes (one write, 128-byte blocks)
 *
 * Each change sends a hotplug uevent; the next probe sees the new state.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_edid.h>
#include <drm/drm_print.h>
#include <drm/drm_probe_helper.h>

#include "nvghost_drv.h"
#include "nvghost_edid.h"
#include "nvghost_kms.h"

#define NVG_EDID_MAX_BLOCKS	4

/* A refresh range narrower than this is not worth adaptive sync. */
#define NVG_VRR_MIN_RANGE_HZ	10

static enum drm_connector_status
nvg_connector_detect(struct drm_connector *c, bool force)
{
	struct nvg_connector *conn = to_nvg_connector(c);
	bool connected;

	mutex_lock(&conn->lock);
	connected = conn->connected;
	mutex_unlock(&conn->lock);
	if (connected)
		return connector_status_connected;

	/* Nothing plugged in: forget the last monitor's EDID and range. */
	drm_edid_connector_update(c, NULL);
	WRITE_ONCE(conn->vrr_min_hz, 0);
	WRITE_ONCE(conn->vrr_max_hz, 0);
	drm_connector_set_vrr_capable_property(c, false);
	return connector_status_disconnected;
}

static int nvg_connector_get_modes(struct drm_connector *c)
{
	struct nvg_connector *conn = to_nvg_connector(c);
	const struct drm_monitor_range_info *range = &c->display_info.monitor_range;
	const struct drm_edid *drm_edid = NULL;
	bool vrr;
	int count;

	mutex_lock(&conn->lock);
	if (conn->connected && conn->edid)
		drm_edid = drm_edid_alloc(conn->edid, conn->edid_size);
	mutex_unlock(&conn->lock);

	drm_edid_connector_update(c, drm_edid);
	count = drm_edid_connector_add_modes(c);
	drm_edid_free(drm_edid);

	vrr = range->min_vfreq && range->max_vfreq >= range->min_vfreq + NVG_VRR_MIN_RANGE_HZ;
	WRITE_ONCE(conn->vrr_min_hz, vrr ? range->min_vfreq : 0);
	WRITE_ONCE(conn->vrr_max_hz, vrr ? range->max_vfreq : 0);
	drm_connector_set_vrr_capable_property(c, vrr);
	return count;
}

/* Probing lists only the modes the head can drive; atomic check says why. */
static enum drm_mode_status nvg_connector_mode_valid(struct drm_connector *c,
						     struct drm_display_mode *mode)
{
	if (mode->clock > to_nvg_device(c->dev)->kms.max_pclk_khz)
		return MODE_CLOCK_HIGH;
	return MODE_OK;
}

static const struct drm_connector_funcs nvg_connector_funcs = {
	.detect			= nvg_connector_detect,
	.fill_modes		= drm_helper_probe_single_connector_modes,
	.reset			= drm_atomic_helper_connector_reset,
	.atomic_duplicate_state	= drm_atomic_helper_connector_duplicate_state,
	.atomic_destroy_state	= drm_atomic_helper_connector_destroy_state,
};

static const struct drm_connector_helper_funcs nvg_connector_helper_funcs = {
	.get_modes	= nvg_connector_get_modes,
	.mode_valid	= nvg_connector_mode_valid,
};

/* Replace the monitor's EDID; takes ownership of @edid. */
static void nvg_connector_set_edid(struct nvg_connector *conn, u8 *edid, size_t size)
{
	mutex_lock(&conn->lock);
	kfree(conn->edid);
	conn->edid = edid;
	conn->edid_size = size;
	mutex_unlock(&conn->lock);
}

static const struct nvg_edid *nvg_edid_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < nvg_nr_edids; i++)
		if (!strcmp(nvg_edids[i].name, name))
			return &nvg_edids[i];
	return NULL;
}

/* The monitor each head starts with. */
static const char *nvg_default_monitor(unsigned int head)
{
	return head == 0 ? "qhd165" : head == 1 ? "uhd60" : "fhd60";
}

/**
 * nvg_connector_init() - create a head's encoder and connector, with a
 * monitor plugged in
 * @head: the head, its CRTC created.
 *
 * Return: 0, or an errno.
 */
int nvg_connector_init(struct nvg_head *head)
{
	struct drm_device *drm = &head->ndev->drm;
	struct nvg_connector *conn = &head->conn;
	const struct nvg_edid *e = nvg_edid_by_name(nvg_default_monitor(head->index));
	int type = head->index % 2 ? DRM_MODE_CONNECTOR_HDMIA :
				     DRM_MODE_CONNECTOR_DisplayPort;
	u8 *edid;
	int ret;

	edid = kmemdup(e->data, e->size, GFP_KERNEL);
	if (!edid)
		return -ENOMEM;
	nvg_connector_set_edid(conn, edid, e->size);
	conn->connected = true;

	ret = drmm_encoder_init(drm, &conn->encoder, NULL, DRM_MODE_ENCODER_TMDS, NULL);
	if (ret)
		return ret;
	conn->encoder.possible_crtcs = drm_crtc_mask(&head->crtc);

	ret = drmm_connector_init(drm, &conn->base, &nvg_connector_funcs, type, NULL);
	if (ret)
		return ret;
	drm_connector_helper_add(&conn->base, &nvg_connector_helper_funcs);
	conn->base.polled = DRM_CONNECTOR_POLL_HPD;
	ret = drm_connector_attach_vrr_capable_property(&conn->base);
	if (ret)
		return ret;
	return drm_connector_attach_encoder(&conn->base, &conn->encoder);
}

void nvg_connector_fini(struct nvg_head *head)
{
	nvg_connector_set_edid(&head->conn, NULL, 0);
}

/* ---- debugfs: plug, unplug, swap monitors ---- */

static void nvg_connector_hotplug(struct nvg_head *head)
{
	drm_dbg_kms(&head->ndev->drm, "[CONNECTOR:%d:%s] hotplug\n",
		    head->conn.base.base.id, head->conn.base.name);
	drm_kms_helper_hotplug_event(&head->ndev->drm);
}

static ssize_t nvg_connected_read(struct file *f, char __user *ubuf, size_t len,
				  loff_t *ppos)
{
	struct nvg_head *head = file_inode(f)->i_private;
	const char *s;

	mutex_lock(&head->conn.lock);
	s = head->conn.connected ? "on\n" : "off\n";
	mutex_unlock(&head->conn.lock);
	return simple_read_from_buffer(ubuf, len, ppos, s, strlen(s));
}

static ssize_t nvg_connected_write(struct file *f, const char __user *ubuf,
				   size_t len, loff_t *ppos)
{
	struct nvg_head *head = file_inode(f)->i_private;
	bool on, changed;
	int ret;

	ret = kstrtobool_from_user(ubuf, len, &on);
	if (ret)
		return ret;
	mutex_lock(&head->conn.lock);
	changed = head->conn.connected != on;
	head->conn.connected = on;
	mutex_unlock(&head->conn.lock);
	if (changed)
		nvg_connector_hotplug(head);
	return len;
}

static const struct file_operations nvg_connected_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.read	= nvg_connected_read,
	.write	= nvg_connected_write,
	.llseek	= default_llseek,
};

static ssize_t nvg_edid_read(struct file *f, char __user *ubuf, size_t len,
			     loff_t *ppos)
{
	struct nvg_head *head = file_inode(f)->i_private;
	ssize_t ret;

	mutex_lock(&head->conn.lock);
	ret = simple_read_from_buffer(ubuf, len, ppos, head->conn.edid,
				      head->conn.edid_size);
	mutex_unlock(&head->conn.lock);
	return ret;
}

static ssize_t nvg_edid_write(struct file *f, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	static const u8 header[8] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0 };
	struct nvg_head *head = file_inode(f)->i_private;
	const struct nvg_edid *e;
	size_t size;
	u8 *buf;

	if (*ppos || !len || len > NVG_EDID_MAX_BLOCKS * EDID_LENGTH)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);

	size = len;
	if (len % EDID_LENGTH || memcmp(buf, header, sizeof(header))) {
		/* Not raw EDID blocks: the name of one of the monitors. */
		e = nvg_edid_by_name(strim((char *)buf));
		kfree(buf);
		if (!e)
			return -EINVAL;
		buf = kmemdup(e->data, e->size, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		size = e->size;
	}
	nvg_connector_set_edid(&head->conn, buf, size);
	nvg_connector_hotplug(head);
	return len;
}

static const struct file_operations nvg_edid_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.read	= nvg_edid_read,
	.write	= nvg_edid_write,
	.llseek	= default_llseek,
};

/**
 * nvg_connector_debugfs_init() - the connector's hotplug knobs
 * @head: the head.
 * @root: the device's debugfs directory.
 */
void nvg_connector_debugfs_init(struct nvg_head *head, struct dentry *root)
{
	struct dentry *dir;
	char name[16];

	snprintf(name, sizeof(name), "connector-%u", head->index);
	dir = debugfs_create_dir(name, root);
	debugfs_create_file("connected", 0644, dir, head, &nvg_connected_fops);
	debugfs_create_file("edid", 0644, dir, head, &nvg_edid_fops);
}
