/*
 * schema.h — the facts schema (facts.schema) loaded for checking policies
 * and the facts collectors produce.
 */
#ifndef CG_SCHEMA_H
#define CG_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

enum ftype {
	FT_BOOL, FT_INT, FT_STRING, FT_OBJECT, FT_LIST, FT_LIST_STRING,
	FT_LIST_INT
};

struct schema_field {
	char *path;		/* "accounts.users.name" (no []) */
	enum ftype type;
	bool key, live, root;
	char *doc_en, *doc_vi;
	int line;
};

struct schema {
	struct schema_field *fields;	/* in file order */
	size_t nfields;
};

struct schema *schema_parse(const char *text, size_t len, const char *name,
    char *err, size_t errlen);
/* The schema embedded in the agent (never NULL; aborts if broken). */
const struct schema *schema_embedded(void);
void schema_free(struct schema *s);
const struct schema_field *schema_lookup(const struct schema *s,
    const char *path);
/* The key field of the items of list path ("accounts.users" -> "name"),
 * or NULL. */
const char *schema_key(const struct schema *s, const char *list_path);
const char *ftype_name(enum ftype t);

/* Checks facts against the schema: every member is declared and has its
 * type. Returns the number of problems, each appended to problems (array
 * of strings) when non-NULL. */
size_t schema_validate(const struct schema *s, json_t *facts,
    json_t *problems);

#endif
