/*
 * test_pkg_rpm.c — rpm headers built here byte by byte (index entries and
 * data store, signature packets of OpenPGP v3 and v4), an rpmdb.sqlite
 * made with SQLite, and the packages collector on an rpm system, on a
 * BerkeleyDB one, and on headers whose offsets point outside the blob.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "testutil.h"
#include "agent/pkg.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

struct hdr {
	uint8_t index[64 * 16], data[4096];
	uint32_t il, dl;
};

static void
be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void
add(struct hdr *h, uint32_t tag, uint32_t type, const void *d, size_t len,
    uint32_t count)
{
	uint8_t *e = h->index + h->il * 16;

	if (type == 4)
		while (h->dl % 4)
			h->data[h->dl++] = 0;
	be32(e, tag);
	be32(e + 4, type);
	be32(e + 8, h->dl);
	be32(e + 12, count);
	memcpy(h->data + h->dl, d, len);
	h->dl += (uint32_t)len;
	h->il++;
}

static void
add_str(struct hdr *h, uint32_t tag, uint32_t type, const char *s)
{
	add(h, tag, type, s, strlen(s) + 1, 1);
}

static size_t
blob(struct hdr *h, uint8_t *out)
{
	be32(out, h->il);
	be32(out + 4, h->dl);
	memcpy(out + 8, h->index, h->il * 16);
	memcpy(out + 8 + h->il * 16, h->data, h->dl);
	return 8 + h->il * 16 + h->dl;
}

/* A v4 signature packet (new format) with an issuer subpacket in the
 * unhashed area, as rpm writes RSAHEADER. */
static size_t
sig_v4(uint8_t *p, const uint8_t keyid[8])
{
	uint8_t b[64];
	size_t n = 0;

	b[n++] = 4;		/* version */
	b[n++] = 0;		/* sig type */
	b[n++] = 1;		/* RSA */
	b[n++] = 8;		/* SHA256 */
	b[n++] = 0;
	b[n++] = 6;		/* hashed: creation time */
	b[n++] = 5;
	b[n++] = 2;
	b[n++] = 0x5f; b[n++] = 0; b[n++] = 0; b[n++] = 0;
	b[n++] = 0;
	b[n++] = 10;		/* unhashed: issuer */
	b[n++] = 9;
	b[n++] = 16;
	memcpy(b + n, keyid, 8);
	n += 8;
	b[n++] = 0xab; b[n++] = 0xcd;	/* hash prefix */
	p[0] = 0xc2;
	p[1] = (uint8_t)n;
	memcpy(p + 2, b, n);
	return n + 2;
}

static size_t
sig_v3(uint8_t *p, const uint8_t keyid[8])
{
	size_t n = 0;
	uint8_t *b = p + 3;

	b[n++] = 3;
	b[n++] = 5;
	b[n++] = 0;
	b[n++] = 0x5f; b[n++] = 0; b[n++] = 0; b[n++] = 0;
	memcpy(b + n, keyid, 8);
	n += 8;
	b[n++] = 1;
	b[n++] = 2;
	b[n++] = 0xab; b[n++] = 0xcd;
	p[0] = 0x89;		/* old format, tag 2, two length octets */
	p[1] = 0;
	p[2] = (uint8_t)n;
	return n + 3;
}

static const uint8_t fedora_key[8] = {0xa1, 0x5b, 0x79, 0xcc, 0x18, 0xb0,
    0x4a, 0x09};

static size_t
package(uint8_t *out, const char *name, bool signed4, bool signed3,
    uint32_t itime)
{
	struct hdr h;
	uint8_t sig[64];
	uint32_t epoch, t;

	memset(&h, 0, sizeof(h));
	if (signed4)
		add(&h, 268, 7, sig, sig_v4(sig, fedora_key),
		    (uint32_t)sig_v4(sig, fedora_key));
	if (signed3)
		add(&h, 259, 7, sig, sig_v3(sig, fedora_key),
		    (uint32_t)sig_v3(sig, fedora_key));
	add_str(&h, 1000, 6, name);
	add_str(&h, 1001, 6, "3.0.9");
	add_str(&h, 1002, 6, "1.fc40");
	be32((uint8_t *)&epoch, 1);
	if (strcmp(name, "openssl") == 0)
		add(&h, 1003, 4, &epoch, 4, 1);
	be32((uint8_t *)&t, itime);
	add(&h, 1008, 4, &t, 4, 1);
	add(&h, 1011, 9, "Fedora Project\0", 15, 1);
	add_str(&h, 1022, 6, "x86_64");
	return blob(&h, out);
}

static void
test_header(void **state)
{
	uint8_t b[8192];
	size_t n;
	struct pkg_set set;
	struct pkg_err err;

	(void)state;
	pkg_set_init(&set);
	n = package(b, "openssl", true, false, 1700000000);
	assert_int_equal(pkg_rpm_parse_header(b, n, &set, &err), 0);
	n = package(b, "bash", false, true, 1700000500);
	assert_int_equal(pkg_rpm_parse_header(b, n, &set, &err), 0);
	n = package(b, "local-tool", false, false, 1600000000);
	assert_int_equal(pkg_rpm_parse_header(b, n, &set, &err), 0);
	n = package(b, "gpg-pubkey", false, false, 1600000000);
	assert_int_equal(pkg_rpm_parse_header(b, n, &set, &err), 0);
	assert_int_equal(set.n, 3);
	assert_string_equal(set.v[0].version, "1:3.0.9-1.fc40");
	assert_string_equal(set.v[0].arch, "x86_64");
	assert_string_equal(set.v[0].vendor, "Fedora Project");
	assert_string_equal(set.v[0].origin,
	    "Fedora Project, key a15b79cc18b04a09");
	assert_string_equal(set.v[1].version, "3.0.9-1.fc40");
	assert_string_equal(set.v[1].origin,
	    "Fedora Project, key a15b79cc18b04a09");
	assert_string_equal(set.v[2].origin, "");
	assert_int_equal(set.last_install, 1700000500);
	pkg_set_free(&set);
}

static void
test_header_bad(void **state)
{
	uint8_t b[8192], c[8192];
	size_t n, i;
	struct pkg_set set;
	struct pkg_err err;

	(void)state;
	n = package(b, "bash", true, false, 1);
	pkg_set_init(&set);
	/* every truncation fails cleanly */
	for (i = 0; i < n; i++)
		assert_int_equal(pkg_rpm_parse_header(b, i, &set, &err), -1);
	/* a string offset past the data store */
	memcpy(c, b, n);
	be32(c + 8 + 16 + 8, 0xfffffff0);	/* second entry: NAME */
	assert_int_equal(pkg_rpm_parse_header(c, n, &set, &err), -1);
	/* a huge index count */
	memcpy(c, b, n);
	be32(c, 0x7fffffff);
	assert_int_equal(pkg_rpm_parse_header(c, n, &set, &err), -1);
	assert_non_null(strstr(err.en, "out of bounds"));
	/* a wrong type for NAME */
	memcpy(c, b, n);
	be32(c + 8 + 16 + 4, 4);
	assert_int_equal(pkg_rpm_parse_header(c, n, &set, &err), -1);
	assert_int_equal(set.n, 0);
	pkg_set_free(&set);
}

static char base[] = "/tmp/cg-test-rpm-XXXXXX";

static void
make_db(const char *path, bool corrupt)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	uint8_t b[8192];
	const char *names[] = {"bash", "openssl", "anydesk"};
	size_t i, n;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE Packages (hnum "
	    "INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)", NULL,
	    NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO Packages(blob) "
	    "VALUES (?)", -1, &st, NULL), SQLITE_OK);
	for (i = 0; i < 3; i++) {
		n = package(b, names[i], i < 2, false, 1700000000 + i);
		if (corrupt && i == 2)
			n = 20;
		sqlite3_bind_blob(st, 1, b, (int)n, SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void
ctx_at(struct collect_ctx *ctx, const char *root)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->root = root;
	ctx->rootfd = file_root_open(root);
	assert_true(ctx->rootfd >= 0);
	ctx->now = 1700000000 + 10 * 86400 + 60;
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

static char *
rpm_tree(const char *name, bool corrupt, bool bdb)
{
	char *t = text_printf("%s/%s", base, name), *p;

	p = text_printf("mkdir -p '%s/var/lib/rpm' "
	    "'%s/etc/systemd/system/timers.target.wants'", t, t);
	assert_int_equal(system(p), 0);
	free(p);
	if (bdb) {
		p = text_printf("%s/var/lib/rpm/Packages", t);
		assert_int_equal(close(open(p, O_CREAT | O_WRONLY, 0644)), 0);
	} else {
		p = text_printf("%s/var/lib/rpm/rpmdb.sqlite", t);
		make_db(p, corrupt);
	}
	free(p);
	p = text_printf("%s/etc/systemd/system/timers.target.wants/"
	    "dnf-automatic-install.timer", t);
	assert_int_equal(close(open(p, O_CREAT | O_WRONLY, 0644)), 0);
	free(p);
	return t;
}

static void
test_collector(void **state)
{
	struct collect_ctx ctx;
	char *t = rpm_tree("good", false, false);
	json_t *list, *o;

	(void)state;
	ctx_at(&ctx, t);
	collect_packages(&ctx);
	assert_string_equal(json_string_value(testutil_fact(&ctx,
	    "packages.manager")), "rpm");
	assert_int_equal(json_integer_value(testutil_fact(&ctx,
	    "packages.count")), 3);
	list = testutil_fact(&ctx, "packages.installed");
	o = testutil_item(list, "name", "openssl");
	assert_string_equal(json_str(o, "origin", ""),
	    "Fedora Project, key a15b79cc18b04a09");
	assert_string_equal(json_str(o, "state", ""), "installed");
	o = testutil_item(list, "name", "anydesk");
	assert_string_equal(json_str(o, "origin", "x"), "");
	assert_int_equal(json_integer_value(testutil_fact(&ctx,
	    "packages.last_upgrade_days")), 10);
	assert_true(json_is_true(testutil_fact(&ctx, "packages.auto_updates")));
	assert_string_equal(testutil_unavailable(&ctx, "packages.pending"),
	    "error");
	assert_string_equal(testutil_unavailable(&ctx, "packages.sources"),
	    "na");
	ctx_done(&ctx);
	free(t);

	t = rpm_tree("corrupt", true, false);
	ctx_at(&ctx, t);
	collect_packages(&ctx);
	assert_string_equal(testutil_unavailable(&ctx, "packages.installed"),
	    "error");
	assert_null(testutil_fact(&ctx, "packages.installed"));
	ctx_done(&ctx);
	free(t);

	t = rpm_tree("bdb", false, true);
	ctx_at(&ctx, t);
	collect_packages(&ctx);
	assert_string_equal(testutil_unavailable(&ctx, "packages.installed"),
	    "error");
	assert_non_null(strstr(json_string_value(json_path(json_object_get(
	    ctx.unavailable, "packages.installed"), "reason.en")),
	    "BerkeleyDB"));
	ctx_done(&ctx);
	free(t);
}

static void
test_not_sqlite(void **state)
{
	struct pkg_set set;
	struct pkg_err err;
	char *p = text_printf("%s/garbage.sqlite", base);
	FILE *f = fopen(p, "w");
	int fd;

	(void)state;
	fputs("this is not a database\n", f);
	fclose(f);
	fd = open(p, O_RDONLY);
	pkg_set_init(&set);
	assert_int_equal(pkg_rpm_read_sqlite(fd, &set, &err), -1);
	close(fd);
	pkg_set_free(&set);
	free(p);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(base) ? 0 : -1;
}

static int
teardown(void **state)
{
	char *cmd = text_printf("rm -rf '%s'", base);
	int rc = system(cmd);

	(void)state;
	free(cmd);
	return rc == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_header_bad),
		cmocka_unit_test(test_collector),
		cmocka_unit_test(test_not_sqlite),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
