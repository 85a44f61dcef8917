/*
 * text.h — UTF-8 and Vietnamese text helpers over utf8proc.
 *
 * Vietnamese is written in precomposed form (NFC) everywhere Canh Gác shows
 * it; input may come in NFD (macOS, some web pages). Folding removes the
 * diacritics and maps đ/Đ to d so that "nổ hũ", "NO HU" and "nổ hũ" in NFD
 * compare equal. Also small string utilities used by every parser.
 */
#ifndef CG_TEXT_H
#define CG_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* true when s[0..len) is valid UTF-8 without NUL bytes */
bool text_valid_utf8(const char *s, size_t len);

/* malloc'd NFC form of s, or NULL when s is not valid UTF-8 */
char *text_nfc(const char *s, size_t len);
/* malloc'd case-folded NFC form (Unicode case folding), or NULL */
char *text_casefold(const char *s, size_t len);
/* malloc'd folded form: lower case, no diacritics, đ -> d; or NULL */
char *text_fold(const char *s, size_t len);

/* Iterates over lines: *p is advanced past the line and its newline;
 * the line (without \n or \r\n) is returned in *line and *linelen. Returns
 * false at the end. */
bool text_next_line(const char **p, const char *end, const char **line,
    size_t *linelen);

/* Trims ASCII white space in place; returns s. */
char *text_trim(char *s);
/* Case-insensitive ASCII prefix test. */
bool text_prefix_ci(const char *s, const char *prefix);
/* malloc'd copy of s[0..len) with NUL; never NULL (aborts on OOM) */
char *text_ndup(const char *s, size_t len);
char *text_dup(const char *s);
/* malloc'd printf; never NULL */
char *text_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Value of a hexadecimal digit, or -1. */
int text_hexval(int c);

/* Narrows s[0..*len) to its text without surrounding spaces, tabs and a
 * trailing carriage return. */
void text_trim_span(const char **s, size_t *len);

/* Parses a decimal integer; false on garbage or overflow. */
bool text_to_long(const char *s, long *out);

/* Vietnamese description of an errno value ("không đủ quyền truy cập"),
 * or NULL if none is known (callers then use strerror()). */
const char *text_strerror_vi(int err);

#endif
