/*
 * test_sysctl.c — kernel parameters (collect_sysctl.c): sysctl.d parsing
 * and precedence on the fixture trees, and the running values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "testutil.h"
#include "agent/sysparse.h"
#include "lib/file.h"

static long long
fact(struct collect_ctx *ctx, const char *path)
{
	json_t *v = testutil_fact(ctx, path);

	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static void
test_parse(void **state)
{
	static const char text[] = "; comment\n"
	                           "kernel.kptr_restrict=1\n"
	                           "-kernel/dmesg_restrict = 1\n"
	                           "net.ipv4.conf.*.rp_filter = 2\n"
	                           "net.ipv4.conf.eth0.accept_redirects = 1\n"
	                           "this line has no equals sign\n"
	                           "fs.suid_dumpable = two\n"
	                           "kernel.kptr_restrict = 2\n";
	struct sysctl_values v;
	int i;

	(void)state;
	for (i = 0; i < SYSCTL_N; i++)
		v.v[i] = -1;
	assert_int_equal(collect_sysctl_parse(text, sizeof(text) - 1, &v), 6);
	assert_int_equal(v.v[SYSCTL_KPTR_RESTRICT], 2);
	assert_int_equal(v.line[SYSCTL_KPTR_RESTRICT], 8);
	assert_int_equal(v.v[SYSCTL_DMESG_RESTRICT], 1);
	assert_int_equal(v.v[SYSCTL_RP_FILTER], 2);
	assert_int_equal(v.v[SYSCTL_ACCEPT_REDIRECTS], -1);
	assert_int_equal(v.v[SYSCTL_SUID_DUMPABLE], SYSCTL_BAD);
	assert_int_equal(collect_sysctl_parse("a=\xff", 3, &v), -1);
}

static void
test_weak(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "weak", NULL);
	collect_sysctl(&ctx);
	assert_string_equal(
	    json_string_value(testutil_fact(&ctx, "sysctl.source")),
	    "configured");
	assert_int_equal(fact(&ctx, "sysctl.ip_forward"), 1);
	assert_int_equal(fact(&ctx, "sysctl.randomize_va_space"), 0);
	assert_int_equal(fact(&ctx, "sysctl.kptr_restrict"), -1);
	assert_int_equal(fact(&ctx, "sysctl.tcp_syncookies"), -1);
	assert_int_equal(json_object_size(ctx.unavailable), 0);
	testutil_ctx_free(&ctx);
}

static void
test_hardened(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "hardened", NULL);
	collect_sysctl(&ctx);
	assert_int_equal(fact(&ctx, "sysctl.randomize_va_space"), 2);
	assert_int_equal(fact(&ctx, "sysctl.ip_forward"), 0);
	assert_int_equal(fact(&ctx, "sysctl.accept_redirects"), 0);
	assert_int_equal(fact(&ctx, "sysctl.send_redirects"), 0);
	assert_int_equal(fact(&ctx, "sysctl.accept_source_route"), 0);
	assert_int_equal(fact(&ctx, "sysctl.rp_filter"), 1);
	assert_int_equal(fact(&ctx, "sysctl.tcp_syncookies"), 1);
	assert_int_equal(fact(&ctx, "sysctl.kptr_restrict"), 2);
	assert_int_equal(fact(&ctx, "sysctl.dmesg_restrict"), 1);
	assert_int_equal(fact(&ctx, "sysctl.protected_symlinks"), 1);
	assert_int_equal(fact(&ctx, "sysctl.suid_dumpable"), 0);
	testutil_ctx_free(&ctx);
}

static void
test_malformed(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "malformed", NULL);
	collect_sysctl(&ctx);
	/* a looping link may set anything: every value is unknown */
	assert_null(testutil_fact(&ctx, "sysctl.ip_forward"));
	assert_string_equal(testutil_unavailable(&ctx, "sysctl.ip_forward"),
	                    "error");
	assert_string_equal(testutil_unavailable(&ctx, "sysctl.suid_dumpable"),
	                    "error");
	testutil_ctx_free(&ctx);
}

/* A file the agent may not read: "needs root", never a default. */
static void
test_unreadable(void **state)
{
	char dir[] = "/tmp/cg-sysctl-XXXXXX", path[256];
	struct collect_ctx ctx;
	const char *st;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/etc", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/etc/sysctl.d", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/etc/sysctl.d/10-secret.conf", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("net.ipv4.ip_forward = 1\n", f);
	fclose(f);
	assert_int_equal(chmod(path, 0), 0);

	testutil_ctx(&ctx, "weak", NULL);
	close(ctx.rootfd);
	ctx.rootfd = file_root_open(dir);
	ctx.privileged = false;
	collect_sysctl(&ctx);
	st = testutil_unavailable(&ctx, "sysctl.ip_forward");
	if (geteuid() != 0) {
		/* root reads mode 000 files: only without root */
		assert_non_null(st);
		assert_string_equal(st, "error");
		assert_null(testutil_fact(&ctx, "sysctl.ip_forward"));
		assert_non_null(strstr(
		    json_string_value(json_object_get(
		        json_object_get(json_object_get(ctx.unavailable,
		                                        "sysctl.ip_forward"),
		                        "reason"),
		        "en")),
		    "needs root"));
	} else {
		assert_int_equal(fact(&ctx, "sysctl.ip_forward"), 1);
	}
	testutil_ctx_free(&ctx);
	unlink(path);
	snprintf(path, sizeof(path), "%s/etc/sysctl.d", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/etc", dir);
	rmdir(path);
	rmdir(dir);
}

static void
test_live(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "weak", NULL);
	close(ctx.rootfd);
	ctx.rootfd = file_root_open("/");
	ctx.live = true;
	collect_sysctl(&ctx);
	assert_string_equal(
	    json_string_value(testutil_fact(&ctx, "sysctl.source")), "running");
	/* every kernel has ASLR settings: 0, 1 or 2 */
	assert_in_range(fact(&ctx, "sysctl.randomize_va_space"), 0, 2);
	testutil_ctx_free(&ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),      cmocka_unit_test(test_weak),
	    cmocka_unit_test(test_hardened),   cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_unreadable), cmocka_unit_test(test_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
