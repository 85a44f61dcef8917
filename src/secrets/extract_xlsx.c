/*
 * extract_xlsx.c — lines of Excel workbooks in Office Open XML (.xlsx
 * .xlsm, SpreadsheetML) for the classified-document finder (doc.h): cell
 * styles, shared strings read only as far as the cells ask, each sheet's
 * text cells as "Sheet!B2" lines (page = sheet) until the sink has enough,
 * then its header and footer, drawings and comments. Called from
 * doc_extract_ooxml() (extract_ooxml.c) through ooxml.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secrets/doc.h"
#include "secrets/ooxml.h"
#include "secrets/xmlpart.h"

/* --- cell styles -------------------------------------------------------- */

struct x_font {
	bool bold, caps;
	unsigned sz100;		/* size in 1/100 pt */
	enum doc_enc enc;
};

struct x_xf {
	unsigned font;
	bool center, framed;
};

struct x_styles {
	struct x_font *fonts;
	size_t nfonts, capfonts;
	bool *borders;
	size_t nborders, capborders;
	struct x_xf *xfs;
	size_t nxfs, capxfs;
};

#define X_MAX_STYLES 65536

static void
xstyles_free(struct x_styles *xs)
{
	free(xs->fonts);
	free(xs->borders);
	free(xs->xfs);
	memset(xs, 0, sizeof(*xs));
}

static enum doc_err
xstyles_read(struct xp_pkg *pkg, const char *part, struct x_styles *xs)
{
	struct xp_reader xr;
	enum { NONE, FONTS, BORDERS, XFS } sec = NONE;
	char val[64];
	enum doc_err e;
	bool caps;
	int rc;

	memset(xs, 0, sizeof(*xs));
	if ((e = xp_reader_open(pkg, part, false, &xr)) != DOC_OK)
		return e;
	while ((rc = xp_read(&xr)) == 1) {
		int t = xp_type(&xr);
		const char *n = xp_local(&xr);

		if (xp_ns(&xr) != XP_NS_S)
			continue;
		if (t == XML_READER_TYPE_END_ELEMENT) {
			if (strcmp(n, "fonts") == 0 || strcmp(n, "borders") ==
			    0 || strcmp(n, "cellXfs") == 0)
				sec = NONE;
			continue;
		}
		if (t != XML_READER_TYPE_ELEMENT)
			continue;
		if (strcmp(n, "fonts") == 0)
			sec = FONTS;
		else if (strcmp(n, "borders") == 0)
			sec = BORDERS;
		else if (strcmp(n, "cellXfs") == 0)
			sec = XFS;
		else if (strcmp(n, "dxfs") == 0 || strcmp(n, "cellStyleXfs") ==
		    0) {
			if ((rc = xp_skip(&xr)) != 1)
				break;
		} else if (sec == FONTS && strcmp(n, "font") == 0) {
			struct x_font *v = xp_grow(xs->fonts, &xs->capfonts,
			    xs->nfonts + 1, sizeof(*v), X_MAX_STYLES);

			if (v != NULL) {
				xs->fonts = v;
				memset(&v[xs->nfonts++], 0, sizeof(*v));
			}
		} else if (sec == FONTS && xs->nfonts > 0) {
			struct x_font *f = &xs->fonts[xs->nfonts - 1];

			if (strcmp(n, "b") == 0)
				f->bold = !xp_attr(&xr, XP_NS_NONE, "val", val,
				    sizeof(val)) || xp_on(val);
			else if (strcmp(n, "sz") == 0 && xp_attr(&xr,
			    XP_NS_NONE, "val", val, sizeof(val)))
				f->sz100 = (unsigned)(strtod(val, NULL) * 100);
			else if (strcmp(n, "name") == 0 && xp_attr(&xr,
			    XP_NS_NONE, "val", val, sizeof(val))) {
				f->enc = xp_font_enc(val, &caps);
				f->caps = caps;
			}
		} else if (sec == BORDERS && strcmp(n, "border") == 0) {
			bool *v = xp_grow(xs->borders, &xs->capborders,
			    xs->nborders + 1, sizeof(*v), X_MAX_STYLES);

			if (v != NULL) {
				xs->borders = v;
				v[xs->nborders++] = false;
			}
		} else if (sec == BORDERS && xs->nborders > 0) {
			if (xp_attr(&xr, XP_NS_NONE, "style", val, sizeof(val))
			    && strcmp(val, "none") != 0)
				xs->borders[xs->nborders - 1] = true;
		} else if (sec == XFS && strcmp(n, "xf") == 0) {
			struct x_xf *x = xp_grow(xs->xfs, &xs->capxfs,
			    xs->nxfs + 1, sizeof(*x), X_MAX_STYLES);

			if (x == NULL)
				continue;
			xs->xfs = x;
			x = &xs->xfs[xs->nxfs++];
			memset(x, 0, sizeof(*x));
			if (xp_attr(&xr, XP_NS_NONE, "fontId", val, sizeof(val)))
				x->font = (unsigned)strtoul(val, NULL, 10);
			if (xp_attr(&xr, XP_NS_NONE, "borderId", val,
			    sizeof(val))) {
				unsigned long b = strtoul(val, NULL, 10);

				x->framed = b < xs->nborders && xs->borders[b];
			}
		} else if (sec == XFS && strcmp(n, "alignment") == 0 &&
		    xs->nxfs > 0) {
			if (xp_attr(&xr, XP_NS_NONE, "horizontal", val,
			    sizeof(val)) && (strncmp(val, "center", 6) == 0 ||
			    strcmp(val, "right") == 0))
				xs->xfs[xs->nxfs - 1].center = true;
		}
	}
	xp_reader_close(&xr);
	if (rc < 0) {
		xstyles_free(xs);
		return pkg->ctx->err;
	}
	return DOC_OK;
}

/* --- shared strings ----------------------------------------------------- */

/* The shared strings, read as far as the cells ask. */
struct x_sst {
	struct xp_reader xr;
	bool open, eof;
	char *text;
	size_t len, cap;
	size_t *off;		/* start of string i; off[n] = len */
	signed char *enc;	/* run font encoding, -1: the cell's */
	size_t n, ncap;
};

static void
sst_close(struct x_sst *sst)
{
	if (sst->open)
		xp_reader_close(&sst->xr);
	free(sst->text);
	free(sst->off);
	free(sst->enc);
	memset(sst, 0, sizeof(*sst));
}

static bool
sst_push(struct x_sst *sst, const char *s, size_t n, size_t max)
{
	if (sst->len + n > max)
		return false;
	if (sst->len + n + 1 > sst->cap) {
		size_t cap = sst->cap == 0 ? 4096 : sst->cap;
		char *t;

		while (cap < sst->len + n + 1)
			cap *= 2;
		if ((t = realloc(sst->text, cap)) == NULL)
			return false;
		sst->text = t;
		sst->cap = cap;
	}
	memcpy(sst->text + sst->len, s, n);
	sst->len += n;
	return true;
}

/* Reads shared strings up to index i. */
static bool
sst_fill(struct x_sst *sst, size_t i, size_t max)
{
	bool in_si = false, in_t = false, in_rph = false, caps;
	char val[64];
	const char *t;

	while (!sst->eof && sst->n <= i) {
		int rc = xp_read(&sst->xr), type;
		const char *n;

		if (rc != 1) {
			sst->eof = true;
			break;
		}
		if ((t = xp_text(&sst->xr)) != NULL) {
			if (in_t && !in_rph && !sst_push(sst, t, strlen(t), max))
				sst->eof = true;
			continue;
		}
		type = xp_type(&sst->xr);
		if (xp_ns(&sst->xr) != XP_NS_S)
			continue;
		n = xp_local(&sst->xr);
		if (type == XML_READER_TYPE_ELEMENT && strcmp(n, "si") == 0) {
			if (sst->n + 2 > sst->ncap) {
				size_t cap = sst->ncap == 0 ? 256 :
				    sst->ncap * 2;
				size_t *o = realloc(sst->off, cap *
				    sizeof(*o));
				signed char *e;

				if (o == NULL) {
					sst->eof = true;
					break;
				}
				sst->off = o;
				if ((e = realloc(sst->enc, cap)) == NULL) {
					sst->eof = true;
					break;
				}
				sst->enc = e;
				sst->ncap = cap;
			}
			sst->off[sst->n] = sst->len;
			sst->enc[sst->n] = -1;
			if (xp_empty(&sst->xr))
				sst->off[++sst->n] = sst->len;
			else
				in_si = true;
		} else if (type == XML_READER_TYPE_END_ELEMENT &&
		    strcmp(n, "si") == 0 && in_si) {
			sst->off[++sst->n] = sst->len;
			in_si = false;
		} else if (strcmp(n, "t") == 0 && in_si) {
			in_t = type == XML_READER_TYPE_ELEMENT &&
			    !xp_empty(&sst->xr);
		} else if (strcmp(n, "rPh") == 0) {
			in_rph = type == XML_READER_TYPE_ELEMENT &&
			    !xp_empty(&sst->xr);
		} else if (type == XML_READER_TYPE_ELEMENT && in_si &&
		    strcmp(n, "rFont") == 0 && sst->enc[sst->n] < 0 &&
		    xp_attr(&sst->xr, XP_NS_NONE, "val", val, sizeof(val))) {
			sst->enc[sst->n] = (signed char)xp_font_enc(val, &caps);
			if (caps)
				sst->enc[sst->n] |= 0x40;
		}
	}
	return sst->n > i;
}

/* --- sheets: cells, header and footer, comments ------------------------- */

struct x_sheet {
	struct xp_pkg *pkg;
	struct xp_reader *xr;
	struct xp_out out;
	struct xp_line *line;
	const struct x_styles *xs;
	struct x_sst *sst;
	const char *name;
	unsigned page, body_sz100;
};

static void
x_cell_run(const struct x_sheet *x, unsigned s, struct xp_run *run,
    unsigned *flags)
{
	const struct x_xf *xf = s < x->xs->nxfs ? &x->xs->xfs[s] : NULL;
	const struct x_font *f = xf != NULL && xf->font < x->xs->nfonts ?
	    &x->xs->fonts[xf->font] : NULL;

	memset(run, 0, sizeof(*run));
	*flags = 0;
	if (xf != NULL)
		*flags = (xf->center ? DOC_F_CENTER : 0) |
		    (xf->framed ? DOC_F_FRAMED : 0);
	if (f != NULL) {
		run->bold = f->bold;
		run->caps = f->caps;
		run->enc = f->enc;
		run->large = x->body_sz100 > 0 && f->sz100 * 10 >=
		    x->body_sz100 * 12;
	}
}

/* Header/footer text: "&L…&C…&R…" sections become lines; codes go. */
static void
x_headfoot(struct x_sheet *x, const char *s, enum doc_zone zone)
{
	struct xp_run run = {false, false, false, DOC_ENC_UNICODE};
	unsigned flags = 0;
	char font[64];
	bool caps;

	xp_line_start(x->line, 0);
	while (*s != '\0' && !x->out.leave) {
		const char *amp = strchr(s, '&');
		size_t n = amp != NULL ? (size_t)(amp - s) : strlen(s);

		xp_line_add(x->line, s, n, &run, x->page);
		if (amp == NULL)
			break;
		s = amp + 1;
		if (*s == '&') {
			xp_line_add(x->line, "&", 1, &run, x->page);
			s++;
		} else if (*s == 'L' || *s == 'C' || *s == 'R') {
			xp_emit(&x->out, x->line, zone, NULL, flags);
			flags = *s == 'L' ? 0 : DOC_F_CENTER;
			s++;
		} else if (*s == '"') {
			const char *q = strchr(s + 1, '"');
			size_t fl = q != NULL ? (size_t)(q - s - 1) : 0;

			snprintf(font, sizeof(font), "%.*s", (int)fl, s + 1);
			font[strcspn(font, ",")] = '\0';
			run.enc = xp_font_enc(font, &caps);
			run.caps = caps;
			if (strstr(s, ",Bold") != NULL && q != NULL &&
			    strstr(s, ",Bold") < q)
				run.bold = true;
			s = q != NULL ? q + 1 : s + strlen(s);
		} else if (*s == 'K') {
			s++;
			s += strspn(s, "0123456789abcdefABCDEF+-");
		} else if (*s >= '0' && *s <= '9') {
			s += strspn(s, "0123456789");
		} else if (*s == 'B') {
			run.bold = !run.bold;
			s++;
		} else if (*s != '\0') {
			/* &P &N &D &T &F &A &I &U &S &X &Y &E &G; anything
			 * else goes whole, never half a UTF-8 sequence */
			s++;
			while (((unsigned char)*s & 0xC0) == 0x80)
				s++;
		}
	}
	xp_emit(&x->out, x->line, zone, NULL, flags);
}

static enum doc_zone
x_hf_zone(const char *n)
{
	if (strcmp(n, "oddHeader") == 0 || strcmp(n, "evenHeader") == 0 ||
	    strcmp(n, "firstHeader") == 0)
		return DOC_ZONE_HEADER;
	if (strcmp(n, "oddFooter") == 0 || strcmp(n, "evenFooter") == 0 ||
	    strcmp(n, "firstFooter") == 0)
		return DOC_ZONE_FOOTER;
	return DOC_ZONE_BODY;
}

/* Comments of a sheet (xl/commentsN.xml): one line each, at its cell. */
static enum doc_err
x_comments(struct x_sheet *x, const char *part)
{
	struct xp_reader xr;
	struct xp_out o;
	struct xp_run run = {false, false, false, DOC_ENC_UNICODE};
	char ref[32], where[XP_NAME_MAX + 40];
	bool in_t = false;
	enum doc_err e;
	const char *t;
	int rc;

	if (x->pkg->ctx->stopped)
		return DOC_OK;
	if ((e = xp_reader_open(x->pkg, part, false, &xr)) != DOC_OK)
		return e;
	xp_out_start(&o, x->pkg->ctx, xr.name);
	xp_line_start(x->line, 0);
	ref[0] = '\0';
	while (!o.leave && (rc = xp_read(&xr)) == 1) {
		if ((t = xp_text(&xr)) != NULL) {
			if (in_t)
				xp_line_add(x->line, t, strlen(t), &run,
				    x->page);
			continue;
		}
		if (xp_ns(&xr) != XP_NS_S)
			continue;
		if (xp_start(&xr, XP_NS_S, "comment")) {
			xp_attr(&xr, XP_NS_NONE, "ref", ref, sizeof(ref));
			xp_line_start(x->line, 0);
		} else if (xp_end(&xr, XP_NS_S, "comment")) {
			snprintf(where, sizeof(where), "%s!%s", x->name, ref);
			xp_emit(&o, x->line, DOC_ZONE_NOTE, where, 0);
		} else if (strcmp(xp_local(&xr), "t") == 0) {
			in_t = xp_type(&xr) == XML_READER_TYPE_ELEMENT &&
			    !xp_empty(&xr);
		}
	}
	e = rc < 0 && !o.leave ? x->pkg->ctx->err : DOC_OK;
	xp_reader_close(&xr);
	return e;
}

/* Reads the cells of a worksheet until the sink has enough, then its
 * header and footer. */
static enum doc_err
x_sheet_read(struct x_sheet *x, const char *part)
{
	struct xp_reader xr;
	struct xp_run run = {false, false, false, DOC_ENC_UNICODE};
	char ref[32], type[16], val[16], where[XP_NAME_MAX + 40], *hf = NULL;
	unsigned flags = 0, s = 0;
	size_t max = x->pkg->ctx->lim != NULL ?
	    x->pkg->ctx->lim->max_text : (size_t)4 << 20;
	bool in_v = false, in_is_t = false, cells = true, in_hf = false;
	enum doc_zone hz = DOC_ZONE_HEADER;
	enum doc_err e;
	const char *t, *n;
	int rc;

	if ((e = xp_reader_open(x->pkg, part, false, &xr)) != DOC_OK)
		return e;
	x->xr = &xr;
	xp_out_start(&x->out, x->pkg->ctx, xr.name);
	ref[0] = type[0] = '\0';
	while ((rc = xp_read(&xr)) == 1 && !x->pkg->ctx->stopped) {
		int tt = xp_type(&xr);

		if ((t = xp_text(&xr)) != NULL) {
			if ((in_v && strcmp(type, "str") == 0) || in_is_t)
				xp_line_add(x->line, t, strlen(t), &run,
				    x->page);
			else if (in_v && strcmp(type, "s") == 0 &&
			    sst_fill(x->sst, strtoul(t, NULL, 10), max)) {
				size_t i = strtoul(t, NULL, 10);
				signed char enc = x->sst->enc[i];

				if (enc >= 0) {
					run.enc = (enum doc_enc)(enc & 0x3F);
					run.caps = run.caps || (enc & 0x40);
				}
				xp_line_add(x->line, x->sst->text +
				    x->sst->off[i], x->sst->off[i + 1] -
				    x->sst->off[i], &run, x->page);
			} else if (hf == NULL && in_hf) {
				hf = strdup(t);
			}
			continue;
		}
		if (xp_ns(&xr) != XP_NS_S)
			continue;
		n = xp_local(&xr);
		if (tt == XML_READER_TYPE_ELEMENT && strcmp(n, "c") == 0) {
			if (!xp_attr(&xr, XP_NS_NONE, "r", ref, sizeof(ref)))
				snprintf(ref, sizeof(ref), "?");
			if (!xp_attr(&xr, XP_NS_NONE, "t", type, sizeof(type)))
				type[0] = '\0';
			s = xp_attr(&xr, XP_NS_NONE, "s", val, sizeof(val)) ?
			    (unsigned)strtoul(val, NULL, 10) : 0;
			x_cell_run(x, s, &run, &flags);
			xp_line_start(x->line, 0);
		} else if (tt == XML_READER_TYPE_END_ELEMENT &&
		    strcmp(n, "c") == 0 && cells) {
			snprintf(where, sizeof(where), "%s!%s", x->name, ref);
			xp_emit(&x->out, x->line, DOC_ZONE_CELL, where, flags);
			if (x->out.leave && !x->pkg->ctx->stopped) {
				/* enough cells: on to the header */
				cells = false;
			}
		} else if (strcmp(n, "v") == 0) {
			in_v = cells && tt == XML_READER_TYPE_ELEMENT &&
			    !xp_empty(&xr);
		} else if (strcmp(n, "t") == 0) {
			in_is_t = cells && tt == XML_READER_TYPE_ELEMENT &&
			    !xp_empty(&xr);
		} else if (strcmp(n, "f") == 0 && tt ==
		    XML_READER_TYPE_ELEMENT) {
			if ((rc = xp_skip(&xr)) != 1)
				break;
		} else if (tt == XML_READER_TYPE_END_ELEMENT &&
		    strcmp(n, "sheetData") == 0) {
			cells = false;
		} else if (x_hf_zone(n) != DOC_ZONE_BODY) {
			if (tt == XML_READER_TYPE_ELEMENT) {
				hz = x_hf_zone(n);
				in_hf = !xp_empty(&xr);
				free(hf);
				hf = NULL;
			} else if (hf != NULL) {
				x->out.leave = false;
				x_headfoot(x, hf, hz);
				free(hf);
				hf = NULL;
				in_hf = false;
			}
		}
	}
	free(hf);
	e = rc < 0 && !x->pkg->ctx->stopped ? x->pkg->ctx->err : DOC_OK;
	xp_reader_close(&xr);
	return e;
}

/* --- the workbook ------------------------------------------------------- */

enum doc_err
ox_read_sheets(struct xp_pkg *pkg, const char *main)
{
	struct ox_rels rs, srs;
	struct xp_reader xr;
	struct x_styles xs;
	struct x_sst sst;
	struct x_sheet x;
	const struct ox_rel *r;
	char id[64], name[128];
	enum doc_err e;
	size_t i;
	int rc;

	memset(&sst, 0, sizeof(sst));
	memset(&x, 0, sizeof(x));
	if ((e = ox_rels_read(pkg, main, &rs)) != DOC_OK)
		return e;
	if ((r = ox_rels_type(&rs, "styles")) != NULL &&
	    (e = xstyles_read(pkg, r->target, &xs)) != DOC_OK) {
		ox_rels_free(&rs);
		return e;
	} else if (r == NULL)
		memset(&xs, 0, sizeof(xs));
	if ((r = ox_rels_type(&rs, "sharedStrings")) != NULL) {
		if ((e = xp_reader_open(pkg, r->target, false, &sst.xr)) !=
		    DOC_OK)
			goto out;
		sst.open = true;
	} else
		sst.eof = true;
	x.pkg = pkg;
	x.xs = &xs;
	x.sst = &sst;
	x.body_sz100 = xs.nxfs > 0 && xs.xfs[0].font < xs.nfonts ?
	    xs.fonts[xs.xfs[0].font].sz100 : 1100;
	if ((x.line = malloc(sizeof(*x.line))) == NULL ||
	    (e = xp_reader_open(pkg, main, true, &xr)) != DOC_OK) {
		e = x.line == NULL ? doc_fail(pkg->ctx, DOC_ERR_NOMEM, "%s",
		    main) : e;
		goto out;
	}
	while (!pkg->ctx->stopped && (rc = xp_read(&xr)) == 1) {
		if (!xp_start(&xr, XP_NS_S, "sheet") || !xp_attr(&xr, XP_NS_R,
		    "id", id, sizeof(id)) || (r = ox_rels_id(&rs, id)) ==
		    NULL || strcmp(r->type, "worksheet") != 0)
			continue;
		if (!xp_attr(&xr, XP_NS_NONE, "name", name, sizeof(name)))
			snprintf(name, sizeof(name), "%u", x.page + 1);
		x.name = name;
		x.page++;
		/* drawings (text boxes) and comments of the sheet */
		if ((e = ox_rels_read(pkg, r->target, &srs)) != DOC_OK)
			break;
		for (i = 0; i < srs.n && e == DOC_OK; i++)
			if (strcmp(srs.v[i].type, "drawing") == 0)
				e = ox_drawing_part(pkg, srs.v[i].target,
				    DOC_ZONE_BOX, x.page);
		if (e == DOC_OK)
			e = x_sheet_read(&x, r->target);
		for (i = 0; i < srs.n && e == DOC_OK; i++)
			if (strcmp(srs.v[i].type, "comments") == 0)
				e = x_comments(&x, srs.v[i].target);
		ox_rels_free(&srs);
		if (e != DOC_OK)
			break;
	}
	if (e == DOC_OK && rc < 0 && !pkg->ctx->stopped)
		e = pkg->ctx->err;
	xp_reader_close(&xr);
out:
	free(x.line);
	sst_close(&sst);
	xstyles_free(&xs);
	ox_rels_free(&rs);
	return e;
}
