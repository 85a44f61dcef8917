/*
 * test_workflow.c — the findings workflow in the store
 * (src/server/store_sqlite_workflow.c): the state a finding shows, decided
 * from the times alone (a fix claim confirmed by a later resolution,
 * cleared by a later failing report, void for an earlier episode; an
 * accepted risk until its expiry); actions and their history; the unit
 * filter of every read; findings counted by check. The rows agents would
 * have reported are written with SQL beside the store's own handle.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "server/store.h"

struct fx {
	char dir[256], path[300], err[512];
	struct store *st;
};

static void
seed(const char *path)
{
	sqlite3 *db;
	char *e = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db,
	    "INSERT INTO units(id, name) VALUES (1, 'Phòng Kế toán'),"
	    " (2, 'Phòng <b>Văn hóa</b>');"
	    "INSERT INTO users(id, login, name, role, unit_id, pwhash, created,"
	    " disabled_at) VALUES"
	    " (1, 'sup', 'Công an phường', 'supervisor', NULL, 'x', 1, 0),"
	    " (2, 'ita', 'CNTT Kế toán', 'unit-it', 1, 'x', 1, 0),"
	    " (3, 'itb', 'CNTT Văn hóa', 'unit-it', 2, 'x', 1, 0),"
	    " (4, 'old', 'Đã nghỉ', 'unit-it', 1, 'x', 1, 5),"
	    " (5, 'xem', 'Chủ tịch', 'viewer', NULL, 'x', 1, 0);"
	    "INSERT INTO hosts(hid, id, hostname, unit_id, first_seen,"
	    " last_seen, report_at) VALUES"
	    " (1, 'ha', 'may-a', 1, 1, 1000, 1000),"
	    " (2, 'hb', '<script>b</script>', 2, 1, 1000, 1000);"
	    "INSERT INTO checks(id, severity, point, title_vi, title_en) VALUES"
	    " ('c1', 'critical', 3, 'Một', 'One'),"
	    " ('c2', 'high', 5, 'Hai', 'Two'),"
	    " ('c3', 'low', 3, 'Ba', 'Three');"
	    "INSERT INTO findings(hid, check_id, status, severity, evidence,"
	    " first_seen, last_seen, resolved) VALUES"
	    " (1, 'c1', 'fail', 'critical', 'e1', 100, 0, 0),"
	    " (1, 'c2', 'fail', 'high', 'e2', 100, 0, 0),"
	    " (2, 'c1', 'fail', 'critical', 'e3', 100, 0, 0),"
	    " (1, 'c3', 'pass', 'low', NULL, 100, 0, 100);",
	    NULL, NULL, &e), SQLITE_OK);
	sqlite3_close(db);
}

static void
exec_sql(struct fx *fx, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	const char *tmp = getenv("TMPDIR");

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "%s/cg-wf-XXXXXX",
	    tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/store.db", fx->dir);
	assert_int_equal(store_open(fx->path, STORE_CREATE, &fx->st, fx->err,
	    sizeof(fx->err)), STORE_OK);
	seed(fx->path);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;
	char p[320];

	store_close(fx->st);
	unlink(fx->path);
	snprintf(p, sizeof(p), "%s-wal", fx->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", fx->path);
	unlink(p);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* --- the state, from the times ------------------------------------------ */

static void
test_state(void **state)
{
	struct store_workflow w;

	(void)state;
	memset(&w, 0, sizeof(w));
	assert_int_equal(store_workflow_state(0, 1000, &w, 500), WF_OPEN);
	assert_int_equal(store_workflow_state(900, 1000, &w, 500),
	    WF_RESOLVED);
	/* claimed at 2000; no report since */
	w.fixed_at = 2000;
	assert_int_equal(store_workflow_state(0, 1000, &w, 2100),
	    WF_FIX_CLAIMED);
	assert_int_equal(store_workflow_state(0, 2000, &w, 2100),
	    WF_FIX_CLAIMED);
	/* a report after the claim still fails */
	assert_int_equal(store_workflow_state(0, 2001, &w, 2100),
	    WF_CLAIM_CLEARED);
	/* resolved by a report after the claim: confirmed */
	assert_int_equal(store_workflow_state(2500, 2500, &w, 2600),
	    WF_FIXED);
	/* resolved before the claim: not the claim's doing */
	assert_int_equal(store_workflow_state(1500, 2500, &w, 2600),
	    WF_RESOLVED);
	/* accepted until 5000 */
	memset(&w, 0, sizeof(w));
	w.accepted_until = 5000;
	assert_int_equal(store_workflow_state(0, 1000, &w, 4999), WF_ACCEPTED);
	assert_int_equal(store_workflow_state(0, 1000, &w, 5000), WF_OPEN);
	assert_string_equal(store_workflow_state_name(WF_CLAIM_CLEARED),
	    "claim-cleared");
	assert_string_equal(store_workflow_state_name(WF_OPEN), "open");
}

/* --- reads and actions ---------------------------------------------------- */

struct rows {
	int n;
	char check[8][16], host[8][16];
	struct store_wf_finding last;
	enum store_wf_state st[8];
	int64_t now;
};

static int
row_cb(const struct store_wf_finding *f, void *arg)
{
	struct rows *r = arg;

	if (r->n < 8) {
		snprintf(r->check[r->n], 16, "%s", f->check);
		snprintf(r->host[r->n], 16, "%s", f->host_id);
		r->st[r->n] = store_workflow_state(f->resolved, f->report_at,
		    &f->wf, r->now);
	}
	r->n++;
	return 0;
}

static int
findings(struct fx *fx, const struct store_wf_filter *f, struct rows *r,
    int64_t now)
{
	memset(r, 0, sizeof(*r));
	r->now = now;
	return store_workflow_findings(fx->st, f, row_cb, r, fx->err,
	    sizeof(fx->err));
}

static void
test_findings_scope(void **state)
{
	struct fx *fx = *state;
	struct store_wf_filter f;
	struct rows r;

	memset(&f, 0, sizeof(f));
	assert_int_equal(findings(fx, &f, &r, 0), STORE_OK);
	assert_int_equal(r.n, 3);		/* open ones */
	f.unit_id = 1;
	assert_int_equal(findings(fx, &f, &r, 0), STORE_OK);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.check[0], "c1");	/* worst first */
	assert_string_equal(r.check[1], "c2");
	f.include_resolved = true;
	assert_int_equal(findings(fx, &f, &r, 0), STORE_OK);
	assert_int_equal(r.n, 3);
	/* a unit's filter never returns another unit's host, whatever else */
	f.unit_id = 1;
	f.host = "hb";
	assert_int_equal(findings(fx, &f, &r, 0), STORE_OK);
	assert_int_equal(r.n, 0);
	f.unit_id = 2;
	assert_int_equal(findings(fx, &f, &r, 0), STORE_OK);
	assert_int_equal(r.n, 1);
	/* filters are values: SQL in them matches nothing */
	memset(&f, 0, sizeof(f));
	f.check = "c1' OR '1'='1";
	assert_int_equal(findings(fx, &f, &r, 0), STORE_OK);
	assert_int_equal(r.n, 0);
	f.check = NULL;
	f.severity = "critical' --";
	assert_int_equal(findings(fx, &f, &r, 0), STORE_OK);
	assert_int_equal(r.n, 0);
	f.severity = "high";
	assert_int_equal(findings(fx, &f, &r, 0), STORE_OK);
	assert_int_equal(r.n, 1);
	f.severity = NULL;
	f.point = 3;
	f.limit = 1;
	assert_int_equal(findings(fx, &f, &r, 0), STORE_OK);
	assert_int_equal(r.n, 1);
	f.offset = 1;
	assert_int_equal(findings(fx, &f, &r, 0), STORE_OK);
	assert_int_equal(r.n, 1);
	f.offset = 2;
	assert_int_equal(findings(fx, &f, &r, 0), STORE_OK);
	assert_int_equal(r.n, 0);
}

struct counts {
	int n;
	char check[8][16];
	int64_t hosts[8];
};

static int
count_cb(const struct store_check_count *c, void *arg)
{
	struct counts *x = arg;

	if (x->n < 8) {
		snprintf(x->check[x->n], 16, "%s", c->check);
		x->hosts[x->n] = c->hosts;
	}
	x->n++;
	return 0;
}

static void
test_checks(void **state)
{
	struct fx *fx = *state;
	struct store_wf_filter f;
	struct counts c;

	memset(&f, 0, sizeof(f));
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_workflow_checks(fx->st, &f, count_cb, &c,
	    fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.check[0], "c1");
	assert_int_equal(c.hosts[0], 2);
	assert_string_equal(c.check[1], "c2");
	assert_int_equal(c.hosts[1], 1);
	memset(&c, 0, sizeof(c));
	f.unit_id = 2;
	assert_int_equal(store_workflow_checks(fx->st, &f, count_cb, &c,
	    fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.hosts[0], 1);
	memset(&c, 0, sizeof(c));
	f.unit_id = 0;
	f.point = 5;
	assert_int_equal(store_workflow_checks(fx->st, &f, count_cb, &c,
	    fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.check[0], "c2");
	memset(&c, 0, sizeof(c));
	f.point = 0;
	f.severity = "nonsense";
	assert_int_equal(store_workflow_checks(fx->st, &f, count_cb, &c,
	    fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(c.n, 0);
}

static int
act(struct fx *fx, const char *host, const char *check, const char *action,
    int64_t assignee, const char *reason, int64_t until, int64_t now)
{
	struct store_wf_action a;

	memset(&a, 0, sizeof(a));
	a.host_id = host;
	a.check = check;
	a.action = action;
	a.actor = "ita";
	a.assignee_id = assignee;
	a.reason = reason;
	a.until = until;
	return store_workflow_act(fx->st, &a, now, fx->err, sizeof(fx->err));
}

static int
hist_cb(const struct store_wf_event *ev, void *arg)
{
	char *s = arg;

	strcat(s, ev->action);
	strcat(s, ev->assignee_login ? "(" : "");
	if (ev->assignee_login) {
		strcat(s, ev->assignee_login);
		strcat(s, ")");
	}
	strcat(s, " ");
	return 0;
}

/* A claim: pending, cleared by a later failing report, confirmed by a
 * later resolution, void once the finding fails again. */
static void
test_fix_claim(void **state)
{
	struct fx *fx = *state;
	struct store_wf_filter f;
	struct rows r;
	char h[256] = "";

	memset(&f, 0, sizeof(f));
	f.host = "ha";
	f.check = "c1";
	f.include_resolved = true;
	assert_int_equal(act(fx, "ha", "c1", "fixed", 0, NULL, 0, 2000),
	    STORE_OK);
	assert_int_equal(findings(fx, &f, &r, 2100), STORE_OK);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.st[0], WF_FIX_CLAIMED);
	/* the host reports at 3000 and still fails */
	exec_sql(fx, "UPDATE hosts SET report_at = 3000 WHERE id = 'ha'");
	assert_int_equal(findings(fx, &f, &r, 3100), STORE_OK);
	assert_int_equal(r.st[0], WF_CLAIM_CLEARED);
	/* claimed again at 3200; the report of 3500 passes */
	assert_int_equal(act(fx, "ha", "c1", "fixed", 0, NULL, 0, 3200),
	    STORE_OK);
	assert_int_equal(findings(fx, &f, &r, 3300), STORE_OK);
	assert_int_equal(r.st[0], WF_FIX_CLAIMED);
	exec_sql(fx, "UPDATE hosts SET report_at = 3500 WHERE id = 'ha';"
	    "UPDATE findings SET status = 'pass', resolved = 3500"
	    " WHERE hid = 1 AND check_id = 'c1'");
	assert_int_equal(findings(fx, &f, &r, 3600), STORE_OK);
	assert_int_equal(r.st[0], WF_FIXED);
	/* failing again from 4000: the old claim says nothing */
	exec_sql(fx, "UPDATE hosts SET report_at = 4000 WHERE id = 'ha';"
	    "UPDATE findings SET status = 'fail', resolved = 0,"
	    " first_seen = 4000 WHERE hid = 1 AND check_id = 'c1'");
	assert_int_equal(findings(fx, &f, &r, 4100), STORE_OK);
	assert_int_equal(r.st[0], WF_OPEN);
	/* the other unit's same check never moved */
	f.host = "hb";
	assert_int_equal(findings(fx, &f, &r, 4100), STORE_OK);
	assert_int_equal(r.st[0], WF_OPEN);
	assert_int_equal(store_workflow_history(fx->st, "ha", "c1", 10,
	    hist_cb, h, fx->err, sizeof(fx->err)), STORE_OK);
	assert_string_equal(h, "fixed fixed ");
}

static void
test_accept_assign_ack(void **state)
{
	struct fx *fx = *state;
	struct store_wf_filter f;
	struct rows r;
	char h[256] = "";

	assert_int_equal(act(fx, "ha", "c2", "accept", 0,
	    "  Máy sẽ được thay thế trong quý này.  ", 5000, 1000), STORE_OK);
	assert_int_equal(act(fx, "ha", "c2", "assign", 2, NULL, 0, 1001),
	    STORE_OK);
	assert_int_equal(act(fx, "ha", "c2", "ack", 0, NULL, 0, 1002),
	    STORE_OK);
	memset(&f, 0, sizeof(f));
	f.host = "ha";
	f.check = "c2";
	assert_int_equal(findings(fx, &f, &r, 4000), STORE_OK);
	assert_int_equal(r.st[0], WF_ACCEPTED);
	assert_int_equal(findings(fx, &f, &r, 5000), STORE_OK);
	assert_int_equal(r.st[0], WF_OPEN);
	assert_int_equal(store_workflow_history(fx->st, "ha", "c2", 10,
	    hist_cb, h, fx->err, sizeof(fx->err)), STORE_OK);
	assert_string_equal(h, "ack assign(ita) accept ");
	/* refused: a disabled or unknown assignee, an unknown finding or
	 * host, an unknown action */
	assert_int_equal(act(fx, "ha", "c2", "assign", 4, NULL, 0, 1003),
	    STORE_ENOTFOUND);
	assert_int_equal(act(fx, "ha", "c2", "assign", 99, NULL, 0, 1003),
	    STORE_ENOTFOUND);
	assert_int_equal(act(fx, "ha", "c9", "fixed", 0, NULL, 0, 1003),
	    STORE_ENOTFOUND);
	assert_int_equal(act(fx, "zz", "c1", "fixed", 0, NULL, 0, 1003),
	    STORE_ENOTFOUND);
	assert_int_equal(act(fx, "ha", "c1", "delete", 0, NULL, 0, 1003),
	    STORE_ERR);
	assert_non_null(strstr(fx->err, " — "));
	h[0] = '\0';
	assert_int_equal(store_workflow_history(fx->st, "ha", "c2", 10,
	    hist_cb, h, fx->err, sizeof(fx->err)), STORE_OK);
	assert_string_equal(h, "ack assign(ita) accept ");
}

static int
person_cb(const struct store_assignee *p, void *arg)
{
	strcat(arg, p->login);
	strcat(arg, " ");
	return 0;
}

static void
test_assignees_units(void **state)
{
	struct fx *fx = *state;
	char s[256] = "";
	int64_t unit = 0;

	assert_int_equal(store_workflow_assignees(fx->st, 1, person_cb, s,
	    fx->err, sizeof(fx->err)), STORE_OK);
	assert_string_equal(s, "ita sup ");
	s[0] = '\0';
	assert_int_equal(store_workflow_assignees(fx->st, 2, person_cb, s,
	    fx->err, sizeof(fx->err)), STORE_OK);
	assert_string_equal(s, "itb sup ");
	assert_int_equal(store_workflow_host_unit(fx->st, "hb", &unit,
	    fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(unit, 2);
	assert_int_equal(store_workflow_host_unit(fx->st, "x' OR 1=1 --",
	    &unit, fx->err, sizeof(fx->err)), STORE_ENOTFOUND);
}

static void
test_readonly(void **state)
{
	struct fx *fx = *state;
	struct store *ro;
	struct store_wf_action a;

	assert_int_equal(store_open(fx->path, STORE_READONLY, &ro, fx->err,
	    sizeof(fx->err)), STORE_OK);
	memset(&a, 0, sizeof(a));
	a.host_id = "ha";
	a.check = "c1";
	a.action = "ack";
	a.actor = "x";
	assert_int_not_equal(store_workflow_act(ro, &a, 1, fx->err,
	    sizeof(fx->err)), STORE_OK);
	store_close(ro);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state),
		cmocka_unit_test_setup_teardown(test_findings_scope, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fix_claim, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_accept_assign_ack, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_assignees_units, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_readonly, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
