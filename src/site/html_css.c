/*
 * html_css.c — the little CSS the portal monitor reads (html_parts.h):
 * the declarations that hide an element (display, visibility, opacity,
 * tiny fonts and boxes, off-screen positions, margins and indents) from
 * inline styles and from the simple rules of a page's <style> elements
 * (tag, .class, #id, tag.class, tag#id). What is and is not understood is
 * listed at the top of html.c.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "site/html_parts.h"
#include "site/site.h"

/* --- CSS: the few declarations that hide --------------------------------- */

void
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
bool
css_props_hard(const struct css_props *pr)
{
	return pr->display == 1 || pr->opacity == 1 ||
	    ((pr->height == 1 || pr->width == 1) && pr->overflow == 1) ||
	    (pr->position == 1 && (pr->left == 1 || pr->top == 1 ||
	    pr->right == 1 || pr->bottom == 1)) || pr->mleft == 1 ||
	    pr->mtop == 1 || pr->indent == 1;
}

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
bool
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
void
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
void
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

int
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
void
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
