/*
 * collect_software.c — the "software" section of facts.schema: files
 * named like cracks, keygens and activators (policy parameter
 * suspicious_names) in home folders, /root, /opt, /usr/local, /srv and
 * /tmp, and programs installed outside the package manager (directories
 * of /opt and files of /usr/local/bin and /usr/local/sbin that no dpkg
 * package owns, AppImages in home folders). The walk never follows a
 * symbolic link, stops at a depth, a number of entries and a time, and
 * says so (scan_truncated).
 */
#define _GNU_SOURCE	/* memmem */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "agent/collect.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

#define SOFTWARE_MAX_DEPTH 8
#define SOFTWARE_MAX_ROOTS 512
#define SOFTWARE_INFO_DIR "/var/lib/dpkg/info"

struct software_scan {
	struct collect_ctx *ctx;
	pcre2_code **re;	/* one per pattern */
	pcre2_code *any;	/* all patterns as one alternation, or NULL */
	const char **pat;
	size_t nre;
	pcre2_match_data *md;
	json_t *suspicious, *unpackaged;
	size_t files, max_files;
	struct timespec deadline;
	bool truncated;
};

/* A copy of s that is valid UTF-8 (bytes of a broken sequence become
 * '?'): file names are bytes, facts are text. */
static char *
software_text(const char *s)
{
	char *t = text_dup(s), *p;

	if (text_valid_utf8(t, strlen(t)))
		return t;
	for (p = t; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	return t;
}

static bool
software_time_up(struct software_scan *s)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > s->deadline.tv_sec ||
	    (now.tv_sec == s->deadline.tv_sec &&
	    now.tv_nsec >= s->deadline.tv_nsec);
}

/* The first pattern matching name, or NULL. */
static const char *
software_match(struct software_scan *s, const char *name)
{
	size_t i, len = strlen(name);

	if (s->nre == 0)
		return NULL;
	if (s->any != NULL && pcre2_match(s->any, (PCRE2_SPTR)name, len, 0,
	    0, s->md, NULL) < 0)
		return NULL;
	for (i = 0; i < s->nre; i++)
		if (pcre2_match(s->re[i], (PCRE2_SPTR)name, len, 0, 0, s->md,
		    NULL) >= 0)
			return s->pat[i];
	return NULL;
}

static void
software_add_suspicious(struct software_scan *s, const char *path,
    const char *pattern, const struct stat *st)
{
	json_t *o = json_object();
	char when[32], *p = software_text(path);

	json_set_str(o, "path", p);
	json_set_str(o, "match", pattern);
	json_set_int(o, "size", (long long)st->st_size);
	json_time((long long)st->st_mtime, when, sizeof(when));
	json_set_str(o, "modified", when);
	json_array_append_new(s->suspicious, o);
	free(p);
}

static void
software_add_unpackaged(json_t *list, const char *path, const char *kind)
{
	json_t *o = json_object();
	char *p = software_text(path);

	json_set_str(o, "path", p);
	json_set_str(o, "kind", kind);
	json_array_append_new(list, o);
	free(p);
}

static bool
software_skipped(const char *path)
{
	static const char *const skip[] = {"/proc", "/sys", "/dev", "/run",
	    NULL};
	size_t i;

	for (i = 0; skip[i] != NULL; i++)
		if (strcmp(path, skip[i]) == 0)
			return true;
	return false;
}

static bool
software_is_appimage(const char *name)
{
	size_t n = strlen(name);

	return n > 9 && strcasecmp(name + n - 9, ".AppImage") == 0;
}

/*
 * Hidden folders of a home (.cache, .local, .cargo, .npm...) hold tens of
 * thousands of files put there by programs, not by people; cracks and
 * keygens are saved where people see them. Their names are still matched;
 * only the walk does not descend, except into Wine's prefix, where Windows
 * programs (and their cracks) are installed.
 */
static bool
software_hidden_dir(const char *name)
{
	return name[0] == '.' && strcmp(name, ".wine") != 0;
}

/* Walks the directory open at dfd (owned) named path. */
static void
software_walk(struct software_scan *s, int dfd, const char *path, int depth,
    bool home)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;

	if (d == NULL) {
		close(dfd);
		return;
	}
	while (!s->truncated && (de = readdir(d)) != NULL) {
		const char *name = de->d_name, *pattern;
		struct stat st;
		char *child;
		bool isdir, isreg;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (s->files >= s->max_files ||
		    ((s->files & 255) == 0 && software_time_up(s))) {
			s->truncated = true;
			break;
		}
		s->files++;
		if (de->d_type == DT_LNK)
			continue;
		if (de->d_type != DT_UNKNOWN && de->d_type != DT_DIR &&
		    de->d_type != DT_REG)
			continue;
		pattern = software_match(s, name);
		isdir = de->d_type == DT_DIR;
		isreg = de->d_type == DT_REG;
		if (pattern == NULL && !isdir && !(home && isreg &&
		    software_is_appimage(name)) && de->d_type != DT_UNKNOWN)
			continue;
		if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		isdir = S_ISDIR(st.st_mode);
		isreg = S_ISREG(st.st_mode);
		if (!isdir && !isreg)
			continue;
		child = text_printf("%s%s%s", path,
		    path[strlen(path) - 1] == '/' ? "" : "/", name);
		if (pattern != NULL)
			software_add_suspicious(s, child, pattern, &st);
		if (home && isreg && software_is_appimage(name))
			software_add_unpackaged(s->unpackaged, child,
			    "appimage");
		if (isdir && depth < SOFTWARE_MAX_DEPTH &&
		    !software_skipped(child) &&
		    !(home && software_hidden_dir(name))) {
			int cfd = openat(dirfd(d), name, O_RDONLY |
			    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (cfd >= 0)
				software_walk(s, cfd, child, depth + 1, home);
		}
		free(child);
	}
	closedir(d);
}

/* Compiles the policy's patterns; false (fact marked) when absent or
 * broken. */
static bool
software_patterns(struct software_scan *s)
{
	json_t *names = collect_param(s->ctx, "suspicious_names"), *v;
	uint32_t opts = PCRE2_CASELESS | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
	size_t i, eoff, alen = 0;
	int ecode;
	char *all = NULL;

	if (!json_is_array(names)) {
		collect_unavailable(s->ctx, "software.suspicious", "error",
		    "thiếu tham số suspicious_names của bộ tiêu chí",
		    "policy parameter suspicious_names missing");
		return false;
	}
	s->re = calloc(json_array_size(names) + 1, sizeof(*s->re));
	s->pat = calloc(json_array_size(names) + 1, sizeof(*s->pat));
	if (s->re == NULL || s->pat == NULL)
		abort();
	json_array_foreach(names, i, v) {
		const char *p = json_string_value(v);

		s->re[i] = p ? pcre2_compile((PCRE2_SPTR)p,
		    PCRE2_ZERO_TERMINATED, opts, &ecode, &eoff, NULL) : NULL;
		if (s->re[i] == NULL) {
			collect_unavailable(s->ctx, "software.suspicious",
			    "error",
			    "tham số suspicious_names có mẫu không hợp lệ",
			    "policy parameter suspicious_names holds an "
			    "invalid pattern");
			s->nre = i;
			return false;
		}
		(void)pcre2_jit_compile(s->re[i], PCRE2_JIT_COMPLETE);
		s->pat[i] = p;
		s->nre = i + 1;
	}
	/* One alternation of every pattern filters the names fast. */
	for (i = 0; i < s->nre; i++)
		alen += strlen(s->pat[i]) + 6;
	if (s->nre > 1) {
		all = calloc(1, alen + 1);
		if (all == NULL)
			abort();
		for (i = 0; i < s->nre; i++) {
			if (i > 0)
				strcat(all, "|");
			strcat(all, "(?:");
			strcat(all, s->pat[i]);
			strcat(all, ")");
		}
		s->any = pcre2_compile((PCRE2_SPTR)all, PCRE2_ZERO_TERMINATED,
		    opts, &ecode, &eoff, NULL);
		if (s->any != NULL)
			(void)pcre2_jit_compile(s->any, PCRE2_JIT_COMPLETE);
		free(all);
	}
	return true;
}

/* Home directories of /etc/passwd (uid 0 and uid >= 1000) outside
 * /home, appended to roots. */
static void
software_passwd_homes(struct collect_ctx *ctx, char **roots, size_t *n)
{
	const char *p, *e, *line;
	char *buf;
	size_t len, ll;

	if (file_read(ctx->rootfd, "/etc/passwd", FILE_MAX_SMALL, &buf,
	    &len) < 0)
		return;
	p = buf;
	e = buf + len;
	while (*n < SOFTWARE_MAX_ROOTS && text_next_line(&p, e, &line, &ll)) {
		char *l = text_ndup(line, ll), *f[7], *q = l;
		long uid;
		int k;

		for (k = 0; k < 7 && q != NULL; k++) {
			f[k] = q;
			q = strchr(q, ':');
			if (q != NULL)
				*q++ = '\0';
		}
		if (k == 7 && text_to_long(f[2], &uid) &&
		    (uid == 0 || (uid >= 1000 && uid != 65534)) &&
		    f[5][0] == '/' && strcmp(f[5], "/") != 0 &&
		    strncmp(f[5], "/home/", 6) != 0 &&
		    strcmp(f[5], "/root") != 0 && strcmp(f[5], "/nonexistent"))
			roots[(*n)++] = text_dup(f[5]);
		free(l);
	}
	free(buf);
}

static void
software_walk_root(struct software_scan *s, const char *path, bool home)
{
	int fd;

	if (s->truncated)
		return;
	fd = file_open(s->ctx->rootfd, path, O_RDONLY | O_DIRECTORY);
	if (fd >= 0)
		software_walk(s, fd, path, 1, home);
}

static int
software_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct software_owned {
	char **v;
	size_t n, cap;
};

static void
software_owned_add(struct software_owned *o, const char *s, size_t len)
{
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		char **v = realloc(o->v, cap * sizeof(*v));

		if (v == NULL)
			abort();
		o->v = v;
		o->cap = cap;
	}
	o->v[o->n++] = text_ndup(s, len);
}

/* Adds the path of the line at hit (under prefix) to o; returns its end.
 * /opt paths are cut after their first component ("/opt/google/chrome"
 * means "/opt/google" is owned). */
static const char *
software_owned_line(struct software_owned *o, const char *hit,
    const char *end, size_t pl, bool first_component)
{
	const char *le = memchr(hit, '\n', (size_t)(end - hit)), *cut;

	if (le == NULL)
		le = end;
	cut = le;
	if (first_component) {
		const char *sl = memchr(hit + pl, '/', (size_t)(le - hit - pl));

		if (sl != NULL)
			cut = sl;
	}
	if (cut > hit + pl)
		software_owned_add(o, hit, (size_t)(cut - hit));
	return le;
}

/* The lines of a .list file that start with prefix. */
static void
software_owned_scan(struct software_owned *o, const char *map, size_t len,
    const char *prefix, bool first_component)
{
	const char *p = map, *end = map + len, *hit;
	char needle[32];
	size_t pl = strlen(prefix);

	snprintf(needle, sizeof(needle), "\n%s", prefix);
	if (len >= pl && memcmp(map, prefix, pl) == 0)
		p = software_owned_line(o, map, end, pl, first_component);
	while (p < end &&
	    (hit = memmem(p, (size_t)(end - p), needle, pl + 1)) != NULL)
		p = software_owned_line(o, hit + 1, end, pl, first_component);
}

/*
 * Reads one dpkg .list file in 64 KiB pieces, each ending at a line's end,
 * so that a package listing hundreds of thousands of files (4 MB for
 * google-cloud-cli) does not become resident at once. A line longer than
 * the buffer is skipped. 0 or -errno.
 */
static int
software_owned_file(struct collect_ctx *ctx, struct software_owned *o,
    const char *path)
{
	enum { CHUNK = 65536 };
	char *buf;
	size_t have = 0, total = 0, keep, i;
	bool skipping = false;
	struct stat st;
	ssize_t got;
	int fd;

	fd = file_open(ctx->rootfd, path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	if ((buf = malloc(CHUNK)) == NULL)
		abort();
	for (;;) {
		got = read(fd, buf + have, CHUNK - have);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			got = -errno;
			break;
		}
		total += (size_t)got;
		if (total > FILE_MAX_MEDIUM) {
			got = -EFBIG;
			break;
		}
		have += (size_t)got;
		if (have == 0)
			break;
		/* the last complete line, or all of it at the end */
		for (keep = have; keep > 0 && buf[keep - 1] != '\n'; keep--)
			;
		if (got == 0)
			keep = have;
		if (keep == 0) {
			/* one line fills the buffer: drop it */
			skipping = true;
			have = 0;
			continue;
		}
		i = 0;
		if (skipping) {
			while (i < keep && buf[i] != '\n')
				i++;
			i++;
			skipping = false;
		}
		if (i < keep) {
			software_owned_scan(o, buf + i, keep - i, "/opt/", true);
			software_owned_scan(o, buf + i, keep - i,
			    "/usr/local/bin/", false);
			software_owned_scan(o, buf + i, keep - i,
			    "/usr/local/sbin/", false);
		}
		memmove(buf, buf + keep, have - keep);
		have -= keep;
		if (got == 0)
			break;
	}
	free(buf);
	close(fd);
	return got < 0 ? (int)got : 0;
}

/* Paths under /opt and /usr/local/{s,}bin that dpkg packages own;
 * false (fact marked) when they cannot be known. */
static bool
software_owned_load(struct collect_ctx *ctx, struct software_owned *o)
{
	char **names = NULL;
	size_t n = 0, i, j;
	int r;

	r = file_list(ctx->rootfd, SOFTWARE_INFO_DIR, 200000, &names, &n);
	if (r == -ENOENT) {
		collect_unavailable(ctx, "software.unpackaged", "error",
		    "không biết tệp nào thuộc gói nào (không có "
		    "/var/lib/dpkg/info)",
		    "cannot tell which files packages own (no "
		    "/var/lib/dpkg/info)");
		return false;
	}
	if (r < 0) {
		collect_file_error(ctx, "software.unpackaged",
		    SOFTWARE_INFO_DIR, r);
		return false;
	}
	for (i = 0; i < n; i++) {
		size_t nl = strlen(names[i]);
		char *path;

		if (nl < 6 || strcmp(names[i] + nl - 5, ".list") != 0)
			continue;
		path = file_join(SOFTWARE_INFO_DIR, names[i]);
		r = software_owned_file(ctx, o, path);
		if (r < 0) {
			collect_file_error(ctx, "software.unpackaged", path, r);
			free(path);
			file_list_free(names, n);
			return false;
		}
		free(path);
	}
	file_list_free(names, n);
	if (o->n > 1)
		qsort(o->v, o->n, sizeof(*o->v), software_strcmp);
	for (i = 0, j = 0; i < o->n; i++) {
		if (j > 0 && strcmp(o->v[j - 1], o->v[i]) == 0)
			free(o->v[i]);
		else
			o->v[j++] = o->v[i];
	}
	o->n = j;
	return true;
}

static void
software_owned_free(struct software_owned *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->v[i]);
	free(o->v);
}

static bool
software_owned_has(struct software_owned *o, const char *path)
{
	return o->n > 0 && bsearch(&path, o->v, o->n, sizeof(*o->v),
	    software_strcmp) != NULL;
}

/* Directories of /opt and files of /usr/local/{bin,sbin} no package
 * owns. */
static void
software_unowned(struct collect_ctx *ctx, struct software_owned *o,
    json_t *list)
{
	static const struct {
		const char *dir, *kind;
		bool dirs;
	} where[] = {
		{"/opt", "opt", true},
		{"/usr/local/bin", "local-bin", false},
		{"/usr/local/sbin", "local-bin", false},
	};
	size_t w, i, n;
	char **names;

	for (w = 0; w < sizeof(where) / sizeof(where[0]); w++) {
		if (file_list(ctx->rootfd, where[w].dir, 100000, &names,
		    &n) < 0)
			continue;
		for (i = 0; i < n; i++) {
			char *path = file_join(where[w].dir, names[i]);
			struct stat st;

			if (file_stat(ctx->rootfd, path, &st, false) == 0 &&
			    (where[w].dirs ? S_ISDIR(st.st_mode) :
			    (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))) &&
			    !software_owned_has(o, path))
				software_add_unpackaged(list, path,
				    where[w].kind);
			free(path);
		}
		file_list_free(names, n);
	}
}

static int
software_path_cmp(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;

	return strcmp(json_str(x, "path", ""), json_str(y, "path", ""));
}

/* Sorts a list of objects by path, so that facts do not depend on the
 * order of directory entries. */
static void
software_sort(json_t *list)
{
	size_t n = json_array_size(list), i;
	json_t **v;

	if (n < 2)
		return;
	v = calloc(n, sizeof(*v));
	if (v == NULL)
		abort();
	for (i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(list, i));
	qsort(v, n, sizeof(*v), software_path_cmp);
	json_array_clear(list);
	for (i = 0; i < n; i++)
		json_array_append_new(list, v[i]);
	free(v);
}

void
collect_software(struct collect_ctx *ctx)
{
	static const char *const places[] = {"/opt", "/usr/local", "/srv",
	    "/tmp", NULL};
	json_t *sec = collect_section(ctx, "software");
	struct software_scan s;
	struct software_owned owned = {0};
	char *roots[SOFTWARE_MAX_ROOTS];
	size_t nroots = 0, i;
	bool patterns, owned_ok;
	long long secs;

	memset(&s, 0, sizeof(s));
	s.ctx = ctx;
	s.max_files = (size_t)collect_param_int(ctx, "software_scan_max_files",
	    200000);
	secs = collect_param_int(ctx, "software_scan_max_seconds", 3);
	clock_gettime(CLOCK_MONOTONIC, &s.deadline);
	s.deadline.tv_sec += secs > 0 ? secs : 3;
	s.md = pcre2_match_data_create(1, NULL);
	s.suspicious = json_array();
	s.unpackaged = json_array();
	patterns = software_patterns(&s);

	software_walk_root(&s, "/home", true);
	software_walk_root(&s, "/root", true);
	software_passwd_homes(ctx, roots, &nroots);
	for (i = 0; i < nroots; i++) {
		bool dup = false;
		size_t j;

		for (j = 0; j < i; j++)
			if (strcmp(roots[i], roots[j]) == 0)
				dup = true;
		if (!dup && !software_skipped(roots[i]))
			software_walk_root(&s, roots[i], true);
	}
	for (i = 0; places[i] != NULL; i++)
		software_walk_root(&s, places[i], false);

	owned_ok = software_owned_load(ctx, &owned);
	if (owned_ok)
		software_unowned(ctx, &owned, s.unpackaged);
	software_owned_free(&owned);

	software_sort(s.suspicious);
	software_sort(s.unpackaged);
	if (patterns)
		json_object_set(sec, "suspicious", s.suspicious);
	if (owned_ok)
		json_object_set(sec, "unpackaged", s.unpackaged);
	json_set_bool(sec, "scan_truncated", s.truncated);

	json_decref(s.suspicious);
	json_decref(s.unpackaged);
	for (i = 0; i < nroots; i++)
		free(roots[i]);
	for (i = 0; i < s.nre; i++)
		pcre2_code_free(s.re[i]);
	pcre2_code_free(s.any);
	free(s.re);
	free(s.pat);
	pcre2_match_data_free(s.md);
}
