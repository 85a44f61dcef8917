/*
 * audit.c — one audit of one computer (see audit.h): configuration, policy,
 * collectors, evaluation, scores. The report it builds is the JSON contract
 * that every renderer and the server read; docs/report-json.md describes it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "agent/audit.h"
#include "agent/collect.h"
#include "agent/schema.h"
#include "agent/sysparse.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

#define AUDIT_DEFAULT_CONFIG "/etc/canhgac/agent.conf"
#define AUDIT_DEFAULT_LEVEL 2

const struct conf_key audit_conf_keys[] = {
	{"level", 1, 1, NULL},
	{"unit", 1, 1, NULL},
	{"lang", 1, 1, NULL},
	{"policy", 1, 1, NULL},
	{"param", 1, -1, NULL},
	{"disable", 1, -1, NULL},
	{"internet-probe", 1, -1, NULL},
	{"internet-probe-timeout", 1, 1, NULL},
	/* canhgac-agent run (run.c) */
	{"state-dir", 1, 1, NULL},
	{"interval", 1, 1, NULL},
	{"retry-min", 1, 1, NULL},
	{"retry-max", 1, 1, NULL},
	{"queue-max", 1, 1, NULL},
	{"batch-reports", 1, 1, NULL},
	{"upload-timeout", 1, 1, NULL},
	/* the scheduled search for classified documents (run.c,
	 * secrets_cmd.c) */
	{"secrets-paths", 1, -1, NULL},
	{"secrets-interval", 1, 1, NULL},
	{"secrets-ocr", 1, 1, NULL},
	{"secrets-max-rate", 1, 1, NULL},
	{"secrets-exclude", 1, -1, NULL},
	{"secrets-cache", 1, 1, NULL},
	{"secrets-user", 1, 1, NULL},
	{NULL, 0, 0, NULL},
};

static int
audit_where(char *buf, size_t size, const struct conf_node *n)
{
	return snprintf(buf, size, "%s:%d:%d", n->file, n->line, n->col);
}

static int
audit_config(const struct audit_opts *o, struct audit_setup *s, char *err,
    size_t errlen)
{
	const char *path = o->config;
	const struct conf_node *n;
	char where[512];
	long v;

	if (path == NULL) {
		if (access(AUDIT_DEFAULT_CONFIG, F_OK) != 0)
			return 0;
		path = AUDIT_DEFAULT_CONFIG;
	}
	s->conf = conf_load(path, 0, err, errlen);
	if (s->conf == NULL)
		return -1;
	if (conf_validate(s->conf, audit_conf_keys, err, errlen) != 0)
		return -1;
	if ((n = conf_find(s->conf->first, "level")) != NULL) {
		if (!text_to_long(n->args[0], &v) || v < 1 || v > 5) {
			audit_where(where, sizeof(where), n);
			snprintf(err, errlen, "%s: cấp độ phải từ 1 đến 5, "
			    "không phải “%s” — level must be 1 to 5, not “%s”",
			    where, n->args[0], n->args[0]);
			return -1;
		}
		s->level = (int)v;
	}
	if ((n = conf_find(s->conf->first, "lang")) != NULL) {
		if (strcmp(n->args[0], "vi") != 0 &&
		    strcmp(n->args[0], "en") != 0) {
			audit_where(where, sizeof(where), n);
			snprintf(err, errlen, "%s: ngôn ngữ phải là vi hoặc en — "
			    "lang must be vi or en", where);
			return -1;
		}
		s->lang = n->args[0];
	}
	if ((n = conf_find(s->conf->first, "unit")) != NULL)
		s->unit = n->args[0];
	if (collect_network_probe_check(s->conf, where, sizeof(where)) != 0) {
		snprintf(err, errlen, "%s: giá trị không hợp lệ (cần HOST:CỔNG "
		    "là địa chỉ IP, hoặc off; thời gian chờ 1-%d ms) — invalid "
		    "value (HOST:PORT with an IP address, or off; timeout 1-%d "
		    "ms)", where, 30000, 30000);
		return -1;
	}
	return 0;
}

int
audit_setup(const struct audit_opts *o, struct audit_setup *s, char *err,
    size_t errlen)
{
	const struct conf_node *n;
	const char *policy = o->policy;
	char where[512];
	size_t i;

	memset(s, 0, sizeof(*s));
	s->level = AUDIT_DEFAULT_LEVEL;
	s->disabled = json_object();
	if (audit_config(o, s, err, errlen) != 0)
		return -1;
	if (policy == NULL && s->conf != NULL &&
	    (n = conf_find(s->conf->first, "policy")) != NULL)
		policy = n->args[0];
	if (policy != NULL)
		s->policy = policy_load(policy, schema_embedded(), err, errlen);
	else
		s->policy = policy_load_embedded(schema_embedded(), err,
		    errlen);
	if (s->policy == NULL)
		return -1;
	if (s->policy->nchecks == 0) {
		snprintf(err, errlen, "%s: bộ tiêu chí không có tiêu chí nào — "
		    "the policy has no checks", policy ? policy : "(embedded)");
		return -1;
	}
	if (s->conf == NULL)
		return 0;
	for (n = conf_find(s->conf->first, "param"); n; n = conf_next(n)) {
		audit_where(where, sizeof(where), n);
		if (policy_set_param(s->policy, n->args[0],
		    (const char *const *)n->args + 1, n->nargs - 1, where, err,
		    errlen) != 0)
			return -1;
	}
	for (n = conf_find(s->conf->first, "disable"); n; n = conf_next(n)) {
		audit_where(where, sizeof(where), n);
		for (i = 0; i < n->nargs; i++) {
			if (policy_check(s->policy, n->args[i]) == NULL) {
				snprintf(err, errlen, "%s: không có tiêu chí "
				    "“%s” — no check “%s”", where, n->args[i],
				    n->args[i]);
				return -1;
			}
			json_object_set_new(s->disabled, n->args[i],
			    json_string(where));
		}
	}
	return 0;
}

void
audit_setup_free(struct audit_setup *s)
{
	policy_free(s->policy);
	conf_free(s->conf);
	json_decref(s->disabled);
	memset(s, 0, sizeof(*s));
}

/*
 * A stable identifier of the machine that does not reveal its machine-id
 * (systemd asks applications not to publish it): HMAC-SHA256 of the id
 * under an application key, as sd_id128_get_machine_app_specific does.
 */
static void
audit_host_id(int rootfd, const char *hostname, char *out, size_t size)
{
	static const char *files[] = {"/etc/machine-id",
	    "/var/lib/dbus/machine-id", NULL};
	static const unsigned char key[crypto_auth_hmacsha256_KEYBYTES] =
	    "canhgac host id, version 1......";
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char *buf = NULL, *id;
	size_t len = 0, i;

	for (i = 0; files[i] != NULL; i++)
		if (file_read(rootfd, files[i], 4096, &buf, &len) == 0)
			break;
	if (buf != NULL) {
		id = text_trim(buf);
		if (*id != '\0') {
			crypto_auth_hmacsha256(mac, (unsigned char *)id,
			    strlen(id), key);
			free(buf);
			goto done;
		}
		free(buf);
	}
	/* No machine-id: fall back to the host name, marked as such. */
	crypto_auth_hmacsha256(mac, (const unsigned char *)hostname,
	    strlen(hostname), key);
	snprintf(out, size, "h-");
	sodium_bin2hex(out + 2, size - 2, mac, 15);
	return;
done:
	sodium_bin2hex(out, size, mac, 16);
}

static json_t *
audit_host(struct collect_ctx *ctx, const struct audit_opts *o,
    const struct audit_setup *s)
{
	json_t *host = json_object(), *os = json_object();
	const char *hostname;
	char id[80], buf[256];

	hostname = json_string_value(json_path(ctx->facts, "system.hostname"));
	if (hostname == NULL && ctx->live && gethostname(buf, sizeof(buf)) == 0) {
		buf[sizeof(buf) - 1] = '\0';
		hostname = buf;
	}
	if (hostname == NULL)
		hostname = "";
	json_set_str(host, "hostname", hostname);
	audit_host_id(ctx->rootfd, hostname, id, sizeof(id));
	json_object_set_new(host, "id", json_string(id));
	json_set_str(os, "id", json_string_value(json_path(ctx->facts,
	    "os.id")));
	json_set_str(os, "name", json_string_value(json_path(ctx->facts,
	    "os.name")));
	json_set_str(os, "version_id", json_string_value(json_path(ctx->facts,
	    "os.version_id")));
	json_set_str(os, "codename", json_string_value(json_path(ctx->facts,
	    "os.codename")));
	json_set_str(os, "family", json_string_value(json_path(ctx->facts,
	    "os.family")));
	json_object_set_new(host, "os", os);
	json_set_str(host, "kernel", json_string_value(json_path(ctx->facts,
	    "system.kernel")));
	json_set_str(host, "arch", json_string_value(json_path(ctx->facts,
	    "system.arch")));
	json_set_str(host, "platform", "linux");
	if (s->unit != NULL)
		json_set_str(host, "unit", s->unit);
	json_set_int(host, "level", s->level);
	if (o->root != NULL)
		json_set_str(host, "root", o->root);
	return host;
}

json_t *
audit_collect(const struct audit_opts *o, struct audit_setup *s, char *err,
    size_t errlen)
{
	struct collect_ctx ctx;
	struct timespec t0, t1;
	json_t *doc, *agent;
	char when[32];
	int fd;

	memset(&ctx, 0, sizeof(ctx));
	ctx.root = o->root ? o->root : "/";
	fd = file_root_open(ctx.root);
	if (fd < 0) {
		snprintf(err, errlen, "%s: không mở được thư mục gốc: %s — "
		    "cannot open the root directory: %s", ctx.root,
		    text_strerror_vi(-fd) ? text_strerror_vi(-fd) :
		    strerror(-fd), strerror(-fd));
		return NULL;
	}
	ctx.rootfd = fd;
	ctx.live = o->root == NULL;
	ctx.privileged = geteuid() == 0;
	ctx.now = (long long)time(NULL);
	ctx.params = s->policy->params;
	ctx.conf = s->conf;
	ctx.facts = json_object();
	ctx.unavailable = json_object();

	clock_gettime(CLOCK_MONOTONIC, &t0);
	collect_all(&ctx, o->only);
	clock_gettime(CLOCK_MONOTONIC, &t1);

	doc = json_object();
	json_set_int(doc, "schema", REPORT_SCHEMA);
	agent = json_object();
	json_set_str(agent, "version", AGENT_VERSION);
	json_set_str(agent, "mode", ctx.live ? "live" : "root");
	json_set_bool(agent, "privileged", ctx.privileged);
	json_object_set_new(doc, "agent", agent);
	json_time(ctx.now, when, sizeof(when));
	json_set_str(doc, "collected_at", when);
	json_object_set_new(doc, "host", audit_host(&ctx, o, s));
	json_object_set_new(doc, "facts", ctx.facts);
	json_object_set_new(doc, "unavailable", ctx.unavailable);
	json_set_int(agent, "collect_ms",
	    (t1.tv_sec - t0.tv_sec) * 1000LL +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000);
	close(fd);
	return doc;
}

static int
audit_weight(enum severity sev)
{
	static const int w[] = {0, 1, 2, 4, 8};

	return w[sev];
}

static json_t *
audit_counts(void)
{
	return json_pack("{s:i, s:i, s:i, s:i, s:i}", "pass", 0, "fail", 0,
	    "na", 0, "error", 0, "score", 100);
}

static void
audit_count(json_t *counts, enum status st, enum severity sev, long *wpass,
    long *wtotal)
{
	const char *k = status_name(st);

	json_set_int(counts, k, json_int(counts, k, 0) + 1);
	if (st == ST_PASS || st == ST_FAIL) {
		*wtotal += audit_weight(sev);
		if (st == ST_PASS)
			*wpass += audit_weight(sev);
	}
}

/* Score 0-100: the severity-weighted share of applicable, known checks
 * that pass; 100 when nothing applicable is known. */
static void
audit_score(json_t *counts, long wpass, long wtotal)
{
	long score = 100;

	if (wtotal > 0)
		score = (200 * wpass + wtotal) / (2 * wtotal);
	json_set_int(counts, "score", score);
}

static void
audit_cite(const struct policy *p, json_t *legal, json_t *basis)
{
	const struct legal *l;
	size_t i;
	json_t *v, *e;

	json_array_foreach(basis, i, v) {
		const char *id = json_string_value(v);

		if (id == NULL || json_object_get(legal, id) != NULL)
			continue;
		if ((l = policy_legal(p, id)) == NULL)
			continue;
		e = json_pack("{s:s, s:s, s:{s:s, s:s}, s:s, s:s}", "kind",
		    l->kind, "number", l->number, "title", "vi", l->title.vi,
		    "en", l->title.en, "issued", l->issued, "effective",
		    l->effective);
		if (l->until != NULL)
			json_set_str(e, "until", l->until);
		if (l->successor != NULL)
			json_set_str(e, "successor", l->successor);
		json_set_bool(e, "cited_by_directive", l->cited);
		if (l->unverified.vi != NULL)
			json_object_set_new(e, "unverified", json_pack(
			    "{s:s, s:s}", "vi", l->unverified.vi, "en",
			    l->unverified.en));
		json_object_set_new(legal, id, e);
	}
}

/* Today's date in Vietnam (UTC+7, no daylight saving), YYYY-MM-DD. */
static void
audit_today(long long now, char *buf, size_t size)
{
	time_t t = (time_t)(now + 7 * 3600);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%d", &tm);
}

json_t *
audit_run(const struct audit_opts *o, struct audit_setup *s, char *err,
    size_t errlen)
{
	const struct policy *p = s->policy;
	json_t *doc, *findings, *summary, *points, *legal, *facts, *unav;
	long wpass = 0, wtotal = 0, pw[9][2];
	struct timespec t0, t1;
	char today[16], key[16];
	size_t i, j;

	doc = audit_collect(o, s, err, errlen);
	if (doc == NULL)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	facts = json_object_get(doc, "facts");
	unav = json_object_get(doc, "unavailable");
	{
		time_t now = time(NULL);
		audit_today((long long)now, today, sizeof(today));
	}
	findings = json_array();
	summary = audit_counts();
	points = json_object();
	legal = json_object();
	memset(pw, 0, sizeof(pw));
	for (i = 0; i < p->nchecks; i++) {
		const struct check *c = &p->checks[i];
		struct result r;
		json_t *f, *levels, *pc, *basis;
		const char *dis;

		memset(&r, 0, sizeof(r));
		dis = json_string_value(json_object_get(s->disabled, c->id));
		if (dis != NULL) {
			r.status = ST_NA;
			r.reason.vi = text_printf("đã tắt trong cấu hình (%s)",
			    dis);
			r.reason.en = text_printf("disabled by the "
			    "configuration (%s)", dis);
		} else
			policy_eval(p, c, s->level, facts, unav, &r);
		levels = json_array();
		for (j = 1; j <= 5; j++)
			if (c->levels & (1u << j))
				json_array_append_new(levels, json_integer(j));
		basis = policy_basis(p, c, today);
		audit_cite(p, legal, basis);
		f = json_pack("{s:s, s:s, s:s, s:i, s:o, s:o, s:{s:s, s:s}}",
		    "check", c->id, "status", status_name(r.status),
		    "severity", severity_name(c->severity), "point", c->point,
		    "basis", basis, "levels", levels, "title", "vi",
		    c->title.vi, "en", c->title.en);
		json_set_str(f, "evidence", r.evidence ? r.evidence : "");
		if (r.reason.vi != NULL)
			json_object_set_new(f, "reason", json_pack(
			    "{s:s, s:s}", "vi", r.reason.vi, "en",
			    r.reason.en ? r.reason.en : r.reason.vi));
		json_object_set_new(f, "rationale", json_pack("{s:s, s:s}",
		    "vi", c->rationale.vi, "en", c->rationale.en));
		json_object_set_new(f, "remedy", json_pack("{s:s, s:s}", "vi",
		    c->remedy.vi, "en", c->remedy.en));
		json_array_append_new(findings, f);

		audit_count(summary, r.status, c->severity, &wpass, &wtotal);
		snprintf(key, sizeof(key), "%d", c->point);
		if ((pc = json_object_get(points, key)) == NULL) {
			pc = audit_counts();
			json_object_set_new(points, key, pc);
		}
		if (c->point >= 1 && c->point <= 8)
			audit_count(pc, r.status, c->severity, &pw[c->point][0],
			    &pw[c->point][1]);
		result_free(&r);
	}
	audit_score(summary, wpass, wtotal);
	for (i = 1; i <= 8; i++) {
		json_t *pc;

		snprintf(key, sizeof(key), "%zu", i);
		if ((pc = json_object_get(points, key)) != NULL)
			audit_score(pc, pw[i][0], pw[i][1]);
	}
	json_object_set_new(summary, "points", points);
	json_object_set_new(doc, "findings", findings);
	json_object_set_new(doc, "summary", summary);
	json_object_set_new(doc, "legal", legal);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	json_set_int(json_object_get(doc, "agent"), "evaluate_ms",
	    (t1.tv_sec - t0.tv_sec) * 1000LL +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000);
	return doc;
}

int
audit_exit_status(json_t *report)
{
	json_t *f;
	size_t i;

	json_array_foreach(json_object_get(report, "findings"), i, f) {
		const char *st = json_str(f, "status", "");
		const char *sev = json_str(f, "severity", "");

		if (strcmp(st, "fail") == 0 && (strcmp(sev, "high") == 0 ||
		    strcmp(sev, "critical") == 0))
			return 1;
	}
	return 0;
}
