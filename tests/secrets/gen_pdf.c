/*
 * gen_pdf.c — the PDF writers of the finder's test corpus (gen.h): a
 * logical document laid out on A4 pages with cairo and pango (DejaVu
 * Serif), as an office prints it: the letterhead in two columns at the
 * top, the header paragraph in the top margin of every page, stamps as
 * bold text in a drawn rectangle, page breaks and long bodies flowing
 * onto further pages, the title in the document's metadata. gen_pdf keeps
 * cairo's compressed streams; gen_pdfobjstm rewrites the file with object
 * streams (qpdf); gen_pdfscan draws the first pages as scanned images
 * (200 dpi, grey, a little noise) on pages without a text layer — the
 * same scans gen_image.c saves as .png/.jpg/.tif.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "gen.h"

#define PG_W		595.0	/* A4 in points */
#define PG_H		842.0
#define PG_TOP		57.0	/* margins: 2 cm, 3 cm on the left */
#define PG_BOTTOM	57.0
#define PG_LEFT		85.0
#define PG_RIGHT	57.0
#define PG_TEXT_W	(PG_W - PG_LEFT - PG_RIGHT)
#define FONT		"DejaVu Serif"
#define FONT_SIZE	12.0
#define SCAN_DPI	200.0
#define SCAN_PAGES	2	/* pages of a scan (pdfscan, tif) */

/* Used by gen_image.c (the same scans as images). */
int gen_pdf_scan(const struct gen_doc *d, unsigned max,
    cairo_surface_t **pages, unsigned *npages, char *err, size_t errlen);

struct layout {
	const struct gen_doc *d;
	char **text;		/* the paragraphs in the document's encoding */
	PangoContext *pc;
	PangoFontDescription *font, *bold, *small, *head;
	bool in_head;		/* drawing the letterhead (smaller, bold) */
	/* where pages go: a PDF surface, or images (scans) */
	cairo_surface_t *pdf;
	cairo_surface_t **img;
	unsigned max_img, nimg;
	cairo_t *cr;
	unsigned page;
	double y;		/* next line's top on the page */
	bool full;		/* images: the pages asked for are drawn */
	bool failed;
};

/* --- pages ---------------------------------------------------------------- */

/* Draws the paragraphs of one kind (header, footer) at y, centred. */
static void
draw_margin(struct layout *lo, enum gen_where where, double y)
{
	size_t i;

	for (i = 0; i < lo->d->npara; i++) {
		PangoLayout *pl;
		int h;

		if (lo->d->paras[i].where != where)
			continue;
		pl = pango_layout_new(lo->pc);
		pango_layout_set_font_description(pl,
		    lo->d->paras[i].flags & GEN_P_BOLD ? lo->bold : lo->font);
		pango_layout_set_width(pl, (int)(PG_TEXT_W * PANGO_SCALE));
		pango_layout_set_alignment(pl, PANGO_ALIGN_CENTER);
		pango_layout_set_text(pl, lo->text[i], -1);
		cairo_move_to(lo->cr, PG_LEFT, y);
		pango_cairo_show_layout(lo->cr, pl);
		pango_layout_get_size(pl, NULL, &h);
		y += (double)h / PANGO_SCALE;
		g_object_unref(pl);
	}
}

static void
page_begin(struct layout *lo)
{
	lo->page++;
	lo->y = PG_TOP;
	if (lo->img != NULL) {
		cairo_surface_t *s;

		if (lo->nimg == lo->max_img) {
			lo->full = true;
			return;
		}
		s = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
		    (int)(PG_W * SCAN_DPI / 72), (int)(PG_H * SCAN_DPI / 72));
		lo->img[lo->nimg++] = s;
		lo->cr = cairo_create(s);
		cairo_set_source_rgb(lo->cr, 1, 1, 1);
		cairo_paint(lo->cr);
		cairo_scale(lo->cr, SCAN_DPI / 72, SCAN_DPI / 72);
	}
	cairo_set_source_rgb(lo->cr, 0, 0, 0);
	cairo_set_line_width(lo->cr, 1.2);
	draw_margin(lo, GEN_HEADER, 22);
	draw_margin(lo, GEN_FOOTER, PG_H - 42);
}

/* A scanned page looks grey and speckled, never pure white. */
static void
scan_noise(cairo_surface_t *s, unsigned seed)
{
	unsigned char *data;
	int w, h, stride, x, y;
	uint32_t r = seed * 2654435761u + 12345;

	cairo_surface_flush(s);
	data = cairo_image_surface_get_data(s);
	w = cairo_image_surface_get_width(s);
	h = cairo_image_surface_get_height(s);
	stride = cairo_image_surface_get_stride(s);
	for (y = 0; y < h; y++) {
		uint32_t *row = (uint32_t *)(void *)(data + (size_t)y *
		    (size_t)stride);

		for (x = 0; x < w; x++) {
			uint32_t v = row[x];
			int g = (int)((((v >> 16) & 0xFF) * 77 + ((v >> 8) &
			    0xFF) * 150 + (v & 0xFF) * 29) >> 8);

			r = r * 1103515245u + 12345;
			if (g > 200)
				g = 242;	/* the paper */
			if (((r >> 16) & 0xFF) < 4)
				g -= (int)((r >> 8) & 0x3F);	/* speckle */
			if (g < 0)
				g = 0;
			row[x] = 0xFF000000u | (uint32_t)g << 16 |
			    (uint32_t)g << 8 | (uint32_t)g;
		}
	}
	cairo_surface_mark_dirty(s);
}

static void
page_end(struct layout *lo)
{
	if (lo->img != NULL) {
		if (lo->cr != NULL) {
			cairo_destroy(lo->cr);
			lo->cr = NULL;
			scan_noise(lo->img[lo->nimg - 1], lo->d->seed +
			    lo->nimg);
		}
	} else
		cairo_show_page(lo->cr);
}

static void
page_next(struct layout *lo)
{
	page_end(lo);
	page_begin(lo);
}

/* --- paragraphs ----------------------------------------------------------- */

static PangoLayout *
para_layout(struct layout *lo, size_t i, double width, bool center)
{
	const struct gen_para *p = &lo->d->paras[i];
	PangoLayout *pl = pango_layout_new(lo->pc);

	pango_layout_set_font_description(pl, lo->in_head &&
	    p->flags & GEN_P_BOLD ? lo->head : p->where == GEN_NOTE ?
	    lo->small : p->flags & GEN_P_BOLD ? lo->bold : lo->font);
	pango_layout_set_width(pl, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(pl, center ? PANGO_ALIGN_CENTER :
	    PANGO_ALIGN_LEFT);
	pango_layout_set_text(pl, lo->text[i], -1);
	return pl;
}

/* Draws paragraph i at x with that width, line by line so that a long
 * paragraph flows onto the next page; framed paragraphs (stamps, boxes)
 * are kept whole and drawn in a rectangle. */
static void
draw_para(struct layout *lo, size_t i, double x, double width, bool center)
{
	const struct gen_para *p = &lo->d->paras[i];
	bool framed = p->where == GEN_BOX || p->flags & GEN_P_FRAMED;
	PangoLayout *pl;
	PangoLayoutIter *it;
	PangoRectangle ink, logical;
	double pad = framed ? 5 : 0;

	pl = para_layout(lo, i, width, center);
	pango_layout_get_extents(pl, &ink, &logical);
	if (framed && lo->y + (double)logical.height / PANGO_SCALE + 2 * pad >
	    PG_H - PG_BOTTOM)
		page_next(lo);
	if (lo->full) {
		g_object_unref(pl);
		return;
	}
	if (framed) {
		cairo_rectangle(lo->cr, x + (double)logical.x / PANGO_SCALE -
		    pad, lo->y, (double)logical.width / PANGO_SCALE + 2 * pad,
		    (double)logical.height / PANGO_SCALE + 2 * pad);
		cairo_stroke(lo->cr);
		lo->y += pad;
	}
	it = pango_layout_get_iter(pl);
	do {
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		PangoRectangle lr;
		int base = pango_layout_iter_get_baseline(it);
		double lh;

		pango_layout_iter_get_line_extents(it, NULL, &lr);
		lh = (double)lr.height / PANGO_SCALE;
		if (lo->y + lh > PG_H - PG_BOTTOM)
			page_next(lo);
		if (lo->full)
			break;
		cairo_move_to(lo->cr, x + (double)lr.x / PANGO_SCALE,
		    lo->y + (double)(base - lr.y) / PANGO_SCALE);
		pango_cairo_show_layout_line(lo->cr, line);
		lo->y += lh;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(pl);
	lo->y += pad + (p->where == GEN_BOX ? 6 : 4);
}

static bool
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The letterhead of Nghị định 30: the unit and the number on the left,
 * the national motto on the right. Returns how many paragraphs it took
 * from first (0 when the document does not start that way). */
static size_t
draw_letterhead(struct layout *lo, size_t first)
{
	const struct gen_doc *d = lo->d;
	double left_w = PG_TEXT_W * 0.40, right_x = PG_LEFT + PG_TEXT_W *
	    0.40, right_w = PG_TEXT_W * 0.62, top = lo->y, yl, yr;
	size_t n = 3;

	if (first + 2 >= d->npara || d->paras[first + 1].where != GEN_BODY ||
	    !starts(d->paras[first + 1].text, "CỘNG HÒA"))
		return 0;
	lo->in_head = true;
	draw_para(lo, first, PG_LEFT, left_w, true);
	if (first + 3 < d->npara && starts(d->paras[first + 3].text, "Số:")) {
		draw_para(lo, first + 3, PG_LEFT, left_w, true);
		n = 4;
	}
	yl = lo->y;
	lo->y = top;
	draw_para(lo, first + 1, right_x, right_w, true);
	draw_para(lo, first + 2, right_x, right_w, true);
	yr = lo->y;
	lo->y = (yl > yr ? yl : yr) + 8;
	lo->in_head = false;
	return n;
}

static void
draw_doc(struct layout *lo)
{
	const struct gen_doc *d = lo->d;
	size_t i = 0, n;

	page_begin(lo);
	while (i < d->npara && d->paras[i].where != GEN_BODY)
		i++;
	n = draw_letterhead(lo, i);
	for (i = 0; i < d->npara && !lo->full; i++) {
		const struct gen_para *p = &d->paras[i];

		if (n > 0 && p->where == GEN_BODY) {
			/* the letterhead's paragraphs */
			n--;
			continue;
		}
		if (p->where == GEN_HEADER || p->where == GEN_FOOTER)
			continue;
		if (p->flags & GEN_P_PAGEBREAK && lo->y > PG_TOP)
			page_next(lo);
		if (lo->full)
			break;
		if (p->where == GEN_BOX)
			draw_para(lo, i, PG_LEFT + 6, PG_TEXT_W * 0.4,
			    p->flags & GEN_P_CENTER);
		else
			draw_para(lo, i, PG_LEFT, PG_TEXT_W,
			    p->flags & GEN_P_CENTER);
	}
	if (!lo->full)
		page_end(lo);
}

static void
layout_init(struct layout *lo, const struct gen_doc *d)
{
	cairo_font_options_t *fo;
	size_t i;

	memset(lo, 0, sizeof(*lo));
	lo->d = d;
	lo->text = calloc(d->npara + 1, sizeof(*lo->text));
	if (lo->text == NULL)
		abort();
	for (i = 0; i < d->npara; i++) {
		size_t len;
		unsigned char *t = gen_encode(d->paras[i].text,
		    d->enc == GEN_ENC_NFD ? GEN_ENC_NFD : GEN_ENC_NFC, false,
		    &len);
		char *s = malloc(len + 1);

		if (t == NULL || s == NULL)
			abort();
		memcpy(s, t, len);
		s[len] = '\0';
		free(t);
		lo->text[i] = s;
	}
	lo->pc = pango_font_map_create_context(
	    pango_cairo_font_map_get_default());
	pango_cairo_context_set_resolution(lo->pc, 72);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(lo->pc, fo);
	cairo_font_options_destroy(fo);
	lo->font = pango_font_description_from_string(FONT);
	pango_font_description_set_size(lo->font, (int)(FONT_SIZE *
	    PANGO_SCALE));
	lo->bold = pango_font_description_copy(lo->font);
	pango_font_description_set_weight(lo->bold, PANGO_WEIGHT_BOLD);
	lo->small = pango_font_description_copy(lo->font);
	pango_font_description_set_size(lo->small, (int)(9 * PANGO_SCALE));
	lo->head = pango_font_description_copy(lo->bold);
	pango_font_description_set_size(lo->head, (int)(11 * PANGO_SCALE));
}

static void
layout_free(struct layout *lo)
{
	size_t i;

	for (i = 0; i < lo->d->npara; i++)
		free(lo->text[i]);
	free(lo->text);
	pango_font_description_free(lo->font);
	pango_font_description_free(lo->bold);
	pango_font_description_free(lo->small);
	pango_font_description_free(lo->head);
	g_object_unref(lo->pc);
	if (lo->cr != NULL)
		cairo_destroy(lo->cr);
}

/* --- writers -------------------------------------------------------------- */

static int
write_text_pdf(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	struct layout lo;
	cairo_status_t st;
	char *title = NULL;

	layout_init(&lo, d);
	lo.pdf = cairo_pdf_surface_create(path, PG_W, PG_H);
	lo.cr = cairo_create(lo.pdf);
	if (d->title != NULL) {
		size_t len;
		unsigned char *t = gen_encode(d->title, d->enc ==
		    GEN_ENC_NFD ? GEN_ENC_NFD : GEN_ENC_NFC, false, &len);

		if ((title = malloc(len + 1)) == NULL)
			abort();
		memcpy(title, t, len);
		title[len] = '\0';
		free(t);
		cairo_pdf_surface_set_metadata(lo.pdf,
		    CAIRO_PDF_METADATA_TITLE, title);
		free(title);
	}
	cairo_pdf_surface_set_metadata(lo.pdf, CAIRO_PDF_METADATA_CREATOR,
	    "canhgac mkcorpus");
	draw_doc(&lo);
	cairo_destroy(lo.cr);
	lo.cr = NULL;
	cairo_surface_finish(lo.pdf);
	st = cairo_surface_status(lo.pdf);
	cairo_surface_destroy(lo.pdf);
	layout_free(&lo);
	if (st != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "%s: %s", path,
		    cairo_status_to_string(st));
		return -1;
	}
	return 0;
}

int
gen_pdf_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	return write_text_pdf(path, d, err, errlen);
}

bool
gen_pdf_supports(enum gen_kind kind, enum gen_enc enc)
{
	(void)kind;
	return enc == GEN_ENC_NFC || enc == GEN_ENC_NFD;
}

/* Runs qpdf to rewrite in as out with object streams. */
static int
run_qpdf(const char *in, const char *out, char *err, size_t errlen)
{
	pid_t pid;
	int st;

	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: qpdf");
		return -1;
	}
	if (pid == 0) {
		execlp("qpdf", "qpdf", "--object-streams=generate",
		    "--compress-streams=y", in, out, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) ||
	    (WEXITSTATUS(st) != 0 && WEXITSTATUS(st) != 3)) {
		snprintf(err, errlen, "qpdf --object-streams=generate %s "
		    "failed (is qpdf installed?)", in);
		return -1;
	}
	return 0;
}

int
gen_pdfobjstm_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	char tmp[4096];
	int r;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.plain.pdf", path) >=
	    sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	if (write_text_pdf(tmp, d, err, errlen) != 0)
		return -1;
	r = run_qpdf(tmp, path, err, errlen);
	unlink(tmp);
	return r;
}

bool
gen_pdfobjstm_supports(enum gen_kind kind, enum gen_enc enc)
{
	(void)kind;
	return enc == GEN_ENC_NFC;
}

/* The first max pages of d drawn as scanned images; 0, or -1 with err. */
int
gen_pdf_scan(const struct gen_doc *d, unsigned max, cairo_surface_t **pages,
    unsigned *npages, char *err, size_t errlen)
{
	struct layout lo;

	layout_init(&lo, d);
	lo.img = pages;
	lo.max_img = max;
	draw_doc(&lo);
	*npages = lo.nimg;
	layout_free(&lo);
	if (lo.nimg == 0 || cairo_surface_status(pages[0]) !=
	    CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "scan of the document failed");
		return -1;
	}
	return 0;
}

int
gen_pdfscan_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	cairo_surface_t *pages[SCAN_PAGES], *pdf;
	cairo_status_t st;
	unsigned n = 0, i;
	cairo_t *cr;

	if (gen_pdf_scan(d, SCAN_PAGES, pages, &n, err, errlen) != 0) {
		for (i = 0; i < n; i++)
			cairo_surface_destroy(pages[i]);
		return -1;
	}
	pdf = cairo_pdf_surface_create(path, PG_W, PG_H);
	cr = cairo_create(pdf);
	for (i = 0; i < n; i++) {
		cairo_save(cr);
		cairo_scale(cr, 72 / SCAN_DPI, 72 / SCAN_DPI);
		cairo_set_source_surface(cr, pages[i], 0, 0);
		cairo_paint(cr);
		cairo_restore(cr);
		cairo_show_page(cr);
		cairo_surface_destroy(pages[i]);
	}
	cairo_destroy(cr);
	cairo_surface_finish(pdf);
	st = cairo_surface_status(pdf);
	cairo_surface_destroy(pdf);
	if (st != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "%s: %s", path,
		    cairo_status_to_string(st));
		return -1;
	}
	return 0;
}

bool
gen_pdfscan_supports(enum gen_kind kind, enum gen_enc enc)
{
	(void)kind;
	return enc == GEN_ENC_NFC;
}
