/*
 * metrics.c — canhgacd's counters (metrics.h) as relaxed C11 atomics and
 * their rendering in the Prometheus text exposition format 0.0.4: a HELP
 * and a TYPE line per family, label values from fixed tables only (never
 * from a request), the latency histogram with Prometheus' default buckets.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/file.h"
#include "server/metrics.h"
#include "server/store.h"

static const char *const metrics_route_names[METRICS_NROUTES] = {
	"ca", "enroll", "batches", "agent", "metrics", "other",
};

/* Status classes 1xx..5xx at indices 0..4. */
static _Atomic uint64_t metrics_requests[METRICS_NROUTES][5];

static _Atomic uint64_t metrics_batches_stored, metrics_batches_duplicate;
static _Atomic uint64_t metrics_reports, metrics_findings;
static _Atomic uint64_t metrics_enrol_ok, metrics_enrol_refused;

/* The refusal codes of docs/api.md a batch upload can get; the last one
 * counts anything else. */
static const char *const metrics_refusal_codes[] = {
	"bad-json", "bad-request", "no-client-cert", "bad-client-cert",
	"agent-revoked", "agent-unknown", "host-mismatch", "method",
	"length-required", "too-large", "encoding", "rate-limited",
	"store-full", "store-busy", "internal", "other",
};
#define METRICS_NREFUSAL \
	(sizeof(metrics_refusal_codes) / sizeof(metrics_refusal_codes[0]))
static _Atomic uint64_t metrics_refused[METRICS_NREFUSAL];

/* Prometheus' default buckets, in microseconds. */
static const int64_t metrics_buckets_us[] = {
	5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000,
	2500000, 5000000, 10000000,
};
static const char *const metrics_bucket_le[] = {
	"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5",
	"5", "10",
};
#define METRICS_NBUCKETS \
	(sizeof(metrics_buckets_us) / sizeof(metrics_buckets_us[0]))
static _Atomic uint64_t metrics_latency[METRICS_NBUCKETS + 1];
static _Atomic uint64_t metrics_latency_sum_us, metrics_latency_count;

#define INC(v, n) atomic_fetch_add_explicit(&(v), (n), memory_order_relaxed)
#define GET(v) atomic_load_explicit(&(v), memory_order_relaxed)

void
metrics_request(enum metrics_route route, int status)
{
	int cls = status / 100;

	if ((unsigned)route >= METRICS_NROUTES)
		route = METRICS_ROUTE_OTHER;
	if (cls < 1 || cls > 5)
		cls = 5;
	INC(metrics_requests[route][cls - 1], 1);
}

void
metrics_batch_stored(bool duplicate, int reports, int64_t findings)
{
	if (duplicate) {
		INC(metrics_batches_duplicate, 1);
		return;
	}
	INC(metrics_batches_stored, 1);
	if (reports > 0)
		INC(metrics_reports, (uint64_t)reports);
	if (findings > 0)
		INC(metrics_findings, (uint64_t)findings);
}

void
metrics_batch_refused(const char *code)
{
	size_t i;

	for (i = 0; i + 1 < METRICS_NREFUSAL; i++)
		if (code != NULL && strcmp(code, metrics_refusal_codes[i]) == 0)
			break;
	INC(metrics_refused[i], 1);
}

void
metrics_enrolment(bool ok)
{
	if (ok)
		INC(metrics_enrol_ok, 1);
	else
		INC(metrics_enrol_refused, 1);
}

void
metrics_batch_latency_us(int64_t us)
{
	size_t i;

	if (us < 0)
		us = 0;
	for (i = 0; i < METRICS_NBUCKETS; i++)
		if (us <= metrics_buckets_us[i])
			break;
	INC(metrics_latency[i], 1);
	INC(metrics_latency_sum_us, (uint64_t)us);
	INC(metrics_latency_count, 1);
}

int64_t
metrics_rss_bytes(void)
{
	char *buf;
	size_t len;
	long long size, resident;
	long page = sysconf(_SC_PAGESIZE);
	int64_t rss = -1;

	if (file_read_path("/proc/self/statm", 4096, &buf, &len) != 0)
		return -1;
	if (sscanf(buf, "%lld %lld", &size, &resident) == 2 && page > 0 &&
	    resident >= 0)
		rss = (int64_t)resident * page;
	free(buf);
	return rss;
}

static void
metrics_family(FILE *m, const char *name, const char *type, const char *help)
{
	fprintf(m, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
metrics_render_store(FILE *m, struct store *st)
{
	static const struct {
		const char *name, *help;
		size_t off;
	} gauges[] = {
#define G(n, h, f) { n, h, offsetof(struct store_stats, f) }
		G("canhgac_units", "Units (đơn vị) in the store.", units),
		G("canhgac_hosts", "Hosts in the store.", hosts),
		G("canhgac_agents", "Enrolled agents, revoked included.",
		    agents),
		G("canhgac_agents_revoked", "Revoked agents.", agents_revoked),
		G("canhgac_findings_open", "Open (failing) findings.",
		    findings_open),
		G("canhgac_findings_open_critical",
		    "Open findings of critical severity.",
		    findings_open_critical),
		G("canhgac_findings_open_high",
		    "Open findings of high severity.", findings_open_high),
		G("canhgac_store_batches", "Batches kept in the store.",
		    batches),
		G("canhgac_store_reports", "Reports kept in the store.",
		    reports),
		G("canhgac_store_events", "Events in the event log.", events),
		G("canhgac_store_bytes", "Size of the store in bytes.",
		    db_bytes),
#undef G
	};
	struct store_stats s;
	char err[512];
	size_t i;
	int ok;

	memset(&s, 0, sizeof(s));
	ok = store_stats(st, &s, err, sizeof(err)) == STORE_OK;
	metrics_family(m, "canhgac_store_up", "gauge",
	    "1 when the store answered this scrape.");
	fprintf(m, "canhgac_store_up %d\n", ok);
	if (!ok)
		return;
	for (i = 0; i < sizeof(gauges) / sizeof(gauges[0]); i++) {
		metrics_family(m, gauges[i].name, "gauge", gauges[i].help);
		fprintf(m, "%s %lld\n", gauges[i].name, (long long)
		    *(const int64_t *)((const char *)&s + gauges[i].off));
	}
}

int
metrics_render(struct store *st, char **out, size_t *len)
{
	uint64_t cum = 0;
	int64_t rss;
	FILE *m;
	size_t r, c;

	*out = NULL;
	*len = 0;
	if ((m = open_memstream(out, len)) == NULL)
		return -1;
	metrics_family(m, "canhgac_http_requests_total", "counter",
	    "HTTP requests answered, by route and status class.");
	for (r = 0; r < METRICS_NROUTES; r++)
		for (c = 0; c < 5; c++)
			fprintf(m, "canhgac_http_requests_total{route=\"%s\","
			    "code=\"%zuxx\"} %llu\n", metrics_route_names[r],
			    c + 1, (unsigned long long)
			    GET(metrics_requests[r][c]));
	metrics_family(m, "canhgac_batches_total", "counter",
	    "Batches acknowledged: stored, or duplicate of one stored.");
	fprintf(m, "canhgac_batches_total{result=\"stored\"} %llu\n",
	    (unsigned long long)GET(metrics_batches_stored));
	fprintf(m, "canhgac_batches_total{result=\"duplicate\"} %llu\n",
	    (unsigned long long)GET(metrics_batches_duplicate));
	metrics_family(m, "canhgac_batches_refused_total", "counter",
	    "Batches refused, by error code.");
	for (r = 0; r < METRICS_NREFUSAL; r++)
		fprintf(m, "canhgac_batches_refused_total{code=\"%s\"} %llu\n",
		    metrics_refusal_codes[r],
		    (unsigned long long)GET(metrics_refused[r]));
	metrics_family(m, "canhgac_reports_ingested_total", "counter",
	    "Reports received in stored batches.");
	fprintf(m, "canhgac_reports_ingested_total %llu\n",
	    (unsigned long long)GET(metrics_reports));
	metrics_family(m, "canhgac_findings_ingested_total", "counter",
	    "Findings received in stored batches.");
	fprintf(m, "canhgac_findings_ingested_total %llu\n",
	    (unsigned long long)GET(metrics_findings));
	metrics_family(m, "canhgac_enrolments_total", "counter",
	    "Enrolment requests, by result.");
	fprintf(m, "canhgac_enrolments_total{result=\"ok\"} %llu\n",
	    (unsigned long long)GET(metrics_enrol_ok));
	fprintf(m, "canhgac_enrolments_total{result=\"refused\"} %llu\n",
	    (unsigned long long)GET(metrics_enrol_refused));
	metrics_family(m, "canhgac_batch_duration_seconds", "histogram",
	    "Time to answer POST /api/v1/batches, from its headers.");
	for (r = 0; r < METRICS_NBUCKETS; r++) {
		cum += GET(metrics_latency[r]);
		fprintf(m, "canhgac_batch_duration_seconds_bucket{le=\"%s\"} "
		    "%llu\n", metrics_bucket_le[r], (unsigned long long)cum);
	}
	cum += GET(metrics_latency[METRICS_NBUCKETS]);
	fprintf(m, "canhgac_batch_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
	    (unsigned long long)cum);
	{
		uint64_t sum = GET(metrics_latency_sum_us);

		fprintf(m, "canhgac_batch_duration_seconds_sum %llu.%06llu\n",
		    (unsigned long long)(sum / 1000000),
		    (unsigned long long)(sum % 1000000));
	}
	fprintf(m, "canhgac_batch_duration_seconds_count %llu\n",
	    (unsigned long long)GET(metrics_latency_count));
	if (st != NULL)
		metrics_render_store(m, st);
	if ((rss = metrics_rss_bytes()) >= 0) {
		metrics_family(m, "process_resident_memory_bytes", "gauge",
		    "Resident memory size in bytes.");
		fprintf(m, "process_resident_memory_bytes %lld\n",
		    (long long)rss);
	}
	if (fclose(m) != 0) {
		free(*out);
		*out = NULL;
		*len = 0;
		return -1;
	}
	return 0;
}
