/*
 * auth.h — how a person proves who they are to the console: the password
 * policy (length, UTF-8, Argon2id hashes), the lockout policy after
 * repeated failures, and the TOTP second factor (RFC 6238: HMAC-SHA1,
 * 30 s steps, 6 digits, one step either side, each code used once).
 * The sign-in steps (auth_signin_*) read and change the store and write
 * every failure, lock and success into the audit log. docs/admin.md
 * explains the policy to operators.
 */
#ifndef CG_AUTH_H
#define CG_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "server/store.h"

/* Passwords. */
#define AUTH_PW_MIN 12			/* characters */
#define AUTH_PW_MAX 1024		/* bytes */
#define AUTH_PW_GEN 20			/* characters of a generated one */
#define AUTH_PWHASH_MAX 128		/* crypto_pwhash_STRBYTES */

/* Whether pw may be a password for login: valid UTF-8, no control
 * characters, AUTH_PW_MIN characters to AUTH_PW_MAX bytes, not the login
 * itself. false with err "<vi> — <en>". */
bool auth_password_ok(const char *pw, const char *login, char *err,
    size_t errlen);
/* Argon2id (libsodium's crypto_pwhash_str, interactive limits) into
 * out[AUTH_PWHASH_MAX]; -1 when out of memory. */
int auth_password_hash(const char *pw, char *out);
/* Whether pw matches hash; takes the same time for a NULL or empty hash
 * (an unknown login) as for a wrong password. */
bool auth_password_verify(const char *hash, const char *pw);
/* AUTH_PW_GEN characters without look-alikes (0 O o 1 l I) into
 * out[AUTH_PW_GEN + 1]. */
void auth_password_generate(char *out);

/* Lockout: AUTH_LOCK_FAILURES failures within AUTH_LOCK_WINDOW seconds
 * lock the account for AUTH_LOCK_BASE seconds, doubled for each further
 * lock since the last successful sign-in, up to AUTH_LOCK_MAX. A failure
 * while locked is not counted (the lock does not grow by itself). */
#define AUTH_LOCK_FAILURES 5
#define AUTH_LOCK_WINDOW (15 * 60)
#define AUTH_LOCK_BASE (15 * 60)
#define AUTH_LOCK_MAX (24 * 3600)

/* The length of the n-th lock (n >= 1). */
int64_t auth_lock_duration(int n);
bool auth_locked(const struct store_lockout *l, int64_t now);
/* Counts one failure at now; true when it locked the account. */
bool auth_lockout_fail(struct store_lockout *l, int64_t now);
/* A successful sign-in (or an operator's unlock): all counters cleared. */
void auth_lockout_clear(struct store_lockout *l);

/* TOTP. */
#define AUTH_TOTP_STEP 30
#define AUTH_TOTP_DIGITS 6
#define AUTH_TOTP_WINDOW 1		/* steps accepted either side */
#define AUTH_TOTP_KEY 20		/* bytes: 160 bits */
#define AUTH_TOTP_B32 32		/* base32 characters of the key */
#define AUTH_TOTP_ISSUER "Canh Gác"

/* RFC 4226 HOTP with HMAC-SHA1: digits (6 to 8) of the counter's code. */
uint32_t auth_hotp(const unsigned char *key, size_t keylen, uint64_t counter,
    int digits);
enum auth_totp_result {
	AUTH_TOTP_OK = 0,
	AUTH_TOTP_WRONG,		/* no step of the window matches */
	AUTH_TOTP_REPLAY,		/* matches a step already used */
	AUTH_TOTP_MALFORMED,		/* not 6 digits (spaces allowed) */
};
/* Checks code against the steps now-1..now+1 that are later than
 * last_step; *step gets the step that matched. */
enum auth_totp_result auth_totp_check(const unsigned char *key,
    size_t keylen, const char *code, int64_t now, int64_t last_step,
    int64_t *step);

/* RFC 4648 base32, upper case, no padding. encode: out needs
 * len * 8 / 5 + 2 bytes; -1 when it does not fit. decode accepts lower
 * case, spaces and '=' padding; -1 on another character or overflow. */
int auth_base32_encode(const unsigned char *in, size_t len, char *out,
    size_t size);
int auth_base32_decode(const char *in, unsigned char *out, size_t size,
    size_t *len);
/* A new random key as base32 into b32[AUTH_TOTP_B32 + 1]. */
void auth_totp_new(char *b32);
/* otpauth://totp/ISSUER:LOGIN?secret=…&issuer=…&algorithm=SHA1&digits=6
 * &period=30, percent-encoded; malloc'd. */
char *auth_totp_uri(const char *login, const char *b32);
/* The QR code of text as an SVG element (black modules on white, a quiet
 * zone of 4), malloc'd; NULL when it cannot be encoded. */
char *auth_qr_svg(const char *text);

/* The sign-in steps. */
enum auth_signin {
	AUTH_SIGNIN_FAILED = 0,		/* wrong, unknown, locked, disabled:
					 * one answer for all */
	AUTH_SIGNIN_OK,			/* signed in */
	AUTH_SIGNIN_TOTP,		/* password right; a code is due */
	AUTH_SIGNIN_TOTP_SETUP,		/* password right; a supervisor
					 * without TOTP must set it up */
};
/* The password step: looks login up, refuses a disabled or locked
 * account without saying so, verifies the password in constant work,
 * counts failures (and locks), and writes each failure, lock and success
 * into the audit log (actor login, addr). p (may be NULL) gets the user
 * when the answer is not FAILED. */
enum auth_signin auth_signin_password(struct store *st, const char *login,
    const char *pw, const char *addr, int64_t now, struct store_person *p);
/* The second step for user login (a session with mfa_pending): OK, or
 * FAILED after counting the failure (a wrong code, a replayed one, a
 * locked or disabled account). */
enum auth_signin auth_signin_totp(struct store *st, const char *login,
    const char *code, const char *addr, int64_t now);
/* Confirms the pending secret of login with code and enables it: OK or
 * FAILED (counted like a wrong code). */
enum auth_signin auth_totp_confirm(struct store *st, const char *login,
    const char *code, const char *addr, int64_t now);

/* Appends to the audit log, logging (not returning) a failure; detail
 * may be NULL and is released. */
int auth_audit(struct store *st, int64_t now, const char *actor,
    const char *role, const char *addr, const char *action,
    const char *object, json_t *detail);

#endif
