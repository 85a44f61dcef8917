/*
 * page_unit.c — GET /don-vi/:id, a unit's scorecard: its score, where it
 * stands on each point 1–8 of the directive (pass, fail and score summed
 * over the latest report of each of its hosts), its score over the last
 * 90 days, its hosts (worst first) and its worst open findings. A unit
 * role asking for another unit gets 404, as for a unit that does not
 * exist, so that the ids of other units are not confirmed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/json.h"
#include "lib/text.h"
#include "server/chart.h"
#include "server/page_reading.h"

#define UNIT_HOSTS 200
#define UNIT_WORST 20

struct unit_page {
	struct web_req *r;
	json_t *m;
	json_t *rows;
	bool found;
	char name[256];
	struct chart_points scores;	/* the unit's score over time */
};

static int
unit_row(const struct store_unit_row *u, void *arg)
{
	struct unit_page *p = arg;
	int score = u->score < 0 ? -1 : (int)(u->score + 0.5);
	char *svg;

	p->found = true;
	snprintf(p->name, sizeof(p->name), "%s", u->name ? u->name : "");
	json_set_str(p->m, "title", u->name);
	json_set_str(p->m, "name", u->name);
	json_set_int(p->m, "hosts", u->hosts);
	json_set_int(p->m, "scored", u->scored);
	json_set_int(p->m, "open_critical", u->open_critical);
	json_set_int(p->m, "open_high", u->open_high);
	json_set_int(p->m, "silent_count", u->silent);
	page_score(p->m, score);
	if ((svg = chart_gauge(web_msg(p->r, "unit.gauge"), score)) != NULL) {
		json_set_str(p->m, "html_gauge", svg);
		free(svg);
	}
	return 0;
}

static int
unit_score(const struct store_score *sc, void *arg)
{
	struct unit_page *p = arg;

	return chart_points_add(&p->scores, sc->time, sc->score);
}

static int
unit_host(const struct store_host_row *h, void *arg)
{
	struct unit_page *p = arg;
	json_t *row = json_object();

	json_set_str(row, "id", h->h.id);
	json_set_str(row, "hostname", h->h.hostname);
	json_set_str(row, "os", h->h.os_name ? h->h.os_name : "");
	page_score(row, h->h.score);
	json_set_int(row, "open_critical", h->h.open_critical);
	json_set_int(row, "open_high", h->h.open_high);
	json_object_set_new(row, "last_seen", page_time(h->h.last_seen));
	json_set_bool(row, "silent", h->h.last_seen < p->r->now -
	    PAGE_SILENT_S);
	json_set_bool(row, "revoked", h->h.revoked);
	json_array_append_new(p->rows, row);
	return 0;
}

static int
unit_finding(const struct store_finding *f, int64_t unit_id, void *arg)
{
	struct unit_page *p = arg;

	json_array_append_new(p->rows, page_finding(p->r, f, unit_id, 0));
	return 0;
}

/* The points table and its bar chart. */
static void
unit_points(struct unit_page *p, const struct store_point_row pt[9])
{
	struct chart_bar bars[8];
	json_t *rows = json_array();
	char *svg;
	int k;

	for (k = 1; k <= 8; k++) {
		json_t *row = json_object();

		json_set_int(row, "point", k);
		json_set_str(row, "title", web_msg(p->r, page_point_msgid(k)));
		json_set_int(row, "hosts", pt[k].hosts);
		json_set_int(row, "hosts_failing", pt[k].hosts_failing);
		json_set_int(row, "pass", pt[k].pass);
		json_set_int(row, "fail", pt[k].fail);
		json_set_int(row, "na", pt[k].na);
		json_set_int(row, "error", pt[k].error);
		page_score(row, pt[k].score < 0 ? -1 : (int)(pt[k].score +
		    0.5));
		json_array_append_new(rows, row);
		bars[k - 1].label = json_string_value(json_object_get(row,
		    "title"));
		bars[k - 1].value = pt[k].score < 0 ? -1 :
		    (int)(pt[k].score + 0.5);
		bars[k - 1].href = NULL;
	}
	if ((svg = chart_bars(web_msg(p->r, "unit.points_chart"),
	    web_msg(p->r, "unit.points_desc"), bars, 8)) != NULL) {
		json_set_str(p->m, "html_points", svg);
		free(svg);
	}
	json_object_set_new(p->m, "points", rows);
}

void
page_unit(struct web_req *r, struct http_reply *rep)
{
	struct store *st = web_store(r);
	struct unit_page p;
	struct store_point_row pt[9];
	struct store_host_query hq;
	struct store_finding_query fq;
	struct chart_series cs;
	int64_t id, total = 0;
	char err[512], href[48];
	char *svg;

	if (!page_parse_id(r->args[0], &id) || !web_can_see_unit(&r->user,
	    id)) {
		web_error(r, rep, 404, "error.not_found");
		return;
	}
	memset(&p, 0, sizeof(p));
	p.r = r;
	p.m = json_object();
	if (store_console_units(st, id, r->now - PAGE_SILENT_S, unit_row, &p,
	    err, sizeof(err)) != STORE_OK)
		goto fail;
	if (!p.found) {
		json_decref(p.m);
		web_error(r, rep, 404, "error.not_found");
		return;
	}
	json_set_int(p.m, "id", id);
	if (store_console_points(st, id, pt, err, sizeof(err)) != STORE_OK)
		goto fail;
	unit_points(&p, pt);

	if (store_scores(st, "unit", p.name, r->now - PAGE_TREND_S,
	    unit_score, &p, err, sizeof(err)) != STORE_OK)
		goto fail;
	if (p.scores.n > 0) {
		cs = chart_points_series(&p.scores, p.name);
		if ((svg = chart_line(web_msg(r, "unit.trend"),
		    web_msg(r, "unit.trend_desc"), &cs, 1)) != NULL) {
			json_set_str(p.m, "html_trend", svg);
			free(svg);
		}
	}

	memset(&hq, 0, sizeof(hq));
	hq.unit_id = id;
	hq.score_min = -1;
	hq.score_max = 100;
	hq.sort = STORE_SORT_SCORE;
	hq.limit = UNIT_HOSTS;
	p.rows = json_array();
	if (store_console_hosts(st, &hq, unit_host, &p, &total, err,
	    sizeof(err)) != STORE_OK)
		goto fail;
	json_object_set_new(p.m, "host_rows", p.rows);
	p.rows = NULL;
	json_set_bool(p.m, "hosts_more", total > UNIT_HOSTS);
	snprintf(href, sizeof(href), "/may?don-vi=%lld", (long long)id);
	json_set_str(p.m, "hosts_href", href);

	memset(&fq, 0, sizeof(fq));
	fq.unit_id = id;
	fq.open_only = true;
	fq.limit = UNIT_WORST;
	p.rows = json_array();
	if (store_console_findings(st, &fq, unit_finding, &p, err,
	    sizeof(err)) != STORE_OK)
		goto fail;
	json_set_bool(p.m, "has_worst", json_array_size(p.rows) > 0);
	json_object_set_new(p.m, "worst", p.rows);
	p.rows = NULL;
	chart_points_free(&p.scores);
	web_render(r, rep, 200, "unit", p.m);
	return;
fail:
	json_decref(p.rows);
	json_decref(p.m);
	chart_points_free(&p.scores);
	page_store_failed(r, rep, "unit", err);
}
