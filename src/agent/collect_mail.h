/*
 * collect_mail.h — the parsers of the mail collector that tests and
 * fuzzers call directly: Thunderbird's prefs.js and Evolution's .source
 * keyfiles. See collect_mail.c.
 */
#ifndef CG_COLLECT_MAIL_H
#define CG_COLLECT_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#define MAIL_MAX_PREFS_JS (4u << 20)	/* prefs.js larger than this: error */

/*
 * Parses the user_pref("name", value); lines of a prefs.js into an object
 * name -> string, integer or boolean (JavaScript escapes decoded). Returns
 * NULL when malformed, with *line the line of the fault.
 */
json_t *collect_mail_parse_prefs_js(const char *buf, size_t len, int *line);

/*
 * The mail accounts described by Thunderbird preferences: a list of
 * objects with address, domain, client, server, server_security,
 * smtp_server and smtp_security (facts.schema, mail.accounts[]).
 */
json_t *collect_mail_thunderbird_accounts(json_t *prefs);

/* One Evolution data source (~/.config/evolution/sources/UID.source). */
struct evo_source {
	char *uid;		/* the file name without ".source" */
	char *parent;
	bool account, identity, transport;
	char *backend;		/* [Mail Account] or [Mail Transport] */
	char *identity_uid;	/* [Mail Account] IdentityUid */
	char *transport_uid;	/* [Mail Submission] TransportUid */
	char *address;		/* [Mail Identity] Address */
	char *host, *user;	/* [Authentication] */
	char *method;		/* [Security] Method */
};

/* Returns 0, or -1 with *line when the keyfile is malformed (not UTF-8,
 * a line that is neither a group nor key=value). */
int collect_mail_parse_evolution_source(const char *buf, size_t len,
    struct evo_source *s, int *line);
void collect_mail_evolution_source_free(struct evo_source *s);

#endif
