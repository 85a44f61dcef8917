/*
 * ole2.h — private to the legacy Office readers (extract_ole2.c and
 * ole2_word.c, ole2_excel.c, ole2_ppt.c): a stream held in memory,
 * little-endian readers, and the line being built in UTF-16 code units
 * with the legacy-font conversions ([MS-DOC], [MS-XLS], [MS-PPT]).
 */
#ifndef CG_SECRETS_OLE2_H
#define CG_SECRETS_OLE2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "secrets/doc.h"

#define OLE2_LINE_MAX	8192	/* code units kept of one line */
#define OLE2_LATE_EVERY	4096	/* units or records between deadline checks */

struct ole2_stream {
	const unsigned char *p;
	size_t len;
};

static inline uint16_t
ole2_u16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
ole2_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* One line being built, as UTF-16 code units (8-bit text already mapped
 * to the code points its format gives it). */
struct ole2_text {
	uint16_t u[OLE2_LINE_MAX];
	size_t n;
	bool from8;	/* some unit came from 8-bit storage */
	bool high8;	/* some 8-bit unit was >= 0x80 */
};

/* Where the lines of one part go, and how many went there. */
struct ole2_out {
	const char *part;
	enum doc_zone zone;
	unsigned page;
	unsigned index;		/* next line's index */
	size_t bytes;		/* text passed to the sink so far */
};

void ole2_text_add(struct ole2_text *t, uint16_t u, bool from8);
/* Emits t (then empties it) with flags and enc: DOC_ENC_TCVN3/VNI turn the
 * units back into the font's bytes; DOC_ENC_UNICODE becomes
 * DOC_ENC_UNKNOWN_8BIT when the line holds high 8-bit units. Answers SKIP
 * once the part passed ctx->lim->max_text. */
enum doc_next ole2_text_emit(struct doc_ctx *ctx, struct ole2_text *t,
    struct ole2_out *o, unsigned flags, enum doc_enc enc);
/* Windows-1252's code point of byte b (0x80–0x9F differ from Latin-1). */
uint16_t ole2_cp1252(unsigned char b);
/* The encoding a font name says (".VnTime…" TCVN3, "VNI-…" VNI); caps for
 * the capitals-only ".Vn…H" fonts. */
enum doc_enc ole2_font_enc(const char *name, bool *caps);

enum doc_err ole2_word(struct doc_ctx *ctx, const struct ole2_stream *wd,
    const struct ole2_stream *table0, const struct ole2_stream *table1);
enum doc_err ole2_excel(struct doc_ctx *ctx, const struct ole2_stream *wb);
enum doc_err ole2_ppt(struct doc_ctx *ctx, const struct ole2_stream *ppt);

#endif
