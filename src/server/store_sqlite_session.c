/*
 * store_sqlite_session.c — the console's sessions in the SQLite store
 * (store.h, "Console: sessions"): one row per signed-in browser, known by
 * the SHA-256 of its cookie, joined to its user and the user's unit. The
 * table is made by the second migration of store_schema.c. Idle and
 * absolute expiry are decided by web.c from the times kept here.
 */
#include <stdio.h>
#include <string.h>

#include "server/store_int.h"

#define SESSION_SELECT \
	"SELECT s.id, s.csrf, s.created, s.last_used, s.expires," \
	" s.mfa_pending, u.id, u.login, u.name, u.role," \
	" coalesce(u.unit_id, 0), coalesce(n.name, ''), u.disabled_at" \
	" FROM sessions s JOIN users u ON u.id = s.user_id" \
	" LEFT JOIN units n ON n.id = u.unit_id WHERE s.hash = ?1"

static bool
session_hash_valid(const char *h)
{
	size_t i;

	if (h == NULL || strlen(h) != 64)
		return false;
	for (i = 0; i < 64; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' &&
		    h[i] <= 'f')))
			return false;
	return true;
}

static int
session_bad_hash(char *err, size_t errlen)
{
	sql_seterr(err, errlen, "mã phiên không hợp lệ — invalid session hash");
	return STORE_ERR;
}

/* Runs one statement that changes rows; *changes gets how many. */
static int
session_exec(struct store *st, const char *sql, const char *what,
    int (*bind)(sqlite3_stmt *, const void *), const void *arg,
    int *changes, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc, ret = STORE_OK;

	pthread_mutex_lock(&st->lock);
	if (st->readonly) {
		ret = sql_readonly_err(st, what, err, errlen);
		goto out;
	}
	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK) {
		ret = sql_dberr(st, rc, what, err, errlen);
		goto out;
	}
	bind(s, arg);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		ret = sql_dberr(st, rc, what, err, errlen);
	else if (changes != NULL)
		*changes = sqlite3_changes(st->db);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

int
store_user_by_login(struct store *st, const char *login,
    struct store_user *u, char *err, size_t errlen)
{
	struct sql_reader *rd = NULL;
	sqlite3_stmt *s;
	int rc, ret = STORE_OK;

	memset(u, 0, sizeof(*u));
	if (login == NULL || login[0] == '\0' || strlen(login) > 255)
		return STORE_ENOTFOUND;
	if ((ret = sql_read_begin(st, &rd, "store_user_by_login", err,
	    errlen)) != STORE_OK ||
	    (ret = sql_rprepare(rd, "SELECT u.id, u.login, u.name, u.role,"
	    " coalesce(u.unit_id, 0), coalesce(n.name, ''), u.pwhash,"
	    " u.disabled_at FROM users u LEFT JOIN units n ON n.id = u.unit_id"
	    " WHERE u.login = ?1", &s, "store_user_by_login", err, errlen)) !=
	    STORE_OK)
		goto out;
	sqlite3_bind_text(s, 1, login, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		u->id = sqlite3_column_int64(s, 0);
		sql_copy(u->login, sizeof(u->login), sqlite3_column_text(s, 1));
		sql_copy(u->name, sizeof(u->name), sqlite3_column_text(s, 2));
		sql_copy(u->role, sizeof(u->role), sqlite3_column_text(s, 3));
		u->unit_id = sqlite3_column_int64(s, 4);
		sql_copy(u->unit, sizeof(u->unit), sqlite3_column_text(s, 5));
		sql_copy(u->pwhash, sizeof(u->pwhash),
		    sqlite3_column_text(s, 6));
		u->disabled_at = sqlite3_column_int64(s, 7);
	} else if (rc == SQLITE_DONE)
		ret = STORE_ENOTFOUND;
	else
		ret = sql_rdberr(rd, rc, "store_user_by_login", err, errlen);
	sql_done(s);
out:
	sql_read_end(rd);
	return ret;
}

struct session_new {
	const char *hash, *csrf, *addr;
	int64_t user_id, now, expires;
	bool mfa_pending;
};

static int
session_bind_new(sqlite3_stmt *s, const void *arg)
{
	const struct session_new *n = arg;

	sqlite3_bind_text(s, 1, n->hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, n->user_id);
	sqlite3_bind_text(s, 3, n->csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, n->mfa_pending ? 1 : 0);
	sqlite3_bind_int64(s, 5, n->now);
	sqlite3_bind_int64(s, 6, n->expires);
	sqlite3_bind_text(s, 7, n->addr ? n->addr : "", -1, SQLITE_STATIC);
	return 0;
}

int
store_session_create(struct store *st, const char *hash_hex,
    int64_t user_id, const char *csrf, bool mfa_pending, int64_t now,
    int64_t expires, const char *addr, char *err, size_t errlen)
{
	struct session_new n = { hash_hex, csrf, addr, user_id, now, expires,
	    mfa_pending };

	if (!session_hash_valid(hash_hex))
		return session_bad_hash(err, errlen);
	return session_exec(st, "INSERT INTO sessions(hash, user_id, csrf,"
	    " mfa_pending, created, last_used, expires, addr)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7)",
	    "tạo phiên đăng nhập — create a session", session_bind_new, &n,
	    NULL, err, errlen);
}

int
store_session_get(struct store *st, const char *hash_hex,
    struct store_session *ss, char *err, size_t errlen)
{
	struct sql_reader *rd = NULL;
	sqlite3_stmt *s;
	int rc, ret = STORE_OK;

	memset(ss, 0, sizeof(*ss));
	if (!session_hash_valid(hash_hex))
		return STORE_ENOTFOUND;
	if ((ret = sql_read_begin(st, &rd, "store_session_get", err,
	    errlen)) != STORE_OK ||
	    (ret = sql_rprepare(rd, SESSION_SELECT, &s, "store_session_get",
	    err, errlen)) != STORE_OK)
		goto out;
	sqlite3_bind_text(s, 1, hash_hex, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		ss->id = sqlite3_column_int64(s, 0);
		sql_copy(ss->csrf, sizeof(ss->csrf), sqlite3_column_text(s, 1));
		ss->created = sqlite3_column_int64(s, 2);
		ss->last_used = sqlite3_column_int64(s, 3);
		ss->expires = sqlite3_column_int64(s, 4);
		ss->mfa_pending = sqlite3_column_int(s, 5) != 0;
		ss->user.id = sqlite3_column_int64(s, 6);
		sql_copy(ss->user.login, sizeof(ss->user.login),
		    sqlite3_column_text(s, 7));
		sql_copy(ss->user.name, sizeof(ss->user.name),
		    sqlite3_column_text(s, 8));
		sql_copy(ss->user.role, sizeof(ss->user.role),
		    sqlite3_column_text(s, 9));
		ss->user.unit_id = sqlite3_column_int64(s, 10);
		sql_copy(ss->user.unit, sizeof(ss->user.unit),
		    sqlite3_column_text(s, 11));
		ss->user.disabled_at = sqlite3_column_int64(s, 12);
	} else if (rc == SQLITE_DONE)
		ret = STORE_ENOTFOUND;
	else
		ret = sql_rdberr(rd, rc, "store_session_get", err, errlen);
	sql_done(s);
out:
	sql_read_end(rd);
	return ret;
}

struct session_key {
	const char *hash;
	int64_t now;
};

static int
session_bind_key(sqlite3_stmt *s, const void *arg)
{
	const struct session_key *k = arg;

	sqlite3_bind_text(s, 1, k->hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, k->now);
	return 0;
}

int
store_session_touch(struct store *st, const char *hash_hex, int64_t now,
    char *err, size_t errlen)
{
	struct session_key k = { hash_hex, now };

	if (!session_hash_valid(hash_hex))
		return session_bad_hash(err, errlen);
	return session_exec(st, "UPDATE sessions SET last_used = ?2"
	    " WHERE hash = ?1 AND last_used < ?2",
	    "cập nhật phiên — touch a session", session_bind_key, &k, NULL,
	    err, errlen);
}

static int
session_bind_hash(sqlite3_stmt *s, const void *arg)
{
	sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
	return 0;
}

int
store_session_delete(struct store *st, const char *hash_hex, char *err,
    size_t errlen)
{
	if (!session_hash_valid(hash_hex))
		return session_bad_hash(err, errlen);
	return session_exec(st, "DELETE FROM sessions WHERE hash = ?1",
	    "xóa phiên — delete a session", session_bind_hash, hash_hex, NULL,
	    err, errlen);
}

struct session_rot {
	const char *old, *new, *csrf;
	bool mfa_pending;
	int64_t now;
};

static int
session_bind_rot(sqlite3_stmt *s, const void *arg)
{
	const struct session_rot *r = arg;

	sqlite3_bind_text(s, 1, r->old, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, r->new, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, r->csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, r->mfa_pending ? 1 : 0);
	sqlite3_bind_int64(s, 5, r->now);
	return 0;
}

int
store_session_rotate(struct store *st, const char *old_hex,
    const char *new_hex, const char *csrf, bool mfa_pending, int64_t now,
    char *err, size_t errlen)
{
	struct session_rot r = { old_hex, new_hex, csrf, mfa_pending, now };
	int changes = 0, rc;

	if (!session_hash_valid(old_hex) || !session_hash_valid(new_hex))
		return session_bad_hash(err, errlen);
	rc = session_exec(st, "UPDATE sessions SET hash = ?2, csrf = ?3,"
	    " mfa_pending = ?4, last_used = ?5 WHERE hash = ?1",
	    "đổi mã phiên — rotate a session", session_bind_rot, &r, &changes,
	    err, errlen);
	if (rc == STORE_OK && changes == 0)
		return STORE_ENOTFOUND;
	return rc;
}

struct session_purge {
	int64_t now, idle_before;
};

static int
session_bind_purge(sqlite3_stmt *s, const void *arg)
{
	const struct session_purge *p = arg;

	sqlite3_bind_int64(s, 1, p->now);
	sqlite3_bind_int64(s, 2, p->idle_before);
	return 0;
}

int
store_session_purge(struct store *st, int64_t now, int64_t idle_before,
    char *err, size_t errlen)
{
	struct session_purge p = { now, idle_before };

	return session_exec(st, "DELETE FROM sessions WHERE expires <= ?1"
	    " OR last_used < ?2", "xóa các phiên hết hạn — purge sessions",
	    session_bind_purge, &p, NULL, err, errlen);
}
