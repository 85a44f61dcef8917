/*
 * ole2_word.c — Word 97-2003 documents ([MS-DOC]): the FIB, the piece
 * table (CLX) that maps character positions to the WordDocument stream,
 * the stories in reading order (headers and footers split by PlcfHdd,
 * main text with its pages and table cells, text boxes, footnotes,
 * comments, endnotes), fields (code dropped, result kept), and the font
 * of each paragraph's first character (CHPX FKPs, SttbfFfn) so that text
 * in legacy Vietnamese fonts (.VnTime: TCVN3, VNI-Times: VNI) is passed
 * as the font's bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "secrets/ole2.h"

#define WORD_IDENT	0xA5EC
#define FIB_ENCRYPTED	0x0100
#define FIB_WHICHTBL	0x0200
#define WORD_FIELDS_MAX	32	/* nesting of fields followed */
#define WORD_FONTS_MAX	4096
#define WORD_PIECES_MAX	(1u << 20)

/* Indexes of FibRgFcLcb97 pairs. */
#define LCB_STSHF	1
#define LCB_PLCFHDD	11
#define LCB_BTECHPX	12
#define LCB_STTBFFFN	15
#define LCB_CLX		33

/* The stories, in the order of their character positions. */
enum { CCP_TEXT, CCP_FTN, CCP_HDD, CCP_MCR, CCP_ATN, CCP_EDN, CCP_TXBX,
	CCP_HDRTXBX, CCP_N };

/* Sprms read from a CHPX. */
#define SPRM_CFBOLD	0x0835
#define SPRM_CRGFTC0	0x4A4F

struct piece {
	uint32_t cp, cpend;
	uint32_t fc;		/* byte offset in WordDocument */
	bool c8;		/* 8-bit (compressed) text */
};

struct font {
	enum doc_enc enc;
	bool caps;
};

struct word {
	struct doc_ctx *ctx;
	const unsigned char *wd, *tb;
	size_t wdlen, tblen;
	size_t blob;		/* offset of FibRgFcLcb */
	unsigned nlcb;
	uint32_t ccp[CCP_N];
	struct piece *pc;
	size_t npc;
	struct font *font;
	size_t nfont;
	unsigned ftc0;		/* the default font */
	const unsigned char *bte;	/* PlcBteChpx */
	size_t nbte;
	struct ole2_text t;
};

static void
fib_lcb(const struct word *w, unsigned i, uint32_t *fc, uint32_t *lcb)
{
	*fc = *lcb = 0;
	if (i < w->nlcb) {
		*fc = ole2_u32(w->wd + w->blob + i * 8);
		*lcb = ole2_u32(w->wd + w->blob + i * 8 + 4);
	}
}

/* The table-stream range of pair i, or false when absent or outside. */
static bool
table_range(const struct word *w, unsigned i, const unsigned char **p,
    uint32_t *len)
{
	uint32_t fc, lcb;

	fib_lcb(w, i, &fc, &lcb);
	if (lcb == 0 || fc > w->tblen || lcb > w->tblen - fc)
		return false;
	*p = w->tb + fc;
	*len = lcb;
	return true;
}

static enum doc_err
read_fib(struct word *w, const struct ole2_stream *t0,
    const struct ole2_stream *t1)
{
	struct doc_ctx *ctx = w->ctx;
	const unsigned char *p = w->wd;
	size_t pos, rglw;
	unsigned csw, cslw, i, flags, nfib;

	if (w->wdlen < 34)
		return doc_fail(ctx, DOC_ERR_TRUNCATED, "WordDocument: %zu "
		    "bytes, no FIB", w->wdlen);
	if (ole2_u16(p) != WORD_IDENT)
		return doc_fail(ctx, DOC_ERR_CORRUPT, "WordDocument:0: wIdent "
		    "0x%04x", ole2_u16(p));
	nfib = ole2_u16(p + 2);
	if (nfib < 0x0069 + 1 && nfib != 0)
		return doc_fail(ctx, DOC_ERR_UNSUPPORTED, "WordDocument: Word "
		    "6/95 file (nFib %u)", nfib);
	flags = ole2_u16(p + 10);
	if (flags & FIB_ENCRYPTED)
		return doc_fail(ctx, DOC_ERR_ENCRYPTED, "WordDocument:10: "
		    "fEncrypted");
	csw = ole2_u16(p + 32);
	pos = 34 + (size_t)csw * 2;
	if (pos + 2 > w->wdlen)
		return doc_fail(ctx, DOC_ERR_TRUNCATED, "WordDocument:%zu: FIB "
		    "ends", pos);
	cslw = ole2_u16(p + pos);
	rglw = pos + 2;
	pos = rglw + (size_t)cslw * 4;
	if (pos + 2 > w->wdlen)
		return doc_fail(ctx, DOC_ERR_TRUNCATED, "WordDocument:%zu: FIB "
		    "ends", pos);
	for (i = 0; i < CCP_N; i++)
		if (12 + 4 * (i + 1) <= (size_t)cslw * 4)
			w->ccp[i] = ole2_u32(p + rglw + 12 + 4 * i);
	w->nlcb = ole2_u16(p + pos);
	w->blob = pos + 2;
	if (w->blob + (size_t)w->nlcb * 8 > w->wdlen)
		return doc_fail(ctx, DOC_ERR_TRUNCATED, "WordDocument:%zu: "
		    "%u FIB pairs past the end", w->blob, w->nlcb);
	if (w->nlcb <= LCB_CLX)
		return doc_fail(ctx, DOC_ERR_CORRUPT, "WordDocument:%zu: %u "
		    "FIB pairs, no CLX", w->blob, w->nlcb);
	if (flags & FIB_WHICHTBL) {
		w->tb = t1->p;
		w->tblen = t1->len;
	} else {
		w->tb = t0->p;
		w->tblen = t0->len;
	}
	if (w->tb == NULL)
		return doc_fail(ctx, DOC_ERR_CORRUPT, "no %s stream",
		    (flags & FIB_WHICHTBL) ? "1Table" : "0Table");
	return DOC_OK;
}

/* The piece table: Prc entries, then the Pcdt with its PlcPcd. */
static enum doc_err
read_clx(struct word *w)
{
	struct doc_ctx *ctx = w->ctx;
	const unsigned char *p, *plc = NULL;
	uint32_t len, i, pos = 0, plen = 0;
	size_t n;

	if (!table_range(w, LCB_CLX, &p, &len))
		return doc_fail(ctx, DOC_ERR_CORRUPT, "Table: CLX outside the "
		    "stream (%zu bytes)", w->tblen);
	while (pos < len) {
		if (p[pos] == 0x01 && len - pos >= 3) {
			pos += 3 + ole2_u16(p + pos + 1);
			continue;
		}
		if (p[pos] == 0x02 && len - pos >= 5) {
			plen = ole2_u32(p + pos + 1);
			if (plen > len - pos - 5)
				return doc_fail(ctx, DOC_ERR_CORRUPT, "Table:"
				    "CLX+%u: PlcPcd of %u bytes past the CLX",
				    pos, plen);
			plc = p + pos + 5;
			break;
		}
		return doc_fail(ctx, DOC_ERR_CORRUPT, "Table:CLX+%u: entry "
		    "0x%02x", pos, p[pos]);
	}
	if (plc == NULL || plen < 16 || (plen - 4) % 12 != 0)
		return doc_fail(ctx, DOC_ERR_CORRUPT, "Table:CLX: no piece "
		    "table");
	n = (plen - 4) / 12;
	if (n > WORD_PIECES_MAX)
		return doc_fail(ctx, DOC_ERR_TOO_MANY, "%zu pieces", n);
	w->pc = calloc(n, sizeof(*w->pc));
	if (w->pc == NULL)
		return doc_fail(ctx, DOC_ERR_NOMEM, "%zu pieces", n);
	for (i = 0; i < n; i++) {
		struct piece *pc = &w->pc[w->npc];
		uint32_t fc = ole2_u32(plc + (n + 1) * 4 + (size_t)i * 8 + 2);
		uint64_t bytes;

		pc->cp = ole2_u32(plc + (size_t)i * 4);
		pc->cpend = ole2_u32(plc + (size_t)i * 4 + 4);
		if (pc->cpend < pc->cp || (w->npc > 0 && pc->cp !=
		    w->pc[w->npc - 1].cpend))
			return doc_fail(ctx, DOC_ERR_CORRUPT, "Table:CLX: piece "
			    "%u: CPs %u-%u out of order", i, pc->cp,
			    pc->cpend);
		pc->c8 = (fc & 0x40000000) != 0;
		pc->fc = pc->c8 ? (fc & 0x3FFFFFFF) / 2 : fc;
		bytes = (uint64_t)(pc->cpend - pc->cp) * (pc->c8 ? 1 : 2);
		if (pc->fc > w->wdlen || bytes > w->wdlen - pc->fc)
			return doc_fail(ctx, DOC_ERR_CORRUPT, "Table:CLX: piece "
			    "%u at fc 0x%x, %u characters, outside "
			    "WordDocument (%zu bytes)", i, pc->fc,
			    pc->cpend - pc->cp, w->wdlen);
		if (pc->cpend > pc->cp)
			w->npc++;
	}
	return DOC_OK;
}

/* Font names (SttbfFfn) and the default font (the stylesheet's). */
static enum doc_err
read_fonts(struct word *w)
{
	const unsigned char *p;
	uint32_t len, pos = 4;
	size_t n, i;

	if (table_range(w, LCB_STSHF, &p, &len) && len >= 16 &&
	    ole2_u16(p) >= 14)
		w->ftc0 = ole2_u16(p + 2 + 12);
	if (!table_range(w, LCB_STTBFFFN, &p, &len) || len < 4)
		return DOC_OK;
	n = ole2_u16(p);
	if (n == 0xFFFF || n == 0)
		return DOC_OK;
	if (n > WORD_FONTS_MAX)
		n = WORD_FONTS_MAX;
	w->font = calloc(n, sizeof(*w->font));
	if (w->font == NULL)
		return doc_fail(w->ctx, DOC_ERR_NOMEM, "%zu fonts", n);
	for (i = 0; i < n && pos < len; i++) {
		uint32_t cb = (uint32_t)p[pos] + 1, j;
		char name[64];
		size_t k = 0;

		if (cb > len - pos)
			break;
		for (j = 40; j + 1 < cb && k + 1 < sizeof(name); j += 2) {
			uint16_t u = ole2_u16(p + pos + j);

			if (u == 0)
				break;
			name[k++] = u < 0x80 ? (char)u : '?';
		}
		name[k] = '\0';
		w->font[i].enc = ole2_font_enc(name, &w->font[i].caps);
		pos += cb;
	}
	w->nfont = i;
	return DOC_OK;
}

static void
read_bte(struct word *w)
{
	const unsigned char *p;
	uint32_t len;

	if (!table_range(w, LCB_BTECHPX, &p, &len) || len < 12 ||
	    (len - 4) % 8 != 0)
		return;
	w->bte = p;
	w->nbte = (len - 4) / 8;
}

/* The font and boldness of a CHPX's sprms. */
static void
chpx_sprms(const unsigned char *q, const unsigned char *end, unsigned *ftc,
    bool *bold)
{
	while (end - q >= 2) {
		unsigned sprm = ole2_u16(q), size;

		q += 2;
		switch (sprm >> 13) {
		case 0: case 1: size = 1; break;
		case 2: case 4: case 5: size = 2; break;
		case 3: size = 4; break;
		case 7: size = 3; break;
		default: size = q < end ? (unsigned)q[0] + 1 : 1; break;
		}
		if ((size_t)(end - q) < size)
			return;
		if (sprm == SPRM_CRGFTC0)
			*ftc = ole2_u16(q);
		else if (sprm == SPRM_CFBOLD)
			*bold = (q[0] & 1) != 0;
		q += size;
	}
}

/* The character formatting at stream offset fc: the FKP page that holds
 * it (PlcBteChpx), then its run (ChpxFkp). */
static void
format_at(const struct word *w, uint32_t fc, unsigned *ftc, bool *bold)
{
	const unsigned char *pg;
	size_t lo = 0, hi = w->nbte, off;
	uint32_t pn;
	unsigned crun, j;

	*ftc = w->ftc0;
	*bold = false;
	if (w->nbte == 0 || fc < ole2_u32(w->bte) ||
	    fc >= ole2_u32(w->bte + w->nbte * 4))
		return;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (ole2_u32(w->bte + mid * 4) <= fc)
			lo = mid;
		else
			hi = mid;
	}
	pn = ole2_u32(w->bte + (w->nbte + 1) * 4 + lo * 4) & 0x3FFFFF;
	if ((uint64_t)pn * 512 + 512 > w->wdlen)
		return;
	pg = w->wd + (size_t)pn * 512;
	crun = pg[511];
	if (crun == 0 || (crun + 1) * 4 + crun > 511)
		return;
	for (j = 0; j < crun; j++) {
		if (fc < ole2_u32(pg + j * 4) || fc >= ole2_u32(pg + j * 4 + 4))
			continue;
		off = (size_t)pg[(crun + 1) * 4 + j] * 2;
		if (off == 0 || off + 1 + pg[off] > 511)
			return;
		chpx_sprms(pg + off + 1, pg + off + 1 + pg[off], ftc, bold);
		return;
	}
}

/* Emits the line built so far, formatted as its first character is. */
static enum doc_next
flush(struct word *w, struct ole2_out *o, uint32_t first_fc)
{
	enum doc_enc enc = DOC_ENC_UNICODE;
	unsigned ftc, flags = 0;
	bool bold;

	if (w->t.n == 0)
		return DOC_NEXT_MORE;
	format_at(w, first_fc, &ftc, &bold);
	if (ftc < w->nfont) {
		/* 8-bit pieces are Windows-1252 unless the font says not */
		enc = w->font[ftc].enc;
		if (enc == DOC_ENC_UNICODE)
			w->t.high8 = false;
		if (w->font[ftc].caps)
			flags |= DOC_F_CAPS;
	}
	if (bold)
		flags |= DOC_F_BOLD;
	return ole2_text_emit(w->ctx, &w->t, o, flags, enc);
}

/* The piece holding cp, or npc. */
static size_t
piece_of(const struct word *w, uint32_t cp)
{
	size_t lo = 0, hi = w->npc;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (w->pc[mid].cpend <= cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Reads the characters [a, b) into lines of o (table cells, in a body
 * story, into tab). Paragraph, line and cell marks end lines, page breaks
 * turn the page, field codes are dropped. Answers SKIP when the sink wants
 * no more of this story, STOP when it wants nothing more.
 */
static enum doc_next
story(struct word *w, uint32_t a, uint32_t b, struct ole2_out *o,
    struct ole2_out *tab)
{
	size_t k = piece_of(w, a), n = 0;
	uint64_t code = 0;	/* bit i: field level i is in its code */
	unsigned depth = 0, over = 0;
	uint32_t cp, first_fc = 0;
	enum doc_next r = DOC_NEXT_MORE;

	w->t.n = 0;
	w->t.from8 = w->t.high8 = false;
	for (cp = a; cp < b && k < w->npc && r == DOC_NEXT_MORE; cp++) {
		const struct piece *pc;
		uint32_t fc;
		uint16_t u;

		if (cp >= w->pc[k].cpend && ++k >= w->npc)
			break;
		pc = &w->pc[k];
		if (++n % OLE2_LATE_EVERY == 0 && doc_late(w->ctx))
			return DOC_NEXT_STOP;
		if (pc->c8) {
			fc = pc->fc + (cp - pc->cp);
			u = ole2_cp1252(w->wd[fc]);
		} else {
			fc = pc->fc + (cp - pc->cp) * 2;
			u = ole2_u16(w->wd + fc);
		}
		switch (u) {
		case 0x13:
			if (depth < WORD_FIELDS_MAX)
				code |= (uint64_t)1 << depth++;
			else
				over++;
			continue;
		case 0x14:
			if (over == 0 && depth > 0)
				code &= ~((uint64_t)1 << (depth - 1));
			continue;
		case 0x15:
			if (over > 0)
				over--;
			else if (depth > 0)
				code &= ~((uint64_t)1 << --depth);
			continue;
		}
		if (code != 0)
			continue;
		switch (u) {
		case 0x0D: case 0x0B:
			r = flush(w, o, first_fc);
			continue;
		case 0x07:
			r = flush(w, tab != NULL ? tab : o, first_fc);
			continue;
		case 0x0C:
			r = flush(w, o, first_fc);
			if (o->page > 0)
				o->page++;
			if (tab != NULL && tab->page > 0)
				tab->page++;
			continue;
		case 0x09:
			u = ' ';
			break;
		case 0x1E:
			u = '-';
			break;
		}
		if (u < 0x20 || u == 0x1F || u == 0xFEFF)
			continue;
		if (w->t.n == 0 && u == ' ')
			continue;
		if (w->t.n == 0)
			first_fc = fc;
		ole2_text_add(&w->t, u, pc->c8);
	}
	if (r == DOC_NEXT_MORE)
		r = flush(w, o, first_fc);
	return r;
}

/* The header document: each story of PlcfHdd after the six separators is
 * a header or footer (even, odd, first) of a section. */
static enum doc_next
headers(struct word *w, uint32_t base)
{
	struct ole2_out hdr = { "WordDocument/header", DOC_ZONE_HEADER, 1, 0,
	    0 };
	struct ole2_out ftr = { "WordDocument/footer", DOC_ZONE_FOOTER, 1, 0,
	    0 };
	const unsigned char *p;
	uint32_t len, len_hdd = w->ccp[CCP_HDD];
	size_t ncp, i;
	enum doc_next r = DOC_NEXT_MORE;

	if (len_hdd == 0)
		return DOC_NEXT_MORE;
	if (!table_range(w, LCB_PLCFHDD, &p, &len) || len < 8) {
		r = story(w, base, base + len_hdd, &hdr, NULL);
		return r == DOC_NEXT_SKIP ? DOC_NEXT_MORE : r;
	}
	ncp = len / 4;
	for (i = 6; i + 2 < ncp && r != DOC_NEXT_STOP; i++) {
		uint32_t a = ole2_u32(p + i * 4), b = ole2_u32(p + i * 4 + 4);
		unsigned kind = (unsigned)((i - 6) % 6);
		struct ole2_out *o = (kind == 2 || kind == 3 || kind == 5) ?
		    &ftr : &hdr;

		if (a >= b || b > len_hdd)
			continue;
		o->page = i < 12 ? 1 : 0;
		r = story(w, base + a, base + b, o, NULL);
	}
	return r == DOC_NEXT_STOP ? r : DOC_NEXT_MORE;
}

static enum doc_err
stories(struct word *w)
{
	struct ole2_out body = { "WordDocument", DOC_ZONE_BODY, 1, 0, 0 };
	struct ole2_out table = { "WordDocument", DOC_ZONE_TABLE, 1, 0, 0 };
	struct ole2_out box = { "WordDocument/textbox", DOC_ZONE_BOX, 0, 0,
	    0 };
	struct ole2_out hbox = { "WordDocument/header-textbox", DOC_ZONE_BOX, 0,
	    0, 0 };
	struct ole2_out ftn = { "WordDocument/footnote", DOC_ZONE_NOTE, 0, 0,
	    0 };
	struct ole2_out atn = { "WordDocument/comment", DOC_ZONE_NOTE, 0, 0,
	    0 };
	struct ole2_out edn = { "WordDocument/endnote", DOC_ZONE_NOTE, 0, 0,
	    0 };
	uint64_t start[CCP_N + 1];
	const uint32_t last = w->npc > 0 ? w->pc[w->npc - 1].cpend : 0;
	struct {
		unsigned story;
		struct ole2_out *o, *tab;
	} order[] = {
		{CCP_TEXT, &body, &table}, {CCP_TXBX, &box, NULL},
		{CCP_HDRTXBX, &hbox, NULL}, {CCP_FTN, &ftn, NULL},
		{CCP_ATN, &atn, NULL}, {CCP_EDN, &edn, NULL},
	};
	size_t i;
	enum doc_next r;

	start[0] = 0;
	for (i = 0; i < CCP_N; i++)
		start[i + 1] = start[i] + w->ccp[i];
	if (w->ccp[CCP_TEXT] > 0 && last == 0)
		return doc_fail(w->ctx, DOC_ERR_CORRUPT, "Table:CLX: empty "
		    "piece table for %u characters", w->ccp[CCP_TEXT]);
	if (start[CCP_HDD] < last) {
		r = headers(w, (uint32_t)start[CCP_HDD]);
		if (r == DOC_NEXT_STOP)
			return w->ctx->err;
	}
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		unsigned s = order[i].story;
		uint64_t a = start[s], b = start[s + 1];

		if (a >= b || a >= last)
			continue;
		if (b > last)
			b = last;
		r = story(w, (uint32_t)a, (uint32_t)b, order[i].o,
		    order[i].tab);
		if (r == DOC_NEXT_STOP)
			return w->ctx->err;
	}
	return DOC_OK;
}

enum doc_err
ole2_word(struct doc_ctx *ctx, const struct ole2_stream *wd,
    const struct ole2_stream *table0, const struct ole2_stream *table1)
{
	struct word *w;
	enum doc_err e;

	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return doc_fail(ctx, DOC_ERR_NOMEM, "WordDocument");
	w->ctx = ctx;
	w->wd = wd->p;
	w->wdlen = wd->len;
	if ((e = read_fib(w, table0, table1)) == DOC_OK &&
	    (e = read_clx(w)) == DOC_OK && (e = read_fonts(w)) == DOC_OK) {
		read_bte(w);
		e = stories(w);
	}
	free(w->pc);
	free(w->font);
	free(w);
	return e;
}
