/*
 * enrol_token.h — one-time enrolment tokens as `canhgac token create` and
 * the console's page /ma-dang-ky both make them: "cg1_" and 32 random
 * bytes in base64url, of which the store keeps only the SHA-256; the
 * address agents are told and the CA fingerprint they pin, and the exact
 * canhgac-agent enroll command. docs/api.md (POST /api/v1/enroll).
 */
#ifndef CG_ENROL_TOKEN_H
#define CG_ENROL_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/pki.h"
#include "server/serverconf.h"

#define ENROL_TOKEN_PREFIX "cg1_"
#define ENROL_TOKEN_RANDOM 32
#define ENROL_TOKEN_SIZE 64		/* "cg1_" + 43 base64url + NUL, room */
#define ENROL_DEFAULT_EXPIRES (7 * 86400)
#define ENROL_MAX_EXPIRES (90 * 86400)
#define ENROL_MIN_EXPIRES 60
#define ENROL_MAX_USES 10000
#define ENROL_UNIT_MAX 200
#define ENROL_NOTE_MAX 255

/* A new token in tok[ENROL_TOKEN_SIZE] and the SHA-256 hex of its whole
 * text, which is what canhgacd looks up at enrolment. */
void enrol_token_make(char tok[ENROL_TOKEN_SIZE], char hash[65]);

/* "7d", "12h", "30m", "2w", "3600s"; a bare number counts days. false
 * when malformed or over ENROL_MAX_EXPIRES units. */
bool enrol_duration(const char *s, int64_t *out);

/* The address agents are told (malloc'd): the configuration's url, else
 * the first listen address; *wildcard is set when that address is 0.0.0.0
 * or [::], which agents cannot use (the caller warns). */
char *enrol_server_url(const struct serverconf *sc, bool *wildcard);

/* The fingerprint of the CA certificate in file path: 0, or -1 with a
 * bilingual err naming the file. */
int enrol_ca_fingerprint(const char *path, char fpr[PKI_FPR_LEN], char *err,
    size_t errlen);

/* "canhgac-agent enroll --server URL --token T --ca-fingerprint F"
 * (malloc'd). */
char *enrol_command(const char *url, const char *tok, const char *fpr);

#endif
