/*
 * fuzz_sshd_config.c — libFuzzer harness of the sshd_config parser of
 * collect_ssh.c: any bytes through collect_ssh_parse(); a refused input
 * must say why, an accepted one must give every fact. Must never crash,
 * hang or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/acct.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512] = "";
	json_t *s;

	s = collect_ssh_parse((const char *)data, size, err, sizeof(err));
	if (s == NULL && err[0] == '\0')
		abort();
	if (s != NULL && (json_object_get(s, "ciphers") == NULL ||
	    json_object_get(s, "permit_root_login") == NULL))
		abort();
	json_decref(s);
	if (size < 64) {
		char *t = malloc(size + 1);
		if (t == NULL)
			return 0;
		memcpy(t, data, size);
		t[size] = '\0';
		(void)collect_ssh_time(t);
		free(t);
	}
	return 0;
}
