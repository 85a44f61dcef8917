/*
 * report_text.c — the audit report for a terminal, grouped by the points
 * of the directive, Vietnamese by default, colours on a terminal. Failures
 * and errors come with their evidence, remedy and legal basis; passes take
 * one line; checks that do not apply are counted (listed with -v).
 */
#include <stdlib.h>
#include <string.h>

#include "agent/report.h"
#include "lib/json.h"
#include "lib/text.h"

#define WIDTH 100

struct tx {
	FILE *out;
	bool en, color, verbose;
};

static const char *
tx_c(const struct tx *t, const char *code)
{
	return t->color ? code : "";
}

/* Writes text from the audited system with every control character
 * (C0, DEL, C1) shown as '?', so that no escape sequence in a file name or
 * a configuration value reaches the terminal. */
static void
tx_write(const struct tx *t, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f) {
			fputc('?', t->out);
		} else if (p[i] == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f) {
			fputc('?', t->out);
			i++;
		} else
			fputc(p[i], t->out);
	}
}

static void
tx_puts(const struct tx *t, const char *s)
{
	if (s != NULL)
		tx_write(t, s, strlen(s));
}

#define RESET "\033[0m"
#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RED "\033[31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define CYAN "\033[36m"

/* Number of code points in s[0..n) (Vietnamese letters are one column). */
static size_t
tx_width(const char *s, size_t n)
{
	size_t w = 0, i;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/* Prints text wrapped at WIDTH columns, each line after the first
 * indented by indent spaces; label (already printed) took first cols. */
static void
tx_wrap(const struct tx *t, const char *text, size_t first, size_t indent)
{
	const char *p = text, *word;
	size_t col = first, wl, ww;
	bool space = false;

	while (*p != '\0') {
		if (*p == '\n') {
			fprintf(t->out, "\n%*s", (int)indent, "");
			col = indent;
			space = false;
			p++;
			continue;
		}
		if (*p == ' ') {
			p++;
			continue;
		}
		word = p;
		while (*p != '\0' && *p != ' ' && *p != '\n')
			p++;
		wl = (size_t)(p - word);
		ww = tx_width(word, wl);
		if (col > indent && col + (space ? 1 : 0) + ww > WIDTH) {
			fprintf(t->out, "\n%*s", (int)indent, "");
			col = indent;
		} else if (space) {
			fputc(' ', t->out);
			col++;
		}
		tx_write(t, word, wl);
		col += ww;
		space = true;
	}
	fputc('\n', t->out);
}

static void
tx_field(const struct tx *t, const char *label, const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	fprintf(t->out, "      %s%s:%s ", tx_c(t, DIM), label,
	    tx_c(t, RESET));
	tx_wrap(t, text, 6 + tx_width(label, strlen(label)) + 2, 8);
}

static void
tx_basis(const struct tx *t, json_t *doc, json_t *f)
{
	json_t *b = json_object_get(f, "basis"), *v;
	char *line = text_dup(""), *cit, *next;
	size_t i;

	json_array_foreach(b, i, v) {
		cit = report_citation_short(doc, json_string_value(v),
		    t->en);
		next = text_printf("%s%s%s", line, i ? "; " : "", cit);
		free(cit);
		free(line);
		line = next;
	}
	tx_field(t, t->en ? "Legal basis" : "Căn cứ", line);
	free(line);
}

static void
tx_finding(const struct tx *t, json_t *doc, json_t *f)
{
	const char *st = json_str(f, "status", "");
	const char *sev = json_str(f, "severity", "");
	const char *mark, *col;
	json_t *reason = json_object_get(f, "reason");

	if (strcmp(st, "fail") == 0) {
		mark = "✗";
		col = RED;
	} else if (strcmp(st, "error") == 0) {
		mark = "!";
		col = YELLOW;
	} else if (strcmp(st, "pass") == 0) {
		mark = "✓";
		col = GREEN;
	} else {
		mark = "–";
		col = DIM;
	}
	if (strcmp(st, "pass") == 0 || (strcmp(st, "na") == 0)) {
		fprintf(t->out, "  %s%s %s%s  ", tx_c(t, col), mark,
		    report_status_label(st, t->en), tx_c(t, RESET));
		tx_puts(t, report_i18n(json_object_get(f, "title"), t->en));
		fprintf(t->out, " %s(", tx_c(t, DIM));
		tx_puts(t, json_str(f, "check", ""));
		fprintf(t->out, ")%s\n", tx_c(t, RESET));
		if (strcmp(st, "na") == 0 && reason != NULL && t->verbose)
			tx_field(t, t->en ? "Reason" : "Lý do",
			    report_i18n(reason, t->en));
		else if (t->verbose)
			tx_field(t, t->en ? "Evidence" : "Bằng chứng",
			    json_str(f, "evidence", ""));
		return;
	}
	fprintf(t->out, "  %s%s%s %s · %s%s  %s", tx_c(t, col),
	    tx_c(t, BOLD), mark, report_status_label(st, t->en),
	    report_severity_label(sev, t->en), tx_c(t, RESET), tx_c(t, DIM));
	tx_puts(t, json_str(f, "check", ""));
	fprintf(t->out, "%s\n", tx_c(t, RESET));
	fprintf(t->out, "      %s", tx_c(t, BOLD));
	tx_wrap(t, report_i18n(json_object_get(f, "title"), t->en), 6, 6);
	fputs(tx_c(t, RESET), t->out);
	if (reason != NULL)
		tx_field(t, t->en ? "Reason" : "Lý do",
		    report_i18n(reason, t->en));
	tx_field(t, t->en ? "Evidence" : "Bằng chứng",
	    json_str(f, "evidence", ""));
	if (strcmp(st, "fail") == 0)
		tx_field(t, t->en ? "Remedy" : "Khắc phục",
		    report_i18n(json_object_get(f, "remedy"), t->en));
	tx_basis(t, doc, f);
}

static void
tx_counts(const struct tx *t, json_t *c)
{
	fprintf(t->out, "%s%s %lld%s · %s%s %lld%s · %s%s %lld%s · %s %lld",
	    tx_c(t, GREEN), report_status_label("pass", t->en),
	    json_int(c, "pass", 0), tx_c(t, RESET), tx_c(t, RED),
	    report_status_label("fail", t->en), json_int(c, "fail", 0),
	    tx_c(t, RESET), tx_c(t, YELLOW),
	    report_status_label("error", t->en), json_int(c, "error", 0),
	    tx_c(t, RESET), report_status_label("na", t->en),
	    json_int(c, "na", 0));
}

/* A label padded to 17 columns, counting code points, not bytes. */
static void
tx_label(const struct tx *t, const char *vi, const char *en)
{
	const char *l = t->en ? en : vi;
	size_t w = tx_width(l, strlen(l));

	fputs(l, t->out);
	fprintf(t->out, "%*s", (int)(w < 17 ? 17 - w : 1), "");
}

static void
tx_line(const struct tx *t, const char *vi, const char *en, const char *v)
{
	tx_label(t, vi, en);
	tx_puts(t, v);
	fputc('\n', t->out);
}

static void
tx_header(const struct tx *t, json_t *doc)
{
	json_t *host = json_object_get(doc, "host");
	json_t *sum = json_object_get(doc, "summary");
	char when[32], *s;
	const char *unit = json_str(host, "unit", NULL);
	const char *root = json_str(host, "root", NULL);

	report_local_time(json_str(doc, "collected_at", NULL), when,
	    sizeof(when));
	fprintf(t->out, "%s%sCANH GÁC — %s%s\n", tx_c(t, BOLD), tx_c(t, CYAN),
	    t->en ? "Information security audit" :
	    "Kết quả kiểm tra an toàn thông tin", tx_c(t, RESET));
	s = text_printf("%s · %s · %s", json_str(host, "hostname", ""),
	    json_str(json_object_get(host, "os"), "name", ""),
	    json_str(host, "arch", ""));
	tx_line(t, "Máy tính:", "Computer:", s);
	free(s);
	if (root != NULL)
		tx_line(t, "Ổ đĩa kiểm tra:", "Disk audited:", root);
	tx_line(t, "Mã máy:", "Host id:", json_str(host, "id", ""));
	if (unit != NULL)
		tx_line(t, "Đơn vị:", "Unit:", unit);
	s = text_printf("%s (%s)", when, t->en ? "Vietnam time" :
	    "giờ Việt Nam");
	tx_line(t, "Thời điểm:", "Time:", s);
	free(s);
	s = text_printf("%lld · %zu %s", json_int(host, "level", 0),
	    json_array_size(json_object_get(doc, "findings")),
	    t->en ? "checks" : "tiêu chí");
	tx_line(t, "Cấp độ:", "Security level:", s);
	free(s);
	if (!json_bool(json_object_get(doc, "agent"), "privileged", true) &&
	    root == NULL)
		fprintf(t->out, "%s%s%s\n", tx_c(t, YELLOW), t->en ?
		    "Run as root for a complete audit: checks that need root "
		    "report \"Error\"." :
		    "Hãy chạy với quyền root để kiểm tra đầy đủ: các tiêu chí "
		    "cần quyền root báo “Lỗi”.", tx_c(t, RESET));
	fputs(tx_c(t, BOLD), t->out);
	tx_label(t, "Điểm tuân thủ:", "Score:");
	fprintf(t->out, "%lld/100%s   ", json_int(sum, "score", 0),
	    tx_c(t, RESET));
	tx_counts(t, sum);
	fputs("\n", t->out);
}

/* Explains the "(*)" after a citation: what of that text is unverified. */
static void
tx_unverified(const struct tx *t, json_t *doc)
{
	const char *id;
	json_t *l;
	char *c, *line;

	fprintf(t->out, "\n%s(*) %s%s\n", tx_c(t, DIM), t->en ?
	    "Not verified against the official text:" :
	    "Chưa đối chiếu được với văn bản chính thức:", tx_c(t, RESET));
	json_object_foreach(json_object_get(doc, "legal"), id, l) {
		if (json_object_get(l, "unverified") == NULL)
			continue;
		c = report_citation(doc, id, t->en);
		line = text_printf("%s: %s", c, report_i18n(
		    json_object_get(l, "unverified"), t->en));
		fputs("    ", t->out);
		tx_wrap(t, line, 4, 6);
		free(c);
		free(line);
	}
}

int
report_text(FILE *out, json_t *doc, const struct report_opts *o)
{
	struct tx t = {out, report_en(o), o->color, o->verbose};
	json_t *sorted, *f, *points;
	size_t i, nna;
	int point;

	tx_header(&t, doc);
	sorted = report_sorted(json_object_get(doc, "findings"));
	points = json_object_get(json_object_get(doc, "summary"), "points");
	for (point = 0; point <= 8; point++) {
		char key[16];
		json_t *pc;
		int any = 0;

		json_array_foreach(sorted, i, f)
			if (json_int(f, "point", 0) == point)
				any = 1;
		if (!any)
			continue;
		snprintf(key, sizeof(key), "%d", point);
		pc = json_object_get(points, key);
		fprintf(out, "\n%s%s━━ %s %d — %s%s  %s(", tx_c(&t, BOLD),
		    tx_c(&t, CYAN), t.en ? "Point" : "Điểm", point,
		    report_point_title(point, t.en), tx_c(&t, RESET),
		    tx_c(&t, DIM));
		if (json_int(pc, "pass", 0) + json_int(pc, "fail", 0) > 0)
			fprintf(out, "%s %lld/100: ", t.en ? "score" : "điểm",
			    json_int(pc, "score", 0));
		tx_counts(&t, pc);
		fprintf(out, ")%s\n", tx_c(&t, RESET));
		nna = 0;
		json_array_foreach(sorted, i, f) {
			if (json_int(f, "point", 0) != point)
				continue;
			if (!t.verbose &&
			    strcmp(json_str(f, "status", ""), "na") == 0) {
				nna++;
				continue;
			}
			tx_finding(&t, doc, f);
		}
		if (nna > 0)
			fprintf(out, "  %s– %zu %s%s\n", tx_c(&t, DIM), nna,
			    t.en ? "checks not applicable (-v lists them)" :
			    "tiêu chí không áp dụng (-v để xem)",
			    tx_c(&t, RESET));
	}
	json_decref(sorted);
	if (report_has_unverified(doc))
		tx_unverified(&t, doc);
	return ferror(out) ? -1 : 0;
}
