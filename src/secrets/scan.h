/*
 * scan.h — the classified-document finder's scanner (directive point 6):
 * it walks the trees given (scan.c), answers unchanged files from the
 * cache (cache.c) and reads the others in bounded worker processes
 * (pool.c) that run the extractors and the detector of doc.h (worker.c,
 * the program canhgac-docread). Used by
 * `canhgac-agent secrets` (secrets_cmd.c), the agent's scheduled scan
 * (run.c) and the documents collector. docs/secrets-scan.md tells why.
 */
#ifndef CG_SECRETS_SCAN_H
#define CG_SECRETS_SCAN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <jansson.h>

#include "secrets/doc.h"

#define SCAN_MAX_DEPTH 64		/* folders below a root */
#define SCAN_DEFAULT_MAX_FILE (256LL << 20)
#define SCAN_DEFAULT_SECONDS 30.0
#define SCAN_DEFAULT_OCR_SECONDS 120.0
#define SCAN_MAX_JOBS 64
#define SCAN_ROOT_DB "/var/lib/canhgac-agent/secrets.db"
#define SCAN_DEFAULT_USER "nobody"	/* the workers' user under root */

/* What one file gave: the verdict, or why it could not be read. Also what
 * a worker sends back and what the cache keeps (fixed size, plain data). */
struct scan_outcome {
	enum doc_err err;	/* DOC_OK: read (found or not) */
	char detail[200];	/* the error's detail */
	struct doc_verdict v;	/* v.degree NONE: not classified */
	char format[16];	/* doc_format_name(), "docx" refined by name */
	char sha256[65];	/* hex, for found documents only */
	bool ocr;		/* read with --ocr */
	bool ocr_used;		/* some text came from OCR */
	bool scan_unread;	/* held scans not read (no --ocr) */
	bool changed;		/* the file changed while read: not cached */
	double limit;		/* the time limit it was read with */
};

/* --- the scan (scan.c) --------------------------------------------------- */

/* A worker's loop over the descriptor of its pair (never returns). */
typedef void scan_serve_fn(int fd);

struct scan_opts {
	const char *const *roots;	/* files or folders */
	size_t nroots;
	const char *const *excludes;	/* fnmatch globs: names, or paths
					   when the glob has a '/' */
	size_t nexcludes;
	bool ocr;
	bool cross_fs;			/* enter other file systems */
	bool no_nice;			/* keep the priority */
	unsigned jobs;			/* worker processes (0: 1) */
	long long max_file;		/* bytes (0: default) */
	double seconds;			/* time limit per file (0: default) */
	double max_rate;		/* bytes read per second (0: unlimited) */
	const char *cache;		/* the cache file, NULL: none */
	const char *user;		/* run as root: the workers' user
					   (NULL: SCAN_DEFAULT_USER) */
	const char *docread;		/* the workers' program; NULL:
					   canhgac-docread (prog.h) */
	scan_serve_fn *serve;		/* or this loop in a forked copy
					   of this process (tests) */
	volatile sig_atomic_t *stop;	/* set by a signal handler: stop */
};

enum scan_kind { SCAN_FOUND, SCAN_UNREADABLE, SCAN_SCANNED_ONLY };

/* A file worth telling about (clean files are not kept). */
struct scan_item {
	char *path;		/* absolute, as walked (bytes) */
	enum scan_kind kind;
	struct scan_outcome o;
	long long size;
	long long mtime;	/* seconds */
	bool cached;
};

struct scan_stats {
	long long files;	/* candidate files considered */
	long long bytes;	/* their size */
	long long read;		/* opened and extracted this run */
	long long cached;	/* answered from the cache */
	long long skipped;	/* entries passed over (not candidates,
				   links, special files, excluded, skip
				   lists, other file systems) */
	double seconds;
};

struct scan_result {
	long long scanned_at;	/* UTC seconds, start of the scan */
	char **roots;		/* absolute */
	size_t nroots;
	bool ocr;
	bool complete;		/* false: interrupted, or a root unreadable */
	struct scan_item *items;	/* sorted by path */
	size_t nitems, cap;
	struct scan_stats stats;
};

/* Scans; 0 (even when interrupted: r->complete says), or -1 with err
 * ("<vi> — <en>") when the scan could not run at all (bad root, cache;
 * run as root, o->user missing or a worker unable to drop to it: no
 * document is read as root). */
int scan_run(const struct scan_opts *o, struct scan_result *r, char *err,
    size_t errlen);
void scan_result_free(struct scan_result *r);
size_t scan_count(const struct scan_result *r, enum scan_kind k);

/* The command's JSON object (docs/secrets-scan.md); max_list bounds the
 * unreadable and scanned_only lists (0: all). */
json_t *scan_result_json(const struct scan_result *r, size_t max_list);

/* Absolute, lexically clean form of path (malloc'd), NULL on error. */
char *scan_abspath(const char *path);
/* A copy of s that is valid UTF-8 (broken bytes become U+FFFD). */
char *scan_text(const char *s, size_t len);
/* "mat", "toi-mat", "tuyet-mat"; degree text in Vietnamese or English
 * (MẬT "Confidential", TỐI MẬT "Secret", TUYỆT MẬT "Top Secret"). */
const char *scan_degree_code(enum doc_degree g);
const char *scan_degree_text(enum doc_degree g, bool en);
/* Whether a file name is a candidate (by extension, case-insensitive). */
bool scan_candidate(const char *path, const char *name, bool ocr);

/* --- the cache (cache.c) ------------------------------------------------- */

struct scan_cache;

/* The default cache file: SCAN_ROOT_DB for root, else
 * $XDG_CACHE_HOME/canhgac/secrets.db (~/.cache/…); into buf. */
const char *scan_cache_default(char *buf, size_t size);
/* Opens (creating it and its folder when missing) the cache. */
int scan_cache_open(const char *path, struct scan_cache **c, char *err,
    size_t errlen);
void scan_cache_close(struct scan_cache *c);
/* Starts a scan: a new generation for the rows seen. */
int scan_cache_begin(struct scan_cache *c, char *err, size_t errlen);
/* The outcome kept for path when the file's key (st_dev, st_ino, st_size,
 * st_mtim) and the finder's version match and it stays valid for this
 * scan (ocr, time limit): true with *out, the row marked seen. */
bool scan_cache_get(struct scan_cache *c, const char *path,
    const struct stat *st, bool ocr, double limit, struct scan_outcome *out);
/* Keeps the outcome of path (not when o->changed). */
int scan_cache_put(struct scan_cache *c, const char *path,
    const struct stat *st, const struct scan_outcome *o);
/* Marks path (and what is below it) seen, e.g. a file over --max-file. */
void scan_cache_seen(struct scan_cache *c, const char *path);
/* Forgets the rows under root not seen in this scan (complete scans). */
int scan_cache_prune(struct scan_cache *c, const char *root);
/* Commits what is pending (every second or so, and at the end). */
int scan_cache_commit(struct scan_cache *c);
/* Keeps the summary of the last scan (scan_result_json, bounded lists). */
int scan_cache_save_last(struct scan_cache *c, const struct scan_result *r,
    char *err, size_t errlen);
/* The last scan's JSON from the cache file at path: 0 with *doc, 1 when
 * there is no file or no scan yet, -1 with err. */
int scan_cache_load_last(const char *path, json_t **doc, char *err,
    size_t errlen);

/* --- the workers (pool.c, worker.c) ------------------------------------- */

struct scan_pool;

/* A file handed to a worker: the pool opens it (here, in the parent) and
 * passes the descriptor; the worker never opens a file by path. */
struct scan_job {
	uint64_t seq;
	const char *path;
	struct stat st;		/* as walked: the open file's fstat must
				   match */
};

/* Called by the pool for each file done (or killed: timeout, crash). */
typedef void scan_done_fn(void *arg, uint64_t seq,
    const struct scan_outcome *o);

struct scan_pool_conf {
	unsigned jobs;
	bool ocr;
	long long max_file;
	double seconds;		/* the worker's own deadline */
	double kill_after;	/* the parent kills a worker past this */
	bool drop;		/* workers drop to uid, gid (parent root) */
	uid_t uid;
	gid_t gid;
	const char *docread;	/* the program a worker becomes, or NULL: */
	scan_serve_fn *serve;	/* the loop it runs in the forked copy */
	scan_done_fn *done;
	void *arg;
};

/* Starts the workers, each locked down before it reads anything
 * (docs/secrets-scan.md): 0; -1 with err when one cannot start; -2 with
 * err when one could not drop its privileges. */
int scan_pool_start(const struct scan_pool_conf *pc, struct scan_pool **p,
    char *err, size_t errlen);
/* Hands j to an idle worker, first waiting (and reporting results) until
 * one is idle. -1 when stopped. */
int scan_pool_submit(struct scan_pool *p, const struct scan_job *j,
    volatile sig_atomic_t *stop);
/* Reports results for about seconds (the --max-rate pause). */
void scan_pool_wait(struct scan_pool *p, double seconds,
    volatile sig_atomic_t *stop);
/* Waits for every file in progress (unless stopped: then they are
 * dropped). */
void scan_pool_drain(struct scan_pool *p, volatile sig_atomic_t *stop);
/* Kills and reaps every worker. */
void scan_pool_stop(struct scan_pool *p);

/* The worker's loop (worker.c): says it is ready on fd, then reads every
 * file handed to it until the pool closes the pair. canhgac-docread runs
 * it; tests give it as scan_opts.serve. */
void scan_worker_serve(int fd) __attribute__((noreturn));

/*
 * Test hooks, kept NULL in the programs: scan_worker_hook is called in the
 * worker before a file is read (a test makes it sleep or crash on a name,
 * or checks the worker's user); scan_open_hook in the parent before it
 * opens a file (a test swaps the file for a link).
 */
extern void (*scan_worker_hook)(const char *path);
extern void (*scan_open_hook)(const char *path);

/* Lowers the priority of this process (nice 10, idle I/O class). */
void scan_lower_priority(void);

/* --- the command (src/agent/secrets_cmd.c) -------------------------------- */

/* canhgac-agent secrets …: argv[0] is "secrets". Exit status 0, 1, 2. */
int secrets_main(int argc, char **argv);

struct conf;

/* The scheduled scan's keys of agent.conf (canhgac-agent.conf(5)). */
struct secrets_conf {
	const char **paths;	/* roots; the defaults when not configured */
	size_t npaths;
	const char **excludes;	/* secrets-exclude globs */
	size_t nexcludes;
	long long interval;	/* seconds between scans (a day; 0: off) */
	bool ocr;
	double max_rate;	/* bytes per second, 0 unlimited */
	const char *cache;	/* secrets-cache, NULL: scan_cache_default() */
	const char *user;	/* secrets-user, NULL: SCAN_DEFAULT_USER */
};

/* Reads the secrets-* keys of c (may be NULL): 0, or -1 with err
 * "file:line:col: <vi> — <en>". Strings are borrowed from c. */
int secrets_conf_parse(const struct conf *c, struct secrets_conf *sc,
    char *err, size_t errlen);
void secrets_conf_free(struct secrets_conf *sc);

#endif
