/*
 * test_timelog.c — time synchronisation and logging (collect_timelog.c)
 * over the fixture trees, after collect_services, and the rsyslog and
 * syslog-ng forwarding detectors.
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
#include "agent/keyfile.h"
#include "lib/file.h"

static const char *
str(struct collect_ctx *ctx, const char *path)
{
	json_t *v = testutil_fact(ctx, path);

	assert_true(json_is_string(v));
	return json_string_value(v);
}

static bool
boolean(struct collect_ctx *ctx, const char *path)
{
	json_t *v = testutil_fact(ctx, path);

	assert_true(json_is_boolean(v));
	return json_boolean_value(v);
}

static void
test_forwarding(void **state)
{
	static const char rs1[] = "# *.* @@remote\n*.* /var/log/all\n";
	static const char rs2[] = "auth.*  @10.1.1.1\n";
	static const char rs3[] = "action(type=\"omfwd\" target=\"10.0.0.5\" "
	                          "port=\"514\" protocol=\"tcp\")\n";
	static const char ng1[] = "destination d_local { file(\"/var/log/m\"); "
	                          "};\n";
	static const char ng2[] = "destination d_net {\n  network(\"10.0.0.5\" "
	                          "transport(\"tcp\"));\n};\n";
	static const char ng3[] = "source s_src { unix-stream(\"/dev/log\"); "
	                          "};\n";

	(void)state;
	assert_false(collect_timelog_rsyslog_remote(rs1, strlen(rs1)));
	assert_true(collect_timelog_rsyslog_remote(rs2, strlen(rs2)));
	assert_true(collect_timelog_rsyslog_remote(rs3, strlen(rs3)));
	assert_false(collect_timelog_syslogng_remote(ng1, strlen(ng1)));
	assert_true(collect_timelog_syslogng_remote(ng2, strlen(ng2)));
	assert_false(collect_timelog_syslogng_remote(ng3, strlen(ng3)));
}

static void
test_weak(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "weak", NULL);
	collect_services(&ctx);
	collect_timelog(&ctx);
	assert_string_equal(str(&ctx, "timesync.service"), "");
	assert_false(boolean(&ctx, "timesync.enabled"));
	assert_false(boolean(&ctx, "logging.journal_persistent"));
	assert_string_equal(str(&ctx, "logging.syslog_daemon"), "");
	assert_false(boolean(&ctx, "logging.remote"));
	assert_false(boolean(&ctx, "logging.auditd"));
	testutil_ctx_free(&ctx);
}

static void
test_hardened(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "hardened", NULL);
	collect_services(&ctx);
	collect_timelog(&ctx);
	assert_string_equal(str(&ctx, "timesync.service"), "chrony");
	assert_true(boolean(&ctx, "timesync.enabled"));
	assert_true(boolean(&ctx, "logging.journal_persistent"));
	assert_string_equal(str(&ctx, "logging.syslog_daemon"), "rsyslog");
	assert_true(boolean(&ctx, "logging.remote"));
	assert_true(boolean(&ctx, "logging.auditd"));
	testutil_ctx_free(&ctx);
}

static void
test_malformed(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "malformed", NULL);
	collect_services(&ctx);
	collect_timelog(&ctx);
	assert_null(testutil_fact(&ctx, "logging.journal_persistent"));
	assert_string_equal(
	    testutil_unavailable(&ctx, "logging.journal_persistent"), "error");
	testutil_ctx_free(&ctx);

	/* without services.enabled, "enabled" is unknown, never false */
	testutil_ctx(&ctx, "hardened", NULL);
	collect_timelog(&ctx);
	assert_string_equal(str(&ctx, "timesync.service"), "chrony");
	assert_null(testutil_fact(&ctx, "timesync.enabled"));
	assert_string_equal(testutil_unavailable(&ctx, "timesync.enabled"),
	                    "error");
	assert_string_equal(testutil_unavailable(&ctx, "logging.auditd"),
	                    "error");
	testutil_ctx_free(&ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_forwarding),
	    cmocka_unit_test(test_weak),
	    cmocka_unit_test(test_hardened),
	    cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
