/*
 * test_keyfile.c — the keyfile parser, dconf value helpers and the GVDB
 * reader (keyfile.c), including damaged GVDB files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testutil.h"
#include "agent/keyfile.h"
#include "lib/file.h"

static void
test_parse(void **state)
{
	static const char text[] = "top=1\n"
	                           "# comment\n"
	                           "; another\n"
	                           "[Seat:*]\n"
	                           "  allow-guest = true  \n"
	                           "autologin-user=\n"
	                           "not a pair\n"
	                           "[Seat:*]\n"
	                           "allow-guest=false\n"
	                           "[broken\n";
	struct keyfile kf = {0};
	int line;

	(void)state;
	assert_int_equal(keyfile_parse(text, sizeof(text) - 1, &kf), -1);
	assert_int_equal(kf.bad_line, 7);
	assert_string_equal(keyfile_get(&kf, "", "top", NULL), "1");
	assert_string_equal(keyfile_get(&kf, "Seat:*", "allow-guest", &line),
	                    "false");
	assert_int_equal(line, 9);
	assert_string_equal(keyfile_get(&kf, "Seat:*", "autologin-user", NULL),
	                    "");
	assert_null(keyfile_get(&kf, "Seat:*", "missing", NULL));
	keyfile_free(&kf);

	assert_int_equal(keyfile_parse("a=\xc3\x28", 4, &kf), -1);
	assert_int_equal(kf.n, 0);
	keyfile_free(&kf);
	assert_int_equal(keyfile_parse("", 0, &kf), 0);
	keyfile_free(&kf);
}

static void
test_values(void **state)
{
	long long n;
	bool b;

	(void)state;
	assert_true(keyfile_bool("Yes", &b) && b);
	assert_true(keyfile_bool("0", &b) && !b);
	assert_false(keyfile_bool("maybe", &b));
	assert_true(keyfile_gvariant_bool("true", &b) && b);
	assert_false(keyfile_gvariant_bool("True", &b));
	assert_true(keyfile_gvariant_int("uint32 300", &n) && n == 300);
	assert_true(keyfile_gvariant_int("600", &n) && n == 600);
	assert_true(keyfile_gvariant_int("int32 -1", &n) && n == -1);
	assert_false(keyfile_gvariant_int("uint32", &n));
	assert_false(keyfile_gvariant_int("uint32 3x", &n));
	assert_false(keyfile_gvariant_int("'300'", &n));
}

static void
test_gvdb(void **state)
{
	struct keyfile_gvalue v;
	char path[512], *buf, *copy;
	size_t len, i;

	(void)state;
	snprintf(path, sizeof(path), "%s/home/nguyenvana/.config/dconf/user",
	         testutil_tree("weak"));
	assert_int_equal(file_read_path(path, FILE_MAX_SMALL, &buf, &len), 0);
	assert_int_equal(
	    keyfile_gvdb_lookup(buf, len,
	                        "/org/gnome/desktop/session/idle-delay", &v),
	    1);
	assert_int_equal(v.type, 'u');
	assert_int_equal(v.num, 1800);
	assert_int_equal(
	    keyfile_gvdb_lookup(
	        buf, len, "/org/gnome/desktop/screensaver/lock-enabled", &v),
	    1);
	assert_int_equal(v.type, 'b');
	assert_true(v.b);
	/* a string value is not decoded; a missing key is absent */
	assert_int_equal(
	    keyfile_gvdb_lookup(
	        buf, len, "/org/gnome/desktop/interface/clock-format", &v),
	    0);
	assert_int_equal(keyfile_gvdb_lookup(
	                     buf, len, "/org/gnome/desktop/session/idle", &v),
	                 0);
	assert_int_equal(keyfile_gvdb_lookup(buf, len, "idle-delay", &v), 0);

	/* damaged copies never read outside the buffer */
	assert_int_equal(keyfile_gvdb_lookup(buf, 10, "/a", &v), -1);
	copy = malloc(len);
	for (i = 0; i < len; i++) {
		memcpy(copy, buf, len);
		copy[i] = (char)0xff;
		(void)keyfile_gvdb_lookup(
		    copy, len, "/org/gnome/desktop/session/idle-delay", &v);
	}
	for (i = 1; i < len; i++)
		(void)keyfile_gvdb_lookup(
		    buf, i, "/org/gnome/desktop/session/idle-delay", &v);
	memcpy(copy, buf, len);
	memcpy(copy, "GVariang", 8);
	assert_int_equal(keyfile_gvdb_lookup(copy, len, "/a", &v), -1);
	free(copy);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_values),
	    cmocka_unit_test(test_gvdb),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
