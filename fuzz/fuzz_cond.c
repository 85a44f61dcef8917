/*
 * fuzz_cond.c — libFuzzer harness for the condition language: arbitrary
 * text is parsed and type-checked against the embedded schema and a few
 * parameters; what is accepted is evaluated, with evidence, over a small
 * fixed facts document.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/cond.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fuzz_facts =
    "{\"ssh\":{\"permit_root_login\":\"yes\",\"x11_forwarding\":false,"
    "\"max_auth_tries\":6,\"ciphers\":[\"aes128-ctr\",\"3des-cbc\"],"
    "\"ports\":[22,2222]},\"accounts\":{\"users\":[{\"name\":\"root\","
    "\"uid\":0,\"admin\":true,\"password\":\"locked\"},{\"name\":"
    "\"ketoan\",\"uid\":1001,\"admin\":true,\"password\":\"empty\"},"
    "{\"name\":\"guest\",\"uid\":1003}],\"groups\":[{\"name\":\"sudo\","
    "\"gid\":27,\"members\":[\"ketoan\"]}]},\"mail\":{\"accounts\":[]},"
    "\"desktop\":{\"present\":true,\"environments\":[\"gnome\"]},"
    "\"system\":{\"hostname\":\"máy-kế-toán\"}}";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *facts, *params, *types;
	static struct cond_env env;
	struct cond_error e;
	struct cond_result r;
	struct cond *c;

	if (facts == NULL) {
		facts = json_loads(fuzz_facts, 0, NULL);
		params = json_pack("{s:i, s:[s,s], s:b, s:s, s:[i,i]}",
		    "max", 4, "domains", "gmail\\.com$", "(?i)yahoo",
		    "strict", 1, "name", "a+", "ports", 22, 2222);
		types = json_pack("{s:s, s:s, s:s, s:s, s:s}", "max", "int",
		    "domains", "list:string", "strict", "bool", "name",
		    "string", "ports", "list:int");
		env.schema = schema_embedded();
		env.params = params;
		env.param_types = types;
	}
	c = cond_parse((const char *)data, size, &env, &e);
	if (c == NULL) {
		if (e.en[0] == '\0' || e.vi[0] == '\0' || e.offset > size)
			__builtin_trap();
		return 0;
	}
	cond_eval(c, facts, NULL, params, true, &r);
	cond_result_free(&r);
	cond_free(c);
	return 0;
}
