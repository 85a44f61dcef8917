/*
 * test_gen_encode.c — the test corpus's own encoders (tests/secrets/
 * gen_text.c) against byte sequences taken from the standards (TCVN3 with
 * the .VnTimeH convention, VNI-Windows, VIQR, Windows-1258, NFD, UTF-16),
 * and the logical documents: where each kind puts its marking or decoy.
 * gen_text.c is included whole: the Makefile links unit tests against the
 * library only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../secrets/gen_text.c"

static void
check(const char *nfc, enum gen_enc enc, bool caps, const char *want,
    size_t wantlen)
{
	size_t n = 0;
	unsigned char *got = gen_encode(nfc, enc, caps, &n);

	if (n != wantlen || memcmp(got, want, n) != 0) {
		size_t i;

		print_error("%s in %s: got", nfc, gen_enc_name(enc));
		for (i = 0; i < n; i++)
			print_error(" %02X", got[i]);
		print_error("\n");
	}
	assert_int_equal(n, wantlen);
	assert_memory_equal(got, want, n);
	free(got);
}

#define CHECK(s, enc, caps, lit) check((s), (enc), (caps), (lit), \
	sizeof(lit) - 1)

static void
test_tcvn3(void **state)
{
	(void)state;
	/* The example: .VnTimeH "MẬT" is 4D CB 54. */
	CHECK("MẬT", GEN_ENC_TCVN3, true, "\x4D\xCB\x54");
	/* The normal font has no capital Ậ: the small letter is typed. */
	CHECK("MẬT", GEN_ENC_TCVN3, false, "\x4D\xCB\x54");
	CHECK("TỐI MẬT", GEN_ENC_TCVN3, true, "T\xE8I M\xCBT");
	CHECK("TUYỆT MẬT", GEN_ENC_TCVN3, true, "TUY\xD6T M\xCBT");
	CHECK("Độ mật", GEN_ENC_TCVN3, false, "\xA7\xE9 m\xCBt");
	CHECK("ĐỘ MẬT", GEN_ENC_TCVN3, true, "\xAE\xE9 M\xCBT");
	/* The seven capitals without tone exist in the normal font only. */
	CHECK("ĂÂÊÔƠƯ", GEN_ENC_TCVN3, false, "\xA1\xA2\xA3\xA4\xA5\xA6");
	CHECK("ĂÂÊÔƠƯ", GEN_ENC_TCVN3, true, "\xA8\xA9\xAA\xAB\xAC\xAD");
	CHECK("àảãáạ ỳỷỹýỵ", GEN_ENC_TCVN3, false,
	    "\xB5\xB6\xB7\xB8\xB9 \xFA\xFB\xFC\xFD\xFE");
	CHECK("Phường", GEN_ENC_TCVN3, false, "Ph\xAD\xEAng");
	CHECK("€", GEN_ENC_TCVN3, false, "?");
}

static void
test_vni(void **state)
{
	(void)state;
	/* The example: VNI "MẬT" is 4D 41 C4 54. */
	CHECK("MẬT", GEN_ENC_VNI, false, "\x4D\x41\xC4\x54");
	CHECK("mật", GEN_ENC_VNI, false, "ma\xE4t");
	CHECK("TỐI MẬT", GEN_ENC_VNI, false, "TO\xC1I MA\xC4T");
	CHECK("Tuyệt mật", GEN_ENC_VNI, false, "Tuye\xE4t ma\xE4t");
	CHECK("Độc", GEN_ENC_VNI, false, "\xD1o\xE4" "c");
	CHECK("ĐỘC", GEN_ENC_VNI, false, "\xD1O\xC4" "C");
	CHECK("Phường", GEN_ENC_VNI, false, "Ph\xF6\xF4\xF8ng");
	CHECK("ỦY", GEN_ENC_VNI, false, "U\xDBY");
	CHECK("í Í ị", GEN_ENC_VNI, false, "\xED \xCD \xF2");
	CHECK("ắ Ặ", GEN_ENC_VNI, false, "a\xE9 A\xCB");
}

static void
test_viqr(void **state)
{
	(void)state;
	CHECK("MẬT", GEN_ENC_VIQR, false, "MA^.T");
	CHECK("Tối mật", GEN_ENC_VIQR, false, "To^'i ma^.t");
	CHECK("Độc lập", GEN_ENC_VIQR, false, "DDo^.c la^.p");
	CHECK("Phường", GEN_ENC_VIQR, false, "Phu+o+`ng");
	/* A full stop after a letter would read as a dot below. */
	CHECK("Lưu: VT.", GEN_ENC_VIQR, false, "Lu+u: VT\\.");
	CHECK("Ủy ban.", GEN_ENC_VIQR, false, "U?y ban\\.");
	CHECK("123.", GEN_ENC_VIQR, false, "123.");
}

static void
test_cp1258(void **state)
{
	(void)state;
	CHECK("MẬT", GEN_ENC_CP1258, false, "M\xC2\xF2T");
	CHECK("Tối", GEN_ENC_CP1258, false, "T\xF4\xECi");
	CHECK("à ã ư Đ đ", GEN_ENC_CP1258, false, "\xE0 a\xDE \xFD \xD0 \xF0");
	/* ò is not precomposed in Windows-1258 (0xF2 is the dot below). */
	CHECK("Hòa", GEN_ENC_CP1258, false, "Ho\xCC" "a");
	CHECK("Hợp", GEN_ENC_CP1258, false, "H\xF5\xF2p");
}

static void
test_unicode(void **state)
{
	(void)state;
	CHECK("ậ", GEN_ENC_NFD, false, "a\xCC\xA3\xCC\x82");
	CHECK("MẬT", GEN_ENC_NFC, false, "M\xE1\xBA\xACT");
	CHECK("Mậ", GEN_ENC_UTF16LE, false, "\xFF\xFE\x4D\x00\xAD\x1E");
	CHECK("Mậ", GEN_ENC_UTF16BE, false, "\xFE\xFF\x00\x4D\x1E\xAD");
}

static void
test_latin1(void **state)
{
	char *s;
	const unsigned char b[] = {0x4D, 0xCB, 0x54, 0x80};

	(void)state;
	s = gen_latin1_utf8(b, sizeof(b));
	assert_string_equal(s, "M\xC3\x8BT\xE2\x82\xAC");
	free(s);
	assert_string_equal(gen_font(GEN_ENC_TCVN3, true), ".VnTimeH");
	assert_string_equal(gen_font(GEN_ENC_TCVN3, false), ".VnTime");
	assert_string_equal(gen_font(GEN_ENC_VNI, false), "VNI-Times");
	assert_null(gen_font(GEN_ENC_NFC, false));
}

/* Index of the first paragraph with that exact text, or -1. */
static long
find_para(const struct gen_doc *d, const char *text, size_t from)
{
	size_t i;

	for (i = from; i < d->npara; i++)
		if (strcmp(d->paras[i].text, text) == 0)
			return (long)i;
	return -1;
}

/* Page of paragraph i (1-based), counting breaks before it. */
static unsigned
page_of(const struct gen_doc *d, size_t i)
{
	unsigned p = 1;
	size_t j;

	for (j = 0; j <= i; j++)
		if (d->paras[j].flags & GEN_P_PAGEBREAK)
			p++;
	return p;
}

static void
test_doc_marks(void **state)
{
	static const enum gen_kind kinds[] = {GEN_STAMP_TOP, GEN_STAMP_HEADER,
	    GEN_STAMP_BOX, GEN_FIELD, GEN_COPY_MARK};
	static const char *const deg[] = {"", "MẬT", "TỐI MẬT", "TUYỆT MẬT"};
	struct gen_doc d;
	size_t k;
	unsigned g;
	long i;

	(void)state;
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
	for (g = DOC_DEGREE_MAT; g <= DOC_DEGREE_TUYET_MAT; g++) {
		gen_doc_make(&d, kinds[k], (enum doc_degree)g, GEN_ENC_NFC,
		    11 + g);
		assert_true(gen_doc_expected(&d));
		assert_int_equal(d.degree, g);
		assert_non_null(d.title);
		i = find_para(&d, "ỦY BAN NHÂN DÂN PHƯỜNG THÁI HÒA", 0);
		assert_in_range(i, 0, 1);
		assert_memory_equal(d.paras[i + 3].text, "Số: ", 5);
		switch (kinds[k]) {
		case GEN_STAMP_TOP:
		case GEN_COPY_MARK:
			assert_int_equal(find_para(&d, deg[g], 0), i + 4);
			assert_int_equal(d.paras[i + 4].where, GEN_BODY);
			assert_true(d.paras[i + 4].flags & GEN_P_BOLD);
			break;
		case GEN_STAMP_HEADER:
			assert_int_equal(find_para(&d, deg[g], 0), 0);
			assert_int_equal(d.paras[0].where, GEN_HEADER);
			break;
		case GEN_STAMP_BOX:
			assert_int_equal(find_para(&d, deg[g], 0), i + 4);
			assert_int_equal(d.paras[i + 4].where, GEN_BOX);
			assert_true(d.paras[i + 4].flags & GEN_P_FRAMED);
			break;
		case GEN_FIELD:
			assert_int_equal(find_para(&d, deg[g], 0), -1);
			assert_non_null(strstr(d.paras[i + 4].text, "ộ mật: ") ?
			    d.paras[i + 4].text : strstr(d.paras[i + 4].text,
			    "ĐỘ MẬT: "));
			break;
		default:
			break;
		}
		if (kinds[k] == GEN_COPY_MARK) {
			assert_string_equal(d.paras[i + 5].text,
			    g == DOC_DEGREE_TUYET_MAT ? "A" :
			    g == DOC_DEGREE_TOI_MAT ? "B" : "C");
			assert_int_equal(d.paras[i + 5].where, GEN_BOX);
			assert_memory_equal(d.paras[i + 6].text, "Bản số: ",
			    10);
		}
		gen_doc_free(&d);
	}
	/* A marking kind without a degree is a clean letter. */
	gen_doc_make(&d, GEN_STAMP_TOP, DOC_DEGREE_NONE, GEN_ENC_NFC, 1);
	assert_false(gen_doc_expected(&d));
	for (g = 1; g <= 3; g++)
		assert_int_equal(find_para(&d, deg[g], 0), -1);
	gen_doc_free(&d);
}

static void
test_doc_decoys(void **state)
{
	struct gen_doc d;
	unsigned seed;
	long i;

	(void)state;
	for (seed = 0; seed < 20; seed++) {
		gen_doc_make(&d, GEN_DECOY_LATE, DOC_DEGREE_MAT, GEN_ENC_NFC,
		    seed);
		assert_false(gen_doc_expected(&d));
		assert_int_equal(d.degree, DOC_DEGREE_NONE);
		i = find_para(&d, "MẬT", 0);
		assert_true(i > 60);
		assert_true(page_of(&d, (size_t)i) >= 3);
		assert_string_equal(d.paras[i + 1].text, "TỐI MẬT");
		assert_string_equal(d.paras[i + 2].text, "TUYỆT MẬT");
		gen_doc_free(&d);

		gen_doc_make(&d, GEN_DECOY_RULES, DOC_DEGREE_NONE,
		    GEN_ENC_NFC, seed);
		assert_false(gen_doc_expected(&d));
		assert_int_equal(find_para(&d, "MẬT", 0), -1);
		assert_in_range(find_para(&d,
		    "QUY CHẾ BẢO VỆ BÍ MẬT NHÀ NƯỚC", 0), 4, 8);
		gen_doc_free(&d);

		gen_doc_make(&d, GEN_DECOY_WORDS, DOC_DEGREE_NONE,
		    GEN_ENC_NFC, seed);
		assert_int_equal(find_para(&d, "MẬT", 0), -1);
		assert_in_range(find_para(&d, "BẢO MẬT THÔNG TIN", 0), 5, 9);
		assert_in_range(find_para(&d, "MẬT KHẨU VÀ TÀI KHOẢN", 0), 6,
		    14);
		gen_doc_free(&d);
	}
}

/* Same seed, same document; every paragraph encodable in every
 * encoding (no '?' for a character the encoding lacks). */
static void
test_doc_stable(void **state)
{
	struct gen_doc a, b;
	size_t i, n, total = 0;
	int k, e;

	(void)state;
	for (k = 0; k < GEN_KIND_COUNT; k++) {
		gen_doc_make(&a, (enum gen_kind)k, DOC_DEGREE_TUYET_MAT,
		    GEN_ENC_NFC, 42);
		gen_doc_make(&b, (enum gen_kind)k, DOC_DEGREE_TUYET_MAT,
		    GEN_ENC_NFC, 42);
		assert_int_equal(a.npara, b.npara);
		assert_true(a.npara >= 20);
		for (i = 0; i < a.npara; i++) {
			assert_string_equal(a.paras[i].text, b.paras[i].text);
			for (e = GEN_ENC_TCVN3; e <= GEN_ENC_CP1258; e++) {
				unsigned char *s = gen_encode(a.paras[i].text,
				    (enum gen_enc)e, false, &n);

				if (memchr(s, '?', n) != NULL &&
				    e != GEN_ENC_VIQR)
					fail_msg("%s: %s", gen_enc_name(
					    (enum gen_enc)e), a.paras[i].text);
				free(s);
			}
			total += strlen(a.paras[i].text);
		}
		gen_doc_free(&a);
		gen_doc_free(&b);
	}
	assert_true(total > 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcvn3),
		cmocka_unit_test(test_vni),
		cmocka_unit_test(test_viqr),
		cmocka_unit_test(test_cp1258),
		cmocka_unit_test(test_unicode),
		cmocka_unit_test(test_latin1),
		cmocka_unit_test(test_doc_marks),
		cmocka_unit_test(test_doc_decoys),
		cmocka_unit_test(test_doc_stable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
