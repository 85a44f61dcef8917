/*
 * test_packages.c — the packages collector over the fixture trees (weak:
 * unknown origins, pending security updates, a trusted=yes source, stale
 * lists; hardened: everything official and current; malformed: errors,
 * never a crash) and over small trees made here for the cases no fixture
 * holds (missing lists, broken lists, apt.conf forms, no manager).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "testutil.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

static json_t *
params(void)
{
	return json_pack("{s:[s,s], s:[], s:i}", "suspicious_names",
	    "(?i)crack", "keygen", "official_mirrors",
	    "software_scan_max_files", 200000);
}

static json_t *
item(struct collect_ctx *ctx, const char *list, const char *name)
{
	return testutil_item(testutil_fact(ctx, list), "name", name);
}

static const char *
str(json_t *o, const char *key)
{
	return json_str(o, key, "(absent)");
}

static const char *
reason_en(struct collect_ctx *ctx, const char *path)
{
	json_t *u = json_object_get(ctx->unavailable, path);

	return json_string_value(json_path(u, "reason.en"));
}

static void
test_weak(void **state)
{
	struct collect_ctx ctx;
	json_t *p = params(), *o, *src;
	long long days;

	(void)state;
	testutil_ctx(&ctx, "weak", p);
	collect_packages(&ctx);

	assert_string_equal(json_string_value(testutil_fact(&ctx,
	    "packages.manager")), "dpkg");
	assert_int_equal(json_integer_value(testutil_fact(&ctx,
	    "packages.count")), 44);
	/* origins */
	o = item(&ctx, "packages.installed", "openssl");
	assert_non_null(o);
	assert_string_equal(str(o, "version"), "1.1.1n-0+deb11u4");
	assert_string_equal(str(o, "origin"),
	    "deb.debian.org/debian bullseye/main");
	assert_string_equal(str(o, "state"), "installed");
	assert_string_equal(str(item(&ctx, "packages.installed",
	    "phanmem-ketoan"), "origin"), "");
	assert_string_equal(str(item(&ctx, "packages.installed", "anydesk"),
	    "origin"), "deb.anydesk.com all/main");
	assert_string_equal(str(item(&ctx, "packages.installed", "clamav"),
	    "origin"), "deb.debian.org/debian bullseye/main (other version)");
	assert_string_equal(str(item(&ctx, "packages.installed", "clamav-base"),
	    "arch"), "all");
	assert_string_equal(str(item(&ctx, "packages.installed",
	    "openssh-server"), "version"), "1:8.4p1-5+deb11u1");
	assert_string_equal(str(item(&ctx, "packages.installed",
	    "cups-daemon"), "state"), "half-configured");
	assert_null(item(&ctx, "packages.installed", "exim4-base"));
	assert_string_equal(str(item(&ctx, "packages.installed", "anydesk"),
	    "vendor"), "philandro Software GmbH <info@anydesk.com>");
	/* pending */
	o = item(&ctx, "packages.pending", "openssl");
	assert_non_null(o);
	assert_string_equal(str(o, "installed"), "1.1.1n-0+deb11u4");
	assert_string_equal(str(o, "candidate"), "1.1.1w-0+deb11u1");
	assert_true(json_bool(o, "security", false));
	assert_string_equal(str(o, "origin"),
	    "security.debian.org/debian-security bullseye-security/main");
	o = item(&ctx, "packages.pending", "clamav");
	assert_non_null(o);
	assert_false(json_bool(o, "security", true));
	assert_string_equal(str(o, "candidate"), "0.103.10+dfsg-0+deb11u1");
	assert_true(json_bool(item(&ctx, "packages.pending", "thunderbird"),
	    "security", false));
	assert_null(item(&ctx, "packages.pending", "bash"));
	/* a point release newer than the security fix: the candidate is
	 * not from the security archive, the fix is missing all the same */
	o = item(&ctx, "packages.pending", "libssl1.1");
	assert_non_null(o);
	assert_string_equal(str(o, "candidate"), "1.1.1w-0+deb11u2");
	assert_string_equal(str(o, "origin"),
	    "deb.debian.org/debian bullseye/main");
	assert_true(json_bool(o, "security", false));
	/* backports (NotAutomatic, ButAutomaticUpgrades): followed for a
	 * package installed from there, never for one from the release */
	o = item(&ctx, "packages.pending", "systemd");
	assert_non_null(o);
	assert_string_equal(str(o, "candidate"), "252.22-1~bpo11+1");
	assert_string_equal(str(o, "origin"),
	    "deb.debian.org/debian bullseye-backports/main");
	assert_false(json_bool(o, "security", true));
	assert_string_equal(str(item(&ctx, "packages.installed", "systemd"),
	    "origin"), "deb.debian.org/debian bullseye-backports/main");
	assert_null(item(&ctx, "packages.pending", "ca-certificates"));
	assert_int_equal(json_array_size(testutil_fact(&ctx,
	    "packages.pending")), 8);
	/* sources */
	src = testutil_fact(&ctx, "packages.sources");
	assert_int_equal(json_array_size(src), 4);
	o = testutil_item(src, "uri", "http://deb.anydesk.com/");
	assert_non_null(o);
	assert_true(json_bool(o, "trusted", false));
	assert_false(json_bool(o, "official", true));
	assert_string_equal(str(o, "file"),
	    "/etc/apt/sources.list.d/anydesk.list:1");
	o = testutil_item(src, "uri",
	    "http://security.debian.org/debian-security");
	assert_true(json_bool(o, "official", false));
	assert_false(json_bool(o, "trusted", true));
	assert_string_equal(str(o, "suite"), "bullseye-security");
	assert_string_equal(str(o, "file"), "/etc/apt/sources.list:3");
	/* freshness */
	assert_true(json_is_true(testutil_fact(&ctx,
	    "packages.lists_present")));
	assert_int_equal(json_integer_value(testutil_fact(&ctx,
	    "packages.lists_age_days")), 150);
	days = json_integer_value(testutil_fact(&ctx,
	    "packages.last_upgrade_days"));
	assert_true(days >= 199 && days <= 201);
	assert_int_equal(strlen(json_string_value(testutil_fact(&ctx,
	    "packages.last_upgrade"))), 20);
	assert_true(json_is_false(testutil_fact(&ctx,
	    "packages.auto_updates")));
	/* nothing unknown */
	assert_int_equal(json_object_size(ctx.unavailable), 0);
	testutil_ctx_free(&ctx);
	json_decref(p);
}

static void
test_hardened(void **state)
{
	struct collect_ctx ctx;
	json_t *p = params(), *o, *v, *src;
	size_t i;

	(void)state;
	testutil_ctx(&ctx, "hardened", p);
	collect_packages(&ctx);
	assert_int_equal(json_object_size(ctx.unavailable), 0);
	assert_int_equal(json_array_size(testutil_fact(&ctx,
	    "packages.pending")), 0);
	json_array_foreach(testutil_fact(&ctx, "packages.installed"), i, v) {
		const char *origin = str(v, "origin");

		assert_true(origin[0] != '\0');
		assert_null(strstr(origin, "other version"));
	}
	assert_string_equal(str(item(&ctx, "packages.installed",
	    "google-chrome-stable"), "origin"),
	    "dl.google.com/linux/chrome/deb stable/main");
	assert_string_equal(str(item(&ctx, "packages.installed", "openssl"),
	    "origin"), "deb.debian.org/debian-security bookworm-security/main");
	src = testutil_fact(&ctx, "packages.sources");
	assert_int_equal(json_array_size(src), 5);	/* deb-src disabled */
	o = testutil_item(src, "suite", "bookworm-updates");
	assert_non_null(o);
	assert_string_equal(str(o, "file"),
	    "/etc/apt/sources.list.d/debian.sources:1");
	assert_true(json_bool(o, "official", false));
	o = testutil_item(src, "uri",
	    "https://dl.google.com/linux/chrome/deb/");
	assert_false(json_bool(o, "official", true));
	json_array_foreach(src, i, v)
		assert_false(json_bool(v, "trusted", true));
	/* the lists (1 day) are newer than the periodic stamp (40 days) */
	assert_int_equal(json_integer_value(testutil_fact(&ctx,
	    "packages.lists_age_days")), 1);
	assert_int_equal(json_integer_value(testutil_fact(&ctx,
	    "packages.last_upgrade_days")), 3);
	assert_true(json_is_true(testutil_fact(&ctx, "packages.auto_updates")));
	testutil_ctx_free(&ctx);
	json_decref(p);

	/* A mirror named in the policy counts as official. */
	p = json_pack("{s:[s]}", "official_mirrors", "DL.google.com");
	testutil_ctx(&ctx, "hardened", p);
	collect_packages(&ctx);
	o = testutil_item(testutil_fact(&ctx, "packages.sources"), "uri",
	    "https://dl.google.com/linux/chrome/deb/");
	assert_true(json_bool(o, "official", false));
	testutil_ctx_free(&ctx);
	json_decref(p);
}

static void
test_malformed(void **state)
{
	struct collect_ctx ctx;
	json_t *p = params();

	(void)state;
	testutil_ctx(&ctx, "malformed", p);
	collect_packages(&ctx);
	assert_string_equal(testutil_unavailable(&ctx, "packages.installed"),
	    "error");
	assert_non_null(strstr(reason_en(&ctx, "packages.installed"),
	    "/var/lib/dpkg/status:"));
	assert_null(testutil_fact(&ctx, "packages.installed"));
	assert_null(testutil_fact(&ctx, "packages.count"));
	assert_string_equal(testutil_unavailable(&ctx, "packages.pending"),
	    "error");
	assert_string_equal(testutil_unavailable(&ctx, "packages.sources"),
	    "error");
	assert_string_equal(reason_en(&ctx, "packages.sources"),
	    "/etc/apt/sources.list:1: unterminated '[' option list");
	assert_null(testutil_fact(&ctx, "packages.sources"));
	assert_string_equal(testutil_unavailable(&ctx,
	    "packages.last_upgrade_days"), "error");
	assert_non_null(strstr(reason_en(&ctx, "packages.last_upgrade"),
	    "/var/log/dpkg.log"));
	assert_string_equal(testutil_unavailable(&ctx,
	    "packages.auto_updates"), "error");
	testutil_ctx_free(&ctx);
	json_decref(p);
}

/* Small trees made for one case. */

static char tmpbase[] = "/tmp/cg-test-packages-XXXXXX";

static void
put(const char *root, const char *rel, const void *data, size_t len)
{
	char path[4096], *s;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (s = path + strlen(root) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		(void)mkdir(path, 0755);
		*s = '/';
	}
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void
puts_(const char *root, const char *rel, const char *text)
{
	put(root, rel, text, strlen(text));
}

static const char status_text[] =
    "Package: bash\nStatus: install ok installed\nMaintainer: X <x@y>\n"
    "Architecture: amd64\nVersion: 5.2.15-2+b7\n\n"
    "Package: unattended-upgrades\nStatus: install ok installed\n"
    "Architecture: all\nVersion: 2.9.1+nmu3\n\n";

static char *
tree(const char *name)
{
	char *t = text_printf("%s/%s", tmpbase, name);

	assert_int_equal(mkdir(t, 0755), 0);
	return t;
}

static void
ctx_at(struct collect_ctx *ctx, const char *root, json_t *p)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->root = root;
	ctx->rootfd = file_root_open(root);
	assert_true(ctx->rootfd >= 0);
	ctx->privileged = geteuid() == 0;
	ctx->now = time(NULL);
	ctx->params = p;
	ctx->facts = json_object();
	ctx->unavailable = json_object();
}

static void
ctx_done(struct collect_ctx *ctx)
{
	close(ctx->rootfd);
	json_decref(ctx->facts);
	json_decref(ctx->unavailable);
}

static void
test_no_lists(void **state)
{
	struct collect_ctx ctx;
	char *t = tree("nolists");

	(void)state;
	puts_(t, "var/lib/dpkg/status", status_text);
	ctx_at(&ctx, t, NULL);
	collect_packages(&ctx);
	assert_true(json_is_false(testutil_fact(&ctx,
	    "packages.lists_present")));
	assert_int_equal(json_integer_value(testutil_fact(&ctx,
	    "packages.lists_age_days")), -1);
	assert_int_equal(json_integer_value(testutil_fact(&ctx,
	    "packages.count")), 2);
	assert_string_equal(testutil_unavailable(&ctx,
	    "packages.installed.origin"), "error");
	assert_string_equal(reason_en(&ctx, "packages.pending"),
	    "APT package lists are missing: run apt update");
	assert_null(testutil_fact(&ctx, "packages.pending"));
	assert_null(json_object_get(item(&ctx, "packages.installed", "bash"),
	    "origin"));
	/* no logs at all: never upgraded as far as can be seen */
	assert_int_equal(json_integer_value(testutil_fact(&ctx,
	    "packages.last_upgrade_days")), -1);
	assert_string_equal(json_string_value(testutil_fact(&ctx,
	    "packages.last_upgrade")), "");
	ctx_done(&ctx);
	free(t);
}

static void
test_broken_lists(void **state)
{
	static const char *const cases[][3] = {
		{"badlz4", "h_dists_x_main_binary-amd64_Packages.lz4",
		    "invalid lz4 data"},
		{"badgz", "h_dists_x_main_binary-amd64_Packages.gz",
		    "invalid gzip data"},
		{"xz", "h_dists_x_main_binary-amd64_Packages.xz",
		    "not supported"},
		{"binary", "h_dists_x_main_binary-amd64_Packages",
		    "NUL bytes"},
		{"huge", "h_dists_x_main_binary-amd64_Packages",
		    "too large"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct collect_ctx ctx;
		char *t = tree(cases[i][0]), *rel;
		const char *why;

		puts_(t, "var/lib/dpkg/status", status_text);
		rel = text_printf("var/lib/apt/lists/%s", cases[i][1]);
		if (strcmp(cases[i][0], "huge") == 0) {
			char *path = text_printf("%s/%s", t, rel);
			int fd;

			puts_(t, rel, "");
			fd = open(path, O_WRONLY);
			assert_int_equal(ftruncate(fd, 300L << 20), 0);
			close(fd);
			free(path);
		} else if (strcmp(cases[i][0], "binary") == 0) {
			put(t, rel, "Package: a\0\nVersion: 1\n\n", 22);
		} else {
			puts_(t, rel, "Package: bash\nnot compressed\n");
		}
		ctx_at(&ctx, t, NULL);
		collect_packages(&ctx);
		assert_string_equal(testutil_unavailable(&ctx,
		    "packages.pending"), "error");
		why = reason_en(&ctx, "packages.installed.origin");
		assert_non_null(why);
		if (strstr(why, cases[i][2]) == NULL)
			fail_msg("%s: %s", cases[i][0], why);
		/* the installed packages are still known */
		assert_int_equal(json_integer_value(testutil_fact(&ctx,
		    "packages.count")), 2);
		assert_true(json_is_true(testutil_fact(&ctx,
		    "packages.lists_present")));
		ctx_done(&ctx);
		free(rel);
		free(t);
	}
}

static void
test_apt_conf(void **state)
{
	static const struct {
		const char *name, *conf;
		int want;	/* 1 true, 0 false, -1 unavailable */
	} cases[] = {
		{"nested", "APT {\n Periodic {\n  Update-Package-Lists \"1\";\n"
		    "  Unattended-Upgrade \"1\";\n };\n};\n", 1},
		{"scoped", "APT::Periodic {\n Update-Package-Lists \"7\";\n"
		    " Unattended-Upgrade \"always\"; // daily\n};\n", 1},
		{"off", "APT::Periodic::Update-Package-Lists \"1\";\n"
		    "APT::Periodic::Unattended-Upgrade \"0\";\n", 0},
		{"nolists", "APT::Periodic::Unattended-Upgrade \"1\";\n", 0},
		{"broken", "APT::Periodic { Unattended-Upgrade \"1\";\n", -1},
		{"unquoted", "APT::Periodic::Unattended-Upgrade \"1;\n", -1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct collect_ctx ctx;
		char *name = text_printf("conf-%s", cases[i].name);
		char *t = tree(name);
		json_t *v;

		puts_(t, "var/lib/dpkg/status", status_text);
		puts_(t, "etc/apt/apt.conf.d/20auto-upgrades", cases[i].conf);
		puts_(t, "etc/apt/apt.conf.d/30ignored.disabled",
		    "this is { not read");
		ctx_at(&ctx, t, NULL);
		collect_packages(&ctx);
		v = testutil_fact(&ctx, "packages.auto_updates");
		if (cases[i].want < 0) {
			assert_null(v);
			assert_string_equal(testutil_unavailable(&ctx,
			    "packages.auto_updates"), "error");
		} else if (json_is_true(v) != (cases[i].want == 1)) {
			fail_msg("%s: auto_updates %d", cases[i].name,
			    json_is_true(v));
		}
		ctx_done(&ctx);
		free(t);
		free(name);
	}
}

static void
test_no_manager(void **state)
{
	struct collect_ctx ctx;
	char *t = tree("empty");

	(void)state;
	ctx_at(&ctx, t, NULL);
	collect_packages(&ctx);
	assert_string_equal(json_string_value(testutil_fact(&ctx,
	    "packages.manager")), "none");
	assert_string_equal(testutil_unavailable(&ctx, "packages.installed"),
	    "na");
	ctx_done(&ctx);
	free(t);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpbase) ? 0 : -1;
}

static int
teardown(void **state)
{
	char *cmd = text_printf("rm -rf '%s'", tmpbase);
	int rc;

	(void)state;
	rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weak),
		cmocka_unit_test(test_hardened),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_no_lists),
		cmocka_unit_test(test_broken_lists),
		cmocka_unit_test(test_apt_conf),
		cmocka_unit_test(test_no_manager),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
