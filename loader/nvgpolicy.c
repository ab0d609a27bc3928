// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * nvgpolicy - load, list and unload nvghost BPF policies.
 *
 * A policy is a .bpf.o with one or more SEC(".struct_ops.link") maps
 * implementing the module's hooks (struct nvg_sched_ops, ...) and optional
 * const volatile tunables in .rodata. bpftool's struct_ops verbs crash on
 * types defined in a module's BTF, so this tool does the job: it sets the
 * tunables, loads the object, attaches each struct_ops map and pins the link
 * under /sys/fs/bpf/nvghost/<object>/<map>. The pin is what keeps a policy
 * attached after we exit; removing it (unload) detaches the policy.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <elf.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define DEVFREQ_DIR	"/sys/class/devfreq"
/* The devfreq governor that runs the power hook (kmod/nvghost_power_gov.c). */
#define POWER_GOVERNOR	"nvg_power_ops"

#define BPFFS		"/sys/fs/bpf"
#define PIN_ROOT	BPFFS "/nvghost"
#define MOD_BTF		"/sys/kernel/btf/nvghost"
/* The stable status interface: one directory per hook (kmod/nvghost_sysfs.c). */
#define HOOKS_DIR	"/sys/kernel/nvghost/hooks"
/* Where installed policies live (nvghost-policies), searched by name. */
#define POLICY_DIR	"/usr/lib/nvghost/policies"
#define POLICY_PATH_ENV	"NVG_POLICY_PATH"
#define POLICY_EXT	".bpf.o"
/* A policy's one-line description, added at build time (describe-policy). */
#define DESC_SECTION	".nvg.desc"
#define MAX_DIRS	16
#define MAX_LINKS	16
#define VLOG_LINES	12	/* verifier log lines shown on rejection */
#define TAIL_LINES	5	/* libbpf lines shown on other load failures */
#define BEGIN_MARK	"-- BEGIN PROG LOAD LOG --"
#define END_MARK	"-- END PROG LOAD LOG --"

static const char help_fmt[] =
"Load, list and unload nvghost BPF policies.\n"
"\n"
"Usage: nvgpolicy load NAME|FILE.bpf.o [--set NAME=VALUE ...] [-v]\n"
"       nvgpolicy unload NAME | --all\n"
"       nvgpolicy list [--available]\n"
"       nvgpolicy status\n"
"\n"
"A policy NAME (e.g. gaming) is looked up as NAME.bpf.o in $NVG_POLICY_PATH\n"
"(colon-separated), then " POLICY_DIR ", then the build tree's\n"
"build/bpf/ when nvgpolicy runs from it; an argument with a '/' is a path.\n"
"\n"
"  -A, --available       list the installed policies, not the loaded ones\n"
"  -s, --set NAME=VALUE  set the const volatile tunable NAME before loading\n"
"  -a, --all             unload every policy\n"
"  -v, --verbose         print libbpf's debug output\n"
"  -h, --help            show this help\n";

static bool verbose;
/* libbpf's messages, kept so that errors can quote the useful part. */
static FILE *logf;
static char *logbuf;
static size_t loglen;

__attribute__((format(printf, 1, 2)))
static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("nvgpolicy: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* Like strerror(), but also knows libbpf's own error codes. */
static const char *errstr(int err)
{
	static char buf[128];

	libbpf_strerror(err, buf, sizeof(buf));
	return buf;
}

static int libbpf_print_fn(enum libbpf_print_level level, const char *fmt,
			   va_list ap)
{
	va_list aq;

	if (verbose) {
		va_copy(aq, ap);
		vfprintf(stderr, fmt, aq);
		va_end(aq);
	}
	/* Debug chatter would push the interesting lines out of the tail. */
	if (level != LIBBPF_DEBUG && logf)
		vfprintf(logf, fmt, ap);
	return 0;
}

/* Print the last @max non-empty lines of @start[0..len), indented. */
static void print_tail(const char *start, size_t len, int max)
{
	char *copy, *ring[VLOG_LINES], *save, *line;
	int n = 0, i;

	copy = strndup(start, len);
	if (!copy)
		return;
	/* strtok_r skips runs of '\n', so empty lines never count. */
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		ring[n++ % max] = line;
	for (i = n > max ? n - max : 0; i < n; i++)
		fprintf(stderr, "  %s\n", ring[i % max]);
	free(copy);
}

static int join(char *buf, const char *dir, const char *name)
{
	if (snprintf(buf, PATH_MAX, "%s/%s", dir, name) >= PATH_MAX)
		return fail("path too long: %s/%s", dir, name);
	return 0;
}

/*
 * Read @hook's status file @key (HOOKS_DIR/HOOK/KEY: one value, one line).
 * False if it cannot be read or is empty.
 */
static bool status_field(const char *hook, const char *key, char *val,
			 size_t size)
{
	char path[PATH_MAX];
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), HOOKS_DIR "/%s/%s", hook, key);
	f = fopen(path, "r");
	if (!f)
		return false;
	ok = fgets(val, size, f) != NULL;
	fclose(f);
	if (ok)
		val[strcspn(val, "\n")] = '\0';
	return ok && val[0];
}

/* The struct a struct_ops map implements, e.g. "nvg_sched_ops". */
static const char *ops_type(struct bpf_object *obj, const struct bpf_map *map)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *t;

	t = btf ? btf__type_by_id(btf, bpf_map__btf_value_type_id(map)) : NULL;
	return t ? btf__name_by_offset(btf, t->name_off) : "?";
}

/* Users know hooks by short name: nvg_sched_ops -> sched. */
static void hook_name(const char *type, char *buf, size_t size)
{
	size_t len;

	if (!strncmp(type, "nvg_", 4))
		type += 4;
	len = strlen(type);
	if (len > 4 && !strcmp(type + len - 4, "_ops"))
		len -= 4;
	snprintf(buf, size, "%.*s", (int)len, type);
}

/* Parse @s for an integer tunable of @size bytes; -EINVAL or -ERANGE. */
static int parse_value(const char *s, bool is_signed, bool is_bool,
		       size_t size, uint64_t *out)
{
	unsigned int bits = size * 8;
	bool neg = s[0] == '-';
	const char *d = s + neg;
	int base = d[0] == '0' && (d[1] == 'x' || d[1] == 'X') ? 16 : 10;
	unsigned long long u, lim;
	char *end;

	if (is_bool) {
		if (!strcmp(s, "true") || !strcmp(s, "1"))
			*out = 1;
		else if (!strcmp(s, "false") || !strcmp(s, "0"))
			*out = 0;
		else
			return -EINVAL;
		return 0;
	}
	/* strtoull would accept spaces, '+' and a second '-': refuse those. */
	if (!(base == 16 ? d[2] && strchr("0123456789abcdefABCDEF", d[2]) :
			   d[0] >= '0' && d[0] <= '9'))
		return -EINVAL;
	errno = 0;
	u = strtoull(d, &end, base);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || (neg && !is_signed))
		return -ERANGE;
	if (is_signed)
		lim = (1ULL << (bits - 1)) - !neg;	/* -2^(n-1) .. 2^(n-1)-1 */
	else
		lim = bits == 64 ? ULLONG_MAX : (1ULL << bits) - 1;
	if (u > lim)
		return -ERANGE;
	*out = neg ? -(uint64_t)u : u;
	return 0;
}

/*
 * --set NAME=VALUE: write VALUE into the .rodata image, where the policy's
 * const volatile tunables live. The object's BTF says where NAME sits and
 * what type it has; the verifier then sees the value as a constant.
 */
static int apply_set(struct bpf_object *obj, const char *file, const char *arg)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *rodata = bpf_object__find_map_by_name(obj, ".rodata");
	const struct btf_var_secinfo *vsi = NULL, *s;
	const struct btf_type *sec, *t;
	const char *eq = strchr(arg, '='), *name;
	char names[512] = "", *data;
	size_t nlen, used = 0, mapsz = 0;
	uint64_t v;
	bool sign = false, is_bool = false;
	int i, n = 0, id, err;

	if (!eq || eq == arg)
		return fail("--set '%s': expected NAME=VALUE", arg);
	nlen = eq - arg;
	id = btf && rodata ?
	     btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC) : -1;
	sec = id > 0 ? btf__type_by_id(btf, id) : NULL;
	n = sec ? btf_vlen(sec) : 0;
	for (i = 0, s = sec ? btf_var_secinfos(sec) : NULL; i < n; i++, s++) {
		name = btf__name_by_offset(btf,
					   btf__type_by_id(btf, s->type)->name_off);
		if (strlen(name) == nlen && !strncmp(name, arg, nlen))
			vsi = s;
		if (used < sizeof(names))
			used += snprintf(names + used, sizeof(names) - used,
					 "%s%s", i ? ", " : "", name);
	}
	if (!vsi)
		return fail("%s has no tunable '%.*s' (tunables: %s)", file,
			    (int)nlen, arg, n ? names : "none");

	/* Look through const, volatile and typedefs to the real type. */
	id = btf__resolve_type(btf, btf__type_by_id(btf, vsi->type)->type);
	t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	if (t && btf_is_int(t)) {
		sign = btf_int_encoding(t) & BTF_INT_SIGNED;
		is_bool = btf_int_encoding(t) & BTF_INT_BOOL;
	} else if (t && btf_is_any_enum(t)) {
		sign = btf_kflag(t);
	} else {
		return fail("--set %s: only integer, bool and enum tunables can be set",
			    arg);
	}
	data = bpf_map__initial_value(rodata, &mapsz);
	if ((t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8) ||
	    !data || vsi->offset + t->size > mapsz)
		return fail("--set %s: cannot set a %u-byte tunable", arg, t->size);

	err = parse_value(eq + 1, sign, is_bool, t->size, &v);
	if (err == -EINVAL)
		return fail("--set %s: '%s' is not a valid %s", arg, eq + 1,
			    is_bool ? "bool (true, false, 1, 0)" :
				      "integer (decimal, or hex with 0x)");
	if (err)
		return fail("--set %s: %s is out of range for a %u-byte %s tunable",
			    arg, eq + 1, t->size, sign ? "signed" : "unsigned");
	/* The low t->size bytes of v, wherever the byte order puts them. */
	memcpy(data + vsi->offset, (char *)&v +
	       (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? 8 - t->size : 0),
	       t->size);
	return 0;
}

/* Say why bpf_object__load() failed, quoting the verifier if it spoke. */
static void report_load_failure(const char *file, int err, size_t mark)
{
	const char *begin = NULL, *p, *log, *end, *name = NULL;
	const char *msgs = "";
	int nlen = 0;

	/* Only what libbpf said during the load counts. */
	if (logf && !fflush(logf) && logbuf && mark <= loglen)
		msgs = logbuf + mark;
	for (p = msgs; (p = strstr(p, BEGIN_MARK)); p++)
		begin = p;
	if (!begin) {
		fail("%s: load failed: %s", file, errstr(err));
		print_tail(msgs, strlen(msgs), TAIL_LINES);
		return;
	}
	/* libbpf prints "libbpf: prog 'NAME': -- BEGIN PROG LOAD LOG --". */
	for (p = begin; p > msgs && p[-1] != '\n'; p--)
		;
	p = strstr(p, "prog '");
	if (p && p < begin) {
		name = p + 6;
		nlen = strcspn(name, "'");
	}
	log = begin + strlen(BEGIN_MARK);
	end = strstr(log, END_MARK);
	if (!end)
		end = log + strlen(log);
	fail("%s: the verifier rejected program %.*s:", file, nlen,
	     name ? name : "");
	print_tail(log, end - log, VLOG_LINES);
}

/*
 * libbpf writes a struct_ops map's value (where the module's init_member
 * checks the data fields) in the same call that creates the link. The
 * kernel's copy tells which step failed: its state (second u32) stays INIT
 * (0) only when the value itself was refused.
 */
static bool map_value_refused(const struct bpf_map *map)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info), zero = 0, state = 1;
	char *val;

	if (bpf_map_get_info_by_fd(bpf_map__fd(map), &info, &len) ||
	    info.value_size < 8)
		return false;
	val = calloc(1, info.value_size);
	if (val && !bpf_map_lookup_elem(bpf_map__fd(map), &zero, val))
		memcpy(&state, val + 4, sizeof(state));
	free(val);
	return state == 0;
}

static void report_attach_failure(const char *file, const char *type,
				  const struct bpf_map *map, int err)
{
	char hook[64], val[256];

	hook_name(type, hook, sizeof(hook));
	if (map_value_refused(map)) {
		fail("%s: load failed: %s", file, errstr(err));
		fprintf(stderr, "  the module refused the fields of %s (struct %s)\n",
			bpf_map__name(map), type);
		/* A cross-field rule (the hook's validate) leaves its reason. */
		if (status_field(hook, "exit_op", val, sizeof(val)) &&
		    !strcmp(val, "validate") &&
		    status_field(hook, "exit_msg", val, sizeof(val)))
			fprintf(stderr, "  %s\n", val);
		else
			fprintf(stderr, "  (see dmesg)\n");
		return;
	}
	/* -EBUSY from an init op is not a taken hook: the state says which. */
	if (err == -EBUSY && !(status_field(hook, "state", val, sizeof(val)) &&
			       !strcmp(val, "default"))) {
		if (status_field(hook, "policy", val, sizeof(val)))
			fail("hook '%s' is already taken by policy '%s'; unload it first",
			     hook, val);
		else
			fail("hook '%s' is already taken by another policy; unload it first",
			     hook);
		return;
	}
	fail("attaching %s failed: %s", bpf_map__name(map), errstr(err));
	if (status_field(hook, "exit_kind", val, sizeof(val)) && strcmp(val, "none")) {
		char op[64] = "-", code[32] = "0";

		status_field(hook, "exit_op", op, sizeof(op));
		status_field(hook, "exit_code", code, sizeof(code));
		fprintf(stderr, "  last_exit: kind=%s op=%s code=%s\n", val, op, code);
	}
	if (status_field(hook, "exit_msg", val, sizeof(val)))
		fprintf(stderr, "  last_msg: %s\n", val);
}

/*
 * A power policy governs a GPU once its devfreq governor is nvg_power_ops:
 * switching governors is the user's call, the standard way; say how.
 */
static void hint_power_governor(void)
{
	char path[PATH_MAX], gov[64];
	struct dirent *de;
	DIR *d = opendir(DEVFREQ_DIR);
	FILE *f;

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "nvghost.", 8))
			continue;
		snprintf(path, sizeof(path), DEVFREQ_DIR "/%s/governor", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(gov, sizeof(gov), f) && strcmp(strtok(gov, "\n") ?: "", POWER_GOVERNOR))
			printf("nvgpolicy: note: %s's devfreq governor is %s; the power policy governs it after\n"
			       "  echo %s > %s\n", de->d_name, gov, POWER_GOVERNOR, path);
		fclose(f);
	}
	closedir(d);
}

static int cmd_load(const char *file, const char **sets, int nsets)
{
	struct bpf_link *links[MAX_LINKS];
	const struct bpf_map *maps[MAX_LINKS];
	struct bpf_object *obj;
	struct bpf_map *map;
	char objname[NAME_MAX + 1], dir[PATH_MAX] = "", path[PATH_MAX];
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	size_t len = strlen(base);
	int nmaps = 0, nlinks = 0, ret = 1, err, i;
	size_t mark = 0;
	struct statfs sfs;
	struct stat st;

	/* 1. Say plainly that the file is missing, before libbpf muddles it. */
	if (stat(file, &st))
		return errno == ENOENT ? fail("%s: no such file", file) :
					 fail("%s: %s", file, strerror(errno));

	/* 2. Open: parse ELF and BTF only, the kernel is not involved yet. */
	obj = S_ISREG(st.st_mode) ? bpf_object__open_file(file, NULL) : NULL;
	if (!obj)
		return errno == EACCES ? fail("%s: %s", file, strerror(errno)) :
					 fail("%s: not a BPF object file", file);

	/* The pin directory is named after the file: fifo.bpf.o -> fifo. */
	if (len > 6 && !strcmp(base + len - 6, ".bpf.o"))
		len -= 6;
	else if (len > 2 && !strcmp(base + len - 2, ".o"))
		len -= 2;
	snprintf(objname, sizeof(objname), "%.*s", (int)len, base);
	if (!objname[0] || objname[0] == '.') {
		fail("%s: cannot name a policy after this file name", file);
		goto out;
	}

	/* 3. A policy is its struct_ops maps, each attached through a link. */
	bpf_object__for_each_map(map, obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		if (!(bpf_map__map_flags(map) & BPF_F_LINK)) {
			fail("%s: map %s must be in SEC(\".struct_ops.link\"), or it cannot be pinned",
			     file, bpf_map__name(map));
			goto out;
		}
		if (nmaps == MAX_LINKS) {
			fail("%s: too many struct_ops maps", file);
			goto out;
		}
		maps[nmaps++] = map;
	}
	if (!nmaps) {
		fail("%s has no struct_ops map", file);
		goto out;
	}

	/* 4. Tunables must be set between open and load. */
	for (i = 0; i < nsets; i++)
		if (apply_set(obj, file, sets[i]))
			goto out;

	/* 5. Without the module's BTF, libbpf's error would be cryptic. */
	if (access(MOD_BTF, F_OK)) {
		fail("the nvghost module is not loaded (modprobe nvghost)");
		goto out;
	}
	if (statfs(BPFFS, &sfs) || (unsigned long)sfs.f_type != BPF_FS_MAGIC) {
		fail("no BPF filesystem at " BPFFS " (mount -t bpf bpf " BPFFS ")");
		goto out;
	}

	/* 6. Load: verifies the programs against the module's types. */
	if (logf && !fflush(logf))
		mark = loglen;
	err = bpf_object__load(obj);
	if (err) {
		report_load_failure(file, err, mark);
		goto out;
	}

	/* 7. Attach and pin every map; any failure undoes the whole run. */
	if (join(dir, PIN_ROOT, objname))
		goto out;
	if ((mkdir(PIN_ROOT, 0700) && errno != EEXIST) ||
	    (mkdir(dir, 0700) && errno != EEXIST)) {
		fail("creating %s failed: %s", dir, strerror(errno));
		goto out;
	}
	for (i = 0; i < nmaps; i++) {
		links[nlinks] = bpf_map__attach_struct_ops(maps[i]);
		if (!links[nlinks]) {
			err = -errno;
			report_attach_failure(file, ops_type(obj, maps[i]),
					      maps[i], err);
			goto out;
		}
		nlinks++;
		if (join(path, dir, bpf_map__name(maps[i])))
			goto out;
		err = bpf_link__pin(links[nlinks - 1], path);
		if (err) {
			fail("pinning %s at %s failed: %s", bpf_map__name(maps[i]),
			     path, errstr(err));
			goto out;
		}
	}
	for (i = 0; i < nlinks; i++) {
		printf("nvgpolicy: attached %s (%s) from %s, pinned at %s\n",
		       bpf_map__name(maps[i]), ops_type(obj, maps[i]), objname,
		       bpf_link__pin_path(links[i]));
		if (!strcmp(ops_type(obj, maps[i]), "nvg_power_ops"))
			hint_power_governor();
	}
	ret = 0;
out:
	for (i = 0; i < nlinks; i++) {
		/* On success the pin holds the link: only drop our fd. */
		if (ret)
			bpf_link__unpin(links[i]);
		else
			bpf_link__disconnect(links[i]);
		bpf_link__destroy(links[i]);
	}
	/* Fails harmlessly if the directory holds another run's pins. */
	if (ret && dir[0])
		rmdir(dir);
	bpf_object__close(obj);
	return ret;
}

/* Unpinning a policy's links drops their last reference: it detaches. */
static int cmd_unload(const char *name)
{
	char dir[PATH_MAX];
	struct dirent *e;
	DIR *d = NULL;
	int ret = 0;

	/* A NAME with '/' or a leading '.' could reach outside PIN_ROOT. */
	errno = ENOENT;
	if (name[0] && name[0] != '.' && !strchr(name, '/') &&
	    !join(dir, PIN_ROOT, name))
		d = opendir(dir);
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ?
		       fail("no policy '%s' is loaded", name) :
		       fail("%s: %s", PIN_ROOT, strerror(errno));
	while (!ret && (e = readdir(d)))
		if (e->d_name[0] != '.' && unlinkat(dirfd(d), e->d_name, 0))
			ret = fail("removing %s/%s failed: %s", dir, e->d_name,
				   strerror(errno));
	closedir(d);
	if (!ret && rmdir(dir))
		ret = fail("removing %s failed: %s", dir, strerror(errno));
	if (!ret)
		printf("nvgpolicy: unloaded %s\n", name);
	return ret;
}

static int cmd_unload_all(void)
{
	DIR *root = opendir(PIN_ROOT);
	struct dirent *e;
	int ret = 0;

	while (root && (e = readdir(root)))
		if (e->d_name[0] != '.')
			ret |= cmd_unload(e->d_name);
	if (root)
		closedir(root);
	return ret;
}

/* One line per loaded object: "NAME: MAP ...", from the pins alone. */
static int cmd_list(void)
{
	DIR *root = opendir(PIN_ROOT), *d;
	struct dirent *e, *p;
	char dir[PATH_MAX];
	int n = 0;

	while (root && (e = readdir(root))) {
		if (e->d_name[0] == '.' || join(dir, PIN_ROOT, e->d_name))
			continue;
		printf("%s:", e->d_name);
		d = opendir(dir);
		while (d && (p = readdir(d)))
			if (p->d_name[0] != '.')
				printf(" %s", p->d_name);
		if (d)
			closedir(d);
		printf("\n");
		n++;
	}
	if (root)
		closedir(root);
	if (!n)
		printf("no policy is loaded\n");
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/*
 * Policies by name: the directories searched, in order, with where each
 * comes from. $NVG_POLICY_PATH's entries first, then the installed
 * policies, then build/bpf/ when this nvgpolicy is the build/nvgpolicy of a
 * source tree (it has ../profiles/ beside it).
 */
struct policy_dirs {
	int n;
	char dir[MAX_DIRS][PATH_MAX];
	const char *from[MAX_DIRS];
	/* The source tree's profiles/: list shows only shipped policies. */
	char profiles[PATH_MAX];
};

static void policy_dirs(struct policy_dirs *pd)
{
	const char *env = getenv(POLICY_PATH_ENV);
	char exe[PATH_MAX];
	ssize_t len;
	size_t l;
	char *slash;

	pd->n = 0;
	pd->profiles[0] = '\0';
	while (env && *env && pd->n < MAX_DIRS - 2) {
		l = strcspn(env, ":");
		/* Like $PATH, empty entries are skipped. */
		if (l && l < PATH_MAX) {
			memcpy(pd->dir[pd->n], env, l);
			pd->dir[pd->n][l] = '\0';
			pd->from[pd->n++] = "$" POLICY_PATH_ENV;
		}
		env += l + (env[l] == ':');
	}
	strcpy(pd->dir[pd->n], POLICY_DIR);
	pd->from[pd->n++] = "installed";

	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len <= 0)
		return;
	exe[len] = '\0';
	slash = strrchr(exe, '/');
	if (!slash || (size_t)(slash - exe) + sizeof("/../profiles") > PATH_MAX)
		return;
	strcpy(slash, "/../profiles");
	if (!is_dir(exe))
		return;
	strcpy(pd->profiles, exe);
	strcpy(slash, "/bpf");
	strcpy(pd->dir[pd->n], exe);
	pd->from[pd->n++] = "build tree";
}

/*
 * load's argument: a path if it has a '/' or names an existing NAME.bpf.o;
 * otherwise a policy name (with or without .bpf.o) looked up in the
 * policy directories. On success @path holds the file to load.
 */
static int find_policy(const char *arg, char *path)
{
	struct policy_dirs pd;
	char file[NAME_MAX + 1];
	struct stat st;
	int i;

	if (strchr(arg, '/') || (ends_with(arg, POLICY_EXT) && !stat(arg, &st))) {
		if (strlen(arg) >= PATH_MAX)
			return fail("path too long: %s", arg);
		strcpy(path, arg);
		return 0;
	}
	if (!arg[0] || arg[0] == '.')
		return fail("'%s' is not a policy name", arg);
	if (snprintf(file, sizeof(file), "%s%s", arg,
		     ends_with(arg, POLICY_EXT) ? "" : POLICY_EXT) >= (int)sizeof(file))
		return fail("policy name too long: %s", arg);

	policy_dirs(&pd);
	for (i = 0; i < pd.n; i++)
		if (!join(path, pd.dir[i], file) && !stat(path, &st))
			return 0;

	fail("no policy '%s': no %s in any of", arg, file);
	if (ends_with(arg, POLICY_EXT))
		fprintf(stderr, "  . (the current directory)\n");
	if (!getenv(POLICY_PATH_ENV))
		fprintf(stderr, "  $%s (not set)\n", POLICY_PATH_ENV);
	for (i = 0; i < pd.n; i++)
		fprintf(stderr, "  %s (%s%s)\n", pd.dir[i], pd.from[i],
			is_dir(pd.dir[i]) ? "" : ", no such directory");
	fprintf(stderr, "  'nvgpolicy list --available' lists the policies found there\n");
	return 1;
}

/*
 * The policy's description: the string in its DESC_SECTION section
 * (scripts/describe-policy.sh adds it from the source's header comment).
 * libbpf does not hand out arbitrary sections, so read the ELF here.
 */
static void read_desc(const char *file, char *desc, size_t size)
{
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh, *strs;
	char *img = NULL;
	long len;
	FILE *f;
	int i;

	desc[0] = '\0';
	f = fopen(file, "rb");
	if (!f)
		return;
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < (long)sizeof(*eh) ||
	    len > (64L << 20) || fseek(f, 0, SEEK_SET) ||
	    !(img = malloc(len)) || fread(img, 1, len, f) != (size_t)len)
		goto out;
	eh = (const Elf64_Ehdr *)img;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shentsize != sizeof(*sh) || eh->e_shstrndx >= eh->e_shnum ||
	    eh->e_shoff > (unsigned long)len ||
	    eh->e_shnum > (len - eh->e_shoff) / sizeof(*sh))
		goto out;
	sh = (const Elf64_Shdr *)(img + eh->e_shoff);
	strs = &sh[eh->e_shstrndx];
	if (strs->sh_offset > (unsigned long)len ||
	    strs->sh_size > len - strs->sh_offset)
		goto out;
	for (i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_name >= strs->sh_size ||
		    strnlen(img + strs->sh_offset + sh[i].sh_name,
			    strs->sh_size - sh[i].sh_name) != strlen(DESC_SECTION) ||
		    strcmp(img + strs->sh_offset + sh[i].sh_name, DESC_SECTION) ||
		    sh[i].sh_offset > (unsigned long)len ||
		    sh[i].sh_size > len - sh[i].sh_offset)
			continue;
		snprintf(desc, size, "%.*s", (int)sh[i].sh_size,
			 img + sh[i].sh_offset);
		desc[strcspn(desc, "\n")] = '\0';
		break;
	}
out:
	free(img);
	fclose(f);
}

/* Print @word, breaking the line before it would pass column 79. */
static void wrap_word(const char *word, int *col, int indent)
{
	int len = strlen(word);

	if (*col > indent && *col + 1 + len > 79) {
		printf("\n%*s", indent, "");
		*col = indent;
	} else if (*col > indent) {
		putchar(' ');
		(*col)++;
	}
	fputs(word, stdout);
	*col += len;
}

/* "NAME=DEFAULT" for each const volatile tunable, from BTF and .rodata. */
static void print_tunables(struct bpf_object *obj, int indent)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *rodata = bpf_object__find_map_by_name(obj, ".rodata");
	const struct btf_var_secinfo *s;
	const struct btf_type *sec, *t, *var;
	const char *data = NULL;
	char word[160], val[64];
	size_t mapsz = 0;
	int i, n, id, col;
	uint64_t v;

	id = btf && rodata ?
	     btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC) : -1;
	sec = id > 0 ? btf__type_by_id(btf, id) : NULL;
	n = sec ? btf_vlen(sec) : 0;
	if (rodata)
		data = bpf_map__initial_value(rodata, &mapsz);
	printf("%*stunables: ", indent, "");
	col = indent + 10;
	if (!n) {
		printf("none\n");
		return;
	}
	for (i = 0, s = btf_var_secinfos(sec); i < n; i++, s++) {
		var = btf__type_by_id(btf, s->type);
		id = btf__resolve_type(btf, var->type);
		t = id > 0 ? btf__type_by_id(btf, id) : NULL;
		snprintf(val, sizeof(val), "?");
		if (t && (btf_is_int(t) || btf_is_any_enum(t)) && t->size <= 8 &&
		    data && s->offset + t->size <= mapsz) {
			v = 0;
			memcpy((char *)&v +
			       (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? 8 - t->size : 0),
			       data + s->offset, t->size);
			if (btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_BOOL))
				snprintf(val, sizeof(val), "%s", v ? "true" : "false");
			else if ((btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_SIGNED)) ||
				 (btf_is_any_enum(t) && btf_kflag(t)))
				snprintf(val, sizeof(val), "%lld",
					 (long long)(v << (64 - 8 * t->size)) >>
					 (64 - 8 * t->size));
			else
				snprintf(val, sizeof(val), "%llu",
					 (unsigned long long)v);
		}
		snprintf(word, sizeof(word), "%s=%s",
			 btf__name_by_offset(btf, var->name_off), val);
		wrap_word(word, &col, indent + 10);
	}
	putchar('\n');
}

/* One entry of list --available: name, hooks, description, tunables. */
static void describe_policy(const char *path, const char *name)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	char desc[256], hooks[128] = "", hook[64];
	const struct bpf_map *map;
	size_t used = 0;

	if (!obj) {
		printf("%-12s (not a BPF object: %s)\n", name, path);
		return;
	}
	read_desc(path, desc, sizeof(desc));
	bpf_object__for_each_map(map, obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		hook_name(ops_type(obj, map), hook, sizeof(hook));
		if (used < sizeof(hooks))
			used += snprintf(hooks + used, sizeof(hooks) - used,
					 "%s%s", used ? "," : "", hook);
	}
	printf("%-12s %-18s %s\n", name, hooks[0] ? hooks : "(no hook)",
	       desc[0] ? desc : "(no description)");
	print_tunables(obj, 13);
	bpf_object__close(obj);
}

static int is_policy_file(const struct dirent *e)
{
	return e->d_name[0] != '.' && ends_with(e->d_name, POLICY_EXT);
}

/*
 * Every policy that load NAME would find, per directory in search order;
 * a name already found in an earlier directory is shadowed and skipped.
 */
static int cmd_list_available(void)
{
	struct policy_dirs pd;
	struct dirent **ents;
	char path[PATH_MAX], name[NAME_MAX + 1], src[PATH_MAX + NAME_MAX + 8];
	struct stat st;
	int i, j, k, n, found = 0, shown;

	policy_dirs(&pd);
	for (i = 0; i < pd.n; i++) {
		n = scandir(pd.dir[i], &ents, is_policy_file, alphasort);
		shown = 0;
		for (k = 0; k < n; k++) {
			for (j = 0; j < i; j++)
				if (!join(path, pd.dir[j], ents[k]->d_name) &&
				    !stat(path, &st))
					break;
			snprintf(name, sizeof(name), "%.*s",
				 (int)(strlen(ents[k]->d_name) - strlen(POLICY_EXT)),
				 ents[k]->d_name);
			/* build/bpf/ also holds the test suite's objects. */
			snprintf(src, sizeof(src), "%s/%s.bpf.c", pd.profiles, name);
			if (!strcmp(pd.from[i], "build tree") && stat(src, &st))
				j = -1;
			if (j == i && !join(path, pd.dir[i], ents[k]->d_name)) {
				if (!shown++)
					printf("%s%s (%s):\n", found ? "\n" : "",
					       pd.dir[i], pd.from[i]);
				describe_policy(path, name);
				found++;
			}
			free(ents[k]);
		}
		if (n >= 0)
			free(ents);
	}
	if (!found) {
		printf("no policy is installed; looked in:\n");
		for (i = 0; i < pd.n; i++)
			printf("  %s (%s%s)\n", pd.dir[i], pd.from[i],
			       is_dir(pd.dir[i]) ? "" : ", no such directory");
	}
	return 0;
}

/* One hook's block of "nvgpolicy status", from its sysfs directory. */
static void show_hook(const char *hook)
{
	static const char *const keys[] = { "state", "policy", "exit_kind",
					    "exit_op", "exit_code", "exit_reason",
					    "exit_msg" };
	char val[7][256], path[PATH_MAX], line[256], key[64];
	unsigned long long n;
	unsigned int i;
	FILE *f;

	for (i = 0; i < 7; i++)
		if (!status_field(hook, keys[i], val[i], sizeof(val[i])))
			snprintf(val[i], sizeof(val[i]), "-");
	printf("hook: %s\n  state: %s\n  policy: %s\n", hook, val[0], val[1]);
	/* events: "attached N", "ejected N", then "op_NAME N" per op. */
	snprintf(path, sizeof(path), HOOKS_DIR "/%s/events", hook);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %llu", key, &n) != 2)
			continue;
		if (!strncmp(key, "op_", 3))
			printf("  op %s: %llu\n", key + 3, n);
		else
			printf("  %s_total: %llu\n", key, n);
	}
	if (f)
		fclose(f);
	printf("  last_exit: kind=%s op=%s code=%s\n", val[2], val[3], val[4]);
	printf("  last_reason: %s\n  last_msg: %s\n", val[5], val[6]);
}

static int cmd_status(void)
{
	static const char *const hooks[] = { "sched", "pacing", "power", "mem" };
	unsigned int i;

	cmd_list();
	if (access(MOD_BTF, F_OK))
		return fail("the nvghost module is not loaded (modprobe nvghost)");
	if (access(HOOKS_DIR, R_OK))
		return fail("cannot read " HOOKS_DIR ": %s (is sysfs mounted?)",
			    strerror(errno));
	printf("\n");
	for (i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++)
		show_hook(hooks[i]);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "set", required_argument, NULL, 's' },
		{ "all", no_argument, NULL, 'a' },
		{ "available", no_argument, NULL, 'A' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	const char **sets = calloc(argc, sizeof(*sets));
	const char *cmd;
	int nsets = 0, opt, ret = 1;
	char path[PATH_MAX];
	bool all = false, avail = false;

	if (!sets)
		return fail("out of memory");
	/* Capture from the start: open-time warnings are ours to word. */
	logf = open_memstream(&logbuf, &loglen);
	libbpf_set_print(libbpf_print_fn);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "s:aAvh", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			sets[nsets++] = optarg;
			break;
		case 'a':
			all = true;
			break;
		case 'A':
			avail = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			fputs(help_fmt, stdout);
			ret = 0;
			goto out;
		default:
			fail("bad option or missing argument: '%s' (see --help)",
			     argv[optind - 1]);
			goto out;
		}
	}
	argc -= optind;
	argv += optind;
	cmd = argc ? argv[0] : "";

	if ((nsets && strcmp(cmd, "load")) || (all && strcmp(cmd, "unload")) ||
	    (avail && strcmp(cmd, "list")))
		fail("--set goes with load, --all with unload, --available with list (see --help)");
	else if (!strcmp(cmd, "load") && argc == 2)
		ret = find_policy(argv[1], path) ?: cmd_load(path, sets, nsets);
	else if (!strcmp(cmd, "list") && avail && argc == 1)
		ret = cmd_list_available();
	else if (!strcmp(cmd, "unload") && all && argc == 1)
		ret = cmd_unload_all();
	else if (!strcmp(cmd, "unload") && !all && argc == 2)
		ret = cmd_unload(argv[1]);
	else if (!strcmp(cmd, "list") && argc == 1)
		ret = cmd_list();
	else if (!strcmp(cmd, "status") && argc == 1)
		ret = cmd_status();
	else if (!cmd[0])
		fail("no command given (see --help)");
	else
		fail("unknown command or wrong arguments for '%s' (see --help)",
		     cmd);
out:
	if (logf)
		fclose(logf);
	free(sets);
	free(logbuf);
	return ret;
}
