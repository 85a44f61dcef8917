/*
 * enrol_token.c — making one-time enrolment tokens and the command that
 * uses them, shared by `canhgac token create` (src/cli/cmd_token.c) and
 * the console's enrolment-token page (page_tokens.c), so that both print
 * the same token format and the same enroll command. enrol_token.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "lib/file.h"
#include "lib/text.h"
#include "server/enrol_token.h"

#define ENROL_CA_MAX (64u << 10)

void
enrol_token_make(char tok[ENROL_TOKEN_SIZE], char hash[65])
{
	unsigned char raw[ENROL_TOKEN_RANDOM], sum[crypto_hash_sha256_BYTES];
	size_t plen = strlen(ENROL_TOKEN_PREFIX);

	randombytes_buf(raw, sizeof(raw));
	memcpy(tok, ENROL_TOKEN_PREFIX, plen);
	sodium_bin2base64(tok + plen, ENROL_TOKEN_SIZE - plen, raw,
	    sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	crypto_hash_sha256(sum, (const unsigned char *)tok, strlen(tok));
	sodium_bin2hex(hash, 65, sum, sizeof(sum));
	sodium_memzero(raw, sizeof(raw));
}

bool
enrol_duration(const char *s, int64_t *out)
{
	char num[16];
	size_t len = strlen(s);
	long v, unit = 86400;

	if (len == 0 || len >= sizeof(num))
		return false;
	memcpy(num, s, len + 1);
	switch (num[len - 1]) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	case 'w': unit = 7 * 86400; break;
	default:
		if (num[len - 1] < '0' || num[len - 1] > '9')
			return false;
		len++;
	}
	num[len - 1] = '\0';
	if (num[0] < '0' || num[0] > '9' || !text_to_long(num, &v) ||
	    v <= 0 || v > ENROL_MAX_EXPIRES)
		return false;
	*out = (int64_t)v * unit;
	return true;
}

char *
enrol_server_url(const struct serverconf *sc, bool *wildcard)
{
	*wildcard = false;
	if (sc->url != NULL && sc->url[0] != '\0')
		return text_dup(sc->url);
	if (sc->nlisten == 0)
		return text_dup("https://127.0.0.1:8443");
	*wildcard = strncmp(sc->listen[0], "0.0.0.0:", 8) == 0 ||
	    strncmp(sc->listen[0], "[::]:", 5) == 0;
	return text_printf("https://%s", sc->listen[0]);
}

int
enrol_ca_fingerprint(const char *path, char fpr[PKI_FPR_LEN], char *err,
    size_t errlen)
{
	char e[512], *pem = NULL;
	size_t len;
	int r;

	r = file_read_path(path, ENROL_CA_MAX, &pem, &len);
	if (r != 0) {
		snprintf(err, errlen, "%s: không đọc được chứng thư CA: %s — "
		    "cannot read the CA certificate: %s", path,
		    text_strerror_vi(-r) ? text_strerror_vi(-r) : strerror(-r),
		    strerror(-r));
		return -1;
	}
	r = pki_fingerprint(pem, fpr, e, sizeof(e));
	free(pem);
	if (r != 0) {
		snprintf(err, errlen, "%s: %s", path, e);
		return -1;
	}
	return 0;
}

char *
enrol_command(const char *url, const char *tok, const char *fpr)
{
	return text_printf("canhgac-agent enroll --server %s --token %s "
	    "--ca-fingerprint %s", url, tok, fpr);
}
