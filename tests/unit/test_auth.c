/*
 * test_auth.c — the auth collector (login.defs, useradd, PAM, sudoers)
 * over the weak, hardened and malformed fixture trees, its buffer parsers,
 * and sudoers read without root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "lib/text.h"
#include "agent/acct.h"
#include "lib/json.h"

static long long
fint(struct collect_ctx *ctx, const char *path)
{
	json_t *v = testutil_fact(ctx, path);

	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static const char *
fstr(struct collect_ctx *ctx, const char *path)
{
	json_t *v = testutil_fact(ctx, path);

	assert_true(json_is_string(v));
	return json_string_value(v);
}

static bool
fbool(struct collect_ctx *ctx, const char *path)
{
	json_t *v = testutil_fact(ctx, path);

	assert_true(json_is_boolean(v));
	return json_is_true(v);
}

static void
test_weak(void **state)
{
	struct collect_ctx ctx;
	json_t *rules, *r;

	(void)state;
	testutil_ctx(&ctx, "weak", NULL);
	collect_auth(&ctx);
	assert_int_equal(fint(&ctx, "auth.pass_max_days"), -1);
	assert_int_equal(fint(&ctx, "auth.pass_min_days"), 0);
	assert_int_equal(fint(&ctx, "auth.pass_warn_age"), 7);
	assert_string_equal(fstr(&ctx, "auth.encrypt_method"), "SHA512");
	assert_int_equal(fint(&ctx, "auth.inactive_days"), -1);
	assert_int_equal(fint(&ctx, "auth.min_length"), 6);
	assert_int_equal(fint(&ctx, "auth.min_classes"), 0);
	assert_string_equal(fstr(&ctx, "auth.quality_module"), "");
	assert_int_equal(fint(&ctx, "auth.history"), 0);
	assert_string_equal(fstr(&ctx, "auth.lockout_module"), "");
	assert_int_equal(fint(&ctx, "auth.lockout_deny"), 0);
	assert_false(fbool(&ctx, "auth.mfa"));
	assert_true(fbool(&ctx, "auth.nullok"));
	rules = testutil_fact(&ctx, "auth.sudo_rules");
	assert_int_equal(json_array_size(rules), 3);
	r = testutil_item(rules, "who", "quantri");
	assert_non_null(r);
	assert_true(json_bool(r, "nopasswd", false));
	assert_true(json_bool(r, "all", false));
	assert_string_equal(json_str(r, "commands", ""), "ALL");
	assert_string_equal(json_str(r, "file", ""),
	    "/etc/sudoers.d/quantri:2");
	r = testutil_item(rules, "who", "%sudo");
	assert_non_null(r);
	assert_false(json_bool(r, "nopasswd", true));
	assert_true(json_bool(r, "all", false));
	assert_string_equal(json_str(r, "file", ""), "/etc/sudoers:12");
	/* sudoers.d/ketoan.disabled has a '.': sudo skips it */
	assert_null(testutil_item(rules, "who", "ketoan"));
	assert_int_equal(json_object_size(ctx.unavailable), 0);
	testutil_ctx_free(&ctx);
}

static void
test_hardened(void **state)
{
	struct collect_ctx ctx;
	json_t *rules;

	(void)state;
	testutil_ctx(&ctx, "hardened", NULL);
	collect_auth(&ctx);
	assert_int_equal(fint(&ctx, "auth.pass_max_days"), 90);
	assert_int_equal(fint(&ctx, "auth.pass_min_days"), 1);
	assert_int_equal(fint(&ctx, "auth.pass_warn_age"), 14);
	assert_string_equal(fstr(&ctx, "auth.encrypt_method"), "YESCRYPT");
	assert_int_equal(fint(&ctx, "auth.inactive_days"), 30);
	assert_string_equal(fstr(&ctx, "auth.quality_module"),
	    "pam_pwquality");
	assert_int_equal(fint(&ctx, "auth.min_length"), 14);
	assert_int_equal(fint(&ctx, "auth.min_classes"), 4);
	assert_int_equal(fint(&ctx, "auth.history"), 5);
	assert_string_equal(fstr(&ctx, "auth.lockout_module"), "pam_faillock");
	assert_int_equal(fint(&ctx, "auth.lockout_deny"), 5);
	assert_int_equal(fint(&ctx, "auth.lockout_unlock_seconds"), 900);
	assert_false(fbool(&ctx, "auth.mfa"));
	assert_false(fbool(&ctx, "auth.nullok"));
	rules = testutil_fact(&ctx, "auth.sudo_rules");
	assert_int_equal(json_array_size(rules), 1);
	assert_string_equal(json_str(json_array_get(rules, 0), "who", ""),
	    "%sudo");
	assert_int_equal(json_object_size(ctx.unavailable), 0);
	testutil_ctx_free(&ctx);
}

static void
test_malformed(void **state)
{
	struct collect_ctx ctx;
	json_t *u;

	(void)state;
	testutil_ctx(&ctx, "malformed", NULL);
	collect_auth(&ctx);
	/* PASS_MAX_DAYS forever: no guess */
	assert_string_equal(testutil_unavailable(&ctx, "auth.pass_max_days"),
	    "error");
	assert_null(testutil_fact(&ctx, "auth.pass_max_days"));
	assert_int_equal(fint(&ctx, "auth.pass_min_days"), 0);
	/* a PAM line cut short */
	assert_string_equal(testutil_unavailable(&ctx, "auth.min_length"),
	    "error");
	assert_string_equal(testutil_unavailable(&ctx, "auth.nullok"),
	    "error");
	assert_null(testutil_fact(&ctx, "auth.min_length"));
	/* sudoers.d/loop -> ../sudoers, which includes sudoers.d again */
	assert_string_equal(testutil_unavailable(&ctx, "auth.sudo_rules"),
	    "error");
	assert_null(testutil_fact(&ctx, "auth.sudo_rules"));
	u = json_object_get(ctx.unavailable, "auth.sudo_rules");
	assert_non_null(strstr(json_str(json_object_get(u, "reason"), "en",
	    ""), "too deep"));
	testutil_ctx_free(&ctx);
}

static int
unprivileged_run(void)
{
	struct collect_ctx ctx;
	json_t *u;
	int ok;

	testutil_ctx(&ctx, "weak", NULL);
	collect_auth(&ctx);
	u = json_object_get(ctx.unavailable, "auth.sudo_rules");
	ok = u != NULL && strstr(json_str(json_object_get(u, "reason"), "en",
	    ""), "needs root") != NULL &&
	    testutil_fact(&ctx, "auth.sudo_rules") == NULL &&
	    json_integer_value(testutil_fact(&ctx, "auth.min_length")) == 6;
	testutil_ctx_free(&ctx);
	return ok;
}

static int
unprivileged_child(void)
{
	return unprivileged_run() ? 0 : 1;
}

static void
test_needs_root(void **state)
{
	char path[4096];
	int st;

	(void)state;
	snprintf(path, sizeof(path), "%s/etc/sudoers", testutil_tree("weak"));
	if (geteuid() != 0) {
		assert_int_equal(chmod(path, 0), 0);
		st = unprivileged_run();
		chmod(path, 0440);
		assert_true(st);
		return;
	}
	assert_int_equal(testutil_as_nobody(unprivileged_child), 0);
}

static void
test_sudoers_buffer(void **state)
{
	const char *text =
	    "Defaults:ADMINS !lecture\n"
	    "User_Alias ADMINS = alice, %wheel : OPS = carol\n"
	    "Cmnd_Alias EVERY = ALL\n"
	    "# a comment\n"
	    "ADMINS, bob  host1 = (root) NOPASSWD: /usr/bin/apt, \\\n"
	    "    PASSWD: /bin/ls : host2 = /bin/true  # trailing\n"
	    "OPS ALL = EVERY\n"
	    "#1005 ALL = /usr/bin/id\n"
	    "%#10 ALL = /usr/bin/who\n"
	    "#includedir /etc/sudoers.d\n"
	    "@include extra\n";
	json_t *rules = json_array(), *aliases = json_object();
	json_t *inc = json_array(), *r, *g, *gid, *none;
	int line;

	(void)state;
	assert_int_equal(collect_auth_parse_sudoers(text, strlen(text), "s",
	    rules, aliases, inc, &line), 0);
	assert_int_equal(json_array_size(rules), 5);
	r = testutil_item(rules, "who", "ADMINS");
	assert_non_null(r);
	assert_true(json_bool(r, "nopasswd", false));
	assert_false(json_bool(r, "all", true));
	assert_string_equal(json_str(r, "commands", ""),
	    "/usr/bin/apt, /bin/ls, /bin/true");
	assert_string_equal(json_str(r, "file", ""), "s:5");
	assert_non_null(testutil_item(rules, "who", "bob"));
	r = testutil_item(rules, "who", "OPS");
	assert_true(json_bool(r, "all", false));
	assert_non_null(testutil_item(rules, "who", "#1005"));
	assert_int_equal(json_array_size(inc), 2);
	assert_true(json_bool(json_array_get(inc, 0), "dir", false));
	assert_string_equal(json_str(json_array_get(inc, 1), "path", ""),
	    "extra");

	g = json_pack("[s]", "wheel");
	gid = json_pack("[i]", 10);
	none = json_array();
	assert_true(collect_auth_sudo_names(rules, aliases, "alice", 1000,
	    none, none));
	/* %wheel in ADMINS */
	assert_true(collect_auth_sudo_names(rules, aliases, "dave", 1001, g,
	    none));
	assert_true(collect_auth_sudo_names(rules, aliases, "carol", 1002,
	    none, none));
	/* #1005, %#10 */
	assert_true(collect_auth_sudo_names(rules, aliases, "x", 1005, none,
	    none));
	assert_true(collect_auth_sudo_names(rules, aliases, "y", 1, none,
	    gid));
	assert_false(collect_auth_sudo_names(rules, aliases, "eve", 1006,
	    none, none));
	json_decref(none);
	json_decref(g);
	json_decref(gid);
	json_decref(rules);
	json_decref(aliases);
	json_decref(inc);
}

static void
test_sudoers_errors(void **state)
{
	const char *bad[] = {"alice ALL\n", "root ALL = \n",
	    "root ALL = (ALL /bin/ls\n", "a b c = ALL\n",
	    "User_Alias lower = x\n", NULL};
	json_t *rules, *aliases, *inc;
	int i, line;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		rules = json_array();
		aliases = json_object();
		inc = json_array();
		line = 0;
		assert_int_equal(collect_auth_parse_sudoers(bad[i],
		    strlen(bad[i]), "s", rules, aliases, inc, &line), -1);
		assert_int_equal(line, 1);
		json_decref(rules);
		json_decref(aliases);
		json_decref(inc);
	}
}

static void
test_pam_buffer(void **state)
{
	const char *text =
	    "# comment\n"
	    "@include common-auth\n"
	    "-auth [success=ok new_authtok_reqd=ok default=bad] pam_u2f.so \\\n"
	    "   cue [prompt=Touch the key]\n"
	    "password include system-auth\n"
	    "session\n"
	    "bogus required pam_x.so\n";
	json_t *l, *e;
	int line;

	(void)state;
	l = collect_auth_parse_pam(text, strlen(text), &line);
	assert_int_equal(line, 6);
	assert_int_equal(json_array_size(l), 3);
	e = json_array_get(l, 0);
	assert_string_equal(json_str(e, "type", ""), "@include");
	assert_string_equal(json_str(e, "module", ""), "common-auth");
	e = json_array_get(l, 1);
	assert_string_equal(json_str(e, "type", ""), "auth");
	assert_string_equal(json_str(e, "control", ""),
	    "[success=ok new_authtok_reqd=ok default=bad]");
	assert_string_equal(json_str(e, "module", ""), "pam_u2f.so");
	assert_int_equal(json_array_size(json_object_get(e, "args")), 2);
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(e, "args"), 1)), "[prompt=Touch the key]");
	e = json_array_get(l, 2);
	assert_string_equal(json_str(e, "control", ""), "include");
	json_decref(l);
}

static void
test_kv_and_defs(void **state)
{
	const char *kv = "minlen = 12 # comment\nenforce_for_root\n"
	    "dcredit=-1\nbad key = 1\n";
	const char *defs = "PASS_MAX_DAYS 30\n#PASS_MAX_DAYS 1\n"
	    "  PASS_MAX_DAYS\t45  \nPASS_MAX_DAYSX 9\n";
	json_t *o;
	char *v;
	int line;

	(void)state;
	o = collect_auth_parse_kv(kv, strlen(kv), &line);
	assert_int_equal(line, 4);
	assert_string_equal(json_str(o, "minlen", ""), "12");
	assert_string_equal(json_str(o, "enforce_for_root", "x"), "");
	assert_string_equal(json_str(o, "dcredit", ""), "-1");
	json_decref(o);
	v = collect_auth_defs_value(defs, strlen(defs), "PASS_MAX_DAYS");
	assert_string_equal(v, "45");
	free(v);
	assert_null(collect_auth_defs_value(defs, strlen(defs), "UID_MIN"));
}

/* pam_faillock without an "authfail" line counts no failure, so nothing is
 * ever locked: the lockout is not in effect (deny 0), not "deny 5". */
static void
test_faillock_without_authfail(void **state)
{
	struct collect_ctx ctx;
	char src[4096], dst[4096], *cmd;
	json_t *v;

	(void)state;
	snprintf(src, sizeof(src), "%s", testutil_tree("hardened"));
	snprintf(dst, sizeof(dst), "%s", testutil_tree("auth-no-authfail"));
	cmd = text_printf("rm -rf '%s' && cp -a '%s' '%s' && sed -i "
	    "'/authfail/d' '%s/etc/pam.d/common-auth'", dst, src, dst, dst);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	testutil_ctx(&ctx, "auth-no-authfail", NULL);
	collect_auth(&ctx);
	v = testutil_fact(&ctx, "auth.lockout_deny");
	assert_non_null(v);
	assert_int_equal(json_integer_value(v), 0);
	assert_string_equal(json_string_value(testutil_fact(&ctx,
	    "auth.lockout_module")), "pam_faillock");
	testutil_ctx_free(&ctx);
	cmd = text_printf("rm -rf '%s'", dst);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weak),
		cmocka_unit_test(test_hardened),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_needs_root),
		cmocka_unit_test(test_sudoers_buffer),
		cmocka_unit_test(test_sudoers_errors),
		cmocka_unit_test(test_pam_buffer),
		cmocka_unit_test(test_kv_and_defs),
		cmocka_unit_test(test_faillock_without_authfail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
