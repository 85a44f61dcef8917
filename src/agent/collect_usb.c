/*
 * collect_usb.c — removable storage policy: usb-storage blacklisted or
 * disabled in modprobe.d(5), USBGuard installed, enabled and blocking by
 * default, the module loaded now (/proc/modules, /sys/module), and the
 * GNOME desktop's automount and autorun of inserted media (dconf
 * org/gnome/desktop/media-handling, defaults automount=true and
 * autorun-never=false).
 */
#define _GNU_SOURCE /* memrchr */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent/collect.h"
#include "agent/keyfile.h"
#include "agent/sysparse.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

#define USB_MAX_FILES 1024

static const char *const usb_modprobe_dirs[] = {
    "/etc/modprobe.d",     "/run/modprobe.d", "/usr/local/lib/modprobe.d",
    "/usr/lib/modprobe.d", "/lib/modprobe.d", NULL,
};

/* kmod compares module names with '-' and '_' alike */
static bool
collect_usb_is(const char *s, size_t n, const char *name)
{
	size_t i;

	if (n != strlen(name))
		return false;
	for (i = 0; i < n; i++)
		if (s[i] != name[i] && !(name[i] == '_' && s[i] == '-'))
			return false;
	return true;
}

bool
collect_usb_blocked(unsigned flags)
{
	return (flags & USB_INSTALL_STORAGE) ||
	    ((flags & USB_BLACKLIST_STORAGE) && (flags & USB_BLACKLIST_UAS));
}

int
collect_usb_parse_modprobe(const char *buf, size_t len, unsigned *flags)
{
	const char *p = buf, *end = buf + len, *l;
	size_t ll;
	int line = 0, bad = 0;

	if (len > 0 && !text_valid_utf8(buf, len))
		return -1;
	while (text_next_line(&p, end, &l, &ll)) {
		const char *w[4];
		size_t wl[4], nw = 0;
		const char *q = l, *le = l + ll;

		line++;
		while (nw < 4) {
			while (q < le && (*q == ' ' || *q == '\t'))
				q++;
			if (q == le || *q == '#')
				break;
			w[nw] = q;
			while (q < le && *q != ' ' && *q != '\t')
				q++;
			wl[nw] = (size_t)(q - w[nw]);
			nw++;
		}
		if (nw == 0)
			continue;
		if (wl[0] == 9 && memcmp(w[0], "blacklist", 9) == 0) {
			if (nw < 2) {
				bad = bad ? bad : line;
				continue;
			}
			if (collect_usb_is(w[1], wl[1], "usb_storage"))
				*flags |= USB_BLACKLIST_STORAGE;
			else if (collect_usb_is(w[1], wl[1], "uas"))
				*flags |= USB_BLACKLIST_UAS;
		} else if (wl[0] == 7 && memcmp(w[0], "install", 7) == 0) {
			const char *b;
			size_t bl;

			if (nw < 3) {
				bad = bad ? bad : line;
				continue;
			}
			if (!collect_usb_is(w[1], wl[1], "usb_storage"))
				continue;
			/* install usb-storage /bin/false (or true, or exit) */
			b = memrchr(w[2], '/', wl[2]);
			b = b ? b + 1 : w[2];
			bl = (size_t)(w[2] + wl[2] - b);
			if ((bl == 5 && memcmp(b, "false", 5) == 0) ||
			    (bl == 4 && memcmp(b, "true", 4) == 0) ||
			    (bl == 4 && memcmp(b, "exit", 4) == 0))
				*flags |= USB_INSTALL_STORAGE;
		}
	}
	return bad;
}

static void
collect_usb_add_file(char ***files, size_t *n, const char *dir,
                     const char *name)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(strrchr((*files)[i], '/') + 1, name) == 0)
			return;
	*files = reallocarray(*files, *n + 1, sizeof(**files));
	if (*files == NULL)
		abort();
	(*files)[(*n)++] = file_join(dir, name);
}

static void
collect_usb_modprobe(struct collect_ctx *ctx, unsigned *flags)
{
	char **files = NULL, **names, *buf, link[4096];
	size_t nfiles = 0, n, i, len;
	int d, r;

	for (d = 0; usb_modprobe_dirs[d] != NULL; d++) {
		if (file_list(ctx->rootfd, usb_modprobe_dirs[d], USB_MAX_FILES,
		              &names, &n) < 0)
			continue;
		for (i = 0; i < n; i++) {
			len = strlen(names[i]);
			if (len > 5 && strcmp(names[i] + len - 5, ".conf") == 0)
				collect_usb_add_file(&files, &nfiles,
				                     usb_modprobe_dirs[d],
				                     names[i]);
		}
		file_list_free(names, n);
	}
	for (i = 0; i < nfiles; i++) {
		if (file_readlink(ctx->rootfd, files[i], link, sizeof(link)) ==
		        0 &&
		    strcmp(link, "/dev/null") == 0)
			continue;
		r = file_read(ctx->rootfd, files[i], FILE_MAX_SMALL, &buf,
		              &len);
		if (r == -ENOENT)
			continue;
		if (r < 0) {
			collect_file_error(ctx, "usb.storage_blocked", files[i],
			                   r);
			continue;
		}
		r = collect_usb_parse_modprobe(buf, len, flags);
		free(buf);
		if (r != 0)
			collect_parse_error(
			    ctx, "usb.storage_blocked", files[i], r > 0 ? r : 0,
			    "dòng không đúng cú pháp", "malformed line");
	}
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
}

/* GNOME media-handling from the dconf system database. */
static void
collect_usb_media(struct collect_ctx *ctx, json_t *sec)
{
	static const char *const group = "org/gnome/desktop/media-handling";
	json_t *present = json_path(ctx->facts, "desktop.present");
	json_t *envs = json_path(ctx->facts, "desktop.environments"), *v;
	char **dbs, **names, *dir, *f;
	size_t ndb, n, i, j, l;
	bool automount = true, never = false, b, gnome = false;
	struct keyfile kf;
	const char *s;
	int r, line;

	if (!json_is_boolean(present)) {
		collect_unavailable(
		    ctx, "usb.automount", "error",
		    "không biết máy có giao diện đồ họa hay không",
		    "unknown whether a desktop is installed");
		collect_unavailable(
		    ctx, "usb.autorun", "error",
		    "không biết máy có giao diện đồ họa hay không",
		    "unknown whether a desktop is installed");
		return;
	}
	json_array_foreach(
	    envs, i, v) if (strcmp(json_string_value(v), "gnome") == 0 ||
	                    strcmp(json_string_value(v), "cinnamon") == 0 ||
	                    strcmp(json_string_value(v), "mate") == 0) gnome =
	    true;
	if (!json_boolean_value(present) || !gnome) {
		/* no desktop, or one that does not automount by default */
		json_set_bool(sec, "automount", false);
		json_set_bool(sec, "autorun", false);
		return;
	}
	if (file_list(ctx->rootfd, "/etc/dconf/db", USB_MAX_FILES, &dbs,
	              &ndb) == 0) {
		for (i = 0; i < ndb; i++) {
			l = strlen(dbs[i]);
			if (l < 3 || strcmp(dbs[i] + l - 2, ".d") != 0)
				continue;
			dir = file_join("/etc/dconf/db", dbs[i]);
			if (file_list(ctx->rootfd, dir, USB_MAX_FILES, &names,
			              &n) < 0) {
				free(dir);
				continue;
			}
			for (j = 0; j < n; j++) {
				if (strcmp(names[j], "locks") == 0)
					continue;
				f = file_join(dir, names[j]);
				memset(&kf, 0, sizeof(kf));
				r = keyfile_load(ctx->rootfd, f, &kf);
				if (r > 0 || (r < 0 && r != -EINVAL)) {
					if (r > 0)
						collect_parse_error(
						    ctx, "usb.automount", f, r,
						    "dòng không đúng cú pháp",
						    "malformed line");
					else
						collect_file_error(
						    ctx, "usb.automount", f, r);
					collect_unavailable(
					    ctx, "usb.autorun", "error",
					    "tệp dconf không đọc được",
					    "a dconf file could not be read");
				}
				if ((s = keyfile_get(&kf, group, "automount",
				                     &line)) != NULL &&
				    keyfile_gvariant_bool(s, &b))
					automount = b;
				if ((s = keyfile_get(&kf, group,
				                     "autorun-never", &line)) !=
				        NULL &&
				    keyfile_gvariant_bool(s, &b))
					never = b;
				keyfile_free(&kf);
				free(f);
			}
			file_list_free(names, n);
			free(dir);
		}
		file_list_free(dbs, ndb);
	}
	if (json_object_get(ctx->unavailable, "usb.automount") == NULL)
		json_set_bool(sec, "automount", automount);
	if (json_object_get(ctx->unavailable, "usb.autorun") == NULL)
		json_set_bool(sec, "autorun", !never);
}

void
collect_usb(struct collect_ctx *ctx)
{
	json_t *sec = collect_section(ctx, "usb");
	struct keyfile kf;
	const char *target;
	bool blocked, installed, enabled, known = true;
	unsigned flags = 0;
	char *mods;
	size_t len;
	int r;

	collect_usb_modprobe(ctx, &flags);
	blocked = collect_usb_blocked(flags);

	memset(&kf, 0, sizeof(kf));
	r = keyfile_load(ctx->rootfd, "/etc/usbguard/usbguard-daemon.conf",
	                 &kf);
	installed = r != -ENOENT;
	if (r < 0 && r != -ENOENT) {
		collect_file_error(ctx, "usb.usbguard",
		                   "/etc/usbguard/usbguard-daemon.conf", r);
		collect_file_error(ctx, "usb.storage_blocked",
		                   "/etc/usbguard/usbguard-daemon.conf", r);
	}
	enabled = collect_unit_enabled(ctx, "usbguard.service", &known);
	if (!known) {
		collect_unavailable(
		    ctx, "usb.usbguard", "error",
		    "không biết các dịch vụ được bật (services.enabled)",
		    "the enabled services are unknown (services.enabled)");
	} else if (json_object_get(ctx->unavailable, "usb.usbguard") == NULL) {
		json_set_bool(sec, "usbguard", installed && enabled);
	}
	target = keyfile_get(&kf, "", "ImplicitPolicyTarget", NULL);
	if (installed && enabled && target != NULL &&
	    (strcmp(target, "block") == 0 || strcmp(target, "reject") == 0))
		blocked = true;
	keyfile_free(&kf);
	/* blocked is known true as soon as one rule blocks */
	if (blocked)
		json_object_del(ctx->unavailable, "usb.storage_blocked");
	if (json_object_get(ctx->unavailable, "usb.storage_blocked") == NULL)
		json_set_bool(sec, "storage_blocked", blocked);

	if (ctx->live) {
		bool loaded =
		    file_exists(ctx->rootfd, "/sys/module/usb_storage");

		if (!loaded && file_read(ctx->rootfd, "/proc/modules",
		                         FILE_MAX_MEDIUM, &mods, &len) == 0) {
			loaded = strncmp(mods, "usb_storage ", 12) == 0 ||
			         strstr(mods, "\nusb_storage ") != NULL;
			free(mods);
		}
		json_set_bool(sec, "storage_loaded", loaded);
	} else {
		collect_not_live(ctx, "usb.storage_loaded");
	}
	collect_usb_media(ctx, sec);
}
