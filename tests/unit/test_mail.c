/*
 * test_mail.c — the mail collector over the fixture trees: Thunderbird
 * accounts linked to identities and SMTP servers, Evolution sources, the
 * JavaScript escapes of prefs.js, and malformed, huge and non-UTF-8
 * profiles that must give "error" without stopping the others.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "testutil.h"
#include "agent/collect_mail.h"
#include "lib/json.h"

static json_t *
account(struct collect_ctx *ctx, const char *address)
{
	json_t *a = testutil_item(testutil_fact(ctx, "mail.accounts"),
	    "address", address);

	assert_non_null(a);
	return a;
}

static void
test_weak(void **state)
{
	struct collect_ctx ctx;
	json_t *a;

	(void)state;
	testutil_ctx(&ctx, "weak", NULL);
	collect_mail(&ctx);
	assert_int_equal(json_array_size(testutil_fact(&ctx,
	    "mail.accounts")), 3);

	a = account(&ctx, "ketoan.phuong@gmail.com");
	assert_string_equal(json_str(a, "domain", ""), "gmail.com");
	assert_string_equal(json_str(a, "client", ""), "thunderbird");
	assert_string_equal(json_str(a, "user", ""), "ketoan");
	assert_string_equal(json_str(a, "server", ""), "imap.gmail.com");
	assert_string_equal(json_str(a, "server_security", ""), "tls");
	assert_string_equal(json_str(a, "smtp_server", ""), "smtp.gmail.com");
	assert_string_equal(json_str(a, "smtp_security", ""), "tls");
	assert_string_equal(json_str(a, "profile", ""),
	    "/home/ketoan/.thunderbird/k3t0an1x.default-release/prefs.js");

	/* The domain is lower-cased, the address kept as written. */
	a = account(&ctx, "vanthu@ThaiHoa.NgheAn.gov.vn");
	assert_string_equal(json_str(a, "domain", ""),
	    "thaihoa.nghean.gov.vn");
	assert_string_equal(json_str(a, "server", ""),
	    "mail.thaihoa.nghean.gov.vn");
	assert_string_equal(json_str(a, "server_security", ""), "none");
	assert_string_equal(json_str(a, "smtp_server", ""),
	    "mail.thaihoa.nghean.gov.vn");
	assert_string_equal(json_str(a, "smtp_security", ""), "none");

	a = account(&ctx, "NguyenVanA1985@Yahoo.com");
	assert_string_equal(json_str(a, "domain", ""), "yahoo.com");
	assert_string_equal(json_str(a, "client", ""), "evolution");
	assert_string_equal(json_str(a, "user", ""), "nguyenvana");
	assert_string_equal(json_str(a, "server", ""), "imap.mail.yahoo.com");
	assert_string_equal(json_str(a, "server_security", ""), "tls");
	assert_string_equal(json_str(a, "smtp_server", ""),
	    "smtp.mail.yahoo.com");
	assert_string_equal(json_str(a, "smtp_security", ""), "starttls");
	assert_null(testutil_unavailable(&ctx, "mail.accounts"));
	testutil_ctx_free(&ctx);
}

static void
test_hardened(void **state)
{
	struct collect_ctx ctx;
	json_t *a;

	(void)state;
	testutil_ctx(&ctx, "hardened", NULL);
	collect_mail(&ctx);
	assert_int_equal(json_array_size(testutil_fact(&ctx,
	    "mail.accounts")), 1);
	a = account(&ctx, "nguyenvana@thaihoa.nghean.gov.vn");
	assert_string_equal(json_str(a, "domain", ""),
	    "thaihoa.nghean.gov.vn");
	assert_string_equal(json_str(a, "server_security", ""), "tls");
	assert_string_equal(json_str(a, "smtp_security", ""), "tls");
	assert_string_equal(json_str(a, "user", ""), "nguyenvana");
	testutil_ctx_free(&ctx);
}

/* The malformed profiles, under a passwd of our own. */
static void
test_malformed(void **state)
{
	struct collect_ctx ctx;
	char dir[4096], cmd[4 * 4096 + 128];
	const char *u;
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "%s", testutil_tree("mail-malformed"));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s/etc' && "
	    "cp -a '%s/home' '%s/'", dir, dir, testutil_tree("malformed"), dir);
	assert_int_equal(system(cmd), 0);
	strcat(dir, "/etc/passwd");
	assert_non_null(f = fopen(dir, "w"));
	fputs("root:x:0:0:root:/root:/bin/bash\n"
	    "ketoan:x:1001:1001::/home/ketoan:/bin/bash\n"
	    "garbage line without fields\n", f);
	fclose(f);
	testutil_ctx(&ctx, "mail-malformed", NULL);
	collect_mail(&ctx);
	/* The 3 MB line is well formed; it holds no account. */
	assert_int_equal(json_array_size(testutil_fact(&ctx,
	    "mail.accounts")), 0);
	assert_string_equal(testutil_unavailable(&ctx, "mail.accounts"),
	    "error");
	u = json_str(json_object_get(json_object_get(ctx.unavailable,
	    "mail.accounts"), "reason"), "en", "");
	/* The first problem met: the unterminated string at line 3. */
	assert_non_null(strstr(u, "brok3n.default/prefs.js:3"));
	testutil_ctx_free(&ctx);
}

static void
test_prefs_js(void **state)
{
	const char *js = "// c\n/* block\n comment */\n"
	    "user_pref(\"a\", \"K\\u1EBF to\\u00E1n \\\"q\\\" \\\\ \\x41\");\n"
	    "pref('b', -42); sticky_pref(\"c\", true);\n"
	    "user_pref(\"d\", \"\\uD83D\\uDE00\");\n";
	static const char *const bad[] = {
		"user_pref(\"a\", \"open);\n",
		"user_pref(\"a\", 1)\n",
		"user_pref(\"a\" 1);\n",
		"user_pref(\"a\", \"\\q\");\n",
		"user_pref(\"a\", \"\\uD83D\");\n",
		"user_pref(\"a\", \"\\u0000\");\n",
		"user_pref(\"a\", 99999999999999999999);\n",
		"/* never closed\n",
		"alert(1);\n",
		"user_pref(\"a\", \"\xff\");\n",
		NULL
	};
	json_t *p;
	int line;
	size_t i;

	(void)state;
	p = collect_mail_parse_prefs_js(js, strlen(js), &line);
	assert_non_null(p);
	assert_string_equal(json_str(p, "a", ""),
	    "Kế toán \"q\" \\ A");
	assert_int_equal(json_int(p, "b", 0), -42);
	assert_true(json_bool(p, "c", false));
	assert_string_equal(json_str(p, "d", ""), "\xf0\x9f\x98\x80");
	json_decref(p);
	for (i = 0; bad[i] != NULL; i++) {
		p = collect_mail_parse_prefs_js(bad[i], strlen(bad[i]), &line);
		assert_null(p);
		assert_true(line >= 1);
	}
}

static void
test_thunderbird_links(void **state)
{
	/* No account list: accounts found by their keys; the identity
	 * without smtpServer uses the default SMTP server; an account
	 * without identity falls back to an e-mail-like user name. */
	json_t *prefs = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, "
	    "s:s, s:i, s:s, s:s, s:s}",
	    "mail.account.a1.server", "s1",
	    "mail.account.a1.identities", "i1",
	    "mail.server.s1.type", "imap",
	    "mail.server.s1.hostname", "imap.outlook.com",
	    "mail.server.s1.socketType", 2,
	    "mail.identity.i1.useremail", "x@Outlook.COM",
	    "mail.smtp.defaultserver", "smtp9",
	    "mail.smtpserver.smtp9.hostname", "smtp.outlook.com",
	    "mail.account.a2.server", "s2",
	    "mail.smtpserver.smtp9.try_ssl", 2,
	    "mail.server.s2.type", "pop3",
	    "mail.server.s2.hostname", "pop.mail.ru",
	    "mail.server.s2.userName", "y@mail.ru");
	json_t *l = collect_mail_thunderbird_accounts(prefs), *a;

	(void)state;
	assert_int_equal(json_array_size(l), 2);
	a = testutil_item(l, "address", "x@Outlook.COM");
	assert_non_null(a);
	assert_string_equal(json_str(a, "domain", ""), "outlook.com");
	assert_string_equal(json_str(a, "server_security", ""), "starttls");
	assert_string_equal(json_str(a, "smtp_server", ""), "smtp.outlook.com");
	assert_string_equal(json_str(a, "smtp_security", ""), "starttls");
	a = testutil_item(l, "address", "y@mail.ru");
	assert_non_null(a);
	assert_string_equal(json_str(a, "server_security", ""), "none");
	json_decref(l);
	json_decref(prefs);
}

static void
test_evolution_source(void **state)
{
	struct evo_source s;
	const char *ok = "[Data Source]\nParent=acc\n[Mail Identity]\n"
	    "Address=a@b.vn\n[Mail Submission]\nTransportUid=t1\n";
	const char *bad = "[Data Source]\nDisplayName=H\xe0 N\xf4i\n";
	int line;

	(void)state;
	assert_int_equal(collect_mail_parse_evolution_source(ok, strlen(ok),
	    &s, &line), 0);
	assert_true(s.identity);
	assert_false(s.account);
	assert_string_equal(s.parent, "acc");
	assert_string_equal(s.address, "a@b.vn");
	assert_string_equal(s.transport_uid, "t1");
	collect_mail_evolution_source_free(&s);
	assert_int_equal(collect_mail_parse_evolution_source(bad, strlen(bad),
	    &s, &line), -1);
	collect_mail_evolution_source_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefs_js),
		cmocka_unit_test(test_thunderbird_links),
		cmocka_unit_test(test_evolution_source),
		cmocka_unit_test(test_weak),
		cmocka_unit_test(test_hardened),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
