/*
 * marking.c — the detector of classified documents (directive point 6).
 * It reads the lines an extractor emits (doc.h) and decides whether the
 * document carries a secrecy degree — TUYỆT MẬT, TỐI MẬT, MẬT — from
 * where and how a marking stands: a short capitalised stamp in a header,
 * a box or the top of page 1; the "Độ mật" field; the stamp's wording and
 * the copy marks. Never from how often "mật" appears: the word is in
 * every password notice. Rules and examples: docs/secrets.md.
 */
#define _GNU_SOURCE	/* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "lib/text.h"
#include "secrets/doc.h"

#define TOP_LINES	20	/* body lines of page 1 where stamps stand */
#define PAGE1_LINES	60	/* body lines of page 1 read at all */
#define TOP_CELLS	30	/* cells of the first sheet */
#define MAX_MARK_LEN	200	/* bytes: a longer line is no marking */
#define SHORT_LEN	64	/* bytes: short lines may be wording/marks */
#define MAX_TOKENS	24
#define MAX_CAND	8
#define KEEP_LEN	240	/* bytes of a neighbour kept for evidence */
#define MIN_REPORT	60	/* confidence below which nothing is said */

/* --- rules and where lines stand ------------------------------------------ */

enum rule {
	R_STAMP_HEADER, R_STAMP_BOX, R_STAMP_TOP, R_STAMP_PAGE1,
	R_STAMP_FOOTER, R_STAMP_SUBJECT, R_FIELD,
};

static const struct {
	const char *name;
	unsigned conf;		/* before corroboration */
} rules[] = {
	[R_STAMP_HEADER] = {"stamp-header", 85},
	[R_STAMP_BOX] = {"stamp-box", 85},
	[R_STAMP_TOP] = {"stamp-top", 85},
	[R_STAMP_PAGE1] = {"stamp-page1", 78},
	[R_STAMP_FOOTER] = {"stamp-footer", 80},
	[R_STAMP_SUBJECT] = {"stamp-subject", 75},
	[R_FIELD] = {"field", 75},
};

enum pos {
	P_NONE,		/* cannot hold a marking */
	P_HEADER, P_BOX, P_TOP, P_PAGE1, P_FOOTER, P_META, P_SUBJECT,
};

static bool
zone_flows(enum doc_zone z)
{
	return z == DOC_ZONE_BODY || z == DOC_ZONE_TABLE || z == DOC_ZONE_OCR;
}

static enum pos
position(const struct doc_line *l)
{
	switch (l->zone) {
	case DOC_ZONE_HEADER: return P_HEADER;
	case DOC_ZONE_FOOTER: return P_FOOTER;
	case DOC_ZONE_BOX: return l->page <= 1 ? P_BOX : P_NONE;
	case DOC_ZONE_META: return P_META;
	case DOC_ZONE_SUBJECT: return P_SUBJECT;
	case DOC_ZONE_NOTE: return P_NONE;
	case DOC_ZONE_CELL:
		return l->page <= 1 && l->index < TOP_CELLS ? P_TOP : P_NONE;
	case DOC_ZONE_BODY:
	case DOC_ZONE_TABLE:
	case DOC_ZONE_OCR:
		if (l->page > 1)
			return P_NONE;
		if (l->index < TOP_LINES)
			return P_TOP;
		return l->index < PAGE1_LINES ? P_PAGE1 : P_NONE;
	}
	return P_NONE;
}

/* --- the detector's state ------------------------------------------------- */

enum att { A_UNICODE, A_TCVN3, A_VNI, A_CP1258, A_VIQR };

static const char *const att_name[] = {
	[A_UNICODE] = "unicode", [A_TCVN3] = "tcvn3", [A_VNI] = "vni",
	[A_CP1258] = "cp1258", [A_VIQR] = "viqr",
};

struct cand {			/* one accepted marking */
	enum doc_degree degree;
	enum rule rule;
	unsigned conf;
	bool copy;		/* a copy mark on its own line */
	bool listed;		/* a neighbour is another degree: a list */
	bool has_next;		/* its next line was seen (or cannot be) */
	enum doc_zone zone;
	unsigned page, index;
	enum att att;
	char part[160];
	char marking[96];
	char line[KEEP_LEN + 1], prev[KEEP_LEN + 1], next[KEEP_LEN + 1];
};

struct prevline {		/* the last line that stood in a position */
	bool valid;
	enum doc_zone zone;
	unsigned index;
	enum doc_enc enc;
	enum doc_degree bare;	/* it was a degree alone (any case) */
	int cand;		/* the candidate made of it, or -1 */
	size_t len;
	char part[160];
	char text[KEEP_LEN + 1];
};

struct doc_detector {
	struct doc_sink sink;	/* first: the sink is the detector */
	struct cand cand[MAX_CAND];
	int ncand;
	int pending;		/* candidate waiting for its next line */
	bool wording;		/* a stamp's wording seen where stamps stand */
	bool copymark;		/* "A"/"B"/"C" or "Bản số" seen likewise */
	struct prevline prev;
};

/* --- UTF-8 helpers ------------------------------------------------------- */

/* Length of s[0..n) cut to at most max bytes on a character boundary. */
static size_t
utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

/* Copies s[0..n) to dst (cap bytes, NUL-terminated): control characters
 * become spaces, runs of spaces one space; upper: in capitals. */
static void
clean_copy(char *dst, size_t cap, const char *s, size_t n, bool upper)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_uint8_t enc[4];
	utf8proc_int32_t c;
	utf8proc_ssize_t k, e;
	size_t i = 0, o = 0;
	bool space = true;

	if (cap == 0)
		return;
	while (i < n) {
		k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &c);
		if (k <= 0) {
			c = 0xFFFD;
			k = 1;
		}
		i += (size_t)k;
		if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0x2028 ||
		    c == 0x2029)
			c = ' ';
		if (c == ' ' || c == 0xA0) {
			if (space)
				continue;
			space = true;
			c = ' ';
		} else
			space = false;
		if (upper)
			c = utf8proc_toupper(c);
		e = utf8proc_encode_char(c, enc);
		if (o + (size_t)e >= cap)
			break;
		memcpy(dst + o, enc, (size_t)e);
		o += (size_t)e;
	}
	while (o > 0 && dst[o - 1] == ' ')
		o--;
	dst[o] = '\0';
}

/*
 * TCVN3 text decodes to small letters where a .VnTimeH font showed
 * capitals; for people, a word whose ASCII letters are all capitals (two
 * or more) is shown in capitals ("TUYệT MậT" -> "TUYỆT MẬT"; "Số" stays).
 * Returns malloc'd text.
 */
static char *
tcvn_recase(const char *s, size_t n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t c;
	utf8proc_ssize_t k;
	size_t i = 0, w, o = 0;
	char *out = malloc(n * 4 + 1);

	if (out == NULL)
		return NULL;
	while (i < n) {
		unsigned caps = 0;
		bool small = false;

		for (w = i; w < n && s[w] != ' '; w++) {
			caps += s[w] >= 'A' && s[w] <= 'Z';
			small |= s[w] >= 'a' && s[w] <= 'z';
		}
		while (i < w) {
			k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(w - i),
			    &c);
			if (k <= 0) {
				c = 0xFFFD;
				k = 1;
			}
			i += (size_t)k;
			if (caps >= 2 && !small)
				c = utf8proc_toupper(c);
			if (o + 4 > n * 4)
				break;
			o += (size_t)utf8proc_encode_char(c,
			    (utf8proc_uint8_t *)out + o);
		}
		i = w;
		if (i < n) {
			out[o++] = ' ';
			i++;
		}
	}
	out[o] = '\0';
	return out;
}

/* The bytes of a line of legacy text given as code points (doc.h), into
 * out (n+1 bytes); false when some character is not such a byte. */
static bool
cps_to_bytes(const char *s, size_t n, unsigned char *out, size_t *olen)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t c;
	utf8proc_ssize_t k;
	size_t i = 0, o = 0;
	int b;

	while (i < n) {
		k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &c);
		if (k <= 0)
			return false;
		i += (size_t)k;
		if ((b = text_cp1252_byte(c)) < 0)
			return false;
		out[o++] = (unsigned char)b;
	}
	*olen = o;
	return true;
}

static bool
valid_utf8(const char *s, size_t n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t c;
	utf8proc_ssize_t k;
	size_t i = 0;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &c);
		if (k <= 0)
			return false;
		i += (size_t)k;
	}
	return true;
}

/* --- the cheap test ------------------------------------------------------- */

/*
 * Whether a line may hold "mật" in some encoding: after an m or M, ật/ẬT
 * precomposed (E1 BA AD/AC), TCVN3 ậ as the code point Ë (C3 8B), VN1 Ậ
 * as † (E2 80 A0 or C2 86), VNI a + Ä/ä (C3 84/A4), Windows-1258 â/Â +
 * combining dot (C3 A2/82 C3 B2 as code points, raw E2/C2 F2), VIQR
 * a^. (or a.^); then t or T. Decomposed text (a combining mark, CC xx)
 * and a capital Ậ anywhere (letter-spaced stamps) are looked at too.
 */
static bool
after_m(const unsigned char *p, size_t n)
{
	size_t k = 0;

	if (n >= 3 && p[0] == 0xE1 && p[1] == 0xBA && (p[2] == 0xAD ||
	    p[2] == 0xAC))
		k = 3;
	else if (n >= 2 && p[0] == 0xC3 && p[1] == 0x8B)
		k = 2;
	else if (n >= 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0xA0)
		k = 3;
	else if (n >= 2 && ((p[0] == 0xC2 && p[1] == 0x86) ||
	    ((p[0] == 0xE2 || p[0] == 0xC2) && p[1] == 0xF2)))
		k = 2;
	else if (n >= 1 && (p[0] == 'a' || p[0] == 'A')) {
		if (n >= 3 && p[1] == 0xC3 && (p[2] == 0x84 || p[2] == 0xA4))
			k = 3;
		else if (n >= 3 && ((p[1] == '^' && p[2] == '.') ||
		    (p[1] == '.' && p[2] == '^')))
			k = 3;
	} else if (n >= 4 && p[0] == 0xC3 && (p[1] == 0xA2 || p[1] == 0x82) &&
	    p[2] == 0xC3 && p[3] == 0xB2)
		k = 4;
	return k > 0 && k < n && (p[k] == 't' || p[k] == 'T');
}

static bool
might_mark(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		if ((p[i] == 'm' || p[i] == 'M') && after_m(p + i + 1,
		    n - i - 1))
			return true;
		if (p[i] == 0xCC)
			return true;
		if (p[i] == 0xE1 && i + 2 < n && p[i + 1] == 0xBA &&
		    p[i + 2] == 0xAC && n <= SHORT_LEN)
			return true;
	}
	return false;
}

/*
 * Whether a short line may be a copy mark or a line of a stamp's wording
 * ("TÀI LIỆU THU HỒI", "… BÓC BÌ", "… SAO, CHỤP"): very short, or holding
 * HỒI, BÌ or CHỤP in either case. Legacy text: any short line.
 */
static bool
might_word(const struct doc_line *l)
{
	static const char *const keys[] = {
		"H\xE1\xBB\x92I", "h\xE1\xBB\x93i", "B\xC3\x8C", "b\xC3\xAC",
		"CH\xE1\xBB\xA4P", "ch\xE1\xBB\xA5p",
	};
	size_t i;

	if (l->len > SHORT_LEN)
		return false;
	if (l->len <= 16 || l->enc != DOC_ENC_UNICODE)
		return true;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (memmem(l->text, l->len, keys[i], strlen(keys[i])) != NULL)
			return true;
	return false;
}

/* --- decoding one line ---------------------------------------------------- */

struct text {
	char *own;		/* malloc'd, or NULL when s is borrowed */
	const char *s;
	size_t n;
};

static bool
has_combining(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] == 0xCC || p[i] == 0xCD)
			return true;
	return false;
}

static bool
own_text(struct text *t, char *s)
{
	if (s == NULL)
		return false;
	t->own = s;
	t->s = s;
	t->n = strlen(s);
	return true;
}

/* The line as Unicode NFC, read as att says. */
static bool
decode(const char *s, size_t n, bool valid, enum att att, struct text *t)
{
	unsigned char bytes[KEEP_LEN + 1], *nfc = NULL;
	char *u8;
	size_t bn;
	utf8proc_ssize_t r;
	bool ok;

	t->own = NULL;
	t->s = s;
	t->n = n;
	if (n > KEEP_LEN)
		return false;
	switch (att) {
	case A_UNICODE:
		if (!valid)
			return false;
		if (!has_combining(s, n))
			return true;
		r = utf8proc_map((const utf8proc_uint8_t *)s,
		    (utf8proc_ssize_t)n, &nfc, UTF8PROC_STABLE |
		    UTF8PROC_COMPOSE);
		if (r < 0)
			return false;
		t->own = (char *)nfc;
		t->s = t->own;
		t->n = (size_t)r;
		return true;
	case A_TCVN3:
	case A_VNI:
		if (valid)
			return own_text(t, att == A_TCVN3 ?
			    vienc_from_tcvn3(s, n) : vienc_from_vni(s, n));
		u8 = vienc_bytes_to_utf8((const unsigned char *)s, n, &bn);
		if (u8 == NULL)
			return false;
		ok = own_text(t, att == A_TCVN3 ? vienc_from_tcvn3(u8, bn) :
		    vienc_from_vni(u8, bn));
		free(u8);
		return ok;
	case A_CP1258:
		if (!valid) {
			memcpy(bytes, s, n);
			bn = n;
		} else if (!cps_to_bytes(s, n, bytes, &bn))
			return false;
		return own_text(t, vienc_from_cp1258(bytes, bn));
	case A_VIQR:
		return own_text(t, vienc_from_viqr(s, n));
	}
	return false;
}

static void
text_free(struct text *t)
{
	free(t->own);
	t->own = NULL;
}

static bool
ascii_only(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* The readings to try for a line, in order; returns how many. */
static int
attempts(const struct doc_line *l, bool valid, bool trig, enum att *a)
{
	int k = 0;
	bool ascii = ascii_only(l->text, l->len);

	switch (l->enc) {
	case DOC_ENC_TCVN3:
		a[k++] = A_TCVN3;
		a[k++] = A_UNICODE;
		break;
	case DOC_ENC_VNI:
		a[k++] = A_VNI;
		a[k++] = A_UNICODE;
		break;
	case DOC_ENC_UNKNOWN_8BIT:
		a[k++] = A_UNICODE;
		if (!ascii) {
			a[k++] = A_TCVN3;
			a[k++] = A_VNI;
			a[k++] = A_CP1258;
		}
		break;
	case DOC_ENC_UNICODE:
	default:
		if (!valid) {	/* bytes of some 8-bit code page */
			a[k++] = A_CP1258;
			a[k++] = A_TCVN3;
			a[k++] = A_VNI;
			break;
		}
		a[k++] = A_UNICODE;
		/* legacy-font text an extractor did not recognise */
		if (trig && !ascii) {
			a[k++] = A_TCVN3;
			a[k++] = A_VNI;
		}
		break;
	}
	if (ascii && trig)
		a[k++] = A_VIQR;
	return k;
}

/* --- words ---------------------------------------------------------------- */

struct tok {
	uint16_t off, len;	/* in parse.fold */
	bool lower;		/* has a small letter */
	bool lower_ascii;	/* has a small ASCII letter */
	bool upper;		/* has a capital */
};

struct parse {
	char fold[4 * MAX_MARK_LEN];	/* the words, in small letters */
	size_t flen;
	struct tok t[MAX_TOKENS];
	int n;
	bool sentence;		/* , ; ? ! between words */
};

static bool
word_char(utf8proc_int32_t c)
{
	utf8proc_category_t k;

	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9');
	k = utf8proc_category(c);
	return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_ME) ||
	    k == UTF8PROC_CATEGORY_ND;
}

/* Splits NFC text into words; false when it is no short line of words. */
static bool
tokenize(const char *s, size_t n, struct parse *p)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	utf8proc_uint8_t enc[4];
	utf8proc_int32_t c, lc;
	utf8proc_ssize_t k, e;
	struct tok *t = NULL;
	size_t i = 0;

	p->flen = 0;
	p->n = 0;
	p->sentence = false;
	while (i < n) {
		if (u[i] < 0x80) {
			c = u[i];
			k = 1;
		} else if ((k = utf8proc_iterate(u + i,
		    (utf8proc_ssize_t)(n - i), &c)) <= 0)
			return false;
		i += (size_t)k;
		if (!word_char(c)) {
			t = NULL;
			if (c == ',' || c == ';' || c == '?' || c == '!')
				p->sentence = true;
			continue;
		}
		if (t == NULL) {
			if (p->n == MAX_TOKENS)
				return false;
			t = &p->t[p->n++];
			memset(t, 0, sizeof(*t));
			t->off = (uint16_t)p->flen;
		}
		if (c < 0x80) {
			lc = c >= 'A' && c <= 'Z' ? c + 32 : c;
			t->upper |= lc != c;
			t->lower |= c >= 'a' && c <= 'z';
			t->lower_ascii |= c >= 'a' && c <= 'z';
		} else {
			lc = utf8proc_tolower(c);
			t->upper |= lc != c;
			t->lower |= utf8proc_toupper(c) != c;
		}
		e = utf8proc_encode_char(lc, enc);
		if (p->flen + (size_t)e >= sizeof(p->fold))
			return false;
		memcpy(p->fold + p->flen, enc, (size_t)e);
		p->flen += (size_t)e;
		t->len = (uint16_t)(p->flen - t->off);
	}
	return true;
}

static bool
tok_is(const struct parse *p, int i, const char *w)
{
	size_t n = strlen(w);

	return i >= 0 && i < p->n && p->t[i].len == n &&
	    memcmp(p->fold + p->t[i].off, w, n) == 0;
}

/* Whether the words [from, to) written together are w. */
static bool
words_are(const struct parse *p, int from, int to, const char *w)
{
	size_t n = strlen(w), o = 0;
	int i;

	for (i = from; i < to; i++) {
		if (o + p->t[i].len > n ||
		    memcmp(w + o, p->fold + p->t[i].off, p->t[i].len) != 0)
			return false;
		o += p->t[i].len;
	}
	return o == n && to > from;
}

/* The degree the words [from, to) spell ("TỐI MẬT", "T Ố I  M Ậ T"). */
static enum doc_degree
degree_of(const struct parse *p, int from, int to)
{
	if (words_are(p, from, to, "mật"))
		return DOC_DEGREE_MAT;
	if (words_are(p, from, to, "tốimật"))
		return DOC_DEGREE_TOI_MAT;
	if (words_are(p, from, to, "tuyệtmật"))
		return DOC_DEGREE_TUYET_MAT;
	return DOC_DEGREE_NONE;
}

static bool
digits(const struct parse *p, int i)
{
	size_t k;

	for (k = 0; k < p->t[i].len; k++)
		if (p->fold[p->t[i].off + k] < '0' ||
		    p->fold[p->t[i].off + k] > '9')
			return false;
	return true;
}

/* A copy mark: a capital A, B or C standing as a word. */
static bool
copy_letter(const struct parse *p, int i)
{
	const struct tok *t = &p->t[i];
	char c = p->fold[t->off];

	return t->len == 1 && t->upper && (c == 'a' || c == 'b' || c == 'c');
}

/* "Bản số: 02" (copy number) from word i to the end. */
static bool
copy_number(const struct parse *p, int i)
{
	int k;

	if (!tok_is(p, i, "bản") || !tok_is(p, i + 1, "số") || i + 2 >= p->n)
		return false;
	for (k = i + 2; k < p->n; k++)
		if (!digits(p, k))
			return false;
	return p->n - (i + 2) <= 2;
}

/* --- the rules ------------------------------------------------------------ */

/* What one line is. */
struct finding {
	enum doc_degree stamp;	/* a degree standing alone, in capitals */
	bool stamp_copy;	/* … followed by a copy mark */
	enum doc_degree field;	/* "Độ mật: …" with a degree */
	enum doc_degree bare;	/* the words are a degree (any case) */
	bool wording;		/* a line of a stamp's wording */
	bool copymark;		/* a copy mark alone, or "Bản số …" */
};

static const char *const stamp_wording[] = {
	"tàiliệuthuhồi",
	"chỉngườicótênmớiđượcbócbì",
	"khôngđượcphépsaochụp",
	"khôngđượcsaochụp",
	NULL
};

/*
 * STAMP: after the decorations (any sign but , ; ? !), the words are
 * exactly a degree, maybe followed by a copy mark ("MẬT - A", "TỐI MẬT
 * (B)", "MẬT Bản số 02"), in capitals — as typed, or by formatting
 * (caps), or in TCVN3 where small codes stand for capitals in the
 * .VnTimeH fonts (then only the ASCII letters tell the case).
 */
static enum doc_degree
rule_stamp(const struct parse *p, bool caps, bool tcvn, bool *copy)
{
	enum doc_degree g;
	int end = p->n, i;

	*copy = false;
	if (p->sentence || end == 0 || end > 12)
		return DOC_DEGREE_NONE;
	for (i = 1; i < end; i++)
		if (copy_number(p, i)) {
			end = i;
			*copy = true;
			break;
		}
	if (end >= 2 && copy_letter(p, end - 1)) {
		end--;
		*copy = true;
	}
	if ((g = degree_of(p, 0, end)) == DOC_DEGREE_NONE || caps)
		return g;
	for (i = 0; i < end; i++)
		if (tcvn ? p->t[i].lower_ascii : p->t[i].lower)
			return DOC_DEGREE_NONE;
	return g;
}

/*
 * FIELD: "Độ mật: Tối mật" (any case, any separator), the value one of
 * the degrees and nothing after it but an "Độ khẩn" field; before it
 * only the "Độ khẩn: …" field. "Độ mật: ……", "Độ mật: Không" are blanks.
 */
static enum doc_degree
rule_field(const struct parse *p)
{
	int i, j, end;

	for (i = 0; i + 1 < p->n; i++)
		if (tok_is(p, i, "độ") && tok_is(p, i + 1, "mật"))
			break;
	if (i + 1 >= p->n)
		return DOC_DEGREE_NONE;
	if (i != 0 && !(i >= 3 && i <= 5 && tok_is(p, 0, "độ") &&
	    tok_is(p, 1, "khẩn")))
		return DOC_DEGREE_NONE;
	j = i + 2;
	for (end = j; end < p->n && !tok_is(p, end, "độ"); end++)
		;
	if (end - j < 1 || end - j > 3)
		return DOC_DEGREE_NONE;
	if (end < p->n && (!tok_is(p, end + 1, "khẩn") || p->n - end > 5))
		return DOC_DEGREE_NONE;
	return degree_of(p, j, end);
}

static bool
rule_wording(const struct parse *p)
{
	size_t i;

	if (p->n > 10)
		return false;
	for (i = 0; stamp_wording[i] != NULL; i++)
		if (words_are(p, 0, p->n, stamp_wording[i]))
			return true;
	return false;
}

static void
find(const struct parse *p, const struct doc_line *l, enum att att,
    struct finding *f)
{
	bool caps = (l->flags & DOC_F_CAPS) != 0;

	memset(f, 0, sizeof(*f));
	f->bare = degree_of(p, 0, p->n);
	f->stamp = rule_stamp(p, caps, att == A_TCVN3, &f->stamp_copy);
	f->field = rule_field(p);
	f->wording = rule_wording(p);
	f->copymark = (p->n == 1 && copy_letter(p, 0)) || copy_number(p, 0);
}

static bool
found(const struct finding *f)
{
	return f->stamp || f->field || f->wording || f->copymark;
}

/* --- candidates ----------------------------------------------------------- */

static bool
stamp_rule(enum pos pos, unsigned flags, enum rule *r)
{
	switch (pos) {
	case P_HEADER: *r = R_STAMP_HEADER; return true;
	case P_BOX: *r = R_STAMP_BOX; return true;
	case P_TOP: *r = R_STAMP_TOP; return true;
	case P_FOOTER: *r = R_STAMP_FOOTER; return true;
	case P_SUBJECT: *r = R_STAMP_SUBJECT; return true;
	case P_PAGE1:
		/* lower on page 1: only a stamp drawn as one */
		*r = R_STAMP_PAGE1;
		return (flags & (DOC_F_FRAMED | DOC_F_LARGE)) != 0 ||
		    (flags & (DOC_F_BOLD | DOC_F_CENTER)) ==
		    (DOC_F_BOLD | DOC_F_CENTER);
	case P_META:
	case P_NONE:
		break;
	}
	return false;
}

static bool
field_place(enum pos pos)
{
	return pos == P_HEADER || pos == P_BOX || pos == P_TOP ||
	    pos == P_META || pos == P_SUBJECT;
}

/* Text for people: clean, and in capitals where the reading says so. */
static void
show(char *dst, size_t cap, const char *s, size_t n, enum att att,
    bool upper)
{
	char *r;

	if (att == A_TCVN3 && !upper && (r = tcvn_recase(s, n)) != NULL) {
		clean_copy(dst, cap, r, strlen(r), false);
		free(r);
	} else
		clean_copy(dst, cap, s, n, upper);
}

/* Decodes a kept neighbour line the way its own encoding says. */
static void
neighbour(char *dst, size_t cap, const char *s, size_t n, enum doc_enc enc,
    enum att att)
{
	struct text t;
	enum att a = A_UNICODE;
	bool valid = valid_utf8(s, n);

	if (enc == DOC_ENC_TCVN3)
		a = A_TCVN3;
	else if (enc == DOC_ENC_VNI)
		a = A_VNI;
	else if (enc == DOC_ENC_UNKNOWN_8BIT || !valid ||
	    (att == A_VIQR && ascii_only(s, n)))
		a = att;
	if (decode(s, n, valid, a, &t)) {
		show(dst, cap, t.s, t.n, a, false);
		text_free(&t);
	} else if (decode(s, n, valid, A_UNICODE, &t)) {
		clean_copy(dst, cap, t.s, t.n, false);
		text_free(&t);
	} else
		clean_copy(dst, cap, s, utf8_cut(s, n, cap - 1), false);
}

/* Whether two lines of a zone are of one part; the cells of a sheet
 * ("Sheet1!A1", "Sheet1!B1") are of the sheet. */
static bool
same_part(const char *a, const char *b, enum doc_zone zone)
{
	const char *ea = NULL, *eb = NULL;
	size_t max = sizeof(((struct cand *)0)->part) - 1;

	if (zone == DOC_ZONE_CELL) {
		ea = strrchr(a, '!');
		eb = strrchr(b, '!');
	}
	if (ea == NULL || eb == NULL)
		return strncmp(a, b, max) == 0;
	return ea - a == eb - b && strncmp(a, b, (size_t)(ea - a)) == 0;
}

static bool
same_place(const struct prevline *pv, const struct doc_line *l)
{
	return pv->valid && pv->zone == l->zone &&
	    same_part(pv->part, l->part, l->zone);
}

static int
add_cand(struct doc_detector *d, const struct doc_line *l, enum rule r,
    enum doc_degree g, bool copy, enum att att, const struct text *t)
{
	struct cand *c;
	bool upper;
	int i;

	for (i = 0; i < d->ncand; i++)
		if (d->cand[i].degree == g && d->cand[i].rule == r &&
		    strncmp(d->cand[i].part, l->part,
		    sizeof(c->part) - 1) == 0)
			return -1;	/* the same stamp again */
	if (d->ncand == MAX_CAND)
		return -1;
	c = &d->cand[d->ncand];
	memset(c, 0, sizeof(*c));
	c->degree = g;
	c->rule = r;
	c->conf = rules[r].conf;
	if (r != R_FIELD && (l->flags & (DOC_F_FRAMED | DOC_F_LARGE)))
		c->conf += 3;
	c->copy = copy;
	c->zone = l->zone;
	c->page = l->page;
	c->index = l->index;
	c->att = att;
	snprintf(c->part, sizeof(c->part), "%s", l->part);
	c->part[utf8_cut(c->part, strlen(c->part), sizeof(c->part) - 1)] =
	    '\0';
	/* a stamp is shown in capitals whatever the codes say */
	upper = r != R_FIELD || (l->flags & DOC_F_CAPS);
	show(c->marking, sizeof(c->marking), t->s, t->n, att, upper);
	show(c->line, sizeof(c->line), t->s, t->n, att, upper);
	if (same_place(&d->prev, l))
		neighbour(c->prev, sizeof(c->prev), d->prev.text, d->prev.len,
		    d->prev.enc, att);
	d->pending = d->ncand;
	return d->ncand++;
}

/* A degree on the line before or after another degree: a list of the
 * degrees (a form sample, a rule's text), not a marking. */
static void
check_list(struct doc_detector *d, const struct doc_line *l,
    enum doc_degree bare, int cur)
{
	struct prevline *pv = &d->prev;

	if (bare == DOC_DEGREE_NONE || pv->bare == DOC_DEGREE_NONE ||
	    pv->bare == bare || !same_place(pv, l))
		return;
	if (pv->cand >= 0)
		d->cand[pv->cand].listed = true;
	if (cur >= 0)
		d->cand[cur].listed = true;
}

/* --- the sink ------------------------------------------------------------- */

static void
keep_prev(struct doc_detector *d, const struct doc_line *l,
    enum doc_degree bare, int cand)
{
	struct prevline *pv = &d->prev;
	size_t n = strlen(l->part);

	pv->valid = true;
	pv->zone = l->zone;
	pv->index = l->index;
	pv->enc = l->enc;
	pv->bare = bare;
	pv->cand = cand;
	if (n >= sizeof(pv->part))
		n = sizeof(pv->part) - 1;
	memcpy(pv->part, l->part, n);
	pv->part[n] = '\0';
	pv->len = utf8_cut(l->text, l->len, KEEP_LEN);
	memcpy(pv->text, l->text, pv->len);
	pv->text[pv->len] = '\0';
}

/* The line after a candidate, for its evidence. */
static void
fill_next(struct doc_detector *d, const struct doc_line *l)
{
	struct cand *c = &d->cand[d->pending];

	if (c->zone == l->zone && same_part(c->part, l->part, l->zone))
		neighbour(c->next, sizeof(c->next), l->text,
		    utf8_cut(l->text, l->len, KEEP_LEN), l->enc, c->att);
	c->has_next = true;
	d->pending = -1;
}

static void
analyse(struct doc_detector *d, const struct doc_line *l, enum pos pos)
{
	struct finding f, best;
	struct parse p;
	struct text t, bt = {NULL, NULL, 0};
	enum att a[6], ba = A_UNICODE;
	enum rule r;
	bool valid, trig, have = false;
	int i, k, cand = -1;

	memset(&best, 0, sizeof(best));
	trig = might_mark(l->text, l->len);
	if (l->len > MAX_MARK_LEN || (!trig && !might_word(l))) {
		keep_prev(d, l, DOC_DEGREE_NONE, -1);
		return;
	}
	valid = valid_utf8(l->text, l->len);
	k = attempts(l, valid, trig, a);
	for (i = 0; i < k; i++) {
		if (!decode(l->text, l->len, valid, a[i], &t))
			continue;
		if (!tokenize(t.s, t.n, &p)) {
			text_free(&t);
			continue;
		}
		find(&p, l, a[i], &f);
		if (!have || found(&f)) {
			text_free(&bt);
			best = f;
			bt = t;
			ba = a[i];
			have = true;
			if (found(&f))
				break;
		} else
			text_free(&t);
	}
	if (!have) {
		keep_prev(d, l, DOC_DEGREE_NONE, -1);
		return;
	}
	if (best.stamp != DOC_DEGREE_NONE && stamp_rule(pos, l->flags, &r)) {
		cand = add_cand(d, l, r, best.stamp, best.stamp_copy, ba,
		    &bt);
	} else if (best.field != DOC_DEGREE_NONE && field_place(pos))
		cand = add_cand(d, l, R_FIELD, best.field, false, ba, &bt);
	if (pos != P_META && pos != P_SUBJECT) {
		d->wording |= best.wording;
		d->copymark |= best.copymark;
	}
	check_list(d, l, best.bare, cand);
	keep_prev(d, l, best.bare, cand);
	text_free(&bt);
}

static bool
is_stamp(enum rule r)
{
	return r != R_FIELD;
}

/* The confidence of a candidate, all the document's signs considered. */
static unsigned
confidence(const struct doc_detector *d, const struct cand *c)
{
	unsigned conf = c->conf;
	int i;

	if (is_stamp(c->rule)) {
		if (c->copy || d->copymark)
			conf += 7;
		if (d->wording)
			conf += 7;
		for (i = 0; i < d->ncand; i++)
			if (d->cand[i].rule == R_FIELD &&
			    d->cand[i].degree == c->degree &&
			    !d->cand[i].listed) {
				conf += 3;
				break;
			}
	} else if (d->wording || d->copymark)
		conf += 5;
	return conf > 99 ? 99 : conf;
}

/* The best candidate (highest degree, then confidence), or NULL. */
static const struct cand *
best_cand(const struct doc_detector *d, bool settled, unsigned *conf)
{
	const struct cand *b = NULL;
	unsigned bc = 0, cc;
	int i;

	for (i = 0; i < d->ncand; i++) {
		const struct cand *c = &d->cand[i];

		if (c->listed || (settled && !c->has_next))
			continue;
		cc = confidence(d, c);
		if (cc < MIN_REPORT)
			continue;
		if (b == NULL || c->degree > b->degree ||
		    (c->degree == b->degree && cc > bc)) {
			b = c;
			bc = cc;
		}
	}
	*conf = bc;
	return b;
}

static enum doc_next
answer(const struct doc_detector *d, const struct doc_line *l)
{
	const struct cand *b;
	unsigned conf;

	if (d->ncand > 0 && (b = best_cand(d, true, &conf)) != NULL &&
	    b->degree == DOC_DEGREE_TUYET_MAT && conf >= 90)
		return DOC_NEXT_STOP;
	if (l->zone == DOC_ZONE_NOTE)
		return DOC_NEXT_SKIP;
	if (zone_flows(l->zone) && (l->page > 1 || l->index >= PAGE1_LINES))
		return DOC_NEXT_SKIP;
	if (l->zone == DOC_ZONE_CELL && (l->page > 1 ||
	    l->index >= TOP_CELLS))
		return DOC_NEXT_SKIP;
	return DOC_NEXT_MORE;
}

static enum doc_next
detector_line(struct doc_sink *sink, const struct doc_line *l)
{
	struct doc_detector *d = (struct doc_detector *)sink;
	struct doc_line t;
	enum pos pos;

	if (l == NULL || (l->text == NULL && l->len > 0))
		return DOC_NEXT_MORE;
	t = *l;
	if (t.part == NULL)
		t.part = "";
	if (t.text == NULL)
		t.text = "";
	if (d->pending >= 0)
		fill_next(d, &t);
	pos = position(&t);
	if (pos == P_NONE)
		d->prev.valid = false;
	else
		analyse(d, &t, pos);
	return answer(d, &t);
}

/* --- the public face ------------------------------------------------------ */

struct doc_detector *
doc_detector_new(void)
{
	struct doc_detector *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	d->sink.line = detector_line;
	doc_detector_reset(d);
	return d;
}

void
doc_detector_free(struct doc_detector *d)
{
	free(d);
}

void
doc_detector_reset(struct doc_detector *d)
{
	d->ncand = 0;
	d->pending = -1;
	d->wording = false;
	d->copymark = false;
	memset(&d->prev, 0, sizeof(d->prev));
	d->prev.cand = -1;
}

struct doc_sink *
doc_detector_sink(struct doc_detector *d)
{
	return &d->sink;
}

/* Appends s[0..n) to dst (cap bytes) at *o, on a character boundary. */
static void
put(char *dst, size_t cap, size_t *o, const char *s, size_t n)
{
	n = utf8_cut(s, n, cap - 1 - *o);
	memcpy(dst + *o, s, n);
	*o += n;
	dst[*o] = '\0';
}

/* "…prev ⟨line⟩ next…", each part cut to fit. */
static void
evidence(char *dst, size_t cap, const struct cand *c)
{
	const char *p = c->prev;
	size_t n = strlen(p), o = 0;

	dst[0] = '\0';
	if (n > 80) {
		p += n - 80;
		while (((unsigned char)*p & 0xC0) == 0x80)
			p++;
		put(dst, cap, &o, "…", strlen("…"));
	}
	if (*p != '\0') {
		put(dst, cap, &o, p, strlen(p));
		put(dst, cap, &o, " ", 1);
	}
	put(dst, cap, &o, "⟨", strlen("⟨"));
	put(dst, cap, &o, c->line, utf8_cut(c->line, strlen(c->line), 120));
	put(dst, cap, &o, "⟩", strlen("⟩"));
	n = strlen(c->next);
	if (n > 0) {
		put(dst, cap, &o, " ", 1);
		put(dst, cap, &o, c->next, utf8_cut(c->next, n, 80));
		if (n > 80)
			put(dst, cap, &o, "…", strlen("…"));
	}
}

void
doc_detector_verdict(struct doc_detector *d, struct doc_verdict *v)
{
	const struct cand *c;
	unsigned conf;

	memset(v, 0, sizeof(*v));
	if (d->pending >= 0) {
		d->cand[d->pending].has_next = true;
		d->pending = -1;
	}
	if ((c = best_cand(d, false, &conf)) == NULL)
		return;
	v->degree = c->degree;
	v->confidence = conf;
	snprintf(v->rule, sizeof(v->rule), "%s", rules[c->rule].name);
	snprintf(v->marking, sizeof(v->marking), "%s", c->marking);
	evidence(v->evidence, sizeof(v->evidence), c);
	snprintf(v->part, sizeof(v->part), "%s", c->part);
	v->page = c->page;
	snprintf(v->encoding, sizeof(v->encoding), "%s", att_name[c->att]);
}

const char *
doc_degree_name(enum doc_degree g, bool en)
{
	switch (g) {
	case DOC_DEGREE_MAT: return en ? "Confidential" : "MẬT";
	case DOC_DEGREE_TOI_MAT: return en ? "Secret" : "TỐI MẬT";
	case DOC_DEGREE_TUYET_MAT: return en ? "Top Secret" : "TUYỆT MẬT";
	case DOC_DEGREE_NONE: break;
	}
	return en ? "not classified" : "không mật";
}

const char *
doc_degree_code(enum doc_degree g)
{
	switch (g) {
	case DOC_DEGREE_MAT: return "mat";
	case DOC_DEGREE_TOI_MAT: return "toi-mat";
	case DOC_DEGREE_TUYET_MAT: return "tuyet-mat";
	case DOC_DEGREE_NONE: break;
	}
	return "none";
}
