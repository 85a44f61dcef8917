/*
 * chart.c — inline SVG charts for the console (chart.h): line, bars and
 * gauge. Numbers are written as integers and tenths by hand, never with
 * %f, so that a locale with a decimal comma cannot break the markup; every
 * label goes through chart_escape. Colours are presentation attributes
 * (fill, stroke), allowed by a CSP without 'unsafe-inline'.
 */
#include <math.h>		/* isfinite: a macro, no libm */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/chart.h"

/* Line chart geometry (viewBox units). */
#define LW 640
#define LH 240
#define LX0 44				/* plot area */
#define LX1 (LW - 12)
#define LY0 12
#define LY1 (LH - 34)

/* Bar chart geometry. */
#define BW 640
#define BROW 26
#define BLABEL 236			/* width of the label column */
#define BBAR (BW - BLABEL - 56)

static const char *const chart_palette[CHART_MAX_SERIES] = {
	"#0b4f8a", "#c0392b", "#1e8449", "#b9770e", "#6c3483", "#117a65",
	"#884ea0", "#a04000", "#2e4053", "#d35400", "#1f618d", "#7d6608",
};

/* A growing string; on allocation failure it stays failed. */
struct sbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void
sb_addn(struct sbuf *b, const char *s, size_t n)
{
	char *t;
	size_t cap;

	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 1024;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((t = realloc(b->p, cap)) == NULL) {
			b->oom = true;
			return;
		}
		b->p = t;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
sb_add(struct sbuf *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

static void sb_printf(struct sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		b->oom = true;
		return;
	}
	sb_addn(b, tmp, (size_t)n);
}

/* Appends s escaped. */
static void
sb_esc(struct sbuf *b, const char *s)
{
	char *e = chart_escape(s);

	if (e == NULL) {
		b->oom = true;
		return;
	}
	sb_add(b, e);
	free(e);
}

static char *
sb_done(struct sbuf *b)
{
	if (b->oom) {
		free(b->p);
		return NULL;
	}
	return b->p;
}

/* A coordinate or value with one decimal, locale-free ("12.5", "-3"). */
static const char *
num(char buf[32], double v)
{
	long long t;

	if (!isfinite(v))
		v = 0;
	if (v > 1e9)
		v = 1e9;
	if (v < -1e9)
		v = -1e9;
	t = (long long)(v * 10 + (v >= 0 ? 0.5 : -0.5));
	if (t % 10 == 0)
		snprintf(buf, 32, "%lld", t / 10);
	else
		snprintf(buf, 32, "%s%lld.%lld", t < 0 ? "-" : "",
		    llabs(t) / 10, llabs(t) % 10);
	return buf;
}

static double
clamp100(double v)
{
	if (!isfinite(v) || v < 0)
		return 0;
	return v > 100 ? 100 : v;
}

static const char *
score_colour(double v)
{
	if (v >= 80)
		return "#1e8449";
	if (v >= 50)
		return "#b9770e";
	return "#a4161a";
}

void
chart_time(int64_t t, char *buf, size_t size)
{
	struct tm tm;
	time_t v;

	if (t <= 0) {
		snprintf(buf, size, "%s", "");
		return;
	}
	v = (time_t)(t + CHART_TZ_OFFSET);
	if (gmtime_r(&v, &tm) == NULL) {
		snprintf(buf, size, "%s", "");
		return;
	}
	snprintf(buf, size, "%02d/%02d/%04d %02d:%02d", tm.tm_mday,
	    tm.tm_mon + 1, tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
}

void
chart_date(int64_t t, char *buf, size_t size)
{
	struct tm tm;
	time_t v;

	if (t <= 0) {
		snprintf(buf, size, "%s", "");
		return;
	}
	v = (time_t)(t + CHART_TZ_OFFSET);
	if (gmtime_r(&v, &tm) == NULL) {
		snprintf(buf, size, "%s", "");
		return;
	}
	snprintf(buf, size, "%02d/%02d/%04d", tm.tm_mday, tm.tm_mon + 1,
	    tm.tm_year + 1900);
}

/* Length of the UTF-8 sequence at s (1..4), 0 when it is not valid. */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 ||
	    cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	/* U+FFFE and U+FFFF are not characters in XML */
	if (cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

char *
chart_escape(const char *s)
{
	struct sbuf b = { 0 };
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n;

	sb_addn(&b, "", 0);
	while (*p != '\0') {
		switch (*p) {
		case '&': sb_add(&b, "&amp;"); p++; continue;
		case '<': sb_add(&b, "&lt;"); p++; continue;
		case '>': sb_add(&b, "&gt;"); p++; continue;
		case '"': sb_add(&b, "&quot;"); p++; continue;
		case '\'': sb_add(&b, "&#39;"); p++; continue;
		default: break;
		}
		if (*p < 0x20 && *p != '\t' && *p != '\n') {
			p++;
			continue;
		}
		if (*p == 0x7f) {
			p++;
			continue;
		}
		if ((n = utf8_len(p)) == 0) {
			sb_add(&b, "\xef\xbf\xbd");
			p++;
			continue;
		}
		sb_addn(&b, (const char *)p, n);
		p += n;
	}
	return sb_done(&b);
}

/* A copy of s cut to max characters, with "…" when cut. */
static char *
cut_label(const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t chars = 0, off = 0, n;
	char *out;

	while (p[off] != '\0' && chars < max) {
		n = utf8_len(p + off);
		off += n ? n : 1;
		chars++;
	}
	if (p[off] == '\0')
		return strdup((const char *)p);
	/* leave room for the ellipsis */
	if ((out = malloc(off + 4)) == NULL)
		return NULL;
	memcpy(out, p, off);
	memcpy(out + off, "\xe2\x80\xa6", 4);
	return out;
}

static void
svg_open(struct sbuf *b, int w, int h, const char *cls, const char *title,
    const char *desc)
{
	sb_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" class=\"chart %s\" role=\"img\" "
	    "preserveAspectRatio=\"xMidYMid meet\">", w,
	    h, cls);
	sb_add(b, "<title>");
	sb_esc(b, title);
	sb_add(b, "</title><desc>");
	sb_esc(b, desc);
	sb_add(b, "</desc>");
}

char *
chart_line(const char *title, const char *desc,
    const struct chart_series *s, size_t ns)
{
	struct sbuf b = { 0 };
	char n1[32], n2[32], n3[32], lab[32];
	int64_t tmin = INT64_MAX, tmax = INT64_MIN, span;
	size_t i, j, first, legend_rows;
	int y, k, h;
	bool any = false;

	if (ns > CHART_MAX_SERIES)
		ns = CHART_MAX_SERIES;
	for (i = 0; i < ns; i++) {
		first = s[i].n > CHART_MAX_POINTS ? s[i].n - CHART_MAX_POINTS :
		    0;
		for (j = first; j < s[i].n; j++) {
			if (s[i].t[j] < tmin)
				tmin = s[i].t[j];
			if (s[i].t[j] > tmax)
				tmax = s[i].t[j];
			any = true;
		}
	}
	legend_rows = (ns + 1) / 2;
	h = LH + (int)legend_rows * 18;
	svg_open(&b, LW, h, "chart-line", title, desc);
	/* y axis: grid every 25 */
	for (y = 0; y <= 100; y += 25) {
		double py = LY1 - (LY1 - LY0) * y / 100.0;

		sb_printf(&b, "<line x1=\"%d\" y1=\"%s\" x2=\"%d\" y2=\"%s\" "
		    "stroke=\"#d5dbe2\" stroke-width=\"1\"/>", LX0,
		    num(n1, py), LX1, num(n2, py));
		sb_printf(&b, "<text x=\"%d\" y=\"%s\" font-size=\"11\" "
		    "text-anchor=\"end\" fill=\"#5b6470\">%d</text>", LX0 - 6,
		    num(n1, py + 4), y);
	}
	sb_printf(&b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#5b6470\" stroke-width=\"1\"/>", LX0, LY1, LX1, LY1);
	if (!any) {
		sb_add(&b, "</svg>");
		return sb_done(&b);
	}
	span = tmax - tmin;
	if (span <= 0) {
		/* one moment: centre it in a day */
		tmin -= 43200;
		tmax += 43200;
		span = tmax - tmin;
	}
	/* x axis: five dates, or dates with hours over a short span */
	for (k = 0; k <= 4; k++) {
		int64_t t = tmin + (int64_t)((double)span * k / 4);
		double px = LX0 + (double)(LX1 - LX0) * k / 4;

		if (span < 3 * 86400) {
			chart_time(t, lab, sizeof(lab));
			/* "29/11/2026 17:05" -> "29/11 17:05" */
			memmove(lab + 5, lab + 10, strlen(lab + 10) + 1);
		} else
			chart_date(t, lab, sizeof(lab));
		sb_printf(&b, "<line x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\" "
		    "stroke=\"#5b6470\" stroke-width=\"1\"/>", num(n1, px),
		    LY1, num(n2, px), LY1 + 4);
		sb_printf(&b, "<text x=\"%s\" y=\"%d\" font-size=\"11\" "
		    "text-anchor=\"%s\" fill=\"#5b6470\">%s</text>",
		    num(n1, px), LY1 + 18, k == 0 ? "start" : k == 4 ? "end" :
		    "middle", lab);
	}
	for (i = 0; i < ns; i++) {
		const char *col = chart_palette[i];

		first = s[i].n > CHART_MAX_POINTS ? s[i].n - CHART_MAX_POINTS :
		    0;
		if (s[i].n == 0)
			continue;
		sb_add(&b, "<g><title>");
		sb_esc(&b, s[i].label);
		sb_add(&b, "</title>");
		if (s[i].n - first > 1) {
			sb_printf(&b, "<polyline fill=\"none\" stroke=\"%s\" "
			    "stroke-width=\"2\" stroke-linejoin=\"round\" "
			    "points=\"", col);
			for (j = first; j < s[i].n; j++) {
				double px = LX0 + (double)(LX1 - LX0) *
				    (double)(s[i].t[j] - tmin) / (double)span;
				double py = LY1 - (LY1 - LY0) *
				    clamp100(s[i].v[j]) / 100.0;

				sb_printf(&b, "%s%s,%s", j > first ? " " : "",
				    num(n1, px), num(n2, py));
			}
			sb_add(&b, "\"/>");
		}
		/* dots when they can be told apart */
		if (s[i].n - first <= 60)
			for (j = first; j < s[i].n; j++) {
				double px = LX0 + (double)(LX1 - LX0) *
				    (double)(s[i].t[j] - tmin) / (double)span;
				double py = LY1 - (LY1 - LY0) *
				    clamp100(s[i].v[j]) / 100.0;

				sb_printf(&b, "<circle cx=\"%s\" cy=\"%s\" "
				    "r=\"3\" fill=\"%s\"/>", num(n1, px),
				    num(n2, py), col);
			}
		sb_add(&b, "</g>");
		/* legend: two a row under the axis */
		{
			double lx = LX0 + (double)(i % 2) * 292;
			double ly = LH + 4 + (double)(i / 2) * 18;
			char *l = cut_label(s[i].label, 36);

			if (l == NULL) {
				b.oom = true;
				break;
			}
			sb_printf(&b, "<rect x=\"%s\" y=\"%s\" width=\"12\" "
			    "height=\"12\" fill=\"%s\"/>", num(n1, lx),
			    num(n2, ly - 10), col);
			sb_printf(&b, "<text x=\"%s\" y=\"%s\" font-size=\"12\" "
			    "fill=\"#1b1f24\">", num(n1, lx + 16), num(n3, ly));
			sb_esc(&b, l);
			sb_add(&b, "</text>");
			free(l);
		}
	}
	sb_add(&b, "</svg>");
	return sb_done(&b);
}

char *
chart_bars(const char *title, const char *desc, const struct chart_bar *bars,
    size_t nb)
{
	struct sbuf b = { 0 };
	char n1[32], n2[32];
	size_t i;
	int h, x;

	if (nb > CHART_MAX_BARS)
		nb = CHART_MAX_BARS;
	h = 8 + (int)nb * BROW + 22;
	svg_open(&b, BW, h, "chart-bars", title, desc);
	/* the scale: 0, 50, 100 */
	for (x = 0; x <= 100; x += 25) {
		double px = BLABEL + (double)BBAR * x / 100;

		sb_printf(&b, "<line x1=\"%s\" y1=\"4\" x2=\"%s\" y2=\"%d\" "
		    "stroke=\"#d5dbe2\" stroke-width=\"1\"/>", num(n1, px),
		    num(n2, px), h - 18);
		sb_printf(&b, "<text x=\"%s\" y=\"%d\" font-size=\"11\" "
		    "text-anchor=\"middle\" fill=\"#5b6470\">%d</text>",
		    num(n1, px), h - 5, x);
	}
	for (i = 0; i < nb; i++) {
		int y = 8 + (int)i * BROW;
		double v = bars[i].value;
		char *l = cut_label(bars[i].label, CHART_LABEL_MAX);

		if (l == NULL) {
			b.oom = true;
			break;
		}
		if (bars[i].href != NULL) {
			sb_add(&b, "<a href=\"");
			sb_esc(&b, bars[i].href);
			sb_add(&b, "\">");
		}
		sb_add(&b, "<g><title>");
		sb_esc(&b, bars[i].label);
		if (v >= 0) {
			sb_add(&b, ": ");
			sb_add(&b, num(n1, clamp100(v)));
		}
		sb_add(&b, "</title>");
		sb_printf(&b, "<text x=\"%d\" y=\"%d\" font-size=\"12\" "
		    "text-anchor=\"end\" fill=\"#1b1f24\">", BLABEL - 8, y + 16);
		sb_esc(&b, l);
		sb_add(&b, "</text>");
		if (v >= 0) {
			v = clamp100(v);
			sb_printf(&b, "<rect x=\"%d\" y=\"%d\" width=\"%s\" "
			    "height=\"18\" fill=\"%s\"/>", BLABEL, y + 3,
			    num(n1, BBAR * v / 100), score_colour(v));
			sb_printf(&b, "<text x=\"%s\" y=\"%d\" font-size=\"12\" "
			    "fill=\"#1b1f24\">%s</text>",
			    num(n1, BLABEL + BBAR * v / 100 + 5), y + 16,
			    num(n2, v));
		} else
			sb_printf(&b, "<text x=\"%d\" y=\"%d\" font-size=\"12\" "
			    "fill=\"#5b6470\">\xe2\x80\x94</text>", BLABEL + 5,
			    y + 16);
		sb_add(&b, "</g>");
		if (bars[i].href != NULL)
			sb_add(&b, "</a>");
		free(l);
	}
	sb_add(&b, "</svg>");
	return sb_done(&b);
}

char *
chart_gauge(const char *title, double score)
{
	struct sbuf b = { 0 };
	char n1[32], n3[32];
	char desc[64];

	if (score >= 0)
		snprintf(desc, sizeof(desc), "%s / 100", num(n1, clamp100(score)));
	else
		snprintf(desc, sizeof(desc), "\xe2\x80\x94");
	svg_open(&b, 200, 120, "chart-gauge", title, desc);
	sb_add(&b, "<path d=\"M 20 100 A 80 80 0 0 1 180 100\" fill=\"none\" "
	    "stroke=\"#d5dbe2\" stroke-width=\"18\"/>");
	if (score >= 0) {
		double v = clamp100(score);

		/* the arc drawn for v of its 100 units of length */
		if (v > 0)
			sb_printf(&b, "<path d=\"M 20 100 A 80 80 0 0 1 180 100\" "
			    "pathLength=\"100\" stroke-dasharray=\"%s 100\" "
			    "fill=\"none\" stroke=\"%s\" stroke-width=\"18\"/>",
			    num(n1, v), score_colour(v));
		sb_printf(&b, "<text x=\"100\" y=\"96\" font-size=\"30\" "
		    "font-weight=\"bold\" text-anchor=\"middle\" "
		    "fill=\"%s\">%s</text>", score_colour(v), num(n3, v));
	} else
		sb_add(&b, "<text x=\"100\" y=\"96\" font-size=\"30\" "
		    "text-anchor=\"middle\" fill=\"#5b6470\">\xe2\x80\x94</text>");
	sb_add(&b, "<text x=\"20\" y=\"116\" font-size=\"10\" "
	    "text-anchor=\"middle\" fill=\"#5b6470\">0</text>"
	    "<text x=\"180\" y=\"116\" font-size=\"10\" text-anchor=\"middle\" "
	    "fill=\"#5b6470\">100</text></svg>");
	return sb_done(&b);
}

/* Series filled point by point. */

int
chart_points_add(struct chart_points *p, int64_t t, double v)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		int64_t *nt;
		double *nv;

		if ((nt = realloc(p->t, cap * sizeof(*nt))) == NULL)
			return -1;
		p->t = nt;
		if ((nv = realloc(p->v, cap * sizeof(*nv))) == NULL)
			return -1;
		p->v = nv;
		p->cap = cap;
	}
	p->t[p->n] = t;
	p->v[p->n] = v;
	p->n++;
	return 0;
}

struct chart_series
chart_points_series(const struct chart_points *p, const char *label)
{
	struct chart_series s = { label, p->t, p->v, p->n };

	return s;
}

void
chart_points_free(struct chart_points *p)
{
	free(p->t);
	free(p->v);
	memset(p, 0, sizeof(*p));
}
