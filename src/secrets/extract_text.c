/*
 * extract_text.c — plain text files for the classified-document finder:
 * UTF-8, UTF-16 (with a byte order mark, or told by its NUL bytes),
 * Windows-1258, and 8-bit text typed with a legacy Vietnamese font
 * (TCVN3, VNI), which is passed on as bytes for the detector to decode.
 * Lines end at \n, \r\n or \r; a form feed starts a new page. Plain text
 * has one part: the sink's SKIP ends it. docs/secrets.md says why.
 */
#include <stdlib.h>
#include <string.h>

#include "secrets/doc.h"

#define TEXT_SAMPLE	65536	/* bytes looked at to tell the encoding */
#define TEXT_MAX_LINE	65536	/* longer lines are cut in pieces */

enum text_enc {
	TE_UTF8,	/* UTF-8 (or ASCII) */
	TE_UTF16LE,
	TE_UTF16BE,
	TE_CP1258,	/* Windows-1258 */
	TE_8BIT,	/* unknown 8-bit: TCVN3, VNI, … */
};

/* Length of the valid UTF-8 sequence at s, 0 when invalid. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return len;
}

/* Whether s is valid UTF-8; *ascii set when it is plain ASCII. A sequence
 * cut by the end of a sample (partial true) does not count against it. */
static bool
utf8_valid(const unsigned char *s, size_t n, bool partial, bool *ascii)
{
	size_t i = 0, k;

	*ascii = true;
	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		*ascii = false;
		if ((k = utf8_seq(s + i, n - i)) == 0)
			return partial && n - i < 4 && (s[i] & 0xC0) == 0xC0;
		i += k;
	}
	return true;
}

/*
 * Windows-1258 writes Vietnamese with a few precomposed letters and five
 * combining tone marks that follow a vowel. Text typed with a legacy font
 * (TCVN3, VNI) read as Windows-1258 shows letters Vietnamese never uses
 * and tone marks after consonants; a tenth of those is enough to refuse.
 */
static bool
cp1258_letter(unsigned c)
{
	static const char set[] = "\xC0\xC1\xC2\xC3\xC8\xC9\xCA\xCD\xD0\xD3"
	    "\xD4\xD5\xD9\xDA\xDD\xE0\xE1\xE2\xE3\xE8\xE9\xEA\xED\xF0\xF3"
	    "\xF4\xF5\xF9\xFA\xFD";

	return c >= 0x80 && strchr(set, (int)c) != NULL;
}

static bool
cp1258_tone(unsigned c)
{
	return c == 0xCC || c == 0xEC || c == 0xD2 || c == 0xDE || c == 0xF2;
}

static bool
cp1258_vowel(unsigned c)
{
	if (c < 0x80)
		return c != 0 && strchr("aeiouyAEIOUY", (int)c) != NULL;
	return cp1258_letter(c) && c != 0xD0 && c != 0xF0;
}

static bool
cp1258_plausible(const unsigned char *s, size_t n)
{
	size_t i, good = 0, bad = 0;

	for (i = 0; i < n; i++) {
		unsigned c = s[i];

		if (c < 0x80 || c == 0xA0)
			continue;
		if (cp1258_tone(c)) {
			if (i > 0 && cp1258_vowel(s[i - 1]))
				good++;
			else
				bad++;
		} else if (cp1258_letter(c))
			good++;
		else if (c >= 0xA1)
			bad++;	/* letters and signs Vietnamese text lacks */
	}
	return good > 0 && bad * 10 <= good;
}

/* UTF-16 without a byte order mark: one byte of each pair is NUL far
 * more often than the other (Latin and Vietnamese text). */
static enum text_enc
utf16_guess(const unsigned char *s, size_t n)
{
	size_t i, even = 0, odd = 0;

	for (i = 0; i < n; i++)
		if (s[i] == 0) {
			if (i % 2)
				odd++;
			else
				even++;
		}
	if (n >= 4 && odd * 10 > n * 3 && odd > even * 8)
		return TE_UTF16LE;
	if (n >= 4 && even * 10 > n * 3 && even > odd * 8)
		return TE_UTF16BE;
	return TE_UTF8;
}

/* The encoding of the file, and where its text starts (after a BOM). */
static enum text_enc
text_encoding(const unsigned char *buf, size_t len, size_t *start)
{
	size_t n = len > TEXT_SAMPLE ? TEXT_SAMPLE : len;
	enum text_enc e;
	bool ascii;

	*start = 0;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		*start = 3;
		return TE_UTF8;
	}
	if (len >= 2 && buf[0] == 0xFF && buf[1] == 0xFE) {
		*start = 2;
		return TE_UTF16LE;
	}
	if (len >= 2 && buf[0] == 0xFE && buf[1] == 0xFF) {
		*start = 2;
		return TE_UTF16BE;
	}
	if (memchr(buf, 0, n) != NULL && (e = utf16_guess(buf, n)) != TE_UTF8)
		return e;
	if (utf8_valid(buf, n, n < len, &ascii))
		return TE_UTF8;
	return cp1258_plausible(buf, n) ? TE_CP1258 : TE_8BIT;
}

/* VIQR writes Vietnamese in ASCII ("MA^.T"): a vowel followed by ^, ( or
 * +. Such a line is passed as 8-bit so the detector tries VIQR too. */
static bool
viqr_like(const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if ((s[i] == '^' || s[i] == '(' || s[i] == '+') &&
		    strchr("aeiouyAEIOUY", s[i - 1]) != NULL && s[i - 1] != 0)
			return true;
	return false;
}

struct text_state {
	struct doc_ctx *ctx;
	enum text_enc enc;
	unsigned page;
	unsigned index;
	size_t passed;		/* bytes of text passed to the sink */
	bool done;
};

/* Passes one line (bytes in the file's encoding) to the sink. */
static enum doc_err
text_line(struct text_state *st, const unsigned char *s, size_t n)
{
	struct doc_line l;
	char *conv = NULL;
	size_t clen = 0;
	bool ascii;
	enum doc_next r;

	memset(&l, 0, sizeof(l));
	l.zone = DOC_ZONE_BODY;
	l.page = st->page;
	l.index = st->index++;
	l.part = "";
	switch (st->enc) {
	case TE_UTF16LE:
	case TE_UTF16BE:
		conv = vienc_from_utf16(s, n, st->enc == TE_UTF16LE, &clen);
		l.enc = DOC_ENC_UNICODE;
		break;
	case TE_UTF8:
		if (utf8_valid(s, n, false, &ascii)) {
			l.text = (const char *)s;
			l.len = n;
			l.enc = ascii && viqr_like(s, n) ?
			    DOC_ENC_UNKNOWN_8BIT : DOC_ENC_UNICODE;
			break;
		}
		/* a stray 8-bit line in UTF-8 text */
		/* FALLTHROUGH */
	case TE_8BIT:
		conv = vienc_bytes_to_utf8(s, n, &clen);
		l.enc = DOC_ENC_UNKNOWN_8BIT;
		break;
	case TE_CP1258:
		if ((conv = vienc_from_cp1258(s, n)) != NULL)
			clen = strlen(conv);
		l.enc = DOC_ENC_UNICODE;
		break;
	}
	if (l.text == NULL) {
		if (conv == NULL)
			return doc_fail(st->ctx, DOC_ERR_NOMEM, "line %u",
			    l.index + 1);
		l.text = conv;
		l.len = clen;
	}
	st->passed += n;
	r = doc_emit(st->ctx, &l);
	free(conv);
	if (r != DOC_NEXT_MORE || st->passed >= st->ctx->lim->max_text)
		st->done = true;
	return DOC_OK;
}

/* Code unit i of the text (bytes or UTF-16 units). */
static unsigned
text_unit(const unsigned char *s, size_t i, enum text_enc enc)
{
	if (enc == TE_UTF16LE)
		return (unsigned)s[2 * i] | (unsigned)s[2 * i + 1] << 8;
	if (enc == TE_UTF16BE)
		return (unsigned)s[2 * i] << 8 | (unsigned)s[2 * i + 1];
	return s[i];
}

/* Where to cut an overlong line of n units so that no character is split. */
static size_t
text_cut(const unsigned char *s, size_t n, enum text_enc enc)
{
	size_t k = n;

	if (enc == TE_UTF8) {
		while (k > n - 4 && (s[k] & 0xC0) == 0x80)
			k--;
	} else if (enc == TE_UTF16LE || enc == TE_UTF16BE) {
		unsigned u = text_unit(s, k - 1, enc);

		if (u >= 0xD800 && u < 0xDC00)
			k--;
	}
	return k;
}

enum doc_err
doc_extract_text(struct doc_ctx *ctx, const unsigned char *buf, size_t len,
    const char *name)
{
	struct text_state st;
	const unsigned char *s;
	size_t start, n, i, from, w;
	enum doc_err e = DOC_OK;

	(void)name;
	if (len == 0)
		return DOC_OK;
	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	st.page = 1;
	st.enc = text_encoding(buf, len, &start);
	s = buf + start;
	w = st.enc == TE_UTF16LE || st.enc == TE_UTF16BE ? 2 : 1;
	n = (len - start) / w;
	from = 0;
	for (i = 0; i <= n && !st.done && e == DOC_OK; i++) {
		unsigned u = i < n ? text_unit(s, i, st.enc) : '\n';

		if (u == '\n' || u == '\r' || u == '\f') {
			if (i > from || (u != '\f' && i < n))
				e = text_line(&st, s + from * w, (i - from) * w);
			if (u == '\r' && i + 1 < n &&
			    text_unit(s, i + 1, st.enc) == '\n')
				i++;
			if (u == '\f')
				st.page++;
			from = i + 1;
		} else if (i - from >= TEXT_MAX_LINE / w) {
			size_t k = text_cut(s + from * w, i - from, st.enc);

			e = text_line(&st, s + from * w, k * w);
			from += k;
		}
	}
	if (e == DOC_OK && ctx->err == DOC_ERR_TIMEOUT)
		e = DOC_ERR_TIMEOUT;
	return e;
}
