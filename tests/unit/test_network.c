/*
 * test_network.c — network facts (collect_network.c): route and
 * resolv.conf parsing from tests/data/proc, the Internet probe against a
 * port this test listens on and a closed one, and the live interfaces.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "testutil.h"
#include "agent/sysparse.h"
#include "lib/file.h"

static char *
data(const char *name, size_t *len)
{
	char path[256], *buf;

	snprintf(path, sizeof(path), "tests/data/proc/%s", name);
	assert_int_equal(
	    file_read_path(testutil_source(path), FILE_MAX_SMALL, &buf, len),
	    0);
	return buf;
}

static void
test_routes(void **state)
{
	json_t *routes = json_array(), *r;
	size_t len;
	char *buf;

	(void)state;
	buf = data("route", &len);
	assert_int_equal(collect_network_parse_routes(buf, len, false, routes),
	                 0);
	free(buf);
	assert_int_equal(json_array_size(routes), 2);
	r = json_array_get(routes, 0);
	assert_string_equal(json_string_value(json_object_get(r, "interface")),
	                    "enp1s0");
	assert_string_equal(json_string_value(json_object_get(r, "gateway")),
	                    "192.168.1.1");
	r = json_array_get(routes, 1);
	assert_string_equal(json_string_value(json_object_get(r, "interface")),
	                    "wg0");
	assert_string_equal(json_string_value(json_object_get(r, "gateway")),
	                    "");
	json_array_clear(routes);

	buf = data("ipv6_route", &len);
	assert_int_equal(collect_network_parse_routes(buf, len, true, routes),
	                 0);
	free(buf);
	/* the reject route on lo is not a default route */
	assert_int_equal(json_array_size(routes), 1);
	r = json_array_get(routes, 0);
	assert_string_equal(json_string_value(json_object_get(r, "gateway")),
	                    "fe80::1");
	json_array_clear(routes);

	assert_int_equal(
	    collect_network_parse_routes("h\nx 0000 zz", 11, false, routes), 2);
	json_decref(routes);
}

static void
test_resolv(void **state)
{
	json_t *s = json_array();
	size_t len;
	char *buf;

	(void)state;
	buf = data("resolv.conf", &len);
	assert_int_equal(collect_network_parse_resolv(buf, len, s), 3);
	free(buf);
	assert_int_equal(json_array_size(s), 2);
	assert_string_equal(json_string_value(json_array_get(s, 0)),
	                    "10.0.0.53");
	assert_string_equal(json_string_value(json_array_get(s, 1)), "fe80::1");
	json_decref(s);
}

static struct conf *
conf_of(const char *text)
{
	char err[256];
	struct conf *c =
	    conf_parse(text, strlen(text), "test.conf", err, sizeof(err));

	if (c == NULL)
		fail_msg("%s", err);
	return c;
}

static void
test_probe(void **state)
{
	struct sockaddr_in sa = {0};
	socklen_t sl = sizeof(sa);
	char text[256], tried[256], err[128];
	int lfd, cfd, open_port, closed_port;
	struct conf *c;
	const char *r;

	(void)state;
	/* one port we listen on, one we bound and closed */
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 4), 0);
	getsockname(lfd, (struct sockaddr *)&sa, &sl);
	open_port = ntohs(sa.sin_port);
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_port = 0;
	assert_int_equal(bind(cfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	sl = sizeof(sa);
	getsockname(cfd, (struct sockaddr *)&sa, &sl);
	closed_port = ntohs(sa.sin_port);
	close(cfd);

	snprintf(text, sizeof(text),
	         "internet-probe 127.0.0.1:%d "
	         "127.0.0.1:%d\ninternet-probe-timeout 2000\n",
	         closed_port, open_port);
	c = conf_of(text);
	r = collect_network_probe(c, tried, sizeof(tried), err, sizeof(err));
	assert_non_null(r);
	assert_string_equal(r, "reachable");
	snprintf(text, sizeof(text), "127.0.0.1:%d 127.0.0.1:%d", closed_port,
	         open_port);
	assert_string_equal(tried, text);
	conf_free(c);

	snprintf(text, sizeof(text),
	         "internet-probe 127.0.0.1:%d\n"
	         "internet-probe-timeout 500\n",
	         closed_port);
	c = conf_of(text);
	r = collect_network_probe(c, tried, sizeof(tried), err, sizeof(err));
	assert_string_equal(r, "unreachable");
	conf_free(c);

	c = conf_of("internet-probe off\n");
	r = collect_network_probe(c, tried, sizeof(tried), err, sizeof(err));
	assert_string_equal(r, "disabled");
	assert_string_equal(tried, "");
	conf_free(c);

	/* names are refused: no DNS at probe time */
	c = conf_of("internet-probe example.com:443\n");
	assert_null(
	    collect_network_probe(c, tried, sizeof(tried), err, sizeof(err)));
	conf_free(c);
	c = conf_of("internet-probe \"[::1]:99999\"\n");
	assert_null(
	    collect_network_probe(c, tried, sizeof(tried), err, sizeof(err)));
	conf_free(c);
	c = conf_of("internet-probe \"[::1]:9\"\ninternet-probe-timeout 300\n");
	r = collect_network_probe(c, tried, sizeof(tried), err, sizeof(err));
	assert_non_null(r);
	assert_string_equal(tried, "[::1]:9");
	conf_free(c);
	c = conf_of("internet-probe-timeout -5\n");
	assert_null(
	    collect_network_probe(c, tried, sizeof(tried), err, sizeof(err)));
	conf_free(c);
	close(lfd);
}

static void
test_root(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "weak", NULL);
	collect_network(&ctx);
	assert_string_equal(testutil_unavailable(&ctx, "network.interfaces"),
	                    "na");
	assert_string_equal(testutil_unavailable(&ctx, "network.internet"),
	                    "na");
	assert_null(testutil_fact(&ctx, "network.interfaces"));
	/* no resolv.conf on this disk: no name servers */
	assert_int_equal(
	    json_array_size(testutil_fact(&ctx, "network.dns_servers")), 0);
	testutil_ctx_free(&ctx);
}

static void
test_live(void **state)
{
	struct collect_ctx ctx;
	struct conf *c = conf_of("internet-probe off\n");
	json_t *lo;

	(void)state;
	testutil_ctx(&ctx, "weak", NULL);
	close(ctx.rootfd);
	ctx.rootfd = file_root_open("/");
	ctx.live = true;
	ctx.conf = c;
	collect_network(&ctx);
	lo = testutil_item(testutil_fact(&ctx, "network.interfaces"), "name",
	                   "lo");
	assert_non_null(lo);
	assert_string_equal(json_string_value(json_object_get(lo, "kind")),
	                    "loopback");
	/* operstate "unknown" with IFF_UP and a carrier: up (sysfs flags
	 * never carry IFF_RUNNING) */
	assert_true(json_is_true(json_object_get(lo, "up")));
	assert_string_equal(
	    json_string_value(testutil_fact(&ctx, "network.internet")),
	    "disabled");
	assert_true(
	    json_is_boolean(testutil_fact(&ctx, "network.lan_connected")));
	assert_true(
	    json_is_array(testutil_fact(&ctx, "network.default_routes")));
	testutil_ctx_free(&ctx);
	conf_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_routes), cmocka_unit_test(test_resolv),
	    cmocka_unit_test(test_probe),  cmocka_unit_test(test_root),
	    cmocka_unit_test(test_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
