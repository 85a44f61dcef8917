/*
 * store_int.h — what the files of the SQLite store share: the handle, its
 * cached statements, the helpers of store_sqlite.c (prefixed sql_) and the
 * schema migrations of store_schema.c. Not an interface for the rest of
 * the server: that is store.h. The store is split by concern:
 * store_sqlite.c (handle, readers, migrations, people, tokens, agents,
 * events), store_sqlite_batch.c (ingestion), store_sqlite_read.c and
 * store_sqlite_console.c (reading).
 *
 * Writes go through the one writer connection (st->db) under st->lock;
 * reads through a pool of read-only connections (struct sql_reader), each
 * taken for one call and one read transaction: WAL lets them run beside
 * each other and beside the writer.
 */
#ifndef CG_STORE_INT_H
#define CG_STORE_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

#include "server/store.h"

/* store_migrations[i] brings the schema from version i to i + 1; each is
 * applied in its own transaction together with PRAGMA user_version. A
 * migration, once released, is never edited: a change is a new entry. */
extern const char *const store_migrations[];
extern const size_t store_nmigrations;

#define CHECK_CACHE_SLOTS 2048		/* power of two */
#define CHECK_CACHE_MAX (CHECK_CACHE_SLOTS / 2)
#define CHECK_ID_MAX 64

/* The statements prepared once per handle (the hot path of store_batch
 * and a few fixed ones); their SQL is in store_sqlite.c. */
enum store_stmt {
	S_BEGIN, S_COMMIT, S_ROLLBACK,
	S_SAVEPOINT, S_RELEASE, S_ROLLBACK_TO,
	S_AGENT_FOR_BATCH, S_BATCH_ADD, S_BATCH_COUNT, S_AGENT_SEEN,
	S_HOST_GET, S_HOST_ADD, S_HOST_SEEN, S_HOST_UPDATE,
	S_REPORT_ADD, S_SCORE_ADD, S_POINTS_CLEAR, S_POINT_PUT,
	S_FACTS_GET, S_FACT_PUT, S_FACT_DEL, S_FACT_HISTORY_ADD,
	S_FINDINGS_GET, S_FINDING_ADD, S_FINDING_UPDATE, S_FINDING_GONE,
	S_CHECK_PUT,
	S_EVENT_ADD,
	S_COUNT
};

/* Which checks' catalogue entries this handle wrote, with a hash of their
 * text: a report repeating them costs no statement. Emptied on rollback. */
struct check_slot {
	char id[CHECK_ID_MAX + 1];
	uint64_t hash;
};

/* A caller of store_batch waiting for its batch to be committed: the
 * queue of group commit (store_sqlite_batch.c). */
struct batch_req;

/* The write-ahead log: checkpointed by store_checkpoint from another
 * connection, off the commit path; a commit that leaves more frames than
 * this in the log checkpoints it itself (nobody called store_checkpoint),
 * and the log file is cut back to this size once it restarts. */
#define STORE_WAL_MAX_PAGES 8192	/* 32 MB of 4 KB pages */

/* A read-only connection of the pool with the statements prepared on it,
 * known by their SQL text (the text of a dynamic query too). */
#define STORE_READERS 4
#define READER_STMT_SLOTS 48
struct sql_reader {
	struct store *st;
	sqlite3 *db;
	struct {
		char *sql;
		sqlite3_stmt *s;
		uint64_t used;
	} stmt[READER_STMT_SLOTS];
	uint64_t clock;
	struct sql_reader *next;	/* in the idle list */
};

struct store {
	sqlite3 *db;			/* the writer */
	pthread_mutex_t lock;		/* held by every write */
	char *path;
	bool readonly;
	sqlite3_stmt *stmt[S_COUNT];
	struct check_slot *checks;	/* CHECK_CACHE_SLOTS */
	size_t nchecks;

	/* group commit: batches waiting, and whether one caller is
	 * storing a group of them (the leader) */
	pthread_mutex_t queue_lock;
	pthread_cond_t queue_done;
	struct batch_req *queue, **queue_tail;
	size_t nqueue;			/* batches in the queue */
	bool leader;

	/* checkpoints: frames in the log after the last commit (written
	 * under lock, read by store_checkpoint), and the connection that
	 * checkpoints, opened on first use */
	_Atomic int wal_frames;
	pthread_mutex_t ckpt_lock;
	sqlite3 *ckpt_db;

	/* readers: opened on first use, at most STORE_READERS, handed out
	 * one per call */
	pthread_mutex_t pool_lock;
	pthread_cond_t pool_idle;
	struct sql_reader *readers[STORE_READERS];
	size_t nreaders;
	struct sql_reader *idle;
};

/* Errors: err gets "<vi> — <en>"; sql_dberr maps an SQLite result to a
 * STORE_E* code (disk full, busy, other) naming the file and what, in the
 * words of lib/sqlite.c. */
void sql_seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int sql_dberr(struct store *st, int rc, const char *what, char *err,
    size_t errlen);
/* "<store> is open read-only, cannot <what>" (what: "<vi> — <en>"), and
 * that error on a read-only handle, else STORE_OK. */
int sql_readonly_err(struct store *st, const char *what, char *err,
    size_t errlen);
int sql_writable(struct store *st, const char *what, char *err,
    size_t errlen);

/* Copies src into dst[size], cut at a character boundary. */
void sql_copy(char *dst, size_t size, const unsigned char *src);
/* [A-Za-z0-9-]{1,max} */
bool sql_id_valid(const char *s, size_t max);
/* malloc'd NFC form of a name (a copy when not UTF-8), NULL for NULL. */
char *sql_nfc(const char *s);
const char *sql_col_text(sqlite3_stmt *s, int i);
/* Binds a string the caller keeps alive until the statement is reset;
 * NULL binds NULL. */
void sql_bind_text(sqlite3_stmt *s, int i, const char *v);

/* The cached statement id (prepared on first use), NULL with err. */
sqlite3_stmt *sql_stmt(struct store *st, enum store_stmt id, char *err,
    size_t errlen);
/* Resets a statement and clears its bindings. */
void sql_done(sqlite3_stmt *s);
/* Steps a statement once and resets it: SQLITE_OK or the error. */
int sql_run(sqlite3_stmt *s);

/* A statement for one call, not cached: STORE_OK with *s, or the error;
 * what names the store.h function in errors. sql_once steps it once. A
 * walk over its rows ends with sql_finish: rc is the last step's result
 * (SQLITE_DONE or SQLITE_ROW: no error), ret what the walk returns so
 * far (a callback's value). Both finalize it and return STORE_OK, ret or
 * the error. */
int sql_prepare(struct store *st, const char *sql, sqlite3_stmt **s,
    const char *what, char *err, size_t errlen);
int sql_once(struct store *st, sqlite3_stmt *s, const char *what, char *err,
    size_t errlen);
int sql_finish(struct store *st, sqlite3_stmt *s, int rc, int ret,
    const char *what, char *err, size_t errlen);

/* Reading: sql_read_begin takes a reader of the pool (waiting for one
 * when all are busy) and starts a read transaction, so that every
 * statement of the call sees one snapshot; sql_read_end ends it and gives
 * the reader back. sql_rprepare gives the reader's statement for sql
 * (prepared on first use, kept); sql_rfinish resets it (rc and ret as for
 * sql_finish) and returns STORE_OK, ret or the error; sql_rdberr is
 * sql_dberr for an error of the reader. */
int sql_read_begin(struct store *st, struct sql_reader **r, const char *what,
    char *err, size_t errlen);
void sql_read_end(struct sql_reader *r);
int sql_rprepare(struct sql_reader *r, const char *sql, sqlite3_stmt **s,
    const char *what, char *err, size_t errlen);
int sql_rfinish(struct sql_reader *r, sqlite3_stmt *s, int rc, int ret,
    const char *what, char *err, size_t errlen);
int sql_rdberr(struct sql_reader *r, int rc, const char *what, char *err,
    size_t errlen);

/* BEGIN IMMEDIATE, COMMIT (rolls back when it fails), ROLLBACK (also
 * forgets the check cache: what it remembered may be undone). */
int sql_tx_begin(struct store *st, const char *what, char *err,
    size_t errlen);
int sql_tx_commit(struct store *st, const char *what, char *err,
    size_t errlen);
void sql_tx_rollback(struct store *st);

/* An event whose detail is a JSON object (stolen; NULL for none). */
int sql_event_json(struct store *st, int64_t now, const char *kind,
    const char *agent_id, const char *host_id, json_t *detail, char *err,
    size_t errlen);

/* store_sqlite_batch.c: empties the check cache. */
void sql_checks_forget(struct store *st);

/* store_sqlite_batch.c: merges rep's findings with those of host hid as
 * a report of the host does (new ones added, changed ones updated, those
 * no longer failing resolved, the check catalogue written), at
 * rep->collected_at; report_at is the host's previous hosts.report_at.
 * Inside the caller's write transaction. oc_* get the open findings
 * after the merge; opened and resolved how many changed state. */
struct sql_merge_result {
	int opened, resolved;
	int open_all, open_critical, open_high;
};
int sql_findings_merge(struct store *st, int64_t hid, int64_t report_at,
    const struct ingest_report *rep, struct sql_merge_result *r, char *err,
    size_t errlen);

/* A finding row of store.h: the columns STORE_FINDING_COLUMNS selects
 * (over findings f, hosts h, units u, checks c), read by sql_finding_row
 * (store_sqlite_read.c); the row's strings live until the next step. */
#define STORE_FINDING_COLUMNS "SELECT h.id, h.hostname, u.name," \
	" f.check_id, f.status, f.severity, c.point, f.evidence," \
	" c.title_vi, c.title_en, c.remedy_vi, c.remedy_en, f.first_seen," \
	" CASE f.last_seen WHEN 0 THEN h.report_at ELSE f.last_seen END," \
	" f.resolved"
void sql_finding_row(sqlite3_stmt *s, struct store_finding *row);

/* Values of facts (store_sqlite_batch.c writes, store_sqlite_read.c
 * reads): a JSON text longer than STORE_PACK_MIN is kept as a BLOB, its
 * length (4 bytes, big-endian) then the zlib stream, when that is
 * shorter; a TEXT value is the JSON itself. sql_value_pack gives the
 * malloc'd BLOB in *out (NULL: keep the text as it is) or -1 when out of
 * memory. sql_value_text gives the column's JSON text: *tmp is a malloc'd
 * copy to free when it was unpacked; NULL with err when a BLOB does not
 * unpack whole within STORE_VALUE_MAX bytes. */
#define STORE_PACK_MIN 512
#define STORE_VALUE_MAX (64u << 20)
int sql_value_pack(const char *text, size_t len, unsigned char **out,
    size_t *outlen);
const char *sql_value_text(struct store *st, sqlite3_stmt *s, int col,
    char **tmp, size_t *len, const char *what, char *err, size_t errlen);

#endif
