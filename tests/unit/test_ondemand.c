// SPDX-License-Identifier: GPL-2.0
/*
 * test_ondemand.c - the built-in default of the nvg_power_ops governor
 * (kmod/nvghost_ondemand.h) decides as simple_ondemand does.
 *
 * Expected p-states are worked out by hand from simple_ondemand's rule
 * (drivers/devfreq/governor_simpleondemand.c, Linux 6.12) followed by
 * devfreq's recommended OPP (the lowest at or above the asked frequency):
 *   load > up                       -> the top
 *   up - down < load <= up          -> keep the current clock
 *   otherwise                       -> busy * cur / total * 100 / (up - down / 2)
 * (integer arithmetic: down / 2 is 2, so the divisor is 43)
 * with up 45 and down 5 (nvghost's thresholds, as panfrost's) unless a
 * test says otherwise.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "nvghost_ondemand.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* AD102's ladder (kmod/nvghost_chip.c). */
static const struct nvg_pstate ad102[] = {
	{ 210, 700 }, { 735, 750 }, { 1245, 800 }, { 1755, 875 }, { 2235, 960 },
	{ 2520, 1050 },
};

/* Steps closer than the band is wide: where keeping the clock shows. */
static const struct nvg_pstate close[] = { { 1000, 800 }, { 1950, 900 }, { 2000, 1000 } };

#define AD(cur, busy, total)	nvg_ondemand_pstate(ad102, ARRAY_SIZE(ad102), 45, 5, cur, busy, total)
#define CLOSE(cur, busy, total)	nvg_ondemand_pstate(close, ARRAY_SIZE(close), 45, 5, cur, busy, total)

Test(ondemand, no_time_is_top)
{
	cr_assert(eq(u32, AD(210, 0, 0), 5));
}

Test(ondemand, no_current_clock_is_top)
{
	cr_assert(eq(u32, AD(0, 10, 100), 5));
}

Test(ondemand, above_up_threshold_is_top)
{
	cr_assert(eq(u32, AD(210, 46, 100), 5));
}

/* 45% is not above 45: the band, so the clock stays at 210. */
Test(ondemand, at_up_threshold_keeps_clock)
{
	cr_assert(eq(u32, AD(210, 45, 100), 0));
}

/* 41% at 2000 MHz asks 2000 * 41 / 43 = 1907 MHz, i.e. 1950: the band keeps 2000. */
Test(ondemand, inside_band_keeps_clock_where_load_would_step_down)
{
	cr_assert(eq(u32, CLOSE(2000, 41, 100), 2));
}

/* 40% is the band's lower edge, not inside it: 2000 * 40 / 43 = 1860 -> 1950. */
Test(ondemand, band_lower_edge_scales)
{
	cr_assert(eq(u32, CLOSE(2000, 40, 100), 1));
}

/* 20% at 2520: 2520 * 20 / 43 = 1172 MHz -> 1245. */
Test(ondemand, below_band_scales_to_middle)
{
	cr_assert(eq(u32, AD(2520, 20, 100), 2));
}

/* The same with real nanoseconds (simple_ondemand's >> 7 guard applies). */
Test(ondemand, below_band_scales_in_ns)
{
	cr_assert(eq(u32, AD(2520, 10000000, 50000000), 2));
}

Test(ondemand, idle_is_bottom)
{
	cr_assert(eq(u32, AD(2520, 0, 50000000), 0));
}

/* A throttled clock between p-states: kept means the p-state above it. */
Test(ondemand, inside_band_off_ladder_clock_rounds_up)
{
	cr_assert(eq(u32, AD(1500, 42, 100), 3));
}

/* Zero thresholds are simple_ondemand's defaults, 90 and 5: 50% at 2520 asks
 * 2520 * 50 / 88 = 1432 MHz -> 1755 (with up 45 it would be the top). */
Test(ondemand, zero_thresholds_are_defaults)
{
	cr_assert(eq(u32, nvg_ondemand_pstate(ad102, ARRAY_SIZE(ad102), 0, 0, 2520, 50, 100), 3));
}

/* Thresholds simple_ondemand refuses: the clock stays. */
Test(ondemand, bad_thresholds_keep_clock)
{
	cr_assert(eq(u32, nvg_ondemand_pstate(ad102, ARRAY_SIZE(ad102), 101, 5, 1245, 99, 100), 2));
	cr_assert(eq(u32, nvg_ondemand_pstate(ad102, ARRAY_SIZE(ad102), 4, 5, 1245, 99, 100), 2));
}

/* 40% at 2520 asks 2520 * 40 / 43 = 2344 MHz: above 2235, so the top. */
Test(ondemand, between_top_two_is_top)
{
	cr_assert(eq(u32, AD(2520, 40, 100), 5));
}
