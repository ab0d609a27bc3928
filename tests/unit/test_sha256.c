// SPDX-License-Identifier: GPL-2.0
/*
 * test_sha256.c - the decision log's hash (tools/sha256.c) against the
 * FIPS 180-4 examples and sha256sum's output for lengths around the
 * 55/56/64-byte padding boundaries, through both of its paths (the
 * portable rounds and, on a CPU with them, the SHA extensions').
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "../../tools/sha256.h"

static void check(const char *in, size_t len, const char *want)
{
	char out[65];

	sha256_hex(in, len, out);
	cr_expect(eq(str, out, (char *)want), "length %zu (%s)", len,
		  sha256_accelerated() ? "SHA extensions" : "portable");
	sha256_hex_portable(in, len, out);
	cr_expect(eq(str, out, (char *)want), "length %zu (portable)", len);
}

Test(sha256, fips_examples)
{
	check("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

Test(sha256, padding_boundaries)
{
	static const struct { size_t n; const char *want; } v[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
		{ 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
		{ 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
		{ 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
		{ 1000, "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3" },
	};
	char buf[1000];
	size_t i;

	memset(buf, 'a', sizeof(buf));
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		check(buf, v[i].n, v[i].want);
}

/* Every length up to 4 blocks and a 5 MB log's worth: both paths agree. */
Test(sha256, paths_agree)
{
	size_t big = 5 << 20, n;
	unsigned char *buf = malloc(big);
	char a[65], b[65];
	unsigned int x = 12345;

	cr_assert(buf != NULL, "malloc(%zu) failed", big);
	for (n = 0; n < big; n++) {
		x = x * 1103515245u + 12345u;
		buf[n] = (unsigned char)(x >> 16);
	}
	if (!sha256_accelerated())
		fprintf(stderr, "# test_sha256: this CPU has no SHA extensions: the portable path only\n");
	for (n = 0; n <= 256; n++) {
		sha256_hex(buf, n, a);
		sha256_hex_portable(buf, n, b);
		cr_expect(eq(str, a, b), "length %zu: got %s, the portable rounds %s", n, a, b);
	}
	sha256_hex(buf, big, a);
	sha256_hex_portable(buf, big, b);
	cr_expect(eq(str, a, b), "length %zu: got %s, the portable rounds %s", big, a, b);
	free(buf);
}
