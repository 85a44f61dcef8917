/*
 * gen_text_formats.c — the plain text writer of the finder's test corpus
 * (gen.h): the logical document's paragraphs one per line, a form feed
 * for each page break, in any text encoding — Unicode NFC and NFD, UTF-16
 * with a BOM, Windows-1258, VIQR, and the bytes a legacy-font editor saves
 * (TCVN3, VNI). Plain text has no header or text box.
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

bool
gen_txt_supports(enum gen_kind kind, enum gen_enc enc)
{
	(void)enc;
	return kind != GEN_STAMP_HEADER && kind != GEN_STAMP_BOX;
}

int
gen_txt_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	/* line ends vary with the seed: Unix, Windows, old Mac */
	static const char *const eols[] = {"\n", "\r\n", "\r"};
	const char *eol = eols[d->seed % 3];
	bool utf16 = d->enc == GEN_ENC_UTF16LE || d->enc == GEN_ENC_UTF16BE;
	struct gen_buf b = {0}, all = {0};
	unsigned char *raw;
	size_t i, n;
	int rc;

	for (i = 0; i < d->npara; i++) {
		const struct gen_para *p = &d->paras[i];

		if (i > 0)
			gen_buf_add(utf16 ? &all : &b, eol, strlen(eol));
		if (p->flags & GEN_P_PAGEBREAK)
			gen_buf_add(utf16 ? &all : &b, "\f", 1);
		if (utf16) {
			gen_buf_add(&all, p->text, strlen(p->text));
			continue;
		}
		/* a legacy-font editor stores capitals typed in .VnTimeH
		 * with the codes of small letters */
		raw = gen_encode(p->text, d->enc, (p->flags & GEN_P_CAPS) != 0,
		    &n);
		gen_buf_add(&b, raw, n);
		free(raw);
	}
	gen_buf_add(utf16 ? &all : &b, eol, strlen(eol));
	if (utf16) {
		gen_buf_add(&all, "", 1);
		raw = gen_encode((const char *)all.p, d->enc, false, &n);
		gen_buf_add(&b, raw, n);
		free(raw);
		free(all.p);
	}
	rc = gen_write_file(path, b.p, b.len, err, errlen);
	free(b.p);
	return rc;
}
