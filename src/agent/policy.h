/*
 * policy.h — the checks, loaded from YAML data and evaluated over facts.
 *
 * A policy is a set of YAML files (checks, parameters, the legal catalogue)
 * parsed and checked once at load against the facts schema (schema.h): a
 * syntax error, an unknown fact or parameter, or a type mismatch in a
 * condition is refused with file:line:column and one line of reason.
 * Evaluation never fails: a fact that is not known makes the check "error"
 * or "na" with the collector's reason. docs/policy.md describes the format
 * and the condition language.
 */
#ifndef CG_POLICY_H
#define CG_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "agent/schema.h"

struct i18n {
	char *vi, *en;
};

enum severity { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };
enum status { ST_PASS, ST_FAIL, ST_NA, ST_ERROR };

const char *severity_name(enum severity s);	/* "info" ... "critical" */
const char *status_name(enum status s);		/* "pass" "fail" "na" "error" */

struct legal {
	char *id;		/* key used by checks: "luat-anm-2018" */
	char *kind;		/* law, decree, decision, directive, circular,
				   regulation, standard */
	char *number;		/* "24/2018/QH14" */
	struct i18n title;	/* "Luật An ninh mạng" */
	char *issued;		/* YYYY-MM-DD */
	char *effective;	/* YYYY-MM-DD */
	char *until;		/* last day in force, or NULL */
	char *successor;	/* id of the text replacing it, or NULL */
	bool cited;		/* cited by the directive itself */
	struct i18n unverified;	/* what of it could not be verified, or
				   NULL texts when all was */
};

struct cond;			/* a checked condition (cond.h) */

#define PLATFORM_LINUX 0x1
#define PLATFORM_WINDOWS 0x2

struct check {
	char *id;
	struct i18n title, rationale, remedy;
	int point;			/* directive point 1-8 */
	char **basis;			/* legal ids */
	size_t nbasis;
	unsigned levels;		/* bit n set: applies at level n (1-5) */
	enum severity severity;
	unsigned platforms;
	char *applies_text, *condition_text;
	struct cond *applies;		/* NULL: always applies */
	struct cond *condition;		/* true: pass */
	char *file;
	int line;
};

struct policy {
	struct check *checks;
	size_t nchecks;
	struct legal *legal;
	size_t nlegal;
	json_t *params;		/* name -> value (after configuration) */
	json_t *param_docs;	/* name -> {"vi","en","basis":[...]} */
	const struct schema *schema;
};

/* Loads path: a .yml file or a directory of them (sorted). */
struct policy *policy_load(const char *path, const struct schema *schema,
    char *err, size_t errlen);
/* Loads the policy compiled into the agent (embedded.h). */
struct policy *policy_load_embedded(const struct schema *schema, char *err,
    size_t errlen);
/* Loads from memory (one file's text; name used in messages). */
struct policy *policy_load_text(const char *text, size_t len,
    const char *name, const struct schema *schema, char *err, size_t errlen);
void policy_free(struct policy *p);

/* Overrides a parameter from the configuration ("param NAME VALUE..."),
 * checking its type against the default's; where names file:line:col. */
int policy_set_param(struct policy *p, const char *name,
    const char *const *values, size_t nvalues, const char *where, char *err,
    size_t errlen);

const struct check *policy_check(const struct policy *p, const char *id);
const struct legal *policy_legal(const struct policy *p, const char *id);

/* The legal ids a finding cites for check c on date today (YYYY-MM-DD):
 * each basis id, followed by its successors in force on that date.
 * Returns a new JSON array of strings. */
json_t *policy_basis(const struct policy *p, const struct check *c,
    const char *today);

struct result {
	enum status status;
	char *evidence;		/* what was seen; malloc'd, may be NULL */
	struct i18n reason;	/* why na or error; malloc'd, may be NULL */
};

/* Evaluates one check over facts; level is the configured security level
 * (a check whose levels exclude it is "na"). */
void policy_eval(const struct policy *p, const struct check *c, int level,
    json_t *facts, json_t *unavailable, struct result *out);
void result_free(struct result *r);

#endif
