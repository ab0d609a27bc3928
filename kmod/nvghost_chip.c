// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * nvghost_chip.c - the table of chips the simulated GPU can model, and
 * PMC_BOOT_0 decoding. Shared with the host unit tests.
 *
 * PMC_BOOT_0 layout (NVIDIA's dev_master manual, decoded the same way in
 * nouveau's nvkm/engine/device/base.c): architecture 28:24, implementation
 * 23:20, major revision 7:4, minor revision 3:0.
 */
#ifdef __KERNEL__
#include <linux/array_size.h>
#include <linux/string.h>
#else
#include <string.h>
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#include "nvghost_chip.h"
#include "nvghost_regs.h"

#define BOOT0(arch, impl, rev)	(((u32)(arch) << 24) | ((u32)(impl) << 20) | (rev))

/*
 * P-state ladders, slowest first, modelled on each family's published
 * clocks (base/boost) and the voltage/frequency curves boards report:
 * Turing idles at 300 MHz, Ampere and Ada at 210 MHz; the top entry is the
 * boost clock, up to ~1.05 V.
 */
static const struct nvg_pstate nvg_pstates_tu102[] = {
	{ 300, 650 }, { 705, 725 }, { 1005, 800 }, { 1350, 900 }, { 1545, 1000 },
};

static const struct nvg_pstate nvg_pstates_tu104[] = {
	{ 300, 650 }, { 750, 725 }, { 1095, 800 }, { 1515, 900 }, { 1710, 1000 },
};

static const struct nvg_pstate nvg_pstates_ga102[] = {
	{ 210, 700 }, { 690, 750 }, { 1050, 800 }, { 1395, 862 }, { 1695, 1000 },
};

static const struct nvg_pstate nvg_pstates_ga104[] = {
	{ 210, 700 }, { 705, 750 }, { 1095, 800 }, { 1500, 875 }, { 1725, 1000 },
};

static const struct nvg_pstate nvg_pstates_ad102[] = {
	{ 210, 700 }, { 735, 750 }, { 1245, 800 }, { 1755, 875 }, { 2235, 960 },
	{ 2520, 1050 },
};

static const struct nvg_pstate nvg_pstates_ad104[] = {
	{ 210, 700 }, { 810, 750 }, { 1335, 800 }, { 1860, 880 }, { 2310, 960 },
	{ 2610, 1050 },
};

/*
 * H100 SXM: 1980 MHz is the maximum SM clock nvidia-smi read on the recorded
 * board; 1185 and 1500 MHz are the lowest and median SM clock it sampled
 * while a matmul hog held it at its 700 W limit (traces/real/README.md).
 * The lower entries and every voltage are assumed.
 */
static const struct nvg_pstate nvg_pstates_gh100[] = {
	{ 345, 700 }, { 765, 750 }, { 1185, 800 }, { 1500, 860 }, { 1755, 930 },
	{ 1980, 1000 },
};

/*
 * Columns: name, example board, PMC_BOOT_0, VRAM MiB, channel/copy/compute
 * classes, copy engines; then the cost model: boost clock (MHz), memory
 * bandwidth (GB/s), effective PCIe x16 bandwidth (GB/s: gen3 ~12, gen4 ~25);
 * then the power design: p-states, TGP and idle power (W), cooling capacity
 * (mW/K: full load settles ~45-50 K above ambient), thermal time constant,
 * and the slowdown and shutdown temperatures nvidia-smi -q reports for the
 * family; then the SM count, and for a chip calibrated on a real board, its
 * memory clock and the simulator's per-operation cost and empty-job launch
 * latency (0: the simulator's defaults).
 */
static const struct nvg_chip nvg_chips[] = {
	{ "tu102", "GeForce RTX 2080 Ti", BOOT0(NVG_ARCH_TU100, 2, 0xa1), 11264,
	  TURING_CHANNEL_GPFIFO_A, TURING_DMA_COPY_A, TURING_COMPUTE_A, 2,
	  1545, 616, 12,
	  { nvg_pstates_tu102, ARRAY_SIZE(nvg_pstates_tu102),
	    250, 18, 5200, 4000, 91, 94 },
	  68, 0, 0, 0 },
	{ "tu104", "GeForce RTX 2080", BOOT0(NVG_ARCH_TU100, 4, 0xa1), 8192,
	  TURING_CHANNEL_GPFIFO_A, TURING_DMA_COPY_A, TURING_COMPUTE_A, 2,
	  1710, 448, 12,
	  { nvg_pstates_tu104, ARRAY_SIZE(nvg_pstates_tu104),
	    215, 16, 4800, 4000, 91, 94 },
	  46, 0, 0, 0 },
	{ "ga102", "GeForce RTX 3090", BOOT0(NVG_ARCH_GA100, 2, 0xa1), 24576,
	  AMPERE_CHANNEL_GPFIFO_A, AMPERE_DMA_COPY_B, AMPERE_COMPUTE_B, 3,
	  1695, 936, 25,
	  { nvg_pstates_ga102, ARRAY_SIZE(nvg_pstates_ga102),
	    350, 25, 7300, 4000, 95, 98 },
	  82, 0, 0, 0 },
	{ "ga104", "GeForce RTX 3070", BOOT0(NVG_ARCH_GA100, 4, 0xa1), 8192,
	  AMPERE_CHANNEL_GPFIFO_A, AMPERE_DMA_COPY_B, AMPERE_COMPUTE_B, 3,
	  1725, 448, 25,
	  { nvg_pstates_ga104, ARRAY_SIZE(nvg_pstates_ga104),
	    220, 16, 4900, 4000, 95, 98 },
	  46, 0, 0, 0 },
	{ "ad102", "GeForce RTX 4090", BOOT0(NVG_ARCH_AD100, 2, 0xa1), 24576,
	  AMPERE_CHANNEL_GPFIFO_A, AMPERE_DMA_COPY_B, ADA_COMPUTE_A, 3,
	  2520, 1008, 25,
	  { nvg_pstates_ad102, ARRAY_SIZE(nvg_pstates_ad102),
	    450, 22, 9600, 4000, 89, 92 },
	  128, 0, 0, 0 },
	{ "ad104", "GeForce RTX 4070 Ti", BOOT0(NVG_ARCH_AD100, 4, 0xa1), 12288,
	  AMPERE_CHANNEL_GPFIFO_A, AMPERE_DMA_COPY_B, ADA_COMPUTE_A, 3,
	  2610, 504, 25,
	  { nvg_pstates_ad104, ARRAY_SIZE(nvg_pstates_ad104),
	    285, 14, 6300, 4000, 89, 92 },
	  60, 0, 0, 0 },
	/*
	 * Hopper: calibrated against the H100 recorded in traces/real/
	 * h100-2026-12-06 (calibration.json; docs/architecture.md, "The cost
	 * model's numbers", says which field is measured and which assumed).
	 * Measured: the top clock (SM max 1980 MHz), the memory clock (2619
	 * MHz), the SM count, the 700 W power limit, the idle draw (~80 W),
	 * copies within VRAM at 1496 GB/s (a 1 GiB device-to-device copy: the
	 * memory moves twice that; HBM3's peak is 3352 GB/s), copies touching
	 * pinned host memory at 55 GB/s (PCIe gen5 x16, 1 GiB, either
	 * direction), 450 ns between dependent kernels of a CUDA graph (the
	 * per-operation cost) and 4.4 us of GPU time around an empty kernel
	 * (the launch latency of an empty job). The slowdown and shutdown
	 * temperatures are the T.Limit offsets nvidia-smi -q read (-2 and -8
	 * K from an 87 C limit). VRAM is the board's 80 GiB (the driver reported
	 * 81559 MiB usable); it is allocated only as it is touched. H100 has
	 * more copy engines than the three modelled.
	 */
	{ "gh100", "H100 SXM5 80GB", BOOT0(NVG_ARCH_GH100, 0, 0xa1), 81920,
	  HOPPER_CHANNEL_GPFIFO_A, HOPPER_DMA_COPY_A, HOPPER_COMPUTE_A, 3,
	  1980, 1496, 55,
	  { nvg_pstates_gh100, ARRAY_SIZE(nvg_pstates_gh100),
	    700, 80, 15500, 4000, 89, 95 },
	  132, 2619, 450, 4416 },
};

#define NVG_NR_CHIPS	ARRAY_SIZE(nvg_chips)

const struct nvg_chip *nvg_chip_at(unsigned int i)
{
	return i < NVG_NR_CHIPS ? &nvg_chips[i] : NULL;
}

const struct nvg_chip *nvg_chip_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < NVG_NR_CHIPS; i++)
		if (!strcmp(nvg_chips[i].name, name))
			return &nvg_chips[i];
	return NULL;
}

/* Revision fields are ignored: a chip is its architecture + implementation. */
const struct nvg_chip *nvg_chip_by_boot0(u32 boot0)
{
	u32 mask = NV_PMC_BOOT_0_ARCHITECTURE | NV_PMC_BOOT_0_IMPLEMENTATION;
	unsigned int i;

	for (i = 0; i < NVG_NR_CHIPS; i++)
		if ((nvg_chips[i].boot0 & mask) == (boot0 & mask))
			return &nvg_chips[i];
	return NULL;
}

u32 nvg_boot0_arch(u32 boot0)
{
	return (boot0 & NV_PMC_BOOT_0_ARCHITECTURE) >> 24;
}

u32 nvg_boot0_impl(u32 boot0)
{
	return (boot0 & NV_PMC_BOOT_0_IMPLEMENTATION) >> 20;
}

u32 nvg_boot0_rev(u32 boot0)
{
	return boot0 & (NV_PMC_BOOT_0_MAJOR_REVISION | NV_PMC_BOOT_0_MINOR_REVISION);
}

const char *nvg_arch_name(u32 arch)
{
	switch (arch) {
	case NVG_ARCH_TU100:
		return "Turing";
	case NVG_ARCH_GA100:
		return "Ampere";
	case NVG_ARCH_AD100:
		return "Ada";
	case NVG_ARCH_GH100:
		return "Hopper";
	default:
		return "unknown";
	}
}

u32 nvg_chip_nr_engines(const struct nvg_chip *chip)
{
	return 1 + chip->nr_copy;
}

/* Engine 0 is the compute engine, the rest copy engines; 0 if no such engine. */
u32 nvg_chip_engine_class(const struct nvg_chip *chip, u32 engine)
{
	if (engine == 0)
		return chip->compute_class;
	if (engine <= chip->nr_copy)
		return chip->copy_class;
	return 0;
}
