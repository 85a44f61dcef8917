/*
 * fuzz_schema.c — libFuzzer harness for the facts schema's line format:
 * arbitrary bytes are parsed (schema_parse) and, when accepted, used to
 * validate a small facts document and to write the facts table.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/policy_doc.h"
#include "agent/schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *facts;
	struct schema *s;
	char err[512];
	size_t i;

	if (facts == NULL)
		facts = json_loads("{\"a\":{\"b\":[{\"c\":1,\"d\":\"x\"}],"
		    "\"e\":[1,2],\"f\":true},\"g\":\"h\"}", 0, NULL);
	s = schema_parse((const char *)data, size, "fuzz.schema", err,
	    sizeof(err));
	if (s == NULL) {
		if (err[0] == '\0')
			__builtin_trap();
		return 0;
	}
	for (i = 0; i < s->nfields; i++) {
		(void)schema_lookup(s, s->fields[i].path);
		(void)schema_key(s, s->fields[i].path);
	}
	(void)schema_validate(s, facts, NULL);
	free(policy_doc_facts(s));
	schema_free(s);
	return 0;
}
