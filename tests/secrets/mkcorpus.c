/*
 * mkcorpus.c — writes the classified-document finder's test corpus: every
 * format × placement × degree (and the decoys) in the encodings each
 * format carries, the hostile inputs (encrypted, corrupt, truncated, zip
 * bombs, deep nesting, huge, FIFO, symlinks, unreadable, empty), and
 * expected.tsv, the verdict each file must get. tests/secrets/run.sh and
 * bench/secrets.sh read it; tests/secrets/README.md tells the format.
 *
 *   mkcorpus --out DIR [--formats a,b] [--ocr] [--full] [--bench SIZE]
 *            [--jobs N] [--seed N]
 *
 * Exit: 0 done, 1 a writer failed, 2 usage, 3 a writer is missing (the
 * rest was written).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-stdio.h>
#include <gsf/gsf-utils.h>
#include <zip.h>

#include "gen.h"

/*
 * The writers are linked weakly: while one is missing the corpus is made
 * without its format (a warning, exit status 3 at the end).
 */
#define WEAK_PRAGMA(x) _Pragma(#x)
#define WEAK_FORMAT(n) WEAK_PRAGMA(weak gen_##n##_write) \
	WEAK_PRAGMA(weak gen_##n##_supports)
WEAK_FORMAT(txt) WEAK_FORMAT(rtf) WEAK_FORMAT(eml) WEAK_FORMAT(mbox)
WEAK_FORMAT(zip) WEAK_FORMAT(docx) WEAK_FORMAT(docm) WEAK_FORMAT(dotx)
WEAK_FORMAT(xlsx) WEAK_FORMAT(pptx) WEAK_FORMAT(odt) WEAK_FORMAT(ods)
WEAK_FORMAT(odp) WEAK_FORMAT(pdf) WEAK_FORMAT(pdfobjstm)
WEAK_FORMAT(pdfscan) WEAK_FORMAT(png) WEAK_FORMAT(jpg) WEAK_FORMAT(tif)
WEAK_FORMAT(doc) WEAK_FORMAT(xls) WEAK_FORMAT(ppt)

#define FORMAT(n, ext, ocr) {#n, ext, gen_##n##_write, gen_##n##_supports, ocr}
const struct gen_format gen_formats[] = {
	FORMAT(txt, "txt", false),
	FORMAT(rtf, "rtf", false),
	FORMAT(eml, "eml", false),
	FORMAT(mbox, "mbox", false),
	FORMAT(zip, "zip", false),
	FORMAT(docx, "docx", false),
	FORMAT(docm, "docm", false),
	FORMAT(dotx, "dotx", false),
	FORMAT(xlsx, "xlsx", false),
	FORMAT(pptx, "pptx", false),
	FORMAT(odt, "odt", false),
	FORMAT(ods, "ods", false),
	FORMAT(odp, "odp", false),
	FORMAT(pdf, "pdf", false),
	FORMAT(pdfobjstm, "pdf", false),
	FORMAT(pdfscan, "pdf", true),
	FORMAT(png, "png", true),
	FORMAT(jpg, "jpg", true),
	FORMAT(tif, "tif", true),
	FORMAT(doc, "doc", false),
	FORMAT(xls, "xls", false),
	FORMAT(ppt, "ppt", false),
	{NULL, NULL, NULL, NULL, false},
};

const struct gen_format *
gen_format_find(const char *name)
{
	const struct gen_format *f;

	for (f = gen_formats; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

struct opts {
	const char *out;
	const char *formats;	/* comma list, NULL: all */
	bool ocr;
	bool full;		/* every encoding, not a rotation */
	unsigned long long bench;	/* bytes, 0: the test corpus */
	unsigned jobs;
	unsigned seed;
};

struct run {
	const struct opts *o;
	FILE *tsv;
	unsigned next_seed;
	int missing;		/* writers not linked */
	int failed;		/* writers or files that failed */
	char first_marked[PATH_MAX];	/* relative path, for a symlink */
};

static void
warnx_(const char *fmt, ...)
{
	va_list ap;

	fputs("mkcorpus: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char *
degree_code(enum doc_degree g)
{
	switch (g) {
	case DOC_DEGREE_MAT: return "mat";
	case DOC_DEGREE_TOI_MAT: return "toi-mat";
	case DOC_DEGREE_TUYET_MAT: return "tuyet-mat";
	case DOC_DEGREE_NONE: break;
	}
	return "none";
}

static bool
selected(const struct opts *o, const char *name)
{
	const char *p = o->formats;
	size_t n = strlen(name);

	if (p == NULL)
		return true;
	while (*p != '\0') {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == n && strncmp(p, name, n) == 0)
			return true;
		p += l + (e ? 1 : 0);
	}
	return false;
}

/* dir/rel in buf; -1 when it does not fit. */
static int
join(char *buf, size_t n, const char *dir, const char *rel)
{
	int k = snprintf(buf, n, "%s/%s", dir, rel);

	return k < 0 || (size_t)k >= n ? -1 : 0;
}

static int
mkdirs(const char *path)
{
	char tmp[PATH_MAX];
	char *p;

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -1;
	for (p = tmp + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) == -1 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, 0755) == -1 && errno != EEXIST)
		return -1;
	return 0;
}

static void
expect(struct run *r, const char *rel, const char *verdict,
    const char *format, const char *kind, const char *enc, bool ocr)
{
	fprintf(r->tsv, "%s\t%s\t%s\t%s\t%s\t%d\n", rel, verdict, format,
	    kind, enc, ocr ? 1 : 0);
}

/* --- the matrix --------------------------------------------------------- */

struct combo {
	enum gen_kind kind;
	enum doc_degree degree;
};

/* Marked placements in every degree, a clean letter, the decoys. */
static size_t
combos(struct combo *c)
{
	size_t n = 0;
	int k, g;

	for (k = GEN_STAMP_TOP; k <= GEN_COPY_MARK; k++)
		for (g = DOC_DEGREE_MAT; g <= DOC_DEGREE_TUYET_MAT; g++)
			c[n++] = (struct combo){(enum gen_kind)k,
			    (enum doc_degree)g};
	c[n++] = (struct combo){GEN_STAMP_TOP, DOC_DEGREE_NONE};
	for (k = GEN_DECOY_RULES; k < GEN_KIND_COUNT; k++)
		c[n++] = (struct combo){(enum gen_kind)k, DOC_DEGREE_NONE};
	return n;
}

/* One document of the matrix: written, and its line in expected.tsv. */
static int
write_one(struct run *r, const struct gen_format *f, enum gen_kind kind,
    enum doc_degree g, enum gen_enc enc, const char *verdict)
{
	struct gen_doc d;
	char rel[512], path[PATH_MAX], err[512] = "";
	unsigned seed = r->next_seed++;
	int rc;

	snprintf(rel, sizeof(rel), "%s/%s-%s-%s-%u.%s", f->name,
	    gen_kind_name(kind), degree_code(g), gen_enc_name(enc), seed,
	    f->ext);
	if (join(path, sizeof(path), r->o->out, rel) != 0)
		return -1;
	gen_doc_make(&d, kind, g, enc, seed);
	rc = f->write(path, &d, err, sizeof(err));
	if (rc != 0) {
		warnx_("%s: %s", rel, err[0] ? err : "writer failed");
		r->failed++;
		unlink(path);
	} else {
		if (verdict == NULL)
			verdict = gen_doc_expected(&d) ?
			    degree_code(d.degree) : "none";
		expect(r, rel, verdict, f->name, gen_kind_name(kind),
		    gen_enc_name(enc), f->ocr);
		if (r->first_marked[0] == '\0' && gen_doc_expected(&d) &&
		    !f->ocr)
			snprintf(r->first_marked, sizeof(r->first_marked),
			    "%s", rel);
	}
	gen_doc_free(&d);
	return rc;
}

/* The encodings of one format: each combination in the next supported
 * encoding of a rotation (every encoding, with --full); then any encoding
 * the rotation missed, with a marked stamp. */
static void
walk_format(struct run *r, const struct gen_format *f)
{
	struct combo c[GEN_KIND_COUNT * 4];
	bool seen[GEN_ENC_COUNT] = {false};
	size_t n = combos(c), i;
	unsigned cursor = 0, e, t;

	for (i = 0; i < n; i++) {
		for (e = 0; e < GEN_ENC_COUNT; e++) {
			if (!f->supports(c[i].kind, (enum gen_enc)e))
				continue;
			if (r->o->full) {
				write_one(r, f, c[i].kind, c[i].degree,
				    (enum gen_enc)e, NULL);
				seen[e] = true;
			}
		}
		if (r->o->full)
			continue;
		for (t = 0; t < GEN_ENC_COUNT; t++) {
			e = (cursor + t) % GEN_ENC_COUNT;
			if (f->supports(c[i].kind, (enum gen_enc)e))
				break;
		}
		cursor++;
		if (t == GEN_ENC_COUNT)
			continue;	/* the format cannot carry it */
		write_one(r, f, c[i].kind, c[i].degree, (enum gen_enc)e, NULL);
		seen[e] = true;
	}
	for (e = 0; e < GEN_ENC_COUNT; e++)
		if (!seen[e] && f->supports(GEN_STAMP_TOP, (enum gen_enc)e))
			write_one(r, f, GEN_STAMP_TOP, (enum doc_degree)(1 +
			    e % 3), (enum gen_enc)e, NULL);
}

/* Scans and images: a handful, OCR being slow. */
static void
walk_ocr(struct run *r, const struct gen_format *f)
{
	static const struct {
		const char *fmt;
		struct combo c;
	} few[] = {
		{"pdfscan", {GEN_STAMP_TOP, DOC_DEGREE_TOI_MAT}},
		{"pdfscan", {GEN_DECOY_RULES, DOC_DEGREE_NONE}},
		{"png", {GEN_STAMP_TOP, DOC_DEGREE_MAT}},
		{"png", {GEN_DECOY_WORDS, DOC_DEGREE_NONE}},
		{"jpg", {GEN_STAMP_BOX, DOC_DEGREE_TUYET_MAT}},
		{"tif", {GEN_FIELD, DOC_DEGREE_MAT}},
	};
	size_t i;

	for (i = 0; i < sizeof(few) / sizeof(few[0]); i++)
		if (strcmp(few[i].fmt, f->name) == 0 &&
		    f->supports(few[i].c.kind, GEN_ENC_NFC))
			write_one(r, f, few[i].c.kind, few[i].c.degree,
			    GEN_ENC_NFC, NULL);
}

static bool
have_writer(struct run *r, const struct gen_format *f)
{
	if (f->write != NULL && f->supports != NULL)
		return true;
	warnx_("thiếu bộ ghi định dạng / missing writer: gen_%s_write "
	    "(format %s skipped)", f->name, f->name);
	r->missing++;
	return false;
}

static void
walk_matrix(struct run *r)
{
	const struct gen_format *f;
	char dir[PATH_MAX];

	for (f = gen_formats; f->name != NULL; f++) {
		bool scans = !r->o->ocr && strcmp(f->name, "pdfscan") == 0;

		if (!selected(r->o, f->name) || (f->ocr && !r->o->ocr &&
		    !scans))
			continue;
		if (!have_writer(r, f))
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", r->o->out, f->name);
		if (mkdirs(dir) == -1) {
			warnx_("%s: %s", dir, strerror(errno));
			r->failed++;
			continue;
		}
		if (scans) {
			/* Without --ocr a scanned PDF is listed as a scan
			 * that was not read. */
			write_one(r, f, GEN_STAMP_TOP, DOC_DEGREE_MAT,
			    GEN_ENC_NFC, "scanned");
			write_one(r, f, GEN_DECOY_WORDS, DOC_DEGREE_NONE,
			    GEN_ENC_NFC, "scanned");
		} else if (f->ocr)
			walk_ocr(r, f);
		else
			walk_format(r, f);
	}
}

/* --- the hostile corpus ------------------------------------------------- */

struct rng {
	uint64_t s;
};

static uint64_t
rnd64(struct rng *g)
{
	uint64_t z = (g->s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void
random_bytes(struct rng *g, unsigned char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (unsigned char)rnd64(g);
}

/* A source of n zero bytes that is never held in memory. */
struct zeros {
	zip_uint64_t size, off;
	zip_error_t error;
};

static zip_int64_t
zeros_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct zeros *z = ud;
	zip_uint64_t n;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		z->off = 0;
		return 0;
	case ZIP_SOURCE_READ:
		n = z->size - z->off < len ? z->size - z->off : len;
		memset(data, 0, (size_t)n);
		z->off += n;
		return (zip_int64_t)n;
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;

		zip_stat_init(st);
		st->size = z->size;
		st->valid |= ZIP_STAT_SIZE;
		return sizeof(*st);
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&z->error, data, len);
	case ZIP_SOURCE_FREE:
		zip_error_fini(&z->error);
		free(z);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN,
		    ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
		    ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		zip_error_set(&z->error, ZIP_ER_INVAL, 0);
		return -1;
	}
}

/* What goes into a zip written by zip_write(). */
struct entry {
	const char *name;
	const void *data;	/* NULL with zeros: that many zero bytes */
	size_t len;
	zip_uint64_t zeros;
	const char *file;	/* or the content of this file */
	bool store;
	const char *password;	/* AES-256 */
};

static int
zip_write(const char *path, const struct entry *e, size_t n)
{
	zip_t *za;
	int zerr;
	size_t i;

	if ((za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr)) == NULL) {
		warnx_("%s: zip_open %d", path, zerr);
		return -1;
	}
	for (i = 0; i < n; i++) {
		zip_source_t *src;
		zip_int64_t idx;

		if (e[i].file != NULL)
			src = zip_source_file(za, e[i].file, 0, -1);
		else if (e[i].data != NULL)
			src = zip_source_buffer(za, e[i].data, e[i].len, 0);
		else {
			struct zeros *z = calloc(1, sizeof(*z));

			if (z == NULL)
				abort();
			z->size = e[i].zeros;
			zip_error_init(&z->error);
			src = zip_source_function(za, zeros_cb, z);
		}
		if (src == NULL || (idx = zip_file_add(za, e[i].name, src,
		    ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE)) < 0) {
			warnx_("%s: %s", path, zip_strerror(za));
			zip_source_free(src);
			zip_discard(za);
			return -1;
		}
		zip_set_file_compression(za, (zip_uint64_t)idx, e[i].store ?
		    ZIP_CM_STORE : ZIP_CM_DEFLATE, e[i].store ? 0 : 9);
		if (e[i].password != NULL && zip_file_set_encryption(za,
		    (zip_uint64_t)idx, ZIP_EM_AES_256, e[i].password) != 0) {
			warnx_("%s: %s", path, zip_strerror(za));
			zip_discard(za);
			return -1;
		}
	}
	if (zip_close(za) != 0) {
		warnx_("%s: %s", path, zip_strerror(za));
		zip_discard(za);
		return -1;
	}
	return 0;
}

static const char marked_text[] =
	"ỦY BAN NHÂN DÂN PHƯỜNG THÁI HÒA\n"
	"Số: 17/UBND-CA\n"
	"TỐI MẬT\n"
	"Thái Hòa, ngày 05 tháng 3 năm 2026\n"
	"BÁO CÁO\n"
	"Tình hình an ninh trật tự trên địa bàn phường.\n";

/* A one-page PDF written by hand (for qpdf when gen_pdf is missing). */
static int
tiny_pdf(const char *path)
{
	static const char *const obj[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
		    "/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"<< /Length 44 >>\nstream\nBT /F1 14 Tf 250 780 Td (MAT) Tj ET"
		    "\nendstream",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	};
	char buf[2048];
	size_t off[6], n = 0, i;
	char err[256];

	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%%PDF-1.4\n");
	for (i = 0; i < 5; i++) {
		off[i] = n;
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
		    "%zu 0 obj\n%s\nendobj\n", i + 1, obj[i]);
	}
	off[5] = n;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n,
	    "xref\n0 6\n0000000000 65535 f \n");
	for (i = 0; i < 5; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
		    "%010zu 00000 n \n", off[i]);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n,
	    "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
	    off[5]);
	if (gen_write_file(path, buf, n, err, sizeof(err)) != 0) {
		warnx_("%s", err);
		return -1;
	}
	return 0;
}

/* An encrypted OOXML document as Office writes it: an OLE2 compound file
 * holding EncryptionInfo and EncryptedPackage. */
static int
ole2_encrypted(const char *path, struct rng *g)
{
	static const unsigned char info[] = {
		0x04, 0x00, 0x04, 0x00, 0x40, 0x00, 0x00, 0x00,
	};
	static const char xml[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" "
	    "standalone=\"yes\"?>\r\n<encryption xmlns=\"http://schemas."
	    "microsoft.com/office/2006/encryption\"><keyData saltSize=\"16\" "
	    "blockSize=\"16\" keyBits=\"256\" hashSize=\"64\" cipherAlgorithm="
	    "\"AES\" cipherChaining=\"ChainingModeCBC\" hashAlgorithm="
	    "\"SHA512\"/></encryption>";
	unsigned char pkg[8192];
	GsfOutput *out, *s;
	GsfOutfile *ole;
	GError *err = NULL;

	random_bytes(g, pkg, sizeof(pkg));
	pkg[0] = 0x00;
	pkg[1] = 0x20;		/* the package's size, little-endian u64 */
	memset(pkg + 2, 0, 6);
	if ((out = gsf_output_stdio_new(path, &err)) == NULL) {
		warnx_("%s: %s", path, err ? err->message : "gsf");
		g_clear_error(&err);
		return -1;
	}
	ole = gsf_outfile_msole_new(out);
	s = gsf_outfile_new_child(ole, "EncryptionInfo", FALSE);
	gsf_output_write(s, sizeof(info), info);
	gsf_output_write(s, sizeof(xml) - 1, (const guint8 *)xml);
	gsf_output_close(s);
	g_object_unref(s);
	s = gsf_outfile_new_child(ole, "EncryptedPackage", FALSE);
	gsf_output_write(s, sizeof(pkg), pkg);
	gsf_output_close(s);
	g_object_unref(s);
	gsf_output_close(GSF_OUTPUT(ole));
	g_object_unref(ole);
	g_object_unref(out);
	return 0;
}

/* An OpenDocument text whose content.xml is encrypted (the manifest
 * says so with manifest:encryption-data). */
static int
odf_encrypted(const char *path, struct rng *g)
{
	static const char mime[] = "application/vnd.oasis.opendocument.text";
	static const char manifest[] = "<?xml version=\"1.0\" encoding=\"UTF-8\""
	    "?>\n<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:"
	    "opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\n"
	    " <manifest:file-entry manifest:full-path=\"/\" manifest:"
	    "media-type=\"application/vnd.oasis.opendocument.text\"/>\n"
	    " <manifest:file-entry manifest:full-path=\"content.xml\" "
	    "manifest:media-type=\"text/xml\" manifest:size=\"3021\">\n"
	    "  <manifest:encryption-data manifest:checksum-type=\"urn:oasis:"
	    "names:tc:opendocument:xmlns:manifest:1.0#sha256-1k\" "
	    "manifest:checksum=\"pVAg6dkE1HObXSr0A5ARiGoVDOc=\">\n"
	    "   <manifest:algorithm manifest:algorithm-name=\"http://www.w3."
	    "org/2001/04/xmlenc#aes256-cbc\" manifest:initialisation-vector="
	    "\"Bm7OaYZ8R4bpA5XQ/1Mj0Q==\"/>\n"
	    "   <manifest:start-key-generation manifest:start-key-generation-"
	    "name=\"http://www.w3.org/2000/09/xmldsig#sha256\" manifest:"
	    "key-size=\"32\"/>\n"
	    "   <manifest:key-derivation manifest:key-derivation-name=\"PBKDF2"
	    "\" manifest:key-size=\"32\" manifest:iteration-count=\"100000\" "
	    "manifest:salt=\"wnO4nvoL0bJhF4vBgWh3Pw==\"/>\n"
	    "  </manifest:encryption-data>\n </manifest:file-entry>\n"
	    "</manifest:manifest>\n";
	unsigned char content[3024];
	struct entry e[3] = {
		{.name = "mimetype", .data = mime, .len = sizeof(mime) - 1,
		    .store = true},
		{.name = "content.xml", .data = content,
		    .len = sizeof(content), .store = true},
		{.name = "META-INF/manifest.xml", .data = manifest,
		    .len = sizeof(manifest) - 1},
	};

	random_bytes(g, content, sizeof(content));
	return zip_write(path, e, 3);
}

/* Random bytes behind the magic of each container format. */
static int
corrupt_file(const char *path, const char *fmt, struct rng *g)
{
	unsigned char b[8192];
	size_t n = sizeof(b), m = 0;
	char err[256];

	random_bytes(g, b, n);
	if (strcmp(fmt, "pdf") == 0) {
		m = (size_t)snprintf((char *)b, n, "%%PDF-1.7\n%%\xE2\xE3\xCF"
		    "\xD3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n");
	} else if (strcmp(fmt, "doc") == 0 || strcmp(fmt, "xls") == 0 ||
	    strcmp(fmt, "ppt") == 0) {
		memcpy(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
	} else if (strcmp(fmt, "odt") == 0 || strcmp(fmt, "ods") == 0 ||
	    strcmp(fmt, "odp") == 0) {
		memcpy(b, "PK\x03\x04", 4);
		memcpy(b + 30, "mimetype", 8);
		m = (size_t)snprintf((char *)b + 38, n - 38,
		    "application/vnd.oasis.opendocument.%s", strcmp(fmt,
		    "odt") == 0 ? "text" : strcmp(fmt, "ods") == 0 ?
		    "spreadsheet" : "presentation");
		(void)m;
	} else if (strcmp(fmt, "zip") == 0) {
		memcpy(b, "PK\x03\x04", 4);
	} else {
		/* OOXML: a local header naming [Content_Types].xml */
		memcpy(b, "PK\x03\x04", 4);
		memcpy(b + 30, "[Content_Types].xml", 19);
	}
	if (gen_write_file(path, b, n, err, sizeof(err)) != 0) {
		warnx_("%s", err);
		return -1;
	}
	return 0;
}

/* The first half of a decoy written by the format's own writer. */
static int
truncated_file(struct run *r, const struct gen_format *f, const char *path)
{
	struct gen_doc d;
	char err[512] = "";
	struct stat st;
	int rc;

	gen_doc_make(&d, GEN_DECOY_WORDS, DOC_DEGREE_NONE, GEN_ENC_NFC,
	    r->next_seed++);
	rc = f->write(path, &d, err, sizeof(err));
	gen_doc_free(&d);
	if (rc != 0) {
		warnx_("%s: %s", path, err);
		return -1;
	}
	if (stat(path, &st) == -1 || truncate(path, st.st_size / 2) == -1) {
		warnx_("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* A zip in a zip … depth times, a marked text at the bottom. */
static int
deep_zip(const char *dir, const char *path, unsigned depth)
{
	char inner[PATH_MAX], outer[PATH_MAX];
	struct entry e = {.name = "baocao.txt", .data = marked_text,
	    .len = sizeof(marked_text) - 1};
	unsigned i;
	int rc = 0;

	if (join(inner, sizeof(inner), dir, ".deep-0.zip") != 0 ||
	    zip_write(inner, &e, 1) != 0)
		return -1;
	for (i = 1; i < depth && rc == 0; i++) {
		char name[32], tmp[32];
		struct entry z = {.name = name, .file = inner};

		snprintf(name, sizeof(name), "lop-%u.zip", i - 1);
		snprintf(tmp, sizeof(tmp), ".deep-%u.zip", i);
		if (join(outer, sizeof(outer), dir, tmp) != 0)
			return -1;
		rc = zip_write(outer, &z, 1);
		unlink(inner);
		snprintf(inner, sizeof(inner), "%s", outer);
	}
	if (rc == 0 && rename(inner, path) == -1)
		rc = -1;
	unlink(inner);
	return rc;
}

/* 42.zip's idea: a zip of 8 zips of 8 entries of 8 MiB of zeros. */
static int
nested_bomb(const char *dir, const char *path)
{
	char inner[PATH_MAX], names[8][32];
	struct entry e[8];
	size_t i;
	int rc;

	if (join(inner, sizeof(inner), dir, ".bomb-inner.zip") != 0)
		return -1;
	memset(e, 0, sizeof(e));
	for (i = 0; i < 8; i++) {
		snprintf(names[i], sizeof(names[i]), "so-lieu-%zu.txt", i);
		e[i].name = names[i];
		e[i].zeros = 8u << 20;
	}
	if (zip_write(inner, e, 8) != 0)
		return -1;
	memset(e, 0, sizeof(e));
	for (i = 0; i < 8; i++) {
		snprintf(names[i], sizeof(names[i]), "phan-%zu.zip", i);
		e[i].name = names[i];
		e[i].file = inner;
	}
	rc = zip_write(path, e, 8);
	unlink(inner);
	return rc;
}

/* Many entries whose total expands past the limit, each under it. */
static int
wide_bomb(const char *path)
{
	char names[16][32];
	struct entry e[16];
	size_t i;

	memset(e, 0, sizeof(e));
	for (i = 0; i < 16; i++) {
		snprintf(names[i], sizeof(names[i]), "bang-%02zu.txt", i);
		e[i].name = names[i];
		e[i].zeros = 20u << 20;
	}
	return zip_write(path, e, 16);
}

/* An OOXML document whose XML nests without end, and one with a DTD of
 * entities that must never be expanded. */
static int
xml_docx(const char *path, bool laughs)
{
	static const char types[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
	    "content-types\"><Default Extension=\"xml\" ContentType="
	    "\"application/xml\"/><Override PartName=\"/word/document.xml\" "
	    "ContentType=\"application/vnd.openxmlformats-officedocument."
	    "wordprocessingml.document.main+xml\"/></Types>";
	static const char rels[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
	    "2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://"
	    "schemas.openxmlformats.org/officeDocument/2006/relationships/"
	    "officeDocument\" Target=\"word/document.xml\"/></Relationships>";
	static const char head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/"
	    "wordprocessingml/2006/main\"><w:body>";
	static const char lol[] = "<?xml version=\"1.0\"?>\n<!DOCTYPE w:document "
	    "[\n<!ENTITY a \"MẬT MẬT MẬT MẬT MẬT MẬT MẬT MẬT MẬT MẬT\">\n"
	    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
	    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
	    "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
	    "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
	    "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
	    "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
	    "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"
	    "<!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">\n]>\n"
	    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/"
	    "wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>&i;</w:t>"
	    "</w:r></w:p></w:body></w:document>";
	struct entry e[3] = {
		{.name = "[Content_Types].xml", .data = types,
		    .len = sizeof(types) - 1},
		{.name = "_rels/.rels", .data = rels, .len = sizeof(rels) - 1},
		{.name = "word/document.xml"},
	};
	char *doc = NULL;
	size_t depth = 200000, n = 0, i;
	int rc;

	if (laughs) {
		e[2].data = lol;
		e[2].len = sizeof(lol) - 1;
		return zip_write(path, e, 3);
	}
	if ((doc = malloc(sizeof(head) + depth * 13)) == NULL)
		abort();
	memcpy(doc, head, sizeof(head) - 1);
	n = sizeof(head) - 1;
	for (i = 0; i < depth; i++) {
		memcpy(doc + n, "<w:sdt>", 7);
		n += 7;
	}
	e[2].data = doc;
	e[2].len = n;
	rc = zip_write(path, e, 3);
	free(doc);
	return rc;
}

static int
sparse_huge(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int rc = 0;

	if (fd == -1)
		return -1;
	if (write(fd, "%PDF-1.4\n", 9) != 9 ||
	    ftruncate(fd, (off_t)300 << 20) == -1)
		rc = -1;
	close(fd);
	return rc;
}

static void
hostile_done(struct run *r, const char *rel, const char *verdict,
    const char *kind, int rc)
{
	if (rc == 0)
		expect(r, rel, verdict, "hostile", kind, "-", false);
	else {
		warnx_("%s: could not be made", rel);
		r->failed++;
	}
}

/* One hostile file: made by call (which sees its path as path), expected
 * as verdict. */
#define HOSTILE(name, verdict, kind, call) do {				\
	char rel_[256], path_[PATH_MAX];				\
									\
	snprintf(rel_, sizeof(rel_), "hostile/%s", (name));		\
	if (join(path_, sizeof(path_), r->o->out, rel_) == 0) {		\
		const char *path = path_;				\
									\
		hostile_done(r, rel_, (verdict), (kind), (call));	\
	}								\
} while (0)

static int
qpdf_encrypt(struct run *r, const char *path)
{
	const struct gen_format *f = gen_format_find("pdf");
	char plain[PATH_MAX], cmd[3 * PATH_MAX];
	int rc;

	snprintf(plain, sizeof(plain), "%s/hostile/.plain.pdf", r->o->out);
	if (f != NULL && f->write != NULL) {
		struct gen_doc d;
		char err[256];

		gen_doc_make(&d, GEN_STAMP_TOP, DOC_DEGREE_TUYET_MAT,
		    GEN_ENC_NFC, r->next_seed++);
		rc = f->write(plain, &d, err, sizeof(err));
		gen_doc_free(&d);
	} else
		rc = tiny_pdf(plain);
	if (rc != 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "qpdf --encrypt matkhau-nguoidung "
	    "matkhau-chu 256 -- '%s' '%s' 2>/dev/null", plain, path);
	rc = system(cmd);
	unlink(plain);
	return rc == 0 ? 0 : -1;
}

static int
encrypted_zip(const char *path)
{
	struct entry e = {.name = "baocao-mat.txt", .data = marked_text,
	    .len = sizeof(marked_text) - 1, .password = "matkhau"};

	return zip_write(path, &e, 1);
}

static int
flat_bomb(const char *path)
{
	struct entry e = {.name = "du-lieu.txt", .zeros = 300u << 20};

	return zip_write(path, &e, 1);
}

static int
make_fifo(const char *path)
{
	unlink(path);
	return mkfifo(path, 0644);
}

static int
make_link(const char *target, const char *path)
{
	unlink(path);
	return symlink(target, path);
}

static int
no_permission(const char *path)
{
	char err[256];

	if (gen_write_file(path, marked_text, sizeof(marked_text) - 1, err,
	    sizeof(err)) != 0)
		return -1;
	return chmod(path, 0);
}

static int
empty_file(const char *path)
{
	char err[256];

	return gen_write_file(path, "", 0, err, sizeof(err));
}

static bool
have_qpdf(void)
{
	return system("command -v qpdf >/dev/null 2>&1") == 0;
}

/* Truncation and corruption, for each container format with a writer. */
static void
hostile_formats(struct run *r, struct rng *g)
{
	static const char *const containers[] = {
		"docx", "xlsx", "pptx", "odt", "ods", "odp", "zip", "pdf",
		"doc", "xls", "ppt",
	};
	size_t i;

	for (i = 0; i < sizeof(containers) / sizeof(containers[0]); i++) {
		const struct gen_format *f = gen_format_find(containers[i]);
		char name[64];

		snprintf(name, sizeof(name), "corrupt.%s", containers[i]);
		HOSTILE(name, "unreadable:corrupt|truncated", "corrupt",
		    corrupt_file(path, containers[i], g));
		if (f == NULL || f->write == NULL)
			continue;
		snprintf(name, sizeof(name), "truncated.%s", f->ext);
		/* poppler rebuilds a PDF cut short and may read what is
		 * left: it must not be reported, it need not be refused. */
		HOSTILE(name, strcmp(f->name, "pdf") == 0 ?
		    "nofind:corrupt|truncated" :
		    "unreadable:corrupt|truncated", "truncated",
		    truncated_file(r, f, path));
	}
}

static void
walk_hostile(struct run *r)
{
	char dir[PATH_MAX];
	struct rng g = {r->o->seed * 7919ull + 1};

	snprintf(dir, sizeof(dir), "%s/hostile", r->o->out);
	if (mkdirs(dir) == -1) {
		warnx_("%s: %s", dir, strerror(errno));
		r->failed++;
		return;
	}
	HOSTILE("encrypted.zip", "unreadable:encrypted", "encrypted",
	    encrypted_zip(path));
	HOSTILE("encrypted.docx", "unreadable:encrypted", "encrypted",
	    ole2_encrypted(path, &g));
	HOSTILE("encrypted.odt", "unreadable:encrypted", "encrypted",
	    odf_encrypted(path, &g));
	if (have_qpdf())
		HOSTILE("encrypted.pdf", "unreadable:encrypted", "encrypted",
		    qpdf_encrypt(r, path));
	else
		warnx_("qpdf missing: no encrypted PDF");
	hostile_formats(r, &g);
	HOSTILE("bomb-flat.zip", "unreadable:too-large", "zip-bomb",
	    flat_bomb(path));
	HOSTILE("bomb-wide.zip", "unreadable:too-large", "zip-bomb",
	    wide_bomb(path));
	HOSTILE("bomb-nested.zip", "unreadable:too-large", "zip-bomb",
	    nested_bomb(dir, path));
	HOSTILE("deep-8.zip", "unreadable:too-deep", "deep-nesting",
	    deep_zip(dir, path, 8));
	HOSTILE("deep-xml.docx", "unreadable:corrupt|too-deep", "deep-nesting",
	    xml_docx(path, false));
	HOSTILE("entities.docx", "nofind:corrupt|unsupported|too-large",
	    "xml-entities", xml_docx(path, true));
	HOSTILE("huge.pdf", "unreadable:too-large", "huge",
	    sparse_huge(path));
	HOSTILE("fifo.txt", "skipped", "fifo", make_fifo(path));
	HOSTILE("zero.txt", "skipped", "symlink", make_link("/dev/zero",
	    path));
	HOSTILE("loop", "skipped", "symlink", make_link(".", path));
	if (r->first_marked[0] != '\0') {
		char target[PATH_MAX + 4];

		snprintf(target, sizeof(target), "../%s", r->first_marked);
		HOSTILE("link-to-marked.doc", "skipped", "symlink",
		    make_link(target, path));
	}
	if (geteuid() != 0)
		HOSTILE("no-permission.txt", "unreadable:io", "permission",
		    no_permission(path));
	HOSTILE("empty.docx", "nofind:corrupt|truncated", "empty",
	    empty_file(path));
	HOSTILE("empty.pdf", "nofind:corrupt|truncated", "empty",
	    empty_file(path));
	HOSTILE("empty.txt", "nofind:corrupt|truncated", "empty",
	    empty_file(path));
}

/* --- the benchmark corpus ----------------------------------------------- */

/* Shares of a typical office's documents (by count). */
static const struct {
	const char *fmt;
	unsigned share;
} bench_mix[] = {
	{"pdf", 30}, {"docx", 26}, {"doc", 12}, {"xls", 7}, {"xlsx", 5},
	{"txt", 10}, {"pptx", 4}, {"ppt", 3}, {"odt", 3},
};

/* Paragraphs between the title and "Nơi nhận:". */
static void
body_range(const struct gen_doc *d, size_t *from, size_t *to)
{
	size_t i;

	*from = 0;
	*to = d->npara;
	for (i = 0; i < d->npara; i++) {
		if (*from == 0 && d->title != NULL &&
		    strcmp(d->paras[i].text, d->title) == 0)
			*from = i + 2;
		if (strcmp(d->paras[i].text, "Nơi nhận:") == 0) {
			*to = i;
			break;
		}
	}
	if (*from > *to)
		*from = *to;
}

/*
 * A long document: the letter's own paragraphs with the bodies of more
 * letters inserted before its closing, about 30 paragraphs a page. The
 * texts stay owned by the source documents.
 */
static void
lengthen(struct gen_doc *long_doc, const struct gen_doc *d,
    struct gen_doc *extra, size_t nextra)
{
	size_t from, to, i, k, n = 0, cap = d->npara;

	for (k = 0; k < nextra; k++)
		cap += extra[k].npara;
	*long_doc = *d;
	long_doc->paras = calloc(cap, sizeof(struct gen_para));
	if (long_doc->paras == NULL)
		abort();
	body_range(d, &from, &to);
	for (i = 0; i < to; i++)
		long_doc->paras[n++] = d->paras[i];
	for (k = 0; k < nextra; k++) {
		size_t a, b;

		body_range(&extra[k], &a, &b);
		for (i = a; i < b; i++)
			long_doc->paras[n++] = extra[k].paras[i];
	}
	for (i = to; i < d->npara; i++)
		long_doc->paras[n++] = d->paras[i];
	long_doc->npara = n;
}

static const struct gen_format *
bench_format(struct rng *g, const struct gen_format **fmts,
    const unsigned *share, size_t n, unsigned total)
{
	unsigned x = (unsigned)(rnd64(g) % total);
	size_t i;

	for (i = 0; i < n; i++) {
		if (x < share[i])
			return fmts[i];
		x -= share[i];
	}
	return fmts[n - 1];
}

/* One document of the benchmark: returns its size, 0 on failure. */
static unsigned long long
bench_one(struct run *r, const struct gen_format *f, unsigned id,
    struct rng *g)
{
	struct gen_doc d, big, extra[40];
	enum gen_kind kind = GEN_STAMP_TOP;
	enum doc_degree deg = DOC_DEGREE_NONE;
	enum gen_enc enc = GEN_ENC_NFC;
	unsigned pct = (unsigned)(rnd64(g) % 1000), pages, nextra, k, e;
	size_t total;
	char rel[512], path[PATH_MAX], dir[PATH_MAX], err[512] = "";
	struct stat st;
	unsigned long long size = 0;

	if (pct < 30) {		/* 3 % marked */
		kind = (enum gen_kind)(rnd64(g) % (GEN_COPY_MARK + 1));
		deg = (enum doc_degree)(1 + rnd64(g) % 3);
	} else if (pct < 130)	/* 10 % decoys */
		kind = (enum gen_kind)(GEN_DECOY_RULES + rnd64(g) % 3);
	if (!f->supports(kind, enc))
		kind = GEN_STAMP_TOP;
	if (rnd64(g) % 10 == 0) {	/* some legacy-font typists */
		e = (unsigned)(GEN_ENC_TCVN3 + rnd64(g) % 2);
		if (f->supports(kind, (enum gen_enc)e))
			enc = (enum gen_enc)e;
	}
	/* 5–100 pages (a page of A4 holds about 12 of these paragraphs),
	 * most documents short. */
	k = (unsigned)(rnd64(g) % 96);
	pages = 5 + k * k / 96;
	gen_doc_make(&d, kind, deg, enc, r->o->seed * 1000003u + id);
	for (nextra = 0, total = d.npara; total < pages * 12 &&
	    nextra < sizeof(extra) / sizeof(extra[0]); nextra++) {
		gen_doc_make(&extra[nextra], GEN_STAMP_TOP, DOC_DEGREE_NONE,
		    enc, r->o->seed * 7777u + id * 41u + nextra);
		total += extra[nextra].npara - 20;
	}
	lengthen(&big, &d, extra, nextra);
	snprintf(dir, sizeof(dir), "%s/%s/%03u", r->o->out, f->name,
	    id / 500);
	snprintf(rel, sizeof(rel), "%s/%03u/%s-%s-%s-%u.%s", f->name,
	    id / 500, gen_kind_name(kind), degree_code(d.degree),
	    gen_enc_name(enc), id, f->ext);
	if (join(path, sizeof(path), r->o->out, rel) == 0 && mkdirs(dir) == 0 && f->write(path, &big, err, sizeof(err)) == 0 &&
	    stat(path, &st) == 0) {
		size = (unsigned long long)st.st_size;
		expect(r, rel, gen_doc_expected(&d) ? degree_code(d.degree) :
		    "none", f->name, gen_kind_name(kind), gen_enc_name(enc),
		    false);
	} else {
		warnx_("%s: %s", rel, err[0] ? err : strerror(errno));
		r->failed++;
	}
	free(big.paras);
	for (k = 0; k < nextra; k++)
		gen_doc_free(&extra[k]);
	gen_doc_free(&d);
	return size;
}

/* Worker w of n writes documents w, w+n, … until its share of the size. */
static int
bench_worker(struct run *r, unsigned w, unsigned n,
    const struct gen_format **fmts, const unsigned *share, size_t nf,
    unsigned total)
{
	unsigned long long done = 0, want = r->o->bench / n + 1;
	unsigned id;

	for (id = w; done < want; id += n) {
		struct rng g = {r->o->seed * 0x100000001B3ull + id};
		const struct gen_format *f = bench_format(&g, fmts, share, nf,
		    total);

		done += bench_one(r, f, id, &g);
		if (r->failed > 20)
			return 1;
	}
	return 0;
}

static int
walk_bench(struct run *r)
{
	const struct gen_format *fmts[16];
	unsigned share[16], total = 0, w, jobs = r->o->jobs ? r->o->jobs : 1;
	size_t nf = 0, i;
	int status, rc = 0;
	pid_t pid[64];
	char part[PATH_MAX];

	for (i = 0; i < sizeof(bench_mix) / sizeof(bench_mix[0]); i++) {
		const struct gen_format *f = gen_format_find(bench_mix[i].fmt);

		if (!selected(r->o, bench_mix[i].fmt) || f == NULL ||
		    !have_writer(r, f))
			continue;
		fmts[nf] = f;
		share[nf] = bench_mix[i].share;
		total += share[nf++];
	}
	if (nf == 0) {
		warnx_("no writer for the benchmark's formats");
		return 1;
	}
	if (jobs > 64)
		jobs = 64;
	fflush(r->tsv);
	for (w = 0; w < jobs; w++) {
		if ((pid[w] = fork()) == -1) {
			warnx_("fork: %s", strerror(errno));
			return 1;
		}
		if (pid[w] == 0) {
			snprintf(part, sizeof(part), "%s/.expected.%u",
			    r->o->out, w);
			if ((r->tsv = fopen(part, "w")) == NULL)
				_exit(1);
			rc = bench_worker(r, w, jobs, fmts, share, nf, total);
			_exit(fclose(r->tsv) != 0 || rc != 0);
		}
	}
	for (w = 0; w < jobs; w++) {
		FILE *in;
		char line[PATH_MAX + 128];

		if (waitpid(pid[w], &status, 0) == -1 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			rc = 1;
		snprintf(part, sizeof(part), "%s/.expected.%u", r->o->out, w);
		if ((in = fopen(part, "r")) == NULL)
			continue;
		while (fgets(line, sizeof(line), in) != NULL)
			fputs(line, r->tsv);
		fclose(in);
		unlink(part);
	}
	return rc;
}

/* --- main --------------------------------------------------------------- */

static unsigned long long
parse_size(const char *s)
{
	char *end;
	unsigned long long n = strtoull(s, &end, 10);

	switch (*end) {
	case 'k': case 'K': n <<= 10; end++; break;
	case 'm': case 'M': n <<= 20; end++; break;
	case 'g': case 'G': n <<= 30; end++; break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	return *end == '\0' ? n : 0;
}

static void
usage(void)
{
	fputs("cách dùng / usage: mkcorpus --out DIR [--formats a,b] [--ocr] "
	    "[--full]\n                 [--bench SIZE] [--jobs N] "
	    "[--seed N]\n", stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"out", required_argument, NULL, 'o'},
		{"formats", required_argument, NULL, 'f'},
		{"ocr", no_argument, NULL, 'r'},
		{"full", no_argument, NULL, 'F'},
		{"bench", required_argument, NULL, 'b'},
		{"jobs", required_argument, NULL, 'j'},
		{"seed", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct opts o = {.seed = 1, .jobs = 1};
	struct run r;
	char tsv[PATH_MAX];
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "o:f:rFb:j:s:h", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'o': o.out = optarg; break;
		case 'f': o.formats = optarg; break;
		case 'r': o.ocr = true; break;
		case 'F': o.full = true; break;
		case 'b':
			if ((o.bench = parse_size(optarg)) == 0)
				usage();
			break;
		case 'j': o.jobs = (unsigned)strtoul(optarg, NULL, 10); break;
		case 's': o.seed = (unsigned)strtoul(optarg, NULL, 10); break;
		default: usage();
		}
	}
	if (o.out == NULL || optind != argc)
		usage();
	if (mkdirs(o.out) == -1) {
		warnx_("%s: %s", o.out, strerror(errno));
		return 1;
	}
	memset(&r, 0, sizeof(r));
	r.o = &o;
	r.next_seed = o.seed * 1000u;
	snprintf(tsv, sizeof(tsv), "%s/expected.tsv", o.out);
	if ((r.tsv = fopen(tsv, "w")) == NULL) {
		warnx_("%s: %s", tsv, strerror(errno));
		return 1;
	}
	fprintf(r.tsv, "# path\texpected\tformat\tkind\tenc\tocr\n");
	if (o.bench > 0)
		rc = walk_bench(&r);
	else {
		walk_matrix(&r);
		if (selected(&o, "hostile"))
			walk_hostile(&r);
	}
	if (fclose(r.tsv) != 0)
		rc = 1;
	if (rc != 0 || r.failed > 0)
		return 1;
	return r.missing > 0 ? 3 : 0;
}
