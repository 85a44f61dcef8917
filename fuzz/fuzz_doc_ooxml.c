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
#define FUZZ_DOC_PKG
#include "fuzz_doc.h"

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

/* The parts in data, split at "|~|", in the package of app k. */
static unsigned char *
build(unsigned k, const uint8_t *data, size_t size, size_t *len)
{
	const struct app *a = &apps[k];
	const char *const names[3] = {"[Content_Types].xml", "_rels/.rels",
	    a->mainrels_name};
	const char *const fixed[3] = {a->ct, a->rels, a->mainrels};

	return fuzz_pkg_build(names, fixed, 3, a->parts, 6, data, size, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_pkg_run(data, size, doc_extract_ooxml, build);
}
