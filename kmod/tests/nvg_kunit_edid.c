// SPDX-License-Identifier: GPL-2.0
/*
 * nvg_kunit_edid.c - KUnit: the simulated monitors' EDIDs (kmod/nvghost_edid.c)
 * as the kernel's own EDID code reads them.
 *
 * tests/unit/test_edid.c decodes the bytes by hand on the host. This suite
 * hands them to drm_edid, exactly as nvg_connector_get_modes() does
 * (drm_edid_alloc, drm_edid_connector_update, drm_edid_connector_add_modes)
 * on a bare DRM device and connector, and checks what user space will see:
 * that DRM accepts each EDID, the preferred mode, the VRR range DRM derives
 * (the driver's adaptive-sync window), and that every preferred mode passes
 * the head's mode filter (NVG_SIM_HEAD_MAX_PCLK_KHZ, nvg_connector_mode_valid).
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <drm/drm_connector.h>
#include <drm/drm_drv.h>
#include <drm/drm_edid.h>
#include <drm/drm_managed.h>
#include <drm/drm_mode_config.h>
#include <drm/drm_modes.h>
#include <drm/drm_probe_helper.h>

#include "../nvghost_edid.c"
#include "../sim/nvg_sim_priv.h"

static const struct drm_driver nvg_kunit_drm_driver = {
	.driver_features = DRIVER_MODESET,
	.name = "nvg_kunit",
	.desc = "nvghost KUnit",
	.major = 1,
};

static const struct drm_connector_funcs nvg_kunit_conn_funcs = {
	.fill_modes = drm_helper_probe_single_connector_modes,
};

struct edid_case {
	const char *name;
	int type;
	int h, v, hz;			/* the preferred mode */
	int vrr_min, vrr_max;		/* 0, 0: no VRR range */
};

static const struct edid_case edid_cases[] = {
	{ "qhd165", DRM_MODE_CONNECTOR_DisplayPort, 2560, 1440, 165, 48, 165 },
	{ "uhd60", DRM_MODE_CONNECTOR_HDMIA, 3840, 2160, 60, 0, 0 },
	{ "fhd60", DRM_MODE_CONNECTOR_DisplayPort, 1920, 1080, 60, 0, 0 },
};

static void edid_case_desc(const struct edid_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(edid, edid_cases, edid_case_desc);

static void put_drm(void *drm)
{
	drm_dev_put(drm);
}

static const struct nvg_edid *edid_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < nvg_nr_edids; i++)
		if (!strcmp(nvg_edids[i].name, name))
			return &nvg_edids[i];
	return NULL;
}

static void edid_through_drm(struct kunit *test)
{
	const struct edid_case *c = test->param_value;
	const struct nvg_edid *e = edid_by_name(c->name);
	struct drm_display_mode *mode, *preferred = NULL;
	const struct drm_edid *drm_edid;
	struct drm_connector *conn;
	struct drm_device *drm;
	struct device *dev;
	int count, usable = 0;

	KUNIT_ASSERT_NOT_NULL_MSG(test, e, "no EDID named %s", c->name);
	KUNIT_EXPECT_EQ(test, e->size % EDID_LENGTH, 0);

	dev = kunit_device_register(test, "nvg-kunit-edid");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	drm = drm_dev_alloc(&nvg_kunit_drm_driver, dev);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, drm);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, put_drm, drm), 0);
	KUNIT_ASSERT_EQ(test, drmm_mode_config_init(drm), 0);
	conn = drmm_kzalloc(drm, sizeof(*conn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, conn);
	KUNIT_ASSERT_EQ(test, drmm_connector_init(drm, conn, &nvg_kunit_conn_funcs,
						  c->type, NULL), 0);

	drm_edid = drm_edid_alloc(e->data, e->size);
	KUNIT_ASSERT_NOT_NULL(test, drm_edid);
	KUNIT_EXPECT_TRUE_MSG(test, drm_edid_valid(drm_edid), "DRM rejects EDID %s", c->name);

	mutex_lock(&drm->mode_config.mutex);
	KUNIT_EXPECT_EQ(test, drm_edid_connector_update(conn, drm_edid), 0);
	count = drm_edid_connector_add_modes(conn);
	mutex_unlock(&drm->mode_config.mutex);
	drm_edid_free(drm_edid);
	KUNIT_EXPECT_GT(test, count, 0);

	list_for_each_entry(mode, &conn->probed_modes, head) {
		if (mode->clock <= NVG_SIM_HEAD_MAX_PCLK_KHZ)
			usable++;
		if ((mode->type & DRM_MODE_TYPE_PREFERRED) && !preferred)
			preferred = mode;
	}
	KUNIT_ASSERT_NOT_NULL_MSG(test, preferred, "%s: no preferred mode", c->name);
	KUNIT_EXPECT_EQ(test, preferred->hdisplay, c->h);
	KUNIT_EXPECT_EQ(test, preferred->vdisplay, c->v);
	KUNIT_EXPECT_EQ(test, drm_mode_vrefresh(preferred), c->hz);
	/* what nvg_connector_mode_valid() keeps: the preferred mode, at least */
	KUNIT_EXPECT_LE_MSG(test, preferred->clock, NVG_SIM_HEAD_MAX_PCLK_KHZ,
			    "%s: the head cannot drive its monitor's preferred mode", c->name);
	KUNIT_EXPECT_GT(test, usable, 0);

	KUNIT_EXPECT_EQ(test, conn->display_info.monitor_range.min_vfreq, c->vrr_min);
	KUNIT_EXPECT_EQ(test, conn->display_info.monitor_range.max_vfreq, c->vrr_max);
}

/* A corrupted copy is what drm_edid must refuse (the debugfs edid file). */
static void edid_corrupt_rejected(struct kunit *test)
{
	const struct nvg_edid *e = edid_by_name("qhd165");
	const struct drm_edid *drm_edid;
	u8 *bad;

	KUNIT_ASSERT_NOT_NULL(test, e);
	bad = kunit_kmalloc(test, e->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bad);
	memcpy(bad, e->data, e->size);
	bad[127] ^= 0x5a;	/* checksum */
	drm_edid = drm_edid_alloc(bad, e->size);
	KUNIT_ASSERT_NOT_NULL(test, drm_edid);
	KUNIT_EXPECT_FALSE(test, drm_edid_valid(drm_edid));
	drm_edid_free(drm_edid);
}

static struct kunit_case nvg_edid_cases[] = {
	KUNIT_CASE_PARAM(edid_through_drm, edid_gen_params),
	KUNIT_CASE(edid_corrupt_rejected),
	{}
};

static struct kunit_suite nvg_edid_suite = {
	.name = "nvghost_edid",
	.test_cases = nvg_edid_cases,
};

kunit_test_suite(nvg_edid_suite);
