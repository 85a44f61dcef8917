/*
 * extract_ooxml.c — lines of Office Open XML packages (ECMA-376) for the
 * classified-document finder (doc.h): the package ([Content_Types].xml,
 * relationships, properties), Word (.docx .docm .dotx: headers and text
 * boxes before the body, left once the detector has its first page) and
 * PowerPoint (.pptx), whose DrawingML text reader Excel's drawings use
 * too. Excel is in extract_xlsx.c; what the two share, in ooxml.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "secrets/doc.h"
#include "secrets/ooxml.h"
#include "secrets/xmlpart.h"

#define OX_MAX_STACK 8		/* nested paragraphs (text box in text) */
#define OX_MAX_STYLES 4096
#define OX_STYLE_CHAIN 10	/* basedOn links followed */

enum ox_app { OX_UNKNOWN, OX_WORD, OX_SHEET, OX_SLIDES };

/* --- relationships ------------------------------------------------------ */

void
ox_rels_free(struct ox_rels *rs)
{
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

static void
rels_path(const char *part, char *out, size_t outlen)
{
	const char *slash = strrchr(part, '/');

	if (part[0] == '\0')
		snprintf(out, outlen, "_rels/.rels");
	else if (slash == NULL)
		snprintf(out, outlen, "_rels/%s.rels", part);
	else
		snprintf(out, outlen, "%.*s/_rels/%s.rels", (int)(slash - part),
		    part, slash + 1);
}

enum doc_err
ox_rels_read(struct xp_pkg *pkg, const char *part, struct ox_rels *rs)
{
	struct xp_reader xr;
	char path[XP_NAME_MAX + 16], type[256], target[XP_NAME_MAX], mode[32];
	const char *seg;
	size_t max = pkg->ctx->lim != NULL ? pkg->ctx->lim->max_entries : 10000;
	enum doc_err e;
	int rc;

	memset(rs, 0, sizeof(*rs));
	rels_path(part, path, sizeof(path));
	if (xp_find(pkg, path) < 0)
		return DOC_OK;
	if ((e = xp_reader_open(pkg, path, true, &xr)) != DOC_OK)
		return e;
	while ((rc = xp_read(&xr)) == 1) {
		struct ox_rel *r;

		if (!xp_start(&xr, XP_NS_PKGREL, "Relationship"))
			continue;
		if (xp_attr(&xr, XP_NS_NONE, "TargetMode", mode, sizeof(mode)) &&
		    strcasecmp(mode, "External") == 0)
			continue;
		if (rs->n == max) {
			xp_reader_close(&xr);
			ox_rels_free(rs);
			return doc_fail(pkg->ctx, DOC_ERR_TOO_MANY, "%s: over "
			    "%zu relationships", path, max);
		}
		if (rs->n == rs->cap) {
			size_t cap = rs->cap == 0 ? 16 : rs->cap * 2;
			struct ox_rel *v = realloc(rs->v, cap * sizeof(*v));

			if (v == NULL) {
				xp_reader_close(&xr);
				ox_rels_free(rs);
				return doc_fail(pkg->ctx, DOC_ERR_NOMEM, "%s",
				    path);
			}
			rs->v = v;
			rs->cap = cap;
		}
		r = &rs->v[rs->n];
		xp_attr(&xr, XP_NS_NONE, "Id", r->id, sizeof(r->id));
		xp_attr(&xr, XP_NS_NONE, "Type", type, sizeof(type));
		seg = strrchr(type, '/');
		xp_copy(r->type, sizeof(r->type), seg != NULL ? seg + 1 : type);
		if (!xp_attr(&xr, XP_NS_NONE, "Target", target,
		    sizeof(target)) || !xp_resolve(part, target, r->target,
		    sizeof(r->target)))
			continue;
		rs->n++;
	}
	xp_reader_close(&xr);
	if (rc < 0) {
		ox_rels_free(rs);
		return pkg->ctx->err;
	}
	return DOC_OK;
}

const struct ox_rel *
ox_rels_id(const struct ox_rels *rs, const char *id)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].id, id) == 0)
			return &rs->v[i];
	return NULL;
}

const struct ox_rel *
ox_rels_type(const struct ox_rels *rs, const char *type)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].type, type) == 0)
			return &rs->v[i];
	return NULL;
}

/* The application a main part belongs to, from [Content_Types].xml. */
static enum doc_err
content_app(struct xp_pkg *pkg, const char *main, enum ox_app *app)
{
	struct xp_reader xr;
	char name[XP_NAME_MAX], ct[256];
	enum doc_err e;
	int rc;

	*app = OX_UNKNOWN;
	if ((e = xp_reader_open(pkg, "[Content_Types].xml", true, &xr)) !=
	    DOC_OK)
		return e;
	while ((rc = xp_read(&xr)) == 1) {
		if (!xp_start(&xr, XP_NS_CT, "Override") ||
		    !xp_attr(&xr, XP_NS_NONE, "PartName", name, sizeof(name)) ||
		    strcasecmp(name[0] == '/' ? name + 1 : name, main) != 0)
			continue;
		xp_attr(&xr, XP_NS_NONE, "ContentType", ct, sizeof(ct));
		if (strstr(ct, "wordprocessingml") != NULL ||
		    strstr(ct, "ms-word") != NULL)
			*app = OX_WORD;
		else if (strstr(ct, "spreadsheetml") != NULL ||
		    strstr(ct, "ms-excel") != NULL)
			*app = OX_SHEET;
		else if (strstr(ct, "presentationml") != NULL ||
		    strstr(ct, "ms-powerpoint") != NULL)
			*app = OX_SLIDES;
		break;
	}
	xp_reader_close(&xr);
	return rc < 0 ? pkg->ctx->err : DOC_OK;
}

/* --- document properties ------------------------------------------------ */

static void
read_core(struct xp_pkg *pkg, const struct ox_rels *pkgrels)
{
	const struct ox_rel *r = ox_rels_type(pkgrels, "core-properties");
	struct xp_reader xr;
	struct xp_out o;
	struct xp_line *l;
	struct xp_run run = {false, false, false, DOC_ENC_UNICODE};
	bool in = false;
	const char *t;

	if (r == NULL || pkg->ctx->stopped || (l = malloc(sizeof(*l))) == NULL)
		return;
	if (xp_reader_open(pkg, r->target, false, &xr) != DOC_OK) {
		free(l);
		return;
	}
	xp_out_start(&o, pkg->ctx, xr.name);
	xp_line_start(l, 0);
	while (!o.leave && xp_read(&xr) == 1) {
		enum xp_ns ns = xp_ns(&xr);
		const char *n = xp_local(&xr);
		bool prop = (ns == XP_NS_DC && (strcmp(n, "title") == 0 ||
		    strcmp(n, "subject") == 0 || strcmp(n, "description") ==
		    0)) || (ns == XP_NS_CP && (strcmp(n, "keywords") == 0 ||
		    strcmp(n, "category") == 0));

		if (xp_type(&xr) == XML_READER_TYPE_ELEMENT && prop &&
		    !xp_empty(&xr))
			in = true;
		else if (xp_type(&xr) == XML_READER_TYPE_END_ELEMENT && prop) {
			xp_emit(&o, l, DOC_ZONE_META, NULL, 0);
			in = false;
		} else if (in && (t = xp_text(&xr)) != NULL)
			xp_line_add(l, t, strlen(t), &run, 0);
	}
	xp_reader_close(&xr);
	free(l);
}

/* --- Word: styles ------------------------------------------------------- */

struct w_style {
	char id[64], based[64];
	struct xp_props p;
};

struct w_styles {
	struct w_style *v;
	size_t n, cap;
	struct xp_hash h;		/* by styleId */
	struct xp_props defaults;	/* docDefaults */
	char para_default[64];		/* the default paragraph style */
	unsigned body_sz;		/* half-points of ordinary text */
};

static const struct w_style *
style_find(const struct w_styles *ss, const char *id)
{
	size_t pos = 0, i;
	unsigned hv = xp_hash_str(id, 0);

	while (id[0] != '\0' && (i = xp_hash_next(&ss->h, hv, &pos)) != 0)
		if (strcmp(ss->v[i - 1].id, id) == 0)
			return &ss->v[i - 1];
	return NULL;
}

/* The formatting style id gives, following basedOn. */
static void
style_props(const struct w_styles *ss, const char *id, struct xp_props *p)
{
	const struct w_style *s;
	int n;

	xp_props_init(p);
	for (n = 0; n < OX_STYLE_CHAIN && (s = style_find(ss, id)) != NULL;
	    n++) {
		xp_props_inherit(p, &s->p);
		id = s->based;
	}
}

/* A border element (w:top, w:box, …) that draws a line. */
static bool
w_border(struct xp_reader *xr)
{
	char val[32];

	return xp_attr(xr, XP_NS_W, "val", val, sizeof(val)) &&
	    strcmp(val, "nil") != 0 && strcmp(val, "none") != 0;
}

/* Applies a run property element (inside w:rPr) to p. */
static void
w_rpr(struct xp_reader *xr, struct xp_props *p)
{
	const char *n = xp_local(xr);
	char val[64];
	bool has = xp_attr(xr, XP_NS_W, "val", val, sizeof(val));

	if (strcmp(n, "b") == 0)
		p->bold = !has || xp_on(val);
	else if (strcmp(n, "caps") == 0 || strcmp(n, "smallCaps") == 0)
		p->caps = (!has || xp_on(val)) ? 1 : (p->caps > 0 ? 1 : 0);
	else if (strcmp(n, "sz") == 0 && has)
		p->size = (unsigned)strtoul(val, NULL, 10);
	else if (strcmp(n, "rFonts") == 0) {
		if (xp_attr(xr, XP_NS_W, "hAnsi", val, sizeof(val)) ||
		    xp_attr(xr, XP_NS_W, "ascii", val, sizeof(val)) ||
		    xp_attr(xr, XP_NS_W, "cs", val, sizeof(val)))
			xp_copy(p->font, sizeof(p->font), val);
	}
}

/* Applies a paragraph property element (inside w:pPr) to p. */
static void
w_ppr(struct xp_reader *xr, struct xp_props *p)
{
	const char *n = xp_local(xr);
	char val[32];
	bool has = xp_attr(xr, XP_NS_W, "val", val, sizeof(val));

	if (strcmp(n, "jc") == 0 && has)
		p->center = strcmp(val, "center") == 0 ||
		    strcmp(val, "right") == 0 || strcmp(val, "end") == 0;
	else if (strcmp(n, "pageBreakBefore") == 0)
		p->pbreak = !has || xp_on(val);
}

static enum doc_err
styles_read(struct xp_pkg *pkg, const char *part, struct w_styles *ss)
{
	struct xp_reader xr;
	struct w_style *cur = NULL, *v;
	struct xp_props *into = NULL;
	bool in_ppr = false, in_bdr = false, defaults = false;
	char val[64];
	enum doc_err e;
	int rc;

	if ((e = xp_reader_open(pkg, part, false, &xr)) != DOC_OK)
		return e;
	while ((rc = xp_read(&xr)) == 1) {
		int t = xp_type(&xr);
		const char *n = xp_local(&xr);

		if (xp_ns(&xr) != XP_NS_W)
			continue;
		if (t == XML_READER_TYPE_END_ELEMENT) {
			if (strcmp(n, "style") == 0 || strcmp(n,
			    "docDefaults") == 0) {
				cur = NULL;
				into = NULL;
				defaults = false;
			} else if (strcmp(n, "pPr") == 0)
				in_ppr = false;
			else if (strcmp(n, "pBdr") == 0)
				in_bdr = false;
			continue;
		}
		if (t != XML_READER_TYPE_ELEMENT)
			continue;
		if (strcmp(n, "docDefaults") == 0 && !xp_empty(&xr)) {
			defaults = true;
			into = &ss->defaults;
		} else if (strcmp(n, "style") == 0 && !xp_empty(&xr) &&
		    (v = xp_grow(ss->v, &ss->cap, ss->n + 1, sizeof(*v),
		    OX_MAX_STYLES)) != NULL) {
			ss->v = v;
			cur = &ss->v[ss->n++];
			memset(cur, 0, sizeof(*cur));
			xp_props_init(&cur->p);
			into = &cur->p;
			xp_attr(&xr, XP_NS_W, "styleId", cur->id,
			    sizeof(cur->id));
			if (!xp_hash_add(&ss->h, xp_hash_str(cur->id, 0),
			    ss->n - 1))
				ss->n--;
			if (xp_attr(&xr, XP_NS_W, "default", val, sizeof(val)) &&
			    xp_on(val) && xp_attr(&xr, XP_NS_W, "type", val,
			    sizeof(val)) && strcmp(val, "paragraph") == 0)
				snprintf(ss->para_default,
				    sizeof(ss->para_default), "%s", cur->id);
		} else if (strcmp(n, "tblStylePr") == 0) {
			if ((rc = xp_skip(&xr)) != 1)
				break;
		} else if (into == NULL) {
			continue;
		} else if (strcmp(n, "basedOn") == 0 && cur != NULL) {
			xp_attr(&xr, XP_NS_W, "val", cur->based,
			    sizeof(cur->based));
		} else if (strcmp(n, "pPr") == 0 && !xp_empty(&xr)) {
			in_ppr = true;
		} else if (strcmp(n, "pBdr") == 0 && in_ppr && !xp_empty(&xr)) {
			in_bdr = true;
		} else if (in_bdr) {
			if (w_border(&xr))
				into->framed = 1;
		} else if (in_ppr) {
			w_ppr(&xr, into);
		} else {
			w_rpr(&xr, into);
		}
	}
	(void)defaults;
	xp_reader_close(&xr);
	if (rc < 0)
		return pkg->ctx->err;
	{
		struct xp_props p;

		style_props(ss, ss->para_default, &p);
		xp_props_inherit(&p, &ss->defaults);
		ss->body_sz = p.size;
	}
	return DOC_OK;
}

/* --- Word: paragraphs, tables, text boxes ------------------------------- */

struct w_level {
	struct xp_line line;
	struct xp_props pp;	/* paragraph formatting (style + direct) */
	struct xp_props rp;	/* the run being read */
	enum doc_zone zone;
	unsigned extra;		/* FRAMED of a box or bordered cell */
	bool in_ppr, in_bdr, in_sect, in_r, in_rpr, in_t, sect_break;
};

struct w_doc {
	struct doc_ctx *ctx;
	struct xp_reader *xr;
	struct xp_out out;
	const struct w_styles *ss;
	enum doc_zone base;
	unsigned page;
	bool paged;		/* breaks count (the main document) */
	bool page_text;		/* text since the last page break */
	struct w_level lv[OX_MAX_STACK];
	int nlv;
	int tbl, box, mc;
	bool tbl_framed[OX_MAX_STACK], tc_framed[OX_MAX_STACK];
	bool in_tblpr, in_tcpr, in_bdr;
	bool mc_taken[16];
};

static void
w_page_break(struct w_doc *w)
{
	if (w->paged && w->page_text) {
		w->page++;
		w->page_text = false;
	}
}

static struct xp_run
w_run(const struct w_doc *w, const struct w_level *lv)
{
	struct xp_run run;
	bool hcaps;
	unsigned body = w->ss->body_sz != 0 ? w->ss->body_sz : 20;
	unsigned sz = lv->rp.size != 0 ? lv->rp.size : body;

	run.enc = xp_font_enc(lv->rp.font, &hcaps);
	run.bold = lv->rp.bold > 0;
	run.caps = lv->rp.caps > 0 || hcaps;
	run.large = sz * 10 >= body * 12;
	return run;
}

static unsigned
w_flags(const struct w_level *lv)
{
	return lv->extra | (lv->pp.center > 0 ? DOC_F_CENTER : 0) |
	    (lv->pp.framed > 0 ? DOC_F_FRAMED : 0);
}

static void
w_emit(struct w_doc *w, struct w_level *lv)
{
	xp_emit(&w->out, &lv->line, lv->zone, NULL, w_flags(lv));
}

static void
w_add(struct w_doc *w, struct w_level *lv, const char *s, size_t n)
{
	struct xp_run run = w_run(w, lv);

	if (xp_line_mixes(&lv->line, s, n, &run))
		w_emit(w, lv);
	xp_line_add(&lv->line, s, n, &run, w->page);
	if (lv->line.text)
		w->page_text = true;
}

static void
w_para_start(struct w_doc *w)
{
	struct w_level *lv = &w->lv[w->nlv++];

	memset(lv, 0, sizeof(*lv));
	xp_line_start(&lv->line, 0);
	style_props(w->ss, w->ss->para_default, &lv->pp);
	xp_props_inherit(&lv->pp, &w->ss->defaults);
	lv->zone = w->base;
	if (w->box > 0) {
		lv->extra = DOC_F_FRAMED;
		if (w->base == DOC_ZONE_BODY)
			lv->zone = DOC_ZONE_BOX;
	} else if (w->tbl > 0) {
		if (w->tc_framed[w->tbl - 1])
			lv->extra = DOC_F_FRAMED;
		if (w->base == DOC_ZONE_BODY)
			lv->zone = DOC_ZONE_TABLE;
	}
}

/* An element start inside a paragraph's properties. */
static void
w_in_ppr(struct w_doc *w, struct w_level *lv, const char *n)
{
	struct xp_reader *xr = w->xr;
	char val[64];

	if (lv->in_sect) {
		if (strcmp(n, "type") == 0 && xp_attr(xr, XP_NS_W, "val", val,
		    sizeof(val)) && strcmp(val, "continuous") == 0)
			lv->sect_break = false;
	} else if (lv->in_bdr) {
		if (w_border(xr))
			lv->pp.framed = 1;
	} else if (strcmp(n, "pStyle") == 0) {
		if (xp_attr(xr, XP_NS_W, "val", val, sizeof(val))) {
			style_props(w->ss, val, &lv->pp);
			xp_props_inherit(&lv->pp, &w->ss->defaults);
		}
	} else if (strcmp(n, "pBdr") == 0) {
		lv->in_bdr = !xp_empty(xr);
	} else if (strcmp(n, "sectPr") == 0) {
		lv->sect_break = true;
		lv->in_sect = !xp_empty(xr);
	} else if (strcmp(n, "rPr") == 0) {
		xp_skip(xr);	/* the paragraph mark's run */
	} else {
		w_ppr(xr, &lv->pp);
		if (strcmp(n, "pageBreakBefore") == 0 && lv->pp.pbreak > 0)
			w_page_break(w);
	}
}

/* An element start inside a run. */
static void
w_in_run(struct w_doc *w, struct w_level *lv, const char *n)
{
	struct xp_reader *xr = w->xr;
	char val[64];

	if (lv->in_rpr) {
		if (strcmp(n, "rStyle") == 0 && xp_attr(xr, XP_NS_W, "val", val,
		    sizeof(val))) {
			struct xp_props cp;

			style_props(w->ss, val, &cp);
			/* a character style's own properties win over the
			 * paragraph's, direct ones (after it) over both */
			xp_props_inherit(&cp, &lv->rp);
			lv->rp = cp;
		} else
			w_rpr(xr, &lv->rp);
	} else if (strcmp(n, "rPr") == 0) {
		lv->in_rpr = !xp_empty(xr);
	} else if (strcmp(n, "t") == 0) {
		lv->in_t = !xp_empty(xr);
	} else if (strcmp(n, "tab") == 0) {
		w_add(w, lv, "\t", 1);
	} else if (strcmp(n, "noBreakHyphen") == 0) {
		w_add(w, lv, "-", 1);
	} else if (strcmp(n, "lastRenderedPageBreak") == 0) {
		w_page_break(w);
	} else if (strcmp(n, "br") == 0 || strcmp(n, "cr") == 0) {
		if (xp_attr(xr, XP_NS_W, "type", val, sizeof(val)) &&
		    strcmp(val, "page") == 0)
			w_page_break(w);
		else if (strcmp(val, "column") != 0)
			w_emit(w, lv);	/* a line break: a line of its own */
	} else if (strcmp(n, "delText") == 0 || strcmp(n, "instrText") == 0) {
		xp_skip(xr);
	}
}

static void
w_start(struct w_doc *w, const char *n)
{
	struct xp_reader *xr = w->xr;
	struct w_level *lv = w->nlv > 0 ? &w->lv[w->nlv - 1] : NULL;
	bool empty = xp_empty(xr);
	char val[32];

	if (strcmp(n, "p") == 0) {
		if (empty)
			return;
		if (w->nlv == OX_MAX_STACK) {
			xp_skip(xr);
			return;
		}
		w_para_start(w);
	} else if (strcmp(n, "txbxContent") == 0) {
		if (!empty)
			w->box++;
	} else if (strcmp(n, "tbl") == 0) {
		if (empty)
			return;
		if (w->tbl == OX_MAX_STACK) {
			xp_skip(xr);
			return;
		}
		w->tbl_framed[w->tbl] = w->tc_framed[w->tbl] = false;
		w->tbl++;
	} else if (w->tbl > 0 && strcmp(n, "tc") == 0) {
		w->tc_framed[w->tbl - 1] = w->tbl_framed[w->tbl - 1];
	} else if (w->tbl > 0 && strcmp(n, "tblPr") == 0) {
		w->in_tblpr = !empty;
	} else if (w->tbl > 0 && strcmp(n, "tcPr") == 0) {
		w->in_tcpr = !empty;
	} else if ((w->in_tblpr && strcmp(n, "tblBorders") == 0) ||
	    (w->in_tcpr && strcmp(n, "tcBorders") == 0)) {
		w->in_bdr = !empty;
		if (w->in_tcpr)
			w->tc_framed[w->tbl - 1] = false;
	} else if (w->in_bdr) {
		if (w_border(xr))
			w->tc_framed[w->tbl - 1] = w->in_tcpr ? true :
			    (w->tbl_framed[w->tbl - 1] = true);
	} else if ((strcmp(n, "footnote") == 0 || strcmp(n, "endnote") == 0) &&
	    xp_attr(xr, XP_NS_W, "type", val, sizeof(val)) &&
	    strcmp(val, "normal") != 0) {
		xp_skip(xr);	/* separators */
	} else if (strcmp(n, "sdtPr") == 0 || (lv == NULL &&
	    strcmp(n, "sectPr") == 0)) {
		xp_skip(xr);
	} else if (lv != NULL && lv->in_ppr) {
		w_in_ppr(w, lv, n);
	} else if (lv != NULL && strcmp(n, "pPr") == 0) {
		lv->in_ppr = !empty;
	} else if (lv != NULL && strcmp(n, "r") == 0) {
		if (empty)
			return;
		lv->in_r = true;
		lv->in_rpr = lv->in_t = false;
		lv->rp = lv->pp;
	} else if (lv != NULL && lv->in_r) {
		w_in_run(w, lv, n);
	}
}

static void
w_end(struct w_doc *w, const char *n)
{
	struct w_level *lv = w->nlv > 0 ? &w->lv[w->nlv - 1] : NULL;

	if (strcmp(n, "p") == 0 && lv != NULL) {
		w_emit(w, lv);
		if (lv->sect_break)
			w_page_break(w);
		w->nlv--;
	} else if (strcmp(n, "txbxContent") == 0) {
		if (w->box > 0)
			w->box--;
	} else if (strcmp(n, "tbl") == 0) {
		if (w->tbl > 0)
			w->tbl--;
	} else if (strcmp(n, "tblPr") == 0) {
		w->in_tblpr = false;
	} else if (strcmp(n, "tcPr") == 0) {
		w->in_tcpr = false;
	} else if (strcmp(n, "tblBorders") == 0 || strcmp(n, "tcBorders") ==
	    0) {
		w->in_bdr = false;
	} else if (lv == NULL) {
		return;
	} else if (strcmp(n, "pPr") == 0) {
		lv->in_ppr = lv->in_bdr = lv->in_sect = false;
	} else if (strcmp(n, "pBdr") == 0) {
		lv->in_bdr = false;
	} else if (strcmp(n, "sectPr") == 0) {
		lv->in_sect = false;
	} else if (strcmp(n, "r") == 0) {
		lv->in_r = lv->in_rpr = lv->in_t = false;
	} else if (strcmp(n, "rPr") == 0) {
		lv->in_rpr = false;
	} else if (strcmp(n, "t") == 0) {
		lv->in_t = false;
	}
}

/* mc:AlternateContent: the first branch only (Choice, else Fallback). */
static void
w_mc(struct w_doc *w, const char *n, bool start)
{
	if (strcmp(n, "AlternateContent") == 0) {
		if (start && !xp_empty(w->xr)) {
			if (w->mc < (int)sizeof(w->mc_taken))
				w->mc_taken[w->mc] = false;
			w->mc++;
		} else if (!start && w->mc > 0)
			w->mc--;
	} else if (start && (strcmp(n, "Choice") == 0 ||
	    strcmp(n, "Fallback") == 0) && w->mc > 0) {
		int i = w->mc - 1;

		if (i >= (int)sizeof(w->mc_taken) || w->mc_taken[i])
			xp_skip(w->xr);
		else
			w->mc_taken[i] = true;
	}
}

/* Reads one part of a Word document (document, header, footer, notes). */
static enum doc_err
w_part(struct xp_pkg *pkg, const struct w_styles *ss, const char *part,
    enum doc_zone base)
{
	struct xp_reader xr;
	struct w_doc *w;
	enum doc_err e;
	const char *t;
	int rc;

	if (pkg->ctx->stopped)
		return DOC_OK;
	if ((e = xp_reader_open(pkg, part, base == DOC_ZONE_BODY, &xr)) !=
	    DOC_OK)
		return e;
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		xp_reader_close(&xr);
		return doc_fail(pkg->ctx, DOC_ERR_NOMEM, "%s", part);
	}
	w->ctx = pkg->ctx;
	w->xr = &xr;
	w->ss = ss;
	w->base = base;
	w->paged = base == DOC_ZONE_BODY;
	w->page = base == DOC_ZONE_NOTE ? 0 : 1;
	xp_out_start(&w->out, pkg->ctx, xr.name);
	while (!w->out.leave && (rc = xp_read(&xr)) == 1) {
		int type = xp_type(&xr);
		enum xp_ns ns;

		if ((t = xp_text(&xr)) != NULL) {
			if (w->nlv > 0 && w->lv[w->nlv - 1].in_t)
				w_add(w, &w->lv[w->nlv - 1], t, strlen(t));
			continue;
		}
		if (type != XML_READER_TYPE_ELEMENT &&
		    type != XML_READER_TYPE_END_ELEMENT)
			continue;
		ns = xp_ns(&xr);
		if (ns == XP_NS_MC)
			w_mc(w, xp_local(&xr), type == XML_READER_TYPE_ELEMENT);
		else if (ns != XP_NS_W)
			continue;
		else if (type == XML_READER_TYPE_ELEMENT)
			w_start(w, xp_local(&xr));
		else
			w_end(w, xp_local(&xr));
	}
	e = rc < 0 && !w->out.leave ? pkg->ctx->err : DOC_OK;
	if (e == DOC_ERR_TIMEOUT && pkg->ctx->stopped)
		e = DOC_OK;
	free(w);
	xp_reader_close(&xr);
	return e;
}

static enum doc_err
read_word(struct xp_pkg *pkg, const char *main)
{
	static const struct {
		const char *type;
		enum doc_zone zone;
	} after[] = {
		{"footer", DOC_ZONE_FOOTER}, {"comments", DOC_ZONE_NOTE},
		{"footnotes", DOC_ZONE_NOTE}, {"endnotes", DOC_ZONE_NOTE},
	};
	struct ox_rels rs;
	struct w_styles ss;
	const struct ox_rel *st;
	enum doc_err e;
	size_t i, k;

	memset(&ss, 0, sizeof(ss));
	xp_props_init(&ss.defaults);
	if ((e = ox_rels_read(pkg, main, &rs)) != DOC_OK)
		return e;
	if ((st = ox_rels_type(&rs, "styles")) != NULL &&
	    (e = styles_read(pkg, st->target, &ss)) != DOC_OK)
		goto out;
	/* headers first: a stamp there stands on every page */
	for (i = 0; i < rs.n && e == DOC_OK; i++)
		if (strcmp(rs.v[i].type, "header") == 0)
			e = w_part(pkg, &ss, rs.v[i].target, DOC_ZONE_HEADER);
	if (e == DOC_OK)
		e = w_part(pkg, &ss, main, DOC_ZONE_BODY);
	for (k = 0; k < sizeof(after) / sizeof(after[0]); k++)
		for (i = 0; i < rs.n && e == DOC_OK; i++)
			if (strcmp(rs.v[i].type, after[k].type) == 0)
				e = w_part(pkg, &ss, rs.v[i].target,
				    after[k].zone);
out:
	free(ss.v);
	xp_hash_free(&ss.h);
	ox_rels_free(&rs);
	return e;
}

/* --- DrawingML text: slides, notes, spreadsheet drawings ---------------- */

enum d_shape { D_NONE, D_BOX, D_TITLE, D_BODY, D_FOOTER };

struct d_doc {
	struct xp_reader *xr;
	struct xp_out out;
	struct xp_line *line;
	enum doc_zone base;	/* BODY for slides, NOTE, BOX for drawings */
	unsigned page;
	enum d_shape shape;
	bool framed, in_sppr, in_ln, in_p, in_r, in_t;
	int tbl;
	unsigned pflags;
	struct xp_run run;
};

static void
d_emit(struct d_doc *d)
{
	enum doc_zone zone = d->base;
	unsigned flags = d->pflags;

	if (d->base == DOC_ZONE_BODY) {
		switch (d->shape) {
		case D_TITLE:
			flags |= DOC_F_LARGE;
			break;
		case D_BODY:
			break;
		case D_FOOTER:
			zone = DOC_ZONE_FOOTER;
			break;
		default:
			zone = DOC_ZONE_BOX;
			if (d->framed)
				flags |= DOC_F_FRAMED;
		}
	} else if (d->base == DOC_ZONE_BOX && d->framed)
		flags |= DOC_F_FRAMED;
	if (d->tbl > 0 && zone != DOC_ZONE_NOTE)
		zone = DOC_ZONE_TABLE;
	xp_emit(&d->out, d->line, zone, NULL, flags);
}

static void
d_start_a(struct d_doc *d, const char *n)
{
	struct xp_reader *xr = d->xr;
	char val[64];
	bool caps;

	if (strcmp(n, "p") == 0) {
		xp_line_start(d->line, 0);
		d->pflags = 0;
		d->in_p = !xp_empty(xr);
	} else if (strcmp(n, "pPr") == 0 && d->in_p) {
		if (xp_attr(xr, XP_NS_NONE, "algn", val, sizeof(val)) &&
		    (strcmp(val, "ctr") == 0 || strcmp(val, "r") == 0))
			d->pflags |= DOC_F_CENTER;
	} else if ((strcmp(n, "r") == 0 || strcmp(n, "fld") == 0) && d->in_p) {
		memset(&d->run, 0, sizeof(d->run));
		d->in_r = !xp_empty(xr);
	} else if (strcmp(n, "rPr") == 0 && d->in_r) {
		if (xp_attr(xr, XP_NS_NONE, "b", val, sizeof(val)))
			d->run.bold = xp_on(val);
		if (xp_attr(xr, XP_NS_NONE, "cap", val, sizeof(val)))
			d->run.caps = strcmp(val, "none") != 0;
		if (xp_attr(xr, XP_NS_NONE, "sz", val, sizeof(val)))
			d->run.large = strtoul(val, NULL, 10) >= 2400;
	} else if ((strcmp(n, "latin") == 0 || strcmp(n, "cs") == 0) &&
	    d->in_r && d->run.enc == DOC_ENC_UNICODE) {
		if (xp_attr(xr, XP_NS_NONE, "typeface", val, sizeof(val))) {
			d->run.enc = xp_font_enc(val, &caps);
			d->run.caps = d->run.caps || caps;
		}
	} else if (strcmp(n, "t") == 0 && d->in_r) {
		d->in_t = !xp_empty(xr);
	} else if (strcmp(n, "br") == 0 && d->in_p) {
		d_emit(d);
	} else if (strcmp(n, "ln") == 0 && d->in_sppr) {
		d->in_ln = !xp_empty(xr);
	} else if (d->in_ln && (strcmp(n, "solidFill") == 0 ||
	    strcmp(n, "gradFill") == 0 || strcmp(n, "pattFill") == 0)) {
		d->framed = true;
	} else if (strcmp(n, "lnRef") == 0 && xp_attr(xr, XP_NS_NONE, "idx",
	    val, sizeof(val)) && strcmp(val, "0") != 0) {
		d->framed = true;
	} else if (strcmp(n, "tbl") == 0 && !xp_empty(xr)) {
		d->tbl++;
	}
}

static void
d_end_a(struct d_doc *d, const char *n)
{
	if (strcmp(n, "p") == 0 && d->in_p) {
		d_emit(d);
		d->in_p = false;
	} else if (strcmp(n, "r") == 0 || strcmp(n, "fld") == 0) {
		d->in_r = d->in_t = false;
	} else if (strcmp(n, "t") == 0) {
		d->in_t = false;
	} else if (strcmp(n, "ln") == 0) {
		d->in_ln = false;
	} else if (strcmp(n, "tbl") == 0 && d->tbl > 0) {
		d->tbl--;
	}
}

/* Shape structure (p: in slides, xdr: in spreadsheet drawings). */
static void
d_shape(struct d_doc *d, const char *n, bool start)
{
	char val[32];

	if (strcmp(n, "sp") == 0 || strcmp(n, "graphicFrame") == 0 ||
	    strcmp(n, "cxnSp") == 0) {
		d->shape = D_BOX;
		d->framed = false;
	} else if (strcmp(n, "spPr") == 0) {
		d->in_sppr = start && !xp_empty(d->xr);
	} else if (start && strcmp(n, "ph") == 0) {
		if (!xp_attr(d->xr, XP_NS_NONE, "type", val, sizeof(val)))
			d->shape = D_BODY;
		else if (strcmp(val, "title") == 0 ||
		    strcmp(val, "ctrTitle") == 0)
			d->shape = D_TITLE;
		else if (strcmp(val, "ftr") == 0 || strcmp(val, "dt") == 0 ||
		    strcmp(val, "sldNum") == 0)
			d->shape = D_FOOTER;
		else
			d->shape = D_BODY;
	}
}

enum doc_err
ox_drawing_part(struct xp_pkg *pkg, const char *part, enum doc_zone base,
    unsigned page)
{
	struct xp_reader xr;
	struct d_doc d;
	enum doc_err e;
	const char *t;
	int rc;

	if (pkg->ctx->stopped)
		return DOC_OK;
	if ((e = xp_reader_open(pkg, part, false, &xr)) != DOC_OK)
		return e;
	memset(&d, 0, sizeof(d));
	if ((d.line = malloc(sizeof(*d.line))) == NULL) {
		xp_reader_close(&xr);
		return doc_fail(pkg->ctx, DOC_ERR_NOMEM, "%s", part);
	}
	xp_line_start(d.line, 0);
	d.xr = &xr;
	d.base = base;
	d.page = page;
	xp_out_start(&d.out, pkg->ctx, xr.name);
	while (!d.out.leave && (rc = xp_read(&xr)) == 1) {
		int type = xp_type(&xr);
		enum xp_ns ns;

		if ((t = xp_text(&xr)) != NULL) {
			if (d.in_t) {
				if (xp_line_mixes(d.line, t, strlen(t), &d.run))
					d_emit(&d);
				xp_line_add(d.line, t, strlen(t), &d.run,
				    d.page);
			}
			continue;
		}
		if (type != XML_READER_TYPE_ELEMENT &&
		    type != XML_READER_TYPE_END_ELEMENT)
			continue;
		ns = xp_ns(&xr);
		if (ns == XP_NS_A && type == XML_READER_TYPE_ELEMENT)
			d_start_a(&d, xp_local(&xr));
		else if (ns == XP_NS_A)
			d_end_a(&d, xp_local(&xr));
		else if (ns == XP_NS_P || ns == XP_NS_XDR)
			d_shape(&d, xp_local(&xr), type ==
			    XML_READER_TYPE_ELEMENT);
	}
	e = rc < 0 && !d.out.leave ? pkg->ctx->err : DOC_OK;
	if (e == DOC_ERR_TIMEOUT && pkg->ctx->stopped)
		e = DOC_OK;
	free(d.line);
	xp_reader_close(&xr);
	return e;
}

/* --- PowerPoint --------------------------------------------------------- */

static enum doc_err
read_slides(struct xp_pkg *pkg, const char *main)
{
	struct ox_rels rs, srs;
	struct xp_reader xr;
	const struct ox_rel *r, *nr;
	char id[64];
	unsigned page = 0;
	enum doc_err e;
	int rc;

	if ((e = ox_rels_read(pkg, main, &rs)) != DOC_OK)
		return e;
	if ((e = xp_reader_open(pkg, main, true, &xr)) != DOC_OK) {
		ox_rels_free(&rs);
		return e;
	}
	while (!pkg->ctx->stopped && (rc = xp_read(&xr)) == 1) {
		if (!xp_start(&xr, XP_NS_P, "sldId") || !xp_attr(&xr, XP_NS_R,
		    "id", id, sizeof(id)) || (r = ox_rels_id(&rs, id)) == NULL)
			continue;
		page++;
		if ((e = ox_drawing_part(pkg, r->target, DOC_ZONE_BODY,
		    page)) != DOC_OK)
			break;
		if ((e = ox_rels_read(pkg, r->target, &srs)) != DOC_OK)
			break;
		if ((nr = ox_rels_type(&srs, "notesSlide")) != NULL)
			e = ox_drawing_part(pkg, nr->target, DOC_ZONE_NOTE,
			    page);
		ox_rels_free(&srs);
		if (e != DOC_OK)
			break;
	}
	if (e == DOC_OK && rc < 0 && !pkg->ctx->stopped)
		e = pkg->ctx->err;
	xp_reader_close(&xr);
	ox_rels_free(&rs);
	return e;
}

/* --- the package -------------------------------------------------------- */

enum doc_err
doc_extract_ooxml(struct doc_ctx *ctx, const unsigned char *buf, size_t len,
    const char *name)
{
	struct xp_pkg pkg;
	struct ox_rels rs;
	const struct ox_rel *main;
	enum ox_app app;
	enum doc_err e;

	(void)name;
	if ((e = xp_open(&pkg, ctx, buf, len)) != DOC_OK)
		return e;
	if ((e = ox_rels_read(&pkg, "", &rs)) != DOC_OK) {
		xp_close(&pkg);
		return e;
	}
	if ((main = ox_rels_type(&rs, "officeDocument")) == NULL) {
		e = doc_fail(ctx, xp_find(&pkg, "EncryptionInfo") >= 0 ?
		    DOC_ERR_ENCRYPTED : DOC_ERR_CORRUPT, "_rels/.rels: no "
		    "main document");
		goto out;
	}
	if ((e = content_app(&pkg, main->target, &app)) != DOC_OK)
		goto out;
	switch (app) {
	case OX_WORD:
		e = read_word(&pkg, main->target);
		break;
	case OX_SHEET:
		e = ox_read_sheets(&pkg, main->target);
		break;
	case OX_SLIDES:
		e = read_slides(&pkg, main->target);
		break;
	case OX_UNKNOWN:
		e = doc_fail(ctx, DOC_ERR_UNSUPPORTED, "%s: not a Word, Excel "
		    "or PowerPoint part", main->target);
		break;
	}
	if (e == DOC_OK && !ctx->stopped)
		read_core(&pkg, &rs);
out:
	ox_rels_free(&rs);
	xp_close(&pkg);
	if (e == DOC_ERR_TIMEOUT || ctx->err == DOC_ERR_TIMEOUT)
		return DOC_ERR_TIMEOUT;
	return e;
}
