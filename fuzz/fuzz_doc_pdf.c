/*
 * fuzz_doc_pdf.c — libFuzzer harness of the PDF extractor
 * (extract_pdf.c): any bytes through doc_extract_pdf() with the default
 * limits of two pages, without OCR (a scanned page is only noted). A
 * refused input must say why; lines must be well formed. Must never
 * crash, hang or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_doc.h"

static enum doc_next
fuzz_line(struct doc_sink *self, const struct doc_line *l)
{
	(void)self;
	if (l->len == 0 || l->text == NULL || l->part == NULL ||
	    l->zone > DOC_ZONE_OCR || l->enc > DOC_ENC_UNKNOWN_8BIT)
		abort();
	if (l->zone != DOC_ZONE_META && (l->page < 1 || l->page > 2))
		abort();
	/* touch every byte: ASan checks the line is readable */
	if (memchr(l->text, '\n', l->len) != NULL)
		abort();
	return DOC_NEXT_MORE;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc_sink sink = {fuzz_line};
	struct doc_limits lim;
	struct doc_ctx ctx;
	enum doc_err e;

	doc_limits_default(&lim, false);
	lim.seconds = 5;
	fuzz_doc_ctx(&ctx, &lim, &sink);
	e = doc_extract_pdf(&ctx, data, size, "fuzz.pdf");
	if (e != DOC_OK && (ctx.err == DOC_OK || ctx.detail[0] == '\0'))
		abort();
	if (e == DOC_OK && ctx.err != DOC_OK && ctx.err != DOC_ERR_TIMEOUT)
		abort();
	return 0;
}
