/*
 * test_accounts.c — the accounts collector over the weak, hardened and
 * malformed fixture trees (tests/fixtures/README.md), its buffer parsers,
 * and /etc/shadow read without root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "agent/acct.h"
#include "lib/json.h"

static json_t *
user(struct collect_ctx *ctx, const char *name)
{
	json_t *u = testutil_item(testutil_fact(ctx, "accounts.users"), "name",
	    name);

	assert_non_null(u);
	return u;
}

static void
assert_user(json_t *u, const char *password, const char *hash,
    long long age, bool admin, bool human, long long last)
{
	assert_string_equal(json_str(u, "password", "?"), password);
	assert_string_equal(json_str(u, "hash", "?"), hash);
	assert_int_equal(json_int(u, "password_age_days", -99), age);
	assert_int_equal(json_bool(u, "admin", !admin), admin);
	assert_int_equal(json_bool(u, "human", !human), human);
	assert_int_equal(json_int(u, "last_login_days", -99), last);
}

static bool
has_member(json_t *g, const char *name)
{
	json_t *m;
	size_t i;

	json_array_foreach(json_object_get(g, "members"), i, m)
		if (strcmp(json_string_value(m), name) == 0)
			return true;
	return false;
}

static void
test_weak(void **state)
{
	struct collect_ctx ctx;
	json_t *u, *g;

	(void)state;
	testutil_ctx(&ctx, "weak", NULL);
	collect_accounts(&ctx);
	assert_int_equal(json_integer_value(testutil_fact(&ctx,
	    "accounts.uid_min")), 1000);
	/* root: sha512, 500 days; lastlog 30 days ago */
	assert_user(user(&ctx, "root"), "set", "sha512", 500, true, false, 30);
	/* toor: a second uid 0, md5; its wtmp login (10 days) is newer */
	assert_user(user(&ctx, "toor"), "set", "md5", 700, true, false, 10);
	assert_user(user(&ctx, "quantri"), "set", "yescrypt", 400, true, true,
	    2);
	assert_user(user(&ctx, "ketoan"), "empty", "", 60, true, true, 0);
	/* lastlog 120 days wins over an older wtmp record (150) */
	assert_user(user(&ctx, "nguyenvana"), "set", "yescrypt", 100, false,
	    true, 120);
	assert_user(user(&ctx, "guest"), "set", "des", 250, false, true, -1);
	u = user(&ctx, "nguyenvana");
	assert_int_equal(json_int(u, "uid", -1), 1002);
	assert_int_equal(json_int(u, "gid", -1), 1002);
	assert_string_equal(json_str(u, "home", ""), "/home/nguyenvana");
	assert_string_equal(json_str(u, "shell", ""), "/bin/bash");
	assert_int_equal(json_int(u, "password_max_days", 0), -1);
	assert_false(json_bool(u, "expired", true));
	assert_false(json_bool(u, "disabled", true));
	assert_null(json_object_get(u, "pw"));
	u = user(&ctx, "daemon");
	assert_false(json_bool(u, "can_login", true));
	assert_string_equal(json_str(u, "password", ""), "locked");
	assert_true(json_bool(u, "disabled", false));
	assert_false(json_bool(user(&ctx, "sync"), "can_login", true));
	assert_false(json_bool(user(&ctx, "lightdm"), "can_login", true));
	assert_true(json_bool(user(&ctx, "guest"), "can_login", false));
	g = testutil_item(testutil_fact(&ctx, "accounts.groups"), "name",
	    "sudo");
	assert_non_null(g);
	assert_int_equal(json_int(g, "gid", -1), 27);
	assert_true(has_member(g, "quantri"));
	assert_true(has_member(g, "ketoan"));
	assert_false(has_member(g, "guest"));
	g = testutil_item(testutil_fact(&ctx, "accounts.groups"), "name",
	    "nogroup");
	assert_true(has_member(g, "nobody"));	/* primary group */
	assert_true(has_member(g, "sshd"));
	assert_int_equal(json_object_size(ctx.unavailable), 0);
	testutil_ctx_free(&ctx);
}

static void
test_hardened(void **state)
{
	struct collect_ctx ctx;
	json_t *u;

	(void)state;
	testutil_ctx(&ctx, "hardened", NULL);
	collect_accounts(&ctx);
	u = user(&ctx, "root");
	assert_string_equal(json_str(u, "password", ""), "locked");
	assert_true(json_bool(u, "disabled", false));
	assert_int_equal(json_int(u, "last_login_days", -99), -1);
	assert_user(user(&ctx, "nguyenvana"), "set", "yescrypt", 20, true,
	    true, 1);
	assert_user(user(&ctx, "tranthib"), "set", "yescrypt", 30, false,
	    true, 2);
	assert_int_equal(json_int(user(&ctx, "tranthib"), "password_max_days",
	    0), 90);
	assert_false(json_bool(user(&ctx, "Debian-gdm"), "human", true));
	assert_int_equal(json_object_size(ctx.unavailable), 0);
	testutil_ctx_free(&ctx);
}

static void
test_malformed(void **state)
{
	struct collect_ctx ctx;
	json_t *users;

	(void)state;
	testutil_ctx(&ctx, "malformed", NULL);
	collect_accounts(&ctx);
	/* the garbage line is reported; the good lines are still read */
	assert_string_equal(testutil_unavailable(&ctx, "accounts.users"),
	    "error");
	users = testutil_fact(&ctx, "accounts.users");
	assert_non_null(testutil_item(users, "name", "root"));
	assert_non_null(testutil_item(users, "name", "hong"));
	assert_non_null(testutil_item(users, "name", "tail"));
	assert_null(testutil_item(users, "name", "broken"));
	/* a 17 MB /etc/group: refused, and admin rights are then unknown */
	assert_string_equal(testutil_unavailable(&ctx, "accounts.groups"),
	    "error");
	assert_string_equal(testutil_unavailable(&ctx,
	    "accounts.users.admin"), "error");
	/* truncated and overlong shadow lines */
	assert_string_equal(testutil_unavailable(&ctx,
	    "accounts.users.password"), "error");
	assert_string_equal(testutil_unavailable(&ctx,
	    "accounts.users.password_age_days"), "error");
	/* root's line is fine, hong's (bad lastchg) gives no guess */
	assert_string_equal(json_str(testutil_item(users, "name", "root"),
	    "hash", ""), "yescrypt");
	assert_null(json_object_get(testutil_item(users, "name", "hong"),
	    "password"));
	/* a lastlog shorter than one record */
	assert_string_equal(testutil_unavailable(&ctx,
	    "accounts.users.last_login_days"), "error");
	assert_null(json_object_get(testutil_item(users, "name", "root"),
	    "last_login_days"));
	testutil_ctx_free(&ctx);
}

/* In a child that is not root: /etc/shadow (0640 root) cannot be read. */
static int
unprivileged_run(void)
{
	struct collect_ctx ctx;
	json_t *u, *r;
	int ok;

	testutil_ctx(&ctx, "weak", NULL);
	collect_accounts(&ctx);
	u = json_object_get(ctx.unavailable, "accounts.users.password");
	r = json_object_get(u, "reason");
	ok = u != NULL && !ctx.privileged &&
	    strcmp(json_str(u, "status", ""), "error") == 0 &&
	    strstr(json_str(r, "en", ""), "needs root") != NULL &&
	    strstr(json_str(r, "vi", ""), "cần quyền root") != NULL &&
	    testutil_unavailable(&ctx, "accounts.users.hash") != NULL &&
	    testutil_unavailable(&ctx, "accounts.users.disabled") != NULL &&
	    testutil_unavailable(&ctx, "accounts.users.uid") == NULL &&
	    json_object_get(testutil_item(testutil_fact(&ctx,
	    "accounts.users"), "name", "quantri"), "password") == NULL &&
	    json_int(testutil_item(testutil_fact(&ctx, "accounts.users"),
	    "name", "quantri"), "last_login_days", -99) == 2;
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
	snprintf(path, sizeof(path), "%s/etc/shadow", testutil_tree("weak"));
	if (geteuid() != 0) {
		/* not root: a mode 000 shadow is unreadable to us */
		assert_int_equal(chmod(path, 0), 0);
		st = unprivileged_run();
		chmod(path, 0640);
		assert_true(st);
		return;
	}
	assert_int_equal(testutil_as_nobody(unprivileged_child), 0);
}

static void
test_hash(void **state)
{
	const char *s, *m;

	(void)state;
	collect_accounts_hash("", &s, &m);
	assert_string_equal(s, "empty");
	assert_string_equal(m, "");
	collect_accounts_hash("!$y$j9T$a$b", &s, &m);
	assert_string_equal(s, "locked");
	assert_string_equal(m, "yescrypt");
	collect_accounts_hash("*", &s, &m);
	assert_string_equal(s, "locked");
	collect_accounts_hash("$2b$12$abc", &s, &m);
	assert_string_equal(m, "bcrypt");
	collect_accounts_hash("$5$x$y", &s, &m);
	assert_string_equal(m, "sha256");
	collect_accounts_hash("x", &s, &m);	/* never matches a password */
	assert_string_equal(s, "locked");
	collect_accounts_hash("$gy$j9T$a$b", &s, &m);
	assert_string_equal(s, "set");
	assert_string_equal(m, "");
	collect_accounts_hash("abJnggxhB/yW!", &s, &m);
	assert_string_equal(m, "");
}

static void
test_shadow_buffer(void **state)
{
	const char *text =
	    "a:$6$s$h:0:0:99999:7:::\n"		/* must change: age unknown */
	    "b:$6$s$h:19990:0:60:7::20000:\n"	/* expired on day 20000 */
	    "c:$6$s$h::::::20100:\n"		/* expires later */
	    "d:$6$s$h:20001:\n";		/* truncated */
	json_t *m;
	int line;

	(void)state;
	m = collect_accounts_parse_shadow(text, strlen(text), 20005, &line);
	assert_int_equal(line, 4);
	assert_int_equal(json_int(json_object_get(m, "a"),
	    "password_age_days", 0), -1);
	assert_int_equal(json_int(json_object_get(m, "a"),
	    "password_max_days", 0), -1);
	assert_int_equal(json_int(json_object_get(m, "b"),
	    "password_age_days", 0), 15);
	assert_int_equal(json_int(json_object_get(m, "b"),
	    "password_max_days", 0), 60);
	assert_true(json_bool(json_object_get(m, "b"), "expired", false));
	assert_true(json_bool(json_object_get(m, "b"), "disabled", false));
	assert_false(json_bool(json_object_get(m, "c"), "expired", true));
	assert_null(json_object_get(m, "d"));
	json_decref(m);
}

static void
test_passwd_group_buffer(void **state)
{
	const char *pw = "a:x:0:0::/root:/bin/sh\n"
	    "b:x:-1:0::/:/bin/sh\n"
	    "c:x:5:5::/:/bin/sh:extra\n"
	    "+nis::::::\n"
	    "d:x:4294967295:1::/:/bin/sh\n";
	const char *gr = "wheel:x:10:a,b\nbad:x:ten:\nempty:x:11:\n";
	json_t *l;
	int line;

	(void)state;
	l = collect_accounts_parse_passwd(pw, strlen(pw), &line);
	assert_int_equal(line, 2);
	assert_int_equal(json_array_size(l), 1);
	json_decref(l);
	l = collect_accounts_parse_group(gr, strlen(gr), &line);
	assert_int_equal(line, 2);
	assert_int_equal(json_array_size(l), 2);
	assert_int_equal(json_array_size(json_object_get(json_array_get(l, 0),
	    "members")), 2);
	json_decref(l);
}

static void
test_login_records(void **state)
{
	unsigned char ll[3 * ACCT_LASTLOG_SIZE] = {0};
	unsigned char ut[2 * ACCT_UTMP_SIZE + 100] = {0};
	int32_t t = 1700000000;
	int16_t type = 7;
	json_t *last = json_object();

	(void)state;
	memcpy(ll + 2 * ACCT_LASTLOG_SIZE, &t, 4);
	assert_int_equal(collect_accounts_lastlog(ll, sizeof(ll), 2), t);
	assert_int_equal(collect_accounts_lastlog(ll, sizeof(ll), 1), 0);
	assert_int_equal(collect_accounts_lastlog(ll, sizeof(ll), 99), 0);
	assert_int_equal(collect_accounts_lastlog(ll, 100, 0), -1);
	memcpy(ut, &type, 2);
	memcpy(ut + 44, "hong", 4);
	memcpy(ut + 340, &t, 4);
	memcpy(ut + ACCT_UTMP_SIZE, &type, 2);
	memcpy(ut + ACCT_UTMP_SIZE + 44, "hong", 4);
	t -= 100;				/* older: ignored */
	memcpy(ut + ACCT_UTMP_SIZE + 340, &t, 4);
	assert_int_equal(collect_accounts_wtmp(ut, sizeof(ut), last), 2);
	assert_int_equal(json_integer_value(json_object_get(last, "hong")),
	    1700000000);
	json_decref(last);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weak),
		cmocka_unit_test(test_hardened),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_needs_root),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_shadow_buffer),
		cmocka_unit_test(test_passwd_group_buffer),
		cmocka_unit_test(test_login_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
