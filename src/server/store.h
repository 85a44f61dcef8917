/*
 * store.h — everything the server keeps, behind one interface: units,
 * people, enrolment tokens, agents, hosts with their latest facts and the
 * history of changes, findings with first seen / last seen / resolved
 * times, scores per host, unit and ward, received batches and the event
 * log. All SQL lives behind it (store_sqlite.c now; PostgreSQL later
 * through the same functions).
 *
 * Times are UTC seconds. A handle may be shared by threads: writes are
 * serialised inside; reads run side by side, each on one of a few
 * read-only connections and in one snapshot of the store. Errors: a
 * negative STORE_E* code and a bilingual err "<vi> — <en>"; STORE_EFULL
 * when the disk (or the database's size limit) is full — nothing was
 * changed and the caller may retry later.
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
/* Copies what the write-ahead log holds into the database file, without
 * waiting for or holding up writers (canhgacd calls it every second or so
 * from a background thread, so that commits never do it). A log nobody
 * checkpoints is checkpointed by the commits themselves once it passes a
 * bound. */
int store_checkpoint(struct store *st, char *err, size_t errlen);

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

/* Console: sessions (store_sqlite_session.c). A session is known by the
 * SHA-256 (hex) of its cookie only; its row joins the user it belongs to.
 * The web console (web.c) decides idle and absolute expiry from the
 * times; store_session_get only reads. */
struct store_user {
	int64_t id;
	char login[256], name[256];
	char role[16];			/* "supervisor", "unit-it", ... */
	int64_t unit_id;		/* 0: none */
	char unit[256];
	char pwhash[256];		/* crypto_pwhash_str */
	int64_t disabled_at;		/* 0: active */
};
struct store_session {
	int64_t id;
	struct store_user user;		/* pwhash left empty */
	char csrf[64];
	int64_t created, last_used, expires;
	bool mfa_pending;
};
/* The user of login (ENOTFOUND when none), with the password hash. */
int store_user_by_login(struct store *st, const char *login,
    struct store_user *u, char *err, size_t errlen);
int store_session_create(struct store *st, const char *hash_hex,
    int64_t user_id, const char *csrf, bool mfa_pending, int64_t now,
    int64_t expires, const char *addr, char *err, size_t errlen);
/* ENOTFOUND when no session has that hash. */
int store_session_get(struct store *st, const char *hash_hex,
    struct store_session *s, char *err, size_t errlen);
int store_session_touch(struct store *st, const char *hash_hex, int64_t now,
    char *err, size_t errlen);
int store_session_delete(struct store *st, const char *hash_hex, char *err,
    size_t errlen);
/* Gives a session a new id (and CSRF token), e.g. after a second factor:
 * ENOTFOUND when old_hex is unknown. */
int store_session_rotate(struct store *st, const char *old_hex,
    const char *new_hex, const char *csrf, bool mfa_pending, int64_t now,
    char *err, size_t errlen);
/* Deletes the sessions idle since before idle_before or past expiry. */
int store_session_purge(struct store *st, int64_t now, int64_t idle_before,
    char *err, size_t errlen);
/* End of console: sessions. */

/* Console: people (store_sqlite_people.c). The second factor, the
 * lockout counters and the password's age of every user. auth.c holds
 * the policy; these functions only keep the state, atomically. */
struct store_person {
	int64_t id;
	char login[256], name[256];
	char role[16];
	int64_t unit_id;		/* 0: none */
	char unit[256];
	char pwhash[256];		/* store_user_get only; empty in lists */
	int64_t created, disabled_at;	/* disabled_at 0: active */
	int64_t password_changed;	/* 0: never since created */
	bool totp_enabled;		/* a confirmed secret */
	bool totp_pending;		/* a secret shown, not yet confirmed */
	int64_t totp_last_step;		/* last accepted 30 s step, 0: none */
	int failed_count;		/* failures in the current window */
	int64_t failed_since;		/* start of that window, 0: none */
	int64_t locked_until;		/* 0: not locked */
	int lockouts;			/* locks since the last success */
};
/* By login (ENOTFOUND when none), with the password hash. */
int store_user_get(struct store *st, const char *login,
    struct store_person *p, char *err, size_t errlen);
/* Every user, by login. */
int store_user_list(struct store *st,
    int (*cb)(const struct store_person *, void *), void *arg, char *err,
    size_t errlen);
/* These change one user (ENOTFOUND when id is unknown) and end the
 * user's console sessions, so that the change takes effect at once. */
int store_user_set_password(struct store *st, int64_t id, const char *pwhash,
    int64_t now, char *err, size_t errlen);
/* role as store_user_add; unit_id 0: none. */
int store_user_set_role(struct store *st, int64_t id, const char *role,
    int64_t unit_id, char *err, size_t errlen);
/* when 0 enables the user again. */
int store_user_set_disabled(struct store *st, int64_t id, int64_t when,
    char *err, size_t errlen);
/* The lockout state: read, changed by update (auth.c's policy), written
 * back, in one transaction, so that concurrent sign-ins count each
 * failure. out (may be NULL) gets the state written. */
struct store_lockout {
	int failed_count;
	int64_t failed_since, locked_until;
	int lockouts;
};
int store_user_lockout(struct store *st, int64_t id,
    void (*update)(struct store_lockout *, void *), void *arg,
    struct store_lockout *out, char *err, size_t errlen);
/* TOTP secrets, as base32 text (the store is secret: docs/admin.md).
 * pending: a new secret shown to the user, replaced by the next one;
 * enable moves the pending secret in place with the step of the code
 * that confirmed it (ENOTFOUND when none is pending); clear forgets
 * both (and ends the sessions). */
int store_user_totp_pending(struct store *st, int64_t id, const char *b32,
    char *err, size_t errlen);
int store_user_totp_secret(struct store *st, int64_t id, bool pending,
    char *b32, size_t size, char *err, size_t errlen);
int store_user_totp_enable(struct store *st, int64_t id, int64_t step,
    char *err, size_t errlen);
int store_user_totp_clear(struct store *st, int64_t id, char *err,
    size_t errlen);
/* Accepts a code's step only when it is later than the last accepted
 * one: STORE_OK, or STORE_EEXISTS for a code already used (a replay). */
int store_user_totp_accept(struct store *st, int64_t id, int64_t step,
    char *err, size_t errlen);
/* End of console: people. */

/* Console: audit log (store_sqlite_audit.c). Append-only and
 * hash-chained: every record's hash is SHA-256 over the previous
 * record's hash and a length-prefixed encoding of its own fields
 * (docs/admin.md); the first record's prev_hash is 64 zeros. Triggers
 * refuse UPDATE and DELETE. */
struct store_audit {
	int64_t id, time;
	const char *actor;		/* login, or "cli:<unix user>" */
	const char *actor_role;		/* role, "" when none */
	const char *addr;		/* client address, "" for the CLI */
	const char *action;		/* dotted word: "user.added"... */
	const char *object;		/* what changed: "user:lan" ... */
	const char *detail;		/* JSON object text */
	const char *prev_hash, *hash;	/* 64 hex */
};
#define STORE_AUDIT_FIELD_MAX 512	/* bytes of actor, addr, object */
#define STORE_AUDIT_DETAIL_MAX (16u << 10)
/* One transaction: reads the last hash, writes the new record. detail:
 * a JSON object text, or NULL for {}. id (may be NULL) gets its id. */
int store_audit_append(struct store *st, int64_t now, const char *actor,
    const char *actor_role, const char *addr, const char *action,
    const char *object, const char *detail, int64_t *id, char *err,
    size_t errlen);
struct store_audit_filter {
	const char *actor;		/* exact; NULL: all */
	const char *action;		/* exact, or a prefix ending in '.' */
	int64_t since;			/* time >= since; 0: all */
	int64_t before_id;		/* id < before_id (paging); 0: all */
	int limit;			/* 0: no limit */
};
/* Newest first. */
int store_audit_list(struct store *st, const struct store_audit_filter *f,
    int (*cb)(const struct store_audit *, void *), void *arg, char *err,
    size_t errlen);
enum store_audit_break {
	STORE_AUDIT_INTACT = 0,
	STORE_AUDIT_EDITED,		/* the record's hash does not match */
	STORE_AUDIT_UNLINKED,		/* its prev_hash is not the previous
					 * record's hash (deleted/inserted) */
	STORE_AUDIT_GAP,		/* ids not consecutive (deleted) */
	STORE_AUDIT_TRUNCATED,		/* the last records were deleted */
};
struct store_audit_check {
	enum store_audit_break why;
	int64_t broken_id;		/* the first broken record, 0: none */
	int64_t broken_time;		/* its time (0 when truncated) */
	int64_t count;			/* records walked */
	char head[65];			/* hash of the last record (zeros) */
};
/* Walks the whole chain in id order. STORE_OK with c filled, broken or
 * not; an error only when the store cannot be read. */
int store_audit_verify(struct store *st, struct store_audit_check *c,
    char *err, size_t errlen);
/* End of console: audit log. */

/* Console: reading (store_sqlite_console.c). The queries of the reading
 * pages (overview, unit scorecard, hosts, host detail). unit_id 0 means
 * every unit: the pages pass web_scope_unit() or a unit they checked with
 * web_can_see_unit(). Every filter is bound as a value; a name search is
 * a LIKE with % _ and \ escaped. */
struct store_unit_row {
	int64_t id;
	const char *name;
	int hosts, scored;		/* hosts; those with a report whose
					 * agent is not revoked */
	double score;			/* mean of their scores; -1: none */
	int open_critical, open_high;	/* open findings of its hosts */
	int silent;			/* hosts not seen since silent_before
					 * (but revoked ones) */
};
int store_console_units(struct store *st, int64_t unit_id,
    int64_t silent_before, int (*cb)(const struct store_unit_row *, void *),
    void *arg, char *err, size_t errlen);
/* The same rows with id and name only (the rest 0), by name: for a
 * filter's choice of units, without counting their hosts. */
int store_console_unit_names(struct store *st, int64_t unit_id,
    int (*cb)(const struct store_unit_row *, void *), void *arg, char *err,
    size_t errlen);

/* Directive points 1-8 over the latest report of each host of unit_id
 * (summary.points of the report, docs/api.md); p[0] unused. A point no
 * host reported has hosts 0 and score -1. */
struct store_point_row {
	int hosts;			/* hosts whose report has the point */
	int hosts_failing;		/* of them, with a failed check */
	int pass, fail, na, error;	/* checks, summed over the hosts */
	double score;			/* mean of the hosts' point scores */
};
int store_console_points(struct store *st, int64_t unit_id,
    struct store_point_row p[9], char *err, size_t errlen);

enum store_host_sort {
	STORE_SORT_NAME = 0, STORE_SORT_SCORE, STORE_SORT_SEEN,
	STORE_SORT_CRITICAL,
};
struct store_host_query {
	int64_t unit_id;		/* 0: all */
	const char *host_id;		/* exactly this host; NULL: all */
	const char *name;		/* part of the host name; NULL: all */
	const char *os;			/* os_name exactly; NULL: all */
	int score_min, score_max;	/* inclusive; -1 is "no report" */
	int64_t silent_before;		/* > 0: last seen before this, and
					 * the agent not revoked */
	enum store_host_sort sort;
	bool desc;
	int offset, limit;		/* limit 1..STORE_PAGE_MAX */
};
#define STORE_PAGE_MAX 200
struct store_host_row {
	struct store_host h;
	int64_t unit_id;
	int64_t report_at;		/* collected_at of the latest report */
	const char *os_version, *arch, *platform;	/* may be NULL */
};
/* The page of hosts q asks for, and in *total (may be NULL) how many
 * match in all. */
int store_console_hosts(struct store *st, const struct store_host_query *q,
    int (*cb)(const struct store_host_row *, void *), void *arg,
    int64_t *total, char *err, size_t errlen);
/* The os_name values of the hosts of unit_id (at most 100), for a filter. */
int store_console_oses(struct store *st, int64_t unit_id,
    int (*cb)(const char *, void *), void *arg, char *err, size_t errlen);

struct store_finding_query {
	int64_t unit_id;		/* 0: all */
	const char *host_id;		/* exactly this host; NULL: all */
	const char *severity;		/* exactly; NULL: all */
	bool open_only;			/* fail or error, not resolved */
	bool by_point;			/* host_id only: by point first */
	int limit;			/* 1..10000 */
};
/* Findings with their host and unit (unit_id given beside): of one host
 * (failing first, then worst first), or, without host_id, the open ones
 * (open_only must be set), worst severity first, then oldest first. */
int store_console_findings(struct store *st,
    const struct store_finding_query *q,
    int (*cb)(const struct store_finding *, int64_t unit_id, void *),
    void *arg, char *err, size_t errlen);
/* End of console: reading. */

/* Counters for /metrics. */
struct store_stats {
	int64_t units, hosts, agents, agents_revoked;
	int64_t findings_open, findings_open_critical, findings_open_high;
	int64_t batches, reports, events;
	int64_t db_bytes;
};
int store_stats(struct store *st, struct store_stats *s, char *err,
    size_t errlen);

/* Console: findings workflow (store_sqlite_workflow.c). What people do
 * about a finding — assign it, accept its risk until a date, claim it
 * fixed, acknowledge it — kept per host and check beside the findings
 * the agents report, and read together with them. A fix claim is never
 * written back by ingestion: it is confirmed when the finding's resolved
 * time is after the claim, and void when the host reported after the
 * claim and the finding is still open (store_workflow_state). */
struct store_workflow {
	int64_t assignee_id;		/* 0: nobody */
	const char *assignee_login, *assignee_name, *assigned_by;
	int64_t assigned_at;
	const char *accept_reason, *accepted_by;
	int64_t accepted_at, accepted_until;	/* until 0: not accepted */
	const char *fixed_by;
	int64_t fixed_at;		/* 0: no fix claimed */
	const char *ack_by;
	int64_t ack_at;
};
struct store_wf_finding {
	const char *host_id, *hostname, *unit, *os_name;
	int64_t unit_id;
	const char *check, *status, *severity, *evidence;
	const char *title_vi, *title_en;
	int point;
	int64_t first_seen, last_seen, resolved;	/* resolved 0: open */
	int64_t report_at;		/* the host's latest report */
	struct store_workflow wf;
};
struct store_wf_filter {
	int64_t unit_id;		/* 0: every unit */
	const char *host;		/* host id; NULL: all */
	const char *check;		/* NULL: all */
	int point;			/* 1..8; 0: all */
	const char *severity;		/* NULL: all */
	bool include_resolved;		/* also findings no longer failing */
	bool fail_only;			/* status fail (not error) */
	bool any_order;			/* by the hosts' keys only: cheap,
					 * for a few examples */
	int limit, offset;		/* limit 0: none */
};
/* Findings with their workflow, ordered by unit, host name, severity
 * (worst first) and check (unless any_order). */
int store_workflow_findings(struct store *st, const struct store_wf_filter *f,
    int (*cb)(const struct store_wf_finding *, void *), void *arg,
    char *err, size_t errlen);

/* The state a finding shows, computed from the times (now: for the
 * expiry of an accepted risk). */
enum store_wf_state {
	WF_OPEN,			/* failing, nothing claimed */
	WF_ACCEPTED,			/* failing, risk accepted until a date */
	WF_FIX_CLAIMED,			/* failing, fixed per a person; no
					 * report since the claim */
	WF_CLAIM_CLEARED,		/* failing although claimed fixed: a
					 * report after the claim still failed */
	WF_FIXED,			/* resolved after a fix claim */
	WF_RESOLVED,			/* resolved without a claim */
};
enum store_wf_state store_workflow_state(int64_t resolved, int64_t report_at,
    const struct store_workflow *wf, int64_t now);
const char *store_workflow_state_name(enum store_wf_state s);

/* Checks that fail on at least one host, with how many hosts fail each,
 * worst severity first then most hosts. f->host, f->check,
 * include_resolved are ignored. */
struct store_check_count {
	const char *check, *severity, *title_vi, *title_en;
	int point;
	int64_t hosts;
};
int store_workflow_checks(struct store *st, const struct store_wf_filter *f,
    int (*cb)(const struct store_check_count *, void *), void *arg,
    char *err, size_t errlen);

/* One check of the catalogue; ENOTFOUND when unknown. */
struct store_check_info {
	const char *id, *severity, *title_vi, *title_en;
	const char *remedy_vi, *remedy_en, *basis;
	int point;
};
int store_workflow_check(struct store *st, const char *check,
    int (*cb)(const struct store_check_info *, void *), void *arg,
    char *err, size_t errlen);

/* The unit of a host (ENOTFOUND when unknown). */
int store_workflow_host_unit(struct store *st, const char *host_id,
    int64_t *unit_id, char *err, size_t errlen);

/* One action of a person on the finding of check on host_id, in one
 * transaction with its line in the finding's history. ENOTFOUND when the
 * host has no such finding or the assignee is not an active user. */
struct store_wf_action {
	const char *host_id, *check;
	const char *action;		/* "assign" "accept" "fixed" "ack" */
	const char *actor;		/* the login */
	int64_t assignee_id;		/* assign */
	const char *reason;		/* accept: 10..1000 characters */
	int64_t until;			/* accept */
};
int store_workflow_act(struct store *st, const struct store_wf_action *a,
    int64_t now, char *err, size_t errlen);

/* The history of a finding, newest first. */
struct store_wf_event {
	int64_t time;
	const char *actor, *action, *reason;
	const char *assignee_login, *assignee_name;
	int64_t until;
};
int store_workflow_history(struct store *st, const char *host_id,
    const char *check, int limit,
    int (*cb)(const struct store_wf_event *, void *), void *arg, char *err,
    size_t errlen);

/* Active people a finding of unit_id may be assigned to: the unit's IT
 * officers and head, and the supervisors. */
struct store_assignee {
	int64_t id;
	const char *login, *name, *role;
};
int store_workflow_assignees(struct store *st, int64_t unit_id,
    int (*cb)(const struct store_assignee *, void *), void *arg, char *err,
    size_t errlen);
/* End of console: findings workflow. */

/* Portal monitor: the registry of sites (store_sqlite_site.c,
 * docs/sites.md). Each unit watches URLs (home page, key pages, pages of
 * the sitemap), each checked every interval seconds by canhgacd's site
 * job or at once by `canhgac site check`. The alerts of a round become
 * findings (checks "site-<kind>", point 3) of one host row per origin
 * ("site:" + origin, os_id "web-portal", no agent) in the unit that owns
 * the site, merged as a report's findings are: a kind not raised again
 * is resolved. Every origin belongs to one unit. */
#define STORE_SITE_INTERVAL_DEFAULT 900
#define STORE_SITE_INTERVAL_MIN 60
#define STORE_SITE_INTERVAL_MAX 86400
#define STORE_SITE_URL_MAX 2048
#define STORE_SITE_HOST_PREFIX "site:"
#define STORE_SITE_OS_ID "web-portal"
struct store_site {
	int64_t id, unit_id;
	const char *unit, *url, *origin, *added_by;
	const char *last_error;		/* NULL: the last check fetched it */
	int interval;			/* seconds */
	bool sitemap;			/* also the pages of its sitemap */
	int64_t added_at, last_checked, next_due;	/* 0: never */
};
/* "scheme://host:port" of an absolute http(s) URL (lower case, the
 * default port written out), malloc'd; NULL when it is not one. */
char *store_site_origin(const char *url);
/* Adds url to unit_id's sites, due at once (*added true). The same URL
 * again in the same unit takes the new interval and sitemap flag and is
 * due at once (*added false). STORE_EEXISTS when the URL or its origin
 * belongs to another unit, ENOTFOUND when there is no such unit, ERR for
 * a URL that is not http(s) or an interval out of bounds. */
int store_site_add(struct store *st, int64_t unit_id, const char *url,
    int interval, bool sitemap, const char *added_by, int64_t now,
    bool *added, char *err, size_t errlen);
/* ENOTFOUND when url is not registered; unit_id (may be NULL) gets the
 * unit it belonged to. When it was the last site of its origin, the open
 * findings of the origin's host row are resolved at now (status na: no
 * longer checked), in the same transaction; *resolved (may be NULL) says
 * how many. The findings' history stays. */
int store_site_remove(struct store *st, const char *url, int64_t now,
    int64_t *unit_id, int *resolved, char *err, size_t errlen);
struct store_site_filter {
	int64_t unit_id;		/* 0: every unit */
	int64_t due_by;			/* > 0: next_due <= due_by only */
	const char *origin;		/* NULL: all */
	const char *url;		/* NULL: all */
};
/* By unit name, origin and URL. */
int store_sites(struct store *st, const struct store_site_filter *f,
    int (*cb)(const struct store_site *, void *), void *arg, char *err,
    size_t errlen);

/* What one round of the monitor found, per origin: every site-<kind>
 * check, failing (with the alerts as evidence) or passing. */
struct store_site_host {
	const char *origin;		/* store_site_origin() */
	int64_t unit_id;		/* the unit owning its sites */
	const struct ingest_finding *findings;
	size_t nfindings;
};
struct store_site_checked {
	const char *url;		/* a registered site (others ignored) */
	const char *error;		/* NULL: fetched */
};
struct store_site_round {
	int64_t now;
	const struct store_site_host *hosts;
	size_t nhosts;
	const struct store_site_checked *checked;
	size_t nchecked;
	/* each finding opened by the round (called inside the write
	 * transaction: for logging only); may be NULL */
	void (*opened)(const char *host_id, const struct ingest_finding *f,
	    void *arg);
	void *arg;
};
struct store_site_round_result {
	int opened, resolved;		/* findings that changed state */
	int events;			/* "site.alert" events written */
};
/* One write transaction: the host row of each origin (made, or moved to
 * the unit), its findings merged, one "site.alert" event per finding
 * opened, and each checked site's last_checked, next_due (now +
 * interval) and last_error. */
int store_site_round(struct store *st, const struct store_site_round *rd,
    struct store_site_round_result *r, char *err, size_t errlen);
/* End of portal monitor. */

#endif
