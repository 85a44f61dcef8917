/*
 * api.c — the handlers of the agent API (docs/api.md). The agent is not
 * trusted: a batch is refused from its headers alone when the certificate,
 * the agent's record, its rate or the encoding is wrong, so that nothing
 * is read from a stranger; then it is inflated within its bound, parsed
 * and validated (ingest.c), checked to be about the agent's own host,
 * stored in one transaction and acknowledged only after the commit. Every
 * refusal is logged, counted, and kept in the event log when it came from
 * a certificate our CA issued.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "lib/fault.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/pki.h"
#include "lib/text.h"
#include "server/api.h"
#include "server/ingest.h"
#include "server/metrics.h"
#include "server/ratelimit.h"

#define API_ENROLL_MAX (64u << 10)
#define API_TOKEN_MAX 256
#define API_CSR_MAX (16u << 10)
#define API_HOSTNAME_MAX 255
#define API_RETRY_FULL 60
#define API_RETRY_BUSY 5
/* Refusals no enrolled agent stands behind (bad tokens, foreign
 * certificates) go to the event log at most this many a minute; the rest
 * are counted and written as one "events.suppressed" event, so that a
 * stranger cannot fill the disk through the log that records him. */
#define API_ANON_EVENTS_PER_MIN 30

enum {
	API_ROUTE_CA, API_ROUTE_ENROLL, API_ROUTE_BATCHES, API_ROUTE_AGENT,
	API_ROUTE_METRICS, API_NROUTES
};

struct api {
	const struct serverconf *sc;
	struct store *st;
	struct ratelimit *rl;
	char *ca_pem, *ca_key_pem;
	struct ingest_limits lim;
	struct http_route routes[API_NROUTES];
	_Atomic int64_t full_warned;	/* time of the last store-full warning */
	pthread_mutex_t anon_mu;	/* the budget of anonymous events */
	int64_t anon_minute;
	int anon_count, anon_suppressed;
};

/* --- small helpers ----------------------------------------------------- */

static bool
api_charset(const char *s, size_t min, size_t max, const char *extra)
{
	size_t len = strlen(s), i;

	if (len < min || len > max)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c != '\0' && strchr(extra, c)))
			continue;
		return false;
	}
	return true;
}

static bool
api_is_agent_id(const char *s)
{
	size_t i;

	for (i = 0; i < 32; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return false;
	return s[32] == '\0';
}

/* Serials compare as numbers written in hex. */
static bool
api_serial_equal(const char *a, const char *b)
{
	while (*a == '0')
		a++;
	while (*b == '0')
		b++;
	return *a != '\0' && strcasecmp(a, b) == 0;
}

/* Splits "<vi> — <en>" (an error of a library layer) into two buffers;
 * when there is no separator both get the whole text. */
static void
api_split(const char *msg, char *vi, size_t visz, char *en, size_t ensz)
{
	const char *sep = strstr(msg, " — ");

	if (sep == NULL) {
		snprintf(vi, visz, "%s", msg);
		snprintf(en, ensz, "%s", msg);
		return;
	}
	snprintf(vi, visz, "%.*s", (int)(sep - msg), msg);
	snprintf(en, ensz, "%s", sep + strlen(" — "));
}

static void
api_server_time(char *buf, size_t size)
{
	json_time((long long)time(NULL), buf, size);
}

/* Answers a store error: full and busy are 503 with Retry-After. */
static void
api_store_error(struct api *a, struct http_reply *rep, int rc,
    const char *err)
{
	char vi[512], en[512];
	int64_t now = (int64_t)time(NULL), last;

	if (rc == STORE_EFULL) {
		last = atomic_load(&a->full_warned);
		if (now - last >= 60 && atomic_compare_exchange_strong(
		    &a->full_warned, &last, now))
			log_warnx("event=store.full msg=%s", http_logval(
			    (char[600]){0}, 600, err));
		http_reply_error(rep, 503, "store-full", "kho dữ liệu của máy "
		    "chủ đã đầy, gửi lại sau", "the server's store is full, "
		    "send again later", NULL);
		rep->retry_after = API_RETRY_FULL;
		return;
	}
	if (rc == STORE_EBUSY) {
		http_reply_error(rep, 503, "store-busy", "kho dữ liệu đang bận, "
		    "gửi lại sau", "the store is busy, send again later", NULL);
		rep->retry_after = API_RETRY_BUSY;
		return;
	}
	log_warnx("event=store.error msg=%s", http_logval((char[600]){0}, 600,
	    err));
	api_split(err, vi, sizeof(vi), en, sizeof(en));
	http_reply_error(rep, 500, "internal", vi, en, NULL);
}

/* Writes an event for a refusal that no enrolled agent stands behind,
 * within the per-minute budget (API_ANON_EVENTS_PER_MIN). */
static void
api_anon_event(struct api *a, const char *kind, const char *code,
    const char *addr, const char *reason, const char *path)
{
	int64_t now = (int64_t)time(NULL), minute = now / 60;
	int suppressed = 0;
	bool write;
	char evt[512], lv[300], n[32];
	json_t *d;
	char *detail;

	pthread_mutex_lock(&a->anon_mu);
	if (minute != a->anon_minute) {
		suppressed = a->anon_suppressed;
		a->anon_minute = minute;
		a->anon_count = 0;
		a->anon_suppressed = 0;
	}
	write = a->anon_count < API_ANON_EVENTS_PER_MIN;
	if (write)
		a->anon_count++;
	else
		a->anon_suppressed++;
	pthread_mutex_unlock(&a->anon_mu);
	if (suppressed > 0) {
		snprintf(n, sizeof(n), "{\"count\":%d}", suppressed);
		if (store_event(a->st, now, "events.suppressed", NULL, NULL, n,
		    evt, sizeof(evt)) != STORE_OK)
			log_warnx("event=store.error msg=%s", http_logval(lv,
			    sizeof(lv), evt));
	}
	if (!write)
		return;
	d = json_object();
	json_set_str(d, "code", code);
	json_set_str(d, "addr", addr);
	json_set_str(d, "reason", reason);
	json_set_str(d, "path", path);
	detail = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	if (store_event(a->st, now, kind, NULL, NULL, detail, evt,
	    sizeof(evt)) != STORE_OK)
		log_warnx("event=store.error msg=%s", http_logval(lv,
		    sizeof(lv), evt));
	free(detail);
}

/* A refused batch: answered, counted, logged, and kept in the event log
 * when the certificate was one our CA issued (not for rate-limited or
 * store-full refusals, which would fill the log they protect). */
static void
api_refuse(struct api *a, struct http_request *req, struct http_reply *rep,
    int status, const char *code, const char *vi, const char *en,
    const char *path, const char *host_id)
{
	char lv[4][300], evt[512];
	json_t *d;
	char *detail;

	if (rep->status == 0)
		http_reply_error(rep, status, code, vi, en, path);
	metrics_batch_refused(code);
	log_warnx("event=batch.refused code=%s status=%d addr=%s agent=%s "
	    "host=%s path=%s reason=%s", code, rep->status, req->addr,
	    http_logval(lv[0], sizeof(lv[0]), req->peer.cn),
	    http_logval(lv[1], sizeof(lv[1]), host_id),
	    http_logval(lv[2], sizeof(lv[2]), path),
	    http_logval(lv[3], sizeof(lv[3]), en));
	if (strcmp(code, "rate-limited") == 0 || rep->status == 503)
		return;
	if (!req->peer.verified) {
		api_anon_event(a, "batch.refused", code, req->addr, en, path);
		return;
	}
	d = json_object();
	json_set_str(d, "code", code);
	json_set_str(d, "addr", req->addr);
	json_set_str(d, "reason", en);
	json_set_str(d, "path", path);
	detail = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	if (store_event(a->st, (int64_t)time(NULL), "batch.refused",
	    req->peer.cn, host_id, detail, evt, sizeof(evt)) != STORE_OK)
		log_warnx("event=store.error msg=%s", http_logval(lv[0],
		    sizeof(lv[0]), evt));
	free(detail);
}

/* The agent behind the client certificate. 0, or -1 with *code, the
 * English reason in *why and the answer in rep. */
static int
api_authenticate(struct api *a, struct http_request *req,
    struct http_reply *rep, struct store_agent *ag, const char **code,
    const char **why)
{
	char err[512];
	int rc;

	if (!req->peer.has_cert) {
		*code = "no-client-cert";
		*why = "no client certificate";
		http_reply_error(rep, 401, *code, "cần chứng thư của agent "
		    "(đăng ký trước bằng canhgac-agent enroll)", "the agent's "
		    "certificate is needed (enrol first with canhgac-agent "
		    "enroll)", NULL);
		return -1;
	}
	if (!req->peer.verified || !api_is_agent_id(req->peer.cn)) {
		*code = "bad-client-cert";
		*why = req->peer.why[0] ? req->peer.why :
		    "not an agent certificate of this CA";
		http_reply_error(rep, 401, *code, "chứng thư không do CA của "
		    "máy chủ này cấp cho một agent, hoặc đã hết hạn", "the "
		    "certificate was not issued to an agent by this server's "
		    "CA, or has expired", NULL);
		return -1;
	}
	rc = store_agent_get(a->st, req->peer.cn, ag, err, sizeof(err));
	if (rc == STORE_ENOTFOUND) {
		*code = "agent-unknown";
		*why = "this agent never enrolled";
		http_reply_error(rep, 403, *code, "agent chưa từng đăng ký với "
		    "máy chủ này", "this agent never enrolled with this "
		    "server", NULL);
		return -1;
	}
	if (rc != STORE_OK) {
		*code = rc == STORE_EFULL ? "store-full" : rc == STORE_EBUSY ?
		    "store-busy" : "internal";
		*why = "the store cannot answer";
		api_store_error(a, rep, rc, err);
		return -1;
	}
	if (!api_serial_equal(req->peer.serial, ag->cert_serial)) {
		*code = "bad-client-cert";
		*why = "not the agent's current certificate";
		http_reply_error(rep, 401, *code, "chứng thư không phải chứng "
		    "thư hiện hành của agent này", "the certificate is not "
		    "this agent's current one", NULL);
		return -1;
	}
	return 0;
}

/* --- GET /api/v1/ca ---------------------------------------------------- */

static void
api_ca(void *ctx, struct http_request *req, struct http_reply *rep)
{
	struct api *a = ctx;

	(void)req;
	http_reply_text(rep, 200, "application/x-pem-file", a->ca_pem,
	    strlen(a->ca_pem));
}

/* --- POST /api/v1/enroll ----------------------------------------------- */

struct api_enrol_req {
	const char *token, *csr, *host_id, *hostname, *version;
};

/* Strict: exactly the five members, each a bounded string of its form.
 * Returns NULL, or the bad member's name with the reason. */
static const char *
api_enrol_parse(json_t *root, struct api_enrol_req *r, const char **why_vi,
    const char **why_en)
{
	static const char *const members[] = {
		"token", "csr", "host_id", "hostname", "agent_version",
	};
	const char *key, *s;
	json_t *v;
	size_t i;

	*why_vi = "thiếu hoặc không phải chuỗi";
	*why_en = "missing or not a string";
	json_object_foreach(root, key, v) {
		for (i = 0; i < sizeof(members) / sizeof(members[0]); i++)
			if (strcmp(key, members[i]) == 0)
				break;
		if (i == sizeof(members) / sizeof(members[0])) {
			*why_vi = "thành phần không được biết";
			*why_en = "unknown member";
			return key;
		}
	}
	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		v = json_object_get(root, members[i]);
		if (!json_is_string(v))
			return members[i];
		s = json_string_value(v);
		if (strlen(s) != json_string_length(v)) {
			*why_vi = "có ký tự NUL";
			*why_en = "holds a NUL character";
			return members[i];
		}
	}
	r->token = json_string_value(json_object_get(root, "token"));
	r->csr = json_string_value(json_object_get(root, "csr"));
	r->host_id = json_string_value(json_object_get(root, "host_id"));
	r->hostname = json_string_value(json_object_get(root, "hostname"));
	r->version = json_string_value(json_object_get(root,
	    "agent_version"));
	if (!api_charset(r->token, 8, API_TOKEN_MAX, "_-")) {
		*why_vi = "mã đăng ký không đúng dạng";
		*why_en = "the token is malformed";
		return "token";
	}
	if (strlen(r->csr) > API_CSR_MAX || strstr(r->csr,
	    "-----BEGIN ") == NULL || !text_valid_utf8(r->csr,
	    strlen(r->csr))) {
		*why_vi = "không phải yêu cầu cấp chứng thư PEM";
		*why_en = "not a PEM certificate request";
		return "csr";
	}
	if (!api_charset(r->host_id, 1, 80, "-")) {
		*why_vi = "cần 1-80 ký tự A-Z a-z 0-9 -";
		*why_en = "1-80 characters of A-Z a-z 0-9 -";
		return "host_id";
	}
	s = r->hostname;
	if (s[0] == '\0' || strlen(s) > API_HOSTNAME_MAX ||
	    !text_valid_utf8(s, strlen(s))) {
		*why_vi = "cần 1-255 byte UTF-8";
		*why_en = "1-255 bytes of UTF-8";
		return "hostname";
	}
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f) {
			*why_vi = "có ký tự điều khiển";
			*why_en = "holds a control character";
			return "hostname";
		}
	if (!api_charset(r->version, 1, 31, ".+~_-")) {
		*why_vi = "cần 1-31 ký tự A-Z a-z 0-9 . + ~ _ -";
		*why_en = "1-31 characters of A-Z a-z 0-9 . + ~ _ -";
		return "agent_version";
	}
	return NULL;
}

static void
api_enrol_refuse(struct api *a, struct http_request *req,
    struct http_reply *rep, int status, const char *code, const char *vi,
    const char *en, const char *path)
{
	char lv[2][300];

	if (rep->status == 0)
		http_reply_error(rep, status, code, vi, en, path);
	metrics_enrolment(false);
	log_warnx("event=enrol.refused code=%s status=%d addr=%s path=%s "
	    "reason=%s", code, rep->status, req->addr,
	    http_logval(lv[0], sizeof(lv[0]), path),
	    http_logval(lv[1], sizeof(lv[1]), en));
	if (rep->status != 503)
		api_anon_event(a, "enrol.refused", code, req->addr, en, path);
}

static void
api_enroll(void *ctx, struct http_request *req, struct http_reply *rep)
{
	struct api *a = ctx;
	struct api_enrol_req r;
	struct store_agent ag;
	unsigned char sum[crypto_hash_sha256_BYTES], id[16];
	char hash[2 * crypto_hash_sha256_BYTES + 1], serial[33];
	char err[1024], vi[512], en[512], when[32], lv[4][300];
	const char *bad, *why_vi, *why_en;
	json_error_t jerr;
	json_t *root, *o;
	char *cert = NULL;
	int rc;

	memset(&r, 0, sizeof(r));
	root = json_loadb(req->body ? req->body : "", req->len,
	    JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL || !json_is_object(root)) {
		snprintf(vi, sizeof(vi), "JSON không hợp lệ (dòng %d, cột %d)",
		    jerr.line, jerr.column);
		snprintf(en, sizeof(en), "invalid JSON (line %d, column %d)",
		    jerr.line, jerr.column);
		if (root != NULL) {
			snprintf(vi, sizeof(vi), "gốc phải là một đối tượng");
			snprintf(en, sizeof(en), "the root must be an object");
		}
		json_decref(root);
		api_enrol_refuse(a, req, rep, 400, "bad-json", vi, en, NULL);
		return;
	}
	if ((bad = api_enrol_parse(root, &r, &why_vi, &why_en)) != NULL) {
		char path[128];

		snprintf(path, sizeof(path), "%s", bad);
		api_enrol_refuse(a, req, rep, 400, "bad-request", why_vi, why_en,
		    path);
		json_decref(root);
		return;
	}
	crypto_hash_sha256(sum, (const unsigned char *)r.token,
	    strlen(r.token));
	sodium_bin2hex(hash, sizeof(hash), sum, sizeof(sum));
	memset(&ag, 0, sizeof(ag));
	randombytes_buf(id, sizeof(id));
	sodium_bin2hex(ag.id, sizeof(ag.id), id, sizeof(id));
	if (pki_issue_client(a->ca_key_pem, a->ca_pem, r.csr, ag.id,
	    a->sc->agent_cert_days, &cert, serial, err, sizeof(err)) != 0) {
		api_split(err, vi, sizeof(vi), en, sizeof(en));
		api_enrol_refuse(a, req, rep, 400, "bad-csr", vi, en, "csr");
		json_decref(root);
		return;
	}
	snprintf(ag.host_id, sizeof(ag.host_id), "%s", r.host_id);
	snprintf(ag.hostname, sizeof(ag.hostname), "%s", r.hostname);
	snprintf(ag.cert_serial, sizeof(ag.cert_serial), "%s", serial);
	snprintf(ag.version, sizeof(ag.version), "%s", r.version);
	json_decref(root);
	rc = store_enrol(a->st, hash, (int64_t)time(NULL), &ag, err,
	    sizeof(err));
	switch (rc) {
	case STORE_OK:
		break;
	case STORE_ENOTFOUND:
		api_enrol_refuse(a, req, rep, 401, "token-unknown", "không có mã "
		    "đăng ký này", "no such enrolment token", "token");
		break;
	case STORE_EEXPIRED:
		api_enrol_refuse(a, req, rep, 403, "token-expired", "mã đăng ký đã "
		    "hết hạn", "the enrolment token has expired", "token");
		break;
	case STORE_EUSEDUP:
		api_enrol_refuse(a, req, rep, 403, "token-used-up", "mã đăng ký đã "
		    "dùng hết số lần cho phép", "the enrolment token has no "
		    "uses left", "token");
		break;
	case STORE_EREVOKED:
		api_enrol_refuse(a, req, rep, 403, "token-revoked", "mã đăng ký đã "
		    "bị thu hồi", "the enrolment token was revoked", "token");
		break;
	default:
		api_store_error(a, rep, rc, err);
		api_enrol_refuse(a, req, rep, rep->status, "store", "", err, NULL);
		break;
	}
	if (rc != STORE_OK) {
		free(cert);
		return;
	}
	api_server_time(when, sizeof(when));
	o = json_object();
	json_set_str(o, "agent_id", ag.id);
	json_set_str(o, "certificate", cert);
	json_set_str(o, "ca", a->ca_pem);
	json_set_str(o, "unit", ag.unit);
	json_set_str(o, "server_time", when);
	free(cert);
	metrics_enrolment(true);
	log_info("event=agent.enrolled agent=%s host=%s hostname=%s unit=%s "
	    "version=%s addr=%s", ag.id, http_logval(lv[0], sizeof(lv[0]),
	    ag.host_id), http_logval(lv[1], sizeof(lv[1]), ag.hostname),
	    http_logval(lv[2], sizeof(lv[2]), ag.unit), http_logval(lv[3],
	    sizeof(lv[3]), ag.version), req->addr);
	http_reply_json(rep, 201, o);
}

/* --- POST /api/v1/batches ---------------------------------------------- */

/* From the headers: certificate, rate, agent, encoding. */
static void
api_batches_check(void *ctx, struct http_request *req, struct http_reply *rep)
{
	struct api *a = ctx;
	struct store_agent *ag;
	const char *code = NULL, *why = NULL, *ce;
	char vi[128], en[128];
	int retry;

	if (!req->peer.has_cert || !req->peer.verified ||
	    !api_is_agent_id(req->peer.cn)) {
		struct store_agent unused;

		api_authenticate(a, req, rep, &unused, &code, &why);
		api_refuse(a, req, rep, 0, code, NULL, why, NULL, NULL);
		return;
	}
	/* The rate before the store: a revoked agent that keeps trying
	 * costs no more than an honest one. */
	if (!ratelimit_take(a->rl, req->peer.cn, http_now_us() / 1000,
	    &retry)) {
		snprintf(vi, sizeof(vi), "agent gửi quá nhiều lô; gửi lại sau "
		    "%d giây", retry);
		snprintf(en, sizeof(en), "too many batches from this agent; "
		    "send again in %d seconds", retry);
		http_reply_error(rep, 429, "rate-limited", vi, en, NULL);
		rep->retry_after = retry;
		api_refuse(a, req, rep, 429, "rate-limited", vi, en, NULL, NULL);
		return;
	}
	if ((ag = calloc(1, sizeof(*ag))) == NULL) {
		http_reply_error(rep, 503, "store-busy", "máy chủ hết bộ nhớ",
		    "the server is out of memory", NULL);
		rep->retry_after = API_RETRY_BUSY;
		return;
	}
	req->app = ag;
	req->app_free = free;
	if (api_authenticate(a, req, rep, ag, &code, &why) != 0) {
		api_refuse(a, req, rep, 0, code, NULL, why, NULL, NULL);
		return;
	}
	if (ag->revoked) {
		api_refuse(a, req, rep, 403, "agent-revoked", "agent đã bị thu "
		    "hồi (canhgac agent revoke)", "the agent was revoked "
		    "(canhgac agent revoke)", NULL, ag->host_id);
		return;
	}
	ce = http_header(req, "Content-Encoding");
	if (ce != NULL && strcasecmp(ce, "gzip") != 0 &&
	    strcasecmp(ce, "deflate") != 0 && strcasecmp(ce, "identity") != 0) {
		api_refuse(a, req, rep, 415, "encoding", "Content-Encoding chỉ "
		    "được là gzip, deflate hoặc identity", "Content-Encoding "
		    "must be gzip, deflate or identity", NULL, ag->host_id);
		return;
	}
}

/* Refused by http.c from the headers (Content-Length over the bound). */
static void
api_batches_refused(void *ctx, struct http_request *req,
    const struct http_reply *rep, const char *code, const char *en)
{
	struct http_reply copy = *rep;

	api_refuse(ctx, req, &copy, rep->status, code, NULL, en, NULL, NULL);
}

/* "reports[2].findings[17].status: <vi> — <en>" -> path, vi, en. */
static void
api_ingest_error(const char *err, char *path, size_t psz, char *vi,
    size_t visz, char *en, size_t ensz)
{
	const char *colon = strstr(err, ": ");

	if (colon == NULL || (size_t)(colon - err) >= psz) {
		path[0] = '\0';
		api_split(err, vi, visz, en, ensz);
		return;
	}
	snprintf(path, psz, "%.*s", (int)(colon - err), err);
	api_split(colon + 2, vi, visz, en, ensz);
}

static void
api_batches(void *ctx, struct http_request *req, struct http_reply *rep)
{
	struct api *a = ctx;
	const struct store_agent *ag = req->app;
	struct store_batch_result res;
	struct ingest_batch b;
	const char *ce = http_header(req, "Content-Encoding");
	char err[1024], path[256], vi[512], en[512], lv[3][300];
	char *inflated = NULL;
	const char *json = req->body ? req->body : "";
	size_t len = req->len, i;
	int64_t findings = 0;
	int too_large = 0, rc;
	json_t *o;

	if (ce != NULL && (strcasecmp(ce, "gzip") == 0 ||
	    strcasecmp(ce, "deflate") == 0)) {
		if (ingest_inflate(json, len, a->sc->batch_max_inflated,
		    &inflated, &len, &too_large, err, sizeof(err)) != 0) {
			api_split(err, vi, sizeof(vi), en, sizeof(en));
			if (too_large)
				api_refuse(a, req, rep, 413, "too-large", vi, en,
				    NULL, ag->host_id);
			else
				api_refuse(a, req, rep, 400, "bad-request", vi,
				    en, NULL, ag->host_id);
			return;
		}
		json = inflated;
	} else if (len > a->sc->batch_max_inflated) {
		api_refuse(a, req, rep, 413, "too-large", "lô vượt giới hạn "
		    "kích thước", "the batch exceeds the size bound", NULL,
		    ag->host_id);
		return;
	}
	rc = ingest_parse(json, len, &a->lim, &b, err, sizeof(err));
	if (rc != 0) {
		free(inflated);
		api_ingest_error(err, path, sizeof(path), vi, sizeof(vi), en,
		    sizeof(en));
		api_refuse(a, req, rep, 400, strcmp(path, "$") == 0 ?
		    "bad-json" : "bad-request", vi, en,
		    strcmp(path, "$") == 0 ? NULL : path, ag->host_id);
		return;
	}
	free(inflated);
	for (i = 0; i < b.nreports; i++) {
		if (strcmp(b.reports[i].host_id, ag->host_id) != 0) {
			snprintf(path, sizeof(path), "reports[%zu].host.id", i);
			api_refuse(a, req, rep, 403, "host-mismatch", "báo cáo "
			    "về một máy khác với máy mà agent đã đăng ký",
			    "the report is about a host other than the one "
			    "the agent enrolled as", path, ag->host_id);
			ingest_batch_free(&b);
			return;
		}
		findings += (int64_t)b.reports[i].nfindings;
	}
	memset(&res, 0, sizeof(res));
	rc = store_batch(a->st, ag, &b, (int64_t)time(NULL), &res, err,
	    sizeof(err));
	if (rc != STORE_OK) {
		api_store_error(a, rep, rc, err);
		api_refuse(a, req, rep, rep->status, rc == STORE_EFULL ?
		    "store-full" : rc == STORE_EBUSY ? "store-busy" :
		    "internal", "", err, NULL, ag->host_id);
		ingest_batch_free(&b);
		return;
	}
	/* Committed: a crash from here on must not lose the batch, and the
	 * agent, without an answer, sends it again as a duplicate. */
	fault_point("ingest-after-commit");
	metrics_batch_stored(res.duplicate, res.reports, res.duplicate ? 0 :
	    findings);
	log_info("event=%s agent=%s host=%s batch=%s reports=%d skipped=%d "
	    "opened=%d resolved=%d facts=%d ms=%lld", res.duplicate ?
	    "batch.duplicate" : "batch.stored", ag->id,
	    http_logval(lv[0], sizeof(lv[0]), ag->host_id),
	    http_logval(lv[1], sizeof(lv[1]), b.batch_id), res.reports,
	    res.skipped, res.opened, res.resolved, res.fact_changes,
	    (long long)((http_now_us() - req->start_us) / 1000));
	o = json_object();
	json_set_str(o, "batch", b.batch_id);
	json_set_str(o, "status", res.duplicate ? "duplicate" : "stored");
	json_set_int(o, "reports", res.reports);
	json_set_int(o, "skipped", res.skipped);
	ingest_batch_free(&b);
	http_reply_json(rep, 200, o);
}

/* --- GET /api/v1/agent ------------------------------------------------- */

static void
api_agent(void *ctx, struct http_request *req, struct http_reply *rep)
{
	struct api *a = ctx;
	struct store_agent ag;
	const char *code, *why;
	char when[32];
	json_t *o;

	if (api_authenticate(a, req, rep, &ag, &code, &why) != 0)
		return;
	api_server_time(when, sizeof(when));
	o = json_object();
	json_set_str(o, "agent_id", ag.id);
	json_set_str(o, "unit", ag.unit);
	json_set_str(o, "host_id", ag.host_id);
	json_set_bool(o, "revoked", ag.revoked);
	json_set_str(o, "server_time", when);
	http_reply_json(rep, 200, o);
}

/* --- GET /metrics ------------------------------------------------------ */

static void
api_metrics(void *ctx, struct http_request *req, struct http_reply *rep)
{
	struct api *a = ctx;
	char *text;
	size_t len;

	if (!http_addr_allowed(&req->sa, a->sc->metrics_allow,
	    a->sc->nmetrics_allow)) {
		http_reply_error(rep, 403, "forbidden", "địa chỉ này không được "
		    "đọc /metrics (metrics-allow)", "this address may not read "
		    "/metrics (metrics-allow)", NULL);
		return;
	}
	if (metrics_render(a->st, &text, &len) != 0) {
		http_reply_error(rep, 500, "internal", "hết bộ nhớ",
		    "out of memory", NULL);
		return;
	}
	free(rep->body);
	rep->status = 200;
	rep->content_type = "text/plain; version=0.0.4; charset=utf-8";
	rep->body = text;
	rep->len = len;
}

/* --- setup ------------------------------------------------------------- */

struct api *
api_new(const struct serverconf *sc, struct store *st, const char *ca_pem,
    const char *ca_key_pem, char *err, size_t errlen)
{
	static const struct ingest_limits deflim = INGEST_LIMITS_DEFAULT;
	struct api *a;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "không khởi tạo được libsodium — cannot "
		    "initialise libsodium");
		return NULL;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		snprintf(err, errlen, "hết bộ nhớ — out of memory");
		return NULL;
	}
	a->sc = sc;
	a->st = st;
	a->rl = ratelimit_new(sc->rate_burst, sc->rate_per_hour,
	    RATELIMIT_DEFAULT_ENTRIES);
	if (a->rl == NULL) {
		snprintf(err, errlen, "hết bộ nhớ — out of memory");
		free(a);
		return NULL;
	}
	a->ca_pem = text_dup(ca_pem);
	a->ca_key_pem = text_dup(ca_key_pem);
	a->lim = deflim;
	a->lim.max_bytes = sc->batch_max_inflated;
	a->lim.max_reports = sc->batch_max_reports;
	atomic_init(&a->full_warned, 0);
	pthread_mutex_init(&a->anon_mu, NULL);
	a->routes[API_ROUTE_CA] = (struct http_route){ "GET", "/api/v1/ca",
	    METRICS_ROUTE_CA, 0, NULL, api_ca, NULL };
	a->routes[API_ROUTE_ENROLL] = (struct http_route){ "POST",
	    "/api/v1/enroll", METRICS_ROUTE_ENROLL, API_ENROLL_MAX, NULL,
	    api_enroll, NULL };
	a->routes[API_ROUTE_BATCHES] = (struct http_route){ "POST",
	    "/api/v1/batches", METRICS_ROUTE_BATCHES, sc->batch_max_bytes,
	    api_batches_check, api_batches, api_batches_refused };
	a->routes[API_ROUTE_AGENT] = (struct http_route){ "GET",
	    "/api/v1/agent", METRICS_ROUTE_AGENT, 0, NULL, api_agent, NULL };
	a->routes[API_ROUTE_METRICS] = (struct http_route){ "GET", "/metrics",
	    METRICS_ROUTE_METRICS, 0, NULL, api_metrics, NULL };
	return a;
}

void
api_free(struct api *a)
{
	if (a == NULL)
		return;
	ratelimit_free(a->rl);
	pthread_mutex_destroy(&a->anon_mu);
	free(a->ca_pem);
	if (a->ca_key_pem != NULL) {
		sodium_memzero(a->ca_key_pem, strlen(a->ca_key_pem));
		free(a->ca_key_pem);
	}
	free(a);
}

const struct http_route *
api_routes(struct api *a, size_t *nroutes)
{
	*nroutes = API_NROUTES;
	return a->routes;
}
