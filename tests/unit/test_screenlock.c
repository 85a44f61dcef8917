/*
 * test_screenlock.c — screen-lock settings (collect_screenlock.c): system
 * dconf defaults and locks, per-user GVDB, Xfce XML, over the fixture
 * trees after collect_desktop.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "testutil.h"
#include "agent/sysparse.h"

static json_t *
find(json_t *list, const char *scope, const char *desktop)
{
	size_t i;
	json_t *it;

	json_array_foreach(
	    list, i,
	    it) if (strcmp(json_string_value(json_object_get(it, "scope")),
	                   scope) == 0 &&
	            strcmp(json_string_value(json_object_get(it, "desktop")),
	                   desktop) == 0) return it;
	return NULL;
}

static void
check(json_t *it, bool lock, long long idle, const char *source)
{
	assert_non_null(it);
	assert_int_equal(
	    json_boolean_value(json_object_get(it, "lock_enabled")), lock);
	assert_int_equal(
	    json_integer_value(json_object_get(it, "idle_seconds")), idle);
	assert_string_equal(json_string_value(json_object_get(it, "source")),
	                    source);
}

static void
run(struct collect_ctx *ctx, const char *tree)
{
	testutil_ctx(ctx, tree, NULL);
	collect_desktop(ctx);
	collect_screenlock(ctx);
}

static void
test_xfconf(void **state)
{
	static const char xml[] =
	    "<?xml version=\"1.0\"?>\n<channel name=\"c\">\n"
	    " <property name=\"saver\" type=\"empty\">\n"
	    "  <property name=\"enabled\" type=\"bool\" value=\"true\"/>\n"
	    "  <property name=\"idle-activation\" type=\"empty\">\n"
	    "   <property name=\"delay\" type=\"int\" value=\"12\"/>\n"
	    "  </property>\n </property>\n</channel>\n";
	char v[32];

	(void)state;
	assert_int_equal(
	    collect_screenlock_xfconf(
	        xml, strlen(xml), "/saver/idle-activation/delay", v, sizeof(v)),
	    1);
	assert_string_equal(v, "12");
	assert_int_equal(collect_screenlock_xfconf(
	                     xml, strlen(xml), "/saver/enabled", v, sizeof(v)),
	                 1);
	assert_string_equal(v, "true");
	assert_int_equal(collect_screenlock_xfconf(
	                     xml, strlen(xml), "/lock/enabled", v, sizeof(v)),
	                 0);
	assert_int_equal(collect_screenlock_xfconf("<property name=\"a\"", 19,
	                                           "/a", v, sizeof(v)),
	                 -1);
	assert_int_equal(
	    collect_screenlock_xfconf("</property>", 11, "/a", v, sizeof(v)),
	    -1);
}

static void
test_weak(void **state)
{
	struct collect_ctx ctx;
	json_t *list;

	(void)state;
	run(&ctx, "weak");
	list = testutil_fact(&ctx, "screenlock.settings");
	assert_non_null(list);
	check(find(list, "system", "gnome"), false, 0,
	      "/etc/dconf/db/local.d/00-screensaver");
	check(find(list, "system", "xfce"), true, 300, "default");
	/* per-user GNOME settings from the binary dconf database */
	check(find(list, "nguyenvana", "gnome"), true, 1800,
	      "/home/nguyenvana/.config/dconf/user");
	check(find(list, "quantri", "xfce"), false, 2700,
	      "/home/quantri/.config/xfce4/xfconf/xfce-perchannel-xml/"
	      "xfce4-screensaver.xml");
	assert_int_equal(json_array_size(list), 4);
	testutil_ctx_free(&ctx);
}

static void
test_hardened(void **state)
{
	struct collect_ctx ctx;
	json_t *list;

	(void)state;
	run(&ctx, "hardened");
	list = testutil_fact(&ctx, "screenlock.settings");
	check(find(list, "system", "gnome"), true, 300,
	      "/etc/dconf/db/local.d/00-screensaver");
	/* tranthib's own settings are locked by the administrator */
	assert_null(find(list, "tranthib", "gnome"));
	assert_int_equal(json_array_size(list), 1);
	testutil_ctx_free(&ctx);
}

static void
test_malformed(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	run(&ctx, "malformed");
	assert_null(testutil_fact(&ctx, "screenlock.settings"));
	assert_string_equal(testutil_unavailable(&ctx, "screenlock.settings"),
	                    "error");
	testutil_ctx_free(&ctx);
}

static void
test_no_desktop(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "weak", NULL);
	json_object_set_new(ctx.facts, "desktop",
	                    json_pack("{s:b}", "present", 0));
	collect_screenlock(&ctx);
	assert_int_equal(
	    json_array_size(testutil_fact(&ctx, "screenlock.settings")), 0);
	testutil_ctx_free(&ctx);

	/* without the desktop facts nothing can be said */
	testutil_ctx(&ctx, "weak", NULL);
	collect_screenlock(&ctx);
	assert_string_equal(testutil_unavailable(&ctx, "screenlock.settings"),
	                    "error");
	testutil_ctx_free(&ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_xfconf),     cmocka_unit_test(test_weak),
	    cmocka_unit_test(test_hardened),   cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_no_desktop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
