/*
 * test_export.c — the console's exports (src/server/export.c): CSV with a
 * BOM, RFC 4180 quoting and formula injection defused; XLSX whose cells
 * are strings, never formulas, with Vietnamese text intact (the workbook
 * is unzipped here with zlib to look inside); the row bound.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "server/export.h"

static const struct export_col cols2[] = {
	{ "Tên máy", 20, false }, { "Điểm", 8, true },
};

static char *
csv_of(const char *const rows[][2], size_t n, size_t *len)
{
	char err[256], *data;
	struct export_sink *x = export_csv_new(cols2, 2, err, sizeof(err));
	size_t i;

	assert_non_null(x);
	for (i = 0; i < n; i++)
		assert_int_equal(export_row(x, rows[i]), 0);
	assert_int_equal(export_finish(x, &data, len, err, sizeof(err)), 0);
	return data;
}

static void
test_formula_risk(void **state)
{
	(void)state;
	assert_true(export_formula_risk("=1+1"));
	assert_true(export_formula_risk("+cmd"));
	assert_true(export_formula_risk("-2+3"));
	assert_true(export_formula_risk("@SUM(A1)"));
	assert_true(export_formula_risk("\tx"));
	assert_true(export_formula_risk("\rx"));
	assert_false(export_formula_risk("máy-01"));
	assert_false(export_formula_risk(""));
	assert_false(export_formula_risk(NULL));
}

static void
test_csv_quoting(void **state)
{
	static const char *const rows[][2] = {
		{ "plain", "87" },
		{ "a,b", "x\"y" },
		{ "line1\nline2", NULL },
		{ "Phòng Tư pháp", "" },
	};
	size_t len;
	char *csv = csv_of(rows, 4, &len);

	(void)state;
	assert_memory_equal(csv, "\xef\xbb\xbf", 3);
	assert_string_equal(csv + 3, "Tên máy,Điểm\r\n"
	    "plain,87\r\n"
	    "\"a,b\",\"x\"\"y\"\r\n"
	    "\"line1\nline2\",\r\n"
	    "Phòng Tư pháp,\r\n");
	assert_int_equal(len, strlen(csv));
	free(csv);
}

/* Every cell a spreadsheet would run starts with a quote inside quotes. */
static void
test_csv_formula_injection(void **state)
{
	static const char *const rows[][2] = {
		{ "=HYPERLINK(\"http://evil\",\"x\")", "+1" },
		{ "-2+3", "@SUM(A1:A9)" },
		{ "\t=cmd|' /C calc'!A0", "\r=1" },
	};
	size_t len;
	char *csv = csv_of(rows, 3, &len);

	(void)state;
	assert_string_equal(csv + 3, "Tên máy,Điểm\r\n"
	    "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",\"'+1\"\r\n"
	    "\"'-2+3\",\"'@SUM(A1:A9)\"\r\n"
	    "\"'\t=cmd|' /C calc'!A0\",\"'\r=1\"\r\n");
	/* no line starts with a formula character */
	assert_null(strstr(csv, "\n="));
	assert_null(strstr(csv, ",="));
	free(csv);
}

static void
test_csv_row_bound(void **state)
{
	static const char *const row[2] = { "h", "1" };
	char err[256], *data;
	struct export_sink *x = export_csv_new(cols2, 2, err, sizeof(err));
	size_t i, len;

	(void)state;
	assert_non_null(x);
	for (i = 0; i < EXPORT_MAX_ROWS; i++)
		assert_int_equal(export_row(x, row), 0);
	assert_int_equal(export_row(x, row), -1);
	assert_int_equal(export_rows(x), EXPORT_MAX_ROWS);
	assert_int_equal(export_finish(x, &data, &len, err, sizeof(err)), 0);
	free(data);
}

/* A long cell is cut at a character boundary, never inside one. */
static void
test_csv_long_cell(void **state)
{
	size_t n = EXPORT_CELL_MAX + 10, len, i;
	char *big = malloc(n + 1), *csv;
	const char *rows[1][2];

	(void)state;
	/* "ạ" is 3 bytes: EXPORT_CELL_MAX (32000) is not a multiple */
	for (i = 0; i + 3 <= n; i += 3)
		memcpy(big + i, "\xe1\xba\xa1", 3);
	big[i] = '\0';
	rows[0][0] = big;
	rows[0][1] = "1";
	csv = csv_of(rows, 1, &len);
	assert_true(len < 3 + 20 + EXPORT_CELL_MAX + 10);
	{
		const char *cell = strstr(csv, "\r\n") + 2;
		size_t clen = (size_t)(strchr(cell, ',') - cell);

		assert_int_equal(clen % 3, 0);
		assert_true(clen <= EXPORT_CELL_MAX);
	}
	free(csv);
	free(big);
}

/* --- XLSX: unzip one member with zlib ----------------------------------- */

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* The inflated member name of the zip in buf, NUL-terminated, or NULL. */
static char *
zip_member(const unsigned char *buf, size_t len, const char *name)
{
	size_t eocd, off, i, n;

	if (len < 22)
		return NULL;
	for (eocd = len - 22;; eocd--) {
		if (le32(buf + eocd) == 0x06054b50)
			break;
		if (eocd == 0)
			return NULL;
	}
	n = le16(buf + eocd + 10);
	off = le32(buf + eocd + 16);
	for (i = 0; i < n && off + 46 <= len; i++) {
		const unsigned char *c = buf + off;
		size_t nlen = le16(c + 28), xlen = le16(c + 30), clen = le16(c +
		    32);
		size_t csize = le32(c + 20), usize = le32(c + 24);
		size_t lho = le32(c + 42);

		assert_int_equal(le32(c), 0x02014b50);
		if (nlen == strlen(name) && memcmp(c + 46, name, nlen) == 0) {
			const unsigned char *l = buf + lho;
			const unsigned char *data = l + 30 + le16(l + 26) +
			    le16(l + 28);
			char *out = malloc(usize + 1);
			z_stream z;

			assert_non_null(out);
			if (le16(c + 10) == 0) {
				memcpy(out, data, usize);
			} else {
				memset(&z, 0, sizeof(z));
				assert_int_equal(inflateInit2(&z, -15), Z_OK);
				z.next_in = (unsigned char *)data;
				z.avail_in = (uInt)csize;
				z.next_out = (unsigned char *)out;
				z.avail_out = (uInt)usize;
				assert_int_equal(inflate(&z, Z_FINISH),
				    Z_STREAM_END);
				inflateEnd(&z);
			}
			out[usize] = '\0';
			return out;
		}
		off += 46 + nlen + xlen + clen;
	}
	return NULL;
}

static void
test_xlsx_strings_not_formulas(void **state)
{
	static const char *const rows[][2] = {
		{ "=cmd|' /C calc'!A0", "87" },
		{ "Ủy ban nhân dân phường <Thái Hòa> & \"Công an\"", "-1+2" },
		{ "@SUM(1)", NULL },
	};
	char tmpl[] = "/tmp/cg-test-export-XXXXXX", err[256], *data, *sheet;
	struct export_sink *x;
	size_t len, i;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	x = export_xlsx_new(tmpl, "Máy", cols2, 2, err, sizeof(err));
	assert_non_null(x);
	for (i = 0; i < 3; i++)
		assert_int_equal(export_row(x, rows[i]), 0);
	assert_int_equal(export_finish(x, &data, &len, err, sizeof(err)), 0);
	assert_true(len > 100);
	assert_memory_equal(data, "PK", 2);
	/* the temp file is gone */
	assert_int_equal(rmdir(tmpl), 0);

	sheet = zip_member((unsigned char *)data, len,
	    "xl/worksheets/sheet1.xml");
	assert_non_null(sheet);
	/* no formula element anywhere; the text kept as text */
	assert_null(strstr(sheet, "<f>"));
	assert_null(strstr(sheet, "<f "));
	assert_non_null(strstr(sheet, "=cmd|' /C calc'!A0"));
	assert_non_null(strstr(sheet, "@SUM(1)"));
	assert_non_null(strstr(sheet, "-1+2"));
	/* Vietnamese intact, markup escaped as XML */
	assert_non_null(strstr(sheet, "Ủy ban nhân dân phường &lt;Thái Hòa&gt;"
	    " &amp; \"Công an\""));
	/* the header row bold: a style other than the default on row 1 */
	assert_non_null(strstr(sheet, "Tên máy"));
	assert_non_null(strstr(sheet, "<c r=\"A1\" s=\"1\""));
	/* a number column holds a number when it is one */
	assert_non_null(strstr(sheet, "<c r=\"B2\""));
	assert_non_null(strstr(sheet, "<v>87</v>"));
	/* column widths */
	assert_non_null(strstr(sheet, "<cols>"));
	free(sheet);
	free(data);
}

static void
test_xlsx_bad_dir(void **state)
{
	char err[256];

	(void)state;
	assert_null(export_xlsx_new("/nonexistent/dir", "x", cols2, 2, err,
	    sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/dir"));
	assert_non_null(strstr(err, " — "));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formula_risk),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_csv_formula_injection),
		cmocka_unit_test(test_csv_row_bound),
		cmocka_unit_test(test_csv_long_cell),
		cmocka_unit_test(test_xlsx_strings_not_formulas),
		cmocka_unit_test(test_xlsx_bad_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
