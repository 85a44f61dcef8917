/*
 * test_web.c — the console's gate helpers (src/server/web.c, the console
 * parts of src/server/http.c) and its catalogue (src/server/msg.c): page
 * patterns and their ":x" segments, form bodies (bad percent escapes,
 * invalid UTF-8, control characters, repeated and too many fields, too
 * large), cookies, the CSRF comparison, redirect targets, reply headers,
 * the catalogue's checks, and the embedded web/ files loading cleanly.
 * The gate over TLS is tested by tests/server/060-console-gate.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "server/http.h"
#include "server/msg.h"
#include "server/web.h"

static void
free_args(char **a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(a[i]);
}

static void
test_match(void **state)
{
	char *a[4];

	(void)state;
	assert_int_equal(web_match("/", "/", a, 4), 1);
	assert_int_equal(web_match("/tong-quan", "/tong-quan", a, 4), 1);
	assert_int_equal(web_match("/tong-quan", "/tong-quan/", a, 4), 0);
	assert_int_equal(web_match("/tong-quan", "/tong", a, 4), 0);
	assert_int_equal(web_match("/tong-quan", "/", a, 4), 0);
	assert_int_equal(web_match("/", "/x", a, 4), 0);
	assert_int_equal(web_match("/may/:id", "/may/abc-1", a, 4), 1);
	assert_string_equal(a[0], "abc-1");
	free_args(a, 4);
	assert_int_equal(web_match("/may/:id/phat-hien/:check",
	    "/may/m%C3%A1y%201/phat-hien/ssh.root", a, 4), 1);
	assert_string_equal(a[0], "máy 1");
	assert_string_equal(a[1], "ssh.root");
	free_args(a, 4);
	/* No empty segment, no extra or missing segments. */
	assert_int_equal(web_match("/may/:id", "/may/", a, 4), 0);
	assert_int_equal(web_match("/may/:id", "/may", a, 4), 0);
	assert_int_equal(web_match("/may/:id", "/may/a/b", a, 4), 0);
	assert_int_equal(web_match("/may/:id", "/may//", a, 4), 0);
	/* An encoded "/" stays in its segment: a site's host id. */
	assert_int_equal(web_match("/may/:id",
	    "/may/site%3Ahttps%3A%2F%2Fp.test%3A443", a, 4), 1);
	assert_string_equal(a[0], "site:https://p.test:443");
	free_args(a, 4);
	assert_int_equal(web_match("/may/:id/phat-hien/:check",
	    "/may/site%3Ahttp%3A%2F%2Fp.test%3A80/phat-hien/site-spam", a, 4),
	    1);
	assert_string_equal(a[0], "site:http://p.test:80");
	assert_string_equal(a[1], "site-spam");
	free_args(a, 4);
	/* Matches, but the segment is refused. */
	assert_int_equal(web_match("/may/:id", "/may/a%00b", a, 4), -1);
	free_args(a, 4);
	assert_int_equal(web_match("/may/:id", "/may/a%0Ab", a, 4), -1);
	free_args(a, 4);
	assert_int_equal(web_match("/may/:id", "/may/a%09b", a, 4), -1);
	free_args(a, 4);
	assert_int_equal(web_match("/may/:id", "/may/%ZZ", a, 4), -1);
	free_args(a, 4);
	assert_int_equal(web_match("/may/:id", "/may/%4", a, 4), -1);
	free_args(a, 4);
	assert_int_equal(web_match("/may/:id", "/may/%C3%28", a, 4), -1);
	free_args(a, 4);
	{
		char path[400] = "/may/";

		memset(path + 5, 'a', 129);
		assert_int_equal(web_match("/may/:id", path, a, 4), -1);
		free_args(a, 4);
		path[5 + 128] = '\0';
		assert_int_equal(web_match("/may/:id", path, a, 4), 1);
		assert_int_equal(strlen(a[0]), 128);
		free_args(a, 4);
	}
}

static json_t *
form(const char *s, const char **err_out)
{
	static char err[512];
	json_t *o = NULL;

	err[0] = '\0';
	if (http_form_parse(s, strlen(s), WEB_MAX_BODY, &o, err,
	    sizeof(err)) != 0)
		assert_null(o);
	if (err_out != NULL)
		*err_out = err;
	return o;
}

static void
test_form(void **state)
{
	const char *err;
	json_t *o;
	char *big;

	(void)state;
	o = form("login=an&password=a%2Bb+c%26d%3D&csrf=xyz&empty=&flag", NULL);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "login")),
	    "an");
	assert_string_equal(json_string_value(json_object_get(o, "password")),
	    "a+b c&d=");
	assert_string_equal(json_string_value(json_object_get(o, "empty")), "");
	assert_string_equal(json_string_value(json_object_get(o, "flag")), "");
	json_decref(o);
	/* Vietnamese, and the separators of a textarea. */
	o = form("name=Ph%C3%B2ng+K%E1%BA%BF+to%C3%A1n&t=a%0D%0Ab%09c", NULL);
	assert_string_equal(json_string_value(json_object_get(o, "name")),
	    "Phòng Kế toán");
	assert_string_equal(json_string_value(json_object_get(o, "t")),
	    "a\r\nb\tc");
	json_decref(o);
	/* A repeated field keeps the first: a second csrf cannot win. */
	o = form("csrf=first&csrf=second&&x=1", NULL);
	assert_string_equal(json_string_value(json_object_get(o, "csrf")),
	    "first");
	json_decref(o);
	/* Bad escapes. */
	assert_null(form("a=%", &err));
	assert_non_null(strstr(err, "“a”"));
	assert_null(form("a=%4", NULL));
	assert_null(form("a=%G1", NULL));
	assert_null(form("a=%%41", NULL));
	assert_null(form("a%=1", NULL));
	/* Invalid UTF-8: a lone continuation byte, an overlong '/', a
	 * surrogate, a truncated sequence. */
	assert_null(form("a=%80", NULL));
	assert_null(form("a=%C0%AF", NULL));
	assert_null(form("a=%ED%A0%80", NULL));
	assert_null(form("a=%E1%BA", NULL));
	assert_null(form("a=\xff", NULL));
	/* NUL and other control characters. */
	assert_null(form("a=x%00y", NULL));
	assert_null(form("a=%1B[31m", NULL));
	assert_null(form("a=%7F", NULL));
	assert_null(form("%00=1", NULL));
	/* A field without a name. */
	assert_null(form("=1", NULL));
	/* Too large: refused whole, not cut. */
	big = malloc(WEB_MAX_BODY + 10);
	memset(big, 'a', WEB_MAX_BODY + 9);
	memcpy(big, "a=", 2);
	big[WEB_MAX_BODY + 9] = '\0';
	assert_null(form(big, &err));
	assert_non_null(strstr(err, "too large"));
	/* Too many fields. */
	{
		size_t i, o2 = 0;

		for (i = 0; i < HTTP_FORM_MAX_FIELDS + 1; i++)
			o2 += (size_t)sprintf(big + o2, "f%zu=1&", i);
		assert_null(form(big, &err));
		assert_non_null(strstr(err, "too many"));
	}
	free(big);
}

static void
test_percent(void **state)
{
	char out[64];
	size_t n;

	(void)state;
	assert_true(http_percent_decode("a+b%20c", 7, true, out, &n));
	assert_string_equal(out, "a b c");
	assert_true(http_percent_decode("a+b", 3, false, out, &n));
	assert_string_equal(out, "a+b");
	assert_false(http_percent_decode("%2", 2, false, out, &n));
	assert_false(http_percent_decode("%", 1, false, out, &n));
	assert_true(http_percent_decode("%e1%BA%BF", 9, false, out, &n));
	assert_string_equal(out, "ế");
	assert_int_equal(n, 3);
}

static void
test_cookie(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(http_cookie_find("cg_session=abc", "cg_session",
	    buf, sizeof(buf)), "abc");
	assert_string_equal(http_cookie_find("lang=en; cg_session=abc-_9;  "
	    "x=1", "cg_session", buf, sizeof(buf)), "abc-_9");
	assert_string_equal(http_cookie_find("x=1;lang=\"vi\"", "lang", buf,
	    sizeof(buf)), "vi");
	/* Names are exact: a prefix or suffix is another cookie. */
	assert_null(http_cookie_find("xcg_session=1; cg_session_=2",
	    "cg_session", buf, sizeof(buf)));
	assert_null(http_cookie_find("session=1", "cg_session", buf,
	    sizeof(buf)));
	/* The first of two wins. */
	assert_string_equal(http_cookie_find("a=1; a=2", "a", buf,
	    sizeof(buf)), "1");
	assert_string_equal(http_cookie_find("a=", "a", buf, sizeof(buf)), "");
	/* Too long for the buffer, or bytes a cookie may not hold. */
	assert_null(http_cookie_find("a=0123456789", "a", buf, 5));
	assert_null(http_cookie_find("a=x\\y", "a", buf, sizeof(buf)));
	assert_null(http_cookie_find("a=x\"y", "a", buf, sizeof(buf)));
	assert_null(http_cookie_find("a=x\x01y", "a", buf, sizeof(buf)));
	assert_null(http_cookie_find("a=\xc3\xa1", "a", buf, sizeof(buf)));
	assert_null(http_cookie_find(NULL, "a", buf, sizeof(buf)));
	assert_null(http_cookie_find("", "a", buf, sizeof(buf)));
	assert_null(http_cookie_find(";;; ;", "a", buf, sizeof(buf)));
	assert_null(http_cookie_find("a", "a", buf, sizeof(buf)));
}

static void
test_csrf(void **state)
{
	(void)state;
	assert_true(web_csrf_equal("AbC-_123", "AbC-_123"));
	assert_false(web_csrf_equal("AbC-_123", "AbC-_124"));
	assert_false(web_csrf_equal("AbC-_123", "AbC-_12"));
	assert_false(web_csrf_equal("AbC-_12", "AbC-_123"));
	assert_false(web_csrf_equal("", ""));
	assert_false(web_csrf_equal(NULL, "x"));
	assert_false(web_csrf_equal("x", NULL));
	assert_false(web_csrf_equal("abc", "ABC"));
}

static void
test_local_path(void **state)
{
	(void)state;
	assert_true(web_local_path("/"));
	assert_true(web_local_path("/tong-quan"));
	assert_true(web_local_path("/may/a%20b?x=1"));
	assert_false(web_local_path(NULL));
	assert_false(web_local_path(""));
	assert_false(web_local_path("tong-quan"));
	assert_false(web_local_path("//evil.example/"));
	assert_false(web_local_path("/\\evil.example/"));
	assert_false(web_local_path("/a\\b"));
	assert_false(web_local_path("https://evil.example/"));
	assert_false(web_local_path("/a\r\nSet-Cookie: x=1"));
	assert_false(web_local_path("/a b"));
	assert_false(web_local_path("/máy"));
}

static void
test_reply_headers(void **state)
{
	struct http_reply rep;
	char big[HTTP_HEADER_VALUE_MAX + 2];

	(void)state;
	memset(&rep, 0, sizeof(rep));
	assert_int_equal(http_reply_header(&rep, "Set-Cookie", "a=1"), 0);
	assert_int_equal(http_reply_header(&rep, "Set-Cookie", "b=2"), 0);
	assert_int_equal(http_reply_header(&rep, "Location", "/x"), 0);
	assert_string_equal(http_reply_header_get(&rep, "set-cookie"), "a=1");
	assert_string_equal(http_reply_header_get(&rep, "LOCATION"), "/x");
	assert_null(http_reply_header_get(&rep, "Cache-Control"));
	/* Header injection. */
	assert_int_equal(http_reply_header(&rep, "Location",
	    "/x\r\nSet-Cookie: evil=1"), -1);
	assert_int_equal(http_reply_header(&rep, "Bad Name", "1"), -1);
	assert_int_equal(http_reply_header(&rep, "Bad:Name", "1"), -1);
	assert_int_equal(http_reply_header(&rep, "", "1"), -1);
	/* Bounded: one value, then the whole. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(http_reply_header(&rep, "X-Big", big), -1);
	big[HTTP_HEADER_VALUE_MAX] = '\0';
	assert_int_equal(http_reply_header(&rep, "X-Big", big), 0);
	while (http_reply_header(&rep, "X-Big", big) == 0)
		;
	assert_true(rep.headers_len <= sizeof(rep.headers));
	assert_string_equal(http_reply_header_get(&rep, "Location"), "/x");
}

static void
test_roles(void **state)
{
	struct web_user u;

	(void)state;
	memset(&u, 0, sizeof(u));
	assert_int_equal(web_role_parse("supervisor"), WEB_ROLE_SUPERVISOR);
	assert_int_equal(web_role_parse("unit-it"), WEB_ROLE_UNIT_IT);
	assert_int_equal(web_role_parse("unit-head"), WEB_ROLE_UNIT_HEAD);
	assert_int_equal(web_role_parse("viewer"), WEB_ROLE_VIEWER);
	assert_int_equal(web_role_parse("admin"), WEB_ROLE_NONE);
	assert_int_equal(web_role_parse(NULL), WEB_ROLE_NONE);
	u.role = WEB_ROLE_SUPERVISOR;
	assert_int_equal(web_scope_unit(&u), 0);
	assert_true(web_can_see_unit(&u, 7));
	u.role = WEB_ROLE_UNIT_IT;
	u.unit_id = 3;
	assert_int_equal(web_scope_unit(&u), 3);
	assert_true(web_can_see_unit(&u, 3));
	assert_false(web_can_see_unit(&u, 4));
	/* A unit role without a unit sees nothing. */
	u.unit_id = 0;
	assert_false(web_can_see_unit(&u, 0));
	assert_false(web_can_see_unit(&u, 3));
	u.role = WEB_ROLE_NONE;
	assert_false(web_can_see_unit(&u, 3));
}

static const char *
msg_err(const char *yml)
{
	static char err[512];
	struct msg_catalog *c = NULL;

	err[0] = '\0';
	if (msg_load("m.yml", yml, strlen(yml), &c, err, sizeof(err)) == 0)
		err[0] = '\0';
	msg_free(c);
	return err;
}

static void
test_msg(void **state)
{
	struct msg_catalog *c;
	char err[512];
	const char *yml = "b.x: {vi: \"Đăng nhập\", en: \"Sign in\"}\n"
	    "a: {vi: \"Một\", en: \"One\"}\n";

	(void)state;
	assert_int_equal(msg_load("m.yml", yml, strlen(yml), &c, err,
	    sizeof(err)), 0);
	assert_int_equal(msg_count(c), 2);
	assert_string_equal(msg_get(c, "b.x", false), "Đăng nhập");
	assert_string_equal(msg_get(c, "b.x", true), "Sign in");
	assert_string_equal(msg_get(c, "a", true), "One");
	assert_null(msg_get(c, "c", false));
	msg_free(c);
	assert_non_null(strstr(msg_err("a: {vi: \"x\"}\n"), "m.yml:1:4:"));
	assert_non_null(strstr(msg_err("a: {vi: \"x\"}\n"), "(en)"));
	assert_non_null(strstr(msg_err("a: {en: \"x\"}\n"), "(vi)"));
	assert_non_null(strstr(msg_err("a: {vi: x, en: y}\na: {vi: x, en: y}\n"),
	    "m.yml:2:1:"));
	assert_non_null(strstr(msg_err("a: {vi: x, en: y, fr: z}\n"),
	    "m.yml:1:19:"));
	assert_non_null(strstr(msg_err("a: {vi: x, vi: y, en: z}\n"),
	    "repeated"));
	assert_non_null(strstr(msg_err("a: [x, y]\n"), "m.yml:1:4:"));
	assert_non_null(strstr(msg_err("- a\n"), "m.yml:1:1:"));
	assert_non_null(strstr(msg_err("a b: {vi: x, en: y}\n"), "invalid"));
	assert_non_null(strstr(msg_err("a: {vi: \"\", en: y}\n"), "empty"));
	assert_non_null(strstr(msg_err("a: {vi: {x: 1}, en: y}\n"), "string"));
	assert_non_null(strstr(msg_err("a: {vi: x, en: y\n"), "YAML"));
	/* Vietnamese in NFD (decomposed) is refused. */
	assert_non_null(strstr(msg_err("a: {vi: \"Đa\xcc\x86ng\", en: y}\n"),
	    "NFC"));
	assert_non_null(strstr(msg_err("a: {vi: \"\xff\", en: y}\n"), "m.yml"));
}

/* The templates and catalogue embedded from web/ load and agree. */
static void
test_embedded(void **state)
{
	char err[1024];
	struct web *w;

	(void)state;
	w = web_new(NULL, NULL, 0, err, sizeof(err));
	if (w == NULL)
		fail_msg("%s", err);
	web_free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_cookie),
		cmocka_unit_test(test_csrf),
		cmocka_unit_test(test_local_path),
		cmocka_unit_test(test_reply_headers),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_msg),
		cmocka_unit_test(test_embedded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
