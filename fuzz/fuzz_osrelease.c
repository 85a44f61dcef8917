/*
 * fuzz_osrelease.c — libFuzzer harness for the os-release(5) parser and
 * the kernel version comparison (collect_system.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/sysparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct os_release rel = {0};
	char *buf = malloc(size + 1);

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	collect_system_parse_os_release(buf, size, &rel);
	if (rel.version_id != NULL && rel.id != NULL)
		(void)collect_system_kernel_cmp(rel.version_id, rel.id);
	collect_system_os_release_free(&rel);
	free(buf);
	return 0;
}
