/*
 * page_overview.c — GET /tong-quan, the ward overview: the score of every
 * unit (bar chart), the ward's and each unit's score over the last 90
 * days (line chart from the daily snapshots, store_scores), the open
 * critical findings (the 20 oldest) and the hosts silent for more than
 * two days. A unit role sees its own unit only, never the ward's figures.
 * Also the helpers the reading pages share, and their table of pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/json.h"
#include "lib/log.h"
#include "lib/text.h"
#include "server/chart.h"
#include "server/page_reading.h"

const struct web_page pages_reading[] = {
	{ "GET", "/tong-quan", WEB_ROLE_VIEWER, page_overview },
	{ "GET", "/don-vi/:id", WEB_ROLE_VIEWER, page_unit },
	{ "GET", "/may", WEB_ROLE_VIEWER, page_hosts },
	{ "GET", "/may/:id", WEB_ROLE_VIEWER, page_host },
};
const size_t pages_reading_n = sizeof(pages_reading) /
    sizeof(pages_reading[0]);

#define OVERVIEW_CRITICAL 20
#define OVERVIEW_SILENT 20

/* --- shared helpers ------------------------------------------------------ */

bool
page_parse_id(const char *s, int64_t *out)
{
	int64_t v = 0;
	size_t i;

	if (s == NULL || s[0] == '\0' || strlen(s) > 18)
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v <= 0)
		return false;
	*out = v;
	return true;
}

void
page_store_failed(struct web_req *r, struct http_reply *rep,
    const char *page, const char *err)
{
	char lv[600];

	log_warnx("event=web.store page=%s msg=%s", page,
	    http_logval(lv, sizeof(lv), err));
	web_error(r, rep, 500, "error.internal");
}

json_t *
page_time(int64_t t)
{
	char buf[32];

	chart_time(t, buf, sizeof(buf));
	return json_string(buf);
}

const char *
page_point_msgid(int point)
{
	static const char *const ids[9] = {
		"reading.point.0", "reading.point.1", "reading.point.2",
		"reading.point.3", "reading.point.4", "reading.point.5",
		"reading.point.6", "reading.point.7", "reading.point.8",
	};

	return ids[point >= 1 && point <= 8 ? point : 0];
}

void
page_score(json_t *obj, int score)
{
	char buf[16];

	if (score < 0) {
		json_set_str(obj, "score_text", "\xe2\x80\x94");
		json_set_str(obj, "score_class", "score-none");
		return;
	}
	snprintf(buf, sizeof(buf), "%d", score);
	json_set_int(obj, "score", score);
	json_set_str(obj, "score_text", buf);
	json_set_str(obj, "score_class", score >= 80 ? "score-good" :
	    score >= 50 ? "score-fair" : "score-poor");
}

static const char *
severity_class(const char *sev)
{
	static const char *const known[] = {
		"critical", "high", "medium", "low", "info",
	};
	size_t i;

	for (i = 0; sev != NULL && i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(sev, known[i]) == 0)
			return known[i];
	return "info";
}

static const char *
status_class(const char *st)
{
	static const char *const known[] = { "pass", "fail", "na", "error" };
	size_t i;

	for (i = 0; st != NULL && i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(st, known[i]) == 0)
			return known[i];
	return "error";
}

/* A copy of s cut to max bytes at a character boundary, "…" when cut. */
static json_t *
cut_text(const char *s, size_t max)
{
	size_t n;
	char *t;
	json_t *v;

	if (s == NULL)
		return json_string("");
	n = strlen(s);
	if (n <= max)
		return json_string(s);
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	t = text_printf("%.*s\xe2\x80\xa6", (int)n, s);
	v = json_string(t);
	free(t);
	return v;
}

json_t *
page_finding(struct web_req *r, const struct store_finding *f,
    int64_t unit_id, size_t evidence_max)
{
	json_t *o = json_object();
	const char *sev = severity_class(f->severity);
	const char *st = status_class(f->status);
	char id[32], key[48];

	json_set_str(o, "check", f->check);
	json_object_set_new(o, "title", cut_text(r->en && f->title_en ?
	    f->title_en : f->title_vi ? f->title_vi : f->check,
	    PAGE_TITLE_MAX));
	json_object_set_new(o, "remedy", cut_text(r->en && f->remedy_en ?
	    f->remedy_en : f->remedy_vi, PAGE_REMEDY_MAX));
	json_object_set_new(o, "evidence", cut_text(f->evidence,
	    evidence_max > 0 ? evidence_max : PAGE_EVIDENCE_MAX));
	/* json_string refuses what is not UTF-8: never leave a hole */
	if (json_object_get(o, "title") == NULL)
		json_set_str(o, "title", f->check);
	if (json_object_get(o, "remedy") == NULL)
		json_set_str(o, "remedy", "");
	if (json_object_get(o, "evidence") == NULL)
		json_set_str(o, "evidence", "");
	json_set_str(o, "status", st);
	snprintf(key, sizeof(key), "reading.status.%s", st);
	json_set_str(o, "status_text", web_msg(r, key));
	json_set_str(o, "severity", sev);
	snprintf(key, sizeof(key), "reading.severity.%s", sev);
	json_set_str(o, "severity_text", web_msg(r, key));
	json_set_int(o, "point", f->point);
	json_set_str(o, "point_text", web_msg(r, page_point_msgid(f->point)));
	json_object_set_new(o, "first_seen", page_time(f->first_seen));
	json_object_set_new(o, "last_seen", page_time(f->last_seen));
	if (f->resolved != 0)
		json_object_set_new(o, "resolved", page_time(f->resolved));
	json_set_str(o, "host_id", f->host_id);
	json_set_str(o, "hostname", f->hostname);
	json_set_str(o, "unit", f->unit);
	snprintf(id, sizeof(id), "%lld", (long long)unit_id);
	json_set_str(o, "unit_id", id);
	return o;
}

/* --- the overview -------------------------------------------------------- */

/* A series of the trend chart, grown as the scores come. */
struct trend {
	char *name;
	struct chart_points pts;
};

struct overview {
	struct web_req *r;
	json_t *units;			/* the units' rows for the table */
	json_t *names;			/* unit name -> true: visible */
	struct chart_bar *bars;
	size_t nbars;
	struct trend series[CHART_MAX_SERIES];
	size_t nseries;
	int hosts, scored, critical, silent;
	double sum;			/* of unit mean x scored hosts */
	json_t *rows;			/* findings or hosts being listed */
};

static int
overview_unit(const struct store_unit_row *u, void *arg)
{
	struct overview *o = arg;
	json_t *row = json_object();
	char href[48];
	struct chart_bar *b;

	snprintf(href, sizeof(href), "/don-vi/%lld", (long long)u->id);
	json_set_str(row, "name", u->name);
	json_set_str(row, "href", href);
	json_set_int(row, "hosts", u->hosts);
	json_set_int(row, "open_critical", u->open_critical);
	json_set_int(row, "open_high", u->open_high);
	json_set_int(row, "silent", u->silent);
	page_score(row, u->score < 0 ? -1 : (int)(u->score + 0.5));
	json_array_append_new(o->units, row);
	json_object_set_new(o->names, u->name ? u->name : "", json_true());
	o->hosts += u->hosts;
	o->critical += u->open_critical;
	o->silent += u->silent;
	if (u->scored > 0) {
		o->scored += u->scored;
		o->sum += u->score * u->scored;
	}
	if (o->nbars < CHART_MAX_BARS) {
		b = &o->bars[o->nbars++];
		/* the strings live in the row until the page is rendered */
		b->label = json_string_value(json_object_get(row, "name"));
		b->href = json_string_value(json_object_get(row, "href"));
		/* the same rounded score as the table beside it */
		b->value = u->score < 0 ? -1 : (int)(u->score + 0.5);
	}
	return 0;
}

static int
overview_score(const struct store_score *sc, void *arg)
{
	struct overview *o = arg;
	const char *name = strcmp(sc->scope, "ward") == 0 ? "" : sc->name;
	struct trend *t = NULL;
	size_t i;

	if (name[0] != '\0' && json_object_get(o->names, name) == NULL)
		return 0;
	for (i = 0; i < o->nseries; i++)
		if (strcmp(o->series[i].name, name) == 0) {
			t = &o->series[i];
			break;
		}
	if (t == NULL) {
		if (o->nseries >= CHART_MAX_SERIES)
			return 0;
		t = &o->series[o->nseries++];
		if ((t->name = strdup(name)) == NULL)
			return -1;
	}
	return chart_points_add(&t->pts, sc->time, sc->score);
}

static int
overview_critical(const struct store_finding *f, int64_t unit_id, void *arg)
{
	struct overview *o = arg;

	json_array_append_new(o->rows, page_finding(o->r, f, unit_id, 0));
	return 0;
}

static int
overview_silent(const struct store_host_row *h, void *arg)
{
	struct overview *o = arg;
	json_t *row = json_object();
	char id[32];

	json_set_str(row, "id", h->h.id);
	json_set_str(row, "hostname", h->h.hostname);
	json_set_str(row, "unit", h->h.unit);
	snprintf(id, sizeof(id), "%lld", (long long)h->unit_id);
	json_set_str(row, "unit_id", id);
	json_object_set_new(row, "last_seen", page_time(h->h.last_seen));
	json_set_int(row, "days", (o->r->now - h->h.last_seen) / 86400);
	json_set_bool(row, "revoked", h->h.revoked);
	json_array_append_new(o->rows, row);
	return 0;
}

static void
overview_free(struct overview *o)
{
	size_t i;

	for (i = 0; i < o->nseries; i++) {
		free(o->series[i].name);
		chart_points_free(&o->series[i].pts);
	}
	free(o->bars);
	json_decref(o->units);
	json_decref(o->names);
	json_decref(o->rows);
}

void
page_overview(struct web_req *r, struct http_reply *rep)
{
	struct store *st = web_store(r);
	struct overview o;
	struct chart_series cs[CHART_MAX_SERIES];
	struct store_finding_query fq;
	struct store_host_query hq;
	int64_t scope = web_scope_unit(&r->user), silent_total = 0;
	char err[512];
	char *svg;
	size_t i;
	json_t *m = json_object();
	double mean;

	memset(&o, 0, sizeof(o));
	o.r = r;
	o.units = json_array();
	o.names = json_object();
	o.bars = calloc(CHART_MAX_BARS, sizeof(*o.bars));
	if (o.bars == NULL) {
		overview_free(&o);
		json_decref(m);
		web_error(r, rep, 500, "error.internal");
		return;
	}
	if (store_console_units(st, scope, r->now - PAGE_SILENT_S,
	    overview_unit, &o, err, sizeof(err)) != STORE_OK)
		goto fail;
	/* the trend: the ward (not for a unit role), then each unit */
	if (scope == 0 && store_scores(st, "ward", "", r->now - PAGE_TREND_S,
	    overview_score, &o, err, sizeof(err)) != STORE_OK)
		goto fail;
	if (store_scores(st, "unit", NULL, r->now - PAGE_TREND_S,
	    overview_score, &o, err, sizeof(err)) != STORE_OK)
		goto fail;
	for (i = 0; i < o.nseries; i++)
		cs[i] = chart_points_series(&o.series[i].pts,
		    o.series[i].name[0] != '\0' ? o.series[i].name :
		    web_msg(r, "overview.ward"));
	json_set_str(m, "title", web_msg(r, "overview.title"));
	if (scope != 0)
		json_set_str(m, "scope_unit", r->user.unit);
	json_set_int(m, "hosts", o.hosts);
	json_set_int(m, "scored", o.scored);
	json_set_int(m, "open_critical", o.critical);
	json_set_int(m, "silent_count", o.silent);
	mean = o.scored > 0 ? o.sum / o.scored : -1;
	page_score(m, mean < 0 ? -1 : (int)(mean + 0.5));
	if ((svg = chart_gauge(web_msg(r, scope != 0 ? "overview.gauge_unit" :
	    "overview.gauge_ward"), mean < 0 ? -1 : (int)(mean + 0.5))) !=
	    NULL) {
		json_set_str(m, "html_gauge", svg);
		free(svg);
	}
	if (o.nbars > 0 && (svg = chart_bars(web_msg(r, "overview.bars"),
	    web_msg(r, "overview.bars_desc"), o.bars, o.nbars)) != NULL) {
		json_set_str(m, "html_bars", svg);
		free(svg);
	}
	if (o.nseries > 0 && (svg = chart_line(web_msg(r, "overview.trend"),
	    web_msg(r, "overview.trend_desc"), cs, o.nseries)) != NULL) {
		json_set_str(m, "html_trend", svg);
		free(svg);
	}
	json_set_bool(m, "has_units", json_array_size(o.units) > 0);
	json_object_set(m, "units", o.units);

	/* the open critical findings, oldest first */
	memset(&fq, 0, sizeof(fq));
	fq.unit_id = scope;
	fq.severity = "critical";
	fq.open_only = true;
	fq.limit = OVERVIEW_CRITICAL;
	o.rows = json_array();
	if (store_console_findings(st, &fq, overview_critical, &o, err,
	    sizeof(err)) != STORE_OK)
		goto fail;
	json_set_bool(m, "has_critical", json_array_size(o.rows) > 0);
	json_object_set_new(m, "critical", o.rows);
	o.rows = NULL;

	/* the silent hosts, the longest silent first */
	memset(&hq, 0, sizeof(hq));
	hq.unit_id = scope;
	hq.score_min = -1;
	hq.score_max = 100;
	hq.silent_before = r->now - PAGE_SILENT_S;
	hq.sort = STORE_SORT_SEEN;
	hq.limit = OVERVIEW_SILENT;
	o.rows = json_array();
	if (store_console_hosts(st, &hq, overview_silent, &o, &silent_total,
	    err, sizeof(err)) != STORE_OK)
		goto fail;
	json_set_bool(m, "has_silent", json_array_size(o.rows) > 0);
	json_object_set_new(m, "silent", o.rows);
	o.rows = NULL;
	json_set_bool(m, "silent_more", silent_total > OVERVIEW_SILENT);
	json_set_int(m, "silent_total", silent_total);
	overview_free(&o);
	web_render(r, rep, 200, "overview", m);
	return;
fail:
	overview_free(&o);
	json_decref(m);
	page_store_failed(r, rep, "overview", err);
}
