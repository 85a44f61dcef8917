/*
 * http.h — canhgacd's HTTPS front: libmicrohttpd over GnuTLS, TLS 1.2 or
 * 1.3 only, one daemon per listen address, a client certificate asked for
 * (not required) at the handshake and verified against the ward's CA per
 * request. Requests are routed by a table of routes; a route may refuse a
 * request from its headers alone (before its body is read), and a body is
 * accumulated only up to the route's bound. Every answer carries the
 * security headers; errors are the bilingual JSON object of docs/api.md.
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

struct http_reply {
	int status;			/* 0: no answer yet */
	const char *content_type;	/* static */
	char *body;			/* malloc'd, taken by http.c */
	size_t len;
	int retry_after;		/* seconds; 0: no header */
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

/* Binds every listen address of sc (a fatal error names the address that
 * cannot be bound) and starts serving routes with ctx. PEM strings are
 * copied. NULL with err on failure. */
struct http_server *http_server_start(const struct serverconf *sc,
    const char *cert_pem, const char *key_pem, const char *ca_pem,
    const struct http_route *routes, size_t nroutes, void *ctx, char *err,
    size_t errlen);
/* Stops accepting, lets the requests in progress finish (at most
 * grace_s seconds), closes every connection. */
void http_server_stop(struct http_server *srv, int grace_s);

/* Value of a request header (case-insensitive), or NULL. */
const char *http_header(const struct http_request *req, const char *name);

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
