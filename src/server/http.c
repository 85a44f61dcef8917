/*
 * http.c — the HTTPS front of canhgacd (http.h) over libmicrohttpd 0.9.75
 * and GnuTLS. We bind the listen sockets ourselves so that an address that
 * cannot be bound is named with its errno, then hand each to its own MHD
 * daemon (internal epoll thread pool). MHD calls the access handler once
 * with the headers, then with each piece of the body, then once more: the
 * first call routes the request, refuses a body whose Content-Length is
 * over the route's bound (answering before the body is read makes MHD
 * discard it and close the connection) and runs the route's header check;
 * the last call runs the handler. docs/server.md tells the whole story.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>

#include "lib/log.h"
#include "lib/text.h"
#include "server/http.h"

/* TLS 1.3 preferred, 1.2 accepted, nothing older; the server's order of
 * ciphers wins. */
#define HTTP_TLS_PRIORITIES \
	"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:%SERVER_PRECEDENCE"
#define HTTP_CONN_MEMORY (64u << 10)
#define HTTP_BACKLOG 511

struct http_listener {
	char addr[80];
	int fd;
	struct MHD_Daemon *daemon;
};

struct http_server {
	struct http_listener listeners[SERVERCONF_MAX_LISTEN];
	size_t nlisteners;
	char *cert_pem, *key_pem, *ca_pem;
	const struct http_route *routes;
	size_t nroutes;
	void *ctx;
	struct http_fallback fallback;	/* handle NULL: none */
	struct http_route fallback_route;
	atomic_int inflight;
};

int64_t
http_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

const char *
http_logval(char *buf, size_t size, const char *s)
{
	size_t o = 0, i;
	bool quote = false;

	if (size == 0)
		return buf;
	if (s == NULL)
		s = "";
	if (s[0] == '\0')
		quote = true;
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == '"' || s[i] == '=' ||
		    s[i] == '\\' || (unsigned char)s[i] == 0x7f) {
			quote = true;
			break;
		}
	if (quote && o + 1 < size)
		buf[o++] = '"';
	for (i = 0; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[5];
		size_t n;

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			n = 2;
		} else if (c < ' ' || c == 0x7f) {
			snprintf(esc, sizeof(esc), "\\x%02x", c);
			n = 4;
		} else {
			esc[0] = (char)c;
			n = 1;
		}
		if (o + n + (quote ? 1 : 0) >= size)
			break;
		memcpy(buf + o, esc, n);
		o += n;
	}
	if (quote && o + 1 < size)
		buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

/* --- addresses ---------------------------------------------------------- */

/* "1.2.3.4:443" or "[::1]:443" (checked by serverconf) -> sockaddr. */
static int
http_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon;
	size_t hlen;
	long port;

	memset(ss, 0, sizeof(*ss));
	if (s[0] == '[') {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
		const char *close = strchr(s, ']');

		if (close == NULL || close[1] != ':')
			return -1;
		hlen = (size_t)(close - s - 1);
		if (hlen == 0 || hlen >= sizeof(host))
			return -1;
		memcpy(host, s + 1, hlen);
		host[hlen] = '\0';
		colon = close + 1;
		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1 ||
		    !text_to_long(colon + 1, &port) || port < 1 || port > 65535)
			return -1;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*sin6);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		if ((colon = strrchr(s, ':')) == NULL)
			return -1;
		hlen = (size_t)(colon - s);
		if (hlen == 0 || hlen >= sizeof(host))
			return -1;
		memcpy(host, s, hlen);
		host[hlen] = '\0';
		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1 ||
		    !text_to_long(colon + 1, &port) || port < 1 || port > 65535)
			return -1;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*len = sizeof(*sin);
	}
	return 0;
}

static void
http_addr_text(const struct sockaddr_storage *sa, char *buf, size_t size)
{
	const void *a = NULL;

	if (sa->ss_family == AF_INET)
		a = &((const struct sockaddr_in *)sa)->sin_addr;
	else if (sa->ss_family == AF_INET6)
		a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
	if (a == NULL || inet_ntop(sa->ss_family, a, buf, (socklen_t)size) ==
	    NULL)
		snprintf(buf, size, "?");
}

static bool
http_prefix_match(const unsigned char *a, const unsigned char *b, long bits)
{
	long full = bits / 8, rest = bits % 8;

	if (memcmp(a, b, (size_t)full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[full] ^ b[full]) & (0xff00 >> rest)) == 0;
}

bool
http_addr_allowed(const struct sockaddr_storage *sa, char *const *allow,
    size_t nallow)
{
	static const unsigned char mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};
	unsigned char v4[4], v6[16], want[16];
	bool is4 = false, is6 = false;
	size_t i;

	if (sa->ss_family == AF_INET) {
		memcpy(v4, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		is4 = true;
	} else if (sa->ss_family == AF_INET6) {
		memcpy(v6, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		is6 = true;
		if (memcmp(v6, mapped, sizeof(mapped)) == 0) {
			memcpy(v4, v6 + 12, 4);
			is4 = true;
		}
	}
	for (i = 0; i < nallow; i++) {
		char host[INET6_ADDRSTRLEN + 1];
		const char *slash = strchr(allow[i], '/');
		size_t hlen = slash ? (size_t)(slash - allow[i]) :
		    strlen(allow[i]);
		long bits;

		if (hlen == 0 || hlen >= sizeof(host))
			continue;
		memcpy(host, allow[i], hlen);
		host[hlen] = '\0';
		if (is4 && inet_pton(AF_INET, host, want) == 1) {
			bits = 32;
			if (slash && (!text_to_long(slash + 1, &bits) ||
			    bits < 0 || bits > 32))
				continue;
			if (http_prefix_match(v4, want, bits))
				return true;
		} else if (is6 && inet_pton(AF_INET6, host, want) == 1) {
			bits = 128;
			if (slash && (!text_to_long(slash + 1, &bits) ||
			    bits < 0 || bits > 128))
				continue;
			if (http_prefix_match(v6, want, bits))
				return true;
		}
	}
	return false;
}

/* --- the peer's certificate -------------------------------------------- */

static void
http_peer_identify(struct MHD_Connection *conn, struct http_peer *p)
{
	const union MHD_ConnectionInfo *ci;
	gnutls_session_t s;
	const gnutls_datum_t *certs;
	gnutls_typed_vdata_st vd;
	gnutls_x509_crt_t crt;
	gnutls_datum_t out;
	unsigned int n = 0, status = 0;
	unsigned char raw[64];
	size_t rawlen = sizeof(raw), cnlen = sizeof(p->cn), i, o = 0;
	int rc;

	memset(p, 0, sizeof(*p));
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (ci == NULL || ci->tls_session == NULL)
		return;
	s = (gnutls_session_t)ci->tls_session;
	certs = gnutls_certificate_get_peers(s, &n);
	if (certs == NULL || n == 0)
		return;
	p->has_cert = true;
	memset(&vd, 0, sizeof(vd));
	vd.type = GNUTLS_DT_KEY_PURPOSE_OID;
	vd.data = (void *)GNUTLS_KP_TLS_WWW_CLIENT;
	rc = gnutls_certificate_verify_peers(s, &vd, 1, &status);
	if (rc < 0) {
		snprintf(p->why, sizeof(p->why), "%s", gnutls_strerror(rc));
		return;
	}
	if (status != 0) {
		if (gnutls_certificate_verification_status_print(status,
		    GNUTLS_CRT_X509, &out, 0) == 0) {
			snprintf(p->why, sizeof(p->why), "%s", out.data);
			gnutls_free(out.data);
			text_trim(p->why);
		} else
			snprintf(p->why, sizeof(p->why), "status 0x%x", status);
		return;
	}
	if (gnutls_x509_crt_init(&crt) < 0)
		return;
	if (gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) < 0 ||
	    gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0,
	    0, p->cn, &cnlen) < 0 ||
	    gnutls_x509_crt_get_serial(crt, raw, &rawlen) < 0) {
		snprintf(p->why, sizeof(p->why), "no CN or serial");
		p->cn[0] = '\0';
		gnutls_x509_crt_deinit(crt);
		return;
	}
	gnutls_x509_crt_deinit(crt);
	for (i = 0; i < rawlen && raw[i] == 0; i++)
		;
	for (; i < rawlen && o + 2 < sizeof(p->serial); i++, o += 2)
		snprintf(p->serial + o, 3, "%02x", raw[i]);
	p->serial[o] = '\0';
	/* Leading zero nibble too: "0a1b" and "a1b" are the same number. */
	if (p->serial[0] == '0' && p->serial[1] != '\0')
		memmove(p->serial, p->serial + 1, strlen(p->serial));
	p->verified = true;
}

/* --- answers ----------------------------------------------------------- */

void
http_reply_text(struct http_reply *rep, int status, const char *content_type,
    const char *text, size_t len)
{
	free(rep->body);
	rep->status = status;
	rep->content_type = content_type;
	rep->body = text_ndup(text, len);
	rep->len = len;
}

void
http_reply_json(struct http_reply *rep, int status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT);

	json_decref(body);
	free(rep->body);
	rep->status = status;
	rep->content_type = "application/json; charset=utf-8";
	if (s == NULL) {
		rep->status = 500;
		s = text_dup("{\"error\":{\"code\":\"internal\",\"vi\":\"hết bộ "
		    "nhớ\",\"en\":\"out of memory\"}}");
	}
	rep->body = s;
	rep->len = strlen(s);
}

void
http_reply_error(struct http_reply *rep, int status, const char *code,
    const char *vi, const char *en, const char *path)
{
	json_t *e = json_object(), *o = json_object();

	json_object_set_new(e, "code", json_string(code));
	json_object_set_new(e, "vi", json_string(vi));
	json_object_set_new(e, "en", json_string(en));
	if (path != NULL && path[0] != '\0')
		json_object_set_new(e, "path", json_string(path));
	json_object_set_new(o, "error", e);
	http_reply_json(rep, status, o);
}

const char *
http_header(const struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

/* --- the console's inputs: path, query, cookies, forms --------------- */

const char *
http_path(const struct http_request *req)
{
	return req->url;
}

bool
http_percent_decode(const char *s, size_t len, bool plus, char *out,
    size_t *outlen)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= len)
				return false;
			hi = text_hexval((unsigned char)s[i + 1]);
			lo = text_hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return false;
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus)
			c = ' ';
		if (c == 0 || (c < ' ' && c != '\t' && c != '\r' &&
		    c != '\n') || c == 0x7f)
			return false;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	*outlen = o;
	return text_valid_utf8(out, o);
}

struct http_query_ctx {
	json_t *obj;
	size_t n;
};

static enum MHD_Result
http_query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct http_query_ctx *q = cls;
	char *k, *v;
	size_t klen, vlen;

	(void)kind;
	if (++q->n > HTTP_QUERY_MAX_ARGS)
		return MHD_NO;
	if (key == NULL)
		return MHD_YES;
	if (value == NULL)
		value = "";
	klen = strlen(key);
	vlen = strlen(value);
	if (klen == 0 || vlen > HTTP_HEADER_VALUE_MAX)
		return MHD_YES;
	k = malloc(klen + 1);
	v = malloc(vlen + 1);
	if (k != NULL && v != NULL &&
	    http_percent_decode(key, klen, true, k, &klen) &&
	    http_percent_decode(value, vlen, true, v, &vlen) &&
	    json_object_get(q->obj, k) == NULL)
		json_object_set_new(q->obj, k, json_stringn(v, vlen));
	free(k);
	free(v);
	return MHD_YES;
}

json_t *
http_query(const struct http_request *req)
{
	struct http_query_ctx q;

	q.obj = json_object();
	q.n = 0;
	if (q.obj == NULL)
		abort();
	if (req->conn != NULL)
		MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND,
		    http_query_arg, &q);
	return q.obj;
}

/* cookie-octet of RFC 6265: no controls, space, '"', ',', ';', '\\'. */
static bool
http_cookie_octet(unsigned char c)
{
	return c >= 0x21 && c <= 0x7e && c != '"' && c != ',' && c != ';' &&
	    c != '\\';
}

const char *
http_cookie_find(const char *header, const char *name, char *buf,
    size_t size)
{
	size_t nlen = strlen(name);
	const char *p = header;

	if (header == NULL || nlen == 0 || size == 0)
		return NULL;
	while (*p != '\0') {
		const char *end, *eq, *v;
		size_t vlen, i;

		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		if (*p == '\0')
			break;
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		if (eq != NULL && (size_t)(eq - p) == nlen &&
		    memcmp(p, name, nlen) == 0) {
			v = eq + 1;
			vlen = (size_t)(end - v);
			while (vlen > 0 && (v[vlen - 1] == ' ' ||
			    v[vlen - 1] == '\t'))
				vlen--;
			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
				v++;
				vlen -= 2;
			}
			if (vlen >= size)
				return NULL;
			for (i = 0; i < vlen; i++)
				if (!http_cookie_octet((unsigned char)v[i]))
					return NULL;
			memcpy(buf, v, vlen);
			buf[vlen] = '\0';
			return buf;
		}
		p = end;
	}
	return NULL;
}

const char *
http_cookie(const struct http_request *req, const char *name, char *buf,
    size_t size)
{
	return http_cookie_find(http_header(req, "Cookie"), name, buf, size);
}

int
http_form_parse(const char *s, size_t len, size_t max, json_t **out,
    char *err, size_t errlen)
{
	json_t *obj;
	const char *p = s, *end = s + len;
	char *k = NULL, *v = NULL;
	size_t n = 0;

	*out = NULL;
	if (len > max) {
		snprintf(err, errlen, "biểu mẫu quá lớn (tối đa %zu byte) — "
		    "form too large (at most %zu bytes)", max, max);
		return -1;
	}
	if ((obj = json_object()) == NULL ||
	    (k = malloc(len + 1)) == NULL || (v = malloc(len + 1)) == NULL) {
		snprintf(err, errlen, "hết bộ nhớ — out of memory");
		goto fail;
	}
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *fend = amp ? amp : end, *eq;
		size_t klen, vlen;

		eq = memchr(p, '=', (size_t)(fend - p));
		if (fend == p) {
			p = fend + 1;
			continue;
		}
		if (++n > HTTP_FORM_MAX_FIELDS) {
			snprintf(err, errlen, "biểu mẫu có quá nhiều trường (tối "
			    "đa %d) — too many form fields (at most %d)",
			    HTTP_FORM_MAX_FIELDS, HTTP_FORM_MAX_FIELDS);
			goto fail;
		}
		if (eq == NULL)
			eq = fend;
		if (eq == p || !http_percent_decode(p, (size_t)(eq - p), true,
		    k, &klen)) {
			snprintf(err, errlen, "trường thứ %zu: tên không hợp lệ "
			    "(mã %%XX sai, không phải UTF-8 hoặc ký tự điều "
			    "khiển) — field %zu: invalid name (bad %%XX escape, "
			    "not UTF-8 or a control character)", n, n);
			goto fail;
		}
		if (!http_percent_decode(eq < fend ? eq + 1 : fend,
		    eq < fend ? (size_t)(fend - eq - 1) : 0, true, v, &vlen)) {
			char name[64];

			snprintf(err, errlen, "trường “%s”: giá trị không hợp lệ "
			    "(mã %%XX sai, không phải UTF-8 hoặc ký tự điều "
			    "khiển) — field “%s”: invalid value (bad %%XX "
			    "escape, not UTF-8 or a control character)",
			    http_logval(name, sizeof(name), k),
			    http_logval(name, sizeof(name), k));
			goto fail;
		}
		if (json_object_get(obj, k) == NULL)
			json_object_set_new(obj, k, json_stringn(v, vlen));
		p = amp ? amp + 1 : end;
	}
	free(k);
	free(v);
	*out = obj;
	return 0;
fail:
	free(k);
	free(v);
	json_decref(obj);
	return -1;
}

static bool
http_token_valid(const char *s)
{
	size_t i;

	if (s[0] == '\0')
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("!#$%&'*+-.^_`|~", c)))
			return false;
	}
	return true;
}

int
http_reply_header(struct http_reply *rep, const char *name,
    const char *value)
{
	size_t nlen, vlen, i;

	if (name == NULL || value == NULL || !http_token_valid(name))
		return -1;
	nlen = strlen(name);
	vlen = strlen(value);
	if (vlen > HTTP_HEADER_VALUE_MAX ||
	    nlen + vlen + 2 > sizeof(rep->headers) - rep->headers_len)
		return -1;
	for (i = 0; i < vlen; i++)
		if (((unsigned char)value[i] < ' ' && value[i] != '\t') ||
		    (unsigned char)value[i] == 0x7f)
			return -1;
	memcpy(rep->headers + rep->headers_len, name, nlen + 1);
	memcpy(rep->headers + rep->headers_len + nlen + 1, value, vlen + 1);
	rep->headers_len += nlen + vlen + 2;
	return 0;
}

const char *
http_reply_header_get(const struct http_reply *rep, const char *name)
{
	size_t o = 0;

	while (o < rep->headers_len) {
		const char *n = rep->headers + o, *v = n + strlen(n) + 1;

		if (strcasecmp(n, name) == 0)
			return v;
		o += strlen(n) + strlen(v) + 2;
	}
	return NULL;
}

/* A default header, unless the reply has its own of that name. */
static void
http_default_header(struct MHD_Response *r, const struct http_reply *rep,
    const char *name, const char *value)
{
	if (http_reply_header_get(rep, name) == NULL)
		MHD_add_response_header(r, name, value);
}

static enum MHD_Result
http_queue(struct http_server *srv, struct http_request *req,
    struct http_reply *rep)
{
	struct MHD_Connection *conn = req->conn;
	struct MHD_Response *r;
	enum MHD_Result ret;
	char ra[16], lv[3][256];
	int64_t us;
	size_t o;

	(void)srv;
	if (rep->status == 0)
		http_reply_error(rep, 500, "internal", "lỗi nội bộ máy chủ",
		    "internal server error", NULL);
	r = MHD_create_response_from_buffer(rep->len, rep->body,
	    MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(rep->body);
		rep->body = NULL;
		return MHD_NO;
	}
	rep->body = NULL;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    rep->content_type ? rep->content_type : "application/json");
	http_default_header(r, rep, "Strict-Transport-Security",
	    "max-age=63072000");
	http_default_header(r, rep, "X-Content-Type-Options", "nosniff");
	http_default_header(r, rep, "Cache-Control", "no-store");
	http_default_header(r, rep, "X-Frame-Options", "DENY");
	http_default_header(r, rep, "Content-Security-Policy",
	    "default-src 'none'; frame-ancestors 'none'");
	http_default_header(r, rep, "Referrer-Policy", "no-referrer");
	for (o = 0; o < rep->headers_len; ) {
		const char *hn = rep->headers + o, *hv = hn + strlen(hn) + 1;

		MHD_add_response_header(r, hn, hv);
		o += strlen(hn) + strlen(hv) + 2;
	}
	if (rep->retry_after > 0) {
		snprintf(ra, sizeof(ra), "%d", rep->retry_after);
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	if (rep->status == 405 && req->route != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW,
		    req->route->method);
	ret = MHD_queue_response(conn, (unsigned int)rep->status, r);
	MHD_destroy_response(r);
	req->answered = true;
	us = http_now_us() - req->start_us;
	metrics_request(req->route ? req->route->metric : METRICS_ROUTE_OTHER,
	    rep->status);
	if (req->route != NULL && req->route->metric == METRICS_ROUTE_BATCHES &&
	    strcmp(req->method, req->route->method) == 0)
		metrics_batch_latency_us(us);
	log_debug("event=http.request addr=%s method=%s path=%s status=%d "
	    "cn=%s ms=%lld", req->addr, http_logval(lv[0], sizeof(lv[0]),
	    req->method), http_logval(lv[1], sizeof(lv[1]), req->url),
	    rep->status, http_logval(lv[2], sizeof(lv[2]), req->peer.cn),
	    (long long)(us / 1000));
	return ret;
}

/* --- the access handler ------------------------------------------------ */

static const struct http_route *
http_route_find(const struct http_server *srv, const char *method,
    const char *url, bool *path_known)
{
	size_t i;

	*path_known = false;
	for (i = 0; i < srv->nroutes; i++) {
		if (strcmp(srv->routes[i].path, url) != 0)
			continue;
		*path_known = true;
		if (strcmp(srv->routes[i].method, method) == 0)
			return &srv->routes[i];
	}
	return NULL;
}

/* The first call, with the headers only. Returns true when answered. */
static bool
http_begin(struct http_server *srv, struct http_request *req,
    struct http_reply *rep)
{
	const struct http_route *rt;
	const char *te, *cl;
	bool path_known;
	long long clen = -1;
	size_t i;

	rt = http_route_find(srv, req->method, req->url, &path_known);
	if (rt == NULL && path_known) {
		for (i = 0; i < srv->nroutes; i++)
			if (strcmp(srv->routes[i].path, req->url) == 0) {
				req->route = &srv->routes[i];
				break;
			}
		http_reply_error(rep, 405, "method", "phương thức HTTP không "
		    "được phép", "HTTP method not allowed", NULL);
		return true;
	}
	if (rt == NULL && srv->fallback.handle != NULL &&
	    strncmp(req->url, "/api/", 5) != 0 &&
	    strcmp(req->url, "/metrics") != 0)
		rt = &srv->fallback_route;
	if (rt == NULL) {
		http_reply_error(rep, 404, "not-found", "không có đường dẫn này",
		    "no such path", NULL);
		return true;
	}
	req->route = rt;
	te = http_header(req, MHD_HTTP_HEADER_TRANSFER_ENCODING);
	cl = http_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl != NULL) {
		char *end;

		errno = 0;
		clen = strtoll(cl, &end, 10);
		if (errno != 0 || end == cl || *end != '\0' || clen < 0)
			clen = LLONG_MAX;
	}
	if (te != NULL && strcasecmp(te, "identity") != 0 && cl == NULL) {
		http_reply_error(rep, 411, "length-required", "thân yêu cầu phải "
		    "có Content-Length", "the request body needs a "
		    "Content-Length", NULL);
		if (rt->refused != NULL)
			rt->refused(srv->ctx, req, rep, "length-required",
			    "the request body needs a Content-Length");
		return true;
	}
	if (clen > 0 && (unsigned long long)clen > rt->max_body) {
		char vi[128], en[128];

		snprintf(vi, sizeof(vi), "thân yêu cầu quá lớn (tối đa %zu "
		    "byte)", rt->max_body);
		snprintf(en, sizeof(en), "request body too large (at most %zu "
		    "bytes)", rt->max_body);
		http_reply_error(rep, 413, "too-large", vi, en, NULL);
		if (rt->refused != NULL)
			rt->refused(srv->ctx, req, rep, "too-large", en);
		return true;
	}
	if (clen > 0) {
		req->body = malloc((size_t)clen + 1);
		if (req->body == NULL) {
			http_reply_error(rep, 503, "store-busy", "máy chủ hết bộ "
			    "nhớ, thử lại sau", "the server is out of memory, "
			    "retry later", NULL);
			rep->retry_after = 30;
			return true;
		}
		req->cap = (size_t)clen;
		req->body[0] = '\0';
	}
	if (rt->check != NULL) {
		rt->check(srv->ctx, req, rep);
		if (rep->status != 0)
			return true;
	}
	return false;
}

static enum MHD_Result
http_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct http_request *req = *con_cls;
	struct http_reply rep;
	const union MHD_ConnectionInfo *ci;

	(void)version;
	rep.status = 0;
	rep.content_type = NULL;
	rep.body = NULL;
	rep.len = 0;
	rep.retry_after = 0;
	rep.headers_len = 0;
	if (req == NULL) {
		if ((req = calloc(1, sizeof(*req))) == NULL)
			return MHD_NO;
		*con_cls = req;
		atomic_fetch_add(&srv->inflight, 1);
		req->conn = conn;
		req->method = method;
		req->url = url;
		req->start_us = http_now_us();
		ci = MHD_get_connection_info(conn,
		    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci != NULL && ci->client_addr != NULL) {
			size_t sl = ci->client_addr->sa_family == AF_INET6 ?
			    sizeof(struct sockaddr_in6) :
			    sizeof(struct sockaddr_in);

			memcpy(&req->sa, ci->client_addr, sl);
		}
		http_addr_text(&req->sa, req->addr, sizeof(req->addr));
		http_peer_identify(conn, &req->peer);
		if (http_begin(srv, req, &rep))
			return http_queue(srv, req, &rep);
		return MHD_YES;
	}
	if (req->answered) {
		/* Answered early: MHD discards the rest. */
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;

		if (req->overflow || n > req->cap - req->len) {
			/* More than Content-Length said: cannot happen with
			 * MHD, but never write past the buffer. */
			req->overflow = true;
			*upload_data_size = 0;
			return MHD_NO;
		}
		memcpy(req->body + req->len, upload_data, n);
		req->len += n;
		req->body[req->len] = '\0';
		*upload_data_size = 0;
		return MHD_YES;
	}
	req->route->handle(req->route == &srv->fallback_route ?
	    srv->fallback.ctx : srv->ctx, req, &rep);
	return http_queue(srv, req, &rep);
}

static void
http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	struct http_request *req = *con_cls;

	(void)conn;
	(void)toe;
	if (req == NULL)
		return;
	if (req->app_free != NULL && req->app != NULL)
		req->app_free(req->app);
	free(req->body);
	free(req);
	*con_cls = NULL;
	atomic_fetch_sub(&srv->inflight, 1);
}

static void
http_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t len;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	len = strlen(msg);
	while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		msg[--len] = '\0';
	log_debug("event=http.mhd msg=%s", http_logval((char[600]){0}, 600,
	    msg));
}

/* --- start and stop ---------------------------------------------------- */

static int
http_bind(struct http_listener *l, int *family, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, one = 1, e;

	if (http_parse_listen(l->addr, &ss, &sl) != 0) {
		snprintf(err, errlen, "%s: địa chỉ lắng nghe không hợp lệ — "
		    "invalid listen address", l->addr);
		return -1;
	}
	*family = ss.ss_family;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0);
	if (fd < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 ||
	    listen(fd, HTTP_BACKLOG) != 0)
		goto fail;
	l->fd = fd;
	return 0;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	snprintf(err, errlen, "%s: không lắng nghe được trên địa chỉ này: %s — "
	    "cannot listen on this address: %s", l->addr,
	    text_strerror_vi(e) ? text_strerror_vi(e) : strerror(e),
	    strerror(e));
	return -1;
}

/* Paths and query strings stay as sent: the console decodes them itself,
 * strictly (http_percent_decode); the API's paths are plain. */
static size_t
http_unescape_none(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return strlen(s);
}

struct http_server *
http_server_start(const struct serverconf *sc, const char *cert_pem,
    const char *key_pem, const char *ca_pem, const struct http_route *routes,
    size_t nroutes, void *ctx, char *err, size_t errlen)
{
	return http_server_start_with(sc, cert_pem, key_pem, ca_pem, routes,
	    nroutes, ctx, NULL, err, errlen);
}

struct http_server *
http_server_start_with(const struct serverconf *sc, const char *cert_pem,
    const char *key_pem, const char *ca_pem, const struct http_route *routes,
    size_t nroutes, void *ctx, const struct http_fallback *fallback,
    char *err, size_t errlen)
{
	struct http_server *srv;
	unsigned int flags, per_ip;
	size_t i;
	int family;

	if ((srv = calloc(1, sizeof(*srv))) == NULL) {
		snprintf(err, errlen, "hết bộ nhớ — out of memory");
		return NULL;
	}
	srv->cert_pem = text_dup(cert_pem);
	srv->key_pem = text_dup(key_pem);
	srv->ca_pem = text_dup(ca_pem);
	srv->routes = routes;
	srv->nroutes = nroutes;
	srv->ctx = ctx;
	if (fallback != NULL) {
		srv->fallback = *fallback;
		srv->fallback_route.method = "*";
		srv->fallback_route.path = "/";
		srv->fallback_route.metric = METRICS_ROUTE_OTHER;
		srv->fallback_route.max_body = fallback->max_body;
		srv->fallback_route.handle = fallback->handle;
	}
	atomic_init(&srv->inflight, 0);
	/* One address must not take every connection; loopback load tests
	 * come from one address, so a quarter of the limit. */
	per_ip = (unsigned int)sc->max_connections / 4;
	if (per_ip < 8)
		per_ip = 8;
	for (i = 0; i < sc->nlisten; i++) {
		struct http_listener *l = &srv->listeners[i];

		snprintf(l->addr, sizeof(l->addr), "%s", sc->listen[i]);
		l->fd = -1;
		srv->nlisteners++;
		if (http_bind(l, &family, err, errlen) != 0)
			goto fail;
		flags = MHD_USE_TLS | MHD_USE_INTERNAL_POLLING_THREAD |
		    MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
		if (family == AF_INET6)
			flags |= MHD_USE_IPv6;
		l->daemon = MHD_start_daemon(flags, 0, NULL, NULL,
		    http_access, srv,
		    MHD_OPTION_EXTERNAL_LOGGER, http_mhd_log, NULL,
		    MHD_OPTION_HTTPS_MEM_KEY, srv->key_pem,
		    MHD_OPTION_HTTPS_MEM_CERT, srv->cert_pem,
		    MHD_OPTION_HTTPS_MEM_TRUST, srv->ca_pem,
		    MHD_OPTION_HTTPS_PRIORITIES, HTTP_TLS_PRIORITIES,
		    MHD_OPTION_LISTEN_SOCKET, l->fd,
		    MHD_OPTION_CONNECTION_LIMIT,
		    (unsigned int)sc->max_connections,
		    MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
		    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)sc->timeout_s,
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONN_MEMORY,
		    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)sc->threads,
		    MHD_OPTION_NOTIFY_COMPLETED, http_completed, srv,
		    MHD_OPTION_SIGPIPE_HANDLED_BY_APP, 1,
		    MHD_OPTION_UNESCAPE_CALLBACK, http_unescape_none, NULL,
		    MHD_OPTION_END);
		if (l->daemon == NULL) {
			snprintf(err, errlen, "%s: không khởi động được dịch vụ "
			    "TLS (chứng thư, khóa hoặc tùy chọn; xem nhật ký "
			    "với -vv) — cannot start the TLS service "
			    "(certificate, key or options; see the log with "
			    "-vv)", l->addr);
			goto fail;
		}
	}
	return srv;
fail:
	http_server_stop(srv, 0);
	return NULL;
}

void
http_server_stop(struct http_server *srv, int grace_s)
{
	int64_t until;
	size_t i;

	if (srv == NULL)
		return;
	for (i = 0; i < srv->nlisteners; i++) {
		struct http_listener *l = &srv->listeners[i];

		if (l->daemon != NULL) {
			MHD_socket fd = MHD_quiesce_daemon(l->daemon);

			if (fd != MHD_INVALID_SOCKET && fd == l->fd) {
				close(l->fd);
				l->fd = -1;
			}
		}
	}
	until = http_now_us() + (int64_t)grace_s * 1000000;
	while (atomic_load(&srv->inflight) > 0 && http_now_us() < until) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	for (i = 0; i < srv->nlisteners; i++) {
		struct http_listener *l = &srv->listeners[i];

		if (l->daemon != NULL)
			MHD_stop_daemon(l->daemon);
		if (l->fd >= 0)
			close(l->fd);
	}
	free(srv->cert_pem);
	if (srv->key_pem != NULL) {
		explicit_bzero(srv->key_pem, strlen(srv->key_pem));
		free(srv->key_pem);
	}
	free(srv->ca_pem);
	free(srv);
}
