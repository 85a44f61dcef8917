/*
 * enroll.c — enrolment of this computer with canhgacd (enroll.h).
 *
 * The only request made without verifying the server is GET /api/v1/ca;
 * its answer is trusted only when its SHA-256 fingerprint equals the one
 * the operator typed (printed by `canhgac token create`). Every request
 * after that pins that CA. The private key is made here and never leaves
 * the computer; the state directory (mode 0700) receives ca.pem,
 * agent.key (0600), agent.pem and, last, agent.json, the mark of a
 * complete enrolment. docs/api.md describes the exchange.
 */
#define _GNU_SOURCE	/* strptime, timegm */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "agent/enroll.h"
#include "agent/upload.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/pki.h"
#include "lib/text.h"

#define ENROLL_TOKEN_MAX 256
#define ENROLL_URL_MAX 512
#define ENROLL_PEM_MAX (64u << 10)

void
enroll_free(struct enrolment *e)
{
	if (e == NULL)
		return;
	free(e->server);
	free(e->agent_id);
	free(e->unit);
	free(e->host_id);
	free(e->ca_fingerprint);
	free(e->enrolled_at);
	free(e->ca_file);
	free(e->cert_file);
	free(e->key_file);
	free(e->queue_file);
	memset(e, 0, sizeof(*e));
}

static const char *
enroll_strerror_vi(int e)
{
	return text_strerror_vi(e) ? text_strerror_vi(e) : strerror(e);
}

static void
enroll_paths(const char *dir, struct enrolment *e)
{
	e->ca_file = file_join(dir, "ca.pem");
	e->cert_file = file_join(dir, "agent.pem");
	e->key_file = file_join(dir, "agent.key");
	e->queue_file = file_join(dir, "queue.db");
}

/* "https://" host [":" port], no path, query, user or odd characters;
 * a trailing "/" is dropped. NULL when unacceptable. */
static char *
enroll_url(const char *in)
{
	size_t n = strlen(in), i;
	char *u;

	if (n > ENROLL_URL_MAX || !text_prefix_ci(in, "https://"))
		return NULL;
	u = text_dup(in);
	while (n > 8 && u[n - 1] == '/')
		u[--n] = '\0';
	if (n <= 8)
		goto bad;
	for (i = 8; i < n; i++)
		if (!((u[i] >= 'a' && u[i] <= 'z') ||
		    (u[i] >= 'A' && u[i] <= 'Z') ||
		    (u[i] >= '0' && u[i] <= '9') || strchr(".-:[]", u[i])))
			goto bad;
	memcpy(u, "https://", 8);
	return u;
bad:
	free(u);
	return NULL;
}

static bool
enroll_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (text_hexval((unsigned char)s[i]) < 0)
			return false;
	return i == n;
}

int
enroll_load(const char *state_dir, struct enrolment *e, char *err,
    size_t errlen)
{
	static const char *members[] = {"server", "agent_id", "unit",
	    "host_id", "ca_fingerprint", "enrolled_at", NULL};
	char *path, *buf = NULL;
	const char *v;
	size_t len, i;
	json_error_t je;
	json_t *j;
	int r;

	memset(e, 0, sizeof(*e));
	path = file_join(state_dir, ENROLL_FILE);
	r = file_read_path(path, FILE_MAX_SMALL, &buf, &len);
	if (r == -ENOENT) {
		free(path);
		return 1;
	}
	if (r != 0) {
		snprintf(err, errlen, "%s: không đọc được: %s — cannot read: "
		    "%s", path, enroll_strerror_vi(-r), strerror(-r));
		free(path);
		return -1;
	}
	j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	free(buf);
	if (!json_is_object(j)) {
		snprintf(err, errlen, "%s:%d:%d: không phải JSON hợp lệ: %s — "
		    "not valid JSON: %s", path, je.line, je.column, je.text,
		    je.text);
		goto fail;
	}
	for (i = 0; members[i] != NULL; i++) {
		v = json_string_value(json_object_get(j, members[i]));
		if (v == NULL || !text_valid_utf8(v, strlen(v))) {
			snprintf(err, errlen, "%s: thiếu hoặc sai “%s” — "
			    "“%s” missing or wrong", path, members[i],
			    members[i]);
			goto fail;
		}
	}
	e->server = enroll_url(json_str(j, "server", ""));
	if (e->server == NULL) {
		snprintf(err, errlen, "%s: “server” phải là https://máy:cổng "
		    "— “server” must be https://host:port", path);
		goto fail;
	}
	e->agent_id = text_dup(json_str(j, "agent_id", ""));
	e->unit = text_dup(json_str(j, "unit", ""));
	e->host_id = text_dup(json_str(j, "host_id", ""));
	e->ca_fingerprint = text_dup(json_str(j, "ca_fingerprint", ""));
	e->enrolled_at = text_dup(json_str(j, "enrolled_at", ""));
	json_decref(j);
	j = NULL;
	enroll_paths(state_dir, e);
	if (access(e->cert_file, R_OK) != 0 || access(e->key_file, R_OK) != 0 ||
	    access(e->ca_file, R_OK) != 0) {
		snprintf(err, errlen, "%s: thiếu ca.pem, agent.pem hoặc "
		    "agent.key (không đọc được: %s); hãy đăng ký lại — ca.pem, "
		    "agent.pem or agent.key missing (cannot read: %s); enrol "
		    "again", state_dir, enroll_strerror_vi(errno),
		    strerror(errno));
		goto fail;
	}
	free(path);
	return 0;
fail:
	json_decref(j);
	free(path);
	enroll_free(e);
	return -1;
}

int
enroll_host(const struct audit_opts *ao, char *id, size_t idlen,
    char *name, size_t namelen, char *err, size_t errlen)
{
	struct audit_opts o = *ao;
	struct audit_setup s;
	json_t *doc, *host;
	const char *v;

	o.only = "system";
	if (audit_setup(&o, &s, err, errlen) != 0) {
		audit_setup_free(&s);
		return -1;
	}
	doc = audit_collect(&o, &s, err, errlen);
	audit_setup_free(&s);
	if (doc == NULL)
		return -1;
	host = json_object_get(doc, "host");
	v = json_str(host, "id", "");
	if (*v == '\0' || strlen(v) >= idlen) {
		json_decref(doc);
		snprintf(err, errlen, "không xác định được mã máy — cannot "
		    "determine the host id");
		return -1;
	}
	snprintf(id, idlen, "%s", v);
	snprintf(name, namelen, "%s", json_str(host, "hostname", ""));
	json_decref(doc);
	return 0;
}

/* The state directory, made 0700 and checked to be a directory. */
static int
enroll_state_dir(const char *dir, char *err, size_t errlen)
{
	struct stat st;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: không tạo được thư mục trạng thái: "
		    "%s — cannot create the state directory: %s", dir,
		    enroll_strerror_vi(errno), strerror(errno));
		return -1;
	}
	if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: không phải thư mục — not a "
		    "directory", dir);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		snprintf(err, errlen, "%s: thư mục thuộc người dùng khác "
		    "(uid %u) — the directory belongs to another user (uid "
		    "%u)", dir, (unsigned)st.st_uid, (unsigned)st.st_uid);
		return -1;
	}
	if ((st.st_mode & 07777) != 0700 && chmod(dir, 0700) != 0) {
		snprintf(err, errlen, "%s: không đặt được quyền 0700: %s — "
		    "cannot set mode 0700: %s", dir, enroll_strerror_vi(errno),
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
enroll_write(const char *dir, const char *name, const char *text,
    mode_t mode, char *err, size_t errlen)
{
	char *path = file_join(dir, name);
	int r;

	r = file_write_atomic(path, text, strlen(text), mode);
	if (r != 0)
		snprintf(err, errlen, "%s: không ghi được: %s — cannot write: "
		    "%s", path, enroll_strerror_vi(-r), strerror(-r));
	free(path);
	return r != 0 ? -1 : 0;
}

/* GET /api/v1/ca without verification, and its fingerprint checked. */
static int
enroll_fetch_ca(const struct upload_conf *uc, const char *want,
    char **ca_pem, char *err, size_t errlen)
{
	struct upload_conf c = *uc;
	struct upload_answer a;
	char got[PKI_FPR_LEN], perr[512];

	c.insecure = true;
	c.ca_file = NULL;
	if (upload_request(&c, "GET", "/api/v1/ca", NULL, 0, false, &a, err,
	    errlen) != 0)
		return -1;
	if (a.http != 200 || a.len == 0 || a.len > ENROLL_PEM_MAX ||
	    strstr(a.body, "-----BEGIN CERTIFICATE-----") == NULL) {
		snprintf(err, errlen, "%s/api/v1/ca: máy chủ không trả về "
		    "chứng thư CA (HTTP %ld) — the server did not return the "
		    "CA certificate (HTTP %ld)", c.server, a.http, a.http);
		upload_answer_free(&a);
		return -1;
	}
	if (pki_fingerprint(a.body, got, perr, sizeof(perr)) != 0) {
		snprintf(err, errlen, "%s/api/v1/ca: %s", c.server, perr);
		upload_answer_free(&a);
		return -1;
	}
	if (strcmp(got, want) != 0) {
		snprintf(err, errlen, "%s: vân tay CA của máy chủ KHÔNG KHỚP: "
		    "máy chủ đưa %s, cần %s; có thể bạn kết nối nhầm máy chủ "
		    "hoặc bị tấn công xen giữa; không lưu gì cả — the "
		    "server's CA fingerprint DOES NOT MATCH: the server gave "
		    "%s, expected %s; a wrong server or a man in the middle; "
		    "nothing was stored", c.server, got, want, got, want);
		upload_answer_free(&a);
		return -1;
	}
	*ca_pem = a.body;
	a.body = NULL;
	upload_answer_free(&a);
	return 0;
}

/* Seconds of an RFC 3339 UTC time, or fallback. */
static time_t
enroll_time(const char *s, time_t fallback)
{
	struct tm tm;
	const char *end;

	if (s == NULL)
		return fallback;
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (end == NULL || (*end != 'Z' && *end != '\0'))
		return fallback;
	return timegm(&tm);
}

/* Checks the 201 answer of POST /api/v1/enroll. */
static int
enroll_check_answer(const char *url, json_t *j, const char *ca_pem,
    const char *want_fpr, char *err, size_t errlen)
{
	const char *id = json_str(j, "agent_id", ""), *cert, *ca, *unit;
	char cn[PKI_CN_MAX], serial[65], fpr[PKI_FPR_LEN], perr[512];
	time_t until;

	cert = json_string_value(json_object_get(j, "certificate"));
	ca = json_string_value(json_object_get(j, "ca"));
	unit = json_string_value(json_object_get(j, "unit"));
	if (!enroll_hex(id, 32) || cert == NULL || strlen(cert) >
	    ENROLL_PEM_MAX || unit == NULL || strlen(unit) > 256 ||
	    !text_valid_utf8(unit, strlen(unit))) {
		snprintf(err, errlen, "%s: câu trả lời thiếu hoặc sai agent_id, "
		    "certificate hoặc unit — the answer lacks or has a wrong "
		    "agent_id, certificate or unit", url);
		return -1;
	}
	/* the CA in the answer, if any, must be the pinned one */
	if (ca != NULL && (pki_fingerprint(ca, fpr, perr, sizeof(perr)) != 0 ||
	    strcmp(fpr, want_fpr) != 0)) {
		snprintf(err, errlen, "%s: CA trong câu trả lời khác CA đã ghim "
		    "— the CA in the answer is not the pinned CA", url);
		return -1;
	}
	if (pki_verify(ca_pem, cert, enroll_time(json_str(j, "server_time",
	    NULL), time(NULL)), perr, sizeof(perr)) != 0) {
		snprintf(err, errlen, "%s: chứng thư được cấp không do CA đã "
		    "ghim ký: %s — the issued certificate is not signed by the "
		    "pinned CA: %s", url, perr, perr);
		return -1;
	}
	if (pki_cert_info(cert, cn, serial, &until, perr, sizeof(perr)) != 0 ||
	    strcmp(cn, id) != 0) {
		snprintf(err, errlen, "%s: chứng thư được cấp không mang mã "
		    "agent %s — the issued certificate does not name agent %s",
		    url, id, id);
		return -1;
	}
	return 0;
}

int
enroll(const struct enroll_opts *o, struct enrolment *e, char *err,
    size_t errlen)
{
	const char *dir = o->state_dir ? o->state_dir : ENROLL_STATE_DIR;
	struct upload_conf uc;
	struct upload_answer a;
	char want[PKI_FPR_LEN], host_id[96], hostname[256], when[32];
	char *url = NULL, *ca_pem = NULL, *key = NULL, *csr = NULL;
	char *body = NULL, *tmp_ca = NULL, *marker, *info = NULL, *url_enrol;
	json_t *req, *j;
	size_t i;
	int ret = -1;

	memset(e, 0, sizeof(*e));
	memset(&a, 0, sizeof(a));
	if (o->server == NULL || (url = enroll_url(o->server)) == NULL) {
		snprintf(err, errlen, "--server phải có dạng https://máy[:cổng] "
		    "— --server must be https://host[:port]");
		return -1;
	}
	if (o->fingerprint == NULL ||
	    pki_fingerprint_parse(o->fingerprint, want) != 0) {
		snprintf(err, errlen, "--ca-fingerprint phải là SHA256: và 64 "
		    "chữ số hex (in bởi “canhgac token create”) — "
		    "--ca-fingerprint must be SHA256: and 64 hex digits "
		    "(printed by “canhgac token create”)");
		goto out;
	}
	if (o->token == NULL || *o->token == '\0' ||
	    strlen(o->token) > ENROLL_TOKEN_MAX) {
		snprintf(err, errlen, "--token thiếu hoặc quá dài — --token "
		    "missing or too long");
		goto out;
	}
	for (i = 0; o->token[i] != '\0'; i++)
		if ((unsigned char)o->token[i] <= 0x20 ||
		    (unsigned char)o->token[i] >= 0x7f) {
			snprintf(err, errlen, "--token chứa ký tự không hợp lệ "
			    "— --token holds an invalid character");
			goto out;
		}
	marker = file_join(dir, ENROLL_FILE);
	if (access(marker, F_OK) == 0 && !o->force) {
		snprintf(err, errlen, "%s: máy này đã đăng ký; dùng --force để "
		    "đăng ký lại (agent cũ sẽ bị thu hồi) — this computer is "
		    "already enrolled; use --force to enrol again (the old "
		    "agent will be revoked)", marker);
		free(marker);
		goto out;
	}
	free(marker);
	if (enroll_host(&o->audit, host_id, sizeof(host_id), hostname,
	    sizeof(hostname), err, errlen) != 0)
		goto out;

	memset(&uc, 0, sizeof(uc));
	uc.server = url;
	uc.timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 30000;
	if (enroll_fetch_ca(&uc, want, &ca_pem, err, errlen) != 0)
		goto out;

	/* The CA is the one the operator named: from here on, pinned. */
	if (enroll_state_dir(dir, err, errlen) != 0)
		goto out;
	tmp_ca = file_join(dir, "ca.pem.enrolling");
	if (enroll_write(dir, "ca.pem.enrolling", ca_pem, 0600, err,
	    errlen) != 0)
		goto out;
	if (pki_csr_create(host_id, &key, &csr, err, errlen) != 0)
		goto out;
	req = json_pack("{s:s, s:s, s:s, s:s, s:s}", "token", o->token,
	    "csr", csr, "host_id", host_id, "hostname", hostname,
	    "agent_version", AGENT_VERSION);
	body = req != NULL ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	if (body == NULL) {
		snprintf(err, errlen, "không tạo được yêu cầu đăng ký (tên máy "
		    "không hợp lệ?) — cannot build the enrolment request "
		    "(invalid host name?)");
		goto out;
	}
	uc.ca_file = tmp_ca;
	url_enrol = text_printf("%s/api/v1/enroll", url);
	if (upload_request(&uc, "POST", "/api/v1/enroll", body, strlen(body),
	    false, &a, err, errlen) != 0) {
		free(url_enrol);
		goto out;
	}
	if (a.http != 201) {
		snprintf(err, errlen, "%s: đăng ký bị từ chối, HTTP %ld %s: %s",
		    url_enrol, a.http, a.code[0] ? a.code : "-",
		    a.message[0] ? a.message : "máy chủ không nói lý do — "
		    "the server gave no reason");
		free(url_enrol);
		goto out;
	}
	j = a.json;
	if (enroll_check_answer(url_enrol, j, ca_pem, want, err, errlen) !=
	    0) {
		free(url_enrol);
		goto out;
	}
	free(url_enrol);

	json_time((long long)time(NULL), when, sizeof(when));
	e->server = text_dup(url);
	e->agent_id = text_dup(json_str(j, "agent_id", ""));
	e->unit = text_dup(json_str(j, "unit", ""));
	e->host_id = text_dup(host_id);
	e->ca_fingerprint = text_dup(want);
	e->enrolled_at = text_dup(when);
	enroll_paths(dir, e);
	{
		json_t *st = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}",
		    "server", e->server, "agent_id", e->agent_id, "unit",
		    e->unit, "host_id", e->host_id, "ca_fingerprint",
		    e->ca_fingerprint, "enrolled_at", e->enrolled_at);

		info = json_dumps_pretty(st);
		json_decref(st);
	}
	/* agent.json last: it marks a complete enrolment */
	if (enroll_write(dir, "agent.key", key, 0600, err, errlen) != 0 ||
	    enroll_write(dir, "agent.pem", json_str(j, "certificate", ""),
	    0644, err, errlen) != 0 ||
	    enroll_write(dir, "ca.pem", ca_pem, 0644, err, errlen) != 0 ||
	    info == NULL ||
	    enroll_write(dir, ENROLL_FILE, info, 0600, err, errlen) != 0)
		goto out;
	ret = 0;
out:
	if (tmp_ca != NULL)
		unlink(tmp_ca);
	if (ret != 0)
		enroll_free(e);
	upload_answer_free(&a);
	if (key != NULL)
		explicit_bzero(key, strlen(key));
	free(key);
	free(csr);
	free(ca_pem);
	free(body);
	free(info);
	free(tmp_ca);
	free(url);
	return ret;
}
