/*
 * ooxml.h — private to the Office Open XML readers: extract_ooxml.c (the
 * package, Word, PowerPoint, DrawingML text) and extract_xlsx.c (Excel).
 * What they share: a part's relationships (ECMA-376 Part 2, OPC), the
 * DrawingML text reader that slides and spreadsheet drawings both use,
 * and Excel's entry point. Zip and XML reading is in xmlpart.h.
 */
#ifndef CG_SECRETS_OOXML_H
#define CG_SECRETS_OOXML_H

#include <stddef.h>

#include "secrets/doc.h"
#include "secrets/xmlpart.h"

/* One relationship of a part (internal targets only). */
struct ox_rel {
	char id[64];
	char type[40];		/* last segment of the type URI */
	char target[XP_NAME_MAX];	/* resolved part name */
};

struct ox_rels {
	struct ox_rel *v;
	size_t n, cap;
};

/* Reads the relationships of part ("" for the package); an absent .rels
 * part is no relationship. Errors only for a malformed one. */
enum doc_err ox_rels_read(struct xp_pkg *pkg, const char *part,
    struct ox_rels *rs);
void ox_rels_free(struct ox_rels *rs);
/* The relationship with that Id, or the first of that type, or NULL. */
const struct ox_rel *ox_rels_id(const struct ox_rels *rs, const char *id);
const struct ox_rel *ox_rels_type(const struct ox_rels *rs,
    const char *type);

/* Reads the DrawingML text of part (a slide, its notes, a spreadsheet
 * drawing) in zone base (BODY for slides: placeholders then say title,
 * body or footer; NOTE; BOX for drawings), on page (extract_ooxml.c). */
enum doc_err ox_drawing_part(struct xp_pkg *pkg, const char *part,
    enum doc_zone base, unsigned page);

/* Reads a workbook whose main part is main (extract_xlsx.c). */
enum doc_err ox_read_sheets(struct xp_pkg *pkg, const char *main);

#endif
