/*
 * test_software.c — the software collector over the fixture trees:
 * cracks and keygens in home folders (weak), programs no package owns,
 * nothing on the hardened machine, and the walk's limits (depth, links,
 * count, bad names) on the malformed one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "testutil.h"
#include "lib/json.h"

static json_t *
params(long long max)
{
	return json_pack("{s:[s,s,s,s], s:I}", "suspicious_names",
	    "(?i)crack", "keygen", "kmspico", "activat(or|ion)",
	    "software_scan_max_files", (json_int_t)max);
}

static json_t *
path_item(struct collect_ctx *ctx, const char *list, const char *path)
{
	return testutil_item(testutil_fact(ctx, list), "path", path);
}

static void
test_weak(void **state)
{
	struct collect_ctx ctx;
	json_t *p = params(200000), *o;

	(void)state;
	testutil_ctx(&ctx, "weak", p);
	collect_software(&ctx);
	assert_int_equal(json_object_size(ctx.unavailable), 0);
	assert_int_equal(json_array_size(testutil_fact(&ctx,
	    "software.suspicious")), 3);
	o = path_item(&ctx, "software.suspicious",
	    "/home/ketoan/Downloads/Office2019_Crack.exe");
	assert_non_null(o);
	assert_string_equal(json_str(o, "match", ""), "(?i)crack");
	assert_int_equal(json_int(o, "size", -1), 31);
	assert_int_equal(strlen(json_str(o, "modified", "")), 20);
	o = path_item(&ctx, "software.suspicious",
	    "/home/ketoan/Desktop/KMSpico_setup.exe");
	assert_string_equal(json_str(o, "match", ""), "kmspico");
	assert_non_null(path_item(&ctx, "software.suspicious",
	    "/home/quantri/Downloads/keygen_IDM.zip"));
	/* unpackaged */
	assert_int_equal(json_array_size(testutil_fact(&ctx,
	    "software.unpackaged")), 3);
	assert_string_equal(json_str(path_item(&ctx, "software.unpackaged",
	    "/home/nguyenvana/Apps/Zalo.AppImage"), "kind", ""), "appimage");
	assert_string_equal(json_str(path_item(&ctx, "software.unpackaged",
	    "/opt/phanmem-ketoan-tool"), "kind", ""), "opt");
	assert_string_equal(json_str(path_item(&ctx, "software.unpackaged",
	    "/usr/local/bin/vpnclient"), "kind", ""), "local-bin");
	assert_null(path_item(&ctx, "software.unpackaged",
	    "/opt/phanmem-ketoan"));
	assert_null(path_item(&ctx, "software.unpackaged",
	    "/usr/local/bin/ketoan-launcher"));
	assert_true(json_is_false(testutil_fact(&ctx,
	    "software.scan_truncated")));
	testutil_ctx_free(&ctx);
	json_decref(p);
}

static void
test_hardened(void **state)
{
	struct collect_ctx ctx;
	json_t *p = params(200000);

	(void)state;
	testutil_ctx(&ctx, "hardened", p);
	collect_software(&ctx);
	assert_int_equal(json_object_size(ctx.unavailable), 0);
	assert_int_equal(json_array_size(testutil_fact(&ctx,
	    "software.suspicious")), 0);
	assert_int_equal(json_array_size(testutil_fact(&ctx,
	    "software.unpackaged")), 0);
	testutil_ctx_free(&ctx);
	json_decref(p);
}

static void
test_malformed(void **state)
{
	struct collect_ctx ctx;
	json_t *p = params(200000), *list, *v;
	size_t i;
	bool bad = false;

	(void)state;
	testutil_ctx(&ctx, "malformed", p);
	collect_software(&ctx);
	assert_non_null(path_item(&ctx, "software.suspicious",
	    "/tmp/shallow/1/2/3/4/5/6/shallow_crack.exe"));
	/* beyond the depth limit, a FIFO, and inside a link loop: never */
	list = testutil_fact(&ctx, "software.suspicious");
	json_array_foreach(list, i, v) {
		const char *path = json_str(v, "path", "");

		assert_null(strstr(path, "deep_crack"));
		assert_null(strstr(path, "keygen.fifo"));
		assert_null(strstr(path, "/loop/"));
		if (strcmp(path, "/tmp/bad?name_crack.exe") == 0)
			bad = true;
	}
	assert_true(bad);
	/* no dpkg database: ownership unknown */
	assert_string_equal(testutil_unavailable(&ctx,
	    "software.unpackaged"), "error");
	assert_null(testutil_fact(&ctx, "software.unpackaged"));
	testutil_ctx_free(&ctx);
	json_decref(p);
}

static void
test_limits_and_params(void **state)
{
	struct collect_ctx ctx;
	json_t *p;

	(void)state;
	p = params(3);
	testutil_ctx(&ctx, "weak", p);
	collect_software(&ctx);
	assert_true(json_is_true(testutil_fact(&ctx,
	    "software.scan_truncated")));
	testutil_ctx_free(&ctx);
	json_decref(p);

	p = json_pack("{s:i}", "software_scan_max_files", 1000);
	testutil_ctx(&ctx, "weak", p);
	collect_software(&ctx);
	assert_string_equal(testutil_unavailable(&ctx, "software.suspicious"),
	    "error");
	assert_null(testutil_fact(&ctx, "software.suspicious"));
	assert_int_equal(json_array_size(testutil_fact(&ctx,
	    "software.unpackaged")), 3);
	testutil_ctx_free(&ctx);
	json_decref(p);

	p = json_pack("{s:[s,s]}", "suspicious_names", "crack", "(unclosed");
	testutil_ctx(&ctx, "weak", p);
	collect_software(&ctx);
	assert_string_equal(testutil_unavailable(&ctx, "software.suspicious"),
	    "error");
	testutil_ctx_free(&ctx);
	json_decref(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weak),
		cmocka_unit_test(test_hardened),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_limits_and_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
