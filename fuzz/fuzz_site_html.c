/*
 * fuzz_site_html.c — libFuzzer harness for the portal monitor's HTML
 * normaliser (src/site/html.c): arbitrary bytes as a fetched page, with
 * a fixed base URL and a charset chosen by the first byte (none, UTF-8,
 * Windows-1258, Windows-1252, UTF-16, an unknown one). Every string of
 * the result must be valid UTF-8 within its bounds, the structure
 * signature sorted and unique, a refusal explained; hosts go through
 * site_domain() too.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/text.h"
#include "site/html_int.h"
#include "site/site.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_str(const char *s, bool nullable, size_t max)
{
	size_t n;

	if (s == NULL) {
		if (!nullable)
			abort();
		return;
	}
	n = strlen(s);
	if (n > max || (n > 0 && !text_valid_utf8(s, n)))
		abort();
}

static void
check_host(const char *host)
{
	char *d;

	check_str(host, true, 1u << 20);
	if (host == NULL)
		return;
	if ((d = site_domain(host)) == NULL || strlen(d) > strlen(host))
		abort();
	free(d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const charsets[] = { NULL, "utf-8",
	    "windows-1258", "windows-1252", "utf-16le", "x-unknown" };
	struct site_page p;
	const char *key;
	json_t *v;
	char err[256];
	bool truncated;
	size_t i;

	if (size == 0)
		return 0;
	if (site_html_parse_ex(data + 1, size - 1, charsets[data[0] % 6],
	    "https://thaihoa.hue.gov.vn/tin-tuc/index.html?id=1", &p,
	    &truncated, err, sizeof(err)) != 0) {
		if (err[0] == '\0' || p.title != NULL)
			abort();
		return 0;
	}
	check_str(p.title, false, 1u << 20);
	check_str(p.text, false, 1u << 20);
	check_str(p.charset, false, 64);
	check_str(p.lang, true, 64);
	check_str(p.refresh, true, 1u << 20);
	if (p.nblocks > 20000 || p.nshape > 4096)
		abort();
	for (i = 0; i < p.nblocks; i++) {
		check_str(p.blocks[i].path, false, 4096);
		check_str(p.blocks[i].text, false, 1u << 20);
		if (p.blocks[i].text[0] == '\0' || p.blocks[i].hash !=
		    site_html_hash(p.blocks[i].text, strlen(p.blocks[i].text)))
			abort();
	}
	for (i = 0; i < p.nlinks; i++) {
		check_str(p.links[i].href, false, 1u << 20);
		check_str(p.links[i].text, false, 4096);
		check_host(p.links[i].host);
	}
	for (i = 0; i < p.nscripts; i++) {
		check_str(p.scripts[i].src, true, 1u << 20);
		check_str(p.scripts[i].text, true, 64u << 10);
		check_host(p.scripts[i].host);
		if ((p.scripts[i].src == NULL) == (p.scripts[i].text == NULL))
			abort();
	}
	for (i = 0; i < p.nframes; i++) {
		check_str(p.frames[i].src, false, 1u << 20);
		check_host(p.frames[i].host);
	}
	for (i = 1; i < p.nshape; i++)
		if (p.shape[i - 1] >= p.shape[i])
			abort();
	if (json_object_size(p.meta) > 64)
		abort();
	json_object_foreach(p.meta, key, v) {
		check_str(key, false, 64);
		check_str(json_string_value(v), false, 4096);
	}
	site_page_free(&p);
	return 0;
}
