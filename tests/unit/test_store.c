/*
 * test_store.c — the SQLite store through store.h, each test in its own
 * temporary directory: migrations, enrolment refusals, batches (duplicate,
 * skipped report, older report), the life of a finding, fact history, a
 * reader beside a writer, a full disk and recovery, SQL metacharacters
 * taken literally, filters and counters, group commit (a known group with
 * a duplicate, a failing batch, a revoked agent and a full disk in it;
 * many writers retrying), compressed fact values (damaged ones too), the
 * aggregates kept at ingestion (against what they sum, after a fix, a
 * reopening, a late report, a host changing unit, and from a store left
 * at schema version 5) and the readers' pool beside a writer.
 * Batches are built here by hand, as ingest_parse() would leave them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>
#include <zlib.h>

#include "server/store.h"
#include "server/store_int.h"

#define T0 1764400000		/* 2025-11-29 07:06:40 UTC */

struct fx {
	char dir[256];
	char path[300];
	struct store *st;
	int64_t unit;
	int ntokens;
	char err[512];
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	const char *tmp = getenv("TMPDIR");

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "%s/cg-store-XXXXXX",
	    tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/store.db", fx->dir);
	assert_int_equal(store_open(fx->path, STORE_CREATE, &fx->st, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(store_unit_ensure(fx->st, "Phòng Kế toán", &fx->unit,
	    fx->err, sizeof(fx->err)), STORE_OK);
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

/* A token hash: 64 hex digits made from n. */
static void
token_hash(int n, char out[65])
{
	int i;

	for (i = 0; i < 64; i++)
		out[i] = "0123456789abcdef"[(n * 7 + i) % 16];
	out[64] = '\0';
	snprintf(out, 9, "%08x", n);
	out[8] = 'a';
}

static void
token(struct fx *fx, char hash[65], int64_t expires, int uses)
{
	int64_t id;

	token_hash(++fx->ntokens, hash);
	assert_int_equal(store_token_add(fx->st, hash, fx->unit, T0, expires,
	    uses, "thử nghiệm", &id, fx->err, sizeof(fx->err)), STORE_OK);
}

static void
agent_init(struct store_agent *a, const char *id, const char *host_id,
    const char *hostname)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->id, sizeof(a->id), "%s", id);
	snprintf(a->host_id, sizeof(a->host_id), "%s", host_id);
	snprintf(a->hostname, sizeof(a->hostname), "%s", hostname);
	snprintf(a->cert_serial, sizeof(a->cert_serial), "0a1b2c");
	snprintf(a->version, sizeof(a->version), "0.1.0");
}

static void
enrol(struct fx *fx, struct store_agent *a, const char *id,
    const char *host_id, const char *hostname)
{
	char hash[65];

	token(fx, hash, 0, 1);
	agent_init(a, id, host_id, hostname);
	assert_int_equal(store_enrol(fx->st, hash, T0, a, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(a->unit_id, fx->unit);
	assert_string_equal(a->unit, "Phòng Kế toán");
}

/* Building batches. */

#define MAXF 8

struct rep {
	struct ingest_report r;
	struct ingest_finding f[MAXF];
	json_t *facts;
};

static struct ingest_finding
F(const char *check, enum ingest_status s, const char *severity,
    const char *evidence)
{
	struct ingest_finding f;

	memset(&f, 0, sizeof(f));
	f.check = check;
	f.status = s;
	f.severity = severity;
	f.point = 3;
	f.evidence = evidence;
	f.title_vi = "Tiêu đề";
	f.title_en = "Title";
	f.remedy_vi = "Cách khắc phục";
	f.remedy_en = "Remedy";
	f.basis = "[\"luat-attt-2015\"]";
	return f;
}

static void
rep_init(struct rep *p, const char *report_id, int64_t t,
    const char *host_id, const char *hostname, int score)
{
	memset(p, 0, sizeof(*p));
	p->r.report_id = report_id;
	p->r.collected_at = t;
	p->r.host_id = host_id;
	p->r.hostname = hostname;
	p->r.os_id = "debian";
	p->r.os_name = "Debian GNU/Linux 12 (bookworm)";
	p->r.kernel = "6.1.0-27-amd64";
	p->r.platform = "linux";
	p->r.agent_version = "0.1.0";
	p->r.level = 2;
	p->r.score = score;
	p->r.findings = p->f;
}

static void
rep_add(struct rep *p, struct ingest_finding f)
{
	assert_true(p->r.nfindings < MAXF);
	p->f[p->r.nfindings++] = f;
}

static void
rep_free(struct rep *p)
{
	json_decref(p->facts);
	p->facts = NULL;
}

static int
put(struct fx *fx, const struct store_agent *a, const char *batch_id,
    struct rep *reps, size_t n, int64_t now, struct store_batch_result *r)
{
	struct ingest_report rr[4];
	struct ingest_batch b;
	size_t i;

	assert_true(n <= 4);
	for (i = 0; i < n; i++) {
		rr[i] = reps[i].r;
		rr[i].findings = reps[i].f;
		rr[i].facts = reps[i].facts;
	}
	memset(&b, 0, sizeof(b));
	b.batch_id = batch_id;
	b.nreports = n;
	b.reports = rr;
	return store_batch(fx->st, a, &b, now, r, fx->err, sizeof(fx->err));
}

/* Reading back: rows copied out of the callbacks. */

#define COPY(dst, src) \
	snprintf((dst), sizeof(dst), "%s", (src) != NULL ? (src) : "(null)")

struct frow {
	char check[80], status[16], severity[16], evidence[256];
	char hostname[256], title_en[64];
	int64_t first_seen, last_seen, resolved;
};

struct fset {
	struct frow rows[32];
	int n;
};

static int
frow_cb(const struct store_finding *f, void *arg)
{
	struct fset *s = arg;
	struct frow *r;

	if (s->n >= 32)
		return 1;
	r = &s->rows[s->n++];
	COPY(r->check, f->check);
	COPY(r->status, f->status);
	COPY(r->severity, f->severity);
	COPY(r->evidence, f->evidence);
	COPY(r->hostname, f->hostname);
	COPY(r->title_en, f->title_en);
	r->first_seen = f->first_seen;
	r->last_seen = f->last_seen;
	r->resolved = f->resolved;
	return 0;
}

static void
findings(struct fx *fx, const char *host, const char *check,
    const char *status, bool all, struct fset *out)
{
	struct store_finding_filter f;

	memset(&f, 0, sizeof(f));
	f.host = host;
	f.check = check;
	f.status = status;
	f.include_resolved = all;
	memset(out, 0, sizeof(*out));
	assert_int_equal(store_findings(fx->st, &f, frow_cb, out, fx->err,
	    sizeof(fx->err)), STORE_OK);
}

static const struct frow *
finding(struct fx *fx, const char *host, const char *check)
{
	static struct fset s;

	findings(fx, host, check, NULL, true, &s);
	assert_int_equal(s.n, 1);
	return &s.rows[0];
}

struct hrow {
	char id[96], hostname[256], unit[256];
	int score, fail, open_critical, open_high;
	int64_t last_seen;
	bool revoked;
};

struct hset {
	struct hrow rows[16];
	int n;
};

static int
hrow_cb(const struct store_host *h, void *arg)
{
	struct hset *s = arg;
	struct hrow *r;

	if (s->n >= 16)
		return 1;
	r = &s->rows[s->n++];
	COPY(r->id, h->id);
	COPY(r->hostname, h->hostname);
	COPY(r->unit, h->unit);
	r->score = h->score;
	r->fail = h->fail;
	r->open_critical = h->open_critical;
	r->open_high = h->open_high;
	r->last_seen = h->last_seen;
	r->revoked = h->revoked;
	return 0;
}

static void
hosts(struct store *st, const char *unit, const char *host, struct hset *out)
{
	struct store_host_filter f = { unit, host };
	char err[512];

	memset(out, 0, sizeof(*out));
	assert_int_equal(store_hosts(st, &f, hrow_cb, out, err, sizeof(err)),
	    STORE_OK);
}

static struct store_stats
stats(struct store *st)
{
	struct store_stats s;
	char err[512];

	assert_int_equal(store_stats(st, &s, err, sizeof(err)), STORE_OK);
	return s;
}

/* An SQL statement through a connection of our own (the test looks behind
 * the interface only to check the file's integrity). */
static char *
raw1(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	char *v = NULL;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		v = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* Tests. */

static void
test_migrate(void **state)
{
	struct fx *fx = *state;
	struct store *ro, *again;
	int64_t id;
	char path[320], *v;
	FILE *f;

	assert_int_equal(store_schema_version(fx->st), (int)store_nmigrations);
	/* reopening migrates nothing and keeps what is there */
	store_close(fx->st);
	assert_int_equal(store_open(fx->path, 0, &fx->st, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(store_schema_version(fx->st), (int)store_nmigrations);
	assert_int_equal(store_unit_find(fx->st, "Phòng Kế toán", &id, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(id, fx->unit);
	/* the same name in NFD is the same unit */
	assert_int_equal(store_unit_ensure(fx->st,
	    "Pho\xcc\x80ng Ke\xcc\x82\xcc\x81 toa\xcc\x81n", &id, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(id, fx->unit);
	v = raw1(fx->path, "PRAGMA journal_mode");
	assert_string_equal(v, "wal");
	free(v);

	/* no file and no STORE_CREATE: refused */
	snprintf(path, sizeof(path), "%s/absent.db", fx->dir);
	assert_int_not_equal(store_open(path, 0, &again, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_null(again);
	assert_int_equal(access(path, F_OK), -1);
	/* a link planted where the store is to be made: refused, and
	 * nothing made where it points */
	snprintf(path, sizeof(path), "%s/link.db", fx->dir);
	assert_int_equal(symlink("absent.db", path), 0);
	assert_int_not_equal(store_open(path, STORE_CREATE, &again, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_null(again);
	assert_non_null(strstr(fx->err, path));
	assert_non_null(strstr(fx->err, " — "));
	unlink(path);
	snprintf(path, sizeof(path), "%s/absent.db", fx->dir);
	assert_int_equal(access(path, F_OK), -1);
	/* an empty file read-only: not initialised */
	assert_non_null(f = fopen(path, "w"));
	fclose(f);
	assert_int_equal(store_open(path, STORE_READONLY, &ro, fx->err,
	    sizeof(fx->err)), STORE_ERR);
	assert_non_null(strstr(fx->err, "canhgac init"));
	unlink(path);

	/* a schema newer than this program: refused, read-write or not */
	store_close(fx->st);
	fx->st = NULL;
	free(raw1(fx->path, "PRAGMA user_version = 99"));
	assert_int_equal(store_open(fx->path, 0, &again, fx->err,
	    sizeof(fx->err)), STORE_ERR);
	assert_non_null(strstr(fx->err, "99"));
	assert_int_equal(store_open(fx->path, STORE_READONLY, &ro, fx->err,
	    sizeof(fx->err)), STORE_ERR);
	snprintf(path, sizeof(path), "PRAGMA user_version = %d",
	    (int)store_nmigrations);
	free(raw1(fx->path, path));
	assert_int_equal(store_open(fx->path, 0, &fx->st, fx->err,
	    sizeof(fx->err)), STORE_OK);
}

static void
test_enrol(void **state)
{
	struct fx *fx = *state;
	struct store_agent a, b, got;
	char hash[65];
	int64_t tid;

	/* unknown */
	token_hash(999, hash);
	agent_init(&a, "0123456789abcdef0123456789abcdef", "host-1", "may-1");
	assert_int_equal(store_enrol(fx->st, hash, T0, &a, fx->err,
	    sizeof(fx->err)), STORE_ENOTFOUND);
	assert_non_null(strstr(fx->err, " — "));
	assert_int_equal(store_enrol(fx->st, "' OR 1=1 --", T0, &a, fx->err,
	    sizeof(fx->err)), STORE_ENOTFOUND);
	/* expired: at the expiry second and after */
	token(fx, hash, T0 + 100, 5);
	assert_int_equal(store_enrol(fx->st, hash, T0 + 100, &a, fx->err,
	    sizeof(fx->err)), STORE_EEXPIRED);
	assert_non_null(strstr(fx->err, "hết hạn"));
	/* used up: one use, the second enrolment is refused */
	token(fx, hash, T0 + 100, 1);
	assert_int_equal(store_enrol(fx->st, hash, T0 + 99, &a, fx->err,
	    sizeof(fx->err)), STORE_OK);
	agent_init(&b, "fedcba9876543210fedcba9876543210", "host-2", "may-2");
	assert_int_equal(store_enrol(fx->st, hash, T0 + 99, &b, fx->err,
	    sizeof(fx->err)), STORE_EUSEDUP);
	assert_int_equal(store_agent_get(fx->st, b.id, &got, fx->err,
	    sizeof(fx->err)), STORE_ENOTFOUND);
	/* revoked */
	token_hash(++fx->ntokens, hash);
	assert_int_equal(store_token_add(fx->st, hash, fx->unit, T0, 0, 3, NULL,
	    &tid, fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(store_token_revoke(fx->st, tid, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(store_enrol(fx->st, hash, T0, &b, fx->err,
	    sizeof(fx->err)), STORE_EREVOKED);
	assert_int_equal(store_token_revoke(fx->st, 424242, fx->err,
	    sizeof(fx->err)), STORE_ENOTFOUND);
	/* a token of 0 uses cannot be made */
	token_hash(++fx->ntokens, hash);
	assert_int_equal(store_token_add(fx->st, hash, fx->unit, T0, 0, 0, NULL,
	    &tid, fx->err, sizeof(fx->err)), STORE_ERR);

	/* the enrolled agent */
	assert_int_equal(store_agent_get(fx->st, a.id, &got, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_string_equal(got.host_id, "host-1");
	assert_string_equal(got.hostname, "may-1");
	assert_string_equal(got.unit, "Phòng Kế toán");
	assert_int_equal(got.enrolled, T0 + 99);
	assert_false(got.revoked);
	/* the same agent id again */
	token(fx, hash, 0, 5);
	assert_int_equal(store_enrol(fx->st, hash, T0, &a, fx->err,
	    sizeof(fx->err)), STORE_EEXISTS);
	/* the same host enrols again: the older agent is revoked */
	agent_init(&b, "fedcba9876543210fedcba9876543210", "host-1", "may-1b");
	assert_int_equal(store_enrol(fx->st, hash, T0 + 500, &b, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(store_agent_get(fx->st, a.id, &got, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_true(got.revoked);
	assert_int_equal(got.revoked_at, T0 + 500);
	assert_int_equal(store_agent_get(fx->st, b.id, &got, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_false(got.revoked);
	assert_string_equal(got.hostname, "may-1b");
	/* an invalid agent is refused before the token is used */
	agent_init(&b, "bad id'", "host-3", "may-3");
	assert_int_equal(store_enrol(fx->st, hash, T0, &b, fx->err,
	    sizeof(fx->err)), STORE_ERR);
	/* revoking: once, then "already" */
	assert_int_equal(store_agent_revoke(fx->st,
	    "fedcba9876543210fedcba9876543210", T0 + 600, "admin", fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(store_agent_revoke(fx->st,
	    "fedcba9876543210fedcba9876543210", T0 + 601, "admin", fx->err,
	    sizeof(fx->err)), STORE_EREVOKED);
	assert_int_equal(store_agent_revoke(fx->st, "nobody", T0, NULL,
	    fx->err, sizeof(fx->err)), STORE_ENOTFOUND);
	assert_int_equal(stats(fx->st).agents, 2);
	assert_int_equal(stats(fx->st).agents_revoked, 2);
}

static int
token_cb(const struct store_token *t, void *arg)
{
	int *uses = arg;

	uses[t->id - 1] = t->uses;
	return 0;
}

static void
test_token_uses(void **state)
{
	struct fx *fx = *state;
	struct store_agent a;
	char hash[65];
	int uses[4] = { -1, -1, -1, -1 };

	token(fx, hash, T0 + 10, 2);
	agent_init(&a, "a1", "h1", "m1");
	/* a refusal uses nothing */
	assert_int_equal(store_enrol(fx->st, hash, T0 + 10, &a, fx->err,
	    sizeof(fx->err)), STORE_EEXPIRED);
	assert_int_equal(store_enrol(fx->st, hash, T0, &a, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(store_token_list(fx->st, token_cb, uses, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(uses[0], 1);
}

static void
test_batch_duplicate(void **state)
{
	struct fx *fx = *state;
	struct store_agent a;
	struct store_batch_result r;
	struct store_stats s0, s1;
	struct rep p;

	enrol(fx, &a, "agent1", "host-1", "may-1");
	rep_init(&p, "report-0001", T0 + 10, "host-1", "may-ketoan-01", 70);
	rep_add(&p, F("ssh-root-login", INGEST_FAIL, "high", "yes"));
	rep_add(&p, F("firewall-on", INGEST_PASS, "medium", NULL));
	rep_add(&p, F("av-present", INGEST_ERROR, "critical", "no av"));
	assert_int_equal(put(fx, &a, "batch-0001", &p, 1, T0 + 20, &r),
	    STORE_OK);
	assert_false(r.duplicate);
	assert_int_equal(r.reports, 1);
	assert_int_equal(r.opened, 2);
	s0 = stats(fx->st);
	assert_int_equal(s0.batches, 1);
	assert_int_equal(s0.reports, 1);
	assert_int_equal(s0.findings_open, 2);
	assert_int_equal(s0.findings_open_critical, 1);
	assert_int_equal(s0.findings_open_high, 1);

	/* the same batch again: acknowledged, nothing written */
	p.f[0].status = INGEST_PASS;
	assert_int_equal(put(fx, &a, "batch-0001", &p, 1, T0 + 30, &r),
	    STORE_OK);
	assert_true(r.duplicate);
	assert_int_equal(r.reports, 0);
	s1 = stats(fx->st);
	assert_memory_equal(&s0, &s1, sizeof(s0));
	assert_string_equal(finding(fx, "host-1", "ssh-root-login")->status,
	    "fail");

	/* another batch id with the same report: the report is skipped */
	assert_int_equal(put(fx, &a, "batch-0002", &p, 1, T0 + 40, &r),
	    STORE_OK);
	assert_false(r.duplicate);
	assert_int_equal(r.reports, 0);
	assert_int_equal(r.skipped, 1);
	assert_int_equal(r.resolved, 0);
	s1 = stats(fx->st);
	assert_int_equal(s1.batches, 2);
	assert_int_equal(s1.reports, 1);
	assert_string_equal(finding(fx, "host-1", "ssh-root-login")->status,
	    "fail");
}

static void
test_finding_life(void **state)
{
	struct fx *fx = *state;
	struct store_agent a;
	struct store_batch_result r;
	const struct frow *f;
	struct fset set;
	struct hset hs;
	struct rep p;

	enrol(fx, &a, "agent1", "host-1", "may-1");
	rep_init(&p, "report-0001", T0 + 100, "host-1", "may-1", 50);
	rep_add(&p, F("ssh-root-login", INGEST_FAIL, "high", "yes"));
	rep_add(&p, F("usb-storage", INGEST_FAIL, "critical", "sdb"));
	rep_add(&p, F("screen-lock", INGEST_PASS, "low", NULL));
	assert_int_equal(put(fx, &a, "batch-0001", &p, 1, T0 + 101, &r),
	    STORE_OK);
	assert_int_equal(r.opened, 2);
	f = finding(fx, "host-1", "ssh-root-login");
	assert_int_equal(f->first_seen, T0 + 100);
	assert_int_equal(f->last_seen, T0 + 100);
	assert_int_equal(f->resolved, 0);
	/* a check that never failed is not open */
	assert_int_not_equal(finding(fx, "host-1", "screen-lock")->resolved,
	    0);
	findings(fx, "host-1", NULL, NULL, false, &set);
	assert_int_equal(set.n, 2);
	/* most severe first */
	assert_string_equal(set.rows[0].check, "usb-storage");
	hosts(fx->st, NULL, "host-1", &hs);
	assert_int_equal(hs.n, 1);
	assert_int_equal(hs.rows[0].open_critical, 1);
	assert_int_equal(hs.rows[0].open_high, 1);
	assert_int_equal(hs.rows[0].score, 50);

	/* seen again failing: same episode, last_seen moves */
	rep_init(&p, "report-0002", T0 + 200, "host-1", "may-1", 50);
	rep_add(&p, F("ssh-root-login", INGEST_FAIL, "high", "yes"));
	rep_add(&p, F("usb-storage", INGEST_ERROR, "critical", "sdb?"));
	rep_add(&p, F("screen-lock", INGEST_PASS, "low", NULL));
	assert_int_equal(put(fx, &a, "batch-0002", &p, 1, T0 + 201, &r),
	    STORE_OK);
	assert_int_equal(r.opened, 0);
	assert_int_equal(r.resolved, 0);
	f = finding(fx, "host-1", "ssh-root-login");
	assert_int_equal(f->first_seen, T0 + 100);
	assert_int_equal(f->last_seen, T0 + 200);
	f = finding(fx, "host-1", "usb-storage");
	assert_string_equal(f->status, "error");
	assert_string_equal(f->evidence, "sdb?");
	assert_int_equal(f->first_seen, T0 + 100);

	/* fixed: resolved; usb-storage missing from the report: resolved */
	rep_init(&p, "report-0003", T0 + 300, "host-1", "may-1", 100);
	rep_add(&p, F("ssh-root-login", INGEST_PASS, "high", "no"));
	rep_add(&p, F("screen-lock", INGEST_NA, "low", NULL));
	assert_int_equal(put(fx, &a, "batch-0003", &p, 1, T0 + 301, &r),
	    STORE_OK);
	assert_int_equal(r.opened, 0);
	assert_int_equal(r.resolved, 2);
	f = finding(fx, "host-1", "ssh-root-login");
	assert_string_equal(f->status, "pass");
	assert_int_equal(f->resolved, T0 + 300);
	assert_int_equal(f->first_seen, T0 + 100);
	f = finding(fx, "host-1", "usb-storage");
	assert_int_equal(f->resolved, T0 + 300);
	assert_int_equal(f->last_seen, T0 + 200);
	findings(fx, "host-1", NULL, NULL, false, &set);
	assert_int_equal(set.n, 0);
	assert_int_equal(stats(fx->st).findings_open, 0);

	/* failing again: a new episode */
	rep_init(&p, "report-0004", T0 + 400, "host-1", "may-1", 40);
	rep_add(&p, F("ssh-root-login", INGEST_FAIL, "high", "yes"));
	assert_int_equal(put(fx, &a, "batch-0004", &p, 1, T0 + 401, &r),
	    STORE_OK);
	assert_int_equal(r.opened, 1);
	f = finding(fx, "host-1", "ssh-root-login");
	assert_int_equal(f->first_seen, T0 + 400);
	assert_int_equal(f->resolved, 0);
	findings(fx, NULL, NULL, "fail", false, &set);
	assert_int_equal(set.n, 1);
	findings(fx, NULL, NULL, "pass", false, &set);
	assert_int_equal(set.n, 0);
	findings(fx, NULL, "usb-storage", NULL, true, &set);
	assert_int_equal(set.n, 1);
	/* screen-lock is gone from this report: last seen in the one before */
	f = finding(fx, "host-1", "screen-lock");
	assert_string_equal(f->status, "na");
	assert_int_equal(f->last_seen, T0 + 300);
	assert_int_equal(f->resolved, T0 + 100);
	assert_int_equal(finding(fx, "host-1", "ssh-root-login")->last_seen,
	    T0 + 400);
	assert_int_equal(stats(fx->st).findings_open, 1);
	assert_int_equal(stats(fx->st).findings_open_high, 1);
}

static void
test_older_report(void **state)
{
	struct fx *fx = *state;
	struct store_agent a;
	struct store_batch_result r;
	struct hset hs;
	struct rep p[2];

	enrol(fx, &a, "agent1", "host-1", "may-1");
	rep_init(&p[0], "report-new", T0 + 500, "host-1", "may-1", 90);
	rep_add(&p[0], F("ssh-root-login", INGEST_PASS, "high", "no"));
	rep_init(&p[1], "report-old", T0 + 100, "host-1", "may-old", 10);
	rep_add(&p[1], F("ssh-root-login", INGEST_FAIL, "high", "yes"));
	rep_add(&p[1], F("usb-storage", INGEST_FAIL, "critical", "sdb"));
	/* the newer one first in the same batch, the older one after */
	assert_int_equal(put(fx, &a, "batch-0001", p, 2, T0 + 600, &r),
	    STORE_OK);
	assert_int_equal(r.reports, 2);
	assert_int_equal(r.opened, 0);
	hosts(fx->st, NULL, "host-1", &hs);
	assert_int_equal(hs.n, 1);
	assert_int_equal(hs.rows[0].score, 90);
	assert_string_equal(hs.rows[0].hostname, "may-1");
	assert_int_equal(hs.rows[0].last_seen, T0 + 600);
	assert_string_equal(finding(fx, "host-1", "ssh-root-login")->status,
	    "pass");
	assert_int_equal(stats(fx->st).findings_open, 0);
	assert_int_equal(stats(fx->st).reports, 2);
	/* an older report in a later batch: history only too */
	rep_init(&p[1], "report-older", T0 + 50, "host-1", "may-old", 5);
	rep_add(&p[1], F("ssh-root-login", INGEST_FAIL, "high", "yes"));
	assert_int_equal(put(fx, &a, "batch-0002", &p[1], 1, T0 + 700, &r),
	    STORE_OK);
	assert_int_equal(r.reports, 1);
	assert_string_equal(finding(fx, "host-1", "ssh-root-login")->status,
	    "pass");
	hosts(fx->st, NULL, "host-1", &hs);
	assert_int_equal(hs.rows[0].score, 90);
}

struct scores {
	int n;
	double last;
	int64_t times[8];
};

static int
score_cb(const struct store_score *s, void *arg)
{
	struct scores *sc = arg;

	if (sc->n < 8)
		sc->times[sc->n] = s->time;
	sc->n++;
	sc->last = s->score;
	return 0;
}

static void
test_scores(void **state)
{
	struct fx *fx = *state;
	struct store_agent a, b;
	struct store_batch_result r;
	struct scores sc;
	struct rep p;

	enrol(fx, &a, "agent1", "host-1", "may-1");
	enrol(fx, &b, "agent2", "host-2", "may-2");
	rep_init(&p, "report-0001", T0 + 10, "host-1", "may-1", 60);
	assert_int_equal(put(fx, &a, "batch-0001", &p, 1, T0 + 11, &r),
	    STORE_OK);
	rep_init(&p, "report-0002", T0 + 20, "host-1", "may-1", 80);
	assert_int_equal(put(fx, &a, "batch-0002", &p, 1, T0 + 21, &r),
	    STORE_OK);
	rep_init(&p, "report-0003", T0 + 30, "host-2", "may-2", 40);
	assert_int_equal(put(fx, &b, "batch-0001", &p, 1, T0 + 31, &r),
	    STORE_OK);
	memset(&sc, 0, sizeof(sc));
	assert_int_equal(store_scores(fx->st, "host", "host-1", 0, score_cb,
	    &sc, fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(sc.n, 2);
	assert_int_equal(sc.times[0], T0 + 10);
	assert_true(sc.last == 80.0);
	assert_int_equal(store_scores_snapshot(fx->st, T0 + 40, fx->err,
	    sizeof(fx->err)), STORE_OK);
	/* twice the same day: one row per day */
	assert_int_equal(store_scores_snapshot(fx->st, T0 + 50, fx->err,
	    sizeof(fx->err)), STORE_OK);
	memset(&sc, 0, sizeof(sc));
	assert_int_equal(store_scores(fx->st, "unit", "Phòng Kế toán", 0,
	    score_cb, &sc, fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(sc.n, 1);
	assert_true(sc.last == 60.0);
	assert_int_equal(sc.times[0] % 86400, 0);
	memset(&sc, 0, sizeof(sc));
	assert_int_equal(store_scores(fx->st, "ward", NULL, 0, score_cb, &sc,
	    fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(sc.n, 1);
	assert_true(sc.last == 60.0);
	assert_int_equal(store_scores(fx->st, "planet", NULL, 0, score_cb, &sc,
	    fx->err, sizeof(fx->err)), STORE_ERR);
}

struct hist {
	int n;
	char section[8][32];
	char value[8][128];
};

static int
hist_cb(const struct store_fact_change *c, void *arg)
{
	struct hist *h = arg;

	if (h->n < 8) {
		COPY(h->section[h->n], c->section);
		COPY(h->value[h->n], c->value);
	}
	h->n++;
	return 0;
}

static void
test_facts(void **state)
{
	struct fx *fx = *state;
	struct store_agent a;
	struct store_batch_result r;
	struct hist h;
	struct rep p;
	json_t *got, *want;
	char *text;

	enrol(fx, &a, "agent1", "host-1", "may-1");
	rep_init(&p, "report-0001", T0 + 10, "host-1", "may-1", 60);
	p.facts = json_loads("{\"schema\": 1, \"os\": {\"id\": \"debian\","
	    " \"version_id\": \"12\"}, \"ssh\": {\"permit_root_login\":"
	    " \"yes\", \"ports\": [22]}}", 0, NULL);
	assert_non_null(p.facts);
	assert_int_equal(put(fx, &a, "batch-0001", &p, 1, T0 + 11, &r),
	    STORE_OK);
	assert_int_equal(r.fact_changes, 3);
	rep_free(&p);

	/* the same facts in another member order: no change */
	rep_init(&p, "report-0002", T0 + 20, "host-1", "may-1", 60);
	p.facts = json_loads("{\"ssh\": {\"ports\": [22],"
	    " \"permit_root_login\": \"yes\"}, \"os\": {\"version_id\": \"12\","
	    " \"id\": \"debian\"}, \"schema\": 1}", 0, NULL);
	assert_int_equal(put(fx, &a, "batch-0002", &p, 1, T0 + 21, &r),
	    STORE_OK);
	assert_int_equal(r.fact_changes, 0);
	rep_free(&p);

	/* a report without facts (dropped by the agent's queue): nothing */
	rep_init(&p, "report-0003", T0 + 30, "host-1", "may-1", 60);
	assert_int_equal(put(fx, &a, "batch-0003", &p, 1, T0 + 31, &r),
	    STORE_OK);
	assert_int_equal(r.fact_changes, 0);

	/* ssh changed, os gone */
	rep_init(&p, "report-0004", T0 + 40, "host-1", "may-1", 60);
	p.facts = json_loads("{\"schema\": 1, \"ssh\": {\"permit_root_login\":"
	    " \"no\", \"ports\": [22]}}", 0, NULL);
	assert_int_equal(put(fx, &a, "batch-0004", &p, 1, T0 + 41, &r),
	    STORE_OK);
	assert_int_equal(r.fact_changes, 2);
	rep_free(&p);

	assert_int_equal(store_host_facts(fx->st, "host-1", &text, fx->err,
	    sizeof(fx->err)), STORE_OK);
	got = json_loads(text, 0, NULL);
	want = json_loads("{\"schema\": 1, \"ssh\": {\"permit_root_login\":"
	    " \"no\", \"ports\": [22]}}", 0, NULL);
	assert_non_null(got);
	assert_true(json_equal(got, want));
	json_decref(got);
	json_decref(want);
	free(text);

	memset(&h, 0, sizeof(h));
	assert_int_equal(store_fact_history(fx->st, "host-1", 0, hist_cb, &h,
	    fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(h.n, 5);
	/* newest first: the two changes of T0 + 40 (os removed, ssh) */
	assert_true((strcmp(h.section[0], "os") == 0 &&
	    strcmp(h.value[0], "null") == 0) ||
	    (strcmp(h.section[1], "os") == 0 &&
	    strcmp(h.value[1], "null") == 0));
	memset(&h, 0, sizeof(h));
	assert_int_equal(store_fact_history(fx->st, "host-1", 1, hist_cb, &h,
	    fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(h.n, 1);
	assert_int_equal(store_host_facts(fx->st, "no-such-host", &text,
	    fx->err, sizeof(fx->err)), STORE_ENOTFOUND);
	assert_null(text);
}

static void
test_catalogue(void **state)
{
	struct fx *fx = *state;
	struct store_agent a;
	struct store_batch_result r;
	struct rep p;
	struct ingest_finding f;

	enrol(fx, &a, "agent1", "host-1", "may-1");
	rep_init(&p, "report-0001", T0 + 10, "host-1", "may-1", 60);
	rep_add(&p, F("ssh-root-login", INGEST_FAIL, "high", "yes"));
	/* the same check twice in one report: the first counts */
	rep_add(&p, F("ssh-root-login", INGEST_PASS, "high", "no"));
	assert_int_equal(put(fx, &a, "batch-0001", &p, 1, T0 + 11, &r),
	    STORE_OK);
	assert_int_equal(r.opened, 1);
	assert_string_equal(finding(fx, "host-1", "ssh-root-login")->evidence,
	    "yes");
	assert_string_equal(finding(fx, "host-1", "ssh-root-login")->title_en,
	    "Title");

	/* a new title replaces the old; an absent one keeps it */
	rep_init(&p, "report-0002", T0 + 20, "host-1", "may-1", 60);
	f = F("ssh-root-login", INGEST_FAIL, "high", "yes");
	f.title_en = "Root may log in over SSH";
	rep_add(&p, f);
	assert_int_equal(put(fx, &a, "batch-0002", &p, 1, T0 + 21, &r),
	    STORE_OK);
	assert_string_equal(finding(fx, "host-1", "ssh-root-login")->title_en,
	    "Root may log in over SSH");
	rep_init(&p, "report-0003", T0 + 30, "host-1", "may-1", 60);
	f.title_en = NULL;
	rep_add(&p, f);
	assert_int_equal(put(fx, &a, "batch-0003", &p, 1, T0 + 31, &r),
	    STORE_OK);
	assert_string_equal(finding(fx, "host-1", "ssh-root-login")->title_en,
	    "Root may log in over SSH");
}

static void
test_refused_batches(void **state)
{
	struct fx *fx = *state;
	struct store_agent a, b;
	struct store_batch_result r;
	struct store_stats s0;
	struct rep p[2];

	enrol(fx, &a, "agent1", "host-1", "may-1");
	enrol(fx, &b, "agent2", "host-2", "may-2");
	s0 = stats(fx->st);
	/* a report about another host: the whole batch is refused */
	rep_init(&p[0], "report-0001", T0 + 10, "host-1", "may-1", 60);
	rep_add(&p[0], F("ssh-root-login", INGEST_FAIL, "high", "yes"));
	rep_init(&p[1], "report-0002", T0 + 10, "host-2", "may-2", 60);
	assert_int_equal(put(fx, &a, "batch-0001", p, 2, T0 + 11, &r),
	    STORE_ERR);
	assert_non_null(strstr(fx->err, "reports[1].host.id"));
	assert_int_equal(r.reports, 0);
	assert_int_equal(stats(fx->st).batches, s0.batches);
	assert_int_equal(stats(fx->st).reports, s0.reports);
	/* the same batch id is not "seen": it may be sent again, fixed */
	assert_int_equal(put(fx, &a, "batch-0001", p, 1, T0 + 12, &r),
	    STORE_OK);
	assert_false(r.duplicate);
	assert_int_equal(r.reports, 1);
	/* an unknown or revoked agent */
	memcpy(&b, &a, sizeof(b));
	snprintf(b.id, sizeof(b.id), "nobody");
	assert_int_equal(put(fx, &b, "batch-0002", p, 1, T0 + 13, &r),
	    STORE_ENOTFOUND);
	assert_int_equal(store_agent_revoke(fx->st, a.id, T0 + 14, "test",
	    fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(put(fx, &a, "batch-0003", p, 1, T0 + 15, &r),
	    STORE_EREVOKED);
	/* an invalid batch id */
	assert_int_equal(put(fx, &b, "x'; --", p, 1, T0 + 13, &r), STORE_ERR);
	/* a finding without a check id or with a status out of range */
	enrol(fx, &b, "agent3", "host-3", "may-3");
	rep_init(&p[0], "report-0009", T0 + 10, "host-3", "may-3", 60);
	rep_add(&p[0], F("ok-check", INGEST_PASS, "low", NULL));
	rep_add(&p[0], F(NULL, INGEST_FAIL, "high", "x"));
	assert_int_equal(put(fx, &b, "batch-0009", p, 1, T0 + 16, &r),
	    STORE_ERR);
	assert_non_null(strstr(fx->err, "reports[0].findings[1]"));
	p[0].f[1].check = "bad-status";
	p[0].f[1].status = (enum ingest_status)42;
	assert_int_equal(put(fx, &b, "batch-0009", p, 1, T0 + 16, &r),
	    STORE_ERR);
	assert_int_equal(stats(fx->st).findings_open, 1);
}

struct evs {
	int n;
	char kinds[16][32];
	char detail[16][256];
};

static int
ev_cb(const struct store_event_row *e, void *arg)
{
	struct evs *v = arg;

	if (v->n < 16) {
		COPY(v->kinds[v->n], e->kind);
		snprintf(v->detail[v->n], sizeof(v->detail[v->n]), "%s",
		    e->detail ? e->detail : "");
	}
	v->n++;
	return 0;
}

static void
test_events(void **state)
{
	struct fx *fx = *state;
	struct store_agent a;
	struct store_batch_result r;
	struct rep p;
	struct evs v;
	json_t *d;

	enrol(fx, &a, "agent1", "host-1", "may-1");
	rep_init(&p, "report-0001", T0 + 10, "host-1", "may-1", 60);
	rep_add(&p, F("ssh-root-login", INGEST_FAIL, "high", "yes"));
	assert_int_equal(put(fx, &a, "batch-0001", &p, 1, T0 + 11, &r),
	    STORE_OK);
	assert_int_equal(store_event(fx->st, T0 + 12, "batch.refused", "agent1",
	    NULL, "{\"why\": \"rate\"}", fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(store_event(fx->st, T0, "bad kind!", NULL, NULL, NULL,
	    fx->err, sizeof(fx->err)), STORE_ERR);
	memset(&v, 0, sizeof(v));
	assert_int_equal(store_events(fx->st, 0, 0, ev_cb, &v, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(v.n, 3);
	assert_string_equal(v.kinds[0], "agent.enrolled");
	assert_string_equal(v.kinds[1], "batch.stored");
	assert_string_equal(v.kinds[2], "batch.refused");
	d = json_loads(v.detail[1], 0, NULL);
	assert_non_null(d);
	assert_string_equal(json_string_value(json_object_get(d, "batch")),
	    "batch-0001");
	assert_int_equal(json_integer_value(json_object_get(d, "opened")), 1);
	assert_int_equal(json_integer_value(json_object_get(d, "reports")), 1);
	json_decref(d);
	memset(&v, 0, sizeof(v));
	assert_int_equal(store_events(fx->st, 2, 1, ev_cb, &v, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.kinds[0], "batch.refused");
	assert_int_equal(stats(fx->st).events, 3);
}

static void
test_metacharacters(void **state)
{
	static const char *const nasty =
	    "may'; DROP TABLE hosts; -- 100% _x_ \"q\"";
	struct fx *fx = *state;
	struct store_agent a, b;
	struct store_batch_result r;
	struct fset set;
	struct hset hs;
	struct rep p;
	int64_t uid;

	enrol(fx, &a, "agent1", "host-1", nasty);
	enrol(fx, &b, "agent2", "host-2", "may-2");
	rep_init(&p, "report-0001", T0 + 10, "host-1", nasty, 60);
	rep_add(&p, F("ssh-root-login", INGEST_FAIL, "high",
	    "x = 'y'; -- 50% of _ \\ \"z\"\n\t"));
	assert_int_equal(put(fx, &a, "batch-0001", &p, 1, T0 + 11, &r),
	    STORE_OK);
	rep_init(&p, "report-0002", T0 + 10, "host-2", "may-2", 60);
	rep_add(&p, F("ssh-root-login", INGEST_FAIL, "high", "plain"));
	assert_int_equal(put(fx, &b, "batch-0001", &p, 1, T0 + 11, &r),
	    STORE_OK);

	hosts(fx->st, NULL, NULL, &hs);
	assert_int_equal(hs.n, 2);
	hosts(fx->st, NULL, nasty, &hs);
	assert_int_equal(hs.n, 1);
	assert_string_equal(hs.rows[0].hostname, nasty);
	/* wildcards and quotes match themselves only */
	hosts(fx->st, NULL, "%", &hs);
	assert_int_equal(hs.n, 0);
	hosts(fx->st, NULL, "may-_", &hs);
	assert_int_equal(hs.n, 0);
	hosts(fx->st, NULL, "' OR '1'='1", &hs);
	assert_int_equal(hs.n, 0);
	hosts(fx->st, "%", NULL, &hs);
	assert_int_equal(hs.n, 0);
	findings(fx, nasty, NULL, NULL, false, &set);
	assert_int_equal(set.n, 1);
	assert_string_equal(set.rows[0].evidence,
	    "x = 'y'; -- 50% of _ \\ \"z\"\n\t");
	assert_string_equal(set.rows[0].hostname, nasty);
	findings(fx, "%", NULL, NULL, true, &set);
	assert_int_equal(set.n, 0);
	findings(fx, NULL, "ssh-%", NULL, true, &set);
	assert_int_equal(set.n, 0);
	findings(fx, NULL, "ssh-root-login' OR 1=1 --", NULL, true, &set);
	assert_int_equal(set.n, 0);
	findings(fx, NULL, NULL, "fail' OR '1'='1", true, &set);
	assert_int_equal(set.n, 0);
	findings(fx, NULL, NULL, NULL, false, &set);
	assert_int_equal(set.n, 2);
	/* a unit name with quotes and wildcards */
	assert_int_equal(store_unit_ensure(fx->st, "Ban 'A'; --%_", &uid,
	    fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(store_unit_find(fx->st, "Ban 'A'; --%_", &uid,
	    fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(store_unit_find(fx->st, "Ban%", &uid, fx->err,
	    sizeof(fx->err)), STORE_ENOTFOUND);
	assert_int_equal(store_unit_ensure(fx->st, "bad\nname", &uid, fx->err,
	    sizeof(fx->err)), STORE_ERR);
	assert_int_equal(stats(fx->st).hosts, 2);
	assert_int_equal(stats(fx->st).units, 2);
}

static void
test_filters(void **state)
{
	struct fx *fx = *state;
	struct store_agent a, b;
	struct store_batch_result r;
	struct fset set;
	struct hset hs;
	struct rep p;
	char hash[65];
	int64_t other, tid;

	enrol(fx, &a, "agent1", "host-1", "may-ketoan-01");
	assert_int_equal(store_unit_ensure(fx->st, "Công an phường", &other,
	    fx->err, sizeof(fx->err)), STORE_OK);
	token_hash(++fx->ntokens, hash);
	assert_int_equal(store_token_add(fx->st, hash, other, T0, 0, 1, NULL,
	    &tid, fx->err, sizeof(fx->err)), STORE_OK);
	agent_init(&b, "agent2", "host-2", "may-congan-01");
	assert_int_equal(store_enrol(fx->st, hash, T0, &b, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_string_equal(b.unit, "Công an phường");
	rep_init(&p, "report-0001", T0 + 10, "host-1", "may-ketoan-01", 60);
	rep_add(&p, F("ssh-root-login", INGEST_FAIL, "high", "yes"));
	assert_int_equal(put(fx, &a, "batch-0001", &p, 1, T0 + 11, &r),
	    STORE_OK);
	rep_init(&p, "report-0002", T0 + 10, "host-2", "may-congan-01", 60);
	rep_add(&p, F("ssh-root-login", INGEST_FAIL, "high", "yes"));
	rep_add(&p, F("usb-storage", INGEST_FAIL, "critical", "sdb"));
	assert_int_equal(put(fx, &b, "batch-0001", &p, 1, T0 + 11, &r),
	    STORE_OK);

	hosts(fx->st, NULL, NULL, &hs);
	assert_int_equal(hs.n, 2);
	/* ordered by unit name */
	assert_string_equal(hs.rows[0].unit, "Công an phường");
	hosts(fx->st, "Phòng Kế toán", NULL, &hs);
	assert_int_equal(hs.n, 1);
	assert_string_equal(hs.rows[0].id, "host-1");
	hosts(fx->st, NULL, "host-2", &hs);
	assert_int_equal(hs.n, 1);
	assert_string_equal(hs.rows[0].hostname, "may-congan-01");
	hosts(fx->st, NULL, "may-ketoan-01", &hs);
	assert_int_equal(hs.n, 1);
	assert_string_equal(hs.rows[0].id, "host-1");
	hosts(fx->st, "Phòng Kế toán", "host-2", &hs);
	assert_int_equal(hs.n, 0);

	findings(fx, "may-congan-01", NULL, NULL, false, &set);
	assert_int_equal(set.n, 2);
	findings(fx, "host-2", "usb-storage", NULL, false, &set);
	assert_int_equal(set.n, 1);
	memset(&set, 0, sizeof(set));
	{
		struct store_finding_filter f = { 0 };

		f.unit = "Công an phường";
		f.limit = 1;
		assert_int_equal(store_findings(fx->st, &f, frow_cb, &set,
		    fx->err, sizeof(fx->err)), STORE_OK);
		assert_int_equal(set.n, 1);
		assert_string_equal(set.rows[0].check, "usb-storage");
	}
	findings(fx, NULL, "ssh-root-login", "fail", false, &set);
	assert_int_equal(set.n, 2);
}

/* A writer storing batches while a read-only handle reads. */

struct writer {
	struct fx *fx;
	struct store_agent a;
	int stored;
	int failed;
};

static void *
writer_main(void *arg)
{
	struct writer *w = arg;
	struct store_batch_result r;
	struct rep p;
	char bid[32], rid[32];
	int i;

	for (i = 0; i < 40; i++) {
		snprintf(bid, sizeof(bid), "batch-%04d", i);
		snprintf(rid, sizeof(rid), "report-%04d", i);
		rep_init(&p, rid, T0 + 10 * i, "host-1", "may-1", i % 100);
		rep_add(&p, F("ssh-root-login", i % 2 ? INGEST_FAIL :
		    INGEST_PASS, "high", "yes"));
		rep_add(&p, F("usb-storage", INGEST_FAIL, "critical", "sdb"));
		if (put(w->fx, &w->a, bid, &p, 1, T0 + 10 * i + 1, &r) ==
		    STORE_OK && r.reports == 1)
			w->stored++;
		else
			w->failed++;
	}
	return NULL;
}

static int
count_cb(const struct store_finding *row, void *arg)
{
	(void)row;
	(*(int *)arg)++;
	return 0;
}

static void
test_reader_writer(void **state)
{
	struct fx *fx = *state;
	struct writer w;
	struct store *ro;
	struct store_stats s;
	struct hset hs;
	pthread_t t;
	int64_t last = 0, uid;
	int i, n;
	sqlite3 *db;
	char err[512];

	memset(&w, 0, sizeof(w));
	w.fx = fx;
	enrol(fx, &w.a, "agent1", "host-1", "may-1");
	assert_int_equal(store_open(fx->path, STORE_READONLY, &ro, err,
	    sizeof(err)), STORE_OK);
	assert_int_equal(pthread_create(&t, NULL, writer_main, &w), 0);
	for (i = 0; i < 200; i++) {
		s = stats(ro);
		/* a reader sees whole batches, never half of one */
		assert_true(s.reports >= last);
		assert_int_equal(s.reports, s.batches);
		last = s.reports;
		hosts(ro, NULL, NULL, &hs);
		assert_int_equal(hs.n, 1);
		n = 0;
		assert_int_equal(store_findings(ro, NULL, count_cb, &n, err,
		    sizeof(err)), STORE_OK);
		assert_true(n >= 0 && n <= 2);
	}
	pthread_join(t, NULL);
	assert_int_equal(w.stored, 40);
	assert_int_equal(w.failed, 0);
	assert_int_equal(stats(ro).reports, 40);

	/* another process holds the write lock: reading goes on */
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE; INSERT INTO"
	    " units(name) VALUES ('Ban tạm')", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(stats(ro).units, 1);
	hosts(ro, NULL, NULL, &hs);
	assert_int_equal(hs.n, 1);
	assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);

	/* a reader alone, the writer closed (no -wal, no -shm left) */
	store_close(ro);
	store_close(fx->st);
	fx->st = NULL;
	assert_int_equal(store_open(fx->path, STORE_READONLY, &ro, err,
	    sizeof(err)), STORE_OK);
	assert_int_equal(stats(ro).reports, 40);
	assert_int_equal(store_open(fx->path, 0, &fx->st, err, sizeof(err)),
	    STORE_OK);

	/* the read-only handle writes nothing */
	assert_int_equal(store_unit_ensure(ro, "Ban mới", &uid, err,
	    sizeof(err)), STORE_ERR);
	assert_non_null(strstr(err, "read-only"));
	assert_int_equal(store_event(ro, T0, "x.y", NULL, NULL, NULL, err,
	    sizeof(err)), STORE_ERR);
	store_close(ro);
}

static void
test_disk_full(void **state)
{
	struct fx *fx = *state;
	struct store_agent a;
	struct store_batch_result r;
	struct store_stats s0, s1;
	struct rep p;
	char *big, *ok;
	size_t i;
	int rc;

	enrol(fx, &a, "agent1", "host-1", "may-1");
	rep_init(&p, "report-0001", T0 + 10, "host-1", "may-1", 60);
	rep_add(&p, F("ssh-root-login", INGEST_FAIL, "high", "yes"));
	assert_int_equal(put(fx, &a, "batch-0001", &p, 1, T0 + 11, &r),
	    STORE_OK);
	s0 = stats(fx->st);

	/* a batch larger than the room left */
	big = malloc(60000);
	assert_non_null(big);
	memset(big, 'x', 59999);
	big[59999] = '\0';
	rep_init(&p, "report-0002", T0 + 20, "host-1", "may-1", 30);
	for (i = 0; i < MAXF; i++) {
		static const char *const ids[MAXF] = { "c1", "c2", "c3", "c4",
		    "c5", "c6", "c7", "c8" };

		rep_add(&p, F(ids[i], INGEST_FAIL, "high", big));
	}
	p.facts = json_pack("{s:s}", "blob", big);
	assert_int_equal(store_set_max_size(fx->st, s0.db_bytes + 65536),
	    STORE_OK);
	rc = put(fx, &a, "batch-0002", &p, 1, T0 + 21, &r);
	assert_int_equal(rc, STORE_EFULL);
	assert_non_null(strstr(fx->err, "đĩa đầy"));
	assert_non_null(strstr(fx->err, "disk full"));
	assert_non_null(strstr(fx->err, fx->path));
	assert_int_equal(r.reports, 0);

	/* nothing of it is there; the file is sound; the handle works */
	s1 = stats(fx->st);
	assert_int_equal(s1.batches, s0.batches);
	assert_int_equal(s1.reports, s0.reports);
	assert_int_equal(s1.findings_open, s0.findings_open);
	ok = raw1(fx->path, "PRAGMA integrity_check");
	assert_string_equal(ok, "ok");
	free(ok);
	ok = raw1(fx->path, "PRAGMA foreign_key_check");
	assert_null(ok);
	assert_string_equal(finding(fx, "host-1", "ssh-root-login")->status,
	    "fail");

	/* room again: the same batch is stored, not taken for a duplicate */
	assert_int_equal(store_set_max_size(fx->st, 0), STORE_OK);
	assert_int_equal(put(fx, &a, "batch-0002", &p, 1, T0 + 31, &r),
	    STORE_OK);
	assert_false(r.duplicate);
	assert_int_equal(r.reports, 1);
	assert_int_equal(r.opened, 8);
	/* ssh-root-login is not in this report: resolved */
	assert_int_equal(r.resolved, 1);
	assert_int_equal(stats(fx->st).findings_open, 8);
	ok = raw1(fx->path, "PRAGMA integrity_check");
	assert_string_equal(ok, "ok");
	free(ok);
	rep_free(&p);
	free(big);
}

static int
stop_cb(const struct store_host *h, void *arg)
{
	(void)h;
	(*(int *)arg)++;
	return 7;
}

static void
test_stats(void **state)
{
	struct fx *fx = *state;
	struct store_agent a, b;
	struct store_batch_result r;
	struct store_stats s;
	struct rep p;
	int64_t n, uid;
	int calls = 0;

	s = stats(fx->st);
	assert_int_equal(s.units, 1);
	assert_int_equal(s.hosts, 0);
	assert_int_equal(s.batches, 0);
	assert_true(s.db_bytes > 0);
	enrol(fx, &a, "agent1", "host-1", "may-1");
	enrol(fx, &b, "agent2", "host-2", "may-2");
	rep_init(&p, "report-0001", T0 + 10, "host-1", "may-1", 60);
	rep_add(&p, F("ssh-root-login", INGEST_FAIL, "high", "yes"));
	rep_add(&p, F("usb-storage", INGEST_FAIL, "critical", "sdb"));
	rep_add(&p, F("screen-lock", INGEST_FAIL, "low", "600"));
	assert_int_equal(put(fx, &a, "batch-0001", &p, 1, T0 + 11, &r),
	    STORE_OK);
	rep_init(&p, "report-0002", T0 + 20, "host-1", "may-1", 60);
	assert_int_equal(put(fx, &a, "batch-0002", &p, 1, T0 + 21, &r),
	    STORE_OK);
	assert_int_equal(r.resolved, 3);
	rep_init(&p, "report-0003", T0 + 20, "host-2", "may-2", 60);
	rep_add(&p, F("usb-storage", INGEST_FAIL, "critical", "sdb"));
	assert_int_equal(put(fx, &b, "batch-0001", &p, 1, T0 + 21, &r),
	    STORE_OK);
	assert_int_equal(store_agent_revoke(fx->st, "agent1", T0 + 30, NULL,
	    fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(store_user_add(fx->st, "canbo", "Nguyễn Văn A",
	    "supervisor", 0, "$argon2id$v=19$m=65536,t=2,p=1$x$y", T0, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(store_user_add(fx->st, "canbo", "Nguyễn Văn B",
	    "viewer", fx->unit, "$argon2id$x", T0, fx->err, sizeof(fx->err)),
	    STORE_EEXISTS);
	assert_int_equal(store_user_add(fx->st, "x", "X", "god", 0, "h", T0,
	    fx->err, sizeof(fx->err)), STORE_ERR);
	assert_int_equal(store_user_count(fx->st, &n, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_unit_ensure(fx->st, "Phòng Kế toán", &uid,
	    fx->err, sizeof(fx->err)), STORE_OK);

	s = stats(fx->st);
	assert_int_equal(s.units, 1);
	assert_int_equal(s.hosts, 2);
	assert_int_equal(s.agents, 2);
	assert_int_equal(s.agents_revoked, 1);
	assert_int_equal(s.findings_open, 1);
	assert_int_equal(s.findings_open_critical, 1);
	assert_int_equal(s.findings_open_high, 0);
	assert_int_equal(s.batches, 3);
	assert_int_equal(s.reports, 3);
	/* 2 enrolments, 3 batches, 1 revocation */
	assert_int_equal(s.events, 6);

	/* a callback stops the walk with its value */
	assert_int_equal(store_hosts(fx->st, NULL, stop_cb, &calls, fx->err,
	    sizeof(fx->err)), 7);
	assert_int_equal(calls, 1);
}

/* Group commit: callers arriving while a group is stored wait in the
 * queue, and the next leader stores them in one transaction. The test
 * holds the store's lock so that the group is known: the first caller
 * leads alone and waits for the lock; the others queue behind it, in the
 * order they are started, and form the next group. */
struct caller {
	struct fx *fx;
	const struct store_agent *a;
	const char *batch_id;
	struct rep p[2];
	size_t n;
	int64_t now;
	struct store_batch_result r;
	int ret;
	char err[512];
	pthread_t t;
};

static void *
caller_main(void *arg)
{
	struct caller *c = arg;
	struct ingest_report rr[2];
	struct ingest_batch b;
	size_t i;

	for (i = 0; i < c->n; i++) {
		rr[i] = c->p[i].r;
		rr[i].findings = c->p[i].f;
		rr[i].facts = c->p[i].facts;
	}
	memset(&b, 0, sizeof(b));
	b.batch_id = c->batch_id;
	b.nreports = c->n;
	b.reports = rr;
	c->ret = store_batch(c->fx->st, c->a, &b, c->now, &c->r, c->err,
	    sizeof(c->err));
	return NULL;
}

/* Waits until a leader runs and n batches wait behind it. */
static void
queue_wait(struct store *st, size_t n)
{
	bool ok;

	for (;;) {
		pthread_mutex_lock(&st->queue_lock);
		ok = st->leader && st->nqueue == n;
		pthread_mutex_unlock(&st->queue_lock);
		if (ok)
			return;
		usleep(1000);
	}
}

static void
caller_start(struct caller *c, size_t queued)
{
	assert_int_equal(pthread_create(&c->t, NULL, caller_main, c), 0);
	queue_wait(c->fx->st, queued);
}

static void
test_group_commit(void **state)
{
	struct fx *fx = *state;
	struct store_agent a[5];
	struct caller c[7], *dup1, *dup2;
	struct store_stats s;
	struct evs ev;
	size_t i;

	enrol(fx, &a[0], "agent1", "host-1", "may-1");
	enrol(fx, &a[1], "agent2", "host-2", "may-2");
	enrol(fx, &a[2], "agent3", "host-3", "may-3");
	enrol(fx, &a[3], "agent4", "host-4", "may-4");
	enrol(fx, &a[4], "agent5", "host-5", "may-5");
	assert_int_equal(store_agent_revoke(fx->st, "agent5", T0 + 1, "test",
	    fx->err, sizeof(fx->err)), STORE_OK);
	memset(c, 0, sizeof(c));
	for (i = 0; i < 7; i++) {
		c[i].fx = fx;
		c[i].now = T0 + 100;
		c[i].n = 1;
	}
	/* 0: the leader of the first group, alone */
	c[0].a = &a[3];
	c[0].batch_id = "lead-0001";
	rep_init(&c[0].p[0], "report-4001", T0 + 90, "host-4", "may-4", 50);
	rep_add(&c[0].p[0], F("ssh-root-login", INGEST_FAIL, "high", "yes"));
	/* 1, 2: the same batch twice in one group */
	for (i = 1; i <= 2; i++) {
		c[i].a = &a[0];
		c[i].batch_id = "batch-0001";
		rep_init(&c[i].p[0], "report-1001", T0 + 90, "host-1",
		    "may-1", 40);
		rep_add(&c[i].p[0], F("usb-storage", INGEST_FAIL, "critical",
		    "sdb"));
	}
	/* 3: fails after writing its first report and a check's entry */
	c[3].a = &a[1];
	c[3].batch_id = "bad-0001";
	c[3].n = 2;
	rep_init(&c[3].p[0], "report-2001", T0 + 80, "host-2", "may-2", 10);
	rep_add(&c[3].p[0], F("only-here", INGEST_FAIL, "high", "from bad"));
	rep_add(&c[3].p[0], F("bad-only", INGEST_FAIL, "high", "x"));
	rep_init(&c[3].p[1], "report-2002", T0 + 81, "host-1", "may-1", 10);
	/* 4: the same agent, after the failure, with the same check */
	c[4].a = &a[1];
	c[4].batch_id = "batch-0002";
	rep_init(&c[4].p[0], "report-2003", T0 + 90, "host-2", "may-2", 70);
	rep_add(&c[4].p[0], F("only-here", INGEST_FAIL, "high", "from good"));
	/* 5: a revoked agent */
	c[5].a = &a[4];
	c[5].batch_id = "batch-0005";
	rep_init(&c[5].p[0], "report-5001", T0 + 90, "host-5", "may-5", 70);
	/* 6: an ordinary batch */
	c[6].a = &a[2];
	c[6].batch_id = "batch-0003";
	rep_init(&c[6].p[0], "report-3001", T0 + 90, "host-3", "may-3", 90);
	rep_add(&c[6].p[0], F("firewall-on", INGEST_PASS, "medium", NULL));

	pthread_mutex_lock(&fx->st->lock);
	caller_start(&c[0], 0);
	for (i = 1; i < 7; i++)
		caller_start(&c[i], i);
	pthread_mutex_unlock(&fx->st->lock);
	for (i = 0; i < 7; i++)
		pthread_join(c[i].t, NULL);

	assert_int_equal(c[0].ret, STORE_OK);
	assert_int_equal(c[0].r.reports, 1);
	/* one copy stored, the other a duplicate, both acknowledged */
	assert_int_equal(c[1].ret, STORE_OK);
	assert_int_equal(c[2].ret, STORE_OK);
	assert_true(c[1].r.duplicate != c[2].r.duplicate);
	dup1 = c[1].r.duplicate ? &c[2] : &c[1];
	dup2 = c[1].r.duplicate ? &c[1] : &c[2];
	assert_int_equal(dup1->r.reports, 1);
	assert_int_equal(dup1->r.opened, 1);
	assert_int_equal(dup2->r.reports, 0);
	/* the failing batch alone is undone, with its own error */
	assert_int_equal(c[3].ret, STORE_ERR);
	assert_non_null(strstr(c[3].err, "reports[1].host.id"));
	assert_int_equal(c[3].r.reports, 0);
	assert_int_equal(c[4].ret, STORE_OK);
	assert_int_equal(c[4].r.reports, 1);
	assert_int_equal(c[4].r.opened, 1);
	assert_int_equal(c[5].ret, STORE_EREVOKED);
	assert_non_null(strstr(c[5].err, "revoked"));
	assert_int_equal(c[6].ret, STORE_OK);
	assert_int_equal(c[6].r.reports, 1);

	s = stats(fx->st);
	assert_int_equal(s.batches, 4);
	assert_int_equal(s.reports, 4);
	/* the check's entry written by the undone batch was written again
	 * (the handle's cache forgot it): the finding joins its check */
	assert_string_equal(finding(fx, "host-2", "only-here")->evidence,
	    "from good");
	assert_string_equal(finding(fx, "host-2", "only-here")->title_en,
	    "Title");
	{
		struct fset none;

		findings(fx, "host-2", "bad-only", NULL, true, &none);
		assert_int_equal(none.n, 0);
	}
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(store_events(fx->st, 0, 16, ev_cb, &ev, fx->err,
	    sizeof(fx->err)), STORE_OK);
	/* 5 enrolments, 1 revocation, 4 batches stored */
	assert_int_equal(ev.n, 10);

	/* the refused batch may come again, fixed; the stored one is a
	 * duplicate now */
	c[3].n = 1;
	caller_main(&c[3]);
	assert_int_equal(c[3].ret, STORE_OK);
	assert_false(c[3].r.duplicate);
	caller_main(dup2);
	assert_int_equal(dup2->ret, STORE_OK);
	assert_true(dup2->r.duplicate);
	assert_int_equal(stats(fx->st).batches, 5);
}

/* A group in which one batch does not fit: it alone is refused as full,
 * or, when SQLite gives up the whole transaction, every batch of the
 * group fails with it; none is half stored, nothing acknowledged is
 * missing, and the file is sound. */
static void
test_group_full(void **state)
{
	struct fx *fx = *state;
	struct store_agent a[3];
	struct caller c[4];
	struct store_stats s0, s1;
	char *big, *ok;
	size_t i;
	int stored = 0;

	enrol(fx, &a[0], "agent1", "host-1", "may-1");
	enrol(fx, &a[1], "agent2", "host-2", "may-2");
	enrol(fx, &a[2], "agent3", "host-3", "may-3");
	big = malloc(200000);
	assert_non_null(big);
	memset(big, 'x', 199999);
	big[199999] = '\0';
	memset(c, 0, sizeof(c));
	for (i = 0; i < 4; i++) {
		c[i].fx = fx;
		c[i].now = T0 + 100;
		c[i].n = 1;
		c[i].a = &a[i % 3];
	}
	c[0].batch_id = "lead-0001";
	rep_init(&c[0].p[0], "report-0001", T0 + 90, "host-1", "may-1", 50);
	c[1].batch_id = "small-0001";
	rep_init(&c[1].p[0], "report-0002", T0 + 90, "host-2", "may-2", 50);
	rep_add(&c[1].p[0], F("ssh-root-login", INGEST_FAIL, "high", "yes"));
	c[2].batch_id = "big-0001";
	rep_init(&c[2].p[0], "report-0003", T0 + 90, "host-3", "may-3", 50);
	rep_add(&c[2].p[0], F("c1", INGEST_FAIL, "high", big));
	c[3].a = &a[0];
	c[3].batch_id = "small-0002";
	rep_init(&c[3].p[0], "report-0004", T0 + 95, "host-1", "may-1", 60);
	rep_add(&c[3].p[0], F("usb-storage", INGEST_FAIL, "critical", "sdb"));

	s0 = stats(fx->st);
	assert_int_equal(store_set_max_size(fx->st, s0.db_bytes + 65536),
	    STORE_OK);
	pthread_mutex_lock(&fx->st->lock);
	caller_start(&c[0], 0);
	for (i = 1; i < 4; i++)
		caller_start(&c[i], i);
	pthread_mutex_unlock(&fx->st->lock);
	for (i = 0; i < 4; i++)
		pthread_join(c[i].t, NULL);

	assert_int_equal(c[0].ret, STORE_OK);
	assert_int_equal(c[2].ret, STORE_EFULL);
	assert_non_null(strstr(c[2].err, "disk full"));
	assert_int_equal(c[2].r.reports, 0);
	for (i = 1; i < 4; i += 2) {
		if (c[i].ret == STORE_OK) {
			assert_int_equal(c[i].r.reports, 1);
			stored++;
		} else {
			assert_int_equal(c[i].ret, STORE_EFULL);
			assert_int_equal(c[i].r.reports, 0);
		}
	}
	s1 = stats(fx->st);
	assert_int_equal(s1.batches, s0.batches + 1 + stored);
	assert_int_equal(s1.reports, s0.reports + 1 + stored);
	ok = raw1(fx->path, "PRAGMA integrity_check");
	assert_string_equal(ok, "ok");
	free(ok);

	/* room again: the refused ones are stored, the others duplicates */
	assert_int_equal(store_set_max_size(fx->st, 0), STORE_OK);
	for (i = 1; i < 4; i++) {
		bool was = c[i].ret == STORE_OK;

		caller_main(&c[i]);
		assert_int_equal(c[i].ret, STORE_OK);
		assert_int_equal(c[i].r.duplicate, was);
	}
	assert_int_equal(stats(fx->st).reports, s0.reports + 4);
	free(big);
}

/* Many callers at once, each batch sent twice (an agent retrying): every
 * batch stored exactly once. */
struct storm {
	struct fx *fx;
	struct store_agent a;
	int stored, dups, failed;
	pthread_t t;
};

static void *
storm_main(void *arg)
{
	struct storm *w = arg;
	struct caller c;
	char bid[32], rid[32];
	int i, k;

	for (i = 0; i < 12; i++)
		for (k = 0; k < 2; k++) {
			memset(&c, 0, sizeof(c));
			c.fx = w->fx;
			c.a = &w->a;
			c.n = 1;
			c.now = T0 + 10 * i + 1;
			snprintf(bid, sizeof(bid), "batch-%04d", i);
			snprintf(rid, sizeof(rid), "report-%04d", i);
			c.batch_id = bid;
			rep_init(&c.p[0], rid, T0 + 10 * i, w->a.host_id,
			    w->a.hostname, i);
			rep_add(&c.p[0], F("ssh-root-login", i % 2 ?
			    INGEST_FAIL : INGEST_PASS, "high", "yes"));
			caller_main(&c);
			if (c.ret != STORE_OK)
				w->failed++;
			else if (c.r.duplicate)
				w->dups++;
			else if (c.r.reports == 1)
				w->stored++;
		}
	return NULL;
}

static void
test_group_storm(void **state)
{
	struct fx *fx = *state;
	struct storm w[8];
	char id[16], host[16];
	size_t i;

	memset(w, 0, sizeof(w));
	for (i = 0; i < 8; i++) {
		snprintf(id, sizeof(id), "agent%zu", i);
		snprintf(host, sizeof(host), "host-%zu", i);
		w[i].fx = fx;
		enrol(fx, &w[i].a, id, host, host);
	}
	for (i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&w[i].t, NULL, storm_main,
		    &w[i]), 0);
	for (i = 0; i < 8; i++) {
		pthread_join(w[i].t, NULL);
		assert_int_equal(w[i].failed, 0);
		assert_int_equal(w[i].stored, 12);
		assert_int_equal(w[i].dups, 12);
	}
	assert_int_equal(stats(fx->st).batches, 96);
	assert_int_equal(stats(fx->st).reports, 96);
	assert_int_equal(stats(fx->st).findings_open, 8);
	assert_int_equal(store_checkpoint(fx->st, fx->err, sizeof(fx->err)),
	    STORE_OK);
}

/* Fact values over STORE_PACK_MIN bytes are kept compressed and read
 * back as the same JSON; a damaged or inflating-too-far value is an
 * error naming the file, never a crash. */
static int
hist_first_cb(const struct store_fact_change *c, void *arg)
{
	char **v = arg;

	if (*v == NULL)
		*v = strdup(c->value);
	return 0;
}

static void
raw_exec(const char *path, const char *sql, const void *blob, int len)
{
	sqlite3 *db;
	sqlite3_stmt *s;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (blob != NULL)
		sqlite3_bind_blob(s, 1, blob, len, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void
test_facts_packed(void **state)
{
	struct fx *fx = *state;
	struct store_agent a;
	struct store_batch_result r;
	struct store *ro;
	struct rep p;
	json_t *pkgs, *got;
	char *text, *v, *hist = NULL, name[32];
	unsigned char bomb[512], trunc[16];
	uLongf blen = sizeof(bomb) - 4;
	static char zeros[100000];
	int i;

	enrol(fx, &a, "agent1", "host-1", "may-1");
	pkgs = json_array();
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "gói-%03d", i);
		json_array_append_new(pkgs, json_pack("{s:s, s:s}", "name",
		    name, "version", "1.2.3-4+deb12u1"));
	}
	rep_init(&p, "report-0001", T0 + 10, "host-1", "may-1", 60);
	p.facts = json_pack("{s:i, s:o, s:{s:s}}", "schema", 1, "packages",
	    pkgs, "os", "id", "debian");
	assert_int_equal(put(fx, &a, "batch-0001", &p, 1, T0 + 11, &r),
	    STORE_OK);
	assert_int_equal(r.fact_changes, 3);

	v = raw1(fx->path, "SELECT typeof(value) || ' ' || typeof(sha256)"
	    " FROM host_facts WHERE section = 'packages'");
	assert_string_equal(v, "blob text");
	free(v);
	v = raw1(fx->path, "SELECT typeof(value) FROM fact_history"
	    " WHERE section = 'packages'");
	assert_string_equal(v, "blob");
	free(v);
	v = raw1(fx->path, "SELECT typeof(value) FROM host_facts"
	    " WHERE section = 'os'");
	assert_string_equal(v, "text");
	free(v);
	v = raw1(fx->path, "SELECT length(value) < 2000 FROM host_facts"
	    " WHERE section = 'packages'");
	assert_string_equal(v, "1");
	free(v);

	/* read back whole, by this handle and by a reader */
	assert_int_equal(store_host_facts(fx->st, "host-1", &text, fx->err,
	    sizeof(fx->err)), STORE_OK);
	got = json_loads(text, 0, NULL);
	assert_non_null(got);
	assert_true(json_equal(got, p.facts));
	json_decref(got);
	free(text);
	assert_int_equal(store_open(fx->path, STORE_READONLY, &ro, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(store_fact_history(ro, "host-1", 0, hist_first_cb,
	    &hist, fx->err, sizeof(fx->err)), STORE_OK);
	store_close(ro);
	assert_non_null(hist);
	got = json_loads(hist, JSON_DECODE_ANY, NULL);
	assert_non_null(got);
	/* the newest change is one of the three sections */
	assert_true(json_equal(got, json_object_get(p.facts, "packages")) ||
	    json_equal(got, json_object_get(p.facts, "os")) ||
	    json_equal(got, json_object_get(p.facts, "schema")));
	json_decref(got);
	free(hist);
	hist = NULL;

	/* the same facts again: unchanged, nothing written */
	rep_free(&p);
	rep_init(&p, "report-0002", T0 + 20, "host-1", "may-1", 60);
	pkgs = json_array();
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "gói-%03d", i);
		json_array_append_new(pkgs, json_pack("{s:s, s:s}", "name",
		    name, "version", "1.2.3-4+deb12u1"));
	}
	p.facts = json_pack("{s:i, s:o, s:{s:s}}", "schema", 1, "packages",
	    pkgs, "os", "id", "debian");
	assert_int_equal(put(fx, &a, "batch-0002", &p, 1, T0 + 21, &r),
	    STORE_OK);
	assert_int_equal(r.fact_changes, 0);
	rep_free(&p);

	/* a bomb: 100,000 bytes behind a header that says 100 */
	assert_int_equal(compress2(bomb + 4, &blen, (const Bytef *)zeros,
	    sizeof(zeros), 9), Z_OK);
	bomb[0] = bomb[1] = bomb[2] = 0;
	bomb[3] = 100;
	raw_exec(fx->path, "UPDATE host_facts SET value = ?1"
	    " WHERE section = 'packages'", bomb, (int)(4 + blen));
	text = (char *)"unchanged";
	assert_int_equal(store_host_facts(fx->st, "host-1", &text, fx->err,
	    sizeof(fx->err)), STORE_ERR);
	assert_null(text);
	assert_non_null(strstr(fx->err, "corrupt compressed value"));
	assert_non_null(strstr(fx->err, "giá trị nén bị hỏng"));
	assert_non_null(strstr(fx->err, fx->path));
	assert_non_null(strstr(fx->err, "host-1.packages"));
	/* a header over the bound, then a cut stream */
	bomb[0] = 0xff;
	raw_exec(fx->path, "UPDATE host_facts SET value = ?1"
	    " WHERE section = 'packages'", bomb, (int)(4 + blen));
	assert_int_equal(store_host_facts(fx->st, "host-1", &text, fx->err,
	    sizeof(fx->err)), STORE_ERR);
	memcpy(trunc, "\0\0\0\x40", 4);
	memcpy(trunc + 4, bomb + 4, sizeof(trunc) - 4);
	raw_exec(fx->path, "UPDATE fact_history SET value = ?1"
	    " WHERE section = 'packages'", trunc, (int)sizeof(trunc));
	assert_int_equal(store_fact_history(fx->st, "host-1", 0, hist_first_cb,
	    &hist, fx->err, sizeof(fx->err)), STORE_ERR);
	assert_non_null(strstr(fx->err, "fact_history host-1.packages"));
	free(hist);
	raw_exec(fx->path, "UPDATE host_facts SET value = ?1"
	    " WHERE section = 'packages'", "", 0);
	assert_int_equal(store_host_facts(fx->st, "host-1", &text, fx->err,
	    sizeof(fx->err)), STORE_ERR);
}

/* Aggregates kept at ingestion (migration 6) against what they sum. */

/* The differences between check_failing and the open failing findings
 * counted afresh, both ways (0: equal); through a connection of our own,
 * as raw1 does. */
static int
failing_diff(const char *path)
{
	char *v = raw1(path, "SELECT (SELECT count(*) FROM"
	    " (SELECT unit_id, check_id, hosts FROM check_failing"
	    "  WHERE hosts != 0 EXCEPT SELECT h.unit_id, f.check_id, count(*)"
	    "  FROM findings f JOIN hosts h ON h.hid = f.hid"
	    "  WHERE f.resolved = 0 AND f.status = 'fail' GROUP BY 1, 2))"
	    " + (SELECT count(*) FROM (SELECT h.unit_id, f.check_id, count(*)"
	    "  FROM findings f JOIN hosts h ON h.hid = f.hid"
	    "  WHERE f.resolved = 0 AND f.status = 'fail' GROUP BY 1, 2"
	    "  EXCEPT SELECT unit_id, check_id, hosts FROM check_failing))"
	    " + (SELECT count(*) FROM check_failing WHERE hosts < 0)");
	int n;

	assert_non_null(v);
	n = atoi(v);
	free(v);
	return n;
}

struct ccount {
	char check[80];
	int64_t hosts;
};

struct cset {
	struct ccount rows[16];
	int n;
};

static int
ccount_cb(const struct store_check_count *c, void *arg)
{
	struct cset *s = arg;

	if (s->n >= 16)
		return 1;
	COPY(s->rows[s->n].check, c->check);
	s->rows[s->n++].hosts = c->hosts;
	return 0;
}

static int
wf_count_cb(const struct store_wf_finding *f, void *arg)
{
	(void)f;
	(*(int *)arg)++;
	return 0;
}

/* The hosts failing check in unit (0: all), by the findings-by-check
 * page's counts; checked against its list of the failing hosts. */
static int64_t
failing(struct store *st, int64_t unit, const char *check)
{
	struct store_wf_filter f;
	struct cset cs;
	char err[512];
	int64_t n = 0;
	int i, listed = 0;

	memset(&f, 0, sizeof(f));
	f.unit_id = unit;
	memset(&cs, 0, sizeof(cs));
	assert_int_equal(store_workflow_checks(st, &f, ccount_cb, &cs, err,
	    sizeof(err)), STORE_OK);
	for (i = 0; i < cs.n; i++) {
		assert_true(cs.rows[i].hosts > 0);
		if (strcmp(cs.rows[i].check, check) == 0)
			n = cs.rows[i].hosts;
	}
	f.check = check;
	f.fail_only = true;
	assert_int_equal(store_workflow_findings(st, &f, wf_count_cb, &listed,
	    err, sizeof(err)), STORE_OK);
	assert_int_equal(n, listed);
	return n;
}

/* A summary with points 1 and 3 (docs/api.md). */
static json_t *
summary(int fail1, int score1, int pass3, int score3)
{
	return json_pack("{s:i, s:{s:{s:i, s:i, s:i, s:i, s:i},"
	    " s:{s:i, s:i, s:i, s:i, s:f}, s:s}}", "score", 50, "points",
	    "1", "pass", 2, "fail", fail1, "na", 1, "error", 0, "score", score1,
	    "3", "pass", pass3, "fail", 0, "na", 0, "error", 1, "score",
	    (double)score3, "9", "ignored");
}

static void
points(struct store *st, int64_t unit, struct store_point_row p[9])
{
	char err[512];

	assert_int_equal(store_console_points(st, unit, p, err, sizeof(err)),
	    STORE_OK);
}

static void
test_aggregates(void **state)
{
	struct fx *fx = *state;
	struct store_agent a1, a2, a3;
	struct store_batch_result r;
	struct store_point_row pt[9];
	struct rep p;
	json_t *sum;
	char hash[65];
	int64_t unit2, tid;

	assert_int_equal(store_unit_ensure(fx->st, "Phòng Tư pháp", &unit2,
	    fx->err, sizeof(fx->err)), STORE_OK);
	enrol(fx, &a1, "agent1", "host-1", "may-1");
	token_hash(900, hash);
	assert_int_equal(store_token_add(fx->st, hash, unit2, T0, 0, 5, NULL,
	    &tid, fx->err, sizeof(fx->err)), STORE_OK);
	agent_init(&a2, "agent2", "host-2", "may-2");
	assert_int_equal(store_enrol(fx->st, hash, T0, &a2, fx->err,
	    sizeof(fx->err)), STORE_OK);

	/* first reports: c1 fails on both hosts, c2 on host-1; an error
	 * is open but not failing */
	rep_init(&p, "report-0001", T0 + 100, "host-1", "may-1", 40);
	rep_add(&p, F("c1", INGEST_FAIL, "high", "x"));
	rep_add(&p, F("c2", INGEST_FAIL, "medium", "x"));
	rep_add(&p, F("c3", INGEST_PASS, "low", NULL));
	rep_add(&p, F("c4", INGEST_ERROR, "low", "?"));
	p.r.summary = sum = summary(2, 40, 3, 90);
	assert_int_equal(put(fx, &a1, "b-1", &p, 1, T0 + 101, &r), STORE_OK);
	json_decref(sum);
	rep_init(&p, "report-0002", T0 + 100, "host-2", "may-2", 70);
	rep_add(&p, F("c1", INGEST_FAIL, "high", "x"));
	rep_add(&p, F("c2", INGEST_PASS, "medium", NULL));
	p.r.summary = sum = summary(0, 100, 1, 50);
	assert_int_equal(put(fx, &a2, "b-2", &p, 1, T0 + 101, &r), STORE_OK);
	json_decref(sum);
	assert_int_equal(failing_diff(fx->path), 0);
	assert_int_equal(failing(fx->st, 0, "c1"), 2);
	assert_int_equal(failing(fx->st, fx->unit, "c1"), 1);
	assert_int_equal(failing(fx->st, unit2, "c1"), 1);
	assert_int_equal(failing(fx->st, 0, "c2"), 1);
	assert_int_equal(failing(fx->st, 0, "c4"), 0);
	points(fx->st, 0, pt);
	assert_int_equal(pt[1].hosts, 2);
	assert_int_equal(pt[1].hosts_failing, 1);
	assert_int_equal(pt[1].pass, 4);
	assert_int_equal(pt[1].fail, 2);
	assert_int_equal(pt[1].na, 2);
	assert_true(pt[1].score == 70.0);
	assert_int_equal(pt[3].hosts, 2);
	assert_int_equal(pt[3].pass, 4);
	assert_int_equal(pt[3].error, 2);
	assert_true(pt[3].score == 70.0);
	assert_int_equal(pt[2].hosts, 0);
	assert_true(pt[2].score == -1);
	points(fx->st, unit2, pt);
	assert_int_equal(pt[1].hosts, 1);
	assert_int_equal(pt[1].hosts_failing, 0);
	assert_true(pt[1].score == 100.0);

	/* host-1: c1 fixed, c3 now failing, c4 gone from the report */
	rep_init(&p, "report-0003", T0 + 200, "host-1", "may-1", 60);
	rep_add(&p, F("c1", INGEST_PASS, "high", NULL));
	rep_add(&p, F("c2", INGEST_FAIL, "medium", "y"));
	rep_add(&p, F("c3", INGEST_FAIL, "low", "z"));
	p.r.summary = sum = summary(5, 10, 0, 20);
	assert_int_equal(put(fx, &a1, "b-3", &p, 1, T0 + 201, &r), STORE_OK);
	json_decref(sum);
	assert_int_equal(failing_diff(fx->path), 0);
	assert_int_equal(failing(fx->st, 0, "c1"), 1);
	assert_int_equal(failing(fx->st, fx->unit, "c1"), 0);
	assert_int_equal(failing(fx->st, 0, "c3"), 1);
	points(fx->st, fx->unit, pt);
	assert_int_equal(pt[1].fail, 5);
	assert_true(pt[1].score == 10.0);
	assert_true(pt[3].score == 20.0);

	/* an older report, arriving late, is history: nothing moves */
	rep_init(&p, "report-0000", T0 + 50, "host-1", "may-1", 99);
	rep_add(&p, F("c1", INGEST_FAIL, "high", "old"));
	p.r.summary = sum = summary(9, 99, 9, 99);
	assert_int_equal(put(fx, &a1, "b-0", &p, 1, T0 + 202, &r), STORE_OK);
	json_decref(sum);
	assert_int_equal(failing_diff(fx->path), 0);
	assert_int_equal(failing(fx->st, fx->unit, "c1"), 0);
	points(fx->st, fx->unit, pt);
	assert_int_equal(pt[1].fail, 5);

	/* c1 fails again on host-1: reopened; a summary without points
	 * leaves the host without any */
	rep_init(&p, "report-0004", T0 + 300, "host-1", "may-1", 30);
	rep_add(&p, F("c1", INGEST_FAIL, "high", "again"));
	rep_add(&p, F("c2", INGEST_FAIL, "medium", "y"));
	rep_add(&p, F("c3", INGEST_FAIL, "low", "z"));
	p.r.summary = sum = json_pack("{s:i, s:s}", "score", 30, "points",
	    "none");
	assert_int_equal(put(fx, &a1, "b-4", &p, 1, T0 + 301, &r), STORE_OK);
	json_decref(sum);
	assert_int_equal(r.opened, 1);
	assert_int_equal(failing_diff(fx->path), 0);
	assert_int_equal(failing(fx->st, 0, "c1"), 2);
	assert_int_equal(failing(fx->st, fx->unit, "c1"), 1);
	points(fx->st, fx->unit, pt);
	assert_int_equal(pt[1].hosts, 0);
	points(fx->st, 0, pt);
	assert_int_equal(pt[1].hosts, 1);

	/* host-1 enrols again in the other unit: its counts move along */
	agent_init(&a3, "agent3", "host-1", "may-1");
	assert_int_equal(store_enrol(fx->st, hash, T0 + 400, &a3, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(failing_diff(fx->path), 0);
	assert_int_equal(failing(fx->st, fx->unit, "c1"), 0);
	assert_int_equal(failing(fx->st, unit2, "c1"), 2);
	assert_int_equal(failing(fx->st, unit2, "c3"), 1);

	/* a revoked agent's host leaves the points, not the findings */
	assert_int_equal(store_agent_revoke(fx->st, "agent2", T0 + 500, "test",
	    fx->err, sizeof(fx->err)), STORE_OK);
	points(fx->st, unit2, pt);
	assert_int_equal(pt[1].hosts, 0);
	assert_int_equal(failing(fx->st, unit2, "c1"), 2);
	assert_int_equal(failing_diff(fx->path), 0);
}

/* A store left at schema version 5 by an earlier release, with hosts,
 * reports and findings: migration 6 fills the aggregates from them. */
static void
test_migrate_v5(void **state)
{
	struct fx *fx = *state;
	struct store *st;
	struct store_point_row pt[9];
	char path[320], sql[64], *v;
	sqlite3 *db;
	size_t i;

	assert_true(store_nmigrations >= 6);
	snprintf(path, sizeof(path), "%s/v5.db", fx->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (i = 0; i < 5; i++) {
		assert_int_equal(sqlite3_exec(db, store_migrations[i], NULL,
		    NULL, NULL), SQLITE_OK);
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %zu", i + 1);
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL),
		    SQLITE_OK);
	}
	assert_int_equal(sqlite3_exec(db,
	    "INSERT INTO units(id, name) VALUES (1, 'A'), (2, 'B');"
	    "INSERT INTO checks(id, severity, point) VALUES"
	    " ('c1', 'high', 1), ('c2', 'low', 3);"
	    "INSERT INTO hosts(hid, id, hostname, unit_id, agent_id,"
	    " first_seen) VALUES (1, 'h1', 'm1', 1, 'a1', 1), (2, 'h2', 'm2', 2, 'a2', 1),"
	    " (3, 'h3', 'm3', 2, NULL, 1);"
	    "INSERT INTO agents(id, host_id, unit_id, enrolled) VALUES"
	    " ('a1', 'h1', 1, 1), ('a2', 'h2', 2, 1);"
	    "INSERT INTO batches(id, agent_id, batch_id, received_at)"
	    " VALUES (1, 'a1', 'b1', 1), (2, 'a2', 'b2', 1);"
	    /* h1: the later report wins even though stored first; h2: a
	     * summary that is not JSON; h3: no report */
	    "INSERT INTO reports(id, hid, report_id, batch, collected_at,"
	    " received_at, score, pass, fail, na, error, summary) VALUES"
	    " (1, 1, 'r-new', 1, 200, 1, 1, 0, 0, 0, 0,"
	    "  '{\"points\":{\"1\":{\"pass\":1,\"fail\":4,\"na\":2,"
	    "\"error\":\"x\",\"score\":55},\"3\":{\"fail\":-3,\"score\":101},"
	    "\"7\":5}}'),"
	    " (2, 1, 'r-old', 1, 100, 1, 1, 0, 0, 0, 0,"
	    "  '{\"points\":{\"1\":{\"fail\":9}}}'),"
	    " (3, 2, 'r-bad', 2, 100, 1, 1, 0, 0, 0, 0, 'not json');"
	    "INSERT INTO findings(hid, check_id, status, severity, first_seen,"
	    " last_seen, resolved) VALUES"
	    " (1, 'c1', 'fail', 'high', 1, 0, 0), (2, 'c1', 'fail', 'high', 1,"
	    " 0, 0), (3, 'c1', 'fail', 'high', 1, 0, 0),"
	    " (1, 'c2', 'pass', 'low', 1, 0, 5), (2, 'c2', 'error', 'low', 1,"
	    " 0, 0), (3, 'c2', 'fail', 'low', 1, 0, 0);", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);

	assert_int_equal(store_open(path, 0, &st, fx->err, sizeof(fx->err)),
	    STORE_OK);
	assert_int_equal(store_schema_version(st), (int)store_nmigrations);
	assert_int_equal(failing_diff(path), 0);
	assert_int_equal(failing(st, 0, "c1"), 3);
	assert_int_equal(failing(st, 2, "c1"), 2);
	assert_int_equal(failing(st, 0, "c2"), 1);
	points(st, 0, pt);
	assert_int_equal(pt[1].hosts, 1);
	assert_int_equal(pt[1].hosts_failing, 1);
	assert_int_equal(pt[1].pass, 1);
	assert_int_equal(pt[1].fail, 4);
	assert_int_equal(pt[1].na, 2);
	assert_int_equal(pt[1].error, 0);	/* not a count: 0 */
	assert_true(pt[1].score == 55.0);
	assert_int_equal(pt[3].hosts, 1);
	assert_int_equal(pt[3].fail, 0);	/* clamped */
	assert_true(pt[3].score == -1);		/* out of range: none */
	assert_int_equal(pt[7].hosts, 0);	/* not an object */
	v = raw1(path, "SELECT count(*) FROM host_points");
	assert_string_equal(v, "2");
	free(v);
	/* and the triggers run on the migrated store */
	raw_exec(path, "UPDATE findings SET status = 'pass', resolved = 9"
	    " WHERE hid = 3 AND check_id = 'c1'", NULL, 0);
	assert_int_equal(failing_diff(path), 0);
	assert_int_equal(failing(st, 0, "c1"), 2);
	store_close(st);
}

/* The readers' pool: more reading threads than readers beside a writer
 * that adds hosts and batches; every call sees one snapshot (a page of
 * hosts holds exactly the total counted in the same call) and nothing
 * fails. */
struct pool_reader {
	struct store *st;
	volatile bool *stop;
	int calls, errors, torn;
	pthread_t t;
};

static int
pool_host_cb(const struct store_host_row *h, void *arg)
{
	(void)h;
	(*(int64_t *)arg)++;
	return 0;
}

static int
pool_unit_cb(const struct store_unit_row *u, void *arg)
{
	(*(int64_t *)arg) += u->hosts;
	return 0;
}

static void *
pool_reader_main(void *arg)
{
	struct pool_reader *pr = arg;
	struct store_host_query q;
	struct store_point_row pt[9];
	struct store_wf_filter wf;
	struct store_session ss;
	struct store_stats s;
	struct cset cs;
	int64_t total, rows, units;
	char err[512];

	while (!*pr->stop) {
		memset(&q, 0, sizeof(q));
		q.score_min = -1;
		q.score_max = 100;
		q.limit = STORE_PAGE_MAX;
		rows = 0;
		if (store_console_hosts(pr->st, &q, pool_host_cb, &rows, &total,
		    err, sizeof(err)) != STORE_OK)
			pr->errors++;
		else if (rows != total)
			pr->torn++;
		units = 0;
		if (store_console_units(pr->st, 0, 0, pool_unit_cb, &units, err,
		    sizeof(err)) != STORE_OK)
			pr->errors++;
		if (store_console_points(pr->st, 0, pt, err, sizeof(err)) !=
		    STORE_OK)
			pr->errors++;
		memset(&wf, 0, sizeof(wf));
		memset(&cs, 0, sizeof(cs));
		if (store_workflow_checks(pr->st, &wf, ccount_cb, &cs, err,
		    sizeof(err)) != STORE_OK)
			pr->errors++;
		if (store_stats(pr->st, &s, err, sizeof(err)) != STORE_OK ||
		    s.reports != s.batches)
			pr->errors++;
		if (store_session_get(pr->st, "0123456789abcdef0123456789abcdef"
		    "0123456789abcdef0123456789abcdef", &ss, err,
		    sizeof(err)) != STORE_ENOTFOUND)
			pr->errors++;
		pr->calls++;
	}
	return NULL;
}

static void
test_pool(void **state)
{
	struct fx *fx = *state;
	struct pool_reader pr[7];
	struct store_agent a;
	struct store_batch_result r;
	struct store_point_row pt[9];
	struct rep p;
	volatile bool stop = false;
	char id[32], host[32], bid[32], rid[32];
	json_t *sum;
	int i, j;

	memset(pr, 0, sizeof(pr));
	for (i = 0; i < 7; i++) {
		pr[i].st = fx->st;
		pr[i].stop = &stop;
		assert_int_equal(pthread_create(&pr[i].t, NULL,
		    pool_reader_main, &pr[i]), 0);
	}
	for (i = 0; i < 30; i++) {
		snprintf(id, sizeof(id), "agent%d", i);
		snprintf(host, sizeof(host), "host-%d", i);
		enrol(fx, &a, id, host, host);
		for (j = 0; j < 2; j++) {
			snprintf(bid, sizeof(bid), "b-%d-%d", i, j);
			snprintf(rid, sizeof(rid), "report-%d-%d", i, j);
			rep_init(&p, rid, T0 + 100 * j, host, host, 50);
			rep_add(&p, F("c1", j ? INGEST_PASS : INGEST_FAIL,
			    "high", "x"));
			rep_add(&p, F("c2", INGEST_FAIL, "low", "y"));
			p.r.summary = sum = summary(j, 50, 1, 80);
			assert_int_equal(put(fx, &a, bid, &p, 1,
			    T0 + 100 * j + 1, &r), STORE_OK);
			json_decref(sum);
		}
	}
	stop = true;
	for (i = 0; i < 7; i++) {
		pthread_join(pr[i].t, NULL);
		assert_true(pr[i].calls > 0);
		assert_int_equal(pr[i].errors, 0);
		assert_int_equal(pr[i].torn, 0);
	}
	/* what the writer committed is what a reader sees next */
	assert_int_equal(failing(fx->st, 0, "c2"), 30);
	assert_int_equal(failing(fx->st, 0, "c1"), 0);
	points(fx->st, 0, pt);
	assert_int_equal(pt[1].hosts, 30);
	assert_int_equal(pt[1].fail, 30);
	assert_int_equal(failing_diff(fx->path), 0);
	assert_true(fx->st->nreaders <= STORE_READERS);
}

/* The portal monitor's registry (migration 7, store_sqlite_site.c). */
static int
site_count(const struct store_site *s, void *arg)
{
	(*(int *)arg)++;
	assert_non_null(s->url);
	assert_non_null(s->origin);
	assert_non_null(s->unit);
	return 0;
}

static int
sites_n(struct fx *fx, int64_t unit, int64_t due_by)
{
	struct store_site_filter f;
	int n = 0;

	memset(&f, 0, sizeof(f));
	f.unit_id = unit;
	f.due_by = due_by;
	assert_int_equal(store_sites(fx->st, &f, site_count, &n, fx->err,
	    sizeof(fx->err)), STORE_OK);
	return n;
}

static void
test_site_registry(void **state)
{
	struct fx *fx = *state;
	struct store_site_checked ck[2];
	struct store_site_round rd;
	struct store_site_round_result rr;
	int64_t other, unit;
	bool added;
	char *o, *v;

	o = store_site_origin("HTTPS://User@Portal.Example.VN/a?b");
	assert_string_equal(o, "https://portal.example.vn:443");
	free(o);
	o = store_site_origin("http://[::1]:8080");
	assert_string_equal(o, "http://[::1]:8080");
	free(o);
	assert_null(store_site_origin("ftp://x/"));
	assert_null(store_site_origin("http://:80/"));
	assert_null(store_site_origin("http://x:99999/"));

	assert_int_equal(store_unit_ensure(fx->st, "Phòng Tư pháp", &other,
	    fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(store_site_add(fx->st, fx->unit, "http://p.test/",
	    900, false, "lan", 1000, &added, fx->err, sizeof(fx->err)),
	    STORE_OK);
	assert_true(added);
	assert_int_equal(store_site_add(fx->st, fx->unit,
	    "http://p.test/a.html", 600, true, "lan", 1000, &added, fx->err,
	    sizeof(fx->err)), STORE_OK);
	/* the same URL again: changed, not added */
	assert_int_equal(store_site_add(fx->st, fx->unit, "http://p.test/",
	    3600, false, "lan", 1001, &added, fx->err, sizeof(fx->err)),
	    STORE_OK);
	assert_false(added);
	v = raw1(fx->path, "SELECT interval FROM sites WHERE url ="
	    " 'http://p.test/'");
	assert_string_equal(v, "3600");
	free(v);
	/* an origin belongs to one unit */
	assert_int_equal(store_site_add(fx->st, other, "http://p.test:80/x",
	    900, false, "lan", 1000, &added, fx->err, sizeof(fx->err)),
	    STORE_EEXISTS);
	assert_int_equal(store_site_add(fx->st, other, "http://p.test/",
	    900, false, "lan", 1000, &added, fx->err, sizeof(fx->err)),
	    STORE_EEXISTS);
	assert_int_equal(store_site_add(fx->st, other, "https://q.test/",
	    59, false, "lan", 1000, &added, fx->err, sizeof(fx->err)),
	    STORE_ERR);
	assert_int_equal(store_site_add(fx->st, other, "file:///etc/passwd",
	    900, false, "lan", 1000, &added, fx->err, sizeof(fx->err)),
	    STORE_ERR);
	assert_int_equal(store_site_add(fx->st, 999, "https://q.test/",
	    900, false, "lan", 1000, &added, fx->err, sizeof(fx->err)),
	    STORE_ENOTFOUND);
	assert_int_equal(store_site_add(fx->st, other, "https://q.test/",
	    900, false, "lan", 1000, &added, fx->err, sizeof(fx->err)),
	    STORE_OK);
	assert_int_equal(sites_n(fx, 0, 0), 3);
	assert_int_equal(sites_n(fx, fx->unit, 0), 2);
	assert_int_equal(sites_n(fx, other, 0), 1);
	/* all due at once; checked, they are due an interval later */
	assert_int_equal(sites_n(fx, 0, 1000), 3);
	memset(ck, 0, sizeof(ck));
	ck[0].url = "http://p.test/";
	ck[1].url = "http://p.test/a.html";
	ck[1].error = "HTTP 503";
	memset(&rd, 0, sizeof(rd));
	rd.now = 2000;
	rd.checked = ck;
	rd.nchecked = 2;
	assert_int_equal(store_site_round(fx->st, &rd, &rr, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(sites_n(fx, 0, 2001), 1);
	assert_int_equal(sites_n(fx, 0, 2600), 2);
	assert_int_equal(sites_n(fx, 0, 5600), 3);
	v = raw1(fx->path, "SELECT last_error FROM sites WHERE url ="
	    " 'http://p.test/a.html'");
	assert_string_equal(v, "HTTP 503");
	free(v);
	/* removed */
	assert_int_equal(store_site_remove(fx->st, "http://p.test/a.html",
	    2100, &unit, NULL, fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(unit, fx->unit);
	assert_int_equal(store_site_remove(fx->st, "http://p.test/a.html",
	    2100, &unit, NULL, fx->err, sizeof(fx->err)), STORE_ENOTFOUND);
	assert_int_equal(sites_n(fx, fx->unit, 0), 1);
}

static int
site_event_count(const struct store_event_row *e, void *arg)
{
	if (strcmp(e->kind, "site.alert") == 0) {
		(*(int *)arg)++;
		assert_non_null(e->host_id);
		assert_string_equal(e->host_id, "site:http://p.test:80");
		assert_non_null(strstr(e->detail, "site-spam"));
	}
	return 0;
}

static void
site_opened(const char *host_id, const struct ingest_finding *f, void *arg)
{
	(void)host_id;
	assert_string_equal(f->check, "site-spam");
	(*(int *)arg)++;
}

/* A round's alerts become findings of the site's host in its unit; the
 * next clean round resolves them (status pass). */
static void
test_site_findings(void **state)
{
	struct fx *fx = *state;
	struct ingest_finding f[2];
	struct store_site_host h;
	struct store_site_checked ck;
	struct store_site_round rd;
	struct store_site_round_result rr;
	bool added;
	int events = 0, opened = 0;
	char *v;

	assert_int_equal(store_site_add(fx->st, fx->unit, "http://p.test/",
	    900, false, "lan", 1000, &added, fx->err, sizeof(fx->err)),
	    STORE_OK);
	memset(f, 0, sizeof(f));
	f[0].check = "site-spam";
	f[0].status = INGEST_FAIL;
	f[0].severity = "critical";
	f[0].point = 3;
	f[0].evidence = "{\"alerts\":[{\"url\":\"http://p.test/\","
	    "\"evidence\":{\"terms\":[{\"term\":\"nổ hũ\"}]}}],\"count\":1}";
	f[0].title_vi = "Nội dung cờ bạc";
	f[0].title_en = "Gambling spam";
	f[1].check = "site-down";
	f[1].status = INGEST_PASS;
	f[1].severity = "high";
	f[1].point = 3;
	memset(&h, 0, sizeof(h));
	h.origin = "http://p.test:80";
	h.unit_id = fx->unit;
	h.findings = f;
	h.nfindings = 2;
	ck.url = "http://p.test/";
	ck.error = NULL;
	memset(&rd, 0, sizeof(rd));
	rd.now = 2000;
	rd.hosts = &h;
	rd.nhosts = 1;
	rd.checked = &ck;
	rd.nchecked = 1;
	rd.opened = site_opened;
	rd.arg = &opened;
	assert_int_equal(store_site_round(fx->st, &rd, &rr, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(rr.opened, 1);
	assert_int_equal(rr.events, 1);
	assert_int_equal(opened, 1);
	v = raw1(fx->path, "SELECT h.hostname || ' ' || h.os_id || ' ' ||"
	    " u.name || ' ' || h.open_critical || ' ' || f.status || ' ' ||"
	    " f.resolved || ' ' || c.title_en FROM findings f"
	    " JOIN hosts h ON h.hid = f.hid JOIN units u ON u.id = h.unit_id"
	    " JOIN checks c ON c.id = f.check_id"
	    " WHERE h.id = 'site:http://p.test:80' AND f.check_id = 'site-spam'");
	assert_string_equal(v, "p.test web-portal Phòng Kế toán 1 fail 0 "
	    "Gambling spam");
	free(v);
	assert_int_equal(failing_diff(fx->path), 0);
	assert_int_equal(failing(fx->st, fx->unit, "site-spam"), 1);
	/* the same again: still open, no second event */
	rd.now = 3000;
	assert_int_equal(store_site_round(fx->st, &rd, &rr, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(rr.opened, 0);
	assert_int_equal(rr.events, 0);
	/* clean: resolved with status pass */
	f[0].status = INGEST_PASS;
	f[0].evidence = NULL;
	rd.now = 4000;
	assert_int_equal(store_site_round(fx->st, &rd, &rr, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(rr.resolved, 1);
	v = raw1(fx->path, "SELECT f.status || ' ' || f.resolved || ' ' ||"
	    " h.open_critical FROM findings f JOIN hosts h ON h.hid = f.hid"
	    " WHERE f.check_id = 'site-spam'");
	assert_string_equal(v, "pass 4000 0");
	free(v);
	assert_int_equal(failing_diff(fx->path), 0);
	assert_int_equal(failing(fx->st, fx->unit, "site-spam"), 0);
	assert_int_equal(store_events(fx->st, 0, 100, site_event_count,
	    &events, fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(events, 1);
	/* again failing: a new episode, a new event */
	f[0].status = INGEST_FAIL;
	f[0].evidence = "{}";
	rd.now = 5000;
	assert_int_equal(store_site_round(fx->st, &rd, &rr, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(rr.events, 1);
	/* removed from the registry: while another page of the origin is
	 * watched its finding stays open; with the last one it is resolved
	 * (na: no longer checked), in the unit's counts too */
	{
		int64_t unit = 0;
		int resolved = -1;

		assert_int_equal(store_site_add(fx->st, fx->unit,
		    "http://p.test/b.html", 900, false, "lan", 5100, &added,
		    fx->err, sizeof(fx->err)), STORE_OK);
		assert_int_equal(store_site_remove(fx->st, "http://p.test/",
		    5200, &unit, &resolved, fx->err, sizeof(fx->err)),
		    STORE_OK);
		assert_int_equal(resolved, 0);
		assert_int_equal(failing(fx->st, fx->unit, "site-spam"), 1);
		assert_int_equal(store_site_remove(fx->st,
		    "http://p.test/b.html", 5300, &unit, &resolved, fx->err,
		    sizeof(fx->err)), STORE_OK);
		assert_int_equal(unit, fx->unit);
		assert_int_equal(resolved, 1);
		v = raw1(fx->path, "SELECT f.status || ' ' || f.resolved || ' '"
		    " || h.open_critical || ' ' || h.open_findings FROM findings"
		    " f JOIN hosts h ON h.hid = f.hid WHERE f.check_id ="
		    " 'site-spam'");
		assert_string_equal(v, "na 5300 0 0");
		free(v);
		assert_int_equal(failing_diff(fx->path), 0);
		assert_int_equal(failing(fx->st, fx->unit, "site-spam"), 0);
		/* a site never checked leaves no host row behind */
		assert_int_equal(store_site_add(fx->st, fx->unit,
		    "http://q.test/", 900, false, "lan", 5400, &added,
		    fx->err, sizeof(fx->err)), STORE_OK);
		assert_int_equal(store_site_remove(fx->st, "http://q.test/",
		    5500, &unit, &resolved, fx->err, sizeof(fx->err)),
		    STORE_OK);
		assert_int_equal(resolved, 0);
		v = raw1(fx->path, "SELECT count(*) FROM hosts WHERE id ="
		    " 'site:http://q.test:80'");
		assert_string_equal(v, "0");
		free(v);
	}
	/* a read-only handle refuses */
	{
		struct store *ro;

		assert_int_equal(store_open(fx->path, STORE_READONLY, &ro,
		    fx->err, sizeof(fx->err)), STORE_OK);
		assert_int_not_equal(store_site_round(ro, &rd, &rr, fx->err,
		    sizeof(fx->err)), STORE_OK);
		assert_int_not_equal(store_site_add(ro, fx->unit,
		    "http://r.test/", 900, false, "", 1, &added, fx->err,
		    sizeof(fx->err)), STORE_OK);
		store_close(ro);
	}
}

/* A store of version 6 migrates to 7 with its rows, and gets sites. */
static void
test_migrate_v6(void **state)
{
	struct fx *fx = *state;
	struct store *st;
	char path[320], sql[64], *v;
	sqlite3 *db;
	size_t i;
	bool added;

	assert_true(store_nmigrations >= 7);
	snprintf(path, sizeof(path), "%s/v6.db", fx->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (i = 0; i < 6; i++) {
		assert_int_equal(sqlite3_exec(db, store_migrations[i], NULL,
		    NULL, NULL), SQLITE_OK);
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %zu", i + 1);
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL),
		    SQLITE_OK);
	}
	assert_int_equal(sqlite3_exec(db,
	    "INSERT INTO units(id, name) VALUES (1, 'A');"
	    "INSERT INTO hosts(hid, id, hostname, unit_id, first_seen)"
	    " VALUES (1, 'h1', 'm1', 1, 1);", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(path, 0, &st, fx->err, sizeof(fx->err)),
	    STORE_OK);
	assert_int_equal(store_schema_version(st), (int)store_nmigrations);
	assert_int_equal(store_site_add(st, 1, "https://a.test/", 900, true,
	    "x", 1, &added, fx->err, sizeof(fx->err)), STORE_OK);
	store_close(st);
	v = raw1(path, "SELECT (SELECT count(*) FROM hosts) || ' ' ||"
	    " (SELECT origin || ' ' || sitemap FROM sites)");
	assert_string_equal(v, "1 https://a.test:443 1");
	free(v);
}

/* Each test in its own directory with a fresh store. */
#define TEST(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_migrate),
		TEST(test_enrol),
		TEST(test_token_uses),
		TEST(test_batch_duplicate),
		TEST(test_finding_life),
		TEST(test_older_report),
		TEST(test_scores),
		TEST(test_facts),
		TEST(test_catalogue),
		TEST(test_refused_batches),
		TEST(test_events),
		TEST(test_metacharacters),
		TEST(test_filters),
		TEST(test_reader_writer),
		TEST(test_disk_full),
		TEST(test_stats),
		TEST(test_group_commit),
		TEST(test_group_full),
		TEST(test_group_storm),
		TEST(test_facts_packed),
		TEST(test_aggregates),
		TEST(test_migrate_v5),
		TEST(test_pool),
		TEST(test_site_registry),
		TEST(test_site_findings),
		TEST(test_migrate_v6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
