/*
 * ingest.h — the parser and validator of an agent's upload (a batch of
 * audit reports, docs/api.md): bounded, strict about what the server keeps,
 * tolerant of members it does not know (the report contract only grows).
 *
 * The agent is not trusted: every size is bounded, every string must be
 * valid UTF-8; ids and names without control characters (evidence, titles
 * and remedies quote the host and may hold any character but NUL),
 * ids must match their syntax, numbers their range. An error names the
 * JSON path of the first bad member, e.g. "reports[2].findings[17].status".
 * The strings of the parsed batch point into b->root and live as long as it.
 */
#ifndef CG_INGEST_H
#define CG_INGEST_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define INGEST_BATCH_ID_MAX 64		/* [A-Za-z0-9-]{8,64} */
#define INGEST_SCHEMA 1			/* batch schema understood */

struct ingest_limits {
	size_t max_bytes;		/* decompressed JSON; default 32 MiB */
	size_t max_reports;		/* per batch; default 64 */
	size_t max_findings;		/* per report; default 4096 */
	size_t max_string;		/* any one string, bytes; default 64 KiB */
	size_t max_depth;		/* JSON nesting; default 32 */
};
#define INGEST_LIMITS_DEFAULT { 32u << 20, 64, 4096, 64u << 10, 32 }

enum ingest_status { INGEST_PASS, INGEST_FAIL, INGEST_NA, INGEST_ERROR };

struct ingest_finding {
	const char *check;		/* [a-z0-9][a-z0-9-]{0,63} */
	enum ingest_status status;
	const char *severity;		/* info low medium high critical */
	int point;			/* directive point 0-8 */
	const char *evidence;		/* may be NULL */
	const char *title_vi, *title_en;	/* may be NULL */
	const char *remedy_vi, *remedy_en;	/* may be NULL */
	const char *basis;		/* JSON array text of legal ids, or NULL */
};

struct ingest_report {
	const char *report_id;		/* agent's id, [A-Za-z0-9-]{8,64} */
	int64_t collected_at;		/* UTC seconds (RFC 3339 in the JSON) */
	const char *host_id;		/* [A-Za-z0-9-]{1,80} */
	const char *hostname;
	const char *os_id, *os_name, *os_version;	/* may be NULL */
	const char *kernel, *arch, *platform;		/* may be NULL */
	const char *agent_version;
	int level;			/* 1-5 */
	int score;			/* 0-100 */
	int pass, fail, na, error;	/* summary counts */
	json_t *summary;		/* borrowed */
	json_t *facts;			/* borrowed; object, may be NULL */
	json_t *unavailable;		/* borrowed; object, may be NULL */
	size_t nfindings;
	struct ingest_finding *findings;
};

struct ingest_batch {
	const char *batch_id;
	size_t nreports;
	struct ingest_report *reports;
	json_t *root;			/* owns everything above */
};

/* Parses and validates len bytes of JSON (already decompressed). 0, or -1
 * with err "<path>: <vi> — <en>". b is zeroed on failure. */
int ingest_parse(const char *buf, size_t len, const struct ingest_limits *lim,
    struct ingest_batch *b, char *err, size_t errlen);
void ingest_batch_free(struct ingest_batch *b);

/* Inflates a gzip or zlib body into at most max bytes (bomb-safe). 0 with
 * *out malloc'd (NUL-terminated) and *outlen, -1 with err ("too large" sets
 * *too_large to 1). */
int ingest_inflate(const void *in, size_t inlen, size_t max, char **out,
    size_t *outlen, int *too_large, char *err, size_t errlen);

const char *ingest_status_name(enum ingest_status s);

#endif
