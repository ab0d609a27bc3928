// SPDX-License-Identifier: GPL-2.0
/*
 * nvg_kunit_dsq.c - KUnit: dispatch queues (kmod/nvghost_dsq.c).
 *
 * The file under test is compiled into this module on its own, with fakes
 * for what it calls outside itself: the policy ejection (here recorded, so
 * a test sees which misuse ejects the policy and why), the default
 * timeslice, the preemption request, the devices by index, a device's
 * PTIMER (the device's index plus a constant, so a test sees which device
 * was read) and which op or hook a program is (asked by the kfunc filter at
 * load, which no test reaches). No
 * device is needed; the kfuncs are called the way the arbiter calls a
 * policy's ops, with the per-CPU op state entered and preemption off.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../nvghost_dsq.c"

/* ---- fakes ---- */

#define FAKE_SLICE_NS	(5ULL * NSEC_PER_MSEC)

struct nvg_hook nvg_sched_hook;
struct nvg_device *nvg_devs_by_index[NVG_MAX_GPUS];
static unsigned int fake_ejections;
static char fake_eject_msg[NVG_EXIT_MSG_LEN];
static unsigned int fake_preempts;

void nvg_hook_eject(struct nvg_hook *hook, enum nvg_exit_kind kind,
		    const char *op, s64 code, const char *fmt, ...)
{
	va_list args;

	fake_ejections++;
	va_start(args, fmt);
	vscnprintf(fake_eject_msg, sizeof(fake_eject_msg), fmt, args);
	va_end(args);
}

u64 nvg_default_slice_ns(void)
{
	return FAKE_SLICE_NS;
}

void nvg_arbiter_request_preempt(struct nvg_device *ndev, u32 engine)
{
	fake_preempts++;
}

/* Only the kfunc filter asks, at program load, which no test does. */
int nvg_sched_prog_op(const struct bpf_prog *prog)
{
	return -1;
}

bool nvg_pacing_prog(const struct bpf_prog *prog)
{
	return false;
}

bool nvg_power_prog(const struct bpf_prog *prog)
{
	return false;
}

int nvg_mem_prog_op(const struct bpf_prog *prog)
{
	return -1;
}

/*
 * The memory hook's kfuncs are in the kfunc set nvghost_dsq.c registers
 * (its BTF ids must resolve); no test calls them.
 */
__bpf_kfunc_start_defs();

__bpf_kfunc s32 nvg_mem_prefetch(u32 dev_index, u64 bo_id, u32 block, u32 pages)
{
	return -EOPNOTSUPP;
}

__bpf_kfunc s32 nvg_mem_lru_move(u32 dev_index, u64 bo_id, u32 block, bool hot)
{
	return -EOPNOTSUPP;
}

__bpf_kfunc s32 nvg_mem_evict_block(u32 dev_index, u64 bo_id, u32 block)
{
	return -EOPNOTSUPP;
}

__bpf_kfunc_end_defs();

#define FAKE_PTIMER_NS	1000000000ULL

u64 nvg_ptimer_read(struct nvg_device *ndev)
{
	return FAKE_PTIMER_NS + ndev->index;
}

/* ---- helpers ---- */

struct dsq_ctx {
	struct nvg_device *ndev;
	struct nvg_job_obj jobs[8];
};

static struct nvg_job_obj *job(struct kunit *test, unsigned int i, u32 engine)
{
	struct dsq_ctx *c = test->priv;
	struct nvg_job_obj *j = &c->jobs[i];

	j->pub.id = 100 + i;
	j->pub.dev_index = c->ndev->index;
	j->pub.engine = engine;
	RB_CLEAR_NODE(&j->dsq_node);
	return j;
}

/* Run @stmt as an op with kfunc permissions @mask runs, dispatching @engine. */
#define AS_OP(test, mask, engine, stmt) do {				\
	struct dsq_ctx *_c = (test)->priv;				\
	struct nvg_kf_state *_st;					\
									\
	preempt_disable();						\
	_st = nvg_kf_enter(mask, "kunit", _c->ndev, engine);		\
	stmt;								\
	nvg_kf_exit(_st);						\
	preempt_enable();						\
} while (0)

static void create(struct kunit *test, u64 id)
{
	int ret;

	nvg_kf_init_begin();
	ret = nvg_dsq_create(id);
	nvg_kf_init_end();
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "nvg_dsq_create(%llu)", id);
}

/* Move the first job of @dsq for @engine; the job's id, or 0 for none. */
static u64 move(struct kunit *test, u64 dsq, u32 engine)
{
	struct nvg_job_obj *moved = NULL;
	bool ok = false;

	AS_OP(test, NVG_KF_DISPATCH, engine, {
		ok = nvg_dsq_move_to_engine(dsq);
		moved = _st->moved;
	});
	KUNIT_EXPECT_EQ(test, ok, !!moved);
	return moved ? moved->pub.id : 0;
}

static int dsq_init(struct kunit *test)
{
	struct dsq_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	c->ndev = kunit_kzalloc(test, sizeof(*c->ndev), GFP_KERNEL);
	if (!c->ndev)
		return -ENOMEM;
	c->ndev->index = 3;
	c->ndev->arb.nr_engines = 2;
	test->priv = c;
	fake_ejections = 0;
	fake_preempts = 0;
	fake_eject_msg[0] = '\0';
	return 0;
}

static void dsq_exit(struct kunit *test)
{
	nvg_dsq_destroy_all();
}

/* ---- tests ---- */

static void dsq_create_rules(struct kunit *test)
{
	create(test, 1);
	create(test, NVG_DSQ_MAX_ID - 1);
	nvg_kf_init_begin();
	KUNIT_EXPECT_EQ(test, nvg_dsq_create(1), -EEXIST);
	KUNIT_EXPECT_EQ(test, nvg_dsq_create(NVG_DSQ_MAX_ID), -EINVAL);
	KUNIT_EXPECT_EQ(test, nvg_dsq_create(U64_MAX), -EINVAL);
	nvg_kf_init_end();
	KUNIT_EXPECT_EQ(test, fake_ejections, 0);

	/* outside ops.init: refused, and the policy is ejected */
	KUNIT_EXPECT_EQ(test, nvg_dsq_create(2), -EPERM);
	KUNIT_EXPECT_EQ(test, fake_ejections, 1);
	KUNIT_EXPECT_EQ(test, nvg_dsq_nr_queued(2), -ENOENT);
	KUNIT_EXPECT_EQ(test, nvg_dsq_nr_queued(1), 0);
	KUNIT_EXPECT_EQ(test, nvg_dsq_nr_queued(NVG_DSQ_MAX_ID), -ENOENT);
}

static void dsq_fifo_order(struct kunit *test)
{
	unsigned int i;

	create(test, 7);
	for (i = 0; i < 4; i++)
		AS_OP(test, NVG_KF_ENQUEUE, 0, nvg_dsq_insert(&job(test, i, 0)->pub, 7, 0, 0));
	KUNIT_EXPECT_EQ(test, nvg_dsq_nr_queued(7), 4);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, move(test, 7, 0), 100 + i);
	KUNIT_EXPECT_EQ(test, move(test, 7, 0), 0);
	KUNIT_EXPECT_EQ(test, nvg_dsq_nr_queued(7), 0);
	KUNIT_EXPECT_EQ(test, fake_ejections, 0);
}

static void dsq_vtime_order(struct kunit *test)
{
	/* smallest first, ties in insertion order, and wrap-safe */
	static const u64 vt[] = { 30, 10, 20, 10, U64_MAX - 5, 0 };
	static const unsigned int want[] = { 4, 5, 1, 3, 2, 0 };
	unsigned int i;

	create(test, 8);
	for (i = 0; i < ARRAY_SIZE(vt); i++)
		AS_OP(test, NVG_KF_ENQUEUE, 0,
		      nvg_dsq_insert_vtime(&job(test, i, 0)->pub, 8, 0, vt[i], 0));
	KUNIT_EXPECT_EQ(test, nvg_dsq_nr_queued(8), ARRAY_SIZE(vt));
	for (i = 0; i < ARRAY_SIZE(want); i++)
		KUNIT_EXPECT_EQ_MSG(test, move(test, 8, 0), 100 + want[i], "position %u", i);
	KUNIT_EXPECT_EQ(test, fake_ejections, 0);
}

static void dsq_move_matches_engine(struct kunit *test)
{
	struct dsq_ctx *c = test->priv;

	create(test, 1);
	AS_OP(test, NVG_KF_ENQUEUE, 0, nvg_dsq_insert(&job(test, 0, 1)->pub, 1, 0, 0));
	AS_OP(test, NVG_KF_ENQUEUE, 0, nvg_dsq_insert(&job(test, 1, 0)->pub, 1, 0, 0));
	/* another device's job is never moved to this one */
	job(test, 2, 0)->pub.dev_index = c->ndev->index + 1;
	AS_OP(test, NVG_KF_ENQUEUE, 0, nvg_dsq_insert(&c->jobs[2].pub, 1, 0, 0));

	KUNIT_EXPECT_EQ(test, move(test, 1, 0), 101);
	KUNIT_EXPECT_EQ(test, move(test, 1, 0), 0);
	KUNIT_EXPECT_EQ(test, move(test, 1, 1), 100);
	KUNIT_EXPECT_EQ(test, nvg_dsq_nr_queued(1), 1);
	KUNIT_EXPECT_EQ(test, fake_ejections, 0);
}

static void dsq_move_twice_ejects(struct kunit *test)
{
	bool first = false, second = true;

	create(test, 1);
	AS_OP(test, NVG_KF_ENQUEUE, 0, nvg_dsq_insert(&job(test, 0, 0)->pub, 1, 0, 0));
	AS_OP(test, NVG_KF_ENQUEUE, 0, nvg_dsq_insert(&job(test, 1, 0)->pub, 1, 0, 0));
	AS_OP(test, NVG_KF_DISPATCH, 0, {
		first = nvg_dsq_move_to_engine(1);
		second = nvg_dsq_move_to_engine(1);
	});
	KUNIT_EXPECT_TRUE(test, first);
	KUNIT_EXPECT_FALSE(test, second);
	KUNIT_EXPECT_EQ(test, fake_ejections, 1);
	KUNIT_EXPECT_EQ(test, nvg_dsq_nr_queued(1), 1);
}

static void dsq_misuse_ejects(struct kunit *test)
{
	struct nvg_job_obj *j0 = job(test, 0, 0), *j1 = job(test, 1, 0);

	create(test, 1);
	create(test, 2);

	/* a queue that does not exist */
	AS_OP(test, NVG_KF_ENQUEUE, 0, nvg_dsq_insert(&j0->pub, 3, 0, 0));
	KUNIT_EXPECT_EQ(test, fake_ejections, 1);
	KUNIT_EXPECT_NULL(test, j0->dsq);

	/* twice in queues */
	AS_OP(test, NVG_KF_ENQUEUE, 0, nvg_dsq_insert(&j0->pub, 1, 0, 0));
	AS_OP(test, NVG_KF_ENQUEUE, 0, nvg_dsq_insert(&j0->pub, 2, 0, 0));
	KUNIT_EXPECT_EQ(test, fake_ejections, 2);
	KUNIT_EXPECT_EQ(test, nvg_dsq_nr_queued(1), 1);
	KUNIT_EXPECT_EQ(test, nvg_dsq_nr_queued(2), 0);

	/* a FIFO queue takes no vtime insert */
	AS_OP(test, NVG_KF_ENQUEUE, 0, nvg_dsq_insert_vtime(&j1->pub, 1, 0, 5, 0));
	KUNIT_EXPECT_EQ(test, fake_ejections, 3);
	KUNIT_EXPECT_EQ(test, nvg_dsq_nr_queued(1), 1);
	KUNIT_EXPECT_NULL(test, j1->dsq);

	/* inserting from an op that may not (ops.running) */
	AS_OP(test, NVG_KF_RUNNING, 0, nvg_dsq_insert(&j1->pub, 2, 0, 0));
	KUNIT_EXPECT_EQ(test, fake_ejections, 4);
	KUNIT_EXPECT_EQ(test, nvg_dsq_nr_queued(2), 0);
}

static void dsq_slice_rules(struct kunit *test)
{
	struct nvg_job_obj *j0 = job(test, 0, 0), *j1 = job(test, 1, 0), *j2 = job(test, 2, 0);

	create(test, 1);
	AS_OP(test, NVG_KF_ENQUEUE, 0, nvg_dsq_insert(&j0->pub, 1, 0, 0));
	KUNIT_EXPECT_EQ(test, j0->pub.slice_ns, FAKE_SLICE_NS);
	AS_OP(test, NVG_KF_ENQUEUE, 0, nvg_dsq_insert(&j1->pub, 1, NVG_SLICE_MIN_NS, 0));
	KUNIT_EXPECT_EQ(test, j1->pub.slice_ns, NVG_SLICE_MIN_NS);
	KUNIT_EXPECT_EQ(test, fake_ejections, 0);

	AS_OP(test, NVG_KF_ENQUEUE, 0, nvg_dsq_insert(&j2->pub, 1, NVG_SLICE_MIN_NS - 1, 0));
	KUNIT_EXPECT_EQ(test, fake_ejections, 1);
	AS_OP(test, NVG_KF_ENQUEUE, 0, nvg_dsq_insert(&j2->pub, 1, NVG_SLICE_MAX_NS + 1, 0));
	KUNIT_EXPECT_EQ(test, fake_ejections, 2);
	KUNIT_EXPECT_EQ(test, nvg_dsq_nr_queued(1), 2);
	KUNIT_EXPECT_NULL(test, j2->dsq);
}

static void dsq_remove_and_destroy(struct kunit *test)
{
	struct nvg_job_obj *j0 = job(test, 0, 0), *j1 = job(test, 1, 0);

	create(test, 1);
	AS_OP(test, NVG_KF_ENQUEUE, 0, nvg_dsq_insert(&j0->pub, 1, 0, 0));
	AS_OP(test, NVG_KF_ENQUEUE, 0, nvg_dsq_insert(&j1->pub, 1, 0, 0));
	nvg_dsq_remove(j0);
	nvg_dsq_remove(j0);	/* not queued any more: nothing happens */
	KUNIT_EXPECT_NULL(test, j0->dsq);
	KUNIT_EXPECT_EQ(test, nvg_dsq_nr_queued(1), 1);
	KUNIT_EXPECT_EQ(test, move(test, 1, 0), 101);

	AS_OP(test, NVG_KF_ENQUEUE, 0, nvg_dsq_insert(&j0->pub, 1, 0, 0));
	nvg_dsq_destroy_all();
	KUNIT_EXPECT_NULL(test, j0->dsq);
	KUNIT_EXPECT_EQ(test, nvg_dsq_nr_queued(1), -ENOENT);
	/* the id is free again */
	create(test, 1);
	KUNIT_EXPECT_EQ(test, fake_ejections, 0);
}

static void dsq_preempt_checks_engine(struct kunit *test)
{
	struct dsq_ctx *c = test->priv;

	nvg_devs_by_index[c->ndev->index] = c->ndev;
	AS_OP(test, NVG_KF_DISPATCH, 0, nvg_engine_preempt(c->ndev->index, 1));
	KUNIT_EXPECT_EQ(test, fake_preempts, 1);
	AS_OP(test, NVG_KF_DISPATCH, 0, nvg_engine_preempt(c->ndev->index, 2));
	KUNIT_EXPECT_EQ(test, fake_preempts, 1);
	KUNIT_EXPECT_EQ(test, fake_ejections, 1);
	AS_OP(test, NVG_KF_DISPATCH, 0, nvg_engine_preempt(NVG_MAX_GPUS, 0));
	KUNIT_EXPECT_EQ(test, fake_ejections, 2);
	nvg_devs_by_index[c->ndev->index] = NULL;
}

/* The device clock: the device's PTIMER; 0 for an index naming no device. */
static void dsq_device_now_ns(struct kunit *test)
{
	struct dsq_ctx *c = test->priv;
	u32 i = c->ndev->index;

	KUNIT_EXPECT_EQ(test, nvg_device_now_ns(i), 0);
	nvg_devs_by_index[i] = c->ndev;
	KUNIT_EXPECT_EQ(test, nvg_device_now_ns(i), FAKE_PTIMER_NS + i);
	KUNIT_EXPECT_EQ(test, nvg_device_now_ns(i + 1), 0);
	KUNIT_EXPECT_EQ(test, nvg_device_now_ns(NVG_MAX_GPUS), 0);
	KUNIT_EXPECT_EQ(test, nvg_device_now_ns(~0U), 0);
	/* From no op at all (a sleepable init), and ejecting nothing. */
	KUNIT_EXPECT_EQ(test, fake_ejections, 0);
	nvg_devs_by_index[i] = NULL;
	KUNIT_EXPECT_EQ(test, nvg_device_now_ns(i), 0);
}

static struct kunit_case nvg_dsq_cases[] = {
	KUNIT_CASE(dsq_create_rules),
	KUNIT_CASE(dsq_fifo_order),
	KUNIT_CASE(dsq_vtime_order),
	KUNIT_CASE(dsq_move_matches_engine),
	KUNIT_CASE(dsq_move_twice_ejects),
	KUNIT_CASE(dsq_misuse_ejects),
	KUNIT_CASE(dsq_slice_rules),
	KUNIT_CASE(dsq_remove_and_destroy),
	KUNIT_CASE(dsq_preempt_checks_engine),
	KUNIT_CASE(dsq_device_now_ns),
	{}
};

static struct kunit_suite nvg_dsq_suite = {
	.name = "nvghost_dsq",
	.init = dsq_init,
	.exit = dsq_exit,
	.test_cases = nvg_dsq_cases,
};

kunit_test_suite(nvg_dsq_suite);

MODULE_DESCRIPTION("KUnit tests of nvghost's dispatch queues, pushbuffer parser and EDIDs");
MODULE_LICENSE("GPL");
