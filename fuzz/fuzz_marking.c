/*
 * fuzz_marking.c — libFuzzer harness of the detector (marking.c): the
 * input is split into lines at '\n'; each line starts with two bytes
 * saying where it stands (zone, encoding, flags, page and part changes,
 * index jumps) and the rest is its text, any bytes. The verdict must be
 * consistent (a degree has a rule, a confidence of 60 or more, valid
 * UTF-8 evidence). Must never crash, hang or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "secrets/doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const parts[] = {
	"word/document.xml", "word/header1.xml", "Sheet1!A1", "trang 1",
};

static void
check_text(const char *s, size_t cap)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t c;
	utf8proc_ssize_t k;

	if (memchr(s, '\0', cap) == NULL)
		abort();
	while (*p != '\0') {
		k = utf8proc_iterate(p, -1, &c);
		if (k <= 0 || c < 0x20)
			abort();
		p += k;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct doc_detector *d;
	struct doc_sink *sink;
	struct doc_verdict v;
	const uint8_t *p = data, *end = data + size, *nl;
	unsigned page = 1, index = 0, part = 0;

	if (d == NULL && (d = doc_detector_new()) == NULL)
		abort();
	doc_detector_reset(d);
	sink = doc_detector_sink(d);
	while (p + 2 <= end) {
		struct doc_line l;
		enum doc_next r;

		nl = memchr(p + 2, '\n', (size_t)(end - p - 2));
		if (nl == NULL)
			nl = end;
		memset(&l, 0, sizeof(l));
		l.zone = (enum doc_zone)((p[0] & 0x0F) % 10);
		l.enc = (enum doc_enc)((p[0] >> 4) & 3);
		if (p[0] & 0x40)
			page++;
		if (p[0] & 0x80)
			part = (part + 1) % 4;
		l.flags = p[1] & 0x1F;
		index += 1 + (p[1] >> 5) * 8u;
		l.page = page;
		l.index = index;
		l.part = parts[part];
		l.text = (const char *)p + 2;
		l.len = (size_t)(nl - p - 2);
		r = sink->line(sink, &l);
		if (r != DOC_NEXT_MORE && r != DOC_NEXT_SKIP &&
		    r != DOC_NEXT_STOP)
			abort();
		if (r == DOC_NEXT_STOP)
			break;
		p = nl + 1;
	}
	doc_detector_verdict(d, &v);
	if (v.degree > DOC_DEGREE_TUYET_MAT)
		abort();
	if (v.degree != DOC_DEGREE_NONE && (v.confidence < 60 ||
	    v.confidence > 100 || v.rule[0] == '\0' || v.marking[0] == '\0'))
		abort();
	check_text(v.evidence, sizeof(v.evidence));
	check_text(v.marking, sizeof(v.marking));
	if (memchr(v.part, '\0', sizeof(v.part)) == NULL)
		abort();
	return 0;
}
