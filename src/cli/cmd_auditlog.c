/*
 * cmd_auditlog.c — canhgac audit-log verify | list: the append-only,
 * hash-chained record of every change a person made (store.h, "Console:
 * audit log"). verify walks the whole chain and exits 1 naming the first
 * broken record, its time and what is wrong; list shows the records,
 * newest first. Both open the store read-only, so they work while
 * canhgacd runs. canhgac(8), docs/admin.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "lib/log.h"
#include "lib/text.h"

#define AUDIT_VN_OFFSET (7 * 3600)	/* Asia/Ho_Chi_Minh, no DST */

static const char *
audit_why(enum store_audit_break why, bool en)
{
	switch (why) {
	case STORE_AUDIT_EDITED:
		return en ? "its content does not match its hash: the record "
		    "was edited" : "nội dung không khớp mã băm: bản ghi đã bị "
		    "sửa";
	case STORE_AUDIT_UNLINKED:
		return en ? "it does not link to the record before it: a "
		    "record before it was edited, deleted or inserted" :
		    "không nối với bản ghi liền trước: một bản ghi trước nó đã "
		    "bị sửa, xoá hoặc chèn thêm";
	case STORE_AUDIT_GAP:
		return en ? "the ids skip: the record(s) before it were "
		    "deleted" : "số thứ tự bị nhảy: (các) bản ghi ngay trước "
		    "nó đã bị xoá";
	case STORE_AUDIT_TRUNCATED:
		return en ? "it is missing: the last record(s) of the log "
		    "were deleted" : "bản ghi này không còn: (các) bản ghi cuối "
		    "của nhật ký đã bị xoá";
	default:
		return en ? "intact" : "nguyên vẹn";
	}
}

static const char *
audit_why_id(enum store_audit_break why)
{
	switch (why) {
	case STORE_AUDIT_EDITED: return "edited";
	case STORE_AUDIT_UNLINKED: return "unlinked";
	case STORE_AUDIT_GAP: return "gap";
	case STORE_AUDIT_TRUNCATED: return "truncated";
	default: return "intact";
	}
}

static int
audit_verify(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_OPTIONS,
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	struct store_audit_check ck;
	struct serverconf sc;
	struct store *st;
	char err[1024], when[OUT_TIME_LEN];
	bool json = false;
	int ch, rc;

	while ((ch = cli_getopt(c, argc, argv, longopts, "audit-log verify",
	    &rc)) != -1)
		if (ch == 'j')
			json = true;
	if (rc != EXIT_OK)
		return rc;
	if (cli_open(c, STORE_READONLY, &sc, &st) != 0)
		return EXIT_FAIL;
	if (store_audit_verify(st, &ck, err, sizeof(err)) != STORE_OK) {
		log_warnx("%s: %s", sc.store, err);
		cli_close(&sc, st);
		return EXIT_FAIL;
	}
	if (json) {
		json_t *o = json_object();
		char *s;

		json_object_set_new(o, "intact", json_boolean(ck.why ==
		    STORE_AUDIT_INTACT));
		json_object_set_new(o, "records", json_integer(ck.count));
		out_json_str(o, "head", ck.head);
		out_json_str(o, "problem", audit_why_id(ck.why));
		json_object_set_new(o, "broken_id", ck.broken_id ?
		    json_integer(ck.broken_id) : json_null());
		out_json_time(o, "broken_time", ck.broken_time);
		out_json_str(o, "vi", audit_why(ck.why, false));
		out_json_str(o, "en", audit_why(ck.why, true));
		s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (s != NULL)
			puts(s);
		free(s);
		json_decref(o);
	} else if (ck.why == STORE_AUDIT_INTACT)
		printf("Nhật ký kiểm toán nguyên vẹn: %lld bản ghi, mã băm cuối "
		    "%s — the audit log is intact: %lld records, head hash %s\n",
		    (long long)ck.count, ck.head, (long long)ck.count, ck.head);
	else {
		out_time(ck.broken_time, when);
		printf("Nhật ký kiểm toán bị hỏng tại bản ghi số %lld (%s): %s — "
		    "the audit log is broken at record %lld (%s): %s\n",
		    (long long)ck.broken_id, when, audit_why(ck.why, false),
		    (long long)ck.broken_id, when, audit_why(ck.why, true));
		printf("Các bản ghi trước đó (%lld) nguyên vẹn, mã băm %s — the "
		    "records before it (%lld) are intact, hash %s\n",
		    (long long)ck.count - (ck.why == STORE_AUDIT_TRUNCATED ? 0 :
		    1), ck.head, (long long)ck.count -
		    (ck.why == STORE_AUDIT_TRUNCATED ? 0 : 1), ck.head);
	}
	cli_close(&sc, st);
	if (fflush(stdout) != 0)
		return EXIT_FAIL;
	return ck.why == STORE_AUDIT_INTACT ? EXIT_OK : EXIT_FAIL;
}

/* --since: 7d, 12h, 30m (ago), or YYYY-MM-DD[THH:MM] in Vietnam time. */
static bool
audit_since(const char *s, int64_t now, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, n = 0;
	long v;
	char unit, num[16];
	size_t len = strlen(s);
	struct tm tm;

	if (len >= 2 && len < sizeof(num) && strchr("mhdw", s[len - 1]) !=
	    NULL) {
		memcpy(num, s, len - 1);
		num[len - 1] = '\0';
		unit = s[len - 1];
		if (!text_to_long(num, &v) || v < 0 || v > 100000)
			return false;
		*out = now - v * (unit == 'm' ? 60 : unit == 'h' ? 3600 :
		    unit == 'd' ? 86400 : 7 * 86400);
		return true;
	}
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
		return false;
	if (s[n] == 'T' || s[n] == ' ') {
		int m = 0;

		if (sscanf(s + n + 1, "%2d:%2d%n", &h, &mi, &m) != 2)
			return false;
		n += 1 + m;
	}
	if (s[n] != '\0' || y < 1970 || y > 9999 || mo < 1 || mo > 12 ||
	    d < 1 || d > 31 || h > 23 || mi > 59 || h < 0 || mi < 0)
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	*out = (int64_t)timegm(&tm) - AUDIT_VN_OFFSET;
	return true;
}

struct audit_list {
	struct store_audit_filter f;
};

static int
audit_list_row(const struct store_audit *a, void *arg)
{
	struct listing *l = arg;
	char id[24], when[OUT_TIME_LEN];

	if (l->json) {
		json_t *o = json_object(), *d;

		json_object_set_new(o, "id", json_integer(a->id));
		out_json_time(o, "time", a->time);
		out_json_str(o, "actor", a->actor);
		out_json_str(o, "actor_role", a->actor_role);
		out_json_str(o, "addr", a->addr);
		out_json_str(o, "action", a->action);
		out_json_str(o, "object", a->object);
		d = json_loads(a->detail ? a->detail : "{}", 0, NULL);
		json_object_set_new(o, "detail", d ? d : json_null());
		out_json_str(o, "prev_hash", a->prev_hash);
		out_json_str(o, "hash", a->hash);
		out_jsonarr_add(&l->arr, o);
		return 0;
	}
	snprintf(id, sizeof(id), "%lld", (long long)a->id);
	out_time(a->time, when);
	out_table_row(l->tab, (const char *const[]){ id, when, a->actor,
	    a->addr, a->action, a->object, a->detail });
	return 0;
}

static const struct out_col audit_list_cols[] = {
	{"SỐ", "ID", 0, 0, true, false},
	{"THỜI GIAN", "TIME", 0, 0, false, false},
	{"NGƯỜI LÀM", "ACTOR", 24, 8, false, false},
	{"ĐỊA CHỈ", "ADDRESS", 40, 0, false, false},
	{"HÀNH ĐỘNG", "ACTION", 0, 0, false, false},
	{"ĐỐI TƯỢNG", "OBJECT", 32, 8, false, false},
	{"CHI TIẾT", "DETAIL", 0, 0, false, true},
};

static int
audit_list_query(struct store *st, struct listing *l, char *err,
    size_t errlen)
{
	struct audit_list *al = l->arg;

	return store_audit_list(st, &al->f, audit_list_row, l, err, errlen);
}

static int
audit_list(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_OPTIONS,
		{"json", no_argument, NULL, 'j'},
		{"since", required_argument, NULL, 's'},
		{"actor", required_argument, NULL, 'a'},
		{"action", required_argument, NULL, 'A'},
		{"limit", required_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	struct audit_list al;
	struct listing l = {
		.cols = audit_list_cols,
		.ncols = sizeof(audit_list_cols) / sizeof(audit_list_cols[0]),
		.query = audit_list_query,
		.none = "nhật ký kiểm toán chưa có bản ghi nào (khớp bộ lọc) — "
		    "the audit log has no records (matching the filter)",
	};
	long v;
	int ch, rc;

	memset(&al, 0, sizeof(al));
	l.arg = &al;
	while ((ch = cli_getopt(c, argc, argv, longopts, "audit-log list",
	    &rc)) != -1) {
		switch (ch) {
		case 'j':
			l.json = true;
			break;
		case 's':
			if (!audit_since(optarg, (int64_t)time(NULL),
			    &al.f.since))
				return cli_usage_error("--since “%s”: cần 7d, "
				    "12h, 30m hoặc NĂM-THÁNG-NGÀY[THH:MM] (giờ "
				    "Việt Nam) — needs 7d, 12h, 30m or "
				    "YYYY-MM-DD[THH:MM] (Vietnam time)",
				    optarg);
			break;
		case 'a':
			al.f.actor = optarg;
			break;
		case 'A':
			al.f.action = optarg;
			break;
		case 'n':
			if (!text_to_long(optarg, &v) || v < 1 ||
			    v > 1000000)
				return cli_usage_error("--limit “%s”: từ 1 đến "
				    "1000000 — from 1 to 1000000", optarg);
			al.f.limit = (int)v;
			break;
		}
	}
	if (rc != EXIT_OK)
		return rc;
	return listing_run(c, &l);
}

int
cmd_auditlog(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("audit-log: cần verify hoặc list — "
		    "audit-log needs verify or list");
	if (strcmp(argv[1], "verify") == 0)
		return audit_verify(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return audit_list(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_usage(stdout);
		return EXIT_OK;
	}
	return cli_usage_error("audit-log: lệnh con không hợp lệ “%s”: chọn "
	    "verify hoặc list — unknown subcommand “%s”: use verify or list",
	    argv[1], argv[1]);
}
