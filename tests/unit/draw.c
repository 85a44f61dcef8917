/*
 * draw.c — drawing documents for the extractor tests (draw.h).
 */
#include <stdlib.h>
#include <string.h>

#include "draw.h"

cairo_status_t
mem_write(void *arg, const unsigned char *data, unsigned int len)
{
	struct mem *m = arg;

	if (m->len + len > m->cap) {
		m->cap = (m->len + len) * 2;
		m->p = realloc(m->p, m->cap);
		if (m->p == NULL)
			return CAIRO_STATUS_NO_MEMORY;
	}
	memcpy(m->p + m->len, data, len);
	m->len += len;
	return CAIRO_STATUS_SUCCESS;
}

void
draw_text(cairo_t *cr, double x, double y, const char *s, bool bold,
    double size)
{
	cairo_select_font_face(cr, "DejaVu Serif", CAIRO_FONT_SLANT_NORMAL,
	    bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
	cairo_move_to(cr, x, y);
	cairo_show_text(cr, s);
}
