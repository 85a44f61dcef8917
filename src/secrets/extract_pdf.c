/*
 * extract_pdf.c — the text layer of PDF documents, through poppler-glib,
 * for the classified-document finder: the document's title and subject,
 * then the lines of the first pages (lim->max_pages) in reading order,
 * each with where it stands on its page (the top band is DOC_ZONE_HEADER,
 * the bottom band DOC_ZONE_FOOTER), whether it is centred, and what its
 * fonts say (bold, large, a legacy .VnTime/VNI font whose bytes stand in
 * the text layer). Pages
 * without text but with an image are scans: read by OCR with --ocr
 * (ocr.c), else marked ctx->scan_unread. doc.h is the contract.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <leptonica/allheaders.h>
#include <poppler.h>

#include "lib/text.h"
#include "secrets/doc.h"
#include "secrets/ocr.h"

#define PDF_TOP_BAND	0.12	/* lines above this share of the page */
#define PDF_BOTTOM_BAND	0.94	/* lines below this share of the page */
#define PDF_SCAN_CHARS	20	/* fewer visible characters: maybe a scan */
#define PDF_LARGE_RATIO	1.25	/* font this much larger than the body */
#define PDF_OCR_DPI	200.0
#define PDF_OCR_PAGES	4	/* pages rendered for OCR, whatever max_pages */
#define PDF_MAX_SIZES	32	/* font sizes counted per page */

/* What one page's fonts say, per character range (from poppler). */
struct pdf_fonts {
	GList *attrs;		/* PopplerTextAttributes, by start_index */
	GList *cur;		/* first range that may cover the next line */
	double body_size;	/* the size most characters have */
};

/* One line of a page: characters [start, end) of the page's text. */
struct pdf_line {
	const char *text;
	size_t len;
	unsigned start, end;	/* character offsets */
};

struct pdf_page {
	struct doc_ctx *ctx;
	unsigned number;	/* 1-based */
	char part[32];		/* "trang 1" */
	double width, height;
	PopplerRectangle *rects;	/* one per character, or NULL */
	guint nrects;
	struct pdf_fonts fonts;
	unsigned index[DOC_ZONE_OCR + 1];	/* next index per zone */
};

/* Whether every character of s is one a legacy font's byte shows as. */
static bool
pdf_bytes_shape(const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	while (p < end) {
		gunichar c = g_utf8_get_char_validated(p, end - p);

		if (c == (gunichar)-1 || c == (gunichar)-2 ||
		    text_cp1252_byte(c) < 0)
			return false;
		p = g_utf8_next_char(p);
	}
	return true;
}

/* The legacy encoding a font name says (".VnTimeH", "ABCDEF+VNI-Times"),
 * with *caps for the capitals-only TCVN3 fonts (name ending in H). */
static enum doc_enc
pdf_font_enc(const char *font, bool *caps)
{
	const char *name = font, *plus;
	size_t n;

	*caps = false;
	if (font == NULL)
		return DOC_ENC_UNICODE;
	plus = strchr(font, '+');
	if (plus != NULL && plus - font <= 7)
		name = plus + 1;
	if (strncmp(name, "VNI-", 4) == 0 || strncmp(name, "VNI ", 4) == 0)
		return DOC_ENC_VNI;
	if (strncmp(name, ".Vn", 3) != 0 && strncmp(name, "Vn", 2) != 0)
		return DOC_ENC_UNICODE;
	if (name[0] == 'V' && strncmp(name, "VnTime", 6) != 0 &&
	    strncmp(name, "VnArial", 7) != 0)
		return DOC_ENC_UNICODE;
	n = strcspn(name, ",-");
	*caps = n > 0 && name[n - 1] == 'H';
	return DOC_ENC_TCVN3;
}

static bool
pdf_font_bold(const char *font)
{
	return font != NULL && (strstr(font, "Bold") != NULL ||
	    strstr(font, "bold") != NULL || strstr(font, "Black") != NULL ||
	    strstr(font, "Heavy") != NULL);
}

/* The font size most characters of the page have. */
static double
pdf_body_size(GList *attrs)
{
	double sizes[PDF_MAX_SIZES];
	unsigned long count[PDF_MAX_SIZES];
	size_t n = 0, i, best = 0;
	GList *g;

	for (g = attrs; g != NULL; g = g->next) {
		const PopplerTextAttributes *a = g->data;
		unsigned long chars = a->end_index >= a->start_index ?
		    (unsigned long)(a->end_index - a->start_index + 1) : 0;
		double s = (double)(long)(a->font_size * 2 + 0.5) / 2;

		for (i = 0; i < n; i++)
			if (sizes[i] == s)
				break;
		if (i == n) {
			if (n == PDF_MAX_SIZES)
				continue;
			sizes[n] = s;
			count[n++] = 0;
		}
		count[i] += chars;
	}
	for (i = 1; i < n; i++)
		if (count[i] > count[best])
			best = i;
	return n > 0 ? sizes[best] : 0;
}

/* Flags and encoding of a line from the ranges covering its characters
 * (the encoding is that of its first non-space run). */
static unsigned
pdf_line_fonts(struct pdf_fonts *f, const struct pdf_line *ln,
    enum doc_enc *enc)
{
	bool bold = true, large = false, first = true, seen = false;
	unsigned flags = 0;
	GList *g;

	*enc = DOC_ENC_UNICODE;
	while (f->cur != NULL && ((PopplerTextAttributes *)f->cur->data)->
	    end_index < (int)ln->start)
		f->cur = f->cur->next;
	for (g = f->cur; g != NULL; g = g->next) {
		const PopplerTextAttributes *a = g->data;

		if (a->start_index >= (int)ln->end)
			break;
		seen = true;
		if (!pdf_font_bold(a->font_name))
			bold = false;
		if (f->body_size > 0 && a->font_size >= f->body_size *
		    PDF_LARGE_RATIO)
			large = true;
		if (first) {
			bool caps;

			*enc = pdf_font_enc(a->font_name, &caps);
			if (*enc == DOC_ENC_TCVN3 && caps)
				flags |= DOC_F_CAPS;
			first = false;
		}
	}
	if (seen && bold)
		flags |= DOC_F_BOLD;
	if (large)
		flags |= DOC_F_LARGE;
	return flags;
}

/* The zone of a line from the top of its first character. */
static enum doc_zone
pdf_line_zone(const struct pdf_page *pg, const struct pdf_line *ln)
{
	const PopplerRectangle *r = NULL;
	unsigned i;

	if (pg->rects == NULL || pg->height <= 0)
		return DOC_ZONE_BODY;
	for (i = ln->start; i < ln->end && i < pg->nrects; i++) {
		r = &pg->rects[i];
		if (r->y2 > r->y1 && r->x2 > r->x1)
			break;
	}
	if (r == NULL || i >= ln->end || i >= pg->nrects)
		return DOC_ZONE_BODY;
	if (r->y1 < pg->height * PDF_TOP_BAND)
		return DOC_ZONE_HEADER;
	if (r->y1 > pg->height * PDF_BOTTOM_BAND)
		return DOC_ZONE_FOOTER;
	return DOC_ZONE_BODY;
}

/* Whether the line stands centred on the page (a title, a stamp): its
 * middle near the page's and narrower than most of the page. */
static bool
pdf_line_centred(const struct pdf_page *pg, const struct pdf_line *ln)
{
	double x1 = -1, x2 = -1, mid;
	unsigned i;

	if (pg->rects == NULL || pg->width <= 0)
		return false;
	for (i = ln->start; i < ln->end && i < pg->nrects; i++) {
		const PopplerRectangle *r = &pg->rects[i];

		if (r->x2 <= r->x1 || r->y2 <= r->y1)
			continue;
		if (x1 < 0)
			x1 = r->x1;
		x2 = r->x2;
	}
	if (x1 < 0 || x2 <= x1 || x2 - x1 > pg->width * 0.7)
		return false;
	mid = (x1 + x2) / 2;
	return mid > pg->width * 0.45 && mid < pg->width * 0.55;
}

static enum doc_next
pdf_emit_line(struct pdf_page *pg, const struct pdf_line *ln)
{
	struct doc_line l;
	enum doc_next r;
	const char *s = ln->text;
	size_t n = ln->len;

	while (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		n--;
	if (n == 0)
		return DOC_NEXT_MORE;
	memset(&l, 0, sizeof(l));
	l.text = s;
	l.len = n;
	l.zone = pdf_line_zone(pg, ln);
	l.flags = pdf_line_fonts(&pg->fonts, ln, &l.enc);
	if (pdf_line_centred(pg, ln))
		l.flags |= DOC_F_CENTER;
	if (l.enc != DOC_ENC_UNICODE && !pdf_bytes_shape(s, n)) {
		/* a ToUnicode map gave real characters after all */
		l.enc = DOC_ENC_UNICODE;
		l.flags &= ~DOC_F_CAPS;
	}
	l.page = pg->number;
	l.index = pg->index[l.zone];
	l.part = pg->part;
	r = doc_emit(pg->ctx, &l);
	pg->index[l.zone]++;
	return r;
}

/* Visible characters of a page's text, up to limit. */
static size_t
pdf_visible(const char *text, size_t limit)
{
	size_t n = 0;
	const char *p;

	for (p = text; *p != '\0' && n < limit; p++)
		if ((unsigned char)*p > ' ')
			n++;
	return n;
}

/* Whether the page draws an image (poppler records where, without
 * decoding it). */
static bool
pdf_has_image(PopplerPage *page)
{
	GList *m = poppler_page_get_image_mapping(page);
	bool has = m != NULL;

	poppler_page_free_image_mapping(m);
	return has;
}

/* Renders the page in grey at PDF_OCR_DPI (less for huge pages) and
 * reads it with the OCR engine. */
static enum doc_err
pdf_ocr(struct pdf_page *pg, PopplerPage *page)
{
	double scale = PDF_OCR_DPI / 72.0, px;
	cairo_surface_t *s;
	cairo_t *cr;
	unsigned char *data;
	int w, h, stride, x, y;
	enum doc_err e;
	PIX *pix;

	if (pg->width < 1 || pg->height < 1 || pg->width > 20000 ||
	    pg->height > 20000)
		return DOC_OK;
	px = pg->width * pg->height * scale * scale;
	while (px > (double)OCR_MAX_PIXELS) {
		scale *= 0.95;
		px = pg->width * pg->height * scale * scale;
	}
	w = (int)(pg->width * scale);
	h = (int)(pg->height * scale);
	if (w < 1 || h < 1)
		return DOC_OK;
	if ((e = doc_expand(pg->ctx, (size_t)w * (size_t)h * 5)) != DOC_OK)
		return e;
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return doc_fail(pg->ctx, DOC_ERR_NOMEM, "%s: %dx%d image",
		    pg->part, w, h);
	}
	cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, scale, scale);
	poppler_page_render(page, cr);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	pix = pixCreate(w, h, 8);
	if (pix == NULL) {
		cairo_surface_destroy(s);
		return doc_fail(pg->ctx, DOC_ERR_NOMEM, "%s: %dx%d image",
		    pg->part, w, h);
	}
	data = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	for (y = 0; y < h; y++) {
		const uint32_t *row = (const uint32_t *)(void *)(data +
		    (size_t)y * (size_t)stride);
		l_uint32 *line = pixGetData(pix) + (size_t)y * pixGetWpl(pix);

		for (x = 0; x < w; x++) {
			uint32_t v = row[x];
			unsigned g = (((v >> 16) & 0xFF) * 77 + ((v >> 8) &
			    0xFF) * 150 + (v & 0xFF) * 29) >> 8;

			SET_DATA_BYTE(line, x, g);
		}
	}
	cairo_surface_destroy(s);
	pixSetResolution(pix, (l_int32)(scale * 72.0), (l_int32)(scale * 72.0));
	e = ocr_page(pg->ctx, pix, (int)(scale * 72.0), pg->number, pg->part);
	pixDestroy(&pix);
	return e;
}

/* The lines of the page's text layer, in poppler's reading order. */
static enum doc_err
pdf_text(struct pdf_page *pg, const char *text)
{
	struct pdf_line ln;
	const char *p = text, *nl;
	unsigned ci = 0;
	enum doc_next r;

	for (;;) {
		nl = strchr(p, '\n');
		ln.text = p;
		ln.len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		ln.start = ci;
		ln.end = ci + (unsigned)g_utf8_strlen(p, (gssize)ln.len);
		r = pdf_emit_line(pg, &ln);
		if (r != DOC_NEXT_MORE || nl == NULL)
			break;
		ci = ln.end + 1;
		p = nl + 1;
	}
	if (pg->ctx->err == DOC_ERR_TIMEOUT)
		return DOC_ERR_TIMEOUT;
	return DOC_OK;
}

static enum doc_err
pdf_page(struct doc_ctx *ctx, PopplerPage *page, unsigned number)
{
	struct pdf_page pg;
	char *text;
	size_t tlen;
	enum doc_err e = DOC_OK;

	memset(&pg, 0, sizeof(pg));
	pg.ctx = ctx;
	pg.number = number;
	snprintf(pg.part, sizeof(pg.part), "trang %u", number);
	poppler_page_get_size(page, &pg.width, &pg.height);
	text = poppler_page_get_text(page);
	if (text == NULL)
		text = g_strdup("");
	tlen = strlen(text);
	if ((e = doc_expand(ctx, tlen)) != DOC_OK) {
		g_free(text);
		return e;
	}
	if (ctx->lim != NULL && ctx->lim->max_text > 0 &&
	    tlen > ctx->lim->max_text) {
		/* cut on a line end: a first page never needs more */
		char *cut = text + ctx->lim->max_text;

		while (cut > text && *cut != '\n')
			cut--;
		*cut = '\0';
	}
	if (pdf_visible(text, PDF_SCAN_CHARS) < PDF_SCAN_CHARS &&
	    pdf_has_image(page)) {
		if (ctx->ocr && number <= PDF_OCR_PAGES)
			e = pdf_ocr(&pg, page);
		else
			ctx->scan_unread = true;
	}
	if (e == DOC_OK && !ctx->stopped && text[0] != '\0') {
		if (!poppler_page_get_text_layout(page, &pg.rects,
		    &pg.nrects) || (glong)pg.nrects < g_utf8_strlen(text, -1)) {
			g_free(pg.rects);
			pg.rects = NULL;
		}
		pg.fonts.attrs = poppler_page_get_text_attributes(page);
		pg.fonts.cur = pg.fonts.attrs;
		pg.fonts.body_size = pdf_body_size(pg.fonts.attrs);
		e = pdf_text(&pg, text);
		poppler_page_free_text_attributes(pg.fonts.attrs);
		g_free(pg.rects);
	}
	g_free(text);
	return e;
}

static void
pdf_meta(struct doc_ctx *ctx, PopplerDocument *doc)
{
	char *v[2];
	unsigned i, index = 0;

	v[0] = poppler_document_get_title(doc);
	v[1] = poppler_document_get_subject(doc);
	for (i = 0; i < 2; i++) {
		struct doc_line l;

		if (v[i] == NULL)
			continue;
		if (!ctx->stopped) {
			memset(&l, 0, sizeof(l));
			l.text = v[i];
			l.len = strnlen(v[i], 4096);
			l.zone = DOC_ZONE_META;
			l.part = i == 0 ? "info/Title" : "info/Subject";
			l.index = index++;
			doc_emit(ctx, &l);
		}
		g_free(v[i]);
	}
}

static enum doc_err
pdf_open_error(struct doc_ctx *ctx, GError *gerr)
{
	enum doc_err e = DOC_ERR_CORRUPT;

	if (gerr != NULL && gerr->domain == POPPLER_ERROR &&
	    gerr->code == POPPLER_ERROR_ENCRYPTED)
		e = DOC_ERR_ENCRYPTED;
	doc_fail(ctx, e, "pdf: %s", gerr != NULL && gerr->message != NULL ?
	    gerr->message : "cannot be opened");
	if (gerr != NULL)
		g_error_free(gerr);
	return e;
}

enum doc_err
doc_extract_pdf(struct doc_ctx *ctx, const unsigned char *buf, size_t len,
    const char *name)
{
	PopplerDocument *doc;
	GBytes *bytes;
	GError *gerr = NULL;
	unsigned max = 2, i;
	int n;
	enum doc_err e = DOC_OK;

	(void)name;
	if (len > G_MAXSSIZE)
		return doc_fail(ctx, DOC_ERR_TOO_LARGE, "%zu bytes", len);
	bytes = g_bytes_new_static(buf, len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	if (doc == NULL) {
		g_bytes_unref(bytes);
		return pdf_open_error(ctx, gerr);
	}
	if (ctx->lim != NULL && ctx->lim->max_pages > 0)
		max = ctx->lim->max_pages;
	n = poppler_document_get_n_pages(doc);
	if (n <= 0)
		e = doc_fail(ctx, DOC_ERR_CORRUPT, "pdf: no page");
	else
		pdf_meta(ctx, doc);
	for (i = 0; e == DOC_OK && i < max && i < (unsigned)n; i++) {
		PopplerPage *page;

		if (ctx->stopped || doc_late(ctx))
			break;
		page = poppler_document_get_page(doc, (int)i);
		if (page == NULL) {
			e = doc_fail(ctx, DOC_ERR_CORRUPT, "pdf: page %u "
			    "unreadable", i + 1);
			break;
		}
		e = pdf_page(ctx, page, i + 1);
		g_object_unref(page);
	}
	g_object_unref(doc);
	g_bytes_unref(bytes);
	if (e == DOC_OK && ctx->err == DOC_ERR_TIMEOUT)
		e = DOC_ERR_TIMEOUT;
	return e;
}
