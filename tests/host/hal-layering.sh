#!/bin/sh
# The backend layer (issue 12, item 0): the driver reaches the hardware
# only through the HAL's ops table (kmod/hal/). The simulator's own
# registers (NVG_SIM_* in kmod/nvghost_regs.h) and headers (kmod/sim/) are
# named only in kmod/hal/ and kmod/sim/; driver files keep the registers
# NVIDIA's GPUs have (NV_PMC_*, NV_PTIMER_*). No build needed.
. tests/host/lib.sh

drv=$(find kmod -maxdepth 1 -name '*.[ch]' ! -name '*.mod.c' ! -name nvghost_regs.h | sort)

hits=$(grep -n 'NVG_SIM_' $drv)
if [ -z "$hits" ]; then
	pass driver_names_no_sim_register
else
	fail driver_names_no_sim_register \
		"expected no NVG_SIM_* name outside kmod/hal/ and kmod/sim/, saw $(echo "$hits" | wc -l): $(echo "$hits" | head -n 5 | tr '\n' ' ')"
fi

hits=$(grep -n '#include.*sim/' $drv)
if [ -z "$hits" ]; then
	pass driver_includes_no_sim_header
else
	fail driver_includes_no_sim_header \
		"expected no kmod/sim/ header included above the HAL, saw: $(echo "$hits" | head -n 5 | tr '\n' ' ')"
fi

# Every area of the ops table is filled in by the simulator backend.
for area in engine disp power mmu inject; do
	if grep -q "^	\.$area[[:space:]]*= &nvg_hal_sim_$area,\$" kmod/hal/nvghost_hal_sim.c; then
		pass "sim_backend_implements_$area"
	else
		fail "sim_backend_implements_$area" \
			"expected '.$area = &nvg_hal_sim_$area,' in kmod/hal/nvghost_hal_sim.c"
	fi
done
