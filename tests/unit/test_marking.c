/*
 * test_marking.c — the detector of marking.c fed line by line, as an
 * extractor would: each degree by each rule (stamp in header, box, top of
 * page 1, table cell, sheet cell; the "Độ mật" field; copy marks and the
 * stamp's wording) in each encoding is reported with the right degree,
 * rule, part and page; the decoys of docs/secrets.md are not; the SKIP
 * and STOP answers; the evidence text; and the logical documents of the
 * test corpus (tests/secrets/gen.h) in every encoding, line by line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "secrets/doc.h"
/* the test corpus's logical documents and encoders (written apart from
 * vienc.c); included whole: unit tests link against the library only */
#include "../secrets/gen_text.c"

#define BODY	"word/document.xml"
#define HDR	"word/header1.xml"

static struct doc_detector *mk_det;

static int
mk_setup(void **state)
{
	(void)state;
	mk_det = doc_detector_new();
	return mk_det == NULL;
}

static int
mk_teardown(void **state)
{
	(void)state;
	doc_detector_free(mk_det);
	return 0;
}

static enum doc_next
mk_feed_enc(enum doc_zone zone, unsigned flags, enum doc_enc enc,
    unsigned page, unsigned index, const char *part, const char *text)
{
	struct doc_line l;
	struct doc_sink *s = doc_detector_sink(mk_det);

	memset(&l, 0, sizeof(l));
	l.text = text;
	l.len = strlen(text);
	l.zone = zone;
	l.flags = flags;
	l.enc = enc;
	l.page = page;
	l.index = index;
	l.part = part;
	return s->line(s, &l);
}

static enum doc_next
mk_feed(enum doc_zone zone, unsigned page, unsigned index, const char *part,
    const char *text)
{
	return mk_feed_enc(zone, 0, DOC_ENC_UNICODE, page, index, part, text);
}

/* Legacy bytes as an extractor passes them (code points of the bytes). */
static enum doc_next
mk_feed_legacy(enum doc_zone zone, unsigned flags, enum doc_enc enc,
    unsigned index, const char *bytes)
{
	char *t = vienc_bytes_to_utf8((const unsigned char *)bytes,
	    strlen(bytes), NULL);
	enum doc_next r;

	assert_non_null(t);
	r = mk_feed_enc(zone, flags, enc, 1, index, BODY, t);
	free(t);
	return r;
}

/* The letterhead of an official letter, lines 0–3 of page 1. */
static void
mk_letterhead(void)
{
	doc_detector_reset(mk_det);
	mk_feed(DOC_ZONE_BODY, 1, 0, BODY, "ỦY BAN NHÂN DÂN PHƯỜNG THÁI HÒA");
	mk_feed(DOC_ZONE_BODY, 1, 1, BODY,
	    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	mk_feed(DOC_ZONE_BODY, 1, 2, BODY, "Độc lập - Tự do - Hạnh phúc");
	mk_feed(DOC_ZONE_BODY, 1, 3, BODY, "Số: 12/UBND-CA");
}

static void
mk_tail(unsigned from)
{
	mk_feed(DOC_ZONE_BODY, 1, from, BODY,
	    "Thái Hòa, ngày 05 tháng 3 năm 2026");
	mk_feed(DOC_ZONE_BODY, 1, from + 1, BODY, "BÁO CÁO");
}

static void
mk_verdict(struct doc_verdict *v)
{
	doc_detector_verdict(mk_det, v);
}

static void
mk_expect(enum doc_degree g, const char *rule)
{
	struct doc_verdict v;

	mk_verdict(&v);
	if (v.degree != g)
		fail_msg("degree %s, want %s (rule %s, marking %s)",
		    doc_degree_code(v.degree), doc_degree_code(g), v.rule,
		    v.marking);
	if (g != DOC_DEGREE_NONE)
		assert_string_equal(v.rule, rule);
	else
		assert_int_equal(v.confidence, 0);
}

/* The verdict into *v: of degree g, read in encoding enc. */
static void
mk_expect_enc(struct doc_verdict *v, enum doc_degree g, const char *enc)
{
	mk_verdict(v);
	assert_int_equal(v->degree, g);
	assert_string_equal(v->encoding, enc);
}

static const char *const mk_degrees[] = {"", "MẬT", "TỐI MẬT", "TUYỆT MẬT"};

static void
test_stamp_top(void **state)
{
	struct doc_verdict v;
	enum doc_degree g;

	(void)state;
	for (g = DOC_DEGREE_MAT; g <= DOC_DEGREE_TUYET_MAT; g++) {
		mk_letterhead();
		mk_feed_enc(DOC_ZONE_BODY, DOC_F_BOLD | DOC_F_CENTER,
		    DOC_ENC_UNICODE, 1, 4, BODY, mk_degrees[g]);
		mk_tail(5);
		mk_verdict(&v);
		assert_int_equal(v.degree, g);
		assert_string_equal(v.rule, "stamp-top");
		assert_int_equal(v.confidence, 85);
		assert_string_equal(v.marking, mk_degrees[g]);
		assert_string_equal(v.part, BODY);
		assert_int_equal(v.page, 1);
		assert_string_equal(v.encoding, "unicode");
	}
	/* the evidence: the line between its neighbours */
	assert_string_equal(v.evidence, "Số: 12/UBND-CA ⟨TUYỆT MẬT⟩ Thái "
	    "Hòa, ngày 05 tháng 3 năm 2026");
	assert_string_equal(doc_degree_code(v.degree), "tuyet-mat");
}

static void
test_stamp_places(void **state)
{
	struct doc_verdict v;

	(void)state;
	/* a header, on any page */
	mk_letterhead();
	mk_feed(DOC_ZONE_HEADER, 0, 0, HDR, "TỐI MẬT");
	mk_tail(4);
	mk_verdict(&v);
	assert_int_equal(v.degree, DOC_DEGREE_TOI_MAT);
	assert_string_equal(v.rule, "stamp-header");
	assert_string_equal(v.part, HDR);
	assert_int_equal(v.page, 0);
	/* a framed box on page 1 */
	mk_letterhead();
	mk_feed_enc(DOC_ZONE_BOX, DOC_F_FRAMED, DOC_ENC_UNICODE, 1, 0,
	    "word/document.xml", "MẬT");
	mk_verdict(&v);
	assert_int_equal(v.degree, DOC_DEGREE_MAT);
	assert_string_equal(v.rule, "stamp-box");
	assert_int_equal(v.confidence, 88);
	/* a box on page 3 is no stamp */
	mk_letterhead();
	mk_feed(DOC_ZONE_BOX, 3, 0, BODY, "MẬT");
	mk_expect(DOC_DEGREE_NONE, NULL);
	/* the letterhead table of a letter */
	doc_detector_reset(mk_det);
	mk_feed(DOC_ZONE_TABLE, 1, 0, BODY, "ỦY BAN NHÂN DÂN PHƯỜNG THÁI HÒA");
	mk_feed(DOC_ZONE_TABLE, 1, 1, BODY,
	    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	mk_feed(DOC_ZONE_TABLE, 1, 2, BODY, "Số: 7/CA");
	mk_feed(DOC_ZONE_TABLE, 1, 3, BODY, "TUYỆT MẬT");
	mk_expect(DOC_DEGREE_TUYET_MAT, "stamp-top");
	/* a cell of the first sheet; the 40th cell or sheet 2 are not */
	doc_detector_reset(mk_det);
	mk_feed(DOC_ZONE_CELL, 1, 1, "Sheet1!A1", "Báo cáo quý");
	mk_feed(DOC_ZONE_CELL, 1, 2, "Sheet1!C1", "MẬT");
	mk_feed(DOC_ZONE_CELL, 1, 3, "Sheet1!A2", "Đơn vị");
	mk_verdict(&v);
	assert_int_equal(v.degree, DOC_DEGREE_MAT);
	assert_string_equal(v.part, "Sheet1!C1");
	/* the neighbours of a cell are the cells of its sheet */
	assert_string_equal(v.evidence, "Báo cáo quý ⟨MẬT⟩ Đơn vị");
	doc_detector_reset(mk_det);
	mk_feed(DOC_ZONE_CELL, 1, 40, "Sheet1!C9", "MẬT");
	mk_feed(DOC_ZONE_CELL, 2, 0, "Sheet2!A1", "MẬT");
	mk_expect(DOC_DEGREE_NONE, NULL);
	/* a footer; an e-mail subject */
	doc_detector_reset(mk_det);
	mk_feed(DOC_ZONE_FOOTER, 0, 0, "word/footer1.xml", "MẬT");
	mk_expect(DOC_DEGREE_MAT, "stamp-footer");
	doc_detector_reset(mk_det);
	mk_feed(DOC_ZONE_SUBJECT, 0, 0, "", "[TỐI MẬT]");
	mk_expect(DOC_DEGREE_TOI_MAT, "stamp-subject");
	/* slide 1 body; OCR text at the top of a scanned page */
	doc_detector_reset(mk_det);
	mk_feed(DOC_ZONE_OCR, 1, 2, "trang 1", "TUYỆT MẬT");
	mk_expect(DOC_DEGREE_TUYET_MAT, "stamp-top");
}

static void
test_stamp_forms(void **state)
{
	static const struct {
		const char *text;
		enum doc_degree g;
		unsigned conf;
	} ok[] = {
		{"MẬT - A", DOC_DEGREE_MAT, 92},
		{"TỐI MẬT (B)", DOC_DEGREE_TOI_MAT, 92},
		{"MẬT A", DOC_DEGREE_MAT, 92},
		{"TUYỆT MẬT Bản số: 02", DOC_DEGREE_TUYET_MAT, 92},
		{"\"TỐI MẬT\"", DOC_DEGREE_TOI_MAT, 85},
		{"*** MẬT ***", DOC_DEGREE_MAT, 85},
		{"[ TUYỆT MẬT ]", DOC_DEGREE_TUYET_MAT, 85},
		{"T Ố I   M Ậ T", DOC_DEGREE_TOI_MAT, 85},
		{"TỐI\u00a0MẬT", DOC_DEGREE_TOI_MAT, 85},
		{"— MẬT —", DOC_DEGREE_MAT, 85},
	};
	struct doc_verdict v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		mk_letterhead();
		mk_feed(DOC_ZONE_BODY, 1, 4, BODY, ok[i].text);
		mk_verdict(&v);
		if (v.degree != ok[i].g || v.confidence != ok[i].conf)
			fail_msg("%s: %s %u", ok[i].text,
			    doc_degree_code(v.degree), v.confidence);
	}
	/* DOC_F_CAPS: small letters shown as capitals */
	mk_letterhead();
	mk_feed_enc(DOC_ZONE_BODY, DOC_F_CAPS, DOC_ENC_UNICODE, 1, 4, BODY,
	    "tối mật");
	mk_verdict(&v);
	assert_int_equal(v.degree, DOC_DEGREE_TOI_MAT);
	assert_string_equal(v.marking, "TỐI MẬT");
}

static void
test_copy_and_wording(void **state)
{
	struct doc_verdict v;
	enum doc_next r;

	(void)state;
	/* stamp + copy mark box + copy number */
	mk_letterhead();
	mk_feed(DOC_ZONE_BODY, 1, 4, BODY, "TỐI MẬT");
	mk_feed_enc(DOC_ZONE_BOX, DOC_F_FRAMED, DOC_ENC_UNICODE, 1, 0, BODY,
	    "B");
	mk_feed(DOC_ZONE_BODY, 1, 5, BODY, "Bản số: 02");
	mk_verdict(&v);
	assert_int_equal(v.degree, DOC_DEGREE_TOI_MAT);
	assert_int_equal(v.confidence, 92);
	/* stamp + the stamp's wording + copy mark: STOP once settled */
	mk_letterhead();
	mk_feed(DOC_ZONE_BOX, 1, 0, BODY, "CHỈ NGƯỜI CÓ TÊN MỚI ĐƯỢC BÓC BÌ");
	mk_feed(DOC_ZONE_BOX, 1, 1, BODY, "A");
	r = mk_feed(DOC_ZONE_HEADER, 0, 0, HDR, "TUYỆT MẬT");
	assert_int_equal(r, DOC_NEXT_MORE);	/* its next line not seen */
	r = mk_feed(DOC_ZONE_HEADER, 0, 1, HDR, "Trang 1");
	assert_int_equal(r, DOC_NEXT_STOP);
	mk_verdict(&v);
	assert_int_equal(v.degree, DOC_DEGREE_TUYET_MAT);
	assert_int_equal(v.confidence, 99);
	assert_string_equal(v.evidence, "⟨TUYỆT MẬT⟩ Trang 1");
	/* the wording or copy marks alone are no degree */
	mk_letterhead();
	mk_feed(DOC_ZONE_BODY, 1, 4, BODY, "TÀI LIỆU THU HỒI");
	mk_feed(DOC_ZONE_BODY, 1, 5, BODY, "KHÔNG ĐƯỢC PHÉP SAO, CHỤP");
	mk_feed(DOC_ZONE_BOX, 1, 0, BODY, "A");
	mk_feed(DOC_ZONE_BODY, 1, 6, BODY, "Bản số: 01");
	mk_expect(DOC_DEGREE_NONE, NULL);
	/* TUYỆT MẬT alone (85) is not sure enough to stop */
	mk_letterhead();
	mk_feed(DOC_ZONE_BODY, 1, 4, BODY, "TUYỆT MẬT");
	assert_int_equal(mk_feed(DOC_ZONE_BODY, 1, 5, BODY, "Kính gửi:"),
	    DOC_NEXT_MORE);
}

static void
test_field(void **state)
{
	static const struct {
		const char *text;
		enum doc_degree g;
	} cases[] = {
		{"Độ mật: Tối mật", DOC_DEGREE_TOI_MAT},
		{"ĐỘ MẬT: TUYỆT MẬT", DOC_DEGREE_TUYET_MAT},
		{"Độ mật - MẬT", DOC_DEGREE_MAT},
		{"Độ khẩn: Hỏa tốc    Độ mật: Mật", DOC_DEGREE_MAT},
		{"Độ mật: Tuyệt mật   Độ khẩn: Khẩn", DOC_DEGREE_TUYET_MAT},
		{"độ mật: mật", DOC_DEGREE_MAT},
		/* blanks, "no", form lists, sentences */
		{"Độ mật: ..........", DOC_DEGREE_NONE},
		{"Độ mật:", DOC_DEGREE_NONE},
		{"Độ mật: Không", DOC_DEGREE_NONE},
		{"Độ mật: Thường", DOC_DEGREE_NONE},
		{"Độ mật: Mật, Tối mật, Tuyệt mật", DOC_DEGREE_NONE},
		{"Độ mật (nếu có): ......", DOC_DEGREE_NONE},
		{"Tài liệu có độ mật: Tối mật phải được bảo quản trong két",
		    DOC_DEGREE_NONE},
		{"ĐỘ MẬT", DOC_DEGREE_NONE},
	};
	struct doc_verdict v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mk_letterhead();
		mk_feed(DOC_ZONE_BODY, 1, 4, BODY, cases[i].text);
		mk_verdict(&v);
		if (v.degree != cases[i].g)
			fail_msg("%s: %s", cases[i].text,
			    doc_degree_code(v.degree));
		if (v.degree != DOC_DEGREE_NONE) {
			assert_string_equal(v.rule, "field");
			assert_int_equal(v.confidence, 75);
		}
	}
	/* in the document's properties too; not deep in the body */
	doc_detector_reset(mk_det);
	mk_feed(DOC_ZONE_META, 0, 0, "docProps/core.xml", "Độ mật: Mật");
	mk_expect(DOC_DEGREE_MAT, "field");
	mk_letterhead();
	mk_feed(DOC_ZONE_BODY, 1, 30, BODY, "Độ mật: Mật");
	mk_expect(DOC_DEGREE_NONE, NULL);
	/* a field and a stamp agreeing: the stamp, a little surer */
	mk_letterhead();
	mk_feed(DOC_ZONE_BODY, 1, 4, BODY, "Độ mật: Tối mật");
	mk_feed(DOC_ZONE_HEADER, 0, 0, HDR, "TỐI MẬT");
	mk_verdict(&v);
	assert_string_equal(v.rule, "stamp-header");
	assert_int_equal(v.confidence, 88);
}

static void
test_encodings(void **state)
{
	struct doc_verdict v;

	(void)state;
	/* TCVN3 .VnTimeH: "MẬT" is 4D CB 54, capitals by the font */
	mk_letterhead();
	mk_feed_legacy(DOC_ZONE_BODY, DOC_F_CAPS, DOC_ENC_TCVN3, 4, "M\xCBT");
	mk_expect_enc(&v, DOC_DEGREE_MAT, "tcvn3");
	assert_string_equal(v.marking, "MẬT");
	/* …and without the flag: the ASCII letters are capitals */
	mk_letterhead();
	mk_feed_legacy(DOC_ZONE_BODY, 0, DOC_ENC_TCVN3, 4, "T\xE8I M\xCBT");
	mk_expect(DOC_DEGREE_TOI_MAT, "stamp-top");
	/* small letters in a normal .VnTime font: not a stamp */
	mk_letterhead();
	mk_feed_legacy(DOC_ZONE_BODY, 0, DOC_ENC_TCVN3, 4, "m\xCBt");
	mk_expect(DOC_DEGREE_NONE, NULL);
	/* TCVN3 field: "Độ mật: Tuyệt mật" */
	mk_letterhead();
	mk_feed_legacy(DOC_ZONE_BODY, 0, DOC_ENC_TCVN3, 4,
	    "\xA7\xE9 m\xCBt: Tuy\xD6t m\xCBt");
	mk_expect(DOC_DEGREE_TUYET_MAT, "field");
	/* VNI-Windows: "MẬT" is 4D 41 C4 54 */
	mk_letterhead();
	mk_feed_legacy(DOC_ZONE_HEADER, 0, DOC_ENC_VNI, 0, "TUYE\xC4T MA\xC4T");
	mk_expect_enc(&v, DOC_DEGREE_TUYET_MAT, "vni");
	/* 8-bit text of unknown code page: TCVN3, VNI, Windows-1258 */
	mk_letterhead();
	mk_feed_legacy(DOC_ZONE_BODY, 0, DOC_ENC_UNKNOWN_8BIT, 4, "M\xCBT");
	mk_expect_enc(&v, DOC_DEGREE_MAT, "tcvn3");
	mk_letterhead();
	mk_feed_legacy(DOC_ZONE_BODY, 0, DOC_ENC_UNKNOWN_8BIT, 4,
	    "TO\xC1I MA\xC4T");
	mk_expect_enc(&v, DOC_DEGREE_TOI_MAT, "vni");
	mk_letterhead();
	mk_feed_legacy(DOC_ZONE_BODY, 0, DOC_ENC_UNKNOWN_8BIT, 4,
	    "T\xD4\xECI M\xC2\xF2T");
	mk_expect_enc(&v, DOC_DEGREE_TOI_MAT, "cp1258");
	/* raw Windows-1258 bytes passed as "Unicode" (invalid UTF-8) */
	mk_letterhead();
	mk_feed(DOC_ZONE_BODY, 1, 4, BODY, "M\xC2\xF2T");
	mk_expect_enc(&v, DOC_DEGREE_MAT, "cp1258");
	/* legacy text an extractor did not recognise (Unicode "MËT") */
	mk_letterhead();
	mk_feed(DOC_ZONE_BODY, 1, 4, BODY, "MËT");
	mk_expect_enc(&v, DOC_DEGREE_MAT, "tcvn3");
	/* VIQR, as a whole stamp line */
	mk_letterhead();
	mk_feed(DOC_ZONE_BODY, 1, 4, BODY, "TO^'I MA^.T");
	mk_expect_enc(&v, DOC_DEGREE_TOI_MAT, "viqr");
	assert_string_equal(v.marking, "TỐI MẬT");
	mk_letterhead();
	mk_feed(DOC_ZONE_BODY, 1, 4, BODY, "Ba?o ma^.t tho^ng tin");
	mk_expect(DOC_DEGREE_NONE, NULL);
	/* NFD */
	mk_letterhead();
	mk_feed(DOC_ZONE_BODY, 1, 4, BODY, "TUYE\xCC\x82\xCC\xA3T MA\xCC\xA3"
	    "\xCC\x82T");
	mk_verdict(&v);
	assert_int_equal(v.degree, DOC_DEGREE_TUYET_MAT);
	assert_string_equal(v.marking, "TUYỆT MẬT");
}

static void
test_decoys(void **state)
{
	static const char *const decoys[] = {
		"mật khẩu", "Mật khẩu", "MẬT KHẨU", "MẬT KHẨU VÀ TÀI KHOẢN",
		"Bảo mật thông tin", "BẢO MẬT THÔNG TIN", "BẢO MẬT", "BÍ MẬT",
		"QUY CHẾ BẢO VỆ BÍ MẬT NHÀ NƯỚC", "Bí mật Nhà nước",
		"Tài liệu bí mật nhà nước độ Tối mật phải được bảo quản.",
		"mật độ dân số", "MẬT ĐỘ DÂN SỐ", "mật ong", "MẬT ONG",
		"quan hệ mật thiết", "MẬT MÃ", "tài liệu mật", "TÀI LIỆU MẬT",
		"Mật", "mật", "Tối mật", "Tuyệt mật", "MẬT?", "MẬT!",
		"MẬT, TỐI MẬT, TUYỆT MẬT", "MẬT / TỐI MẬT", "Độ mật",
		("Không soạn thảo, sao chép, lưu trữ tài liệu có nội dung "
		"bí mật Nhà nước trên máy tính kết nối mạng"),
		"MAT", "TOI MAT", "MẶT", "MẬT X", "MẬT D",
	};
	size_t i;
	struct doc_verdict v;
	enum doc_zone zones[] = {DOC_ZONE_BODY, DOC_ZONE_HEADER, DOC_ZONE_BOX};
	size_t z;

	(void)state;
	for (z = 0; z < 3; z++)
		for (i = 0; i < sizeof(decoys) / sizeof(decoys[0]); i++) {
			mk_letterhead();
			mk_feed(zones[z], 1, 4, BODY, decoys[i]);
			mk_tail(5);
			mk_verdict(&v);
			if (v.degree != DOC_DEGREE_NONE)
				fail_msg("decoy \"%s\" (zone %d) taken as %s",
				    decoys[i], (int)zones[z],
				    doc_degree_code(v.degree));
		}
}

static void
test_late_and_lists(void **state)
{
	(void)state;
	/* deep in the body: page 3, line 70, line 30 unframed */
	mk_letterhead();
	mk_feed(DOC_ZONE_BODY, 3, 0, BODY, "MẬT");
	mk_expect(DOC_DEGREE_NONE, NULL);
	doc_detector_reset(mk_det);
	mk_feed(DOC_ZONE_BODY, 0, 70, BODY, "TỐI MẬT");
	mk_expect(DOC_DEGREE_NONE, NULL);
	mk_letterhead();
	mk_feed(DOC_ZONE_BODY, 1, 30, BODY, "TỐI MẬT");
	mk_expect(DOC_DEGREE_NONE, NULL);
	/* lower on page 1 but drawn as a stamp */
	mk_letterhead();
	mk_feed_enc(DOC_ZONE_BODY, DOC_F_FRAMED, DOC_ENC_UNICODE, 1, 30, BODY,
	    "TỐI MẬT");
	mk_expect(DOC_DEGREE_TOI_MAT, "stamp-page1");
	/* a list of the degrees at the top: a form sample, not a stamp */
	mk_letterhead();
	mk_feed(DOC_ZONE_BODY, 1, 4, BODY, "Mẫu dấu chỉ độ mật:");
	mk_feed(DOC_ZONE_BODY, 1, 5, BODY, "TUYỆT MẬT");
	mk_feed(DOC_ZONE_BODY, 1, 6, BODY, "TỐI MẬT");
	mk_feed(DOC_ZONE_BODY, 1, 7, BODY, "MẬT");
	mk_feed(DOC_ZONE_BODY, 1, 8, BODY, "Ghi chú: đóng dấu màu đỏ.");
	mk_expect(DOC_DEGREE_NONE, NULL);
	/* the highest degree among markings wins */
	mk_letterhead();
	mk_feed(DOC_ZONE_HEADER, 0, 0, HDR, "MẬT");
	mk_feed(DOC_ZONE_BOX, 1, 0, BODY, "TỐI MẬT");
	mk_expect(DOC_DEGREE_TOI_MAT, "stamp-box");
}

static void
test_answers(void **state)
{
	(void)state;
	doc_detector_reset(mk_det);
	assert_int_equal(mk_feed(DOC_ZONE_BODY, 1, 0, BODY, "Một dòng"),
	    DOC_NEXT_MORE);
	assert_int_equal(mk_feed(DOC_ZONE_BODY, 1, 59, BODY, "Một dòng"),
	    DOC_NEXT_MORE);
	assert_int_equal(mk_feed(DOC_ZONE_BODY, 1, 60, BODY, "Một dòng"),
	    DOC_NEXT_SKIP);
	assert_int_equal(mk_feed(DOC_ZONE_BODY, 2, 0, BODY, "Trang hai"),
	    DOC_NEXT_SKIP);
	assert_int_equal(mk_feed(DOC_ZONE_TABLE, 2, 0, BODY, "Ô"),
	    DOC_NEXT_SKIP);
	assert_int_equal(mk_feed(DOC_ZONE_CELL, 1, 30, "Sheet1!A9", "1"),
	    DOC_NEXT_SKIP);
	assert_int_equal(mk_feed(DOC_ZONE_CELL, 2, 0, "Sheet2!A1", "1"),
	    DOC_NEXT_SKIP);
	assert_int_equal(mk_feed(DOC_ZONE_NOTE, 1, 0, "word/comments.xml",
	    "MẬT"), DOC_NEXT_SKIP);
	assert_int_equal(mk_feed(DOC_ZONE_HEADER, 5, 9, HDR, "Trang 5"),
	    DOC_NEXT_MORE);
	assert_int_equal(mk_feed(DOC_ZONE_BOX, 4, 0, BODY, "Hộp"),
	    DOC_NEXT_MORE);
	/* a comment saying MẬT is no marking */
	mk_expect(DOC_DEGREE_NONE, NULL);
}

/* Valid UTF-8 without control characters. */
static bool
mk_text_ok(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t c;
	utf8proc_ssize_t k;

	while (*p != '\0') {
		k = utf8proc_iterate(p, -1, &c);
		if (k <= 0 || c < 0x20 || (c >= 0x7F && c < 0xA0))
			return false;
		p += k;
	}
	return true;
}

static void
test_evidence(void **state)
{
	char before[600], after[600];
	struct doc_verdict v;
	size_t i;

	(void)state;
	/* long neighbours with control characters: cut, cleaned */
	strcpy(before, "Trước\t\x01");
	for (i = 0; i < 60; i++)
		strcat(before, "ệ ");
	strcpy(after, "Sau\x7f");
	for (i = 0; i < 60; i++)
		strcat(after, "ữa ");
	doc_detector_reset(mk_det);
	mk_feed(DOC_ZONE_BODY, 1, 0, BODY, before);
	mk_feed(DOC_ZONE_BODY, 1, 1, BODY, "MẬT");
	mk_feed(DOC_ZONE_BODY, 1, 2, BODY, after);
	mk_verdict(&v);
	assert_int_equal(v.degree, DOC_DEGREE_MAT);
	assert_true(strlen(v.evidence) <= 300);
	assert_true(mk_text_ok(v.evidence));
	assert_non_null(strstr(v.evidence, " ⟨MẬT⟩ Sau ữa ữa"));
	assert_true(strncmp(v.evidence, "…", strlen("…")) == 0);
	assert_true(strcmp(v.evidence + strlen(v.evidence) - strlen("…"),
	    "…") == 0);
	/* the neighbours are of the same part only */
	doc_detector_reset(mk_det);
	mk_feed(DOC_ZONE_HEADER, 0, 0, "word/header2.xml", "Đầu trang khác");
	mk_feed(DOC_ZONE_HEADER, 0, 0, HDR, "MẬT");
	mk_feed(DOC_ZONE_BODY, 1, 0, BODY, "Thân");
	mk_verdict(&v);
	assert_string_equal(v.evidence, "⟨MẬT⟩");
}

/* One logical document of the corpus, encoded, fed as an extractor of a
 * word processor would: body lines with pages, header, box. */
static enum doc_degree
mk_run_doc(enum gen_kind kind, enum doc_degree g, enum gen_enc enc,
    unsigned seed)
{
	struct gen_doc d;
	struct doc_verdict v;
	unsigned page = 1, idx[5] = {0};
	size_t i;
	bool skip = false;

	doc_detector_reset(mk_det);
	gen_doc_make(&d, kind, g, enc, seed);
	for (i = 0; i < d.npara; i++) {
		const struct gen_para *p = &d.paras[i];
		bool caps = (p->flags & GEN_P_CAPS) != 0;
		unsigned flags = 0;
		enum doc_enc de = DOC_ENC_UNICODE;
		enum doc_zone z = DOC_ZONE_BODY;
		unsigned char *b;
		char *t;
		size_t n;
		enum doc_next r;

		if (p->flags & GEN_P_PAGEBREAK)
			page++;
		b = gen_encode(p->text, enc, caps, &n);
		if (enc == GEN_ENC_TCVN3 || enc == GEN_ENC_VNI) {
			t = gen_latin1_utf8(b, n);
			de = enc == GEN_ENC_TCVN3 ? DOC_ENC_TCVN3 : DOC_ENC_VNI;
			if (enc == GEN_ENC_TCVN3 && caps)
				flags |= DOC_F_CAPS;
		} else if (enc == GEN_ENC_CP1258) {
			t = vienc_bytes_to_utf8(b, n, NULL);
			de = DOC_ENC_UNKNOWN_8BIT;
		} else if (enc == GEN_ENC_UTF16LE || enc == GEN_ENC_UTF16BE)
			t = vienc_from_utf16(b, n, enc == GEN_ENC_UTF16LE,
			    NULL);
		else {
			t = malloc(n + 1);
			assert_non_null(t);
			memcpy(t, b, n);
			t[n] = '\0';
		}
		free(b);
		assert_non_null(t);
		if (p->where == GEN_HEADER)
			z = DOC_ZONE_HEADER;
		else if (p->where == GEN_BOX)
			z = DOC_ZONE_BOX;
		else if (p->where == GEN_FOOTER)
			z = DOC_ZONE_FOOTER;
		else if (p->where == GEN_NOTE)
			z = DOC_ZONE_NOTE;
		if (p->flags & GEN_P_BOLD)
			flags |= DOC_F_BOLD;
		if (p->flags & GEN_P_CENTER)
			flags |= DOC_F_CENTER;
		if (p->flags & GEN_P_FRAMED)
			flags |= DOC_F_FRAMED;
		r = DOC_NEXT_MORE;
		if (!(skip && z == DOC_ZONE_BODY))
			r = mk_feed_enc(z, flags, de, page, idx[p->where]++,
			    z == DOC_ZONE_HEADER ? HDR : BODY, t);
		free(t);
		if (r == DOC_NEXT_STOP)
			break;
		if (r == DOC_NEXT_SKIP && z == DOC_ZONE_BODY)
			skip = true;
	}
	mk_verdict(&v);
	if (gen_doc_expected(&d) && v.degree == g)
		assert_true(v.confidence >= 75);
	gen_doc_free(&d);
	return v.degree;
}

static void
test_corpus(void **state)
{
	unsigned k, g, e, seed;

	(void)state;
	for (k = 0; k < GEN_KIND_COUNT; k++)
		for (g = 0; g <= DOC_DEGREE_TUYET_MAT; g++) {
			enum doc_degree want = k <= GEN_COPY_MARK ? g : 0;

			if ((k <= GEN_COPY_MARK) != (g != 0))
				continue;
			for (e = 0; e < GEN_ENC_COUNT; e++)
				for (seed = 1; seed <= 3; seed++)
					if (mk_run_doc(k, g, e, seed) != want)
						fail_msg("%s-%s-%s-%u: got %s",
						    gen_kind_name(k),
						    doc_degree_code(g),
						    gen_enc_name(e), seed,
						    doc_degree_code(
						    mk_run_doc(k, g, e, seed)));
		}
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(doc_degree_name(DOC_DEGREE_MAT, false), "MẬT");
	assert_string_equal(doc_degree_name(DOC_DEGREE_TOI_MAT, false),
	    "TỐI MẬT");
	assert_string_equal(doc_degree_name(DOC_DEGREE_TUYET_MAT, false),
	    "TUYỆT MẬT");
	assert_string_equal(doc_degree_name(DOC_DEGREE_MAT, true),
	    "Confidential");
	assert_string_equal(doc_degree_name(DOC_DEGREE_TOI_MAT, true),
	    "Secret");
	assert_string_equal(doc_degree_name(DOC_DEGREE_TUYET_MAT, true),
	    "Top Secret");
	assert_string_equal(doc_degree_code(DOC_DEGREE_MAT), "mat");
	assert_string_equal(doc_degree_code(DOC_DEGREE_TOI_MAT), "toi-mat");
	assert_string_equal(doc_degree_code(DOC_DEGREE_NONE), "none");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stamp_top),
		cmocka_unit_test(test_stamp_places),
		cmocka_unit_test(test_stamp_forms),
		cmocka_unit_test(test_copy_and_wording),
		cmocka_unit_test(test_field),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_decoys),
		cmocka_unit_test(test_late_and_lists),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_evidence),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, mk_setup, mk_teardown);
}
