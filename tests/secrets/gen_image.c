/*
 * gen_image.c — scanned pages of the finder's test corpus (gen.h): the
 * first page of a logical document as gen_pdf.c draws it, at 200 dpi in
 * grey with a little noise, saved by leptonica as PNG, JPEG, or a TIFF
 * (LZW) holding the first two pages. Read only with --ocr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <leptonica/allheaders.h>

#include "gen.h"

#define SCAN_DPI	200
#define TIFF_PAGES	2

/* gen_pdf.c */
int gen_pdf_scan(const struct gen_doc *d, unsigned max,
    cairo_surface_t **pages, unsigned *npages, char *err, size_t errlen);

/* An 8-bit grey leptonica copy of a grey cairo image. */
static PIX *
to_pix(cairo_surface_t *s)
{
	int w = cairo_image_surface_get_width(s);
	int h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s), x, y;
	const unsigned char *data;
	PIX *pix;

	cairo_surface_flush(s);
	data = cairo_image_surface_get_data(s);
	if ((pix = pixCreate(w, h, 8)) == NULL)
		return NULL;
	for (y = 0; y < h; y++) {
		const uint32_t *row = (const uint32_t *)(const void *)(data +
		    (size_t)y * (size_t)stride);
		l_uint32 *line = pixGetData(pix) + (size_t)y * pixGetWpl(pix);

		for (x = 0; x < w; x++)
			SET_DATA_BYTE(line, x, row[x] & 0xFF);
	}
	pixSetResolution(pix, SCAN_DPI, SCAN_DPI);
	return pix;
}

/* Writes the first npages pages of d in format (IFF_*); a TIFF holds
 * them all, the other formats the first. */
static int
write_scan(const char *path, const struct gen_doc *d, unsigned npages,
    l_int32 format, char *err, size_t errlen)
{
	cairo_surface_t *pages[TIFF_PAGES];
	unsigned n = 0, i;
	int r = 0;

	if (npages > TIFF_PAGES)
		npages = TIFF_PAGES;
	if (gen_pdf_scan(d, npages, pages, &n, err, errlen) != 0) {
		for (i = 0; i < n; i++)
			cairo_surface_destroy(pages[i]);
		return -1;
	}
	for (i = 0; i < n; i++) {
		PIX *pix = r == 0 ? to_pix(pages[i]) : NULL;

		cairo_surface_destroy(pages[i]);
		if (r != 0)
			continue;
		if (pix == NULL) {
			snprintf(err, errlen, "%s: out of memory", path);
			r = -1;
			continue;
		}
		if (format == IFF_TIFF_LZW)
			r = pixWriteTiff(path, pix, IFF_TIFF_LZW, i == 0 ?
			    "w" : "a");
		else if (format == IFF_JFIF_JPEG)
			r = pixWriteJpeg(path, pix, 85, 0);
		else
			r = pixWrite(path, pix, format);
		pixDestroy(&pix);
		if (r != 0)
			snprintf(err, errlen, "%s: leptonica could not write "
			    "the image", path);
	}
	return r != 0 ? -1 : 0;
}

int
gen_png_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	return write_scan(path, d, 1, IFF_PNG, err, errlen);
}

int
gen_jpg_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	return write_scan(path, d, 1, IFF_JFIF_JPEG, err, errlen);
}

int
gen_tif_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	return write_scan(path, d, TIFF_PAGES, IFF_TIFF_LZW, err, errlen);
}

/* A scan carries what the first page shows: Unicode text, any kind. */
bool
gen_png_supports(enum gen_kind kind, enum gen_enc enc)
{
	(void)kind;
	return enc == GEN_ENC_NFC;
}

bool
gen_jpg_supports(enum gen_kind kind, enum gen_enc enc)
{
	(void)kind;
	return enc == GEN_ENC_NFC;
}

bool
gen_tif_supports(enum gen_kind kind, enum gen_enc enc)
{
	(void)kind;
	return enc == GEN_ENC_NFC;
}
