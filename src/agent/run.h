/*
 * run.h — canhgac-agent run: audit on schedule, keep every report in the
 * durable queue, upload it in batches with back-off; and status, which
 * shows the enrolment and the queue. canhgac-agent(8) documents both;
 * docs/agent-queue.md the queue.
 */
#ifndef CG_RUN_H
#define CG_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "agent/audit.h"
#include "lib/conf.h"

#define RUN_EXIT_OK 0		/* everything was acknowledged */
#define RUN_EXIT_USAGE 2	/* usage, configuration, not enrolled */
#define RUN_EXIT_QUEUED 3	/* --once: something stays in the queue */

struct run_opts {
	struct audit_opts audit;	/* root, policy, config */
	const char *state_dir;		/* NULL: state-dir of the config */
	bool once;
	int verbose;
};

/* Runs until SIGTERM or SIGINT (or once); returns the exit status. */
int run_main(const struct run_opts *o);

/* Checks the keys of agent.conf that run reads (interval, retry-min, ...):
 * 0, or -1 with err "file:line:col: <vi> — <en>". c may be NULL. */
int run_conf_check(const struct conf *c, char *err, size_t errlen);

/* Prints the enrolment and the queue in Vietnamese and English; 0, 1 when
 * not enrolled, 2 on error. */
int run_status(const struct run_opts *o);

#endif
