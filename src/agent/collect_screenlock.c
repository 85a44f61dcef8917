/*
 * collect_screenlock.c — when and whether desktop sessions lock. System
 * defaults per desktop: GNOME, Cinnamon and MATE from the dconf keyfiles
 * of /etc/dconf/db (with their locks), KDE from /etc/xdg/kscreenlockerrc,
 * Xfce from its xfconf XML, each with the desktop's built-in default
 * where nothing is set. Then each person's overrides: the binary dconf
 * database ~/.config/dconf/user (GVDB, keyfile.c), kscreenlockerrc and
 * xfce4-screensaver.xml. Users come from /etc/passwd, read here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/collect.h"
#include "agent/keyfile.h"
#include "agent/sysparse.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

#define SCREENLOCK_MAX_FILES 512
#define SCREENLOCK_MAX_USERS 10000
#define SCREENLOCK_XML_DEPTH 32

/* The dconf desktops: where their keys live and their defaults. */
static const struct screenlock_dconf {
	const char *desktop;
	const char *session; /* dconf directory of idle-delay */
	const char *saver;   /* of lock-enabled and lock-delay */
	int scale;           /* seconds per unit of the values */
	long long idle, lock_delay;
	int lock; /* built-in defaults; -1 unknown */
} screenlock_dconf[] = {
    {"gnome", "org/gnome/desktop/session", "org/gnome/desktop/screensaver", 1,
     300, 0, 1},
    {"cinnamon", "org/cinnamon/desktop/session",
     "org/cinnamon/desktop/screensaver", 1, -1, -1, -1},
    {"mate", "org/mate/desktop/session", "org/mate/screensaver", 60, 5, 0, 1},
};
#define SCREENLOCK_NDCONF 3

struct screenlock_value {
	long long idle, lock_delay;
	int lock;                  /* -1 unknown */
	char *src_idle, *src_lock; /* file that set it, or NULL */
};

struct screenlock_user {
	char *name, *home;
};

/* ---- output ---- */

static void
collect_screenlock_item(json_t *list, const char *scope, const char *desktop,
                        bool lock, long long idle_seconds, const char *source)
{
	json_t *it = json_object();

	json_set_str(it, "scope", scope);
	json_set_str(it, "desktop", desktop);
	json_set_bool(it, "lock_enabled", lock);
	json_set_int(it, "idle_seconds", idle_seconds < 0 ? 0 : idle_seconds);
	json_set_str(it, "source", source);
	json_array_append_new(list, it);
}

static void
collect_screenlock_bad(struct collect_ctx *ctx, const char *file, int line)
{
	collect_parse_error(ctx, "screenlock.settings", file, line,
	                    "tệp thiết lập không đúng cú pháp",
	                    "malformed settings file");
}

/* ---- /etc/passwd ---- */

static size_t
collect_screenlock_users(struct collect_ctx *ctx,
                         struct screenlock_user **users)
{
	const char *p, *end, *l;
	char *buf, *f[7], *t, *s;
	size_t len, ll, n = 0;
	long uid;
	int k, r;

	*users = NULL;
	r = file_read(ctx->rootfd, "/etc/passwd", FILE_MAX_MEDIUM, &buf, &len);
	if (r < 0) {
		if (r != -ENOENT)
			collect_file_error(ctx, "screenlock.settings",
			                   "/etc/passwd", r);
		return 0;
	}
	p = buf;
	end = buf + len;
	while (text_next_line(&p, end, &l, &ll) && n < SCREENLOCK_MAX_USERS) {
		t = text_ndup(l, ll);
		for (k = 0, s = t; k < 7; k++) {
			f[k] = s;
			s = k < 6 ? strchr(s, ':') : NULL;
			if (s == NULL && k < 6)
				break;
			if (s != NULL)
				*s++ = '\0';
		}
		/* uid >= 1000 (not nobody) with a login shell and a home */
		if (k == 7 && text_to_long(f[2], &uid) && uid >= 1000 &&
		    uid != 65534 && f[5][0] == '/' &&
		    strstr(f[6], "nologin") == NULL &&
		    strcmp(f[6], "/bin/false") != 0 &&
		    strcmp(f[6], "/usr/bin/false") != 0 && f[6][0] != '\0') {
			*users = reallocarray(*users, n + 1, sizeof(**users));
			if (*users == NULL)
				abort();
			(*users)[n].name = text_dup(f[0]);
			(*users)[n].home = text_dup(f[5]);
			n++;
		}
		free(t);
	}
	free(buf);
	return n;
}

/* ---- dconf system database ---- */

struct screenlock_dconf_files {
	char **files; /* keyfiles, in the order they apply */
	size_t nfiles;
	char **locks; /* locked keys ("/org/.../idle-delay") */
	size_t nlocks;
};

static void
collect_screenlock_push(char ***v, size_t *n, char *s)
{
	*v = reallocarray(*v, *n + 1, sizeof(**v));
	if (*v == NULL)
		abort();
	(*v)[(*n)++] = s;
}

static void
collect_screenlock_read_locks(struct collect_ctx *ctx, const char *dir,
                              struct screenlock_dconf_files *d)
{
	char **names, *f, *buf, *t;
	const char *p, *l;
	size_t n, i, len, ll;
	int r;

	if (file_list(ctx->rootfd, dir, SCREENLOCK_MAX_FILES, &names, &n) < 0)
		return;
	for (i = 0; i < n; i++) {
		f = file_join(dir, names[i]);
		r = file_read(ctx->rootfd, f, FILE_MAX_SMALL, &buf, &len);
		if (r < 0) {
			collect_file_error(ctx, "screenlock.settings", f, r);
			free(f);
			continue;
		}
		p = buf;
		while (text_next_line(&p, buf + len, &l, &ll)) {
			t = text_ndup(l, ll);
			text_trim(t);
			if (t[0] == '/')
				collect_screenlock_push(&d->locks, &d->nlocks,
				                        t);
			else
				free(t);
		}
		free(buf);
		free(f);
	}
	file_list_free(names, n);
}

static void
collect_screenlock_dconf_list(struct collect_ctx *ctx,
                              struct screenlock_dconf_files *d)
{
	char **dbs, **names, *dir, *sub;
	size_t ndb, n, i, j, l;

	memset(d, 0, sizeof(*d));
	if (file_list(ctx->rootfd, "/etc/dconf/db", SCREENLOCK_MAX_FILES, &dbs,
	              &ndb) < 0)
		return;
	for (i = 0; i < ndb; i++) {
		l = strlen(dbs[i]);
		if (l < 3 || strcmp(dbs[i] + l - 2, ".d") != 0)
			continue;
		dir = file_join("/etc/dconf/db", dbs[i]);
		if (file_list(ctx->rootfd, dir, SCREENLOCK_MAX_FILES, &names,
		              &n) == 0) {
			for (j = 0; j < n; j++)
				if (strcmp(names[j], "locks") != 0)
					collect_screenlock_push(
					    &d->files, &d->nfiles,
					    file_join(dir, names[j]));
			file_list_free(names, n);
		}
		sub = file_join(dir, "locks");
		collect_screenlock_read_locks(ctx, sub, d);
		free(sub);
		free(dir);
	}
	file_list_free(dbs, ndb);
}

static void
collect_screenlock_dconf_free(struct screenlock_dconf_files *d)
{
	size_t i;

	for (i = 0; i < d->nfiles; i++)
		free(d->files[i]);
	for (i = 0; i < d->nlocks; i++)
		free(d->locks[i]);
	free(d->files);
	free(d->locks);
}

static bool
collect_screenlock_locked(const struct screenlock_dconf_files *d,
                          const char *dir, const char *key)
{
	char *k = text_printf("/%s/%s", dir, key);
	size_t i;
	bool locked = false;

	for (i = 0; i < d->nlocks && !locked; i++)
		locked = strcmp(d->locks[i], k) == 0;
	free(k);
	return locked;
}

/* Reads the system settings of one dconf desktop into v. */
static void
collect_screenlock_dconf_system(struct collect_ctx *ctx,
                                const struct screenlock_dconf *dk,
                                const struct screenlock_dconf_files *d,
                                struct screenlock_value *v)
{
	struct keyfile kf;
	const char *s;
	long long n;
	size_t i;
	bool b;
	int r;

	v->idle = dk->idle;
	v->lock_delay = dk->lock_delay;
	v->lock = dk->lock;
	v->src_idle = v->src_lock = NULL;
	for (i = 0; i < d->nfiles; i++) {
		memset(&kf, 0, sizeof(kf));
		r = keyfile_load(ctx->rootfd, d->files[i], &kf);
		if (r < 0 && r != -EINVAL) /* EINVAL: not a file */
			collect_file_error(ctx, "screenlock.settings",
			                   d->files[i], r);
		else if (r > 0)
			collect_screenlock_bad(ctx, d->files[i], r);
		if ((s = keyfile_get(&kf, dk->session, "idle-delay", &r)) !=
		    NULL) {
			if (keyfile_gvariant_int(s, &n) && n >= 0) {
				v->idle = n;
				free(v->src_idle);
				v->src_idle = text_dup(d->files[i]);
			} else {
				collect_screenlock_bad(ctx, d->files[i], r);
			}
		}
		if ((s = keyfile_get(&kf, dk->saver, "lock-enabled", &r)) !=
		    NULL) {
			if (keyfile_gvariant_bool(s, &b)) {
				v->lock = b;
				free(v->src_lock);
				v->src_lock = text_dup(d->files[i]);
			} else {
				collect_screenlock_bad(ctx, d->files[i], r);
			}
		}
		if ((s = keyfile_get(&kf, dk->saver, "lock-delay", &r)) !=
		    NULL) {
			if (keyfile_gvariant_int(s, &n) && n >= 0)
				v->lock_delay = n;
			else
				collect_screenlock_bad(ctx, d->files[i], r);
		}
		keyfile_free(&kf);
	}
}

static long long
collect_screenlock_seconds(const struct screenlock_dconf *dk,
                           const struct screenlock_value *v)
{
	if (v->idle <= 0)
		return 0;
	return (v->idle + (v->lock == 1 ? v->lock_delay : 0)) * dk->scale;
}

/* The user's dconf database: an entry when it changes an unlocked key. */
static void
collect_screenlock_dconf_user(struct collect_ctx *ctx, json_t *list,
                              const struct screenlock_user *u,
                              const struct screenlock_dconf *dk,
                              const struct screenlock_dconf_files *d,
                              const struct screenlock_value *sys)
{
	struct screenlock_value v = *sys;
	struct keyfile_gvalue gv;
	char *path = file_join(u->home, ".config/dconf/user"), *key, *buf;
	size_t len;
	bool changed = false;
	int r, k;
	static const char *const keys[3] = {"idle-delay", "lock-enabled",
	                                    "lock-delay"};

	r = file_read(ctx->rootfd, path, FILE_MAX_MEDIUM, &buf, &len);
	if (r < 0) {
		if (r != -ENOENT && r != -ENOTDIR)
			collect_file_error(ctx, "screenlock.settings", path, r);
		free(path);
		return;
	}
	for (k = 0; k < 3; k++) {
		const char *dir = k == 0 ? dk->session : dk->saver;

		key = text_printf("/%s/%s", dir, keys[k]);
		r = keyfile_gvdb_lookup(buf, len, key, &gv);
		free(key);
		if (r < 0) {
			collect_parse_error(
			    ctx, "screenlock.settings", path, 0,
			    "cơ sở dữ liệu dconf (GVDB) không hợp lệ",
			    "invalid dconf (GVDB) database");
			break;
		}
		if (r == 0 || collect_screenlock_locked(d, dir, keys[k]))
			continue;
		if (k == 1 && gv.type == 'b') {
			changed |= v.lock != gv.b;
			v.lock = gv.b;
		} else if (k != 1 && gv.type != 'b' && gv.num >= 0) {
			long long *dst = k == 0 ? &v.idle : &v.lock_delay;

			changed |= *dst != gv.num;
			*dst = gv.num;
		}
	}
	free(buf);
	if (changed && v.lock >= 0 && v.idle >= 0)
		collect_screenlock_item(list, u->name, dk->desktop, v.lock == 1,
		                        collect_screenlock_seconds(dk, &v),
		                        path);
	free(path);
}

/* ---- KDE ---- */

/* Applies a kscreenlockerrc; true when it set something. */
static bool
collect_screenlock_kde_file(struct collect_ctx *ctx, const char *file,
                            bool *lock, long long *idle)
{
	struct keyfile kf;
	const char *s;
	bool set = false, b;
	long n;
	int r;

	memset(&kf, 0, sizeof(kf));
	r = keyfile_load(ctx->rootfd, file, &kf);
	if (r < 0) {
		if (r != -ENOENT && r != -ENOTDIR)
			collect_file_error(ctx, "screenlock.settings", file, r);
		keyfile_free(&kf);
		return false;
	}
	if (r > 0)
		collect_screenlock_bad(ctx, file, r);
	if ((s = keyfile_get(&kf, "Daemon", "Autolock", &r)) != NULL) {
		if (keyfile_bool(s, &b)) {
			*lock = b;
			set = true;
		} else {
			collect_screenlock_bad(ctx, file, r);
		}
	}
	if ((s = keyfile_get(&kf, "Daemon", "Timeout", &r)) != NULL) {
		if (text_to_long(s, &n) && n >= 0 && n < 1000000) {
			*idle = n * 60;
			set = true;
		} else {
			collect_screenlock_bad(ctx, file, r);
		}
	}
	keyfile_free(&kf);
	return set;
}

/* ---- Xfce ---- */

static const char *
collect_screenlock_attr(const char *tag, size_t len, const char *name,
                        size_t *vlen)
{
	size_t nl = strlen(name), i;
	const char *v, *q;

	for (i = 0; i + nl + 2 <= len; i++) {
		if ((i == 0 || tag[i - 1] == ' ' || tag[i - 1] == '\t' ||
		     tag[i - 1] == '\n') &&
		    memcmp(tag + i, name, nl) == 0 && tag[i + nl] == '=' &&
		    tag[i + nl + 1] == '"') {
			v = tag + i + nl + 2;
			q = memchr(v, '"', (size_t)(tag + len - v));
			if (q == NULL)
				return NULL;
			*vlen = (size_t)(q - v);
			return v;
		}
	}
	return NULL;
}

int
collect_screenlock_xfconf(const char *buf, size_t len, const char *prop,
                          char *value, size_t vlen)
{
	const char *p = buf, *end = buf + len, *lt, *gt, *nm, *v;
	char path[1024];
	size_t stack[SCREENLOCK_XML_DEPTH], depth = 0, plen = 0, nl, l;

	if (len > 0 && !text_valid_utf8(buf, len))
		return -1;
	path[0] = '\0';
	while ((lt = memchr(p, '<', (size_t)(end - p))) != NULL) {
		gt = memchr(lt, '>', (size_t)(end - lt));
		if (gt == NULL)
			return -1;
		l = (size_t)(gt - lt);
		p = gt + 1;
		if (l >= 10 && memcmp(lt, "</property", 10) == 0) {
			if (depth == 0)
				return -1;
			plen = stack[--depth];
			path[plen] = '\0';
			continue;
		}
		if (l < 9 || memcmp(lt, "<property", 9) != 0 ||
		    (lt[9] != ' ' && lt[9] != '\t' && lt[9] != '\n'))
			continue;
		nm = collect_screenlock_attr(lt + 9, l - 9, "name", &nl);
		if (nm == NULL || nl == 0 || plen + nl + 2 > sizeof(path) ||
		    depth == SCREENLOCK_XML_DEPTH)
			return -1;
		stack[depth++] = plen;
		path[plen] = '/';
		memcpy(path + plen + 1, nm, nl);
		plen += nl + 1;
		path[plen] = '\0';
		if (strcmp(path, prop) == 0) {
			v = collect_screenlock_attr(lt + 9, l - 9, "value",
			                            &nl);
			if (v == NULL)
				return 0;
			snprintf(value, vlen, "%.*s", (int)nl, v);
			return 1;
		}
		if (gt[-1] == '/') { /* <property .../> */
			plen = stack[--depth];
			path[plen] = '\0';
		}
	}
	return 0;
}

static bool
collect_screenlock_xfce_file(struct collect_ctx *ctx, const char *file,
                             bool *lock, long long *idle)
{
	char *buf, v[64];
	size_t len;
	bool set = false, b, saver = true;
	long n;
	int r;

	r = file_read(ctx->rootfd, file, FILE_MAX_SMALL, &buf, &len);
	if (r < 0) {
		if (r != -ENOENT && r != -ENOTDIR)
			collect_file_error(ctx, "screenlock.settings", file, r);
		return false;
	}
	r = collect_screenlock_xfconf(buf, len, "/lock/enabled", v, sizeof(v));
	if (r == 1 && keyfile_bool(v, &b)) {
		*lock = b;
		set = true;
	} else if (r != 0) {
		collect_screenlock_bad(ctx, file, 0);
	}
	r = collect_screenlock_xfconf(buf, len, "/saver/idle-activation/delay",
	                              v, sizeof(v));
	if (r == 1 && text_to_long(v, &n) && n >= 0 && n < 1000000) {
		*idle = n * 60;
		set = true;
	} else if (r != 0) {
		collect_screenlock_bad(ctx, file, 0);
	}
	r = collect_screenlock_xfconf(buf, len, "/saver/enabled", v, sizeof(v));
	if (r == 1 && keyfile_bool(v, &b)) {
		saver = b;
		set = true;
	}
	if (!saver)
		*idle = 0;
	free(buf);
	return set;
}

/* ---- the collector ---- */

static bool
collect_screenlock_has(json_t *envs, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(envs, i, v) if (strcmp(json_string_value(v), name) ==
	                                   0) return true;
	return false;
}

void
collect_screenlock(struct collect_ctx *ctx)
{
	static const char *const xfce_rel =
	    "xfce4/xfconf/xfce-perchannel-xml/xfce4-screensaver.xml";
	json_t *sec = collect_section(ctx, "screenlock"), *list, *envs,
	       *present = json_path(ctx->facts, "desktop.present");
	struct screenlock_value sys[SCREENLOCK_NDCONF];
	struct screenlock_dconf_files d;
	struct screenlock_user *users;
	bool dconf_on[SCREENLOCK_NDCONF] = {0}, kde, xfce, set, ulock;
	bool kde_lock, xfce_lock;
	long long uidle, kde_idle, xfce_idle;
	size_t nusers, i, k;
	char *f, *src;

	if (!json_is_boolean(present)) {
		collect_unavailable(
		    ctx, "screenlock.settings", "error",
		    "không biết máy có giao diện đồ họa hay không",
		    "unknown whether a desktop is installed");
		return;
	}
	list = json_array();
	if (!json_boolean_value(present)) {
		json_object_set_new(sec, "settings", list);
		return;
	}
	envs = json_path(ctx->facts, "desktop.environments");
	collect_screenlock_dconf_list(ctx, &d);
	for (k = 0; k < SCREENLOCK_NDCONF; k++) {
		dconf_on[k] =
		    collect_screenlock_has(envs, screenlock_dconf[k].desktop);
		if (!dconf_on[k])
			continue;
		collect_screenlock_dconf_system(ctx, &screenlock_dconf[k], &d,
		                                &sys[k]);
		if (sys[k].lock < 0 || sys[k].idle < 0 ||
		    sys[k].lock_delay < 0) {
			collect_unavailable(
			    ctx, "screenlock.settings", "error",
			    "không biết giá trị mặc định của môi trường đồ họa",
			    "the desktop's built-in defaults are unknown");
		} else {
			src =
			    sys[k].src_idle ? sys[k].src_idle : sys[k].src_lock;
			collect_screenlock_item(
			    list, "system", screenlock_dconf[k].desktop,
			    sys[k].lock == 1,
			    collect_screenlock_seconds(&screenlock_dconf[k],
			                               &sys[k]),
			    src ? src : "default");
		}
	}
	/* built-in: KDE Autolock after 5 minutes; Xfce lock after 5 */
	kde = collect_screenlock_has(envs, "kde");
	kde_lock = true;
	kde_idle = 300;
	if (kde) {
		set = collect_screenlock_kde_file(
		    ctx, "/etc/xdg/kscreenlockerrc", &kde_lock, &kde_idle);
		collect_screenlock_item(
		    list, "system", "kde", kde_lock, kde_idle,
		    set ? "/etc/xdg/kscreenlockerrc" : "default");
	}
	xfce = collect_screenlock_has(envs, "xfce");
	xfce_lock = true;
	xfce_idle = 300;
	if (xfce) {
		f = text_printf("/etc/xdg/%s", xfce_rel);
		set = collect_screenlock_xfce_file(ctx, f, &xfce_lock,
		                                   &xfce_idle);
		collect_screenlock_item(list, "system", "xfce", xfce_lock,
		                        xfce_idle, set ? f : "default");
		free(f);
	}

	nusers = collect_screenlock_users(ctx, &users);
	for (i = 0; i < nusers; i++) {
		for (k = 0; k < SCREENLOCK_NDCONF; k++)
			if (dconf_on[k] && sys[k].lock >= 0 && sys[k].idle >= 0)
				collect_screenlock_dconf_user(
				    ctx, list, &users[i], &screenlock_dconf[k],
				    &d, &sys[k]);
		if (kde) {
			ulock = kde_lock;
			uidle = kde_idle;
			f = file_join(users[i].home, ".config/kscreenlockerrc");
			if (collect_screenlock_kde_file(ctx, f, &ulock, &uidle))
				collect_screenlock_item(list, users[i].name,
				                        "kde", ulock, uidle, f);
			free(f);
		}
		if (xfce) {
			ulock = xfce_lock;
			uidle = xfce_idle;
			src = text_printf("%s/.config/%s", users[i].home,
			                  xfce_rel);
			if (collect_screenlock_xfce_file(ctx, src, &ulock,
			                                 &uidle))
				collect_screenlock_item(list, users[i].name,
				                        "xfce", ulock, uidle,
				                        src);
			free(src);
		}
		free(users[i].name);
		free(users[i].home);
	}
	free(users);
	for (k = 0; k < SCREENLOCK_NDCONF; k++)
		if (dconf_on[k]) {
			free(sys[k].src_idle);
			free(sys[k].src_lock);
		}
	collect_screenlock_dconf_free(&d);
	if (json_object_get(ctx->unavailable, "screenlock.settings") == NULL)
		json_object_set_new(sec, "settings", list);
	else
		json_decref(list);
}
