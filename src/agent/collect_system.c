/*
 * collect_system.c — the computer (host name, kernel, architecture,
 * uptime, virtualisation, pending reboot) and its operating system
 * (os-release(5)). File-based facts are read inside the audited root;
 * the running kernel, uptime and virtualisation only on the live system.
 */
#define _GNU_SOURCE /* strcasestr */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "agent/collect.h"
#include "agent/sysparse.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

#define SYSTEM_MAX_HOSTNAME 253
#define SYSTEM_MAX_KERNELS 512

/* ---- os-release ---- */

/* Unquotes an os-release value (shell-like: "...", '...', \ escapes).
 * Returns NULL when the quoting is broken. */
static char *
collect_system_unquote(const char *v, size_t len)
{
	char *out = malloc(len + 1), q = 0;
	size_t i, o = 0;

	if (out == NULL)
		abort();
	for (i = 0; i < len; i++) {
		char c = v[i];

		if (q == 0 && (c == '"' || c == '\'')) {
			q = c;
		} else if (q != 0 && c == q) {
			q = 0;
		} else if (c == '\\' && q != '\'' && i + 1 < len) {
			out[o++] = v[++i];
		} else if (q == 0 &&
		           (c == ' ' || c == '\t' || c == '`' || c == '$' ||
		            c == ';' || c == '|' || c == '&')) {
			/* unquoted shell syntax: not a plain assignment */
			free(out);
			return NULL;
		} else {
			out[o++] = c;
		}
	}
	if (q != 0) {
		free(out);
		return NULL;
	}
	out[o] = '\0';
	return out;
}

static void
collect_system_set(char **dst, char *v)
{
	free(*dst);
	*dst = v;
}

int
collect_system_parse_os_release(const char *buf, size_t len,
                                struct os_release *rel)
{
	const char *p = buf, *end = buf + len, *l, *eq;
	size_t ll;
	int line = 0, bad = 0;

	if (len > 0 && !text_valid_utf8(buf, len))
		return -1;
	while (text_next_line(&p, end, &l, &ll)) {
		char *key, *v;

		line++;
		text_trim_span(&l, &ll);
		if (ll == 0 || *l == '#')
			continue;
		eq = memchr(l, '=', ll);
		if (eq == NULL || eq == l) {
			if (bad == 0)
				bad = line;
			continue;
		}
		v = collect_system_unquote(eq + 1, ll - (size_t)(eq + 1 - l));
		if (v == NULL) {
			if (bad == 0)
				bad = line;
			continue;
		}
		key = text_ndup(l, (size_t)(eq - l));
		if (strcmp(key, "ID") == 0)
			collect_system_set(&rel->id, v);
		else if (strcmp(key, "ID_LIKE") == 0)
			collect_system_set(&rel->id_like, v);
		else if (strcmp(key, "NAME") == 0)
			collect_system_set(&rel->name, v);
		else if (strcmp(key, "PRETTY_NAME") == 0)
			collect_system_set(&rel->pretty_name, v);
		else if (strcmp(key, "VERSION_ID") == 0)
			collect_system_set(&rel->version_id, v);
		else if (strcmp(key, "VERSION_CODENAME") == 0)
			collect_system_set(&rel->codename, v);
		else
			free(v);
		free(key);
	}
	return bad;
}

void
collect_system_os_release_free(struct os_release *rel)
{
	free(rel->id);
	free(rel->id_like);
	free(rel->name);
	free(rel->pretty_name);
	free(rel->version_id);
	free(rel->codename);
	memset(rel, 0, sizeof(*rel));
}

static bool
collect_system_word_in(const struct os_release *rel, const char *const *set)
{
	const char *ids[2] = {rel->id, rel->id_like};
	char *copy, *tok, *save;
	bool found = false;
	int i, k;

	for (i = 0; i < 2 && !found; i++) {
		if (ids[i] == NULL)
			continue;
		copy = text_dup(ids[i]);
		for (tok = strtok_r(copy, " ", &save); tok != NULL && !found;
		     tok = strtok_r(NULL, " ", &save))
			for (k = 0; set[k] != NULL; k++)
				if (strcmp(tok, set[k]) == 0)
					found = true;
		free(copy);
	}
	return found;
}

static const char *
collect_system_family(const struct os_release *rel)
{
	static const char *const debian[] = {"debian", "ubuntu", NULL};
	static const char *const rhel[] = {"rhel",  "fedora",    "centos",
	                                   "rocky", "almalinux", NULL};
	static const char *const suse[] = {
	    "suse", "opensuse", "sles", "opensuse-leap", "opensuse-tumbleweed",
	    NULL};
	static const char *const arch[] = {"arch", "archlinux", NULL};

	if (collect_system_word_in(rel, debian))
		return "debian";
	if (collect_system_word_in(rel, rhel))
		return "rhel";
	if (collect_system_word_in(rel, suse))
		return "suse";
	if (collect_system_word_in(rel, arch))
		return "arch";
	return "other";
}

static void
collect_system_os(struct collect_ctx *ctx)
{
	struct os_release rel = {0};
	const char *file = "/etc/os-release";
	char *buf = NULL, *release, *copy, *tok, *save;
	size_t len;
	json_t *os, *like;
	int r;

	r = file_read(ctx->rootfd, file, FILE_MAX_SMALL, &buf, &len);
	if (r == -ENOENT) {
		file = "/usr/lib/os-release";
		r = file_read(ctx->rootfd, file, FILE_MAX_SMALL, &buf, &len);
	}
	if (r < 0) {
		collect_file_error(ctx, "os", file, r);
		return;
	}
	r = collect_system_parse_os_release(buf, len, &rel);
	free(buf);
	if (r != 0) {
		collect_parse_error(ctx, "os", file, r > 0 ? r : 0,
		                    r > 0 ? "dòng không đúng cú pháp KEY=VALUE"
		                          : "tệp không phải văn bản UTF-8",
		                    r > 0 ? "line is not KEY=VALUE"
		                          : "file is not UTF-8 text");
		collect_system_os_release_free(&rel);
		return;
	}
	os = collect_section(ctx, "os");
	/* os-release(5): ID defaults to "linux", PRETTY_NAME to "Linux" */
	json_set_str(os, "id", rel.id ? rel.id : "linux");
	like = json_array();
	if (rel.id_like != NULL) {
		copy = text_dup(rel.id_like);
		for (tok = strtok_r(copy, " ", &save); tok != NULL;
		     tok = strtok_r(NULL, " ", &save))
			json_array_append_new(like, json_string(tok));
		free(copy);
	}
	json_object_set_new(os, "id_like", like);
	json_set_str(os, "name",
	             rel.pretty_name ? rel.pretty_name
	             : rel.name      ? rel.name
	                             : "Linux");
	json_set_str(os, "version_id", rel.version_id ? rel.version_id : "");
	json_set_str(os, "codename", rel.codename ? rel.codename : "");
	release = text_printf("%s %s", rel.id ? rel.id : "linux",
	                      rel.version_id ? rel.version_id : "");
	text_trim(release);
	json_set_str(os, "release", release);
	free(release);
	json_set_str(os, "family", collect_system_family(&rel));
	collect_system_os_release_free(&rel);
}

/* ---- kernels ---- */

int
collect_system_kernel_cmp(const char *a, const char *b)
{
	while (*a != '\0' || *b != '\0') {
		if ((*a >= '0' && *a <= '9') && (*b >= '0' && *b <= '9')) {
			const char *sa, *sb;
			size_t la, lb;
			int c;

			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			for (sa = a; *a >= '0' && *a <= '9'; a++)
				;
			for (sb = b; *b >= '0' && *b <= '9'; b++)
				;
			la = (size_t)(a - sa);
			lb = (size_t)(b - sb);
			if (la != lb)
				return la < lb ? -1 : 1;
			c = memcmp(sa, sb, la);
			if (c != 0)
				return c < 0 ? -1 : 1;
			continue;
		}
		/* '~' sorts before everything, the end before any text */
		if (*a != *b) {
			if (*a == '~')
				return -1;
			if (*b == '~')
				return 1;
			if (*a == '\0')
				return -1;
			if (*b == '\0')
				return 1;
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		}
		a++;
		b++;
	}
	return 0;
}

/* A plausible kernel release: a digit first, then [A-Za-z0-9._+~-]. */
static bool
collect_system_kernel_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64 || s[0] < '0' || s[0] > '9')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("._+~-", *s)))
			return false;
	return true;
}

/* Newest kernel in /boot (vmlinuz-*, vmlinux-*) and /lib/modules/. */
static char *
collect_system_latest_kernel(struct collect_ctx *ctx)
{
	static const char *const dirs[] = {"/boot", "/lib/modules",
	                                   "/usr/lib/modules", NULL};
	char **names, *best = NULL;
	const char *k;
	size_t n, i;
	int d;

	for (d = 0; dirs[d] != NULL; d++) {
		if (file_list(ctx->rootfd, dirs[d], SYSTEM_MAX_KERNELS, &names,
		              &n) < 0)
			continue;
		for (i = 0; i < n; i++) {
			k = names[i];
			if (d == 0) {
				if (strncmp(k, "vmlinuz-", 8) != 0 &&
				    strncmp(k, "vmlinux-", 8) != 0)
					continue;
				k += 8;
			}
			if (!collect_system_kernel_name(k))
				continue;
			if (best == NULL ||
			    collect_system_kernel_cmp(k, best) > 0) {
				free(best);
				best = text_dup(k);
			}
		}
		file_list_free(names, n);
	}
	return best;
}

/* ---- architecture ---- */

/* From the ELF header of a system program: e_machine. */
static const char *
collect_system_elf_arch(struct collect_ctx *ctx)
{
	static const char *const progs[] = {"/bin/sh", "/usr/bin/sh", "/bin/ls",
	                                    "/usr/bin/ls", NULL};
	const unsigned char *m;
	const char *map, *arch = NULL;
	size_t len;
	unsigned mach;
	int i;

	for (i = 0; progs[i] != NULL && arch == NULL; i++) {
		if (file_map(ctx->rootfd, progs[i], FILE_MAX_MEDIUM, &map,
		             &len) < 0)
			continue;
		m = (const unsigned char *)map;
		if (len >= 20 && memcmp(m, "\177ELF", 4) == 0) {
			mach = m[5] == 2 ? (unsigned)m[18] << 8 | m[19]
			                 : (unsigned)m[19] << 8 | m[18];
			switch (mach) {
			case 62:
				arch = "x86_64";
				break;
			case 3:
				arch = "i686";
				break;
			case 183:
				arch = "aarch64";
				break;
			case 40:
				arch = "armv7l";
				break;
			case 243:
				arch = "riscv64";
				break;
			case 21:
				arch = m[5] == 1 ? "ppc64le" : "ppc64";
				break;
			case 22:
				arch = "s390x";
				break;
			case 258:
				arch = "loongarch64";
				break;
			default:
				break;
			}
		}
		file_unmap(map, len);
	}
	return arch;
}

/* From the Debian flavour of a kernel release ("...-amd64"). */
static const char *
collect_system_flavour_arch(const char *kernel)
{
	static const char *const map[][2] = {
	    {"-amd64", "x86_64"},      {"-cloud-amd64", "x86_64"},
	    {"-arm64", "aarch64"},     {"-686", "i686"},
	    {"-686-pae", "i686"},      {"-armmp", "armv7l"},
	    {"-armmp-lpae", "armv7l"}, {"-powerpc64le", "ppc64le"},
	    {"-s390x", "s390x"},       {"-riscv64", "riscv64"},
	    {"-generic", NULL},
	};
	size_t i, kl, sl;

	if (kernel == NULL)
		return NULL;
	kl = strlen(kernel);
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		sl = strlen(map[i][0]);
		if (kl > sl && strcmp(kernel + kl - sl, map[i][0]) == 0)
			return map[i][1];
	}
	return NULL;
}

/* ---- host name ---- */

static void
collect_system_hostname(struct collect_ctx *ctx, json_t *sys)
{
	const char *file = "/etc/hostname", *l, *p;
	char *buf, *name;
	size_t len, ll;
	int r;

	r = file_read(ctx->rootfd, file, FILE_MAX_SMALL, &buf, &len);
	if (r == 0) {
		/* hostname(5): the first line that is not a comment */
		p = buf;
		name = NULL;
		while (name == NULL && text_next_line(&p, buf + len, &l, &ll)) {
			char *t = text_ndup(l, ll);

			text_trim(t);
			if (t[0] == '\0' || t[0] == '#')
				free(t);
			else
				name = t;
		}
		free(buf);
		if (name != NULL && strlen(name) <= SYSTEM_MAX_HOSTNAME &&
		    text_valid_utf8(name, strlen(name))) {
			json_set_str(sys, "hostname", name);
			free(name);
			return;
		}
		free(name);
		if (name != NULL) {
			collect_parse_error(ctx, "system.hostname", file, 1,
			                    "tên máy không hợp lệ",
			                    "invalid host name");
			return;
		}
	} else if (r != -ENOENT) {
		collect_file_error(ctx, "system.hostname", file, r);
		return;
	}
	if (ctx->live) {
		struct utsname u;

		if (uname(&u) == 0) {
			json_set_str(sys, "hostname", u.nodename);
			return;
		}
	}
	collect_unavailable(ctx, "system.hostname", "error",
	                    "không tìm thấy tên máy (/etc/hostname)",
	                    "no host name found (/etc/hostname)");
}

/* ---- live facts ---- */

static char *
collect_system_first_line(const char *path)
{
	char *buf, *nl;
	size_t len;

	if (file_read_path(path, 4096, &buf, &len) < 0)
		return NULL;
	nl = strchr(buf, '\n');
	if (nl != NULL)
		*nl = '\0';
	text_trim(buf);
	return buf;
}

static bool
collect_system_contains_ci(const char *hay, const char *needle)
{
	return hay != NULL && strcasestr(hay, needle) != NULL;
}

static const char *
collect_system_virtual(void)
{
	static const char *const vendors[][2] = {
	    {"QEMU", "kvm"},
	    {"KVM", "kvm"},
	    {"VMware", "vmware"},
	    {"innotek", "virtualbox"},
	    {"VirtualBox", "virtualbox"},
	    {"Xen", "xen"},
	    {"Bochs", "bochs"},
	    {"Parallels", "parallels"},
	    {"Amazon EC2", "amazon"},
	    {"Google Compute Engine", "google"},
	    {"OpenStack", "kvm"},
	};
	const char *v = NULL;
	char *vendor, *product, *env, *cpu, *e;
	size_t len, i;

	if (file_read_path("/run/systemd/container", 4096, &e, &len) == 0) {
		free(e);
		return "container";
	}
	if (file_read_path("/.dockerenv", 4096, &e, &len) == 0) {
		free(e);
		return "container";
	}
	if (file_read_path("/proc/1/environ", 65536, &env, &len) == 0) {
		for (e = env; e < env + len; e += strlen(e) + 1)
			if (strncmp(e, "container=", 10) == 0)
				v = "container";
		free(env);
		if (v != NULL)
			return v;
	}
	vendor = collect_system_first_line("/sys/class/dmi/id/sys_vendor");
	product = collect_system_first_line("/sys/class/dmi/id/product_name");
	for (i = 0; i < sizeof(vendors) / sizeof(vendors[0]) && v == NULL; i++)
		if (collect_system_contains_ci(vendor, vendors[i][0]) ||
		    collect_system_contains_ci(product, vendors[i][0]))
			v = vendors[i][1];
	if (v == NULL && collect_system_contains_ci(vendor, "Microsoft") &&
	    collect_system_contains_ci(product, "Virtual"))
		v = "microsoft";
	free(vendor);
	free(product);
	if (v != NULL)
		return v;
	if (file_read_path("/proc/cpuinfo", FILE_MAX_SMALL, &cpu, &len) == 0) {
		if (strstr(cpu, " hypervisor") != NULL)
			v = "other";
		free(cpu);
	}
	return v ? v : "none";
}

static void
collect_system_live(struct collect_ctx *ctx, json_t *sys, const char *latest)
{
	char *kernel, *up, *stat, *bt, tbuf[32];
	size_t len;
	bool reboot;
	long long boot = -1;

	kernel = collect_system_first_line("/proc/sys/kernel/osrelease");
	if (kernel == NULL) {
		struct utsname u;

		if (uname(&u) == 0)
			kernel = text_dup(u.release);
	}
	if (kernel != NULL)
		json_set_str(sys, "kernel", kernel);
	else
		collect_unavailable(ctx, "system.kernel", "error",
		                    "không đọc được phiên bản nhân",
		                    "cannot read the kernel "
		                    "release");

	up = collect_system_first_line("/proc/uptime");
	if (up != NULL) {
		char *endp;
		double d = strtod(up, &endp);

		if (endp != up && d >= 0 && d < 1e10)
			json_set_int(sys, "uptime_seconds", (long long)d);
		else
			collect_parse_error(
			    ctx, "system.uptime_seconds", "/proc/uptime", 1,
			    "giá trị không hợp lệ", "invalid value");
		free(up);
	} else {
		collect_unavailable(ctx, "system.uptime_seconds", "error",
		                    "không đọc được /proc/uptime",
		                    "cannot read /proc/uptime");
	}

	if (file_read_path("/proc/stat", FILE_MAX_SMALL, &stat, &len) == 0) {
		bt = strstr(stat, "\nbtime ");
		if (bt != NULL)
			boot = strtoll(bt + 7, NULL, 10);
		free(stat);
	}
	if (boot > 0) {
		json_time(boot, tbuf, sizeof(tbuf));
		json_set_str(sys, "boot_time", tbuf);
	} else {
		collect_unavailable(
		    ctx, "system.boot_time", "error",
		    "không đọc được thời điểm khởi động (/proc/stat)",
		    "cannot read the boot time (/proc/stat)");
	}

	json_set_str(sys, "virtual", collect_system_virtual());

	reboot = file_exists(ctx->rootfd, "/run/reboot-required");
	if (!reboot && kernel != NULL && latest != NULL &&
	    collect_system_kernel_cmp(latest, kernel) > 0)
		reboot = true;
	json_set_bool(sys, "reboot_required", reboot);
	free(kernel);
}

void
collect_system(struct collect_ctx *ctx)
{
	json_t *sys = collect_section(ctx, "system");
	char *latest = collect_system_latest_kernel(ctx);
	const char *arch = NULL;

	collect_system_hostname(ctx, sys);
	json_set_str(sys, "kernel_latest_installed", latest ? latest : "");
	if (ctx->live) {
		struct utsname u;

		if (uname(&u) == 0)
			json_set_str(sys, "arch", u.machine);
		else
			collect_unavailable(
			    ctx, "system.arch", "error",
			    "không xác định được kiến trúc máy",
			    "cannot tell the machine architecture");
		collect_system_live(ctx, sys, latest);
	} else {
		arch = collect_system_elf_arch(ctx);
		if (arch == NULL)
			arch = collect_system_flavour_arch(latest);
		if (arch != NULL)
			json_set_str(sys, "arch", arch);
		else
			collect_unavailable(
			    ctx, "system.arch", "error",
			    "không xác định được kiến trúc máy",
			    "cannot tell the machine architecture");
		collect_not_live(ctx, "system.kernel");
		collect_not_live(ctx, "system.uptime_seconds");
		collect_not_live(ctx, "system.boot_time");
		collect_not_live(ctx, "system.virtual");
		collect_not_live(ctx, "system.reboot_required");
	}
	free(latest);
	collect_system_os(ctx);
}
