/*
 * portal.h — the ward portal the portal-monitor tests serve on loopback
 * ("Cổng thông tin điện tử phường Thái Hòa"), made by the tests themselves:
 * pages whose date, visitor counter, tokens, banner and news list change
 * on every fetch, and the damaged variants the monitor must catch
 * (defaced, gambling spam visible and hidden, injected scripts, cloaking,
 * redirects) or survive (slow, huge, endless redirects, binary, tag soup).
 *
 * portal.c serves it (libmicrohttpd, optionally TLS with src/lib/pki.h) and
 * switches variants at run time; portal_pages.c writes the HTML;
 * portal_dns.c answers A/AAAA/NS for the portal's name. tests/site/
 * README.md tells how tests/site/run.sh and bench/sites.sh drive it.
 */
#ifndef CG_TESTS_SITE_PORTAL_H
#define CG_TESTS_SITE_PORTAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PORTAL_HOST "portal.thaihoa.test"
#define PORTAL_DOMAIN "thaihoa.test"

/* What the portal serves now (switched by GET /__control/NAME?key=K). */
#define PORTAL_VARIANTS \
	X(NORMAL, "normal") \
	X(DEFACED, "defaced") \
	X(GAMBLING_VISIBLE, "gambling-visible") \
	X(GAMBLING_HIDDEN, "gambling-hidden") \
	X(SCRIPT_INJECTED, "script-injected") \
	X(CLOAKED, "cloaked") \
	X(REDIRECTING, "redirecting") \
	X(HEADERS, "headers") \
	X(SLOW, "slow") \
	X(HUGE, "huge") \
	X(LOOP, "loop") \
	X(BINARY, "binary") \
	X(INVALID, "invalid")

enum portal_variant {
#define X(e, name) PORTAL_##e,
	PORTAL_VARIANTS
#undef X
	PORTAL_VARIANT_COUNT
};

const char *portal_variant_name(enum portal_variant v);
int portal_variant_parse(const char *name);	/* -1 when unknown */

/* The page of the hostile variants (slow, huge, loop, binary, invalid):
 * one key page turns bad, the others stay normal. */
#define PORTAL_HOSTILE_PATH "/lien-he.html"

/* A growing string; aborts on exhaustion (a test program). */
struct sbuf {
	char *s;
	size_t len;
	size_t cap;
};
void sb_add(struct sbuf *b, const char *s);
void sb_addn(struct sbuf *b, const char *s, size_t n);
void sb_printf(struct sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* s with & < > " ' escaped for HTML text and attributes. */
void sb_html(struct sbuf *b, const char *s);

/* What one request asks, and what the page needs to know. */
struct portal_req {
	const char *path;
	const char *base;	/* "http://portal.thaihoa.test:8080" */
	bool crawler;		/* the User-Agent is Googlebot's */
	enum portal_variant variant;
	uint64_t visit;		/* this fetch's number (the counter) */
	uint64_t rnd;		/* this fetch's random state */
	unsigned npages;	/* articles /tin-tuc/1..npages.html */
	unsigned port;
	char nonce[24];		/* the script nonce of this fetch */
};

uint64_t portal_rand(uint64_t *state);

/* Writes the page of req->path into out (HTML, UTF-8). Returns the HTTP
 * status (200, 302, 404); for 302 *location is set (malloc'd). */
int portal_page(struct portal_req *req, struct sbuf *out, char **location);
/* The page a foreign betting host serves (redirect targets). */
void portal_foreign_page(const char *host, struct sbuf *out);
/* /sitemap.xml */
void portal_sitemap(const struct portal_req *req, struct sbuf *out);
/* The legacy page served in Windows-1258 (its UTF-8 text before
 * encoding); the caller converts with iconv. */
#define PORTAL_CP1258_PATH "/van-ban/thong-bao-1258.html"
/* The old hand-written page with invalid HTML (always so, baselined). */
#define PORTAL_SOUP_PATH "/hop-thu-gop-y.html"

/* The DNS responder (portal_dns.c): UDP on 127.0.0.1, a free port. */
int portal_dns_start(unsigned *port, char *err, size_t errlen);
void portal_dns_set(int answers);	/* 0: normal, 1: changed */
void portal_dns_stop(void);

#endif
