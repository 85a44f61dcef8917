/*
 * vienc.c — legacy Vietnamese text to Unicode NFC, for the detector of
 * classified documents (doc.h): TCVN 5712:1993 (ABC, the .VnTime fonts),
 * VNI-Windows (letter + diacritic bytes), VIQR (RFC 1456, ASCII marks),
 * Windows-1258 (with its combining tone marks), UTF-16. Every decoder is a
 * table plus composition by utf8proc; none trusts its input. The tables
 * are written from the standards; docs/secrets.md lists what is handled.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "lib/text.h"
#include "secrets/doc.h"

/* Combining marks (U+03xx) used to build letters before composing. */
#define GRAVE	0x0300
#define ACUTE	0x0301
#define CIRC	0x0302
#define TILDE	0x0303
#define BREVE	0x0306
#define HOOK	0x0309
#define HORN	0x031B
#define DOT	0x0323

/* --- a small growable UTF-32 buffer ------------------------------------- */

struct u32buf {
	utf8proc_int32_t *v;
	size_t n, cap;
	bool oom;
};

static void
u32_init(struct u32buf *b, size_t hint)
{
	b->n = 0;
	b->oom = false;
	b->cap = hint < 16 ? 16 : hint;
	b->v = malloc(b->cap * sizeof(*b->v));
	if (b->v == NULL)
		b->oom = true;
}

static void
u32_put(struct u32buf *b, utf8proc_int32_t c)
{
	utf8proc_int32_t *nv;

	if (b->oom)
		return;
	if (b->n == b->cap) {
		if (b->cap > SIZE_MAX / 2 / sizeof(*b->v)) {
			b->oom = true;
			return;
		}
		nv = realloc(b->v, b->cap * 2 * sizeof(*b->v));
		if (nv == NULL) {
			b->oom = true;
			return;
		}
		b->v = nv;
		b->cap *= 2;
	}
	b->v[b->n++] = c;
}

/* Encodes the code points as UTF-8 and composes them to NFC. */
static char *
u32_nfc(struct u32buf *b, size_t *outlen)
{
	unsigned char *raw, *nfc = NULL;
	size_t i, o = 0;
	utf8proc_ssize_t r;

	if (b->oom || b->n > SIZE_MAX / 4 - 1) {
		free(b->v);
		return NULL;
	}
	raw = malloc(b->n * 4 + 1);
	if (raw == NULL) {
		free(b->v);
		return NULL;
	}
	for (i = 0; i < b->n; i++)
		o += (size_t)utf8proc_encode_char(b->v[i], raw + o);
	raw[o] = '\0';
	free(b->v);
	b->v = NULL;
	r = utf8proc_map(raw, (utf8proc_ssize_t)o, &nfc, UTF8PROC_STABLE |
	    UTF8PROC_COMPOSE);
	free(raw);
	if (r < 0)
		return NULL;
	if (outlen != NULL)
		*outlen = (size_t)r;
	return (char *)nfc;
}

/* --- the bytes of legacy text handed as code points --------------------- */

/* UTF-8 text of byte code points back to bytes; NULL when it is not. */
static unsigned char *
utf8_to_bytes(const char *s, size_t len, size_t *n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	unsigned char *out;
	utf8proc_int32_t c;
	utf8proc_ssize_t k;
	size_t i = 0, o = 0;
	int b;

	out = malloc(len + 1);
	if (out == NULL)
		return NULL;
	while (i < len) {
		if (p[i] < 0x80) {
			out[o++] = p[i++];
			continue;
		}
		k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &c);
		if (k <= 0 || (b = text_cp1252_byte(c)) < 0) {
			free(out);
			return NULL;
		}
		out[o++] = (unsigned char)b;
		i += (size_t)k;
	}
	out[o] = '\0';
	*n = o;
	return out;
}

char *
vienc_bytes_to_utf8(const unsigned char *s, size_t len, size_t *outlen)
{
	char *out;
	size_t i, o = 0;

	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	out = malloc(len * 3 + 1);
	if (out == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		utf8proc_int32_t c = (utf8proc_int32_t)text_cp1252_char(s[i]);

		o += (size_t)utf8proc_encode_char(c,
		    (utf8proc_uint8_t *)out + o);
	}
	out[o] = '\0';
	if (outlen != NULL)
		*outlen = o;
	return out;
}

/* --- TCVN 5712:1993 ------------------------------------------------------ */

/*
 * 0x80–0xFF. The small letters with tones (0xB5–0xFE) and the capitals
 * without tones (0xA1–0xA7) are what the ABC (VN3) fonts hold; the
 * capitals with tones at 0x80–0x9F and in the gaps between the small
 * letters are those of the full set (VN1), unused by VN3 fonts, so
 * reading them costs nothing. 0xB0–0xB4 are the combining tone marks.
 */
static const uint16_t tcvn_high[128] = {
	/* 0x80 */
	0x00C0, 0x1EA2, 0x00C3, 0x00C1, 0x1EA0, 0x1EB6, 0x1EAC, 0x00C8,
	0x1EBA, 0x1EBC, 0x00C9, 0x1EB8, 0x1EC6, 0x00CC, 0x1EC8, 0x0128,
	/* 0x90 */
	0x00CD, 0x1ECA, 0x00D2, 0x1ECE, 0x00D5, 0x00D3, 0x1ECC, 0x1ED8,
	0x1EDC, 0x1EDE, 0x1EE0, 0x1EDA, 0x1EE2, 0x00D9, 0x1EE6, 0x0168,
	/* 0xA0: Ă Â Ê Ô Ơ Ư Đ ă â ê ô ơ ư đ Ằ */
	0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110,
	0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0,
	/* 0xB0: combining ` ? ~ ' . ; à ả ã á ạ Ẳ ằ ẳ ẵ ắ Ẵ */
	GRAVE, HOOK, TILDE, ACUTE, DOT, 0x00E0, 0x1EA3, 0x00E3,
	0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4,
	/* 0xC0: Ắ Ầ Ẩ Ẫ Ấ Ề ặ ầ ẩ ẫ ấ ậ è Ể ẻ ẽ */
	0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7,
	0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD,
	/* 0xD0: é ẹ ề ể ễ ế ệ ì ỉ Ễ Ế Ồ ĩ í ị ò */
	0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC,
	0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2,
	/* 0xE0: Ổ ỏ õ ó ọ ồ ổ ỗ ố ộ ờ ở ỡ ớ ợ ù */
	0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7,
	0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9,
	/* 0xF0: Ỗ ủ ũ ú ụ ừ ử ữ ứ ự ỳ ỷ ỹ ý ỵ Ố */
	0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF,
	0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0,
};

/* The capitals VN1 places among the C0 controls (0 = a control). */
static const uint16_t tcvn_low[24] = {
	0, 0x00DA, 0x1EE4, 0, 0x1EEA, 0x1EEC, 0x1EEE, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0x1EE8, 0x1EF0, 0x1EF2, 0x1EF6, 0x1EF8, 0x00DD, 0x1EF4,
};

char *
vienc_from_tcvn3(const char *s, size_t len)
{
	struct u32buf b;
	unsigned char *by;
	size_t n, i;

	if ((by = utf8_to_bytes(s, len, &n)) == NULL)
		return NULL;
	u32_init(&b, n);
	for (i = 0; i < n; i++) {
		unsigned c = by[i];

		if (c >= 0x80)
			u32_put(&b, tcvn_high[c - 0x80]);
		else if (c < 24 && tcvn_low[c] != 0)
			u32_put(&b, tcvn_low[c]);
		else
			u32_put(&b, (utf8proc_int32_t)c);
	}
	free(by);
	return u32_nfc(&b, NULL);
}

/* --- VNI-Windows --------------------------------------------------------- */

/*
 * A letter is typed as its base and then one byte for its marks; the
 * mark bytes (small set; capitals are 0x20 lower) are:
 *   ù ø û õ ï   acute, grave, hook, tilde, dot below
 *   â á à å ã ä circumflex, and with acute, grave, hook, tilde, dot
 *   ê é è ú ü ë breve, and with acute, grave, hook, tilde, dot
 * Letters of their own: ñ đ, ô ơ, ö ư, í ì æ ó ò (i with its tones:
 * í ì ỉ ĩ ị), î ỵ.
 */
struct vni_mark {
	unsigned char byte;	/* small-set byte; the capital is byte-0x20 */
	utf8proc_int32_t shape;	/* CIRC, BREVE or 0 */
	utf8proc_int32_t tone;	/* ACUTE … or 0 */
};

static const struct vni_mark vni_marks[] = {
	{0xF9, 0, ACUTE}, {0xF8, 0, GRAVE}, {0xFB, 0, HOOK},
	{0xF5, 0, TILDE}, {0xEF, 0, DOT},
	{0xE2, CIRC, 0}, {0xE1, CIRC, ACUTE}, {0xE0, CIRC, GRAVE},
	{0xE5, CIRC, HOOK}, {0xE3, CIRC, TILDE}, {0xE4, CIRC, DOT},
	{0xEA, BREVE, 0}, {0xE9, BREVE, ACUTE}, {0xE8, BREVE, GRAVE},
	{0xFA, BREVE, HOOK}, {0xFC, BREVE, TILDE}, {0xEB, BREVE, DOT},
};

static const struct vni_mark *
vni_mark(unsigned c)
{
	size_t i;

	for (i = 0; i < sizeof(vni_marks) / sizeof(vni_marks[0]); i++)
		if (vni_marks[i].byte == c || vni_marks[i].byte - 0x20u == c)
			return &vni_marks[i];
	return NULL;
}

/* Letters that stand alone (small set; capital = byte-0x20, cp-0x20 or
 * the capital's own code point). */
static const struct {
	unsigned char byte;
	utf8proc_int32_t small, cap;
} vni_letters[] = {
	{0xF1, 0x0111, 0x0110},	/* ñ đ */
	{0xF4, 0x01A1, 0x01A0},	/* ô ơ */
	{0xF6, 0x01B0, 0x01AF},	/* ö ư */
	{0xED, 0x00ED, 0x00CD},	/* í í */
	{0xEC, 0x00EC, 0x00CC},	/* ì ì */
	{0xE6, 0x1EC9, 0x1EC8},	/* æ ỉ */
	{0xF3, 0x0129, 0x0128},	/* ó ĩ */
	{0xF2, 0x1ECB, 0x1ECA},	/* ò ị */
	{0xEE, 0x1EF5, 0x1EF4},	/* î ỵ */
};

/* The Unicode letter of a VNI byte standing alone, or -1. */
static utf8proc_int32_t
vni_letter(unsigned c)
{
	size_t i;

	for (i = 0; i < sizeof(vni_letters) / sizeof(vni_letters[0]); i++) {
		if (vni_letters[i].byte == c)
			return vni_letters[i].small;
		if (vni_letters[i].byte - 0x20u == c)
			return vni_letters[i].cap;
	}
	return -1;
}

/* Whether the letter (as Unicode) takes a shape mark. */
static bool
vni_takes(utf8proc_int32_t base, utf8proc_int32_t shape)
{
	int l = base | 0x20;

	if (base > 0x7F)
		return shape == 0;	/* ơ ư: tones only */
	if (shape == CIRC)
		return l == 'a' || l == 'e' || l == 'o';
	if (shape == BREVE)
		return l == 'a';
	return strchr("aeiouy", l) != NULL;
}

static bool
vni_vowel(utf8proc_int32_t c)
{
	return (c < 0x80 && c > 0 && strchr("aeiouyAEIOUY", (int)c) != NULL)
	    || c == 0x01A1 || c == 0x01A0 || c == 0x01B0 || c == 0x01AF;
}

char *
vienc_from_vni(const char *s, size_t len)
{
	const struct vni_mark *m;
	struct u32buf b;
	unsigned char *by;
	utf8proc_int32_t base;
	size_t n, i;

	if ((by = utf8_to_bytes(s, len, &n)) == NULL)
		return NULL;
	u32_init(&b, n * 2);
	for (i = 0; i < n; i++) {
		unsigned c = by[i];

		base = (utf8proc_int32_t)c;
		if (c >= 0x80 && vni_letter(c) >= 0)
			base = vni_letter(c);
		u32_put(&b, base);
		if (!vni_vowel(base) || i + 1 >= n ||
		    (m = vni_mark(by[i + 1])) == NULL ||
		    !vni_takes(base, m->shape))
			continue;
		if (m->shape != 0)
			u32_put(&b, m->shape);
		if (m->tone != 0)
			u32_put(&b, m->tone);
		i++;
	}
	free(by);
	return u32_nfc(&b, NULL);
}

/* --- VIQR (RFC 1456) ----------------------------------------------------- */

static utf8proc_int32_t
viqr_shape(int base, int mark)
{
	int l = base | 0x20;

	if (mark == '^' && (l == 'a' || l == 'e' || l == 'o'))
		return CIRC;
	if (mark == '(' && l == 'a')
		return BREVE;
	if (mark == '+' && (l == 'o' || l == 'u'))
		return HORN;
	return 0;
}

static utf8proc_int32_t
viqr_tone(int mark)
{
	switch (mark) {
	case '\'': return ACUTE;
	case '`': return GRAVE;
	case '?': return HOOK;
	case '~': return TILDE;
	case '.': return DOT;
	}
	return 0;
}

char *
vienc_from_viqr(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	struct u32buf b;
	utf8proc_int32_t m;
	size_t i;
	bool shape, tone;

	for (i = 0; i < len; i++)
		if (p[i] >= 0x80)
			return NULL;
	u32_init(&b, len);
	for (i = 0; i < len; i++) {
		int c = p[i];

		if (c == '\\' && i + 1 < len && p[i + 1] != '\0' &&
		    strchr("^(+'`?~.\\dD", p[i + 1]) != NULL) {
			u32_put(&b, p[++i]);
			continue;
		}
		if ((c == 'd' || c == 'D') && i + 1 < len &&
		    (p[i + 1] == 'd' || p[i + 1] == 'D') &&
		    !(c == 'd' && p[i + 1] == 'D')) {
			u32_put(&b, c == 'd' ? 0x0111 : 0x0110);
			i++;
			continue;
		}
		u32_put(&b, c);
		if (c > 0x7F || strchr("aeiouyAEIOUY", c) == NULL || c == 0)
			continue;
		/* the shape mark, then the tone (either order is read) */
		shape = tone = false;
		while (i + 1 < len) {
			if (!shape && (m = viqr_shape(c, p[i + 1])) != 0)
				shape = true;
			else if (!tone && (m = viqr_tone(p[i + 1])) != 0)
				tone = true;
			else
				break;
			u32_put(&b, m);
			i++;
		}
	}
	return u32_nfc(&b, NULL);
}

/* --- Windows-1258 -------------------------------------------------------- */

/* 0x80–0xFF; 0xFFFD where the code page defines nothing. */
static const uint16_t cp1258_high[128] = {
	/* 0x80 */
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0xFFFD, 0x2039, 0x0152, 0xFFFD, 0xFFFD, 0xFFFD,
	/* 0x90 */
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0xFFFD, 0x203A, 0x0153, 0xFFFD, 0xFFFD, 0x0178,
	/* 0xA0–0xBF: as Latin-1 */
	0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
	0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
	0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
	0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
	/* 0xC0: Ă at C3, combining grave at CC */
	0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
	0x00C8, 0x00C9, 0x00CA, 0x00CB, GRAVE, 0x00CD, 0x00CE, 0x00CF,
	/* 0xD0: Đ, combining hook at D2, Ơ D5, Ư DD, combining tilde DE */
	0x0110, 0x00D1, HOOK, 0x00D3, 0x00D4, 0x01A0, 0x00D6, 0x00D7,
	0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x01AF, TILDE, 0x00DF,
	/* 0xE0: ă E3, combining acute EC */
	0x00E0, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
	0x00E8, 0x00E9, 0x00EA, 0x00EB, ACUTE, 0x00ED, 0x00EE, 0x00EF,
	/* 0xF0: đ, combining dot below F2, ơ F5, ư FD, ₫ FE */
	0x0111, 0x00F1, DOT, 0x00F3, 0x00F4, 0x01A1, 0x00F6, 0x00F7,
	0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x01B0, 0x20AB, 0x00FF,
};

char *
vienc_from_cp1258(const unsigned char *s, size_t len)
{
	struct u32buf b;
	size_t i;

	u32_init(&b, len);
	for (i = 0; i < len; i++)
		u32_put(&b, s[i] < 0x80 ? s[i] : cp1258_high[s[i] - 0x80]);
	return u32_nfc(&b, NULL);
}

/* --- UTF-16 -------------------------------------------------------------- */

char *
vienc_from_utf16(const unsigned char *s, size_t len, bool le, size_t *outlen)
{
	unsigned char *out;
	size_t i = 0, o = 0;

	if (len / 2 > (SIZE_MAX - 4) / 3)
		return NULL;
	/* at most 3 bytes per unit (a pair: 4 bytes for 2 units), +1 odd */
	out = malloc(len / 2 * 3 + 4);
	if (out == NULL)
		return NULL;
	while (i + 1 < len) {
		utf8proc_int32_t c, d;

		c = le ? s[i] | s[i + 1] << 8 : s[i] << 8 | s[i + 1];
		i += 2;
		if (c >= 0xD800 && c <= 0xDBFF && i + 1 < len) {
			d = le ? s[i] | s[i + 1] << 8 : s[i] << 8 | s[i + 1];
			if (d >= 0xDC00 && d <= 0xDFFF) {
				c = 0x10000 + ((c - 0xD800) << 10) +
				    (d - 0xDC00);
				i += 2;
			} else
				c = 0xFFFD;
		} else if (c >= 0xD800 && c <= 0xDFFF)
			c = 0xFFFD;
		if (i == 2 && c == 0xFEFF)
			continue;	/* byte order mark */
		o += (size_t)utf8proc_encode_char(c, out + o);
	}
	if (i < len)		/* an odd byte at the end */
		o += (size_t)utf8proc_encode_char(0xFFFD, out + o);
	out[o] = '\0';
	if (outlen != NULL)
		*outlen = o;
	return (char *)out;
}
