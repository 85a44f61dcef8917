/*
 * fuzz_doc_image.c — libFuzzer harness of the image extractor
 * (extract_image.c, ocr.c): any bytes through doc_extract_image() with
 * --ocr, the header checks and the decoding by leptonica, and the OCR of
 * the images small enough to keep the fuzzer fast (larger ones are
 * refused by a small expansion limit before they are decoded). A refused
 * input must say why. Must never crash, hang or leak.
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
	    l->zone != DOC_ZONE_OCR || l->page < 1 || l->page > 2)
		abort();
	if (memchr(l->text, '\0', l->len) != NULL)
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

	doc_limits_default(&lim, true);
	lim.seconds = 5;
	lim.max_expanded = 256u << 10;	/* 256 KiB: OCR only small images */
	fuzz_doc_ctx(&ctx, &lim, &sink);
	ctx.ocr = true;
	e = doc_extract_image(&ctx, data, size, "fuzz.png");
	if (e != DOC_OK && (ctx.err == DOC_OK || ctx.detail[0] == '\0'))
		abort();
	return 0;
}
