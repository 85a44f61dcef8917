/*
 * fuzz_rpm_header.c — libFuzzer harness for the rpm header reader and
 * its OpenPGP signature packets (pkg_rpm.c).
 */
#include <stddef.h>
#include <stdint.h>

#include "agent/pkg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkg_set set;
	struct pkg_err err;

	pkg_set_init(&set);
	(void)pkg_rpm_parse_header(data, size, &set, &err);
	pkg_set_free(&set);
	return 0;
}
