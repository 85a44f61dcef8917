/*
 * store_sqlite_read.c — the reading side of the SQLite store: hosts,
 * findings (with the checks' catalogue), latest facts and their history,
 * scores and the counters of /metrics. Filters are bound as values, never
 * written into SQL, so quotes and wildcards in a host name match only
 * themselves. Also works on a read-only handle while canhgacd writes.
 * Fact values kept compressed (store_int.h) are unpacked here, their size
 * bounded, so that a caller only ever sees JSON text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>
#include <zlib.h>

#include "lib/text.h"
#include "server/store.h"
#include "server/store_int.h"

/* Fact values. */

const char *
sql_value_text(struct store *st, sqlite3_stmt *s, int col, char **tmp,
    size_t *len, const char *what, char *err, size_t errlen)
{
	const unsigned char *p;
	size_t n;
	uLongf got;
	int bytes;
	char *t;

	*tmp = NULL;
	if (sqlite3_column_type(s, col) != SQLITE_BLOB) {
		p = sqlite3_column_text(s, col);
		*len = (size_t)sqlite3_column_bytes(s, col);
		return p != NULL ? (const char *)p : "null";
	}
	p = sqlite3_column_blob(s, col);
	bytes = sqlite3_column_bytes(s, col);
	if (p == NULL || bytes < 5)
		goto corrupt;
	n = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 |
	    (size_t)p[3];
	if (n == 0 || n > STORE_VALUE_MAX)
		goto corrupt;
	if ((t = malloc(n + 1)) == NULL) {
		sql_seterr(err, errlen, "hết bộ nhớ — out of memory");
		return NULL;
	}
	got = (uLongf)n;
	/* uncompress stops at n bytes: Z_BUF_ERROR when there is more */
	if (uncompress((Bytef *)t, &got, p + 4, (uLong)(bytes - 4)) != Z_OK ||
	    got != n || memchr(t, '\0', n) != NULL) {
		free(t);
		goto corrupt;
	}
	t[n] = '\0';
	*tmp = t;
	*len = n;
	return t;
corrupt:
	sql_seterr(err, errlen,
	    "%s: %s: giá trị nén bị hỏng — %s: %s: corrupt compressed value",
	    st->path, what, st->path, what);
	return NULL;
}

/* Reading. */

void
sql_finding_row(sqlite3_stmt *s, struct store_finding *row)
{
	memset(row, 0, sizeof(*row));
	row->host_id = sql_col_text(s, 0);
	row->hostname = sql_col_text(s, 1);
	row->unit = sql_col_text(s, 2);
	row->check = sql_col_text(s, 3);
	row->status = sql_col_text(s, 4);
	row->severity = sql_col_text(s, 5);
	row->point = sqlite3_column_int(s, 6);
	row->evidence = sql_col_text(s, 7);
	row->title_vi = sql_col_text(s, 8);
	row->title_en = sql_col_text(s, 9);
	row->remedy_vi = sql_col_text(s, 10);
	row->remedy_en = sql_col_text(s, 11);
	row->first_seen = sqlite3_column_int64(s, 12);
	row->last_seen = sqlite3_column_int64(s, 13);
	row->resolved = sqlite3_column_int64(s, 14);
}

int
store_hosts(struct store *st, const struct store_host_filter *f,
    int (*cb)(const struct store_host *, void *), void *arg, char *err,
    size_t errlen)
{
	struct sql_reader *rd = NULL;
	struct store_host h;
	sqlite3_stmt *s;
	char *unit = sql_nfc(f ? f->unit : NULL);
	int rc, ret;

	if ((ret = sql_read_begin(st, &rd, "store_hosts", err, errlen)) !=
	    STORE_OK)
		goto out;
	if ((ret = sql_rprepare(rd, "SELECT h.id, h.hostname, u.name,"
	    " h.os_name, h.kernel, h.agent_id, a.version, h.level, h.score,"
	    " h.pass, h.fail, h.na, h.error, h.open_critical, h.open_high,"
	    " h.first_seen, h.last_seen, coalesce(a.revoked_at, 1)"
	    " FROM hosts h JOIN units u ON u.id = h.unit_id"
	    " LEFT JOIN agents a ON a.id = h.agent_id"
	    " WHERE (?1 IS NULL OR u.name = ?1)"
	    " AND (?2 IS NULL OR h.id = ?2 OR h.hostname = ?2)"
	    " ORDER BY u.name, h.hostname, h.id", &s, "store_hosts", err,
	    errlen)) != STORE_OK)
		goto out;
	sql_bind_text(s, 1, unit);
	sql_bind_text(s, 2, f ? f->host : NULL);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&h, 0, sizeof(h));
		h.id = sql_col_text(s, 0);
		h.hostname = sql_col_text(s, 1);
		h.unit = sql_col_text(s, 2);
		h.os_name = sql_col_text(s, 3);
		h.kernel = sql_col_text(s, 4);
		h.agent_id = sql_col_text(s, 5);
		h.agent_version = sql_col_text(s, 6);
		h.level = sqlite3_column_int(s, 7);
		h.score = sqlite3_column_int(s, 8);
		h.pass = sqlite3_column_int(s, 9);
		h.fail = sqlite3_column_int(s, 10);
		h.na = sqlite3_column_int(s, 11);
		h.error = sqlite3_column_int(s, 12);
		h.open_critical = sqlite3_column_int(s, 13);
		h.open_high = sqlite3_column_int(s, 14);
		h.first_seen = sqlite3_column_int64(s, 15);
		h.last_seen = sqlite3_column_int64(s, 16);
		h.revoked = sqlite3_column_int64(s, 17) != 0;
		if ((ret = cb(&h, arg)) != 0)
			break;
	}
	ret = sql_rfinish(rd, s, rc, ret, "store_hosts", err, errlen);
out:
	sql_read_end(rd);
	free(unit);
	return ret;
}

int
store_findings(struct store *st, const struct store_finding_filter *f,
    int (*cb)(const struct store_finding *, void *), void *arg, char *err,
    size_t errlen)
{
	struct sql_reader *rd = NULL;
	static const struct store_finding_filter none;
	struct store_finding row;
	sqlite3_stmt *s;
	char sql[1536], *unit;
	int rc, ret;

	if (f == NULL)
		f = &none;
	unit = sql_nfc(f->unit);
	/* only the conditions asked for, so that SQLite picks the index;
	 * values are bound, never written into the text */
	snprintf(sql, sizeof(sql), STORE_FINDING_COLUMNS
	    " FROM findings f JOIN hosts h ON h.hid = f.hid"
	    " JOIN units u ON u.id = h.unit_id"
	    " JOIN checks c ON c.id = f.check_id WHERE 1%s%s%s%s%s"
	    " ORDER BY u.name, h.hostname, h.id, CASE f.severity"
	    " WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2"
	    " WHEN 'low' THEN 1 ELSE 0 END DESC, f.check_id LIMIT ?6",
	    unit ? " AND u.name = ?1" : "",
	    f->host ? " AND f.hid IN (SELECT hid FROM hosts"
	    " WHERE id = ?2 OR hostname = ?2)" : "",
	    f->check ? " AND f.check_id = ?3" : "",
	    f->status ? " AND f.status = ?4" : "",
	    !f->status && !f->include_resolved ? " AND f.resolved = 0" : "");
	if ((ret = sql_read_begin(st, &rd, "store_findings", err, errlen)) !=
	    STORE_OK)
		goto out;
	if ((ret = sql_rprepare(rd, sql, &s, "store_findings", err, errlen)) !=
	    STORE_OK)
		goto out;
	if (unit)
		sql_bind_text(s, 1, unit);
	if (f->host)
		sql_bind_text(s, 2, f->host);
	if (f->check)
		sql_bind_text(s, 3, f->check);
	if (f->status)
		sql_bind_text(s, 4, f->status);
	sqlite3_bind_int(s, 6, f->limit > 0 ? f->limit : -1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		sql_finding_row(s, &row);
		if ((ret = cb(&row, arg)) != 0)
			break;
	}
	ret = sql_rfinish(rd, s, rc, ret, "store_findings", err, errlen);
out:
	sql_read_end(rd);
	free(unit);
	return ret;
}

/* The host's row key; ENOTFOUND with err when unknown. */
static int
host_key(struct sql_reader *rd, const char *host_id, int64_t *hid,
    const char *what, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc, ret;

	if ((ret = sql_rprepare(rd, "SELECT hid FROM hosts WHERE id = ?1", &s,
	    what, err, errlen)) != STORE_OK)
		return ret;
	sql_bind_text(s, 1, host_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*hid = sqlite3_column_int64(s, 0);
	if ((ret = sql_rfinish(rd, s, rc, STORE_OK, what, err, errlen)) !=
	    STORE_OK || rc == SQLITE_ROW)
		return ret;
	sql_seterr(err, errlen, "không có máy %s — no host %s",
	    host_id ? host_id : "", host_id ? host_id : "");
	return STORE_ENOTFOUND;
}

/* A growing string. */
struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	char *t;
	size_t cap;

	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((t = realloc(b->p, cap)) == NULL) {
			b->oom = true;
			return;
		}
		b->p = t;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

int
store_host_facts(struct store *st, const char *host_id, char **json,
    char *err, size_t errlen)
{
	struct sql_reader *rd = NULL;
	struct buf b = { 0 };
	sqlite3_stmt *s = NULL;
	int64_t hid;
	json_t *key;
	const char *v;
	char *k, *tmp, what[128];
	size_t vlen;
	int rc, ret, n = 0;

	*json = NULL;
	if ((ret = sql_read_begin(st, &rd, "store_host_facts", err, errlen)) !=
	    STORE_OK)
		goto out;
	if ((ret = host_key(rd, host_id, &hid, "store_host_facts", err,
	    errlen)) != STORE_OK)
		goto out;
	if ((ret = sql_rprepare(rd, "SELECT section, value FROM host_facts"
	    " WHERE hid = ?1 ORDER BY section", &s, "store_host_facts", err,
	    errlen)) != STORE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, hid);
	buf_add(&b, "{", 1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		/* the section name is escaped as JSON; values are stored
		 * as JSON text already */
		key = json_string(sql_col_text(s, 0));
		k = key ? json_dumps(key, JSON_ENCODE_ANY) : NULL;
		json_decref(key);
		if (k == NULL) {
			b.oom = true;
			break;
		}
		snprintf(what, sizeof(what), "host_facts %s.%s", host_id,
		    sql_col_text(s, 0));
		if ((v = sql_value_text(st, s, 1, &tmp, &vlen, what, err,
		    errlen)) == NULL) {
			free(k);
			ret = STORE_ERR;
			break;
		}
		if (n++ > 0)
			buf_add(&b, ",", 1);
		buf_add(&b, k, strlen(k));
		buf_add(&b, ":", 1);
		buf_add(&b, v, vlen);
		free(tmp);
		free(k);
	}
	buf_add(&b, "}", 1);
	if (ret == STORE_OK && b.oom) {
		sql_seterr(err, errlen, "hết bộ nhớ — out of memory");
		ret = STORE_ERR;
	} else if (ret == STORE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = sql_rdberr(rd, rc, "store_host_facts", err, errlen);
	if (ret == STORE_OK) {
		*json = b.p;
		b.p = NULL;
	}
out:
	sql_done(s);
	sql_read_end(rd);
	free(b.p);
	return ret;
}

int
store_fact_history(struct store *st, const char *host_id, int limit,
    int (*cb)(const struct store_fact_change *, void *), void *arg,
    char *err, size_t errlen)
{
	struct sql_reader *rd = NULL;
	struct store_fact_change ch;
	sqlite3_stmt *s;
	int64_t hid;
	size_t vlen;
	char *tmp, what[128];
	int rc, ret;

	if ((ret = sql_read_begin(st, &rd, "store_fact_history", err,
	    errlen)) != STORE_OK)
		goto out;
	if ((ret = host_key(rd, host_id, &hid, "store_fact_history", err,
	    errlen)) != STORE_OK ||
	    (ret = sql_rprepare(rd, "SELECT time, section, value FROM"
	    " fact_history WHERE hid = ?1 ORDER BY time DESC, id DESC"
	    " LIMIT ?2", &s, "store_fact_history", err, errlen)) != STORE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, hid);
	sqlite3_bind_int(s, 2, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ch.time = sqlite3_column_int64(s, 0);
		ch.section = sql_col_text(s, 1);
		snprintf(what, sizeof(what), "fact_history %s.%s", host_id,
		    ch.section ? ch.section : "");
		if ((ch.value = sql_value_text(st, s, 2, &tmp, &vlen, what,
		    err, errlen)) == NULL) {
			ret = STORE_ERR;
			break;
		}
		ret = cb(&ch, arg);
		free(tmp);
		if (ret != 0)
			break;
	}
	ret = sql_rfinish(rd, s, rc, ret, "store_fact_history", err, errlen);
out:
	sql_read_end(rd);
	return ret;
}

int
store_scores_snapshot(struct store *st, int64_t now, char *err,
    size_t errlen)
{
	/* hosts cut off (their agent revoked) no longer count */
	static const char sql[] =
	    "DELETE FROM scores WHERE scope IN ('unit', 'ward') AND"
	    " time = ?1;"
	    "INSERT INTO scores(scope, name, time, score, hosts)"
	    " SELECT 'unit', u.name, ?1, avg(h.score), count(*)"
	    " FROM hosts h JOIN units u ON u.id = h.unit_id"
	    " WHERE h.score >= 0 AND NOT EXISTS (SELECT 1 FROM agents a"
	    "  WHERE a.id = h.agent_id AND a.revoked_at != 0)"
	    " GROUP BY u.name;"
	    "INSERT INTO scores(scope, name, time, score, hosts)"
	    " SELECT 'ward', '', ?1, avg(h.score), count(*) FROM hosts h"
	    " WHERE h.score >= 0 AND NOT EXISTS (SELECT 1 FROM agents a"
	    "  WHERE a.id = h.agent_id AND a.revoked_at != 0)"
	    " HAVING count(*) > 0;";
	const char *tail = sql;
	sqlite3_stmt *s;
	int64_t day = now - ((now % 86400) + 86400) % 86400;
	int rc, ret;

	pthread_mutex_lock(&st->lock);
	if ((ret = sql_writable(st, "ghi điểm — write scores", err,
	    errlen)) != STORE_OK ||
	    (ret = sql_tx_begin(st, "store_scores_snapshot", err, errlen)) !=
	    STORE_OK)
		goto out;
	while (*tail != '\0') {
		rc = sqlite3_prepare_v2(st->db, tail, -1, &s, &tail);
		if (rc != SQLITE_OK) {
			ret = sql_dberr(st, rc, "store_scores_snapshot", err,
			    errlen);
			break;
		}
		if (s == NULL)
			break;
		sqlite3_bind_int64(s, 1, day);
		rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE) {
			ret = sql_dberr(st, rc, "store_scores_snapshot", err,
			    errlen);
			break;
		}
	}
	if (ret != STORE_OK)
		sql_tx_rollback(st);
	else
		ret = sql_tx_commit(st, "store_scores_snapshot", err, errlen);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
store_scores(struct store *st, const char *scope, const char *name,
    int64_t since, int (*cb)(const struct store_score *, void *), void *arg,
    char *err, size_t errlen)
{
	struct sql_reader *rd = NULL;
	struct store_score sc;
	sqlite3_stmt *s;
	char *n = NULL;
	int rc, ret;

	if (scope == NULL || (strcmp(scope, "host") && strcmp(scope, "unit") &&
	    strcmp(scope, "ward"))) {
		sql_seterr(err, errlen,
		    "phạm vi điểm không hợp lệ \"%s\" (host, "
		    "unit, ward) — invalid score scope \"%s\"",
		    scope ? scope : "", scope ? scope : "");
		return STORE_ERR;
	}
	if (name != NULL)
		n = strcmp(scope, "unit") == 0 ? sql_nfc(name) : text_dup(name);
	if ((ret = sql_read_begin(st, &rd, "store_scores", err, errlen)) !=
	    STORE_OK)
		goto out;
	if ((ret = sql_rprepare(rd, n != NULL ?
	    "SELECT scope, name, time, score, hosts FROM scores WHERE"
	    " scope = ?1 AND name = ?2 AND time >= ?3 ORDER BY time, id" :
	    "SELECT scope, name, time, score, hosts FROM scores WHERE"
	    " scope = ?1 AND time >= ?3 ORDER BY name, time, id", &s,
	    "store_scores", err, errlen)) != STORE_OK)
		goto out;
	sql_bind_text(s, 1, scope);
	if (n != NULL)
		sql_bind_text(s, 2, n);
	sqlite3_bind_int64(s, 3, since);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		sc.scope = sql_col_text(s, 0);
		sc.name = sql_col_text(s, 1);
		sc.time = sqlite3_column_int64(s, 2);
		sc.score = sqlite3_column_double(s, 3);
		sc.hosts = sqlite3_column_int(s, 4);
		if ((ret = cb(&sc, arg)) != 0)
			break;
	}
	ret = sql_rfinish(rd, s, rc, ret, "store_scores", err, errlen);
out:
	sql_read_end(rd);
	free(n);
	return ret;
}

int
store_stats(struct store *st, struct store_stats *out, char *err,
    size_t errlen)
{
	struct sql_reader *rd = NULL;
	sqlite3_stmt *s;
	int rc, ret;

	memset(out, 0, sizeof(*out));
	if ((ret = sql_read_begin(st, &rd, "store_stats", err, errlen)) !=
	    STORE_OK)
		goto out;
	/* open findings are counted per host by store_batch, the growing
	 * tables by triggers: nothing here scans millions of rows */
	if ((ret = sql_rprepare(rd, "SELECT"
	    " (SELECT count(*) FROM units),"
	    " (SELECT count(*) FROM hosts),"
	    " (SELECT count(*) FROM agents),"
	    " (SELECT count(*) FROM agents WHERE revoked_at != 0),"
	    " (SELECT coalesce(sum(open_findings), 0) FROM hosts),"
	    " (SELECT coalesce(sum(open_critical), 0) FROM hosts),"
	    " (SELECT coalesce(sum(open_high), 0) FROM hosts),"
	    " (SELECT n FROM counters WHERE name = 'batches'),"
	    " (SELECT n FROM counters WHERE name = 'reports'),"
	    " (SELECT n FROM counters WHERE name = 'events'),"
	    " (SELECT page_count * page_size FROM pragma_page_count(),"
	    "  pragma_page_size())", &s, "store_stats", err, errlen)) !=
	    STORE_OK)
		goto out;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->units = sqlite3_column_int64(s, 0);
		out->hosts = sqlite3_column_int64(s, 1);
		out->agents = sqlite3_column_int64(s, 2);
		out->agents_revoked = sqlite3_column_int64(s, 3);
		out->findings_open = sqlite3_column_int64(s, 4);
		out->findings_open_critical = sqlite3_column_int64(s, 5);
		out->findings_open_high = sqlite3_column_int64(s, 6);
		out->batches = sqlite3_column_int64(s, 7);
		out->reports = sqlite3_column_int64(s, 8);
		out->events = sqlite3_column_int64(s, 9);
		out->db_bytes = sqlite3_column_int64(s, 10);
	} else
		ret = sql_rdberr(rd, rc, "store_stats", err, errlen);
	sql_done(s);
out:
	sql_read_end(rd);
	return ret;
}
