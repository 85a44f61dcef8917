/*
 * test_chart.c — the console's inline SVG charts (src/server/chart.c):
 * every label escaped (a host or unit named with markup stays text), the
 * result well-formed, no script, style or font inside, values clamped to
 * 0–100 (NaN too), numbers written without a locale's decimal comma,
 * labels cut at a character boundary, bounds on series and bars, the
 * Vietnam time of the axes and pages, and series filled point by point.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/chart.h"

static const char hostile[] = "<script>alert('x')</script>\"&amp;"
    "<img src=x onerror=alert(1)>]]><!--";

/* Counts the occurrences of needle in s. */
static size_t
count(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* A small XML well-formedness check: tags nest and close, attribute
 * values are quoted without '<', text has no bare '<' or '&' that is not
 * an entity, and the root is one <svg> element. */
static bool
well_formed(const char *s)
{
	const char *stack[64];
	size_t stack_len[64];
	int depth = 0, roots = 0;
	const char *p = s;

	while (*p != '\0') {
		if (*p == '<') {
			bool closing = p[1] == '/';
			const char *name = p + (closing ? 2 : 1), *q = name;
			size_t nlen;

			while (*q != '\0' && *q != ' ' && *q != '>' &&
			    *q != '/')
				q++;
			nlen = (size_t)(q - name);
			if (nlen == 0)
				return false;
			/* attributes */
			while (*q != '\0' && *q != '>') {
				if (*q == '"') {
					q++;
					while (*q != '\0' && *q != '"') {
						if (*q == '<')
							return false;
						q++;
					}
					if (*q == '\0')
						return false;
				} else if (*q == '<' || *q == '\'')
					return false;
				q++;
			}
			if (*q != '>')
				return false;
			if (closing) {
				if (depth == 0 || stack_len[depth - 1] != nlen ||
				    strncmp(stack[depth - 1], name, nlen) != 0)
					return false;
				depth--;
			} else if (q[-1] != '/') {
				if (depth == 0)
					roots++;
				if (depth == 64)
					return false;
				stack[depth] = name;
				stack_len[depth++] = nlen;
			}
			p = q + 1;
			continue;
		}
		if (depth == 0)
			return false;	/* text outside the root */
		if (*p == '&') {
			const char *e = strchr(p, ';');

			if (e == NULL || e - p > 6)
				return false;
		}
		if (*p == '>')
			return false;
		p++;
	}
	return depth == 0 && roots == 1 && strncmp(s, "<svg ", 5) == 0;
}

/* What no chart may hold. */
static void
assert_inert(const char *svg)
{
	assert_non_null(svg);
	assert_true(well_formed(svg));
	assert_null(strstr(svg, "<script"));
	assert_null(strstr(svg, "<style"));
	assert_null(strstr(svg, "style="));
	assert_null(strstr(svg, "@font-face"));
	assert_null(strstr(svg, "<img"));
	assert_null(strstr(svg, "<!--"));
	assert_null(strstr(svg, "nan"));
	assert_null(strstr(svg, "inf\""));
	assert_non_null(strstr(svg, "viewBox=\"0 0 "));
	assert_non_null(strstr(svg, "<title>"));
	assert_non_null(strstr(svg, "<desc>"));
}

static void
test_escape(void **state)
{
	char *e;

	(void)state;
	e = chart_escape(hostile);
	assert_string_equal(e, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
	    "&quot;&amp;amp;&lt;img src=x onerror=alert(1)&gt;]]&gt;&lt;!--");
	free(e);
	e = chart_escape(NULL);
	assert_string_equal(e, "");
	free(e);
	/* controls XML cannot carry are dropped; tab and newline kept */
	e = chart_escape("a\x01" "b\x1b[31m\tc\nd\x7f");
	assert_string_equal(e, "ab[31m\tc\nd");
	free(e);
	/* bytes that are not UTF-8, overlong and surrogate forms */
	e = chart_escape("x\xff" "y\xc0\xaf" "z\xed\xa0\x80" "\xef\xbf\xbf");
	assert_string_equal(e, "x\xef\xbf\xbdy\xef\xbf\xbd\xef\xbf\xbd"
	    "z\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	    "\xef\xbf\xbd");
	free(e);
	e = chart_escape("Phòng Văn hóa – Xã hội");
	assert_string_equal(e, "Phòng Văn hóa – Xã hội");
	free(e);
}

static void
test_time(void **state)
{
	char buf[32];

	(void)state;
	/* 10:05 UTC is 17:05 in Vietnam */
	chart_time(1795946700, buf, sizeof(buf));
	assert_string_equal(buf, "29/11/2026 17:05");
	chart_date(1795946700, buf, sizeof(buf));
	assert_string_equal(buf, "29/11/2026");
	/* 17:00 UTC on 1 January is already the 2nd in Vietnam */
	chart_time(1767286800, buf, sizeof(buf));
	assert_string_equal(buf, "02/01/2026 00:00");
	chart_time(0, buf, sizeof(buf));
	assert_string_equal(buf, "");
	chart_date(-5, buf, sizeof(buf));
	assert_string_equal(buf, "");
}

static void
test_bars_hostile(void **state)
{
	struct chart_bar b[3] = {
		{ hostile, 72.4, "/don-vi/1?a=1&b=\"2\"" },
		{ "Phòng Văn hóa – Xã hội", -1, NULL },
		{ "Công an phường", 100, "/don-vi/3" },
	};
	char *svg;

	(void)state;
	svg = chart_bars(hostile, hostile, b, 3);
	assert_inert(svg);
	assert_non_null(strstr(svg, "&lt;script&gt;"));
	assert_non_null(strstr(svg, "href=\"/don-vi/1?a=1&amp;b=&quot;2&quot;\""));
	assert_non_null(strstr(svg, ">72.4<"));
	assert_non_null(strstr(svg, ">100<"));
	/* no value: a dash, no bar */
	assert_non_null(strstr(svg, "\xe2\x80\x94"));
	assert_int_equal(count(svg, "<rect"), 2);
	assert_int_equal(count(svg, "<a href"), 2);
	free(svg);
}

static void
test_bars_cut_and_bounds(void **state)
{
	/* 40 characters, most of them two or three bytes */
	static const char longname[] = "Ủy ban nhân dân phường Thái Hòa – "
	    "Văn phòng";
	struct chart_bar *b;
	char *svg, *text;
	size_t i;

	(void)state;
	b = calloc(CHART_MAX_BARS + 50, sizeof(*b));
	assert_non_null(b);
	for (i = 0; i < CHART_MAX_BARS + 50; i++) {
		b[i].label = longname;
		b[i].value = (double)(i % 150) - 20;	/* -20 .. 129 */
	}
	b[0].value = NAN;
	svg = chart_bars("t", "d", b, CHART_MAX_BARS + 50);
	assert_inert(svg);
	/* every value clamped, the bar never past the scale */
	assert_null(strstr(svg, ">129<"));
	assert_null(strstr(svg, ">-"));
	assert_null(strstr(svg, "width=\"-"));
	/* bars past the bound left out; NaN counts as 0 */
	assert_true(count(svg, "<g>") == CHART_MAX_BARS);
	/* the label cut to CHART_LABEL_MAX (26) characters and an ellipsis,
	 * the whole one in the title */
	text = strstr(svg, ">Ủy ban nhân dân phường Thá\xe2\x80\xa6</text>");
	assert_non_null(text);
	assert_non_null(strstr(svg, "<title>Ủy ban nhân dân phường Thái Hòa"
	    " – Văn phòng"));
	free(svg);
	free(b);
	svg = chart_bars("t", "d", NULL, 0);
	assert_inert(svg);
	free(svg);
}

static void
test_line(void **state)
{
	int64_t t[4] = { 1767286800, 1767286800 + 86400, 1767286800 +
	    2 * 86400, 1767286800 + 9 * 86400 };
	double v[4] = { 10, 250, -5, NAN };
	int64_t t1[1] = { 1795946700 };
	double v1[1] = { 87 };
	struct chart_series s[2] = {
		{ hostile, t, v, 4 },
		{ "Toàn phường", t1, v1, 1 },
	};
	char *svg, *p;

	(void)state;
	svg = chart_line(hostile, hostile, s, 1);
	assert_inert(svg);
	assert_int_equal(count(svg, "<polyline"), 1);
	assert_int_equal(count(svg, "<circle"), 4);
	/* the first and last dates, in Vietnam time */
	assert_non_null(strstr(svg, ">02/01/2026<"));
	assert_non_null(strstr(svg, ">11/01/2026<"));
	/* every point inside the plot: y between 12 and 206 */
	p = strstr(svg, "points=\"");
	assert_non_null(p);
	for (p += 8; *p != '"'; ) {
		double x, y;
		int n = 0;

		assert_int_equal(sscanf(p, "%lf,%lf%n", &x, &y, &n), 2);
		assert_true(x >= 44 && x <= 628);
		assert_true(y >= 12 && y <= 206);
		p += n;
		while (*p == ' ')
			p++;
	}
	free(svg);

	/* one point alone: a dot, no line, a span of a day around it */
	svg = chart_line("t", "d", &s[1], 1);
	assert_inert(svg);
	assert_int_equal(count(svg, "<polyline"), 0);
	assert_int_equal(count(svg, "<circle"), 1);
	assert_non_null(strstr(svg, "cx=\"336\""));
	free(svg);

	/* two series: a legend, both labels escaped */
	svg = chart_line("t", "d", s, 2);
	assert_inert(svg);
	assert_non_null(strstr(svg, "Toàn phường</text>"));
	free(svg);

	/* nothing to draw: the axes only */
	svg = chart_line("t", "d", NULL, 0);
	assert_inert(svg);
	assert_int_equal(count(svg, "<polyline"), 0);
	free(svg);
}

static void
test_line_bounds(void **state)
{
	size_t n = CHART_MAX_POINTS + 500, i;
	int64_t *t = calloc(n, sizeof(*t));
	double *v = calloc(n, sizeof(*v));
	struct chart_series s[CHART_MAX_SERIES + 3];
	char *svg;

	(void)state;
	assert_non_null(t);
	assert_non_null(v);
	for (i = 0; i < n; i++) {
		t[i] = 1767286800 + (int64_t)i * 3600;
		v[i] = (double)(i % 101);
	}
	for (i = 0; i < CHART_MAX_SERIES + 3; i++) {
		s[i].label = "u";
		s[i].t = t;
		s[i].v = v;
		s[i].n = n;
	}
	svg = chart_line("t", "d", s, CHART_MAX_SERIES + 3);
	assert_inert(svg);
	assert_int_equal(count(svg, "<polyline"), CHART_MAX_SERIES);
	/* too many points to tell apart: no dots */
	assert_int_equal(count(svg, "<circle"), 0);
	/* each line keeps the latest CHART_MAX_POINTS points */
	assert_int_equal(count(svg, ",") / CHART_MAX_SERIES,
	    CHART_MAX_POINTS);
	free(svg);
	free(t);
	free(v);
}

static void
test_gauge(void **state)
{
	char *svg;

	(void)state;
	svg = chart_gauge(hostile, 87);
	assert_inert(svg);
	assert_non_null(strstr(svg, ">87</text>"));
	assert_non_null(strstr(svg, "stroke-dasharray=\"87 100\""));
	assert_int_equal(count(svg, "<path"), 2);
	free(svg);
	svg = chart_gauge("g", 100);
	assert_inert(svg);
	assert_non_null(strstr(svg, "stroke-dasharray=\"100 100\""));
	free(svg);
	svg = chart_gauge("g", 0);
	assert_inert(svg);
	assert_int_equal(count(svg, "<path"), 1);
	free(svg);
	svg = chart_gauge("g", -1);
	assert_inert(svg);
	assert_non_null(strstr(svg, "\xe2\x80\x94</text>"));
	free(svg);
	svg = chart_gauge("g", 1e300);
	assert_inert(svg);
	assert_non_null(strstr(svg, ">100</text>"));
	free(svg);
}

/* A locale with a decimal comma must not reach the markup. */
static void
test_locale(void **state)
{
	static const char *const locales[] = {
		"vi_VN.UTF-8", "de_DE.UTF-8", "fr_FR.UTF-8", "C.UTF-8",
	};
	struct chart_bar b = { "x", 12.5, NULL };
	char *svg;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(locales) / sizeof(locales[0]); i++)
		if (setlocale(LC_NUMERIC, locales[i]) != NULL)
			break;
	svg = chart_bars("t", "d", &b, 1);
	assert_inert(svg);
	assert_non_null(strstr(svg, ">12.5<"));
	free(svg);
	setlocale(LC_NUMERIC, "C");
}

/* Points appended one by one: in order, past the first growth, and the
 * series they give draws as one made by hand. */
static void
test_points(void **state)
{
	struct chart_points p;
	struct chart_series s, hand;
	int64_t t[200];
	double v[200];
	char *a, *b;
	size_t i;

	(void)state;
	memset(&p, 0, sizeof(p));
	s = chart_points_series(&p, "trống");
	assert_int_equal(s.n, 0);
	for (i = 0; i < 200; i++) {
		t[i] = 1764400000 + (int64_t)i * 86400;
		v[i] = (double)(i % 101);
		assert_int_equal(chart_points_add(&p, t[i], v[i]), 0);
	}
	assert_int_equal(p.n, 200);
	assert_true(p.cap >= 200);
	for (i = 0; i < 200; i++) {
		assert_true(p.t[i] == t[i]);
		assert_true(p.v[i] == v[i]);
	}
	s = chart_points_series(&p, "Phòng Kế toán");
	assert_string_equal(s.label, "Phòng Kế toán");
	assert_int_equal(s.n, 200);
	hand.label = "Phòng Kế toán";
	hand.t = t;
	hand.v = v;
	hand.n = 200;
	a = chart_line("Điểm", "mô tả", &s, 1);
	b = chart_line("Điểm", "mô tả", &hand, 1);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a, b);
	free(a);
	free(b);
	chart_points_free(&p);
	assert_null(p.t);
	assert_null(p.v);
	assert_int_equal(p.n, 0);
	chart_points_free(&p);		/* twice is harmless */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_bars_hostile),
		cmocka_unit_test(test_bars_cut_and_bounds),
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_line_bounds),
		cmocka_unit_test(test_gauge),
		cmocka_unit_test(test_locale),
		cmocka_unit_test(test_points),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
