/*
 * test_http.c — unit tests of the pure helpers of src/server/http.c: a
 * hostile value in a log line stays one logfmt value, and the address
 * allow-list of /metrics (exact addresses, prefixes, IPv4-mapped IPv6).
 * The TLS paths are tested end to end by tests/server/002-api-smoke.sh.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "server/http.h"

static void
test_logval(void **state)
{
	char buf[64], small[8];

	(void)state;
	assert_string_equal(http_logval(buf, sizeof(buf), "plain-1.2"),
	    "plain-1.2");
	assert_string_equal(http_logval(buf, sizeof(buf), ""), "\"\"");
	assert_string_equal(http_logval(buf, sizeof(buf), NULL), "\"\"");
	assert_string_equal(http_logval(buf, sizeof(buf), "Phòng Kế toán"),
	    "\"Phòng Kế toán\"");
	/* An agent trying to forge a second event on the line. */
	assert_string_equal(http_logval(buf, sizeof(buf),
	    "x\nevent=agent.enrolled"), "\"x\\x0aevent=agent.enrolled\"");
	assert_string_equal(http_logval(buf, sizeof(buf), "a\"b\\c"),
	    "\"a\\\"b\\\\c\"");
	assert_string_equal(http_logval(buf, sizeof(buf), "k=v"), "\"k=v\"");
	/* Cut to the buffer, still quoted and terminated. */
	http_logval(small, sizeof(small), "a b c d e f g");
	assert_true(strlen(small) < sizeof(small));
	assert_int_equal(small[0], '"');
	assert_int_equal(small[strlen(small) - 1], '"');
}

static struct sockaddr_storage
addr(const char *text)
{
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof(ss));
	if (strchr(text, ':') != NULL) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, text, &s6->sin6_addr), 1);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, text, &s4->sin_addr), 1);
	}
	return ss;
}

static void
test_allowed(void **state)
{
	char *allow[] = { "127.0.0.1", "::1", "10.1.0.0/16", "fd00::/8",
	    "192.0.2.128/25", "bogus", "10.0.0.0/99" };
	const size_t n = sizeof(allow) / sizeof(allow[0]);
	struct sockaddr_storage s;

	(void)state;
	s = addr("127.0.0.1");
	assert_true(http_addr_allowed(&s, allow, n));
	s = addr("127.0.0.2");
	assert_false(http_addr_allowed(&s, allow, n));
	s = addr("::1");
	assert_true(http_addr_allowed(&s, allow, n));
	s = addr("10.1.255.3");
	assert_true(http_addr_allowed(&s, allow, n));
	s = addr("10.2.0.1");
	assert_false(http_addr_allowed(&s, allow, n));
	s = addr("fd12::5");
	assert_true(http_addr_allowed(&s, allow, n));
	s = addr("fe80::1");
	assert_false(http_addr_allowed(&s, allow, n));
	s = addr("192.0.2.200");
	assert_true(http_addr_allowed(&s, allow, n));
	s = addr("192.0.2.127");
	assert_false(http_addr_allowed(&s, allow, n));
	s = addr("::ffff:127.0.0.1");
	assert_true(http_addr_allowed(&s, allow, n));
	s = addr("::ffff:8.8.8.8");
	assert_false(http_addr_allowed(&s, allow, n));
	assert_false(http_addr_allowed(&s, allow, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_logval),
		cmocka_unit_test(test_allowed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
