#!/bin/sh
# nvgpolicy finds policies by name ($NVG_POLICY_PATH, the installed
# directory, the build tree), and list --available describes them from the
# objects themselves. No module is needed: a found policy gets as far as
# the tunable check or the "module is not loaded" error, which name the file.
. tests/host/lib.sh
NVGP=$PWD/build/nvgpolicy
mkdir -p "$TMPD/pol" "$TMPD/bin"
cp build/bpf/gaming.bpf.o build/bpf/smooth.bpf.o "$TMPD/pol/"
unset NVG_POLICY_PATH

expect_fail name_from_build_tree "build/bpf/gaming.bpf.o has no tunable 'nope'" \
	"$NVGP" load gaming --set nope=1
expect_fail name_with_ext_from_build_tree "build/bpf/fifo.bpf.o has no tunable 'nope'" \
	"$NVGP" load fifo.bpf.o --set nope=1
expect_fail env_path_first "$TMPD/pol/gaming.bpf.o has no tunable 'nope'" \
	env NVG_POLICY_PATH="$TMPD/none:$TMPD/pol" "$NVGP" load gaming --set nope=1
expect_fail path_is_a_path "no such file" "$NVGP" load ./gaming.bpf.o
expect_fail unknown_name "no policy 'nosuch': no nosuch.bpf.o in any of" \
	env NVG_POLICY_PATH="$TMPD/pol" "$NVGP" load nosuch
expect_fail unknown_name_lists_env "$TMPD/pol (\$NVG_POLICY_PATH)" \
	env NVG_POLICY_PATH="$TMPD/pol" "$NVGP" load nosuch
expect_fail unknown_name_lists_installed "/usr/lib/nvghost/policies (installed" \
	"$NVGP" load nosuch
expect_fail unknown_name_lists_build_tree "$PWD/build/bpf (build tree)" \
	"$NVGP" load nosuch

# Away from the source tree the build tree is not searched.
cp "$NVGP" "$TMPD/bin/nvgpolicy"
expect_fail no_build_tree_elsewhere "no policy 'fifo'" \
	env NVG_POLICY_PATH="$TMPD/pol" "$TMPD/bin/nvgpolicy" load fifo

expect_out list_description "^gaming  *[a-z,]*sched[a-z,]* *frame-aware scheduling" \
	env NVG_POLICY_PATH="$TMPD/pol" "$TMPD/bin/nvgpolicy" list --available
expect_out list_tunables_defaults "tunables: crit_run_us=4000 crit_gap_us=1000" \
	env NVG_POLICY_PATH="$TMPD/pol" "$TMPD/bin/nvgpolicy" list --available
expect_out list_bool_tunable "preempt=true" \
	env NVG_POLICY_PATH="$TMPD/pol" "$TMPD/bin/nvgpolicy" list --available
expect_out list_pacing_hook "^smooth  *pacing  *frame pacing" \
	env NVG_POLICY_PATH="$TMPD/pol" "$TMPD/bin/nvgpolicy" list --available
expect_out list_build_tree_profiles "^fair  *sched  *per-context fair" "$NVGP" list --available
# The build tree's test objects are not policies to offer.
"$NVGP" list --available > "$TMPD/list" 2>&1
if ! grep -q '^fifo ' "$TMPD/list"; then
	fail list_no_test_objects "no fifo in the list: $(head -n 3 "$TMPD/list" | tr '\n' ' ')"
elif grep -q '^verifier_fail' "$TMPD/list"; then
	fail list_no_test_objects "build/bpf's test objects listed"
else
	pass list_no_test_objects
fi
# A name found earlier in the search order shadows later ones.
n=$(NVG_POLICY_PATH="$TMPD/pol" "$NVGP" list --available | grep -c '^gaming ')
[ "$n" = 1 ] && pass list_shadowed_once || fail list_shadowed_once "gaming listed $n times, expected once"
expect_out list_none_installed "no policy is installed" \
	env NVG_POLICY_PATH="$TMPD/none" "$TMPD/bin/nvgpolicy" list --available
