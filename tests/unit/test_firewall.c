/*
 * test_firewall.c — the firewall collector over the fixture trees (ufw
 * disabled on the weak machine, nftables with policy drop on the hardened
 * one, a broken nftables.conf and an include loop), and its parsers of
 * the nft language and of libnftables' JSON.
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
#include "agent/collect_firewall.h"
#include "lib/json.h"

static void
set_services(struct collect_ctx *ctx, const char *const *enabled)
{
	json_t *l = json_array();

	for (; *enabled != NULL; enabled++)
		json_array_append_new(l, json_string(*enabled));
	json_path_set(ctx->facts, "services.enabled", l);
}

static const char *
fact_str(struct collect_ctx *ctx, const char *path)
{
	json_t *v = testutil_fact(ctx, path);

	assert_non_null(v);
	return json_string_value(v);
}

static void
test_weak(void **state)
{
	static const char *const svc[] = {"ufw.service", "ssh.service", NULL};
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "weak", NULL);
	set_services(&ctx, svc);
	collect_firewall(&ctx);
	assert_string_equal(fact_str(&ctx, "firewall.tool"), "ufw");
	assert_true(json_is_false(testutil_fact(&ctx, "firewall.enabled")));
	assert_string_equal(fact_str(&ctx, "firewall.input_policy"), "accept");
	assert_int_equal(json_integer_value(testutil_fact(&ctx,
	    "firewall.rules")), 3);
	assert_string_equal(fact_str(&ctx, "firewall.source"),
	    "/etc/ufw/ufw.conf");
	assert_null(testutil_fact(&ctx, "firewall.active"));
	assert_string_equal(testutil_unavailable(&ctx, "firewall.active"),
	    "na");
	testutil_ctx_free(&ctx);
}

static void
test_hardened(void **state)
{
	static const char *const svc[] = {"nftables.service", "ssh.service",
	    NULL};
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "hardened", NULL);
	set_services(&ctx, svc);
	collect_firewall(&ctx);
	assert_string_equal(fact_str(&ctx, "firewall.tool"), "nftables");
	assert_true(json_is_true(testutil_fact(&ctx, "firewall.enabled")));
	assert_string_equal(fact_str(&ctx, "firewall.input_policy"), "drop");
	/* 6 rules in input, 1 from nftables.d/10-icmpv6.nft. */
	assert_int_equal(json_integer_value(testutil_fact(&ctx,
	    "firewall.rules")), 7);
	assert_string_equal(fact_str(&ctx, "firewall.source"),
	    "/etc/nftables.conf");
	assert_null(testutil_unavailable(&ctx, "firewall.input_policy"));
	testutil_ctx_free(&ctx);
}

/* nftables configured but its service not enabled: not enabled. */
static void
test_hardened_disabled(void **state)
{
	static const char *const svc[] = {"ssh.service", NULL};
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "hardened", NULL);
	set_services(&ctx, svc);
	collect_firewall(&ctx);
	assert_string_equal(fact_str(&ctx, "firewall.tool"), "nftables");
	assert_true(json_is_false(testutil_fact(&ctx, "firewall.enabled")));
	testutil_ctx_free(&ctx);
}

/* Unknown services: enabled is not guessed. Live without root: active
 * needs root, the configuration is still read. */
static void
test_unknowns(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "hardened", NULL);
	ctx.live = true;
	ctx.privileged = false;
	collect_firewall(&ctx);
	assert_null(testutil_fact(&ctx, "firewall.enabled"));
	assert_string_equal(testutil_unavailable(&ctx, "firewall.enabled"),
	    "error");
	assert_string_equal(testutil_unavailable(&ctx, "firewall.active"),
	    "error");
	assert_non_null(strstr(json_str(json_object_get(json_object_get(
	    ctx.unavailable, "firewall.active"), "reason"), "en", ""),
	    "needs root"));
	assert_string_equal(fact_str(&ctx, "firewall.input_policy"), "drop");
	testutil_ctx_free(&ctx);
}

static void
test_malformed(void **state)
{
	static const char *const svc[] = {"nftables.service", NULL};
	struct collect_ctx ctx;
	json_t *u;

	(void)state;
	testutil_ctx(&ctx, "malformed", NULL);
	set_services(&ctx, svc);
	collect_firewall(&ctx);
	assert_string_equal(fact_str(&ctx, "firewall.tool"), "nftables");
	assert_string_equal(fact_str(&ctx, "firewall.input_policy"),
	    "unknown");
	assert_null(testutil_fact(&ctx, "firewall.rules"));
	assert_string_equal(testutil_unavailable(&ctx,
	    "firewall.input_policy"), "error");
	assert_string_equal(testutil_unavailable(&ctx, "firewall.rules"),
	    "error");
	u = json_object_get(ctx.unavailable, "firewall.input_policy");
	assert_non_null(strstr(json_str(json_object_get(u, "reason"), "en",
	    ""), "/etc/nftables.conf:5: unterminated"));
	testutil_ctx_free(&ctx);
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

/* A loop of includes stops with a reason, not a stack overflow. */
static void
test_include_loop(void **state)
{
	static const char *const svc[] = {"nftables.service", NULL};
	struct collect_ctx ctx;
	char dir[4096];
	json_t *u;

	(void)state;
	snprintf(dir, sizeof(dir), "%s", testutil_tree("fw-loop"));
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/etc", testutil_tree("fw-loop"));
	mkdir(dir, 0755);
	write_file(dir, "nftables.conf",
	    "include \"a.nft\"\ntable inet f { chain input { type filter "
	    "hook input priority 0; policy drop; } }\n");
	write_file(dir, "a.nft", "include \"/etc/b.nft\"\n");
	write_file(dir, "b.nft", "include \"/etc/nftables.conf\"\n");
	testutil_ctx(&ctx, "fw-loop", NULL);
	set_services(&ctx, svc);
	collect_firewall(&ctx);
	assert_string_equal(fact_str(&ctx, "firewall.input_policy"),
	    "unknown");
	u = json_object_get(ctx.unavailable, "firewall.input_policy");
	assert_non_null(u);
	assert_non_null(strstr(json_str(json_object_get(u, "reason"), "en",
	    ""), "include loop"));
	testutil_ctx_free(&ctx);
}

static int
parse(const char *text, struct fw_summary *sum)
{
	struct fw_nft st;
	const char *vi, *en;
	int line, r;

	memset(&st, 0, sizeof(st));
	r = collect_firewall_parse_nft(&st, text, strlen(text), &line, &vi,
	    &en);
	if (r == 0)
		collect_firewall_nft_summary(&st, sum);
	else
		r = -line - 1;
	collect_firewall_nft_free(&st);
	return r;
}

static void
test_nft_parser(void **state)
{
	struct fw_summary s;

	(void)state;
	/* No input chain: everything is accepted. */
	assert_int_equal(parse("flush ruleset\n", &s), 0);
	assert_string_equal(s.policy, "accept");
	assert_false(s.input_chain);
	/* Policy accept with a final reject rule. */
	assert_int_equal(parse("table ip t {\n chain c {\n"
	    "  type filter hook input priority filter\n"
	    "  tcp dport 22 accept\n  counter reject with icmp type "
	    "port-unreachable\n }\n}\n", &s), 0);
	assert_string_equal(s.policy, "reject");
	assert_int_equal(s.rules, 2);
	assert_true(s.active);
	/* Conditional drops make it active but keep the policy. */
	assert_int_equal(parse("table inet t { chain c { type filter hook "
	    "input priority 0; policy accept; ip saddr 1.2.3.4 drop; } }",
	    &s), 0);
	assert_string_equal(s.policy, "accept");
	assert_true(s.active);
	/* nat chains are not counted; add chain / add rule syntax. */
	assert_int_equal(parse("add table inet t\n"
	    "add chain inet t in { type filter hook input priority 0; "
	    "policy drop; }\nadd rule inet t in iif lo accept\n"
	    "add rule t other tcp dport 80 accept\n"
	    "table ip n { chain pre { type nat hook prerouting priority "
	    "-100; dnat to 10.0.0.1 } }\n", &s), 0);
	assert_string_equal(s.policy, "drop");
	assert_int_equal(s.rules, 2);
	/* Anonymous sets over lines; a set block inside a table. */
	assert_int_equal(parse("table inet t {\n set s { type ipv4_addr; "
	    "elements = { 1.1.1.1,\n 2.2.2.2 } }\n chain i { type filter "
	    "hook input priority 0; policy drop\n tcp dport { 22,\n 80 } "
	    "accept\n }\n}\n", &s), 0);
	assert_int_equal(s.rules, 1);
	/* Errors, with their lines. */
	assert_int_equal(parse("table inet t {\n chain i {\n", &s), -3);
	assert_int_equal(parse("table inet t { }\n}\n", &s), -3);
	assert_int_equal(parse("table inet t {\n chain i { comment \"x }\n"
	    "}\n", &s), -3);
	assert_true(parse("{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{", &s) < 0);
}

static void
test_json_ruleset(void **state)
{
	struct fw_summary s;
	const char *j = "{\"nftables\": [{\"metainfo\": {\"version\": "
	    "\"1.0.6\"}}, {\"table\": {\"family\": \"inet\", \"name\": "
	    "\"filter\", \"handle\": 1}}, {\"chain\": {\"family\": \"inet\", "
	    "\"table\": \"filter\", \"name\": \"input\", \"handle\": 1, "
	    "\"type\": \"filter\", \"hook\": \"input\", \"prio\": 0, "
	    "\"policy\": \"drop\"}}, {\"rule\": {\"family\": \"inet\", "
	    "\"table\": \"filter\", \"chain\": \"input\", \"handle\": 4, "
	    "\"expr\": [{\"match\": {\"op\": \"==\", \"left\": {\"meta\": "
	    "{\"key\": \"iifname\"}}, \"right\": \"lo\"}}, {\"accept\": "
	    "null}]}}, {\"rule\": {\"family\": \"inet\", \"table\": "
	    "\"filter\", \"chain\": \"input\", \"handle\": 5, \"expr\": "
	    "[{\"counter\": {\"packets\": 0, \"bytes\": 0}}, {\"drop\": "
	    "null}]}}]}";
	const char *open = "{\"nftables\": [{\"chain\": {\"family\": \"ip\", "
	    "\"table\": \"f\", \"name\": \"in\", \"type\": \"filter\", "
	    "\"hook\": \"input\", \"policy\": \"accept\"}}]}";

	(void)state;
	assert_int_equal(collect_firewall_parse_ruleset_json(j, strlen(j),
	    &s), 0);
	assert_string_equal(s.policy, "drop");
	assert_int_equal(s.rules, 2);
	assert_true(s.active);
	assert_int_equal(collect_firewall_parse_ruleset_json(open,
	    strlen(open), &s), 0);
	assert_string_equal(s.policy, "accept");
	assert_false(s.active);
	assert_int_equal(collect_firewall_parse_ruleset_json("[1,2", 4, &s),
	    -1);
	assert_int_equal(collect_firewall_parse_ruleset_json("{}", 2, &s),
	    -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nft_parser),
		cmocka_unit_test(test_json_ruleset),
		cmocka_unit_test(test_weak),
		cmocka_unit_test(test_hardened),
		cmocka_unit_test(test_hardened_disabled),
		cmocka_unit_test(test_unknowns),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_include_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
