// SPDX-License-Identifier: GPL-2.0
/*
 * test_edid.c - host unit tests of the simulated monitors' EDIDs
 * (kmod/nvghost_edid.c, compiled in as is).
 *
 * Each EDID is decoded here independently of the generator
 * (tools/mkedid.py), following VESA E-EDID 1.4: header, checksum, the
 * first detailed timing descriptor (the preferred mode), and the range
 * limits descriptor that drm_edid turns into the VRR range (it takes one
 * only from an EDID 1.4 with the continuous-frequency feature bit, flagged
 * "range limits only"). The expected values are written out by hand.
 */
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "nvghost_edid.h"

static const unsigned char *edid(const char *name)
{
	unsigned int i;

	for (i = 0; i < nvg_nr_edids; i++)
		if (!strcmp(nvg_edids[i].name, name)) {
			cr_assert(eq(u32, nvg_edids[i].size, 128));
			return nvg_edids[i].data;
		}
	cr_fatal("no EDID named %s", name);
	return NULL;
}

struct mode {
	unsigned int h, v, clock_khz, htotal, vtotal;
};

/* Decode the detailed timing descriptor at byte @off. */
static struct mode dtd(const unsigned char *e, unsigned int off)
{
	const unsigned char *d = e + off;
	struct mode m;

	m.clock_khz = (d[0] | d[1] << 8) * 10;
	m.h = d[2] | (d[4] >> 4) << 8;
	m.htotal = m.h + (d[3] | (d[4] & 0xf) << 8);
	m.v = d[5] | (d[7] >> 4) << 8;
	m.vtotal = m.v + (d[6] | (d[7] & 0xf) << 8);
	return m;
}

/* Refresh in mHz. */
static unsigned long long mhz(struct mode m)
{
	return (unsigned long long)m.clock_khz * 1000000ULL / (m.htotal * m.vtotal);
}

/* The range limits descriptor (tag 0xfd), or NULL. */
static const unsigned char *range(const unsigned char *e)
{
	unsigned int off;

	for (off = 54; off < 126; off += 18)
		if (!e[off] && !e[off + 1] && e[off + 3] == 0xfd)
			return e + off;
	return NULL;
}

static void check_block(const char *name)
{
	static const unsigned char hdr[8] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0 };
	const unsigned char *e = edid(name);
	unsigned int i, sum = 0;

	cr_assert(eq(int, memcmp(e, hdr, 8), 0), "%s: bad header", name);
	for (i = 0; i < 128; i++)
		sum += e[i];
	cr_assert(eq(u32, sum % 256, 0), "%s: bad checksum", name);
}

Test(edid, headers_and_checksums)
{
	check_block("qhd165");
	check_block("uhd60");
	check_block("fhd60");
}

Test(edid, qhd165_preferred_is_2560x1440_at_165)
{
	struct mode m = dtd(edid("qhd165"), 54);

	cr_assert(eq(u32, m.h, 2560));
	cr_assert(eq(u32, m.v, 1440));
	cr_assert(eq(u64, mhz(m), 165000));
}

Test(edid, qhd165_second_mode_is_2560x1440_at_60)
{
	struct mode m = dtd(edid("qhd165"), 72);

	cr_assert(eq(u32, m.h, 2560));
	cr_assert(eq(u64, mhz(m) / 1000, 59));	/* 59.95 Hz, CVT-RB */
}

Test(edid, qhd165_has_a_48_165_vrr_range)
{
	const unsigned char *e = edid("qhd165");
	const unsigned char *r = range(e);

	cr_assert(eq(u8, e[19], 4), "EDID 1.4");
	cr_assert(eq(u8, e[24] & 1, 1), "continuous frequency");
	cr_assert_not_null(r);
	cr_assert(eq(u8, r[10], 0x01), "range limits only");
	cr_assert(eq(u8, r[5], 48));
	cr_assert(eq(u8, r[6], 165));
	cr_assert(eq(u8, e[20], 0xa5), "digital, 8 bpc, DisplayPort");
}

Test(edid, uhd60_preferred_is_3840x2160_at_60)
{
	const unsigned char *e = edid("uhd60");
	struct mode m = dtd(e, 54);

	cr_assert(eq(u32, m.h, 3840));
	cr_assert(eq(u32, m.v, 2160));
	cr_assert(eq(u32, m.clock_khz, 594000));
	cr_assert(eq(u64, mhz(m), 60000));
	cr_assert_null(range(e), "a TV without adaptive sync");
	cr_assert(eq(u8, e[20], 0xa2), "digital, 8 bpc, HDMI-a");
}

Test(edid, fhd60_preferred_is_1920x1080_at_60)
{
	const unsigned char *e = edid("fhd60");
	struct mode m = dtd(e, 54);

	cr_assert(eq(u32, m.h, 1920));
	cr_assert(eq(u32, m.v, 1080));
	cr_assert(eq(u64, mhz(m), 60000));
	cr_assert(eq(u8, e[19], 3), "EDID 1.3: drm_edid reads no VRR range");
}
