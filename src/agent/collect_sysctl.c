/*
 * collect_sysctl.c — kernel network and hardening parameters. On the
 * running system the values come from /proc/sys; on a disk (--root), the
 * values it would set at boot, applying sysctl.d(5) files the way
 * systemd-sysctl does: one list ordered by file name, a name in /etc
 * hiding the same name in /run and /usr/lib, then /etc/sysctl.conf.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "agent/collect.h"
#include "agent/sysparse.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

#define SYSCTL_MAX_FILES 1024

static const struct {
	const char *fact; /* sysctl.<fact> */
	const char *key;  /* kernel name, dotted */
} sysctl_table[SYSCTL_N] = {
    [SYSCTL_RANDOMIZE_VA_SPACE] = {"randomize_va_space",
                                   "kernel.randomize_va_space"},
    [SYSCTL_IP_FORWARD] = {"ip_forward", "net.ipv4.ip_forward"},
    [SYSCTL_ACCEPT_REDIRECTS] = {"accept_redirects",
                                 "net.ipv4.conf.all.accept_redirects"},
    [SYSCTL_SEND_REDIRECTS] = {"send_redirects",
                               "net.ipv4.conf.all.send_redirects"},
    [SYSCTL_ACCEPT_SOURCE_ROUTE] = {"accept_source_route",
                                    "net.ipv4.conf.all.accept_source_route"},
    [SYSCTL_RP_FILTER] = {"rp_filter", "net.ipv4.conf.all.rp_filter"},
    [SYSCTL_TCP_SYNCOOKIES] = {"tcp_syncookies", "net.ipv4.tcp_syncookies"},
    [SYSCTL_KPTR_RESTRICT] = {"kptr_restrict", "kernel.kptr_restrict"},
    [SYSCTL_DMESG_RESTRICT] = {"dmesg_restrict", "kernel.dmesg_restrict"},
    [SYSCTL_PROTECTED_SYMLINKS] = {"protected_symlinks",
                                   "fs.protected_symlinks"},
    [SYSCTL_SUID_DUMPABLE] = {"suid_dumpable", "fs.suid_dumpable"},
};

/* Directories of sysctl.d files, highest precedence first. */
static const char *const sysctl_dirs[] = {
    "/etc/sysctl.d",     "/run/sysctl.d", "/usr/local/lib/sysctl.d",
    "/usr/lib/sysctl.d", "/lib/sysctl.d", NULL,
};

/* sysctl.d(5): when the first separator is '/', '/' separates and '.'
 * is part of a name; the result uses '.' as separator. */
static void
collect_sysctl_normalize(char *key)
{
	char *p, *slash = strchr(key, '/'), *dot = strchr(key, '.');

	if (slash == NULL || (dot != NULL && dot < slash))
		return;
	for (p = key; *p; p++)
		if (*p == '/')
			*p = '.';
		else if (*p == '.')
			*p = '/';
}

int
collect_sysctl_parse(const char *buf, size_t len, struct sysctl_values *vals)
{
	const char *p = buf, *end = buf + len, *l;
	size_t ll;
	int line = 0, bad = 0, i;

	if (len > 0 && !text_valid_utf8(buf, len))
		return -1;
	while (text_next_line(&p, end, &l, &ll)) {
		char *t = text_ndup(l, ll), *key, *val, *eq;
		long n;

		line++;
		text_trim(t);
		if (t[0] == '\0' || t[0] == '#' || t[0] == ';') {
			free(t);
			continue;
		}
		eq = strchr(t, '=');
		if (eq == NULL) {
			if (bad == 0)
				bad = line;
			free(t);
			continue;
		}
		*eq = '\0';
		key = text_trim(t[0] == '-' ? t + 1 : t);
		val = text_trim(eq + 1);
		collect_sysctl_normalize(key);
		if (key[0] == '\0') {
			if (bad == 0)
				bad = line;
			free(t);
			continue;
		}
		for (i = 0; i < SYSCTL_N; i++) {
			if (fnmatch(key, sysctl_table[i].key, 0) != 0)
				continue;
			vals->v[i] = text_to_long(val, &n) && n >= -1000000 &&
			                     n <= 1000000
			                 ? n
			                 : SYSCTL_BAD;
			vals->line[i] = line;
		}
		free(t);
	}
	return bad;
}

static void
collect_sysctl_add_file(char ***files, size_t *n, const char *dir,
                        const char *name)
{
	size_t i;

	/* the same name in a directory of higher precedence hides it */
	for (i = 0; i < *n; i++) {
		const char *b = strrchr((*files)[i], '/') + 1;

		if (strcmp(b, name) == 0)
			return;
	}
	*files = reallocarray(*files, *n + 1, sizeof(**files));
	if (*files == NULL)
		abort();
	(*files)[(*n)++] = file_join(dir, name);
}

static int
collect_sysctl_by_name(const void *a, const void *b)
{
	const char *x = strrchr(*(char *const *)a, '/') + 1;
	const char *y = strrchr(*(char *const *)b, '/') + 1;

	return strcmp(x, y);
}

static void
collect_sysctl_fail_all(struct collect_ctx *ctx, const char *file, int err,
                        int line)
{
	char path[64];
	int i;

	for (i = 0; i < SYSCTL_N; i++) {
		snprintf(path, sizeof(path), "sysctl.%s", sysctl_table[i].fact);
		if (err != 0)
			collect_file_error(ctx, path, file, err);
		else
			collect_parse_error(
			    ctx, path, file, line,
			    "dòng không đúng cú pháp khóa = giá trị",
			    "line is not key = value");
	}
}

static void
collect_sysctl_configured(struct collect_ctx *ctx, json_t *sec)
{
	struct sysctl_values vals;
	char **files = NULL, **names, path[64], link[4096], *buf, *vi, *en;
	const char *src[SYSCTL_N] = {0};
	size_t nfiles = 0, n, i, len;
	int d, r, k;

	for (k = 0; k < SYSCTL_N; k++) {
		vals.v[k] = -1;
		vals.line[k] = 0;
	}
	for (d = 0; sysctl_dirs[d] != NULL; d++) {
		r = file_list(ctx->rootfd, sysctl_dirs[d], SYSCTL_MAX_FILES,
		              &names, &n);
		if (r == -ENOENT || r == -ENOTDIR)
			continue;
		if (r < 0) {
			collect_sysctl_fail_all(ctx, sysctl_dirs[d], r, 0);
			continue;
		}
		for (i = 0; i < n; i++) {
			len = strlen(names[i]);
			if (len > 5 && strcmp(names[i] + len - 5, ".conf") == 0)
				collect_sysctl_add_file(
				    &files, &nfiles, sysctl_dirs[d], names[i]);
		}
		file_list_free(names, n);
	}
	if (nfiles > 0)
		qsort(files, nfiles, sizeof(*files), collect_sysctl_by_name);
	files = reallocarray(files, nfiles + 1, sizeof(*files));
	if (files == NULL)
		abort();
	files[nfiles++] = text_dup("/etc/sysctl.conf");

	for (i = 0; i < nfiles; i++) {
		struct sysctl_values before = vals;

		/* a link to /dev/null masks the name; a dangling link sets
		 * nothing at boot either */
		if (file_readlink(ctx->rootfd, files[i], link, sizeof(link)) ==
		        0 &&
		    strcmp(link, "/dev/null") == 0)
			continue;
		r = file_read(ctx->rootfd, files[i], FILE_MAX_SMALL, &buf,
		              &len);
		if (r == -ENOENT)
			continue;
		if (r < 0) {
			/* a file we cannot read may set any of them */
			collect_sysctl_fail_all(ctx, files[i], r, 0);
			continue;
		}
		r = collect_sysctl_parse(buf, len, &vals);
		free(buf);
		if (r < 0)
			collect_sysctl_fail_all(ctx, files[i], 0, 0);
		for (k = 0; k < SYSCTL_N; k++)
			if (vals.line[k] != before.line[k] ||
			    vals.v[k] != before.v[k])
				src[k] = files[i];
		for (k = 0; k < SYSCTL_N; k++) {
			if (vals.v[k] != SYSCTL_BAD || src[k] != files[i])
				continue;
			snprintf(path, sizeof(path), "sysctl.%s",
			         sysctl_table[k].fact);
			vi = text_printf("giá trị của %s không phải số nguyên",
			                 sysctl_table[k].key);
			en = text_printf("the value of %s is not an integer",
			                 sysctl_table[k].key);
			collect_parse_error(ctx, path, files[i], vals.line[k],
			                    vi, en);
			free(vi);
			free(en);
		}
	}
	for (k = 0; k < SYSCTL_N; k++) {
		snprintf(path, sizeof(path), "sysctl.%s", sysctl_table[k].fact);
		if (json_object_get(ctx->unavailable, path) == NULL &&
		    vals.v[k] != SYSCTL_BAD)
			json_set_int(sec, sysctl_table[k].fact, vals.v[k]);
	}
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
}

static void
collect_sysctl_running(struct collect_ctx *ctx, json_t *sec)
{
	char proc[128], path[64], *buf, *p;
	long n;
	size_t len;
	int k, r;

	for (k = 0; k < SYSCTL_N; k++) {
		snprintf(proc, sizeof(proc), "/proc/sys/%s",
		         sysctl_table[k].key);
		for (p = proc + 10; *p; p++)
			if (*p == '.')
				*p = '/';
		snprintf(path, sizeof(path), "sysctl.%s", sysctl_table[k].fact);
		r = file_read(ctx->rootfd, proc, 4096, &buf, &len);
		if (r == -ENOENT) {
			/* not in this kernel: nothing sets it */
			json_set_int(sec, sysctl_table[k].fact, -1);
			continue;
		}
		if (r < 0) {
			collect_file_error(ctx, path, proc, r);
			continue;
		}
		text_trim(buf);
		if (text_to_long(buf, &n))
			json_set_int(sec, sysctl_table[k].fact, n);
		else
			collect_parse_error(ctx, path, proc, 1,
			                    "giá trị không phải số nguyên",
			                    "value is not an integer");
		free(buf);
	}
}

void
collect_sysctl(struct collect_ctx *ctx)
{
	json_t *sec = collect_section(ctx, "sysctl");

	if (ctx->live) {
		json_set_str(sec, "source", "running");
		collect_sysctl_running(ctx, sec);
	} else {
		json_set_str(sec, "source", "configured");
		collect_sysctl_configured(ctx, sec);
	}
}
