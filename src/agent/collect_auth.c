/*
 * collect_auth.c — password and privilege policy: /etc/login.defs,
 * /etc/default/useradd, the PAM stacks (Debian common-*, RHEL system-auth
 * and password-auth) with the settings files of their modules
 * (pwquality, faillock, pwhistory), and sudoers with what it includes.
 * Writes the "auth" section of facts.schema. The sudoers reader is public
 * (acct.h): collect_accounts.c uses it to mark administrators.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent/acct.h"
#include "agent/collect.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

#define AUTH_MAX_DEPTH 8	/* sudoers includes */
#define AUTH_PAM_DEPTH 3	/* PAM include/substack: a few levels */
#define AUTH_MAX_TOKENS 128
#define AUTH_MAX_DIR 1024	/* files in a sudoers.d or pwquality.conf.d */
#define AUTH_ALIAS_DEPTH 8

static const char *const mfa_modules[] = {"pam_google_authenticator",
    "pam_oath", "pam_u2f", "pam_yubico", "pam_duo", NULL};

/*
 * Logical lines: a line ending in a backslash continues on the next one
 * (PAM and sudoers). fn gets a malloc'd NUL-terminated copy, without the
 * backslashes, and the number of its first line; a line too long or not
 * UTF-8 sets *errline and is skipped. fn returns false on a malformed line.
 */
typedef bool auth_line_fn(char *line, int no, void *arg);

static void
auth_lines(const char *buf, size_t len, bool continued, auth_line_fn *fn,
    void *arg, int *errline)
{
	const char *p = buf, *end = buf + len, *l;
	size_t ll, cur = 0;
	char *acc = NULL;
	int no = 0, first = 0;
	bool bad = false;

	*errline = 0;
	while (text_next_line(&p, end, &l, &ll)) {
		no++;
		if (acc == NULL) {
			acc = malloc(ACCT_MAX_LINE + 1);
			if (acc == NULL)
				abort();
			cur = 0;
			first = no;
			bad = false;
		}
		if (!text_valid_utf8(l, ll) || cur + ll > ACCT_MAX_LINE)
			bad = true;
		else {
			memcpy(acc + cur, l, ll);
			cur += ll;
		}
		if (continued && !bad && cur > 0 && acc[cur - 1] == '\\' &&
		    p < end) {
			acc[cur - 1] = ' ';
			continue;
		}
		acc[cur] = '\0';
		if ((bad || !fn(acc, first, arg)) && *errline == 0)
			*errline = first;
		free(acc);
		acc = NULL;
	}
	free(acc);
}

/* Strips a comment starting at the first '#' (PAM, key = value files). */
static void
auth_strip_comment(char *s)
{
	char *h = strchr(s, '#');

	if (h != NULL)
		*h = '\0';
}

char *
collect_auth_defs_value(const char *buf, size_t len, const char *key)
{
	const char *p = buf, *end = buf + len, *l, *v;
	size_t ll, kl = strlen(key), vl;
	char *val = NULL;

	while (text_next_line(&p, end, &l, &ll)) {
		while (ll > 0 && (*l == ' ' || *l == '\t'))
			l++, ll--;
		if (ll <= kl || memcmp(l, key, kl) != 0 ||
		    (l[kl] != ' ' && l[kl] != '\t'))
			continue;
		v = l + kl;
		vl = ll - kl;
		while (vl > 0 && (*v == ' ' || *v == '\t'))
			v++, vl--;
		while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t' ||
		    v[vl - 1] == '\r'))
			vl--;
		if (vl > 0 && vl < 256 && text_valid_utf8(v, vl)) {
			free(val);
			val = text_ndup(v, vl);
		}
	}
	return val;
}

char *
collect_auth_login_defs(struct collect_ctx *ctx, const char *key)
{
	char *buf, *v;
	size_t len;

	if (file_read(ctx->rootfd, "/etc/login.defs", FILE_MAX_SMALL, &buf,
	    &len) < 0)
		return NULL;
	v = collect_auth_defs_value(buf, len, key);
	free(buf);
	return v;
}

/* Splits s into blank-separated words; "[...]" (with \] inside) is one
 * word, as PAM reads it. Returns the number of words or -1. */
static int
auth_words(char *s, char **w, int max)
{
	int n = 0;
	char *p = s;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\0')
			return n;
		if (n == max)
			return -1;
		w[n++] = p;
		if (*p == '[') {
			while (*p != '\0' && *p != ']') {
				if (*p == '\\' && p[1] != '\0')
					p++;
				p++;
			}
			if (*p == '\0')
				return -1;
			p++;
		} else
			while (*p != '\0' && *p != ' ' && *p != '\t' &&
			    *p != '\r')
				p++;
		if (*p != '\0')
			*p++ = '\0';
	}
}

static bool
auth_pam_line(char *line, int no, void *arg)
{
	json_t *list = arg, *args;
	char *w[AUTH_MAX_TOKENS], *type;
	int n, i;

	(void)no;
	auth_strip_comment(line);
	if ((n = auth_words(line, w, AUTH_MAX_TOKENS)) <= 0)
		return n == 0;
	if (strcmp(w[0], "@include") == 0) {
		if (n != 2)
			return false;
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:[]}",
		    "type", "@include", "control", "", "module", w[1],
		    "args"));
		return true;
	}
	type = w[0][0] == '-' ? w[0] + 1 : w[0];
	for (i = 0; type[i] != '\0'; i++)
		if (type[i] >= 'A' && type[i] <= 'Z')
			type[i] = (char)(type[i] - 'A' + 'a');
	if (strcmp(type, "auth") != 0 && strcmp(type, "account") != 0 &&
	    strcmp(type, "password") != 0 && strcmp(type, "session") != 0)
		return false;
	if (n < 3)
		return false;
	args = json_array();
	for (i = 3; i < n; i++)
		json_append_str(args, w[i]);
	json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:o}", "type",
	    type, "control", w[1], "module", w[2], "args", args));
	return true;
}

json_t *
collect_auth_parse_pam(const char *buf, size_t len, int *errline)
{
	json_t *list = json_array();

	auth_lines(buf, len, true, auth_pam_line, list, errline);
	return list;
}

static bool
auth_kv_line(char *line, int no, void *arg)
{
	json_t *obj = arg;
	char *eq, *k, *v;

	(void)no;
	auth_strip_comment(line);
	k = text_trim(line);
	if (*k == '\0')
		return true;
	if ((eq = strchr(k, '=')) != NULL) {
		*eq = '\0';
		v = text_trim(eq + 1);
	} else
		v = "";
	k = text_trim(k);
	if (*k == '\0' || strpbrk(k, " \t") != NULL)
		return false;
	json_object_set_new(obj, k, json_string(v));
	return true;
}

json_t *
collect_auth_parse_kv(const char *buf, size_t len, int *errline)
{
	json_t *obj = json_object();

	auth_lines(buf, len, false, auth_kv_line, obj, errline);
	return obj;
}

/*
 * sudoers
 */

struct sudoers_arg {
	const char *name;
	json_t *rules, *aliases, *includes;
};

static bool
sudoers_is_tag(const char *s, size_t n)
{
	static const char *const tags[] = {"NOPASSWD", "PASSWD", "NOEXEC",
	    "EXEC", "SETENV", "NOSETENV", "LOG_INPUT", "NOLOG_INPUT",
	    "LOG_OUTPUT", "NOLOG_OUTPUT", "MAIL", "NOMAIL", "FOLLOW",
	    "NOFOLLOW", "INTERCEPT", "NOINTERCEPT", NULL};
	int i;

	for (i = 0; tags[i] != NULL; i++)
		if (strlen(tags[i]) == n && memcmp(tags[i], s, n) == 0)
			return true;
	return false;
}

static bool
sudoers_is_option(const char *s)
{
	static const char *const opts[] = {"ROLE=", "TYPE=", "TIMEOUT=",
	    "NOTBEFORE=", "NOTAFTER=", "CWD=", "CHROOT=", "APPARMOR_PROFILE=",
	    "PRIVS=", "LIMITPRIVS=", NULL};
	int i;

	for (i = 0; opts[i] != NULL; i++)
		if (strncmp(s, opts[i], strlen(opts[i])) == 0)
			return true;
	return false;
}

/* Whether command (or a Cmnd_Alias it names) allows everything. */
static bool
sudoers_cmd_all(json_t *aliases, const char *cmd, int depth)
{
	json_t *items, *it;
	size_t i;

	if (strcmp(cmd, "ALL") == 0)
		return true;
	if (depth >= AUTH_ALIAS_DEPTH)
		return false;
	items = json_object_get(json_object_get(aliases, "Cmnd_Alias"), cmd);
	json_array_foreach(items, i, it)
		if (sudoers_cmd_all(aliases, json_string_value(it), depth + 1))
			return true;
	return false;
}

/* Splits a comma list (in place) into trimmed items appended to arr. */
static bool
sudoers_list(char *s, json_t *arr)
{
	char *p = s, *start = s;

	for (;; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (*p == ',' || *p == '\0') {
			bool last = *p == '\0';
			*p = '\0';
			start = text_trim(start);
			if (*start == '\0')
				return false;
			json_append_str(arr, start);
			if (last)
				return true;
			start = p + 1;
		}
	}
}

/* "User_Alias A = x, y : B = z" */
static bool
sudoers_alias(struct sudoers_arg *sa, const char *kind, char *s)
{
	json_t *tab, *items;
	char *eq, *name, *next;

	if (strcmp(kind, "Cmd_Alias") == 0)
		kind = "Cmnd_Alias";
	if ((tab = json_object_get(sa->aliases, kind)) == NULL) {
		tab = json_object();
		json_object_set_new(sa->aliases, kind, tab);
	}
	while (s != NULL) {
		if ((eq = strchr(s, '=')) == NULL)
			return false;
		*eq = '\0';
		name = text_trim(s);
		if (*name < 'A' || *name > 'Z' || strpbrk(name, " \t,") != NULL)
			return false;
		s = eq + 1;
		/* the next definition starts after an unescaped ':' */
		for (next = s; *next != '\0'; next++) {
			if (*next == '\\' && next[1] != '\0')
				next++;
			else if (*next == ':')
				break;
		}
		if (*next == ':')
			*next++ = '\0';
		else
			next = NULL;
		items = json_array();
		if (!sudoers_list(s, items)) {
			json_decref(items);
			return false;
		}
		json_object_set_new(tab, name, items);
		s = next;
	}
	return true;
}

/* Collapses blanks around commas in s (in place). */
static void
sudoers_collapse(char *s)
{
	char *r = s, *w = s;

	while (*r != '\0') {
		if (*r == ' ' || *r == '\t') {
			char *q = r;
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q == ',' || (w > s && w[-1] == ',')) {
				r = q;
				continue;
			}
		}
		*w++ = *r++;
	}
	*w = '\0';
}

/* "WHO HOST = (RUNAS) TAGS: CMND, ... [: HOST = ...]" */
static bool
sudoers_rule(struct sudoers_arg *sa, char *s, int no)
{
	json_t *who, *cmds, *u;
	char *eq, *p, *w[4], *cmd, *q, *file;
	bool nopasswd = false, tag_nopw = false, all = false;
	size_t i, tl;
	int n;

	if ((eq = strchr(s, '=')) == NULL)
		return false;
	*eq = '\0';
	sudoers_collapse(s);
	if ((n = auth_words(s, w, 4)) != 2 || w[0][0] == '[' ||
	    w[1][0] == '[')
		return false;
	who = json_array();
	cmds = json_array();
	if (!sudoers_list(w[0], who))
		goto bad;
	p = eq + 1;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '(') {
			if ((q = strchr(p, ')')) == NULL)
				goto bad;
			p = q + 1;
			continue;
		}
		if (sudoers_is_option(p)) {
			while (*p != '\0' && *p != ' ' && *p != '\t')
				p++;
			continue;
		}
		for (tl = 0; (p[tl] >= 'A' && p[tl] <= 'Z') || p[tl] == '_';
		    tl++)
			;
		if (tl > 0 && p[tl] == ':' && sudoers_is_tag(p, tl)) {
			if (tl == 8 && strncmp(p, "NOPASSWD", 8) == 0)
				tag_nopw = true;
			else if (tl == 6 && strncmp(p, "PASSWD", 6) == 0)
				tag_nopw = false;
			p += tl + 1;
			continue;
		}
		/* the command, up to an unescaped ',' or ':' */
		cmd = p;
		while (*p != '\0' && *p != ',' && *p != ':') {
			if (*p == '\\' && p[1] != '\0')
				p++;
			p++;
		}
		q = p;
		while (q > cmd && (q[-1] == ' ' || q[-1] == '\t'))
			q--;
		if (q == cmd)
			goto bad;
		json_array_append_new(cmds,
		    json_stringn(cmd, (size_t)(q - cmd)));
		if (tag_nopw)
			nopasswd = true;
		if (sudoers_cmd_all(sa->aliases, json_string_value(
		    json_array_get(cmds, json_array_size(cmds) - 1)), 0))
			all = true;
		if (*p == '\0')
			break;
		if (*p == ':') {
			/* another "HOST = CMNDS" for the same users */
			if ((q = strchr(p, '=')) == NULL)
				goto bad;
			p = q + 1;
			tag_nopw = false;
			continue;
		}
		p++;
	}
	{
		char *joined = NULL, *t;
		json_t *c;

		json_array_foreach(cmds, i, c) {
			t = joined ? text_printf("%s, %s", joined,
			    json_string_value(c)) :
			    text_dup(json_string_value(c));
			free(joined);
			joined = t;
		}
		file = text_printf("%s:%d", sa->name, no);
		json_array_foreach(who, i, u)
			json_array_append_new(sa->rules, json_pack(
			    "{s:s, s:s, s:b, s:b, s:s}", "who",
			    json_string_value(u), "commands", joined,
			    "nopasswd", nopasswd, "all", all, "file", file));
		free(file);
		free(joined);
	}
	json_decref(who);
	json_decref(cmds);
	return true;
bad:
	json_decref(who);
	json_decref(cmds);
	return false;
}

static bool
sudoers_word(const char *s, const char *word, const char **rest)
{
	size_t n = strlen(word);

	if (strncmp(s, word, n) != 0 || (s[n] != ' ' && s[n] != '\t'))
		return false;
	*rest = s + n;
	return true;
}

static bool
sudoers_line(char *line, int no, void *arg)
{
	static const char *const kinds[] = {"User_Alias", "Runas_Alias",
	    "Host_Alias", "Cmnd_Alias", "Cmd_Alias", NULL};
	struct sudoers_arg *sa = arg;
	const char *rest;
	char *s = line, *h, *path;
	int i;

	while (*s == ' ' || *s == '\t')
		s++;
	bool dir = sudoers_word(s, "@includedir", &rest) ||
	    sudoers_word(s, "#includedir", &rest);

	if (dir || sudoers_word(s, "@include", &rest) ||
	    sudoers_word(s, "#include", &rest)) {
		path = text_trim((char *)rest);
		if (*path == '"') {
			path++;
			if ((h = strrchr(path, '"')) == NULL)
				return false;
			*h = '\0';
		}
		if (*path == '\0')
			return false;
		json_array_append_new(sa->includes, json_pack("{s:b, s:s}",
		    "dir", dir, "path", path));
		return true;
	}
	/* a comment: '#' not followed by a digit (#uid); also at the end */
	for (h = s; (h = strchr(h, '#')) != NULL; h++)
		if ((h == s || h[-1] == ' ' || h[-1] == '\t') &&
		    !(h[1] >= '0' && h[1] <= '9')) {
			*h = '\0';
			break;
		}
	s = text_trim(s);
	if (*s == '\0')
		return true;
	if (strncmp(s, "Defaults", 8) == 0 && strchr(" \t:@!>", s[8]) != NULL)
		return true;
	for (i = 0; kinds[i] != NULL; i++)
		if (sudoers_word(s, kinds[i], &rest))
			return sudoers_alias(sa, kinds[i], (char *)rest);
	return sudoers_rule(sa, s, no);
}

int
collect_auth_parse_sudoers(const char *buf, size_t len, const char *name,
    json_t *rules, json_t *aliases, json_t *includes, int *errline)
{
	struct sudoers_arg sa = {name, rules, aliases, includes};

	auth_lines(buf, len, true, sudoers_line, &sa, errline);
	return *errline ? -1 : 0;
}

/* The directory part of path ("/etc" for "/etc/sudoers"), malloc'd. */
static char *
auth_dirname(const char *path)
{
	const char *s = strrchr(path, '/');

	if (s == NULL || s == path)
		return text_dup("/");
	return text_ndup(path, (size_t)(s - path));
}

static int auth_sudoers_file(struct collect_ctx *, const char *, const char *,
    int, bool, json_t *, json_t *);

static int
auth_sudoers_dir(struct collect_ctx *ctx, const char *errpath, const char *dir,
    int depth, json_t *rules, json_t *aliases)
{
	char **names, *p;
	size_t n, i;
	int r;

	if ((r = file_list(ctx->rootfd, dir, AUTH_MAX_DIR, &names, &n)) < 0) {
		if (r == -ENOENT)
			return 0;	/* sudo ignores a missing directory */
		collect_file_error(ctx, errpath, dir, r);
		return -1;
	}
	for (i = 0; i < n && r == 0; i++) {
		/* sudo skips names with a '.' or ending in '~' */
		if (strchr(names[i], '.') != NULL ||
		    names[i][strlen(names[i]) - 1] == '~')
			continue;
		p = file_join(dir, names[i]);
		r = auth_sudoers_file(ctx, errpath, p, depth, true, rules,
		    aliases);
		free(p);
	}
	file_list_free(names, n);
	return r;
}

static int
auth_sudoers_file(struct collect_ctx *ctx, const char *errpath,
    const char *path, int depth, bool from_dir, json_t *rules,
    json_t *aliases)
{
	json_t *inc, *it;
	struct stat st;
	char *buf, *dir, *p;
	const char *ip;
	size_t len, i;
	int r, line;

	if (depth > AUTH_MAX_DEPTH) {
		collect_parse_error(ctx, errpath, path, 0,
		    "lồng include quá sâu (vòng lặp?)",
		    "includes nested too deep (a loop?)");
		return -1;
	}
	/* sudo reads only regular files from an include directory */
	if (from_dir && file_stat(ctx->rootfd, path, &st, true) == 0 &&
	    !S_ISREG(st.st_mode))
		return 0;
	if ((r = file_read(ctx->rootfd, path, FILE_MAX_SMALL, &buf, &len)) <
	    0) {
		/* no /etc/sudoers: no sudo, no rules; sudo skips a missing
		 * include */
		if (r == -ENOENT)
			return 0;
		collect_file_error(ctx, errpath, path, r);
		return -1;
	}
	inc = json_array();
	r = collect_auth_parse_sudoers(buf, len, path, rules, aliases, inc,
	    &line);
	free(buf);
	if (r < 0) {
		collect_parse_error(ctx, errpath, path, line,
		    "lỗi cú pháp sudoers", "sudoers syntax error");
		json_decref(inc);
		return -1;
	}
	dir = auth_dirname(path);
	json_array_foreach(inc, i, it) {
		ip = json_str(it, "path", "");
		p = ip[0] == '/' ? text_dup(ip) : file_join(dir, ip);
		if (json_bool(it, "dir", false))
			r = auth_sudoers_dir(ctx, errpath, p, depth + 1, rules,
			    aliases);
		else
			r = auth_sudoers_file(ctx, errpath, p, depth + 1,
			    false, rules, aliases);
		free(p);
		if (r < 0)
			break;
	}
	free(dir);
	json_decref(inc);
	return r;
}

int
collect_auth_sudoers(struct collect_ctx *ctx, const char *errpath,
    json_t **rules, json_t **aliases)
{
	*rules = json_array();
	*aliases = json_object();
	if (auth_sudoers_file(ctx, errpath, "/etc/sudoers", 0, false, *rules,
	    *aliases) < 0) {
		json_decref(*rules);
		json_decref(*aliases);
		*rules = *aliases = NULL;
		return -1;
	}
	return 0;
}

static bool
auth_in(json_t *arr, const char *s)
{
	json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

static bool
auth_in_int(json_t *arr, long long n)
{
	json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
		if (json_integer_value(v) == n)
			return true;
	return false;
}

static bool
auth_who_names(json_t *aliases, const char *who, const char *user, long uid,
    json_t *groups, json_t *gids, int depth)
{
	json_t *items, *it;
	long n;
	size_t i;

	if (strcmp(who, "ALL") == 0 || strcmp(who, user) == 0)
		return true;
	if (who[0] == '%' && who[1] == '#')
		return text_to_long(who + 2, &n) && auth_in_int(gids, n);
	if (who[0] == '%')
		return auth_in(groups, who + 1);
	if (who[0] == '#')
		return text_to_long(who + 1, &n) && n == uid;
	if (depth >= AUTH_ALIAS_DEPTH)
		return false;
	items = json_object_get(json_object_get(aliases, "User_Alias"), who);
	json_array_foreach(items, i, it)
		if (auth_who_names(aliases, json_string_value(it), user, uid,
		    groups, gids, depth + 1))
			return true;
	return false;
}

bool
collect_auth_sudo_names(json_t *rules, json_t *aliases, const char *user,
    long uid, json_t *groups, json_t *gids)
{
	json_t *r;
	size_t i;

	json_array_foreach(rules, i, r)
		if (auth_who_names(aliases, json_str(r, "who", ""), user, uid,
		    groups, gids, 0))
			return true;
	return false;
}

/*
 * PAM
 */

struct pam_state {
	json_t *entries;	/* the flattened stack */
	int error;		/* a file could not be read */
};

/* Appends the entries of file (of type only, when not NULL). */
static void
auth_pam_load(struct collect_ctx *ctx, struct pam_state *ps, const char *name,
    const char *only, int depth)
{
	json_t *list, *e;
	const char *type, *ctl;
	char *path, *buf;
	size_t len, i;
	int r, line;

	if (depth > AUTH_PAM_DEPTH || strstr(name, "..") != NULL)
		return;
	path = name[0] == '/' ? text_dup(name) : file_join("/etc/pam.d", name);
	r = file_read(ctx->rootfd, path, FILE_MAX_SMALL, &buf, &len);
	if (r < 0) {
		/* A missing include makes PAM fail closed: nothing weaker. */
		if (r != -ENOENT || depth == 0) {
			collect_file_error(ctx, "auth.min_length", path, r);
			ps->error = 1;
		}
		free(path);
		return;
	}
	list = collect_auth_parse_pam(buf, len, &line);
	free(buf);
	if (line > 0) {
		collect_parse_error(ctx, "auth.min_length", path, line,
		    "dòng PAM không hợp lệ", "malformed PAM line");
		ps->error = 1;
	}
	json_array_foreach(list, i, e) {
		type = json_str(e, "type", "");
		ctl = json_str(e, "control", "");
		if (strcmp(type, "@include") == 0)
			auth_pam_load(ctx, ps, json_str(e, "module", ""), only,
			    depth + 1);
		else if (only != NULL && strcmp(type, only) != 0)
			continue;
		else if (strcmp(ctl, "include") == 0 ||
		    strcmp(ctl, "substack") == 0)
			auth_pam_load(ctx, ps, json_str(e, "module", ""), type,
			    depth + 1);
		else
			json_array_append(ps->entries, e);
	}
	json_decref(list);
	free(path);
}

/* "pam_unix" from "pam_unix.so" or "/lib/security/pam_unix.so". */
static void
auth_module_name(const char *m, char *out, size_t size)
{
	const char *b = strrchr(m, '/');
	size_t n;

	b = b ? b + 1 : m;
	n = strlen(b);
	if (n > 3 && strcmp(b + n - 3, ".so") == 0)
		n -= 3;
	if (n >= size)
		n = size - 1;
	memcpy(out, b, n);
	out[n] = '\0';
}

/* Value of "key=value" in a module's arguments, or NULL. */
static const char *
auth_arg(json_t *e, const char *key)
{
	json_t *a;
	const char *s, *v = NULL;
	size_t i, n = strlen(key);

	json_array_foreach(json_object_get(e, "args"), i, a) {
		s = json_string_value(a);
		if (strncmp(s, key, n) == 0 && s[n] == '=')
			v = s + n + 1;
	}
	return v;
}

static bool
auth_flag(json_t *e, const char *flag)
{
	return auth_in(json_object_get(e, "args"), flag);
}

/* Reads a key = value file into settings (later files override). */
static void
auth_kv_file(struct collect_ctx *ctx, const char *path, json_t *settings,
    const char *errpath)
{
	json_t *kv;
	char *buf;
	size_t len;
	int r, line;

	if ((r = file_read(ctx->rootfd, path, FILE_MAX_SMALL, &buf, &len)) <
	    0) {
		if (r != -ENOENT)
			collect_file_error(ctx, errpath, path, r);
		return;
	}
	kv = collect_auth_parse_kv(buf, len, &line);
	free(buf);
	if (line > 0)
		collect_parse_error(ctx, errpath, path, line,
		    "dòng không hợp lệ", "malformed line");
	json_object_update(settings, kv);
	json_decref(kv);
}

/* Module arguments "k=v" into settings (they override the files). */
static void
auth_args_into(json_t *e, json_t *settings)
{
	json_t *a;
	const char *s, *eq;
	size_t i;

	json_array_foreach(json_object_get(e, "args"), i, a) {
		s = json_string_value(a);
		if ((eq = strchr(s, '=')) != NULL && eq > s) {
			char *k = text_ndup(s, (size_t)(eq - s));
			json_object_set_new(settings, k, json_string(eq + 1));
			free(k);
		} else
			json_object_set_new(settings, s, json_string(""));
	}
}

/* An integer setting, def when absent; a bad value marks errpath. */
static long
auth_setting(struct collect_ctx *ctx, json_t *settings, const char *key,
    long def, const char *errpath, const char *file)
{
	const char *v = json_str(settings, key, NULL);
	long n;

	if (v == NULL)
		return def;
	if (!text_to_long(v, &n)) {
		collect_parse_error(ctx, errpath, file, 0,
		    "giá trị không phải số nguyên", "value is not an integer");
		return def;
	}
	return n;
}

/*
 * pwquality and cracklib: a password of length L passes when L plus the
 * credits it earns (at most the positive credit of each class, one point a
 * character) reaches minlen; so the shortest accepted length is
 * max(minlen - sum of positive credits, ceil(minlen / 2)). Negative credits
 * are classes that must appear. libpwquality: minlen 8, credits 0, read
 * from pwquality.conf, then pwquality.conf.d/ *.conf, then the module's
 * arguments. pam_cracklib: minlen 9, credits 1, arguments only.
 */
static void
auth_quality(struct collect_ctx *ctx, json_t *e, bool pwquality,
    long *minlen, long *classes)
{
	static const char *const credits[] = {"dcredit", "ucredit",
	    "lcredit", "ocredit", NULL};
	json_t *st = json_object();
	char **names, *p;
	size_t n, i;
	long len, c, pos = 0, neg = 0, minclass;
	const char *file = "/etc/security/pwquality.conf";

	if (pwquality) {
		auth_kv_file(ctx, file, st, "auth.min_length");
		if (file_list(ctx->rootfd, "/etc/security/pwquality.conf.d",
		    AUTH_MAX_DIR, &names, &n) == 0) {
			for (i = 0; i < n; i++) {
				size_t nl = strlen(names[i]);
				if (nl < 5 || strcmp(names[i] + nl - 5,
				    ".conf") != 0)
					continue;
				p = file_join("/etc/security/pwquality.conf.d",
				    names[i]);
				auth_kv_file(ctx, p, st, "auth.min_length");
				free(p);
			}
			file_list_free(names, n);
		}
	}
	auth_args_into(e, st);
	len = auth_setting(ctx, st, "minlen", pwquality ? 8 : 9,
	    "auth.min_length", pwquality ? file : "pam_cracklib");
	if (!pwquality && len < 5)
		len = 5;
	if (pwquality && len < 6)
		len = 6;
	for (i = 0; credits[i] != NULL; i++) {
		c = auth_setting(ctx, st, credits[i], pwquality ? 0 : 1,
		    "auth.min_classes", pwquality ? file : "pam_cracklib");
		if (c > 0)
			pos += c;
		else if (c < 0)
			neg++;
	}
	minclass = auth_setting(ctx, st, "minclass", 0, "auth.min_classes",
	    pwquality ? file : "pam_cracklib");
	*minlen = len - pos;
	if (*minlen < (len + 1) / 2)
		*minlen = (len + 1) / 2;
	*classes = minclass > neg ? minclass : neg;
	if (*classes > 4)
		*classes = 4;
	json_decref(st);
}

/*
 * passwdqc: min=N0,N1,N2,N3,N4 (default disabled,24,11,8,7) for passwords
 * of one class, two classes, passphrases, three and four classes. The
 * shortest accepted password is the smallest enabled limit; classes are
 * required only when one-class passwords and passphrases are disabled.
 */
static void
auth_passwdqc(json_t *e, long *minlen, long *classes)
{
	long lim[5] = {-1, 24, 11, 8, 7}, v;
	const char *s = auth_arg(e, "min");
	char *copy, *tok, *save = NULL;
	int i;

	if (s != NULL) {
		copy = text_dup(s);
		for (i = 0, tok = strtok_r(copy, ",", &save); tok && i < 5;
		    i++, tok = strtok_r(NULL, ",", &save))
			lim[i] = text_to_long(tok, &v) && v >= 0 ? v : -1;
		free(copy);
	}
	*minlen = -1;
	for (i = 0; i < 5; i++)
		if (lim[i] >= 0 && (*minlen < 0 || lim[i] < *minlen))
			*minlen = lim[i];
	if (*minlen < 0)
		*minlen = 0;
	if (lim[0] >= 0 || lim[2] >= 0)
		*classes = 0;
	else if (lim[1] >= 0)
		*classes = 2;
	else if (lim[3] >= 0)
		*classes = 3;
	else
		*classes = 4;
}

/* unlock_time of faillock/tally2: seconds, "never" = 0. */
static long
auth_unlock(struct collect_ctx *ctx, json_t *st, long def, const char *file)
{
	const char *v = json_str(st, "unlock_time", NULL);

	if (v != NULL && strcmp(v, "never") == 0)
		return 0;
	return auth_setting(ctx, st, "unlock_time", def,
	    "auth.lockout_unlock_seconds", file);
}

/* A control that makes the module's success necessary. */
static bool
auth_required(const char *ctl)
{
	return strcmp(ctl, "required") == 0 || strcmp(ctl, "requisite") == 0 ||
	    (ctl[0] == '[' && (strstr(ctl, "default=die") != NULL ||
	    strstr(ctl, "default=bad") != NULL));
}

static void
auth_pam(struct collect_ctx *ctx, json_t *sec)
{
	static const char *const debian[] = {"common-auth", "common-password",
	    "common-account", NULL};
	static const char *const rhel[] = {"system-auth", "password-auth",
	    NULL};
	static const char *const paths[] = {"auth.min_length",
	    "auth.min_classes", "auth.quality_module", "auth.history",
	    "auth.lockout_module", "auth.lockout_deny",
	    "auth.lockout_unlock_seconds", "auth.mfa", "auth.nullok", NULL};
	const char *const *files;
	struct pam_state ps = {json_array(), 0};
	json_t *e, *st, *lock = NULL;
	const char *type, *v, *quality = "", *lockout = "", *conf;
	const char *lockfile = "";
	char mod[64];
	long qlen = -1, qclasses = 0, unix_len = 6, history = 0, h;
	long deny = 0, unlock = 0;
	bool mfa = false, nullok = false, records = false;
	size_t i;
	int k;

	if (file_exists(ctx->rootfd, "/etc/pam.d/common-auth"))
		files = debian;
	else if (file_exists(ctx->rootfd, "/etc/pam.d/system-auth"))
		files = rhel;
	else {
		for (k = 0; paths[k] != NULL; k++)
			collect_unavailable(ctx, paths[k], "error",
			    "không tìm thấy cấu hình PAM (/etc/pam.d/common-* "
			    "hoặc system-auth)",
			    "no PAM configuration found (/etc/pam.d/common-* "
			    "or system-auth)");
		json_decref(ps.entries);
		return;
	}
	for (k = 0; files[k] != NULL; k++)
		auth_pam_load(ctx, &ps, files[k], NULL, 0);
	if (ps.error) {
		/* the reason is on auth.min_length; the others share it */
		json_t *r = json_object_get(json_object_get(ctx->unavailable,
		    "auth.min_length"), "reason");
		for (k = 1; paths[k] != NULL; k++)
			collect_unavailable(ctx, paths[k], "error",
			    json_str(r, "vi", "cấu hình PAM không hợp lệ"),
			    json_str(r, "en", "invalid PAM configuration"));
		json_decref(ps.entries);
		return;
	}
	json_array_foreach(ps.entries, i, e) {
		type = json_str(e, "type", "");
		auth_module_name(json_str(e, "module", ""), mod, sizeof(mod));
		if (strcmp(type, "password") == 0) {
			if (quality[0] == '\0' &&
			    strcmp(mod, "pam_pwquality") == 0) {
				quality = "pam_pwquality";
				auth_quality(ctx, e, true, &qlen, &qclasses);
			} else if (quality[0] == '\0' &&
			    strcmp(mod, "pam_cracklib") == 0) {
				quality = "pam_cracklib";
				auth_quality(ctx, e, false, &qlen, &qclasses);
			} else if (quality[0] == '\0' &&
			    strcmp(mod, "pam_passwdqc") == 0) {
				quality = "pam_passwdqc";
				auth_passwdqc(e, &qlen, &qclasses);
			} else if (strcmp(mod, "pam_unix") == 0) {
				if ((v = auth_arg(e, "minlen")) != NULL &&
				    !text_to_long(v, &unix_len))
					unix_len = 6;
				if ((v = auth_arg(e, "remember")) != NULL &&
				    text_to_long(v, &h) && h > history)
					history = h;
			} else if (strcmp(mod, "pam_pwhistory") == 0) {
				st = json_object();
				auth_kv_file(ctx,
				    "/etc/security/pwhistory.conf", st,
				    "auth.history");
				auth_args_into(e, st);
				h = auth_setting(ctx, st, "remember", 10,
				    "auth.history", "pam_pwhistory");
				if (h > history)
					history = h;
				json_decref(st);
			}
		}
		if (strcmp(type, "auth") == 0 && strcmp(mod, "pam_unix") == 0 &&
		    (auth_flag(e, "nullok") || auth_flag(e, "nullok_secure")))
			nullok = true;
		if (strcmp(type, "auth") == 0 &&
		    auth_required(json_str(e, "control", "")))
			for (k = 0; mfa_modules[k] != NULL; k++)
				if (strcmp(mod, mfa_modules[k]) == 0)
					mfa = true;
		/* every line of the lockout module counts (preauth, authfail,
		 * account); its settings file first, then the arguments */
		if ((strcmp(type, "auth") == 0 || strcmp(type, "account") == 0)
		    && (strcmp(mod, "pam_faillock") == 0 ||
		    strcmp(mod, "pam_tally2") == 0)) {
			if (lockout[0] == '\0') {
				lockout = strcmp(mod, "pam_faillock") == 0 ?
				    "pam_faillock" : "pam_tally2";
				lock = json_object();
				if (strcmp(mod, "pam_faillock") == 0) {
					conf = auth_arg(e, "conf");
					lockfile = conf ? conf :
					    "/etc/security/faillock.conf";
					auth_kv_file(ctx, lockfile, lock,
					    "auth.lockout_deny");
				} else
					lockfile = "pam_tally2";
			}
			if (strcmp(mod, lockout) == 0)
				auth_args_into(e, lock);
			/* failures are counted only by an auth line: tally2's,
			 * or faillock's "authfail" */
			if (strcmp(type, "auth") == 0 &&
			    (strcmp(mod, "pam_tally2") == 0 ||
			    auth_flag(e, "authfail")))
				records = true;
		}
	}
	if (lock != NULL) {
		bool fl = strcmp(lockout, "pam_faillock") == 0;

		deny = auth_setting(ctx, lock, "deny", fl ? 3 : 0,
		    "auth.lockout_deny", lockfile);
		unlock = auth_unlock(ctx, lock, fl ? 600 : 0, lockfile);
		json_decref(lock);
		if (!records)	/* nothing counts failures: no lockout */
			deny = 0;
	}
	/*
	 * pam_unix checks its own minlen (default 6) on every change, after
	 * the quality module: the enforced minimum is the larger of the two.
	 */
	if (qlen < unix_len)
		qlen = unix_len;
	json_set_int(sec, "min_length", qlen);
	json_set_int(sec, "min_classes", qclasses);
	json_set_str(sec, "quality_module", quality);
	json_set_int(sec, "history", history);
	json_set_str(sec, "lockout_module", lockout);
	json_set_int(sec, "lockout_deny", deny < 0 ? 0 : deny);
	json_set_int(sec, "lockout_unlock_seconds", unlock < 0 ? 0 : unlock);
	json_set_bool(sec, "mfa", mfa);
	json_set_bool(sec, "nullok", nullok);
	json_decref(ps.entries);
}

/* An integer of login.defs into sec[fact]; unset gives def. */
static void
auth_defs_int(struct collect_ctx *ctx, json_t *sec, const char *buf,
    size_t len, const char *key, const char *fact, long def)
{
	char *v = collect_auth_defs_value(buf, len, key);
	char path[64];
	long n = def;

	if (v != NULL && !text_to_long(v, &n)) {
		snprintf(path, sizeof(path), "auth.%s", fact);
		collect_parse_error(ctx, path, "/etc/login.defs", 0,
		    "giá trị không phải số nguyên", "value is not an integer");
		free(v);
		return;
	}
	if (strcmp(key, "PASS_MAX_DAYS") == 0 && (n >= 99999 || n < 0))
		n = -1;
	json_set_int(sec, fact, n);
	free(v);
}

static void
auth_login_defs(struct collect_ctx *ctx, json_t *sec)
{
	static const char *const paths[] = {"auth.pass_max_days",
	    "auth.pass_min_days", "auth.pass_warn_age", "auth.encrypt_method",
	    NULL};
	char *buf = NULL, *v;
	size_t len = 0, i;
	int r, k;

	r = file_read(ctx->rootfd, "/etc/login.defs", FILE_MAX_SMALL, &buf,
	    &len);
	if (r < 0 && r != -ENOENT) {
		for (k = 0; paths[k] != NULL; k++)
			collect_file_error(ctx, paths[k], "/etc/login.defs", r);
		return;
	}
	/* A missing login.defs: shadow-utils' built-in defaults. */
	auth_defs_int(ctx, sec, buf ? buf : "", len, "PASS_MAX_DAYS",
	    "pass_max_days", -1);
	auth_defs_int(ctx, sec, buf ? buf : "", len, "PASS_MIN_DAYS",
	    "pass_min_days", 0);
	auth_defs_int(ctx, sec, buf ? buf : "", len, "PASS_WARN_AGE",
	    "pass_warn_age", 0);
	v = collect_auth_defs_value(buf ? buf : "", len, "ENCRYPT_METHOD");
	if (v != NULL)
		for (i = 0; v[i] != '\0'; i++)
			if (v[i] >= 'a' && v[i] <= 'z')
				v[i] = (char)(v[i] - 'a' + 'A');
	json_set_str(sec, "encrypt_method", v ? v : "");
	free(v);
	free(buf);
}

/* /etc/default/useradd: INACTIVE=N (shell syntax, maybe quoted). */
static void
auth_useradd(struct collect_ctx *ctx, json_t *sec)
{
	const char *p, *end, *l;
	char *buf, *v = NULL;
	size_t len, ll;
	long n = -1;
	int r;

	r = file_read(ctx->rootfd, "/etc/default/useradd", FILE_MAX_SMALL,
	    &buf, &len);
	if (r < 0) {
		if (r == -ENOENT)
			json_set_int(sec, "inactive_days", -1);
		else
			collect_file_error(ctx, "auth.inactive_days",
			    "/etc/default/useradd", r);
		return;
	}
	p = buf;
	end = buf + len;
	while (text_next_line(&p, end, &l, &ll))
		if (ll > 9 && ll < 64 && memcmp(l, "INACTIVE=", 9) == 0) {
			free(v);
			v = text_ndup(l + 9, ll - 9);
		}
	if (v != NULL) {
		char *s = text_trim(v);
		size_t sl = strlen(s);
		if (sl >= 2 && (s[0] == '"' || s[0] == '\'') &&
		    s[sl - 1] == s[0]) {
			s[sl - 1] = '\0';
			s++;
		}
		if (!text_to_long(s, &n)) {
			collect_parse_error(ctx, "auth.inactive_days",
			    "/etc/default/useradd", 0,
			    "INACTIVE không phải số nguyên",
			    "INACTIVE is not an integer");
			free(v);
			free(buf);
			return;
		}
	}
	json_set_int(sec, "inactive_days", n < 0 ? -1 : n);
	free(v);
	free(buf);
}

void
collect_auth(struct collect_ctx *ctx)
{
	json_t *sec = collect_section(ctx, "auth");
	json_t *rules, *aliases;

	auth_login_defs(ctx, sec);
	auth_useradd(ctx, sec);
	auth_pam(ctx, sec);
	if (collect_auth_sudoers(ctx, "auth.sudo_rules", &rules, &aliases) ==
	    0) {
		json_object_set_new(sec, "sudo_rules", rules);
		json_decref(aliases);
	}
}
