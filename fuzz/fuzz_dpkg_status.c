/*
 * fuzz_dpkg_status.c — libFuzzer harness for dpkg's status parser and the
 * dpkg.log / history.log date readers (pkg_dpkg.c).
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
	if (pkg_dpkg_parse_status((const char *)data, size, &set, &err) == 0) {
		size_t i, n;

		pkg_set_sort(&set);
		for (i = 0; i < set.n; i++)
			(void)pkg_set_find(&set, set.v[i].name,
			    __builtin_strlen(set.v[i].name), &n);
	}
	pkg_set_free(&set);
	(void)pkg_dpkg_log_last((const char *)data, size);
	(void)pkg_dpkg_history_last((const char *)data, size);
	return 0;
}
