/*
 * detect_int.h — what the portal monitor's detection needs beyond site.h:
 * a term's strength, the embedded vocabulary loaded once, learning with a
 * chosen vocabulary, and the structure-signature sketch shared by
 * baseline.c and detect.c. Private to src/site/.
 */
#ifndef CG_SITE_DETECT_INT_H
#define CG_SITE_DETECT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "site/site.h"

/* Strength of a listed term (site_hit.term): 2 strong, 1 weak, 0 not a
 * term of that kind. */
int site_vocab_strength(const struct site_vocab *v, enum site_vocab_kind k,
    const char *term);

/* The embedded vocabulary (policy/site/vocab.yml), loaded on first use and
 * kept for the life of the process; NULL when it does not load (then err
 * says why). Thread-safe. */
const struct site_vocab *site_vocab_default(char *err, size_t errlen);

/* site_baseline_learn() with a chosen vocabulary (--vocab) rather than the
 * embedded one: the terms already present are counted with it. */
json_t *site_baseline_learn_vocab(const struct site_page *pages, size_t n,
    const struct site_fetch *fetches, const struct site_vocab *v);

/* The baseline keeps the smallest SITE_SHAPE_K hashes of the union of the
 * learnt pages' structure signatures (a bottom-k sketch). */
#define SITE_SHAPE_K 512

/* Jaccard similarity of two sorted sets of hashes; when b is a truncated
 * bottom-k sketch (b_cut), a is restricted to b's range first. 1.0 when
 * both are empty. */
double site_shape_jaccard(const uint64_t *a, size_t na, const uint64_t *b,
    size_t nb, bool b_cut);

/* The baseline's "shape" (hex strings) as a malloc'd sorted array. */
uint64_t *site_baseline_shape(json_t *baseline, size_t *n, bool *cut);

/* A page's shape sorted and unique (html.c promises it; checked), malloc'd. */
uint64_t *site_page_shape(const struct site_page *p, size_t *n);

/* The registrable domain of a URL (site_domain of its host), or NULL. */
char *site_url_domain(const char *url);

/* The text a kind of term is looked for in, "\n"-joined, malloc'd: the
 * title, meta description and keywords, every block (hidden ones too),
 * link texts and hosts; for miners the scripts' addresses and inline text
 * and the frames' addresses. */
char *site_page_termtext(enum site_vocab_kind k, const struct site_page *p,
    size_t *len);

/* The absolute URLs that inline scripts send the browser to
 * (location = "…", location.href = "…", location.replace("…"),
 * location.assign("…")), appended to arr (at most 20). */
void site_script_targets(const struct site_page *p, json_t *arr);

/* The gambling/deface/miner terms of a page (title, meta description and
 * keywords, every block, link texts) into arr as strings, distinct. */
void site_page_terms(const struct site_vocab *v, enum site_vocab_kind k,
    const struct site_page *p, json_t *arr);

#endif
