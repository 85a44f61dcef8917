/*
 * test_serverconf.c — unit tests of src/server/serverconf.c: defaults,
 * durations and sizes, every bound refused with file:line:col, repeated
 * keys, the default file canhgac init writes (and that it is not
 * overwritten).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/file.h"
#include "server/serverconf.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/cg-test-sconf-XXXXXX");
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	char *p = file_join(dir, SERVERCONF_FILE);

	(void)state;
	unlink(p);
	free(p);
	return rmdir(dir);
}

static void
write_conf(const char *text)
{
	char *p = file_join(dir, SERVERCONF_FILE);

	unlink(p);
	assert_int_equal(file_write_atomic(p, text, strlen(text), 0640), 0);
	free(p);
}

/* Loads text; returns the status, err filled. */
static int
load(const char *text, struct serverconf *sc, char *err, size_t errlen)
{
	write_conf(text);
	return serverconf_load(dir, sc, err, errlen);
}

static void
test_defaults(void **state)
{
	struct serverconf sc;
	char err[512], *p;

	(void)state;
	assert_int_equal(load("# nothing\n", &sc, err, sizeof(err)), 0);
	assert_int_equal(sc.nlisten, 1);
	assert_string_equal(sc.listen[0], "127.0.0.1:8443");
	assert_null(sc.url);
	p = file_join(sc.data_dir, "store.db");
	assert_string_equal(sc.store, p);
	free(p);
	assert_true(sc.ca_key[0] == '/');
	assert_int_equal(sc.threads, 16);
	assert_int_equal(sc.timeout_s, 30);
	assert_int_equal(sc.batch_max_bytes, 8u << 20);
	assert_int_equal(sc.batch_max_inflated, 32u << 20);
	assert_int_equal(sc.batch_max_reports, 64);
	assert_int_equal(sc.rate_burst, 20);
	assert_int_equal(sc.rate_per_hour, 60);
	assert_int_equal(sc.nmetrics_allow, 2);
	assert_int_equal(sc.log_level, 1);
	serverconf_free(&sc);
}

static void
test_values(void **state)
{
	struct serverconf sc;
	char err[512];

	(void)state;
	assert_int_equal(load(
	    "listen 10.0.0.5:8443\n"
	    "listen [::1]:9443\n"
	    "url https://10.0.0.5:8443\n"
	    "store /srv/cg/store.db\n"
	    "timeout 5m\n"
	    "batch-max-bytes 512K\n"
	    "batch-max-inflated 1G\n"
	    "rate-limit 5 120\n"
	    "metrics-allow 10.0.0.0/24 fd00::/8 192.0.2.1\n"
	    "store-max-size 2GiB\n"
	    "log-level debug\n", &sc, err, sizeof(err)), 0);
	assert_int_equal(sc.nlisten, 2);
	assert_string_equal(sc.listen[1], "[::1]:9443");
	assert_string_equal(sc.url, "https://10.0.0.5:8443");
	assert_string_equal(sc.store, "/srv/cg/store.db");
	assert_int_equal(sc.timeout_s, 300);
	assert_int_equal(sc.batch_max_bytes, 512u << 10);
	assert_int_equal(sc.batch_max_inflated, 1u << 30);
	assert_int_equal(sc.rate_burst, 5);
	assert_int_equal(sc.rate_per_hour, 120);
	assert_int_equal(sc.nmetrics_allow, 3);
	assert_string_equal(sc.metrics_allow[0], "10.0.0.0/24");
	assert_true(sc.store_max_size == 2ll << 30);
	assert_int_equal(sc.log_level, 2);
	serverconf_free(&sc);
}

/* Each bad file is refused and the error names line and column. */
static void
test_refused(void **state)
{
	static const struct {
		const char *text, *where, *what;
	} cases[] = {
		{ "listen localhost:8443\n", ":1:1:", "listen" },
		{ "listen 127.0.0.1:0\n", ":1:1:", "listen" },
		{ "listen 127.0.0.1:65536\n", ":1:1:", "listen" },
		{ "listen [::1:8443\n", ":1:1:", "listen" },
		{ "listen 1.2.3.4:1\nlisten 1.2.3.4:1\n", ":2:1:", "twice" },
		{ "\nthreads 0\n", ":2:1:", "threads" },
		{ "threads 65\n", ":1:1:", "threads" },
		{ "threads 4x\n", ":1:1:", "threads" },
		{ "timeout 0s\n", ":1:1:", "timeout" },
		{ "timeout 2h\n", ":1:1:", "timeout" },
		{ "timeout 10y\n", ":1:1:", "timeout" },
		{ "timeout s\n", ":1:1:", "timeout" },
		{ "batch-max-bytes 8X\n", ":1:1:", "batch-max-bytes" },
		{ "batch-max-bytes 2G\n", ":1:1:", "batch-max-bytes" },
		{ "batch-max-bytes 99999999999999999999\n", ":1:1:",
		    "batch-max-bytes" },
		{ "batch-max-inflated 100\n", ":1:1:", "batch-max-inflated" },
		{ "batch-max-reports 0\n", ":1:1:", "batch-max-reports" },
		{ "rate-limit 0 60\n", ":1:1:", "rate-limit" },
		{ "rate-limit 20\n", ":1:1:", "" },
		{ "metrics-allow 10.0.0.0/33\n", ":1:1:", "metrics-allow" },
		{ "metrics-allow example.org\n", ":1:1:", "metrics-allow" },
		{ "store-max-size 10K\n", ":1:1:", "store-max-size" },
		{ "log-level loud\n", ":1:1:", "log-level" },
		{ "url http://10.0.0.5:8443\n", ":1:1:", "https" },
		{ "url \"https://a b\"\n", ":1:1:", "https" },
		{ "threads 2\nthreads 3\n", ":2:1:", "line 1" },
		{ "no-such-key 1\n", ":1:1:", "" },
		{ "store \"\"\n", ":1:1:", "path" },
	};
	struct serverconf sc;
	char err[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		if (load(cases[i].text, &sc, err, sizeof(err)) != -1)
			fail_msg("accepted: %s", cases[i].text);
		if (strstr(err, cases[i].where) == NULL ||
		    strstr(err, cases[i].what) == NULL ||
		    strstr(err, " — ") == NULL)
			fail_msg("case %zu: %s", i, err);
		assert_null(sc.data_dir);
	}
}

static void
test_missing(void **state)
{
	struct serverconf sc;
	char err[512];

	(void)state;
	assert_int_equal(serverconf_load("/nonexistent/cg-data", &sc, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/cg-data"));
}

static void
test_write_default(void **state)
{
	const char *listen[] = { "192.0.2.7:8443", "[::1]:8443" };
	const char *bad[] = { "localhost:8443" };
	struct serverconf sc;
	struct stat sb;
	char err[512], *p = file_join(dir, SERVERCONF_FILE);

	(void)state;
	unlink(p);
	assert_int_equal(serverconf_write_default(dir, bad, 1, NULL, err,
	    sizeof(err)), -1);
	assert_int_equal(serverconf_write_default(dir, listen, 2, "ftp://x",
	    err, sizeof(err)), -1);
	assert_int_equal(serverconf_write_default(dir, listen, 2,
	    "https://192.0.2.7:8443", err, sizeof(err)), 0);
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0640);
	assert_int_equal(serverconf_load(dir, &sc, err, sizeof(err)), 0);
	assert_int_equal(sc.nlisten, 2);
	assert_string_equal(sc.listen[0], "192.0.2.7:8443");
	assert_string_equal(sc.url, "https://192.0.2.7:8443");
	assert_int_equal(sc.batch_max_bytes, 8u << 20);
	assert_int_equal(sc.rate_burst, 20);
	serverconf_free(&sc);
	/* Never overwritten. */
	assert_int_equal(serverconf_write_default(dir, listen, 1, NULL, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "exists"));
	/* Without addresses: the default one. */
	unlink(p);
	assert_int_equal(serverconf_write_default(dir, NULL, 0, NULL, err,
	    sizeof(err)), 0);
	assert_int_equal(serverconf_load(dir, &sc, err, sizeof(err)), 0);
	assert_string_equal(sc.listen[0], "127.0.0.1:8443");
	serverconf_free(&sc);
	free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_write_default),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
