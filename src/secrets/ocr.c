/*
 * ocr.c — Tesseract (C API) reading scanned pages for the
 * classified-document finder: finds the Vietnamese model, starts one
 * engine per process on first use ("vie" alone: with "eng" beside it the
 * engine reads "MẬT" as the English-looking "MAT" on noisy scans), and
 * turns an image into lines in reading order with their boxes, so that
 * the detector knows which lines stand at the top of the page. ocr.h is
 * the interface; docs/secrets.md says what OCR reads and why it is
 * optional.
 */
#include <dlfcn.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include "secrets/doc.h"
#include "secrets/ocr.h"

#define OCR_MAX_LINES 400	/* lines of one page kept for emitting */
#define OCR_LARGE_RATIO 1.4	/* a line this much taller is DOC_F_LARGE */

/* Where Debian, Fedora and source builds put the models. */
static const char *const ocr_dirs[] = {
	"/usr/share/tesseract-ocr/5/tessdata",
	"/usr/share/tesseract-ocr/4.00/tessdata",
	"/usr/share/tesseract-ocr/tessdata",
	"/usr/share/tessdata",
	"/usr/local/share/tessdata",
	"/usr/local/share/tesseract-ocr/tessdata",
	NULL
};

static TessBaseAPI *ocr_api;
static bool ocr_tried;		/* ocr_start() ran (and maybe failed) */
static bool ocr_atexit;		/* ocr_end() registered with atexit() */
static char ocr_dir[512];

struct ocr_line {
	char *text;
	int top, height;
};

static bool
has_model(const char *dir, const char *lang)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%s.traineddata", dir, lang);
	return access(path, R_OK) == 0;
}

/* The tessdata directory holding vie.traineddata: $TESSDATA_PREFIX (the
 * directory itself or its parent), then the usual places. */
static bool
find_tessdata(char *out, size_t outlen)
{
	const char *env = getenv("TESSDATA_PREFIX");
	char buf[512];
	size_t i;

	if (env != NULL && env[0] != '\0' && strlen(env) < 400) {
		if (has_model(env, "vie")) {
			snprintf(out, outlen, "%s", env);
			return true;
		}
		snprintf(buf, sizeof(buf), "%s/tessdata", env);
		if (has_model(buf, "vie")) {
			snprintf(out, outlen, "%s", buf);
			return true;
		}
	}
	for (i = 0; ocr_dirs[i] != NULL; i++)
		if (has_model(ocr_dirs[i], "vie")) {
			snprintf(out, outlen, "%s", ocr_dirs[i]);
			return true;
		}
	return false;
}

bool
ocr_available(void)
{
	char dir[512];

	return ocr_api != NULL || find_tessdata(dir, sizeof(dir));
}

/*
 * Tesseract parallelises with OpenMP; on a small office computer its
 * threads spin on each other (five times slower than one thread on two
 * cores) and the scan must stay unnoticed: one thread. Its parallel
 * regions ask for their own thread counts, so they are made inactive
 * (max-active-levels 0) rather than sized. libgomp is loaded with
 * Tesseract, so the setter is looked up rather than linked.
 */
static void
ocr_one_thread(void)
{
	void (*set)(int);
	void *sym = dlsym(RTLD_DEFAULT, "omp_set_max_active_levels");

	if (sym == NULL)
		return;
	memcpy(&set, &sym, sizeof(set));
	set(0);
}

/* Starts the engine once; false when the model is missing or broken. */
static bool
ocr_start(void)
{
	char *numeric = NULL;
	const char *cur;
	int rc;

	if (ocr_api != NULL)
		return true;
	if (ocr_tried)
		return false;
	ocr_tried = true;
	if (!find_tessdata(ocr_dir, sizeof(ocr_dir)))
		return false;
	ocr_one_thread();
	ocr_api = TessBaseAPICreate();
	if (ocr_api == NULL)
		return false;
	/* Tesseract reads its parameter files with the C number format. */
	cur = setlocale(LC_NUMERIC, NULL);
	if (cur != NULL && strcmp(cur, "C") != 0) {
		numeric = strdup(cur);
		setlocale(LC_NUMERIC, "C");
	}
	TessBaseAPISetVariable(ocr_api, "debug_file", "/dev/null");
	rc = TessBaseAPIInit3(ocr_api, ocr_dir, "vie");
	if (numeric != NULL) {
		setlocale(LC_NUMERIC, numeric);
		free(numeric);
	}
	if (rc != 0) {
		TessBaseAPIDelete(ocr_api);
		ocr_api = NULL;
		return false;
	}
	TessBaseAPISetVariable(ocr_api, "debug_file", "/dev/null");
	TessBaseAPISetPageSegMode(ocr_api, PSM_AUTO);
	/* ended before Tesseract's own caches are torn down at exit, which
	 * otherwise complain on stderr */
	if (!ocr_atexit)
		atexit(ocr_end);
	ocr_atexit = true;
	return true;
}

void
ocr_end(void)
{
	if (ocr_api != NULL) {
		TessBaseAPIEnd(ocr_api);
		TessBaseAPIDelete(ocr_api);
	}
	ocr_api = NULL;
	ocr_tried = false;
}

/* The monitor's cancel callback: past the file's deadline. */
static bool
ocr_cancel(void *arg, int words)
{
	const struct doc_ctx *ctx = arg;

	(void)words;
	return ctx->deadline > 0 && doc_now() > ctx->deadline;
}

/* The scale that brings w×h pixels under OCR_MAX_PIXELS (no libm). */
static double
ocr_scale(l_int32 w, l_int32 h)
{
	double px = (double)w * (double)h, f = 1.0;

	while (px * f * f > (double)OCR_MAX_PIXELS)
		f *= 0.95;
	return f;
}

/* An 8-bit grey copy of pix no larger than OCR_MAX_PIXELS, or NULL;
 * *dpi follows the scaling. */
static PIX *
ocr_prepare(PIX *pix, int *dpi)
{
	l_int32 w = pixGetWidth(pix), h = pixGetHeight(pix);
	PIX *grey, *scaled;
	double f;

	if (w <= 0 || h <= 0)
		return NULL;
	grey = pixConvertTo8(pix, 0);
	if (grey == NULL)
		return NULL;
	f = ocr_scale(w, h);
	if (f >= 1.0)
		return grey;
	scaled = pixScale(grey, (l_float32)f, (l_float32)f);
	pixDestroy(&grey);
	*dpi = (int)(*dpi * f);
	return scaled;
}

/* The resolution to tell the engine: the image's own when plausible,
 * else that of an A4 page (8.27 inches wide) of this width. */
static int
ocr_dpi(PIX *pix, int dpi)
{
	l_int32 w = pixGetWidth(pix);

	if (dpi <= 0)
		dpi = pixGetXRes(pix);
	if (dpi >= 70 && dpi <= 1200)
		return dpi;
	dpi = (int)(w / 8.27);
	if (dpi < 70)
		dpi = 70;
	if (dpi > 1200)
		dpi = 1200;
	return dpi;
}

/* Collects the text lines of the recognised page in reading order. */
static size_t
ocr_collect(struct ocr_line *lines, size_t max)
{
	TessResultIterator *it;
	const TessPageIterator *pit;
	size_t n = 0;

	it = TessBaseAPIGetIterator(ocr_api);
	if (it == NULL)
		return 0;
	pit = TessResultIteratorGetPageIteratorConst(it);
	do {
		int l, t, r, b;
		char *text;

		if (!TessPageIteratorBoundingBox(pit, RIL_TEXTLINE, &l, &t, &r,
		    &b))
			continue;
		text = TessResultIteratorGetUTF8Text(it, RIL_TEXTLINE);
		if (text == NULL)
			continue;
		if (n == max) {
			TessDeleteText(text);
			break;
		}
		lines[n].text = text;
		lines[n].top = t;
		lines[n].height = b > t ? b - t : 0;
		n++;
	} while (TessResultIteratorNext(it, RIL_TEXTLINE));
	TessResultIteratorDelete(it);
	return n;
}

/* The usual line height: the median. */
static int
ocr_median(const struct ocr_line *lines, size_t n)
{
	int hs[OCR_MAX_LINES];
	size_t i, j;

	for (i = 0; i < n; i++) {
		int v = lines[i].height;

		for (j = i; j > 0 && hs[j - 1] > v; j--)
			hs[j] = hs[j - 1];
		hs[j] = v;
	}
	return n > 0 ? hs[n / 2] : 0;
}

/* Passes the lines to the sink, numbering them from *idx; false once
 * the sink said SKIP or STOP. */
static bool
ocr_emit(struct doc_ctx *ctx, const struct ocr_line *lines, size_t n,
    unsigned page, const char *part, unsigned *idx)
{
	int med = ocr_median(lines, n);
	size_t i;

	for (i = 0; i < n; i++) {
		struct doc_line l;
		size_t len;

		memset(&l, 0, sizeof(l));
		l.text = lines[i].text;
		l.len = strlen(lines[i].text);
		l.zone = DOC_ZONE_OCR;
		l.enc = DOC_ENC_UNICODE;
		l.page = page;
		l.index = *idx;
		l.part = part;
		if (med > 0 && lines[i].height > med * OCR_LARGE_RATIO)
			l.flags |= DOC_F_LARGE;
		if (doc_emit(ctx, &l) != DOC_NEXT_MORE)
			return false;
		/* doc_emit() drops blank lines: count only the passed ones */
		for (len = l.len; len > 0 && (l.text[len - 1] == '\n' ||
		    l.text[len - 1] == ' '); len--)
			;
		if (len > 0)
			(*idx)++;
	}
	return true;
}

/*
 * Where to cut the page in two: a band of blank rows between a third and
 * a half of its height, so that the top (letterhead, number, stamp) is
 * read first and the rest only when the sink still wants lines — the
 * detector stops wanting them early on every page after the first.
 * 0 when there is no such band (then the page is read whole).
 */
static l_int32
ocr_split(PIX *grey, int dpi)
{
	l_int32 w = pixGetWidth(grey), h = pixGetHeight(grey), y, x;
	l_int32 run = 0, wpl = pixGetWpl(grey);
	l_int32 gap = dpi / 30;	/* rows: more than inside any text line */
	l_uint32 *data = pixGetData(grey);

	if (h < 4 * dpi || gap < 3)
		return 0;	/* not a page: read whole */
	for (y = h / 3; y < h / 2; y++) {
		const l_uint32 *line = data + (size_t)y * (size_t)wpl;
		l_int32 dark = 0;

		for (x = 0; x < w; x++)
			if (GET_DATA_BYTE(line, x) < 128)
				dark++;
		run = dark <= w / 400 ? run + 1 : 0;
		if (run == gap)
			return y - gap / 2;
	}
	return 0;
}

/* Recognises rows [top, top + height) of grey (a copy of them: the
 * engine's own rectangle reads the wrong rows in Tesseract 5.3) and emits
 * their lines; false once the sink wants no more of the page, or on error
 * (recorded). */
static bool
ocr_band(struct doc_ctx *ctx, ETEXT_DESC *mon, struct ocr_line *lines,
    PIX *grey, l_int32 top, l_int32 height, int dpi, unsigned page,
    const char *part, unsigned *idx)
{
	BOX *box;
	PIX *band;
	size_t n = 0, i;
	bool more = false;
	int rc;

	box = boxCreate(0, top, pixGetWidth(grey), height);
	band = box != NULL ? pixClipRectangle(grey, box, NULL) : NULL;
	boxDestroy(&box);
	if (band == NULL) {
		doc_fail(ctx, DOC_ERR_NOMEM, "%s: image band", part);
		return false;
	}
	TessBaseAPISetImage2(ocr_api, band);
	TessBaseAPISetSourceResolution(ocr_api, dpi);
	rc = TessBaseAPIRecognize(ocr_api, mon);
	if (rc != 0 && !doc_late(ctx))
		doc_fail(ctx, DOC_ERR_CORRUPT, "%s: OCR failed", part);
	if (rc == 0 && !doc_late(ctx)) {
		n = ocr_collect(lines, OCR_MAX_LINES);
		more = ocr_emit(ctx, lines, n, page, part, idx);
	}
	for (i = 0; i < n; i++)
		TessDeleteText(lines[i].text);
	TessBaseAPIClear(ocr_api);
	pixDestroy(&band);
	return more;
}

enum doc_err
ocr_page(struct doc_ctx *ctx, struct Pix *pix, int dpi, unsigned page,
    const char *part)
{
	struct ocr_line *lines;
	ETEXT_DESC *mon;
	PIX *grey;
	l_int32 h, cut;
	unsigned idx = 0;

	if (!ocr_start())
		return doc_fail(ctx, DOC_ERR_UNSUPPORTED, "%s",
		    OCR_MODEL_MISSING);
	if (doc_late(ctx))
		return DOC_ERR_TIMEOUT;
	dpi = ocr_dpi(pix, dpi);
	grey = ocr_prepare(pix, &dpi);
	if (grey == NULL)
		return doc_fail(ctx, DOC_ERR_NOMEM, "%s: image conversion",
		    part);
	lines = calloc(OCR_MAX_LINES, sizeof(*lines));
	mon = TessMonitorCreate();
	if (lines == NULL || mon == NULL) {
		free(lines);
		if (mon != NULL)
			TessMonitorDelete(mon);
		pixDestroy(&grey);
		return doc_fail(ctx, DOC_ERR_NOMEM, "%s: OCR", part);
	}
	TessMonitorSetCancelFunc(mon, ocr_cancel);
	TessMonitorSetCancelThis(mon, ctx);
	h = pixGetHeight(grey);
	cut = ocr_split(grey, dpi);
	ctx->ocr_used = true;
	if (cut > 0) {
		if (ocr_band(ctx, mon, lines, grey, 0, cut, dpi, page, part,
		    &idx))
			ocr_band(ctx, mon, lines, grey, cut, h - cut, dpi, page,
			    part, &idx);
	} else
		ocr_band(ctx, mon, lines, grey, 0, h, dpi, page, part, &idx);
	free(lines);
	TessMonitorDelete(mon);
	pixDestroy(&grey);
	if (ctx->err == DOC_ERR_TIMEOUT)
		return DOC_ERR_TIMEOUT;
	if (ctx->err == DOC_ERR_CORRUPT)
		return DOC_ERR_CORRUPT;
	return DOC_OK;
}
