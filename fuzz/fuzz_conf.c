/*
 * fuzz_conf.c — libFuzzer harness of the configuration parser: any bytes
 * through conf_parse(), then conf_validate() against a small table of
 * keys with a nested block. Must never crash, hang or leak; a parse that
 * fails must leave a bilingual message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/conf.h"

static const struct conf_key fuzz_inner[] = {
	{ "path", 1, 1, NULL },
	{ "exclude", 0, -1, NULL },
	{ NULL, 0, 0, NULL },
};
static const struct conf_key fuzz_keys[] = {
	{ "level", 1, 1, NULL },
	{ "lang", 1, 1, NULL },
	{ "param", 2, 2, NULL },
	{ "scan", 0, 1, fuzz_inner },
	{ NULL, 0, 0, NULL },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	const struct conf_node *n;
	struct conf *c;

	c = conf_parse((const char *)data, size, "fuzz.conf", err,
	    sizeof(err));
	if (c == NULL) {
		if (strstr(err, "fuzz.conf:") != err || !strstr(err, " — "))
			abort();
		return 0;
	}
	for (n = conf_find(c->first, "param"); n != NULL; n = conf_next(n))
		if (n->nargs > 256)
			abort();
	(void)conf_validate(c, fuzz_keys, err, sizeof(err));
	conf_free(c);
	return 0;
}
