/*
 * test_documents.c — the documents collector (collect_documents.c) over
 * finder caches the test writes itself: no scan yet ("na" with the reason
 * that says how to scan), a scan with classified documents, a damaged
 * cache ("error"); and the two point-6 checks of the shipped policy over
 * what it collects (critical when connected, high when not, the evidence
 * naming each document and its degree).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "agent/collect.h"
#include "agent/policy.h"
#include "agent/schema.h"
#include "lib/conf.h"
#include "lib/json.h"
#include "secrets/scan.h"

collector_fn collect_documents;

static char dir[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/cg-test-documents-XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A context whose configuration points at the cache file db. */
static void
ctx_for(struct collect_ctx *ctx, struct conf **c, const char *db)
{
	char text[600], err[512];

	snprintf(text, sizeof(text), "secrets-cache \"%s\"\n", db);
	*c = conf_parse(text, strlen(text), "agent.conf", err, sizeof(err));
	assert_non_null(*c);
	memset(ctx, 0, sizeof(*ctx));
	ctx->rootfd = -1;
	ctx->root = "/";
	ctx->live = true;
	ctx->now = time(NULL);
	ctx->conf = *c;
	ctx->facts = json_object();
	ctx->unavailable = json_object();
}

static void
ctx_free(struct collect_ctx *ctx, struct conf *c)
{
	json_decref(ctx->facts);
	json_decref(ctx->unavailable);
	conf_free(c);
}

static void
add(struct scan_result *r, const char *path, enum scan_kind k,
    enum doc_degree g, enum doc_err e)
{
	struct scan_item *it;

	r->items = realloc(r->items, (r->nitems + 1) * sizeof(*r->items));
	assert_non_null(r->items);
	it = &r->items[r->nitems++];
	memset(it, 0, sizeof(*it));
	it->path = strdup(path);
	it->kind = k;
	it->o.err = e;
	it->o.v.degree = g;
	it->o.v.confidence = 95;
	snprintf(it->o.v.rule, sizeof(it->o.v.rule), "stamp-top");
	snprintf(it->o.v.marking, sizeof(it->o.v.marking), "%s",
	    scan_degree_text(g, false));
	snprintf(it->o.v.part, sizeof(it->o.v.part), "word/header1.xml");
	it->o.v.page = 1;
	snprintf(it->o.format, sizeof(it->o.format), "docx");
	if (g != DOC_DEGREE_NONE)
		memset(it->o.sha256, 'a', 64);
	it->size = 12345;
	it->mtime = 1767225600;	/* 2026-01-01T00:00:00Z */
}

/* Writes a finder cache holding a scan: two documents, one unreadable
 * file, one scan not read. */
static void
make_db(const char *db, bool complete)
{
	struct scan_cache *c;
	struct scan_result r;
	char err[1024];

	memset(&r, 0, sizeof(r));
	r.scanned_at = time(NULL) - 3 * 86400 - 60;
	r.roots = calloc(1, sizeof(*r.roots));
	r.roots[0] = strdup("/home");
	r.nroots = 1;
	r.complete = complete;
	add(&r, "/home/ketoan/Tài liệu/bao-cao.docx", SCAN_FOUND,
	    DOC_DEGREE_TOI_MAT, DOC_OK);
	add(&r, "/home/ketoan/ke-hoach.docx", SCAN_FOUND, DOC_DEGREE_MAT,
	    DOC_OK);
	add(&r, "/home/ketoan/khoa.zip", SCAN_UNREADABLE, DOC_DEGREE_NONE,
	    DOC_ERR_ENCRYPTED);
	add(&r, "/home/ketoan/scan.pdf", SCAN_SCANNED_ONLY, DOC_DEGREE_NONE,
	    DOC_OK);
	r.stats.files = 40;
	assert_int_equal(scan_cache_open(db, &c, err, sizeof(err)), 0);
	assert_int_equal(scan_cache_save_last(c, &r, err, sizeof(err)), 0);
	scan_cache_close(c);
	scan_result_free(&r);
}

static void
test_no_scan(void **state)
{
	struct collect_ctx ctx;
	struct conf *c;
	char db[512];
	json_t *u;

	(void)state;
	snprintf(db, sizeof(db), "%s/none.db", dir);
	ctx_for(&ctx, &c, db);
	collect_documents(&ctx);
	assert_null(json_object_get(ctx.facts, "documents"));
	u = json_object_get(ctx.unavailable, "documents");
	assert_non_null(u);
	assert_string_equal(json_str(u, "status", ""), "na");
	assert_non_null(strstr(json_str(json_object_get(u, "reason"), "vi",
	    ""), "canhgac-agent secrets"));
	assert_non_null(strstr(json_str(json_object_get(u, "reason"), "en",
	    ""), "canhgac-agent secrets"));
	ctx_free(&ctx, c);
}

static void
test_found(void **state)
{
	struct collect_ctx ctx;
	struct conf *c;
	char db[512];
	json_t *d, *f;

	(void)state;
	snprintf(db, sizeof(db), "%s/found.db", dir);
	make_db(db, true);
	ctx_for(&ctx, &c, db);
	collect_documents(&ctx);
	assert_int_equal(json_object_size(ctx.unavailable), 0);
	d = json_object_get(ctx.facts, "documents");
	assert_non_null(d);
	assert_true(json_is_true(json_object_get(d, "scanned")));
	assert_true(json_is_true(json_object_get(d, "complete")));
	assert_int_equal(strlen(json_str(d, "scanned_at", "")), 20);
	assert_int_equal(json_int(d, "scanned_days", -1), 3);
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    d, "roots"), 0)), "/home");
	assert_int_equal(json_int(d, "unreadable_count", -1), 1);
	assert_int_equal(json_int(d, "scanned_only_count", -1), 1);
	assert_int_equal(json_array_size(json_object_get(d, "found")), 2);
	f = json_array_get(json_object_get(d, "found"), 0);
	assert_string_equal(json_str(f, "path", ""),
	    "/home/ketoan/Tài liệu/bao-cao.docx");
	assert_string_equal(json_str(f, "degree", ""), "toi-mat");
	assert_int_equal(json_int(f, "confidence", -1), 95);
	assert_string_equal(json_str(f, "rule", ""), "stamp-top");
	assert_string_equal(json_str(f, "part", ""), "word/header1.xml");
	assert_int_equal(json_int(f, "page", -1), 1);
	assert_int_equal(strlen(json_str(f, "sha256", "")), 64);
	assert_int_equal(json_int(f, "size", -1), 12345);
	assert_string_equal(json_str(f, "mtime", ""), "2026-01-01T00:00:00Z");
	f = json_array_get(json_object_get(d, "found"), 1);
	assert_string_equal(json_str(f, "degree", ""), "mat");
	/* every fact written is in the schema */
	{
		json_t *problems = json_array();
		size_t n = schema_validate(schema_embedded(), ctx.facts,
		    problems);

		if (n != 0)
			fail_msg("%s", json_string_value(json_array_get(
			    problems, 0)));
		json_decref(problems);
	}
	ctx_free(&ctx, c);
}

static void
test_damaged(void **state)
{
	struct collect_ctx ctx;
	struct conf *c;
	char db[512];
	FILE *f;
	json_t *u;

	(void)state;
	snprintf(db, sizeof(db), "%s/damaged.db", dir);
	f = fopen(db, "w");
	assert_non_null(f);
	fputs("this is not an SQLite database, just words on a page\n", f);
	fclose(f);
	ctx_for(&ctx, &c, db);
	collect_documents(&ctx);
	assert_null(json_object_get(ctx.facts, "documents"));
	u = json_object_get(ctx.unavailable, "documents");
	assert_string_equal(json_str(u, "status", ""), "error");
	assert_true(strlen(json_str(json_object_get(u, "reason"), "en", "")) >
	    0);
	ctx_free(&ctx, c);
}

/* The point-6 checks over what the collector wrote. */
static void
test_checks(void **state)
{
	struct collect_ctx ctx;
	struct conf *c;
	struct policy *pol;
	struct result res;
	const struct check *conn, *off;
	char db[512], err[1024];

	(void)state;
	pol = policy_load_embedded(schema_embedded(), err, sizeof(err));
	if (pol == NULL)
		fail_msg("policy: %s", err);
	conn = policy_check(pol, "classified-documents-connected");
	off = policy_check(pol, "classified-documents-offline");
	assert_non_null(conn);
	assert_non_null(off);
	assert_int_equal(conn->point, 6);
	assert_int_equal(off->point, 6);
	assert_string_equal(severity_name(conn->severity), "critical");
	assert_string_equal(severity_name(off->severity), "high");

	snprintf(db, sizeof(db), "%s/checks.db", dir);
	make_db(db, true);
	ctx_for(&ctx, &c, db);
	collect_documents(&ctx);
	json_path_set(ctx.facts, "network.connected", json_true());
	policy_eval(pol, conn, 2, ctx.facts, ctx.unavailable, &res);
	assert_int_equal(res.status, ST_FAIL);
	assert_non_null(res.evidence);
	assert_non_null(strstr(res.evidence,
	    "/home/ketoan/Tài liệu/bao-cao.docx (degree = \"toi-mat\")"));
	assert_non_null(strstr(res.evidence,
	    "/home/ketoan/ke-hoach.docx (degree = \"mat\")"));
	result_free(&res);
	policy_eval(pol, off, 2, ctx.facts, ctx.unavailable, &res);
	assert_int_equal(res.status, ST_NA);
	result_free(&res);
	json_path_set(ctx.facts, "network.connected", json_false());
	policy_eval(pol, off, 2, ctx.facts, ctx.unavailable, &res);
	assert_int_equal(res.status, ST_FAIL);
	result_free(&res);
	ctx_free(&ctx, c);

	/* nothing found: both pass where they apply */
	snprintf(db, sizeof(db), "%s/clean.db", dir);
	{
		struct scan_cache *sc;
		struct scan_result r;

		memset(&r, 0, sizeof(r));
		r.scanned_at = time(NULL);
		r.complete = true;
		assert_int_equal(scan_cache_open(db, &sc, err, sizeof(err)),
		    0);
		assert_int_equal(scan_cache_save_last(sc, &r, err,
		    sizeof(err)), 0);
		scan_cache_close(sc);
	}
	ctx_for(&ctx, &c, db);
	collect_documents(&ctx);
	json_path_set(ctx.facts, "network.connected", json_true());
	policy_eval(pol, conn, 2, ctx.facts, ctx.unavailable, &res);
	assert_int_equal(res.status, ST_PASS);
	result_free(&res);
	ctx_free(&ctx, c);

	/* never scanned: not applicable, with the reason */
	snprintf(db, sizeof(db), "%s/never.db", dir);
	ctx_for(&ctx, &c, db);
	collect_documents(&ctx);
	json_path_set(ctx.facts, "network.connected", json_true());
	policy_eval(pol, conn, 2, ctx.facts, ctx.unavailable, &res);
	assert_int_equal(res.status, ST_NA);
	assert_non_null(res.reason.vi);
	assert_non_null(strstr(res.reason.vi, "canhgac-agent secrets"));
	result_free(&res);
	ctx_free(&ctx, c);
	policy_free(pol);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_scan),
		cmocka_unit_test(test_found),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_checks),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
