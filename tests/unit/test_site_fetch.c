/*
 * test_site_fetch.c — site_fetch_many (src/site/fetch.c) against portals
 * served by libmicrohttpd on 127.0.0.1 inside the test: plain, gzip bombs,
 * redirect chains, loops and refused schemes, a page that stalls, binary
 * content, 404, a hundred pages at once, the two User-Agents, and HTTPS
 * with certificates of our own CA (src/lib/pki.h) and of another one.
 * Names are mapped to 127.0.0.1 with o->resolve: no other traffic.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <microhttpd.h>
#include <zlib.h>

#include "lib/pki.h"
#include "site/site.h"

#define PORTAL "portal.phuong.test"
#define OTHER "other.example.test"
#define BOMB_SIZE (8u * 1024 * 1024)	/* decoded size of /gzip */
#define SLOW_MS 5000			/* how long /slow stalls at most */

struct server {
	struct MHD_Daemon *d;
	int port;
};

static struct server plain, tls;
static char *ca_key, *ca_cert, *srv_key, *srv_cert;
static char ca_file[64], other_ca_file[64];
static time_t cert_not_after;
static unsigned char *bomb;		/* gzip of BOMB_SIZE bytes */
static size_t bomb_len;
static unsigned char binary[4096];
static atomic_int stop_slow;
static char resolve[256];

/* --- the portal ---------------------------------------------------------- */

static ssize_t
slow_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)cls;
	(void)buf;
	(void)max;
	if (pos > 0)
		return MHD_CONTENT_READER_END_OF_STREAM;
	/* The headers are out; now stall (bounded, so that the server can
	 * stop), then send one byte too late. */
	for (int i = 0; i < SLOW_MS / 10 && !atomic_load(&stop_slow); i++)
		usleep(10000);
	buf[0] = 'x';
	return 1;
}

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned int status, const char *type,
    const void *body, size_t len, const char *hname, const char *hvalue)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, (void *)(uintptr_t)body,
	    MHD_RESPMEM_MUST_COPY);
	if (type != NULL)
		MHD_add_response_header(r, "Content-Type", type);
	if (hname != NULL)
		MHD_add_response_header(r, hname, hvalue);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
redirect(struct MHD_Connection *c, unsigned int status, const char *to)
{
	return reply(c, status, "text/html", "moved", 5, "Location", to);
}

static enum MHD_Result
portal(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_len, void **req)
{
	struct server *s = cls;
	char buf[512];
	const char *v;
	int n;

	static int seen;

	(void)method;
	(void)version;
	(void)upload;
	(void)upload_len;
	/* Answering in the first call makes libmicrohttpd close the
	 * connection; the second keeps it alive, as a real portal does. */
	if (*req == NULL) {
		*req = &seen;
		return MHD_YES;
	}
	if (strcmp(url, "/plain") == 0) {
		v = "<html><head><title>UBND phường Thái Hòa</title></head>"
		    "<body><p>Tin tức phường</p></body></html>";
		return reply(c, 200, "text/html; charset=UTF-8", v, strlen(v),
		    "X-Frame-Options", "SAMEORIGIN");
	}
	if (strcmp(url, "/gzip") == 0)
		return reply(c, 200, "text/html", bomb, bomb_len,
		    "Content-Encoding", "gzip");
	if (sscanf(url, "/chain/%d", &n) == 1 && n < 3) {
		/* relative, absolute path, absolute URL */
		if (n == 0)
			return redirect(c, 301, "1");
		if (n == 1)
			return redirect(c, 302, "/chain/2");
		snprintf(buf, sizeof(buf), "http://" PORTAL ":%d/landing",
		    s->port);
		return redirect(c, 307, buf);
	}
	if (strcmp(url, "/landing") == 0 || strcmp(url, "/there") == 0) {
		v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
		snprintf(buf, sizeof(buf), "<p>%s at %s</p>", url,
		    v != NULL ? v : "?");
		return reply(c, 200, "text/html", buf, strlen(buf), NULL,
		    NULL);
	}
	if (strcmp(url, "/away") == 0) {
		snprintf(buf, sizeof(buf), "http://" OTHER ":%d/there",
		    s->port);
		return redirect(c, 302, buf);
	}
	if (sscanf(url, "/loop/%d", &n) == 1) {
		snprintf(buf, sizeof(buf), "/loop/%d", n + 1);
		return redirect(c, 302, buf);
	}
	if (strcmp(url, "/cycle/a") == 0)
		return redirect(c, 302, "/cycle/b");
	if (strcmp(url, "/cycle/b") == 0)
		return redirect(c, 302, "/cycle/a");
	if (strcmp(url, "/file") == 0)
		return redirect(c, 302, "file:///etc/passwd");
	if (strcmp(url, "/slow") == 0) {
		struct MHD_Response *r;
		enum MHD_Result ret;

		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64,
		    slow_reader, NULL, NULL);
		MHD_add_response_header(r, "Content-Type", "text/html");
		ret = MHD_queue_response(c, 200, r);
		MHD_destroy_response(r);
		return ret;
	}
	if (strcmp(url, "/hostile") == 0) {
		struct MHD_Response *r;
		enum MHD_Result ret;
		char name[32];

		r = MHD_create_response_from_buffer(2, (void *)"ok",
		    MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, "Content-Type",
		    "TEXT/HTML ; Charset=\"Windows-1258\"");
		MHD_add_response_header(r, "X-Latin1", "caf\xe9 \x01\xff!");
		MHD_add_response_header(r, "Set-Cookie", "a=1");
		MHD_add_response_header(r, "Set-Cookie", "b=2");
		for (n = 0; n < 100; n++) {
			snprintf(name, sizeof(name), "X-Many-%d", n);
			MHD_add_response_header(r, name, "v");
		}
		ret = MHD_queue_response(c, 200, r);
		MHD_destroy_response(r);
		return ret;
	}
	if (strcmp(url, "/bin") == 0)
		return reply(c, 200, "application/octet-stream", binary,
		    sizeof(binary), NULL, NULL);
	if (strcmp(url, "/ua") == 0) {
		const char *lang;

		v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    "User-Agent");
		lang = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    "Accept-Language");
		snprintf(buf, sizeof(buf), "%s|%s", v != NULL ? v : "",
		    lang != NULL ? lang : "");
		return reply(c, 200, "text/plain", buf, strlen(buf), NULL,
		    NULL);
	}
	if (sscanf(url, "/n/%d", &n) == 1) {
		snprintf(buf, sizeof(buf), "<p>page %d</p>", n);
		return reply(c, 200, "text/html", buf, strlen(buf), NULL,
		    NULL);
	}
	return reply(c, 404, "text/html", "not found", 9, NULL, NULL);
}

static int
listen_loopback(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 128), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	return fd;
}

static void
server_start(struct server *s, bool with_tls)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_THREAD_PER_CONNECTION;
	int fd = listen_loopback();

	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	s->port = ntohs(sa.sin_port);
	if (with_tls)
		s->d = MHD_start_daemon(flags | MHD_USE_TLS, 0, NULL, NULL,
		    portal, s, MHD_OPTION_LISTEN_SOCKET, fd,
		    MHD_OPTION_HTTPS_MEM_KEY, srv_key,
		    MHD_OPTION_HTTPS_MEM_CERT, srv_cert,
		    MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
	else
		s->d = MHD_start_daemon(flags, 0, NULL, NULL, portal, s,
		    MHD_OPTION_LISTEN_SOCKET, fd,
		    MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
	assert_non_null(s->d);
}

static void
write_file(char *path, const char *text)
{
	int fd = mkstemp(path);
	FILE *fp;

	assert_true(fd >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static void
make_bomb(void)
{
	static const char line[] = "<p>Tin tức phường Thái Hòa</p>\n";
	unsigned char *plain_text;
	z_stream z;
	size_t i;

	assert_non_null(plain_text = malloc(BOMB_SIZE));
	for (i = 0; i < BOMB_SIZE; i++)
		plain_text[i] = (unsigned char)line[i % (sizeof(line) - 1)];
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 31, 9,
	    Z_DEFAULT_STRATEGY), Z_OK);
	bomb_len = deflateBound(&z, BOMB_SIZE);
	assert_non_null(bomb = malloc(bomb_len));
	z.next_in = plain_text;
	z.avail_in = BOMB_SIZE;
	z.next_out = bomb;
	z.avail_out = (uInt)bomb_len;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	bomb_len = z.total_out;
	deflateEnd(&z);
	free(plain_text);
}

static int
setup(void **state)
{
	const char *names[] = { PORTAL, "127.0.0.1" };
	char err[512], cn[PKI_CN_MAX], serial[65], *k2, *c2;
	size_t i;

	(void)state;
	/* Never through a proxy of the environment: loopback only. */
	unsetenv("http_proxy");
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	make_bomb();
	for (i = 0; i < sizeof(binary); i++)
		binary[i] = (unsigned char)(i * 7 + (i >> 8));
	binary[10] = 0;
	assert_int_equal(pki_ca_create("CA phường thử", 10, &ca_key, &ca_cert,
	    err, sizeof(err)), 0);
	assert_int_equal(pki_server_cert(ca_key, ca_cert, names, 2, 30,
	    &srv_key, &srv_cert, err, sizeof(err)), 0);
	assert_int_equal(pki_cert_info(srv_cert, cn, serial, &cert_not_after,
	    err, sizeof(err)), 0);
	assert_int_equal(pki_ca_create("CA khác", 10, &k2, &c2, err,
	    sizeof(err)), 0);
	snprintf(ca_file, sizeof(ca_file), "/tmp/test_site_fetch.XXXXXX");
	write_file(ca_file, ca_cert);
	snprintf(other_ca_file, sizeof(other_ca_file),
	    "/tmp/test_site_fetch.XXXXXX");
	write_file(other_ca_file, c2);
	free(k2);
	free(c2);
	server_start(&plain, false);
	server_start(&tls, true);
	snprintf(resolve, sizeof(resolve),
	    PORTAL ":%d:127.0.0.1 " OTHER ":%d:127.0.0.1;"
	    PORTAL ":%d:127.0.0.1", plain.port, plain.port, tls.port);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	atomic_store(&stop_slow, 1);
	MHD_stop_daemon(plain.d);
	MHD_stop_daemon(tls.d);
	unlink(ca_file);
	unlink(other_ca_file);
	free(ca_key);
	free(ca_cert);
	free(srv_key);
	free(srv_cert);
	free(bomb);
	return 0;
}

/* --- helpers ------------------------------------------------------------- */

static struct site_limits lim;

static struct site_fetch_opts
opts(void)
{
	struct site_fetch_opts o;

	site_limits_default(&lim);
	memset(&o, 0, sizeof(o));
	o.lim = &lim;
	o.resolve = resolve;
	return o;
}

static char *
url(const char *scheme, int port, const char *path)
{
	static char buf[8][256];
	static int next;
	char *b = buf[next++ % 8];

	snprintf(b, 256, "%s://" PORTAL ":%d%s", scheme, port, path);
	return b;
}

static void
fetch_one(const char *u, enum site_agent agent,
    const struct site_fetch_opts *o, struct site_fetch *f)
{
	site_fetch_many(&u, 1, &agent, 1, o, f);
}

/* --- tests --------------------------------------------------------------- */

static void
test_plain(void **state)
{
	struct site_fetch_opts o = opts();
	struct site_fetch f;

	(void)state;
	fetch_one(url("http", plain.port, "/plain"), SITE_BROWSER, &o, &f);
	assert_int_equal(f.curl_code, 0);
	assert_string_equal(f.error, "");
	assert_int_equal(f.status, 200);
	assert_string_equal(f.final_url, url("http", plain.port, "/plain"));
	assert_string_equal(f.content_type, "text/html");
	assert_string_equal(f.charset, "utf-8");
	assert_non_null(strstr((char *)f.body, "Tin tức phường"));
	assert_int_equal(f.len, strlen((char *)f.body));
	assert_false(f.truncated);
	assert_int_equal(f.nhops, 0);
	assert_false(f.tls);
	assert_false(f.cert_verified);
	assert_string_equal(f.ip, "127.0.0.1");
	assert_true(f.seconds >= f.ttfb);
	assert_string_equal(json_string_value(json_object_get(f.headers,
	    "x-frame-options")), "SAMEORIGIN");
	assert_non_null(json_object_get(f.headers, "content-type"));
	assert_null(json_object_get(f.headers, "X-Frame-Options"));
	site_fetch_free(&f);
}

static void
test_gzip_bounded(void **state)
{
	struct site_fetch_opts o = opts();
	struct site_fetch f;

	(void)state;
	lim.max_body = 256 * 1024;
	fetch_one(url("http", plain.port, "/gzip"), SITE_BROWSER, &o, &f);
	assert_int_equal(f.curl_code, 0);
	assert_int_equal(f.status, 200);
	assert_true(f.truncated);
	assert_int_equal(f.len, lim.max_body);
	assert_int_equal(f.body[f.len], '\0');
	assert_memory_equal(f.body, "<p>Tin tức", strlen("<p>Tin tức"));
	/* decoded, not the compressed bytes */
	assert_true(bomb_len < BOMB_SIZE / 100);
	site_fetch_free(&f);
}

static void
test_redirects(void **state)
{
	struct site_fetch_opts o = opts();
	struct site_fetch f;
	char want[256];

	(void)state;
	fetch_one(url("http", plain.port, "/chain/0"), SITE_BROWSER, &o, &f);
	assert_int_equal(f.curl_code, 0);
	assert_int_equal(f.status, 200);
	assert_int_equal(f.nhops, 3);
	assert_int_equal(f.hops[0].status, 301);
	assert_string_equal(f.hops[0].url, url("http", plain.port,
	    "/chain/0"));
	assert_string_equal(f.hops[0].location, url("http", plain.port,
	    "/chain/1"));
	assert_int_equal(f.hops[1].status, 302);
	assert_string_equal(f.hops[1].location, url("http", plain.port,
	    "/chain/2"));
	assert_int_equal(f.hops[2].status, 307);
	assert_string_equal(f.hops[2].location, url("http", plain.port,
	    "/landing"));
	assert_string_equal(f.final_url, url("http", plain.port, "/landing"));
	assert_non_null(strstr((char *)f.body, "/landing at " PORTAL));
	site_fetch_free(&f);

	/* To another host, which the server sees in Host. */
	fetch_one(url("http", plain.port, "/away"), SITE_CRAWLER, &o, &f);
	assert_int_equal(f.curl_code, 0);
	assert_int_equal(f.nhops, 1);
	snprintf(want, sizeof(want), "http://" OTHER ":%d/there", plain.port);
	assert_string_equal(f.hops[0].location, want);
	assert_string_equal(f.final_url, want);
	assert_non_null(strstr((char *)f.body, "/there at " OTHER));
	site_fetch_free(&f);
}

static void
test_redirect_loops(void **state)
{
	struct site_fetch_opts o = opts();
	struct site_fetch f;

	(void)state;
	lim.max_redirects = 5;
	fetch_one(url("http", plain.port, "/loop/0"), SITE_BROWSER, &o, &f);
	assert_int_equal(f.curl_code, CURLE_TOO_MANY_REDIRECTS);
	assert_non_null(strstr(f.error, "too many redirects"));
	assert_non_null(strstr(f.error, "quá nhiều lần chuyển hướng"));
	assert_int_equal(f.nhops, 6);
	assert_string_equal(f.hops[5].location, url("http", plain.port,
	    "/loop/6"));
	site_fetch_free(&f);

	fetch_one(url("http", plain.port, "/cycle/a"), SITE_BROWSER, &o, &f);
	assert_int_equal(f.curl_code, CURLE_TOO_MANY_REDIRECTS);
	assert_non_null(strstr(f.error, "loop"));
	assert_int_equal(f.nhops, 2);
	assert_string_equal(f.hops[1].location, url("http", plain.port,
	    "/cycle/a"));
	site_fetch_free(&f);
}

static void
test_redirect_file_refused(void **state)
{
	struct site_fetch_opts o = opts();
	struct site_fetch f;

	(void)state;
	fetch_one(url("http", plain.port, "/file"), SITE_BROWSER, &o, &f);
	assert_int_equal(f.curl_code, CURLE_UNSUPPORTED_PROTOCOL);
	assert_non_null(strstr(f.error, "refused protocol"));
	assert_int_equal(f.nhops, 1);
	assert_string_equal(f.hops[0].location, "file:///etc/passwd");
	assert_null(strstr((char *)f.body, "root:"));
	site_fetch_free(&f);

	/* Nor asked directly. */
	fetch_one("file:///etc/passwd", SITE_BROWSER, &o, &f);
	assert_int_equal(f.curl_code, CURLE_UNSUPPORTED_PROTOCOL);
	assert_int_equal(f.len, 0);
	site_fetch_free(&f);
	fetch_one("not a url", SITE_BROWSER, &o, &f);
	assert_int_not_equal(f.curl_code, 0);
	assert_string_not_equal(f.error, "");
	site_fetch_free(&f);
}

static void
test_slow_does_not_stall_others(void **state)
{
	struct site_fetch_opts o = opts();
	struct site_fetch f[8];
	const char *u[4];
	const enum site_agent ag[2] = { SITE_BROWSER, SITE_CRAWLER };
	size_t i;

	(void)state;
	lim.timeout_ms = 800;
	lim.per_host = 3;
	u[0] = url("http", plain.port, "/slow");
	u[1] = url("http", plain.port, "/n/1");
	u[2] = url("http", plain.port, "/plain");
	u[3] = url("http", plain.port, "/n/2");
	site_fetch_many(u, 4, ag, 2, &o, f);
	for (i = 0; i < 2; i++) {
		assert_int_equal(f[i].curl_code, CURLE_OPERATION_TIMEDOUT);
		assert_non_null(strstr(f[i].error, "quá thời gian chờ"));
		assert_non_null(strstr(f[i].error, "timed out"));
		assert_int_equal(f[i].status, 200);	/* headers came */
	}
	for (i = 2; i < 8; i++) {
		assert_int_equal(f[i].curl_code, 0);
		assert_int_equal(f[i].status, 200);
		assert_true(f[i].len > 0);
	}
	for (i = 0; i < 8; i++)
		site_fetch_free(&f[i]);
}

static void
test_hostile_headers(void **state)
{
	struct site_fetch_opts o = opts();
	struct site_fetch f;
	const char *k;
	json_t *v;

	(void)state;
	fetch_one(url("http", plain.port, "/hostile"), SITE_BROWSER, &o, &f);
	assert_int_equal(f.curl_code, 0);
	assert_string_equal(f.content_type, "text/html");
	assert_string_equal(f.charset, "windows-1258");
	assert_string_equal(json_string_value(json_object_get(f.headers,
	    "x-latin1")), "caf? ?" "?!");
	assert_string_equal(json_string_value(json_object_get(f.headers,
	    "set-cookie")), "a=1, b=2");
	assert_true(json_object_size(f.headers) <= 64);
	json_object_foreach(f.headers, k, v)
		assert_true(json_is_string(v));
	site_fetch_free(&f);
}

static void
test_binary_and_404(void **state)
{
	struct site_fetch_opts o = opts();
	struct site_fetch f[2];
	const char *u[2];
	enum site_agent ag = SITE_BROWSER;

	(void)state;
	u[0] = url("http", plain.port, "/bin");
	u[1] = url("http", plain.port, "/nowhere");
	site_fetch_many(u, 2, &ag, 1, &o, f);
	assert_int_equal(f[0].curl_code, 0);
	assert_string_equal(f[0].content_type, "application/octet-stream");
	assert_null(f[0].charset);
	assert_int_equal(f[0].len, sizeof(binary));
	assert_memory_equal(f[0].body, binary, sizeof(binary));
	assert_int_equal(f[1].curl_code, 0);
	assert_int_equal(f[1].status, 404);
	assert_string_equal((char *)f[1].body, "not found");
	site_fetch_free(&f[0]);
	site_fetch_free(&f[1]);
}

static void
test_many(void **state)
{
	struct site_fetch_opts o = opts();
	enum { N = 100 };
	const enum site_agent ag[2] = { SITE_BROWSER, SITE_CRAWLER };
	struct site_fetch *f;
	char *u[N], want[64];
	size_t i;

	(void)state;
	lim.concurrency = 16;
	for (i = 0; i < N; i++) {
		u[i] = malloc(128);
		snprintf(u[i], 128, "http://" PORTAL ":%d/n/%zu", plain.port,
		    i);
	}
	assert_non_null(f = calloc(2 * N, sizeof(*f)));
	site_fetch_many((const char *const *)u, N, ag, 2, &o, f);
	for (i = 0; i < 2 * N; i++) {
		assert_string_equal(f[i].url, u[i / 2]);
		assert_int_equal(f[i].agent, ag[i % 2]);
		assert_int_equal(f[i].curl_code, 0);
		assert_int_equal(f[i].status, 200);
		snprintf(want, sizeof(want), "<p>page %zu</p>", i / 2);
		assert_string_equal((char *)f[i].body, want);
		site_fetch_free(&f[i]);
	}
	for (i = 0; i < N; i++)
		free(u[i]);
	free(f);
}

static void
test_user_agents(void **state)
{
	struct site_fetch_opts o = opts();
	const enum site_agent ag[2] = { SITE_BROWSER, SITE_CRAWLER };
	struct site_fetch f[2];
	const char *u = url("http", plain.port, "/ua");

	(void)state;
	site_fetch_many(&u, 1, ag, 2, &o, f);
	assert_int_equal(f[0].agent, SITE_BROWSER);
	assert_non_null(strstr((char *)f[0].body, "Chrome/"));
	assert_non_null(strstr((char *)f[0].body, "Windows NT"));
	assert_null(strstr((char *)f[0].body, "Googlebot"));
	assert_non_null(strstr((char *)f[0].body, "|vi-VN,vi;q=0.9"));
	assert_int_equal(f[1].agent, SITE_CRAWLER);
	assert_non_null(strstr((char *)f[1].body, "Mozilla/5.0 (compatible; "
	    "Googlebot/2.1; +http://www.google.com/bot.html)"));
	site_fetch_free(&f[0]);
	site_fetch_free(&f[1]);
}

static void
test_https_valid(void **state)
{
	struct site_fetch_opts o = opts();
	struct site_fetch f[4];
	const enum site_agent ag[2] = { SITE_BROWSER, SITE_CRAWLER };
	const char *u[2];
	size_t i;

	(void)state;
	o.cafile = ca_file;
	/* One connection: the second transfer reuses it and must still
	 * know the certificate. */
	lim.concurrency = 1;
	lim.per_host = 1;
	u[0] = url("https", tls.port, "/plain");
	u[1] = url("https", tls.port, "/n/7");
	site_fetch_many(u, 2, ag, 2, &o, f);
	for (i = 0; i < 4; i++) {
		assert_int_equal(f[i].curl_code, 0);
		assert_int_equal(f[i].status, 200);
		assert_true(f[i].tls);
		assert_true(f[i].cert_verified);
		assert_null(f[i].cert_error);
		assert_true(f[i].cert_not_after > 0);
		assert_true(llabs((long long)(f[i].cert_not_after -
		    cert_not_after)) <= 86400);
		assert_non_null(f[i].cert_subject);
		assert_non_null(strstr(f[i].cert_subject, PORTAL));
		assert_non_null(f[i].cert_issuer);
		assert_non_null(strstr(f[i].cert_issuer, "CA phường thử"));
	}
	assert_non_null(strstr((char *)f[0].body, "Tin tức phường"));
	for (i = 0; i < 4; i++)
		site_fetch_free(&f[i]);
}

static void
test_https_other_ca(void **state)
{
	struct site_fetch_opts o = opts();
	struct site_fetch f;

	(void)state;
	o.cafile = other_ca_file;
	fetch_one(url("https", tls.port, "/plain"), SITE_BROWSER, &o, &f);
	assert_int_not_equal(f.curl_code, 0);
	assert_true(f.tls);
	assert_false(f.cert_verified);
	assert_non_null(f.cert_error);
	assert_non_null(strstr(f.error, "TLS"));
	assert_int_equal(f.len, 0);
	site_fetch_free(&f);

	o.insecure_ok = true;
	fetch_one(url("https", tls.port, "/plain"), SITE_CRAWLER, &o, &f);
	assert_int_equal(f.curl_code, 0);
	assert_string_equal(f.error, "");
	assert_int_equal(f.status, 200);
	assert_true(f.tls);
	assert_false(f.cert_verified);
	assert_non_null(f.cert_error);
	assert_non_null(strstr(f.cert_error, "chứng chỉ TLS không hợp lệ"));
	assert_non_null(strstr((char *)f.body, "Tin tức phường"));
	assert_true(llabs((long long)(f.cert_not_after - cert_not_after)) <=
	    86400);
	site_fetch_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_gzip_bounded),
		cmocka_unit_test(test_redirects),
		cmocka_unit_test(test_redirect_loops),
		cmocka_unit_test(test_redirect_file_refused),
		cmocka_unit_test(test_slow_does_not_stall_others),
		cmocka_unit_test(test_hostile_headers),
		cmocka_unit_test(test_binary_and_404),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_user_agents),
		cmocka_unit_test(test_https_valid),
		cmocka_unit_test(test_https_other_ca),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
