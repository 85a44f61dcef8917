/*
 * test_pkg_apt.c — APT sources (one-line and deb822), hosts and official
 * archives, Release files, list names, and the streaming Packages reader
 * over plain, gzip and lz4 data cut in every possible chunk size.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lz4frame.h>
#include <zlib.h>

#include "testutil.h"
#include "agent/pkg.h"

static void
test_one_line(void **state)
{
	static const char text[] =
	    "# comment\n"
	    "deb http://deb.debian.org/debian bookworm main contrib # tail\n"
	    "deb-src http://deb.debian.org/debian bookworm main\n"
	    "\n"
	    "deb [ arch=amd64 trusted=yes ] http://deb.anydesk.com/ all main\n"
	    "deb [allow-insecure=yes arch+=i386] file:/srv/repo ./\n";
	struct apt_sources s = {0};
	struct pkg_err err;

	(void)state;
	assert_int_equal(pkg_apt_parse_list(text, strlen(text), "/x.list", &s,
	    &err), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.v[0].uri, "http://deb.debian.org/debian");
	assert_string_equal(s.v[0].suite, "bookworm");
	assert_int_equal(s.v[0].ncomponents, 2);
	assert_string_equal(s.v[0].components[1], "contrib");
	assert_string_equal(s.v[0].file, "/x.list:2");
	assert_false(s.v[0].trusted);
	assert_true(s.v[1].trusted);
	assert_string_equal(s.v[1].file, "/x.list:5");
	assert_true(s.v[2].allow_insecure);
	assert_int_equal(s.v[2].ncomponents, 0);
	pkg_apt_sources_free(&s);
}

/* A DVD left in sources.list by the installer: the label in brackets is
 * one word with its blanks, as APT's ParseQuoteWord reads it. */
static void
test_one_line_cdrom(void **state)
{
	static const char text[] =
	    "deb cdrom:[Debian GNU/Linux 12.5.0 _Bookworm_ - Official amd64 "
	    "DVD Binary-1 with firmware 20240210-11:28]/ bookworm contrib "
	    "main\n"
	    "deb \"http://mirror.example/debian\" bookworm main\n";
	struct apt_sources s = {0};
	struct pkg_err err;

	(void)state;
	assert_int_equal(pkg_apt_parse_list(text, strlen(text), "/x.list", &s,
	    &err), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.v[0].uri, "cdrom:[Debian GNU/Linux 12.5.0 "
	    "_Bookworm_ - Official amd64 DVD Binary-1 with firmware "
	    "20240210-11:28]/");
	assert_string_equal(s.v[0].suite, "bookworm");
	assert_int_equal(s.v[0].ncomponents, 2);
	assert_string_equal(s.v[0].components[1], "main");
	assert_string_equal(s.v[1].uri, "http://mirror.example/debian");
	pkg_apt_sources_free(&s);
}

static void
test_one_line_bad(void **state)
{
	static const struct {
		const char *text;
		int line;
		const char *en;
	} cases[] = {
		{"deb [trusted=yes http://x/ a b\n", 1, "unterminated"},
		{"\ndeb http://x/\n", 2, "missing URI or suite"},
		{"deb http://x/ bookworm\n", 1, "missing component"},
		{"rpm http://x/ a b\n", 1, "deb or deb-src"},
		{"deb nouri a b\n", 1, "invalid URI"},
		{"deb cdrom:[Debian GNU/Linux/ bookworm main\n", 1,
		    "unterminated"},
		{"deb http://x/ \"\" main\n", 1, "missing URI or suite"},
		{"deb http://x/ a b\n\x7f" "ELF\x01\xff\n", 2, "binary"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct apt_sources s = {0};
		struct pkg_err err = {0};

		assert_int_equal(pkg_apt_parse_list(cases[i].text,
		    strlen(cases[i].text), "f", &s, &err), -1);
		if (err.line != cases[i].line ||
		    strstr(err.en, cases[i].en) == NULL)
			fail_msg("case %zu: %d %s", i, err.line, err.en);
		pkg_apt_sources_free(&s);
	}
}

static void
test_deb822(void **state)
{
	static const char text[] =
	    "# Debian\n"
	    "Types: deb deb-src\n"
	    "URIs: http://deb.debian.org/debian\n"
	    "Suites: bookworm bookworm-updates\n"
	    "Components: main\n"
	    " non-free-firmware\n"
	    "Signed-By:\n"
	    " -----BEGIN PGP PUBLIC KEY BLOCK-----\n"
	    " .\n"
	    " mQINBGPL0BUBEADmW5NlOs\n"
	    " -----END PGP PUBLIC KEY BLOCK-----\n"
	    "\n"
	    "Types: deb\n"
	    "URIs: https://repo.example.vn/apt\n"
	    "Suites: stable\n"
	    "Components: main\n"
	    "Trusted: yes\n"
	    "Allow-Weak: yes\n"
	    "\n"
	    "Enabled: no\n"
	    "Types: deb\n"
	    "URIs: http://off/\n"
	    "Suites: x\n"
	    "Components: y\n";
	struct apt_sources s = {0};
	struct pkg_err err;

	(void)state;
	assert_int_equal(pkg_apt_parse_deb822(text, strlen(text), "/d.sources",
	    &s, &err), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.v[1].suite, "bookworm-updates");
	assert_int_equal(s.v[1].ncomponents, 2);
	assert_string_equal(s.v[1].components[1], "non-free-firmware");
	assert_string_equal(s.v[1].file, "/d.sources:2");
	assert_true(s.v[2].trusted);
	assert_true(s.v[2].allow_insecure);
	assert_string_equal(s.v[2].file, "/d.sources:13");
	pkg_apt_sources_free(&s);

	assert_int_equal(pkg_apt_parse_deb822("Types: deb\nSuites: a\n", 21,
	    "f", &s, &err), -1);
	assert_non_null(strstr(err.en, "URIs"));
	pkg_apt_sources_free(&s);
	assert_int_equal(pkg_apt_parse_deb822("Types: deb\nno colon\n", 20,
	    "f", &s, &err), -1);
	assert_int_equal(err.line, 2);
	pkg_apt_sources_free(&s);
}

static void
test_hosts(void **state)
{
	char h[64];
	json_t *m = json_pack("[s]", "mirror.ubnd.gov.vn");

	(void)state;
	pkg_apt_uri_host("http://user:pw@Deb.Debian.org:80/debian", h,
	    sizeof(h));
	assert_string_equal(h, "deb.debian.org");
	pkg_apt_uri_host("http://[2001:db8::1]:8080/x", h, sizeof(h));
	assert_string_equal(h, "2001:db8::1");
	pkg_apt_uri_host("file:/srv/repo", h, sizeof(h));
	assert_string_equal(h, "");
	assert_true(pkg_apt_official("http://security.debian.org/x", NULL));
	assert_true(pkg_apt_official("http://vn.archive.ubuntu.com/ubuntu",
	    NULL));
	assert_false(pkg_apt_official("http://debian.org.evil.com/", NULL));
	assert_false(pkg_apt_official("http://notdebian.org/", NULL));
	assert_false(pkg_apt_official("http://mirror.ubnd.gov.vn/debian",
	    NULL));
	assert_true(pkg_apt_official("http://mirror.ubnd.gov.vn/debian", m));
	json_decref(m);
}

static void
test_release_and_names(void **state)
{
	static const char inrel[] =
	    "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n"
	    "Origin: Debian\nLabel: Debian-Security\nSuite: stable-security\n"
	    "Codename: bookworm-security\nSHA256:\n abc 1 main/x\n"
	    "-----BEGIN PGP SIGNATURE-----\n\nOrigin: Evil\n"
	    "-----END PGP SIGNATURE-----\n";
	static const char bpo[] =
	    "Origin: Debian Backports\nSuite: stable-backports\n"
	    "NotAutomatic: yes\nButAutomaticUpgrades: yes\n";
	struct apt_release r;
	struct apt_listname ln;

	(void)state;
	assert_int_equal(pkg_apt_parse_release(inrel, strlen(inrel), &r), 0);
	assert_string_equal(r.origin, "Debian");
	assert_string_equal(r.label, "Debian-Security");
	assert_string_equal(r.codename, "bookworm-security");
	assert_false(r.not_automatic);
	assert_false(r.but_automatic);
	assert_int_equal(pkg_apt_parse_release(bpo, strlen(bpo), &r), 0);
	assert_true(r.not_automatic);
	assert_true(r.but_automatic);
	assert_string_equal(r.suite, "stable-backports");
	assert_int_equal(pkg_apt_parse_release("junk\n", 5, &r), -1);

	assert_true(pkg_apt_listname("deb.debian.org_debian_dists_bookworm_"
	    "main_binary-amd64_Packages.lz4", &ln));
	assert_string_equal(ln.site, "deb.debian.org/debian");
	assert_string_equal(ln.dist, "bookworm");
	assert_string_equal(ln.component, "main");
	assert_int_equal(ln.compression, APT_LZ4);
	assert_string_equal(ln.release_stem,
	    "deb.debian.org_debian_dists_bookworm_");
	assert_true(pkg_apt_listname("ppa.launchpadcontent.net_a%5fb_ubuntu_"
	    "dists_jammy_main_binary-amd64_Packages", &ln));
	assert_string_equal(ln.site, "ppa.launchpadcontent.net/a_b/ubuntu");
	assert_int_equal(ln.compression, APT_PLAIN);
	assert_true(pkg_apt_listname("repo_._Packages.xz", &ln));
	assert_int_equal(ln.compression, APT_OTHER);
	assert_false(pkg_apt_listname("x_dists_a_main_i18n_Translation-en",
	    &ln));
	assert_false(pkg_apt_listname("x_dists_a_InRelease", &ln));
	assert_false(pkg_apt_listname("x_Packages.diff_Index", &ln));
}

struct seen {
	int n;
	char last[256];
};

static void
count_stanza(void *arg, const char *name, const char *version,
    const char *arch)
{
	struct seen *s = arg;

	s->n++;
	snprintf(s->last, sizeof(s->last), "%s %s %s", name, version, arch);
}

static char *
make_list(int n, size_t *len)
{
	size_t cap = (size_t)n * 300 + 1, o = 0;
	char *b = malloc(cap);
	int i;

	assert_non_null(b);
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(b + o, cap - o,
		    "Package: pkg%d\nVersion: 1:%d.0-1~deb12u1\n"
		    "Architecture: %s\nDescription: x\n more text\n\n",
		    i, i, i % 2 ? "all" : "amd64");
	*len = o;
	return b;
}

static void
test_packages_stream(void **state)
{
	size_t len, cut, zlen, llen;
	char *list = make_list(2000, &len), *z, *l;
	struct pkg_err err;
	struct seen s;
	uLongf zl;

	(void)state;
	/* plain, in chunks of every small size */
	for (cut = 1; cut < 40; cut++) {
		struct apt_scan sc;
		size_t o;

		memset(&s, 0, sizeof(s));
		pkg_apt_scan_init(&sc, count_stanza, &s);
		for (o = 0; o < len; o += cut)
			pkg_apt_scan_feed(&sc, list + o,
			    len - o < cut ? len - o : cut);
		assert_int_equal(pkg_apt_scan_end(&sc, &err), 0);
		assert_int_equal(s.n, 2000);
		assert_string_equal(s.last, "pkg1999 1:1999.0-1~deb12u1 all");
	}
	/* gzip */
	zl = compressBound(len) + 64;
	z = malloc(zl);
	{
		z_stream zs;

		memset(&zs, 0, sizeof(zs));
		assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8,
		    Z_DEFAULT_STRATEGY), Z_OK);
		zs.next_in = (Bytef *)list;
		zs.avail_in = (uInt)len;
		zs.next_out = (Bytef *)z;
		zs.avail_out = (uInt)zl;
		assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
		zlen = zs.total_out;
		deflateEnd(&zs);
	}
	memset(&s, 0, sizeof(s));
	{
		struct apt_scan sc;

		pkg_apt_scan_init(&sc, count_stanza, &s);
		assert_int_equal(pkg_apt_scan_gz(&sc, z, zlen, 1 << 30, &err),
		    0);
		assert_int_equal(pkg_apt_scan_end(&sc, &err), 0);
		assert_int_equal(s.n, 2000);
		/* truncated */
		pkg_apt_scan_init(&sc, NULL, NULL);
		assert_int_equal(pkg_apt_scan_gz(&sc, z, zlen / 2, 1 << 30,
		    &err), -1);
		assert_non_null(strstr(err.en, "truncated"));
		/* over the output limit */
		pkg_apt_scan_init(&sc, NULL, NULL);
		assert_int_equal(pkg_apt_scan_gz(&sc, z, zlen, 1000, &err), -1);
		assert_non_null(strstr(err.en, "limit"));
	}
	/* lz4 */
	llen = LZ4F_compressFrameBound(len, NULL);
	l = malloc(llen);
	llen = LZ4F_compressFrame(l, llen, list, len, NULL);
	assert_false(LZ4F_isError(llen));
	{
		struct apt_scan sc;

		memset(&s, 0, sizeof(s));
		pkg_apt_scan_init(&sc, count_stanza, &s);
		assert_int_equal(pkg_apt_scan_lz4(&sc, l, llen, 1 << 30, &err),
		    0);
		assert_int_equal(pkg_apt_scan_end(&sc, &err), 0);
		assert_int_equal(s.n, 2000);
		pkg_apt_scan_init(&sc, NULL, NULL);
		assert_int_equal(pkg_apt_scan_lz4(&sc, l, llen - 9, 1 << 30,
		    &err), -1);
		pkg_apt_scan_init(&sc, NULL, NULL);
		assert_int_equal(pkg_apt_scan_lz4(&sc, "not lz4 at all", 14,
		    1 << 30, &err), -1);
		assert_non_null(strstr(err.en, "invalid lz4"));
		pkg_apt_scan_init(&sc, NULL, NULL);
		assert_int_equal(pkg_apt_scan_lz4(&sc, l, llen, 1000, &err),
		    -1);
	}
	free(l);
	free(z);
	free(list);
}

static void
test_packages_bad(void **state)
{
	struct pkg_err err;
	struct seen s = {0};
	char longline[3000];

	(void)state;
	assert_int_equal(pkg_apt_parse_packages("Package: a\n\n", 12,
	    count_stanza, &s, &err), -1);
	assert_int_equal(pkg_apt_parse_packages("Package: a b\nVersion: 1\n\n",
	    25, count_stanza, &s, &err), -1);
	assert_int_equal(pkg_apt_parse_packages("Package: a\nVersion: 1\0\n\n",
	    24, count_stanza, &s, &err), -1);
	assert_non_null(strstr(err.en, "NUL"));
	/* a very long line that is not a field we keep is fine */
	memset(longline, 'x', sizeof(longline));
	memcpy(longline, "Package: a\nVersion: 1\nDepends: ", 31);
	longline[sizeof(longline) - 2] = '\n';
	longline[sizeof(longline) - 1] = '\n';
	memset(&s, 0, sizeof(s));
	assert_int_equal(pkg_apt_parse_packages(longline, sizeof(longline),
	    count_stanza, &s, &err), 0);
	assert_int_equal(s.n, 1);
	/* no final blank line */
	memset(&s, 0, sizeof(s));
	assert_int_equal(pkg_apt_parse_packages("Package: z\nVersion: 2", 21,
	    count_stanza, &s, &err), 0);
	assert_string_equal(s.last, "z 2 ");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_line),
		cmocka_unit_test(test_one_line_cdrom),
		cmocka_unit_test(test_one_line_bad),
		cmocka_unit_test(test_deb822),
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_release_and_names),
		cmocka_unit_test(test_packages_stream),
		cmocka_unit_test(test_packages_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
