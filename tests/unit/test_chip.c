// SPDX-License-Identifier: GPL-2.0
/*
 * test_chip.c - host unit tests of the chip table and PMC_BOOT_0 decoding
 * (kmod/nvghost_chip.c, compiled in as is).
 *
 * The expected values below are written out by hand, not derived from the
 * table under test: they are NVIDIA's published ids (PMC_BOOT_0 values as
 * nouveau and open-gpu-kernel-modules list them, class ids from the class
 * headers). One condition per test; per-chip cases are parameterized.
 *
 * Parameters hold no pointers (names are inline arrays, cross products are
 * indices into const tables), so they stay valid in Criterion's sandboxed
 * test processes.
 */
#include <stdint.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <criterion/new/assert.h>

#include "nvghost_chip.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* What each chip must be. Every chip of the table, and no other. */
struct chip_case {
	char name[16];
	uint32_t boot0;
	uint32_t arch;
	uint32_t impl;
	uint32_t rev;
	char arch_name[16];
	uint32_t compute_class;
	uint32_t copy_class;
	uint32_t channel_class;
	uint32_t nr_engines;	/* compute + copies */
};

static const struct chip_case chip_cases[] = {
	{ "tu102", 0x162000a1, 0x16, 2, 0xa1, "Turing", 0xc5c0, 0xc5b5, 0xc46f, 3 },
	{ "tu104", 0x164000a1, 0x16, 4, 0xa1, "Turing", 0xc5c0, 0xc5b5, 0xc46f, 3 },
	{ "ga102", 0x172000a1, 0x17, 2, 0xa1, "Ampere", 0xc7c0, 0xc7b5, 0xc56f, 4 },
	{ "ga104", 0x174000a1, 0x17, 4, 0xa1, "Ampere", 0xc7c0, 0xc7b5, 0xc56f, 4 },
	{ "ad102", 0x192000a1, 0x19, 2, 0xa1, "Ada",    0xc9c0, 0xc7b5, 0xc56f, 4 },
	{ "ad104", 0x194000a1, 0x19, 4, 0xa1, "Ada",    0xc9c0, 0xc7b5, 0xc56f, 4 },
	{ "gh100", 0x180000a1, 0x18, 0, 0xa1, "Hopper", 0xcbc0, 0xc8b5, 0xc86f, 4 },
};

#define NR_CHIP_CASES	ARRAY_SIZE(chip_cases)

/*
 * A precondition, not the condition under test: the chip must exist for the
 * test to say anything. Fails the test (rather than crashing it) if not.
 */
static const struct nvg_chip *chip_named(const char *name)
{
	const struct nvg_chip *chip = nvg_chip_by_name(name);

	cr_assert_not_null(chip, "precondition: chip \"%s\" not in the table", name);
	return chip;
}

static struct criterion_test_params all_chips(void)
{
	return cr_make_param_array(struct chip_case, (void *)chip_cases, NR_CHIP_CASES);
}

/* ---- the table's extent ---- */

Test(chip_table, index_past_last_chip_is_null)
{
	cr_assert(zero(ptr, (void *)nvg_chip_at(NR_CHIP_CASES)));
}

Test(chip_table, huge_index_is_null)
{
	cr_assert(zero(ptr, (void *)nvg_chip_at(UINT32_MAX)));
}

struct index_case {
	unsigned int index;
};

ParameterizedTestParameters(chip_table, every_entry_is_an_expected_chip)
{
	static const struct index_case cases[] = { {0}, {1}, {2}, {3}, {4}, {5}, {6} };

	_Static_assert(ARRAY_SIZE(cases) == NR_CHIP_CASES,
		       "one index per expected chip");
	return cr_make_param_array(struct index_case, (void *)cases,
				   ARRAY_SIZE(cases));
}

ParameterizedTest(const struct index_case *c, chip_table, every_entry_is_an_expected_chip)
{
	const struct nvg_chip *chip = nvg_chip_at(c->index);
	bool known = false;
	unsigned int i;

	cr_assert_not_null(chip, "precondition: nvg_chip_at(%u) is NULL", c->index);
	for (i = 0; i < NR_CHIP_CASES; i++)
		if (!strcmp(chip->name, chip_cases[i].name))
			known = true;
	cr_assert(known, "table entry %u is \"%s\", which no test expects",
		  c->index, chip->name);
}

/* ---- per chip: identity and PMC_BOOT_0 decoding ---- */

ParameterizedTestParameters(chip, found_by_name) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, chip, found_by_name)
{
	cr_assert(not(zero(ptr, (void *)nvg_chip_by_name(c->name))),
		  "nvg_chip_by_name(\"%s\") is NULL", c->name);
}

ParameterizedTestParameters(chip, boot0_is_expected) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, chip, boot0_is_expected)
{
	cr_assert(eq(u32, chip_named(c->name)->boot0, c->boot0), "chip %s", c->name);
}

ParameterizedTestParameters(chip, boot0_decodes_to_arch) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, chip, boot0_decodes_to_arch)
{
	cr_assert(eq(u32, nvg_boot0_arch(chip_named(c->name)->boot0), c->arch),
		  "chip %s", c->name);
}

ParameterizedTestParameters(chip, boot0_decodes_to_impl) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, chip, boot0_decodes_to_impl)
{
	cr_assert(eq(u32, nvg_boot0_impl(chip_named(c->name)->boot0), c->impl),
		  "chip %s", c->name);
}

ParameterizedTestParameters(chip, boot0_decodes_to_rev) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, chip, boot0_decodes_to_rev)
{
	cr_assert(eq(u32, nvg_boot0_rev(chip_named(c->name)->boot0), c->rev),
		  "chip %s", c->name);
}

ParameterizedTestParameters(chip, arch_name) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, chip, arch_name)
{
	cr_assert(eq(str, (char *)nvg_arch_name(nvg_boot0_arch(chip_named(c->name)->boot0)),
		     (char *)c->arch_name), "chip %s", c->name);
}

/* name -> chip -> boot0 -> the same chip */
ParameterizedTestParameters(chip, by_boot0_of_own_boot0_is_same_chip) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, chip, by_boot0_of_own_boot0_is_same_chip)
{
	const struct nvg_chip *chip = chip_named(c->name);

	cr_assert(eq(ptr, (void *)nvg_chip_by_boot0(chip->boot0), (void *)chip),
		  "chip %s", c->name);
}

/* boot0 -> chip -> name -> the expected name */
ParameterizedTestParameters(chip, by_boot0_gives_expected_name) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, chip, by_boot0_gives_expected_name)
{
	const struct nvg_chip *chip = nvg_chip_by_boot0(c->boot0);

	cr_assert_not_null(chip, "precondition: nvg_chip_by_boot0(%#x) is NULL", c->boot0);
	cr_assert(eq(str, (char *)chip->name, (char *)c->name));
}

/* the name a chip reports finds that same chip */
ParameterizedTestParameters(chip, by_name_of_own_name_is_same_chip) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, chip, by_name_of_own_name_is_same_chip)
{
	const struct nvg_chip *chip = chip_named(c->name);

	cr_assert(eq(ptr, (void *)nvg_chip_by_name(chip->name), (void *)chip),
		  "chip %s", c->name);
}

/* ---- per chip x revision: by_boot0 ignores bits 7:0 ---- */

struct rev_case {
	unsigned int chip;	/* index into chip_cases[] */
	uint32_t rev;
};

#define REVS(i)	{ i, 0x00 }, { i, 0x0f }, { i, 0xf0 }, { i, 0xff }, { i, 0xa0 }

ParameterizedTestParameters(chip, by_boot0_ignores_revision)
{
	static const struct rev_case cases[] = {
		REVS(0), REVS(1), REVS(2), REVS(3), REVS(4), REVS(5), REVS(6),
	};

	_Static_assert(ARRAY_SIZE(cases) == 5 * NR_CHIP_CASES,
		       "every chip, every revision");
	return cr_make_param_array(struct rev_case, (void *)cases,
				   ARRAY_SIZE(cases));
}

ParameterizedTest(const struct rev_case *c, chip, by_boot0_ignores_revision)
{
	const struct chip_case *cc = &chip_cases[c->chip];
	uint32_t boot0 = (cc->boot0 & ~0xffu) | c->rev;

	cr_assert(eq(ptr, (void *)nvg_chip_by_boot0(boot0), (void *)chip_named(cc->name)),
		  "chip %s, boot0 %#x", cc->name, boot0);
}

/* ---- per chip: engines ---- */

ParameterizedTestParameters(engines, count) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, engines, count)
{
	cr_assert(eq(u32, nvg_chip_nr_engines(chip_named(c->name)), c->nr_engines),
		  "chip %s", c->name);
}

ParameterizedTestParameters(engines, count_fits_max) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, engines, count_fits_max)
{
	cr_assert(le(u32, nvg_chip_nr_engines(chip_named(c->name)), NVG_MAX_ENGINES),
		  "chip %s", c->name);
}

ParameterizedTestParameters(engines, engine0_is_compute) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, engines, engine0_is_compute)
{
	cr_assert(eq(u32, nvg_chip_engine_class(chip_named(c->name), 0), c->compute_class),
		  "chip %s", c->name);
}

ParameterizedTestParameters(engines, channel_class) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, engines, channel_class)
{
	cr_assert(eq(u32, chip_named(c->name)->channel_class, c->channel_class),
		  "chip %s", c->name);
}

ParameterizedTestParameters(engines, one_past_last_is_zero) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, engines, one_past_last_is_zero)
{
	cr_assert(eq(u32, nvg_chip_engine_class(chip_named(c->name), c->nr_engines), 0),
		  "chip %s, engine %u", c->name, c->nr_engines);
}

ParameterizedTestParameters(engines, max_engines_is_zero) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, engines, max_engines_is_zero)
{
	cr_assert(eq(u32, nvg_chip_engine_class(chip_named(c->name), NVG_MAX_ENGINES), 0),
		  "chip %s", c->name);
}

ParameterizedTestParameters(engines, u32_max_is_zero) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, engines, u32_max_is_zero)
{
	cr_assert(eq(u32, nvg_chip_engine_class(chip_named(c->name), UINT32_MAX), 0),
		  "chip %s", c->name);
}

/* every engine 1..nr_copy of every chip is a copy engine */
struct engine_case {
	unsigned int chip;	/* index into chip_cases[] */
	uint32_t engine;
};

ParameterizedTestParameters(engines, copy_engines_are_copy_class)
{
	static const struct engine_case cases[] = {
		{ 0, 1 }, { 0, 2 },
		{ 1, 1 }, { 1, 2 },
		{ 2, 1 }, { 2, 2 }, { 2, 3 },
		{ 3, 1 }, { 3, 2 }, { 3, 3 },
		{ 4, 1 }, { 4, 2 }, { 4, 3 },
		{ 5, 1 }, { 5, 2 }, { 5, 3 },
		{ 6, 1 }, { 6, 2 }, { 6, 3 },
	};

	return cr_make_param_array(struct engine_case, (void *)cases,
				   ARRAY_SIZE(cases));
}

ParameterizedTest(const struct engine_case *c, engines, copy_engines_are_copy_class)
{
	const struct chip_case *cc = &chip_cases[c->chip];

	cr_assert(eq(u32, nvg_chip_engine_class(chip_named(cc->name), c->engine),
		     cc->copy_class), "chip %s, engine %u", cc->name, c->engine);
}

/* ---- unknown names and ids ---- */

struct name_case {
	char name[16];
};

ParameterizedTestParameters(unknown, name_is_null)
{
	static const struct name_case cases[] = {
		{ "" }, { "nv50" }, { "gk104" }, { "ga100" }, { "tu10" }, { "tu1020" },
		{ "ga102 " }, { "gh100 " }, { "gh102" }, { "GH100" },
	};

	return cr_make_param_array(struct name_case, (void *)cases,
				   ARRAY_SIZE(cases));
}

ParameterizedTest(const struct name_case *c, unknown, name_is_null)
{
	cr_assert(zero(ptr, (void *)nvg_chip_by_name(c->name)), "name \"%s\"", c->name);
}

struct boot0_case {
	uint32_t boot0;
};

ParameterizedTestParameters(unknown, boot0_is_null)
{
	static const struct boot0_case cases[] = {
		{ 0x00000000 },
		{ 0xffffffff },
		{ 0xbadf1100 },	/* NVG_BAD_REG_VALUE: a dead BAR reads this */
		{ 0x170000a1 },	/* GA100: right arch, impl not in the table */
		{ 0x168000a1 },	/* TU116 */
		{ 0x181000a1 },	/* GH100_SOC: Hopper arch, impl 1 not in the table */
		{ 0x1b2000a1 },	/* Blackwell GB202 */
		{ 0x062000a1 },	/* tu102's impl under arch 0x06 (bit 28 clear) */
		{ 0x002000a1 },	/* impl 2 with no arch at all */
	};

	return cr_make_param_array(struct boot0_case, (void *)cases,
				   ARRAY_SIZE(cases));
}

ParameterizedTest(const struct boot0_case *c, unknown, boot0_is_null)
{
	cr_assert(zero(ptr, (void *)nvg_chip_by_boot0(c->boot0)), "boot0 %#x", c->boot0);
}

/* ---- architecture names ---- */

struct arch_case {
	uint32_t arch;
	char name[16];
};

ParameterizedTestParameters(arch, name)
{
	static const struct arch_case cases[] = {
		{ 0x16, "Turing" },
		{ 0x17, "Ampere" },
		{ 0x19, "Ada" },
		{ 0x00, "unknown" },
		{ 0x15, "unknown" },
		{ 0x18, "Hopper" },
		{ 0x1f, "unknown" },
		{ 0xffffffff, "unknown" },
	};

	return cr_make_param_array(struct arch_case, (void *)cases,
				   ARRAY_SIZE(cases));
}

ParameterizedTest(const struct arch_case *c, arch, name)
{
	cr_assert(eq(str, (char *)nvg_arch_name(c->arch), (char *)c->name), "arch %#x", c->arch);
}

/*
 * The architecture constants themselves are compile-time facts; what can go
 * wrong at run time is the table: each chip's PMC_BOOT_0 must carry its
 * family's architecture, which chip.boot0_decodes_to_arch checks against
 * NVIDIA's numbers written out above.
 */

/* ---- field decoding on raw values ---- */

Test(boot0, arch_field_is_5_bits)
{
	cr_assert(eq(u32, nvg_boot0_arch(0xffffffff), 0x1f));
}

Test(boot0, impl_field_is_4_bits)
{
	cr_assert(eq(u32, nvg_boot0_impl(0xffffffff), 0xf));
}

Test(boot0, rev_field_is_8_bits)
{
	cr_assert(eq(u32, nvg_boot0_rev(0xffffffff), 0xff));
}

Test(boot0, arch_ignores_bits_31_29)
{
	cr_assert(eq(u32, nvg_boot0_arch(0xe0000000), 0));
}

Test(boot0, impl_ignores_bits_19_8)
{
	cr_assert(eq(u32, nvg_boot0_impl(0x000fff00), 0));
}

/* ---- the real ids this driver claims, spelled out ---- */

Test(real_ids, tu102_boot0)
{
	cr_assert(eq(u32, chip_named("tu102")->boot0, 0x162000a1));
}

Test(real_ids, ga102_boot0)
{
	cr_assert(eq(u32, chip_named("ga102")->boot0, 0x172000a1));
}

Test(real_ids, ad102_boot0)
{
	cr_assert(eq(u32, chip_named("ad102")->boot0, 0x192000a1));
}

Test(real_ids, gh100_boot0)
{
	cr_assert(eq(u32, chip_named("gh100")->boot0, 0x180000a1));
}

Test(real_ids, gh100_is_hopper)
{
	cr_assert(eq(str, (char *)nvg_arch_name(nvg_boot0_arch(0x180000a1)), "Hopper"));
}

Test(real_ids, tu102_is_turing)
{
	cr_assert(eq(str, (char *)nvg_arch_name(nvg_boot0_arch(0x162000a1)), "Turing"));
}

Test(real_ids, ga102_is_ampere)
{
	cr_assert(eq(str, (char *)nvg_arch_name(nvg_boot0_arch(0x172000a1)), "Ampere"));
}

Test(real_ids, ad102_is_ada)
{
	cr_assert(eq(str, (char *)nvg_arch_name(nvg_boot0_arch(0x192000a1)), "Ada"));
}

/* The host (GPFIFO) class each chip's channels report: Turing's c46f,
 * Ampere's c56f, which Ada keeps. */
Test(real_ids, tu102_channel_class_is_c46f)
{
	cr_assert(eq(u32, chip_named("tu102")->channel_class, 0xc46f));
}

Test(real_ids, ga102_channel_class_is_c56f)
{
	cr_assert(eq(u32, chip_named("ga102")->channel_class, 0xc56f));
}

Test(real_ids, ad102_channel_class_is_c56f)
{
	cr_assert(eq(u32, chip_named("ad102")->channel_class, 0xc56f));
}

Test(real_ids, gh100_channel_class_is_c86f)
{
	cr_assert(eq(u32, chip_named("gh100")->channel_class, 0xc86f));
}

Test(real_ids, gh100_copy_class_is_c8b5)
{
	cr_assert(eq(u32, nvg_chip_engine_class(chip_named("gh100"), 1), 0xc8b5));
}

Test(real_ids, gh100_compute_class_is_cbc0)
{
	cr_assert(eq(u32, nvg_chip_engine_class(chip_named("gh100"), 0), 0xcbc0));
}

Test(real_ids, tu102_copy_class_is_c5b5)
{
	cr_assert(eq(u32, nvg_chip_engine_class(chip_named("tu102"), 1), 0xc5b5));
}

Test(real_ids, ga102_copy_class_is_c7b5)
{
	cr_assert(eq(u32, nvg_chip_engine_class(chip_named("ga102"), 1), 0xc7b5));
}

Test(real_ids, ad102_copy_class_is_c7b5)
{
	cr_assert(eq(u32, nvg_chip_engine_class(chip_named("ad102"), 1), 0xc7b5));
}

/* ---- per chip: the power design the simulator's model rests on ---- */

ParameterizedTestParameters(power, pstates_fit_the_table) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, power, pstates_fit_the_table)
{
	const struct nvg_chip_power *pw = &chip_named(c->name)->power;

	cr_assert(pw->nr_pstates >= 2 && pw->nr_pstates <= NVG_MAX_PSTATES,
		  "%s: %u p-states", c->name, pw->nr_pstates);
}

/* Clocks rise strictly and voltages never fall: a V/f curve. */
ParameterizedTestParameters(power, pstates_ascend) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, power, pstates_ascend)
{
	const struct nvg_chip_power *pw = &chip_named(c->name)->power;
	unsigned int i;

	for (i = 1; i < pw->nr_pstates; i++) {
		cr_assert(gt(u32, pw->pstates[i].mhz, pw->pstates[i - 1].mhz));
		cr_assert(ge(u32, pw->pstates[i].mv, pw->pstates[i - 1].mv));
	}
}

/* The cost model's clock (nvgbench sizes jobs by it) is the top p-state. */
ParameterizedTestParameters(power, top_pstate_is_boost_clock) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, power, top_pstate_is_boost_clock)
{
	const struct nvg_chip *chip = chip_named(c->name);

	cr_assert(eq(u32, chip->power.pstates[chip->power.nr_pstates - 1].mhz,
		     chip->gpc_mhz));
}

ParameterizedTestParameters(power, thermal_design_is_sane) { return all_chips(); }
ParameterizedTest(const struct chip_case *c, power, thermal_design_is_sane)
{
	const struct nvg_chip_power *pw = &chip_named(c->name)->power;

	cr_assert(lt(u32, pw->idle_w, pw->tgp_w));
	cr_assert(lt(u32, pw->slowdown_c, pw->shutdown_c));
	cr_assert(gt(u32, pw->cool_mw_per_k, 0));
	cr_assert(gt(u32, pw->tau_ms, 0));
}

Test(power, ad102_tgp_is_450w)
{
	cr_assert(eq(u32, chip_named("ad102")->power.tgp_w, 450));
}
