/*
 * collect_av.c — the "av" facts: which anti-virus products are installed,
 * whether they scan in real time, update themselves, and how old their
 * signatures are. ClamAV is read in depth (its configuration and the
 * header of its signature databases); other Linux products are recognised
 * by their installation directories, packages and services, and what
 * cannot be read of them is marked unavailable, never guessed.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/collect.h"
#include "agent/collect_av.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

#define AV_MAX_CRON_FILES 1000
#define AV_NAMES_SIZE 512

/* Products whose facts are partly unknown, per fact, for one reason. */
struct av_gaps {
	char age[AV_NAMES_SIZE];
	char realtime[AV_NAMES_SIZE];
	char updater[AV_NAMES_SIZE];
	char running[AV_NAMES_SIZE];
};

/* Other products: recognised, but their state is their own business. */
struct av_vendor {
	const char *name;
	const char *dirs[3];
	const char *packages[3];
	const char *services[3];
};

static const struct av_vendor av_vendors[] = {
	{"ESET Endpoint Antivirus", {"/opt/eset/eea", "/opt/eset/esets"},
	    {"eea", "esets"}, {"eea.service", "esets.service"}},
	{"Kaspersky Endpoint Security", {"/opt/kaspersky/kesl"}, {"kesl"},
	    {"kesl.service"}},
	{"Bitdefender Endpoint Security Tools",
	    {"/opt/bitdefender-security-tools"}, {"bitdefender-security-tools"},
	    {"bdsec.service"}},
	{"Sophos Protection for Linux", {"/opt/sophos-spl"}, {NULL},
	    {"sophos-spl.service"}},
	{"Trellix Endpoint Security", {"/opt/McAfee/ens", "/opt/isec/ens"},
	    {"mcafeetp", "mfetp"}, {"mfetpd.service"}},
	{"Trend Micro Deep Security Agent", {"/opt/ds_agent"}, {"ds-agent"},
	    {"ds_agent.service"}},
	{"Microsoft Defender for Endpoint", {"/opt/microsoft/mdatp"},
	    {"mdatp"}, {"mdatp.service"}},
	{"SentinelOne", {"/opt/sentinelone"}, {"sentinelagent"},
	    {"sentinelone.service"}},
	{"CrowdStrike Falcon", {"/opt/CrowdStrike"}, {"falcon-sensor"},
	    {"falcon-sensor.service"}},
	{"Symantec Endpoint Protection", {"/opt/Symantec"}, {NULL}, {NULL}},
};

static const char *const av_clam_packages[] = {
	"clamav", "clamav-daemon", "clamav-freshclam", "clamd", NULL
};
static const char *const av_clam_files[] = {
	"/usr/bin/clamscan", "/usr/sbin/clamd", "/usr/bin/freshclam", NULL
};

static void
av_note(char *names, const char *name)
{
	size_t n = strlen(names);

	if (strstr(names, name) != NULL)
		return;
	snprintf(names + n, AV_NAMES_SIZE - n, "%s%s", n ? ", " : "", name);
}

static json_t *
av_list(struct collect_ctx *ctx, const char *path)
{
	json_t *l = json_path(ctx->facts, path);

	return json_is_array(l) ? l : NULL;
}

static bool
av_has(json_t *list, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(list, i, v) {
		const char *t = json_string_value(v);
		if (t != NULL && strcmp(t, s) == 0)
			return true;
	}
	return false;
}

static bool
av_package(struct collect_ctx *ctx, const char *name)
{
	json_t *l = av_list(ctx, "packages.installed");
	size_t i;
	json_t *p;

	json_array_foreach(l, i, p) {
		const char *n = json_str(p, "name", "");
		const char *st = json_str(p, "state", "installed");
		if (strcmp(n, name) == 0 && strcmp(st, "config-files") != 0 &&
		    strcmp(st, "not-installed") != 0)
			return true;
	}
	return false;
}

/*
 * The header is checked field by field; anything unexpected fails.
 */
static bool
av_digits(const char *s, size_t maxlen)
{
	size_t n = strlen(s);

	if (n == 0 || n > maxlen)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool
av_charset(const char *s, const char *set, size_t maxlen)
{
	size_t n = strlen(s);

	if (n == 0 || n > maxlen)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && strchr(set, *s) == NULL)
			return false;
	return true;
}

int
collect_av_parse_cvd_header(const char *buf, size_t len,
    struct cvd_header *h)
{
	char hdr[CVD_HEADER_SIZE + 1], *f[9], *p;
	size_t n = len < CVD_HEADER_SIZE ? len : CVD_HEADER_SIZE, i;
	int nf;

	memset(h, 0, sizeof(*h));
	if (buf == NULL)
		return -1;
	memcpy(hdr, buf, n);
	while (n > 0 && (hdr[n - 1] == ' ' || hdr[n - 1] == '\0' ||
	    hdr[n - 1] == '\n' || hdr[n - 1] == '\r'))
		n--;
	hdr[n] = '\0';
	for (i = 0; i < n; i++)
		if (hdr[i] < 0x20 || hdr[i] > 0x7e)
			return -1;
	if (strncmp(hdr, "ClamAV-VDB:", 11) != 0)
		return -1;
	for (p = hdr, nf = 0; p != NULL && nf < 9; nf++) {
		f[nf] = p;
		if ((p = strchr(p, ':')) != NULL)
			*p++ = '\0';
	}
	if (nf != 9 || p != NULL)
		return -1;
	if (!av_charset(f[1], " -+", sizeof(h->build_date) - 1))
		return -1;
	if (!av_digits(f[2], 10) || !av_digits(f[3], 10) ||
	    !av_digits(f[4], 5) || !av_digits(f[8], 12))
		return -1;
	if (strcmp(f[5], "X") != 0) {
		if (strlen(f[5]) != 32)
			return -1;
		for (p = f[5]; *p; p++)
			if (!isxdigit((unsigned char)*p))
				return -1;
	}
	if (!av_charset(f[6], "+/=", 1024))
		return -1;
	if (!av_charset(f[7], "-_.@", sizeof(h->builder) - 1))
		return -1;
	snprintf(h->build_date, sizeof(h->build_date), "%s", f[1]);
	snprintf(h->builder, sizeof(h->builder), "%s", f[7]);
	h->version = strtoul(f[2], NULL, 10);
	h->signatures = strtoul(f[3], NULL, 10);
	h->flevel = strtoul(f[4], NULL, 10);
	h->build_time = strtoll(f[8], NULL, 10);
	if (h->version == 0 || h->version > 0xffffffffUL ||
	    h->signatures > 0xffffffffUL)
		return -1;
	/* 2000-01-01 .. 2100-01-01: anything else is not a build time. */
	if (h->build_time < 946684800LL || h->build_time >= 4102444800LL)
		return -1;
	return 0;
}

/* Reads the first 512 bytes of a database (which may weigh 100 MB). */
static int
av_read_head(struct collect_ctx *ctx, const char *path, char *buf,
    size_t *len)
{
	struct stat st;
	ssize_t r;
	int fd;

	*len = 0;
	if ((fd = file_open(ctx->rootfd, path, O_RDONLY | O_NONBLOCK)) < 0)
		return fd;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	while (*len < CVD_HEADER_SIZE) {
		r = read(fd, buf + *len, CVD_HEADER_SIZE - *len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = -errno;
			close(fd);
			return (int)r;
		}
		if (r == 0)
			break;
		*len += (size_t)r;
	}
	close(fd);
	return 0;
}

/* The last value of a ClamAV configuration option, malloc'd, or NULL. */
static char *
av_conf_get(const char *buf, size_t len, const char *key)
{
	const char *p = buf, *end, *line;
	size_t ll, kl = strlen(key);
	char *val = NULL;

	if (buf == NULL)
		return NULL;
	end = buf + len;
	while (text_next_line(&p, end, &line, &ll)) {
		while (ll > 0 && (*line == ' ' || *line == '\t')) {
			line++;
			ll--;
		}
		if (ll <= kl || strncasecmp(line, key, kl) != 0 ||
		    (line[kl] != ' ' && line[kl] != '\t'))
			continue;
		free(val);
		val = text_ndup(line + kl, ll - kl);
		text_trim(val);
		if (val[0] == '"' && strlen(val) >= 2 &&
		    val[strlen(val) - 1] == '"') {
			memmove(val, val + 1, strlen(val) - 2);
			val[strlen(val) - 2] = '\0';
		}
		if (val[0] == '\0') {
			free(val);
			val = NULL;
		}
	}
	return val;
}

static bool
av_conf_set(const char *buf, size_t len, const char *key)
{
	char *v = av_conf_get(buf, len, key);
	bool set = v != NULL;

	free(v);
	return set;
}

/* Reads the first existing file of paths; ENOENT is silent. */
static int
av_read_conf(struct collect_ctx *ctx, const char *const *paths,
    char **buf, size_t *len, const char **used)
{
	int r = -ENOENT;

	*buf = NULL;
	*len = 0;
	*used = NULL;
	for (; *paths != NULL; paths++) {
		r = file_read(ctx->rootfd, *paths, FILE_MAX_SMALL, buf, len);
		if (r != -ENOENT) {
			*used = *paths;
			return r;
		}
	}
	return r;
}

/*
 * Signature age: the newest valid daily database (daily.cld or
 * daily.cvd), or main when no daily exists. A corrupt database is an
 * error: clamd would refuse it.
 */
static void
av_clam_signatures(struct collect_ctx *ctx, json_t *item, const char *dir)
{
	static const char *const names[][2] = {
		{"daily.cld", "daily.cvd"}, {"main.cld", "main.cvd"}
	};
	struct cvd_header h, best;
	char head[CVD_HEADER_SIZE], ver[24];
	size_t len, g, i;
	bool found = false, bad = false;
	char *path;
	int r;

	memset(&best, 0, sizeof(best));
	for (g = 0; g < 2 && !found && !bad; g++) {
		for (i = 0; i < 2; i++) {
			path = file_join(dir, names[g][i]);
			r = av_read_head(ctx, path, head, &len);
			if (r == -ENOENT) {
				free(path);
				continue;
			}
			if (r < 0) {
				collect_file_error(ctx,
				    "av.products.signature_age_days", path, r);
				bad = true;
			} else if (collect_av_parse_cvd_header(head, len,
			    &h) != 0) {
				collect_parse_error(ctx,
				    "av.products.signature_age_days", path, 0,
				    "tiêu đề cơ sở dữ liệu mẫu nhận diện "
				    "ClamAV "
				    "không hợp lệ",
				    "the header of this ClamAV signature "
				    "database is malformed");
				bad = true;
			} else if (!found || h.version > best.version) {
				best = h;
				found = true;
			}
			free(path);
		}
	}
	if (bad || !found) {
		if (!bad)
			collect_unavailable(ctx,
			    "av.products.signature_age_days", "error",
			    "không tìm thấy cơ sở dữ liệu mẫu nhận diện của "
			    "ClamAV",
			    "no ClamAV signature database was found");
		json_set_str(item, "signature_version", "");
		return;
	}
	snprintf(ver, sizeof(ver), "%lu", best.version);
	json_set_str(item, "signature_version", ver);
	if (best.build_time > ctx->now + 86400) {
		collect_unavailable(ctx, "av.products.signature_age_days",
		    "error",
		    "mẫu nhận diện ClamAV có thời điểm tạo ở tương lai "
		    "(đồng hồ máy sai?)",
		    "the ClamAV signatures are dated in the future (wrong "
		    "clock?)");
		return;
	}
	json_set_int(item, "signature_age_days",
	    best.build_time >= ctx->now ? 0 :
	    (ctx->now - best.build_time) / 86400);
}

/* A non-comment line of path mentions freshclam. */
static bool
av_mentions_freshclam(struct collect_ctx *ctx, const char *path)
{
	const char *p, *end, *l;
	char *buf, *line;
	size_t len, ll;
	bool hit = false;

	if (file_read(ctx->rootfd, path, FILE_MAX_SMALL, &buf, &len) != 0)
		return false;
	p = buf;
	end = buf + len;
	while (!hit && text_next_line(&p, end, &l, &ll)) {
		line = text_ndup(l, ll);
		text_trim(line);
		hit = line[0] != '#' && strstr(line, "freshclam") != NULL;
		free(line);
	}
	free(buf);
	return hit;
}

/* freshclam run from cron instead of its daemon. */
static bool
av_cron_freshclam(struct collect_ctx *ctx)
{
	static const char *const dirs[] = {
		"/etc/cron.d", "/etc/cron.hourly", "/etc/cron.daily",
		"/var/spool/cron/crontabs", "/var/spool/cron", NULL
	};
	char **names, *path;
	size_t n, i, d;
	bool hit;

	hit = av_mentions_freshclam(ctx, "/etc/crontab");
	for (d = 0; !hit && dirs[d] != NULL; d++) {
		if (file_list(ctx->rootfd, dirs[d], AV_MAX_CRON_FILES, &names,
		    &n) != 0)
			continue;
		for (i = 0; i < n && !hit; i++) {
			path = file_join(dirs[d], names[i]);
			hit = av_mentions_freshclam(ctx, path);
			free(path);
		}
		file_list_free(names, n);
	}
	return hit;
}

static void
av_clamav(struct collect_ctx *ctx, json_t *products, struct av_gaps *gaps)
{
	static const char *const fresh_paths[] = {
		"/etc/clamav/freshclam.conf", "/etc/freshclam.conf", NULL
	};
	static const char *const clamd_paths[] = {
		"/etc/clamav/clamd.conf", "/etc/clamd.d/scan.conf",
		"/etc/clamd.conf", NULL
	};
	json_t *enabled = av_list(ctx, "services.enabled");
	json_t *active = av_list(ctx, "services.active");
	char *fresh, *clamd, *dir;
	const char *fresh_used, *clamd_used;
	size_t flen, clen, i;
	bool found = false, onacc, on;
	int r, cr;
	json_t *item;

	for (i = 0; av_clam_packages[i] != NULL && !found; i++)
		found = av_package(ctx, av_clam_packages[i]);
	for (i = 0; av_clam_files[i] != NULL && !found; i++)
		found = file_exists(ctx->rootfd, av_clam_files[i]);
	if (!found)
		return;
	item = json_object();
	json_set_str(item, "name", "ClamAV");
	json_set_bool(item, "installed", true);

	r = av_read_conf(ctx, fresh_paths, &fresh, &flen, &fresh_used);
	if (r < 0 && r != -ENOENT)
		collect_file_error(ctx, "av.products.signature_age_days",
		    fresh_used, r);
	cr = av_read_conf(ctx, clamd_paths, &clamd, &clen, &clamd_used);
	if (cr < 0 && cr != -ENOENT)
		collect_file_error(ctx, "av.products.realtime", clamd_used,
		    cr);

	/* Databases: where freshclam writes them. */
	dir = av_conf_get(fresh, flen, "DatabaseDirectory");
	if (dir == NULL)
		dir = av_conf_get(clamd, clen, "DatabaseDirectory");
	if (dir == NULL || dir[0] != '/') {
		free(dir);
		dir = text_dup("/var/lib/clamav");
	}
	av_clam_signatures(ctx, item, dir);
	free(dir);

	/* The scanning daemon. */
	if (ctx->live) {
		if (active == NULL)
			av_note(gaps->running, "ClamAV");
		else
			json_set_bool(item, "running",
			    av_has(active, "clamav-daemon.service") ||
			    av_has(active, "clamd.service") ||
			    av_has(active, "clamd@scan.service"));
	}

	/* On-access scanning: configured in clamd, run by clamonacc. */
	onacc = av_conf_set(clamd, clen, "OnAccessIncludePath") ||
	    av_conf_set(clamd, clen, "OnAccessMountPath");
	if (cr < 0 && cr != -ENOENT)
		;	/* clamd.conf unreadable: already marked */
	else if (!onacc)
		json_set_bool(item, "realtime", false);
	else if (enabled == NULL)
		av_note(gaps->realtime, "ClamAV");
	else {
		on = av_has(enabled, "clamav-clamonacc.service") ||
		    av_has(enabled, "clamonacc.service");
		if (on && ctx->live) {
			if (active == NULL)
				av_note(gaps->realtime, "ClamAV");
			else
				json_set_bool(item, "realtime",
				    av_has(active,
					"clamav-clamonacc.service") ||
				    av_has(active, "clamonacc.service"));
		} else
			json_set_bool(item, "realtime", on);
	}

	/* Updates: freshclam's daemon, or freshclam from cron. */
	if (av_cron_freshclam(ctx))
		json_set_bool(item, "updater", true);
	else if (enabled == NULL)
		av_note(gaps->updater, "ClamAV");
	else
		json_set_bool(item, "updater",
		    av_has(enabled, "clamav-freshclam.service") ||
		    av_has(enabled, "freshclam.service"));
	free(fresh);
	free(clamd);
	json_array_append_new(products, item);
}

static void
av_vendor(struct collect_ctx *ctx, const struct av_vendor *v,
    json_t *products, struct av_gaps *gaps)
{
	json_t *active = av_list(ctx, "services.active");
	bool found = false, run = false;
	json_t *item;
	size_t i;

	for (i = 0; i < 3 && v->dirs[i] != NULL && !found; i++)
		found = file_exists(ctx->rootfd, v->dirs[i]);
	for (i = 0; i < 3 && v->packages[i] != NULL && !found; i++)
		found = av_package(ctx, v->packages[i]);
	if (!found)
		return;
	item = json_object();
	json_set_str(item, "name", v->name);
	json_set_bool(item, "installed", true);
	json_set_str(item, "signature_version", "");
	if (ctx->live) {
		if (active == NULL || v->services[0] == NULL)
			av_note(gaps->running, v->name);
		else {
			for (i = 0; i < 3 && v->services[i] != NULL; i++)
				run = run || av_has(active, v->services[i]);
			json_set_bool(item, "running", run);
		}
	}
	/* Real-time scanning, updates and signature age live in the
	 * vendor's own databases, which are not read. */
	av_note(gaps->realtime, v->name);
	av_note(gaps->updater, v->name);
	av_note(gaps->age, v->name);
	json_array_append_new(products, item);
}

static void
av_mark(struct collect_ctx *ctx, const char *path, const char *names,
    const char *what_vi, const char *what_en)
{
	char *vi, *en;

	if (names[0] == '\0')
		return;
	vi = text_printf("không xác định được %s của: %s", what_vi, names);
	en = text_printf("the %s of %s cannot be determined", what_en, names);
	collect_unavailable(ctx, path, "error", vi, en);
	free(vi);
	free(en);
}

void
collect_av(struct collect_ctx *ctx)
{
	json_t *sec = collect_section(ctx, "av");
	json_t *products = json_array();
	struct av_gaps gaps;
	size_t i;

	memset(&gaps, 0, sizeof(gaps));
	av_clamav(ctx, products, &gaps);
	for (i = 0; i < sizeof(av_vendors) / sizeof(av_vendors[0]); i++)
		av_vendor(ctx, &av_vendors[i], products, &gaps);
	json_object_set_new(sec, "products", products);
	av_mark(ctx, "av.products.signature_age_days", gaps.age,
	    "tuổi mẫu nhận diện", "signature age");
	av_mark(ctx, "av.products.realtime", gaps.realtime,
	    "trạng thái bảo vệ thời gian thực", "real-time protection");
	av_mark(ctx, "av.products.updater", gaps.updater,
	    "trạng thái tự động cập nhật mẫu nhận diện",
	    "automatic signature update");
	av_mark(ctx, "av.products.running", gaps.running,
	    "trạng thái dịch vụ quét", "scanning service state");
	if (!ctx->live)
		collect_not_live(ctx, "av.products.running");
}
