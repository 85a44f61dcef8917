/*
 * gen_ooxml.c — the corpus writers of Office Open XML (gen.h): .docx,
 * .docm and .dotx as Word lays an official letter out (letterhead table,
 * stamps bold and centred, a framed stamp as a DrawingML text box inside
 * mc:AlternateContent with its VML fallback, the page header as
 * header1.xml, runs of legacy-encoded text in .VnTime/.VnTimeH/VNI-Times),
 * .xlsx (the letter down column A, the letterhead across A and B, a page
 * break starting a new sheet, the header in the sheet's page header, a
 * box as a drawing shape) and .pptx (a slide per page, the box a framed
 * shape). Written with libzip; each opens in LibreOffice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "gen.h"

/* --- writing a package -------------------------------------------------- */

struct pkg {
	zip_t *za;
	bool failed;
};

/* Adds name with the text of b (taken). */
static void
pkg_add(struct pkg *k, const char *name, struct gen_buf *b)
{
	zip_source_t *s;
	const char *data = b->p != NULL ? b->p : "";
	size_t len = b->len;

	if (k->failed) {
		free(b->p);
		memset(b, 0, sizeof(*b));
		return;
	}
	s = zip_source_buffer(k->za, b->p != NULL ? b->p : strdup(data), len,
	    1);
	if (s == NULL || zip_file_add(k->za, name, s, ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(s);
		k->failed = true;
	}
	memset(b, 0, sizeof(*b));
}

static void
pkg_lit(struct pkg *k, const char *name, const char *text)
{
	struct gen_buf b = {0};

	gen_buf_str(&b, text);
	pkg_add(k, name, &b);
}

static int
pkg_open(struct pkg *k, const char *path, char *err, size_t errlen)
{
	int ze = 0;

	memset(k, 0, sizeof(*k));
	k->za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
	if (k->za == NULL) {
		zip_error_t e;

		zip_error_init_with_code(&e, ze);
		snprintf(err, errlen, "%s: %s", path, zip_error_strerror(&e));
		zip_error_fini(&e);
		return -1;
	}
	return 0;
}

static int
pkg_close(struct pkg *k, const char *path, char *err, size_t errlen)
{
	if (k->failed || zip_close(k->za) != 0) {
		snprintf(err, errlen, "%s: %s", path, k->failed ?
		    "could not add a part" : zip_strerror(k->za));
		zip_discard(k->za);
		return -1;
	}
	return 0;
}

#define XML_DECL \
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define REL_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_T "http://schemas.openxmlformats.org/officeDocument/2006/" \
	"relationships/"
#define CT_OFF "application/vnd.openxmlformats-officedocument."

static void
core_props(struct pkg *k, const struct gen_doc *d)
{
	struct gen_buf b = {0};

	gen_buf_str(&b, XML_DECL "<cp:coreProperties xmlns:cp=\"http://schemas."
	    "openxmlformats.org/package/2006/metadata/core-properties\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms="
	    "\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/"
	    "XMLSchema-instance\"><dc:title>");
	gen_buf_xml(&b, d->title != NULL ? d->title : "");
	gen_buf_str(&b, "</dc:title><dc:creator>UBND phường Thái Hòa</dc:creator>"
	    "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-01-05T08:00:00Z"
	    "</dcterms:created></cp:coreProperties>");
	pkg_add(k, "docProps/core.xml", &b);
}

static void
package_rels(struct pkg *k, const char *main)
{
	struct gen_buf b = {0};

	gen_buf_printf(&b, XML_DECL "<Relationships xmlns=\"%s\"><Relationship "
	    "Id=\"rId1\" Type=\"%sofficeDocument\" Target=\"%s\"/>"
	    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats."
	    "org/package/2006/relationships/metadata/core-properties\" "
	    "Target=\"docProps/core.xml\"/></Relationships>", REL_NS, REL_T,
	    main);
	pkg_add(k, "_rels/.rels", &b);
}

/* --- Word --------------------------------------------------------------- */

#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/" \
	"2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/" \
	"officeDocument/2006/relationships\" xmlns:wp=\"http://schemas." \
	"openxmlformats.org/drawingml/2006/wordprocessingDrawing\" " \
	"xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" " \
	"xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/" \
	"wordprocessingShape\" xmlns:mc=\"http://schemas.openxmlformats.org/" \
	"markup-compatibility/2006\" xmlns:v=\"urn:schemas-microsoft-com:vml\" " \
	"xmlns:o=\"urn:schemas-microsoft-com:office:office\" " \
	"mc:Ignorable=\"wps\""

struct wctx {
	const struct gen_doc *d;
	unsigned boxes;		/* text boxes written (their ids) */
	bool comment;		/* the comment reference is to be written */
};

static void
w_run(struct gen_buf *b, const struct gen_doc *d, const struct gen_para *p)
{
	const char *font;
	char *t = gen_para_text(d, p, &font);

	gen_buf_str(b, "<w:r>");
	if (font != NULL || (p->flags & GEN_P_BOLD)) {
		gen_buf_str(b, "<w:rPr>");
		if (font != NULL)
			gen_buf_printf(b, "<w:rFonts w:ascii=\"%s\" w:hAnsi=\"%s\" "
			    "w:cs=\"%s\"/>", font, font, font);
		if (p->flags & GEN_P_BOLD)
			gen_buf_str(b, "<w:b/><w:bCs/>");
		gen_buf_str(b, "</w:rPr>");
	}
	gen_buf_str(b, "<w:t xml:space=\"preserve\">");
	gen_buf_xml(b, t);
	gen_buf_str(b, "</w:t></w:r>");
	free(t);
}

static void
w_para(struct gen_buf *b, struct wctx *w, const struct gen_para *p)
{
	gen_buf_str(b, "<w:p>");
	if (p->flags & (GEN_P_FRAMED | GEN_P_CENTER)) {
		gen_buf_str(b, "<w:pPr>");
		if (p->flags & GEN_P_FRAMED)
			gen_buf_str(b, "<w:pBdr><w:top w:val=\"single\" w:sz=\"8\" "
			    "w:space=\"1\" w:color=\"auto\"/><w:left w:val="
			    "\"single\" w:sz=\"8\" w:space=\"4\" w:color=\"auto\"/>"
			    "<w:bottom w:val=\"single\" w:sz=\"8\" w:space=\"1\" "
			    "w:color=\"auto\"/><w:right w:val=\"single\" w:sz=\"8\" "
			    "w:space=\"4\" w:color=\"auto\"/></w:pBdr>");
		if (p->flags & GEN_P_CENTER)
			gen_buf_str(b, "<w:jc w:val=\"center\"/>");
		gen_buf_str(b, "</w:pPr>");
	}
	if (p->flags & GEN_P_PAGEBREAK)
		gen_buf_str(b, "<w:r><w:br w:type=\"page\"/></w:r>");
	if (w->comment && p->where == GEN_BODY) {
		gen_buf_str(b, "<w:commentRangeStart w:id=\"0\"/>");
		w_run(b, w->d, p);
		gen_buf_str(b, "<w:commentRangeEnd w:id=\"0\"/><w:r><w:rPr>"
		    "<w:rStyle w:val=\"CommentReference\"/></w:rPr>"
		    "<w:commentReference w:id=\"0\"/></w:r>");
		w->comment = false;
	} else
		w_run(b, w->d, p);
	gen_buf_str(b, "</w:p>");
}

/* Paragraphs [i, j) that stand in a box: one framed text box, as Word
 * writes it (DrawingML, and VML for readers without it). */
static void
w_box(struct gen_buf *b, struct wctx *w, const size_t *idx, size_t n)
{
	struct gen_buf in = {0};
	unsigned id = ++w->boxes;
	size_t i;

	for (i = 0; i < n; i++) {
		struct gen_para p = w->d->paras[idx[i]];

		p.flags &= ~(unsigned)(GEN_P_FRAMED | GEN_P_PAGEBREAK);
		w_para(&in, w, &p);
	}
	gen_buf_printf(b, "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">"
	    "<w:drawing><wp:anchor distT=\"0\" distB=\"0\" distL=\"114300\" "
	    "distR=\"114300\" simplePos=\"0\" relativeHeight=\"%u\" "
	    "behindDoc=\"0\" locked=\"0\" layoutInCell=\"1\" allowOverlap=\"1\">"
	    "<wp:simplePos x=\"0\" y=\"0\"/><wp:positionH relativeFrom=\"column\">"
	    "<wp:posOffset>0</wp:posOffset></wp:positionH><wp:positionV "
	    "relativeFrom=\"paragraph\"><wp:posOffset>0</wp:posOffset>"
	    "</wp:positionV><wp:extent cx=\"1620000\" cy=\"%u\"/>"
	    "<wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>"
	    "<wp:wrapTopAndBottom/><wp:docPr id=\"%u\" name=\"Text Box %u\"/>"
	    "<wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri=\"http://"
	    "schemas.microsoft.com/office/word/2010/wordprocessingShape\">"
	    "<wps:wsp><wps:cNvSpPr txBox=\"1\"/><wps:spPr><a:xfrm><a:off x=\"0\" "
	    "y=\"0\"/><a:ext cx=\"1620000\" cy=\"%u\"/></a:xfrm><a:prstGeom "
	    "prst=\"rect\"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr "
	    "val=\"FFFFFF\"/></a:solidFill><a:ln w=\"19050\"><a:solidFill>"
	    "<a:srgbClr val=\"C00000\"/></a:solidFill></a:ln></wps:spPr>"
	    "<wps:txbx><w:txbxContent>", 251659264u + id, 360000u * (unsigned)n,
	    id, id, 360000u * (unsigned)n);
	gen_buf_add(b, in.p, in.len);
	gen_buf_printf(b, "</w:txbxContent></wps:txbx><wps:bodyPr rot=\"0\" "
	    "vert=\"horz\" wrap=\"square\" lIns=\"91440\" tIns=\"45720\" "
	    "rIns=\"91440\" bIns=\"45720\" anchor=\"t\" anchorCtr=\"0\">"
	    "<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic>"
	    "</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape "
	    "id=\"Text Box %u\" o:spid=\"_x0000_s%u\" type=\"#_x0000_t202\" "
	    "style=\"position:absolute;margin-left:0;margin-top:0;width:127.55pt;"
	    "height:%upt;z-index:%u\" strokecolor=\"#c00000\" "
	    "strokeweight=\"1.5pt\"><v:textbox><w:txbxContent>", id, 1025 + id,
	    28 * (unsigned)n, id);
	gen_buf_add(b, in.p, in.len);
	gen_buf_str(b, "</w:txbxContent></v:textbox></v:shape></w:pict>"
	    "</mc:Fallback></mc:AlternateContent></w:r></w:p>");
	free(in.p);
}

/* A run of paragraphs of the body (by index), boxes grouped. */
static void
w_flow(struct gen_buf *b, struct wctx *w, const size_t *idx, size_t n)
{
	size_t i = 0, j;

	while (i < n) {
		const struct gen_para *p = &w->d->paras[idx[i]];

		if (p->where == GEN_BOX) {
			for (j = i; j < n && w->d->paras[idx[j]].where ==
			    GEN_BOX; j++)
				;
			w_box(b, w, idx + i, j - i);
			i = j;
		} else {
			if (p->where == GEN_BODY)
				w_para(b, w, p);
			i++;
		}
	}
}

static void
w_cell(struct gen_buf *b, struct wctx *w, const size_t *idx, size_t n,
    unsigned width)
{
	gen_buf_printf(b, "<w:tc><w:tcPr><w:tcW w:w=\"%u\" w:type=\"dxa\"/></w:tcPr>",
	    width);
	w_flow(b, w, idx, n);
	if (n == 0)
		gen_buf_str(b, "<w:p/>");
	gen_buf_str(b, "</w:tc>");
}

static void
w_document(struct gen_buf *b, struct wctx *w, bool header, bool footer)
{
	const struct gen_doc *d = w->d;
	struct gen_letterhead lay;
	size_t *idx, n = 0, i, start = 0;

	if ((idx = calloc(d->npara + 1, sizeof(*idx))) == NULL)
		abort();
	gen_buf_str(b, XML_DECL "<w:document " W_NS "><w:body>");
	if (gen_letterhead(d, &lay)) {
		gen_buf_str(b, "<w:tbl><w:tblPr><w:tblW w:w=\"9356\" w:type=\"dxa\"/>"
		    "<w:tblBorders><w:top w:val=\"nil\"/><w:left w:val=\"nil\"/>"
		    "<w:bottom w:val=\"nil\"/><w:right w:val=\"nil\"/>"
		    "<w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/>"
		    "</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
		    "<w:tblLook w:val=\"0000\"/></w:tblPr><w:tblGrid><w:gridCol "
		    "w:w=\"3686\"/><w:gridCol w:w=\"5670\"/></w:tblGrid><w:tr>");
		w_cell(b, w, lay.left, lay.nleft, 3686);
		w_cell(b, w, lay.right, lay.nright, 5670);
		gen_buf_str(b, "</w:tr></w:tbl>");
		start = lay.end;
	}
	for (i = start; i < d->npara; i++)
		if (d->paras[i].where == GEN_BODY || d->paras[i].where ==
		    GEN_BOX)
			idx[n++] = i;
	w_flow(b, w, idx, n);
	gen_buf_str(b, "<w:sectPr>");
	if (header)
		gen_buf_str(b, "<w:headerReference w:type=\"default\" r:id=\"rId2\"/>");
	if (footer)
		gen_buf_str(b, "<w:footerReference w:type=\"default\" r:id=\"rId3\"/>");
	gen_buf_str(b, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" "
	    "w:right=\"1134\" w:bottom=\"1134\" w:left=\"1701\" w:header=\"567\" "
	    "w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>");
	free(idx);
}

/* Header, footer or comments: the paragraphs that stand there. */
static bool
w_side(struct gen_buf *b, struct wctx *w, enum gen_where where, const char *root)
{
	size_t i;
	bool any = false;

	for (i = 0; i < w->d->npara; i++)
		if (w->d->paras[i].where == where)
			any = true;
	if (!any)
		return false;
	gen_buf_printf(b, XML_DECL "<w:%s " W_NS ">", root);
	if (where == GEN_NOTE)
		gen_buf_str(b, "<w:comment w:id=\"0\" w:author=\"Văn thư\" "
		    "w:date=\"2026-01-05T08:00:00Z\" w:initials=\"VT\">");
	for (i = 0; i < w->d->npara; i++)
		if (w->d->paras[i].where == where) {
			struct gen_para p = w->d->paras[i];

			p.flags &= ~(unsigned)GEN_P_PAGEBREAK;
			w_para(b, w, &p);
		}
	if (where == GEN_NOTE)
		gen_buf_str(b, "</w:comment>");
	gen_buf_printf(b, "</w:%s>", root);
	return true;
}

static const char w_styles[] = XML_DECL
    "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/"
    "2006/main\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="
    "\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:hAnsi=\"Times New "
    "Roman\" w:cs=\"Times New Roman\"/><w:sz w:val=\"28\"/><w:szCs w:val="
    "\"28\"/><w:lang w:val=\"vi-VN\" w:eastAsia=\"en-US\" w:bidi=\"ar-SA\"/>"
    "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"120\" "
    "w:line=\"276\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>"
    "</w:docDefaults><w:style w:type=\"paragraph\" w:default=\"1\" "
    "w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
    "<w:style w:type=\"character\" w:default=\"1\" w:styleId="
    "\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/>"
    "<w:uiPriority w:val=\"1\"/><w:semiHidden/></w:style><w:style "
    "w:type=\"character\" w:styleId=\"CommentReference\"><w:name "
    "w:val=\"annotation reference\"/><w:rPr><w:sz w:val=\"16\"/></w:rPr>"
    "</w:style><w:style w:type=\"table\" w:default=\"1\" w:styleId="
    "\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:tblPr><w:tblInd "
    "w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>"
    "<w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/>"
    "<w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
    "</w:styles>";

enum w_variant { W_DOCX, W_DOCM, W_DOTX };

static int
word_write(const char *path, const struct gen_doc *d, enum w_variant v,
    char *err, size_t errlen)
{
	static const char *const main_ct[] = {
		CT_OFF "wordprocessingml.document.main+xml",
		"application/vnd.ms-word.document.macroEnabled.main+xml",
		CT_OFF "wordprocessingml.template.main+xml",
	};
	struct wctx w = {d, 0, false};
	struct pkg k;
	struct gen_buf b = {0}, hdr = {0}, ftr = {0}, cmt = {0}, doc = {0};
	bool header, footer, notes;

	if (pkg_open(&k, path, err, errlen) != 0)
		return -1;
	header = w_side(&hdr, &w, GEN_HEADER, "hdr");
	footer = w_side(&ftr, &w, GEN_FOOTER, "ftr");
	notes = w_side(&cmt, &w, GEN_NOTE, "comments");
	w.comment = notes;
	w_document(&doc, &w, header, footer);

	gen_buf_str(&b, XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/"
	    "package/2006/content-types\"><Default Extension=\"rels\" "
	    "ContentType=\"application/vnd.openxmlformats-package.relationships"
	    "+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>");
	if (v == W_DOCM)
		gen_buf_str(&b, "<Default Extension=\"bin\" ContentType=\"application/"
		    "vnd.ms-office.vbaProject\"/>");
	gen_buf_printf(&b, "<Override PartName=\"/word/document.xml\" ContentType="
	    "\"%s\"/><Override PartName=\"/word/styles.xml\" ContentType=\""
	    CT_OFF "wordprocessingml.styles+xml\"/>", main_ct[v]);
	if (header)
		gen_buf_str(&b, "<Override PartName=\"/word/header1.xml\" ContentType=\""
		    CT_OFF "wordprocessingml.header+xml\"/>");
	if (footer)
		gen_buf_str(&b, "<Override PartName=\"/word/footer1.xml\" ContentType=\""
		    CT_OFF "wordprocessingml.footer+xml\"/>");
	if (notes)
		gen_buf_str(&b, "<Override PartName=\"/word/comments.xml\" "
		    "ContentType=\"" CT_OFF "wordprocessingml.comments+xml\"/>");
	gen_buf_str(&b, "<Override PartName=\"/docProps/core.xml\" ContentType="
	    "\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
	    "</Types>");
	pkg_add(&k, "[Content_Types].xml", &b);
	package_rels(&k, "word/document.xml");

	gen_buf_printf(&b, XML_DECL "<Relationships xmlns=\"%s\"><Relationship "
	    "Id=\"rId1\" Type=\"%sstyles\" Target=\"styles.xml\"/>", REL_NS,
	    REL_T);
	if (header)
		gen_buf_printf(&b, "<Relationship Id=\"rId2\" Type=\"%sheader\" "
		    "Target=\"header1.xml\"/>", REL_T);
	if (footer)
		gen_buf_printf(&b, "<Relationship Id=\"rId3\" Type=\"%sfooter\" "
		    "Target=\"footer1.xml\"/>", REL_T);
	if (notes)
		gen_buf_printf(&b, "<Relationship Id=\"rId4\" Type=\"%scomments\" "
		    "Target=\"comments.xml\"/>", REL_T);
	if (v == W_DOCM)
		gen_buf_str(&b, "<Relationship Id=\"rId5\" Type=\"http://schemas."
		    "microsoft.com/office/2006/relationships/vbaProject\" "
		    "Target=\"vbaProject.bin\"/>");
	gen_buf_str(&b, "</Relationships>");
	pkg_add(&k, "word/_rels/document.xml.rels", &b);
	pkg_add(&k, "word/document.xml", &doc);
	pkg_lit(&k, "word/styles.xml", w_styles);
	if (header)
		pkg_add(&k, "word/header1.xml", &hdr);
	if (footer)
		pkg_add(&k, "word/footer1.xml", &ftr);
	if (notes)
		pkg_add(&k, "word/comments.xml", &cmt);
	if (v == W_DOCM) {
		/* macros are never read: a few dummy bytes stand for them */
		static const char vba[] = "\xD0\xCF\x11\xE0 vba (dummy)";

		gen_buf_add(&b, vba, sizeof(vba) - 1);
		pkg_add(&k, "word/vbaProject.bin", &b);
	}
	core_props(&k, d);
	free(hdr.p);
	free(ftr.p);
	free(cmt.p);
	return pkg_close(&k, path, err, errlen);
}

int
gen_docx_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	return word_write(path, d, W_DOCX, err, errlen);
}

int
gen_docm_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	return word_write(path, d, W_DOCM, err, errlen);
}

int
gen_dotx_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	return word_write(path, d, W_DOTX, err, errlen);
}

/* Legacy encodings live in fonts, Unicode in any form: every document
 * kind, none of the plain-text encodings. */
static bool
ooxml_supports(enum gen_kind kind, enum gen_enc enc)
{
	(void)kind;
	return enc == GEN_ENC_NFC || enc == GEN_ENC_NFD ||
	    enc == GEN_ENC_TCVN3 || enc == GEN_ENC_VNI;
}

bool
gen_docx_supports(enum gen_kind kind, enum gen_enc enc)
{
	return ooxml_supports(kind, enc);
}

bool
gen_docm_supports(enum gen_kind kind, enum gen_enc enc)
{
	return ooxml_supports(kind, enc);
}

bool
gen_dotx_supports(enum gen_kind kind, enum gen_enc enc)
{
	return ooxml_supports(kind, enc);
}

/* --- Excel -------------------------------------------------------------- */

#define S_NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/" \
	"main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/" \
	"2006/relationships\""
#define X_MAX_SHEETS 64

/* Cell formats in use: (font, bold) pairs and (font, centre, border). */
struct xfmt {
	const char *font[16];
	bool bold[16];
	unsigned nfont;
	unsigned xf_font[64];
	bool xf_center[64], xf_border[64];
	unsigned nxf;
};

static unsigned
x_style(struct xfmt *f, const char *font, const struct gen_para *p)
{
	bool bold = (p->flags & GEN_P_BOLD) != 0;
	bool center = (p->flags & GEN_P_CENTER) != 0;
	bool border = (p->flags & GEN_P_FRAMED) != 0;
	unsigned i, fi;

	if (font == NULL)
		font = "Times New Roman";
	for (fi = 0; fi < f->nfont; fi++)
		if (strcmp(f->font[fi], font) == 0 && f->bold[fi] == bold)
			break;
	if (fi == f->nfont) {
		if (f->nfont == 16)
			return 0;
		f->font[f->nfont] = font;
		f->bold[f->nfont++] = bold;
	}
	for (i = 0; i < f->nxf; i++)
		if (f->xf_font[i] == fi && f->xf_center[i] == center &&
		    f->xf_border[i] == border)
			return i;
	if (f->nxf == 64)
		return 0;
	f->xf_font[f->nxf] = fi;
	f->xf_center[f->nxf] = center;
	f->xf_border[f->nxf] = border;
	return f->nxf++;
}

struct xsheet {
	struct gen_buf data;		/* <row>s */
	struct gen_buf box;		/* drawing text box paragraphs */
	unsigned rows;
};

static void
x_cell(struct xsheet *s, struct gen_buf *sst, unsigned *nsst, struct xfmt *f,
    const struct gen_doc *d, const struct gen_para *p, char col,
    unsigned row)
{
	const char *font;
	char *t = gen_para_text(d, p, &font);
	unsigned xf = x_style(f, font, p);

	gen_buf_printf(&s->data, "<c r=\"%c%u\" s=\"%u\" t=\"s\"><v>%u</v></c>", col,
	    row, xf, (*nsst)++);
	gen_buf_str(sst, "<si><t xml:space=\"preserve\">");
	gen_buf_xml(sst, t);
	gen_buf_str(sst, "</t></si>");
	free(t);
}

static void
x_box_para(struct gen_buf *b, const struct gen_doc *d, const struct gen_para *p)
{
	const char *font;
	char *t = gen_para_text(d, p, &font);

	gen_buf_printf(b, "<a:p><a:pPr algn=\"%s\"/><a:r><a:rPr lang=\"vi-VN\" "
	    "sz=\"1400\" b=\"%d\">", (p->flags & GEN_P_CENTER) ? "ctr" : "l",
	    (p->flags & GEN_P_BOLD) != 0);
	if (font != NULL)
		gen_buf_printf(b, "<a:latin typeface=\"%s\"/><a:cs typeface=\"%s\"/>",
		    font, font);
	gen_buf_str(b, "</a:rPr><a:t>");
	gen_buf_xml(b, t);
	gen_buf_str(b, "</a:t></a:r></a:p>");
	free(t);
}

/* The page header: "&C" then the font when legacy, then the text. */
static void
x_header(struct gen_buf *b, const struct gen_doc *d, enum gen_where where)
{
	struct gen_buf h = {0};
	size_t i;
	const char *font;
	char *t, *c;

	for (i = 0; i < d->npara; i++) {
		if (d->paras[i].where != where)
			continue;
		t = gen_para_text(d, &d->paras[i], &font);
		gen_buf_str(&h, h.len == 0 ? "&C" : "\n");
		if (font != NULL || (d->paras[i].flags & GEN_P_BOLD))
			gen_buf_printf(&h, "&\"%s,%s\"", font != NULL ? font :
			    "Times New Roman", (d->paras[i].flags & GEN_P_BOLD)
			    ? "Bold" : "Regular");
		for (c = t; *c != '\0'; c++)
			gen_buf_add(&h, *c == '&' ? "&&" : c, *c == '&' ? 2 : 1);
		free(t);
	}
	if (h.len == 0)
		return;
	gen_buf_str(b, where == GEN_HEADER ? "<oddHeader>" : "<oddFooter>");
	gen_buf_xml(b, h.p);
	gen_buf_str(b, where == GEN_HEADER ? "</oddHeader>" : "</oddFooter>");
	free(h.p);
}

int
gen_xlsx_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	struct xsheet *sh;
	struct xfmt fmt;
	struct gen_letterhead lay;
	struct pkg k;
	struct gen_buf b = {0}, sst = {0}, hf = {0};
	unsigned ns = 1, nsst = 0, i, row;
	size_t p, start = 0;
	char name[64];

	if ((sh = calloc(X_MAX_SHEETS, sizeof(*sh))) == NULL)
		abort();
	memset(&fmt, 0, sizeof(fmt));
	x_style(&fmt, NULL, &(struct gen_para){"", GEN_BODY, 0});
	if (gen_letterhead(d, &lay)) {
		/* the letterhead across columns A and B */
		for (i = 0; i < lay.nleft || i < lay.nright; i++) {
			gen_buf_printf(&sh[0].data, "<row r=\"%u\">", i + 1);
			if (i < lay.nleft && d->paras[lay.left[i]].where ==
			    GEN_BODY)
				x_cell(&sh[0], &sst, &nsst, &fmt, d,
				    &d->paras[lay.left[i]], 'A', i + 1);
			if (i < lay.nright)
				x_cell(&sh[0], &sst, &nsst, &fmt, d,
				    &d->paras[lay.right[i]], 'B', i + 1);
			gen_buf_str(&sh[0].data, "</row>");
		}
		for (i = 0; i < lay.nleft; i++)
			if (d->paras[lay.left[i]].where == GEN_BOX)
				x_box_para(&sh[0].box, d, &d->paras[lay.left[i]]);
		sh[0].rows = i > lay.nright ? i : (unsigned)lay.nright;
		start = lay.end;
	}
	for (p = start; p < d->npara; p++) {
		const struct gen_para *q = &d->paras[p];
		struct xsheet *s;

		if ((q->flags & GEN_P_PAGEBREAK) && ns < X_MAX_SHEETS)
			ns++;
		s = &sh[ns - 1];
		if (q->where == GEN_BOX) {
			x_box_para(&s->box, d, q);
		} else if (q->where == GEN_BODY || q->where == GEN_NOTE) {
			row = ++s->rows;
			gen_buf_printf(&s->data, "<row r=\"%u\">", row);
			x_cell(s, &sst, &nsst, &fmt, d, q, 'A', row);
			gen_buf_str(&s->data, "</row>");
		}
	}
	x_header(&hf, d, GEN_HEADER);
	x_header(&hf, d, GEN_FOOTER);

	if (pkg_open(&k, path, err, errlen) != 0) {
		for (i = 0; i < X_MAX_SHEETS; i++) {
			free(sh[i].data.p);
			free(sh[i].box.p);
		}
		free(sh);
		free(sst.p);
		free(hf.p);
		return -1;
	}
	gen_buf_str(&b, XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/"
	    "package/2006/content-types\"><Default Extension=\"rels\" "
	    "ContentType=\"application/vnd.openxmlformats-package.relationships"
	    "+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	    "<Override PartName=\"/xl/workbook.xml\" ContentType=\"" CT_OFF
	    "spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/styles.xml"
	    "\" ContentType=\"" CT_OFF "spreadsheetml.styles+xml\"/><Override "
	    "PartName=\"/xl/sharedStrings.xml\" ContentType=\"" CT_OFF
	    "spreadsheetml.sharedStrings+xml\"/>");
	for (i = 0; i < ns; i++) {
		gen_buf_printf(&b, "<Override PartName=\"/xl/worksheets/sheet%u.xml\" "
		    "ContentType=\"" CT_OFF "spreadsheetml.worksheet+xml\"/>",
		    i + 1);
		if (sh[i].box.len > 0)
			gen_buf_printf(&b, "<Override PartName=\"/xl/drawings/"
			    "drawing%u.xml\" ContentType=\"" CT_OFF
			    "drawing+xml\"/>", i + 1);
	}
	gen_buf_str(&b, "<Override PartName=\"/docProps/core.xml\" ContentType="
	    "\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
	    "</Types>");
	pkg_add(&k, "[Content_Types].xml", &b);
	package_rels(&k, "xl/workbook.xml");

	gen_buf_str(&b, XML_DECL "<workbook " S_NS "><bookViews><workbookView/>"
	    "</bookViews><sheets>");
	for (i = 0; i < ns; i++)
		gen_buf_printf(&b, "<sheet name=\"Trang %u\" sheetId=\"%u\" "
		    "r:id=\"rId%u\"/>", i + 1, i + 1, i + 10);
	gen_buf_str(&b, "</sheets></workbook>");
	pkg_add(&k, "xl/workbook.xml", &b);
	gen_buf_printf(&b, XML_DECL "<Relationships xmlns=\"%s\"><Relationship "
	    "Id=\"rId1\" Type=\"%sstyles\" Target=\"styles.xml\"/>"
	    "<Relationship Id=\"rId2\" Type=\"%ssharedStrings\" "
	    "Target=\"sharedStrings.xml\"/>", REL_NS, REL_T, REL_T);
	for (i = 0; i < ns; i++)
		gen_buf_printf(&b, "<Relationship Id=\"rId%u\" Type=\"%sworksheet\" "
		    "Target=\"worksheets/sheet%u.xml\"/>", i + 10, REL_T, i + 1);
	gen_buf_str(&b, "</Relationships>");
	pkg_add(&k, "xl/_rels/workbook.xml.rels", &b);

	gen_buf_printf(&b, XML_DECL "<sst " S_NS " count=\"%u\" uniqueCount=\"%u\">",
	    nsst, nsst);
	gen_buf_add(&b, sst.p != NULL ? sst.p : "", sst.len);
	gen_buf_str(&b, "</sst>");
	pkg_add(&k, "xl/sharedStrings.xml", &b);

	gen_buf_printf(&b, XML_DECL "<styleSheet " S_NS "><fonts count=\"%u\">",
	    fmt.nfont);
	for (i = 0; i < fmt.nfont; i++)
		gen_buf_printf(&b, "<font>%s<sz val=\"13\"/><name val=\"%s\"/>"
		    "</font>", fmt.bold[i] ? "<b/>" : "", fmt.font[i]);
	gen_buf_str(&b, "</fonts><fills count=\"2\"><fill><patternFill "
	    "patternType=\"none\"/></fill><fill><patternFill patternType="
	    "\"gray125\"/></fill></fills><borders count=\"2\"><border><left/>"
	    "<right/><top/><bottom/><diagonal/></border><border><left "
	    "style=\"medium\"><color auto=\"1\"/></left><right style=\"medium\">"
	    "<color auto=\"1\"/></right><top style=\"medium\"><color auto=\"1\"/>"
	    "</top><bottom style=\"medium\"><color auto=\"1\"/></bottom>"
	    "<diagonal/></border></borders><cellStyleXfs count=\"1\"><xf "
	    "numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/>"
	    "</cellStyleXfs>");
	gen_buf_printf(&b, "<cellXfs count=\"%u\">", fmt.nxf);
	for (i = 0; i < fmt.nxf; i++) {
		gen_buf_printf(&b, "<xf numFmtId=\"0\" fontId=\"%u\" fillId=\"0\" "
		    "borderId=\"%u\" xfId=\"0\" applyFont=\"1\"%s>",
		    fmt.xf_font[i], fmt.xf_border[i] ? 1u : 0u,
		    fmt.xf_border[i] ? " applyBorder=\"1\"" : "");
		if (fmt.xf_center[i])
			gen_buf_str(&b, "<alignment horizontal=\"center\"/>");
		gen_buf_str(&b, "</xf>");
	}
	gen_buf_str(&b, "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" "
	    "xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>");
	pkg_add(&k, "xl/styles.xml", &b);

	for (i = 0; i < ns; i++) {
		gen_buf_printf(&b, XML_DECL "<worksheet " S_NS "><cols><col min=\"1\" "
		    "max=\"1\" width=\"60\" customWidth=\"1\"/><col min=\"2\" "
		    "max=\"2\" width=\"45\" customWidth=\"1\"/></cols><sheetData>");
		if (sh[i].data.len > 0)
			gen_buf_add(&b, sh[i].data.p, sh[i].data.len);
		gen_buf_str(&b, "</sheetData><pageMargins left=\"0.7\" right=\"0.7\" "
		    "top=\"0.75\" bottom=\"0.75\" header=\"0.3\" "
		    "footer=\"0.3\"/>");
		if (hf.len > 0) {
			gen_buf_str(&b, "<headerFooter>");
			gen_buf_add(&b, hf.p, hf.len);
			gen_buf_str(&b, "</headerFooter>");
		}
		if (sh[i].box.len > 0)
			gen_buf_str(&b, "<drawing r:id=\"rId1\"/>");
		gen_buf_str(&b, "</worksheet>");
		snprintf(name, sizeof(name), "xl/worksheets/sheet%u.xml", i + 1);
		pkg_add(&k, name, &b);
		if (sh[i].box.len == 0)
			continue;
		gen_buf_printf(&b, XML_DECL "<Relationships xmlns=\"%s\">"
		    "<Relationship Id=\"rId1\" Type=\"%sdrawing\" Target=\""
		    "../drawings/drawing%u.xml\"/></Relationships>", REL_NS,
		    REL_T, i + 1);
		snprintf(name, sizeof(name),
		    "xl/worksheets/_rels/sheet%u.xml.rels", i + 1);
		pkg_add(&k, name, &b);
		gen_buf_str(&b, XML_DECL "<xdr:wsDr xmlns:xdr=\"http://schemas."
		    "openxmlformats.org/drawingml/2006/spreadsheetDrawing\" "
		    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/"
		    "main\"><xdr:twoCellAnchor><xdr:from><xdr:col>2</xdr:col>"
		    "<xdr:colOff>0</xdr:colOff><xdr:row>0</xdr:row><xdr:rowOff>0"
		    "</xdr:rowOff></xdr:from><xdr:to><xdr:col>4</xdr:col>"
		    "<xdr:colOff>0</xdr:colOff><xdr:row>3</xdr:row><xdr:rowOff>0"
		    "</xdr:rowOff></xdr:to><xdr:sp macro=\"\" textlink=\"\">"
		    "<xdr:nvSpPr><xdr:cNvPr id=\"2\" name=\"TextBox 1\"/>"
		    "<xdr:cNvSpPr txBox=\"1\"/></xdr:nvSpPr><xdr:spPr><a:xfrm>"
		    "<a:off x=\"0\" y=\"0\"/><a:ext cx=\"1800000\" cy=\"540000\"/>"
		    "</a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom>"
		    "<a:ln w=\"19050\"><a:solidFill><a:srgbClr val=\"C00000\"/>"
		    "</a:solidFill></a:ln></xdr:spPr><xdr:txBody><a:bodyPr "
		    "wrap=\"square\"/><a:lstStyle/>");
		gen_buf_add(&b, sh[i].box.p, sh[i].box.len);
		gen_buf_str(&b, "</xdr:txBody></xdr:sp><xdr:clientData/>"
		    "</xdr:twoCellAnchor></xdr:wsDr>");
		snprintf(name, sizeof(name), "xl/drawings/drawing%u.xml", i + 1);
		pkg_add(&k, name, &b);
	}
	core_props(&k, d);
	for (i = 0; i < X_MAX_SHEETS; i++) {
		free(sh[i].data.p);
		free(sh[i].box.p);
	}
	free(sh);
	free(sst.p);
	free(hf.p);
	return pkg_close(&k, path, err, errlen);
}

bool
gen_xlsx_supports(enum gen_kind kind, enum gen_enc enc)
{
	return ooxml_supports(kind, enc);
}

/* --- PowerPoint --------------------------------------------------------- */

#define P_NS "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/" \
	"main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/" \
	"2006/relationships\" xmlns:p=\"http://schemas.openxmlformats.org/" \
	"presentationml/2006/main\""
#define P_MAX_SLIDES 64

static const char p_theme[] = XML_DECL
    "<a:theme xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/"
    "main\" name=\"Office\"><a:themeElements><a:clrScheme name=\"Office\">"
    "<a:dk1><a:sysClr val=\"windowText\" lastClr=\"000000\"/></a:dk1><a:lt1>"
    "<a:sysClr val=\"window\" lastClr=\"FFFFFF\"/></a:lt1><a:dk2><a:srgbClr "
    "val=\"1F497D\"/></a:dk2><a:lt2><a:srgbClr val=\"EEECE1\"/></a:lt2>"
    "<a:accent1><a:srgbClr val=\"4F81BD\"/></a:accent1><a:accent2><a:srgbClr "
    "val=\"C0504D\"/></a:accent2><a:accent3><a:srgbClr val=\"9BBB59\"/>"
    "</a:accent3><a:accent4><a:srgbClr val=\"8064A2\"/></a:accent4>"
    "<a:accent5><a:srgbClr val=\"4BACC6\"/></a:accent5><a:accent6><a:srgbClr "
    "val=\"F79646\"/></a:accent6><a:hlink><a:srgbClr val=\"0000FF\"/>"
    "</a:hlink><a:folHlink><a:srgbClr val=\"800080\"/></a:folHlink>"
    "</a:clrScheme><a:fontScheme name=\"Office\"><a:majorFont><a:latin "
    "typeface=\"Times New Roman\"/><a:ea typeface=\"\"/><a:cs typeface=\"\"/>"
    "</a:majorFont><a:minorFont><a:latin typeface=\"Times New Roman\"/>"
    "<a:ea typeface=\"\"/><a:cs typeface=\"\"/></a:minorFont></a:fontScheme>"
    "<a:fmtScheme name=\"Office\"><a:fillStyleLst><a:solidFill><a:schemeClr "
    "val=\"phClr\"/></a:solidFill><a:solidFill><a:schemeClr val=\"phClr\"/>"
    "</a:solidFill><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>"
    "</a:fillStyleLst><a:lnStyleLst><a:ln w=\"9525\"><a:solidFill>"
    "<a:schemeClr val=\"phClr\"/></a:solidFill></a:ln><a:ln w=\"25400\">"
    "<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill></a:ln><a:ln "
    "w=\"38100\"><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>"
    "</a:ln></a:lnStyleLst><a:effectStyleLst><a:effectStyle><a:effectLst/>"
    "</a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle>"
    "<a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst>"
    "<a:bgFillStyleLst><a:solidFill><a:schemeClr val=\"phClr\"/>"
    "</a:solidFill><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>"
    "<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>"
    "</a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>";

static const char p_master[] = XML_DECL
    "<p:sldMaster " P_NS "><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" "
    "name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>"
    "</p:spTree></p:cSld><p:clrMap bg1=\"lt1\" tx1=\"dk1\" bg2=\"lt2\" "
    "tx2=\"dk2\" accent1=\"accent1\" accent2=\"accent2\" accent3=\"accent3\" "
    "accent4=\"accent4\" accent5=\"accent5\" accent6=\"accent6\" "
    "hlink=\"hlink\" folHlink=\"folHlink\"/><p:sldLayoutIdLst><p:sldLayoutId "
    "id=\"2147483649\" r:id=\"rId1\"/></p:sldLayoutIdLst></p:sldMaster>";

static const char p_layout[] = XML_DECL
    "<p:sldLayout " P_NS " type=\"blank\" preserve=\"1\">"
    "<p:cSld name=\"Blank\">"
    "<p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/>"
    "<p:nvPr/></p:nvGrpSpPr><p:grpSpPr/></p:spTree></p:cSld><p:clrMapOvr>"
    "<a:masterClrMapping/></p:clrMapOvr></p:sldLayout>";

static void
p_paras(struct gen_buf *b, const struct gen_doc *d, const size_t *idx, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		x_box_para(b, d, &d->paras[idx[i]]);
}

/* A shape with its paragraphs: a text box, framed or not. */
static void
p_shape(struct gen_buf *b, unsigned id, const char *name, long y, long cy,
    bool framed, const struct gen_doc *d, const size_t *idx, size_t n)
{
	gen_buf_printf(b, "<p:sp><p:nvSpPr><p:cNvPr id=\"%u\" name=\"%s %u\"/>"
	    "<p:cNvSpPr txBox=\"1\"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm>"
	    "<a:off x=\"457200\" y=\"%ld\"/><a:ext cx=\"8229600\" cy=\"%ld\"/>"
	    "</a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom>", id,
	    name, id, y, cy);
	if (framed)
		gen_buf_str(b, "<a:ln w=\"19050\"><a:solidFill><a:srgbClr "
		    "val=\"C00000\"/></a:solidFill></a:ln>");
	else
		gen_buf_str(b, "<a:noFill/>");
	gen_buf_str(b, "</p:spPr><p:txBody><a:bodyPr wrap=\"square\"><a:normAutofit/>"
	    "</a:bodyPr><a:lstStyle/>");
	p_paras(b, d, idx, n);
	gen_buf_str(b, "</p:txBody></p:sp>");
}

int
gen_pptx_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	struct gen_buf *body, *box, b = {0}, notes = {0};
	size_t *idx, *hidx, nh = 0, p, i, nb;
	unsigned ns = 1;
	struct pkg k;
	char name[80];

	body = calloc(P_MAX_SLIDES, sizeof(*body));
	box = calloc(P_MAX_SLIDES, sizeof(*box));
	idx = calloc(d->npara + 1, sizeof(*idx));
	hidx = calloc(d->npara + 1, sizeof(*hidx));
	if (body == NULL || box == NULL || idx == NULL || hidx == NULL)
		abort();
	for (p = 0; p < d->npara; p++) {
		const struct gen_para *q = &d->paras[p];

		if ((q->flags & GEN_P_PAGEBREAK) && ns < P_MAX_SLIDES)
			ns++;
		if (q->where == GEN_BODY)
			x_box_para(&body[ns - 1], d, q);
		else if (q->where == GEN_BOX)
			x_box_para(&box[ns - 1], d, q);
		else if (q->where == GEN_HEADER || q->where == GEN_FOOTER)
			hidx[nh++] = p;
		else if (q->where == GEN_NOTE)
			x_box_para(&notes, d, q);
	}
	if (pkg_open(&k, path, err, errlen) != 0) {
		ns = 0;
		goto out;
	}
	gen_buf_str(&b, XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/"
	    "package/2006/content-types\"><Default Extension=\"rels\" "
	    "ContentType=\"application/vnd.openxmlformats-package.relationships"
	    "+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	    "<Override PartName=\"/ppt/presentation.xml\" ContentType=\"" CT_OFF
	    "presentationml.presentation.main+xml\"/><Override PartName=\"/ppt/"
	    "slideMasters/slideMaster1.xml\" ContentType=\"" CT_OFF
	    "presentationml.slideMaster+xml\"/><Override PartName=\"/ppt/"
	    "slideLayouts/slideLayout1.xml\" ContentType=\"" CT_OFF
	    "presentationml.slideLayout+xml\"/><Override PartName=\"/ppt/theme/"
	    "theme1.xml\" ContentType=\"" CT_OFF "theme+xml\"/>");
	for (i = 0; i < ns; i++)
		gen_buf_printf(&b, "<Override PartName=\"/ppt/slides/slide%zu.xml\" "
		    "ContentType=\"" CT_OFF "presentationml.slide+xml\"/>", i + 1);
	if (notes.len > 0)
		gen_buf_str(&b, "<Override PartName=\"/ppt/notesSlides/notesSlide1.xml\" "
		    "ContentType=\"" CT_OFF "presentationml.notesSlide+xml\"/>");
	gen_buf_str(&b, "<Override PartName=\"/docProps/core.xml\" ContentType="
	    "\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
	    "</Types>");
	pkg_add(&k, "[Content_Types].xml", &b);
	package_rels(&k, "ppt/presentation.xml");

	gen_buf_str(&b, XML_DECL "<p:presentation " P_NS "><p:sldMasterIdLst>"
	    "<p:sldMasterId id=\"2147483648\" r:id=\"rId1\"/></p:sldMasterIdLst>"
	    "<p:sldIdLst>");
	for (i = 0; i < ns; i++)
		gen_buf_printf(&b, "<p:sldId id=\"%zu\" r:id=\"rId%zu\"/>", 256 + i,
		    i + 10);
	gen_buf_str(&b, "</p:sldIdLst><p:sldSz cx=\"9144000\" cy=\"6858000\" "
	    "type=\"screen4x3\"/><p:notesSz cx=\"6858000\" cy=\"9144000\"/>"
	    "</p:presentation>");
	pkg_add(&k, "ppt/presentation.xml", &b);
	gen_buf_printf(&b, XML_DECL "<Relationships xmlns=\"%s\"><Relationship "
	    "Id=\"rId1\" Type=\"%sslideMaster\" Target=\"slideMasters/"
	    "slideMaster1.xml\"/><Relationship Id=\"rId2\" Type=\"%stheme\" "
	    "Target=\"theme/theme1.xml\"/>", REL_NS, REL_T, REL_T);
	for (i = 0; i < ns; i++)
		gen_buf_printf(&b, "<Relationship Id=\"rId%zu\" Type=\"%sslide\" "
		    "Target=\"slides/slide%zu.xml\"/>", i + 10, REL_T, i + 1);
	gen_buf_str(&b, "</Relationships>");
	pkg_add(&k, "ppt/_rels/presentation.xml.rels", &b);
	pkg_lit(&k, "ppt/theme/theme1.xml", p_theme);
	pkg_lit(&k, "ppt/slideMasters/slideMaster1.xml", p_master);
	gen_buf_printf(&b, XML_DECL "<Relationships xmlns=\"%s\"><Relationship "
	    "Id=\"rId1\" Type=\"%sslideLayout\" Target=\"../slideLayouts/"
	    "slideLayout1.xml\"/><Relationship Id=\"rId2\" Type=\"%stheme\" "
	    "Target=\"../theme/theme1.xml\"/></Relationships>", REL_NS, REL_T,
	    REL_T);
	pkg_add(&k, "ppt/slideMasters/_rels/slideMaster1.xml.rels", &b);
	pkg_lit(&k, "ppt/slideLayouts/slideLayout1.xml", p_layout);
	gen_buf_printf(&b, XML_DECL "<Relationships xmlns=\"%s\"><Relationship "
	    "Id=\"rId1\" Type=\"%sslideMaster\" Target=\"../slideMasters/"
	    "slideMaster1.xml\"/></Relationships>", REL_NS, REL_T);
	pkg_add(&k, "ppt/slideLayouts/_rels/slideLayout1.xml.rels", &b);

	for (i = 0; i < ns; i++) {
		unsigned id = 2;

		gen_buf_str(&b, XML_DECL "<p:sld " P_NS "><p:cSld><p:spTree>"
		    "<p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/>"
		    "<p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>");
		if (i == 0 && nh > 0)
			p_shape(&b, id++, "Header", 100000, 400000, false, d,
			    hidx, nh);
		if (box[i].len > 0) {
			gen_buf_printf(&b, "<p:sp><p:nvSpPr><p:cNvPr id=\"%u\" "
			    "name=\"Stamp\"/><p:cNvSpPr txBox=\"1\"/><p:nvPr/>"
			    "</p:nvSpPr><p:spPr><a:xfrm><a:off x=\"6400800\" "
			    "y=\"500000\"/><a:ext cx=\"2286000\" cy=\"600000\"/>"
			    "</a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/>"
			    "</a:prstGeom><a:ln w=\"19050\"><a:solidFill>"
			    "<a:srgbClr val=\"C00000\"/></a:solidFill></a:ln>"
			    "</p:spPr><p:txBody><a:bodyPr/><a:lstStyle/>", id++);
			gen_buf_add(&b, box[i].p, box[i].len);
			gen_buf_str(&b, "</p:txBody></p:sp>");
		}
		nb = 0;
		gen_buf_printf(&b, "<p:sp><p:nvSpPr><p:cNvPr id=\"%u\" name=\"Nội "
		    "dung\"/><p:cNvSpPr><a:spLocks noGrp=\"1\"/></p:cNvSpPr>"
		    "<p:nvPr><p:ph type=\"body\" idx=\"1\"/></p:nvPr></p:nvSpPr>"
		    "<p:spPr><a:xfrm><a:off x=\"457200\" y=\"1200000\"/><a:ext "
		    "cx=\"8229600\" cy=\"5400000\"/></a:xfrm></p:spPr><p:txBody>"
		    "<a:bodyPr><a:normAutofit/></a:bodyPr><a:lstStyle/>", id++);
		if (body[i].len > 0)
			gen_buf_add(&b, body[i].p, body[i].len);
		else
			gen_buf_str(&b, "<a:p/>");
		gen_buf_str(&b, "</p:txBody></p:sp></p:spTree></p:cSld><p:clrMapOvr>"
		    "<a:masterClrMapping/></p:clrMapOvr></p:sld>");
		(void)nb;
		snprintf(name, sizeof(name), "ppt/slides/slide%zu.xml", i + 1);
		pkg_add(&k, name, &b);
		gen_buf_printf(&b, XML_DECL "<Relationships xmlns=\"%s\">"
		    "<Relationship Id=\"rId1\" Type=\"%sslideLayout\" Target=\""
		    "../slideLayouts/slideLayout1.xml\"/>", REL_NS, REL_T);
		if (i == 0 && notes.len > 0)
			gen_buf_printf(&b, "<Relationship Id=\"rId2\" Type=\"%s"
			    "notesSlide\" Target=\"../notesSlides/notesSlide1.xml"
			    "\"/>", REL_T);
		gen_buf_str(&b, "</Relationships>");
		snprintf(name, sizeof(name), "ppt/slides/_rels/slide%zu.xml.rels",
		    i + 1);
		pkg_add(&k, name, &b);
	}
	if (notes.len > 0) {
		gen_buf_str(&b, XML_DECL "<p:notes " P_NS "><p:cSld><p:spTree>"
		    "<p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/>"
		    "<p:nvPr/></p:nvGrpSpPr><p:grpSpPr/><p:sp><p:nvSpPr>"
		    "<p:cNvPr id=\"2\" name=\"Notes\"/><p:cNvSpPr/><p:nvPr>"
		    "<p:ph type=\"body\" idx=\"1\"/></p:nvPr></p:nvSpPr><p:spPr/>"
		    "<p:txBody><a:bodyPr/><a:lstStyle/>");
		gen_buf_add(&b, notes.p, notes.len);
		gen_buf_str(&b, "</p:txBody></p:sp></p:spTree></p:cSld></p:notes>");
		pkg_add(&k, "ppt/notesSlides/notesSlide1.xml", &b);
		gen_buf_printf(&b, XML_DECL "<Relationships xmlns=\"%s\">"
		    "<Relationship Id=\"rId1\" Type=\"%sslide\" Target=\""
		    "../slides/slide1.xml\"/></Relationships>", REL_NS, REL_T);
		pkg_add(&k, "ppt/notesSlides/_rels/notesSlide1.xml.rels", &b);
	}
	core_props(&k, d);
out:
	for (i = 0; i < P_MAX_SLIDES; i++) {
		free(body[i].p);
		free(box[i].p);
	}
	free(body);
	free(box);
	free(idx);
	free(hidx);
	free(notes.p);
	return k.za == NULL ? -1 : pkg_close(&k, path, err, errlen);
}

bool
gen_pptx_supports(enum gen_kind kind, enum gen_enc enc)
{
	return ooxml_supports(kind, enc);
}
