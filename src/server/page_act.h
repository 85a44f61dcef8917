/*
 * page_act.h — the console's acting pages (issue 4): findings across
 * hosts by check (page_findings.c), the workflow of one finding
 * (page_workflow.c), enrolment tokens (page_tokens.c) and the exports
 * (export.c). Every read, form and export is limited to the unit of a
 * unit role: an id or a filter naming another unit is answered 404, as an
 * unknown one is. pages_act is the table to give web_new (web.h).
 */
#ifndef CG_PAGE_ACT_H
#define CG_PAGE_ACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "server/serverconf.h"
#include "server/store.h"
#include "server/web.h"

extern const struct web_page pages_act[];
extern const size_t pages_act_n;

/* At start-up, before the console serves: what the token page tells the
 * agents (the configuration's url and the CA's fingerprint) and where the
 * exports write their temp files (DATA/tmp, made 0700). 0, or -1 with a
 * bilingual err. */
int pages_act_setup(const struct serverconf *sc, char *err, size_t errlen);

#define ACT_PAGE_SIZE 50		/* rows of a page by default */
#define ACT_PAGE_MAX 200		/* and at most */
#define ACT_SAMPLE_HOSTS 5		/* hosts named per check */

void page_findings(struct web_req *r, struct http_reply *rep);
void page_check(struct web_req *r, struct http_reply *rep);
void page_wf_finding(struct web_req *r, struct http_reply *rep);
void page_wf_act(struct web_req *r, struct http_reply *rep);
void page_tokens(struct web_req *r, struct http_reply *rep);
void page_tokens_post(struct web_req *r, struct http_reply *rep);
void page_export_hosts(struct web_req *r, struct http_reply *rep);
void page_export_findings(struct web_req *r, struct http_reply *rep);

/* The filters of the findings pages and exports from the query string:
 * don-vi (a unit id; a unit role's own unit when absent), muc (directive
 * point 1-8), muc-do (severity), tieu-chi (check id), trang (page from
 * 1), so (rows a page, at most ACT_PAGE_MAX), tat-ca=1 (also findings no
 * longer failing). false when a value is
 * malformed (answered 400) or names another unit than a unit role's
 * (answered 404). */
struct act_filter {
	int64_t unit_id;		/* 0: every unit */
	int point;
	const char *severity, *check;
	int page;			/* from 1 */
	int per;			/* rows a page */
	bool all;			/* also findings no longer failing */
};
bool act_filter_parse(struct web_req *r, struct http_reply *rep,
    struct act_filter *f);
/* Percent-encodes s for a path segment or a query value (malloc'd). */
char *act_urlenc(const char *s);
/* Catalogue ids of a severity and of a workflow state. */
const char *act_severity_msgid(const char *severity);
const char *act_state_msgid(enum store_wf_state s);
/* The units a person may filter on, for a <select>: [{id, name,
 * selected}]; NULL after a store error. */
json_t *act_units(struct web_req *r, int64_t selected);

/* The model of web/templates/finding-actions.html for every finding of
 * host_id (a host the person may see, of unit unit_id): an object keyed
 * by check id. The host page sets it as member "wf" of each finding and
 * writes {{#wf}}{{> finding-actions}}{{/wf}}. NULL after a store error. */
json_t *page_workflow_host(struct web_req *r, const char *host_id,
    int64_t unit_id);
/* The same for one finding row (assignees: array from act_assignees). */
json_t *page_workflow_model(struct web_req *r,
    const struct store_wf_finding *f, json_t *assignees);
json_t *act_assignees(struct web_req *r, int64_t unit_id);

#endif
