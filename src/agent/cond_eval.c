/*
 * cond_eval.c — evaluates a parsed condition (cond_parse.c) over a facts
 * document in Kleene's three-valued logic (a missing fact is unknown and
 * remembers its schema path), matching regular expressions under match,
 * depth and heap limits, and explains the result as evidence text
 * (docs/policy.md, "Evidence"). A fact the collectors marked unavailable
 * is unknown; a list so marked is partial: a quantifier over it decides
 * only from an item that settles the answer (one open network fails
 * "none ... open"), never from the absence of one.
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

/* Evaluation. */

enum everr { E_NONE, E_REGEX_LIMIT, E_REGEX, E_TYPE };

struct val {
	json_t *j;		/* a new reference, or NULL: unknown */
	const char *missing;	/* unknown: schema path */
	enum everr err;
	const char *partial;	/* a list known only in part: its path */
};

struct ev {
	json_t *facts, *params, *unavailable;
	json_t **env;
	pcre2_match_context *mctx;
};

static struct val
cond_unknown(const char *missing, enum everr err)
{
	struct val v = {NULL, missing, err, NULL};

	return v;
}

static struct val
cond_known(json_t *j)
{
	struct val v = {j, NULL, E_NONE, NULL};

	return v;
}

static bool cond_json_has(json_t *j, enum ty t);

/* true when the collectors marked path, or (unless exact) a dotted prefix
 * of it, as not known ("accounts" covers "accounts.users"). A field of a
 * list item is marked only by its own path: the items of a partial list
 * are whole. */
static bool
cond_marked(struct ev *E, const char *path, bool exact)
{
	char buf[256], *dot;

	if (E->unavailable == NULL || json_object_size(E->unavailable) == 0)
		return false;
	if (exact)
		return json_object_get(E->unavailable, path) != NULL;
	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return true;
	for (;;) {
		if (json_object_get(E->unavailable, buf) != NULL)
			return true;
		if ((dot = strrchr(buf, '.')) == NULL)
			return false;
		*dot = '\0';
	}
}

/* The value j (borrowed) of the fact or field at path, given its type:
 * unknown when absent, mistyped, or marked unavailable (a marked list is
 * returned as partial). */
static struct val
cond_fact(struct ev *E, json_t *j, const char *path, enum ty t, bool field)
{
	struct val v;

	if (j == NULL || json_is_null(j))
		return cond_unknown(path, E_NONE);
	if (!cond_json_has(j, t))
		return cond_unknown(path, E_TYPE);
	if (!cond_marked(E, path, field))
		return cond_known(json_incref(j));
	if (!json_is_array(j))
		return cond_unknown(path, E_NONE);
	v = cond_known(json_incref(j));
	v.partial = path;
	return v;
}

static struct val
cond_boolv(bool b)
{
	return cond_known(json_boolean(b));
}

static enum tri
cond_tri(struct val v)
{
	if (v.j == NULL)
		return TRI_UNKNOWN;
	return json_is_true(v.j) ? TRI_TRUE : TRI_FALSE;
}

static bool
cond_json_has(json_t *j, enum ty t)
{
	switch (t) {
	case TY_BOOL: return json_is_boolean(j);
	case TY_INT: return json_is_integer(j);
	case TY_STR: return json_is_string(j);
	case TY_OBJ: return json_is_object(j);
	case TY_LSTR: case TY_LINT: case TY_LOBJ: case TY_LANY:
		return json_is_array(j);
	}
	return false;
}

static struct val cond_ev(struct ev *E, const struct node *n);

static struct val
cond_ev_match(struct ev *E, const struct node *n)
{
	struct val a = cond_ev(E, n->a);
	const char *s;
	size_t len, i;
	bool hit = false;

	if (a.j == NULL)
		return a;
	s = json_string_value(a.j);
	len = json_string_length(a.j);
	for (i = 0; i < n->nre && !hit; i++) {
		pcre2_match_data *md =
		    pcre2_match_data_create_from_pattern(n->re[i], NULL);
		int rc;

		if (md == NULL)
			abort();
		rc = pcre2_match(n->re[i], (PCRE2_SPTR)s, len, 0, 0, md,
		    E->mctx);
		pcre2_match_data_free(md);
		if (rc >= 0)
			hit = true;
		else if (rc != PCRE2_ERROR_NOMATCH) {
			json_decref(a.j);
			return cond_unknown(NULL,
			    rc == PCRE2_ERROR_MATCHLIMIT ||
			    rc == PCRE2_ERROR_DEPTHLIMIT ||
			    rc == PCRE2_ERROR_HEAPLIMIT ? E_REGEX_LIMIT :
			    E_REGEX);
		}
	}
	json_decref(a.j);
	return cond_boolv(hit != n->negate);
}

/* One item of a quantifier: the value of FILTER and BODY combined as the
 * quantifier needs (all: not F or C; any, none, count: F and C). */
static struct val
cond_ev_item(struct ev *E, const struct node *q, json_t *item)
{
	struct val f, c;
	enum tri tf;

	E->env[q->slot] = item;
	if (q->b == NULL)
		return cond_ev(E, q->c);
	f = cond_ev(E, q->b);
	tf = cond_tri(f);
	if (tf == TRI_FALSE) {
		json_decref(f.j);
		return cond_boolv(q->k == N_ALL);
	}
	c = cond_ev(E, q->c);
	if (tf == TRI_TRUE) {
		json_decref(f.j);
		return c;
	}
	/* filter unknown */
	if ((q->k == N_ALL && cond_tri(c) == TRI_TRUE) ||
	    (q->k != N_ALL && cond_tri(c) == TRI_FALSE))
		return c;
	json_decref(c.j);
	return f;
}

static bool
cond_item_ok(const struct node *q, json_t *item)
{
	switch (q->a->t.t) {
	case TY_LOBJ: return json_is_object(item);
	case TY_LINT: return json_is_integer(item);
	default: return json_is_string(item);
	}
}

static const char *
cond_list_path(const struct node *list)
{
	if (list->k == N_FACT || list->k == N_FIELD)
		return list->path;
	return NULL;
}

static struct val
cond_ev_quant(struct ev *E, const struct node *q)
{
	struct val l = cond_ev(E, q->a), unk = {NULL, NULL, E_NONE, NULL};
	bool have_unk = false, decided = false, result;
	long long count = 0;
	size_t i;
	json_t *item;

	if (l.j == NULL)
		return l;
	result = q->k == N_ALL;
	json_array_foreach(l.j, i, item) {
		struct val v;
		enum tri t;

		if (!cond_item_ok(q, item)) {
			v = cond_unknown(cond_list_path(q->a), E_TYPE);
		} else
			v = cond_ev_item(E, q, item);
		t = cond_tri(v);
		json_decref(v.j);
		if (t == TRI_UNKNOWN) {
			if (!have_unk)
				unk = v;
			have_unk = true;
			continue;
		}
		if (q->k == N_COUNT) {
			count += t == TRI_TRUE;
			continue;
		}
		if (q->k == N_ALL && t == TRI_FALSE) {
			result = false;
			decided = true;
			break;
		}
		if (q->k != N_ALL && t == TRI_TRUE) {
			result = true;
			decided = true;
			break;
		}
	}
	E->env[q->slot] = NULL;
	json_decref(l.j);
	if (!decided && have_unk)
		return unk;
	/* A partial list decides only through an item that settled it;
	 * a count over it is never known. */
	if (l.partial != NULL && (!decided || q->k == N_COUNT))
		return cond_unknown(l.partial, E_NONE);
	if (q->k == N_COUNT)
		return cond_known(json_integer(count));
	if (q->k == N_NONE)
		result = !result;
	return cond_boolv(result);
}

static struct val
cond_ev(struct ev *E, const struct node *n)
{
	struct val a, b;
	json_t *j;
	enum tri ta, tb;

	switch (n->k) {
	case N_BOOL:
	case N_INT:
	case N_STR:
	case N_LIST:
		return cond_known(json_incref(n->lit));
	case N_FACT:
		return cond_fact(E, json_path(E->facts, n->path), n->path,
		    n->t.t, false);
	case N_PARAM:
		j = json_object_get(E->params, n->path);
		if (j == NULL || !cond_json_has(j, n->t.t))
			return cond_unknown(NULL, E_TYPE);
		return cond_known(json_incref(j));
	case N_VAR:
		return cond_known(json_incref(E->env[n->slot]));
	case N_FIELD:
		return cond_fact(E, json_object_get(E->env[n->slot], n->field),
		    n->path, n->t.t, true);
	case N_AND:
	case N_OR: {
		enum tri dom = n->k == N_AND ? TRI_FALSE : TRI_TRUE;

		a = cond_ev(E, n->a);
		if ((ta = cond_tri(a)) == dom)
			return a;
		b = cond_ev(E, n->b);
		if ((tb = cond_tri(b)) == dom || ta == TRI_TRUE ||
		    ta == TRI_FALSE) {
			json_decref(a.j);
			return b;
		}
		json_decref(b.j);
		return a;
	}
	case N_NOT:
		a = cond_ev(E, n->a);
		if (a.j == NULL)
			return a;
		ta = cond_tri(a);
		json_decref(a.j);
		return cond_boolv(ta == TRI_FALSE);
	case N_CMP:
	case N_IN: {
		bool r = false;

		a = cond_ev(E, n->a);
		if (a.j == NULL)
			return a;
		b = cond_ev(E, n->b);
		if (b.j == NULL) {
			json_decref(a.j);
			return b;
		}
		if (n->k == N_IN) {
			size_t i;
			json_t *it;

			json_array_foreach(b.j, i, it)
				if (json_equal(a.j, it)) {
					r = true;
					break;
				}
			if (!r && b.partial != NULL) {
				/* not among the known part: unknown */
				json_decref(a.j);
				json_decref(b.j);
				return cond_unknown(b.partial, E_NONE);
			}
			r = r != n->negate;
		} else if (a.partial != NULL || b.partial != NULL) {
			const char *pp = a.partial ? a.partial : b.partial;

			json_decref(a.j);
			json_decref(b.j);
			return cond_unknown(pp, E_NONE);
		} else if (n->op == OP_EQ || n->op == OP_NE) {
			r = json_equal(a.j, b.j) == (n->op == OP_EQ);
		} else {
			json_int_t x = json_integer_value(a.j);
			json_int_t y = json_integer_value(b.j);

			r = n->op == OP_LT ? x < y : n->op == OP_LE ? x <= y :
			    n->op == OP_GT ? x > y : x >= y;
		}
		json_decref(a.j);
		json_decref(b.j);
		return cond_boolv(r);
	}
	case N_MATCH:
		return cond_ev_match(E, n);
	case N_ALL:
	case N_ANY:
	case N_NONE:
	case N_COUNT:
		return cond_ev_quant(E, n);
	case N_COUNT_LIST:
		a = cond_ev(E, n->a);
		if (a.j == NULL)
			return a;
		if (a.partial != NULL) {
			json_decref(a.j);
			return cond_unknown(a.partial, E_NONE);
		}
		j = json_integer((json_int_t)json_array_size(a.j));
		json_decref(a.j);
		return cond_known(j);
	}
	return cond_unknown(NULL, E_TYPE);
}

/* Evidence. */

struct sb {
	char *b;
	size_t n, cap;
	bool full;
};

static void
cond_sb_grow(struct sb *s, size_t n)
{
	if (s->n + n + 1 > s->cap) {
		s->cap = (s->n + n + 1) * 2;
		s->b = realloc(s->b, s->cap);
		if (s->b == NULL)
			abort();
	}
}

/* Appends p[0..n); past COND_MAX_EVIDENCE bytes the text ends with "…". */
static void
cond_sb_add(struct sb *s, const char *p, size_t n)
{
	bool cut = false;

	if (s->full)
		return;
	if (s->n + n > COND_MAX_EVIDENCE) {
		n = COND_MAX_EVIDENCE - s->n;
		while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
		cut = true;
	}
	cond_sb_grow(s, n + 4);
	memcpy(s->b + s->n, p, n);
	s->n += n;
	if (cut) {
		memcpy(s->b + s->n, "\xe2\x80\xa6", 3);
		s->n += 3;
		s->full = true;
	}
	s->b[s->n] = '\0';
}

static void
cond_sb_str(struct sb *s, const char *p)
{
	cond_sb_add(s, p, strlen(p));
}

static void
cond_sb_printf(struct sb *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
cond_sb_printf(struct sb *s, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		cond_sb_add(s, buf, (size_t)n < sizeof(buf) ? (size_t)n :
		    sizeof(buf) - 1);
}

/* A string escaped JSON-style, at most COND_MAX_STRING bytes of it. */
static void
cond_sb_escaped(struct sb *s, const char *p, size_t len, bool quote)
{
	size_t i, n = len;
	bool cut = false;

	if (n > COND_MAX_STRING) {
		n = COND_MAX_STRING;
		while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
		cut = true;
	}
	if (quote)
		cond_sb_add(s, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};

			cond_sb_add(s, e, 2);
		} else if (c == '\n')
			cond_sb_add(s, "\\n", 2);
		else if (c == '\t')
			cond_sb_add(s, "\\t", 2);
		else if (c == '\r')
			cond_sb_add(s, "\\r", 2);
		else if (c < 0x20 || c == 0x7f)
			cond_sb_printf(s, "\\u%04x", c);
		else
			cond_sb_add(s, p + i, 1);
	}
	if (cut)
		cond_sb_str(s, "…");
	if (quote)
		cond_sb_add(s, "\"", 1);
}

static void
cond_sb_json(struct sb *s, json_t *v)
{
	size_t i;
	json_t *it;

	if (v == NULL)
		cond_sb_str(s, "?");
	else if (json_is_string(v))
		cond_sb_escaped(s, json_string_value(v), json_string_length(v),
		    true);
	else if (json_is_integer(v))
		cond_sb_printf(s, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
	else if (json_is_boolean(v))
		cond_sb_str(s, json_is_true(v) ? "true" : "false");
	else if (json_is_array(v)) {
		cond_sb_str(s, "[");
		json_array_foreach(v, i, it) {
			if (i == COND_MAX_ITEMS) {
				cond_sb_printf(s, ", … (+%zu)",
				    json_array_size(v) - i);
				break;
			}
			if (i > 0)
				cond_sb_str(s, ", ");
			cond_sb_json(s, it);
		}
		cond_sb_str(s, "]");
	} else if (json_is_object(v))
		cond_sb_str(s, "{…}");
	else
		cond_sb_str(s, "null");
}

/* The source text of n with runs of white space made one space. */
static void
cond_sb_source(struct sb *s, const struct cond *c, const struct node *n)
{
	size_t i, out = 0;
	bool sp = false;

	for (i = n->off; i < n->off + n->len && i < c->len; i++) {
		char ch = c->text[i];

		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			sp = true;
			continue;
		}
		if (sp && out > 0)
			cond_sb_add(s, " ", 1);
		sp = false;
		if (++out > COND_MAX_STRING) {
			cond_sb_str(s, "…");
			return;
		}
		cond_sb_add(s, &c->text[i], 1);
	}
}

struct xp {
	struct ev *E;
	const struct cond *c;
	struct sb out;
	int nfrag;
};

/* Appends fragment f to the evidence unless it is already there. */
static void
cond_frag(struct xp *X, struct sb *f)
{
	if (f->b == NULL || f->n == 0)
		return;
	if (X->out.b != NULL && strstr(X->out.b, f->b) != NULL) {
		free(f->b);
		return;
	}
	if (X->nfrag++ > 0)
		cond_sb_str(&X->out, " | ");
	cond_sb_add(&X->out, f->b, f->n);
	free(f->b);
}

static void
cond_sb_label(struct xp *X, struct sb *s, const struct node *n)
{
	if (n->k == N_FACT)
		cond_sb_str(s, n->path);
	else if (n->k == N_PARAM)
		cond_sb_printf(s, "param.%s", n->path);
	else
		cond_sb_source(s, X->c, n);
}

static void
cond_sb_item(struct sb *s, const struct node *q, json_t *item, size_t idx)
{
	size_t i, shown = 0;

	if (!json_is_object(item)) {
		cond_sb_json(s, item);
		return;
	}
	{
		const char *kname = q->field;	/* key field name, or NULL */
		json_t *kv = kname ? json_object_get(item, kname) : NULL;

		if (kv != NULL && json_is_string(kv))
			cond_sb_escaped(s, json_string_value(kv),
			    json_string_length(kv), false);
		else if (kv != NULL)
			cond_sb_json(s, kv);
		else
			cond_sb_printf(s, "#%zu", idx + 1);
		for (i = 0; i < q->nfields; i++) {
			if (kname != NULL && strcmp(q->fields[i], kname) == 0)
				continue;
			cond_sb_str(s, shown++ == 0 ? " (" : ", ");
			cond_sb_str(s, q->fields[i]);
			cond_sb_str(s, " = ");
			cond_sb_json(s, json_object_get(item, q->fields[i]));
		}
		if (shown > 0)
			cond_sb_str(s, ")");
	}
}

/* Lists the items of q whose per-item value is want (TRI_TRUE: counted /
 * matched; TRI_FALSE: breaking "all"). Returns the number of such items
 * and, in *nfilter, the items that passed the filter. */
static size_t
cond_sb_items(struct xp *X, struct sb *s, const struct node *q, json_t *list,
    enum tri want, size_t *nfilter)
{
	size_t i, hits = 0;
	json_t *item;

	*nfilter = 0;
	json_array_foreach(list, i, item) {
		struct val v;
		enum tri t;

		if (!cond_item_ok(q, item))
			continue;
		X->E->env[q->slot] = item;
		if (q->b != NULL) {
			v = cond_ev(X->E, q->b);
			t = cond_tri(v);
			json_decref(v.j);
			if (t != TRI_TRUE)
				continue;
		}
		(*nfilter)++;
		v = cond_ev(X->E, q->c);
		t = cond_tri(v);
		json_decref(v.j);
		if (t != want)
			continue;
		if (hits < COND_MAX_ITEMS) {
			if (s != NULL) {
				cond_sb_str(s, hits == 0 ? " " : "; ");
				cond_sb_item(s, q, item, i);
			}
		}
		hits++;
	}
	X->E->env[q->slot] = NULL;
	if (s != NULL && hits > COND_MAX_ITEMS)
		cond_sb_printf(s, "; và %zu mục khác / and %zu more",
		    hits - COND_MAX_ITEMS, hits - COND_MAX_ITEMS);
	return hits;
}

static void
cond_x_quant(struct xp *X, const struct node *q, enum tri t)
{
	struct sb f = {0}, tmp = {0};
	struct val l = cond_ev(X->E, q->a);
	size_t nf, hits;
	bool list_items;

	if (l.j == NULL)
		return;
	cond_sb_label(X, &f, q->a);
	cond_sb_str(&f, ":");
	/* all false: the items breaking it; any true, none false: the
	 * items matching; otherwise how many matched. */
	list_items = (q->k == N_ALL && t == TRI_FALSE) ||
	    (q->k != N_ALL && t == (q->k == N_ANY ? TRI_TRUE : TRI_FALSE));
	if (json_array_size(l.j) == 0) {
		cond_sb_str(&f, " []");
	} else if (list_items) {
		cond_sb_items(X, &f, q, l.j, q->k == N_ALL ? TRI_FALSE :
		    TRI_TRUE, &nf);
	} else {
		hits = cond_sb_items(X, NULL, q, l.j, TRI_TRUE, &nf);
		cond_sb_printf(&f, " %zu/%zu matched", hits, nf);
		/* "any" false: show what was there instead. */
		if (q->k == N_ANY && nf > 0) {
			cond_sb_str(&f, ":");
			cond_sb_items(X, &f, q, l.j, TRI_FALSE, &nf);
		}
	}
	free(tmp.b);
	json_decref(l.j);
	cond_frag(X, &f);
}

/* "label = value" of an operand that is not a literal. */
static void
cond_x_operand(struct xp *X, const struct node *n)
{
	struct sb f = {0};
	struct val v;
	size_t nf;

	if (n->k != N_FACT && n->k != N_PARAM && n->k != N_COUNT &&
	    n->k != N_COUNT_LIST)
		return;
	if (n->k == N_PARAM && (n->t.t == TY_LSTR || n->t.t == TY_LINT))
		return;
	v = cond_ev(X->E, n);
	if (v.j == NULL)
		return;
	cond_sb_label(X, &f, n);
	cond_sb_str(&f, " = ");
	cond_sb_json(&f, v.j);
	json_decref(v.j);
	if (n->k == N_COUNT_LIST) {
		struct val l = cond_ev(X->E, n->a);
		json_t *item;
		size_t i;

		json_array_foreach(l.j, i, item) {
			if (i == COND_MAX_ITEMS) {
				cond_sb_printf(&f, "; và %zu mục khác / and %zu "
				    "more", json_array_size(l.j) - i,
				    json_array_size(l.j) - i);
				break;
			}
			cond_sb_str(&f, i == 0 ? ": " : "; ");
			cond_sb_item(&f, n, item, i);
		}
		json_decref(l.j);
	}
	if (n->k == N_COUNT) {
		struct val l = cond_ev(X->E, n->a);

		if (l.j != NULL) {
			struct sb items = {0};

			if (cond_sb_items(X, &items, n, l.j, TRI_TRUE, &nf) >
			    0) {
				cond_sb_str(&f, ":");
				cond_sb_add(&f, items.b, items.n);
			}
			free(items.b);
			json_decref(l.j);
		}
	}
	cond_frag(X, &f);
}

static void
cond_explain(struct xp *X, const struct node *n)
{
	struct val v = cond_ev(X->E, n);
	enum tri t = cond_tri(v);

	json_decref(v.j);
	if (t == TRI_UNKNOWN || X->out.full)
		return;
	switch (n->k) {
	case N_AND:
	case N_OR: {
		enum tri dom = n->k == N_AND ? TRI_FALSE : TRI_TRUE;
		const struct node *kids[2] = {n->a, n->b};
		int i;

		for (i = 0; i < 2; i++) {
			struct val k;
			enum tri tk;

			if (t != dom) {
				cond_explain(X, kids[i]);
				continue;
			}
			k = cond_ev(X->E, kids[i]);
			tk = cond_tri(k);
			json_decref(k.j);
			if (tk == dom)
				cond_explain(X, kids[i]);
		}
		break;
	}
	case N_NOT:
		cond_explain(X, n->a);
		break;
	case N_CMP:
	case N_IN:
	case N_MATCH:
		cond_x_operand(X, n->a);
		cond_x_operand(X, n->b);
		break;
	case N_FACT:
	case N_PARAM:
		cond_x_operand(X, n);
		break;
	case N_ALL:
	case N_ANY:
	case N_NONE:
		cond_x_quant(X, n, t);
		break;
	default:
		break;
	}
}

void
cond_result_free(struct cond_result *r)
{
	if (r == NULL)
		return;
	free(r->missing);
	free(r->error_vi);
	free(r->error_en);
	free(r->evidence);
	memset(r, 0, sizeof(*r));
}

void
cond_eval(const struct cond *c, json_t *facts, json_t *unavailable,
    json_t *params, bool evidence, struct cond_result *out)
{
	struct ev E;
	struct val v;
	json_t *envbuf[COND_MAX_DEPTH + 1] = {0};

	memset(out, 0, sizeof(*out));
	memset(&E, 0, sizeof(E));
	E.facts = facts;
	E.unavailable = unavailable;
	E.params = params;
	E.env = envbuf;
	E.mctx = pcre2_match_context_create(NULL);
	if (E.mctx == NULL)
		abort();
	pcre2_set_match_limit(E.mctx, COND_MATCH_LIMIT);
	pcre2_set_depth_limit(E.mctx, COND_DEPTH_LIMIT);
	pcre2_set_heap_limit(E.mctx, COND_HEAP_LIMIT);
	v = cond_ev(&E, c->root);
	out->value = cond_tri(v);
	json_decref(v.j);
	if (out->value == TRI_UNKNOWN) {
		if (v.missing != NULL)
			out->missing = text_dup(v.missing);
		switch (v.err) {
		case E_NONE:
			break;
		case E_REGEX_LIMIT:
			out->error_vi = text_dup("biểu thức chính quy vượt "
			    "giới hạn so khớp");
			out->error_en = text_dup("regular expression exceeded "
			    "its match limit");
			break;
		case E_REGEX:
			out->error_vi = text_dup("lỗi khi so khớp biểu thức "
			    "chính quy");
			out->error_en = text_dup("regular expression match "
			    "failed");
			break;
		case E_TYPE:
			out->error_vi = text_printf("thông tin %s có kiểu "
			    "không đúng lược đồ", v.missing ? v.missing : "?");
			out->error_en = text_printf("fact %s does not have "
			    "the type of the schema", v.missing ? v.missing :
			    "?");
			break;
		}
	} else if (evidence) {
		struct xp X;

		memset(&X, 0, sizeof(X));
		X.E = &E;
		X.c = c;
		cond_explain(&X, c->root);
		out->evidence = X.out.b;
	}
	pcre2_match_context_free(E.mctx);
}
