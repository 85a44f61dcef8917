/*
 * fuzz_pam.c — libFuzzer harness of the PAM files parsers of
 * collect_auth.c: any bytes through collect_auth_parse_pam() (stack files
 * with continuations and [...] controls), collect_auth_parse_kv()
 * (pwquality.conf, faillock.conf) and collect_auth_defs_value()
 * (login.defs). Must never crash, hang or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/acct.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	json_t *l;
	char *v;
	int line;

	l = collect_auth_parse_pam(buf, size, &line);
	json_decref(l);
	l = collect_auth_parse_kv(buf, size, &line);
	json_decref(l);
	v = collect_auth_defs_value(buf, size, "PASS_MAX_DAYS");
	free(v);
	return 0;
}
