/*
 * fuzz_doc_ole2.c — libFuzzer harness of the legacy Office extractor
 * (extract_ole2.c, ole2_word.c, ole2_excel.c, ole2_ppt.c). A compound
 * file (its magic first) goes through doc_extract_ole2(); other input
 * reaches a stream reader straight, so that mutations are not all spent
 * on the container: first byte 1 a Workbook stream, 2 a PowerPoint
 * Document stream, 3 a WordDocument stream and, after its 4-byte length,
 * the table stream. Lines must have no NUL, a known zone and encoding; a
 * refusal must say why. Must never crash, hang or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "secrets/ole2.h"

#include "fuzz_doc.h"

const char *__lsan_default_suppressions(void);

/* libgsf's compound-file reader loses a few directory entries of some
 * malformed files (inside gsf_infile_msole_new); bounded per file, and the
 * scanner reads each file in its own worker process. */
const char *
__lsan_default_suppressions(void)
{
	return "leak:libgsf-1.so\n";
}

static enum doc_next
line(struct doc_sink *self, const struct doc_line *l)
{
	size_t i;

	(void)self;
	if (l->len == 0 || l->text == NULL || l->part == NULL ||
	    l->zone > DOC_ZONE_OCR || l->enc > DOC_ENC_UNKNOWN_8BIT)
		abort();
	for (i = 0; i < l->len; i++)
		if (l->text[i] == '\0')
			abort();
	return DOC_NEXT_MORE;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc_sink sink = { line };
	struct doc_limits lim;
	struct doc_ctx ctx;
	enum doc_err e;

	doc_limits_default(&lim, false);
	lim.max_expanded = 64u << 20;
	lim.seconds = 5;
	fuzz_doc_ctx(&ctx, &lim, &sink);
	if (size > 0 && data[0] >= 1 && data[0] <= 3) {
		struct ole2_stream a = { data + 1, size - 1 }, b = { NULL, 0 };

		if (data[0] == 1)
			e = ole2_excel(&ctx, &a);
		else if (data[0] == 2)
			e = ole2_ppt(&ctx, &a);
		else {
			if (a.len >= 4 && ole2_u32(a.p) <= a.len - 4) {
				b.p = a.p + 4 + ole2_u32(a.p);
				b.len = a.len - 4 - ole2_u32(a.p);
				a.len = ole2_u32(a.p);
				a.p += 4;
			}
			e = ole2_word(&ctx, &a, &b, &b);
		}
	} else
		e = doc_extract_ole2(&ctx, data, size, "fuzz");
	if (e != DOC_OK && (ctx.err == DOC_OK || ctx.detail[0] == '\0'))
		abort();
	return 0;
}
