// SPDX-License-Identifier: GPL-2.0
/*
 * nvgtrace.c - a strict nvgtrace v1 reader (traces/FORMAT.md; nvgtrace.h).
 *
 * Each line is parsed into a small JSON tree (RFC 8259: objects, arrays,
 * strings with escapes, numbers, true/false/null), with a key given twice
 * in one object rejected at parse time; the tree is then checked against
 * the format's rules, in the order and with the words of
 * tools/nvgtrace_import.py's checker, so both tools name the same line
 * and key for the same bad file. Numbers other than integers parse (the
 * header's free-form "source" may hold any JSON) but every key the format
 * defines takes integers only.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "nvgtrace.h"

#define U63	INT64_MAX
#define U31	INT32_MAX
#define MAX_DEPTH	64

enum jtype { J_NULL, J_BOOL, J_INT, J_NUM, J_STR, J_ARR, J_OBJ };

/* A JSON value. J_NUM: a number that is not an integer in int64 range. */
struct jv {
	enum jtype t;
	bool b;
	int64_t i;
	char *s;		/* J_STR (NUL-terminated; no NUL inside) */
	char text[40];		/* J_NUM/J_INT: the number as written (shortened) */
	struct jv *v;		/* J_ARR items, J_OBJ values */
	char **k;		/* J_OBJ keys */
	size_t n, cap;
};

struct parser {
	const char *p, *end;
	char msg[200];
};

static void jv_free(struct jv *v)
{
	size_t i;

	if (!v)
		return;
	free(v->s);
	for (i = 0; i < v->n; i++) {
		jv_free(&v->v[i]);
		if (v->k)
			free(v->k[i]);
	}
	free(v->v);
	free(v->k);
	memset(v, 0, sizeof(*v));
}

static int perr(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ps->msg, sizeof(ps->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r' ||
				   *ps->p == '\n'))
		ps->p++;
}

static int put_utf8(char **buf, size_t *len, size_t *cap, uint32_t cp)
{
	char tmp[4];
	size_t n, i;

	if (cp < 0x80) {
		tmp[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		tmp[0] = (char)(0xc0 | cp >> 6);
		tmp[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		tmp[0] = (char)(0xe0 | cp >> 12);
		tmp[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		tmp[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		tmp[0] = (char)(0xf0 | cp >> 18);
		tmp[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		tmp[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		tmp[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (*len + n + 1 > *cap) {
		size_t nc = (*cap ? *cap * 2 : 32) + n;
		char *nb = realloc(*buf, nc);

		if (!nb)
			return -1;
		*buf = nb;
		*cap = nc;
	}
	for (i = 0; i < n; i++)
		(*buf)[(*len)++] = tmp[i];
	(*buf)[*len] = '\0';
	return 0;
}

static int put_byte(char **buf, size_t *len, size_t *cap, char c)
{
	if (*len + 2 > *cap) {
		size_t nc = *cap ? *cap * 2 : 32;
		char *nb = realloc(*buf, nc);

		if (!nb)
			return -1;
		*buf = nb;
		*cap = nc;
	}
	(*buf)[(*len)++] = c;
	(*buf)[*len] = '\0';
	return 0;
}

static int hex4(const char *p, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* A string at ps->p (at its opening quote) into a new NUL-terminated buffer. */
static int parse_string(struct parser *ps, char **out)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;

	ps->p++;
	if (put_byte(&buf, &len, &cap, 'x'))
		return perr(ps, "out of memory");
	len = 0;
	buf[0] = '\0';
	for (;;) {
		unsigned char c;
		uint32_t cp;

		if (ps->p >= ps->end) {
			free(buf);
			return perr(ps, "unterminated string");
		}
		c = (unsigned char)*ps->p++;
		if (c == '"')
			break;
		if (c < 0x20) {
			free(buf);
			return perr(ps, "control character in a string");
		}
		if (c != '\\') {
			/* UTF-8 was checked for the whole line: copy bytes. */
			if (put_byte(&buf, &len, &cap, (char)c)) {
				free(buf);
				return perr(ps, "out of memory");
			}
			continue;
		}
		if (ps->p >= ps->end) {
			free(buf);
			return perr(ps, "unterminated string");
		}
		c = (unsigned char)*ps->p++;
		switch (c) {
		case '"': cp = '"'; break;
		case '\\': cp = '\\'; break;
		case '/': cp = '/'; break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u':
			if (ps->end - ps->p < 4 || hex4(ps->p, &cp)) {
				free(buf);
				return perr(ps, "bad \\u escape in a string");
			}
			ps->p += 4;
			if (cp >= 0xd800 && cp < 0xdc00) {
				uint32_t lo;

				if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u' ||
				    hex4(ps->p + 2, &lo) || lo < 0xdc00 || lo > 0xdfff) {
					free(buf);
					return perr(ps, "unpaired surrogate in a string");
				}
				ps->p += 6;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp < 0xe000) {
				free(buf);
				return perr(ps, "unpaired surrogate in a string");
			}
			if (cp == 0) {
				free(buf);
				return perr(ps, "\\u0000 in a string");
			}
			break;
		default:
			free(buf);
			return perr(ps, "bad escape '\\%c' in a string", c);
		}
		if (put_utf8(&buf, &len, &cap, cp)) {
			free(buf);
			return perr(ps, "out of memory");
		}
	}
	*out = buf;
	return 0;
}

static int parse_number(struct parser *ps, struct jv *v)
{
	const char *s = ps->p;
	bool neg = false, integer = true, overflow = false;
	uint64_t mag = 0;
	size_t n;

	if (ps->p < ps->end && *ps->p == '-') {
		neg = true;
		ps->p++;
	}
	if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
		return perr(ps, "bad number");
	if (*ps->p == '0') {
		ps->p++;
		if (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			return perr(ps, "bad number (leading zero)");
	} else {
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
			unsigned d = (unsigned)(*ps->p++ - '0');

			if (mag > (UINT64_MAX - d) / 10)
				overflow = true;
			else
				mag = mag * 10 + d;
		}
	}
	if (ps->p < ps->end && *ps->p == '.') {
		integer = false;
		ps->p++;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
			return perr(ps, "bad number");
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		integer = false;
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
			return perr(ps, "bad number");
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	n = (size_t)(ps->p - s);
	snprintf(v->text, sizeof(v->text), "%.*s%s", (int)(n < 30 ? n : 30), s,
		 n < 30 ? "" : "...");
	if (integer && !overflow && (neg ? mag <= (uint64_t)INT64_MAX + 1 : mag <= INT64_MAX)) {
		v->t = J_INT;
		v->i = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	} else {
		/* A fraction, an exponent, or an integer past 64 bits. */
		v->t = J_NUM;
	}
	return 0;
}

static int lit(struct parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n))
		return -1;
	ps->p += n;
	return 0;
}

static int grow(struct jv *v, bool obj)
{
	size_t nc;
	struct jv *nv;

	if (v->n < v->cap)
		return 0;
	nc = v->cap ? v->cap * 2 : 8;
	nv = realloc(v->v, nc * sizeof(*nv));
	if (!nv)
		return -1;
	v->v = nv;
	if (obj) {
		char **nk = realloc(v->k, nc * sizeof(*nk));

		if (!nk)
			return -1;
		v->k = nk;
	}
	v->cap = nc;
	return 0;
}

static int parse_value(struct parser *ps, struct jv *v, int depth)
{
	memset(v, 0, sizeof(*v));
	if (depth > MAX_DEPTH)
		return perr(ps, "nested deeper than %d", MAX_DEPTH);
	skip_ws(ps);
	if (ps->p >= ps->end)
		return perr(ps, "expected a value, found the end of the line");
	switch (*ps->p) {
	case '{':
		v->t = J_OBJ;
		ps->p++;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			return 0;
		}
		for (;;) {
			char *key;
			size_t i;

			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != '"')
				return perr(ps, "expected a key in double quotes");
			if (parse_string(ps, &key))
				return -1;
			for (i = 0; i < v->n; i++)
				if (!strcmp(v->k[i], key)) {
					perr(ps, "key '%s' appears twice", key);
					free(key);
					return -1;
				}
			if (grow(v, true)) {
				free(key);
				return perr(ps, "out of memory");
			}
			v->k[v->n] = key;
			memset(&v->v[v->n], 0, sizeof(v->v[0]));
			v->n++;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':')
				return perr(ps, "expected ':' after key '%s'", key);
			ps->p++;
			if (parse_value(ps, &v->v[v->n - 1], depth + 1))
				return -1;
			skip_ws(ps);
			if (ps->p < ps->end && *ps->p == ',') {
				ps->p++;
				continue;
			}
			if (ps->p < ps->end && *ps->p == '}') {
				ps->p++;
				return 0;
			}
			return perr(ps, "expected ',' or '}' in an object");
		}
	case '[':
		v->t = J_ARR;
		ps->p++;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			return 0;
		}
		for (;;) {
			if (grow(v, false))
				return perr(ps, "out of memory");
			memset(&v->v[v->n], 0, sizeof(v->v[0]));
			v->n++;
			if (parse_value(ps, &v->v[v->n - 1], depth + 1))
				return -1;
			skip_ws(ps);
			if (ps->p < ps->end && *ps->p == ',') {
				ps->p++;
				continue;
			}
			if (ps->p < ps->end && *ps->p == ']') {
				ps->p++;
				return 0;
			}
			return perr(ps, "expected ',' or ']' in a list");
		}
	case '"':
		v->t = J_STR;
		return parse_string(ps, &v->s);
	case 't':
		v->t = J_BOOL;
		v->b = true;
		return lit(ps, "true") ? perr(ps, "bad literal") : 0;
	case 'f':
		v->t = J_BOOL;
		return lit(ps, "false") ? perr(ps, "bad literal") : 0;
	case 'n':
		v->t = J_NULL;
		return lit(ps, "null") ? perr(ps, "bad literal") : 0;
	default:
		if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
			return parse_number(ps, v);
		if (*ps->p == 'N' || *ps->p == 'I')
			return perr(ps, "'%s' is not a JSON number this format accepts",
				    *ps->p == 'N' ? "NaN" : "Infinity");
		return perr(ps, "unexpected character '%c'", *ps->p);
	}
}

/* Is [s, s+n) valid UTF-8 (no overlongs, no surrogates)? */
static bool utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		uint32_t cp;
		size_t k, len;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			len = 2;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (i + len > n)
			return false;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp < 0xe000))
			return false;
		i += len;
	}
	return true;
}

/* ---- checking ---- */

struct chk {
	char *err;
	size_t errlen;
	char where[96];		/* "client 3 job 7", "header: device" */
};

static int cerr(struct chk *c, const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->where[0])
		snprintf(c->err, c->errlen, "%s: %s", c->where, msg);
	else
		snprintf(c->err, c->errlen, "%s", msg);
	return -1;
}

static struct jv *get(const struct jv *o, const char *key)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		if (!strcmp(o->k[i], key))
			return &o->v[i];
	return NULL;
}

/* A value as JSON, shortened, for messages. */
static const char *show(const struct jv *v)
{
	static char buf[64];

	switch (v->t) {
	case J_NULL: return "null";
	case J_BOOL: return v->b ? "true" : "false";
	case J_INT:
	case J_NUM: return v->text;
	case J_STR:
		snprintf(buf, sizeof(buf), "\"%.40s%s\"", v->s, strlen(v->s) > 40 ? "..." : "");
		return buf;
	case J_ARR: return "a list";
	case J_OBJ: return "an object";
	}
	return "?";
}

static int check_keys(struct chk *c, const struct jv *o, const char *const *allowed,
		      const char *const *required)
{
	char list[300];
	size_t i, j, off;

	for (i = 0; i < o->n; i++) {
		for (j = 0; allowed[j]; j++)
			if (!strcmp(o->k[i], allowed[j]))
				break;
		if (allowed[j])
			continue;
		off = 0;
		list[0] = '\0';
		for (j = 0; allowed[j] && off < sizeof(list); j++)
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
						j ? ", " : "", allowed[j]);
		return cerr(c, "unknown key '%s' (allowed: %s)", o->k[i], list);
	}
	for (j = 0; required && required[j]; j++)
		if (!get(o, required[j]))
			return cerr(c, "missing key '%s'", required[j]);
	return 0;
}

static int get_int(struct chk *c, const struct jv *o, const char *key, int64_t lo,
		   int64_t hi, const char *unit, int64_t *out)
{
	const struct jv *v = get(o, key);

	if (v->t != J_INT)
		return cerr(c, "key '%s': %s is not an integer%s", key, show(v), unit);
	if (v->i < lo || v->i > hi)
		return cerr(c, "key '%s': %" PRId64 " is out of range [%" PRId64 ", %" PRId64 "]",
			    key, v->i, lo, hi);
	*out = v->i;
	return 0;
}

/* One of @values (NULL-terminated): its index in *out. */
static int get_enum(struct chk *c, const struct jv *o, const char *key,
		    const char *const *values, int *out)
{
	const struct jv *v = get(o, key);
	char list[200];
	size_t j, off = 0;

	if (v->t == J_STR)
		for (j = 0; values[j]; j++)
			if (!strcmp(v->s, values[j])) {
				*out = (int)j;
				return 0;
			}
	list[0] = '\0';
	for (j = 0; values[j] && off < sizeof(list); j++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", j ? ", " : "",
					values[j]);
	return cerr(c, "key '%s': %s is not one of %s", key, show(v), list);
}

static bool name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
}

static const char *const PRIOS[] = { "low", "normal", "high", NULL };
static const char *const ENGINES[] = { "compute", "copy", NULL };
static const char *const DIRS[] = { "h2d", "d2h", "d2d", "fill", NULL };
static const char *const HOST_MEMS[] = { "pinned", "pageable", NULL };
static const char *const SYNCS[] = { "vsync", "vrr", NULL };
static const char *const LATES[] = { "run", "skip", NULL };
static const char *const MONITORS[] = { "qhd165", "uhd60", "fhd60", "off", NULL };

static const char *const HEADER_KEYS[] = { "nvgtrace", "name", "duration_ns", "clock_mhz",
					   "device", "source", NULL };
static const char *const DEVICE_KEYS[] = { "chip", "pstate", "temp_c", "heads", "uvm_vram_mb",
					   NULL };
static const char *const HEAD_KEYS[] = { "head", "monitor", "w", "h", "hz", "vrr_hz", NULL };
static const char *const CLIENT_KEYS[] = { "type", "id", "name", "pid", "prio", "engine",
					   "inflight", "late", "head", "sync", "gpu", "managed", NULL };
static const char *const WORK_KEYS[] = { "engine", "cost_ns", "cycles", "clock_mhz", "bytes",
					 "dir", "host_mem", "recorded_ns", NULL };
static const char *const JOB_KEYS[] = { "type", "client", "id", "t_ns", "after_prev_ns",
					"engine", "cost_ns", "cycles", "clock_mhz", "bytes",
					"dir", "host_mem", "recorded_ns", "deps", "mem", NULL };
static const char *const BUF_KEYS[] = { "id", "bytes", NULL };
static const char *const RANGE_KEYS[] = { "buf", "offset", "bytes", "op", NULL };
static const char *const RANGE_OPS[] = { "read", "write", NULL };
static const char *const FRAME_KEYS[] = { "type", "client", "id", "wait", "cpu_ns", "jobs",
					  NULL };
static const char *const REQ_HEAD[] = { "head", NULL };
static const char *const REQ_CLIENT[] = { "type", "id", "name", NULL };
static const char *const REQ_REC[] = { "type", "client", "id", NULL };

static int check_header(struct chk *c, const struct jv *o, struct nvgt_trace *t)
{
	const struct jv *v;
	int64_t x;
	size_t i;

	snprintf(c->where, sizeof(c->where), "header");
	if (o->t != J_OBJ)
		return cerr(c, "not a JSON object");
	v = get(o, "nvgtrace");
	if (!v)
		return cerr(c, "missing key 'nvgtrace' (the first line must be the header, "
			    "{\"nvgtrace\": %d, ...})", NVGT_VERSION);
	if (v->t != J_INT || v->i != NVGT_VERSION)
		return cerr(c, "key 'nvgtrace': version %s is not supported (this reader knows %d)",
			    show(v), NVGT_VERSION);
	if (check_keys(c, o, HEADER_KEYS, NULL))
		return -1;
	v = get(o, "name");
	if (v) {
		bool ok = v->t == J_STR && v->s[0] && strlen(v->s) <= 200;

		/* 1-200 printable characters (code points; bytes here bound it) */
		for (i = 0; ok && v->s[i]; i++)
			ok = (unsigned char)v->s[i] >= 0x20;
		if (ok) {
			size_t cps = 0;

			for (i = 0; v->s[i]; i++)
				cps += ((unsigned char)v->s[i] & 0xc0) != 0x80;
			ok = cps <= 200;
		}
		if (!ok || strlen(v->s) >= sizeof(t->name))
			return cerr(c, "key 'name': %s is not a string of 1-200 printable characters",
				    show(v));
		snprintf(t->name, sizeof(t->name), "%s", v->s);
	}
	if (get(o, "duration_ns")) {
		if (get_int(c, o, "duration_ns", 1, U63, "", &t->duration_ns))
			return -1;
	}
	if (get(o, "clock_mhz") && get_int(c, o, "clock_mhz", 1, 100000, "", &t->clock_mhz))
		return -1;
	v = get(o, "source");
	if (v && v->t != J_OBJ)
		return cerr(c, "key 'source' is not a JSON object");
	v = get(o, "device");
	if (!v)
		return 0;
	snprintf(c->where, sizeof(c->where), "header: device");
	if (v->t != J_OBJ)
		return cerr(c, "not a JSON object");
	if (check_keys(c, v, DEVICE_KEYS, NULL))
		return -1;
	if (get(v, "chip")) {
		const struct jv *s = get(v, "chip");
		bool ok = s->t == J_STR && s->s[0] && strlen(s->s) <= 15;

		for (i = 0; ok && s->s[i]; i++)
			ok = (s->s[i] >= 'a' && s->s[i] <= 'z') || (s->s[i] >= '0' && s->s[i] <= '9');
		if (!ok)
			return cerr(c, "key 'chip': %s is not a chip name (lower-case letters and digits)",
				    show(s));
		snprintf(t->chip, sizeof(t->chip), "%s", s->s);
	}
	if (get(v, "pstate")) {
		if (get_int(c, v, "pstate", 0, 31, "", &x))
			return -1;
		t->pstate = (int)x;
	}
	if (get(v, "uvm_vram_mb") &&
	    get_int(c, v, "uvm_vram_mb", 0, 1048576, " (MiB)", &t->uvm_vram_mb))
		return -1;
	if (get(v, "temp_c")) {
		if (get_int(c, v, "temp_c", -40, 150, " (degrees Celsius)", &x))
			return -1;
		t->has_temp = true;
		t->temp_c = (int)x;
	}
	if (get(v, "heads")) {
		const struct jv *hs = get(v, "heads");

		if (hs->t != J_ARR)
			return cerr(c, "key 'heads' is not a list");
		for (i = 0; i < hs->n; i++) {
			const struct jv *h = &hs->v[i];
			struct nvgt_head *hd;
			int m;

			snprintf(c->where, sizeof(c->where), "header: device: heads[%zu]", i);
			if (h->t != J_OBJ)
				return cerr(c, "not a JSON object");
			if (check_keys(c, h, HEAD_KEYS, REQ_HEAD) ||
			    get_int(c, h, "head", 0, NVGT_MAX_HEADS - 1, "", &x))
				return -1;
			hd = &t->heads[x];
			if (hd->set)
				return cerr(c, "head %d is set up twice", (int)x);
			hd->set = true;
			if (get(h, "monitor")) {
				if (get_enum(c, h, "monitor", MONITORS, &m))
					return -1;
				hd->monitor = (enum nvgt_monitor)m;
			}
			if (get(h, "w") && get_int(c, h, "w", 1, 16384, "", &x))
				return -1;
			hd->w = get(h, "w") ? (int)x : 0;
			if (get(h, "h") && get_int(c, h, "h", 1, 16384, "", &x))
				return -1;
			hd->h = get(h, "h") ? (int)x : 0;
			if (get(h, "hz") && get_int(c, h, "hz", 1, 1000, "", &x))
				return -1;
			hd->hz = get(h, "hz") ? (int)x : 0;
			if ((get(h, "w") || get(h, "h")) &&
			    !(get(h, "w") && get(h, "h") && get(h, "hz")))
				return cerr(c, "a mode needs 'w', 'h' and 'hz' together (or 'hz' alone)");
			if (get(h, "vrr_hz")) {
				const struct jv *r = get(h, "vrr_hz");

				if (r->t != J_ARR || r->n != 2 || r->v[0].t != J_INT ||
				    r->v[1].t != J_INT || !(1 <= r->v[0].i && r->v[0].i < r->v[1].i &&
							    r->v[1].i <= 1000))
				{
					char shown[64];

					if (r->t == J_ARR && r->n == 2)
						snprintf(shown, sizeof(shown), "[%.20s, %.20s]",
							 show(&r->v[0]), show(&r->v[1]));
					else
						snprintf(shown, sizeof(shown), "%s", show(r));
					return cerr(c, "key 'vrr_hz': %s is not [min, max] with 1 <= min < max <= 1000",
						    shown);
				}
				hd->vrr_min = (int)r->v[0].i;
				hd->vrr_max = (int)r->v[1].i;
			}
			if (hd->monitor == NVGT_MON_OFF && h->n > 2)
				return cerr(c, "an unplugged head ('monitor': 'off') takes no mode or range");
		}
	}
	return 0;
}

static int check_work(struct chk *c, const struct jv *o, enum nvgt_engine engine,
		      struct nvgt_work *w, bool mem)
{
	static const char *const copy_only[] = { "bytes", "dir", "host_mem", "recorded_ns", NULL };
	static const char *const compute_only[] = { "cost_ns", "cycles", "clock_mhz", NULL };
	int64_t x;
	size_t i;
	int e;

	memset(w, 0, sizeof(*w));
	w->engine = engine;
	w->recorded_ns = -1;
	if (engine == NVGT_COMPUTE) {
		for (i = 0; copy_only[i]; i++)
			if (get(o, copy_only[i]))
				return cerr(c, "key '%s' is for copy jobs; this job is on the compute engine",
					    copy_only[i]);
		if (get(o, "cost_ns") && get(o, "cycles"))
			return cerr(c, "a compute job has exactly one of 'cost_ns' and 'cycles'");
		if (!get(o, "cost_ns") && !get(o, "cycles")) {
			/* a memory job's time is its ranges' (plus this, if given) */
			if (!mem)
				return cerr(c, "a compute job has exactly one of 'cost_ns' and 'cycles'");
			if (get(o, "clock_mhz"))
				return cerr(c, "key 'clock_mhz' goes with 'cost_ns'");
			return 0;
		}
		if (get(o, "cost_ns")) {
			const struct jv *v = get(o, "cost_ns");

			if (v->t == J_INT && v->i < 0)
				return cerr(c, "key 'cost_ns': negative cost %" PRId64, v->i);
			if (get_int(c, o, "cost_ns", 0, U63, " (nanoseconds)", &w->cost_ns))
				return -1;
		} else {
			const struct jv *v = get(o, "cycles");

			if (v->t == J_INT && v->i < 0)
				return cerr(c, "key 'cycles': negative cost %" PRId64, v->i);
			if (get_int(c, o, "cycles", 0, U63, "", &w->cycles))
				return -1;
			w->has_cycles = true;
			if (get(o, "clock_mhz"))
				return cerr(c, "key 'clock_mhz' goes with 'cost_ns', not 'cycles'");
		}
		if (get(o, "clock_mhz") && get_int(c, o, "clock_mhz", 1, 100000, "", &w->clock_mhz))
			return -1;
		return 0;
	}
	for (i = 0; compute_only[i]; i++)
		if (get(o, compute_only[i]))
			return cerr(c, "key '%s' is for compute jobs; a copy's time follows from 'bytes'",
				    compute_only[i]);
	if (!get(o, "bytes"))
		return cerr(c, "missing key 'bytes' (a copy job has 'bytes' and 'dir')");
	if (!get(o, "dir"))
		return cerr(c, "missing key 'dir' (a copy job has 'bytes' and 'dir')");
	if (get(o, "bytes")->t == J_INT && get(o, "bytes")->i < 0)
		return cerr(c, "key 'bytes': negative size %" PRId64, get(o, "bytes")->i);
	if (get_int(c, o, "bytes", 0, U63, "", &w->bytes) || get_enum(c, o, "dir", DIRS, &e))
		return -1;
	w->dir = (enum nvgt_dir)e;
	if (get(o, "host_mem")) {
		if (get_enum(c, o, "host_mem", HOST_MEMS, &e))
			return -1;
		w->host_mem = (enum nvgt_host_mem)(e + 1);
		if (w->dir != NVGT_H2D && w->dir != NVGT_D2H)
			return cerr(c, "key 'host_mem' is for h2d and d2h copies, not %s",
				    DIRS[w->dir]);
	}
	if (get(o, "recorded_ns")) {
		if (get_int(c, o, "recorded_ns", 0, U63, " (nanoseconds)", &x))
			return -1;
		w->recorded_ns = x;
	}
	return 0;
}

static struct nvgt_client *find_client(struct nvgt_trace *t, int64_t id)
{
	size_t i;

	for (i = 0; i < t->nclients; i++)
		if (t->clients[i].id == id)
			return &t->clients[i];
	return NULL;
}

/* A client's "managed": its managed buffers, [{"id": N, "bytes": N}, ...]. */
static int check_managed(struct chk *c, const struct jv *v, struct nvgt_client *cl)
{
	char base[96];
	size_t i;
	int k;

	if (v->t != J_ARR || !v->n || v->n > NVGT_MAX_BUFS)
		return cerr(c, "key 'managed' is not a list of 1-%d buffers", NVGT_MAX_BUFS);
	snprintf(base, sizeof(base), "%s", c->where);
	for (i = 0; i < v->n; i++) {
		const struct jv *b = &v->v[i];
		int64_t id, bytes;

		snprintf(c->where, sizeof(c->where), "%.60s: managed[%zu]", base, i);
		if (b->t != J_OBJ)
			return cerr(c, "not a JSON object");
		if (check_keys(c, b, BUF_KEYS, BUF_KEYS) ||
		    get_int(c, b, "id", 1, U31, "", &id) ||
		    get_int(c, b, "bytes", 1, 1LL << 40, " (bytes)", &bytes))
			return -1;
		for (k = 0; k < cl->nbufs; k++)
			if (cl->bufs[k].id == id)
				return cerr(c, "buffer id %" PRId64 " is defined twice", id);
		cl->bufs[cl->nbufs].id = (int32_t)id;
		cl->bufs[cl->nbufs++].bytes = bytes;
	}
	snprintf(c->where, sizeof(c->where), "%s", base);
	return 0;
}

static int check_client(struct chk *c, const struct jv *o, struct nvgt_trace *t)
{
	struct nvgt_client *cl, *nc;
	const struct jv *v;
	int64_t x, id;
	size_t i;
	int e;

	snprintf(c->where, sizeof(c->where), "client");
	if (!get(o, "id"))
		return cerr(c, "missing key 'id'");
	if (get_int(c, o, "id", 1, U31, "", &id))
		return -1;
	snprintf(c->where, sizeof(c->where), "client %" PRId64, id);
	if (check_keys(c, o, CLIENT_KEYS, REQ_CLIENT))
		return -1;
	if (find_client(t, id))
		return cerr(c, "client id %" PRId64 " is defined twice", id);
	v = get(o, "name");
	{
		bool ok = v->t == J_STR && v->s[0] && strlen(v->s) <= 31;

		for (i = 0; ok && v->s[i]; i++)
			ok = name_char(v->s[i]);
		if (!ok)
			return cerr(c, "key 'name': %s is not 1-31 characters of [A-Za-z0-9_.-]",
				    show(v));
	}
	for (i = 0; i < t->nclients; i++)
		if (!strcmp(t->clients[i].name, v->s))
			return cerr(c, "two clients are named '%s'", v->s);
	nc = realloc(t->clients, (t->nclients + 1) * sizeof(*nc));
	if (!nc)
		return cerr(c, "out of memory");
	t->clients = nc;
	cl = &t->clients[t->nclients];
	memset(cl, 0, sizeof(*cl));
	cl->id = (int32_t)id;
	snprintf(cl->name, sizeof(cl->name), "%s", v->s);
	cl->prio = NVGT_PRIO_NORMAL;
	cl->head = -1;
	if (get(o, "pid") && get_int(c, o, "pid", 1, U31, "", &cl->pid))
		return -1;
	if (get(o, "prio")) {
		if (get_enum(c, o, "prio", PRIOS, &e))
			return -1;
		cl->prio = (enum nvgt_prio)e;
	}
	if (get(o, "engine")) {
		if (get_enum(c, o, "engine", ENGINES, &e))
			return -1;
		cl->engine = (enum nvgt_engine)e;
	}
	if (get(o, "inflight")) {
		if (get_int(c, o, "inflight", 1, 64, "", &x))
			return -1;
		cl->inflight = (int)x;
	}
	if (get(o, "late")) {
		if (get_enum(c, o, "late", LATES, &e))
			return -1;
		cl->late = (enum nvgt_late)e;
	}
	if (get(o, "gpu")) {
		if (get_int(c, o, "gpu", 0, NVGT_MAX_GPUS - 1, "", &x))
			return -1;
		cl->gpu = (int)x;
	}
	if (!!get(o, "head") != !!get(o, "sync"))
		return cerr(c, "a game client has both 'head' and 'sync'");
	if (get(o, "head")) {
		if (get_int(c, o, "head", 0, NVGT_MAX_HEADS - 1, "", &x) ||
		    get_enum(c, o, "sync", SYNCS, &e))
			return -1;
		if (get(o, "inflight"))
			return cerr(c, "key 'inflight' is for job clients, not a game (one with 'head')");
		if (get(o, "late"))
			return cerr(c, "key 'late' is for job clients, not a game (one with 'head')");
		if (cl->engine != NVGT_COMPUTE)
			return cerr(c, "a game renders on the compute engine");
		for (i = 0; i < t->nclients; i++)
			if (t->clients[i].head == x)
				return cerr(c, "head %d already has a game (client %d)", (int)x,
					    t->clients[i].id);
		if (t->heads[x].set && t->heads[x].monitor == NVGT_MON_OFF)
			return cerr(c, "head %d has no monitor (device.heads says 'off')", (int)x);
		cl->head = (int)x;
		cl->sync = (enum nvgt_sync)(e + 1);
		if (get(o, "managed"))
			return cerr(c, "key 'managed' is for job clients, not a game (one with 'head')");
	}
	if (get(o, "managed") && check_managed(c, get(o, "managed"), cl))
		return -1;
	t->nclients++;
	return 0;
}

/* A job's "mem": a list of ranges of the client's managed buffers. */
static int check_mem(struct chk *c, const struct jv *v, struct nvgt_client *cl,
		     struct nvgt_job *j)
{
	char base[96];
	size_t i;
	int k;

	if (v->t != J_ARR || !v->n || v->n > NVGT_MAX_RANGES)
		return cerr(c, "key 'mem' is not a list of 1-%d ranges", NVGT_MAX_RANGES);
	if (!cl->nbufs)
		return cerr(c, "key 'mem': client %d has no managed buffers (its key 'managed')",
			    cl->id);
	j->mem = calloc(v->n, sizeof(*j->mem));
	if (!j->mem)
		return cerr(c, "out of memory");
	snprintf(base, sizeof(base), "%s", c->where);
	for (i = 0; i < v->n; i++) {
		const struct jv *r = &v->v[i];
		struct nvgt_range *m = &j->mem[i];
		int64_t id, size;
		int op;

		snprintf(c->where, sizeof(c->where), "%.60s: mem[%zu]", base, i);
		if (r->t != J_OBJ)
			return cerr(c, "not a JSON object");
		if (check_keys(c, r, RANGE_KEYS, RANGE_KEYS) ||
		    get_int(c, r, "buf", 1, U31, "", &id) ||
		    get_int(c, r, "offset", 0, U63, " (bytes)", &m->offset) ||
		    get_int(c, r, "bytes", 1, UINT32_MAX, " (bytes)", &m->bytes) ||
		    get_enum(c, r, "op", RANGE_OPS, &op))
			return -1;
		for (k = 0; k < cl->nbufs && cl->bufs[k].id != id; k++)
			;
		if (k == cl->nbufs)
			return cerr(c, "key 'buf': %" PRId64 " is not a managed buffer of client %d",
				    id, cl->id);
		size = cl->bufs[k].bytes;
		if (m->offset > size || m->bytes > size - m->offset)
			return cerr(c, "offset %" PRId64 " + bytes %" PRId64 " is past the end of buffer %" PRId64 " (%" PRId64 " bytes)",
				    m->offset, m->bytes, id, size);
		if (op == 1 && ((m->offset | m->bytes) & 3))
			return cerr(c, "a write fills 32-bit words: offset and bytes are multiples of 4");
		m->buf = k;
		m->write = op == 1;
		j->nmem++;
	}
	snprintf(c->where, sizeof(c->where), "%s", base);
	return 0;
}

static int check_job(struct chk *c, const struct jv *o, struct nvgt_client *cl, int32_t jid,
		     unsigned int line)
{
	struct nvgt_job *j;
	const struct jv *v;
	int e = cl->engine;

	if (!!get(o, "t_ns") == !!get(o, "after_prev_ns"))
		return cerr(c, "a job has exactly one of 't_ns' and 'after_prev_ns'");
	if (cl->njobs == cl->cap_jobs) {
		size_t nc = cl->cap_jobs ? cl->cap_jobs * 2 : 64;
		struct nvgt_job *nj = realloc(cl->jobs, nc * sizeof(*nj));

		if (!nj)
			return cerr(c, "out of memory");
		cl->jobs = nj;
		cl->cap_jobs = nc;
	}
	j = &cl->jobs[cl->njobs];
	memset(j, 0, sizeof(*j));
	j->id = jid;
	j->line = line;
	j->t_ns = -1;
	j->after_prev_ns = -1;
	if (get(o, "t_ns")) {
		if (get_int(c, o, "t_ns", 0, U63, " (nanoseconds)", &j->t_ns))
			return -1;
		if (j->t_ns < cl->last_t)
			return cerr(c, "t_ns %" PRId64 " is before the client's previous job's %" PRId64,
				    j->t_ns, cl->last_t);
	} else {
		if (get_int(c, o, "after_prev_ns", 0, U63, " (nanoseconds)", &j->after_prev_ns))
			return -1;
		if (!cl->njobs)
			return cerr(c, "the client's first job needs 't_ns' (there is no previous job)");
	}
	if (get(o, "engine") && get_enum(c, o, "engine", ENGINES, &e))
		return -1;
	if (get(o, "mem") && e != NVGT_COMPUTE)
		return cerr(c, "key 'mem' is for compute jobs (CHECKSUM and FILL); this job is on the copy engine");
	if (check_work(c, o, (enum nvgt_engine)e, &j->w, !!get(o, "mem")))
		return -1;
	v = get(o, "deps");
	if (v) {
		size_t i, k;

		if (v->t != J_ARR || !v->n)
			return cerr(c, "key 'deps' is not a non-empty list of job ids");
		j->deps = calloc(v->n, sizeof(*j->deps));
		if (!j->deps)
			return cerr(c, "out of memory");
		for (i = 0; i < v->n; i++) {
			const struct jv *d = &v->v[i];
			size_t lo = 0, hi = cl->njobs;

			if (d->t != J_INT) {
				free(j->deps);
				j->deps = NULL;
				return cerr(c, "key 'deps': %s is not a job id", show(d));
			}
			for (k = 0; k < i; k++)
				if (v->v[k].i == d->i) {
					free(j->deps);
					j->deps = NULL;
					return cerr(c, "key 'deps': job %" PRId64 " is listed twice", d->i);
				}
			/* ids increase within the client: binary search */
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;

				if (cl->jobs[mid].id < d->i)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo == cl->njobs || cl->jobs[lo].id != d->i) {
				free(j->deps);
				j->deps = NULL;
				return cerr(c, "key 'deps': job %" PRId64 " is not an earlier job of client %d",
					    d->i, cl->id);
			}
			j->deps[i] = lo;
		}
		j->ndeps = v->n;
	}
	/* last: nothing after it fails, so that it frees what it took */
	if (get(o, "mem") && check_mem(c, get(o, "mem"), cl, j)) {
		free(j->mem);
		j->mem = NULL;
		free(j->deps);
		j->deps = NULL;
		return -1;
	}
	if (j->t_ns >= 0)
		cl->last_t = j->t_ns;
	cl->njobs++;
	return 0;
}

static int check_frame(struct chk *c, const struct jv *o, struct nvgt_client *cl, int32_t fid,
		       unsigned int line)
{
	const struct jv *v;
	struct nvgt_frame *f;
	char base[96];
	int64_t x;
	size_t i;

	if (cl->nframes == cl->cap_frames) {
		size_t nc = cl->cap_frames ? cl->cap_frames * 2 : 64;
		struct nvgt_frame *nf = realloc(cl->frames, nc * sizeof(*nf));

		if (!nf)
			return cerr(c, "out of memory");
		cl->frames = nf;
		cl->cap_frames = nc;
	}
	f = &cl->frames[cl->nframes];
	memset(f, 0, sizeof(*f));
	f->id = fid;
	f->line = line;
	v = get(o, "wait");
	if (v) {
		if (v->t != J_BOOL)
			return cerr(c, "key 'wait': %s is not true or false", show(v));
		f->wait = v->b;
	}
	if (get(o, "cpu_ns")) {
		if (get_int(c, o, "cpu_ns", 0, U63, " (nanoseconds)", &x))
			return -1;
		f->cpu_ns = x;
	}
	v = get(o, "jobs");
	if (v) {
		if (v->t != J_ARR)
			return cerr(c, "key 'jobs' is not a list");
		f->jobs = calloc(v->n ? v->n : 1, sizeof(*f->jobs));
		if (!f->jobs)
			return cerr(c, "out of memory");
		snprintf(base, sizeof(base), "%s", c->where);
		for (i = 0; i < v->n; i++) {
			const struct jv *jo = &v->v[i];
			int e = NVGT_COMPUTE;

			snprintf(c->where, sizeof(c->where), "%.60s: jobs[%zu]", base, (size_t)(i & 0xffff));
			if (jo->t != J_OBJ)
				goto bad;
			if (check_keys(c, jo, WORK_KEYS, NULL))
				goto bad_quiet;
			if (get(jo, "engine") && get_enum(c, jo, "engine", ENGINES, &e))
				goto bad_quiet;
			if (check_work(c, jo, (enum nvgt_engine)e, &f->jobs[i], false))
				goto bad_quiet;
			f->njobs++;
		}
	}
	cl->nframes++;
	return 0;
bad:
	cerr(c, "not a JSON object");
bad_quiet:
	free(f->jobs);
	f->jobs = NULL;
	return -1;
}

static int check_record(struct chk *c, const struct jv *o, struct nvgt_trace *t, unsigned int line)
{
	const struct jv *ty;
	struct nvgt_client *cl;
	int64_t cid, jid;
	bool job;

	c->where[0] = '\0';
	if (o->t != J_OBJ)
		return cerr(c, "not a JSON object");
	if (get(o, "nvgtrace"))
		return cerr(c, "a second header (only the first line is the header)");
	ty = get(o, "type");
	if (!ty)
		return cerr(c, "missing key 'type'");
	if (ty->t == J_STR && !strcmp(ty->s, "client"))
		return check_client(c, o, t);
	if (ty->t != J_STR || (strcmp(ty->s, "job") && strcmp(ty->s, "frame")))
		return cerr(c, "key 'type': %s is not client, job or frame", show(ty));
	job = !strcmp(ty->s, "job");
	snprintf(c->where, sizeof(c->where), "%s", ty->s);
	if (!get(o, "client"))
		return cerr(c, "missing key 'client'");
	if (!get(o, "id"))
		return cerr(c, "missing key 'id'");
	if (get_int(c, o, "client", 1, U31, "", &cid) || get_int(c, o, "id", 1, U31, "", &jid))
		return -1;
	snprintf(c->where, sizeof(c->where), "client %" PRId64 " %s %" PRId64, cid, ty->s, jid);
	if (check_keys(c, o, job ? JOB_KEYS : FRAME_KEYS, REQ_REC))
		return -1;
	cl = find_client(t, cid);
	if (!cl)
		return cerr(c, "client %" PRId64 " is not defined (a client record must come first)",
			    cid);
	if (cl->head >= 0 && job)
		return cerr(c, "client %" PRId64 " is a game: its work is in frame records", cid);
	if (cl->head < 0 && !job)
		return cerr(c, "client %" PRId64 " is not a game (no 'head'): frames need one", cid);
	if (jid <= cl->last_id)
		return cerr(c, "id %" PRId64 " is not above the client's previous id %d", jid,
			    cl->last_id);
	if (job ? check_job(c, o, cl, (int32_t)jid, line) :
		  check_frame(c, o, cl, (int32_t)jid, line))
		return -1;
	cl->last_id = (int32_t)jid;
	return 0;
}

int nvgt_parse_buf(const char *buf, size_t len, const char *name, struct nvgt_trace *t,
		   char *err, size_t errlen)
{
	struct chk c = { .err = err, .errlen = errlen };
	const char *p = buf, *end = buf + len;
	char msg[400];
	unsigned int line = 0;
	int ret = 0;

	memset(t, 0, sizeof(*t));
	t->duration_ns = -1;
	t->pstate = -1;
	t->uvm_vram_mb = -1;
	for (int h = 0; h < NVGT_MAX_HEADS; h++)
		t->heads[h].monitor = NVGT_MON_DEFAULT;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct parser ps;
		struct jv v;

		line++;
		msg[0] = '\0';
		if (!nl) {
			snprintf(msg, sizeof(msg),
				 "the line does not end with a newline (truncated file?)");
			goto bad;
		}
		if (!utf8_ok((const unsigned char *)p, (size_t)(nl - p))) {
			snprintf(msg, sizeof(msg), "not UTF-8 text");
			goto bad;
		}
		ps.p = p;
		ps.end = nl;
		skip_ws(&ps);
		if (ps.p == nl) {
			snprintf(msg, sizeof(msg), "empty line");
			goto bad;
		}
		if (memchr(p, '\0', (size_t)(nl - p))) {
			snprintf(msg, sizeof(msg), "not valid JSON: a NUL byte");
			goto bad;
		}
		ps.msg[0] = '\0';
		if (parse_value(&ps, &v, 0)) {
			jv_free(&v);
			/* a duplicate key is the format's rule, not a syntax error */
			if (!strncmp(ps.msg, "key '", 5))
				snprintf(msg, sizeof(msg), "%s", ps.msg);
			else
				snprintf(msg, sizeof(msg), "not valid JSON: %s (column %d)", ps.msg,
					 (int)(ps.p - p) + 1);
			goto bad;
		}
		skip_ws(&ps);
		if (ps.p != nl) {
			jv_free(&v);
			snprintf(msg, sizeof(msg), "not valid JSON: extra data after the value (column %d)",
				 (int)(ps.p - p) + 1);
			goto bad;
		}
		ret = line == 1 ? check_header(&c, &v, t) : check_record(&c, &v, t, line);
		jv_free(&v);
		if (ret) {
			snprintf(msg, sizeof(msg), "%s", err);
			goto bad;
		}
		p = nl + 1;
	}
	if (!line) {
		snprintf(err, errlen, "%s: empty (the first line must be the header)", name);
		nvgt_free(t);
		return -1;
	}
	t->lines = line;
	return 0;
bad:
	snprintf(err, errlen, "%s:%u: %s", name, line, msg);
	nvgt_free(t);
	return -1;
}

static int read_all(const char *path, char **out, size_t *outlen, char *err, size_t errlen)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	unsigned char magic[2] = { 0, 0 };
	size_t len = 0, cap = 0;
	char *buf = NULL;
	gzFile gz;
	FILE *f;
	int n;

	f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: cannot read: %s", base, strerror(errno));
		return -1;
	}
	n = (int)fread(magic, 1, 2, f);
	fclose(f);
	if (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
		gz = gzopen(path, "rb");
		if (!gz) {
			snprintf(err, errlen, "%s: cannot read: %s", base, strerror(errno));
			return -1;
		}
		for (;;) {
			if (cap - len < 65536) {
				char *nb = realloc(buf, cap ? cap * 2 : 1 << 20);

				if (!nb) {
					gzclose(gz);
					free(buf);
					snprintf(err, errlen, "%s: out of memory", base);
					return -1;
				}
				buf = nb;
				cap = cap ? cap * 2 : 1 << 20;
			}
			n = gzread(gz, buf + len, (unsigned int)(cap - len));
			if (n < 0) {
				int e;

				snprintf(err, errlen, "%s: cannot read: %s (truncated?)", base,
					 gzerror(gz, &e));
				gzclose(gz);
				free(buf);
				return -1;
			}
			if (!n)
				break;
			len += (size_t)n;
		}
		/* gzread stops quietly at a truncated stream; gzclose says so. */
		if (gzclose(gz) != Z_OK) {
			snprintf(err, errlen, "%s: cannot read: compressed data is truncated or corrupt",
				 base);
			free(buf);
			return -1;
		}
	} else {
		f = fopen(path, "rb");
		if (!f) {
			snprintf(err, errlen, "%s: cannot read: %s", base, strerror(errno));
			return -1;
		}
		for (;;) {
			size_t r;

			if (cap - len < 65536) {
				char *nb = realloc(buf, cap ? cap * 2 : 1 << 20);

				if (!nb) {
					fclose(f);
					free(buf);
					snprintf(err, errlen, "%s: out of memory", base);
					return -1;
				}
				buf = nb;
				cap = cap ? cap * 2 : 1 << 20;
			}
			r = fread(buf + len, 1, cap - len, f);
			len += r;
			if (r == 0)
				break;
		}
		if (ferror(f)) {
			snprintf(err, errlen, "%s: cannot read: %s", base, strerror(errno));
			fclose(f);
			free(buf);
			return -1;
		}
		fclose(f);
	}
	*out = buf;
	*outlen = len;
	return 0;
}

int nvgt_parse_file(const char *path, struct nvgt_trace *t, char *err, size_t errlen)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t len;
	char *buf;
	int ret;

	memset(t, 0, sizeof(*t));
	if (read_all(path, &buf, &len, err, errlen))
		return -1;
	ret = nvgt_parse_buf(buf ? buf : "", len, base, t, err, errlen);
	free(buf);
	return ret;
}

void nvgt_free(struct nvgt_trace *t)
{
	size_t i, k;

	for (i = 0; i < t->nclients; i++) {
		struct nvgt_client *cl = &t->clients[i];

		for (k = 0; k < cl->njobs; k++) {
			free(cl->jobs[k].deps);
			free(cl->jobs[k].mem);
		}
		for (k = 0; k < cl->nframes; k++)
			free(cl->frames[k].jobs);
		free(cl->jobs);
		free(cl->frames);
	}
	free(t->clients);
	memset(t, 0, sizeof(*t));
}

const char *nvgt_engine_name(enum nvgt_engine e)
{
	return ENGINES[e == NVGT_COPY];
}

const char *nvgt_prio_name(enum nvgt_prio p)
{
	return p <= NVGT_PRIO_HIGH ? PRIOS[p] : "?";
}

const char *nvgt_dir_name(enum nvgt_dir d)
{
	return d <= NVGT_FILL ? DIRS[d] : "?";
}

const char *nvgt_monitor_name(enum nvgt_monitor m)
{
	return m >= 0 && m <= NVGT_MON_OFF ? MONITORS[m] : "default";
}
