/*
 * fuzz_cvd_header.c — libFuzzer harness for the parser of ClamAV's
 * signature database header (collect_av_parse_cvd_header).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/collect_av.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cvd_header h;
	char *buf = malloc(size + 1);

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	if (collect_av_parse_cvd_header(buf, size, &h) == 0 &&
	    (h.version == 0 || h.build_time < 946684800LL))
		abort();	/* accepted what it promises to refuse */
	free(buf);
	return 0;
}
