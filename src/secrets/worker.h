/*
 * worker.h — what the finder's pool (pool.c, in the scanning process) and
 * its worker processes (worker.c, run by canhgac-docread or, in tests, in
 * a forked copy of the scanner) say to each other over a SOCK_SEQPACKET
 * pair: one fixed-layout message per request and per result, each one
 * size-checked by the side that receives it. The worker's end of the pair
 * is descriptor WORKER_FD. docs/secrets-scan.md.
 */
#ifndef CG_SECRETS_WORKER_H
#define CG_SECRETS_WORKER_H

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "secrets/scan.h"

#define WORKER_MAGIC 0x43475357u	/* "CGSW" */
#define WORKER_FD 3			/* the worker's end of the pair */

/* A file to read: its descriptor travels with it (SCM_RIGHTS); the path
 * is only a name (the format, the hooks), never opened. */
struct worker_req {
	uint32_t magic;
	uint32_t ocr;
	uint64_t seq;
	int64_t max_file;
	double seconds;
	char path[PATH_MAX];
};

/* A new worker's first message: locked down (err 0), or the step that
 * failed and its errno. */
struct worker_ready {
	uint32_t magic;
	int32_t err;
	char step[48];
};

struct worker_res {
	uint32_t magic;
	uint64_t seq;
	struct scan_outcome o;
};

/* The reason for an errno met opening or reading a file. */
static inline void
worker_errno(struct scan_outcome *o, const char *what, int e)
{
	o->err = e == ENOMEM ? DOC_ERR_NOMEM : DOC_ERR_IO;
	snprintf(o->detail, sizeof(o->detail), "%s: %s", what, strerror(e));
}

#endif
