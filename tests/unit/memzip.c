/*
 * memzip.c — a zip archive made in memory for the tests (memzip.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zip.h>

#include "memzip.h"

unsigned char *
memzip(const struct memzip_entry *e, size_t n, size_t *outlen)
{
	zip_error_t ze;
	zip_source_t *src, *zs;
	zip_t *za;
	zip_stat_t st;
	unsigned char *buf;
	zip_int64_t idx;
	size_t i, len;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	zip_source_keep(src);
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	for (i = 0; i < n; i++) {
		if (e[i].data == NULL) {
			assert_true(zip_dir_add(za, e[i].name,
			    ZIP_FL_ENC_UTF_8) >= 0);
			continue;
		}
		len = e[i].len != 0 ? e[i].len : strlen(e[i].data);
		zs = zip_source_buffer(za, e[i].data, len, 0);
		assert_non_null(zs);
		idx = zip_file_add(za, e[i].name, zs, ZIP_FL_ENC_UTF_8);
		assert_true(idx >= 0);
		assert_int_equal(zip_set_file_compression(za,
		    (zip_uint64_t)idx, strcmp(e[i].name, "mimetype") == 0 ?
		    ZIP_CM_STORE : ZIP_CM_DEFLATE, 1), 0);
		if (e[i].encrypt)
			assert_int_equal(zip_file_set_encryption(za,
			    (zip_uint64_t)idx, ZIP_EM_AES_256, "mật khẩu"), 0);
	}
	assert_int_equal(zip_close(za), 0);
	assert_int_equal(zip_source_open(src), 0);
	zip_stat_init(&st);
	assert_int_equal(zip_source_stat(src, &st), 0);
	buf = malloc(st.size);
	assert_non_null(buf);
	assert_int_equal(zip_source_read(src, buf, st.size),
	    (zip_int64_t)st.size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*outlen = st.size;
	return buf;
}
