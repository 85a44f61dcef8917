/*
 * cond_int.h — the condition tree shared by the parser (cond_parse.c) and
 * the evaluator (cond_eval.c); not for use outside the condition language.
 */
#ifndef CG_COND_INT_H
#define CG_COND_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include <pcre2.h>

#include "agent/cond.h"

#define COND_MATCH_LIMIT 100000
#define COND_DEPTH_LIMIT 2000
#define COND_HEAP_LIMIT 8192		/* KiB */
#define COND_MAX_PATTERN 4096
#define COND_MAX_EVIDENCE 16384

enum ty { TY_BOOL, TY_INT, TY_STR, TY_OBJ, TY_LSTR, TY_LINT, TY_LOBJ, TY_LANY };

struct ctype {
	enum ty t;
	const char *lpath;	/* TY_OBJ, TY_LOBJ: schema path of the list */
};

enum nk {
	N_BOOL, N_INT, N_STR, N_LIST, N_FACT, N_PARAM, N_VAR, N_FIELD,
	N_AND, N_OR, N_NOT, N_CMP, N_MATCH, N_IN, N_ALL, N_ANY, N_NONE,
	N_COUNT, N_COUNT_LIST
};

enum op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

struct node {
	enum nk k;
	int op;			/* N_CMP: enum op */
	bool negate;		/* N_MATCH !~, N_IN not in */
	size_t off, len;	/* span in the condition text */
	struct ctype t;
	struct node *a, *b, *c;	/* operands; quantifier: list, filter, body */
	json_t *lit;		/* literals */
	char *path;		/* N_FACT, N_FIELD: schema path; N_PARAM:
				   its name */
	char *field;		/* N_FIELD: member name */
	int slot;		/* N_VAR, N_FIELD, quantifiers: variable slot */
	char **fields;		/* quantifiers: item fields the body reads */
	size_t nfields;
	pcre2_code **re;	/* N_MATCH: compiled patterns */
	size_t nre;
};

struct cond {
	char *text;
	size_t len;
	struct node *root;
	struct node **nodes;	/* every node, for freeing and refreshing */
	size_t nnodes, cap;
	int nslots;
};

#endif
