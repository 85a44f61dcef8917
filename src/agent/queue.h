/*
 * queue.h — the agent's durable local queue (SQLite, WAL, synchronous=FULL)
 * of audit reports waiting for the server.
 *
 * A report is committed to the queue before the agent says it has it; a
 * batch is formed once (its id and members written in the queue) so that
 * a retry after a crash or a kill sends the very same batch id, and its
 * reports are deleted only after the server acknowledged that id.
 *
 * The queue is bounded (bytes of stored, compressed reports). When a new
 * report does not fit, the drop policy (docs/agent-queue.md) applies, in
 * order: (1) drop the oldest reports whose findings did not change from
 * the report before them (a fact snapshot only); (2) strip the facts from
 * the oldest reports that carry a change in findings, keeping the
 * findings; (3) if it still does not fit, a new report without a change in
 * findings is refused (QUEUE_EFULL); a report with a change in findings is
 * always kept. Each drop is counted (queue_stats) and sent to the server
 * with the next batch.
 */
#ifndef CG_QUEUE_H
#define CG_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QUEUE_EFULL -3

struct queue;

struct queue_limits {
	int64_t max_bytes;		/* stored size bound; default 64 MiB */
	size_t batch_reports;		/* reports per batch; default 16 */
	size_t batch_bytes;		/* uncompressed JSON per batch; 8 MiB */
};
#define QUEUE_LIMITS_DEFAULT { 64ll << 20, 16, 8u << 20 }

int queue_open(const char *path, const struct queue_limits *lim,
    struct queue **q, char *err, size_t errlen);
void queue_close(struct queue *q);

/* Adds a report (JSON text of the audit document, which must already carry
 * its "report_id"). changed: its findings differ from the previous
 * report's (the caller compares digests, see queue_last_digest). */
int queue_put(struct queue *q, const char *report_id, const char *json,
    size_t len, const char *findings_digest, int64_t now, char *err,
    size_t errlen);
/* The findings digest of the last report put, or "" (digest_len >= 65). */
int queue_last_digest(struct queue *q, char *digest, size_t digest_len,
    char *err, size_t errlen);

/* The batch to send: the one formed earlier and not yet acknowledged, or a
 * new one of the oldest reports. 0 with *b filled, 1 when the queue is
 * empty, -1 on error. body is the batch JSON (docs/api.md), malloc'd. */
struct queue_batch {
	char id[37];			/* UUID */
	size_t nreports;
	char *body;
	size_t len;
	int64_t formed;
	int attempts;			/* sends before this one */
};
int queue_next_batch(struct queue *q, const char *agent_version,
    struct queue_batch *b, char *err, size_t errlen);
void queue_batch_free(struct queue_batch *b);
/* Records a failed attempt (for back-off and stats). */
int queue_attempt(struct queue *q, const char *batch_id, char *err,
    size_t errlen);
/* Deletes the reports of an acknowledged batch. */
int queue_ack(struct queue *q, const char *batch_id, char *err,
    size_t errlen);

/* A random UUID, version 4 (RFC 9562): the id of a report or a batch. */
void queue_uuid(char out[37]);

struct queue_stats {
	int64_t reports, bytes;
	int64_t dropped_snapshots, stripped, refused;	/* since created */
	int64_t oldest;			/* time of the oldest report, 0 none */
};
int queue_stats(struct queue *q, struct queue_stats *s, char *err,
    size_t errlen);

#endif
