/*
 * cond_parse.c — the condition language of the policy (docs/policy.md):
 * a lexer and a recursive-descent parser, with a depth limit, that types
 * every node against the facts schema and the parameters as it builds it
 * and compiles regular expressions (PCRE2) once, at load. Evaluation and
 * evidence are in cond_eval.c.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/cond_int.h"
#include "lib/json.h"
#include "lib/text.h"

/* Lexer. */

enum tok {
	T_EOF, T_INT, T_STR, T_IDENT, T_LP, T_RP, T_LB, T_RB, T_COMMA,
	T_COLON, T_DOT, T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_MATCH, T_NMATCH,
	T_ERR
};

struct token {
	enum tok t;
	size_t off, len;
	long long ival;
};

struct scope {
	const char *name;
	size_t namelen;
	struct ctype t;		/* type of the item */
	struct node *quant;	/* records the fields read */
	int slot;
};

struct parser {
	const char *s;
	size_t n;
	struct token tok;
	const struct cond_env *env;
	struct cond_error *e;
	bool failed;
	int depth;
	struct scope scopes[COND_MAX_DEPTH + 1];
	int nscopes;
	struct cond *c;
};

static const char *const cond_keywords[] = {
	"and", "or", "not", "in", "all", "any", "none", "where", "count",
	"true", "false", "param", NULL
};

static void
cond_perr(struct parser *P, size_t off, const char *vi, const char *en, ...)
{
	va_list ap;

	if (P->failed)
		return;
	P->failed = true;
	P->e->offset = off;
	va_start(ap, en);
	{
		va_list ap2;

		va_copy(ap2, ap);
		vsnprintf(P->e->vi, sizeof(P->e->vi), vi, ap);
		vsnprintf(P->e->en, sizeof(P->e->en), en, ap2);
		va_end(ap2);
	}
	va_end(ap);
}

/* The same with two ready texts. */
static void
cond_perr2(struct parser *P, size_t off, const char *vi, const char *en)
{
	if (P->failed)
		return;
	P->failed = true;
	P->e->offset = off;
	snprintf(P->e->vi, sizeof(P->e->vi), "%s", vi);
	snprintf(P->e->en, sizeof(P->e->en), "%s", en);
}

static bool
cond_isident(int c)
{
	return isalnum(c) || c == '_';
}

static void
cond_lex(struct parser *P, size_t pos, struct token *t)
{
	const char *s = P->s;
	size_t n = P->n;

	while (pos < n && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' ||
	    s[pos] == '\r'))
		pos++;
	memset(t, 0, sizeof(*t));
	t->off = pos;
	if (pos >= n) {
		t->t = T_EOF;
		return;
	}
	if (isdigit((unsigned char)s[pos]) || (s[pos] == '-' && pos + 1 < n &&
	    isdigit((unsigned char)s[pos + 1]))) {
		bool neg = s[pos] == '-';
		size_t p = pos + (neg ? 1 : 0);
		unsigned long long v = 0;

		for (; p < n && isdigit((unsigned char)s[p]); p++) {
			v = v * 10 + (unsigned long long)(s[p] - '0');
			if (v > (unsigned long long)LLONG_MAX) {
				cond_perr(P, pos, "số quá lớn",
				    "number too large");
				t->t = T_ERR;
				return;
			}
		}
		if (p < n && cond_isident((unsigned char)s[p])) {
			cond_perr(P, pos, "số không hợp lệ", "bad number");
			t->t = T_ERR;
			return;
		}
		t->t = T_INT;
		t->ival = neg ? -(long long)v : (long long)v;
		t->len = p - pos;
		return;
	}
	if (s[pos] == '"') {
		size_t p = pos + 1;

		while (p < n && s[p] != '"') {
			if (s[p] == '\\') {
				if (p + 1 >= n || strchr("\"\\nt", s[p + 1]) ==
				    NULL || s[p + 1] == '\0') {
					cond_perr(P, p, "chuỗi thoát không "
					    "hợp lệ (dùng \\\" \\\\ \\n \\t)",
					    "bad escape (use \\\" \\\\ \\n "
					    "\\t)");
					t->t = T_ERR;
					return;
				}
				p++;
			}
			p++;
		}
		if (p >= n) {
			cond_perr(P, pos, "chuỗi thiếu dấu \" đóng",
			    "unterminated string");
			t->t = T_ERR;
			return;
		}
		t->t = T_STR;
		t->len = p + 1 - pos;
		return;
	}
	if (isalpha((unsigned char)s[pos]) || s[pos] == '_') {
		size_t p = pos;

		while (p < n && cond_isident((unsigned char)s[p]))
			p++;
		t->t = T_IDENT;
		t->len = p - pos;
		return;
	}
	t->len = 1;
	switch (s[pos]) {
	case '(': t->t = T_LP; return;
	case ')': t->t = T_RP; return;
	case '[': t->t = T_LB; return;
	case ']': t->t = T_RB; return;
	case ',': t->t = T_COMMA; return;
	case ':': t->t = T_COLON; return;
	case '.': t->t = T_DOT; return;
	default: break;
	}
	t->len = 2;
	if (pos + 1 < n) {
		char a = s[pos], b = s[pos + 1];

		if (a == '=' && b == '=') { t->t = T_EQ; return; }
		if (a == '=' && b == '~') { t->t = T_MATCH; return; }
		if (a == '!' && b == '=') { t->t = T_NE; return; }
		if (a == '!' && b == '~') { t->t = T_NMATCH; return; }
		if (a == '<' && b == '=') { t->t = T_LE; return; }
		if (a == '>' && b == '=') { t->t = T_GE; return; }
	}
	t->len = 1;
	if (s[pos] == '<') { t->t = T_LT; return; }
	if (s[pos] == '>') { t->t = T_GT; return; }
	if (s[pos] == '=')
		cond_perr(P, pos, "dùng \"==\" để so sánh bằng",
		    "use \"==\" for equality");
	else if ((unsigned char)s[pos] >= 0x80)
		cond_perr(P, pos, "ký tự không hợp lệ ngoài chuỗi",
		    "unexpected non-ASCII character outside a string");
	else
		cond_perr(P, pos, "ký tự không hợp lệ \"%c\"",
		    "unexpected character \"%c\"", s[pos]);
	t->t = T_ERR;
}

static void
cond_next(struct parser *P)
{
	cond_lex(P, P->tok.off + P->tok.len, &P->tok);
}

static bool
cond_is_kw(const struct token *t, const char *s, const char *kw)
{
	return t->t == T_IDENT && t->len == strlen(kw) &&
	    memcmp(s + t->off, kw, t->len) == 0;
}

static bool
cond_is_keyword(const char *s, size_t len)
{
	size_t i;

	for (i = 0; cond_keywords[i] != NULL; i++)
		if (strlen(cond_keywords[i]) == len &&
		    memcmp(cond_keywords[i], s, len) == 0)
			return true;
	return false;
}

/* Short text of the current token for messages. */
static const char *
cond_tokdesc(struct parser *P, char *buf, size_t size)
{
	if (P->tok.t == T_EOF)
		return "(end)";
	snprintf(buf, size, "\"%.*s\"", (int)(P->tok.len > 24 ? 24 :
	    P->tok.len), P->s + P->tok.off);
	return buf;
}

static void
cond_unexpected(struct parser *P, const char *want_vi, const char *want_en)
{
	char buf[40], vi[160], en[160];
	const char *d = cond_tokdesc(P, buf, sizeof(buf));

	if (P->tok.t == T_EOF) {
		snprintf(vi, sizeof(vi), "điều kiện kết thúc sớm, cần %s",
		    want_vi);
		snprintf(en, sizeof(en), "condition ends too early, expected "
		    "%s", want_en);
	} else {
		snprintf(vi, sizeof(vi), "gặp %s, cần %s", d, want_vi);
		snprintf(en, sizeof(en), "unexpected %s, expected %s", d,
		    want_en);
	}
	cond_perr2(P, P->tok.off, vi, en);
}

/* Nodes and types. */

static struct node *
cond_node(struct parser *P, enum nk k, size_t off)
{
	struct cond *c = P->c;
	struct node *n = calloc(1, sizeof(*n));

	if (n == NULL)
		abort();
	n->k = k;
	n->off = off;
	n->slot = -1;
	if (c->nnodes == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->nodes = realloc(c->nodes, c->cap * sizeof(*c->nodes));
		if (c->nodes == NULL)
			abort();
	}
	c->nodes[c->nnodes++] = n;
	return n;
}

static void
cond_end(struct parser *P, struct node *n)
{
	size_t end = P->tok.off;

	/* the span ends at the end of the last token consumed */
	while (end > n->off && (P->s[end - 1] == ' ' || P->s[end - 1] == '\t' ||
	    P->s[end - 1] == '\n' || P->s[end - 1] == '\r'))
		end--;
	n->len = end > n->off ? end - n->off : 0;
}

static const char *
cond_tyname(struct ctype t)
{
	switch (t.t) {
	case TY_BOOL: return "bool";
	case TY_INT: return "int";
	case TY_STR: return "string";
	case TY_OBJ: return "object";
	case TY_LSTR: return "list:string";
	case TY_LINT: return "list:int";
	case TY_LOBJ: return "list";
	case TY_LANY: return "list";
	}
	return "?";
}

static bool
cond_is_list(struct ctype t)
{
	return t.t == TY_LSTR || t.t == TY_LINT || t.t == TY_LOBJ ||
	    t.t == TY_LANY;
}

static bool
cond_ftype(const struct schema_field *f, struct ctype *t)
{
	t->lpath = NULL;
	switch (f->type) {
	case FT_BOOL: t->t = TY_BOOL; return true;
	case FT_INT: t->t = TY_INT; return true;
	case FT_STRING: t->t = TY_STR; return true;
	case FT_LIST_STRING: t->t = TY_LSTR; return true;
	case FT_LIST_INT: t->t = TY_LINT; return true;
	case FT_LIST: t->t = TY_LOBJ; t->lpath = f->path; return true;
	case FT_OBJECT: return false;
	}
	return false;
}

static void
cond_need_bool(struct parser *P, struct node *n, const char *what)
{
	if (n != NULL && !P->failed && n->t.t != TY_BOOL)
		cond_perr(P, n->off, "%s cần giá trị đúng/sai (bool), "
		    "đây là %s", "%s needs a true/false value (bool), "
		    "this is %s", what, cond_tyname(n->t), what,
		    cond_tyname(n->t));
}

/* Parser. */

static struct node *cond_expr(struct parser *P);
static struct node *cond_primary(struct parser *P);

static bool
cond_deeper(struct parser *P)
{
	if (++P->depth > COND_MAX_DEPTH) {
		cond_perr(P, P->tok.off, "điều kiện lồng nhau quá sâu "
		    "(tối đa %d)", "condition nested too deeply (at most %d)",
		    COND_MAX_DEPTH, COND_MAX_DEPTH);
		return false;
	}
	return true;
}

static char *
cond_decode(const char *s, size_t len)
{
	char *o = malloc(len + 1);
	size_t i, j = 0;

	if (o == NULL)
		abort();
	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len) {
			i++;
			o[j++] = s[i] == 'n' ? '\n' : s[i] == 't' ? '\t' : s[i];
		} else
			o[j++] = s[i];
	}
	o[j] = '\0';
	return o;
}

/* Offset in the raw literal (after the quote) of decoded byte doff. */
static size_t
cond_raw_offset(const char *raw, size_t rawlen, size_t doff)
{
	size_t i = 0, d = 0;

	while (i < rawlen && d < doff) {
		i += raw[i] == '\\' ? 2 : 1;
		d++;
	}
	return i;
}

static pcre2_code *
cond_compile(const char *pat, size_t len, size_t *erroff, char *msg,
    size_t msglen)
{
	int code;
	PCRE2_SIZE off = 0;
	pcre2_code *re;

	if (len > COND_MAX_PATTERN) {
		*erroff = 0;
		snprintf(msg, msglen, "pattern too long");
		return NULL;
	}
	re = pcre2_compile((PCRE2_SPTR)pat, len, PCRE2_UTF | PCRE2_UCP,
	    &code, &off, NULL);
	if (re == NULL) {
		PCRE2_UCHAR buf[160];

		if (pcre2_get_error_message(code, buf, sizeof(buf)) < 0)
			snprintf((char *)buf, sizeof(buf), "error %d", code);
		snprintf(msg, msglen, "%s", (char *)buf);
		*erroff = off;
	}
	return re;
}

static void
cond_free_re(struct node *n)
{
	size_t i;

	for (i = 0; i < n->nre; i++)
		pcre2_code_free(n->re[i]);
	free(n->re);
	n->re = NULL;
	n->nre = 0;
}

/* Compiles the patterns of parameter value v into n; -1 with e filled. */
static int
cond_compile_param(struct node *n, json_t *v, size_t refoff,
    struct cond_error *e)
{
	size_t i, cnt, erroff;
	char msg[200];
	pcre2_code **re;

	cnt = json_is_array(v) ? json_array_size(v) : 1;
	re = calloc(cnt ? cnt : 1, sizeof(*re));
	if (re == NULL)
		abort();
	for (i = 0; i < cnt; i++) {
		json_t *p = json_is_array(v) ? json_array_get(v, i) : v;

		if (!json_is_string(p) || (re[i] = cond_compile(
		    json_string_value(p), json_string_length(p), &erroff, msg,
		    sizeof(msg))) == NULL) {
			if (!json_is_string(p))
				snprintf(msg, sizeof(msg), "not a string");
			e->offset = refoff;
			snprintf(e->vi, sizeof(e->vi), "biểu thức chính quy "
			    "thứ %zu của tham số không hợp lệ tại vị trí %zu: "
			    "%.100s", i + 1, erroff, msg);
			snprintf(e->en, sizeof(e->en), "pattern %zu of the "
			    "parameter is invalid at offset %zu: %.100s", i + 1,
			    erroff, msg);
			while (i-- > 0)
				pcre2_code_free(re[i]);
			free(re);
			return -1;
		}
	}
	cond_free_re(n);
	n->re = re;
	n->nre = cnt;
	return 0;
}

static struct scope *
cond_scope(struct parser *P, const char *name, size_t len)
{
	int i;

	for (i = P->nscopes - 1; i >= 0; i--)
		if (P->scopes[i].namelen == len &&
		    memcmp(P->scopes[i].name, name, len) == 0)
			return &P->scopes[i];
	return NULL;
}

static void
cond_add_field(struct node *q, const char *f)
{
	size_t i;

	for (i = 0; i < q->nfields; i++)
		if (strcmp(q->fields[i], f) == 0)
			return;
	q->fields = realloc(q->fields, (q->nfields + 1) * sizeof(char *));
	if (q->fields == NULL)
		abort();
	q->fields[q->nfields++] = text_dup(f);
}

/* A dotted name: a fact, param.NAME, a bound variable or its field. */
static struct node *
cond_path(struct parser *P)
{
	size_t start = P->tok.off, segs[32], seglen[32], nseg = 0, i;
	struct node *n;
	struct scope *sc;
	char path[512];
	size_t plen = 0;

	for (;;) {
		if (P->tok.t != T_IDENT) {
			cond_unexpected(P, "tên", "a name");
			return NULL;
		}
		if (nseg >= 32) {
			cond_perr(P, P->tok.off, "đường dẫn quá dài",
			    "path too long");
			return NULL;
		}
		segs[nseg] = P->tok.off;
		seglen[nseg++] = P->tok.len;
		cond_next(P);
		if (P->tok.t != T_DOT)
			break;
		cond_next(P);
	}
	if (P->failed)
		return NULL;
	for (i = 0; i < nseg; i++) {
		if (plen + seglen[i] + 2 >= sizeof(path)) {
			cond_perr(P, start, "đường dẫn quá dài",
			    "path too long");
			return NULL;
		}
		if (i > 0)
			path[plen++] = '.';
		memcpy(path + plen, P->s + segs[i], seglen[i]);
		plen += seglen[i];
	}
	path[plen] = '\0';

	if (cond_is_keyword(P->s + segs[0], seglen[0]) && !(seglen[0] == 5 &&
	    memcmp(P->s + segs[0], "param", 5) == 0)) {
		cond_perr(P, start, "từ khóa \"%.*s\" không đứng ở đây",
		    "keyword \"%.*s\" is out of place", (int)seglen[0],
		    P->s + segs[0], (int)seglen[0], P->s + segs[0]);
		return NULL;
	}
	if (seglen[0] == 5 && memcmp(P->s + segs[0], "param", 5) == 0) {
		const char *ty;

		if (nseg != 2) {
			cond_perr(P, start, "tham số viết param.TÊN",
			    "a parameter is written param.NAME");
			return NULL;
		}
		ty = json_string_value(json_object_get(P->env->param_types,
		    path + 6));
		if (ty == NULL) {
			cond_perr(P, segs[1], "không có tham số \"%s\"",
			    "unknown parameter \"%s\"", path + 6, path + 6);
			return NULL;
		}
		n = cond_node(P, N_PARAM, start);
		n->path = text_dup(path + 6);
		if (strcmp(ty, "int") == 0)
			n->t.t = TY_INT;
		else if (strcmp(ty, "bool") == 0)
			n->t.t = TY_BOOL;
		else if (strcmp(ty, "string") == 0)
			n->t.t = TY_STR;
		else if (strcmp(ty, "list:int") == 0)
			n->t.t = TY_LINT;
		else
			n->t.t = TY_LSTR;
		cond_end(P, n);
		return n;
	}
	if ((sc = cond_scope(P, P->s + segs[0], seglen[0])) != NULL) {
		const struct schema_field *f;
		char *fp;

		if (nseg == 1) {
			n = cond_node(P, N_VAR, start);
			n->t = sc->t;
			n->slot = sc->slot;
			cond_end(P, n);
			return n;
		}
		if (sc->t.t != TY_OBJ) {
			cond_perr(P, segs[1], "\"%.*s\" là %s, không có trường",
			    "\"%.*s\" is a %s and has no fields",
			    (int)seglen[0], P->s + segs[0], cond_tyname(sc->t),
			    (int)seglen[0], P->s + segs[0], cond_tyname(sc->t));
			return NULL;
		}
		if (nseg > 2) {
			cond_perr(P, segs[2], "phần tử danh sách không có "
			    "trường lồng nhau", "list items have no nested "
			    "fields");
			return NULL;
		}
		fp = text_printf("%s.%.*s", sc->t.lpath, (int)seglen[1],
		    P->s + segs[1]);
		f = schema_lookup(P->env->schema, fp);
		if (f == NULL) {
			cond_perr(P, segs[1], "phần tử của %s không có trường "
			    "\"%.*s\"", "the items of %s have no field "
			    "\"%.*s\"", sc->t.lpath, (int)seglen[1],
			    P->s + segs[1], sc->t.lpath, (int)seglen[1],
			    P->s + segs[1]);
			free(fp);
			return NULL;
		}
		n = cond_node(P, N_FIELD, start);
		n->path = fp;
		n->field = text_ndup(P->s + segs[1], seglen[1]);
		n->slot = sc->slot;
		if (!cond_ftype(f, &n->t)) {
			cond_perr(P, segs[1], "\"%s\" không phải một giá trị",
			    "\"%s\" is not a value", fp, fp);
			return NULL;
		}
		cond_add_field(sc->quant, n->field);
		cond_end(P, n);
		return n;
	}
	{
		const struct schema_field *f = schema_lookup(P->env->schema,
		    path);
		char prefix[512];

		if (f == NULL) {
			cond_perr(P, start, "không có thông tin \"%s\" trong "
			    "lược đồ", "unknown fact \"%s\"", path, path);
			return NULL;
		}
		/* A proper prefix that is a list makes this an item field. */
		for (i = 1; i < nseg; i++) {
			const struct schema_field *pf;
			size_t l = segs[i] - 1 - start;

			memcpy(prefix, path, l);
			prefix[l] = '\0';
			pf = schema_lookup(P->env->schema, prefix);
			if (pf != NULL && pf->type == FT_LIST) {
				cond_perr(P, start, "\"%s\" là trường của phần "
				    "tử danh sách %s; hãy dùng all/any/none/"
				    "count", "\"%s\" is a field of the items "
				    "of list %s; use all/any/none/count", path,
				    prefix, path, prefix);
				return NULL;
			}
		}
		n = cond_node(P, N_FACT, start);
		n->path = text_dup(path);
		if (!cond_ftype(f, &n->t)) {
			cond_perr(P, start, "\"%s\" là một nhóm thông tin, "
			    "không phải giá trị", "\"%s\" is a section, not a "
			    "value", path, path);
			return NULL;
		}
		cond_end(P, n);
		return n;
	}
}

/* "X in LIST [where FILTER]" of a quantifier or count; binds X. */
static bool
cond_binding(struct parser *P, struct node *q)
{
	struct scope *sc;
	const struct token v = P->tok;

	if (v.t != T_IDENT || cond_is_keyword(P->s + v.off, v.len)) {
		cond_unexpected(P, "tên biến", "a variable name");
		return false;
	}
	if (cond_scope(P, P->s + v.off, v.len) != NULL) {
		cond_perr(P, v.off, "biến \"%.*s\" đã được dùng",
		    "variable \"%.*s\" is already bound", (int)v.len,
		    P->s + v.off, (int)v.len, P->s + v.off);
		return false;
	}
	{
		char *name = text_ndup(P->s + v.off, v.len);
		bool clash = schema_lookup(P->env->schema, name) != NULL;

		free(name);
		if (clash) {
			cond_perr(P, v.off, "tên biến \"%.*s\" trùng một nhóm "
			    "thông tin", "variable name \"%.*s\" is the name "
			    "of a fact", (int)v.len, P->s + v.off,
			    (int)v.len, P->s + v.off);
			return false;
		}
	}
	cond_next(P);
	if (!cond_is_kw(&P->tok, P->s, "in")) {
		cond_unexpected(P, "\"in\"", "\"in\"");
		return false;
	}
	cond_next(P);
	if ((q->a = cond_primary(P)) == NULL)
		return false;
	if (!cond_is_list(q->a->t)) {
		cond_perr(P, q->a->off, "cần một danh sách, đây là %s",
		    "expected a list, this is %s", cond_tyname(q->a->t),
		    cond_tyname(q->a->t));
		return false;
	}
	if (P->nscopes >= COND_MAX_DEPTH) {
		cond_perr(P, v.off, "quá nhiều biến lồng nhau",
		    "too many nested variables");
		return false;
	}
	sc = &P->scopes[P->nscopes];
	sc->name = P->s + v.off;
	sc->namelen = v.len;
	sc->quant = q;
	sc->slot = P->nscopes;
	sc->t.lpath = q->a->t.lpath;
	sc->t.t = q->a->t.t == TY_LOBJ ? TY_OBJ : q->a->t.t == TY_LINT ?
	    TY_INT : TY_STR;
	q->slot = sc->slot;
	if (sc->t.t == TY_OBJ && sc->t.lpath != NULL) {
		const char *key = schema_key(P->env->schema, sc->t.lpath);

		free(q->field);
		q->field = key ? text_dup(key) : NULL;
	}
	P->nscopes++;
	if (P->nscopes > P->c->nslots)
		P->c->nslots = P->nscopes;
	if (cond_is_kw(&P->tok, P->s, "where")) {
		cond_next(P);
		if ((q->b = cond_expr(P)) == NULL)
			return false;
		cond_need_bool(P, q->b, "where");
	}
	return !P->failed;
}

static struct node *
cond_quant(struct parser *P, enum nk k)
{
	struct node *q = cond_node(P, k, P->tok.off);

	cond_next(P);
	if (!cond_deeper(P) || !cond_binding(P, q))
		return NULL;
	if (P->tok.t != T_COLON) {
		cond_unexpected(P, "\":\"", "\":\"");
		return NULL;
	}
	cond_next(P);
	if ((q->c = cond_expr(P)) == NULL)
		return NULL;
	cond_need_bool(P, q->c, k == N_ALL ? "all" : k == N_ANY ? "any" :
	    "none");
	P->nscopes--;
	P->depth--;
	q->t.t = TY_BOOL;
	cond_end(P, q);
	return P->failed ? NULL : q;
}

static struct node *
cond_count(struct parser *P)
{
	struct node *q = cond_node(P, N_COUNT, P->tok.off);
	struct token t2;

	cond_next(P);
	if (P->tok.t != T_LP) {
		cond_unexpected(P, "\"(\"", "\"(\"");
		return NULL;
	}
	cond_next(P);
	if (!cond_deeper(P))
		return NULL;
	cond_lex(P, P->tok.off + P->tok.len, &t2);
	if (P->tok.t == T_IDENT && cond_is_kw(&t2, P->s, "in")) {
		if (!cond_binding(P, q))
			return NULL;
		if (P->tok.t != T_COLON) {
			cond_unexpected(P, "\":\"", "\":\"");
			return NULL;
		}
		cond_next(P);
		if ((q->c = cond_expr(P)) == NULL)
			return NULL;
		cond_need_bool(P, q->c, "count");
		P->nscopes--;
	} else {
		q->k = N_COUNT_LIST;
		if ((q->a = cond_expr(P)) == NULL)
			return NULL;
		if (!cond_is_list(q->a->t)) {
			cond_perr(P, q->a->off, "count cần một danh sách, "
			    "đây là %s", "count needs a list, this is %s",
			    cond_tyname(q->a->t), cond_tyname(q->a->t));
			return NULL;
		}
		/* Items are named by their key field in evidence. */
		if (q->a->t.t == TY_LOBJ && q->a->t.lpath != NULL) {
			const char *key = schema_key(P->env->schema,
			    q->a->t.lpath);

			free(q->field);
			q->field = key ? text_dup(key) : NULL;
		}
	}
	if (P->tok.t != T_RP) {
		cond_unexpected(P, "\")\"", "\")\"");
		return NULL;
	}
	cond_next(P);
	P->depth--;
	q->t.t = TY_INT;
	cond_end(P, q);
	return P->failed ? NULL : q;
}

static struct node *
cond_list_literal(struct parser *P)
{
	struct node *n = cond_node(P, N_LIST, P->tok.off);

	n->lit = json_array();
	n->t.t = TY_LANY;
	cond_next(P);
	while (P->tok.t != T_RB) {
		json_t *v;
		enum ty et;

		if (json_array_size(n->lit) > 0) {
			if (P->tok.t != T_COMMA) {
				cond_unexpected(P, "\",\" hoặc \"]\"",
				    "\",\" or \"]\"");
				return NULL;
			}
			cond_next(P);
		}
		if (P->tok.t == T_INT) {
			v = json_integer(P->tok.ival);
			et = TY_LINT;
		} else if (P->tok.t == T_STR) {
			char *s = cond_decode(P->s + P->tok.off + 1,
			    P->tok.len - 2);

			v = json_string(s);
			free(s);
			et = TY_LSTR;
			if (v == NULL) {
				cond_perr(P, P->tok.off, "chuỗi không phải "
				    "UTF-8 hợp lệ", "string is not valid "
				    "UTF-8");
				return NULL;
			}
		} else {
			cond_unexpected(P, "số hoặc chuỗi",
			    "a number or a string");
			return NULL;
		}
		if (n->t.t != TY_LANY && n->t.t != et) {
			json_decref(v);
			cond_perr(P, P->tok.off, "các phần tử của danh sách "
			    "phải cùng kiểu", "list items must have one type");
			return NULL;
		}
		n->t.t = et;
		json_array_append_new(n->lit, v);
		cond_next(P);
	}
	cond_next(P);
	cond_end(P, n);
	return P->failed ? NULL : n;
}

static struct node *
cond_primary(struct parser *P)
{
	struct node *n;

	if (P->failed)
		return NULL;
	switch (P->tok.t) {
	case T_INT:
		n = cond_node(P, N_INT, P->tok.off);
		n->lit = json_integer(P->tok.ival);
		n->t.t = TY_INT;
		cond_next(P);
		cond_end(P, n);
		return n;
	case T_STR: {
		char *s = cond_decode(P->s + P->tok.off + 1, P->tok.len - 2);

		n = cond_node(P, N_STR, P->tok.off);
		n->lit = json_string(s);
		free(s);
		if (n->lit == NULL) {
			cond_perr(P, P->tok.off, "chuỗi không phải UTF-8 hợp "
			    "lệ", "string is not valid UTF-8");
			return NULL;
		}
		n->t.t = TY_STR;
		cond_next(P);
		cond_end(P, n);
		return n;
	}
	case T_LB:
		return cond_list_literal(P);
	case T_LP: {
		size_t off = P->tok.off;

		if (!cond_deeper(P))
			return NULL;
		cond_next(P);
		if ((n = cond_expr(P)) == NULL)
			return NULL;
		if (P->tok.t != T_RP) {
			cond_unexpected(P, "\")\"", "\")\"");
			return NULL;
		}
		cond_next(P);
		P->depth--;
		/* the group's span includes its parentheses */
		n->off = off;
		cond_end(P, n);
		return n;
	}
	case T_IDENT:
		if (cond_is_kw(&P->tok, P->s, "true") ||
		    cond_is_kw(&P->tok, P->s, "false")) {
			n = cond_node(P, N_BOOL, P->tok.off);
			n->lit = json_boolean(P->s[P->tok.off] == 't');
			n->t.t = TY_BOOL;
			cond_next(P);
			cond_end(P, n);
			return n;
		}
		if (cond_is_kw(&P->tok, P->s, "all"))
			return cond_quant(P, N_ALL);
		if (cond_is_kw(&P->tok, P->s, "any"))
			return cond_quant(P, N_ANY);
		if (cond_is_kw(&P->tok, P->s, "none"))
			return cond_quant(P, N_NONE);
		if (cond_is_kw(&P->tok, P->s, "count"))
			return cond_count(P);
		return cond_path(P);
	default:
		cond_unexpected(P, "một giá trị", "a value");
		return NULL;
	}
}

static bool
cond_same_type(struct ctype a, struct ctype b)
{
	if (a.t == TY_LANY)
		return b.t == TY_LANY || b.t == TY_LSTR || b.t == TY_LINT;
	if (b.t == TY_LANY)
		return a.t == TY_LSTR || a.t == TY_LINT;
	return a.t == b.t;
}

static struct node *
cond_cmp(struct parser *P)
{
	struct node *a, *b, *n;
	enum tok t;
	size_t opoff;
	bool notin = false;

	if ((a = cond_primary(P)) == NULL)
		return NULL;
	t = P->tok.t;
	opoff = P->tok.off;
	if (cond_is_kw(&P->tok, P->s, "not")) {
		struct token t2;

		cond_lex(P, P->tok.off + P->tok.len, &t2);
		if (!cond_is_kw(&t2, P->s, "in"))
			return a;
		notin = true;
		cond_next(P);
	} else if (!cond_is_kw(&P->tok, P->s, "in") && (t < T_EQ ||
	    t > T_NMATCH))
		return a;
	cond_next(P);
	if ((b = cond_primary(P)) == NULL)
		return NULL;
	if (notin || t == T_IDENT) {
		n = cond_node(P, N_IN, a->off);
		n->negate = notin;
		if (!((a->t.t == TY_STR && (b->t.t == TY_LSTR ||
		    b->t.t == TY_LANY)) || (a->t.t == TY_INT &&
		    (b->t.t == TY_LINT || b->t.t == TY_LANY)))) {
			cond_perr(P, opoff, "\"in\" cần một chuỗi hoặc số và "
			    "danh sách cùng kiểu, đây là %s và %s",
			    "\"in\" needs a string or int and a list of that "
			    "type, not %s and %s", cond_tyname(a->t),
			    cond_tyname(b->t), cond_tyname(a->t),
			    cond_tyname(b->t));
			return NULL;
		}
	} else if (t == T_MATCH || t == T_NMATCH) {
		size_t erroff;
		char msg[200];

		n = cond_node(P, N_MATCH, a->off);
		n->negate = t == T_NMATCH;
		if (a->t.t != TY_STR) {
			cond_perr(P, a->off, "vế trái của \"=~\" phải là "
			    "chuỗi, đây là %s", "the left side of \"=~\" must "
			    "be a string, this is %s", cond_tyname(a->t),
			    cond_tyname(a->t));
			return NULL;
		}
		if (b->k == N_STR) {
			n->re = calloc(1, sizeof(*n->re));
			if (n->re == NULL)
				abort();
			n->re[0] = cond_compile(json_string_value(b->lit),
			    json_string_length(b->lit), &erroff, msg,
			    sizeof(msg));
			if (n->re[0] == NULL) {
				cond_perr(P, b->off + 1 + cond_raw_offset(
				    P->s + b->off + 1, b->len - 2, erroff),
				    "biểu thức chính quy không hợp lệ: %s",
				    "invalid regular expression: %s", msg,
				    msg);
				return NULL;
			}
			n->nre = 1;
		} else if (b->k == N_PARAM && (b->t.t == TY_STR ||
		    b->t.t == TY_LSTR)) {
			json_t *pv = json_object_get(P->env->params, b->path);

			if (cond_compile_param(n, pv, b->off, P->e) < 0) {
				P->failed = true;
				return NULL;
			}
		} else {
			cond_perr(P, b->off, "mẫu của \"=~\" phải là một chuỗi "
			    "hoặc một tham số chuỗi/danh sách chuỗi",
			    "the pattern of \"=~\" must be a string literal or "
			    "a string or list:string parameter");
			return NULL;
		}
	} else {
		n = cond_node(P, N_CMP, a->off);
		n->op = t == T_EQ ? OP_EQ : t == T_NE ? OP_NE : t == T_LT ?
		    OP_LT : t == T_LE ? OP_LE : t == T_GT ? OP_GT : OP_GE;
		if (n->op == OP_EQ || n->op == OP_NE) {
			if (!cond_same_type(a->t, b->t) || a->t.t == TY_OBJ ||
			    a->t.t == TY_LOBJ) {
				cond_perr(P, opoff, "không so sánh được %s với "
				    "%s", "cannot compare %s with %s",
				    cond_tyname(a->t), cond_tyname(b->t),
				    cond_tyname(a->t), cond_tyname(b->t));
				return NULL;
			}
		} else if (a->t.t != TY_INT || b->t.t != TY_INT) {
			cond_perr(P, opoff, "\"<\", \"<=\", \">\", \">=\" chỉ "
			    "so sánh số nguyên, đây là %s và %s",
			    "\"<\", \"<=\", \">\", \">=\" compare integers "
			    "only, not %s and %s", cond_tyname(a->t),
			    cond_tyname(b->t), cond_tyname(a->t),
			    cond_tyname(b->t));
			return NULL;
		}
	}
	n->a = a;
	n->b = b;
	n->t.t = TY_BOOL;
	cond_end(P, n);
	if (P->tok.t >= T_EQ && P->tok.t <= T_NMATCH)
		cond_perr(P, P->tok.off, "phép so sánh không nối tiếp được; "
		    "hãy dùng ngoặc", "comparisons do not chain; use "
		    "parentheses");
	return P->failed ? NULL : n;
}

static struct node *
cond_not(struct parser *P)
{
	struct node *n;
	size_t off = P->tok.off;

	if (!cond_is_kw(&P->tok, P->s, "not"))
		return cond_cmp(P);
	if (!cond_deeper(P))
		return NULL;
	cond_next(P);
	n = cond_node(P, N_NOT, off);
	if ((n->a = cond_not(P)) == NULL)
		return NULL;
	cond_need_bool(P, n->a, "not");
	P->depth--;
	n->t.t = TY_BOOL;
	cond_end(P, n);
	return P->failed ? NULL : n;
}

static struct node *
cond_binop(struct parser *P, const char *kw, enum nk k,
    struct node *(*sub)(struct parser *))
{
	struct node *a, *n;

	if ((a = sub(P)) == NULL)
		return NULL;
	while (cond_is_kw(&P->tok, P->s, kw)) {
		cond_next(P);
		n = cond_node(P, k, a->off);
		n->a = a;
		if ((n->b = sub(P)) == NULL)
			return NULL;
		cond_need_bool(P, n->a, kw);
		cond_need_bool(P, n->b, kw);
		n->t.t = TY_BOOL;
		cond_end(P, n);
		if (P->failed)
			return NULL;
		a = n;
	}
	return a;
}

static struct node *
cond_and(struct parser *P)
{
	return cond_binop(P, "and", N_AND, cond_not);
}

static struct node *
cond_expr(struct parser *P)
{
	return cond_binop(P, "or", N_OR, cond_and);
}

void
cond_free(struct cond *c)
{
	size_t i, j;

	if (c == NULL)
		return;
	for (i = 0; i < c->nnodes; i++) {
		struct node *n = c->nodes[i];

		json_decref(n->lit);
		free(n->path);
		free(n->field);
		for (j = 0; j < n->nfields; j++)
			free(n->fields[j]);
		free(n->fields);
		cond_free_re(n);
		free(n);
	}
	free(c->nodes);
	free(c->text);
	free(c);
}

struct cond *
cond_parse(const char *text, size_t len, const struct cond_env *env,
    struct cond_error *e)
{
	struct parser P;
	struct cond *c;

	memset(e, 0, sizeof(*e));
	memset(&P, 0, sizeof(P));
	P.e = e;
	if (len > COND_MAX_TEXT) {
		cond_perr(&P, 0, "điều kiện quá dài (tối đa %d byte)",
		    "condition too long (at most %d bytes)", COND_MAX_TEXT,
		    COND_MAX_TEXT);
		return NULL;
	}
	if (!text_valid_utf8(text, len)) {
		cond_perr(&P, 0, "điều kiện không phải UTF-8 hợp lệ",
		    "condition is not valid UTF-8");
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		abort();
	c->text = text_ndup(text, len);
	c->len = len;
	P.s = c->text;
	P.n = len;
	P.env = env;
	P.c = c;
	cond_lex(&P, 0, &P.tok);
	if (P.tok.t == T_EOF)
		cond_perr(&P, 0, "điều kiện rỗng", "empty condition");
	if (!P.failed)
		c->root = cond_expr(&P);
	if (!P.failed && P.tok.t != T_EOF)
		cond_unexpected(&P, "\"and\", \"or\" hoặc hết điều kiện",
		    "\"and\", \"or\" or the end");
	if (!P.failed && c->root->t.t != TY_BOOL)
		cond_perr(&P, c->root->off, "điều kiện phải có giá trị đúng/"
		    "sai (bool), đây là %s", "a condition must be true or "
		    "false (bool), this is %s", cond_tyname(c->root->t),
		    cond_tyname(c->root->t));
	if (P.failed) {
		cond_free(c);
		return NULL;
	}
	return c;
}

static bool
cond_regex_of(const struct node *n, const char *name)
{
	return n->k == N_MATCH && n->b != NULL && n->b->k == N_PARAM &&
	    strcmp(n->b->path, name) == 0;
}

bool
cond_uses_regex_param(const struct cond *c, const char *name)
{
	size_t i;

	for (i = 0; c != NULL && i < c->nnodes; i++)
		if (cond_regex_of(c->nodes[i], name))
			return true;
	return false;
}

int
cond_refresh_param(struct cond *c, const char *name, json_t *params,
    struct cond_error *e)
{
	size_t i;

	memset(e, 0, sizeof(*e));
	for (i = 0; c != NULL && i < c->nnodes; i++) {
		struct node *n = c->nodes[i];

		if (cond_regex_of(n, name) && cond_compile_param(n,
		    json_object_get(params, name), n->b->off, e) < 0)
			return -1;
	}
	return 0;
}

int
cond_check_patterns(json_t *value, struct cond_error *e)
{
	struct node tmp;
	int rc;

	memset(&tmp, 0, sizeof(tmp));
	memset(e, 0, sizeof(*e));
	rc = cond_compile_param(&tmp, value, 0, e);
	cond_free_re(&tmp);
	return rc;
}
