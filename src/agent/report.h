/*
 * report.h — renders an audit report document (audit.h) for people:
 * text for a terminal, a self-contained printable HTML file, or the JSON
 * contract itself. Vietnamese first; English with lang "en".
 */
#ifndef CG_REPORT_H
#define CG_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

struct report_opts {
	const char *lang;	/* "vi" (default) or "en" */
	bool color;		/* ANSI colours (text only) */
	bool verbose;		/* also list passing and na checks in detail */
};

int report_json(FILE *out, json_t *doc);
int report_text(FILE *out, json_t *doc, const struct report_opts *o);
int report_html(FILE *out, json_t *doc, const struct report_opts *o);

/* Shared labels (report.c). */
bool report_en(const struct report_opts *o);
const char *report_point_title(int point, bool en);
const char *report_status_label(const char *status, bool en);
const char *report_severity_label(const char *severity, bool en);
/* Text of a {"vi","en"} object in the chosen language ("" if absent). */
const char *report_i18n(json_t *obj, bool en);
/* "24/11/2026 18:30" in Vietnam time (UTC+7) from an RFC 3339 UTC time. */
void report_local_time(const char *rfc3339, char *buf, size_t size);
/* Findings ordered for reading: status (fail, error, pass, na), then
 * severity (critical first), then check id. New array (borrowed items). */
json_t *report_sorted(json_t *findings);
/* Citation text of a legal id from the report's "legal" member: full
 * ("Luật An ninh mạng 116/2025/QH15") or short ("Luật 116/2025/QH15",
 * "Chỉ thị 14/CT-TTg ngày 25/5/2018"). */
char *report_citation(json_t *doc, const char *id, bool en);
char *report_citation_short(json_t *doc, const char *id, bool en);
/* true when a cited text has dates not verified ("unverified" member). */
bool report_has_unverified(json_t *doc);

#endif
