/*
 * extract_odf.c — lines of OpenDocument files (ODF 1.2/1.3: .odt .ods
 * .odp) for the classified-document finder (doc.h). styles.xml first: its
 * master pages hold the page headers and footers, where a stamp stands on
 * every page; then content.xml in reading order, with frames and text
 * boxes, table cells, notes and annotations in their zones and page
 * breaks counted; then meta.xml. Formatting comes from the styles
 * (automatic and named, with their parents); runs in legacy fonts
 * (.VnTime, VNI-Times) keep their encoding. An encrypted package (its
 * manifest says so) is reported, not read.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "secrets/doc.h"
#include "secrets/xmlpart.h"

#define OD_MAX_STYLES 8192
#define OD_MAX_STACK 8		/* nested paragraphs (frame in text) */
#define OD_MAX_SPANS 16
#define OD_CHAIN 10		/* parent styles followed */

enum od_kind { OD_TEXT, OD_SHEET, OD_SLIDES };
enum od_family { FAM_PARA, FAM_TEXT, FAM_CELL, FAM_GRAPHIC, FAM_OTHER,
    FAM_COUNT };

struct od_style {
	char name[64], parent[64];
	unsigned char family;
	struct xp_props p;
};

struct od_styles {
	struct od_style *named, *autos;
	size_t nnamed, nautos, capnamed, capautos;
	struct xp_hash hnamed, hautos;	/* by family and name */
	struct xp_props defaults[FAM_COUNT];
};

static enum od_family
family_of(const char *f)
{
	if (strcmp(f, "paragraph") == 0)
		return FAM_PARA;
	if (strcmp(f, "text") == 0)
		return FAM_TEXT;
	if (strcmp(f, "table-cell") == 0)
		return FAM_CELL;
	if (strcmp(f, "graphic") == 0 || strcmp(f, "presentation") == 0)
		return FAM_GRAPHIC;
	return FAM_OTHER;
}

static const struct od_style *
style_in(const struct od_style *v, const struct xp_hash *h,
    enum od_family fam, const char *name)
{
	size_t pos = 0, i;
	unsigned hv = xp_hash_str(name, fam);

	while ((i = xp_hash_next(h, hv, &pos)) != 0)
		if (v[i - 1].family == fam && strcmp(v[i - 1].name, name) == 0)
			return &v[i - 1];
	return NULL;
}

/* The formatting of style name (automatic first, then named, following
 * parents, then the family's defaults). */
static void
style_props(const struct od_styles *ss, enum od_family fam,
    const char *name, struct xp_props *p)
{
	const struct od_style *s;
	int n;

	xp_props_init(p);
	if (name == NULL || name[0] == '\0') {
		xp_props_inherit(p, &ss->defaults[fam]);
		return;
	}
	s = style_in(ss->autos, &ss->hautos, fam, name);
	if (s == NULL)
		s = style_in(ss->named, &ss->hnamed, fam, name);
	for (n = 0; s != NULL && n < OD_CHAIN; n++) {
		xp_props_inherit(p, &s->p);
		s = s->parent[0] != '\0' ? style_in(ss->named, &ss->hnamed,
		    fam, s->parent) : NULL;
	}
	xp_props_inherit(p, &ss->defaults[fam]);
}

static bool
border_on(const char *v)
{
	return v[0] != '\0' && strncmp(v, "none", 4) != 0 &&
	    strncmp(v, "hidden", 6) != 0 && strncmp(v, "0pt", 3) != 0 &&
	    strncmp(v, "0cm", 3) != 0 && strncmp(v, "0in", 3) != 0;
}

/* The attributes of a style:*-properties element. */
static void
style_attrs(struct xp_reader *xr, struct xp_props *p)
{
	static const char *const borders[] = {"border", "border-top",
	    "border-bottom", "border-left", "border-right"};
	char v[64];
	size_t i;

	if (xp_attr(xr, XP_NS_FO, "text-align", v, sizeof(v)))
		p->center = strcmp(v, "center") == 0 || strcmp(v, "end") == 0 ||
		    strcmp(v, "right") == 0;
	if (xp_attr(xr, XP_NS_FO, "break-before", v, sizeof(v)))
		p->pbreak = strcmp(v, "page") == 0;
	if (xp_attr(xr, XP_NS_FO, "font-weight", v, sizeof(v)))
		p->bold = strcmp(v, "bold") == 0 || strcmp(v, "600") == 0 ||
		    strcmp(v, "700") == 0 || strcmp(v, "800") == 0 ||
		    strcmp(v, "900") == 0;
	if (xp_attr(xr, XP_NS_FO, "text-transform", v, sizeof(v)))
		p->caps = strcmp(v, "uppercase") == 0 ? 1 : (p->caps > 0);
	if (xp_attr(xr, XP_NS_FO, "font-variant", v, sizeof(v)) &&
	    strcmp(v, "small-caps") == 0)
		p->caps = 1;
	if (xp_attr(xr, XP_NS_FO, "font-size", v, sizeof(v)) &&
	    strstr(v, "pt") != NULL)
		p->size = (unsigned)(strtod(v, NULL) * 100);
	if (xp_attr(xr, XP_NS_STYLE, "font-name", v, sizeof(v)) ||
	    xp_attr(xr, XP_NS_FO, "font-family", v, sizeof(v)))
		xp_copy(p->font, sizeof(p->font), v);
	for (i = 0; i < sizeof(borders) / sizeof(borders[0]); i++)
		if (xp_attr(xr, XP_NS_FO, borders[i], v, sizeof(v)) &&
		    border_on(v))
			p->framed = 1;
}

/* A style element met while reading office:styles (named) or
 * office:automatic-styles; returns the props to fill, or NULL. */
static struct xp_props *
style_start(struct od_styles *ss, struct xp_reader *xr, bool named)
{
	struct od_style **v = named ? &ss->named : &ss->autos, *s;
	size_t *n = named ? &ss->nnamed : &ss->nautos;
	size_t *cap = named ? &ss->capnamed : &ss->capautos;
	char fam[32], name[64];

	if (!xp_attr(xr, XP_NS_STYLE, "family", fam, sizeof(fam)))
		return NULL;
	if (strcmp(xp_local(xr), "default-style") == 0)
		return &ss->defaults[family_of(fam)];
	if (!xp_attr(xr, XP_NS_STYLE, "name", name, sizeof(name)) ||
	    (s = xp_grow(*v, cap, *n + 1, sizeof(*s), OD_MAX_STYLES)) == NULL)
		return NULL;
	*v = s;
	s = &s[*n];
	memset(s, 0, sizeof(*s));
	xp_props_init(&s->p);
	xp_copy(s->name, sizeof(s->name), name);
	s->family = (unsigned char)family_of(fam);
	if (!xp_hash_add(named ? &ss->hnamed : &ss->hautos,
	    xp_hash_str(s->name, s->family), *n))
		return NULL;
	(*n)++;
	xp_attr(xr, XP_NS_STYLE, "parent-style-name", s->parent,
	    sizeof(s->parent));
	if (xp_attr(xr, XP_NS_STYLE, "master-page-name", name, sizeof(name)) &&
	    name[0] != '\0')
		s->p.pbreak = 1;	/* a new page style starts a page */
	return &s->p;
}

/* --- the text walker ---------------------------------------------------- */

struct od_level {
	struct xp_line line;
	struct xp_props pp;
	enum doc_zone zone;
	unsigned extra;
	int span_base;
	char part[XP_NAME_MAX];	/* "" : the part read */
};

struct od_doc {
	struct doc_ctx *ctx;
	struct xp_reader *xr;
	struct xp_out out;
	struct od_styles *ss;
	enum od_kind kind;
	bool in_styles;		/* reading styles.xml */
	int styling;		/* 0, 1 automatic, 2 named styles */
	struct xp_props *cur;	/* the style being read */
	enum doc_zone hf;	/* in a master page header/footer, or BODY */
	bool in_master;
	struct od_level lv[OD_MAX_STACK];
	int nlv;
	struct xp_props sp[OD_MAX_SPANS];
	int nsp;
	int box, note, tbl;
	/* presentation frames: the zone and flags their class gives */
	enum doc_zone fzone[OD_MAX_STACK];
	unsigned fflags[OD_MAX_STACK];
	int nframe;
	unsigned page;
	bool page_text;
	/* spreadsheet position */
	char sheet[128];
	unsigned long row, next_row, col, next_col;
	struct xp_props cell;
	int sheet_depth;
	unsigned body_sz100;
};

static void
od_page_break(struct od_doc *d)
{
	if (d->page_text && d->kind == OD_TEXT && !d->in_styles) {
		d->page++;
		d->page_text = false;
	}
}

static struct xp_run
od_run(const struct od_doc *d, const struct od_level *lv)
{
	const struct xp_props *p = d->nsp > lv->span_base ?
	    &d->sp[d->nsp - 1] : &lv->pp;
	struct xp_run run;
	bool hcaps;

	run.enc = xp_font_enc(p->font, &hcaps);
	run.bold = p->bold > 0;
	run.caps = p->caps > 0 || hcaps;
	run.large = p->size > 0 && p->size * 10 >= d->body_sz100 * 12;
	return run;
}

static void
od_emit(struct od_doc *d, struct od_level *lv)
{
	unsigned flags = lv->extra | (lv->pp.center > 0 ? DOC_F_CENTER : 0) |
	    (lv->pp.framed > 0 ? DOC_F_FRAMED : 0);

	xp_emit(&d->out, &lv->line, lv->zone, lv->part[0] != '\0' ?
	    lv->part : NULL, flags);
}

static void
od_add(struct od_doc *d, const char *s, size_t n)
{
	struct od_level *lv;
	struct xp_run run;

	if (d->nlv == 0)
		return;
	lv = &d->lv[d->nlv - 1];
	run = od_run(d, lv);
	if (xp_line_mixes(&lv->line, s, n, &run))
		od_emit(d, lv);
	xp_line_add(&lv->line, s, n, &run, d->page);
	if (lv->line.text)
		d->page_text = true;
}

static void
col_name(unsigned long col, char *buf, size_t len)
{
	char tmp[16];
	size_t n = 0, i;

	col++;
	while (col > 0 && n < sizeof(tmp)) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (i = 0; i < n && i + 1 < len; i++)
		buf[i] = tmp[n - 1 - i];
	buf[i < len ? i : len - 1] = '\0';
}

static void
od_para_start(struct od_doc *d)
{
	struct xp_reader *xr = d->xr;
	struct od_level *lv;
	struct xp_props cp;
	char name[64], col[16];

	if (d->nlv == OD_MAX_STACK) {
		xp_skip(xr);
		return;
	}
	lv = &d->lv[d->nlv++];
	memset(lv, 0, sizeof(*lv));
	xp_line_start(&lv->line, 0);
	lv->span_base = d->nsp;
	if (!xp_attr(xr, XP_NS_TEXT, "style-name", name, sizeof(name)))
		name[0] = '\0';
	style_props(d->ss, FAM_PARA, name, &lv->pp);
	if (d->in_styles) {
		/* master pages: what stands on every page */
		lv->zone = d->hf != DOC_ZONE_BODY ? d->hf : DOC_ZONE_HEADER;
		if (d->nframe > 0 && d->fzone[d->nframe - 1] ==
		    DOC_ZONE_FOOTER)
			lv->zone = DOC_ZONE_FOOTER;
	} else if (d->note > 0) {
		lv->zone = DOC_ZONE_NOTE;
	} else if (d->nframe > 0) {
		lv->zone = d->fzone[d->nframe - 1];
		lv->extra = d->fflags[d->nframe - 1];
	} else if (d->box > 0) {
		lv->zone = DOC_ZONE_BOX;
		lv->extra = DOC_F_FRAMED;
	} else if (d->tbl > 0 && d->kind == OD_SHEET) {
		lv->zone = DOC_ZONE_CELL;
		cp = d->cell;
		xp_props_inherit(&lv->pp, &cp);
		col_name(d->col, col, sizeof(col));
		snprintf(lv->part, sizeof(lv->part), "%s!%s%lu", d->sheet, col,
		    d->row + 1);
	} else if (d->tbl > 0) {
		lv->zone = DOC_ZONE_TABLE;
		if (d->cell.framed > 0)
			lv->extra = DOC_F_FRAMED;
	} else {
		lv->zone = d->kind == OD_SHEET ? DOC_ZONE_CELL : DOC_ZONE_BODY;
	}
	if (lv->pp.pbreak > 0)
		od_page_break(d);
}

/* draw:frame in a presentation: its class says where it stands. */
static void
od_frame(struct od_doc *d)
{
	char cls[32];
	enum doc_zone z = DOC_ZONE_BOX;
	unsigned f = DOC_F_FRAMED;

	if (d->nframe == OD_MAX_STACK) {
		xp_skip(d->xr);
		return;
	}
	if (d->kind == OD_SLIDES && xp_attr(d->xr, XP_NS_PRESENTATION, "class",
	    cls, sizeof(cls))) {
		f = 0;
		if (strcmp(cls, "title") == 0) {
			z = DOC_ZONE_BODY;
			f = DOC_F_LARGE;
		} else if (strcmp(cls, "footer") == 0 ||
		    strcmp(cls, "page-number") == 0 ||
		    strcmp(cls, "date-time") == 0)
			z = DOC_ZONE_FOOTER;
		else if (strcmp(cls, "header") == 0)
			z = DOC_ZONE_HEADER;
		else if (strcmp(cls, "notes") == 0)
			z = DOC_ZONE_NOTE;
		else
			z = DOC_ZONE_BODY;
	}
	d->fzone[d->nframe] = z;
	d->fflags[d->nframe] = f;
	d->nframe++;
}

static bool
is_shape(const char *n)
{
	return strcmp(n, "custom-shape") == 0 || strcmp(n, "rect") == 0 ||
	    strcmp(n, "ellipse") == 0 || strcmp(n, "polygon") == 0 ||
	    strcmp(n, "path") == 0 || strcmp(n, "circle") == 0;
}

static void
od_sheet_cell(struct od_doc *d, bool start)
{
	char v[32];
	unsigned long rep = 1;

	if (!start)
		return;
	if (xp_attr(d->xr, XP_NS_TABLE, "number-columns-repeated", v,
	    sizeof(v)))
		rep = strtoul(v, NULL, 10);
	if (rep == 0 || rep > 16384)
		rep = 1;
	d->col = d->next_col;
	d->next_col += rep;
	if (xp_attr(d->xr, XP_NS_TABLE, "style-name", v, sizeof(v)))
		style_props(d->ss, FAM_CELL, v, &d->cell);
	else
		style_props(d->ss, FAM_CELL, NULL, &d->cell);
}

static void
od_start(struct od_doc *d, enum xp_ns ns, const char *n)
{
	struct xp_reader *xr = d->xr;
	bool empty = xp_empty(xr);
	char v[32];

	if (d->styling != 0 && ns == XP_NS_STYLE) {
		if (strcmp(n, "style") == 0 || strcmp(n, "default-style") == 0)
			d->cur = style_start(d->ss, xr, d->styling == 2);
		else if (d->cur != NULL && strstr(n, "-properties") != NULL)
			style_attrs(xr, d->cur);
		return;
	}
	switch (ns) {
	case XP_NS_OFFICE:
		if (strcmp(n, "automatic-styles") == 0 && !empty)
			d->styling = 1;
		else if (strcmp(n, "styles") == 0 && !empty)
			d->styling = 2;
		else if (strcmp(n, "master-styles") == 0 && !empty)
			d->in_master = true;
		else if (strcmp(n, "annotation") == 0 && !empty)
			d->note++;
		else if (strcmp(n, "font-face-decls") == 0 ||
		    strcmp(n, "forms") == 0 || strcmp(n, "scripts") == 0)
			xp_skip(xr);
		break;
	case XP_NS_STYLE:
		if (d->in_master && (strncmp(n, "header", 6) == 0 ||
		    strncmp(n, "footer", 6) == 0) && !empty)
			d->hf = n[0] == 'h' ? DOC_ZONE_HEADER :
			    DOC_ZONE_FOOTER;
		break;
	case XP_NS_TEXT:
		if ((strcmp(n, "p") == 0 || strcmp(n, "h") == 0) && !empty)
			od_para_start(d);
		else if (strcmp(n, "span") == 0 && !empty && d->nlv > 0) {
			if (d->nsp < OD_MAX_SPANS) {
				struct xp_props *p = &d->sp[d->nsp];
				const struct od_level *lv = &d->lv[d->nlv - 1];

				if (!xp_attr(xr, XP_NS_TEXT, "style-name", v,
				    sizeof(v)))
					v[0] = '\0';
				style_props(d->ss, FAM_TEXT, v, p);
				xp_props_inherit(p, d->nsp > lv->span_base ?
				    &d->sp[d->nsp - 1] : &lv->pp);
			}
			d->nsp++;
		} else if (strcmp(n, "s") == 0) {
			unsigned long c = xp_attr(xr, XP_NS_TEXT, "c", v,
			    sizeof(v)) ? strtoul(v, NULL, 10) : 1;

			while (c-- > 0 && c < 64)
				od_add(d, " ", 1);
		} else if (strcmp(n, "tab") == 0)
			od_add(d, "\t", 1);
		else if (strcmp(n, "line-break") == 0 && d->nlv > 0)
			od_emit(d, &d->lv[d->nlv - 1]);
		else if (strcmp(n, "soft-page-break") == 0)
			od_page_break(d);
		else if (strcmp(n, "note") == 0 && !empty)
			d->note++;
		else if (strcmp(n, "note-citation") == 0 ||
		    strcmp(n, "tracked-changes") == 0 ||
		    strcmp(n, "sequence-decls") == 0 ||
		    strcmp(n, "variable-decls") == 0 ||
		    strcmp(n, "user-field-decls") == 0)
			xp_skip(xr);
		break;
	case XP_NS_DRAW:
		if (strcmp(n, "frame") == 0 && !empty)
			od_frame(d);
		else if ((strcmp(n, "text-box") == 0 || is_shape(n)) && !empty)
			d->box++;
		else if (strcmp(n, "page") == 0 && !empty) {
			d->page++;
			xp_out_start(&d->out, d->ctx, d->out.part);
			d->sheet_depth = xp_depth(xr);
		} else if (strcmp(n, "page-thumbnail") == 0)
			xp_skip(xr);
		break;
	case XP_NS_TABLE:
		if (strcmp(n, "table") == 0 && !empty) {
			if (d->tbl++ == 0 && d->kind == OD_SHEET &&
			    !d->in_styles) {
				if (!xp_attr(xr, XP_NS_TABLE, "name", d->sheet,
				    sizeof(d->sheet)))
					snprintf(d->sheet, sizeof(d->sheet),
					    "%u", d->page + 1);
				d->page++;
				d->next_row = 0;
				xp_out_start(&d->out, d->ctx, d->out.part);
				d->sheet_depth = xp_depth(xr);
			}
		} else if (strcmp(n, "table-row") == 0 && d->tbl == 1) {
			unsigned long rep = xp_attr(xr, XP_NS_TABLE,
			    "number-rows-repeated", v, sizeof(v)) ?
			    strtoul(v, NULL, 10) : 1;

			d->row = d->next_row;
			d->next_row += rep > 0 && rep <= (1ul << 20) ? rep : 1;
			d->next_col = 0;
		} else if ((strcmp(n, "table-cell") == 0 ||
		    strcmp(n, "covered-table-cell") == 0) && d->tbl == 1)
			od_sheet_cell(d, true);
		break;
	case XP_NS_PRESENTATION:
		if (strcmp(n, "notes") == 0 && !empty)
			d->note++;
		break;
	case XP_NS_DC:
	case XP_NS_META:
		xp_skip(xr);	/* an annotation's author and date */
		break;
	default:
		break;
	}
}

static void
od_end(struct od_doc *d, enum xp_ns ns, const char *n)
{
	switch (ns) {
	case XP_NS_OFFICE:
		if (strcmp(n, "automatic-styles") == 0 ||
		    strcmp(n, "styles") == 0) {
			d->styling = 0;
			d->cur = NULL;
		} else if (strcmp(n, "master-styles") == 0)
			d->in_master = false;
		else if (strcmp(n, "annotation") == 0 && d->note > 0)
			d->note--;
		break;
	case XP_NS_STYLE:
		if (strcmp(n, "style") == 0 || strcmp(n, "default-style") == 0)
			d->cur = NULL;
		else if (strncmp(n, "header", 6) == 0 ||
		    strncmp(n, "footer", 6) == 0)
			d->hf = DOC_ZONE_BODY;
		break;
	case XP_NS_TEXT:
		if ((strcmp(n, "p") == 0 || strcmp(n, "h") == 0) && d->nlv > 0) {
			struct od_level *lv = &d->lv[d->nlv - 1];

			od_emit(d, lv);
			d->nsp = lv->span_base;
			d->nlv--;
		} else if (strcmp(n, "span") == 0 && d->nsp > 0)
			d->nsp--;
		else if (strcmp(n, "note") == 0 && d->note > 0)
			d->note--;
		break;
	case XP_NS_DRAW:
		if (strcmp(n, "frame") == 0 && d->nframe > 0)
			d->nframe--;
		else if ((strcmp(n, "text-box") == 0 || is_shape(n)) &&
		    d->box > 0)
			d->box--;
		break;
	case XP_NS_TABLE:
		if (strcmp(n, "table") == 0 && d->tbl > 0)
			d->tbl--;
		break;
	case XP_NS_PRESENTATION:
		if (strcmp(n, "notes") == 0 && d->note > 0)
			d->note--;
		break;
	default:
		break;
	}
}

/* After SKIP in a sheet or slide: on to the next one. */
static bool
od_next_unit(struct od_doc *d)
{
	int rc;

	if (d->ctx->stopped || d->kind == OD_TEXT || d->in_styles ||
	    d->sheet_depth == 0)
		return false;
	while ((rc = xp_read(d->xr)) == 1)
		if (xp_type(d->xr) == XML_READER_TYPE_END_ELEMENT &&
		    xp_depth(d->xr) == d->sheet_depth)
			break;
	if (rc != 1)
		return false;
	/* the end of table:table or draw:page */
	d->nlv = d->nsp = d->box = d->note = d->nframe = 0;
	d->tbl = 0;
	d->sheet_depth = 0;
	d->out.leave = false;
	return true;
}

static enum doc_err
od_part(struct xp_pkg *pkg, struct od_styles *ss, enum od_kind kind,
    const char *part, bool required)
{
	struct xp_reader xr;
	struct od_doc *d;
	enum doc_err e;
	const char *t;
	int rc = 0;

	if (pkg->ctx->stopped)
		return DOC_OK;
	if ((e = xp_reader_open(pkg, part, required, &xr)) != DOC_OK)
		return e;
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		xp_reader_close(&xr);
		return doc_fail(pkg->ctx, DOC_ERR_NOMEM, "%s", part);
	}
	d->ctx = pkg->ctx;
	d->xr = &xr;
	d->ss = ss;
	d->kind = kind;
	d->in_styles = strcmp(part, "styles.xml") == 0;
	d->hf = DOC_ZONE_BODY;
	d->page = kind == OD_TEXT || d->in_styles ? 1 : 0;
	d->body_sz100 = ss->defaults[FAM_PARA].size > 0 ?
	    ss->defaults[FAM_PARA].size : 1200;
	ss->nautos = 0;
	xp_hash_free(&ss->hautos);
	xp_out_start(&d->out, pkg->ctx, xr.name);
	for (;;) {
		if (d->out.leave && !od_next_unit(d))
			break;
		if ((rc = xp_read(&xr)) != 1)
			break;
		if ((t = xp_text(&xr)) != NULL) {
			if (d->nlv > 0)
				od_add(d, t, strlen(t));
			continue;
		}
		if (xp_type(&xr) == XML_READER_TYPE_ELEMENT)
			od_start(d, xp_ns(&xr), xp_local(&xr));
		else if (xp_type(&xr) == XML_READER_TYPE_END_ELEMENT)
			od_end(d, xp_ns(&xr), xp_local(&xr));
	}
	e = rc < 0 && !pkg->ctx->stopped ? pkg->ctx->err : DOC_OK;
	free(d);
	xp_reader_close(&xr);
	return e;
}

/* meta.xml: title, subject, keywords, description. */
static enum doc_err
od_meta(struct xp_pkg *pkg)
{
	struct xp_reader xr;
	struct xp_out o;
	struct xp_line *l;
	struct xp_run run = {false, false, false, DOC_ENC_UNICODE};
	bool in = false;
	enum doc_err e;
	const char *t;
	int rc = 0;

	if (pkg->ctx->stopped)
		return DOC_OK;
	if ((e = xp_reader_open(pkg, "meta.xml", false, &xr)) != DOC_OK)
		return e;
	if ((l = malloc(sizeof(*l))) == NULL) {
		xp_reader_close(&xr);
		return doc_fail(pkg->ctx, DOC_ERR_NOMEM, "meta.xml");
	}
	xp_out_start(&o, pkg->ctx, xr.name);
	xp_line_start(l, 0);
	while (!o.leave && (rc = xp_read(&xr)) == 1) {
		enum xp_ns ns = xp_ns(&xr);
		const char *n = xp_local(&xr);
		bool prop = (ns == XP_NS_DC && (strcmp(n, "title") == 0 ||
		    strcmp(n, "subject") == 0 || strcmp(n, "description") ==
		    0)) || (ns == XP_NS_META && strcmp(n, "keyword") == 0);

		if (xp_type(&xr) == XML_READER_TYPE_ELEMENT && prop &&
		    !xp_empty(&xr))
			in = true;
		else if (xp_type(&xr) == XML_READER_TYPE_END_ELEMENT && prop) {
			xp_emit(&o, l, DOC_ZONE_META, NULL, 0);
			in = false;
		} else if (in && (t = xp_text(&xr)) != NULL)
			xp_line_add(l, t, strlen(t), &run, 0);
	}
	free(l);
	xp_reader_close(&xr);
	return rc < 0 && !pkg->ctx->stopped ? pkg->ctx->err : DOC_OK;
}

/* The manifest: which kind of document, and whether it is encrypted. */
static enum doc_err
od_manifest(struct xp_pkg *pkg, enum od_kind *kind)
{
	struct xp_reader xr;
	char path[XP_NAME_MAX], type[128];
	enum doc_err e;
	int rc = 0;

	path[0] = '\0';
	if ((e = xp_reader_open(pkg, "META-INF/manifest.xml", false, &xr)) !=
	    DOC_OK)
		return e;
	while ((rc = xp_read(&xr)) == 1) {
		if (xp_start(&xr, XP_NS_MANIFEST, "file-entry")) {
			xp_attr(&xr, XP_NS_MANIFEST, "full-path", path,
			    sizeof(path));
			if (strcmp(path, "/") == 0 && xp_attr(&xr,
			    XP_NS_MANIFEST, "media-type", type, sizeof(type))) {
				if (strstr(type, "spreadsheet") != NULL)
					*kind = OD_SHEET;
				else if (strstr(type, "presentation") != NULL)
					*kind = OD_SLIDES;
			}
		} else if (xp_start(&xr, XP_NS_MANIFEST, "encryption-data") &&
		    (strcmp(path, "content.xml") == 0 ||
		    strcmp(path, "styles.xml") == 0)) {
			xp_reader_close(&xr);
			return doc_fail(pkg->ctx, DOC_ERR_ENCRYPTED,
			    "META-INF/manifest.xml: %s is encrypted", path);
		}
	}
	xp_reader_close(&xr);
	return rc < 0 ? pkg->ctx->err : DOC_OK;
}

enum doc_err
doc_extract_odf(struct doc_ctx *ctx, const unsigned char *buf, size_t len,
    const char *name)
{
	struct xp_pkg pkg;
	struct od_styles ss;
	enum od_kind kind = OD_TEXT;
	enum doc_err e;
	size_t i;

	(void)name;
	/* the mimetype entry, stored first, names the kind (the manifest
	 * too) */
	if (len > 38) {
		size_t m = len - 38 < 80 ? len - 38 : 80;

		if (memmem(buf + 38, m, "opendocument.spreadsheet", 24) != NULL)
			kind = OD_SHEET;
		else if (memmem(buf + 38, m, "opendocument.presentation", 25) !=
		    NULL)
			kind = OD_SLIDES;
	}
	if ((e = xp_open(&pkg, ctx, buf, len)) != DOC_OK)
		return e;
	memset(&ss, 0, sizeof(ss));
	for (i = 0; i < FAM_COUNT; i++)
		xp_props_init(&ss.defaults[i]);
	if ((e = od_manifest(&pkg, &kind)) != DOC_OK)
		goto out;
	if ((e = od_part(&pkg, &ss, kind, "styles.xml", false)) != DOC_OK)
		goto out;
	if ((e = od_part(&pkg, &ss, kind, "content.xml", true)) != DOC_OK)
		goto out;
	e = od_meta(&pkg);
out:
	free(ss.named);
	free(ss.autos);
	xp_hash_free(&ss.hnamed);
	xp_hash_free(&ss.hautos);
	xp_close(&pkg);
	if (ctx->err == DOC_ERR_TIMEOUT)
		return DOC_ERR_TIMEOUT;
	return e;
}
