/*
 * test_login.c — auth.c: HOTP and TOTP against the test vectors of RFC
 * 4226 and RFC 6238 (SHA1), the ±1 step window, a used code refused,
 * malformed codes, base32 (RFC 4648 vectors), the otpauth:// URI and its
 * QR code, the password policy, the lockout arithmetic, and the sign-in
 * steps over a real store: brute force locks, a locked or unknown account
 * answers like a wrong password, every failure and lock is audited, a
 * supervisor is sent to TOTP set-up, a replayed code is refused. Times
 * are given, never read from the clock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "server/auth.h"
#include "server/store.h"

#define T0 1764400000		/* 2025-11-29 07:06:40 UTC */

static const unsigned char rfc_key[] = "12345678901234567890";

static void
test_hotp_rfc4226(void **state)
{
	static const uint32_t want[] = {
		755224, 287082, 359152, 969429, 338314,
		254676, 287922, 162583, 399871, 520489,
	};
	uint64_t c;

	(void)state;
	for (c = 0; c < 10; c++)
		assert_int_equal(auth_hotp(rfc_key, 20, c, 6), want[c]);
}

static void
test_totp_rfc6238_sha1(void **state)
{
	static const struct {
		int64_t t;
		uint32_t code;
	} v[] = {
		{ 59, 94287082 }, { 1111111109, 7081804 },
		{ 1111111111, 14050471 }, { 1234567890, 89005924 },
		{ 2000000000, 69279037 }, { 20000000000LL, 65353130 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		assert_int_equal(auth_hotp(rfc_key, 20, (uint64_t)(v[i].t /
		    AUTH_TOTP_STEP), 8), v[i].code);
}

static void
test_totp_window_and_replay(void **state)
{
	int64_t step;

	(void)state;
	/* now = 59 is step 1; its neighbours 0 and 2 are accepted */
	assert_int_equal(auth_totp_check(rfc_key, 20, "287082", 59, 0, &step),
	    AUTH_TOTP_OK);
	assert_int_equal(step, 1);
	assert_int_equal(auth_totp_check(rfc_key, 20, "755224", 59, -1,
	    &step), AUTH_TOTP_OK);
	assert_int_equal(step, 0);
	assert_int_equal(auth_totp_check(rfc_key, 20, "359152", 59, 0, &step),
	    AUTH_TOTP_OK);
	assert_int_equal(step, 2);
	/* two steps away: refused */
	assert_int_equal(auth_totp_check(rfc_key, 20, "969429", 59, 0, &step),
	    AUTH_TOTP_WRONG);
	assert_int_equal(auth_totp_check(rfc_key, 20, "338314", 59, 0, &step),
	    AUTH_TOTP_WRONG);
	/* a used code (and any older one) is a replay */
	assert_int_equal(auth_totp_check(rfc_key, 20, "287082", 59, 1, &step),
	    AUTH_TOTP_REPLAY);
	assert_int_equal(auth_totp_check(rfc_key, 20, "755224", 59, 1, &step),
	    AUTH_TOTP_REPLAY);
	/* the next step is still fine after step 1 was used */
	assert_int_equal(auth_totp_check(rfc_key, 20, "359152", 59, 1, &step),
	    AUTH_TOTP_OK);
	/* spaces as an app shows them */
	assert_int_equal(auth_totp_check(rfc_key, 20, "287 082", 59, 0,
	    &step), AUTH_TOTP_OK);
	/* malformed */
	assert_int_equal(auth_totp_check(rfc_key, 20, "28708", 59, 0, &step),
	    AUTH_TOTP_MALFORMED);
	assert_int_equal(auth_totp_check(rfc_key, 20, "2870820", 59, 0,
	    &step), AUTH_TOTP_MALFORMED);
	assert_int_equal(auth_totp_check(rfc_key, 20, "28708a", 59, 0, &step),
	    AUTH_TOTP_MALFORMED);
	assert_int_equal(auth_totp_check(rfc_key, 20, "", 59, 0, &step),
	    AUTH_TOTP_MALFORMED);
	assert_int_equal(auth_totp_check(rfc_key, 20, NULL, 59, 0, &step),
	    AUTH_TOTP_MALFORMED);
	assert_int_equal(auth_totp_check(rfc_key, 20, "' OR 1=1 --", 59, 0,
	    &step), AUTH_TOTP_MALFORMED);
	/* a wrong key gives a wrong code */
	assert_int_equal(auth_totp_check((const unsigned char *)
	    "00000000000000000000", 20, "287082", 59, 0, &step),
	    AUTH_TOTP_WRONG);
}

static void
test_base32(void **state)
{
	static const char *const plain[] = {
		"", "f", "fo", "foo", "foob", "fooba", "foobar"
	};
	static const char *const enc[] = {
		"", "MY", "MZXQ", "MZXW6", "MZXW6YQ", "MZXW6YTB", "MZXW6YTBOI"
	};
	unsigned char bin[64];
	char out[64];
	size_t i, len;

	(void)state;
	for (i = 0; i < 7; i++) {
		assert_int_equal(auth_base32_encode((const unsigned char *)
		    plain[i], strlen(plain[i]), out, sizeof(out)), 0);
		assert_string_equal(out, enc[i]);
		assert_int_equal(auth_base32_decode(enc[i], bin, sizeof(bin),
		    &len), 0);
		assert_int_equal(len, strlen(plain[i]));
		assert_memory_equal(bin, plain[i], len);
	}
	assert_int_equal(auth_base32_decode("mzxw 6ytb oi======", bin,
	    sizeof(bin), &len), 0);
	assert_int_equal(len, 6);
	assert_memory_equal(bin, "foobar", 6);
	assert_int_equal(auth_base32_encode(rfc_key, 20, out, sizeof(out)), 0);
	assert_string_equal(out, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	/* refused: a character outside the alphabet, output too small */
	assert_int_equal(auth_base32_decode("MZ1Q", bin, sizeof(bin), &len),
	    -1);
	assert_int_equal(auth_base32_decode("MZXW6YTBOI", bin, 3, &len), -1);
	assert_int_equal(auth_base32_encode(rfc_key, 20, out, 32), -1);
}

static void
test_totp_new_and_uri(void **state)
{
	char a[AUTH_TOTP_B32 + 1], b[AUTH_TOTP_B32 + 1], *uri, *svg;
	unsigned char key[32];
	size_t len;

	(void)state;
	auth_totp_new(a);
	auth_totp_new(b);
	assert_int_equal(strlen(a), AUTH_TOTP_B32);
	assert_string_not_equal(a, b);
	assert_int_equal(auth_base32_decode(a, key, sizeof(key), &len), 0);
	assert_int_equal(len, AUTH_TOTP_KEY);

	uri = auth_totp_uri("lan", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	assert_string_equal(uri, "otpauth://totp/Canh%20G%C3%A1c:lan?secret="
	    "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Canh%20G%C3%A1c"
	    "&algorithm=SHA1&digits=6&period=30");
	svg = auth_qr_svg(uri);
	assert_non_null(svg);
	assert_true(strncmp(svg, "<svg xmlns=", 11) == 0);
	assert_non_null(strstr(svg, "</svg>"));
	assert_null(strstr(svg, "<script"));
	free(svg);
	free(uri);
	/* a login with markup and separators is percent-encoded */
	uri = auth_totp_uri("a b&c<d>:e", "MZXW6YTBOI");
	assert_non_null(strstr(uri, ":a%20b%26c%3Cd%3E%3Ae?"));
	free(uri);
	assert_null(auth_qr_svg(NULL));
}

static void
test_password_policy(void **state)
{
	char err[256], gen[AUTH_PW_GEN + 1], hash[AUTH_PWHASH_MAX];
	size_t i;

	(void)state;
	assert_false(auth_password_ok("ngắn-quá", "lan", err, sizeof(err)));
	assert_non_null(strstr(err, "at least 12"));
	assert_false(auth_password_ok("mười hai ký\ttự dài", "lan", err,
	    sizeof(err)));
	assert_non_null(strstr(err, "control"));
	assert_false(auth_password_ok("abcdefghijk\xff", "lan", err,
	    sizeof(err)));
	assert_non_null(strstr(err, "UTF-8"));
	assert_false(auth_password_ok("Nguyen.Van.Lan", "nguyen.van.lan", err,
	    sizeof(err)));
	/* twelve characters, more bytes: counted as characters */
	assert_true(auth_password_ok("mậtkhẩuđủdài", "lan", err,
	    sizeof(err)));
	assert_false(auth_password_ok("mậtkhẩuđủdà", "lan", err,
	    sizeof(err)));

	auth_password_generate(gen);
	assert_int_equal(strlen(gen), AUTH_PW_GEN);
	for (i = 0; i < AUTH_PW_GEN; i++)
		assert_null(strchr("0O1lIo", gen[i]));
	assert_true(auth_password_ok(gen, "lan", err, sizeof(err)));
	assert_int_equal(auth_password_hash(gen, hash), 0);
	assert_true(strncmp(hash, "$argon2id$", 10) == 0);
	assert_true(auth_password_verify(hash, gen));
	assert_false(auth_password_verify(hash, "sai-mat-khau-roi"));
	assert_false(auth_password_verify(NULL, gen));
	assert_false(auth_password_verify("", gen));
}

static void
test_lockout_arithmetic(void **state)
{
	struct store_lockout l;
	int i;

	(void)state;
	assert_int_equal(auth_lock_duration(1), 15 * 60);
	assert_int_equal(auth_lock_duration(2), 30 * 60);
	assert_int_equal(auth_lock_duration(3), 60 * 60);
	assert_int_equal(auth_lock_duration(7), 16 * 3600);
	assert_int_equal(auth_lock_duration(8), 24 * 3600);
	assert_int_equal(auth_lock_duration(1000), 24 * 3600);

	memset(&l, 0, sizeof(l));
	for (i = 0; i < 4; i++)
		assert_false(auth_lockout_fail(&l, T0 + i * 60));
	assert_int_equal(l.failed_count, 4);
	assert_false(auth_locked(&l, T0 + 240));
	assert_true(auth_lockout_fail(&l, T0 + 240));
	assert_int_equal(l.locked_until, T0 + 240 + 900);
	assert_int_equal(l.lockouts, 1);
	assert_true(auth_locked(&l, T0 + 240 + 899));
	assert_false(auth_locked(&l, T0 + 240 + 900));
	/* failures while locked do not count nor lengthen the lock */
	assert_false(auth_lockout_fail(&l, T0 + 300));
	assert_int_equal(l.failed_count, 0);
	assert_int_equal(l.locked_until, T0 + 240 + 900);

	/* after the lock: four failures, then the window passes */
	for (i = 0; i < 4; i++)
		assert_false(auth_lockout_fail(&l, T0 + 2000 + i));
	assert_false(auth_lockout_fail(&l, T0 + 2000 + AUTH_LOCK_WINDOW));
	assert_int_equal(l.failed_count, 1);
	/* the second lock lasts twice as long */
	for (i = 1; i < 4; i++)
		assert_false(auth_lockout_fail(&l, T0 + 3000 + i));
	assert_true(auth_lockout_fail(&l, T0 + 3010));
	assert_int_equal(l.lockouts, 2);
	assert_int_equal(l.locked_until, T0 + 3010 + 1800);
	/* a success clears everything */
	auth_lockout_clear(&l);
	assert_int_equal(l.lockouts, 0);
	assert_false(auth_locked(&l, T0 + 3011));
}

/* ---- the sign-in steps over a store ------------------------------------ */

struct fx {
	char dir[256], path[300];
	struct store *st;
	char err[512];
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	const char *tmp = getenv("TMPDIR");

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "%s/cg-login-XXXXXX",
	    tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/store.db", fx->dir);
	assert_int_equal(store_open(fx->path, STORE_CREATE, &fx->st, fx->err,
	    sizeof(fx->err)), STORE_OK);
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

static void
add_user(struct fx *fx, const char *login, const char *role,
    const char *pw)
{
	char hash[AUTH_PWHASH_MAX];

	assert_int_equal(auth_password_hash(pw, hash), 0);
	assert_int_equal(store_user_add(fx->st, login, login, role, 0, hash,
	    T0, fx->err, sizeof(fx->err)), STORE_OK);
}

struct count {
	const char *action;
	int n;
	char last_actor[64];
};

static int
count_cb(const struct store_audit *a, void *arg)
{
	struct count *c = arg;

	if (strcmp(a->action, c->action) == 0) {
		if (c->n++ == 0)
			snprintf(c->last_actor, sizeof(c->last_actor), "%s",
			    a->actor);
	}
	return 0;
}

static int
audit_count(struct fx *fx, const char *action, char *actor)
{
	struct count c = { action, 0, "" };

	assert_int_equal(store_audit_list(fx->st, NULL, count_cb, &c, fx->err,
	    sizeof(fx->err)), STORE_OK);
	if (actor != NULL)
		strcpy(actor, c.last_actor);
	return c.n;
}

static void
test_signin_brute_force(void **state)
{
	struct fx *fx = *state;
	struct store_person p;
	struct store_audit_check ck;
	char actor[64];
	int i;

	add_user(fx, "lan", "unit-it", "mật-khẩu-đúng-rồi");
	assert_int_equal(auth_signin_password(fx->st, "lan",
	    "mật-khẩu-đúng-rồi", "10.0.0.5", T0, &p), AUTH_SIGNIN_OK);
	assert_string_equal(p.login, "lan");
	assert_string_equal(p.pwhash, "");	/* not handed out */
	for (i = 0; i < AUTH_LOCK_FAILURES; i++)
		assert_int_equal(auth_signin_password(fx->st, "lan",
		    "đoán-mò-lần-nữa", "10.0.0.66", T0 + 10 + i, NULL),
		    AUTH_SIGNIN_FAILED);
	assert_int_equal(store_user_get(fx->st, "lan", &p, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(p.locked_until, T0 + 14 + AUTH_LOCK_BASE);
	/* locked: the right password is refused, the same answer */
	assert_int_equal(auth_signin_password(fx->st, "lan",
	    "mật-khẩu-đúng-rồi", "10.0.0.5", T0 + 60, NULL),
	    AUTH_SIGNIN_FAILED);
	assert_int_equal(audit_count(fx, "signin.failed", actor),
	    AUTH_LOCK_FAILURES);
	assert_string_equal(actor, "lan");
	assert_int_equal(audit_count(fx, "user.locked", NULL), 1);
	assert_int_equal(audit_count(fx, "signin.refused", NULL), 1);
	/* after the lock the right password works and clears the count */
	assert_int_equal(auth_signin_password(fx->st, "lan",
	    "mật-khẩu-đúng-rồi", "10.0.0.5", T0 + 14 + AUTH_LOCK_BASE, &p),
	    AUTH_SIGNIN_OK);
	assert_int_equal(store_user_get(fx->st, "lan", &p, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(p.lockouts, 0);
	assert_int_equal(p.failed_count, 0);
	/* an unknown login fails the same way and is audited as "-" */
	assert_int_equal(auth_signin_password(fx->st, "không-có-ai",
	    "mật-khẩu-đúng-rồi", "10.0.0.66", T0 + 2000, NULL),
	    AUTH_SIGNIN_FAILED);
	assert_int_equal(auth_signin_password(fx->st, "x\x1b[31m",
	    "mật-khẩu-đúng-rồi", "10.0.0.66", T0 + 2001, NULL),
	    AUTH_SIGNIN_FAILED);
	assert_int_equal(audit_count(fx, "signin.failed", actor),
	    AUTH_LOCK_FAILURES + 2);
	assert_string_equal(actor, "-");
	/* disabled: refused */
	assert_int_equal(store_user_set_disabled(fx->st, p.id, T0 + 3000,
	    fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(auth_signin_password(fx->st, "lan",
	    "mật-khẩu-đúng-rồi", "10.0.0.5", T0 + 3001, NULL),
	    AUTH_SIGNIN_FAILED);
	assert_int_equal(store_audit_verify(fx->st, &ck, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(ck.why, STORE_AUDIT_INTACT);
}

static void
code_at(const char *b32, int64_t t, char out[8])
{
	unsigned char key[32];
	size_t len;

	assert_int_equal(auth_base32_decode(b32, key, sizeof(key), &len), 0);
	snprintf(out, 8, "%06u", (unsigned)auth_hotp(key, len,
	    (uint64_t)(t / AUTH_TOTP_STEP), 6));
}

static void
clear_cb(struct store_lockout *l, void *arg)
{
	(void)arg;
	auth_lockout_clear(l);
}

static void
test_signin_totp(void **state)
{
	struct fx *fx = *state;
	struct store_person p;
	char b32[AUTH_TOTP_B32 + 1], code[8], other[8];
	int64_t t = T0 + 100;
	int i;

	add_user(fx, "canbo.ca", "supervisor", "giám-sát-phường-1");
	/* a supervisor without TOTP is sent to set it up */
	assert_int_equal(auth_signin_password(fx->st, "canbo.ca",
	    "giám-sát-phường-1", "127.0.0.1", t, &p), AUTH_SIGNIN_TOTP_SETUP);
	/* no pending secret: nothing to confirm */
	code_at("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", t, code);
	assert_int_equal(auth_totp_confirm(fx->st, "canbo.ca", code,
	    "127.0.0.1", t), AUTH_SIGNIN_FAILED);
	auth_totp_new(b32);
	assert_int_equal(store_user_totp_pending(fx->st, p.id, b32, fx->err,
	    sizeof(fx->err)), STORE_OK);
	code_at(b32, t, code);
	code_at(b32, t + 5 * AUTH_TOTP_STEP, other);
	assert_int_equal(auth_totp_confirm(fx->st, "canbo.ca", other,
	    "127.0.0.1", t), AUTH_SIGNIN_FAILED);
	assert_int_equal(auth_totp_confirm(fx->st, "canbo.ca", code,
	    "127.0.0.1", t), AUTH_SIGNIN_OK);
	assert_int_equal(store_user_get(fx->st, "canbo.ca", &p, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_true(p.totp_enabled);
	assert_false(p.totp_pending);

	/* the next sign-in asks for a code */
	t += 3 * AUTH_TOTP_STEP;
	assert_int_equal(auth_signin_password(fx->st, "canbo.ca",
	    "giám-sát-phường-1", "127.0.0.1", t, &p), AUTH_SIGNIN_TOTP);
	/* the code that confirmed the set-up is used: refused */
	assert_int_equal(auth_signin_totp(fx->st, "canbo.ca", code,
	    "127.0.0.1", t - 3 * AUTH_TOTP_STEP), AUTH_SIGNIN_FAILED);
	code_at(b32, t, code);
	assert_int_equal(auth_signin_totp(fx->st, "canbo.ca", code,
	    "127.0.0.1", t), AUTH_SIGNIN_OK);
	/* replayed within its window: refused */
	assert_int_equal(auth_signin_totp(fx->st, "canbo.ca", code,
	    "127.0.0.1", t + 10), AUTH_SIGNIN_FAILED);
	assert_int_equal(audit_count(fx, "signin.totp-failed", NULL), 2);

	/* guessing codes locks the account like guessing passwords */
	for (i = 0; i < AUTH_LOCK_FAILURES; i++)
		assert_int_equal(auth_signin_totp(fx->st, "canbo.ca", "000000",
		    "127.0.0.1", t + 20 + i), AUTH_SIGNIN_FAILED);
	assert_int_equal(audit_count(fx, "user.locked", NULL), 1);
	code_at(b32, t + 60, code);
	assert_int_equal(auth_signin_totp(fx->st, "canbo.ca", code,
	    "127.0.0.1", t + 60), AUTH_SIGNIN_FAILED);

	/* reset: the secret is gone, set-up is asked again */
	assert_int_equal(store_user_totp_clear(fx->st, p.id, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(store_user_lockout(fx->st, p.id,
	    clear_cb, NULL, NULL, fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(auth_signin_password(fx->st, "canbo.ca",
	    "giám-sát-phường-1", "127.0.0.1", t + 100, &p),
	    AUTH_SIGNIN_TOTP_SETUP);
}

static void
test_store_people(void **state)
{
	struct fx *fx = *state;
	struct store_person p;
	int64_t unit;

	add_user(fx, "hoa", "viewer", "chủ-tịch-phường-xem");
	assert_int_equal(store_unit_ensure(fx->st, "Phòng Kế toán", &unit,
	    fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(store_user_get(fx->st, "hoa", &p, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(store_user_set_role(fx->st, p.id, "unit-head", unit,
	    fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(store_user_set_role(fx->st, p.id, "root", 0,
	    fx->err, sizeof(fx->err)), STORE_ERR);
	assert_int_equal(store_user_set_role(fx->st, 999, "viewer", 0,
	    fx->err, sizeof(fx->err)), STORE_ENOTFOUND);
	assert_int_equal(store_user_get(fx->st, "hoa", &p, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_string_equal(p.role, "unit-head");
	assert_string_equal(p.unit, "Phòng Kế toán");
	assert_int_equal(store_user_set_password(fx->st, p.id, "$argon2id$x",
	    T0 + 5, fx->err, sizeof(fx->err)), STORE_OK);
	assert_int_equal(store_user_get(fx->st, "hoa", &p, fx->err,
	    sizeof(fx->err)), STORE_OK);
	assert_int_equal(p.password_changed, T0 + 5);
	assert_int_equal(store_user_get(fx->st, "' OR '1'='1", &p, fx->err,
	    sizeof(fx->err)), STORE_ENOTFOUND);
	assert_int_equal(store_user_totp_pending(fx->st, p.id, "not base32!",
	    fx->err, sizeof(fx->err)), STORE_ERR);
	assert_int_equal(store_user_totp_enable(fx->st, p.id, 1, fx->err,
	    sizeof(fx->err)), STORE_ENOTFOUND);
	assert_int_equal(store_user_totp_accept(fx->st, p.id, 1, fx->err,
	    sizeof(fx->err)), STORE_EEXISTS);
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hotp_rfc4226),
		cmocka_unit_test(test_totp_rfc6238_sha1),
		cmocka_unit_test(test_totp_window_and_replay),
		cmocka_unit_test(test_base32),
		cmocka_unit_test(test_totp_new_and_uri),
		cmocka_unit_test(test_password_policy),
		cmocka_unit_test(test_lockout_arithmetic),
		TEST(test_signin_brute_force),
		TEST(test_signin_totp),
		TEST(test_store_people),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
