/*
 * test_system.c — host and operating-system facts (collect_system.c):
 * os-release parsing, kernel version order, the fixture trees and the
 * live system.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "testutil.h"
#include "agent/sysparse.h"
#include "lib/file.h"

static void
test_kernel_cmp(void **state)
{
	(void)state;
	assert_true(
	    collect_system_kernel_cmp("6.1.0-27-amd64", "6.1.0-9-amd64") > 0);
	assert_true(collect_system_kernel_cmp("5.10.0-20-amd64",
	                                      "5.10.0-28-amd64") < 0);
	assert_true(
	    collect_system_kernel_cmp("6.1.0-27-amd64", "6.1.0-27-amd64") == 0);
	assert_true(collect_system_kernel_cmp("6.10.1", "6.9.12") > 0);
	assert_true(collect_system_kernel_cmp("6.1.0~rc1", "6.1.0") < 0);
	assert_true(collect_system_kernel_cmp("6.1.0", "6.1.0.1") < 0);
	assert_true(collect_system_kernel_cmp("6.01", "6.1") == 0);
}

static void
test_os_release_parse(void **state)
{
	static const char text[] =
	    "# comment\n"
	    "NAME=\"Ubuntu\"\n"
	    "ID=ubuntu\n"
	    "ID_LIKE='debian'\n"
	    "PRETTY_NAME=\"Ubuntu 22.04.4 LTS \\\"Jammy\\\"\"\n"
	    "VERSION_ID=\"22.04\"\n";
	struct os_release rel = {0};

	(void)state;
	assert_int_equal(
	    collect_system_parse_os_release(text, sizeof(text) - 1, &rel), 0);
	assert_string_equal(rel.id, "ubuntu");
	assert_string_equal(rel.id_like, "debian");
	assert_string_equal(rel.pretty_name, "Ubuntu 22.04.4 LTS \"Jammy\"");
	assert_string_equal(rel.version_id, "22.04");
	assert_null(rel.codename);
	collect_system_os_release_free(&rel);

	/* broken quoting and shell syntax are malformed lines */
	assert_int_equal(
	    collect_system_parse_os_release("ID=a\nX=\"b\n", 9, &rel), 2);
	collect_system_os_release_free(&rel);
	assert_int_equal(
	    collect_system_parse_os_release("ID=$(reboot)\n", 13, &rel), 1);
	collect_system_os_release_free(&rel);
	assert_int_equal(collect_system_parse_os_release("ID=a\0b", 6, &rel),
	                 -1);
	collect_system_os_release_free(&rel);
}

static void
test_weak(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "weak", NULL);
	collect_system(&ctx);
	assert_string_equal(
	    json_string_value(testutil_fact(&ctx, "system.hostname")),
	    "may-ketoan-01");
	assert_string_equal(json_string_value(testutil_fact(
	                        &ctx, "system.kernel_latest_installed")),
	                    "5.10.0-28-amd64");
	assert_string_equal(
	    json_string_value(testutil_fact(&ctx, "system.arch")), "x86_64");
	assert_string_equal(json_string_value(testutil_fact(&ctx, "os.id")),
	                    "debian");
	assert_string_equal(
	    json_string_value(testutil_fact(&ctx, "os.release")), "debian 11");
	assert_string_equal(
	    json_string_value(testutil_fact(&ctx, "os.codename")), "bullseye");
	assert_string_equal(json_string_value(testutil_fact(&ctx, "os.family")),
	                    "debian");
	assert_string_equal(json_string_value(testutil_fact(&ctx, "os.name")),
	                    "Debian GNU/Linux 11 (bullseye)");
	assert_int_equal(json_array_size(testutil_fact(&ctx, "os.id_like")), 0);
	/* live facts are not applicable with --root */
	assert_null(testutil_fact(&ctx, "system.kernel"));
	assert_string_equal(testutil_unavailable(&ctx, "system.kernel"), "na");
	assert_string_equal(
	    testutil_unavailable(&ctx, "system.reboot_required"), "na");
	assert_null(testutil_unavailable(&ctx, "os"));
	testutil_ctx_free(&ctx);
}

static void
test_hardened(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "hardened", NULL);
	collect_system(&ctx);
	assert_string_equal(
	    json_string_value(testutil_fact(&ctx, "system.hostname")),
	    "may-tram-05");
	assert_string_equal(json_string_value(testutil_fact(
	                        &ctx, "system.kernel_latest_installed")),
	                    "6.1.0-27-amd64");
	assert_string_equal(
	    json_string_value(testutil_fact(&ctx, "os.release")), "debian 12");
	assert_string_equal(
	    json_string_value(testutil_fact(&ctx, "os.version_id")), "12");
	testutil_ctx_free(&ctx);
}

static void
test_malformed(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "malformed", NULL);
	collect_system(&ctx);
	/* 20 MB host name: refused, not read */
	assert_null(testutil_fact(&ctx, "system.hostname"));
	assert_string_equal(testutil_unavailable(&ctx, "system.hostname"),
	                    "error");
	/* binary os-release */
	assert_null(testutil_fact(&ctx, "os.id"));
	assert_string_equal(testutil_unavailable(&ctx, "os"), "error");
	/* no kernel and no program to tell the architecture */
	assert_string_equal(json_string_value(testutil_fact(
	                        &ctx, "system.kernel_latest_installed")),
	                    "");
	assert_string_equal(testutil_unavailable(&ctx, "system.arch"), "error");
	testutil_ctx_free(&ctx);
}

static void
test_live(void **state)
{
	struct collect_ctx ctx;
	json_t *v;

	(void)state;
	testutil_ctx(&ctx, "weak", NULL);
	close(ctx.rootfd);
	ctx.rootfd = file_root_open("/");
	ctx.live = true;
	collect_system(&ctx);
	v = testutil_fact(&ctx, "system.kernel");
	assert_non_null(v);
	assert_true(json_string_length(v) > 0);
	assert_true(json_integer_value(
	                testutil_fact(&ctx, "system.uptime_seconds")) > 0);
	assert_true(json_is_string(testutil_fact(&ctx, "system.boot_time")));
	assert_true(json_is_string(testutil_fact(&ctx, "system.virtual")));
	assert_true(
	    json_is_boolean(testutil_fact(&ctx, "system.reboot_required")));
	assert_true(json_is_string(testutil_fact(&ctx, "system.arch")));
	testutil_ctx_free(&ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kernel_cmp),
	    cmocka_unit_test(test_os_release_parse),
	    cmocka_unit_test(test_weak),
	    cmocka_unit_test(test_hardened),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
