/*
 * html_parts.h — what the four files of the portal monitor's HTML
 * normaliser share (private to src/site): html_text.c (buffers, UTF-8,
 * charsets), html_css.c (the CSS that hides), site_url.c (URLs and
 * registrable domains) and html.c (the walk over the parsed page). The
 * bounds are here so that one place says how much of a page is read.
 */
#ifndef CG_SITE_HTML_PARTS_H
#define CG_SITE_HTML_PARTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

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

struct sbuf {
	char	*s;
	size_t	 len, cap;
};

/* Grows an array of *cap elements to hold one more. */
#define HTML_GROW(arr, n, cap) do {					\
	if ((n) == (cap)) {						\
		(cap) = (cap) ? (cap) * 2 : 16;				\
		(arr) = html_reallocarray((arr), (cap), sizeof(*(arr)));	\
	}								\
} while (0)

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

enum css_unit { CSS_ABS, CSS_REL, CSS_PCT };

/* --- html_text.c: buffers, bytes to UTF-8 text --------------------------- */

void html_oom(void) __attribute__((noreturn));	/* abort(), as text_ndup */
void *html_reallocarray(void *p, size_t n, size_t size);
void sbuf_reserve(struct sbuf *b, size_t more);
void sbuf_add(struct sbuf *b, const void *s, size_t n);
void sbuf_addc(struct sbuf *b, char c);
/* FNV-1a of h continued over the NUL-ended s. */
uint64_t html_hash_more(uint64_t h, const char *s);
/* ASCII classes (the locale is not asked). */
int html_lower(int c);
bool html_space(int c);
bool html_alpha(int c);
bool html_digit(int c);
/* Case-insensitive ASCII comparison of s[0..n) with the lower-case lit. */
bool html_eq_ci(const char *s, size_t n, const char *lit);
/* Length of s[0..len) cut to at most max bytes on a character boundary. */
size_t html_utf8_cut(const char *s, size_t len, size_t max);
/* Appends s[0..n) to b with white space collapsed (*space: one pending),
 * at most max bytes; returns the bytes added. */
size_t html_collapse_add(struct sbuf *b, bool *space, const char *s,
    size_t n, size_t max);
/* NFC of a collapsed buffer, malloc'd ("" when empty). */
char *html_nfc(const struct sbuf *b);
/* The kind of binary content b starts with ("PNG", "PDF"…), or NULL. */
const char *html_binary(const unsigned char *b, size_t len);
/* body as clean UTF-8: body itself when it is that already, else out's
 * text; *outlen its length, used the charset it was read as. */
const char *html_decode(const unsigned char *body, size_t len,
    const char *charset, struct sbuf *out, size_t *outlen, char *used,
    size_t usedlen);

/* --- html_css.c: the declarations that hide ----------------------------- */

void css_props_init(struct css_props *pr);
/* Hiding that a child cannot undo. */
bool css_props_hard(const struct css_props *pr);
/* A whole value that is one length, in px (or percent). */
bool css_length_value(const char *s, size_t n, double *v, enum css_unit *u);
/* A declaration list ("display:none; color:red") into pr. */
void css_decls(const char *s, size_t n, struct css_props *pr);
/* Reads one style sheet (the text of a <style> element). */
void css_sheet(struct html_css *css, const char *text, size_t len);
/* qsort order of rules: kind, then name (css_match searches by it). */
int css_rule_cmp(const void *a, const void *b);
/* The declarations of the rules matching an element, in cascade order. */
void css_match(const struct html_css *css, const char *tag, const char *id,
    const char *cls, struct css_props *pr);

/* --- site_url.c: URLs and domains ---------------------------------------- */

/* A malloc'd copy of a string libcurl returned, made valid UTF-8. */
char *html_curl_str(const char *s);
void html_lower_str(char *s);
/* Host (lower case, no trailing dot) of a parsed URL when http(s). */
char *html_curlu_host(CURLU *u);

#endif
