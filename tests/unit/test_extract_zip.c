/*
 * test_extract_zip.c — the zip extractor over archives made here with
 * libzip: entries in order with their prefixes, nested zips, nesting
 * beyond max_depth, too many entries, zip bombs (a 300 MB entry of zeros,
 * and one whose declared size lies), encrypted entries, truncated and
 * corrupt archives, and entries that are not documents.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secrets/doc.h"

#include "docsink.h"
#include "memzip.h"

static struct doc_limits lim;
static struct doc_ctx ctx;
static struct docsink rec;

static void
setup(void)
{
	docsink_init(&rec, NULL);
	doc_limits_default(&lim, false);
	docsink_ctx(&ctx, &lim, &rec);
	ctx.deadline = doc_now() + 30;
}

static void
line_is(size_t i, const char *text, const char *part)
{
	assert_true(i < rec.n);
	assert_string_equal(rec.l[i].text, text);
	assert_string_equal(rec.l[i].part, part);
	assert_int_equal(rec.l[i].zone, DOC_ZONE_BODY);
}

static void
test_entries(void **state)
{
	static const char a[] = "TỐI MẬT\nSố: 12/UBND\n", c[] = "MẬT\n";
	static const unsigned char bin[] = {0x00, 0x01, 0x02, 0x03, 0xFF,
	    0x00, 0x10};
	unsigned char *inner, *outer;
	size_t ilen, olen;
	struct memzip_entry ie[] = {{"c.txt", c, sizeof(c) - 1, false}};
	struct memzip_entry oe[4];

	(void)state;
	inner = memzip(ie, 1, &ilen);
	oe[0] = (struct memzip_entry){"a.txt", a, sizeof(a) - 1, false};
	oe[1] = (struct memzip_entry){"thư mục/", NULL, 0, false};
	oe[2] = (struct memzip_entry){"thư mục/b.zip", inner, ilen, false};
	oe[3] = (struct memzip_entry){"x.bin", bin, sizeof(bin), false};
	outer = memzip(oe, 4, &olen);
	setup();
	assert_int_equal(doc_extract(&ctx, outer, olen, "/srv/hồ sơ.zip"),
	    DOC_OK);
	assert_int_equal(ctx.err, DOC_OK);
	assert_int_equal(rec.n, 3);
	line_is(0, "TỐI MẬT", "hồ sơ.zip:a.txt");
	assert_int_equal(rec.l[0].index, 0);
	line_is(1, "Số: 12/UBND", "hồ sơ.zip:a.txt");
	assert_int_equal(rec.l[1].index, 1);
	line_is(2, "MẬT", "hồ sơ.zip:thư mục/b.zip:c.txt");
	assert_int_equal(ctx.depth, 0);
	assert_string_equal(ctx.prefix, "");
	free(inner);
	free(outer);
}

static void
test_too_deep(void **state)
{
	static const char t[] = "TUYỆT MẬT\n";
	unsigned char *z = (unsigned char *)t, *nz;
	size_t len = sizeof(t) - 1, nlen;
	int i;
	struct memzip_entry e;

	(void)state;
	/* 7 zips around the text: the text is at depth 7 */
	for (i = 0; i < 7; i++) {
		e = (struct memzip_entry){i == 0 ? "t.txt" : "n.zip", z, len, false};
		nz = memzip(&e, 1, &nlen);
		if (i > 0)
			free(z);
		z = nz;
		len = nlen;
	}
	setup();
	assert_int_equal(doc_extract(&ctx, z, len, "n.zip"), DOC_ERR_TOO_DEEP);
	assert_int_equal(ctx.err, DOC_ERR_TOO_DEEP);
	assert_int_equal(rec.n, 0);
	assert_int_equal(ctx.depth, 0);
	/* with max_depth 7 it is read */
	setup();
	lim.max_depth = 7;
	assert_int_equal(doc_extract(&ctx, z, len, "n.zip"), DOC_OK);
	assert_int_equal(rec.n, 1);
	line_is(0, "TUYỆT MẬT",
	    "n.zip:n.zip:n.zip:n.zip:n.zip:n.zip:n.zip:t.txt");
	free(z);
}

static void
test_too_many(void **state)
{
	static const char *const texts[] = {"một\n", "hai\n", "ba\n", "bốn\n",
	    "năm\n"};
	struct memzip_entry e[5];
	char names[5][8];
	unsigned char *z;
	size_t len, i;

	(void)state;
	for (i = 0; i < 5; i++) {
		snprintf(names[i], sizeof(names[i]), "%zu.txt", i);
		e[i] = (struct memzip_entry){names[i], texts[i], strlen(texts[i]),
		    false};
	}
	z = memzip(e, 5, &len);
	setup();
	lim.max_entries = 3;
	assert_int_equal(doc_extract(&ctx, z, len, "m.zip"), DOC_ERR_TOO_MANY);
	assert_int_equal(rec.n, 3);
	line_is(2, "ba", "m.zip:2.txt");
	free(z);
}

/* Offsets of the size fields of the one entry's local and central
 * headers, to make the archive lie. */
static void
patch_sizes(unsigned char *z, size_t len, uint32_t size)
{
	size_t i;
	int found = 0;

	for (i = 0; i + 46 <= len; i++) {
		if (memcmp(z + i, "PK\x03\x04", 4) == 0) {
			memcpy(z + i + 22, &size, 4);
			found++;
		} else if (memcmp(z + i, "PK\x01\x02", 4) == 0) {
			memcpy(z + i + 24, &size, 4);
			found++;
		}
	}
	assert_int_equal(found, 2);
}

static void
test_bomb(void **state)
{
	size_t big = 300u << 20, len;
	char *zeros = malloc(big);
	unsigned char *z;
	struct memzip_entry e;
	double t0;

	(void)state;
	assert_non_null(zeros);
	/* text: "MẬT" then 300 MB of the digit zero, read whole if let */
	memset(zeros, '0', big);
	memcpy(zeros, "MẬT\n", 5);
	e = (struct memzip_entry){"zeros.txt", zeros, big, false};
	z = memzip(&e, 1, &len);
	free(zeros);
	assert_true(len < big / 100);
	setup();
	t0 = doc_now();
	assert_int_equal(doc_extract(&ctx, z, len, "bomb.zip"),
	    DOC_ERR_TOO_LARGE);
	assert_true(doc_now() - t0 < 1.0);
	assert_int_equal(rec.n, 0);
	/* the same, its declared size a lie: stopped while inflating, at
	 * max_part */
	patch_sizes(z, len, 1000);
	setup();
	lim.max_part = 16u << 20;
	t0 = doc_now();
	assert_int_equal(doc_extract(&ctx, z, len, "bomb.zip"),
	    DOC_ERR_TOO_LARGE);
	assert_true(doc_now() - t0 < 5.0);
	assert_true(ctx.expanded <= lim.max_part + 1);
	assert_int_equal(rec.n, 0);
	/* and at max_expanded */
	patch_sizes(z, len, 200u << 20);
	setup();
	lim.max_part = 256u << 20;
	lim.max_expanded = 8u << 20;
	t0 = doc_now();
	assert_int_equal(doc_extract(&ctx, z, len, "bomb.zip"),
	    DOC_ERR_TOO_LARGE);
	assert_true(doc_now() - t0 < 1.0);
	assert_true(ctx.expanded <= 8u << 20);
	free(z);
}

static void
test_encrypted(void **state)
{
	static const char a[] = "TỐI MẬT\n", b[] = "đọc được\n";
	struct memzip_entry e[2] = {{"a.txt", a, sizeof(a) - 1, true},
	    {"b.txt", b, sizeof(b) - 1, false}};
	unsigned char *z;
	size_t len;

	(void)state;
	z = memzip(e, 1, &len);
	setup();
	assert_int_equal(doc_extract(&ctx, z, len, "k.zip"),
	    DOC_ERR_ENCRYPTED);
	assert_int_equal(rec.n, 0);
	assert_string_equal(ctx.detail, "zip: 1 of 1 entries encrypted");
	free(z);
	/* one entry readable: read, and the archive is not "encrypted" */
	z = memzip(e, 2, &len);
	setup();
	assert_int_equal(doc_extract(&ctx, z, len, "k.zip"), DOC_OK);
	assert_int_equal(rec.n, 1);
	line_is(0, "đọc được", "k.zip:b.txt");
	free(z);
}

static void
test_broken(void **state)
{
	static const char a[] = "TỐI MẬT\nxin chào\n";
	struct memzip_entry e = {"a.txt", a, sizeof(a) - 1, false};
	unsigned char *z, junk[64];
	size_t len;

	(void)state;
	z = memzip(&e, 1, &len);
	setup();
	assert_int_equal(doc_extract(&ctx, z, len / 2, "t.zip"),
	    DOC_ERR_TRUNCATED);
	/* a central directory pointing nowhere */
	memset(junk, 'x', sizeof(junk));
	memcpy(junk, "PK\x05\x06", 4);
	memset(junk + 4, 0, 18);
	junk[10] = 1;
	junk[12] = 46;
	junk[16] = 9;
	setup();
	assert_int_equal(doc_extract(&ctx, junk, 22, "j.zip"),
	    DOC_ERR_CORRUPT);
	/* a flipped byte in the compressed data: a CRC or inflate error */
	z[len / 3] ^= 0x55;
	setup();
	(void)doc_extract(&ctx, z, len, "c.zip");
	assert_true(ctx.err == DOC_ERR_CORRUPT || ctx.err == DOC_OK);
	free(z);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_too_deep),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_bomb),
		cmocka_unit_test(test_encrypted),
		cmocka_unit_test(test_broken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
