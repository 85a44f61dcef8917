/*
 * fuzz_doc_odf.c — libFuzzer harness of the OpenDocument extractor
 * (extract_odf.c, xmlpart.c). The first byte chooses: odd, the rest is a
 * whole package as found on disk; even, the rest is split at "|~|" into
 * content.xml, styles.xml, meta.xml and the manifest of a text,
 * spreadsheet or presentation package built here around them (stored,
 * so the fuzzer reaches the XML walkers past the zip's CRCs). The sink
 * checks every line against the contract and answers MORE, SKIP or STOP
 * as the first byte says. Must never crash, hang or leak.
 */
#define _GNU_SOURCE
#define FUZZ_DOC_PKG
#include "fuzz_doc.h"

static const char *const kinds[3] = {
	"application/vnd.oasis.opendocument.text",
	"application/vnd.oasis.opendocument.spreadsheet",
	"application/vnd.oasis.opendocument.presentation",
};
static const char *const parts[4] = {
	"content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml",
};

/* The parts in data, split at "|~|", after a mimetype of kind k. */
static unsigned char *
build(unsigned k, const uint8_t *data, size_t size, size_t *len)
{
	static const char *const mimetype[1] = {"mimetype"};

	return fuzz_pkg_build(mimetype, &kinds[k], 1, parts, 4, data, size,
	    len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_pkg_run(data, size, doc_extract_odf, build);
}
