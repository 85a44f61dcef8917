/*
 * store_sqlite_people.c — the people who sign in to the console, in the
 * SQLite store (store.h, "Console: people"): reading and listing users,
 * their password, role, unit and whether they may sign in, the lockout
 * counters and the TOTP secrets of the second factor. The policy (how
 * many failures lock, for how long, which codes are valid) is auth.c's;
 * here the state is only kept, each change in one statement or one
 * transaction. A change that must take effect at once also ends the
 * user's console sessions.
 */
#include <stdio.h>
#include <string.h>

#include "server/store_int.h"

#define PERSON_COLUMNS \
	"u.id, u.login, u.name, u.role, coalesce(u.unit_id, 0)," \
	" coalesce(n.name, ''), u.created, u.disabled_at," \
	" u.password_changed, u.totp_secret IS NOT NULL," \
	" u.totp_pending IS NOT NULL, u.totp_last_step, u.failed_count," \
	" u.failed_since, u.locked_until, u.lockouts"
#define PERSON_FROM " FROM users u LEFT JOIN units n ON n.id = u.unit_id"
#define B32_MAX 128

static void
person_row(sqlite3_stmt *s, struct store_person *p)
{
	memset(p, 0, sizeof(*p));
	p->id = sqlite3_column_int64(s, 0);
	sql_copy(p->login, sizeof(p->login), sqlite3_column_text(s, 1));
	sql_copy(p->name, sizeof(p->name), sqlite3_column_text(s, 2));
	sql_copy(p->role, sizeof(p->role), sqlite3_column_text(s, 3));
	p->unit_id = sqlite3_column_int64(s, 4);
	sql_copy(p->unit, sizeof(p->unit), sqlite3_column_text(s, 5));
	p->created = sqlite3_column_int64(s, 6);
	p->disabled_at = sqlite3_column_int64(s, 7);
	p->password_changed = sqlite3_column_int64(s, 8);
	p->totp_enabled = sqlite3_column_int(s, 9) != 0;
	p->totp_pending = sqlite3_column_int(s, 10) != 0;
	p->totp_last_step = sqlite3_column_int64(s, 11);
	p->failed_count = sqlite3_column_int(s, 12);
	p->failed_since = sqlite3_column_int64(s, 13);
	p->locked_until = sqlite3_column_int64(s, 14);
	p->lockouts = sqlite3_column_int(s, 15);
}

int
store_user_get(struct store *st, const char *login, struct store_person *p,
    char *err, size_t errlen)
{
	static const char what[] = "store_user_get";
	struct sql_reader *rd = NULL;
	sqlite3_stmt *s;
	int rc, ret;

	memset(p, 0, sizeof(*p));
	if (login == NULL || login[0] == '\0' || strlen(login) > 255)
		return STORE_ENOTFOUND;
	if ((ret = sql_read_begin(st, &rd, what, err, errlen)) != STORE_OK)
		goto out;
	if ((ret = sql_rprepare(rd, "SELECT " PERSON_COLUMNS ", u.pwhash"
	    PERSON_FROM " WHERE u.login = ?1", &s, what, err, errlen)) !=
	    STORE_OK)
		goto out;
	sql_bind_text(s, 1, login);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		person_row(s, p);
		sql_copy(p->pwhash, sizeof(p->pwhash),
		    sqlite3_column_text(s, 16));
	} else if (rc == SQLITE_DONE)
		ret = STORE_ENOTFOUND;
	ret = sql_rfinish(rd, s, rc, ret, what, err, errlen);
out:
	sql_read_end(rd);
	return ret;
}

int
store_user_list(struct store *st,
    int (*cb)(const struct store_person *, void *), void *arg, char *err,
    size_t errlen)
{
	static const char what[] = "store_user_list";
	struct sql_reader *rd = NULL;
	struct store_person p;
	sqlite3_stmt *s;
	int rc, ret;

	if ((ret = sql_read_begin(st, &rd, what, err, errlen)) != STORE_OK)
		goto out;
	if ((ret = sql_rprepare(rd, "SELECT " PERSON_COLUMNS PERSON_FROM
	    " ORDER BY u.login", &s, what, err, errlen)) != STORE_OK)
		goto out;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		person_row(s, &p);
		if ((ret = cb(&p, arg)) != 0)
			break;
	}
	ret = sql_rfinish(rd, s, rc, ret, what, err, errlen);
out:
	sql_read_end(rd);
	return ret;
}

/*
 * One UPDATE of user id (?1) with its other parameters bound by bind; in
 * a transaction with the deletion of the user's sessions when
 * end_sessions. ENOTFOUND when no row changed.
 */
static int
person_update(struct store *st, int64_t id, const char *sql,
    void (*bind)(sqlite3_stmt *, const void *), const void *arg,
    bool end_sessions, const char *what, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int ret, changed;

	pthread_mutex_lock(&st->lock);
	if ((ret = sql_writable(st, "thay đổi người dùng — change a user", err,
	    errlen)) != STORE_OK ||
	    (ret = sql_tx_begin(st, what, err, errlen)) != STORE_OK)
		goto out;
	if ((ret = sql_prepare(st, sql, &s, what, err, errlen)) != STORE_OK)
		goto rollback;
	sqlite3_bind_int64(s, 1, id);
	if (bind != NULL)
		bind(s, arg);
	if ((ret = sql_once(st, s, what, err, errlen)) != STORE_OK)
		goto rollback;
	changed = sqlite3_changes(st->db);
	if (changed == 0) {
		sql_seterr(err, errlen, "không có người dùng mã số %lld — no "
		    "user with id %lld", (long long)id, (long long)id);
		ret = STORE_ENOTFOUND;
		goto rollback;
	}
	if (end_sessions) {
		if ((ret = sql_prepare(st, "DELETE FROM sessions WHERE"
		    " user_id = ?1", &s, what, err, errlen)) != STORE_OK)
			goto rollback;
		sqlite3_bind_int64(s, 1, id);
		if ((ret = sql_once(st, s, what, err, errlen)) != STORE_OK)
			goto rollback;
	}
	ret = sql_tx_commit(st, what, err, errlen);
	goto out;
rollback:
	sql_tx_rollback(st);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

struct person_args {
	const char *text;
	int64_t a, b;
};

static void
bind_text_a(sqlite3_stmt *s, const void *arg)
{
	const struct person_args *p = arg;

	sql_bind_text(s, 2, p->text);
	sqlite3_bind_int64(s, 3, p->a);
}

static void
bind_a(sqlite3_stmt *s, const void *arg)
{
	const struct person_args *p = arg;

	sqlite3_bind_int64(s, 2, p->a);
}

static void
bind_text(sqlite3_stmt *s, const void *arg)
{
	const struct person_args *p = arg;

	sql_bind_text(s, 2, p->text);
}

int
store_user_set_password(struct store *st, int64_t id, const char *pwhash,
    int64_t now, char *err, size_t errlen)
{
	struct person_args a = { pwhash, now, 0 };

	if (pwhash == NULL || pwhash[0] == '\0' || strlen(pwhash) > 255) {
		sql_seterr(err, errlen, "thiếu mật khẩu băm — no password hash");
		return STORE_ERR;
	}
	return person_update(st, id, "UPDATE users SET pwhash = ?2,"
	    " password_changed = ?3 WHERE id = ?1", bind_text_a, &a, true,
	    "store_user_set_password", err, errlen);
}

static void
bind_role(sqlite3_stmt *s, const void *arg)
{
	const struct person_args *p = arg;

	sql_bind_text(s, 2, p->text);
	if (p->a > 0)
		sqlite3_bind_int64(s, 3, p->a);
	else
		sqlite3_bind_null(s, 3);
}

int
store_user_set_role(struct store *st, int64_t id, const char *role,
    int64_t unit_id, char *err, size_t errlen)
{
	struct person_args a = { role, unit_id, 0 };

	if (role == NULL || (strcmp(role, "supervisor") != 0 &&
	    strcmp(role, "unit-it") != 0 && strcmp(role, "unit-head") != 0 &&
	    strcmp(role, "viewer") != 0)) {
		sql_seterr(err, errlen, "vai trò không hợp lệ \"%s\" (supervisor, "
		    "unit-it, unit-head, viewer) — invalid role \"%s\"",
		    role ? role : "", role ? role : "");
		return STORE_ERR;
	}
	return person_update(st, id, "UPDATE users SET role = ?2,"
	    " unit_id = ?3 WHERE id = ?1", bind_role, &a, true,
	    "store_user_set_role", err, errlen);
}

int
store_user_set_disabled(struct store *st, int64_t id, int64_t when,
    char *err, size_t errlen)
{
	struct person_args a = { NULL, when, 0 };

	return person_update(st, id, "UPDATE users SET disabled_at = ?2"
	    " WHERE id = ?1", bind_a, &a, when != 0,
	    "store_user_set_disabled", err, errlen);
}

int
store_user_lockout(struct store *st, int64_t id,
    void (*update)(struct store_lockout *, void *), void *arg,
    struct store_lockout *out, char *err, size_t errlen)
{
	static const char what[] = "store_user_lockout";
	struct store_lockout l;
	sqlite3_stmt *s;
	int rc, ret;

	memset(&l, 0, sizeof(l));
	pthread_mutex_lock(&st->lock);
	if ((ret = sql_writable(st, "ghi số lần đăng nhập sai — record "
	    "sign-in failures", err, errlen)) != STORE_OK ||
	    (ret = sql_tx_begin(st, what, err, errlen)) != STORE_OK)
		goto out;
	if ((ret = sql_prepare(st, "SELECT failed_count, failed_since,"
	    " locked_until, lockouts FROM users WHERE id = ?1", &s, what, err,
	    errlen)) != STORE_OK)
		goto rollback;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		l.failed_count = sqlite3_column_int(s, 0);
		l.failed_since = sqlite3_column_int64(s, 1);
		l.locked_until = sqlite3_column_int64(s, 2);
		l.lockouts = sqlite3_column_int(s, 3);
	} else if (rc == SQLITE_DONE) {
		sql_seterr(err, errlen, "không có người dùng mã số %lld — no "
		    "user with id %lld", (long long)id, (long long)id);
		ret = STORE_ENOTFOUND;
	}
	if ((ret = sql_finish(st, s, rc, ret, what, err, errlen)) != STORE_OK)
		goto rollback;
	update(&l, arg);
	if ((ret = sql_prepare(st, "UPDATE users SET failed_count = ?2,"
	    " failed_since = ?3, locked_until = ?4, lockouts = ?5"
	    " WHERE id = ?1", &s, what, err, errlen)) != STORE_OK)
		goto rollback;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, l.failed_count);
	sqlite3_bind_int64(s, 3, l.failed_since);
	sqlite3_bind_int64(s, 4, l.locked_until);
	sqlite3_bind_int(s, 5, l.lockouts);
	if ((ret = sql_once(st, s, what, err, errlen)) != STORE_OK)
		goto rollback;
	if ((ret = sql_tx_commit(st, what, err, errlen)) != STORE_OK)
		goto out;
	if (out != NULL)
		*out = l;
	goto out;
rollback:
	sql_tx_rollback(st);
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}

static bool
b32_valid(const char *s)
{
	size_t n;

	if (s == NULL)
		return false;
	for (n = 0; s[n] != '\0'; n++)
		if (!((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= '2' &&
		    s[n] <= '7')))
			return false;
	return n >= 16 && n <= B32_MAX;
}

int
store_user_totp_pending(struct store *st, int64_t id, const char *b32,
    char *err, size_t errlen)
{
	struct person_args a = { b32, 0, 0 };

	if (!b32_valid(b32)) {
		sql_seterr(err, errlen, "khoá TOTP không hợp lệ — invalid TOTP "
		    "secret");
		return STORE_ERR;
	}
	return person_update(st, id, "UPDATE users SET totp_pending = ?2"
	    " WHERE id = ?1", bind_text, &a, false, "store_user_totp_pending",
	    err, errlen);
}

int
store_user_totp_secret(struct store *st, int64_t id, bool pending,
    char *b32, size_t size, char *err, size_t errlen)
{
	static const char what[] = "store_user_totp_secret";
	struct sql_reader *rd = NULL;
	sqlite3_stmt *s;
	int rc, ret;

	b32[0] = '\0';
	if ((ret = sql_read_begin(st, &rd, what, err, errlen)) != STORE_OK)
		goto out;
	if ((ret = sql_rprepare(rd, pending ? "SELECT totp_pending FROM users"
	    " WHERE id = ?1" : "SELECT totp_secret FROM users WHERE id = ?1",
	    &s, what, err, errlen)) != STORE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
		sql_copy(b32, size, sqlite3_column_text(s, 0));
	else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		sql_seterr(err, errlen, "người dùng mã số %lld không có khoá "
		    "TOTP%s — user %lld has no%s TOTP secret", (long long)id,
		    pending ? " đang chờ" : "", (long long)id,
		    pending ? " pending" : "");
		ret = STORE_ENOTFOUND;
	}
	ret = sql_rfinish(rd, s, rc, ret, what, err, errlen);
out:
	sql_read_end(rd);
	return ret;
}

int
store_user_totp_enable(struct store *st, int64_t id, int64_t step,
    char *err, size_t errlen)
{
	struct person_args a = { NULL, step, 0 };

	return person_update(st, id, "UPDATE users SET totp_secret ="
	    " totp_pending, totp_pending = NULL, totp_last_step = ?2"
	    " WHERE id = ?1 AND totp_pending IS NOT NULL", bind_a, &a, false,
	    "store_user_totp_enable", err, errlen);
}

int
store_user_totp_clear(struct store *st, int64_t id, char *err,
    size_t errlen)
{
	return person_update(st, id, "UPDATE users SET totp_secret = NULL,"
	    " totp_pending = NULL, totp_last_step = 0 WHERE id = ?1", NULL,
	    NULL, true, "store_user_totp_clear", err, errlen);
}

int
store_user_totp_accept(struct store *st, int64_t id, int64_t step,
    char *err, size_t errlen)
{
	static const char what[] = "store_user_totp_accept";
	sqlite3_stmt *s;
	int ret;

	pthread_mutex_lock(&st->lock);
	if ((ret = sql_writable(st, "ghi mã TOTP đã dùng — record a used "
	    "TOTP code", err, errlen)) != STORE_OK ||
	    (ret = sql_prepare(st, "UPDATE users SET totp_last_step = ?2"
	    " WHERE id = ?1 AND totp_secret IS NOT NULL"
	    " AND totp_last_step < ?2", &s, what, err, errlen)) != STORE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, step);
	if ((ret = sql_once(st, s, what, err, errlen)) != STORE_OK)
		goto out;
	if (sqlite3_changes(st->db) == 0) {
		sql_seterr(err, errlen, "mã TOTP đã được dùng — the TOTP code "
		    "was already used");
		ret = STORE_EEXISTS;
	}
out:
	pthread_mutex_unlock(&st->lock);
	return ret;
}
