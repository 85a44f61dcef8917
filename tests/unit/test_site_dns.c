/*
 * test_site_dns.c — site_dns_lookup (src/site/dns.c) against a tiny DNS
 * server on 127.0.0.1 (a thread of the test, random port) that answers
 * crafted messages: A, AAAA and NS of portal.phuong.test (unsorted, mixed
 * case, a CNAME on the way), NXDOMAIN for other names, a malformed answer
 * for bad.test and silence for mute.test. Also address literals, which
 * need no question at all.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "site/site.h"

static int dns_fd = -1;
static int dns_port;
static pthread_t dns_thread;
static atomic_int dns_stop;
static atomic_int dns_questions;
static char server[32];

/* --- the server ---------------------------------------------------------- */

struct msg {
	unsigned char b[1024];
	size_t len;
};

static void
put16(struct msg *m, unsigned v)
{
	m->b[m->len++] = (unsigned char)(v >> 8);
	m->b[m->len++] = (unsigned char)v;
}

static void
put32(struct msg *m, unsigned long v)
{
	put16(m, (unsigned)(v >> 16));
	put16(m, (unsigned)(v & 0xffff));
}

/* A name in labels ("ns1.phuong.test" -> 3ns16phuong4test0). */
static void
put_name(struct msg *m, const char *name)
{
	const char *p = name, *dot;

	while (*p != '\0') {
		dot = strchr(p, '.');
		size_t n = dot != NULL ? (size_t)(dot - p) : strlen(p);

		m->b[m->len++] = (unsigned char)n;
		memcpy(m->b + m->len, p, n);
		m->len += n;
		p += n;
		if (*p == '.')
			p++;
	}
	m->b[m->len++] = 0;
}

/* A record whose owner is the question's name (pointer to offset 12). */
static void
put_rr(struct msg *m, unsigned type, const void *rdata, size_t rdlen)
{
	put16(m, 0xc00c);
	put16(m, type);
	put16(m, 1);
	put32(m, 300);
	put16(m, (unsigned)rdlen);
	memcpy(m->b + m->len, rdata, rdlen);
	m->len += rdlen;
}

static void
put_rr_name(struct msg *m, unsigned type, const char *name)
{
	struct msg tmp;

	tmp.len = 0;
	put_name(&tmp, name);
	put_rr(m, type, tmp.b, tmp.len);
}

static void
put_rr_addr(struct msg *m, int af, const char *text)
{
	unsigned char bin[16];

	assert_int_equal(inet_pton(af, text, bin), 1);
	put_rr(m, af == AF_INET ? 1 : 28, bin, af == AF_INET ? 4 : 16);
}

/* Answers one query q (qlen bytes) into m; false: stay silent. */
static bool
answer(const unsigned char *q, size_t qlen, struct msg *m)
{
	char name[256];
	size_t p = 12, n = 0, qend;
	unsigned type, ancount = 0;
	int where;

	if (qlen < 17)
		return false;
	while (p < qlen && q[p] != 0 && n + q[p] + 1 < sizeof(name)) {
		if (n > 0)
			name[n++] = '.';
		memcpy(name + n, q + p + 1, q[p]);
		n += q[p];
		p += (size_t)q[p] + 1;
	}
	name[n] = '\0';
	if (p + 5 > qlen)
		return false;
	type = (unsigned)(q[p + 1] << 8 | q[p + 2]);
	qend = p + 5;
	atomic_fetch_add(&dns_questions, 1);
	if (strcasecmp(name, "mute.test") == 0)
		return false;
	/* header: same id, QR, RD, RA; rcode set below */
	m->len = 0;
	memcpy(m->b, q, 2);
	m->len = 2;
	put16(m, 0x8180);
	put16(m, 1);
	where = (int)m->len;
	put16(m, 0);		/* ancount, fixed below */
	put16(m, 0);
	put16(m, 0);
	memcpy(m->b + m->len, q + 12, qend - 12);
	m->len += qend - 12;
	if (strcasecmp(name, "bad.test") == 0) {
		/* One answer announced, its data cut short. */
		m->b[where + 1] = 1;
		put16(m, 0xc00c);
		put16(m, type);
		put16(m, 1);
		put32(m, 300);
		put16(m, 200);	/* rdlength past the end */
		m->b[m->len++] = 1;
		return true;
	}
	if (strcasecmp(name, "portal.phuong.test") != 0) {
		m->b[3] = 0x83;	/* NXDOMAIN */
		return true;
	}
	if (type == 1) {
		put_rr_name(m, 5, "www.phuong.test");	/* a CNAME too */
		put_rr_addr(m, AF_INET, "203.0.113.20");
		put_rr_addr(m, AF_INET, "203.0.113.3");
		put_rr_addr(m, AF_INET, "203.0.113.20");	/* again */
		ancount = 4;
	} else if (type == 28) {
		put_rr_addr(m, AF_INET6, "2001:0db8:0000:0000:0000:0000:0000:0"
		    "0a1");
		put_rr_addr(m, AF_INET6, "2001:db8::1");
		ancount = 2;
	} else if (type == 2) {
		put_rr_name(m, 2, "NS2.Phuong.TEST");
		put_rr_name(m, 2, "ns1.phuong.test");
		ancount = 2;
	}
	m->b[where] = (unsigned char)(ancount >> 8);
	m->b[where + 1] = (unsigned char)ancount;
	return true;
}

static void *
serve(void *arg)
{
	unsigned char q[512];
	struct sockaddr_in from;
	struct pollfd pfd;
	struct msg m;
	socklen_t flen;
	ssize_t n;

	(void)arg;
	pfd.fd = dns_fd;
	pfd.events = POLLIN;
	while (!atomic_load(&dns_stop)) {
		if (poll(&pfd, 1, 50) <= 0)
			continue;
		flen = sizeof(from);
		n = recvfrom(dns_fd, q, sizeof(q), 0,
		    (struct sockaddr *)&from, &flen);
		if (n <= 0)
			continue;
		if (answer(q, (size_t)n, &m))
			sendto(dns_fd, m.b, m.len, 0,
			    (struct sockaddr *)&from, flen);
	}
	return NULL;
}

static int
setup(void **state)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);

	(void)state;
	dns_fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(dns_fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(dns_fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(dns_fd, (struct sockaddr *)&sa, &len),
	    0);
	dns_port = ntohs(sa.sin_port);
	snprintf(server, sizeof(server), "127.0.0.1:%d", dns_port);
	assert_int_equal(pthread_create(&dns_thread, NULL, serve, NULL), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	atomic_store(&dns_stop, 1);
	pthread_join(dns_thread, NULL);
	close(dns_fd);
	return 0;
}

/* --- tests --------------------------------------------------------------- */

static void
assert_strings(json_t *a, const char *const *want, size_t n)
{
	assert_true(json_is_array(a));
	assert_int_equal(json_array_size(a), n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(json_string_value(json_array_get(a, i)),
		    want[i]);
}

static void
test_records(void **state)
{
	static const char *const a[] = { "203.0.113.20", "203.0.113.3" };
	static const char *const aaaa[] = { "2001:db8::1", "2001:db8::a1" };
	static const char *const ns[] = { "ns1.phuong.test",
	    "ns2.phuong.test" };
	struct site_dns d;

	(void)state;
	assert_int_equal(site_dns_lookup("portal.phuong.test", server, &d), 0);
	assert_string_equal(d.error, "");
	assert_strings(d.a, a, 2);
	assert_strings(d.aaaa, aaaa, 2);
	assert_strings(d.ns, ns, 2);
	site_dns_free(&d);
	/* The name as people write it, with a trailing dot. */
	assert_int_equal(site_dns_lookup("Portal.Phuong.Test.", server, &d),
	    0);
	assert_strings(d.ns, ns, 2);
	site_dns_free(&d);
}

static void
test_nxdomain(void **state)
{
	struct site_dns d;

	(void)state;
	assert_int_equal(site_dns_lookup("khong-co.phuong.test", server, &d),
	    -1);
	assert_non_null(strstr(d.error, "không có tên miền"));
	assert_non_null(strstr(d.error, "no such domain"));
	assert_int_equal(json_array_size(d.a), 0);
	assert_int_equal(json_array_size(d.aaaa), 0);
	assert_int_equal(json_array_size(d.ns), 0);
	site_dns_free(&d);
}

static void
test_malformed(void **state)
{
	struct site_dns d;

	(void)state;
	assert_int_equal(site_dns_lookup("bad.test", server, &d), -1);
	assert_non_null(strstr(d.error, "malformed DNS answer"));
	assert_non_null(d.a);
	assert_int_equal(json_array_size(d.a), 0);
	site_dns_free(&d);
}

static void
test_timeout(void **state)
{
	struct site_dns d;
	int before = atomic_load(&dns_questions);

	(void)state;
	assert_int_equal(site_dns_lookup("mute.test", server, &d), -1);
	assert_non_null(strstr(d.error, "did not answer"));
	assert_int_equal(json_array_size(d.a), 0);
	/* asked, and not once per type after the first went unanswered */
	assert_true(atomic_load(&dns_questions) > before);
	assert_true(atomic_load(&dns_questions) - before <= 2);
	site_dns_free(&d);
}

static void
test_literals_and_bad_input(void **state)
{
	struct site_dns d;
	int before = atomic_load(&dns_questions);

	(void)state;
	assert_int_equal(site_dns_lookup("192.0.2.7", server, &d), 0);
	assert_string_equal(json_string_value(json_array_get(d.a, 0)),
	    "192.0.2.7");
	site_dns_free(&d);
	assert_int_equal(site_dns_lookup("[2001:DB8:0::5]", server, &d), 0);
	assert_string_equal(json_string_value(json_array_get(d.aaaa, 0)),
	    "2001:db8::5");
	site_dns_free(&d);
	assert_int_equal(atomic_load(&dns_questions), before);

	assert_int_equal(site_dns_lookup("", server, &d), -1);
	assert_string_not_equal(d.error, "");
	site_dns_free(&d);
	assert_int_equal(site_dns_lookup("a b.test", server, &d), -1);
	site_dns_free(&d);
	assert_int_equal(site_dns_lookup("portal.phuong.test", "not-an-ip:53",
	    &d), -1);
	assert_non_null(strstr(d.error, "DNS server"));
	site_dns_free(&d);
	assert_int_equal(site_dns_lookup("portal.phuong.test", "127.0.0.1:0",
	    &d), -1);
	site_dns_free(&d);
	assert_int_equal(atomic_load(&dns_questions), before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_nxdomain),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_literals_and_bad_input),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
