/*
 * fuzz_apt_sources.c — libFuzzer harness for APT's sources parsers (one-
 * line and deb822), Release files and list names (pkg_apt.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/pkg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apt_sources s = {0};
	struct apt_release r;
	struct apt_listname ln;
	struct pkg_err err;
	char host[64], *name;
	size_t i;

	(void)pkg_apt_parse_list((const char *)data, size, "f", &s, &err);
	for (i = 0; i < s.n; i++) {
		pkg_apt_uri_host(s.v[i].uri, host, sizeof(host));
		(void)pkg_apt_official(s.v[i].uri, NULL);
	}
	pkg_apt_sources_free(&s);
	(void)pkg_apt_parse_deb822((const char *)data, size, "f", &s, &err);
	pkg_apt_sources_free(&s);
	(void)pkg_apt_parse_release((const char *)data, size, &r);
	name = malloc(size + 1);
	if (name == NULL)
		return 0;
	memcpy(name, data, size);
	name[size] = '\0';
	(void)pkg_apt_listname(name, &ln);
	pkg_apt_uri_host(name, host, sizeof(host));
	free(name);
	return 0;
}
