/*
 * upload.c — the agent's HTTPS client (upload.h): one libcurl easy handle
 * per request, the server's CA pinned (never the system's store), the
 * agent's certificate and key, TLS 1.2 or newer, https only, no redirects,
 * bounded answers and times. Bodies go gzip-compressed; the answer is
 * parsed for the API's bilingual error (docs/api.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>
#include <zlib.h>

#include "agent/audit.h"
#include "agent/upload.h"
#include "lib/fault.h"
#include "lib/json.h"
#include "lib/text.h"

struct upload_send {
	const char *buf;
	size_t len, off;
	bool mid;			/* the "upload-mid" point passed */
};

struct upload_recv {
	char *buf;
	size_t len, max;
	bool too_large;
};

int
upload_init(char *err, size_t errlen)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errlen, "không khởi tạo được libcurl — cannot "
		    "initialise libcurl");
		return -1;
	}
	return 0;
}

void
upload_answer_free(struct upload_answer *a)
{
	if (a == NULL)
		return;
	json_decref(a->json);
	free(a->body);
	memset(a, 0, sizeof(*a));
	a->retry_after_ms = -1;
}

/* gzip (RFC 1952) of buf. */
static int
upload_gzip(const char *buf, size_t len, unsigned char **out,
    size_t *outlen)
{
	z_stream zs;
	size_t cap;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	cap = deflateBound(&zs, len) + 32;
	if ((*out = malloc(cap)) == NULL) {
		deflateEnd(&zs);
		return -1;
	}
	zs.next_in = (Bytef *)(uintptr_t)buf;
	zs.avail_in = (uInt)len;
	zs.next_out = *out;
	zs.avail_out = (uInt)cap;
	if (len > UINT32_MAX || deflate(&zs, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&zs);
		free(*out);
		*out = NULL;
		return -1;
	}
	*outlen = zs.total_out;
	deflateEnd(&zs);
	return 0;
}

/* Hands the body to curl; the first call stops at half of it so that the
 * "upload-mid" point falls when half was given to the connection. */
static size_t
upload_read(char *dst, size_t size, size_t nitems, void *arg)
{
	struct upload_send *s = arg;
	size_t half = (s->len + 1) / 2, n = size * nitems, left;

	if (!s->mid && s->off >= half && s->off < s->len) {
		s->mid = true;
		fault_point("upload-mid");
	}
	left = s->len - s->off;
	if (s->off < half && s->off + n > half)
		n = half - s->off;
	if (n > left)
		n = left;
	memcpy(dst, s->buf + s->off, n);
	s->off += n;
	return n;
}

static size_t
upload_write(char *src, size_t size, size_t nitems, void *arg)
{
	struct upload_recv *r = arg;
	size_t n = size * nitems;
	char *p;

	if (n > r->max - r->len) {
		r->too_large = true;
		return 0;			/* aborts the transfer */
	}
	if ((p = realloc(r->buf, r->len + n + 1)) == NULL)
		return 0;
	r->buf = p;
	memcpy(r->buf + r->len, src, n);
	r->len += n;
	r->buf[r->len] = '\0';
	return n;
}

/* Copies s into dst without control characters (the answer is logged). */
static void
upload_clean(char *dst, size_t size, const char *s)
{
	size_t i;

	snprintf(dst, size, "%s", s != NULL ? s : "");
	for (i = 0; dst[i] != '\0'; i++)
		if ((unsigned char)dst[i] < 0x20 || dst[i] == 0x7f)
			dst[i] = ' ';
}

/* The API's {"error": {code, vi, en, path}}, when the answer holds one. */
static void
upload_error_of(struct upload_answer *a)
{
	json_t *e = json_object_get(a->json, "error");
	char vi[384], en[384], path[96];

	if (!json_is_object(e))
		return;
	upload_clean(a->code, sizeof(a->code), json_str(e, "code", ""));
	upload_clean(vi, sizeof(vi), json_str(e, "vi", ""));
	upload_clean(en, sizeof(en), json_str(e, "en", ""));
	upload_clean(path, sizeof(path), json_str(e, "path", ""));
	if (!text_valid_utf8(vi, strlen(vi)))
		snprintf(vi, sizeof(vi), "?");
	if (!text_valid_utf8(en, strlen(en)))
		snprintf(en, sizeof(en), "?");
	if (!text_valid_utf8(path, strlen(path)))
		path[0] = '\0';
	snprintf(a->message, sizeof(a->message), "%s%s%s — %s%s%s", vi,
	    path[0] ? " tại " : "", path, en, path[0] ? " at " : "", path);
}

static const char *
upload_curl_class(CURLcode rc)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return "timeout";
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_USE_SSL_FAILED:
		return "tls";
	default:
		return "network";
	}
}

int
upload_request(const struct upload_conf *c, const char *method,
    const char *path, const char *body, size_t len, bool gzip,
    struct upload_answer *a, char *err, size_t errlen)
{
	struct upload_send snd;
	struct upload_recv rcv;
	struct curl_slist *hdr = NULL;
	unsigned char *z = NULL;
	char url[1024], cerr[CURL_ERROR_SIZE] = "";
	curl_off_t retry = -1;
	size_t zlen = 0;
	CURL *h;
	CURLcode rc;
	int ret = -1;

	memset(a, 0, sizeof(*a));
	a->retry_after_ms = -1;
	memset(&snd, 0, sizeof(snd));
	memset(&rcv, 0, sizeof(rcv));
	rcv.max = UPLOAD_ANSWER_MAX;
	if ((size_t)snprintf(url, sizeof(url), "%s%s", c->server, path) >=
	    sizeof(url)) {
		snprintf(err, errlen, "địa chỉ máy chủ quá dài — the server "
		    "address is too long");
		snprintf(a->code, sizeof(a->code), "network");
		return -1;
	}
	if (body != NULL && gzip) {
		if (upload_gzip(body, len, &z, &zlen) != 0) {
			snprintf(err, errlen, "không nén được dữ liệu gửi — "
			    "cannot compress the body");
			return -1;
		}
		snd.buf = (const char *)z;
		snd.len = zlen;
	} else if (body != NULL) {
		snd.buf = body;
		snd.len = len;
	}
	if ((h = curl_easy_init()) == NULL) {
		free(z);
		snprintf(err, errlen, "không khởi tạo được libcurl — cannot "
		    "initialise libcurl");
		return -1;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "canhgac-agent/" AGENT_VERSION);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
	    c->connect_timeout_ms > 0 ? c->connect_timeout_ms : 10000L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
	    c->timeout_ms > 0 ? c->timeout_ms : 60000L);
	curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	/* Only the pinned CA: never the system's store. */
	curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
	if (c->insecure) {
		curl_easy_setopt(h, CURLOPT_CAINFO, NULL);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	} else {
		curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	}
	if (c->cert_file != NULL && c->key_file != NULL) {
		curl_easy_setopt(h, CURLOPT_SSLCERT, c->cert_file);
		curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
		curl_easy_setopt(h, CURLOPT_SSLKEY, c->key_file);
		curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
	}
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, upload_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &rcv);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)UPLOAD_ANSWER_MAX);
	hdr = curl_slist_append(hdr, "Accept: application/json");
	if (strcmp(method, "POST") == 0) {
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
		if (body != NULL && gzip)
			hdr = curl_slist_append(hdr,
			    "Content-Encoding: gzip");
		/* no "100 Continue" round trip */
		hdr = curl_slist_append(hdr, "Expect:");
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)snd.len);
		curl_easy_setopt(h, CURLOPT_READFUNCTION, upload_read);
		curl_easy_setopt(h, CURLOPT_READDATA, &snd);
	} else
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);

	rc = curl_easy_perform(h);
	if (rc != CURLE_OK) {
		if (rcv.too_large || rc == CURLE_FILESIZE_EXCEEDED)
			snprintf(err, errlen, "%s: câu trả lời của máy chủ quá "
			    "lớn (hơn %u byte) — the server's answer is too "
			    "large (over %u bytes)", url, UPLOAD_ANSWER_MAX,
			    UPLOAD_ANSWER_MAX);
		else
			snprintf(err, errlen, "%s: không kết nối được máy chủ: "
			    "%s — cannot reach the server: %s", url,
			    cerr[0] ? cerr : curl_easy_strerror(rc),
			    cerr[0] ? cerr : curl_easy_strerror(rc));
		snprintf(a->code, sizeof(a->code), "%s", rcv.too_large ?
		    "network" : upload_curl_class(rc));
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a->http);
	if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &retry) == CURLE_OK &&
	    retry > 0)
		/* at most a day: a server cannot silence an agent for ever */
		a->retry_after_ms = (retry > 86400 ? 86400 : retry) * 1000LL;
	a->body = rcv.buf != NULL ? rcv.buf : text_dup("");
	a->len = rcv.len;
	rcv.buf = NULL;
	if (a->len > 0)
		a->json = json_loadb(a->body, a->len, JSON_REJECT_DUPLICATES,
		    NULL);
	upload_error_of(a);
	ret = 0;
out:
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	free(rcv.buf);
	free(z);
	return ret;
}

enum upload_outcome
upload_batch(const struct upload_conf *c, const struct queue_batch *b,
    struct upload_answer *a, char *status, size_t statuslen, long *stored,
    char *err, size_t errlen)
{
	const char *st, *id;

	*stored = 0;
	snprintf(status, statuslen, "%s", "");
	if (upload_request(c, "POST", "/api/v1/batches", b->body, b->len,
	    true, a, err, errlen) != 0)
		return UPLOAD_RETRY;
	if (a->http == 200) {
		id = json_str(a->json, "batch", "");
		st = json_str(a->json, "status", "");
		if (strcmp(id, b->id) != 0 || (strcmp(st, "stored") != 0 &&
		    strcmp(st, "duplicate") != 0)) {
			snprintf(a->code, sizeof(a->code), "bad-answer");
			snprintf(err, errlen, "%s/api/v1/batches: câu trả lời "
			    "200 không xác nhận lô %s — the 200 answer does "
			    "not acknowledge batch %s", c->server, b->id,
			    b->id);
			return UPLOAD_RETRY;
		}
		snprintf(status, statuslen, "%s", st);
		*stored = (long)json_int(a->json, "reports", 0);
		fault_point("upload-after-ack");
		return UPLOAD_ACKED;
	}
	if (a->code[0] == '\0')
		snprintf(a->code, sizeof(a->code), "http-%ld", a->http);
	snprintf(err, errlen, "%s/api/v1/batches: HTTP %ld %s: %s", c->server,
	    a->http, a->code, a->message[0] ? a->message :
	    "máy chủ không nói lý do — the server gave no reason");
	switch (a->http) {
	case 401:
	case 403:
		return UPLOAD_DENIED;
	case 400:
	case 411:
	case 413:
	case 415:
		return UPLOAD_REJECTED;
	default:
		return UPLOAD_RETRY;
	}
}
