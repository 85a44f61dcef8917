/*
 * collect_mail.c — the "mail" facts: the e-mail accounts configured in
 * the Thunderbird (deb, snap, flatpak) and Evolution profiles of every
 * local user, with their domains and how their connections are secured,
 * so that point 7 of the directive (official mail only) can be checked.
 * Users come from /etc/passwd, read here (not from the accounts facts).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/collect.h"
#include "agent/collect_mail.h"
#include "agent/keyfile.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

#define MAIL_MAX_USERS 10000
#define MAIL_MAX_PROFILES 64	/* per profiles.ini */
#define MAIL_MAX_SOURCES 4096	/* Evolution sources per user */
#define MAIL_MAX_LIST 256	/* accounts or identities in one list */

/* ---------------------------------------------------------------------
 * prefs.js: a sequence of user_pref("name", value); calls.
 */

struct mail_js {
	const char *p, *end;
	int line;
};

static void
mail_js_space(struct mail_js *js)
{
	while (js->p < js->end) {
		if (*js->p == '\n') {
			js->line++;
			js->p++;
		} else if (*js->p == ' ' || *js->p == '\t' || *js->p == '\r')
			js->p++;
		else
			break;
	}
}

/* Skips blanks and comments (//, #, and block comments). */
static int
mail_js_skip(struct mail_js *js)
{
	for (;;) {
		mail_js_space(js);
		if (js->p >= js->end)
			return 0;
		if (*js->p == '#' || (js->end - js->p >= 2 && js->p[0] == '/' &&
		    js->p[1] == '/')) {
			while (js->p < js->end && *js->p != '\n')
				js->p++;
		} else if (js->end - js->p >= 2 && js->p[0] == '/' &&
		    js->p[1] == '*') {
			for (js->p += 2; js->p < js->end; js->p++) {
				if (*js->p == '\n')
					js->line++;
				if (js->end - js->p >= 2 && js->p[0] == '*' &&
				    js->p[1] == '/')
					break;
			}
			if (js->p >= js->end)
				return -1;
			js->p += 2;
		} else
			return 0;
	}
}

static int
mail_hex(const char *s, int n)
{
	int v = 0, i, d;

	for (i = 0; i < n; i++) {
		d = s[i] >= '0' && s[i] <= '9' ? s[i] - '0' :
		    s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10 :
		    s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static size_t
mail_utf8(unsigned long cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A quoted string with JavaScript escapes, decoded into a malloc'd
 * UTF-8 string (NULL when malformed). */
static char *
mail_js_string(struct mail_js *js)
{
	char q, *out, *o;
	const char *e;
	unsigned long cp, lo;
	int v;

	if (js->p >= js->end || (*js->p != '"' && *js->p != '\''))
		return NULL;
	q = *js->p++;
	/* Bound the copy by the literal's own length (the decoded text is
	 * never longer than its escaped form). */
	for (e = js->p; e < js->end && *e != q && *e != '\n'; e++)
		if (*e == '\\' && e + 1 < js->end)
			e++;
	out = o = malloc((size_t)(e - js->p) + 1);
	if (out == NULL)
		return NULL;
	while (js->p < js->end && *js->p != q) {
		if (*js->p == '\n')
			goto bad;	/* strings do not span lines */
		if (*js->p != '\\') {
			*o++ = *js->p++;
			continue;
		}
		if (++js->p >= js->end)
			goto bad;
		switch (*js->p++) {
		case '"': *o++ = '"'; break;
		case '\'': *o++ = '\''; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'x':
			if (js->end - js->p < 2 ||
			    (v = mail_hex(js->p, 2)) < 0)
				goto bad;
			js->p += 2;
			o += mail_utf8((unsigned long)v, o);
			break;
		case 'u':
			if (js->end - js->p < 4 ||
			    (v = mail_hex(js->p, 4)) < 0)
				goto bad;
			js->p += 4;
			cp = (unsigned long)v;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				goto bad;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (js->end - js->p < 6 || js->p[0] != '\\' ||
				    js->p[1] != 'u' ||
				    (v = mail_hex(js->p + 2, 4)) < 0 ||
				    v < 0xdc00 || v > 0xdfff)
					goto bad;
				js->p += 6;
				lo = (unsigned long)v;
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
			}
			if (cp == 0)
				goto bad;
			o += mail_utf8(cp, o);
			break;
		default:
			goto bad;
		}
	}
	if (js->p >= js->end)
		goto bad;
	js->p++;
	*o = '\0';
	if (!text_valid_utf8(out, (size_t)(o - out)))
		goto bad;
	return out;
bad:
	free(out);
	return NULL;
}

static bool
mail_js_word(struct mail_js *js, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(js->end - js->p) < n || memcmp(js->p, w, n) != 0)
		return false;
	if ((size_t)(js->end - js->p) > n && (js->p[n] == '_' ||
	    (js->p[n] >= 'a' && js->p[n] <= 'z') ||
	    (js->p[n] >= 'A' && js->p[n] <= 'Z')))
		return false;
	js->p += n;
	return true;
}

static bool
mail_js_char(struct mail_js *js, char c)
{
	if (mail_js_skip(js) < 0 || js->p >= js->end || *js->p != c)
		return false;
	js->p++;
	return true;
}

static json_t *
mail_js_value(struct mail_js *js)
{
	char *s;
	long long v = 0;
	bool neg = false, digits = false;
	json_t *j;

	if (mail_js_skip(js) < 0 || js->p >= js->end)
		return NULL;
	if (*js->p == '"' || *js->p == '\'') {
		if ((s = mail_js_string(js)) == NULL)
			return NULL;
		j = json_string(s);
		free(s);
		return j;
	}
	if (mail_js_word(js, "true"))
		return json_true();
	if (mail_js_word(js, "false"))
		return json_false();
	if (*js->p == '-' || *js->p == '+')
		neg = *js->p++ == '-';
	while (js->p < js->end && *js->p >= '0' && *js->p <= '9') {
		if (v > (0x7fffffffffffffffLL - 9) / 10)
			return NULL;
		v = v * 10 + (*js->p++ - '0');
		digits = true;
	}
	return digits ? json_integer(neg ? -v : v) : NULL;
}

json_t *
collect_mail_parse_prefs_js(const char *buf, size_t len, int *line)
{
	struct mail_js js = {buf, buf + len, 1};
	json_t *prefs = json_object(), *v;
	char *name;

	for (;;) {
		if (mail_js_skip(&js) < 0)
			goto bad;
		if (js.p >= js.end)
			break;
		if (!mail_js_word(&js, "user_pref") &&
		    !mail_js_word(&js, "pref") &&
		    !mail_js_word(&js, "sticky_pref"))
			goto bad;
		if (!mail_js_char(&js, '(') || mail_js_skip(&js) < 0 ||
		    (name = mail_js_string(&js)) == NULL)
			goto bad;
		if (!mail_js_char(&js, ',') || (v = mail_js_value(&js)) ==
		    NULL) {
			free(name);
			goto bad;
		}
		json_object_set_new(prefs, name, v);
		free(name);
		if (!mail_js_char(&js, ')') || !mail_js_char(&js, ';'))
			goto bad;
	}
	*line = 0;
	return prefs;
bad:
	*line = js.line;
	json_decref(prefs);
	return NULL;
}

/* ---------------------------------------------------------------------
 * Thunderbird accounts: account -> server, identities -> SMTP server.
 */

static const char *
mail_pref_str(json_t *prefs, const char *fmt, const char *id)
{
	char key[512];

	snprintf(key, sizeof(key), fmt, id);
	return json_string_value(json_object_get(prefs, key));
}

static long long
mail_pref_int(json_t *prefs, const char *fmt, const char *id, long long def)
{
	char key[512];
	json_t *v;

	snprintf(key, sizeof(key), fmt, id);
	v = json_object_get(prefs, key);
	return json_is_integer(v) ? json_integer_value(v) : def;
}

/* 0 plain, 1 STARTTLS when available (can be stripped), 2 STARTTLS,
 * 3 SSL/TLS. */
static const char *
mail_socket(long long t)
{
	return t == 3 ? "tls" : t == 2 ? "starttls" : "none";
}

static json_t *
mail_split(const char *s)
{
	json_t *l = json_array();
	const char *p = s, *e;
	char *w;

	while (s != NULL && *p && json_array_size(l) < MAIL_MAX_LIST) {
		for (e = p; *e && *e != ','; e++)
			;
		w = text_ndup(p, (size_t)(e - p));
		text_trim(w);
		if (*w && strlen(w) < 128)
			json_array_append_new(l, json_string(w));
		free(w);
		p = *e ? e + 1 : e;
	}
	return l;
}

static void
mail_set_address(json_t *it, const char *address)
{
	const char *at = address ? strrchr(address, '@') : NULL;
	char *dom;
	size_t i;

	json_set_str(it, "address", address ? address : "");
	dom = text_dup(at ? at + 1 : "");
	for (i = 0; dom[i]; i++)
		if (dom[i] >= 'A' && dom[i] <= 'Z')
			dom[i] = (char)(dom[i] - 'A' + 'a');
	text_trim(dom);
	json_set_str(it, "domain", dom);
	free(dom);
}

json_t *
collect_mail_thunderbird_accounts(json_t *prefs)
{
	json_t *list = json_array(), *accounts, *ids, *a, *id;
	const char *acc, *srv, *type, *host, *user, *email, *smtp, *def;
	const char *key, *shost, *t;
	json_t *v;
	long long sock, dsock, dssl;
	size_t i, j, emitted;
	char *s;

	if (!json_is_object(prefs))
		return list;
	accounts = mail_split(json_string_value(json_object_get(prefs,
	    "mail.accountmanager.accounts")));
	if (json_array_size(accounts) == 0) {
		json_object_foreach(prefs, key, v) {
			size_t kl = strlen(key);

			if (strncmp(key, "mail.account.", 13) == 0 &&
			    kl > 20 && strcmp(key + kl - 7, ".server") == 0 &&
			    json_array_size(accounts) < MAIL_MAX_LIST) {
				s = text_ndup(key + 13, kl - 20);
				json_array_append_new(accounts, json_string(s));
				free(s);
			}
		}
	}
	def = json_string_value(json_object_get(prefs,
	    "mail.smtp.defaultserver"));
	dsock = mail_pref_int(prefs, "mail.server.default.socketType%s", "",
	    0);
	dssl = mail_pref_int(prefs, "mail.smtpserver.default.try_ssl%s", "",
	    0);
	json_array_foreach(accounts, i, a) {
		acc = json_string_value(a);
		if ((srv = mail_pref_str(prefs, "mail.account.%s.server",
		    acc)) == NULL || strlen(srv) > 128)
			continue;
		type = mail_pref_str(prefs, "mail.server.%s.type", srv);
		if (type == NULL || (strcmp(type, "imap") != 0 &&
		    strcmp(type, "pop3") != 0))
			continue;
		host = mail_pref_str(prefs, "mail.server.%s.hostname", srv);
		user = mail_pref_str(prefs, "mail.server.%s.userName", srv);
		sock = mail_pref_int(prefs, "mail.server.%s.socketType", srv,
		    dsock);
		ids = mail_split(mail_pref_str(prefs,
		    "mail.account.%s.identities", acc));
		emitted = 0;
		for (j = 0; j <= json_array_size(ids); j++) {
			json_t *it;

			id = json_array_get(ids, j);
			email = NULL;
			smtp = def;
			if (id != NULL) {
				email = mail_pref_str(prefs,
				    "mail.identity.%s.useremail",
				    json_string_value(id));
				if (email == NULL)
					continue;
				if ((t = mail_pref_str(prefs,
				    "mail.identity.%s.smtpServer",
				    json_string_value(id))) != NULL)
					smtp = t;
			} else if (emitted > 0)
				break;
			else if (user != NULL && strchr(user, '@') != NULL)
				email = user;
			it = json_object();
			mail_set_address(it, email);
			json_set_str(it, "client", "thunderbird");
			json_set_str(it, "server", host ? host : "");
			json_set_str(it, "server_security", mail_socket(sock));
			if (smtp != NULL && strlen(smtp) < 128 &&
			    (shost = mail_pref_str(prefs,
			    "mail.smtpserver.%s.hostname", smtp)) != NULL) {
				json_set_str(it, "smtp_server", shost);
				json_set_str(it, "smtp_security",
				    mail_socket(mail_pref_int(prefs,
				    "mail.smtpserver.%s.try_ssl", smtp,
				    dssl)));
			} else {
				json_set_str(it, "smtp_server", "");
				json_set_str(it, "smtp_security", "");
			}
			json_array_append_new(list, it);
			emitted++;
		}
		json_decref(ids);
	}
	json_decref(accounts);
	return list;
}

/* ---------------------------------------------------------------------
 * Evolution sources.
 */

static char *
mail_kf_dup(const struct keyfile *kf, const char *group, const char *key)
{
	const char *v = keyfile_get(kf, group, key, NULL);

	return v != NULL && *v ? text_dup(v) : NULL;
}

static bool
mail_kf_group(const struct keyfile *kf, const char *group)
{
	size_t i;

	for (i = 0; i < kf->n; i++)
		if (strcmp(kf->e[i].group, group) == 0)
			return true;
	return false;
}

int
collect_mail_parse_evolution_source(const char *buf, size_t len,
    struct evo_source *s, int *line)
{
	struct keyfile kf;

	memset(s, 0, sizeof(*s));
	memset(&kf, 0, sizeof(kf));
	*line = 0;
	if (keyfile_parse(buf, len, &kf) != 0) {
		*line = kf.bad_line;
		keyfile_free(&kf);
		return -1;
	}
	s->parent = mail_kf_dup(&kf, "Data Source", "Parent");
	s->account = mail_kf_group(&kf, "Mail Account");
	s->identity = mail_kf_group(&kf, "Mail Identity");
	s->transport = mail_kf_group(&kf, "Mail Transport");
	if (s->account)
		s->backend = mail_kf_dup(&kf, "Mail Account", "BackendName");
	else if (s->transport)
		s->backend = mail_kf_dup(&kf, "Mail Transport", "BackendName");
	s->identity_uid = mail_kf_dup(&kf, "Mail Account", "IdentityUid");
	s->transport_uid = mail_kf_dup(&kf, "Mail Submission",
	    "TransportUid");
	s->address = mail_kf_dup(&kf, "Mail Identity", "Address");
	s->host = mail_kf_dup(&kf, "Authentication", "Host");
	s->user = mail_kf_dup(&kf, "Authentication", "User");
	s->method = mail_kf_dup(&kf, "Security", "Method");
	keyfile_free(&kf);
	return 0;
}

void
collect_mail_evolution_source_free(struct evo_source *s)
{
	free(s->uid);
	free(s->parent);
	free(s->backend);
	free(s->identity_uid);
	free(s->transport_uid);
	free(s->address);
	free(s->host);
	free(s->user);
	free(s->method);
	memset(s, 0, sizeof(*s));
}

static const char *
mail_evo_security(const char *m)
{
	if (m == NULL || strcmp(m, "none") == 0)
		return "none";
	if (strcmp(m, "ssl-on-alternate-port") == 0)
		return "tls";
	if (strcmp(m, "starttls-on-standard-port") == 0)
		return "starttls";
	return NULL;
}

static bool
mail_streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* ---------------------------------------------------------------------
 * The collector: users, their profiles, their accounts.
 */

static void
mail_add(json_t *out, json_t *items, const char *user, const char *profile)
{
	size_t i;
	json_t *it;

	json_array_foreach(items, i, it) {
		json_set_str(it, "user", user);
		json_set_str(it, "profile", profile);
		json_array_append(out, it);
	}
}

static void
mail_prefs(struct collect_ctx *ctx, json_t *out, const char *user,
    const char *path)
{
	json_t *prefs, *items;
	char *buf;
	size_t len;
	int r, line;

	r = file_read(ctx->rootfd, path, MAIL_MAX_PREFS_JS, &buf, &len);
	if (r == -ENOENT || r == -ENOTDIR)
		return;
	if (r < 0) {
		collect_file_error(ctx, "mail.accounts", path, r);
		return;
	}
	prefs = collect_mail_parse_prefs_js(buf, len, &line);
	free(buf);
	if (prefs == NULL) {
		collect_parse_error(ctx, "mail.accounts", path, line,
		    "tệp cấu hình Thunderbird không hợp lệ",
		    "malformed Thunderbird preferences");
		return;
	}
	items = collect_mail_thunderbird_accounts(prefs);
	mail_add(out, items, user, path);
	json_decref(items);
	json_decref(prefs);
}

static void
mail_thunderbird(struct collect_ctx *ctx, json_t *out, const char *user,
    const char *home)
{
	static const char *const bases[] = {
		".thunderbird", "snap/thunderbird/common/.thunderbird",
		".var/app/org.mozilla.Thunderbird/.thunderbird", NULL
	};
	struct keyfile kf;
	char *base, *ini, *dir, *prefs;
	const char *path, *rel;
	size_t i, e, nprof;
	int r;

	for (i = 0; bases[i] != NULL; i++) {
		base = file_join(home, bases[i]);
		ini = file_join(base, "profiles.ini");
		memset(&kf, 0, sizeof(kf));
		r = keyfile_load(ctx->rootfd, ini, &kf);
		if (r < 0 && r != -ENOENT && r != -ENOTDIR)
			collect_file_error(ctx, "mail.accounts", ini, r);
		else if (r > 0)
			collect_parse_error(ctx, "mail.accounts", ini, r,
			    "tệp profiles.ini không hợp lệ",
			    "malformed profiles.ini");
		for (e = 0, nprof = 0; r >= 0 && e < kf.n &&
		    nprof < MAIL_MAX_PROFILES; e++) {
			if (strncmp(kf.e[e].group, "Profile", 7) != 0 ||
			    strcmp(kf.e[e].key, "Path") != 0 ||
			    kf.e[e].value[0] == '\0')
				continue;
			nprof++;
			path = kf.e[e].value;
			rel = keyfile_get(&kf, kf.e[e].group, "IsRelative",
			    NULL);
			if (rel != NULL && strcmp(rel, "0") == 0 &&
			    path[0] == '/')
				dir = text_dup(path);
			else
				dir = file_join(base, path);
			prefs = file_join(dir, "prefs.js");
			mail_prefs(ctx, out, user, prefs);
			free(prefs);
			free(dir);
		}
		keyfile_free(&kf);
		free(ini);
		free(base);
	}
}

static void
mail_evolution(struct collect_ctx *ctx, json_t *out, const char *user,
    const char *home)
{
	struct evo_source *src = NULL, *a, *id, *tr;
	char *dir, **names, *path, *buf, *profile;
	size_t n, i, j, len, ns = 0;
	const char *sec;
	json_t *it;
	int r, line;

	dir = file_join(home, ".config/evolution/sources");
	r = file_list(ctx->rootfd, dir, MAIL_MAX_SOURCES, &names, &n);
	if (r < 0) {
		if (r != -ENOENT && r != -ENOTDIR)
			collect_file_error(ctx, "mail.accounts", dir, r);
		free(dir);
		return;
	}
	src = calloc(n ? n : 1, sizeof(*src));
	for (i = 0; src != NULL && i < n; i++) {
		size_t nl = strlen(names[i]);

		if (nl <= 7 || strcmp(names[i] + nl - 7, ".source") != 0)
			continue;
		path = file_join(dir, names[i]);
		r = file_read(ctx->rootfd, path, FILE_MAX_SMALL, &buf, &len);
		if (r < 0) {
			collect_file_error(ctx, "mail.accounts", path, r);
			free(path);
			continue;
		}
		if (collect_mail_parse_evolution_source(buf, len, &src[ns],
		    &line) < 0)
			collect_parse_error(ctx, "mail.accounts", path, line,
			    "tệp nguồn dữ liệu Evolution không hợp lệ",
			    "malformed Evolution data source");
		else
			src[ns++].uid = text_ndup(names[i], nl - 7);
		free(buf);
		free(path);
	}
	for (i = 0; i < ns; i++) {
		a = &src[i];
		if (!a->account || a->backend == NULL ||
		    strcmp(a->backend, "none") == 0)
			continue;
		id = tr = NULL;
		for (j = 0; j < ns && id == NULL; j++)
			if (src[j].identity && (mail_streq(src[j].uid,
			    a->identity_uid) || mail_streq(src[j].parent,
			    a->uid)))
				id = &src[j];
		for (j = 0; j < ns && tr == NULL; j++)
			if (src[j].transport && (mail_streq(src[j].uid,
			    id ? id->transport_uid : NULL) ||
			    mail_streq(src[j].parent, a->uid)))
				tr = &src[j];
		it = json_object();
		mail_set_address(it, id && id->address ? id->address :
		    a->user && strchr(a->user, '@') ? a->user : NULL);
		json_set_str(it, "client", "evolution");
		json_set_str(it, "user", user);
		json_set_str(it, "server", a->host ? a->host : "");
		sec = mail_evo_security(a->method);
		json_set_str(it, "server_security", sec ? sec : "none");
		json_set_str(it, "smtp_server", tr && tr->host ? tr->host : "");
		sec = tr ? mail_evo_security(tr->method) : NULL;
		json_set_str(it, "smtp_security", sec && tr->host ? sec : "");
		profile = text_printf("%s/%s.source", dir, a->uid);
		json_set_str(it, "profile", profile);
		free(profile);
		json_array_append_new(out, it);
	}
	for (i = 0; i < ns; i++)
		collect_mail_evolution_source_free(&src[i]);
	free(src);
	file_list_free(names, n);
	free(dir);
}

void
collect_mail(struct collect_ctx *ctx)
{
	json_t *sec = collect_section(ctx, "mail");
	json_t *out = json_array(), *homes = json_object();
	const char *p, *end, *l;
	char *buf, *line, *f[7], *q;
	size_t len, ll, users = 0;
	int r, i;

	r = file_read(ctx->rootfd, "/etc/passwd", FILE_MAX_MEDIUM, &buf, &len);
	if (r < 0) {
		collect_file_error(ctx, "mail.accounts", "/etc/passwd", r);
		json_decref(out);
		json_decref(homes);
		return;
	}
	p = buf;
	end = buf + len;
	while (text_next_line(&p, end, &l, &ll) && users < MAIL_MAX_USERS) {
		line = text_ndup(l, ll);
		for (i = 0, q = line; i < 7 && q != NULL; i++) {
			f[i] = q;
			if ((q = strchr(q, ':')) != NULL)
				*q++ = '\0';
		}
		/* name:x:uid:gid:gecos:home:shell, a home that is a path
		 * other than "/", and one visit per home directory. */
		if (i == 7 && f[0][0] != '\0' && f[0][0] != '#' &&
		    text_valid_utf8(f[0], strlen(f[0])) &&
		    f[5][0] == '/' && f[5][1] != '\0' &&
		    json_object_get(homes, f[5]) == NULL &&
		    text_valid_utf8(f[5], strlen(f[5]))) {
			json_object_set_new(homes, f[5], json_true());
			users++;
			mail_thunderbird(ctx, out, f[0], f[5]);
			mail_evolution(ctx, out, f[0], f[5]);
		}
		free(line);
	}
	free(buf);
	json_decref(homes);
	json_object_set_new(sec, "accounts", out);
}
