/*
 * test_usb.c — removable storage policy (collect_usb.c): modprobe.d
 * parsing and the fixture trees, after collect_services and
 * collect_desktop.
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

static bool
boolean(struct collect_ctx *ctx, const char *path)
{
	json_t *v = testutil_fact(ctx, path);

	assert_true(json_is_boolean(v));
	return json_boolean_value(v);
}

static void
test_modprobe(void **state)
{
	static const char t1[] = "# blacklist usb-storage\noptions x y=1\n";
	static const char t2[] = "blacklist usb_storage\n";
	static const char t3[] = "install usb-storage /usr/bin/true\n";
	static const char t4[] = "install usb-storage /sbin/modprobe "
	                         "--ignore-install usb-storage\n";
	static const char t5[] = "blacklist\n";
	static const char t6[] = "blacklist uas\n";
	unsigned f;

	(void)state;
	f = 0;
	assert_int_equal(collect_usb_parse_modprobe(t1, strlen(t1), &f), 0);
	assert_false(collect_usb_blocked(f));
	/* a blacklist alone: uas (USB 3 drives) still pulls it in */
	assert_int_equal(collect_usb_parse_modprobe(t2, strlen(t2), &f), 0);
	assert_int_equal(f, USB_BLACKLIST_STORAGE);
	assert_false(collect_usb_blocked(f));
	assert_int_equal(collect_usb_parse_modprobe(t6, strlen(t6), &f), 0);
	assert_true(collect_usb_blocked(f));
	f = 0;
	assert_int_equal(collect_usb_parse_modprobe(t3, strlen(t3), &f), 0);
	assert_true(collect_usb_blocked(f));
	f = 0;
	assert_int_equal(collect_usb_parse_modprobe(t4, strlen(t4), &f), 0);
	assert_false(collect_usb_blocked(f));
	assert_int_equal(collect_usb_parse_modprobe(t5, strlen(t5), &f), 1);
}

static void
run(struct collect_ctx *ctx, const char *tree)
{
	testutil_ctx(ctx, tree, NULL);
	collect_services(ctx);
	collect_desktop(ctx);
	collect_usb(ctx);
}

static void
test_weak(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	run(&ctx, "weak");
	assert_false(boolean(&ctx, "usb.storage_blocked"));
	assert_false(boolean(&ctx, "usb.usbguard"));
	assert_true(boolean(&ctx, "usb.automount"));
	assert_true(boolean(&ctx, "usb.autorun"));
	assert_string_equal(testutil_unavailable(&ctx, "usb.storage_loaded"),
	                    "na");
	testutil_ctx_free(&ctx);
}

static void
test_hardened(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	run(&ctx, "hardened");
	assert_true(boolean(&ctx, "usb.storage_blocked"));
	assert_true(boolean(&ctx, "usb.usbguard"));
	assert_false(boolean(&ctx, "usb.automount"));
	assert_false(boolean(&ctx, "usb.autorun"));
	testutil_ctx_free(&ctx);
}

static void
test_malformed(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	run(&ctx, "malformed");
	assert_null(testutil_fact(&ctx, "usb.storage_blocked"));
	assert_string_equal(testutil_unavailable(&ctx, "usb.storage_blocked"),
	                    "error");
	assert_string_equal(testutil_unavailable(&ctx, "usb.automount"),
	                    "error");
	assert_false(boolean(&ctx, "usb.usbguard"));
	testutil_ctx_free(&ctx);
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
	collect_usb(&ctx);
	assert_true(json_is_boolean(testutil_fact(&ctx, "usb.storage_loaded")));
	testutil_ctx_free(&ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_modprobe), cmocka_unit_test(test_weak),
	    cmocka_unit_test(test_hardened), cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
