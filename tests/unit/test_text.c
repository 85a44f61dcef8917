/*
 * test_text.c — unit tests of src/lib/text.c: UTF-8 validation, NFC,
 * case and diacritic folding of Vietnamese in NFC and NFD, line
 * iteration, string utilities and Vietnamese errno descriptions.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"
#include "lib/text.h"

/* "Nổ Hũ" decomposed: N o U+0302 U+0309 ␠ H u U+0303 */
static const char no_hu_nfd[] = "No\xcc\x82\xcc\x89 Hu\xcc\x83";
static const char no_hu_nfc[] = "N\xe1\xbb\x95 H\xc5\xa9";

static void
check_fold(const char *in, const char *want)
{
	char *s = text_fold(in, strlen(in));

	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void
test_valid_utf8(void **state)
{
	(void)state;
	assert_true(text_valid_utf8("", 0));
	assert_true(text_valid_utf8("abc", 3));
	assert_true(text_valid_utf8("Tiếng Việt", strlen("Tiếng Việt")));
	assert_true(text_valid_utf8("\xf0\x9f\x98\x80", 4));	/* emoji */
	assert_false(text_valid_utf8("a\0b", 3));		/* NUL */
	assert_false(text_valid_utf8("\xc3", 1));		/* truncated */
	assert_false(text_valid_utf8("\xc0\x80", 2));		/* overlong */
	assert_false(text_valid_utf8("\xe0\x80\xaf", 3));	/* overlong / */
	assert_false(text_valid_utf8("\xed\xa0\x80", 3));	/* surrogate */
	assert_false(text_valid_utf8("\xf4\x90\x80\x80", 4));	/* > U+10FFFF */
	assert_false(text_valid_utf8("\xff", 1));
	assert_false(text_valid_utf8("\x80", 1));
	/* the length bounds the check: the bad byte is outside it */
	assert_true(text_valid_utf8("ab\xff", 2));
}

static void
test_nfc(void **state)
{
	char *s;

	(void)state;
	s = text_nfc(no_hu_nfd, strlen(no_hu_nfd));
	assert_non_null(s);
	assert_string_equal(s, no_hu_nfc);
	free(s);
	s = text_nfc(no_hu_nfc, strlen(no_hu_nfc));
	assert_string_equal(s, no_hu_nfc);
	free(s);
	s = text_nfc("", 0);
	assert_string_equal(s, "");
	free(s);
	/* only len bytes are read */
	s = text_nfc("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	assert_null(text_nfc("\xff", 1));
	assert_null(text_nfc("a\0b", 3));
}

static void
test_casefold(void **state)
{
	char *s;

	(void)state;
	s = text_casefold("ĐÁ GÀ Straße", strlen("ĐÁ GÀ Straße"));
	assert_non_null(s);
	assert_string_equal(s, "đá gà strasse");	/* diacritics kept */
	free(s);
	s = text_casefold(no_hu_nfd, strlen(no_hu_nfd));
	assert_string_equal(s, "n\xe1\xbb\x95 h\xc5\xa9");	/* "nổ hũ" */
	free(s);
	assert_null(text_casefold("\xc3(", 2));
}

static void
test_fold_vietnamese(void **state)
{
	(void)state;
	check_fold("Nổ Hũ", "no hu");
	check_fold(no_hu_nfd, "no hu");
	check_fold(no_hu_nfc, "no hu");
	check_fold("ĐÁ GÀ", "da ga");
	check_fold("D\xcc\x81" "A", "da");	/* D + combining acute */
	check_fold("Trần Thị Bích", "tran thi bich");
	check_fold("Tra\xcc\x80n Thi\xcc\xa3 Bi\xcc\x81" "ch",
	    "tran thi bich");
	check_fold("đường Đồng Khởi", "duong dong khoi");
	check_fold("TUYỆT MẬT", "tuyet mat");
	check_fold("Ủy ban nhân dân phường", "uy ban nhan dan phuong");
	check_fold("NO HU", "no hu");
	check_fold("", "");
	assert_null(text_fold("\xe1\xbb", 2));
}

static void
test_next_line(void **state)
{
	const char text[] = "one\r\ntwo\n\nthree";
	const char *p = text, *end = text + sizeof(text) - 1, *line;
	size_t len;

	(void)state;
	assert_true(text_next_line(&p, end, &line, &len));
	assert_int_equal(len, 3);
	assert_memory_equal(line, "one", 3);
	assert_true(text_next_line(&p, end, &line, &len));
	assert_int_equal(len, 3);
	assert_memory_equal(line, "two", 3);
	assert_true(text_next_line(&p, end, &line, &len));
	assert_int_equal(len, 0);
	assert_true(text_next_line(&p, end, &line, &len));
	assert_int_equal(len, 5);
	assert_memory_equal(line, "three", 5);
	assert_false(text_next_line(&p, end, &line, &len));
	assert_false(text_next_line(&p, end, &line, &len));

	/* a final newline makes no empty last line */
	p = "x\n";
	end = p + 2;
	assert_true(text_next_line(&p, end, &line, &len));
	assert_int_equal(len, 1);
	assert_false(text_next_line(&p, end, &line, &len));
	/* empty input */
	p = "";
	assert_false(text_next_line(&p, p, &line, &len));
}

static void
test_trim(void **state)
{
	char a[] = "  \t key = value \r\n", b[] = "   ", c[] = "x";

	(void)state;
	assert_string_equal(text_trim(a), "key = value");
	assert_string_equal(text_trim(b), "");
	assert_string_equal(text_trim(c), "x");
}

static void
test_prefix_ci(void **state)
{
	(void)state;
	assert_true(text_prefix_ci("PermitRootLogin yes", "permitrootlogin"));
	assert_true(text_prefix_ci("abc", ""));
	assert_false(text_prefix_ci("Perm", "permit"));
	assert_false(text_prefix_ci("xpermit", "permit"));
}

static void
test_dup_printf(void **state)
{
	char *s;

	(void)state;
	s = text_ndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = text_ndup(NULL, 0);
	assert_string_equal(s, "");
	free(s);
	s = text_dup("Việt");
	assert_string_equal(s, "Việt");
	free(s);
	s = text_printf("%s:%d: %s", "sshd_config", 12, "lỗi");
	assert_string_equal(s, "sshd_config:12: lỗi");
	free(s);
	s = text_printf("%s", "");
	assert_string_equal(s, "");
	free(s);
}

static void
test_to_long(void **state)
{
	long v = 7;

	(void)state;
	assert_true(text_to_long("42", &v));
	assert_int_equal(v, 42);
	assert_true(text_to_long("-15", &v));
	assert_int_equal(v, -15);
	assert_true(text_to_long("+3", &v));
	assert_int_equal(v, 3);
	v = 7;
	assert_false(text_to_long("", &v));
	assert_false(text_to_long(" 1", &v));
	assert_false(text_to_long("1 ", &v));
	assert_false(text_to_long("12abc", &v));
	assert_false(text_to_long("0x10", &v));
	assert_false(text_to_long("99999999999999999999999", &v));
	assert_false(text_to_long(NULL, &v));
	assert_int_equal(v, 7);
}

static void
test_strerror_vi(void **state)
{
	static const int errs[] = { EACCES, EPERM, ENOENT, ENOTDIR, EISDIR,
		ELOOP, EFBIG, EINVAL, EIO, ENOMEM, ENAMETOOLONG, E2BIG, ENOSPC,
		EROFS, ETIMEDOUT, ECONNREFUSED };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		const char *s = text_strerror_vi(errs[i]);

		assert_non_null(s);
		assert_true(text_valid_utf8(s, strlen(s)));
	}
	assert_string_equal(text_strerror_vi(EACCES),
	    "không đủ quyền truy cập");
	assert_string_equal(text_strerror_vi(-ENOENT),
	    text_strerror_vi(ENOENT));
	assert_null(text_strerror_vi(0));
	assert_null(text_strerror_vi(100000));
}

/* Every Vietnamese message is already NFC. */
static void
test_strerror_vi_nfc(void **state)
{
	int e;

	(void)state;
	for (e = 1; e < 200; e++) {
		const char *s = text_strerror_vi(e);
		char *n;

		if (s == NULL)
			continue;
		n = text_nfc(s, strlen(s));
		assert_string_equal(n, s);
		free(n);
	}
}

static void
test_hex_and_span(void **state)
{
	const char *s = " \t key = v \t\r";
	size_t len = strlen(s);

	(void)state;
	assert_int_equal(text_hexval('0'), 0);
	assert_int_equal(text_hexval('a'), 10);
	assert_int_equal(text_hexval('F'), 15);
	assert_int_equal(text_hexval('g'), -1);
	assert_int_equal(text_hexval(0xc3), -1);
	text_trim_span(&s, &len);
	assert_int_equal(len, 7);
	assert_memory_equal(s, "key = v", 7);
	s = " \t ";
	len = strlen(s);
	text_trim_span(&s, &len);
	assert_int_equal(len, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_utf8),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_casefold),
		cmocka_unit_test(test_fold_vietnamese),
		cmocka_unit_test(test_next_line),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_prefix_ci),
		cmocka_unit_test(test_dup_printf),
		cmocka_unit_test(test_to_long),
		cmocka_unit_test(test_strerror_vi),
		cmocka_unit_test(test_strerror_vi_nfc),
		cmocka_unit_test(test_hex_and_span),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
