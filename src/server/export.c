/*
 * export.c — the console's exports (export.h): CSV and XLSX writers
 * behind one row sink, and the pages GET /xuat/may.{csv,xlsx} (hosts,
 * with the filters of /may) and GET /xuat/phat-hien.{csv,xlsx} (findings,
 * with the filters of /tieu-chi), each limited to the unit of a unit
 * role: another unit in the filter is answered 404, as on the pages.
 * Everything an agent sent is data in the file: CSV cells that a
 * spreadsheet would take for a formula are defused, XLSX cells are
 * written as strings only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <xlsxwriter.h>

#include "lib/file.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/text.h"
#include "server/chart.h"
#include "server/export.h"
#include "server/page_act.h"
#include "server/page_reading.h"

static char export_dir[512];

void
export_set_tmpdir(const char *dir)
{
	snprintf(export_dir, sizeof(export_dir), "%s", dir ? dir : "");
}

const char *
export_tmpdir(void)
{
	const char *t;

	if (export_dir[0] != '\0')
		return export_dir;
	t = getenv("TMPDIR");
	return t != NULL && t[0] == '/' ? t : "/tmp";
}

bool
export_formula_risk(const char *s)
{
	return s != NULL && (s[0] == '=' || s[0] == '+' || s[0] == '-' ||
	    s[0] == '@' || s[0] == '\t' || s[0] == '\r');
}

/* --- the sink ------------------------------------------------------------ */

struct export_sink {
	bool xlsx;
	const struct export_col *cols;
	size_t ncols, rows;
	/* CSV */
	char *p;
	size_t len, cap;
	bool full;
	/* XLSX */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold;
	char path[600];
};

static bool
csv_add(struct export_sink *x, const char *s, size_t n)
{
	char *t;
	size_t cap;

	if (x->full)
		return false;
	if (x->len + n + 1 > EXPORT_MAX_BYTES) {
		x->full = true;
		return false;
	}
	if (x->len + n + 1 > x->cap) {
		cap = x->cap ? x->cap : 65536;
		while (cap < x->len + n + 1)
			cap *= 2;
		if ((t = realloc(x->p, cap)) == NULL) {
			x->full = true;
			return false;
		}
		x->p = t;
		x->cap = cap;
	}
	memcpy(x->p + x->len, s, n);
	x->len += n;
	x->p[x->len] = '\0';
	return true;
}

/* The length of s cut to at most max bytes at a character boundary. */
static size_t
cell_len(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* One CSV cell (RFC 4180): quoted when it holds a comma, quote, CR or
 * LF, and a leading ' when a spreadsheet would run it as a formula. */
static void
csv_cell(struct export_sink *x, const char *s)
{
	size_t n, i, start;
	bool quote;

	if (s == NULL)
		return;
	n = cell_len(s, EXPORT_CELL_MAX);
	quote = export_formula_risk(s) || strcspn(s, ",\"\r\n;") < n;
	if (quote)
		csv_add(x, "\"", 1);
	if (export_formula_risk(s))
		csv_add(x, "'", 1);
	for (i = start = 0; i < n; i++)
		if (s[i] == '"') {
			csv_add(x, s + start, i + 1 - start);
			csv_add(x, "\"", 1);
			start = i + 1;
		}
	csv_add(x, s + start, n - start);
	if (quote)
		csv_add(x, "\"", 1);
}

static int
csv_row(struct export_sink *x, const char *const *cells)
{
	size_t i;

	for (i = 0; i < x->ncols; i++) {
		if (i > 0)
			csv_add(x, ",", 1);
		csv_cell(x, cells[i]);
	}
	csv_add(x, "\r\n", 2);
	return x->full ? -1 : 0;
}

struct export_sink *
export_csv_new(const struct export_col *cols, size_t ncols, char *err,
    size_t errlen)
{
	struct export_sink *x = calloc(1, sizeof(*x));
	const char *head[64];
	size_t i;

	if (x == NULL || ncols > 64) {
		free(x);
		snprintf(err, errlen, "hết bộ nhớ — out of memory");
		return NULL;
	}
	x->cols = cols;
	x->ncols = ncols;
	csv_add(x, "\xef\xbb\xbf", 3);		/* BOM: Excel reads UTF-8 */
	for (i = 0; i < ncols; i++)
		head[i] = cols[i].title;
	if (csv_row(x, head) != 0) {
		export_free(x);
		snprintf(err, errlen, "hết bộ nhớ — out of memory");
		return NULL;
	}
	return x;
}

struct export_sink *
export_xlsx_new(const char *tmpdir, const char *sheet,
    const struct export_col *cols, size_t ncols, char *err, size_t errlen)
{
	lxw_workbook_options o;
	struct export_sink *x = calloc(1, sizeof(*x));
	size_t i;
	int fd;

	if (x == NULL) {
		snprintf(err, errlen, "hết bộ nhớ — out of memory");
		return NULL;
	}
	x->xlsx = true;
	x->cols = cols;
	x->ncols = ncols;
	if (tmpdir == NULL)
		tmpdir = export_tmpdir();
	snprintf(x->path, sizeof(x->path), "%s/canhgac-export-XXXXXX",
	    tmpdir);
	if ((fd = mkstemp(x->path)) < 0) {
		snprintf(err, errlen, "%s: không tạo được tệp tạm: %s — cannot "
		    "create a temporary file: %s", tmpdir,
		    text_strerror_vi(errno) ? text_strerror_vi(errno) :
		    strerror(errno), strerror(errno));
		x->path[0] = '\0';
		free(x);
		return NULL;
	}
	close(fd);
	memset(&o, 0, sizeof(o));
	o.constant_memory = LXW_TRUE;
	o.tmpdir = (char *)tmpdir;
	if ((x->wb = workbook_new_opt(x->path, &o)) == NULL ||
	    (x->ws = workbook_add_worksheet(x->wb, sheet)) == NULL ||
	    (x->bold = workbook_add_format(x->wb)) == NULL) {
		snprintf(err, errlen, "%s: không tạo được bảng tính — cannot "
		    "create the workbook", x->path);
		export_free(x);
		return NULL;
	}
	format_set_bold(x->bold);
	for (i = 0; i < ncols; i++) {
		worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i,
		    cols[i].width > 0 ? cols[i].width : 12, NULL);
		worksheet_write_string(x->ws, 0, (lxw_col_t)i, cols[i].title,
		    x->bold);
	}
	worksheet_freeze_panes(x->ws, 1, 0);
	return x;
}

/* A decimal integer that a number cell keeps exactly. */
static bool
cell_integer(const char *s, double *v)
{
	long n;

	if (s == NULL || s[0] == '\0' || strlen(s) > 15 ||
	    !text_to_long(s, &n))
		return false;
	*v = (double)n;
	return true;
}

static int
xlsx_row(struct export_sink *x, const char *const *cells)
{
	lxw_row_t row = (lxw_row_t)(x->rows + 1);
	char buf[EXPORT_CELL_MAX + 1];
	size_t i, n;
	double v;

	for (i = 0; i < x->ncols; i++) {
		const char *s = cells[i];
		lxw_error e;

		if (s == NULL || s[0] == '\0')
			continue;
		if (x->cols[i].number && cell_integer(s, &v)) {
			e = worksheet_write_number(x->ws, row, (lxw_col_t)i, v,
			    NULL);
		} else {
			n = cell_len(s, EXPORT_CELL_MAX);
			if (n < strlen(s)) {
				memcpy(buf, s, n);
				buf[n] = '\0';
				s = buf;
			}
			e = worksheet_write_string(x->ws, row, (lxw_col_t)i, s,
			    NULL);
		}
		if (e != LXW_NO_ERROR)
			return -1;
	}
	return 0;
}

int
export_row(struct export_sink *x, const char *const *cells)
{
	int rc;

	if (x->rows >= EXPORT_MAX_ROWS)
		return -1;
	rc = x->xlsx ? xlsx_row(x, cells) : csv_row(x, cells);
	if (rc == 0)
		x->rows++;
	return rc;
}

size_t
export_rows(const struct export_sink *x)
{
	return x->rows;
}

int
export_finish(struct export_sink *x, char **data, size_t *len, char *err,
    size_t errlen)
{
	lxw_error e;
	int r;

	*data = NULL;
	*len = 0;
	if (!x->xlsx) {
		if (x->full) {
			snprintf(err, errlen, "tệp xuất quá lớn — the export is "
			    "too large");
			export_free(x);
			return -1;
		}
		*data = x->p;
		*len = x->len;
		x->p = NULL;
		export_free(x);
		return 0;
	}
	e = workbook_close(x->wb);
	x->wb = NULL;
	if (e != LXW_NO_ERROR) {
		snprintf(err, errlen, "%s: không ghi được bảng tính: %s — cannot "
		    "write the workbook", x->path, lxw_strerror(e));
		export_free(x);
		return -1;
	}
	r = file_read_path(x->path, EXPORT_MAX_BYTES, data, len);
	if (r != 0) {
		snprintf(err, errlen, "%s: không đọc lại được bảng tính: %s — "
		    "cannot read the workbook back: %s", x->path,
		    text_strerror_vi(-r) ? text_strerror_vi(-r) : strerror(-r),
		    strerror(-r));
		export_free(x);
		return -1;
	}
	export_free(x);
	return 0;
}

void
export_free(struct export_sink *x)
{
	if (x == NULL)
		return;
	if (x->wb != NULL)
		workbook_close(x->wb);
	if (x->path[0] != '\0')
		unlink(x->path);
	free(x->p);
	free(x);
}

/* --- the pages ------------------------------------------------------------ */

static bool
want_xlsx(struct web_req *r)
{
	size_t n = strlen(r->path);

	return n > 5 && strcmp(r->path + n - 5, ".xlsx") == 0;
}

static void
export_send(struct web_req *r, struct http_reply *rep,
    struct export_sink *x, bool truncated, const char *base)
{
	char err[512], lv[600], name[64], *data;
	size_t len;
	bool xlsx = want_xlsx(r);

	if (truncated) {
		bool many = export_rows(x) >= EXPORT_MAX_ROWS;

		export_free(x);
		if (!many)
			log_warnx("event=export.failed path=%s msg=\"không ghi "
			    "được tệp xuất — cannot write the export\"", r->path);
		web_error(r, rep, many ? 413 : 500, many ? "export.too_many" :
		    "error.internal");
		return;
	}
	if (export_finish(x, &data, &len, err, sizeof(err)) != 0) {
		log_warnx("event=export.failed path=%s msg=%s", r->path,
		    http_logval(lv, sizeof(lv), err));
		web_error(r, rep, 500, "error.internal");
		return;
	}
	snprintf(name, sizeof(name), "canhgac-%s.%s", base, xlsx ? "xlsx" :
	    "csv");
	log_info("event=export path=%s id=%lld bytes=%zu", r->path,
	    (long long)r->user.id, len);
	web_download(r, rep, xlsx ? "application/vnd.openxmlformats-"
	    "officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8",
	    name, data, len);
}

static struct export_sink *
export_open(struct web_req *r, struct http_reply *rep, const char *sheet,
    const struct export_col *cols, size_t ncols)
{
	struct export_sink *x;
	char err[512], lv[600];

	x = want_xlsx(r) ? export_xlsx_new(NULL, sheet, cols, ncols, err,
	    sizeof(err)) : export_csv_new(cols, ncols, err, sizeof(err));
	if (x == NULL) {
		log_warnx("event=export.failed path=%s msg=%s", r->path,
		    http_logval(lv, sizeof(lv), err));
		web_error(r, rep, 500, "error.internal");
	}
	return x;
}

/* Hosts: the filters of /may (page_hosts.c): q (part of the name),
 * don-vi (unit id), hdh (OS name), tu and den (score range), im-lang=1
 * (silent), sap (ten, diem, lan-cuoi, nghiem-trong), giam=1 (descending). */
#define HOST_COLS 17

struct hosts_ctx {
	struct export_sink *x;
	bool full;
	int n;
};

static int
export_host_row(const struct store_host_row *hr, void *arg)
{
	struct hosts_ctx *c = arg;
	const struct store_host *h = &hr->h;
	char level[16], score[16], pass[16], fail[16], na[16], error[16];
	char crit[16], high[16], first[32], last[32];
	const char *cells[HOST_COLS];

	c->n++;
	snprintf(level, sizeof(level), "%d", h->level);
	snprintf(score, sizeof(score), "%d", h->score);
	snprintf(pass, sizeof(pass), "%d", h->pass);
	snprintf(fail, sizeof(fail), "%d", h->fail);
	snprintf(na, sizeof(na), "%d", h->na);
	snprintf(error, sizeof(error), "%d", h->error);
	snprintf(crit, sizeof(crit), "%d", h->open_critical);
	snprintf(high, sizeof(high), "%d", h->open_high);
	chart_time(h->first_seen, first, sizeof(first));
	chart_time(h->last_seen, last, sizeof(last));
	cells[0] = h->id;
	cells[1] = h->hostname;
	cells[2] = h->unit;
	cells[3] = h->os_name;
	cells[4] = h->kernel;
	cells[5] = h->agent_version;
	cells[6] = level;
	cells[7] = h->score >= 0 ? score : "";
	cells[8] = pass;
	cells[9] = fail;
	cells[10] = na;
	cells[11] = error;
	cells[12] = crit;
	cells[13] = high;
	cells[14] = first;
	cells[15] = last;
	cells[16] = h->revoked ? "x" : "";
	if (export_row(c->x, cells) != 0) {
		c->full = true;
		return 1;
	}
	return 0;
}

static bool
int_param(struct web_req *r, const char *name, long lo, long hi, long *out)
{
	const char *s = web_query(r, name);

	if (s == NULL || s[0] == '\0')
		return true;
	return text_to_long(s, out) && *out >= lo && *out <= hi;
}

void
page_export_hosts(struct web_req *r, struct http_reply *rep)
{
	struct export_col cols[HOST_COLS] = {
		{ "", 36, false }, { "", 24, false }, { "", 24, false },
		{ "", 22, false }, { "", 18, false }, { "", 10, false },
		{ "", 8, true }, { "", 8, true }, { "", 8, true },
		{ "", 8, true }, { "", 8, true }, { "", 8, true },
		{ "", 10, true }, { "", 10, true }, { "", 18, false },
		{ "", 18, false }, { "", 10, false },
	};
	static const char *const titles[HOST_COLS] = {
		"export.col.host_id", "export.col.hostname", "export.col.unit",
		"export.col.os", "export.col.kernel", "export.col.agent",
		"export.col.level", "export.col.score", "export.col.pass",
		"export.col.fail", "export.col.na", "export.col.error",
		"export.col.critical", "export.col.high",
		"export.col.first_seen", "export.col.last_seen",
		"export.col.revoked",
	};
	struct store_host_query q;
	struct hosts_ctx c;
	const char *unit = web_query(r, "don-vi"), *sort = web_query(r, "sap");
	const char *silent = web_query(r, "im-lang"), *desc = web_query(r,
	    "giam");
	char err[512];
	int64_t scope = web_scope_unit(&r->user), total = 0, v;
	long lo = -1, hi = 100;
	size_t i;

	memset(&q, 0, sizeof(q));
	if (!int_param(r, "tu", -1, 100, &lo) || !int_param(r, "den", -1,
	    100, &hi) || (unit != NULL && unit[0] != '\0' &&
	    !page_parse_id(unit, &v))) {
		web_error(r, rep, 400, "error.bad_request");
		return;
	}
	if (scope < 0 || (unit != NULL && unit[0] != '\0' &&
	    !web_can_see_unit(&r->user, v))) {
		web_error(r, rep, 404, "error.not_found");
		return;
	}
	q.unit_id = unit != NULL && unit[0] != '\0' ? v : scope;
	q.name = web_query(r, "q");
	q.os = web_query(r, "hdh");
	q.score_min = (int)lo;
	q.score_max = (int)hi;
	q.silent_before = silent != NULL && strcmp(silent, "1") == 0 ?
	    r->now - PAGE_SILENT_S : 0;
	q.sort = sort == NULL ? STORE_SORT_NAME : strcmp(sort, "diem") == 0 ?
	    STORE_SORT_SCORE : strcmp(sort, "lan-cuoi") == 0 ? STORE_SORT_SEEN :
	    strcmp(sort, "nghiem-trong") == 0 ? STORE_SORT_CRITICAL :
	    STORE_SORT_NAME;
	q.desc = desc != NULL && strcmp(desc, "1") == 0;
	q.limit = STORE_PAGE_MAX;
	for (i = 0; i < HOST_COLS; i++)
		cols[i].title = web_msg(r, titles[i]);
	memset(&c, 0, sizeof(c));
	if ((c.x = export_open(r, rep, web_msg(r, "export.sheet.hosts"), cols,
	    HOST_COLS)) == NULL)
		return;
	/* page by page, with the query of the hosts page */
	for (;;) {
		c.n = 0;
		if (store_console_hosts(web_store(r), &q, export_host_row, &c,
		    q.offset == 0 ? &total : NULL, err, sizeof(err)) < 0) {
			export_free(c.x);
			page_store_failed(r, rep, "export", err);
			return;
		}
		if (q.offset == 0 && total > EXPORT_MAX_ROWS) {
			c.full = true;
			break;
		}
		if (c.full || c.n < q.limit)
			break;
		q.offset += q.limit;
	}
	export_send(r, rep, c.x, c.full, "may");
}

/* Findings: the filters of /tieu-chi (act_filter_parse) and may (a host
 * id). */
#define FINDING_COLS 16

struct findings_ctx {
	struct web_req *r;
	struct export_sink *x;
	bool full;
};

static int
export_finding_row(const struct store_wf_finding *f, void *arg)
{
	struct findings_ctx *c = arg;
	const char *cells[FINDING_COLS];
	char point[16], first[32], last[32], resolved[32], until[32];
	enum store_wf_state st = store_workflow_state(f->resolved, f->report_at,
	    &f->wf, c->r->now);

	snprintf(point, sizeof(point), "%d", f->point);
	chart_time(f->first_seen, first, sizeof(first));
	chart_time(f->last_seen, last, sizeof(last));
	chart_time(f->resolved, resolved, sizeof(resolved));
	chart_time(st == WF_ACCEPTED ? f->wf.accepted_until : 0, until,
	    sizeof(until));
	cells[0] = f->host_id;
	cells[1] = f->hostname;
	cells[2] = f->unit;
	cells[3] = f->check;
	cells[4] = c->r->en && f->title_en && f->title_en[0] ? f->title_en :
	    f->title_vi;
	cells[5] = point;
	cells[6] = web_msg(c->r, act_severity_msgid(f->severity));
	cells[7] = f->status;
	cells[8] = web_msg(c->r, act_state_msgid(st));
	cells[9] = f->wf.assignee_id != 0 ? (f->wf.assignee_name &&
	    f->wf.assignee_name[0] ? f->wf.assignee_name :
	    f->wf.assignee_login) : "";
	cells[10] = until;
	cells[11] = st == WF_ACCEPTED ? f->wf.accept_reason : "";
	cells[12] = f->evidence;
	cells[13] = first;
	cells[14] = last;
	cells[15] = resolved;
	if (export_row(c->x, cells) != 0) {
		c->full = true;
		return 1;
	}
	return 0;
}

void
page_export_findings(struct web_req *r, struct http_reply *rep)
{
	struct export_col cols[FINDING_COLS] = {
		{ "", 36, false }, { "", 24, false }, { "", 24, false },
		{ "", 24, false }, { "", 48, false }, { "", 8, true },
		{ "", 14, false }, { "", 10, false }, { "", 20, false },
		{ "", 20, false }, { "", 18, false }, { "", 40, false },
		{ "", 60, false }, { "", 18, false }, { "", 18, false },
		{ "", 18, false },
	};
	static const char *const titles[FINDING_COLS] = {
		"export.col.host_id", "export.col.hostname", "export.col.unit",
		"export.col.check", "export.col.title", "export.col.point",
		"export.col.severity", "export.col.status", "export.col.state",
		"export.col.assignee", "export.col.accepted_until",
		"export.col.reason", "export.col.evidence",
		"export.col.first_seen", "export.col.last_seen",
		"export.col.resolved",
	};
	struct act_filter f;
	struct store_wf_filter sf;
	struct findings_ctx c;
	const char *host = web_query(r, "may");
	char err[512];
	size_t i;

	if (!act_filter_parse(r, rep, &f))
		return;
	if (host != NULL && host[0] != '\0') {
		int64_t unit_id;
		int rc = store_workflow_host_unit(web_store(r), host, &unit_id,
		    err, sizeof(err));

		if (rc == STORE_ENOTFOUND || (rc == STORE_OK &&
		    !web_can_see_unit(&r->user, unit_id))) {
			web_error(r, rep, 404, "error.not_found");
			return;
		}
		if (rc != STORE_OK) {
			page_store_failed(r, rep, "export", err);
			return;
		}
	} else
		host = NULL;
	memset(&sf, 0, sizeof(sf));
	sf.unit_id = f.unit_id;
	sf.host = host;
	sf.check = f.check;
	sf.point = f.point;
	sf.severity = f.severity;
	sf.include_resolved = f.all;
	sf.limit = EXPORT_MAX_ROWS + 1;
	for (i = 0; i < FINDING_COLS; i++)
		cols[i].title = web_msg(r, titles[i]);
	memset(&c, 0, sizeof(c));
	c.r = r;
	if ((c.x = export_open(r, rep, web_msg(r, "export.sheet.findings"),
	    cols, FINDING_COLS)) == NULL)
		return;
	if (store_workflow_findings(web_store(r), &sf, export_finding_row, &c,
	    err, sizeof(err)) < 0) {
		export_free(c.x);
		page_store_failed(r, rep, "export", err);
		return;
	}
	export_send(r, rep, c.x, c.full, "phat-hien");
}
