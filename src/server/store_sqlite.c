/*
 * store_sqlite.c — store.h over one SQLite file in WAL mode: canhgacd
 * writes, canhgac reads (STORE_READONLY) at the same time. Every commit
 * is synced (synchronous=FULL): a batch acknowledged to an agent survives a
 * power cut. A full disk (or the size bound of store_set_max_size) rolls
 * the transaction back and answers STORE_EFULL, leaving the file as it was.
 *
 * This file holds the handle (one writer connection behind one mutex, its
 * statements prepared once; a pool of read-only connections for the
 * reads, each with its own statements, so that pages are read side by
 * side and beside the writer), the migrations' runner, checkpoints,
 * units, people, enrolment tokens, agents and the event log. Ingestion is in
 * store_sqlite_batch.c, reading in store_sqlite_read.c, the schema in
 * store_schema.c.
 *
 * Checkpoints leave the commit path: SQLite's automatic checkpoint (in the
 * commit that crosses 1,000 pages of log, an fsync of the database while
 * every batch waits) is replaced by store_checkpoint, which canhgacd calls
 * from a background thread on a second connection that never takes the
 * write lock. Should nobody call it, a commit leaving more than
 * STORE_WAL_MAX_PAGES in the log checkpoints it, so the log stays bounded.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "lib/sqlite.h"
#include "lib/text.h"
#include "server/store.h"
#include "server/store_int.h"

#define STORE_BUSY_MS 5000
#define STORE_MMAP_SIZE "4294967296"	/* SQLite caps it at its own bound */

static const char *const store_sql[S_COUNT] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_SAVEPOINT] = "SAVEPOINT batch",
	[S_RELEASE] = "RELEASE batch",
	[S_ROLLBACK_TO] = "ROLLBACK TO batch",
	[S_AGENT_FOR_BATCH] =
	    "SELECT host_id, unit_id, revoked_at FROM agents WHERE id = ?1",
	[S_BATCH_ADD] =
	    "INSERT INTO batches(agent_id, batch_id, received_at)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT(agent_id, batch_id) DO NOTHING",
	[S_BATCH_COUNT] = "UPDATE batches SET reports = ?2 WHERE id = ?1",
	[S_AGENT_SEEN] =
	    "UPDATE agents SET last_seen = ?2, version = coalesce(?3, version)"
	    " WHERE id = ?1",
	[S_HOST_GET] = "SELECT hid, report_at FROM hosts WHERE id = ?1",
	[S_HOST_ADD] =
	    "INSERT INTO hosts(id, hostname, unit_id, agent_id, first_seen,"
	    " last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
	[S_HOST_SEEN] =
	    "UPDATE hosts SET last_seen = ?2, agent_id = ?3 WHERE hid = ?1",
	[S_HOST_UPDATE] =
	    "UPDATE hosts SET hostname = ?2, os_id = ?3, os_name = ?4,"
	    " os_version = ?5, kernel = ?6, arch = ?7, platform = ?8,"
	    " level = ?9, report_at = ?10, score = ?11, pass = ?12,"
	    " fail = ?13, na = ?14, error = ?15, open_findings = ?16,"
	    " open_critical = ?17, open_high = ?18 WHERE hid = ?1",
	[S_REPORT_ADD] =
	    "INSERT INTO reports(hid, report_id, batch, collected_at,"
	    " received_at, score, pass, fail, na, error, summary)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
	    " ON CONFLICT(hid, report_id) DO NOTHING",
	[S_SCORE_ADD] =
	    "INSERT INTO scores(scope, name, time, score, hosts)"
	    " VALUES ('host', ?1, ?2, ?3, 1)",
	[S_POINTS_CLEAR] = "DELETE FROM host_points WHERE hid = ?1",
	[S_POINT_PUT] =
	    "INSERT OR REPLACE INTO host_points(hid, point, pass, fail, na,"
	    " error, score) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_FACTS_GET] =
	    "SELECT section, sha256 FROM host_facts WHERE hid = ?1",
	[S_FACT_PUT] =
	    "INSERT INTO host_facts(hid, section, sha256, value, updated)"
	    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(hid, section) DO UPDATE"
	    " SET sha256 = excluded.sha256, value = excluded.value,"
	    " updated = excluded.updated",
	[S_FACT_DEL] =
	    "DELETE FROM host_facts WHERE hid = ?1 AND section = ?2",
	[S_FACT_HISTORY_ADD] =
	    "INSERT INTO fact_history(hid, time, section, value)"
	    " VALUES (?1, ?2, ?3, ?4)",
	[S_FINDINGS_GET] =
	    "SELECT id, check_id, status, severity, evidence, first_seen,"
	    " last_seen, resolved FROM findings WHERE hid = ?1",
	[S_FINDING_ADD] =
	    "INSERT INTO findings(hid, check_id, status, severity, evidence,"
	    " first_seen, last_seen, resolved)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7)",
	[S_FINDING_UPDATE] =
	    "UPDATE findings SET status = ?2, severity = ?3, evidence = ?4,"
	    " first_seen = ?5, last_seen = 0, resolved = ?6 WHERE id = ?1",
	[S_FINDING_GONE] =
	    "UPDATE findings SET status = ?2, last_seen = ?3, resolved = ?4"
	    " WHERE id = ?1",
	[S_CHECK_PUT] =
	    "INSERT INTO checks(id, severity, point, title_vi, title_en,"
	    " remedy_vi, remedy_en, basis)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	    " ON CONFLICT(id) DO UPDATE SET severity = excluded.severity,"
	    " point = excluded.point,"
	    " title_vi = coalesce(excluded.title_vi, title_vi),"
	    " title_en = coalesce(excluded.title_en, title_en),"
	    " remedy_vi = coalesce(excluded.remedy_vi, remedy_vi),"
	    " remedy_en = coalesce(excluded.remedy_en, remedy_en),"
	    " basis = coalesce(excluded.basis, basis)"
	    " WHERE severity IS NOT excluded.severity"
	    " OR point IS NOT excluded.point"
	    " OR (excluded.title_vi IS NOT NULL"
	    "  AND title_vi IS NOT excluded.title_vi)"
	    " OR (excluded.title_en IS NOT NULL"
	    "  AND title_en IS NOT excluded.title_en)"
	    " OR (excluded.remedy_vi IS NOT NULL"
	    "  AND remedy_vi IS NOT excluded.remedy_vi)"
	    " OR (excluded.remedy_en IS NOT NULL"
	    "  AND remedy_en IS NOT excluded.remedy_en)"
	    " OR (excluded.basis IS NOT NULL AND basis IS NOT excluded.basis)",
	[S_EVENT_ADD] =
	    "INSERT INTO events(time, kind, agent_id, host_id, detail)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)",
};

/* Errors. */

void __attribute__((format(printf, 3, 4)))
sql_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* The STORE_E* code of an SQLite result on db (NULL once closed). */
static int
store_code(sqlite3 *db, int rc)
{
	if (sqlite_full(db, rc))
		return STORE_EFULL;
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return STORE_EBUSY;
	return STORE_ERR;
}

/* Maps an SQLite result to a STORE_E* code with its message (disk full,
 * locked, corrupt... worded by lib/sqlite.c); what names the operation (a
 * store.h function). */
static int
db_err(struct store *st, sqlite3 *db, int rc, const char *what, char *err,
    size_t errlen)
{
	char vi[128], en[128];

	snprintf(vi, sizeof(vi), "lỗi cơ sở dữ liệu (%s)", what);
	snprintf(en, sizeof(en), "database error (%s)", what);
	sqlite_error(db, rc, st->path, vi, en, err, errlen);
	return store_code(db, rc);
}

int
sql_dberr(struct store *st, int rc, const char *what, char *err, size_t errlen)
{
	return db_err(st, st->db, rc, what, err, errlen);
}

int
sql_rdberr(struct sql_reader *r, int rc, const char *what, char *err,
    size_t errlen)
{
	return db_err(r->st, r->db, rc, what, err, errlen);
}

int
sql_readonly_err(struct store *st, const char *what, char *err, size_t errlen)
{
	sql_seterr(err, errlen,
	    "kho dữ liệu %s chỉ được mở để đọc, không thể %s "
	    "— store %s is open read-only, cannot %s", st->path, what,
	    st->path, what);
	return STORE_ERR;
}

int
sql_writable(struct store *st, const char *what, char *err, size_t errlen)
{
	return st->readonly ? sql_readonly_err(st, what, err, errlen) :
	    STORE_OK;
}

/* Small helpers. */

void
sql_copy(char *dst, size_t size, const unsigned char *src)
{
	size_t n;

	if (src == NULL)
		src = (const unsigned char *)"";
	n = strlen((const char *)src);
	if (n >= size) {
		/* cut before the character that does not fit whole */
		n = size - 1;
		while (n > 0 && (src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

bool
sql_id_valid(const char *s, size_t max)
{
	size_t n;

	if (s == NULL)
		return false;
	for (n = 0; s[n] != '\0'; n++) {
		unsigned char c = (unsigned char)s[n];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return n >= 1 && n <= max;
}

static bool
hex64_valid(const char *s)
{
	size_t n;

	if (s == NULL)
		return false;
	for (n = 0; s[n] != '\0'; n++)
		if (!((s[n] >= '0' && s[n] <= '9') ||
		    (s[n] >= 'a' && s[n] <= 'f')))
			return false;
	return n == 64;
}

/* A name a person gave: valid UTF-8 without control characters, 1 to max
 * bytes. */
static bool
name_valid(const char *s, size_t max)
{
	size_t n, i;

	if (s == NULL)
		return false;
	n = strlen(s);
	if (n == 0 || n > max || !text_valid_utf8(s, n))
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* The NFC form of a name, or a copy when it is not UTF-8 (it then
 * matches nothing). */
char *
sql_nfc(const char *s)
{
	char *n;

	if (s == NULL)
		return NULL;
	if ((n = text_nfc(s, strlen(s))) == NULL)
		n = text_dup(s);
	return n;
}

const char *
sql_col_text(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

void
sql_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

/* The cached statement id, reset and without bindings; NULL with err. */
sqlite3_stmt *
sql_stmt(struct store *st, enum store_stmt id, char *err, size_t errlen)
{
	sqlite3_stmt **s = &st->stmt[id];
	int rc;

	if (*s == NULL) {
		rc = sqlite3_prepare_v3(st->db, store_sql[id], -1,
		    SQLITE_PREPARE_PERSISTENT, s, NULL);
		if (rc != SQLITE_OK) {
			sql_dberr(st, rc, "prepare", err, errlen);
			*s = NULL;
			return NULL;
		}
	}
	return *s;
}

void
sql_done(sqlite3_stmt *s)
{
	if (s != NULL) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
	}
}

/* Steps a statement that returns no row, then resets it: SQLITE_OK or
 * the error. */
int
sql_run(sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	sql_done(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* Statements of one call, not cached. */

int
sql_prepare(struct store *st, const char *sql, sqlite3_stmt **s,
    const char *what, char *err, size_t errlen)
{
	int rc;

	if ((rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL)) != SQLITE_OK) {
		*s = NULL;
		return sql_dberr(st, rc, what, err, errlen);
	}
	return STORE_OK;
}

int
sql_once(struct store *st, sqlite3_stmt *s, const char *what, char *err,
    size_t errlen)
{
	int rc = sqlite3_step(s);

	sqlite3_finalize(s);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return STORE_OK;
	return sql_dberr(st, rc, what, err, errlen);
}

int
sql_finish(struct store *st, sqlite3_stmt *s, int rc, int ret,
    const char *what, char *err, size_t errlen)
{
	if (ret == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = sql_dberr(st, rc, what, err, errlen);
	sqlite3_finalize(s);
	return ret;
}

static int
exec(struct store *st, const char *sql, const char *what, char *err,
    size_t errlen)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	if (rc == SQLITE_OK)
		return STORE_OK;
	return sql_dberr(st, rc, what, err, errlen);
}

/* Readers. */

static void
reader_close(struct sql_reader *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < READER_STMT_SLOTS; i++) {
		sqlite3_finalize(r->stmt[i].s);
		free(r->stmt[i].sql);
	}
	sqlite3_close(r->db);
	free(r);
}

/* A new read-only connection on the store's file. */
static int
reader_open(struct store *st, struct sql_reader **out, char *err,
    size_t errlen)
{
	struct sql_reader *r;
	int rc;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		sql_seterr(err, errlen, "hết bộ nhớ — out of memory");
		return STORE_ERR;
	}
	r->st = st;
	rc = sqlite_open(st->path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
	    STORE_BUSY_MS, "kho dữ liệu", "the store", &r->db, err, errlen);
	if (rc != SQLITE_OK) {
		free(r);
		return store_code(NULL, rc);
	}
	/* Readers map the file: its pages come from the kernel's cache,
	 * shared by every reader, instead of being copied into a cache of
	 * each connection that four of them would thrash (pages still in
	 * the log are read as usual). The file is only ever grown, never
	 * truncated (no VACUUM), so a mapping never loses its pages. */
	rc = sqlite3_exec(r->db, "PRAGMA query_only = ON;"
	    "PRAGMA cache_size = -4096;"
	    "PRAGMA mmap_size = " STORE_MMAP_SIZE, NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		rc = sql_rdberr(r, rc, "store_open reader", err, errlen);
		reader_close(r);
		return rc;
	}
	*out = r;
	return STORE_OK;
}

/* An idle reader, or a new one while there are fewer than
 * STORE_READERS, or the first one given back. */
static int
reader_take(struct store *st, struct sql_reader **out, char *err,
    size_t errlen)
{
	struct sql_reader *r;
	int ret;

	pthread_mutex_lock(&st->pool_lock);
	for (;;) {
		if ((r = st->idle) != NULL) {
			st->idle = r->next;
			pthread_mutex_unlock(&st->pool_lock);
			*out = r;
			return STORE_OK;
		}
		if (st->nreaders < STORE_READERS)
			break;
		pthread_cond_wait(&st->pool_idle, &st->pool_lock);
	}
	/* reserve a place, open without the lock held */
	st->nreaders++;
	pthread_mutex_unlock(&st->pool_lock);
	ret = reader_open(st, &r, err, errlen);
	pthread_mutex_lock(&st->pool_lock);
	if (ret == STORE_OK) {
		size_t i = 0;

		/* a place is reserved: i stays below STORE_READERS */
		while (st->readers[i] != NULL)
			i++;
		st->readers[i] = r;
	} else {
		st->nreaders--;
		pthread_cond_signal(&st->pool_idle);
	}
	pthread_mutex_unlock(&st->pool_lock);
	*out = r;
	return ret;
}

static void
reader_give(struct sql_reader *r)
{
	struct store *st = r->st;

	pthread_mutex_lock(&st->pool_lock);
	r->next = st->idle;
	st->idle = r;
	pthread_cond_signal(&st->pool_idle);
	pthread_mutex_unlock(&st->pool_lock);
}

static int
reader_exec(struct sql_reader *r, const char *sql, const char *what,
    char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = sql_rprepare(r, sql, &s, what, err, errlen)) != STORE_OK)
		return rc;
	rc = sqlite3_step(s);
	return sql_rfinish(r, s, rc, STORE_OK, what, err, errlen);
}

int
sql_read_begin(struct store *st, struct sql_reader **out, const char *what,
    char *err, size_t errlen)
{
	struct sql_reader *r;
	int ret;

	*out = NULL;
	if ((ret = reader_take(st, &r, err, errlen)) != STORE_OK)
		return ret;
	if ((ret = reader_exec(r, "BEGIN", what, err, errlen)) != STORE_OK) {
		reader_give(r);
		return ret;
	}
	*out = r;
	return STORE_OK;
}

void
sql_read_end(struct sql_reader *r)
{
	size_t i;

	if (r == NULL)
		return;
	/* a walk a callback stopped early leaves its statement running */
	for (i = 0; i < READER_STMT_SLOTS; i++)
		if (r->stmt[i].s != NULL && sqlite3_stmt_busy(r->stmt[i].s))
			sqlite3_reset(r->stmt[i].s);
	if (!sqlite3_get_autocommit(r->db) &&
	    reader_exec(r, "COMMIT", "sql_read_end", NULL, 0) != STORE_OK &&
	    !sqlite3_get_autocommit(r->db))
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
	reader_give(r);
}

int
sql_rprepare(struct sql_reader *r, const char *sql, sqlite3_stmt **s,
    const char *what, char *err, size_t errlen)
{
	size_t i, slot = 0;
	int rc;

	*s = NULL;
	for (i = 0; i < READER_STMT_SLOTS; i++) {
		if (r->stmt[i].sql != NULL &&
		    strcmp(r->stmt[i].sql, sql) == 0) {
			r->stmt[i].used = ++r->clock;
			*s = r->stmt[i].s;
			return STORE_OK;
		}
		/* never one the call is walking */
		if (r->stmt[i].used < r->stmt[slot].used &&
		    (r->stmt[i].s == NULL || !sqlite3_stmt_busy(r->stmt[i].s)))
			slot = i;
	}
	/* the least recently used slot (an empty one was never used) */
	sqlite3_finalize(r->stmt[slot].s);
	free(r->stmt[slot].sql);
	r->stmt[slot].s = NULL;
	r->stmt[slot].used = 0;
	if ((r->stmt[slot].sql = text_dup(sql)) == NULL) {
		sql_seterr(err, errlen, "hết bộ nhớ — out of memory");
		return STORE_ERR;
	}
	rc = sqlite3_prepare_v3(r->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &r->stmt[slot].s, NULL);
	if (rc != SQLITE_OK) {
		free(r->stmt[slot].sql);
		r->stmt[slot].sql = NULL;
		r->stmt[slot].s = NULL;
		return sql_rdberr(r, rc, what, err, errlen);
	}
	r->stmt[slot].used = ++r->clock;
	*s = r->stmt[slot].s;
	return STORE_OK;
}

int
sql_rfinish(struct sql_reader *r, sqlite3_stmt *s, int rc, int ret,
    const char *what, char *err, size_t errlen)
{
	if (ret == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = sql_rdberr(r, rc, what, err, errlen);
	sql_done(s);
	return ret;
}

/* Transactions. */

int
sql_tx_begin(struct store *st, const char *what, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = sql_stmt(st, S_BEGIN, err, errlen)) == NULL)
		return STORE_ERR;
	if ((rc = sql_run(s)) != SQLITE_OK)
		return sql_dberr(st, rc, what, err, errlen);
	return STORE_OK;
}

void
sql_tx_rollback(struct store *st)
{
	sqlite3_stmt *s;

	/* SQLite may already have rolled back (disk full, I/O error) */
	if (!sqlite3_get_autocommit(st->db)) {
		if ((s = sql_stmt(st, S_ROLLBACK, NULL, 0)) != NULL)
			sql_run(s);
		if (!sqlite3_get_autocommit(st->db))
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	}
	sql_checks_forget(st);
}

int
sql_tx_commit(struct store *st, const char *what, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = sql_stmt(st, S_COMMIT, err, errlen)) == NULL) {
		sql_tx_rollback(st);
		return STORE_ERR;
	}
	if ((rc = sql_run(s)) != SQLITE_OK) {
		rc = sql_dberr(st, rc, what, err, errlen);
		sql_tx_rollback(st);
		return rc;
	}
	return STORE_OK;
}

/* Opening and migrations. */

static int
user_version(struct store *st, int *v, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc;

	rc = sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sql_dberr(st, rc, "store_open", err, errlen);
	rc = sqlite3_step(s);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return sql_dberr(st, rc, "store_open", err, errlen);
	return STORE_OK;
}

static int
store_migrate(struct store *st, char *err, size_t errlen)
{
	char sql[64];
	int v, rc;

	for (;;) {
		if ((rc = exec(st, "BEGIN IMMEDIATE", "store_open", err,
		    errlen)) != STORE_OK)
			return rc;
		/* read inside the transaction: another process may have
		 * migrated meanwhile */
		if ((rc = user_version(st, &v, err, errlen)) != STORE_OK)
			goto fail;
		if (v < 0 || (size_t)v > store_nmigrations) {
			sql_seterr(err, errlen,
			    "%s có lược đồ phiên bản %d, mới hơn phiên bản "
			    "%zu mà chương trình này hiểu — %s has schema "
			    "version %d, newer than the %zu this program knows",
			    st->path, v, store_nmigrations, st->path, v,
			    store_nmigrations);
			rc = STORE_ERR;
			goto fail;
		}
		if ((size_t)v == store_nmigrations)
			return exec(st, "COMMIT", "store_open", err, errlen);
		if ((rc = exec(st, store_migrations[v], "store_open migration",
		    err, errlen)) != STORE_OK)
			goto fail;
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if ((rc = exec(st, sql, "store_open", err, errlen)) !=
		    STORE_OK)
			goto fail;
		if ((rc = exec(st, "COMMIT", "store_open", err, errlen)) !=
		    STORE_OK)
			goto fail;
	}
fail:
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int
store_check_version(struct store *st, char *err, size_t errlen)
{
	int v, rc;

	if ((rc = user_version(st, &v, err, errlen)) != STORE_OK)
		return rc;
	if (v == 0) {
		sql_seterr(err, errlen,
		    "%s chưa được khởi tạo (hãy chạy canhgac "
		    "init) — %s is not initialised (run canhgac init)",
		    st->path, st->path);
		return STORE_ERR;
	}
	if ((size_t)v != store_nmigrations) {
		sql_seterr(err, errlen,
		    "%s có lược đồ phiên bản %d, chương trình "
		    "này cần phiên bản %zu (hãy khởi động canhgacd cùng phiên "
		    "bản để nâng cấp) — %s has schema version %d, this program "
		    "needs %zu (start canhgacd of the same release to migrate "
		    "it)", st->path, v, store_nmigrations, st->path, v,
		    store_nmigrations);
		return STORE_ERR;
	}
	return STORE_OK;
}

/* Checkpoints. */

/* After every commit of the writer, with the frames now in the log: a
 * log nobody checkpointed is checkpointed here, in the commit, as SQLite
 * would have done (never fully when a reader holds an old snapshot: the
 * log then restarts later). */
static int
store_wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct store *st = arg;

	atomic_store(&st->wal_frames, frames);
	if (frames >= STORE_WAL_MAX_PAGES)
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE,
		    NULL, NULL);
	return SQLITE_OK;
}

int
store_checkpoint(struct store *st, char *err, size_t errlen)
{
	int rc, ret = STORE_OK;

	if (st->readonly)
		return sql_readonly_err(st, "ghi nhật ký vào tệp — checkpoint "
		    "the log", err, errlen);
	/* nothing written since the last restart of the log */
	if (atomic_load(&st->wal_frames) == 0)
		return STORE_OK;
	pthread_mutex_lock(&st->ckpt_lock);
	if (st->ckpt_db == NULL) {
		rc = sqlite_open(st->path, SQLITE_OPEN_READWRITE |
		    SQLITE_OPEN_NOMUTEX, STORE_BUSY_MS, "kho dữ liệu",
		    "the store", &st->ckpt_db, err, errlen);
		if (rc != SQLITE_OK) {
			ret = store_code(NULL, rc);
			goto out;
		}
	}
	/* PASSIVE: copies what no reader still needs, never waits for the
	 * write lock; SQLITE_BUSY (another checkpoint running) is no error */
	rc = sqlite3_wal_checkpoint_v2(st->ckpt_db, NULL,
	    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY) {
		sqlite_error(st->ckpt_db, rc, st->path, "lỗi cơ sở dữ liệu "
		    "(store_checkpoint)", "database error (store_checkpoint)",
		    err, errlen);
		ret = store_code(st->ckpt_db, rc);
	}
out:
	pthread_mutex_unlock(&st->ckpt_lock);
	return ret;
}

/* Opening. */

int
store_open(const char *path, unsigned flags, struct store **out, char *err,
    size_t errlen)
{
	struct store *st;
	char sql[64];
	int oflags, rc;

	*out = NULL;
	if (path == NULL || *path == '\0') {
		sql_seterr(err, errlen,
		    "thiếu đường dẫn kho dữ liệu — no store "
		    "path given");
		return STORE_ERR;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL ||
	    (st->checks = calloc(CHECK_CACHE_SLOTS,
	    sizeof(*st->checks))) == NULL) {
		free(st);
		sql_seterr(err, errlen, "hết bộ nhớ — out of memory");
		return STORE_ERR;
	}
	st->path = text_dup(path);
	st->readonly = (flags & STORE_READONLY) != 0;
	pthread_mutex_init(&st->lock, NULL);
	pthread_mutex_init(&st->queue_lock, NULL);
	pthread_cond_init(&st->queue_done, NULL);
	st->queue_tail = &st->queue;
	pthread_mutex_init(&st->ckpt_lock, NULL);
	pthread_mutex_init(&st->pool_lock, NULL);
	pthread_cond_init(&st->pool_idle, NULL);

	/* the store holds password hashes: created 0600 (lib/sqlite.c);
	 * writes are serialised by st->lock */
	oflags = SQLITE_OPEN_NOMUTEX | (st->readonly ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | (flags & STORE_CREATE ?
	    SQLITE_OPEN_CREATE : 0));
	rc = sqlite_open(path, oflags, STORE_BUSY_MS, "kho dữ liệu",
	    "the store", &st->db, err, errlen);
	if (rc != SQLITE_OK) {
		store_close(st);
		return rc == SQLITE_CANTOPEN ? STORE_ENOTFOUND :
		    store_code(NULL, rc);
	}
	if ((rc = exec(st, "PRAGMA cache_size = -16384", "store_open", err,
	    errlen)) != STORE_OK)
		goto fail;
	if (st->readonly) {
		if ((rc = exec(st, "PRAGMA query_only = ON", "store_open", err,
		    errlen)) != STORE_OK)
			goto fail;
		if ((rc = store_check_version(st, err, errlen)) != STORE_OK)
			goto fail;
	} else {
		if ((rc = store_migrate(st, err, errlen)) != STORE_OK)
			goto fail;
		snprintf(sql, sizeof(sql), "PRAGMA journal_size_limit = %d",
		    STORE_WAL_MAX_PAGES * 4096);
		if ((rc = exec(st, sql, "store_open", err, errlen)) !=
		    STORE_OK)
			goto fail;
		/* replaces SQLite's automatic checkpoint */
		sqlite3_wal_hook(st->db, store_wal_hook, st);
	}
	*out = st;
	return STORE_OK;
fail:
	store_close(st);
	return rc;
}

void
store_close(struct store *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < S_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	for (i = 0; i < STORE_READERS; i++)
		reader_close(st->readers[i]);
	if (st->ckpt_db != NULL)
		sqlite3_close(st->ckpt_db);
	if (st->db != NULL)
		sqlite3_close(st->db);
	pthread_mutex_destroy(&st->lock);
	pthread_mutex_destroy(&st->queue_lock);
	pthread_cond_destroy(&st->queue_done);
	pthread_mutex_destroy(&st->ckpt_lock);
	pthread_mutex_destroy(&st->pool_lock);
	pthread_cond_destroy(&st->pool_idle);
	free(st->checks);
	free(st->path);
	free(st);
}

int
store_schema_version(struct store *st)
{
	int v = -1;

	pthread_mutex_lock(&st->lock);
	if (user_version(st, &v, NULL, 0) != STORE_OK)
		v = -1;
	pthread_mutex_unlock(&st->lock);
	return v;
}

int
store_set_max_size(struct store *st, int64_t bytes)
{
	sqlite3_stmt *s;
	int64_t page = 4096, pages;
	char sql[64];
	int rc;

	pthread_mutex_lock(&st->lock);
	if (sqlite3_prepare_v2(st->db, "PRAGMA page_size", -1, &s,
	    NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			page = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	if (page <= 0)
		page = 4096;
	if (bytes <= 0)
		pages = 4294967294LL;	/* SQLite's own largest bound */
	else if ((pages = bytes / page) < 1)
		pages = 1;
	if (pages > 4294967294LL)
		pages = 4294967294LL;
	/* below the current size SQLite keeps the current size: the store
	 * then takes nothing more */
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %" PRId64, pages);
	rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	pthread_mutex_unlock(&st->lock);
	return rc == SQLITE_OK ? STORE_OK : STORE_ERR;
}

/* Events (called with the lock held, inside or outside a transaction). */

static bool
kind_valid(const char *k)
{
	size_t n;

	if (k == NULL)
		return false;
	for (n = 0; k[n] != '\0'; n++)
		if (!((k[n] >= 'a' && k[n] <= 'z') ||
		    (k[n] >= '0' && k[n] <= '9') || k[n] == '.' ||
		    k[n] == '-' || k[n] == '_'))
			return false;
	return n >= 1 && n <= 64;
}

static int
event_add(struct store *st, int64_t now, const char *kind,
    const char *agent_id, const char *host_id, const char *detail,
    char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc;

	if ((s = sql_stmt(st, S_EVENT_ADD, err, errlen)) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(s, 1, now);
	sql_bind_text(s, 2, kind);
	sql_bind_text(s, 3, agent_id);
	sql_bind_text(s, 4, host_id);
	sql_bind_text(s, 5, detail);
	if ((rc = sql_run(s)) != SQLITE_OK)
		return sql_dberr(st, rc, "store_event", err, errlen);
	return STORE_OK;
}

/* An event whose detail is a JSON object built here (stolen). */
int
sql_event_json(struct store *st, int64_t now, const char *kind,
    const char *agent_id, const char *host_id, json_t *detail, char *err,
    size_t errlen)
{
	char *text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
	int rc;

	json_decref(detail);
	rc = event_add(st, now, kind, agent_id, host_id, text, err, errlen);
	free(text);
	return rc;
}

int
store_event(struct store *st, int64_t now, const char *kind,
    const char *agent_id, const char *host_id, const char *detail,
    char *err, size_t errlen)
{
	int rc;

	if (!kind_valid(kind)) {
		sql_seterr(err, errlen,
		    "loại sự kiện không hợp lệ \"%s\" — invalid "
		    "event kind \"%s\"", kind ? kind : "", kind ? kind : "");
		return STORE_ERR;
	}
	if (detail != NULL && !text_valid_utf8(detail, strlen(detail))) {
		sql_seterr(err, errlen,
		    "chi tiết sự kiện %s không phải UTF-8 — "
		    "detail of event %s is not UTF-8", kind, kind);
		return STORE_ERR;
	}
	pthread_mutex_lock(&st->lock);
	if ((rc = sql_writable(st, "ghi sự kiện — write an event", err,
	    errlen)) == STORE_OK)
		rc = event_add(st, now, kind, agent_id, host_id, detail, err,
		    errlen);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

int
store_events(struct store *st, int64_t since_id, int limit,
    int (*cb)(const struct store_event_row *, void *), void *arg, char *err,
    size_t errlen)
{
	struct sql_reader *rd = NULL;
	struct store_event_row ev;
	sqlite3_stmt *s;
	int rc, ret;

	if ((ret = sql_read_begin(st, &rd, "store_events", err, errlen)) !=
	    STORE_OK)
		goto out;
	if ((ret = sql_rprepare(rd, "SELECT id, time, kind, agent_id, host_id,"
	    " detail FROM events WHERE id > ?1 ORDER BY id LIMIT ?2", &s,
	    "store_events", err, errlen)) != STORE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, since_id);
	sqlite3_bind_int(s, 2, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ev.id = sqlite3_column_int64(s, 0);
		ev.time = sqlite3_column_int64(s, 1);
		ev.kind = sql_col_text(s, 2);
		ev.agent_id = sql_col_text(s, 3);
		ev.host_id = sql_col_text(s, 4);
		ev.detail = sql_col_text(s, 5);
		if ((ret = cb(&ev, arg)) != 0)
			break;
	}
	ret = sql_rfinish(rd, s, rc, ret, "store_events", err, errlen);
out:
	sql_read_end(rd);
	return ret;
}

/* A lookup shared by a write (rd NULL: on the writer, under st->lock)
 * and a read (on the reader rd): its statement, given back after use, and
 * its error. */
static int
conn_prepare(struct store *st, struct sql_reader *rd, const char *sql,
    sqlite3_stmt **s, const char *what, char *err, size_t errlen)
{
	return rd != NULL ? sql_rprepare(rd, sql, s, what, err, errlen) :
	    sql_prepare(st, sql, s, what, err, errlen);
}

static void
conn_release(struct sql_reader *rd, sqlite3_stmt *s)
{
	if (rd != NULL)
		sql_done(s);
	else
		sqlite3_finalize(s);
}

static int
conn_dberr(struct store *st, struct sql_reader *rd, int rc, const char *what,
    char *err, size_t errlen)
{
	return rd != NULL ? sql_rdberr(rd, rc, what, err, errlen) :
	    sql_dberr(st, rc, what, err, errlen);
}

/* Units and people. */

static int
unit_lookup(struct store *st, struct sql_reader *rd, const char *name,
    int64_t *id, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = conn_prepare(st, rd, "SELECT id FROM units WHERE name = ?1",
	    &s, "store_unit_find", err, errlen)) != STORE_OK)
		return rc;
	sql_bind_text(s, 1, name);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	conn_release(rd, s);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	if (rc == SQLITE_DONE) {
		sql_seterr(err, errlen,
		    "không có đơn vị \"%s\" — no unit named "
		    "\"%s\"", name, name);
		return STORE_ENOTFOUND;
	}
	return conn_dberr(st, rd, rc, "store_unit_find", err, errlen);
}

int
store_unit_ensure(struct store *st, const char *name, int64_t *id,
    char *err, size_t errlen)
{
	sqlite3_stmt *s;
	char *n;
	int ret;

	if (!name_valid(name, 255)) {
		sql_seterr(err, errlen,
		    "tên đơn vị không hợp lệ (1–255 byte UTF-8, không có "
		    "ký tự điều khiển) — invalid unit name (1–255 bytes of "
		    "UTF-8 without control characters)");
		return STORE_ERR;
	}
	n = sql_nfc(name);
	pthread_mutex_lock(&st->lock);
	if ((ret = sql_writable(st, "thêm đơn vị — add a unit", err,
	    errlen)) != STORE_OK ||
	    (ret = sql_prepare(st, "INSERT INTO units(name) VALUES (?1)"
	    " ON CONFLICT(name) DO NOTHING", &s, "store_unit_ensure", err,
	    errlen)) != STORE_OK)
		goto out;
	sql_bind_text(s, 1, n);
	if ((ret = sql_once(st, s, "store_unit_ensure", err, errlen)) ==
	    STORE_OK)
		ret = unit_lookup(st, NULL, n, id, err, errlen);
out:
	pthread_mutex_unlock(&st->lock);
	free(n);
	return ret;
}

int
store_unit_find(struct store *st, const char *name, int64_t *id, char *err,
    size_t errlen)
{
	struct sql_reader *rd = NULL;
	char *n;
	int ret;

	if (name == NULL) {
		sql_seterr(err, errlen,
		    "thiếu tên đơn vị — no unit name given");
		return STORE_ERR;
	}
	n = sql_nfc(name);
	if ((ret = sql_read_begin(st, &rd, "store_unit_find", err, errlen)) ==
	    STORE_OK)
		ret = unit_lookup(st, rd, n, id, err, errlen);
	sql_read_end(rd);
	free(n);
	return ret;
}

/* The result of an INSERT that names a unit: STORE_OK, EEXISTS (what,
 * "<vi> — <en>", already exists), ENOTFOUND (no such unit) or the error. */
static int
insert_result(struct store *st, int rc, int64_t unit_id, const char *exists,
    const char *what, char *err, size_t errlen)
{
	if (rc == SQLITE_DONE)
		return STORE_OK;
	if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		sql_seterr(err, errlen, "%s", exists);
		return STORE_EEXISTS;
	}
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
		sql_seterr(err, errlen,
		    "không có đơn vị số %" PRId64 " — no unit "
		    "with id %" PRId64, unit_id, unit_id);
		return STORE_ENOTFOUND;
	}
	return sql_dberr(st, rc, what, err, errlen);
}

int
store_user_add(struct store *st, const char *login, const char *name,
    const char *role, int64_t unit_id, const char *pwhash, int64_t now,
    char *err, size_t errlen)
{
	static const char *const roles[] = {
		"supervisor", "unit-it", "unit-head", "viewer", NULL
	};
	sqlite3_stmt *s;
	char exists[600];
	size_t i;
	int rc, ret;

	for (i = 0; roles[i] != NULL; i++)
		if (role != NULL && strcmp(role, roles[i]) == 0)
			break;
	if (roles[i] == NULL) {
		sql_seterr(err, errlen,
		    "vai trò không hợp lệ \"%s\" (supervisor, "
		    "unit-it, unit-head, viewer) — invalid role \"%s\"",
		    role ? role : "", role ? role : "");
		return STORE_ERR;
	}
	if (!name_valid(login, 255) || !name_valid(name, 255)) {
		sql_seterr(err, errlen,
		    "tên đăng nhập hoặc họ tên không hợp lệ — "
		    "invalid login or name");
		return STORE_ERR;
	}
	if (pwhash == NULL || *pwhash == '\0') {
		sql_seterr(err, errlen,
		    "thiếu mật khẩu băm — no password hash");
		return STORE_ERR;
	}
	pthread_mutex_lock(&st->lock);
	if ((ret = sql_writable(st, "thêm người dùng — add a user", err,
	    errlen)) != STORE_OK ||
	    (ret = sql_prepare(st, "INSERT INTO users(login, name, role,"
	    " unit_id, pwhash, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &s,
	    "store_user_add", err, errlen)) != STORE_OK)
		goto out;
	sql_bind_text(s, 1, login);
	sql_bind_text(s, 2, name);
	sql_bind_text(s, 3, role);
	if (unit_id > 0)
		sqlite3_bind_int64(s, 4, unit_id);
	sql_bind_text(s, 5, pwhash);
	sqlite3_bind_int64(s, 6, now);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	snprintf(exists, sizeof(exists), "người dùng \"%s\" đã có — user "
	    "\"%s\" already exists", login, login);
	ret = insert_result(st, rc, unit_id, exists, "store_user_add", err,
	    errlen);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
store_user_count(struct store *st, int64_t *n, char *err, size_t errlen)
{
	static const char what[] = "store_user_count";
	struct sql_reader *rd = NULL;
	sqlite3_stmt *s;
	int rc, ret;

	*n = 0;
	if ((ret = sql_read_begin(st, &rd, what, err, errlen)) != STORE_OK ||
	    (ret = sql_rprepare(rd, "SELECT count(*) FROM users", &s, what,
	    err, errlen)) != STORE_OK)
		goto out;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	ret = sql_rfinish(rd, s, rc, STORE_OK, what, err, errlen);
out:
	sql_read_end(rd);
	return ret;
}

/* Enrolment tokens. */

int
store_token_add(struct store *st, const char *hash_hex, int64_t unit_id,
    int64_t now, int64_t expires, int uses_max, const char *note,
    int64_t *id, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc, ret;

	if (!hex64_valid(hash_hex)) {
		sql_seterr(err, errlen,
		    "mã băm của mã đăng ký phải là 64 chữ số hex "
		    "thường — the token hash must be 64 lowercase hex digits");
		return STORE_ERR;
	}
	if (uses_max < 1) {
		sql_seterr(err, errlen,
		    "số lần dùng phải từ 1 trở lên (có %d) — "
		    "the number of uses must be at least 1 (got %d)", uses_max,
		    uses_max);
		return STORE_ERR;
	}
	if (note != NULL && !name_valid(note, 255) && *note != '\0') {
		sql_seterr(err, errlen, "ghi chú không hợp lệ — invalid note");
		return STORE_ERR;
	}
	pthread_mutex_lock(&st->lock);
	if ((ret = sql_writable(st, "tạo mã đăng ký — create a token", err,
	    errlen)) != STORE_OK ||
	    (ret = sql_prepare(st, "INSERT INTO tokens(hash, unit_id, created,"
	    " expires, uses_max, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &s,
	    "store_token_add", err, errlen)) != STORE_OK)
		goto out;
	sql_bind_text(s, 1, hash_hex);
	sqlite3_bind_int64(s, 2, unit_id);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, expires > 0 ? expires : 0);
	sqlite3_bind_int(s, 5, uses_max);
	sql_bind_text(s, 6, note ? note : "");
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	ret = insert_result(st, rc, unit_id, "mã đăng ký này đã có — this "
	    "token already exists", "store_token_add", err, errlen);
	if (ret == STORE_OK && id != NULL)
		*id = sqlite3_last_insert_rowid(st->db);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
store_token_revoke(struct store *st, int64_t id, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int ret;

	pthread_mutex_lock(&st->lock);
	if ((ret = sql_writable(st, "thu hồi mã đăng ký — revoke a token", err,
	    errlen)) != STORE_OK ||
	    (ret = sql_prepare(st, "UPDATE tokens SET revoked = 1 WHERE id = ?1",
	    &s, "store_token_revoke", err, errlen)) != STORE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, id);
	if ((ret = sql_once(st, s, "store_token_revoke", err, errlen)) ==
	    STORE_OK && sqlite3_changes(st->db) == 0) {
		sql_seterr(err, errlen,
		    "không có mã đăng ký số %" PRId64 " — no "
		    "token with id %" PRId64, id, id);
		ret = STORE_ENOTFOUND;
	}
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
store_token_list(struct store *st,
    int (*cb)(const struct store_token *, void *), void *arg, char *err,
    size_t errlen)
{
	struct sql_reader *rd = NULL;
	struct store_token t;
	sqlite3_stmt *s;
	int rc, ret;

	if ((ret = sql_read_begin(st, &rd, "store_token_list", err, errlen)) !=
	    STORE_OK)
		goto out;
	if ((ret = sql_rprepare(rd, "SELECT t.id, t.unit_id, u.name, t.created,"
	    " t.expires, t.uses_max, t.uses, t.revoked, t.note FROM tokens t"
	    " JOIN units u ON u.id = t.unit_id ORDER BY t.id", &s,
	    "store_token_list", err, errlen)) != STORE_OK)
		goto out;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&t, 0, sizeof(t));
		t.id = sqlite3_column_int64(s, 0);
		t.unit_id = sqlite3_column_int64(s, 1);
		sql_copy(t.unit, sizeof(t.unit), sqlite3_column_text(s, 2));
		t.created = sqlite3_column_int64(s, 3);
		t.expires = sqlite3_column_int64(s, 4);
		t.uses_max = sqlite3_column_int(s, 5);
		t.uses = sqlite3_column_int(s, 6);
		t.revoked = sqlite3_column_int(s, 7) != 0;
		sql_copy(t.note, sizeof(t.note), sqlite3_column_text(s, 8));
		if ((ret = cb(&t, arg)) != 0)
			break;
	}
	ret = sql_rfinish(rd, s, rc, ret, "store_token_list", err, errlen);
out:
	sql_read_end(rd);
	return ret;
}

/* Agents. */

#define AGENT_SELECT \
	"SELECT a.id, a.host_id, coalesce(h.hostname, ''), a.unit_id," \
	" u.name, a.cert_serial, a.enrolled, a.last_seen, a.revoked_at," \
	" a.version FROM agents a JOIN units u ON u.id = a.unit_id" \
	" LEFT JOIN hosts h ON h.id = a.host_id"

static void
agent_row(sqlite3_stmt *s, struct store_agent *a)
{
	memset(a, 0, sizeof(*a));
	sql_copy(a->id, sizeof(a->id), sqlite3_column_text(s, 0));
	sql_copy(a->host_id, sizeof(a->host_id), sqlite3_column_text(s, 1));
	sql_copy(a->hostname, sizeof(a->hostname), sqlite3_column_text(s, 2));
	a->unit_id = sqlite3_column_int64(s, 3);
	sql_copy(a->unit, sizeof(a->unit), sqlite3_column_text(s, 4));
	sql_copy(a->cert_serial, sizeof(a->cert_serial),
	    sqlite3_column_text(s, 5));
	a->enrolled = sqlite3_column_int64(s, 6);
	a->last_seen = sqlite3_column_int64(s, 7);
	a->revoked_at = sqlite3_column_int64(s, 8);
	a->revoked = a->revoked_at != 0;
	sql_copy(a->version, sizeof(a->version), sqlite3_column_text(s, 9));
}

/* Sets an agent's revoked_at (inside a transaction). */
static int
agent_set_revoked(struct store *st, const char *id, int64_t now,
    const char *what, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int ret;

	if ((ret = sql_prepare(st, "UPDATE agents SET revoked_at = ?2"
	    " WHERE id = ?1", &s, what, err, errlen)) != STORE_OK)
		return ret;
	sql_bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	return sql_once(st, s, what, err, errlen);
}

/* Inside store_enrol's transaction: the token, checked and used once. */
static int
enrol_token(struct store *st, const char *hash, int64_t now,
    int64_t *token_id, int64_t *unit_id, char *unit, size_t unitlen,
    char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int64_t expires;
	int rc, uses, uses_max, revoked;

	if ((rc = sql_prepare(st, "SELECT t.id, t.unit_id, u.name, t.expires,"
	    " t.uses_max, t.uses, t.revoked FROM tokens t"
	    " JOIN units u ON u.id = t.unit_id WHERE t.hash = ?1", &s,
	    "store_enrol", err, errlen)) != STORE_OK)
		return rc;
	sql_bind_text(s, 1, hash);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return sql_dberr(st, rc, "store_enrol", err, errlen);
		sql_seterr(err, errlen, "mã đăng ký không tồn tại — no such "
		    "enrolment token");
		return STORE_ENOTFOUND;
	}
	*token_id = sqlite3_column_int64(s, 0);
	*unit_id = sqlite3_column_int64(s, 1);
	sql_copy((char *)unit, unitlen, sqlite3_column_text(s, 2));
	expires = sqlite3_column_int64(s, 3);
	uses_max = sqlite3_column_int(s, 4);
	uses = sqlite3_column_int(s, 5);
	revoked = sqlite3_column_int(s, 6);
	sqlite3_finalize(s);
	if (revoked) {
		sql_seterr(err, errlen,
		    "mã đăng ký số %" PRId64 " đã bị thu hồi — "
		    "enrolment token %" PRId64 " was revoked", *token_id,
		    *token_id);
		return STORE_EREVOKED;
	}
	if (expires != 0 && now >= expires) {
		sql_seterr(err, errlen,
		    "mã đăng ký số %" PRId64 " đã hết hạn — "
		    "enrolment token %" PRId64 " has expired", *token_id,
		    *token_id);
		return STORE_EEXPIRED;
	}
	if (uses >= uses_max) {
		sql_seterr(err, errlen,
		    "mã đăng ký số %" PRId64 " đã dùng hết %d "
		    "lần cho phép — enrolment token %" PRId64 " has no uses "
		    "left (%d)", *token_id, uses_max, *token_id, uses_max);
		return STORE_EUSEDUP;
	}
	if ((rc = sql_prepare(st, "UPDATE tokens SET uses = uses + 1"
	    " WHERE id = ?1", &s, "store_enrol", err, errlen)) != STORE_OK)
		return rc;
	sqlite3_bind_int64(s, 1, *token_id);
	return sql_once(st, s, "store_enrol", err, errlen);
}

/* Inside store_enrol's transaction: revokes the agents that spoke for the
 * host before, each with an "agent.revoked" event. */
static int
enrol_replace(struct store *st, const struct store_agent *a, int64_t now,
    char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc, ret;

	if ((ret = sql_prepare(st, "SELECT id FROM agents WHERE host_id = ?1"
	    " AND revoked_at = 0", &s, "store_enrol", err, errlen)) !=
	    STORE_OK)
		return ret;
	sql_bind_text(s, 1, a->host_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char old[sizeof(a->id)];

		sql_copy(old, sizeof(old), sqlite3_column_text(s, 0));
		if ((ret = agent_set_revoked(st, old, now, "store_enrol", err,
		    errlen)) != STORE_OK ||
		    (ret = sql_event_json(st, now, "agent.revoked", old,
		    a->host_id, json_pack("{s:s, s:s}", "by", "enrol",
		    "replaced_by", a->id), err, errlen)) != STORE_OK)
			break;
	}
	if (ret == STORE_OK && rc != SQLITE_DONE)
		ret = sql_dberr(st, rc, "store_enrol", err, errlen);
	sqlite3_finalize(s);
	return ret;
}

static int
enrol_agent(struct store *st, struct store_agent *a, int64_t token_id,
    int64_t now, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "SELECT 1 FROM agents WHERE id = ?1", &s,
	    "store_enrol", err, errlen)) != STORE_OK)
		return rc;
	sql_bind_text(s, 1, a->id);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW) {
		sql_seterr(err, errlen,
		    "agent %s đã có — agent %s already exists",
		    a->id, a->id);
		return STORE_EEXISTS;
	}
	if (rc != SQLITE_DONE)
		return sql_dberr(st, rc, "store_enrol", err, errlen);
	if ((rc = enrol_replace(st, a, now, err, errlen)) != STORE_OK)
		return rc;

	/* the host: created, or taken over by the new agent and its unit */
	if ((rc = sql_prepare(st, "INSERT INTO hosts(id, hostname, unit_id,"
	    " agent_id, first_seen, last_seen)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT(id) DO UPDATE SET"
	    " hostname = excluded.hostname, unit_id = excluded.unit_id,"
	    " agent_id = excluded.agent_id, last_seen = excluded.last_seen",
	    &s, "store_enrol", err, errlen)) != STORE_OK)
		return rc;
	sql_bind_text(s, 1, a->host_id);
	sql_bind_text(s, 2, a->hostname);
	sqlite3_bind_int64(s, 3, a->unit_id);
	sql_bind_text(s, 4, a->id);
	sqlite3_bind_int64(s, 5, now);
	if ((rc = sql_once(st, s, "store_enrol", err, errlen)) != STORE_OK)
		return rc;

	if ((rc = sql_prepare(st, "INSERT INTO agents(id, host_id, unit_id,"
	    " token_id, cert_serial, enrolled, version)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &s, "store_enrol", err,
	    errlen)) != STORE_OK)
		return rc;
	sql_bind_text(s, 1, a->id);
	sql_bind_text(s, 2, a->host_id);
	sqlite3_bind_int64(s, 3, a->unit_id);
	sqlite3_bind_int64(s, 4, token_id);
	sql_bind_text(s, 5, a->cert_serial);
	sqlite3_bind_int64(s, 6, now);
	sql_bind_text(s, 7, a->version);
	if ((rc = sql_once(st, s, "store_enrol", err, errlen)) != STORE_OK)
		return rc;
	return sql_event_json(st, now, "agent.enrolled", a->id, a->host_id,
	    json_pack("{s:I, s:s, s:s, s:s}", "token", (json_int_t)token_id,
	    "unit", a->unit, "hostname", a->hostname, "cert_serial",
	    a->cert_serial), err, errlen);
}

int
store_enrol(struct store *st, const char *token_hash_hex, int64_t now,
    struct store_agent *a, char *err, size_t errlen)
{
	int64_t token_id = 0;
	int ret;

	if (!hex64_valid(token_hash_hex)) {
		sql_seterr(err, errlen, "mã đăng ký không tồn tại — no such "
		    "enrolment token");
		return STORE_ENOTFOUND;
	}
	if (!sql_id_valid(a->id, sizeof(a->id) - 1) ||
	    !sql_id_valid(a->host_id, sizeof(a->host_id) - 1) ||
	    !name_valid(a->hostname, sizeof(a->hostname) - 1) ||
	    (a->version[0] != '\0' &&
	    !name_valid(a->version, sizeof(a->version) - 1)) ||
	    (a->cert_serial[0] != '\0' &&
	    !sql_id_valid(a->cert_serial, sizeof(a->cert_serial) - 1))) {
		sql_seterr(err, errlen,
		    "agent không hợp lệ (id, host_id, hostname, "
		    "cert_serial hoặc version) — invalid agent (id, host_id, "
		    "hostname, cert_serial or version)");
		return STORE_ERR;
	}
	pthread_mutex_lock(&st->lock);
	if ((ret = sql_writable(st, "đăng ký agent — enrol an agent", err,
	    errlen)) != STORE_OK ||
	    (ret = sql_tx_begin(st, "store_enrol", err, errlen)) != STORE_OK)
		goto out;
	if ((ret = enrol_token(st, token_hash_hex, now, &token_id,
	    &a->unit_id, a->unit, sizeof(a->unit), err, errlen)) != STORE_OK ||
	    (ret = enrol_agent(st, a, token_id, now, err, errlen)) !=
	    STORE_OK) {
		sql_tx_rollback(st);
		goto out;
	}
	if ((ret = sql_tx_commit(st, "store_enrol", err, errlen)) == STORE_OK)
		a->enrolled = now;
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

/* The agent id, its host and revoked_at, or ENOTFOUND with err. */
static int
agent_find(struct store *st, struct sql_reader *rd, const char *id,
    struct store_agent *a, const char *what, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = conn_prepare(st, rd, AGENT_SELECT " WHERE a.id = ?1", &s,
	    what, err, errlen)) != STORE_OK)
		return rc;
	sql_bind_text(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		agent_row(s, a);
	conn_release(rd, s);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	if (rc != SQLITE_DONE)
		return conn_dberr(st, rd, rc, what, err, errlen);
	sql_seterr(err, errlen, "không có agent %s — no agent %s",
	    id ? id : "", id ? id : "");
	return STORE_ENOTFOUND;
}

int
store_agent_get(struct store *st, const char *id, struct store_agent *a,
    char *err, size_t errlen)
{
	struct sql_reader *rd = NULL;
	int ret;

	if ((ret = sql_read_begin(st, &rd, "store_agent_get", err, errlen)) ==
	    STORE_OK)
		ret = agent_find(st, rd, id, a, "store_agent_get", err, errlen);
	sql_read_end(rd);
	return ret;
}

int
store_agent_revoke(struct store *st, const char *id, int64_t now,
    const char *by, char *err, size_t errlen)
{
	struct store_agent a;
	int ret;

	pthread_mutex_lock(&st->lock);
	if ((ret = sql_writable(st, "thu hồi agent — revoke an agent", err,
	    errlen)) != STORE_OK ||
	    (ret = sql_tx_begin(st, "store_agent_revoke", err, errlen)) !=
	    STORE_OK)
		goto out;
	if ((ret = agent_find(st, NULL, id, &a, "store_agent_revoke", err,
	    errlen)) != STORE_OK)
		goto fail;
	if (a.revoked) {
		sql_seterr(err, errlen,
		    "agent %s đã bị thu hồi từ trước — agent %s "
		    "was already revoked", id, id);
		ret = STORE_EREVOKED;
		goto fail;
	}
	if ((ret = agent_set_revoked(st, id, now, "store_agent_revoke", err,
	    errlen)) != STORE_OK ||
	    (ret = sql_event_json(st, now, "agent.revoked", id, a.host_id,
	    json_pack("{s:s?}", "by", by), err, errlen)) != STORE_OK)
		goto fail;
	ret = sql_tx_commit(st, "store_agent_revoke", err, errlen);
	goto out;
fail:
	sql_tx_rollback(st);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
store_agent_list(struct store *st,
    int (*cb)(const struct store_agent *, void *), void *arg, char *err,
    size_t errlen)
{
	struct sql_reader *rd = NULL;
	struct store_agent a;
	sqlite3_stmt *s;
	int rc, ret;

	if ((ret = sql_read_begin(st, &rd, "store_agent_list", err, errlen)) !=
	    STORE_OK)
		goto out;
	if ((ret = sql_rprepare(rd, AGENT_SELECT
	    " ORDER BY u.name, h.hostname, a.enrolled, a.id", &s,
	    "store_agent_list", err, errlen)) != STORE_OK)
		goto out;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		agent_row(s, &a);
		if ((ret = cb(&a, arg)) != 0)
			break;
	}
	ret = sql_rfinish(rd, s, rc, ret, "store_agent_list", err, errlen);
out:
	sql_read_end(rd);
	return ret;
}
