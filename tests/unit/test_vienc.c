/*
 * test_vienc.c — the Vietnamese legacy decoders of vienc.c: known words
 * and the whole alphabet in both cases in TCVN3, VNI-Windows, VIQR and
 * Windows-1258 decode to the exact NFC text; every byte of TCVN 5712 and
 * Windows-1258 agrees with the C library's iconv (written apart from
 * ours); UTF-16 with surrogates; bad input gives NULL or U+FFFD.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "secrets/doc.h"

/* Every Vietnamese vowel with each tone, then đ (NFC). */
static const char alpha_low[] =
    "aáàảãạăắằẳẵặâấầẩẫậeéèẻẽẹêếềểễệiíìỉĩịoóòỏõọôốồổỗộơớờởỡợ"
    "uúùủũụưứừửữựyýỳỷỹỵđ";
static const char alpha_up[] =
    "AÁÀẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬEÉÈẺẼẸÊẾỀỂỄỆIÍÌỈĨỊOÓÒỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢ"
    "UÚÙỦŨỤƯỨỪỬỮỰYÝỲỶỸỴĐ";

/* The same in VNI-Windows bytes and in VIQR. */
static const char vni_low[] =
    "aa\xF9" "a\xF8" "a\xFB" "a\xF5" "a\xEF" "a\xEA" "a\xE9" "a\xE8"
    "a\xFA" "a\xFC" "a\xEB" "a\xE2" "a\xE1" "a\xE0" "a\xE5" "a\xE3"
    "a\xE4" "ee\xF9" "e\xF8" "e\xFB" "e\xF5" "e\xEF" "e\xE2" "e\xE1"
    "e\xE0" "e\xE5" "e\xE3" "e\xE4" "i\xED\xEC\xE6\xF3\xF2" "oo\xF9"
    "o\xF8" "o\xFB" "o\xF5" "o\xEF" "o\xE2" "o\xE1" "o\xE0" "o\xE5"
    "o\xE3" "o\xE4" "\xF4\xF4\xF9\xF4\xF8\xF4\xFB\xF4\xF5\xF4\xEF"
    "uu\xF9" "u\xF8" "u\xFB" "u\xF5" "u\xEF"
    "\xF6\xF6\xF9\xF6\xF8\xF6\xFB\xF6\xF5\xF6\xEF" "yy\xF9" "y\xF8"
    "y\xFB" "y\xF5" "\xEE\xF1";
static const char vni_up[] =
    "AA\xD9" "A\xD8" "A\xDB" "A\xD5" "A\xCF" "A\xCA" "A\xC9" "A\xC8"
    "A\xDA" "A\xDC" "A\xCB" "A\xC2" "A\xC1" "A\xC0" "A\xC5" "A\xC3"
    "A\xC4" "EE\xD9" "E\xD8" "E\xDB" "E\xD5" "E\xCF" "E\xC2" "E\xC1"
    "E\xC0" "E\xC5" "E\xC3" "E\xC4" "I\xCD\xCC\xC6\xD3\xD2" "OO\xD9"
    "O\xD8" "O\xDB" "O\xD5" "O\xCF" "O\xC2" "O\xC1" "O\xC0" "O\xC5"
    "O\xC3" "O\xC4" "\xD4\xD4\xD9\xD4\xD8\xD4\xDB\xD4\xD5\xD4\xCF"
    "UU\xD9" "U\xD8" "U\xDB" "U\xD5" "U\xCF"
    "\xD6\xD6\xD9\xD6\xD8\xD6\xDB\xD6\xD5\xD6\xCF" "YY\xD9" "Y\xD8"
    "Y\xDB" "Y\xD5" "\xCE\xD1";
static const char viqr_low[] =
    "aa'a`a?a~a.a(a('a(`a(?a(~a(.a^a^'a^`a^?a^~a^.ee'e`e?e~e.e^e^'e^`"
    "e^?e^~e^.ii'i`i?i~i.oo'o`o?o~o.o^o^'o^`o^?o^~o^.o+o+'o+`o+?o+~o+."
    "uu'u`u?u~u.u+u+'u+`u+?u+~u+.yy'y`y?y~y.dd";
static const char viqr_up[] =
    "AA'A`A?A~A.A(A('A(`A(?A(~A(.A^A^'A^`A^?A^~A^.EE'E`E?E~E.E^E^'E^`"
    "E^?E^~E^.II'I`I?I~I.OO'O`O?O~O.O^O^'O^`O^?O^~O^.O+O+'O+`O+?O+~O+."
    "UU'U`U?U~U.U+U+'U+`U+?U+~U+.YY'Y`Y?Y~Y.DD";

/* Legacy bytes as the code points an extractor passes (doc.h). */
static char *
cps(const char *bytes)
{
	char *s = vienc_bytes_to_utf8((const unsigned char *)bytes,
	    strlen(bytes), NULL);

	assert_non_null(s);
	return s;
}

static void
check_tcvn3(const char *bytes, const char *want)
{
	char *in = cps(bytes), *out = vienc_from_tcvn3(in, strlen(in));

	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
	free(in);
}

static void
check_vni(const char *bytes, const char *want)
{
	char *in = cps(bytes), *out = vienc_from_vni(in, strlen(in));

	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
	free(in);
}

static void
check_viqr(const char *in, const char *want)
{
	char *out = vienc_from_viqr(in, strlen(in));

	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void
check_cp1258(const char *bytes, const char *want)
{
	char *out = vienc_from_cp1258((const unsigned char *)bytes,
	    strlen(bytes));

	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void
test_tcvn3_words(void **state)
{
	(void)state;
	/* .VnTimeH: capitals share the small letters' codes */
	check_tcvn3("M\xCBT", "MậT");
	check_tcvn3("T\xE8I M\xCBT", "TốI MậT");
	check_tcvn3("TUY\xD6T M\xCBT", "TUYệT MậT");
	check_tcvn3("\xA7\xE9 m\xCBt", "Độ mật");
	check_tcvn3("\xF1y ban nh\xA9n d\xA9n ph\xAD\xEAng Th\xB8i H\xDF" "a",
	    "ủy ban nhân dân phường Thái Hòa");
	/* the full set's own capitals (VN1): Ậ 0x86, Ủ 0x9E */
	check_tcvn3("M\x86T", "MẬT");
	check_tcvn3("\x9Ey ban", "Ủy ban");
	/* a combining tone after a letter composes */
	check_tcvn3("a\xB3", "á");
	check_tcvn3("ASCII stays", "ASCII stays");
}

/* Every byte agrees with glibc's TCVN5712-1 (another implementation). */
static char *
by_iconv(const char *code, const unsigned char *b, size_t n)
{
	char out[64], *ip = (char *)b, *op = out;
	size_t il = n, ol = sizeof(out) - 1;
	iconv_t cd = iconv_open("UTF-8", code);
	utf8proc_uint8_t *nfc = NULL;

	assert_true(cd != (iconv_t)-1);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1) {
		iconv_close(cd);
		return NULL;
	}
	iconv_close(cd);
	*op = '\0';
	assert_true(utf8proc_map((utf8proc_uint8_t *)out,
	    (utf8proc_ssize_t)(op - out), &nfc, UTF8PROC_STABLE |
	    UTF8PROC_COMPOSE) >= 0);
	return (char *)nfc;
}

static void
test_tcvn3_table(void **state)
{
	unsigned c;
	int checked = 0;

	(void)state;
	for (c = 1; c < 0x100; c++) {
		unsigned char b = (unsigned char)c;
		char *in, *ours, *ref;

		if (c >= 0x18 && c < 0x80)
			continue;
		in = vienc_bytes_to_utf8(&b, 1, NULL);
		ours = vienc_from_tcvn3(in, strlen(in));
		ref = by_iconv("TCVN5712-1", &b, 1);
		assert_non_null(ours);
		assert_non_null(ref);
		if (strcmp(ours, ref) != 0)
			fail_msg("TCVN3 byte 0x%02X: %s, iconv %s", c, ours,
			    ref);
		checked++;
		free(in);
		free(ours);
		free(ref);
	}
	assert_int_equal(checked, 0x17 + 0x80);
}

static void
test_vni(void **state)
{
	(void)state;
	check_vni("MA\xC4T", "MẬT");
	check_vni("TO\xC1I MA\xC4T", "TỐI MẬT");
	check_vni("TUYE\xC4T MA\xC4T", "TUYỆT MẬT");
	check_vni("\xD1o\xE4 ma\xE4t", "Độ mật");
	check_vni("U\xDBy ban nha\xE2n da\xE2n ph\xF6\xF4\xF8ng Tha\xF9i "
	    "Ho\xF8" "a", "Ủy ban nhân dân phường Thái Hòa");
	check_vni("Co\xE4ng ho\xF8" "a xa\xF5 ho\xE4i chu\xFB ngh\xF3" "a "
	    "Vie\xE4t Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam");
	check_vni(vni_low, alpha_low);
	check_vni(vni_up, alpha_up);
	/* a mark byte after a consonant is just that character */
	check_vni("x\xE2", "xâ");
}

static void
test_viqr(void **state)
{
	(void)state;
	check_viqr("MA^.T", "MẬT");
	check_viqr("TO^'I MA^.T", "TỐI MẬT");
	check_viqr("TUYE^.T MA^.T", "TUYỆT MẬT");
	check_viqr("DDo^. ma^.t", "Độ mật");
	check_viqr("U?y ban nha^n da^n phu+o+`ng Tha'i Ho`a",
	    "Ủy ban nhân dân phường Thái Hòa");
	check_viqr(viqr_low, alpha_low);
	check_viqr(viqr_up, alpha_up);
	/* the tone before the shape is read too; escapes stay literal */
	check_viqr("ma.^t", "mật");
	check_viqr("Ha\\. No^.i\\?", "Ha. Nội?");
	check_viqr("Dd", "Đ");
	assert_null(vienc_from_viqr("m\xC3\xA2t", 4));
}

static void
test_cp1258(void **state)
{
	unsigned c;

	(void)state;
	/* â + combining dot below, ê + dot below, Ơ + acute */
	check_cp1258("M\xC2\xF2T", "MẬT");
	check_cp1258("T\xD4\xECI M\xC2\xF2T", "TỐI MẬT");
	check_cp1258("TUY\xCA\xF2T M\xC2\xF2T", "TUYỆT MẬT");
	check_cp1258("\xD0\xF4\xF2 m\xE2\xF2t", "Độ mật");
	check_cp1258("U\xD2y ban nh\xE2n d\xE2n ph\xFD\xF5\xCCng Th\xE1i "
	    "Ho\xCC" "a", "Ủy ban nhân dân phường Thái Hòa");
	check_cp1258("Vi\xEA\xF2t", "Việt");
	check_cp1258("\x81", "\xEF\xBF\xBD");
	for (c = 0x80; c < 0x100; c++) {
		unsigned char b = (unsigned char)c;
		char *ours = vienc_from_cp1258(&b, 1), *ref;

		ref = by_iconv("CP1258", &b, 1);
		assert_non_null(ours);
		if (ref == NULL)
			assert_string_equal(ours, "\xEF\xBF\xBD");
		else if (strcmp(ours, ref) != 0)
			fail_msg("cp1258 byte 0x%02X: %s, iconv %s", c, ours,
			    ref);
		free(ours);
		free(ref);
	}
}

static void
test_utf16(void **state)
{
	/* BOM, "Mật", U+1F600 as a pair */
	static const unsigned char le[] = {0xFF, 0xFE, 'M', 0, 0xAD, 0x1E,
	    't', 0, 0x3D, 0xD8, 0x00, 0xDE};
	static const unsigned char be[] = {0xFE, 0xFF, 0, 'M', 0x1E, 0xAD,
	    0, 't'};
	static const unsigned char lone[] = {0x00, 0xD8, 'a', 0, 'b'};
	size_t n;
	char *s;

	(void)state;
	s = vienc_from_utf16(le, sizeof(le), true, &n);
	assert_string_equal(s, "Mật\xF0\x9F\x98\x80");
	assert_int_equal(n, strlen(s));
	free(s);
	s = vienc_from_utf16(be, sizeof(be), false, &n);
	assert_string_equal(s, "Mật");
	free(s);
	/* a lone high surrogate and an odd last byte: U+FFFD */
	s = vienc_from_utf16(lone, sizeof(lone), true, &n);
	assert_string_equal(s, "\xEF\xBF\xBD" "a\xEF\xBF\xBD");
	free(s);
	s = vienc_from_utf16(lone, 0, true, &n);
	assert_string_equal(s, "");
	assert_int_equal(n, 0);
	free(s);
}

static void
test_bytes(void **state)
{
	static const unsigned char b[] = {'A', 0x80, 0x81, 0x86, 0xCB, 0xFF};
	size_t n;
	char *s;

	(void)state;
	s = vienc_bytes_to_utf8(b, sizeof(b), &n);
	/* Windows-1252 view of 0x80–0x9F, code points elsewhere */
	assert_string_equal(s, "A€\xC2\x81†Ëÿ");
	assert_int_equal(n, strlen(s));
	free(s);
}

static void
test_bad(void **state)
{
	(void)state;
	/* code points no byte shows: not legacy text */
	assert_null(vienc_from_tcvn3("Mật", strlen("Mật")));
	assert_null(vienc_from_vni("Mật", strlen("Mật")));
	/* invalid UTF-8 */
	assert_null(vienc_from_tcvn3("\xC3", 1));
	assert_null(vienc_from_vni("a\xFF", 2));
	/* empty input is empty text */
	{
		char *s = vienc_from_tcvn3("", 0);

		assert_string_equal(s, "");
		free(s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcvn3_words),
		cmocka_unit_test(test_tcvn3_table),
		cmocka_unit_test(test_vni),
		cmocka_unit_test(test_viqr),
		cmocka_unit_test(test_cp1258),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
