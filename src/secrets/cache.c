/*
 * cache.c — the finder's memory of files already read (scan.h), in one
 * SQLite file: a row per file keyed by its path and checked against
 * (st_dev, st_ino, st_size, st_mtim) and the finder's version, so that a
 * re-scan of an unchanged tree opens no file; and the last scan's summary
 * for the agent's documents collector. The rows a scan finds unchanged
 * are noted in a table in memory, not rewritten: a warm re-scan writes
 * almost nothing to the file. docs/secrets-scan.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lib/clock.h"
#include "lib/sqlite.h"
#include "secrets/scan.h"

#define CACHE_VI "bộ nhớ đệm quét tài liệu mật"
#define CACHE_EN "the classified-document scan cache"

struct scan_cache {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *get, *put, *seen, *seen_below;
	long long gen;
	bool in_tx;
	double tx_start;
};

static const char cache_schema[] =
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value);"
    "CREATE TABLE IF NOT EXISTS files ("
    " path BLOB PRIMARY KEY, dev INTEGER, ino INTEGER, size INTEGER,"
    " mtime_ns INTEGER, mode INTEGER, version INTEGER, gen INTEGER,"
    " err INTEGER, detail TEXT, degree INTEGER, confidence INTEGER,"
    " rule TEXT, marking TEXT, evidence TEXT, part TEXT, page INTEGER,"
    " encoding TEXT, format TEXT, sha256 TEXT, ocr INTEGER,"
    " ocr_used INTEGER, scan_unread INTEGER, lim REAL) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS last_scan (id INTEGER PRIMARY KEY"
    " CHECK (id = 1), scanned_at INTEGER, json TEXT);"
    /* this scan's unchanged rows: kept by scan_cache_prune */
    "PRAGMA temp_store = MEMORY;"
    "CREATE TEMP TABLE IF NOT EXISTS seen (path BLOB PRIMARY KEY)"
    " WITHOUT ROWID;";

static const char cache_get_sql[] =
    "SELECT dev, ino, size, mtime_ns, mode, version, err, detail, degree,"
    " confidence, rule, marking, evidence, part, page, encoding, format,"
    " sha256, ocr, ocr_used, scan_unread, lim FROM files WHERE path = ?1";
static const char cache_put_sql[] =
    "INSERT OR REPLACE INTO files (path, dev, ino, size, mtime_ns, mode,"
    " version, gen, err, detail, degree, confidence, rule, marking,"
    " evidence, part, page, encoding, format, sha256, ocr, ocr_used,"
    " scan_unread, lim) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
    " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23,"
    " ?24)";
static const char cache_seen_sql[] =
    "INSERT OR IGNORE INTO temp.seen (path) VALUES (?1)";
/* below ?1 (a folder path ending in '/'): '0' follows '/' in ASCII */
static const char cache_seen_below_sql[] =
    "INSERT OR IGNORE INTO temp.seen (path) SELECT path FROM main.files"
    " WHERE path >= ?1 AND path < ?2";

static long long
cache_mtime_ns(const struct stat *st)
{
	return (long long)st->st_mtim.tv_sec * 1000000000LL +
	    st->st_mtim.tv_nsec;
}

const char *
scan_cache_default(char *buf, size_t size)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (geteuid() == 0)
		snprintf(buf, size, "%s", SCAN_ROOT_DB);
	else if (x != NULL && x[0] == '/')
		snprintf(buf, size, "%s/canhgac/secrets.db", x);
	else if (home != NULL && home[0] == '/')
		snprintf(buf, size, "%s/.cache/canhgac/secrets.db", home);
	else
		snprintf(buf, size, "/tmp/canhgac-%u-secrets.db",
		    (unsigned)geteuid());
	return buf;
}

/* mkdir -p of the folder of path, mode 0700. */
static void
cache_mkdirs(const char *path)
{
	char *d = strdup(path), *p;

	if (d == NULL)
		return;
	for (p = d + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0700) != 0 && errno != EEXIST)
			break;
		*p = '/';
	}
	free(d);
}

static int
cache_fail(struct scan_cache *c, int rc, char *err, size_t errlen)
{
	sqlite_error(c->db, rc, c->path, "lỗi " CACHE_VI, "error in " CACHE_EN,
	    err, errlen);
	return -1;
}

int
scan_cache_open(const char *path, struct scan_cache **cp, char *err,
    size_t errlen)
{
	struct scan_cache *c;
	int rc;

	*cp = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->path = strdup(path)) == NULL) {
		free(c);
		snprintf(err, errlen, "không đủ bộ nhớ — out of memory");
		return -1;
	}
	cache_mkdirs(path);
	rc = sqlite_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, 10000, CACHE_VI,
	    CACHE_EN, &c->db, err, errlen);
	if (rc != SQLITE_OK) {
		free(c->path);
		free(c);
		return -1;
	}
	/* a cache: losing the last second on a power cut costs a re-read */
	if ((rc = sqlite3_exec(c->db, "PRAGMA synchronous = NORMAL;",
	    NULL, NULL, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_exec(c->db, cache_schema, NULL, NULL, NULL)) !=
	    SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(c->db, cache_get_sql, -1, &c->get,
	    NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(c->db, cache_put_sql, -1, &c->put,
	    NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(c->db, cache_seen_sql, -1, &c->seen,
	    NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(c->db, cache_seen_below_sql, -1,
	    &c->seen_below, NULL)) != SQLITE_OK) {
		cache_fail(c, rc, err, errlen);
		scan_cache_close(c);
		return -1;
	}
	*cp = c;
	return 0;
}

void
scan_cache_close(struct scan_cache *c)
{
	if (c == NULL)
		return;
	scan_cache_commit(c);
	sqlite3_finalize(c->get);
	sqlite3_finalize(c->put);
	sqlite3_finalize(c->seen);
	sqlite3_finalize(c->seen_below);
	sqlite3_close(c->db);
	free(c->path);
	free(c);
}

/* Writes go in transactions of about a second: fast, and an interrupted
 * scan keeps what it read. */
static void
cache_tx(struct scan_cache *c)
{
	if (c->in_tx && clk_now() - c->tx_start > 1.0)
		scan_cache_commit(c);
	if (!c->in_tx && sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL) == SQLITE_OK) {
		c->in_tx = true;
		c->tx_start = clk_now();
	}
}

int
scan_cache_commit(struct scan_cache *c)
{
	int rc;

	if (c == NULL || !c->in_tx)
		return 0;
	c->in_tx = false;
	rc = sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

int
scan_cache_begin(struct scan_cache *c, char *err, size_t errlen)
{
	sqlite3_stmt *s = NULL;
	int rc;

	rc = sqlite3_prepare_v2(c->db, "SELECT value FROM meta WHERE key = "
	    "'generation'", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return cache_fail(c, rc, err, errlen);
	c->gen = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) :
	    0;
	sqlite3_finalize(s);
	c->gen++;
	rc = sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO meta (key, "
	    "value) VALUES ('generation', ?1)", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return cache_fail(c, rc, err, errlen);
	sqlite3_bind_int64(s, 1, c->gen);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE ||
	    (rc = sqlite3_exec(c->db, "DELETE FROM temp.seen", NULL, NULL,
	    NULL)) != SQLITE_OK)
		return cache_fail(c, rc, err, errlen);
	return 0;
}

static void
cache_col_text(sqlite3_stmt *s, int col, char *dst, size_t size)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	snprintf(dst, size, "%s", t != NULL ? (const char *)t : "");
}

/* Whether a kept outcome still answers for this scan. */
static bool
cache_valid(const struct scan_outcome *o, bool ocr, double limit)
{
	/* read without --ocr, scans left unread: read again with it */
	if (ocr && !o->ocr && o->scan_unread)
		return false;
	/* timed out: read again with a longer limit */
	if (o->err == DOC_ERR_TIMEOUT && limit > o->limit + 0.5)
		return false;
	return true;
}

/* Notes path as found unchanged in this scan (temp.seen). */
static void
cache_mark_seen(struct scan_cache *c, const char *path)
{
	cache_tx(c);
	sqlite3_bind_blob(c->seen, 1, path, (int)strlen(path), SQLITE_STATIC);
	sqlite3_step(c->seen);
	sqlite3_reset(c->seen);
	sqlite3_clear_bindings(c->seen);
}

bool
scan_cache_get(struct scan_cache *c, const char *path, const struct stat *st,
    bool ocr, double limit, struct scan_outcome *out)
{
	sqlite3_stmt *s = c->get;
	bool hit = false;
	int g;

	sqlite3_reset(s);
	sqlite3_bind_blob(s, 1, path, (int)strlen(path), SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_ROW)
		goto out;
	if ((unsigned long long)sqlite3_column_int64(s, 0) !=
	    (unsigned long long)st->st_dev ||
	    (unsigned long long)sqlite3_column_int64(s, 1) !=
	    (unsigned long long)st->st_ino ||
	    sqlite3_column_int64(s, 2) != (long long)st->st_size ||
	    sqlite3_column_int64(s, 3) != cache_mtime_ns(st) ||
	    sqlite3_column_int(s, 5) != DOC_FINDER_VERSION)
		goto out;
	memset(out, 0, sizeof(*out));
	out->err = (enum doc_err)sqlite3_column_int(s, 6);
	/* could not open it: a change of permissions (not of mtime) may
	 * have fixed that */
	if (out->err == DOC_ERR_IO && sqlite3_column_int(s, 4) !=
	    (int)st->st_mode)
		goto out;
	cache_col_text(s, 7, out->detail, sizeof(out->detail));
	g = sqlite3_column_int(s, 8);
	out->v.degree = g >= DOC_DEGREE_MAT && g <= DOC_DEGREE_TUYET_MAT ?
	    (enum doc_degree)g : DOC_DEGREE_NONE;
	out->v.confidence = (unsigned)sqlite3_column_int(s, 9);
	cache_col_text(s, 10, out->v.rule, sizeof(out->v.rule));
	cache_col_text(s, 11, out->v.marking, sizeof(out->v.marking));
	cache_col_text(s, 12, out->v.evidence, sizeof(out->v.evidence));
	cache_col_text(s, 13, out->v.part, sizeof(out->v.part));
	out->v.page = (unsigned)sqlite3_column_int(s, 14);
	cache_col_text(s, 15, out->v.encoding, sizeof(out->v.encoding));
	cache_col_text(s, 16, out->format, sizeof(out->format));
	cache_col_text(s, 17, out->sha256, sizeof(out->sha256));
	out->ocr = sqlite3_column_int(s, 18) != 0;
	out->ocr_used = sqlite3_column_int(s, 19) != 0;
	out->scan_unread = sqlite3_column_int(s, 20) != 0;
	out->limit = sqlite3_column_double(s, 21);
	hit = cache_valid(out, ocr, limit);
out:
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (hit)
		cache_mark_seen(c, path);
	return hit;
}

int
scan_cache_put(struct scan_cache *c, const char *path, const struct stat *st,
    const struct scan_outcome *o)
{
	sqlite3_stmt *s = c->put;
	int rc;

	if (o->changed)
		return 0;
	cache_tx(c);
	sqlite3_bind_blob(s, 1, path, (int)strlen(path), SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (long long)st->st_dev);
	sqlite3_bind_int64(s, 3, (long long)st->st_ino);
	sqlite3_bind_int64(s, 4, (long long)st->st_size);
	sqlite3_bind_int64(s, 5, cache_mtime_ns(st));
	sqlite3_bind_int(s, 6, (int)st->st_mode);
	sqlite3_bind_int(s, 7, DOC_FINDER_VERSION);
	sqlite3_bind_int64(s, 8, c->gen);
	sqlite3_bind_int(s, 9, (int)o->err);
	sqlite3_bind_text(s, 10, o->detail, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 11, (int)o->v.degree);
	sqlite3_bind_int(s, 12, (int)o->v.confidence);
	sqlite3_bind_text(s, 13, o->v.rule, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 14, o->v.marking, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 15, o->v.evidence, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 16, o->v.part, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 17, (int)o->v.page);
	sqlite3_bind_text(s, 18, o->v.encoding, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 19, o->format, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 20, o->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 21, o->ocr);
	sqlite3_bind_int(s, 22, o->ocr_used);
	sqlite3_bind_int(s, 23, o->scan_unread);
	sqlite3_bind_double(s, 24, o->limit);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* path's folder form "path/" and its end "path0" (for rows below it). */
static void
cache_below(const char *path, char **lo, char **hi)
{
	size_t n = strlen(path);

	if (n > 0 && path[n - 1] == '/')
		n--;
	*lo = malloc(n + 2);
	*hi = malloc(n + 2);
	if (*lo == NULL || *hi == NULL)
		return;
	memcpy(*lo, path, n);
	memcpy(*hi, path, n);
	(*lo)[n] = '/';
	(*hi)[n] = '0';
	(*lo)[n + 1] = (*hi)[n + 1] = '\0';
}

void
scan_cache_seen(struct scan_cache *c, const char *path)
{
	char *lo = NULL, *hi = NULL;

	if (c == NULL)
		return;
	cache_mark_seen(c, path);
	cache_below(path, &lo, &hi);
	if (lo != NULL && hi != NULL) {
		sqlite3_bind_blob(c->seen_below, 1, lo, (int)strlen(lo),
		    SQLITE_STATIC);
		sqlite3_bind_blob(c->seen_below, 2, hi, (int)strlen(hi),
		    SQLITE_STATIC);
		sqlite3_step(c->seen_below);
		sqlite3_reset(c->seen_below);
		sqlite3_clear_bindings(c->seen_below);
	}
	free(lo);
	free(hi);
}

int
scan_cache_prune(struct scan_cache *c, const char *root)
{
	sqlite3_stmt *s = NULL;
	char *lo = NULL, *hi = NULL;
	int rc = -1;

	cache_below(root, &lo, &hi);
	if (lo == NULL || hi == NULL)
		goto out;
	cache_tx(c);
	/* kept: rows written in this scan (its generation) and rows it
	 * found unchanged (temp.seen) */
	if (sqlite3_prepare_v2(c->db, "DELETE FROM files WHERE gen != ?1 AND "
	    "(path = ?2 OR (path >= ?3 AND path < ?4)) AND path NOT IN "
	    "(SELECT path FROM temp.seen)", -1, &s, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, c->gen);
	sqlite3_bind_blob(s, 2, root, (int)strlen(root), SQLITE_STATIC);
	/* the root "/": everything */
	sqlite3_bind_blob(s, 3, strcmp(root, "/") == 0 ? "/" : lo,
	    strcmp(root, "/") == 0 ? 1 : (int)strlen(lo), SQLITE_STATIC);
	sqlite3_bind_blob(s, 4, strcmp(root, "/") == 0 ? "0" : hi,
	    strcmp(root, "/") == 0 ? 1 : (int)strlen(hi), SQLITE_STATIC);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(s);
	free(lo);
	free(hi);
	return rc;
}

int
scan_cache_save_last(struct scan_cache *c, const struct scan_result *r,
    char *err, size_t errlen)
{
	sqlite3_stmt *s = NULL;
	json_t *doc = scan_result_json(r, 1000);
	char *text = doc != NULL ? json_dumps(doc, JSON_COMPACT |
	    JSON_PRESERVE_ORDER) : NULL;
	int rc;

	json_decref(doc);
	if (text == NULL) {
		snprintf(err, errlen, "không đủ bộ nhớ — out of memory");
		return -1;
	}
	scan_cache_commit(c);
	rc = sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO last_scan (id, "
	    "scanned_at, json) VALUES (1, ?1, ?2)", -1, &s, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(s, 1, r->scanned_at);
		sqlite3_bind_text(s, 2, text, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	free(text);
	if (rc != SQLITE_OK)
		return cache_fail(c, rc, err, errlen);
	return 0;
}

int
scan_cache_load_last(const char *path, json_t **doc, char *err,
    size_t errlen)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	json_error_t je;
	const unsigned char *t;
	int rc, ret = -1;

	*doc = NULL;
	if (access(path, F_OK) != 0)
		return 1;
	rc = sqlite_open(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX |
	    SQLITE_OPEN_NOFOLLOW, 5000, CACHE_VI, CACHE_EN, &db, err, errlen);
	if (rc != SQLITE_OK)
		return -1;
	rc = sqlite3_prepare_v2(db, "SELECT json FROM last_scan WHERE id = 1",
	    -1, &s, NULL);
	if (rc != SQLITE_OK) {
		/* a cache made before any scan ended has no table yet */
		ret = strstr(sqlite3_errmsg(db), "no such table") != NULL ? 1 :
		    -1;
		if (ret < 0)
			sqlite_error(db, rc, path, "lỗi " CACHE_VI, "error in "
			    CACHE_EN, err, errlen);
		goto out;
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		ret = 1;
		goto out;
	}
	if (rc != SQLITE_ROW || (t = sqlite3_column_text(s, 0)) == NULL) {
		sqlite_error(db, rc, path, "lỗi " CACHE_VI, "error in "
		    CACHE_EN, err, errlen);
		goto out;
	}
	*doc = json_loads((const char *)t, 0, &je);
	if (*doc == NULL || !json_is_object(*doc)) {
		json_decref(*doc);
		*doc = NULL;
		snprintf(err, errlen, "%s: kết quả quét lưu trong bộ nhớ đệm bị "
		    "hỏng: %s — the stored scan result is damaged: %s", path,
		    je.text, je.text);
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(s);
	sqlite3_close(db);
	return ret;
}
