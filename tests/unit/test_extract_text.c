/*
 * test_extract_text.c — the plain text extractor over buffers made here:
 * UTF-8 NFC and NFD (with and without BOM), UTF-16 LE/BE with a BOM and
 * without, Windows-1258, TCVN3 and VNI bytes, VIQR; line ends, form feeds
 * as pages, the sink's SKIP and STOP, max_text and overlong lines.
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

/* The sink answers STOP, SKIP at these lines (1-based; 0: never). */
static size_t skip_at, stop_at;

static enum doc_next
answer_at(struct docsink *d, const struct doc_line *l)
{
	(void)l;
	if (stop_at != 0 && d->n == stop_at)
		return DOC_NEXT_STOP;
	if (skip_at != 0 && d->n == skip_at)
		return DOC_NEXT_SKIP;
	return DOC_NEXT_MORE;
}

static struct doc_limits lim;

static void
ctx_init(struct doc_ctx *ctx, struct docsink *r)
{
	docsink_init(r, answer_at);
	skip_at = stop_at = 0;
	doc_limits_default(&lim, false);
	docsink_ctx(ctx, &lim, r);
}

static enum doc_err
run_at(struct docsink *r, const void *buf, size_t len, size_t skip, size_t stop)
{
	struct doc_ctx ctx;
	enum doc_err e;

	ctx_init(&ctx, r);
	skip_at = skip;
	stop_at = stop;
	e = doc_extract(&ctx, buf, len, "a.txt");
	assert_int_equal(e, ctx.err);
	return e;
}

static enum doc_err
run(struct docsink *r, const void *buf, size_t len)
{
	return run_at(r, buf, len, 0, 0);
}

static void
line_is(struct docsink *r, size_t i, const char *text, enum doc_enc enc,
    unsigned page, unsigned index)
{
	assert_true(i < r->n);
	assert_string_equal(r->l[i].text, text);
	assert_int_equal(r->l[i].enc, enc);
	assert_int_equal(r->l[i].page, page);
	assert_int_equal(r->l[i].index, index);
	assert_int_equal(r->l[i].zone, DOC_ZONE_BODY);
	assert_string_equal(r->l[i].part, "");
}

static void
test_utf8_nfc(void **state)
{
	static const char t[] = "ỦY BAN NHÂN DÂN\n\nTỐI MẬT\r\n"
	    "Số: 12/QĐ-UBND\rHà Nội\fTrang hai\n\f\fTrang bốn  \n";
	struct docsink r;

	(void)state;
	assert_int_equal(run(&r, t, sizeof(t) - 1), DOC_OK);
	assert_int_equal(r.n, 6);
	line_is(&r, 0, "ỦY BAN NHÂN DÂN", DOC_ENC_UNICODE, 1, 0);
	line_is(&r, 1, "TỐI MẬT", DOC_ENC_UNICODE, 1, 2);
	line_is(&r, 2, "Số: 12/QĐ-UBND", DOC_ENC_UNICODE, 1, 3);
	line_is(&r, 3, "Hà Nội", DOC_ENC_UNICODE, 1, 4);
	line_is(&r, 4, "Trang hai", DOC_ENC_UNICODE, 2, 5);
	line_is(&r, 5, "Trang bốn", DOC_ENC_UNICODE, 4, 6);
}

static void
test_utf8_nfd_bom(void **state)
{
	/* "MẬT" decomposed: M A U+0302 U+0323 T, after a UTF-8 BOM */
	static const char t[] = "\xEF\xBB\xBF" "CO\xCC\x82NG VA\xCC\x86N\n"
	    "MA\xCC\x82\xCC\xA3T\n";
	struct docsink r;

	(void)state;
	assert_int_equal(run(&r, t, sizeof(t) - 1), DOC_OK);
	assert_int_equal(r.n, 2);
	line_is(&r, 0, "CO\xCC\x82NG VA\xCC\x86N", DOC_ENC_UNICODE, 1, 0);
	line_is(&r, 1, "MA\xCC\x82\xCC\xA3T", DOC_ENC_UNICODE, 1, 1);
}

/* "TỐI MẬT\nxin" in UTF-16, le or be, with or without BOM. */
static size_t
utf16(unsigned char *out, bool le, bool bom)
{
	static const unsigned short u[] = {'T', 0x1ED0, 'I', ' ', 'M', 0x1EAC,
	    'T', '\r', '\n', 'x', 'i', 'n', 0xD83D, 0xDCC4};
	size_t i, n = 0;

	if (bom) {
		out[n++] = le ? 0xFF : 0xFE;
		out[n++] = le ? 0xFE : 0xFF;
	}
	for (i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		out[n++] = (unsigned char)(le ? u[i] & 0xFF : u[i] >> 8);
		out[n++] = (unsigned char)(le ? u[i] >> 8 : u[i] & 0xFF);
	}
	return n;
}

static void
test_utf16(void **state)
{
	unsigned char b[64];
	struct docsink r;
	int le, bom;

	(void)state;
	for (le = 0; le < 2; le++)
		for (bom = 0; bom < 2; bom++) {
			size_t n = utf16(b, le, bom);

			if (!bom && !le) {
				/* without BOM big-endian starts with NUL */
				assert_int_equal(b[0], 0);
			}
			assert_int_equal(run(&r, b, n), DOC_OK);
			assert_int_equal(r.n, 2);
			line_is(&r, 0, "TỐI MẬT", DOC_ENC_UNICODE, 1, 0);
			line_is(&r, 1, "xin\xF0\x9F\x93\x84", DOC_ENC_UNICODE,
			    1, 1);
		}
}

static void
test_cp1258(void **state)
{
	/* Windows-1258: "Độ mật: Tối mật" with combining tone marks, then
	 * "Cộng hòa" */
	static const char t[] = "\xD0\xF4\xF2 m\xE2\xF2t: T\xF4\xECi m\xE2\xF2t"
	    "\nC\xF4\xF2ng ho\xCC" "a\n";
	struct docsink r;

	(void)state;
	assert_int_equal(run(&r, t, sizeof(t) - 1), DOC_OK);
	assert_int_equal(r.n, 2);
	line_is(&r, 0, "Độ mật: Tối mật", DOC_ENC_UNICODE, 1, 0);
	line_is(&r, 1, "C\xE1\xBB\x99ng h\xC3\xB2" "a", DOC_ENC_UNICODE, 1, 1);
}

static void
test_legacy_bytes(void **state)
{
	/* TCVN3 (.VnTimeH): "TỐI MẬT" is 54 E8 49 20 4D CB 54; VNI-Times:
	 * "MẬT" is 4D 41 C4 54, "Số" is 53 6F E1 */
	static const char tcvn3[] = "T\xE8I M\xCBT\nc\xF4ng v\xA9n\n";
	static const char vni[] = "MA\xC4T\nSo\xE1: 12\n";
	struct docsink r;

	(void)state;
	assert_int_equal(run(&r, tcvn3, sizeof(tcvn3) - 1), DOC_OK);
	assert_int_equal(r.n, 2);
	line_is(&r, 0, "T\xC3\xA8I M\xC3\x8BT", DOC_ENC_UNKNOWN_8BIT, 1, 0);
	line_is(&r, 1, "c\xC3\xB4ng v\xC2\xA9n", DOC_ENC_UNKNOWN_8BIT, 1, 1);
	assert_int_equal(run(&r, vni, sizeof(vni) - 1), DOC_OK);
	assert_int_equal(r.n, 2);
	line_is(&r, 0, "MA\xC3\x84T", DOC_ENC_UNKNOWN_8BIT, 1, 0);
	line_is(&r, 1, "So\xC3\xA1: 12", DOC_ENC_UNKNOWN_8BIT, 1, 1);
}

static void
test_viqr(void **state)
{
	static const char t[] = "TO^'I MA^.T\nSo^': 12\nHello.\n";
	struct docsink r;

	(void)state;
	assert_int_equal(run(&r, t, sizeof(t) - 1), DOC_OK);
	assert_int_equal(r.n, 3);
	line_is(&r, 0, "TO^'I MA^.T", DOC_ENC_UNKNOWN_8BIT, 1, 0);
	line_is(&r, 1, "So^': 12", DOC_ENC_UNKNOWN_8BIT, 1, 1);
	line_is(&r, 2, "Hello.", DOC_ENC_UNICODE, 1, 2);
}

static void
test_skip_stop(void **state)
{
	static const char t[] = "a\nb\nc\nd\n";
	struct docsink r;

	(void)state;
	assert_int_equal(run_at(&r, t, sizeof(t) - 1, 2, 0), DOC_OK);
	assert_int_equal(r.n, 2);
	assert_int_equal(run_at(&r, t, sizeof(t) - 1, 0, 3), DOC_OK);
	assert_int_equal(r.n, 3);
	line_is(&r, 2, "c", DOC_ENC_UNICODE, 1, 2);
}

static void
test_long_lines(void **state)
{
	size_t n = 200000, i;
	char *t = malloc(n);
	struct docsink r;
	struct doc_ctx ctx;

	(void)state;
	assert_non_null(t);
	/* "ậ" (3 bytes) repeated: cuts must not split a character */
	for (i = 0; i + 3 <= n; i += 3)
		memcpy(t + i, "\xE1\xBA\xAD", 3);
	n = i;
	assert_int_equal(run(&r, t, n), DOC_OK);
	assert_int_equal(r.n, 4);
	for (i = 0; i < r.n; i++) {
		assert_int_equal(r.l[i].enc, DOC_ENC_UNICODE);
		assert_int_equal(r.l[i].index, i);
		assert_int_equal(r.l[i].text[0], '\xE1');
	}
	/* max_text: no more lines once that many bytes went to the sink */
	memset(t, 'x', n);
	for (i = 99; i < n; i += 100)
		t[i] = '\n';
	ctx_init(&ctx, &r);
	lim.max_text = 1000;
	assert_int_equal(doc_extract_text(&ctx, (unsigned char *)t, n, "a"),
	    DOC_OK);
	assert_int_equal(r.n, 11);
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_nfc),
		cmocka_unit_test(test_utf8_nfd_bom),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_cp1258),
		cmocka_unit_test(test_legacy_bytes),
		cmocka_unit_test(test_viqr),
		cmocka_unit_test(test_skip_stop),
		cmocka_unit_test(test_long_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
