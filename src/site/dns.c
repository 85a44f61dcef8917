/*
 * dns.c — the A, AAAA and NS records of a portal's host (site.h), asked
 * with libresolv (res_nquery on a private resolver state, so that threads
 * and tests can each use their own name server) and read with ns_parserr.
 * A change of these answers is how a hijacked domain shows (DNS_CHANGED);
 * answers come from the network and are checked like any other input.
 */
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/text.h"
#include "site/site.h"

#define DNS_ANSWER_MAX 65536	/* bytes of an answer (TCP's bound) */
#define DNS_RECORDS_MAX 64	/* records kept of one type */
#define DNS_RETRANS 2		/* seconds before asking again */
#define DNS_RETRY 1		/* tries per server */

/* How one query ended. */
enum dns_status {
	DNS_OK,			/* answered (maybe with no record) */
	DNS_NXDOMAIN,
	DNS_FAILED,		/* timeout, SERVFAIL, refused, malformed */
};

static int
dns_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The records' texts as a sorted array without duplicates. */
static json_t *
dns_array(char **v, size_t n)
{
	json_t *a = json_array();

	qsort(v, n, sizeof(*v), dns_strcmp);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i], v[i - 1]) != 0)
			json_array_append_new(a, json_string(v[i]));
	return a;
}

/* A host name as text: lower case, no trailing dot, printable ASCII. */
static bool
dns_name_text(char *name)
{
	size_t len = strlen(name);

	if (len > 1 && name[len - 1] == '.')
		name[--len] = '\0';
	if (len == 0 || len > NS_MAXDNAME)
		return false;
	for (char *p = name; *p != '\0'; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
		else if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return false;
	}
	return true;
}

/*
 * One query of host for type; the records of that type of the answer
 * section as a sorted array in *out (empty when none). err gets why not.
 */
static enum dns_status
dns_query(res_state rs, const char *host, int type, json_t **out,
    char *err, size_t errlen)
{
	unsigned char *ans;
	char *v[DNS_RECORDS_MAX], text[NS_MAXDNAME + 1];
	size_t nv = 0;
	ns_msg msg;
	ns_rr rr;
	int len, count, i;
	enum dns_status st = DNS_OK;

	*out = NULL;
	if ((ans = malloc(DNS_ANSWER_MAX)) == NULL)
		abort();
	rs->res_h_errno = 0;
	len = res_nquery(rs, host, ns_c_in, type, ans, DNS_ANSWER_MAX);
	if (len < 0) {
		switch (rs->res_h_errno) {
		case HOST_NOT_FOUND:
			st = DNS_NXDOMAIN;
			snprintf(err, errlen, "không có tên miền — "
			    "no such domain: %.80s", host);
			break;
		case NO_DATA:
			break;		/* the name exists, no such record */
		case TRY_AGAIN:
			st = DNS_FAILED;
			snprintf(err, errlen, "máy chủ DNS không trả lời "
			    "hoặc lỗi tạm thời — the DNS server did not answer "
			    "or failed for now: %.80s", host);
			break;
		default:
			st = DNS_FAILED;
			snprintf(err, errlen, "máy chủ DNS từ chối hoặc trả "
			    "lời sai — the DNS server refused or answered "
			    "wrongly: %.80s", host);
			break;
		}
		goto done;
	}
	if (len > DNS_ANSWER_MAX || ns_initparse(ans, len, &msg) < 0) {
		st = DNS_FAILED;
		snprintf(err, errlen, "câu trả lời DNS hỏng — malformed DNS "
		    "answer: %.80s", host);
		goto done;
	}
	count = ns_msg_count(msg, ns_s_an);
	for (i = 0; i < count && nv < DNS_RECORDS_MAX; i++) {
		if (ns_parserr(&msg, ns_s_an, i, &rr) < 0) {
			st = DNS_FAILED;
			snprintf(err, errlen, "câu trả lời DNS hỏng — "
			    "malformed DNS answer: %.80s", host);
			goto done;
		}
		if (ns_rr_class(rr) != ns_c_in || (int)ns_rr_type(rr) != type)
			continue;	/* CNAMEs on the way, strays */
		if (type == ns_t_a && ns_rr_rdlen(rr) == 4)
			inet_ntop(AF_INET, ns_rr_rdata(rr), text, sizeof(text));
		else if (type == ns_t_aaaa && ns_rr_rdlen(rr) == 16)
			inet_ntop(AF_INET6, ns_rr_rdata(rr), text,
			    sizeof(text));
		else if (type == ns_t_ns) {
			if (ns_name_uncompress(ns_msg_base(msg),
			    ns_msg_end(msg), ns_rr_rdata(rr), text,
			    sizeof(text)) < 0 || !dns_name_text(text))
				continue;
		} else
			continue;
		v[nv++] = text_dup(text);
	}
done:
	if (st == DNS_OK)
		*out = dns_array(v, nv);
	for (size_t k = 0; k < nv; k++)
		free(v[k]);
	free(ans);
	return st;
}

/* "127.0.0.1:5353" (or "127.0.0.1", port 53) as the only server. */
static int
dns_server(res_state rs, const char *ns)
{
	char addr[INET_ADDRSTRLEN];
	const char *colon = strrchr(ns, ':');
	long port = 53;
	struct sockaddr_in sa;
	size_t n = colon != NULL ? (size_t)(colon - ns) : strlen(ns);

	if (n == 0 || n >= sizeof(addr))
		return -1;
	memcpy(addr, ns, n);
	addr[n] = '\0';
	if (colon != NULL && (!text_to_long(colon + 1, &port) || port < 1 ||
	    port > 65535))
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return -1;
	rs->nsaddr_list[0] = sa;
	rs->nscount = 1;
	return 0;
}

int
site_dns_lookup(const char *host, const char *nameserver,
    struct site_dns *out)
{
	struct __res_state rs;
	static const int types[3] = { ns_t_a, ns_t_aaaa, ns_t_ns };
	json_t **slot[3];
	char name[NS_MAXDNAME + 1], err[sizeof(out->error)];
	unsigned char bin[sizeof(struct in6_addr)];
	enum dns_status st;
	size_t len;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->a = json_array();
	out->aaaa = json_array();
	out->ns = json_array();
	slot[0] = &out->a;
	slot[1] = &out->aaaa;
	slot[2] = &out->ns;
	if (host == NULL || (len = strlen(host)) == 0 || len > NS_MAXDNAME) {
		snprintf(out->error, sizeof(out->error), "tên máy không hợp "
		    "lệ — invalid host name");
		return -1;
	}
	/* An address instead of a name: nothing to ask. */
	if (len > 2 && host[0] == '[' && host[len - 1] == ']')
		snprintf(name, sizeof(name), "%.*s", (int)len - 2, host + 1);
	else
		snprintf(name, sizeof(name), "%s", host);
	if (inet_pton(AF_INET, name, bin) == 1) {
		json_array_append_new(out->a, json_string(name));
		return 0;
	}
	if (inet_pton(AF_INET6, name, bin) == 1) {
		char canon[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, bin, canon, sizeof(canon));
		json_array_append_new(out->aaaa, json_string(canon));
		return 0;
	}
	if (!dns_name_text(name)) {
		snprintf(out->error, sizeof(out->error), "tên máy không hợp "
		    "lệ — invalid host name");
		return -1;
	}

	memset(&rs, 0, sizeof(rs));
	if (res_ninit(&rs) != 0) {
		snprintf(out->error, sizeof(out->error), "không khởi tạo được "
		    "bộ phân giải DNS — could not initialise the DNS resolver");
		return -1;
	}
	rs.retrans = DNS_RETRANS;
	rs.retry = DNS_RETRY;
	rs.options &= ~(unsigned long)(RES_DNSRCH | RES_DEFNAMES);
	if (nameserver != NULL && dns_server(&rs, nameserver) != 0) {
		snprintf(out->error, sizeof(out->error), "máy chủ DNS không "
		    "hợp lệ — invalid DNS server: %.60s", nameserver);
		res_nclose(&rs);
		return -1;
	}
	for (int i = 0; i < 3; i++) {
		json_t *got;

		err[0] = '\0';
		st = dns_query(&rs, name, types[i], &got, err, sizeof(err));
		if (st == DNS_OK) {
			json_decref(*slot[i]);
			*slot[i] = got;
			continue;
		}
		/* No such domain, or no server: the other types would say
		 * the same, slowly. */
		memcpy(out->error, err, sizeof(out->error));
		rc = -1;
		if (st == DNS_NXDOMAIN || st == DNS_FAILED)
			break;
	}
	res_nclose(&rs);
	return rc;
}

void
site_dns_free(struct site_dns *d)
{
	if (d == NULL)
		return;
	json_decref(d->a);
	json_decref(d->aaaa);
	json_decref(d->ns);
	memset(d, 0, sizeof(*d));
}
