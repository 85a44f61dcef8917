/*
 * site.h — the portal integrity monitor's contract (directive point 3:
 * "watch the portal so that it is not defaced").
 *
 * A check of one site goes through four steps, each in its own files:
 *
 *   fetch.c     fetches pages with libcurl multi (concurrent, HTTP/2,
 *               bounded in size, time and redirects), each page twice:
 *               as a browser and as a search-engine crawler; also the
 *               TLS certificate, the response headers, the redirect chain.
 *   html.c      normalises a page's HTML (libxml2's HTML parser) into what
 *               can be compared: title, meta, visible text blocks, links,
 *               scripts, iframes, hidden elements, a structure signature.
 *   baseline.c  learns from several fetches which parts change on their
 *               own (dates, counters, news lists, tokens, banners) and
 *               keeps what the page normally is (JSON, one file per URL).
 *   detect.c    compares a fetch with the baseline and with the other
 *               fetch, and raises alerts with their evidence.
 *
 *   dns.c       A, AAAA and NS records of the site's host (res_nquery).
 *   vocab.c     the gambling/betting vocabulary, the defacement phrases
 *               and the miner script names, from the policy data
 *               (policy/site/vocab.yml, embedded as embedded_site[] of
 *               src/agent/embedded.h), matched with and without
 *               diacritics.
 *   monitor.c   one round over many sites: fetch all, detect, save state.
 *
 * Everything fetched is untrusted: bounded (struct site_limits), parsed
 * without network access or entity expansion, escaped on output.
 */
#ifndef CG_SITE_H
#define CG_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* --- fetching (fetch.c) -------------------------------------------------- */

enum site_agent {
	SITE_BROWSER = 0,	/* a current desktop Chrome's User-Agent */
	SITE_CRAWLER = 1,	/* Googlebot's User-Agent (cloaking shows here) */
};

struct site_limits {
	size_t max_body;	/* bytes kept of a body (default 4 MiB) */
	long timeout_ms;	/* whole transfer (default 20 s) */
	long connect_ms;	/* connection (default 10 s) */
	int max_redirects;	/* followed (default 8) */
	int concurrency;	/* transfers at once (default 32) */
	int per_host;		/* transfers at once per host (default 6) */
	long slow_ms;		/* over this a page is "slow" (default 5 s) */
};
void site_limits_default(struct site_limits *lim);

/* One hop of a redirect chain. */
struct site_hop {
	long status;		/* 301, 302, … */
	char *url;		/* the URL that answered with the redirect */
	char *location;		/* where it sent to (absolute) */
};

/* The result of fetching one URL as one agent. */
struct site_fetch {
	char *url;		/* asked */
	enum site_agent agent;
	char *final_url;	/* after redirects */
	long status;		/* HTTP status of the last answer; 0: none */
	int curl_code;		/* CURLE_OK or the error */
	char error[256];	/* curl's error text, bilingual prefix added */
	double seconds;		/* total time */
	double ttfb;		/* time to the first byte */
	char *content_type;	/* lower case, without parameters */
	char *charset;		/* from the header, lower case, or NULL */
	unsigned char *body;	/* NUL-terminated; at most max_body bytes */
	size_t len;
	bool truncated;		/* the body was longer than max_body */
	struct site_hop *hops;	/* redirects followed, in order */
	size_t nhops;
	json_t *headers;	/* lower-case name -> value (last answer) */
	char *ip;		/* address connected to */
	/* TLS (https only) */
	bool tls;
	bool cert_verified;	/* the chain verified against the CA store */
	char *cert_error;	/* why not, when not */
	int64_t cert_not_after;	/* UTC seconds; 0: unknown */
	char *cert_subject;
	char *cert_issuer;
};

struct site_fetch_opts {
	const struct site_limits *lim;
	const char *cafile;	/* CA bundle (tests), NULL: the system's */
	const char *resolve;	/* curl "host:port:addr" entries separated
				   by ';' (tests), or NULL */
	bool insecure_ok;	/* still fetch when the certificate fails
				   (the failure is recorded and alerted) */
};

/* Fetches n URLs, each as every agent in agents[0..nagents), with at most
 * lim->concurrency transfers at once; out receives n * nagents results in
 * the order url0/agent0, url0/agent1, url1/agent0, … Never fails as a
 * whole: each result carries its own error. */
void site_fetch_many(const char *const *urls, size_t n,
    const enum site_agent *agents, size_t nagents,
    const struct site_fetch_opts *o, struct site_fetch *out);
void site_fetch_free(struct site_fetch *f);

/* --- the normalised page (html.c) --------------------------------------- */

/* A block of visible text: the text of one block-level element (p, li,
 * h1-h6, td, div with text of its own, title), white space collapsed,
 * NFC. path is its position ("html/body/div#main/ul/li[3]") — element
 * names, ids, and positions only among same-named siblings. */
struct site_block {
	char *path;
	char *text;
	uint64_t hash;		/* of the text */
	bool hidden;		/* inside an element hidden by style */
};

struct site_link {
	char *href;		/* absolute URL */
	char *host;		/* its host, lower case; NULL when not http(s) */
	char *text;		/* link text (NFC, collapsed) */
	bool hidden;		/* inside a hidden element, or tiny/off-screen */
};

struct site_script {
	char *src;		/* absolute URL; NULL for an inline script */
	char *host;		/* src's host */
	uint64_t hash;		/* of the inline text or of src */
	char *text;		/* inline text (first 64 KiB) or NULL */
};

struct site_frame {
	char *src;
	char *host;
	bool hidden;		/* zero size, hidden, off-screen */
};

struct site_page {
	char *title;		/* NFC, collapsed; "" when none */
	json_t *meta;		/* name/property (lower case) -> content */
	char *refresh;		/* meta refresh target (absolute), or NULL */
	char *lang;		/* html lang, or NULL */
	struct site_block *blocks;
	size_t nblocks;
	struct site_link *links;
	size_t nlinks;
	struct site_script *scripts;
	size_t nscripts;
	struct site_frame *frames;
	size_t nframes;
	uint64_t *shape;	/* structure signature: hashes of the tag
				   paths of the page (sorted, unique) */
	size_t nshape;
	char *text;		/* all visible text, one block a line */
	char *charset;		/* what the page was decoded from */
};

/* Parses body (charset from the header, else from the page, else UTF-8
 * with a fallback to Windows-1258/1252 when invalid) against base_url.
 * Bounded: at most 20,000 elements, depth 256, 1 MiB of text. Returns 0,
 * or -1 with a bilingual err naming what was wrong (binary content, …). */
int site_html_parse(const unsigned char *body, size_t len,
    const char *charset, const char *base_url, struct site_page *p,
    char *err, size_t errlen);
void site_page_free(struct site_page *p);

/* Host of an absolute http(s) URL, lower case, malloc'd; NULL otherwise. */
char *site_url_host(const char *url);
/* The registrable domain of a host, gov.vn and the other .vn second
 * levels being public suffixes ("www.thaihoa.hue.gov.vn" -> "hue.gov.vn";
 * "cdn.example.com" -> "example.com"): what "the same site" means for
 * links and scripts (html.c lists the suffixes). */
char *site_domain(const char *host);

/* --- the vocabulary (vocab.c) ------------------------------------------- */

struct site_vocab;

/* Loads policy/site/vocab.yml (or the embedded copy when path is NULL):
 * gambling/betting terms and brand names, defacement phrases, miner
 * script names. -1 with err file:line:column on a bad file. */
int site_vocab_load(const char *path, struct site_vocab **out, char *err,
    size_t errlen);
void site_vocab_free(struct site_vocab *v);

struct site_hit {
	char *term;		/* the term as listed */
	char *found;		/* the text as found (NFC) */
	char *context;		/* ~80 characters around it */
};

enum site_vocab_kind {
	SITE_VOCAB_GAMBLING,	/* nổ hũ, tài xỉu, cá cược, nhà cái, … */
	SITE_VOCAB_DEFACE,	/* hacked by, defaced by, owned by, … */
	SITE_VOCAB_MINER,	/* coinhive, cryptonight, … (script text) */
};

/* Finds the terms of a kind in text, matched on word boundaries with and
 * without diacritics ("no hu", "nổ hũ", "NỔ HŨ"). At most max hits;
 * returns how many. */
size_t site_vocab_find(const struct site_vocab *v, enum site_vocab_kind k,
    const char *text, size_t len, struct site_hit *hits, size_t max);
void site_hit_free(struct site_hit *h);

/* --- DNS (dns.c) --------------------------------------------------------- */

struct site_dns {
	json_t *a;		/* sorted arrays of strings */
	json_t *aaaa;
	json_t *ns;
	char error[200];	/* "" when the lookups answered */
};
/* nameserver: "127.0.0.1:5353" for tests, NULL for the system's.
 * Returns 0 when the name answered (even with no records), -1 for
 * NXDOMAIN and failures (error set); the arrays are always present. */
int site_dns_lookup(const char *host, const char *nameserver,
    struct site_dns *out);
void site_dns_free(struct site_dns *d);

/* --- the baseline (baseline.c) ------------------------------------------ */

/*
 * What a page normally is, learned from several fetches (default 5): the
 * blocks that stayed the same (stable) and those that changed (volatile:
 * ignored later), the title, the link/script/iframe domains seen, the
 * structure signature, the crawler/browser similarity, the TLS issuer,
 * the DNS answers. Stored as JSON (docs/sites.md says its members).
 */
json_t *site_baseline_learn(const struct site_page *pages, size_t n,
    const struct site_fetch *fetches);
/* Merges one more normal fetch into a baseline (a block that changes
 * becomes volatile); used while learning and after a confirmed change. */
void site_baseline_update(json_t *baseline, const struct site_page *p);

/* --- detection (detect.c) ----------------------------------------------- */

/* Alert kinds (check ids "site-<kind>" on the server). */
#define SITE_ALERT_KINDS \
	X(DEFACED, "defaced", "critical") \
	X(SPAM, "spam", "critical") \
	X(HIDDEN_LINKS, "hidden-links", "high") \
	X(NEW_SCRIPT, "new-script", "high") \
	X(NEW_IFRAME, "new-iframe", "high") \
	X(MINER, "miner", "critical") \
	X(REDIRECT, "redirect", "critical") \
	X(CLOAKING, "cloaking", "critical") \
	X(DOWN, "down", "high") \
	X(SLOW, "slow", "low") \
	X(TLS_INVALID, "tls-invalid", "high") \
	X(TLS_EXPIRY, "tls-expiry", "medium") \
	X(DNS_CHANGED, "dns-changed", "high") \
	X(HEADERS, "headers-missing", "low") \
	X(UNREADABLE, "unreadable", "medium")

enum site_alert_kind {
#define X(e, code, sev) SITE_ALERT_##e,
	SITE_ALERT_KINDS
#undef X
	SITE_ALERT_COUNT
};

const char *site_alert_code(enum site_alert_kind k);	/* "defaced" */
const char *site_alert_severity(enum site_alert_kind k);	/* "critical" */
const char *site_alert_title(enum site_alert_kind k, bool en);

/*
 * An alert, as JSON (the contract of docs/sites.md):
 *   {"kind":"spam", "severity":"critical", "url":"…",
 *    "fetch":"browser|crawler|both", "title":{"vi":…,"en":…},
 *    "evidence":{ "diff":["- old line","+ new line",…],
 *                 "links":[{"href","text","hidden"}…],
 *                 "scripts":[…], "frames":[…], "terms":[{"term","found",
 *                 "context"}…], "chain":[{"status","url","location"}…],
 *                 "before":…, "after":… } }
 * Evidence lists are bounded (at most 20 items, 300 bytes each).
 */

struct site_check_in {
	const char *url;
	json_t *baseline;		/* site_baseline_learn()'s, or NULL */
	const struct site_fetch *browser;
	const struct site_fetch *crawler;	/* may be NULL */
	const struct site_page *bpage;	/* parsed browser fetch, or NULL */
	const struct site_page *cpage;	/* parsed crawler fetch, or NULL */
	const struct site_dns *dns;	/* or NULL (checked once per host) */
	const struct site_vocab *vocab;
	const struct site_limits *lim;
	int64_t now;
};

/* The alerts of one page: a JSON array (empty when all is well). */
json_t *site_detect(const struct site_check_in *in);

#endif
