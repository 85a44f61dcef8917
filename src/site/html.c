/*
 * html.c — the portal monitor's HTML normaliser: turns a fetched page
 * (untrusted bytes, any charset, any amount of broken markup) into the
 * struct site_page of site.h that baseline.c and detect.c compare: title,
 * meta, text blocks (visible and hidden), links, scripts, frames and a
 * structure signature. Read docs/sites.md for the whole monitor.
 *
 * Decoding: the charset given (HTTP header), else <meta charset> or
 * <meta http-equiv=content-type> (or an XML declaration) in the first
 * 4 KiB, else UTF-8; bytes that are not UTF-8 with no charset said are
 * tried as Windows-1258 (Vietnamese), then Windows-1252, then Latin-1.
 * Decoding is done here with iconv, then libxml2's HTML parser reads UTF-8
 * from memory (recover, no network, no entity loading, never HUGE) with
 * a SAX hook that stops it after 20,000 elements and drops comments and
 * processing instructions, so a hostile page cannot grow the tree.
 *
 * Hidden content: an element is hidden by its inline style or by simple
 * rules of the page's <style> elements. Understood: display:none,
 * visibility:hidden|collapse (undone by a visible child), opacity <= 0.01,
 * font-size (or the font shorthand) <= 2px (undone by a child's absolute
 * font size), height/width (or max-) <= 1px with overflow hidden,
 * position absolute|fixed with left/top/right/bottom <= -500px (or
 * -100%), margin-left/top <= -500px, text-indent <= -500px, and the
 * hidden attribute; <noscript> and <noframes> contents count as hidden.
 * Selectors understood: tag, .class, #id, tag.class, tag#id, in comma
 * lists; applied in the order tag, class, id, inline, each in source
 * order. Not understood (ignored): combinators, pseudo-classes, attribute
 * selectors, @media and other at-rules, external stylesheets, clip,
 * transforms, colours.
 *
 * Blocks: the own text of block elements (and of an element whose
 * hiddenness differs from its block's), in document order; a path is
 * "html/body/div#main/ul/li[3]": names, "#id" (then no index: an id
 * names it well enough), "[n]" among same-named siblings when n > 1.
 * Links, scripts and frames are resolved against <base href> or the
 * page's URL (libcurl's URL API; plain cases without it, identically).
 *
 * "The same site" (site_domain): the registrable domain under public
 * suffix list semantics with a small built-in list in which gov.vn,
 * edu.vn, com.vn … are suffixes, so www.thaihoa.hue.gov.vn -> hue.gov.vn:
 * a ward portal's links to its province's other portals are not foreign.
 * Other names: the last two labels; IP literals are their own domain.
 */
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <utf8proc.h>

#include "lib/text.h"
#include "site/html_int.h"
#include "site/site.h"

#define HTML_MAX_INPUT		(16u << 20)	/* bytes given to the parser */
#define HTML_MAX_ELEMENTS	20000
#define HTML_MAX_DEPTH		256
#define HTML_MAX_TEXT		(1u << 20)	/* all block texts */
#define HTML_MAX_ATTRS		64		/* per element */
#define HTML_MAX_PARSE_ATTRS	128		/* per tag, read by libxml2 */
#define HTML_MAX_SCRIPT		(64u << 10)	/* inline text kept */
#define HTML_MAX_SHAPE		4096
#define HTML_MAX_META		64
#define HTML_MAX_META_KEY	64
#define HTML_MAX_META_VALUE	1024
#define HTML_MAX_LINK_TEXT	1024
#define HTML_MAX_URL		8192
#define HTML_MAX_RAW_URL	2048		/* non-http(s) hrefs kept */
#define HTML_MAX_PATH		2048
#define HTML_MAX_ID		64		/* of an id in a path */
#define HTML_MAX_LANG		35
#define HTML_MAX_CSS		(256u << 10)
#define HTML_MAX_RULES		1024
#define HTML_MAX_CLASSES	16
#define HTML_MAX_NAMES		64		/* distinct child names counted */
#define HTML_SNIFF		4096

#define HTML_OPTIONS	(HTML_PARSE_RECOVER | HTML_PARSE_NONET | \
	HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT | \
	HTML_PARSE_IGNORE_ENC)

static const char html_fffd[] = "\xef\xbf\xbd";

/* --- small utilities ------------------------------------------------------ */

struct sbuf {
	char	*s;
	size_t	 len, cap;
};

static void
html_oom(void)
{
	abort();	/* as text_ndup(): out of memory is not recoverable */
}

static void
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

static void
sbuf_add(struct sbuf *b, const void *s, size_t n)
{
	sbuf_reserve(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
sbuf_addc(struct sbuf *b, char c)
{
	sbuf_add(b, &c, 1);
}

static void *
html_reallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		html_oom();
	if ((p = realloc(p, n * size)) == NULL)
		html_oom();
	return p;
}

/* Grows an array of *cap elements to hold one more. */
#define HTML_GROW(arr, n, cap) do {					\
	if ((n) == (cap)) {						\
		(cap) = (cap) ? (cap) * 2 : 16;				\
		(arr) = html_reallocarray((arr), (cap), sizeof(*(arr)));	\
	}								\
} while (0)

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

static uint64_t
html_hash_more(uint64_t h, const char *s)
{
	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int
html_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool
html_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool
html_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
html_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Case-insensitive ASCII comparison of s[0..n) with the lower-case lit. */
static bool
html_eq_ci(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lit[i] == '\0' || html_lower((unsigned char)s[i]) != lit[i])
			return false;
	return lit[n] == '\0';
}

/* Length of s[0..len) cut to at most max bytes on a character boundary. */
static size_t
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
static size_t
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
static char *
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
static const char *
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
static const char *
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

/* --- CSS: the few declarations that hide --------------------------------- */

enum { FONT_UNSET = -1, FONT_OK = 0, FONT_TINY = 1, FONT_REL = 2 };

/* Each member: -1 not said, 0 said and not hiding, 1 hiding. */
struct css_props {
	signed char display, visibility, opacity, font, height, width,
	    overflow, position, left, top, right, bottom, mleft, mtop, indent;
};

enum css_kind { CSS_TAG, CSS_CLASS, CSS_ID };

struct css_rule {
	enum css_kind kind;
	char name[64];
	char tag[16];		/* "" or the tag it is restricted to */
	unsigned order;
	struct css_props pr;
};

struct html_css {
	struct css_rule *r;
	size_t n, cap;
	size_t bytes;		/* CSS text read */
	unsigned order;
};

static void
css_props_init(struct css_props *pr)
{
	memset(pr, -1, sizeof(*pr));
}

static bool
css_props_any(const struct css_props *pr)
{
	const signed char *c = (const signed char *)pr;
	size_t i;

	for (i = 0; i < sizeof(*pr); i++)
		if (c[i] != -1)
			return true;
	return false;
}

static void
css_props_merge(struct css_props *dst, const struct css_props *src)
{
	signed char *d = (signed char *)dst;
	const signed char *s = (const signed char *)src;
	size_t i;

	for (i = 0; i < sizeof(*dst); i++)
		if (s[i] != -1)
			d[i] = s[i];
}

/* Hiding that a child cannot undo. */
static bool
css_props_hard(const struct css_props *pr)
{
	return pr->display == 1 || pr->opacity == 1 ||
	    ((pr->height == 1 || pr->width == 1) && pr->overflow == 1) ||
	    (pr->position == 1 && (pr->left == 1 || pr->top == 1 ||
	    pr->right == 1 || pr->bottom == 1)) || pr->mleft == 1 ||
	    pr->mtop == 1 || pr->indent == 1;
}

enum css_unit { CSS_ABS, CSS_REL, CSS_PCT };

/*
 * Parses a CSS length at *s (advanced past it) into px (em/rem/ex as 16px
 * or 8px of a 16px parent; % and viewport units in percent).
 */
static bool
css_length(const char **s, const char *end, double *v, enum css_unit *u)
{
	const char *p = *s, *unit;
	double x = 0, scale = 1;
	bool neg = false, digits = false;
	size_t ulen;

	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	while (p < end && html_digit(*p)) {
		if (x < 1e9)
			x = x * 10 + (*p - '0');
		p++;
		digits = true;
	}
	if (p < end && *p == '.') {
		for (p++; p < end && html_digit(*p); p++) {
			if (scale > 1e-9) {
				scale /= 10;
				x += (*p - '0') * scale;
			}
			digits = true;
		}
	}
	if (!digits)
		return false;
	for (unit = p; p < end && (html_alpha(*p) || *p == '%'); p++)
		;
	ulen = (size_t)(p - unit);
	*u = CSS_ABS;
	if (ulen == 0 || html_eq_ci(unit, ulen, "px"))
		;
	else if (html_eq_ci(unit, ulen, "pt"))
		x = x * 4 / 3;
	else if (html_eq_ci(unit, ulen, "pc"))
		x *= 16;
	else if (html_eq_ci(unit, ulen, "in"))
		x *= 96;
	else if (html_eq_ci(unit, ulen, "cm"))
		x *= 37.8;
	else if (html_eq_ci(unit, ulen, "mm"))
		x *= 3.78;
	else if (html_eq_ci(unit, ulen, "rem"))
		x *= 16;
	else if (html_eq_ci(unit, ulen, "em")) {
		x *= 16;
		*u = CSS_REL;
	} else if (html_eq_ci(unit, ulen, "ex") || html_eq_ci(unit, ulen,
	    "ch")) {
		x *= 8;
		*u = CSS_REL;
	} else if (html_eq_ci(unit, ulen, "%") || html_eq_ci(unit, ulen,
	    "vw") || html_eq_ci(unit, ulen, "vh") || html_eq_ci(unit, ulen,
	    "vmin") || html_eq_ci(unit, ulen, "vmax"))
		*u = CSS_PCT;
	else
		return false;
	*v = neg ? -x : x;
	*s = p;
	return true;
}

/* A whole value that is one length. */
static bool
css_length_value(const char *s, size_t n, double *v, enum css_unit *u)
{
	const char *end = s + n;

	return css_length(&s, end, v, u) && s == end;
}

static signed char
css_offscreen(const char *v, size_t n)
{
	enum css_unit u;
	double x;

	if (!css_length_value(v, n, &x, &u))
		return 0;
	return u == CSS_PCT ? x <= -100 : x <= -500;
}

static signed char
css_zero_size(const char *v, size_t n)
{
	enum css_unit u;
	double x;

	if (!css_length_value(v, n, &x, &u))
		return 0;
	return u == CSS_PCT ? x <= 0.5 : x <= 1;
}

static signed char
css_font_size(const char *v, size_t n)
{
	enum css_unit u;
	double x;

	if (!css_length_value(v, n, &x, &u))
		return FONT_OK;		/* keywords: small, medium, … */
	if (u == CSS_PCT)
		return x <= 12.5 ? FONT_TINY : FONT_REL;
	if (x <= 2)
		return FONT_TINY;
	return u == CSS_REL ? FONT_REL : FONT_OK;
}

/* The size in a font shorthand ("bold 0/0 a", "12px Arial"). */
static signed char
css_font_shorthand(const char *v, size_t n)
{
	const char *p = v, *end = v + n, *tok;
	enum css_unit u;
	double x;

	while (p < end) {
		while (p < end && html_space(*p))
			p++;
		tok = p;
		if (p < end && (html_digit(*p) || *p == '.') &&
		    css_length(&p, end, &x, &u) && (p == end || *p == '/' ||
		    html_space(*p)))
			return css_font_size(tok, (size_t)(p - tok));
		while (p < end && !html_space(*p))
			p++;
	}
	return FONT_UNSET;
}

/* margin shorthand: 1 to 4 values; top is the first, left the 4th, 2nd
 * or 1st. */
static void
css_margin(const char *v, size_t n, struct css_props *pr)
{
	const char *p = v, *end = v + n, *tok[4];
	size_t len[4], k = 0;

	while (p < end && k < 4) {
		while (p < end && html_space(*p))
			p++;
		if (p >= end)
			break;
		tok[k] = p;
		while (p < end && !html_space(*p))
			p++;
		len[k] = (size_t)(p - tok[k]);
		k++;
	}
	if (k == 0)
		return;
	pr->mtop = css_offscreen(tok[0], len[0]);
	k = k == 4 ? 3 : k >= 2 ? 1 : 0;
	pr->mleft = css_offscreen(tok[k], len[k]);
}

/* One declaration: prop and value trimmed, value without !important. */
static void
css_decl(const char *prop, size_t plen, const char *v, size_t vlen,
    struct css_props *pr)
{
	enum css_unit u;
	double x;

#define IS(s) html_eq_ci(prop, plen, s)
#define VAL(s) html_eq_ci(v, vlen, s)
	if (IS("display"))
		pr->display = VAL("none");
	else if (IS("visibility")) {
		if (VAL("hidden") || VAL("collapse"))
			pr->visibility = 1;
		else if (VAL("visible"))
			pr->visibility = 0;
	} else if (IS("opacity")) {
		if (css_length_value(v, vlen, &x, &u))
			pr->opacity = u == CSS_PCT ? x <= 1 : x <= 0.01;
	} else if (IS("font-size"))
		pr->font = css_font_size(v, vlen);
	else if (IS("font")) {
		signed char f = css_font_shorthand(v, vlen);

		if (f != FONT_UNSET)
			pr->font = f;
	} else if (IS("height") || IS("max-height"))
		pr->height = css_zero_size(v, vlen);
	else if (IS("width") || IS("max-width"))
		pr->width = css_zero_size(v, vlen);
	else if (IS("overflow") || IS("overflow-x") || IS("overflow-y"))
		pr->overflow = VAL("hidden") || VAL("clip");
	else if (IS("position"))
		pr->position = VAL("absolute") || VAL("fixed");
	else if (IS("left"))
		pr->left = css_offscreen(v, vlen);
	else if (IS("top"))
		pr->top = css_offscreen(v, vlen);
	else if (IS("right"))
		pr->right = css_offscreen(v, vlen);
	else if (IS("bottom"))
		pr->bottom = css_offscreen(v, vlen);
	else if (IS("margin-left"))
		pr->mleft = css_offscreen(v, vlen);
	else if (IS("margin-top"))
		pr->mtop = css_offscreen(v, vlen);
	else if (IS("margin"))
		css_margin(v, vlen, pr);
	else if (IS("text-indent"))
		pr->indent = css_offscreen(v, vlen);
#undef IS
#undef VAL
}

/* Trims s[0..*n) of white space. */
static const char *
css_trim(const char *s, size_t *n)
{
	while (*n > 0 && html_space(*s)) {
		s++;
		(*n)--;
	}
	while (*n > 0 && html_space(s[*n - 1]))
		(*n)--;
	return s;
}

/* Parses a declaration list ("display:none; color:red") into pr. */
static void
css_decls(const char *s, size_t n, struct css_props *pr)
{
	const char *end = s + n, *d, *colon, *v;
	size_t plen, vlen;
	char q;

	while (s < end) {
		d = s;
		colon = NULL;
		for (q = 0; s < end && (q != 0 || *s != ';'); s++) {
			if (q != 0 && *s == q)
				q = 0;
			else if (q == 0 && (*s == '"' || *s == '\''))
				q = *s;
			else if (q == 0 && *s == ':' && colon == NULL)
				colon = s;
		}
		if (colon != NULL) {
			plen = (size_t)(colon - d);
			d = css_trim(d, &plen);
			vlen = (size_t)(s - colon - 1);
			v = css_trim(colon + 1, &vlen);
			if (vlen >= 10 && html_eq_ci(v + vlen - 10, 10,
			    "!important"))
				vlen -= 10;
			else if (vlen >= 9 && html_eq_ci(v + vlen - 9, 9,
			    "important")) {
				/* "! important" */
				const char *b = v + vlen - 9;

				while (b > v && html_space(b[-1]))
					b--;
				if (b > v && b[-1] == '!')
					vlen = (size_t)(b - 1 - v);
			}
			v = css_trim(v, &vlen);
			if (plen > 0 && plen < 32 && vlen < 128)
				css_decl(d, plen, v, vlen, pr);
		}
		if (s < end)
			s++;
	}
}

static bool
css_name_char(int c)
{
	return html_alpha(c) || html_digit(c) || c == '-' || c == '_' ||
	    c >= 0x80;
}

/* Adds the simple selectors of a comma list with their declarations. */
static void
css_add_selectors(struct html_css *css, const char *s, size_t n,
    const struct css_props *pr, unsigned order)
{
	const char *end = s + n, *sel, *p, *name;
	size_t len, tlen, nlen;
	struct css_rule *r;

	while (s < end) {
		for (sel = s; s < end && *s != ','; s++)
			;
		len = (size_t)(s - sel);
		if (s < end)
			s++;
		sel = css_trim(sel, &len);
		p = sel;
		for (tlen = 0; tlen < len && (html_alpha(p[tlen]) ||
		    (tlen > 0 && (html_digit(p[tlen]) || p[tlen] == '-')));
		    tlen++)
			;
		if (tlen >= sizeof(r->tag))
			continue;
		p += tlen;
		name = NULL;
		nlen = 0;
		if (p < sel + len && (*p == '.' || *p == '#')) {
			for (name = p + 1; name + nlen < sel + len &&
			    css_name_char((unsigned char)name[nlen]); nlen++)
				;
			if (nlen == 0 || name + nlen != sel + len)
				continue;
		} else if (tlen == 0 || p != sel + len)
			continue;
		if (nlen >= sizeof(r->name) || css->n >= HTML_MAX_RULES)
			continue;
		HTML_GROW(css->r, css->n, css->cap);
		r = &css->r[css->n++];
		memset(r, 0, sizeof(*r));
		for (size_t i = 0; i < tlen; i++)
			r->tag[i] = (char)html_lower((unsigned char)sel[i]);
		if (name == NULL) {
			r->kind = CSS_TAG;
			memcpy(r->name, r->tag, tlen + 1);
			r->tag[0] = '\0';
		} else {
			r->kind = *p == '.' ? CSS_CLASS : CSS_ID;
			memcpy(r->name, name, nlen);
		}
		r->order = order;
		r->pr = *pr;
	}
}

/* Index past the block that opens at s[i] == '{' (nested, with strings). */
static size_t
css_skip_block(const char *s, size_t n, size_t i)
{
	size_t depth = 0;
	char q = 0;

	for (; i < n; i++) {
		if (q != 0) {
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'')
			q = s[i];
		else if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && --depth == 0)
			return i + 1;
	}
	return n;
}

/* Reads one style sheet (the text of a <style> element). */
static void
css_sheet(struct html_css *css, const char *text, size_t len)
{
	struct sbuf b = { 0 };
	struct css_props pr;
	size_t i, j, sel;
	char q;

	if (css->bytes >= HTML_MAX_CSS)
		return;
	if (len > HTML_MAX_CSS - css->bytes)
		len = HTML_MAX_CSS - css->bytes;
	css->bytes += len;
	/* comments, <!-- and --> become spaces */
	sbuf_reserve(&b, len);
	for (i = 0; i < len; i++) {
		if (text[i] == '/' && i + 1 < len && text[i + 1] == '*') {
			for (i += 2; i + 1 < len && !(text[i] == '*' &&
			    text[i + 1] == '/'); i++)
				;
			i++;
			sbuf_addc(&b, ' ');
		} else if (text[i] == '<' && i + 3 < len &&
		    memcmp(text + i, "<!--", 4) == 0) {
			i += 3;
			sbuf_addc(&b, ' ');
		} else if (text[i] == '-' && i + 2 < len &&
		    memcmp(text + i, "-->", 3) == 0) {
			i += 2;
			sbuf_addc(&b, ' ');
		} else
			sbuf_addc(&b, text[i]);
	}
	for (i = 0; i < b.len; ) {
		while (i < b.len && (html_space(b.s[i]) || b.s[i] == '}' ||
		    b.s[i] == ';'))
			i++;
		if (i >= b.len)
			break;
		/* the prelude: a selector list or an at-rule */
		for (sel = i, q = 0; i < b.len && (q != 0 || (b.s[i] != '{' &&
		    !(b.s[sel] == '@' && b.s[i] == ';'))); i++) {
			if (q != 0 && b.s[i] == q)
				q = 0;
			else if (q == 0 && (b.s[i] == '"' || b.s[i] == '\''))
				q = b.s[i];
		}
		if (i >= b.len)
			break;
		if (b.s[i] == ';') {		/* @import …; @charset …; */
			i++;
			continue;
		}
		j = css_skip_block(b.s, b.len, i);
		if (b.s[sel] != '@') {
			size_t e = b.s[j - 1] == '}' && j - 1 > i ? j - 1 : j;

			css_props_init(&pr);
			css_decls(b.s + i + 1, e - i - 1, &pr);
			if (css_props_any(&pr))
				css_add_selectors(css, b.s + sel, i - sel, &pr,
				    css->order++);
		}
		i = j;
	}
	free(b.s);
}

static int
css_rule_cmp(const void *a, const void *b)
{
	const struct css_rule *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Appends the rules of kind and name (that apply to tag) to m[*nm]. */
static void
css_find(const struct html_css *css, enum css_kind kind, const char *name,
    const char *tag, const struct css_rule **m, size_t *nm, size_t max)
{
	struct css_rule key;
	size_t lo = 0, hi = css->n, mid;

	key.kind = kind;
	if (strlen(name) >= sizeof(key.name))
		return;
	strcpy(key.name, name);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (css_rule_cmp(&css->r[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < css->n && css_rule_cmp(&css->r[lo], &key) == 0; lo++)
		if (*nm < max && (css->r[lo].tag[0] == '\0' ||
		    strcmp(css->r[lo].tag, tag) == 0))
			m[(*nm)++] = &css->r[lo];
}

static int
css_match_cmp(const void *a, const void *b)
{
	const struct css_rule *x = *(const struct css_rule *const *)a;
	const struct css_rule *y = *(const struct css_rule *const *)b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The declarations of the rules matching an element, in cascade order. */
static void
css_match(const struct html_css *css, const char *tag, const char *id,
    const char *cls, struct css_props *pr)
{
	const struct css_rule *m[32];
	size_t nm = 0, i, k, nclass = 0;
	char name[64];

	css_find(css, CSS_TAG, tag, tag, m, &nm, 32);
	while (cls != NULL && *cls != '\0' && nclass < HTML_MAX_CLASSES) {
		while (html_space(*cls))
			cls++;
		for (k = 0; cls[k] != '\0' && !html_space(cls[k]); k++)
			;
		if (k > 0 && k < sizeof(name)) {
			memcpy(name, cls, k);
			name[k] = '\0';
			css_find(css, CSS_CLASS, name, tag, m, &nm, 32);
			nclass++;
		}
		cls += k;
	}
	if (id != NULL && *id != '\0' && strlen(id) < sizeof(name))
		css_find(css, CSS_ID, id, tag, m, &nm, 32);
	if (nm > 1)
		qsort(m, nm, sizeof(m[0]), css_match_cmp);
	for (i = 0; i < nm; i++)
		css_props_merge(pr, &m[i]->pr);
}

/* --- URLs and domains ---------------------------------------------------- */

/*
 * A malloc'd copy of what libcurl returned, made valid UTF-8: libcurl
 * decodes a host's percent escapes ("jun%8e.example"), so its bytes are
 * encoded again when they are not UTF-8 or are control characters.
 */
static char *
html_curl_str(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct sbuf b = { 0 };
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			break;
	if (i == n && text_valid_utf8(s, n))
		return text_ndup(s, n);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f) {
			sbuf_addc(&b, '%');
			sbuf_addc(&b, hex[c >> 4]);
			sbuf_addc(&b, hex[c & 15]);
		} else
			sbuf_addc(&b, (char)c);
	}
	return b.s;
}

static void
html_lower_str(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)html_lower((unsigned char)*s);
}

/* Host (lower case, no trailing dot) of a parsed URL when http(s). */
static char *
html_curlu_host(CURLU *u)
{
	char *scheme = NULL, *host = NULL, *ret = NULL;
	size_t n;

	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    *host == '\0')
		goto out;
	ret = html_curl_str(host);
	html_lower_str(ret);
	n = strlen(ret);
	while (n > 1 && ret[n - 1] == '.')
		ret[--n] = '\0';
out:
	curl_free(scheme);
	curl_free(host);
	return ret;
}

char *
site_url_host(const char *url)
{
	CURLU *u;
	char *host = NULL;

	if (url == NULL || (u = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_ALLOW_SPACE |
	    CURLU_URLENCODE) == CURLUE_OK)
		host = html_curlu_host(u);
	curl_url_cleanup(u);
	return host;
}

/* Public suffixes that have registrable names under them (beyond TLDs). */
static const char *const html_suffixes[] = {
	/* Viet Nam (VNNIC second levels and the province names) */
	"ac.vn", "ai.vn", "biz.vn", "com.vn", "edu.vn", "gov.vn", "health.vn",
	"id.vn", "info.vn", "int.vn", "io.vn", "name.vn", "net.vn", "org.vn",
	"pro.vn",
	"angiang.vn", "bacgiang.vn", "backan.vn", "baclieu.vn", "bacninh.vn",
	"baria-vungtau.vn", "bentre.vn", "binhdinh.vn", "binhduong.vn",
	"binhphuoc.vn", "binhthuan.vn", "camau.vn", "cantho.vn", "caobang.vn",
	"daklak.vn", "daknong.vn", "danang.vn", "dienbien.vn", "dongnai.vn",
	"dongthap.vn", "gialai.vn", "hagiang.vn", "haiduong.vn",
	"haiphong.vn", "hanam.vn", "hanoi.vn", "hatinh.vn", "haugiang.vn",
	"hoabinh.vn", "hungyen.vn", "khanhhoa.vn", "kiengiang.vn",
	"kontum.vn", "laichau.vn", "lamdong.vn", "langson.vn", "laocai.vn",
	"longan.vn", "namdinh.vn", "nghean.vn", "ninhbinh.vn", "ninhthuan.vn",
	"phutho.vn", "phuyen.vn", "quangbinh.vn", "quangnam.vn",
	"quangngai.vn", "quangninh.vn", "quangtri.vn", "soctrang.vn",
	"sonla.vn", "tayninh.vn", "thaibinh.vn", "thainguyen.vn",
	"thanhhoa.vn", "thanhphohochiminh.vn", "thuathienhue.vn",
	"tiengiang.vn", "travinh.vn", "tuyenquang.vn", "vinhlong.vn",
	"vinhphuc.vn", "yenbai.vn",
	/* elsewhere, the ones met on portals and in spam */
	"co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au",
	"com.cn", "net.cn", "com.hk", "com.sg", "com.my", "co.jp", "co.kr",
	"co.th", "in.th", "com.tw", "co.id", "com.ph", "co.in", "com.br",
	/* shared hosting where each name is its own owner */
	"blogspot.com", "github.io", "gitlab.io", "netlify.app",
	"vercel.app", "pages.dev", "workers.dev", "web.app",
	"firebaseapp.com", "herokuapp.com", "appspot.com",
	"azurewebsites.net", "cloudfront.net", "s3.amazonaws.com",
	"glitch.me", "ngrok.io", "ngrok-free.app", "weebly.com", "wixsite.com",
};

static bool
html_is_suffix(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(html_suffixes) / sizeof(html_suffixes[0]); i++)
		if (strcmp(s, html_suffixes[i]) == 0)
			return true;
	return false;
}

char *
site_domain(const char *host)
{
	char *h, *p, *prev = NULL;
	size_t n;
	bool ip = true;

	if (host == NULL || *host == '\0')
		return NULL;
	h = text_dup(host);
	html_lower_str(h);
	n = strlen(h);
	while (n > 1 && h[n - 1] == '.')
		h[--n] = '\0';
	for (p = h; *p != '\0'; p++)
		if (!html_digit(*p) && *p != '.')
			ip = false;
	if (ip || strchr(h, ':') != NULL || h[0] == '[')
		return h;
	/* from the left, the first (longest) suffix: the label before it */
	for (p = h; p != NULL; prev = p, p = (p = strchr(p, '.')) ? p + 1 :
	    NULL) {
		if (strchr(p, '.') == NULL || html_is_suffix(p)) {
			if (prev != NULL && prev != h)
				memmove(h, prev, strlen(prev) + 1);
			return h;
		}
	}
	return h;
}

/* --- the walk ------------------------------------------------------------ */

struct html_attrs {
	const char *id, *cls, *style, *href, *src, *data, *width, *height,
	    *name, *property, *http_equiv, *content, *lang, *alt;
	bool hidden;
};

struct html_frame {
	size_t pathlen;		/* path length before this element */
	size_t nc_base;		/* its children's name counters */
	uint64_t shape;
	bool hard, vis, tiny;	/* hidden by: itself or an ancestor; a
				   visibility and a font that may be undone */
	bool notext;		/* its text is not page text (head) */
	bool block, link;	/* it opened a block, a link */
	bool title;
};

struct html_open {		/* a block or link being collected */
	size_t idx;
	struct sbuf text;
	bool space;
	bool hidden;
};

struct html_namecount {
	const xmlChar *name;
	unsigned n;
};

struct html_walk {
	struct site_page *p;
	struct html_css css;
	CURLU *base;		/* NULL when base_url is not absolute */
	char *base_nofrag;	/* base without its fragment */
	char *base_host;
	size_t origin_len;	/* "https://host:port" in base_nofrag */
	size_t dir_len;		/* … up to the last '/' of the path */
	size_t path_end;	/* … up to the query */
	bool base_simple;	/* http(s), no user name: fast path allowed */
	struct sbuf path;
	struct html_namecount *nc;
	size_t nnc, capnc;
	struct html_frame frames[HTML_MAX_DEPTH + 1];
	size_t depth;
	struct html_open blocks[HTML_MAX_DEPTH + 2];
	size_t nb;
	struct html_open links[HTML_MAX_DEPTH + 2];
	size_t nl;
	uint64_t *shapes;	/* a set: open addressing, 0 is empty */
	size_t nshapes, capshapes;
	size_t capblocks, caplinks, capscripts, capframes;
	size_t nelem, textlen;
	bool truncated, stop, title_done;
};

static const char *
html_prop_value(xmlAttrPtr a)
{
	if (a->children == NULL)
		return "";
	if (a->children->type == XML_TEXT_NODE && a->children->next == NULL &&
	    a->children->content != NULL)
		return (const char *)a->children->content;
	return "";
}

static void
html_attrs(xmlNodePtr node, struct html_attrs *at)
{
	xmlAttrPtr a;
	const char *n;

	memset(at, 0, sizeof(*at));
	for (a = node->properties; a != NULL; a = a->next) {
		n = (const char *)a->name;
		switch (n[0]) {
		case 'a':
			if (strcmp(n, "alt") == 0)
				at->alt = html_prop_value(a);
			break;
		case 'c':
			if (strcmp(n, "class") == 0)
				at->cls = html_prop_value(a);
			else if (strcmp(n, "content") == 0)
				at->content = html_prop_value(a);
			break;
		case 'd':
			if (strcmp(n, "data") == 0)
				at->data = html_prop_value(a);
			break;
		case 'h':
			if (strcmp(n, "href") == 0)
				at->href = html_prop_value(a);
			else if (strcmp(n, "hidden") == 0)
				at->hidden = true;
			else if (strcmp(n, "height") == 0)
				at->height = html_prop_value(a);
			else if (strcmp(n, "http-equiv") == 0)
				at->http_equiv = html_prop_value(a);
			break;
		case 'i':
			if (strcmp(n, "id") == 0)
				at->id = html_prop_value(a);
			break;
		case 'l':
			if (strcmp(n, "lang") == 0)
				at->lang = html_prop_value(a);
			break;
		case 'n':
			if (strcmp(n, "name") == 0)
				at->name = html_prop_value(a);
			break;
		case 'p':
			if (strcmp(n, "property") == 0)
				at->property = html_prop_value(a);
			break;
		case 's':
			if (strcmp(n, "style") == 0)
				at->style = html_prop_value(a);
			else if (strcmp(n, "src") == 0)
				at->src = html_prop_value(a);
			break;
		case 'w':
			if (strcmp(n, "width") == 0)
				at->width = html_prop_value(a);
			break;
		default:
			break;
		}
	}
}

/* a[0..alen) followed by b[0..blen), malloc'd */
static char *
html_concat(const char *a, size_t alen, const char *b, size_t blen)
{
	char *s;

	if ((s = malloc(alen + blen + 1)) == NULL)
		html_oom();
	memcpy(s, a, alen);
	memcpy(s + alen, b, blen);
	s[alen + blen] = '\0';
	return s;
}

/* A reference made of characters that libcurl would keep as they are,
 * without dot segments. */
static bool
html_simple_ref(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || s[0] == '.')
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (html_alpha(c) || html_digit(c) || strchr("-_~/?=&+,;:@!$'()*"
		    "#", c) != NULL) {
			if (c == '/' && i + 1 < n && s[i + 1] == '.')
				return false;
			continue;
		}
		if (c == '.' || (c == '%' && i + 2 < n && text_hexval(s[i +
		    1]) >= 0 && text_hexval(s[i + 2]) >= 0))
			continue;
		return false;
	}
	return true;
}

/*
 * The common cases without libcurl (it costs more than the parse): a
 * simple path, query or absolute http(s) URL with a plain host, resolved
 * as libcurl would. NULL: not one of those.
 */
static char *
html_resolve_simple(struct html_walk *w, const char *s, size_t n,
    char **host)
{
	const char *auth, *end;
	size_t skip, hl;

	if (!html_simple_ref(s, n))
		return NULL;
	if (n >= 7 && (memcmp(s, "http://", 7) == 0 || (n >= 8 &&
	    memcmp(s, "https://", 8) == 0))) {
		skip = s[4] == 's' ? 8 : 7;
		auth = s + skip;
		for (end = auth; end < s + n && *end != '/' && *end != '?' &&
		    *end != '#'; end++)
			if (!html_alpha(*end) && !html_digit(*end) && *end !=
			    '.' && *end != '-' && *end != ':')
				return NULL;
		if (end == auth || end == s + n || *end != '/' ||
		    auth[0] == '.' || auth[0] == '-' || auth[0] == ':')
			return NULL;
		for (hl = 0; auth + hl < end && auth[hl] != ':'; hl++)
			;
		if (auth + hl < end) {	/* a port: digits, 1-65535 */
			const char *d = auth + hl + 1;
			long port = 0;

			if (d == end || end - d > 5)
				return NULL;
			for (; d < end; d++) {
				if (!html_digit(*d))
					return NULL;
				port = port * 10 + (*d - '0');
			}
			if (port < 1 || port > 65535)
				return NULL;
		}
		for (end = auth; end + 1 < auth + hl; end++)
			if (end[0] == '.' && end[1] == '.')
				return NULL;
		if (auth[hl - 1] == '.')
			return NULL;
		for (end = auth + hl; end > auth && end[-1] != '.'; end--)
			;
		if (html_digit(*end))
			return NULL;	/* libcurl normalises IPv4 forms */
		if (auth + hl < s + n && auth[hl] == ':' && auth[hl + 1] == '0')
			return NULL;
		*host = text_ndup(auth, hl);
		html_lower_str(*host);
		return text_ndup(s, n);
	}
	if (!w->base_simple || s[0] == '#' || (n >= 2 && s[0] == '/' &&
	    s[1] == '/'))
		return NULL;
	for (end = s; end < s + n && *end != '/' && *end != '?' &&
	    *end != '#'; end++)
		if (*end == ':')
			return NULL;	/* "a:b" has a scheme */
	*host = text_dup(w->base_host);
	return html_concat(w->base_nofrag, s[0] == '/' ? w->origin_len :
	    s[0] == '?' ? w->path_end : w->dir_len, s, n);
}

/* Sets the base URL parts from w->base. */
static void
html_set_base(struct html_walk *w)
{
	char *s = NULL, *user = NULL;
	const char *p, *q;

	free(w->base_nofrag);
	free(w->base_host);
	w->base_nofrag = w->base_host = NULL;
	w->base_simple = false;
	if (w->base == NULL)
		return;
	curl_url_set(w->base, CURLUPART_FRAGMENT, NULL, 0);
	if (curl_url_get(w->base, CURLUPART_URL, &s, 0) != CURLUE_OK) {
		curl_url_cleanup(w->base);
		w->base = NULL;
		return;
	}
	w->base_nofrag = html_curl_str(s);
	curl_free(s);
	w->base_host = html_curlu_host(w->base);
	if (w->base_host == NULL || curl_url_get(w->base, CURLUPART_USER,
	    &user, 0) == CURLUE_OK || (p = strstr(w->base_nofrag, "://")) ==
	    NULL || (p = strchr(p + 3, '/')) == NULL) {
		curl_free(user);
		return;
	}
	w->origin_len = (size_t)(p - w->base_nofrag);
	w->path_end = strcspn(w->base_nofrag, "?");
	for (q = w->base_nofrag + w->path_end; q > p && q[-1] != '/'; q--)
		;
	w->dir_len = (size_t)(q - w->base_nofrag);
	w->base_simple = true;
}

/*
 * Resolves an href against the page's base. Returns the malloc'd URL (a
 * non-http(s) one as written, cut), or NULL when empty of anything; *host
 * receives the lower-case host of an http(s) result, else NULL.
 */
static char *
html_resolve(struct html_walk *w, const char *href, char **host)
{
	struct sbuf b = { 0 };
	const char *s = href, *e;
	char *url = NULL, *out = NULL;
	CURLU *u;
	size_t i;
	bool special = true;

	*host = NULL;
	while (*s != '\0' && (unsigned char)*s <= 0x20)
		s++;
	for (e = s + strlen(s); e > s && (unsigned char)e[-1] <= 0x20; e--)
		;
	if (e - s > HTML_MAX_URL)
		e = s + html_utf8_cut(s, (size_t)(e - s), HTML_MAX_URL);
	/* a scheme? */
	for (i = 0; s + i < e && (html_alpha(s[i]) || (i > 0 &&
	    (html_digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')));
	    i++)
		;
	if (i > 0 && s + i < e && s[i] == ':' && !html_eq_ci(s, i, "http") &&
	    !html_eq_ci(s, i, "https"))
		special = false;
	for (; s < e; s++) {
		if (*s == '\t' || *s == '\n' || *s == '\r')
			continue;	/* as browsers do */
		sbuf_addc(&b, special && *s == '\\' ? '/' : *s);
	}
	if (b.s == NULL)
		sbuf_add(&b, "", 0);
	if (!special) {
		url = text_ndup(b.s, html_utf8_cut(b.s, b.len,
		    HTML_MAX_RAW_URL));
		free(b.s);
		return url;
	}
	if (w->base != NULL && (b.len == 0 || b.s[0] == '#')) {
		/* libcurl drops the file name of these */
		url = text_printf("%s%s", w->base_nofrag, b.s);
		*host = w->base_host != NULL ? text_dup(w->base_host) : NULL;
		free(b.s);
		return url;
	}
	if ((url = html_resolve_simple(w, b.s, b.len, host)) != NULL) {
		free(b.s);
		return url;
	}
	u = w->base != NULL ? curl_url_dup(w->base) : curl_url();
	if (u != NULL && curl_url_set(u, CURLUPART_URL, b.s,
	    CURLU_ALLOW_SPACE | CURLU_URLENCODE) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK) {
		url = html_curl_str(out);
		*host = html_curlu_host(u);
	} else if (b.len > 0)
		url = text_ndup(b.s, html_utf8_cut(b.s, b.len,
		    HTML_MAX_RAW_URL));	/* unparsable: kept as written */
	curl_free(out);
	curl_url_cleanup(u);
	free(b.s);
	return url;
}

/* The text of an element's children (style, script), bounded. */
static void
html_child_text(xmlNodePtr node, struct sbuf *b, size_t max, uint64_t *hash)
{
	xmlNodePtr c;
	size_t n;

	*hash = 0xcbf29ce484222325ULL;
	for (c = node->children; c != NULL; c = c->next) {
		const unsigned char *t;

		if ((c->type != XML_TEXT_NODE && c->type !=
		    XML_CDATA_SECTION_NODE) || c->content == NULL)
			continue;
		n = strlen((const char *)c->content);
		for (t = c->content; t < c->content + n; t++) {
			*hash ^= *t;
			*hash *= 0x100000001b3ULL;
		}
		if (b->len < max)
			sbuf_add(b, c->content, html_utf8_cut(
			    (const char *)c->content, n, max - b->len));
	}
	if (b->s == NULL)
		sbuf_add(b, "", 0);
}

/* Before the walk: the <style> sheets and the first <base href>. */
static void
html_prepass(struct html_walk *w, xmlDocPtr doc)
{
	xmlNodePtr n = doc->children;
	struct sbuf b;
	uint64_t h;
	bool based = false;
	CURLU *u;
	char *url = NULL;

	while (n != NULL) {
		if (n->type == XML_ELEMENT_NODE) {
			if (strcmp((const char *)n->name, "style") == 0) {
				memset(&b, 0, sizeof(b));
				html_child_text(n, &b, HTML_MAX_CSS, &h);
				css_sheet(&w->css, b.s, b.len);
				free(b.s);
			} else if (!based && strcmp((const char *)n->name,
			    "base") == 0 && w->base != NULL) {
				xmlChar *href = xmlGetProp(n, BAD_CAST "href");

				if (href != NULL && href[0] != '\0' &&
				    href[0] != '#') {
					char *host = NULL;

					based = true;
					url = html_resolve(w, (const char *)href,
					    &host);
					if (host != NULL && (u = curl_url()) !=
					    NULL) {
						if (curl_url_set(u, CURLUPART_URL,
						    url, CURLU_ALLOW_SPACE |
						    CURLU_URLENCODE) ==
						    CURLUE_OK) {
							curl_url_cleanup(w->base);
							w->base = u;
							html_set_base(w);
						} else
							curl_url_cleanup(u);
					}
					free(host);
					free(url);
				}
				xmlFree(href);
			}
		}
		if (n->type == XML_ELEMENT_NODE && n->children != NULL) {
			n = n->children;
			continue;
		}
		while (n != NULL && n->next == NULL) {
			n = n->parent;
			if (n != NULL && n->type != XML_ELEMENT_NODE)
				n = NULL;
		}
		if (n != NULL)
			n = n->next;
	}
	if (w->css.n > 1)
		qsort(w->css.r, w->css.n, sizeof(w->css.r[0]), css_rule_cmp);
}

enum html_kind {
	K_INLINE, K_BLOCK, K_SKIP, K_HEAD, K_TITLE, K_SCRIPT, K_META,
	K_LINK, K_FRAME, K_BR, K_HIDDEN_BOX, K_HTML
};

static enum html_kind
html_kind(const char *n)
{
	static const char *const blocks[] = {
		"address", "article", "aside", "blockquote", "body",
		"caption", "center", "dd", "details", "dialog", "div", "dl",
		"dt", "fieldset", "figcaption", "figure", "footer", "form",
		"h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
		"label", "legend", "li", "main", "marquee", "menu", "nav",
		"ol", "p", "pre", "section", "summary", "table", "tbody",
		"td", "tfoot", "th", "thead", "tr", "ul",
	};
	size_t lo = 0, hi = sizeof(blocks) / sizeof(blocks[0]), mid;
	int c;

	switch (n[0]) {
	case 'a':
		if (strcmp(n, "a") == 0 || strcmp(n, "area") == 0)
			return K_LINK;
		break;
	case 'b':
		if (strcmp(n, "br") == 0)
			return K_BR;
		if (strcmp(n, "base") == 0)
			return K_SKIP;
		break;
	case 'e':
		if (strcmp(n, "embed") == 0)
			return K_FRAME;
		break;
	case 'f':
		if (strcmp(n, "frame") == 0)
			return K_FRAME;
		break;
	case 'h':
		if (strcmp(n, "head") == 0)
			return K_HEAD;
		if (strcmp(n, "html") == 0)
			return K_HTML;
		break;
	case 'i':
		if (strcmp(n, "iframe") == 0)
			return K_FRAME;
		if (strcmp(n, "img") == 0 || strcmp(n, "input") == 0)
			return K_SKIP;
		break;
	case 'l':
		if (strcmp(n, "link") == 0)
			return K_SKIP;
		break;
	case 'm':
		if (strcmp(n, "meta") == 0)
			return K_META;
		if (strcmp(n, "math") == 0)
			return K_SKIP;
		break;
	case 'n':
		if (strcmp(n, "noscript") == 0 || strcmp(n, "noframes") == 0 ||
		    strcmp(n, "noembed") == 0)
			return K_HIDDEN_BOX;
		break;
	case 'o':
		if (strcmp(n, "object") == 0)
			return K_FRAME;
		break;
	case 's':
		if (strcmp(n, "script") == 0)
			return K_SCRIPT;
		if (strcmp(n, "style") == 0 || strcmp(n, "svg") == 0)
			return K_SKIP;
		break;
	case 't':
		if (strcmp(n, "title") == 0)
			return K_TITLE;
		if (strcmp(n, "template") == 0)
			return K_SKIP;
		break;
	default:
		break;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(n, blocks[mid])) == 0)
			return K_BLOCK;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return K_INLINE;
}

/* Adds a tag path's hash to the set of the page's. */
static void
html_shape_add(struct html_walk *w, uint64_t h)
{
	uint64_t *old = w->shapes;
	size_t i, j, cap = w->capshapes;

	if (h == 0)
		h = 1;
	if (2 * (w->nshapes + 1) > cap) {
		w->capshapes = cap ? cap * 2 : 256;
		if ((w->shapes = calloc(w->capshapes, sizeof(uint64_t))) ==
		    NULL)
			html_oom();
		for (i = 0; i < cap; i++) {
			if (old[i] == 0)
				continue;
			for (j = old[i] & (w->capshapes - 1); w->shapes[j] != 0;
			    j = (j + 1) & (w->capshapes - 1))
				;
			w->shapes[j] = old[i];
		}
		free(old);
	}
	for (j = h & (w->capshapes - 1); w->shapes[j] != 0; j = (j + 1) &
	    (w->capshapes - 1))
		if (w->shapes[j] == h)
			return;
	w->shapes[j] = h;
	w->nshapes++;
}

/* Counts an element among its same-named siblings: its index (1, 2, …),
 * or 0 when there are too many different names to count. */
static unsigned
html_sibling_index(struct html_walk *w, const xmlChar *name)
{
	size_t base = w->depth > 0 ? w->frames[w->depth - 1].nc_base : 0;
	size_t i;

	for (i = base; i < w->nnc; i++)
		if (w->nc[i].name == name || (w->nc[i].name[0] == name[0] &&
		    strcmp((const char *)w->nc[i].name, (const char *)name) ==
		    0))
			return ++w->nc[i].n;
	if (w->nnc - base >= HTML_MAX_NAMES)
		return 0;
	HTML_GROW(w->nc, w->nnc, w->capnc);
	w->nc[w->nnc].name = name;
	w->nc[w->nnc].n = 1;
	w->nnc++;
	return 1;
}

static void
html_path_push(struct html_walk *w, const char *name, const char *id,
    unsigned idx)
{
	char num[16];
	size_t n, i, start;

	if (w->path.len + 1 + strlen(name) + HTML_MAX_ID + 16 >
	    HTML_MAX_PATH)
		return;		/* deep and long: the ancestors' path */
	if (w->path.len > 0)
		sbuf_addc(&w->path, '/');
	sbuf_add(&w->path, name, strlen(name));
	if (id != NULL && *id != '\0') {
		sbuf_addc(&w->path, '#');
		n = html_utf8_cut(id, strlen(id), HTML_MAX_ID);
		start = w->path.len;
		sbuf_add(&w->path, id, n);
		for (i = start; i < w->path.len; i++)
			if ((unsigned char)w->path.s[i] < 0x20 ||
			    w->path.s[i] == '/' || w->path.s[i] == '[')
				w->path.s[i] = '_';
	} else if (idx > 1) {	/* an id names it well enough */
		i = sizeof(num);
		num[--i] = ']';
		for (; idx > 0 && i > 1; idx /= 10)
			num[--i] = (char)('0' + idx % 10);
		num[--i] = '[';
		sbuf_add(&w->path, num + i, sizeof(num) - i);
	}
}

static void
html_text_budget(struct html_walk *w, size_t added)
{
	w->textlen += added;
	if (w->textlen >= HTML_MAX_TEXT) {
		w->truncated = true;
		w->stop = true;
	}
}

static void
html_block_open(struct html_walk *w, bool hidden)
{
	struct html_open *o = &w->blocks[w->nb++];
	struct site_block *b;

	HTML_GROW(w->p->blocks, w->p->nblocks, w->capblocks);
	b = &w->p->blocks[w->p->nblocks];
	memset(b, 0, sizeof(*b));
	b->path = text_ndup(w->path.s != NULL ? w->path.s : "", w->path.len);
	b->hidden = hidden;
	o->idx = w->p->nblocks++;
	o->text.len = 0;
	o->space = false;
	o->hidden = hidden;
}

static void
html_block_close(struct html_walk *w, bool title)
{
	struct html_open *o = &w->blocks[--w->nb];
	struct site_block *b = &w->p->blocks[o->idx];

	if (o->text.len > 0) {
		b->text = html_nfc(&o->text);
		b->hash = site_html_hash(b->text, strlen(b->text));
		if (title && !w->title_done) {
			free(w->p->title);
			w->p->title = text_dup(b->text);
			w->title_done = true;
		}
	}
	if (w->nb > 0)
		w->blocks[w->nb - 1].space = true;	/* a line break */
}

static void
html_link_open(struct html_walk *w, const char *href, bool hidden,
    const char *alt)
{
	struct html_open *o = &w->links[w->nl++];
	struct site_link *l;

	HTML_GROW(w->p->links, w->p->nlinks, w->caplinks);
	l = &w->p->links[w->p->nlinks];
	memset(l, 0, sizeof(*l));
	l->href = html_resolve(w, href, &l->host);
	if (l->href == NULL)
		l->href = text_dup("");
	l->hidden = hidden;
	o->idx = w->p->nlinks++;
	o->text.len = 0;
	o->space = false;
	if (alt != NULL)
		html_collapse_add(&o->text, &o->space, alt, strlen(alt),
		    HTML_MAX_LINK_TEXT);
}

static void
html_link_close(struct html_walk *w)
{
	struct html_open *o = &w->links[--w->nl];

	w->p->links[o->idx].text = html_nfc(&o->text);
}

static void
html_text(struct html_walk *w, const char *s)
{
	struct html_open *b;
	size_t n, room;

	if (s == NULL || w->depth == 0 || w->frames[w->depth - 1].notext)
		return;
	n = strlen(s);
	if (w->nb > 0) {
		b = &w->blocks[w->nb - 1];
		room = HTML_MAX_TEXT - w->textlen;
		html_text_budget(w, html_collapse_add(&b->text, &b->space, s, n,
		    b->text.len + room));
	}
	if (w->nl > 0) {
		b = &w->links[w->nl - 1];
		html_collapse_add(&b->text, &b->space, s, n,
		    HTML_MAX_LINK_TEXT);
	}
}

static void
html_script(struct html_walk *w, xmlNodePtr node, const struct html_attrs *at)
{
	struct site_script *sc;
	struct sbuf b = { 0 };
	uint64_t h;

	if (at->src == NULL) {
		html_child_text(node, &b, HTML_MAX_SCRIPT, &h);
		if (b.len == 0) {
			free(b.s);
			return;
		}
	}
	HTML_GROW(w->p->scripts, w->p->nscripts, w->capscripts);
	sc = &w->p->scripts[w->p->nscripts++];
	memset(sc, 0, sizeof(*sc));
	if (at->src != NULL) {
		sc->src = html_resolve(w, at->src, &sc->host);
		if (sc->src == NULL)
			sc->src = text_dup("");
		sc->hash = site_html_hash(sc->src, strlen(sc->src));
	} else {
		sc->text = b.s;
		sc->hash = h;
	}
}

static bool
html_tiny_attr(const char *v)
{
	enum css_unit u;
	double x;

	return v != NULL && css_length_value(v, strlen(v), &x, &u) &&
	    u != CSS_PCT && x <= 1;
}

static void
html_frame(struct html_walk *w, const struct html_attrs *at, bool hidden,
    const struct css_props *pr)
{
	struct site_frame *f;
	const char *src = at->src != NULL ? at->src : at->data;

	if (src == NULL)
		return;
	HTML_GROW(w->p->frames, w->p->nframes, w->capframes);
	f = &w->p->frames[w->p->nframes++];
	memset(f, 0, sizeof(*f));
	f->src = html_resolve(w, src, &f->host);
	if (f->src == NULL)
		f->src = text_dup("");
	f->hidden = hidden || html_tiny_attr(at->width) ||
	    html_tiny_attr(at->height) || pr->width == 1 || pr->height == 1;
}

static void
html_meta(struct html_walk *w, const struct html_attrs *at)
{
	const char *key = at->name ? at->name : at->property ? at->property :
	    at->http_equiv;
	struct sbuf b = { 0 };
	char k[HTML_MAX_META_KEY + 1];
	const char *c, *u, *e;
	char *v, *host;
	size_t n, i;
	bool space = false;

	if (key == NULL || at->content == NULL)
		return;
	n = html_utf8_cut(key, strlen(key), HTML_MAX_META_KEY);
	for (i = 0; i < n; i++)
		k[i] = (char)html_lower((unsigned char)key[i]);
	k[n] = '\0';
	if (*text_trim(k) == '\0')
		return;
	if (json_object_size(w->p->meta) < HTML_MAX_META &&
	    json_object_get(w->p->meta, k) == NULL) {
		html_collapse_add(&b, &space, at->content, strlen(at->content),
		    HTML_MAX_META_VALUE);
		v = html_nfc(&b);
		json_object_set_new(w->p->meta, k, json_string(v));
		free(v);
		free(b.s);
	}
	if (strcmp(k, "refresh") != 0 || w->p->refresh != NULL)
		return;
	/* "5; url=http://…", "0;URL='…'", "3, …" */
	c = at->content;
	while (html_space(*c) || html_digit(*c) || *c == '.')
		c++;
	if (*c != ';' && *c != ',')
		return;
	c++;
	while (html_space(*c))
		c++;
	u = c;
	if (text_prefix_ci(c, "url")) {
		u = c + 3;
		while (html_space(*u))
			u++;
		if (*u != '=')
			u = c;
		else
			for (u++; html_space(*u); u++)
				;
	}
	e = u + strlen(u);
	if (*u == '"' || *u == '\'') {
		const char *q = strchr(u + 1, *u);

		e = q != NULL ? q : e;
		u++;
	}
	if (e == u)
		return;
	v = text_ndup(u, (size_t)(e - u));
	w->p->refresh = html_resolve(w, v, &host);
	free(host);
	free(v);
}

/*
 * Enters an element: records what it is; returns true when the walk goes
 * into its children (a frame was pushed), false when it is done with it.
 */
static bool
html_open(struct html_walk *w, xmlNodePtr node)
{
	const char *name = (const char *)node->name;
	struct html_frame *parent = w->depth > 0 ? &w->frames[w->depth - 1] :
	    NULL, *f;
	struct html_attrs at;
	struct css_props pr;
	enum html_kind k;
	uint64_t shape;
	unsigned idx;
	bool hard, vis, tiny, hidden;

	if (w->nelem >= HTML_MAX_ELEMENTS) {
		w->truncated = w->stop = true;
		return false;
	}
	w->nelem++;
	idx = html_sibling_index(w, node->name);
	shape = html_hash_more(html_hash_more(parent != NULL ? parent->shape :
	    0xcbf29ce484222325ULL, "/"), name);
	html_shape_add(w, shape);
	if (w->depth >= HTML_MAX_DEPTH) {
		w->truncated = true;
		return false;
	}
	k = html_kind(name);
	if (k == K_SKIP)
		return false;
	if (k == K_BR) {
		if (w->nb > 0)
			w->blocks[w->nb - 1].space = true;
		return false;
	}
	html_attrs(node, &at);
	css_props_init(&pr);
	if (w->css.n > 0)
		css_match(&w->css, name, at.id, at.cls, &pr);
	if (at.style != NULL)
		css_decls(at.style, strlen(at.style), &pr);
	hard = (parent != NULL && parent->hard) || css_props_hard(&pr) ||
	    at.hidden || k == K_HIDDEN_BOX;
	vis = pr.visibility != -1 ? pr.visibility == 1 : parent != NULL &&
	    parent->vis;
	tiny = pr.font == FONT_TINY || ((pr.font == FONT_UNSET || pr.font ==
	    FONT_REL) && parent != NULL && parent->tiny);
	hidden = hard || vis || tiny;

	switch (k) {
	case K_SCRIPT:
		html_script(w, node, &at);
		return false;
	case K_META:
		html_meta(w, &at);
		return false;
	case K_FRAME:
		html_frame(w, &at, hidden, &pr);
		return false;
	case K_HTML:
		if (at.lang != NULL && w->p->lang == NULL && *at.lang != '\0')
			w->p->lang = text_ndup(at.lang, html_utf8_cut(at.lang,
			    strlen(at.lang), HTML_MAX_LANG));
		break;
	default:
		break;
	}

	f = &w->frames[w->depth];
	memset(f, 0, sizeof(*f));
	f->pathlen = w->path.len;
	f->shape = shape;
	f->hard = hard;
	f->vis = vis;
	f->tiny = tiny;
	f->notext = k == K_HEAD || (parent != NULL && parent->notext &&
	    k != K_TITLE);
	f->title = k == K_TITLE;
	html_path_push(w, name, at.id, idx);
	w->depth++;
	f->nc_base = w->nnc;
	if (k == K_TITLE || (!f->notext && (k == K_BLOCK || (w->nb > 0 &&
	    w->blocks[w->nb - 1].hidden != hidden) || (w->nb == 0 &&
	    k != K_HTML)))) {
		html_block_open(w, k == K_TITLE ? false : hidden);
		f->block = true;
	}
	if (k == K_LINK && (at.href != NULL)) {
		html_link_open(w, at.href, hidden, name[1] == 'r' ? at.alt :
		    NULL);
		f->link = true;
	}
	if (k == K_TITLE)
		w->frames[w->depth - 1].hard = w->frames[w->depth - 1].vis =
		    w->frames[w->depth - 1].tiny = false;
	return true;
}

/* Leaves the element of the top frame. */
static void
html_close(struct html_walk *w)
{
	struct html_frame *f = &w->frames[--w->depth];

	if (f->link)
		html_link_close(w);
	if (f->block)
		html_block_close(w, f->title);
	w->path.len = f->pathlen;
	if (w->path.s != NULL)
		w->path.s[w->path.len] = '\0';
	w->nnc = f->nc_base;
}

static void
html_walk(struct html_walk *w, xmlDocPtr doc)
{
	xmlNodePtr n = doc->children;

	while (n != NULL && !w->stop) {
		bool in = false;

		if (n->type == XML_ELEMENT_NODE)
			in = html_open(w, n);
		else if (n->type == XML_TEXT_NODE || n->type ==
		    XML_CDATA_SECTION_NODE)
			html_text(w, (const char *)n->content);
		if (in && n->children != NULL) {
			n = n->children;
			continue;
		}
		if (in)
			html_close(w);
		while (n != NULL && n->next == NULL) {
			n = n->parent;
			if (n == NULL || n->type != XML_ELEMENT_NODE) {
				n = NULL;
				break;
			}
			html_close(w);
		}
		if (n != NULL)
			n = n->next;
	}
	while (w->depth > 0)	/* stopped early: close what is open */
		html_close(w);
}

static int
html_u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorted, unique; the smallest 4,096 (a bottom-k sketch of the set). */
static void
html_shape(struct html_walk *w)
{
	size_t i, n = 0;

	for (i = 0; i < w->capshapes; i++)
		if (w->shapes[i] != 0)
			w->shapes[n++] = w->shapes[i];
	if (n > 1)
		qsort(w->shapes, n, sizeof(uint64_t), html_u64_cmp);
	if (n > HTML_MAX_SHAPE)
		n = HTML_MAX_SHAPE;
	w->p->shape = w->shapes;
	w->p->nshape = n;
	w->shapes = NULL;
}

/* Drops empty blocks; joins the visible ones into the page's text. */
static void
html_finish(struct html_walk *w)
{
	struct site_page *p = w->p;
	struct sbuf t = { 0 };
	size_t i, n = 0, len;

	for (i = 0; i < p->nblocks; i++) {
		if (p->blocks[i].text == NULL || p->blocks[i].text[0] == '\0') {
			free(p->blocks[i].path);
			free(p->blocks[i].text);
			continue;
		}
		p->blocks[n++] = p->blocks[i];
		if (p->blocks[i].hidden)
			continue;
		len = strlen(p->blocks[i].text);
		if (t.len + len + 1 > HTML_MAX_TEXT) {
			w->truncated = true;
			continue;
		}
		if (t.len > 0)
			sbuf_addc(&t, '\n');
		sbuf_add(&t, p->blocks[i].text, len);
	}
	p->nblocks = n;
	p->text = t.s != NULL ? t.s : text_dup("");
	html_shape(w);
}

/* --- the parser ---------------------------------------------------------- */

/*
 * libxml2 checks each attribute of a tag against all the earlier ones: a
 * tag with 100,000 attributes takes seconds. Attributes past the first
 * HTML_MAX_PARSE_ATTRS of a tag are blanked out (spaces) before the parse,
 * in a copy made only when needed (in place when text is copy's).
 * Returns the text to parse.
 */
static const char *
html_cap_attrs(const char *text, size_t len, struct sbuf *copy)
{
	const char *t = text;
	char *wr = text == copy->s ? copy->s : NULL, q;
	size_t i = 0, j, cut, n;

	while (i < len) {
		const char *lt = memchr(t + i, '<', len - i);

		if (lt == NULL)
			break;
		i = (size_t)(lt - t) + 1;
		if (i >= len || !html_alpha((unsigned char)t[i]))
			continue;
		for (j = i; j < len && !html_space(t[j]) && t[j] != '>' &&
		    t[j] != '/'; j++)
			;
		for (n = 0, cut = 0; j < len && t[j] != '>'; ) {
			if (html_space(t[j]) || t[j] == '/') {
				j++;
				continue;
			}
			if (++n > HTML_MAX_PARSE_ATTRS && cut == 0)
				cut = j;
			while (j < len && !html_space(t[j]) && t[j] != '=' &&
			    t[j] != '>')
				j++;
			while (j < len && html_space(t[j]))
				j++;
			if (j >= len || t[j] != '=')
				continue;
			for (j++; j < len && html_space(t[j]); j++)
				;
			if (j < len && (t[j] == '"' || t[j] == '\'')) {
				q = t[j++];
				while (j < len && t[j] != q)
					j++;
				if (j < len)
					j++;
			} else
				while (j < len && !html_space(t[j]) && t[j] != '>')
					j++;
		}
		if (cut != 0) {
			if (wr == NULL) {	/* the body itself: copy */
				copy->len = 0;
				sbuf_add(copy, text, len);
				t = wr = copy->s;
			}
			memset(wr + cut, ' ', j - cut);
		}
		i = j;
	}
	return t;
}

struct html_sax {
	startElementSAXFunc start;
	size_t nelem;
	bool deep;
};

/* Stops libxml2 past the element bound; keeps HTML_MAX_ATTRS attributes. */
static void
html_sax_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	xmlParserCtxtPtr c = ctx;
	struct html_sax *h = c->_private;
	const xmlChar *saved = NULL;
	size_t i;

	if (++h->nelem > HTML_MAX_ELEMENTS + 8) {
		xmlStopParser(c);
		return;
	}
	if (c->nameNr >= HTML_MAX_DEPTH)
		h->deep = true;	/* libxml2 stops past 256 */
	for (i = 0; atts != NULL && atts[i] != NULL; i += 2)
		if (i == 2 * HTML_MAX_ATTRS) {
			saved = atts[i];
			((const xmlChar **)(uintptr_t)atts)[i] = NULL;
			break;
		}
	h->start(ctx, name, atts);
	if (saved != NULL)
		((const xmlChar **)(uintptr_t)atts)[i] = saved;
}

int
site_html_parse_ex(const unsigned char *body, size_t len,
    const char *charset, const char *base_url, struct site_page *p,
    bool *truncated, char *err, size_t errlen)
{
	struct html_walk *w;
	struct html_sax sax = { 0 };
	struct sbuf in = { 0 };
	htmlParserCtxtPtr ctxt;
	xmlDocPtr doc = NULL;
	const char *bin, *text;
	char used[48];
	size_t i, textlen;

	memset(p, 0, sizeof(*p));
	if (truncated != NULL)
		*truncated = false;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (body == NULL)
		len = 0;
	if ((bin = html_binary(body, len)) != NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "nội dung nhị phân, không phải HTML — "
		    "binary content, not HTML (%s)", bin);
		return -1;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL)
		html_oom();
	if (len > HTML_MAX_INPUT) {
		len = HTML_MAX_INPUT;
		w->truncated = true;
	}
	text = html_decode(body, len, charset, &in, &textlen, used,
	    sizeof(used));
	text = html_cap_attrs(text, textlen, &in);

	p->title = text_dup("");
	p->meta = json_object();
	p->charset = text_dup(used);
	w->p = p;
	if (base_url != NULL && (w->base = curl_url()) != NULL &&
	    curl_url_set(w->base, CURLUPART_URL, base_url, CURLU_ALLOW_SPACE |
	    CURLU_URLENCODE) != CURLUE_OK) {
		curl_url_cleanup(w->base);
		w->base = NULL;
	}
	html_set_base(w);

	if (textlen > 0 && textlen <= INT32_MAX && (ctxt =
	    htmlCreateMemoryParserCtxt(text, (int)textlen)) != NULL) {
		sax.start = ctxt->sax->startElement;
		ctxt->sax->startElement = html_sax_start;
		ctxt->sax->comment = NULL;
		ctxt->sax->processingInstruction = NULL;
		ctxt->_private = &sax;
		htmlCtxtUseOptions(ctxt, HTML_OPTIONS);
		/* UTF-8 already: read without converting it (a named
		 * encoding would copy it through a converter) */
		xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
		htmlParseDocument(ctxt);
		doc = ctxt->myDoc;
		ctxt->myDoc = NULL;
		if (sax.nelem > HTML_MAX_ELEMENTS || sax.deep)
			w->truncated = true;
		htmlFreeParserCtxt(ctxt);
	}
	free(in.s);
	if (doc != NULL) {
		html_prepass(w, doc);
		html_walk(w, doc);
		xmlFreeDoc(doc);
	}
	html_finish(w);

	for (i = 0; i <= HTML_MAX_DEPTH + 1; i++) {
		free(w->blocks[i].text.s);
		free(w->links[i].text.s);
	}
	if (truncated != NULL)
		*truncated = w->truncated;
	free(w->path.s);
	free(w->nc);
	free(w->shapes);
	free(w->css.r);
	free(w->base_nofrag);
	free(w->base_host);
	curl_url_cleanup(w->base);
	free(w);
	return 0;
}

int
site_html_parse(const unsigned char *body, size_t len, const char *charset,
    const char *base_url, struct site_page *p, char *err, size_t errlen)
{
	return site_html_parse_ex(body, len, charset, base_url, p, NULL, err,
	    errlen);
}

void
site_page_free(struct site_page *p)
{
	size_t i;

	if (p == NULL)
		return;
	free(p->title);
	json_decref(p->meta);
	free(p->refresh);
	free(p->lang);
	for (i = 0; i < p->nblocks; i++) {
		free(p->blocks[i].path);
		free(p->blocks[i].text);
	}
	free(p->blocks);
	for (i = 0; i < p->nlinks; i++) {
		free(p->links[i].href);
		free(p->links[i].host);
		free(p->links[i].text);
	}
	free(p->links);
	for (i = 0; i < p->nscripts; i++) {
		free(p->scripts[i].src);
		free(p->scripts[i].host);
		free(p->scripts[i].text);
	}
	free(p->scripts);
	for (i = 0; i < p->nframes; i++) {
		free(p->frames[i].src);
		free(p->frames[i].host);
	}
	free(p->frames);
	free(p->shape);
	free(p->text);
	free(p->charset);
	memset(p, 0, sizeof(*p));
}
