/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * nvghost_chip.h - the chips the simulated GPU can be.
 *
 * Pure C with no kernel dependency, so host unit tests compile the same file
 * (the vkms_config split).
 */
#ifndef _NVGHOST_CHIP_H_
#define _NVGHOST_CHIP_H_

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <linux/types.h>	/* the uapi one: __u32, __u64 */
typedef __u32 u32;
typedef __u64 u64;
#endif

/* PMC_BOOT_0 architecture field values. */
#define NVG_ARCH_TU100	0x16	/* Turing */
#define NVG_ARCH_GA100	0x17	/* Ampere */
#define NVG_ARCH_GH100	0x18	/* Hopper */
#define NVG_ARCH_AD100	0x19	/* Ada Lovelace */

/* Class ids (NVIDIA's class headers: clc46f.h, clc5b5.h, clc56f.h, ...). */
#define TURING_CHANNEL_GPFIFO_A	0xc46f
#define TURING_DMA_COPY_A	0xc5b5
#define TURING_COMPUTE_A	0xc5c0
#define AMPERE_CHANNEL_GPFIFO_A	0xc56f
#define AMPERE_DMA_COPY_B	0xc7b5
#define AMPERE_COMPUTE_B	0xc7c0
#define ADA_COMPUTE_A		0xc9c0
/*
 * Hopper (open-gpu-kernel-modules: class/clc86f.h, clc8b5.h, clcbc0.h;
 * nouveau's include/nvif/class.h lists the same three).
 */
#define HOPPER_CHANNEL_GPFIFO_A	0xc86f
#define HOPPER_DMA_COPY_A	0xc8b5
#define HOPPER_COMPUTE_A	0xcbc0

#define NVG_MAX_ENGINES	8
#define NVG_MAX_PSTATES	8

/**
 * struct nvg_pstate - one performance state: a clock and the voltage it needs
 * @mhz: graphics/compute clock.
 * @mv: core voltage at that clock, millivolts.
 */
struct nvg_pstate {
	u32 mhz;
	u32 mv;
};

/**
 * struct nvg_chip_power - the board's power and thermal design
 * @pstates: clock/voltage ladder, slowest first; the last entry is the
 *	boost clock, equal to &nvg_chip.gpc_mhz.
 * @nr_pstates: entries in @pstates.
 * @tgp_w: total graphics power: what the board draws with every engine
 *	busy at the top p-state, and its power limit.
 * @idle_w: what it draws with every engine power-gated at the lowest
 *	p-state (leakage, memory, fan, display).
 * @cool_mw_per_k: cooling capacity: heat the cooler removes per kelvin
 *	above ambient (the inverse of the thermal resistance).
 * @tau_ms: thermal time constant of die + heatsink.
 * @slowdown_c: temperature at which the hardware flags thermal slowdown.
 * @shutdown_c: temperature at which the hardware protects itself.
 */
struct nvg_chip_power {
	const struct nvg_pstate *pstates;
	u32 nr_pstates;
	u32 tgp_w;
	u32 idle_w;
	u32 cool_mw_per_k;
	u32 tau_ms;
	u32 slowdown_c;
	u32 shutdown_c;
};

/**
 * struct nvg_chip - what distinguishes one simulated chip from another
 * @name: the chip's code name, as the module parameter takes it.
 * @marketing: an example board with that chip.
 * @boot0: the PMC_BOOT_0 value the chip reports.
 * @vram_mb: memory on that board, in MiB.
 * @channel_class: the host/GPFIFO class.
 * @copy_class: the copy engine class.
 * @compute_class: the compute class.
 * @nr_copy: copy engines exposed; engine 0 is compute, 1..nr_copy copy.
 * @gpc_mhz: graphics/compute clock at boost, for the cost of compute work.
 * @vram_gbps: memory bandwidth, GB/s, for copies within VRAM.
 * @pcie_gbps: host link bandwidth, GB/s, for copies touching system memory.
 * @power: p-states, power and thermal design.
 * @sm_count: streaming multiprocessors (informational; compute is costed
 *	in cycles of the whole GPU).
 * @mem_mhz: memory clock, as nvidia-smi reports it (0: not recorded).
 * @op_ns: fixed cost of one pushbuffer operation (0: the simulator's
 *	default, 500 ns).
 * @min_job_ns: modelled time of an empty synthetic job, the engine's
 *	launch latency (0: the simulator's default, 2 us).
 */
struct nvg_chip {
	const char *name;
	const char *marketing;
	u32 boot0;
	u32 vram_mb;
	u32 channel_class;
	u32 copy_class;
	u32 compute_class;
	u32 nr_copy;
	u32 gpc_mhz;
	u32 vram_gbps;
	u32 pcie_gbps;
	struct nvg_chip_power power;
	u32 sm_count;
	u32 mem_mhz;
	u32 op_ns;
	u32 min_job_ns;
};

const struct nvg_chip *nvg_chip_by_name(const char *name);
const struct nvg_chip *nvg_chip_by_boot0(u32 boot0);
const struct nvg_chip *nvg_chip_at(unsigned int i);
u32 nvg_boot0_arch(u32 boot0);
u32 nvg_boot0_impl(u32 boot0);
u32 nvg_boot0_rev(u32 boot0);
const char *nvg_arch_name(u32 arch);
u32 nvg_chip_nr_engines(const struct nvg_chip *chip);
u32 nvg_chip_engine_class(const struct nvg_chip *chip, u32 engine);

#endif /* _NVGHOST_CHIP_H_ */
