/*
 * store_sqlite_console.c — the read queries of the console's reading
 * pages (store.h, "Console: reading"): units with their scores, the
 * directive points aggregated over the latest reports, host search with
 * filters, sorting and paging, and findings with their host and unit.
 * Every value a person typed is bound, never written into the SQL; the
 * ORDER BY is picked from fixed strings. Works on a read-only handle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "lib/text.h"
#include "server/store.h"
#include "server/store_int.h"

/* The open findings' order: worst first. */
#define SEVERITY_RANK "CASE f.severity WHEN 'critical' THEN 4" \
	" WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1" \
	" ELSE 0 END"

int
store_console_units(struct store *st, int64_t unit_id, int64_t silent_before,
    int (*cb)(const struct store_unit_row *, void *), void *arg, char *err,
    size_t errlen)
{
	struct store_unit_row u;
	sqlite3_stmt *s;
	int rc, ret;

	pthread_mutex_lock(&st->lock);
	/* as store_scores_snapshot: a host whose agent was revoked no
	 * longer counts in the score, nor as silent */
	if ((ret = sql_prepare(st, "SELECT u.id, u.name, count(h.hid),"
	    " coalesce(sum(h.score >= 0 AND a.revoked_at IS NOT 1), 0),"
	    " avg(CASE WHEN h.score >= 0 AND a.revoked_at IS NOT 1"
	    "  THEN h.score END),"
	    " coalesce(sum(h.open_critical), 0),"
	    " coalesce(sum(h.open_high), 0),"
	    " coalesce(sum(h.last_seen < ?2 AND a.revoked_at IS NOT 1), 0)"
	    " FROM units u LEFT JOIN hosts h ON h.unit_id = u.id"
	    " LEFT JOIN (SELECT id, revoked_at != 0 AS revoked_at FROM agents)"
	    "  a ON a.id = h.agent_id"
	    " WHERE (?1 = 0 OR u.id = ?1)"
	    " GROUP BY u.id ORDER BY u.name, u.id", &s, "store_console_units",
	    err, errlen)) != STORE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, unit_id);
	sqlite3_bind_int64(s, 2, silent_before);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&u, 0, sizeof(u));
		u.id = sqlite3_column_int64(s, 0);
		u.name = sql_col_text(s, 1);
		u.hosts = sqlite3_column_int(s, 2);
		u.scored = sqlite3_column_int(s, 3);
		u.score = sqlite3_column_type(s, 4) == SQLITE_NULL ? -1 :
		    sqlite3_column_double(s, 4);
		u.open_critical = sqlite3_column_int(s, 5);
		u.open_high = sqlite3_column_int(s, 6);
		u.silent = sqlite3_column_int(s, 7);
		if ((ret = cb(&u, arg)) != 0)
			break;
	}
	ret = sql_finish(st, s, rc, ret, "store_console_units", err, errlen);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
store_console_points(struct store *st, int64_t unit_id,
    struct store_point_row p[9], char *err, size_t errlen)
{
	/* The summary was written by the agent: a member that is not a
	 * count is taken as 0, counts are clamped, a score outside 0-100
	 * or not a number is left out of the mean. */
#define COUNT(m) "max(0, min(100000, CASE json_type(e.value, '$." m "')" \
	" WHEN 'integer' THEN json_extract(e.value, '$." m "') ELSE 0 END))"
	static const char sql[] =
	    "SELECT CAST(e.key AS INTEGER) AS point, count(*),"
	    " sum(" COUNT("fail") " > 0),"
	    " sum(" COUNT("pass") "), sum(" COUNT("fail") "),"
	    " sum(" COUNT("na") "), sum(" COUNT("error") "),"
	    " avg(CASE WHEN json_type(e.value, '$.score') IN"
	    "  ('integer', 'real') AND json_extract(e.value, '$.score')"
	    "  BETWEEN 0 AND 100 THEN json_extract(e.value, '$.score') END)"
	    " FROM hosts h JOIN reports r ON r.id = (SELECT r2.id FROM"
	    "  reports r2 WHERE r2.hid = h.hid ORDER BY r2.collected_at DESC,"
	    "  r2.id DESC LIMIT 1),"
	    " json_each(CASE WHEN json_valid(r.summary) AND"
	    "  json_type(r.summary, '$.points') = 'object' THEN r.summary"
	    "  ELSE '{\"points\":{}}' END, '$.points') e"
	    " WHERE (?1 = 0 OR h.unit_id = ?1)"
	    " AND e.key IN ('1', '2', '3', '4', '5', '6', '7', '8')"
	    " AND e.type = 'object'"
	    " AND NOT EXISTS (SELECT 1 FROM agents a WHERE a.id = h.agent_id"
	    "  AND a.revoked_at != 0)"
	    " GROUP BY point ORDER BY point";
#undef COUNT
	sqlite3_stmt *s;
	int rc, ret, i, k;

	memset(p, 0, 9 * sizeof(*p));
	for (i = 0; i < 9; i++)
		p[i].score = -1;
	pthread_mutex_lock(&st->lock);
	if ((ret = sql_prepare(st, sql, &s, "store_console_points", err,
	    errlen)) != STORE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, unit_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		k = sqlite3_column_int(s, 0);
		if (k < 1 || k > 8)
			continue;
		p[k].hosts = sqlite3_column_int(s, 1);
		p[k].hosts_failing = sqlite3_column_int(s, 2);
		p[k].pass = sqlite3_column_int(s, 3);
		p[k].fail = sqlite3_column_int(s, 4);
		p[k].na = sqlite3_column_int(s, 5);
		p[k].error = sqlite3_column_int(s, 6);
		p[k].score = sqlite3_column_type(s, 7) == SQLITE_NULL ? -1 :
		    sqlite3_column_double(s, 7);
	}
	ret = sql_finish(st, s, rc, ret, "store_console_points", err, errlen);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

/* A LIKE pattern matching s anywhere, with \ % _ escaped (ESCAPE '\'). */
static char *
like_pattern(const char *s)
{
	size_t n = strlen(s), i;
	char *out = malloc(2 * n + 3), *o = out;

	if (out == NULL)
		return NULL;
	*o++ = '%';
	for (i = 0; i < n; i++) {
		if (s[i] == '\\' || s[i] == '%' || s[i] == '_')
			*o++ = '\\';
		*o++ = s[i];
	}
	*o++ = '%';
	*o = '\0';
	return out;
}

#define HOST_WHERE \
	" WHERE (?1 = 0 OR h.unit_id = ?1)" \
	" AND (?2 IS NULL OR h.id = ?2)" \
	" AND (?3 IS NULL OR h.hostname LIKE ?3 ESCAPE '\\')" \
	" AND (?4 IS NULL OR h.os_name = ?4)" \
	" AND h.score BETWEEN ?5 AND ?6" \
	" AND (?7 = 0 OR (h.last_seen < ?7 AND NOT EXISTS (SELECT 1" \
	"  FROM agents a2 WHERE a2.id = h.agent_id AND a2.revoked_at != 0)))"

static void
host_bind(sqlite3_stmt *s, const struct store_host_query *q,
    const char *like, const char *os)
{
	sqlite3_bind_int64(s, 1, q->unit_id);
	sql_bind_text(s, 2, q->host_id);
	sql_bind_text(s, 3, like);
	sql_bind_text(s, 4, os);
	sqlite3_bind_int(s, 5, q->score_min);
	sqlite3_bind_int(s, 6, q->score_max);
	sqlite3_bind_int64(s, 7, q->silent_before > 0 ? q->silent_before : 0);
}

int
store_console_hosts(struct store *st, const struct store_host_query *q,
    int (*cb)(const struct store_host_row *, void *), void *arg,
    int64_t *total, char *err, size_t errlen)
{
	static const char *const order[2][4] = {
		{ " ORDER BY h.hostname, h.id",
		  " ORDER BY h.score, h.hostname, h.id",
		  " ORDER BY h.last_seen, h.hostname, h.id",
		  " ORDER BY h.open_critical, h.open_high, h.hostname, h.id" },
		{ " ORDER BY h.hostname DESC, h.id DESC",
		  " ORDER BY h.score DESC, h.hostname, h.id",
		  " ORDER BY h.last_seen DESC, h.hostname, h.id",
		  " ORDER BY h.open_critical DESC, h.open_high DESC,"
		  " h.hostname, h.id" },
	};
	struct store_host_row r;
	sqlite3_stmt *s = NULL;
	char sql[1536], *like = NULL, *name = NULL, *os = NULL;
	int rc, ret, sort = q->sort, limit = q->limit, offset = q->offset;

	if (sort < STORE_SORT_NAME || sort > STORE_SORT_CRITICAL)
		sort = STORE_SORT_NAME;
	if (limit < 1 || limit > STORE_PAGE_MAX)
		limit = STORE_PAGE_MAX;
	if (offset < 0)
		offset = 0;
	if (q->name != NULL && q->name[0] != '\0' &&
	    ((name = sql_nfc(q->name)) == NULL ||
	    (like = like_pattern(name)) == NULL)) {
		free(name);
		sql_seterr(err, errlen, "hết bộ nhớ — out of memory");
		return STORE_ERR;
	}
	if (q->os != NULL && q->os[0] != '\0')
		os = text_dup(q->os);
	if (total != NULL)
		*total = 0;
	pthread_mutex_lock(&st->lock);
	if (total != NULL) {
		if ((ret = sql_prepare(st, "SELECT count(*) FROM hosts h"
		    HOST_WHERE, &s, "store_console_hosts", err, errlen)) !=
		    STORE_OK)
			goto out;
		host_bind(s, q, like, os);
		if ((rc = sqlite3_step(s)) == SQLITE_ROW)
			*total = sqlite3_column_int64(s, 0);
		if ((ret = sql_finish(st, s, rc, STORE_OK,
		    "store_console_hosts", err, errlen)) != STORE_OK)
			goto out;
	}
	snprintf(sql, sizeof(sql), "SELECT h.id, h.hostname, u.name,"
	    " h.os_name, h.kernel, h.agent_id, a.version, h.level, h.score,"
	    " h.pass, h.fail, h.na, h.error, h.open_critical, h.open_high,"
	    " h.first_seen, h.last_seen, coalesce(a.revoked_at, 1),"
	    " h.unit_id, h.report_at, h.os_version, h.arch, h.platform"
	    " FROM hosts h JOIN units u ON u.id = h.unit_id"
	    " LEFT JOIN agents a ON a.id = h.agent_id"
	    HOST_WHERE "%s LIMIT ?8 OFFSET ?9", order[q->desc ? 1 : 0][sort]);
	if ((ret = sql_prepare(st, sql, &s, "store_console_hosts", err,
	    errlen)) != STORE_OK)
		goto out;
	host_bind(s, q, like, os);
	sqlite3_bind_int(s, 8, limit);
	sqlite3_bind_int(s, 9, offset);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.h.id = sql_col_text(s, 0);
		r.h.hostname = sql_col_text(s, 1);
		r.h.unit = sql_col_text(s, 2);
		r.h.os_name = sql_col_text(s, 3);
		r.h.kernel = sql_col_text(s, 4);
		r.h.agent_id = sql_col_text(s, 5);
		r.h.agent_version = sql_col_text(s, 6);
		r.h.level = sqlite3_column_int(s, 7);
		r.h.score = sqlite3_column_int(s, 8);
		r.h.pass = sqlite3_column_int(s, 9);
		r.h.fail = sqlite3_column_int(s, 10);
		r.h.na = sqlite3_column_int(s, 11);
		r.h.error = sqlite3_column_int(s, 12);
		r.h.open_critical = sqlite3_column_int(s, 13);
		r.h.open_high = sqlite3_column_int(s, 14);
		r.h.first_seen = sqlite3_column_int64(s, 15);
		r.h.last_seen = sqlite3_column_int64(s, 16);
		r.h.revoked = sqlite3_column_int64(s, 17) != 0;
		r.unit_id = sqlite3_column_int64(s, 18);
		r.report_at = sqlite3_column_int64(s, 19);
		r.os_version = sql_col_text(s, 20);
		r.arch = sql_col_text(s, 21);
		r.platform = sql_col_text(s, 22);
		if ((ret = cb(&r, arg)) != 0)
			break;
	}
	ret = sql_finish(st, s, rc, ret, "store_console_hosts", err, errlen);
out:
	pthread_mutex_unlock(&st->lock);
	free(like);
	free(name);
	free(os);
	return ret;
}

int
store_console_oses(struct store *st, int64_t unit_id,
    int (*cb)(const char *, void *), void *arg, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc, ret;

	pthread_mutex_lock(&st->lock);
	if ((ret = sql_prepare(st, "SELECT DISTINCT os_name FROM hosts"
	    " WHERE (?1 = 0 OR unit_id = ?1) AND os_name IS NOT NULL"
	    " AND os_name != '' ORDER BY 1 LIMIT 100", &s,
	    "store_console_oses", err, errlen)) != STORE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, unit_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((ret = cb(sql_col_text(s, 0), arg)) != 0)
			break;
	ret = sql_finish(st, s, rc, ret, "store_console_oses", err, errlen);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

/* The columns of a finding row, then its unit's id. */
#define FINDING_COLUMNS "SELECT h.id, h.hostname, u.name," \
	" f.check_id, f.status, f.severity, c.point, f.evidence," \
	" c.title_vi, c.title_en, c.remedy_vi, c.remedy_en, f.first_seen," \
	" CASE f.last_seen WHEN 0 THEN h.report_at ELSE f.last_seen END," \
	" f.resolved, h.unit_id"

/* Walks the rows of s (its parameters bound) into cb; *n counts them. */
static int
finding_rows(struct store *st, sqlite3_stmt *s,
    int (*cb)(const struct store_finding *, int64_t, void *), void *arg,
    int *n, char *err, size_t errlen)
{
	struct store_finding row;
	int rc, ret = STORE_OK;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&row, 0, sizeof(row));
		row.host_id = sql_col_text(s, 0);
		row.hostname = sql_col_text(s, 1);
		row.unit = sql_col_text(s, 2);
		row.check = sql_col_text(s, 3);
		row.status = sql_col_text(s, 4);
		row.severity = sql_col_text(s, 5);
		row.point = sqlite3_column_int(s, 6);
		row.evidence = sql_col_text(s, 7);
		row.title_vi = sql_col_text(s, 8);
		row.title_en = sql_col_text(s, 9);
		row.remedy_vi = sql_col_text(s, 10);
		row.remedy_en = sql_col_text(s, 11);
		row.first_seen = sqlite3_column_int64(s, 12);
		row.last_seen = sqlite3_column_int64(s, 13);
		row.resolved = sqlite3_column_int64(s, 14);
		(*n)++;
		if ((ret = cb(&row, sqlite3_column_int64(s, 15), arg)) != 0)
			break;
	}
	return sql_finish(st, s, rc, ret, "store_console_findings", err,
	    errlen);
}

int
store_console_findings(struct store *st, const struct store_finding_query *q,
    int (*cb)(const struct store_finding *, int64_t, void *), void *arg,
    char *err, size_t errlen)
{
	static const char *const severities[] = {
		"critical", "high", "medium", "low", "info",
	};
	sqlite3_stmt *s;
	const char *one[1];
	const char *const *sev = severities;
	size_t nsev = sizeof(severities) / sizeof(severities[0]), i;
	int ret = STORE_OK, limit = q->limit, n = 0;

	if (limit < 1 || limit > 10000)
		limit = 10000;
	pthread_mutex_lock(&st->lock);
	if (q->host_id != NULL) {
		/* one host: from its row, through the (hid, check_id) key */
		if ((ret = sql_prepare(st, FINDING_COLUMNS
		    " FROM hosts h CROSS JOIN findings f ON f.hid = h.hid"
		    " JOIN units u ON u.id = h.unit_id"
		    " JOIN checks c ON c.id = f.check_id"
		    " WHERE h.id = ?1 AND (?2 = 0 OR h.unit_id = ?2)"
		    " AND (?3 IS NULL OR f.severity = ?3)"
		    " AND (?4 = 0 OR (f.resolved = 0 AND f.status IN"
		    "  ('fail', 'error')))"
		    " ORDER BY CASE WHEN ?5 THEN c.point ELSE 0 END,"
		    " CASE f.status WHEN 'fail' THEN 0 WHEN 'error' THEN 1"
		    "  WHEN 'pass' THEN 3 ELSE 2 END, " SEVERITY_RANK " DESC,"
		    " f.check_id LIMIT ?6", &s, "store_console_findings", err,
		    errlen)) != STORE_OK)
			goto out;
		sql_bind_text(s, 1, q->host_id);
		sqlite3_bind_int64(s, 2, q->unit_id);
		sql_bind_text(s, 3, q->severity);
		sqlite3_bind_int(s, 4, q->open_only);
		sqlite3_bind_int(s, 5, q->by_point);
		sqlite3_bind_int(s, 6, limit);
		ret = finding_rows(st, s, cb, arg, &n, err, errlen);
		goto out;
	}
	if (!q->open_only) {
		sql_seterr(err, errlen, "store_console_findings: cần một máy "
		    "hoặc chỉ phát hiện đang mở — needs a host or open findings "
		    "only");
		ret = STORE_ERR;
		goto out;
	}
	/* Open findings, worst severity first and oldest first: one walk of
	 * the index of open findings per severity, until the page is full. */
	if (q->severity != NULL) {
		one[0] = q->severity;
		sev = one;
		nsev = 1;
	}
	for (i = 0; i < nsev && n < limit && ret == STORE_OK; i++) {
		if ((ret = sql_prepare(st, FINDING_COLUMNS
		    " FROM findings f INDEXED BY findings_open_severity"
		    " CROSS JOIN hosts h ON h.hid = f.hid"
		    " JOIN units u ON u.id = h.unit_id"
		    " JOIN checks c ON c.id = f.check_id"
		    " WHERE f.severity = ?1 AND f.resolved = 0"
		    " AND f.status IN ('fail', 'error')"
		    " AND (?2 = 0 OR h.unit_id = ?2)"
		    " ORDER BY f.first_seen, f.id LIMIT ?3", &s,
		    "store_console_findings", err, errlen)) != STORE_OK)
			break;
		sql_bind_text(s, 1, sev[i]);
		sqlite3_bind_int64(s, 2, q->unit_id);
		sqlite3_bind_int(s, 3, limit - n);
		ret = finding_rows(st, s, cb, arg, &n, err, errlen);
	}
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}
