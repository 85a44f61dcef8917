/*
 * cmd_findings.c — canhgac findings: what the checks found on the hosts.
 * By default the open findings (fail and error); --all adds those already
 * resolved. The table shows the title in the chosen language and the
 * evidence cut to the terminal's width (everything an agent sent is
 * escaped); --json gives every member in full. Opens the store read-only,
 * so it works while canhgacd runs. canhgac(8) lists the JSON members.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define FINDINGS_NAME_MAX 255
#define FINDINGS_CHECK_MAX 64

static int
findings_row(const struct store_finding *fi, void *arg)
{
	struct listing *l = arg;
	char point[16], first[OUT_TIME_LEN], last[OUT_TIME_LEN], status[96];
	const char *title;

	if (l->json) {
		json_t *o = json_object();

		out_json_str(o, "host_id", fi->host_id);
		out_json_str(o, "hostname", fi->hostname);
		out_json_str(o, "unit", fi->unit);
		out_json_str(o, "check", fi->check);
		out_json_str(o, "status", fi->status);
		out_json_str(o, "severity", fi->severity);
		json_object_set_new(o, "point", json_integer(fi->point));
		out_json_str(o, "title_vi", fi->title_vi);
		out_json_str(o, "title_en", fi->title_en);
		out_json_str(o, "evidence", fi->evidence);
		out_json_str(o, "remedy_vi", fi->remedy_vi);
		out_json_str(o, "remedy_en", fi->remedy_en);
		out_json_time(o, "first_seen", fi->first_seen);
		out_json_time(o, "last_seen", fi->last_seen);
		out_json_time(o, "resolved", fi->resolved);
		json_object_set_new(o, "open", json_boolean(fi->resolved == 0));
		out_jsonarr_add(&l->arr, o);
		return 0;
	}
	snprintf(point, sizeof(point), "%d", fi->point);
	out_time(fi->first_seen, first);
	out_time(fi->last_seen, last);
	snprintf(status, sizeof(status), "%s%s", out_status(fi->status, l->en),
	    fi->resolved == 0 ? "" : l->en ? " (resolved)" : " (đã khắc phục)");
	title = l->en ? fi->title_en : fi->title_vi;
	if (title == NULL || title[0] == '\0')
		title = l->en ? fi->title_vi : fi->title_en;
	if (title == NULL || title[0] == '\0')
		title = fi->check;
	out_table_row(l->tab, (const char *const[]){ fi->hostname, fi->check,
	    out_severity(fi->severity, l->en), point, status, first, last,
	    title, fi->evidence });
	return 0;
}

static int
findings_count_host(const struct store_host *h, void *arg)
{
	(void)h;
	(*(size_t *)arg)++;
	return 0;
}

static bool
findings_check_ok(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len > FINDINGS_CHECK_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || (s[i] == '-' && i > 0)))
			return false;
	return true;
}

static const struct out_col findings_cols[] = {
	{"MÁY", "HOST", 24, 16, false, false},
	{"TIÊU CHÍ", "CHECK", 32, 20, false, false},
	{"MỨC", "SEVERITY", 0, 0, false, false},
	{"ĐIỂM", "POINT", 0, 0, true, false},
	{"TRẠNG THÁI", "STATUS", 0, 0, false, false},
	{"PHÁT HIỆN", "FIRST SEEN", 0, 0, false, false},
	{"LẦN CUỐI", "LAST SEEN", 0, 0, false, false},
	{"TIÊU ĐỀ", "TITLE", 48, 16, false, false},
	{"BẰNG CHỨNG", "EVIDENCE", 0, 0, false, true},
};

static int
findings_query(struct store *st, struct listing *l, char *err, size_t errlen)
{
	return store_findings(st, l->arg, findings_row, l, err, errlen);
}

/* No finding: say whether there is no host at all, nothing open, or
 * nothing that matches the filter. */
static void
findings_empty(struct store *st, struct listing *l)
{
	const struct store_finding_filter *f = l->arg;
	struct store_host_filter hf;
	char err[1024];
	size_t nhosts = 0;

	memset(&hf, 0, sizeof(hf));
	if (store_hosts(st, &hf, findings_count_host, &nhosts, err,
	    sizeof(err)) < 0)
		nhosts = 1;	/* say only what is sure */
	if (nhosts == 0)
		listing_no_hosts();
	else if (f->unit == NULL && f->host == NULL && f->check == NULL &&
	    f->status == NULL && !f->include_resolved)
		printf("không có vi phạm nào đang mở — no open findings\n");
	else
		printf("không có kết quả nào khớp — no findings match\n");
}

int
cmd_findings(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_OPTIONS,
		{"host", required_argument, NULL, 'H'},
		{"unit", required_argument, NULL, 'u'},
		{"check", required_argument, NULL, 'c'},
		{"status", required_argument, NULL, 's'},
		{"all", no_argument, NULL, 'a'},
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	struct store_finding_filter f;
	struct listing l = {
		.cols = findings_cols,
		.ncols = sizeof(findings_cols) / sizeof(findings_cols[0]),
		.query = findings_query,
		.empty = findings_empty,
		.arg = &f,
	};
	char *unit = NULL, *host = NULL;
	const char *unit_arg = NULL, *host_arg = NULL;
	int ch, rc;

	memset(&f, 0, sizeof(f));
	while ((ch = cli_getopt(c, argc, argv, longopts, "findings",
	    &rc)) != -1) {
		switch (ch) {
		case 'H': host_arg = optarg; break;
		case 'u': unit_arg = optarg; break;
		case 'a': f.include_resolved = true; break;
		case 'j': l.json = true; break;
		case 'c':
			if (!findings_check_ok(optarg))
				return cli_usage_error("--check “%s”: mã tiêu "
				    "chí gồm chữ thường, số và -, tối đa %d — "
				    "a check id is lower-case letters, digits "
				    "and -, at most %d", optarg,
				    FINDINGS_CHECK_MAX, FINDINGS_CHECK_MAX);
			f.check = optarg;
			break;
		case 's':
			if (strcmp(optarg, "fail") != 0 &&
			    strcmp(optarg, "error") != 0 &&
			    strcmp(optarg, "pass") != 0 &&
			    strcmp(optarg, "na") != 0)
				return cli_usage_error("--status “%s”: chọn "
				    "fail, error, pass hoặc na — use fail, "
				    "error, pass or na", optarg);
			f.status = optarg;
			break;
		}
	}
	if (rc != EXIT_OK)
		return rc;
	if (unit_arg != NULL && (unit = cli_text_arg("--unit", unit_arg,
	    FINDINGS_NAME_MAX, false)) == NULL)
		return EXIT_USAGE;
	if (host_arg != NULL && (host = cli_text_arg("--host", host_arg,
	    FINDINGS_NAME_MAX, false)) == NULL) {
		free(unit);
		return EXIT_USAGE;
	}
	f.unit = unit;
	f.host = host;
	rc = listing_run(c, &l);
	free(unit);
	free(host);
	return rc;
}
