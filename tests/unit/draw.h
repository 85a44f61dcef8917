/*
 * draw.h — what the extractor tests that draw their documents with cairo
 * share (test_extract_image.c, test_extract_pdf.c): a growing memory
 * buffer that cairo writes PNG or PDF into, and a line of text in
 * DejaVu Serif.
 */
#ifndef CG_TEST_DRAW_H
#define CG_TEST_DRAW_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>

struct mem {
	unsigned char *p;
	size_t len, cap;
};

/* A cairo_write_func_t appending to the struct mem at arg. */
cairo_status_t mem_write(void *arg, const unsigned char *data,
    unsigned int len);
/* s at (x, y) in DejaVu Serif of size, bold or not. */
void draw_text(cairo_t *cr, double x, double y, const char *s, bool bold,
    double size);

#endif
