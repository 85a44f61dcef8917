/*
 * docsink.h — a document sink for the extractor tests (test_extract_*.c)
 * that records every line passed — text, zone, flags, encoding, page,
 * index, part — and answers MORE, or what the test's answer function
 * says once the line is kept.
 */
#ifndef CG_DOCSINK_H
#define CG_DOCSINK_H

#include <stdbool.h>
#include <stddef.h>

#include "secrets/doc.h"

#define DOCSINK_MAX 400		/* lines kept; later ones only counted */

struct docsink_line {
	char text[512];		/* NUL-terminated (cut if longer) */
	char part[256];
	size_t len;		/* the length passed */
	enum doc_zone zone;
	enum doc_enc enc;
	unsigned flags, page, index;
};

struct docsink;
typedef enum doc_next (*docsink_answer_fn)(struct docsink *d,
    const struct doc_line *l);

struct docsink {
	struct doc_sink sink;
	size_t n;		/* lines passed (d->n - 1 is the last) */
	docsink_answer_fn answer;	/* NULL: MORE to every line */
	struct docsink_line l[DOCSINK_MAX];
};

/* Empties d, to answer with answer (may be NULL). */
void docsink_init(struct docsink *d, docsink_answer_fn answer);
/* A context that passes lines to d: zeroed, then lim, sink and prefix ""
 * set (the caller sets the deadline, ocr, …). */
void docsink_ctx(struct doc_ctx *ctx, struct doc_limits *lim,
    struct docsink *d);
/* Line i, asserted to have been passed and kept. */
const struct docsink_line *docsink_at(const struct docsink *d, size_t i);
/* The first line of page whose text is text, or NULL. */
const struct docsink_line *docsink_find(const struct docsink *d,
    const char *text, unsigned page);
/* The first line of page whose text contains s but not but (NULL: any),
 * or NULL. */
const struct docsink_line *docsink_has(const struct docsink *d,
    unsigned page, const char *s, const char *but);
/* How many lines contain needle. */
size_t docsink_count(const struct docsink *d, const char *needle);

/* A recording sink that answers as a test sets it: STOP once
 * stop_after lines were passed (0: never); SKIP the rest of skip_zone
 * once skip_body_after of its lines were passed (-1: never). */
struct docsink_rec {
	struct docsink d;
	int skip_body_after;
	enum doc_zone skip_zone;
	size_t stop_after;
	unsigned body;		/* lines of skip_zone seen */
};
void docsink_rec_init(struct docsink_rec *r);
/* Asserts line i: its text, zone, flags, page and part. */
void docsink_line_is(const struct docsink *d, size_t i, const char *text,
    enum doc_zone zone, unsigned flags, unsigned page, const char *part);

#endif
