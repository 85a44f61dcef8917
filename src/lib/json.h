/*
 * json.h — small helpers over jansson used by facts, policy and reports.
 */
#ifndef CG_JSON_H
#define CG_JSON_H

#include <stdio.h>

#include <jansson.h>
#include <stdbool.h>

/* Value at a dotted path ("os.id", "network.interfaces") or NULL.
 * List indices are not part of paths. */
json_t *json_path(json_t *root, const char *path);
/* Sets value (stolen reference) at a dotted path, creating objects on the
 * way. Returns 0 or -1. */
int json_path_set(json_t *root, const char *path, json_t *value);

/* Getters with defaults for absent or mistyped members. */
const char *json_str(json_t *obj, const char *key, const char *def);
long long json_int(json_t *obj, const char *key, long long def);
bool json_bool(json_t *obj, const char *key, bool def);

/* obj[key] = string (copied); ignores NULL s. */
void json_set_str(json_t *obj, const char *key, const char *s);
void json_set_int(json_t *obj, const char *key, long long v);
void json_set_bool(json_t *obj, const char *key, bool v);
/* Appends a string to an array. */
void json_append_str(json_t *arr, const char *s);

/* RFC 3339 UTC text of t ("2026-11-24T18:25:00Z") into buf (>= 21). */
void json_time(long long t, char *buf, size_t size);

/* Dumps JSON indented by 2 spaces, in insertion order, UTF-8 kept (not
 * escaped) into a malloc'd string; NULL for NULL. */
char *json_dumps_pretty(json_t *v);
/* The same written to out as it is made (no copy of the whole text in
 * memory), then a newline: 0, or -1. */
int json_dumpf_pretty(json_t *v, FILE *out);

#endif
