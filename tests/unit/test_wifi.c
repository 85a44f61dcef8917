/*
 * test_wifi.c — the Wi-Fi collector over the fixture trees: security and
 * key measures of NetworkManager, wpa_supplicant and iwd profiles, keys
 * that must never reach the facts, malformed and unreadable profiles.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "testutil.h"
#include "agent/collect_wifi.h"
#include "lib/json.h"

/* Every key written in the fixture profiles. */
static const char *const fixture_keys[] = {
	"12345678", "83927461", "kt2019phongkt", "0987654321",
	"Ub#ThaiHoa2025-wPa3x", "VhXh@5Ghz!2025pk", NULL
};

static json_t *
net(struct collect_ctx *ctx, const char *ssid)
{
	json_t *n = testutil_item(testutil_fact(ctx, "wifi.networks"), "ssid",
	    ssid);

	assert_non_null(n);
	return n;
}

static void
no_keys(struct collect_ctx *ctx)
{
	char *facts = json_dumps(ctx->facts, 0);
	char *unav = json_dumps(ctx->unavailable, 0);
	size_t i;

	assert_non_null(facts);
	for (i = 0; fixture_keys[i] != NULL; i++) {
		assert_null(strstr(facts, fixture_keys[i]));
		assert_null(strstr(unav, fixture_keys[i]));
	}
	free(facts);
	free(unav);
}

static void
test_weak(void **state)
{
	struct collect_ctx ctx;
	json_t *n;

	(void)state;
	testutil_ctx(&ctx, "weak", NULL);
	collect_wifi(&ctx);
	/* 4 NetworkManager, 1 wpa_supplicant, 1 iwd; no wired one. */
	assert_int_equal(json_array_size(testutil_fact(&ctx,
	    "wifi.networks")), 6);

	n = net(&ctx, "FPT Telecom-3A7F");
	assert_string_equal(json_str(n, "security", ""), "wpa2");
	assert_int_equal(json_int(n, "psk_length", -1), 8);
	assert_int_equal(json_int(n, "psk_classes", -1), 1);
	assert_true(json_bool(n, "psk_digits_only", false));
	assert_false(json_bool(n, "tkip", true));
	assert_true(json_bool(n, "autoconnect", false));
	assert_string_equal(json_str(n, "source", ""),
	    "/etc/NetworkManager/system-connections/"
	    "FPT Telecom-3A7F.nmconnection");

	/* SSID stored as NetworkManager's byte list. */
	n = net(&ctx, "VIETTEL_A1B2C3D4");
	assert_string_equal(json_str(n, "security", ""), "wpa2");
	assert_int_equal(json_int(n, "psk_length", -1), 8);
	assert_true(json_bool(n, "psk_digits_only", false));

	n = net(&ctx, "Quan Cafe Free");
	assert_string_equal(json_str(n, "security", ""), "open");
	assert_int_equal(json_int(n, "psk_length", -1), 0);
	assert_false(json_bool(n, "autoconnect", true));

	n = net(&ctx, "PhongKT");
	assert_string_equal(json_str(n, "security", ""), "wep");
	assert_int_equal(json_int(n, "psk_length", -1), 13);
	assert_int_equal(json_int(n, "psk_classes", -1), 2);

	n = net(&ctx, "TP-LINK_8A2C");
	assert_string_equal(json_str(n, "security", ""), "wpa");
	assert_true(json_bool(n, "tkip", false));
	assert_int_equal(json_int(n, "psk_length", -1), 10);
	assert_true(json_bool(n, "psk_digits_only", false));
	assert_string_equal(json_str(n, "source", ""),
	    "/etc/wpa_supplicant/wpa_supplicant.conf");

	/* iwd: the file name is the SSID, here hex-encoded. */
	n = net(&ctx, "Phong Hop");
	assert_string_equal(json_str(n, "security", ""), "open");

	assert_string_equal(testutil_unavailable(&ctx, "wifi.adapter"), "na");
	assert_null(testutil_unavailable(&ctx, "wifi.networks"));
	assert_null(testutil_unavailable(&ctx, "wifi.networks.psk_length"));
	no_keys(&ctx);
	testutil_ctx_free(&ctx);
}

static void
test_hardened(void **state)
{
	struct collect_ctx ctx;
	json_t *n;

	(void)state;
	testutil_ctx(&ctx, "hardened", NULL);
	collect_wifi(&ctx);
	assert_int_equal(json_array_size(testutil_fact(&ctx,
	    "wifi.networks")), 2);
	n = net(&ctx, "UBND-ThaiHoa");
	assert_string_equal(json_str(n, "security", ""), "wpa3");
	assert_int_equal(json_int(n, "psk_length", -1), 20);
	assert_int_equal(json_int(n, "psk_classes", -1), 4);
	assert_false(json_bool(n, "psk_digits_only", true));
	assert_false(json_bool(n, "tkip", true));
	n = net(&ctx, "PhongVHXH-5G");
	assert_string_equal(json_str(n, "security", ""), "wpa2");
	assert_int_equal(json_int(n, "psk_length", -1), 16);
	assert_int_equal(json_int(n, "psk_classes", -1), 4);
	no_keys(&ctx);
	testutil_ctx_free(&ctx);
}

static void
test_malformed(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "malformed", NULL);
	collect_wifi(&ctx);
	assert_true(json_is_array(testutil_fact(&ctx, "wifi.networks")));
	assert_int_equal(json_array_size(testutil_fact(&ctx,
	    "wifi.networks")), 0);
	assert_string_equal(testutil_unavailable(&ctx, "wifi.networks"),
	    "error");
	testutil_ctx_free(&ctx);
}

/* The no_keys check can fail: a facts object holding a key is caught. */
static void
test_key_check_can_fail(void **state)
{
	json_t *o = json_pack("{s:s}", "x", "ab12345678cd");
	char *s = json_dumps(o, 0);

	(void)state;
	assert_non_null(strstr(s, fixture_keys[0]));
	free(s);
	json_decref(o);
}

static void
test_parsers(void **state)
{
	struct wifi_net n, *nets;
	size_t count;
	int line;
	const char *nm_hex = "[connection]\ntype=wifi\n[wifi]\nssid=Nha\n"
	    "[wifi-security]\nkey-mgmt=wpa-psk\nproto=wpa;\npairwise=tkip;\n"
	    "psk=0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef\n";
	const char *nm_agent = "[connection]\ntype=wifi\nautoconnect=no\n"
	    "[wifi]\nssid=Nha\\sKho\n[wifi-security]\nkey-mgmt=sae\n"
	    "psk-flags=1\n";
	const char *nm_eth = "[connection]\ntype=ethernet\n";
	const char *nm_bad = "[connection]\ntype=wifi\nnot a key value\n";
	const char *wpa = "ctrl_interface=/run/wpa_supplicant\n"
	    "network={\n\tssid=50686f6e67\n\tkey_mgmt=NONE\n}\n"
	    "network={\n\tssid=P\"caf\\xc3\\xa9\"\n\tkey_mgmt=SAE\n"
	    "\tsae_password=\"Mat khau 2025!\"\n\tdisabled=1\n}\n"
	    "network={\n\tssid=\"Corp\"\n\tkey_mgmt=WPA-EAP\n\teap=PEAP\n}\n"
	    "network={\n\tssid=\"Hex\"\n\tpsk=0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef\n}\n";

	(void)state;
	assert_int_equal(collect_wifi_parse_nmconnection(nm_hex,
	    strlen(nm_hex), &n, &line), 1);
	assert_string_equal(n.security, "wpa");
	assert_true(n.tkip);
	assert_int_equal(n.psk, WIFI_PSK_DERIVED);
	collect_wifi_net_clear(&n);
	assert_int_equal(collect_wifi_parse_nmconnection(nm_agent,
	    strlen(nm_agent), &n, &line), 1);
	assert_string_equal(n.ssid, "Nha Kho");
	assert_string_equal(n.security, "wpa3");
	assert_int_equal(n.psk, WIFI_PSK_UNSAVED);
	assert_false(n.autoconnect);
	collect_wifi_net_clear(&n);
	assert_int_equal(collect_wifi_parse_nmconnection(nm_eth,
	    strlen(nm_eth), &n, &line), 0);
	collect_wifi_net_clear(&n);
	assert_int_equal(collect_wifi_parse_nmconnection(nm_bad,
	    strlen(nm_bad), &n, &line), -1);
	assert_int_equal(line, 3);
	collect_wifi_net_clear(&n);

	assert_int_equal(collect_wifi_parse_wpa_supplicant(wpa, strlen(wpa),
	    &nets, &count, &line), 0);
	assert_int_equal(count, 4);
	assert_string_equal(nets[0].ssid, "Phong");
	assert_string_equal(nets[0].security, "open");
	assert_string_equal(nets[1].ssid, "café");
	assert_string_equal(nets[1].security, "wpa3");
	assert_int_equal(nets[1].psk_length, 14);
	assert_int_equal(nets[1].psk_classes, 4);
	assert_false(nets[1].autoconnect);
	assert_string_equal(nets[2].security, "wpa2-enterprise");
	assert_int_equal(nets[2].psk, WIFI_PSK_NONE);
	assert_string_equal(nets[3].security, "wpa2");
	assert_int_equal(nets[3].psk, WIFI_PSK_DERIVED);
	collect_wifi_nets_free(nets, count);
	assert_int_equal(collect_wifi_parse_wpa_supplicant("network={\n",
	    10, &nets, &count, &line), -1);
	assert_int_equal(line, 1);

	assert_int_equal(collect_wifi_parse_iwd("=4e6861.psk",
	    "[Security]\nPassphrase=abcDEF123!\n", 33, &n, &line), 1);
	assert_string_equal(n.ssid, "Nha");
	assert_int_equal(n.psk_length, 10);
	assert_int_equal(n.psk_classes, 4);
	collect_wifi_net_clear(&n);
	assert_int_equal(collect_wifi_parse_iwd("x.conf", "", 0, &n, &line),
	    0);
}

/* A profile readable only by root: "needs root", never a guess. Run as
 * an unprivileged child when the test itself runs as root. */
static int
unreadable_child(void)
{
	struct collect_ctx ctx;
	json_t *u;
	const char *en;
	int ok;

	testutil_ctx(&ctx, "wifi-perm", NULL);
	ctx.privileged = false;
	collect_wifi(&ctx);
	u = json_object_get(ctx.unavailable, "wifi.networks");
	en = u ? json_str(json_object_get(u, "reason"), "en", "") : "";
	ok = strstr(en, "needs root") != NULL &&
	    json_array_size(testutil_fact(&ctx, "wifi.networks")) == 0;
	testutil_ctx_free(&ctx);
	return ok ? 0 : 1;
}

static void
test_unreadable(void **state)
{
	char dir[4096], path[4200];
	FILE *f;
	int st;

	(void)state;
	snprintf(dir, sizeof(dir), "%s", testutil_tree("wifi-perm"));
	mkdir(dir, 0755);
	strcat(dir, "/etc");
	mkdir(dir, 0755);
	strcat(dir, "/NetworkManager");
	mkdir(dir, 0755);
	strcat(dir, "/system-connections");
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/Secret.nmconnection", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("[connection]\ntype=wifi\n[wifi]\nssid=Secret\n", f);
	fclose(f);
	chmod(path, 0);
	if (geteuid() != 0) {
		assert_int_equal(unreadable_child(), 0);
		return;
	}
	st = testutil_as_nobody(unreadable_child);
	if (st == 2)
		skip();	/* cannot drop privileges here */
	assert_int_equal(st, 0);
}

/* Writes text at rel under the tree's root, making its directories. */
static void
put(const char *root, const char *rel, const char *text)
{
	char path[4200], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

/* Ubuntu 23.10+: the desktop's connections are netplan YAML, and the
 * keyfiles NetworkManager reads are generated under /run. */
static void
test_netplan(void **state)
{
	struct collect_ctx ctx;
	const char *root = testutil_tree("wifi-netplan");
	json_t *n;

	(void)state;
	mkdir(root, 0755);
	put(root, "etc/netplan/90-NM-5d1c.yaml",
	    "network:\n  version: 2\n  wifis:\n    NM-5d1c:\n"
	    "      renderer: NetworkManager\n      access-points:\n"
	    "        \"Phuong Free\": {}\n");
	put(root, "etc/netplan/01-network-manager-all.yaml",
	    "network:\n  version: 2\n  renderer: NetworkManager\n");
	put(root, "run/NetworkManager/system-connections/"
	    "netplan-NM-5d1c-Phuong Free.nmconnection",
	    "[connection]\nid=Phuong Free\ntype=wifi\n"
	    "[wifi]\nssid=Phuong Free\n");

	/* the running system: the generated keyfile is read */
	testutil_ctx(&ctx, "wifi-netplan", NULL);
	ctx.live = true;
	collect_wifi(&ctx);
	n = net(&ctx, "Phuong Free");
	assert_string_equal(json_str(n, "security", ""), "open");
	assert_null(testutil_unavailable(&ctx, "wifi.networks"));
	testutil_ctx_free(&ctx);

	/* a disk: the YAML is not read, so the list is partial */
	testutil_ctx(&ctx, "wifi-netplan", NULL);
	collect_wifi(&ctx);
	assert_true(json_is_array(testutil_fact(&ctx, "wifi.networks")));
	assert_string_equal(testutil_unavailable(&ctx, "wifi.networks"),
	    "error");
	testutil_ctx_free(&ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parsers),
		cmocka_unit_test(test_key_check_can_fail),
		cmocka_unit_test(test_weak),
		cmocka_unit_test(test_hardened),
		cmocka_unit_test(test_netplan),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_unreadable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
