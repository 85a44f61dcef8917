/*
 * sitejob.h — the portal monitor on the server: rounds of
 * src/site/monitor.c over the registered sites (store.h, "Portal
 * monitor"), their alerts turned into findings of the unit owning each
 * site. canhgacd runs sitejob_due() every 30 s in a thread of its own
 * (main.c); `canhgac site check` runs sitejob_check() at once
 * (src/cli/cmd_site.c). Does not log: the callers do. docs/sites.md.
 */
#ifndef CG_SITEJOB_H
#define CG_SITEJOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "server/serverconf.h"
#include "server/store.h"
#include "site/site.h"

#define SITEJOB_STATE_DIR "sites"	/* under the data directory */
#define SITEJOB_EVIDENCE_MAX (32u << 10)	/* bytes of a finding's */
#define SITEJOB_EVIDENCE_ALERTS 8	/* alerts kept per finding */

struct sitejob {
	struct store *st;
	char *state_dir;		/* DATA/sites, made 0750 */
	const struct serverconf *sc;	/* site-* keys */
	struct site_vocab *vocab;	/* the embedded one */
	/* each finding a round opened (inside the store's transaction) */
	void (*opened)(const char *host_id, const struct ingest_finding *f,
	    void *arg);
	void *arg;
};

/* Makes DATA/sites (0750) and loads the vocabulary; -1 with err. */
int sitejob_init(struct sitejob *j, struct store *st,
    const struct serverconf *sc, char *err, size_t errlen);
void sitejob_free(struct sitejob *j);

struct sitejob_result {
	size_t sites, origins;		/* registered sites checked */
	int opened, resolved, events;
	json_t *rounds;			/* the rounds' JSON (site_round),
					   an array; the caller releases */
};

/* Checks every registered site of the origins of urls (all of an
 * origin's sites together, so that a kind no page raised is resolved)
 * and stores the result. ENOTFOUND when a URL is not registered. */
int sitejob_check(struct sitejob *j, const char *const *urls, size_t n,
    int64_t now, struct sitejob_result *r, char *err, size_t errlen);
/* The sites due at now (with the other sites of their origins), checked
 * and stored; r->sites 0 when none was due. */
int sitejob_due(struct sitejob *j, int64_t now, struct sitejob_result *r,
    char *err, size_t errlen);
/* Learns the baselines of urls into DATA/sites (site_learn). */
json_t *sitejob_learn(struct sitejob *j, const char *const *urls, size_t n,
    char *err, size_t errlen);

#endif
