/*
 * test_ingest.c — unit tests of src/server/ingest.c, the parser of what an
 * agent uploads: real batches built from the agent's reports on the
 * fixture trees (the seeds of fuzz/corpus/ingest), every required member
 * missing or mistyped in turn with the path it is named by, and the
 * attacks: duplicate keys, NUL, huge strings, deep nesting, too many
 * values, reports or findings, control characters, gzip bombs, truncated
 * and padded streams.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "testutil.h"
#include "lib/file.h"
#include "server/ingest.h"

/* A small valid batch: two findings, one fail and one pass. */
static const char batch_text[] =
    "{\"schema\":1,\"batch\":\"1b4e28ba-2fa1-11d2\","
    "\"agent\":{\"version\":\"0.1.0\"},"
    "\"queue\":{\"dropped_snapshots\":0,\"stripped\":0,\"refused\":0},"
    "\"reports\":[{\"schema\":1,\"report_id\":\"r-0001-abcd\","
    "\"collected_at\":\"2026-11-24T18:30:00Z\","
    "\"host\":{\"id\":\"h-0123456789abcdef\",\"hostname\":\"may-ketoan-01\","
    "\"os\":{\"id\":\"debian\",\"name\":\"Debian GNU/Linux 12 (bookworm)\","
    "\"version_id\":\"12\"},\"kernel\":\"6.1.0-27-amd64\","
    "\"arch\":\"x86_64\",\"platform\":\"linux\",\"level\":2,"
    "\"unit\":\"Phòng Kế toán\"},"
    "\"agent\":{\"version\":\"0.1.0\",\"mode\":\"live\"},"
    "\"facts\":{\"schema\":1,\"os\":{\"id\":\"debian\"}},"
    "\"unavailable\":{},"
    "\"findings\":["
    "{\"check\":\"ssh-root-login\",\"status\":\"fail\",\"severity\":\"high\","
    "\"point\":3,\"basis\":[\"luat-attt-2015\",\"tcvn-11930-2017\"],"
    "\"levels\":[1,2,3,4,5],"
    "\"title\":{\"vi\":\"Không cho root đăng nhập SSH\","
    "\"en\":\"No root login over SSH\"},"
    "\"evidence\":\"ssh.permit_root_login = \\\"yes\\\"\\n\\tdòng 2\","
    "\"remedy\":{\"vi\":\"Đặt PermitRootLogin no\","
    "\"en\":\"Set PermitRootLogin no\"}},"
    "{\"check\":\"av-installed\",\"status\":\"pass\",\"severity\":\"high\","
    "\"point\":3}],"
    "\"summary\":{\"pass\":1,\"fail\":1,\"na\":0,\"error\":0,\"score\":50,"
    "\"points\":{\"3\":{\"pass\":1}}}}]}";

static json_t *
batch_doc(void)
{
	json_error_t jerr;
	json_t *doc = json_loads(batch_text, 0, &jerr);

	if (doc == NULL)
		fail_msg("batch_text: %s", jerr.text);
	return doc;
}

/*
 * Sets (value non-NULL, stolen) or deletes the member at a path written
 * as ingest names it ("reports[0].findings[1].status").
 */
static void
doc_set(json_t *doc, const char *path, json_t *value)
{
	char tok[128];
	const char *p = path;
	json_t *cur = doc;
	bool index = false;
	size_t n, idx = 0;

	for (;;) {
		if (*p == '[') {
			index = true;
			idx = strtoul(p + 1, (char **)&p, 10);
			p++;		/* ] */
		} else {
			index = false;
			n = strcspn(p, ".[");
			assert_true(n > 0 && n < sizeof(tok));
			memcpy(tok, p, n);
			tok[n] = '\0';
			p += n;
		}
		if (*p == '.')
			p++;
		if (*p == '\0')
			break;
		cur = index ? json_array_get(cur, idx) :
		    json_object_get(cur, tok);
		assert_non_null(cur);
	}
	if (index) {
		if (value != NULL)
			assert_int_equal(json_array_set_new(cur, idx, value), 0);
		else
			assert_int_equal(json_array_remove(cur, idx), 0);
	} else if (value != NULL)
		assert_int_equal(json_object_set_new(cur, tok, value), 0);
	else
		assert_int_equal(json_object_del(cur, tok), 0);
}

/* Parses doc's text; 0 or -1 with err. */
static int
doc_parse(json_t *doc, const struct ingest_limits *lim, char *err,
    size_t errlen)
{
	struct ingest_batch b;
	char *text = json_dumps(doc, JSON_COMPACT);
	int rc;

	assert_non_null(text);
	rc = ingest_parse(text, strlen(text), lim, &b, err, errlen);
	if (rc == 0)
		ingest_batch_free(&b);
	else {
		assert_null(b.root);
		assert_null(b.reports);
	}
	free(text);
	return rc;
}

/* The error must start with "<path>: " and be bilingual. */
static void
assert_err_path(const char *err, const char *path)
{
	size_t n = strlen(path);

	if (strncmp(err, path, n) != 0 || strncmp(err + n, ": ", 2) != 0)
		fail_msg("expected an error at %s, got: %s", path, err);
	if (strstr(err, " — ") == NULL)
		fail_msg("not bilingual: %s", err);
}

/* doc (taken) must be refused at path, with substring in the error. */
static void
refused(json_t *doc, const struct ingest_limits *lim, const char *path,
    const char *substring)
{
	char err[512];

	if (doc_parse(doc, lim, err, sizeof(err)) != -1)
		fail_msg("accepted, expected an error at %s", path);
	assert_err_path(err, path);
	if (substring != NULL && strstr(err, substring) == NULL)
		fail_msg("error without “%s”: %s", substring, err);
	json_decref(doc);
}

static void
refused_text(const char *text, size_t len, const struct ingest_limits *lim,
    const char *path, const char *substring)
{
	struct ingest_batch b;
	char err[512];

	if (ingest_parse(text, len, lim, &b, err, sizeof(err)) != -1)
		fail_msg("accepted, expected an error at %s", path);
	assert_null(b.root);
	assert_err_path(err, path);
	if (substring != NULL && strstr(err, substring) == NULL)
		fail_msg("error without “%s”: %s", substring, err);
}

static void
test_minimal(void **state)
{
	struct ingest_batch b;
	const struct ingest_report *r;
	const struct ingest_finding *f;
	char err[512];

	(void)state;
	assert_int_equal(ingest_parse(batch_text, strlen(batch_text), NULL, &b,
	    err, sizeof(err)), 0);
	assert_string_equal(b.batch_id, "1b4e28ba-2fa1-11d2");
	assert_int_equal(b.nreports, 1);
	r = &b.reports[0];
	assert_string_equal(r->report_id, "r-0001-abcd");
	assert_int_equal(r->collected_at, 1795545000);	/* date -d ... +%s */
	assert_string_equal(r->host_id, "h-0123456789abcdef");
	assert_string_equal(r->hostname, "may-ketoan-01");
	assert_string_equal(r->os_id, "debian");
	assert_string_equal(r->os_name, "Debian GNU/Linux 12 (bookworm)");
	assert_string_equal(r->os_version, "12");
	assert_string_equal(r->kernel, "6.1.0-27-amd64");
	assert_string_equal(r->arch, "x86_64");
	assert_string_equal(r->platform, "linux");
	assert_string_equal(r->agent_version, "0.1.0");
	assert_int_equal(r->level, 2);
	assert_int_equal(r->score, 50);
	assert_int_equal(r->pass, 1);
	assert_int_equal(r->fail, 1);
	assert_int_equal(r->na, 0);
	assert_int_equal(r->error, 0);
	assert_true(json_is_object(r->summary));
	assert_true(json_is_object(r->facts));
	assert_true(json_is_object(r->unavailable));
	assert_int_equal(r->nfindings, 2);
	f = &r->findings[0];
	assert_string_equal(f->check, "ssh-root-login");
	assert_int_equal(f->status, INGEST_FAIL);
	assert_string_equal(ingest_status_name(f->status), "fail");
	assert_string_equal(f->severity, "high");
	assert_int_equal(f->point, 3);
	assert_string_equal(f->evidence,
	    "ssh.permit_root_login = \"yes\"\n\tdòng 2");
	assert_string_equal(f->title_vi, "Không cho root đăng nhập SSH");
	assert_string_equal(f->title_en, "No root login over SSH");
	assert_string_equal(f->remedy_vi, "Đặt PermitRootLogin no");
	assert_string_equal(f->remedy_en, "Set PermitRootLogin no");
	assert_string_equal(f->basis, "[\"luat-attt-2015\",\"tcvn-11930-2017\"]");
	f = &r->findings[1];
	assert_string_equal(f->check, "av-installed");
	assert_int_equal(f->status, INGEST_PASS);
	assert_null(f->evidence);
	assert_null(f->title_vi);
	assert_null(f->remedy_en);
	assert_null(f->basis);
	ingest_batch_free(&b);
	assert_null(b.root);
	ingest_batch_free(&b);		/* twice is harmless */
}

/* Reads a seed of the fuzz corpus: real agent output wrapped in a batch. */
static char *
seed(const char *name, size_t *len)
{
	char path[256], *buf;

	snprintf(path, sizeof(path), "fuzz/corpus/ingest/%s", name);
	if (file_read_path(testutil_source(path), 1u << 20, &buf, len) != 0)
		fail_msg("cannot read %s", testutil_source(path));
	return buf;
}

/* The counts of the report must be those of its findings. */
static void
check_tally(const struct ingest_report *r)
{
	int n[4] = { 0, 0, 0, 0 };
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		n[r->findings[i].status]++;
	assert_int_equal(n[INGEST_PASS], r->pass);
	assert_int_equal(n[INGEST_FAIL], r->fail);
	assert_int_equal(n[INGEST_NA], r->na);
	assert_int_equal(n[INGEST_ERROR], r->error);
}

static void
test_real(void **state)
{
	struct ingest_batch b;
	const struct ingest_report *r;
	char err[512], *buf;
	size_t len, i;

	(void)state;
	/* build/asan/canhgac-agent audit --root build/fixtures/weak ... */
	buf = seed("weak.json", &len);
	assert_int_equal(ingest_parse(buf, len, NULL, &b, err, sizeof(err)),
	    0);
	assert_int_equal(b.nreports, 1);
	r = &b.reports[0];
	assert_string_equal(r->report_id, "r-weak-0001-2026");
	assert_string_equal(r->hostname, "may-ketoan-01");
	assert_true(strncmp(r->host_id, "h-", 2) == 0);
	assert_string_equal(r->os_id, "debian");
	assert_string_equal(r->os_version, "11");
	assert_null(r->kernel);
	assert_int_equal(r->level, 2);
	assert_int_equal(r->nfindings, 91);
	assert_int_equal(r->pass, 13);
	assert_int_equal(r->fail, 59);
	assert_int_equal(r->na, 19);
	assert_int_equal(r->error, 0);
	assert_int_equal(r->score, 11);
	assert_non_null(r->facts);
	assert_non_null(r->unavailable);
	check_tally(r);
	assert_string_equal(r->findings[0].check, "av-installed");
	assert_non_null(r->findings[0].title_vi);
	assert_true(strncmp(r->findings[0].basis, "[\"cv-thai-hoa-2025\"",
	    19) == 0);
	ingest_batch_free(&b);
	free(buf);

	/* malformed tree: empty host name, errors in findings */
	buf = seed("malformed.json", &len);
	assert_int_equal(ingest_parse(buf, len, NULL, &b, err, sizeof(err)),
	    0);
	r = &b.reports[0];
	assert_string_equal(r->hostname, "");
	assert_null(r->os_id);
	assert_int_equal(r->error, 59);
	check_tally(r);
	ingest_batch_free(&b);
	free(buf);

	/* two reports whose facts the queue stripped */
	buf = seed("two-stripped.json", &len);
	assert_int_equal(ingest_parse(buf, len, NULL, &b, err, sizeof(err)),
	    0);
	assert_int_equal(b.nreports, 2);
	for (i = 0; i < b.nreports; i++) {
		assert_null(b.reports[i].facts);
		assert_int_equal(b.reports[i].nfindings, 91);
		check_tally(&b.reports[i]);
	}
	assert_int_equal(b.reports[1].fail, 0);
	ingest_batch_free(&b);
	free(buf);
}

static void
test_missing(void **state)
{
	static const char *const required[] = {
		"schema", "batch", "reports",
		"reports[0].report_id", "reports[0].collected_at",
		"reports[0].host", "reports[0].host.id",
		"reports[0].host.hostname", "reports[0].agent",
		"reports[0].agent.version", "reports[0].findings",
		"reports[0].summary", "reports[0].summary.score",
		"reports[0].summary.pass", "reports[0].summary.fail",
		"reports[0].summary.na", "reports[0].summary.error",
		"reports[0].findings[1].check", "reports[0].findings[1].status",
		"reports[0].findings[1].severity",
		"reports[0].findings[1].point",
		NULL
	};
	static const char *const optional[] = {
		"queue", "agent", "reports[0].schema", "reports[0].host.os",
		"reports[0].host.level", "reports[0].host.kernel",
		"reports[0].facts", "reports[0].unavailable",
		"reports[0].findings[0].evidence",
		"reports[0].findings[0].title", "reports[0].findings[0].remedy",
		"reports[0].findings[0].basis",
		"reports[0].findings[0].title.en",
		NULL
	};
	struct ingest_batch b;
	char err[512], *text;
	json_t *doc;
	size_t i;

	(void)state;
	for (i = 0; required[i] != NULL; i++) {
		doc = batch_doc();
		doc_set(doc, required[i], NULL);
		refused(doc, NULL, required[i], "thiếu trường bắt buộc");
	}
	for (i = 0; optional[i] != NULL; i++) {
		doc = batch_doc();
		doc_set(doc, optional[i], NULL);
		if (doc_parse(doc, NULL, err, sizeof(err)) != 0)
			fail_msg("without %s: %s", optional[i], err);
		json_decref(doc);
	}
	/* null is absent for an optional member, wrong for a required one */
	doc = batch_doc();
	doc_set(doc, "reports[0].host.os", json_null());
	doc_set(doc, "reports[0].findings[0].evidence", json_null());
	assert_int_equal(doc_parse(doc, NULL, err, sizeof(err)), 0);
	json_decref(doc);
	doc = batch_doc();
	doc_set(doc, "reports[0].host.hostname", json_null());
	refused(doc, NULL, "reports[0].host.hostname", "must be a string");

	/* no level: 1 */
	doc = batch_doc();
	doc_set(doc, "reports[0].host.level", NULL);
	text = json_dumps(doc, JSON_COMPACT);
	assert_int_equal(ingest_parse(text, strlen(text), NULL, &b, err,
	    sizeof(err)), 0);
	assert_int_equal(b.reports[0].level, 1);
	ingest_batch_free(&b);
	free(text);
	json_decref(doc);
}

static void
test_types(void **state)
{
	static const struct {
		const char *path, *value, *expect;
	} cases[] = {
		{ "schema", "\"1\"", "must be an integer" },
		{ "schema", "1.0", "must be an integer" },
		{ "schema", "true", "must be an integer" },
		{ "schema", "2", "not supported" },
		{ "batch", "12345678", "must be a string" },
		{ "batch", "\"short\"", "invalid id" },
		{ "batch", "\"../../etc/passwd\"", "invalid id" },
		{ "batch", "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaa\"", "invalid id" },
		{ "reports", "{}", "must be an array" },
		{ "reports", "[]", "no report" },
		{ "reports[0]", "\"x\"", "must be an object" },
		{ "reports[0].schema", "2", "from 1 to 1" },
		{ "reports[0].report_id", "\"r 0001 abcd\"", "invalid id" },
		{ "reports[0].collected_at", "1795545000", "must be a string" },
		{ "reports[0].collected_at", "\"2026-11-24 18:30:00\"",
		    "RFC 3339" },
		{ "reports[0].collected_at", "\"2026-11-24T18:30:00+07:00\"",
		    "RFC 3339" },
		{ "reports[0].collected_at", "\"2026-02-29T00:00:00Z\"",
		    "RFC 3339" },
		{ "reports[0].collected_at", "\"2026-13-01T00:00:00Z\"",
		    "RFC 3339" },
		{ "reports[0].collected_at", "\"2026-11-24T24:00:00Z\"",
		    "RFC 3339" },
		{ "reports[0].collected_at", "\"2026-11-24T18:30:00.Z\"",
		    "RFC 3339" },
		{ "reports[0].collected_at", "\"1969-12-31T23:59:59Z\"",
		    "RFC 3339" },
		{ "reports[0].host", "[]", "must be an object" },
		{ "reports[0].host.id", "\"h/../x\"", "invalid host id" },
		{ "reports[0].host.id", "\"\"", "invalid host id" },
		{ "reports[0].host.hostname", "42", "must be a string" },
		{ "reports[0].host.level", "0", "from 1 to 5" },
		{ "reports[0].host.level", "6", "from 1 to 5" },
		{ "reports[0].host.level", "\"2\"", "must be an integer" },
		{ "reports[0].host.os", "\"debian\"", "must be an object" },
		{ "reports[0].host.os.name", "[]", "must be a string" },
		{ "reports[0].agent.version", "\"0.1.0 beta\"",
		    "invalid version" },
		{ "reports[0].agent.version", "\"\"", "invalid version" },
		{ "reports[0].findings", "{}", "must be an array" },
		{ "reports[0].findings[0]", "[]", "must be an object" },
		{ "reports[0].findings[0].check", "\"SSH root\"",
		    "invalid check id" },
		{ "reports[0].findings[0].check", "\"-x\"", "invalid check id" },
		{ "reports[0].findings[0].status", "\"failed\"",
		    "invalid status" },
		{ "reports[0].findings[0].status", "1", "must be a string" },
		{ "reports[0].findings[0].severity", "\"urgent\"",
		    "invalid severity" },
		{ "reports[0].findings[0].point", "9", "from 0 to 8" },
		{ "reports[0].findings[0].point", "-1", "from 0 to 8" },
		{ "reports[0].findings[0].point", "3.5", "must be an integer" },
		{ "reports[0].findings[0].evidence", "{}", "must be a string" },
		{ "reports[0].findings[0].title", "\"x\"", "must be an object" },
		{ "reports[0].findings[0].title.vi", "1", "must be a string" },
		{ "reports[0].findings[0].basis", "\"luat\"",
		    "must be an array" },
		{ "reports[0].findings[0].basis[1]", "1", "must be a string" },
		{ "reports[0].findings[0].basis[1]", "\"Luật ATTT\"",
		    "invalid legal text id" },
		{ "reports[0].summary", "[]", "must be an object" },
		{ "reports[0].summary.score", "101", "from 0 to 100" },
		{ "reports[0].summary.score", "-1", "from 0 to 100" },
		{ "reports[0].summary.score", "99999999999999999999",
		    "invalid JSON" },
		{ "reports[0].summary.fail", "2", "is 2 but 1 findings" },
		{ "reports[0].summary.na", "1", "is 1 but 0 findings" },
		{ "reports[0].facts", "[]", "must be an object" },
		{ "reports[0].unavailable", "\"x\"", "must be an object" },
	};
	json_error_t jerr;
	json_t *doc, *v;
	const char *path;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		doc = batch_doc();
		v = json_loads(cases[i].value, JSON_DECODE_ANY, &jerr);
		if (v == NULL) {
			/* not representable in jansson: patch the text */
			char *text = json_dumps(doc, JSON_COMPACT), *p;
			char *patched;

			p = strstr(text, "\"score\":50");
			assert_non_null(p);
			patched = malloc(strlen(text) + 64);
			assert_non_null(patched);
			snprintf(patched, strlen(text) + 64, "%.*s\"score\":%s%s",
			    (int)(p - text), text, cases[i].value, p + 10);
			refused_text(patched, strlen(patched), NULL, "$",
			    cases[i].expect);
			free(patched);
			free(text);
			json_decref(doc);
			continue;
		}
		doc_set(doc, cases[i].path, v);
		path = cases[i].path;
		refused(doc, NULL, path, cases[i].expect);
	}

	/* the same check twice in a report: the second is named */
	doc = batch_doc();
	doc_set(doc, "reports[0].findings[0].check",
	    json_string("av-installed"));
	refused(doc, NULL, "reports[0].findings[1].check", "appears twice");

	/* the same report twice in a batch */
	doc = batch_doc();
	v = json_deep_copy(json_array_get(json_object_get(doc, "reports"), 0));
	json_array_append_new(json_object_get(doc, "reports"), v);
	refused(doc, NULL, "reports[1].report_id", "appears twice");

	/* times RFC 3339 allows */
	doc = batch_doc();
	doc_set(doc, "reports[0].collected_at",
	    json_string("2024-02-29t23:59:60.123456z"));
	assert_int_equal(doc_parse(doc, NULL, NULL, 0), 0);
	json_decref(doc);
	doc = batch_doc();
	doc_set(doc, "reports[0].collected_at",
	    json_string("2026-11-24T18:30:00-00:00"));
	assert_int_equal(doc_parse(doc, NULL, NULL, 0), 0);
	json_decref(doc);
}

static void
test_syntax(void **state)
{
	static const char dup_top[] =
	    "{\"schema\":1,\"batch\":\"abcdefgh\",\"batch\":\"ijklmnop\"}";
	static const char dup_deep[] =
	    "{\"schema\":1,\"batch\":\"abcdefgh\",\"reports\":[{\"host\":"
	    "{\"id\":\"a\",\"hostname\":\"x\",\"id\":\"b\"}}]}";
	static const char nul[] =
	    "{\"schema\":1,\"batch\":\"abcdefgh\",\"reports\":[{\"host\":"
	    "{\"id\":\"a\",\"hostname\":\"x\\u0000y\"}}]}";
	static const char nul_key[] = "{\"a\\u0000b\":1}";
	static const char trailing[] = "{\"schema\":1} {}";
	static const char bad_utf8[] = "{\"schema\":1,\"batch\":\"\xc3\x28\"}";
	static const char raw_nul[] = "{\"schema\":1,\0\"batch\":1}";
	static const char cut[] =
	    "{\"schema\":1,\"batch\":\"abcdefgh\",\"reports\":[1";
	struct ingest_batch b;
	char err[16];

	(void)state;
	refused_text(dup_top, strlen(dup_top), NULL, "$", "duplicate");
	refused_text(dup_top, strlen(dup_top), NULL, "$", "khoá bị lặp lại");
	refused_text(dup_deep, strlen(dup_deep), NULL, "$", "duplicate");
	refused_text(nul, strlen(nul), NULL, "$", "NUL");
	refused_text(nul_key, strlen(nul_key), NULL, "$", "NUL");
	refused_text(raw_nul, sizeof(raw_nul) - 1, NULL, "$", "invalid JSON");
	refused_text(trailing, strlen(trailing), NULL, "$", "invalid JSON");
	refused_text(bad_utf8, strlen(bad_utf8), NULL, "$", "UTF-8");
	refused_text("", 0, NULL, "$", "invalid JSON");
	refused_text("[1,2]", 5, NULL, "$", "root must be an object");
	refused_text(cut, strlen(cut), NULL, "$", "invalid JSON");
	/* NULL buffer and a tiny error buffer */
	assert_int_equal(ingest_parse(NULL, 0, NULL, &b, err, sizeof(err)), -1);
	assert_int_equal(ingest_parse(dup_top, strlen(dup_top), NULL, &b, err,
	    sizeof(err)), -1);
	assert_true(strlen(err) < sizeof(err));
	assert_int_equal(ingest_parse(dup_top, strlen(dup_top), NULL, &b, NULL,
	    0), -1);
}

/* A batch whose finding 0 has evidence of n bytes ('A'). */
static char *
big_evidence(size_t n, size_t *len)
{
	json_t *doc = batch_doc();
	char *s = malloc(n + 1), *text;

	assert_non_null(s);
	memset(s, 'A', n);
	s[n] = '\0';
	doc_set(doc, "reports[0].findings[0].evidence", json_string(s));
	text = json_dumps(doc, JSON_COMPACT);
	assert_non_null(text);
	*len = strlen(text);
	free(s);
	json_decref(doc);
	return text;
}

static void
test_sizes(void **state)
{
	struct ingest_limits lim = INGEST_LIMITS_DEFAULT;
	struct ingest_batch b;
	char err[512], *text, *key;
	size_t len;
	json_t *doc;

	(void)state;
	/* a 10 MB string */
	text = big_evidence(10u << 20, &len);
	lim.max_bytes = 16u << 20;
	refused_text(text, len, &lim, "reports[0].findings[0].evidence",
	    "exceeds the limit of 65536");
	lim.max_bytes = 1u << 20;
	refused_text(text, len, &lim, "$", "exceeds the limit of 1048576");
	/* len is what counts, not a NUL */
	refused_text(text, len, &lim, "$", "tài liệu dài");
	free(text);

	/* exactly the string limit is fine, one more byte is not */
	lim = (struct ingest_limits)INGEST_LIMITS_DEFAULT;
	text = big_evidence(lim.max_string, &len);
	assert_int_equal(ingest_parse(text, len, &lim, &b, err, sizeof(err)),
	    0);
	ingest_batch_free(&b);
	free(text);
	text = big_evidence(lim.max_string + 1, &len);
	refused_text(text, len, &lim, "reports[0].findings[0].evidence",
	    "chuỗi dài 65537 byte");
	free(text);

	/* a huge member name in the facts */
	lim.max_string = 1000;
	doc = batch_doc();
	key = malloc(2001);
	assert_non_null(key);
	memset(key, 'k', 2000);
	key[2000] = '\0';
	json_object_set_new(json_object_get(json_array_get(json_object_get(doc,
	    "reports"), 0), "facts"), key, json_true());
	free(key);
	refused(doc, &lim, "reports[0].facts", "member name");

	/* a document just at max_bytes is parsed */
	text = json_dumps(doc = batch_doc(), JSON_COMPACT);
	lim = (struct ingest_limits)INGEST_LIMITS_DEFAULT;
	lim.max_bytes = strlen(text);
	assert_int_equal(ingest_parse(text, strlen(text), &lim, &b, err,
	    sizeof(err)), 0);
	ingest_batch_free(&b);
	lim.max_bytes--;
	refused_text(text, strlen(text), &lim, "$", "exceeds the limit");
	free(text);
	json_decref(doc);
}

/* The batch with facts.deep = k nested arrays, as text. */
static char *
deep_batch(size_t k)
{
	const char *at = strstr(batch_text, "\"facts\":{") + 9;
	size_t head = (size_t)(at - batch_text), n = strlen(batch_text);
	char *text = malloc(n + 2 * k + 16), *p;

	assert_non_null(text);
	memcpy(text, batch_text, head);
	p = text + head;
	memcpy(p, "\"deep\":", 7);
	p += 7;
	memset(p, '[', k);
	p += k;
	memset(p, ']', k);
	p += k;
	*p++ = ',';
	memcpy(p, at, n - head + 1);
	return text;
}

static void
test_depth(void **state)
{
	struct ingest_limits lim = INGEST_LIMITS_DEFAULT;
	struct ingest_batch b;
	char err[512], *text, s[200];
	json_t *doc, *deep;
	size_t i;

	(void)state;
	/* 10000 levels: refused before jansson recurses */
	text = deep_batch(10000);
	refused_text(text, strlen(text), NULL, "$", "nested deeper than 32");
	lim.max_depth = 1000000;		/* capped at 1024 */
	refused_text(text, strlen(text), &lim, "$", "nested deeper than 1024");
	free(text);
	/* the limit exactly: batch(1) reports(2) report(3) facts(4) */
	text = deep_batch(28);
	assert_int_equal(ingest_parse(text, strlen(text), NULL, &b, err,
	    sizeof(err)), 0);
	ingest_batch_free(&b);
	free(text);
	text = deep_batch(29);
	refused_text(text, strlen(text), NULL, "$", "lồng nhau sâu hơn 32 cấp");
	free(text);
	/* brackets and escaped quotes inside strings do not count */
	doc = batch_doc();
	memset(s, '[', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	s[10] = '"';
	s[11] = '\\';
	doc_set(doc, "reports[0].findings[0].evidence", json_string(s));
	assert_int_equal(doc_parse(doc, NULL, err, sizeof(err)), 0);
	json_decref(doc);
	/* the same, built by jansson rather than by hand */
	doc = batch_doc();
	deep = json_array();
	for (i = 0; i < 40; i++) {
		json_t *outer = json_array();

		json_array_append_new(outer, deep);
		deep = outer;
	}
	doc_set(doc, "reports[0].facts.deep", deep);
	refused(doc, NULL, "$", "nested deeper than 32");
}

static void
test_values(void **state)
{
	struct ingest_limits lim = INGEST_LIMITS_DEFAULT;
	char *text, *p;
	size_t i, n = 200000;
	const char *at;

	(void)state;
	/* 200000 empty arrays in 600 KB: jansson would spend 25 MB */
	at = strstr(batch_text, "\"facts\":{") + 9;
	text = malloc(strlen(batch_text) + 3 * n + 16);
	assert_non_null(text);
	memcpy(text, batch_text, (size_t)(at - batch_text));
	p = text + (at - batch_text);
	memcpy(p, "\"many\":[", 8);
	p += 8;
	for (i = 0; i < n; i++) {
		memcpy(p, "[],", 3);
		p += 3;
	}
	p[-1] = ']';
	*p++ = ',';
	memcpy(p, at, strlen(at) + 1);
	lim.max_bytes = 1u << 20;
	refused_text(text, strlen(text), &lim, "$", "too many JSON values");
	/* the same with room enough */
	lim.max_bytes = 32u << 20;
	{
		struct ingest_batch b;
		char err[512];

		assert_int_equal(ingest_parse(text, strlen(text), &lim, &b, err,
		    sizeof(err)), 0);
		ingest_batch_free(&b);
	}
	free(text);
}

static void
test_counts(void **state)
{
	struct ingest_limits lim = INGEST_LIMITS_DEFAULT;
	json_t *doc, *reports, *findings, *f;
	char err[512], id[32];
	size_t i;

	(void)state;
	lim.max_reports = 2;
	lim.max_findings = 8;
	/* three reports */
	doc = batch_doc();
	reports = json_object_get(doc, "reports");
	for (i = 1; i < 3; i++) {
		json_t *r = json_deep_copy(json_array_get(reports, 0));

		snprintf(id, sizeof(id), "r-000%zu-abcd", i + 1);
		json_object_set_new(r, "report_id", json_string(id));
		json_array_append_new(reports, r);
	}
	refused(json_incref(doc), &lim, "reports", "too many reports: 3, "
	    "at most 2");
	json_array_remove(reports, 2);
	assert_int_equal(doc_parse(doc, &lim, err, sizeof(err)), 0);
	json_decref(doc);

	/* nine findings */
	doc = batch_doc();
	findings = json_object_get(json_array_get(json_object_get(doc,
	    "reports"), 0), "findings");
	for (i = 0; i < 7; i++) {
		f = json_deep_copy(json_array_get(findings, 1));
		snprintf(id, sizeof(id), "check-%zu", i);
		json_object_set_new(f, "check", json_string(id));
		json_array_append_new(findings, f);
	}
	doc_set(doc, "reports[0].summary.pass", json_integer(8));
	refused(json_incref(doc), &lim, "reports[0].findings",
	    "too many findings: 9, at most 8");
	json_array_remove(findings, 8);
	doc_set(doc, "reports[0].summary.pass", json_integer(7));
	assert_int_equal(doc_parse(doc, &lim, err, sizeof(err)), 0);
	json_decref(doc);

	/* no finding at all is a valid report */
	doc = batch_doc();
	json_array_clear(json_object_get(json_array_get(json_object_get(doc,
	    "reports"), 0), "findings"));
	doc_set(doc, "reports[0].summary.pass", json_integer(0));
	doc_set(doc, "reports[0].summary.fail", json_integer(0));
	assert_int_equal(doc_parse(doc, NULL, err, sizeof(err)), 0);
	json_decref(doc);
}

static void
test_control(void **state)
{
	static const struct {
		const char *path, *value, *expect;
	} refused_cases[] = {
		{ "reports[0].host.hostname", "may\001", "U+0001" },
		{ "reports[0].host.hostname", "may\nketoan", "U+000A" },
		{ "reports[0].host.hostname", "may\tketoan", "U+0009" },
		{ "reports[0].host.hostname", "may\x7f", "U+007F" },
		{ "reports[0].host.hostname", "may\xc2\x85", "U+0085" },
		{ "reports[0].host.hostname", "abc\xe2\x80\xaetxt.exe",
		    "U+202E" },
		{ "reports[0].host.hostname", "a\xe2\x81\xa6" "b", "U+2066" },
		{ "reports[0].host.hostname", "a\xe2\x80\xa8" "b", "U+2028" },
		{ "reports[0].host.os.name", "Debian\033[31m", "U+001B" },
		{ "reports[0].host.kernel", "6.1\r", "U+000D" },
		{ "reports[0].host.id", "h-1\n", "invalid host id" },
		{ "reports[0].report_id", "r-0001-ab\tcd", "invalid id" },
		{ "reports[0].findings[0].status", "fail\n", "U+000A" },
	};
	static const char *const accepted[][2] = {
		{ "reports[0].host.hostname", "<script>alert(1)</script>" },
		{ "reports[0].host.hostname",
		    "\"'><img src=x onerror=alert(document.cookie)>" },
		{ "reports[0].host.hostname", "Máy kế toán — Phòng 1" },
		{ "reports[0].host.hostname", "" },
		{ "reports[0].host.os.name", "{{7*7}} ${jndi:ldap://x}" },
		{ "reports[0].findings[0].evidence",
		    "</script><script>alert(1)</script>\n\tline" },
		{ "reports[0].findings[0].evidence", "abc\xe2\x80\xae" "def" },
		{ "reports[0].findings[0].title.vi", "Mật khẩu\nyếu" },
		/* text quotes the host: control characters are data */
		{ "reports[0].findings[0].evidence", "x\033[2J" },
		{ "reports[0].findings[0].evidence", "line\r\nnext" },
		{ "reports[0].findings[0].evidence", "\xc2\x9b" },
		{ "reports[0].findings[0].title.vi", "chu\007ong" },
		{ "reports[0].findings[0].remedy.en", "a\bb" },
	};
	struct ingest_batch b;
	json_t *doc;
	char err[512], *text;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(refused_cases) / sizeof(refused_cases[0]);
	    i++) {
		doc = batch_doc();
		doc_set(doc, refused_cases[i].path,
		    json_string(refused_cases[i].value));
		refused(doc, NULL, refused_cases[i].path,
		    refused_cases[i].expect);
	}
	for (i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
		doc = batch_doc();
		doc_set(doc, accepted[i][0], json_string(accepted[i][1]));
		text = json_dumps(doc, JSON_COMPACT);
		if (ingest_parse(text, strlen(text), NULL, &b, err,
		    sizeof(err)) != 0)
			fail_msg("%s = %s: %s", accepted[i][0], accepted[i][1],
			    err);
		if (strcmp(accepted[i][0], "reports[0].host.hostname") == 0)
			assert_string_equal(b.reports[0].hostname,
			    accepted[i][1]);	/* data, kept as is */
		ingest_batch_free(&b);
		free(text);
		json_decref(doc);
	}
	/* control characters in facts are data (stored as JSON) */
	doc = batch_doc();
	doc_set(doc, "reports[0].facts.ssid", json_string("wifi\001\033"));
	assert_int_equal(doc_parse(doc, NULL, err, sizeof(err)), 0);
	json_decref(doc);
	/* a bad value quoted in an error carries no control character */
	doc = batch_doc();
	doc_set(doc, "reports[0].findings[0].severity",
	    json_string("\033]0;pwned\007 very long value that goes on and on"
	    " and on"));
	assert_int_equal(doc_parse(doc, NULL, err, sizeof(err)), -1);
	for (i = 0; err[i] != '\0'; i++)
		assert_true((unsigned char)err[i] >= 0x20);
	json_decref(doc);
}

/* gzip (window 31) or zlib (15) of buf, repeated times. */
static unsigned char *
deflate_buf(const void *buf, size_t len, size_t times, int window,
    size_t *outlen)
{
	z_stream zs;
	unsigned char *out;
	size_t i, cap;

	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, window, 9,
	    Z_DEFAULT_STRATEGY), Z_OK);
	cap = deflateBound(&zs, len) + len * times / 500 + (1u << 16);
	out = malloc(cap);
	assert_non_null(out);
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	for (i = 0; i < times; i++) {
		zs.next_in = (Bytef *)(uintptr_t)buf;
		zs.avail_in = (uInt)len;
		while (zs.avail_in > 0)
			assert_int_equal(deflate(&zs, Z_NO_FLUSH), Z_OK);
	}
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*outlen = cap - zs.avail_out;
	deflateEnd(&zs);
	return out;
}

static void
test_inflate(void **state)
{
	unsigned char *z, *padded;
	char *buf, *out, err[512];
	size_t len, zlen, outlen;
	int too_large, window;

	(void)state;
	buf = seed("weak.json", &len);
	for (window = 15; window <= 31; window += 16) {	/* zlib, gzip */
		z = deflate_buf(buf, len, 1, window, &zlen);
		assert_int_equal(ingest_inflate(z, zlen, 32u << 20, &out,
		    &outlen, &too_large, err, sizeof(err)), 0);
		assert_int_equal(outlen, len);
		assert_memory_equal(out, buf, len);
		assert_int_equal(out[outlen], '\0');
		assert_int_equal(too_large, 0);
		free(out);
		/* exactly max, and one byte less */
		assert_int_equal(ingest_inflate(z, zlen, len, &out, &outlen,
		    &too_large, err, sizeof(err)), 0);
		free(out);
		assert_int_equal(ingest_inflate(z, zlen, len - 1, &out,
		    &outlen, &too_large, err, sizeof(err)), -1);
		assert_int_equal(too_large, 1);
		assert_null(out);
		assert_non_null(strstr(err, "exceeds"));

		/* truncated: the trailer, the middle, the header */
		assert_int_equal(ingest_inflate(z, zlen - 4, 32u << 20, &out,
		    &outlen, &too_large, err, sizeof(err)), -1);
		assert_int_equal(too_large, 0);
		assert_non_null(strstr(err, "truncated"));
		assert_int_equal(ingest_inflate(z, zlen / 2, 32u << 20, &out,
		    &outlen, &too_large, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "truncated"));
		assert_null(out);
		assert_int_equal(ingest_inflate(z, 1, 32u << 20, &out,
		    &outlen, &too_large, err, sizeof(err)), -1);

		/* garbage after the stream, or a second stream */
		padded = malloc(2 * zlen + 8);
		assert_non_null(padded);
		memcpy(padded, z, zlen);
		memcpy(padded + zlen, "garbage", 7);
		assert_int_equal(ingest_inflate(padded, zlen + 7, 32u << 20,
		    &out, &outlen, &too_large, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "7 bytes of trailing data"));
		memcpy(padded + zlen, z, zlen);
		assert_int_equal(ingest_inflate(padded, 2 * zlen, 32u << 20,
		    &out, &outlen, &too_large, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "trailing data"));
		padded[zlen] = 0;
		assert_int_equal(ingest_inflate(padded, zlen + 1, 32u << 20,
		    &out, &outlen, &too_large, err, sizeof(err)), -1);

		/* corrupt: a flipped byte in the middle */
		memcpy(padded, z, zlen);
		padded[zlen / 2] ^= 0x55;
		assert_int_equal(ingest_inflate(padded, zlen, 32u << 20, &out,
		    &outlen, &too_large, err, sizeof(err)), -1);
		assert_null(out);
		free(padded);
		free(z);
	}
	/* not compressed at all, or nothing */
	assert_int_equal(ingest_inflate(buf, len, 32u << 20, &out, &outlen,
	    &too_large, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "corrupt"));
	assert_int_equal(ingest_inflate("", 0, 32u << 20, &out, &outlen,
	    &too_large, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "truncated"));
	free(buf);

	/* an empty body inflates to "" */
	z = deflate_buf("", 0, 1, 31, &zlen);
	assert_int_equal(ingest_inflate(z, zlen, 0, &out, &outlen, &too_large,
	    err, sizeof(err)), 0);
	assert_int_equal(outlen, 0);
	assert_string_equal(out, "");
	free(out);
	free(z);
}

static void
test_bomb(void **state)
{
	static char zeros[1u << 20];
	unsigned char *z;
	char *out, err[512];
	size_t zlen, outlen;
	int too_large;

	(void)state;
	/* 100 MB of zeros: about 100 KB of gzip */
	z = deflate_buf(zeros, sizeof(zeros), 100, 31, &zlen);
	assert_true(zlen < 200u << 10);
	assert_int_equal(ingest_inflate(z, zlen, 1u << 20, &out, &outlen,
	    &too_large, err, sizeof(err)), -1);
	assert_int_equal(too_large, 1);
	assert_null(out);
	assert_int_equal(outlen, 0);
	assert_non_null(strstr(err, "vượt quá 1048576 byte"));
	/* without a too_large pointer */
	assert_int_equal(ingest_inflate(z, zlen, 1u << 20, &out, &outlen,
	    NULL, err, sizeof(err)), -1);
	free(z);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_real),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_control),
		cmocka_unit_test(test_inflate),
		cmocka_unit_test(test_bomb),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
