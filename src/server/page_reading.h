/*
 * page_reading.h — the console's reading pages (issue 4): the ward
 * overview (page_overview.c), the unit scorecard (page_unit.c), the host
 * list and the host detail (page_hosts.c). They only read; every read is
 * limited to the unit of a unit role (web_scope_unit), and an id of a unit
 * or host the person may not see is answered 404, as an unknown one is.
 * pages_reading is the table to give web_new (web.h).
 */
#ifndef CG_PAGE_READING_H
#define CG_PAGE_READING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "server/store.h"
#include "server/web.h"

extern const struct web_page pages_reading[];
extern const size_t pages_reading_n;

#define PAGE_SILENT_S (2 * 86400)	/* a host silent longer is listed */
#define PAGE_TREND_S (90 * 86400)	/* span of the trend charts */
#define PAGE_EVIDENCE_MAX 2000		/* bytes of evidence shown in lists */
#define PAGE_TITLE_MAX 400		/* bytes of a check's title shown */
#define PAGE_REMEDY_MAX 2000		/* bytes of a check's remedy shown */

void page_overview(struct web_req *r, struct http_reply *rep);
void page_unit(struct web_req *r, struct http_reply *rep);
void page_hosts(struct web_req *r, struct http_reply *rep);
void page_host(struct web_req *r, struct http_reply *rep);

/* Shared by the reading pages (page_overview.c). */
/* A positive decimal id of at most 18 digits. */
bool page_parse_id(const char *s, int64_t *out);
/* Logs a store error of page and answers 500. */
void page_store_failed(struct web_req *r, struct http_reply *rep,
    const char *page, const char *err);
/* "29/11/2026 17:05" in Vietnam time; "" for 0. */
json_t *page_time(int64_t t);
/* A finding as a template model: check, title, remedy, evidence (cut to
 * evidence_max bytes, PAGE_EVIDENCE_MAX when 0), status and severity
 * with their text and CSS class, point and its title, times, host and
 * unit. Titles and remedies (the agent's catalogue) are cut too. */
json_t *page_finding(struct web_req *r, const struct store_finding *f,
    int64_t unit_id, size_t evidence_max);
/* The catalogue id of a directive point's title ("reading.point.N"). */
const char *page_point_msgid(int point);
/* A host's score as text ("87", or "—" without a report) and class. */
void page_score(json_t *obj, int score);

#endif
