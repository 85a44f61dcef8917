/*
 * run_conf.c — the keys of agent.conf that canhgac-agentd's run reads
 * (interval, retry-min, retry-max, upload-timeout, queue-max,
 * batch-reports, state-dir and the secrets-* keys), with their defaults
 * and bounds. Apart from run.c so that `canhgac-agent -n` checks them
 * without linking the uploader. canhgac-agent.conf(5).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "agent/run.h"
#include "agent/run_conf.h"
#include "lib/conf.h"
#include "lib/text.h"

#define RUN_DAY_MS (86400LL * 1000)

/* "200ms", "30s", "5m", "1h", "2d" or bare seconds, at most 30 days. */
static bool
run_duration(const char *s, long long *ms)
{
	static const struct { const char *unit; long long ms; } units[] = {
		{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000},
		{"d", 86400000}, {"", 1000},
	};
	long long v = 0;
	const char *p = s;
	size_t i;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > 30 * RUN_DAY_MS)
			return false;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(p, units[i].unit) == 0) {
			if (v > 30 * RUN_DAY_MS / units[i].ms)
				return false;
			*ms = v * units[i].ms;
			return true;
		}
	return false;
}

/* "512K", "64M", "1G" or bare bytes, at most 64 GiB. */
static bool
run_size(const char *s, long long *bytes)
{
	return text_to_size(s, 64LL << 30, 64LL << 30, bytes);
}

static int
run_bad(const struct conf_node *n, const char *vi, const char *en, char *err,
    size_t errlen)
{
	snprintf(err, errlen, "%s:%d:%d: %s “%s”: %s — %s “%s”: %s", n->file,
	    n->line, n->col, n->key, n->args[0], vi, n->key, n->args[0], en);
	return -1;
}

/* The keys of agent.conf that run reads (canhgac-agent.conf(5)). */
int
run_conf_parse(const struct conf *c, struct run_conf *rc, char *err,
    size_t errlen)
{
	static const struct {
		const char *key;
		size_t off;
		long long min;
	} durations[] = {
		{"interval", offsetof(struct run_conf, interval), 100},
		{"retry-min", offsetof(struct run_conf, retry_min), 100},
		{"retry-max", offsetof(struct run_conf, retry_max), 100},
		{"upload-timeout", offsetof(struct run_conf, upload_timeout),
		    1000},
	};
	const struct conf_node *n;
	long long v;
	size_t i;

	memset(rc, 0, sizeof(*rc));
	rc->secrets.interval = 86400;
	rc->interval = 3600000;
	rc->retry_min = 30000;
	rc->retry_max = 3600000;
	rc->upload_timeout = 60000;
	rc->queue_max = 64LL << 20;
	rc->batch_reports = 16;
	if (c == NULL)
		return secrets_conf_parse(NULL, &rc->secrets, err, errlen);
	if ((n = conf_find(c->first, "state-dir")) != NULL)
		rc->state_dir = n->args[0];
	for (i = 0; i < sizeof(durations) / sizeof(durations[0]); i++) {
		if ((n = conf_find(c->first, durations[i].key)) == NULL)
			continue;
		if (!run_duration(n->args[0], &v) || v < durations[i].min)
			return run_bad(n, "cần một khoảng thời gian như 200ms, "
			    "30s, 5m, 1h (từ 100ms đến 30 ngày)", "a duration "
			    "such as 200ms, 30s, 5m, 1h is needed (100ms to 30 "
			    "days)", err, errlen);
		*(long long *)(void *)((char *)rc + durations[i].off) = v;
	}
	if ((n = conf_find(c->first, "queue-max")) != NULL &&
	    (!run_size(n->args[0], &rc->queue_max) ||
	    rc->queue_max < (64LL << 10)))
		return run_bad(n, "cần một dung lượng như 64M, 1G (ít nhất "
		    "64K)", "a size such as 64M, 1G is needed (at least 64K)",
		    err, errlen);
	if ((n = conf_find(c->first, "batch-reports")) != NULL &&
	    (!text_to_long(n->args[0], &rc->batch_reports) ||
	    rc->batch_reports < 1 || rc->batch_reports > 64))
		return run_bad(n, "cần một số từ 1 đến 64", "a number from 1 "
		    "to 64 is needed", err, errlen);
	if (rc->retry_min > rc->retry_max &&
	    (n = conf_find(c->first, "retry-min")) != NULL)
		return run_bad(n, "lớn hơn retry-max", "greater than "
		    "retry-max", err, errlen);
	return secrets_conf_parse(c, &rc->secrets, err, errlen);
}

int
run_conf_check(const struct conf *c, char *err, size_t errlen)
{
	struct run_conf rc;
	int ret;

	ret = run_conf_parse(c, &rc, err, errlen);
	secrets_conf_free(&rc.secrets);
	return ret;
}
