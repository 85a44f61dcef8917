/*
 * extract.c — what every extractor of the classified-document finder
 * shares: telling formats apart by their bytes, dispatching to the
 * extractor of each, and the bounds (time, expanded bytes, nesting) that
 * keep one hostile file from stalling or exhausting the scan. doc.h is the
 * contract.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "lib/clock.h"
#include "lib/text.h"
#include "secrets/doc.h"

double
doc_now(void)
{
	return clk_now();
}

void
doc_limits_default(struct doc_limits *lim, bool ocr)
{
	memset(lim, 0, sizeof(*lim));
	lim->max_file = 256u << 20;
	lim->max_expanded = 256u << 20;
	lim->max_part = 64u << 20;
	lim->max_entries = 10000;
	lim->max_depth = 5;
	lim->max_text = 4u << 20;
	lim->max_pages = 2;
	lim->seconds = ocr ? 120.0 : 30.0;
}

enum doc_err
doc_fail(struct doc_ctx *ctx, enum doc_err err, const char *fmt, ...)
{
	va_list ap;

	if (ctx->err == DOC_OK && err != DOC_OK) {
		ctx->err = err;
		va_start(ap, fmt);
		vsnprintf(ctx->detail, sizeof(ctx->detail), fmt, ap);
		va_end(ap);
	}
	return err;
}

bool
doc_late(struct doc_ctx *ctx)
{
	if (ctx->err == DOC_ERR_TIMEOUT)
		return true;
	if (ctx->deadline > 0 && doc_now() > ctx->deadline) {
		doc_fail(ctx, DOC_ERR_TIMEOUT, "%.0f s", ctx->lim != NULL ?
		    ctx->lim->seconds : 0.0);
		return true;
	}
	return false;
}

enum doc_err
doc_expand(struct doc_ctx *ctx, size_t n)
{
	size_t max = ctx->lim != NULL ? ctx->lim->max_expanded : 0;

	if (n > SIZE_MAX - ctx->expanded || (max > 0 &&
	    ctx->expanded + n > max))
		return doc_fail(ctx, DOC_ERR_TOO_LARGE,
		    "expanded size over %zu bytes", max);
	ctx->expanded += n;
	return DOC_OK;
}

static bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	    c == '\v';
}

/* A copy of s with every byte that does not start a valid UTF-8 sequence
 * (and every NUL) replaced by U+FFFD. */
static char *
utf8_mend(const char *s, size_t n, size_t *outlen)
{
	char *out = malloc(n * 3 + 1);
	size_t i = 0, o = 0;

	if (out == NULL)
		return NULL;
	while (i < n) {
		const unsigned char *p = (const unsigned char *)s + i;
		size_t k = p[0] < 0x80 ? 1 : (p[0] & 0xE0) == 0xC0 ? 2 :
		    (p[0] & 0xF0) == 0xE0 ? 3 : (p[0] & 0xF8) == 0xF0 ? 4 : 0;

		if (k > 0 && p[0] != 0 && i + k <= n &&
		    text_valid_utf8(s + i, k)) {
			memcpy(out + o, s + i, k);
			o += k;
			i += k;
		} else {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
		}
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

enum doc_next
doc_emit(struct doc_ctx *ctx, const struct doc_line *l)
{
	struct doc_line t;
	char part[512];
	const char *s = l->text;
	size_t n = l->len;
	enum doc_next r;
	char *fixed = NULL;

	if (ctx->stopped)
		return DOC_NEXT_STOP;
	if (doc_late(ctx)) {
		ctx->stopped = true;
		return DOC_NEXT_STOP;
	}
	while (n > 0 && is_space((unsigned char)s[0])) {
		s++;
		n--;
	}
	/* U+00A0 (C2 A0) is white space in office documents too. */
	while (n >= 2 && (unsigned char)s[0] == 0xC2 &&
	    (unsigned char)s[1] == 0xA0) {
		s += 2;
		n -= 2;
	}
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return DOC_NEXT_MORE;
	if (ctx->sink == NULL)
		return DOC_NEXT_MORE;
	t = *l;
	t.text = s;
	t.len = n;
	/* Extractors pass UTF-8; a sequence cut or forged by a hostile file
	 * is mended here so that no sink ever sees invalid text. */
	if (!text_valid_utf8(s, n)) {
		fixed = utf8_mend(s, n, &t.len);
		if (fixed == NULL)
			return DOC_NEXT_MORE;
		t.text = fixed;
	}
	if (t.part == NULL)
		t.part = "";
	if (ctx->prefix != NULL && ctx->prefix[0] != '\0') {
		snprintf(part, sizeof(part), "%s%s%s", ctx->prefix,
		    t.part[0] != '\0' ? "/" : "", t.part);
		t.part = part;
	}
	r = ctx->sink->line(ctx->sink, &t);
	free(fixed);
	if (r == DOC_NEXT_STOP)
		ctx->stopped = true;
	return r;
}

/* --- telling formats apart ---------------------------------------------- */

static bool
has(const unsigned char *buf, size_t len, size_t off, const char *magic,
    size_t mlen)
{
	return len >= off + mlen && memcmp(buf + off, magic, mlen) == 0;
}

static bool
find(const unsigned char *buf, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	return len >= n && memmem(buf, len, needle, n) != NULL;
}

/* A zip: ODF (mimetype first, stored), OOXML ([Content_Types].xml), or
 * another archive. The names are looked for in the first and last 64 KiB
 * (local headers and the central directory). */
static enum doc_format
sniff_zip(const unsigned char *buf, size_t len)
{
	size_t win = 65536;
	const unsigned char *tail = len > win ? buf + len - win : buf;
	size_t tlen = len > win ? win : len;
	size_t hlen = len > win ? win : len;

	if (has(buf, len, 30, "mimetype", 8) &&
	    has(buf, len, 38, "application/vnd.oasis.opendocument.", 35))
		return DOC_FMT_ODF;
	if (find(buf, hlen, "[Content_Types].xml") ||
	    find(tail, tlen, "[Content_Types].xml"))
		return DOC_FMT_OOXML;
	return DOC_FMT_ZIP;
}

static bool
header_name(const unsigned char *p, const unsigned char *end,
    const char *name)
{
	size_t n = strlen(name);

	return (size_t)(end - p) > n && strncasecmp((const char *)p, name,
	    n) == 0 && p[n] == ':';
}

/* An RFC 5322 message: the first lines are header fields (name, colon),
 * among them From or Subject and one that only mail has. mbox: "From "
 * then such a message. */
static bool
sniff_mail(const unsigned char *buf, size_t len)
{
	const unsigned char *p = buf, *end = buf + (len > 8192 ? 8192 : len);
	bool from = false, mailish = false;
	int fields = 0;

	if (has(buf, len, 0, "From ", 5)) {
		p = memchr(buf, '\n', (size_t)(end - buf));
		if (p == NULL)
			return false;
		p++;
	}
	while (p < end && *p != '\r' && *p != '\n') {
		const unsigned char *q = p;

		if (*p == ' ' || *p == '\t') {
			/* folded continuation of the previous field */
		} else {
			while (q < end && *q != ':' && *q > ' ' && *q < 127)
				q++;
			if (q == p || q >= end || *q != ':')
				return false;
			fields++;
			if (header_name(p, end, "from") ||
			    header_name(p, end, "subject"))
				from = true;
			if (header_name(p, end, "mime-version") ||
			    header_name(p, end, "received") ||
			    header_name(p, end, "message-id") ||
			    header_name(p, end, "return-path") ||
			    header_name(p, end, "delivered-to") ||
			    header_name(p, end, "x-mailer") ||
			    header_name(p, end, "content-type"))
				mailish = true;
		}
		q = memchr(p, '\n', (size_t)(end - p));
		if (q == NULL)
			break;
		p = q + 1;
	}
	return fields >= 2 && from && mailish;
}

/* Plain text: a BOM, or no NUL and few control bytes in the first 8 KiB;
 * UTF-16 without BOM shows as NUL bytes on every other position. */
static bool
sniff_text(const unsigned char *buf, size_t len)
{
	size_t n = len > 8192 ? 8192 : len, i, nul_even = 0, nul_odd = 0,
	    ctl = 0;

	if (len == 0)
		return false;
	if (has(buf, len, 0, "\xEF\xBB\xBF", 3) ||
	    has(buf, len, 0, "\xFF\xFE", 2) || has(buf, len, 0, "\xFE\xFF", 2))
		return true;
	for (i = 0; i < n; i++) {
		unsigned char c = buf[i];

		if (c == 0) {
			if (i % 2)
				nul_odd++;
			else
				nul_even++;
		} else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
		    c != '\f' && c != 0x1A && c != 0x1B)
			ctl++;
	}
	if (nul_even + nul_odd == 0)
		return ctl * 50 < n;
	/* UTF-16 of mostly Latin/Vietnamese text: one byte of each pair is
	 * NUL far more often than the other. */
	return n >= 4 && (nul_odd * 10 > n * 3 || nul_even * 10 > n * 3) &&
	    (nul_odd == 0 || nul_even == 0 || nul_odd > nul_even * 8 ||
	    nul_even > nul_odd * 8);
}

enum doc_format
doc_sniff(const unsigned char *buf, size_t len, const char *name)
{
	(void)name;
	if (has(buf, len, 0, "PK\x03\x04", 4) || has(buf, len, 0,
	    "PK\x05\x06", 4))
		return sniff_zip(buf, len);
	if (has(buf, len, 0, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
		return DOC_FMT_OLE2;
	if (find(buf, len > 1024 ? 1024 : len, "%PDF-"))
		return DOC_FMT_PDF;
	if (has(buf, len, 0, "{\\rtf", 5))
		return DOC_FMT_RTF;
	if (has(buf, len, 0, "\x89PNG\r\n\x1A\n", 8) ||
	    has(buf, len, 0, "\xFF\xD8\xFF", 3) ||
	    has(buf, len, 0, "II*\0", 4) || has(buf, len, 0, "MM\0*", 4))
		return DOC_FMT_IMAGE;
	if (sniff_mail(buf, len))
		return DOC_FMT_MAIL;
	if (sniff_text(buf, len))
		return DOC_FMT_TEXT;
	return DOC_FMT_UNKNOWN;
}

const char *
doc_format_name(enum doc_format f)
{
	switch (f) {
	case DOC_FMT_TEXT: return "text";
	case DOC_FMT_OOXML: return "ooxml";
	case DOC_FMT_ODF: return "odf";
	case DOC_FMT_ZIP: return "zip";
	case DOC_FMT_OLE2: return "ole2";
	case DOC_FMT_RTF: return "rtf";
	case DOC_FMT_PDF: return "pdf";
	case DOC_FMT_MAIL: return "mail";
	case DOC_FMT_IMAGE: return "image";
	case DOC_FMT_UNKNOWN: break;
	}
	return "unknown";
}

/* --- dispatch ------------------------------------------------------------ */

typedef enum doc_err extract_fn(struct doc_ctx *, const unsigned char *,
    size_t, const char *);

enum doc_err
doc_extract(struct doc_ctx *ctx, const unsigned char *buf, size_t len,
    const char *name)
{
	extract_fn *fn = NULL;
	enum doc_format f;
	enum doc_err e;

	if (ctx->lim != NULL && ctx->depth > ctx->lim->max_depth)
		return doc_fail(ctx, DOC_ERR_TOO_DEEP, "%s: nesting deeper "
		    "than %u", name != NULL ? name : "", ctx->lim->max_depth);
	if (ctx->lim != NULL && ctx->lim->max_file > 0 &&
	    len > ctx->lim->max_file)
		return doc_fail(ctx, DOC_ERR_TOO_LARGE, "%zu bytes", len);
	if (doc_late(ctx))
		return DOC_ERR_TIMEOUT;
	f = doc_sniff(buf, len, name);
	switch (f) {
	case DOC_FMT_TEXT: fn = doc_extract_text; break;
	case DOC_FMT_OOXML: fn = doc_extract_ooxml; break;
	case DOC_FMT_ODF: fn = doc_extract_odf; break;
	case DOC_FMT_ZIP: fn = doc_extract_zip; break;
	case DOC_FMT_OLE2: fn = doc_extract_ole2; break;
	case DOC_FMT_RTF: fn = doc_extract_rtf; break;
	case DOC_FMT_PDF: fn = doc_extract_pdf; break;
	case DOC_FMT_MAIL: fn = doc_extract_mail; break;
	case DOC_FMT_IMAGE:
		if (!ctx->ocr) {
			ctx->scan_unread = true;
			return DOC_OK;
		}
		fn = doc_extract_image;
		break;
	case DOC_FMT_UNKNOWN:
		return DOC_OK;
	}
	e = fn(ctx, buf, len, name);
	if (ctx->stopped && e == DOC_ERR_TIMEOUT)
		return e;
	if (e != DOC_OK)
		doc_fail(ctx, e, "%s", doc_format_name(f));
	return e;
}
