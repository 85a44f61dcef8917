/*
 * fuzz_form.c — libFuzzer harness for what a browser sends the console:
 * arbitrary bytes as an application/x-www-form-urlencoded body
 * (http_form_parse), as a Cookie header (http_cookie_find) and as a
 * percent-encoded path segment (http_percent_decode). Every accepted
 * field is read whole under the sanitizers and must be valid UTF-8.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/text.h"
#include "server/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *out, buf[256], err[512];
	const char *key;
	json_t *form = NULL, *v;
	size_t outlen;

	if ((s = malloc(size + 1)) == NULL || (out = malloc(size + 1)) ==
	    NULL) {
		free(s);
		return 0;
	}
	memcpy(s, data, size);
	s[size] = '\0';
	if (http_form_parse(s, size, 64u << 10, &form, err, sizeof(err)) ==
	    0) {
		json_object_foreach(form, key, v) {
			if (!json_is_string(v) || !text_valid_utf8(key,
			    strlen(key)) || !text_valid_utf8(json_string_value(v),
			    json_string_length(v)))
				abort();
		}
		json_decref(form);
	} else if (err[0] == '\0')
		abort();
	if (http_cookie_find(s, "cg_session", buf, sizeof(buf)) != NULL &&
	    strlen(buf) >= sizeof(buf))
		abort();
	if (http_percent_decode(s, size, true, out, &outlen) &&
	    (outlen > size || !text_valid_utf8(out, outlen)))
		abort();
	free(out);
	free(s);
	return 0;
}
