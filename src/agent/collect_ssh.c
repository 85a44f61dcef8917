/*
 * collect_ssh.c — the OpenSSH server's global settings, read as sshd reads
 * /etc/ssh/sshd_config: keywords case-insensitive, the first value wins,
 * Include with globs (relative to /etc/ssh, bounded depth), Match blocks
 * left out of the global view ("Match all" applies to everyone and
 * overrides), and OpenSSH 9.2's defaults for what is unset (sshd_config(5)).
 * Writes the "ssh" section of facts.schema.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/acct.h"
#include "agent/collect.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

#define SSH_MAX_DEPTH 16	/* sshd's limit of nested Include */
#define SSH_MAX_ARGS 256
#define SSH_MAX_FILES 256	/* files matched by one Include glob */
#define SSH_MAX_LIST 64		/* algorithms in one list */

/* OpenSSH 9.2 defaults (sshd_config(5), myproposal.h). */
static const char *const ssh_default_ciphers[] = {
	"chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr",
	"aes256-ctr", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com", NULL
};
static const char *const ssh_default_macs[] = {
	"umac-64-etm@openssh.com", "umac-128-etm@openssh.com",
	"hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com",
	"hmac-sha1-etm@openssh.com", "umac-64@openssh.com",
	"umac-128@openssh.com", "hmac-sha2-256", "hmac-sha2-512", "hmac-sha1",
	NULL
};
static const char *const ssh_default_kex[] = {
	"sntrup761x25519-sha512@openssh.com", "curve25519-sha256",
	"curve25519-sha256@libssh.org", "ecdh-sha2-nistp256",
	"ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
	"diffie-hellman-group-exchange-sha256",
	"diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512",
	"diffie-hellman-group14-sha256", NULL
};

enum ssh_kind { K_BOOL, K_INT, K_TIME, K_ENUM, K_LIST, K_ENV };

/* The single-valued settings: first value wins. */
static const struct ssh_opt {
	const char *keyword;	/* lower case */
	const char *fact;
	enum ssh_kind kind;
	const char *def;
	const char *const *values;	/* K_ENUM: accepted (lower case) */
	const char *const *list_def;	/* K_LIST */
} ssh_opts[] = {
#define E(...) (const char *const[]){__VA_ARGS__, NULL}
	{"permitrootlogin", "permit_root_login", K_ENUM, "prohibit-password",
	    E("yes", "no", "prohibit-password", "without-password",
	    "forced-commands-only"), NULL},
	{"passwordauthentication", "password_authentication", K_BOOL, "yes",
	    NULL, NULL},
	{"kbdinteractiveauthentication", "kbd_interactive_authentication",
	    K_BOOL, "yes", NULL, NULL},
	{"permitemptypasswords", "permit_empty_passwords", K_BOOL, "no", NULL,
	    NULL},
	{"pubkeyauthentication", "pubkey_authentication", K_BOOL, "yes", NULL,
	    NULL},
	{"maxauthtries", "max_auth_tries", K_INT, "6", NULL, NULL},
	{"logingracetime", "login_grace_time", K_TIME, "120", NULL, NULL},
	{"clientaliveinterval", "client_alive_interval", K_TIME, "0", NULL,
	    NULL},
	{"clientalivecountmax", "client_alive_count_max", K_INT, "3", NULL,
	    NULL},
	{"x11forwarding", "x11_forwarding", K_BOOL, "no", NULL, NULL},
	{"allowtcpforwarding", "allow_tcp_forwarding", K_ENUM, "yes",
	    E("yes", "all", "no", "local", "remote"), NULL},
	{"permituserenvironment", "permit_user_environment", K_ENV, "no",
	    NULL, NULL},
	{"ciphers", "ciphers", K_LIST, NULL, NULL, ssh_default_ciphers},
	{"macs", "macs", K_LIST, NULL, NULL, ssh_default_macs},
	{"kexalgorithms", "kex", K_LIST, NULL, NULL, ssh_default_kex},
	{"loglevel", "log_level", K_ENUM, "INFO", E("quiet", "fatal", "error",
	    "info", "verbose", "debug", "debug1", "debug2", "debug3"), NULL},
#undef E
};
#define SSH_NOPTS (sizeof(ssh_opts) / sizeof(ssh_opts[0]))

/* Layers: 0 the global section, 1 "Match all" (applies to everyone and
 * overrides the global values); other Match blocks are not read. */
struct ssh_state {
	char *val[2][SSH_NOPTS];
	json_t *allow[2];		/* AllowUsers, AllowGroups (%) */
	json_t *ports;			/* Port */
	json_t *listen_ports;		/* ports given in ListenAddress */
	int listen, listen_noport;
	int layer;			/* 0, 1, or -1 inside another Match */
	struct collect_ctx *ctx;	/* NULL: Include is ignored */
	/* the first error */
	bool failed;
	char *file;
	int line;
	char *why_vi, *why_en;
};

static void
ssh_fail(struct ssh_state *st, const char *file, int line, const char *fmt_vi,
    const char *fmt_en, const char *arg)
{
	if (st->failed)
		return;
	st->failed = true;
	st->file = text_dup(file);
	st->line = line;
	st->why_vi = text_printf(fmt_vi, arg);
	st->why_en = text_printf(fmt_en, arg);
}

static void
ssh_state_init(struct ssh_state *st, struct collect_ctx *ctx)
{
	memset(st, 0, sizeof(*st));
	st->allow[0] = json_array();
	st->allow[1] = json_array();
	st->ports = json_array();
	st->listen_ports = json_array();
	st->ctx = ctx;
}

static void
ssh_state_free(struct ssh_state *st)
{
	size_t i;

	for (i = 0; i < SSH_NOPTS; i++) {
		free(st->val[0][i]);
		free(st->val[1][i]);
	}
	json_decref(st->allow[0]);
	json_decref(st->allow[1]);
	json_decref(st->ports);
	json_decref(st->listen_ports);
	free(st->file);
	free(st->why_vi);
	free(st->why_en);
}

long long
collect_ssh_time(const char *s)
{
	long long total = 0, n, mult;
	const char *p = s;

	if (*p == '\0')
		return -1;
	while (*p != '\0') {
		if (*p < '0' || *p > '9')
			return -1;
		for (n = 0; *p >= '0' && *p <= '9'; p++) {
			n = n * 10 + (*p - '0');
			if (n > 1000000000LL)
				return -1;
		}
		switch (*p) {
		case '\0':
			mult = 1;
			break;
		case 's': case 'S':
			mult = 1, p++;
			break;
		case 'm': case 'M':
			mult = 60, p++;
			break;
		case 'h': case 'H':
			mult = 3600, p++;
			break;
		case 'd': case 'D':
			mult = 86400, p++;
			break;
		case 'w': case 'W':
			mult = 604800, p++;
			break;
		default:
			return -1;
		}
		total += n * mult;
		if (total > 0x7fffffffLL)
			return -1;
	}
	return total;
}

/* Splits the arguments as sshd does: blanks separate, "double quotes"
 * group, a word starting with '#' ends the line. -1 on an open quote. */
static int
ssh_args(char *s, char **a, int max)
{
	int n = 0;
	char *p = s, *w;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\0' || *p == '#')
			return n;
		if (n == max)
			return -1;
		if (*p == '"') {
			w = ++p;
			while (*p != '\0' && *p != '"')
				p++;
			if (*p != '"')
				return -1;
		} else {
			w = p;
			while (*p != '\0' && *p != ' ' && *p != '\t' &&
			    *p != '\r')
				p++;
		}
		a[n++] = w;
		if (*p != '\0')
			*p++ = '\0';
	}
}

static bool
ssh_algo_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    strchr("@.-_+*?", *s) != NULL))
			return false;
	return true;
}

/* Validates one value of kind; the normalised value, malloc'd, or NULL. */
static char *
ssh_value(const struct ssh_opt *o, const char *v)
{
	char *copy, *tok, *save = NULL, *s;
	bool upper = strcmp(o->keyword, "loglevel") == 0;
	long n;
	int i;

	switch (o->kind) {
	case K_BOOL:
		if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "no") == 0)
			return text_printf("%s", strcasecmp(v, "yes") == 0 ?
			    "yes" : "no");
		return NULL;
	case K_ENV:
		/* "yes", "no", or a pattern list of variables allowed */
		return text_dup(strcasecmp(v, "no") == 0 ? "no" : "yes");
	case K_INT:
		if (!text_to_long(v, &n) || n < 0 || n > 0x7fffffffL)
			return NULL;
		return text_printf("%ld", n);
	case K_TIME:
		if (collect_ssh_time(v) < 0)
			return NULL;
		return text_printf("%lld", collect_ssh_time(v));
	case K_ENUM:
		for (i = 0; o->values[i] != NULL; i++)
			if (strcasecmp(v, o->values[i]) == 0) {
				if (strcmp(o->values[i], "without-password") ==
				    0)
					return text_dup("prohibit-password");
				s = text_dup(o->values[i]);
				/* LogLevel is written in capitals */
				for (n = 0; upper && s[n] != '\0'; n++)
					if (s[n] >= 'a' && s[n] <= 'z')
						s[n] = (char)(s[n] - 32);
				return s;
			}
		return NULL;
	case K_LIST:
		s = (char *)v;
		if (*s != '\0' && strchr("+-^", *s) != NULL)
			s++;
		copy = text_dup(s);
		i = 0;
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save), i++)
			if (!ssh_algo_ok(tok) || i >= SSH_MAX_LIST) {
				free(copy);
				return NULL;
			}
		free(copy);
		if (i == 0 || s[strlen(s) - 1] == ',' || s[0] == ',' ||
		    strstr(s, ",,") != NULL)
			return NULL;
		return text_dup(v);
	}
	return NULL;
}

/* "host:port", "[v6]:port", "host" (no port: -1), bad: -2. */
static long
ssh_listen_port(const char *s)
{
	const char *c;
	long n;

	if (s[0] == '[') {
		if ((c = strchr(s, ']')) == NULL)
			return -2;
		if (c[1] == '\0')
			return -1;
		if (c[1] != ':')
			return -2;
		c++;
	} else {
		c = strchr(s, ':');
		if (c == NULL || strchr(c + 1, ':') != NULL)
			return -1;	/* a name, IPv4 or bare IPv6 */
	}
	if (!text_to_long(c + 1, &n) || n < 1 || n > 65535)
		return -2;
	return n;
}

static void ssh_parse_buf(struct ssh_state *, const char *, size_t,
    const char *, int);

/* Include: each argument is a glob, relative to /etc/ssh. */
static void
ssh_include(struct ssh_state *st, char **a, int n, const char *file, int line,
    int depth)
{
	char *path, *dir, *pat, *slash, **names, *buf, *p;
	size_t nn, i, len;
	int k, r, saved;

	if (st->ctx == NULL)
		return;
	if (depth + 1 >= SSH_MAX_DEPTH) {
		ssh_fail(st, file, line, "Include lồng quá sâu (vòng lặp?)%s",
		    "Include nested too deep (a loop?)%s", "");
		return;
	}
	for (k = 0; k < n && !st->failed; k++) {
		path = a[k][0] == '/' ? text_dup(a[k]) :
		    file_join("/etc/ssh", a[k]);
		slash = strrchr(path, '/');
		dir = slash == path ? text_dup("/") :
		    text_ndup(path, (size_t)(slash - path));
		pat = slash + 1;
		if (strpbrk(dir, "*?[") != NULL) {
			ssh_fail(st, file, line,
			    "Include có ký tự đại diện trong thư mục: %s",
			    "Include with a wildcard in a directory: %s", a[k]);
			free(dir);
			free(path);
			return;
		}
		if (strpbrk(pat, "*?[") == NULL) {
			if ((names = malloc(sizeof(*names))) == NULL)
				abort();
			names[0] = text_dup(pat);
			nn = 1;
		} else if ((r = file_list(st->ctx->rootfd, dir, SSH_MAX_FILES,
		    &names, &nn)) < 0) {
			if (r != -ENOENT)
				ssh_fail(st, file, line,
				    "không đọc được thư mục của Include %s",
				    "cannot read the directory of Include %s",
				    a[k]);
			free(dir);
			free(path);
			continue;
		}
		for (i = 0; i < nn && !st->failed; i++) {
			if (fnmatch(pat, names[i], FNM_PERIOD) != 0)
				continue;
			p = file_join(dir, names[i]);
			r = file_read(st->ctx->rootfd, p, FILE_MAX_SMALL, &buf,
			    &len);
			if (r == 0) {
				saved = st->layer;
				ssh_parse_buf(st, buf, len, p, depth + 1);
				st->layer = saved;
				free(buf);
			} else if (r != -ENOENT)
				/* sshd skips what matches nothing */
				ssh_fail(st, p, 0, "không đọc được tệp%s",
				    "cannot read the file%s", "");
			free(p);
		}
		file_list_free(names, nn);
		free(dir);
		free(path);
	}
}

static void
ssh_line(struct ssh_state *st, char *s, const char *file, int no, int depth)
{
	char *kw, *a[SSH_MAX_ARGS], *v;
	size_t i, kl;
	int n, L = st->layer, k;
	long port;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0' || *s == '#' || *s == '\r')
		return;
	kw = s;
	while (*s != '\0' && *s != ' ' && *s != '\t' && *s != '=')
		s++;
	kl = (size_t)(s - kw);
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '=')
		s++;
	kw[kl] = '\0';
	if ((n = ssh_args(s, a, SSH_MAX_ARGS)) < 0) {
		ssh_fail(st, file, no, "tham số không hợp lệ cho %s",
		    "malformed arguments for %s", kw);
		return;
	}
	if (strcasecmp(kw, "match") == 0) {
		if (n == 0) {
			ssh_fail(st, file, no, "Match thiếu điều kiện%s",
			    "Match without criteria%s", "");
			return;
		}
		st->layer = n == 1 && strcasecmp(a[0], "all") == 0 ? 1 : -1;
		return;
	}
	if (strcasecmp(kw, "include") == 0) {
		if (n == 0)
			ssh_fail(st, file, no, "Include thiếu tệp%s",
			    "Include without a file%s", "");
		else
			ssh_include(st, a, n, file, no, depth);
		return;
	}
	if (strcasecmp(kw, "challengeresponseauthentication") == 0)
		kw = "kbdinteractiveauthentication";
	if (n == 0) {
		for (i = 0; i < SSH_NOPTS; i++)
			if (strcasecmp(kw, ssh_opts[i].keyword) == 0)
				break;
		if (i < SSH_NOPTS || strcasecmp(kw, "port") == 0 ||
		    strcasecmp(kw, "allowusers") == 0 ||
		    strcasecmp(kw, "allowgroups") == 0 ||
		    strcasecmp(kw, "listenaddress") == 0)
			ssh_fail(st, file, no, "%s thiếu giá trị",
			    "%s has no value", kw);
		return;
	}
	if (strcasecmp(kw, "port") == 0) {
		if (!text_to_long(a[0], &port) || port < 1 || port > 65535) {
			ssh_fail(st, file, no, "cổng không hợp lệ: %s",
			    "invalid port: %s", a[0]);
			return;
		}
		if (L == 0)
			json_array_append_new(st->ports, json_integer(port));
		return;
	}
	if (strcasecmp(kw, "listenaddress") == 0) {
		if ((port = ssh_listen_port(a[0])) == -2) {
			ssh_fail(st, file, no, "ListenAddress không hợp lệ: %s",
			    "invalid ListenAddress: %s", a[0]);
			return;
		}
		if (L != 0)
			return;
		st->listen++;
		if (port > 0)
			json_array_append_new(st->listen_ports,
			    json_integer(port));
		else
			st->listen_noport++;
		return;
	}
	if (strcasecmp(kw, "allowusers") == 0 ||
	    strcasecmp(kw, "allowgroups") == 0) {
		if (L < 0)
			return;
		for (k = 0; k < n; k++) {
			v = text_printf("%s%s",
			    strcasecmp(kw, "allowgroups") == 0 ? "%" : "",
			    a[k]);
			json_append_str(st->allow[L], v);
			free(v);
		}
		return;
	}
	for (i = 0; i < SSH_NOPTS; i++)
		if (strcasecmp(kw, ssh_opts[i].keyword) == 0)
			break;
	if (i == SSH_NOPTS)
		return;		/* a keyword these facts do not need */
	if ((v = ssh_value(&ssh_opts[i], a[0])) == NULL) {
		ssh_fail(st, file, no, "giá trị không hợp lệ cho %s",
		    "invalid value for %s", kw);
		return;
	}
	if (L >= 0 && st->val[L][i] == NULL)
		st->val[L][i] = v;
	else
		free(v);
}

/* Checks every line first: binary garbage is refused whole. */
static void
ssh_parse_buf(struct ssh_state *st, const char *buf, size_t len,
    const char *file, int depth)
{
	const char *p = buf, *end = buf + len, *l;
	size_t ll, i;
	int no = 0;
	char *copy;

	while (text_next_line(&p, end, &l, &ll)) {
		no++;
		if (ll > ACCT_MAX_LINE || !text_valid_utf8(l, ll)) {
			ssh_fail(st, file, no,
			    "dòng chứa dữ liệu nhị phân hoặc không phải "
			    "UTF-8%s",
			    "binary data or invalid UTF-8 in the line%s", "");
			return;
		}
		for (i = 0; i < ll; i++)
			if ((unsigned char)l[i] < 0x20 && l[i] != '\t' &&
			    l[i] != '\r') {
				ssh_fail(st, file, no, "dòng chứa ký tự điều "
				    "khiển%s", "control characters in the "
				    "line%s", "");
				return;
			}
	}
	p = buf;
	no = 0;
	/* A Match block ends at the end of its file (sshd). */
	while (!st->failed && text_next_line(&p, end, &l, &ll)) {
		no++;
		copy = text_ndup(l, ll);
		ssh_line(st, copy, file, no, depth);
		free(copy);
	}
}

/* Applies a configured list (with +, -, ^) to the defaults. */
static json_t *
ssh_algos(const char *conf, const char *const *def)
{
	json_t *out = json_array(), *cfg = json_array(), *v;
	char *copy, *tok, *save = NULL;
	size_t i, j;
	bool drop;

	if (conf == NULL) {
		for (i = 0; def[i] != NULL; i++)
			json_append_str(out, def[i]);
		json_decref(cfg);
		return out;
	}
	copy = text_dup(conf + (conf[0] != '\0' && strchr("+-^", conf[0]) ?
	    1 : 0));
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		json_append_str(cfg, tok);
	free(copy);
	switch (conf[0]) {
	case '+':
	case '^':
		if (conf[0] == '^')
			json_array_extend(out, cfg);
		for (i = 0; def[i] != NULL; i++) {
			drop = false;
			json_array_foreach(out, j, v)
				if (strcmp(json_string_value(v), def[i]) == 0)
					drop = true;
			if (!drop)
				json_append_str(out, def[i]);
		}
		if (conf[0] == '+')
			json_array_foreach(cfg, j, v) {
				drop = false;
				for (i = 0; def[i] != NULL; i++)
					if (strcmp(json_string_value(v),
					    def[i]) == 0)
						drop = true;
				if (!drop)
					json_array_append(out, v);
			}
		break;
	case '-':
		for (i = 0; def[i] != NULL; i++) {
			drop = false;
			json_array_foreach(cfg, j, v)
				if (fnmatch(json_string_value(v), def[i], 0) ==
				    0)
					drop = true;
			if (!drop)
				json_append_str(out, def[i]);
		}
		break;
	default:
		json_array_extend(out, cfg);
	}
	json_decref(cfg);
	return out;
}

/* The facts from a parsed state. */
static json_t *
ssh_facts(struct ssh_state *st)
{
	json_t *sec = json_object(), *ports = json_array(), *v;
	const struct ssh_opt *o;
	const char *val;
	size_t i, j;
	bool seen;

	/* ListenAddress with a port listens there; Port (22 by default)
	 * applies to those without one, or to all when none is given. */
	json_array_extend(ports, st->listen_ports);
	if (st->listen == 0 || st->listen_noport > 0) {
		if (json_array_size(st->ports) == 0)
			json_array_append_new(st->ports, json_integer(22));
		json_array_foreach(st->ports, i, v) {
			seen = false;
			for (j = 0; j < json_array_size(ports); j++)
				if (json_integer_value(json_array_get(ports,
				    j)) == json_integer_value(v))
					seen = true;
			if (!seen)
				json_array_append(ports, v);
		}
	}
	json_object_set_new(sec, "ports", ports);
	for (i = 0; i < SSH_NOPTS; i++) {
		o = &ssh_opts[i];
		val = st->val[1][i] ? st->val[1][i] : st->val[0][i];
		switch (o->kind) {
		case K_BOOL:
		case K_ENV:
			json_set_bool(sec, o->fact,
			    strcmp(val ? val : o->def, "yes") == 0);
			break;
		case K_INT:
		case K_TIME:
			json_set_int(sec, o->fact, atol(val ? val : o->def));
			break;
		case K_ENUM:
			json_set_str(sec, o->fact, val ? val : o->def);
			break;
		case K_LIST:
			json_object_set_new(sec, o->fact,
			    ssh_algos(val, o->list_def));
			break;
		}
	}
	json_object_set(sec, "allow_users", json_array_size(st->allow[1]) ?
	    st->allow[1] : st->allow[0]);
	return sec;
}

json_t *
collect_ssh_parse(const char *buf, size_t len, char *err, size_t errlen)
{
	struct ssh_state st;
	json_t *sec = NULL;

	ssh_state_init(&st, NULL);
	ssh_parse_buf(&st, buf, len, "sshd_config", 0);
	if (st.failed)
		snprintf(err, errlen, "line %d: %s — %s", st.line, st.why_vi,
		    st.why_en);
	else
		sec = ssh_facts(&st);
	ssh_state_free(&st);
	return sec;
}

/* ssh.service or sshd.service (or the socket) enabled or running. */
static void
ssh_enabled(struct collect_ctx *ctx, json_t *sec)
{
	static const char *const units[] = {"ssh.service", "sshd.service",
	    "ssh.socket", "sshd.socket", NULL};
	json_t *svc = json_object_get(ctx->facts, "services"), *v;
	const char *lists[] = {"enabled", "active"};
	size_t i, l;
	int k;

	if (svc == NULL || json_object_get(svc, "enabled") == NULL) {
		collect_unavailable(ctx, "ssh.enabled", "error",
		    "chưa thu thập được danh sách dịch vụ",
		    "the list of services was not collected");
		return;
	}
	for (l = 0; l < 2; l++)
		json_array_foreach(json_object_get(svc, lists[l]), i, v)
			for (k = 0; units[k] != NULL; k++)
				if (json_is_string(v) && strcmp(
				    json_string_value(v), units[k]) == 0) {
					json_set_bool(sec, "enabled", true);
					return;
				}
	if (json_object_get(ctx->unavailable, "services.enabled") != NULL) {
		collect_unavailable(ctx, "ssh.enabled", "error",
		    "không biết các dịch vụ được bật",
		    "the enabled services are not known");
		return;
	}
	json_set_bool(sec, "enabled", false);
}

void
collect_ssh(struct collect_ctx *ctx)
{
	const char *file = "/etc/ssh/sshd_config";
	json_t *sec = collect_section(ctx, "ssh"), *facts;
	struct ssh_state st;
	const char *key;
	char *buf, *path;
	size_t len, i;
	json_t *v;
	int r;

	ssh_enabled(ctx, sec);
	r = file_read(ctx->rootfd, file, FILE_MAX_SMALL, &buf, &len);
	if (r == -ENOENT) {
		json_set_bool(sec, "installed", false);
		for (i = 0; i < SSH_NOPTS + 2; i++) {
			key = i < SSH_NOPTS ? ssh_opts[i].fact :
			    i == SSH_NOPTS ? "ports" : "allow_users";
			path = text_printf("ssh.%s", key);
			collect_unavailable(ctx, path, "na",
			    "không cài máy chủ SSH (không có sshd_config)",
			    "no SSH server installed (no sshd_config)");
			free(path);
		}
		return;
	}
	json_set_bool(sec, "installed", true);
	if (r < 0) {
		collect_file_error(ctx, "ssh", file, r);
		return;
	}
	ssh_state_init(&st, ctx);
	ssh_parse_buf(&st, buf, len, file, 0);
	free(buf);
	if (st.failed) {
		collect_parse_error(ctx, "ssh", st.file, st.line, st.why_vi,
		    st.why_en);
		ssh_state_free(&st);
		return;
	}
	facts = ssh_facts(&st);
	json_object_foreach(facts, key, v)
		json_object_set(sec, key, v);
	json_decref(facts);
	ssh_state_free(&st);
}
