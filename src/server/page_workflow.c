/*
 * page_workflow.c — the workflow of one finding: GET and POST
 * /may/:id/phat-hien/:check. action=assign (to an IT officer or the head
 * of the host's unit, or a supervisor), accept (the risk, with a reason
 * of 10–1000 characters, until a date at most a year ahead), fixed (a
 * claim: confirmed only when a later report shows the check passing,
 * cleared when a later report still fails — store_workflow_state), ack
 * (the unit head acknowledges). Supervisors may do all; a unit IT officer
 * assign, accept and fixed in the own unit; a unit head ack in the own
 * unit; a viewer nothing. A host of another unit is answered 404. Every
 * change goes to the audit log before the answer. Also the model of the
 * partial finding-actions.html that the host page includes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/json.h"
#include "lib/log.h"
#include "lib/text.h"
#include "server/page_act.h"
#include "server/page_reading.h"

#define WF_REASON_MIN 10		/* characters */
#define WF_REASON_MAX 1000
#define WF_ACCEPT_MAX_DAYS 365
#define WF_TZ (7 * 3600)		/* Vietnam, no daylight saving */
#define WF_HISTORY 50

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, char *buf, size_t size)
{
	int64_t era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (y < 0 || y > 9999)
		y = 0;
	snprintf(buf, size, "%04d-%02d-%02d", (int)y, (int)(m % 100),
	    (int)(d % 100));
}

static int64_t
today_vn(int64_t now)
{
	int64_t t = now + WF_TZ;

	return t >= 0 ? t / 86400 : (t - 86399) / 86400;
}

/* "YYYY-MM-DD" (Vietnam) to the last second of that day (UTC), when it
 * is today or later and at most WF_ACCEPT_MAX_DAYS ahead; else 0. */
static int64_t
accept_until(const char *s, int64_t now)
{
	int y, m, d;
	char tail;
	int64_t days, today = today_vn(now);
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
	    y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] || (m == 2 && d == 29 && !((y % 4 == 0 &&
	    y % 100 != 0) || y % 400 == 0)))
		return 0;
	days = days_from_civil(y, m, d);
	if (days < today || days > today + WF_ACCEPT_MAX_DAYS)
		return 0;
	return (days + 1) * 86400 - WF_TZ - 1;
}

/* A reason: UTF-8, WF_REASON_MIN..MAX characters once trimmed, no
 * control character but newline and tab. */
static bool
reason_valid(const char *s)
{
	size_t n = 0, i, len;
	const char *p;

	if (s == NULL)
		return false;
	len = strlen(s);
	if (len > WF_REASON_MAX * 4 || !text_valid_utf8(s, len))
		return false;
	p = s;
	text_trim_span(&p, &len);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if ((c < ' ' && c != '\n' && c != '\t' && c != '\r') ||
		    c == 0x7f)
			return false;
		if ((c & 0xc0) != 0x80)
			n++;
	}
	return n >= WF_REASON_MIN && n <= WF_REASON_MAX;
}

/* Whether the person may do action on a finding of unit_id (seen). */
static bool
may_act(const struct web_user *u, const char *action, int64_t unit_id)
{
	if (!web_can_see_unit(u, unit_id))
		return false;
	if (u->role == WEB_ROLE_SUPERVISOR)
		return true;
	if (strcmp(action, "ack") == 0)
		return u->role == WEB_ROLE_UNIT_HEAD && u->unit_id == unit_id;
	return u->role == WEB_ROLE_UNIT_IT && u->unit_id == unit_id;
}

static const char *
person_label(const char *name, const char *login)
{
	if (name != NULL && name[0] != '\0')
		return name;
	return login != NULL ? login : "";
}

/* --- the model of finding-actions.html -------------------------------- */

static int
assignee_row(const struct store_assignee *p, void *arg)
{
	json_t *o = json_object();

	json_set_int(o, "id", p->id);
	json_set_str(o, "login", p->login);
	json_set_str(o, "name", person_label(p->name, p->login));
	json_set_str(o, "role", p->role);
	json_array_append_new(arg, o);
	return 0;
}

json_t *
act_assignees(struct web_req *r, int64_t unit_id)
{
	json_t *arr = json_array();
	char err[512];

	if (store_workflow_assignees(web_store(r), unit_id, assignee_row, arr,
	    err, sizeof(err)) < 0) {
		log_warnx("event=web.store page=assignees msg=\"%s\"", err);
		json_decref(arr);
		return NULL;
	}
	return arr;
}

json_t *
page_workflow_model(struct web_req *r, const struct store_wf_finding *f,
    json_t *assignees)
{
	json_t *m = json_object(), *users = json_array(), *a;
	enum store_wf_state st = store_workflow_state(f->resolved, f->report_at,
	    &f->wf, r->now);
	char *host = act_urlenc(f->host_id), *chk = act_urlenc(f->check), *s;
	char d[16];
	bool open = f->resolved == 0;
	int64_t today = today_vn(r->now);
	size_t i;

	s = text_printf("/may/%s/phat-hien/%s", host, chk);
	json_set_str(m, "action", s);
	free(s);
	json_set_str(m, "next", r->path);
	s = text_printf("wf-%s", chk);
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] == '%' || s[i] == '.')
			s[i] = '-';
	json_set_str(m, "fid", s);
	free(s);
	free(host);
	free(chk);
	json_set_str(m, "state", store_workflow_state_name(st));
	json_set_str(m, "state_text", web_msg(r, act_state_msgid(st)));
	if (f->wf.assignee_id != 0) {
		json_set_str(m, "assignee", person_label(f->wf.assignee_name,
		    f->wf.assignee_login));
		json_set_str(m, "assigned_by", f->wf.assigned_by ?
		    f->wf.assigned_by : "");
		json_object_set_new(m, "assigned_at",
		    page_time(f->wf.assigned_at));
	}
	if (st == WF_ACCEPTED) {
		json_set_bool(m, "accepted", true);
		json_set_str(m, "accept_reason", f->wf.accept_reason ?
		    f->wf.accept_reason : "");
		json_set_str(m, "accepted_by", f->wf.accepted_by ?
		    f->wf.accepted_by : "");
		json_object_set_new(m, "accepted_until",
		    page_time(f->wf.accepted_until));
	}
	if (st == WF_FIX_CLAIMED || st == WF_FIXED) {
		json_set_bool(m, st == WF_FIXED ? "fixed" : "fix_claimed",
		    true);
		json_set_str(m, "fixed_by", f->wf.fixed_by ? f->wf.fixed_by :
		    "");
		json_object_set_new(m, "fixed_at", page_time(f->wf.fixed_at));
	}
	if (st == WF_CLAIM_CLEARED) {
		json_set_bool(m, "claim_cleared", true);
		json_set_str(m, "fixed_by", f->wf.fixed_by ? f->wf.fixed_by :
		    "");
		json_object_set_new(m, "fixed_at", page_time(f->wf.fixed_at));
		json_object_set_new(m, "cleared_at", page_time(f->report_at));
	}
	if (f->wf.ack_at != 0) {
		json_set_bool(m, "acked", true);
		json_set_str(m, "ack_by", f->wf.ack_by ? f->wf.ack_by : "");
		json_object_set_new(m, "ack_at", page_time(f->wf.ack_at));
	}
	json_set_bool(m, "can_assign", open && assignees != NULL &&
	    may_act(&r->user, "assign", f->unit_id));
	json_set_bool(m, "can_accept", open && may_act(&r->user, "accept",
	    f->unit_id));
	json_set_bool(m, "can_fix", open && st != WF_FIX_CLAIMED &&
	    may_act(&r->user, "fixed", f->unit_id));
	json_set_bool(m, "can_ack", f->wf.ack_at == 0 && may_act(&r->user,
	    "ack", f->unit_id));
	json_set_bool(m, "can_act", json_bool(m, "can_assign", false) ||
	    json_bool(m, "can_accept", false) || json_bool(m, "can_fix",
	    false) || json_bool(m, "can_ack", false));
	json_array_foreach(assignees, i, a) {
		json_t *o = json_object();
		long long id = json_int(a, "id", 0);

		json_set_int(o, "id", id);
		s = text_printf("%s (%s)", json_str(a, "name", ""),
		    json_str(a, "login", ""));
		json_set_str(o, "label", s);
		free(s);
		json_set_bool(o, "selected", id == f->wf.assignee_id);
		json_array_append_new(users, o);
	}
	json_object_set_new(m, "users", users);
	civil_from_days(today, d, sizeof(d));
	json_set_str(m, "date_min", d);
	civil_from_days(today + WF_ACCEPT_MAX_DAYS, d, sizeof(d));
	json_set_str(m, "date_max", d);
	civil_from_days(today + 30, d, sizeof(d));
	json_set_str(m, "date_default", d);
	return m;
}

struct host_ctx {
	struct web_req *r;
	json_t *out, *assignees;
};

static int
host_row(const struct store_wf_finding *f, void *arg)
{
	struct host_ctx *x = arg;

	json_object_set_new(x->out, f->check, page_workflow_model(x->r, f,
	    x->assignees));
	return 0;
}

json_t *
page_workflow_host(struct web_req *r, const char *host_id, int64_t unit_id)
{
	struct store_wf_filter sf;
	struct host_ctx x;
	char err[512];

	if (!web_can_see_unit(&r->user, unit_id))
		return NULL;
	x.r = r;
	x.out = json_object();
	x.assignees = act_assignees(r, unit_id);
	memset(&sf, 0, sizeof(sf));
	sf.host = host_id;
	sf.unit_id = unit_id;
	sf.include_resolved = true;
	if (store_workflow_findings(web_store(r), &sf, host_row, &x, err,
	    sizeof(err)) < 0) {
		log_warnx("event=web.store page=workflow msg=\"%s\"", err);
		json_decref(x.out);
		x.out = NULL;
	}
	json_decref(x.assignees);
	return x.out;
}

/* --- the finding: GET ------------------------------------------------- */

struct one_ctx {
	struct web_req *r;
	json_t *finding;		/* the row as a model */
	struct store_wf_finding copy;	/* times only */
	json_t *wf;
	int64_t unit_id;
	json_t *assignees;
};

static int
one_row(const struct store_wf_finding *f, void *arg)
{
	struct one_ctx *x = arg;
	json_t *o = json_object();
	char *enc = act_urlenc(f->host_id), *s;

	s = text_printf("/may/%s", enc);
	json_set_str(o, "host_href", s);
	free(s);
	free(enc);
	enc = act_urlenc(f->check);
	s = text_printf("/tieu-chi/%s", enc);
	json_set_str(o, "check_href", s);
	free(s);
	free(enc);
	json_set_str(o, "hostname", f->hostname);
	json_set_str(o, "unit", f->unit);
	json_set_str(o, "check", f->check);
	json_set_str(o, "title", x->r->en && f->title_en && f->title_en[0] ?
	    f->title_en : f->title_vi ? f->title_vi : f->check);
	json_set_int(o, "point", f->point);
	json_set_str(o, "point_text", web_msg(x->r, page_point_msgid(
	    f->point)));
	json_set_str(o, "severity", f->severity);
	json_set_str(o, "sev_text", web_msg(x->r,
	    act_severity_msgid(f->severity)));
	json_set_str(o, "status", f->status);
	json_set_str(o, "evidence", f->evidence ? f->evidence : "");
	json_object_set_new(o, "first_seen", page_time(f->first_seen));
	json_object_set_new(o, "last_seen", page_time(f->last_seen));
	if (f->resolved != 0)
		json_object_set_new(o, "resolved", page_time(f->resolved));
	x->finding = o;
	x->unit_id = f->unit_id;
	x->copy.resolved = f->resolved;
	x->copy.report_at = f->report_at;
	x->copy.wf.fixed_at = f->wf.fixed_at;
	x->wf = page_workflow_model(x->r, f, x->assignees);
	return 1;
}

static int
history_row(const struct store_wf_event *ev, void *arg)
{
	struct one_ctx *x = arg;
	json_t *o = json_object(), *h = json_object_get(x->finding, "history");
	char id[64];

	json_object_set_new(o, "time", page_time(ev->time));
	json_set_str(o, "actor", ev->actor ? ev->actor : "");
	snprintf(id, sizeof(id), "workflow.did.%s", ev->action);
	json_set_str(o, "what", web_msg(x->r, id));
	if (strcmp(ev->action ? ev->action : "", "assign") == 0 &&
	    ev->assignee_login != NULL)
		json_set_str(o, "assignee", person_label(ev->assignee_name,
		    ev->assignee_login));
	if (ev->reason != NULL)
		json_set_str(o, "reason", ev->reason);
	if (ev->until != 0)
		json_object_set_new(o, "until", page_time(ev->until));
	json_array_append_new(h, o);
	return 0;
}

/* The host of args[0] the person may see, and its finding args[1]: 0,
 * or the status answered (404 for a host of another unit). */
static int
load_finding(struct web_req *r, struct http_reply *rep, struct one_ctx *x)
{
	struct store_wf_filter sf;
	char err[512];
	int64_t unit_id;
	int rc;

	memset(x, 0, sizeof(*x));
	x->r = r;
	rc = store_workflow_host_unit(web_store(r), r->args[0], &unit_id, err,
	    sizeof(err));
	if (rc == STORE_ENOTFOUND || (rc == STORE_OK &&
	    !web_can_see_unit(&r->user, unit_id))) {
		web_error(r, rep, 404, "error.not_found");
		return 404;
	}
	if (rc != STORE_OK) {
		page_store_failed(r, rep, "workflow", err);
		return 500;
	}
	x->assignees = act_assignees(r, unit_id);
	memset(&sf, 0, sizeof(sf));
	sf.host = r->args[0];
	sf.check = r->args[1];
	sf.unit_id = unit_id;
	sf.include_resolved = true;
	sf.limit = 1;
	if (store_workflow_findings(web_store(r), &sf, one_row, x, err,
	    sizeof(err)) < 0) {
		json_decref(x->assignees);
		page_store_failed(r, rep, "workflow", err);
		return 500;
	}
	if (x->finding == NULL) {
		json_decref(x->assignees);
		web_error(r, rep, 404, "error.not_found");
		return 404;
	}
	return 0;
}

static void
one_free(struct one_ctx *x)
{
	json_decref(x->finding);
	json_decref(x->wf);
	json_decref(x->assignees);
}

void
page_wf_finding(struct web_req *r, struct http_reply *rep)
{
	struct one_ctx x;
	char err[512];
	json_t *m, *h;
	const char *done = web_query(r, "done");

	if (load_finding(r, rep, &x) != 0)
		return;
	json_object_set_new(x.finding, "history", json_array());
	if (store_workflow_history(web_store(r), r->args[0], r->args[1],
	    WF_HISTORY, history_row, &x, err, sizeof(err)) < 0) {
		one_free(&x);
		page_store_failed(r, rep, "workflow", err);
		return;
	}
	/* a claim a later report contradicted: said at the report's time */
	if (x.copy.resolved == 0 && x.copy.wf.fixed_at != 0 &&
	    x.copy.report_at > x.copy.wf.fixed_at) {
		json_t *o = json_object();

		json_object_set_new(o, "time", page_time(x.copy.report_at));
		json_set_str(o, "actor", "canhgac-agent");
		json_set_str(o, "what", web_msg(r, "workflow.did.cleared"));
		json_array_insert_new(json_object_get(x.finding, "history"), 0,
		    o);
	}
	h = json_object_get(x.finding, "history");
	json_set_bool(x.finding, "has_history", json_array_size(h) > 0);
	/* the page returns here after an action */
	json_set_str(x.wf, "next", r->path);
	m = json_object();
	json_set_str(m, "title", json_str(x.finding, "title", ""));
	json_object_set(m, "finding", x.finding);
	json_object_set(m, "wf", x.wf);
	if (done != NULL && (strcmp(done, "assign") == 0 || strcmp(done,
	    "accept") == 0 || strcmp(done, "fixed") == 0 || strcmp(done,
	    "ack") == 0)) {
		char id[64];

		snprintf(id, sizeof(id), "workflow.done.%s", done);
		json_set_str(m, "done", web_msg(r, id));
	}
	one_free(&x);
	web_render(r, rep, 200, "finding", m);
}

/* --- the finding: POST ------------------------------------------------ */

void
page_wf_act(struct web_req *r, struct http_reply *rep)
{
	struct store_wf_action a;
	struct one_ctx x;
	const char *action = web_form(r, "action");
	const char *next = web_form(r, "next");
	char err[512], lv[3][600], *obj, *to, *reason = NULL;
	json_t *detail, *u;
	size_t i;
	int rc;

	if (load_finding(r, rep, &x) != 0)
		return;
	if (action == NULL || (strcmp(action, "assign") != 0 &&
	    strcmp(action, "accept") != 0 && strcmp(action, "fixed") != 0 &&
	    strcmp(action, "ack") != 0)) {
		one_free(&x);
		web_error(r, rep, 400, "workflow.err.action");
		return;
	}
	if (!may_act(&r->user, action, x.unit_id)) {
		one_free(&x);
		web_error(r, rep, 403, "error.forbidden");
		return;
	}
	memset(&a, 0, sizeof(a));
	a.host_id = r->args[0];
	a.check = r->args[1];
	a.action = action;
	a.actor = r->user.login;
	if (strcmp(action, "ack") != 0 && x.copy.resolved != 0) {
		one_free(&x);
		web_error(r, rep, 400, "workflow.err.not_open");
		return;
	}
	detail = json_object();
	json_set_str(detail, "host", r->args[0]);
	json_set_str(detail, "check", r->args[1]);
	if (strcmp(action, "assign") == 0) {
		int64_t id = 0;
		bool ok = false;

		if (page_parse_id(web_form(r, "user"), &id))
			json_array_foreach(x.assignees, i, u)
				if (json_int(u, "id", 0) == id) {
					ok = true;
					json_set_str(detail, "assignee",
					    json_str(u, "login", ""));
				}
		if (!ok) {
			json_decref(detail);
			one_free(&x);
			web_error(r, rep, 400, "workflow.err.assignee");
			return;
		}
		a.assignee_id = id;
	} else if (strcmp(action, "accept") == 0) {
		a.reason = web_form(r, "reason");
		if (reason_valid(a.reason)) {
			reason = text_dup(a.reason);
			a.reason = text_trim(reason);
		} else {
			json_decref(detail);
			one_free(&x);
			web_error(r, rep, 400, "workflow.err.reason");
			return;
		}
		if ((a.until = accept_until(web_form(r, "until"), r->now)) ==
		    0) {
			free(reason);
			json_decref(detail);
			one_free(&x);
			web_error(r, rep, 400, "workflow.err.until");
			return;
		}
		json_set_str(detail, "reason", a.reason);
		json_set_int(detail, "until", a.until);
	}
	rc = store_workflow_act(web_store(r), &a, r->now, err, sizeof(err));
	free(reason);
	one_free(&x);
	if (rc == STORE_ENOTFOUND) {
		json_decref(detail);
		web_error(r, rep, 404, "error.not_found");
		return;
	}
	if (rc != STORE_OK) {
		json_decref(detail);
		page_store_failed(r, rep, "workflow", err);
		return;
	}
	obj = text_printf("finding:%s/%s", r->args[0], r->args[1]);
	to = text_printf("finding.%s", action);
	rc = web_audit(r, to, obj, detail);
	free(obj);
	free(to);
	if (rc != STORE_OK) {
		web_error(r, rep, 500, "error.internal");
		return;
	}
	log_info("event=finding.%s login=%s host=%s check=%s", action,
	    http_logval(lv[0], sizeof(lv[0]), r->user.login),
	    http_logval(lv[1], sizeof(lv[1]), r->args[0]),
	    http_logval(lv[2], sizeof(lv[2]), r->args[1]));
	if (next != NULL && web_local_path(next)) {
		to = text_printf("%s%sdone=%s", next, strchr(next, '?') ?
		    "&" : "?", action);
		web_redirect(r, rep, to);
		free(to);
	} else
		web_redirect(r, rep, "/tieu-chi");
}
