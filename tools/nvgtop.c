// SPDX-License-Identifier: GPL-2.0
/*
 * nvgtop - a live monitor of nvghost GPUs, their clients and policies, in
 * the manner of nvtop (GPUs) and scxtop (sched_ext).
 *
 *   nvgtop [-d SECONDS] [-g GPU] [-s engine|pid|mem|name] [-b] [-n COUNT]
 *   nvgtop --once            (= -b -n 1: one sample, as text)
 *
 * Sources, stable interfaces only where the kernel has one:
 *  - GPUs: /sys/class/drm (card and render nodes of the nvghost platform
 *    devices nvghost.N), the driver's GET_PARAM ioctl (chip), devfreq
 *    (/sys/class/devfreq/nvghost.N: clock, p-state, governor) and hwmon
 *    (name "nvghost": temperature, power, energy);
 *    and frames per head (sysfs heads/H/frames under the GPU's device);
 *  - clients: DRM fdinfo of every process (drm-engine-*, drm-total-*,
 *    nvghost-jobs-*), the GPU from the device node the file descriptor is
 *    open on;
 *  - policies: the kernel's BPF link and map information (struct_ops links
 *    whose map implements an nvg_*_ops), the object from nvgpolicy's pins;
 *    state, op counters and the last exit record from the driver's sysfs
 *    status files (/sys/kernel/nvghost/hooks/HOOK/).
 * Engine busy shares are the engine time in fdinfo summed over the interval;
 * a GPU's share is its clients' sum. Jobs and frames per second are the
 * counters' growth over the interval.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "nvghost_drm.h"
#include "nvghost_chip.h"

#define MAX_GPUS	8
#define MAX_CLIENTS	512
#define MAX_HOOKS	16
#define NR_CLASSES	2	/* fdinfo engine classes: compute, copy */
#define PIN_ROOT	"/sys/fs/bpf/nvghost"
#define HOOKS_DIR	"/sys/kernel/nvghost/hooks"
#define MAX_HEADS	4

static const char *const class_names[NR_CLASSES] = { "compute", "copy" };

struct gpu {
	bool present;
	char card[16], render[16];
	char chip[48];
	unsigned long long freq_hz;
	int pstate, nr_pstates;		/* index in available_frequencies */
	char governor[32];
	double power_w, temp_c, energy_j;
	bool have_power, have_temp, have_energy, have_freq;
	double busy[NR_CLASSES];	/* share of the interval, 0..n */
	int clients;
	int nr_heads;
	unsigned long long frames[MAX_HEADS];	/* latched flips since load */
	double fps[MAX_HEADS];
};

struct client {
	unsigned long long id;		/* drm-client-id */
	int pid, gpu;
	char comm[32];
	unsigned long long eng_ns[NR_CLASSES];
	unsigned long long jobs[NR_CLASSES];	/* submitted since open */
	unsigned long long vram_kib, sys_kib;
	double share[NR_CLASSES];
	double jobs_ps;
	double read_ns;		/* CLOCK_MONOTONIC when its fdinfo was read */
};

struct hook {
	char hook[16], object[64], map[32], state[16];
	unsigned int link_id;
	char ops[512], last_exit[160], last_msg[200];
};

struct sample {
	struct gpu gpus[MAX_GPUS];
	struct client clients[MAX_CLIENTS];
	int nr_clients;
	struct hook hooks[MAX_HOOKS];
	int nr_hooks;
	bool bpf_denied, status_readable;
	struct timespec when;
};

enum sort_key { SORT_ENGINE, SORT_PID, SORT_MEM, SORT_NAME, NR_SORT };
static const char *const sort_names[NR_SORT] = { "engine", "pid", "mem", "name" };

static const char help_text[] =
"nvgtop - live monitor of nvghost GPUs, clients and policies\n"
"\n"
"Usage: nvgtop [-d SECONDS] [-g GPU] [-s KEY] [-b] [-n COUNT] [--once]\n"
"\n"
"  -d, --delay SECONDS   refresh interval (default 1, at least 0.1)\n"
"  -g, --gpu N           show only GPU N\n"
"  -s, --sort KEY        sort clients by engine (default), pid, mem or name\n"
"  -b, --batch           plain text, one screen after another (scripts)\n"
"  -n, --iterations N    stop after N refreshes\n"
"      --once            -b -n 1: one sample over the interval, then exit\n"
"  -h, --help            this help\n"
"\n"
"Keys: q quit, s next sort key, g next GPU (all, then each), + and - change\n"
"the refresh interval. Reading other users' fdinfo and the BPF links needs\n"
"root.\n";

static volatile sig_atomic_t quit;

static void on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

/* strlcpy: names from readdir() may be longer than our fields. */
static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static bool read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, size, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

static bool read_ull(const char *path, unsigned long long *v)
{
	char buf[64], *end;

	if (!read_line(path, buf, sizeof(buf)))
		return false;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	return !errno && end != buf;
}

/* The nvghost GPU index of a sysfs device directory: nvghost.N -> N. */
static int gpu_of_devdir(const char *devlink)
{
	char real[PATH_MAX];
	const char *base;
	int n;

	if (!realpath(devlink, real))
		return -1;
	base = strrchr(real, '/');
	base = base ? base + 1 : real;
	if (sscanf(base, "nvghost.%d", &n) != 1 || n < 0 || n >= MAX_GPUS)
		return -1;
	return n;
}

static void chip_name(const char *node, char *buf, size_t size)
{
	struct drm_nvghost_get_param gp = { .param = DRM_NVGHOST_PARAM_CHIP_ID };
	const struct nvg_chip *chip;
	char path[64];
	int fd;

	snprintf(buf, size, "?");
	snprintf(path, sizeof(path), "/dev/dri/%s", node);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	if (!ioctl(fd, DRM_IOCTL_NVGHOST_GET_PARAM, &gp)) {
		chip = nvg_chip_by_boot0((u32)gp.value);
		if (chip)
			snprintf(buf, size, "%s (%s)", chip->name, chip->marketing);
		else
			snprintf(buf, size, "boot0 0x%08llx", (unsigned long long)gp.value);
	}
	close(fd);
}

static void sample_gpus(struct sample *s)
{
	char path[PATH_MAX], buf[512], *tok, *save;
	unsigned long long v, f;
	struct dirent *e;
	struct gpu *g;
	DIR *d;
	int n, i;

	d = opendir("/sys/class/drm");
	while (d && (e = readdir(d))) {
		bool card = !strncmp(e->d_name, "card", 4) && !strchr(e->d_name, '-');
		bool render = !strncmp(e->d_name, "renderD", 7);

		if (!card && !render)
			continue;
		snprintf(path, sizeof(path), "/sys/class/drm/%s/device", e->d_name);
		n = gpu_of_devdir(path);
		if (n < 0)
			continue;
		g = &s->gpus[n];
		g->present = true;
		copy_str(card ? g->card : g->render, sizeof(g->card), e->d_name);
	}
	if (d)
		closedir(d);

	for (n = 0; n < MAX_GPUS; n++) {
		g = &s->gpus[n];
		if (!g->present)
			continue;
		chip_name(g->render[0] ? g->render : g->card, g->chip, sizeof(g->chip));
		for (i = 0; i < MAX_HEADS; i++) {
			snprintf(path, sizeof(path), "/sys/class/drm/%s/device/heads/%d/frames",
				 g->card, i);
			if (!read_ull(path, &g->frames[i]))
				break;
		}
		g->nr_heads = i;
		snprintf(path, sizeof(path), "/sys/class/devfreq/nvghost.%d/cur_freq", n);
		g->have_freq = read_ull(path, &g->freq_hz);
		snprintf(path, sizeof(path), "/sys/class/devfreq/nvghost.%d/governor", n);
		if (!read_line(path, g->governor, sizeof(g->governor)))
			snprintf(g->governor, sizeof(g->governor), "-");
		snprintf(path, sizeof(path),
			 "/sys/class/devfreq/nvghost.%d/available_frequencies", n);
		g->pstate = -1;
		if (g->have_freq && read_line(path, buf, sizeof(buf))) {
			/* Ascending: the index is the p-state, top = fastest. */
			for (i = 0, tok = strtok_r(buf, " ", &save); tok;
			     tok = strtok_r(NULL, " ", &save), i++) {
				f = strtoull(tok, NULL, 10);
				if (f == g->freq_hz)
					g->pstate = i;
			}
			g->nr_pstates = i;
		}
	}

	d = opendir("/sys/class/hwmon");
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/hwmon/%s/name", e->d_name);
		if (!read_line(path, buf, sizeof(buf)) || strcmp(buf, "nvghost"))
			continue;
		snprintf(path, sizeof(path), "/sys/class/hwmon/%s/device", e->d_name);
		n = gpu_of_devdir(path);
		if (n < 0 || !s->gpus[n].present)
			continue;
		g = &s->gpus[n];
		snprintf(path, sizeof(path), "/sys/class/hwmon/%s/temp1_input", e->d_name);
		if ((g->have_temp = read_ull(path, &v)))
			g->temp_c = v / 1000.0;
		snprintf(path, sizeof(path), "/sys/class/hwmon/%s/power1_input", e->d_name);
		if ((g->have_power = read_ull(path, &v)))
			g->power_w = v / 1e6;
		snprintf(path, sizeof(path), "/sys/class/hwmon/%s/energy1_input", e->d_name);
		if ((g->have_energy = read_ull(path, &v)))
			g->energy_j = v / 1e6;
	}
	if (d)
		closedir(d);
}

/* The GPU a DRM file descriptor is open on, from its device node. */
static int gpu_of_fd(int pid, const char *fd)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/fd/%s", pid, fd);
	if (stat(path, &st) || !S_ISCHR(st.st_mode))
		return -1;
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/device",
		 major(st.st_rdev), minor(st.st_rdev));
	return gpu_of_devdir(path);
}

static struct client *find_client(struct sample *s, unsigned long long id)
{
	int i;

	for (i = 0; i < s->nr_clients; i++)
		if (s->clients[i].id == id)
			return &s->clients[i];
	return NULL;
}

/* One fdinfo file; adds its client if it is an nvghost one not seen yet. */
static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static void sample_fdinfo(struct sample *s, int pid, const char *fd)
{
	char path[PATH_MAX], line[256], key[64];
	unsigned long long val, id = 0;
	struct client c = { .pid = pid };
	bool nvg = false, has_id = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", pid, fd);
	f = fopen(path, "r");
	if (!f)
		return;
	c.read_ns = now_ns();
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63[^:]: %llu", key, &val) == 2) {
			if (!strcmp(key, "drm-client-id")) {
				id = val;
				has_id = true;
			} else if (!strcmp(key, "drm-engine-compute")) {
				c.eng_ns[0] = val;
			} else if (!strcmp(key, "drm-engine-copy")) {
				c.eng_ns[1] = val;
			} else if (!strcmp(key, "nvghost-jobs-compute")) {
				c.jobs[0] = val;
			} else if (!strcmp(key, "nvghost-jobs-copy")) {
				c.jobs[1] = val;
			} else if (!strcmp(key, "drm-total-vram")) {
				c.vram_kib = val;
			} else if (!strcmp(key, "drm-total-system")) {
				c.sys_kib = val;
			}
		} else if (!strncmp(line, "drm-driver:", 11)) {
			nvg = !strcmp(line + 11 + strspn(line + 11, " \t"), "nvghost\n");
		}
	}
	fclose(f);
	if (!nvg || !has_id || find_client(s, id) || s->nr_clients == MAX_CLIENTS)
		return;
	c.id = id;
	c.gpu = gpu_of_fd(pid, fd);
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	if (!read_line(path, c.comm, sizeof(c.comm)))
		snprintf(c.comm, sizeof(c.comm), "?");
	s->clients[s->nr_clients++] = c;
}

static void sample_clients(struct sample *s)
{
	char path[64];
	struct dirent *p, *e;
	DIR *proc = opendir("/proc"), *d;
	int pid;

	while (proc && (p = readdir(proc))) {
		if (!isdigit((unsigned char)p->d_name[0]))
			continue;
		pid = atoi(p->d_name);
		snprintf(path, sizeof(path), "/proc/%d/fdinfo", pid);
		d = opendir(path);
		while (d && (e = readdir(d)))
			if (e->d_name[0] != '.')
				sample_fdinfo(s, pid, e->d_name);
		if (d)
			closedir(d);
	}
	if (proc)
		closedir(proc);
}

/* HOOK's sysfs status file KEY, one line ("" if none). */
static void status_field(const char *hook, const char *key, char *val, size_t size)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), HOOKS_DIR "/%s/%s", hook, key);
	if (!read_line(path, val, size))
		val[0] = '\0';
}

/* HOOK's op counters from its events file: "enqueue=12 dispatch=10 ...". */
static void status_ops(const char *hook, char *val, size_t size)
{
	char path[PATH_MAX], line[128], name[64];
	unsigned long long n;
	size_t used = 0;
	FILE *f;

	val[0] = '\0';
	snprintf(path, sizeof(path), HOOKS_DIR "/%s/events", hook);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && used < size)
		if (sscanf(line, "op_%63s %llu", name, &n) == 2)
			used += snprintf(val + used, size - used, "%s%s=%llu",
					 used ? " " : "", name, n);
	fclose(f);
}

/* nvgpolicy's pins name the object: /sys/fs/bpf/nvghost/OBJ/MAP. */
static void object_of_link(unsigned int link_id, char *obj, size_t size)
{
	struct bpf_link_info info;
	DIR *root = opendir(PIN_ROOT), *d;
	struct dirent *e, *p;
	char path[PATH_MAX];
	__u32 len;
	int fd;

	snprintf(obj, size, "-");
	while (root && (e = readdir(root))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), PIN_ROOT "/%s", e->d_name);
		d = opendir(path);
		while (d && (p = readdir(d))) {
			if (p->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), PIN_ROOT "/%s/%s", e->d_name, p->d_name);
			fd = bpf_obj_get(path);
			if (fd < 0)
				continue;
			memset(&info, 0, sizeof(info));
			len = sizeof(info);
			if (!bpf_link_get_info_by_fd(fd, &info, &len) && info.id == link_id)
				copy_str(obj, size, e->d_name);
			close(fd);
		}
		if (d)
			closedir(d);
	}
	if (root)
		closedir(root);
}

static void sample_hooks(struct sample *s)
{
	static struct btf *vmlinux, *module;
	struct bpf_link_info li;
	struct bpf_map_info mi;
	const struct btf_type *t;
	const char *tname;
	__u32 id = 0, len;
	struct hook *h;
	int fd, mfd;

	s->status_readable = access(HOOKS_DIR, R_OK) == 0;
	/* The kernel's BTF once; the module's each time: it may be reloaded. */
	if (!vmlinux)
		vmlinux = btf__load_vmlinux_btf();
	btf__free(module);
	module = vmlinux ? btf__load_module_btf("nvghost", vmlinux) : NULL;
	while (s->nr_hooks < MAX_HOOKS) {
		if (bpf_link_get_next_id(id, &id)) {
			s->bpf_denied = errno == EPERM;
			break;
		}
		fd = bpf_link_get_fd_by_id(id);
		if (fd < 0)
			continue;
		memset(&li, 0, sizeof(li));
		len = sizeof(li);
		if (bpf_link_get_info_by_fd(fd, &li, &len) ||
		    li.type != BPF_LINK_TYPE_STRUCT_OPS) {
			close(fd);
			continue;
		}
		close(fd);
		mfd = bpf_map_get_fd_by_id(li.struct_ops.map_id);
		if (mfd < 0)
			continue;
		memset(&mi, 0, sizeof(mi));
		len = sizeof(mi);
		if (bpf_map_get_info_by_fd(mfd, &mi, &len)) {
			close(mfd);
			continue;
		}
		close(mfd);
		/* The kernel's value type: bpf_struct_ops_nvg_<hook>_ops. */
		t = module ? btf__type_by_id(module, mi.btf_vmlinux_value_type_id) : NULL;
		tname = t ? btf__name_by_offset(module, t->name_off) : NULL;
		if (!tname || strncmp(tname, "bpf_struct_ops_nvg_", 19))
			continue;
		h = &s->hooks[s->nr_hooks++];
		memset(h, 0, sizeof(*h));
		snprintf(h->hook, sizeof(h->hook), "%.*s",
			 (int)(strlen(tname + 19) > 4 ? strlen(tname + 19) - 4 : 0),
			 tname + 19);
		snprintf(h->map, sizeof(h->map), "%s", mi.name);
		h->link_id = li.id;
		object_of_link(li.id, h->object, sizeof(h->object));
		if (s->status_readable) {
			char kind[32], op[32], code[32];

			status_field(h->hook, "state", h->state, sizeof(h->state));
			status_ops(h->hook, h->ops, sizeof(h->ops));
			status_field(h->hook, "exit_kind", kind, sizeof(kind));
			status_field(h->hook, "exit_op", op, sizeof(op));
			status_field(h->hook, "exit_code", code, sizeof(code));
			snprintf(h->last_exit, sizeof(h->last_exit), "kind=%s op=%s code=%s",
				 kind, op[0] ? op : "-", code);
			status_field(h->hook, "exit_msg", h->last_msg, sizeof(h->last_msg));
		}
	}
}

static void take_sample(struct sample *s)
{
	memset(s, 0, sizeof(*s));
	clock_gettime(CLOCK_MONOTONIC, &s->when);
	sample_gpus(s);
	sample_clients(s);
	sample_hooks(s);
}

/* Shares over the interval from two samples' engine times. */
static void compute_shares(struct sample *cur, const struct sample *prev)
{
	double dt = (cur->when.tv_sec - prev->when.tv_sec) * 1e9 +
		    (cur->when.tv_nsec - prev->when.tv_nsec);
	const struct client *p;
	struct client *c;
	double cdt;
	int i, k;

	for (i = 0; i < MAX_GPUS; i++) {
		struct gpu *g = &cur->gpus[i];
		const struct gpu *pg = &prev->gpus[i];

		for (k = 0; k < g->nr_heads && k < pg->nr_heads; k++)
			g->fps[k] = dt > 0 && g->frames[k] >= pg->frames[k] ?
				    (g->frames[k] - pg->frames[k]) * 1e9 / dt : 0;
	}

	for (i = 0; i < cur->nr_clients; i++) {
		c = &cur->clients[i];
		p = find_client((struct sample *)prev, c->id);
		{
			unsigned long long now = c->jobs[0] + c->jobs[1];
			unsigned long long was = p ? p->jobs[0] + p->jobs[1] : 0;

			c->jobs_ps = dt > 0 && now >= was ? (now - was) * 1e9 / dt : 0;
		}
		/*
		 * A client's engine time grew between its own two fdinfo
		 * reads, not between the samples' start times: walking /proc
		 * takes a while, and dividing by the wrong interval read
		 * over 100%. A client new since @prev ran all its time
		 * within the interval.
		 */
		cdt = p ? c->read_ns - p->read_ns : dt;
		for (k = 0; k < NR_CLASSES; k++) {
			unsigned long long before = p ? p->eng_ns[k] : 0;

			c->share[k] = cdt > 0 && c->eng_ns[k] >= before ?
				      (c->eng_ns[k] - before) / cdt : 0;
			if (c->gpu >= 0 && c->gpu < MAX_GPUS)
				cur->gpus[c->gpu].busy[k] += c->share[k];
		}
		if (c->gpu >= 0 && c->gpu < MAX_GPUS)
			cur->gpus[c->gpu].clients++;
	}
}

static enum sort_key sort_by;

static int cmp_clients(const void *a, const void *b)
{
	const struct client *x = a, *y = b;
	double dx, dy;

	switch (sort_by) {
	case SORT_PID:
		return x->pid - y->pid;
	case SORT_MEM:
		dx = x->vram_kib + x->sys_kib;
		dy = y->vram_kib + y->sys_kib;
		break;
	case SORT_NAME:
		return strcmp(x->comm, y->comm);
	default:
		dx = x->share[0] + x->share[1];
		dy = y->share[0] + y->share[1];
		break;
	}
	return dx < dy ? 1 : dx > dy ? -1 : x->pid - y->pid;
}

static void fmt_kib(unsigned long long kib, char *buf, size_t size)
{
	if (kib >= 10ULL << 20)
		snprintf(buf, size, "%llu GiB", kib >> 20);
	else if (kib >= 10ULL << 10)
		snprintf(buf, size, "%llu MiB", kib >> 10);
	else
		snprintf(buf, size, "%llu KiB", kib);
}

/* One screen; @hl/@nl: escape sequences around headings, line end. */
static void render(FILE *o, struct sample *s, double delay, int only_gpu,
		   bool tty)
{
	const char *hl = tty ? "\033[7m" : "", *hr = tty ? "\033[0m" : "";
	const char *eol = tty ? "\033[K\n" : "\n";
	char tbuf[32], vram[24], sys[24], gbuf[16];
	time_t now = time(NULL);
	int n, i, k, shown = 0;
	struct gpu *g;

	strftime(tbuf, sizeof(tbuf), "%Y-%m-%d %H:%M:%S", localtime(&now));
	if (only_gpu >= 0)
		snprintf(gbuf, sizeof(gbuf), "%d", only_gpu);
	fprintf(o, "%snvgtop  %s  every %.1f s  sort: %s  gpu: %s%s%s", hl, tbuf,
		delay, sort_names[sort_by], only_gpu < 0 ? "all" : gbuf, hr, eol);

	for (n = 0; n < MAX_GPUS; n++) {
		g = &s->gpus[n];
		if (!g->present || (only_gpu >= 0 && n != only_gpu))
			continue;
		shown++;
		fprintf(o, "GPU %d  %s  %s%s%s%s", n, g->chip, g->card,
			g->render[0] ? " " : "", g->render, eol);
		if (g->have_freq)
			fprintf(o, "  clock %llu MHz  p-state %d/%d  governor %s%s",
				g->freq_hz / 1000000, g->pstate, g->nr_pstates - 1,
				g->governor, eol);
		fprintf(o, "  power ");
		g->have_power ? fprintf(o, "%.1f W", g->power_w) : fprintf(o, "-");
		fprintf(o, "  temp ");
		g->have_temp ? fprintf(o, "%.1f C", g->temp_c) : fprintf(o, "-");
		fprintf(o, "  energy ");
		g->have_energy ? fprintf(o, "%.1f J", g->energy_j) : fprintf(o, "-");
		fputs(eol, o);
		fprintf(o, "  busy ");
		for (k = 0; k < NR_CLASSES; k++)
			fprintf(o, " %s %5.1f%%", class_names[k], 100 * g->busy[k]);
		fprintf(o, "  clients %d%s", g->clients, eol);
		if (g->nr_heads) {
			fprintf(o, "  fps    ");
			for (k = 0; k < g->nr_heads; k++)
				fprintf(o, " head%d %5.1f", k, g->fps[k]);
			fputs(eol, o);
		}
	}
	if (!shown)
		fprintf(o, "no nvghost GPU%s (modprobe nvghost)%s",
			only_gpu >= 0 ? " with that index" : "", eol);

	fputs(eol, o);
	fprintf(o, "%s%-7s %-12s %-15s %-6s %-9s %s%s%s", hl, "HOOK", "POLICY",
		"MAP", "LINK", "STATE", "OPS", hr, eol);
	for (i = 0; i < s->nr_hooks; i++) {
		struct hook *h = &s->hooks[i];

		fprintf(o, "%-7s %-12s %-15s %-6u %-9s %s%s", h->hook, h->object,
			h->map, h->link_id, h->state[0] ? h->state : "-",
			h->ops[0] ? h->ops : "-", eol);
		if (h->last_exit[0] && strncmp(h->last_exit, "kind=none", 9))
			fprintf(o, "        last_exit: %s  %s%s", h->last_exit,
				h->last_msg, eol);
	}
	if (!s->nr_hooks)
		fprintf(o, "%s%s", s->bpf_denied ?
			"(cannot list BPF links: needs root)" :
			"no policy attached: built-in defaults", eol);
	else if (!s->status_readable)
		fprintf(o, "(state and op counters need %s)%s", HOOKS_DIR, eol);

	fputs(eol, o);
	fprintf(o, "%s%7s %-16s %3s %8s %8s %8s %9s %9s%s%s", hl, "PID", "COMMAND", "GPU",
		"COMPUTE", "COPY", "JOBS/S", "VRAM", "SYSMEM", hr, eol);
	qsort(s->clients, s->nr_clients, sizeof(s->clients[0]), cmp_clients);
	for (i = 0; i < s->nr_clients; i++) {
		struct client *c = &s->clients[i];

		if (only_gpu >= 0 && c->gpu != only_gpu)
			continue;
		fmt_kib(c->vram_kib, vram, sizeof(vram));
		fmt_kib(c->sys_kib, sys, sizeof(sys));
		fprintf(o, "%7d %-16s %3d %7.1f%% %7.1f%% %8.1f %9s %9s%s", c->pid, c->comm,
			c->gpu, 100 * c->share[0], 100 * c->share[1], c->jobs_ps, vram,
			sys, eol);
	}
	if (!s->nr_clients)
		fprintf(o, "no client has an nvghost device open%s", eol);
}

/* On a terminal, lines are cut at its width rather than wrapped. */
static void render_tty(struct sample *s, double delay, int only_gpu)
{
	struct winsize ws = {};
	char *buf = NULL, *line, *save;
	size_t len = 0, cols;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return;
	render(m, s, delay, only_gpu, true);
	fclose(m);
	cols = !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col ? ws.ws_col : 80;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(line);

		/* Every line ends in "erase to the end"; put it back after. */
		if (n >= 3 && !strcmp(line + n - 3, "\033[K"))
			line[n -= 3] = '\0';
		/* Headings: cut the text between reverse video and reset. */
		if (!strncmp(line, "\033[7m", 4) && n >= 8 &&
		    !strcmp(line + n - 4, "\033[0m"))
			printf("\033[7m%.*s\033[0m\033[K\n",
			       (int)(n - 8 < cols ? n - 8 : cols), line + 4);
		else
			printf("%.*s\033[K\n", (int)(n < cols ? n : cols), line);
	}
	free(buf);
}

static int next_gpu(const struct sample *s, int cur)
{
	int n;

	for (n = cur + 1; n < MAX_GPUS; n++)
		if (s->gpus[n].present)
			return n;
	return -1;	/* back to all */
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "gpu", required_argument, NULL, 'g' },
		{ "sort", required_argument, NULL, 's' },
		{ "batch", no_argument, NULL, 'b' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "once", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	static struct sample a, b;
	struct sample *cur = &a, *prev = &b, *tmp;
	struct termios saved, raw;
	bool batch = false, tty;
	double delay = 1.0;
	long iterations = -1, done = 0;
	int only_gpu = -1, opt, i;
	char *end, key;

	while ((opt = getopt_long(argc, argv, "d:g:s:bn:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			delay = strtod(optarg, &end);
			if (*end || !(delay >= 0.1 && delay <= 3600)) {
				fprintf(stderr, "nvgtop: -d %s: want seconds, 0.1 to 3600\n", optarg);
				return 2;
			}
			break;
		case 'g':
			only_gpu = strtol(optarg, &end, 10);
			if (*end || only_gpu < 0 || only_gpu >= MAX_GPUS) {
				fprintf(stderr, "nvgtop: -g %s: want a GPU index, 0 to %d\n",
					optarg, MAX_GPUS - 1);
				return 2;
			}
			break;
		case 's':
			for (i = 0; i < NR_SORT && strcmp(optarg, sort_names[i]); i++)
				;
			if (i == NR_SORT) {
				fprintf(stderr, "nvgtop: -s %s: want engine, pid, mem or name\n", optarg);
				return 2;
			}
			sort_by = i;
			break;
		case 'b':
			batch = true;
			break;
		case 'n':
			iterations = strtol(optarg, &end, 10);
			if (*end || iterations < 1) {
				fprintf(stderr, "nvgtop: -n %s: want a count, at least 1\n", optarg);
				return 2;
			}
			break;
		case 'o':
			batch = true;
			iterations = 1;
			break;
		case 'h':
			fputs(help_text, stdout);
			return 0;
		default:
			fprintf(stderr, "nvgtop: bad option (see --help)\n");
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "nvgtop: unexpected argument '%s' (see --help)\n", argv[optind]);
		return 2;
	}
	libbpf_set_print(NULL);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	tty = !batch && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	if (!batch && !tty)
		batch = true;	/* not a terminal: print text */
	if (tty) {
		tcgetattr(STDIN_FILENO, &saved);
		raw = saved;
		raw.c_lflag &= ~(ICANON | ECHO);
		raw.c_cc[VMIN] = 0;
		raw.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
		fputs("\033[?25l", stdout);	/* hide the cursor */
	}

	/* Parse the kernel's BTF before the first sample, not within the interval. */
	sample_hooks(prev);
	take_sample(prev);
	while (!quit) {
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		struct timespec t0, t1;
		double waited = 0;
		bool redraw = false;

		/* Wait out the interval; a key acts at once (interactive). */
		clock_gettime(CLOCK_MONOTONIC, &t0);
		while (!quit && !redraw && waited < delay) {
			if (tty && poll(&pfd, 1, (int)((delay - waited) * 1000)) > 0 &&
			    read(STDIN_FILENO, &key, 1) == 1) {
				if (key == 'q')
					quit = 1;
				else if (key == 's')
					sort_by = (sort_by + 1) % NR_SORT;
				else if (key == 'g')
					only_gpu = next_gpu(prev, only_gpu);
				else if (key == '+' && delay > 0.2)
					delay /= 2;
				else if (key == '-' && delay < 60)
					delay *= 2;
				redraw = key != 'q';
			} else if (!tty) {
				struct timespec ts = {
					.tv_sec = (time_t)(delay - waited),
					.tv_nsec = (long)((delay - waited - (time_t)(delay - waited)) * 1e9),
				};
				nanosleep(&ts, NULL);
			}
			clock_gettime(CLOCK_MONOTONIC, &t1);
			waited = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		}
		if (quit)
			break;
		take_sample(cur);
		compute_shares(cur, prev);
		if (tty) {
			fputs("\033[H", stdout);
			render_tty(cur, delay, only_gpu);
			fputs("\033[J", stdout);
		} else {
			if (done)
				fputs("\n", stdout);	/* a blank line between screens */
			render(stdout, cur, delay, only_gpu, false);
		}
		fflush(stdout);
		tmp = prev;
		prev = cur;
		cur = tmp;
		if (++done == iterations)
			break;
	}
	if (tty) {
		fputs("\033[?25h\n", stdout);
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	}
	return 0;
}
