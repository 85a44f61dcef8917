/*
 * html_text.c — the portal monitor's text plumbing (html_parts.h): growing
 * buffers, the FNV-1a hash, ASCII classes, cutting and cleaning UTF-8,
 * collapsing white space, NFC; and turning a page's bytes into UTF-8:
 * binary content refused, the charset taken from HTTP, <meta> or an XML
 * declaration, else UTF-8, else Windows-1258, Windows-1252 or Latin-1
 * (iconv). html.c says why; docs/sites.md.
 */
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "lib/text.h"
#include "site/html_int.h"
#include "site/html_parts.h"
#include "site/site.h"

static const char html_fffd[] = "\xef\xbf\xbd";

/* --- small utilities ------------------------------------------------------ */

void
html_oom(void)
{
	abort();	/* as text_ndup(): out of memory is not recoverable */
}

void
sbuf_reserve(struct sbuf *b, size_t more)
{
	size_t cap;
	char *s;

	if (b->len + more + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < b->len + more + 1)
		cap *= 2;
	if ((s = realloc(b->s, cap)) == NULL)
		html_oom();
	b->s = s;
	b->cap = cap;
}

void
sbuf_add(struct sbuf *b, const void *s, size_t n)
{
	sbuf_reserve(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
sbuf_addc(struct sbuf *b, char c)
{
	sbuf_add(b, &c, 1);
}

void *
html_reallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		html_oom();
	if ((p = realloc(p, n * size)) == NULL)
		html_oom();
	return p;
}


uint64_t
site_html_hash(const void *s, size_t len)
{
	const unsigned char *p = s;
	uint64_t h = 0xcbf29ce484222325ULL;

	while (len-- > 0) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t
html_hash_more(uint64_t h, const char *s)
{
	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

int
html_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

bool
html_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

bool
html_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool
html_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Case-insensitive ASCII comparison of s[0..n) with the lower-case lit. */
bool
html_eq_ci(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lit[i] == '\0' || html_lower((unsigned char)s[i]) != lit[i])
			return false;
	return lit[n] == '\0';
}

/* Length of s[0..len) cut to at most max bytes on a character boundary. */
size_t
html_utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/*
 * Appends in[0..len) to out as valid UTF-8: invalid sequences and NUL
 * become U+FFFD. Returns how many invalid sequences there were (NUL not
 * counted).
 */
static size_t
html_utf8_clean(const unsigned char *in, size_t len, struct sbuf *out)
{
	size_t i = 0, start, bad = 0;

	sbuf_reserve(out, len + 16);
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;

		start = i;
		while (i < len && in[i] < 0x80 && in[i] != 0)
			i++;
		if (i > start)
			sbuf_add(out, in + start, i - start);
		if (i >= len)
			break;
		if (in[i] == 0) {
			sbuf_add(out, html_fffd, 3);
			i++;
			continue;
		}
		n = utf8proc_iterate(in + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0 || cp < 0) {
			sbuf_add(out, html_fffd, 3);
			bad++;
			i++;
			continue;
		}
		sbuf_add(out, in + i, (size_t)n);
		i += (size_t)n;
	}
	sbuf_reserve(out, 0);
	out->s[out->len] = '\0';
	return bad;
}

/*
 * Appends text to a block buffer with white space collapsed: runs of
 * ASCII white space and no-break spaces become one space, none at the
 * start; *space remembers a pending one. Stops at max bytes (on a
 * character boundary). Returns the number of bytes added.
 */
size_t
html_collapse_add(struct sbuf *b, bool *space, const char *s, size_t n,
    size_t max)
{
	size_t i = 0, start, before = b->len;

	while (i < n && b->len < max) {
		unsigned char c = (unsigned char)s[i];

		if (html_space(c)) {
			*space = true;
			i++;
			continue;
		}
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0xa0) {
			*space = true;	/* U+00A0 no-break space */
			i += 2;
			continue;
		}
		if (*space && b->len > 0)
			sbuf_addc(b, ' ');
		*space = false;
		start = i;
		while (i < n && !html_space((unsigned char)s[i]) &&
		    !((unsigned char)s[i] == 0xc2 && i + 1 < n &&
		    (unsigned char)s[i + 1] == 0xa0))
			i++;
		if (b->len + (i - start) > max) {
			sbuf_add(b, s + start, html_utf8_cut(s + start, i - start,
			    max - b->len));
			break;
		}
		sbuf_add(b, s + start, i - start);
	}
	return b->len - before;
}

/*
 * True when valid UTF-8 s[0..len) is certainly NFC: made only of code
 * points that are NFC, of combining class 0 and never the second of a
 * composition — ASCII, Latin-1 to Latin Extended-B, the precomposed
 * Vietnamese letters (Latin Extended Additional), punctuation, currency
 * (₫), arrows, box drawing, full-width forms, U+FFFD (checked against
 * Unicode's data when written). Anything else goes through utf8proc.
 */
static bool
html_is_nfc(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0 && i + 1 < len) {
			cp = ((uint32_t)(s[i] & 0x1f) << 6) | (s[i + 1] & 0x3f);
			i += 2;
		} else if ((s[i] & 0xf0) == 0xe0 && i + 2 < len) {
			cp = ((uint32_t)(s[i] & 0x0f) << 12) |
			    ((uint32_t)(s[i + 1] & 0x3f) << 6) | (s[i + 2] & 0x3f);
			i += 3;
		} else
			return false;
		if (!((cp >= 0xa0 && cp <= 0x24f) || (cp >= 0x1e00 && cp <=
		    0x1eff) || (cp >= 0x2002 && cp <= 0x206f) || (cp >= 0x20a0 &&
		    cp <= 0x20cf) || (cp >= 0x2190 && cp <= 0x21ff) ||
		    (cp >= 0x2500 && cp <= 0x25ff) || (cp >= 0xff00 && cp <=
		    0xffef) || cp == 0xfffd))
			return false;
	}
	return true;
}

/* NFC of a collapsed buffer, malloc'd ("" when empty). */
char *
html_nfc(const struct sbuf *b)
{
	char *s;

	if (b->len == 0)
		return text_dup("");
	if (html_is_nfc(b->s, b->len))
		return text_ndup(b->s, b->len);
	if ((s = text_nfc(b->s, b->len)) == NULL)
		s = text_ndup(b->s, b->len);	/* cannot happen: cleaned */
	return s;
}

/* --- binary content and charsets ---------------------------------------- */

static const struct {
	const char *magic;
	size_t len;
	size_t off;
	const char *name;
} html_magics[] = {
	{ "%PDF-", 5, 0, "PDF" },
	{ "PK\x03\x04", 4, 0, "ZIP" },
	{ "\x89PNG", 4, 0, "PNG" },
	{ "GIF8", 4, 0, "GIF" },
	{ "\xff\xd8\xff", 3, 0, "JPEG" },
	{ "\x1f\x8b", 2, 0, "gzip" },
	{ "\x7f" "ELF", 4, 0, "ELF" },
	{ "Rar!", 4, 0, "RAR" },
	{ "7z\xbc\xaf", 4, 0, "7z" },
	{ "BZh", 3, 0, "bzip2" },
	{ "\xfd" "7zXZ", 5, 0, "xz" },
	{ "\xd0\xcf\x11\xe0", 4, 0, "OLE2" },
	{ "OggS", 4, 0, "Ogg" },
	{ "ID3", 3, 0, "MP3" },
	{ "RIFF", 4, 0, "RIFF" },
	{ "\x1a\x45\xdf\xa3", 4, 0, "Matroska" },
	{ "ftyp", 4, 4, "MP4" },
	{ "wOFF", 4, 0, "WOFF" },
	{ "wOF2", 4, 0, "WOFF2" },
	{ "MZ", 2, 0, "PE" },
	{ "\xca\xfe\xba\xbe", 4, 0, "Mach-O" },
	{ "SQLite format 3", 15, 0, "SQLite" },
};

/* The kind of binary content body starts with, or NULL. */
const char *
html_binary(const unsigned char *b, size_t len)
{
	size_t i, n, ctl = 0;

	if (len >= 2 && ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == 0xfe &&
	    b[1] == 0xff)))
		return NULL;	/* UTF-16 with its byte order mark */
	for (i = 0; i < sizeof(html_magics) / sizeof(html_magics[0]); i++) {
		if (len >= html_magics[i].off + html_magics[i].len &&
		    memcmp(b + html_magics[i].off, html_magics[i].magic,
		    html_magics[i].len) == 0) {
			/* "MZ" and "BZh" also begin words: need more proof */
			if (html_magics[i].len <= 3 && b[0] != 0x1f &&
			    b[0] != 0xff && memchr(b, 0, len < HTML_SNIFF ? len :
			    HTML_SNIFF) == NULL)
				continue;
			return html_magics[i].name;
		}
	}
	n = len < HTML_SNIFF ? len : HTML_SNIFF;
	for (i = 0; i < n; i++) {
		if (b[i] == 0)
			return "NUL";
		if (b[i] < 0x20 && !html_space(b[i]) && b[i] != 0x1b)
			ctl++;
	}
	if (n >= 64 && ctl * 10 > n)
		return "control bytes";
	return NULL;
}

/* Copies a charset label to out, lower case, mapped to the name iconv
 * knows (WHATWG aliases). */
static void
html_charset_name(const char *s, size_t n, char *out, size_t outlen)
{
	size_t i;

	for (i = 0; i < n && i + 1 < outlen; i++)
		out[i] = (char)html_lower((unsigned char)s[i]);
	out[i] = '\0';
	if (strcmp(out, "utf8") == 0 || strcmp(out, "unicode-1-1-utf-8") == 0)
		snprintf(out, outlen, "utf-8");
	else if (strcmp(out, "iso-8859-1") == 0 || strcmp(out, "latin1") ==
	    0 || strcmp(out, "iso8859-1") == 0 || strcmp(out, "us-ascii") ==
	    0 || strcmp(out, "ascii") == 0 || strcmp(out, "cp1252") == 0 ||
	    strcmp(out, "l1") == 0 || strcmp(out, "x-cp1252") == 0)
		snprintf(out, outlen, "windows-1252");
	else if (strcmp(out, "cp1258") == 0 || strcmp(out, "x-cp1258") == 0)
		snprintf(out, outlen, "windows-1258");
	else if (strcmp(out, "utf-16") == 0 || strcmp(out, "unicode") == 0)
		snprintf(out, outlen, "utf-16le");
}

/* Reads a charset value at s (after "charset" or "encoding"). */
static bool
html_charset_value(const unsigned char *s, const unsigned char *end,
    char *out, size_t outlen)
{
	const unsigned char *v;

	while (s < end && html_space(*s))
		s++;
	if (s >= end || *s != '=')
		return false;
	s++;
	while (s < end && (html_space(*s) || *s == '"' || *s == '\''))
		s++;
	for (v = s; s < end && (html_alpha(*s) || html_digit(*s) || *s ==
	    '-' || *s == '_' || *s == '.' || *s == ':'); s++)
		;
	if (s == v || (size_t)(s - v) >= 40)
		return false;
	html_charset_name((const char *)v, (size_t)(s - v), out, outlen);
	return true;
}

/* The charset a page declares in its first 4 KiB (<meta> or <?xml?>). */
static bool
html_sniff_charset(const unsigned char *b, size_t len, char *out,
    size_t outlen)
{
	const unsigned char *end = b + (len < HTML_SNIFF ? len : HTML_SNIFF);
	const unsigned char *p, *tag, *q;

	if (end - b > 5 && memcmp(b, "<?xml", 5) == 0) {
		for (q = b + 5; q + 8 < end && *q != '>'; q++)
			if (html_eq_ci((const char *)q, 8, "encoding") &&
			    html_charset_value(q + 8, end, out, outlen))
				return true;
	}
	for (p = b; p + 6 < end; p++) {
		if (*p != '<' || !html_eq_ci((const char *)p + 1, 4, "meta") ||
		    !(html_space(p[5]) || p[5] == '/'))
			continue;
		tag = p + 5;
		for (q = tag; q < end && *q != '>'; q++)
			;
		for (; tag + 7 < q; tag++)
			if (html_eq_ci((const char *)tag, 7, "charset") &&
			    html_charset_value(tag + 7, q, out, outlen))
				return true;
		p = q - 1;
	}
	return false;
}

/*
 * Converts in[0..len) from charset cs to UTF-8 into out. strict: -1 on the
 * first invalid sequence; else those become U+FFFD. -1 also when iconv
 * does not know cs.
 */
static int
html_iconv(const char *cs, const unsigned char *in, size_t len, bool strict,
    struct sbuf *out)
{
	iconv_t cd;
	char *ip = (char *)(uintptr_t)in, *op;
	size_t il = len, ol, r;

	if ((cd = iconv_open("UTF-8", cs)) == (iconv_t)-1)
		return -1;
	out->len = 0;
	sbuf_reserve(out, len + len / 2 + 64);
	for (;;) {
		op = out->s + out->len;
		ol = out->cap - out->len - 1;
		if (il > 0)
			r = iconv(cd, &ip, &il, &op, &ol);
		else
			r = iconv(cd, NULL, NULL, &op, &ol);	/* flush */
		out->len = (size_t)(op - out->s);
		if (r != (size_t)-1) {
			if (il == 0 && ip == NULL)
				break;
			if (il == 0) {
				ip = NULL;	/* next: the flush */
				continue;
			}
			continue;
		}
		if (errno == E2BIG) {
			sbuf_reserve(out, (il > 0 ? il * 2 : 0) + 64);
			continue;
		}
		if (strict || ip == NULL) {
			iconv_close(cd);
			return -1;
		}
		sbuf_reserve(out, 3);
		sbuf_add(out, html_fffd, 3);	/* EILSEQ or EINVAL */
		ip++;
		il--;
	}
	iconv_close(cd);
	sbuf_reserve(out, 0);
	out->s[out->len] = '\0';
	return 0;
}

/*
 * Decodes the body to clean UTF-8: returns body itself when it is that
 * already, else out's text; *outlen receives its length and used the
 * charset it was read as.
 */
const char *
html_decode(const unsigned char *body, size_t len, const char *charset,
    struct sbuf *out, size_t *outlen, char *used, size_t usedlen)
{
	static const char *const fallback[] = { "windows-1258",
	    "windows-1252" };
	struct sbuf tmp = { 0 };
	char cs[48] = "";
	size_t i;

	if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0) {
		body += 3;
		len -= 3;
		snprintf(cs, sizeof(cs), "utf-8");
	} else if (len >= 2 && body[0] == 0xff && body[1] == 0xfe) {
		body += 2;
		len -= 2;
		snprintf(cs, sizeof(cs), "utf-16le");
	} else if (len >= 2 && body[0] == 0xfe && body[1] == 0xff) {
		body += 2;
		len -= 2;
		snprintf(cs, sizeof(cs), "utf-16be");
	} else if (charset != NULL && *charset != '\0')
		html_charset_name(charset, strlen(charset), cs, sizeof(cs));
	else
		html_sniff_charset(body, len, cs, sizeof(cs));

	out->len = 0;
	if (cs[0] != '\0' && strcmp(cs, "utf-8") != 0) {
		if (html_iconv(cs, body, len, false, &tmp) == 0) {
			html_utf8_clean((unsigned char *)tmp.s, tmp.len, out);
			snprintf(used, usedlen, "%s", cs);
			free(tmp.s);
			*outlen = out->len;
			return out->s;
		}
		cs[0] = '\0';	/* unknown to iconv: as if not said */
	}
	snprintf(used, usedlen, "utf-8");
	*outlen = len;
	if (text_valid_utf8((const char *)body, len))
		return (const char *)body;	/* the common case */
	if (html_utf8_clean(body, len, out) == 0 || cs[0] != '\0') {
		*outlen = out->len;
		return out->s;
	}
	for (i = 0; i < sizeof(fallback) / sizeof(fallback[0]); i++) {
		if (html_iconv(fallback[i], body, len, true, &tmp) == 0) {
			out->len = 0;
			html_utf8_clean((unsigned char *)tmp.s, tmp.len, out);
			snprintf(used, usedlen, "%s", fallback[i]);
			free(tmp.s);
			*outlen = out->len;
			return out->s;
		}
	}
	/* Latin-1 maps every byte */
	out->len = 0;
	sbuf_reserve(out, len * 2);
	for (i = 0; i < len; i++) {
		if (body[i] == 0)
			sbuf_add(out, html_fffd, 3);
		else if (body[i] < 0x80)
			out->s[out->len++] = (char)body[i];
		else {
			out->s[out->len++] = (char)(0xc0 | (body[i] >> 6));
			out->s[out->len++] = (char)(0x80 | (body[i] & 0x3f));
		}
	}
	out->s[out->len] = '\0';
	snprintf(used, usedlen, "iso-8859-1");
	free(tmp.s);
	*outlen = out->len;
	return out->s;
}
