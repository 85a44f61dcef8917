/*
 * test_av.c — the anti-virus collector over the fixture trees: ClamAV's
 * database headers, real-time and update settings, other products, and
 * malformed or huge databases that must give "error", never a guess.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "testutil.h"
#include "agent/collect_av.h"
#include "lib/json.h"

static void
set_services(struct collect_ctx *ctx, const char *const *enabled)
{
	json_t *l = json_array();

	for (; *enabled != NULL; enabled++)
		json_array_append_new(l, json_string(*enabled));
	json_path_set(ctx->facts, "services.enabled", l);
}

static json_t *
clamav(struct collect_ctx *ctx)
{
	json_t *l = testutil_fact(ctx, "av.products");

	assert_non_null(l);
	return testutil_item(l, "name", "ClamAV");
}

static void
test_weak(void **state)
{
	static const char *const svc[] = {"ssh.service", "cron.service",
	    NULL};
	struct collect_ctx ctx;
	json_t *c;

	(void)state;
	testutil_ctx(&ctx, "weak", NULL);
	set_services(&ctx, svc);
	collect_av(&ctx);
	assert_int_equal(json_array_size(testutil_fact(&ctx, "av.products")),
	    1);
	c = clamav(&ctx);
	assert_non_null(c);
	assert_true(json_is_true(json_object_get(c, "installed")));
	assert_true(json_is_false(json_object_get(c, "realtime")));
	assert_true(json_is_false(json_object_get(c, "updater")));
	assert_string_equal(json_str(c, "signature_version", ""), "26712");
	assert_int_equal(json_int(c, "signature_age_days", -1), 200);
	assert_null(json_object_get(c, "running"));
	assert_string_equal(testutil_unavailable(&ctx, "av.products.running"),
	    "na");
	assert_null(testutil_unavailable(&ctx,
	    "av.products.signature_age_days"));
	testutil_ctx_free(&ctx);
}

static void
test_hardened(void **state)
{
	static const char *const svc[] = {"clamav-daemon.service",
	    "clamav-clamonacc.service", "clamav-freshclam.service",
	    "nftables.service", NULL};
	struct collect_ctx ctx;
	json_t *c;

	(void)state;
	testutil_ctx(&ctx, "hardened", NULL);
	set_services(&ctx, svc);
	collect_av(&ctx);
	c = clamav(&ctx);
	assert_non_null(c);
	/* The .cld (incrementally updated, "X" md5) is newer than main. */
	assert_string_equal(json_str(c, "signature_version", ""), "27901");
	assert_int_equal(json_int(c, "signature_age_days", -1), 1);
	assert_true(json_is_true(json_object_get(c, "realtime")));
	assert_true(json_is_true(json_object_get(c, "updater")));
	assert_null(testutil_unavailable(&ctx, "av.products.realtime"));
	testutil_ctx_free(&ctx);
}

/* Live: the daemon's state comes from services.active. */
static void
test_hardened_live(void **state)
{
	static const char *const svc[] = {"clamav-daemon.service",
	    "clamav-clamonacc.service", "clamav-freshclam.service", NULL};
	struct collect_ctx ctx;
	json_t *active = json_array(), *c;

	(void)state;
	testutil_ctx(&ctx, "hardened", NULL);
	ctx.live = true;
	set_services(&ctx, svc);
	json_array_append_new(active, json_string("clamav-daemon.service"));
	json_path_set(ctx.facts, "services.active", active);
	collect_av(&ctx);
	c = clamav(&ctx);
	assert_true(json_is_true(json_object_get(c, "running")));
	/* clamonacc enabled but not running: no real-time protection. */
	assert_true(json_is_false(json_object_get(c, "realtime")));
	assert_null(testutil_unavailable(&ctx, "av.products.running"));
	testutil_ctx_free(&ctx);
}

/* Without the services facts nothing about services is guessed. */
static void
test_no_services(void **state)
{
	struct collect_ctx ctx;
	json_t *c;

	(void)state;
	testutil_ctx(&ctx, "hardened", NULL);
	collect_av(&ctx);
	c = clamav(&ctx);
	assert_null(json_object_get(c, "realtime"));
	assert_null(json_object_get(c, "updater"));
	assert_string_equal(testutil_unavailable(&ctx,
	    "av.products.realtime"), "error");
	assert_string_equal(testutil_unavailable(&ctx, "av.products.updater"),
	    "error");
	testutil_ctx_free(&ctx);
}

static void
test_malformed(void **state)
{
	struct collect_ctx ctx;
	json_t *c, *u;
	struct stat st;
	char path[4096];

	(void)state;
	snprintf(path, sizeof(path), "%s/var/lib/clamav/daily.cld",
	    testutil_tree("malformed"));
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size >= 20 * 1024 * 1024);
	testutil_ctx(&ctx, "malformed", NULL);
	collect_av(&ctx);
	c = clamav(&ctx);
	assert_non_null(c);
	assert_null(json_object_get(c, "signature_age_days"));
	assert_string_equal(json_str(c, "signature_version", "?"), "");
	assert_string_equal(testutil_unavailable(&ctx,
	    "av.products.signature_age_days"), "error");
	u = json_object_get(ctx.unavailable, "av.products.signature_age_days");
	assert_non_null(strstr(json_str(json_object_get(u, "reason"), "en",
	    ""), "daily.cvd"));
	assert_non_null(strstr(json_str(json_object_get(u, "reason"), "vi",
	    ""), "ClamAV"));
	testutil_ctx_free(&ctx);
}

static void
mkdirs(const char *path)
{
	char buf[4096], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	mkdir(buf, 0755);
}

/* Another product: recognised, its unknowns named in the reason. */
static void
test_vendor(void **state)
{
	struct collect_ctx ctx;
	char path[4096];
	json_t *e, *u;

	(void)state;
	snprintf(path, sizeof(path), "%s/opt/eset/eea/bin",
	    testutil_tree("av-vendor"));
	mkdirs(path);
	testutil_ctx(&ctx, "av-vendor", NULL);
	collect_av(&ctx);
	e = testutil_item(testutil_fact(&ctx, "av.products"), "name",
	    "ESET Endpoint Antivirus");
	assert_non_null(e);
	assert_null(testutil_item(testutil_fact(&ctx, "av.products"), "name",
	    "ClamAV"));
	assert_true(json_is_true(json_object_get(e, "installed")));
	assert_null(json_object_get(e, "signature_age_days"));
	u = json_object_get(ctx.unavailable, "av.products.signature_age_days");
	assert_non_null(u);
	assert_non_null(strstr(json_str(json_object_get(u, "reason"), "vi",
	    ""), "ESET Endpoint Antivirus"));
	testutil_ctx_free(&ctx);
}

/* An empty list is a fact: no anti-virus. */
static void
test_none(void **state)
{
	struct collect_ctx ctx;
	char path[4096];

	(void)state;
	snprintf(path, sizeof(path), "%s/etc", testutil_tree("av-none"));
	mkdirs(path);
	testutil_ctx(&ctx, "av-none", NULL);
	collect_av(&ctx);
	assert_true(json_is_array(testutil_fact(&ctx, "av.products")));
	assert_int_equal(json_array_size(testutil_fact(&ctx, "av.products")),
	    0);
	assert_null(testutil_unavailable(&ctx,
	    "av.products.signature_age_days"));
	testutil_ctx_free(&ctx);
}

static void
test_header(void **state)
{
	struct cvd_header h;
	char buf[CVD_HEADER_SIZE];
	const char *good = "ClamAV-VDB:14 Nov 2024 09-27 +0000:27458:2068915:"
	    "90:eb93c3c5b1d2ef2f5ba1e09ad0dd4ea1:qqrGk5Xz+/09aZ:raynman:"
	    "1731576439";

	(void)state;
	memset(buf, ' ', sizeof(buf));
	memcpy(buf, good, strlen(good));
	assert_int_equal(collect_av_parse_cvd_header(buf, sizeof(buf), &h), 0);
	assert_int_equal(h.version, 27458);
	assert_int_equal(h.signatures, 2068915);
	assert_int_equal(h.flevel, 90);
	assert_int_equal(h.build_time, 1731576439LL);
	assert_string_equal(h.builder, "raynman");
	assert_string_equal(h.build_date, "14 Nov 2024 09-27 +0000");
	/* Only the first 512 bytes count: a body after them is fine. */
	assert_int_equal(collect_av_parse_cvd_header(buf, sizeof(buf), &h), 0);

	static const char *const bad[] = {
		"",
		"ClamAV-VDB",
		"ClamAV-VDC:14 Nov 2024 09-27 +0000:1:2:90:X:X:b:1731576439",
		"ClamAV-VDB:14 Nov 2024 09-27 +0000:1:2:90:X:X:b",
		"ClamAV-VDB:14 Nov 2024 09-27 +0000:1:2:90:X:X:b:1731576439:9",
		"ClamAV-VDB:14 Nov 2024 09-27 +0000:x1:2:90:X:X:b:1731576439",
		"ClamAV-VDB:14 Nov 2024 09-27 +0000:0:2:90:X:X:b:1731576439",
		"ClamAV-VDB:14 Nov 2024 09-27 +0000:1:2:90:abc:X:b:1731576439",
		"ClamAV-VDB:14 Nov 2024 09-27 +0000:1:2:90:X:X:b:17315x6439",
		"ClamAV-VDB:14 Nov 2024 09-27 +0000:1:2:90:X:X:b:12",
		"ClamAV-VDB:14 Nov 2024 09-27 +0000:1:2:90:X:X::1731576439",
		"ClamAV-VDB::1:2:90:X:X:b:1731576439",
		"ClamAV-VDB:14 Nov 2024\t09-27:1:2:90:X:X:b:1731576439",
		"ClamAV-VDB:14 Nov 2024 09-27 +0000:1:2:90:X:X:b:1731576439"
		    "  junk",
		NULL
	};
	for (size_t i = 0; bad[i] != NULL; i++)
		assert_int_equal(collect_av_parse_cvd_header(bad[i],
		    strlen(bad[i]), &h), -1);
	assert_int_equal(collect_av_parse_cvd_header(NULL, 0, &h), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_weak),
		cmocka_unit_test(test_hardened),
		cmocka_unit_test(test_hardened_live),
		cmocka_unit_test(test_no_services),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_vendor),
		cmocka_unit_test(test_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
