/*
 * test_tmpl.c — the console's template engine (src/server/tmpl.c): every
 * dangerous character escaped, sections over arrays, objects and scalars,
 * missing keys rendering nothing, raw output only for html_ keys, errors
 * with their file:line:col, and recursion and output bounded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "server/tmpl.h"

static const char *
msg_fake(void *arg, const char *id)
{
	(void)arg;
	if (strcmp(id, "hello") == 0)
		return "Xin chào <bạn> & \"anh\"";
	return NULL;
}

static bool
has_fake(void *arg, const char *id)
{
	return msg_fake(arg, id) != NULL;
}

/* Renders text as a one-template set with model (JSON text). */
static char *
render(const char *text, const char *model_json)
{
	struct tmpl_set *ts = tmpl_set_new();
	json_t *model = json_loads(model_json, 0, NULL);
	char err[512], *out = NULL;
	size_t len;

	assert_non_null(model);
	assert_int_equal(tmpl_set_add(ts, "t", "t.html", text, strlen(text),
	    err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_check(ts, has_fake, NULL, err,
	    sizeof(err)), 0);
	assert_int_equal(tmpl_render(ts, "t", model, msg_fake, NULL, &out,
	    &len, err, sizeof(err)), 0);
	assert_int_equal(strlen(out), len);
	json_decref(model);
	tmpl_set_free(ts);
	return out;
}

/* The error of parsing text, or "" when it parses. */
static const char *
parse_err(const char *text)
{
	static char err[512];
	struct tmpl_set *ts = tmpl_set_new();

	err[0] = '\0';
	if (tmpl_set_add(ts, "t", "web/templates/t.html", text, strlen(text),
	    err, sizeof(err)) == 0)
		err[0] = '\0';
	tmpl_set_free(ts);
	return err;
}

#define EXPECT(text, model, want) do {					\
	char *got_ = render(text, model);				\
	assert_string_equal(got_, want);				\
	free(got_);							\
} while (0)

static void
test_escape(void **state)
{
	(void)state;
	EXPECT("<p>{{v}}</p>", "{\"v\": \"<script>alert('x')</script>\"}",
	    "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>");
	EXPECT("{{v}}", "{\"v\": \"a&b \\\"c\\\" `d` 'e' <f>\"}",
	    "a&amp;b &quot;c&quot; &#96;d&#96; &#39;e&#39; &lt;f&gt;");
	/* An attribute cannot be broken out of. */
	EXPECT("<a title=\"{{v}}\">", "{\"v\": \"x\\\" onmouseover=\\\"1\"}",
	    "<a title=\"x&quot; onmouseover=&quot;1\">");
	/* Already-escaped text is escaped again, never trusted. */
	EXPECT("{{v}}", "{\"v\": \"&lt;b&gt;\"}", "&amp;lt;b&amp;gt;");
	/* Vietnamese passes untouched. */
	EXPECT("{{v}}", "{\"v\": \"Phòng Tư pháp – Hộ tịch\"}",
	    "Phòng Tư pháp – Hộ tịch");
	/* A template tag inside a value is text, not a tag. */
	EXPECT("{{v}}", "{\"v\": \"{{& html_x}}\"}", "{{&amp; html_x}}");
	/* Messages are escaped too. */
	EXPECT("{{_ hello}}", "{}",
	    "Xin chào &lt;bạn&gt; &amp; &quot;anh&quot;");
	{
		char *e = tmpl_escape("<&>\"'`");

		assert_string_equal(e, "&lt;&amp;&gt;&quot;&#39;&#96;");
		free(e);
	}
}

static void
test_values(void **state)
{
	(void)state;
	EXPECT("{{a.b.c}}|{{n}}|{{r}}|{{t}}|{{z}}|{{missing}}|{{a.x.y}}",
	    "{\"a\": {\"b\": {\"c\": \"deep\"}}, \"n\": 42, \"r\": 1.5,"
	    " \"t\": true, \"z\": null}", "deep|42|1.5|true|||");
	EXPECT("{{o}}{{l}}", "{\"o\": {\"k\": 1}, \"l\": [1, 2]}", "");
	EXPECT("a{{! a comment }}b", "{}", "ab");
	EXPECT("{{ spaced }}", "{\"spaced\": \"ok\"}", "ok");
}

static void
test_sections(void **state)
{
	(void)state;
	/* Arrays: each item, with {{.}} and the item's members. */
	EXPECT("{{#l}}[{{.}}]{{/l}}", "{\"l\": [\"a\", \"<b>\", 3]}",
	    "[a][&lt;b&gt;][3]");
	EXPECT("{{#hosts}}{{name}}:{{#tags}}{{.}},{{/tags}};{{/hosts}}",
	    "{\"hosts\": [{\"name\": \"may-1\", \"tags\": [\"x\", \"y\"]},"
	    " {\"name\": \"may-2\", \"tags\": []}]}", "may-1:x,y,;may-2:;");
	/* Outer names are visible inside. */
	EXPECT("{{#l}}{{p}}{{.}} {{/l}}", "{\"p\": \"#\", \"l\": [1, 2]}",
	    "#1 #2 ");
	/* Object: once, as context; true, string, number: once. */
	EXPECT("{{#u}}{{name}}{{/u}}", "{\"u\": {\"name\": \"An\"}}", "An");
	EXPECT("{{#t}}yes{{/t}}{{#s}}[{{.}}]{{/s}}{{#n}}{{.}}{{/n}}",
	    "{\"t\": true, \"s\": \"str\", \"n\": 7}", "yes[str]7");
	/* Falsy: nothing; inverted: shown. */
	EXPECT("{{#f}}no{{/f}}{{#e}}no{{/e}}{{#z}}no{{/z}}{{#s}}no{{/s}}"
	    "{{#m}}no{{/m}}{{#x}}no{{/x}}",
	    "{\"f\": false, \"e\": [], \"z\": 0, \"s\": \"\", \"x\": null}",
	    "");
	EXPECT("{{^f}}1{{/f}}{{^e}}2{{/e}}{{^m}}3{{/m}}{{^t}}no{{/t}}",
	    "{\"f\": false, \"e\": [], \"t\": true}", "123");
	/* Nested sections of the same name. */
	EXPECT("{{#a}}{{#a}}{{v}}{{/a}}{{/a}}",
	    "{\"a\": {\"a\": {\"v\": \"in\"}}}", "in");
}

static void
test_raw(void **state)
{
	(void)state;
	EXPECT("{{& html_svg}}|{{html_svg}}",
	    "{\"html_svg\": \"<svg><rect/></svg>\"}",
	    "<svg><rect/></svg>|&lt;svg&gt;&lt;rect/&gt;&lt;/svg&gt;");
	EXPECT("{{#c}}{{& c.html_x}}{{/c}}", "{\"c\": {\"html_x\": \"<i>\"}}",
	    "<i>");
	/* Raw for any other key is refused when the template is loaded. */
	assert_non_null(strstr(parse_err("ab\n  {{& hostname}}"),
	    "web/templates/t.html:2:3:"));
	assert_non_null(strstr(parse_err("{{& hostname}}"), "html_"));
	assert_non_null(strstr(parse_err("{{& html}}"), "t.html:1:1:"));
	assert_non_null(strstr(parse_err("{{& xhtml_a}}"), "t.html:1:1:"));
	assert_non_null(strstr(parse_err("{{& html_a.evidence}}"),
	    "t.html:1:1:"));
	/* Triple braces are not a way around it. */
	assert_non_null(strstr(parse_err("x{{{evidence}}}"), "t.html:1:2:"));
}

/* {{% x}}: one URL path segment, whatever the value holds. */
static void
test_segment(void **state)
{
	(void)state;
	EXPECT("/may/{{% id}}", "{\"id\": \"site:https://p.test:443\"}",
	    "/may/site%3Ahttps%3A%2F%2Fp.test%3A443");
	EXPECT("/may/{{% id}}", "{\"id\": \"4f1c-aB_9.x~\"}",
	    "/may/4f1c-aB_9.x~");
	/* markup, quotes, spaces, a fragment or a query cannot get out */
	EXPECT("<a href=\"/may/{{% id}}\">", "{\"id\": \"\\\" onclick=x "
	    "<b>?q=1#f&amp;\"}", "<a href=\"/may/%22%20onclick%3Dx%20%3Cb%3E"
	    "%3Fq%3D1%23f%26amp%3B\">");
	EXPECT("{{% id}}", "{\"id\": \"máy\"}", "m%C3%A1y");
	EXPECT("{{% n}}|{{% missing}}|", "{\"n\": 42}", "42||");
}

static void
test_errors(void **state)
{
	const char *e;

	(void)state;
	assert_string_equal(parse_err("plain {{ok}} {{#s}}{{/s}}"), "");
	e = parse_err("line1\nline2 {{#open}}\nnever closed");
	assert_non_null(strstr(e, "web/templates/t.html:2:7:"));
	assert_non_null(strstr(e, "open"));
	e = parse_err("{{#a}}\n{{/b}}");
	assert_non_null(strstr(e, ":2:1:"));
	assert_non_null(strstr(e, "“b”"));
	assert_non_null(strstr(parse_err("{{/x}}"), ":1:1:"));
	assert_non_null(strstr(parse_err("ab {{unclosed"), ":1:4:"));
	assert_non_null(strstr(parse_err("{{}}"), ":1:1:"));
	assert_non_null(strstr(parse_err("{{a b}}"), ":1:1:"));
	assert_non_null(strstr(parse_err("{{a..b}}"), ":1:1:"));
	assert_non_null(strstr(parse_err("{{=<% %>=}}"), ":1:1:"));
	/* Columns count characters, not bytes. */
	assert_non_null(strstr(parse_err("Tổng quan {{>}}"), ":1:11:"));
	/* Not UTF-8. */
	assert_non_null(strstr(parse_err("\xff{{a}}"), "UTF-8"));
	/* Too deep. */
	{
		char deep[4096] = "";
		int i;

		for (i = 0; i < TMPL_MAX_DEPTH + 2; i++)
			strcat(deep, "{{#a}}");
		for (i = 0; i < TMPL_MAX_DEPTH + 2; i++)
			strcat(deep, "{{/a}}");
		assert_non_null(strstr(parse_err(deep), "t.html:1:"));
	}
}

static void
test_set_check(void **state)
{
	struct tmpl_set *ts = tmpl_set_new();
	char err[512];

	(void)state;
	assert_int_equal(tmpl_set_add(ts, "page", "page.html",
	    "x\n {{> nope}}", 13, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_check(ts, has_fake, NULL, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "page.html:2:2:"));
	assert_non_null(strstr(err, "nope"));
	tmpl_set_free(ts);

	ts = tmpl_set_new();
	assert_int_equal(tmpl_set_add(ts, "page", "page.html",
	    "{{_ hello}} {{_ missing.id}}", 28, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_check(ts, has_fake, NULL, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "page.html:1:13:"));
	assert_non_null(strstr(err, "missing.id"));
	/* The same name twice. */
	assert_int_equal(tmpl_set_add(ts, "page", "other.html", "", 0, err,
	    sizeof(err)), -1);
	tmpl_set_free(ts);
}

static void
test_partials(void **state)
{
	struct tmpl_set *ts = tmpl_set_new();
	json_t *m = json_pack("{s:[{s:s},{s:s}]}", "items", "n", "<1>", "n",
	    "2");
	char err[512], *out;
	size_t len;

	(void)state;
	assert_int_equal(tmpl_set_add(ts, "item", "item.html",
	    "<li>{{n}}</li>", 14, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_add(ts, "list", "list.html",
	    "<ul>{{#items}}{{> item}}{{/items}}</ul>", 39, err, sizeof(err)),
	    0);
	assert_int_equal(tmpl_set_add(ts, "loop", "loop.html",
	    "x{{> loop}}", 11, err, sizeof(err)), 0);
	assert_int_equal(tmpl_set_check(ts, NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(tmpl_render(ts, "list", m, NULL, NULL, &out, &len,
	    err, sizeof(err)), 0);
	assert_string_equal(out, "<ul><li>&lt;1&gt;</li><li>2</li></ul>");
	free(out);
	/* A partial calling itself ends with an error, not a crash. */
	assert_int_equal(tmpl_render(ts, "loop", m, NULL, NULL, &out, &len,
	    err, sizeof(err)), -1);
	assert_null(out);
	assert_non_null(strstr(err, "loop.html"));
	assert_int_equal(tmpl_render(ts, "absent", m, NULL, NULL, &out, &len,
	    err, sizeof(err)), -1);
	json_decref(m);
	tmpl_set_free(ts);
}

static void
test_output_bound(void **state)
{
	struct tmpl_set *ts = tmpl_set_new();
	json_t *m = json_object(), *l = json_array();
	char err[512], *out, *big;
	size_t len, i;

	(void)state;
	big = malloc(1u << 20);
	memset(big, '<', (1u << 20) - 1);
	big[(1u << 20) - 1] = '\0';
	json_object_set_new(m, "big", json_string(big));
	free(big);
	for (i = 0; i < 10; i++)
		json_array_append_new(l, json_integer((json_int_t)i));
	json_object_set_new(m, "l", l);
	/* 10 x 1 MiB of '<', each four bytes escaped: 40 MiB > the bound. */
	assert_int_equal(tmpl_set_add(ts, "t", "t.html", "{{#l}}{{big}}{{/l}}",
	    19, err, sizeof(err)), 0);
	assert_int_equal(tmpl_render(ts, "t", m, NULL, NULL, &out, &len, err,
	    sizeof(err)), -1);
	assert_null(out);
	assert_non_null(strstr(err, "too large"));
	json_decref(m);
	tmpl_set_free(ts);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_segment),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_set_check),
		cmocka_unit_test(test_partials),
		cmocka_unit_test(test_output_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
