/*
 * test_extract_ole2.c — the legacy Office extractor (extract_ole2.c,
 * ole2_word.c, ole2_excel.c, ole2_ppt.c) over compound files built here
 * with libgsf: Word stories (header, footer, text box, table cell, page
 * break, field result) with a Unicode and a TCVN3 .VnTimeH piece, Excel
 * shared strings split over CONTINUE with the header, PowerPoint slides
 * with titles and a text box, an embedded workbook, and the bad inputs:
 * encrypted (fEncrypted, FILEPASS, encrypted OOXML package), truncated,
 * a piece outside the stream, not a compound file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsf/gsf.h>

#include "secrets/doc.h"

#include "docsink.h"

/* --- bytes ------------------------------------------------------------------ */

struct ob {
	unsigned char *p;
	size_t len, cap;
};

static void
put(struct ob *b, const void *s, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	if (n > 0)
		memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void
u8(struct ob *b, unsigned v)
{
	unsigned char c = (unsigned char)v;

	put(b, &c, 1);
}

static void
u16(struct ob *b, unsigned v)
{
	u8(b, v & 0xFF);
	u8(b, v >> 8);
}

static void
u32(struct ob *b, uint32_t v)
{
	u16(b, v & 0xFFFF);
	u16(b, v >> 16);
}

static void
set16(struct ob *b, size_t at, unsigned v)
{
	b->p[at] = v & 0xFF;
	b->p[at + 1] = (v >> 8) & 0xFF;
}

static void
set32(struct ob *b, size_t at, uint32_t v)
{
	set16(b, at, v & 0xFFFF);
	set16(b, at + 2, v >> 16);
}

/* UTF-8 (BMP) to UTF-16LE code units appended to b. */
static void
utf16(struct ob *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		unsigned c = *p++;

		if (c >= 0xE0) {
			c = (c & 0x0F) << 12 | (p[0] & 0x3F) << 6 |
			    (p[1] & 0x3F);
			p += 2;
		} else if (c >= 0xC0) {
			c = (c & 0x1F) << 6 | (p[0] & 0x3F);
			p++;
		}
		u16(b, c);
	}
}

/* --- compound files ------------------------------------------------------------ */

struct stream {
	const char *name;	/* "dir/name" puts it in a storage */
	const struct ob *data;
};

static unsigned char *
cfb(const struct stream *s, size_t n, size_t *len)
{
	GsfOutput *mem = gsf_output_memory_new();
	GsfOutfile *ole = gsf_outfile_msole_new(mem);
	GsfOutfile *dir = NULL;
	unsigned char *out;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *slash = strchr(s[i].name, '/');
		GsfOutput *c;

		if (slash != NULL && dir == NULL) {
			char d[64];

			snprintf(d, sizeof(d), "%.*s", (int)(slash - s[i].name),
			    s[i].name);
			dir = GSF_OUTFILE(gsf_outfile_new_child(ole, d, TRUE));
		}
		c = gsf_outfile_new_child(slash != NULL ? dir : ole, slash !=
		    NULL ? slash + 1 : s[i].name, FALSE);
		assert_true(gsf_output_write(c, s[i].data->len, s[i].data->p));
		assert_true(gsf_output_close(c));
		g_object_unref(c);
	}
	if (dir != NULL) {
		gsf_output_close(GSF_OUTPUT(dir));
		g_object_unref(dir);
	}
	assert_true(gsf_output_close(GSF_OUTPUT(ole)));
	g_object_unref(ole);
	*len = (size_t)gsf_output_size(mem);
	out = malloc(*len);
	assert_non_null(out);
	memcpy(out, gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem)), *len);
	g_object_unref(mem);
	return out;
}

/* --- reading ------------------------------------------------------------------ */

struct got {
	struct docsink d;
	unsigned skip_after;	/* answer SKIP to body line n (0: never) */
	size_t body;
};

static enum doc_next
got_answer(struct docsink *d, const struct doc_line *l)
{
	struct got *g = (struct got *)d;

	if (l->zone == DOC_ZONE_BODY && ++g->body == g->skip_after)
		return DOC_NEXT_SKIP;
	return DOC_NEXT_MORE;
}

static void
got_init(struct got *g)
{
	memset(g, 0, sizeof(*g));
	docsink_init(&g->d, got_answer);
}

static struct doc_limits lim;

static enum doc_err
run(struct got *g, const unsigned char *buf, size_t len, struct doc_ctx *ctx)
{
	doc_limits_default(&lim, false);
	docsink_ctx(ctx, &lim, &g->d);
	ctx->deadline = doc_now() + 30;
	return doc_extract(ctx, buf, len, "t");
}

static void
check(const struct got *g, size_t i, enum doc_zone zone, unsigned page,
    const char *part, const char *text)
{
	assert_true(i < g->d.n);
	assert_string_equal(g->d.l[i].text, text);
	assert_int_equal(g->d.l[i].zone, zone);
	assert_int_equal(g->d.l[i].page, page);
	assert_string_equal(g->d.l[i].part, part);
}

/* --- Word ---------------------------------------------------------------------- */

#define TEXT_AT 1024

struct wopt {
	struct ob text;		/* all stories, as stored */
	bool eight;
	uint32_t ccp[8];	/* text ftn hdd mcr atn edn txbx hdrtxbx */
	const uint32_t *hdd;	/* PlcfHdd CPs */
	size_t nhdd;
	const char *font[3];
	/* runs: [fc, fcend) in font ftc (FKP), relative to TEXT_AT */
	uint32_t run[4][3];
	size_t nrun;
	unsigned flags;		/* FibBase flags */
	uint32_t piece_fc;	/* 0: TEXT_AT */
	size_t cut;		/* truncate WordDocument to this (0: no) */
};

static void
ffn(struct ob *t, const char *name)
{
	size_t n = strlen(name), i;

	u8(t, (unsigned)(40 + (n + 1) * 2 - 1));
	u8(t, 0x16);
	u16(t, 400);
	u8(t, 0);
	u8(t, 0);
	for (i = 0; i < 34; i++)
		u8(t, 0);
	for (i = 0; i <= n; i++)
		u16(t, (unsigned char)name[i]);
}

static void
pair(struct ob *wd, unsigned i, uint32_t fc, uint32_t lcb)
{
	set32(wd, 154 + i * 8, fc);
	set32(wd, 154 + i * 8 + 4, lcb);
}

static unsigned char *
word_file(struct wopt *o, size_t *len)
{
	struct ob wd = {0}, t = {0};
	struct stream s[2];
	uint32_t at, ncp = 0, i;
	unsigned char *out;

	for (i = 0; i < 8; i++)
		ncp += o->ccp[i];
	ncp++;
	wd.p = calloc(1, TEXT_AT);
	wd.len = wd.cap = TEXT_AT;
	set16(&wd, 0, 0xA5EC);
	set16(&wd, 2, 0x00C1);
	set16(&wd, 10, 0x0200 | o->flags);
	set16(&wd, 32, 14);
	set16(&wd, 62, 22);
	for (i = 0; i < 8; i++)
		set32(&wd, 64 + 12 + 4 * i, o->ccp[i]);
	set16(&wd, 152, 0x5D);
	put(&wd, o->text.p, o->text.len);
	if (o->font[0] != NULL) {
		at = (uint32_t)t.len;
		u16(&t, 3);
		u16(&t, 0);
		for (i = 0; i < 3; i++)
			ffn(&t, o->font[i]);
		pair(&wd, 15, at, (uint32_t)t.len - at);
	}
	if (o->nhdd > 0) {
		at = (uint32_t)t.len;
		for (i = 0; i < o->nhdd; i++)
			u32(&t, o->hdd[i]);
		pair(&wd, 11, at, (uint32_t)(o->nhdd * 4));
	}
	if (o->nrun > 0) {
		unsigned char pg[512];

		while (wd.len % 512 != 0)
			u8(&wd, 0);
		memset(pg, 0, sizeof(pg));
		for (i = 0; i < o->nrun; i++) {
			pg[i * 4] = (TEXT_AT + o->run[i][0]) & 0xFF;
			pg[i * 4 + 1] = (TEXT_AT + o->run[i][0]) >> 8;
			pg[(o->nrun + 1) * 4 + i] = (unsigned char)(240 + 4 *
			    o->run[i][2]);
			/* CHPX at word 240 + 4 ftc: sprmCRgFtc0 ftc */
			pg[(240 + 4 * o->run[i][2]) * 2] = 4;
			pg[(240 + 4 * o->run[i][2]) * 2 + 1] = 0x4F;
			pg[(240 + 4 * o->run[i][2]) * 2 + 2] = 0x4A;
			pg[(240 + 4 * o->run[i][2]) * 2 + 3] =
			    (unsigned char)o->run[i][2];
		}
		pg[o->nrun * 4] = (TEXT_AT + o->run[o->nrun - 1][1]) & 0xFF;
		pg[o->nrun * 4 + 1] = (TEXT_AT + o->run[o->nrun - 1][1]) >> 8;
		pg[511] = (unsigned char)o->nrun;
		at = (uint32_t)t.len;
		u32(&t, TEXT_AT + o->run[0][0]);
		u32(&t, TEXT_AT + o->run[o->nrun - 1][1]);
		u32(&t, (uint32_t)(wd.len / 512));
		pair(&wd, 12, at, 12);
		put(&wd, pg, sizeof(pg));
	}
	at = (uint32_t)t.len;
	u8(&t, 2);
	u32(&t, 16);
	u32(&t, 0);
	u32(&t, ncp);
	u16(&t, 0);
	i = o->piece_fc != 0 ? o->piece_fc : TEXT_AT;
	u32(&t, o->eight ? (i * 2) | 0x40000000u : i);
	u16(&t, 0);
	pair(&wd, 33, at, (uint32_t)t.len - at);
	if (o->cut > 0)
		wd.len = o->cut;
	s[0].name = "WordDocument";
	s[0].data = &wd;
	s[1].name = "1Table";
	s[1].data = &t;
	out = cfb(s, 2, len);
	free(wd.p);
	free(t.p);
	free(o->text.p);
	return out;
}

/* Main text with a field, a page break and a table cell; a header and a
 * footer story; a text box. */
static void
word_unicode_text(struct wopt *o)
{
	static const uint32_t hdd[14] = { 0, 0, 0, 0, 0, 0, 0, 0, 9, 9, 16,
	    16, 16, 17 };

	memset(o, 0, sizeof(*o));
	utf16(&o->text, "Số: 12/UBND\rTrang \x13 PAGE \x14" "1\x15\r"
	    "Ô bảng\x07\x0CTrang hai\r");
	o->ccp[0] = (uint32_t)(o->text.len / 2);
	utf16(&o->text, "TỐI MẬT\r\r" "Chân\r\r\r\r");
	o->ccp[2] = 17;
	utf16(&o->text, "MẬT\r\r");
	o->ccp[6] = 5;
	utf16(&o->text, "\r");
	o->hdd = hdd;
	o->nhdd = 14;
}

static void
test_word_stories(void **state)
{
	struct wopt o;
	struct got g;
	struct doc_ctx ctx;
	unsigned char *f;
	size_t len;

	(void)state;
	got_init(&g);
	word_unicode_text(&o);
	assert_int_equal(o.text.len / 2, 47 + 17 + 5 + 1);
	f = word_file(&o, &len);
	assert_int_equal(run(&g, f, len, &ctx), DOC_OK);
	assert_int_equal(g.d.n, 7);
	check(&g, 0, DOC_ZONE_HEADER, 1, "WordDocument/header", "TỐI MẬT");
	check(&g, 1, DOC_ZONE_FOOTER, 1, "WordDocument/footer", "Chân");
	check(&g, 2, DOC_ZONE_BODY, 1, "WordDocument", "Số: 12/UBND");
	assert_int_equal(g.d.l[2].index, 0);
	assert_int_equal(g.d.l[2].enc, DOC_ENC_UNICODE);
	check(&g, 3, DOC_ZONE_BODY, 1, "WordDocument", "Trang 1");
	assert_int_equal(g.d.l[3].index, 1);
	check(&g, 4, DOC_ZONE_TABLE, 1, "WordDocument", "Ô bảng");
	check(&g, 5, DOC_ZONE_BODY, 2, "WordDocument", "Trang hai");
	assert_int_equal(g.d.l[5].index, 2);
	check(&g, 6, DOC_ZONE_BOX, 0, "WordDocument/textbox", "MẬT");
	free(f);
}

/* SKIP on the first body line: the rest of the body is not read, the
 * text box still is. */
static void
test_word_skip(void **state)
{
	struct wopt o;
	struct got g;
	struct doc_ctx ctx;
	unsigned char *f;
	size_t len;

	(void)state;
	got_init(&g);
	word_unicode_text(&o);
	f = word_file(&o, &len);
	g.skip_after = 1;
	assert_int_equal(run(&g, f, len, &ctx), DOC_OK);
	assert_int_equal(g.d.n, 4);
	check(&g, 2, DOC_ZONE_BODY, 1, "WordDocument", "Số: 12/UBND");
	check(&g, 3, DOC_ZONE_BOX, 0, "WordDocument/textbox", "MẬT");
	free(f);
}

/* An 8-bit piece in .VnTimeH: "MẬT" is 4D CB 54, passed as those bytes
 * with DOC_ENC_TCVN3 and CAPS; the next paragraph in Times New Roman. */
static void
test_word_tcvn3(void **state)
{
	struct wopt o;
	struct got g;
	struct doc_ctx ctx;
	unsigned char *f;
	size_t len;

	(void)state;
	got_init(&g);
	memset(&o, 0, sizeof(o));
	o.eight = true;
	put(&o.text, "\x4D\xCB\x54\r\xA9\xE9 Caf\xE9\r\r", 13);
	o.ccp[0] = 12;
	o.font[0] = "Times New Roman";
	o.font[1] = ".VnTime";
	o.font[2] = ".VnTimeH";
	o.run[0][0] = 0; o.run[0][1] = 4; o.run[0][2] = 2;
	o.run[1][0] = 4; o.run[1][1] = 13; o.run[1][2] = 0;
	o.nrun = 2;
	f = word_file(&o, &len);
	assert_int_equal(run(&g, f, len, &ctx), DOC_OK);
	assert_int_equal(g.d.n, 2);
	check(&g, 0, DOC_ZONE_BODY, 1, "WordDocument", "M\xC3\x8BT");
	assert_int_equal(g.d.l[0].enc, DOC_ENC_TCVN3);
	assert_int_equal(g.d.l[0].flags, DOC_F_CAPS);
	/* Windows-1252 text of a Unicode font */
	check(&g, 1, DOC_ZONE_BODY, 1, "WordDocument", "©é Café");
	assert_int_equal(g.d.l[1].enc, DOC_ENC_UNICODE);
	free(f);
}

static void
test_word_bad(void **state)
{
	struct wopt o;
	struct got g;
	struct doc_ctx ctx;
	unsigned char *f;
	size_t len;

	(void)state;
	got_init(&g);
	word_unicode_text(&o);
	o.flags = 0x0100;
	f = word_file(&o, &len);
	assert_int_equal(run(&g, f, len, &ctx), DOC_ERR_ENCRYPTED);
	assert_int_equal(g.d.n, 0);
	free(f);

	word_unicode_text(&o);
	o.piece_fc = 0x10000;
	f = word_file(&o, &len);
	assert_int_equal(run(&g, f, len, &ctx), DOC_ERR_CORRUPT);
	assert_non_null(strstr(ctx.detail, "outside WordDocument"));
	free(f);

	word_unicode_text(&o);
	o.cut = 100;
	f = word_file(&o, &len);
	assert_int_equal(run(&g, f, len, &ctx), DOC_ERR_TRUNCATED);
	free(f);
}

/* --- Excel --------------------------------------------------------------------- */

static void
rec(struct ob *b, unsigned type, const struct ob *d)
{
	u16(b, type);
	u16(b, (unsigned)d->len);
	put(b, d->p, d->len);
}

static void
bof(struct ob *b, unsigned dt)
{
	struct ob d = {0};

	u16(&d, 0x0600);
	u16(&d, dt);
	u32(&d, 0);
	u32(&d, 0);
	u32(&d, 0);
	rec(b, 0x0809, &d);
	free(d.p);
}

static void
xl_font(struct ob *b, const char *name)
{
	struct ob d = {0};
	size_t i;

	for (i = 0; i < 14; i++)
		u8(&d, i == 6 ? 0x90 : i == 7 ? 1 : 0);	/* bold 400 */
	u8(&d, (unsigned)strlen(name));
	u8(&d, 0);
	put(&d, name, strlen(name));
	rec(b, 0x0031, &d);
	free(d.p);
}

static unsigned char *
xls_file(bool encrypted, size_t cut, size_t *len)
{
	struct ob b = {0}, d = {0};
	struct stream s;
	unsigned char *out;
	size_t bs, i;

	bof(&b, 5);
	if (encrypted) {
		u16(&d, 0);
		rec(&b, 0x002F, &d);
		d.len = 0;
	}
	xl_font(&b, "Arial");
	xl_font(&b, ".VnTimeH");
	for (i = 0; i < 2; i++) {
		/* XF 0: font 0; XF 1: font 1, centred */
		u16(&d, (unsigned)i);
		u16(&d, 0);
		u16(&d, 1);
		u8(&d, i == 1 ? 2 : 0);
		while (d.len < 20)
			u8(&d, 0);
		rec(&b, 0x00E0, &d);
		d.len = 0;
	}
	u32(&d, 0);
	u16(&d, 0);
	u8(&d, 6);
	u8(&d, 0);
	put(&d, "Bang 1", 6);
	bs = b.len + 4;
	rec(&b, 0x0085, &d);
	d.len = 0;
	/* SST: "Độ mật: " split after 4 characters into a CONTINUE, 8-bit
	 * "Sé" first, then 16-bit; then "Mật" (wide), then 8-bit bytes */
	u32(&d, 3);
	u32(&d, 3);
	u16(&d, 12);
	u8(&d, 0);
	put(&d, "Khan", 4);
	rec(&b, 0x00FC, &d);
	d.len = 0;
	u8(&d, 1);
	utf16(&d, " Tối mật");
	u16(&d, 3);
	u8(&d, 1);
	utf16(&d, "Mật");
	u16(&d, 3);
	u8(&d, 0);
	put(&d, "\x4D\xCB\x54", 3);
	rec(&b, 0x003C, &d);
	d.len = 0;
	rec(&b, 0x000A, &d);
	set32(&b, bs, (uint32_t)b.len);
	bof(&b, 0x10);
	u16(&d, 12);
	u8(&d, 1);
	utf16(&d, "&C&12TỐI MẬT");
	rec(&b, 0x0014, &d);
	d.len = 0;
	for (i = 0; i < 3; i++) {
		u16(&d, (unsigned)(1 + i));
		u16(&d, 1);
		u16(&d, i == 2 ? 1 : 0);
		u32(&d, (uint32_t)i);
		rec(&b, 0x00FD, &d);
		d.len = 0;
	}
	rec(&b, 0x000A, &d);
	if (cut > 0)
		b.len = cut;
	s.name = "Workbook";
	s.data = &b;
	out = cfb(&s, 1, len);
	free(b.p);
	free(d.p);
	return out;
}

static void
test_excel(void **state)
{
	struct got g;
	struct doc_ctx ctx;
	unsigned char *f;
	size_t len;

	(void)state;
	got_init(&g);
	f = xls_file(false, 0, &len);
	assert_int_equal(run(&g, f, len, &ctx), DOC_OK);
	assert_int_equal(g.d.n, 4);
	check(&g, 0, DOC_ZONE_HEADER, 1, "Bang 1", "TỐI MẬT");
	assert_int_equal(g.d.l[0].flags, DOC_F_CENTER);
	check(&g, 1, DOC_ZONE_CELL, 1, "Bang 1!B2", "Khan Tối mật");
	assert_int_equal(g.d.l[1].index, 0);
	check(&g, 2, DOC_ZONE_CELL, 1, "Bang 1!B3", "Mật");
	assert_int_equal(g.d.l[2].index, 1);
	check(&g, 3, DOC_ZONE_CELL, 1, "Bang 1!B4", "M\xC3\x8BT");
	assert_int_equal(g.d.l[3].enc, DOC_ENC_TCVN3);
	assert_int_equal(g.d.l[3].flags, DOC_F_CAPS | DOC_F_CENTER);
	free(f);

	f = xls_file(true, 0, &len);
	assert_int_equal(run(&g, f, len, &ctx), DOC_ERR_ENCRYPTED);
	free(f);

	f = xls_file(false, 30, &len);
	assert_int_equal(run(&g, f, len, &ctx), DOC_ERR_TRUNCATED);
	free(f);
}

/* An embedded workbook (MBD storage): read one level deeper, its parts
 * prefixed by the storage's name. */
static void
test_embedded(void **state)
{
	struct got g;
	struct doc_ctx ctx;
	struct ob wb = {0}, x = {0};
	struct stream s[2];
	unsigned char *inner, *f;
	size_t len, ilen;
	GsfInput *in;
	GsfInfile *ole;
	GsfInput *c;

	(void)state;
	got_init(&g);
	/* take the Workbook stream out of a file made by xls_file */
	inner = xls_file(false, 0, &ilen);
	in = gsf_input_memory_new(inner, (gsf_off_t)ilen, FALSE);
	ole = gsf_infile_msole_new(in, NULL);
	assert_non_null(ole);
	c = gsf_infile_child_by_name(ole, "Workbook");
	wb.len = wb.cap = (size_t)gsf_input_size(c);
	wb.p = malloc(wb.len);
	assert_non_null(gsf_input_read(c, wb.len, wb.p));
	g_object_unref(c);
	g_object_unref(ole);
	g_object_unref(in);
	free(inner);
	put(&x, "x", 1);
	s[0].name = "Ctls";
	s[0].data = &x;
	s[1].name = "MBD00A1/Workbook";
	s[1].data = &wb;
	f = cfb(s, 2, &len);
	assert_int_equal(run(&g, f, len, &ctx), DOC_OK);
	assert_int_equal(g.d.n, 4);
	check(&g, 1, DOC_ZONE_CELL, 1, "MBD00A1/Bang 1!B2", "Khan Tối mật");
	free(f);
	free(wb.p);
	free(x.p);
}

/* --- PowerPoint ---------------------------------------------------------------- */

static size_t
open_rec(struct ob *b, unsigned ver, unsigned inst, unsigned type)
{
	u16(b, ver | inst << 4);
	u16(b, type);
	u32(b, 0);
	return b->len;
}

static void
close_rec(struct ob *b, size_t at)
{
	set32(b, at - 4, (uint32_t)(b->len - at));
}

static void
text(struct ob *b, unsigned type, const char *s)
{
	size_t at = open_rec(b, 0, 0, 0x0F9F);

	u32(b, type);
	close_rec(b, at);
	at = open_rec(b, 0, 0, 0x0FA0);
	utf16(b, s);
	close_rec(b, at);
}

static unsigned char *
ppt_file(size_t cut, size_t *len)
{
	struct ob b = {0};
	struct stream s;
	size_t doc, slwt, at, sl, k;
	unsigned char *out;

	doc = open_rec(&b, 0xF, 0, 0x03E8);
	slwt = open_rec(&b, 0xF, 0, 0x0FF0);
	for (k = 0; k < 2; k++) {
		at = open_rec(&b, 0, 0, 0x03F3);
		u32(&b, (uint32_t)k);
		u32(&b, 0);
		u32(&b, 0);
		u32(&b, 0);
		u32(&b, 0);
		close_rec(&b, at);
		text(&b, 0, k == 0 ? "BÁO CÁO" : "Phần hai");
		text(&b, 1, k == 0 ? "Dòng một\rDòng hai" : "Nội dung");
	}
	close_rec(&b, slwt);
	close_rec(&b, doc);
	/* a master's text is not read; the slide's text box is */
	at = open_rec(&b, 0xF, 0, 0x03F8);
	text(&b, 0, "Click to edit Master title style");
	close_rec(&b, at);
	sl = open_rec(&b, 0xF, 0, 0x03EE);
	at = open_rec(&b, 0xF, 0, 0x040C);
	k = open_rec(&b, 0xF, 0, 0xF00D);
	text(&b, 4, "TUYỆT MẬT");
	close_rec(&b, k);
	close_rec(&b, at);
	close_rec(&b, sl);
	if (cut > 0)
		b.len = cut;
	s.name = "PowerPoint Document";
	s.data = &b;
	out = cfb(&s, 1, len);
	free(b.p);
	return out;
}

static void
test_ppt(void **state)
{
	struct got g;
	struct doc_ctx ctx;
	unsigned char *f;
	size_t len;

	(void)state;
	got_init(&g);
	f = ppt_file(0, &len);
	assert_int_equal(run(&g, f, len, &ctx), DOC_OK);
	assert_int_equal(g.d.n, 6);
	check(&g, 0, DOC_ZONE_BODY, 1, "slide 1", "BÁO CÁO");
	check(&g, 1, DOC_ZONE_BODY, 1, "slide 1", "Dòng một");
	check(&g, 2, DOC_ZONE_BODY, 1, "slide 1", "Dòng hai");
	assert_int_equal(g.d.l[2].index, 2);
	check(&g, 3, DOC_ZONE_BODY, 2, "slide 2", "Phần hai");
	assert_int_equal(g.d.l[3].index, 0);
	check(&g, 5, DOC_ZONE_BOX, 1, "slide 1", "TUYỆT MẬT");
	free(f);

	f = ppt_file(40, &len);
	assert_int_equal(run(&g, f, len, &ctx), DOC_ERR_TRUNCATED);
	free(f);
}

/* --- containers ------------------------------------------------------------------ */

static void
test_container(void **state)
{
	struct got g;
	struct doc_ctx ctx;
	struct ob x = {0};
	struct stream s[2];
	unsigned char junk[1024], *f;
	size_t len;

	(void)state;
	got_init(&g);
	put(&x, "\x04\x00\x04\x00", 4);
	s[0].name = "EncryptionInfo";
	s[0].data = &x;
	s[1].name = "EncryptedPackage";
	s[1].data = &x;
	f = cfb(s, 2, &len);
	assert_int_equal(run(&g, f, len, &ctx), DOC_ERR_ENCRYPTED);
	free(f);
	free(x.p);

	/* the compound file magic, then nothing of a compound file */
	memset(junk, 'x', sizeof(junk));
	memcpy(junk, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
	assert_int_equal(run(&g, junk, sizeof(junk), &ctx), DOC_ERR_CORRUPT);
	assert_int_equal(g.d.n, 0);
	assert_int_equal(run(&g, junk, 100, &ctx), DOC_ERR_TRUNCATED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_word_stories),
		cmocka_unit_test(test_word_skip),
		cmocka_unit_test(test_word_tcvn3),
		cmocka_unit_test(test_word_bad),
		cmocka_unit_test(test_excel),
		cmocka_unit_test(test_embedded),
		cmocka_unit_test(test_ppt),
		cmocka_unit_test(test_container),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
