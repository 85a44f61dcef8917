/*
 * test_extract_rtf.c — the RTF extractor over documents written here:
 * \info title and subject, a header in a .VnTimeH font, a bold centred
 * large stamp written with \uN escapes, a VNI-Times run, a Windows-1258
 * font, a framed text box (\shp … \shptxt), a footnote, pictures and \bin
 * data skipped, pages and tables, unbalanced braces, deep nesting.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secrets/doc.h"

#include "docsink.h"

/* SKIP at that line (1-based; 0: never). */
static size_t skip_at;

static enum doc_next
skip_answer(struct docsink *d, const struct doc_line *l)
{
	(void)l;
	return skip_at != 0 && d->n == skip_at ? DOC_NEXT_SKIP :
	    DOC_NEXT_MORE;
}

static struct doc_limits lim;
static struct docsink rec;

static enum doc_err
run(const char *rtf, size_t skip)
{
	struct doc_ctx ctx;
	enum doc_err e;

	docsink_init(&rec, skip_answer);
	skip_at = skip;
	doc_limits_default(&lim, false);
	docsink_ctx(&ctx, &lim, &rec);
	e = doc_extract(&ctx, (const unsigned char *)rtf, strlen(rtf),
	    "a.rtf");
	assert_int_equal(e, ctx.err);
	return e;
}

static void
line_is(size_t i, const char *text, enum doc_zone zone, enum doc_enc enc,
    const char *part, unsigned page, unsigned index, unsigned flags)
{
	assert_true(i < rec.n);
	assert_string_equal(rec.l[i].text, text);
	assert_int_equal(rec.l[i].zone, zone);
	assert_int_equal(rec.l[i].enc, enc);
	assert_string_equal(rec.l[i].part, part);
	assert_int_equal(rec.l[i].page, page);
	assert_int_equal(rec.l[i].index, index);
	assert_int_equal(rec.l[i].flags, flags);
}

static const char doc[] =
    "{\\rtf1\\ansi\\ansicpg1252\\deff0\\uc1"
    "{\\fonttbl{\\f0\\froman\\fcharset0 Times New Roman;}"
    "{\\f1\\fnil\\fcharset0 .VnTimeH;}{\\f2\\fnil VNI-Times;}"
    "{\\f3\\fswiss\\fcharset163 Arial;}{\\f4\\fnil\\fcharset2 Symbol;}}\n"
    "{\\colortbl;\\red0\\green0\\blue0;}\n"
    "{\\stylesheet{\\fs26 Normal;}{\\s1\\fs40 heading 1;}}\n"
    "{\\info{\\title B\\'e1o c\\'e1o}{\\subject M\\u7853?t}{\\author X}}\n"
    "{\\header \\pard\\qc\\b {\\f1 M\\'cbT}\\par}\n"
    "\\pard\\qc\\b\\fs36 {\\*\\bkmkstart x}T\\u7888?I M\\u7852?T\\par\n"
    "\\pard\\ql\\b0\\fs26 {\\pict\\wmetafile8 0102ff{}}C\\'f4ng "
    "v\\u259\\'3fn s\\u7889?\\tab 12\\line xin {\\f2 MA\\'c4T}"
    "{\\f4 MAT}\\par\n"
    "{\\shp{\\*\\shpinst{\\sp{\\sn fillColor}{\\sv 0}}{\\shptxt \\pard"
    "\\brdrt\\brdrs {\\f3 M\\'e2\\'f2T}\\par}}{\\shprslt MAT}}\n"
    "{\\footnote \\pard ghi ch\\u250?\\par}\n"
    "\\bin3 }{M\\page\n"
    "Trang 2 {\\*\\unknowndest M\\u7852?T}{\\*\\fldinst HYPERLINK}\\sect\n"
    "\\trowd\\clbrdrt\\brdrs\\cellx100\\pard\\intbl a\\cell b\\cell\\row\n"
    "}";

static void
test_document(void **state)
{
	(void)state;
	assert_int_equal(run(doc, 0), DOC_OK);
	assert_int_equal(rec.n, 11);
	line_is(0, "Báo cáo", DOC_ZONE_META, DOC_ENC_UNICODE, "title", 1, 0,
	    0);
	line_is(1, "Mật", DOC_ZONE_META, DOC_ENC_UNICODE, "subject", 1, 1,
	    0);
	/* .VnTimeH: bytes as code points, capitals by the font */
	line_is(2, "M\xC3\x8BT", DOC_ZONE_HEADER, DOC_ENC_TCVN3, "header", 1,
	    0, DOC_F_BOLD | DOC_F_CAPS | DOC_F_CENTER);
	line_is(3, "TỐI MẬT", DOC_ZONE_BODY, DOC_ENC_UNICODE, "", 1, 0,
	    DOC_F_BOLD | DOC_F_CENTER | DOC_F_LARGE);
	line_is(4, "Công văn số 12", DOC_ZONE_BODY, DOC_ENC_UNICODE, "", 1,
	    1, 0);
	/* VNI-Times run; the symbol font's text is left out */
	line_is(5, "xin MA\xC3\x84T", DOC_ZONE_BODY, DOC_ENC_VNI, "", 1, 2,
	    0);
	/* Windows-1258 font: combining dot below kept as such */
	line_is(6, "M\xC3\xA2\xCC\xA3T", DOC_ZONE_BOX, DOC_ENC_UNICODE,
	    "shape", 1, 0, DOC_F_FRAMED);
	line_is(7, "ghi chú", DOC_ZONE_NOTE, DOC_ENC_UNICODE, "footnote", 1,
	    0, 0);
	/* \bin hides "}{M" */
	line_is(8, "Trang 2", DOC_ZONE_BODY, DOC_ENC_UNICODE, "", 2, 3, 0);
	line_is(9, "a", DOC_ZONE_TABLE, DOC_ENC_UNICODE, "", 3, 0,
	    DOC_F_FRAMED);
	line_is(10, "b", DOC_ZONE_TABLE, DOC_ENC_UNICODE, "", 3, 1,
	    DOC_F_FRAMED);
}

static void
test_skip(void **state)
{
	(void)state;
	/* SKIP on a body line ends the body, and with it the file */
	assert_int_equal(run(doc, 4), DOC_OK);
	assert_int_equal(rec.n, 4);
	/* SKIP on a header line: no more header lines, the body goes on */
	assert_int_equal(run("{\\rtf1{\\header A\\par B\\par}{\\header C\\par}"
	    "x\\par y\\par}", 1), DOC_OK);
	assert_int_equal(rec.n, 3);
	line_is(1, "x", DOC_ZONE_BODY, DOC_ENC_UNICODE, "", 1, 0, 0);
	line_is(2, "y", DOC_ZONE_BODY, DOC_ENC_UNICODE, "", 1, 1, 0);
}

static void
test_unbalanced(void **state)
{
	(void)state;
	/* unclosed groups: what was read is passed on */
	assert_int_equal(run("{\\rtf1{\\b M\\u7852?T\\par{\\i xin", 0), DOC_OK);
	assert_int_equal(rec.n, 2);
	line_is(0, "MẬT", DOC_ZONE_BODY, DOC_ENC_UNICODE, "", 1, 0,
	    DOC_F_BOLD);
	line_is(1, "xin", DOC_ZONE_BODY, DOC_ENC_UNICODE, "", 1, 1,
	    DOC_F_BOLD);
	/* extra closing braces are ignored */
	assert_int_equal(run("{\\rtf1 a}}}\\par b\\par}", 0), DOC_OK);
	assert_int_equal(rec.n, 2);
	line_is(1, "b", DOC_ZONE_BODY, DOC_ENC_UNICODE, "", 1, 1, 0);
	/* a surrogate pair, \uc2 skips, a cut \'h and \bin */
	assert_int_equal(run("{\\rtf1\\uc2 \\u-10179\\'3f\\'3f\\u-8704??x\\'e",
	    0), DOC_OK);
	assert_int_equal(rec.n, 1);
	assert_string_equal(rec.l[0].text, "\xF0\x9F\x98\x80xe");
	assert_int_equal(run("{\\rtf1 y\\bin999999 z}", 0), DOC_OK);
	assert_int_equal(rec.n, 1);
	assert_string_equal(rec.l[0].text, "y");
}

static void
test_deep(void **state)
{
	size_t n = 100000, i;
	char *s = malloc(2 * n + 64);	/* 7 + n + 13 + n + 2 */

	(void)state;
	assert_non_null(s);
	strcpy(s, "{\\rtf1 ");
	for (i = 0; i < n; i++)
		strcat(s + i, "{");
	strcat(s + n, "M\\u7852?T\\par");
	for (i = 0; i < n; i++)
		strcat(s + n + i, "}");
	strcat(s + 2 * n, "x}");
	assert_int_equal(run(s, 0), DOC_OK);
	assert_int_equal(rec.n, 2);
	assert_string_equal(rec.l[0].text, "MẬT");
	assert_string_equal(rec.l[1].text, "x");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_document),
		cmocka_unit_test(test_skip),
		cmocka_unit_test(test_unbalanced),
		cmocka_unit_test(test_deep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
