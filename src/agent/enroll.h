/*
 * enroll.h — the agent's enrolment with canhgacd (docs/api.md): fetch the
 * CA, check it against the fingerprint the operator was given, then send a
 * certificate request with the one-time token and keep what comes back in
 * the state directory. Also reads an enrolment back for run and status.
 * Library code: no logging; -1 and a bilingual err on failure.
 */
#ifndef CG_ENROLL_H
#define CG_ENROLL_H

#include <stdbool.h>
#include <stddef.h>

#include "agent/audit.h"

#define ENROLL_STATE_DIR "/var/lib/canhgac-agent"
#define ENROLL_FILE "agent.json"

/* An enrolment as kept in the state directory. */
struct enrolment {
	char *server;			/* "https://host:port" */
	char *agent_id, *unit, *host_id, *ca_fingerprint, *enrolled_at;
	char *ca_file, *cert_file, *key_file;	/* paths in the state dir */
	char *queue_file;
};
void enroll_free(struct enrolment *e);

/* Reads STATE/agent.json and checks its members and that the certificate
 * and key files exist. 0, 1 when the agent is not enrolled (no file), -1
 * with err. */
int enroll_load(const char *state_dir, struct enrolment *e, char *err,
    size_t errlen);

struct enroll_opts {
	const char *server;		/* https://host[:port] */
	const char *token;
	const char *fingerprint;	/* as the operator typed it */
	const char *state_dir;		/* NULL: ENROLL_STATE_DIR */
	struct audit_opts audit;	/* root and config: the host's id */
	bool force;			/* replace an existing enrolment */
	long timeout_ms;		/* per request; 0: 30 s */
};

/* Enrols; on success e describes the new enrolment. Nothing is written
 * unless the CA matched the fingerprint and the server issued a
 * certificate for this agent. */
int enroll(const struct enroll_opts *o, struct enrolment *e, char *err,
    size_t errlen);

/* The host's id and name as the audit report carries them (host.id,
 * host.hostname), from the system collector. ids >= 81, name >= 256. */
int enroll_host(const struct audit_opts *ao, char *id, size_t idlen,
    char *name, size_t namelen, char *err, size_t errlen);

#endif
