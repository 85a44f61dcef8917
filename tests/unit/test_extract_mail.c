/*
 * test_extract_mail.c — the mail extractor over messages written here:
 * RFC 2047 subject, quoted-printable and base64 bodies in UTF-8 and
 * Windows-1258, an HTML body, an attachment holding the marking, an
 * attachment that is a zip holding it, an attached message, an mbox of
 * three messages, and too many messages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "secrets/doc.h"

#include "docsink.h"
#include "memzip.h"

static struct doc_limits lim;
static struct doc_ctx ctx;
static struct docsink rec;

static enum doc_err
run(const char *msg, size_t len, const char *name)
{
	enum doc_err e;

	docsink_init(&rec, NULL);
	docsink_ctx(&ctx, &lim, &rec);
	e = doc_extract(&ctx, (const unsigned char *)msg, len, name);
	assert_int_equal(ctx.depth, 0);
	assert_string_equal(ctx.prefix, "");
	return e;
}

static void
line_is(size_t i, const char *text, enum doc_zone zone, const char *part,
    unsigned index)
{
	assert_true(i < rec.n);
	assert_string_equal(rec.l[i].text, text);
	assert_int_equal(rec.l[i].zone, zone);
	assert_string_equal(rec.l[i].part, part);
	assert_int_equal(rec.l[i].index, index);
}

static int
setup(void **state)
{
	(void)state;
	doc_limits_default(&lim, false);
	return 0;
}

static void
test_attachment(void **state)
{
	char *b64 = g_base64_encode((const guchar *)"TỐI MẬT\nSố: 7/BC\n",
	    strlen("TỐI MẬT\nSố: 7/BC\n"));
	char *msg = g_strdup_printf(
	    "From: =?utf-8?Q?V=C4=83n_th=C6=B0?= <vt@ubnd.vn>\r\n"
	    "To: a@b.vn\r\n"
	    "Subject: =?utf-8?B?R+G7rWkgYW5oIHTDoGkgbGnhu4d1?=\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"XYZ\"\r\n"
	    "\r\n"
	    "--XYZ\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n"
	    "\r\n"
	    "Anh xem t=C3=A0i li=E1=BB=87u =C4=91=C3=ADnh k=C3=A8m.\r\n"
	    "C=E1=BA=A3m =C6=A1n.\r\n"
	    "--XYZ\r\n"
	    "Content-Type: text/plain; name=\"báo cáo.txt\"\r\n"
	    "Content-Disposition: attachment; filename=\"=?utf-8?Q?b=C3=A1o_"
	    "c=C3=A1o.txt?=\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "\r\n%s\r\n"
	    "--XYZ--\r\n", b64);

	(void)state;
	assert_int_equal(run(msg, strlen(msg), "a.eml"), DOC_OK);
	assert_int_equal(rec.n, 5);
	line_is(0, "Gửi anh tài liệu", DOC_ZONE_SUBJECT, "thư", 0);
	line_is(1, "Anh xem tài liệu đính kèm.", DOC_ZONE_BODY, "thư", 0);
	line_is(2, "Cảm ơn.", DOC_ZONE_BODY, "thư", 1);
	line_is(3, "TỐI MẬT", DOC_ZONE_BODY, "thư/báo cáo.txt", 0);
	line_is(4, "Số: 7/BC", DOC_ZONE_BODY, "thư/báo cáo.txt", 1);
	assert_int_equal(rec.l[3].page, 1);
	g_free(msg);
	g_free(b64);
}

static void
test_zip_attachment(void **state)
{
	size_t zlen;
	static const struct memzip_entry ze[] = {
	    {"hồ sơ/qđ.txt", "TUYỆT MẬT\n", 0, false}};
	unsigned char *z = memzip(ze, 1, &zlen);
	char *b64 = g_base64_encode(z, zlen);
	char *msg = g_strdup_printf(
	    "From: a@b.vn\r\nSubject: hồ sơ\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=B\r\n\r\n"
	    "--B\r\nContent-Type: application/zip\r\n"
	    "Content-Disposition: attachment; filename=hs.zip\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--B--\r\n", b64);

	(void)state;
	assert_int_equal(run(msg, strlen(msg), "b.eml"), DOC_OK);
	assert_int_equal(rec.n, 2);
	line_is(0, "hồ sơ", DOC_ZONE_SUBJECT, "thư", 0);
	line_is(1, "TUYỆT MẬT", DOC_ZONE_BODY, "thư/hs.zip:hồ sơ/qđ.txt", 0);
	/* the zip one level too deep */
	lim.max_depth = 1;
	assert_int_equal(run(msg, strlen(msg), "b.eml"), DOC_ERR_TOO_DEEP);
	assert_int_equal(rec.n, 1);
	lim.max_depth = 5;
	g_free(msg);
	g_free(b64);
	free(z);
}

static void
test_charsets_html(void **state)
{
	/* Windows-1258 body: "Độ mật: Mật" with combining marks; an HTML
	 * alternative is passed over for the plain text */
	static const char m1[] =
	    "From: a@b.vn\nSubject: =?windows-1258?Q?=D0=F4=F2_m=E2=F2t?=\n"
	    "MIME-Version: 1.0\nContent-Type: multipart/alternative; "
	    "boundary=A\n\n--A\nContent-Type: text/plain; "
	    "charset=windows-1258\nContent-Transfer-Encoding: 8bit\n\n"
	    "\xD0\xF4\xF2 m\xE2\xF2t: M\xE2\xF2t\n--A\n"
	    "Content-Type: text/html; charset=utf-8\n\n<p>HTML</p>\n--A--\n";
	static const char m2[] =
	    "From: a@b.vn\nSubject: x\nMIME-Version: 1.0\n"
	    "Content-Type: text/html; charset=utf-8\n\n"
	    "<html><head><style>p{color:red}</style></head><body>"
	    "<p align=center><b>M&#7852;T</b></p><!-- MẬT --><div>xin &amp; "
	    "ch&agrave;o</div><script>var x='TỐI MẬT';</script>"
	    "<p>Tr&#x1EA7;n &lt;A&gt;</p></body></html>\n";
	/* a body that ends in "<" (found by fuzz_doc_mail: the tag test
	 * read one byte past it) */
	static const char m3[] =
	    "From: a@b.vn\nSubject: y\nMIME-Version: 1.0\n"
	    "Content-Type: text/html; charset=utf-8\n\n<p>MẬT</p><";
	char *nfc;

	(void)state;
	assert_int_equal(run(m1, sizeof(m1) - 1, "c.eml"), DOC_OK);
	assert_int_equal(rec.n, 2);
	nfc = g_utf8_normalize(rec.l[0].text, -1, G_NORMALIZE_NFC);
	assert_string_equal(nfc, "Độ mật");
	g_free(nfc);
	assert_int_equal(rec.l[0].zone, DOC_ZONE_SUBJECT);
	nfc = g_utf8_normalize(rec.l[1].text, -1, G_NORMALIZE_NFC);
	assert_string_equal(nfc, "Độ mật: Mật");
	g_free(nfc);
	assert_int_equal(rec.l[1].enc, DOC_ENC_UNICODE);
	assert_string_equal(rec.l[1].part, "thư");
	assert_int_equal(run(m2, sizeof(m2) - 1, "d.eml"), DOC_OK);
	assert_int_equal(rec.n, 4);
	line_is(1, "MẬT", DOC_ZONE_BODY, "thư", 0);
	line_is(2, "xin & ch&agrave;o", DOC_ZONE_BODY, "thư", 1);
	line_is(3, "Trần <A>", DOC_ZONE_BODY, "thư", 2);
	assert_int_equal(run(m3, sizeof(m3) - 1, "e.eml"), DOC_OK);
	assert_int_equal(rec.n, 2);
	line_is(1, "MẬT", DOC_ZONE_BODY, "thư", 0);
}

static void
test_attached_message(void **state)
{
	static const char m[] =
	    "From: a@b.vn\nSubject: Fwd\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/mixed; boundary=O\n\n--O\n"
	    "Content-Type: text/plain\n\nxem dưới\n--O\n"
	    "Content-Type: message/rfc822\n\n"
	    "From: c@d.vn\nSubject: Mật\nMIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=utf-8\n\nMẬT\n--O--\n";

	(void)state;
	assert_int_equal(run(m, sizeof(m) - 1, "e.eml"), DOC_OK);
	assert_int_equal(rec.n, 4);
	line_is(0, "Fwd", DOC_ZONE_SUBJECT, "thư", 0);
	line_is(1, "xem dưới", DOC_ZONE_BODY, "thư", 0);
	line_is(2, "Mật", DOC_ZONE_SUBJECT, "thư/thư đính kèm 3", 0);
	line_is(3, "MẬT", DOC_ZONE_BODY, "thư/thư đính kèm 3", 0);
}

static void
test_mbox(void **state)
{
	static const char m[] =
	    "From a@b.vn Mon Jan  1 00:00:00 2024\n"
	    "From: a@b.vn\nMessage-ID: <1@b.vn>\nSubject: một\n\n"
	    "thư thường\n\n"
	    "From c@d.vn Mon Jan  1 00:00:00 2024\n"
	    "From: c@d.vn\nSubject: hai\nMIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: base64\n\nVOG7kEkgTeG6rFQK\n\n"
	    "From e@f.vn Mon Jan  1 00:00:00 2024\n"
	    "From: e@f.vn\nSubject: ba\n\n>From here\nhết\n";

	(void)state;
	assert_int_equal(run(m, sizeof(m) - 1, "inbox.mbox"), DOC_OK);
	assert_int_equal(rec.n, 7);
	line_is(0, "một", DOC_ZONE_SUBJECT, "thư 1", 0);
	line_is(1, "thư thường", DOC_ZONE_BODY, "thư 1", 0);
	line_is(2, "hai", DOC_ZONE_SUBJECT, "thư 2", 0);
	line_is(3, "TỐI MẬT", DOC_ZONE_BODY, "thư 2", 0);
	line_is(4, "ba", DOC_ZONE_SUBJECT, "thư 3", 0);
	line_is(5, ">From here", DOC_ZONE_BODY, "thư 3", 0);
	line_is(6, "hết", DOC_ZONE_BODY, "thư 3", 1);
	/* more messages than max_entries */
	lim.max_entries = 2;
	assert_int_equal(run(m, sizeof(m) - 1, "inbox.mbox"),
	    DOC_ERR_TOO_MANY);
	assert_int_equal(rec.n, 4);
	lim.max_entries = 10000;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_attachment, setup),
		cmocka_unit_test_setup(test_zip_attachment, setup),
		cmocka_unit_test_setup(test_charsets_html, setup),
		cmocka_unit_test_setup(test_attached_message, setup),
		cmocka_unit_test_setup(test_mbox, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
