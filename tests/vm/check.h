/* SPDX-License-Identifier: GPL-2.0 */
/*
 * check.h - the result lines of the VM selftests' C programs.
 *
 * Every check prints "PASS: name" or "FAIL: name: why", where why says what
 * was expected and what was seen (never empty); tests/vm/guest-run.sh
 * counts those lines, and a program's exit status is its number of
 * failures (main returns @failures). Included once, by the program's only
 * source file.
 */
#ifndef _NVG_TESTS_VM_CHECK_H_
#define _NVG_TESTS_VM_CHECK_H_

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int failures;

static inline void pass(const char *name)
{
	printf("PASS: %s\n", name);
}

/*
 * Every FAIL line says what was expected and what was seen: a message that
 * formats to nothing is itself reported as a bug in the test.
 */
static inline void __attribute__((format(printf, 2, 0)))
vfail(const char *name, const char *fmt, va_list ap)
{
	char why[1024];

	vsnprintf(why, sizeof(why), fmt ? fmt : "", ap);
	if (!why[0])
		snprintf(why, sizeof(why), "(the test gave no reason: a bug in the test, "
			 "which must say what it expected and saw)");
	printf("FAIL: %s: %s\n", name, why);
	failures++;
}

static inline void __attribute__((format(printf, 2, 3)))
fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(name, fmt, ap);
	va_end(ap);
}

/* PASS if @ok, else FAIL with the message @fmt formats. */
static inline void __attribute__((format(printf, 3, 4)))
result(const char *name, bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		pass(name);
		return;
	}
	va_start(ap, fmt);
	vfail(name, fmt, ap);
	va_end(ap);
}

/* PASS if @ok, else FAIL saying @why (what was expected, what was seen). */
static inline void check(const char *name, bool ok, const char *why)
{
	if (ok)
		pass(name);
	else
		fail(name, "%s", why ? why : "");
}

/* PASS if @got (0 or a negative errno) is -@want (0: success). */
static inline void expect_errno(const char *name, int got, int want)
{
	if (got == -want)
		pass(name);
	else
		fail(name, "got %s, expected %s", got ? strerror(-got) : "success",
		     want ? strerror(want) : "success");
}

#endif /* _NVG_TESTS_VM_CHECK_H_ */
