/*
 * portal_dns.c — a tiny UDP DNS responder for the portal tests: answers A,
 * AAAA and NS for portal.thaihoa.test (and thaihoa.test) from one of two
 * sets — the normal one and a "changed" one (the hijacked-DNS case the
 * monitor must report) — and NXDOMAIN for every other name. Listens on
 * 127.0.0.1 only, a free port; one thread; answers only well-formed
 * single-question queries.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "portal.h"

#define T_A 1
#define T_NS 2
#define T_AAAA 28

struct dns_set {
	const char *a[2];
	const char *aaaa[2];
	const char *ns[2];
};

static const struct dns_set dns_sets[2] = {
	{{"203.0.113.10", "203.0.113.11"}, {"2001:db8:10::10", NULL},
	    {"ns1.thaihoa.test", "ns2.thaihoa.test"}},
	{{"198.51.100.66", NULL}, {"2001:db8:66::66", NULL},
	    {"ns1.parking-dns.test", "ns2.parking-dns.test"}},
};

static int dns_fd = -1;
static pthread_t dns_thread;
static atomic_int dns_answers;
static atomic_bool dns_stopping;

void
portal_dns_set(int answers)
{
	atomic_store(&dns_answers, answers ? 1 : 0);
}

/* Reads the question's name (labels) as a dotted lower-case string. */
static int
dns_qname(const unsigned char *m, size_t len, size_t *off, char *name,
    size_t namelen)
{
	size_t o = *off, n = 0, l;

	for (;;) {
		if (o >= len)
			return -1;
		l = m[o++];
		if (l == 0)
			break;
		if (l > 63 || o + l > len || n + l + 2 > namelen)
			return -1;
		if (n > 0)
			name[n++] = '.';
		memcpy(name + n, m + o, l);
		n += l;
		o += l;
	}
	name[n] = '\0';
	if (n > 0 && name[n - 1] == '.')
		name[n - 1] = '\0';
	*off = o;
	return 0;
}

static size_t
put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
	return 2;
}

/* Appends one answer record (name = pointer to the question). */
static size_t
dns_rr(unsigned char *p, size_t room, unsigned type, const char *value)
{
	unsigned char rd[256];
	size_t rdlen = 0, o = 0;
	const char *s, *dot;

	if (type == T_A) {
		if (inet_pton(AF_INET, value, rd) != 1)
			return 0;
		rdlen = 4;
	} else if (type == T_AAAA) {
		if (inet_pton(AF_INET6, value, rd) != 1)
			return 0;
		rdlen = 16;
	} else {
		for (s = value; *s != '\0'; s = *dot ? dot + 1 : dot) {
			dot = strchr(s, '.');
			if (dot == NULL)
				dot = s + strlen(s);
			if ((size_t)(dot - s) > 63 || rdlen + (size_t)(dot - s) +
			    2 > sizeof(rd))
				return 0;
			rd[rdlen++] = (unsigned char)(dot - s);
			memcpy(rd + rdlen, s, (size_t)(dot - s));
			rdlen += (size_t)(dot - s);
		}
		rd[rdlen++] = 0;
	}
	if (room < 12 + rdlen)
		return 0;
	o += put16(p + o, 0xc00c);
	o += put16(p + o, type);
	o += put16(p + o, 1);
	o += put16(p + o, 0);
	o += put16(p + o, 300);
	o += put16(p + o, (unsigned)rdlen);
	memcpy(p + o, rd, rdlen);
	return o + rdlen;
}

static size_t
dns_answer(const unsigned char *q, size_t qlen, unsigned char *r, size_t rlen)
{
	char name[256];
	size_t off = 12, o, n;
	unsigned type, count = 0;
	const struct dns_set *set;
	const char *const *vals = NULL;
	int i;
	bool ours;

	if (qlen < 12 || (q[2] & 0x80) || q[4] != 0 || q[5] != 1)
		return 0;
	if (dns_qname(q, qlen, &off, name, sizeof(name)) < 0 ||
	    off + 4 > qlen)
		return 0;
	type = (unsigned)q[off] << 8 | q[off + 1];
	off += 4;
	if (off > rlen)
		return 0;
	memcpy(r, q, off);		/* header and question */
	r[2] = (unsigned char)(0x84 | (q[2] & 0x01));	/* QR AA RD */
	r[3] = 0x00;
	r[6] = r[7] = r[8] = r[9] = r[10] = r[11] = 0;
	r[4] = 0;
	r[5] = 1;
	ours = strcasecmp(name, PORTAL_HOST) == 0 ||
	    strcasecmp(name, PORTAL_DOMAIN) == 0;
	if (!ours) {
		r[3] = 0x03;		/* NXDOMAIN */
		return off;
	}
	set = &dns_sets[atomic_load(&dns_answers)];
	if (type == T_A)
		vals = set->a;
	else if (type == T_AAAA)
		vals = set->aaaa;
	else if (type == T_NS)
		vals = set->ns;
	o = off;
	for (i = 0; vals != NULL && i < 2; i++) {
		if (vals[i] == NULL)
			continue;
		n = dns_rr(r + o, rlen - o, type, vals[i]);
		if (n == 0)
			break;
		o += n;
		count++;
	}
	put16(r + 6, count);
	return o;
}

static void *
dns_main(void *arg)
{
	unsigned char q[512], r[512];
	struct sockaddr_storage from;
	socklen_t fl;
	struct pollfd pfd;
	ssize_t n;
	size_t rl;

	(void)arg;
	while (!atomic_load(&dns_stopping)) {
		pfd.fd = dns_fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		fl = sizeof(from);
		n = recvfrom(dns_fd, q, sizeof(q), 0, (struct sockaddr *)&from,
		    &fl);
		if (n <= 0)
			continue;
		rl = dns_answer(q, (size_t)n, r, sizeof(r));
		if (rl > 0)
			(void)sendto(dns_fd, r, rl, 0,
			    (struct sockaddr *)&from, fl);
	}
	return NULL;
}

int
portal_dns_start(unsigned *port, char *err, size_t errlen)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);

	if ((dns_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		goto fail;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)*port);
	if (bind(dns_fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    getsockname(dns_fd, (struct sockaddr *)&sin, &sl) < 0)
		goto fail;
	*port = ntohs(sin.sin_port);
	if ((errno = pthread_create(&dns_thread, NULL, dns_main, NULL)) != 0)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "DNS: %s", strerror(errno));
	if (dns_fd >= 0)
		close(dns_fd);
	dns_fd = -1;
	return -1;
}

void
portal_dns_stop(void)
{
	if (dns_fd < 0)
		return;
	atomic_store(&dns_stopping, true);
	pthread_join(dns_thread, NULL);
	close(dns_fd);
	dns_fd = -1;
}
