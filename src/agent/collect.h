/*
 * collect.h — what every collector sees, and the table of collectors.
 *
 * A collector reads the system's own files (through file.h, inside
 * ctx->rootfd) and writes facts into its section of ctx->facts, following
 * the contract in facts.schema (the one place that names every fact, its
 * type and meaning; tests check collectors against it). A fact it cannot
 * learn is left out and marked with collect_unavailable(), with a reason in
 * Vietnamese and English, so that a check that needs it reports "error"
 * (or "na") instead of a false pass or fail. Collectors never abort the
 * audit: bad input becomes an unavailable fact with its reason.
 *
 * Collectors run in table order; one may read the sections written by
 * collectors before it (e.g. av reads services.active).
 */
#ifndef CG_COLLECT_H
#define CG_COLLECT_H

#include <stdbool.h>
#include <jansson.h>

#include "lib/conf.h"

struct collect_ctx {
	int rootfd;		/* root of the audited system (file.h) */
	const char *root;	/* its path: "/" for the running system */
	bool live;		/* auditing the running system (no --root) */
	bool privileged;	/* effective uid 0 */
	long long now;		/* collection time, UTC seconds */
	json_t *params;		/* policy parameters after configuration */
	const struct conf *conf; /* agent configuration, may be NULL */
	json_t *facts;		/* the facts object being built */
	json_t *unavailable;	/* schema path -> {status, reason{vi,en}} */
	void *probe;		/* the Internet probe running (network.c) */
};

/* facts[name], created as an empty object when absent. */
json_t *collect_section(struct collect_ctx *ctx, const char *name);

/* Marks the fact at a schema path (dotted, list items without [], e.g.
 * "accounts.users.last_login_days" or a whole section "ssh") as not known.
 * status is "error" or "na". The first reason given for a path is kept. */
void collect_unavailable(struct collect_ctx *ctx, const char *path,
    const char *status, const char *reason_vi, const char *reason_en);

/* Marks path unavailable because file could not be read; err is an errno
 * value (sign ignored). EACCES without privilege gives "needs root" /
 * "cần quyền root"; EFBIG "file too large", ELOOP "symlink loop", ... */
void collect_file_error(struct collect_ctx *ctx, const char *path,
    const char *file, int err);

/* Marks path "na" when auditing a disk (--root): live facts only. */
void collect_not_live(struct collect_ctx *ctx, const char *path);

/* Marks path "error" because file is malformed at line (0: unknown). */
void collect_parse_error(struct collect_ctx *ctx, const char *path,
    const char *file, int line, const char *what_vi, const char *what_en);

/* true when unit is in services.enabled (collected earlier); *known is set
 * false when that list is not known (then the answer is false). */
bool collect_unit_enabled(struct collect_ctx *ctx, const char *unit,
    bool *known);

/* Policy parameter helpers (NULL / def when absent or mistyped). */
json_t *collect_param(struct collect_ctx *ctx, const char *name);
long long collect_param_int(struct collect_ctx *ctx, const char *name,
    long long def);

typedef void collector_fn(struct collect_ctx *ctx);

struct collector {
	const char *name;	/* the facts section(s) it writes */
	collector_fn *run;
};

/* The table, ended by {NULL, NULL}. */
extern const struct collector collectors[];

/* Starts the Internet probe in the background (live audits only); the
 * network collector takes its result, collect_network_probe_wait()
 * discards it when that collector does not run. */
void collect_network_probe_start(struct collect_ctx *ctx);
void collect_network_probe_wait(struct collect_ctx *ctx);

/* Runs every collector (or only those named in only, comma-separated). */
void collect_all(struct collect_ctx *ctx, const char *only);

/* The collectors (one file each, collect_<name>.c). */
collector_fn collect_system;	/* system, os */
collector_fn collect_network;	/* network */
collector_fn collect_sysctl;	/* sysctl */
collector_fn collect_packages;	/* packages (dpkg, rpm, apt) */
collector_fn collect_services;	/* services */
collector_fn collect_sockets;	/* sockets */
collector_fn collect_timelog;	/* timesync, logging */
collector_fn collect_desktop;	/* desktop */
collector_fn collect_accounts;	/* accounts */
collector_fn collect_auth;	/* auth (PAM, login.defs, sudoers) */
collector_fn collect_screenlock; /* screenlock */
collector_fn collect_ssh;	/* ssh */
collector_fn collect_firewall;	/* firewall */
collector_fn collect_av;	/* av */
collector_fn collect_usb;	/* usb */
collector_fn collect_wifi;	/* wifi */
collector_fn collect_mail;	/* mail */
collector_fn collect_software;	/* software */
collector_fn collect_documents;	/* documents (the last secrets scan) */

#endif
