/*
 * ocr.h — text recognition of scanned pages and images for the
 * classified-document finder (--ocr), through Tesseract with its
 * Vietnamese model. One engine per process, started on first use; the
 * scan runs every file in a worker process, so nothing here is shared
 * between threads.
 */
#ifndef CG_SECRETS_OCR_H
#define CG_SECRETS_OCR_H

#include <stdbool.h>

#include "secrets/doc.h"

struct Pix;

/* The reason given when the Vietnamese model is not installed. */
#define OCR_MODEL_MISSING \
	"Vietnamese OCR model missing (apt install tesseract-ocr-vie)"

/* Pixels of one image handed to the engine; larger ones are scaled down
 * first (an A4 page at 300 dpi is 8.7 megapixels). */
#define OCR_MAX_PIXELS (12u * 1000u * 1000u)

/* Whether the Vietnamese model is installed (tessdata found). */
bool ocr_available(void);

/*
 * Recognises pix (any depth; its resolution in dpi, or 0 to guess it from
 * the width of an A4 page) and passes its lines to ctx's sink in reading
 * order: zone DOC_ZONE_OCR, the given page and part, index 0, 1, … from
 * the top; DOC_F_LARGE for lines much taller than the page's usual line.
 * Sets ctx->ocr_used. Honours SKIP (ends the page) and STOP; gives up at
 * ctx's deadline (DOC_ERR_TIMEOUT). DOC_ERR_UNSUPPORTED (OCR_MODEL_MISSING)
 * when the model is absent.
 */
enum doc_err ocr_page(struct doc_ctx *ctx, struct Pix *pix, int dpi,
    unsigned page, const char *part);

/* Frees the engine (at exit; the next ocr_page() starts it again). */
void ocr_end(void);

#endif
