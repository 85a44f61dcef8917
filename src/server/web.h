/*
 * web.h — the console: pages rendered on the server from templates
 * (the .html files of web/templates/, tmpl.h) and the message catalogue
 * (web/messages.yml, msg.h), served by canhgacd on its TLS port under "/"
 * (the agent API keeps /api/v1/ and /metrics).
 *
 * Every request passes the same gate (web.c) before a page sees it:
 * the session from the cookie (HttpOnly, Secure, SameSite=Strict, 15
 * minutes idle), the role the page needs, the CSRF token of every POST,
 * the language (cookie "lang", default vi), and the security headers of
 * every answer (CSP without unsafe-inline, frame-ancestors 'none', HSTS,
 * Referrer-Policy no-referrer, nosniff). The unit scope is enforced by
 * the pages through web_scope_unit()/web_can_see_unit() on every read,
 * form and export, never by the menu alone.
 *
 * Paths are Vietnamese words without diacritics (ASCII, so that they are
 * typed and read aloud easily): /dang-nhap (sign in), /dang-xuat (sign
 * out), /ngon-ngu (language), /tong-quan (overview), /static/NAME (the
 * embedded files of web/static/). A page without a session is answered
 * 303 to /dang-nhap?next=PATH; a role too low, 403.
 */
#ifndef CG_WEB_H
#define CG_WEB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "server/http.h"
#include "server/store.h"

enum web_role {
	WEB_ROLE_NONE = 0,		/* not signed in */
	WEB_ROLE_VIEWER,		/* chairman: read-only overview */
	WEB_ROLE_UNIT_HEAD,		/* own unit: read, acknowledge */
	WEB_ROLE_UNIT_IT,		/* own unit: hosts, findings, tokens */
	WEB_ROLE_SUPERVISOR,		/* ward police: everything */
};

struct web_user {
	int64_t id;
	char login[64];
	char name[128];
	enum web_role role;
	int64_t unit_id;		/* 0 for supervisor and viewer */
	char unit[256];
	bool totp_enabled;
};

struct web;				/* the console's state (web.c) */

struct web_req {
	struct web *w;
	struct http_request *http;
	const char *path;		/* without the query string */
	char *args[4];			/* the ":x" segments of the pattern */
	bool en;			/* English; Vietnamese otherwise */
	struct web_user user;		/* role NONE when not signed in */
	bool mfa_pending;		/* password ok, TOTP not yet given */
	char csrf[48];			/* the session's token, for forms */
	json_t *form;			/* POST fields: object of strings */
	int64_t now;
	json_t *query;			/* query string: object of strings */
	char sid[65];			/* SHA-256 hex of the session
					 * cookie; "" when not signed in */
};

typedef void (*web_page_fn)(struct web_req *r, struct http_reply *rep);

struct web_page {
	const char *method;		/* "GET" or "POST" */
	const char *pattern;		/* "/hosts/:id" — ":x" one segment */
	enum web_role min_role;		/* NONE: open (sign-in page) */
	web_page_fn fn;
};

#define WEB_MAX_BODY (64u << 10)	/* of a form */
#define WEB_IDLE_S (15 * 60)		/* a session unused this long ends */
#define WEB_LIFETIME_S (12 * 3600)	/* and any session after this */
#define WEB_ARG_MAX 128			/* bytes of a ":x" segment */

/* The console over store st: loads the catalogue and the templates
 * embedded from web/ and checks them (every msgid, partial and html_
 * rule); NULL with err "file:line:col: <vi> — <en>" otherwise. pages
 * (may be NULL) are tried before the console's own (sign-in, sign-out,
 * language, overview); they must outlive the console. */
struct web *web_new(struct store *st, const struct web_page *pages,
    size_t npages, char *err, size_t errlen);
void web_free(struct web *w);
/* More pages, tried after those given before and before the console's
 * own (the first match of method and pattern wins); they must outlive
 * the console. -1 beyond WEB_MAX_TABLES tables. */
#define WEB_MAX_TABLES 16
int web_add_pages(struct web *w, const struct web_page *pages, size_t n);
/* The store, when it is opened after the console was checked. */
void web_set_store(struct web *w, struct store *st);
/* The http.h handler of every console request (ctx: struct web). */
void web_handle(void *ctx, struct http_request *req, struct http_reply *rep);

/* Whether path matches pattern: 1 with the ":x" segments percent-decoded
 * into args (malloc'd, nargs at most), 0 when it does not match, -1 when
 * it does but a segment is invalid (bad escape, control character, not
 * UTF-8, over WEB_ARG_MAX). A "/" in an argument can only come from %2F
 * (a site's host id, "site:https://host:443"). */
int web_match(const char *pattern, const char *path, char **args,
    size_t nargs);
/* Constant-time comparison of two tokens (false for NULL or empty). */
bool web_csrf_equal(const char *a, const char *b);
/* A path we may redirect to: one '/' first, no backslash, printable ASCII. */
bool web_local_path(const char *path);
enum web_role web_role_parse(const char *role);

/* Query string and form fields (NULL when absent). */
const char *web_query(struct web_req *r, const char *name);
const char *web_form(struct web_req *r, const char *name);

/* The store of the console (shared with the API). */
struct store *web_store(struct web_req *r);

/* Scope: the unit a user is limited to (0: every unit); whether a unit
 * or a host may be seen. Pages call these on every read. */
int64_t web_scope_unit(const struct web_user *u);
bool web_can_see_unit(const struct web_user *u, int64_t unit_id);

/* Renders template name with the model (reference stolen). The gate adds
 * to the model: "user" {login, name, role, unit}, "csrf", "lang", "en",
 * "path", "nav" (the menu for the role), and "now". */
void web_render(struct web_req *r, struct http_reply *rep, int status,
    const char *tmpl, json_t *model);
/* 303 See Other to a local path (only paths starting with one '/'). */
void web_redirect(struct web_req *r, struct http_reply *rep,
    const char *path);
/* An error page with a catalogue message: 400, 403, 404, 500. */
void web_error(struct web_req *r, struct http_reply *rep, int status,
    const char *msgid);
/* A download: Content-Disposition attachment with an ASCII file name. */
void web_download(struct web_req *r, struct http_reply *rep,
    const char *content_type, const char *filename, char *data,
    size_t len);

/* The catalogue text of msgid in the request's language. */
const char *web_msg(struct web_req *r, const char *msgid);

/* Appends to the audit log what this person changed (store.h). */
int web_audit(struct web_req *r, const char *action, const char *object,
    json_t *detail);

#endif
