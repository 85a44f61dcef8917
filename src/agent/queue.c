/*
 * queue.c — the agent's durable local queue of audit reports (queue.h),
 * one SQLite file in WAL mode with synchronous=FULL (lib/sqlite.c): a
 * report or a batch is on disk when the call returns. Reports are stored
 * zlib-compressed; a batch is formed once, its JSON body stored
 * (compressed) in place of its members' bodies, so that a retry sends the
 * very same bytes under the same id. docs/agent-queue.md explains the drop policy and durability.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <zlib.h>

#include "agent/queue.h"
#include "lib/sqlite.h"
#include "lib/text.h"

#define QUEUE_SCHEMA 1
#define QUEUE_BUSY_MS 10000
#define QUEUE_ID_MAX 64
#define QUEUE_HEADER_MAX 1024		/* batch JSON around the reports */

struct queue {
	sqlite3 *db;
	char *path;
	struct queue_limits lim;
};

static const char queue_ddl[] =
    "CREATE TABLE IF NOT EXISTS meta ("
    "  name TEXT PRIMARY KEY,"
    "  value NOT NULL);"
    "CREATE TABLE IF NOT EXISTS batch ("
    "  id TEXT PRIMARY KEY,"
    "  formed INTEGER NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  nreports INTEGER NOT NULL,"
    "  rawlen INTEGER NOT NULL,"
    "  body BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS report ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  report_id TEXT NOT NULL UNIQUE,"
    "  queued INTEGER NOT NULL,"
    "  changed INTEGER NOT NULL,"
    "  stripped INTEGER NOT NULL DEFAULT 0,"
    "  rawlen INTEGER NOT NULL,"
    "  body BLOB,"			/* NULL once the report is in a batch */
    "  batch TEXT REFERENCES batch(id));"
    "CREATE INDEX IF NOT EXISTS report_batch ON report(batch);"
    "INSERT OR IGNORE INTO meta VALUES ('last_digest', '');"
    "INSERT OR IGNORE INTO meta VALUES ('dropped_snapshots', 0);"
    "INSERT OR IGNORE INTO meta VALUES ('stripped', 0);"
    "INSERT OR IGNORE INTO meta VALUES ('refused', 0);";

/* "<file>: <vi>: <why> — <en>: <why>" for the connection's last error. */
static int
queue_dberr(struct queue *q, const char *vi, const char *en, char *err,
    size_t errlen)
{
	sqlite_error(q->db, q->db != NULL ? sqlite3_extended_errcode(q->db) :
	    SQLITE_ERROR, q->path, vi, en, err, errlen);
	return -1;
}

static int
queue_exec(struct queue *q, const char *sql, char *err, size_t errlen)
{
	if (sqlite3_exec(q->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return queue_dberr(q, "lỗi cơ sở dữ liệu", "database error",
		    err, errlen);
	return 0;
}

static void
queue_rollback(struct queue *q)
{
	if (!sqlite3_get_autocommit(q->db))
		sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
}

static sqlite3_stmt *
queue_prepare(struct queue *q, const char *sql, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK) {
		queue_dberr(q, "lỗi cơ sở dữ liệu", "database error", err,
		    errlen);
		return NULL;
	}
	return st;
}

/* Prepares sql, binds text (unless NULL) to its parameter and steps once:
 * 1 with a row in *stp (the caller finalizes it), 0 without one, -1 with
 * err. */
static int
queue_first(struct queue *q, const char *sql, const char *text,
    sqlite3_stmt **stp, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	*stp = NULL;
	if ((st = queue_prepare(q, sql, err, errlen)) == NULL)
		return -1;
	if (text != NULL)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*stp = st;
		return 1;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
	return queue_dberr(q, "không đọc được hàng đợi",
	    "cannot read the queue", err, errlen);
}

/* Steps a statement that writes, once, and finalizes it: 0, or -1 with
 * err naming what failed (vi, en). */
static int
queue_write(struct queue *q, sqlite3_stmt *st, const char *vi,
    const char *en, char *err, size_t errlen)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return queue_dberr(q, vi, en, err, errlen);
	return 0;
}

/* One integer from a query without parameters (0 without a row), or -1
 * with err. */
static int
queue_int(struct queue *q, const char *sql, int64_t *v, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = queue_first(q, sql, NULL, &st, err, errlen)) < 0)
		return -1;
	*v = rc == 1 ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return 0;
}

static int
queue_count_up(struct queue *q, const char *name, char *err, size_t errlen)
{
	sqlite3_stmt *st;

	st = queue_prepare(q, "UPDATE meta SET value = value + 1 "
	    "WHERE name = ?", err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	return queue_write(q, st, "không ghi được bộ đếm",
	    "cannot write a counter", err, errlen);
}

/* Stored bytes: bodies of waiting reports and of formed batches. */
static int
queue_bytes(struct queue *q, int64_t *bytes, char *err, size_t errlen)
{
	return queue_int(q, "SELECT "
	    "(SELECT coalesce(sum(length(body)), 0) FROM report) + "
	    "(SELECT coalesce(sum(length(body)), 0) FROM batch)", bytes, err,
	    errlen);
}

static int
queue_compress(const char *in, size_t len, unsigned char **out,
    size_t *outlen)
{
	uLongf n = compressBound(len);

	if ((*out = malloc(n)) == NULL)
		return -1;
	if (compress2(*out, &n, (const Bytef *)in, len, 6) != Z_OK) {
		free(*out);
		*out = NULL;
		return -1;
	}
	*outlen = n;
	return 0;
}

/* Inflates a stored body of rawlen bytes (bounded by the caller). */
static int
queue_inflate(struct queue *q, const void *in, size_t inlen, int64_t rawlen,
    char **out, char *err, size_t errlen)
{
	uLongf n;

	*out = NULL;
	if (in == NULL || rawlen < 0 || (uint64_t)rawlen >
	    (uint64_t)q->lim.batch_bytes + QUEUE_HEADER_MAX) {
		snprintf(err, errlen, "%s: bản ghi trong hàng đợi không hợp lệ "
		    "— a queue record is invalid", q->path);
		return -1;
	}
	n = (uLongf)rawlen;
	if ((*out = malloc((size_t)rawlen + 1)) == NULL) {
		snprintf(err, errlen, "%s: hết bộ nhớ — out of memory",
		    q->path);
		return -1;
	}
	if (uncompress((Bytef *)*out, &n, in, inlen) != Z_OK ||
	    n != (uLongf)rawlen) {
		free(*out);
		*out = NULL;
		snprintf(err, errlen, "%s: không giải nén được một bản ghi "
		    "của hàng đợi (tệp hỏng?) — cannot inflate a queue record "
		    "(corrupt file?)", q->path);
		return -1;
	}
	(*out)[n] = '\0';
	return 0;
}

int
queue_open(const char *path, const struct queue_limits *lim,
    struct queue **qp, char *err, size_t errlen)
{
	static const struct queue_limits def = QUEUE_LIMITS_DEFAULT;
	struct queue *q;
	int64_t version;
	char *check = NULL;
	sqlite3_stmt *st;

	*qp = NULL;
	if ((q = calloc(1, sizeof(*q))) == NULL) {
		snprintf(err, errlen, "hết bộ nhớ — out of memory");
		return -1;
	}
	q->path = text_dup(path);
	q->lim = lim != NULL ? *lim : def;
	if (q->lim.max_bytes <= 0)
		q->lim.max_bytes = def.max_bytes;
	if (q->lim.batch_reports == 0)
		q->lim.batch_reports = def.batch_reports;
	if (q->lim.batch_bytes < 2 * QUEUE_HEADER_MAX)
		q->lim.batch_bytes = def.batch_bytes;

	/* Created private: reports name accounts and weaknesses. */
	if (sqlite_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOFOLLOW, QUEUE_BUSY_MS, "hàng đợi", "the queue",
	    &q->db, err, errlen) != SQLITE_OK)
		goto fail;
	/* A damaged file is found now, with a clear message, not in the
	 * middle of an upload. */
	if ((st = queue_prepare(q, "PRAGMA quick_check", err, errlen)) ==
	    NULL)
		goto fail;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		queue_dberr(q, "không kiểm tra được hàng đợi", "cannot check "
		    "the queue", err, errlen);
		goto fail;
	}
	check = text_dup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (strcmp(check, "ok") != 0) {
		snprintf(err, errlen, "%s: hàng đợi bị hỏng (%s); hãy chuyển "
		    "tệp sang chỗ khác rồi chạy lại — the queue is corrupt "
		    "(%s); move the file aside and run again", path, check,
		    check);
		goto fail;
	}
	free(check);
	check = NULL;
	if (queue_int(q, "PRAGMA user_version", &version, err, errlen) != 0)
		goto fail;
	if (version > QUEUE_SCHEMA) {
		snprintf(err, errlen, "%s: hàng đợi do phiên bản mới hơn của "
		    "agent tạo (lược đồ %lld) — the queue was made by a newer "
		    "agent (schema %lld)", path, (long long)version,
		    (long long)version);
		goto fail;
	}
	if (queue_exec(q, "BEGIN IMMEDIATE", err, errlen) != 0)
		goto fail;
	if (queue_exec(q, queue_ddl, err, errlen) != 0 ||
	    queue_exec(q, "PRAGMA user_version = 1", err, errlen) != 0 ||
	    queue_exec(q, "COMMIT", err, errlen) != 0) {
		queue_rollback(q);
		goto fail;
	}
	*qp = q;
	return 0;
fail:
	free(check);
	queue_close(q);
	return -1;
}

void
queue_close(struct queue *q)
{
	if (q == NULL)
		return;
	sqlite3_close(q->db);
	free(q->path);
	free(q);
}

static bool
queue_id_ok(const char *id)
{
	size_t n = strlen(id), i;

	if (n < 8 || n > QUEUE_ID_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') ||
		    (id[i] >= 'A' && id[i] <= 'Z') ||
		    (id[i] >= '0' && id[i] <= '9') || id[i] == '-'))
			return false;
	return true;
}

static bool
queue_digest_ok(const char *d)
{
	size_t i;

	for (i = 0; d[i] != '\0'; i++)
		if (text_hexval((unsigned char)d[i]) < 0)
			return false;
	return i == 64;
}

static int
queue_meta_text(struct queue *q, const char *name, char *buf, size_t size,
    char *err, size_t errlen)
{
	sqlite3_stmt *st;
	const char *v;
	int rc;

	if ((rc = queue_first(q, "SELECT value FROM meta WHERE name = ?",
	    name, &st, err, errlen)) < 0)
		return -1;
	v = rc == 1 ? (const char *)sqlite3_column_text(st, 0) : "";
	snprintf(buf, size, "%s", v != NULL ? v : "");
	sqlite3_finalize(st);
	return 0;
}

int
queue_last_digest(struct queue *q, char *digest, size_t digest_len,
    char *err, size_t errlen)
{
	return queue_meta_text(q, "last_digest", digest, digest_len, err,
	    errlen);
}

/* Drop policy (1): deletes the oldest waiting report that carries no
 * change in findings. 1 when one went, 0 when none is left. */
static int
queue_drop_snapshot(struct queue *q, int64_t *bytes, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	int64_t seq, len;
	int rc;

	if ((rc = queue_first(q, "SELECT seq, length(body) FROM report "
	    "WHERE batch IS NULL AND changed = 0 ORDER BY seq LIMIT 1", NULL,
	    &st, err, errlen)) != 1)
		return rc;
	seq = sqlite3_column_int64(st, 0);
	len = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	st = queue_prepare(q, "DELETE FROM report WHERE seq = ?", err, errlen);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, seq);
	if (queue_write(q, st, "không xoá được báo cáo cũ",
	    "cannot drop an old report", err, errlen) != 0 ||
	    queue_count_up(q, "dropped_snapshots", err, errlen) != 0)
		return -1;
	*bytes -= len;
	return 1;
}

/* Drop policy (2): removes the facts from the oldest waiting report with
 * a change in findings that still has them. 1 when one was stripped, 0
 * when none is left. */
static int
queue_strip_one(struct queue *q, int64_t *bytes, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int64_t seq, rawlen, oldlen;
	unsigned char *z = NULL;
	char *text = NULL, *out = NULL;
	size_t zlen = 0;
	json_t *doc = NULL;
	int rc, ret = -1;

	if ((rc = queue_first(q, "SELECT seq, rawlen, body FROM report "
	    "WHERE batch IS NULL AND changed = 1 AND stripped = 0 "
	    "ORDER BY seq LIMIT 1", NULL, &st, err, errlen)) != 1)
		return rc;
	seq = sqlite3_column_int64(st, 0);
	rawlen = sqlite3_column_int64(st, 1);
	oldlen = sqlite3_column_bytes(st, 2);
	if (queue_inflate(q, sqlite3_column_blob(st, 2), (size_t)oldlen,
	    rawlen, &text, err, errlen) != 0) {
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	doc = json_loadb(text, (size_t)rawlen, 0, NULL);
	if (!json_is_object(doc)) {
		snprintf(err, errlen, "%s: một báo cáo trong hàng đợi không "
		    "phải JSON — a queued report is not JSON", q->path);
		goto out;
	}
	json_object_del(doc, "facts");
	json_object_del(doc, "unavailable");
	json_object_set_new(doc, "facts_stripped", json_true());
	out = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (out == NULL || queue_compress(out, strlen(out), &z, &zlen) != 0) {
		snprintf(err, errlen, "%s: hết bộ nhớ — out of memory",
		    q->path);
		goto out;
	}
	st = queue_prepare(q, "UPDATE report SET body = ?, rawlen = ?, "
	    "stripped = 1 WHERE seq = ?", err, errlen);
	if (st == NULL)
		goto out;
	sqlite3_bind_blob(st, 1, z, (int)zlen, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)strlen(out));
	sqlite3_bind_int64(st, 3, seq);
	if (queue_write(q, st, "không ghi được hàng đợi", "cannot write the "
	    "queue", err, errlen) != 0 ||
	    queue_count_up(q, "stripped", err, errlen) != 0)
		goto out;
	*bytes += (int64_t)zlen - oldlen;
	ret = 1;
out:
	json_decref(doc);
	free(text);
	free(out);
	free(z);
	return ret;
}

int
queue_put(struct queue *q, const char *report_id, const char *json,
    size_t len, const char *findings_digest, int64_t now, char *err,
    size_t errlen)
{
	char last[80];
	unsigned char *z = NULL;
	size_t zlen = 0;
	int64_t bytes;
	sqlite3_stmt *st;
	json_error_t jerr;
	json_t *doc;
	bool changed;
	int rc;

	if (!queue_id_ok(report_id)) {
		snprintf(err, errlen, "mã báo cáo không hợp lệ “%.80s” — "
		    "invalid report id “%.80s”", report_id, report_id);
		return -1;
	}
	if (!queue_digest_ok(findings_digest)) {
		snprintf(err, errlen, "tóm lược kết quả không hợp lệ (cần 64 "
		    "chữ số hex) — invalid findings digest (64 hex digits "
		    "needed)");
		return -1;
	}
	if (len > q->lim.batch_bytes - QUEUE_HEADER_MAX) {
		snprintf(err, errlen, "báo cáo %s quá lớn: %zu byte, tối đa "
		    "%zu — report %s too large: %zu bytes, at most %zu",
		    report_id, len, q->lim.batch_bytes - QUEUE_HEADER_MAX,
		    report_id, len, q->lim.batch_bytes - QUEUE_HEADER_MAX);
		return -1;
	}
	/* A report that is not one JSON object would spoil its batch. */
	doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(doc) || json_string_value(json_object_get(doc,
	    "report_id")) == NULL || strcmp(json_string_value(
	    json_object_get(doc, "report_id")), report_id) != 0) {
		snprintf(err, errlen, "báo cáo %s không phải một đối tượng JSON "
		    "mang report_id của nó (%s) — report %s is not a JSON "
		    "object carrying its report_id (%s)", report_id,
		    doc == NULL ? jerr.text : "report_id", report_id,
		    doc == NULL ? jerr.text : "report_id");
		json_decref(doc);
		return -1;
	}
	json_decref(doc);
	if (queue_compress(json, len, &z, &zlen) != 0) {
		snprintf(err, errlen, "không nén được báo cáo — cannot "
		    "compress the report");
		return -1;
	}
	if (queue_exec(q, "BEGIN IMMEDIATE", err, errlen) != 0)
		goto fail;
	if (queue_last_digest(q, last, sizeof(last), err, errlen) != 0 ||
	    queue_bytes(q, &bytes, err, errlen) != 0)
		goto fail;
	changed = strcmp(last, findings_digest) != 0;
	while (bytes + (int64_t)zlen > q->lim.max_bytes) {
		if ((rc = queue_drop_snapshot(q, &bytes, err, errlen)) < 0)
			goto fail;
		if (rc > 0)
			continue;
		if ((rc = queue_strip_one(q, &bytes, err, errlen)) < 0)
			goto fail;
		if (rc > 0)
			continue;
		if (changed)
			break;		/* a change in findings is kept */
		/* Refused: what was dropped or stripped for it comes back;
		 * only the refusal is counted. */
		queue_rollback(q);
		if (queue_exec(q, "BEGIN IMMEDIATE", err, errlen) != 0 ||
		    queue_count_up(q, "refused", err, errlen) != 0 ||
		    queue_exec(q, "COMMIT", err, errlen) != 0)
			goto fail;
		free(z);
		snprintf(err, errlen, "%s: hàng đợi đầy (%lld byte); báo cáo "
		    "%s không có thay đổi về kết quả nên không được giữ — the "
		    "queue is full (%lld bytes); report %s has no change in "
		    "findings and was refused", q->path,
		    (long long)q->lim.max_bytes, report_id,
		    (long long)q->lim.max_bytes, report_id);
		return QUEUE_EFULL;
	}
	st = queue_prepare(q, "INSERT INTO report (report_id, queued, "
	    "changed, rawlen, body) VALUES (?, ?, ?, ?, ?)", err, errlen);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, report_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int(st, 3, changed);
	sqlite3_bind_int64(st, 4, (int64_t)len);
	sqlite3_bind_blob(st, 5, z, (int)zlen, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		snprintf(err, errlen, "%s: báo cáo %s đã có trong hàng đợi — "
		    "report %s is already queued", q->path, report_id,
		    report_id);
		goto fail;
	}
	if (rc != SQLITE_DONE) {
		queue_dberr(q, "không ghi được báo cáo", "cannot write the "
		    "report", err, errlen);
		goto fail;
	}
	st = queue_prepare(q, "UPDATE meta SET value = ? "
	    "WHERE name = 'last_digest'", err, errlen);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, findings_digest, -1, SQLITE_STATIC);
	if (queue_write(q, st, "không ghi được hàng đợi", "cannot write the "
	    "queue", err, errlen) != 0 ||
	    queue_exec(q, "COMMIT", err, errlen) != 0)
		goto fail;
	free(z);
	return 0;
fail:
	queue_rollback(q);
	free(z);
	return -1;
}

void
queue_uuid(char out[37])
{
	unsigned char r[16];

	randombytes_buf(r, sizeof(r));
	r[6] = (r[6] & 0x0f) | 0x40;
	r[8] = (r[8] & 0x3f) | 0x80;
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4], r[5],
	    r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
}

/* The batch formed earlier and not acknowledged: 0, 1 when none. */
static int
queue_formed(struct queue *q, struct queue_batch *b, char *err,
    size_t errlen)
{
	sqlite3_stmt *st;
	const char *id;
	int rc;

	if ((rc = queue_first(q, "SELECT id, formed, attempts, nreports, "
	    "rawlen, body FROM batch ORDER BY formed, rowid LIMIT 1", NULL, &st,
	    err, errlen)) != 1)
		return rc == 0 ? 1 : -1;
	id = (const char *)sqlite3_column_text(st, 0);
	if (id == NULL || strlen(id) >= sizeof(b->id)) {
		sqlite3_finalize(st);
		snprintf(err, errlen, "%s: mã lô không hợp lệ trong hàng đợi "
		    "— invalid batch id in the queue", q->path);
		return -1;
	}
	snprintf(b->id, sizeof(b->id), "%s", id);
	b->formed = sqlite3_column_int64(st, 1);
	b->attempts = sqlite3_column_int(st, 2);
	b->nreports = (size_t)sqlite3_column_int64(st, 3);
	b->len = (size_t)sqlite3_column_int64(st, 4);
	rc = queue_inflate(q, sqlite3_column_blob(st, 5),
	    (size_t)sqlite3_column_bytes(st, 5), sqlite3_column_int64(st, 4),
	    &b->body, err, errlen);
	sqlite3_finalize(st);
	return rc;
}

/* {"schema":1,"batch":…,"agent":{…},"queue":{…},"reports":[ */
static char *
queue_batch_head(struct queue *q, const char *id, const char *version,
    char *err, size_t errlen)
{
	int64_t d = 0, s = 0, r = 0;
	json_t *h;
	char *text, *head;
	size_t n;

	if (queue_int(q, "SELECT value FROM meta WHERE name = "
	    "'dropped_snapshots'", &d, err, errlen) != 0 ||
	    queue_int(q, "SELECT value FROM meta WHERE name = 'stripped'", &s,
	    err, errlen) != 0 ||
	    queue_int(q, "SELECT value FROM meta WHERE name = 'refused'", &r,
	    err, errlen) != 0)
		return NULL;
	h = json_pack("{s:i, s:s, s:{s:s}, s:{s:I, s:I, s:I}}", "schema", 1,
	    "batch", id, "agent", "version", version != NULL ? version : "",
	    "queue", "dropped_snapshots", (json_int_t)d, "stripped",
	    (json_int_t)s, "refused", (json_int_t)r);
	text = h != NULL ? json_dumps(h, JSON_COMPACT | JSON_PRESERVE_ORDER) :
	    NULL;
	json_decref(h);
	if (text == NULL || (n = strlen(text)) < 2 || n > QUEUE_HEADER_MAX / 2) {
		free(text);
		snprintf(err, errlen, "không tạo được đầu lô (phiên bản agent "
		    "không hợp lệ?) — cannot make the batch header (invalid "
		    "agent version?)");
		return NULL;
	}
	text[n - 1] = '\0';		/* the closing brace */
	head = text_printf("%s,\"reports\":[", text);
	free(text);
	return head;
}

/* Forms a new batch of the oldest waiting reports, in the transaction
 * the caller opened. 0, 1 when nothing waits. */
static int
queue_form(struct queue *q, const char *version, struct queue_batch *b,
    char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL, *up = NULL;
	char *head = NULL, *body = NULL, *text;
	unsigned char *z = NULL;
	size_t len, cap, zlen, n = 0;
	int64_t *seqs = NULL;
	int rc, ret = -1;

	queue_uuid(b->id);
	if ((head = queue_batch_head(q, b->id, version, err, errlen)) == NULL)
		return -1;
	len = strlen(head);
	cap = q->lim.batch_bytes + QUEUE_HEADER_MAX;
	if ((body = malloc(cap + 1)) == NULL ||
	    (seqs = calloc(q->lim.batch_reports, sizeof(*seqs))) == NULL) {
		snprintf(err, errlen, "hết bộ nhớ — out of memory");
		goto out;
	}
	memcpy(body, head, len);
	st = queue_prepare(q, "SELECT seq, rawlen, body FROM report "
	    "WHERE batch IS NULL ORDER BY seq", err, errlen);
	if (st == NULL)
		goto out;
	while (n < q->lim.batch_reports && (rc = sqlite3_step(st)) ==
	    SQLITE_ROW) {
		int64_t rawlen = sqlite3_column_int64(st, 1);

		/* at least one report; the next only while it fits */
		if (n > 0 && (rawlen < 0 || len + (size_t)rawlen + 3 >
		    q->lim.batch_bytes))
			break;
		if (queue_inflate(q, sqlite3_column_blob(st, 2),
		    (size_t)sqlite3_column_bytes(st, 2), rawlen, &text, err,
		    errlen) != 0)
			goto out;
		if (len + (size_t)rawlen + 3 > cap) {
			free(text);
			snprintf(err, errlen, "%s: báo cáo quá lớn cho một lô — "
			    "a report is too large for a batch", q->path);
			goto out;
		}
		if (n > 0)
			body[len++] = ',';
		memcpy(body + len, text, (size_t)rawlen);
		len += (size_t)rawlen;
		free(text);
		seqs[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (n == 0) {
		ret = 1;
		goto out;
	}
	memcpy(body + len, "]}", 3);
	len += 2;
	if (queue_compress(body, len, &z, &zlen) != 0) {
		snprintf(err, errlen, "không nén được lô — cannot compress the "
		    "batch");
		goto out;
	}
	b->formed = (int64_t)time(NULL);
	b->attempts = 0;
	b->nreports = n;
	st = queue_prepare(q, "INSERT INTO batch (id, formed, nreports, "
	    "rawlen, body) VALUES (?, ?, ?, ?, ?)", err, errlen);
	if (st == NULL)
		goto out;
	sqlite3_bind_text(st, 1, b->id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, b->formed);
	sqlite3_bind_int64(st, 3, (int64_t)n);
	sqlite3_bind_int64(st, 4, (int64_t)len);
	sqlite3_bind_blob(st, 5, z, (int)zlen, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		queue_dberr(q, "không ghi được lô", "cannot write the batch",
		    err, errlen);
		goto out;
	}
	up = queue_prepare(q, "UPDATE report SET batch = ?, body = NULL "
	    "WHERE seq = ?", err, errlen);
	if (up == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(up);
		sqlite3_bind_text(up, 1, b->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(up, 2, seqs[i]);
		if (sqlite3_step(up) != SQLITE_DONE) {
			queue_dberr(q, "không ghi được lô", "cannot write the "
			    "batch", err, errlen);
			goto out;
		}
	}
	body[len] = '\0';
	b->body = body;
	b->len = len;
	body = NULL;
	ret = 0;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	free(head);
	free(body);
	free(seqs);
	free(z);
	return ret;
}

int
queue_next_batch(struct queue *q, const char *agent_version,
    struct queue_batch *b, char *err, size_t errlen)
{
	int rc;

	memset(b, 0, sizeof(*b));
	if (queue_exec(q, "BEGIN IMMEDIATE", err, errlen) != 0)
		return -1;
	rc = queue_formed(q, b, err, errlen);
	if (rc == 1)
		rc = queue_form(q, agent_version, b, err, errlen);
	if (rc < 0) {
		queue_rollback(q);
		queue_batch_free(b);
		return -1;
	}
	if (queue_exec(q, "COMMIT", err, errlen) != 0) {
		queue_rollback(q);
		queue_batch_free(b);
		return -1;
	}
	return rc;
}

void
queue_batch_free(struct queue_batch *b)
{
	if (b == NULL)
		return;
	free(b->body);
	memset(b, 0, sizeof(*b));
}

static int
queue_by_batch(struct queue *q, const char *sql, const char *batch_id,
    const char *vi, const char *en, char *err, size_t errlen)
{
	sqlite3_stmt *st;

	if ((st = queue_prepare(q, sql, err, errlen)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, batch_id, -1, SQLITE_STATIC);
	return queue_write(q, st, vi, en, err, errlen);
}

int
queue_attempt(struct queue *q, const char *batch_id, char *err,
    size_t errlen)
{
	return queue_by_batch(q, "UPDATE batch SET attempts = attempts + 1 "
	    "WHERE id = ?", batch_id, "không ghi được lần gửi",
	    "cannot record the attempt", err, errlen);
}

int
queue_ack(struct queue *q, const char *batch_id, char *err, size_t errlen)
{
	if (queue_exec(q, "BEGIN IMMEDIATE", err, errlen) != 0)
		return -1;
	if (queue_by_batch(q, "DELETE FROM report WHERE batch = ?", batch_id,
	    "không xoá được báo cáo đã gửi", "cannot delete the sent reports",
	    err, errlen) != 0 ||
	    queue_by_batch(q, "DELETE FROM batch WHERE id = ?", batch_id,
	    "không xoá được lô đã gửi", "cannot delete the sent batch", err,
	    errlen) != 0 ||
	    queue_exec(q, "COMMIT", err, errlen) != 0) {
		queue_rollback(q);
		return -1;
	}
	return 0;
}

int
queue_stats(struct queue *q, struct queue_stats *s, char *err,
    size_t errlen)
{
	memset(s, 0, sizeof(*s));
	if (queue_exec(q, "BEGIN", err, errlen) != 0)
		return -1;
	if (queue_int(q, "SELECT count(*) FROM report", &s->reports, err,
	    errlen) != 0 ||
	    queue_bytes(q, &s->bytes, err, errlen) != 0 ||
	    queue_int(q, "SELECT value FROM meta WHERE name = "
	    "'dropped_snapshots'", &s->dropped_snapshots, err, errlen) != 0 ||
	    queue_int(q, "SELECT value FROM meta WHERE name = 'stripped'",
	    &s->stripped, err, errlen) != 0 ||
	    queue_int(q, "SELECT value FROM meta WHERE name = 'refused'",
	    &s->refused, err, errlen) != 0 ||
	    queue_int(q, "SELECT coalesce(min(queued), 0) FROM report",
	    &s->oldest, err, errlen) != 0) {
		queue_rollback(q);
		return -1;
	}
	return queue_exec(q, "COMMIT", err, errlen);
}
