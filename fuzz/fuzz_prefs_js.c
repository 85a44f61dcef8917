/*
 * fuzz_prefs_js.c — libFuzzer harness for Thunderbird's prefs.js parser
 * of the mail collector and the account linking that follows it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/collect_mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *prefs, *accounts;
	char *buf = malloc(size + 1);
	int line;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	prefs = collect_mail_parse_prefs_js(buf, size, &line);
	if (prefs != NULL) {
		accounts = collect_mail_thunderbird_accounts(prefs);
		json_decref(accounts);
		json_decref(prefs);
	}
	free(buf);
	return 0;
}
