/*
 * ole2_ppt.c — PowerPoint 97-2003 presentations ([MS-PPT]): the record
 * tree of the "PowerPoint Document" stream read in stream order. The
 * slides' placeholder text stands in the SlideListWithText (one
 * SlidePersistAtom per slide, then TextHeaderAtom + TextCharsAtom or
 * TextBytesAtom per placeholder): titles and bodies are BODY lines, other
 * text BOX, notes NOTE, page = slide number. Text boxes drawn on a slide
 * stand in the slide's drawing (SlideContainer, ClientTextbox): BOX lines.
 * Masters and handouts are skipped. The Current User stream and the
 * persist directory are not needed to read the text in order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secrets/ole2.h"

#define PPT_DOCUMENT		0x03E8
#define PPT_SLIDE		0x03EE
#define PPT_NOTES		0x03F0
#define PPT_SLIDE_PERSIST	0x03F3
#define PPT_MAIN_MASTER		0x03F8
#define PPT_HANDOUT		0x0FC9
#define PPT_SLWT		0x0FF0
#define PPT_TEXT_HEADER		0x0F9F
#define PPT_TEXT_CHARS		0x0FA0
#define PPT_TEXT_BYTES		0x0FA8
#define PPT_CRYPT_SESSION	0x2F14

#define PPT_DEPTH_MAX	16

/* TextHeaderAtom textType. */
enum { TX_TITLE = 0, TX_BODY = 1, TX_NOTES = 2, TX_OTHER = 4,
	TX_CENTERBODY = 5, TX_CENTERTITLE = 6, TX_HALFBODY = 7,
	TX_QUARTERBODY = 8 };

struct ppt {
	struct doc_ctx *ctx;
	const unsigned char *p;
	size_t len;
	size_t nrec;
	unsigned slide;		/* slide of the SlideListWithText */
	unsigned drawn;		/* SlideContainers seen */
	unsigned notes;		/* NotesContainers seen */
	unsigned text_type;
	char part[48];
	struct ole2_out body, box, note;
	unsigned skip_page;	/* the sink skipped the rest of this page */
	struct ole2_text t;
};

enum ppt_where { IN_NONE, IN_SLWT_SLIDES, IN_SLWT_NOTES, IN_SLIDE, IN_NOTES };

static struct ole2_out *
out_for(struct ppt *pp, enum ppt_where where, unsigned *page)
{
	switch (where) {
	case IN_SLWT_SLIDES:
		*page = pp->slide;
		if (pp->text_type == TX_NOTES)
			return &pp->note;
		if (pp->text_type == TX_OTHER)
			return &pp->box;
		return &pp->body;
	case IN_SLWT_NOTES:
		*page = pp->slide;
		return &pp->note;
	case IN_SLIDE:
		*page = pp->drawn;
		return pp->text_type == TX_NOTES ? &pp->note : &pp->box;
	case IN_NOTES:
		*page = pp->notes;
		return &pp->note;
	case IN_NONE:
		break;
	}
	return NULL;
}

/* A text atom's paragraphs (ended by CR or VT) as lines. */
static enum doc_next
text_atom(struct ppt *pp, enum ppt_where where, const unsigned char *d,
    size_t len, bool wide)
{
	struct ole2_out *o;
	unsigned page = 0;
	size_t i, n = wide ? len / 2 : len;
	enum doc_next r = DOC_NEXT_MORE;

	o = out_for(pp, where, &page);
	if (o == NULL || (page > 0 && pp->skip_page == page && o ==
	    &pp->body))
		return DOC_NEXT_MORE;
	if (o->page != page)
		o->index = 0;
	o->page = page;
	snprintf(pp->part, sizeof(pp->part), o == &pp->note ? "slide %u/notes"
	    : "slide %u", page);
	o->part = pp->part;
	if (doc_expand(pp->ctx, n * 2) != DOC_OK)
		return DOC_NEXT_STOP;
	pp->t.n = 0;
	pp->t.from8 = pp->t.high8 = false;
	for (i = 0; i <= n && r == DOC_NEXT_MORE; i++) {
		uint16_t u;

		if (i == n) {
			r = ole2_text_emit(pp->ctx, &pp->t, o, 0,
			    DOC_ENC_UNICODE);
			break;
		}
		u = wide ? ole2_u16(d + i * 2) : ole2_cp1252(d[i]);
		if (u == 0x0D || u == 0x0B) {
			r = ole2_text_emit(pp->ctx, &pp->t, o, 0,
			    DOC_ENC_UNICODE);
			continue;
		}
		if (u == 0x09)
			u = ' ';
		if (u < 0x20)
			continue;
		ole2_text_add(&pp->t, u, !wide);
	}
	if (r == DOC_NEXT_SKIP) {
		if (o == &pp->body)
			pp->skip_page = page;
		r = DOC_NEXT_MORE;
	}
	return r;
}

/* The records in [pos, end) at depth. */
static enum doc_err
records(struct ppt *pp, size_t pos, size_t end, enum ppt_where where,
    unsigned depth)
{
	enum doc_err e;

	if (depth > PPT_DEPTH_MAX)
		return doc_fail(pp->ctx, DOC_ERR_TOO_DEEP, "PowerPoint "
		    "Document:%zu: records nested deeper than %u", pos,
		    PPT_DEPTH_MAX);
	while (end - pos >= 8) {
		unsigned ver = pp->p[pos] & 0x0F;
		unsigned inst = ole2_u16(pp->p + pos) >> 4;
		unsigned type = ole2_u16(pp->p + pos + 2);
		uint32_t len = ole2_u32(pp->p + pos + 4);
		const unsigned char *d = pp->p + pos + 8;
		enum ppt_where in = where;

		if (++pp->nrec % OLE2_LATE_EVERY == 0 && doc_late(pp->ctx))
			return DOC_ERR_TIMEOUT;
		if (len > end - pos - 8) {
			if (depth == 0)
				return doc_fail(pp->ctx, DOC_ERR_TRUNCATED,
				    "PowerPoint Document:%zu: record 0x%04x "
				    "of %u bytes past the end", pos, type,
				    len);
			return doc_fail(pp->ctx, DOC_ERR_CORRUPT, "PowerPoint "
			    "Document:%zu: record 0x%04x of %u bytes past "
			    "its container", pos, type, len);
		}
		switch (type) {
		case PPT_CRYPT_SESSION:
			return doc_fail(pp->ctx, DOC_ERR_ENCRYPTED,
			    "PowerPoint Document:%zu: CryptSession10", pos);
		case PPT_MAIN_MASTER: case PPT_HANDOUT:
			pos += 8 + (size_t)len;
			continue;
		case PPT_SLWT:
			in = inst == 0 ? IN_SLWT_SLIDES : inst == 2 ?
			    IN_SLWT_NOTES : IN_NONE;
			pp->slide = 0;
			break;
		case PPT_SLIDE:
			pp->drawn++;
			in = IN_SLIDE;
			break;
		case PPT_NOTES:
			pp->notes++;
			in = IN_NOTES;
			break;
		case PPT_SLIDE_PERSIST:
			pp->slide++;
			break;
		case PPT_TEXT_HEADER:
			if (len >= 4)
				pp->text_type = ole2_u32(d);
			break;
		case PPT_TEXT_CHARS: case PPT_TEXT_BYTES:
			if (text_atom(pp, where, d, len, type ==
			    PPT_TEXT_CHARS) == DOC_NEXT_STOP)
				return pp->ctx->err;
			break;
		}
		if (ver == 0x0F && type != PPT_TEXT_CHARS && type !=
		    PPT_TEXT_BYTES) {
			e = records(pp, pos + 8, pos + 8 + len, in, depth + 1);
			if (e != DOC_OK || pp->ctx->stopped)
				return e;
		}
		pos += 8 + (size_t)len;
	}
	return DOC_OK;
}

enum doc_err
ole2_ppt(struct doc_ctx *ctx, const struct ole2_stream *s)
{
	static const struct ole2_out init = { NULL, DOC_ZONE_BODY, 0, 0, 0 };
	struct ppt *pp;
	enum doc_err e;

	pp = calloc(1, sizeof(*pp));
	if (pp == NULL)
		return doc_fail(ctx, DOC_ERR_NOMEM, "PowerPoint Document");
	pp->ctx = ctx;
	pp->p = s->p;
	pp->len = s->len;
	pp->body = pp->box = pp->note = init;
	pp->box.zone = DOC_ZONE_BOX;
	pp->note.zone = DOC_ZONE_NOTE;
	if (s->len < 8)
		e = doc_fail(ctx, DOC_ERR_TRUNCATED, "PowerPoint Document: %zu "
		    "bytes", s->len);
	else
		e = records(pp, 0, s->len, IN_NONE, 0);
	free(pp);
	return e;
}
