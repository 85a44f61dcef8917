/*
 * xmlpart.c — the zip and XML plumbing of the OOXML and ODF extractors
 * (xmlpart.h). Parts are streamed: libxml2 pulls decompressed bytes from
 * libzip only as it parses, so an extractor that leaves a part early (the
 * detector has seen the first page) never inflates the rest. Every byte
 * inflated is counted against max_part and max_expanded; DTDs are refused
 * (neither OOXML nor ODF has one), so no entity is ever expanded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlerror.h>

#include "secrets/xmlpart.h"

#define XP_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | \
	XML_PARSE_NOWARNING | XML_PARSE_COMPACT | XML_PARSE_NOCDATA)

static const struct {
	const char *uri;
	enum xp_ns ns;
} xp_uris[] = {
	{"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
	    XP_NS_W},
	{"http://purl.oclc.org/ooxml/wordprocessingml/main", XP_NS_W},
	{"http://schemas.openxmlformats.org/officeDocument/2006/"
	    "relationships", XP_NS_R},
	{"http://purl.oclc.org/ooxml/officeDocument/relationships", XP_NS_R},
	{"http://schemas.openxmlformats.org/drawingml/2006/main", XP_NS_A},
	{"http://purl.oclc.org/ooxml/drawingml/main", XP_NS_A},
	{"http://schemas.openxmlformats.org/presentationml/2006/main",
	    XP_NS_P},
	{"http://purl.oclc.org/ooxml/presentationml/main", XP_NS_P},
	{"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
	    XP_NS_S},
	{"http://purl.oclc.org/ooxml/spreadsheetml/main", XP_NS_S},
	{"http://schemas.openxmlformats.org/drawingml/2006/"
	    "spreadsheetDrawing", XP_NS_XDR},
	{"http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing",
	    XP_NS_XDR},
	{"http://schemas.openxmlformats.org/markup-compatibility/2006",
	    XP_NS_MC},
	{"http://schemas.openxmlformats.org/package/2006/relationships",
	    XP_NS_PKGREL},
	{"http://schemas.openxmlformats.org/package/2006/content-types",
	    XP_NS_CT},
	{"http://schemas.openxmlformats.org/package/2006/metadata/"
	    "core-properties", XP_NS_CP},
	{"http://purl.org/dc/elements/1.1/", XP_NS_DC},
	{"urn:oasis:names:tc:opendocument:xmlns:office:1.0", XP_NS_OFFICE},
	{"urn:oasis:names:tc:opendocument:xmlns:text:1.0", XP_NS_TEXT},
	{"urn:oasis:names:tc:opendocument:xmlns:table:1.0", XP_NS_TABLE},
	{"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0", XP_NS_DRAW},
	{"urn:oasis:names:tc:opendocument:xmlns:style:1.0", XP_NS_STYLE},
	{"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
	    XP_NS_FO},
	{"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
	    XP_NS_SVG},
	{"urn:oasis:names:tc:opendocument:xmlns:meta:1.0", XP_NS_META},
	{"urn:oasis:names:tc:opendocument:xmlns:presentation:1.0",
	    XP_NS_PRESENTATION},
	{"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
	    XP_NS_MANIFEST},
};

/* --- the package -------------------------------------------------------- */

static enum doc_err
zip_reason(int ze, bool opening)
{
	switch (ze) {
	case ZIP_ER_NOPASSWD:
	case ZIP_ER_WRONGPASSWD:
		return DOC_ERR_ENCRYPTED;
	case ZIP_ER_ENCRNOTSUPP:
		return DOC_ERR_ENCRYPTED;
	case ZIP_ER_COMPNOTSUPP:
	case ZIP_ER_MULTIDISK:
		return DOC_ERR_UNSUPPORTED;
	case ZIP_ER_MEMORY:
		return DOC_ERR_NOMEM;
	case ZIP_ER_EOF:
	case ZIP_ER_READ:
	case ZIP_ER_SEEK:
		return DOC_ERR_TRUNCATED;
	case ZIP_ER_NOZIP:
		/* local headers but no end of central directory: cut short */
		return opening ? DOC_ERR_TRUNCATED : DOC_ERR_CORRUPT;
	default:
		return DOC_ERR_CORRUPT;
	}
}

enum doc_err
xp_open(struct xp_pkg *pkg, struct doc_ctx *ctx, const unsigned char *buf,
    size_t len)
{
	zip_source_t *src;
	zip_error_t ze;
	enum doc_err e;

	memset(pkg, 0, sizeof(*pkg));
	pkg->ctx = ctx;
	zip_error_init(&ze);
	src = zip_source_buffer_create(buf, len, 0, &ze);
	if (src == NULL) {
		zip_error_fini(&ze);
		return doc_fail(ctx, DOC_ERR_NOMEM, "zip");
	}
	pkg->za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (pkg->za == NULL) {
		zip_source_free(src);
		e = zip_reason(zip_error_code_zip(&ze), true);
		doc_fail(ctx, e, "zip: %s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return e;
	}
	zip_error_fini(&ze);
	pkg->nentries = zip_get_num_entries(pkg->za, 0);
	if (pkg->nentries < 0 || (ctx->lim != NULL &&
	    (size_t)pkg->nentries > ctx->lim->max_entries)) {
		e = doc_fail(ctx, DOC_ERR_TOO_MANY, "zip: %lld entries",
		    (long long)pkg->nentries);
		xp_close(pkg);
		return e;
	}
	return DOC_OK;
}

void
xp_close(struct xp_pkg *pkg)
{
	if (pkg->za != NULL)
		zip_discard(pkg->za);
	pkg->za = NULL;
}

zip_int64_t
xp_find(struct xp_pkg *pkg, const char *name)
{
	if (pkg->za == NULL || name == NULL || name[0] == '\0')
		return -1;
	return zip_name_locate(pkg->za, name, ZIP_FL_NOCASE);
}

bool
xp_encrypted(struct xp_pkg *pkg, zip_int64_t idx)
{
	zip_stat_t st;

	zip_stat_init(&st);
	if (idx < 0 || zip_stat_index(pkg->za, (zip_uint64_t)idx, 0, &st) != 0)
		return false;
	return (st.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 &&
	    st.encryption_method != ZIP_EM_NONE;
}

bool
xp_resolve(const char *base, const char *target, char *out, size_t outlen)
{
	char tmp[XP_NAME_MAX * 2];
	const char *slash, *p;
	size_t n = 0, seglen;

	if (target[0] == '/') {
		snprintf(tmp, sizeof(tmp), "%s", target + 1);
	} else {
		slash = strrchr(base, '/');
		if ((size_t)snprintf(tmp, sizeof(tmp), "%.*s%s%s",
		    slash != NULL ? (int)(slash - base) : 0, base,
		    slash != NULL ? "/" : "", target) >= sizeof(tmp))
			return false;
	}
	if (outlen == 0)
		return false;
	out[0] = '\0';
	for (p = tmp; *p != '\0'; p += seglen + (p[seglen] == '/')) {
		seglen = strcspn(p, "/");
		if (seglen == 0 || (seglen == 1 && p[0] == '.'))
			continue;
		if (seglen == 2 && p[0] == '.' && p[1] == '.') {
			char *last;

			if (n == 0)
				return false;
			out[n] = '\0';
			last = strrchr(out, '/');
			n = last != NULL ? (size_t)(last - out) : 0;
			out[n] = '\0';
			continue;
		}
		if (n + (n > 0) + seglen + 1 > outlen)
			return false;
		if (n > 0)
			out[n++] = '/';
		memcpy(out + n, p, seglen);
		n += seglen;
		out[n] = '\0';
	}
	return n > 0;
}

/* Opens entry name after checking its declared size. */
static enum doc_err
xp_fopen(struct xp_pkg *pkg, const char *name, bool required,
    zip_file_t **zfp, size_t limit)
{
	struct doc_ctx *ctx = pkg->ctx;
	zip_int64_t idx = xp_find(pkg, name);
	zip_stat_t st;
	zip_file_t *zf;
	enum doc_err e;

	*zfp = NULL;
	if (idx < 0)
		return required ? doc_fail(ctx, DOC_ERR_CORRUPT, "%s: missing",
		    name) : DOC_OK;
	zip_stat_init(&st);
	if (zip_stat_index(pkg->za, (zip_uint64_t)idx, 0, &st) == 0 &&
	    (st.valid & ZIP_STAT_SIZE) && st.size > limit)
		return doc_fail(ctx, DOC_ERR_TOO_LARGE, "%s: %llu bytes "
		    "expanded, over %zu", name, (unsigned long long)st.size,
		    limit);
	zf = zip_fopen_index(pkg->za, (zip_uint64_t)idx, 0);
	if (zf == NULL) {
		zip_error_t *ze = zip_get_error(pkg->za);

		e = zip_reason(zip_error_code_zip(ze), false);
		return doc_fail(ctx, e, "%s: %s", name, zip_error_strerror(ze));
	}
	*zfp = zf;
	return DOC_OK;
}

/* Reads up to n bytes of an entry, counting them. */
static zip_int64_t
xp_zread(struct doc_ctx *ctx, zip_file_t *zf, const char *name, char *buf,
    size_t n, size_t *done, size_t limit, enum doc_err *err)
{
	zip_int64_t got;

	*err = DOC_OK;
	if (doc_late(ctx)) {
		*err = DOC_ERR_TIMEOUT;
		return -1;
	}
	got = zip_fread(zf, buf, n);
	if (got < 0) {
		zip_error_t *ze = zip_file_get_error(zf);

		*err = doc_fail(ctx, zip_reason(zip_error_code_zip(ze), false),
		    "%s: offset %zu: %s", name, *done, zip_error_strerror(ze));
		return -1;
	}
	if ((size_t)got > limit - *done) {
		*err = doc_fail(ctx, DOC_ERR_TOO_LARGE, "%s: over %zu bytes "
		    "expanded", name, limit);
		return -1;
	}
	*done += (size_t)got;
	if (doc_expand(ctx, (size_t)got) != DOC_OK) {
		*err = DOC_ERR_TOO_LARGE;
		return -1;
	}
	return got;
}

static size_t
part_limit(struct doc_ctx *ctx, size_t max)
{
	size_t lim = ctx->lim != NULL && ctx->lim->max_part > 0 ?
	    ctx->lim->max_part : (size_t)64 << 20;

	return max > 0 && max < lim ? max : lim;
}

enum doc_err
xp_slurp(struct xp_pkg *pkg, const char *name, size_t max, char **out,
    size_t *outlen)
{
	struct doc_ctx *ctx = pkg->ctx;
	size_t limit = part_limit(ctx, max), done = 0, cap = 0;
	zip_file_t *zf;
	char *buf = NULL, *nb;
	enum doc_err e;
	zip_int64_t got;

	*out = NULL;
	*outlen = 0;
	if ((e = xp_fopen(pkg, name, true, &zf, limit)) != DOC_OK)
		return e;
	for (;;) {
		if (cap - done < 4096) {
			cap = cap == 0 ? 16384 : cap * 2;
			if (cap > limit + 4096)
				cap = limit + 4096;
			if ((nb = realloc(buf, cap + 1)) == NULL) {
				e = doc_fail(ctx, DOC_ERR_NOMEM, "%s", name);
				goto fail;
			}
			buf = nb;
		}
		got = xp_zread(ctx, zf, name, buf + done, cap - done, &done,
		    limit, &e);
		if (got < 0)
			goto fail;
		if (got == 0)
			break;
	}
	zip_fclose(zf);
	buf[done] = '\0';
	*out = buf;
	*outlen = done;
	return DOC_OK;
fail:
	zip_fclose(zf);
	free(buf);
	return e;
}

/* --- streaming one XML part --------------------------------------------- */

static int
xp_ioread(void *arg, char *buf, int len)
{
	struct xp_reader *xr = arg;
	zip_int64_t got;

	if (len <= 0 || xr->ioerr != DOC_OK)
		return xr->ioerr != DOC_OK ? -1 : 0;
	got = xp_zread(xr->pkg->ctx, xr->zf, xr->name, buf, (size_t)len,
	    &xr->read, xr->limit, &xr->ioerr);
	return got < 0 ? -1 : (int)got;
}

#if LIBXML_VERSION >= 21200
static void
xp_xmlerror(void *arg, const xmlError *e)
#else
static void
xp_xmlerror(void *arg, xmlErrorPtr e)
#endif
{
	struct xp_reader *xr = arg;
	size_t n;

	if (e == NULL || e->level < XML_ERR_ERROR || xr->xmlerr)
		return;
	xr->xmlerr = true;
	xr->line = e->line;
	xr->col = e->int2;
	snprintf(xr->msg, sizeof(xr->msg), "%s", e->message != NULL ?
	    e->message : "malformed XML");
	n = strlen(xr->msg);
	while (n > 0 && (xr->msg[n - 1] == '\n' || xr->msg[n - 1] == ' '))
		xr->msg[--n] = '\0';
}

enum doc_err
xp_reader_open(struct xp_pkg *pkg, const char *name, bool required,
    struct xp_reader *xr)
{
	struct doc_ctx *ctx = pkg->ctx;
	enum doc_err e;

	memset(xr, 0, sizeof(*xr));
	xr->pkg = pkg;
	snprintf(xr->name, sizeof(xr->name), "%s", name);
	xr->limit = part_limit(ctx, 0);
	if ((e = xp_fopen(pkg, name, required, &xr->zf, xr->limit)) != DOC_OK)
		return e;
	if (xr->zf == NULL)
		return DOC_OK;	/* absent, not required: reads as empty */
	xr->r = xmlReaderForIO(xp_ioread, NULL, xr, xr->name, NULL,
	    XP_OPTIONS);
	if (xr->r == NULL) {
		zip_fclose(xr->zf);
		xr->zf = NULL;
		return doc_fail(ctx, DOC_ERR_NOMEM, "%s", name);
	}
	xmlTextReaderSetStructuredErrorHandler(xr->r, xp_xmlerror, xr);
	return DOC_OK;
}

void
xp_reader_close(struct xp_reader *xr)
{
	if (xr->r != NULL)
		xmlFreeTextReader(xr->r);
	if (xr->zf != NULL)
		zip_fclose(xr->zf);
	xr->r = NULL;
	xr->zf = NULL;
}

static int
xp_failed(struct xp_reader *xr)
{
	struct doc_ctx *ctx = xr->pkg->ctx;

	if (xr->ioerr != DOC_OK)
		return -1;	/* already recorded */
	if (xr->xmlerr)
		doc_fail(ctx, DOC_ERR_CORRUPT, "%s:%d:%d: %s", xr->name,
		    xr->line, xr->col, xr->msg);
	else
		doc_fail(ctx, DOC_ERR_CORRUPT, "%s:%d: malformed XML",
		    xr->name, xmlTextReaderGetParserLineNumber(xr->r));
	return -1;
}

static int
xp_step(struct xp_reader *xr)
{
	struct doc_ctx *ctx = xr->pkg->ctx;
	int rc;

	if (xr->r == NULL)
		return 0;
	if ((++xr->nodes & 255) == 0 && doc_late(ctx))
		return -1;
	rc = xmlTextReaderRead(xr->r);
	if (rc < 0)
		return xp_failed(xr);
	if (rc == 0)
		return xr->xmlerr ? xp_failed(xr) : 0;
	if (xmlTextReaderDepth(xr->r) > XP_MAX_XML_DEPTH) {
		doc_fail(ctx, DOC_ERR_CORRUPT, "%s:%d: elements nested deeper "
		    "than %d", xr->name, xmlTextReaderGetParserLineNumber(
		    xr->r), XP_MAX_XML_DEPTH);
		return -1;
	}
	if (xmlTextReaderNodeType(xr->r) == XML_READER_TYPE_DOCUMENT_TYPE) {
		/* neither OOXML nor ODF has a DTD: refuse its entities */
		doc_fail(ctx, DOC_ERR_CORRUPT, "%s:%d: document type "
		    "declaration (DTD) not allowed", xr->name,
		    xmlTextReaderGetParserLineNumber(xr->r));
		return -1;
	}
	return 1;
}

int
xp_read(struct xp_reader *xr)
{
	return xp_step(xr);
}

int
xp_skip(struct xp_reader *xr)
{
	int depth, rc;

	if (xr->r == NULL)
		return -1;
	if (xmlTextReaderNodeType(xr->r) != XML_READER_TYPE_ELEMENT ||
	    xmlTextReaderIsEmptyElement(xr->r))
		return 1;
	depth = xmlTextReaderDepth(xr->r);
	while ((rc = xp_step(xr)) == 1)
		if (xmlTextReaderNodeType(xr->r) ==
		    XML_READER_TYPE_END_ELEMENT &&
		    xmlTextReaderDepth(xr->r) == depth)
			return 1;
	return rc == 0 ? xp_failed(xr) : rc;
}

int
xp_type(const struct xp_reader *xr)
{
	return xmlTextReaderNodeType(xr->r);
}

static enum xp_ns
ns_of_uri(struct xp_reader *xr, const xmlChar *uri)
{
	unsigned i;
	enum xp_ns ns = XP_NS_OTHER;

	if (uri == NULL)
		return XP_NS_NONE;
	for (i = 0; i < xr->ns_n; i++)
		if (xr->ns_uri[i] == uri)
			return (enum xp_ns)xr->ns_id[i];
	for (i = 0; i < sizeof(xp_uris) / sizeof(xp_uris[0]); i++)
		if (strcmp((const char *)uri, xp_uris[i].uri) == 0) {
			ns = xp_uris[i].ns;
			break;
		}
	if (xr->ns_n < sizeof(xr->ns_uri) / sizeof(xr->ns_uri[0])) {
		xr->ns_uri[xr->ns_n] = uri;
		xr->ns_id[xr->ns_n++] = (unsigned char)ns;
	}
	return ns;
}

enum xp_ns
xp_ns(struct xp_reader *xr)
{
	return ns_of_uri(xr, xmlTextReaderConstNamespaceUri(xr->r));
}

const char *
xp_local(const struct xp_reader *xr)
{
	const xmlChar *s = xmlTextReaderConstLocalName(xr->r);

	return s != NULL ? (const char *)s : "";
}

int
xp_depth(const struct xp_reader *xr)
{
	return xmlTextReaderDepth(xr->r);
}

bool
xp_empty(const struct xp_reader *xr)
{
	return xmlTextReaderIsEmptyElement(xr->r) == 1;
}

bool
xp_start(struct xp_reader *xr, enum xp_ns ns, const char *local)
{
	return xp_type(xr) == XML_READER_TYPE_ELEMENT &&
	    strcmp(xp_local(xr), local) == 0 && xp_ns(xr) == ns;
}

bool
xp_end(struct xp_reader *xr, enum xp_ns ns, const char *local)
{
	return xp_type(xr) == XML_READER_TYPE_END_ELEMENT &&
	    strcmp(xp_local(xr), local) == 0 && xp_ns(xr) == ns;
}

const char *
xp_text(const struct xp_reader *xr)
{
	switch (xp_type(xr)) {
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
	case XML_READER_TYPE_WHITESPACE:
	case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		return (const char *)xmlTextReaderConstValue(xr->r);
	default:
		return NULL;
	}
}

bool
xp_attr(struct xp_reader *xr, enum xp_ns ns, const char *local, char *buf,
    size_t buflen)
{
	bool found = false;
	const xmlChar *v;

	if (buflen > 0)
		buf[0] = '\0';
	if (xmlTextReaderHasAttributes(xr->r) != 1 ||
	    xmlTextReaderMoveToFirstAttribute(xr->r) != 1)
		return false;
	do {
		if (strcmp(xp_local(xr), local) == 0 && xp_ns(xr) == ns) {
			v = xmlTextReaderConstValue(xr->r);
			if (buflen > 0)
				snprintf(buf, buflen, "%s", v != NULL ?
				    (const char *)v : "");
			found = true;
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(xr->r) == 1);
	xmlTextReaderMoveToElement(xr->r);
	return found;
}

/* --- lines -------------------------------------------------------------- */

void
xp_line_start(struct xp_line *l, unsigned pflags)
{
	l->len = 0;
	l->pflags = pflags;
	l->page = 0;
	l->text = false;
	l->bold = l->caps = l->large = false;
	l->enc = DOC_ENC_UNICODE;
}

static bool
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)
			i++;
		else if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			return false;
	}
	return true;
}

void
xp_line_add(struct xp_line *l, const char *s, size_t n,
    const struct xp_run *run, unsigned page)
{
	size_t room = sizeof(l->buf) - l->len;

	if (n == 0)
		return;
	if (!blank(s, n)) {
		if (!l->text) {
			l->text = true;
			l->page = page;
			l->enc = run->enc;
			l->bold = run->bold;
			l->caps = run->caps;
			l->large = run->large;
		} else {
			l->bold = l->bold && run->bold;
			l->caps = l->caps && run->caps;
			l->large = l->large && run->large;
		}
	}
	if (n > room) {
		n = room;
		/* cut on a character boundary */
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

bool
xp_line_mixes(const struct xp_line *l, const char *s, size_t n,
    const struct xp_run *run)
{
	return l->text && run->enc != l->enc && !blank(s, n);
}

unsigned
xp_line_flags(const struct xp_line *l)
{
	return l->pflags | (l->bold ? DOC_F_BOLD : 0) |
	    (l->caps ? DOC_F_CAPS : 0) | (l->large ? DOC_F_LARGE : 0);
}

void
xp_out_start(struct xp_out *o, struct doc_ctx *ctx, const char *part)
{
	memset(o, 0, sizeof(*o));
	o->ctx = ctx;
	o->part = part;
	o->leave = ctx->stopped;
}

enum doc_next
xp_emit(struct xp_out *o, struct xp_line *l, enum doc_zone zone,
    const char *part, unsigned flags)
{
	struct doc_line dl;
	enum doc_next r;
	size_t max = o->ctx->lim != NULL && o->ctx->lim->max_text > 0 ?
	    o->ctx->lim->max_text : (size_t)4 << 20;

	if (!l->text || o->leave) {
		xp_line_start(l, l->pflags);
		return o->leave ? DOC_NEXT_SKIP : DOC_NEXT_MORE;
	}
	memset(&dl, 0, sizeof(dl));
	dl.text = l->buf;
	dl.len = l->len;
	dl.zone = zone;
	dl.flags = xp_line_flags(l) | flags;
	dl.enc = l->enc;
	dl.page = l->page;
	dl.index = o->index[zone]++;
	dl.part = part != NULL ? part : o->part;
	r = doc_emit(o->ctx, &dl);
	o->text += l->len;
	if (r != DOC_NEXT_MORE || o->text > max || o->ctx->stopped)
		o->leave = true;
	xp_line_start(l, l->pflags);
	return r;
}

/* --- small helpers ------------------------------------------------------ */

enum doc_enc
xp_font_enc(const char *font, bool *caps)
{
	size_t n;

	*caps = false;
	if (font == NULL)
		return DOC_ENC_UNICODE;
	while (*font == ' ' || *font == '\'' || *font == '"')
		font++;
	n = strlen(font);
	while (n > 0 && (font[n - 1] == ' ' || font[n - 1] == '\'' ||
	    font[n - 1] == '"'))
		n--;
	if (n >= 3 && strncasecmp(font, ".vn", 3) == 0) {
		*caps = font[n - 1] == 'H';
		return DOC_ENC_TCVN3;
	}
	if (n >= 4 && strncasecmp(font, "vni-", 4) == 0)
		return DOC_ENC_VNI;
	return DOC_ENC_UNICODE;
}

void *
xp_grow(void *v, size_t *cap, size_t need, size_t size, size_t max)
{
	size_t n = *cap > 0 ? *cap : 16;
	void *nv;

	if (need <= *cap && v != NULL)
		return v;
	if (need > max || size == 0)
		return NULL;
	while (n < need)
		n *= 2;
	if (n > max)
		n = max;
	if ((nv = realloc(v, n * size)) == NULL)
		return NULL;
	*cap = n;
	return nv;
}

unsigned
xp_hash_str(const char *s, unsigned salt)
{
	unsigned h = 2166136261u ^ salt;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static void
hash_put(struct xp_slot *s, size_t cap, unsigned hv, unsigned idx1)
{
	size_t i = hv & (cap - 1);

	while (s[i].idx1 != 0)
		i = (i + 1) & (cap - 1);
	s[i].hv = hv;
	s[i].idx1 = idx1;
}

bool
xp_hash_add(struct xp_hash *h, unsigned hv, size_t idx)
{
	if (idx >= 0xFFFFFFFFu)
		return false;
	if ((h->n + 1) * 2 > h->cap) {
		size_t cap = h->cap == 0 ? 64 : h->cap * 2, i;
		struct xp_slot *ns = calloc(cap, sizeof(*ns));

		if (ns == NULL)
			return false;
		for (i = 0; i < h->cap; i++)
			if (h->s[i].idx1 != 0)
				hash_put(ns, cap, h->s[i].hv, h->s[i].idx1);
		free(h->s);
		h->s = ns;
		h->cap = cap;
	}
	hash_put(h->s, h->cap, hv, (unsigned)idx + 1);
	h->n++;
	return true;
}

size_t
xp_hash_next(const struct xp_hash *h, unsigned hv, size_t *pos)
{
	size_t i;

	if (h->cap == 0)
		return 0;
	/* *pos counts the slots probed so far */
	for (i = (hv + *pos) & (h->cap - 1); *pos < h->cap;
	    i = (i + 1) & (h->cap - 1)) {
		(*pos)++;
		if (h->s[i].idx1 == 0)
			return 0;
		if (h->s[i].hv == hv)
			return h->s[i].idx1;
	}
	return 0;
}

void
xp_hash_free(struct xp_hash *h)
{
	free(h->s);
	memset(h, 0, sizeof(*h));
}

void
xp_copy(char *d, size_t n, const char *s)
{
	size_t len = strlen(s);

	if (n == 0)
		return;
	if (len >= n) {
		len = n - 1;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(d, s, len);
	d[len] = '\0';
}

bool
xp_on(const char *val)
{
	return !(strcmp(val, "0") == 0 || strcasecmp(val, "false") == 0 ||
	    strcasecmp(val, "off") == 0 || strcasecmp(val, "none") == 0);
}

void
xp_props_init(struct xp_props *p)
{
	memset(p, 0, sizeof(*p));
	p->bold = p->caps = p->center = p->framed = p->pbreak = -1;
}

void
xp_props_inherit(struct xp_props *p, const struct xp_props *q)
{
	if (p->bold < 0)
		p->bold = q->bold;
	if (p->caps < 0)
		p->caps = q->caps;
	if (p->center < 0)
		p->center = q->center;
	if (p->framed < 0)
		p->framed = q->framed;
	/* a break before belongs to the paragraph style that says it and
	 * its children, as fo:break-before and w:pageBreakBefore are
	 * inherited */
	if (p->pbreak < 0)
		p->pbreak = q->pbreak;
	if (p->size == 0)
		p->size = q->size;
	if (p->font[0] == '\0')
		memcpy(p->font, q->font, sizeof(p->font));
}
