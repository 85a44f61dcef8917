/*
 * test_cond.c — the condition language: what the parser and type checker
 * accept and refuse (with the byte offset of each error), Kleene logic,
 * quantifiers, counts, regular expressions, evidence text, and attacks
 * (catastrophic backtracking, deep nesting).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "testutil.h"
#include "agent/cond.h"
#include "agent/schema.h"

static const char *facts_text =
    "{\"ssh\":{\"permit_root_login\":\"yes\",\"password_authentication\":"
    "true,\"x11_forwarding\":false,\"max_auth_tries\":6,\"ciphers\":"
    "[\"aes128-ctr\",\"aes256-cbc\",\"3des-cbc\"],\"ports\":[22],"
    "\"log_level\":\"VERBOSE\\\"\\n\"},"
    "\"accounts\":{\"users\":["
    "{\"name\":\"root\",\"uid\":0,\"password\":\"locked\",\"admin\":true},"
    "{\"name\":\"toor\",\"uid\":0,\"password\":\"set\",\"admin\":true},"
    "{\"name\":\"ketoan\",\"uid\":1001,\"password\":\"empty\","
    "\"admin\":true},"
    "{\"name\":\"nguyenvana\",\"uid\":1002,\"password\":\"set\","
    "\"admin\":false},"
    "{\"name\":\"guest\",\"uid\":1003,\"admin\":false}]},"
    "\"wifi\":{\"networks\":[]},"
    "\"mail\":{\"accounts\":[{\"address\":\"a@gmail.com\","
    "\"domain\":\"gmail.com\"},{\"address\":\"b@phuong.gov.vn\","
    "\"domain\":\"phuong.gov.vn\"}]},"
    "\"system\":{\"hostname\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "b\"}}";

static json_t *facts, *params, *ptypes;
static struct cond_env env;

static int
setup(void **state)
{
	(void)state;
	facts = json_loads(facts_text, 0, NULL);
	assert_non_null(facts);
	params = json_pack("{s:i, s:[s,s], s:b, s:s, s:[i,i], s:[s,s], s:s}",
	    "max_tries", 4, "public_mail", "gmail\\.com$", "yahoo\\.com$",
	    "flag", 1, "name", "x", "ports", 22, 2222, "weak", "cbc$", "^3des",
	    "evil", "(a+)+$");
	ptypes = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "max_tries",
	    "int", "public_mail", "list:string", "flag", "bool", "name",
	    "string", "ports", "list:int", "weak", "list:string", "evil",
	    "string");
	env.schema = schema_embedded();
	env.params = params;
	env.param_types = ptypes;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	json_decref(facts);
	json_decref(params);
	json_decref(ptypes);
	return 0;
}

/* Parses text and expects an error at offset with msg in the English. */
static void
refuse(const char *text, size_t offset, const char *msg)
{
	struct cond_error e;
	struct cond *c = cond_parse(text, strlen(text), &env, &e);

	if (c != NULL || e.offset != offset || strstr(e.en, msg) == NULL)
		fprintf(stderr, "refuse(%s): got %s at %zu: %s\n", text,
		    c ? "accepted" : "refused", e.offset, e.en);
	assert_null(c);
	assert_int_equal(e.offset, offset);
	assert_non_null(strstr(e.en, msg));
	assert_true(e.vi[0] != '\0');
}

/* What the collectors could not learn, for test_partial (else NULL). */
static json_t *unavail;

/* Evaluates text; returns the value, evidence in *ev (caller frees). */
static enum tri
eval_ev(const char *text, char **ev, char **missing)
{
	struct cond_error e;
	struct cond *c = cond_parse(text, strlen(text), &env, &e);
	struct cond_result r;
	enum tri t;

	if (c == NULL)
		fprintf(stderr, "eval(%s): refused at %zu: %s\n", text,
		    e.offset, e.en);
	assert_non_null(c);
	cond_eval(c, facts, unavail, params, true, &r);
	t = r.value;
	if (ev != NULL) {
		*ev = r.evidence;
		r.evidence = NULL;
	}
	if (missing != NULL) {
		*missing = r.missing;
		r.missing = NULL;
	}
	cond_result_free(&r);
	cond_free(c);
	return t;
}

static enum tri
eval(const char *text)
{
	return eval_ev(text, NULL, NULL);
}

static void
test_accept(void **state)
{
	(void)state;
	assert_int_equal(eval("ssh.permit_root_login == \"yes\""), TRI_TRUE);
	assert_int_equal(eval("ssh.max_auth_tries <= param.max_tries"),
	    TRI_FALSE);
	assert_int_equal(eval("ssh.max_auth_tries > -1"), TRI_TRUE);
	assert_int_equal(eval("not ssh.x11_forwarding"), TRI_TRUE);
	assert_int_equal(eval("ssh.permit_root_login in [\"no\", "
	    "\"prohibit-password\"]"), TRI_FALSE);
	assert_int_equal(eval("ssh.permit_root_login not in [\"no\"]"),
	    TRI_TRUE);
	assert_int_equal(eval("22 in ssh.ports and 2222 not in ssh.ports"),
	    TRI_TRUE);
	assert_int_equal(eval("ssh.ports == [22]"), TRI_TRUE);
	assert_int_equal(eval("ssh.ports != param.ports"), TRI_TRUE);
	assert_int_equal(eval("param.flag == true"), TRI_TRUE);
	assert_int_equal(eval("((ssh.x11_forwarding)) == false"), TRI_TRUE);
	assert_int_equal(eval("ssh.log_level == \"VERBOSE\\\"\\n\""),
	    TRI_TRUE);
	/* loosest first: or binds looser than and */
	assert_int_equal(eval("true or false and false"), TRI_TRUE);
	assert_int_equal(eval("(true or false) and false"), TRI_FALSE);
	assert_int_equal(eval("not true or true"), TRI_TRUE);
}

static void
test_refuse(void **state)
{
	char big[COND_MAX_TEXT + 2];

	(void)state;
	refuse("", 0, "empty condition");
	refuse("ssh.nope == 1", 0, "unknown fact \"ssh.nope\"");
	refuse("ssh.max_auth_tries == \"4\"", 19, "cannot compare int with "
	    "string");
	refuse("ssh.permit_root_login < 3", 22, "compare integers only");
	refuse("ssh.max_auth_tries", 0, "must be true or false");
	refuse("ssh", 0, "is a section");
	refuse("accounts.users.name == \"x\"", 0, "field of the items of "
	    "list accounts.users");
	refuse("param.nope == 1", 6, "unknown parameter \"nope\"");
	refuse("ssh.x11_forwarding and 3", 23, "needs a true/false");
	refuse("ssh.permit_root_login = \"yes\"", 22, "use \"==\"");
	refuse("ssh.permit_root_login == \"yes", 25, "unterminated string");
	refuse("ssh.permit_root_login == \"a\\qb\"", 27, "bad escape");
	refuse("ssh.permit_root_login =~ \"(ab\"", 29, "invalid regular "
	    "expression");
	refuse("ssh.permit_root_login =~ ssh.log_level", 25, "pattern of "
	    "\"=~\" must be");
	refuse("ssh.max_auth_tries =~ \"x\"", 0, "left side of \"=~\"");
	refuse("all u in accounts.users: u.nope == 1", 27, "have no field "
	    "\"nope\"");
	refuse("all u in accounts.users: u.uid", 25, "needs a true/false");
	refuse("all u in ssh.max_auth_tries: true", 9, "expected a list");
	refuse("all u accounts.users: true", 6, "expected \"in\"");
	refuse("all u in accounts.users u.uid == 0", 24, "expected \":\"");
	refuse("all ssh in accounts.users: true", 4, "name of a fact");
	refuse("all u in accounts.users: any u in accounts.users: true", 29,
	    "already bound");
	refuse("ssh.x11_forwarding ssh.x11_forwarding", 19, "unexpected "
	    "\"ssh\"");
	refuse("1 == 1 == 1", 7, "do not chain");
	refuse("count(ssh.permit_root_login) == 1", 6, "count needs a list");
	refuse("(ssh.x11_forwarding", 19, "ends too early");
	refuse("ssh.x11_forwarding == tru", 22, "unknown fact \"tru\"");
	refuse("ssh.ports == [1, \"a\"]", 17, "one type");
	refuse("99999999999999999999 == 1", 0, "number too large");
	refuse("ssh.x11_forwarding and", 22, "ends too early");
	refuse("ssh.x11_forwarding § true", 19, "non-ASCII");
	refuse("and == 1", 0, "keyword \"and\"");
	refuse("\"a\" in ssh.ports", 4, "\"in\" needs");
	refuse("param.max_tries =~ \"x\"", 0, "left side");
	refuse("ssh.permit_root_login =~ param.max_tries", 25, "pattern of");
	memset(big, ' ', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	refuse(big, 0, "too long");
}

static void
test_deep_nesting(void **state)
{
	size_t n = 5000, i;
	char *s = malloc(4 * 10000 + 8);
	struct cond_error e;
	struct cond *c;

	(void)state;
	for (i = 0; i < n; i++)
		s[i] = '(';
	strcpy(s + n, "true");
	for (i = 0; i < n; i++)
		s[n + 4 + i] = ')';
	s[2 * n + 4] = '\0';
	c = cond_parse(s, strlen(s), &env, &e);
	assert_null(c);
	assert_int_equal(e.offset, COND_MAX_DEPTH);
	assert_non_null(strstr(e.en, "nested too deeply"));
	/* 10,000 are refused too (longer than a condition may be) */
	memset(s, '(', 10000);
	strcpy(s + 10000, "true");
	c = cond_parse(s, strlen(s), &env, &e);
	assert_null(c);
	/* 3,000 "not" */
	for (i = 0; i < 3000; i++)
		memcpy(s + 4 * i, "not ", 4);
	strcpy(s + 4 * 3000, "true");
	c = cond_parse(s, strlen(s), &env, &e);
	assert_null(c);
	assert_int_equal(e.offset, 4 * COND_MAX_DEPTH);
	assert_non_null(strstr(e.en, "nested too deeply"));
	free(s);
	/* within the limit it works */
	assert_int_equal(eval("((((((((((true))))))))))"), TRI_TRUE);
}

static void
test_kleene(void **state)
{
	/* T: password_authentication, F: x11_forwarding, U: missing fact */
	static const struct {
		const char *text;
		enum tri want;
	} cases[] = {
		{"ssh.password_authentication and ssh.x11_forwarding",
		    TRI_FALSE},
		{"ssh.x11_forwarding and ssh.permit_empty_passwords",
		    TRI_FALSE},
		{"ssh.permit_empty_passwords and ssh.x11_forwarding",
		    TRI_FALSE},
		{"ssh.permit_empty_passwords and ssh.password_authentication",
		    TRI_UNKNOWN},
		{"ssh.password_authentication and ssh.permit_empty_passwords",
		    TRI_UNKNOWN},
		{"ssh.permit_empty_passwords and ssh.permit_empty_passwords",
		    TRI_UNKNOWN},
		{"ssh.password_authentication or ssh.permit_empty_passwords",
		    TRI_TRUE},
		{"ssh.permit_empty_passwords or ssh.password_authentication",
		    TRI_TRUE},
		{"ssh.permit_empty_passwords or ssh.x11_forwarding",
		    TRI_UNKNOWN},
		{"ssh.x11_forwarding or ssh.x11_forwarding", TRI_FALSE},
		{"not ssh.permit_empty_passwords", TRI_UNKNOWN},
		{"ssh.permit_empty_passwords == false", TRI_UNKNOWN},
		{"ssh.macs == [\"x\"] or true", TRI_TRUE},
		{"count(ssh.kex) == 0 and false", TRI_FALSE},
	};
	size_t i;
	char *missing;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		enum tri t = eval_ev(cases[i].text, NULL, &missing);

		if (t != cases[i].want)
			fprintf(stderr, "kleene: %s\n", cases[i].text);
		assert_int_equal(t, cases[i].want);
		if (t == TRI_UNKNOWN)
			assert_string_equal(missing,
			    "ssh.permit_empty_passwords");
		free(missing);
	}
}

static void
test_quantifiers(void **state)
{
	char *missing;

	(void)state;
	/* empty lists */
	assert_int_equal(eval("all n in wifi.networks: n.security == \"wpa3\""),
	    TRI_TRUE);
	assert_int_equal(eval("any n in wifi.networks: true"), TRI_FALSE);
	assert_int_equal(eval("none n in wifi.networks: true"), TRI_TRUE);
	assert_int_equal(eval("count(wifi.networks) == 0"), TRI_TRUE);
	assert_int_equal(eval("count(n in wifi.networks: true) == 0"),
	    TRI_TRUE);
	/* lists of values */
	assert_int_equal(eval("any c in ssh.ciphers: c =~ \"cbc$\""),
	    TRI_TRUE);
	assert_int_equal(eval("count(c in ssh.ciphers: c =~ \"cbc$\") == 2"),
	    TRI_TRUE);
	assert_int_equal(eval("all p in ssh.ports: p < 1024"), TRI_TRUE);
	/* where filters and counts */
	assert_int_equal(eval("count(u in accounts.users: u.uid == 0) == 2"),
	    TRI_TRUE);
	assert_int_equal(eval("all u in accounts.users where u.uid >= 1000: "
	    "u.uid < 2000"), TRI_TRUE);
	assert_int_equal(eval("any u in accounts.users where not u.admin: "
	    "u.uid == 0"), TRI_FALSE);
	assert_int_equal(eval("count(u in accounts.users where u.admin: "
	    "u.uid > 0) == 1"), TRI_TRUE);
	/* guest has no password member: unknown unless decided elsewhere */
	assert_int_equal(eval_ev("all u in accounts.users: u.password != "
	    "\"none\"", NULL, &missing), TRI_UNKNOWN);
	assert_string_equal(missing, "accounts.users.password");
	free(missing);
	assert_int_equal(eval("none u in accounts.users: u.password == "
	    "\"empty\""), TRI_FALSE);
	assert_int_equal(eval("any u in accounts.users: u.password == "
	    "\"empty\""), TRI_TRUE);
	assert_int_equal(eval("all u in accounts.users where u.admin: "
	    "u.password != \"none\""), TRI_TRUE);
	assert_int_equal(eval("count(u in accounts.users: u.password == "
	    "\"set\") == 2"), TRI_UNKNOWN);
	/* the body extends right; nested quantifiers */
	assert_int_equal(eval("(none u in accounts.users: u.uid == 5) and "
	    "ssh.x11_forwarding"), TRI_FALSE);
	assert_int_equal(eval("all u in accounts.users: any v in "
	    "accounts.users: v.uid == u.uid"), TRI_TRUE);
	/* a missing list is unknown */
	assert_int_equal(eval_ev("all s in packages.sources: s.official",
	    NULL, &missing), TRI_UNKNOWN);
	assert_string_equal(missing, "packages.sources");
	free(missing);
}

static void
test_regex(void **state)
{
	(void)state;
	assert_int_equal(eval("all m in mail.accounts: m.domain !~ "
	    "param.public_mail"), TRI_FALSE);
	assert_int_equal(eval("any m in mail.accounts: m.domain =~ "
	    "param.public_mail"), TRI_TRUE);
	assert_int_equal(eval("count(c in ssh.ciphers: c =~ param.weak) == 2"),
	    TRI_TRUE);
	assert_int_equal(eval("ssh.permit_root_login =~ \"(?i)^YES$\""),
	    TRI_TRUE);
	assert_int_equal(eval("ssh.permit_root_login =~ \"^\\\\w+$\""),
	    TRI_TRUE);
	assert_int_equal(eval("\"Phường Thái Hòa\" =~ \"^\\\\w+ \\\\w+ "
	    "\\\\w+$\""), TRI_TRUE);
}

static void
test_regex_limit(void **state)
{
	struct cond_error e;
	struct cond *c;
	struct cond_result r;
	json_t *f;
	char *s = malloc(5002);
	clock_t t0;

	(void)state;
	memset(s, 'a', 5000);
	s[5000] = '!';
	s[5001] = '\0';
	f = json_pack("{s:{s:s}}", "system", "hostname", s);
	c = cond_parse("system.hostname =~ \"(a+)+$\"", 27, &env, &e);
	assert_non_null(c);
	t0 = clock();
	cond_eval(c, f, NULL, params, true, &r);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
	assert_int_equal(r.value, TRI_UNKNOWN);
	assert_non_null(r.error_en);
	assert_non_null(strstr(r.error_en, "match limit"));
	assert_null(r.missing);
	cond_result_free(&r);
	cond_free(c);
	/* the same through a parameter */
	c = cond_parse("system.hostname !~ param.evil", 29, &env, &e);
	assert_non_null(c);
	cond_eval(c, f, NULL, params, true, &r);
	assert_int_equal(r.value, TRI_UNKNOWN);
	assert_non_null(r.error_vi);
	cond_result_free(&r);
	/* a parameter's patterns are recompiled when it changes */
	assert_true(cond_uses_regex_param(c, "evil"));
	assert_false(cond_uses_regex_param(c, "weak"));
	json_object_set_new(params, "evil", json_string("^a+!$"));
	assert_int_equal(cond_refresh_param(c, "evil", params, &e), 0);
	cond_eval(c, f, NULL, params, true, &r);
	assert_int_equal(r.value, TRI_FALSE);
	cond_result_free(&r);
	json_object_set_new(params, "evil", json_string("(a+)+$"));
	assert_int_equal(cond_refresh_param(c, "evil", params, &e), 0);
	cond_free(c);
	json_decref(f);
	free(s);
	/* bad patterns in a parameter are refused with their position */
	f = json_pack("[s,s]", "ok", "a(b");
	assert_int_equal(cond_check_patterns(f, &e), -1);
	assert_non_null(strstr(e.en, "pattern 2"));
	json_decref(f);
}

static void
expect_evidence(const char *text, enum tri want, const char *ev)
{
	char *got = NULL;
	enum tri t = eval_ev(text, &got, NULL);

	if (got == NULL || strcmp(got, ev) != 0)
		fprintf(stderr, "evidence of %s:\n got  %s\n want %s\n", text,
		    got ? got : "(null)", ev);
	assert_int_equal(t, want);
	assert_non_null(got);
	assert_string_equal(got, ev);
	free(got);
}

static void
test_evidence(void **state)
{
	char *got;

	(void)state;
	expect_evidence("ssh.permit_root_login == \"no\"", TRI_FALSE,
	    "ssh.permit_root_login = \"yes\"");
	expect_evidence("ssh.max_auth_tries <= param.max_tries", TRI_FALSE,
	    "ssh.max_auth_tries = 6 | param.max_tries = 4");
	expect_evidence("ssh.log_level == \"x\"", TRI_FALSE,
	    "ssh.log_level = \"VERBOSE\\\"\\n\"");
	expect_evidence("ssh.x11_forwarding or ssh.password_authentication == "
	    "false", TRI_FALSE, "ssh.x11_forwarding = false | "
	    "ssh.password_authentication = true");
	/* and: only the false side */
	expect_evidence("ssh.password_authentication and ssh.max_auth_tries < "
	    "5", TRI_FALSE, "ssh.max_auth_tries = 6");
	expect_evidence("all u in accounts.users: u.uid != 0 and u.password != "
	    "\"empty\"", TRI_FALSE, "accounts.users: root (uid = 0, password "
	    "= \"locked\"); toor (uid = 0, password = \"set\"); ketoan (uid = "
	    "1001, password = \"empty\")");
	expect_evidence("none u in accounts.users: u.password == \"empty\"",
	    TRI_FALSE, "accounts.users: ketoan (password = \"empty\")");
	expect_evidence("any u in accounts.users: u.uid == 7", TRI_FALSE,
	    "accounts.users: 0/5 matched: root (uid = 0); toor (uid = 0); "
	    "ketoan (uid = 1001); nguyenvana (uid = 1002); guest (uid = 1003)");
	expect_evidence("any u in accounts.users where u.admin: u.uid == 7",
	    TRI_FALSE, "accounts.users: 0/3 matched: root (admin = true, uid = "
	    "0); toor (admin = true, uid = 0); ketoan (admin = true, uid = "
	    "1001)");
	expect_evidence("none c in ssh.ciphers: c =~ param.weak", TRI_FALSE,
	    "ssh.ciphers: \"aes256-cbc\"; \"3des-cbc\"");
	expect_evidence("count(u in accounts.users: u.uid == 0) == 1",
	    TRI_FALSE, "count(u in accounts.users: u.uid == 0) = 2: root "
	    "(uid = 0); toor (uid = 0)");
	expect_evidence("count(ssh.ciphers) <= 2", TRI_FALSE,
	    "count(ssh.ciphers) = 3: \"aes128-ctr\"; \"aes256-cbc\"; "
	    "\"3des-cbc\"");
	expect_evidence("none u in accounts.users: u.name == \"x\"", TRI_TRUE,
	    "accounts.users: 0/5 matched");
	expect_evidence("22 in ssh.ports", TRI_TRUE, "ssh.ports = [22]");
	expect_evidence("any n in wifi.networks: n.security == \"open\"",
	    TRI_FALSE, "wifi.networks: []");
	/* long strings are cut at 200 bytes */
	got = NULL;
	assert_int_equal(eval_ev("system.hostname == \"x\"", &got, NULL),
	    TRI_FALSE);
	assert_non_null(got);
	assert_int_equal(strlen(got), strlen("system.hostname = \"\"") + 200 +
	    strlen("…"));
	assert_non_null(strstr(got, "a…\""));
	free(got);
}

static void
test_evidence_many(void **state)
{
	json_t *f = json_pack("{s:{s:[]}}", "accounts", "users");
	json_t *users = json_object_get(json_object_get(f, "accounts"),
	    "users");
	struct cond_error e;
	struct cond *c;
	struct cond_result r;
	int i;

	(void)state;
	for (i = 0; i < 25; i++) {
		char name[16];

		snprintf(name, sizeof(name), "u%02d", i);
		json_array_append_new(users, json_pack("{s:s, s:i}", "name",
		    name, "uid", 0));
	}
	c = cond_parse("all u in accounts.users: u.uid != 0", 35, &env, &e);
	assert_non_null(c);
	cond_eval(c, f, NULL, params, true, &r);
	assert_int_equal(r.value, TRI_FALSE);
	assert_non_null(r.evidence);
	assert_non_null(strstr(r.evidence, "accounts.users: u00 (uid = 0); "));
	assert_non_null(strstr(r.evidence, "u19 (uid = 0); và 5 mục khác / "
	    "and 5 more"));
	assert_null(strstr(r.evidence, "u20"));
	cond_result_free(&r);
	/* a fact of the wrong type is unknown, never a pass */
	json_object_set_new(json_array_get(users, 3), "uid", json_string("0"));
	cond_eval(c, f, NULL, params, true, &r);
	assert_int_equal(r.value, TRI_FALSE);
	cond_result_free(&r);
	cond_free(c);
	c = cond_parse("any u in accounts.users: u.uid == 5", 35, &env, &e);
	cond_eval(c, f, NULL, params, true, &r);
	assert_int_equal(r.value, TRI_UNKNOWN);
	assert_non_null(strstr(r.error_en, "accounts.users.uid"));
	cond_result_free(&r);
	cond_free(c);
	json_decref(f);
}

/* A fact marked unavailable is unknown; a marked list is partial: an item
 * that settles the answer decides it, the absence of one never does. */
static void
test_partial(void **state)
{
	char *missing = NULL;

	(void)state;
	unavail = json_pack("{s:{s:s}}", "accounts.users", "status", "error");
	assert_int_equal(eval_ev("none u in accounts.users: u.password == "
	    "\"empty\"", NULL, NULL), TRI_FALSE);
	assert_int_equal(eval_ev("any u in accounts.users: u.uid == 0", NULL,
	    NULL), TRI_TRUE);
	assert_int_equal(eval_ev("none u in accounts.users: u.name == "
	    "\"nobody\"", NULL, &missing), TRI_UNKNOWN);
	assert_string_equal(missing, "accounts.users");
	free(missing);
	assert_int_equal(eval_ev("all u in accounts.users: u.uid >= 0", NULL,
	    NULL), TRI_UNKNOWN);
	assert_int_equal(eval_ev("count(accounts.users) == 5", NULL, NULL),
	    TRI_UNKNOWN);
	assert_int_equal(eval_ev("count(u in accounts.users: u.uid == 0) >= 1",
	    NULL, NULL), TRI_UNKNOWN);
	json_decref(unavail);

	unavail = json_pack("{s:{s:s}}", "ssh", "status", "error");
	assert_int_equal(eval_ev("\"3des-cbc\" in ssh.ciphers", NULL, NULL),
	    TRI_TRUE);
	assert_int_equal(eval_ev("\"none-such\" in ssh.ciphers", NULL,
	    NULL), TRI_UNKNOWN);
	assert_int_equal(eval_ev("\"none-such\" not in ssh.ciphers", NULL,
	    NULL), TRI_UNKNOWN);
	assert_int_equal(eval_ev("ssh.max_auth_tries < 5", NULL, NULL),
	    TRI_UNKNOWN);
	json_decref(unavail);

	unavail = json_pack("{s:{s:s}}", "accounts.users.password", "status",
	    "error");
	assert_int_equal(eval_ev("none u in accounts.users: u.password == "
	    "\"empty\"", NULL, NULL), TRI_UNKNOWN);
	assert_int_equal(eval_ev("none u in accounts.users: u.uid == 99",
	    NULL, NULL), TRI_TRUE);
	json_decref(unavail);
	unavail = NULL;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept),
		cmocka_unit_test(test_refuse),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_kleene),
		cmocka_unit_test(test_quantifiers),
		cmocka_unit_test(test_regex),
		cmocka_unit_test(test_regex_limit),
		cmocka_unit_test(test_evidence),
		cmocka_unit_test(test_evidence_many),
		cmocka_unit_test(test_partial),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
