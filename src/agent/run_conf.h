/*
 * run_conf.h — run's configuration, parsed (run_conf.c).
 */
#ifndef CG_AGENT_RUN_CONF_H
#define CG_AGENT_RUN_CONF_H

#include <stddef.h>

#include "lib/conf.h"
#include "secrets/scan.h"

struct run_conf {
	const char *state_dir;
	long long interval, retry_min, retry_max, upload_timeout;	/* ms */
	long long queue_max;
	long batch_reports;
	struct secrets_conf secrets;	/* the scheduled scan */
};

/* Reads the keys of c (NULL: the defaults) into rc: 0, or -1 with err
 * "file:line:col: <vi> — <en>". Free rc->secrets after. */
int run_conf_parse(const struct conf *c, struct run_conf *rc, char *err,
    size_t errlen);

#endif
