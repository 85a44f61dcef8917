/*
 * cond.h — the condition language of the policy (docs/policy.md): parsed
 * into a tree, type-checked against the facts schema and the policy's
 * parameters, regular expressions compiled once; then evaluated over a
 * facts document in Kleene's three-valued logic, with evidence text.
 */
#ifndef CG_COND_H
#define CG_COND_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "agent/schema.h"

#define COND_MAX_TEXT 16384	/* bytes of one condition */
#define COND_MAX_DEPTH 64	/* nesting of parentheses, not, quantifiers */
#define COND_MAX_ITEMS 20	/* items shown in evidence */
#define COND_MAX_STRING 200	/* bytes of one string shown in evidence */

/* What a condition may refer to. param_types maps a parameter's name to
 * "int", "bool", "string", "list:string" or "list:int"; params holds the
 * current values (patterns of parameters used with =~ are compiled from
 * them). */
struct cond_env {
	const struct schema *schema;
	json_t *params;
	json_t *param_types;
};

/* A refused condition: the byte offset in its text and one line of
 * reason in both languages. */
struct cond_error {
	size_t offset;
	char vi[256], en[256];
};

enum tri { TRI_FALSE, TRI_TRUE, TRI_UNKNOWN };

struct cond_result {
	enum tri value;
	char *missing;		/* unknown: schema path of the missing fact */
	char *error_vi;		/* unknown for another reason (regex limit, */
	char *error_en;		/*   a fact of the wrong type), or NULL */
	char *evidence;		/* what was seen, or NULL */
};

struct cond;

/* Parses and type-checks text (len bytes, UTF-8); the result has type
 * bool. NULL with e filled on error. */
struct cond *cond_parse(const char *text, size_t len,
    const struct cond_env *env, struct cond_error *e);
void cond_free(struct cond *c);

/* true when the condition uses parameter name as a pattern of =~ / !~. */
bool cond_uses_regex_param(const struct cond *c, const char *name);
/* Recompiles the patterns taken from parameter name after it changed;
 * -1 with e filled (offset of the reference) when one does not compile. */
int cond_refresh_param(struct cond *c, const char *name, json_t *params,
    struct cond_error *e);
/* Compiles value's patterns (a string or list of strings) only to check
 * them; -1 with e filled (offset within the pattern) on error. */
int cond_check_patterns(json_t *value, struct cond_error *e);

/* Evaluates c over facts with the current params. unavailable (may be
 * NULL) maps the schema paths the collectors could not learn to their
 * reasons: a marked fact is unknown, a marked list partial. evidence asks
 * for the evidence text. Free out with cond_result_free(). */
void cond_eval(const struct cond *c, json_t *facts, json_t *unavailable,
    json_t *params, bool evidence, struct cond_result *out);
void cond_result_free(struct cond_result *r);

#endif
