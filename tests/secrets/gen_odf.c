/*
 * gen_odf.c — the corpus writers of OpenDocument (gen.h), as LibreOffice
 * writes them: .odt (letterhead table, the page header and footer in the
 * master page of styles.xml, stamps in automatic paragraph styles — bold,
 * centred, bordered —, a framed stamp as draw:frame/draw:text-box, page
 * breaks by fo:break-before, legacy-encoded text in .VnTime/.VnTimeH/
 * VNI-Times), .ods (the letter down column A, the letterhead across A and
 * B, a sheet per page, the header in the master page, a box in
 * table:shapes) and .odp (a slide per page, the box a framed frame, notes).
 * The mimetype entry comes first and stored; written with libzip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "gen.h"

/* --- the package -------------------------------------------------------- */

struct pkg {
	zip_t *za;
	bool failed;
};

static void
pkg_add(struct pkg *k, const char *name, struct gen_buf *b, bool stored)
{
	zip_source_t *s;
	zip_int64_t idx;
	char *data = b->p != NULL ? b->p : strdup("");

	if (k->failed || data == NULL) {
		free(data);
		memset(b, 0, sizeof(*b));
		k->failed = true;
		return;
	}
	s = zip_source_buffer(k->za, data, b->len, 1);
	if (s == NULL || (idx = zip_file_add(k->za, name, s,
	    ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(s);
		k->failed = true;
	} else if (stored)
		zip_set_file_compression(k->za, (zip_uint64_t)idx, ZIP_CM_STORE,
		    0);
	memset(b, 0, sizeof(*b));
}

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define NS \
	"xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " \
	"xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" " \
	"xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" " \
	"xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" " \
	"xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" " \
	"xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:" \
	"1.0\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" " \
	"xmlns:dc=\"http://purl.org/dc/elements/1.1/\" " \
	"xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" " \
	"xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\" " \
	"xmlns:presentation=\"urn:oasis:names:tc:opendocument:xmlns:" \
	"presentation:1.0\" office:version=\"1.3\""
#define FONTS "<office:font-face-decls><style:font-face style:name=\"Times " \
	"New Roman\" svg:font-family=\"'Times New Roman'\" " \
	"style:font-family-generic=\"roman\"/><style:font-face " \
	"style:name=\".VnTime\" svg:font-family=\"'.VnTime'\"/><style:font-face " \
	"style:name=\".VnTimeH\" svg:font-family=\"'.VnTimeH'\"/>" \
	"<style:font-face style:name=\"VNI-Times\" " \
	"svg:font-family=\"'VNI-Times'\"/></office:font-face-decls>"

enum od_kind { OD_TEXT, OD_SHEET, OD_SLIDES };

static const char *const od_mime[] = {
	"application/vnd.oasis.opendocument.text",
	"application/vnd.oasis.opendocument.spreadsheet",
	"application/vnd.oasis.opendocument.presentation",
};

/* The parts every package has: mimetype, manifest, meta. */
static int
od_open(struct pkg *k, const char *path, enum od_kind kind,
    const struct gen_doc *d, char *err, size_t errlen)
{
	struct gen_buf b = {0};
	int ze = 0;

	memset(k, 0, sizeof(*k));
	if ((k->za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze)) == NULL) {
		zip_error_t e;

		zip_error_init_with_code(&e, ze);
		snprintf(err, errlen, "%s: %s", path, zip_error_strerror(&e));
		zip_error_fini(&e);
		return -1;
	}
	gen_buf_str(&b, od_mime[kind]);
	pkg_add(k, "mimetype", &b, true);
	gen_buf_printf(&b, XML_DECL "<manifest:manifest xmlns:manifest=\"urn:oasis:"
	    "names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">"
	    "<manifest:file-entry manifest:full-path=\"/\" manifest:version="
	    "\"1.3\" manifest:media-type=\"%s\"/>", od_mime[kind]);
	gen_buf_str(&b, "<manifest:file-entry manifest:full-path=\"content.xml\" "
	    "manifest:media-type=\"text/xml\"/><manifest:file-entry "
	    "manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/>"
	    "<manifest:file-entry manifest:full-path=\"meta.xml\" "
	    "manifest:media-type=\"text/xml\"/></manifest:manifest>");
	pkg_add(k, "META-INF/manifest.xml", &b, false);
	gen_buf_str(&b, XML_DECL "<office:document-meta " NS "><office:meta>"
	    "<meta:generator>canhgac-mkcorpus</meta:generator><dc:title>");
	gen_buf_xml(&b, d->title != NULL ? d->title : "");
	gen_buf_str(&b, "</dc:title><meta:initial-creator>UBND phường Thái Hòa"
	    "</meta:initial-creator></office:meta></office:document-meta>");
	pkg_add(k, "meta.xml", &b, false);
	return 0;
}

static int
od_close(struct pkg *k, const char *path, char *err, size_t errlen)
{
	if (k->failed || zip_close(k->za) != 0) {
		snprintf(err, errlen, "%s: %s", path, k->failed ?
		    "could not add a part" : zip_strerror(k->za));
		zip_discard(k->za);
		return -1;
	}
	return 0;
}

/* --- paragraphs and their automatic styles ------------------------------ */

/* Automatic styles written so far, one per look (as LibreOffice shares
 * them): the key says the look, the number names the style. */
struct book {
	char key[64][48];
	unsigned num[64], n, next;
};

/* The number of the style for key; *fresh when it is to be written. */
static unsigned
book_find(struct book *b, const char *key, bool *fresh)
{
	unsigned i;

	*fresh = false;
	for (i = 0; i < b->n; i++)
		if (strcmp(b->key[i], key) == 0)
			return b->num[i];
	*fresh = true;
	if (b->n < 64) {
		snprintf(b->key[b->n], sizeof(b->key[0]), "%s", key);
		b->num[b->n++] = b->next + 1;
	}
	return ++b->next;
}

/* An automatic paragraph style for p, named P<n>, into st. */
static void
od_pstyle(struct gen_buf *st, unsigned n, const struct gen_para *p,
    const char *font, bool breaks)
{
	gen_buf_printf(st, "<style:style style:name=\"P%u\" style:family=\"paragraph\" "
	    "style:parent-style-name=\"Standard\"><style:paragraph-properties",
	    n);
	if (p->flags & GEN_P_CENTER)
		gen_buf_str(st, " fo:text-align=\"center\"");
	if (p->flags & GEN_P_FRAMED)
		gen_buf_str(st, " fo:border=\"0.06pt solid #000000\" fo:padding="
		    "\"0.05cm\"");
	if (breaks && (p->flags & GEN_P_PAGEBREAK))
		gen_buf_str(st, " fo:break-before=\"page\"");
	gen_buf_str(st, "/><style:text-properties");
	if (font != NULL)
		gen_buf_printf(st, " style:font-name=\"%s\"", font);
	if (p->flags & GEN_P_BOLD)
		gen_buf_str(st, " fo:font-weight=\"bold\" style:font-weight-complex="
		    "\"bold\"");
	gen_buf_str(st, "/></style:style>");
}

/* text:p of p with its own style; st gets the style. */
static void
od_para(struct gen_buf *b, struct gen_buf *st, struct book *bk,
    const struct gen_doc *d, const struct gen_para *p, bool breaks,
    const char *inner)
{
	const char *font;
	char *t = gen_para_text(d, p, &font), key[48];
	unsigned look = p->flags & (GEN_P_CENTER | GEN_P_FRAMED | GEN_P_BOLD |
	    (breaks ? GEN_P_PAGEBREAK : 0)), n;
	bool fresh;

	snprintf(key, sizeof(key), "%u|%s", look, font != NULL ? font : "");
	n = book_find(bk, key, &fresh);
	if (fresh)
		od_pstyle(st, n, p, font, breaks);
	gen_buf_printf(b, "<text:p text:style-name=\"P%u\">", n);
	if (inner != NULL)
		gen_buf_str(b, inner);
	gen_buf_xml(b, t);
	gen_buf_str(b, "</text:p>");
	free(t);
}

static const char od_frame_style[] =
    "<style:style style:name=\"fr1\" style:family=\"graphic\">"
    "<style:graphic-properties fo:border=\"0.05cm solid #c00000\" "
    "fo:padding=\"0.1cm\" style:wrap=\"none\" style:vertical-pos=\"top\" "
    "style:horizontal-pos=\"right\"/></style:style>";

/* Boxed paragraphs idx[0..n): a framed text frame in an anchor paragraph. */
static void
od_box(struct gen_buf *b, struct gen_buf *st, struct book *bk, const struct gen_doc *d,
    const size_t *idx, size_t n, unsigned *nframe)
{
	unsigned id = ++*nframe;
	size_t i;

	gen_buf_printf(b, "<text:p text:style-name=\"Standard\"><draw:frame "
	    "draw:style-name=\"fr1\" draw:name=\"Khung %u\" text:anchor-type="
	    "\"paragraph\" svg:width=\"4.5cm\" draw:z-index=\"%u\"><draw:text-box "
	    "fo:min-height=\"1cm\">", id, id);
	for (i = 0; i < n; i++) {
		struct gen_para p = d->paras[idx[i]];

		p.flags &= ~(unsigned)GEN_P_FRAMED;
		od_para(b, st, bk, d, &p, false, NULL);
	}
	gen_buf_str(b, "</draw:text-box></draw:frame></text:p>");
}

static void
od_flow(struct gen_buf *b, struct gen_buf *st, struct book *bk, const struct gen_doc *d,
    const size_t *idx, size_t n, unsigned *nframe, const char **note)
{
	size_t i = 0, j;

	while (i < n) {
		const struct gen_para *p = &d->paras[idx[i]];

		if (p->where == GEN_BOX) {
			for (j = i; j < n && d->paras[idx[j]].where == GEN_BOX;
			    j++)
				;
			od_box(b, st, bk, d, idx + i, j - i, nframe);
			i = j;
			continue;
		}
		if (p->where == GEN_BODY) {
			od_para(b, st, bk, d, p, true, *note);
			*note = NULL;
		}
		i++;
	}
}

/* The annotation that carries the note paragraphs (NULL: none). */
static char *
od_note(const struct gen_doc *d)
{
	struct gen_buf b = {0};
	const char *font;
	size_t i;
	char *t;

	for (i = 0; i < d->npara; i++) {
		if (d->paras[i].where != GEN_NOTE)
			continue;
		if (b.len == 0)
			gen_buf_str(&b, "<office:annotation><dc:creator>Văn thư"
			    "</dc:creator><dc:date>2026-01-05T08:00:00</dc:date>");
		t = gen_para_text(d, &d->paras[i], &font);
		gen_buf_str(&b, "<text:p>");
		gen_buf_xml(&b, t);
		gen_buf_str(&b, "</text:p>");
		free(t);
	}
	if (b.len > 0)
		gen_buf_str(&b, "</office:annotation>");
	return b.p;
}

/* styles.xml: the page layout and the master page with its header and
 * footer paragraphs (regions for spreadsheets). */
static void
od_styles(struct pkg *k, const struct gen_doc *d, enum od_kind kind)
{
	static const char *const master[] = {"Standard", "Default", "Default"};
	struct gen_buf b = {0}, st = {0}, hf = {0};
	struct book bk = {.next = 100};
	size_t i;
	int w;

	for (w = 0; w < 2; w++) {
		enum gen_where where = w == 0 ? GEN_HEADER : GEN_FOOTER;
		bool any = false;

		for (i = 0; i < d->npara; i++) {
			struct gen_para p = d->paras[i];

			if (p.where != where)
				continue;
			if (!any)
				gen_buf_str(&hf, w == 0 ? "<style:header>" :
				    "<style:footer>");
			if (!any && kind == OD_SHEET)
				gen_buf_str(&hf, "<style:region-center>");
			any = true;
			p.flags &= ~(unsigned)GEN_P_PAGEBREAK;
			od_para(&hf, &st, &bk, d, &p, false, NULL);
		}
		if (any && kind == OD_SHEET)
			gen_buf_str(&hf, "</style:region-center>");
		if (any)
			gen_buf_str(&hf, w == 0 ? "</style:header>" : "</style:footer>");
	}
	gen_buf_str(&b, XML_DECL "<office:document-styles " NS ">" FONTS
	    "<office:styles><style:default-style style:family=\"paragraph\">"
	    "<style:text-properties style:font-name=\"Times New Roman\" "
	    "fo:font-size=\"14pt\" fo:language=\"vi\" fo:country=\"VN\"/>"
	    "</style:default-style><style:style style:name=\"Standard\" "
	    "style:family=\"paragraph\" style:class=\"text\"/></office:styles>"
	    "<office:automatic-styles><style:page-layout style:name=\"pm1\">"
	    "<style:page-layout-properties fo:page-width=\"21cm\" "
	    "fo:page-height=\"29.7cm\" fo:margin-top=\"2cm\" "
	    "fo:margin-bottom=\"2cm\" fo:margin-left=\"3cm\" "
	    "fo:margin-right=\"2cm\"/><style:header-style><style:header-footer-"
	    "properties fo:min-height=\"0cm\" fo:margin-bottom=\"0.5cm\"/>"
	    "</style:header-style><style:footer-style/></style:page-layout>");
	if (st.len > 0)
		gen_buf_add(&b, st.p, st.len);
	gen_buf_printf(&b, "</office:automatic-styles><office:master-styles>"
	    "<style:master-page style:name=\"%s\" style:page-layout-name="
	    "\"pm1\">", master[kind]);
	if (hf.len > 0)
		gen_buf_add(&b, hf.p, hf.len);
	gen_buf_str(&b, "</style:master-page></office:master-styles>"
	    "</office:document-styles>");
	pkg_add(k, "styles.xml", &b, false);
	free(st.p);
	free(hf.p);
}

static void
od_content(struct pkg *k, struct gen_buf *st, struct gen_buf *body, const char *kind)
{
	struct gen_buf b = {0};

	gen_buf_str(&b, XML_DECL "<office:document-content " NS ">" FONTS
	    "<office:automatic-styles>");
	gen_buf_str(&b, od_frame_style);
	if (st->len > 0)
		gen_buf_add(&b, st->p, st->len);
	gen_buf_printf(&b, "</office:automatic-styles><office:body><office:%s>",
	    kind);
	if (body->len > 0)
		gen_buf_add(&b, body->p, body->len);
	gen_buf_printf(&b, "</office:%s></office:body></office:document-content>",
	    kind);
	pkg_add(k, "content.xml", &b, false);
}

/* --- text --------------------------------------------------------------- */

int
gen_odt_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	struct gen_buf st = {0}, body = {0};
	struct gen_letterhead lay;
	struct pkg k;
	struct book bk = {.next = 0};
	unsigned nframe = 0;
	size_t *idx, n = 0, i, start = 0;
	char *note = od_note(d);
	const char *pending = note;

	if ((idx = calloc(d->npara + 1, sizeof(*idx))) == NULL)
		abort();
	gen_buf_str(&body, "<text:sequence-decls><text:sequence-decl "
	    "text:display-outline-level=\"0\" text:name=\"Table\"/>"
	    "</text:sequence-decls>");
	if (gen_letterhead(d, &lay)) {
		gen_buf_str(&st, "<style:style style:name=\"Bang1\" style:family="
		    "\"table\"><style:table-properties style:width=\"16cm\" "
		    "table:align=\"margins\"/></style:style><style:style "
		    "style:name=\"Bang1.A\" style:family=\"table-column\">"
		    "<style:table-column-properties style:column-width=\"6.3cm\"/>"
		    "</style:style><style:style style:name=\"Bang1.B\" "
		    "style:family=\"table-column\"><style:table-column-properties "
		    "style:column-width=\"9.7cm\"/></style:style>");
		gen_buf_str(&body, "<table:table table:name=\"Bang1\" "
		    "table:style-name=\"Bang1\"><table:table-column "
		    "table:style-name=\"Bang1.A\"/><table:table-column "
		    "table:style-name=\"Bang1.B\"/><table:table-row>"
		    "<table:table-cell office:value-type=\"string\">");
		od_flow(&body, &st, &bk, d, lay.left, lay.nleft, &nframe,
		    &pending);
		gen_buf_str(&body, "</table:table-cell><table:table-cell "
		    "office:value-type=\"string\">");
		od_flow(&body, &st, &bk, d, lay.right, lay.nright, &nframe,
		    &pending);
		gen_buf_str(&body, "</table:table-cell></table:table-row>"
		    "</table:table>");
		start = lay.end;
	}
	for (i = start; i < d->npara; i++)
		if (d->paras[i].where == GEN_BODY || d->paras[i].where ==
		    GEN_BOX)
			idx[n++] = i;
	od_flow(&body, &st, &bk, d, idx, n, &nframe, &pending);
	free(idx);
	if (od_open(&k, path, OD_TEXT, d, err, errlen) != 0) {
		free(st.p);
		free(body.p);
		free(note);
		return -1;
	}
	od_styles(&k, d, OD_TEXT);
	od_content(&k, &st, &body, "text");
	free(st.p);
	free(body.p);
	free(note);
	return od_close(&k, path, err, errlen);
}

static bool
odf_supports(enum gen_kind kind, enum gen_enc enc)
{
	(void)kind;
	return enc == GEN_ENC_NFC || enc == GEN_ENC_NFD ||
	    enc == GEN_ENC_TCVN3 || enc == GEN_ENC_VNI;
}

bool
gen_odt_supports(enum gen_kind kind, enum gen_enc enc)
{
	return odf_supports(kind, enc);
}

/* --- spreadsheet -------------------------------------------------------- */

/* A string cell in its own automatic cell style ce<n>. */
static void
ods_cell(struct gen_buf *b, struct gen_buf *st, struct book *bk,
    const struct gen_doc *d, const struct gen_para *p)
{
	const char *font;
	char *t = gen_para_text(d, p, &font), key[48];
	unsigned n;
	bool fresh;

	snprintf(key, sizeof(key), "%u|%s", p->flags & (GEN_P_CENTER |
	    GEN_P_FRAMED | GEN_P_BOLD), font != NULL ? font : "");
	n = book_find(bk, key, &fresh);
	if (fresh) {
		gen_buf_printf(st, "<style:style style:name=\"ce%u\" style:family="
		    "\"table-cell\" style:parent-style-name=\"Default\">"
		    "<style:table-cell-properties%s/><style:paragraph-properties "
		    "fo:text-align=\"%s\"/><style:text-properties", n,
		    (p->flags & GEN_P_FRAMED) ?
		    " fo:border=\"0.06pt solid #000000\"" : "",
		    (p->flags & GEN_P_CENTER) ? "center" : "start");
		if (font != NULL)
			gen_buf_printf(st, " style:font-name=\"%s\"", font);
		if (p->flags & GEN_P_BOLD)
			gen_buf_str(st, " fo:font-weight=\"bold\"");
		gen_buf_str(st, "/></style:style>");
	}
	gen_buf_printf(b, "<table:table-cell table:style-name=\"ce%u\" "
	    "office:value-type=\"string\"><text:p>", n);
	gen_buf_xml(b, t);
	gen_buf_str(b, "</text:p></table:table-cell>");
	free(t);
}

static void
ods_table_start(struct gen_buf *b, unsigned sheet, const struct gen_doc *d,
    const size_t *box, size_t nbox)
{
	const char *font;
	size_t i;
	char *t;

	gen_buf_printf(b, "<table:table table:name=\"Trang %u\"><table:table-column "
	    "table:number-columns-repeated=\"2\"/>", sheet);
	if (nbox == 0)
		return;
	gen_buf_str(b, "<table:shapes><draw:frame draw:style-name=\"fr1\" "
	    "draw:name=\"Khung\" svg:x=\"14cm\" svg:y=\"0.5cm\" svg:width=\"4cm\" "
	    "svg:height=\"1.2cm\"><draw:text-box>");
	for (i = 0; i < nbox; i++) {
		t = gen_para_text(d, &d->paras[box[i]], &font);
		gen_buf_str(b, "<text:p>");
		gen_buf_xml(b, t);
		gen_buf_str(b, "</text:p>");
		free(t);
	}
	gen_buf_str(b, "</draw:text-box></draw:frame></table:shapes>");
}

int
gen_ods_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	struct gen_buf st = {0}, body = {0};
	struct gen_letterhead lay;
	struct pkg k;
	struct book bk = {.next = 0};
	unsigned sheet = 1;
	size_t *box, nbox = 0, i, start = 0;
	bool has = gen_letterhead(d, &lay);

	if ((box = calloc(d->npara + 1, sizeof(*box))) == NULL)
		abort();
	/* the boxes of the first sheet are drawn in its table:shapes */
	for (i = 0; i < d->npara && (i == 0 || !(d->paras[i].flags &
	    GEN_P_PAGEBREAK)); i++)
		if (d->paras[i].where == GEN_BOX)
			box[nbox++] = i;
	ods_table_start(&body, sheet, d, box, nbox);
	if (has) {
		for (i = 0; i < lay.nleft || i < lay.nright; i++) {
			gen_buf_str(&body, "<table:table-row>");
			if (i < lay.nleft && d->paras[lay.left[i]].where ==
			    GEN_BODY)
				ods_cell(&body, &st, &bk, d,
				    &d->paras[lay.left[i]]);
			else
				gen_buf_str(&body, "<table:table-cell/>");
			if (i < lay.nright)
				ods_cell(&body, &st, &bk, d,
				    &d->paras[lay.right[i]]);
			gen_buf_str(&body, "</table:table-row>");
		}
		start = lay.end;
	}
	for (i = start; i < d->npara; i++) {
		const struct gen_para *p = &d->paras[i];

		if (p->flags & GEN_P_PAGEBREAK) {
			gen_buf_str(&body, "</table:table>");
			ods_table_start(&body, ++sheet, d, NULL, 0);
		}
		if (p->where != GEN_BODY && p->where != GEN_NOTE)
			continue;
		gen_buf_str(&body, "<table:table-row>");
		ods_cell(&body, &st, &bk, d, p);
		gen_buf_str(&body, "</table:table-row>");
	}
	gen_buf_str(&body, "</table:table>");
	free(box);
	if (od_open(&k, path, OD_SHEET, d, err, errlen) != 0) {
		free(st.p);
		free(body.p);
		return -1;
	}
	od_styles(&k, d, OD_SHEET);
	od_content(&k, &st, &body, "spreadsheet");
	free(st.p);
	free(body.p);
	return od_close(&k, path, err, errlen);
}

bool
gen_ods_supports(enum gen_kind kind, enum gen_enc enc)
{
	return odf_supports(kind, enc);
}

/* --- presentation ------------------------------------------------------- */

static void
odp_frame(struct gen_buf *b, struct gen_buf *st, struct book *bk,
    const struct gen_doc *d, const size_t *idx, size_t n, const char *cls,
    const char *geom)
{
	size_t i;

	gen_buf_printf(b, "<draw:frame %s%s%s %s><draw:text-box>", cls != NULL ?
	    "presentation:class=\"" : "", cls != NULL ? cls : "", cls != NULL ?
	    "\"" : "", geom);
	for (i = 0; i < n; i++) {
		struct gen_para p = d->paras[idx[i]];

		p.flags &= ~(unsigned)(GEN_P_FRAMED | GEN_P_PAGEBREAK);
		od_para(b, st, bk, d, &p, false, NULL);
	}
	gen_buf_str(b, "</draw:text-box></draw:frame>");
}

int
gen_odp_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	struct gen_buf st = {0}, body = {0};
	struct pkg k;
	struct book bk = {.next = 0};
	unsigned page = 0;
	size_t *bi, *xi, *hi, *ni, nb, nx, nh = 0, nn = 0, i = 0, j;

	bi = calloc(d->npara + 1, sizeof(*bi));
	xi = calloc(d->npara + 1, sizeof(*xi));
	hi = calloc(d->npara + 1, sizeof(*hi));
	ni = calloc(d->npara + 1, sizeof(*ni));
	if (bi == NULL || xi == NULL || hi == NULL || ni == NULL)
		abort();
	for (j = 0; j < d->npara; j++)
		if (d->paras[j].where == GEN_HEADER || d->paras[j].where ==
		    GEN_FOOTER)
			hi[nh++] = j;
		else if (d->paras[j].where == GEN_NOTE)
			ni[nn++] = j;
	while (i < d->npara) {
		/* one slide: up to the next page break */
		nb = nx = 0;
		for (j = i; j < d->npara && (j == i || !(d->paras[j].flags &
		    GEN_P_PAGEBREAK)); j++)
			if (d->paras[j].where == GEN_BODY)
				bi[nb++] = j;
			else if (d->paras[j].where == GEN_BOX)
				xi[nx++] = j;
		gen_buf_printf(&body, "<draw:page draw:name=\"Trang %u\" "
		    "draw:master-page-name=\"Default\">", ++page);
		if (page == 1 && nh > 0)
			odp_frame(&body, &st, &bk, d, hi, nh, NULL,
			    "svg:x=\"1cm\" svg:y=\"0.3cm\" svg:width=\"26cm\" "
			    "svg:height=\"1cm\"");
		if (nx > 0)
			odp_frame(&body, &st, &bk, d, xi, nx, NULL,
			    "draw:style-name=\"fr1\" svg:x=\"20cm\" svg:y=\"1.5cm\" "
			    "svg:width=\"6cm\" svg:height=\"1.5cm\"");
		odp_frame(&body, &st, &bk, d, bi, nb, "outline",
		    "svg:x=\"1cm\" svg:y=\"3cm\" svg:width=\"26cm\" "
		    "svg:height=\"15cm\"");
		if (page == 1 && nn > 0) {
			gen_buf_str(&body, "<presentation:notes>");
			odp_frame(&body, &st, &bk, d, ni, nn, "notes",
			    "svg:x=\"2cm\" svg:y=\"14cm\" svg:width=\"17cm\" "
			    "svg:height=\"12cm\"");
			gen_buf_str(&body, "</presentation:notes>");
		}
		gen_buf_str(&body, "</draw:page>");
		i = j;
	}
	free(bi);
	free(xi);
	free(hi);
	free(ni);
	if (od_open(&k, path, OD_SLIDES, d, err, errlen) != 0) {
		free(st.p);
		free(body.p);
		return -1;
	}
	od_styles(&k, d, OD_SLIDES);
	od_content(&k, &st, &body, "presentation");
	free(st.p);
	free(body.p);
	return od_close(&k, path, err, errlen);
}

bool
gen_odp_supports(enum gen_kind kind, enum gen_enc enc)
{
	return odf_supports(kind, enc);
}
