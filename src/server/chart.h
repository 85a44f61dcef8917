/*
 * chart.h — the console's charts, drawn by the server as inline SVG: a
 * line chart of scores over time (0–100 y axis), a horizontal bar chart
 * and a score gauge. No chart library, no font, no script and no style
 * element inside (the CSP allows neither): sizes come from the viewBox so
 * that a chart scales to its box, colours from presentation attributes,
 * and every label is XML-escaped, so that a host or unit name sent by an
 * agent is only ever text. Each chart has <title> and <desc> for screen
 * readers. The result goes into the template as an html_ key (tmpl.h).
 */
#ifndef CG_CHART_H
#define CG_CHART_H

#include <stddef.h>
#include <stdint.h>

#define CHART_MAX_SERIES 12		/* more are left out */
#define CHART_MAX_POINTS 2000		/* of a series; the latest are kept */
#define CHART_MAX_BARS 200		/* more are left out */
#define CHART_LABEL_MAX 26		/* characters of a bar's label */

/* Vietnam time (UTC+7, no daylight saving): "29/11/2026 17:05" and
 * "29/11/2026"; "" for t <= 0. */
#define CHART_TZ_OFFSET (7 * 3600)
void chart_time(int64_t t, char *buf, size_t size);
void chart_date(int64_t t, char *buf, size_t size);

/* A malloc'd XML-escaped copy of s (& < > " '), with the characters XML
 * cannot carry (C0 controls but tab and newline) dropped and bytes that
 * are not UTF-8 replaced by U+FFFD; "" for NULL. NULL only when out of
 * memory. */
char *chart_escape(const char *s);

struct chart_series {
	const char *label;		/* legend */
	const int64_t *t;		/* UTC seconds, ascending */
	const double *v;		/* 0–100 (clamped) */
	size_t n;
};

/* The points of a series as they are read (scores from the store, one
 * by one), in arrays grown here: chart_points_add appends one (0, or -1
 * when out of memory, the points kept so far unchanged); chart_points_series
 * gives the series to draw (valid until the next add or the free). */
struct chart_points {
	int64_t *t;
	double *v;
	size_t n, cap;
};
int chart_points_add(struct chart_points *p, int64_t t, double v);
struct chart_series chart_points_series(const struct chart_points *p,
    const char *label);
void chart_points_free(struct chart_points *p);

/* Scores over time: x from the earliest to the latest time of all series
 * (dates in Vietnam time), y 0–100. A series of one point is a dot. */
char *chart_line(const char *title, const char *desc,
    const struct chart_series *s, size_t ns);

struct chart_bar {
	const char *label;
	double value;			/* 0–100 (clamped); < 0: no value */
	const char *href;		/* a local link, or NULL */
};

/* One bar a row, the label on the left (cut to CHART_LABEL_MAX
 * characters; the whole label in the row's <title>), the value after the
 * bar, coloured by score (good >= 80, fair >= 50, poor below). */
char *chart_bars(const char *title, const char *desc,
    const struct chart_bar *b, size_t nb);

/* A half-circle gauge of one score; score < 0 draws an empty gauge with
 * "—". */
char *chart_gauge(const char *title, double score);

#endif
