/*
 * gen_rtf.c — the RTF writer of the finder's test corpus (gen.h), written
 * as Word writes RTF: a font table with the legacy Vietnamese fonts
 * (.VnTime, .VnTimeH, VNI-Times) whose text is stored as \'hh bytes,
 * Unicode as \uN? escapes, Windows-1258 as bytes of a \fcharset163 font,
 * headers and footers as \header/\footer groups, boxes as shapes
 * (\shp … \shptxt), notes as \footnote, stamps bold and centred.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "gen.h"

/* A byte of text: ASCII as is (RTF's specials escaped), others \'hh. */
static void
rb_byte(struct gen_buf *b, unsigned char c)
{
	char t[8];

	if (c == '\\' || c == '{' || c == '}') {
		t[0] = '\\';
		t[1] = (char)c;
		gen_buf_add(b, t, 2);
	} else if (c >= 0x20 && c < 0x80)
		gen_buf_add(b, (const char *)&c, 1);
	else {
		snprintf(t, sizeof(t), "\\'%02x", c);
		gen_buf_str(b, t);
	}
}

/* Unicode text (NFC or NFD) as Word writes it with \uc1. */
static void
rb_unicode(struct gen_buf *b, const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;
	char t[24];

	while (*p != '\0') {
		if ((n = utf8proc_iterate(p, -1, &cp)) <= 0) {
			p++;
			continue;
		}
		p += n;
		if (cp < 0x80)
			rb_byte(b, (unsigned char)cp);
		else if (cp < 0x10000) {
			snprintf(t, sizeof(t), "\\u%d?", cp < 0x8000 ? (int)cp :
			    (int)cp - 65536);
			gen_buf_str(b, t);
		} else {
			snprintf(t, sizeof(t), "\\u%d?\\u%d?",
			    (int)(0xD800 + ((cp - 0x10000) >> 10)) - 65536,
			    (int)(0xDC00 + (cp & 0x3FF)) - 65536);
			gen_buf_str(b, t);
		}
	}
}

/* Font numbers of the table below. */
enum { F_UNI = 0, F_TCVN3, F_TCVN3H, F_VNI };

static void
rb_text(struct gen_buf *b, const struct gen_doc *d, const struct gen_para *p)
{
	bool caps = (p->flags & GEN_P_CAPS) != 0;
	unsigned char *raw;
	size_t n, i;
	int font = F_UNI;
	char t[16];

	if (d->enc == GEN_ENC_TCVN3)
		font = caps ? F_TCVN3H : F_TCVN3;
	else if (d->enc == GEN_ENC_VNI)
		font = F_VNI;
	snprintf(t, sizeof(t), "{\\f%d ", font);
	gen_buf_str(b, t);
	switch (d->enc) {
	case GEN_ENC_TCVN3:
	case GEN_ENC_VNI:
	case GEN_ENC_CP1258:
	case GEN_ENC_VIQR:
		raw = gen_encode(p->text, d->enc, caps, &n);
		for (i = 0; i < n; i++)
			rb_byte(b, raw[i]);
		free(raw);
		break;
	case GEN_ENC_NFD:
		raw = gen_encode(p->text, GEN_ENC_NFD, false, &n);
		raw = realloc(raw, n + 1);
		if (raw == NULL)
			abort();
		raw[n] = '\0';
		rb_unicode(b, (const char *)raw);
		free(raw);
		break;
	default:
		rb_unicode(b, p->text);
		break;
	}
	gen_buf_str(b, "}");
}

/* One paragraph with its formatting, ended by \par. */
static void
rb_para(struct gen_buf *b, const struct gen_doc *d, const struct gen_para *p)
{
	gen_buf_str(b, "\\pard\\plain\\fs26");
	if (p->flags & GEN_P_CENTER)
		gen_buf_str(b, "\\qc");
	if (p->flags & GEN_P_FRAMED)
		gen_buf_str(b, "\\box\\brdrs\\brdrw15\\brsp40");
	if (p->flags & GEN_P_BOLD)
		gen_buf_str(b, "\\b");
	gen_buf_str(b, " ");
	rb_text(b, d, p);
	gen_buf_str(b, "\\par\n");
}

bool
gen_rtf_supports(enum gen_kind kind, enum gen_enc enc)
{
	(void)kind;
	return enc != GEN_ENC_UTF16LE && enc != GEN_ENC_UTF16BE;
}

int
gen_rtf_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	struct gen_buf b = {0};
	size_t i;
	int rc;

	gen_buf_str(&b, d->enc == GEN_ENC_CP1258 ?
	    "{\\rtf1\\ansi\\ansicpg1258\\deff0\\uc1\n" :
	    "{\\rtf1\\ansi\\ansicpg1252\\deff0\\uc1\n");
	gen_buf_str(&b, "{\\fonttbl");
	gen_buf_str(&b, d->enc == GEN_ENC_CP1258 ?
	    "{\\f0\\froman\\fcharset163 Times New Roman;}" :
	    "{\\f0\\froman\\fcharset0 Times New Roman;}");
	gen_buf_str(&b, "{\\f1\\froman\\fcharset0 .VnTime;}"
	    "{\\f2\\froman\\fcharset0 .VnTimeH;}"
	    "{\\f3\\froman\\fcharset0 VNI-Times;}}\n"
	    "{\\colortbl;\\red0\\green0\\blue0;\\red255\\green0\\blue0;}\n"
	    "{\\stylesheet{\\fs26 Normal;}}\n{\\info{\\title ");
	rb_unicode(&b, d->title != NULL ? d->title : "");
	gen_buf_str(&b, "}{\\author UBND}}\n\\paperw11906\\paperh16838"
	    "\\margl1701\\margr1134\\margt1134\\margb1134\n\\sectd\n");
	/* headers and footers belong to the section: before the body */
	for (i = 0; i < d->npara; i++) {
		const struct gen_para *p = &d->paras[i];

		if (p->where != GEN_HEADER && p->where != GEN_FOOTER)
			continue;
		gen_buf_str(&b, p->where == GEN_HEADER ? "{\\header " :
		    "{\\footer ");
		rb_para(&b, d, p);
		gen_buf_str(&b, "}\n");
	}
	for (i = 0; i < d->npara; i++) {
		const struct gen_para *p = &d->paras[i];

		if (p->flags & GEN_P_PAGEBREAK)
			gen_buf_str(&b, "\\page\n");
		switch (p->where) {
		case GEN_BODY:
			rb_para(&b, d, p);
			break;
		case GEN_BOX:
			gen_buf_str(&b, "{\\shp{\\*\\shpinst\\shpleft6000\\shptop0"
			    "\\shpright9000\\shpbottom600\\shpwr3"
			    "{\\sp{\\sn shapeType}{\\sv 202}}"
			    "{\\sp{\\sn fLine}{\\sv 1}}{\\shptxt ");
			rb_para(&b, d, p);
			gen_buf_str(&b, "}}{\\shprslt{\\*\\do\\dobxcolumn"
			    "\\dptxbx{\\dptxbxtext\\pard\\plain "
			    "}}}}\n");
			break;
		case GEN_NOTE:
			gen_buf_str(&b, "{\\super\\chftn}{\\footnote\\pard\\plain "
			    "{\\super\\chftn} ");
			rb_text(&b, d, p);
			gen_buf_str(&b, "\\par}\n");
			break;
		case GEN_HEADER:
		case GEN_FOOTER:
			break;
		}
	}
	gen_buf_str(&b, "}\n");
	rc = gen_write_file(path, b.p, b.len, err, errlen);
	free(b.p);
	return rc;
}
