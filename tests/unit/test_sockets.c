/*
 * test_sockets.c — listening sockets (collect_sockets.c): parsing the
 * /proc/net tables of tests/data/proc, and the live collector finding a
 * socket this test listens on, with its owner.
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
test_parse(void **state)
{
	static const char bad1[] = "h\n 0: 0100007F:00 0 0A";
	static const char bad2[] = "h\n 0: 0100007G:0016 0 0A a b c d e 1";
	struct procnet_sock *s;
	size_t n, len;
	char *buf;

	(void)state;
	buf = data("tcp", &len);
	assert_int_equal(
	    collect_sockets_parse(buf, len, false, true, 100, &s, &n), 0);
	free(buf);
	/* the established connection is left out */
	assert_int_equal(n, 4);
	assert_string_equal(s[0].address, "0.0.0.0");
	assert_int_equal(s[0].port, 22);
	assert_int_equal(s[0].inode, 20451);
	assert_string_equal(s[1].address, "127.0.0.1");
	assert_int_equal(s[1].port, 631);
	assert_string_equal(s[2].address, "127.0.0.53");
	assert_int_equal(s[2].port, 53);
	assert_string_equal(s[3].address, "192.168.1.10");
	assert_int_equal(s[3].port, 8080);
	free(s);

	buf = data("tcp6", &len);
	assert_int_equal(
	    collect_sockets_parse(buf, len, true, true, 100, &s, &n), 0);
	free(buf);
	assert_int_equal(n, 2);
	assert_string_equal(s[0].address, "::");
	assert_string_equal(s[1].address, "::1");
	assert_int_equal(s[1].port, 631);
	free(s);

	buf = data("udp", &len);
	assert_int_equal(
	    collect_sockets_parse(buf, len, false, false, 100, &s, &n), 0);
	free(buf);
	/* connected and unbound (port 0) UDP sockets are left out */
	assert_int_equal(n, 2);
	assert_int_equal(s[1].port, 68);
	free(s);

	buf = data("udp6", &len);
	assert_int_equal(
	    collect_sockets_parse(buf, len, true, false, 100, &s, &n), 0);
	free(buf);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].port, 5353);
	free(s);

	/* the limit, and malformed lines */
	buf = data("tcp", &len);
	assert_int_equal(
	    collect_sockets_parse(buf, len, false, true, 1, &s, &n), 0);
	assert_int_equal(n, 1);
	free(s);
	free(buf);
	assert_int_equal(
	    collect_sockets_parse(bad1, strlen(bad1), false, true, 10, &s, &n),
	    2);
	free(s);
	assert_int_equal(
	    collect_sockets_parse(bad2, strlen(bad2), false, true, 10, &s, &n),
	    2);
	free(s);
}

static void
test_root(void **state)
{
	struct collect_ctx ctx;

	(void)state;
	testutil_ctx(&ctx, "weak", NULL);
	collect_sockets(&ctx);
	assert_string_equal(testutil_unavailable(&ctx, "sockets"), "na");
	assert_null(testutil_fact(&ctx, "sockets.listening"));
	testutil_ctx_free(&ctx);
}

static void
test_live(void **state)
{
	struct collect_ctx ctx;
	struct sockaddr_in sa = {0};
	socklen_t sl = sizeof(sa);
	json_t *list, *it, *mine = NULL;
	size_t i;
	char comm[64] = "", *buf;
	size_t len;
	int fd, port;

	(void)state;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 1), 0);
	getsockname(fd, (struct sockaddr *)&sa, &sl);
	port = ntohs(sa.sin_port);
	if (file_read_path("/proc/self/comm", 64, &buf, &len) == 0) {
		snprintf(comm, sizeof(comm), "%s", buf);
		comm[strcspn(comm, "\n")] = '\0';
		free(buf);
	}

	testutil_ctx(&ctx, "weak", NULL);
	close(ctx.rootfd);
	ctx.rootfd = file_root_open("/");
	ctx.live = true;
	collect_sockets(&ctx);
	list = testutil_fact(&ctx, "sockets.listening");
	assert_non_null(list);
	json_array_foreach(
	    list, i,
	    it) if (json_integer_value(json_object_get(it, "port")) == port &&
	            strcmp(json_string_value(json_object_get(it, "proto")),
	                   "tcp") == 0) mine = it;
	assert_non_null(mine);
	assert_string_equal(json_string_value(json_object_get(mine, "address")),
	                    "127.0.0.1");
	assert_false(json_boolean_value(json_object_get(mine, "public")));
	/* our own descriptors are readable with or without root */
	assert_int_equal(json_integer_value(json_object_get(mine, "pid")),
	                 getpid());
	assert_string_equal(json_string_value(json_object_get(mine, "process")),
	                    comm);
	testutil_ctx_free(&ctx);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_root),
	    cmocka_unit_test(test_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
