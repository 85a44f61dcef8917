/*
 * portal.c — serves the test ward portal on 127.0.0.1 (libmicrohttpd, one
 * thread per connection, optionally TLS with a CA and certificate made by
 * src/lib/pki.h) and its DNS responder, and switches what it serves at
 * run time through GET /__control/NAME?key=K (the key printed at start).
 * Any Host is answered: the portal's own name and 127.0.0.1 get the
 * portal, any other name (the betting domains redirects lead to) a betting
 * landing page. tests/site/README.md tells the options and the variants.
 *
 *   portal [--port N] [--port-file F] [--state DIR] [--tls]
 *          [--cert-days N] [--dns-port-file F] [--pages N] [--key K]
 *          [--variant NAME] [--stall SECONDS] [--log FILE]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <iconv.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "lib/pki.h"
#include "portal.h"

#define HUGE_SIZE ((uint64_t)50 * 1024 * 1024)

static struct {
	atomic_int variant;
	atomic_uint_fast64_t visits;
	atomic_uint_fast64_t browser;
	atomic_uint_fast64_t crawler;
	atomic_uint_fast64_t foreign;
	atomic_bool stopping;
	uint64_t seed;
	unsigned npages;
	unsigned port;
	int stall_s;
	bool tls;
	char key[40];
	FILE *log;
	pthread_mutex_t log_lock;
} P = {
	.npages = 60,
	.stall_s = 30,
	.log_lock = PTHREAD_MUTEX_INITIALIZER,
};

static void
usage(void)
{
	fputs("usage: portal [--port N] [--port-file F] [--state DIR] [--tls] "
	    "[--cert-days N]\n              [--dns-port-file F] [--pages N] "
	    "[--key K] [--variant NAME]\n              [--stall SECONDS] "
	    "[--log FILE]\n", stderr);
	exit(2);
}

/* Writes text to path through a temporary file and a rename, so that a
 * script polling for the file never reads half of it. */
static int
write_file(const char *path, const char *text)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		return -1;
	fputs(text, f);
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		return -1;
	return 0;
}

/* ---- answers ------------------------------------------------------------ */

static void
headers_add(struct MHD_Response *resp, const char *ctype,
    const char *nonce, uint64_t rnd)
{
	char csp[300], cookie[120];
	enum portal_variant v = (enum portal_variant)atomic_load(&P.variant);

	MHD_add_response_header(resp, "Content-Type", ctype);
	MHD_add_response_header(resp, "Server", "Microsoft-IIS/10.0");
	MHD_add_response_header(resp, "X-Powered-By", "ASP.NET");
	MHD_add_response_header(resp, "Cache-Control", "no-cache, no-store");
	snprintf(cookie, sizeof(cookie), "ASP.NET_SessionId=%016llx%08x; "
	    "path=/; HttpOnly; SameSite=Lax", (unsigned long long)rnd,
	    (unsigned)(rnd >> 17));
	MHD_add_response_header(resp, "Set-Cookie", cookie);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy",
	    "strict-origin-when-cross-origin");
	if (P.tls)
		MHD_add_response_header(resp, "Strict-Transport-Security",
		    "max-age=31536000");
	if (v == PORTAL_HEADERS)
		return;
	MHD_add_response_header(resp, "X-Frame-Options", "SAMEORIGIN");
	snprintf(csp, sizeof(csp), "default-src 'self'; script-src 'self' "
	    "'nonce-%s' https://www.googletagmanager.com; img-src 'self' "
	    "data: https:; frame-ancestors 'self'", nonce != NULL ? nonce :
	    "none");
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
}

static enum MHD_Result
answer(struct MHD_Connection *conn, unsigned status, const char *ctype,
    struct sbuf *b, const char *location, const char *nonce, uint64_t rnd)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(b->len, b->s,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(b->s);
		return MHD_NO;
	}
	b->s = NULL;
	headers_add(resp, ctype, nonce, rnd);
	if (location != NULL)
		MHD_add_response_header(resp, "Location", location);
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
answer_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
	struct sbuf b = {0};

	sb_add(&b, text);
	return answer(conn, status, "text/plain; charset=utf-8", &b, NULL,
	    NULL, 0);
}

/* The slow page: the headers, then nothing until the stall is over. */
static ssize_t
slow_body(void *cls, uint64_t pos, char *buf, size_t max)
{
	int i;

	(void)cls;
	(void)buf;
	(void)max;
	(void)pos;
	for (i = 0; i < P.stall_s * 10 && !atomic_load(&P.stopping); i++)
		usleep(100 * 1000);
	return MHD_CONTENT_READER_END_WITH_ERROR;
}

/* The huge page: a valid start, then paragraphs up to 50 MiB. */
static ssize_t
huge_body(void *cls, uint64_t pos, char *buf, size_t max)
{
	static const char head[] = "<!DOCTYPE html><html lang=\"vi\"><head>"
	    "<meta charset=\"utf-8\"><title>Liên hệ – Cổng thông tin điện tử "
	    "phường Thái Hòa</title></head><body><main>";
	static const char fill[] = "<p>Ủy ban nhân dân phường Thái Hòa tiếp "
	    "nhận phản ánh, kiến nghị của người dân.</p>\n";
	size_t i, n;

	(void)cls;
	if (pos >= HUGE_SIZE || atomic_load(&P.stopping))
		return MHD_CONTENT_READER_END_OF_STREAM;
	n = max;
	if (n > HUGE_SIZE - pos)
		n = (size_t)(HUGE_SIZE - pos);
	for (i = 0; i < n; i++) {
		uint64_t p = pos + i;

		buf[i] = p < sizeof(head) - 1 ? head[p] :
		    fill[(p - (sizeof(head) - 1)) % (sizeof(fill) - 1)];
	}
	return (ssize_t)n;
}

static enum MHD_Result
answer_callback(struct MHD_Connection *conn, uint64_t size,
    MHD_ContentReaderCallback cb)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_callback(size, 64 * 1024, cb, NULL,
	    NULL);
	if (resp == NULL)
		return MHD_NO;
	headers_add(resp, "text/html; charset=utf-8", NULL, 0);
	ret = MHD_queue_response(conn, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
answer_hostile(struct MHD_Connection *conn, enum portal_variant v,
    const char *base)
{
	struct sbuf b = {0};
	char *loc;
	uint64_t r;
	size_t i;

	switch (v) {
	case PORTAL_SLOW:
		return answer_callback(conn, MHD_SIZE_UNKNOWN, slow_body);
	case PORTAL_HUGE:
		return answer_callback(conn, HUGE_SIZE, huge_body);
	case PORTAL_LOOP:
		if (asprintf(&loc, "%s/loop/1", base) < 0)
			abort();
		sb_add(&b, "<html><body>Moved</body></html>\n");
		{
			enum MHD_Result ret = answer(conn, 302,
			    "text/html; charset=utf-8", &b, loc, NULL, 0);

			free(loc);
			return ret;
		}
	case PORTAL_BINARY:
		/* A PNG (signature, IHDR) and noise, labelled text/html. */
		sb_addn(&b, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x04\0\0\0\x03\0"
		    "\x08\x06\0\0\0", 29);
		r = P.seed;
		for (i = 0; i < 64 * 1024; i++) {
			char c = (char)(portal_rand(&r) & 0xff);

			sb_addn(&b, &c, 1);
		}
		return answer(conn, 200, "text/html; charset=utf-8", &b, NULL,
		    NULL, 0);
	default:	/* PORTAL_INVALID: tag soup, nothing of the page left */
		sb_add(&b, "<html><<body <div <<<p>>> </table></tr><td "
		    "<script <!-- <title>></title></html></html><body><body>"
		    "\xff\xfe<a href='<a'>&#xFFFFFFF;&bogus;</b></i></u>");
		for (i = 0; i < 2000; i++)
			sb_add(&b, "<div><span><table><tr><td><p><li>");
		return answer(conn, 200, "text/html; charset=utf-8", &b, NULL,
		    NULL, 0);
	}
}

/* The legacy page, converted to Windows-1258 with iconv (glibc writes the
 * tone marks as combining characters, as the old editors did). */
static int
to_cp1258(struct sbuf *b)
{
	iconv_t cd;
	char *in = b->s, *out, *o;
	size_t il = b->len, ol = b->len * 2 + 16, n;

	if ((cd = iconv_open("WINDOWS-1258", "UTF-8")) == (iconv_t)-1)
		return -1;
	if ((out = malloc(ol)) == NULL)
		abort();
	o = out;
	n = iconv(cd, &in, &il, &o, &ol);
	iconv_close(cd);
	if (n == (size_t)-1) {
		free(out);
		return -1;
	}
	free(b->s);
	b->s = out;
	b->len = (size_t)(o - out);
	b->cap = b->len + ol;
	return 0;
}

static enum MHD_Result
control(struct MHD_Connection *conn, const char *name)
{
	const char *key;
	char text[400];
	int v;

	key = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "key");
	if (key == NULL || strcmp(key, P.key) != 0)
		return answer_text(conn, 404, "Not Found\n");
	if (strcmp(name, "stats") == 0) {
		snprintf(text, sizeof(text), "{\"variant\":\"%s\",\"visits\":"
		    "%llu,\"browser\":%llu,\"crawler\":%llu,\"foreign\":%llu}\n",
		    portal_variant_name((enum portal_variant)
		    atomic_load(&P.variant)),
		    (unsigned long long)atomic_load(&P.visits),
		    (unsigned long long)atomic_load(&P.browser),
		    (unsigned long long)atomic_load(&P.crawler),
		    (unsigned long long)atomic_load(&P.foreign));
		return answer_text(conn, 200, text);
	}
	if (strcmp(name, "dns-0") == 0 || strcmp(name, "dns-1") == 0) {
		portal_dns_set(name[4] - '0');
		return answer_text(conn, 200, "ok\n");
	}
	if ((v = portal_variant_parse(name)) < 0)
		return answer_text(conn, 404, "no such variant\n");
	atomic_store(&P.variant, v);
	snprintf(text, sizeof(text), "ok %s\n", name);
	return answer_text(conn, 200, text);
}

/* The Host header's name without the port, lower case; "" when it holds
 * anything but a plain name or address. */
static void
host_of(const char *hosthdr, char *host, size_t len, char *base,
    size_t baselen)
{
	size_t i, n = 0;
	const char *h = hosthdr;

	if (h == NULL || strlen(h) > 200 ||
	    strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789.-:[]") != strlen(h)) {
		snprintf(host, len, "127.0.0.1");
		snprintf(base, baselen, "%s://127.0.0.1:%u",
		    P.tls ? "https" : "http", P.port);
		return;
	}
	for (i = 0; h[i] != '\0' && h[i] != ':' && n + 1 < len; i++)
		host[n++] = (char)(h[i] >= 'A' && h[i] <= 'Z' ? h[i] + 32 :
		    h[i]);
	host[n] = '\0';
	snprintf(base, baselen, "%s://%s", P.tls ? "https" : "http", h);
}

static enum MHD_Result
access_cb(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *data,
    size_t *data_size, void **con_cls)
{
	struct portal_req req;
	struct sbuf b = {0};
	char host[256], base[300], *loc = NULL;
	const char *ua;
	enum portal_variant v;
	unsigned n;
	int status;
	enum MHD_Result ret;

	(void)cls;
	(void)version;
	(void)data;
	if (*con_cls == NULL) {		/* the headers only, first call */
		*con_cls = conn;
		return MHD_YES;
	}
	if (*data_size != 0) {		/* a body we do not read */
		*data_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return answer_text(conn, 405, "Method Not Allowed\n");
	if (strncmp(url, "/__control/", 11) == 0)
		return control(conn, url + 11);

	ua = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "User-Agent");
	host_of(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host"),
	    host, sizeof(host), base, sizeof(base));
	memset(&req, 0, sizeof(req));
	req.path = url;
	req.base = base;
	req.crawler = ua != NULL && strcasestr(ua, "googlebot") != NULL;
	req.variant = v = (enum portal_variant)atomic_load(&P.variant);
	req.visit = atomic_fetch_add(&P.visits, 1) + 1;
	req.rnd = P.seed ^ (req.visit * 0x9e3779b97f4a7c15ULL);
	req.npages = P.npages;
	req.port = P.port;
	{
		uint64_t t = portal_rand(&req.rnd);

		snprintf(req.nonce, sizeof(req.nonce), "%016llx",
		    (unsigned long long)t);
	}
	atomic_fetch_add(req.crawler ? &P.crawler : &P.browser, 1);
	if (P.log != NULL) {
		pthread_mutex_lock(&P.log_lock);
		fprintf(P.log, "%s\t%s\t%s\n", host, url,
		    req.crawler ? "crawler" : "browser");
		fflush(P.log);
		pthread_mutex_unlock(&P.log_lock);
	}

	if (strcmp(host, PORTAL_HOST) != 0 && strcmp(host, "127.0.0.1") != 0 &&
	    strcmp(host, "localhost") != 0) {
		atomic_fetch_add(&P.foreign, 1);
		portal_foreign_page(host, &b);
		return answer(conn, 200, "text/html; charset=utf-8", &b, NULL,
		    req.nonce, req.rnd);
	}
	if (strcmp(url, "/sitemap.xml") == 0) {
		portal_sitemap(&req, &b);
		return answer(conn, 200, "application/xml; charset=utf-8", &b,
		    NULL, NULL, req.rnd);
	}
	if (strcmp(url, "/robots.txt") == 0) {
		sb_printf(&b, "User-agent: *\nDisallow: /quan-tri/\nSitemap: "
		    "%s/sitemap.xml\n", base);
		return answer(conn, 200, "text/plain; charset=utf-8", &b, NULL,
		    NULL, req.rnd);
	}
	if (sscanf(url, "/loop/%u", &n) == 1) {
		if (asprintf(&loc, "%s/loop/%u", base, n + 1) < 0)
			abort();
		sb_add(&b, "<html><body>Moved</body></html>\n");
		ret = answer(conn, 302, "text/html; charset=utf-8", &b, loc,
		    NULL, req.rnd);
		free(loc);
		return ret;
	}
	if (strcmp(url, PORTAL_HOSTILE_PATH) == 0 && v >= PORTAL_SLOW)
		return answer_hostile(conn, v, base);

	status = portal_page(&req, &b, &loc);
	if (strcmp(url, PORTAL_CP1258_PATH) == 0) {
		if (to_cp1258(&b) < 0) {
			free(b.s);
			return answer_text(conn, 500, "iconv WINDOWS-1258\n");
		}
		return answer(conn, 200, "text/html; charset=windows-1258", &b,
		    NULL, req.nonce, req.rnd);
	}
	ret = answer(conn, (unsigned)status, "text/html; charset=utf-8", &b,
	    loc, req.nonce, req.rnd);
	free(loc);
	return ret;
}

/* ---- the program ---------------------------------------------------------- */

static int
tls_material(const char *state, int days, char **key, char **cert)
{
	static const char *const names[] = {PORTAL_HOST, "localhost",
	    "127.0.0.1"};
	char err[300], path[4096], *ca_key = NULL, *ca_cert = NULL;

	if (pki_ca_create("Canh Gác – CA thử cổng thông tin", 3650, &ca_key,
	    &ca_cert, err, sizeof(err)) < 0 ||
	    pki_server_cert(ca_key, ca_cert, names, 3, days, key, cert, err,
	    sizeof(err)) < 0) {
		fprintf(stderr, "portal: %s\n", err);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/ca.pem", state);
	if (write_file(path, ca_cert) < 0) {
		fprintf(stderr, "portal: %s: %s\n", path, strerror(errno));
		return -1;
	}
	free(ca_key);
	free(ca_cert);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"port", required_argument, NULL, 'p'},
		{"port-file", required_argument, NULL, 'f'},
		{"state", required_argument, NULL, 's'},
		{"tls", no_argument, NULL, 't'},
		{"cert-days", required_argument, NULL, 'c'},
		{"dns-port-file", required_argument, NULL, 'd'},
		{"pages", required_argument, NULL, 'n'},
		{"key", required_argument, NULL, 'k'},
		{"variant", required_argument, NULL, 'v'},
		{"stall", required_argument, NULL, 'w'},
		{"log", required_argument, NULL, 'l'},
		{NULL, 0, NULL, 0},
	};
	const char *port_file = NULL, *dns_file = NULL, *state = ".";
	char *key_pem = NULL, *cert_pem = NULL, err[200], text[64];
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *di;
	struct sockaddr_in sin;
	unsigned port = 0, dns_port = 0;
	int c, cert_days = 397, v, sig;
	sigset_t set;
	unsigned char rnd[16];

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'p': port = (unsigned)atoi(optarg); break;
		case 'f': port_file = optarg; break;
		case 's': state = optarg; break;
		case 't': P.tls = true; break;
		case 'c': cert_days = atoi(optarg); break;
		case 'd': dns_file = optarg; break;
		case 'n': P.npages = (unsigned)atoi(optarg); break;
		case 'k': snprintf(P.key, sizeof(P.key), "%s", optarg); break;
		case 'v':
			if ((v = portal_variant_parse(optarg)) < 0)
				usage();
			atomic_store(&P.variant, v);
			break;
		case 'w': P.stall_s = atoi(optarg); break;
		case 'l':
			if ((P.log = fopen(optarg, "a")) == NULL) {
				perror(optarg);
				return 2;
			}
			break;
		default: usage();
		}
	}
	if (optind != argc || port > 65535 || P.npages < 1 ||
	    P.npages > 1000000 || cert_days < 1 || P.stall_s < 0)
		usage();
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return 2;
	memcpy(&P.seed, rnd, sizeof(P.seed));
	if (P.key[0] == '\0')
		snprintf(P.key, sizeof(P.key), "%02x%02x%02x%02x%02x%02x%02x%02x",
		    rnd[8], rnd[9], rnd[10], rnd[11], rnd[12], rnd[13], rnd[14],
		    rnd[15]);
	mkdir(state, 0700);
	if (P.tls && tls_material(state, cert_days, &key_pem, &cert_pem) < 0)
		return 1;

	/* The signals are waited for in main; every thread inherits the
	 * mask. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)port);
	if (P.tls)
		d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
		    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
		    MHD_USE_TLS, 0, NULL, NULL, access_cb, NULL,
		    MHD_OPTION_SOCK_ADDR, &sin,
		    MHD_OPTION_HTTPS_MEM_KEY, key_pem,
		    MHD_OPTION_HTTPS_MEM_CERT, cert_pem,
		    MHD_OPTION_CONNECTION_TIMEOUT, 30u,
		    MHD_OPTION_CONNECTION_LIMIT, 512u,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256 * 1024),
		    MHD_OPTION_END);
	else
		d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
		    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL, 0, NULL,
		    NULL, access_cb, NULL,
		    MHD_OPTION_SOCK_ADDR, &sin,
		    MHD_OPTION_CONNECTION_TIMEOUT, 30u,
		    MHD_OPTION_CONNECTION_LIMIT, 512u,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256 * 1024),
		    MHD_OPTION_END);
	if (d == NULL) {
		fputs("portal: không khởi động được máy chủ HTTP — cannot "
		    "start the HTTP server\n", stderr);
		return 1;
	}
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	P.port = di != NULL ? di->port : port;
	if (dns_file != NULL) {
		if (portal_dns_start(&dns_port, err, sizeof(err)) < 0) {
			fprintf(stderr, "portal: %s\n", err);
			return 1;
		}
		snprintf(text, sizeof(text), "%u\n", dns_port);
		if (write_file(dns_file, text) < 0) {
			perror(dns_file);
			return 1;
		}
	}
	/* The key first: a script that sees the port file finds the key. */
	{
		char path[4096];

		snprintf(path, sizeof(path), "%s/control.key", state);
		snprintf(text, sizeof(text), "%s\n", P.key);
		if (write_file(path, text) < 0) {
			perror(path);
			return 1;
		}
	}
	if (port_file != NULL) {
		snprintf(text, sizeof(text), "%u\n", P.port);
		if (write_file(port_file, text) < 0) {
			perror(port_file);
			return 1;
		}
	}
	printf("portal %s://%s:%u/ key %s dns %u pages %u variant %s\n",
	    P.tls ? "https" : "http", PORTAL_HOST, P.port, P.key, dns_port,
	    P.npages, portal_variant_name((enum portal_variant)
	    atomic_load(&P.variant)));
	fflush(stdout);

	sigwait(&set, &sig);
	atomic_store(&P.stopping, true);
	MHD_stop_daemon(d);
	portal_dns_stop();
	free(key_pem);
	free(cert_pem);
	if (P.log != NULL)
		fclose(P.log);
	return 0;
}
