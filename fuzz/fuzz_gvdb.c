/*
 * fuzz_gvdb.c — libFuzzer harness for the GVDB reader (keyfile.c) that
 * reads each user's binary dconf database.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/keyfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {
	    "/org/gnome/desktop/session/idle-delay",
	    "/org/gnome/desktop/screensaver/lock-enabled",
	    "/",
	    "",
	};
	struct keyfile_gvalue v;
	char *buf = malloc(size ? size : 1);
	size_t i;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		(void)keyfile_gvdb_lookup(buf, size, keys[i], &v);
	free(buf);
	return 0;
}
