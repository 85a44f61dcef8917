/*
 * fuzz_vienc.c — libFuzzer harness of the Vietnamese legacy decoders
 * (vienc.c): any bytes through every decoder. Each answer is NULL (not of
 * that encoding's shape) or valid UTF-8; bytes passed as code points
 * always decode as TCVN3 and VNI. Must never crash, hang or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "secrets/doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(char *s, size_t n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t c;
	utf8proc_ssize_t k;
	size_t i = 0;

	if (s == NULL)
		return;
	while (i < n) {
		k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &c);
		if (k <= 0)
			abort();
		i += (size_t)k;
	}
	free(s);
}

static void
check_str(char *s)
{
	check(s, s != NULL ? strlen(s) : 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *u8, *t;
	size_t n, m;

	if (size > 1 << 16)
		return 0;
	check_str(vienc_from_tcvn3((const char *)data, size));
	check_str(vienc_from_vni((const char *)data, size));
	check_str(vienc_from_viqr((const char *)data, size));
	check_str(vienc_from_cp1258(data, size));
	t = vienc_from_utf16(data, size, true, &m);
	check(t, m);
	t = vienc_from_utf16(data, size, false, &m);
	check(t, m);
	u8 = vienc_bytes_to_utf8(data, size, &n);
	if (u8 == NULL)
		abort();
	/* any bytes, as code points, are legacy text */
	if ((t = vienc_from_tcvn3(u8, n)) == NULL)
		abort();
	check_str(t);
	if ((t = vienc_from_vni(u8, n)) == NULL)
		abort();
	check_str(t);
	check(u8, n);
	return 0;
}
