/*
 * test_json.c — unit tests of src/lib/json.c: dotted paths, getters with
 * defaults, setters that keep the document valid UTF-8, RFC 3339 times
 * and pretty printing in insertion order.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"
#include "lib/json.h"

static void
test_path(void **state)
{
	json_t *root;

	(void)state;
	root = json_loads("{\"os\":{\"id\":\"debian\","
	    "\"version\":{\"major\":12}},"
	    "\"network\":{\"interfaces\":[1,2]},\"x\":3}", 0, NULL);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_path(root, "os.id")),
	    "debian");
	assert_int_equal(json_integer_value(json_path(root,
	    "os.version.major")), 12);
	assert_int_equal(json_array_size(json_path(root,
	    "network.interfaces")), 2);
	assert_ptr_equal(json_path(root, "x"), json_object_get(root, "x"));
	assert_null(json_path(root, "os.missing"));
	assert_null(json_path(root, "x.y"));		/* through a number */
	assert_null(json_path(root, "network.interfaces.0"));
	assert_null(json_path(root, ""));
	assert_null(json_path(root, "os..id"));
	assert_null(json_path(root, "os."));
	assert_null(json_path(NULL, "os"));
	assert_null(json_path(root, NULL));
	json_decref(root);
}

static void
test_path_set(void **state)
{
	json_t *root = json_object();
	char *s;

	(void)state;
	assert_int_equal(json_path_set(root, "accounts.users.count",
	    json_integer(4)), 0);
	assert_int_equal(json_path_set(root, "accounts.users.names",
	    json_array()), 0);
	assert_int_equal(json_path_set(root, "top", json_true()), 0);
	assert_int_equal(json_integer_value(json_path(root,
	    "accounts.users.count")), 4);
	/* replaces */
	assert_int_equal(json_path_set(root, "accounts.users.count",
	    json_integer(5)), 0);
	assert_int_equal(json_integer_value(json_path(root,
	    "accounts.users.count")), 5);
	/* cannot go through a non-object; the value is released */
	assert_int_equal(json_path_set(root, "top.x", json_string("v")), -1);
	assert_int_equal(json_path_set(root, "a..b", json_string("v")), -1);
	assert_int_equal(json_path_set(root, "", json_string("v")), -1);
	assert_int_equal(json_path_set(root, "ok", NULL), -1);
	assert_int_equal(json_path_set(NULL, "a", json_string("v")), -1);
	s = json_dumps(root, JSON_COMPACT);
	assert_string_equal(s, "{\"accounts\":{\"users\":{\"count\":5,"
	    "\"names\":[]}},\"top\":true}");
	free(s);
	json_decref(root);
}

static void
test_getters(void **state)
{
	json_t *o;

	(void)state;
	o = json_loads("{\"s\":\"chuỗi\",\"i\":-7,\"b\":false,\"r\":1.5,"
	    "\"n\":null}", 0, NULL);
	assert_non_null(o);
	assert_string_equal(json_str(o, "s", "d"), "chuỗi");
	assert_string_equal(json_str(o, "i", "d"), "d");
	assert_string_equal(json_str(o, "none", "d"), "d");
	assert_null(json_str(o, "n", NULL));
	assert_int_equal(json_int(o, "i", 0), -7);
	assert_int_equal(json_int(o, "r", 9), 9);	/* real is not int */
	assert_int_equal(json_int(o, "s", 9), 9);
	assert_false(json_bool(o, "b", true));
	assert_true(json_bool(o, "i", true));
	assert_true(json_bool(NULL, "b", true));
	assert_int_equal(json_int(NULL, "i", 3), 3);
	assert_string_equal(json_str(NULL, "s", "x"), "x");
	json_decref(o);
}

static void
test_setters(void **state)
{
	json_t *o = json_object(), *a = json_array();
	char *s;

	(void)state;
	json_set_str(o, "name", "Trần Thị Bích");
	json_set_str(o, "skip", NULL);
	json_set_str(o, "bad", "ab\xff" "c\xe1\xbb");
	json_set_int(o, "n", 1LL << 40);
	json_set_bool(o, "t", true);
	json_append_str(a, "x");
	json_append_str(a, NULL);
	json_append_str(a, "\xc3");
	json_set_str(NULL, "k", "v");
	json_append_str(NULL, "v");
	assert_string_equal(json_str(o, "name", ""), "Trần Thị Bích");
	assert_null(json_object_get(o, "skip"));
	/* invalid bytes become U+FFFD: the value stays, the JSON is valid */
	assert_string_equal(json_str(o, "bad", ""),
	    "ab\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd");
	assert_int_equal(json_int(o, "n", 0), 1LL << 40);
	assert_true(json_bool(o, "t", false));
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(json_string_value(json_array_get(a, 1)),
	    "\xef\xbf\xbd");
	s = json_dumps(o, 0);
	assert_non_null(s);
	free(s);
	json_decref(o);
	json_decref(a);
}

static void
test_time(void **state)
{
	char buf[32];

	(void)state;
	json_time(0, buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	json_time(1795544700LL, buf, sizeof(buf));
	assert_string_equal(buf, "2026-11-24T18:25:00Z");
	json_time(1795544700LL, buf, 21);
	assert_string_equal(buf, "2026-11-24T18:25:00Z");
	json_time(1795544700LL, buf, 10);	/* too small: empty */
	assert_string_equal(buf, "");
}

static void
test_dumps_pretty(void **state)
{
	json_t *o = json_object();
	char *s;

	(void)state;
	json_set_str(o, "z", "đầu tiên");
	json_set_int(o, "a", 1);
	json_object_set_new(o, "l", json_pack("[i]", 2));
	s = json_dumps_pretty(o);
	assert_string_equal(s, "{\n  \"z\": \"đầu tiên\",\n  \"a\": 1,\n"
	    "  \"l\": [\n    2\n  ]\n}");
	free(s);
	assert_null(json_dumps_pretty(NULL));
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_path_set),
		cmocka_unit_test(test_getters),
		cmocka_unit_test(test_setters),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_dumps_pretty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
