/*
 * fuzz_pkg_version.c — libFuzzer harness for dpkg and rpm version
 * comparison (pkg_version.c): the input is two versions separated by a
 * newline; the orders must be antisymmetric and reflexive.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/pkg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
fuzz_sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *a = malloc(size + 1), *b;

	if (a == NULL)
		return 0;
	memcpy(a, data, size);
	a[size] = '\0';
	b = strchr(a, '\n');
	if (b != NULL)
		*b++ = '\0';
	else
		b = a + strlen(a);
	if (fuzz_sign(pkg_version_cmp(a, b)) !=
	    -fuzz_sign(pkg_version_cmp(b, a)) || pkg_version_cmp(a, a) != 0)
		abort();
	if (fuzz_sign(pkg_rpmvercmp(a, b)) != -fuzz_sign(pkg_rpmvercmp(b, a)) ||
	    pkg_rpmvercmp(a, a) != 0)
		abort();
	free(a);
	return 0;
}
