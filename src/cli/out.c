/*
 * out.c — what canhgac prints: tables aligned by the display width of
 * Vietnamese text (utf8proc_charwidth: precomposed letters take one
 * column, wide CJK two, combining marks none), times in Vietnam time, and
 * text that came from agents made harmless for a terminal (an agent could
 * send ESC sequences or bidi overrides in a host name or in evidence).
 * JSON goes out one element at a time, with stable member names listed in
 * canhgac(8).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <utf8proc.h>

#include "cli/cli.h"
#include "lib/json.h"
#include "lib/text.h"

#define OUT_VN_OFFSET (7 * 3600)	/* Asia/Ho_Chi_Minh, no DST since 1975 */
#define OUT_SEP 2			/* spaces between columns */
#define OUT_FLEX_MIN 12			/* a flex column keeps at least this */

void
out_time(int64_t t, char buf[OUT_TIME_LEN])
{
	time_t vn;
	struct tm tm;

	if (t == 0) {
		snprintf(buf, OUT_TIME_LEN, "—");
		return;
	}
	vn = (time_t)t + OUT_VN_OFFSET;
	if (gmtime_r(&vn, &tm) == NULL ||
	    strftime(buf, OUT_TIME_LEN, "%Y-%m-%d %H:%M", &tm) == 0)
		snprintf(buf, OUT_TIME_LEN, "?");
}

/* Growing string buffer. */
struct buf {
	char *s;
	size_t len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->s = realloc(b->s, cap);
		if (b->s == NULL)
			abort();
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void __attribute__((format(printf, 2, 3)))
buf_printf(struct buf *b, const char *fmt, ...)
{
	char tmp[32];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		buf_add(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n :
		    sizeof(tmp) - 1);
}

/* Characters shown as escapes: controls (C0, DEL, C1), format characters
 * (bidi embeddings and overrides, zero-width characters, BOM), line and
 * paragraph separators, and what is not a character. */
static bool
out_unsafe(utf8proc_int32_t cp)
{
	const utf8proc_property_t *p;

	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		return true;
	p = utf8proc_get_property(cp);
	switch (p->category) {
	case UTF8PROC_CATEGORY_CC:
	case UTF8PROC_CATEGORY_CF:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
	case UTF8PROC_CATEGORY_CS:
		return true;
	default:
		return false;
	}
}

char *
out_escape(const char *s)
{
	struct buf b = {NULL, 0, 0};
	const utf8proc_uint8_t *p;
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;
	char *nfc = NULL;
	size_t len, i;

	if (s == NULL)
		s = "";
	len = strlen(s);
	if (text_valid_utf8(s, len) && (nfc = text_nfc(s, len)) != NULL) {
		s = nfc;
		len = strlen(s);
	}
	p = (const utf8proc_uint8_t *)s;
	buf_add(&b, "", 0);
	for (i = 0; i < len; i += (size_t)n) {
		n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0) {
			buf_printf(&b, "\\x%02x", p[i]);
			n = 1;
			continue;
		}
		if (!out_unsafe(cp)) {
			buf_add(&b, s + i, (size_t)n);
			continue;
		}
		switch (cp) {
		case '\n': buf_add(&b, "\\n", 2); break;
		case '\t': buf_add(&b, "\\t", 2); break;
		case '\r': buf_add(&b, "\\r", 2); break;
		default:
			if (cp < 0x80)
				buf_printf(&b, "\\x%02x", (unsigned)cp);
			else
				buf_printf(&b, "\\u{%04x}", (unsigned)cp);
		}
	}
	free(nfc);
	return b.s;
}

/* Width of one character: utf8proc's, with controls counted as one (they
 * never reach here escaped-less) and negative values as zero. */
static size_t
out_charwidth(utf8proc_int32_t cp)
{
	int w = utf8proc_charwidth(cp);

	return w < 0 ? 0 : (size_t)w;
}

size_t
out_width(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;
	size_t len = strlen(s), i, w = 0;

	for (i = 0; i < len; i += (size_t)n) {
		n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0) {
			n = 1;
			w++;
			continue;
		}
		w += out_charwidth(cp);
	}
	return w;
}

char *
out_cut(const char *s, size_t width)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;
	size_t len = strlen(s), i, w = 0, cw;
	struct buf b = {NULL, 0, 0};

	if (out_width(s) <= width)
		return text_dup(s);
	buf_add(&b, "", 0);
	if (width == 0)
		return b.s;
	/* keep room for the ellipsis; a combining mark (width 0) stays with
	 * the letter before it */
	for (i = 0; i < len; i += (size_t)n) {
		n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0) {
			n = 1;
			cw = 1;
		} else
			cw = out_charwidth(cp);
		if (w + cw > width - 1)
			break;
		buf_add(&b, s + i, (size_t)n);
		w += cw;
	}
	buf_add(&b, "…", strlen("…"));
	return b.s;
}

size_t
out_term_width(void)
{
	struct winsize ws;
	const char *env;
	long v;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ,
	    &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	env = getenv("COLUMNS");
	if (env != NULL && text_to_long(env, &v) && v >= 20 && v <= 10000)
		return (size_t)v;
	return 160;
}

struct out_table {
	const struct out_col *cols;
	size_t ncols;
	bool en;
	char **cells;			/* rows * ncols, escaped */
	size_t *widths;			/* display width of each cell */
	size_t nrows, caprows;
};

struct out_table *
out_table_new(const struct out_col *cols, size_t ncols, bool en)
{
	struct out_table *t;

	t = calloc(1, sizeof(*t));
	if (t == NULL)
		abort();
	t->cols = cols;
	t->ncols = ncols;
	t->en = en;
	return t;
}

void
out_table_row(struct out_table *t, const char *const *cells)
{
	size_t i, base;

	if (t->nrows == t->caprows) {
		t->caprows = t->caprows ? t->caprows * 2 : 32;
		t->cells = reallocarray(t->cells, t->caprows * t->ncols,
		    sizeof(*t->cells));
		t->widths = reallocarray(t->widths, t->caprows * t->ncols,
		    sizeof(*t->widths));
		if (t->cells == NULL || t->widths == NULL)
			abort();
	}
	base = t->nrows * t->ncols;
	for (i = 0; i < t->ncols; i++) {
		t->cells[base + i] = out_escape(cells[i]);
		t->widths[base + i] = out_width(t->cells[base + i]);
	}
	t->nrows++;
}

size_t
out_table_rows(const struct out_table *t)
{
	return t->nrows;
}

static void
out_pad(FILE *f, size_t n)
{
	while (n-- > 0)
		fputc(' ', f);
}

/* One cell: cut to w columns, padded unless it is the last column. */
static void
out_cell(FILE *f, const char *s, size_t sw, size_t w, bool right, bool last)
{
	char *cut = NULL;

	if (sw > w) {
		cut = out_cut(s, w);
		s = cut;
		sw = out_width(cut);
	}
	if (right)
		out_pad(f, w - sw);
	fputs(s, f);
	if (!right && !last)
		out_pad(f, w - sw);
	free(cut);
}

void
out_table_print(FILE *f, const struct out_table *t, size_t width)
{
	size_t *w, i, r, other = 0, flex = t->ncols;
	const char *h;

	w = calloc(t->ncols, sizeof(*w));
	if (w == NULL)
		abort();
	for (i = 0; i < t->ncols; i++) {
		h = t->en ? t->cols[i].en : t->cols[i].vi;
		w[i] = out_width(h);
		for (r = 0; r < t->nrows; r++)
			if (t->widths[r * t->ncols + i] > w[i])
				w[i] = t->widths[r * t->ncols + i];
		if (t->cols[i].max > 0 && w[i] > t->cols[i].max)
			w[i] = t->cols[i].max;
		if (t->cols[i].flex)
			flex = i;
		else
			other += w[i] + OUT_SEP;
	}
	/* a narrow terminal: shrink the widest shrinkable columns first,
	 * down to their minimum, so that the flex column keeps its room */
	while (width > 0 && other + (flex < t->ncols ? OUT_FLEX_MIN : 0) >
	    width + OUT_SEP) {
		size_t widest = t->ncols;

		for (i = 0; i < t->ncols; i++)
			if (i != flex && t->cols[i].min > 0 &&
			    w[i] > t->cols[i].min && (widest == t->ncols ||
			    w[i] > w[widest]))
				widest = i;
		if (widest == t->ncols)
			break;
		w[widest]--;
		other--;
	}
	if (flex < t->ncols && width > 0) {
		size_t room = width > other ? width - other : 0;

		if (room < OUT_FLEX_MIN)
			room = OUT_FLEX_MIN;
		if (w[flex] > room)
			w[flex] = room;
	}
	for (i = 0; i < t->ncols; i++) {
		h = t->en ? t->cols[i].en : t->cols[i].vi;
		out_cell(f, h, out_width(h), w[i], t->cols[i].right,
		    i + 1 == t->ncols);
		if (i + 1 < t->ncols)
			out_pad(f, OUT_SEP);
	}
	fputc('\n', f);
	for (r = 0; r < t->nrows; r++) {
		size_t end = t->ncols;

		/* no trailing blanks: stop after the last non-empty cell */
		while (end > 1 && t->widths[r * t->ncols + end - 1] == 0)
			end--;
		for (i = 0; i < end; i++) {
			out_cell(f, t->cells[r * t->ncols + i],
			    t->widths[r * t->ncols + i], w[i],
			    t->cols[i].right, i + 1 == end);
			if (i + 1 < end)
				out_pad(f, OUT_SEP);
		}
		fputc('\n', f);
	}
	free(w);
}

void
out_table_free(struct out_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->widths);
	free(t);
}

void
out_json_str(json_t *o, const char *key, const char *s)
{
	const utf8proc_uint8_t *p;
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;
	struct buf b = {NULL, 0, 0};
	size_t len, i;

	if (s == NULL) {
		json_object_set_new(o, key, json_null());
		return;
	}
	len = strlen(s);
	if (text_valid_utf8(s, len)) {
		json_object_set_new(o, key, json_stringn(s, len));
		return;
	}
	p = (const utf8proc_uint8_t *)s;
	buf_add(&b, "", 0);
	for (i = 0; i < len; i += (size_t)n) {
		n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0) {
			n = 1;
			buf_add(&b, "\xef\xbf\xbd", 3);	/* U+FFFD */
		} else
			buf_add(&b, s + i, (size_t)n);
	}
	json_object_set_new(o, key, json_stringn(b.s, b.len));
	free(b.s);
}

void
out_json_time(json_t *o, const char *key, int64_t t)
{
	char buf[40];

	if (t == 0) {
		json_object_set_new(o, key, json_null());
		return;
	}
	json_time(t, buf, sizeof(buf));
	json_object_set_new(o, key, json_string(buf));
}

void
out_jsonarr_begin(struct out_jsonarr *a, FILE *f)
{
	a->f = f;
	a->n = 0;
	fputc('[', f);
}

void
out_jsonarr_add(struct out_jsonarr *a, json_t *v)
{
	char *s;

	s = json_dumps(v, JSON_PRESERVE_ORDER | JSON_COMPACT);
	json_decref(v);
	if (s == NULL)
		abort();
	fputs(a->n == 0 ? "\n" : ",\n", a->f);
	fputs(s, a->f);
	free(s);
	a->n++;
}

void
out_jsonarr_end(struct out_jsonarr *a)
{
	fputs(a->n == 0 ? "]\n" : "\n]\n", a->f);
}

/* A word the store keeps as an id, and how people read it. */
struct out_word {
	const char *id, *vi, *en;
};

static const char *
out_word(const struct out_word *words, size_t n, const char *id, bool en)
{
	size_t i;

	for (i = 0; id != NULL && i < n; i++)
		if (strcmp(id, words[i].id) == 0)
			return en ? words[i].en : words[i].vi;
	return id != NULL ? id : "";
}

const char *
out_status(const char *status, bool en)
{
	static const struct out_word words[] = {
		{"fail", "không đạt", "fail"},
		{"error", "lỗi", "error"},
		{"pass", "đạt", "pass"},
		{"na", "không áp dụng", "n/a"},
	};

	return out_word(words, sizeof(words) / sizeof(words[0]), status, en);
}

const char *
out_severity(const char *severity, bool en)
{
	static const struct out_word words[] = {
		{"critical", "nghiêm trọng", "critical"},
		{"high", "cao", "high"},
		{"medium", "trung bình", "medium"},
		{"low", "thấp", "low"},
		{"info", "thông tin", "info"},
	};

	return out_word(words, sizeof(words) / sizeof(words[0]), severity,
	    en);
}
