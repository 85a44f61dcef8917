/*
 * test_pkg_version.c — dpkg and rpm version ordering, from the cases in
 * tests/data/pkg/dpkg-versions.txt and rpm-versions.txt ("A op B" lines,
 * each checked in both directions), plus a few odd inputs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testutil.h"
#include "agent/pkg.h"
#include "lib/file.h"

static int
sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

/* Runs every case of a data file through cmp; returns the count. */
static int
run_cases(const char *rel, int (*cmp)(const char *, const char *))
{
	char *buf, *line, *save = NULL;
	size_t len;
	int n = 0, bad = 0;

	assert_int_equal(file_read_path(testutil_source(rel), 1 << 20, &buf,
	    &len), 0);
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char a[128], op[4], b[128];
		int want, got;

		if (line[0] == '#' || line[0] == '\0')
			continue;
		assert_int_equal(sscanf(line, "%127s %3s %127s", a, op, b), 3);
		want = op[0] == '<' ? -1 : op[0] == '>' ? 1 : 0;
		got = sign(cmp(a, b));
		if (got != want || sign(cmp(b, a)) != -want) {
			fprintf(stderr, "%s: %s %s %s gave %d\n", rel, a, op,
			    b, got);
			bad++;
		}
		n++;
	}
	free(buf);
	assert_int_equal(bad, 0);
	return n;
}

static void
test_dpkg_cases(void **state)
{
	(void)state;
	assert_true(run_cases("tests/data/pkg/dpkg-versions.txt",
	    pkg_version_cmp) >= 40);
}

static void
test_rpm_cases(void **state)
{
	(void)state;
	assert_true(run_cases("tests/data/pkg/rpm-versions.txt",
	    pkg_rpmvercmp) >= 20);
}

static void
test_odd_inputs(void **state)
{
	(void)state;
	/* empty, huge epochs, colons only: defined and antisymmetric */
	assert_int_equal(pkg_version_cmp("", ""), 0);
	assert_true(pkg_version_cmp("", "0.1") < 0);
	assert_true(pkg_version_cmp("99999999999999999999:1", "1:1") > 0);
	assert_int_equal(sign(pkg_version_cmp(":::", "::")),
	    -sign(pkg_version_cmp("::", ":::")));
	assert_int_equal(pkg_rpmvercmp("", ""), 0);
	assert_true(pkg_rpmvercmp("1", "") > 0);
	assert_true(pkg_rpmvercmp("...", "1") < 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg_cases),
		cmocka_unit_test(test_rpm_cases),
		cmocka_unit_test(test_odd_inputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
