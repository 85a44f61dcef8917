/*
 * gen.h — the test corpus of the classified-document finder, made by the
 * tests themselves (no binary file is taken from elsewhere).
 *
 * gen_text.c writes the LOGICAL document — an official letter of a ward
 * office with its paragraphs, and where the secrecy marking stands (or
 * which decoy it carries instead) — and encodes text into the legacy
 * Vietnamese encodings. Each gen_<format>.c renders a logical document in
 * its file format, honouring where each paragraph stands (body, header,
 * text box) and the encoding asked. mkcorpus.c walks the matrix of
 * formats × degrees × placements × encodings, writes the files and the
 * expected verdict of each (expected.tsv), for tests/secrets/run.sh and
 * bench/secrets.sh.
 *
 * The encoders here are written apart from src/secrets/vienc.c on
 * purpose: a test must not share the code it checks.
 */
#ifndef CG_TESTS_SECRETS_GEN_H
#define CG_TESTS_SECRETS_GEN_H

#include <stdbool.h>
#include <stddef.h>

#include "secrets/doc.h"

/* Where a paragraph stands. */
enum gen_where {
	GEN_BODY = 0,	/* main text */
	GEN_HEADER,	/* page header (shown on every page) */
	GEN_BOX,	/* text box / shape / frame (a stamp drawn as a box) */
	GEN_FOOTER,
	GEN_NOTE,	/* comment / footnote / speaker notes */
};

#define GEN_P_BOLD	0x01u
#define GEN_P_CENTER	0x02u
#define GEN_P_CAPS	0x04u	/* typed in capitals (text already upper) */
#define GEN_P_FRAMED	0x08u	/* drawn with a border (stamps) */
#define GEN_P_PAGEBREAK	0x10u	/* a page break BEFORE this paragraph */

struct gen_para {
	const char *text;	/* UTF-8 NFC, one paragraph */
	enum gen_where where;
	unsigned flags;		/* GEN_P_* */
};

/* How the text of the document is encoded. */
enum gen_enc {
	GEN_ENC_NFC = 0,	/* Unicode, precomposed */
	GEN_ENC_NFD,		/* Unicode, decomposed */
	GEN_ENC_TCVN3,		/* legacy font .VnTime/.VnTimeH (ABC) */
	GEN_ENC_VNI,		/* legacy font VNI-Times */
	GEN_ENC_VIQR,		/* ASCII VIQR ("MA^.T") */
	GEN_ENC_CP1258,		/* Windows-1258 bytes (plain text, mail) */
	GEN_ENC_UTF16LE,	/* plain text with BOM */
	GEN_ENC_UTF16BE,
	GEN_ENC_COUNT
};

/* Where the marking stands, or which decoy the document is. */
enum gen_kind {
	GEN_STAMP_TOP = 0,	/* degree alone on a short line at the top of
				   page 1, before or beside the number line */
	GEN_STAMP_HEADER,	/* degree in the page header */
	GEN_STAMP_BOX,		/* degree in a framed text box / shape */
	GEN_FIELD,		/* "Độ mật: Tối mật" field near the top */
	GEN_COPY_MARK,		/* stamp plus copy mark "A"/"B"/"C" and
				   "Bản số: 02" on a copy */
	GEN_DECOY_RULES,	/* talks about "bí mật nhà nước", "độ mật",
				   "tài liệu mật", the directive's text */
	GEN_DECOY_WORDS,	/* mật khẩu, bảo mật, mật độ, mật ong, bí
				   mật, mật thiết, "MẬT KHẨU" as a heading */
	GEN_DECOY_LATE,		/* the degree words alone on a line, but deep
				   in the body (page 3+), e.g. a form sample */
	GEN_KIND_COUNT
};

struct gen_doc {
	enum gen_kind kind;
	enum doc_degree degree;	/* NONE for decoys */
	enum gen_enc enc;
	unsigned seed;		/* varies wording, numbers, length */
	const char *title;	/* document title (NFC) */
	struct gen_para *paras;
	size_t npara;
};

/* Builds the logical document (gen_text.c); gen_doc_free() frees it. */
void gen_doc_make(struct gen_doc *d, enum gen_kind kind,
    enum doc_degree degree, enum gen_enc enc, unsigned seed);
void gen_doc_free(struct gen_doc *d);
/* true when the document must be reported (and with d->degree). */
bool gen_doc_expected(const struct gen_doc *d);

/* Encodes NFC UTF-8 text in enc (gen_text.c): malloc'd bytes, *outlen set.
 * TCVN3/VNI give the legacy BYTES (as a legacy-font document stores them;
 * for TCVN3 capitals the .VnTimeH convention: capitals share the codes of
 * small letters and the H font shows them as capitals); NFD gives UTF-8
 * NFD; VIQR ASCII; CP1258 Windows-1258 bytes; UTF16* with a BOM. */
unsigned char *gen_encode(const char *nfc, enum gen_enc enc, bool caps_font,
    size_t *outlen);
/* Legacy bytes -> UTF-8 code points U+0000–U+00FF (how XML-based formats
 * store legacy-font text: the run's characters are those code points). */
char *gen_latin1_utf8(const unsigned char *b, size_t len);
/* Font name a format should give legacy-encoded runs: ".VnTime",
 * ".VnTimeH" (caps_font), "VNI-Times"; NULL for Unicode encodings. */
const char *gen_font(enum gen_enc enc, bool caps_font);
const char *gen_enc_name(enum gen_enc enc);	/* "nfc", "tcvn3", … */
const char *gen_kind_name(enum gen_kind kind);	/* "stamp-top", … */

/* One file format of the corpus. */
struct gen_format {
	const char *name;	/* "docx", "pdf", "doc", … */
	const char *ext;	/* file name extension, no dot */
	/* Writes d to path; 0, or -1 with a message in err. */
	int (*write)(const char *path, const struct gen_doc *d, char *err,
	    size_t errlen);
	/* Whether the format can carry that document faithfully (e.g. a
	 * plain text file has no header or box; UTF-16 only for text). */
	bool (*supports)(enum gen_kind kind, enum gen_enc enc);
	bool ocr;		/* read only with --ocr (scans, images) */
};

/* Every format, ended by {NULL}: the table is in mkcorpus.c. */
extern const struct gen_format gen_formats[];
const struct gen_format *gen_format_find(const char *name);

/* The writers (one file each: gen_<name>.c). */
#define GEN_FORMAT(n) \
	int gen_##n##_write(const char *, const struct gen_doc *, char *, \
	    size_t); \
	bool gen_##n##_supports(enum gen_kind, enum gen_enc)
GEN_FORMAT(txt);	/* gen_text_formats.c: txt (all text encodings) */
GEN_FORMAT(rtf);	/* gen_rtf.c */
GEN_FORMAT(eml);	/* gen_mail.c: message with attachments */
GEN_FORMAT(mbox);	/* gen_mail.c: several messages */
GEN_FORMAT(zip);	/* gen_zip.c: nested zip of other formats */
GEN_FORMAT(docx);	/* gen_ooxml.c */
GEN_FORMAT(docm);
GEN_FORMAT(dotx);
GEN_FORMAT(xlsx);
GEN_FORMAT(pptx);
GEN_FORMAT(odt);	/* gen_odf.c */
GEN_FORMAT(ods);
GEN_FORMAT(odp);
GEN_FORMAT(pdf);	/* gen_pdf.c: text layer, compressed streams */
GEN_FORMAT(pdfobjstm);	/* gen_pdf.c: with object streams */
GEN_FORMAT(pdfscan);	/* gen_pdf.c: scanned page (image only), OCR */
GEN_FORMAT(png);	/* gen_image.c: scanned page, OCR */
GEN_FORMAT(jpg);
GEN_FORMAT(tif);
GEN_FORMAT(doc);	/* gen_ole2.c: Word 97-2003 */
GEN_FORMAT(xls);	/* gen_ole2.c: Excel 97-2003 (BIFF8) */
GEN_FORMAT(ppt);	/* gen_ole2.c: PowerPoint 97-2003 */
#undef GEN_FORMAT

/* A growing text buffer, kept NUL-terminated (gen_text.c); abort()s when
 * memory runs out. The writers build their files in it; free(b.p). */
struct gen_buf {
	char *p;
	size_t len, cap;
};

void gen_buf_add(struct gen_buf *b, const void *s, size_t n);
void gen_buf_str(struct gen_buf *b, const char *s);
void gen_buf_printf(struct gen_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Text escaped for XML; control characters XML 1.0 refuses are left out. */
void gen_buf_xml(struct gen_buf *b, const char *s);

/* The text of paragraph p as an XML-based format stores it in the
 * document's encoding (legacy bytes as their code points, NFD as UTF-8
 * NFD), malloc'd, and the font that shows it (*font NULL: the document's
 * Unicode font) (gen_text.c). */
char *gen_para_text(const struct gen_doc *d, const struct gen_para *p,
    const char **font);

/* Where the letterhead ends and which paragraphs go left (agency, number,
 * stamps) and right (national motto, place and date). */
struct gen_letterhead {
	size_t end;		/* paragraphs [0, end) are the letterhead */
	size_t left[24], nleft, right[4], nright;
};

/* false when the document has no letterhead of the usual shape. */
bool gen_letterhead(const struct gen_doc *d, struct gen_letterhead *lay);

/* Writes a file whole; 0 or -1 with err (gen_text.c). */
int gen_write_file(const char *path, const void *buf, size_t len, char *err,
    size_t errlen);

#endif
