/*
 * scan.c — the finder's walk (scan.h): every root given, never following
 * a symbolic link nor leaving the root's file system, passing over system
 * folders, caches and version-control folders, taking as candidates the
 * files whose name says they are documents; answering each from the cache
 * when its key did not change, else handing it to a worker; and the
 * results, in memory and as the JSON of `canhgac-agent secrets`. Run as
 * root, it names the unprivileged user the workers drop to, or refuses.
 * docs/secrets-scan.md says what is skipped and why.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/json.h"
#include "lib/prog.h"
#include "lib/text.h"
#include "secrets/scan.h"

/* Folders of the system: programs, libraries, settings, logs; nothing
 * staff save documents into. Skipped below a root, never as the root. */
static const char *const scan_system_dirs[] = {
	"/proc", "/sys", "/dev", "/run", "/boot", "/usr", "/lib", "/lib32",
	"/lib64", "/libx32", "/bin", "/sbin", "/etc", "/opt", "/snap",
	"/var/lib", "/var/cache", "/var/log", "/var/backups", "/lost+found",
	NULL,
};

/* Folder names skipped anywhere: caches, version control, build trees. */
static const char *const scan_skip_names[] = {
	".git", ".hg", ".svn", "node_modules", ".cache", "__pycache__",
	".npm", ".cargo", ".rustup", ".gradle", ".m2", ".venv", NULL,
};

/* Folder path endings skipped anywhere. */
static const char *const scan_skip_suffixes[] = {
	"/.local/share/Trash", NULL,
};

static const char *const scan_exts[] = {
	"txt", "csv", "doc", "dot", "docx", "docm", "dotx", "dotm", "xls",
	"xlt", "xlsx", "xlsm", "ppt", "pps", "pptx", "ppsx", "odt", "ods",
	"odp", "rtf", "pdf", "eml", "mbox", "mbx", "msg", "zip", NULL,
};

static const char *const scan_ocr_exts[] = {
	"png", "jpg", "jpeg", "tif", "tiff", NULL,
};

struct scan_pending {
	uint64_t seq;
	char *path;
	struct stat st;
};

struct scan {
	const struct scan_opts *o;
	struct scan_result *r;
	struct scan_cache *cache;
	struct scan_pool *pool;
	struct scan_pending pend[SCAN_MAX_JOBS];
	uint64_t seq;
	long long max_file;
	double seconds;
	dev_t root_dev;
	bool root_complete;
	double start;
	long long rate_bytes;
	bool drop;		/* root: workers drop to uid, gid */
	uid_t uid;
	gid_t gid;
	bool failed;		/* workers cannot drop: the scan stops */
	char docread[PATH_MAX];	/* canhgac-docread, as found */
	char err[512];
};

static bool
scan_stopped(const struct scan *s)
{
	return s->failed || (s->o->stop != NULL && *s->o->stop);
}

/* --- names and paths ----------------------------------------------------- */

char *
scan_text(const char *s, size_t len)
{
	char *t = malloc(len * 3 + 1), *p;
	size_t i = 0, n;

	if (t == NULL)
		return NULL;
	p = t;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) ==
		    0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
		if (c != 0 && n > 0 && i + n <= len &&
		    text_valid_utf8(s + i, n)) {
			memcpy(p, s + i, n);
			p += n;
			i += n;
		} else {
			memcpy(p, "\xEF\xBF\xBD", 3);	/* U+FFFD */
			p += 3;
			i++;
		}
	}
	*p = '\0';
	return t;
}

char *
scan_abspath(const char *path)
{
	char cwd[PATH_MAX], *buf, *out, *seg, *save = NULL;
	size_t n, len = 0;

	if (path == NULL || *path == '\0')
		return NULL;
	if (path[0] == '/')
		buf = strdup(path);
	else if (getcwd(cwd, sizeof(cwd)) == NULL)
		return NULL;
	else
		buf = text_printf("%s/%s", cwd, path);
	if (buf == NULL || (out = malloc(strlen(buf) + 2)) == NULL) {
		free(buf);
		return NULL;
	}
	out[0] = '\0';
	for (seg = strtok_r(buf, "/", &save); seg != NULL;
	    seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
			out[len] = '\0';
			continue;
		}
		n = strlen(seg);
		out[len++] = '/';
		memcpy(out + len, seg, n);
		len += n;
		out[len] = '\0';
	}
	if (len == 0)
		strcpy(out, "/");
	free(buf);
	return out;
}

static bool
scan_ext_in(const char *name, const char *const *list)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	if (dot == NULL || dot == name)
		return false;
	for (i = 0; list[i] != NULL; i++)
		if (strcasecmp(dot + 1, list[i]) == 0)
			return true;
	return false;
}

/* Mailboxes without an extension: Thunderbird's folders and the system
 * mail spool. */
static bool
scan_mailbox(const char *path, const char *name)
{
	size_t plen = strlen(path), nlen = strlen(name);

	if (strchr(name, '.') != NULL)
		return false;
	if ((strstr(path, "/.thunderbird/") != NULL ||
	    strstr(path, "/.icedove/") != NULL) &&
	    (strstr(path, "/Mail/") != NULL ||
	    strstr(path, "/ImapMail/") != NULL))
		return true;
	return plen > nlen && (strncmp(path, "/var/mail/", plen - nlen) ==
	    0 || strncmp(path, "/var/spool/mail/", plen - nlen) == 0) &&
	    (plen - nlen == strlen("/var/mail/") ||
	    plen - nlen == strlen("/var/spool/mail/"));
}

bool
scan_candidate(const char *path, const char *name, bool ocr)
{
	return scan_ext_in(name, scan_exts) || (ocr && scan_ext_in(name,
	    scan_ocr_exts)) || scan_mailbox(path, name);
}

static bool
scan_skip_dir(const char *path, const char *name)
{
	size_t i, plen = strlen(path), n;

	for (i = 0; scan_system_dirs[i] != NULL; i++)
		if (strcmp(path, scan_system_dirs[i]) == 0)
			return true;
	for (i = 0; scan_skip_names[i] != NULL; i++)
		if (strcmp(name, scan_skip_names[i]) == 0)
			return true;
	for (i = 0; scan_skip_suffixes[i] != NULL; i++) {
		n = strlen(scan_skip_suffixes[i]);
		if (plen >= n && strcmp(path + plen - n,
		    scan_skip_suffixes[i]) == 0)
			return true;
	}
	return false;
}

static bool
scan_excluded(const struct scan *s, const char *path, const char *name)
{
	size_t i;
	const char *g;

	for (i = 0; i < s->o->nexcludes; i++) {
		g = s->o->excludes[i];
		if (strchr(g, '/') != NULL ? fnmatch(g, path, 0) == 0 :
		    fnmatch(g, name, 0) == 0)
			return true;
	}
	return false;
}

/* --- results ------------------------------------------------------------- */

static int
scan_add(struct scan *s, const char *path, const struct stat *st,
    const struct scan_outcome *o, bool cached)
{
	struct scan_result *r = s->r;
	struct scan_item *it, *n;
	enum scan_kind k;

	if (o->v.degree != DOC_DEGREE_NONE)
		k = SCAN_FOUND;
	else if (o->err != DOC_OK)
		k = SCAN_UNREADABLE;
	else if (o->scan_unread && !o->ocr)
		k = SCAN_SCANNED_ONLY;
	else
		return 0;
	if (r->nitems == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;

		if ((n = realloc(r->items, cap * sizeof(*n))) == NULL)
			return -1;
		r->items = n;
		r->cap = cap;
	}
	it = &r->items[r->nitems];
	memset(it, 0, sizeof(*it));
	if ((it->path = strdup(path)) == NULL)
		return -1;
	it->kind = k;
	it->o = *o;
	it->size = (long long)st->st_size;
	it->mtime = (long long)st->st_mtim.tv_sec;
	it->cached = cached;
	r->nitems++;
	return 0;
}

size_t
scan_count(const struct scan_result *r, enum scan_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < r->nitems; i++)
		n += r->items[i].kind == k;
	return n;
}

void
scan_result_free(struct scan_result *r)
{
	size_t i;

	for (i = 0; i < r->nitems; i++)
		free(r->items[i].path);
	free(r->items);
	for (i = 0; i < r->nroots; i++)
		free(r->roots[i]);
	free(r->roots);
	memset(r, 0, sizeof(*r));
}

const char *
scan_degree_code(enum doc_degree g)
{
	switch (g) {
	case DOC_DEGREE_MAT: return "mat";
	case DOC_DEGREE_TOI_MAT: return "toi-mat";
	case DOC_DEGREE_TUYET_MAT: return "tuyet-mat";
	case DOC_DEGREE_NONE: break;
	}
	return "";
}

const char *
scan_degree_text(enum doc_degree g, bool en)
{
	switch (g) {
	case DOC_DEGREE_MAT: return en ? "Confidential" : "MẬT";
	case DOC_DEGREE_TOI_MAT: return en ? "Secret" : "TỐI MẬT";
	case DOC_DEGREE_TUYET_MAT: return en ? "Top Secret" : "TUYỆT MẬT";
	case DOC_DEGREE_NONE: break;
	}
	return "";
}

static void
scan_json_str(json_t *o, const char *key, const char *s)
{
	char *t = scan_text(s, strlen(s));

	json_object_set_new(o, key, json_string(t != NULL ? t : ""));
	free(t);
}

static json_t *
scan_json_doc(const struct scan_item *it)
{
	json_t *d = json_object();
	char t[32];

	scan_json_str(d, "path", it->path);
	json_set_str(d, "degree", scan_degree_code(it->o.v.degree));
	json_object_set_new(d, "degree_text", json_pack("{s:s, s:s}", "vi",
	    scan_degree_text(it->o.v.degree, false), "en",
	    scan_degree_text(it->o.v.degree, true)));
	json_set_int(d, "confidence", it->o.v.confidence);
	scan_json_str(d, "rule", it->o.v.rule);
	scan_json_str(d, "marking", it->o.v.marking);
	scan_json_str(d, "evidence", it->o.v.evidence);
	scan_json_str(d, "part", it->o.v.part);
	json_set_int(d, "page", it->o.v.page);
	scan_json_str(d, "encoding", it->o.v.encoding);
	scan_json_str(d, "format", it->o.format);
	json_set_int(d, "size", it->size);
	json_time(it->mtime, t, sizeof(t));
	json_set_str(d, "mtime", t);
	scan_json_str(d, "sha256", it->o.sha256);
	json_set_bool(d, "ocr", it->o.ocr_used);
	return d;
}

static json_t *
scan_json_bad(const struct scan_item *it)
{
	json_t *d = json_object();

	scan_json_str(d, "path", it->path);
	json_set_str(d, "code", doc_err_code(it->o.err));
	json_object_set_new(d, "reason", json_pack("{s:s, s:s}", "vi",
	    doc_err_text(it->o.err, false), "en", doc_err_text(it->o.err,
	    true)));
	scan_json_str(d, "detail", it->o.detail);
	return d;
}

json_t *
scan_result_json(const struct scan_result *r, size_t max_list)
{
	json_t *doc = json_object(), *roots = json_array(), *docs =
	    json_array(), *bad = json_array(), *only = json_array(), *st;
	size_t i, nbad = 0, nonly = 0;
	char t[32];
	double secs = r->stats.seconds > 1e-6 ? r->stats.seconds : 1e-6;

	json_set_int(doc, "schema", 1);
	json_time(r->scanned_at, t, sizeof(t));
	json_set_str(doc, "scanned_at", t);
	for (i = 0; i < r->nroots; i++) {
		char *p = scan_text(r->roots[i], strlen(r->roots[i]));

		json_append_str(roots, p != NULL ? p : "");
		free(p);
	}
	json_object_set_new(doc, "roots", roots);
	json_set_bool(doc, "ocr", r->ocr);
	json_set_bool(doc, "complete", r->complete);
	for (i = 0; i < r->nitems; i++) {
		const struct scan_item *it = &r->items[i];

		if (it->kind == SCAN_FOUND)
			json_array_append_new(docs, scan_json_doc(it));
		else if (it->kind == SCAN_UNREADABLE && (max_list == 0 ||
		    nbad++ < max_list))
			json_array_append_new(bad, scan_json_bad(it));
		else if (it->kind == SCAN_SCANNED_ONLY && (max_list == 0 ||
		    nonly++ < max_list)) {
			json_t *o = json_object();

			scan_json_str(o, "path", it->path);
			json_array_append_new(only, o);
		}
	}
	json_object_set_new(doc, "documents", docs);
	json_object_set_new(doc, "unreadable", bad);
	json_object_set_new(doc, "scanned_only", only);
	st = json_object();
	json_set_int(st, "files", r->stats.files);
	json_set_int(st, "bytes", r->stats.bytes);
	json_set_int(st, "read", r->stats.read);
	json_set_int(st, "cached", r->stats.cached);
	json_set_int(st, "skipped", r->stats.skipped);
	json_object_set_new(st, "seconds", json_real(r->stats.seconds));
	json_object_set_new(st, "mb_per_s", json_real((double)r->stats.bytes /
	    1e6 / secs));
	json_object_set_new(st, "files_per_s", json_real(
	    (double)r->stats.files / secs));
	json_set_int(st, "unreadable", (long long)scan_count(r,
	    SCAN_UNREADABLE));
	json_set_int(st, "scanned_only", (long long)scan_count(r,
	    SCAN_SCANNED_ONLY));
	json_object_set_new(doc, "stats", st);
	return doc;
}

/* --- files --------------------------------------------------------------- */

static struct scan_pending *
scan_pending_find(struct scan *s, uint64_t seq)
{
	size_t i;

	for (i = 0; i < SCAN_MAX_JOBS; i++)
		if (s->pend[i].path != NULL && s->pend[i].seq == seq)
			return &s->pend[i];
	return NULL;
}

/* A worker's answer. */
static void
scan_done(void *arg, uint64_t seq, const struct scan_outcome *o)
{
	struct scan *s = arg;
	struct scan_pending *p = scan_pending_find(s, seq);

	if (p == NULL)
		return;
	s->r->stats.read++;
	if (s->cache != NULL)
		scan_cache_put(s->cache, p->path, &p->st, o);
	scan_add(s, p->path, &p->st, o, false);
	free(p->path);
	p->path = NULL;
}

static int
scan_pool_need(struct scan *s)
{
	struct scan_pool_conf pc;
	int rc;

	if (s->pool != NULL)
		return 0;
	memset(&pc, 0, sizeof(pc));
	pc.jobs = s->o->jobs;
	pc.ocr = s->o->ocr;
	pc.max_file = s->max_file;
	pc.seconds = s->seconds;
	/* the worker gives up at its deadline; the parent kills it a little
	 * later (an extractor stuck where it does not look at the clock) */
	pc.kill_after = s->seconds + (s->seconds < 10 ? 1.0 : s->seconds /
	    10);
	pc.drop = s->drop;
	pc.uid = s->uid;
	pc.gid = s->gid;
	pc.docread = s->o->docread != NULL ? s->o->docread :
	    s->docread[0] != '\0' ? s->docread : NULL;
	pc.serve = s->o->serve;
	pc.done = scan_done;
	pc.arg = s;
	if ((rc = scan_pool_start(&pc, &s->pool, s->err, sizeof(s->err))) ==
	    -2)
		s->failed = true;	/* never parse as root: stop */
	return rc;
}

/* --max-rate: sleep (reporting results) while reading ran ahead. */
static void
scan_budget(struct scan *s, long long bytes)
{
	double ahead;

	if (s->o->max_rate <= 0)
		return;
	s->rate_bytes += bytes;
	ahead = (double)s->rate_bytes / s->o->max_rate - (clk_now() -
	    s->start);
	if (ahead > 0.01)
		scan_pool_wait(s->pool, ahead, s->o->stop);
}

static void
scan_file(struct scan *s, const char *path, const struct stat *st)
{
	struct scan_outcome o;
	struct scan_job j;
	size_t i;

	s->r->stats.files++;
	s->r->stats.bytes += (long long)st->st_size;
	if ((long long)st->st_size > s->max_file) {
		memset(&o, 0, sizeof(o));
		o.err = DOC_ERR_TOO_LARGE;
		snprintf(o.detail, sizeof(o.detail), "%lld bytes > --max-file "
		    "%lld", (long long)st->st_size, s->max_file);
		scan_add(s, path, st, &o, false);
		return;
	}
	if (s->cache != NULL && scan_cache_get(s->cache, path, st, s->o->ocr,
	    s->seconds, &o)) {
		s->r->stats.cached++;
		scan_add(s, path, st, &o, true);
		return;
	}
	if (scan_pool_need(s) != 0) {
		if (s->failed)
			return;
		/* no worker can start: say so for this file, go on */
		memset(&o, 0, sizeof(o));
		o.err = DOC_ERR_NOMEM;
		snprintf(o.detail, sizeof(o.detail), "no worker");
		scan_add(s, path, st, &o, false);
		s->r->complete = false;
		return;
	}
	for (i = 0; i < SCAN_MAX_JOBS && s->pend[i].path != NULL; i++)
		;
	if (i == SCAN_MAX_JOBS || (s->pend[i].path = strdup(path)) == NULL)
		return;
	s->pend[i].seq = ++s->seq;
	s->pend[i].st = *st;
	j.seq = s->seq;
	j.path = path;
	j.st = *st;
	if (scan_pool_submit(s->pool, &j, s->o->stop) != 0) {
		free(s->pend[i].path);
		s->pend[i].path = NULL;
		return;
	}
	scan_budget(s, (long long)st->st_size);
}

/* --- the walk ------------------------------------------------------------ */

static void scan_dir(struct scan *s, int fd, char *path, size_t len,
    unsigned depth);

static void
scan_subdir(struct scan *s, int dirfd, const char *name, char *path,
    size_t len, unsigned depth)
{
	struct stat st;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
	    !S_ISDIR(st.st_mode)) {
		s->r->stats.skipped++;
		return;
	}
	if (depth >= SCAN_MAX_DEPTH || (!s->o->cross_fs &&
	    st.st_dev != s->root_dev) || scan_skip_dir(path, name) ||
	    scan_excluded(s, path, name)) {
		s->r->stats.skipped++;
		return;
	}
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC | O_NONBLOCK);
	if (fd == -1) {
		/* unreadable folder: keep what the cache knows below it */
		s->r->stats.skipped++;
		scan_cache_seen(s->cache, path);
		return;
	}
	scan_dir(s, fd, path, len, depth + 1);
}

static void
scan_entry(struct scan *s, DIR *d, const struct dirent *de, char *path,
    size_t len, unsigned depth)
{
	struct stat st;
	unsigned char type = de->d_type;

	if (type == DT_UNKNOWN) {
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) !=
		    0) {
			s->r->stats.skipped++;
			return;
		}
		type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ?
		    DT_REG : DT_LNK;
	}
	if (type == DT_DIR) {
		scan_subdir(s, dirfd(d), de->d_name, path, len, depth);
		return;
	}
	/* links, FIFOs, sockets, devices: never opened */
	if (type != DT_REG || !scan_candidate(path, de->d_name, s->o->ocr) ||
	    scan_excluded(s, path, de->d_name)) {
		s->r->stats.skipped++;
		return;
	}
	if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
	    !S_ISREG(st.st_mode)) {
		s->r->stats.skipped++;
		return;
	}
	scan_file(s, path, &st);
}

/* Walks the folder open as fd (taken over), whose path is path[0..len). */
static void
scan_dir(struct scan *s, int fd, char *path, size_t len, unsigned depth)
{
	struct dirent *de;
	DIR *d;
	size_t n, base;

	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		s->r->stats.skipped++;
		return;
	}
	while (!scan_stopped(s) && (errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		n = strlen(de->d_name);
		if (len + 1 + n >= PATH_MAX) {
			s->r->stats.skipped++;
			continue;
		}
		/* the root "/" is joined without a second slash */
		base = len == 1 && path[0] == '/' ? 0 : len;
		path[base] = '/';
		memcpy(path + base + 1, de->d_name, n + 1);
		scan_entry(s, d, de, path, base + 1 + n, depth);
		path[len] = '\0';
	}
	if (errno != 0 && !scan_stopped(s))
		s->root_complete = false;	/* readdir failed midway */
	closedir(d);
}

static void
scan_root(struct scan *s, const char *root)
{
	char *path = malloc(PATH_MAX);
	struct stat st;
	int fd;

	s->root_complete = true;
	if (path == NULL) {
		s->root_complete = false;
		return;
	}
	snprintf(path, PATH_MAX, "%s", root);
	/* the root was named by the user: links in it are followed */
	fd = open(root, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd == -1 || fstat(fd, &st) != 0) {
		if (fd != -1)
			close(fd);
		s->root_complete = false;
		free(path);
		return;
	}
	s->root_dev = st.st_dev;
	if (S_ISDIR(st.st_mode)) {
		scan_dir(s, fd, path, strlen(path), 0);
	} else {
		close(fd);
		if (S_ISREG(st.st_mode))
			scan_file(s, path, &st);
		else
			s->r->stats.skipped++;
	}
	free(path);
}

static int
scan_item_cmp(const void *a, const void *b)
{
	return strcmp(((const struct scan_item *)a)->path,
	    ((const struct scan_item *)b)->path);
}

static int
scan_roots(const struct scan_opts *o, struct scan_result *r, char *err,
    size_t errlen)
{
	struct stat st;
	size_t i;

	if (o->nroots == 0) {
		snprintf(err, errlen, "chưa chỉ ra thư mục hoặc tệp cần quét — "
		    "no folder or file to scan was given");
		return -1;
	}
	if ((r->roots = calloc(o->nroots, sizeof(*r->roots))) == NULL)
		return -1;
	for (i = 0; i < o->nroots; i++) {
		if ((r->roots[i] = scan_abspath(o->roots[i])) == NULL ||
		    strlen(r->roots[i]) >= PATH_MAX) {
			snprintf(err, errlen, "%s: đường dẫn không hợp lệ — "
			    "invalid path", o->roots[i]);
			free(r->roots[i]);
			return -1;
		}
		r->nroots++;
		if (stat(r->roots[i], &st) != 0) {
			int e = errno;

			snprintf(err, errlen, "%s: %s — %s", r->roots[i],
			    text_strerror_vi(e) != NULL ? text_strerror_vi(e) :
			    strerror(e), strerror(e));
			return -1;
		}
	}
	return 0;
}

/* Run as root, the workers drop to o->user: looked up now, before any
 * fork. A user that does not exist, or is root, refuses the scan rather
 * than have documents parsed as root. Others keep their own user. */
static int
scan_user(struct scan *s, char *err, size_t errlen)
{
	const char *name = s->o->user != NULL ? s->o->user :
	    SCAN_DEFAULT_USER;
	struct passwd *pw;

	if (geteuid() != 0)
		return 0;
	errno = 0;
	if ((pw = getpwnam(name)) == NULL) {
		snprintf(err, errlen, "secrets-user “%s”: không có người dùng "
		    "này nên không quét (không đọc tài liệu bằng quyền root) — "
		    "secrets-user “%s”: no such user, so no scan (documents "
		    "are never read as root)", name, name);
		return -1;
	}
	if (pw->pw_uid == 0 || pw->pw_gid == 0) {
		snprintf(err, errlen, "secrets-user “%s”: là root nên không "
		    "quét (không đọc tài liệu bằng quyền root) — secrets-user "
		    "“%s”: is root, so no scan (documents are never read as "
		    "root)", name, name);
		return -1;
	}
	s->drop = true;
	s->uid = pw->pw_uid;
	s->gid = pw->pw_gid;
	return 0;
}

int
scan_run(const struct scan_opts *o, struct scan_result *r, char *err,
    size_t errlen)
{
	struct scan s;
	bool *done;
	size_t i;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	memset(&s, 0, sizeof(s));
	s.o = o;
	s.r = r;
	s.start = clk_now();
	s.max_file = o->max_file > 0 ? o->max_file : SCAN_DEFAULT_MAX_FILE;
	s.seconds = o->seconds > 0 ? o->seconds : o->ocr ?
	    SCAN_DEFAULT_OCR_SECONDS : SCAN_DEFAULT_SECONDS;
	r->scanned_at = (long long)time(NULL);
	r->ocr = o->ocr;
	r->complete = true;
	if (o->docread == NULL && o->serve == NULL) {
		if (prog_path("canhgac-docread", s.docread,
		    sizeof(s.docread)) != 0) {
			snprintf(err, errlen, "không tìm thấy chương trình đọc "
			    "tài liệu canhgac-docread (cạnh chương trình này "
			    "hoặc trong %s) — cannot find the document reader "
			    "canhgac-docread (beside this program or in %s)",
			    PROG_LIBEXEC, PROG_LIBEXEC);
			return -1;
		}
	}
	if (scan_roots(o, r, err, errlen) != 0 ||
	    scan_user(&s, err, errlen) != 0)
		return -1;
	if ((done = calloc(r->nroots, sizeof(*done))) == NULL)
		return -1;
	if (o->cache != NULL && (scan_cache_open(o->cache, &s.cache, err,
	    errlen) != 0 || scan_cache_begin(s.cache, err, errlen) != 0))
		goto out;
	if (!o->no_nice)
		scan_lower_priority();
	for (i = 0; i < r->nroots && !scan_stopped(&s); i++) {
		scan_root(&s, r->roots[i]);
		done[i] = s.root_complete;
		if (!s.root_complete)
			r->complete = false;
	}
	if (s.pool != NULL)
		scan_pool_drain(s.pool, o->stop);
	scan_pool_stop(s.pool);
	for (i = 0; i < SCAN_MAX_JOBS; i++)
		free(s.pend[i].path);
	if (s.failed) {
		snprintf(err, errlen, "%s", s.err);
		goto out;
	}
	if (scan_stopped(&s))
		r->complete = false;
	for (i = 0; s.cache != NULL && i < r->nroots; i++)
		if (done[i] && !scan_stopped(&s))
			scan_cache_prune(s.cache, r->roots[i]);
	if (r->nitems > 1)
		qsort(r->items, r->nitems, sizeof(*r->items), scan_item_cmp);
	r->stats.seconds = clk_now() - s.start;
	if (s.cache != NULL && scan_cache_save_last(s.cache, r, err,
	    errlen) != 0)
		goto out;
	ret = 0;
out:
	scan_cache_close(s.cache);
	free(done);
	return ret;
}
