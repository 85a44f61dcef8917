/*
 * page_hosts.c — GET /may, the hosts: search by name, filter by unit, OS,
 * score range and silence, sort by name, score, last seen or open
 * critical findings, page by page (at most STORE_PAGE_MAX rows); and GET
 * /may/:id, one host: its identity, its score over time, its findings
 * grouped by directive point with evidence and remedy, its latest facts
 * section by section (<details>, no script) and the history of their
 * changes. Everything a host sent is model text, escaped by the template;
 * a host or unit of another unit is answered 404 like an unknown one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/json.h"
#include "lib/text.h"
#include "server/chart.h"
#include "server/page_reading.h"

#define HOSTS_PER_PAGE 50
#define HOSTS_TEXT_MAX 200		/* bytes of a search or OS filter */
#define HOSTS_PAGE_LAST 100000
/* What one host page shows of what its agent sent, so that the page stays
 * far below TMPL_MAX_OUTPUT even when every character needs escaping. */
#define HOST_FINDINGS 600
#define HOST_EVIDENCE_BUDGET (256u << 10)	/* bytes over all findings */
#define HOST_EVIDENCE_ONE 8000		/* of one finding, in the budget */
#define HOST_EVIDENCE_LOW 200		/* of one finding, past it */
#define FACT_BYTES_MAX (384u << 10)	/* bytes of facts on one page */
#define HOST_HISTORY 50
#define FACT_ROWS_MAX 3000		/* rows of facts on one page */
#define FACT_TABLE_ROWS 200
#define FACT_TABLE_COLS 8
#define FACT_VALUE_MAX 1000
#define FACT_DEPTH 3
#define FACT_KEY_MAX 120		/* bytes of a key or path shown */

/* --- the list ------------------------------------------------------------ */

struct hosts_filter {
	const char *q, *os;
	int64_t unit_id;		/* 0: all visible */
	int min, max;			/* -1 .. 100 */
	bool silent, desc;
	int sort, page, per;
};

static const char *const hosts_sort_names[] = {
	"ten", "diem", "lan-cuoi", "nghiem-trong",
};

/* Appends "&name=value" (percent-encoded) to a link. */
static char *
link_arg(char *link, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(link), i;
	char *out, *o;

	if ((out = realloc(link, n + strlen(name) + 3 * strlen(value) + 3)) ==
	    NULL) {
		free(link);
		return NULL;
	}
	o = out + n;
	*o++ = strchr(out, '?') != NULL ? '&' : '?';
	o += sprintf(o, "%s=", name);
	for (i = 0; value[i] != '\0'; i++) {
		unsigned char c = (unsigned char)value[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~')
			*o++ = (char)c;
		else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

/* The link to the list with f's filters, sorted and paged as asked. */
static json_t *
hosts_link(const struct hosts_filter *f, int sort, bool desc, int page)
{
	char num[32], *l = text_dup("/may");
	json_t *v;

	if (l != NULL && f->q != NULL && f->q[0] != '\0')
		l = link_arg(l, "q", f->q);
	if (l != NULL && f->unit_id > 0) {
		snprintf(num, sizeof(num), "%lld", (long long)f->unit_id);
		l = link_arg(l, "don-vi", num);
	}
	if (l != NULL && f->os != NULL && f->os[0] != '\0')
		l = link_arg(l, "hdh", f->os);
	if (l != NULL && f->min > -1) {
		snprintf(num, sizeof(num), "%d", f->min);
		l = link_arg(l, "tu", num);
	}
	if (l != NULL && f->max < 100) {
		snprintf(num, sizeof(num), "%d", f->max);
		l = link_arg(l, "den", num);
	}
	if (l != NULL && f->silent)
		l = link_arg(l, "im-lang", "1");
	if (l != NULL && sort != 0)
		l = link_arg(l, "sap", hosts_sort_names[sort]);
	if (l != NULL && desc)
		l = link_arg(l, "giam", "1");
	if (l != NULL && f->per != HOSTS_PER_PAGE) {
		snprintf(num, sizeof(num), "%d", f->per);
		l = link_arg(l, "so", num);
	}
	if (l != NULL && page > 1) {
		snprintf(num, sizeof(num), "%d", page);
		l = link_arg(l, "trang", num);
	}
	v = json_string(l ? l : "/may");
	free(l);
	return v;
}

/* An integer query argument in [lo, hi]: absent or "" keeps *out. */
static bool
query_int(struct web_req *r, const char *name, long lo, long hi, int *out)
{
	const char *s = web_query(r, name);
	long v;

	if (s == NULL || s[0] == '\0')
		return true;
	if (strlen(s) > 10 || !text_to_long(s, &v) || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

/* Reads the filters; false when one is malformed (400). */
static bool
hosts_parse(struct web_req *r, struct hosts_filter *f)
{
	const char *s;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->min = -1;
	f->max = 100;
	f->page = 1;
	f->per = HOSTS_PER_PAGE;
	f->q = web_query(r, "q");
	f->os = web_query(r, "hdh");
	if ((f->q != NULL && strlen(f->q) > HOSTS_TEXT_MAX) ||
	    (f->os != NULL && strlen(f->os) > HOSTS_TEXT_MAX))
		return false;
	if ((s = web_query(r, "don-vi")) != NULL && s[0] != '\0' &&
	    !page_parse_id(s, &f->unit_id))
		return false;
	if (!query_int(r, "tu", -1, 100, &f->min) ||
	    !query_int(r, "den", -1, 100, &f->max) ||
	    !query_int(r, "trang", 1, HOSTS_PAGE_LAST, &f->page) ||
	    !query_int(r, "so", 1, STORE_PAGE_MAX, &f->per))
		return false;
	f->silent = (s = web_query(r, "im-lang")) != NULL &&
	    strcmp(s, "1") == 0;
	f->desc = (s = web_query(r, "giam")) != NULL && strcmp(s, "1") == 0;
	if ((s = web_query(r, "sap")) != NULL && s[0] != '\0') {
		for (i = 0; i < sizeof(hosts_sort_names) /
		    sizeof(hosts_sort_names[0]); i++)
			if (strcmp(s, hosts_sort_names[i]) == 0)
				break;
		if (i == sizeof(hosts_sort_names) /
		    sizeof(hosts_sort_names[0]))
			return false;
		f->sort = (int)i;
	}
	return true;
}

struct hosts_page {
	struct web_req *r;
	json_t *rows;
	int64_t want_unit;
	bool unit_seen;
};

static int
hosts_row(const struct store_host_row *h, void *arg)
{
	struct hosts_page *p = arg;
	json_t *row = json_object();
	char id[32];

	json_set_str(row, "id", h->h.id);
	json_set_str(row, "hostname", h->h.hostname);
	json_set_str(row, "unit", h->h.unit);
	snprintf(id, sizeof(id), "%lld", (long long)h->unit_id);
	json_set_str(row, "unit_id", id);
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
hosts_unit_opt(const struct store_unit_row *u, void *arg)
{
	struct hosts_page *p = arg;
	json_t *o = json_object();
	char id[32];

	snprintf(id, sizeof(id), "%lld", (long long)u->id);
	json_set_str(o, "id", id);
	json_set_str(o, "name", u->name);
	json_set_bool(o, "selected", u->id == p->want_unit);
	if (u->id == p->want_unit)
		p->unit_seen = true;
	json_array_append_new(p->rows, o);
	return 0;
}

struct os_opts {
	json_t *rows;
	const char *want;
};

static int
hosts_os_opt(const char *os, void *arg)
{
	struct os_opts *o = arg;
	json_t *row = json_object();

	json_set_str(row, "name", os);
	json_set_bool(row, "selected", o->want != NULL &&
	    strcmp(o->want, os) == 0);
	json_array_append_new(o->rows, row);
	return 0;
}

void
page_hosts(struct web_req *r, struct http_reply *rep)
{
	struct store *st = web_store(r);
	struct hosts_filter f;
	struct hosts_page p;
	struct store_host_query hq;
	struct os_opts oo;
	int64_t scope = web_scope_unit(&r->user), total = 0, pages;
	char err[512];
	json_t *m, *sorts;
	int i;

	if (!hosts_parse(r, &f)) {
		web_error(r, rep, 400, "error.bad_request");
		return;
	}
	/* another unit's id answers as an unknown one */
	if (f.unit_id > 0 && !web_can_see_unit(&r->user, f.unit_id)) {
		web_error(r, rep, 404, "error.not_found");
		return;
	}
	memset(&p, 0, sizeof(p));
	p.r = r;
	m = json_object();
	json_set_str(m, "title", web_msg(r, "hosts.title"));

	/* the unit selector: the units this person may see */
	p.rows = json_array();
	p.want_unit = f.unit_id;
	if (store_console_unit_names(st, scope, hosts_unit_opt, &p, err,
	    sizeof(err)) != STORE_OK)
		goto fail;
	if (f.unit_id > 0 && !p.unit_seen) {
		json_decref(p.rows);
		json_decref(m);
		web_error(r, rep, 404, "error.not_found");
		return;
	}
	json_object_set_new(m, "unit_opts", p.rows);
	json_set_bool(m, "many_units", scope == 0);
	oo.rows = json_array();
	oo.want = f.os;
	p.rows = NULL;
	if (store_console_oses(st, scope, hosts_os_opt, &oo, err,
	    sizeof(err)) != STORE_OK) {
		json_decref(oo.rows);
		goto fail;
	}
	json_object_set_new(m, "os_opts", oo.rows);

	memset(&hq, 0, sizeof(hq));
	hq.unit_id = f.unit_id > 0 ? f.unit_id : scope;
	hq.name = f.q;
	hq.os = f.os;
	hq.score_min = f.min;
	hq.score_max = f.max;
	hq.silent_before = f.silent ? r->now - PAGE_SILENT_S : 0;
	hq.sort = (enum store_host_sort)f.sort;
	hq.desc = f.desc;
	hq.limit = f.per;
	hq.offset = (f.page - 1) * f.per;
	p.rows = json_array();
	if (store_console_hosts(st, &hq, hosts_row, &p, &total, err,
	    sizeof(err)) != STORE_OK)
		goto fail;
	json_object_set_new(m, "rows", p.rows);
	p.rows = NULL;

	pages = total > 0 ? (total + f.per - 1) / f.per : 1;
	json_set_int(m, "total", total);
	json_set_int(m, "page", f.page);
	json_set_int(m, "pages", pages);
	json_set_int(m, "from", total > 0 ? hq.offset + 1 : 0);
	json_set_int(m, "to", hq.offset + (int64_t)json_array_size(
	    json_object_get(m, "rows")));
	if (f.page > 1)
		json_object_set_new(m, "prev_href", hosts_link(&f, f.sort,
		    f.desc, f.page - 1 < pages ? f.page - 1 : (int)pages));
	if (f.page < pages)
		json_object_set_new(m, "next_href", hosts_link(&f, f.sort,
		    f.desc, f.page + 1));
	/* the column headers: a link that sorts by it, again to reverse */
	sorts = json_object();
	for (i = 0; i < 4; i++) {
		json_t *s = json_object();
		bool cur = f.sort == i;

		json_object_set_new(s, "href", hosts_link(&f, i,
		    cur ? !f.desc : i != 0, 1));
		if (cur)
			json_set_str(s, "aria", f.desc ? "descending" :
			    "ascending");
		json_object_set_new(sorts, hosts_sort_names[i], s);
	}
	json_object_set_new(m, "sort", sorts);
	json_set_str(m, "q", f.q ? f.q : "");
	if (f.min > -1)
		json_set_int(m, "min", f.min);
	if (f.max < 100)
		json_set_int(m, "max", f.max);
	json_set_bool(m, "silent", f.silent);
	json_set_bool(m, "filtered", (f.q && f.q[0]) || f.unit_id > 0 ||
	    (f.os && f.os[0]) || f.min > -1 || f.max < 100 || f.silent);
	web_render(r, rep, 200, "hosts", m);
	return;
fail:
	json_decref(p.rows);
	json_decref(m);
	page_store_failed(r, rep, "hosts", err);
}

/* --- one host ------------------------------------------------------------ */

struct host_page {
	struct web_req *r;
	json_t *m;
	bool found;
	int64_t unit_id;
	json_t *groups;			/* findings by point */
	json_t *group;			/* the current one */
	int group_point;
	json_t *rows;
	struct chart_points scores;	/* the host's score over time */
	size_t evidence;		/* bytes of evidence shown so far */
};

static void
set_opt(json_t *o, const char *key, const char *v)
{
	if (v != NULL && v[0] != '\0')
		json_set_str(o, key, v);
}

static int
host_identity(const struct store_host_row *h, void *arg)
{
	struct host_page *p = arg;
	json_t *m = p->m;
	char id[32];
	char *svg;

	p->found = true;
	p->unit_id = h->unit_id;
	json_set_str(m, "title", h->h.hostname);
	json_set_str(m, "id", h->h.id);
	json_set_str(m, "hostname", h->h.hostname);
	json_set_str(m, "unit", h->h.unit);
	snprintf(id, sizeof(id), "%lld", (long long)h->unit_id);
	json_set_str(m, "unit_id", id);
	set_opt(m, "os_name", h->h.os_name);
	set_opt(m, "os_version", h->os_version);
	set_opt(m, "kernel", h->h.kernel);
	set_opt(m, "arch", h->arch);
	set_opt(m, "platform", h->platform);
	set_opt(m, "agent_id", h->h.agent_id);
	set_opt(m, "agent_version", h->h.agent_version);
	if (h->h.level > 0)
		json_set_int(m, "level", h->h.level);
	json_set_int(m, "pass", h->h.pass);
	json_set_int(m, "fail", h->h.fail);
	json_set_int(m, "na", h->h.na);
	json_set_int(m, "error", h->h.error);
	json_set_int(m, "open_critical", h->h.open_critical);
	json_set_int(m, "open_high", h->h.open_high);
	json_object_set_new(m, "first_seen", page_time(h->h.first_seen));
	json_object_set_new(m, "last_seen", page_time(h->h.last_seen));
	json_object_set_new(m, "report_at", page_time(h->report_at));
	json_set_bool(m, "silent", h->h.last_seen < p->r->now -
	    PAGE_SILENT_S);
	json_set_bool(m, "revoked", h->h.revoked);
	page_score(m, h->h.score);
	if ((svg = chart_gauge(web_msg(p->r, "host.gauge"), h->h.score)) !=
	    NULL) {
		json_set_str(m, "html_gauge", svg);
		free(svg);
	}
	return 0;
}

static int
host_score(const struct store_score *sc, void *arg)
{
	struct host_page *p = arg;

	return chart_points_add(&p->scores, sc->time, sc->score);
}

static int
host_finding(const struct store_finding *f, int64_t unit_id, void *arg)
{
	struct host_page *p = arg;
	json_t *list;
	size_t max, len;
	bool open = f->resolved == 0 && (strcmp(f->status, "fail") == 0 ||
	    strcmp(f->status, "error") == 0);

	if (p->group == NULL || f->point != p->group_point) {
		p->group = json_object();
		p->group_point = f->point;
		json_set_int(p->group, "point", f->point);
		json_set_str(p->group, "title", web_msg(p->r,
		    page_point_msgid(f->point)));
		json_object_set_new(p->group, "findings", json_array());
		json_set_int(p->group, "open", 0);
		json_set_int(p->group, "count", 0);
		json_array_append_new(p->groups, p->group);
	}
	list = json_object_get(p->group, "findings");
	max = p->evidence < HOST_EVIDENCE_BUDGET ? HOST_EVIDENCE_ONE :
	    HOST_EVIDENCE_LOW;
	len = f->evidence != NULL ? strlen(f->evidence) : 0;
	p->evidence += len < max ? len : max;
	json_array_append_new(list, page_finding(p->r, f, unit_id, max));
	json_set_int(p->group, "count", json_int(p->group, "count", 0) + 1);
	if (open) {
		json_set_int(p->group, "open", json_int(p->group, "open", 0) +
		    1);
		json_set_bool(p->group, "has_open", true);
	}
	return 0;
}

/* A scalar as text, cut to max bytes. */
static char *
fact_text(struct web_req *r, json_t *v, size_t max)
{
	char *s, *t;
	size_t n;

	switch (json_typeof(v)) {
	case JSON_STRING:
		s = text_dup(json_string_value(v));
		break;
	case JSON_INTEGER:
		s = text_printf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		s = text_printf("%g", json_real_value(v));
		break;
	case JSON_TRUE:
		s = text_dup(web_msg(r, "reading.yes"));
		break;
	case JSON_FALSE:
		s = text_dup(web_msg(r, "reading.no"));
		break;
	case JSON_NULL:
		s = text_dup("\xe2\x80\x94");
		break;
	default:
		s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (s == NULL)
			s = text_dup("");
		break;
	}
	if (s == NULL || (n = strlen(s)) <= max)
		return s;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	t = text_printf("%.*s\xe2\x80\xa6", (int)n, s);
	free(s);
	return t;
}

/* A key or name as JSON text cut to max bytes. */
static json_t *
fact_key(const char *k, size_t max)
{
	size_t n = strlen(k);
	json_t *v;
	char *t;

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)k[n] & 0xc0) == 0x80)
			n--;
	}
	t = text_printf("%.*s%s", (int)n, k, n < strlen(k) ?
	    "\xe2\x80\xa6" : "");
	v = t != NULL ? json_string(t) : NULL;
	free(t);
	return v != NULL ? v : json_string("");
}

struct facts_out {
	struct web_req *r;
	json_t *scalars, *tables;
	size_t budget;			/* rows left on the page */
	size_t bytes;			/* bytes of text left on the page */
};

/* Takes n bytes from the page's budget; when it is spent, no more rows. */
static void
facts_spend(struct facts_out *o, size_t n)
{
	if (n >= o->bytes) {
		o->bytes = 0;
		o->budget = 0;
	} else
		o->bytes -= n;
}

static void
fact_scalar(struct facts_out *o, const char *key, json_t *v)
{
	json_t *row;
	char *t;

	if (o->budget == 0)
		return;
	o->budget--;
	row = json_object();
	t = fact_text(o->r, v, FACT_VALUE_MAX);
	json_object_set_new(row, "key", fact_key(key, FACT_KEY_MAX));
	json_set_str(row, "value", t ? t : "");
	facts_spend(o, strlen(key) + (t ? strlen(t) : 0));
	free(t);
	json_array_append_new(o->scalars, row);
}

static bool
is_scalar(json_t *v)
{
	return !json_is_object(v) && !json_is_array(v);
}

/* An array of objects as a table of their scalar members. */
static void
fact_table(struct facts_out *o, const char *key, json_t *arr)
{
	json_t *tab = json_object(), *cols = json_array(), *rows = json_array();
	json_t *shown = json_array();
	json_t *item, *v;
	const char *k;
	size_t i, j, n = json_array_size(arr);

	json_array_foreach(arr, i, item) {
		if (i >= 50)
			break;
		json_object_foreach(item, k, v) {
			bool have = false;

			if (!is_scalar(v) && !json_is_array(v))
				continue;
			for (j = 0; j < json_array_size(cols); j++)
				if (strcmp(json_string_value(json_array_get(
				    cols, j)), k) == 0)
					have = true;
			if (!have && json_array_size(cols) < FACT_TABLE_COLS)
				json_array_append_new(cols, json_string(k));
		}
	}
	/* the names shown are cut; cols keeps the keys to look up */
	json_array_foreach(cols, i, v) {
		json_array_append_new(shown, fact_key(json_string_value(v),
		    FACT_KEY_MAX));
		facts_spend(o, json_string_length(v));
	}
	json_array_foreach(arr, i, item) {
		json_t *cells;

		if (i >= FACT_TABLE_ROWS || o->budget == 0)
			break;
		o->budget--;
		cells = json_array();
		for (j = 0; j < json_array_size(cols); j++) {
			char *t;

			v = json_object_get(item, json_string_value(
			    json_array_get(cols, j)));
			t = v != NULL ? fact_text(o->r, v, 200) : NULL;
			json_array_append_new(cells, json_string(t ? t : ""));
			facts_spend(o, t ? strlen(t) : 0);
			free(t);
		}
		json_array_append_new(rows, json_pack("{s:o}", "cells", cells));
	}
	json_object_set_new(tab, "key", fact_key(key, FACT_KEY_MAX));
	json_object_set_new(tab, "columns", shown);
	json_decref(cols);
	json_set_int(tab, "count", (long long)n);
	if (json_array_size(rows) < n)
		json_set_int(tab, "more", (long long)(n -
		    json_array_size(rows)));
	json_object_set_new(tab, "rows", rows);
	json_array_append_new(o->tables, tab);
}

static void
fact_walk(struct facts_out *o, const char *path, json_t *v, int depth)
{
	const char *k;
	json_t *c;
	size_t i;
	bool objects = true, scalars = true;

	if (is_scalar(v)) {
		fact_scalar(o, path, v);
		return;
	}
	if (json_is_object(v)) {
		if (depth >= FACT_DEPTH) {
			fact_scalar(o, path, v);
			return;
		}
		json_object_foreach(v, k, c) {
			char *sub = path[0] != '\0' ?
			    text_printf("%s \xe2\x80\xba %s", path, k) :
			    text_dup(k);

			if (sub == NULL)
				return;
			fact_walk(o, sub, c, depth + 1);
			free(sub);
			if (o->budget == 0)
				return;
		}
		return;
	}
	/* an array: of scalars, one line; of objects, a table */
	json_array_foreach(v, i, c) {
		if (!json_is_object(c))
			objects = false;
		if (!is_scalar(c))
			scalars = false;
	}
	if (json_array_size(v) == 0 || !objects || scalars) {
		if (scalars && json_array_size(v) > 0) {
			char *joined = text_dup("");

			json_array_foreach(v, i, c) {
				char *t = fact_text(o->r, c, 200), *n;

				n = text_printf("%s%s%s", joined, i ? ", " :
				    "", t ? t : "");
				free(t);
				free(joined);
				joined = n;
				if (joined == NULL || strlen(joined) >
				    FACT_VALUE_MAX)
					break;
			}
			if (joined != NULL) {
				json_t *s = json_string(joined);

				fact_scalar(o, path, s);
				json_decref(s);
			}
			free(joined);
		} else
			fact_scalar(o, path, v);
		return;
	}
	fact_table(o, path[0] ? path : "", v);
}

/* The latest facts as sections of scalars and tables. */
static json_t *
host_facts(struct web_req *r, const char *json, bool *cut)
{
	json_t *root, *sections = json_array(), *v;
	json_error_t je;
	const char *k;
	struct facts_out o;

	*cut = false;
	root = json_loads(json, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_object(root)) {
		json_decref(root);
		return sections;
	}
	o.r = r;
	o.budget = FACT_ROWS_MAX;
	o.bytes = FACT_BYTES_MAX;
	json_object_foreach(root, k, v) {
		json_t *sec = json_object();

		o.scalars = json_array();
		o.tables = json_array();
		if (is_scalar(v) || json_is_array(v))
			fact_walk(&o, k, v, 0);
		else
			fact_walk(&o, "", v, 0);
		json_object_set_new(sec, "name", fact_key(k, FACT_KEY_MAX));
		json_object_set_new(sec, "scalars", o.scalars);
		json_object_set_new(sec, "tables", o.tables);
		json_array_append_new(sections, sec);
	}
	json_decref(root);
	json_set_bool(json_array_get(sections, 0), "first", true);
	*cut = o.budget == 0;
	return sections;
}

static int
host_change(const struct store_fact_change *ch, void *arg)
{
	struct host_page *p = arg;
	json_t *row = json_object(), *v;
	char *t;

	json_object_set_new(row, "time", page_time(ch->time));
	json_set_str(row, "section", ch->section);
	v = json_loads(ch->value ? ch->value : "null", JSON_DECODE_ANY, NULL);
	t = v != NULL ? fact_text(p->r, v, 300) : text_dup("");
	json_decref(v);
	json_set_str(row, "value", t ? t : "");
	free(t);
	json_array_append_new(p->rows, row);
	return 0;
}

void
page_host(struct web_req *r, struct http_reply *rep)
{
	struct store *st = web_store(r);
	struct host_page p;
	struct store_host_query hq;
	struct store_finding_query fq;
	struct chart_series cs;
	int64_t scope = web_scope_unit(&r->user);
	const char *id = r->args[0];
	char err[512], *facts = NULL, *svg;
	bool cut;
	int rc;

	if (id == NULL || id[0] == '\0' || scope < 0) {
		web_error(r, rep, 404, "error.not_found");
		return;
	}
	memset(&p, 0, sizeof(p));
	p.r = r;
	p.m = json_object();
	memset(&hq, 0, sizeof(hq));
	hq.unit_id = scope;
	hq.host_id = id;
	hq.score_min = -1;
	hq.score_max = 100;
	hq.limit = 1;
	if (store_console_hosts(st, &hq, host_identity, &p, NULL, err,
	    sizeof(err)) != STORE_OK)
		goto fail;
	/* unknown, or of a unit this person may not see: the same 404 */
	if (!p.found || !web_can_see_unit(&r->user, p.unit_id)) {
		json_decref(p.m);
		web_error(r, rep, 404, "error.not_found");
		return;
	}

	if (store_scores(st, "host", id, r->now - PAGE_TREND_S, host_score,
	    &p, err, sizeof(err)) != STORE_OK)
		goto fail;
	if (p.scores.n > 0) {
		cs = chart_points_series(&p.scores,
		    json_string_value(json_object_get(p.m, "hostname")));
		if ((svg = chart_line(web_msg(r, "host.trend"),
		    web_msg(r, "host.trend_desc"), &cs, 1)) != NULL) {
			json_set_str(p.m, "html_trend", svg);
			free(svg);
		}
	}

	memset(&fq, 0, sizeof(fq));
	fq.unit_id = p.unit_id;
	fq.host_id = id;
	fq.by_point = true;
	fq.limit = HOST_FINDINGS;
	p.groups = json_array();
	if (store_console_findings(st, &fq, host_finding, &p, err,
	    sizeof(err)) != STORE_OK) {
		json_decref(p.groups);
		goto fail;
	}
	json_object_set_new(p.m, "groups", p.groups);

	rc = store_host_facts(st, id, &facts, err, sizeof(err));
	if (rc != STORE_OK && rc != STORE_ENOTFOUND)
		goto fail;
	json_object_set_new(p.m, "sections", host_facts(r, facts ? facts :
	    "{}", &cut));
	json_set_bool(p.m, "facts_cut", cut);
	free(facts);

	p.rows = json_array();
	rc = store_fact_history(st, id, HOST_HISTORY, host_change, &p, err,
	    sizeof(err));
	if (rc != STORE_OK && rc != STORE_ENOTFOUND)
		goto fail;
	json_set_bool(p.m, "has_changes", json_array_size(p.rows) > 0);
	json_object_set_new(p.m, "changes", p.rows);
	p.rows = NULL;
	chart_points_free(&p.scores);
	web_render(r, rep, 200, "host", p.m);
	return;
fail:
	json_decref(p.rows);
	json_decref(p.m);
	chart_points_free(&p.scores);
	page_store_failed(r, rep, "host", err);
}
