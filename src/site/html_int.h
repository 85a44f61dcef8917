/*
 * html_int.h — what html.c offers beyond site.h: the parse with its
 * "truncated" flag (a page cut at one of the bounds: 20,000 elements,
 * depth 256, 1 MiB of text, 16 MiB of input) and the 64-bit FNV-1a hash
 * that the block, script and shape hashes use. To be folded into site.h
 * (struct site_page gains "bool truncated") when the contract is next
 * revised.
 */
#ifndef CG_SITE_HTML_INT_H
#define CG_SITE_HTML_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "site/site.h"

/* site_html_parse(), also telling whether a bound cut the page short. */
int site_html_parse_ex(const unsigned char *body, size_t len,
    const char *charset, const char *base_url, struct site_page *p,
    bool *truncated, char *err, size_t errlen);

/* 64-bit FNV-1a of s[0..len). */
uint64_t site_html_hash(const void *s, size_t len);

#endif
