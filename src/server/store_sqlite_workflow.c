/*
 * store_sqlite_workflow.c — the findings workflow in the SQLite store
 * (store.h, "Console: findings workflow"): what people do about a finding
 * (assign, accept the risk until a date, claim it fixed, acknowledge),
 * one row per host and check in finding_workflow and one line per action
 * in finding_actions, read together with the findings the agents report;
 * and the reads of the console's findings-by-check page and exports.
 * Ingestion (store_sqlite_batch.c) never touches these tables: whether a
 * fix claim holds is decided from the times when read. Filters are bound
 * as values, never written into SQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "server/store.h"
#include "server/store_int.h"

#define SEVERITY_RANK(col) "CASE " col " WHEN 'critical' THEN 4" \
	" WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END"

enum store_wf_state
store_workflow_state(int64_t resolved, int64_t report_at,
    const struct store_workflow *wf, int64_t now)
{
	if (resolved != 0)
		return wf->fixed_at != 0 && resolved >= wf->fixed_at ?
		    WF_FIXED : WF_RESOLVED;
	if (wf->fixed_at != 0)
		return report_at > wf->fixed_at ? WF_CLAIM_CLEARED :
		    WF_FIX_CLAIMED;
	if (wf->accepted_until > now)
		return WF_ACCEPTED;
	return WF_OPEN;
}

const char *
store_workflow_state_name(enum store_wf_state s)
{
	switch (s) {
	case WF_ACCEPTED: return "accepted";
	case WF_FIX_CLAIMED: return "fix-claimed";
	case WF_CLAIM_CLEARED: return "claim-cleared";
	case WF_FIXED: return "fixed";
	case WF_RESOLVED: return "resolved";
	case WF_OPEN: break;
	}
	return "open";
}

static bool
severity_valid(const char *s)
{
	return s != NULL && (strcmp(s, "critical") == 0 ||
	    strcmp(s, "high") == 0 || strcmp(s, "medium") == 0 ||
	    strcmp(s, "low") == 0 || strcmp(s, "info") == 0);
}

/* Findings with their workflow. */

/* A finding with its workflow: the columns WF_SELECT names over the
 * tables WF_JOINS joins to findings f, and wf_finding_row, which reads
 * them in the same order. */
#define WF_SELECT "SELECT h.id, h.hostname, u.name," \
	" h.os_name, h.unit_id, f.check_id, f.status, f.severity," \
	" f.evidence, c.title_vi, c.title_en, c.point, f.first_seen," \
	" CASE f.last_seen WHEN 0 THEN h.report_at ELSE f.last_seen END," \
	" f.resolved, h.report_at," \
	" w.assignee_id, au.login, au.name, w.assigned_by, w.assigned_at," \
	" w.accept_reason, w.accepted_by, w.accepted_at, w.accepted_until," \
	" w.fixed_by, w.fixed_at, w.ack_by, w.ack_at"
#define WF_JOINS " JOIN hosts h ON h.hid = f.hid" \
	" JOIN units u ON u.id = h.unit_id" \
	" JOIN checks c ON c.id = f.check_id" \
	" LEFT JOIN finding_workflow w ON w.hid = f.hid" \
	"  AND w.check_id = f.check_id" \
	" LEFT JOIN users au ON au.id = w.assignee_id"

static void
wf_finding_row(sqlite3_stmt *s, struct store_wf_finding *row)
{
	struct store_workflow *w = &row->wf;

	memset(row, 0, sizeof(*row));
	row->host_id = sql_col_text(s, 0);
	row->hostname = sql_col_text(s, 1);
	row->unit = sql_col_text(s, 2);
	row->os_name = sql_col_text(s, 3);
	row->unit_id = sqlite3_column_int64(s, 4);
	row->check = sql_col_text(s, 5);
	row->status = sql_col_text(s, 6);
	row->severity = sql_col_text(s, 7);
	row->evidence = sql_col_text(s, 8);
	row->title_vi = sql_col_text(s, 9);
	row->title_en = sql_col_text(s, 10);
	row->point = sqlite3_column_int(s, 11);
	row->first_seen = sqlite3_column_int64(s, 12);
	row->last_seen = sqlite3_column_int64(s, 13);
	row->resolved = sqlite3_column_int64(s, 14);
	row->report_at = sqlite3_column_int64(s, 15);
	w->assignee_id = sqlite3_column_int64(s, 16);
	w->assignee_login = sql_col_text(s, 17);
	w->assignee_name = sql_col_text(s, 18);
	w->assigned_by = sql_col_text(s, 19);
	w->assigned_at = sqlite3_column_int64(s, 20);
	w->accept_reason = sql_col_text(s, 21);
	w->accepted_by = sql_col_text(s, 22);
	w->accepted_at = sqlite3_column_int64(s, 23);
	w->accepted_until = sqlite3_column_int64(s, 24);
	w->fixed_by = sql_col_text(s, 25);
	w->fixed_at = sqlite3_column_int64(s, 26);
	w->ack_by = sql_col_text(s, 27);
	w->ack_at = sqlite3_column_int64(s, 28);
	/* a claim made before the current failing episode began belongs
	 * to an earlier one */
	if (w->fixed_at != 0 && row->resolved == 0 &&
	    w->fixed_at < row->first_seen)
		w->fixed_at = 0;
}

int
store_workflow_findings(struct store *st, const struct store_wf_filter *f,
    int (*cb)(const struct store_wf_finding *, void *), void *arg,
    char *err, size_t errlen)
{
	struct sql_reader *rd = NULL;
	struct store_wf_finding row;
	sqlite3_stmt *s;
	char sql[3072], where[512];
	int rc, ret;

	if (f->severity != NULL && !severity_valid(f->severity))
		return STORE_OK;	/* matches nothing */
	snprintf(where, sizeof(where), " WHERE 1%s%s%s%s%s%s%s",
	    f->unit_id != 0 ? " AND h.unit_id = ?1" : "",
	    f->host ? " AND f.hid = (SELECT hid FROM hosts WHERE id = ?2)" :
	    "",
	    f->check ? " AND f.check_id = ?3" : "",
	    f->point != 0 ? " AND c.point = ?4" : "",
	    f->severity ? " AND f.severity = ?5" : "",
	    f->include_resolved ? "" : " AND f.resolved = 0",
	    f->fail_only ? " AND f.status = 'fail'" : "");
	if (f->any_order)
		/* by the keys of the index: the first rows, no sort */
		snprintf(sql, sizeof(sql), WF_SELECT " FROM findings f"
		    WF_JOINS "%s ORDER BY f.hid, f.check_id"
		    " LIMIT ?6 OFFSET ?7", where);
	else
		/* the page's rows picked and sorted by their keys alone,
		 * then read whole: the sort does not carry the evidence
		 * and the workflow of every matching row */
		snprintf(sql, sizeof(sql), WF_SELECT " FROM (SELECT"
		    " f.id AS fid, u.name AS k1, h.hostname AS k2, h.id AS k3,"
		    " %s AS k4, f.check_id AS k5"
		    " FROM findings f JOIN hosts h ON h.hid = f.hid"
		    " JOIN units u ON u.id = h.unit_id"
		    " JOIN checks c ON c.id = f.check_id%s"
		    " ORDER BY k1, k2, k3, k4 DESC, k5 LIMIT ?6 OFFSET ?7) k"
		    " CROSS JOIN findings f ON f.id = k.fid" WF_JOINS
		    " ORDER BY k.k1, k.k2, k.k3, k.k4 DESC, k.k5",
		    /* of one check, a host has one finding: the host's id
		     * decides, and the rows need not be read for severity */
		    f->check ? "0" : SEVERITY_RANK("f.severity"), where);
	if ((ret = sql_read_begin(st, &rd, "store_workflow_findings", err,
	    errlen)) != STORE_OK)
		goto out;
	if ((ret = sql_rprepare(rd, sql, &s, "store_workflow_findings", err,
	    errlen)) != STORE_OK)
		goto out;
	if (f->unit_id != 0)
		sqlite3_bind_int64(s, 1, f->unit_id);
	if (f->host)
		sql_bind_text(s, 2, f->host);
	if (f->check)
		sql_bind_text(s, 3, f->check);
	if (f->point != 0)
		sqlite3_bind_int(s, 4, f->point);
	if (f->severity)
		sql_bind_text(s, 5, f->severity);
	sqlite3_bind_int(s, 6, f->limit > 0 ? f->limit : -1);
	sqlite3_bind_int(s, 7, f->offset > 0 ? f->offset : 0);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		wf_finding_row(s, &row);
		if ((ret = cb(&row, arg)) != 0)
			break;
	}
	ret = sql_rfinish(rd, s, rc, ret, "store_workflow_findings", err,
	    errlen);
out:
	sql_read_end(rd);
	return ret;
}

int
store_workflow_checks(struct store *st, const struct store_wf_filter *f,
    int (*cb)(const struct store_check_count *, void *), void *arg,
    char *err, size_t errlen)
{
	struct sql_reader *rd = NULL;
	struct store_check_count row;
	sqlite3_stmt *s;
	char sql[1536];
	int rc, ret;

	if (f->severity != NULL && !severity_valid(f->severity))
		return STORE_OK;
	/* check_failing counts the open failing findings per unit and
	 * check as they change (store_schema.c, migration 6) */
	snprintf(sql, sizeof(sql), "SELECT c.id, c.severity, c.title_vi,"
	    " c.title_en, c.point, n FROM (SELECT check_id AS cid,"
	    " sum(hosts) AS n FROM check_failing%s GROUP BY check_id"
	    " HAVING n > 0) JOIN checks c ON c.id = cid WHERE 1%s%s ORDER BY "
	    SEVERITY_RANK("c.severity") " DESC, n DESC, c.id"
	    " LIMIT ?6 OFFSET ?7",
	    f->unit_id != 0 ? " WHERE unit_id = ?1" : "",
	    f->point != 0 ? " AND c.point = ?4" : "",
	    f->severity ? " AND c.severity = ?5" : "");
	if ((ret = sql_read_begin(st, &rd, "store_workflow_checks", err,
	    errlen)) != STORE_OK)
		goto out;
	if ((ret = sql_rprepare(rd, sql, &s, "store_workflow_checks", err,
	    errlen)) != STORE_OK)
		goto out;
	if (f->unit_id != 0)
		sqlite3_bind_int64(s, 1, f->unit_id);
	if (f->point != 0)
		sqlite3_bind_int(s, 4, f->point);
	if (f->severity)
		sql_bind_text(s, 5, f->severity);
	sqlite3_bind_int(s, 6, f->limit > 0 ? f->limit : -1);
	sqlite3_bind_int(s, 7, f->offset > 0 ? f->offset : 0);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		row.check = sql_col_text(s, 0);
		row.severity = sql_col_text(s, 1);
		row.title_vi = sql_col_text(s, 2);
		row.title_en = sql_col_text(s, 3);
		row.point = sqlite3_column_int(s, 4);
		row.hosts = sqlite3_column_int64(s, 5);
		if ((ret = cb(&row, arg)) != 0)
			break;
	}
	ret = sql_rfinish(rd, s, rc, ret, "store_workflow_checks", err,
	    errlen);
out:
	sql_read_end(rd);
	return ret;
}

int
store_workflow_check(struct store *st, const char *check,
    int (*cb)(const struct store_check_info *, void *), void *arg,
    char *err, size_t errlen)
{
	struct sql_reader *rd = NULL;
	struct store_check_info c;
	sqlite3_stmt *s;
	int rc, ret;

	if ((ret = sql_read_begin(st, &rd, "store_workflow_check", err,
	    errlen)) != STORE_OK)
		goto out;
	if ((ret = sql_rprepare(rd, "SELECT id, severity, title_vi, title_en,"
	    " remedy_vi, remedy_en, basis, point FROM checks WHERE id = ?1",
	    &s, "store_workflow_check", err, errlen)) != STORE_OK)
		goto out;
	sql_bind_text(s, 1, check);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		c.id = sql_col_text(s, 0);
		c.severity = sql_col_text(s, 1);
		c.title_vi = sql_col_text(s, 2);
		c.title_en = sql_col_text(s, 3);
		c.remedy_vi = sql_col_text(s, 4);
		c.remedy_en = sql_col_text(s, 5);
		c.basis = sql_col_text(s, 6);
		c.point = sqlite3_column_int(s, 7);
		ret = cb(&c, arg);
	} else if (rc == SQLITE_DONE) {
		sql_seterr(err, errlen, "không có tiêu chí này — no such check");
		ret = STORE_ENOTFOUND;
	}
	ret = sql_rfinish(rd, s, rc, ret, "store_workflow_check", err, errlen);
out:
	sql_read_end(rd);
	return ret;
}

int
store_workflow_host_unit(struct store *st, const char *host_id,
    int64_t *unit_id, char *err, size_t errlen)
{
	struct sql_reader *rd = NULL;
	sqlite3_stmt *s;
	int rc, ret;

	*unit_id = 0;
	if ((ret = sql_read_begin(st, &rd, "store_workflow_host_unit", err,
	    errlen)) != STORE_OK)
		goto out;
	if ((ret = sql_rprepare(rd, "SELECT unit_id FROM hosts WHERE id = ?1",
	    &s, "store_workflow_host_unit", err, errlen)) != STORE_OK)
		goto out;
	sql_bind_text(s, 1, host_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*unit_id = sqlite3_column_int64(s, 0);
	else if (rc == SQLITE_DONE) {
		sql_seterr(err, errlen, "không có máy này — no such host");
		ret = STORE_ENOTFOUND;
	}
	ret = sql_rfinish(rd, s, rc, ret, "store_workflow_host_unit", err,
	    errlen);
out:
	sql_read_end(rd);
	return ret;
}

/* Actions. */

static int
wf_exec(struct store *st, sqlite3_stmt *s, const char *what, char *err,
    size_t errlen)
{
	int rc = sqlite3_step(s);

	sqlite3_finalize(s);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return STORE_OK;
	return sql_dberr(st, rc, what, err, errlen);
}

int
store_workflow_act(struct store *st, const struct store_wf_action *a,
    int64_t now, char *err, size_t errlen)
{
	static const char what[] = "store_workflow_act";
	sqlite3_stmt *s = NULL;
	char *reason = NULL;
	const char *set;
	int64_t hid = 0;
	int rc, ret;

	if (strcmp(a->action, "assign") == 0)
		set = "assignee_id = ?4, assigned_by = ?3, assigned_at = ?5";
	else if (strcmp(a->action, "accept") == 0)
		set = "accept_reason = ?6, accepted_by = ?3, accepted_at = ?5,"
		    " accepted_until = ?7";
	else if (strcmp(a->action, "fixed") == 0)
		set = "fixed_by = ?3, fixed_at = ?5";
	else if (strcmp(a->action, "ack") == 0)
		set = "ack_by = ?3, ack_at = ?5";
	else {
		sql_seterr(err, errlen, "hành động không hợp lệ \"%s\" — invalid "
		    "action \"%s\"", a->action, a->action);
		return STORE_ERR;
	}
	reason = sql_nfc(a->reason);
	pthread_mutex_lock(&st->lock);
	if ((ret = sql_writable(st, "ghi xử lý phát hiện — write a finding's "
	    "workflow", err, errlen)) != STORE_OK ||
	    (ret = sql_tx_begin(st, what, err, errlen)) != STORE_OK)
		goto out;
	/* the finding exists on that host */
	if ((ret = sql_prepare(st, "SELECT f.hid FROM findings f JOIN hosts h"
	    " ON h.hid = f.hid WHERE h.id = ?1 AND f.check_id = ?2", &s, what,
	    err, errlen)) != STORE_OK)
		goto rollback;
	sql_bind_text(s, 1, a->host_id);
	sql_bind_text(s, 2, a->check);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		hid = sqlite3_column_int64(s, 0);
	ret = sql_finish(st, s, rc, STORE_OK, what, err, errlen);
	s = NULL;
	if (ret != STORE_OK)
		goto rollback;
	if (rc != SQLITE_ROW) {
		sql_seterr(err, errlen, "máy %s không có phát hiện %s — host %s "
		    "has no finding %s", a->host_id, a->check, a->host_id,
		    a->check);
		ret = STORE_ENOTFOUND;
		goto rollback;
	}
	if (strcmp(a->action, "assign") == 0) {
		if ((ret = sql_prepare(st, "SELECT 1 FROM users WHERE id = ?1"
		    " AND disabled_at = 0", &s, what, err, errlen)) !=
		    STORE_OK)
			goto rollback;
		sqlite3_bind_int64(s, 1, a->assignee_id);
		rc = sqlite3_step(s);
		ret = sql_finish(st, s, rc, STORE_OK, what, err, errlen);
		s = NULL;
		if (ret != STORE_OK)
			goto rollback;
		if (rc != SQLITE_ROW) {
			sql_seterr(err, errlen, "không có người dùng số %lld — no "
			    "active user %lld", (long long)a->assignee_id,
			    (long long)a->assignee_id);
			ret = STORE_ENOTFOUND;
			goto rollback;
		}
	}
	{
		char sql[512];

		snprintf(sql, sizeof(sql), "INSERT INTO finding_workflow(hid,"
		    " check_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING;");
		if ((ret = sql_prepare(st, sql, &s, what, err, errlen)) !=
		    STORE_OK)
			goto rollback;
		sqlite3_bind_int64(s, 1, hid);
		sql_bind_text(s, 2, a->check);
		if ((ret = wf_exec(st, s, what, err, errlen)) != STORE_OK)
			goto rollback;
		snprintf(sql, sizeof(sql), "UPDATE finding_workflow SET %s"
		    " WHERE hid = ?1 AND check_id = ?2", set);
		if ((ret = sql_prepare(st, sql, &s, what, err, errlen)) !=
		    STORE_OK)
			goto rollback;
		sqlite3_bind_int64(s, 1, hid);
		sql_bind_text(s, 2, a->check);
		sql_bind_text(s, 3, a->actor);
		sqlite3_bind_int64(s, 4, a->assignee_id);
		sqlite3_bind_int64(s, 5, now);
		sql_bind_text(s, 6, reason);
		sqlite3_bind_int64(s, 7, a->until);
		/* unused parameters are harmless: SQLite ignores them */
		if ((ret = wf_exec(st, s, what, err, errlen)) != STORE_OK)
			goto rollback;
	}
	if ((ret = sql_prepare(st, "INSERT INTO finding_actions(hid, check_id,"
	    " time, actor, action, assignee_id, reason, until)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &s, what, err,
	    errlen)) != STORE_OK)
		goto rollback;
	sqlite3_bind_int64(s, 1, hid);
	sql_bind_text(s, 2, a->check);
	sqlite3_bind_int64(s, 3, now);
	sql_bind_text(s, 4, a->actor);
	sql_bind_text(s, 5, a->action);
	sqlite3_bind_int64(s, 6, strcmp(a->action, "assign") == 0 ?
	    a->assignee_id : 0);
	sql_bind_text(s, 7, strcmp(a->action, "accept") == 0 ? reason : NULL);
	sqlite3_bind_int64(s, 8, strcmp(a->action, "accept") == 0 ?
	    a->until : 0);
	if ((ret = wf_exec(st, s, what, err, errlen)) != STORE_OK)
		goto rollback;
	ret = sql_tx_commit(st, what, err, errlen);
	goto out;
rollback:
	sql_tx_rollback(st);
out:
	pthread_mutex_unlock(&st->lock);
	free(reason);
	return ret;
}

int
store_workflow_history(struct store *st, const char *host_id,
    const char *check, int limit,
    int (*cb)(const struct store_wf_event *, void *), void *arg, char *err,
    size_t errlen)
{
	struct sql_reader *rd = NULL;
	struct store_wf_event ev;
	sqlite3_stmt *s;
	int rc, ret;

	if ((ret = sql_read_begin(st, &rd, "store_workflow_history", err,
	    errlen)) != STORE_OK)
		goto out;
	if ((ret = sql_rprepare(rd, "SELECT a.time, a.actor, a.action,"
	    " a.reason, u.login, u.name, a.until FROM finding_actions a"
	    " LEFT JOIN users u ON u.id = a.assignee_id"
	    " WHERE a.hid = (SELECT hid FROM hosts WHERE id = ?1)"
	    " AND a.check_id = ?2 ORDER BY a.time DESC, a.id DESC LIMIT ?3",
	    &s, "store_workflow_history", err, errlen)) != STORE_OK)
		goto out;
	sql_bind_text(s, 1, host_id);
	sql_bind_text(s, 2, check);
	sqlite3_bind_int(s, 3, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ev.time = sqlite3_column_int64(s, 0);
		ev.actor = sql_col_text(s, 1);
		ev.action = sql_col_text(s, 2);
		ev.reason = sql_col_text(s, 3);
		ev.assignee_login = sql_col_text(s, 4);
		ev.assignee_name = sql_col_text(s, 5);
		ev.until = sqlite3_column_int64(s, 6);
		if ((ret = cb(&ev, arg)) != 0)
			break;
	}
	ret = sql_rfinish(rd, s, rc, ret, "store_workflow_history", err,
	    errlen);
out:
	sql_read_end(rd);
	return ret;
}

int
store_workflow_assignees(struct store *st, int64_t unit_id,
    int (*cb)(const struct store_assignee *, void *), void *arg, char *err,
    size_t errlen)
{
	struct sql_reader *rd = NULL;
	struct store_assignee p;
	sqlite3_stmt *s;
	int rc, ret;

	if ((ret = sql_read_begin(st, &rd, "store_workflow_assignees", err,
	    errlen)) != STORE_OK)
		goto out;
	if ((ret = sql_rprepare(rd, "SELECT id, login, name, role FROM users"
	    " WHERE disabled_at = 0 AND (role = 'supervisor' OR (unit_id = ?1"
	    " AND role IN ('unit-it', 'unit-head'))) ORDER BY role != "
	    "'unit-it', name, login", &s, "store_workflow_assignees", err,
	    errlen)) != STORE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, unit_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		p.id = sqlite3_column_int64(s, 0);
		p.login = sql_col_text(s, 1);
		p.name = sql_col_text(s, 2);
		p.role = sql_col_text(s, 3);
		if ((ret = cb(&p, arg)) != 0)
			break;
	}
	ret = sql_rfinish(rd, s, rc, ret, "store_workflow_assignees", err,
	    errlen);
out:
	sql_read_end(rd);
	return ret;
}
