/*
 * collect_desktop.c — the graphical desktop: the display manager (the
 * display-manager.service alias, /etc/X11/default-display-manager, or
 * the configuration directories present), the desktop sessions installed
 * (xsessions and wayland-sessions .desktop files), and whether the login
 * screen lets a guest in or logs someone in without a password (LightDM,
 * GDM and SDDM keyfiles).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/collect.h"
#include "agent/keyfile.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

#define DESKTOP_MAX_FILES 512

/* Display managers by program or unit name. */
static const char *
collect_desktop_dm_name(const char *s)
{
	static const char *const known[] = {"gdm3", "gdm",  "lightdm", "sddm",
	                                    "xdm",  "lxdm", "slim",    "nodm",
	                                    "wdm",  "ly",   "greetd",  NULL};
	const char *b = strrchr(s, '/');
	size_t i, n;

	b = b ? b + 1 : s;
	for (i = 0; known[i] != NULL; i++) {
		n = strlen(known[i]);
		if (strncmp(b, known[i], n) == 0 &&
		    (b[n] == '\0' || strcmp(b + n, ".service") == 0))
			return known[i];
	}
	return NULL;
}

static const char *
collect_desktop_dm(struct collect_ctx *ctx)
{
	char target[4096], *buf;
	const char *dm = NULL;
	size_t len;

	if (file_readlink(ctx->rootfd,
	                  "/etc/systemd/system/"
	                  "display-manager.service",
	                  target, sizeof(target)) == 0)
		dm = collect_desktop_dm_name(target);
	if (dm == NULL &&
	    file_read(ctx->rootfd, "/etc/X11/default-display-manager", 4096,
	              &buf, &len) == 0) {
		text_trim(buf);
		dm = collect_desktop_dm_name(buf);
		free(buf);
	}
	if (dm == NULL) {
		if (file_exists(ctx->rootfd, "/etc/gdm3/daemon.conf") ||
		    file_exists(ctx->rootfd, "/etc/gdm3/custom.conf"))
			dm = "gdm3";
		else if (file_exists(ctx->rootfd, "/etc/gdm/custom.conf"))
			dm = "gdm";
		else if (file_exists(ctx->rootfd, "/etc/lightdm/lightdm.conf"))
			dm = "lightdm";
		else if (file_exists(ctx->rootfd, "/etc/sddm.conf") ||
		         file_exists(ctx->rootfd, "/etc/sddm.conf.d"))
			dm = "sddm";
	}
	return dm ? dm : "";
}

/* A desktop environment's short name from DesktopNames or a file name. */
static const char *
collect_desktop_env(const char *s)
{
	static const char *const map[][2] = {
	    {"gnome", "gnome"},
	    {"ubuntu", "gnome"},
	    {"kde", "kde"},
	    {"plasma", "kde"},
	    {"xfce", "xfce"},
	    {"x-cinnamon", "cinnamon"},
	    {"cinnamon", "cinnamon"},
	    {"mate", "mate"},
	    {"lxqt", "lxqt"},
	    {"lxde", "lxde"},
	    {"budgie", "budgie"},
	    {"unity", "unity"},
	    {"pantheon", "pantheon"},
	    {"deepin", "deepin"},
	    {"enlightenment", "enlightenment"},
	};
	size_t i, n;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		n = strlen(map[i][0]);
		if (strncasecmp(s, map[i][0], n) == 0)
			return map[i][1];
	}
	return NULL;
}

static void
collect_desktop_add(json_t *arr, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v) if (strcmp(json_string_value(v), name) ==
	                                  0) return;
	json_array_append_new(arr, json_string(name));
}

static void
collect_desktop_sessions(struct collect_ctx *ctx, json_t *envs)
{
	static const char *const dirs[] = {"/usr/share/xsessions",
	                                   "/usr/share/wayland-sessions", NULL};
	const char *env, *names_v;
	struct keyfile kf;
	char **names, *f, *stem, *sc;
	size_t n, i, len;
	int d;

	for (d = 0; dirs[d] != NULL; d++) {
		if (file_list(ctx->rootfd, dirs[d], DESKTOP_MAX_FILES, &names,
		              &n) < 0)
			continue;
		for (i = 0; i < n; i++) {
			len = strlen(names[i]);
			if (len <= 8 || strcmp(names[i] + len - 8, ".desktop"))
				continue;
			env = NULL;
			f = file_join(dirs[d], names[i]);
			memset(&kf, 0, sizeof(kf));
			keyfile_load(ctx->rootfd, f, &kf);
			names_v = keyfile_get(&kf, "Desktop Entry",
			                      "DesktopNames", NULL);
			if (names_v != NULL)
				env = collect_desktop_env(names_v);
			/* an unreadable or odd file still shows a session */
			if (env == NULL)
				env = collect_desktop_env(names[i]);
			if (env != NULL) {
				collect_desktop_add(envs, env);
			} else {
				stem = text_ndup(names[i], len - 8);
				for (sc = stem; *sc; sc++)
					*sc = (char)tolower((unsigned char)*sc);
				if (text_valid_utf8(stem, strlen(stem)))
					collect_desktop_add(envs, stem);
				free(stem);
			}
			keyfile_free(&kf);
			free(f);
		}
		file_list_free(names, n);
	}
}

/* Applies one keyfile of a display manager with fn; errors go to both
 * login facts. */
typedef void desktop_fn(const struct keyfile *kf, bool *guest, bool *autologin);

static void
collect_desktop_apply(struct collect_ctx *ctx, const char *file, desktop_fn *fn,
                      bool *guest, bool *autologin)
{
	struct keyfile kf;
	int r;

	memset(&kf, 0, sizeof(kf));
	r = keyfile_load(ctx->rootfd, file, &kf);
	if (r == -ENOENT) {
		keyfile_free(&kf);
		return;
	}
	if (r < 0) {
		collect_file_error(ctx, "desktop.guest_login", file, r);
		collect_file_error(ctx, "desktop.autologin", file, r);
	} else if (r > 0) {
		collect_parse_error(ctx, "desktop.guest_login", file, r,
		                    "dòng không đúng cú pháp",
		                    "malformed line");
		collect_parse_error(ctx, "desktop.autologin", file, r,
		                    "dòng không đúng cú pháp",
		                    "malformed line");
	}
	fn(&kf, guest, autologin);
	keyfile_free(&kf);
}

/* Each file of dir ending in suffix, in name order. */
static void
collect_desktop_apply_dir(struct collect_ctx *ctx, const char *dir,
                          desktop_fn *fn, bool *guest, bool *autologin)
{
	char **names, *f;
	size_t n, i, l;

	if (file_list(ctx->rootfd, dir, DESKTOP_MAX_FILES, &names, &n) < 0)
		return;
	for (i = 0; i < n; i++) {
		l = strlen(names[i]);
		if (l < 6 || strcmp(names[i] + l - 5, ".conf") != 0)
			continue;
		f = file_join(dir, names[i]);
		collect_desktop_apply(ctx, f, fn, guest, autologin);
		free(f);
	}
	file_list_free(names, n);
}

/* LightDM: [Seat:*], [Seat:NAME] or the old [SeatDefaults]; later files
 * override earlier ones key by key. */
static void
collect_desktop_lightdm(const struct keyfile *kf, bool *guest, bool *autologin)
{
	size_t i;
	bool b;

	for (i = 0; i < kf->n; i++) {
		const struct keyfile_entry *e = &kf->e[i];

		if (strncmp(e->group, "Seat", 4) != 0)
			continue;
		if (strcmp(e->key, "allow-guest") == 0 &&
		    keyfile_bool(e->value, &b))
			*guest = b;
		else if (strcmp(e->key, "autologin-user") == 0)
			*autologin = e->value[0] != '\0';
		else if (strcmp(e->key, "autologin-guest") == 0 &&
		         keyfile_bool(e->value, &b) && b)
			*autologin = *guest = true;
	}
}

static void
collect_desktop_gdm(const struct keyfile *kf, bool *guest, bool *autologin)
{
	const char *v;
	bool b;

	(void)guest; /* GDM has no guest session */
	if ((v = keyfile_get(kf, "daemon", "AutomaticLoginEnable", NULL)) !=
	        NULL &&
	    keyfile_bool(v, &b))
		*autologin = b;
	if ((v = keyfile_get(kf, "daemon", "TimedLoginEnable", NULL)) != NULL &&
	    keyfile_bool(v, &b) && b)
		*autologin = true;
}

static void
collect_desktop_sddm(const struct keyfile *kf, bool *guest, bool *autologin)
{
	const char *v = keyfile_get(kf, "Autologin", "User", NULL);

	(void)guest;
	if (v != NULL)
		*autologin = v[0] != '\0';
}

void
collect_desktop(struct collect_ctx *ctx)
{
	json_t *sec = collect_section(ctx, "desktop"), *envs = json_array();
	const char *dm = collect_desktop_dm(ctx);
	bool guest = false, autologin = false, any;

	collect_desktop_sessions(ctx, envs);
	json_set_bool(sec, "present",
	              dm[0] != '\0' || json_array_size(envs) > 0);
	json_set_str(sec, "display_manager", dm);
	json_object_set_new(sec, "environments", envs);

	/* the display manager in use; all of them when none is known */
	any = dm[0] == '\0';
	if (any || strcmp(dm, "lightdm") == 0) {
		collect_desktop_apply_dir(
		    ctx, "/usr/share/lightdm/lightdm.conf.d",
		    collect_desktop_lightdm, &guest, &autologin);
		collect_desktop_apply_dir(ctx, "/etc/lightdm/lightdm.conf.d",
		                          collect_desktop_lightdm, &guest,
		                          &autologin);
		collect_desktop_apply(ctx, "/etc/lightdm/lightdm.conf",
		                      collect_desktop_lightdm, &guest,
		                      &autologin);
	}
	if (any || strncmp(dm, "gdm", 3) == 0) {
		collect_desktop_apply(ctx, "/etc/gdm3/daemon.conf",
		                      collect_desktop_gdm, &guest, &autologin);
		collect_desktop_apply(ctx, "/etc/gdm3/custom.conf",
		                      collect_desktop_gdm, &guest, &autologin);
		collect_desktop_apply(ctx, "/etc/gdm/custom.conf",
		                      collect_desktop_gdm, &guest, &autologin);
	}
	if (any || strcmp(dm, "sddm") == 0) {
		collect_desktop_apply_dir(ctx, "/usr/lib/sddm/sddm.conf.d",
		                          collect_desktop_sddm, &guest,
		                          &autologin);
		collect_desktop_apply_dir(ctx, "/etc/sddm.conf.d",
		                          collect_desktop_sddm, &guest,
		                          &autologin);
		collect_desktop_apply(ctx, "/etc/sddm.conf",
		                      collect_desktop_sddm, &guest, &autologin);
	}
	if (json_object_get(ctx->unavailable, "desktop.guest_login") == NULL)
		json_set_bool(sec, "guest_login", guest);
	if (json_object_get(ctx->unavailable, "desktop.autologin") == NULL)
		json_set_bool(sec, "autologin", autologin);
}
