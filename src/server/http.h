/*
 * http.h — canhgacd's HTTPS front: libmicrohttpd over GnuTLS, TLS 1.2 or
 * 1.3 only, one daemon per listen address, a client certificate asked for
 * (not required) at the handshake and verified against the ward's CA per
 * request. Requests are routed by a table of routes; a route may refuse a
 * request from its headers alone (before its body is read), and a body is
 * accumulated only up to the route's bound. Every answer carries the
 * security headers; errors are the bilingual JSON object of docs/api.md.
 *
 * A fallback handler (the web console, web.h) takes every other request:
 * any method, any path not under /api/ and not /metrics. For it, http.c
 * also reads the query string, cookies and form bodies (strict
 * percent-decoding, UTF-8 checked), and a reply may carry its own headers
 * (Set-Cookie, Location, Content-Disposition, its own CSP...), which
 * replace the defaults of the same name.
 */
#ifndef CG_HTTP_H
#define CG_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <jansson.h>

#include "lib/pki.h"
#include "server/metrics.h"
#include "server/serverconf.h"

#define HTTP_ADDR_MAX 64		/* text of an IPv6 address */

/* Who is at the other end of the TLS connection. */
struct http_peer {
	bool has_cert;			/* a certificate was shown */
	bool verified;			/* issued by the CA, valid now, for
					 * client authentication */
	char cn[PKI_CN_MAX];		/* of a verified certificate */
	char serial[65];		/* lowercase hex, no leading zeros */
	char why[256];			/* when shown but not verified */
};

struct http_route;

struct http_request {
	void *conn;			/* struct MHD_Connection */
	const char *method, *url;
	const struct http_route *route;
	struct sockaddr_storage sa;
	char addr[HTTP_ADDR_MAX];	/* client address, text */
	struct http_peer peer;
	char *body;			/* NUL-terminated, may be NULL */
	size_t len;
	int64_t start_us;		/* monotonic, at the headers */
	void *app;			/* the route's own state */
	void (*app_free)(void *);
	/* private to http.c */
	size_t cap;
	bool answered, overflow;
};

#define HTTP_REPLY_HEADERS 6144	/* bytes of a reply's own headers */
#define HTTP_HEADER_VALUE_MAX 4096
#define HTTP_QUERY_MAX_ARGS 64
#define HTTP_FORM_MAX_FIELDS 256

struct http_reply {
	int status;			/* 0: no answer yet */
	const char *content_type;	/* static */
	char *body;			/* malloc'd, taken by http.c */
	size_t len;
	int retry_after;		/* seconds; 0: no header */
	/* The reply's own headers, "name\0value\0" each (http_reply_header). */
	char headers[HTTP_REPLY_HEADERS];
	size_t headers_len;
};

typedef void (*http_handler)(void *ctx, struct http_request *req,
    struct http_reply *rep);

struct http_route {
	const char *method;		/* "GET", "POST" */
	const char *path;		/* exact */
	enum metrics_route metric;
	size_t max_body;		/* 0: no body */
	http_handler check;		/* at the headers, may answer; or NULL */
	http_handler handle;		/* with the whole body */
	/* Told when http.c itself refused a request of this route (411,
	 * 413) with the error code and the English reason; or NULL. */
	void (*refused)(void *ctx, struct http_request *req,
	    const struct http_reply *rep, const char *code, const char *en);
};

struct http_server;

/* Takes what no route takes (see above), with its own ctx. */
struct http_fallback {
	size_t max_body;
	http_handler handle;
	void *ctx;
};

/* Binds every listen address of sc (a fatal error names the address that
 * cannot be bound) and starts serving routes with ctx. PEM strings are
 * copied. NULL with err on failure. */
struct http_server *http_server_start(const struct serverconf *sc,
    const char *cert_pem, const char *key_pem, const char *ca_pem,
    const struct http_route *routes, size_t nroutes, void *ctx, char *err,
    size_t errlen);
/* The same with a fallback handler (may be NULL). */
struct http_server *http_server_start_with(const struct serverconf *sc,
    const char *cert_pem, const char *key_pem, const char *ca_pem,
    const struct http_route *routes, size_t nroutes, void *ctx,
    const struct http_fallback *fallback, char *err, size_t errlen);
/* Stops accepting, lets the requests in progress finish (at most
 * grace_s seconds), closes every connection. */
void http_server_stop(struct http_server *srv, int grace_s);

/* Value of a request header (case-insensitive), or NULL. */
const char *http_header(const struct http_request *req, const char *name);

/* The raw path of the request (before '?', not percent-decoded). */
const char *http_path(const struct http_request *req);
/* The query string as an object of strings: names and values strictly
 * percent-decoded, valid UTF-8 without control characters; what is not is
 * left out, as are arguments past HTTP_QUERY_MAX_ARGS; a repeated name
 * keeps its first value. Never NULL (aborts on OOM like text_dup). */
json_t *http_query(const struct http_request *req);
/* The value of cookie name copied into buf, or NULL when absent, too long
 * for buf or not made of cookie-octets (RFC 6265). */
const char *http_cookie(const struct http_request *req, const char *name,
    char *buf, size_t size);
/* The same over the text of a Cookie header. */
const char *http_cookie_find(const char *header, const char *name,
    char *buf, size_t size);
/* Strict percent-decoding of s[0..len) into out (at least len + 1 bytes):
 * "%" must be followed by two hex digits; plus turns '+' into ' '. The
 * result must be valid UTF-8 without NUL or control characters other than
 * tab, CR and LF. false otherwise. */
bool http_percent_decode(const char *s, size_t len, bool plus, char *out,
    size_t *outlen);
/* An application/x-www-form-urlencoded body (at most max bytes) as an
 * object of strings; a repeated field keeps its first value. 0, or -1
 * with err naming the field. */
int http_form_parse(const char *s, size_t len, size_t max, json_t **out,
    char *err, size_t errlen);

/* Adds a header to the reply (copied): name a token, value without
 * control characters, at most HTTP_HEADER_VALUE_MAX bytes and within
 * HTTP_REPLY_HEADERS in all. 0, or -1 when refused. */
int http_reply_header(struct http_reply *rep, const char *name,
    const char *value);
/* The first value of a header added to the reply, or NULL. */
const char *http_reply_header_get(const struct http_reply *rep,
    const char *name);

/* Answers: body taken (json_t reference stolen). */
void http_reply_json(struct http_reply *rep, int status, json_t *body);
void http_reply_text(struct http_reply *rep, int status,
    const char *content_type, const char *text, size_t len);
/* {"error": {"code", "vi", "en", "path"?}} */
void http_reply_error(struct http_reply *rep, int status, const char *code,
    const char *vi, const char *en, const char *path);

/* s as one logfmt value (quoted and escaped when needed, control bytes
 * as \xNN, at most size - 1 bytes); returns buf. */
const char *http_logval(char *buf, size_t size, const char *s);

/* Microseconds of the monotonic clock. */
int64_t http_now_us(void);

/* true when the address text matches one of the entries ("10.0.0.5",
 * "10.0.0.0/24", "::1"); an IPv4-mapped IPv6 address matches as IPv4. */
bool http_addr_allowed(const struct sockaddr_storage *sa,
    char *const *allow, size_t nallow);

#endif
