/*
 * test_auditlog.c — the hash-chained audit log of the store
 * (store_sqlite_audit.c): the chain as documented (recomputed here from
 * the encoding of docs/admin.md), verification of an intact log, UPDATE
 * and DELETE refused by the triggers, and what an attacker who drops the
 * triggers leaves behind: an edited record found by its id, an edit with
 * a recomputed hash found at the next record, a deleted middle record, a
 * deleted last record; then the listing's filters, paging and refusals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "server/store.h"

#define T0 1764400000
#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

struct fx {
	char dir[256], path[300];
	struct store *st;
	sqlite3 *db;			/* the attacker's own connection */
	char err[512];
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	const char *tmp = getenv("TMPDIR");
	int i;

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "%s/cg-audit-XXXXXX",
	    tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/store.db", fx->dir);
	assert_int_equal(store_open(fx->path, STORE_CREATE, &fx->st, fx->err,
	    sizeof(fx->err)), STORE_OK);
	for (i = 1; i <= 5; i++) {
		char obj[32], detail[64];
		int64_t id;

		snprintf(obj, sizeof(obj), "user:u%d", i);
		snprintf(detail, sizeof(detail), "{\"n\": %d, \"role\": "
		    "\"viewer\"}", i);
		assert_int_equal(store_audit_append(fx->st, T0 + i, i % 2 ?
		    "lan" : "cli:root", i % 2 ? "supervisor" : "", i % 2 ?
		    "10.0.0.5" : "", i == 5 ? "totp.reset" : "user.added", obj,
		    detail, &id, fx->err, sizeof(fx->err)), STORE_OK);
		assert_int_equal(id, i);
	}
	assert_int_equal(sqlite3_open(fx->path, &fx->db), SQLITE_OK);
	sqlite3_busy_timeout(fx->db, 5000);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;
	char p[320];

	sqlite3_close(fx->db);
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

static int
sql(struct fx *fx, const char *q)
{
	return sqlite3_exec(fx->db, q, NULL, NULL, NULL);
}

static void
verify(struct fx *fx, enum store_audit_break why, int64_t id)
{
	struct store_audit_check c;

	assert_int_equal(store_audit_verify(fx->st, &c, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(c.why, why);
	assert_int_equal(c.broken_id, id);
}

/* The documented encoding, written again independently. */
static void
lp(crypto_hash_sha256_state *h, const char *s)
{
	uint32_t n = (uint32_t)strlen(s);
	unsigned char b[4] = { (unsigned char)(n >> 24),
	    (unsigned char)(n >> 16), (unsigned char)(n >> 8),
	    (unsigned char)n };

	crypto_hash_sha256_update(h, b, 4);
	crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

static void
doc_hash(const struct store_audit *a, char out[65])
{
	crypto_hash_sha256_state h;
	unsigned char sum[32];
	char num[32];

	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)a->prev_hash, 64);
	snprintf(num, sizeof(num), "%" PRId64, a->id);
	lp(&h, num);
	snprintf(num, sizeof(num), "%" PRId64, a->time);
	lp(&h, num);
	lp(&h, a->actor);
	lp(&h, a->actor_role);
	lp(&h, a->addr);
	lp(&h, a->action);
	lp(&h, a->object);
	lp(&h, a->detail);
	crypto_hash_sha256_final(&h, sum);
	sodium_bin2hex(out, 65, sum, 32);
}

struct walk {
	int n;
	int64_t ids[16];
	char prev[65];			/* of the older record seen last */
	bool chain_ok;
};

static int
walk_cb(const struct store_audit *a, void *arg)
{
	struct walk *w = arg;
	char h[65];

	doc_hash(a, h);
	if (strcmp(h, a->hash) != 0)
		w->chain_ok = false;
	/* newest first: this record's hash is the previous one's prev */
	if (w->n > 0 && strcmp(w->prev, a->hash) != 0)
		w->chain_ok = false;
	snprintf(w->prev, sizeof(w->prev), "%s", a->prev_hash);
	if (w->n < 16)
		w->ids[w->n] = a->id;
	w->n++;
	return 0;
}

static void
test_chain_intact(void **state)
{
	struct fx *fx = *state;
	struct store_audit_check c;
	struct walk w = { 0, {0}, "", true };

	assert_int_equal(store_audit_list(fx->st, NULL, walk_cb, &w, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(w.n, 5);
	assert_true(w.chain_ok);
	assert_int_equal(w.ids[0], 5);		/* newest first */
	assert_string_equal(w.prev, ZEROS);	/* the first record's */
	assert_int_equal(store_audit_verify(fx->st, &c, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(c.why, STORE_AUDIT_INTACT);
	assert_int_equal(c.count, 5);
	assert_int_equal(c.broken_id, 0);
	assert_int_equal(strlen(c.head), 64);
	assert_string_not_equal(c.head, ZEROS);
}

static void
test_triggers_refuse(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(sql(fx, "UPDATE audit_log SET actor = 'x' WHERE id = 2"),
	    SQLITE_CONSTRAINT);
	assert_non_null(strstr(sqlite3_errmsg(fx->db), "append-only"));
	assert_int_equal(sql(fx, "DELETE FROM audit_log WHERE id = 5"),
	    SQLITE_CONSTRAINT);
	assert_int_equal(sql(fx, "DELETE FROM audit_log"), SQLITE_CONSTRAINT);
	verify(fx, STORE_AUDIT_INTACT, 0);
}

static void
drop_triggers(struct fx *fx)
{
	assert_int_equal(sql(fx, "DROP TRIGGER audit_log_no_update;"
	    "DROP TRIGGER audit_log_no_delete"), SQLITE_OK);
}

static void
test_edited_record(void **state)
{
	struct fx *fx = *state;

	drop_triggers(fx);
	assert_int_equal(sql(fx, "UPDATE audit_log SET detail ="
	    " '{\"n\":3,\"role\":\"supervisor\"}' WHERE id = 3"), SQLITE_OK);
	verify(fx, STORE_AUDIT_EDITED, 3);
}

static void
test_edited_time(void **state)
{
	struct fx *fx = *state;

	drop_triggers(fx);
	assert_int_equal(sql(fx, "UPDATE audit_log SET time = time - 86400"
	    " WHERE id = 4"), SQLITE_OK);
	verify(fx, STORE_AUDIT_EDITED, 4);
}

struct one {
	int64_t id;
	char prev[65], actor[64], role[32], addr[64], action[64], object[64];
	char detail[256];
	int64_t time;
};

static int
one_cb(const struct store_audit *a, void *arg)
{
	struct one *o = arg;

	if (a->id != o->id)
		return 0;
	o->time = a->time;
	snprintf(o->prev, sizeof(o->prev), "%s", a->prev_hash);
	snprintf(o->actor, sizeof(o->actor), "%s", a->actor);
	snprintf(o->role, sizeof(o->role), "%s", a->actor_role);
	snprintf(o->addr, sizeof(o->addr), "%s", a->addr);
	snprintf(o->action, sizeof(o->action), "%s", a->action);
	snprintf(o->object, sizeof(o->object), "%s", a->object);
	snprintf(o->detail, sizeof(o->detail), "%s", a->detail);
	return 0;
}

/* The attacker edits record 2 and writes its hash anew: record 3 no
 * longer links to it. */
static void
test_edited_with_new_hash(void **state)
{
	struct fx *fx = *state;
	struct one o = { .id = 2 };
	struct store_audit a;
	char h[65], q[512];

	assert_int_equal(store_audit_list(fx->st, NULL, one_cb, &o, fx->err,
	    sizeof(fx->err)), STORE_OK);
	memset(&a, 0, sizeof(a));
	a.id = 2;
	a.time = o.time;
	a.prev_hash = o.prev;
	a.actor = "someone-else";
	a.actor_role = o.role;
	a.addr = o.addr;
	a.action = o.action;
	a.object = o.object;
	a.detail = o.detail;
	doc_hash(&a, h);
	drop_triggers(fx);
	snprintf(q, sizeof(q), "UPDATE audit_log SET actor = 'someone-else',"
	    " hash = '%s' WHERE id = 2", h);
	assert_int_equal(sql(fx, q), SQLITE_OK);
	verify(fx, STORE_AUDIT_UNLINKED, 3);
}

static void
test_deleted_middle(void **state)
{
	struct fx *fx = *state;

	drop_triggers(fx);
	assert_int_equal(sql(fx, "DELETE FROM audit_log WHERE id = 3"),
	    SQLITE_OK);
	verify(fx, STORE_AUDIT_GAP, 4);
}

static void
test_deleted_first_and_renumbered(void **state)
{
	struct fx *fx = *state;

	drop_triggers(fx);
	/* the first record gone and the ids moved down to hide the gap */
	assert_int_equal(sql(fx, "DELETE FROM audit_log WHERE id = 1;"
	    "UPDATE audit_log SET id = id - 1"), SQLITE_OK);
	verify(fx, STORE_AUDIT_EDITED, 1);
}

static void
test_deleted_last(void **state)
{
	struct fx *fx = *state;
	int64_t id;

	drop_triggers(fx);
	assert_int_equal(sql(fx, "DELETE FROM audit_log WHERE id = 5"),
	    SQLITE_OK);
	verify(fx, STORE_AUDIT_TRUNCATED, 5);
	/* a record appended afterwards does not hide it */
	assert_int_equal(store_audit_append(fx->st, T0 + 9, "lan", "", "",
	    "user.added", "user:x", NULL, &id, fx->err, sizeof(fx->err)),
	    STORE_OK);
	assert_int_equal(id, 6);
	verify(fx, STORE_AUDIT_GAP, 6);
}

static void
test_empty_log(void **state)
{
	struct fx *fx = *state;
	struct store_audit_check c;

	(void)fx;
	drop_triggers(fx);
	assert_int_equal(sql(fx, "DELETE FROM audit_log;"
	    "DELETE FROM sqlite_sequence WHERE name = 'audit_log'"),
	    SQLITE_OK);
	assert_int_equal(store_audit_verify(fx->st, &c, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(c.why, STORE_AUDIT_INTACT);
	assert_int_equal(c.count, 0);
	assert_string_equal(c.head, ZEROS);
}

static void
test_list_filters(void **state)
{
	struct fx *fx = *state;
	struct store_audit_filter f;
	struct walk w;

	memset(&f, 0, sizeof(f));
	f.actor = "lan";
	memset(&w, 0, sizeof(w));
	assert_int_equal(store_audit_list(fx->st, &f, walk_cb, &w, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(w.n, 3);
	assert_int_equal(w.ids[0], 5);
	assert_int_equal(w.ids[2], 1);

	memset(&f, 0, sizeof(f));
	f.action = "user.";
	memset(&w, 0, sizeof(w));
	assert_int_equal(store_audit_list(fx->st, &f, walk_cb, &w, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(w.n, 4);
	f.action = "totp.reset";
	memset(&w, 0, sizeof(w));
	assert_int_equal(store_audit_list(fx->st, &f, walk_cb, &w, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(w.n, 1);
	/* "_" of LIKE is taken literally in a prefix */
	f.action = "user_";
	memset(&w, 0, sizeof(w));
	assert_int_equal(store_audit_list(fx->st, &f, walk_cb, &w, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(w.n, 0);

	memset(&f, 0, sizeof(f));
	f.since = T0 + 4;
	memset(&w, 0, sizeof(w));
	assert_int_equal(store_audit_list(fx->st, &f, walk_cb, &w, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(w.n, 2);

	/* paging: two at a time, before the last id seen */
	memset(&f, 0, sizeof(f));
	f.limit = 2;
	f.before_id = 4;
	memset(&w, 0, sizeof(w));
	assert_int_equal(store_audit_list(fx->st, &f, walk_cb, &w, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(w.n, 2);
	assert_int_equal(w.ids[0], 3);
	assert_int_equal(w.ids[1], 2);

	/* SQL metacharacters are data */
	memset(&f, 0, sizeof(f));
	f.actor = "' OR 1=1 --";
	memset(&w, 0, sizeof(w));
	assert_int_equal(store_audit_list(fx->st, &f, walk_cb, &w, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(w.n, 0);
}

static void
test_append_refused(void **state)
{
	struct fx *fx = *state;
	char big[STORE_AUDIT_DETAIL_MAX + 64];
	int64_t id = 0;

	assert_int_equal(store_audit_append(fx->st, T0, "lan", "", "",
	    "User Added", "", NULL, &id, fx->err, sizeof(fx->err)), STORE_ERR);
	assert_int_equal(store_audit_append(fx->st, T0, "lan\x1b[2J", "", "",
	    "user.added", "", NULL, &id, fx->err, sizeof(fx->err)), STORE_ERR);
	assert_int_equal(store_audit_append(fx->st, T0, "", "", "",
	    "user.added", "", NULL, &id, fx->err, sizeof(fx->err)), STORE_ERR);
	assert_int_equal(store_audit_append(fx->st, T0, "lan", "", "",
	    "user.added", "", "[1]", &id, fx->err, sizeof(fx->err)),
	    STORE_ERR);
	assert_int_equal(store_audit_append(fx->st, T0, "lan", "", "",
	    "user.added", "", "{\"a\":1,\"a\":2}", &id, fx->err,
	    sizeof(fx->err)), STORE_ERR);
	memset(big, 'a', sizeof(big));
	memcpy(big, "{\"x\":\"", 6);
	memcpy(big + sizeof(big) - 3, "\"}", 3);
	assert_int_equal(store_audit_append(fx->st, T0, "lan", "", "",
	    "user.added", "", big, &id, fx->err, sizeof(fx->err)), STORE_ERR);
	assert_non_null(strstr(fx->err, "JSON object"));
	assert_int_equal(id, 0);
	verify(fx, STORE_AUDIT_INTACT, 0);
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_chain_intact),
		TEST(test_triggers_refuse),
		TEST(test_edited_record),
		TEST(test_edited_time),
		TEST(test_edited_with_new_hash),
		TEST(test_deleted_middle),
		TEST(test_deleted_first_and_renumbered),
		TEST(test_deleted_last),
		TEST(test_empty_log),
		TEST(test_list_filters),
		TEST(test_append_refused),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
