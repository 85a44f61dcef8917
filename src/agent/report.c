/*
 * report.c — labels and orderings shared by the text and HTML renderers,
 * in the words of the glossary (../shared/GLOSSARY.md), and the JSON
 * renderer.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/report.h"
#include "lib/json.h"
#include "lib/text.h"

static const char *report_points[9][2] = {
	{"Khác", "Other"},
	{"Nâng cao nhận thức", "Awareness"},
	{"Tuân thủ pháp luật", "Legal compliance"},
	{"Biện pháp kỹ thuật", "Technical measures"},
	{"Ứng cứu sự cố", "Incident response"},
	{"Trách nhiệm và quản lý", "Accountability and management"},
	{"Bảo vệ bí mật nhà nước", "State secrets"},
	{"Kết nối, tài khoản và thư điện tử",
	    "Connections, accounts and e-mail"},
	{"Hạ tầng, lỗ hổng và chuỗi cung ứng",
	    "Infrastructure, vulnerabilities and supply chain"},
};

bool
report_en(const struct report_opts *o)
{
	return o != NULL && o->lang != NULL && strcmp(o->lang, "en") == 0;
}

const char *
report_point_title(int point, bool en)
{
	if (point < 1 || point > 8)
		point = 0;
	return report_points[point][en];
}

const char *
report_status_label(const char *status, bool en)
{
	if (strcmp(status, "pass") == 0)
		return en ? "Pass" : "Đạt";
	if (strcmp(status, "fail") == 0)
		return en ? "Fail" : "Không đạt";
	if (strcmp(status, "na") == 0)
		return en ? "Not applicable" : "Không áp dụng";
	return en ? "Error" : "Lỗi";
}

const char *
report_severity_label(const char *sev, bool en)
{
	if (strcmp(sev, "critical") == 0)
		return en ? "critical" : "nghiêm trọng";
	if (strcmp(sev, "high") == 0)
		return en ? "high" : "cao";
	if (strcmp(sev, "medium") == 0)
		return en ? "medium" : "trung bình";
	if (strcmp(sev, "low") == 0)
		return en ? "low" : "thấp";
	return en ? "info" : "thông tin";
}

const char *
report_i18n(json_t *obj, bool en)
{
	const char *s = json_str(obj, en ? "en" : "vi", NULL);

	if (s == NULL)
		s = json_str(obj, en ? "vi" : "en", "");
	return s;
}

void
report_local_time(const char *rfc3339, char *buf, size_t size)
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (rfc3339 == NULL || strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ",
	    &tm) == NULL) {
		snprintf(buf, size, "?");
		return;
	}
	t = timegm(&tm) + 7 * 3600;	/* Asia/Ho_Chi_Minh, no DST */
	gmtime_r(&t, &tm);
	snprintf(buf, size, "%02d/%02d/%04d %02d:%02d", tm.tm_mday,
	    tm.tm_mon + 1, tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
}

static int
report_rank(const char *v, const char *const *order)
{
	int i;

	for (i = 0; order[i] != NULL; i++)
		if (strcmp(v, order[i]) == 0)
			return i;
	return i;
}

static int
report_cmp(const void *a, const void *b)
{
	static const char *const st[] = {"fail", "error", "pass", "na", NULL};
	static const char *const sev[] = {"critical", "high", "medium", "low",
	    "info", NULL};
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int d;

	d = report_rank(json_str(x, "status", ""), st) -
	    report_rank(json_str(y, "status", ""), st);
	if (d == 0)
		d = report_rank(json_str(x, "severity", ""), sev) -
		    report_rank(json_str(y, "severity", ""), sev);
	if (d == 0)
		d = strcmp(json_str(x, "check", ""), json_str(y, "check", ""));
	return d;
}

json_t *
report_sorted(json_t *findings)
{
	size_t n = json_array_size(findings), i;
	json_t **v, *out = json_array();

	if (n == 0)
		return out;
	v = calloc(n, sizeof(*v));
	if (v == NULL)
		abort();
	for (i = 0; i < n; i++)
		v[i] = json_array_get(findings, i);
	qsort(v, n, sizeof(*v), report_cmp);
	for (i = 0; i < n; i++)
		json_array_append(out, v[i]);
	free(v);
	return out;
}

char *
report_citation(json_t *doc, const char *id, bool en)
{
	json_t *l = json_object_get(json_object_get(doc, "legal"), id);

	if (l == NULL)
		return text_dup(id);
	return text_printf("%s %s", report_i18n(json_object_get(l, "title"),
	    en), json_str(l, "number", ""));
}

/* "25/5/2018" from "2018-05-25" (Vietnamese short date), else a copy. */
static char *
report_short_date(const char *iso)
{
	int y, m, d;

	if (iso == NULL || sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3)
		return text_dup(iso ? iso : "");
	return text_printf("%d/%d/%d", d, m, y);
}

static char *
report_citation_plain(json_t *l, const char *id, bool en)
{
	static const char *const kinds[][3] = {
		{"law", "Luật", "Law"},
		{"decree", "Nghị định", "Decree"},
		{"decision", "Quyết định", "Decision"},
		{"regulation", "Quy định", "Regulation"},
		{"circular", "Thông tư", "Circular"},
		{"directive", "Chỉ thị", "Directive"},
		{NULL, NULL, NULL},
	};
	const char *kind, *number, *prefix = NULL;
	char *date, *out;
	size_t i;

	if (l == NULL)
		return text_dup(id);
	kind = json_str(l, "kind", "");
	number = json_str(l, "number", "");
	if (strcmp(kind, "standard") == 0)
		return text_dup(number);
	for (i = 0; kinds[i][0] != NULL; i++)
		if (strcmp(kind, kinds[i][0]) == 0)
			prefix = kinds[i][en ? 2 : 1];
	/* An official letter with no number yet ("Số: /UBND-CA"). */
	if (number[0] == '/')
		prefix = en ? "Official letter" : "Công văn";
	if (strcmp(kind, "directive") != 0 && number[0] != '/')
		return text_printf("%s %s", prefix ? prefix : "", number);
	/* Directives share numbers across years (14/CT-TTg): add the date. */
	date = report_short_date(json_str(l, "issued", NULL));
	out = text_printf("%s %s %s %s", prefix ? prefix : "", number,
	    en ? "of" : "ngày", date);
	free(date);
	return out;
}

/* Texts whose dates are not verified are marked "(*)"; the renderers
 * explain the mark (report_legal_note). */
char *
report_citation_short(json_t *doc, const char *id, bool en)
{
	json_t *l = json_object_get(json_object_get(doc, "legal"), id);
	char *plain, *marked;

	plain = report_citation_plain(l, id, en);
	if (l == NULL || json_object_get(l, "unverified") == NULL)
		return plain;
	marked = text_printf("%s (*)", plain);
	free(plain);
	return marked;
}

bool
report_has_unverified(json_t *doc)
{
	const char *id;
	json_t *l;

	json_object_foreach(json_object_get(doc, "legal"), id, l)
		if (json_object_get(l, "unverified") != NULL)
			return true;
	return false;
}

int
report_json(FILE *out, json_t *doc)
{
	return json_dumpf_pretty(doc, out);
}
