/*
 * upload.h — the agent's HTTPS client of the server's API (docs/api.md),
 * over libcurl: the CA pinned, the agent's certificate, TLS 1.2 or newer,
 * bounded answers and timeouts, bodies sent gzip-compressed. Library code:
 * no logging; the caller decides what an answer means for the queue.
 */
#ifndef CG_UPLOAD_H
#define CG_UPLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "agent/queue.h"

#define UPLOAD_ANSWER_MAX (1u << 20)	/* bytes of one answer */

struct upload_conf {
	const char *server;		/* "https://host:port", no path */
	const char *ca_file;		/* the pinned CA (PEM); NULL: none */
	const char *cert_file;		/* the agent's certificate, or NULL */
	const char *key_file;		/* and its key */
	long connect_timeout_ms;	/* 0: 10 s */
	long timeout_ms;		/* whole request; 0: 60 s */
	bool insecure;			/* no verification: GET /api/v1/ca */
};

/* What came back. */
struct upload_answer {
	long http;			/* status, 0 when no answer */
	char code[64];			/* error.code of the API, or "" */
	char message[1024];		/* "<vi> — <en>" of the error, or "" */
	long long retry_after_ms;	/* Retry-After, -1 when absent */
	json_t *json;			/* the answer parsed, or NULL */
	char *body;			/* the answer as received, NUL ended */
	size_t len;
};
void upload_answer_free(struct upload_answer *a);

/* Once per process, before any thread: curl_global_init. */
int upload_init(char *err, size_t errlen);

/* Sends one request: method "GET" or "POST", path under the server
 * ("/api/v1/enroll"), a JSON body (may be NULL) sent gzip-compressed when
 * gzip is set. 0 when an answer came (whatever its status), -1 with err
 * (and a->code "network" or "tls") when none did. */
int upload_request(const struct upload_conf *c, const char *method,
    const char *path, const char *body, size_t len, bool gzip,
    struct upload_answer *a, char *err, size_t errlen);

/* What the uploader does next with a batch. */
enum upload_outcome {
	UPLOAD_ACKED,		/* stored or duplicate: forget the batch */
	UPLOAD_RETRY,		/* network, 429, 5xx: keep it, back off */
	UPLOAD_REJECTED,	/* 400, 411, 413, 415: never accepted as is */
	UPLOAD_DENIED,		/* 401, 403: stop until the operator acts */
};

/* POST /api/v1/batches. On UPLOAD_ACKED, *status is "stored" or
 * "duplicate" and *stored the reports the server counted. err is filled
 * for every other outcome. The fault point "upload-mid" is passed when
 * half the body was handed to the connection, "upload-after-ack" after a
 * valid acknowledgement was read (and before the caller forgets). */
enum upload_outcome upload_batch(const struct upload_conf *c,
    const struct queue_batch *b, struct upload_answer *a, char *status,
    size_t statuslen, long *stored, char *err, size_t errlen);

#endif
