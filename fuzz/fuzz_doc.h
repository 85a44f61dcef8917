/*
 * fuzz_doc.h — what the harnesses of the document extractors
 * (fuzz_doc_*.c) share: the line contract a sink checks, the context of a
 * run, the driver of the extractors fuzzed with any bytes, and (with
 * FUZZ_DOC_PKG defined before the include) a zip package built around
 * the fuzzed parts with a sink answering MORE, SKIP or STOP as the first
 * byte says. A harness is built from its one .c file, so everything here
 * is static inline.
 */
#ifndef CG_FUZZ_DOC_H
#define CG_FUZZ_DOC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "secrets/doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Well-formed UTF-8: no overlong lead bytes (C0, C1), nothing past
 * U+10FFFF's lead byte F4, no cut sequence. */
static inline bool
fuzz_utf8_ok(const unsigned char *s, size_t n)
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

/* The contract of every line: non-empty valid UTF-8 with a part, of a
 * known zone and encoding. */
static inline bool
fuzz_line_ok(const struct doc_line *l)
{
	return l->len != 0 && l->text != NULL && l->part != NULL &&
	    l->zone <= DOC_ZONE_OCR && l->enc <= DOC_ENC_UNKNOWN_8BIT &&
	    fuzz_utf8_ok((const unsigned char *)l->text, l->len);
}

static inline enum doc_next
fuzz_check_line(struct doc_sink *self, const struct doc_line *l)
{
	(void)self;
	if (!fuzz_line_ok(l))
		abort();
	return DOC_NEXT_MORE;
}

/* A context over lim and sink, with a deadline of 5 seconds. */
static inline void
fuzz_doc_ctx(struct doc_ctx *ctx, struct doc_limits *lim,
    struct doc_sink *sink)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->lim = lim;
	ctx->sink = sink;
	ctx->prefix = "";
	ctx->deadline = doc_now() + 5;
}

typedef enum doc_err (*fuzz_extract_fn)(struct doc_ctx *,
    const unsigned char *, size_t, const char *);

/* Any bytes through extract, with limits small enough to keep the fuzzer
 * fast: every line must keep the contract, an error must be recorded, the
 * context must come back as it went in, within its limits. */
static inline int
fuzz_doc_run(const uint8_t *data, size_t size, fuzz_extract_fn extract)
{
	struct doc_sink sink = {fuzz_check_line};
	struct doc_limits lim;
	struct doc_ctx ctx;
	enum doc_err e;

	doc_limits_default(&lim, false);
	lim.max_file = lim.max_expanded = lim.max_part = 16u << 20;
	lim.max_entries = 1000;
	lim.max_text = 1u << 20;
	fuzz_doc_ctx(&ctx, &lim, &sink);
	e = extract(&ctx, data, size, "fuzz");
	if (e != DOC_OK && ctx.err == DOC_OK)
		abort();
	if (ctx.depth != 0 || strcmp(ctx.prefix, "") != 0 ||
	    ctx.expanded > lim.max_expanded)
		abort();
	return 0;
}

#ifdef FUZZ_DOC_PKG
#include <zip.h>

/* A sink that checks every line and answers as the mode byte says: SKIP
 * every third line, or STOP at the fifth. */
struct fsink {
	struct doc_sink sink;
	unsigned mode, n;
};

static inline enum doc_next
fuzz_pkg_line(struct doc_sink *self, const struct doc_line *l)
{
	struct fsink *f = (struct fsink *)self;

	if (!fuzz_line_ok(l) || (l->flags & ~0x1Fu) != 0)
		abort();
	f->n++;
	if ((f->mode & 6) == 2 && f->n % 3 == 0)
		return DOC_NEXT_SKIP;
	if ((f->mode & 6) == 4 && f->n == 5)
		return DOC_NEXT_STOP;
	return DOC_NEXT_MORE;
}

/* Adds a stored entry (a failure only leaves it out). */
static inline void
fuzz_pkg_add(zip_t *za, const char *name, const void *p, size_t n)
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

/* A package of the fixed entries names[0..nfixed) holding the strings
 * fixed[], then the parts in data, split at "|~|", as parts[0..nparts);
 * malloc'd, NULL when libzip fails. */
static inline unsigned char *
fuzz_pkg_build(const char *const *names, const char *const *fixed,
    size_t nfixed, const char *const *parts, size_t nparts,
    const uint8_t *data, size_t size, size_t *len)
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
	for (j = 0; j < nfixed; j++)
		fuzz_pkg_add(za, names[j], fixed[j], strlen(fixed[j]));
	for (j = 0; j < nparts && i <= size; j++) {
		const uint8_t *end = size - i >= 3 ? memmem(data + i, size - i,
		    "|~|", 3) : NULL;
		size_t n = end != NULL ? (size_t)(end - (data + i)) : size - i;

		fuzz_pkg_add(za, parts[j], data + i, n);
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

typedef unsigned char *(*fuzz_pkg_build_fn)(unsigned kind,
    const uint8_t *data, size_t size, size_t *len);

/* The first byte chooses: odd, the rest is a whole package; even, the
 * rest is split into the parts of a package of kind (byte >> 3) % 3 that
 * build makes. The sink answers as the first byte says; a refusal must
 * say why. */
static inline int
fuzz_pkg_run(const uint8_t *data, size_t size, fuzz_extract_fn extract,
    fuzz_pkg_build_fn build)
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
	memset(&f, 0, sizeof(f));
	f.sink.line = fuzz_pkg_line;
	f.mode = data[0];
	fuzz_doc_ctx(&ctx, &lim, &f.sink);
	if (data[0] & 1) {
		buf = data + 1;
		len = size - 1;
	} else {
		pkg = build((data[0] >> 3) % 3, data + 1, size - 1, &len);
		if (pkg == NULL)
			return 0;
		buf = pkg;
	}
	e = extract(&ctx, buf, len, "fuzz");
	if (e != DOC_OK && ctx.detail[0] == '\0')
		abort();
	free(pkg);
	return 0;
}
#endif /* FUZZ_DOC_PKG */

#endif
