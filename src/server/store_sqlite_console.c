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
	struct sql_reader *rd = NULL;
	struct store_unit_row u;
	sqlite3_stmt *s;
	int rc, ret;

	if ((ret = sql_read_begin(st, &rd, "store_console_units", err,
	    errlen)) != STORE_OK)
		goto out;
	/* as store_scores_snapshot: a host whose agent was revoked no
	 * longer counts in the score, nor as silent; a.id is not NULL for
	 * those only, looked up in the small index of revoked agents */
	if ((ret = sql_rprepare(rd, "SELECT u.id, u.name, count(h.hid),"
	    " coalesce(sum(h.score >= 0 AND a.id IS NULL), 0),"
	    " avg(CASE WHEN h.score >= 0 AND a.id IS NULL THEN h.score END),"
	    " coalesce(sum(h.open_critical), 0),"
	    " coalesce(sum(h.open_high), 0),"
	    " coalesce(sum(h.last_seen < ?2 AND a.id IS NULL), 0)"
	    " FROM units u LEFT JOIN hosts h ON h.unit_id = u.id"
	    " LEFT JOIN agents a INDEXED BY agents_revoked"
	    "  ON a.id = h.agent_id AND a.revoked_at != 0"
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
	ret = sql_rfinish(rd, s, rc, ret, "store_console_units", err, errlen);
out:
	sql_read_end(rd);
	return ret;
}

int
store_console_unit_names(struct store *st, int64_t unit_id,
    int (*cb)(const struct store_unit_row *, void *), void *arg, char *err,
    size_t errlen)
{
	static const char what[] = "store_console_unit_names";
	struct sql_reader *rd = NULL;
	struct store_unit_row u;
	sqlite3_stmt *s;
	int rc, ret;

	if ((ret = sql_read_begin(st, &rd, what, err, errlen)) != STORE_OK ||
	    (ret = sql_rprepare(rd, "SELECT id, name FROM units"
	    " WHERE (?1 = 0 OR id = ?1) ORDER BY name, id", &s, what, err,
	    errlen)) != STORE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, unit_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&u, 0, sizeof(u));
		u.id = sqlite3_column_int64(s, 0);
		u.name = sql_col_text(s, 1);
		if ((ret = cb(&u, arg)) != 0)
			break;
	}
	ret = sql_rfinish(rd, s, rc, ret, what, err, errlen);
out:
	sql_read_end(rd);
	return ret;
}

int
store_console_points(struct store *st, int64_t unit_id,
    struct store_point_row p[9], char *err, size_t errlen)
{
	/* host_points holds the points of each host's latest report, read
	 * from its summary at ingestion (store_schema.c, migration 6); the
	 * rows are summed here, without a sort by point */
#define POINTS_SQL(where) "SELECT p.point, p.pass, p.fail, p.na, p.error," \
	" p.score FROM hosts h JOIN host_points p ON p.hid = h.hid WHERE " \
	where " NOT EXISTS (SELECT 1 FROM agents a INDEXED BY agents_revoked" \
	"  WHERE a.id = h.agent_id AND a.revoked_at != 0)"
	struct sql_reader *rd = NULL;
	sqlite3_stmt *s;
	double sum[9] = { 0 };
	int scored[9] = { 0 };
	int rc, ret, i, k;

	memset(p, 0, 9 * sizeof(*p));
	/* one unit through its index; "?1 = 0 OR" would scan every host */
	if ((ret = sql_read_begin(st, &rd, "store_console_points", err,
	    errlen)) != STORE_OK ||
	    (ret = sql_rprepare(rd, unit_id != 0 ?
	    POINTS_SQL("h.unit_id = ?1 AND") : POINTS_SQL(""), &s,
	    "store_console_points", err, errlen)) != STORE_OK)
		goto out;
#undef POINTS_SQL
	if (unit_id != 0)
		sqlite3_bind_int64(s, 1, unit_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		k = sqlite3_column_int(s, 0);
		if (k < 1 || k > 8)
			continue;
		p[k].hosts++;
		if (sqlite3_column_int(s, 2) > 0)
			p[k].hosts_failing++;
		p[k].pass += sqlite3_column_int(s, 1);
		p[k].fail += sqlite3_column_int(s, 2);
		p[k].na += sqlite3_column_int(s, 3);
		p[k].error += sqlite3_column_int(s, 4);
		if (sqlite3_column_type(s, 5) != SQLITE_NULL) {
			sum[k] += sqlite3_column_double(s, 5);
			scored[k]++;
		}
	}
	ret = sql_rfinish(rd, s, rc, ret, "store_console_points", err,
	    errlen);
out:
	sql_read_end(rd);
	/* the mean of the hosts' point scores, as avg() would give it */
	for (i = 0; i < 9; i++)
		p[i].score = scored[i] > 0 ? sum[i] / scored[i] : -1;
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

/* The WHERE of q with only the conditions it sets, so that SQLite can
 * use the index of the one that selects (one host, one unit); the values
 * are bound by host_bind as ?1-?7, never written here. */
static void
host_where(char *buf, size_t size, const struct store_host_query *q,
    const char *like, const char *os)
{
	/* scores are -1 (no report) or 0-100 (ingest.c): the whole range
	 * needs no condition, nor the read of every host's row for it */
	snprintf(buf, size, " WHERE 1%s%s%s%s%s%s",
	    q->score_min > -1 || q->score_max < 100 ?
	    " AND h.score BETWEEN ?5 AND ?6" : "",
	    q->unit_id != 0 ? " AND h.unit_id = ?1" : "",
	    q->host_id != NULL ? " AND h.id = ?2" : "",
	    like != NULL ? " AND h.hostname LIKE ?3 ESCAPE '\\'" : "",
	    os != NULL ? " AND h.os_name = ?4" : "",
	    q->silent_before > 0 ? " AND h.last_seen < ?7 AND NOT EXISTS"
	    " (SELECT 1 FROM agents a2 INDEXED BY agents_revoked"
	    " WHERE a2.id = h.agent_id AND a2.revoked_at != 0)" : "");
}

/* Binds what host_where wrote (a parameter it left out is not bound). */
static void
host_bind(sqlite3_stmt *s, const struct store_host_query *q,
    const char *like, const char *os)
{
	if (q->unit_id != 0)
		sqlite3_bind_int64(s, 1, q->unit_id);
	if (q->host_id != NULL)
		sql_bind_text(s, 2, q->host_id);
	if (like != NULL)
		sql_bind_text(s, 3, like);
	if (os != NULL)
		sql_bind_text(s, 4, os);
	if (q->score_min > -1 || q->score_max < 100) {
		sqlite3_bind_int(s, 5, q->score_min);
		sqlite3_bind_int(s, 6, q->score_max);
	}
	if (q->silent_before > 0)
		sqlite3_bind_int64(s, 7, q->silent_before);
}

int
store_console_hosts(struct store *st, const struct store_host_query *q,
    int (*cb)(const struct store_host_row *, void *), void *arg,
    int64_t *total, char *err, size_t errlen)
{
	struct sql_reader *rd = NULL;
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
	char sql[1536], where[512], *like = NULL, *name = NULL, *os = NULL;
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
	if ((ret = sql_read_begin(st, &rd, "store_console_hosts", err,
	    errlen)) != STORE_OK)
		goto out;
	host_where(where, sizeof(where), q, like, os);
	if (total != NULL) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM hosts h%s",
		    where);
		if ((ret = sql_rprepare(rd, sql, &s, "store_console_hosts",
		    err, errlen)) != STORE_OK)
			goto out;
		host_bind(s, q, like, os);
		if ((rc = sqlite3_step(s)) == SQLITE_ROW)
			*total = sqlite3_column_int64(s, 0);
		if ((ret = sql_rfinish(rd, s, rc, STORE_OK,
		    "store_console_hosts", err, errlen)) != STORE_OK)
			goto out;
	}
	/* the page's hosts picked by their own columns, then joined to
	 * their unit and agent: a unit's 200 of 1,100, not all of them */
	snprintf(sql, sizeof(sql), "SELECT h.id, h.hostname, u.name,"
	    " h.os_name, h.kernel, h.agent_id, a.version, h.level, h.score,"
	    " h.pass, h.fail, h.na, h.error, h.open_critical, h.open_high,"
	    " h.first_seen, h.last_seen, coalesce(a.revoked_at, 1),"
	    " h.unit_id, h.report_at, h.os_version, h.arch, h.platform"
	    " FROM (SELECT h.hid FROM hosts h%s%s LIMIT ?8 OFFSET ?9) k"
	    " CROSS JOIN hosts h ON h.hid = k.hid"
	    " JOIN units u ON u.id = h.unit_id"
	    " LEFT JOIN agents a ON a.id = h.agent_id%s", where,
	    order[q->desc ? 1 : 0][sort], order[q->desc ? 1 : 0][sort]);
	if ((ret = sql_rprepare(rd, sql, &s, "store_console_hosts", err,
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
	ret = sql_rfinish(rd, s, rc, ret, "store_console_hosts", err, errlen);
out:
	sql_read_end(rd);
	free(like);
	free(name);
	free(os);
	return ret;
}

int
store_console_oses(struct store *st, int64_t unit_id,
    int (*cb)(const char *, void *), void *arg, char *err, size_t errlen)
{
	struct sql_reader *rd = NULL;
	sqlite3_stmt *s;
	int rc, ret;

	if ((ret = sql_read_begin(st, &rd, "store_console_oses", err,
	    errlen)) != STORE_OK)
		goto out;
	if ((ret = sql_rprepare(rd, "SELECT DISTINCT os_name FROM hosts"
	    " WHERE (?1 = 0 OR unit_id = ?1) AND os_name IS NOT NULL"
	    " AND os_name != '' ORDER BY 1 LIMIT 100", &s,
	    "store_console_oses", err, errlen)) != STORE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, unit_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((ret = cb(sql_col_text(s, 0), arg)) != 0)
			break;
	ret = sql_rfinish(rd, s, rc, ret, "store_console_oses", err, errlen);
out:
	sql_read_end(rd);
	return ret;
}

/* Walks the rows of s (its parameters bound: STORE_FINDING_COLUMNS, then
 * the unit's id) into cb; *n counts them. */
static int
finding_rows(struct sql_reader *rd, sqlite3_stmt *s,
    int (*cb)(const struct store_finding *, int64_t, void *), void *arg,
    int *n, char *err, size_t errlen)
{
	struct store_finding row;
	int rc, ret = STORE_OK;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		sql_finding_row(s, &row);
		(*n)++;
		if ((ret = cb(&row, sqlite3_column_int64(s, 15), arg)) != 0)
			break;
	}
	return sql_rfinish(rd, s, rc, ret, "store_console_findings", err,
	    errlen);
}

int
store_console_findings(struct store *st, const struct store_finding_query *q,
    int (*cb)(const struct store_finding *, int64_t, void *), void *arg,
    char *err, size_t errlen)
{
	struct sql_reader *rd = NULL;
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
	if ((ret = sql_read_begin(st, &rd, "store_console_findings", err,
	    errlen)) != STORE_OK)
		goto out;
	if (q->host_id != NULL) {
		/* one host: from its row, through the (hid, check_id) key */
		if ((ret = sql_rprepare(rd, STORE_FINDING_COLUMNS ", h.unit_id"
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
		ret = finding_rows(rd, s, cb, arg, &n, err, errlen);
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
		if ((ret = sql_rprepare(rd, STORE_FINDING_COLUMNS ", h.unit_id"
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
		ret = finding_rows(rd, s, cb, arg, &n, err, errlen);
	}
out:
	sql_read_end(rd);
	return ret;
}
