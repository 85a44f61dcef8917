/*
 * gen_text.c — the logical documents of the finder's test corpus and the
 * encoders of Vietnamese legacy text (gen.h).
 *
 * A document is an official letter of a ward office laid out as Nghị định
 * 30/2020/NĐ-CP lays it out (letterhead, number, place and date, title,
 * body, "Nơi nhận", signature), with the secrecy marking where the kind
 * puts it, or the decoy the kind carries. The encoders are written from
 * the standards (TCVN 5712:1993 VN3 "ABC", the VNI-Windows font layout,
 * RFC 1456 VIQR, Windows-1258), apart from src/secrets/vienc.c on purpose.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <utf8proc.h>

#include "gen.h"

/* --- names ---------------------------------------------------------------- */

const char *
gen_enc_name(enum gen_enc enc)
{
	switch (enc) {
	case GEN_ENC_NFC: return "nfc";
	case GEN_ENC_NFD: return "nfd";
	case GEN_ENC_TCVN3: return "tcvn3";
	case GEN_ENC_VNI: return "vni";
	case GEN_ENC_VIQR: return "viqr";
	case GEN_ENC_CP1258: return "cp1258";
	case GEN_ENC_UTF16LE: return "utf16le";
	case GEN_ENC_UTF16BE: return "utf16be";
	case GEN_ENC_COUNT: break;
	}
	return "?";
}

const char *
gen_kind_name(enum gen_kind kind)
{
	switch (kind) {
	case GEN_STAMP_TOP: return "stamp-top";
	case GEN_STAMP_HEADER: return "stamp-header";
	case GEN_STAMP_BOX: return "stamp-box";
	case GEN_FIELD: return "field";
	case GEN_COPY_MARK: return "copy-mark";
	case GEN_DECOY_RULES: return "decoy-rules";
	case GEN_DECOY_WORDS: return "decoy-words";
	case GEN_DECOY_LATE: return "decoy-late";
	case GEN_KIND_COUNT: break;
	}
	return "?";
}

const char *
gen_font(enum gen_enc enc, bool caps_font)
{
	if (enc == GEN_ENC_TCVN3)
		return caps_font ? ".VnTimeH" : ".VnTime";
	if (enc == GEN_ENC_VNI)
		return "VNI-Times";
	return NULL;
}

int
gen_write_file(const char *path, const void *buf, size_t len, char *err,
    size_t errlen)
{
	const unsigned char *p = buf;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "%s: %s", path, n == 0 ?
			    "short write" : strerror(errno));
			close(fd);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* --- a growing byte buffer ------------------------------------------------- */

void
gen_buf_add(struct gen_buf *b, const void *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;

		while (cap < b->len + n + 1)
			cap *= 2;
		if ((b->p = realloc(b->p, cap)) == NULL)
			abort();
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
gen_buf_str(struct gen_buf *b, const char *s)
{
	gen_buf_add(b, s, strlen(s));
}

void
gen_buf_printf(struct gen_buf *b, const char *fmt, ...)
{
	va_list ap;
	char tmp[1024];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		gen_buf_add(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n :
		    sizeof(tmp) - 1);
}

void
gen_buf_xml(struct gen_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '&')
			gen_buf_str(b, "&amp;");
		else if (c == '<')
			gen_buf_str(b, "&lt;");
		else if (c == '>')
			gen_buf_str(b, "&gt;");
		else if (c == '"')
			gen_buf_str(b, "&quot;");
		else if (c >= 0x20 || c == '\t')
			gen_buf_add(b, s, 1);
	}
}

static void
buf_byte(struct gen_buf *b, unsigned c)
{
	unsigned char ch = (unsigned char)c;

	gen_buf_add(b, &ch, 1);
}

static void
buf_utf8(struct gen_buf *b, int32_t cp)
{
	utf8proc_uint8_t u[4];
	utf8proc_ssize_t n = utf8proc_encode_char(cp, u);

	gen_buf_add(b, u, (size_t)n);
}

static unsigned char *
buf_done(struct gen_buf *b, size_t *outlen)
{
	if (b->p == NULL)
		gen_buf_add(b, "", 0);
	*outlen = b->len;
	return (unsigned char *)b->p;
}

/* --- Vietnamese letters: base vowel, modifier, tone ------------------------- */

/* Tones in the order of the TCVN3 table: huyền, hỏi, ngã, sắc, nặng. */
enum { T_NONE, T_GRAVE, T_HOOK, T_TILDE, T_ACUTE, T_DOT };
/* The 12 vowels of Vietnamese, in alphabet order. */
enum { V_A, V_A_BREVE, V_A_CIRC, V_E, V_E_CIRC, V_I, V_O, V_O_CIRC, V_O_HORN,
	V_U, V_U_HORN, V_Y, V_COUNT };

struct vnch {
	int vowel;	/* V_*, or -1: đ/Đ (D_STROKE) or not a Vietnamese letter */
	int tone;	/* T_* */
	bool upper;
	bool dstroke;	/* đ or Đ */
};

/* Splits a code point into vowel, tone, case; false when it is not a
 * Vietnamese vowel with or without marks, nor đ. */
static bool
vn_split(int32_t cp, struct vnch *v)
{
	utf8proc_int32_t d[8];
	utf8proc_ssize_t n, i;
	int mod = 0;		/* 1 breve, 2 circumflex, 3 horn */
	int32_t base;

	memset(v, 0, sizeof(*v));
	v->vowel = -1;
	if (cp == 0x111 || cp == 0x110) {
		v->dstroke = true;
		v->upper = cp == 0x110;
		return true;
	}
	if (cp < 0x41)
		return false;
	n = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE, NULL);
	if (n < 1 || n > 8)
		return false;
	base = d[0];
	for (i = 1; i < n; i++) {
		switch (d[i]) {
		case 0x306: mod = 1; break;
		case 0x302: mod = 2; break;
		case 0x31B: mod = 3; break;
		case 0x300: v->tone = T_GRAVE; break;
		case 0x309: v->tone = T_HOOK; break;
		case 0x303: v->tone = T_TILDE; break;
		case 0x301: v->tone = T_ACUTE; break;
		case 0x323: v->tone = T_DOT; break;
		default: return false;
		}
	}
	if (base >= 'A' && base <= 'Z') {
		v->upper = true;
		base += 'a' - 'A';
	}
	switch (base) {
	case 'a': v->vowel = mod == 0 ? V_A : mod == 1 ? V_A_BREVE :
	    mod == 2 ? V_A_CIRC : -1; break;
	case 'e': v->vowel = mod == 0 ? V_E : mod == 2 ? V_E_CIRC : -1; break;
	case 'i': v->vowel = mod == 0 ? V_I : -1; break;
	case 'o': v->vowel = mod == 0 ? V_O : mod == 2 ? V_O_CIRC :
	    mod == 3 ? V_O_HORN : -1; break;
	case 'u': v->vowel = mod == 0 ? V_U : mod == 3 ? V_U_HORN : -1; break;
	case 'y': v->vowel = mod == 0 ? V_Y : -1; break;
	default: return false;
	}
	if (v->vowel < 0)
		return false;
	/* A plain ASCII vowel is not worth splitting. */
	return !(mod == 0 && v->tone == T_NONE);
}

static const char vowel_base[V_COUNT] = {
	'a', 'a', 'a', 'e', 'e', 'i', 'o', 'o', 'o', 'u', 'u', 'y'
};

/* --- TCVN3 (ABC, TCVN 5712:1993 VN3) -------------------------------------- */

/* Small letters: each vowel without tone, then huyền, hỏi, ngã, sắc, nặng. */
static const unsigned char tcvn3_small[V_COUNT][6] = {
	[V_A] =		{'a',  0xB5, 0xB6, 0xB7, 0xB8, 0xB9},
	[V_A_BREVE] =	{0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6},
	[V_A_CIRC] =	{0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB},
	[V_E] =		{'e',  0xCC, 0xCE, 0xCF, 0xD0, 0xD1},
	[V_E_CIRC] =	{0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6},
	[V_I] =		{'i',  0xD7, 0xD8, 0xDC, 0xDD, 0xDE},
	[V_O] =		{'o',  0xDF, 0xE1, 0xE2, 0xE3, 0xE4},
	[V_O_CIRC] =	{0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9},
	[V_O_HORN] =	{0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE},
	[V_U] =		{'u',  0xEF, 0xF1, 0xF2, 0xF3, 0xF4},
	[V_U_HORN] =	{0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9},
	[V_Y] =		{'y',  0xFA, 0xFB, 0xFC, 0xFD, 0xFE},
};
#define TCVN3_SMALL_D	0xAE	/* đ */
#define TCVN3_CAP_D	0xA7	/* Đ */

/* The capitals of the normal font (only those without a tone). */
static unsigned
tcvn3_capital(int vowel)
{
	switch (vowel) {
	case V_A_BREVE: return 0xA1;
	case V_A_CIRC: return 0xA2;
	case V_E_CIRC: return 0xA3;
	case V_O_CIRC: return 0xA4;
	case V_O_HORN: return 0xA5;
	case V_U_HORN: return 0xA6;
	}
	return 0;
}

/*
 * A capital with a diacritic: the capitals font (.VnTimeH) shows the
 * small letters' codes as capitals; the normal font has only the seven
 * capitals without a tone, and for the others the small letter is all a
 * typist can type.
 */
static void
tcvn3_letter(struct gen_buf *b, const struct vnch *v, bool caps_font)
{
	if (v->dstroke) {
		buf_byte(b, v->upper && !caps_font ? TCVN3_CAP_D :
		    TCVN3_SMALL_D);
		return;
	}
	if (v->upper && !caps_font && v->tone == T_NONE &&
	    tcvn3_capital(v->vowel) != 0) {
		buf_byte(b, tcvn3_capital(v->vowel));
		return;
	}
	if (v->upper && v->tone == T_NONE && tcvn3_capital(v->vowel) == 0) {
		buf_byte(b, (unsigned)vowel_base[v->vowel] - 'a' + 'A');
		return;
	}
	buf_byte(b, tcvn3_small[v->vowel][v->tone]);
}

/* --- VNI-Windows ------------------------------------------------------------ */

/*
 * A letter is its ASCII base and one mark byte; the capital's mark byte
 * is the small one's minus 0x20. ơ ư đ and the toned i are single bytes.
 */
static const unsigned char vni_tone[6] = {0, 0xF8, 0xFB, 0xF5, 0xF9, 0xEF};
static const unsigned char vni_circ[6] = {0xE2, 0xE0, 0xE5, 0xE3, 0xE1, 0xE4};
static const unsigned char vni_breve[6] = {0xEA, 0xE8, 0xFA, 0xFC, 0xE9,
	0xEB};
static const unsigned char vni_i[6] = {'i', 0xEC, 0xE6, 0xF3, 0xED, 0xF2};

static void
vni_letter(struct gen_buf *b, const struct vnch *v)
{
	unsigned up = v->upper ? 0x20 : 0;
	unsigned mark = 0;

	if (v->dstroke) {
		buf_byte(b, 0xF1 - up);
		return;
	}
	switch (v->vowel) {
	case V_I:
		if (v->tone == T_NONE)
			buf_byte(b, v->upper ? 'I' : 'i');
		else
			buf_byte(b, vni_i[v->tone] - up);
		return;
	case V_O_HORN:
		buf_byte(b, 0xF4 - up);
		mark = vni_tone[v->tone];
		break;
	case V_U_HORN:
		buf_byte(b, 0xF6 - up);
		mark = vni_tone[v->tone];
		break;
	default:
		buf_byte(b, (unsigned)vowel_base[v->vowel] - up);
		if (v->vowel == V_A_CIRC || v->vowel == V_E_CIRC ||
		    v->vowel == V_O_CIRC)
			mark = vni_circ[v->tone];
		else if (v->vowel == V_A_BREVE)
			mark = vni_breve[v->tone];
		else if (v->vowel == V_Y && v->tone == T_DOT)
			mark = 0xEE;	/* ỵ: its own dot below */
		else
			mark = vni_tone[v->tone];
		break;
	}
	if (mark != 0)
		buf_byte(b, mark - up);
}

/* --- VIQR (RFC 1456) --------------------------------------------------------- */

static const char viqr_tone[6] = {0, '`', '?', '~', '\'', '.'};

static void
viqr_letter(struct gen_buf *b, const struct vnch *v)
{
	if (v->dstroke) {
		gen_buf_str(b, v->upper ? "DD" : "dd");
		return;
	}
	buf_byte(b, (unsigned)vowel_base[v->vowel] - (v->upper ? 0x20 : 0));
	switch (v->vowel) {
	case V_A_BREVE: buf_byte(b, '('); break;
	case V_A_CIRC: case V_E_CIRC: case V_O_CIRC: buf_byte(b, '^'); break;
	case V_O_HORN: case V_U_HORN: buf_byte(b, '+'); break;
	}
	if (v->tone != T_NONE)
		buf_byte(b, (unsigned)viqr_tone[v->tone]);
}

static bool
viqr_mark(int c)
{
	return c != 0 && strchr("'`?~.(^+", c) != NULL;
}

/* --- Windows-1258 ---------------------------------------------------------- */

/* Code points of 0x80–0xFF (0: undefined). */
static const uint16_t cp1258[128] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0, 0x2039, 0x0152, 0, 0, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0, 0x203A, 0x0153, 0, 0, 0x0178,
	0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
	0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
	0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
	0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
	0x00C0, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
	0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x0300, 0x00CD, 0x00CE, 0x00CF,
	0x0110, 0x00D1, 0x0309, 0x00D3, 0x00D4, 0x01A0, 0x00D6, 0x00D7,
	0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x01AF, 0x0303, 0x00DF,
	0x00E0, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
	0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x0301, 0x00ED, 0x00EE, 0x00EF,
	0x0111, 0x00F1, 0x0323, 0x00F3, 0x00F4, 0x01A1, 0x00F6, 0x00F7,
	0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x01B0, 0x20AB, 0x00FF,
};
static const int32_t tone_mark[6] = {0, 0x300, 0x309, 0x303, 0x301, 0x323};

static int
cp1258_byte(int32_t cp)
{
	int i;

	if (cp < 0x80)
		return (int)cp;
	for (i = 0; i < 128; i++)
		if (cp1258[i] == cp)
			return 0x80 + i;
	return -1;
}

/* Precomposed when the code page has the letter, else the letter without
 * its tone and the combining tone mark (as Windows writes it). */
static void
cp1258_char(struct gen_buf *b, int32_t cp)
{
	utf8proc_int32_t d[8];
	utf8proc_ssize_t n, i, m;
	struct vnch v;
	int c = cp1258_byte(cp);

	if (c >= 0) {
		buf_byte(b, (unsigned)c);
		return;
	}
	if (!vn_split(cp, &v) || v.dstroke) {
		buf_byte(b, '?');
		return;
	}
	/* The letter without its tone: decompose, drop the tone, compose. */
	n = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE, NULL);
	for (i = 1, m = 1; i < n; i++)
		if (d[i] != tone_mark[v.tone])
			d[m++] = d[i];
	m = utf8proc_normalize_utf32(d, m, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	c = m == 1 ? cp1258_byte(d[0]) : -1;
	if (c < 0 || v.tone == T_NONE) {
		buf_byte(b, '?');
		return;
	}
	buf_byte(b, (unsigned)c);
	buf_byte(b, (unsigned)cp1258_byte(tone_mark[v.tone]));
}

/* --- gen_encode ------------------------------------------------------------- */

static void
utf16_unit(struct gen_buf *b, unsigned u, bool le)
{
	if (le) {
		buf_byte(b, u & 0xFF);
		buf_byte(b, u >> 8);
	} else {
		buf_byte(b, u >> 8);
		buf_byte(b, u & 0xFF);
	}
}

static unsigned char *
encode_nfd(const char *nfc, size_t *outlen)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n;
	struct gen_buf b = {0};

	n = utf8proc_map((const utf8proc_uint8_t *)nfc, 0, &out,
	    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE);
	if (n < 0) {
		gen_buf_str(&b, nfc);
		return buf_done(&b, outlen);
	}
	*outlen = (size_t)n;
	return out;
}

unsigned char *
gen_encode(const char *nfc, enum gen_enc enc, bool caps_font, size_t *outlen)
{
	const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)nfc;
	struct gen_buf b = {0};
	int32_t cp;
	int prev = 0;		/* the last character written, for VIQR */

	if (enc == GEN_ENC_NFD)
		return encode_nfd(nfc, outlen);
	if (enc == GEN_ENC_UTF16LE || enc == GEN_ENC_UTF16BE)
		utf16_unit(&b, 0xFEFF, enc == GEN_ENC_UTF16LE);
	while (*s != '\0') {
		utf8proc_ssize_t n = utf8proc_iterate(s, -1, &cp);
		struct vnch v;
		bool vn;

		if (n <= 0) {
			cp = 0xFFFD;
			n = 1;
		}
		s += n;
		vn = vn_split(cp, &v);
		switch (enc) {
		case GEN_ENC_NFC:
		case GEN_ENC_NFD:
			buf_utf8(&b, cp);
			break;
		case GEN_ENC_UTF16LE:
		case GEN_ENC_UTF16BE:
			if (cp >= 0x10000) {
				utf16_unit(&b, 0xD800 + ((unsigned)(cp -
				    0x10000) >> 10), enc == GEN_ENC_UTF16LE);
				utf16_unit(&b, 0xDC00 + ((unsigned)cp & 0x3FF),
				    enc == GEN_ENC_UTF16LE);
			} else
				utf16_unit(&b, (unsigned)cp,
				    enc == GEN_ENC_UTF16LE);
			break;
		case GEN_ENC_TCVN3:
			if (vn)
				tcvn3_letter(&b, &v, caps_font);
			else
				buf_byte(&b, cp < 0x80 ? (unsigned)cp : '?');
			break;
		case GEN_ENC_VNI:
			if (vn)
				vni_letter(&b, &v);
			else
				buf_byte(&b, cp < 0x80 ? (unsigned)cp : '?');
			break;
		case GEN_ENC_VIQR:
			if (vn)
				viqr_letter(&b, &v);
			else if (cp < 0x80) {
				/* A mark character right after a letter
				 * would read as a diacritic: escape it. */
				if (viqr_mark((int)cp) && ((prev >= 'a' &&
				    prev <= 'z') || (prev >= 'A' &&
				    prev <= 'Z')))
					buf_byte(&b, '\\');
				buf_byte(&b, (unsigned)cp);
			} else
				buf_byte(&b, '?');
			break;
		case GEN_ENC_CP1258:
			cp1258_char(&b, cp);
			break;
		case GEN_ENC_COUNT:
			break;
		}
		prev = vn ? 'a' : cp < 0x80 ? (int)cp : 0;
	}
	return buf_done(&b, outlen);
}

/* Windows-1252 shows 0x80–0x9F as these code points (doc.h). */
static const uint16_t cp1252_c1[32] = {
	0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
	0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
};

char *
gen_latin1_utf8(const unsigned char *b, size_t len)
{
	struct gen_buf o = {0};
	size_t i, n;

	for (i = 0; i < len; i++) {
		int32_t cp = b[i];

		if (cp >= 0x80 && cp < 0xA0)
			cp = cp1252_c1[cp - 0x80];
		buf_utf8(&o, cp);
	}
	return (char *)buf_done(&o, &n);
}

/* --- the logical document ---------------------------------------------------- */

/* splitmix64: the same seed always gives the same document. */
struct rng {
	uint64_t s;
};

static unsigned
rnd(struct rng *r, unsigned n)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	z ^= z >> 31;
	return n ? (unsigned)(z % n) : 0;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(r, a) ((a)[rnd((r), NELEM(a))])

/* Sentences of ordinary administrative work; '#' becomes a number, '@' a
 * day of the month, '&' an hour of the working day. */
static const char *const vocab[] = {
	"Ủy ban nhân dân phường đã tổ chức hội nghị sơ kết công tác bảo đảm "
	    "an ninh trật tự quý I với sự tham gia của # đại biểu.",
	"Công an phường phối hợp với các tổ dân phố tuần tra, kiểm soát vào "
	    "ban đêm tại các tuyến đường trọng điểm.",
	"Trong tháng, trên địa bàn phường xảy ra # vụ việc liên quan đến trật "
	    "tự công cộng, đã được giải quyết kịp thời.",
	"Kinh phí thực hiện kế hoạch được bố trí từ nguồn ngân sách phường năm "
	    "2026 với tổng số tiền # triệu đồng.",
	"Các tổ dân phố tiếp tục duy trì mô hình tự quản về an ninh trật tự, "
	    "phòng cháy chữa cháy.",
	"Đề nghị các ban, ngành, đoàn thể phường phối hợp chặt chẽ trong quá "
	    "trình triển khai thực hiện.",
	"Thời gian họp bắt đầu lúc & giờ 00 phút, tại hội trường Ủy ban nhân "
	    "dân phường.",
	"Văn phòng Ủy ban nhân dân phường có trách nhiệm tổng hợp kết quả, báo "
	    "cáo Chủ tịch Ủy ban nhân dân phường trước ngày @ hằng tháng.",
	"Công tác tuyên truyền, phổ biến giáo dục pháp luật được thực hiện "
	    "thường xuyên qua hệ thống loa truyền thanh.",
	"Lực lượng dân quân tự vệ phường duy trì trực sẵn sàng chiến đấu theo "
	    "đúng quy định.",
	"Phường đã tiếp nhận và giải quyết # hồ sơ thủ tục hành chính, đạt tỷ "
	    "lệ đúng hạn trên 98 phần trăm.",
	"Công tác quản lý cư trú, đăng ký tạm trú, tạm vắng được thực hiện "
	    "nghiêm túc.",
	"Tổ công tác liên ngành đã kiểm tra # cơ sở kinh doanh có điều kiện về "
	    "an ninh trật tự.",
	"Qua kiểm tra, phát hiện và xử lý vi phạm hành chính đối với # trường "
	    "hợp.",
	"Hội đồng nhân dân phường thống nhất thông qua dự toán thu, chi ngân "
	    "sách năm 2026.",
	"Trạm y tế phường triển khai tiêm chủng mở rộng cho trẻ em dưới # "
	    "tuổi.",
	"Các trường học trên địa bàn bảo đảm an toàn cho học sinh trong giờ "
	    "tan trường.",
	"Ban chỉ huy quân sự phường hoàn thành công tác tuyển quân năm 2026 "
	    "với # thanh niên lên đường nhập ngũ.",
	"Mặt trận Tổ quốc phường vận động nhân dân đóng góp quỹ vì người "
	    "nghèo được # triệu đồng.",
	"Lịch tiếp công dân của lãnh đạo phường được niêm yết công khai tại "
	    "bộ phận một cửa.",
	"Việc chỉnh trang đô thị, lòng đường, vỉa hè được thực hiện theo kế "
	    "hoạch đã ban hành.",
	"Ủy ban nhân dân phường giao Công an phường chủ trì, phối hợp với các "
	    "đơn vị liên quan tổ chức thực hiện.",
	"Các đơn vị báo cáo kết quả thực hiện về Văn phòng Ủy ban nhân dân "
	    "phường trước ngày @ tháng 6 năm 2026.",
	"Tình hình an ninh chính trị, trật tự an toàn xã hội trên địa bàn "
	    "phường cơ bản ổn định.",
	"Số vụ phạm pháp hình sự giảm # vụ so với cùng kỳ năm trước.",
	"Phường tổ chức diễn tập phòng cháy chữa cháy tại khu dân cư số #.",
	"Công chức địa chính - xây dựng kiểm tra # công trình xây dựng trên địa "
	    "bàn.",
	"Hội Liên hiệp phụ nữ phường tổ chức tập huấn kỹ năng phòng chống bạo "
	    "lực gia đình.",
	"Đoàn thanh niên phường ra quân làm sạch môi trường tại # tuyến hẻm.",
	"Ủy ban nhân dân phường đã ban hành # văn bản chỉ đạo, điều hành trong "
	    "quý.",
	"Dự kiến tổ chức hội nghị tổng kết vào tuần thứ hai của tháng 12.",
	"Tổng số hộ gia đình trên địa bàn phường là # hộ với khoảng 18 nghìn "
	    "nhân khẩu.",
	"Hệ thống camera an ninh được lắp đặt thêm tại # vị trí công cộng.",
	"Tổ hòa giải ở cơ sở đã hòa giải thành # vụ việc mâu thuẫn trong nhân "
	    "dân.",
	"Công tác chi trả trợ cấp cho người có công được thực hiện đầy đủ, "
	    "kịp thời.",
	"Ủy ban nhân dân phường yêu cầu thủ trưởng các đơn vị nghiêm túc thực "
	    "hiện.",
	"Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các đơn vị báo "
	    "cáo về Ủy ban nhân dân phường để xem xét, giải quyết.",
	"Kết quả thu ngân sách đến nay đạt # phần trăm dự toán được giao.",
	"Nhân dịp Tết Nguyên đán, phường tổ chức thăm, tặng quà # gia đình "
	    "chính sách.",
	"Lực lượng bảo vệ dân phố phối hợp giữ gìn trật tự tại các chợ và khu "
	    "vui chơi.",
	"Cuộc họp giao ban định kỳ được tổ chức vào sáng thứ hai hằng tuần.",
	"Phường đã rà soát, cập nhật cơ sở dữ liệu quốc gia về dân cư cho # "
	    "trường hợp.",
	"Công tác phòng, chống ma túy được triển khai đồng bộ tại các khu dân "
	    "cư.",
	"Ban quản lý chợ phường chấn chỉnh tình trạng lấn chiếm lối đi chung.",
};

static const char *const headings[] = {
	"I. TÌNH HÌNH CHUNG", "II. KẾT QUẢ THỰC HIỆN",
	"III. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI", "IV. TỔ CHỨC THỰC HIỆN",
	"V. KIẾN NGHỊ, ĐỀ XUẤT",
};

/* Talking about secrecy rules (decoy-rules). */
static const char *const rules_vocab[] = {
	"Không soạn thảo, sao chép, lưu trữ tài liệu có nội dung bí mật Nhà "
	    "nước trên máy tính kết nối mạng.",
	"Tài liệu có nội dung bí mật nhà nước phải được xác định và đóng dấu "
	    "độ Mật, Tối mật, Tuyệt mật theo quy định.",
	"Độ mật của tài liệu do người đứng đầu cơ quan quyết định khi ký ban "
	    "hành.",
	"Mỗi tài liệu mật khi vận chuyển phải được đóng gói trong bì riêng và "
	    "vào sổ theo dõi.",
	"Cán bộ, công chức được giao quản lý tài liệu mật có trách nhiệm bảo "
	    "quản, không để lộ, lọt.",
	"Nghiêm cấm mang tài liệu mật ra khỏi cơ quan khi chưa được phép của "
	    "thủ trưởng đơn vị.",
	"Việc sao, chụp tài liệu, vật chứa bí mật nhà nước độ Tuyệt mật, Tối "
	    "mật phải được người có thẩm quyền cho phép.",
	"Máy tính dùng để soạn thảo văn bản mật không được kết nối Internet "
	    "và mạng nội bộ.",
	"Thực hiện nghiêm Luật Bảo vệ bí mật nhà nước năm 2018 và các văn bản "
	    "hướng dẫn thi hành.",
	"Định kỳ # tháng một lần, Công an phường kiểm tra công tác bảo vệ bí "
	    "mật nhà nước tại các bộ phận.",
	"Tiêu hủy tài liệu mật phải lập biên bản và được người có thẩm quyền "
	    "phê duyệt.",
};

/* Ordinary uses of the syllable "mật" (decoy-words). */
static const char *const words_vocab[] = {
	"Mỗi cán bộ phải đặt mật khẩu có ít nhất # ký tự cho tài khoản thư "
	    "điện tử công vụ.",
	"Không chia sẻ mật khẩu cho người khác và thay đổi mật khẩu định kỳ.",
	"Công tác bảo mật thông tin trên hệ thống một cửa điện tử được tăng "
	    "cường.",
	"Mật độ dân số của phường là # người trên một ki-lô-mét vuông.",
	"Hội nông dân hỗ trợ các hộ nuôi ong tiêu thụ # lít mật ong.",
	"Sự phối hợp mật thiết giữa các ban, ngành đã mang lại kết quả tốt.",
	"Chữ ký số và mật mã dân sự được sử dụng trong giao dịch điện tử.",
	"Người dân cần giữ bí mật mã OTP và thông tin tài khoản ngân hàng.",
	"Phần mềm quản lý văn bản yêu cầu xác thực hai lớp và mật khẩu mạnh.",
	"Các hộ kinh doanh được hướng dẫn bảo mật dữ liệu khách hàng.",
};

static const char *const titles[] = {
	"BÁO CÁO", "KẾ HOẠCH", "CÔNG VĂN", "THÔNG BÁO", "TỜ TRÌNH",
	"QUYẾT ĐỊNH", "BIÊN BẢN",
};
static const char *const subjects[] = {
	"Kết quả công tác bảo đảm an ninh trật tự quý I năm 2026",
	"Về việc tăng cường tuần tra, kiểm soát trên địa bàn phường",
	"Triển khai công tác phòng cháy chữa cháy năm 2026",
	"Về việc tổ chức hội nghị sơ kết 6 tháng đầu năm",
	"Về dự toán kinh phí hoạt động của Công an phường",
	"Kế hoạch tổng rà soát cư trú trên địa bàn phường",
};
static const char *const codes[] = {
	"UBND-CA", "BC-UBND", "KH-UBND", "TB-UBND", "UBND-VP", "TTr-UBND",
};
static const char *const signers[] = {
	"Nguyễn Văn An", "Trần Thị Bích Hằng", "Lê Minh Đức", "Phạm Quốc Hùng",
	"Võ Thị Thu Thủy", "Đặng Hữu Phước",
};

static const char *
degree_text(enum doc_degree g)
{
	switch (g) {
	case DOC_DEGREE_MAT: return "MẬT";
	case DOC_DEGREE_TOI_MAT: return "TỐI MẬT";
	case DOC_DEGREE_TUYET_MAT: return "TUYỆT MẬT";
	case DOC_DEGREE_NONE: break;
	}
	return "";
}

/* The degree as the "Độ mật" field writes it: "Mật", "Tối mật", … */
static const char *
degree_field(enum doc_degree g, unsigned style)
{
	static const char *const plain[] = {"", "Mật", "Tối mật", "Tuyệt mật"};

	return style == 0 ? plain[g] : degree_text(g);
}

struct builder {
	struct gen_doc *d;
	size_t cap;
	struct rng r;
	unsigned since_break;	/* body paragraphs since the last page break */
	unsigned page;
	unsigned brk;		/* paragraphs per page of this document */
};

static void
add(struct builder *b, const char *text, enum gen_where where,
    unsigned flags)
{
	struct gen_para *p;
	char *t;

	if (b->d->npara == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->d->paras = realloc(b->d->paras, b->cap * sizeof(*p));
		if (b->d->paras == NULL)
			abort();
	}
	if ((t = strdup(text)) == NULL)
		abort();
	p = &b->d->paras[b->d->npara++];
	p->text = t;
	p->where = where;
	p->flags = flags;
}

/* A sentence with its '#' replaced by a number. */
static void
sentence(struct builder *b, struct gen_buf *o, const char *s)
{
	char num[16];

	for (; *s != '\0'; s++) {
		if (*s == '#' || *s == '@' || *s == '&') {
			snprintf(num, sizeof(num), "%u", *s == '#' ?
			    2 + rnd(&b->r, 98) : *s == '@' ? 1 + rnd(&b->r, 28) :
			    7 + rnd(&b->r, 10));
			gen_buf_str(o, num);
		} else
			gen_buf_add(o, s, 1);
	}
}

/* A body paragraph of 1–3 sentences of a vocabulary; a page break before
 * it every b->brk paragraphs. */
static void
body_para(struct builder *b, const char *const *voc, size_t nvoc)
{
	struct gen_buf o = {0};
	unsigned i, n = 1 + rnd(&b->r, 3);
	unsigned flags = 0;

	for (i = 0; i < n; i++) {
		if (i > 0)
			gen_buf_str(&o, " ");
		sentence(b, &o, voc[rnd(&b->r, (unsigned)nvoc)]);
	}
	if (++b->since_break > b->brk) {
		flags |= GEN_P_PAGEBREAK;
		b->since_break = 1;
		b->page++;
	}
	add(b, (const char *)o.p, GEN_BODY, flags);
	free(o.p);
}

static void
heading(struct builder *b, const char *text)
{
	unsigned flags = GEN_P_BOLD | GEN_P_CAPS;

	if (++b->since_break > b->brk) {
		flags |= GEN_P_PAGEBREAK;
		b->since_break = 1;
		b->page++;
	}
	add(b, text, GEN_BODY, flags);
}

static void
stamp(struct builder *b, enum doc_degree g, enum gen_where where)
{
	unsigned flags = GEN_P_BOLD | GEN_P_CAPS | GEN_P_CENTER;

	if (where == GEN_BOX || rnd(&b->r, 2) == 0)
		flags |= GEN_P_FRAMED;
	add(b, degree_text(g), where, flags);
}

static void
field(struct builder *b, enum doc_degree g)
{
	char line[160];
	unsigned style = rnd(&b->r, 3);

	if (style == 2)
		snprintf(line, sizeof(line), "ĐỘ MẬT: %s", degree_text(g));
	else
		snprintf(line, sizeof(line), "Độ mật: %s",
		    degree_field(g, style));
	if (rnd(&b->r, 2) == 0) {
		char both[200];

		snprintf(both, sizeof(both), "Độ khẩn: Khẩn    %s", line);
		add(b, both, GEN_BODY, 0);
	} else
		add(b, line, GEN_BODY, 0);
}

/* Copy marks: the envelope letter of the degree (A Tuyệt mật, B Tối mật,
 * C Mật) in a box, and the number of the copy. */
static void
copy_mark(struct builder *b, enum doc_degree g)
{
	static const char *const letter[] = {"", "C", "B", "A"};
	char line[64];

	stamp(b, g, GEN_BODY);
	add(b, letter[g], GEN_BOX, GEN_P_BOLD | GEN_P_CAPS | GEN_P_FRAMED |
	    GEN_P_CENTER);
	snprintf(line, sizeof(line), "Bản số: %02u", 1 + rnd(&b->r, 12));
	add(b, line, GEN_BODY, 0);
}

/* The sample of stamps of an appendix deep in the body (decoy-late). */
static void
late_sample(struct builder *b)
{
	static const char *const degrees[] = {"MẬT", "TỐI MẬT", "TUYỆT MẬT"};
	size_t i;

	heading(b, "PHỤ LỤC: MẪU DẤU CHỈ ĐỘ MẬT");
	add(b, "Mẫu dấu chỉ độ mật dùng để đóng trên tài liệu:", GEN_BODY, 0);
	b->since_break++;
	for (i = 0; i < NELEM(degrees); i++) {
		add(b, degrees[i], GEN_BODY, GEN_P_BOLD | GEN_P_CAPS |
		    GEN_P_CENTER | GEN_P_FRAMED);
		b->since_break++;
	}
}

static void
letterhead(struct builder *b, enum gen_kind kind, enum doc_degree g)
{
	char line[160];
	bool marked = kind <= GEN_COPY_MARK && g != DOC_DEGREE_NONE;
	unsigned hb = GEN_P_BOLD | GEN_P_CAPS | GEN_P_CENTER;

	if (kind == GEN_STAMP_HEADER && marked)
		stamp(b, g, GEN_HEADER);
	add(b, "ỦY BAN NHÂN DÂN PHƯỜNG THÁI HÒA", GEN_BODY, hb);
	add(b, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", GEN_BODY, hb);
	add(b, "Độc lập - Tự do - Hạnh phúc", GEN_BODY, GEN_P_BOLD |
	    GEN_P_CENTER);
	snprintf(line, sizeof(line), "Số: %u/%s", 1 + rnd(&b->r, 480),
	    PICK(&b->r, codes));
	add(b, line, GEN_BODY, 0);
	if (marked && kind == GEN_STAMP_TOP)
		stamp(b, g, GEN_BODY);
	else if (marked && kind == GEN_STAMP_BOX)
		stamp(b, g, GEN_BOX);
	else if (marked && kind == GEN_COPY_MARK)
		copy_mark(b, g);
	else if (marked && kind == GEN_FIELD)
		field(b, g);
	snprintf(line, sizeof(line), "Thái Hòa, ngày %02u tháng %u năm 2026",
	    1 + rnd(&b->r, 28), 1 + rnd(&b->r, 12));
	add(b, line, GEN_BODY, 0);
}

static void
closing(struct builder *b)
{
	add(b, "Nơi nhận:", GEN_BODY, GEN_P_BOLD);
	add(b, "- Như trên;", GEN_BODY, 0);
	add(b, "- Công an quận;", GEN_BODY, 0);
	add(b, "- Thường trực Đảng ủy phường;", GEN_BODY, 0);
	add(b, "- Lưu: VT.", GEN_BODY, 0);
	add(b, "TM. ỦY BAN NHÂN DÂN", GEN_BODY, GEN_P_BOLD | GEN_P_CAPS |
	    GEN_P_CENTER);
	add(b, "CHỦ TỊCH", GEN_BODY, GEN_P_BOLD | GEN_P_CAPS | GEN_P_CENTER);
	add(b, PICK(&b->r, signers), GEN_BODY, GEN_P_BOLD | GEN_P_CENTER);
}

static void
title(struct builder *b, enum gen_kind kind)
{
	const char *t, *sub;

	switch (kind) {
	case GEN_DECOY_RULES:
		t = "QUY CHẾ BẢO VỆ BÍ MẬT NHÀ NƯỚC";
		sub = "Ban hành kèm theo Quyết định của Ủy ban nhân dân phường";
		break;
	case GEN_DECOY_WORDS:
		t = "HƯỚNG DẪN";
		sub = "Về bảo mật thông tin và sử dụng mật khẩu tại bộ phận "
		    "một cửa";
		break;
	default:
		t = PICK(&b->r, titles);
		sub = PICK(&b->r, subjects);
		break;
	}
	if ((b->d->title = strdup(t)) == NULL)
		abort();
	add(b, t, GEN_BODY, GEN_P_BOLD | GEN_P_CAPS | GEN_P_CENTER);
	add(b, sub, GEN_BODY, GEN_P_BOLD | GEN_P_CENTER);
	if (kind == GEN_DECOY_WORDS)
		add(b, "BẢO MẬT THÔNG TIN", GEN_BODY, GEN_P_BOLD | GEN_P_CAPS |
		    GEN_P_CENTER);
}

/* The body: nbody paragraphs with section headings, the decoy's own
 * sentences and headings where the kind wants them. */
static void
body(struct builder *b, enum gen_kind kind, unsigned nbody)
{
	unsigned i, h = 0, late_at = 0;

	if (kind == GEN_DECOY_LATE)
		late_at = 2 * b->brk + 3 + rnd(&b->r, 10);
	for (i = 0; i < nbody; i++) {
		if (i == late_at && late_at != 0) {
			late_sample(b);
			continue;
		}
		if (kind == GEN_DECOY_WORDS && i == 3) {
			heading(b, "MẬT KHẨU VÀ TÀI KHOẢN");
			continue;
		}
		if (i % 12 == 0 && h < NELEM(headings)) {
			heading(b, headings[h++]);
			continue;
		}
		if (kind == GEN_DECOY_RULES && rnd(&b->r, 3) != 0)
			body_para(b, rules_vocab, NELEM(rules_vocab));
		else if (kind == GEN_DECOY_WORDS && rnd(&b->r, 3) != 0)
			body_para(b, words_vocab, NELEM(words_vocab));
		else
			body_para(b, vocab, NELEM(vocab));
	}
}

void
gen_doc_make(struct gen_doc *d, enum gen_kind kind, enum doc_degree degree,
    enum gen_enc enc, unsigned seed)
{
	struct builder b;
	unsigned nbody;

	memset(d, 0, sizeof(*d));
	memset(&b, 0, sizeof(b));
	d->kind = kind;
	d->degree = kind <= GEN_COPY_MARK ? degree : DOC_DEGREE_NONE;
	d->enc = enc;
	d->seed = seed;
	b.d = d;
	b.r.s = (uint64_t)seed * 0x2545F4914F6CDD1Dull + (uint64_t)kind * 131 +
	    (uint64_t)degree * 7 + 1;
	b.brk = 28 + rnd(&b.r, 5);
	b.page = 1;
	nbody = 10 + rnd(&b.r, 191);
	if (kind == GEN_DECOY_LATE && nbody < 2 * b.brk + 20)
		nbody = 2 * b.brk + 20 + rnd(&b.r, 40);
	letterhead(&b, kind, d->degree);
	title(&b, kind);
	body(&b, kind, nbody);
	closing(&b);
}

void
gen_doc_free(struct gen_doc *d)
{
	size_t i;

	for (i = 0; i < d->npara; i++)
		free((char *)(uintptr_t)d->paras[i].text);
	free(d->paras);
	free((char *)(uintptr_t)d->title);
	memset(d, 0, sizeof(*d));
}

bool
gen_doc_expected(const struct gen_doc *d)
{
	return d->kind <= GEN_COPY_MARK && d->degree != DOC_DEGREE_NONE;
}

/* --- shared by the XML-based writers (gen.h) ------------------------------ */

char *
gen_para_text(const struct gen_doc *d, const struct gen_para *p,
    const char **font)
{
	bool caps = (p->flags & GEN_P_CAPS) != 0;
	unsigned char *raw;
	char *s;
	size_t n;

	*font = NULL;
	if (d->enc == GEN_ENC_TCVN3 || d->enc == GEN_ENC_VNI) {
		raw = gen_encode(p->text, d->enc, caps, &n);
		s = gen_latin1_utf8(raw, n);
		free(raw);
		*font = gen_font(d->enc, caps);
		return s;
	}
	if (d->enc == GEN_ENC_NFD) {
		raw = gen_encode(p->text, GEN_ENC_NFD, false, &n);
		if ((s = malloc(n + 1)) == NULL)
			abort();
		memcpy(s, raw, n);
		s[n] = '\0';
		free(raw);
		return s;
	}
	if ((s = strdup(p->text)) == NULL)
		abort();
	return s;
}

static bool
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool
gen_letterhead(const struct gen_doc *d, struct gen_letterhead *lay)
{
	size_t i, nation = 0, motto = 0, date = 0;

	memset(lay, 0, sizeof(*lay));
	for (i = 0; i < d->npara && i < 10; i++)
		if (starts(d->paras[i].text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA"))
			nation = i + 1;
	if (nation == 0 || nation >= d->npara ||
	    !starts(d->paras[nation].text, "Độc lập"))
		return false;
	motto = nation + 1;
	for (i = motto; i < d->npara && i < motto + 10; i++)
		if (strstr(d->paras[i].text, ", ngày ") != NULL) {
			date = i + 1;
			break;
		}
	if (date == 0)
		return false;
	for (i = 0; i < date; i++) {
		enum gen_where w = d->paras[i].where;

		if (i == nation - 1 || i == motto - 1 || i == date - 1) {
			lay->right[lay->nright++] = i;
		} else if ((w == GEN_BODY || w == GEN_BOX) &&
		    lay->nleft < sizeof(lay->left) / sizeof(lay->left[0]))
			lay->left[lay->nleft++] = i;
	}
	lay->end = date;
	return true;
}
