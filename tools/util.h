/* SPDX-License-Identifier: MIT */
/*
 * util.h - the few helpers every nvghost command-line tool needs, written
 * once: fail with a message, the monotonic clock, a sysfs/debugfs write.
 *
 * A tool that includes it defines `static const char *prog` (its name, the
 * prefix of every message) before the include.
 */
#ifndef NVG_TOOLS_UTIL_H
#define NVG_TOOLS_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Print "PROG: MESSAGE" on stderr and exit with @status. */
static inline void __attribute__((noreturn, format(printf, 2, 3)))
die(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

/* CLOCK_MONOTONIC in nanoseconds. */
static inline uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Write @val to the file @path (a sysfs or debugfs knob). 0 or -errno. */
static inline int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_TRUNC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n < 0 ? -errno : 0;
}

#endif /* NVG_TOOLS_UTIL_H */
