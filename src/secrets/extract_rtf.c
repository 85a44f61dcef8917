/*
 * extract_rtf.c — Rich Text Format for the classified-document finder: a
 * tokenizer of control words, groups and escapes (RTF 1.9.1), with the
 * group state kept on a bounded stack, never by recursion. It reads the
 * font table to know which fonts are legacy Vietnamese (.Vn* is TCVN3,
 * VNI-* is VNI, \fcharset163 is Windows-1258), and sends headers,
 * footers, text boxes (\shptxt, \dptxbxtext, frames), footnotes and
 * comments, and \title/\subject to their zones; pictures, objects and the
 * other tables are skipped. docs/secrets.md says what the lines are for.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/text.h"
#include "secrets/doc.h"

#define RTF_MAX_DEPTH	200	/* groups kept; deeper ones share a state */
#define RTF_MAX_DEST	16	/* nested text destinations (footnote in a
				   box in a header …) */
#define RTF_MAX_LINE	16384	/* bytes of one line; longer ones are cut */
#define RTF_MAX_FONTS	1024
#define RTF_WORD	32	/* letters of a control word kept */
#define RTF_ZONES	(DOC_ZONE_OCR + 1)

enum rtf_dest {
	D_TEXT,		/* text that is read: body, header, box, … */
	D_SKIP,		/* pictures, tables, field codes, unknown \* */
	D_FONTTBL,
	D_STYLE,	/* stylesheet: only the default font size */
	D_DEFCHP,	/* \*\defchp: the document's default font size */
	D_INFO,		/* \info: only \title and \subject are read */
};

enum rtf_font_kind { F_PLAIN, F_TCVN3, F_VNI, F_SYMBOL };

struct rtf_font {
	int num;
	int cp;			/* code page, 0: the document's */
	enum rtf_font_kind kind;
	bool caps;		/* .VnTimeH: a capitals-only font */
};

/* What a group sets; copied on '{', restored on '}'. */
struct rtf_group {
	enum rtf_dest dest;
	int line;		/* line buffer the text goes to */
	int font;		/* index in fonts, -1: none */
	int fs;			/* font size, half points */
	int uc;			/* bytes to skip after \uN */
	bool bold, caps;
	bool center, framed, intbl, frame, pagebb;
	bool star;		/* \* just seen */
};

/* One line being gathered, per text destination. */
struct rtf_line {
	char *buf;		/* UTF-8, or bytes for legacy encodings */
	size_t len;
	enum doc_zone zone;
	const char *part;
	enum doc_enc enc;
	bool enc_set, any, bold, caps, large, center, intbl, frame, framed;
};

struct rtf {
	struct doc_ctx *ctx;
	const unsigned char *p, *start, *end;
	struct rtf_group g[RTF_MAX_DEPTH];
	int depth;
	size_t over;		/* groups opened beyond RTF_MAX_DEPTH */
	struct rtf_line lines[RTF_MAX_DEST];
	int nlines;
	struct rtf_font *fonts;
	size_t nfonts;
	int deff, ansicpg, deffs;
	int ucskip;		/* bytes still to skip after \uN */
	unsigned hisur;		/* pending high surrogate */
	unsigned page;
	unsigned index[RTF_ZONES];
	bool zone_skip[RTF_ZONES];
	bool sbk_page;		/* \sect breaks the page */
	bool para_started;
	bool row_framed;
	bool done;
	size_t passed;
	/* font table entry being read */
	int ft_num, ft_cp;
	bool ft_symbol;
	char ft_name[64];
	size_t ft_len;
	/* stylesheet entry being read */
	bool st_other;
	int st_fs;
	enum doc_err err;
};

static unsigned
cp_decode(int cp, unsigned char b)
{
	if (b < 0x80)
		return b;
	if (b < 0xA0) {
		if (cp == 1258 && (b == 0x8A || b == 0x8E || b == 0x9A ||
		    b == 0x9E))
			return b;
		return text_cp1252_char(b);
	}
	if (cp == 1258)
		switch (b) {
		case 0xC3: return 0x102;
		case 0xCC: return 0x300;
		case 0xD0: return 0x110;
		case 0xD2: return 0x309;
		case 0xD5: return 0x1A0;
		case 0xDD: return 0x1AF;
		case 0xDE: return 0x303;
		case 0xE3: return 0x103;
		case 0xEC: return 0x301;
		case 0xF0: return 0x111;
		case 0xF2: return 0x323;
		case 0xF5: return 0x1A1;
		case 0xFD: return 0x1B0;
		case 0xFE: return 0x20AB;
		}
	return b;
}

/* The byte a legacy font shows for code point c (Word writes \uN for the
 * Windows-1252 view of the byte), or -1. */
static int
cp1252_byte(unsigned c)
{
	/* not the C1 controls where Windows-1252 has characters */
	if (c >= 0x80 && c < 0xA0 && text_cp1252_char((unsigned char)c) != c)
		return -1;
	return text_cp1252_byte(c);
}

static struct rtf_group *
cur(struct rtf *r)
{
	return &r->g[r->depth];
}

static const struct rtf_font *
cur_font(struct rtf *r)
{
	int f = cur(r)->font;

	return f >= 0 && (size_t)f < r->nfonts ? &r->fonts[f] : NULL;
}

/* --- lines ---------------------------------------------------------------- */

static void
line_reset(struct rtf_line *l)
{
	l->len = 0;
	l->enc = DOC_ENC_UNICODE;
	l->enc_set = l->any = l->center = l->intbl = l->frame = false;
	l->framed = false;
	l->bold = l->caps = l->large = true;
}

/* Passes line li to the sink and empties it. */
static void
line_flush(struct rtf *r, int li)
{
	struct rtf_line *l = &r->lines[li];
	struct rtf_group *g = cur(r);
	struct doc_line dl;
	char *conv = NULL;
	size_t clen;
	enum doc_next nx;

	if (l->len == 0 || r->done) {
		line_reset(l);
		return;
	}
	memset(&dl, 0, sizeof(dl));
	dl.zone = l->zone;
	if (dl.zone == DOC_ZONE_BODY && (l->frame || g->frame))
		dl.zone = DOC_ZONE_BOX;
	else if (dl.zone == DOC_ZONE_BODY && (l->intbl || g->intbl))
		dl.zone = DOC_ZONE_TABLE;
	if (r->zone_skip[dl.zone]) {
		line_reset(l);
		return;
	}
	if (l->any && l->bold)
		dl.flags |= DOC_F_BOLD;
	if (l->any && l->caps)
		dl.flags |= DOC_F_CAPS;
	if (l->any && l->large)
		dl.flags |= DOC_F_LARGE;
	if (l->center || (g->line == li && g->center))
		dl.flags |= DOC_F_CENTER;
	if (l->framed || (g->line == li && g->framed) ||
	    (dl.zone == DOC_ZONE_TABLE && r->row_framed))
		dl.flags |= DOC_F_FRAMED;
	dl.enc = l->enc;
	dl.text = l->buf;
	dl.len = l->len;
	if (l->enc == DOC_ENC_TCVN3 || l->enc == DOC_ENC_VNI) {
		conv = vienc_bytes_to_utf8((unsigned char *)l->buf, l->len,
		    &clen);
		if (conv == NULL) {
			r->err = DOC_ERR_NOMEM;
			r->done = true;
			return;
		}
		dl.text = conv;
		dl.len = clen;
	}
	dl.page = r->page;
	dl.index = r->index[dl.zone]++;
	dl.part = l->part;
	r->passed += l->len;
	nx = doc_emit(r->ctx, &dl);
	free(conv);
	line_reset(l);
	if (nx == DOC_NEXT_STOP || r->passed >= r->ctx->lim->max_text)
		r->done = true;
	else if (nx == DOC_NEXT_SKIP) {
		/* past what the detector needs of the body: the rest of an
		 * RTF file is body (headers and first-page boxes come first) */
		if (dl.zone == DOC_ZONE_BODY || dl.zone == DOC_ZONE_TABLE)
			r->done = true;
		else
			r->zone_skip[dl.zone] = true;
	}
}

/* Appends s[0..n) of encoding enc (UNICODE for ASCII that fits any) to the
 * current destination's line; 'ink' is false for white space. */
static void
line_put(struct rtf *r, const char *s, size_t n, enum doc_enc enc, bool ink,
    bool neutral)
{
	struct rtf_group *g = cur(r);
	struct rtf_line *l;
	const struct rtf_font *f;

	if (g->line < 0 || r->done)
		return;
	l = &r->lines[g->line];
	if (!neutral && l->enc_set && l->enc != enc)
		line_flush(r, g->line);
	if (l->len + n > RTF_MAX_LINE)
		line_flush(r, g->line);
	if (r->done)
		return;
	if (l->buf == NULL && (l->buf = malloc(RTF_MAX_LINE)) == NULL) {
		r->err = DOC_ERR_NOMEM;
		r->done = true;
		return;
	}
	if (!neutral && !l->enc_set) {
		l->enc = enc;
		l->enc_set = true;
	}
	if (ink) {
		f = cur_font(r);
		if (!r->para_started && g->pagebb && l->zone == DOC_ZONE_BODY &&
		    r->index[DOC_ZONE_BODY] + r->index[DOC_ZONE_TABLE] > 0)
			r->page++;
		r->para_started = true;
		l->any = true;
		l->bold &= g->bold;
		l->caps &= g->caps || (f != NULL && f->caps);
		l->large &= r->deffs > 0 &&
		    (long)g->fs * 10 >= (long)r->deffs * 13;
		l->center |= g->center;
		l->framed |= g->framed;
		l->intbl |= g->intbl;
		l->frame |= g->frame;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

/* A code point for the text of the current destination. */
static void
put_unicode(struct rtf *r, unsigned c)
{
	const struct rtf_font *f = cur_font(r);
	char u[4];
	int b;

	if (c == 0 || (c >= 0xD800 && c < 0xE000) || c > 0x10FFFF)
		return;
	if (c == '\t' || c == 0xA0)
		c = ' ';
	if (f != NULL && f->kind == F_SYMBOL)
		return;
	if (f != NULL && (f->kind == F_TCVN3 || f->kind == F_VNI) &&
	    (b = cp1252_byte(c)) >= 0) {
		u[0] = (char)b;
		line_put(r, u, 1, f->kind == F_TCVN3 ? DOC_ENC_TCVN3 :
		    DOC_ENC_VNI, c != ' ', c == ' ');
		return;
	}
	line_put(r, u, text_utf8_put(u, c), DOC_ENC_UNICODE, c != ' ',
	    c < 0x80);
}

/* A byte of text (literal or \'hh), in the current font's code page. */
static void
put_byte(struct rtf *r, unsigned char b)
{
	const struct rtf_font *f = cur_font(r);
	char u[1];
	int cp;

	if (f != NULL && (f->kind == F_TCVN3 || f->kind == F_VNI)) {
		if (b == '\t')
			b = ' ';
		u[0] = (char)b;
		line_put(r, u, 1, f->kind == F_TCVN3 ? DOC_ENC_TCVN3 :
		    DOC_ENC_VNI, b != ' ', b == ' ');
		return;
	}
	cp = f != NULL && f->cp != 0 ? f->cp : r->ansicpg;
	put_unicode(r, cp_decode(cp, b));
}

/* Ends the current line of the current destination (\par, \cell, …). */
static void
line_break(struct rtf *r)
{
	struct rtf_group *g = cur(r);

	if (g->line >= 0)
		line_flush(r, g->line);
	if (g->line == 0)
		r->para_started = false;
}

/* --- font table and stylesheet ------------------------------------------- */

static void
font_commit(struct rtf *r)
{
	struct rtf_font *f;
	char *n = r->ft_name;
	size_t len = r->ft_len;

	while (len > 0 && n[0] == ' ') {
		n++;
		len--;
	}
	while (len > 0 && n[len - 1] == ' ')
		len--;
	n[len] = '\0';
	if (r->ft_num >= 0 && r->nfonts < RTF_MAX_FONTS) {
		f = &r->fonts[r->nfonts++];
		memset(f, 0, sizeof(*f));
		f->num = r->ft_num;
		f->cp = r->ft_cp;
		f->kind = r->ft_symbol ? F_SYMBOL : F_PLAIN;
		if (strncasecmp(n, ".vn", 3) == 0) {
			f->kind = F_TCVN3;
			f->caps = len > 3 && (n[len - 1] == 'H' ||
			    n[len - 1] == 'h');
		} else if (strncasecmp(n, "vni-", 4) == 0)
			f->kind = F_VNI;
	}
	r->ft_num = -1;
	r->ft_cp = 0;
	r->ft_symbol = false;
	r->ft_len = 0;
}

static void
font_char(struct rtf *r, unsigned char c)
{
	if (c == ';')
		font_commit(r);
	else if (r->ft_len + 1 < sizeof(r->ft_name))
		r->ft_name[r->ft_len++] = (char)c;
}

static int
font_find(struct rtf *r, long num)
{
	size_t i;

	for (i = 0; i < r->nfonts; i++)
		if (r->fonts[i].num == num)
			return (int)i;
	return -1;
}

static int
charset_cp(long cs)
{
	switch (cs) {
	case 163: return 1258;
	case 0: case 1: return 0;
	case 238: return 1250;
	case 204: return 1251;
	case 161: return 1253;
	case 162: return 1254;
	case 177: return 1255;
	case 178: return 1256;
	case 186: return 1257;
	}
	return 0;
}

static void
style_end(struct rtf *r)
{
	if (!r->st_other && r->st_fs > 0)
		r->deffs = r->st_fs;
	r->st_other = false;
	r->st_fs = 0;
}

/* --- control words ------------------------------------------------------- */

enum rtf_act {
	A_SKIP = 1, A_FONTTBL, A_STYLE, A_DEFCHP, A_INFO, A_TITLE, A_SUBJECT,
	A_HEADER, A_FOOTER, A_NOTE, A_BOX, A_KEEP,
};

/* Destinations: groups that hold something other than the text around. */
struct rtf_dest_word {
	const char *word;
	enum rtf_act act;
};

static struct rtf_dest_word rtf_dests[] = {
	{"fonttbl", A_FONTTBL}, {"stylesheet", A_STYLE}, {"defchp", A_DEFCHP},
	{"info", A_INFO}, {"title", A_TITLE}, {"subject", A_SUBJECT},
	{"header", A_HEADER}, {"headerl", A_HEADER}, {"headerr", A_HEADER},
	{"headerf", A_HEADER}, {"footer", A_FOOTER}, {"footerl", A_FOOTER},
	{"footerr", A_FOOTER}, {"footerf", A_FOOTER},
	{"footnote", A_NOTE}, {"annotation", A_NOTE},
	{"shptxt", A_BOX}, {"dptxbxtext", A_BOX},
	{"shp", A_KEEP}, {"shpinst", A_KEEP}, {"do", A_KEEP},
	{"dptxbx", A_KEEP}, {"fldrslt", A_KEEP}, {"field", A_KEEP},
	{"object", A_KEEP}, {"result", A_KEEP}, {"listtext", A_KEEP},
	{"pntext", A_KEEP}, {"ud", A_KEEP}, {"upr", A_KEEP},
	{"colortbl", A_SKIP}, {"pict", A_SKIP}, {"fldinst", A_SKIP},
	{"objdata", A_SKIP}, {"objclass", A_SKIP}, {"objname", A_SKIP},
	{"datafield", A_SKIP}, {"xe", A_SKIP}, {"tc", A_SKIP},
	{"bkmkstart", A_SKIP}, {"bkmkend", A_SKIP}, {"nonshppict", A_SKIP},
	{"shprslt", A_SKIP}, {"sp", A_SKIP}, {"sn", A_SKIP}, {"sv", A_SKIP},
	{"listtable", A_SKIP}, {"listoverridetable", A_SKIP},
	{"revtbl", A_SKIP}, {"rsidtbl", A_SKIP}, {"generator", A_SKIP},
	{"themedata", A_SKIP}, {"colorschememapping", A_SKIP},
	{"latentstyles", A_SKIP}, {"datastore", A_SKIP}, {"xmlnstbl", A_SKIP},
	{"pgdsctbl", A_SKIP}, {"filetbl", A_SKIP}, {"ftnsep", A_SKIP},
	{"ftnsepc", A_SKIP}, {"aftnsep", A_SKIP}, {"aftnsepc", A_SKIP},
	{"template", A_SKIP}, {"author", A_SKIP}, {"operator", A_SKIP},
	{"company", A_SKIP}, {"keywords", A_SKIP}, {"doccomm", A_SKIP},
	{"comment", A_SKIP}, {"manager", A_SKIP}, {"category", A_SKIP},
	{"hlinkbase", A_SKIP}, {"creatim", A_SKIP}, {"revtim", A_SKIP},
	{"printim", A_SKIP}, {"buptim", A_SKIP}, {"userprops", A_SKIP},
	{"docvar", A_SKIP}, {"atnid", A_SKIP}, {"atnauthor", A_SKIP},
	{"atndate", A_SKIP}, {"atnref", A_SKIP}, {"atnicn", A_SKIP},
	{"pntxta", A_SKIP}, {"pntxtb", A_SKIP}, {"falt", A_SKIP},
	{"panose", A_SKIP}, {"fname", A_SKIP}, {"mmathPr", A_SKIP},
	{"blipuid", A_SKIP}, {"picprop", A_SKIP}, {"passwordhash", A_SKIP},
	{"wgrffmtfilter", A_SKIP}, {"fontemb", A_SKIP}, {"fontfile", A_SKIP},
	{"macpict", A_SKIP}, {"wmetafile", A_SKIP}, {"private", A_SKIP},
};

/* Every other control word this file acts on; the rest are passed over
 * after one look-up (both tables are sorted once, then searched). */
static const char *rtf_known[] = {
	"ansicpg", "absh", "absw", "b", "box", "brdrb", "brdrl", "brdrr",
	"brdrt", "bullet", "caps", "cell", "clbrdrb", "clbrdrl", "clbrdrr",
	"clbrdrt", "cpg", "cs", "deff", "ds", "emdash", "emspace", "endash",
	"enspace", "f", "fcharset", "fs", "intbl", "ldblquote", "line",
	"lquote", "nestcell", "nestrow", "page", "pagebb", "par", "pard",
	"phmrg", "phpg", "plain", "posnegx", "posnegy", "posx", "posxc",
	"posxi", "posxl", "posxo", "posxr", "posy", "posyb", "posyc", "posyil",
	"posyin", "posyout", "posyt", "pvmrg", "pvpg", "qc", "qd", "qj", "ql",
	"qmspace", "qr", "rdblquote", "row", "rquote", "s", "sbkcol",
	"sbkeven", "sbknone", "sbkodd", "sbkpage", "scaps", "sect", "sectd",
	"tab", "trowd", "ts", "u", "uc",
};

static pthread_once_t rtf_once = PTHREAD_ONCE_INIT;

static int
cmp_dest(const void *a, const void *b)
{
	return strcmp(((const struct rtf_dest_word *)a)->word,
	    ((const struct rtf_dest_word *)b)->word);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
rtf_tables(void)
{
	qsort(rtf_dests, sizeof(rtf_dests) / sizeof(rtf_dests[0]),
	    sizeof(rtf_dests[0]), cmp_dest);
	qsort(rtf_known, sizeof(rtf_known) / sizeof(rtf_known[0]),
	    sizeof(rtf_known[0]), cmp_str);
}

static const struct rtf_dest_word *
dest_find(const char *w)
{
	struct rtf_dest_word key = {w, A_KEEP};

	return bsearch(&key, rtf_dests, sizeof(rtf_dests) /
	    sizeof(rtf_dests[0]), sizeof(rtf_dests[0]), cmp_dest);
}

static bool
known(const char *w)
{
	return bsearch(&w, rtf_known, sizeof(rtf_known) /
	    sizeof(rtf_known[0]), sizeof(rtf_known[0]), cmp_str) != NULL;
}

/* Opens a text destination of zone z in the current group. */
static void
dest_text(struct rtf *r, enum doc_zone z, const char *part)
{
	struct rtf_group *g = cur(r);
	struct rtf_line *l;

	if (r->nlines >= RTF_MAX_DEST) {
		g->dest = D_SKIP;
		g->line = -1;
		return;
	}
	l = &r->lines[r->nlines];
	line_reset(l);
	l->zone = z;
	l->part = part;
	g->dest = D_TEXT;
	g->line = r->nlines++;
	/* a destination's paragraphs start afresh */
	g->center = g->framed = g->intbl = g->frame = g->pagebb = false;
}

/* Handles a destination word; false when w is none. */
static bool
dest_word(struct rtf *r, const char *w)
{
	struct rtf_group *g = cur(r);
	const struct rtf_dest_word *d = dest_find(w);

	if (d == NULL) {
		if (g->star) {
			g->dest = D_SKIP;	/* unknown \*\ destination */
			g->line = -1;
			return true;
		}
		return false;
	}
	g->star = false;
	switch (d->act) {
	case A_SKIP: g->dest = D_SKIP; g->line = -1; break;
	case A_FONTTBL: g->dest = D_FONTTBL; g->line = -1; break;
	case A_STYLE: g->dest = D_STYLE; g->line = -1; break;
	case A_DEFCHP: g->dest = D_DEFCHP; g->line = -1; break;
	case A_INFO: g->dest = D_INFO; g->line = -1; break;
	case A_TITLE:
		if (g->dest == D_INFO)
			dest_text(r, DOC_ZONE_META, "title");
		break;
	case A_SUBJECT:
		if (g->dest == D_INFO)
			dest_text(r, DOC_ZONE_META, "subject");
		break;
	case A_HEADER:
		if (g->dest == D_TEXT)
			dest_text(r, DOC_ZONE_HEADER, d->word);
		break;
	case A_FOOTER:
		if (g->dest == D_TEXT)
			dest_text(r, DOC_ZONE_FOOTER, d->word);
		break;
	case A_NOTE:
		if (g->dest == D_TEXT)
			dest_text(r, DOC_ZONE_NOTE, d->word);
		break;
	case A_BOX:
		if (g->dest == D_TEXT)
			dest_text(r, DOC_ZONE_BOX, "shape");
		break;
	case A_KEEP:
		break;
	}
	return true;
}

static void
word_fonttbl(struct rtf *r, const char *w, bool has, long v)
{
	if (strcmp(w, "f") == 0 && has) {
		if (r->ft_len > 0)
			font_commit(r);
		r->ft_num = (int)v;
	} else if (strcmp(w, "fcharset") == 0) {
		r->ft_cp = charset_cp(v);
		r->ft_symbol = v == 2;
	} else if (strcmp(w, "cpg") == 0 && v > 0 && v < 100000)
		r->ft_cp = (int)v;
}

static void
word_para(struct rtf *r, const char *w, bool has, long v)
{
	struct rtf_group *g = cur(r);

	if (strcmp(w, "pard") == 0)
		g->center = g->framed = g->intbl = g->frame = g->pagebb = false;
	else if (strcmp(w, "qc") == 0 || strcmp(w, "qr") == 0)
		g->center = true;
	else if (strcmp(w, "ql") == 0 || strcmp(w, "qj") == 0 ||
	    strcmp(w, "qd") == 0)
		g->center = false;
	else if (strcmp(w, "box") == 0 || strcmp(w, "brdrt") == 0 ||
	    strcmp(w, "brdrb") == 0 || strcmp(w, "brdrl") == 0 ||
	    strcmp(w, "brdrr") == 0)
		g->framed = true;
	else if (strcmp(w, "intbl") == 0)
		g->intbl = !has || v != 0;
	else if (strcmp(w, "pagebb") == 0)
		g->pagebb = !has || v != 0;
	else if (strcmp(w, "trowd") == 0)
		r->row_framed = false;
	else if (strncmp(w, "clbrdr", 6) == 0)
		r->row_framed = true;
	else if (strcmp(w, "absw") == 0 || strcmp(w, "absh") == 0 ||
	    strcmp(w, "phpg") == 0 || strcmp(w, "pvpg") == 0 ||
	    strcmp(w, "phmrg") == 0 || strcmp(w, "pvmrg") == 0 ||
	    strncmp(w, "posx", 4) == 0 || strncmp(w, "posy", 4) == 0)
		g->frame = true;
}

/* Special characters written as words. */
static bool
word_char(struct rtf *r, const char *w)
{
	static const struct {
		const char *word;
		unsigned c;
	} chars[] = {
		{"tab", '\t'}, {"emdash", 0x2014}, {"endash", 0x2013},
		{"bullet", 0x2022}, {"lquote", 0x2018}, {"rquote", 0x2019},
		{"ldblquote", 0x201C}, {"rdblquote", 0x201D}, {"emspace", ' '},
		{"enspace", ' '}, {"qmspace", ' '},
	};
	size_t i;

	for (i = 0; i < sizeof(chars) / sizeof(chars[0]); i++)
		if (strcmp(chars[i].word, w) == 0) {
			if (cur(r)->dest == D_TEXT)
				put_unicode(r, chars[i].c);
			return true;
		}
	return false;
}

static void
word_unicode(struct rtf *r, long v)
{
	unsigned c = (unsigned)(v < 0 ? v + 65536 : v) & 0xFFFFu;

	if (c >= 0xD800 && c < 0xDC00)
		r->hisur = c;
	else if (c >= 0xDC00 && c < 0xE000) {
		if (r->hisur != 0 && cur(r)->dest == D_TEXT)
			put_unicode(r, 0x10000 + ((r->hisur - 0xD800) << 10) +
			    (c - 0xDC00));
		r->hisur = 0;
	} else if (cur(r)->dest == D_TEXT)
		put_unicode(r, c);
	r->ucskip = cur(r)->uc;
}

static void
word(struct rtf *r, const char *w, bool has, long v)
{
	struct rtf_group *g = cur(r);

	if (g->dest == D_SKIP || dest_word(r, w))
		return;
	g->star = false;
	if (!known(w))
		return;
	if (g->dest == D_FONTTBL) {
		word_fonttbl(r, w, has, v);
		return;
	}
	if (strcmp(w, "fs") == 0) {
		/* half points; Word allows up to 3276 */
		v = !has ? 24 : v < 0 ? 0 : v > 4000 ? 4000 : v;
		if (g->dest == D_STYLE)
			r->st_fs = (int)v;
		else if (g->dest == D_DEFCHP)
			r->deffs = (int)v;
		g->fs = (int)v;
		return;
	}
	if (g->dest == D_STYLE) {
		if ((strcmp(w, "s") == 0 && v != 0) || strcmp(w, "cs") == 0 ||
		    strcmp(w, "ds") == 0 || strcmp(w, "ts") == 0)
			r->st_other = true;
		return;
	}
	if (strcmp(w, "u") == 0 && has) {
		word_unicode(r, v);
		return;
	}
	if (word_char(r, w))
		return;
	if (strcmp(w, "par") == 0 || strcmp(w, "line") == 0 ||
	    strcmp(w, "cell") == 0 || strcmp(w, "row") == 0 ||
	    strcmp(w, "nestcell") == 0 || strcmp(w, "nestrow") == 0)
		line_break(r);
	else if (strcmp(w, "page") == 0) {
		line_break(r);
		if (g->line == 0)
			r->page++;
	} else if (strcmp(w, "sect") == 0) {
		line_break(r);
		if (g->line == 0 && r->sbk_page)
			r->page++;
	} else if (strcmp(w, "sectd") == 0 || strcmp(w, "sbkpage") == 0 ||
	    strcmp(w, "sbkodd") == 0 || strcmp(w, "sbkeven") == 0)
		r->sbk_page = true;
	else if (strcmp(w, "sbknone") == 0 || strcmp(w, "sbkcol") == 0)
		r->sbk_page = false;
	else if (strcmp(w, "b") == 0)
		g->bold = !has || v != 0;
	else if (strcmp(w, "caps") == 0 || strcmp(w, "scaps") == 0)
		g->caps = !has || v != 0;
	else if (strcmp(w, "plain") == 0) {
		g->bold = g->caps = false;
		g->fs = 24;
		g->font = font_find(r, r->deff);
	} else if (strcmp(w, "f") == 0 && has)
		g->font = font_find(r, v);
	else if (strcmp(w, "uc") == 0 && has && v >= 0 && v < 16)
		g->uc = (int)v;
	else if (strcmp(w, "deff") == 0 && has)
		r->deff = (int)v;
	else if (strcmp(w, "ansicpg") == 0 && has && v > 0 && v < 100000)
		r->ansicpg = (int)v;
	else
		word_para(r, w, has, v);
}

/* A control symbol (\ followed by one non-letter). */
static void
symbol(struct rtf *r, unsigned char c)
{
	struct rtf_group *g = cur(r);

	if (c == '*') {
		g->star = true;
		return;
	}
	g->star = false;
	if (g->dest == D_SKIP)
		return;
	switch (c) {
	case '{': case '}': case '\\':
		if (g->dest == D_FONTTBL)
			font_char(r, c);
		else if (g->dest == D_TEXT)
			put_unicode(r, c);
		break;
	case '~':
		if (g->dest == D_TEXT)
			put_unicode(r, ' ');
		break;
	case '_':
		if (g->dest == D_TEXT)
			put_unicode(r, '-');
		break;
	case '\n': case '\r':
		if (g->dest == D_TEXT)
			line_break(r);
		break;
	}
}

/* A byte of text: literal or \'hh. */
static void
text_byte(struct rtf *r, unsigned char c)
{
	struct rtf_group *g = cur(r);

	if (r->ucskip > 0) {
		r->ucskip--;
		return;
	}
	g->star = false;
	switch (g->dest) {
	case D_TEXT:
		put_byte(r, c);
		break;
	case D_FONTTBL:
		font_char(r, c);
		break;
	case D_STYLE:
		if (c == ';')
			style_end(r);
		break;
	default:
		break;
	}
}

/* --- groups ------------------------------------------------------------- */

static void
group_open(struct rtf *r)
{
	r->ucskip = 0;
	if (r->over > 0 || r->depth + 1 >= RTF_MAX_DEPTH) {
		r->over++;
		return;
	}
	r->g[r->depth + 1] = r->g[r->depth];
	r->depth++;
	cur(r)->star = false;
	if (cur(r)->dest == D_STYLE) {
		r->st_other = false;
		r->st_fs = 0;
	}
}

static void
group_close(struct rtf *r)
{
	struct rtf_group *g = cur(r), *parent;

	r->ucskip = 0;
	if (r->over > 0) {
		r->over--;
		return;
	}
	if (r->depth == 0)
		return;		/* unbalanced '}': ignored */
	parent = &r->g[r->depth - 1];
	if (g->dest == D_FONTTBL && parent->dest != D_FONTTBL && r->ft_len > 0)
		font_commit(r);
	if (g->line >= 0 && g->line != parent->line) {
		line_flush(r, g->line);
		if (g->line == r->nlines - 1)
			r->nlines--;
	}
	r->depth--;
}

/* --- tokenizer ------------------------------------------------------------ */

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* After a backslash: a control word, symbol or \'hh. */
static void
control(struct rtf *r)
{
	char w[RTF_WORD + 1];
	size_t n = 0;
	long v = 0;
	bool has = false, neg = false;
	int h1, h2;

	if (r->p >= r->end)
		return;
	if (!is_alpha(*r->p)) {
		unsigned char c = *r->p++;

		if (c == '\'') {
			if (r->end - r->p >= 2 && (h1 = hexval(r->p[0])) >= 0 &&
			    (h2 = hexval(r->p[1])) >= 0) {
				r->p += 2;
				if (cur(r)->dest != D_SKIP)
					text_byte(r, (unsigned char)(h1 << 4 |
					    h2));
			}
			return;
		}
		if (r->ucskip > 0 && c != '*') {
			r->ucskip--;
			return;
		}
		symbol(r, c);
		return;
	}
	while (r->p < r->end && is_alpha(*r->p)) {
		if (n < RTF_WORD)
			w[n++] = (char)*r->p;
		r->p++;
	}
	w[n] = '\0';
	if (r->p < r->end && *r->p == '-') {
		neg = true;
		r->p++;
	}
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
		if (v < 100000000L)
			v = v * 10 + (*r->p - '0');
		has = true;
		r->p++;
	}
	if (neg)
		v = -v;
	if (r->p < r->end && *r->p == ' ')
		r->p++;
	if (strcmp(w, "bin") == 0) {
		/* binary data: never read as text, whatever the group */
		if (has && v > 0)
			r->p += (size_t)v < (size_t)(r->end - r->p) ?
			    (size_t)v : (size_t)(r->end - r->p);
		return;
	}
	if (r->ucskip > 0 && strcmp(w, "u") != 0) {
		r->ucskip--;
		return;
	}
	word(r, w, has, v);
}

/* Skips the text of a skipped group up to its next brace or backslash. */
static void
skip_text(struct rtf *r)
{
	const unsigned char *p = r->p;

	while (p < r->end && *p != '{' && *p != '}' && *p != '\\')
		p++;
	r->p = p;
}

static void
rtf_run(struct rtf *r)
{
	size_t tick = 0;

	while (r->p < r->end && !r->done) {
		unsigned char c = *r->p;

		if ((++tick & 0xFFF) == 0 && doc_late(r->ctx)) {
			r->err = DOC_ERR_TIMEOUT;
			break;
		}
		if (cur(r)->dest == D_SKIP && c != '{' && c != '}' &&
		    c != '\\') {
			skip_text(r);
			continue;
		}
		r->p++;
		switch (c) {
		case '{':
			group_open(r);
			break;
		case '}':
			group_close(r);
			break;
		case '\\':
			control(r);
			break;
		case '\r': case '\n': case '\0':
			break;
		default:
			if (c == '\t')
				c = ' ';
			if (c >= ' ')
				text_byte(r, c);
			break;
		}
	}
}

enum doc_err
doc_extract_rtf(struct doc_ctx *ctx, const unsigned char *buf, size_t len,
    const char *name)
{
	struct rtf *r;
	enum doc_err e;
	size_t off;
	int i;

	(void)name;
	pthread_once(&rtf_once, rtf_tables);
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->fonts = calloc(RTF_MAX_FONTS, sizeof(*r->fonts))) == NULL) {
		free(r);
		return doc_fail(ctx, DOC_ERR_NOMEM, "rtf");
	}
	r->ctx = ctx;
	r->p = r->start = buf;
	r->end = buf + len;
	r->ansicpg = 1252;
	r->deffs = 24;
	r->page = 1;
	r->sbk_page = true;
	r->ft_num = -1;
	r->g[0].dest = D_TEXT;
	r->g[0].font = -1;
	r->g[0].fs = 24;
	r->g[0].uc = 1;
	r->g[0].line = 0;
	r->nlines = 1;
	line_reset(&r->lines[0]);
	r->lines[0].zone = DOC_ZONE_BODY;
	r->lines[0].part = "";
	rtf_run(r);
	/* what an unended file left open is read as if its groups closed */
	while (!r->done && r->depth > 0 && r->over == 0)
		group_close(r);
	if (!r->done)
		line_flush(r, 0);
	e = r->err;
	off = (size_t)(r->p - r->start);
	if (e == DOC_OK && ctx->err == DOC_ERR_TIMEOUT)
		e = DOC_ERR_TIMEOUT;
	for (i = 0; i < RTF_MAX_DEST; i++)
		free(r->lines[i].buf);
	free(r->fonts);
	free(r);
	if (e != DOC_OK)
		return doc_fail(ctx, e, "rtf: offset %zu", off);
	return DOC_OK;
}
