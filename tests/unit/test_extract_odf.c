/*
 * test_extract_odf.c — the OpenDocument extractor over packages made here
 * with libzip: the exact lines of an .odt (master page header and footer
 * first, table, a frame read as a box, a .VnTimeH span, a line break, an
 * annotation, page 2 after a break, properties), an .ods (cells with
 * their address across repeated cells and rows, cell style, sheet 2) and
 * an .odp (title, shape, notes, slide 2); SKIP and STOP; an encrypted
 * manifest, a 300 MB entry, deep XML, a DTD.
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

/* --- documents ---------------------------------------------------------- */

#define NS \
	"xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " \
	"xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" " \
	"xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" " \
	"xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" " \
	"xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" " \
	"xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:" \
	"1.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" " \
	"xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" " \
	"xmlns:presentation=\"urn:oasis:names:tc:opendocument:xmlns:" \
	"presentation:1.0\" office:version=\"1.3\""
#define MANIFEST(type) \
	"<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:" \
	"xmlns:manifest:1.0\" manifest:version=\"1.3\"><manifest:file-entry " \
	"manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis." \
	"opendocument." type "\"/><manifest:file-entry manifest:full-path=" \
	"\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>"

static const char odt_styles[] =
    "<office:document-styles " NS "><office:styles>"
    "<style:default-style style:family=\"paragraph\"><style:text-properties "
    "fo:font-size=\"13pt\"/></style:default-style>"
    "<style:style style:name=\"Stamp\" style:family=\"paragraph\">"
    "<style:paragraph-properties fo:text-align=\"center\"/>"
    "<style:text-properties fo:font-weight=\"bold\"/></style:style>"
    "</office:styles><office:automatic-styles><style:page-layout "
    "style:name=\"pm1\"><style:header-style><style:header-footer-properties "
    "fo:min-height=\"0cm\"/></style:header-style></style:page-layout>"
    "</office:automatic-styles><office:master-styles><style:master-page "
    "style:name=\"Standard\" style:page-layout-name=\"pm1\"><style:header>"
    "<text:p text:style-name=\"Stamp\">TỐI MẬT</text:p></style:header>"
    "<style:footer><text:p>Trang <text:page-number>1</text:page-number>"
    "</text:p></style:footer></style:master-page></office:master-styles>"
    "</office:document-styles>";

static const char odt_content[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<office:document-content " NS "><office:automatic-styles>"
    "<style:style style:name=\"P1\" style:family=\"paragraph\">"
    "<style:paragraph-properties fo:break-before=\"page\"/></style:style>"
    "<style:style style:name=\"P2\" style:family=\"paragraph\">"
    "<style:paragraph-properties fo:border=\"0.5pt solid #000000\"/>"
    "</style:style><style:style style:name=\"T1\" style:family=\"text\">"
    "<style:text-properties style:font-name=\".VnTimeH\" "
    "fo:font-size=\"18pt\"/></style:style><style:style style:name=\"ce1\" "
    "style:family=\"table-cell\"><style:table-cell-properties "
    "fo:border=\"none\"/></style:style></office:automatic-styles>"
    "<office:body><office:text><text:sequence-decls><text:sequence-decl "
    "text:name=\"Figure\"/></text:sequence-decls>"
    "<table:table table:name=\"T\"><table:table-row><table:table-cell "
    "table:style-name=\"ce1\"><text:p>ỦY BAN NHÂN DÂN</text:p>"
    "</table:table-cell><table:table-cell><text:p>CỘNG HÒA XÃ HỘI CHỦ "
    "NGHĨA VIỆT NAM</text:p></table:table-cell></table:table-row>"
    "</table:table>"
    "<text:p>Kính gửi:<text:s/><draw:frame draw:name=\"f\"><draw:text-box>"
    "<text:p text:style-name=\"Stamp\">MẬT</text:p></draw:text-box>"
    "</draw:frame>Phòng Nội vụ</text:p>"
    "<text:p text:style-name=\"P2\"><text:span text:style-name=\"T1\">"
    "M\xc3\x8bT</text:span></text:p>"
    "<text:p>Dòng một<text:line-break/>Dòng hai</text:p>"
    "<text:p><office:annotation><dc:creator>A</dc:creator><dc:date>2024"
    "</dc:date><text:p>Ghi chú mật khẩu</text:p></office:annotation>"
    "Nội dung<text:tracked-changes/></text:p>"
    "<text:p text:style-name=\"P1\">Trang hai</text:p>"
    "</office:text></office:body></office:document-content>";

static const char odt_meta[] =
    "<office:document-meta " NS "><office:meta><dc:title>Báo cáo</dc:title>"
    "<meta:generator>x</meta:generator></office:meta></office:document-meta>";

static unsigned char *
mkodt(const char *content, const char *manifest, size_t *len)
{
	const struct memzip_entry e[] = {
		{"mimetype", "application/vnd.oasis.opendocument.text", 0,
		    false},
		{"META-INF/manifest.xml", manifest != NULL ? manifest :
		    MANIFEST("text"), 0, false},
		{"styles.xml", odt_styles, 0, false},
		{"content.xml", content, 0, false},
		{"meta.xml", odt_meta, 0, false},
	};

	return memzip(e, sizeof(e) / sizeof(e[0]), len);
}

static void
test_odt_lines(void **state)
{
	struct docsink_rec r;
	struct doc_ctx ctx;
	unsigned char *buf;
	size_t len;

	(void)state;
	buf = mkodt(odt_content, NULL, &len);
	assert_int_equal(doc_sniff(buf, len, "a.odt"), DOC_FMT_ODF);
	docsink_rec_init(&r);
	run(&r, &ctx, buf, len, DOC_OK);
	assert_int_equal(r.d.n, 13);
	line_is(&r, 0, "TỐI MẬT", DOC_ZONE_HEADER, DOC_F_BOLD | DOC_F_CENTER,
	    1, "styles.xml");
	line_is(&r, 1, "Trang 1", DOC_ZONE_FOOTER, 0, 1, "styles.xml");
	line_is(&r, 2, "ỦY BAN NHÂN DÂN", DOC_ZONE_TABLE, 0, 1, "content.xml");
	line_is(&r, 3, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", DOC_ZONE_TABLE, 0,
	    1, "content.xml");
	line_is(&r, 4, "MẬT", DOC_ZONE_BOX, DOC_F_BOLD | DOC_F_CENTER |
	    DOC_F_FRAMED, 1, "content.xml");
	line_is(&r, 5, "Kính gửi: Phòng Nội vụ", DOC_ZONE_BODY, 0, 1,
	    "content.xml");
	line_is(&r, 6, "M\xc3\x8bT", DOC_ZONE_BODY, DOC_F_CAPS | DOC_F_FRAMED |
	    DOC_F_LARGE, 1, "content.xml");
	assert_int_equal(r.d.l[6].enc, DOC_ENC_TCVN3);
	assert_int_equal(r.d.l[5].enc, DOC_ENC_UNICODE);
	line_is(&r, 7, "Dòng một", DOC_ZONE_BODY, 0, 1, "content.xml");
	line_is(&r, 8, "Dòng hai", DOC_ZONE_BODY, 0, 1, "content.xml");
	line_is(&r, 9, "Ghi chú mật khẩu", DOC_ZONE_NOTE, 0, 1, "content.xml");
	line_is(&r, 10, "Nội dung", DOC_ZONE_BODY, 0, 1, "content.xml");
	line_is(&r, 11, "Trang hai", DOC_ZONE_BODY, 0, 2, "content.xml");
	assert_int_equal(r.d.l[11].index, 5);
	line_is(&r, 12, "Báo cáo", DOC_ZONE_META, 0, 0, "meta.xml");

	/* SKIP after the first body line: on with meta.xml */
	docsink_rec_init(&r);
	r.skip_body_after = 1;
	run(&r, &ctx, buf, len, DOC_OK);
	assert_int_equal(r.d.n, 7);
	line_is(&r, 5, "Kính gửi: Phòng Nội vụ", DOC_ZONE_BODY, 0, 1,
	    "content.xml");
	line_is(&r, 6, "Báo cáo", DOC_ZONE_META, 0, 0, "meta.xml");
	/* STOP */
	docsink_rec_init(&r);
	r.stop_after = 2;
	run(&r, &ctx, buf, len, DOC_OK);
	assert_int_equal(r.d.n, 2);
	assert_true(ctx.stopped);
	free(buf);
}

static void
test_ods(void **state)
{
	static const char styles[] =
	    "<office:document-styles " NS "><office:master-styles>"
	    "<style:master-page style:name=\"Default\"><style:header>"
	    "<text:p>MẬT</text:p></style:header><style:header-left "
	    "style:display=\"false\"/></style:master-page>"
	    "</office:master-styles></office:document-styles>";
	static const char content[] =
	    "<office:document-content " NS "><office:automatic-styles>"
	    "<style:style style:name=\"ce1\" style:family=\"table-cell\">"
	    "<style:table-cell-properties fo:border=\"0.06pt solid #000000\"/>"
	    "<style:paragraph-properties fo:text-align=\"center\"/>"
	    "<style:text-properties fo:font-weight=\"bold\" "
	    "style:font-name=\".VnTimeH\"/></style:style>"
	    "</office:automatic-styles><office:body><office:spreadsheet>"
	    "<table:table table:name=\"Bìa\"><table:table-column/>"
	    "<table:table-row><table:table-cell office:value-type=\"string\">"
	    "<text:p>Danh sách</text:p></table:table-cell><table:table-cell "
	    "table:number-columns-repeated=\"2\"/><table:table-cell "
	    "table:style-name=\"ce1\"><text:p>M\xc3\x8bT</text:p>"
	    "</table:table-cell></table:table-row><table:table-row "
	    "table:number-rows-repeated=\"3\"><table:table-cell/>"
	    "</table:table-row><table:table-row><table:table-cell>"
	    "<text:p>Nội dung</text:p></table:table-cell><table:table-cell "
	    "office:value-type=\"float\" office:value=\"42\"><text:p>42"
	    "</text:p></table:table-cell></table:table-row></table:table>"
	    "<table:table table:name=\"Sheet2\"><table:table-row>"
	    "<table:table-cell><text:p>Ghi chú</text:p></table:table-cell>"
	    "</table:table-row></table:table></office:spreadsheet></office:body>"
	    "</office:document-content>";
	const struct memzip_entry e[] = {
		{"mimetype", "application/vnd.oasis.opendocument.spreadsheet",
		    0, false},
		{"META-INF/manifest.xml", MANIFEST("spreadsheet"), 0, false},
		{"styles.xml", styles, 0, false},
		{"content.xml", content, 0, false},
	};
	struct docsink_rec r;
	struct doc_ctx ctx;
	unsigned char *buf;
	size_t len;

	(void)state;
	buf = memzip(e, sizeof(e) / sizeof(e[0]), &len);
	docsink_rec_init(&r);
	run(&r, &ctx, buf, len, DOC_OK);
	assert_int_equal(r.d.n, 6);
	line_is(&r, 0, "MẬT", DOC_ZONE_HEADER, 0, 1, "styles.xml");
	line_is(&r, 1, "Danh sách", DOC_ZONE_CELL, 0, 1, "Bìa!A1");
	line_is(&r, 2, "M\xc3\x8bT", DOC_ZONE_CELL, DOC_F_BOLD | DOC_F_CAPS |
	    DOC_F_CENTER | DOC_F_FRAMED, 1, "Bìa!D1");
	assert_int_equal(r.d.l[2].enc, DOC_ENC_TCVN3);
	line_is(&r, 3, "Nội dung", DOC_ZONE_CELL, 0, 1, "Bìa!A5");
	line_is(&r, 4, "42", DOC_ZONE_CELL, 0, 1, "Bìa!B5");
	line_is(&r, 5, "Ghi chú", DOC_ZONE_CELL, 0, 2, "Sheet2!A1");
	assert_int_equal(r.d.l[5].index, 0);
	/* SKIP after a cell: on with the next sheet */
	docsink_rec_init(&r);
	r.skip_zone = DOC_ZONE_CELL;
	r.skip_body_after = 1;
	run(&r, &ctx, buf, len, DOC_OK);
	assert_int_equal(r.d.n, 3);
	line_is(&r, 1, "Danh sách", DOC_ZONE_CELL, 0, 1, "Bìa!A1");
	line_is(&r, 2, "Ghi chú", DOC_ZONE_CELL, 0, 2, "Sheet2!A1");
	free(buf);
}

static void
test_odp(void **state)
{
	static const char content[] =
	    "<office:document-content " NS "><office:automatic-styles>"
	    "<style:style style:name=\"T1\" style:family=\"text\">"
	    "<style:text-properties style:font-name=\"VNI-Times\"/>"
	    "</style:style></office:automatic-styles>"
	    "<office:body><office:presentation>"
	    "<draw:page draw:name=\"1\"><draw:frame presentation:class=\"title\">"
	    "<draw:text-box><text:p>Báo cáo</text:p></draw:text-box></draw:frame>"
	    "<draw:custom-shape><text:p><text:span text:style-name=\"T1\">"
	    "TUYEÄT MAÄT</text:span></text:p></draw:custom-shape>"
	    "<presentation:notes><draw:page-thumbnail/><draw:frame "
	    "presentation:class=\"notes\"><draw:text-box><text:p>Ghi chú người "
	    "nói</text:p></draw:text-box></draw:frame></presentation:notes>"
	    "</draw:page><draw:page draw:name=\"2\"><draw:frame "
	    "presentation:class=\"outline\"><draw:text-box><text:list>"
	    "<text:list-item><text:p>Nội dung</text:p></text:list-item>"
	    "</text:list></draw:text-box></draw:frame></draw:page>"
	    "</office:presentation></office:body></office:document-content>";
	const struct memzip_entry e[] = {
		{"mimetype", "application/vnd.oasis.opendocument.presentation",
		    0, false},
		{"content.xml", content, 0, false},
	};
	struct docsink_rec r;
	struct doc_ctx ctx;
	unsigned char *buf;
	size_t len;

	(void)state;
	buf = memzip(e, sizeof(e) / sizeof(e[0]), &len);
	docsink_rec_init(&r);
	run(&r, &ctx, buf, len, DOC_OK);
	assert_int_equal(r.d.n, 4);
	line_is(&r, 0, "Báo cáo", DOC_ZONE_BODY, DOC_F_LARGE, 1,
	    "content.xml");
	line_is(&r, 1, "TUYE\xc3\x84T MA\xc3\x84T", DOC_ZONE_BOX, DOC_F_FRAMED,
	    1, "content.xml");
	assert_int_equal(r.d.l[1].enc, DOC_ENC_VNI);
	line_is(&r, 2, "Ghi chú người nói", DOC_ZONE_NOTE, 0, 1,
	    "content.xml");
	line_is(&r, 3, "Nội dung", DOC_ZONE_BODY, 0, 2, "content.xml");
	assert_int_equal(r.d.l[3].index, 0);
	free(buf);
}

static void
test_encrypted(void **state)
{
	static const char manifest[] =
	    "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:"
	    "opendocument:xmlns:manifest:1.0\"><manifest:file-entry "
	    "manifest:full-path=\"/\" manifest:media-type=\"application/vnd."
	    "oasis.opendocument.text\"/><manifest:file-entry manifest:full-path="
	    "\"content.xml\" manifest:media-type=\"text/xml\" manifest:size="
	    "\"3000\"><manifest:encryption-data manifest:checksum-type=\"SHA1/1K"
	    "\" manifest:checksum=\"aGVsbG8=\"><manifest:algorithm "
	    "manifest:algorithm-name=\"Blowfish CFB\" manifest:"
	    "initialisation-vector=\"aGVsbG8=\"/></manifest:encryption-data>"
	    "</manifest:file-entry></manifest:manifest>";
	struct docsink_rec r;
	struct doc_ctx ctx;
	unsigned char *buf;
	size_t len;

	(void)state;
	buf = mkodt("\x13\x99garbage", manifest, &len);
	docsink_rec_init(&r);
	run(&r, &ctx, buf, len, DOC_ERR_ENCRYPTED);
	assert_string_equal(ctx.detail, "META-INF/manifest.xml: content.xml "
	    "is encrypted");
	assert_int_equal(r.d.n, 0);
	free(buf);
}

static void
test_bounds(void **state)
{
	struct docsink_rec r;
	struct doc_ctx ctx;
	size_t big = (size_t)300 << 20, len, i, n;
	char *zeros = calloc(1, big), *deep;
	unsigned char *buf;
	double t0;

	(void)state;
	assert_non_null(zeros);
	buf = mkodt(zeros, NULL, &len);	/* strlen 0: an empty content */
	free(buf);
	{
		const struct memzip_entry e[] = {
			{"mimetype", "application/vnd.oasis.opendocument.text",
			    0, false},
			{"content.xml", zeros, big, false},
		};

		buf = memzip(e, 2, &len);
	}
	free(zeros);
	docsink_rec_init(&r);
	t0 = doc_now();
	run(&r, &ctx, buf, len, DOC_ERR_TOO_LARGE);
	assert_true(doc_now() - t0 < 1.0);
	assert_non_null(strstr(ctx.detail, "content.xml"));
	free(buf);

	deep = malloc(40000);
	assert_non_null(deep);
	n = (size_t)sprintf(deep, "<office:document-content %s>", NS);
	for (i = 0; i < 1000; i++)
		n += (size_t)sprintf(deep + n, "<text:span>");
	buf = mkodt(deep, NULL, &len);
	docsink_rec_init(&r);
	run(&r, &ctx, buf, len, DOC_ERR_CORRUPT);
	assert_non_null(strstr(ctx.detail, "content.xml:"));
	free(buf);
	free(deep);

	buf = mkodt("<!DOCTYPE x [<!ENTITY m \"TUYỆT MẬT\">]>"
	    "<office:document-content " NS "><office:body><office:text>"
	    "<text:p>&m;</text:p></office:text></office:body>"
	    "</office:document-content>", NULL, &len);
	docsink_rec_init(&r);
	run(&r, &ctx, buf, len, DOC_ERR_CORRUPT);
	assert_non_null(strstr(ctx.detail, "DTD"));
	assert_int_equal(docsink_count(&r.d, "TUYỆT"), 0);
	/* cut short */
	docsink_rec_init(&r);
	run(&r, &ctx, buf, len - 30, DOC_ERR_TRUNCATED);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_odt_lines),
		cmocka_unit_test(test_ods),
		cmocka_unit_test(test_odp),
		cmocka_unit_test(test_encrypted),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
