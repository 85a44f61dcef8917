/*
 * metrics.h — what canhgacd counts, for GET /metrics: requests by route
 * and status class, batches stored, duplicate and refused by code, reports
 * and findings ingested, enrolments, the latency of batch uploads, and at
 * each scrape the store's counters and the process's memory. Counters are
 * process-wide atomics: any thread may count without a lock.
 */
#ifndef CG_METRICS_H
#define CG_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

enum metrics_route {
	METRICS_ROUTE_CA,
	METRICS_ROUTE_ENROLL,
	METRICS_ROUTE_BATCHES,
	METRICS_ROUTE_AGENT,
	METRICS_ROUTE_METRICS,
	METRICS_ROUTE_OTHER,
	METRICS_NROUTES
};

void metrics_request(enum metrics_route route, int status);
void metrics_batch_stored(bool duplicate, int reports, int64_t findings);
/* code: an error code of docs/api.md ("rate-limited", "too-large"...). */
void metrics_batch_refused(const char *code);
void metrics_enrolment(bool ok);
/* The time one POST /api/v1/batches took, headers to answer. */
void metrics_batch_latency_us(int64_t us);

/* The Prometheus text (format 0.0.4) of every counter, and of the store's
 * when st is not NULL; *out malloc'd. 0, or -1 when out of memory. */
int metrics_render(struct store *st, char **out, size_t *len);

/* Resident set size of this process in bytes (/proc/self/statm), or -1. */
int64_t metrics_rss_bytes(void);

#endif
