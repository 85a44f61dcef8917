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

static const char *const kinds[3] = {
	"application/vnd.oasis.opendocument.text",
	"application/vnd.oasis.opendocument.spreadsheet",
	"application/vnd.oasis.opendocument.presentation",
};
static const char *const parts[4] = {
	"content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml",
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

/* The parts in data, split at "|~|", after a mimetype of kind k. */
static unsigned char *
build(unsigned k, const uint8_t *data, size_t size, size_t *len)
{
	zip_source_t *src;
	zip_t *za;
	zip_stat_t st;
	unsigned char *out = NULL;
	size_t i = 0, j;

	if ((src = zip_source_buffer_create(NULL, 0, 0, NULL)) == NULL)
		return NULL;
	zip_source_keep(src);
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, NULL)) == NULL) {
		zip_source_free(src);
		return NULL;
	}
	add(za, "mimetype", kinds[k], strlen(kinds[k]));
	for (j = 0; j < 4 && i <= size; j++) {
		const uint8_t *end = size - i >= 3 ? memmem(data + i, size - i,
		    "|~|", 3) : NULL;
		size_t n = end != NULL ? (size_t)(end - (data + i)) : size - i;

		add(za, parts[j], data + i, n);
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
		pkg = build((data[0] >> 3) % 3, data + 1, size - 1, &len);
		if (pkg == NULL)
			return 0;
		buf = pkg;
	}
	e = doc_extract_odf(&ctx, buf, len, "fuzz");
	if (e != DOC_OK && ctx.detail[0] == '\0')
		abort();
	free(pkg);
	return 0;
}
