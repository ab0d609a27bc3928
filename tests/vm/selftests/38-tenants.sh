#!/bin/sh
# nvgreplay --tenant (issue 15, item 4): several traces replayed side by
# side, each a tenant, each also replayed alone under the same policy;
# per tenant its slowdown (progress alone / progress shared), over all the
# fairness (max/min slowdown) and the system throughput (sum of 1/slowdown).
#
# On the virtual clock (module parameter clock=virtual), where the numbers
# depend on the model and the policy only: the report and the summary are
# produced for every tenant; two back-to-back tenants sharing the GPU each
# slow down (slowdown >= 1.2: each had the GPU to itself alone) and under
# fair, with equal weights, equally (max/min <= 1.2); a 60 Hz frame loop
# beside a back-to-back tenant under gaming keeps its deadlines; fairness
# and STP are what the slowdowns give; the same multi-tenant replay on a
# freshly loaded module gives the same decision-log hashes (shared and
# alone); bad --tenant arguments are refused with exit status 2 before
# anything runs. Clients placed on two GPUs ("gpu", num_gpus=2) run there,
# deterministically, with twice the aggregate throughput of one GPU.
. /test/lib.sh
T=/usr/share/nvghost/traces/tenants
[ -d $T ] || T=${NVG_TOOLS:-/nonexistent}/../traces/synthetic/tenants
OUT=/tmp/tenants
mkdir -p $OUT

# tv FILE TENANT KEY: KEY of the "tenant tenant=TENANT" line of a summary.
tv() {
	awk -v t="tenant=$2" -v key="$3=" '$1 == "tenant" && $2 == t {
		for (i = 2; i <= NF; i++) if (index($i, key) == 1) { print substr($i, length(key) + 1); exit } }' "$1"
}
# av FILE KEY: KEY of the "tenants" line.
av() {
	awk -v key="$2=" '$1 == "tenants" {
		for (i = 2; i <= NF; i++) if (index($i, key) == 1) { print substr($i, length(key) + 1); exit } }' "$1"
}
# fcmp NAME A OP B WHAT: PASS if the numbers compare (OP: >= <= ==, == to 0.01).
fcmp() {
	if awk -v a="$2" -v b="$4" -v op="$3" 'BEGIN {
		if (a !~ /^-?[0-9.]+$/ || b !~ /^-?[0-9.]+$/) exit 1
		a += 0; b += 0
		if (op == ">=") exit !(a >= b)
		if (op == "<=") exit !(a <= b)
		d = a - b; if (d < 0) d = -d; exit !(d <= 0.01) }'; then
		pass "$1"
	else
		fail "$1" "$5: got '$2', expected $3 $4"
	fi
}

# -- bad arguments: refused before anything is loaded or replayed --
nvgreplay -q --tenant $T/train.jsonl:urgent > $OUT/bad1.out 2>&1
check_eq tenants_bad_prio_exit "$?" 2
grep -q "priority 'urgent' is not low, normal or high" $OUT/bad1.out &&
	pass tenants_bad_prio_message || fail tenants_bad_prio_message "expected the bad priority named, got: $(head -c 200 $OUT/bad1.out)"
nvgreplay -q --tenant $T/train.jsonl --tenant $T/llm-decode.jsonl --policy fifo --vs fair > $OUT/bad2.out 2>&1
check_eq tenants_with_vs_exit "$?" 2
nvgreplay -q --tenant /nonexistent.jsonl > $OUT/bad3.out 2>&1
check_eq tenants_missing_trace_exit "$?" 2
grep -q "tenant t1: nonexistent.jsonl: cannot read" $OUT/bad3.out &&
	pass tenants_missing_trace_message || fail tenants_missing_trace_message "expected 'tenant t1: nonexistent.jsonl: cannot read', got: $(head -c 200 $OUT/bad3.out)"


# -- fair: two back-to-back tenants of equal weight --
check modprobe_virtual nvg_load clock=virtual
pin_max_clock 0 || echo "# cannot pin the top clock"
nvgreplay -q --tenant $T/llm-decode.jsonl::llm --tenant $T/train.jsonl:normal:train \
	--policy fair --summary $OUT/fair.sum --log $OUT/fair.log > $OUT/fair.out 2> $OUT/fair.err
check_eq tenants_fair_exit "$?" 0
sed 's/^/# /' $OUT/fair.out $OUT/fair.err | grep -v '^# *$' | tail -n 40
check_eq tenants_fair_report "$(grep -c -e '^  t1 ' -e '^  t2 ' $OUT/fair.out) tenant rows, $(grep -c '^  fairness (max/min slowdown): [0-9]' $OUT/fair.out) fairness line" \
	"2 tenant rows, 1 fairness line"
check_eq tenants_fair_groups "$(grep -c -e '^  group llm: 1 tenant' -e '^  group train: 1 tenant' $OUT/fair.out)" 2
check_eq tenants_fair_summary_lines "$(grep -c '^tenant tenant=t[12] .*alone_status=finished shared_status=finished' $OUT/fair.sum)" 2
# the shared replay's table has both tenants' clients, renamed
grep -q '^client t1.decode (' $OUT/fair.out && grep -q '^client t2.train (' $OUT/fair.out &&
	pass tenants_fair_clients_renamed || fail tenants_fair_clients_renamed "expected clients t1.decode and t2.train in the table"
s1=$(tv $OUT/fair.sum t1 slowdown); s2=$(tv $OUT/fair.sum t2 slowdown)
fcmp tenants_fair_t1_slowed "$s1" ">=" 1.2 "t1 (llm-decode, back to back) shares the GPU with t2: slowdown"
fcmp tenants_fair_t2_slowed "$s2" ">=" 1.2 "t2 (train, back to back) shares the GPU with t1: slowdown"
fa=$(av $OUT/fair.sum fairness)
fcmp tenants_fair_fairness_goal "$fa" "<=" 1.2 "fair, equal weights: max/min slowdown"
fcmp tenants_fair_fairness_is_max_over_min "$fa" "==" "$(awk -v a="$s1" -v b="$s2" 'BEGIN { print (a > b ? a / b : b / a) }')" "fairness vs the slowdowns $s1 $s2"
fcmp tenants_fair_stp "$(av $OUT/fair.sum stp)" "==" "$(awk -v a="$s1" -v b="$s2" 'BEGIN { print 1 / a + 1 / b }')" "stp vs 1/$s1 + 1/$s2"
sha_fair=$(sed -n 's/^replay fair: finished, decision log sha256 \([0-9a-f]*\).*/\1/p' $OUT/fair.out)
check_eq tenants_fair_log_hash "$(echo "$sha_fair" | grep -c '^[0-9a-f]\{64\}$')" 1
check nvg_unload nvg_unload

# -- gaming: a 60 Hz frame loop beside a back-to-back tenant, twice on a fresh
# module each time: the same hashes (determinism of the multi-tenant replay) --
for i in 0 1; do
	nvg_load clock=virtual || { fail tenants_gaming_load_$i "modprobe nvghost clock=virtual failed"; continue; }
	pin_max_clock 0 || echo "# cannot pin the top clock"
	nvgreplay -q --tenant $T/frame-loop.jsonl --tenant $T/train.jsonl --policy gaming \
		--summary $OUT/gaming$i.sum > $OUT/gaming$i.out 2> $OUT/gaming$i.err
	check_eq tenants_gaming_exit_$i "$?" 0
	nvg_unload
done
sed 's/^/# /' $OUT/gaming0.out | sed -n '/tenants under/,$p'
dl=$(tv $OUT/gaming0.sum t1 deadlines); ms=$(tv $OUT/gaming0.sum t1 missed)
check_gt tenants_gaming_frame_deadlines_counted "$dl" 50
fcmp tenants_gaming_frame_deadlines_met "$(awk -v d="$dl" -v m="$ms" 'BEGIN { if (d > 0) print 1 - m / d }')" ">=" 0.99 \
	"share of the frame loop's deadlines met ($ms missed of $dl)"
fcmp tenants_gaming_train_keeps_throughput "$(tv $OUT/gaming0.sum t2 throughput_ratio)" ">=" 0.8 \
	"the train tenant's progress shared / alone under gaming"
check_eq tenants_deterministic_shared "$(sed -n 's/^run run=0 .*sha256=\([0-9a-f]*\).*/\1/p' $OUT/gaming1.sum)" \
	"$(sed -n 's/^run run=0 .*sha256=\([0-9a-f]*\).*/\1/p' $OUT/gaming0.sum)"
check_eq tenants_deterministic_alone "$(tv $OUT/gaming1.sum t1 alone_sha256) $(tv $OUT/gaming1.sum t2 alone_sha256)" \
	"$(tv $OUT/gaming0.sum t1 alone_sha256) $(tv $OUT/gaming0.sum t2 alone_sha256)"
check_eq tenants_deterministic_report "$(sed -n '/tenants under/,$p' $OUT/gaming1.out | md5sum)" "$(sed -n '/tenants under/,$p' $OUT/gaming0.out | md5sum)"

# -- two GPUs (issue 12 item 7's multi-GPU goal): clients placed by "gpu", the
# module loaded with num_gpus=2; the same two back-to-back clients on one GPU
# and on two; the replay keeps both GPUs' clocks in step --
G=/usr/share/nvghost/traces/gpus
[ -d $G ] || G=${NVG_TOOLS:-/nonexistent}/../traces/synthetic/gpus
for i in 0 1; do
	nvg_load clock=virtual num_gpus=2 || { fail gpus_load_$i "modprobe nvghost clock=virtual num_gpus=2 failed"; continue; }
	pin_max_clock 0 && pin_max_clock 1 || echo "# cannot pin the top clocks"
	nvgreplay -q $G/two-2gpus.jsonl --summary $OUT/two2-$i.sum --log $OUT/two2-$i.log > $OUT/two2-$i.out 2> $OUT/two2-$i.err
	check_eq gpus_two_exit_$i "$?" 0
	if [ $i = 0 ]; then
		nvgreplay -q $G/two-1gpu.jsonl --summary $OUT/two1.sum --log $OUT/two1.log > $OUT/two1.out 2> $OUT/two1.err
		check_eq gpus_one_exit "$?" 0
	fi
	nvg_unload
done
sed 's/^/# /' $OUT/two2-0.err $OUT/two1.err | tail -n 6
# where the jobs ran: client b's on gpu1 in the two-GPU replay only
check_eq gpus_two_gpu1_used "$(grep -c '^nvghost_job_queue: gpu1 ' $OUT/two2-0.log | sed 's/^0$/none/;s/^[1-9][0-9]*$/some/') gpu1 jobs, $(grep -c '^nvghost_job_queue: gpu1 ' $OUT/two1.log) on one GPU" \
	"some gpu1 jobs, 0 on one GPU"
t2=$(awk '$1 == "client" { for (i = 2; i <= NF; i++) if ($i ~ /^throughput=/) s += substr($i, 12) } END { print s }' $OUT/two2-0.sum)
t1=$(awk '$1 == "client" { for (i = 2; i <= NF; i++) if ($i ~ /^throughput=/) s += substr($i, 12) } END { print s }' $OUT/two1.sum)
fcmp gpus_two_throughput_ratio "$(awk -v a="$t2" -v b="$t1" 'BEGIN { if (b > 0) print a / b }')" ">=" 1.9 \
	"aggregate throughput on two GPUs ($t2 jobs/s) over one ($t1 jobs/s)"
check_eq gpus_two_deterministic "$(sed -n 's/^run run=0 .*sha256=\([0-9a-f]*\).*/\1/p' $OUT/two2-1.sum)" \
	"$(sed -n 's/^run run=0 .*sha256=\([0-9a-f]*\).*/\1/p' $OUT/two2-0.sum)"
# a client on a GPU the module does not have: refused, saying so
nvg_load clock=virtual
nvgreplay -q $G/two-2gpus.jsonl > $OUT/nogpu.out 2>&1
check_eq gpus_missing_exit "$?" 1
grep -q "no nvghost GPU 1 .*num_gpus=2" $OUT/nogpu.out && pass gpus_missing_message ||
	fail gpus_missing_message "expected 'no nvghost GPU 1 ... num_gpus=2', got: $(head -c 200 $OUT/nogpu.out)"
nvg_unload
check dmesg_clean dmesg_clean
