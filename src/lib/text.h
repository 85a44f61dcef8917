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
/* s[0..len) as one segment of a URL path, malloc'd: every byte but
 * A-Z a-z 0-9 - . _ ~ percent-encoded ("/" too). NULL out of memory. */
char *text_url_segment(const char *s, size_t len);

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

/* Writes code point c as UTF-8 into out (room for 4 bytes); returns the
 * bytes written. No check: the caller passes a code point it accepts
 * (at most 0x10FFFF; 0x10000 and above take 4 bytes). */
size_t text_utf8_put(char *out, unsigned long c);

/* Windows-1252: the code point of byte b (0x80–0x9F as the code page
 * says; the five it leaves undefined, and every other byte, as itself). */
unsigned text_cp1252_char(unsigned char b);
/* The Windows-1252 byte shown as code point c (0–0xFF as themselves), or
 * -1: the inverse that reads legacy-font text given as code points. */
int text_cp1252_byte(long c);

/* A size: decimal digits (their number at most max_num) with an optional
 * K, M or G (binary multiples) and then "B" or "iB"; false when
 * malformed or when the bytes are more than max. */
bool text_to_size(const char *s, long long max_num, long long max,
    long long *bytes);

/* Vietnamese description of an errno value ("không đủ quyền truy cập"),
 * or NULL if none is known (callers then use strerror()). */
const char *text_strerror_vi(int err);

#endif
