/*
 * test_extract_pdf.c — the PDF extractor over documents drawn here with
 * cairo: the exact lines of a text layer with their zone (the top band is
 * the page header), page, part, index and flags; pages past max_pages not
 * read; the title; SKIP and STOP; object streams and an encrypted copy
 * (qpdf); truncated and corrupt files; a hand-made legacy-font (.VnTimeH)
 * text layer; and a scanned page, left unread without --ocr and read by
 * OCR with it.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <cairo-pdf.h>

#include "secrets/doc.h"
#include "secrets/ocr.h"

#include "docsink.h"
#include "draw.h"

#define A4_W 595.0
#define A4_H 842.0

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

struct keep {
	struct docsink d;
	enum doc_next answer;		/* to every line… */
	const char *answer_at;		/* …or only to the line with this text */
};

static enum doc_next
keep_answer(struct docsink *d, const struct doc_line *l)
{
	struct keep *k = (struct keep *)d;

	if (k->answer_at != NULL)
		return l->len == strlen(k->answer_at) && memcmp(l->text,
		    k->answer_at, l->len) == 0 ? k->answer : DOC_NEXT_MORE;
	return k->answer;
}

static void
ctx_init(struct doc_ctx *ctx, struct doc_limits *lim, struct keep *k,
    bool ocr)
{
	memset(k, 0, sizeof(*k));
	docsink_init(&k->d, keep_answer);
	doc_limits_default(lim, ocr);
	docsink_ctx(ctx, lim, &k->d);
	ctx->ocr = ocr;
	ctx->deadline = doc_now() + lim->seconds;
}

static bool
any_page(const struct keep *k, unsigned page)
{
	size_t i;

	for (i = 0; i < k->d.n; i++)
		if (k->d.l[i].page == page)
			return true;
	return false;
}

/* --- documents drawn with cairo ------------------------------------------- */


/* The first page of an official letter: the stamp in a box below the
 * number, the letterhead in two columns at the top. */
static void
draw_letter(cairo_t *cr, unsigned page)
{
	char b[120];
	int i;

	cairo_set_source_rgb(cr, 0, 0, 0);
	draw_text(cr, 250, 30, "TỐI MẬT", true, 12);
	draw_text(cr, 90, 70, "ỦY BAN NHÂN DÂN", true, 12);
	draw_text(cr, 300, 70, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", true, 12);
	draw_text(cr, 90, 86, "PHƯỜNG THÁI HÒA", true, 12);
	draw_text(cr, 320, 86, "Độc lập - Tự do - Hạnh phúc", false, 12);
	draw_text(cr, 90, 130, "Số: 123/UBND-CA", false, 12);
	cairo_set_line_width(cr, 1.5);
	cairo_rectangle(cr, 84, 140, 50, 22);
	cairo_stroke(cr);
	draw_text(cr, 90, 156, "MẬT", true, 12);
	draw_text(cr, 250, 200, "BÁO CÁO", true, 16);
	for (i = 0; i < 25; i++) {
		snprintf(b, sizeof(b), "Trang %u dòng %d: công tác bảo đảm "
		    "an ninh trật tự.", page, i);
		draw_text(cr, 90, 230 + i * 20, b, false, 12);
	}
	snprintf(b, sizeof(b), "Trang %u/3", page);
	draw_text(cr, 280, 820, b, false, 10);
}

static struct mem
letter_pdf(unsigned pages)
{
	struct mem m = {0};
	cairo_surface_t *s;
	cairo_t *cr;
	unsigned p;

	s = cairo_pdf_surface_create_for_stream(mem_write, &m, A4_W, A4_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
	    "Báo cáo tình hình an ninh");
	cr = cairo_create(s);
	for (p = 1; p <= pages; p++) {
		draw_letter(cr, p);
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_finish(s);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
	return m;
}

/* A scanned page: the letter drawn in grey at 200 dpi, an image placed
 * on a PDF page without any text. */
static struct mem
scan_pdf(void)
{
	struct mem m = {0};
	cairo_surface_t *img, *s;
	cairo_t *cr;
	double k = 200.0 / 72;

	img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(A4_W * k),
	    (int)(A4_H * k));
	cr = cairo_create(img);
	cairo_set_source_rgb(cr, 0.95, 0.95, 0.95);
	cairo_paint(cr);
	cairo_scale(cr, k, k);
	draw_letter(cr, 1);
	cairo_destroy(cr);
	s = cairo_pdf_surface_create_for_stream(mem_write, &m, A4_W, A4_H);
	cr = cairo_create(s);
	cairo_scale(cr, 1 / k, 1 / k);
	cairo_set_source_surface(cr, img, 0, 0);
	cairo_paint(cr);
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_surface_destroy(s);
	cairo_surface_destroy(img);
	return m;
}

/* A PDF written by hand whose font is .VnTimeH without a ToUnicode map:
 * its text layer keeps the TCVN3 bytes ("MẬT" is 4D CB 54). */
static struct mem
tcvn3_pdf(void)
{
	static const char content[] =
	    "BT /F1 14 Tf 250 800 Td (M\\313T) Tj ET\n"
	    "BT /F2 12 Tf 72 700 Td (C\\364ng v\\250n) Tj ET\n";
	const char *objs[6];
	char obj3[200];
	char obj4[300];
	struct mem m = {0};
	long off[6], xref;
	char buf[200];
	size_t i;
	int n;

	objs[0] = "<< /Type /Catalog /Pages 2 0 R >>";
	objs[1] = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
	snprintf(obj3, sizeof(obj3), "<< /Type /Page /Parent 2 0 R "
	    "/MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R "
	    "/F2 6 0 R >> >> /Contents 4 0 R >>");
	objs[2] = obj3;
	snprintf(obj4, sizeof(obj4), "<< /Length %zu >>\nstream\n%s"
	    "endstream", strlen(content), content);
	objs[3] = obj4;
	objs[4] = "<< /Type /Font /Subtype /TrueType /BaseFont /.VnTimeH "
	    "/Encoding /WinAnsiEncoding >>";
	objs[5] = "<< /Type /Font /Subtype /TrueType /BaseFont /.VnTime "
	    "/Encoding /WinAnsiEncoding >>";
	mem_write(&m, (const unsigned char *)"%PDF-1.4\n", 9);
	for (i = 0; i < 6; i++) {
		off[i] = (long)m.len;
		n = snprintf(buf, sizeof(buf), "%zu 0 obj\n", i + 1);
		mem_write(&m, (const unsigned char *)buf, (unsigned)n);
		mem_write(&m, (const unsigned char *)objs[i],
		    (unsigned)strlen(objs[i]));
		mem_write(&m, (const unsigned char *)"\nendobj\n", 8);
	}
	xref = (long)m.len;
	n = snprintf(buf, sizeof(buf), "xref\n0 7\n0000000000 65535 f \n");
	mem_write(&m, (const unsigned char *)buf, (unsigned)n);
	for (i = 0; i < 6; i++) {
		n = snprintf(buf, sizeof(buf), "%010ld 00000 n \n", off[i]);
		mem_write(&m, (const unsigned char *)buf, (unsigned)n);
	}
	n = snprintf(buf, sizeof(buf), "trailer\n<< /Size 7 /Root 1 0 R >>\n"
	    "startxref\n%ld\n%%%%EOF\n", xref);
	mem_write(&m, (const unsigned char *)buf, (unsigned)n);
	return m;
}

/* --- qpdf, for object streams and encryption ------------------------------ */

static bool
qpdf(const struct mem *in, struct mem *out, const char *args)
{
	char dir[] = "/tmp/test_extract_pdf.XXXXXX", cmd[600], path[100];
	FILE *f;
	long len;
	bool ok = false;

	if (system("command -v qpdf >/dev/null 2>&1") != 0)
		return false;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/in.pdf", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(in->p, 1, in->len, f), in->len);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "qpdf %s %s/in.pdf %s/out.pdf", args, dir,
	    dir);
	if (system(cmd) == 0) {
		snprintf(path, sizeof(path), "%s/out.pdf", dir);
		f = fopen(path, "rb");
		assert_non_null(f);
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		rewind(f);
		out->p = malloc((size_t)len);
		out->len = (size_t)len;
		assert_int_equal(fread(out->p, 1, out->len, f), out->len);
		fclose(f);
		ok = true;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	return ok;
}

/* --- the tests ------------------------------------------------------------ */

static void
check_letter_page1(const struct keep *k)
{
	const struct docsink_line *r;

	/* the title first */
	assert_true(k->d.n > 10);
	assert_string_equal(k->d.l[0].text, "Báo cáo tình hình an ninh");
	assert_int_equal(k->d.l[0].zone, DOC_ZONE_META);
	assert_int_equal(k->d.l[0].page, 0);
	assert_string_equal(k->d.l[0].part, "info/Title");
	/* the stamp in the top margin: the page header, bold, centred */
	r = &k->d.l[1];
	assert_string_equal(r->text, "TỐI MẬT");
	assert_int_equal(r->zone, DOC_ZONE_HEADER);
	assert_int_equal(r->page, 1);
	assert_int_equal(r->index, 0);
	assert_string_equal(r->part, "trang 1");
	assert_int_equal(r->flags, DOC_F_BOLD | DOC_F_CENTER);
	assert_int_equal(r->enc, DOC_ENC_UNICODE);
	/* the letterhead is in the top band too */
	r = docsink_find(&k->d, "ỦY BAN NHÂN DÂN", 1);
	assert_non_null(r);
	assert_int_equal(r->zone, DOC_ZONE_HEADER);
	r = docsink_find(&k->d, "Độc lập - Tự do - Hạnh phúc", 1);
	assert_non_null(r);
	assert_int_equal(r->zone, DOC_ZONE_HEADER);
	assert_int_equal(r->flags, 0);
	/* the body starts with the number, then the boxed stamp */
	r = docsink_find(&k->d, "Số: 123/UBND-CA", 1);
	assert_non_null(r);
	assert_int_equal(r->zone, DOC_ZONE_BODY);
	assert_int_equal(r->index, 0);
	assert_int_equal(r->flags, 0);
	r = docsink_find(&k->d, "MẬT", 1);
	assert_non_null(r);
	assert_int_equal(r->zone, DOC_ZONE_BODY);
	assert_int_equal(r->index, 1);
	assert_int_equal(r->flags, DOC_F_BOLD);
	r = docsink_find(&k->d, "BÁO CÁO", 1);
	assert_non_null(r);
	assert_int_equal(r->index, 2);
	assert_int_equal(r->flags, DOC_F_BOLD | DOC_F_LARGE | DOC_F_CENTER);
	r = docsink_find(&k->d, "Trang 1 dòng 24: công tác bảo đảm an ninh trật tự.", 1);
	assert_non_null(r);
	assert_int_equal(r->zone, DOC_ZONE_BODY);
	assert_int_equal(r->index, 27);
	assert_int_equal(r->flags, 0);
	r = docsink_find(&k->d, "Trang 1/3", 1);
	assert_non_null(r);
	assert_int_equal(r->zone, DOC_ZONE_FOOTER);
	assert_int_equal(r->index, 0);
}

static void
test_text_layer(void **state)
{
	struct mem m = letter_pdf(3);
	struct doc_limits lim;
	struct doc_ctx ctx;
	struct keep k;
	const struct docsink_line *r;

	(void)state;
	ctx_init(&ctx, &lim, &k, false);
	assert_int_equal(doc_extract(&ctx, m.p, m.len, "a.pdf"), DOC_OK);
	check_letter_page1(&k);
	r = docsink_find(&k.d, "TỐI MẬT", 2);
	assert_non_null(r);
	assert_string_equal(r->part, "trang 2");
	assert_int_equal(r->zone, DOC_ZONE_HEADER);
	assert_int_equal(r->index, 0);
	/* page 3 is past max_pages (2) */
	assert_false(any_page(&k, 3));
	assert_false(ctx.scan_unread);
	assert_false(ctx.ocr_used);
	/* with max_pages 3 it is read */
	ctx_init(&ctx, &lim, &k, false);
	lim.max_pages = 3;
	assert_int_equal(doc_extract(&ctx, m.p, m.len, "a.pdf"), DOC_OK);
	assert_non_null(docsink_find(&k.d, "Trang 3 dòng 0: công tác bảo đảm an ninh "
	    "trật tự.", 3));
	free(m.p);
}

static void
test_skip_stop(void **state)
{
	struct mem m = letter_pdf(3);
	struct doc_limits lim;
	struct doc_ctx ctx;
	struct keep k;

	(void)state;
	/* SKIP on the first body line: on with page 2 */
	ctx_init(&ctx, &lim, &k, false);
	k.answer = DOC_NEXT_SKIP;
	k.answer_at = "Số: 123/UBND-CA";
	assert_int_equal(doc_extract(&ctx, m.p, m.len, "a.pdf"), DOC_OK);
	assert_null(docsink_find(&k.d, "MẬT", 1));
	assert_non_null(docsink_find(&k.d, "TỐI MẬT", 2));
	assert_null(docsink_find(&k.d, "MẬT", 2));
	assert_false(ctx.stopped);
	/* STOP: nothing more */
	ctx_init(&ctx, &lim, &k, false);
	k.answer = DOC_NEXT_STOP;
	k.answer_at = "TỐI MẬT";
	assert_int_equal(doc_extract(&ctx, m.p, m.len, "a.pdf"), DOC_OK);
	assert_true(ctx.stopped);
	assert_int_equal(k.d.n, 2);
	assert_string_equal(k.d.l[1].text, "TỐI MẬT");
	free(m.p);
}

static void
test_object_streams(void **state)
{
	struct mem m = letter_pdf(3), os = {0};
	struct doc_limits lim;
	struct doc_ctx ctx;
	struct keep k;

	(void)state;
	if (!qpdf(&m, &os, "--object-streams=generate")) {
		free(m.p);
		skip();
	}
	assert_non_null(memmem(os.p, os.len, "/ObjStm", 7));
	ctx_init(&ctx, &lim, &k, false);
	assert_int_equal(doc_extract(&ctx, os.p, os.len, "os.pdf"), DOC_OK);
	check_letter_page1(&k);
	assert_false(any_page(&k, 3));
	free(os.p);
	free(m.p);
}

static void
test_encrypted(void **state)
{
	struct mem m = letter_pdf(1), enc = {0};
	struct doc_limits lim;
	struct doc_ctx ctx;
	struct keep k;

	(void)state;
	if (!qpdf(&m, &enc, "--encrypt secret owner 256 --")) {
		free(m.p);
		skip();
	}
	ctx_init(&ctx, &lim, &k, false);
	assert_int_equal(doc_extract(&ctx, enc.p, enc.len, "e.pdf"),
	    DOC_ERR_ENCRYPTED);
	assert_int_equal(ctx.err, DOC_ERR_ENCRYPTED);
	assert_int_equal(k.d.n, 0);
	free(enc.p);
	/* an owner password alone does not hide the text */
	assert_true(qpdf(&m, &enc, "--encrypt '' owner 256 --"));
	ctx_init(&ctx, &lim, &k, false);
	assert_int_equal(doc_extract(&ctx, enc.p, enc.len, "o.pdf"), DOC_OK);
	assert_non_null(docsink_find(&k.d, "MẬT", 1));
	free(enc.p);
	free(m.p);
}

static void
test_corrupt(void **state)
{
	static const char junk[] = "%PDF-1.7\n1 0 obj << /Type /Catalog "
	    "/Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
	struct mem m = letter_pdf(2);
	struct doc_limits lim;
	struct doc_ctx ctx;
	struct keep k;

	(void)state;
	/* cut in half */
	ctx_init(&ctx, &lim, &k, false);
	assert_int_equal(doc_extract(&ctx, m.p, m.len / 2, "half.pdf"),
	    DOC_ERR_CORRUPT);
	assert_int_equal(ctx.err, DOC_ERR_CORRUPT);
	assert_non_null(strstr(ctx.detail, "pdf"));
	assert_int_equal(k.d.n, 0);
	/* a catalog without pages */
	ctx_init(&ctx, &lim, &k, false);
	assert_int_equal(doc_extract(&ctx, (const unsigned char *)junk,
	    sizeof(junk) - 1, "junk.pdf"), DOC_ERR_CORRUPT);
	/* the magic and nothing else */
	ctx_init(&ctx, &lim, &k, false);
	assert_int_equal(doc_extract(&ctx, (const unsigned char *)"%PDF-1.4\n",
	    9, "empty.pdf"), DOC_ERR_CORRUPT);
	free(m.p);
}

static void
test_legacy_font(void **state)
{
	struct mem m = tcvn3_pdf();
	struct doc_limits lim;
	struct doc_ctx ctx;
	struct keep k;

	(void)state;
	ctx_init(&ctx, &lim, &k, false);
	assert_int_equal(doc_extract(&ctx, m.p, m.len, "vn.pdf"), DOC_OK);
	assert_int_equal(k.d.n, 2);
	/* the bytes 4D CB 54 as code points U+004D U+00CB U+0054 */
	assert_string_equal(k.d.l[0].text, "M\xC3\x8BT");
	assert_int_equal(k.d.l[0].enc, DOC_ENC_TCVN3);
	assert_int_equal(k.d.l[0].flags, DOC_F_CAPS);
	assert_int_equal(k.d.l[0].zone, DOC_ZONE_HEADER);
	/* .VnTime: small letters, "Công văn" is 43 F4 6E 67 20 76 A8 6E */
	assert_string_equal(k.d.l[1].text, "C\xC3\xB4ng v\xC2\xA8n");
	assert_int_equal(k.d.l[1].enc, DOC_ENC_TCVN3);
	assert_int_equal(k.d.l[1].flags, 0);
	assert_int_equal(k.d.l[1].zone, DOC_ZONE_BODY);
	free(m.p);
}

static void
test_scan_without_ocr(void **state)
{
	struct mem m = scan_pdf();
	struct doc_limits lim;
	struct doc_ctx ctx;
	struct keep k;

	(void)state;
	ctx_init(&ctx, &lim, &k, false);
	assert_int_equal(doc_extract(&ctx, m.p, m.len, "scan.pdf"), DOC_OK);
	assert_int_equal(k.d.n, 0);
	assert_true(ctx.scan_unread);
	assert_false(ctx.ocr_used);
	free(m.p);
}

/* The first OCR line of page 1 that contains s but not but (OCR may
 * add noise around the words). */
static const struct docsink_line *
ocr_has(const struct keep *k, const char *s, const char *but)
{
	size_t i;

	for (i = 0; i < k->d.n; i++)
		if (k->d.l[i].zone == DOC_ZONE_OCR && k->d.l[i].page == 1 &&
		    strstr(k->d.l[i].text, s) != NULL && (but == NULL ||
		    strstr(k->d.l[i].text, but) == NULL))
			return &k->d.l[i];
	return NULL;
}

static void
test_scan_ocr(void **state)
{
	struct mem m;
	struct doc_limits lim;
	struct doc_ctx ctx;
	struct keep k;
	const struct docsink_line *head, *top, *stamp;

	(void)state;
	if (!ocr_available())
		skip();
	m = scan_pdf();
	ctx_init(&ctx, &lim, &k, true);
	assert_int_equal(doc_extract(&ctx, m.p, m.len, "scan.pdf"), DOC_OK);

	assert_true(ctx.ocr_used);
	assert_false(ctx.scan_unread);
	head = ocr_has(&k, "ỦY BAN NHÂN", NULL);
	assert_non_null(head);
	assert_string_equal(head->part, "trang 1");
	assert_true(head->index < 4);
	/* the stamp of the top margin, and the one in a box */
	top = ocr_has(&k, "TỐI MẬT", NULL);
	assert_non_null(top);
	assert_true(top->index < 4);
	stamp = ocr_has(&k, "MẬT", "TỐI");
	assert_non_null(stamp);
	assert_true(stamp->index < 8);
	assert_true(head->index < stamp->index);
	assert_non_null(ocr_has(&k, "công tác bảo đảm an ninh trật tự", NULL));
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
		cmocka_unit_test(test_text_layer),
		cmocka_unit_test(test_skip_stop),
		cmocka_unit_test(test_object_streams),
		cmocka_unit_test(test_encrypted),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_legacy_font),
		cmocka_unit_test(test_scan_without_ocr),
		cmocka_unit_test(test_scan_ocr),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
