/*
 * gen_mail.c — the e-mail writers of the finder's test corpus (gen.h).
 * A message carries the logical document either as its body (UTF-8 NFC or
 * NFD, quoted-printable or base64; Windows-1258 8-bit) or as an attached
 * .docx made by that writer ("Gửi anh tài liệu" in the body), the way the
 * seed and the document's needs choose. An mbox holds three messages,
 * the document in the second.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "gen.h"

/* The body can carry only body-like paragraphs in text encodings mail
 * declares; the rest goes into an attached .docx. */
static bool
body_ok(enum gen_kind kind, enum gen_enc enc)
{
	return kind != GEN_STAMP_HEADER && kind != GEN_STAMP_BOX &&
	    (enc == GEN_ENC_NFC || enc == GEN_ENC_NFD || enc == GEN_ENC_CP1258);
}

static const struct gen_format *
attach_format(enum gen_kind kind, enum gen_enc enc)
{
	const struct gen_format *f = gen_format_find("docx");

	if (f == NULL || f->write == NULL || !f->supports(kind, enc))
		f = gen_format_find("txt");
	if (f == NULL || !f->supports(kind, enc))
		return NULL;
	return f;
}

static bool
mail_supports(enum gen_kind kind, enum gen_enc enc)
{
	if (enc == GEN_ENC_UTF16LE || enc == GEN_ENC_UTF16BE ||
	    enc == GEN_ENC_VIQR)
		return false;
	return body_ok(kind, enc) || attach_format(kind, enc) != NULL;
}

bool
gen_eml_supports(enum gen_kind kind, enum gen_enc enc)
{
	return mail_supports(kind, enc);
}

bool
gen_mbox_supports(enum gen_kind kind, enum gen_enc enc)
{
	return mail_supports(kind, enc);
}

/* Quoted-printable (RFC 2045), lines under 76 characters. */
static void
mb_qp(struct gen_buf *b, const unsigned char *s, size_t n)
{
	size_t i, col = 0;
	char t[4];

	for (i = 0; i < n; i++) {
		unsigned c = s[i];

		if (c == '\n') {
			gen_buf_str(b, "\r\n");
			col = 0;
			continue;
		}
		if (col >= 72) {
			gen_buf_str(b, "=\r\n");
			col = 0;
		}
		if ((c >= 33 && c <= 126 && c != '=') || (c == ' ' &&
		    i + 1 < n && s[i + 1] != '\n')) {
			gen_buf_add(b, &s[i], 1);
			col++;
		} else {
			snprintf(t, sizeof(t), "=%02X", c);
			gen_buf_str(b, t);
			col += 3;
		}
	}
	gen_buf_str(b, "\r\n");
}

static void
mb_base64(struct gen_buf *b, const unsigned char *s, size_t n)
{
	gchar *e = g_base64_encode(s, n);
	size_t i, len = strlen(e);

	for (i = 0; i < len; i += 76) {
		gen_buf_add(b, e + i, len - i < 76 ? len - i : 76);
		gen_buf_str(b, "\r\n");
	}
	g_free(e);
}

/* The document as a text body, in its encoding. */
static unsigned char *
doc_text(const struct gen_doc *d, size_t *outlen)
{
	struct gen_buf t = {0};
	unsigned char *raw;
	size_t i, n;

	for (i = 0; i < d->npara; i++) {
		raw = gen_encode(d->paras[i].text, d->enc, false, &n);
		gen_buf_add(&t, raw, n);
		gen_buf_str(&t, "\n");
		free(raw);
	}
	*outlen = t.len;
	return (unsigned char *)t.p;
}

static void
headers(struct gen_buf *b, const char *subject_b64, unsigned n)
{
	char t[256];

	snprintf(t, sizeof(t), "From: =?utf-8?Q?V=C4=83n_th=C6=B0?= "
	    "<vanthu@ubnd-phuong.gov.vn>\r\nTo: <canbo%u@ubnd-phuong.gov.vn>"
	    "\r\nDate: Mon, 4 Mar 2024 08:%02u:00 +0700\r\n"
	    "Message-ID: <%u.corpus@ubnd-phuong.gov.vn>\r\n", n, n % 60, n);
	gen_buf_str(b, t);
	gen_buf_str(b, "Subject: =?utf-8?B?");
	gen_buf_str(b, subject_b64);
	gen_buf_str(b, "?=\r\nMIME-Version: 1.0\r\n");
}

/* An ordinary message: no document in it. */
static void
plain_message(struct gen_buf *b, unsigned n)
{
	static const char body[] = "Kính gửi anh chị,\nĐề nghị các bộ phận "
	    "cập nhật mật khẩu hộp thư trước thứ Sáu.\nTrân trọng.\n";
	gchar *subj = g_base64_encode((const guchar *)"Lịch họp giao ban",
	    strlen("Lịch họp giao ban"));

	headers(b, subj, n);
	g_free(subj);
	gen_buf_str(b, "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	mb_qp(b, (const unsigned char *)body, strlen(body));
}

/* The message that carries d; -1 when the attachment cannot be made. */
static int
doc_message(struct gen_buf *b, const struct gen_doc *d, const char *path,
    char *err, size_t errlen)
{
	static const char note[] = "Gửi anh tài liệu theo yêu cầu.\n"
	    "Anh xem và cho ý kiến.\n";
	const struct gen_format *f;
	gchar *subj, *data = NULL;
	char tmp[4096], ct[320];
	unsigned char *text;
	gsize dlen = 0;
	size_t n;
	GError *ge = NULL;

	subj = g_base64_encode((const guchar *)(d->title != NULL ? d->title :
	    "Tài liệu"), strlen(d->title != NULL ? d->title : "Tài liệu"));
	headers(b, subj, d->seed);
	g_free(subj);
	if (body_ok(d->kind, d->enc) && (d->seed % 3 == 0 ||
	    attach_format(d->kind, d->enc) == NULL)) {
		/* the document is the body */
		text = doc_text(d, &n);
		snprintf(ct, sizeof(ct), "Content-Type: text/plain; "
		    "charset=%s\r\n", d->enc == GEN_ENC_CP1258 ?
		    "windows-1258" : "utf-8");
		gen_buf_str(b, ct);
		if (d->enc == GEN_ENC_CP1258) {
			gen_buf_str(b, "Content-Transfer-Encoding: 8bit\r\n\r\n");
			gen_buf_add(b, text, n);
		} else if (d->seed % 2 == 0) {
			gen_buf_str(b, "Content-Transfer-Encoding: "
			    "quoted-printable\r\n\r\n");
			mb_qp(b, text, n);
		} else {
			gen_buf_str(b, "Content-Transfer-Encoding: base64\r\n\r\n");
			mb_base64(b, text, n);
		}
		free(text);
		return 0;
	}
	if ((f = attach_format(d->kind, d->enc)) == NULL) {
		snprintf(err, errlen, "%s: no format to attach", path);
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s.att.%s", path, f->ext);
	if (f->write(tmp, d, err, errlen) != 0)
		return -1;
	if (!g_file_get_contents(tmp, &data, &dlen, &ge)) {
		snprintf(err, errlen, "%s: %s", tmp, ge->message);
		g_error_free(ge);
		unlink(tmp);
		return -1;
	}
	unlink(tmp);
	gen_buf_str(b, "Content-Type: multipart/mixed; boundary=\"=_ranh_gioi\"\r\n"
	    "\r\nThis is a multi-part message in MIME format.\r\n"
	    "--=_ranh_gioi\r\nContent-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
	mb_qp(b, (const unsigned char *)note, strlen(note));
	snprintf(ct, sizeof(ct), "--=_ranh_gioi\r\nContent-Type: "
	    "application/octet-stream\r\nContent-Disposition: attachment; "
	    "filename*=utf-8''t%%C3%%A0i%%20li%%E1%%BB%%87u.%s\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n", f->ext);
	gen_buf_str(b, ct);
	mb_base64(b, (const unsigned char *)data, dlen);
	gen_buf_str(b, "--=_ranh_gioi--\r\n");
	g_free(data);
	return 0;
}

int
gen_eml_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	struct gen_buf b = {0};
	int rc;

	rc = doc_message(&b, d, path, err, errlen);
	if (rc == 0)
		rc = gen_write_file(path, b.p, b.len, err, errlen);
	free(b.p);
	return rc;
}

/* Appends message m to an mbox: a "From " line, lines starting with
 * "From " quoted (mboxrd), a blank line after. */
static void
mbox_add(struct gen_buf *box, const struct gen_buf *m, unsigned n)
{
	char t[96];
	const char *s = m->p, *end = m->p + m->len, *nl;

	snprintf(t, sizeof(t), "From vanthu@ubnd-phuong.gov.vn Mon Mar  4 "
	    "08:%02u:00 2024\n", n % 60);
	gen_buf_str(box, t);
	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (nl == NULL)
			nl = end;
		if ((size_t)(end - s) >= 5 && strncmp(s, "From ", 5) == 0)
			gen_buf_str(box, ">");
		gen_buf_add(box, s, (size_t)(nl - s));
		gen_buf_str(box, "\n");
		s = nl + 1;
	}
	gen_buf_str(box, "\n");
}

int
gen_mbox_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	struct gen_buf box = {0}, m = {0};
	int rc;

	plain_message(&m, 1);
	mbox_add(&box, &m, 1);
	m.len = 0;
	if ((rc = doc_message(&m, d, path, err, errlen)) == 0) {
		mbox_add(&box, &m, 2);
		m.len = 0;
		plain_message(&m, 3);
		mbox_add(&box, &m, 3);
		rc = gen_write_file(path, box.p, box.len, err, errlen);
	}
	free(m.p);
	free(box.p);
	return rc;
}
