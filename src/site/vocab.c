/*
 * vocab.c — the portal monitor's vocabulary (site.h): gambling and betting
 * terms, defacement phrases and miner names, loaded from
 * policy/site/vocab.yml (libyaml events; errors name file:line:column),
 * and their search in untrusted text in one pass. The text is folded byte
 * by byte (lower case, no diacritics, đ -> d, invisible characters dropped,
 * any run of spaces and punctuation one space) while an offset map keeps
 * where each byte came from; at each word start the word's hash is looked
 * up in a table of the terms' first words. docs/sites.md has the format.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "agent/embedded.h"
#include "lib/file.h"
#include "lib/text.h"
#include "site/site.h"
#include "site/detect_int.h"


#define VOCAB_MAX_TERMS 4096	/* entries of a file */
#define VOCAB_MAX_PATS 16384	/* terms and their forms */
#define VOCAB_MAX_FORMS 64	/* forms of one entry */
#define VOCAB_MAX_LEN 200	/* bytes of a term or form */
#define VOCAB_MAX_TEXT (16u << 20)	/* bytes of text searched */
#define VOCAB_CONTEXT 40	/* characters of context each side */
#define VOCAB_NKINDS 3

/* Classes of a code point in the folding tables. */
#define F_KEEP 0x00		/* a letter kept as it is (ß, Cyrillic, …) */
#define F_SEP 0xfe		/* a separator */
#define F_SKIP 0xff		/* dropped: combining marks, zero width */

struct vocab_term {
	char *term;
	enum site_vocab_kind kind;
	int strength;		/* 1 weak, 2 strong */
};

struct vocab_pat {
	char *fold;		/* folded, separators single spaces */
	size_t len;
	uint64_t h;		/* hash of the first word */
	uint32_t term;
	bool prefix;		/* "nohu*": any word starting so */
	size_t line, col;	/* where it was listed (1-based) */
};

struct vocab_slot {
	uint64_t h;
	uint32_t start, count;	/* count 0: empty slot */
};

struct vocab_table {
	struct vocab_pat *pats;
	size_t n, cap;
	struct vocab_slot *slots;
	size_t nslots;		/* a power of two, or 0 */
	uint32_t *prefix;	/* indexes of the prefix patterns */
	size_t nprefix;
	unsigned char pfirst[256];	/* first bytes of prefix patterns */
};

struct site_vocab {
	struct vocab_term *terms;
	size_t nterms, cap;
	size_t npats;
	struct vocab_table tab[VOCAB_NKINDS];
	unsigned char lat[0x250 - 0x80];	/* U+0080..U+024F */
	unsigned char ext[0x100];		/* U+1E00..U+1EFF */
};

/* ASCII: letters lower-cased, digits kept, the rest separators (0). */
static unsigned char vocab_ascii[128];
static pthread_once_t vocab_ascii_once = PTHREAD_ONCE_INIT;

static void
vocab_ascii_init(void)
{
	int c;

	for (c = '0'; c <= '9'; c++)
		vocab_ascii[c] = (unsigned char)c;
	for (c = 'a'; c <= 'z'; c++) {
		vocab_ascii[c] = (unsigned char)c;
		vocab_ascii[c - 'a' + 'A'] = (unsigned char)c;
	}
}

static uint64_t
vocab_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Decodes one UTF-8 code point of s[0..len); its length in *n, or -1 (and
 * *n = 1) when the bytes are not valid UTF-8. */
static int32_t
vocab_decode(const unsigned char *s, size_t len, size_t *n)
{
	uint32_t cp, min;
	size_t k, i;

	*n = 1;
	if (s[0] < 0x80)
		return s[0];
	if ((s[0] & 0xe0) == 0xc0) {
		k = 2;
		cp = s[0] & 0x1f;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		k = 3;
		cp = s[0] & 0x0f;
		min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		k = 4;
		cp = s[0] & 0x07;
		min = 0x10000;
	} else
		return -1;
	if (k > len)
		return -1;
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*n = k;
	return (int32_t)cp;
}

static void
vocab_encode(uint32_t cp, char *buf)
{
	if (cp < 0x800) {
		buf[0] = (char)(0xc0 | (cp >> 6));
		buf[1] = (char)(0x80 | (cp & 0x3f));
		buf[2] = '\0';
	} else {
		buf[0] = (char)(0xe0 | (cp >> 12));
		buf[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		buf[2] = (char)(0x80 | (cp & 0x3f));
		buf[3] = '\0';
	}
}

/* The class of a Latin code point from text_fold: an ASCII letter or
 * digit when it folds to one, F_SKIP when to nothing, else F_KEEP. */
static unsigned char
vocab_fold_cp(uint32_t cp)
{
	char buf[4], *f;
	unsigned char r = F_KEEP;
	size_t len;

	vocab_encode(cp, buf);
	if ((f = text_fold(buf, strlen(buf))) == NULL)
		return F_SEP;
	len = strlen(f);
	if (len == 0)
		r = F_SKIP;
	else if (len == 1 && (unsigned char)f[0] < 0x80)
		r = vocab_ascii[(unsigned char)f[0]] ? vocab_ascii[(unsigned
		    char)f[0]] : F_SEP;
	free(f);
	return r;
}

static void
vocab_tables_init(struct site_vocab *v)
{
	uint32_t cp;

	pthread_once(&vocab_ascii_once, vocab_ascii_init);
	for (cp = 0x80; cp < 0x250; cp++) {
		unsigned char c;

		if (cp < 0xc0)		/* C1 controls, NBSP, Latin-1 signs */
			c = cp == 0xad ? F_SKIP : F_SEP;
		else if (cp == 0xd7 || cp == 0xf7)
			c = F_SEP;
		else
			c = vocab_fold_cp(cp);
		v->lat[cp - 0x80] = c;
	}
	for (cp = 0x1e00; cp < 0x1f00; cp++)
		v->ext[cp - 0x1e00] = vocab_fold_cp(cp);
}

/* The class of a non-ASCII code point (or -1 for invalid bytes). */
static unsigned char
vocab_class(const struct site_vocab *v, int32_t cp)
{
	if (cp < 0)
		return F_SEP;
	if (cp < 0x250)
		return v->lat[cp - 0x80];
	if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x1ab0 && cp <= 0x1aff) ||
	    (cp >= 0x1dc0 && cp <= 0x1dff) || (cp >= 0x20d0 && cp <= 0x20ff) ||
	    (cp >= 0xfe00 && cp <= 0xfe0f))
		return F_SKIP;
	if (cp >= 0x1e00 && cp <= 0x1eff)
		return v->ext[cp - 0x1e00];
	if ((cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2060 && cp <= 0x2064) ||
	    cp == 0xfeff || cp == 0x34f)
		return F_SKIP;
	if ((cp >= 0x2000 && cp <= 0x206f) || (cp >= 0x3000 && cp <= 0x303f) ||
	    (cp >= 0x2190 && cp <= 0x2bff) || (cp >= 0x1f000 && cp <= 0x1faff) ||
	    cp == 0x1680 || cp == 0x2e3a)
		return F_SEP;	/* spaces, punctuation, arrows, emoji */
	if (cp >= 0xff01 && cp <= 0xff5e) {	/* full-width ASCII */
		unsigned char a = vocab_ascii[cp - 0xfee0];

		return a ? a : F_SEP;
	}
	return F_KEEP;
}

/* Folds s[0..len) into out (len + 1 bytes); off[i] (when not NULL) is the
 * offset in s of the character out[i] came from. Returns the length. */
static size_t
vocab_fold(const struct site_vocab *v, const unsigned char *s, size_t len,
    char *out, uint32_t *off)
{
	size_t i = 0, o = 0, n, k;
	bool sep = true;	/* no leading space */

	while (i < len) {
		unsigned char c = s[i], m;

		if (c < 0x80) {
			m = vocab_ascii[c];
			if (m != 0) {
				if (off != NULL)
					off[o] = (uint32_t)i;
				out[o++] = (char)m;
				sep = false;
			} else if (!sep) {
				if (off != NULL)
					off[o] = (uint32_t)i;
				out[o++] = ' ';
				sep = true;
			}
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xc8 && i + 1 < len &&
		    (s[i + 1] & 0xc0) == 0x80) {	/* U+0080..U+023F */
			n = 2;
			m = v->lat[(((uint32_t)c & 0x1f) << 6 |
			    (s[i + 1] & 0x3f)) - 0x80];
		} else if (c == 0xe1 && i + 2 < len && s[i + 1] >= 0xb8 &&
		    s[i + 1] <= 0xbb && (s[i + 2] & 0xc0) == 0x80) {
			n = 3;		/* U+1E00..U+1EFF: Vietnamese */
			m = v->ext[((uint32_t)(s[i + 1] - 0xb8) << 6) |
			    (s[i + 2] & 0x3f)];
		} else
			m = vocab_class(v, vocab_decode(s + i, len - i, &n));
		if (m == F_SKIP) {
		} else if (m == F_SEP) {
			if (!sep) {
				if (off != NULL)
					off[o] = (uint32_t)i;
				out[o++] = ' ';
				sep = true;
			}
		} else if (m == F_KEEP) {
			for (k = 0; k < n; k++) {
				if (off != NULL)
					off[o] = (uint32_t)i;
				out[o++] = (char)s[i + k];
			}
			sep = false;
		} else {
			if (off != NULL)
				off[o] = (uint32_t)i;
			out[o++] = (char)m;
			sep = false;
		}
		i += n;
	}
	out[o] = '\0';
	return o;
}

/* --- loading ------------------------------------------------------------- */

static void
vocab_table_free(struct vocab_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->pats[i].fold);
	free(t->pats);
	free(t->slots);
	free(t->prefix);
}

void
site_vocab_free(struct site_vocab *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->nterms; i++)
		free(v->terms[i].term);
	free(v->terms);
	for (i = 0; i < VOCAB_NKINDS; i++)
		vocab_table_free(&v->tab[i]);
	free(v);
}

struct vocab_load {
	yaml_parser_t p;
	const char *file;
	char *err;
	size_t errlen;
	struct site_vocab *v;
};

static int
vocab_fail(struct vocab_load *L, size_t line, size_t col, const char *vi,
    const char *en)
{
	if (L->err != NULL && L->errlen > 0)
		snprintf(L->err, L->errlen, "%s:%zu:%zu: %s — %s", L->file,
		    line, col, vi, en);
	return -1;
}

static int
vocab_failm(struct vocab_load *L, const yaml_mark_t *m, const char *vi,
    const char *en)
{
	return vocab_fail(L, m->line + 1, m->column + 1, vi, en);
}

/* The next event; aliases and anchors are refused (no expansion). */
static int
vocab_next(struct vocab_load *L, yaml_event_t *ev)
{
	char vi[300], en[300];

	if (!yaml_parser_parse(&L->p, ev)) {
		snprintf(vi, sizeof(vi), "YAML không hợp lệ: %s",
		    L->p.problem ? L->p.problem : "?");
		snprintf(en, sizeof(en), "invalid YAML: %s",
		    L->p.problem ? L->p.problem : "?");
		return vocab_failm(L, &L->p.problem_mark, vi, en);
	}
	if (ev->type == YAML_ALIAS_EVENT || (ev->type == YAML_SCALAR_EVENT &&
	    ev->data.scalar.anchor != NULL) || (ev->type ==
	    YAML_SEQUENCE_START_EVENT && ev->data.sequence_start.anchor !=
	    NULL) || (ev->type == YAML_MAPPING_START_EVENT &&
	    ev->data.mapping_start.anchor != NULL)) {
		vocab_failm(L, &ev->start_mark, "không cho phép bí danh YAML",
		    "YAML anchors and aliases are not allowed");
		yaml_event_delete(ev);
		return -1;
	}
	return 0;
}

static const char *
vocab_scalar(const yaml_event_t *ev)
{
	return (const char *)ev->data.scalar.value;
}

/* Adds one pattern (a term or a form) of term index ti. */
static int
vocab_add_pat(struct vocab_load *L, uint32_t ti, const char *raw,
    size_t rawlen, const yaml_mark_t *m)
{
	struct site_vocab *v = L->v;
	struct vocab_table *t = &v->tab[v->terms[ti].kind];
	struct vocab_pat *p;
	bool prefix = false;
	char *fold;
	size_t len;

	if (rawlen == 0 || rawlen > VOCAB_MAX_LEN || !text_valid_utf8(raw,
	    rawlen))
		return vocab_failm(L, m, "thuật ngữ rỗng, quá dài hoặc không "
		    "phải UTF-8", "term empty, too long or not UTF-8");
	if (raw[rawlen - 1] == '*') {
		prefix = true;
		rawlen--;
	}
	fold = malloc(rawlen + 1);
	if (fold == NULL)
		return vocab_failm(L, m, "hết bộ nhớ", "out of memory");
	len = vocab_fold(v, (const unsigned char *)raw, rawlen, fold, NULL);
	while (len > 0 && fold[len - 1] == ' ')
		fold[--len] = '\0';
	if (len == 0 || (prefix && memchr(fold, ' ', len) != NULL) ||
	    memchr(raw, '*', rawlen) != NULL) {
		free(fold);
		return vocab_failm(L, m, "thuật ngữ không có chữ hoặc số, hoặc "
		    "“*” không ở cuối một từ", "term without letters or digits, "
		    "or “*” not at the end of one word");
	}
	if (v->npats >= VOCAB_MAX_PATS) {
		free(fold);
		return vocab_failm(L, m, "quá nhiều thuật ngữ",
		    "too many terms");
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct vocab_pat *np = realloc(t->pats, cap * sizeof(*np));

		if (np == NULL) {
			free(fold);
			return vocab_failm(L, m, "hết bộ nhớ", "out of memory");
		}
		t->pats = np;
		t->cap = cap;
	}
	p = &t->pats[t->n++];
	p->fold = fold;
	p->len = len;
	p->prefix = prefix;
	p->term = ti;
	p->line = m->line + 1;
	p->col = m->column + 1;
	{
		const char *sp = memchr(fold, ' ', len);

		p->h = vocab_hash(fold, sp ? (size_t)(sp - fold) : len);
	}
	v->npats++;
	return 0;
}

static int
vocab_add_term(struct vocab_load *L, enum site_vocab_kind k,
    const char *term, int strength, const yaml_mark_t *m, uint32_t *ti)
{
	struct site_vocab *v = L->v;

	if (v->nterms >= VOCAB_MAX_TERMS)
		return vocab_failm(L, m, "quá nhiều thuật ngữ",
		    "too many terms");
	if (v->nterms == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 128;
		struct vocab_term *nt = realloc(v->terms, cap * sizeof(*nt));

		if (nt == NULL)
			return vocab_failm(L, m, "hết bộ nhớ", "out of memory");
		v->terms = nt;
		v->cap = cap;
	}
	*ti = (uint32_t)v->nterms;
	v->terms[v->nterms].term = text_nfc(term, strlen(term));
	if (v->terms[v->nterms].term == NULL)
		return vocab_failm(L, m, "thuật ngữ không phải UTF-8",
		    "term not UTF-8");
	v->terms[v->nterms].kind = k;
	v->terms[v->nterms].strength = strength;
	v->nterms++;
	return vocab_add_pat(L, *ti, term, strlen(term), m);
}

/* One entry written as a mapping: term, strength, forms. */
static int
vocab_entry(struct vocab_load *L, enum site_vocab_kind k,
    const yaml_mark_t *start)
{
	yaml_event_t ev, key;
	char *term = NULL, *forms[VOCAB_MAX_FORMS];
	yaml_mark_t tmark = *start, fmarks[VOCAB_MAX_FORMS];
	size_t nforms = 0, i;
	int strength = 2, rc = -1;
	bool seen_strength = false, seen_forms = false;
	uint32_t ti;

	for (;;) {
		const char *name;

		if (vocab_next(L, &key) < 0)
			goto out;
		if (key.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&key);
			break;
		}
		if (key.type != YAML_SCALAR_EVENT) {
			vocab_failm(L, &key.start_mark, "cần một khoá",
			    "expected a key");
			yaml_event_delete(&key);
			goto out;
		}
		name = vocab_scalar(&key);
		if (strcmp(name, "term") == 0 && term == NULL) {
			if (vocab_next(L, &ev) < 0) {
				yaml_event_delete(&key);
				goto out;
			}
			if (ev.type != YAML_SCALAR_EVENT) {
				vocab_failm(L, &ev.start_mark, "“term” phải là "
				    "một chuỗi", "“term” must be a string");
				yaml_event_delete(&ev);
				yaml_event_delete(&key);
				goto out;
			}
			term = text_dup(vocab_scalar(&ev));
			tmark = ev.start_mark;
			yaml_event_delete(&ev);
		} else if (strcmp(name, "strength") == 0 && !seen_strength) {
			seen_strength = true;
			if (vocab_next(L, &ev) < 0) {
				yaml_event_delete(&key);
				goto out;
			}
			if (ev.type == YAML_SCALAR_EVENT &&
			    strcmp(vocab_scalar(&ev), "weak") == 0)
				strength = 1;
			else if (ev.type != YAML_SCALAR_EVENT ||
			    strcmp(vocab_scalar(&ev), "strong") != 0) {
				vocab_failm(L, &ev.start_mark, "“strength” phải "
				    "là strong hoặc weak", "“strength” must be "
				    "strong or weak");
				yaml_event_delete(&ev);
				yaml_event_delete(&key);
				goto out;
			}
			yaml_event_delete(&ev);
		} else if (strcmp(name, "forms") == 0 && !seen_forms) {
			seen_forms = true;
			if (vocab_next(L, &ev) < 0) {
				yaml_event_delete(&key);
				goto out;
			}
			if (ev.type != YAML_SEQUENCE_START_EVENT) {
				vocab_failm(L, &ev.start_mark, "“forms” phải là "
				    "một danh sách", "“forms” must be a list");
				yaml_event_delete(&ev);
				yaml_event_delete(&key);
				goto out;
			}
			yaml_event_delete(&ev);
			for (;;) {
				if (vocab_next(L, &ev) < 0) {
					yaml_event_delete(&key);
					goto out;
				}
				if (ev.type == YAML_SEQUENCE_END_EVENT) {
					yaml_event_delete(&ev);
					break;
				}
				if (ev.type != YAML_SCALAR_EVENT ||
				    nforms == VOCAB_MAX_FORMS) {
					vocab_failm(L, &ev.start_mark, "một dạng "
					    "phải là chuỗi (tối đa 64 dạng)",
					    "a form must be a string (at most "
					    "64 forms)");
					yaml_event_delete(&ev);
					yaml_event_delete(&key);
					goto out;
				}
				forms[nforms] = text_dup(vocab_scalar(&ev));
				fmarks[nforms++] = ev.start_mark;
				yaml_event_delete(&ev);
			}
		} else {
			vocab_failm(L, &key.start_mark, "khoá không biết hoặc "
			    "lặp lại (cần term, strength, forms)", "unknown or "
			    "repeated key (expected term, strength, forms)");
			yaml_event_delete(&key);
			goto out;
		}
		yaml_event_delete(&key);
	}
	if (term == NULL) {
		vocab_failm(L, start, "mục thiếu “term”",
		    "entry without “term”");
		goto out;
	}
	if (vocab_add_term(L, k, term, strength, &tmark, &ti) < 0)
		goto out;
	for (i = 0; i < nforms; i++)
		if (vocab_add_pat(L, ti, forms[i], strlen(forms[i]),
		    &fmarks[i]) < 0)
			goto out;
	rc = 0;
out:
	for (i = 0; i < nforms; i++)
		free(forms[i]);
	free(term);
	return rc;
}

/* A list of entries of kind k. */
static int
vocab_list(struct vocab_load *L, enum site_vocab_kind k)
{
	yaml_event_t ev;
	uint32_t ti;
	int rc;

	if (vocab_next(L, &ev) < 0)
		return -1;
	if (ev.type == YAML_SCALAR_EVENT && (vocab_scalar(&ev)[0] == '\0' ||
	    strcmp(vocab_scalar(&ev), "~") == 0 ||
	    strcmp(vocab_scalar(&ev), "null") == 0)) {
		yaml_event_delete(&ev);
		return 0;	/* an empty list */
	}
	if (ev.type != YAML_SEQUENCE_START_EVENT) {
		vocab_failm(L, &ev.start_mark, "cần một danh sách thuật ngữ",
		    "expected a list of terms");
		yaml_event_delete(&ev);
		return -1;
	}
	yaml_event_delete(&ev);
	for (;;) {
		if (vocab_next(L, &ev) < 0)
			return -1;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		if (ev.type == YAML_SCALAR_EVENT)
			rc = vocab_add_term(L, k, vocab_scalar(&ev), 2,
			    &ev.start_mark, &ti);
		else if (ev.type == YAML_MAPPING_START_EVENT)
			rc = vocab_entry(L, k, &ev.start_mark);
		else
			rc = vocab_failm(L, &ev.start_mark, "cần một thuật ngữ "
			    "(chuỗi hoặc ánh xạ)", "expected a term (a string "
			    "or a mapping)");
		yaml_event_delete(&ev);
		if (rc < 0)
			return -1;
	}
}

static int
vocab_pat_cmp(const void *a, const void *b)
{
	const struct vocab_pat *x = a, *y = b;
	int c;

	if (x->prefix != y->prefix)
		return x->prefix ? 1 : -1;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	if ((c = strcmp(x->fold, y->fold)) != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

/* Sorts a kind's patterns, refuses duplicates (the same folded form under
 * two terms), builds the first-word table and the prefix list. */
static int
vocab_build(struct vocab_load *L, struct vocab_table *t)
{
	size_t i, j, distinct = 0;

	if (t->n == 0)
		return 0;
	qsort(t->pats, t->n, sizeof(*t->pats), vocab_pat_cmp);
	for (i = 0, j = 0; i < t->n; i++) {
		if (j > 0 && t->pats[j - 1].prefix == t->pats[i].prefix &&
		    strcmp(t->pats[j - 1].fold, t->pats[i].fold) == 0) {
			if (t->pats[j - 1].term != t->pats[i].term) {
				char vi[400], en[400];

				snprintf(vi, sizeof(vi), "“%s” đã có ở dòng %zu",
				    t->pats[i].fold, t->pats[j - 1].line);
				snprintf(en, sizeof(en), "“%s” already listed "
				    "on line %zu", t->pats[i].fold,
				    t->pats[j - 1].line);
				vocab_fail(L, t->pats[i].line, t->pats[i].col,
				    vi, en);
				for (; i < t->n; i++)	/* not yet moved */
					free(t->pats[i].fold);
				t->n = j;
				return -1;
			}
			free(t->pats[i].fold);	/* a form equal to its term */
			continue;
		}
		t->pats[j++] = t->pats[i];
	}
	t->n = j;
	for (i = 0; i < t->n; i++)
		if (!t->pats[i].prefix && (i == 0 || t->pats[i].h !=
		    t->pats[i - 1].h))
			distinct++;
	for (t->nslots = 16; t->nslots < distinct * 2 + 1; t->nslots *= 2)
		;
	t->slots = calloc(t->nslots, sizeof(*t->slots));
	t->prefix = calloc(t->n, sizeof(*t->prefix));
	if (t->slots == NULL || t->prefix == NULL)
		return vocab_fail(L, 0, 0, "hết bộ nhớ", "out of memory");
	for (i = 0; i < t->n; i++) {
		struct vocab_pat *p = &t->pats[i];
		size_t s;

		if (p->prefix) {
			t->prefix[t->nprefix++] = (uint32_t)i;
			t->pfirst[(unsigned char)p->fold[0]] = 1;
			continue;
		}
		if (i > 0 && !t->pats[i - 1].prefix && t->pats[i - 1].h == p->h)
			continue;	/* counted with the first of its hash */
		s = (size_t)p->h & (t->nslots - 1);
		while (t->slots[s].count != 0)
			s = (s + 1) & (t->nslots - 1);
		t->slots[s].h = p->h;
		t->slots[s].start = (uint32_t)i;
		for (j = i; j < t->n && !t->pats[j].prefix &&
		    t->pats[j].h == p->h; j++)
			t->slots[s].count++;
	}
	return 0;
}

static int
vocab_parse(struct vocab_load *L)
{
	yaml_event_t ev;
	bool seen[4] = { false, false, false, false };
	int rc = -1;
	size_t i;

	if (vocab_next(L, &ev) < 0)
		return -1;
	yaml_event_delete(&ev);	/* stream start */
	if (vocab_next(L, &ev) < 0)
		return -1;
	if (ev.type != YAML_DOCUMENT_START_EVENT) {
		vocab_failm(L, &ev.start_mark, "tệp rỗng", "empty file");
		yaml_event_delete(&ev);
		return -1;
	}
	yaml_event_delete(&ev);
	if (vocab_next(L, &ev) < 0)
		return -1;
	if (ev.type != YAML_MAPPING_START_EVENT) {
		vocab_failm(L, &ev.start_mark, "cần một ánh xạ (version, "
		    "gambling, brands, deface, miner)", "expected a mapping "
		    "(version, gambling, brands, deface, miner)");
		yaml_event_delete(&ev);
		return -1;
	}
	yaml_event_delete(&ev);
	for (;;) {
		static const char *const keys[] = { "gambling", "brands",
		    "deface", "miner" };
		static const enum site_vocab_kind kinds[] = {
		    SITE_VOCAB_GAMBLING, SITE_VOCAB_GAMBLING,
		    SITE_VOCAB_DEFACE, SITE_VOCAB_MINER };
		const char *name;

		if (vocab_next(L, &ev) < 0)
			return -1;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			vocab_failm(L, &ev.start_mark, "cần một khoá",
			    "expected a key");
			yaml_event_delete(&ev);
			return -1;
		}
		name = vocab_scalar(&ev);
		if (strcmp(name, "version") == 0) {
			yaml_event_t val;

			if (vocab_next(L, &val) < 0) {
				yaml_event_delete(&ev);
				return -1;
			}
			if (val.type != YAML_SCALAR_EVENT ||
			    strcmp(vocab_scalar(&val), "1") != 0) {
				vocab_failm(L, &val.start_mark, "phiên bản "
				    "không hỗ trợ (cần 1)", "unsupported "
				    "version (expected 1)");
				yaml_event_delete(&val);
				yaml_event_delete(&ev);
				return -1;
			}
			yaml_event_delete(&val);
			yaml_event_delete(&ev);
			continue;
		}
		for (i = 0; i < 4; i++)
			if (strcmp(name, keys[i]) == 0)
				break;
		if (i == 4 || seen[i]) {
			vocab_failm(L, &ev.start_mark, "khoá không biết hoặc lặp "
			    "lại", "unknown or repeated key");
			yaml_event_delete(&ev);
			return -1;
		}
		seen[i] = true;
		yaml_event_delete(&ev);
		if (vocab_list(L, kinds[i]) < 0)
			return -1;
	}
	if (vocab_next(L, &ev) < 0)
		return -1;
	yaml_event_delete(&ev);	/* document end */
	if (vocab_next(L, &ev) < 0)
		return -1;
	if (ev.type != YAML_STREAM_END_EVENT)
		vocab_failm(L, &ev.start_mark, "chỉ cho phép một tài liệu YAML",
		    "only one YAML document is allowed");
	else
		rc = 0;
	yaml_event_delete(&ev);
	return rc;
}

static int
vocab_load_text(const char *file, const char *text, size_t len,
    struct site_vocab **out, char *err, size_t errlen)
{
	struct vocab_load L;
	int rc;
	size_t i;

	memset(&L, 0, sizeof(L));
	L.file = file;
	L.err = err;
	L.errlen = errlen;
	if ((L.v = calloc(1, sizeof(*L.v))) == NULL)
		return vocab_fail(&L, 0, 0, "hết bộ nhớ", "out of memory");
	vocab_tables_init(L.v);
	if (!yaml_parser_initialize(&L.p)) {
		free(L.v);
		return vocab_fail(&L, 0, 0, "hết bộ nhớ", "out of memory");
	}
	yaml_parser_set_input_string(&L.p, (const unsigned char *)text, len);
	rc = vocab_parse(&L);
	yaml_parser_delete(&L.p);
	for (i = 0; rc == 0 && i < VOCAB_NKINDS; i++)
		rc = vocab_build(&L, &L.v->tab[i]);
	if (rc < 0) {
		site_vocab_free(L.v);
		return -1;
	}
	*out = L.v;
	return 0;
}

int
site_vocab_load(const char *path, struct site_vocab **out, char *err,
    size_t errlen)
{
	char *buf = NULL;
	size_t len, i;
	int rc;

	*out = NULL;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (path == NULL) {
		for (i = 0; embedded_site[i].name != NULL; i++)
			if (strcmp(embedded_site[i].name, "vocab.yml") == 0)
				return vocab_load_text("vocab.yml (embedded)",
				    embedded_site[i].data, embedded_site[i].len,
				    out, err, errlen);
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "vocab.yml: không có bản nhúng — "
			    "no embedded copy");
		return -1;
	}
	rc = file_read_path(path, FILE_MAX_SMALL, &buf, &len);
	if (rc < 0) {
		const char *vi = text_strerror_vi(-rc);

		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: %s — %s", path,
			    vi ? vi : strerror(-rc), strerror(-rc));
		return -1;
	}
	rc = vocab_load_text(path, buf, len, out, err, errlen);
	free(buf);
	return rc;
}

static struct site_vocab *vocab_default;
static char vocab_default_err[512];
static pthread_once_t vocab_default_once = PTHREAD_ONCE_INIT;

static void
vocab_default_load(void)
{
	if (site_vocab_load(NULL, &vocab_default, vocab_default_err,
	    sizeof(vocab_default_err)) < 0)
		vocab_default = NULL;
}

const struct site_vocab *
site_vocab_default(char *err, size_t errlen)
{
	pthread_once(&vocab_default_once, vocab_default_load);
	if (vocab_default == NULL && err != NULL && errlen > 0)
		snprintf(err, errlen, "%s", vocab_default_err);
	return vocab_default;
}

int
site_vocab_strength(const struct site_vocab *v, enum site_vocab_kind k,
    const char *term)
{
	size_t i;

	if (v == NULL || term == NULL)
		return 0;
	for (i = 0; i < v->nterms; i++)
		if (v->terms[i].kind == k && strcmp(v->terms[i].term, term) ==
		    0)
			return v->terms[i].strength;
	return 0;
}

/* --- searching ----------------------------------------------------------- */

/* A copy of s[0..len) that is valid UTF-8 without control characters
 * (invalid bytes become U+FFFD, controls a space), in NFC. */
static char *
vocab_clean(const char *s, size_t len)
{
	char *buf, *nfc;
	size_t i = 0, o = 0, n;

	buf = malloc(len * 3 + 1);
	if (buf == NULL)
		return text_dup("");
	while (i < len) {
		int32_t cp = vocab_decode((const unsigned char *)s + i, len - i,
		    &n);

		if (cp < 0) {
			memcpy(buf + o, "\xef\xbf\xbd", 3);
			o += 3;
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <
		    0xa0))
			buf[o++] = ' ';
		else {
			memcpy(buf + o, s + i, n);
			o += n;
		}
		i += n;
	}
	buf[o] = '\0';
	nfc = text_nfc(buf, o);
	if (nfc == NULL)
		return buf;
	free(buf);
	return nfc;
}

/* The end of the character at s[i] and of the combining marks after it. */
static size_t
vocab_char_end(const struct site_vocab *v, const unsigned char *s,
    size_t len, size_t i)
{
	size_t n;

	vocab_decode(s + i, len - i, &n);
	i += n;
	while (i < len && s[i] >= 0x80) {
		int32_t cp = vocab_decode(s + i, len - i, &n);

		if (vocab_class(v, cp) != F_SKIP)
			break;
		i += n;
	}
	return i;
}

static void
vocab_hit(const struct site_vocab *v, const unsigned char *s, size_t len,
    size_t start, size_t end, uint32_t term, struct site_hit *h)
{
	size_t a = start, b = end, k;

	for (k = 0; k < VOCAB_CONTEXT && a > 0; k++) {
		a--;
		while (a > 0 && (s[a] & 0xc0) == 0x80)
			a--;
	}
	for (k = 0; k < VOCAB_CONTEXT && b < len; k++) {
		b++;
		while (b < len && (s[b] & 0xc0) == 0x80)
			b++;
	}
	h->term = text_dup(v->terms[term].term);
	h->found = vocab_clean((const char *)s + start, end - start);
	h->context = vocab_clean((const char *)s + a, b - a);
}

size_t
site_vocab_find(const struct site_vocab *v, enum site_vocab_kind k,
    const char *text, size_t len, struct site_hit *hits, size_t max)
{
	const struct vocab_table *t;
	const unsigned char *s = (const unsigned char *)text;
	unsigned char *seen = NULL;
	uint32_t *off = NULL;
	char *f = NULL;
	size_t flen, i, j, nh = 0;

	if (v == NULL || text == NULL || max == 0 || (unsigned)k >=
	    VOCAB_NKINDS)
		return 0;
	t = &v->tab[k];
	if (t->n == 0 || len == 0)
		return 0;
	if (len > VOCAB_MAX_TEXT)
		len = VOCAB_MAX_TEXT;
	f = malloc(len + 1);
	off = malloc((len + 1) * sizeof(*off));
	seen = calloc(v->nterms, 1);
	if (f == NULL || off == NULL || seen == NULL)
		goto out;
	flen = vocab_fold(v, s, len, f, off);
	for (i = 0; i < flen && nh < max; i = j) {
		uint64_t h = 0xcbf29ce484222325ULL;
		size_t slot, p, q;

		if (f[i] == ' ') {
			j = i + 1;
			continue;
		}
		for (j = i; j < flen && f[j] != ' '; j++) {
			h ^= (unsigned char)f[j];
			h *= 0x100000001b3ULL;
		}
		slot = (size_t)h & (t->nslots - 1);
		while (t->slots[slot].count != 0 && t->slots[slot].h != h)
			slot = (slot + 1) & (t->nslots - 1);
		for (p = t->slots[slot].start, q = 0; q < t->slots[slot].count &&
		    nh < max; p++, q++) {
			const struct vocab_pat *pat = &t->pats[p];
			size_t e = i + pat->len;

			if (e > flen || seen[pat->term] || memcmp(f + i,
			    pat->fold, pat->len) != 0 || (e < flen && f[e] !=
			    ' '))
				continue;
			seen[pat->term] = 1;
			vocab_hit(v, s, len, off[i], vocab_char_end(v, s, len,
			    off[e - 1]), pat->term, &hits[nh++]);
		}
		if (!t->pfirst[(unsigned char)f[i]])
			continue;
		for (q = 0; q < t->nprefix && nh < max; q++) {
			const struct vocab_pat *pat = &t->pats[t->prefix[q]];

			if (pat->len > j - i || seen[pat->term] ||
			    memcmp(f + i, pat->fold, pat->len) != 0)
				continue;
			seen[pat->term] = 1;
			vocab_hit(v, s, len, off[i], vocab_char_end(v, s, len,
			    off[j - 1]), pat->term, &hits[nh++]);
		}
	}
out:
	free(f);
	free(off);
	free(seen);
	return nh;
}

void
site_hit_free(struct site_hit *h)
{
	if (h == NULL)
		return;
	free(h->term);
	free(h->found);
	free(h->context);
	h->term = h->found = h->context = NULL;
}
