/*
 * audit.h — one audit of one computer: load the configuration and the
 * policy, run the collectors, evaluate every check, and build the report
 * document (the versioned JSON contract of docs/report-json.md) that the
 * text, HTML and JSON renderers and, later, the server read.
 */
#ifndef CG_AUDIT_H
#define CG_AUDIT_H

#include <stdbool.h>
#include <jansson.h>

#include "lib/conf.h"
#include "agent/policy.h"

#define AGENT_VERSION "0.1.0"
#define REPORT_SCHEMA 1

struct audit_opts {
	const char *root;	/* NULL: the running system */
	const char *policy;	/* file or directory; NULL: configured/embedded */
	const char *config;	/* NULL: /etc/canhgac/agent.conf if present */
	const char *only;	/* comma-separated collectors, NULL: all */
};

/* What the configuration file and the command line decided. */
struct audit_setup {
	struct conf *conf;	/* may be NULL (no file) */
	struct policy *policy;
	int level;		/* security level 1-5 */
	const char *lang;	/* "vi" or "en" (from conf), may be NULL */
	const char *unit;	/* unit name from conf, may be NULL */
	json_t *disabled;	/* check id -> "file:line" */
};

/* Loads configuration and policy; -1 with a bilingual err on failure. */
int audit_setup(const struct audit_opts *o, struct audit_setup *s,
    char *err, size_t errlen);
void audit_setup_free(struct audit_setup *s);

/* Collects facts only (the "facts" and "unavailable" members of a report
 * plus host and times). Returns the document or NULL with err. */
json_t *audit_collect(const struct audit_opts *o, struct audit_setup *s,
    char *err, size_t errlen);

/* Collects and evaluates: the whole report document, or NULL with err. */
json_t *audit_run(const struct audit_opts *o, struct audit_setup *s,
    char *err, size_t errlen);

/* 1 when a high or critical check failed, else 0. */
int audit_exit_status(json_t *report);

/* Configuration keys of canhgac-agent.conf(5). */
extern const struct conf_key audit_conf_keys[];

#endif
