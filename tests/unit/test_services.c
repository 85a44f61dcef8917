/*
 * test_services.c — enabled and running systemd units (collect_services.c)
 * on the weak, hardened and malformed fixture trees.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <unistd.h>

#include "testutil.h"
#include "lib/file.h"

static bool
has(json_t *arr, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v) if (strcmp(json_string_value(v), name) ==
	                                  0) return true;
	return false;
}

static void
test_weak(void **state)
{
	struct collect_ctx ctx;
	json_t *en;

	(void)state;
	testutil_ctx(&ctx, "weak", NULL);
	collect_services(&ctx);
	en = testutil_fact(&ctx, "services.enabled");
	assert_non_null(en);
	assert_true(has(en, "ssh.service"));
	assert_true(has(en, "vsftpd.service"));
	assert_true(has(en, "anydesk.service"));
	assert_true(has(en, "inetd.service"));
	assert_true(has(en, "cron.service"));
	/* the alias and its target */
	assert_true(has(en, "display-manager.service"));
	assert_true(has(en, "lightdm.service"));
	assert_false(has(en, "chrony.service"));
	assert_int_equal(json_array_size(en), 7);
	/* sorted */
	assert_string_equal(json_string_value(json_array_get(en, 0)),
	                    "anydesk.service");
	assert_null(testutil_fact(&ctx, "services.active"));
	assert_string_equal(testutil_unavailable(&ctx, "services.active"),
	                    "na");
	assert_null(testutil_unavailable(&ctx, "services.enabled"));
	testutil_ctx_free(&ctx);
}

static void
test_hardened(void **state)
{
	struct collect_ctx ctx;
	json_t *en;

	(void)state;
	testutil_ctx(&ctx, "hardened", NULL);
	collect_services(&ctx);
	en = testutil_fact(&ctx, "services.enabled");
	assert_non_null(en);
	assert_true(has(en, "chrony.service"));
	assert_true(has(en, "clamav-clamonacc.service"));
	assert_true(has(en, "usbguard.service"));
	assert_true(has(en, "gdm3.service"));
	assert_true(has(en, "display-manager.service"));
	assert_true(has(en, "syslog.service"));
	assert_true(has(en, "rsyslog.service"));
	assert_false(has(en, "lightdm.service"));
	testutil_ctx_free(&ctx);
}

static void
test_malformed(void **state)
{
	struct collect_ctx ctx;
	json_t *en;

	(void)state;
	testutil_ctx(&ctx, "malformed", NULL);
	collect_services(&ctx);
	en = testutil_fact(&ctx, "services.enabled");
	assert_non_null(en);
	/* a dangling link still names a unit; loops are read, not followed */
	assert_true(has(en, "cron.service"));
	assert_true(has(en, "dangling.service"));
	assert_true(has(en, "loop-a.service"));
	assert_true(has(en, "loop-b.service"));
	/* a name that is not a unit name is ignored */
	assert_false(has(en, "bad name;rm.service"));
	assert_int_equal(json_array_size(en), 4);
	testutil_ctx_free(&ctx);
}

/* The running system: active units come from /run/systemd/units. */
static void
test_live(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "weak", NULL);
	close(ctx.rootfd);
	ctx.rootfd = file_root_open("/");
	assert_true(ctx.rootfd >= 0);
	ctx.live = true;
	collect_services(&ctx);
	if (testutil_fact(&ctx, "services.active") == NULL)
		assert_non_null(testutil_unavailable(&ctx, "services.active"));
	else
		assert_true(
		    json_is_array(testutil_fact(&ctx, "services.active")));
	testutil_ctx_free(&ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_weak),
	    cmocka_unit_test(test_hardened),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
