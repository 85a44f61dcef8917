/*
 * test_scan.c — the classified-document finder's scanner (scan.h): the
 * walk (skip lists, links never followed, --exclude, --max-file), the
 * cache (a warm re-scan opens no file; a changed mtime, a new finder
 * version re-read; a deleted file's row goes), the workers (a file over
 * the time limit and a crashing worker are reported and the scan goes
 * on; an interrupt leaves the cache usable), their privilege separation
 * (run as root, a worker is not root, cannot open a file by path nor
 * fork, yet reads the root-only file the parent opened for it; a file
 * swapped for a link after the walk is refused; a missing secrets-user
 * refuses the scan), the JSON of the command and the secrets-* keys of
 * agent.conf. The documents are plain-text letters written here at run
 * time.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "lib/conf.h"
#include "secrets/scan.h"

static char dir[256];

/* An official letter with its secrecy stamp on the second line. */
static const char letter_fmt[] =
    "ỦY BAN NHÂN DÂN PHƯỜNG THÁI HÒA\n"
    "%s\n"
    "Số: 123/UBND-CA\n"
    "BÁO CÁO\n"
    "Về công tác bảo đảm an ninh trật tự quý I năm 2026\n"
    "Thực hiện kế hoạch của Công an phường, Ủy ban nhân dân phường báo "
    "cáo kết quả như sau.\n";

/* Talks about passwords and secrecy without being classified. */
static const char decoy[] =
    "ỦY BAN NHÂN DÂN PHƯỜNG THÁI HÒA\n"
    "HƯỚNG DẪN\n"
    "Về việc đặt mật khẩu và bảo mật tài khoản thư điện tử\n"
    "Mật khẩu phải có ít nhất 12 ký tự; không dùng chung mật khẩu.\n";

static void
put(const char *rel, const char *text)
{
	char path[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (p = path + strlen(dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
put_letter(const char *rel, const char *degree)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), letter_fmt, degree);
	put(rel, buf);
}

static char *
at(const char *rel)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return path;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/cg-test-scan-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Scans dir/sub with the options given. */
static void
scan(struct scan_opts *o, const char *sub, struct scan_result *r)
{
	char err[1024];
	const char *roots[1];
	char root[512];

	snprintf(root, sizeof(root), "%s/%s", dir, sub);
	roots[0] = root;
	o->roots = roots;
	o->nroots = 1;
	o->no_nice = true;
	if (scan_run(o, r, err, sizeof(err)) != 0)
		fail_msg("scan_run: %s", err);
}

static const struct scan_item *
item(const struct scan_result *r, const char *rel)
{
	size_t i;

	for (i = 0; i < r->nitems; i++)
		if (strcmp(r->items[i].path, at(rel)) == 0)
			return &r->items[i];
	return NULL;
}

static void
test_paths(void **state)
{
	char *p, cwd[512];

	(void)state;
	p = scan_abspath("/home//a/./b/../c/");
	assert_string_equal(p, "/home/a/c");
	free(p);
	p = scan_abspath("/..");
	assert_string_equal(p, "/");
	free(p);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	p = scan_abspath("x/y");
	assert_int_equal(strncmp(p, cwd, strlen(cwd)), 0);
	assert_string_equal(p + strlen(cwd), strcmp(cwd, "/") == 0 ? "x/y" :
	    "/x/y");
	free(p);
	assert_true(scan_candidate("/a/B.DOCX", "B.DOCX", false));
	assert_true(scan_candidate("/a/b.pdf", "b.pdf", false));
	assert_true(scan_candidate("/a/b.mbox", "b.mbox", false));
	assert_false(scan_candidate("/a/b.png", "b.png", false));
	assert_true(scan_candidate("/a/b.png", "b.png", true));
	assert_false(scan_candidate("/a/b.c", "b.c", false));
	assert_false(scan_candidate("/a/.docx", ".docx", false));
	assert_true(scan_candidate("/home/u/.thunderbird/x.default/Mail/"
	    "Local Folders/Inbox", "Inbox", false));
	assert_false(scan_candidate("/home/u/.thunderbird/x.default/Mail/"
	    "Local Folders/Inbox.msf", "Inbox.msf", false));
	assert_true(scan_candidate("/var/mail/ketoan", "ketoan", false));
	assert_false(scan_candidate("/var/mail/sub/ketoan", "ketoan", false));
	assert_string_equal(scan_degree_text(DOC_DEGREE_TOI_MAT, true),
	    "Secret");
	assert_string_equal(scan_degree_text(DOC_DEGREE_TUYET_MAT, false),
	    "TUYỆT MẬT");
	assert_string_equal(scan_degree_code(DOC_DEGREE_MAT), "mat");
	p = scan_text("a\xff" "b", 3);
	assert_string_equal(p, "a\xEF\xBF\xBD" "b");
	free(p);
}

static void
test_walk(void **state)
{
	struct scan_opts o;
	struct scan_result r;
	const struct scan_item *it;
	char outside[512];

	(void)state;
	put_letter("walk/a/mat.txt", "MẬT");
	put_letter("walk/a/B/TOI.TXT", "TỐI MẬT");
	put_letter("walk/tuyet.csv", "TUYỆT MẬT");
	put("walk/a/decoy.txt", decoy);
	/* skipped folders and names */
	put_letter("walk/.git/m.txt", "MẬT");
	put_letter("walk/node_modules/m.txt", "MẬT");
	put_letter("walk/u/.cache/m.txt", "MẬT");
	put_letter("walk/u/.local/share/Trash/files/m.txt", "MẬT");
	put_letter("walk/a/notes.md", "MẬT");		/* not a candidate */
	put_letter("walk/tmp/excluded.txt", "MẬT");	/* --exclude path */
	put_letter("walk/a/draft-x.txt", "MẬT");	/* --exclude name */
	/* links are never followed: to a file, to a folder outside */
	put_letter("outside/far.txt", "TUYỆT MẬT");
	snprintf(outside, sizeof(outside), "%s/outside", dir);
	assert_int_equal(symlink(outside, at("walk/link-dir")), 0);
	snprintf(outside, sizeof(outside), "%s/outside/far.txt", dir);
	assert_int_equal(symlink(outside, at("walk/link.txt")), 0);
	assert_int_equal(mkfifo(at("walk/a/pipe.txt"), 0600), 0);
	/* over --max-file */
	put("walk/big.txt", "MẬT\n");
	assert_int_equal(truncate(at("walk/big.txt"), 5000), 0);

	memset(&o, 0, sizeof(o));
	o.serve = scan_worker_serve;
	const char *ex[] = {"*/walk/tmp/*", "draft-*"};
	o.excludes = ex;
	o.nexcludes = 2;
	o.max_file = 4096;
	o.jobs = 2;
	scan(&o, "walk", &r);
	assert_true(r.complete);
	assert_int_equal(scan_count(&r, SCAN_FOUND), 3);
	it = item(&r, "walk/a/mat.txt");
	assert_non_null(it);
	assert_int_equal(it->kind, SCAN_FOUND);
	assert_int_equal(it->o.v.degree, DOC_DEGREE_MAT);
	assert_int_equal(it->o.v.page, 1);
	assert_string_equal(it->o.format, "txt");
	assert_int_equal(strlen(it->o.sha256), 64);
	it = item(&r, "walk/a/B/TOI.TXT");
	assert_non_null(it);
	assert_int_equal(it->o.v.degree, DOC_DEGREE_TOI_MAT);
	it = item(&r, "walk/tuyet.csv");
	assert_non_null(it);
	assert_int_equal(it->o.v.degree, DOC_DEGREE_TUYET_MAT);
	assert_string_equal(it->o.format, "csv");
	assert_null(item(&r, "walk/a/decoy.txt"));
	assert_null(item(&r, "walk/link.txt"));
	assert_null(item(&r, "walk/link-dir/far.txt"));
	it = item(&r, "walk/big.txt");
	assert_non_null(it);
	assert_int_equal(it->kind, SCAN_UNREADABLE);
	assert_int_equal(it->o.err, DOC_ERR_TOO_LARGE);
	/* mat, TOI, tuyet, decoy, big: the others never considered */
	assert_int_equal(r.stats.files, 5);
	assert_int_equal(r.stats.read, 4);
	assert_int_equal(r.stats.cached, 0);
	assert_true(r.stats.skipped >= 9);
	/* items are sorted by path */
	assert_true(strcmp(r.items[0].path, r.items[1].path) < 0);
	scan_result_free(&r);

	/* a file named as the root is read whatever its name */
	put_letter("walk/a/notes.md", "TỐI MẬT");
	memset(&o, 0, sizeof(o));
	o.serve = scan_worker_serve;
	scan(&o, "walk/a/notes.md", &r);
	assert_int_equal(scan_count(&r, SCAN_FOUND), 1);
	assert_int_equal(r.items[0].o.v.degree, DOC_DEGREE_TOI_MAT);
	scan_result_free(&r);
}

/* Rows of the cache file, by SQL. */
static long long
db_count(const char *db, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	long long n = -1;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return n;
}

static void
db_exec(const char *db, const char *sql)
{
	sqlite3 *h;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static void
test_cache(void **state)
{
	struct scan_opts o;
	struct scan_result r;
	const struct scan_item *it;
	struct timespec ts[2];
	struct stat st;
	char db[512], text[1024], sql[1024];

	(void)state;
	snprintf(db, sizeof(db), "%s/cache/secrets.db", dir);
	put_letter("c/one.txt", "MẬT");
	put_letter("c/two.txt", "TỐI MẬT");
	put("c/three.txt", decoy);
	put("c/gone.txt", decoy);
	memset(&o, 0, sizeof(o));
	o.serve = scan_worker_serve;
	o.cache = db;
	scan(&o, "c", &r);
	assert_int_equal(r.stats.files, 4);
	assert_int_equal(r.stats.read, 4);
	assert_int_equal(scan_count(&r, SCAN_FOUND), 2);
	scan_result_free(&r);
	assert_int_equal(db_count(db, "SELECT count(*) FROM files"), 4);

	/* warm: nothing read. one.txt now says nothing, with the same size
	 * and mtime: only a read would notice */
	assert_int_equal(stat(at("c/one.txt"), &st), 0);
	snprintf(text, sizeof(text), letter_fmt, "XẬT");
	put("c/one.txt", text);
	ts[0] = st.st_atim;
	ts[1] = st.st_mtim;
	assert_int_equal(utimensat(AT_FDCWD, at("c/one.txt"), ts, 0), 0);
	memset(&o, 0, sizeof(o));
	o.serve = scan_worker_serve;
	o.cache = db;
	scan(&o, "c", &r);
	assert_int_equal(r.stats.files, 4);
	assert_int_equal(r.stats.read, 0);
	assert_int_equal(r.stats.cached, 4);
	it = item(&r, "c/one.txt");
	assert_non_null(it);
	assert_true(it->cached);
	assert_int_equal(it->o.v.degree, DOC_DEGREE_MAT);
	assert_int_equal(strlen(it->o.sha256), 64);
	scan_result_free(&r);

	/* a new mtime: read again (and now it is not classified) */
	ts[1].tv_sec += 10;
	assert_int_equal(utimensat(AT_FDCWD, at("c/one.txt"), ts, 0), 0);
	/* a deleted file: its row goes at the end of the complete scan */
	assert_int_equal(unlink(at("c/gone.txt")), 0);
	memset(&o, 0, sizeof(o));
	o.serve = scan_worker_serve;
	o.cache = db;
	scan(&o, "c", &r);
	assert_int_equal(r.stats.files, 3);
	assert_int_equal(r.stats.read, 1);
	assert_int_equal(r.stats.cached, 2);
	assert_null(item(&r, "c/one.txt"));
	assert_int_equal(scan_count(&r, SCAN_FOUND), 1);
	scan_result_free(&r);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM files WHERE path = "
	    "CAST('%s' AS BLOB)", at("c/gone.txt"));
	assert_int_equal(db_count(db, sql), 0);
	assert_int_equal(db_count(db, "SELECT count(*) FROM files"), 3);

	/* rows of an older finder version are read again */
	db_exec(db, "UPDATE files SET version = version - 1");
	memset(&o, 0, sizeof(o));
	o.serve = scan_worker_serve;
	o.cache = db;
	scan(&o, "c", &r);
	assert_int_equal(r.stats.read, 3);
	assert_int_equal(r.stats.cached, 0);
	scan_result_free(&r);

	/* the last scan is kept for the audit */
	json_t *last = NULL;
	char err[512];

	assert_int_equal(scan_cache_load_last(db, &last, err, sizeof(err)), 0);
	assert_int_equal(json_array_size(json_object_get(last, "documents")),
	    1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(last, "documents"), 0), "degree")), "toi-mat");
	assert_true(json_is_true(json_object_get(last, "complete")));
	json_decref(last);
	snprintf(db, sizeof(db), "%s/none.db", dir);
	assert_int_equal(scan_cache_load_last(db, &last, err, sizeof(err)), 1);
}

/* The cache's own rules: a file read without --ocr whose scans were not
 * read is read again with --ocr; a timeout again with a longer limit. */
static void
test_cache_rules(void **state)
{
	struct scan_cache *c;
	struct scan_outcome o, got;
	struct stat st;
	char db[512], err[512];

	(void)state;
	snprintf(db, sizeof(db), "%s/rules.db", dir);
	put("rules.txt", "x");
	assert_int_equal(stat(at("rules.txt"), &st), 0);
	assert_int_equal(scan_cache_open(db, &c, err, sizeof(err)), 0);
	assert_int_equal(scan_cache_begin(c, err, sizeof(err)), 0);
	memset(&o, 0, sizeof(o));
	o.scan_unread = true;
	o.limit = 30;
	assert_int_equal(scan_cache_put(c, "/x/scan.pdf", &st, &o), 0);
	assert_true(scan_cache_get(c, "/x/scan.pdf", &st, false, 30, &got));
	assert_true(got.scan_unread);
	assert_false(scan_cache_get(c, "/x/scan.pdf", &st, true, 120, &got));
	memset(&o, 0, sizeof(o));
	o.err = DOC_ERR_TIMEOUT;
	o.limit = 30;
	snprintf(o.detail, sizeof(o.detail), "30 s");
	assert_int_equal(scan_cache_put(c, "/x/slow.pdf", &st, &o), 0);
	assert_true(scan_cache_get(c, "/x/slow.pdf", &st, false, 30, &got));
	assert_int_equal(got.err, DOC_ERR_TIMEOUT);
	assert_string_equal(got.detail, "30 s");
	assert_false(scan_cache_get(c, "/x/slow.pdf", &st, false, 120, &got));
	/* another key: another file */
	st.st_size++;
	assert_false(scan_cache_get(c, "/x/scan.pdf", &st, false, 30, &got));
	/* changed while read: not kept */
	memset(&o, 0, sizeof(o));
	o.changed = true;
	assert_int_equal(scan_cache_put(c, "/x/moving.txt", &st, &o), 0);
	assert_false(scan_cache_get(c, "/x/moving.txt", &st, false, 30, &got));
	scan_cache_close(c);
}

/* Worker hooks: "slow" sleeps past any limit, "crash" dies (abort:
 * AddressSanitizer leaves SIGABRT alone, so the death is plain). */
static void
hook(const char *path)
{
	if (strstr(path, "slow") != NULL)
		sleep(20);
	if (strstr(path, "crash") != NULL)
		abort();
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
test_workers(void **state)
{
	struct scan_opts o;
	struct scan_result r;
	const struct scan_item *it;
	double t;

	(void)state;
	put_letter("w/a-slow.txt", "MẬT");
	put_letter("w/b-crash.txt", "MẬT");
	put_letter("w/c.txt", "TUYỆT MẬT");
	put_letter("w/d.txt", "MẬT");
	scan_worker_hook = hook;
	memset(&o, 0, sizeof(o));
	o.serve = scan_worker_serve;
	o.seconds = 1;
	o.jobs = 1;
	t = now();
	scan(&o, "w", &r);
	t = now() - t;
	scan_worker_hook = NULL;
	assert_true(t < 10);
	assert_true(r.complete);
	it = item(&r, "w/a-slow.txt");
	assert_non_null(it);
	assert_int_equal(it->kind, SCAN_UNREADABLE);
	assert_int_equal(it->o.err, DOC_ERR_TIMEOUT);
	it = item(&r, "w/b-crash.txt");
	assert_non_null(it);
	assert_int_equal(it->kind, SCAN_UNREADABLE);
	assert_int_equal(it->o.err, DOC_ERR_CORRUPT);
	assert_non_null(strstr(it->o.detail, "worker"));
	it = item(&r, "w/c.txt");
	assert_non_null(it);
	assert_int_equal(it->o.v.degree, DOC_DEGREE_TUYET_MAT);
	it = item(&r, "w/d.txt");
	assert_non_null(it);
	assert_int_equal(it->o.v.degree, DOC_DEGREE_MAT);
	assert_int_equal(r.stats.read, 4);
	scan_result_free(&r);
}

/* Whether the test runs as root (then the workers must not). */
static bool as_root;

/* In the worker: abort (the file is then "corrupt") when it is not
 * locked down. "euid": not root, no new privileges, not dumpable, few
 * descriptors. "byname": opening the file by its path is refused (root:
 * the file is root's only). "fork": forking is refused (root). */
static void
hook_priv(const char *path)
{
	struct rlimit rl;
	pid_t pid;
	int fd;

	if (strstr(path, "euid") != NULL && ((as_root && (geteuid() == 0 ||
	    getuid() == 0 || getegid() == 0 || setuid(0) == 0)) ||
	    prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1 ||
	    prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0 ||
	    getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_max > 64))
		abort();
	if (strstr(path, "byname") != NULL) {
		fd = open(path, O_RDONLY);
		if (as_root && (fd != -1 || errno != EACCES))
			abort();
		if (fd != -1)
			close(fd);
	}
	if (strstr(path, "fork") != NULL) {
		if ((pid = fork()) == 0)
			_exit(0);
		if (pid > 0)
			waitpid(pid, NULL, 0);
		if (as_root && pid != -1)
			abort();
	}
}

static void
test_privsep(void **state)
{
	struct scan_opts o;
	struct scan_result r;
	const struct scan_item *it;
	const char *roots[1];
	char err[1024];
	const char *names[] = {"p/euid.txt", "p/byname.txt", "p/fork.txt"};
	size_t i;

	(void)state;
	as_root = geteuid() == 0;
	for (i = 0; i < 3; i++) {
		put_letter(names[i], "TỐI MẬT");
		assert_int_equal(chmod(at(names[i]), 0600), 0);
	}
	scan_worker_hook = hook_priv;
	memset(&o, 0, sizeof(o));
	o.serve = scan_worker_serve;
	o.jobs = 2;
	scan(&o, "p", &r);
	scan_worker_hook = NULL;
	assert_true(r.complete);
	for (i = 0; i < 3; i++) {
		it = item(&r, names[i]);
		assert_non_null(it);
		if (it->kind != SCAN_FOUND)
			fail_msg("%s: %s (%s)", names[i],
			    doc_err_code(it->o.err), it->o.detail);
		assert_int_equal(it->o.v.degree, DOC_DEGREE_TOI_MAT);
		assert_int_equal(strlen(it->o.sha256), 64);
	}
	scan_result_free(&r);

	/* run as root, a user that does not exist (or root) refuses the
	 * scan; others keep their own user and scan */
	roots[0] = at("p");
	memset(&o, 0, sizeof(o));
	o.serve = scan_worker_serve;
	o.roots = roots;
	o.nroots = 1;
	o.no_nice = true;
	o.user = "cg-no-such-user";
	if (as_root) {
		assert_int_equal(scan_run(&o, &r, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "“cg-no-such-user”: no such user"));
		assert_non_null(strstr(err, "không có người dùng"));
		scan_result_free(&r);
		o.user = "root";
		assert_int_equal(scan_run(&o, &r, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "is root"));
	} else {
		assert_int_equal(scan_run(&o, &r, err, sizeof(err)), 0);
		assert_int_equal(scan_count(&r, SCAN_FOUND), 3);
	}
	scan_result_free(&r);
}

/* In the parent, between the walk and the open: "swap-link" becomes a
 * link to a classified letter, "swap-file" another file. */
static void
hook_swap(const char *path)
{
	if (strstr(path, "swap-link") != NULL) {
		assert_int_equal(unlink(path), 0);
		assert_int_equal(symlink(at("s-far/far.txt"), path), 0);
	} else if (strstr(path, "swap-file") != NULL) {
		assert_int_equal(rename(at("s-far/other.txt"), path), 0);
	}
}

static void
test_swap(void **state)
{
	struct scan_opts o;
	struct scan_result r;
	const struct scan_item *it;
	char want[256];

	(void)state;
	put_letter("s-far/far.txt", "TUYỆT MẬT");
	put_letter("s-far/other.txt", "TUYỆT MẬT");
	put("s/swap-link.txt", decoy);
	put("s/swap-file.txt", decoy);
	put_letter("s/plain.txt", "MẬT");
	scan_open_hook = hook_swap;
	memset(&o, 0, sizeof(o));
	o.serve = scan_worker_serve;
	scan(&o, "s", &r);
	scan_open_hook = NULL;
	assert_int_equal(scan_count(&r, SCAN_FOUND), 1);
	assert_int_equal(item(&r, "s/plain.txt")->o.v.degree, DOC_DEGREE_MAT);
	it = item(&r, "s/swap-link.txt");
	assert_non_null(it);
	assert_int_equal(it->kind, SCAN_UNREADABLE);
	assert_int_equal(it->o.err, DOC_ERR_IO);
	snprintf(want, sizeof(want), "open: %s", strerror(ELOOP));
	assert_string_equal(it->o.detail, want);
	it = item(&r, "s/swap-file.txt");
	assert_non_null(it);
	assert_int_equal(it->kind, SCAN_UNREADABLE);
	assert_int_equal(it->o.err, DOC_ERR_IO);
	assert_string_equal(it->o.detail, "replaced while the scan ran");
	assert_true(it->o.changed);
	scan_result_free(&r);
}

static volatile sig_atomic_t stop_flag;

static void
on_alarm(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* An interrupt ends the scan soon, incomplete, and leaves the cache
 * whole: what was read stays, nothing is pruned. */
static void
test_interrupt(void **state)
{
	struct scan_opts o;
	struct scan_result r;
	struct sigaction sa;
	struct itimerval it;
	char db[512];
	double t;

	(void)state;
	snprintf(db, sizeof(db), "%s/int.db", dir);
	put_letter("i/a.txt", "MẬT");
	put_letter("i/z-slow.txt", "MẬT");
	memset(&o, 0, sizeof(o));
	o.serve = scan_worker_serve;
	o.cache = db;
	scan(&o, "i", &r);	/* the first time without the hook */
	assert_int_equal(scan_count(&r, SCAN_FOUND), 2);
	scan_result_free(&r);
	/* now both are read again (mtime changed), and the slow one hangs */
	put_letter("i/a.txt", "TỐI MẬT");
	put_letter("i/z-slow.txt", "TỐI MẬT");
	utimes(at("i/a.txt"), NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 800000;
	stop_flag = 0;
	scan_worker_hook = hook;
	memset(&o, 0, sizeof(o));
	o.serve = scan_worker_serve;
	o.cache = db;
	o.stop = &stop_flag;
	setitimer(ITIMER_REAL, &it, NULL);
	t = now();
	scan(&o, "i", &r);
	t = now() - t;
	scan_worker_hook = NULL;
	signal(SIGALRM, SIG_DFL);
	assert_true(t < 5);
	assert_false(r.complete);
	scan_result_free(&r);
	assert_int_equal(db_count(db, "SELECT count(*) FROM files"), 2);
	assert_int_equal(db_count(db, "SELECT count(*) FROM last_scan WHERE "
	    "json LIKE '%\"complete\":false%'"), 1);
	/* the next scan reads what the interrupted one did not */
	memset(&o, 0, sizeof(o));
	o.serve = scan_worker_serve;
	o.cache = db;
	scan(&o, "i", &r);
	assert_true(r.complete);
	assert_int_equal(scan_count(&r, SCAN_FOUND), 2);
	assert_int_equal(item(&r, "i/z-slow.txt")->o.v.degree,
	    DOC_DEGREE_TOI_MAT);
	scan_result_free(&r);
}

static void
test_json(void **state)
{
	struct scan_opts o;
	struct scan_result r;
	json_t *j, *d, *b, *st;

	(void)state;
	put_letter("j/m.txt", "TUYỆT MẬT");
	put("j/big.txt", decoy);
	assert_int_equal(truncate(at("j/big.txt"), 9000), 0);
	memset(&o, 0, sizeof(o));
	o.serve = scan_worker_serve;
	o.max_file = 8192;
	scan(&o, "j", &r);
	j = scan_result_json(&r, 0);
	assert_int_equal(json_integer_value(json_object_get(j, "schema")), 1);
	assert_int_equal(strlen(json_string_value(json_object_get(j,
	    "scanned_at"))), 20);
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    j, "roots"), 0)), at("j"));
	assert_true(json_is_false(json_object_get(j, "ocr")));
	assert_int_equal(json_array_size(json_object_get(j, "documents")), 1);
	d = json_array_get(json_object_get(j, "documents"), 0);
	assert_string_equal(json_string_value(json_object_get(d, "path")),
	    at("j/m.txt"));
	assert_string_equal(json_string_value(json_object_get(d, "degree")),
	    "tuyet-mat");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    d, "degree_text"), "en")), "Top Secret");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    d, "degree_text"), "vi")), "TUYỆT MẬT");
	assert_true(json_is_integer(json_object_get(d, "confidence")));
	assert_true(json_is_string(json_object_get(d, "rule")));
	assert_true(json_is_string(json_object_get(d, "marking")));
	assert_true(json_is_string(json_object_get(d, "evidence")));
	assert_true(json_is_string(json_object_get(d, "part")));
	assert_int_equal(json_integer_value(json_object_get(d, "page")), 1);
	assert_true(json_is_string(json_object_get(d, "encoding")));
	assert_string_equal(json_string_value(json_object_get(d, "format")),
	    "txt");
	assert_int_equal(json_integer_value(json_object_get(d, "size")),
	    (json_int_t)r.items[1].size);
	assert_int_equal(strlen(json_string_value(json_object_get(d,
	    "mtime"))), 20);
	assert_int_equal(strlen(json_string_value(json_object_get(d,
	    "sha256"))), 64);
	assert_true(json_is_false(json_object_get(d, "ocr")));
	b = json_array_get(json_object_get(j, "unreadable"), 0);
	assert_string_equal(json_string_value(json_object_get(b, "path")),
	    at("j/big.txt"));
	assert_string_equal(json_string_value(json_object_get(b, "code")),
	    "too-large");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    b, "reason"), "en")), doc_err_text(DOC_ERR_TOO_LARGE, true));
	assert_true(json_is_string(json_object_get(b, "detail")));
	assert_int_equal(json_array_size(json_object_get(j, "scanned_only")),
	    0);
	st = json_object_get(j, "stats");
	assert_int_equal(json_integer_value(json_object_get(st, "files")), 2);
	assert_int_equal(json_integer_value(json_object_get(st, "read")), 1);
	assert_int_equal(json_integer_value(json_object_get(st, "cached")), 0);
	assert_int_equal(json_integer_value(json_object_get(st, "bytes")),
	    (json_int_t)(r.items[1].size + 9000));
	assert_true(json_is_integer(json_object_get(st, "skipped")));
	assert_true(json_is_real(json_object_get(st, "seconds")));
	assert_true(json_is_real(json_object_get(st, "mb_per_s")));
	assert_true(json_is_real(json_object_get(st, "files_per_s")));
	json_decref(j);
	scan_result_free(&r);
}

static void
test_conf(void **state)
{
	static const char good[] =
	    "secrets-paths /home /data\n"
	    "secrets-paths /srv\n"
	    "secrets-interval 12h\n"
	    "secrets-ocr yes\n"
	    "secrets-max-rate 5\n"
	    "secrets-exclude \"*.tmp\" \"/home/*/VirtualBox VMs\"\n"
	    "secrets-user canhgac-scan\n";
	struct secrets_conf sc;
	struct conf *c;
	char err[1024];

	(void)state;
	assert_int_equal(secrets_conf_parse(NULL, &sc, err, sizeof(err)), 0);
	assert_int_equal(sc.interval, 86400);
	assert_false(sc.ocr);
	assert_true(sc.max_rate > 19e6 && sc.max_rate < 21e6);
	assert_string_equal(sc.paths[0], "/home");
	assert_int_equal(sc.nexcludes, 0);
	assert_null(sc.user);
	secrets_conf_free(&sc);
	c = conf_parse(good, strlen(good), "agent.conf", err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(secrets_conf_parse(c, &sc, err, sizeof(err)), 0);
	assert_int_equal(sc.npaths, 3);
	assert_string_equal(sc.paths[2], "/srv");
	assert_int_equal(sc.interval, 12 * 3600);
	assert_true(sc.ocr);
	assert_true(sc.max_rate > 4.9e6 && sc.max_rate < 5.1e6);
	assert_int_equal(sc.nexcludes, 2);
	assert_string_equal(sc.excludes[1], "/home/*/VirtualBox VMs");
	assert_string_equal(sc.user, "canhgac-scan");
	secrets_conf_free(&sc);
	conf_free(c);
	c = conf_parse("secrets-interval 1m\n", 20, "agent.conf", err,
	    sizeof(err));
	assert_non_null(c);
	assert_int_equal(secrets_conf_parse(c, &sc, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "agent.conf:1:"));
	conf_free(c);
	c = conf_parse("secrets-ocr maybe\n", 18, "agent.conf", err,
	    sizeof(err));
	assert_non_null(c);
	assert_int_equal(secrets_conf_parse(c, &sc, err, sizeof(err)), -1);
	conf_free(c);
	/* the workers' user: a name, never root */
	c = conf_parse("secrets-user root\n", 18, "agent.conf", err,
	    sizeof(err));
	assert_non_null(c);
	assert_int_equal(secrets_conf_parse(c, &sc, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "agent.conf:1:"));
	assert_non_null(strstr(err, "unprivileged user"));
	conf_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_cache_rules),
		cmocka_unit_test(test_workers),
		cmocka_unit_test(test_privsep),
		cmocka_unit_test(test_swap),
		cmocka_unit_test(test_interrupt),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_conf),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
