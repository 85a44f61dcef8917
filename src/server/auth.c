/*
 * auth.c — passwords, lockout and the TOTP second factor of the console
 * (auth.h). The pure parts (policy arithmetic, HOTP/TOTP, base32, the
 * otpauth:// URI and its QR code as SVG) come first and are tested alone
 * (tests/unit/test_login.c); the sign-in steps at the end tie them to the
 * store and the audit log. docs/admin.md states the policy.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <jansson.h>
#include <qrencode.h>
#include <sodium.h>

#include "lib/log.h"
#include "lib/text.h"
#include "server/auth.h"

/* No 0/O/o, 1/l/I: read aloud and copied by hand without mistakes. */
static const char auth_pw_alphabet[] =
    "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
static const char auth_b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* ---- passwords ---------------------------------------------------------- */

bool
auth_password_ok(const char *pw, const char *login, char *err, size_t errlen)
{
	size_t len, i, chars = 0;

	if (pw == NULL || (len = strlen(pw)) > AUTH_PW_MAX) {
		snprintf(err, errlen, "mật khẩu dài quá %d byte — the password "
		    "is longer than %d bytes", AUTH_PW_MAX, AUTH_PW_MAX);
		return false;
	}
	if (!text_valid_utf8(pw, len)) {
		snprintf(err, errlen, "mật khẩu không phải UTF-8 hợp lệ — the "
		    "password is not valid UTF-8");
		return false;
	}
	for (i = 0; i < len; i++) {
		if ((unsigned char)pw[i] < 0x20 || pw[i] == 0x7f) {
			snprintf(err, errlen, "mật khẩu có ký tự điều khiển — "
			    "the password holds a control character");
			return false;
		}
		if (((unsigned char)pw[i] & 0xc0) != 0x80)
			chars++;
	}
	if (chars < AUTH_PW_MIN) {
		snprintf(err, errlen, "mật khẩu phải có ít nhất %d ký tự (có "
		    "%zu) — the password needs at least %d characters (it has "
		    "%zu)", AUTH_PW_MIN, chars, AUTH_PW_MIN, chars);
		return false;
	}
	if (login != NULL && strcasecmp(pw, login) == 0) {
		snprintf(err, errlen, "mật khẩu không được trùng tên đăng nhập "
		    "— the password must not be the login");
		return false;
	}
	return true;
}

int
auth_password_hash(const char *pw, char *out)
{
	_Static_assert(crypto_pwhash_STRBYTES <= AUTH_PWHASH_MAX,
	    "AUTH_PWHASH_MAX");
	return crypto_pwhash_str(out, pw, strlen(pw),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0 ? 0 : -1;
}

static pthread_once_t auth_dummy_once = PTHREAD_ONCE_INIT;
static char auth_dummy[crypto_pwhash_STRBYTES];

static void
auth_dummy_init(void)
{
	char pw[AUTH_PW_GEN + 1];

	auth_password_generate(pw);
	if (auth_password_hash(pw, auth_dummy) != 0)
		auth_dummy[0] = '\0';
	sodium_memzero(pw, sizeof(pw));
}

bool
auth_password_verify(const char *hash, const char *pw)
{
	size_t len = pw ? strlen(pw) : 0;

	if (pw == NULL || len > AUTH_PW_MAX)
		return false;
	if (hash == NULL || hash[0] == '\0') {
		/* the same work as a real check, then no */
		pthread_once(&auth_dummy_once, auth_dummy_init);
		if (auth_dummy[0] != '\0' &&
		    crypto_pwhash_str_verify(auth_dummy, pw, len) == 0)
			return false;	/* a guess of a random password */
		return false;
	}
	return crypto_pwhash_str_verify(hash, pw, len) == 0;
}

void
auth_password_generate(char *out)
{
	size_t i;

	for (i = 0; i < AUTH_PW_GEN; i++)
		out[i] = auth_pw_alphabet[randombytes_uniform(
		    sizeof(auth_pw_alphabet) - 1)];
	out[AUTH_PW_GEN] = '\0';
}

/* ---- lockout ------------------------------------------------------------ */

int64_t
auth_lock_duration(int n)
{
	int64_t d = AUTH_LOCK_BASE;

	while (n-- > 1 && d < AUTH_LOCK_MAX)
		d *= 2;
	return d < AUTH_LOCK_MAX ? d : AUTH_LOCK_MAX;
}

bool
auth_locked(const struct store_lockout *l, int64_t now)
{
	return l->locked_until > now;
}

bool
auth_lockout_fail(struct store_lockout *l, int64_t now)
{
	if (auth_locked(l, now))
		return false;
	if (l->failed_since == 0 || now - l->failed_since >= AUTH_LOCK_WINDOW ||
	    now < l->failed_since) {
		l->failed_since = now;
		l->failed_count = 0;
	}
	if (++l->failed_count < AUTH_LOCK_FAILURES)
		return false;
	if (l->lockouts < 64)
		l->lockouts++;
	l->locked_until = now + auth_lock_duration(l->lockouts);
	l->failed_count = 0;
	l->failed_since = 0;
	return true;
}

void
auth_lockout_clear(struct store_lockout *l)
{
	memset(l, 0, sizeof(*l));
}

/* ---- TOTP --------------------------------------------------------------- */

uint32_t
auth_hotp(const unsigned char *key, size_t keylen, uint64_t counter,
    int digits)
{
	static const uint32_t mod[] = { 1000000, 10000000, 100000000 };
	unsigned char msg[8], mac[20];
	uint32_t bin;
	int i, off;

	if (digits < 6 || digits > 8)
		digits = 6;
	for (i = 7; i >= 0; i--) {
		msg[i] = (unsigned char)counter;
		counter >>= 8;
	}
	if (gnutls_hmac_fast(GNUTLS_MAC_SHA1, key, keylen, msg, sizeof(msg),
	    mac) != 0)
		return UINT32_MAX;	/* never a valid code */
	off = mac[19] & 0x0f;
	bin = ((uint32_t)(mac[off] & 0x7f) << 24) |
	    ((uint32_t)mac[off + 1] << 16) | ((uint32_t)mac[off + 2] << 8) |
	    (uint32_t)mac[off + 3];
	sodium_memzero(mac, sizeof(mac));
	return bin % mod[digits - 6];
}

enum auth_totp_result
auth_totp_check(const unsigned char *key, size_t keylen, const char *code,
    int64_t now, int64_t last_step, int64_t *step)
{
	char digits[AUTH_TOTP_DIGITS + 1], want[AUTH_TOTP_DIGITS + 1];
	int64_t s, cur;
	size_t n = 0;
	bool replay = false;

	*step = 0;
	if (code == NULL)
		return AUTH_TOTP_MALFORMED;
	for (; *code != '\0'; code++) {
		if (*code == ' ' || *code == '-')
			continue;
		if (*code < '0' || *code > '9' || n == AUTH_TOTP_DIGITS)
			return AUTH_TOTP_MALFORMED;
		digits[n++] = *code;
	}
	if (n != AUTH_TOTP_DIGITS || now < 0)
		return AUTH_TOTP_MALFORMED;
	digits[n] = '\0';
	cur = now / AUTH_TOTP_STEP;
	/* the latest step first: a code valid twice counts as the newest */
	for (s = cur + AUTH_TOTP_WINDOW; s >= cur - AUTH_TOTP_WINDOW; s--) {
		if (s < 0)
			break;
		snprintf(want, sizeof(want), "%0*u", AUTH_TOTP_DIGITS,
		    (unsigned)auth_hotp(key, keylen, (uint64_t)s,
		    AUTH_TOTP_DIGITS));
		if (sodium_memcmp(want, digits, AUTH_TOTP_DIGITS) != 0)
			continue;
		if (s <= last_step) {
			replay = true;
			continue;
		}
		*step = s;
		return AUTH_TOTP_OK;
	}
	return replay ? AUTH_TOTP_REPLAY : AUTH_TOTP_WRONG;
}

int
auth_base32_encode(const unsigned char *in, size_t len, char *out,
    size_t size)
{
	size_t i, o = 0;
	unsigned buf = 0;
	int bits = 0;

	if (size < (len * 8 + 4) / 5 + 1)
		return -1;
	for (i = 0; i < len; i++) {
		buf = (buf << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = auth_b32[(buf >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[o++] = auth_b32[(buf << (5 - bits)) & 31];
	out[o] = '\0';
	return 0;
}

int
auth_base32_decode(const char *in, unsigned char *out, size_t size,
    size_t *len)
{
	unsigned buf = 0;
	int bits = 0, v;
	size_t o = 0;

	*len = 0;
	for (; *in != '\0'; in++) {
		char c = *in;

		if (c == ' ' || c == '=')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= '2' && c <= '7')
			v = c - '2' + 26;
		else
			return -1;
		buf = ((buf << 5) | (unsigned)v) & 0xfff;
		bits += 5;
		if (bits >= 8) {
			if (o >= size)
				return -1;
			out[o++] = (unsigned char)(buf >> (bits - 8));
			bits -= 8;
		}
	}
	*len = o;
	return 0;
}

void
auth_totp_new(char *b32)
{
	unsigned char key[AUTH_TOTP_KEY];

	randombytes_buf(key, sizeof(key));
	auth_base32_encode(key, sizeof(key), b32, AUTH_TOTP_B32 + 1);
	sodium_memzero(key, sizeof(key));
}

/* Percent-encodes s (UTF-8 bytes) for a URI component. */
static char *
auth_uri_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(s) * 3 + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~')
			*o++ = (char)c;
		else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

char *
auth_totp_uri(const char *login, const char *b32)
{
	char *issuer = auth_uri_escape(AUTH_TOTP_ISSUER);
	char *user = auth_uri_escape(login);
	char *uri = NULL;

	if (issuer != NULL && user != NULL)
		uri = text_printf("otpauth://totp/%s:%s?secret=%s&issuer=%s"
		    "&algorithm=SHA1&digits=%d&period=%d", issuer, user, b32,
		    issuer, AUTH_TOTP_DIGITS, AUTH_TOTP_STEP);
	free(issuer);
	free(user);
	return uri;
}

char *
auth_qr_svg(const char *text)
{
	QRcode *qr;
	char *svg, *p;
	size_t cap;
	int x, y, w, q = 4;

	if (text == NULL || strlen(text) > 1024 ||
	    (qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)) ==
	    NULL)
		return NULL;
	w = qr->width;
	/* at most about 24 bytes a dark module, plus the frame */
	cap = (size_t)w * (size_t)w * 24 + 512;
	if ((svg = malloc(cap)) == NULL) {
		QRcode_free(qr);
		return NULL;
	}
	p = svg;
	p += snprintf(p, cap, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"qr\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	    "shape-rendering=\"crispEdges\" aria-hidden=\"true\">"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"", w + 2 * q, w + 2 * q, (w + 2 * q) * 6,
	    (w + 2 * q) * 6, w + 2 * q, w + 2 * q);
	for (y = 0; y < w; y++)
		for (x = 0; x < w; x++)
			if (qr->data[y * w + x] & 1)
				p += snprintf(p, cap - (size_t)(p - svg),
				    "M%d %dh1v1h-1z", x + q, y + q);
	snprintf(p, cap - (size_t)(p - svg), "\"/></svg>");
	QRcode_free(qr);
	return svg;
}

/* ---- the sign-in steps -------------------------------------------------- */

int
auth_audit(struct store *st, int64_t now, const char *actor,
    const char *role, const char *addr, const char *action,
    const char *object, json_t *detail)
{
	char err[512], *text = NULL;
	int rc;

	if (detail != NULL)
		text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(detail);
	rc = store_audit_append(st, now, actor, role, addr, action, object,
	    text, NULL, err, sizeof(err));
	free(text);
	if (rc != STORE_OK)
		log_warnx("event=audit.failed action=%s msg=%s", action, err);
	return rc;
}

/* A login as typed, safe to keep in the audit log: at most 128 bytes of
 * UTF-8 without control characters, else NULL. */
static const char *
auth_login_text(const char *login)
{
	size_t n, i;

	if (login == NULL || (n = strlen(login)) == 0 || n > 128 ||
	    !text_valid_utf8(login, n))
		return NULL;
	for (i = 0; i < n; i++)
		if ((unsigned char)login[i] < 0x20 || login[i] == 0x7f)
			return NULL;
	return login;
}

struct auth_fail {
	int64_t now;
	bool locked;
};

static void
auth_fail_cb(struct store_lockout *l, void *arg)
{
	struct auth_fail *a = arg;

	a->locked = auth_lockout_fail(l, a->now);
}

static void
auth_clear_cb(struct store_lockout *l, void *arg)
{
	(void)arg;
	auth_lockout_clear(l);
}

/* Counts a failure of p at now and writes it (reason) and any lock to the
 * audit log. */
static void
auth_count_failure(struct store *st, const struct store_person *p,
    const char *addr, int64_t now, const char *action, const char *reason)
{
	struct auth_fail a = { now, false };
	struct store_lockout l;
	char err[512], object[300];
	json_t *d;

	snprintf(object, sizeof(object), "user:%s", p->login);
	if (store_user_lockout(st, p->id, auth_fail_cb, &a, &l, err,
	    sizeof(err)) != STORE_OK)
		log_warnx("event=lockout.failed msg=%s", err);
	d = json_pack("{s:s, s:i}", "reason", reason, "failures",
	    a.locked ? AUTH_LOCK_FAILURES : l.failed_count);
	auth_audit(st, now, p->login, p->role, addr, action, object, d);
	if (a.locked) {
		d = json_pack("{s:I, s:i, s:I}", "until", (json_int_t)
		    l.locked_until, "lockouts", l.lockouts, "seconds",
		    (json_int_t)(l.locked_until - now));
		auth_audit(st, now, p->login, p->role, addr, "user.locked",
		    object, d);
		log_warnx("event=user.locked user_id=%lld until=%lld",
		    (long long)p->id, (long long)l.locked_until);
	}
}

enum auth_signin
auth_signin_password(struct store *st, const char *login, const char *pw,
    const char *addr, int64_t now, struct store_person *out)
{
	struct store_person p;
	struct store_lockout l;
	char err[512], object[300];
	const char *reason = NULL;
	enum auth_signin res;
	int rc;

	rc = store_user_get(st, login, &p, err, sizeof(err));
	if (rc != STORE_OK) {
		const char *typed = auth_login_text(login);

		if (rc != STORE_ENOTFOUND)
			log_warnx("event=signin.store msg=%s", err);
		(void)auth_password_verify(NULL, pw);
		auth_audit(st, now, "-", "", addr, "signin.failed", "",
		    typed ? json_pack("{s:s, s:s}", "reason", "unknown",
		    "login", typed) : json_pack("{s:s, s:b}", "reason",
		    "unknown", "login_invalid", 1));
		return AUTH_SIGNIN_FAILED;
	}
	snprintf(object, sizeof(object), "user:%s", p.login);
	l.locked_until = p.locked_until;
	if (p.disabled_at != 0)
		reason = "disabled";
	else if (auth_locked(&l, now))
		reason = "locked";
	if (reason != NULL) {
		/* the same work and the same answer as a wrong password */
		(void)auth_password_verify(NULL, pw);
		sodium_memzero(p.pwhash, sizeof(p.pwhash));
		auth_audit(st, now, p.login, p.role, addr, "signin.refused",
		    object, json_pack("{s:s}", "reason", reason));
		return AUTH_SIGNIN_FAILED;
	}
	if (!auth_password_verify(p.pwhash, pw)) {
		sodium_memzero(p.pwhash, sizeof(p.pwhash));
		auth_count_failure(st, &p, addr, now, "signin.failed",
		    "password");
		return AUTH_SIGNIN_FAILED;
	}
	sodium_memzero(p.pwhash, sizeof(p.pwhash));
	if (p.totp_enabled)
		res = AUTH_SIGNIN_TOTP;
	else if (strcmp(p.role, "supervisor") == 0)
		res = AUTH_SIGNIN_TOTP_SETUP;
	else
		res = AUTH_SIGNIN_OK;
	if (res == AUTH_SIGNIN_OK && (p.failed_count != 0 || p.lockouts != 0)
	    && store_user_lockout(st, p.id, auth_clear_cb, NULL, NULL, err,
	    sizeof(err)) != STORE_OK)
		log_warnx("event=lockout.failed msg=%s", err);
	auth_audit(st, now, p.login, p.role, addr, res == AUTH_SIGNIN_OK ?
	    "signin.ok" : "signin.password-ok", object, NULL);
	if (out != NULL)
		*out = p;
	return res;
}

/* The second factor of login against its confirmed (pending false) or
 * pending secret. */
static enum auth_signin
auth_code(struct store *st, const char *login, const char *code,
    const char *addr, int64_t now, bool pending)
{
	struct store_person p;
	struct store_lockout l;
	unsigned char key[64];
	char err[512], b32[160], object[300];
	const char *why;
	enum auth_totp_result tr = AUTH_TOTP_WRONG;
	int64_t step = 0;
	size_t keylen = 0;
	int rc;

	if (store_user_get(st, login, &p, err, sizeof(err)) != STORE_OK)
		return AUTH_SIGNIN_FAILED;
	sodium_memzero(p.pwhash, sizeof(p.pwhash));
	snprintf(object, sizeof(object), "user:%s", p.login);
	l.locked_until = p.locked_until;
	if (p.disabled_at != 0 || auth_locked(&l, now)) {
		auth_audit(st, now, p.login, p.role, addr, "signin.refused",
		    object, json_pack("{s:s}", "reason", p.disabled_at ?
		    "disabled" : "locked"));
		return AUTH_SIGNIN_FAILED;
	}
	if (store_user_totp_secret(st, p.id, pending, b32, sizeof(b32), err,
	    sizeof(err)) != STORE_OK ||
	    auth_base32_decode(b32, key, sizeof(key), &keylen) != 0 ||
	    keylen < 10) {
		sodium_memzero(b32, sizeof(b32));
		log_warnx("event=totp.secret.missing user_id=%lld",
		    (long long)p.id);
		return AUTH_SIGNIN_FAILED;
	}
	sodium_memzero(b32, sizeof(b32));
	tr = auth_totp_check(key, keylen, code, now, pending ? 0 :
	    p.totp_last_step, &step);
	sodium_memzero(key, sizeof(key));
	if (tr == AUTH_TOTP_OK) {
		rc = pending ? store_user_totp_enable(st, p.id, step, err,
		    sizeof(err)) : store_user_totp_accept(st, p.id, step, err,
		    sizeof(err));
		if (rc == STORE_EEXISTS)
			tr = AUTH_TOTP_REPLAY;	/* a concurrent use won */
		else if (rc != STORE_OK) {
			log_warnx("event=totp.store msg=%s", err);
			return AUTH_SIGNIN_FAILED;
		}
	}
	if (tr != AUTH_TOTP_OK) {
		why = tr == AUTH_TOTP_REPLAY ? "replay" : tr ==
		    AUTH_TOTP_MALFORMED ? "malformed" : "wrong";
		auth_count_failure(st, &p, addr, now, pending ?
		    "totp.confirm-failed" : "signin.totp-failed", why);
		return AUTH_SIGNIN_FAILED;
	}
	if ((p.failed_count != 0 || p.lockouts != 0) &&
	    store_user_lockout(st, p.id, auth_clear_cb, NULL, NULL, err,
	    sizeof(err)) != STORE_OK)
		log_warnx("event=lockout.failed msg=%s", err);
	auth_audit(st, now, p.login, p.role, addr, pending ? "totp.enabled" :
	    "signin.ok", object, json_pack("{s:s}", "factor", "totp"));
	return AUTH_SIGNIN_OK;
}

enum auth_signin
auth_signin_totp(struct store *st, const char *login, const char *code,
    const char *addr, int64_t now)
{
	return auth_code(st, login, code, addr, now, false);
}

enum auth_signin
auth_totp_confirm(struct store *st, const char *login, const char *code,
    const char *addr, int64_t now)
{
	return auth_code(st, login, code, addr, now, true);
}
