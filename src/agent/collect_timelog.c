/*
 * collect_timelog.c — clock synchronisation and system logging: which
 * time service is enabled (from services.enabled, written earlier by
 * collect_services) or at least installed; whether the journal is kept
 * on disk (journald.conf Storage=); the syslog daemon and whether it
 * forwards to another host; auditd.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent/collect.h"
#include "agent/keyfile.h"
#include "agent/sysparse.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

#define TIMELOG_MAX_FILES 512

/* true when unit is in services.enabled; *known false when that list is
 * not available */
static void
collect_timelog_no_services(struct collect_ctx *ctx, const char *path)
{
	collect_unavailable(
	    ctx, path, "error",
	    "không biết các dịch vụ được bật (services.enabled)",
	    "the enabled services are unknown (services.enabled)");
}

static void
collect_timelog_timesync(struct collect_ctx *ctx)
{
	static const struct {
		const char *name;
		const char *units[3];
		const char *files[3];
	} svc[] = {
	    {"systemd-timesyncd",
	     {"systemd-timesyncd.service", NULL},
	     {"/lib/systemd/systemd-timesyncd",
	      "/usr/lib/systemd/systemd-timesyncd", NULL}},
	    {"chrony",
	     {"chrony.service", "chronyd.service", NULL},
	     {"/etc/chrony/chrony.conf", "/etc/chrony.conf", NULL}},
	    {"ntpsec",
	     {"ntpsec.service", NULL},
	     {"/etc/ntpsec/ntp.conf", NULL}},
	    {"ntp",
	     {"ntp.service", "ntpd.service", NULL},
	     {"/etc/ntp.conf", NULL}},
	    {"openntpd",
	     {"openntpd.service", NULL},
	     {"/etc/openntpd/ntpd.conf", NULL}},
	};
	json_t *sec = collect_section(ctx, "timesync");
	const char *installed = NULL;
	bool known = true;
	size_t i, k;

	for (i = 0; i < sizeof(svc) / sizeof(svc[0]); i++) {
		for (k = 0; svc[i].units[k] != NULL; k++)
			if (collect_unit_enabled(ctx, svc[i].units[k],
			                            &known)) {
				json_set_str(sec, "service", svc[i].name);
				json_set_bool(sec, "enabled", true);
				return;
			}
		for (k = 0; installed == NULL && svc[i].files[k] != NULL; k++)
			if (file_exists(ctx->rootfd, svc[i].files[k]))
				installed = svc[i].name;
	}
	json_set_str(sec, "service", installed ? installed : "");
	if (known)
		json_set_bool(sec, "enabled", false);
	else
		collect_timelog_no_services(ctx, "timesync.enabled");
}

/* Storage= of journald.conf and its drop-ins: "auto" when not set. */
static void
collect_timelog_journal(struct collect_ctx *ctx, json_t *sec)
{
	static const char *const dirs[] = {
	    "/usr/lib/systemd/journald.conf.d", "/lib/systemd/journald.conf.d",
	    "/run/systemd/journald.conf.d", "/etc/systemd/journald.conf.d",
	    NULL};
	const char *path = "logging.journal_persistent", *v;
	char *storage = text_dup("auto"), **names, *f;
	struct keyfile kf;
	struct stat st;
	size_t n, i;
	int d, r;

	/* the main file first, then the drop-ins in name order */
	memset(&kf, 0, sizeof(kf));
	r = keyfile_load(ctx->rootfd, "/etc/systemd/journald.conf", &kf);
	if (r < 0 && r != -ENOENT)
		collect_file_error(ctx, path, "/etc/systemd/journald.conf", r);
	else if (r > 0)
		collect_parse_error(ctx, path, "/etc/systemd/journald.conf", r,
		                    "dòng không đúng cú pháp",
		                    "malformed line");
	if ((v = keyfile_get(&kf, "Journal", "Storage", NULL)) != NULL) {
		free(storage);
		storage = text_dup(v);
	}
	keyfile_free(&kf);
	for (d = 0; dirs[d] != NULL; d++) {
		if (file_list(ctx->rootfd, dirs[d], TIMELOG_MAX_FILES, &names,
		              &n) < 0)
			continue;
		for (i = 0; i < n; i++) {
			size_t l = strlen(names[i]);

			if (l < 6 || strcmp(names[i] + l - 5, ".conf") != 0)
				continue;
			f = file_join(dirs[d], names[i]);
			memset(&kf, 0, sizeof(kf));
			r = keyfile_load(ctx->rootfd, f, &kf);
			if (r < 0)
				collect_file_error(ctx, path, f, r);
			else if (r > 0)
				collect_parse_error(ctx, path, f, r,
				                    "dòng không đúng cú pháp",
				                    "malformed line");
			if ((v = keyfile_get(&kf, "Journal", "Storage",
			                     NULL)) != NULL) {
				free(storage);
				storage = text_dup(v);
			}
			keyfile_free(&kf);
			free(f);
		}
		file_list_free(names, n);
	}
	if (json_object_get(ctx->unavailable, path) == NULL) {
		if (strcmp(storage, "persistent") == 0)
			json_set_bool(sec, "journal_persistent", true);
		else if (strcmp(storage, "volatile") == 0 ||
		         strcmp(storage, "none") == 0)
			json_set_bool(sec, "journal_persistent", false);
		else if (strcmp(storage, "auto") == 0)
			json_set_bool(sec, "journal_persistent",
			              file_stat(ctx->rootfd, "/var/log/journal",
			                        &st, true) == 0 &&
			                  S_ISDIR(st.st_mode));
		else
			collect_parse_error(ctx, path,
			                    "/etc/systemd/journald.conf", 0,
			                    "giá trị Storage= không hợp lệ",
			                    "invalid Storage= value");
	}
	free(storage);
}

/* The text of a line without its comment (rsyslog: '#'). */
static bool
collect_timelog_line_forwards(const char *l, size_t ll)
{
	char *t = text_ndup(l, ll), *h, *s;
	bool fwd = false;

	h = strchr(t, '#');
	if (h != NULL)
		*h = '\0';
	s = text_trim(t);
	if (s[0] != '\0' && s[0] != '$') {
		/* legacy: "selector  @host" or "@@host" */
		char *sp = strpbrk(s, " \t");

		if (sp != NULL) {
			while (*sp == ' ' || *sp == '\t')
				sp++;
			if (sp[0] == '@' && sp[1] != '\0' &&
			    !(sp[1] == '@' && sp[2] == '\0'))
				fwd = true;
		}
		/* RainerScript: action(type="omfwd" ...) */
		if (strstr(s, "omfwd") != NULL || strstr(s, "omrelp") != NULL)
			fwd = true;
	}
	free(t);
	return fwd;
}

bool
collect_timelog_rsyslog_remote(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *l;
	size_t ll;

	while (text_next_line(&p, end, &l, &ll))
		if (collect_timelog_line_forwards(l, ll))
			return true;
	return false;
}

bool
collect_timelog_syslogng_remote(const char *buf, size_t len)
{
	static const char *const drivers[] = {
	    "network(", "tcp(", "udp(", "tcp6(", "udp6(", "syslog(", NULL};
	const char *p = buf, *end = buf + len, *l;
	size_t ll;
	bool in_dest = false, fwd = false;
	int i;

	while (!fwd && text_next_line(&p, end, &l, &ll)) {
		char *t = text_ndup(l, ll), *h, *q;

		h = strchr(t, '#');
		if (h != NULL)
			*h = '\0';
		if (strstr(t, "destination") != NULL)
			in_dest = true;
		if (in_dest)
			for (i = 0; drivers[i] != NULL; i++)
				for (q = strstr(t, drivers[i]); q != NULL;
				     q = strstr(q + 1, drivers[i]))
					/* "tcp(" but not "unix-tcp(" */
					if (q == t ||
					    !(q[-1] == '-' || q[-1] == '_' ||
					      (q[-1] >= 'a' && q[-1] <= 'z')))
						fwd = true;
		if (strchr(t, '}') != NULL && strstr(t, "};") != NULL)
			in_dest = false;
		free(t);
	}
	return fwd;
}

/* Reads main and dir/NAME.conf with fn; true when one forwards. */
static bool
collect_timelog_scan(struct collect_ctx *ctx, const char *main, const char *dir,
                     bool (*fn)(const char *, size_t))
{
	char **names = NULL, *buf, *f;
	size_t n = 0, i, len;
	bool fwd = false;
	int r;

	r = file_read(ctx->rootfd, main, FILE_MAX_SMALL, &buf, &len);
	if (r == 0) {
		fwd = fn(buf, len);
		free(buf);
	} else if (r != -ENOENT) {
		collect_file_error(ctx, "logging.remote", main, r);
	}
	if (file_list(ctx->rootfd, dir, TIMELOG_MAX_FILES, &names, &n) < 0)
		return fwd;
	for (i = 0; i < n && !fwd; i++) {
		size_t l = strlen(names[i]);

		if (l < 6 || strcmp(names[i] + l - 5, ".conf") != 0)
			continue;
		f = file_join(dir, names[i]);
		r = file_read(ctx->rootfd, f, FILE_MAX_SMALL, &buf, &len);
		if (r == 0) {
			fwd = fn(buf, len);
			free(buf);
		} else {
			collect_file_error(ctx, "logging.remote", f, r);
		}
		free(f);
	}
	file_list_free(names, n);
	return fwd;
}

static void
collect_timelog_logging(struct collect_ctx *ctx)
{
	json_t *sec = collect_section(ctx, "logging");
	const char *daemon = "";
	bool known = true, remote = false, audit;

	collect_timelog_journal(ctx, sec);

	if (collect_unit_enabled(ctx, "rsyslog.service", &known))
		daemon = "rsyslog";
	else if (collect_unit_enabled(ctx, "syslog-ng.service", &known))
		daemon = "syslog-ng";
	if (!known) {
		collect_timelog_no_services(ctx, "logging.syslog_daemon");
		collect_timelog_no_services(ctx, "logging.remote");
		collect_timelog_no_services(ctx, "logging.auditd");
		return;
	}
	json_set_str(sec, "syslog_daemon", daemon);
	if (strcmp(daemon, "rsyslog") == 0)
		remote = collect_timelog_scan(ctx, "/etc/rsyslog.conf",
		                              "/etc/rsyslog.d",
		                              collect_timelog_rsyslog_remote);
	else if (strcmp(daemon, "syslog-ng") == 0)
		remote = collect_timelog_scan(
		    ctx, "/etc/syslog-ng/syslog-ng.conf",
		    "/etc/syslog-ng/conf.d", collect_timelog_syslogng_remote);
	/* the journal's own uploader counts as well */
	if (collect_unit_enabled(ctx, "systemd-journal-upload.service",
	                            &known))
		remote = true;
	/* one forwarding rule is enough, even if another file was not read */
	if (remote)
		json_object_del(ctx->unavailable, "logging.remote");
	if (json_object_get(ctx->unavailable, "logging.remote") == NULL)
		json_set_bool(sec, "remote", remote);

	audit = collect_unit_enabled(ctx, "auditd.service", &known) &&
	        (file_exists(ctx->rootfd, "/etc/audit/auditd.conf") ||
	         file_exists(ctx->rootfd, "/sbin/auditd") ||
	         file_exists(ctx->rootfd, "/usr/sbin/auditd"));
	json_set_bool(sec, "auditd", audit);
}

void
collect_timelog(struct collect_ctx *ctx)
{
	collect_timelog_timesync(ctx);
	collect_timelog_logging(ctx);
}
