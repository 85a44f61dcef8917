/*
 * extract_zip.c — zip archives that are not OOXML or ODF, for the
 * classified-document finder: each entry, in order, is read with libzip
 * from memory and handed back to doc_extract() one level deeper, its part
 * prefixed "archive.zip:dir/entry". Entries are bounded by count, by the
 * sizes the central directory declares (their sum over every nesting
 * level against max_expanded, checked before inflating anything) and by
 * what really comes out (read in chunks, counted with doc_expand()), so a
 * zip bomb ends with "too large" or "too deep" at once. docs/secrets.md
 * says how encrypted and broken entries are reported.
 */
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "secrets/doc.h"

#define ZIP_CHUNK	(1u << 20)	/* bytes inflated per read */
#define ZIP_SNIFF	65536		/* bytes read before deciding to go on */
#define ZIP_PREFIX	512

/* Errors after which nothing more of the archive is read: the archive is
 * hostile or the time is up. */
static bool
zip_fatal(enum doc_err e)
{
	return e == DOC_ERR_TOO_LARGE || e == DOC_ERR_TOO_DEEP ||
	    e == DOC_ERR_TIMEOUT || e == DOC_ERR_NOMEM;
}

static enum doc_err
zip_err_map(int ze)
{
	switch (ze) {
	case ZIP_ER_MEMORY:
		return DOC_ERR_NOMEM;
	case ZIP_ER_NOPASSWD:
	case ZIP_ER_WRONGPASSWD:
	case ZIP_ER_ENCRNOTSUPP:
		return DOC_ERR_ENCRYPTED;
	case ZIP_ER_COMPNOTSUPP:
		return DOC_ERR_UNSUPPORTED;
	case ZIP_ER_EOF:
	case ZIP_ER_READ:
		return DOC_ERR_TRUNCATED;
	default:
		return DOC_ERR_CORRUPT;
	}
}

/* A zip whose end-of-central-directory record is missing was cut short. */
static bool
zip_truncated(const unsigned char *buf, size_t len)
{
	size_t from = len > 65557 ? len - 65557 : 0, i;

	if (len < 4 || memcmp(buf, "PK\x03\x04", 4) != 0)
		return false;
	for (i = from; i + 4 <= len; i++)
		if (memcmp(buf + i, "PK\x05\x06", 4) == 0)
			return false;
	return true;
}

/* Last component of a path, for the prefix of a top-level archive. */
static const char *
zip_base(const char *name)
{
	const char *s;

	if (name == NULL || name[0] == '\0')
		return "zip";
	s = strrchr(name, '/');
	return s != NULL && s[1] != '\0' ? s + 1 : name;
}

/* prefix "outer:entry", cut at a character boundary when too long. */
static void
zip_prefix(char *out, const struct doc_ctx *ctx, const char *name,
    const char *entry)
{
	const char *outer = ctx->prefix != NULL && ctx->prefix[0] != '\0' ?
	    ctx->prefix : zip_base(name);
	size_t n;

	snprintf(out, ZIP_PREFIX, "%s:%s", outer, entry);
	n = strlen(out);
	if (n == ZIP_PREFIX - 1)
		while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
			out[--n] = '\0';
	if (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0xC0)
		out[--n] = '\0';
}

/*
 * Reads entry i whole into *out (malloc'd). Reading stops after the first
 * ZIP_SNIFF bytes when they are not a document we read (*out NULL then).
 */
static enum doc_err
zip_read(struct doc_ctx *ctx, zip_t *za, zip_uint64_t i, const char *ename,
    zip_uint64_t declared, unsigned char **out, size_t *outlen)
{
	size_t max = ctx->lim->max_part, cap, len = 0;
	unsigned char *buf = NULL, *nb;
	bool sniffed = false;
	enum doc_err e = DOC_OK;
	zip_file_t *zf;
	zip_int64_t n;
	enum doc_format f;

	*out = NULL;
	*outlen = 0;
	if ((zf = zip_fopen_index(za, i, 0)) == NULL) {
		e = zip_err_map(zip_error_code_zip(zip_get_error(za)));
		return doc_fail(ctx, e, "%s: %s", ename,
		    zip_strerror(za));
	}
	cap = declared < ZIP_SNIFF ? (size_t)declared + 1 : ZIP_SNIFF;
	for (;;) {
		if (len == cap) {
			if (cap > max) {
				e = doc_fail(ctx, DOC_ERR_TOO_LARGE,
				    "%s: over %zu bytes", ename, max);
				break;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			if (declared > len && declared < cap)
				cap = (size_t)declared + 1;
			if ((nb = realloc(buf, cap)) == NULL) {
				e = doc_fail(ctx, DOC_ERR_NOMEM, "%s", ename);
				break;
			}
			buf = nb;
		} else if (buf == NULL && (buf = malloc(cap)) == NULL) {
			e = doc_fail(ctx, DOC_ERR_NOMEM, "%s", ename);
			break;
		}
		n = zip_fread(zf, buf + len, cap - len < ZIP_CHUNK ?
		    cap - len : ZIP_CHUNK);
		if (n < 0) {
			e = zip_err_map(zip_error_code_zip(
			    zip_file_get_error(zf)));
			doc_fail(ctx, e, "%s: %s", ename, zip_file_strerror(zf));
			break;
		}
		if ((e = doc_expand(ctx, (size_t)n)) != DOC_OK)
			break;
		len += (size_t)n;
		if (doc_late(ctx)) {
			e = DOC_ERR_TIMEOUT;
			break;
		}
		if (!sniffed && (n == 0 || len >= ZIP_SNIFF)) {
			sniffed = true;
			f = doc_sniff(buf, len, ename);
			if (f == DOC_FMT_UNKNOWN ||
			    (f == DOC_FMT_IMAGE && !ctx->ocr)) {
				if (f == DOC_FMT_IMAGE)
					ctx->scan_unread = true;
				break;	/* not read: *out stays NULL */
			}
		}
		if (n == 0) {
			*out = buf;
			*outlen = len;
			buf = NULL;
			break;
		}
	}
	zip_fclose(zf);
	free(buf);
	return e;
}

/* One entry: checked, read, and extracted one level deeper. */
static enum doc_err
zip_entry(struct doc_ctx *ctx, zip_t *za, zip_uint64_t i, const char *name,
    bool *encrypted)
{
	char prefix[ZIP_PREFIX];
	const char *saved;
	unsigned char *data;
	size_t dlen;
	zip_stat_t st;
	enum doc_err e;

	*encrypted = false;
	zip_stat_init(&st);
	if (zip_stat_index(za, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME))
		return doc_fail(ctx, DOC_ERR_CORRUPT, "entry %llu: %s",
		    (unsigned long long)i, zip_strerror(za));
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st.encryption_method != ZIP_EM_NONE) {
		*encrypted = true;
		return DOC_OK;
	}
	if ((st.valid & ZIP_STAT_SIZE) && st.size > ctx->lim->max_part)
		return doc_fail(ctx, DOC_ERR_TOO_LARGE, "%s: %llu bytes",
		    st.name, (unsigned long long)st.size);
	if ((st.valid & ZIP_STAT_COMP_METHOD) &&
	    !zip_compression_method_supported(st.comp_method, 0))
		return doc_fail(ctx, DOC_ERR_UNSUPPORTED, "%s: compression "
		    "method %d", st.name, (int)st.comp_method);
	e = zip_read(ctx, za, i, st.name, (st.valid & ZIP_STAT_SIZE) ?
	    st.size : 0, &data, &dlen);
	if (e != DOC_OK || data == NULL)
		return e;
	zip_prefix(prefix, ctx, name, st.name);
	saved = ctx->prefix;
	ctx->prefix = prefix;
	ctx->depth++;
	e = doc_extract(ctx, data, dlen, st.name);
	ctx->depth--;
	ctx->prefix = saved;
	free(data);
	return e;
}

/* What the archive says its entries expand to, added to what the archives
 * around it said: over max_expanded, it is a bomb (or too large to read
 * whole) — refused before one byte is inflated. */
static enum doc_err
zip_declared(struct doc_ctx *ctx, zip_t *za, zip_int64_t n)
{
	zip_stat_t st;
	zip_int64_t i;
	size_t max = ctx->lim->max_expanded;

	for (i = 0; i < n && (size_t)i <= ctx->lim->max_entries; i++) {
		zip_stat_init(&st);
		if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 ||
		    !(st.valid & ZIP_STAT_SIZE))
			continue;
		if (st.size > max || ctx->declared > max - st.size)
			return doc_fail(ctx, DOC_ERR_TOO_LARGE, "zip: entries "
			    "declare more than %zu bytes expanded", max);
		ctx->declared += (size_t)st.size;
	}
	return DOC_OK;
}

enum doc_err
doc_extract_zip(struct doc_ctx *ctx, const unsigned char *buf, size_t len,
    const char *name)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_int64_t n, i;
	size_t files = 0, locked = 0;
	enum doc_err e, res = DOC_OK;
	bool enc;
	const char *ename;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(buf, len, 0, &ze)) == NULL) {
		zip_error_fini(&ze);
		return doc_fail(ctx, DOC_ERR_NOMEM, "zip");
	}
	if ((za = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL) {
		e = zip_error_code_zip(&ze) == ZIP_ER_NOZIP &&
		    zip_truncated(buf, len) ? DOC_ERR_TRUNCATED :
		    zip_err_map(zip_error_code_zip(&ze));
		doc_fail(ctx, e, "zip: %s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		zip_source_free(src);
		return e;
	}
	zip_error_fini(&ze);
	n = zip_get_num_entries(za, 0);
	if ((e = zip_declared(ctx, za, n)) != DOC_OK) {
		zip_discard(za);
		return e;
	}
	for (i = 0; i < n && !ctx->stopped; i++) {
		ename = zip_get_name(za, (zip_uint64_t)i, 0);
		if (ename != NULL && ename[0] != '\0' &&
		    ename[strlen(ename) - 1] == '/')
			continue;	/* a directory */
		if (files >= ctx->lim->max_entries) {
			e = doc_fail(ctx, DOC_ERR_TOO_MANY, "zip: more than "
			    "%zu entries", ctx->lim->max_entries);
			if (res == DOC_OK)
				res = e;
			break;
		}
		files++;
		if (doc_late(ctx)) {
			res = DOC_ERR_TIMEOUT;
			break;
		}
		e = zip_entry(ctx, za, (zip_uint64_t)i, name, &enc);
		if (enc)
			locked++;
		if (e != DOC_OK && (res == DOC_OK || zip_fatal(e)))
			res = e;
		if (zip_fatal(e))
			break;
	}
	zip_discard(za);
	/* Encrypted entries are passed over; the archive is reported as
	 * encrypted when nothing else in it could be read. */
	if (res == DOC_OK && files > 0 && locked == files)
		res = doc_fail(ctx, DOC_ERR_ENCRYPTED, "zip: %zu of %zu "
		    "entries encrypted", locked, files);
	return res;
}
