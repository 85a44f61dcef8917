/*
 * xmlpart.h — reading the XML parts of a zip package (Office Open XML,
 * OpenDocument) for the classified-document finder: the zip opened from
 * memory with libzip, one entry streamed through libxml2's xmlTextReader
 * with every bound of doc.h (part size, expanded bytes, XML depth, time;
 * no DTD, no entity substitution, no network), and the line being built
 * from text runs. Shared by extract_ooxml.c and extract_odf.c.
 */
#ifndef CG_SECRETS_XMLPART_H
#define CG_SECRETS_XMLPART_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "secrets/doc.h"

#define XP_MAX_XML_DEPTH 256	/* deeper element nesting: corrupt */
#define XP_LINE_MAX 4096	/* bytes of one line kept (the rest cut) */
#define XP_NAME_MAX 512		/* part names and attribute values */

/* The namespaces both families use, told apart by URI (transitional and
 * strict OOXML alike); prefixes mean nothing. */
enum xp_ns {
	XP_NS_NONE = 0,
	XP_NS_OTHER,
	/* Office Open XML */
	XP_NS_W,	/* wordprocessingml main */
	XP_NS_R,	/* officeDocument relationships (r:id) */
	XP_NS_A,	/* drawingml main */
	XP_NS_P,	/* presentationml */
	XP_NS_S,	/* spreadsheetml */
	XP_NS_XDR,	/* spreadsheet drawing */
	XP_NS_MC,	/* markup compatibility */
	XP_NS_PKGREL,	/* package relationships (.rels) */
	XP_NS_CT,	/* [Content_Types].xml */
	XP_NS_CP,	/* core properties */
	XP_NS_DC,	/* Dublin Core (both families) */
	/* OpenDocument */
	XP_NS_OFFICE,
	XP_NS_TEXT,
	XP_NS_TABLE,
	XP_NS_DRAW,
	XP_NS_STYLE,
	XP_NS_FO,
	XP_NS_SVG,
	XP_NS_META,
	XP_NS_PRESENTATION,
	XP_NS_MANIFEST,
	XP_NS_COUNT
};

/* An open package. */
struct xp_pkg {
	struct doc_ctx *ctx;
	zip_t *za;
	zip_int64_t nentries;
};

/* Opens the zip held in buf (borrowed; must outlive the package). Errors
 * are recorded in ctx: TRUNCATED (no end of central directory), CORRUPT,
 * TOO_MANY (over max_entries). */
enum doc_err xp_open(struct xp_pkg *pkg, struct doc_ctx *ctx,
    const unsigned char *buf, size_t len);
void xp_close(struct xp_pkg *pkg);
/* Index of part name (case-insensitive, as OPC part names are), or -1. */
zip_int64_t xp_find(struct xp_pkg *pkg, const char *name);
/* Whether the entry is stored encrypted (zip traditional or AES). */
bool xp_encrypted(struct xp_pkg *pkg, zip_int64_t idx);

/* Resolves a relationship target against the folder of the part that
 * holds it ("word/document.xml" + "../media/a.png" -> "media/a.png"; a
 * leading "/" is the package root). false when out of room or it climbs
 * out of the package. */
bool xp_resolve(const char *base, const char *target, char *out,
    size_t outlen);

/* An XML part being read. */
struct xp_reader {
	struct xp_pkg *pkg;
	char name[XP_NAME_MAX];
	zip_file_t *zf;
	xmlTextReaderPtr r;
	size_t read;		/* bytes decompressed from the entry */
	size_t limit;		/* max_part */
	unsigned long nodes;
	enum doc_err ioerr;	/* raised inside the read callback */
	bool xmlerr;		/* libxml2 reported an error */
	int line, col;
	char msg[120];
	/* namespace URIs seen (libxml2 interns them) and their ids */
	const xmlChar *ns_uri[24];
	unsigned char ns_id[24];
	unsigned ns_n;
};

/* Opens part name for streaming. An absent part is DOC_ERR_CORRUPT when
 * required, else reads as empty (DOC_OK, no node). */
enum doc_err xp_reader_open(struct xp_pkg *pkg, const char *name,
    bool required, struct xp_reader *xr);
/* Next node: 1 a node, 0 end of part, -1 error (recorded in ctx with
 * part:line:col, or the size/time bound that stopped it). */
int xp_read(struct xp_reader *xr);
/* Skips the subtree of the current element: afterwards the reader stands
 * on its end, and xp_read goes on after it. 1, or as xp_read. */
int xp_skip(struct xp_reader *xr);
void xp_reader_close(struct xp_reader *xr);

/* The current node. */
int xp_type(const struct xp_reader *xr);	/* XML_READER_TYPE_* */
enum xp_ns xp_ns(struct xp_reader *xr);
const char *xp_local(const struct xp_reader *xr);
int xp_depth(const struct xp_reader *xr);
bool xp_empty(const struct xp_reader *xr);	/* <a/> */
/* An element start (or end) of that namespace and local name. */
bool xp_start(struct xp_reader *xr, enum xp_ns ns, const char *local);
bool xp_end(struct xp_reader *xr, enum xp_ns ns, const char *local);
/* Text of a text, CDATA or white space node, else NULL. */
const char *xp_text(const struct xp_reader *xr);
/* Copies the value of attribute (ns, local) of the current element into
 * buf (cut to buflen); false when absent. */
bool xp_attr(struct xp_reader *xr, enum xp_ns ns, const char *local,
    char *buf, size_t buflen);

/* Reads the whole part (at most max bytes, and max_part) to a malloc'd
 * NUL-terminated buffer, accounted with doc_expand. */
enum doc_err xp_slurp(struct xp_pkg *pkg, const char *name, size_t max,
    char **out, size_t *outlen);

/* --- building lines from runs ------------------------------------------- */

/* How a run is shown. */
struct xp_run {
	bool bold, caps, large;
	enum doc_enc enc;
};

/* A line being built (one paragraph, or its part up to a line break). */
struct xp_line {
	char buf[XP_LINE_MAX];
	size_t len;
	unsigned pflags;	/* paragraph flags: CENTER, FRAMED, LARGE */
	unsigned page;		/* page where its first text stands */
	bool text;		/* holds a non-space character */
	bool bold, caps, large;	/* every run with text so far */
	enum doc_enc enc;	/* of the first run with text */
};

void xp_line_start(struct xp_line *l, unsigned pflags);
/* Appends text s[0..n) of a run; page is where it stands. */
void xp_line_add(struct xp_line *l, const char *s, size_t n,
    const struct xp_run *run, unsigned page);
unsigned xp_line_flags(const struct xp_line *l);
/* Whether appending that text would mix encodings in one line (the
 * caller then passes the line first and goes on with a new one). */
bool xp_line_mixes(const struct xp_line *l, const char *s, size_t n,
    const struct xp_run *run);

/* Lines of one part going to the sink. */
struct xp_out {
	struct doc_ctx *ctx;
	const char *part;
	unsigned index[DOC_ZONE_OCR + 1];
	size_t text;		/* bytes passed in this part */
	bool leave;		/* SKIP, STOP or over max_text: leave the part */
};

void xp_out_start(struct xp_out *o, struct doc_ctx *ctx, const char *part);
/* Passes the line (nothing when it holds no text) in zone, with part
 * (NULL: o->part) and extra flags; resets it for the next line. Sets
 * o->leave on SKIP, STOP and past max_text. */
enum doc_next xp_emit(struct xp_out *o, struct xp_line *l, enum doc_zone zone,
    const char *part, unsigned flags);

/* Legacy-font names: ".VnTime…" -> TCVN3, "VNI-…" -> VNI; *caps set for
 * the capitals-only TCVN3 fonts (".VnTimeH", ".VnArialH"). */
enum doc_enc xp_font_enc(const char *font, bool *caps);

/* Formatting said by a style, a paragraph or a run; each flag -1 when
 * not said (then taken from the parent style, or the defaults). */
struct xp_props {
	signed char bold, caps, center, framed, pbreak;
	unsigned size;		/* in the format's unit (ODF 1/100 pt, OOXML
				 * half-points); 0: not said */
	char font[48];
};

/* Nothing said. */
void xp_props_init(struct xp_props *p);
/* Fills what p leaves unsaid from q. */
void xp_props_inherit(struct xp_props *p, const struct xp_props *q);

/* Room for need elements of size bytes in v (capacity *cap, at most max
 * elements): the array, maybe moved, or NULL (v left as it was) when
 * over max or out of memory. */
void *xp_grow(void *v, size_t *cap, size_t need, size_t size, size_t max);

/* Names to array indices (styles by name): FNV-1a hashes with open
 * addressing, so that a document with thousands of styles is not read
 * in quadratic time. */
struct xp_hash {
	struct xp_slot {
		unsigned hv, idx1;	/* idx1: index + 1, 0 empty */
	} *s;
	size_t cap, n;
};

unsigned xp_hash_str(const char *s, unsigned salt);
/* Records index idx under hv; false when out of memory. */
bool xp_hash_add(struct xp_hash *h, unsigned hv, size_t idx);
/* The next index recorded under hv (call with *pos 0 first): index + 1,
 * 0 when no more. */
size_t xp_hash_next(const struct xp_hash *h, unsigned hv, size_t *pos);
void xp_hash_free(struct xp_hash *h);

/* Copies s into d (cut to n - 1 bytes, on a character boundary). */
void xp_copy(char *d, size_t n, const char *s);

/* An attribute value that says "on": absent value counts as on for OOXML
 * toggles (w:b), "0", "false", "off", "none" are off. */
bool xp_on(const char *val);

#endif
