/*
 * store_sqlite_audit.c — the audit log in the SQLite store (store.h,
 * "Console: audit log"): every change a person made, from the console or
 * the command line, appended to one hash-chained table that triggers keep
 * append-only. store_audit_verify walks the chain and names the first
 * broken record; docs/admin.md describes the encoding that is hashed.
 *
 * hash = SHA-256(prev_hash || L(id) || L(time) || L(actor) ||
 *     L(actor_role) || L(addr) || L(action) || L(object) || L(detail)),
 * prev_hash as its 64 hex characters, L(x) = x's length as 4 bytes big
 * endian then its bytes, id and time in decimal. The first record's
 * prev_hash is 64 zeros.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "lib/text.h"
#include "server/store_int.h"

#define AUDIT_ZERO_HASH \
	"0000000000000000000000000000000000000000000000000000000000000000"
#define AUDIT_ACTION_MAX 64

static void
audit_put(crypto_hash_sha256_state *h, const char *s, size_t len)
{
	unsigned char n[4];

	n[0] = (unsigned char)(len >> 24);
	n[1] = (unsigned char)(len >> 16);
	n[2] = (unsigned char)(len >> 8);
	n[3] = (unsigned char)len;
	crypto_hash_sha256_update(h, n, sizeof(n));
	crypto_hash_sha256_update(h, (const unsigned char *)s, len);
}

static void
audit_put_str(crypto_hash_sha256_state *h, const char *s)
{
	audit_put(h, s ? s : "", s ? strlen(s) : 0);
}

static void
audit_put_int(crypto_hash_sha256_state *h, int64_t v)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%" PRId64, v);

	audit_put(h, buf, (size_t)n);
}

/* The hash of a record (r->hash is not read). */
static void
audit_hash(const struct store_audit *r, char out[65])
{
	crypto_hash_sha256_state h;
	unsigned char sum[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)(r->prev_hash ?
	    r->prev_hash : ""), r->prev_hash ? strlen(r->prev_hash) : 0);
	audit_put_int(&h, r->id);
	audit_put_int(&h, r->time);
	audit_put_str(&h, r->actor);
	audit_put_str(&h, r->actor_role);
	audit_put_str(&h, r->addr);
	audit_put_str(&h, r->action);
	audit_put_str(&h, r->object);
	audit_put_str(&h, r->detail);
	crypto_hash_sha256_final(&h, sum);
	sodium_bin2hex(out, 65, sum, sizeof(sum));
}

/* Text a person or program gave: UTF-8 without control characters. */
static bool
audit_text_ok(const char *s, size_t max, bool empty_ok)
{
	size_t n, i;

	if (s == NULL)
		return empty_ok;
	n = strlen(s);
	if ((n == 0 && !empty_ok) || n > max || !text_valid_utf8(s, n))
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static bool
audit_action_ok(const char *s)
{
	size_t n;

	if (s == NULL)
		return false;
	for (n = 0; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' &&
		    s[n] <= '9') || s[n] == '.' || s[n] == '-' || s[n] == '_'))
			return false;
	return n >= 1 && n <= AUDIT_ACTION_MAX;
}

static void
audit_row(sqlite3_stmt *s, struct store_audit *r)
{
	r->id = sqlite3_column_int64(s, 0);
	r->time = sqlite3_column_int64(s, 1);
	r->actor = sql_col_text(s, 2);
	r->actor_role = sql_col_text(s, 3);
	r->addr = sql_col_text(s, 4);
	r->action = sql_col_text(s, 5);
	r->object = sql_col_text(s, 6);
	r->detail = sql_col_text(s, 7);
	r->prev_hash = sql_col_text(s, 8);
	r->hash = sql_col_text(s, 9);
}

#define AUDIT_COLUMNS "id, time, actor, actor_role, addr, action, object," \
	" detail, prev_hash, hash"

int
store_audit_append(struct store *st, int64_t now, const char *actor,
    const char *actor_role, const char *addr, const char *action,
    const char *object, const char *detail, int64_t *id, char *err,
    size_t errlen)
{
	static const char what[] = "store_audit_append";
	struct store_audit r;
	sqlite3_stmt *s;
	json_t *d = NULL;
	json_error_t je;
	char prev[65], hash[65], *canon = NULL;
	int rc, ret;

	if (!audit_text_ok(actor, STORE_AUDIT_FIELD_MAX, false) ||
	    !audit_text_ok(actor_role, 16, true) ||
	    !audit_text_ok(addr, STORE_AUDIT_FIELD_MAX, true) ||
	    !audit_text_ok(object, STORE_AUDIT_FIELD_MAX, true) ||
	    !audit_action_ok(action)) {
		sql_seterr(err, errlen, "bản ghi nhật ký kiểm toán không hợp lệ "
		    "(người làm, vai trò, địa chỉ, hành động hoặc đối tượng) — "
		    "invalid audit record (actor, role, address, action or "
		    "object)");
		return STORE_ERR;
	}
	if (detail != NULL) {
		if (strlen(detail) > STORE_AUDIT_DETAIL_MAX ||
		    (d = json_loads(detail, JSON_REJECT_DUPLICATES, &je)) ==
		    NULL || !json_is_object(d)) {
			json_decref(d);
			sql_seterr(err, errlen, "chi tiết nhật ký kiểm toán phải là "
			    "một đối tượng JSON tới %u byte — the audit detail "
			    "must be a JSON object of at most %u bytes",
			    STORE_AUDIT_DETAIL_MAX, STORE_AUDIT_DETAIL_MAX);
			return STORE_ERR;
		}
		/* stored and hashed in one compact form */
		canon = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(d);
		if (canon == NULL) {
			sql_seterr(err, errlen, "hết bộ nhớ — out of memory");
			return STORE_ERR;
		}
	}
	memset(&r, 0, sizeof(r));
	r.time = now;
	r.actor = actor;
	r.actor_role = actor_role ? actor_role : "";
	r.addr = addr ? addr : "";
	r.action = action;
	r.object = object ? object : "";
	r.detail = canon ? canon : "{}";

	pthread_mutex_lock(&st->lock);
	if ((ret = sql_writable(st, "ghi nhật ký kiểm toán — write the audit "
	    "log", err, errlen)) != STORE_OK ||
	    (ret = sql_tx_begin(st, what, err, errlen)) != STORE_OK)
		goto out;
	/* the next id follows the highest ever given, deleted or not */
	if ((ret = sql_prepare(st, "SELECT a.id, a.hash, coalesce((SELECT seq"
	    " FROM sqlite_sequence WHERE name = 'audit_log'), 0)"
	    " FROM (SELECT 1) LEFT JOIN (SELECT id, hash FROM audit_log"
	    " ORDER BY id DESC LIMIT 1) a", &s, what, err, errlen)) !=
	    STORE_OK)
		goto rollback;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		int64_t last = sqlite3_column_int64(s, 0);
		int64_t seq = sqlite3_column_int64(s, 2);

		sql_copy((char *)prev, sizeof(prev), sqlite3_column_text(s,
		    1));
		if (sqlite3_column_type(s, 0) == SQLITE_NULL)
			snprintf(prev, sizeof(prev), "%s", AUDIT_ZERO_HASH);
		r.id = (seq > last ? seq : last) + 1;
	}
	if ((ret = sql_finish(st, s, rc, STORE_OK, what, err, errlen)) !=
	    STORE_OK)
		goto rollback;
	r.prev_hash = prev;
	audit_hash(&r, hash);
	if ((ret = sql_prepare(st, "INSERT INTO audit_log(" AUDIT_COLUMNS ")"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", &s, what, err,
	    errlen)) != STORE_OK)
		goto rollback;
	sqlite3_bind_int64(s, 1, r.id);
	sqlite3_bind_int64(s, 2, r.time);
	sql_bind_text(s, 3, r.actor);
	sql_bind_text(s, 4, r.actor_role);
	sql_bind_text(s, 5, r.addr);
	sql_bind_text(s, 6, r.action);
	sql_bind_text(s, 7, r.object);
	sql_bind_text(s, 8, r.detail);
	sql_bind_text(s, 9, r.prev_hash);
	sql_bind_text(s, 10, hash);
	if ((ret = sql_once(st, s, what, err, errlen)) != STORE_OK)
		goto rollback;
	if ((ret = sql_tx_commit(st, what, err, errlen)) != STORE_OK)
		goto out;
	if (id != NULL)
		*id = r.id;
	goto out;
rollback:
	sql_tx_rollback(st);
out:
	pthread_mutex_unlock(&st->lock);
	free(canon);
	return ret;
}

int
store_audit_list(struct store *st, const struct store_audit_filter *f,
    int (*cb)(const struct store_audit *, void *), void *arg, char *err,
    size_t errlen)
{
	static const char what[] = "store_audit_list";
	struct sql_reader *rd = NULL;
	struct store_audit r;
	sqlite3_stmt *s;
	const char *action = f ? f->action : NULL;
	char *prefix = NULL;
	int rc, ret;

	/* "user." lists every action under user. */
	if (action != NULL && action[0] != '\0' &&
	    action[strlen(action) - 1] == '.') {
		prefix = text_printf("%s%%", action);
		action = NULL;
	}
	if ((ret = sql_read_begin(st, &rd, what, err, errlen)) != STORE_OK)
		goto out;
	if ((ret = sql_rprepare(rd, "SELECT " AUDIT_COLUMNS " FROM audit_log"
	    " WHERE (?1 IS NULL OR actor = ?1)"
	    " AND (?2 IS NULL OR action = ?2)"
	    " AND (?3 IS NULL OR action LIKE ?3 ESCAPE '\\')"
	    " AND time >= ?4 AND (?5 = 0 OR id < ?5)"
	    " ORDER BY id DESC LIMIT ?6", &s, what, err, errlen)) != STORE_OK)
		goto out;
	sql_bind_text(s, 1, f ? f->actor : NULL);
	sql_bind_text(s, 2, action);
	if (prefix != NULL) {
		/* the prefix is an action word: [a-z0-9._-], so only '_'
		 * needs escaping for LIKE */
		char *esc = malloc(strlen(prefix) * 2 + 1), *o = esc;
		const char *p;

		if (esc != NULL) {
			for (p = prefix; *p != '\0'; p++) {
				if (*p == '_' || *p == '\\')
					*o++ = '\\';
				*o++ = *p;
			}
			*o = '\0';
			sqlite3_bind_text(s, 3, esc, -1, SQLITE_TRANSIENT);
			free(esc);
		}
	}
	sqlite3_bind_int64(s, 4, f ? f->since : 0);
	sqlite3_bind_int64(s, 5, f ? f->before_id : 0);
	sqlite3_bind_int64(s, 6, f && f->limit > 0 ? f->limit : -1);
	ret = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		audit_row(s, &r);
		if ((ret = cb(&r, arg)) != 0)
			break;
	}
	ret = sql_rfinish(rd, s, rc, ret, what, err, errlen);
out:
	sql_read_end(rd);
	free(prefix);
	return ret;
}

int
store_audit_verify(struct store *st, struct store_audit_check *c, char *err,
    size_t errlen)
{
	static const char what[] = "store_audit_verify";
	struct sql_reader *rd = NULL;
	struct store_audit r;
	sqlite3_stmt *s;
	char expect_prev[65], hash[65];
	int64_t expect_id = 1, seq = 0;
	int rc, ret;

	memset(c, 0, sizeof(*c));
	snprintf(expect_prev, sizeof(expect_prev), "%s", AUDIT_ZERO_HASH);
	snprintf(c->head, sizeof(c->head), "%s", AUDIT_ZERO_HASH);
	if ((ret = sql_read_begin(st, &rd, what, err, errlen)) != STORE_OK)
		goto out;
	/* one read transaction (sql_read_begin): a record appended
	 * meanwhile is not half seen */
	if ((ret = sql_rprepare(rd, "SELECT " AUDIT_COLUMNS " FROM audit_log"
	    " ORDER BY id", &s, what, err, errlen)) != STORE_OK)
		goto out;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		audit_row(s, &r);
		c->count++;
		audit_hash(&r, hash);
		if (r.hash == NULL || strcmp(hash, r.hash) != 0)
			c->why = STORE_AUDIT_EDITED;
		else if (r.id != expect_id)
			c->why = STORE_AUDIT_GAP;
		else if (r.prev_hash == NULL ||
		    strcmp(r.prev_hash, expect_prev) != 0)
			c->why = STORE_AUDIT_UNLINKED;
		if (c->why != STORE_AUDIT_INTACT) {
			c->broken_id = r.id;
			c->broken_time = r.time;
			break;
		}
		snprintf(expect_prev, sizeof(expect_prev), "%s", r.hash);
		snprintf(c->head, sizeof(c->head), "%s", r.hash);
		expect_id = r.id + 1;
	}
	if ((ret = sql_rfinish(rd, s, rc, STORE_OK, what, err, errlen)) !=
	    STORE_OK || c->why != STORE_AUDIT_INTACT)
		goto out;
	/* AUTOINCREMENT remembers the highest id ever given: records
	 * deleted from the end leave it above the last one. */
	if ((ret = sql_rprepare(rd, "SELECT seq FROM sqlite_sequence"
	    " WHERE name = 'audit_log'", &s, what, err, errlen)) != STORE_OK)
		goto out;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		seq = sqlite3_column_int64(s, 0);
	if ((ret = sql_rfinish(rd, s, rc, STORE_OK, what, err, errlen)) !=
	    STORE_OK)
		goto out;
	if (seq >= expect_id) {
		c->why = STORE_AUDIT_TRUNCATED;
		c->broken_id = expect_id;
	}
out:
	sql_read_end(rd);
	return ret;
}
