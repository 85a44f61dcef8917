/*
 * page_people.c — the console's pages about people (page_people.h): the
 * TOTP step that follows a right password (/xac-thuc), setting TOTP up
 * (/xac-thuc/thiet-lap: the secret as base32, as an otpauth:// URI and as
 * a QR code drawn in SVG by the server, confirmed by a first code), the
 * supervisor's users page (/nguoi-dung: list, add, disable, enable, reset
 * TOTP, unlock, role and unit) and the audit log (/nhat-ky: newest
 * first, paging, the chain verified on request). The second-factor pages
 * are open to a session whose password step is done (mfa_pending); on
 * success the session id rotates. Every change goes to the audit log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "lib/json.h"
#include "lib/log.h"
#include "lib/text.h"
#include "server/auth.h"
#include "server/page_people.h"

#define PEOPLE_TOKEN_LEN 43		/* 32 bytes, unpadded base64url */
#define PEOPLE_VN_OFFSET (7 * 3600)	/* Asia/Ho_Chi_Minh */
#define PEOPLE_NAME_MAX 200
#define PEOPLE_FILTER_MAX 128

const struct web_page pages_people[] = {
	{ "GET", "/xac-thuc", WEB_ROLE_NONE, page_totp },
	{ "POST", "/xac-thuc", WEB_ROLE_NONE, page_totp_post },
	{ "GET", "/xac-thuc/thiet-lap", WEB_ROLE_NONE, page_totp_setup },
	{ "POST", "/xac-thuc/thiet-lap", WEB_ROLE_NONE,
	    page_totp_setup_post },
	{ "GET", "/nguoi-dung", WEB_ROLE_SUPERVISOR, page_users },
	{ "POST", "/nguoi-dung", WEB_ROLE_SUPERVISOR, page_users_post },
	{ "GET", "/nhat-ky", WEB_ROLE_SUPERVISOR, page_auditlog },
};
const size_t pages_people_n = sizeof(pages_people) / sizeof(pages_people[0]);

static const char *const people_roles[] = {
	"supervisor", "unit-it", "unit-head", "viewer"
};

/* ---- helpers ------------------------------------------------------------ */

/* "29/11/2026 17:05" in Vietnam time; "—" for 0. */
static void
people_time(int64_t t, char *buf, size_t size)
{
	struct tm tm;
	time_t vt;

	if (t == 0) {
		snprintf(buf, size, "—");
		return;
	}
	vt = (time_t)(t + PEOPLE_VN_OFFSET);
	if (gmtime_r(&vt, &tm) == NULL) {
		snprintf(buf, size, "?");
		return;
	}
	strftime(buf, size, "%d/%m/%Y %H:%M", &tm);
}

static const char *
people_role_msgid(const char *role)
{
	if (strcmp(role, "supervisor") == 0)
		return "role.supervisor";
	if (strcmp(role, "unit-it") == 0)
		return "role.unit-it";
	if (strcmp(role, "unit-head") == 0)
		return "role.unit-head";
	return "role.viewer";
}

static const char *
people_role_name(enum web_role role)
{
	switch (role) {
	case WEB_ROLE_SUPERVISOR: return "supervisor";
	case WEB_ROLE_UNIT_IT: return "unit-it";
	case WEB_ROLE_UNIT_HEAD: return "unit-head";
	case WEB_ROLE_VIEWER: return "viewer";
	default: return "";
	}
}

static bool
people_role_valid(const char *role)
{
	size_t i;

	for (i = 0; role != NULL && i < 4; i++)
		if (strcmp(role, people_roles[i]) == 0)
			return true;
	return false;
}

static bool
people_role_has_unit(const char *role)
{
	return strcmp(role, "unit-it") == 0 || strcmp(role, "unit-head") == 0;
}

/* Lower-case letters, digits, . _ -, a letter first, at most 64 (as
 * canhgac user add). */
static bool
people_login_ok(const char *s)
{
	size_t i, len;

	if (s == NULL || (len = strlen(s)) == 0 || len > 64 ||
	    !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		    s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

/* A name typed in a form: NFC, trimmed, UTF-8 without control
 * characters, 1 to max bytes; malloc'd or NULL. */
static char *
people_text(const char *s, size_t max)
{
	char *nfc, *t;
	size_t i, n;

	if (s == NULL || (n = strlen(s)) > max * 4 || !text_valid_utf8(s, n))
		return NULL;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return NULL;
	if ((nfc = text_nfc(s, n)) == NULL)
		return NULL;
	t = text_dup(text_trim(nfc));
	free(nfc);
	if (t[0] == '\0' || strlen(t) > max) {
		free(t);
		return NULL;
	}
	return t;
}

static void
people_audit(struct web_req *r, const char *action, const char *login,
    json_t *detail)
{
	char object[300];

	snprintf(object, sizeof(object), "user:%s", login);
	auth_audit(web_store(r), r->now, r->user.login,
	    people_role_name(r->user.role), r->http ? r->http->addr : "",
	    action, object, detail);
}

static void
people_cookie(struct http_reply *rep, const char *value, long max_age)
{
	char c[256];

	snprintf(c, sizeof(c), "cg_session=%s; Max-Age=%ld; Path=/; HttpOnly; "
	    "Secure; SameSite=Strict", value, max_age);
	http_reply_header(rep, "Set-Cookie", c);
}

static void
people_token(char out[PEOPLE_TOKEN_LEN + 1], unsigned char raw[32])
{
	randombytes_buf(raw, 32);
	sodium_bin2base64(out, PEOPLE_TOKEN_LEN + 1, raw, 32,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/*
 * The second factor is given: the session gets a new id (the cookie the
 * browser held before is worth nothing now) and a new CSRF token, and is
 * no longer pending. As web.c, only the SHA-256 of the cookie is stored.
 */
static bool
people_session_done(struct web_req *r, struct http_reply *rep)
{
	unsigned char raw[32], h[crypto_hash_sha256_BYTES];
	char sid[PEOPLE_TOKEN_LEN + 1], csrf[PEOPLE_TOKEN_LEN + 1], hex[65];
	char err[512];

	people_token(sid, raw);
	crypto_hash_sha256(h, raw, sizeof(raw));
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	people_token(csrf, raw);
	sodium_memzero(raw, sizeof(raw));
	if (store_session_rotate(web_store(r), r->sid, hex, csrf, false,
	    r->now, err, sizeof(err)) != STORE_OK) {
		log_warnx("event=session.rotate.failed msg=%s", err);
		sodium_memzero(sid, sizeof(sid));
		return false;
	}
	people_cookie(rep, sid, WEB_LIFETIME_S);
	sodium_memzero(sid, sizeof(sid));
	return true;
}

/* The session ends (a lock, a disabled account during the TOTP step). */
static void
people_session_end(struct web_req *r, struct http_reply *rep)
{
	char err[512];

	if (r->sid[0] != '\0')
		store_session_delete(web_store(r), r->sid, err, sizeof(err));
	people_cookie(rep, "", 0);
	web_redirect(r, rep, "/dang-nhap");
}

/* The person behind the request (a pending or a full session). */
static bool
people_me(struct web_req *r, struct store_person *p)
{
	char err[512];
	int rc;

	if (r->sid[0] == '\0' || r->user.login[0] == '\0')
		return false;
	rc = store_user_get(web_store(r), r->user.login, p, err, sizeof(err));
	sodium_memzero(p->pwhash, sizeof(p->pwhash));
	if (rc != STORE_OK) {
		if (rc != STORE_ENOTFOUND)
			log_warnx("event=web.store page=people msg=%s", err);
		return false;
	}
	return p->disabled_at == 0;
}

/* ---- /xac-thuc: the code after the password ----------------------------- */

static void
people_totp_form(struct web_req *r, struct http_reply *rep, bool failed)
{
	json_t *m = json_object();

	json_set_str(m, "title", web_msg(r, "totp.title"));
	json_set_bool(m, "failed", failed);
	web_render(r, rep, 200, "totp", m);
}

void
page_totp(struct web_req *r, struct http_reply *rep)
{
	struct store_person p;

	if (!r->mfa_pending) {
		web_redirect(r, rep, r->user.role != WEB_ROLE_NONE ?
		    "/tong-quan" : "/dang-nhap");
		return;
	}
	if (!people_me(r, &p)) {
		people_session_end(r, rep);
		return;
	}
	if (!p.totp_enabled) {
		web_redirect(r, rep, "/xac-thuc/thiet-lap");
		return;
	}
	people_totp_form(r, rep, false);
}

/* After a refused code: the session ends when the account is now locked
 * or disabled; otherwise the form again. */
static void
people_code_refused(struct web_req *r, struct http_reply *rep,
    void (*again)(struct web_req *, struct http_reply *, bool))
{
	struct store_person p;

	if (!people_me(r, &p) || p.locked_until > r->now) {
		people_session_end(r, rep);
		return;
	}
	again(r, rep, true);
}

void
page_totp_post(struct web_req *r, struct http_reply *rep)
{
	if (!r->mfa_pending) {
		web_redirect(r, rep, r->user.role != WEB_ROLE_NONE ?
		    "/tong-quan" : "/dang-nhap");
		return;
	}
	if (auth_signin_totp(web_store(r), r->user.login, web_form(r, "ma"),
	    r->http->addr, r->now) != AUTH_SIGNIN_OK) {
		people_code_refused(r, rep, people_totp_form);
		return;
	}
	if (!people_session_done(r, rep)) {
		web_error(r, rep, 500, "error.internal");
		return;
	}
	log_info("event=signin.ok factor=totp user_id=%lld addr=%s",
	    (long long)r->user.id, r->http->addr);
	web_redirect(r, rep, "/tong-quan");
}

/* ---- /xac-thuc/thiet-lap: setting TOTP up ------------------------------- */

/* "ABCD EFGH ..." for reading and typing. */
static void
people_group4(const char *s, char *out, size_t size)
{
	size_t i, o = 0;

	for (i = 0; s[i] != '\0' && o + 2 < size; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = ' ';
		out[o++] = s[i];
	}
	out[o] = '\0';
}

static void
people_setup_form(struct web_req *r, struct http_reply *rep, bool failed)
{
	struct store_person p;
	char err[512], b32[160], grouped[200];
	char *uri = NULL, *svg = NULL;
	json_t *m;

	if (!people_me(r, &p)) {
		people_session_end(r, rep);
		return;
	}
	m = json_object();
	json_set_str(m, "title", web_msg(r, "totp.setup.title"));
	json_set_bool(m, "pending", r->mfa_pending);
	json_set_bool(m, "required", strcmp(p.role, "supervisor") == 0);
	if (p.totp_enabled) {
		json_set_bool(m, "enabled", true);
		web_render(r, rep, 200, "totp-setup", m);
		return;
	}
	if (!p.totp_pending) {
		auth_totp_new(b32);
		if (store_user_totp_pending(web_store(r), p.id, b32, err,
		    sizeof(err)) != STORE_OK) {
			log_warnx("event=web.store page=totp-setup msg=%s", err);
			json_decref(m);
			web_error(r, rep, 500, "error.internal");
			return;
		}
	}
	if (store_user_totp_secret(web_store(r), p.id, true, b32, sizeof(b32),
	    err, sizeof(err)) != STORE_OK ||
	    (uri = auth_totp_uri(p.login, b32)) == NULL) {
		log_warnx("event=web.store page=totp-setup msg=%s", err);
		json_decref(m);
		web_error(r, rep, 500, "error.internal");
		return;
	}
	people_group4(b32, grouped, sizeof(grouped));
	json_set_str(m, "secret", grouped);
	json_set_str(m, "uri", uri);
	json_set_str(m, "login", p.login);
	json_set_bool(m, "failed", failed);
	/* markup the server drew itself from the URI: only modules */
	if ((svg = auth_qr_svg(uri)) != NULL)
		json_object_set_new(m, "html_qr", json_string(svg));
	sodium_memzero(b32, sizeof(b32));
	free(uri);
	free(svg);
	web_render(r, rep, 200, "totp-setup", m);
}

void
page_totp_setup(struct web_req *r, struct http_reply *rep)
{
	struct store_person p;

	if (r->sid[0] == '\0') {
		web_redirect(r, rep, "/dang-nhap");
		return;
	}
	/* a pending session of an account that has TOTP gives the code:
	 * it may not set up another secret */
	if (r->mfa_pending && people_me(r, &p) && p.totp_enabled) {
		web_redirect(r, rep, "/xac-thuc");
		return;
	}
	people_setup_form(r, rep, false);
}

void
page_totp_setup_post(struct web_req *r, struct http_reply *rep)
{
	struct store_person p;

	if (r->sid[0] == '\0' || !people_me(r, &p)) {
		people_session_end(r, rep);
		return;
	}
	if (p.totp_enabled) {
		web_redirect(r, rep, r->mfa_pending ? "/xac-thuc" :
		    "/xac-thuc/thiet-lap");
		return;
	}
	if (auth_totp_confirm(web_store(r), r->user.login, web_form(r, "ma"),
	    r->http->addr, r->now) != AUTH_SIGNIN_OK) {
		people_code_refused(r, rep, people_setup_form);
		return;
	}
	if (r->mfa_pending) {
		if (!people_session_done(r, rep)) {
			web_error(r, rep, 500, "error.internal");
			return;
		}
		web_redirect(r, rep, "/tong-quan");
		return;
	}
	web_redirect(r, rep, "/xac-thuc/thiet-lap");
}

/* ---- /nguoi-dung: users ------------------------------------------------- */

struct people_list {
	struct web_req *r;
	json_t *rows;
};

static int
people_row(const struct store_person *p, void *arg)
{
	struct people_list *l = arg;
	struct web_req *r = l->r;
	json_t *o = json_object(), *roles = json_array();
	char t[40];
	size_t i;

	json_set_str(o, "login", p->login);
	json_set_str(o, "name", p->name);
	json_set_str(o, "role", p->role);
	json_set_str(o, "role_text", web_msg(r, people_role_msgid(p->role)));
	json_set_str(o, "unit", p->unit);
	json_set_bool(o, "disabled", p->disabled_at != 0);
	json_set_bool(o, "locked", p->locked_until > r->now);
	people_time(p->locked_until, t, sizeof(t));
	json_set_str(o, "locked_until", t);
	json_set_bool(o, "totp", p->totp_enabled);
	people_time(p->password_changed ? p->password_changed : p->created, t,
	    sizeof(t));
	json_set_str(o, "password_set", t);
	json_set_bool(o, "self", strcmp(p->login, r->user.login) == 0);
	json_set_int(o, "failed", p->failed_count);
	for (i = 0; i < 4; i++) {
		json_t *e = json_object();

		json_set_str(e, "value", people_roles[i]);
		json_set_str(e, "label", web_msg(r,
		    people_role_msgid(people_roles[i])));
		json_set_bool(e, "selected", strcmp(p->role,
		    people_roles[i]) == 0);
		json_array_append_new(roles, e);
	}
	json_object_set_new(o, "roles", roles);
	json_array_append_new(l->rows, o);
	return 0;
}

/* The users page; notice (a msgid) or error (a msgid) above it, and a
 * generated password shown once. */
static void
people_users_page(struct web_req *r, struct http_reply *rep, int status,
    const char *notice, const char *error, const char *who,
    const char *password)
{
	struct people_list l = { r, json_array() };
	char err[512];
	json_t *m, *roles = json_array();
	size_t i;

	if (store_user_list(web_store(r), people_row, &l, err, sizeof(err)) !=
	    STORE_OK) {
		log_warnx("event=web.store page=users msg=%s", err);
		json_decref(l.rows);
		json_decref(roles);
		web_error(r, rep, 500, "error.internal");
		return;
	}
	for (i = 0; i < 4; i++) {
		json_t *e = json_object();

		json_set_str(e, "value", people_roles[i]);
		json_set_str(e, "label", web_msg(r,
		    people_role_msgid(people_roles[i])));
		json_array_append_new(roles, e);
	}
	m = json_object();
	json_set_str(m, "title", web_msg(r, "users.title"));
	json_object_set_new(m, "rows", l.rows);
	json_object_set_new(m, "roles", roles);
	if (notice != NULL)
		json_set_str(m, "notice", web_msg(r, notice));
	if (error != NULL)
		json_set_str(m, "error", web_msg(r, error));
	if (password != NULL) {
		json_t *g = json_object();

		json_set_str(g, "login", who);
		json_set_str(g, "password", password);
		json_object_set_new(m, "generated", g);
	}
	web_render(r, rep, status, "users", m);
}

void
page_users(struct web_req *r, struct http_reply *rep)
{
	static const char *const notices[] = {
		"users.done.added", "users.done.disabled", "users.done.enabled",
		"users.done.totp", "users.done.unlocked", "users.done.role",
	};
	const char *ok = web_query(r, "xong"), *notice = NULL;
	size_t i;

	for (i = 0; ok != NULL && i < sizeof(notices) / sizeof(notices[0]);
	    i++)
		if (strcmp(ok, notices[i] + strlen("users.done.")) == 0)
			notice = notices[i];
	people_users_page(r, rep, 200, notice, NULL, NULL, NULL);
}

static void
people_unlock_cb(struct store_lockout *l, void *arg)
{
	(void)arg;
	auth_lockout_clear(l);
}

static void
people_user_add(struct web_req *r, struct http_reply *rep)
{
	const char *login = web_form(r, "login"), *role = web_form(r, "role");
	const char *pw = web_form(r, "password"), *unit_in = web_form(r,
	    "unit"), *name_in = web_form(r, "name");
	char gen[AUTH_PW_GEN + 1], hash[AUTH_PWHASH_MAX], err[512];
	char *unit = NULL, *name = NULL;
	int64_t unit_id = 0;
	bool generated = false;
	int rc;

	if (!people_login_ok(login)) {
		people_users_page(r, rep, 400, NULL, "users.err.login", NULL,
		    NULL);
		return;
	}
	if (!people_role_valid(role)) {
		people_users_page(r, rep, 400, NULL, "users.err.role", NULL,
		    NULL);
		return;
	}
	if (unit_in != NULL && unit_in[0] != '\0' &&
	    (unit = people_text(unit_in, PEOPLE_NAME_MAX)) == NULL) {
		people_users_page(r, rep, 400, NULL, "users.err.unit", NULL,
		    NULL);
		return;
	}
	if (people_role_has_unit(role) != (unit != NULL)) {
		free(unit);
		people_users_page(r, rep, 400, NULL, "users.err.unit", NULL,
		    NULL);
		return;
	}
	name = name_in != NULL && name_in[0] != '\0' ? people_text(name_in,
	    PEOPLE_NAME_MAX) : text_dup(login);
	if (name == NULL) {
		free(unit);
		people_users_page(r, rep, 400, NULL, "users.err.name", NULL,
		    NULL);
		return;
	}
	if (pw == NULL || pw[0] == '\0') {
		auth_password_generate(gen);
		pw = gen;
		generated = true;
	} else if (!auth_password_ok(pw, login, err, sizeof(err))) {
		free(unit);
		free(name);
		people_users_page(r, rep, 400, NULL, "users.err.password",
		    NULL, NULL);
		return;
	}
	if (auth_password_hash(pw, hash) != 0 || (unit != NULL &&
	    store_unit_ensure(web_store(r), unit, &unit_id, err,
	    sizeof(err)) != STORE_OK)) {
		log_warnx("event=web.store page=users msg=%s", err);
		free(unit);
		free(name);
		web_error(r, rep, 500, "error.internal");
		return;
	}
	rc = store_user_add(web_store(r), login, name, role, unit_id, hash,
	    r->now, err, sizeof(err));
	if (rc == STORE_EEXISTS || rc == STORE_ERR) {
		free(unit);
		free(name);
		sodium_memzero(gen, sizeof(gen));
		people_users_page(r, rep, 409, NULL, rc == STORE_EEXISTS ?
		    "users.err.exists" : "users.err.login", NULL, NULL);
		return;
	}
	if (rc != STORE_OK) {
		log_warnx("event=web.store page=users msg=%s", err);
		free(unit);
		free(name);
		web_error(r, rep, 500, "error.internal");
		return;
	}
	people_audit(r, "user.added", login, json_pack("{s:s, s:s, s:s, s:b}",
	    "role", role, "name", name, "unit", unit ? unit : "", "generated",
	    generated));
	free(unit);
	free(name);
	if (generated) {
		people_users_page(r, rep, 200, "users.done.added", NULL, login,
		    gen);
		sodium_memzero(gen, sizeof(gen));
		return;
	}
	web_redirect(r, rep, "/nguoi-dung?xong=added");
}

void
page_users_post(struct web_req *r, struct http_reply *rep)
{
	const char *op = web_form(r, "op"), *login = web_form(r, "login");
	const char *done = NULL, *role, *unit_in;
	struct store_person p;
	struct store *st = web_store(r);
	char err[512], *unit = NULL, to[64];
	int64_t unit_id = 0;
	int rc;

	if (op == NULL) {
		web_error(r, rep, 400, "error.bad_request");
		return;
	}
	if (strcmp(op, "add") == 0) {
		people_user_add(r, rep);
		return;
	}
	if (!people_login_ok(login) || store_user_get(st, login, &p, err,
	    sizeof(err)) != STORE_OK) {
		people_users_page(r, rep, 404, NULL, "users.err.unknown", NULL,
		    NULL);
		return;
	}
	sodium_memzero(p.pwhash, sizeof(p.pwhash));
	/* a supervisor may not disable or demote themself: the ward would
	 * be left without one by a slip of the mouse */
	if (strcmp(login, r->user.login) == 0 && (strcmp(op, "disable") ==
	    0 || strcmp(op, "role") == 0)) {
		people_users_page(r, rep, 400, NULL, "users.err.self", NULL,
		    NULL);
		return;
	}
	if (strcmp(op, "disable") == 0 || strcmp(op, "enable") == 0) {
		bool dis = op[0] == 'd';

		rc = store_user_set_disabled(st, p.id, dis ? r->now : 0, err,
		    sizeof(err));
		if (rc == STORE_OK)
			people_audit(r, dis ? "user.disabled" : "user.enabled",
			    login, NULL);
		done = dis ? "disabled" : "enabled";
	} else if (strcmp(op, "reset-totp") == 0) {
		rc = store_user_totp_clear(st, p.id, err, sizeof(err));
		if (rc == STORE_OK)
			people_audit(r, "totp.reset", login, json_pack("{s:b}",
			    "was_enabled", p.totp_enabled));
		done = "totp";
	} else if (strcmp(op, "unlock") == 0) {
		rc = store_user_lockout(st, p.id, people_unlock_cb, NULL, NULL,
		    err, sizeof(err));
		if (rc == STORE_OK)
			people_audit(r, "user.unlocked", login, json_pack(
			    "{s:I, s:i}", "locked_until", (json_int_t)
			    p.locked_until, "failed_count", p.failed_count));
		done = "unlocked";
	} else if (strcmp(op, "role") == 0) {
		role = web_form(r, "role");
		unit_in = web_form(r, "unit");
		if (!people_role_valid(role)) {
			people_users_page(r, rep, 400, NULL, "users.err.role",
			    NULL, NULL);
			return;
		}
		if (unit_in != NULL && unit_in[0] != '\0' &&
		    (unit = people_text(unit_in, PEOPLE_NAME_MAX)) == NULL) {
			people_users_page(r, rep, 400, NULL, "users.err.unit",
			    NULL, NULL);
			return;
		}
		if (!people_role_has_unit(role)) {
			free(unit);
			unit = NULL;
		} else if (unit == NULL) {
			people_users_page(r, rep, 400, NULL, "users.err.unit",
			    NULL, NULL);
			return;
		}
		rc = unit != NULL ? store_unit_ensure(st, unit, &unit_id, err,
		    sizeof(err)) : STORE_OK;
		if (rc == STORE_OK)
			rc = store_user_set_role(st, p.id, role, unit_id, err,
			    sizeof(err));
		if (rc == STORE_OK)
			people_audit(r, "user.role", login, json_pack(
			    "{s:s, s:s, s:s, s:s}", "from", p.role, "to", role,
			    "unit_from", p.unit, "unit", unit ? unit : ""));
		free(unit);
		done = "role";
	} else {
		web_error(r, rep, 400, "error.bad_request");
		return;
	}
	if (rc != STORE_OK) {
		log_warnx("event=web.store page=users op=%s msg=%s", op, err);
		web_error(r, rep, 500, "error.internal");
		return;
	}
	snprintf(to, sizeof(to), "/nguoi-dung?xong=%s", done);
	web_redirect(r, rep, to);
}

/* ---- /nhat-ky: the audit log -------------------------------------------- */

struct people_audit {
	struct web_req *r;
	json_t *rows;
	int64_t last_id;
	int n;
};

static int
people_audit_row(const struct store_audit *a, void *arg)
{
	struct people_audit *l = arg;
	json_t *o = json_object();
	char t[40];

	json_set_int(o, "id", a->id);
	people_time(a->time, t, sizeof(t));
	json_set_str(o, "time", t);
	json_set_str(o, "actor", a->actor);
	json_set_str(o, "role", a->actor_role);
	json_set_str(o, "addr", a->addr);
	json_set_str(o, "action", a->action);
	json_set_str(o, "object", a->object);
	json_set_str(o, "detail", a->detail);
	json_array_append_new(l->rows, o);
	l->last_id = a->id;
	l->n++;
	return 0;
}

static const char *
people_break_msgid(enum store_audit_break why)
{
	switch (why) {
	case STORE_AUDIT_EDITED: return "audit.broken.edited";
	case STORE_AUDIT_UNLINKED: return "audit.broken.unlinked";
	case STORE_AUDIT_GAP: return "audit.broken.gap";
	case STORE_AUDIT_TRUNCATED: return "audit.broken.truncated";
	default: return "audit.intact";
	}
}

/* A filter value from the query: at most PEOPLE_FILTER_MAX bytes of
 * UTF-8 without control characters; "" counts as absent. */
static bool
people_filter(struct web_req *r, const char *name, const char **out)
{
	const char *v = web_query(r, name);
	size_t n, i;

	*out = NULL;
	if (v == NULL || v[0] == '\0')
		return true;
	n = strlen(v);
	if (n > PEOPLE_FILTER_MAX || !text_valid_utf8(v, n))
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return false;
	*out = v;
	return true;
}

void
page_auditlog(struct web_req *r, struct http_reply *rep)
{
	struct store_audit_filter f;
	struct people_audit l = { r, NULL, 0, 0 };
	struct store_audit_check ck;
	const char *before = web_query(r, "truoc"), *check;
	char err[512], t[40];
	json_t *m;
	long v;

	memset(&f, 0, sizeof(f));
	if (!people_filter(r, "nguoi", &f.actor) ||
	    !people_filter(r, "hanh-dong", &f.action) ||
	    (before != NULL && before[0] != '\0' &&
	    (!text_to_long(before, &v) || v < 1))) {
		web_error(r, rep, 400, "error.bad_request");
		return;
	}
	if (before != NULL && before[0] != '\0')
		f.before_id = v;
	f.limit = PEOPLE_AUDIT_PAGE;
	l.rows = json_array();
	if (store_audit_list(web_store(r), &f, people_audit_row, &l, err,
	    sizeof(err)) != STORE_OK) {
		log_warnx("event=web.store page=audit-log msg=%s", err);
		json_decref(l.rows);
		web_error(r, rep, 500, "error.internal");
		return;
	}
	m = json_object();
	json_set_str(m, "title", web_msg(r, "audit.title"));
	json_set_bool(m, "has_rows", l.n > 0);
	json_object_set_new(m, "rows", l.rows);
	json_set_str(m, "actor", f.actor ? f.actor : "");
	json_set_str(m, "action", f.action ? f.action : "");
	json_set_bool(m, "paged", f.before_id != 0);
	if (l.n == PEOPLE_AUDIT_PAGE && l.last_id > 1) {
		json_t *older = json_object();

		json_set_int(older, "truoc", l.last_id);
		json_object_set_new(m, "older", older);
	}
	check = web_query(r, "kiem-tra");
	if (check != NULL && strcmp(check, "1") == 0) {
		json_t *c = json_object();

		if (store_audit_verify(web_store(r), &ck, err, sizeof(err)) !=
		    STORE_OK) {
			log_warnx("event=web.store page=audit-log msg=%s", err);
			json_decref(c);
			json_decref(m);
			web_error(r, rep, 500, "error.internal");
			return;
		}
		json_set_bool(c, "intact", ck.why == STORE_AUDIT_INTACT);
		json_set_int(c, "count", ck.count);
		json_set_str(c, "head", ck.head);
		json_set_int(c, "broken_id", ck.broken_id);
		people_time(ck.broken_time, t, sizeof(t));
		json_set_str(c, "broken_time", t);
		json_set_str(c, "why", web_msg(r, people_break_msgid(ck.why)));
		json_object_set_new(m, "check", c);
	}
	web_render(r, rep, 200, "audit-log", m);
}
