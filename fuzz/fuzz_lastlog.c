/*
 * fuzz_lastlog.c — libFuzzer harness of the binary login records of
 * collect_accounts.c: any bytes read as a lastlog image (for a uid taken
 * from the first bytes, bounded by the image) and as wtmp records. Must
 * never read out of bounds, crash or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/acct.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *last = json_object();
	unsigned long uid = 0;
	uint32_t u32;

	if (size >= sizeof(u32)) {
		memcpy(&u32, data, sizeof(u32));
		uid = u32;
	}
	(void)collect_accounts_lastlog(data, size, uid);
	(void)collect_accounts_lastlog(data, size - size % ACCT_LASTLOG_SIZE,
	    uid % 8);
	if (collect_accounts_wtmp(data, size, last) != size / ACCT_UTMP_SIZE)
		abort();
	json_decref(last);
	return 0;
}
