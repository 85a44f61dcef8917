/*
 * doc.h — the classified-document finder's contract (directive point 6).
 *
 * A document is read in three steps, each in its own files:
 *
 *   extract_*.c  turn one file's bytes into LINES of text, each with where
 *                it stands (zone, page, part, formatting). Extractors know
 *                formats, not markings; they never decide anything.
 *   vienc.c      turns legacy Vietnamese text (TCVN3, VNI, VIQR,
 *                Windows-1258) into Unicode.
 *   marking.c    the detector: reads the lines and decides whether the
 *                document carries a secrecy degree (TUYỆT MẬT, TỐI MẬT,
 *                MẬT), from where and how a marking stands, never from
 *                word counts (the rules are in docs/secrets.md).
 *
 * scan.c walks the file tree, keeps the cache and runs every file in a
 * bounded worker process; everything here runs inside that worker, on
 * untrusted bytes: each extractor bounds what it expands and reads
 * (struct doc_limits), checks the deadline, and turns bad input into a
 * DOC_ERR_* reason, never a crash.
 */
#ifndef CG_SECRETS_DOC_H
#define CG_SECRETS_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bumped whenever a change to an extractor or the detector can change a
 * verdict: the scanner re-reads files whose cached verdict is older. */
#define DOC_FINDER_VERSION 1

/* Secrecy degrees (Luật Bảo vệ bí mật nhà nước 2018, Điều 8), ordered. */
enum doc_degree {
	DOC_DEGREE_NONE = 0,
	DOC_DEGREE_MAT = 1,		/* MẬT — "Mật" */
	DOC_DEGREE_TOI_MAT = 2,		/* TỐI MẬT — "Tối mật" */
	DOC_DEGREE_TUYET_MAT = 3,	/* TUYỆT MẬT — "Tuyệt mật" */
};

/* Where a line stands in the document. */
enum doc_zone {
	DOC_ZONE_BODY = 0,	/* main text, in reading order */
	DOC_ZONE_HEADER,	/* page header (any section, first page too) */
	DOC_ZONE_FOOTER,
	DOC_ZONE_BOX,		/* text box, shape, frame, WordArt, drawing */
	DOC_ZONE_NOTE,		/* comment, footnote, endnote, speaker notes */
	DOC_ZONE_CELL,		/* spreadsheet cell (body of a sheet) */
	DOC_ZONE_TABLE,		/* table cell inside a text document */
	DOC_ZONE_META,		/* document properties: title, subject, … */
	DOC_ZONE_SUBJECT,	/* subject line of an e-mail */
	DOC_ZONE_OCR,		/* text recognised from an image */
};

/* How a line is shown (only what the format says plainly; 0 = unknown). */
#define DOC_F_BOLD	0x01u	/* every run of the line is bold */
#define DOC_F_CAPS	0x02u	/* shown in capitals by formatting (w:caps,
				   text-transform, a capitals-only legacy
				   font such as .VnTimeH) */
#define DOC_F_CENTER	0x04u	/* centred or right-aligned paragraph */
#define DOC_F_FRAMED	0x08u	/* paragraph/cell/shape with a border */
#define DOC_F_LARGE	0x10u	/* font noticeably larger than the body */

/* What the bytes of a line are, when the extractor knows (a run's font
 * name says it: ".VnTime", ".VnTimeH", ".VnArial…" are TCVN3 (ABC);
 * "VNI-Times", "VNI-Helve…" are VNI-Windows). Legacy-font text is passed
 * as the code points of its bytes (U+0000–U+00FF, as Windows-1252 would
 * show them), UTF-8 encoded, so the detector can re-decode it. */
enum doc_enc {
	DOC_ENC_UNICODE = 0,	/* Unicode (any normalisation form) */
	DOC_ENC_TCVN3,		/* legacy font, TCVN 5712:1993 (ABC) */
	DOC_ENC_VNI,		/* legacy font, VNI-Windows */
	DOC_ENC_UNKNOWN_8BIT,	/* 8-bit text of unknown code page: the
				   detector tries Unicode, TCVN3, VNI, VIQR */
};

struct doc_line {
	const char *text;	/* UTF-8, not NUL-terminated, no newline */
	size_t len;
	enum doc_zone zone;
	unsigned flags;		/* DOC_F_* */
	enum doc_enc enc;
	unsigned page;		/* 1-based page, slide or sheet; 0: unknown */
	unsigned index;		/* 0-based line number within its part and
				   zone, in reading order (first line: 0) */
	const char *part;	/* where, for evidence: "word/document.xml",
				   "word/header1.xml", "trang 1", "Sheet1!B2",
				   "thư/đính kèm a.docx/word/document.xml";
				   the prefix of nested documents is added
				   by doc_extract() */
};

/* What the sink answers to each line. */
enum doc_next {
	DOC_NEXT_MORE = 0,	/* go on */
	DOC_NEXT_SKIP = 1,	/* no more lines of this part/zone are needed
				   (e.g. past the first page of the body):
				   go on with the next part, if any */
	DOC_NEXT_STOP = 2,	/* decided: stop reading the document */
};

struct doc_sink {
	enum doc_next (*line)(struct doc_sink *self, const struct doc_line *l);
};

/* Why a document could not be read (docs/secrets.md; doc_err_text). */
enum doc_err {
	DOC_OK = 0,
	DOC_ERR_ENCRYPTED,	/* password-protected / encrypted */
	DOC_ERR_CORRUPT,	/* malformed beyond reading */
	DOC_ERR_TRUNCATED,	/* ends before its structure does */
	DOC_ERR_TOO_LARGE,	/* file or expanded size over its limit */
	DOC_ERR_TOO_DEEP,	/* nesting deeper than max_depth */
	DOC_ERR_TOO_MANY,	/* more entries/parts than max_entries */
	DOC_ERR_TIMEOUT,	/* over the time limit per file */
	DOC_ERR_UNSUPPORTED,	/* a variant this version does not read */
	DOC_ERR_IO,		/* could not open or read the file */
	DOC_ERR_NOMEM,
};

/* Bounds for one file and everything nested in it. */
struct doc_limits {
	size_t max_file;	/* bytes of the file read (default 256 MiB) */
	size_t max_expanded;	/* total bytes decompressed/decoded for the
				   whole file, all nesting (default 256 MiB) */
	size_t max_part;	/* bytes of one decompressed part (64 MiB) */
	size_t max_entries;	/* zip entries / OLE streams / attachments
				   per container (default 10,000) */
	unsigned max_depth;	/* nesting of containers (default 5) */
	size_t max_text;	/* bytes of text passed to the sink per part
				   (default 4 MiB): enough for any first page */
	unsigned max_pages;	/* pages of a PDF/OCR read (default 2) */
	double seconds;		/* time limit per file (default 30; OCR 120) */
};

/* The state of reading one file, handed to every extractor. */
struct doc_ctx {
	const struct doc_limits *lim;
	struct doc_sink *sink;
	bool ocr;		/* --ocr: recognise scanned pages and images */
	double deadline;	/* doc_now() value after which to give up */
	unsigned depth;		/* 0 for the file itself */
	size_t expanded;	/* bytes decompressed so far (all depths) */
	size_t declared;	/* bytes the archives' directories declare,
				   all depths: a zip bomb is refused on what
				   it claims, before anything is inflated */
	const char *prefix;	/* part prefix of the nested document, or "" */
	bool stopped;		/* the sink said DOC_NEXT_STOP */
	bool ocr_used;		/* some text came from OCR */
	bool scan_unread;	/* some pages or images hold only a scan
				   and were not read (no --ocr) */
	enum doc_err err;	/* first error, with its detail */
	char detail[200];	/* plain ASCII/UTF-8 detail for the reason,
				   e.g. "word/document.xml:1:2045: unclosed tag" */
};

/* Formats told apart by content (magic bytes), never by name alone. */
enum doc_format {
	DOC_FMT_UNKNOWN = 0,	/* not a document we read: skipped */
	DOC_FMT_TEXT,		/* plain text: UTF-8, UTF-16, Windows-1258, … */
	DOC_FMT_OOXML,		/* .docx .docm .dotx .xlsx .xlsm .pptx … */
	DOC_FMT_ODF,		/* .odt .ods .odp */
	DOC_FMT_ZIP,		/* any other zip: entries read recursively */
	DOC_FMT_OLE2,		/* .doc .xls .ppt (compound file) */
	DOC_FMT_RTF,
	DOC_FMT_PDF,
	DOC_FMT_MAIL,		/* .eml, and .mbox (many messages) */
	DOC_FMT_IMAGE,		/* .png .jpg .tif: only with --ocr */
};

/* Format of buf (name only breaks ties, e.g. text vs mbox). */
enum doc_format doc_sniff(const unsigned char *buf, size_t len,
    const char *name);
const char *doc_format_name(enum doc_format f);	/* "docx", "pdf", … */

/*
 * Reads one document held in memory and passes its lines to ctx->sink.
 * Dispatches on doc_sniff(); for nested documents (zip entries, mail
 * attachments, OLE-embedded objects) extractors call it again with
 * ctx->depth + 1 and the entry's name as part prefix. Returns DOC_OK, or
 * the error (also left in ctx->err/detail; the first error wins). A sink
 * STOP is not an error: it returns DOC_OK with ctx->stopped set.
 */
enum doc_err doc_extract(struct doc_ctx *ctx, const unsigned char *buf,
    size_t len, const char *name);

/* One extractor per format, same contract as doc_extract(). */
enum doc_err doc_extract_text(struct doc_ctx *, const unsigned char *,
    size_t, const char *);
enum doc_err doc_extract_ooxml(struct doc_ctx *, const unsigned char *,
    size_t, const char *);
enum doc_err doc_extract_odf(struct doc_ctx *, const unsigned char *,
    size_t, const char *);
enum doc_err doc_extract_zip(struct doc_ctx *, const unsigned char *,
    size_t, const char *);
enum doc_err doc_extract_ole2(struct doc_ctx *, const unsigned char *,
    size_t, const char *);
enum doc_err doc_extract_rtf(struct doc_ctx *, const unsigned char *,
    size_t, const char *);
enum doc_err doc_extract_pdf(struct doc_ctx *, const unsigned char *,
    size_t, const char *);
enum doc_err doc_extract_mail(struct doc_ctx *, const unsigned char *,
    size_t, const char *);
enum doc_err doc_extract_image(struct doc_ctx *, const unsigned char *,
    size_t, const char *);

/* --- helpers every extractor uses (extract.c) --------------------------- */

double doc_now(void);	/* monotonic seconds */

/* Passes one line to the sink, adding ctx->prefix to part. Empty lines
 * (after trimming white space) are not passed. Returns the sink's answer;
 * sets ctx->stopped on STOP. Also answers STOP once the deadline passed
 * (setting DOC_ERR_TIMEOUT). */
enum doc_next doc_emit(struct doc_ctx *ctx, const struct doc_line *l);

/* Records the first error with a printf detail; returns err. */
enum doc_err doc_fail(struct doc_ctx *ctx, enum doc_err err,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Accounts n more expanded bytes; DOC_ERR_TOO_LARGE (recorded) when over
 * max_expanded, else DOC_OK. */
enum doc_err doc_expand(struct doc_ctx *ctx, size_t n);

/* true once the deadline passed (records DOC_ERR_TIMEOUT). */
bool doc_late(struct doc_ctx *ctx);

/* Default limits (ocr: the longer time limit). */
void doc_limits_default(struct doc_limits *lim, bool ocr);

/* Reason for people: "tệp được mã hóa (có mật khẩu)" / "encrypted
 * (password-protected)", … */
const char *doc_err_text(enum doc_err err, bool en);
const char *doc_err_code(enum doc_err err);	/* "encrypted", … (JSON) */

/* --- Vietnamese legacy encodings (vienc.c) ------------------------------ */

/* Decodes s[0..len) to malloc'd UTF-8 NFC; NULL when s is not in that
 * encoding's shape (e.g. code points above U+00FF for TCVN3/VNI).
 * Input for TCVN3/VNI is UTF-8 text whose code points are the legacy
 * bytes (enum doc_enc above); for VIQR, ASCII ("MA^.T"). */
char *vienc_from_tcvn3(const char *s, size_t len);
char *vienc_from_vni(const char *s, size_t len);
char *vienc_from_viqr(const char *s, size_t len);
/* Windows-1258 bytes (with its combining tone marks) to UTF-8 NFC. */
char *vienc_from_cp1258(const unsigned char *s, size_t len);
/* UTF-16 (le true: little-endian) to UTF-8; invalid units become U+FFFD. */
char *vienc_from_utf16(const unsigned char *s, size_t len, bool le,
    size_t *outlen);
/* Bytes as code points U+0000–U+00FF (Windows-1252 view for 0x80–0x9F),
 * UTF-8 encoded: how 8-bit legacy-font text is handed to the detector. */
char *vienc_bytes_to_utf8(const unsigned char *s, size_t len, size_t *outlen);

/* --- the detector (marking.c) ------------------------------------------- */

struct doc_verdict {
	enum doc_degree degree;	/* DOC_DEGREE_NONE: not classified */
	unsigned confidence;	/* 0–100 */
	char rule[32];		/* which rule decided: "stamp-top", … */
	char marking[96];	/* the marking as read, in Unicode NFC */
	char evidence[400];	/* the line and its neighbours, NFC, one line */
	char part[160];		/* part of the marking line */
	unsigned page;		/* its page (0: unknown) */
	char encoding[12];	/* "unicode", "tcvn3", "vni", "viqr", … */
};

struct doc_detector;

struct doc_detector *doc_detector_new(void);
void doc_detector_free(struct doc_detector *d);
/* Forgets everything, for the next document. */
void doc_detector_reset(struct doc_detector *d);
/* The sink to hand to doc_extract() (owned by the detector). */
struct doc_sink *doc_detector_sink(struct doc_detector *d);
/* The decision once extraction ended (or stopped). */
void doc_detector_verdict(struct doc_detector *d, struct doc_verdict *v);

const char *doc_degree_name(enum doc_degree g, bool en);	/* "TỐI MẬT" / "Secret" */
const char *doc_degree_code(enum doc_degree g);	/* "mat", "toi-mat", "tuyet-mat" */

#endif
