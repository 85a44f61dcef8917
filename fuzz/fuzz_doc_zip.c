/*
 * fuzz_doc_zip.c — libFuzzer harness of the zip extractor (extract_zip.c): any bytes as an archive, entries read recursively.
 * Every line passed must be non-empty valid UTF-8 of a known zone; an
 * error must be recorded with its reason. Must never crash, hang, leak or
 * go past its limits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "secrets/doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, k, j;

	while (i < n) {
		unsigned c = s[i];

		if (c < 0x80) {
			i++;
			continue;
		}
		k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
		if (k == 0 || c > 0xF4 || i + k > n)
			return false;
		for (j = 1; j < k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return false;
		i += k;
	}
	return true;
}

static enum doc_next
check_line(struct doc_sink *self, const struct doc_line *l)
{
	(void)self;
	if (l->len == 0 || l->text == NULL || l->part == NULL ||
	    l->zone > DOC_ZONE_OCR || l->enc > DOC_ENC_UNKNOWN_8BIT ||
	    !valid_utf8((const unsigned char *)l->text, l->len))
		abort();
	return DOC_NEXT_MORE;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc_sink sink = {check_line};
	struct doc_limits lim;
	struct doc_ctx ctx;
	enum doc_err e;

	doc_limits_default(&lim, false);
	lim.max_file = lim.max_expanded = lim.max_part = 16u << 20;
	lim.max_entries = 1000;
	lim.max_text = 1u << 20;
	memset(&ctx, 0, sizeof(ctx));
	ctx.lim = &lim;
	ctx.sink = &sink;
	ctx.prefix = "";
	ctx.deadline = doc_now() + 5;
	e = doc_extract_zip(&ctx, data, size, "fuzz");
	if (e != DOC_OK && ctx.err == DOC_OK)
		abort();
	if (ctx.depth != 0 || strcmp(ctx.prefix, "") != 0 ||
	    ctx.expanded > lim.max_expanded)
		abort();
	return 0;
}
