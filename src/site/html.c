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
 *
 * This file is the walk over the parsed page and the parse itself; the
 * text plumbing and charsets are in html_text.c, the CSS in html_css.c,
 * URLs and domains in site_url.c (html_parts.h is what they share).
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
#include "site/html_parts.h"
#include "site/site.h"

#define HTML_OPTIONS	(HTML_PARSE_RECOVER | HTML_PARSE_NONET | \
	HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT | \
	HTML_PARSE_IGNORE_ENC)

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
