/*
 * gen_ole2.c — the legacy Office writers of the finder's test corpus
 * (gen.h): real compound files written with libgsf, holding
 *   .doc  a Word 97 document: FIB, 1Table with the font table, one piece
 *         (UTF-16 for Unicode text, 8-bit for legacy-font bytes), CHPX
 *         runs naming the font (.VnTime, .VnTimeH, VNI-Times) and bold,
 *         the header story split by PlcfHdd, the text-box story;
 *   .xls  a BIFF8 workbook: fonts and cell formats, one sheet per page,
 *         the shared strings (split over CONTINUE records as Excel does),
 *         LABELSST cells, the page header;
 *   .ppt  a PowerPoint 97 presentation: one slide per page with its
 *         title and body in the SlideListWithText, text boxes in the
 *         slide's drawing, the persist directory and Current User.
 * catdoc, xls2csv and catppt read them (the benchmark's pipeline does).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsf/gsf.h>

#include "gen.h"

/* --- bytes ----------------------------------------------------------------- */

struct ob {
	unsigned char *p;
	size_t len, cap;
};

static void
ob_put(struct ob *b, const void *s, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;

		while (cap < b->len + n)
			cap *= 2;
		if ((b->p = realloc(b->p, cap)) == NULL)
			abort();
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void
ob_u8(struct ob *b, unsigned v)
{
	unsigned char c = (unsigned char)v;

	ob_put(b, &c, 1);
}

static void
ob_u16(struct ob *b, unsigned v)
{
	ob_u8(b, v & 0xFF);
	ob_u8(b, v >> 8 & 0xFF);
}

static void
ob_u32(struct ob *b, uint32_t v)
{
	ob_u16(b, v & 0xFFFF);
	ob_u16(b, v >> 16);
}

static void
ob_zero(struct ob *b, size_t n)
{
	while (n-- > 0)
		ob_u8(b, 0);
}

static void
ob_set16(struct ob *b, size_t at, unsigned v)
{
	b->p[at] = v & 0xFF;
	b->p[at + 1] = v >> 8 & 0xFF;
}

static void
ob_set32(struct ob *b, size_t at, uint32_t v)
{
	ob_set16(b, at, v & 0xFFFF);
	ob_set16(b, at + 2, v >> 16);
}

/* --- text of a paragraph ---------------------------------------------------- */

/* A paragraph's characters as code units: UTF-16 for the Unicode
 * encodings, the legacy bytes for TCVN3/VNI (eight is true). */
struct units {
	uint16_t *u;
	size_t n;
	bool eight;
};

static bool
legacy(enum gen_enc enc)
{
	return enc == GEN_ENC_TCVN3 || enc == GEN_ENC_VNI;
}

static void
para_units(const struct gen_doc *d, const struct gen_para *p,
    struct units *o)
{
	size_t len, i;
	unsigned char *b;
	bool caps = d->enc == GEN_ENC_TCVN3 && (p->flags & GEN_P_CAPS);

	o->eight = legacy(d->enc);
	b = gen_encode(p->text, o->eight ? d->enc : d->enc == GEN_ENC_NFD ?
	    GEN_ENC_NFD : GEN_ENC_NFC, caps, &len);
	if (b == NULL)
		abort();
	o->u = calloc(len + 1, sizeof(*o->u));
	if (o->u == NULL)
		abort();
	o->n = 0;
	if (o->eight) {
		for (i = 0; i < len; i++)
			o->u[o->n++] = b[i];
	} else {
		for (i = 0; i < len;) {
			uint32_t c = b[i];
			size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 :
			    4, j;

			if (k > 1)
				c &= 0x3F >> (k - 1);
			for (j = 1; j < k && i + j < len; j++)
				c = c << 6 | (b[i + j] & 0x3F);
			i += k;
			if (c >= 0x10000)
				c = 0xFFFD;
			o->u[o->n++] = (uint16_t)c;
		}
	}
	free(b);
}

/* --- the compound file -------------------------------------------------------- */

struct stream {
	const char *name;
	const struct ob *data;
};

static int
write_cfb(const char *path, const struct stream *s, size_t n,
    const char *title, char *err, size_t errlen)
{
	GsfOutput *out;
	GsfOutfile *ole;
	GsfOutput *child;
	GsfDocMetaData *md;
	GError *gerr = NULL;
	size_t i;
	bool ok = true;

	out = gsf_output_stdio_new(path, &gerr);
	if (out == NULL) {
		snprintf(err, errlen, "%s: %s", path, gerr != NULL ?
		    gerr->message : "cannot create");
		if (gerr != NULL)
			g_error_free(gerr);
		return -1;
	}
	ole = gsf_outfile_msole_new(out);
	g_object_unref(out);
	for (i = 0; i < n && ok; i++) {
		child = gsf_outfile_new_child(ole, s[i].name, FALSE);
		ok = child != NULL && gsf_output_write(child, s[i].data->len,
		    s[i].data->p) && gsf_output_close(child);
		if (child != NULL)
			g_object_unref(child);
	}
	if (ok && title != NULL) {
		GValue v = G_VALUE_INIT;

		md = gsf_doc_meta_data_new();
		g_value_init(&v, G_TYPE_STRING);
		g_value_set_string(&v, title);
		gsf_doc_meta_data_insert(md, g_strdup(GSF_META_NAME_TITLE),
		    g_memdup2(&v, sizeof(v)));
		child = gsf_outfile_new_child(ole, "\005SummaryInformation",
		    FALSE);
		ok = child != NULL && gsf_doc_meta_data_write_to_msole(md,
		    child, FALSE) && gsf_output_close(child);
		if (child != NULL)
			g_object_unref(child);
		g_object_unref(md);
	}
	if (!gsf_output_close(GSF_OUTPUT(ole)))
		ok = false;
	g_object_unref(ole);
	if (!ok) {
		snprintf(err, errlen, "%s: cannot write the compound file",
		    path);
		return -1;
	}
	return 0;
}

/* --- Word 97 ----------------------------------------------------------------- */

#define DOC_TEXT_AT	1024	/* where the text starts in WordDocument */
#define DOC_FIB_PAIRS	0x5D
#define DOC_FKP_RUNS	80

struct wrun {
	uint32_t fc, fcend;
	unsigned ftc;
	bool bold;
};

struct wdoc {
	struct ob text;		/* the characters, as stored */
	bool eight;
	uint32_t cp;		/* characters so far */
	struct wrun *run;
	size_t nrun, caprun;
};

static void
wd_char(struct wdoc *w, uint16_t u, unsigned ftc, bool bold)
{
	uint32_t fc = DOC_TEXT_AT + (uint32_t)w->text.len;
	struct wrun *r = w->nrun > 0 ? &w->run[w->nrun - 1] : NULL;

	if (w->eight)
		ob_u8(&w->text, u);
	else
		ob_u16(&w->text, u);
	w->cp++;
	if (r != NULL && r->ftc == ftc && r->bold == bold && r->fcend == fc) {
		r->fcend = DOC_TEXT_AT + (uint32_t)w->text.len;
		return;
	}
	if (w->nrun == w->caprun) {
		w->caprun = w->caprun ? w->caprun * 2 : 64;
		if ((w->run = realloc(w->run, w->caprun * sizeof(*w->run))) ==
		    NULL)
			abort();
	}
	r = &w->run[w->nrun++];
	r->fc = fc;
	r->fcend = DOC_TEXT_AT + (uint32_t)w->text.len;
	r->ftc = ftc;
	r->bold = bold;
}

/* The paragraphs standing at where, each ended by a paragraph mark. */
static uint32_t
wd_story(struct wdoc *w, const struct gen_doc *d, enum gen_where where)
{
	uint32_t start = w->cp;
	size_t i, j;

	for (i = 0; i < d->npara; i++) {
		const struct gen_para *p = &d->paras[i];
		struct units u;
		unsigned ftc = 0;
		bool bold = (p->flags & GEN_P_BOLD) != 0;

		if (p->where != where)
			continue;
		if (legacy(d->enc))
			ftc = d->enc == GEN_ENC_TCVN3 && (p->flags &
			    GEN_P_CAPS) ? 2 : 1;
		para_units(d, p, &u);
		if ((p->flags & GEN_P_PAGEBREAK) && where == GEN_BODY)
			wd_char(w, 0x0C, ftc, bold);
		for (j = 0; j < u.n; j++)
			wd_char(w, u.u[j] == '\r' || u.u[j] == '\n' ? ' ' :
			    u.u[j], ftc, bold);
		wd_char(w, '\r', ftc, bold);
		free(u.u);
	}
	return w->cp - start;
}

static void
ffn(struct ob *t, const char *name)
{
	size_t n = strlen(name), i;

	ob_u8(t, (unsigned)(40 + (n + 1) * 2 - 1));
	ob_u8(t, 0x16);			/* TrueType, variable pitch, roman */
	ob_u16(t, 400);
	ob_u8(t, 0);			/* ANSI */
	ob_u8(t, 0);
	ob_zero(t, 10 + 24);		/* panose, font signature */
	for (i = 0; i <= n; i++)
		ob_u16(t, (unsigned char)name[i]);
}

/* CHPX FKP pages after the text; the PlcBteChpx in t. */
static void
wd_fkps(struct wdoc *w, struct ob *wd, struct ob *t)
{
	size_t i, k, npg = (w->nrun + DOC_FKP_RUNS - 1) / DOC_FKP_RUNS;

	while (wd->len % 512 != 0)
		ob_u8(wd, 0);
	for (i = 0; i < npg; i++)
		ob_u32(t, w->run[i * DOC_FKP_RUNS].fc);
	ob_u32(t, w->run[w->nrun - 1].fcend);
	for (i = 0; i < npg; i++)
		ob_u32(t, (uint32_t)(wd->len / 512 + i));
	for (i = 0; i < npg; i++) {
		unsigned char pg[512];
		size_t crun = w->nrun - i * DOC_FKP_RUNS;
		unsigned v;

		if (crun > DOC_FKP_RUNS)
			crun = DOC_FKP_RUNS;
		memset(pg, 0, sizeof(pg));
		for (k = 0; k < crun; k++) {
			const struct wrun *r = &w->run[i * DOC_FKP_RUNS + k];

			pg[k * 4] = r->fc & 0xFF;
			pg[k * 4 + 1] = r->fc >> 8 & 0xFF;
			pg[k * 4 + 2] = r->fc >> 16 & 0xFF;
			pg[k * 4 + 3] = r->fc >> 24 & 0xFF;
			pg[(crun + 1) * 4 + k] = (unsigned char)((456 +
			    (r->ftc * 2 + r->bold) * 8) / 2);
			if (k + 1 == crun) {
				pg[crun * 4] = r->fcend & 0xFF;
				pg[crun * 4 + 1] = r->fcend >> 8 & 0xFF;
				pg[crun * 4 + 2] = r->fcend >> 16 & 0xFF;
				pg[crun * 4 + 3] = r->fcend >> 24 & 0xFF;
			}
		}
		/* six CHPX: font 0–2, bold or not */
		for (v = 0; v < 6; v++) {
			unsigned char *c = pg + 456 + v * 8;

			c[0] = 7;
			c[1] = 0x4F;		/* sprmCRgFtc0 */
			c[2] = 0x4A;
			c[3] = (unsigned char)(v / 2);
			c[4] = 0;
			c[5] = 0x35;		/* sprmCFBold */
			c[6] = 0x08;
			c[7] = (unsigned char)(v % 2);
		}
		pg[511] = (unsigned char)crun;
		ob_put(wd, pg, sizeof(pg));
	}
}

static void
fib_pair(struct ob *wd, unsigned i, uint32_t fc, uint32_t lcb)
{
	ob_set32(wd, 154 + i * 8, fc);
	ob_set32(wd, 154 + i * 8 + 4, lcb);
}

int
gen_doc_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	struct wdoc w;
	struct ob wd = {0}, t = {0};
	uint32_t ccp_text, ccp_ftn, ccp_hdd = 0, ccp_txbx, hdr, ftr, at;
	size_t textend;
	struct stream s[2];
	int rc;

	memset(&w, 0, sizeof(w));
	w.eight = legacy(d->enc);
	ccp_text = wd_story(&w, d, GEN_BODY);
	ccp_ftn = wd_story(&w, d, GEN_NOTE);
	hdr = wd_story(&w, d, GEN_HEADER);
	ftr = wd_story(&w, d, GEN_FOOTER);
	if (hdr + ftr > 0) {
		wd_char(&w, '\r', 0, false);
		ccp_hdd = hdr + ftr + 1;
	}
	ccp_txbx = wd_story(&w, d, GEN_BOX);
	if (ccp_txbx > 0) {
		wd_char(&w, '\r', 0, false);
		ccp_txbx++;
	}
	if (ccp_ftn + ccp_hdd + ccp_txbx > 0)
		wd_char(&w, '\r', 0, false);

	/* WordDocument: FIB, text, FKPs */
	ob_zero(&wd, DOC_TEXT_AT);
	ob_set16(&wd, 0, 0xA5EC);
	ob_set16(&wd, 2, 0x00C1);
	ob_set16(&wd, 6, 0x042A);
	ob_set16(&wd, 10, 0x0200 | 0x1000);	/* 1Table, fExtChar */
	ob_set16(&wd, 12, 0x00BF);
	ob_set16(&wd, 32, 14);
	ob_set16(&wd, 62, 22);
	ob_set32(&wd, 64 + 12, ccp_text);
	ob_set32(&wd, 64 + 16, ccp_ftn);
	ob_set32(&wd, 64 + 20, ccp_hdd);
	ob_set32(&wd, 64 + 36, ccp_txbx);
	ob_set16(&wd, 152, DOC_FIB_PAIRS);
	ob_put(&wd, w.text.p, w.text.len);
	textend = wd.len;
	ob_set32(&wd, 24, DOC_TEXT_AT);		/* fcMin, fcMac */
	ob_set32(&wd, 28, (uint32_t)textend);

	/* 1Table: fonts, PlcfHdd, PlcBteChpx, CLX */
	at = (uint32_t)t.len;
	ob_u16(&t, 3);
	ob_u16(&t, 0);
	ffn(&t, "Times New Roman");
	ffn(&t, legacy(d->enc) ? gen_font(d->enc, false) : "Arial");
	ffn(&t, legacy(d->enc) ? gen_font(d->enc, true) : "Arial");
	fib_pair(&wd, 15, at, (uint32_t)t.len - at);
	if (ccp_hdd > 0) {
		/* separators; even hdr, odd hdr, even ftr, odd ftr, first
		 * hdr, first ftr; end; guard */
		uint32_t cps[14] = { 0, 0, 0, 0, 0, 0, 0, 0, hdr, hdr,
		    hdr + ftr, hdr + ftr, hdr + ftr, hdr + ftr + 1 };
		size_t i;

		at = (uint32_t)t.len;
		for (i = 0; i < 14; i++)
			ob_u32(&t, cps[i]);
		fib_pair(&wd, 11, at, 14 * 4);
	}
	at = (uint32_t)t.len;
	wd_fkps(&w, &wd, &t);
	fib_pair(&wd, 12, at, (uint32_t)t.len - at);
	at = (uint32_t)t.len;
	ob_u8(&t, 0x02);
	ob_u32(&t, 4 * 2 + 8);
	ob_u32(&t, 0);
	ob_u32(&t, w.cp);
	ob_u16(&t, 0);
	ob_u32(&t, w.eight ? (DOC_TEXT_AT * 2) | 0x40000000u : DOC_TEXT_AT);
	ob_u16(&t, 0);
	fib_pair(&wd, 33, at, (uint32_t)t.len - at);
	ob_set32(&wd, 64, (uint32_t)wd.len);	/* cbMac */

	s[0].name = "WordDocument";
	s[0].data = &wd;
	s[1].name = "1Table";
	s[1].data = &t;
	rc = write_cfb(path, s, 2, d->title, err, errlen);
	free(w.text.p);
	free(w.run);
	free(wd.p);
	free(t.p);
	return rc;
}

bool
gen_doc_supports(enum gen_kind kind, enum gen_enc enc)
{
	(void)kind;
	return enc == GEN_ENC_NFC || enc == GEN_ENC_NFD ||
	    enc == GEN_ENC_TCVN3 || enc == GEN_ENC_VNI;
}

/* --- Excel 97 (BIFF8) ---------------------------------------------------------- */

#define XL_REC_MAX	8224	/* data bytes of one record */
#define XL_XF_CELL	16	/* first cell format of ours */

static size_t
xl_begin(struct ob *b, unsigned type)
{
	ob_u16(b, type);
	ob_u16(b, 0);
	return b->len;
}

static void
xl_end(struct ob *b, size_t at)
{
	ob_set16(b, at - 2, (unsigned)(b->len - at));
}

static void
xl_record(struct ob *b, unsigned type, const void *d, size_t n)
{
	ob_u16(b, type);
	ob_u16(b, (unsigned)n);
	ob_put(b, d, n);
}

static void
xl_bof(struct ob *b, unsigned dt)
{
	size_t at = xl_begin(b, 0x0809);

	ob_u16(b, 0x0600);
	ob_u16(b, dt);
	ob_u16(b, 0x0DBB);
	ob_u16(b, 0x07CC);
	ob_u32(b, 0x000080C9);
	ob_u32(b, 0x00000206);
	xl_end(b, at);
}

static void
xl_font(struct ob *b, const char *name, bool bold)
{
	size_t at = xl_begin(b, 0x0031), n = strlen(name);

	ob_u16(b, 240);
	ob_u16(b, 0);
	ob_u16(b, 0x7FFF);
	ob_u16(b, bold ? 700 : 400);
	ob_u16(b, 0);
	ob_u8(b, 0);
	ob_u8(b, 0);
	ob_u8(b, 0);
	ob_u8(b, 0);
	ob_u8(b, (unsigned)n);
	ob_u8(b, 0);
	ob_put(b, name, n);
	xl_end(b, at);
}

static void
xl_xf(struct ob *b, unsigned ifnt, bool style, bool center, bool framed)
{
	size_t at = xl_begin(b, 0x00E0);

	ob_u16(b, ifnt);
	ob_u16(b, 0);
	ob_u16(b, style ? 0xFFF5 : 0x0001);
	ob_u8(b, center ? 2 : 0);
	ob_u8(b, 0);
	ob_u8(b, 0);
	ob_u8(b, style ? 0 : 0xF8);
	if (framed) {
		ob_u32(b, 0x1111u | 0x40u << 16 | 0x40u << 23);
		ob_u32(b, 0x40u | 0x40u << 7);
	} else
		ob_zero(b, 8);
	ob_u16(b, 0x20C0);
	xl_end(b, at);
}

/* Shared strings, split over CONTINUE records: a string's header never
 * splits; its characters do, the next record starting with their option
 * byte. */
struct sst {
	struct ob *b;
	size_t at;		/* data start of the current record */
};

static void
sst_room(struct sst *s, size_t need, int grbit)
{
	if (s->b->len - s->at + need <= XL_REC_MAX)
		return;
	xl_end(s->b, s->at);
	s->at = xl_begin(s->b, 0x003C);
	if (grbit >= 0)
		ob_u8(s->b, (unsigned)grbit);
}

static void
sst_add(struct sst *s, const struct units *u)
{
	bool wide = false;
	size_t i, cs;

	for (i = 0; i < u->n; i++)
		if (u->u[i] > 0xFF)
			wide = true;
	cs = wide ? 2 : 1;
	sst_room(s, 3 + cs, -1);
	ob_u16(s->b, (unsigned)u->n);
	ob_u8(s->b, wide ? 1 : 0);
	for (i = 0; i < u->n; i++) {
		sst_room(s, cs, wide ? 1 : 0);
		if (wide)
			ob_u16(s->b, u->u[i]);
		else
			ob_u8(s->b, u->u[i]);
	}
}

/* XLUnicodeString of a header: "&C", the legacy font's code, the text. */
static void
xl_header(struct ob *b, unsigned type, const struct gen_doc *d,
    enum gen_where where)
{
	struct ob h = {0};
	size_t i, at;
	bool wide = false;

	for (i = 0; i < d->npara; i++) {
		const struct gen_para *p = &d->paras[i];
		struct units u;
		const char *font;
		size_t j;

		if (p->where != where)
			continue;
		if (h.len > 0)
			ob_u16(&h, '\n');
		ob_u16(&h, '&');
		ob_u16(&h, (p->flags & GEN_P_CENTER) ? 'C' : 'L');
		font = gen_font(d->enc, (p->flags & GEN_P_CAPS) != 0);
		if (font != NULL) {
			ob_u16(&h, '&');
			ob_u16(&h, '"');
			for (j = 0; font[j] != '\0'; j++)
				ob_u16(&h, (unsigned char)font[j]);
			for (j = 0; j < 6; j++)
				ob_u16(&h, (unsigned char)",Bold\""[j]);
		}
		para_units(d, p, &u);
		for (j = 0; j < u.n; j++) {
			ob_u16(&h, u.u[j]);
			if (u.u[j] > 0xFF)
				wide = true;
		}
		free(u.u);
	}
	if (h.len == 0)
		return;
	at = xl_begin(b, type);
	ob_u16(b, (unsigned)(h.len / 2));
	ob_u8(b, wide ? 1 : 0);
	for (i = 0; i < h.len; i += 2) {
		if (wide)
			ob_put(b, h.p + i, 2);
		else
			ob_u8(b, h.p[i]);
	}
	xl_end(b, at);
	free(h.p);
}

/* The format of a paragraph's cell. */
static unsigned
xl_cell_xf(const struct gen_doc *d, const struct gen_para *p)
{
	unsigned f = 0;

	if (legacy(d->enc))
		f = d->enc == GEN_ENC_TCVN3 && (p->flags & GEN_P_CAPS) ? 4 : 2;
	if (p->flags & GEN_P_BOLD)
		f++;
	return XL_XF_CELL + f * 4 + ((p->flags & GEN_P_CENTER) ? 2 : 0) +
	    ((p->flags & GEN_P_FRAMED) ? 1 : 0);
}

int
gen_xls_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	struct ob b = {0};
	struct sst s;
	struct stream st;
	size_t i, nsheet = 1, *bs, sheet, sst_at, nstr = 0, at;
	unsigned f;
	int rc;
	const char *fn = legacy(d->enc) ? gen_font(d->enc, false) : "Arial";
	const char *fh = legacy(d->enc) ? gen_font(d->enc, true) : "Arial";

	for (i = 0; i < d->npara; i++) {
		if (d->paras[i].where != GEN_HEADER && d->paras[i].where !=
		    GEN_FOOTER)
			nstr++;
		if (d->paras[i].where == GEN_BODY && (d->paras[i].flags &
		    GEN_P_PAGEBREAK))
			nsheet++;
	}
	if ((bs = calloc(nsheet, sizeof(*bs))) == NULL)
		abort();
	xl_bof(&b, 0x0005);
	xl_record(&b, 0x0042, "\xB0\x04", 2);		/* CODEPAGE 1200 */
	/* fonts 0–3, then 5–6 (index 4 does not exist) */
	xl_font(&b, "Times New Roman", false);
	xl_font(&b, "Times New Roman", true);
	xl_font(&b, fn, false);
	xl_font(&b, fn, true);
	xl_font(&b, fh, false);
	xl_font(&b, fh, true);
	for (i = 0; i < 15; i++)
		xl_xf(&b, 0, true, false, false);
	xl_xf(&b, 0, false, false, false);
	for (f = 0; f < 6; f++) {
		unsigned ifnt = f < 4 ? f : f + 1;

		xl_xf(&b, ifnt, false, false, false);
		xl_xf(&b, ifnt, false, false, true);
		xl_xf(&b, ifnt, false, true, false);
		xl_xf(&b, ifnt, false, true, true);
	}
	for (sheet = 0; sheet < nsheet; sheet++) {
		char name[32];

		snprintf(name, sizeof(name), "Trang %zu", sheet + 1);
		at = xl_begin(&b, 0x0085);
		bs[sheet] = b.len;
		ob_u32(&b, 0);
		ob_u8(&b, 0);
		ob_u8(&b, 0);
		ob_u8(&b, (unsigned)strlen(name));
		ob_u8(&b, 0);
		ob_put(&b, name, strlen(name));
		xl_end(&b, at);
	}
	s.b = &b;
	s.at = xl_begin(&b, 0x00FC);
	ob_u32(&b, (uint32_t)nstr);
	ob_u32(&b, (uint32_t)nstr);
	for (i = 0; i < d->npara; i++) {
		struct units u;

		if (d->paras[i].where == GEN_HEADER || d->paras[i].where ==
		    GEN_FOOTER)
			continue;
		para_units(d, &d->paras[i], &u);
		sst_add(&s, &u);
		free(u.u);
	}
	xl_end(&b, s.at);
	xl_record(&b, 0x000A, NULL, 0);

	/* the sheets: one per page of the document */
	sst_at = 0;
	i = 0;
	for (sheet = 0; sheet < nsheet; sheet++) {
		unsigned row = 0;
		bool first = true;

		ob_set32(&b, bs[sheet], (uint32_t)b.len);
		xl_bof(&b, 0x0010);
		xl_header(&b, 0x0014, d, GEN_HEADER);
		xl_header(&b, 0x0015, d, GEN_FOOTER);
		at = xl_begin(&b, 0x0200);
		ob_zero(&b, 14);
		xl_end(&b, at);
		for (; i < d->npara; i++) {
			const struct gen_para *p = &d->paras[i];

			if (p->where == GEN_HEADER || p->where == GEN_FOOTER)
				continue;
			if (!first && p->where == GEN_BODY &&
			    (p->flags & GEN_P_PAGEBREAK) && sheet + 1 < nsheet)
				break;
			first = false;
			at = xl_begin(&b, 0x00FD);
			ob_u16(&b, row++);
			ob_u16(&b, p->where == GEN_BOX ? 3 : 0);
			ob_u16(&b, xl_cell_xf(d, p));
			ob_u32(&b, (uint32_t)sst_at++);
			xl_end(&b, at);
		}
		xl_record(&b, 0x000A, NULL, 0);
	}
	st.name = "Workbook";
	st.data = &b;
	rc = write_cfb(path, &st, 1, d->title, err, errlen);
	free(bs);
	free(b.p);
	return rc;
}

bool
gen_xls_supports(enum gen_kind kind, enum gen_enc enc)
{
	/* a stamp drawn as a shape is not written (cells only) */
	return kind != GEN_STAMP_BOX && (enc == GEN_ENC_NFC ||
	    enc == GEN_ENC_TCVN3 || enc == GEN_ENC_VNI);
}

/* --- PowerPoint 97 -------------------------------------------------------------- */

static size_t
pp_begin(struct ob *b, unsigned ver, unsigned inst, unsigned type)
{
	ob_u16(b, ver | inst << 4);
	ob_u16(b, type);
	ob_u32(b, 0);
	return b->len;
}

static void
pp_end(struct ob *b, size_t at)
{
	ob_set32(b, at - 4, (uint32_t)(b->len - at));
}

/* A TextHeaderAtom and the text of paragraphs [from, to) standing at
 * where, CR between them: UTF-16 (TextCharsAtom) or legacy bytes
 * (TextBytesAtom). */
static void
pp_text(struct ob *b, const struct gen_doc *d, size_t from, size_t to,
    enum gen_where where, unsigned type)
{
	struct ob t = {0};
	size_t i, j, at;
	bool any = false, eight = legacy(d->enc);

	for (i = from; i < to; i++) {
		struct units u;

		if (d->paras[i].where != where)
			continue;
		if (any)
			ob_u16(&t, '\r');
		any = true;
		para_units(d, &d->paras[i], &u);
		for (j = 0; j < u.n; j++)
			ob_u16(&t, u.u[j]);
		free(u.u);
	}
	if (!any)
		return;
	at = pp_begin(b, 0, 0, 0x0F9F);
	ob_u32(b, type);
	pp_end(b, at);
	at = pp_begin(b, 0, 0, eight ? 0x0FA8 : 0x0FA0);
	for (i = 0; i < t.len; i += 2) {
		if (eight)
			ob_u8(b, t.p[i]);
		else
			ob_put(b, t.p + i, 2);
	}
	pp_end(b, at);
	free(t.p);
}

/* The paragraphs of slide k: [start[k], start[k + 1]). */
static size_t *
pp_slides(const struct gen_doc *d, size_t *nslide)
{
	size_t *start, n = 1, i;

	for (i = 0; i < d->npara; i++)
		if (i > 0 && d->paras[i].where == GEN_BODY &&
		    (d->paras[i].flags & GEN_P_PAGEBREAK))
			n++;
	if ((start = calloc(n + 1, sizeof(*start))) == NULL)
		abort();
	n = 1;
	for (i = 0; i < d->npara; i++)
		if (i > 0 && d->paras[i].where == GEN_BODY &&
		    (d->paras[i].flags & GEN_P_PAGEBREAK))
			start[n++] = i;
	start[n] = d->npara;
	*nslide = n;
	return start;
}

static bool
pp_has(const struct gen_doc *d, size_t from, size_t to, enum gen_where where)
{
	for (; from < to; from++)
		if (d->paras[from].where == where)
			return true;
	return false;
}

/* Slide k's drawing: one text box holding its GEN_BOX paragraphs (and
 * those of the page header, on the first slide). */
static void
pp_drawing(struct ob *b, const struct gen_doc *d, size_t from, size_t to,
    size_t k)
{
	size_t dg, gr, sp, tb, at;

	dg = pp_begin(b, 0xF, 0, 0xF002);
	at = pp_begin(b, 0, (unsigned)(k + 1), 0xF008);
	ob_u32(b, 2);
	ob_u32(b, (uint32_t)((k + 1) * 1024 + 2));
	pp_end(b, at);
	gr = pp_begin(b, 0xF, 0, 0xF003);
	sp = pp_begin(b, 0xF, 0, 0xF004);
	at = pp_begin(b, 2, 202, 0xF00A);	/* msosptTextBox */
	ob_u32(b, (uint32_t)((k + 1) * 1024 + 1));
	ob_u32(b, 0x00000A00);
	pp_end(b, at);
	tb = pp_begin(b, 0xF, 0, 0xF00D);
	pp_text(b, d, from, to, GEN_BOX, 4);
	if (k == 0) {
		pp_text(b, d, 0, d->npara, GEN_HEADER, 4);
		pp_text(b, d, 0, d->npara, GEN_FOOTER, 4);
	}
	pp_end(b, tb);
	pp_end(b, sp);
	pp_end(b, gr);
	pp_end(b, dg);
}

int
gen_ppt_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	struct ob b = {0}, cu = {0};
	struct stream st[2];
	size_t nslide, *start, *off, k, doc, at, slwt, dir, edit;
	int rc;

	start = pp_slides(d, &nslide);
	if ((off = calloc(nslide, sizeof(*off))) == NULL)
		abort();
	doc = pp_begin(&b, 0xF, 0, 0x03E8);
	at = pp_begin(&b, 1, 0, 0x03E9);
	ob_u32(&b, 5760);
	ob_u32(&b, 4320);
	ob_u32(&b, 4320);
	ob_u32(&b, 5760);
	ob_u32(&b, 1);
	ob_u32(&b, 2);
	ob_u32(&b, 0);
	ob_u32(&b, 0);
	ob_u16(&b, 1);
	ob_u16(&b, 0);
	ob_u8(&b, 0);
	ob_u8(&b, 0);
	ob_u8(&b, 0);
	ob_u8(&b, 1);
	pp_end(&b, at);
	slwt = pp_begin(&b, 0xF, 0, 0x0FF0);
	for (k = 0; k < nslide; k++) {
		size_t i, title = start[k + 1];

		for (i = start[k]; i < start[k + 1]; i++)
			if (d->paras[i].where == GEN_BODY) {
				title = i;
				break;
			}
		at = pp_begin(&b, 0, 0, 0x03F3);
		ob_u32(&b, (uint32_t)(k + 2));
		ob_u32(&b, 0);
		ob_u32(&b, 2);
		ob_u32(&b, (uint32_t)(256 + k));
		ob_u32(&b, 0);
		pp_end(&b, at);
		if (title < start[k + 1]) {
			pp_text(&b, d, title, title + 1, GEN_BODY, 0);
			pp_text(&b, d, title + 1, start[k + 1], GEN_BODY, 1);
		}
	}
	pp_end(&b, slwt);
	pp_begin(&b, 0, 0, 0x03EA);		/* EndDocumentAtom */
	pp_end(&b, doc);
	for (k = 0; k < nslide; k++) {
		size_t sl;

		off[k] = b.len;
		sl = pp_begin(&b, 0xF, 0, 0x03EE);
		at = pp_begin(&b, 2, 0, 0x03EF);
		ob_zero(&b, 12);
		ob_u32(&b, 0);
		ob_u32(&b, 0);
		ob_u16(&b, 0);
		ob_u16(&b, 0);
		pp_end(&b, at);
		if (pp_has(d, start[k], start[k + 1], GEN_BOX) || (k == 0 &&
		    (pp_has(d, 0, d->npara, GEN_HEADER) || pp_has(d, 0,
		    d->npara, GEN_FOOTER)))) {
			at = pp_begin(&b, 0xF, 0, 0x040C);
			pp_drawing(&b, d, start[k], start[k + 1], k);
			pp_end(&b, at);
		}
		pp_end(&b, sl);
	}
	/* persist directory: id 1 the document, 2… the slides */
	dir = pp_begin(&b, 0, 0, 0x1772);
	ob_u32(&b, 1u | (uint32_t)(nslide + 1) << 20);
	ob_u32(&b, 0);
	for (k = 0; k < nslide; k++)
		ob_u32(&b, (uint32_t)off[k]);
	pp_end(&b, dir);
	edit = b.len;
	at = pp_begin(&b, 0, 0, 0x0FF5);
	ob_u32(&b, 256);
	ob_u16(&b, 0);
	ob_u8(&b, 0);
	ob_u8(&b, 3);
	ob_u32(&b, 0);
	ob_u32(&b, (uint32_t)(dir - 8));
	ob_u32(&b, 1);
	ob_u32(&b, (uint32_t)(nslide + 1));
	ob_u16(&b, 1);
	ob_u16(&b, 0);
	pp_end(&b, at);

	at = pp_begin(&cu, 0, 0, 0x0FF6);
	ob_u32(&cu, 0x14);
	ob_u32(&cu, 0xE391C05F);
	ob_u32(&cu, (uint32_t)edit);
	ob_u16(&cu, 7);
	ob_u16(&cu, 0x03F4);
	ob_u8(&cu, 3);
	ob_u8(&cu, 0);
	ob_u16(&cu, 0);
	ob_put(&cu, "canhgac", 7);
	ob_u32(&cu, 8);
	pp_end(&cu, at);

	st[0].name = "PowerPoint Document";
	st[0].data = &b;
	st[1].name = "Current User";
	st[1].data = &cu;
	rc = write_cfb(path, st, 2, d->title, err, errlen);
	free(start);
	free(off);
	free(b.p);
	free(cu.p);
	return rc;
}

bool
gen_ppt_supports(enum gen_kind kind, enum gen_enc enc)
{
	/* no page header on slides: a header stamp is not written */
	return kind != GEN_STAMP_HEADER && (enc == GEN_ENC_NFC ||
	    enc == GEN_ENC_TCVN3 || enc == GEN_ENC_VNI);
}
