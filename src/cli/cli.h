/*
 * cli.h — what the files of canhgac, the administrator's command line,
 * share: the global options, the exit statuses, the commands, the access
 * to the data directory (configuration and store), the table output of
 * out.c and the listings of listing.c. canhgac(8) and docs/admin.md
 * describe the commands.
 */
#ifndef CG_CLI_H
#define CG_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "server/serverconf.h"
#include "server/store.h"

#define CLI_VERSION "0.1.0"
#define CLI_DEFAULT_DATA "/var/lib/canhgac"

#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2

/* A host not heard from for longer than this is shown as silent. */
#define CLI_SILENT_AFTER (2 * 24 * 3600)

struct cli {
	const char *data;		/* --data, $CANHGAC_DATA or the default */
	bool en;			/* --lang en */
};

/*
 * Global options, accepted before and after the command name. Every
 * command's option table starts with CLI_GLOBAL_OPTIONS and hands what it
 * does not know to cli_global_option().
 */
#define CLI_OPT_DATA 0x100
#define CLI_OPT_LANG 0x101
#define CLI_OPT_HELP 'h'
#define CLI_GLOBAL_OPTIONS \
	{"data", required_argument, NULL, CLI_OPT_DATA}, \
	{"lang", required_argument, NULL, CLI_OPT_LANG}, \
	{"help", no_argument, NULL, CLI_OPT_HELP}

/* Handles a global option: 0 when it was one, -1 on a bad value, 1 when ch
 * is not a global option. --help prints the usage and exits 0. */
int cli_global_option(struct cli *c, int ch, const char *arg);
/* Prints the bilingual usage (all commands). */
void cli_usage(FILE *out);
/* Reports a usage error (bilingual, on stderr) and returns EXIT_USAGE. */
int cli_usage_error(const char *fmt_vi_en, ...)
    __attribute__((format(printf, 1, 2)));
/* The usage error for what getopt_long refused (opterr is 0). */
int cli_option_error(char **argv);
/*
 * getopt_long over a command's arguments, with longopts starting with
 * CLI_GLOBAL_OPTIONS (NULL: those alone): handles the global options and
 * what getopt_long refused, and returns each of the command's own options.
 * Returns -1 at the end, with *status EXIT_OK, or after an error it
 * reported, with *status the exit status to return. When name is not NULL
 * the command takes no argument, and one left after the options is a usage
 * error "NAME: đối số thừa … — unexpected argument …".
 */
int cli_getopt(struct cli *c, int argc, char **argv,
    const struct option *longopts, const char *name, int *status);

/* Loads DATA/canhgacd.conf; on failure logs and returns -1. */
int cli_conf(const struct cli *c, struct serverconf *sc);
/* Opens the store named by the configuration (flags: STORE_READONLY...);
 * on failure logs and returns -1. */
int cli_store(const struct cli *c, const struct serverconf *sc,
    unsigned flags, struct store **st);
/* cli_conf, then cli_store: 0 with both open, or -1 with nothing left open
 * (sc zeroed, *st NULL) after logging what failed. */
int cli_open(const struct cli *c, unsigned flags, struct serverconf *sc,
    struct store **st);
/* Closes the store (st may be NULL) and frees the configuration opened by
 * cli_open, or by cli_conf and cli_store. */
void cli_close(struct serverconf *sc, struct store *st);
/* The name of the person running the command, for the event log. */
const char *cli_user(void);
/* The first line of a password file into pw[size] (size: the longest
 * password + 2); 0, or -1 after saying why. */
int cli_pw_file(const char *path, char *pw, size_t size);
/* One line typed at the terminal without echo into pw[size]; -1 at end
 * of input or when the line is too long. */
int cli_read_tty(const char *prompt, char *pw, size_t size);
/* Appends what the administrator changed to the audit log, as
 * "cli:<unix user>"; detail may be NULL and is released. */
void cli_audit(struct store *st, const char *action, const char *object,
    json_t *detail);

/* Validates a name typed by the operator (unit, host, note): valid UTF-8,
 * no control characters, at most max bytes; returns its NFC form (malloc'd)
 * or NULL after logging what was wrong with which option. */
char *cli_text_arg(const char *option, const char *arg, size_t max,
    bool empty_ok);

/* Commands: argc/argv start at the command's own arguments (argv[0] is
 * the command name). Each returns an exit status. */
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_token(struct cli *c, int argc, char **argv);
int cmd_agent(struct cli *c, int argc, char **argv);
int cmd_hosts(struct cli *c, int argc, char **argv);
int cmd_findings(struct cli *c, int argc, char **argv);
int cmd_user(struct cli *c, int argc, char **argv);
int cmd_auditlog(struct cli *c, int argc, char **argv);
/* cmd_site.c: site baseline|check (the portal monitor run alone) */
int cmd_site(struct cli *c, int argc, char **argv);

/*
 * out.c — text for people and JSON for programs.
 */
/* "2026-11-29 17:05": t (UTC seconds) in Asia/Ho_Chi_Minh (UTC+7, no DST);
 * "—" for 0. buf holds at least OUT_TIME_LEN bytes. */
#define OUT_TIME_LEN 32
void out_time(int64_t t, char buf[OUT_TIME_LEN]);
/* Text from an agent made safe for a terminal: NFC, control and format
 * characters (ESC, CR, bidi overrides, ...) and invalid bytes written as
 * visible escapes (\n, \t, \x1b, \u{202e}). Malloc'd, never NULL. */
char *out_escape(const char *s);
/* Columns a UTF-8 text takes in a terminal (utf8proc_charwidth). */
size_t out_width(const char *s);
/* Malloc'd copy of s cut to at most width columns, ending in "…" when cut. */
char *out_cut(const char *s, size_t width);
/* Columns of the terminal on stdout ($COLUMNS, else 160 when not one). */
size_t out_term_width(void);

/* A table: cells are escaped when added, columns aligned by display width,
 * and one column (flex) cut so that the rows fit the terminal. */
struct out_col {
	const char *vi, *en;		/* header */
	size_t max;			/* width cap, 0: none */
	size_t min;			/* shrinks to this when narrow, 0: never */
	bool right;			/* numbers */
	bool flex;			/* takes what is left of the width */
};
struct out_table;
struct out_table *out_table_new(const struct out_col *cols, size_t ncols,
    bool en);
/* Adds a row of ncols cells (NULL shows as empty). */
void out_table_row(struct out_table *t, const char *const *cells);
size_t out_table_rows(const struct out_table *t);
/* Prints the table for a terminal of width columns (0: no limit). */
void out_table_print(FILE *f, const struct out_table *t, size_t width);
void out_table_free(struct out_table *t);

/* JSON members that never fail: invalid UTF-8 becomes U+FFFD, NULL null,
 * time 0 null and other times RFC 3339 UTC. */
void out_json_str(json_t *o, const char *key, const char *s);
void out_json_time(json_t *o, const char *key, int64_t t);
/* A JSON array written one element at a time, so that a large store is
 * never held in memory: "[", elements, "]" with a newline. */
struct out_jsonarr {
	FILE *f;
	size_t n;
};
void out_jsonarr_begin(struct out_jsonarr *a, FILE *f);
/* Writes v and releases it. */
void out_jsonarr_add(struct out_jsonarr *a, json_t *v);
void out_jsonarr_end(struct out_jsonarr *a);

/* Words in the chosen language. */
const char *out_status(const char *status, bool en);
const char *out_severity(const char *severity, bool en);

/*
 * listing.c — what token list, agent list, hosts and findings share: the
 * store opened read-only (so they work while canhgacd runs), the rows
 * written as one JSON array (--json) or as a table, and a word when a
 * table has no row. The command fills the first members and calls
 * listing_run; its query runs the store's listing with a row callback that
 * adds each record to arr (when json) or to tab.
 */
struct listing {
	bool json;			/* --json */
	const struct out_col *cols;	/* the table's columns */
	size_t ncols;
	/* runs the store's listing; returns a STORE_ status, err filled */
	int (*query)(struct store *st, struct listing *l, char *err,
	    size_t errlen);
	/* what to say when the table has no row: the line none, or what
	 * empty prints on stdout when it is not NULL */
	const char *none;
	void (*empty)(struct store *st, struct listing *l);
	void *arg;			/* the command's filter */
	/* set by listing_run, for the callbacks */
	bool en;			/* --lang en */
	int64_t now;			/* when the listing started */
	struct out_jsonarr arr;		/* when json */
	struct out_table *tab;		/* otherwise */
};
/* Opens the store read-only and lists; returns the exit status. */
int listing_run(struct cli *c, struct listing *l);
/* What a listing says when the store has no host yet. */
void listing_no_hosts(void);

#endif
