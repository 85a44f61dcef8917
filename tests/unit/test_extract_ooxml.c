/*
 * test_extract_ooxml.c — the Office Open XML extractor over packages made
 * here with libzip: the exact lines of a .docx (header first, letterhead
 * table, a text box read once of its two branches, a .VnTimeH run, page 2
 * after a page break, footer, comment, properties), .xlsx (drawing, cells
 * with their reference, legacy font by cell style, sheet header) and
 * .pptx (title, framed shape, notes, slide 2); SKIP and STOP; and the
 * bounds: a 300 MB entry, deep XML, a DTD with entities, a cut package.
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
#include "memzip.h"

/* line_is(&r, i, text, zone, flags, page, part) */
#define line_is(r, ...) docsink_line_is(&(r)->d, __VA_ARGS__)

static struct doc_limits lim;

static void
run(struct docsink_rec *r, struct doc_ctx *ctx, const unsigned char *buf,
    size_t len, enum doc_err want)
{
	doc_limits_default(&lim, false);
	docsink_ctx(ctx, &lim, &r->d);
	ctx->deadline = doc_now() + 30;
	assert_int_equal(doc_extract(ctx, buf, len, "t"), want);
}

/* --- a Word document ---------------------------------------------------- */

#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/" \
	"2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/" \
	"officeDocument/2006/relationships\""
#define RELS_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_T "http://schemas.openxmlformats.org/officeDocument/2006/" \
	"relationships/"

static const char docx_ct[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
    "content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd."
    "openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "</Types>";

static const char docx_rels[] =
    "<Relationships xmlns=\"" RELS_NS "\">"
    "<Relationship Id=\"rId1\" Type=\"" REL_T "officeDocument\" "
    "Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/"
    "package/2006/relationships/metadata/core-properties\" "
    "Target=\"docProps/core.xml\"/></Relationships>";

static const char docx_doc_rels[] =
    "<Relationships xmlns=\"" RELS_NS "\">"
    "<Relationship Id=\"rId1\" Type=\"" REL_T "styles\" Target=\"styles.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" REL_T "header\" "
    "Target=\"header1.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" REL_T "footer\" "
    "Target=\"/word/footer1.xml\"/>"
    "<Relationship Id=\"rId4\" Type=\"" REL_T "comments\" "
    "Target=\"comments.xml\"/>"
    "<Relationship Id=\"rId5\" Type=\"" REL_T "hyperlink\" "
    "Target=\"http://example.org/\" TargetMode=\"External\"/>"
    "</Relationships>";

static const char docx_styles[] =
    "<w:styles " W_NS "><w:docDefaults><w:rPrDefault><w:rPr>"
    "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\"/>"
    "<w:sz w:val=\"26\"/></w:rPr></w:rPrDefault></w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
    "<w:name w:val=\"Normal\"/></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Stamp\"><w:basedOn "
    "w:val=\"Normal\"/><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:b/>"
    "</w:rPr></w:style></w:styles>";

static const char docx_header[] =
    "<w:hdr " W_NS "><w:p><w:pPr><w:pStyle w:val=\"Stamp\"/></w:pPr>"
    "<w:r><w:t>TỐI MẬT</w:t></w:r></w:p></w:hdr>";

static const char docx_footer[] =
    "<w:ftr " W_NS "><w:p><w:r><w:t xml:space=\"preserve\">Trang </w:t>"
    "</w:r><w:r><w:t>1</w:t></w:r></w:p></w:ftr>";

static const char docx_comments[] =
    "<w:comments " W_NS "><w:comment w:id=\"0\" w:author=\"A\"><w:p><w:r>"
    "<w:t>Xem lại mật khẩu</w:t></w:r></w:p></w:comment></w:comments>";

static const char docx_core[] =
    "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/"
    "package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/"
    "elements/1.1/\"><dc:title>Báo cáo tháng</dc:title><dc:creator>B"
    "</dc:creator></cp:coreProperties>";

/* the text box as Word writes it: DrawingML, and VML for old readers */
#define TXBX(text) \
    "<w:r><mc:AlternateContent xmlns:mc=\"http://schemas.openxmlformats.org/" \
    "markup-compatibility/2006\"><mc:Choice Requires=\"wps\"><w:drawing>" \
    "<wp:anchor xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/" \
    "2006/wordprocessingDrawing\"><a:graphic xmlns:a=\"http://schemas." \
    "openxmlformats.org/drawingml/2006/main\"><a:graphicData><wps:wsp " \
    "xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/" \
    "wordprocessingShape\"><wps:txbx><w:txbxContent><w:p><w:pPr><w:jc " \
    "w:val=\"center\"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>" text \
    "</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData>" \
    "</a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>" \
    "<v:shape xmlns:v=\"urn:schemas-microsoft-com:vml\"><v:textbox>" \
    "<w:txbxContent><w:p><w:r><w:t>" text "</w:t></w:r></w:p>" \
    "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>" \
    "</mc:AlternateContent></w:r>"

static const char docx_document[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<w:document " W_NS "><w:body>"
    /* the letterhead table */
    "<w:tbl><w:tblPr><w:tblBorders><w:top w:val=\"nil\"/></w:tblBorders>"
    "</w:tblPr><w:tr><w:tc><w:tcPr/><w:p><w:r><w:t>ỦY BAN NHÂN DÂN</w:t>"
    "</w:r></w:p><w:p><w:r><w:t>Số: 12/UBND</w:t></w:r></w:p></w:tc>"
    "<w:tc><w:tcPr><w:tcBorders><w:top w:val=\"single\"/></w:tcBorders>"
    "</w:tcPr><w:p><w:r><w:t>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</w:t>"
    "</w:r></w:p></w:tc></w:tr></w:tbl>"
    /* a paragraph anchoring a text box */
    "<w:p><w:r><w:t xml:space=\"preserve\">Kính gửi: </w:t></w:r>" TXBX("MẬT")
    "<w:r><w:t>Phòng Nội vụ</w:t></w:r></w:p>"
    /* a legacy-font run: "MẬT" in .VnTimeH is 4D CB 54 */
    "<w:p><w:pPr><w:pBdr><w:top w:val=\"single\"/></w:pBdr></w:pPr><w:r>"
    "<w:rPr><w:rFonts w:ascii=\".VnTimeH\" w:hAnsi=\".VnTimeH\"/>"
    "<w:sz w:val=\"36\"/></w:rPr><w:t>M\xc3\x8bT</w:t></w:r></w:p>"
    /* a line break and a deleted revision */
    "<w:p><w:r><w:t>Dòng một</w:t><w:br/><w:t>Dòng hai</w:t></w:r>"
    "<w:del><w:r><w:delText>xóa</w:delText></w:r></w:del></w:p>"
    /* a page break, then page 2 */
    "<w:p><w:r><w:br w:type=\"page\"/></w:r><w:r>"
    "<w:lastRenderedPageBreak/><w:t>Trang hai</w:t></w:r></w:p>"
    "<w:p/><w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId2\"/>"
    "</w:sectPr></w:body></w:document>";

static unsigned char *
mkdocx(const char *document, size_t *len)
{
	const struct memzip_entry e[] = {
		{"[Content_Types].xml", docx_ct, 0, false},
		{"_rels/.rels", docx_rels, 0, false},
		{"word/_rels/document.xml.rels", docx_doc_rels, 0, false},
		{"word/document.xml", document, 0, false},
		{"word/styles.xml", docx_styles, 0, false},
		{"word/header1.xml", docx_header, 0, false},
		{"word/footer1.xml", docx_footer, 0, false},
		{"word/comments.xml", docx_comments, 0, false},
		{"docProps/core.xml", docx_core, 0, false},
	};

	return memzip(e, sizeof(e) / sizeof(e[0]), len);
}

static void
test_docx_lines(void **state)
{
	struct docsink_rec r;
	struct doc_ctx ctx;
	unsigned char *buf;
	size_t len;

	(void)state;
	docsink_rec_init(&r);
	buf = mkdocx(docx_document, &len);
	assert_int_equal(doc_sniff(buf, len, "a.docx"), DOC_FMT_OOXML);
	run(&r, &ctx, buf, len, DOC_OK);
	assert_int_equal(r.d.n, 13);
	line_is(&r, 0, "TỐI MẬT", DOC_ZONE_HEADER, DOC_F_BOLD | DOC_F_CENTER,
	    1, "word/header1.xml");
	line_is(&r, 1, "ỦY BAN NHÂN DÂN", DOC_ZONE_TABLE, 0, 1,
	    "word/document.xml");
	line_is(&r, 2, "Số: 12/UBND", DOC_ZONE_TABLE, 0, 1,
	    "word/document.xml");
	line_is(&r, 3, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", DOC_ZONE_TABLE,
	    DOC_F_FRAMED, 1, "word/document.xml");
	assert_int_equal(r.d.l[3].index, 2);
	/* the box once, before the paragraph that anchors it ends */
	line_is(&r, 4, "MẬT", DOC_ZONE_BOX, DOC_F_BOLD | DOC_F_CENTER |
	    DOC_F_FRAMED, 1, "word/document.xml");
	assert_int_equal(docsink_count(&r.d, "MẬT"), 2);
	line_is(&r, 5, "Kính gửi: Phòng Nội vụ", DOC_ZONE_BODY, 0, 1,
	    "word/document.xml");
	assert_int_equal(r.d.l[5].index, 0);
	line_is(&r, 6, "M\xc3\x8bT", DOC_ZONE_BODY, DOC_F_CAPS | DOC_F_FRAMED |
	    DOC_F_LARGE, 1, "word/document.xml");
	assert_int_equal(r.d.l[6].enc, DOC_ENC_TCVN3);
	assert_int_equal(r.d.l[5].enc, DOC_ENC_UNICODE);
	line_is(&r, 7, "Dòng một", DOC_ZONE_BODY, 0, 1, "word/document.xml");
	line_is(&r, 8, "Dòng hai", DOC_ZONE_BODY, 0, 1, "word/document.xml");
	/* one page break, though both w:br and lastRenderedPageBreak say so */
	line_is(&r, 9, "Trang hai", DOC_ZONE_BODY, 0, 2, "word/document.xml");
	assert_int_equal(r.d.l[9].index, 4);
	line_is(&r, 10, "Trang 1", DOC_ZONE_FOOTER, 0, 1, "word/footer1.xml");
	line_is(&r, 11, "Xem lại mật khẩu", DOC_ZONE_NOTE, 0, 0,
	    "word/comments.xml");
	line_is(&r, 12, "Báo cáo tháng", DOC_ZONE_META, 0, 0,
	    "docProps/core.xml");
	assert_int_equal(docsink_count(&r.d, "xóa"), 0);
	free(buf);
}

static void
test_docx_skip_stop(void **state)
{
	struct docsink_rec r;
	struct doc_ctx ctx;
	unsigned char *buf;
	size_t len;

	(void)state;
	buf = mkdocx(docx_document, &len);
	/* SKIP after the first body line: on with the footer */
	docsink_rec_init(&r);
	r.skip_body_after = 1;
	run(&r, &ctx, buf, len, DOC_OK);
	assert_int_equal(r.d.n, 9);
	line_is(&r, 5, "Kính gửi: Phòng Nội vụ", DOC_ZONE_BODY, 0, 1,
	    "word/document.xml");
	line_is(&r, 6, "Trang 1", DOC_ZONE_FOOTER, 0, 1, "word/footer1.xml");
	assert_false(ctx.stopped);
	/* STOP at the header: nothing more */
	docsink_rec_init(&r);
	r.stop_after = 1;
	run(&r, &ctx, buf, len, DOC_OK);
	assert_int_equal(r.d.n, 1);
	assert_true(ctx.stopped);
	free(buf);
}

/* an entry of 300 MB of zeros, deflated to a few hundred KB */
static void
test_bomb(void **state)
{
	struct docsink_rec r;
	struct doc_ctx ctx;
	size_t big = (size_t)300 << 20, len;
	char *zeros = calloc(1, big);
	unsigned char *buf;
	double t0;

	(void)state;
	assert_non_null(zeros);
	{
		const struct memzip_entry e[] = {
			{"[Content_Types].xml", docx_ct, 0, false},
			{"_rels/.rels", docx_rels, 0, false},
			{"word/document.xml", zeros, big, false},
		};

		buf = memzip(e, 3, &len);
	}
	free(zeros);
	assert_true(len < ((size_t)4 << 20));
	docsink_rec_init(&r);
	t0 = doc_now();
	run(&r, &ctx, buf, len, DOC_ERR_TOO_LARGE);
	assert_true(doc_now() - t0 < 1.0);
	assert_non_null(strstr(ctx.detail, "word/document.xml"));
	assert_int_equal(r.d.n, 0);
	free(buf);
}

static void
test_expanded_limit(void **state)
{
	struct docsink_rec r;
	struct doc_ctx ctx;
	char *doc;
	size_t n = (size_t)2 << 20, len, i;
	unsigned char *buf;

	(void)state;
	/* a body of 2 MB: over max_expanded of 1 MB while streamed */
	doc = malloc(n + 200);
	assert_non_null(doc);
	i = (size_t)sprintf(doc, "<w:document %s><w:body>", W_NS);
	while (i < n) {
		memcpy(doc + i, "<w:p><w:r><w:t>a</w:t></w:r></w:p>", 34);
		i += 34;
	}
	strcpy(doc + i, "</w:body></w:document>");
	{
		const struct memzip_entry e[] = {
			{"[Content_Types].xml", docx_ct, 0, false},
			{"_rels/.rels", docx_rels, 0, false},
			{"word/document.xml", doc, 0, false},
		};

		buf = memzip(e, 3, &len);
	}
	docsink_rec_init(&r);
	memset(&ctx, 0, sizeof(ctx));
	doc_limits_default(&lim, false);
	lim.max_expanded = 1 << 20;
	ctx.lim = &lim;
	ctx.sink = &r.d.sink;
	ctx.deadline = doc_now() + 30;
	r.stop_after = 200;
	r.skip_body_after = 1000000;
	/* the sink stops first: fine */
	assert_int_equal(doc_extract(&ctx, buf, len, "t"), DOC_OK);
	assert_true(ctx.stopped);
	/* no sink to say enough: the bound stops the reading */
	memset(&ctx, 0, sizeof(ctx));
	ctx.lim = &lim;
	ctx.deadline = doc_now() + 30;
	assert_int_equal(doc_extract(&ctx, buf, len, "t"), DOC_ERR_TOO_LARGE);
	assert_non_null(strstr(ctx.detail, "expanded"));
	free(buf);
	free(doc);
}

static void
test_bad_xml(void **state)
{
	struct docsink_rec r;
	struct doc_ctx ctx;
	unsigned char *buf;
	size_t len, i, n;
	char *deep;

	(void)state;
	/* 300 nested elements */
	deep = malloc(20000);
	assert_non_null(deep);
	n = (size_t)sprintf(deep, "<w:document %s><w:body>", W_NS);
	for (i = 0; i < 300; i++)
		n += (size_t)sprintf(deep + n, "<w:sdt>");
	strcpy(deep + n, "x");
	buf = mkdocx(deep, &len);
	docsink_rec_init(&r);
	run(&r, &ctx, buf, len, DOC_ERR_CORRUPT);
	assert_non_null(strstr(ctx.detail, "word/document.xml:"));
	free(buf);
	free(deep);

	/* a DTD with entities: refused, never expanded */
	buf = mkdocx("<?xml version=\"1.0\"?><!DOCTYPE w:document ["
	    "<!ENTITY m \"TUYỆT MẬT\">"
	    "<!ENTITY a \"&m;&m;&m;&m;&m;&m;&m;&m;&m;&m;\">"
	    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
	    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
	    "<w:document " W_NS "><w:body><w:p><w:r><w:t>&m;&c;</w:t></w:r>"
	    "</w:p></w:body></w:document>", &len);
	docsink_rec_init(&r);
	run(&r, &ctx, buf, len, DOC_ERR_CORRUPT);
	assert_non_null(strstr(ctx.detail, "word/document.xml:"));
	assert_int_equal(docsink_count(&r.d, "TUYỆT"), 0);
	free(buf);
	buf = mkdocx("<?xml version=\"1.0\"?><!DOCTYPE w:document ["
	    "<!ENTITY m \"TUYỆT MẬT\">]><w:document " W_NS "><w:body><w:p>"
	    "<w:r><w:t>&m;</w:t></w:r></w:p></w:body></w:document>", &len);
	docsink_rec_init(&r);
	run(&r, &ctx, buf, len, DOC_ERR_CORRUPT);
	assert_string_equal(ctx.detail, "word/document.xml:1: document type "
	    "declaration (DTD) not allowed");
	assert_int_equal(docsink_count(&r.d, "TUYỆT"), 0);
	free(buf);

	/* unclosed tag: corrupt, with where */
	buf = mkdocx("<w:document " W_NS "><w:body><w:p><w:r><w:t>a</w:r>"
	    "</w:p></w:body></w:document>", &len);
	docsink_rec_init(&r);
	run(&r, &ctx, buf, len, DOC_ERR_CORRUPT);
	assert_non_null(strstr(ctx.detail, "word/document.xml:1:"));
	free(buf);
}

static void
test_truncated(void **state)
{
	struct docsink_rec r;
	struct doc_ctx ctx;
	unsigned char *buf;
	size_t len;
	enum doc_err e;

	(void)state;
	buf = mkdocx(docx_document, &len);
	docsink_rec_init(&r);
	memset(&ctx, 0, sizeof(ctx));
	doc_limits_default(&lim, false);
	ctx.lim = &lim;
	ctx.sink = &r.d.sink;
	e = doc_extract_ooxml(&ctx, buf, len / 2, "t");
	assert_int_equal(e, DOC_ERR_TRUNCATED);
	assert_int_equal(r.d.n, 0);
	/* the central directory kept, a local entry damaged */
	memset(buf + 40, 'x', 200);
	docsink_rec_init(&r);
	memset(&ctx, 0, sizeof(ctx));
	ctx.lim = &lim;
	ctx.sink = &r.d.sink;
	e = doc_extract_ooxml(&ctx, buf, len, "t");
	assert_true(e == DOC_ERR_CORRUPT || e == DOC_ERR_TRUNCATED);
	free(buf);
}

/* --- a workbook --------------------------------------------------------- */

#define S_NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/" \
	"main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/" \
	"2006/relationships\""

static void
test_xlsx(void **state)
{
	static const char ct[] =
	    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
	    "content-types\"><Override PartName=\"/xl/workbook.xml\" "
	    "ContentType=\"application/vnd.openxmlformats-officedocument."
	    "spreadsheetml.sheet.main+xml\"/></Types>";
	static const char rels[] =
	    "<Relationships xmlns=\"" RELS_NS "\"><Relationship Id=\"rId1\" "
	    "Type=\"" REL_T "officeDocument\" Target=\"xl/workbook.xml\"/>"
	    "</Relationships>";
	static const char wb[] =
	    "<workbook " S_NS "><sheets><sheet name=\"Bìa\" sheetId=\"1\" "
	    "r:id=\"rId2\"/><sheet name=\"Sheet2\" sheetId=\"2\" r:id=\"rId1\"/>"
	    "</sheets></workbook>";
	static const char wbrels[] =
	    "<Relationships xmlns=\"" RELS_NS "\">"
	    "<Relationship Id=\"rId1\" Type=\"" REL_T "worksheet\" "
	    "Target=\"worksheets/sheet2.xml\"/>"
	    "<Relationship Id=\"rId2\" Type=\"" REL_T "worksheet\" "
	    "Target=\"worksheets/sheet1.xml\"/>"
	    "<Relationship Id=\"rId3\" Type=\"" REL_T "sharedStrings\" "
	    "Target=\"sharedStrings.xml\"/>"
	    "<Relationship Id=\"rId4\" Type=\"" REL_T "styles\" "
	    "Target=\"styles.xml\"/></Relationships>";
	static const char styles[] =
	    "<styleSheet " S_NS "><fonts count=\"2\"><font><sz val=\"11\"/>"
	    "<name val=\"Calibri\"/></font><font><b/><sz val=\"14\"/>"
	    "<name val=\".VnTimeH\"/></font></fonts><borders count=\"2\">"
	    "<border><left/></border><border><left style=\"thin\"/></border>"
	    "</borders><cellStyleXfs><xf fontId=\"1\"/></cellStyleXfs>"
	    "<cellXfs><xf fontId=\"0\"/><xf fontId=\"1\" borderId=\"1\">"
	    "<alignment horizontal=\"center\"/></xf></cellXfs></styleSheet>";
	static const char sst[] =
	    "<sst " S_NS "><si><t>Danh sách</t></si><si><t>M\xc3\x8bT</t></si>"
	    "<si><r><t>Ghi </t></r><r><t>chú</t></r><rPh><t>x</t></rPh></si>"
	    "</sst>";
	static const char sheet1[] =
	    "<worksheet " S_NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\">"
	    "<v>0</v></c><c r=\"B1\" t=\"s\" s=\"1\"><v>1</v></c>"
	    "<c r=\"C1\"><v>42</v></c></row><row r=\"2\"><c r=\"A2\" "
	    "t=\"inlineStr\"><is><t>Nội dung</t></is></c><c r=\"B2\" t=\"str\">"
	    "<f>A2</f><v>Nội dung</v></c></row></sheetData>"
	    "<headerFooter><oddHeader>&amp;L&amp;\"Times New Roman,Bold\"TUYỆT "
	    "MẬT&amp;C&amp;P / &amp;N&amp;RTrang &amp;&amp; bìa</oddHeader>"
	    "</headerFooter><drawing r:id=\"rId1\"/></worksheet>";
	static const char sheet1rels[] =
	    "<Relationships xmlns=\"" RELS_NS "\"><Relationship Id=\"rId1\" "
	    "Type=\"" REL_T "drawing\" Target=\"../drawings/drawing1.xml\"/>"
	    "</Relationships>";
	static const char drawing[] =
	    "<xdr:wsDr xmlns:xdr=\"http://schemas.openxmlformats.org/drawingml/"
	    "2006/spreadsheetDrawing\" xmlns:a=\"http://schemas.openxmlformats."
	    "org/drawingml/2006/main\"><xdr:twoCellAnchor><xdr:sp><xdr:spPr>"
	    "<a:ln><a:solidFill/></a:ln></xdr:spPr><xdr:txBody><a:p><a:r>"
	    "<a:t>MẬT</a:t></a:r></a:p></xdr:txBody></xdr:sp>"
	    "</xdr:twoCellAnchor></xdr:wsDr>";
	static const char sheet2[] =
	    "<worksheet " S_NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\">"
	    "<v>2</v></c></row></sheetData></worksheet>";
	const struct memzip_entry e[] = {
		{"[Content_Types].xml", ct, 0, false}, {"_rels/.rels", rels, 0, false},
		{"xl/workbook.xml", wb, 0, false}, {"xl/_rels/workbook.xml.rels",
		wbrels, 0, false}, {"xl/styles.xml", styles, 0, false},
		{"xl/sharedStrings.xml", sst, 0, false},
		{"xl/worksheets/sheet1.xml", sheet1, 0, false},
		{"xl/worksheets/_rels/sheet1.xml.rels", sheet1rels, 0, false},
		{"xl/drawings/drawing1.xml", drawing, 0, false},
		{"xl/worksheets/sheet2.xml", sheet2, 0, false},
	};
	struct docsink_rec r;
	struct doc_ctx ctx;
	unsigned char *buf;
	size_t len;

	(void)state;
	buf = memzip(e, sizeof(e) / sizeof(e[0]), &len);
	docsink_rec_init(&r);
	run(&r, &ctx, buf, len, DOC_OK);
	assert_int_equal(r.d.n, 9);
	line_is(&r, 0, "MẬT", DOC_ZONE_BOX, DOC_F_FRAMED, 1,
	    "xl/drawings/drawing1.xml");
	line_is(&r, 1, "Danh sách", DOC_ZONE_CELL, 0, 1, "Bìa!A1");
	line_is(&r, 2, "M\xc3\x8bT", DOC_ZONE_CELL, DOC_F_BOLD | DOC_F_CAPS |
	    DOC_F_CENTER | DOC_F_FRAMED | DOC_F_LARGE, 1, "Bìa!B1");
	assert_int_equal(r.d.l[2].enc, DOC_ENC_TCVN3);
	line_is(&r, 3, "Nội dung", DOC_ZONE_CELL, 0, 1, "Bìa!A2");
	line_is(&r, 4, "Nội dung", DOC_ZONE_CELL, 0, 1, "Bìa!B2");
	assert_int_equal(r.d.l[4].index, 3);
	line_is(&r, 5, "TUYỆT MẬT", DOC_ZONE_HEADER, DOC_F_BOLD, 1,
	    "xl/worksheets/sheet1.xml");
	line_is(&r, 6, "/", DOC_ZONE_HEADER, DOC_F_CENTER | DOC_F_BOLD, 1,
	    "xl/worksheets/sheet1.xml");
	line_is(&r, 7, "Trang & bìa", DOC_ZONE_HEADER, DOC_F_CENTER |
	    DOC_F_BOLD, 1, "xl/worksheets/sheet1.xml");
	line_is(&r, 8, "Ghi chú", DOC_ZONE_CELL, 0, 2, "Sheet2!A1");
	/* SKIP after the first cell: the header is still read, and the next
	 * sheet */
	docsink_rec_init(&r);
	r.skip_body_after = 1;
	r.skip_zone = DOC_ZONE_CELL;
	run(&r, &ctx, buf, len, DOC_OK);
	assert_int_equal(r.d.n, 6);
	line_is(&r, 1, "Danh sách", DOC_ZONE_CELL, 0, 1, "Bìa!A1");
	line_is(&r, 2, "TUYỆT MẬT", DOC_ZONE_HEADER, DOC_F_BOLD, 1,
	    "xl/worksheets/sheet1.xml");
	line_is(&r, 5, "Ghi chú", DOC_ZONE_CELL, 0, 2, "Sheet2!A1");
	free(buf);
}

/* --- a presentation ----------------------------------------------------- */

#define P_NS "xmlns:p=\"http://schemas.openxmlformats.org/presentationml/" \
	"2006/main\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/" \
	"2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/" \
	"officeDocument/2006/relationships\""

static void
test_pptx(void **state)
{
	static const char ct[] =
	    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
	    "content-types\"><Override PartName=\"/ppt/presentation.xml\" "
	    "ContentType=\"application/vnd.openxmlformats-officedocument."
	    "presentationml.presentation.main+xml\"/></Types>";
	static const char rels[] =
	    "<Relationships xmlns=\"" RELS_NS "\"><Relationship Id=\"rId1\" "
	    "Type=\"" REL_T "officeDocument\" Target=\"ppt/presentation.xml\"/>"
	    "</Relationships>";
	static const char pres[] =
	    "<p:presentation " P_NS "><p:sldIdLst><p:sldId id=\"256\" "
	    "r:id=\"rId3\"/><p:sldId id=\"257\" r:id=\"rId2\"/></p:sldIdLst>"
	    "</p:presentation>";
	static const char presrels[] =
	    "<Relationships xmlns=\"" RELS_NS "\">"
	    "<Relationship Id=\"rId2\" Type=\"" REL_T "slide\" "
	    "Target=\"slides/slide2.xml\"/>"
	    "<Relationship Id=\"rId3\" Type=\"" REL_T "slide\" "
	    "Target=\"slides/slide1.xml\"/></Relationships>";
	static const char slide1[] =
	    "<p:sld " P_NS "><p:cSld><p:spTree><p:sp><p:nvSpPr><p:cNvPr id=\"2\" "
	    "name=\"T\"/><p:cNvSpPr/><p:nvPr><p:ph type=\"title\"/></p:nvPr>"
	    "</p:nvSpPr><p:spPr/><p:txBody><a:p><a:r><a:t>Báo cáo</a:t></a:r>"
	    "</a:p></p:txBody></p:sp><p:sp><p:nvSpPr><p:cNvPr id=\"3\" "
	    "name=\"B\"/><p:cNvSpPr txBox=\"1\"/><p:nvPr/></p:nvSpPr><p:spPr>"
	    "<a:ln w=\"12700\"><a:solidFill><a:srgbClr val=\"FF0000\"/>"
	    "</a:solidFill></a:ln></p:spPr><p:txBody><a:p><a:pPr algn=\"ctr\"/>"
	    "<a:r><a:rPr b=\"1\"><a:latin typeface=\"VNI-Times\"/></a:rPr>"
	    "<a:t>TUYEÄT MAÄT</a:t></a:r></a:p></p:txBody></p:sp>"
	    "</p:spTree></p:cSld></p:sld>";
	static const char slide1rels[] =
	    "<Relationships xmlns=\"" RELS_NS "\"><Relationship Id=\"rId1\" "
	    "Type=\"" REL_T "notesSlide\" Target=\"../notesSlides/notesSlide1."
	    "xml\"/></Relationships>";
	static const char notes[] =
	    "<p:notes " P_NS "><p:cSld><p:spTree><p:sp><p:nvSpPr><p:nvPr>"
	    "<p:ph type=\"body\"/></p:nvPr></p:nvSpPr><p:txBody><a:p><a:r>"
	    "<a:t>Ghi chú người nói</a:t></a:r></a:p></p:txBody></p:sp>"
	    "</p:spTree></p:cSld></p:notes>";
	static const char slide2[] =
	    "<p:sld " P_NS "><p:cSld><p:spTree><p:sp><p:nvSpPr><p:nvPr><p:ph "
	    "idx=\"1\"/></p:nvPr></p:nvSpPr><p:txBody><a:p><a:r><a:t>Nội dung"
	    "</a:t></a:r><a:br/><a:r><a:t>tiếp</a:t></a:r></a:p></p:txBody>"
	    "</p:sp></p:spTree></p:cSld></p:sld>";
	const struct memzip_entry e[] = {
		{"[Content_Types].xml", ct, 0, false}, {"_rels/.rels", rels, 0, false},
		{"ppt/presentation.xml", pres, 0, false},
		{"ppt/_rels/presentation.xml.rels", presrels, 0, false},
		{"ppt/slides/slide1.xml", slide1, 0, false},
		{"ppt/slides/_rels/slide1.xml.rels", slide1rels, 0, false},
		{"ppt/notesSlides/notesSlide1.xml", notes, 0, false},
		{"ppt/slides/slide2.xml", slide2, 0, false},
	};
	struct docsink_rec r;
	struct doc_ctx ctx;
	unsigned char *buf;
	size_t len;

	(void)state;
	buf = memzip(e, sizeof(e) / sizeof(e[0]), &len);
	docsink_rec_init(&r);
	run(&r, &ctx, buf, len, DOC_OK);
	assert_int_equal(r.d.n, 5);
	line_is(&r, 0, "Báo cáo", DOC_ZONE_BODY, DOC_F_LARGE, 1,
	    "ppt/slides/slide1.xml");
	line_is(&r, 1, "TUYE\xc3\x84T MA\xc3\x84T", DOC_ZONE_BOX, DOC_F_BOLD |
	    DOC_F_CENTER | DOC_F_FRAMED, 1, "ppt/slides/slide1.xml");
	assert_int_equal(r.d.l[1].enc, DOC_ENC_VNI);
	line_is(&r, 2, "Ghi chú người nói", DOC_ZONE_NOTE, 0, 1,
	    "ppt/notesSlides/notesSlide1.xml");
	line_is(&r, 3, "Nội dung", DOC_ZONE_BODY, 0, 2,
	    "ppt/slides/slide2.xml");
	line_is(&r, 4, "tiếp", DOC_ZONE_BODY, 0, 2, "ppt/slides/slide2.xml");
	assert_int_equal(r.d.l[4].index, 1);
	free(buf);
}

/* A zip with an OOXML name but no main part, and an unknown package. */
static void
test_not_office(void **state)
{
	static const char ct[] =
	    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
	    "content-types\"><Override PartName=\"/visio/document.xml\" "
	    "ContentType=\"application/vnd.ms-visio.drawing.main+xml\"/>"
	    "</Types>";
	static const char rels[] =
	    "<Relationships xmlns=\"" RELS_NS "\"><Relationship Id=\"rId1\" "
	    "Type=\"" REL_T "officeDocument\" Target=\"visio/document.xml\"/>"
	    "</Relationships>";
	const struct memzip_entry e[] = {
		{"[Content_Types].xml", ct, 0, false}, {"_rels/.rels", rels, 0, false},
		{"visio/document.xml", "<x/>", 0, false},
	};
	struct docsink_rec r;
	struct doc_ctx ctx;
	unsigned char *buf;
	size_t len;

	(void)state;
	buf = memzip(e, 3, &len);
	docsink_rec_init(&r);
	run(&r, &ctx, buf, len, DOC_ERR_UNSUPPORTED);
	free(buf);
	buf = memzip(e, 1, &len);
	docsink_rec_init(&r);
	run(&r, &ctx, buf, len, DOC_ERR_CORRUPT);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docx_lines),
		cmocka_unit_test(test_docx_skip_stop),
		cmocka_unit_test(test_bomb),
		cmocka_unit_test(test_expanded_limit),
		cmocka_unit_test(test_bad_xml),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_xlsx),
		cmocka_unit_test(test_pptx),
		cmocka_unit_test(test_not_office),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
