/*
 * json.c — small helpers over jansson (json.h): dotted paths into the
 * facts document, getters with defaults, setters that never store
 * invalid UTF-8, RFC 3339 times and pretty printing in insertion order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/json.h"
#include "lib/text.h"

#define JSON_PATH_MAX 1024

/* Copies one dotted component of path into part; returns the rest or
 * NULL when path is exhausted. */
static const char *
json_path_part(const char *path, char *part, size_t size, bool *ok)
{
	const char *dot = strchr(path, '.');
	size_t n = dot != NULL ? (size_t)(dot - path) : strlen(path);

	*ok = n > 0 && n < size;
	if (*ok) {
		memcpy(part, path, n);
		part[n] = '\0';
	}
	return dot != NULL ? dot + 1 : NULL;
}

json_t *
json_path(json_t *root, const char *path)
{
	char part[JSON_PATH_MAX];
	const char *rest = path;
	json_t *v = root;
	bool ok;

	if (root == NULL || path == NULL)
		return NULL;
	while (rest != NULL) {
		if (!json_is_object(v))
			return NULL;
		rest = json_path_part(rest, part, sizeof(part), &ok);
		if (!ok)
			return NULL;
		v = json_object_get(v, part);
		if (v == NULL)
			return NULL;
	}
	return v;
}

int
json_path_set(json_t *root, const char *path, json_t *value)
{
	char part[JSON_PATH_MAX];
	const char *rest = path;
	json_t *v = root;
	bool ok;

	if (value == NULL)
		return -1;
	if (root == NULL || path == NULL || !json_is_object(root))
		goto fail;
	/* check every component first: a bad path creates nothing */
	for (rest = path; rest != NULL;) {
		rest = json_path_part(rest, part, sizeof(part), &ok);
		if (!ok)
			goto fail;
	}
	rest = path;
	for (;;) {
		rest = json_path_part(rest, part, sizeof(part), &ok);
		if (!ok)
			goto fail;
		if (rest == NULL)
			return json_object_set_new(v, part, value) ? -1 : 0;
		json_t *next = json_object_get(v, part);
		if (next == NULL) {
			next = json_object();
			if (next == NULL || json_object_set_new(v, part, next))
				goto fail;
		} else if (!json_is_object(next))
			goto fail;
		v = next;
	}
fail:
	json_decref(value);
	return -1;
}

const char *
json_str(json_t *obj, const char *key, const char *def)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : def;
}

long long
json_int(json_t *obj, const char *key, long long def)
{
	json_t *v = json_object_get(obj, key);

	return json_is_integer(v) ? json_integer_value(v) : def;
}

bool
json_bool(json_t *obj, const char *key, bool def)
{
	json_t *v = json_object_get(obj, key);

	return json_is_boolean(v) ? json_is_true(v) : def;
}

/* A JSON string of s; invalid UTF-8 bytes become U+FFFD rather than
 * making the value vanish. */
static json_t *
json_safe_string(const char *s)
{
	size_t len = strlen(s), i, o = 0;
	json_t *v;
	char *buf;

	if (text_valid_utf8(s, len))
		return json_stringn(s, len);
	buf = malloc(len * 3 + 1);
	if (buf == NULL)
		return NULL;
	for (i = 0; i < len;) {
		size_t n = 1;

		while (n <= 4 && i + n <= len && !text_valid_utf8(s + i, n))
			n++;
		if (n <= 4 && i + n <= len) {
			memcpy(buf + o, s + i, n);
			o += n;
			i += n;
		} else {
			memcpy(buf + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	v = json_stringn(buf, o);
	free(buf);
	return v;
}

void
json_set_str(json_t *obj, const char *key, const char *s)
{
	if (obj == NULL || key == NULL || s == NULL)
		return;
	json_object_set_new(obj, key, json_safe_string(s));
}

void
json_set_int(json_t *obj, const char *key, long long v)
{
	if (obj == NULL || key == NULL)
		return;
	json_object_set_new(obj, key, json_integer(v));
}

void
json_set_bool(json_t *obj, const char *key, bool v)
{
	if (obj == NULL || key == NULL)
		return;
	json_object_set_new(obj, key, json_boolean(v));
}

void
json_append_str(json_t *arr, const char *s)
{
	if (arr == NULL || s == NULL)
		return;
	json_array_append_new(arr, json_safe_string(s));
}

void
json_time(long long t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (buf == NULL || size == 0)
		return;
	buf[0] = '\0';
	if ((long long)tt != t || gmtime_r(&tt, &tm) == NULL)
		return;
	if (strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		buf[0] = '\0';
}

char *
json_dumps_pretty(json_t *v)
{
	if (v == NULL)
		return NULL;
	return json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}

int
json_dumpf_pretty(json_t *v, FILE *out)
{
	if (v == NULL || json_dumpf(v, out, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER) != 0)
		return -1;
	return fputc('\n', out) == EOF ? -1 : 0;
}
