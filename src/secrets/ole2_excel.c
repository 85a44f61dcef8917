/*
 * ole2_excel.c — Excel 97-2003 workbooks ([MS-XLS], BIFF8; BIFF5 cells
 * too): the globals substream (sheet names, fonts and cell formats, the
 * shared string table with its CONTINUE records, FILEPASS), then each
 * sheet's page header and footer and its text cells (LABELSST, LABEL,
 * RSTRING) as "Sheet!B2" lines, page = sheet number. A cell whose font is
 * a legacy Vietnamese one (.VnTime, VNI-Times) is passed as its bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secrets/ole2.h"

#define XL_BOF		0x0809
#define XL_EOF		0x000A
#define XL_FILEPASS	0x002F
#define XL_CONTINUE	0x003C
#define XL_HEADER	0x0014
#define XL_FOOTER	0x0015
#define XL_FONT		0x0031
#define XL_XF		0x00E0
#define XL_BOUNDSHEET	0x0085
#define XL_SST		0x00FC
#define XL_LABELSST	0x00FD
#define XL_LABEL	0x0204
#define XL_RSTRING	0x00D6

#define XL_SHEETS_MAX	4096
#define XL_FONTS_MAX	4096
#define XL_XFS_MAX	65536
#define XL_SEGS_MAX	65536	/* SST + CONTINUE records */
#define XL_STRINGS_MAX	(4u << 20)

struct xl_font {
	enum doc_enc enc;
	bool caps, bold;
};

struct xl_xf {
	uint16_t font;
	unsigned flags;		/* DOC_F_CENTER, DOC_F_FRAMED */
};

struct xl_seg {
	const unsigned char *p;
	size_t len;
};

/* A position in the shared strings: segment and offset. */
struct xl_pos {
	uint32_t seg, off;
};

struct xl {
	struct doc_ctx *ctx;
	const unsigned char *p;
	size_t len;
	bool biff8;
	char (*sheet)[32];	/* sheet names, ASCII-safe UTF-8 */
	size_t nsheet;
	struct xl_font *font;
	size_t nfont;
	struct xl_xf *xf;
	size_t nxf;
	struct xl_seg *seg;
	size_t nseg;
	struct xl_pos *str;
	size_t nstr;
	struct ole2_text t;
};

/* --- shared strings across CONTINUE records -------------------------------- */

struct xl_cur {
	const struct xl *x;
	uint32_t seg, off;
};

static bool
cur_byte(struct xl_cur *c, unsigned char *b)
{
	while (c->seg < c->x->nseg && c->off >= c->x->seg[c->seg].len) {
		c->seg++;
		c->off = 0;
	}
	if (c->seg >= c->x->nseg)
		return false;
	*b = c->x->seg[c->seg].p[c->off++];
	return true;
}

static bool
cur_u16(struct xl_cur *c, uint32_t *v)
{
	unsigned char a, b;

	if (!cur_byte(c, &a) || !cur_byte(c, &b))
		return false;
	*v = (uint32_t)a | (uint32_t)b << 8;
	return true;
}

static bool
cur_u32(struct xl_cur *c, uint32_t *v)
{
	uint32_t lo, hi;

	if (!cur_u16(c, &lo) || !cur_u16(c, &hi))
		return false;
	*v = lo | hi << 16;
	return true;
}

static bool
cur_skip(struct xl_cur *c, uint64_t n)
{
	while (n > 0) {
		size_t left;

		if (c->seg >= c->x->nseg)
			return false;
		left = c->x->seg[c->seg].len - c->off;
		if (left >= n) {
			c->off += (uint32_t)n;
			return true;
		}
		n -= left;
		c->seg++;
		c->off = 0;
	}
	return true;
}

/* cch characters; where they continue into the next record, that record
 * starts with a new option byte (fHighByte). t NULL: skip them. */
static bool
cur_chars(struct xl_cur *c, uint32_t cch, bool wide, struct ole2_text *t)
{
	while (cch > 0) {
		const struct xl_seg *s;
		size_t left;

		if (c->seg >= c->x->nseg)
			return false;
		s = &c->x->seg[c->seg];
		if (c->off >= s->len) {
			if (++c->seg >= c->x->nseg || c->x->seg[c->seg].len == 0)
				return false;
			c->off = 1;
			wide = (c->x->seg[c->seg].p[0] & 1) != 0;
			continue;
		}
		left = (s->len - c->off) / (wide ? 2 : 1);
		if (left == 0)
			return false;	/* half a character */
		if (left > cch)
			left = cch;
		if (t != NULL) {
			size_t i;

			for (i = 0; i < left; i++)
				ole2_text_add(t, wide ? ole2_u16(s->p + c->off +
				    i * 2) : s->p[c->off + i], !wide);
		}
		c->off += (uint32_t)(left * (wide ? 2 : 1));
		cch -= (uint32_t)left;
	}
	return true;
}

/* One XLUnicodeRichExtendedString: into t, or skipped. */
static bool
cur_string(struct xl_cur *c, struct ole2_text *t)
{
	uint32_t cch, runs = 0, ext = 0;
	unsigned char opt;

	if (!cur_u16(c, &cch) || !cur_byte(c, &opt))
		return false;
	if ((opt & 0x08) && !cur_u16(c, &runs))
		return false;
	if ((opt & 0x04) && !cur_u32(c, &ext))
		return false;
	if (!cur_chars(c, cch, (opt & 1) != 0, t))
		return false;
	return cur_skip(c, (uint64_t)runs * 4 + ext);
}

/* The SST record and its CONTINUE records at pos: where each string
 * starts. */
static enum doc_err
read_sst(struct xl *x, size_t pos)
{
	struct xl_cur c = { x, 0, 0 };
	size_t p = pos, n;
	uint32_t total, i;

	free(x->seg);
	free(x->str);
	x->seg = NULL;
	x->str = NULL;
	x->nseg = x->nstr = 0;
	for (n = 0; p + 4 <= x->len && n < XL_SEGS_MAX; n++) {
		unsigned type = ole2_u16(x->p + p), rlen = ole2_u16(x->p + p +
		    2);

		if ((n == 0 && type != XL_SST) || (n > 0 && type !=
		    XL_CONTINUE) || p + 4 + rlen > x->len)
			break;
		p += 4 + rlen;
	}
	x->seg = calloc(n > 0 ? n : 1, sizeof(*x->seg));
	if (x->seg == NULL)
		return doc_fail(x->ctx, DOC_ERR_NOMEM, "SST");
	for (p = pos; x->nseg < n; x->nseg++) {
		x->seg[x->nseg].p = x->p + p + 4;
		x->seg[x->nseg].len = ole2_u16(x->p + p + 2);
		p += 4 + x->seg[x->nseg].len;
	}
	if (x->nseg == 0 || x->seg[0].len < 8)
		return doc_fail(x->ctx, DOC_ERR_CORRUPT, "Workbook:%zu: SST of "
		    "%zu bytes", pos, x->nseg > 0 ? x->seg[0].len : 0);
	total = ole2_u32(x->seg[0].p + 4);
	/* each string takes at least 3 bytes */
	if (total > (p - pos) / 3)
		total = (uint32_t)((p - pos) / 3);
	if (total > XL_STRINGS_MAX)
		return doc_fail(x->ctx, DOC_ERR_TOO_MANY, "Workbook:%zu: %u "
		    "shared strings", pos, total);
	x->str = calloc(total > 0 ? total : 1, sizeof(*x->str));
	if (x->str == NULL)
		return doc_fail(x->ctx, DOC_ERR_NOMEM, "SST");
	c.off = 8;
	for (i = 0; i < total; i++) {
		if (i % OLE2_LATE_EVERY == 0 && doc_late(x->ctx))
			return DOC_ERR_TIMEOUT;
		/* a string never starts at the very end of a record */
		while (c.seg < x->nseg && c.off >= x->seg[c.seg].len) {
			c.seg++;
			c.off = 0;
		}
		x->str[i].seg = c.seg;
		x->str[i].off = c.off;
		if (!cur_string(&c, NULL))
			break;
	}
	x->nstr = i;
	return DOC_OK;
}

/* --- formats ------------------------------------------------------------- */

/* A ShortXLUnicodeString (BIFF8) or byte string (BIFF5) into ASCII-safe
 * name (other characters as '?'); bytes used, 0 when it does not fit. */
static size_t
short_name(const struct xl *x, const unsigned char *p, size_t len, char *name,
    size_t nlen, bool utf8)
{
	size_t cch, i, k = 0, used;
	bool wide = false;

	if (len < 1)
		return 0;
	cch = p[0];
	used = 1;
	if (x->biff8) {
		if (len < 2)
			return 0;
		wide = p[1] & 1;
		used = 2;
	}
	if (cch * (wide ? 2 : 1) > len - used)
		return 0;
	for (i = 0; i < cch && k + 4 < nlen; i++) {
		unsigned u = wide ? ole2_u16(p + used + i * 2) : p[used + i];

		if (u >= 0x20 && u < 0x7F)
			name[k++] = (char)u;
		else if (utf8 && u >= 0x80 && u < 0x800) {
			name[k++] = (char)(0xC0 | u >> 6);
			name[k++] = (char)(0x80 | (u & 0x3F));
		} else if (utf8 && u >= 0x800 && (u < 0xD800 || u >= 0xE000)) {
			name[k++] = (char)(0xE0 | u >> 12);
			name[k++] = (char)(0x80 | (u >> 6 & 0x3F));
			name[k++] = (char)(0x80 | (u & 0x3F));
		} else
			name[k++] = '?';
	}
	name[k] = '\0';
	return used + cch * (wide ? 2 : 1);
}

static void *
grow(void *p, size_t n, size_t size)
{
	/* arrays grow by powers of two: n is the count before adding one */
	if (n == 0 || (n & (n - 1)) == 0)
		return realloc(p, (n == 0 ? 8 : n * 2) * size);
	return p;
}

static enum doc_err
add_font(struct xl *x, const unsigned char *d, size_t len)
{
	struct xl_font *f;
	char name[64];

	if (x->nfont >= XL_FONTS_MAX || len < 15)
		return DOC_OK;
	f = grow(x->font, x->nfont, sizeof(*x->font));
	if (f == NULL)
		return doc_fail(x->ctx, DOC_ERR_NOMEM, "FONT");
	x->font = f;
	f = &x->font[x->nfont++];
	memset(f, 0, sizeof(*f));
	f->bold = ole2_u16(d + 6) >= 700;
	if (short_name(x, d + 14, len - 14, name, sizeof(name), false) > 0)
		f->enc = ole2_font_enc(name, &f->caps);
	return DOC_OK;
}

static enum doc_err
add_xf(struct xl *x, const unsigned char *d, size_t len)
{
	struct xl_xf *f;
	unsigned alc;

	if (x->nxf >= XL_XFS_MAX || len < 4)
		return DOC_OK;
	f = grow(x->xf, x->nxf, sizeof(*x->xf));
	if (f == NULL)
		return doc_fail(x->ctx, DOC_ERR_NOMEM, "XF");
	x->xf = f;
	f = &x->xf[x->nxf++];
	f->font = ole2_u16(d);
	f->flags = 0;
	if (x->biff8 && len >= 14) {
		alc = d[6] & 7;
		if (alc == 2 || alc == 3 || alc == 6)
			f->flags |= DOC_F_CENTER;
		if (ole2_u16(d + 10) != 0)
			f->flags |= DOC_F_FRAMED;
	}
	return DOC_OK;
}

static enum doc_err
add_sheet(struct xl *x, const unsigned char *d, size_t len)
{
	char (*s)[32];

	if (x->nsheet >= XL_SHEETS_MAX || len < 7)
		return DOC_OK;
	s = grow(x->sheet, x->nsheet, sizeof(*x->sheet));
	if (s == NULL)
		return doc_fail(x->ctx, DOC_ERR_NOMEM, "BOUNDSHEET");
	x->sheet = s;
	if (short_name(x, d + 6, len - 6, x->sheet[x->nsheet],
	    sizeof(x->sheet[0]), true) == 0)
		snprintf(x->sheet[x->nsheet], sizeof(x->sheet[0]), "Sheet%zu",
		    x->nsheet + 1);
	x->nsheet++;
	return DOC_OK;
}

/* The font of cell format ixfe: enc and flags. */
static enum doc_enc
cell_format(const struct xl *x, unsigned ixfe, unsigned *flags, bool *known)
{
	unsigned ifnt;
	const struct xl_font *f;

	*flags = 0;
	*known = false;
	if (ixfe >= x->nxf)
		return DOC_ENC_UNICODE;
	*flags = x->xf[ixfe].flags;
	ifnt = x->xf[ixfe].font;
	if (ifnt >= 4)
		ifnt--;		/* font index 4 does not exist */
	if (ifnt >= x->nfont)
		return DOC_ENC_UNICODE;
	*known = true;
	f = &x->font[ifnt];
	if (f->caps)
		*flags |= DOC_F_CAPS;
	if (f->bold)
		*flags |= DOC_F_BOLD;
	return f->enc;
}

/* --- sheets --------------------------------------------------------------- */

/* Lines of t (split at line feeds) to o; 8-bit text is Unicode when the
 * cell's font is known and not a legacy one (known). */
static enum doc_next
emit_lines(struct xl *x, struct ole2_out *o, unsigned flags,
    enum doc_enc enc, bool known)
{
	struct ole2_text *line;
	enum doc_next r = DOC_NEXT_MORE;
	size_t i;

	line = malloc(sizeof(*line));
	if (line == NULL) {
		doc_fail(x->ctx, DOC_ERR_NOMEM, "cell");
		return DOC_NEXT_STOP;
	}
	line->n = 0;
	line->from8 = line->high8 = false;
	for (i = 0; i <= x->t.n && r == DOC_NEXT_MORE; i++) {
		if (i == x->t.n || x->t.u[i] == '\n' || x->t.u[i] == '\r') {
			if (known)
				line->high8 = false;
			r = ole2_text_emit(x->ctx, line, o, flags, enc);
			continue;
		}
		ole2_text_add(line, x->t.u[i], x->t.from8);
	}
	free(line);
	x->t.n = 0;
	x->t.from8 = x->t.high8 = false;
	return r;
}

static void
cell_name(char *buf, size_t len, const char *sheet, unsigned row,
    unsigned col)
{
	char c[8];
	int k = 7;

	c[k] = '\0';
	col++;
	while (col > 0 && k > 0) {
		c[--k] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	snprintf(buf, len, "%s!%s%u", sheet, c + k, row + 1);
}

/* The text of a cell record into x->t; false when it is not one. */
static bool
cell_text(struct xl *x, unsigned type, const unsigned char *d, size_t len)
{
	struct xl_seg one;
	struct xl_cur c;
	struct xl tmp;
	uint32_t isst, cch;
	bool ok;

	x->t.n = 0;
	x->t.from8 = x->t.high8 = false;
	if (type == XL_LABELSST) {
		if (len < 10)
			return false;
		isst = ole2_u32(d + 6);
		if (isst >= x->nstr)
			return false;
		c.x = x;
		c.seg = x->str[isst].seg;
		c.off = x->str[isst].off;
		return cur_string(&c, &x->t);
	}
	if (len < 8)
		return false;
	cch = ole2_u16(d + 6);
	if (!x->biff8) {
		size_t i;

		for (i = 0; i < cch && 8 + i < len; i++)
			ole2_text_add(&x->t, d[8 + i], true);
		return true;
	}
	if (len < 9)
		return false;
	/* a LABEL's string stands whole in its record */
	tmp = *x;
	one.p = d + 9;
	one.len = len - 9;
	tmp.seg = &one;
	tmp.nseg = 1;
	c.x = &tmp;
	c.seg = 0;
	c.off = 0;
	ok = cur_chars(&c, cch, (d[8] & 1) != 0, &x->t);
	return ok || x->t.n > 0;
}

/* A page header or footer: its &L &C &R sections as lines, codes dropped;
 * a font code naming a legacy font sets the section's encoding. */
static enum doc_next
header_footer(struct xl *x, const unsigned char *d, size_t len,
    struct ole2_out *o)
{
	struct ole2_text *s = &x->t;
	uint16_t u[OLE2_LINE_MAX];
	size_t n = 0, i;
	unsigned flags = 0, bold = 0;
	enum doc_enc enc = DOC_ENC_UNICODE;
	enum doc_next r = DOC_NEXT_MORE;
	bool from8;

	/* the string first */
	s->n = 0;
	s->from8 = s->high8 = false;
	if (x->biff8) {
		struct xl_seg one;
		struct xl tmp = *x;
		struct xl_cur c;

		if (len < 3)
			return DOC_NEXT_MORE;
		one.p = d + 3;
		one.len = len - 3;
		tmp.seg = &one;
		tmp.nseg = 1;
		c.x = &tmp;
		c.seg = 0;
		c.off = 0;
		(void)cur_chars(&c, ole2_u16(d), (d[2] & 1) != 0, s);
	} else if (len >= 1) {
		for (i = 0; i < d[0] && 1 + i < len; i++)
			ole2_text_add(s, d[1 + i], true);
	}
	n = s->n;
	from8 = s->from8;
	memcpy(u, s->u, n * sizeof(u[0]));
	s->n = 0;
	s->from8 = s->high8 = false;
	for (i = 0; i < n && r == DOC_NEXT_MORE; i++) {
		uint16_t c = u[i];

		if (c == '\n') {
			r = ole2_text_emit(x->ctx, s, o, flags | bold, enc);
			continue;
		}
		if (c != '&' || i + 1 >= n) {
			ole2_text_add(s, c, from8);
			continue;
		}
		c = u[++i];
		switch (c) {
		case '&':
			ole2_text_add(s, '&', from8);
			break;
		case 'L': case 'C': case 'R':
			r = ole2_text_emit(x->ctx, s, o, flags | bold, enc);
			flags = c == 'L' ? 0 : DOC_F_CENTER;
			enc = DOC_ENC_UNICODE;
			bold = 0;
			break;
		case 'B':
			bold = DOC_F_BOLD;
			break;
		case '"': {
			char name[64];
			size_t k = 0;
			bool caps;

			while (i + 1 < n && u[i + 1] != '"' && u[i + 1] !=
			    ',') {
				if (k + 1 < sizeof(name))
					name[k++] = u[i + 1] < 0x80 ?
					    (char)u[i + 1] : '?';
				i++;
			}
			name[k] = '\0';
			while (i + 1 < n && u[i + 1] != '"') {
				if (u[i + 1] == 'B' || u[i + 1] == 'b')
					bold = DOC_F_BOLD;
				i++;
			}
			i++;
			if (ole2_font_enc(name, &caps) != DOC_ENC_UNICODE) {
				enc = ole2_font_enc(name, &caps);
				if (caps)
					flags |= DOC_F_CAPS;
			}
			break;
		}
		case 'K':	/* colour: six hex digits */
			i += i + 6 < n ? 6 : 0;
			break;
		default:
			/* font size digits */
			while (c >= '0' && c <= '9' && i + 1 < n && u[i + 1] >=
			    '0' && u[i + 1] <= '9')
				c = u[++i];
			break;
		}
	}
	if (r == DOC_NEXT_MORE)
		r = ole2_text_emit(x->ctx, s, o, flags | bold, enc);
	return r;
}

static enum doc_err
walk(struct xl *x)
{
	struct ole2_out cells = { NULL, DOC_ZONE_CELL, 0, 0, 0 };
	struct ole2_out hdr = { NULL, DOC_ZONE_HEADER, 0, 0, 0 };
	struct ole2_out ftr = { NULL, DOC_ZONE_FOOTER, 0, 0, 0 };
	char part[96], sheetpart[64];
	size_t pos = 0, n = 0;
	unsigned sub = 0;	/* substream: 0 globals, then sheets 1, 2, … */
	bool in_sub = false, skip = false;
	enum doc_next r;
	enum doc_err e;

	while (pos + 4 <= x->len) {
		unsigned type = ole2_u16(x->p + pos);
		size_t len = ole2_u16(x->p + pos + 2);
		const unsigned char *d = x->p + pos + 4;

		if (++n % OLE2_LATE_EVERY == 0 && doc_late(x->ctx))
			return DOC_ERR_TIMEOUT;
		if (pos + 4 + len > x->len)
			return doc_fail(x->ctx, DOC_ERR_TRUNCATED, "Workbook:%zu:"
			    " record 0x%04x of %zu bytes past the end (%zu)",
			    pos, type, len, x->len);
		if (pos == 0 && (type & 0xFF) != 0x09)
			return doc_fail(x->ctx, DOC_ERR_CORRUPT, "Workbook:0: "
			    "record 0x%04x, not BOF", type);
		switch (type) {
		case XL_BOF: case 0x0409: case 0x0209:
			if (pos == 0) {
				x->biff8 = type == XL_BOF && len >= 2 &&
				    ole2_u16(d) == 0x0600;
				if (type == XL_BOF && len >= 2 &&
				    ole2_u16(d) < 0x0500)
					return doc_fail(x->ctx,
					    DOC_ERR_UNSUPPORTED, "Workbook: "
					    "BIFF version 0x%04x", ole2_u16(d));
			} else if (!in_sub) {
				sub++;
				in_sub = true;
				skip = false;
				if (sub <= x->nsheet)
					snprintf(sheetpart, sizeof(sheetpart),
					    "%s", x->sheet[sub - 1]);
				else
					snprintf(sheetpart, sizeof(sheetpart),
					    "Sheet%u", sub);
				cells.page = hdr.page = ftr.page = sub;
				cells.index = 0;
				hdr.part = ftr.part = sheetpart;
			}
			break;
		case XL_EOF:
			in_sub = false;
			break;
		case XL_FILEPASS:
			return doc_fail(x->ctx, DOC_ERR_ENCRYPTED, "Workbook:%zu:"
			    " FILEPASS", pos);
		case XL_FONT: case 0x0231:
			if (sub == 0 && (e = add_font(x, d, len)) != DOC_OK)
				return e;
			break;
		case XL_XF: case 0x0043: case 0x0243: case 0x0443:
			if (sub == 0 && (e = add_xf(x, d, len)) != DOC_OK)
				return e;
			break;
		case XL_BOUNDSHEET:
			if ((e = add_sheet(x, d, len)) != DOC_OK)
				return e;
			break;
		case XL_SST:
			if ((e = read_sst(x, pos)) != DOC_OK)
				return e;
			break;
		case XL_HEADER: case XL_FOOTER:
			if (sub == 0 || len == 0)
				break;
			r = header_footer(x, d, len, type == XL_HEADER ? &hdr :
			    &ftr);
			if (r == DOC_NEXT_STOP)
				return x->ctx->err;
			break;
		case XL_LABELSST: case XL_LABEL: case XL_RSTRING: {
			unsigned flags;
			enum doc_enc enc;
			bool known;

			if (sub == 0 || skip || len < 6 ||
			    !cell_text(x, type, d, len))
				break;
			cell_name(part, sizeof(part), sheetpart,
			    ole2_u16(d), ole2_u16(d + 2));
			cells.part = part;
			enc = cell_format(x, ole2_u16(d + 4), &flags, &known);
			r = emit_lines(x, &cells, flags, enc, known);
			if (r == DOC_NEXT_STOP)
				return x->ctx->err;
			if (r == DOC_NEXT_SKIP)
				skip = true;
			break;
		}
		}
		pos += 4 + len;
	}
	return DOC_OK;
}

enum doc_err
ole2_excel(struct doc_ctx *ctx, const struct ole2_stream *wb)
{
	struct xl *x;
	enum doc_err e;

	x = calloc(1, sizeof(*x));
	if (x == NULL)
		return doc_fail(ctx, DOC_ERR_NOMEM, "Workbook");
	x->ctx = ctx;
	x->p = wb->p;
	x->len = wb->len;
	if (x->len < 4)
		e = doc_fail(ctx, DOC_ERR_TRUNCATED, "Workbook: %zu bytes",
		    x->len);
	else
		e = walk(x);
	free(x->sheet);
	free(x->font);
	free(x->xf);
	free(x->seg);
	free(x->str);
	free(x);
	return e;
}
