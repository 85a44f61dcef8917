/*
 * test_site_round.c — one round of the portal monitor (src/site/monitor.c)
 * against a small ward portal served by libmicrohttpd on 127.0.0.1 inside
 * the test: three pages whose visitor counter and token change on every
 * fetch, and sitemaps (a urlset, an index, foreign and other-port URLs).
 * Baseline then check raises nothing; a replaced page raises an alert on
 * that page only; state files are whole JSON written by rename and not
 * rewritten by a check; sitemap discovery stays on the host, one level of
 * index, bounded.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <microhttpd.h>

#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"
#include "site/monitor.h"

static struct MHD_Daemon *srv;
static unsigned short port;
static volatile int defaced;		/* /gioi-thieu.html replaced */
static volatile int index_sitemap;	/* /sitemap.xml is an index */
static volatile unsigned counter;
static char statedir[64];

static const char *const news[] = {
	"Phường Thái Hòa tổ chức Hội nghị tiếp xúc cử tri",
	"Thông báo lịch tiếp công dân tháng 12",
	"Ra quân tổng vệ sinh môi trường khu dân cư",
	"Hướng dẫn nộp hồ sơ trực tuyến trên Cổng dịch vụ công",
	"Kế hoạch tiêm chủng mở rộng năm 2026",
};

static char *
page_body(const char *path, unsigned n)
{
	const char *title, *main;
	char *list, *t, *body;
	size_t i;

	if (strcmp(path, "/") == 0) {
		title = "Cổng thông tin điện tử phường Thái Hòa";
		main = "Chào mừng quý vị đến với cổng thông tin điện tử của "
		    "Ủy ban nhân dân phường Thái Hòa.";
	} else if (strcmp(path, "/gioi-thieu.html") == 0) {
		title = "Giới thiệu — phường Thái Hòa";
		main = "Phường Thái Hòa có diện tích tự nhiên 5,2 km² với 12 "
		    "tổ dân phố. Đảng bộ phường gồm 24 chi bộ trực thuộc.";
		if (defaced) {
			title = "Hacked by Anonymous";
			main = "Your security is low. Hacked by Anonymous. "
			    "Greetz to all.";
		}
	} else if (strcmp(path, "/lien-he.html") == 0) {
		title = "Liên hệ — phường Thái Hòa";
		main = "Địa chỉ: số 1 đường Trần Hưng Đạo. Điện thoại: "
		    "0234 3822 123. Thư điện tử: thaihoa@hue.gov.vn.";
	} else
		return NULL;
	list = text_dup("");
	for (i = 0; i < 3; i++) {
		t = text_printf("%s<li><a href=\"/tin-tuc/%u.html\">%s</a>"
		    "</li>", list, (n + (unsigned)i) % 5,
		    news[(n + i) % 5]);
		free(list);
		list = t;
	}
	body = text_printf("<!DOCTYPE html><html lang=\"vi\"><head>"
	    "<meta charset=\"utf-8\"><title>%s</title>"
	    "<script>var csrf=\"%08x%08x\";</script></head><body>"
	    "<header><h1>Ủy ban nhân dân phường Thái Hòa</h1>"
	    "<nav><a href=\"/\">Trang chủ</a> <a href=\"/gioi-thieu.html\">"
	    "Giới thiệu</a> <a href=\"/lien-he.html\">Liên hệ</a></nav>"
	    "</header><main><p>%s</p><ul id=\"tin\">%s</ul></main>"
	    "<footer><p id=\"dem\">Lượt truy cập: %u</p><p>Bản quyền © "
	    "UBND phường Thái Hòa</p></footer></body></html>", title,
	    n * 2654435761u, n ^ 0x5bd1e995u, main, list, 1000 + n);
	free(list);
	return body;
}

static char *
sitemap_body(const char *path)
{
	if (strcmp(path, "/sitemap.xml") == 0 && index_sitemap)
		return text_printf("<?xml version=\"1.0\"?>\n<sitemapindex "
		    "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
		    "<sitemap><loc>http://127.0.0.1:%u/sitemap-1.xml</loc>"
		    "</sitemap><sitemap><loc>http://nohu88.bet.test/s.xml"
		    "</loc></sitemap></sitemapindex>", port);
	if (strcmp(path, "/sitemap.xml") == 0 ||
	    strcmp(path, "/sitemap-1.xml") == 0)
		return text_printf("<?xml version=\"1.0\"?>\n<urlset "
		    "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
		    "<url><loc>http://127.0.0.1:%u/</loc></url>"
		    "<url><loc> http://127.0.0.1:%u/gioi-thieu.html </loc>"
		    "</url><url><loc>http://127.0.0.1:%u/lien-he.html</loc>"
		    "</url><url><loc>http://nohu88.bet.test/</loc></url>"
		    "<url><loc>http://127.0.0.1:%u/khac.html</loc></url>"
		    "</urlset>", port, port, port,
		    (unsigned)(port == 65535 ? 1 : port + 1));
	return NULL;
}

static enum MHD_Result
serve(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_len, void **ptr)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	char *body;
	unsigned status = 200;
	bool xml = false;

	(void)cls; (void)method; (void)version; (void)upload;
	(void)upload_len; (void)ptr;
	body = page_body(url, __atomic_add_fetch(&counter, 1,
	    __ATOMIC_SEQ_CST));
	if (body == NULL && (body = sitemap_body(url)) != NULL)
		xml = true;
	if (body == NULL) {
		body = text_dup("<html><head><title>404</title></head>"
		    "<body><p>Không tìm thấy trang</p></body></html>");
		status = 404;
	}
	r = MHD_create_response_from_buffer(strlen(body), body,
	    MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(r, "Content-Type", xml ? "application/xml" :
	    "text/html; charset=utf-8");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "SAMEORIGIN");
	MHD_add_response_header(r, "Content-Security-Policy",
	    "default-src 'self'; frame-ancestors 'self'");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static int
setup(void **state)
{
	struct sockaddr_in sin;
	const union MHD_DaemonInfo *di;

	(void)state;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	srv = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL, serve, NULL,
	    MHD_OPTION_SOCK_ADDR, &sin, MHD_OPTION_END);
	if (srv == NULL)
		return -1;
	di = MHD_get_daemon_info(srv, MHD_DAEMON_INFO_BIND_PORT);
	port = di->port;
	snprintf(statedir, sizeof(statedir), "/tmp/cg-site-round-XXXXXX");
	if (mkdtemp(statedir) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	MHD_stop_daemon(srv);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", statedir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *
url(const char *path)
{
	return text_printf("http://127.0.0.1:%u%s", port, path);
}

static void
opts(struct site_round_opts *o, struct site_limits *lim, char **urls,
    size_t n)
{
	site_limits_default(lim);
	lim->timeout_ms = 10000;
	memset(o, 0, sizeof(*o));
	o->state_dir = statedir;
	o->urls = (const char *const *)urls;
	o->n = n;
	o->lim = lim;
	o->fetches = 3;
}

static json_t *
page_of(json_t *res, const char *u)
{
	json_t *p;
	size_t i;

	json_array_foreach(json_object_get(res, "pages"), i, p)
		if (strcmp(json_str(p, "url", ""), u) == 0)
			return p;
	return NULL;
}

static bool
has_kind(json_t *alerts, const char *kind)
{
	json_t *a;
	size_t i;

	json_array_foreach(alerts, i, a)
		if (strcmp(json_str(a, "kind", ""), kind) == 0)
			return true;
	return false;
}

static void
dump_if(bool cond, json_t *res)
{
	char *s;

	if (!cond)
		return;
	s = json_dumps(res, JSON_INDENT(1));
	fprintf(stderr, "%s\n", s);
	free(s);
}

static char *
read_state(const char *u)
{
	char *path = site_state_path(statedir, u), *buf = NULL;
	size_t len;

	assert_int_equal(file_read_path(path, SITE_STATE_MAX, &buf, &len), 0);
	free(path);
	return buf;
}

/* Baseline three pages, then rounds of the changing portal: no alert;
 * the replaced page alerts, alone; back to normal: no alert. */
static void
test_round(void **state)
{
	struct site_round_opts o;
	struct site_limits lim;
	char *urls[3], err[512], *before, *after;
	json_t *res, *p, *st;
	struct dirent *de;
	DIR *d;
	size_t i, files = 0;
	int r;

	(void)state;
	urls[0] = url("/");
	urls[1] = url("/gioi-thieu.html");
	urls[2] = url("/lien-he.html");
	opts(&o, &lim, urls, 3);
	res = site_learn(&o, err, sizeof(err));
	assert_non_null(res);
	dump_if(json_int(json_object_get(res, "stats"), "learnt", 0) != 3,
	    res);
	assert_int_equal(json_int(json_object_get(res, "stats"), "learnt", 0),
	    3);
	json_decref(res);

	/* one whole JSON file per URL, named by its hash, nothing else */
	d = opendir(statedir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		assert_int_equal(strlen(de->d_name), 32 + 5);
		assert_string_equal(de->d_name + 32, ".json");
		files++;
	}
	closedir(d);
	assert_int_equal(files, 3);
	for (i = 0; i < 3; i++) {
		before = read_state(urls[i]);
		st = json_loads(before, 0, NULL);
		assert_non_null(st);
		assert_string_equal(json_str(st, "url", ""), urls[i]);
		assert_true(json_is_object(json_object_get(st, "baseline")));
		json_decref(st);
		free(before);
	}

	before = read_state(urls[1]);
	for (r = 0; r < 5; r++) {
		res = site_round(&o, err, sizeof(err));
		assert_non_null(res);
		dump_if(json_int(json_object_get(res, "stats"), "alerts", 0) !=
		    0, res);
		assert_int_equal(json_int(json_object_get(res, "stats"),
		    "alerts", 0), 0);
		assert_int_equal(json_array_size(json_object_get(res,
		    "pages")), 3);
		assert_int_equal(json_int(json_object_get(res, "stats"),
		    "fetches", 0), 6);
		json_decref(res);
	}
	/* a check does not rewrite a baseline */
	after = read_state(urls[1]);
	assert_string_equal(before, after);
	free(after);

	defaced = 1;
	res = site_round(&o, err, sizeof(err));
	defaced = 0;
	assert_non_null(res);
	p = page_of(res, urls[1]);
	assert_non_null(p);
	dump_if(!has_kind(json_object_get(p, "alerts"), "defaced"), res);
	assert_true(has_kind(json_object_get(p, "alerts"), "defaced"));
	assert_int_equal(json_array_size(json_object_get(page_of(res,
	    urls[0]), "alerts")), 0);
	assert_int_equal(json_array_size(json_object_get(page_of(res,
	    urls[2]), "alerts")), 0);
	assert_true(json_int(json_object_get(res, "stats"), "alerts", 0) > 0);
	json_decref(res);
	after = read_state(urls[1]);
	assert_string_equal(before, after);
	free(after);
	free(before);

	res = site_round(&o, err, sizeof(err));
	assert_non_null(res);
	assert_int_equal(json_int(json_object_get(res, "stats"), "alerts", 0),
	    0);
	json_decref(res);
	for (i = 0; i < 3; i++)
		free(urls[i]);
}

/* A page without a baseline gets one on first sight, and no content
 * alert that round. */
static void
test_first_sight(void **state)
{
	struct site_round_opts o;
	struct site_limits lim;
	char *urls[1], err[512], *path;
	json_t *res, *p;

	(void)state;
	urls[0] = text_printf("http://127.0.0.1:%u/lien-he.html?moi=1", port);
	opts(&o, &lim, urls, 1);
	path = site_state_path(statedir, urls[0]);
	assert_int_not_equal(access(path, F_OK), 0);
	res = site_round(&o, err, sizeof(err));
	assert_non_null(res);
	p = page_of(res, urls[0]);
	assert_non_null(p);
	assert_true(json_bool(p, "learnt", false));
	assert_int_equal(json_array_size(json_object_get(p, "alerts")), 0);
	assert_int_equal(access(path, F_OK), 0);
	json_decref(res);
	/* the next round compares with it */
	res = site_round(&o, err, sizeof(err));
	assert_non_null(res);
	p = page_of(res, urls[0]);
	assert_false(json_bool(p, "learnt", false));
	assert_int_equal(json_int(json_object_get(res, "stats"), "alerts", 0),
	    0);
	json_decref(res);
	free(path);
	free(urls[0]);
}

/* The sitemap adds the host's pages only; an index is followed one
 * level; max_pages bounds the round. */
static void
test_sitemap_round(void **state)
{
	struct site_round_opts o;
	struct site_limits lim;
	char *urls[1], *u, err[512];
	json_t *res, *p;
	size_t i;
	int pass;

	(void)state;
	urls[0] = url("/");
	for (pass = 0; pass < 2; pass++) {
		index_sitemap = pass;
		opts(&o, &lim, urls, 1);
		o.sitemap = true;
		res = site_round(&o, err, sizeof(err));
		assert_non_null(res);
		dump_if(json_array_size(json_object_get(res, "pages")) != 3,
		    res);
		assert_int_equal(json_array_size(json_object_get(res,
		    "pages")), 3);
		json_array_foreach(json_object_get(res, "pages"), i, p) {
			u = url("");
			assert_true(text_prefix_ci(json_str(p, "url", ""), u));
			free(u);
		}
		u = url("/lien-he.html");
		assert_non_null(page_of(res, u));
		free(u);
		json_decref(res);
	}
	index_sitemap = 0;
	opts(&o, &lim, urls, 1);
	o.sitemap = true;
	o.max_pages = 2;
	res = site_round(&o, err, sizeof(err));
	assert_non_null(res);
	assert_int_equal(json_array_size(json_object_get(res, "pages")), 2);
	json_decref(res);
	free(urls[0]);
}

/* The parser alone: bounds, other hosts and ports, DOCTYPE refused. */
static void
test_sitemap_parse(void **state)
{
	const size_t n = 60000;
	char *big, *p, err[256];
	size_t cap = n * 64 + 256, i, dropped;
	json_t *list;
	bool index;
	static const char evil[] = "<?xml version=\"1.0\"?>"
	    "<!DOCTYPE urlset [<!ENTITY a \"http://127.0.0.1/x\">]>"
	    "<urlset><url><loc>&a;</loc></url></urlset>";
	static const char ext[] = "<?xml version=\"1.0\"?>"
	    "<!DOCTYPE urlset SYSTEM \"http://127.0.0.1:9/d.dtd\">"
	    "<urlset><url><loc>http://a.test/</loc></url></urlset>";

	(void)state;
	big = malloc(cap);
	assert_non_null(big);
	p = big + sprintf(big, "<urlset>");
	for (i = 0; i < n; i++)
		p += sprintf(p, "<url><loc>http://a.test/%zu.html</loc></url>",
		    i);
	p += sprintf(p, "<url><loc>https://a.test/x</loc></url>"
	    "<url><loc>http://b.a.test/</loc></url>"
	    "<url><loc>http://a.test:8080/</loc></url></urlset>");
	list = site_sitemap_parse((unsigned char *)big, (size_t)(p - big),
	    "http://A.test/sitemap.xml", SITE_SITEMAP_MAX_URLS, &index,
	    &dropped, err, sizeof(err));
	assert_non_null(list);
	assert_false(index);
	assert_int_equal(json_array_size(list), SITE_SITEMAP_MAX_URLS);
	assert_int_equal(dropped, n - SITE_SITEMAP_MAX_URLS + 3);
	assert_string_equal(json_string_value(json_array_get(list, 0)),
	    "http://a.test/0.html");
	json_decref(list);
	free(big);

	assert_null(site_sitemap_parse((const unsigned char *)evil,
	    sizeof(evil) - 1, "http://127.0.0.1/sitemap.xml", 10, &index,
	    &dropped, err, sizeof(err)));
	assert_null(site_sitemap_parse((const unsigned char *)ext,
	    sizeof(ext) - 1, "http://a.test/sitemap.xml", 10, &index,
	    &dropped, err, sizeof(err)));
	assert_null(site_sitemap_parse((const unsigned char *)"\x89PNG\r\n",
	    6, "http://a.test/sitemap.xml", 10, &index, &dropped, err,
	    sizeof(err)));
	assert_null(site_sitemap_parse((const unsigned char *)"<html/>", 7,
	    "http://a.test/sitemap.xml", 10, &index, &dropped, err,
	    sizeof(err)));
}

/* A state directory that cannot be used is a fatal error. */
static void
test_bad_state(void **state)
{
	struct site_round_opts o;
	struct site_limits lim;
	char *urls[1], err[512];

	(void)state;
	urls[0] = url("/");
	opts(&o, &lim, urls, 1);
	o.state_dir = "/proc/version/x";
	err[0] = '\0';
	assert_null(site_round(&o, err, sizeof(err)));
	assert_true(strlen(err) > 0);
	free(urls[0]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sitemap_parse),
		cmocka_unit_test(test_round),
		cmocka_unit_test(test_first_sight),
		cmocka_unit_test(test_sitemap_round),
		cmocka_unit_test(test_bad_state),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
