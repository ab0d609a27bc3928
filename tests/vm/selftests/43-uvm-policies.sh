#!/bin/sh
# Memory policies' claimed behaviour (issue 16, item 4), live: a cyclic
# scan over 1.5x the managed VRAM budget (8 MiB) under the built-in
# default, lru, lfu and stride; the LLM-decode-like pattern (weights
# streamed each token, a KV cache growing) under the default and stride.
# Prints the "bench: uvm" line of each run (faults, MiB migrated in/out,
# evicted, prefetched, thrashing; wall and copy-engine time are the
# emulated host's, not a model's) and checks what does not depend on the
# host's speed: lru decides as the default does (the same faults and
# migrations), and stride's sequential prefetch and scan-resistant
# eviction need fewer faults and migrate less than the default's.
. /test/lib.sh
P=$NVG_PROFILES
DEV=/dev/dri/renderD128

field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" "$2"; }

# run NAME POLICY PATTERN MB PASSES
run() {
	[ "$2" = default ] || nvgpolicy load $P/$2.bpf.o >/dev/null
	uvm_test $DEV bench $3 $4 $5 | tee /tmp/$1.out
	check_eq $1_exit_status "$?" 0
	[ "$2" = default ] || nvgpolicy unload $2 >/dev/null
}

dmesg -c >/dev/null
check modprobe nvg_load uvm_vram_mb=8
for p in default lru lfu stride; do
	run cyclic_$p $p cyclic 12 3
done
run llm_default default llm 12 3
run llm_stride stride llm 12 3

check_eq lru_same_faults_as_default "$(field faults /tmp/cyclic_lru.out)" \
	"$(field faults /tmp/cyclic_default.out)"
check_eq lru_same_in_as_default "$(field in_mib /tmp/cyclic_lru.out)" \
	"$(field in_mib /tmp/cyclic_default.out)"
check_cmp stride_fewer_faults_cyclic "$(field faults /tmp/cyclic_stride.out)" lt \
	"$(field faults /tmp/cyclic_default.out)" "stride's faults on the cyclic scan vs the default's"
check_cmp stride_migrates_less_cyclic "$(field in_mib /tmp/cyclic_stride.out)" lt \
	"$(field in_mib /tmp/cyclic_default.out)" "stride's MiB migrated in on the cyclic scan vs the default's"
check_cmp stride_migrates_less_llm "$(field in_mib /tmp/llm_stride.out)" le \
	"$(field in_mib /tmp/llm_default.out)" "stride's MiB migrated in on llm vs the default's"
check rmmod nvg_unload
check dmesg_clean dmesg_clean
