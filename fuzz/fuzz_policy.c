/*
 * fuzz_policy.c — libFuzzer harness: arbitrary bytes as one policy file
 * (policy_load_text with the embedded schema) must be loaded or refused
 * with a message, never crash, hang or leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "agent/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	struct policy *p;

	p = policy_load_text((const char *)data, size, "fuzz.yml",
	    schema_embedded(), err, sizeof(err));
	if (p == NULL && strlen(err) == 0)
		__builtin_trap();	/* a refusal always says why */
	policy_free(p);
	return 0;
}
