/*
 * test_site_html.c — unit tests of src/site/html.c, the portal monitor's
 * HTML normaliser: a realistic ward portal (title, blocks and their
 * paths, links, scripts, meta, refresh), Vietnamese in NFD and in
 * Windows-1258, every way of hiding content, broken and hostile markup
 * (bounds on elements, depth, text; binary content), <base href>,
 * javascript: links, the structure signature, hosts and domains.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"
#include "lib/text.h"
#include "site/html_int.h"
#include "site/site.h"

#define BASE "https://thaihoa.hue.gov.vn/tin-tuc/index.html"

struct buf {
	char *s;
	size_t len, cap;
};

static void __attribute__((format(printf, 2, 3)))
bprintf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		assert_true(n >= 0);
		if (b->len + (size_t)n < b->cap)
			break;
		b->cap = (b->cap + (size_t)n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		assert_non_null(b->s);
	}
	b->len += (size_t)n;
}

/*
 * A ward portal as the test server of the monitor would serve it: header,
 * menu, date, visitor counter and token that change with seq, a news list
 * of ten items out of a rotating set, a sidebar and a footer.
 */
static char *
portal(unsigned seq, size_t *len)
{
	static const char *const news[] = {
		"Hội nghị triển khai nhiệm vụ năm 2024",
		"Ra quân tổng vệ sinh môi trường khu dân cư",
		"Tiếp nhận hồ sơ trực tuyến mức độ 4",
		"Thông báo lịch tiếp công dân tháng 6",
		"Tuyên truyền phòng chống dịch sốt xuất huyết",
		"Khánh thành nhà văn hóa tổ dân phố 5",
		"Hướng dẫn đăng ký tạm trú qua ứng dụng VNeID",
		"Kết quả bầu cử trưởng thôn nhiệm kỳ mới",
		"Tập huấn chuyển đổi số cho cán bộ phường",
		"Trao quà cho gia đình chính sách dịp 27/7",
		"Phát động phong trào thi đua yêu nước",
		"Lịch cắt điện trên địa bàn phường",
	};
	struct buf b = { 0 };
	unsigned i;

	bprintf(&b, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<title>Cổng thông tin điện tử phường Thái Hòa</title>\n"
	    "<meta name=\"description\" content=\"Trang thông tin của "
	    "UBND phường  Thái Hòa\">\n"
	    "<meta property=\"og:title\" content=\"Phường Thái Hòa\">\n"
	    "<meta name=\"csrf-token\" content=\"tok%08x\">\n"
	    "<link rel=\"stylesheet\" href=\"/css/site.css\">\n"
	    "<style>.sr-only{position:absolute;left:-10000px}"
	    ".menu li ul{display:none}</style>\n"
	    "<script src=\"/js/jquery.min.js\"></script>\n"
	    "<script src=\"https://www.googletagmanager.com/gtag/js?id=G-1\">"
	    "</script>\n"
	    "<script>window.dataLayer=window.dataLayer||[];</script>\n"
	    "</head>\n<body>\n"
	    "<div id=\"header\">\n <a href=\"/\" class=\"logo\"><img "
	    "src=\"/img/logo.png\" alt=\"Logo\"></a>\n"
	    " <h1>Ủy ban nhân dân phường Thái Hòa</h1>\n"
	    " <div class=\"date\">Thứ %s, ngày %u/6/2024</div>\n"
	    "</div>\n"
	    "<ul class=\"menu\" id=\"menu\">\n"
	    " <li><a href=\"/\">Trang chủ</a></li>\n"
	    " <li><a href=\"/gioi-thieu\">Giới thiệu</a>"
	    "<ul><li><a href=\"/gioi-thieu/lich-su\">Lịch sử</a></li></ul>"
	    "</li>\n"
	    " <li><a href=\"../van-ban/\">Văn bản</a></li>\n"
	    " <li><a href=\"lien-he.html\">Liên hệ</a></li>\n"
	    "</ul>\n"
	    "<div id=\"main\">\n <h2>Tin tức - Sự kiện</h2>\n"
	    " <ul class=\"news\">\n",
	    seq * 2654435761u, seq % 2 ? "hai" : "ba", 1 + seq % 28);
	for (i = 0; i < 10; i++)
		bprintf(&b, "  <li><a href=\"/tin-tuc/bai-%u.html\">%s</a>"
		    " <span class=\"d\">%u/6/2024</span></li>\n",
		    seq + i, news[(seq + i) % 12], 1 + (seq + i) % 28);
	bprintf(&b, " </ul>\n</div>\n"
	    "<div id=\"sidebar\"><h3>Liên kết</h3>\n"
	    " <a href=\"https://chinhphu.vn/\">Cổng TTĐT Chính phủ</a>\n"
	    " <a href=\"https://www.hue.gov.vn/\">Tỉnh Thừa Thiên Huế</a>\n"
	    "</div>\n"
	    "<div id=\"footer\">\n <p>Bản quyền thuộc UBND phường Thái Hòa"
	    "</p>\n <p>Lượt truy cập: %u</p>\n"
	    " <form><input type=\"hidden\" name=\"t\" value=\"%x\"></form>\n"
	    "</div>\n</body>\n</html>\n",
	    10000 + seq * 7, seq * 40503u);
	*len = b.len;
	return b.s;
}

static void
parse_ok(const char *html, size_t len, const char *charset,
    struct site_page *p)
{
	char err[256];

	assert_int_equal(site_html_parse((const unsigned char *)html, len,
	    charset, BASE, p, err, sizeof(err)), 0);
	assert_non_null(p->title);
	assert_non_null(p->text);
	assert_non_null(p->meta);
	assert_non_null(p->charset);
}

static void
parse_str(const char *html, struct site_page *p)
{
	parse_ok(html, strlen(html), NULL, p);
}

static const struct site_block *
block_at(const struct site_page *p, const char *path)
{
	size_t i;

	for (i = 0; i < p->nblocks; i++)
		if (strcmp(p->blocks[i].path, path) == 0)
			return &p->blocks[i];
	return NULL;
}

static const struct site_block *
block_with(const struct site_page *p, const char *text)
{
	size_t i;

	for (i = 0; i < p->nblocks; i++)
		if (strcmp(p->blocks[i].text, text) == 0)
			return &p->blocks[i];
	return NULL;
}

static const struct site_link *
link_to(const struct site_page *p, const char *href)
{
	size_t i;

	for (i = 0; i < p->nlinks; i++)
		if (strcmp(p->links[i].href, href) == 0)
			return &p->links[i];
	return NULL;
}

static void
check_block(const struct site_page *p, const char *path, const char *text,
    bool hidden)
{
	const struct site_block *b = block_at(p, path);

	if (b == NULL)
		fail_msg("no block at %s", path);
	assert_string_equal(b->text, text);
	assert_int_equal(b->hidden, hidden);
	assert_true(b->hash == site_html_hash(text, strlen(text)));
}

static void
test_portal(void **state)
{
	struct site_page p;
	const struct site_link *l;
	char *html;
	size_t len, i;
	bool tr;
	char err[128];

	(void)state;
	html = portal(3, &len);
	assert_int_equal(site_html_parse_ex((unsigned char *)html, len, NULL,
	    BASE, &p, &tr, err, sizeof(err)), 0);
	assert_false(tr);
	assert_string_equal(p.title, "Cổng thông tin điện tử phường Thái Hòa");
	assert_string_equal(p.lang, "vi");
	assert_string_equal(p.charset, "utf-8");
	assert_null(p.refresh);
	assert_string_equal(json_string_value(json_object_get(p.meta,
	    "description")), "Trang thông tin của UBND phường Thái Hòa");
	assert_string_equal(json_string_value(json_object_get(p.meta,
	    "og:title")), "Phường Thái Hòa");
	assert_non_null(json_object_get(p.meta, "csrf-token"));

	check_block(&p, "html/head/title",
	    "Cổng thông tin điện tử phường Thái Hòa", false);
	check_block(&p, "html/body/div#header/h1",
	    "Ủy ban nhân dân phường Thái Hòa", false);
	check_block(&p, "html/body/div#header/div", "Thứ hai, ngày 4/6/2024",
	    false);
	check_block(&p, "html/body/ul#menu/li", "Trang chủ", false);
	check_block(&p, "html/body/ul#menu/li[2]", "Giới thiệu", false);
	/* ".menu li ul" has a combinator: not understood, not hidden */
	check_block(&p, "html/body/ul#menu/li[2]/ul/li", "Lịch sử", false);
	check_block(&p, "html/body/div#main/h2", "Tin tức - Sự kiện", false);
	check_block(&p, "html/body/div#main/ul/li",
	    "Thông báo lịch tiếp công dân tháng 6 4/6/2024", false);
	check_block(&p, "html/body/div#main/ul/li[10]",
	    "Hội nghị triển khai nhiệm vụ năm 2024 13/6/2024", false);
	assert_null(block_at(&p, "html/body/div#main/ul/li[11]"));
	check_block(&p, "html/body/div#sidebar",
	    "Cổng TTĐT Chính phủ Tỉnh Thừa Thiên Huế", false);
	check_block(&p, "html/body/div#sidebar/h3", "Liên kết", false);
	check_block(&p, "html/body/div#footer/p[2]", "Lượt truy cập: 10021",
	    false);
	/* no block for the logo link (an image) nor the hidden input */
	assert_null(block_at(&p, "html/body/div#header/a"));
	assert_null(block_at(&p, "html/body/div#footer/form"));
	for (i = 0; i < p.nblocks; i++)
		assert_false(p.blocks[i].hidden);

	/* links: absolute, with hosts and texts */
	assert_int_equal(p.nlinks, 1 + 5 + 10 + 2);
	l = link_to(&p, "https://thaihoa.hue.gov.vn/");
	assert_non_null(l);
	assert_string_equal(l->host, "thaihoa.hue.gov.vn");
	assert_string_equal(l->text, "");	/* the logo */
	assert_non_null(link_to(&p,
	    "https://thaihoa.hue.gov.vn/gioi-thieu/lich-su"));
	l = link_to(&p, "https://thaihoa.hue.gov.vn/van-ban/");
	assert_non_null(l);
	assert_string_equal(l->text, "Văn bản");
	assert_non_null(link_to(&p,
	    "https://thaihoa.hue.gov.vn/tin-tuc/lien-he.html"));
	l = link_to(&p, "https://thaihoa.hue.gov.vn/tin-tuc/bai-12.html");
	assert_non_null(l);
	assert_string_equal(l->text, "Hội nghị triển khai nhiệm vụ năm 2024");
	assert_false(l->hidden);
	l = link_to(&p, "https://chinhphu.vn/");
	assert_non_null(l);
	assert_string_equal(l->host, "chinhphu.vn");
	assert_string_equal(l->text, "Cổng TTĐT Chính phủ");

	/* scripts */
	assert_int_equal(p.nscripts, 3);
	assert_string_equal(p.scripts[0].src,
	    "https://thaihoa.hue.gov.vn/js/jquery.min.js");
	assert_string_equal(p.scripts[0].host, "thaihoa.hue.gov.vn");
	assert_null(p.scripts[0].text);
	assert_string_equal(p.scripts[1].host, "www.googletagmanager.com");
	assert_null(p.scripts[2].src);
	assert_null(p.scripts[2].host);
	assert_string_equal(p.scripts[2].text,
	    "window.dataLayer=window.dataLayer||[];");
	assert_true(p.scripts[2].hash == site_html_hash(p.scripts[2].text,
	    strlen(p.scripts[2].text)));
	assert_int_equal(p.nframes, 0);

	/* the visible text, one block a line, starting with the title */
	assert_non_null(strstr(p.text, "Cổng thông tin điện tử phường Thái "
	    "Hòa\nỦy ban nhân dân phường Thái Hòa\nThứ hai, ngày 4/6/2024\n"));
	assert_null(strstr(p.text, "dataLayer"));
	assert_null(strstr(p.text, "sr-only"));
	assert_true(p.nshape > 20);
	for (i = 1; i < p.nshape; i++)
		assert_true(p.shape[i - 1] < p.shape[i]);
	site_page_free(&p);
	free(html);
}

/* Jaccard similarity of two sorted unique arrays */
static double
jaccard(const struct site_page *a, const struct site_page *b)
{
	size_t i = 0, j = 0, both = 0;

	while (i < a->nshape && j < b->nshape) {
		if (a->shape[i] == b->shape[j]) {
			both++;
			i++;
			j++;
		} else if (a->shape[i] < b->shape[j])
			i++;
		else
			j++;
	}
	return (double)both / (double)(a->nshape + b->nshape - both);
}

static void
test_shape(void **state)
{
	static const char defaced[] = "<html><head><title>Hacked by Xx"
	    "</title></head><body bgcolor=black><center><h1><font "
	    "color=red>HACKED BY XX</font></h1><img src=x.gif><marquee>"
	    "greetz to all</marquee></center></body></html>";
	struct site_page a, b, c;
	char *h1, *h2;
	size_t l1, l2;

	(void)state;
	h1 = portal(1, &l1);
	h2 = portal(8, &l2);
	parse_ok(h1, l1, NULL, &a);
	parse_ok(h2, l2, NULL, &b);
	parse_str(defaced, &c);
	assert_true(jaccard(&a, &b) >= 0.9);
	assert_true(jaccard(&a, &c) < 0.3);
	/* the volatile parts differ, the layout does not */
	assert_string_not_equal(a.text, b.text);
	site_page_free(&a);
	site_page_free(&b);
	site_page_free(&c);
	free(h1);
	free(h2);
}

static void
test_nfd(void **state)
{
	/* "Phường" and "nổ hũ" decomposed (NFD) */
	static const char html[] = "<title>Phu\xcc\x9bo\xcc\x9b\xcc\x80ng"
	    "</title><p>tin no\xcc\x82\xcc\x89 hu\xcc\x83</p>"
	    "<a href=/x>no\xcc\x82\xcc\x89 hu\xcc\x83</a>"
	    "<meta name=keywords content=\"no\xcc\x82\xcc\x89 hu\xcc\x83\">";
	struct site_page p;

	(void)state;
	parse_str(html, &p);
	assert_string_equal(p.title, "Phường");
	assert_non_null(block_with(&p, "tin nổ hũ"));
	assert_string_equal(p.links[0].text, "nổ hũ");
	assert_string_equal(json_string_value(json_object_get(p.meta,
	    "keywords")), "nổ hũ");
	assert_non_null(strstr(p.text, "tin nổ hũ"));
	site_page_free(&p);
}

/* "Ủy ban nhân dân phường Thái Hòa", "Tin tức – sự kiện", "Lượt truy cập:
 * 1.234 người", "Giá 5.000₫" in Windows-1258 (base letters and
 * combining tone marks, as Vietnamese Windows writes them) */
#define CP1258_H1 "U\xd2y ban nh\xe2n d\xe2n ph\xfd\xf5\xccng Th\xe1i " \
	"Ho\xcc" "a"
#define CP1258_H2 "Tin t\xfd\xec" "c \x96 s\xfd\xf2 ki\xea\xf2n"
#define CP1258_P "L\xfd\xf5\xf2t truy c\xe2\xf2p: 1.234 ng\xfd\xf5\xcci"
#define CP1258_PRICE "Gi\xe1 5.000\xfe"

static void
check_1258(const struct site_page *p)
{
	assert_string_equal(p->charset, "windows-1258");
	assert_string_equal(p->title, "Ủy ban nhân dân phường Thái Hòa");
	assert_non_null(block_with(p, "Tin tức – sự kiện"));
	assert_non_null(block_with(p, "Lượt truy cập: 1.234 người"));
	assert_non_null(block_with(p, "Giá 5.000₫"));
	assert_true(text_valid_utf8(p->text, strlen(p->text)));
}

static void
test_windows1258(void **state)
{
	static const char plain[] = "<html><head><title>" CP1258_H1
	    "</title></head><body><h2>" CP1258_H2 "</h2><p>" CP1258_P
	    "</p><p>" CP1258_PRICE "</p></body></html>";
	static const char meta[] = "<html><head><meta charset=\"windows-1258\">"
	    "<title>" CP1258_H1 "</title></head><body><h2>" CP1258_H2
	    "</h2><p>" CP1258_P "</p><p>" CP1258_PRICE "</p></body></html>";
	static const char httpequiv[] = "<html><head><meta http-equiv="
	    "\"Content-Type\" content=\"text/html; charset=windows-1258\">"
	    "<title>" CP1258_H1 "</title></head><body><h2>" CP1258_H2
	    "</h2><p>" CP1258_P "</p><p>" CP1258_PRICE "</p></body></html>";
	/* Š (0x8a) does not exist in Windows-1258: a Western page */
	static const char western[] = "<p>\x8a" "koda Fabia \xe0 vendre, "
	    "prix 5 000 \x80</p>";
	/* the page says UTF-8 but is not: kept, bad bytes replaced */
	static const char liar[] = "<meta charset=utf-8><p>a\xfd\xf5z</p>";
	struct site_page p;

	(void)state;
	parse_str(plain, &p);		/* nothing said: detected */
	check_1258(&p);
	site_page_free(&p);
	parse_str(meta, &p);
	check_1258(&p);
	site_page_free(&p);
	parse_str(httpequiv, &p);
	check_1258(&p);
	site_page_free(&p);
	/* the header's charset wins */
	parse_ok(plain, strlen(plain), "Windows-1258", &p);
	check_1258(&p);
	site_page_free(&p);
	parse_ok(plain, strlen(plain), "CP1258", &p);
	check_1258(&p);
	site_page_free(&p);
	/* a charset iconv does not know: as if none was said */
	parse_ok(plain, strlen(plain), "x-no-such-charset", &p);
	check_1258(&p);
	site_page_free(&p);

	parse_str(western, &p);
	assert_string_equal(p.charset, "windows-1252");
	assert_non_null(block_with(&p, "Škoda Fabia à vendre, prix 5 000 €"));
	site_page_free(&p);

	parse_str(liar, &p);
	assert_string_equal(p.charset, "utf-8");
	assert_non_null(block_with(&p, "a\xef\xbf\xbd\xef\xbf\xbdz"));
	site_page_free(&p);
}

static void
test_utf16(void **state)
{
	static const char html[] = "\xff\xfe<\0p\0>\0\xa0\x1e\0\0x\0";
	struct site_page p;

	(void)state;
	/* a BOM, then "<p>Ạ<NUL>x" in UTF-16LE */
	parse_ok(html, sizeof(html) - 1, NULL, &p);
	assert_string_equal(p.charset, "utf-16le");
	assert_non_null(block_with(&p, "Ạ\xef\xbf\xbdx"));
	site_page_free(&p);
}

/* true when text is a line of the page's text */
static bool
in_text(const struct site_page *p, const char *text)
{
	const char *s = p->text, *e;
	size_t n = strlen(text);

	for (; s != NULL && *s != '\0'; s = *e != '\0' ? e + 1 : e) {
		e = strchr(s, '\n');
		if (e == NULL)
			e = s + strlen(s);
		if ((size_t)(e - s) == n && memcmp(s, text, n) == 0)
			return true;
	}
	return false;
}

static const struct site_block *
must_block(const struct site_page *p, const char *text)
{
	const struct site_block *b = block_with(p, text);

	if (b == NULL)
		fail_msg("no block \"%s\"", text);
	return b;
}

static void
test_hidden(void **state)
{
	static const char html[] = "<html><head><style>\n"
	    "/* spam */ .an { display : none !important } #xa{position:"
	    "absolute;top:-2000px} p.nho, .tiny2 {font-size:1px}\n"
	    "@media (max-width: 600px) { .mobile { display: none } }\n"
	    "div .desc { display: none }\n"
	    "a:hover { visibility: hidden }\n"
	    ".shown { display: none } .shown { display: block }\n"
	    ".pos { position: fixed } .off { left: -9999px }\n"
	    "</style></head><body>\n"
	    "<div style=\"display:none\">inline none <a href=\"https://"
	    "nohu.example/\">nổ hũ</a></div>\n"
	    "<div style=\"visibility: hidden\">visibility hidden"
	    "<span style=\"visibility:visible\">visible again</span></div>\n"
	    "<div style=\"opacity:0\">opacity zero</div>\n"
	    "<div style=\"font-size:0\">font zero<p>font zero child</p>"
	    "<p style=\"font-size:14px\">font restored</p>"
	    "<p style=\"font-size:1.2em\">relative still tiny</p></div>\n"
	    "<div style=\"font: 0/0 a\">font shorthand</div>\n"
	    "<div style=\"height:0;overflow:hidden\">zero height</div>\n"
	    "<div style=\"height:0\">zero height, overflow shown</div>\n"
	    "<div style=\"position:absolute;left:-9999px\">off screen</div>\n"
	    "<div style=\"position:absolute;left:10px\">positioned, "
	    "visible</div>\n"
	    "<div style=\"text-indent:-9999em\">indented away</div>\n"
	    "<div style=\"margin-left:-5000px\">margin away</div>\n"
	    "<div hidden>hidden attribute</div>\n"
	    "<div class=\"x an y\">class rule <a href=\"https://bet.example/"
	    "a\">nhà cái</a></div>\n"
	    "<div id=\"xa\">id rule</div>\n"
	    "<p class=\"nho\">tag.class rule</p>\n"
	    "<p class=\"tiny2\">comma list rule</p>\n"
	    "<span class=\"nho\">tag.class on another tag</span>\n"
	    "<div class=\"mobile\">media rule ignored</div>\n"
	    "<div class=\"desc\">combinator ignored</div>\n"
	    "<div class=\"shown\">later rule wins</div>\n"
	    "<div class=\"pos off\">two class rules combine</div>\n"
	    "<div class=\"an\" style=\"display:block\">inline wins</div>\n"
	    "<p>Văn bản <span style=\"display:none\">xóc đĩa</span> "
	    "công khai <a style=\"font-size:1px\" href=\"https://casino."
	    "example/\">casino</a></p>\n"
	    "<noscript><a href=\"https://game.example/\">game bài</a>"
	    "</noscript>\n"
	    "</body></html>";
	static const struct {
		const char *text;
		bool hidden;
	} want[] = {
		{ "inline none nổ hũ", true },
		{ "visibility hidden", true },
		{ "visible again", false },
		{ "opacity zero", true },
		{ "font zero", true },
		{ "font zero child", true },
		{ "font restored", false },
		{ "relative still tiny", true },
		{ "font shorthand", true },
		{ "zero height", true },
		{ "zero height, overflow shown", false },
		{ "off screen", true },
		{ "positioned, visible", false },
		{ "indented away", true },
		{ "margin away", true },
		{ "hidden attribute", true },
		{ "class rule nhà cái", true },
		{ "id rule", true },
		{ "tag.class rule", true },
		{ "comma list rule", true },
		{ "media rule ignored", false },
		{ "combinator ignored", false },
		{ "later rule wins", false },
		{ "two class rules combine", true },
		{ "inline wins", false },
		{ "Văn bản công khai", false },
		{ "xóc đĩa", true },
		{ "casino", true },
		{ "game bài", true },
	};
	struct site_page p;
	const struct site_link *l;
	size_t i;

	(void)state;
	parse_str(html, &p);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct site_block *b = must_block(&p, want[i].text);

		if (b->hidden != want[i].hidden)
			fail_msg("\"%s\": hidden %d", want[i].text, b->hidden);
		/* the page's text holds the visible blocks only */
		if (in_text(&p, want[i].text) == want[i].hidden)
			fail_msg("\"%s\" in the text: %d", want[i].text,
			    !want[i].hidden);
	}
	/* "tag.class on another tag" is inside a span in body's block */
	assert_null(strstr(p.text, "xóc đĩa"));
	l = link_to(&p, "https://nohu.example/");
	assert_non_null(l);
	assert_true(l->hidden);
	assert_string_equal(l->text, "nổ hũ");
	assert_true(link_to(&p, "https://bet.example/a")->hidden);
	assert_true(link_to(&p, "https://casino.example/")->hidden);
	assert_true(link_to(&p, "https://game.example/")->hidden);
	site_page_free(&p);
}

static void
test_frames(void **state)
{
	static const char html[] = "<body>"
	    "<iframe src=\"https://www.youtube.com/embed/x\" width=\"560\" "
	    "height=\"315\"></iframe>"
	    "<iframe src=\"//miner.example/m\" width=\"1\" height=\"1\">"
	    "</iframe>"
	    "<iframe src=\"/stat\" style=\"width:0;height:0;border:0\">"
	    "</iframe>"
	    "<div style=\"display:none\"><iframe src=\"https://a.example/\">"
	    "</iframe></div>"
	    "<object data=\"/doc.pdf\"></object><embed src=\"x.swf\">"
	    "<iframe>no src</iframe></body>";
	struct site_page p;

	(void)state;
	parse_str(html, &p);
	assert_int_equal(p.nframes, 6);
	assert_string_equal(p.frames[0].host, "www.youtube.com");
	assert_false(p.frames[0].hidden);
	assert_string_equal(p.frames[1].src, "https://miner.example/m");
	assert_true(p.frames[1].hidden);
	assert_true(p.frames[2].hidden);
	assert_true(p.frames[3].hidden);
	assert_string_equal(p.frames[4].src,
	    "https://thaihoa.hue.gov.vn/doc.pdf");
	assert_false(p.frames[4].hidden);
	assert_string_equal(p.frames[5].src,
	    "https://thaihoa.hue.gov.vn/tin-tuc/x.swf");
	site_page_free(&p);
}

static void
test_refresh(void **state)
{
	static const struct {
		const char *content, *want;
	} cases[] = {
		{ "0; url=https://bet.example/", "https://bet.example/" },
		{ "5;URL='/trang-chu'", "https://thaihoa.hue.gov.vn/trang-chu" },
		{ "3, url = 'http://x.example/a b'",
		    "http://x.example/a%20b" },
		{ "1; //evil.example/x", "https://evil.example/x" },
		{ "0;url=javascript:alert(1)", "javascript:alert(1)" },
		{ "30", NULL },
		{ "", NULL },
	};
	struct site_page p;
	char html[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(html, sizeof(html), "<html><head><meta "
		    "http-equiv=\"Refresh\" content=\"%s\"></head></html>",
		    cases[i].content);
		parse_str(html, &p);
		if (cases[i].want == NULL)
			assert_null(p.refresh);
		else
			assert_string_equal(p.refresh, cases[i].want);
		site_page_free(&p);
	}
	/* a refresh injected in the body counts too */
	parse_str("<body><p>x</p><meta http-equiv=refresh content=\"0;"
	    "url=https://bet.example/\"></body>", &p);
	assert_string_equal(p.refresh, "https://bet.example/");
	site_page_free(&p);
}

static void
test_links(void **state)
{
	static const char html[] = "<head><base href=\"https://cdn.example."
	    "org/sub/dir/\"></head><body>"
	    "<a href=\"a.html\">rel</a>"
	    "<a href=\"/root\">abs path</a>"
	    "<a href=\"//other.example/x\">scheme relative</a>"
	    "<a href=\"#top\">fragment</a>"
	    "<a href=\"\">empty</a>"
	    "<a href=\"javascript:void(0)\">js</a>"
	    "<a href=\" JavaScript:alert(1) \">js2</a>"
	    "<a href=\"java\tscript:alert(2)\">js3</a>"
	    "<a href=\"mailto:ubnd@hue.gov.vn\">mail</a>"
	    "<a href=\"tel:0234 3822 111\">tel</a>"
	    "<a href=\"HTTPS://WWW.Example.COM/A?b=1#c\">upper</a>"
	    "<a href=\"http:\\\\back.example\\x\">backslash</a>"
	    "<a href=\"https://[::1]:8443/\">ipv6</a>"
	    "<a>no href</a>"
	    "<map><area href=\"/map1\" alt=\"Bản đồ\"></map>"
	    "</body>";
	static const struct {
		const char *href, *host, *text;
	} want[] = {
		{ "https://cdn.example.org/sub/dir/a.html", "cdn.example.org",
		    "rel" },
		{ "https://cdn.example.org/root", "cdn.example.org",
		    "abs path" },
		{ "https://other.example/x", "other.example",
		    "scheme relative" },
		{ "https://cdn.example.org/sub/dir/#top", "cdn.example.org",
		    "fragment" },
		{ "https://cdn.example.org/sub/dir/", "cdn.example.org",
		    "empty" },
		{ "javascript:void(0)", NULL, "js" },
		{ "JavaScript:alert(1)", NULL, "js2" },
		{ "javascript:alert(2)", NULL, "js3" },
		{ "mailto:ubnd@hue.gov.vn", NULL, "mail" },
		{ "tel:0234 3822 111", NULL, "tel" },
		{ "https://WWW.Example.COM/A?b=1#c", "www.example.com",
		    "upper" },
		{ "http://back.example/x", "back.example", "backslash" },
		{ "https://[::1]:8443/", "[::1]", "ipv6" },
		{ "https://cdn.example.org/map1", "cdn.example.org",
		    "Bản đồ" },
	};
	struct site_page p;
	size_t i;

	(void)state;
	parse_str(html, &p);
	assert_int_equal(p.nlinks, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < p.nlinks; i++) {
		if (strcmp(p.links[i].href, want[i].href) != 0)
			fail_msg("%zu: %s, not %s", i, p.links[i].href,
			    want[i].href);
		if (want[i].host == NULL)
			assert_null(p.links[i].host);
		else
			assert_string_equal(p.links[i].host, want[i].host);
		assert_string_equal(p.links[i].text, want[i].text);
	}
	site_page_free(&p);

	/* libcurl decodes a host's escapes: the result stays UTF-8 */
	parse_str("<a href=\"https://jun%8e.example/\">x</a>", &p);
	assert_int_equal(p.nlinks, 1);
	assert_true(text_valid_utf8(p.links[0].href,
	    strlen(p.links[0].href)));
	assert_true(p.links[0].host == NULL || text_valid_utf8(
	    p.links[0].host, strlen(p.links[0].host)));
	site_page_free(&p);

	/* without <base>, a fragment keeps the page's file and query */
	parse_str("<a href=\"#x\">f</a><a href=\"?p=2\">q</a>", &p);
	assert_string_equal(p.links[0].href, BASE "#x");
	assert_string_equal(p.links[1].href, BASE "?p=2");
	site_page_free(&p);
}

static void
test_invalid_html(void **state)
{
	static const char *const pages[] = {
		"<html><body><div><p>không đóng<div><span>thẻ</body>",
		"</div></div><p>thẻ đóng lạc</p></div></span>",
		"<<<>>><p>rác <\x01\x02\x7f> vẫn đọc</p>",
		"<p title=\"không đóng ngoặc>chữ</p><p>tiếp</p>",
		"<!-- chú thích không đóng <p>ẩn</p>",
		"<table><tr><td>ô 1<td>ô 2<tr><td>ô 3</table>",
		"<p>&amp; &lt;tag&gt; &nbsp;&#7879; &#xZZ; &bogus; &#0;</p>",
		"<script>document.write('<p>')</script><p>sau script</p>",
		"<![CDATA[x]]><?php echo 1; ?><p>pi</p>",
		"\xef\xbb\xbf<p>BOM</p>",
		"",
		"   \n\t ",
		"chỉ có chữ",
	};
	struct site_page p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		parse_str(pages[i], &p);
		assert_true(text_valid_utf8(p.text, strlen(p.text)) ||
		    p.text[0] == '\0');
		site_page_free(&p);
	}
	parse_str(pages[0], &p);
	assert_non_null(block_with(&p, "không đóng"));
	assert_non_null(block_with(&p, "thẻ"));
	site_page_free(&p);
	parse_str(pages[1], &p);
	assert_non_null(block_with(&p, "thẻ đóng lạc"));
	site_page_free(&p);
	parse_str(pages[2], &p);
	assert_non_null(strstr(p.text, "vẫn đọc"));
	site_page_free(&p);
	parse_str(pages[5], &p);
	assert_non_null(block_with(&p, "ô 2"));
	assert_non_null(block_at(&p, "html/body/table/tr[2]/td"));
	site_page_free(&p);
	parse_str(pages[6], &p);
	assert_non_null(block_with(&p, "& <tag> ệ ZZ; &bogus;"));
	site_page_free(&p);
	parse_str(pages[9], &p);
	assert_non_null(block_with(&p, "BOM"));
	site_page_free(&p);
	parse_str(pages[10], &p);
	assert_int_equal(p.nblocks, 0);
	assert_string_equal(p.title, "");
	assert_string_equal(p.text, "");
	site_page_free(&p);
	parse_str(pages[12], &p);
	assert_string_equal(p.text, "chỉ có chữ");
	site_page_free(&p);
}

static void
test_many_elements(void **state)
{
	struct buf b = { 0 };
	struct site_page p;
	char err[128];
	bool tr;
	int i;

	(void)state;
	bprintf(&b, "<html><body><ul>");
	for (i = 0; i < 50000; i++)
		bprintf(&b, "<li><a href=\"/%d\">m%d</a></li>", i, i);
	bprintf(&b, "</ul><p>cuối trang</p></body></html>");
	assert_int_equal(site_html_parse_ex((unsigned char *)b.s, b.len, NULL,
	    BASE, &p, &tr, err, sizeof(err)), 0);
	assert_true(tr);
	assert_true(p.nblocks <= 20000);
	assert_true(p.nlinks <= 10000);
	assert_true(p.nlinks > 9000);
	assert_true(p.nshape <= 4096);
	assert_null(block_with(&p, "cuối trang"));
	site_page_free(&p);
	free(b.s);
}

static void
test_deep(void **state)
{
	struct buf b = { 0 };
	struct site_page p;
	char err[128];
	bool tr;
	int i;

	(void)state;
	bprintf(&b, "<html><body>");
	for (i = 0; i < 10000; i++)
		bprintf(&b, "<div><span>");
	bprintf(&b, "đáy");
	for (i = 0; i < 10000; i++)
		bprintf(&b, "</span></div>");
	bprintf(&b, "<p>sau</p></body></html>");
	assert_int_equal(site_html_parse_ex((unsigned char *)b.s, b.len, NULL,
	    BASE, &p, &tr, err, sizeof(err)), 0);
	assert_true(tr);
	assert_true(p.nblocks <= 256);
	site_page_free(&p);
	free(b.s);
}

static void
test_much_text(void **state)
{
	struct buf b = { 0 };
	struct site_page p;
	char err[128];
	bool tr;
	int i;

	(void)state;
	for (i = 0; i < 3000; i++)
		bprintf(&b, "<p>%0500d</p>", i);
	assert_int_equal(site_html_parse_ex((unsigned char *)b.s, b.len, NULL,
	    BASE, &p, &tr, err, sizeof(err)), 0);
	assert_true(tr);
	assert_true(strlen(p.text) <= (1u << 20));
	assert_true(p.nblocks > 1000);
	site_page_free(&p);
	/* many attributes, long ids, a huge inline script: bounded */
	b.len = 0;
	bprintf(&b, "<div id=\"");
	for (i = 0; i < 5000; i++)
		bprintf(&b, "ư");
	bprintf(&b, "\"");
	for (i = 0; i < 100000; i++)
		bprintf(&b, " a%d", i);
	bprintf(&b, "><p>x</p></div><script>");
	for (i = 0; i < 20000; i++)
		bprintf(&b, "var v%d=1;", i);
	bprintf(&b, "</script>");
	parse_ok(b.s, b.len, NULL, &p);
	assert_true(strlen(p.blocks[0].path) < 300);
	assert_true(text_valid_utf8(p.blocks[0].path,
	    strlen(p.blocks[0].path)));
	assert_int_equal(p.nscripts, 1);
	assert_true(strlen(p.scripts[0].text) <= 64u << 10);
	site_page_free(&p);
	free(b.s);
}

static void
test_binary(void **state)
{
	static const struct {
		const char *s;
		size_t len;
	} bins[] = {
		{ "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", 24 },
		{ "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16 },
		{ "GIF89a\x01\0\x01\0", 10 },
		{ "\x1f\x8b\x08\0\0\0\0\0", 8 },
		{ "\x7f" "ELF\x02\x01\x01", 7 },
		{ "<html>\0<body>", 13 },
		{ "MZ\x90\0\x03\0\0\0", 8 },
		{ "PK\x03\x04\x14\0\x06\0", 8 },
	};
	struct site_page p;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bins) / sizeof(bins[0]); i++) {
		err[0] = '\0';
		assert_int_equal(site_html_parse((const unsigned char *)bins[i].s,
		    bins[i].len, NULL, BASE, &p, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "nhị phân"));
		assert_non_null(strstr(err, "binary"));
		assert_null(p.title);
		site_page_free(&p);
	}
	/* words that start like magic numbers are not binary */
	parse_str("MZ is a word<p>x</p>", &p);
	site_page_free(&p);
	parse_str("BZh... <p>y</p>", &p);
	site_page_free(&p);
}

static void
test_url_host(void **state)
{
	static const struct {
		const char *url, *host;
	} cases[] = {
		{ "https://Thaihoa.HUE.gov.vn/a", "thaihoa.hue.gov.vn" },
		{ "http://127.0.0.1:8080/x", "127.0.0.1" },
		{ "http://[::1]/", "[::1]" },
		{ "https://example.com./", "example.com" },
		{ "https://user:pw@bet.example:443/", "bet.example" },
		{ "HTTP://Đà.vn/", "Đà.vn" },
		{ "ftp://example.com/", NULL },
		{ "javascript:alert(1)", NULL },
		{ "/relative/path", NULL },
		{ "example.com", NULL },
		{ "", NULL },
	};
	size_t i;
	char *h;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		h = site_url_host(cases[i].url);
		if (cases[i].host == NULL)
			assert_null(h);
		else
			assert_string_equal(h, cases[i].host);
		free(h);
	}
	assert_null(site_url_host(NULL));
}

static void
test_domain(void **state)
{
	static const struct {
		const char *host, *domain;
	} cases[] = {
		{ "www.thaihoa.hue.gov.vn", "hue.gov.vn" },
		{ "thaihoa.hue.gov.vn", "hue.gov.vn" },
		{ "hue.gov.vn", "hue.gov.vn" },
		{ "gov.vn", "gov.vn" },
		{ "chinhphu.vn", "chinhphu.vn" },
		{ "www.chinhphu.vn", "chinhphu.vn" },
		{ "static.vnexpress.net", "vnexpress.net" },
		{ "cdn.example.com", "example.com" },
		{ "a.b.example.co.uk", "example.co.uk" },
		{ "WWW.Truong.EDU.VN", "truong.edu.vn" },
		{ "shop.abc.com.vn", "abc.com.vn" },
		{ "nohu.hanoi.vn", "nohu.hanoi.vn" },
		{ "x.y.spam.id.vn", "spam.id.vn" },
		{ "bet.github.io", "bet.github.io" },
		{ "www.789bet.xyz", "789bet.xyz" },
		{ "example.com.", "example.com" },
		{ "127.0.0.1", "127.0.0.1" },
		{ "[::1]", "[::1]" },
		{ "localhost", "localhost" },
		{ "portal.phuong.test", "phuong.test" },
		{ "a.b.phuong.test", "phuong.test" },
		{ "vn", "vn" },
	};
	size_t i;
	char *d;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		d = site_domain(cases[i].host);
		assert_non_null(d);
		if (strcmp(d, cases[i].domain) != 0)
			fail_msg("%s -> %s, not %s", cases[i].host, d,
			    cases[i].domain);
		free(d);
	}
	assert_null(site_domain(NULL));
	assert_null(site_domain(""));
}

static void
test_no_base(void **state)
{
	struct site_page p;
	char err[64];

	(void)state;
	assert_int_equal(site_html_parse((const unsigned char *)"<a href=\"x"
	    "\">r</a><a href=\"https://a.example/\">a</a>", 43, NULL, NULL, &p,
	    err, sizeof(err)), 0);
	assert_int_equal(p.nlinks, 2);
	assert_string_equal(p.links[0].href, "x");
	assert_null(p.links[0].host);
	assert_string_equal(p.links[1].host, "a.example");
	site_page_free(&p);
	site_page_free(&p);	/* twice is harmless */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_portal),
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_nfd),
		cmocka_unit_test(test_windows1258),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_hidden),
		cmocka_unit_test(test_frames),
		cmocka_unit_test(test_refresh),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_invalid_html),
		cmocka_unit_test(test_many_elements),
		cmocka_unit_test(test_deep),
		cmocka_unit_test(test_much_text),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_url_host),
		cmocka_unit_test(test_domain),
		cmocka_unit_test(test_no_base),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
