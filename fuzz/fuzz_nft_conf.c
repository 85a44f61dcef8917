/*
 * fuzz_nft_conf.c — libFuzzer harness for the nft configuration parser
 * of the firewall collector (collect_firewall_parse_nft), also feeding
 * the same bytes to the parser of libnftables' JSON ruleset.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/collect_firewall.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_nft st;
	struct fw_summary sum;
	const char *vi, *en;
	char *buf = malloc(size + 1);
	int line;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	memset(&st, 0, sizeof(st));
	if (collect_firewall_parse_nft(&st, buf, size, &line, &vi, &en) == 0)
		collect_firewall_nft_summary(&st, &sum);
	collect_firewall_nft_free(&st);
	(void)collect_firewall_parse_ruleset_json(buf, size, &sum);
	free(buf);
	return 0;
}
