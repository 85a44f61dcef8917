/*
 * extract_image.c — scanned pages kept as images (.png, .jpg, .tif) for
 * the classified-document finder, read only with --ocr: leptonica decodes
 * them once their header shows a size we accept (a hostile header asks
 * for gigapixels before a byte is decoded), the first lim->max_pages
 * pages of a multi-page TIFF, and ocr.c recognises each page. doc.h is
 * the contract.
 */
#include <stdio.h>
#include <string.h>

#include <leptonica/allheaders.h>

#include "secrets/doc.h"
#include "secrets/ocr.h"

#define IMAGE_MAX_PIXELS (50.0 * 1000 * 1000)	/* before decoding */

static bool
image_tiff(const unsigned char *buf, size_t len)
{
	return len >= 4 && (memcmp(buf, "II*\0", 4) == 0 ||
	    memcmp(buf, "MM\0*", 4) == 0);
}

static bool
image_known(const unsigned char *buf, size_t len)
{
	return image_tiff(buf, len) || (len >= 8 &&
	    memcmp(buf, "\x89PNG\r\n\x1A\n", 8) == 0) || (len >= 3 &&
	    memcmp(buf, "\xFF\xD8\xFF", 3) == 0);
}

/* Refuses a page whose header asks for too many pixels, and accounts
 * the decoded bytes. */
static enum doc_err
image_check(struct doc_ctx *ctx, const char *part, l_int32 w, l_int32 h,
    l_int32 bps, l_int32 spp)
{
	double px = (double)w * (double)h;
	size_t depth;

	if (w <= 0 || h <= 0)
		return doc_fail(ctx, DOC_ERR_CORRUPT, "%s: %dx%d pixels", part,
		    (int)w, (int)h);
	if (px > IMAGE_MAX_PIXELS)
		return doc_fail(ctx, DOC_ERR_TOO_LARGE, "%s: %dx%d pixels "
		    "(over %.0f megapixels)", part, (int)w, (int)h,
		    IMAGE_MAX_PIXELS / 1e6);
	depth = spp >= 3 || bps > 8 ? 4 : 1;
	return doc_expand(ctx, (size_t)w * (size_t)h * depth);
}

static enum doc_err
image_read(struct doc_ctx *ctx, PIX *pix, unsigned page, const char *part)
{
	enum doc_err e;

	if (pix == NULL)
		return doc_fail(ctx, DOC_ERR_CORRUPT, "%s: cannot decode the "
		    "image", part);
	e = ocr_page(ctx, pix, 0, page, part);
	pixDestroy(&pix);
	return e;
}

/* The first pages of a TIFF, each checked before it is decoded. */
static enum doc_err
image_tiff_pages(struct doc_ctx *ctx, const unsigned char *buf, size_t len,
    unsigned max)
{
	l_int32 w, h, bps, spp, res, cmap, format;
	char part[32];
	enum doc_err e = DOC_OK;
	unsigned n;

	for (n = 0; n < max && e == DOC_OK; n++) {
		snprintf(part, sizeof(part), "trang %u", n + 1);
		if (ctx->stopped || doc_late(ctx))
			break;
		if (readHeaderMemTiff(buf, len, (l_int32)n, &w, &h, &bps, &spp,
		    &res, &cmap, &format) != 0) {
			if (n == 0)
				e = doc_fail(ctx, DOC_ERR_CORRUPT, "%s: TIFF "
				    "header unreadable", part);
			break;
		}
		if ((e = image_check(ctx, part, w, h, bps, spp)) != DOC_OK)
			break;
		e = image_read(ctx, pixReadMemTiff(buf, len, (l_int32)n),
		    n + 1, part);
	}
	return e;
}

enum doc_err
doc_extract_image(struct doc_ctx *ctx, const unsigned char *buf, size_t len,
    const char *name)
{
	l_int32 format, w, h, bps, spp, cmap, sev;
	unsigned max = 1;
	enum doc_err e;

	(void)name;
	if (!image_known(buf, len))
		return doc_fail(ctx, DOC_ERR_UNSUPPORTED, "image: not PNG, "
		    "JPEG or TIFF");
	if (!ocr_available())
		return doc_fail(ctx, DOC_ERR_UNSUPPORTED, "%s",
		    OCR_MODEL_MISSING);
	if (ctx->lim != NULL && ctx->lim->max_pages > 0)
		max = ctx->lim->max_pages;
	/* leptonica reports bad input on stderr: the reason is ours to give */
	sev = setMsgSeverity(L_SEVERITY_NONE);
	if (image_tiff(buf, len)) {
		e = image_tiff_pages(ctx, buf, len, max);
	} else if (pixReadHeaderMem(buf, len, &format, &w, &h, &bps, &spp,
	    &cmap) != 0) {
		e = doc_fail(ctx, DOC_ERR_CORRUPT, "trang 1: image header "
		    "unreadable");
	} else if ((e = image_check(ctx, "trang 1", w, h, bps, spp)) ==
	    DOC_OK) {
		e = image_read(ctx, pixReadMem(buf, len), 1, "trang 1");
	}
	setMsgSeverity(sev);
	return e;
}
