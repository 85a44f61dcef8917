/*
 * conf.h — the one configuration grammar of every Canh Gác program.
 *
 * A file is a list of statements, one per line (or separated by ';'):
 *
 *	# comment
 *	key arg "quoted arg" 3
 *	block-key arg {
 *		key value
 *	}
 *	include "/etc/canhgac/agent.d/local-*.conf"
 *
 * Bare words are made of ASCII letters, digits and - _ . / : @ + , * = ~ %
 * [ ] (so "[2606:4700::1111]:443" needs no quotes);
 * quoted strings take \" \\ \n \t escapes and any UTF-8. The parser knows
 * no keys: each program validates the tree against its own table of keys
 * (conf_validate) so that every error names file:line:column. Errors are
 * written "file:line:col: <Vietnamese> — <English>". docs/config.md
 * describes the grammar; the man pages of each program, its keys.
 */
#ifndef CG_CONF_H
#define CG_CONF_H

#include <stdbool.h>
#include <stddef.h>

struct conf_node {
	char *key;
	char **args;
	size_t nargs;
	struct conf_node *child;	/* first statement of a { } block */
	struct conf_node *next;
	const char *file;		/* owned by the struct conf */
	int line, col;
	bool has_block;			/* written with { }, maybe empty */
};

struct conf {
	struct conf_node *first;
	char **files;			/* every file read, for node->file */
	size_t nfiles;
};

#define CONF_SECRET 0x1		/* refuse a file readable by group or others */
#define CONF_MAX_DEPTH 8	/* include and block nesting */
#define CONF_MAX_SIZE (1u << 20)

/* Loads and parses path (and its includes). NULL on error, err filled. */
struct conf *conf_load(const char *path, unsigned flags, char *err,
    size_t errlen);
/* Parses text (name is used in messages); includes are refused. */
struct conf *conf_parse(const char *text, size_t len, const char *name,
    char *err, size_t errlen);
void conf_free(struct conf *c);

/* A table of allowed keys, ended by a zeroed entry. max_args < 0: any. */
struct conf_key {
	const char *key;
	int min_args, max_args;
	const struct conf_key *block;	/* non-NULL: key takes a { } block */
};

/* 0 when every statement is known and has the right number of arguments;
 * -1 with err filled otherwise. */
int conf_validate(const struct conf *c, const struct conf_key *keys,
    char *err, size_t errlen);

/* First statement with this key among n and its siblings, or NULL. */
const struct conf_node *conf_find(const struct conf_node *n, const char *key);
/* Next sibling after n with the same key, or NULL. */
const struct conf_node *conf_next(const struct conf_node *n);

#endif
