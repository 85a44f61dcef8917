/*
 * report_html.c — the audit report as one self-contained, printable HTML
 * file: no script, no external resource (a Content-Security-Policy forbids
 * them), every value from the audited computer escaped. Opens in any
 * browser of an office with no Internet and prints on A4.
 */
#include <string.h>

#include "agent/report.h"
#include "lib/json.h"
#include "lib/text.h"

static void
html_esc(FILE *out, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*s, out);
		}
	}
}

static const char html_style[] =
    "body{font-family:'Noto Sans','DejaVu Sans',Arial,sans-serif;"
    "margin:2em auto;max-width:60em;padding:0 1em;color:#1a1a1a;"
    "line-height:1.45}"
    "h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;"
    "border-bottom:2px solid #1f4e79;padding-bottom:.2em;margin-top:1.6em;"
    "color:#1f4e79}"
    "table{border-collapse:collapse;width:100%}td,th{padding:.3em .5em;"
    "text-align:left;vertical-align:top;border-bottom:1px solid #ddd}"
    "th{background:#f0f3f7}.meta td:first-child{width:12em;color:#555}"
    ".score{font-size:2.2em;font-weight:bold}"
    ".bar{height:.6em;background:#e6e6e6;border-radius:.3em;overflow:hidden;"
    "width:12em;display:inline-block;vertical-align:middle}"
    ".bar span{display:block;height:100%;background:#2e7d32}"
    ".f{border:1px solid #ddd;border-left:6px solid #999;margin:.6em 0;"
    "padding:.4em .8em;page-break-inside:avoid}"
    ".f.fail{border-left-color:#c62828}.f.error{border-left-color:#ef6c00}"
    ".f.pass{border-left-color:#2e7d32}.f.na{border-left-color:#9e9e9e}"
    ".f h3{font-size:1em;margin:.2em 0}.tag{font-size:.8em;padding:.1em .5em;"
    "border-radius:.3em;background:#eee;margin-right:.4em}"
    ".tag.fail{background:#ffebee;color:#b71c1c}.tag.error{background:"
    "#fff3e0;color:#e65100}.tag.pass{background:#e8f5e9;color:#1b5e20}"
    ".tag.critical{background:#b71c1c;color:#fff}.tag.high{background:"
    "#e53935;color:#fff}.tag.medium{background:#fb8c00;color:#fff}"
    ".id{font-family:monospace;color:#666;font-size:.85em}"
    ".ev{font-family:monospace;font-size:.85em;background:#f7f7f7;"
    "padding:.3em;white-space:pre-wrap;word-break:break-word}"
    "dl{margin:.3em 0}dt{font-weight:bold;font-size:.9em;color:#444}"
    "dd{margin:0 0 .3em 0}"
    ".short td{padding:.15em .5em;font-size:.92em}"
    "footer{margin-top:2em;color:#777;font-size:.85em}"
    "@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}}"
    "@page{size:A4;margin:15mm}";

static void
html_counts_row(FILE *out, json_t *c)
{
	fprintf(out, "<td>%lld</td><td>%lld</td><td>%lld</td><td>%lld</td>",
	    json_int(c, "pass", 0), json_int(c, "fail", 0),
	    json_int(c, "error", 0), json_int(c, "na", 0));
	/* nothing applicable and known: no score to show */
	if (json_int(c, "pass", 0) + json_int(c, "fail", 0) == 0) {
		fputs("<td>—</td>", out);
		return;
	}
	fprintf(out, "<td><span class=\"bar\"><span style=\"width:%lld%%\">"
	    "</span></span> %lld</td>", json_int(c, "score", 0),
	    json_int(c, "score", 0));
}

static void
html_finding(FILE *out, json_t *doc, json_t *f, bool en)
{
	const char *st = json_str(f, "status", "");
	const char *sev = json_str(f, "severity", "");
	json_t *reason = json_object_get(f, "reason"), *b, *v;
	const char *ev = json_str(f, "evidence", "");
	size_t i;

	fprintf(out, "<div class=\"f %s\"><h3><span class=\"tag %s\">%s"
	    "</span><span class=\"tag %s\">%s</span>", st, st,
	    report_status_label(st, en), sev, report_severity_label(sev, en));
	html_esc(out, report_i18n(json_object_get(f, "title"), en));
	fputs(" <span class=\"id\">", out);
	html_esc(out, json_str(f, "check", ""));
	fputs("</span></h3><dl>", out);
	if (reason != NULL) {
		fprintf(out, "<dt>%s</dt><dd>", en ? "Reason" : "Lý do");
		html_esc(out, report_i18n(reason, en));
		fputs("</dd>", out);
	}
	if (*ev != '\0') {
		fprintf(out, "<dt>%s</dt><dd class=\"ev\">",
		    en ? "Evidence" : "Bằng chứng");
		html_esc(out, ev);
		fputs("</dd>", out);
	}
	if (strcmp(st, "fail") == 0 || strcmp(st, "error") == 0) {
		fprintf(out, "<dt>%s</dt><dd>", en ? "Why it matters" :
		    "Lý do yêu cầu");
		html_esc(out, report_i18n(json_object_get(f, "rationale"), en));
		fprintf(out, "</dd><dt>%s</dt><dd>", en ? "Remedy" :
		    "Biện pháp khắc phục");
		html_esc(out, report_i18n(json_object_get(f, "remedy"), en));
		fputs("</dd>", out);
	}
	b = json_object_get(f, "basis");
	if (json_array_size(b) > 0) {
		fprintf(out, "<dt>%s</dt><dd>", en ? "Legal basis" :
		    "Căn cứ pháp lý");
		json_array_foreach(b, i, v) {
			/* short here; titles in the table of texts below */
			char *c = report_citation_short(doc,
			    json_string_value(v), en);

			if (i > 0)
				fputs("; ", out);
			html_esc(out, c);
			free(c);
		}
		fputs("</dd>", out);
	}
	fputs("</dl></div>\n", out);
}

/* The texts cited, with their dates and what is not verified of them. */
static void
html_legal(FILE *out, json_t *doc, bool en)
{
	const char *id;
	json_t *l, *u;

	fprintf(out, "<h2>%s</h2>\n<table><tr><th>%s</th><th>%s</th>"
	    "<th>%s</th></tr>\n", en ? "Legal texts cited" :
	    "Văn bản pháp lý được viện dẫn", en ? "Text" : "Văn bản",
	    en ? "In force" : "Hiệu lực", en ? "Note" : "Ghi chú");
	json_object_foreach(json_object_get(doc, "legal"), id, l) {
		fputs("<tr><td>", out);
		html_esc(out, report_i18n(json_object_get(l, "title"), en));
		fputs(" ", out);
		html_esc(out, json_str(l, "number", ""));
		fputs("</td><td>", out);
		html_esc(out, json_str(l, "effective", ""));
		if (json_str(l, "until", NULL) != NULL) {
			fputs(" – ", out);
			html_esc(out, json_str(l, "until", ""));
		}
		fputs("</td><td>", out);
		if (json_bool(l, "cited_by_directive", false))
			fputs(en ? "Cited by the directive. " :
			    "Được công văn viện dẫn. ", out);
		if ((u = json_object_get(l, "unverified")) != NULL) {
			fputs(en ? "Not verified: " : "Chưa xác minh: ", out);
			html_esc(out, report_i18n(u, en));
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

int
report_html(FILE *out, json_t *doc, const struct report_opts *o)
{
	bool en = report_en(o);
	json_t *host = json_object_get(doc, "host");
	json_t *sum = json_object_get(doc, "summary");
	json_t *points = json_object_get(sum, "points");
	json_t *sorted, *f;
	char when[32], key[16];
	const char *unit = json_str(host, "unit", NULL);
	int point;
	size_t i;

	report_local_time(json_str(doc, "collected_at", NULL), when,
	    sizeof(when));
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\"><head>"
	    "<meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'\">"
	    "<title>", en ? "en" : "vi");
	fputs(en ? "Security audit — " : "Kết quả kiểm tra — ", out);
	html_esc(out, json_str(host, "hostname", ""));
	fprintf(out, "</title><style>%s</style></head><body>\n", html_style);
	fprintf(out, "<h1>CANH GÁC — %s</h1>\n", en ?
	    "Information security audit" :
	    "Kết quả kiểm tra an toàn thông tin");
	fputs("<table class=\"meta\">", out);
	fprintf(out, "<tr><td>%s</td><td>", en ? "Computer" : "Máy tính");
	html_esc(out, json_str(host, "hostname", ""));
	fputs(" — ", out);
	html_esc(out, json_str(json_object_get(host, "os"), "name", ""));
	fputs(" — ", out);
	html_esc(out, json_str(host, "arch", ""));
	fprintf(out, "</td></tr><tr><td>%s</td><td class=\"id\">",
	    en ? "Host id" : "Mã máy");
	html_esc(out, json_str(host, "id", ""));
	fputs("</td></tr>", out);
	if (json_str(host, "root", NULL) != NULL) {
		fprintf(out, "<tr><td>%s</td><td>", en ? "Disk audited" :
		    "Ổ đĩa kiểm tra");
		html_esc(out, json_str(host, "root", ""));
		fputs("</td></tr>", out);
	}
	if (unit != NULL) {
		fprintf(out, "<tr><td>%s</td><td>", en ? "Unit" : "Đơn vị");
		html_esc(out, unit);
		fputs("</td></tr>", out);
	}
	fprintf(out, "<tr><td>%s</td><td>%s (%s)</td></tr>", en ? "Time" :
	    "Thời điểm", when, en ? "Vietnam time" : "giờ Việt Nam");
	fprintf(out, "<tr><td>%s</td><td>%lld</td></tr>", en ?
	    "Security level" : "Cấp độ an toàn", json_int(host, "level", 0));
	fprintf(out, "<tr><td>%s</td><td>%s</td></tr></table>\n", en ?
	    "Agent" : "Phiên bản tác tử", json_str(json_object_get(doc,
	    "agent"), "version", ""));
	fprintf(out, "<h2>%s</h2><p><span class=\"score\">%lld/100</span>"
	    "</p>\n", en ? "Compliance score" : "Điểm tuân thủ",
	    json_int(sum, "score", 0));
	fprintf(out, "<table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
	    "<th>%s</th><th>%s</th></tr>\n", en ? "Directive point" :
	    "Điểm của công văn", report_status_label("pass", en),
	    report_status_label("fail", en), report_status_label("error", en),
	    report_status_label("na", en), en ? "Score" : "Điểm");
	for (point = 1; point <= 8; point++) {
		json_t *pc;

		snprintf(key, sizeof(key), "%d", point);
		if ((pc = json_object_get(points, key)) == NULL)
			continue;
		fprintf(out, "<tr><td>%d. %s</td>", point,
		    report_point_title(point, en));
		html_counts_row(out, pc);
		fputs("</tr>\n", out);
	}
	fprintf(out, "<tr><th>%s</th>", en ? "Total" : "Tổng");
	html_counts_row(out, sum);
	fputs("</tr></table>\n", out);

	sorted = report_sorted(json_object_get(doc, "findings"));
	for (point = 0; point <= 8; point++) {
		int any = 0, shortlist = 0;

		json_array_foreach(sorted, i, f)
			if (json_int(f, "point", 0) == point)
				any = 1;
		if (!any)
			continue;
		fprintf(out, "<h2>%s %d — %s</h2>\n", en ? "Point" : "Điểm",
		    point, report_point_title(point, en));
		json_array_foreach(sorted, i, f) {
			const char *st = json_str(f, "status", "");

			if (json_int(f, "point", 0) != point)
				continue;
			if (strcmp(st, "fail") == 0 ||
			    strcmp(st, "error") == 0) {
				html_finding(out, doc, f, en);
				continue;
			}
			if (!shortlist) {
				fputs("<table class=\"short\">", out);
				shortlist = 1;
			}
			fprintf(out, "<tr><td><span class=\"tag %s\">%s</span>"
			    "</td><td>", st, report_status_label(st, en));
			html_esc(out, report_i18n(json_object_get(f, "title"),
			    en));
			fputs(" <span class=\"id\">", out);
			html_esc(out, json_str(f, "check", ""));
			fputs("</span></td><td class=\"ev\">", out);
			if (strcmp(st, "na") == 0)
				html_esc(out, report_i18n(json_object_get(f,
				    "reason"), en));
			else
				html_esc(out, json_str(f, "evidence", ""));
			fputs("</td></tr>\n", out);
		}
		if (shortlist)
			fputs("</table>\n", out);
	}
	json_decref(sorted);
	html_legal(out, doc, en);
	fprintf(out, "<footer>%s</footer>\n</body></html>\n", en ?
	    "Generated by canhgac-agent. Times are Vietnam time (UTC+7)." :
	    "Tạo bởi canhgac-agent. Thời gian theo giờ Việt Nam (UTC+7).");
	return ferror(out) ? -1 : 0;
}
