/*
 * test_extract_image.c — scanned pages kept as images, drawn here with
 * cairo and saved as PNG (cairo) and multi-page TIFF (leptonica): read by
 * OCR with their lines in order, page and part; only max_pages pages of a
 * TIFF; a PNG whose header asks for 20000×20000 pixels refused before
 * decoding; corrupt images; an image without --ocr left unread.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <leptonica/allheaders.h>
#include <zlib.h>

#include "secrets/doc.h"
#include "secrets/ocr.h"

#include "docsink.h"
#include "draw.h"

/*
 * Drawing text with cairo starts fontconfig, which leaks a buffer of its
 * configuration parser once per process (fontconfig 2.14, not our code):
 * told to LeakSanitizer here, for this test program only.
 */
const char *__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

/* --- a sink that keeps every line ----------------------------------------- */

static void
ctx_init(struct doc_ctx *ctx, struct doc_limits *lim, struct docsink *k,
    bool ocr)
{
	docsink_init(k, NULL);
	doc_limits_default(lim, ocr);
	docsink_ctx(ctx, lim, k);
	ctx->ocr = ocr;
	ctx->deadline = doc_now() + lim->seconds;
}

/* --- images drawn with cairo ---------------------------------------------- */


/* The top of a letter's first page, scanned at 200 dpi in grey: the
 * letterhead, the number, the stamp in a box, the title, a body line. */
static cairo_surface_t *
draw_top(void)
{
	double k = 200.0 / 72;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
	    (int)(595 * k), (int)(300 * k));
	cairo_t *cr = cairo_create(s);

	cairo_set_source_rgb(cr, 0.94, 0.94, 0.94);
	cairo_paint(cr);
	cairo_scale(cr, k, k);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	draw_text(cr, 80, 60, "ỦY BAN NHÂN DÂN", true, 12);
	draw_text(cr, 310, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", true, 11);
	draw_text(cr, 80, 100, "Số: 45/UBND-CA", false, 12);
	cairo_set_line_width(cr, 1.5);
	cairo_rectangle(cr, 76, 118, 50, 22);
	cairo_stroke(cr);
	draw_text(cr, 82, 134, "MẬT", true, 12);
	draw_text(cr, 250, 190, "BÁO CÁO", true, 16);
	draw_text(cr, 80, 230, "Công tác bảo đảm an ninh trật tự tháng ba.",
	    false, 12);
	cairo_destroy(cr);
	return s;
}

static struct mem
top_png(void)
{
	struct mem m = {0};
	cairo_surface_t *s = draw_top();

	assert_int_equal(cairo_surface_write_to_png_stream(s, mem_write, &m),
	    CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
	return m;
}

/* One line of large text on a small grey page, as leptonica 8-bit. */
static PIX *
line_pix(const char *s)
{
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
	    900, 200);
	cairo_t *cr = cairo_create(img);
	const unsigned char *data;
	int stride, x, y;
	PIX *pix;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	draw_text(cr, 80, 120, s, true, 56);
	cairo_destroy(cr);
	cairo_surface_flush(img);
	data = cairo_image_surface_get_data(img);
	stride = cairo_image_surface_get_stride(img);
	pix = pixCreate(900, 200, 8);
	assert_non_null(pix);
	for (y = 0; y < 200; y++)
		for (x = 0; x < 900; x++)
			pixSetPixel(pix, x, y, data[(size_t)y * (size_t)stride +
			    (size_t)x * 4]);
	pixSetResolution(pix, 200, 200);
	cairo_surface_destroy(img);
	return pix;
}

/* A TIFF of two pages: "MẬT" on the first, "TỐI MẬT" on the second. */
static struct mem
two_page_tiff(void)
{
	struct mem m = {0};
	PIXA *pixa = pixaCreate(2);
	l_uint8 *data = NULL;
	size_t size = 0;

	pixaAddPix(pixa, line_pix("MẬT"), L_INSERT);
	pixaAddPix(pixa, line_pix("TỐI MẬT"), L_INSERT);
	assert_int_equal(pixaWriteMemMultipageTiff(&data, &size, pixa), 0);
	pixaDestroy(&pixa);
	m.p = malloc(size);
	assert_non_null(m.p);
	memcpy(m.p, data, size);
	m.len = size;
	lept_free(data);
	return m;
}

/* A PNG signature and an IHDR chunk saying w×h grey, 8 bits, with its
 * CRC; then garbage instead of image data. */
static size_t
png_header(unsigned char *b, uint32_t w, uint32_t h)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n',
	    0x1A, '\n'};
	uint32_t crc;
	size_t i;

	memcpy(b, sig, 8);
	memcpy(b + 8, "\0\0\0\x0DIHDR", 8);
	for (i = 0; i < 4; i++) {
		b[16 + i] = (unsigned char)(w >> (24 - 8 * i));
		b[20 + i] = (unsigned char)(h >> (24 - 8 * i));
	}
	b[24] = 8;	/* bit depth */
	b[25] = 0;	/* grey */
	b[26] = b[27] = b[28] = 0;
	crc = (uint32_t)crc32(0, b + 12, 17);
	for (i = 0; i < 4; i++)
		b[29 + i] = (unsigned char)(crc >> (24 - 8 * i));
	memcpy(b + 33, "\0\0\0\x0EIDATgarbagegarbage\0\0\0\0", 26);
	return 59;
}

/* --- the tests ------------------------------------------------------------ */

static void
test_png_ocr(void **state)
{
	struct mem m;
	struct doc_limits lim;
	struct doc_ctx ctx;
	struct docsink k;
	const struct docsink_line *head, *stamp, *body;

	(void)state;
	if (!ocr_available())
		skip();
	m = top_png();
	ctx_init(&ctx, &lim, &k, true);
	assert_int_equal(doc_extract(&ctx, m.p, m.len, "scan.png"), DOC_OK);
	assert_true(ctx.ocr_used);
	head = docsink_has(&k, 1, "ỦY BAN NHÂN DÂN", NULL);
	assert_non_null(head);
	assert_int_equal(head->zone, DOC_ZONE_OCR);
	assert_string_equal(head->part, "trang 1");
	stamp = docsink_has(&k, 1, "MẬT", NULL);
	assert_non_null(stamp);
	assert_int_equal(stamp->zone, DOC_ZONE_OCR);
	body = docsink_has(&k, 1, "an ninh trật tự", NULL);
	assert_non_null(body);
	/* in reading order: letterhead, stamp, body */
	assert_true(head->index < stamp->index);
	assert_true(stamp->index < body->index);
	assert_true(stamp->index < 6);
	free(m.p);
}

static void
test_tiff_pages(void **state)
{
	struct mem m;
	struct doc_limits lim;
	struct doc_ctx ctx;
	struct docsink k;
	const struct docsink_line *r;

	(void)state;
	if (!ocr_available())
		skip();
	m = two_page_tiff();
	ctx_init(&ctx, &lim, &k, true);
	assert_int_equal(doc_extract(&ctx, m.p, m.len, "scan.tif"), DOC_OK);
	r = docsink_has(&k, 1, "MẬT", "TỐI");
	assert_non_null(r);
	assert_string_equal(r->part, "trang 1");
	assert_int_equal(r->index, 0);
	r = docsink_has(&k, 2, "TỐI MẬT", NULL);
	assert_non_null(r);
	assert_string_equal(r->part, "trang 2");
	assert_int_equal(r->zone, DOC_ZONE_OCR);
	assert_int_equal(r->index, 0);
	/* one page only when max_pages says so */
	ctx_init(&ctx, &lim, &k, true);
	lim.max_pages = 1;
	assert_int_equal(doc_extract(&ctx, m.p, m.len, "scan.tif"), DOC_OK);
	assert_non_null(docsink_has(&k, 1, "MẬT", NULL));
	assert_null(docsink_has(&k, 2, "MẬT", NULL));
	free(m.p);
}

static void
test_too_large(void **state)
{
	unsigned char b[64];
	size_t n = png_header(b, 20000, 20000);
	struct doc_limits lim;
	struct doc_ctx ctx;
	struct docsink k;

	(void)state;
	if (!ocr_available())
		skip();
	ctx_init(&ctx, &lim, &k, true);
	/* refused from the header: decoding would have said "corrupt" */
	assert_int_equal(doc_extract(&ctx, b, n, "huge.png"),
	    DOC_ERR_TOO_LARGE);
	assert_int_equal(ctx.err, DOC_ERR_TOO_LARGE);
	assert_non_null(strstr(ctx.detail, "20000x20000"));
	assert_int_equal(ctx.expanded, 0);
	assert_false(ctx.ocr_used);
	assert_int_equal(k.n, 0);
}

static void
test_corrupt(void **state)
{
	static const unsigned char jpeg[] = "\xFF\xD8\xFF\xE0 not a jpeg at all";
	static const unsigned char tiff[] = "II*\0\xFF\xFF\xFF\x7F garbage";
	unsigned char b[64];
	size_t n = png_header(b, 100, 100);
	struct doc_limits lim;
	struct doc_ctx ctx;
	struct docsink k;

	(void)state;
	if (!ocr_available())
		skip();
	ctx_init(&ctx, &lim, &k, true);
	assert_int_equal(doc_extract(&ctx, b, n, "bad.png"), DOC_ERR_CORRUPT);
	assert_non_null(strstr(ctx.detail, "trang 1"));
	assert_int_equal(k.n, 0);
	ctx_init(&ctx, &lim, &k, true);
	assert_int_equal(doc_extract(&ctx, jpeg, sizeof(jpeg) - 1, "bad.jpg"),
	    DOC_ERR_CORRUPT);
	ctx_init(&ctx, &lim, &k, true);
	assert_int_equal(doc_extract(&ctx, tiff, sizeof(tiff) - 1, "bad.tif"),
	    DOC_ERR_CORRUPT);
	/* cut in half */
	{
		struct mem m = top_png();

		ctx_init(&ctx, &lim, &k, true);
		assert_int_equal(doc_extract(&ctx, m.p, m.len / 2, "half.png"),
		    DOC_ERR_CORRUPT);
		free(m.p);
	}
}

static void
test_without_ocr(void **state)
{
	struct mem m = top_png();
	struct doc_limits lim;
	struct doc_ctx ctx;
	struct docsink k;

	(void)state;
	ctx_init(&ctx, &lim, &k, false);
	assert_int_equal(doc_extract(&ctx, m.p, m.len, "scan.png"), DOC_OK);
	assert_true(ctx.scan_unread);
	assert_false(ctx.ocr_used);
	assert_int_equal(k.n, 0);
	free(m.p);
}

static int
teardown(void **state)
{
	(void)state;
	ocr_end();
	cairo_debug_reset_static_data();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png_ocr),
		cmocka_unit_test(test_tiff_pages),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_without_ocr),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
