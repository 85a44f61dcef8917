/*
 * page_findings.c — GET /tieu-chi, the findings across hosts by check:
 * for every check failing somewhere, how many hosts fail it and which
 * (the first few, linked to the host), filtered by directive point,
 * severity and unit; and GET /tieu-chi/:check, the hosts failing one
 * check with their evidence and the state of the workflow. A unit role
 * sees its own unit only. The counts per check are kept as reports
 * arrive (check_failing, store_schema.c); the few hosts named on each row
 * cost a query per check, so the rows of /tieu-chi are kept
 * FINDINGS_CACHE_S seconds per filter: only agent reports change them.
 * Also the helpers the acting pages share and their table of pages
 * (page_act.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/json.h"
#include "lib/log.h"
#include "lib/text.h"
#include "server/page_act.h"
#include "server/page_reading.h"

const struct web_page pages_act[] = {
	{ "GET", "/tieu-chi", WEB_ROLE_VIEWER, page_findings },
	{ "GET", "/tieu-chi/:check", WEB_ROLE_VIEWER, page_check },
	{ "GET", "/may/:id/phat-hien/:check", WEB_ROLE_VIEWER,
	    page_wf_finding },
	{ "POST", "/may/:id/phat-hien/:check", WEB_ROLE_UNIT_HEAD,
	    page_wf_act },
	{ "GET", "/ma-dang-ky", WEB_ROLE_UNIT_IT, page_tokens },
	{ "POST", "/ma-dang-ky", WEB_ROLE_UNIT_IT, page_tokens_post },
	{ "GET", "/xuat/may.csv", WEB_ROLE_VIEWER, page_export_hosts },
	{ "GET", "/xuat/may.xlsx", WEB_ROLE_VIEWER, page_export_hosts },
	{ "GET", "/xuat/phat-hien.csv", WEB_ROLE_VIEWER,
	    page_export_findings },
	{ "GET", "/xuat/phat-hien.xlsx", WEB_ROLE_VIEWER,
	    page_export_findings },
};
const size_t pages_act_n = sizeof(pages_act) / sizeof(pages_act[0]);

static const char *const severities[] = {
	"critical", "high", "medium", "low", "info"
};

/* --- shared helpers ------------------------------------------------------ */

char *
act_urlenc(const char *s)
{
	char *out = text_url_segment(s, strlen(s));

	return out != NULL ? out : text_dup("");
}

const char *
act_severity_msgid(const char *severity)
{
	if (severity == NULL)
		return "act.sev.info";
	if (strcmp(severity, "critical") == 0)
		return "act.sev.critical";
	if (strcmp(severity, "high") == 0)
		return "act.sev.high";
	if (strcmp(severity, "medium") == 0)
		return "act.sev.medium";
	if (strcmp(severity, "low") == 0)
		return "act.sev.low";
	return "act.sev.info";
}

const char *
act_state_msgid(enum store_wf_state s)
{
	switch (s) {
	case WF_ACCEPTED: return "workflow.state.accepted";
	case WF_FIX_CLAIMED: return "workflow.state.fix-claimed";
	case WF_CLAIM_CLEARED: return "workflow.state.claim-cleared";
	case WF_FIXED: return "workflow.state.fixed";
	case WF_RESOLVED: return "workflow.state.resolved";
	case WF_OPEN: break;
	}
	return "workflow.state.open";
}

static bool
severity_known(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(severities) / sizeof(severities[0]); i++)
		if (strcmp(s, severities[i]) == 0)
			return true;
	return false;
}

/* [A-Za-z0-9._-]{1,64}: the form of a check id. */
static bool
check_id_valid(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0' || strlen(s) > 64)
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return false;
	return true;
}

bool
act_filter_parse(struct web_req *r, struct http_reply *rep,
    struct act_filter *f)
{
	const char *unit = web_query(r, "don-vi"), *point = web_query(r, "muc");
	const char *page = web_query(r, "trang"), *all = web_query(r, "tat-ca");
	const char *per = web_query(r, "so");
	int64_t scope = web_scope_unit(&r->user), v;

	memset(f, 0, sizeof(*f));
	f->page = 1;
	f->severity = web_query(r, "muc-do");
	f->check = web_query(r, "tieu-chi");
	if (f->severity != NULL && f->severity[0] == '\0')
		f->severity = NULL;
	if (f->check != NULL && f->check[0] == '\0')
		f->check = NULL;
	if ((f->severity != NULL && !severity_known(f->severity)) ||
	    (f->check != NULL && !check_id_valid(f->check)) ||
	    (point != NULL && point[0] != '\0' && (!page_parse_id(point, &v) ||
	    v > 8)) ||
	    (page != NULL && page[0] != '\0' && (!page_parse_id(page, &v) ||
	    v > 100000)) ||
	    (per != NULL && per[0] != '\0' && (!page_parse_id(per, &v) ||
	    v > ACT_PAGE_MAX)) ||
	    (unit != NULL && unit[0] != '\0' && !page_parse_id(unit, &v))) {
		web_error(r, rep, 400, "error.bad_request");
		return false;
	}
	if (point != NULL && point[0] != '\0')
		f->point = (int)strtol(point, NULL, 10);
	if (page != NULL && page[0] != '\0')
		f->page = (int)strtol(page, NULL, 10);
	f->per = ACT_PAGE_SIZE;
	if (per != NULL && per[0] != '\0')
		f->per = (int)strtol(per, NULL, 10);
	f->all = all != NULL && strcmp(all, "1") == 0;
	if (scope < 0) {
		web_error(r, rep, 404, "error.not_found");
		return false;
	}
	f->unit_id = scope;
	if (unit != NULL && unit[0] != '\0') {
		page_parse_id(unit, &v);
		if (!web_can_see_unit(&r->user, v)) {
			web_error(r, rep, 404, "error.not_found");
			return false;
		}
		f->unit_id = v;
	}
	return true;
}

struct units_ctx {
	json_t *arr;
	int64_t selected;
};

static int
units_row(const struct store_unit_row *u, void *arg)
{
	struct units_ctx *c = arg;
	json_t *o = json_object();

	json_set_int(o, "id", u->id);
	json_set_str(o, "name", u->name);
	json_set_bool(o, "selected", u->id == c->selected);
	json_array_append_new(c->arr, o);
	return 0;
}

json_t *
act_units(struct web_req *r, int64_t selected)
{
	struct units_ctx c = { json_array(), selected };
	char err[512];
	int64_t scope = web_scope_unit(&r->user);

	if (scope < 0)
		return c.arr;
	if (store_console_unit_names(web_store(r), scope, units_row, &c, err,
	    sizeof(err)) < 0) {
		log_warnx("event=web.store page=units msg=\"%s\"", err);
		json_decref(c.arr);
		return NULL;
	}
	return c.arr;
}

/* The query string of f (without page), for links: "don-vi=1&muc=3…"
 * with only the filters set; "" for none. */
static char *
filter_query(const struct act_filter *f)
{
	char *sev = act_urlenc(f->severity ? f->severity : "");
	char *chk = act_urlenc(f->check ? f->check : "");
	char unit[40] = "", point[16] = "", per[16] = "";
	char *q;

	if (f->unit_id > 0)
		snprintf(unit, sizeof(unit), "&don-vi=%lld",
		    (long long)f->unit_id);
	if (f->point > 0)
		snprintf(point, sizeof(point), "&muc=%d", f->point);
	if (f->per != ACT_PAGE_SIZE)
		snprintf(per, sizeof(per), "&so=%d", f->per);
	q = text_printf("%s%s%s%s%s%s%s%s", unit, point, sev[0] ? "&muc-do=" :
	    "", sev, chk[0] ? "&tieu-chi=" : "", chk, f->all ? "&tat-ca=1" :
	    "", per);
	free(sev);
	free(chk);
	if (q[0] == '&')
		memmove(q, q + 1, strlen(q));
	return q;
}

/* The filter form's model: units, points, severities, and links. */
static void
filter_model(struct web_req *r, json_t *m, const struct act_filter *f,
    const char *base, bool more)
{
	json_t *pts = json_array(), *sevs = json_array(), *units;
	char *q = filter_query(f), *s;
	size_t i;
	int p;

	for (p = 1; p <= 8; p++) {
		json_t *o = json_object();

		json_set_int(o, "n", p);
		json_set_str(o, "label", web_msg(r, page_point_msgid(p)));
		json_set_bool(o, "selected", p == f->point);
		json_array_append_new(pts, o);
	}
	for (i = 0; i < sizeof(severities) / sizeof(severities[0]); i++) {
		json_t *o = json_object();

		json_set_str(o, "id", severities[i]);
		json_set_str(o, "label", web_msg(r,
		    act_severity_msgid(severities[i])));
		json_set_bool(o, "selected", f->severity != NULL &&
		    strcmp(f->severity, severities[i]) == 0);
		json_array_append_new(sevs, o);
	}
	units = act_units(r, f->unit_id);
	json_object_set_new(m, "units", units ? units : json_array());
	json_set_bool(m, "pick_unit", web_scope_unit(&r->user) == 0);
	json_object_set_new(m, "points", pts);
	json_object_set_new(m, "severities", sevs);
	json_set_int(m, "page", f->page);
	if (f->page > 1) {
		s = text_printf("%s?%s%strang=%d", base, q, q[0] ? "&" : "",
		    f->page - 1);
		json_set_str(m, "prev_href", s);
		free(s);
	}
	if (more) {
		s = text_printf("%s?%s%strang=%d", base, q, q[0] ? "&" : "",
		    f->page + 1);
		json_set_str(m, "next_href", s);
		free(s);
	}
	s = text_printf("/xuat/phat-hien.csv?%s", q);
	json_set_str(m, "csv_href", s);
	free(s);
	s = text_printf("/xuat/phat-hien.xlsx?%s", q);
	json_set_str(m, "xlsx_href", s);
	free(s);
	free(q);
}

static const char *
title_of(struct web_req *r, const char *vi, const char *en)
{
	if (r->en && en != NULL && en[0] != '\0')
		return en;
	return vi != NULL ? vi : (en != NULL ? en : "");
}

/* --- GET /tieu-chi -------------------------------------------------------- */

#define FINDINGS_CACHE_N 32
#define FINDINGS_CACHE_S 30

static struct {
	char key[128];
	int64_t at;
	json_t *rows;
	bool more;
} findings_cache[FINDINGS_CACHE_N];
static pthread_mutex_t findings_cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* A copy of the rows kept for key, when fresh; NULL otherwise. */
static json_t *
cache_get(const char *key, int64_t now, bool *more)
{
	json_t *rows = NULL;
	size_t i;

	pthread_mutex_lock(&findings_cache_lock);
	for (i = 0; i < FINDINGS_CACHE_N; i++)
		if (findings_cache[i].rows != NULL &&
		    strcmp(findings_cache[i].key, key) == 0 &&
		    findings_cache[i].at <= now &&
		    now - findings_cache[i].at < FINDINGS_CACHE_S) {
			rows = json_deep_copy(findings_cache[i].rows);
			*more = findings_cache[i].more;
			break;
		}
	pthread_mutex_unlock(&findings_cache_lock);
	return rows;
}

/* Keeps a copy of rows for key, in its slot or the oldest one. */
static void
cache_put(const char *key, int64_t now, json_t *rows, bool more)
{
	size_t i, slot = 0;

	pthread_mutex_lock(&findings_cache_lock);
	for (i = 0; i < FINDINGS_CACHE_N; i++) {
		if (strcmp(findings_cache[i].key, key) == 0) {
			slot = i;
			break;
		}
		if (findings_cache[i].at < findings_cache[slot].at)
			slot = i;
	}
	json_decref(findings_cache[slot].rows);
	snprintf(findings_cache[slot].key, sizeof(findings_cache[slot].key),
	    "%s", key);
	findings_cache[slot].at = now;
	findings_cache[slot].rows = json_deep_copy(rows);
	findings_cache[slot].more = more;
	pthread_mutex_unlock(&findings_cache_lock);
}

struct checks_ctx {
	struct web_req *r;
	const struct act_filter *f;
	json_t *rows;
	int n, limit;
	bool more;
};

static int
checks_row(const struct store_check_count *c, void *arg)
{
	struct checks_ctx *x = arg;
	json_t *o;
	char *enc, *s;

	if (x->n++ >= x->limit) {
		x->more = true;
		return 1;
	}
	o = json_object();
	enc = act_urlenc(c->check);
	if (x->f->unit_id > 0)
		s = text_printf("/tieu-chi/%s?don-vi=%lld", enc,
		    (long long)x->f->unit_id);
	else
		s = text_printf("/tieu-chi/%s", enc);
	json_set_str(o, "href", s);
	free(s);
	free(enc);
	json_set_str(o, "check", c->check);
	json_set_str(o, "title", title_of(x->r, c->title_vi, c->title_en));
	json_set_int(o, "point", c->point);
	json_set_str(o, "severity", c->severity);
	json_set_str(o, "sev_text", web_msg(x->r,
	    act_severity_msgid(c->severity)));
	json_set_int(o, "hosts", c->hosts);
	json_object_set_new(o, "sample", json_array());
	json_array_append_new(x->rows, o);
	return 0;
}

struct sample_ctx {
	json_t *arr;
};

static int
sample_row(const struct store_wf_finding *f, void *arg)
{
	struct sample_ctx *x = arg;
	json_t *o = json_object();
	char *enc = act_urlenc(f->host_id), *s;

	s = text_printf("/may/%s", enc);
	json_set_str(o, "href", s);
	json_set_str(o, "hostname", f->hostname);
	json_set_str(o, "unit", f->unit);
	json_array_append_new(x->arr, o);
	free(s);
	free(enc);
	return 0;
}

void
page_findings(struct web_req *r, struct http_reply *rep)
{
	struct act_filter f;
	struct store_wf_filter sf;
	struct checks_ctx x;
	char err[512], key[128];
	json_t *m, *row;
	size_t i;

	if (!act_filter_parse(r, rep, &f))
		return;
	snprintf(key, sizeof(key), "%d|%lld|%d|%s|%d|%d", r->en ? 1 : 0,
	    (long long)f.unit_id, f.point, f.severity ? f.severity : "",
	    f.page, f.per);
	memset(&x, 0, sizeof(x));
	if ((x.rows = cache_get(key, r->now, &x.more)) != NULL)
		goto render;
	memset(&sf, 0, sizeof(sf));
	sf.unit_id = f.unit_id;
	sf.point = f.point;
	sf.severity = f.severity;
	sf.limit = f.per + 1;
	sf.offset = (f.page - 1) * f.per;
	x.r = r;
	x.f = &f;
	x.rows = json_array();
	x.limit = f.per;
	if (store_workflow_checks(web_store(r), &sf, checks_row, &x, err,
	    sizeof(err)) < 0) {
		json_decref(x.rows);
		page_store_failed(r, rep, "findings", err);
		return;
	}
	json_array_foreach(x.rows, i, row) {
		struct store_wf_filter hf;
		struct sample_ctx sc = { json_object_get(row, "sample") };
		long long n = json_int(row, "hosts", 0);

		memset(&hf, 0, sizeof(hf));
		hf.unit_id = f.unit_id;
		hf.check = json_str(row, "check", "");
		hf.fail_only = true;
		hf.any_order = true;
		hf.limit = ACT_SAMPLE_HOSTS;
		if (store_workflow_findings(web_store(r), &hf, sample_row, &sc,
		    err, sizeof(err)) < 0) {
			json_decref(x.rows);
			page_store_failed(r, rep, "findings", err);
			return;
		}
		if (n > ACT_SAMPLE_HOSTS)
			json_set_int(row, "more", n - ACT_SAMPLE_HOSTS);
	}
	cache_put(key, r->now, x.rows, x.more);
render:
	m = json_object();
	json_set_str(m, "title", web_msg(r, "findings.title"));
	json_set_bool(m, "has_rows", json_array_size(x.rows) > 0);
	json_object_set_new(m, "rows", x.rows);
	filter_model(r, m, &f, "/tieu-chi", x.more);
	web_render(r, rep, 200, "findings", m);
}

/* --- GET /tieu-chi/:check ------------------------------------------------- */

static int
check_info(const struct store_check_info *c, void *arg)
{
	json_t **out = arg;

	json_set_str(*out, "id", c->id);
	json_set_str(*out, "title_vi", c->title_vi ? c->title_vi : "");
	json_set_str(*out, "title_en", c->title_en ? c->title_en : "");
	json_set_str(*out, "remedy_vi", c->remedy_vi ? c->remedy_vi : "");
	json_set_str(*out, "remedy_en", c->remedy_en ? c->remedy_en : "");
	json_set_str(*out, "basis", c->basis ? c->basis : "");
	json_set_str(*out, "severity", c->severity);
	json_set_int(*out, "point", c->point);
	return 0;
}

/* Evidence in a list: at most PAGE_EVIDENCE_MAX bytes, cut at a
 * character boundary; the finding's page shows all of it. */
static void
evidence_set(json_t *o, const char *ev)
{
	size_t n;

	if (ev == NULL)
		ev = "";
	n = strlen(ev);
	if (n <= PAGE_EVIDENCE_MAX) {
		json_set_str(o, "evidence", ev);
		return;
	}
	n = PAGE_EVIDENCE_MAX;
	while (n > 0 && ((unsigned char)ev[n] & 0xc0) == 0x80)
		n--;
	{
		char *cut = text_ndup(ev, n), *s = text_printf("%s…", cut);

		json_set_str(o, "evidence", s);
		free(s);
		free(cut);
	}
}

struct hosts_ctx {
	struct web_req *r;
	json_t *rows;
	int n, limit;
	bool more;
};

/* One failing host of a check, with its evidence and workflow state. */
static int
check_host_row(const struct store_wf_finding *f, void *arg)
{
	struct hosts_ctx *x = arg;
	json_t *o;
	char *host, *chk, *s;
	enum store_wf_state st;

	if (x->n++ >= x->limit) {
		x->more = true;
		return 1;
	}
	o = json_object();
	host = act_urlenc(f->host_id);
	chk = act_urlenc(f->check);
	s = text_printf("/may/%s", host);
	json_set_str(o, "host_href", s);
	free(s);
	s = text_printf("/may/%s/phat-hien/%s", host, chk);
	json_set_str(o, "finding_href", s);
	free(s);
	free(host);
	free(chk);
	json_set_str(o, "hostname", f->hostname);
	json_set_str(o, "unit", f->unit);
	json_set_str(o, "status", f->status);
	evidence_set(o, f->evidence);
	json_object_set_new(o, "first_seen", page_time(f->first_seen));
	json_object_set_new(o, "last_seen", page_time(f->last_seen));
	st = store_workflow_state(f->resolved, f->report_at, &f->wf, x->r->now);
	json_set_str(o, "state", store_workflow_state_name(st));
	json_set_str(o, "state_text", web_msg(x->r, act_state_msgid(st)));
	if (f->wf.assignee_id != 0)
		json_set_str(o, "assignee", f->wf.assignee_name &&
		    f->wf.assignee_name[0] ? f->wf.assignee_name :
		    f->wf.assignee_login ? f->wf.assignee_login : "");
	json_array_append_new(x->rows, o);
	return 0;
}

void
page_check(struct web_req *r, struct http_reply *rep)
{
	struct act_filter f;
	struct store_wf_filter sf;
	struct hosts_ctx x;
	const char *check = r->args[0];
	char err[512];
	json_t *m, *c;
	int rc;

	if (!act_filter_parse(r, rep, &f))
		return;
	if (!check_id_valid(check)) {
		web_error(r, rep, 404, "error.not_found");
		return;
	}
	c = json_object();
	rc = store_workflow_check(web_store(r), check, check_info, &c, err,
	    sizeof(err));
	if (rc == STORE_ENOTFOUND) {
		json_decref(c);
		web_error(r, rep, 404, "error.not_found");
		return;
	}
	if (rc != STORE_OK) {
		json_decref(c);
		page_store_failed(r, rep, "check", err);
		return;
	}
	json_set_str(c, "title", title_of(r, json_str(c, "title_vi", ""),
	    json_str(c, "title_en", "")));
	json_set_str(c, "remedy", title_of(r, json_str(c, "remedy_vi", ""),
	    json_str(c, "remedy_en", "")));
	json_set_str(c, "sev_text", web_msg(r, act_severity_msgid(json_str(c,
	    "severity", ""))));
	json_set_str(c, "point_text", web_msg(r, page_point_msgid((int)json_int(
	    c, "point", 0))));
	memset(&sf, 0, sizeof(sf));
	sf.unit_id = f.unit_id;
	sf.check = check;
	sf.include_resolved = false;
	sf.limit = f.per + 1;
	sf.offset = (f.page - 1) * f.per;
	memset(&x, 0, sizeof(x));
	x.r = r;
	x.rows = json_array();
	x.limit = f.per;
	if (store_workflow_findings(web_store(r), &sf, check_host_row, &x, err,
	    sizeof(err)) < 0) {
		json_decref(x.rows);
		json_decref(c);
		page_store_failed(r, rep, "check", err);
		return;
	}
	m = json_object();
	json_set_str(m, "title", json_str(c, "title", check));
	json_object_set_new(m, "check", c);
	json_set_bool(m, "has_rows", json_array_size(x.rows) > 0);
	json_object_set_new(m, "rows", x.rows);
	f.check = check;
	{
		char *enc = act_urlenc(check), *base;

		base = text_printf("/tieu-chi/%s", enc);
		filter_model(r, m, &f, base, x.more);
		free(base);
		free(enc);
	}
	web_render(r, rep, 200, "check", m);
}
