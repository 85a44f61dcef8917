/*
 * page_tokens.c — GET and POST /ma-dang-ky, the enrolment tokens of the
 * console: the list (a unit IT officer sees the own unit's, a supervisor
 * all), create (a unit IT officer for the own unit only; a supervisor for
 * any unit, or a new one) and revoke. A new token is shown once, in the
 * answer to the POST, with the CA fingerprint and the exact enroll
 * command, as `canhgac token create` prints them (enrol_token.c); the
 * store keeps only its SHA-256. Every change goes to the audit log.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>
#include <sodium.h>

#include "lib/json.h"
#include "lib/log.h"
#include "lib/text.h"
#include "server/enrol_token.h"
#include "server/export.h"
#include "server/page_act.h"
#include "server/page_reading.h"

/* Set once at start-up, before the console serves (pages_act_setup). */
static char tokens_url[512];
static char tokens_fpr[PKI_FPR_LEN];

static const struct {
	const char *value, *msgid;
} tokens_expiry[] = {
	{ "1d", "tokens.exp.1d" },
	{ "7d", "tokens.exp.7d" },
	{ "30d", "tokens.exp.30d" },
	{ "90d", "tokens.exp.90d" },
};

int
pages_act_setup(const struct serverconf *sc, char *err, size_t errlen)
{
	char dir[512];
	bool wildcard;
	char *url = enrol_server_url(sc, &wildcard);

	if (wildcard)
		log_warnx("event=tokens.url msg=\"máy chủ nghe trên mọi địa chỉ "
		    "nhưng canhgacd.conf không có url — the server listens on "
		    "every address but canhgacd.conf has no url\"");
	snprintf(tokens_url, sizeof(tokens_url), "%s", url ? url : "");
	free(url);
	if (enrol_ca_fingerprint(sc->ca_cert, tokens_fpr, err, errlen) != 0)
		return -1;
	snprintf(dir, sizeof(dir), "%s/tmp", sc->data_dir);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: không tạo được thư mục: %s — cannot "
		    "create the directory: %s", dir, text_strerror_vi(errno) ?
		    text_strerror_vi(errno) : strerror(errno), strerror(errno));
		return -1;
	}
	export_set_tmpdir(dir);
	return 0;
}

struct list_ctx {
	struct web_req *r;
	json_t *rows;
	int64_t find_id;		/* revoke: the token looked for */
	int64_t found_unit;		/* its unit, -1 when not seen */
};

static int
token_row(const struct store_token *t, void *arg)
{
	struct list_ctx *x = arg;
	json_t *o;
	const char *state;

	if (!web_can_see_unit(&x->r->user, t->unit_id))
		return 0;
	if (x->find_id != 0) {
		if (t->id == x->find_id)
			x->found_unit = t->revoked ? -2 : t->unit_id;
		return 0;
	}
	state = t->revoked ? "revoked" : t->expires != 0 && t->expires <=
	    x->r->now ? "expired" : t->uses >= t->uses_max ? "used-up" :
	    "active";
	o = json_object();
	json_set_int(o, "id", t->id);
	json_set_str(o, "unit", t->unit);
	json_object_set_new(o, "created", page_time(t->created));
	json_object_set_new(o, "expires", page_time(t->expires));
	json_set_int(o, "uses", t->uses);
	json_set_int(o, "uses_max", t->uses_max);
	json_set_str(o, "note", t->note);
	json_set_str(o, "state", state);
	{
		char id[48];

		snprintf(id, sizeof(id), "tokens.state.%s", state);
		json_set_str(o, "state_text", web_msg(x->r, id));
	}
	json_set_bool(o, "can_revoke", strcmp(state, "active") == 0);
	/* newest first */
	json_array_insert_new(x->rows, 0, o);
	return 0;
}

/* Renders the page; created (stolen, may be NULL) is the new token. */
static void
tokens_render(struct web_req *r, struct http_reply *rep, int status,
    json_t *created, const char *error_msgid)
{
	struct list_ctx x;
	char err[512];
	json_t *m, *exp, *units;
	size_t i;

	memset(&x, 0, sizeof(x));
	x.r = r;
	x.rows = json_array();
	if (store_token_list(web_store(r), token_row, &x, err, sizeof(err)) !=
	    STORE_OK) {
		json_decref(x.rows);
		json_decref(created);
		page_store_failed(r, rep, "tokens", err);
		return;
	}
	exp = json_array();
	for (i = 0; i < sizeof(tokens_expiry) / sizeof(tokens_expiry[0]);
	    i++) {
		json_t *o = json_object();

		json_set_str(o, "value", tokens_expiry[i].value);
		json_set_str(o, "label", web_msg(r, tokens_expiry[i].msgid));
		json_set_bool(o, "selected", i == 1);
		json_array_append_new(exp, o);
	}
	units = act_units(r, r->user.unit_id);
	m = json_object();
	json_set_str(m, "title", web_msg(r, "tokens.title"));
	json_set_bool(m, "has_rows", json_array_size(x.rows) > 0);
	json_object_set_new(m, "rows", x.rows);
	json_object_set_new(m, "expiries", exp);
	json_object_set_new(m, "units", units ? units : json_array());
	json_set_bool(m, "pick_unit", web_scope_unit(&r->user) == 0);
	json_set_str(m, "own_unit", r->user.unit);
	json_set_int(m, "uses_max", ENROL_MAX_USES);
	if (created != NULL)
		json_object_set_new(m, "created", created);
	if (error_msgid != NULL)
		json_set_str(m, "error", web_msg(r, error_msgid));
	web_render(r, rep, status, "tokens", m);
}

void
page_tokens(struct web_req *r, struct http_reply *rep)
{
	const char *done = web_query(r, "done");

	if (web_scope_unit(&r->user) < 0) {
		web_error(r, rep, 404, "error.not_found");
		return;
	}
	tokens_render(r, rep, 200, NULL, done != NULL && strcmp(done,
	    "revoked") == 0 ? "tokens.revoked" : NULL);
}

/* Text a person typed: UTF-8, at most max bytes, no control character. */
static bool
field_valid(const char *s, size_t max)
{
	size_t i, n;

	if (s == NULL)
		return false;
	n = strlen(s);
	if (n > max || !text_valid_utf8(s, n))
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
			return false;
	return true;
}

static bool
unit_exists(struct web_req *r, int64_t unit_id)
{
	json_t *units = act_units(r, 0), *u;
	bool found = false;
	size_t i;

	json_array_foreach(units, i, u)
		if (json_int(u, "id", 0) == unit_id)
			found = true;
	json_decref(units);
	return found;
}

static void
tokens_create(struct web_req *r, struct http_reply *rep)
{
	const char *unit_f = web_form(r, "unit"), *new_unit =
	    web_form(r, "new_unit"), *exp_f = web_form(r, "expires"),
	    *uses_f = web_form(r, "uses"), *note = web_form(r, "note");
	char tok[ENROL_TOKEN_SIZE], hash[65], err[512], lv[600], obj[48];
	char *cmd, *unit_name = NULL, *note_c = NULL;
	int64_t unit_id = 0, expires = 0, id;
	long uses = 1;
	json_t *c, *detail;
	bool ok = false;
	size_t i;

	for (i = 0; exp_f != NULL && i < sizeof(tokens_expiry) /
	    sizeof(tokens_expiry[0]); i++)
		if (strcmp(exp_f, tokens_expiry[i].value) == 0)
			ok = enrol_duration(exp_f, &expires);
	if (!ok) {
		tokens_render(r, rep, 400, NULL, "tokens.err.expires");
		return;
	}
	if (uses_f != NULL && uses_f[0] != '\0' && (!text_to_long(uses_f,
	    &uses) || uses < 1 || uses > ENROL_MAX_USES)) {
		tokens_render(r, rep, 400, NULL, "tokens.err.uses");
		return;
	}
	if (note != NULL && !field_valid(note, ENROL_NOTE_MAX)) {
		tokens_render(r, rep, 400, NULL, "tokens.err.note");
		return;
	}
	if (web_scope_unit(&r->user) > 0) {
		/* a unit IT officer: the own unit, whatever the form says */
		if (unit_f != NULL && unit_f[0] != '\0' && (!page_parse_id(
		    unit_f, &unit_id) || unit_id != r->user.unit_id)) {
			web_error(r, rep, 404, "error.not_found");
			return;
		}
		if (new_unit != NULL && new_unit[0] != '\0') {
			web_error(r, rep, 403, "error.forbidden");
			return;
		}
		unit_id = r->user.unit_id;
	} else if (r->user.role == WEB_ROLE_SUPERVISOR) {
		if (new_unit != NULL && new_unit[0] != '\0') {
			char *t;

			if (!field_valid(new_unit, ENROL_UNIT_MAX) ||
			    (t = text_dup(new_unit)) == NULL ||
			    text_trim(t)[0] == '\0') {
				if (new_unit != NULL)
					tokens_render(r, rep, 400, NULL,
					    "tokens.err.unit");
				return;
			}
			unit_name = t;
			if (store_unit_ensure(web_store(r), text_trim(t),
			    &unit_id, err, sizeof(err)) != STORE_OK) {
				free(unit_name);
				page_store_failed(r, rep, "tokens", err);
				return;
			}
		} else if (!page_parse_id(unit_f, &unit_id) ||
		    !unit_exists(r, unit_id)) {
			tokens_render(r, rep, 400, NULL, "tokens.err.unit");
			return;
		}
	} else {
		web_error(r, rep, 403, "error.forbidden");
		return;
	}
	if (note != NULL) {
		note_c = text_dup(note);
		text_trim(note_c);
	}
	enrol_token_make(tok, hash);
	if (store_token_add(web_store(r), hash, unit_id, r->now, r->now +
	    expires, (int)uses, note_c ? text_trim(note_c) : "", &id, err,
	    sizeof(err)) < 0) {
		sodium_memzero(tok, sizeof(tok));
		free(unit_name);
		free(note_c);
		/* an unknown unit id is a foreign key failure */
		log_warnx("event=tokens.create.failed id=%lld msg=%s",
		    (long long)r->user.id, http_logval(lv, sizeof(lv), err));
		tokens_render(r, rep, 400, NULL, "tokens.err.unit");
		return;
	}
	detail = json_object();
	json_set_int(detail, "token_id", id);
	json_set_int(detail, "unit_id", unit_id);
	if (unit_name != NULL)
		json_set_str(detail, "new_unit", text_trim(unit_name));
	json_set_int(detail, "expires", r->now + expires);
	json_set_int(detail, "uses_max", uses);
	json_set_str(detail, "note", note_c ? text_trim(note_c) : "");
	snprintf(obj, sizeof(obj), "token:%lld", (long long)id);
	free(unit_name);
	free(note_c);
	if (web_audit(r, "token.created", obj, detail) != STORE_OK) {
		sodium_memzero(tok, sizeof(tok));
		/* a token nobody can account for must not be usable */
		store_token_revoke(web_store(r), id, err, sizeof(err));
		web_error(r, rep, 500, "error.internal");
		return;
	}
	log_info("event=token.created id=%lld login=%s", (long long)id,
	    http_logval(lv, sizeof(lv), r->user.login));
	c = json_object();
	json_set_int(c, "id", id);
	json_set_str(c, "token", tok);
	json_set_str(c, "fingerprint", tokens_fpr);
	json_set_str(c, "server", tokens_url);
	cmd = enrol_command(tokens_url, tok, tokens_fpr);
	json_set_str(c, "command", cmd);
	json_object_set_new(c, "expires", page_time(r->now + expires));
	json_set_int(c, "uses_max", uses);
	sodium_memzero(cmd, strlen(cmd));
	free(cmd);
	sodium_memzero(tok, sizeof(tok));
	tokens_render(r, rep, 200, c, NULL);
}

static void
tokens_revoke(struct web_req *r, struct http_reply *rep)
{
	struct list_ctx x;
	char err[512], obj[48], lv[600];
	int64_t id;
	json_t *detail;

	if (!page_parse_id(web_form(r, "id"), &id)) {
		web_error(r, rep, 400, "error.bad_request");
		return;
	}
	memset(&x, 0, sizeof(x));
	x.r = r;
	x.find_id = id;
	x.found_unit = -1;
	if (store_token_list(web_store(r), token_row, &x, err, sizeof(err)) !=
	    STORE_OK) {
		page_store_failed(r, rep, "tokens", err);
		return;
	}
	if (x.found_unit == -1) {	/* unknown, or another unit's */
		web_error(r, rep, 404, "error.not_found");
		return;
	}
	if (x.found_unit != -2 && store_token_revoke(web_store(r), id, err,
	    sizeof(err)) < 0) {
		page_store_failed(r, rep, "tokens", err);
		return;
	}
	detail = json_object();
	json_set_int(detail, "token_id", id);
	snprintf(obj, sizeof(obj), "token:%lld", (long long)id);
	if (web_audit(r, "token.revoked", obj, detail) != STORE_OK) {
		web_error(r, rep, 500, "error.internal");
		return;
	}
	log_info("event=token.revoked id=%lld login=%s", (long long)id,
	    http_logval(lv, sizeof(lv), r->user.login));
	web_redirect(r, rep, "/ma-dang-ky?done=revoked");
}

void
page_tokens_post(struct web_req *r, struct http_reply *rep)
{
	const char *action = web_form(r, "action");

	if (web_scope_unit(&r->user) < 0) {
		web_error(r, rep, 404, "error.not_found");
		return;
	}
	if (action != NULL && strcmp(action, "create") == 0)
		tokens_create(r, rep);
	else if (action != NULL && strcmp(action, "revoke") == 0)
		tokens_revoke(r, rep);
	else
		web_error(r, rep, 400, "error.bad_request");
}
