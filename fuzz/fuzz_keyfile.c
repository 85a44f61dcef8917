/*
 * fuzz_keyfile.c — libFuzzer harness for the keyfile parser and the dconf
 * value helpers (keyfile.c), and the xfconf XML reader
 * (collect_screenlock.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/keyfile.h"
#include "agent/sysparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keyfile kf = {0};
	char *buf = malloc(size + 1), v[64];
	long long n;
	size_t i;
	bool b;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	keyfile_parse(buf, size, &kf);
	for (i = 0; i < kf.n; i++) {
		(void)keyfile_bool(kf.e[i].value, &b);
		(void)keyfile_gvariant_bool(kf.e[i].value, &b);
		(void)keyfile_gvariant_int(kf.e[i].value, &n);
	}
	(void)keyfile_get(&kf, "Seat:*", "allow-guest", NULL);
	keyfile_free(&kf);
	(void)collect_screenlock_xfconf(buf, size, "/lock/enabled", v,
	                                sizeof(v));
	free(buf);
	return 0;
}
