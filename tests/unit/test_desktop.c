/*
 * test_desktop.c — display manager, desktop sessions, guest login and
 * automatic login (collect_desktop.c) over the fixture trees.
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
	json_t *envs;

	(void)state;
	testutil_ctx(&ctx, "weak", NULL);
	collect_desktop(&ctx);
	assert_true(boolean(&ctx, "desktop.present"));
	assert_string_equal(str(&ctx, "desktop.display_manager"), "lightdm");
	envs = testutil_fact(&ctx, "desktop.environments");
	assert_int_equal(json_array_size(envs), 2);
	assert_true(has(envs, "gnome"));
	assert_true(has(envs, "xfce"));
	assert_true(boolean(&ctx, "desktop.guest_login"));
	assert_true(boolean(&ctx, "desktop.autologin"));
	assert_int_equal(json_object_size(ctx.unavailable), 0);
	testutil_ctx_free(&ctx);
}

static void
test_hardened(void **state)
{
	struct collect_ctx ctx;
	json_t *envs;

	(void)state;
	testutil_ctx(&ctx, "hardened", NULL);
	collect_desktop(&ctx);
	assert_true(boolean(&ctx, "desktop.present"));
	assert_string_equal(str(&ctx, "desktop.display_manager"), "gdm3");
	envs = testutil_fact(&ctx, "desktop.environments");
	/* gnome-xorg and the Wayland session are one desktop */
	assert_int_equal(json_array_size(envs), 1);
	assert_true(has(envs, "gnome"));
	assert_false(boolean(&ctx, "desktop.guest_login"));
	assert_false(boolean(&ctx, "desktop.autologin"));
	testutil_ctx_free(&ctx);
}

static void
test_malformed(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "malformed", NULL);
	collect_desktop(&ctx);
	/* a broken session file still shows a desktop by its name */
	assert_true(boolean(&ctx, "desktop.present"));
	assert_true(has(testutil_fact(&ctx, "desktop.environments"), "gnome"));
	assert_string_equal(str(&ctx, "desktop.display_manager"), "lightdm");
	assert_null(testutil_fact(&ctx, "desktop.autologin"));
	assert_string_equal(testutil_unavailable(&ctx, "desktop.autologin"),
	                    "error");
	assert_string_equal(testutil_unavailable(&ctx, "desktop.guest_login"),
	                    "error");
	testutil_ctx_free(&ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_weak),
	    cmocka_unit_test(test_hardened),
	    cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
