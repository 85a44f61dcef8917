/*
 * extract_mail.c — e-mail for the classified-document finder: one RFC 5322
 * message (.eml) or a mailbox of them (mbox), parsed with GMime 3. The
 * subject (RFC 2047 decoded) goes to DOC_ZONE_SUBJECT; text/plain and
 * text/html bodies, converted from their charset, are read as plain text;
 * every attachment, and every attached message, is decoded and handed
 * back to doc_extract() one level deeper, its part prefixed
 * "thư/<file name>". docs/secrets.md says what is read.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "lib/text.h"
#include "secrets/doc.h"

#define MAIL_MAX_NEST	32	/* multiparts within one message */
#define MAIL_PREFIX	512

static pthread_once_t mail_once = PTHREAD_ONCE_INIT;

static void
mail_init(void)
{
	g_mime_init();
}

/* The state of reading one message. */
struct mail {
	struct doc_ctx *ctx;
	const char *label;	/* prefix of the message's own lines */
	size_t parts;		/* attachments and bodies met */
	size_t bodies;		/* text bodies read */
	enum doc_err res;	/* first error, or the fatal one */
	bool halt;		/* stop reading (fatal error or STOP) */
};

static bool
mail_fatal(enum doc_err e)
{
	return e == DOC_ERR_TOO_LARGE || e == DOC_ERR_TOO_DEEP ||
	    e == DOC_ERR_TIMEOUT || e == DOC_ERR_NOMEM;
}

static void
mail_note(struct mail *m, enum doc_err e)
{
	if (e == DOC_OK)
		return;
	if (m->res == DOC_OK || mail_fatal(e))
		m->res = e;
	if (mail_fatal(e))
		m->halt = true;
}

/* "outer/name", cut at a character boundary. */
static void
mail_join(char *out, const char *outer, const char *name)
{
	size_t n;

	if (outer != NULL && outer[0] != '\0')
		snprintf(out, MAIL_PREFIX, "%s/%s", outer, name);
	else
		snprintf(out, MAIL_PREFIX, "%s", name);
	n = strlen(out);
	if (n == MAIL_PREFIX - 1)
		while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
			out[--n] = '\0';
	if (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0xC0)
		out[--n] = '\0';
}

/* --- HTML to text -------------------------------------------------------- */

/* An entity at s ('&' first): its text written to out, the bytes it took
 * returned (0: not an entity). The text is never longer than the entity. */
static size_t
html_entity(const char *s, size_t n, char *out, size_t *olen)
{
	static const struct {
		const char *name;
		const char *text;
	} ents[] = {
		{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
		{"&apos;", "'"}, {"&nbsp;", " "},
	};
	size_t i, k;
	unsigned long c = 0;
	int base = 10;

	for (i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
		k = strlen(ents[i].name);
		if (n >= k && strncasecmp(s, ents[i].name, k) == 0) {
			*olen = strlen(ents[i].text);
			memcpy(out, ents[i].text, *olen);
			return k;
		}
	}
	if (n < 4 || s[1] != '#')
		return 0;
	k = 2;
	if (s[k] == 'x' || s[k] == 'X') {
		base = 16;
		k++;
	}
	for (i = k; i < n && i < k + 8; i++) {
		int d;

		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (base == 16 && s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else if (base == 16 && s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else
			break;
		c = c * (unsigned long)base + (unsigned long)d;
	}
	if (i == k || i >= n || s[i] != ';')
		return 0;
	if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c < 0xE000))
		c = 0xFFFD;
	*olen = text_utf8_put(out, c);
	return i + 1;
}

/* Whether the tag at s ('<' first) is named name (case-insensitive). */
static bool
html_tag(const char *s, size_t n, const char *name)
{
	size_t k = strlen(name), o = n > 1 && s[1] == '/' ? 2 : 1;

	return n > o + k && strncasecmp(s + o, name, k) == 0 &&
	    (s[o + k] == '>' || s[o + k] == ' ' || s[o + k] == '/' ||
	    s[o + k] == '\t' || s[o + k] == '\n' || s[o + k] == '\r');
}

static bool
html_block(const char *s, size_t n)
{
	static const char *const blocks[] = {"br", "p", "div", "tr", "td",
	    "th", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
	    "title", "center", "blockquote", "hr", NULL};
	size_t i;

	for (i = 0; blocks[i] != NULL; i++)
		if (html_tag(s, n, blocks[i]))
			return true;
	return false;
}

/* The first place of needle in [s, end), ignoring case, or NULL. */
static const char *
html_find(const char *s, const char *end, const char *needle)
{
	size_t k = strlen(needle);

	for (; (size_t)(end - s) >= k; s++)
		if (strncasecmp(s, needle, k) == 0)
			return s;
	return NULL;
}

/* Plain text of an HTML body: tags dropped (block tags end lines),
 * script/style/comments skipped, entities decoded. */
static char *
html_text(const char *s, size_t n, size_t *outlen)
{
	char *out = malloc(n + 1), *o = out;
	const char *end = s + n, *q;
	size_t k, elen;

	if (out == NULL)
		return NULL;
	while (s < end) {
		if (*s == '<') {
			if (end - s >= 4 && memcmp(s, "<!--", 4) == 0) {
				q = memmem(s + 4, (size_t)(end - s - 4), "-->",
				    3);
				s = q != NULL ? q + 3 : end;
				continue;
			}
			if (s + 1 < end && s[1] != '/' &&
			    (html_tag(s, (size_t)(end - s), "script") ||
			    html_tag(s, (size_t)(end - s), "style"))) {
				q = html_find(s, end, html_tag(s, (size_t)(end -
				    s), "script") ? "</script" : "</style");
				s = q != NULL ? q : end;
				continue;
			}
			if (html_block(s, (size_t)(end - s)) && o > out &&
			    o[-1] != '\n')
				*o++ = '\n';
			q = memchr(s, '>', (size_t)(end - s));
			s = q != NULL ? q + 1 : end;
			continue;
		}
		if (*s == '&' && (k = html_entity(s, (size_t)(end - s), o,
		    &elen)) > 0) {
			o += elen;
			s += k;
			continue;
		}
		*o++ = *s++;
	}
	*outlen = (size_t)(o - out);
	return out;
}

/* --- parts --------------------------------------------------------------- */

/* The decoded content of a leaf part (transfer encoding undone; with
 * to_utf8, converted from its charset when GMime knows it). */
static GByteArray *
part_bytes(GMimePart *part, bool to_utf8)
{
	GMimeDataWrapper *dw = g_mime_part_get_content(part);
	GMimeStream *mem, *filt;
	GMimeFilter *f;
	GByteArray *ba;
	const char *cs;

	if (dw == NULL)
		return NULL;
	ba = g_byte_array_new();
	mem = g_mime_stream_mem_new_with_byte_array(ba);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	filt = g_mime_stream_filter_new(mem);
	cs = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part),
	    "charset");
	if (to_utf8 && cs != NULL && g_ascii_strcasecmp(cs, "utf-8") != 0 &&
	    g_ascii_strcasecmp(cs, "us-ascii") != 0 &&
	    (f = g_mime_filter_charset_new(cs, "UTF-8")) != NULL) {
		g_mime_stream_filter_add(GMIME_STREAM_FILTER(filt), f);
		g_object_unref(f);
	}
	if (g_mime_data_wrapper_write_to_stream(dw, filt) < 0)
		g_byte_array_set_size(ba, 0);
	g_mime_stream_flush(filt);
	g_object_unref(filt);
	g_object_unref(mem);
	return ba;
}

/* A text body: read as plain text under the message's label. */
static void
mail_body(struct mail *m, GMimePart *part, bool html)
{
	struct doc_ctx *ctx = m->ctx;
	char label[MAIL_PREFIX], num[32];
	const char *saved = ctx->prefix;
	GByteArray *ba;
	char *text = NULL;
	size_t tlen;
	enum doc_err e;

	if ((ba = part_bytes(part, true)) == NULL)
		return;
	if (ba->len == 0) {
		g_byte_array_free(ba, TRUE);
		return;
	}
	m->bodies++;
	if ((e = doc_expand(ctx, ba->len)) != DOC_OK) {
		g_byte_array_free(ba, TRUE);
		mail_note(m, e);
		return;
	}
	if (html && (text = html_text((const char *)ba->data, ba->len,
	    &tlen)) == NULL) {
		g_byte_array_free(ba, TRUE);
		mail_note(m, doc_fail(ctx, DOC_ERR_NOMEM, "%s", m->label));
		return;
	}
	if (m->bodies > 1) {
		snprintf(num, sizeof(num), "phần %zu", m->bodies);
		mail_join(label, m->label, num);
	} else
		snprintf(label, sizeof(label), "%s", m->label);
	ctx->prefix = label;
	if (html)
		e = doc_extract_text(ctx, (unsigned char *)text, tlen, label);
	else
		e = doc_extract_text(ctx, ba->data, ba->len, label);
	ctx->prefix = saved;
	free(text);
	g_byte_array_free(ba, TRUE);
	mail_note(m, e);
}

static void mail_message(struct mail *, GMimeMessage *, const char *);

/* An attachment: decoded and read as a document one level deeper. */
static void
mail_attachment(struct mail *m, GMimePart *part)
{
	struct doc_ctx *ctx = m->ctx;
	char prefix[MAIL_PREFIX], num[48];
	const char *saved = ctx->prefix, *fn;
	GByteArray *ba;
	enum doc_err e = DOC_OK;

	if ((fn = g_mime_part_get_filename(part)) == NULL || fn[0] == '\0') {
		snprintf(num, sizeof(num), "đính kèm %zu", m->parts);
		fn = num;
	}
	if ((ba = part_bytes(part, false)) == NULL)
		return;
	if (ba->len > 0 && (e = doc_expand(ctx, ba->len)) == DOC_OK) {
		mail_join(prefix, m->label, fn);
		ctx->prefix = prefix;
		ctx->depth++;
		e = doc_extract(ctx, ba->data, ba->len, fn);
		ctx->depth--;
		ctx->prefix = saved;
	}
	g_byte_array_free(ba, TRUE);
	mail_note(m, e);
}

static bool
is_attachment(GMimeObject *obj, GMimePart *part)
{
	GMimeContentDisposition *d = g_mime_object_get_content_disposition(obj);

	return (d != NULL && g_mime_content_disposition_is_attachment(d)) ||
	    g_mime_part_get_filename(part) != NULL;
}

static void mail_walk(struct mail *, GMimeObject *, unsigned);

/* multipart/alternative: the plain text if there is one, else the last. */
static GMimeObject *
alternative_pick(GMimeMultipart *mp)
{
	int i, n = g_mime_multipart_get_count(mp);
	GMimeObject *c;

	for (i = 0; i < n; i++) {
		c = g_mime_multipart_get_part(mp, i);
		if (GMIME_IS_PART(c) && g_mime_content_type_is_type(
		    g_mime_object_get_content_type(c), "text", "plain"))
			return c;
	}
	return n > 0 ? g_mime_multipart_get_part(mp, n - 1) : NULL;
}

static void
mail_walk(struct mail *m, GMimeObject *obj, unsigned nest)
{
	struct doc_ctx *ctx = m->ctx;
	GMimeContentType *ct;
	GMimeMultipart *mp;
	GMimeMessage *inner;
	char label[MAIL_PREFIX], name[48];
	int i, n;

	if (obj == NULL || m->halt || ctx->stopped)
		return;
	if (nest > MAIL_MAX_NEST) {
		mail_note(m, doc_fail(ctx, DOC_ERR_TOO_DEEP, "%s: multipart "
		    "nested deeper than %u", m->label, MAIL_MAX_NEST));
		return;
	}
	if (++m->parts > ctx->lim->max_entries) {
		mail_note(m, doc_fail(ctx, DOC_ERR_TOO_MANY, "%s: more than "
		    "%zu parts", m->label, ctx->lim->max_entries));
		m->halt = true;
		return;
	}
	if (doc_late(ctx)) {
		mail_note(m, DOC_ERR_TIMEOUT);
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		mp = GMIME_MULTIPART(obj);
		ct = g_mime_object_get_content_type(obj);
		if (g_mime_content_type_is_type(ct, "multipart",
		    "alternative")) {
			mail_walk(m, alternative_pick(mp), nest + 1);
			return;
		}
		n = g_mime_multipart_get_count(mp);
		for (i = 0; i < n && !m->halt && !ctx->stopped; i++)
			mail_walk(m, g_mime_multipart_get_part(mp, i), nest + 1);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		inner = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(obj));
		if (inner == NULL)
			return;
		snprintf(name, sizeof(name), "thư đính kèm %zu", m->parts);
		mail_join(label, m->label, name);
		mail_message(m, inner, label);
	} else if (GMIME_IS_PART(obj)) {
		GMimePart *part = GMIME_PART(obj);

		ct = g_mime_object_get_content_type(obj);
		if (!is_attachment(obj, part) &&
		    g_mime_content_type_is_type(ct, "text", "plain"))
			mail_body(m, part, false);
		else if (!is_attachment(obj, part) &&
		    g_mime_content_type_is_type(ct, "text", "html"))
			mail_body(m, part, true);
		else
			mail_attachment(m, part);
	}
}

/* One message: its subject, bodies and attachments, under label. A
 * message attached to another is one level deeper. */
static void
mail_message(struct mail *outer, GMimeMessage *msg, const char *label)
{
	struct doc_ctx *ctx = outer->ctx;
	struct mail m;
	struct doc_line l;
	const char *subject, *saved = ctx->prefix;
	char *valid;

	memset(&m, 0, sizeof(m));
	m.ctx = ctx;
	m.label = label;
	if (outer->label != NULL) {
		/* attached message */
		if (ctx->depth + 1 > ctx->lim->max_depth) {
			mail_note(outer, doc_fail(ctx, DOC_ERR_TOO_DEEP, "%s: "
			    "nesting deeper than %u", label,
			    ctx->lim->max_depth));
			return;
		}
		ctx->depth++;
	}
	if ((subject = g_mime_message_get_subject(msg)) != NULL) {
		/* undeclared 8-bit bytes may survive decoding */
		valid = g_utf8_make_valid(subject, -1);
		memset(&l, 0, sizeof(l));
		l.text = valid;
		l.len = strlen(valid);
		l.zone = DOC_ZONE_SUBJECT;
		l.page = 1;
		l.part = "";
		ctx->prefix = label;
		(void)doc_emit(ctx, &l);
		ctx->prefix = saved;
		g_free(valid);
	}
	mail_walk(&m, g_mime_message_get_mime_part(msg), 0);
	if (outer->label != NULL)
		ctx->depth--;
	mail_note(outer, m.res);
	if (m.halt)
		outer->halt = true;
	outer->parts += m.parts;
}

enum doc_err
doc_extract_mail(struct doc_ctx *ctx, const unsigned char *buf, size_t len,
    const char *name)
{
	struct mail top;
	char label[MAIL_PREFIX], num[32];
	GByteArray *ba;
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;
	bool mbox = len >= 5 && memcmp(buf, "From ", 5) == 0;
	size_t count = 0;

	(void)name;
	pthread_once(&mail_once, mail_init);
	memset(&top, 0, sizeof(top));
	top.ctx = ctx;
	/* GMime reads the caller's bytes in place: the array is handed back
	 * with g_byte_array_free(…, FALSE), which never frees them. */
	ba = g_byte_array_new_take((guint8 *)(uintptr_t)buf, len);
	stream = g_mime_stream_mem_new_with_byte_array(ba);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, mbox ? GMIME_FORMAT_MBOX :
	    GMIME_FORMAT_MESSAGE);
	while (!top.halt && !ctx->stopped && !g_mime_parser_eos(parser)) {
		if (count >= ctx->lim->max_entries) {
			mail_note(&top, doc_fail(ctx, DOC_ERR_TOO_MANY,
			    "mbox: more than %zu messages",
			    ctx->lim->max_entries));
			break;
		}
		if (doc_late(ctx)) {
			mail_note(&top, DOC_ERR_TIMEOUT);
			break;
		}
		if ((msg = g_mime_parser_construct_message(parser, NULL)) ==
		    NULL) {
			if (count == 0)
				mail_note(&top, doc_fail(ctx, DOC_ERR_CORRUPT,
				    "%s: not a message", mbox ? "mbox" :
				    "eml"));
			break;
		}
		count++;
		if (mbox) {
			snprintf(num, sizeof(num), "thư %zu", count);
			mail_join(label, ctx->prefix, num);
		} else
			mail_join(label, ctx->prefix, "thư");
		top.parts = 0;
		mail_message(&top, msg, label);
		g_object_unref(msg);
		if (!mbox)
			break;
	}
	g_object_unref(parser);
	g_object_unref(stream);
	(void)g_byte_array_free(ba, FALSE);
	if (top.res != DOC_OK)
		return doc_fail(ctx, top.res, "mail");
	return DOC_OK;
}
