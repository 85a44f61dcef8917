/*
 * export.h — the console's exports of hosts and findings as CSV and XLSX
 * (GET /xuat/may.csv, /xuat/may.xlsx, /xuat/phat-hien.csv,
 * /xuat/phat-hien.xlsx), with the filters of the pages and the unit
 * scope of the person. Written row by row through one sink: CSV in
 * UTF-8 with a BOM for Excel, RFC 4180 quoting, and formula injection
 * defused (a cell starting with = + - @ TAB or CR gets a leading ');
 * XLSX by libxlsxwriter, text always through its strings API, never as a
 * formula. At most EXPORT_MAX_ROWS rows.
 */
#ifndef CG_EXPORT_H
#define CG_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#define EXPORT_MAX_ROWS 100000
#define EXPORT_MAX_BYTES (256u << 20)	/* of one file */
#define EXPORT_CELL_MAX 32000		/* bytes of a cell (Excel: 32767
					 * characters) */

/* Whether a spreadsheet would read s as a formula (= + - @ TAB CR). */
bool export_formula_risk(const char *s);

struct export_col {
	const char *title;		/* header text */
	double width;			/* XLSX column width, characters */
	bool number;			/* XLSX: a number cell when an integer */
};

/* A file being written: CSV in memory, or XLSX in a temp file. */
struct export_sink;

/* tmpdir: where XLSX is written (NULL: $TMPDIR or /tmp). NULL with a
 * bilingual err on failure. */
struct export_sink *export_csv_new(const struct export_col *cols,
    size_t ncols, char *err, size_t errlen);
struct export_sink *export_xlsx_new(const char *tmpdir, const char *sheet,
    const struct export_col *cols, size_t ncols, char *err, size_t errlen);
/* One row of ncols cells (NULL cells are empty). 0, or -1 when the file
 * is full (rows or bytes) or cannot be written. */
int export_row(struct export_sink *x, const char *const *cells);
size_t export_rows(const struct export_sink *x);
/* Ends the file: *data (malloc'd) and *len. 0, or -1 with err. Frees x. */
int export_finish(struct export_sink *x, char **data, size_t *len, char *err,
    size_t errlen);
void export_free(struct export_sink *x);

/* The directory exports write temp files into (canhgacd sets it at
 * start-up to a private directory under its data directory). */
void export_set_tmpdir(const char *dir);
const char *export_tmpdir(void);

#endif
