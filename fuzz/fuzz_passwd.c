/*
 * fuzz_passwd.c — libFuzzer harness of the account file parsers: the same
 * bytes through the /etc/passwd, /etc/group and /etc/shadow parsers of
 * collect_accounts.c (acct.h). Must never crash, hang or leak, and every
 * string it keeps must be valid UTF-8 (jansson refuses others).
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
	int line;

	l = collect_accounts_parse_passwd(buf, size, &line);
	json_decref(l);
	l = collect_accounts_parse_group(buf, size, &line);
	json_decref(l);
	l = collect_accounts_parse_shadow(buf, size, 20000, &line);
	if (json_object_size(l) > size)
		abort();
	json_decref(l);
	return 0;
}
