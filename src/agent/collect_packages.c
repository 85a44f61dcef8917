/*
 * collect_packages.c — the "packages" section of facts.schema: installed
 * packages (dpkg's status file, or the rpm database), where each came from
 * (the APT lists that offer it), pending updates, the configured sources,
 * and how fresh the lists and the last upgrade are. Lists are streamed
 * once each against a sorted index of the installed packages, so a real
 * machine's tens of megabytes cost milliseconds and no memory.
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "agent/collect.h"
#include "agent/pkg.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

#define PACKAGES_LISTS_DIR "/var/lib/apt/lists"
#define PACKAGES_MAX_DIR 100000
#define PACKAGES_DAY 86400
#define PACKAGES_READ_CHUNK (256u << 10)

/* One Packages list and what its name and Release file say. */
struct packages_list {
	char *name;
	char *origin;		/* "deb.debian.org/debian bookworm/main" */
	bool security;
	/* Release says "NotAutomatic: yes": APT never upgrades to it on
	 * its own, except with "ButAutomaticUpgrades: yes" a package whose
	 * installed version no ordinary archive offers (apt_preferences). */
	bool not_automatic, but_automatic;
};

struct packages_lists {
	struct packages_list *v;
	size_t n;
};

/* What a stanza of list number `list` is matched against. */
struct packages_match {
	struct pkg_set *set;
	struct packages_lists *lists;
	int list;
};

static void
packages_lists_free(struct packages_lists *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].origin);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Marks the facts that need the installed packages as unknown. */
static void
packages_status_failed(struct collect_ctx *ctx, const char *file, int err,
    const struct pkg_err *perr)
{
	static const char *const paths[] = {"packages.installed",
	    "packages.count", "packages.installed.origin", "packages.pending",
	    NULL};
	size_t i;

	for (i = 0; paths[i] != NULL; i++) {
		if (perr != NULL)
			collect_parse_error(ctx, paths[i], file, perr->line,
			    perr->vi, perr->en);
		else
			collect_file_error(ctx, paths[i], file, err);
	}
}

static int
packages_days(struct collect_ctx *ctx, long long t)
{
	long long d = (ctx->now - t) / PACKAGES_DAY;

	return d < 0 ? 0 : (int)(d > 1000000 ? 1000000 : d);
}

/* Reads dpkg's status file into set; false when it could not. */
static bool
packages_dpkg_status(struct collect_ctx *ctx, struct pkg_set *set)
{
	static const char path[] = "/var/lib/dpkg/status";
	const char *map;
	size_t len;
	struct pkg_err perr;
	int r;

	r = file_map(ctx->rootfd, path, FILE_MAX_MEDIUM, &map, &len);
	if (r < 0) {
		packages_status_failed(ctx, path, r, NULL);
		return false;
	}
	r = pkg_dpkg_parse_status(map ? map : "", len, set, &perr);
	file_unmap(map, len);
	if (r < 0) {
		packages_status_failed(ctx, path, 0, &perr);
		pkg_set_free(set);
		return false;
	}
	pkg_set_sort(set);
	return true;
}

/* Reads one sources file into out; false (and the fact marked) when it
 * cannot be read or parsed. */
static bool
packages_sources_file(struct collect_ctx *ctx, const char *path,
    bool deb822, struct apt_sources *out)
{
	char *buf;
	size_t len;
	struct pkg_err perr;
	int r;

	r = file_read(ctx->rootfd, path, FILE_MAX_SMALL, &buf, &len);
	if (r == -ENOENT)
		return true;
	if (r < 0) {
		collect_file_error(ctx, "packages.sources", path, r);
		return false;
	}
	r = deb822 ? pkg_apt_parse_deb822(buf, len, path, out, &perr) :
	    pkg_apt_parse_list(buf, len, path, out, &perr);
	free(buf);
	if (r < 0) {
		collect_parse_error(ctx, "packages.sources", path, perr.line,
		    perr.vi, perr.en);
		return false;
	}
	return true;
}

static bool
packages_has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void
packages_sources(struct collect_ctx *ctx, json_t *sec)
{
	static const char dir[] = "/etc/apt/sources.list.d";
	struct apt_sources src = {0};
	char **names = NULL;
	size_t n = 0, i, j;
	bool ok;
	json_t *list, *mirrors = collect_param(ctx, "official_mirrors");
	int r;

	ok = packages_sources_file(ctx, "/etc/apt/sources.list", false, &src);
	r = file_list(ctx->rootfd, dir, 4096, &names, &n);
	if (r < 0 && r != -ENOENT) {
		collect_file_error(ctx, "packages.sources", dir, r);
		ok = false;
	}
	for (i = 0; ok && i < n; i++) {
		bool l = packages_has_suffix(names[i], ".list");
		bool s = packages_has_suffix(names[i], ".sources");
		char *path;

		if (!l && !s)
			continue;
		path = file_join(dir, names[i]);
		ok = packages_sources_file(ctx, path, s, &src);
		free(path);
	}
	file_list_free(names, n);
	if (!ok) {
		pkg_apt_sources_free(&src);
		return;
	}
	list = json_array();
	for (i = 0; i < src.n; i++) {
		struct apt_source *a = &src.v[i];
		json_t *o = json_object(), *comps = json_array();

		json_set_str(o, "uri", a->uri);
		json_set_str(o, "suite", a->suite);
		for (j = 0; j < a->ncomponents; j++)
			json_append_str(comps, a->components[j]);
		json_object_set_new(o, "components", comps);
		json_set_str(o, "file", a->file);
		json_set_bool(o, "trusted", a->trusted);
		json_set_bool(o, "allow_insecure", a->allow_insecure);
		json_set_bool(o, "official", pkg_apt_official(a->uri, mirrors));
		json_array_append_new(list, o);
	}
	json_object_set_new(sec, "sources", list);
	pkg_apt_sources_free(&src);
}

static bool
packages_ends_ci(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

/* The Release file whose name starts with stem, parsed into r. */
static bool
packages_release(struct collect_ctx *ctx, char **names, size_t n,
    const char *stem, struct apt_release *r)
{
	static const char *const kinds[] = {"InRelease", "Release", NULL};
	size_t k;

	for (k = 0; kinds[k] != NULL; k++) {
		char *want = text_printf("%s%s", stem, kinds[k]);
		char *path, *buf;
		size_t len, i;
		int found = -1;

		for (i = 0; i < n; i++)
			if (strcmp(names[i], want) == 0)
				found = (int)i;
		free(want);
		if (found < 0)
			continue;
		path = file_join(PACKAGES_LISTS_DIR, names[found]);
		if (file_read(ctx->rootfd, path, FILE_MAX_MEDIUM, &buf,
		    &len) == 0) {
			int rc = pkg_apt_parse_release(buf, len, r);

			free(buf);
			free(path);
			return rc == 0;
		}
		free(path);
	}
	return false;
}

static void
packages_match_stanza(void *arg, const char *name, const char *version,
    const char *arch)
{
	struct packages_match *m = arg;
	struct pkg_inst *p;
	size_t cnt = 0, i;

	p = pkg_set_find(m->set, name, strlen(name), &cnt);
	for (i = 0; p != NULL && i < cnt; i++, p++) {
		const struct packages_list *l = &m->lists->v[m->list];
		bool sec = l->security;

		if (arch[0] != '\0' && strcmp(arch, p->arch) != 0 &&
		    strcmp(arch, "all") != 0 && strcmp(p->arch, "all") != 0)
			continue;
		if (strcmp(version, p->version) == 0) {
			if (p->origin_list < 0)
				p->origin_list = m->list;
			if (!l->not_automatic)
				p->origin_auto = true;
			continue;
		}
		if (p->other_list < 0)
			p->other_list = m->list;
		if (pkg_version_cmp(version, p->version) <= 0)
			continue;
		if (l->not_automatic) {
			/* pin 1: never; pin 100: decided once every list
			 * has said whether it offers the installed
			 * version (packages_installed) */
			if (l->but_automatic && (p->late_candidate == NULL ||
			    pkg_version_cmp(version, p->late_candidate) > 0)) {
				free(p->late_candidate);
				p->late_candidate = text_dup(version);
				p->late_list = m->list;
			}
			continue;
		}
		/* a security fix newer than what is installed, even when
		 * an ordinary archive has a newer version still */
		if (sec)
			p->security_newer = true;
		if (p->candidate == NULL ||
		    pkg_version_cmp(version, p->candidate) > 0) {
			free(p->candidate);
			p->candidate = text_dup(version);
			p->cand_list = m->list;
			p->cand_security = sec;
		} else if (sec && pkg_version_cmp(version, p->candidate) == 0) {
			p->cand_security = true;
			p->cand_list = m->list;
		}
	}
}

static void
packages_lists_failed(struct collect_ctx *ctx, const char *path,
    int err, const struct pkg_err *perr)
{
	static const char *const paths[] = {"packages.installed.origin",
	    "packages.pending", NULL};
	size_t i;

	for (i = 0; paths[i] != NULL; i++) {
		if (perr != NULL)
			collect_parse_error(ctx, paths[i], path, perr->line,
			    perr->vi, perr->en);
		else
			collect_file_error(ctx, paths[i], path, err);
	}
}

/* Streams one list through the matcher; false when it failed. */
static bool
packages_scan_list(struct collect_ctx *ctx, struct packages_match *m,
    const struct apt_listname *ln)
{
	char *path = file_join(PACKAGES_LISTS_DIR, m->lists->v[m->list].name);
	struct apt_scan scan;
	struct apt_inflate in;
	struct pkg_err perr;
	struct stat st;
	char *buf;
	int fd, r = 0, rerr = 0;

	if (ln->compression == APT_OTHER) {
		perr.line = 0;
		perr.vi = "danh sách gói nén bằng xz, bzip2 hoặc zstd chưa "
		    "được hỗ trợ";
		perr.en = "package lists compressed with xz, bzip2 or zstd are "
		    "not supported";
		packages_lists_failed(ctx, path, 0, &perr);
		free(path);
		return false;
	}
	fd = file_open(ctx->rootfd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd >= 0 && fstat(fd, &st) < 0)
		r = -errno;
	else if (fd >= 0 && !S_ISREG(st.st_mode))
		r = -EINVAL;
	else if (fd >= 0 && (uintmax_t)st.st_size > FILE_MAX_LARGE)
		r = -EFBIG;
	if (fd < 0 || r < 0) {
		packages_lists_failed(ctx, path, fd < 0 ? fd : r, NULL);
		if (fd >= 0)
			close(fd);
		free(path);
		return false;
	}
	/* Streamed in chunks: a list of tens of megabytes costs no memory
	 * (a mapping would count in the resident set). */
	pkg_apt_scan_init(&scan, packages_match_stanza, m);
	pkg_apt_inflate_init(&in, ln->compression, FILE_MAX_LARGE);
	buf = malloc(PACKAGES_READ_CHUNK);
	if (buf == NULL)
		abort();
	for (;;) {
		ssize_t n = read(fd, buf, PACKAGES_READ_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rerr = -errno;
			r = -1;
			break;
		}
		if (n == 0)
			break;
		r = pkg_apt_inflate_feed(&in, &scan, buf, (size_t)n, &perr);
		if (r < 0)
			break;
	}
	if (r == 0)
		r = pkg_apt_inflate_end(&in, &scan, &perr);
	pkg_apt_inflate_free(&in);
	free(buf);
	close(fd);
	if (rerr < 0) {
		packages_lists_failed(ctx, path, rerr, NULL);
		free(path);
		return false;
	}
	if (r == 0)
		r = pkg_apt_scan_end(&scan, &perr);
	if (r < 0)
		packages_lists_failed(ctx, path, 0, &perr);
	free(path);
	return r == 0;
}

/* Newest modification time of the lists (or the update stamp), or -1. */
static long long
packages_lists_mtime(struct collect_ctx *ctx, char **names, size_t n)
{
	struct stat st;
	long long best = -1;
	size_t i;

	/* The stamp is touched by apt.systemd.daily (and on Ubuntu by every
	 * "apt update"); a manual update after it leaves it old, so the
	 * newer of the stamp and the lists counts. APT dates a list by its
	 * archive's Last-Modified, never later than the download. */
	if (file_stat(ctx->rootfd, "/var/lib/apt/periodic/update-success-stamp",
	    &st, false) == 0 && S_ISREG(st.st_mode))
		best = (long long)st.st_mtime;
	for (i = 0; i < n; i++) {
		char *path;

		if (strcmp(names[i], "lock") == 0 ||
		    strcmp(names[i], "partial") == 0 ||
		    strcmp(names[i], "auxfiles") == 0)
			continue;
		path = file_join(PACKAGES_LISTS_DIR, names[i]);
		if (file_stat(ctx->rootfd, path, &st, false) == 0 &&
		    S_ISREG(st.st_mode) && (long long)st.st_mtime > best)
			best = (long long)st.st_mtime;
		free(path);
	}
	return best;
}

/* Reads the APT lists and matches the installed packages against them.
 * Returns true when origins and pending updates are known. */
static bool
packages_apt_lists(struct collect_ctx *ctx, json_t *sec, struct pkg_set *set,
    struct packages_lists *lists)
{
	char **names = NULL;
	size_t n = 0, i;
	bool ok = true;
	long long mt;
	int r;

	r = file_list(ctx->rootfd, PACKAGES_LISTS_DIR, PACKAGES_MAX_DIR,
	    &names, &n);
	if (r < 0 && r != -ENOENT) {
		collect_file_error(ctx, "packages.lists_present",
		    PACKAGES_LISTS_DIR, r);
		collect_file_error(ctx, "packages.lists_age_days",
		    PACKAGES_LISTS_DIR, r);
		packages_lists_failed(ctx, PACKAGES_LISTS_DIR, r, NULL);
		return false;
	}
	for (i = 0; i < n; i++) {
		struct apt_listname ln;
		struct apt_release rel;
		struct packages_list *l;
		bool have_rel;

		if (!pkg_apt_listname(names[i], &ln))
			continue;
		l = realloc(lists->v, (lists->n + 1) * sizeof(*l));
		if (l == NULL)
			abort();
		lists->v = l;
		l = &lists->v[lists->n++];
		l->name = text_dup(names[i]);
		l->origin = ln.dist[0] ? text_printf("%s %s/%s", ln.site,
		    ln.dist, ln.component) : text_dup(ln.site);
		have_rel = packages_release(ctx, names, n, ln.release_stem,
		    &rel);
		l->not_automatic = have_rel && rel.not_automatic;
		l->but_automatic = have_rel && rel.but_automatic;
		l->security = packages_ends_ci(ln.dist, "-security") ||
		    packages_ends_ci(ln.site, "/debian-security") ||
		    (have_rel && (strcasecmp(rel.label,
		    "Debian-Security") == 0 ||
		    packages_ends_ci(rel.suite, "-security") ||
		    packages_ends_ci(rel.codename, "-security")));
	}
	json_set_bool(sec, "lists_present", lists->n > 0);
	mt = lists->n > 0 ? packages_lists_mtime(ctx, names, n) : -1;
	json_set_int(sec, "lists_age_days", mt < 0 ? -1 :
	    packages_days(ctx, mt));
	file_list_free(names, n);
	if (lists->n == 0) {
		static const char *const paths[] = {
		    "packages.installed.origin", "packages.pending", NULL};

		for (i = 0; paths[i] != NULL; i++)
			collect_unavailable(ctx, paths[i], "error",
			    "chưa có danh sách gói của APT: "
			    "hãy chạy apt update",
			    "APT package lists are missing: run apt update");
		return false;
	}
	for (i = 0; i < lists->n; i++) {
		struct packages_match m = {set, lists, (int)i};
		struct apt_listname ln;

		pkg_apt_listname(lists->v[i].name, &ln);
		if (!packages_scan_list(ctx, &m, &ln))
			ok = false;
	}
	return ok;
}

static void
packages_installed(json_t *sec, struct pkg_set *set,
    struct packages_lists *lists, bool origins)
{
	json_t *inst = json_array(), *pend = json_array();
	size_t i;

	for (i = 0; i < set->n; i++) {
		struct pkg_inst *p = &set->v[i];
		json_t *o = json_object();

		json_set_str(o, "name", p->name);
		json_set_str(o, "version", p->version);
		json_set_str(o, "arch", p->arch);
		json_set_str(o, "state", p->state);
		if (p->origin != NULL) {
			json_set_str(o, "origin", p->origin);
		} else if (origins) {
			char *s;

			if (p->origin_list >= 0)
				s = text_dup(lists->v[p->origin_list].origin);
			else if (p->other_list >= 0)
				s = text_printf("%s (other version)",
				    lists->v[p->other_list].origin);
			else
				s = text_dup("");
			json_set_str(o, "origin", s);
			free(s);
		}
		json_set_str(o, "vendor", p->vendor);
		json_array_append_new(inst, o);
		if (origins && p->candidate == NULL &&
		    p->late_candidate != NULL && !p->origin_auto) {
			/* installed from backports (or locally): APT
			 * follows the NotAutomatic archive's upgrades */
			p->candidate = p->late_candidate;
			p->late_candidate = NULL;
			p->cand_list = p->late_list;
		}
		if (origins && p->candidate != NULL) {
			json_t *u = json_object();

			json_set_str(u, "name", p->name);
			json_set_str(u, "installed", p->version);
			json_set_str(u, "candidate", p->candidate);
			json_set_bool(u, "security", p->cand_security ||
			    p->security_newer);
			json_set_str(u, "origin",
			    lists->v[p->cand_list].origin);
			json_array_append_new(pend, u);
		}
	}
	json_object_set_new(sec, "installed", inst);
	json_set_int(sec, "count", (long long)set->n);
	if (origins)
		json_object_set_new(sec, "pending", pend);
	else
		json_decref(pend);
}

static void
packages_last_upgrade_set(struct collect_ctx *ctx, json_t *sec, long long t)
{
	char buf[32];

	if (t < 0) {
		json_set_str(sec, "last_upgrade", "");
		json_set_int(sec, "last_upgrade_days", -1);
		return;
	}
	json_time(t, buf, sizeof(buf));
	json_set_str(sec, "last_upgrade", buf);
	json_set_int(sec, "last_upgrade_days", packages_days(ctx, t));
}

static void
packages_dpkg_last_upgrade(struct collect_ctx *ctx, json_t *sec)
{
	static const char *const logs[] = {"/var/log/dpkg.log",
	    "/var/log/dpkg.log.1", "/var/log/apt/history.log", NULL};
	long long best = -1, t;
	size_t i;

	for (i = 0; logs[i] != NULL; i++) {
		const char *map;
		size_t len;
		int r = file_map(ctx->rootfd, logs[i], FILE_MAX_MEDIUM, &map,
		    &len);

		if (r == -ENOENT)
			continue;
		if (r < 0) {
			collect_file_error(ctx, "packages.last_upgrade",
			    logs[i], r);
			collect_file_error(ctx, "packages.last_upgrade_days",
			    logs[i], r);
			return;
		}
		if (len == 0)
			continue;
		t = strstr(logs[i], "history") ?
		    pkg_dpkg_history_last(map, len) :
		    pkg_dpkg_log_last(map, len);
		file_unmap(map, len);
		if (t > best)
			best = t;
	}
	packages_last_upgrade_set(ctx, sec, best);
}

/* apt.conf(5): the values of the two APT::Periodic keys that matter. */
struct packages_aptconf {
	char unattended[16], update_lists[16];
};

static bool
packages_aptconf_name_ok(const char *name)
{
	const char *p, *dot = strrchr(name, '.');

	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.'))
			return false;
	return dot == NULL || strcmp(dot, ".conf") == 0;
}

#define APTCONF_DEPTH 16

/* Tokenises one apt.conf file; false on a syntax error (at *line). */
static bool
packages_aptconf_parse(const char *buf, size_t len,
    struct packages_aptconf *ac, int *line)
{
	const char *p = buf, *end = buf + len;
	char scope[512] = "", name[256] = "";
	size_t marks[APTCONF_DEPTH];
	int depth = 0;
	bool have_name = false;

	*line = 1;
	while (p < end) {
		char c = *p;

		if (c == '\n') {
			(*line)++;
			p++;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			p++;
		} else if (c == '#' || (c == '/' && p + 1 < end &&
		    p[1] == '/')) {
			while (p < end && *p != '\n')
				p++;
		} else if (c == '/' && p + 1 < end && p[1] == '*') {
			p += 2;
			while (p + 1 < end && !(p[0] == '*' && p[1] == '/')) {
				if (*p == '\n')
					(*line)++;
				p++;
			}
			if (p + 1 >= end)
				return false;
			p += 2;
		} else if (c == '{') {
			size_t sl = strlen(scope);

			if (!have_name || depth >= APTCONF_DEPTH ||
			    sl + strlen(name) + 3 >= sizeof(scope))
				return false;
			marks[depth++] = sl;
			if (sl > 0)
				strcat(scope, "::");
			strcat(scope, name);
			have_name = false;
			p++;
		} else if (c == '}') {
			if (depth == 0)
				return false;
			scope[marks[--depth]] = '\0';
			have_name = false;
			p++;
		} else if (c == ';') {
			have_name = false;
			p++;
		} else if (c == '"') {
			const char *s = ++p, *q;
			char full[800];
			char *dst = NULL;
			size_t vl;

			q = memchr(s, '"', (size_t)(end - s));
			if (q == NULL || memchr(s, '\n', (size_t)(q - s)))
				return false;
			p = q + 1;
			if (!have_name)
				continue;	/* an item of a list */
			snprintf(full, sizeof(full), "%s%s%s", scope,
			    scope[0] ? "::" : "", name);
			if (strcasecmp(full,
			    "APT::Periodic::Unattended-Upgrade") == 0)
				dst = ac->unattended;
			else if (strcasecmp(full,
			    "APT::Periodic::Update-Package-Lists") == 0)
				dst = ac->update_lists;
			vl = (size_t)(q - s);
			if (dst != NULL) {
				if (vl > 15)
					vl = 15;
				memcpy(dst, s, vl);
				dst[vl] = '\0';
			}
			have_name = false;
		} else {
			const char *s = p;
			size_t nl;

			while (p < end && !strchr(" \t\r\n{};\"", *p))
				p++;
			nl = (size_t)(p - s);
			if (have_name && strncmp(s, "::", 2) != 0)
				return false;
			if (nl >= sizeof(name))
				return false;
			memcpy(name, s, nl);
			name[nl] = '\0';
			have_name = true;
		}
	}
	return depth == 0;
}

static bool
packages_periodic_on(const char *v)
{
	long n;

	if (strcasecmp(v, "always") == 0)
		return true;
	return text_to_long(v, &n) && n > 0;
}

/* unattended-upgrades installed and enabled by APT::Periodic. */
static void
packages_dpkg_auto_updates(struct collect_ctx *ctx, json_t *sec,
    struct pkg_set *set, bool status_ok)
{
	static const char dir[] = "/etc/apt/apt.conf.d";
	struct packages_aptconf ac;
	char **names = NULL, *buf, *path;
	size_t n = 0, i, len, cnt;
	struct pkg_inst *uu;
	int r, line;

	memset(&ac, 0, sizeof(ac));
	if (!status_ok) {
		collect_unavailable(ctx, "packages.auto_updates", "error",
		    "không biết gói unattended-upgrades có được cài không "
		    "(không đọc được trạng thái dpkg)",
		    "cannot tell whether unattended-upgrades is installed "
		    "(dpkg status unreadable)");
		return;
	}
	r = file_list(ctx->rootfd, dir, 4096, &names, &n);
	if (r < 0 && r != -ENOENT) {
		collect_file_error(ctx, "packages.auto_updates", dir, r);
		return;
	}
	for (i = 0; i <= n; i++) {
		if (i < n && !packages_aptconf_name_ok(names[i]))
			continue;
		path = i < n ? file_join(dir, names[i]) :
		    text_dup("/etc/apt/apt.conf");
		r = file_read(ctx->rootfd, path, FILE_MAX_SMALL, &buf, &len);
		if (r == -ENOENT || r == -EINVAL) {
			free(path);
			continue;
		}
		if (r < 0) {
			collect_file_error(ctx, "packages.auto_updates", path,
			    r);
			free(path);
			file_list_free(names, n);
			return;
		}
		if (!packages_aptconf_parse(buf, len, &ac, &line)) {
			collect_parse_error(ctx, "packages.auto_updates", path,
			    line, "cú pháp apt.conf không hợp lệ",
			    "invalid apt.conf syntax");
			free(buf);
			free(path);
			file_list_free(names, n);
			return;
		}
		free(buf);
		free(path);
	}
	file_list_free(names, n);
	uu = pkg_set_find(set, "unattended-upgrades", 19, &cnt);
	json_set_bool(sec, "auto_updates", uu != NULL &&
	    strcmp(uu->state, "installed") == 0 &&
	    packages_periodic_on(ac.unattended) &&
	    packages_periodic_on(ac.update_lists));
}

static void
packages_dpkg(struct collect_ctx *ctx, json_t *sec)
{
	struct pkg_set set;
	struct packages_lists lists = {0};
	bool status_ok, origins;

	json_set_str(sec, "manager", "dpkg");
	pkg_set_init(&set);
	status_ok = packages_dpkg_status(ctx, &set);
	packages_sources(ctx, sec);
	origins = packages_apt_lists(ctx, sec, &set, &lists);
	if (status_ok)
		packages_installed(sec, &set, &lists, origins);
	packages_dpkg_last_upgrade(ctx, sec);
	packages_dpkg_auto_updates(ctx, sec, &set, status_ok);
	packages_lists_free(&lists);
	pkg_set_free(&set);
}

/* dnf-automatic installs updates by a timer. */
static bool
packages_dnf_automatic(struct collect_ctx *ctx)
{
	static const char wants[] = "/etc/systemd/system/timers.target.wants/";
	char *path, *buf;
	size_t len;
	bool on = false;

	path = text_printf("%sdnf-automatic-install.timer", wants);
	on = file_exists(ctx->rootfd, path);
	free(path);
	if (on)
		return true;
	path = text_printf("%sdnf-automatic.timer", wants);
	on = file_exists(ctx->rootfd, path);
	free(path);
	if (!on)
		return false;
	if (file_read(ctx->rootfd, "/etc/dnf/automatic.conf", FILE_MAX_SMALL,
	    &buf, &len) < 0)
		return false;
	{
		const char *p = buf, *e = buf + len, *line;
		size_t ll;

		on = false;
		while (text_next_line(&p, e, &line, &ll)) {
			char *l = text_ndup(line, ll), *eq;

			eq = strchr(text_trim(l), '=');
			if (eq != NULL) {
				*eq = '\0';
				if (strcmp(text_trim(l), "apply_updates") == 0)
					on = strcasecmp(text_trim(eq + 1),
					    "yes") == 0 ||
					    strcasecmp(text_trim(eq + 1),
					    "true") == 0;
			}
			free(l);
		}
	}
	free(buf);
	return on;
}

static void
packages_rpm(struct collect_ctx *ctx, json_t *sec, const char *db)
{
	struct pkg_set set;
	struct pkg_err perr;
	int fd, r;

	json_set_str(sec, "manager", "rpm");
	collect_unavailable(ctx, "packages.sources", "na",
	    "không áp dụng: máy không dùng APT", "not applicable: not APT");
	collect_unavailable(ctx, "packages.lists_present", "na",
	    "không áp dụng: máy không dùng APT", "not applicable: not APT");
	collect_unavailable(ctx, "packages.lists_age_days", "error",
	    "chưa đọc được bộ đệm siêu dữ liệu của dnf",
	    "the dnf metadata cache is not read");
	collect_unavailable(ctx, "packages.pending", "error",
	    "chưa tính được các bản cập nhật của máy dùng rpm",
	    "pending updates are not computed on rpm systems");
	json_set_bool(sec, "auto_updates", packages_dnf_automatic(ctx));
	if (db == NULL) {
		static const char *const paths[] = {"packages.installed",
		    "packages.count", "packages.last_upgrade",
		    "packages.last_upgrade_days", NULL};
		size_t i;

		for (i = 0; paths[i] != NULL; i++)
			collect_unavailable(ctx, paths[i], "error",
			    "cơ sở dữ liệu rpm dạng BerkeleyDB hoặc ndb "
			    "(/var/lib/rpm/Packages) chưa được hỗ trợ",
			    "rpm databases in BerkeleyDB or ndb format "
			    "(/var/lib/rpm/Packages) are not supported");
		return;
	}
	pkg_set_init(&set);
	fd = file_open(ctx->rootfd, db, O_RDONLY);
	if (fd < 0) {
		packages_status_failed(ctx, db, fd, NULL);
		collect_file_error(ctx, "packages.last_upgrade", db, fd);
		collect_file_error(ctx, "packages.last_upgrade_days", db, fd);
		return;
	}
	r = pkg_rpm_read_sqlite(fd, &set, &perr);
	close(fd);
	if (r < 0) {
		packages_status_failed(ctx, db, 0, &perr);
		collect_parse_error(ctx, "packages.last_upgrade", db, perr.line,
		    perr.vi, perr.en);
		collect_parse_error(ctx, "packages.last_upgrade_days", db,
		    perr.line, perr.vi, perr.en);
		pkg_set_free(&set);
		return;
	}
	pkg_set_sort(&set);
	packages_installed(sec, &set, NULL, false);
	packages_last_upgrade_set(ctx, sec, set.last_install);
	pkg_set_free(&set);
}

void
collect_packages(struct collect_ctx *ctx)
{
	static const char *const rpmdbs[] = {"/var/lib/rpm/rpmdb.sqlite",
	    "/usr/lib/sysimage/rpm/rpmdb.sqlite", NULL};
	json_t *sec = collect_section(ctx, "packages");
	struct stat st;
	size_t i;

	if (file_stat(ctx->rootfd, "/var/lib/dpkg/status", &st, false) == 0 ||
	    file_stat(ctx->rootfd, "/var/lib/dpkg", &st, false) == 0) {
		packages_dpkg(ctx, sec);
		return;
	}
	for (i = 0; rpmdbs[i] != NULL; i++)
		if (file_stat(ctx->rootfd, rpmdbs[i], &st, false) == 0) {
			packages_rpm(ctx, sec, rpmdbs[i]);
			return;
		}
	if (file_stat(ctx->rootfd, "/var/lib/rpm/Packages", &st, false) == 0 ||
	    file_stat(ctx->rootfd, "/var/lib/rpm/Packages.db", &st,
	    false) == 0) {
		packages_rpm(ctx, sec, NULL);
		return;
	}
	json_set_str(sec, "manager", "none");
	{
		static const char *const paths[] = {"packages.installed",
		    "packages.count", "packages.pending", "packages.sources",
		    "packages.lists_present", "packages.lists_age_days",
		    "packages.last_upgrade", "packages.last_upgrade_days",
		    "packages.auto_updates", NULL};

		for (i = 0; paths[i] != NULL; i++)
			collect_unavailable(ctx, paths[i], "na",
			    "không tìm thấy trình quản lý gói (dpkg, rpm)",
			    "no package manager (dpkg, rpm) found");
	}
}
