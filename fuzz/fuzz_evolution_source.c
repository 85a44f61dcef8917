/*
 * fuzz_evolution_source.c — libFuzzer harness for the parser of
 * Evolution's data sources (collect_mail_parse_evolution_source).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/collect_mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evo_source s;
	char *buf = malloc(size + 1);
	int line;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	(void)collect_mail_parse_evolution_source(buf, size, &s, &line);
	collect_mail_evolution_source_free(&s);
	free(buf);
	return 0;
}
