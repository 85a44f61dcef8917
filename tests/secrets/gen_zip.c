/*
 * gen_zip.c — the zip writer of the finder's test corpus (gen.h): an
 * archive (libzip) holding the logical document written by another
 * writer, beside an ordinary note and a folder; with odd seeds the
 * document sits in a zip inside the zip (two levels).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <zip.h>

#include "gen.h"

/* The writer of the document inside, chosen by what it must carry. */
static const struct gen_format *
inner_format(enum gen_kind kind, enum gen_enc enc)
{
	static const char *const names[] = {"docx", "rtf", "txt", "odt",
	    "pdf"};
	const struct gen_format *f;
	size_t i, k;

	if (enc == GEN_ENC_UTF16LE || enc == GEN_ENC_UTF16BE ||
	    enc == GEN_ENC_CP1258)
		return gen_format_find("txt");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		k = (i + (size_t)kind) % (sizeof(names) / sizeof(names[0]));
		f = gen_format_find(names[k]);
		if (f != NULL && f->write != NULL && f->supports(kind, enc))
			return f;
	}
	return NULL;
}

bool
gen_zip_supports(enum gen_kind kind, enum gen_enc enc)
{
	const struct gen_format *f = inner_format(kind, enc);

	return f != NULL && f->supports(kind, enc);
}

static int
zip_fail(zip_t *za, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, zip_strerror(za));
	zip_discard(za);
	return -1;
}

/* Adds a copy of data as entry name (libzip frees it). */
static int
zip_put(zip_t *za, const char *name, const void *data, size_t len)
{
	zip_source_t *zs;
	void *copy = malloc(len ? len : 1);

	if (copy == NULL)
		return -1;
	memcpy(copy, data, len);
	if ((zs = zip_source_buffer(za, copy, len, 1)) == NULL) {
		free(copy);
		return -1;
	}
	if (zip_file_add(za, name, zs, ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(zs);
		return -1;
	}
	return 0;
}

static int
write_zip(const char *path, const char *docname, const char *doc,
    size_t doclen, char *err, size_t errlen)
{
	static const char readme[] = "Danh sách tài liệu gửi kèm.\n"
	    "Mật khẩu wifi phòng họp đã đổi.\n";
	zip_t *za;
	int ze;

	if ((za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze)) == NULL) {
		snprintf(err, errlen, "%s: zip error %d", path, ze);
		return -1;
	}
	if (zip_put(za, "đọc tôi.txt", readme, sizeof(readme) - 1) != 0 ||
	    zip_dir_add(za, "hồ sơ", ZIP_FL_ENC_UTF_8) < 0 ||
	    zip_put(za, docname, doc, doclen) != 0)
		return zip_fail(za, err, errlen, path);
	if (zip_close(za) != 0)
		return zip_fail(za, err, errlen, path);
	return 0;
}

int
gen_zip_write(const char *path, const struct gen_doc *d, char *err,
    size_t errlen)
{
	const struct gen_format *f = inner_format(d->kind, d->enc);
	char tmp[4096], name[256];
	gchar *data = NULL;
	gsize len = 0;
	GError *ge = NULL;
	int rc;

	if (f == NULL) {
		snprintf(err, errlen, "%s: no format for the document", path);
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s.in.%s", path, f->ext);
	if (f->write(tmp, d, err, errlen) != 0)
		return -1;
	if (!g_file_get_contents(tmp, &data, &len, &ge)) {
		snprintf(err, errlen, "%s: %s", tmp, ge->message);
		g_error_free(ge);
		unlink(tmp);
		return -1;
	}
	unlink(tmp);
	snprintf(name, sizeof(name), "hồ sơ/công văn.%s", f->ext);
	if (d->seed % 2 == 0) {
		rc = write_zip(path, name, data, len, err, errlen);
		g_free(data);
		return rc;
	}
	/* two levels: the document in a zip in the zip */
	snprintf(tmp, sizeof(tmp), "%s.in.zip", path);
	rc = write_zip(tmp, name, data, len, err, errlen);
	g_free(data);
	if (rc != 0)
		return rc;
	if (!g_file_get_contents(tmp, &data, &len, &ge)) {
		snprintf(err, errlen, "%s: %s", tmp, ge->message);
		g_error_free(ge);
		unlink(tmp);
		return -1;
	}
	unlink(tmp);
	rc = write_zip(path, "hồ sơ/lưu trữ.zip", data, len, err, errlen);
	g_free(data);
	return rc;
}
