/*
 * test_cli_out.c — canhgac's output helpers (src/cli/out.c): Vietnam time,
 * display width of Vietnamese text, cutting, the escaping of what an agent
 * sends (terminal escapes, bidi overrides, invalid UTF-8) before it reaches
 * the administrator's terminal, the JSON array the listings stream and the
 * words they translate.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/cli.h"

static void
test_time(void **state)
{
	char buf[OUT_TIME_LEN];

	(void)state;
	/* 2026-11-29T10:05:00Z is 17:05 in Hà Nội */
	out_time(1795946700, buf);
	assert_string_equal(buf, "2026-11-29 17:05");
	/* 17:00 UTC is already the next day in Vietnam */
	out_time(1795971600, buf);
	assert_string_equal(buf, "2026-11-30 00:00");
	out_time(0, buf);
	assert_string_equal(buf, "—");
}

static void
test_width(void **state)
{
	char *s;

	(void)state;
	assert_int_equal(out_width("Phòng Kế toán"), 13);
	/* NFD: combining marks take no column */
	assert_int_equal(out_width("Pho\xcc\x80ng"), 5);
	assert_int_equal(out_width("máy 中文"), 8);
	s = out_cut("Ủy ban nhân dân phường", 10);
	assert_string_equal(s, "Ủy ban nh…");
	assert_int_equal(out_width(s), 10);
	free(s);
	s = out_cut("ngắn", 10);
	assert_string_equal(s, "ngắn");
	free(s);
	/* a wide character is never split across the limit */
	s = out_cut("中文中文", 4);
	assert_string_equal(s, "中…");
	free(s);
}

static void
test_escape(void **state)
{
	char *s;

	(void)state;
	/* an ESC sequence that would clear the screen or retitle the window */
	s = out_escape("pc\x1b[2J\x1b]0;owned\x07");
	assert_null(strchr(s, 0x1b));
	assert_null(strchr(s, 0x07));
	assert_string_equal(s, "pc\\x1b[2J\\x1b]0;owned\\x07");
	free(s);
	/* a fake second line, carriage return overwriting the line */
	s = out_escape("ok\r\nfail\tx");
	assert_string_equal(s, "ok\\r\\nfail\\tx");
	free(s);
	/* bidi override (Trojan Source), zero-width space, C1 CSI */
	s = out_escape("a\xe2\x80\xae" "b\xe2\x80\x8b" "c\xc2\x9b" "d");
	assert_string_equal(s, "a\\u{202e}b\\u{200b}c\\u{009b}d");
	free(s);
	/* invalid UTF-8 shown byte by byte */
	s = out_escape("x\xff\xc3");
	assert_string_equal(s, "x\\xff\\xc3");
	free(s);
	/* Vietnamese stays, in NFC */
	s = out_escape("Pho\xcc\x80ng");
	assert_string_equal(s, "Phòng");
	free(s);
	s = out_escape(NULL);
	assert_string_equal(s, "");
	free(s);
}

static void
test_table(void **state)
{
	static const struct out_col cols[] = {
		{"MÁY", "HOST", 0, 0, false, false},
		{"ĐIỂM", "SCORE", 0, 0, true, false},
		{"BẰNG CHỨNG", "EVIDENCE", 0, 0, false, true},
	};
	struct out_table *t;
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	(void)state;
	t = out_table_new(cols, 3, false);
	out_table_row(t, (const char *const[]){ "máy-kế-toán", "85",
	    "một bằng chứng rất dài rất dài rất dài rất dài" });
	out_table_row(t, (const char *const[]){ "pc\x1b[31m", "7", NULL });
	m = open_memstream(&buf, &len);
	out_table_print(m, t, 40);
	fclose(m);
	assert_string_equal(buf,
	    "MÁY          ĐIỂM  BẰNG CHỨNG\n"
	    "máy-kế-toán    85  một bằng chứng rất d…\n"
	    "pc\\x1b[31m      7\n");
	free(buf);
	out_table_free(t);
}

static void
test_json(void **state)
{
	json_t *o = json_object();
	char *s;

	(void)state;
	out_json_str(o, "a", "bad\xff");
	out_json_str(o, "b", NULL);
	out_json_time(o, "c", 0);
	out_json_time(o, "d", 1795946700);
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(s, "{\"a\":\"bad\xef\xbf\xbd\",\"b\":null,"
	    "\"c\":null,\"d\":\"2026-11-29T10:05:00Z\"}");
	free(s);
	json_decref(o);
}

/* The JSON array a listing streams: "[]" when empty, one element a line,
 * the element released (ASan sees a leak otherwise). */
static void
test_jsonarr(void **state)
{
	struct out_jsonarr a;
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	(void)state;
	m = open_memstream(&buf, &len);
	out_jsonarr_begin(&a, m);
	out_jsonarr_end(&a);
	fclose(m);
	assert_string_equal(buf, "[]\n");
	free(buf);

	buf = NULL;
	m = open_memstream(&buf, &len);
	out_jsonarr_begin(&a, m);
	out_jsonarr_add(&a, json_pack("{s:s}", "máy", "kế-toán"));
	out_jsonarr_add(&a, json_pack("{s:i,s:n}", "n", 2, "x"));
	out_jsonarr_end(&a);
	fclose(m);
	assert_string_equal(buf,
	    "[\n{\"máy\":\"kế-toán\"},\n{\"n\":2,\"x\":null}\n]\n");
	free(buf);
}

/* Words the store keeps as ids, in either language; an id the store
 * should not hold (an agent's word) is shown as it is, never dropped. */
static void
test_words(void **state)
{
	(void)state;
	assert_string_equal(out_status("fail", false), "không đạt");
	assert_string_equal(out_status("fail", true), "fail");
	assert_string_equal(out_status("na", false), "không áp dụng");
	assert_string_equal(out_status("na", true), "n/a");
	assert_string_equal(out_severity("critical", false), "nghiêm trọng");
	assert_string_equal(out_severity("info", true), "info");
	assert_string_equal(out_severity("low", false), "thấp");
	/* the two vocabularies stay apart */
	assert_string_equal(out_status("high", false), "high");
	assert_string_equal(out_severity("fail", false), "fail");
	assert_string_equal(out_status("FAIL", false), "FAIL");
	assert_string_equal(out_status("", true), "");
	assert_string_equal(out_status(NULL, false), "");
	assert_string_equal(out_severity(NULL, true), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_jsonarr),
		cmocka_unit_test(test_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
