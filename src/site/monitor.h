/*
 * monitor.h — one round of the portal integrity monitor over many URLs:
 * each URL's state (its baseline) from a state directory, every page
 * fetched as a browser and as a crawler (site_fetch_many, bounded), parsed,
 * compared (site_detect), DNS, TLS and header alerts once per host, state
 * saved atomically. Used by `canhgac site baseline|check` (src/cli/cmd_site.c)
 * and, later, by canhgacd's scheduled job. docs/sites.md.
 */
#ifndef CG_SITE_MONITOR_H
#define CG_SITE_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "site/site.h"

#define SITE_ROUND_FETCHES 5		/* fetches a baseline is learnt from */
#define SITE_ROUND_MAX_PAGES 2000	/* pages of a round with the sitemap */
#define SITE_SITEMAP_MAX_URLS 50000	/* <loc> read from a host's sitemaps */
#define SITE_SITEMAP_MAX_FILES 50	/* sitemaps of an index, one level */
#define SITE_STATE_MAX (8u << 20)	/* bytes of one state file */

struct site_round_opts {
	const char *state_dir;		/* one JSON file per URL */
	const char *const *urls;	/* absolute http(s) URLs */
	size_t n;
	const struct site_limits *lim;	/* NULL: site_limits_default() */
	const char *cafile;		/* CA bundle (tests), or NULL */
	const char *const *resolve;	/* curl "host:port:addr" entries */
	size_t nresolve;
	const char *dns_server;		/* "addr:port", NULL: the system's */
	const struct site_vocab *vocab;	/* NULL: the embedded vocabulary */
	int fetches;			/* baseline fetches, 0: default 5 */
	bool sitemap;			/* also the pages of /sitemap.xml */
	size_t max_pages;		/* 0: SITE_ROUND_MAX_PAGES */
	int64_t now;			/* 0: time(NULL) */
};

/*
 * One check round. Returns the JSON object of the command's contract
 * (docs/sites.md, "Lệnh / Commands"):
 *   {"schema":1, "checked_at", "pages":[{url, final_url, status, seconds,
 *    fetches:{browser:{…}, crawler:{…}}, learnt, alerts:[…]}],
 *    "site":[per-host alerts], "stats":{pages, fetches, seconds,
 *    pages_per_s, alerts, max_rss_kb}}
 * A URL without a baseline gets one learnt first (opts->fetches fetches);
 * for that round it is only checked for availability, TLS, DNS and
 * headers (and, when it came from a sitemap, for gambling vocabulary: a
 * newly appearing page). NULL with a bilingual err on a fatal error (the
 * state directory cannot be used, the vocabulary cannot be loaded).
 */
json_t *site_round(const struct site_round_opts *o, char *err,
    size_t errlen);

/*
 * Learns (or re-learns) the baseline of every URL from opts->fetches
 * fetches as each agent and writes its state file. Returns
 *   {"schema":1, "learned_at", "pages":[{url, final_url, status, file,
 *    fetches, error?}], "stats":{pages, fetches, seconds, pages_per_s,
 *    learnt, failed, max_rss_kb}}
 * or NULL with err on a fatal error. A page whose every fetch failed is
 * reported with its error and its state left as it was.
 */
json_t *site_learn(const struct site_round_opts *o, char *err, size_t errlen);

/* The state file of url inside dir: dir/<32 hex of SHA-256(url)>.json,
 * malloc'd. */
char *site_state_path(const char *dir, const char *url);

/*
 * Reads the <loc> URLs of a sitemap (urlset) or, when it is a sitemap
 * index, the sitemaps it lists (*index set true). Only URLs on the same
 * host and port as base_url are kept, at most max (the rest are counted in
 * *dropped); parsed without network access, DTD or entity expansion.
 * Returns a JSON array of strings, or NULL with err when not XML.
 */
json_t *site_sitemap_parse(const unsigned char *body, size_t len,
    const char *base_url, size_t max, bool *index, size_t *dropped,
    char *err, size_t errlen);

#endif
