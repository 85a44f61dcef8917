/*
 * fuzz_apt_packages.c — libFuzzer harness for the streaming Packages
 * reader, plain and through the lz4 and gzip decompressors (pkg_apt.c).
 * The first byte chooses the format and the chunk size.
 */
#include <stddef.h>
#include <stdint.h>

#include "agent/pkg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_stanza(void *arg, const char *name, const char *version,
    const char *arch)
{
	size_t *n = arg;

	*n += (size_t)(name[0] + version[0] + arch[0] != 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apt_scan s;
	struct apt_inflate in;
	struct pkg_err err;
	size_t n = 0, chunk, o;
	int kind;

	if (size < 1)
		return 0;
	kind = data[0] % 3 == 0 ? APT_PLAIN : data[0] % 3 == 1 ? APT_GZ :
	    APT_LZ4;
	chunk = (size_t)(data[0] >> 2) + 1;
	data++;
	size--;
	pkg_apt_scan_init(&s, fuzz_stanza, &n);
	pkg_apt_inflate_init(&in, kind, 1u << 24);
	for (o = 0; o < size; o += chunk)
		if (pkg_apt_inflate_feed(&in, &s, (const char *)data + o,
		    size - o < chunk ? size - o : chunk, &err) < 0)
			break;
	if (o >= size)
		(void)pkg_apt_inflate_end(&in, &s, &err);
	pkg_apt_inflate_free(&in);
	(void)pkg_apt_scan_end(&s, &err);
	return 0;
}
