/*
 * collect_accounts.c — local accounts: /etc/passwd, /etc/shadow (root
 * only), /etc/group, and the last login of each account from
 * /var/log/lastlog and /var/log/wtmp. Writes the "accounts" section of
 * facts.schema. Administrator rights come from uid 0, the groups sudo,
 * wheel and admin, and the sudoers rules read through collect_auth.c
 * (collect_auth_sudoers), so the result does not depend on run order.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/acct.h"
#include "agent/collect.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

#define ACCOUNTS_MAX_FIELDS 16
#define ACCOUNTS_ID_MAX 4294967294L	/* (uid_t)-1 is not an id */
/* wtmp is read from its end, at most this much (the newest records). */
#define ACCOUNTS_WTMP_MAX (64u << 20)
#define ACCOUNTS_WTMP_CHUNK (ACCT_UTMP_SIZE * 2048)
#define USER_PROCESS 7

static const char *const admin_groups[] = {"sudo", "wheel", "admin", NULL};
static const char *const shadow_root_paths[] = {
	"accounts.users.password", "accounts.users.hash",
	"accounts.users.password_age_days", "accounts.users.password_max_days",
	"accounts.users.expired", "accounts.users.disabled", NULL
};

/* Splits line (modified in place) at ':' into at most max fields.
 * Returns the number of fields, or max + 1 when there are more. */
static size_t
accounts_split(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *p = line, *c;

	for (;;) {
		if (n == max)
			return max + 1;
		f[n++] = p;
		if ((c = strchr(p, ':')) == NULL)
			return n;
		*c = '\0';
		p = c + 1;
	}
}

/* A decimal id in [0, ACCOUNTS_ID_MAX]; false otherwise. */
static bool
accounts_id(const char *s, long *out)
{
	const char *p;

	if (*s == '\0')
		return false;
	for (p = s; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return false;
	return text_to_long(s, out) && *out >= 0 && *out <= ACCOUNTS_ID_MAX;
}

/* A shadow day count: "" gives -1; garbage gives false. */
static bool
accounts_days(const char *s, long *out)
{
	const char *p = s;

	*out = -1;
	if (*s == '\0')
		return true;
	if (*p == '-')
		p++;
	if (*p == '\0')
		return false;
	for (; *p != '\0'; p++)
		if (*p < '0' || *p > '9')
			return false;
	if (!text_to_long(s, out))
		return false;
	if (*out < 0)
		*out = -1;
	return true;
}

/* A name of passwd or group: printable UTF-8, no blanks. */
static bool
accounts_name_ok(const char *s)
{
	const unsigned char *p;

	if (*s == '\0' || !text_valid_utf8(s, strlen(s)))
		return false;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

/*
 * Iterates over the lines of buf; each non-empty, non-comment line that is
 * valid UTF-8 and short enough is copied into a NUL-terminated buffer and
 * handed to fn. A line fn refuses (or a bad line) sets *errline once.
 */
typedef bool accounts_line_fn(char *line, void *arg);

static void
accounts_lines(const char *buf, size_t len, accounts_line_fn *fn, void *arg,
    int *errline)
{
	const char *p = buf, *end = buf + len, *l;
	size_t ll;
	int no = 0;
	char *copy;

	*errline = 0;
	while (text_next_line(&p, end, &l, &ll)) {
		no++;
		if (ll == 0 || l[0] == '#')
			continue;
		if (ll > ACCT_MAX_LINE || !text_valid_utf8(l, ll)) {
			if (*errline == 0)
				*errline = no;
			continue;
		}
		copy = text_ndup(l, ll);
		if (!fn(copy, arg) && *errline == 0)
			*errline = no;
		free(copy);
	}
}

static bool
accounts_passwd_line(char *line, void *arg)
{
	json_t *list = arg;
	char *f[ACCOUNTS_MAX_FIELDS];
	long uid, gid;

	/* NIS compat entries ("+user", "-@group") are not local accounts. */
	if (line[0] == '+' || line[0] == '-')
		return true;
	if (accounts_split(line, f, ACCOUNTS_MAX_FIELDS) != 7)
		return false;
	if (!accounts_name_ok(f[0]) || !accounts_id(f[2], &uid) ||
	    !accounts_id(f[3], &gid))
		return false;
	json_array_append_new(list, json_pack("{s:s, s:I, s:I, s:s, s:s, s:s}",
	    "name", f[0], "uid", (json_int_t)uid, "gid", (json_int_t)gid,
	    "home", f[5], "shell", f[6], "pw", f[1]));
	return true;
}

json_t *
collect_accounts_parse_passwd(const char *buf, size_t len, int *errline)
{
	json_t *list = json_array();

	accounts_lines(buf, len, accounts_passwd_line, list, errline);
	return list;
}

static bool
accounts_group_line(char *line, void *arg)
{
	json_t *list = arg, *members;
	char *f[ACCOUNTS_MAX_FIELDS], *m, *save = NULL;
	long gid;

	if (line[0] == '+' || line[0] == '-')
		return true;
	if (accounts_split(line, f, ACCOUNTS_MAX_FIELDS) != 4)
		return false;
	if (!accounts_name_ok(f[0]) || !accounts_id(f[2], &gid))
		return false;
	members = json_array();
	for (m = strtok_r(f[3], ",", &save); m != NULL;
	    m = strtok_r(NULL, ",", &save)) {
		text_trim(m);
		if (*m == '\0')
			continue;
		if (!accounts_name_ok(m)) {
			json_decref(members);
			return false;
		}
		json_append_str(members, m);
	}
	json_array_append_new(list, json_pack("{s:s, s:I, s:o}", "name", f[0],
	    "gid", (json_int_t)gid, "members", members));
	return true;
}

json_t *
collect_accounts_parse_group(const char *buf, size_t len, int *errline)
{
	json_t *list = json_array();

	accounts_lines(buf, len, accounts_group_line, list, errline);
	return list;
}

void
collect_accounts_hash(const char *pw, const char **state, const char **method)
{
	const char *h = pw;
	size_t n, i;

	*method = "";
	if (*pw == '\0') {
		*state = "empty";
		return;
	}
	if (*pw == '!' || *pw == '*') {
		/* Locked; report the method of the hash kept behind "!". */
		*state = "locked";
		while (*h == '!' || *h == '*')
			h++;
	} else
		*state = "set";
	if (strncmp(h, "$y$", 3) == 0)
		*method = "yescrypt";
	else if (strncmp(h, "$6$", 3) == 0)
		*method = "sha512";
	else if (strncmp(h, "$5$", 3) == 0)
		*method = "sha256";
	else if (strncmp(h, "$2b$", 4) == 0 || strncmp(h, "$2y$", 4) == 0 ||
	    strncmp(h, "$2a$", 4) == 0)
		*method = "bcrypt";
	else if (strncmp(h, "$1$", 3) == 0)
		*method = "md5";
	else if ((n = strlen(h)) == 13) {
		for (i = 0; i < n; i++)
			if (!(h[i] == '.' || h[i] == '/' ||
			    (h[i] >= '0' && h[i] <= '9') ||
			    (h[i] >= 'a' && h[i] <= 'z') ||
			    (h[i] >= 'A' && h[i] <= 'Z')))
				break;
		if (i == n)
			*method = "des";
	}
	/*
	 * A field that is no hash crypt(3) knows ("x", "NP", "LK" and the
	 * like) can never match a password: the account is locked in effect.
	 * Other "$id$" methods (gost-yescrypt, scrypt, ...) stay "set" with
	 * an empty method.
	 */
	if (strcmp(*state, "set") == 0 && **method == '\0' && h[0] != '$')
		*state = "locked";
}

struct shadow_arg {
	json_t *map;
	long long today;
};

/*
 * Shadow fields: name:password:lastchg:min:max:warn:inactive:expire:
 * A lastchg of 0 means "change at next login": the date of the last change
 * is then not known, so password_age_days is -1 (unknown, as the schema
 * allows), like an empty lastchg. max of 99999 or more, or empty, is -1
 * (no maximum). The account is expired when expire > 0 and today has
 * reached it (shadow-utils' isexpired). disabled = locked or expired.
 */
static bool
accounts_shadow_line(char *line, void *arg)
{
	struct shadow_arg *sa = arg;
	char *f[ACCOUNTS_MAX_FIELDS];
	const char *state, *method;
	long lastchg, min, max, warn, inact, expire;
	long long age = -1;
	bool expired;

	if (line[0] == '+' || line[0] == '-')
		return true;
	if (accounts_split(line, f, ACCOUNTS_MAX_FIELDS) != 9)
		return false;
	if (!accounts_name_ok(f[0]) || !accounts_days(f[2], &lastchg) ||
	    !accounts_days(f[3], &min) || !accounts_days(f[4], &max) ||
	    !accounts_days(f[5], &warn) || !accounts_days(f[6], &inact) ||
	    !accounts_days(f[7], &expire))
		return false;
	collect_accounts_hash(f[1], &state, &method);
	if (lastchg > 0) {
		age = sa->today - lastchg;
		if (age < 0)
			age = 0;
	}
	if (max >= 99999)
		max = -1;
	expired = expire > 0 && sa->today >= expire;
	json_object_set_new(sa->map, f[0], json_pack(
	    "{s:s, s:s, s:I, s:I, s:b, s:b}", "password", state, "hash", method,
	    "password_age_days", (json_int_t)age, "password_max_days",
	    (json_int_t)max, "expired", expired, "disabled",
	    strcmp(state, "locked") == 0 || expired));
	return true;
}

json_t *
collect_accounts_parse_shadow(const char *buf, size_t len, long long today,
    int *errline)
{
	struct shadow_arg sa = {json_object(), today};

	accounts_lines(buf, len, accounts_shadow_line, &sa, errline);
	return sa.map;
}

static int32_t
accounts_i32(const unsigned char *p)
{
	uint32_t v;

	/* little-endian hosts (x86_64, aarch64) */
	memcpy(&v, p, sizeof(v));
	return (int32_t)v;
}

long long
collect_accounts_lastlog(const unsigned char *buf, size_t len,
    unsigned long uid)
{
	int32_t t;

	if (len % ACCT_LASTLOG_SIZE != 0)
		return -1;
	if (uid >= len / ACCT_LASTLOG_SIZE)
		return 0;
	t = accounts_i32(buf + (size_t)uid * ACCT_LASTLOG_SIZE);
	return t > 0 ? t : 0;
}

size_t
collect_accounts_wtmp(const unsigned char *buf, size_t len, json_t *last)
{
	const unsigned char *r;
	char user[33];
	size_t n = 0, ul;
	int16_t type;
	int32_t t;

	for (r = buf; (size_t)(buf + len - r) >= ACCT_UTMP_SIZE;
	    r += ACCT_UTMP_SIZE) {
		n++;
		memcpy(&type, r, sizeof(type));
		if (type != USER_PROCESS)
			continue;
		memcpy(user, r + 44, 32);
		user[32] = '\0';
		ul = strlen(user);
		if (ul == 0 || !text_valid_utf8(user, ul))
			continue;
		t = accounts_i32(r + 340);
		if (t <= 0)
			continue;
		if (json_integer_value(json_object_get(last, user)) < t)
			json_object_set_new(last, user, json_integer(t));
	}
	return n;
}

/* Opens a regular file of the audited system for reading; -errno. */
static int
accounts_open(struct collect_ctx *ctx, const char *path, struct stat *st)
{
	int fd = file_open(ctx->rootfd, path, O_RDONLY | O_NONBLOCK);

	if (fd < 0)
		return fd;
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		return -EINVAL;
	}
	return fd;
}

/* Reads the newest part of wtmp into last. 0, or -errno. */
static int
accounts_read_wtmp(struct collect_ctx *ctx, json_t *last)
{
	struct stat st;
	unsigned char *buf;
	off_t off, size;
	ssize_t r;
	int fd;

	if ((fd = accounts_open(ctx, "/var/log/wtmp", &st)) < 0)
		return fd;
	size = st.st_size - st.st_size % ACCT_UTMP_SIZE;
	off = 0;
	if (size > (off_t)ACCOUNTS_WTMP_MAX)
		off = size - (off_t)ACCOUNTS_WTMP_MAX;
	buf = malloc(ACCOUNTS_WTMP_CHUNK);
	if (buf == NULL) {
		close(fd);
		return -ENOMEM;
	}
	while (off < size) {
		r = pread(fd, buf, ACCOUNTS_WTMP_CHUNK, off);
		if (r < 0) {
			r = -errno;
			free(buf);
			close(fd);
			return (int)r;
		}
		if (r < ACCT_UTMP_SIZE)
			break;
		r -= r % ACCT_UTMP_SIZE;
		collect_accounts_wtmp(buf, (size_t)r, last);
		off += r;
	}
	free(buf);
	close(fd);
	return 0;
}

/* The passwd entries' group names, gids, and primary members. */
static void
accounts_groups(json_t *groups, json_t *users)
{
	json_t *g, *u, *members, *m;
	size_t i, j, k;
	bool found;

	json_array_foreach(groups, i, g) {
		members = json_object_get(g, "members");
		json_array_foreach(users, j, u) {
			if (json_int(u, "gid", -1) != json_int(g, "gid", -2))
				continue;
			found = false;
			json_array_foreach(members, k, m)
				if (strcmp(json_string_value(m),
				    json_str(u, "name", "")) == 0)
					found = true;
			if (!found)
				json_append_str(members,
				    json_str(u, "name", ""));
		}
	}
}

/* Whether user (name, gid) belongs to group g. */
static bool
accounts_in_group(json_t *g, const char *name, long long gid)
{
	json_t *m;
	size_t i;

	if (json_int(g, "gid", -2) == gid)
		return true;
	json_array_foreach(json_object_get(g, "members"), i, m)
		if (strcmp(json_string_value(m), name) == 0)
			return true;
	return false;
}

/* A login shell: not nologin, false or sync, and, when /etc/shells
 * exists, either listed there or present on the system. An empty shell
 * is /bin/sh. */
static bool
accounts_can_login(struct collect_ctx *ctx, const char *shell,
    const char *shells)
{
	static const char *const none[] = {"nologin", "false", "sync",
	    "shutdown", "halt", NULL};
	const char *base, *p, *end, *l;
	size_t ll, n;
	int i;

	if (*shell == '\0')
		return true;
	base = strrchr(shell, '/');
	base = base ? base + 1 : shell;
	for (i = 0; none[i] != NULL; i++)
		if (strcmp(base, none[i]) == 0)
			return false;
	if (shells == NULL)
		return true;
	n = strlen(shell);
	p = shells;
	end = shells + strlen(shells);
	while (text_next_line(&p, end, &l, &ll))
		if (ll == n && memcmp(l, shell, n) == 0)
			return true;
	return file_exists(ctx->rootfd, shell);
}

static long
accounts_defs_id(struct collect_ctx *ctx, const char *key, long def)
{
	char *v = collect_auth_login_defs(ctx, key);
	long n;

	if (v == NULL)
		return def;
	if (!accounts_id(v, &n)) {
		collect_parse_error(ctx, "accounts.uid_min", "/etc/login.defs",
		    0, "giá trị UID không hợp lệ", "invalid UID value");
		n = def;
	}
	free(v);
	return n;
}

static void
accounts_root_error(struct collect_ctx *ctx, int err, int line)
{
	int i;

	for (i = 0; shadow_root_paths[i] != NULL; i++)
		if (line > 0)
			collect_parse_error(ctx, shadow_root_paths[i],
			    "/etc/shadow", line, "dòng không hợp lệ",
			    "malformed line");
		else
			collect_file_error(ctx, shadow_root_paths[i],
			    "/etc/shadow", err);
}

/* The last login of every user into the users' objects. */
static void
accounts_last_login(struct collect_ctx *ctx, json_t *users)
{
	const char *path = "accounts.users.last_login_days";
	json_t *wtmp = json_object(), *u;
	unsigned char rec[ACCT_LASTLOG_SIZE];
	struct stat st;
	long long t, w, uid;
	bool have = false;
	int fd, r;
	size_t i;

	r = accounts_read_wtmp(ctx, wtmp);
	if (r == 0)
		have = true;
	else if (r != -ENOENT)
		collect_file_error(ctx, path, "/var/log/wtmp", r);
	fd = accounts_open(ctx, "/var/log/lastlog", &st);
	if (fd >= 0 && st.st_size % ACCT_LASTLOG_SIZE != 0) {
		collect_parse_error(ctx, path, "/var/log/lastlog", 0,
		    "kích thước không phải bội số của một bản ghi",
		    "size is not a whole number of records");
		close(fd);
		fd = -EINVAL;
	} else if (fd >= 0)
		have = true;
	else if (fd != -ENOENT)
		collect_file_error(ctx, path, "/var/log/lastlog", fd);
	if (!have && json_object_get(ctx->unavailable, path) == NULL)
		collect_unavailable(ctx, path, "error",
		    "không có nhật ký đăng nhập (/var/log/lastlog, "
		    "/var/log/wtmp)",
		    "no login records (/var/log/lastlog, /var/log/wtmp)");
	if (json_object_get(ctx->unavailable, path) != NULL) {
		if (fd >= 0)
			close(fd);
		json_decref(wtmp);
		return;
	}
	json_array_foreach(users, i, u) {
		uid = json_int(u, "uid", -1);
		t = 0;
		if (fd >= 0 && (off_t)((uid + 1) * ACCT_LASTLOG_SIZE) <=
		    st.st_size && pread(fd, rec, sizeof(rec),
		    (off_t)(uid * ACCT_LASTLOG_SIZE)) == (ssize_t)sizeof(rec))
			t = collect_accounts_lastlog(rec, sizeof(rec), 0);
		w = json_integer_value(json_object_get(wtmp,
		    json_str(u, "name", "")));
		if (w > t)
			t = w;
		if (t <= 0)
			json_set_int(u, "last_login_days", -1);
		else
			json_set_int(u, "last_login_days",
			    t >= ctx->now ? 0 : (ctx->now - t) / 86400);
	}
	if (fd >= 0)
		close(fd);
	json_decref(wtmp);
}

/* Marks path to as unavailable for the same reason as path from. */
static void
accounts_same_reason(struct collect_ctx *ctx, const char *from, const char *to)
{
	json_t *u = json_object_get(ctx->unavailable, from), *r;

	if (u == NULL)
		return;
	r = json_object_get(u, "reason");
	collect_unavailable(ctx, to, json_str(u, "status", "error"),
	    json_str(r, "vi", ""), json_str(r, "en", ""));
}

static json_t *
accounts_read_list(struct collect_ctx *ctx, const char *file,
    const char *path, json_t *(*parse)(const char *, size_t, int *))
{
	json_t *list;
	char *buf;
	size_t len;
	int r, line;

	if ((r = file_read(ctx->rootfd, file, FILE_MAX_MEDIUM, &buf, &len)) <
	    0) {
		collect_file_error(ctx, path, file, r);
		return json_array();
	}
	list = parse(buf, len, &line);
	if (line > 0)
		collect_parse_error(ctx, path, file, line, "dòng không hợp lệ",
		    "malformed line");
	free(buf);
	return list;
}

void
collect_accounts(struct collect_ctx *ctx)
{
	json_t *sec = collect_section(ctx, "accounts");
	json_t *users, *groups, *shadow = NULL, *rules = NULL, *aliases = NULL;
	json_t *u, *g, *sh, *gnames, *gids, *out;
	char *shells = NULL, *buf;
	const char *name, *pw, *state, *method;
	long uid_min, uid_max;
	long long uid, gid;
	size_t i, j, len;
	bool admin, can_login;
	int r, line, k;

	uid_min = accounts_defs_id(ctx, "UID_MIN", 1000);
	uid_max = accounts_defs_id(ctx, "UID_MAX", 60000);
	json_set_int(sec, "uid_min", uid_min);

	users = accounts_read_list(ctx, "/etc/passwd", "accounts.users",
	    collect_accounts_parse_passwd);
	groups = accounts_read_list(ctx, "/etc/group", "accounts.groups",
	    collect_accounts_parse_group);
	accounts_groups(groups, users);
	/* Without the groups, sudo and wheel members are not known. */
	accounts_same_reason(ctx, "accounts.groups", "accounts.users.admin");
	if (file_read(ctx->rootfd, "/etc/shells", FILE_MAX_SMALL, &shells,
	    &len) < 0)
		shells = NULL;

	r = file_read(ctx->rootfd, "/etc/shadow", FILE_MAX_MEDIUM, &buf, &len);
	if (r < 0)
		accounts_root_error(ctx, r, 0);
	else {
		shadow = collect_accounts_parse_shadow(buf, len,
		    ctx->now / 86400, &line);
		if (line > 0)
			accounts_root_error(ctx, 0, line);
		free(buf);
	}
	if (collect_auth_sudoers(ctx, "accounts.users.admin", &rules,
	    &aliases) < 0)
		rules = aliases = NULL;

	out = json_array();
	json_array_foreach(users, i, u) {
		name = json_str(u, "name", "");
		uid = json_int(u, "uid", -1);
		gid = json_int(u, "gid", -1);
		can_login = accounts_can_login(ctx, json_str(u, "shell", ""),
		    shells);
		admin = uid == 0;
		gnames = json_array();
		gids = json_array();
		json_array_foreach(groups, j, g) {
			if (!accounts_in_group(g, name, gid))
				continue;
			json_append_str(gnames, json_str(g, "name", ""));
			json_array_append_new(gids,
			    json_integer(json_int(g, "gid", -1)));
			for (k = 0; admin_groups[k] != NULL; k++)
				if (strcmp(json_str(g, "name", ""),
				    admin_groups[k]) == 0)
					admin = true;
		}
		if (rules != NULL && collect_auth_sudo_names(rules, aliases,
		    name, (long)uid, gnames, gids))
			admin = true;
		json_decref(gnames);
		json_decref(gids);
		json_set_bool(u, "can_login", can_login);
		json_set_bool(u, "human", can_login && uid >= uid_min &&
		    uid <= uid_max);
		json_set_bool(u, "admin", admin);
		if (shadow != NULL) {
			sh = json_object_get(shadow, name);
			if (sh != NULL)
				json_object_update(u, sh);
			else if (json_object_get(ctx->unavailable,
			    "accounts.users.password") == NULL) {
				/* No shadow entry: a hash kept in passwd
				 * itself (old systems), or none. */
				pw = json_str(u, "pw", "x");
				if (strcmp(pw, "x") == 0)
					state = "none", method = "";
				else
					collect_accounts_hash(pw, &state,
					    &method);
				json_set_str(u, "password", state);
				json_set_str(u, "hash", method);
				json_set_int(u, "password_age_days", -1);
				json_set_int(u, "password_max_days", -1);
				json_set_bool(u, "expired", false);
				json_set_bool(u, "disabled",
				    strcmp(state, "locked") == 0);
			}
		}
		json_object_del(u, "pw");
		json_array_append(out, u);
	}
	accounts_last_login(ctx, out);
	json_object_set_new(sec, "users", out);
	json_object_set_new(sec, "groups", groups);
	json_decref(users);
	json_decref(shadow);
	json_decref(rules);
	json_decref(aliases);
	free(shells);
}
