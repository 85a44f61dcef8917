/*
 * collect_services.c — systemd units enabled at boot and running now.
 * Enabled units are the symlinks of the .wants/.requires directories and
 * the aliases (display-manager.service -> lightdm.service) of the unit
 * directories; a unit masked in /etc (symlink to /dev/null) is left out.
 * Running units are the invocation records under /run/systemd/units.
 * Names only: symlinks are read, never followed, so loops cannot hang.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "agent/collect.h"
#include "lib/file.h"
#include "lib/text.h"

#define SERVICES_MAX_DIR 4096 /* entries read from one directory */
#define SERVICES_MAX_UNITS 8192

/* Unit directories, from the administrator's to the vendor's. */
static const char *const services_dirs[] = {
    "/etc/systemd/system",
    "/usr/local/lib/systemd/system",
    "/usr/lib/systemd/system",
    "/lib/systemd/system",
    NULL,
};

static const char *const services_suffixes[] = {
    ".service",   ".socket", ".timer", ".target", ".path",   ".mount",
    ".automount", ".swap",   ".slice", ".scope",  ".device", NULL,
};

struct services_set {
	char **v;
	size_t n, cap;
};

/* A unit name: [A-Za-z0-9:_.\@-]+ with a known type suffix. */
static bool
collect_services_valid(const char *name)
{
	size_t len = strlen(name), sl;
	const char *p;
	int i;

	if (len == 0 || len > 255)
		return false;
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr(":_.\\@-", *p)))
			return false;
	for (i = 0; services_suffixes[i] != NULL; i++) {
		sl = strlen(services_suffixes[i]);
		if (len > sl &&
		    strcmp(name + len - sl, services_suffixes[i]) == 0)
			return true;
	}
	return false;
}

static bool
collect_services_has(const struct services_set *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], name) == 0)
			return true;
	return false;
}

static void
collect_services_add(struct services_set *s, const char *name)
{
	if (!collect_services_valid(name) || collect_services_has(s, name) ||
	    s->n >= SERVICES_MAX_UNITS)
		return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		char **v = reallocarray(s->v, cap, sizeof(*v));

		if (v == NULL)
			abort();
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = text_dup(name);
}

static void
collect_services_free(struct services_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static int
collect_services_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *
collect_services_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* true when /etc/systemd/system/name is a symlink to /dev/null */
static bool
collect_services_masked(struct collect_ctx *ctx, const char *name)
{
	char *p = file_join("/etc/systemd/system", name);
	char target[4096];
	bool masked;

	masked = file_readlink(ctx->rootfd, p, target, sizeof(target)) == 0 &&
	         strcmp(target, "/dev/null") == 0;
	free(p);
	return masked;
}

/*
 * One entry of a unit directory or of a .wants directory. In a .wants
 * directory every unit symlink enables its name (and, when the target's
 * name differs, that unit too); in a unit directory a symlink whose
 * target has another name is an alias made by "systemctl enable".
 */
static void
collect_services_entry(struct collect_ctx *ctx, struct services_set *set,
                       const char *dir, const char *name, bool wants)
{
	char *p = file_join(dir, name);
	char target[4096];
	const char *base;
	struct stat st;
	bool resolved;

	if (file_stat(ctx->rootfd, p, &st, false) < 0 || !S_ISLNK(st.st_mode) ||
	    file_readlink(ctx->rootfd, p, target, sizeof(target)) < 0) {
		/* a regular file in .wants enables its name as well */
		if (wants && collect_services_valid(name) &&
		    !collect_services_masked(ctx, name))
			collect_services_add(set, name);
		free(p);
		return;
	}
	if (strcmp(target, "/dev/null") == 0) {
		free(p);
		return;
	}
	/* the target's own name counts only when it leads to a file: a
	 * dangling or looping link names nothing more */
	resolved = file_stat(ctx->rootfd, p, &st, true) == 0;
	free(p);
	base = collect_services_base(target);
	if (wants) {
		if (!collect_services_masked(ctx, name))
			collect_services_add(set, name);
		if (resolved && strcmp(base, name) != 0 &&
		    !collect_services_masked(ctx, base))
			collect_services_add(set, base);
	} else if (resolved && strcmp(base, name) != 0 &&
	           collect_services_valid(base)) {
		collect_services_add(set, name);
		if (!collect_services_masked(ctx, base))
			collect_services_add(set, base);
	}
}

static void
collect_services_scan(struct collect_ctx *ctx, struct services_set *set,
                      const char *dir, bool aliases)
{
	char **names = NULL, **sub = NULL;
	size_t n = 0, nsub = 0, i, j, len;
	int r;

	r = file_list(ctx->rootfd, dir, SERVICES_MAX_DIR, &names, &n);
	if (r == -ENOENT || r == -ENOTDIR)
		return;
	if (r < 0) {
		collect_file_error(ctx, "services.enabled", dir, r);
		return;
	}
	for (i = 0; i < n; i++) {
		len = strlen(names[i]);
		if ((len > 6 && strcmp(names[i] + len - 6, ".wants") == 0) ||
		    (len > 9 && strcmp(names[i] + len - 9, ".requires") == 0)) {
			char *wd = file_join(dir, names[i]);

			r = file_list(ctx->rootfd, wd, SERVICES_MAX_DIR, &sub,
			              &nsub);
			if (r == 0) {
				for (j = 0; j < nsub; j++)
					collect_services_entry(ctx, set, wd,
					                       sub[j], true);
				file_list_free(sub, nsub);
			} else if (r != -ENOENT && r != -ENOTDIR &&
			           r != -ELOOP) {
				collect_file_error(ctx, "services.enabled", wd,
				                   r);
			}
			free(wd);
		} else if (aliases) {
			collect_services_entry(ctx, set, dir, names[i], false);
		}
	}
	file_list_free(names, n);
}

static void
collect_services_active(struct collect_ctx *ctx, json_t *sec)
{
	struct services_set set = {0};
	char **names = NULL;
	size_t n = 0, i;
	json_t *arr;
	int r;

	if (!ctx->live) {
		collect_not_live(ctx, "services.active");
		return;
	}
	r = file_list(ctx->rootfd, "/run/systemd/units", SERVICES_MAX_UNITS,
	              &names, &n);
	if (r == -ENOENT) {
		collect_unavailable(
		    ctx, "services.active", "na",
		    "systemd không chạy trên máy này (không có "
		    "/run/systemd/units)",
		    "systemd is not running here (no /run/systemd/units)");
		return;
	}
	if (r < 0) {
		collect_file_error(ctx, "services.active", "/run/systemd/units",
		                   r);
		return;
	}
	for (i = 0; i < n; i++)
		if (strncmp(names[i], "invocation:", 11) == 0)
			collect_services_add(&set, names[i] + 11);
	file_list_free(names, n);
	if (set.n > 0)
		qsort(set.v, set.n, sizeof(*set.v), collect_services_cmp);
	arr = json_array();
	for (i = 0; i < set.n; i++)
		json_array_append_new(arr, json_string(set.v[i]));
	json_object_set_new(sec, "active", arr);
	collect_services_free(&set);
}

void
collect_services(struct collect_ctx *ctx)
{
	json_t *sec = collect_section(ctx, "services"), *arr;
	struct services_set set = {0};
	size_t i;
	int d;

	for (d = 0; services_dirs[d] != NULL; d++)
		collect_services_scan(ctx, &set, services_dirs[d], d == 0);
	if (json_object_get(ctx->unavailable, "services.enabled") == NULL) {
		if (set.n > 0)
			qsort(set.v, set.n, sizeof(*set.v),
			    collect_services_cmp);
		arr = json_array();
		for (i = 0; i < set.n; i++)
			json_array_append_new(arr, json_string(set.v[i]));
		json_object_set_new(sec, "enabled", arr);
	}
	collect_services_free(&set);
	collect_services_active(ctx, sec);
}
