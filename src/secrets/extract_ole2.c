/*
 * extract_ole2.c — legacy Office documents (.doc, .xls, .ppt): opens the
 * compound file with libgsf and hands each known stream to its reader
 * (ole2_word.c, ole2_excel.c, ole2_ppt.c); the document title and subject
 * (SummaryInformation) become META lines; an encrypted OOXML package
 * (EncryptionInfo/EncryptedPackage) is reported as such; embedded objects
 * (ObjectPool, MBD… storages, "Package" streams) are read as nested
 * documents. Also the line helpers the readers share (ole2.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsf/gsf.h>

#include "lib/text.h"
#include "secrets/ole2.h"

#define OLE2_STORAGE_MAX 256	/* embedded storages looked into, per level */

/* --- lines ---------------------------------------------------------------- */

uint16_t
ole2_cp1252(unsigned char b)
{
	return (uint16_t)text_cp1252_char(b);
}

/* The byte a legacy font shows as code unit u (the inverse of the above). */
static unsigned char
unit_byte(uint16_t u)
{
	int b = text_cp1252_byte(u);

	if (b >= 0)
		return (unsigned char)b;
	if (u >= 0xF020 && u <= 0xF0FF)	/* symbol-font private use */
		return (unsigned char)(u & 0xFF);
	return '?';
}

enum doc_enc
ole2_font_enc(const char *name, bool *caps)
{
	size_t n = strlen(name);

	*caps = false;
	if (strncasecmp(name, ".Vn", 3) == 0) {
		*caps = n > 3 && name[n - 1] == 'H';
		return DOC_ENC_TCVN3;
	}
	if (strncasecmp(name, "VNI-", 4) == 0 || strncasecmp(name, "VNI ",
	    4) == 0)
		return DOC_ENC_VNI;
	return DOC_ENC_UNICODE;
}

void
ole2_text_add(struct ole2_text *t, uint16_t u, bool from8)
{
	/* control characters other than line ends and tabs say nothing */
	if (t->n >= OLE2_LINE_MAX || (u < 0x20 && u != '\n' && u != '\r' &&
	    u != '\t'))
		return;
	t->u[t->n++] = u;
	if (from8) {
		t->from8 = true;
		if (u >= 0x80)
			t->high8 = true;
	}
}

/* UTF-16 units to UTF-8 (lone surrogates become U+FFFD) into o, which
 * holds 3 bytes per unit. */
static size_t
units_utf8(const uint16_t *u, size_t n, char *o)
{
	size_t i, len = 0;

	for (i = 0; i < n; i++) {
		uint32_t c = u[i];

		if (c >= 0xD800 && c < 0xDC00 && i + 1 < n && u[i + 1] >=
		    0xDC00 && u[i + 1] < 0xE000) {
			c = 0x10000 + ((c - 0xD800) << 10) + (u[i + 1] -
			    0xDC00);
			i++;
		} else if (c >= 0xD800 && c < 0xE000)
			c = 0xFFFD;
		len += text_utf8_put(o + len, c);
	}
	return len;
}

enum doc_next
ole2_text_emit(struct doc_ctx *ctx, struct ole2_text *t, struct ole2_out *o,
    unsigned flags, enum doc_enc enc)
{
	char buf[OLE2_LINE_MAX * 3];
	unsigned char bytes[OLE2_LINE_MAX];
	struct doc_line l;
	enum doc_next r;
	char *legacy = NULL;
	size_t i, len;

	if (t->n == 0)
		return DOC_NEXT_MORE;
	if (enc == DOC_ENC_UNICODE && t->high8)
		enc = DOC_ENC_UNKNOWN_8BIT;
	memset(&l, 0, sizeof(l));
	for (i = 0; i < t->n; i++)
		if (t->u[i] < 0x20)
			t->u[i] = ' ';
	if (enc == DOC_ENC_UNICODE) {
		len = units_utf8(t->u, t->n, buf);
		l.text = buf;
	} else {
		for (i = 0; i < t->n; i++)
			bytes[i] = unit_byte(t->u[i]);
		legacy = vienc_bytes_to_utf8(bytes, t->n, &len);
		if (legacy == NULL) {
			t->n = 0;
			t->from8 = t->high8 = false;
			return DOC_NEXT_MORE;
		}
		l.text = legacy;
	}
	t->n = 0;
	t->from8 = t->high8 = false;
	l.len = len;
	l.zone = o->zone;
	l.flags = flags;
	l.enc = enc;
	l.page = o->page;
	l.index = o->index;
	l.part = o->part;
	r = doc_emit(ctx, &l);
	/* doc_emit drops blank lines: count only what reached the sink */
	for (i = 0; i < len; i++)
		if (l.text[i] != ' ' && l.text[i] != '\t')
			break;
	free(legacy);
	if (i < len) {
		o->index++;
		o->bytes += len;
	}
	if (r == DOC_NEXT_MORE && ctx->lim != NULL && ctx->lim->max_text > 0 &&
	    o->bytes > ctx->lim->max_text)
		r = DOC_NEXT_SKIP;
	return r;
}

/* --- streams -------------------------------------------------------------- */

/* Reads child name of dir whole into *s (malloc'd; NULL when absent);
 * flen is the size of the compound file. */
static enum doc_err
read_stream(struct doc_ctx *ctx, GsfInfile *dir, const char *name,
    struct ole2_stream *s, size_t flen)
{
	GsfInput *in;
	gsf_off_t size;
	unsigned char *p;

	s->p = NULL;
	s->len = 0;
	in = gsf_infile_child_by_name(dir, name);
	if (in == NULL)
		return DOC_OK;
	size = gsf_input_size(in);
	if (size >= 0 && (uint64_t)size > flen) {
		/* sectors are not shared: no stream outgrows its file */
		g_object_unref(in);
		return doc_fail(ctx, DOC_ERR_CORRUPT, "%s: %lld bytes in a "
		    "file of %zu", name, (long long)size, flen);
	}
	if (size < 0 || (ctx->lim != NULL && ctx->lim->max_part > 0 &&
	    (uint64_t)size > ctx->lim->max_part)) {
		g_object_unref(in);
		return doc_fail(ctx, DOC_ERR_TOO_LARGE, "%s: %lld bytes", name,
		    (long long)size);
	}
	if (doc_expand(ctx, (size_t)size) != DOC_OK) {
		g_object_unref(in);
		return DOC_ERR_TOO_LARGE;
	}
	p = malloc(size > 0 ? (size_t)size : 1);
	if (p == NULL) {
		g_object_unref(in);
		return doc_fail(ctx, DOC_ERR_NOMEM, "%s", name);
	}
	if (size > 0 && gsf_input_read(in, (size_t)size, p) == NULL) {
		free(p);
		g_object_unref(in);
		return doc_fail(ctx, DOC_ERR_TRUNCATED, "%s: stream shorter "
		    "than its %lld bytes", name, (long long)size);
	}
	g_object_unref(in);
	s->p = p;
	s->len = (size_t)size;
	return DOC_OK;
}

static void
free_stream(struct ole2_stream *s)
{
	free((void *)s->p);
	s->p = NULL;
	s->len = 0;
}

static bool
has_child(GsfInfile *dir, const char *name)
{
	GsfInput *in = gsf_infile_child_by_name(dir, name);

	if (in == NULL)
		return false;
	g_object_unref(in);
	return true;
}

/* --- document properties -------------------------------------------------- */

#define PID_CODEPAGE	1
#define PID_TITLE	2
#define PID_SUBJECT	3
#define VT_I2		0x02
#define VT_LPSTR	0x1E
#define VT_LPWSTR	0x1F

/* One string property of a property set ([MS-OLEPS] 2.15) as a META
 * line: UTF-16, UTF-8, Windows-1258, or other 8-bit text as its bytes. */
static enum doc_next
meta_string(struct doc_ctx *ctx, const unsigned char *v, size_t vlen,
    unsigned cp, const char *part)
{
	struct ole2_text *t;
	struct ole2_out o = { part, DOC_ZONE_META, 0, 0, 0 };
	uint32_t type, cch, i;
	enum doc_next r;
	bool wide;

	if (vlen < 8)
		return DOC_NEXT_MORE;
	type = ole2_u32(v) & 0xFFFF;
	cch = ole2_u32(v + 4);
	wide = type == VT_LPWSTR || (type == VT_LPSTR && cp == 1200);
	if ((type != VT_LPSTR && type != VT_LPWSTR) || cch > (vlen - 8) /
	    (wide ? 2 : 1))
		return DOC_NEXT_MORE;
	if (!wide && cp == 1258) {
		char *u = vienc_from_cp1258(v + 8, strnlen((const char *)v +
		    8, cch));
		struct doc_line l;

		if (u == NULL)
			return DOC_NEXT_MORE;
		memset(&l, 0, sizeof(l));
		l.text = u;
		l.len = strlen(u);
		l.zone = DOC_ZONE_META;
		l.part = part;
		r = doc_emit(ctx, &l);
		free(u);
		return r;
	}
	if ((t = malloc(sizeof(*t))) == NULL)
		return DOC_NEXT_MORE;
	t->n = 0;
	t->from8 = t->high8 = false;
	for (i = 0; i < cch; i++) {
		uint16_t u = wide ? ole2_u16(v + 8 + i * 2) : v[8 + i];

		if (u == 0)
			break;
		ole2_text_add(t, u, !wide);
	}
	if (!wide && cp == 65001) {
		/* UTF-8 bytes: pass them as they are */
		char buf[OLE2_LINE_MAX];
		struct doc_line l;

		memset(&l, 0, sizeof(l));
		for (i = 0; i < t->n; i++)
			buf[i] = (char)t->u[i];
		l.text = buf;
		l.len = t->n;
		l.zone = DOC_ZONE_META;
		l.part = part;
		r = g_utf8_validate(buf, (gssize)t->n, NULL) ? doc_emit(ctx,
		    &l) : DOC_NEXT_MORE;
	} else
		r = ole2_text_emit(ctx, t, &o, 0, DOC_ENC_UNICODE);
	free(t);
	return r;
}

/* Title and subject of the SummaryInformation property set. */
static void
read_meta(struct doc_ctx *ctx, GsfInfile *dir, size_t flen)
{
	struct ole2_stream s;
	const unsigned char *p, *ps;
	size_t off, size, n, i, k;
	unsigned cp = 0;
	enum doc_err err = ctx->err;
	char detail[sizeof(ctx->detail)];

	memcpy(detail, ctx->detail, sizeof(detail));
	if (read_stream(ctx, dir, "\005SummaryInformation", &s, flen) != DOC_OK) {
		/* properties are a bonus: their error is not the file's */
		ctx->err = err;
		memcpy(ctx->detail, detail, sizeof(detail));
		return;
	}
	p = s.p;
	if (p == NULL || s.len < 48 || ole2_u16(p) != 0xFFFE)
		goto done;
	off = ole2_u32(p + 44);
	if (off > s.len || s.len - off < 8)
		goto done;
	ps = p + off;
	size = ole2_u32(ps);
	if (size < 8)
		goto done;
	if (size > s.len - off)
		size = s.len - off;
	n = ole2_u32(ps + 4);
	if (n > (size - 8) / 8)
		n = (size - 8) / 8;
	for (k = 0; k < 2; k++)		/* the code page first */
		for (i = 0; i < n; i++) {
			uint32_t id = ole2_u32(ps + 8 + i * 8);
			uint32_t at = ole2_u32(ps + 12 + i * 8);

			if (at >= size || size - at < 4)
				continue;
			if (k == 0 && id == PID_CODEPAGE && size - at >= 6 &&
			    (ole2_u32(ps + at) & 0xFFFF) == VT_I2)
				cp = ole2_u16(ps + at + 4);
			if (k == 1 && (id == PID_TITLE || id == PID_SUBJECT) &&
			    meta_string(ctx, ps + at, size - at, cp, id ==
			    PID_TITLE ? "SummaryInformation/title" :
			    "SummaryInformation/subject") == DOC_NEXT_STOP)
				goto done;
		}
done:
	free_stream(&s);
}

/* --- storages ------------------------------------------------------------- */

static enum doc_err read_storage(struct doc_ctx *, GsfInfile *, const char *,
    size_t);

/* Reads the objects embedded in dir (ObjectPool's storages, MBD…,
 * "Package" streams of OOXML) one level deeper. */
static enum doc_err
read_embedded(struct doc_ctx *ctx, GsfInfile *dir, const char *where,
    size_t flen)
{
	int i, n = gsf_infile_num_children(dir);
	enum doc_err e = DOC_OK;

	if (n < 0)
		return DOC_OK;
	if (n > OLE2_STORAGE_MAX)
		n = OLE2_STORAGE_MAX;
	for (i = 0; i < n && !ctx->stopped && e == DOC_OK; i++) {
		const char *name = gsf_infile_name_by_index(dir, i);
		GsfInput *child;

		if (name == NULL)
			continue;
		if (!(where[0] == '\0' && (strcmp(name, "ObjectPool") == 0 ||
		    strncmp(name, "MBD", 3) == 0)) && !(strcmp(where,
		    "ObjectPool") == 0 && name[0] == '_'))
			continue;
		child = gsf_infile_child_by_index(dir, i);
		if (child == NULL)
			continue;
		if (GSF_IS_INFILE(child) && strcmp(name, "ObjectPool") == 0)
			e = read_embedded(ctx, GSF_INFILE(child), name, flen);
		else if (GSF_IS_INFILE(child))
			e = read_storage(ctx, GSF_INFILE(child), name, flen);
		g_object_unref(child);
		if (doc_late(ctx))
			e = DOC_ERR_TIMEOUT;
	}
	return e;
}

/* A nested document: ctx one level deeper with the storage's name as part
 * prefix. */
static enum doc_err
nested(struct doc_ctx *ctx, const char *name, char *prefix, size_t plen,
    const char **saved)
{
	*saved = ctx->prefix;
	snprintf(prefix, plen, "%s%s%s", ctx->prefix != NULL ? ctx->prefix :
	    "", ctx->prefix != NULL && ctx->prefix[0] != '\0' ? "/" : "",
	    name);
	ctx->depth++;
	ctx->prefix = prefix;
	if (ctx->lim != NULL && ctx->depth > ctx->lim->max_depth)
		return doc_fail(ctx, DOC_ERR_TOO_DEEP, "%s: nesting deeper "
		    "than %u", prefix, ctx->lim->max_depth);
	return DOC_OK;
}

static void
unnest(struct doc_ctx *ctx, const char *saved)
{
	ctx->depth--;
	ctx->prefix = saved;
}

static enum doc_err
read_package(struct doc_ctx *ctx, GsfInfile *dir, const char *sname,
    size_t flen)
{
	struct ole2_stream s;
	char prefix[512];
	const char *saved;
	enum doc_err e;

	if ((e = read_stream(ctx, dir, "Package", &s, flen)) != DOC_OK ||
	    s.p == NULL)
		return e;
	if ((e = nested(ctx, sname, prefix, sizeof(prefix), &saved)) ==
	    DOC_OK)
		e = doc_extract(ctx, s.p, s.len, sname);
	unnest(ctx, saved);
	free_stream(&s);
	return e;
}

static enum doc_err
read_word(struct doc_ctx *ctx, GsfInfile *dir, size_t flen)
{
	struct ole2_stream wd, t0, t1;
	enum doc_err e;

	memset(&t0, 0, sizeof(t0));
	memset(&t1, 0, sizeof(t1));
	if ((e = read_stream(ctx, dir, "WordDocument", &wd, flen)) != DOC_OK)
		return e;
	if ((e = read_stream(ctx, dir, "0Table", &t0, flen)) == DOC_OK &&
	    (e = read_stream(ctx, dir, "1Table", &t1, flen)) == DOC_OK)
		e = ole2_word(ctx, &wd, &t0, &t1);
	free_stream(&wd);
	free_stream(&t0);
	free_stream(&t1);
	return e;
}

static enum doc_err
read_one(struct doc_ctx *ctx, GsfInfile *dir, const char *name,
    enum doc_err (*fn)(struct doc_ctx *, const struct ole2_stream *),
    size_t flen)
{
	struct ole2_stream s;
	enum doc_err e;

	if ((e = read_stream(ctx, dir, name, &s, flen)) != DOC_OK)
		return e;
	e = fn(ctx, &s);
	free_stream(&s);
	return e;
}

/* The document a storage holds, by the streams it has. */
static enum doc_err
read_doc(struct doc_ctx *ctx, GsfInfile *dir, size_t flen)
{
	if (has_child(dir, "EncryptionInfo") || has_child(dir,
	    "EncryptedPackage"))
		return doc_fail(ctx, DOC_ERR_ENCRYPTED, "EncryptedPackage");
	if (has_child(dir, "EncryptedSummary"))
		return doc_fail(ctx, DOC_ERR_ENCRYPTED, "EncryptedSummary");
	read_meta(ctx, dir, flen);
	if (ctx->stopped)
		return DOC_OK;
	if (has_child(dir, "WordDocument"))
		return read_word(ctx, dir, flen);
	if (has_child(dir, "Workbook"))
		return read_one(ctx, dir, "Workbook", ole2_excel, flen);
	if (has_child(dir, "Book"))
		return read_one(ctx, dir, "Book", ole2_excel, flen);
	if (has_child(dir, "PowerPoint Document"))
		return read_one(ctx, dir, "PowerPoint Document", ole2_ppt,
		    flen);
	return DOC_OK;
}

/* An embedded storage: its own document and what it embeds, one level
 * deeper. */
static enum doc_err
read_storage(struct doc_ctx *ctx, GsfInfile *dir, const char *name,
    size_t flen)
{
	char prefix[512];
	const char *saved;
	enum doc_err e;

	if (has_child(dir, "Package"))
		return read_package(ctx, dir, name, flen);
	if ((e = nested(ctx, name, prefix, sizeof(prefix), &saved)) ==
	    DOC_OK && (e = read_doc(ctx, dir, flen)) == DOC_OK && !ctx->stopped)
		e = read_embedded(ctx, dir, "", flen);
	unnest(ctx, saved);
	return e;
}

/* libgsf's complaints about a malformed file: the reason is ours to give
 * (a library layer does not log). */
static void
gsf_quiet(const gchar *domain, GLogLevelFlags level, const gchar *msg,
    gpointer data)
{
	(void)domain;
	(void)level;
	(void)msg;
	(void)data;
}

enum doc_err
doc_extract_ole2(struct doc_ctx *ctx, const unsigned char *buf, size_t len,
    const char *name)
{
	static bool quiet;
	GsfInput *in;
	GsfInfile *ole;
	GError *gerr = NULL;
	enum doc_err e;
	int n;

	(void)name;
	if (!quiet) {
		GLogLevelFlags lv = G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING |
		    G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG;

		g_log_set_handler("libgsf:msole", lv, gsf_quiet, NULL);
		g_log_set_handler("libgsf", lv, gsf_quiet, NULL);
		quiet = true;
	}
	in = gsf_input_memory_new(buf, (gsf_off_t)len, FALSE);
	if (in == NULL)
		return doc_fail(ctx, DOC_ERR_NOMEM, "gsf input");
	ole = gsf_infile_msole_new(in, &gerr);
	g_object_unref(in);
	if (ole == NULL) {
		e = doc_fail(ctx, len < 512 ? DOC_ERR_TRUNCATED :
		    DOC_ERR_CORRUPT, "compound file: %s", gerr != NULL ?
		    gerr->message : "unreadable");
		if (gerr != NULL)
			g_error_free(gerr);
		return e;
	}
	n = gsf_infile_num_children(ole);
	if (ctx->lim != NULL && ctx->lim->max_entries > 0 && n > 0 &&
	    (size_t)n > ctx->lim->max_entries) {
		g_object_unref(ole);
		return doc_fail(ctx, DOC_ERR_TOO_MANY, "%d streams", n);
	}
	e = read_doc(ctx, ole, len);
	if (e == DOC_OK && !ctx->stopped)
		e = read_embedded(ctx, ole, "", len);
	g_object_unref(ole);
	return e;
}
