/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * nvghost_edid.h - the EDIDs of the simulated monitors (nvghost_edid.c).
 *
 * Pure C with no kernel dependency, so host unit tests compile the same file.
 */
#ifndef _NVGHOST_EDID_H_
#define _NVGHOST_EDID_H_

/**
 * struct nvg_edid - one simulated monitor's EDID
 * @name: what debugfs and the tests call it ("qhd165", "uhd60", "fhd60").
 * @data: the EDID bytes.
 * @size: their number, a multiple of 128.
 */
struct nvg_edid {
	const char *name;
	const unsigned char *data;
	unsigned int size;
};

extern const struct nvg_edid nvg_edids[];
extern const unsigned int nvg_nr_edids;

#endif /* _NVGHOST_EDID_H_ */
