/*
 * store.h — everything the server keeps, behind one interface: units,
 * people, enrolment tokens, agents, hosts with their latest facts and the
 * history of changes, findings with first seen / last seen / resolved
 * times, scores per host, unit and ward, received batches and the event
 * log. All SQL lives behind it (store_sqlite.c now; PostgreSQL later
 * through the same functions).
 *
 * Times are UTC seconds. A handle may be shared by threads: calls are
 * serialised inside. Errors: a negative STORE_E* code and a bilingual err
 * "<vi> — <en>"; STORE_EFULL when the disk (or the database's size limit)
 * is full — nothing was changed and the caller may retry later.
 */
#ifndef CG_STORE_H
#define CG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/ingest.h"

enum {
	STORE_OK = 0,
	STORE_ERR = -1,		/* anything else: err says what */
	STORE_ENOTFOUND = -2,
	STORE_EFULL = -3,	/* disk full: retry later */
	STORE_EBUSY = -4,	/* locked by another process too long */
	STORE_EEXPIRED = -5,	/* token expired */
	STORE_EUSEDUP = -6,	/* token has no uses left */
	STORE_EREVOKED = -7,	/* token or agent revoked */
	STORE_EEXISTS = -8,
};

#define STORE_READONLY 0x1	/* canhgac hosts/findings while canhgacd runs */
#define STORE_CREATE 0x2	/* create the file (canhgac init) */

struct store;

/* Opens (and, unless read-only, migrates to the newest schema version). */
int store_open(const char *path, unsigned flags, struct store **out,
    char *err, size_t errlen);
void store_close(struct store *st);
int store_schema_version(struct store *st);
/* Upper bound on the database size in bytes (0: none); for tests and for
 * operators who want the store to stop before the disk does. */
int store_set_max_size(struct store *st, int64_t bytes);

/* Units and people. */
int store_unit_ensure(struct store *st, const char *name, int64_t *id,
    char *err, size_t errlen);
int store_unit_find(struct store *st, const char *name, int64_t *id,
    char *err, size_t errlen);
/* role: "supervisor", "unit-it", "unit-head", "viewer"; unit_id 0: none.
 * pwhash is libsodium's crypto_pwhash_str (Argon2id). */
int store_user_add(struct store *st, const char *login, const char *name,
    const char *role, int64_t unit_id, const char *pwhash, int64_t now,
    char *err, size_t errlen);
int store_user_count(struct store *st, int64_t *n, char *err, size_t errlen);

/* Enrolment tokens: only the SHA-256 (hex) of a token is kept. */
struct store_token {
	int64_t id;
	int64_t unit_id;
	char unit[256];
	int64_t created, expires;	/* expires 0: never */
	int uses_max, uses;
	bool revoked;
	char note[256];
};
int store_token_add(struct store *st, const char *hash_hex, int64_t unit_id,
    int64_t now, int64_t expires, int uses_max, const char *note,
    int64_t *id, char *err, size_t errlen);
int store_token_revoke(struct store *st, int64_t id, char *err, size_t errlen);
int store_token_list(struct store *st,
    int (*cb)(const struct store_token *, void *), void *arg, char *err,
    size_t errlen);

/* Agents. */
struct store_agent {
	char id[40];			/* 32 hex */
	char host_id[81];
	char hostname[256];
	int64_t unit_id;
	char unit[256];
	char cert_serial[65];
	int64_t enrolled, last_seen, revoked_at;	/* 0: never */
	bool revoked;
	char version[32];
};
/* One transaction: checks and consumes one use of the token (ENOTFOUND,
 * EEXPIRED, EUSEDUP, EREVOKED), creates the agent in the token's unit and
 * its host (or takes over the host when the same host_id enrols again: the
 * old agent is revoked), logs an "agent.enrolled" event. a->id,
 * host_id, hostname, cert_serial, version are read; unit_id, unit and
 * enrolled are filled. */
int store_enrol(struct store *st, const char *token_hash_hex, int64_t now,
    struct store_agent *a, char *err, size_t errlen);
int store_agent_get(struct store *st, const char *id, struct store_agent *a,
    char *err, size_t errlen);
int store_agent_revoke(struct store *st, const char *id, int64_t now,
    const char *by, char *err, size_t errlen);
int store_agent_list(struct store *st,
    int (*cb)(const struct store_agent *, void *), void *arg, char *err,
    size_t errlen);

/* Ingestion. One transaction for the whole batch; committed before it
 * returns 0. A batch id already stored for this agent is a duplicate:
 * nothing changes and r->duplicate is set. A report whose report_id is
 * already stored for the host is skipped (counted in r->skipped). The
 * caller has checked that every report's host_id is the agent's. */
struct store_batch_result {
	bool duplicate;
	int reports, skipped;
	int opened, resolved;		/* findings that changed state */
	int fact_changes;		/* fact sections that changed */
};
int store_batch(struct store *st, const struct store_agent *a,
    const struct ingest_batch *b, int64_t now, struct store_batch_result *r,
    char *err, size_t errlen);

/* The event log: kind is a dotted word ("batch.refused",
 * "agent.revoked"...); detail is JSON text or NULL. */
int store_event(struct store *st, int64_t now, const char *kind,
    const char *agent_id, const char *host_id, const char *detail,
    char *err, size_t errlen);
struct store_event_row {
	int64_t id, time;
	const char *kind, *agent_id, *host_id, *detail;	/* may be NULL */
};
int store_events(struct store *st, int64_t since_id, int limit,
    int (*cb)(const struct store_event_row *, void *), void *arg, char *err,
    size_t errlen);

/* Reading. Rows passed to callbacks live until the callback returns. */
struct store_host {
	const char *id, *hostname, *unit;
	const char *os_name, *kernel, *agent_id, *agent_version;
	int level, score;		/* score -1: no report yet */
	int pass, fail, na, error;	/* of the latest report */
	int open_critical, open_high;
	int64_t first_seen, last_seen;
	bool revoked;
};
struct store_host_filter {
	const char *unit;		/* NULL: all */
	const char *host;		/* id or hostname, NULL: all */
};
int store_hosts(struct store *st, const struct store_host_filter *f,
    int (*cb)(const struct store_host *, void *), void *arg, char *err,
    size_t errlen);

struct store_finding {
	const char *host_id, *hostname, *unit;
	const char *check, *status, *severity;
	int point;
	const char *evidence, *title_vi, *title_en, *remedy_vi, *remedy_en;
	int64_t first_seen, last_seen, resolved;	/* resolved 0: open */
};
struct store_finding_filter {
	const char *unit;		/* NULL: all */
	const char *host;		/* id or hostname */
	const char *check;
	const char *status;		/* "pass" "fail" "na" "error"; NULL all */
	bool include_resolved;		/* findings no longer failing */
	int limit;			/* 0: no limit */
};
int store_findings(struct store *st, const struct store_finding_filter *f,
    int (*cb)(const struct store_finding *, void *), void *arg, char *err,
    size_t errlen);

/* The latest facts of a host as one JSON text (malloc'd) and the changes
 * of its fact sections over time. */
int store_host_facts(struct store *st, const char *host_id, char **json,
    char *err, size_t errlen);
struct store_fact_change {
	int64_t time;
	const char *section;		/* top-level member of facts */
	const char *value;		/* JSON text of the new value */
};
int store_fact_history(struct store *st, const char *host_id, int limit,
    int (*cb)(const struct store_fact_change *, void *), void *arg,
    char *err, size_t errlen);

/* Scores: host scores are kept per report; unit and ward scores (mean of
 * their hosts' latest scores) per day by store_scores_snapshot. */
int store_scores_snapshot(struct store *st, int64_t now, char *err,
    size_t errlen);
struct store_score {
	const char *scope;		/* "host", "unit", "ward" */
	const char *name;		/* host id, unit name, "" for the ward */
	int64_t time;			/* report time, or day (00:00 UTC) */
	double score;
	int hosts;
};
int store_scores(struct store *st, const char *scope, const char *name,
    int64_t since, int (*cb)(const struct store_score *, void *), void *arg,
    char *err, size_t errlen);

/* Counters for /metrics. */
struct store_stats {
	int64_t units, hosts, agents, agents_revoked;
	int64_t findings_open, findings_open_critical, findings_open_high;
	int64_t batches, reports, events;
	int64_t db_bytes;
};
int store_stats(struct store *st, struct store_stats *s, char *err,
    size_t errlen);

#endif
