/*
 * test_ssh.c — the ssh collector over the weak, hardened and malformed
 * fixture trees and small trees made here (Include loop, no server), and
 * collect_ssh_parse() on buffers: defaults, first value wins, Match,
 * algorithm list modifiers, time values, garbage.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "agent/acct.h"
#include "lib/file.h"
#include "lib/json.h"

static void
services(struct collect_ctx *ctx, const char *unit)
{
	json_object_set_new(ctx->facts, "services", json_pack(
	    "{s:[s, s], s:[]}", "enabled", "cron.service", unit, "active"));
}

static json_t *
list(json_t *sec, const char *key)
{
	json_t *l = json_object_get(sec, key);

	assert_true(json_is_array(l));
	return l;
}

static const char *
item(json_t *l, size_t i)
{
	return json_string_value(json_array_get(l, i));
}

static void
test_weak(void **state)
{
	struct collect_ctx ctx;
	json_t *s, *c;

	(void)state;
	testutil_ctx(&ctx, "weak", NULL);
	services(&ctx, "ssh.service");
	collect_ssh(&ctx);
	s = testutil_fact(&ctx, "ssh");
	assert_true(json_bool(s, "installed", false));
	assert_true(json_bool(s, "enabled", false));
	/* the included file comes first: its value wins */
	assert_string_equal(json_str(s, "permit_root_login", ""), "yes");
	assert_int_equal(json_int(s, "login_grace_time", 0), 300);
	assert_true(json_bool(s, "password_authentication", false));
	assert_false(json_bool(s, "kbd_interactive_authentication", true));
	assert_true(json_bool(s, "permit_empty_passwords", false));
	assert_true(json_bool(s, "pubkey_authentication", false));
	assert_int_equal(json_int(s, "max_auth_tries", 0), 10);
	assert_int_equal(json_int(s, "client_alive_interval", -1), 0);
	assert_int_equal(json_int(s, "client_alive_count_max", -1), 3);
	/* the Match User guest block does not change the global values */
	assert_true(json_bool(s, "x11_forwarding", false));
	assert_string_equal(json_str(s, "allow_tcp_forwarding", ""), "yes");
	assert_false(json_bool(s, "permit_user_environment", true));
	assert_string_equal(json_str(s, "log_level", ""), "INFO");
	assert_int_equal(json_array_size(list(s, "ports")), 1);
	assert_int_equal(json_integer_value(json_array_get(list(s, "ports"),
	    0)), 22);
	c = list(s, "ciphers");
	assert_int_equal(json_array_size(c), 8);
	assert_string_equal(item(c, 0), "chacha20-poly1305@openssh.com");
	assert_string_equal(item(c, 6), "aes128-cbc");
	assert_string_equal(item(c, 7), "3des-cbc");
	assert_int_equal(json_array_size(list(s, "macs")), 10);
	assert_string_equal(item(list(s, "kex"), 0),
	    "sntrup761x25519-sha512@openssh.com");
	assert_int_equal(json_array_size(list(s, "allow_users")), 0);
	assert_int_equal(json_object_size(ctx.unavailable), 0);
	testutil_ctx_free(&ctx);
}

static void
test_hardened(void **state)
{
	struct collect_ctx ctx;
	json_t *s, *u;

	(void)state;
	testutil_ctx(&ctx, "hardened", NULL);
	services(&ctx, "sshd.service");
	collect_ssh(&ctx);
	s = testutil_fact(&ctx, "ssh");
	assert_true(json_bool(s, "enabled", false));
	assert_string_equal(json_str(s, "permit_root_login", ""), "no");
	assert_false(json_bool(s, "password_authentication", true));
	assert_false(json_bool(s, "kbd_interactive_authentication", true));
	assert_false(json_bool(s, "permit_empty_passwords", true));
	assert_int_equal(json_int(s, "max_auth_tries", 0), 3);
	assert_int_equal(json_int(s, "login_grace_time", 0), 30);
	assert_int_equal(json_int(s, "client_alive_interval", 0), 300);
	assert_int_equal(json_int(s, "client_alive_count_max", 0), 2);
	assert_false(json_bool(s, "x11_forwarding", true));
	/* "local" is only for the management network (Match Address) */
	assert_string_equal(json_str(s, "allow_tcp_forwarding", ""), "no");
	assert_string_equal(json_str(s, "log_level", ""), "VERBOSE");
	assert_int_equal(json_array_size(list(s, "ciphers")), 3);
	assert_string_equal(item(list(s, "macs"), 1),
	    "hmac-sha2-256-etm@openssh.com");
	assert_int_equal(json_array_size(list(s, "kex")), 3);
	u = list(s, "allow_users");
	assert_int_equal(json_array_size(u), 2);
	assert_string_equal(item(u, 0), "nguyenvana");
	assert_string_equal(item(u, 1), "tranthib");
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
	services(&ctx, "ssh.service");
	collect_ssh(&ctx);
	assert_string_equal(testutil_unavailable(&ctx, "ssh"), "error");
	u = json_object_get(json_object_get(ctx.unavailable, "ssh"), "reason");
	assert_non_null(strstr(json_str(u, "en", ""),
	    "/etc/ssh/sshd_config:3:"));
	assert_non_null(strstr(json_str(u, "vi", ""), "nhị phân"));
	assert_null(testutil_fact(&ctx, "ssh.permit_root_login"));
	testutil_ctx_free(&ctx);
}

/* A context over a tree made in a temporary directory. */
static char tmproot[64];

static void
write_file(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmproot, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
tmp_ctx(struct collect_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->root = tmproot;
	ctx->rootfd = file_root_open(tmproot);
	assert_true(ctx->rootfd >= 0);
	ctx->privileged = geteuid() == 0;
	ctx->now = time(NULL);
	ctx->facts = json_object();
	ctx->unavailable = json_object();
}

static void
tmp_free(struct collect_ctx *ctx)
{
	char cmd[128];

	close(ctx->rootfd);
	json_decref(ctx->facts);
	json_decref(ctx->unavailable);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmproot);
	assert_int_equal(system(cmd), 0);
}

static void
make_tree(void)
{
	char path[256];

	strcpy(tmproot, "/tmp/cg-ssh-XXXXXX");
	assert_non_null(mkdtemp(tmproot));
	snprintf(path, sizeof(path), "%s/etc", tmproot);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/etc/ssh", tmproot);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/etc/ssh/sshd_config.d", tmproot);
	assert_int_equal(mkdir(path, 0755), 0);
}

static void
test_include_loop(void **state)
{
	struct collect_ctx ctx;
	json_t *u;

	(void)state;
	make_tree();
	write_file("etc/ssh/sshd_config", "Include sshd_config.d/*.conf\n");
	write_file("etc/ssh/sshd_config.d/a.conf",
	    "# includes itself\nInclude /etc/ssh/sshd_config.d/a.conf\n");
	tmp_ctx(&ctx);
	services(&ctx, "ssh.service");
	collect_ssh(&ctx);
	assert_string_equal(testutil_unavailable(&ctx, "ssh"), "error");
	u = json_object_get(json_object_get(ctx.unavailable, "ssh"), "reason");
	assert_non_null(strstr(json_str(u, "en", ""), "a.conf:2:"));
	assert_non_null(strstr(json_str(u, "en", ""), "too deep"));
	tmp_free(&ctx);
}

static void
test_include_order(void **state)
{
	struct collect_ctx ctx;
	json_t *s;

	(void)state;
	make_tree();
	write_file("etc/ssh/sshd_config",
	    "Match User x\nPermitRootLogin yes\n"
	    "Match all\n"
	    "Include sshd_config.d/*.conf\n"
	    "MaxAuthTries 2\n");
	write_file("etc/ssh/sshd_config.d/10-a.conf", "MaxAuthTries 4\n"
	    "Match User y\nPasswordAuthentication no\n");
	write_file("etc/ssh/sshd_config.d/20-b.conf",
	    "MaxAuthTries 5\nPasswordAuthentication yes\n");
	write_file("etc/ssh/sshd_config.d/30-c.txt", "MaxAuthTries 9\n");
	write_file("etc/ssh/sshd_config.d/.40-hidden.conf", "Port 9\n");
	tmp_ctx(&ctx);
	collect_ssh(&ctx);
	s = testutil_fact(&ctx, "ssh");
	/* Match all applies to everyone; 10-a.conf is read first */
	assert_int_equal(json_int(s, "max_auth_tries", 0), 4);
	/* the Match in 10-a.conf ends with its file */
	assert_true(json_bool(s, "password_authentication", false));
	assert_string_equal(json_str(s, "permit_root_login", ""),
	    "prohibit-password");
	assert_int_equal(json_integer_value(json_array_get(
	    json_object_get(s, "ports"), 0)), 22);
	/* no services facts: enabled is unknown, not false */
	assert_string_equal(testutil_unavailable(&ctx, "ssh.enabled"),
	    "error");
	assert_null(json_object_get(s, "enabled"));
	tmp_free(&ctx);
}

static void
test_not_installed(void **state)
{
	struct collect_ctx ctx;
	json_t *s;

	(void)state;
	make_tree();
	tmp_ctx(&ctx);
	services(&ctx, "cron.service");
	collect_ssh(&ctx);
	s = testutil_fact(&ctx, "ssh");
	assert_false(json_bool(s, "installed", true));
	assert_false(json_bool(s, "enabled", true));
	assert_string_equal(testutil_unavailable(&ctx, "ssh.ports"), "na");
	assert_string_equal(testutil_unavailable(&ctx,
	    "ssh.permit_root_login"), "na");
	tmp_free(&ctx);
}

static json_t *
parse(const char *text)
{
	char err[512];
	json_t *s = collect_ssh_parse(text, strlen(text), err, sizeof(err));

	if (s == NULL)
		fprintf(stderr, "parse: %s\n", err);
	assert_non_null(s);
	return s;
}

static void
test_buffer(void **state)
{
	json_t *s;
	char err[512];
	const char nul[] = "Port 22\nPermitRootLogin\0 no\n";

	(void)state;
	s = parse("");
	assert_string_equal(json_str(s, "permit_root_login", ""),
	    "prohibit-password");
	assert_true(json_bool(s, "kbd_interactive_authentication", false));
	assert_int_equal(json_int(s, "login_grace_time", 0), 120);
	assert_int_equal(json_int(s, "max_auth_tries", 0), 6);
	assert_int_equal(json_array_size(json_object_get(s, "ciphers")), 6);
	json_decref(s);

	s = parse("permitrootlogin WITHOUT-PASSWORD\n"
	    "ChallengeResponseAuthentication no\n"
	    "KbdInteractiveAuthentication yes\n"
	    "LoginGraceTime=1h30m\n"
	    "ClientAliveInterval = 2m\n"
	    "Port 2222\nPort 22\n"
	    "Ciphers -aes*-ctr\n"
	    "MACs ^hmac-sha2-512,umac-64@openssh.com\n"
	    "KexAlgorithms curve25519-sha256\n"
	    "AllowUsers a b@10.0.0.1\nAllowGroups admins\n"
	    "PermitUserEnvironment LANG,LC_*\n"
	    "LogLevel debug3  # trailing comment\n");
	assert_string_equal(json_str(s, "permit_root_login", ""),
	    "prohibit-password");
	assert_false(json_bool(s, "kbd_interactive_authentication", true));
	assert_int_equal(json_int(s, "login_grace_time", 0), 5400);
	assert_int_equal(json_int(s, "client_alive_interval", 0), 120);
	assert_int_equal(json_array_size(json_object_get(s, "ports")), 2);
	assert_int_equal(json_integer_value(json_array_get(
	    json_object_get(s, "ports"), 0)), 2222);
	assert_int_equal(json_array_size(json_object_get(s, "ciphers")), 3);
	assert_string_equal(item(json_object_get(s, "ciphers"), 1),
	    "aes128-gcm@openssh.com");
	assert_int_equal(json_array_size(json_object_get(s, "macs")), 10);
	assert_string_equal(item(json_object_get(s, "macs"), 0),
	    "hmac-sha2-512");
	assert_string_equal(item(json_object_get(s, "macs"), 1),
	    "umac-64@openssh.com");
	assert_int_equal(json_array_size(json_object_get(s, "kex")), 1);
	assert_int_equal(json_array_size(json_object_get(s, "allow_users")), 3);
	assert_string_equal(item(json_object_get(s, "allow_users"), 2),
	    "%admins");
	assert_true(json_bool(s, "permit_user_environment", false));
	assert_string_equal(json_str(s, "log_level", ""), "DEBUG3");
	json_decref(s);

	s = parse("ListenAddress 10.0.0.1:2200\nListenAddress [::1]:2201\n"
	    "Port 22\n");
	assert_int_equal(json_array_size(json_object_get(s, "ports")), 2);
	assert_int_equal(json_integer_value(json_array_get(
	    json_object_get(s, "ports"), 1)), 2201);
	json_decref(s);

	assert_null(collect_ssh_parse(nul, sizeof(nul) - 1, err, sizeof(err)));
	assert_non_null(strstr(err, "line 2"));
	assert_null(collect_ssh_parse("MaxAuthTries many\n", 18, err,
	    sizeof(err)));
	assert_non_null(strstr(err, "line 1"));
	assert_null(collect_ssh_parse("\n\nX11Forwarding maybe\n", 22, err,
	    sizeof(err)));
	assert_non_null(strstr(err, "line 3"));
	assert_null(collect_ssh_parse("Ciphers aes128-ctr,,x\n", 22, err,
	    sizeof(err)));
	assert_null(collect_ssh_parse("Port 70000\n", 11, err, sizeof(err)));
	assert_null(collect_ssh_parse("Banner \"open\n", 13, err,
	    sizeof(err)));
	assert_null(collect_ssh_parse("Match\n", 6, err, sizeof(err)));
}

static void
test_time(void **state)
{
	(void)state;
	assert_int_equal(collect_ssh_time("90"), 90);
	assert_int_equal(collect_ssh_time("2m"), 120);
	assert_int_equal(collect_ssh_time("1h30m"), 5400);
	assert_int_equal(collect_ssh_time("1w1d1s"), 691201);
	assert_int_equal(collect_ssh_time("0"), 0);
	assert_int_equal(collect_ssh_time(""), -1);
	assert_int_equal(collect_ssh_time("10q"), -1);
	assert_int_equal(collect_ssh_time("m"), -1);
	assert_int_equal(collect_ssh_time("99999999999"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weak),
		cmocka_unit_test(test_hardened),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_include_loop),
		cmocka_unit_test(test_include_order),
		cmocka_unit_test(test_not_installed),
		cmocka_unit_test(test_buffer),
		cmocka_unit_test(test_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
