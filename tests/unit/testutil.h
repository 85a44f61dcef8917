/*
 * testutil.h — helpers shared by the cmocka unit tests: fixture trees and
 * a collector context over them.
 */
#ifndef CG_TESTUTIL_H
#define CG_TESTUTIL_H

#include <jansson.h>

#include "agent/collect.h"

/* Path of the copy of fixture tree name (tests/fixtures/README.md). */
const char *testutil_tree(const char *name);
/* Path of a file of the source tree (CG_SOURCE or "."). */
const char *testutil_source(const char *rel);

/* A context auditing tree name as with --root: live false, now = time(),
 * fresh facts and unavailable objects; params is borrowed (may be NULL). */
void testutil_ctx(struct collect_ctx *ctx, const char *tree, json_t *params);
void testutil_ctx_free(struct collect_ctx *ctx);

/* The fact at a dotted path of ctx->facts, or NULL. */
json_t *testutil_fact(struct collect_ctx *ctx, const char *path);
/* The item of a list whose field equals value (string), or NULL. */
json_t *testutil_item(json_t *list, const char *field, const char *value);
/* The status ("error"/"na") recorded for a schema path, or NULL. */
const char *testutil_unavailable(struct collect_ctx *ctx, const char *path);

/* Runs child in a forked process that, when we are root, first drops to
 * uid and gid 65534 (nobody). Returns child's exit status, 2 when the
 * privileges could not be dropped, -1 when it did not exit normally. */
int testutil_as_nobody(int (*child)(void));

#endif
