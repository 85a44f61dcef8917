/*
 * test_site_detect.c — the portal monitor's baseline and detection
 * (src/site/baseline.c, detect.c) on a ward portal generated here, parsed
 * by site_html_parse: a baseline learnt from 5 browser and 5 crawler
 * fetches whose date, visitor counter, CSRF token, nonce, rotating banner
 * and news list change every time; 200 more such fetches raise no alert;
 * each damaged variant (defaced, gambling visible and hidden, script and
 * miner injected, iframe, cloaked for Googlebot, redirects by HTTP, meta
 * refresh and script) raises exactly its alerts with their evidence; the
 * availability, TLS, DNS and header checks; no baseline, no content check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "lib/json.h"
#include "lib/text.h"
#include "site/detect_int.h"
#include "site/site.h"

#define URL "https://portal.thaihoa.test/"
#define NOW 1796083200LL	/* 2026-12-01 */

enum variant {
	V_NORMAL, V_DEFACED, V_SPAM, V_HIDDEN, V_SCRIPT, V_IFRAME, V_META,
	V_JS, V_POLICE,
};

static const char *const news_what[] = {
	"Hội nghị triển khai nhiệm vụ", "Ra quân tổng vệ sinh môi trường",
	"Tuyên truyền phòng, chống dịch sốt xuất huyết",
	"Trao quà cho hộ nghèo, gia đình chính sách",
	"Tập huấn chuyển đổi số cho tổ dân phố",
	"Lấy ý kiến nhân dân về quy hoạch chi tiết",
	"Đại hội Chi bộ khu dân cư", "Khánh thành nhà văn hóa tổ dân phố",
	"Kiểm tra an toàn thực phẩm dịp Tết",
	"Tiếp công dân định kỳ của Chủ tịch UBND phường",
	"Phát động phong trào thi đua yêu nước",
	"Công bố thủ tục hành chính mới",
};

static const char *const banners[][2] = {
	{ "https://dichvucong.gov.vn/", "Cổng Dịch vụ công quốc gia" },
	{ "https://hue.gov.vn/", "Cổng thông tin điện tử thành phố Huế" },
	{ "https://baochinhphu.vn/", "Báo điện tử Chính phủ" },
	{ "/chuyen-doi-so.html", "Chuyển đổi số phường Thái Hòa" },
};

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The portal's home page as fetch number seed sees it. */
static char *
portal(unsigned seed, enum variant var, bool crawler)
{
	static const char *const days[] = { "Chủ Nhật", "Thứ Hai", "Thứ Ba",
	    "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy" };
	char *news, *tmp, *extra_head = "", *extra_body = "";
	uint64_t s = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)seed * 7919 + 1);
	unsigned i, nnews = 8 + (unsigned)(rnd(&s) % 3), b, used = 0;
	char *page;

	if (var == V_DEFACED)
		return text_dup("<html><head><title>HACKED BY Kẻ Vô Danh"
		    "</title></head><body bgcolor=black><center><h1>Hacked by "
		    "Kẻ Vô Danh</h1><p>Your security is low. Greetz to all "
		    "Vietnamese hackers.</p><img src=\"/x.gif\"></center>"
		    "</body></html>");
	news = text_dup("");
	for (i = 0; i < nnews; i++) {
		unsigned n = (unsigned)(rnd(&s) % 60);

		if (used & (1u << (n % 31)))
			n = (n + 17) % 60;
		used |= 1u << (n % 31);
		tmp = text_printf("%s<li><a href=\"/tin-tuc/%u.html\">%s "
		    "(đợt %u)</a> <span class=\"time\">%02u/11/2026</span>"
		    "</li>\n", news, 1000 + n, news_what[n % 12], n / 12 + 1,
		    1 + (unsigned)(rnd(&s) % 28));
		free(news);
		news = tmp;
	}
	b = (unsigned)(rnd(&s) % 4);
	if (var == V_SPAM || (crawler && var == V_NORMAL + 100))
		extra_body = "<section id=\"ads\"><h3>Nổ hũ đổi thưởng uy tín"
		    "</h3><p><a href=\"https://nohu88.bet.test/\">NỔ HŨ 88</a>"
		    " — <a href=\"https://taixiu.win.test/\">Tài xỉu online</a>"
		    " — <a href=\"https://gamebai.club.test/\">Game bài đổi "
		    "thưởng</a></p></section>";
	if (var == V_HIDDEN) {
		extra_head = "<style>.seo-x{position:absolute;left:-9999px}"
		    "</style>";
		extra_body = "<div class=\"seo-x\"><a href=\"https://"
		    "789bet.bet.test/\">789bet nhà cái uy tín</a></div>"
		    "<div style=\"display:none\"><a href=\"https://jun88."
		    "casino.test/\">jun88 — tài xỉu</a></div>";
	}
	if (var == V_SCRIPT) {
		extra_head = "<script src=\"https://cdn.evil-stats.test/s.js\">"
		    "</script>";
		extra_body = "<script>var miner = new CoinHive.Anonymous("
		    "'k3y', {throttle: 0.3}); miner.start();</script>";
	}
	if (var == V_IFRAME)
		extra_body = "<iframe src=\"https://ads.evil-frame.test/\" "
		    "width=\"0\" height=\"0\"></iframe>";
	if (var == V_META)
		extra_head = "<meta http-equiv=\"refresh\" content=\"3; "
		    "url=https://nohu88.bet.test/?from=gov\">";
	if (var == V_JS)
		extra_body = "<script>if (document.referrer) window.location."
		    "href = \"https://nohu88.bet.test/?r=1\";</script>";
	if (var == V_POLICE)
		extra_body = "<section id=\"canh-bao\"><p>Công an phường triệt "
		    "phá tụ điểm xóc đĩa, bắt quả tang 12 đối tượng cá độ bóng "
		    "đá.</p></section>";
	page = text_printf("<!DOCTYPE html>\n<html lang=\"vi\"><head>"
	    "<meta charset=\"utf-8\"><title>Cổng thông tin điện tử phường "
	    "Thái Hòa</title><meta name=\"description\" content=\"Cổng thông "
	    "tin điện tử phường Thái Hòa, thành phố Huế\"><meta "
	    "name=\"csrf-token\" content=\"%016llx\"><style>.mobile-menu"
	    "{display:none}</style><script src=\"/js/jquery.min.js\"></script>"
	    "<script src=\"https://www.googletagmanager.com/gtag/js?id=G-1\">"
	    "</script><script>var nonce = \"%08x\"; window.dataLayer = "
	    "window.dataLayer || [];</script>%s</head>\n<body>"
	    "<header><div id=\"top\"><span class=\"date\">%s, ngày %02u/11/2026"
	    "</span></div><h1>ỦY BAN NHÂN DÂN PHƯỜNG THÁI HÒA</h1></header>\n"
	    "<nav><ul class=\"menu\"><li><a href=\"/\">Trang chủ</a></li><li>"
	    "<a href=\"/gioi-thieu.html\">Giới thiệu</a></li><li><a href=\""
	    "/thu-tuc-hanh-chinh.html\">Thủ tục hành chính</a></li><li><a "
	    "href=\"/van-ban.html\">Văn bản</a></li><li><a href=\"/lien-he"
	    ".html\">Liên hệ</a></li></ul></nav><nav class=\"mobile-menu\">"
	    "<a href=\"/\">Trang chủ</a> <a href=\"/lien-he.html\">Liên hệ</a>"
	    "</nav>\n<div id=\"banner\"><a href=\"%s\"><img src=\"/img/b%u.jpg"
	    "\" alt=\"\"></a><p>%s</p></div>\n<main id=\"main\"><section "
	    "id=\"news\"><h2>Tin tức - Sự kiện</h2><ul>\n%s</ul></section>\n"
	    "<section id=\"intro\"><h2>Giới thiệu chung</h2><p>Phường Thái Hòa "
	    "được thành lập năm 2025 trên cơ sở sáp nhập các phường An Hòa, "
	    "Hương Sơ và Hương An, có diện tích tự nhiên 18,5 km² và dân số "
	    "hơn 42.000 người.</p><p>Đảng bộ, chính quyền và nhân dân phường "
	    "đoàn kết, nỗ lực xây dựng phường văn minh, hiện đại, đáng sống."
	    "</p></section>\n<section id=\"dvc\"><h2>Dịch vụ công trực tuyến"
	    "</h2><p>Người dân có thể nộp hồ sơ thủ tục hành chính trực tuyến "
	    "toàn trình qua Cổng Dịch vụ công quốc gia.</p><p><a href=\"https:"
	    "//dichvucong.gov.vn/\">Nộp hồ sơ trực tuyến</a></p></section>\n"
	    "%s</main>\n<footer><p>Bản quyền thuộc Ủy ban nhân dân phường Thái "
	    "Hòa, thành phố Huế.</p><p>Địa chỉ: 01 Trần Nhân Tông, phường Thái "
	    "Hòa, thành phố Huế.</p><p>Điện thoại: 0234 3 123 456 — Email: "
	    "ubnd.thaihoa@hue.gov.vn</p><p>Trưởng ban biên tập: Chủ tịch "
	    "UBND phường.</p><p>Lượt truy cập: %u — Đang trực tuyến: %u</p>"
	    "<p><a href=\"https://chinhphu.vn/\">Cổng TTĐT Chính phủ</a> "
	    "<a href=\"https://hue.gov.vn/\">Cổng TTĐT thành phố Huế</a></p>"
	    "</footer></body></html>\n",
	    (unsigned long long)rnd(&s), (unsigned)rnd(&s), extra_head,
	    days[seed % 7], 1 + seed % 28, banners[b][0], b, banners[b][1],
	    news, extra_body, 1234567 + seed * 3, 10 + seed % 90);
	free(news);
	return page;
}

/* A fetch as fetch.c makes it (what detect.c reads). */
static void
mkfetch(struct site_fetch *f, enum site_agent agent, long status,
    const char *final_url)
{
	memset(f, 0, sizeof(*f));
	f->url = (char *)URL;
	f->agent = agent;
	f->final_url = (char *)(final_url ? final_url : URL);
	f->status = status;
	f->seconds = 0.05;
	f->content_type = (char *)"text/html";
	f->headers = json_pack("{s:s,s:s,s:s,s:s}",
	    "strict-transport-security", "max-age=31536000",
	    "x-content-type-options", "nosniff", "x-frame-options",
	    "SAMEORIGIN", "content-security-policy", "default-src 'self'");
	f->tls = true;
	f->cert_verified = true;
	f->cert_not_after = NOW + 90 * 86400LL;
	f->cert_issuer = (char *)"CN=Test CA";
	f->cert_subject = (char *)"CN=portal.thaihoa.test";
}

static void
parse(const char *html, struct site_page *p)
{
	char err[256];

	memset(p, 0, sizeof(*p));
	if (site_html_parse((const unsigned char *)html, strlen(html), "utf-8",
	    URL, p, err, sizeof(err)) != 0)
		fail_msg("parse: %s", err);
}

static json_t *BASE;
static struct site_limits LIM;
static struct site_dns DNS;

static int
setup(void **state)
{
	struct site_page pages[10];
	struct site_fetch fetches[10];
	unsigned i;

	(void)state;
	site_limits_default(&LIM);
	for (i = 0; i < 10; i++) {
		char *html = portal(i, V_NORMAL, i % 2 == 1);

		parse(html, &pages[i]);
		free(html);
		mkfetch(&fetches[i], i % 2 ? SITE_CRAWLER : SITE_BROWSER, 200,
		    NULL);
	}
	BASE = site_baseline_learn(pages, 10, fetches);
	for (i = 0; i < 10; i++) {
		site_page_free(&pages[i]);
		json_decref(fetches[i].headers);
	}
	if (BASE == NULL)
		return -1;
	json_object_set_new(BASE, "dns", json_pack("{s:[s],s:[],s:[s,s]}",
	    "a", "127.0.0.1", "aaaa", "ns", "ns1.thaihoa.test",
	    "ns2.thaihoa.test"));
	memset(&DNS, 0, sizeof(DNS));
	DNS.a = json_pack("[s]", "127.0.0.1");
	DNS.aaaa = json_array();
	DNS.ns = json_pack("[s,s]", "ns1.thaihoa.test", "ns2.thaihoa.test");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	json_decref(BASE);
	json_decref(DNS.a);
	json_decref(DNS.aaaa);
	json_decref(DNS.ns);
	return 0;
}

/* One check of the portal: the browser sees bvar, the crawler cvar. */
static json_t *
check(unsigned seed, enum variant bvar, enum variant cvar,
    struct site_fetch *bf, struct site_fetch *cf)
{
	struct site_page bp, cp;
	struct site_check_in in;
	char *bh = portal(seed, bvar, false), *ch = portal(seed + 7777, cvar,
	    true);
	json_t *alerts;

	parse(bh, &bp);
	parse(ch, &cp);
	memset(&in, 0, sizeof(in));
	in.url = URL;
	in.baseline = BASE;
	in.browser = bf;
	in.crawler = cf;
	in.bpage = &bp;
	in.cpage = &cp;
	in.dns = &DNS;
	in.lim = &LIM;
	in.now = NOW;
	alerts = site_detect(&in);
	site_page_free(&bp);
	site_page_free(&cp);
	free(bh);
	free(ch);
	return alerts;
}

static json_t *
check_plain(unsigned seed, enum variant bvar, enum variant cvar)
{
	struct site_fetch bf, cf;
	json_t *a;

	mkfetch(&bf, SITE_BROWSER, 200, NULL);
	mkfetch(&cf, SITE_CRAWLER, 200, NULL);
	a = check(seed, bvar, cvar, &bf, &cf);
	json_decref(bf.headers);
	json_decref(cf.headers);
	return a;
}

/* The kinds of alerts, sorted and ","-joined, into buf. */
static const char *
kinds(json_t *alerts, char *buf, size_t size)
{
	const char *k[32];
	size_t i, j, n = 0;
	json_t *a;

	json_array_foreach(alerts, i, a)
		if (n < 32)
			k[n++] = json_str(a, "kind", "?");
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(k[j - 1], k[j]) > 0; j--) {
			const char *t = k[j];

			k[j] = k[j - 1];
			k[j - 1] = t;
		}
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(buf, ",", size - strlen(buf) - 1);
		strncat(buf, k[i], size - strlen(buf) - 1);
	}
	return buf;
}

static json_t *
alert(json_t *alerts, const char *kind)
{
	size_t i;
	json_t *a;

	json_array_foreach(alerts, i, a)
		if (strcmp(json_str(a, "kind", ""), kind) == 0)
			return a;
	fail_msg("no %s alert", kind);
	return NULL;
}

/* true when evidence list key of a has an item whose field contains s. */
static bool
has(json_t *a, const char *key, const char *field, const char *s)
{
	json_t *arr = json_path(a, "evidence"), *v;
	size_t i;

	arr = json_object_get(arr, key);
	json_array_foreach(arr, i, v) {
		const char *t = field ? json_str(v, field, "") :
		    json_string_value(v);

		if (t != NULL && strstr(t, s) != NULL)
			return true;
	}
	return false;
}

static void
dump_if(json_t *alerts, const char *want)
{
	char buf[256];

	if (strcmp(kinds(alerts, buf, sizeof(buf)), want) != 0) {
		char *s = json_dumps(alerts, JSON_INDENT(1));

		fprintf(stderr, "want [%s] got [%s]:\n%s\n", want, buf, s);
		free(s);
	}
}

static void
test_baseline_learnt(void **state)
{
	json_t *stable, *vol;

	(void)state;
	assert_int_equal(json_int(BASE, "version", 0), 1);
	assert_non_null(json_str(BASE, "learned_at", NULL));
	assert_int_equal(json_int(BASE, "fetches", 0), 5);
	assert_string_equal(json_str(BASE, "title", ""),
	    "Cổng thông tin điện tử phường Thái Hòa");
	assert_false(json_bool(BASE, "title_varies", true));
	stable = json_object_get(BASE, "stable");
	vol = json_object_get(BASE, "volatile");
	assert_true(json_object_size(stable) >= 8);
	assert_true(json_array_size(vol) >= 10);	/* news, date, … */
	/* the footer's address is stable, the counter volatile */
	{
		const char *path;
		json_t *e;
		bool addr = false, counter = false;

		json_object_foreach(stable, path, e) {
			if (strstr(json_str(e, "text", ""), "01 Trần Nhân "
			    "Tông") != NULL)
				addr = true;
			if (strstr(json_str(e, "text", ""), "Lượt truy cập") !=
			    NULL)
				counter = true;
		}
		assert_true(addr);
		assert_false(counter);
	}
	assert_non_null(json_object_get(BASE, "crawler"));
	assert_non_null(json_object_get(BASE, "shape"));
	assert_true(json_array_size(json_object_get(BASE, "shape")) <=
	    SITE_SHAPE_K);
	assert_string_equal(json_str(BASE, "tls_issuer", ""), "CN=Test CA");
	/* the JSON round-trips */
	{
		char *s = json_dumps(BASE, 0);
		json_t *back = json_loads(s, 0, NULL);

		assert_non_null(back);
		assert_true(json_equal(back, BASE));
		json_decref(back);
		free(s);
	}
}

static void
test_normal_200(void **state)
{
	unsigned i;
	size_t total = 0;

	(void)state;
	for (i = 0; i < 200; i++) {
		json_t *a = check_plain(100 + i, V_NORMAL, V_NORMAL);

		dump_if(a, "");
		total += json_array_size(a);
		json_decref(a);
	}
	assert_int_equal(total, 0);
}

static void
test_defaced(void **state)
{
	json_t *a = check_plain(301, V_DEFACED, V_DEFACED), *d;
	char buf[256];

	(void)state;
	dump_if(a, "defaced");
	assert_string_equal(kinds(a, buf, sizeof(buf)), "defaced");
	d = alert(a, "defaced");
	assert_string_equal(json_str(d, "fetch", ""), "both");
	assert_string_equal(json_str(d, "severity", ""), "critical");
	assert_string_equal(json_path(d, "title.en") ?
	    json_string_value(json_path(d, "title.en")) : "", "Page defaced");
	assert_string_equal(json_str(json_object_get(d, "evidence"), "before",
	    ""), "Cổng thông tin điện tử phường Thái Hòa");
	assert_string_equal(json_str(json_object_get(d, "evidence"), "after",
	    ""), "HACKED BY Kẻ Vô Danh");
	assert_true(has(d, "terms", "term", "hacked by"));
	assert_true(has(d, "diff", NULL, "- Địa chỉ: 01 Trần Nhân Tông"));
	assert_true(has(d, "diff", NULL, "+ Hacked by Kẻ Vô Danh"));
	/* dates and counters never show in the diff */
	assert_false(has(d, "diff", NULL, "Lượt truy cập"));
	json_decref(a);
}

static void
test_spam_visible(void **state)
{
	json_t *a = check_plain(302, V_SPAM, V_SPAM), *s;
	char buf[256];

	(void)state;
	dump_if(a, "spam");
	assert_string_equal(kinds(a, buf, sizeof(buf)), "spam");
	s = alert(a, "spam");
	assert_string_equal(json_str(s, "fetch", ""), "both");
	assert_true(has(s, "terms", "term", "nổ hũ"));
	assert_true(has(s, "terms", "found", "Nổ hũ"));
	assert_true(has(s, "terms", "term", "tài xỉu"));
	assert_true(has(s, "terms", "term", "game bài đổi thưởng"));
	assert_true(has(s, "links", "href", "https://nohu88.bet.test/"));
	assert_true(has(s, "diff", NULL, "+ Nổ hũ đổi thưởng uy tín"));
	json_decref(a);
}

static void
test_spam_hidden(void **state)
{
	json_t *a = check_plain(303, V_HIDDEN, V_HIDDEN), *h;
	char buf[256];

	(void)state;
	dump_if(a, "hidden-links,spam");
	assert_string_equal(kinds(a, buf, sizeof(buf)), "hidden-links,spam");
	h = alert(a, "hidden-links");
	assert_string_equal(json_str(h, "severity", ""), "critical");
	assert_true(has(h, "links", "href", "https://789bet.bet.test/"));
	assert_true(has(h, "links", "href", "https://jun88.casino.test/"));
	assert_true(has(h, "terms", "term", "789bet"));
	assert_true(has(alert(a, "spam"), "terms", "term", "nhà cái"));
	json_decref(a);
}

static void
test_script_miner(void **state)
{
	json_t *a = check_plain(304, V_SCRIPT, V_NORMAL), *s;
	char buf[256];

	(void)state;
	dump_if(a, "miner,new-script");
	assert_string_equal(kinds(a, buf, sizeof(buf)), "miner,new-script");
	s = alert(a, "new-script");
	assert_string_equal(json_str(s, "fetch", ""), "browser");
	assert_true(has(s, "scripts", NULL,
	    "https://cdn.evil-stats.test/s.js"));
	assert_true(has(alert(a, "miner"), "terms", "term", "coinhive"));
	json_decref(a);
	a = check_plain(305, V_IFRAME, V_IFRAME);
	dump_if(a, "new-iframe");
	assert_string_equal(kinds(a, buf, sizeof(buf)), "new-iframe");
	assert_true(has(alert(a, "new-iframe"), "frames", "src",
	    "https://ads.evil-frame.test/"));
	json_decref(a);
}

static void
test_cloaked(void **state)
{
	json_t *a = check_plain(306, V_NORMAL, V_SPAM), *c;
	char buf[256];

	(void)state;
	dump_if(a, "cloaking,spam");
	assert_string_equal(kinds(a, buf, sizeof(buf)), "cloaking,spam");
	c = alert(a, "cloaking");
	assert_string_equal(json_str(c, "fetch", ""), "crawler");
	assert_true(has(c, "terms", "term", "nổ hũ"));
	assert_true(has(c, "links", "href", "https://taixiu.win.test/"));
	assert_string_equal(json_str(alert(a, "spam"), "fetch", ""),
	    "crawler");
	json_decref(a);
}

static void
test_redirects(void **state)
{
	struct site_fetch bf, cf;
	struct site_hop hop = { 302, (char *)URL,
	    (char *)"https://nohu88.bet.test/" };
	json_t *a, *r;
	char buf[256];

	(void)state;
	/* HTTP, for both agents */
	mkfetch(&bf, SITE_BROWSER, 200, "https://nohu88.bet.test/");
	mkfetch(&cf, SITE_CRAWLER, 200, "https://nohu88.bet.test/");
	bf.hops = cf.hops = &hop;
	bf.nhops = cf.nhops = 1;
	a = check(307, V_NORMAL, V_NORMAL, &bf, &cf);
	dump_if(a, "redirect");
	assert_string_equal(kinds(a, buf, sizeof(buf)), "redirect");
	r = alert(a, "redirect");
	assert_string_equal(json_str(r, "fetch", ""), "both");
	assert_true(has(r, "chain", "location", "https://nohu88.bet.test/"));
	assert_true(has(r, "chain", "by", "http"));
	json_decref(a);
	/* HTTP, for the crawler only: cloaking too */
	bf.final_url = (char *)URL;
	bf.nhops = 0;
	a = check(308, V_NORMAL, V_NORMAL, &bf, &cf);
	dump_if(a, "cloaking,redirect");
	assert_string_equal(kinds(a, buf, sizeof(buf)), "cloaking,redirect");
	assert_string_equal(json_str(alert(a, "redirect"), "fetch", ""),
	    "crawler");
	assert_true(has(alert(a, "cloaking"), "chain", "location",
	    "nohu88.bet.test"));
	json_decref(a);
	json_decref(bf.headers);
	json_decref(cf.headers);
	/* meta refresh and script */
	a = check_plain(309, V_META, V_META);
	dump_if(a, "redirect");
	assert_string_equal(kinds(a, buf, sizeof(buf)), "redirect");
	assert_true(has(alert(a, "redirect"), "chain", "by", "meta"));
	json_decref(a);
	a = check_plain(310, V_JS, V_JS);
	dump_if(a, "redirect");
	assert_string_equal(kinds(a, buf, sizeof(buf)), "redirect");
	assert_true(has(alert(a, "redirect"), "chain", "by", "script"));
	assert_true(has(alert(a, "redirect"), "chain", "location",
	    "https://nohu88.bet.test/?r=1"));
	json_decref(a);
}

static void
test_weak_terms(void **state)
{
	json_t *a;
	char buf[256];

	(void)state;
	/* police news: two weak terms ("xóc đĩa", "cá độ") are spam-like,
	 * one alone is not */
	a = check_plain(311, V_POLICE, V_POLICE);
	dump_if(a, "spam");
	assert_string_equal(kinds(a, buf, sizeof(buf)), "spam");
	json_decref(a);
}

static void
test_availability(void **state)
{
	struct site_fetch bf, cf;
	json_t *a, *e;
	char buf[256];

	(void)state;
	/* 500, and a transport error for the crawler */
	mkfetch(&bf, SITE_BROWSER, 500, NULL);
	mkfetch(&cf, SITE_CRAWLER, 0, NULL);
	cf.curl_code = 28;
	snprintf(cf.error, sizeof(cf.error), "hết thời gian — timed out");
	a = check(312, V_NORMAL, V_NORMAL, &bf, &cf);
	dump_if(a, "down");
	assert_string_equal(kinds(a, buf, sizeof(buf)), "down");
	assert_string_equal(json_str(alert(a, "down"), "fetch", ""), "both");
	json_decref(a);
	/* 404 where it was 200; slow; TLS failing and expiring; headers */
	bf.status = 404;
	cf.curl_code = 0;
	cf.status = 200;
	cf.error[0] = '\0';
	cf.seconds = 9.5;
	bf.cert_verified = false;
	bf.cert_error = (char *)"certificate signed by unknown authority";
	bf.cert_not_after = NOW + 10 * 86400LL;
	json_object_del(bf.headers, "x-frame-options");
	json_object_del(cf.headers, "x-frame-options");
	a = check(313, V_NORMAL, V_NORMAL, &bf, &cf);
	dump_if(a, "down,slow,tls-expiry,tls-invalid");
	assert_string_equal(kinds(a, buf, sizeof(buf)),
	    "down,slow,tls-expiry,tls-invalid");
	e = json_object_get(alert(a, "tls-expiry"), "evidence");
	assert_int_equal(json_int(e, "days_left", 0), 10);
	assert_string_equal(json_str(alert(a, "slow"), "fetch", ""),
	    "crawler");
	json_decref(a);
	bf.status = 200;
	bf.cert_verified = true;
	bf.cert_not_after = NOW + 90 * 86400LL;
	cf.seconds = 0.1;
	a = check(314, V_NORMAL, V_NORMAL, &bf, &cf);
	dump_if(a, "headers-missing");
	assert_string_equal(kinds(a, buf, sizeof(buf)), "headers-missing");
	e = alert(a, "headers-missing");
	assert_string_equal(json_str(e, "severity", ""), "low");
	assert_true(has(e, "missing", NULL, "X-Frame-Options"));
	json_decref(a);
	json_decref(bf.headers);
	json_decref(cf.headers);
}

static void
test_dns(void **state)
{
	json_t *a, *old = DNS.a, *e;
	char buf[256];

	(void)state;
	DNS.a = json_pack("[s]", "203.0.113.66");
	a = check_plain(315, V_NORMAL, V_NORMAL);
	dump_if(a, "dns-changed");
	assert_string_equal(kinds(a, buf, sizeof(buf)), "dns-changed");
	e = json_object_get(alert(a, "dns-changed"), "evidence");
	assert_string_equal(json_string_value(json_array_get(json_path(e,
	    "after.a"), 0)), "203.0.113.66");
	assert_string_equal(json_string_value(json_array_get(json_path(e,
	    "before.a"), 0)), "127.0.0.1");
	json_decref(a);
	json_decref(DNS.a);
	DNS.a = old;
	/* a failed lookup is not a change */
	snprintf(DNS.error, sizeof(DNS.error), "timeout");
	DNS.a = json_array();
	a = check_plain(316, V_NORMAL, V_NORMAL);
	assert_int_equal(json_array_size(a), 0);
	json_decref(a);
	json_decref(DNS.a);
	DNS.a = old;
	DNS.error[0] = '\0';
}

static void
test_no_baseline(void **state)
{
	struct site_fetch bf;
	struct site_page bp;
	struct site_check_in in;
	char *html = portal(317, V_SPAM, false);
	json_t *a;
	char buf[256];

	(void)state;
	parse(html, &bp);
	mkfetch(&bf, SITE_BROWSER, 200, NULL);
	bf.truncated = true;
	memset(&in, 0, sizeof(in));
	in.url = URL;
	in.browser = &bf;
	in.bpage = &bp;
	in.lim = &LIM;
	in.now = NOW;
	a = site_detect(&in);
	dump_if(a, "unreadable");
	assert_string_equal(kinds(a, buf, sizeof(buf)), "unreadable");
	assert_true(json_bool(json_object_get(alert(a, "unreadable"),
	    "evidence"), "truncated", false));
	json_decref(a);
	/* a page that did not parse */
	bf.truncated = false;
	in.bpage = NULL;
	in.baseline = BASE;
	a = site_detect(&in);
	dump_if(a, "unreadable");
	assert_string_equal(kinds(a, buf, sizeof(buf)), "unreadable");
	json_decref(a);
	site_page_free(&bp);
	free(html);
	json_decref(bf.headers);
	/* nothing to compare: an empty array */
	a = site_detect(NULL);
	assert_int_equal(json_array_size(a), 0);
	json_decref(a);
}

static void
test_codes(void **state)
{
	(void)state;
	assert_string_equal(site_alert_code(SITE_ALERT_HIDDEN_LINKS),
	    "hidden-links");
	assert_string_equal(site_alert_severity(SITE_ALERT_SLOW), "low");
	assert_string_equal(site_alert_title(SITE_ALERT_SPAM, false),
	    "Nội dung cờ bạc, cá cược bị chèn vào trang");
	assert_string_equal(site_alert_code(SITE_ALERT_COUNT), "unknown");
}

static void
test_update(void **state)
{
	json_t *b = json_deep_copy(BASE);
	struct site_page p;
	char *html = portal(400, V_POLICE, false);
	size_t before = json_object_size(json_object_get(b, "stable"));

	(void)state;
	/* a confirmed change: its blocks become known, its terms too */
	parse(html, &p);
	site_baseline_update(b, &p);
	assert_int_equal(json_int(b, "fetches", 0), 6);
	assert_int_equal(json_object_size(json_object_get(b, "stable")),
	    before);
	assert_non_null(json_path(b, "terms.gambling"));
	assert_int_equal(json_array_size(json_path(b, "terms.gambling")), 2);
	site_page_free(&p);
	free(html);
	json_decref(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_baseline_learnt),
		cmocka_unit_test(test_normal_200),
		cmocka_unit_test(test_defaced),
		cmocka_unit_test(test_spam_visible),
		cmocka_unit_test(test_spam_hidden),
		cmocka_unit_test(test_script_miner),
		cmocka_unit_test(test_cloaked),
		cmocka_unit_test(test_redirects),
		cmocka_unit_test(test_weak_terms),
		cmocka_unit_test(test_availability),
		cmocka_unit_test(test_dns),
		cmocka_unit_test(test_no_baseline),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_update),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
