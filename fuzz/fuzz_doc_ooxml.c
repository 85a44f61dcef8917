/*
 * fuzz_doc_ooxml.c — libFuzzer harness of the Office Open XML extractor
 * (extract_ooxml.c, extract_xlsx.c, xmlpart.c). The first byte chooses:
 * odd, the rest is a whole package as found on disk; even, the rest is
 * split at "|~|" into the XML parts of a Word, Excel or PowerPoint package
 * built here around them (stored, so the fuzzer reaches the XML walkers past the zip's
 * CRCs). The sink checks every line against the contract and answers
 * MORE, SKIP or STOP as the first byte says. Must never crash, hang or
 * leak.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "secrets/doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fsink {
	struct doc_sink sink;
	unsigned mode, n;
};

static bool
utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		unsigned char c = s[i];

		k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ?
		    3 : (c & 0xF8) == 0xF0 ? 4 : 0;
		if (k == 0 || i + k > n)
			return false;
		while (--k > 0)
			if ((s[++i] & 0xC0) != 0x80)
				return false;
		i++;
	}
	return true;
}

static enum doc_next
fline(struct doc_sink *self, const struct doc_line *l)
{
	struct fsink *f = (struct fsink *)self;

	if (l->text == NULL || l->len == 0 || l->part == NULL ||
	    l->zone > DOC_ZONE_OCR || l->enc > DOC_ENC_UNKNOWN_8BIT ||
	    (l->flags & ~0x1Fu) != 0 || !utf8_ok((const unsigned char *)l->text,
	    l->len))
		abort();
	f->n++;
	if ((f->mode & 6) == 2 && f->n % 3 == 0)
		return DOC_NEXT_SKIP;
	if ((f->mode & 6) == 4 && f->n == 5)
		return DOC_NEXT_STOP;
	return DOC_NEXT_MORE;
}

#define REL "http://schemas.openxmlformats.org/officeDocument/2006/" \
	"relationships/"
#define RELS(x) "<Relationships xmlns=\"http://schemas.openxmlformats.org/" \
	"package/2006/relationships\">" x "</Relationships>"
#define R(id, type, target) "<Relationship Id=\"" id "\" Type=\"" REL type \
	"\" Target=\"" target "\"/>"
#define CT(main) "<Types xmlns=\"http://schemas.openxmlformats.org/package/" \
	"2006/content-types\"><Override PartName=\"" main "\" ContentType=\"" \
	"application/vnd.openxmlformats-officedocument."

static const struct app {
	const char *ct, *rels, *mainrels, *mainrels_name;
	const char *parts[6];
} apps[3] = {
	{CT("/word/document.xml") "wordprocessingml.document.main+xml\"/>"
	    "</Types>", RELS(R("rId1", "officeDocument", "word/document.xml")
	    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/"
	    "package/2006/relationships/metadata/core-properties\" "
	    "Target=\"docProps/core.xml\"/>"),
	    RELS(R("rId1", "styles", "styles.xml") R("rId2", "header",
	    "header1.xml") R("rId3", "footer", "footer1.xml") R("rId4",
	    "comments", "comments.xml") R("rId5", "footnotes", "footnotes.xml")),
	    "word/_rels/document.xml.rels",
	    {"word/document.xml", "word/styles.xml", "word/header1.xml",
	    "word/footer1.xml", "word/comments.xml", "docProps/core.xml"}},
	{CT("/xl/workbook.xml") "spreadsheetml.sheet.main+xml\"/></Types>",
	    RELS(R("rId1", "officeDocument", "xl/workbook.xml")),
	    RELS(R("rId1", "worksheet", "worksheets/sheet1.xml") R("rId2",
	    "sharedStrings", "sharedStrings.xml") R("rId3", "styles",
	    "styles.xml") R("rId4", "worksheet", "worksheets/sheet2.xml")),
	    "xl/_rels/workbook.xml.rels",
	    {"xl/workbook.xml", "xl/sharedStrings.xml",
	    "xl/worksheets/sheet1.xml", "xl/styles.xml",
	    "xl/worksheets/_rels/sheet1.xml.rels", "xl/drawings/drawing1.xml"}},
	{CT("/ppt/presentation.xml") "presentationml.presentation.main+xml\"/>"
	    "</Types>", RELS(R("rId1", "officeDocument",
	    "ppt/presentation.xml")),
	    RELS(R("rId1", "slide", "slides/slide1.xml") R("rId2", "slide",
	    "slides/slide2.xml")),
	    "ppt/_rels/presentation.xml.rels",
	    {"ppt/presentation.xml", "ppt/slides/slide1.xml",
	    "ppt/slides/slide2.xml", "ppt/slides/_rels/slide1.xml.rels",
	    "ppt/notesSlides/notesSlide1.xml", "docProps/core.xml"}},
};

static void
add(zip_t *za, const char *name, const void *p, size_t n)
{
	zip_source_t *s = zip_source_buffer(za, p, n, 0);
	zip_int64_t i;

	if (s == NULL)
		return;
	if ((i = zip_file_add(za, name, s, 0)) < 0)
		zip_source_free(s);
	else
		zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0);
}

/* The parts in data, split at "|~|", in the package of app a. */
static unsigned char *
build(const struct app *a, const uint8_t *data, size_t size, size_t *len)
{
	zip_source_t *src;
	zip_t *za;
	zip_stat_t st;
	unsigned char *out = NULL;
	size_t i = 0, k;

	if ((src = zip_source_buffer_create(NULL, 0, 0, NULL)) == NULL)
		return NULL;
	zip_source_keep(src);
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, NULL)) == NULL) {
		zip_source_free(src);
		return NULL;
	}
	add(za, "[Content_Types].xml", a->ct, strlen(a->ct));
	add(za, "_rels/.rels", a->rels, strlen(a->rels));
	add(za, a->mainrels_name, a->mainrels, strlen(a->mainrels));
	for (k = 0; k < 6 && i <= size; k++) {
		const uint8_t *end = size - i >= 3 ? memmem(data + i, size - i,
		    "|~|", 3) : NULL;
		size_t n = end != NULL ? (size_t)(end - (data + i)) : size - i;

		add(za, a->parts[k], data + i, n);
		i += n + 3;
	}
	if (zip_close(za) != 0) {
		zip_discard(za);
		zip_source_free(src);
		return NULL;
	}
	zip_stat_init(&st);
	if (zip_source_open(src) == 0) {
		if (zip_source_stat(src, &st) == 0 && (out = malloc(st.size +
		    1)) != NULL && zip_source_read(src, out, st.size) !=
		    (zip_int64_t)st.size) {
			free(out);
			out = NULL;
		}
		zip_source_close(src);
	}
	zip_source_free(src);
	*len = st.size;
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc_limits lim;
	struct doc_ctx ctx;
	struct fsink f;
	unsigned char *pkg = NULL;
	const unsigned char *buf;
	size_t len;
	enum doc_err e;

	if (size < 1)
		return 0;
	doc_limits_default(&lim, false);
	lim.max_part = 4u << 20;
	lim.max_expanded = 8u << 20;
	lim.max_text = 64u << 10;
	memset(&ctx, 0, sizeof(ctx));
	memset(&f, 0, sizeof(f));
	f.sink.line = fline;
	f.mode = data[0];
	ctx.lim = &lim;
	ctx.sink = &f.sink;
	ctx.prefix = "";
	ctx.deadline = doc_now() + 5;
	if (data[0] & 1) {
		buf = data + 1;
		len = size - 1;
	} else {
		pkg = build(&apps[(data[0] >> 3) % 3], data + 1, size - 1, &len);
		if (pkg == NULL)
			return 0;
		buf = pkg;
	}
	e = doc_extract_ooxml(&ctx, buf, len, "fuzz");
	if (e != DOC_OK && ctx.detail[0] == '\0')
		abort();
	free(pkg);
	return 0;
}
