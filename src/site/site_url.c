/*
 * site_url.c — URLs and "the same site" for the portal monitor
 * (site.h): the host of a URL through libcurl's URL API, and the
 * registrable domain under public-suffix semantics with a small built-in
 * list (gov.vn, edu.vn, com.vn … are suffixes), so that a ward portal's
 * links to its province's other portals are not foreign.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "lib/text.h"
#include "site/html_parts.h"
#include "site/site.h"

/* --- URLs and domains ---------------------------------------------------- */

/*
 * A malloc'd copy of what libcurl returned, made valid UTF-8: libcurl
 * decodes a host's percent escapes ("jun%8e.example"), so its bytes are
 * encoded again when they are not UTF-8 or are control characters.
 */
char *
html_curl_str(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct sbuf b = { 0 };
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			break;
	if (i == n && text_valid_utf8(s, n))
		return text_ndup(s, n);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f) {
			sbuf_addc(&b, '%');
			sbuf_addc(&b, hex[c >> 4]);
			sbuf_addc(&b, hex[c & 15]);
		} else
			sbuf_addc(&b, (char)c);
	}
	return b.s;
}

void
html_lower_str(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)html_lower((unsigned char)*s);
}

/* Host (lower case, no trailing dot) of a parsed URL when http(s). */
char *
html_curlu_host(CURLU *u)
{
	char *scheme = NULL, *host = NULL, *ret = NULL;
	size_t n;

	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    *host == '\0')
		goto out;
	ret = html_curl_str(host);
	html_lower_str(ret);
	n = strlen(ret);
	while (n > 1 && ret[n - 1] == '.')
		ret[--n] = '\0';
out:
	curl_free(scheme);
	curl_free(host);
	return ret;
}

char *
site_url_host(const char *url)
{
	CURLU *u;
	char *host = NULL;

	if (url == NULL || (u = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_ALLOW_SPACE |
	    CURLU_URLENCODE) == CURLUE_OK)
		host = html_curlu_host(u);
	curl_url_cleanup(u);
	return host;
}

/* Public suffixes that have registrable names under them (beyond TLDs). */
static const char *const html_suffixes[] = {
	/* Viet Nam (VNNIC second levels and the province names) */
	"ac.vn", "ai.vn", "biz.vn", "com.vn", "edu.vn", "gov.vn", "health.vn",
	"id.vn", "info.vn", "int.vn", "io.vn", "name.vn", "net.vn", "org.vn",
	"pro.vn",
	"angiang.vn", "bacgiang.vn", "backan.vn", "baclieu.vn", "bacninh.vn",
	"baria-vungtau.vn", "bentre.vn", "binhdinh.vn", "binhduong.vn",
	"binhphuoc.vn", "binhthuan.vn", "camau.vn", "cantho.vn", "caobang.vn",
	"daklak.vn", "daknong.vn", "danang.vn", "dienbien.vn", "dongnai.vn",
	"dongthap.vn", "gialai.vn", "hagiang.vn", "haiduong.vn",
	"haiphong.vn", "hanam.vn", "hanoi.vn", "hatinh.vn", "haugiang.vn",
	"hoabinh.vn", "hungyen.vn", "khanhhoa.vn", "kiengiang.vn",
	"kontum.vn", "laichau.vn", "lamdong.vn", "langson.vn", "laocai.vn",
	"longan.vn", "namdinh.vn", "nghean.vn", "ninhbinh.vn", "ninhthuan.vn",
	"phutho.vn", "phuyen.vn", "quangbinh.vn", "quangnam.vn",
	"quangngai.vn", "quangninh.vn", "quangtri.vn", "soctrang.vn",
	"sonla.vn", "tayninh.vn", "thaibinh.vn", "thainguyen.vn",
	"thanhhoa.vn", "thanhphohochiminh.vn", "thuathienhue.vn",
	"tiengiang.vn", "travinh.vn", "tuyenquang.vn", "vinhlong.vn",
	"vinhphuc.vn", "yenbai.vn",
	/* elsewhere, the ones met on portals and in spam */
	"co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au",
	"com.cn", "net.cn", "com.hk", "com.sg", "com.my", "co.jp", "co.kr",
	"co.th", "in.th", "com.tw", "co.id", "com.ph", "co.in", "com.br",
	/* shared hosting where each name is its own owner */
	"blogspot.com", "github.io", "gitlab.io", "netlify.app",
	"vercel.app", "pages.dev", "workers.dev", "web.app",
	"firebaseapp.com", "herokuapp.com", "appspot.com",
	"azurewebsites.net", "cloudfront.net", "s3.amazonaws.com",
	"glitch.me", "ngrok.io", "ngrok-free.app", "weebly.com", "wixsite.com",
};

static bool
html_is_suffix(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(html_suffixes) / sizeof(html_suffixes[0]); i++)
		if (strcmp(s, html_suffixes[i]) == 0)
			return true;
	return false;
}

char *
site_domain(const char *host)
{
	char *h, *p, *prev = NULL;
	size_t n;
	bool ip = true;

	if (host == NULL || *host == '\0')
		return NULL;
	h = text_dup(host);
	html_lower_str(h);
	n = strlen(h);
	while (n > 1 && h[n - 1] == '.')
		h[--n] = '\0';
	for (p = h; *p != '\0'; p++)
		if (!html_digit(*p) && *p != '.')
			ip = false;
	if (ip || strchr(h, ':') != NULL || h[0] == '[')
		return h;
	/* from the left, the first (longest) suffix: the label before it */
	for (p = h; p != NULL; prev = p, p = (p = strchr(p, '.')) ? p + 1 :
	    NULL) {
		if (strchr(p, '.') == NULL || html_is_suffix(p)) {
			if (prev != NULL && prev != h)
				memmove(h, prev, strlen(prev) + 1);
			return h;
		}
	}
	return h;
}
