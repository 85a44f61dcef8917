/*
 * test_pkg_dpkg.c — dpkg's status file parser (states kept and skipped,
 * truncation, garbage) and the dates of dpkg.log and apt's history.log.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "testutil.h"
#include "agent/pkg.h"

static const char status[] =
    "Package: bash\n"
    "Status: install ok installed\n"
    "Maintainer: Matthias Klose <doko@debian.org>\n"
    "Architecture: amd64\n"
    "Version: 5.2.15-2+b7\n"
    "Description: GNU Bourne Again SHell\n"
    " Bash is an sh-compatible command language interpreter.\n"
    "\n"
    "Package: libc6\n"
    "Status: install ok installed\n"
    "Architecture: i386\n"
    "Multi-Arch: same\n"
    "Version: 2.36-9\n"
    "\n"
    "Package: libc6\n"
    "Status: install ok half-configured\n"
    "Architecture: amd64\n"
    "Version: 2.36-9\n"
    "\n"
    "Package: exim4-base\n"
    "Status: deinstall ok config-files\n"
    "Architecture: amd64\n"
    "Version: 4.96-15\n"
    "\n"
    "Package: gone\n"
    "Status: purge ok not-installed\n"
    "Architecture: amd64\n"
    "\n";

static void
test_status(void **state)
{
	struct pkg_set set;
	struct pkg_err err;
	struct pkg_inst *p;
	size_t n = 0;

	(void)state;
	pkg_set_init(&set);
	assert_int_equal(pkg_dpkg_parse_status(status, strlen(status), &set,
	    &err), 0);
	assert_int_equal(set.n, 3);
	pkg_set_sort(&set);
	p = pkg_set_find(&set, "libc6", 5, &n);
	assert_non_null(p);
	assert_int_equal(n, 2);
	assert_string_equal(p[0].arch, "amd64");
	assert_string_equal(p[0].state, "half-configured");
	assert_string_equal(p[1].arch, "i386");
	p = pkg_set_find(&set, "bash", 4, &n);
	assert_string_equal(p->vendor, "Matthias Klose <doko@debian.org>");
	assert_string_equal(p->version, "5.2.15-2+b7");
	assert_null(pkg_set_find(&set, "exim4-base", 10, NULL));
	assert_null(pkg_set_find(&set, "gone", 4, NULL));
	assert_null(pkg_set_find(&set, "bas", 3, NULL));
	pkg_set_free(&set);
}

static void
test_status_bad(void **state)
{
	static const struct {
		const char *text;
		int line;
		const char *en;
	} cases[] = {
		{"Package: a\nStatus: install ok installed\nVersion: 1\n"
		    "Maintainer: Some", 4, "truncated inside a line"},
		{"Package: a\nStatus: install ok installed\nVersion: 1\n", 3,
		    "ends inside a stanza"},
		{"Package: a\nStatus: install ok\nVersion: 1\n\n", 1,
		    "three words"},
		{"Package: a\nStatus: install ok broken\nVersion: 1\n\n", 1,
		    "unknown package state"},
		{"Package: a\nStatus: install ok installed\n\n", 1,
		    "without a Version"},
		{"Status: install ok installed\nVersion: 1\n\n", 1,
		    "without a Package"},
		{"Package: a\ngarbage line\n\n", 2, "Field: value"},
		{" continued\n\n", 1, "continuation"},
		{"Package: a\nPackage: b\n\n", 2, "repeated"},
		{"Package: \xff\xfe\nStatus: install ok installed\n\n", 1,
		    "not UTF-8"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pkg_set set;
		struct pkg_err err = {0};

		pkg_set_init(&set);
		assert_int_equal(pkg_dpkg_parse_status(cases[i].text,
		    strlen(cases[i].text), &set, &err), -1);
		if (err.line != cases[i].line ||
		    strstr(err.en, cases[i].en) == NULL)
			fail_msg("case %zu: line %d: %s", i, err.line, err.en);
		assert_non_null(err.vi);
		pkg_set_free(&set);
	}
	{	/* NUL bytes */
		struct pkg_set set;
		struct pkg_err err;

		pkg_set_init(&set);
		assert_int_equal(pkg_dpkg_parse_status("Package: a\0\n\n", 13,
		    &set, &err), -1);
		pkg_set_free(&set);
	}
}

static void
test_logs(void **state)
{
	static const char dpkg_log[] =
	    "2025-01-02 03:04:05 startup archives unpack\n"
	    "2025-01-02 03:04:06 install foo:amd64 <none> 1.0\n"
	    "2025-03-01 00:00:00 upgrade bar:amd64 1.0 1.1\n"
	    "2025-04-01 00:00:00 status installed bar:amd64 1.1\n"
	    "2025-05-01 00:00:00 remove baz:amd64 1.0 <none>\n"
	    "garbage\n"
	    "2025-13-01 00:00:00 upgrade bad:amd64 1.0 1.1\n";
	static const char history[] =
	    "\nStart-Date: 2025-06-01  10:00:00\n"
	    "Commandline: apt-get upgrade\n"
	    "Upgrade: a:amd64 (1, 2)\n"
	    "End-Date: 2025-06-01  10:05:00\n"
	    "\nStart-Date: 2025-07-01  10:00:00\n"
	    "Remove: b:amd64 (1)\n"
	    "End-Date: 2025-07-01  10:01:00\n";

	(void)state;
	/* 2025-03-01T00:00:00Z */
	assert_int_equal(pkg_dpkg_log_last(dpkg_log, strlen(dpkg_log)),
	    1740787200LL);
	assert_int_equal(pkg_dpkg_log_last("", 0), -1);
	assert_int_equal(pkg_dpkg_log_last("startup\n", 8), -1);
	/* 2025-06-01T10:05:00Z; the removal does not count */
	assert_int_equal(pkg_dpkg_history_last(history, strlen(history)),
	    1748772300LL);
	assert_int_equal(pkg_dpkg_history_last("End-Date: x\n", 12), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_status_bad),
		cmocka_unit_test(test_logs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
