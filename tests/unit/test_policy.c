/*
 * test_policy.c — the policy loader and evaluation: every bad policy of
 * tests/policy/bad (each names its expected "LINE:COL: message" on its
 * first line) is refused there, the good ones and the shipped policy load;
 * status of checks (levels, platform, applies, unknown facts), legal basis
 * around a successor's effective date, parameter overrides, and attacks
 * (huge files, alias bombs, symlinks out of the policy directory).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "testutil.h"
#include "agent/policy.h"
#include "lib/file.h"
#include "lib/text.h"

static int
test_names_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted *.yml names of a directory of the source tree. */
static size_t
test_list(const char *rel, char ***out)
{
	DIR *d = opendir(testutil_source(rel));
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l > 4 && strcmp(de->d_name + l - 4, ".yml") == 0) {
			names = realloc(names, (n + 1) * sizeof(*names));
			names[n++] = strdup(de->d_name);
		}
	}
	closedir(d);
	qsort(names, n, sizeof(*names), test_names_cmp);
	*out = names;
	return n;
}

static void
test_bad_policies(void **state)
{
	char **names, err[1024];
	size_t n, i;

	(void)state;
	n = test_list("tests/policy/bad", &names);
	assert_true(n >= 30);
	for (i = 0; i < n; i++) {
		char *rel = text_printf("tests/policy/bad/%s", names[i]);
		char *path = strdup(testutil_source(rel));
		char *text, *want, *msg, *nl;
		size_t len;
		struct policy *p;

		assert_int_equal(file_read_path(path, FILE_MAX_SMALL, &text,
		    &len), 0);
		assert_true(strncmp(text, "# expect: ", 10) == 0);
		nl = strchr(text, '\n');
		*nl = '\0';
		msg = strstr(text + 10, ": ");
		assert_non_null(msg);
		*msg = '\0';
		want = text_printf("%s:%s: ", path, text + 10);
		p = policy_load(path, NULL, err, sizeof(err));
		if (p != NULL || strncmp(err, want, strlen(want)) != 0 ||
		    strstr(err, msg + 2) == NULL)
			fprintf(stderr, "%s\n want %s ... %s\n got  %s\n",
			    names[i], want, msg + 2, p ? "(accepted)" : err);
		assert_null(p);
		assert_true(strncmp(err, want, strlen(want)) == 0);
		assert_non_null(strstr(err, msg + 2));
		/* one line, both languages */
		assert_null(strchr(err, '\n'));
		assert_non_null(strstr(err, " — "));
		free(want);
		free(text);
		free(path);
		free(rel);
		free(names[i]);
	}
	free(names);
}

static void
test_good_policies(void **state)
{
	char **names, err[1024];
	size_t n, i;
	struct policy *p;

	(void)state;
	n = test_list("tests/policy/good", &names);
	assert_true(n >= 3);
	for (i = 0; i < n; i++) {
		char *rel = text_printf("tests/policy/good/%s", names[i]);

		p = policy_load(testutil_source(rel), NULL, err, sizeof(err));
		if (p == NULL)
			fprintf(stderr, "%s: %s\n", names[i], err);
		assert_non_null(p);
		policy_free(p);
		free(rel);
		free(names[i]);
	}
	free(names);
	/* the whole directory: files in name order, one policy */
	p = policy_load(testutil_source("tests/policy/good"), NULL, err,
	    sizeof(err));
	assert_non_null(p);
	assert_int_equal(p->nchecks, 6);
	assert_int_equal(p->nlegal, 6);
	assert_string_equal(p->checks[0].id, "ssh-root");
	assert_int_equal(p->checks[0].line, 65);
	assert_non_null(strstr(p->checks[0].file, "001-full.yml"));
	policy_free(p);
	/* the shipped policy, embedded and from policy/ */
	p = policy_load_embedded(NULL, err, sizeof(err));
	if (p == NULL)
		fprintf(stderr, "embedded: %s\n", err);
	assert_non_null(p);
	policy_free(p);
	p = policy_load(testutil_source("policy"), NULL, err, sizeof(err));
	if (p == NULL)
		fprintf(stderr, "policy/: %s\n", err);
	assert_non_null(p);
	policy_free(p);
	/* from memory: empty text is a valid, empty policy */
	p = policy_load_text("", 0, "empty.yml", NULL, err, sizeof(err));
	assert_non_null(p);
	assert_int_equal(p->nchecks, 0);
	policy_free(p);
}

static struct policy *
load_full(void)
{
	char err[1024];
	struct policy *p = policy_load(testutil_source(
	    "tests/policy/good/001-full.yml"), NULL, err, sizeof(err));

	if (p == NULL)
		fprintf(stderr, "%s\n", err);
	assert_non_null(p);
	return p;
}

static void
test_members(void **state)
{
	struct policy *p = load_full();
	const struct check *c;
	const struct legal *l;
	json_t *d;

	(void)state;
	c = policy_check(p, "desk-lock");
	assert_non_null(c);
	assert_int_equal(c->point, 5);
	assert_int_equal(c->severity, SEV_MEDIUM);
	assert_int_equal(c->levels, 0x3e);
	assert_int_equal(c->platforms, PLATFORM_LINUX | PLATFORM_WINDOWS);
	assert_string_equal(c->applies_text, "desktop.present");
	assert_string_equal(c->title.vi, "Khóa màn hình khi không sử dụng");
	assert_int_equal(policy_check(p, "ssh-root")->levels, 0x0e);
	assert_null(policy_check(p, "nope"));
	l = policy_legal(p, "luat-anm-2018");
	assert_non_null(l);
	assert_string_equal(l->until, "2026-06-30");
	assert_string_equal(l->successor, "luat-anm-2025");
	assert_true(l->cited);
	assert_false(policy_legal(p, "luat-anm-2025")->cited);
	assert_null(l->unverified.vi);
	assert_string_equal(policy_legal(p, "luat-anm-2025")->unverified.en,
	    "Issue date not checked");
	assert_int_equal(json_integer_value(json_object_get(p->params,
	    "lock_seconds")), 900);
	assert_true(json_is_true(json_object_get(p->params, "strict")));
	assert_string_equal(json_string_value(json_object_get(p->params,
	    "banner")), "Cảnh báo");
	d = json_object_get(p->param_docs, "public_mail");
	assert_string_equal(json_string_value(json_object_get(d, "type")),
	    "list:string");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    p->param_docs, "ports"), "type")), "list:int");
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    json_object_get(p->param_docs, "lock_seconds"), "basis"), 0)),
	    "tcvn-old");
	assert_string_equal(severity_name(SEV_CRITICAL), "critical");
	assert_string_equal(status_name(ST_NA), "na");
	policy_free(p);
}

static void
expect_basis(struct policy *p, const char *today, const char *want)
{
	json_t *b = policy_basis(p, policy_check(p, "ssh-root"), today);
	char *s = json_dumps(b, JSON_COMPACT);

	if (strcmp(s, want) != 0)
		fprintf(stderr, "basis on %s: %s, want %s\n", today, s, want);
	assert_string_equal(s, want);
	free(s);
	json_decref(b);
}

static void
test_basis(void **state)
{
	struct policy *p = load_full();

	(void)state;
	expect_basis(p, "2025-12-31", "[\"luat-anm-2018\",\"tcvn-old\"]");
	expect_basis(p, "2026-06-30",
	    "[\"luat-anm-2018\",\"tcvn-old\",\"tcvn-new\"]");
	expect_basis(p, "2026-07-01", "[\"luat-anm-2018\",\"luat-anm-2025\","
	    "\"tcvn-old\",\"tcvn-new\"]");
	expect_basis(p, "2030-01-01", "[\"luat-anm-2018\",\"luat-anm-2025\","
	    "\"tcvn-old\",\"tcvn-new\",\"tcvn-newer\"]");
	policy_free(p);
}

static const char *facts_text =
    "{\"ssh\":{\"permit_root_login\":\"yes\"},"
    "\"desktop\":{\"present\":true},"
    "\"screenlock\":{\"settings\":[{\"scope\":\"system\",\"lock_enabled\":"
    "true,\"idle_seconds\":300},{\"scope\":\"ketoan\",\"lock_enabled\":"
    "true,\"idle_seconds\":3600}]},"
    "\"accounts\":{\"users\":[{\"name\":\"root\",\"admin\":true,"
    "\"password\":\"locked\"},{\"name\":\"quantri\",\"admin\":true,"
    "\"password\":\"set\"}]},"
    "\"mail\":{\"accounts\":[{\"address\":\"kt@gmail.com\",\"domain\":"
    "\"gmail.com\"},{\"address\":\"kt@thaihoa.gov.vn\",\"domain\":"
    "\"thaihoa.gov.vn\"}]}}";

static void
expect_result(struct policy *p, const char *id, int level, json_t *facts,
    json_t *unav, enum status st, const char *evidence, const char *reason)
{
	struct result r;

	policy_eval(p, policy_check(p, id), level, facts, unav, &r);
	if (r.status != st || (evidence && (!r.evidence ||
	    strcmp(r.evidence, evidence) != 0)) || (reason &&
	    (!r.reason.en || !strstr(r.reason.en, reason))))
		fprintf(stderr, "%s: %s evidence %s reason %s / %s\n", id,
		    status_name(r.status), r.evidence ? r.evidence : "-",
		    r.reason.vi ? r.reason.vi : "-",
		    r.reason.en ? r.reason.en : "-");
	assert_int_equal(r.status, st);
	if (evidence != NULL) {
		assert_non_null(r.evidence);
		assert_string_equal(r.evidence, evidence);
	}
	if (reason != NULL) {
		assert_non_null(r.reason.en);
		assert_non_null(strstr(r.reason.en, reason));
		assert_non_null(r.reason.vi);
		assert_true(r.reason.vi[0] != '\0');
	}
	result_free(&r);
}

/* What collect_unavailable() records. */
static void
set_unavailable(json_t *unav, const char *path, const char *status,
    const char *vi, const char *en)
{
	json_object_set_new(unav, path, json_pack("{s:s, s:{s:s, s:s}}",
	    "status", status, "reason", "vi", vi, "en", en));
}

static void
test_eval(void **state)
{
	struct policy *p = load_full();
	json_t *facts = json_loads(facts_text, 0, NULL);
	json_t *unav = json_object();

	(void)state;
	assert_non_null(facts);
	expect_result(p, "ssh-root", 2, facts, unav, ST_FAIL,
	    "ssh.permit_root_login = \"yes\"", NULL);
	expect_result(p, "ssh-root", 4, facts, unav, ST_NA, NULL,
	    "not required at level 4");
	expect_result(p, "win-only", 1, facts, unav, ST_NA, NULL,
	    "not applicable on Linux");
	expect_result(p, "desk-lock", 3, facts, unav, ST_FAIL,
	    "screenlock.settings: ketoan (lock_enabled = true, idle_seconds "
	    "= 3600)", NULL);
	expect_result(p, "mail-public", 3, facts, unav, ST_FAIL,
	    "mail.accounts: kt@gmail.com (domain = \"gmail.com\")", NULL);
	/* password_age_days is missing: the collector's reason */
	set_unavailable(unav, "accounts.users.password_age_days",
	    "error", "cần quyền root để đọc /etc/shadow",
	    "needs root to read /etc/shadow");
	expect_result(p, "acct-admin-age", 3, facts, unav, ST_ERROR, NULL,
	    "needs root to read /etc/shadow");
	/* a live fact with --root: na with the reason of its section */
	expect_result(p, "net-offline", 3, facts, unav, ST_ERROR, NULL,
	    "fact network.internet was not collected");
	set_unavailable(unav, "network", "na",
	    "không áp dụng khi kiểm tra một ổ đĩa (--root)",
	    "not applicable when auditing a disk (--root)");
	expect_result(p, "net-offline", 3, facts, unav, ST_NA, NULL,
	    "auditing a disk");
	/* applies false, then unknown */
	json_object_set_new(json_object_get(facts, "desktop"), "present",
	    json_false());
	expect_result(p, "desk-lock", 3, facts, unav, ST_NA, NULL,
	    "applicability condition is false");
	json_object_del(json_object_get(facts, "desktop"), "present");
	expect_result(p, "desk-lock", 3, facts, unav, ST_ERROR, NULL,
	    "fact desktop.present was not collected");
	/* pass keeps its evidence */
	json_object_set_new(json_object_get(facts, "ssh"), "permit_root_login",
	    json_string("no"));
	expect_result(p, "ssh-root", 1, facts, unav, ST_PASS,
	    "ssh.permit_root_login = \"no\"", NULL);
	/* a fact of the wrong type is an error, never a pass */
	json_object_set_new(json_object_get(facts, "ssh"), "permit_root_login",
	    json_integer(0));
	expect_result(p, "ssh-root", 1, facts, unav, ST_ERROR, NULL,
	    "does not have the type");
	json_decref(facts);
	json_decref(unav);
	policy_free(p);
}

static void
test_params(void **state)
{
	struct policy *p = load_full();
	json_t *facts = json_loads(facts_text, 0, NULL);
	json_t *unav = json_object();
	const char *one[] = {"7200"}, *bad[] = {"15m"}, *two[] = {"1", "2"};
	const char *yes[] = {"no"}, *maybe[] = {"maybe"};
	const char *pats[] = {"hotmail\\.com$"}, *badpat[] = {"ok", "(x"};
	const char *ints[] = {"22", "x"};
	char err[512];

	(void)state;
	assert_int_equal(policy_set_param(p, "lock_seconds", one, 1,
	    "agent.conf:3:1", err, sizeof(err)), 0);
	assert_int_equal(json_integer_value(json_object_get(p->params,
	    "lock_seconds")), 7200);
	expect_result(p, "desk-lock", 3, facts, unav, ST_PASS, NULL, NULL);
	assert_int_equal(policy_set_param(p, "lock_seconds", bad, 1,
	    "agent.conf:4:1", err, sizeof(err)), -1);
	assert_true(strncmp(err, "agent.conf:4:1: ", 16) == 0);
	assert_non_null(strstr(err, "needs an integer"));
	assert_non_null(strstr(err, "cần một số nguyên"));
	assert_int_equal(policy_set_param(p, "lock_seconds", two, 2,
	    "agent.conf:5:1", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "exactly one value"));
	assert_int_equal(policy_set_param(p, "nope", one, 1, "agent.conf:6:1",
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown parameter \"nope\""));
	assert_int_equal(policy_set_param(p, "strict", yes, 1, "c:1:1", err,
	    sizeof(err)), 0);
	assert_true(json_is_false(json_object_get(p->params, "strict")));
	assert_int_equal(policy_set_param(p, "strict", maybe, 1, "c:1:1", err,
	    sizeof(err)), -1);
	assert_int_equal(policy_set_param(p, "ports", ints, 2, "c:1:1", err,
	    sizeof(err)), -1);
	assert_int_equal(policy_set_param(p, "ports", ints, 1, "c:1:1", err,
	    sizeof(err)), 0);
	assert_int_equal(policy_set_param(p, "banner", one, 1, "c:1:1", err,
	    sizeof(err)), 0);
	assert_string_equal(json_string_value(json_object_get(p->params,
	    "banner")), "7200");
	/* a list of patterns: recompiled; a bad one refused */
	assert_int_equal(policy_set_param(p, "public_mail", badpat, 2,
	    "c:9:1", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "pattern 2"));
	expect_result(p, "mail-public", 3, facts, unav, ST_FAIL, NULL, NULL);
	assert_int_equal(policy_set_param(p, "public_mail", pats, 1, "c:9:1",
	    err, sizeof(err)), 0);
	expect_result(p, "mail-public", 3, facts, unav, ST_PASS, NULL, NULL);
	assert_int_equal(policy_set_param(p, "public_mail", NULL, 0, "c:9:1",
	    err, sizeof(err)), 0);
	expect_result(p, "mail-public", 3, facts, unav, ST_PASS,
	    "mail.accounts: 0/2 matched", NULL);
	json_decref(facts);
	json_decref(unav);
	policy_free(p);
}

/* Parameters from one file, checks using them from another. */
static void
test_cross_file(void **state)
{
	char dir[] = "/tmp/cg-policy-XXXXXX", err[1024], *a, *b, *full;
	struct policy *p;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	full = text_printf("%s", testutil_source(
	    "tests/policy/good/001-full.yml"));
	a = text_printf("%s/b-checks.yml", dir);
	b = text_printf("%s/a-params.yml", dir);
	f = fopen(b, "w");
	fputs("parameters:\n  extra_max:\n    default: 3\n    doc: {vi: Tối "
	    "đa, en: Maximum}\n", f);
	fclose(f);
	assert_int_equal(symlink(full, a), 0);
	free(a);
	a = text_printf("%s/c-checks.yml", dir);
	f = fopen(a, "w");
	fputs("checks:\n  - id: x-extra\n    point: 1\n    basis: [tcvn-new]\n"
	    "    levels: [1]\n    severity: info\n    platform: [linux]\n"
	    "    condition: ssh.max_auth_tries <= param.extra_max\n"
	    "    title: {vi: Thử, en: Test}\n    rationale: {vi: Thử, en: "
	    "Test}\n    remedy: {vi: Thử, en: Test}\n", f);
	fclose(f);
	/* b-checks.yml is a symbolic link out of the directory: refused */
	p = policy_load(dir, NULL, err, sizeof(err));
	assert_null(p);
	assert_non_null(strstr(err, "symbolic link out of the policy "
	    "directory"));
	free(a);
	a = text_printf("%s/b-checks.yml", dir);
	unlink(a);
	free(a);
	a = text_printf("%s/b-legal.yml", dir);
	f = fopen(a, "w");
	fputs("legal:\n  - id: tcvn-new\n    kind: standard\n    number: TCVN "
	    "14423:2026\n    title: {vi: Tiêu chuẩn, en: Standard}\n    "
	    "issued: 2026-01-01\n    effective: 2026-01-01\n", f);
	fclose(f);
	p = policy_load(dir, NULL, err, sizeof(err));
	if (p == NULL)
		fprintf(stderr, "%s\n", err);
	assert_non_null(p);
	assert_int_equal(p->nchecks, 1);
	policy_free(p);
	unlink(a);
	free(a);
	a = text_printf("%s/c-checks.yml", dir);
	unlink(a);
	free(a);
	unlink(b);
	free(b);
	rmdir(dir);
	free(full);
}

static void
test_attacks(void **state)
{
	char err[1024];
	size_t n = (4u << 20) + 16, i;
	char *big = malloc(n + 1);
	struct policy *p;

	(void)state;
	/* huge file */
	memset(big, ' ', n);
	memcpy(big, "legal: []\n#", 11);
	big[n] = '\0';
	p = policy_load_text(big, n, "huge.yml", NULL, err, sizeof(err));
	assert_null(p);
	assert_non_null(strstr(err, "file too large"));
	/* many nodes within the size limit: bounded */
	memcpy(big, "a: [", 4);
	for (i = 4; i + 3 < (3u << 20); i += 3)
		memcpy(big + i, "1, ", 3);
	big[i] = ']';
	p = policy_load_text(big, i + 1, "nodes.yml", NULL, err, sizeof(err));
	assert_null(p);
	if (strstr(err, "too many YAML nodes") == NULL)
		fprintf(stderr, "nodes: %s\n", err);
	assert_non_null(strstr(err, "too many YAML nodes"));
	free(big);
	/* binary garbage */
	p = policy_load_text("\xff\xfe\x00\x01garbage", 11, "bin.yml", NULL,
	    err, sizeof(err));
	assert_null(p);
	assert_non_null(strstr(err, "bin.yml:"));
	/* a missing file */
	p = policy_load("/nonexistent/policy.yml", NULL, err, sizeof(err));
	assert_null(p);
	assert_non_null(strstr(err, "/nonexistent/policy.yml"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_policies),
		cmocka_unit_test(test_good_policies),
		cmocka_unit_test(test_members),
		cmocka_unit_test(test_basis),
		cmocka_unit_test(test_eval),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_cross_file),
		cmocka_unit_test(test_attacks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
