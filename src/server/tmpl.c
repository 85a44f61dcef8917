/*
 * tmpl.c — the console's templates (tmpl.h): each text is parsed once at
 * start-up into a tree of nodes (text, value, raw value, section, inverted
 * section, partial, message); rendering walks the tree over a jansson
 * model with a stack of contexts. Errors of a template are found when it
 * is parsed, with the file:line:col of the tag, so that canhgacd refuses
 * to start rather than show a broken page. Output and depth are bounded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/text.h"
#include "server/tmpl.h"

enum tmpl_kind {
	N_TEXT, N_VALUE, N_RAW, N_SEGMENT, N_SECTION, N_INVERTED, N_PARTIAL,
	N_MSG
};

struct tmpl_node {
	enum tmpl_kind kind;
	char *text;			/* text, or the tag's name */
	size_t len;
	int line, col;
	struct tmpl_node *child;	/* sections */
	struct tmpl_node *next;
};

struct tmpl {
	char *name, *file;
	struct tmpl_node *root;
};

struct tmpl_set {
	struct tmpl *t;
	size_t n, cap;
};

static void
tmpl_nodes_free(struct tmpl_node *n)
{
	while (n != NULL) {
		struct tmpl_node *next = n->next;

		tmpl_nodes_free(n->child);
		free(n->text);
		free(n);
		n = next;
	}
}

struct tmpl_set *
tmpl_set_new(void)
{
	return calloc(1, sizeof(struct tmpl_set));
}

void
tmpl_set_free(struct tmpl_set *ts)
{
	size_t i;

	if (ts == NULL)
		return;
	for (i = 0; i < ts->n; i++) {
		tmpl_nodes_free(ts->t[i].root);
		free(ts->t[i].name);
		free(ts->t[i].file);
	}
	free(ts->t);
	free(ts);
}

static const struct tmpl *
tmpl_find(const struct tmpl_set *ts, const char *name)
{
	size_t i;

	for (i = 0; i < ts->n; i++)
		if (strcmp(ts->t[i].name, name) == 0)
			return &ts->t[i];
	return NULL;
}

bool
tmpl_exists(const struct tmpl_set *ts, const char *name)
{
	return tmpl_find(ts, name) != NULL;
}

/* --- parsing ------------------------------------------------------------ */

struct tmpl_parser {
	const char *file;
	const char *p, *end, *start;
	int line, col;
	char *err;
	size_t errlen;
};

static void
tmpl_advance(struct tmpl_parser *ps, size_t n)
{
	while (n-- > 0 && ps->p < ps->end) {
		if (*ps->p == '\n') {
			ps->line++;
			ps->col = 1;
		} else if (((unsigned char)*ps->p & 0xc0) != 0x80)
			ps->col++;
		ps->p++;
	}
}

static int
tmpl_fail(struct tmpl_parser *ps, int line, int col, const char *vi,
    const char *en, const char *name)
{
	snprintf(ps->err, ps->errlen, "%s:%d:%d: %s%s%s%s — %s%s%s%s", ps->file,
	    line, col, vi, name ? " “" : "", name ? name : "", name ? "”" : "",
	    en, name ? " “" : "", name ? name : "", name ? "”" : "");
	return -1;
}

/* [A-Za-z0-9_.-]{1,TMPL_NAME_MAX}, or "." alone; no empty segment. */
static bool
tmpl_name_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 1 && s[0] == '.')
		return true;
	if (len == 0 || len > TMPL_NAME_MAX || s[0] == '.' ||
	    s[len - 1] == '.')
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		    c == '.'))
			return false;
		if (c == '.' && i + 1 < len && s[i + 1] == '.')
			return false;
	}
	return true;
}

static struct tmpl_node *
tmpl_node_new(enum tmpl_kind kind, const char *s, size_t len, int line,
    int col)
{
	struct tmpl_node *n = calloc(1, sizeof(*n));

	if (n == NULL)
		return NULL;
	n->kind = kind;
	n->text = text_ndup(s, len);
	n->len = len;
	n->line = line;
	n->col = col;
	return n;
}

/* Parses nodes until the end or until {{/close}}; *out gets the list. */
static int
tmpl_parse_list(struct tmpl_parser *ps, const char *close, int depth,
    int oline, int ocol, struct tmpl_node **out)
{
	struct tmpl_node **tail = out;

	*out = NULL;
	if (depth > TMPL_MAX_DEPTH)
		return tmpl_fail(ps, oline, ocol, "các phần lồng nhau quá sâu",
		    "sections nested too deeply", NULL);
	while (ps->p < ps->end) {
		const char *open = NULL, *q, *tag, *tend;
		struct tmpl_node *n;
		size_t tlen;
		int line, col;
		char sigil;

		for (q = ps->p; q + 1 < ps->end; q++)
			if (q[0] == '{' && q[1] == '{') {
				open = q;
				break;
			}
		if (open == NULL)
			open = ps->end;
		if (open > ps->p) {
			n = tmpl_node_new(N_TEXT, ps->p, (size_t)(open - ps->p),
			    ps->line, ps->col);
			if (n == NULL)
				return tmpl_fail(ps, ps->line, ps->col,
				    "hết bộ nhớ", "out of memory", NULL);
			*tail = n;
			tail = &n->next;
			tmpl_advance(ps, (size_t)(open - ps->p));
		}
		if (ps->p >= ps->end)
			break;
		line = ps->line;
		col = ps->col;
		tag = ps->p + 2;
		for (q = tag; q + 1 < ps->end; q++)
			if (q[0] == '}' && q[1] == '}')
				break;
		if (q + 1 >= ps->end)
			return tmpl_fail(ps, line, col, "thẻ “{{” không được "
			    "đóng", "tag “{{” is not closed", NULL);
		tend = q;
		if (tend < ps->end - 2 && tend[2] == '}')
			return tmpl_fail(ps, line, col, "không dùng “{{{…}}}”; "
			    "dùng {{& html_…}}", "“{{{…}}}” is not supported; "
			    "use {{& html_…}}", NULL);
		sigil = tag < tend ? *tag : '\0';
		if (sigil == '#' || sigil == '^' || sigil == '/' ||
		    sigil == '>' || sigil == '_' || sigil == '&' ||
		    sigil == '%' || sigil == '!' || sigil == '{' ||
		    sigil == '=')
			tag++;
		else
			sigil = '\0';
		/* The name without surrounding spaces. */
		while (tag < tend && (*tag == ' ' || *tag == '\t'))
			tag++;
		while (tend > tag && (tend[-1] == ' ' || tend[-1] == '\t'))
			tend--;
		tlen = (size_t)(tend - tag);
		tmpl_advance(ps, (size_t)(q + 2 - ps->p));
		if (sigil == '!')
			continue;
		if (sigil == '{' || sigil == '=')
			return tmpl_fail(ps, line, col, "loại thẻ không được hỗ "
			    "trợ", "unsupported kind of tag", NULL);
		if (!tmpl_name_valid(tag, tlen)) {
			char name[TMPL_NAME_MAX + 1];

			snprintf(name, sizeof(name), "%.*s", (int)(tlen >
			    TMPL_NAME_MAX ? TMPL_NAME_MAX : tlen), tag);
			return tmpl_fail(ps, line, col, "tên không hợp lệ trong "
			    "thẻ", "invalid name in tag", name);
		}
		if (sigil == '/') {
			if (close == NULL || strlen(close) != tlen ||
			    memcmp(close, tag, tlen) != 0) {
				char name[TMPL_NAME_MAX + 1];

				snprintf(name, sizeof(name), "%.*s", (int)tlen,
				    tag);
				return tmpl_fail(ps, line, col, "thẻ đóng không "
				    "khớp với phần nào đang mở", "closing tag "
				    "matches no open section", name);
			}
			return 0;
		}
		switch (sigil) {
		case '#': n = tmpl_node_new(N_SECTION, tag, tlen, line, col);
			break;
		case '^': n = tmpl_node_new(N_INVERTED, tag, tlen, line, col);
			break;
		case '>': n = tmpl_node_new(N_PARTIAL, tag, tlen, line, col);
			break;
		case '_': n = tmpl_node_new(N_MSG, tag, tlen, line, col);
			break;
		case '&': n = tmpl_node_new(N_RAW, tag, tlen, line, col);
			break;
		case '%': n = tmpl_node_new(N_SEGMENT, tag, tlen, line, col);
			break;
		default: n = tmpl_node_new(N_VALUE, tag, tlen, line, col);
			break;
		}
		if (n == NULL)
			return tmpl_fail(ps, line, col, "hết bộ nhớ",
			    "out of memory", NULL);
		*tail = n;
		tail = &n->next;
		if (n->kind == N_RAW) {
			const char *last = strrchr(n->text, '.');

			last = last ? last + 1 : n->text;
			if (strncmp(last, "html_", 5) != 0)
				return tmpl_fail(ps, line, col, "chỉ được in thô "
				    "(không thoát) các khóa bắt đầu bằng html_",
				    "only keys starting with html_ may be output "
				    "raw (unescaped)", n->text);
		}
		if ((n->kind == N_PARTIAL || n->kind == N_MSG) &&
		    strcmp(n->text, ".") == 0)
			return tmpl_fail(ps, line, col, "tên không hợp lệ",
			    "invalid name", n->text);
		if (n->kind == N_SECTION || n->kind == N_INVERTED) {
			if (tmpl_parse_list(ps, n->text, depth + 1, line, col,
			    &n->child) != 0)
				return -1;
		}
	}
	if (close != NULL)
		return tmpl_fail(ps, oline, ocol, "phần không được đóng",
		    "section is not closed", close);
	return 0;
}

int
tmpl_set_add(struct tmpl_set *ts, const char *name, const char *file,
    const char *text, size_t len, char *err, size_t errlen)
{
	struct tmpl_parser ps;
	struct tmpl_node *root;
	struct tmpl *t;

	if (file == NULL)
		file = name;
	if (tmpl_find(ts, name) != NULL) {
		snprintf(err, errlen, "%s: mẫu “%s” đã có — template “%s” "
		    "already exists", file, name, name);
		return -1;
	}
	if (!text_valid_utf8(text, len)) {
		snprintf(err, errlen, "%s: không phải UTF-8 hợp lệ — not valid "
		    "UTF-8", file);
		return -1;
	}
	memset(&ps, 0, sizeof(ps));
	ps.file = file;
	ps.p = ps.start = text;
	ps.end = text + len;
	ps.line = ps.col = 1;
	ps.err = err;
	ps.errlen = errlen;
	if (tmpl_parse_list(&ps, NULL, 0, 1, 1, &root) != 0) {
		tmpl_nodes_free(root);
		return -1;
	}
	if (ts->n == ts->cap) {
		size_t cap = ts->cap ? ts->cap * 2 : 16;
		struct tmpl *nt = realloc(ts->t, cap * sizeof(*nt));

		if (nt == NULL) {
			tmpl_nodes_free(root);
			snprintf(err, errlen, "hết bộ nhớ — out of memory");
			return -1;
		}
		ts->t = nt;
		ts->cap = cap;
	}
	t = &ts->t[ts->n++];
	t->name = text_dup(name);
	t->file = text_dup(file);
	t->root = root;
	return 0;
}

static int
tmpl_check_nodes(const struct tmpl_set *ts, const struct tmpl *t,
    const struct tmpl_node *n, bool (*has_msg)(void *, const char *),
    void *arg, char *err, size_t errlen)
{
	for (; n != NULL; n = n->next) {
		if (n->kind == N_PARTIAL && tmpl_find(ts, n->text) == NULL) {
			snprintf(err, errlen, "%s:%d:%d: không có mẫu con “%s” — "
			    "no partial template “%s”", t->file, n->line,
			    n->col, n->text, n->text);
			return -1;
		}
		if (n->kind == N_MSG && has_msg != NULL &&
		    !has_msg(arg, n->text)) {
			snprintf(err, errlen, "%s:%d:%d: danh mục thông điệp "
			    "không có “%s” (cả vi và en) — the message catalogue "
			    "lacks “%s” (in vi and en)", t->file, n->line,
			    n->col, n->text, n->text);
			return -1;
		}
		if (tmpl_check_nodes(ts, t, n->child, has_msg, arg, err,
		    errlen) != 0)
			return -1;
	}
	return 0;
}

int
tmpl_set_check(const struct tmpl_set *ts,
    bool (*has_msg)(void *arg, const char *msgid), void *arg, char *err,
    size_t errlen)
{
	size_t i;

	for (i = 0; i < ts->n; i++)
		if (tmpl_check_nodes(ts, &ts->t[i], ts->t[i].root, has_msg, arg,
		    err, errlen) != 0)
			return -1;
	return 0;
}

/* --- rendering ---------------------------------------------------------- */

struct tmpl_out {
	char *buf;
	size_t len, cap;
	bool full;
};

static void
tmpl_put(struct tmpl_out *o, const char *s, size_t len)
{
	if (o->full)
		return;
	if (len > TMPL_MAX_OUTPUT - o->len) {
		o->full = true;
		return;
	}
	if (o->len + len + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		char *nb;

		while (cap < o->len + len + 1)
			cap *= 2;
		if ((nb = realloc(o->buf, cap)) == NULL) {
			o->full = true;
			return;
		}
		o->buf = nb;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, len);
	o->len += len;
	o->buf[o->len] = '\0';
}

static void
tmpl_put_escaped(struct tmpl_out *o, const char *s, size_t len)
{
	size_t i, from = 0;

	for (i = 0; i < len; i++) {
		const char *e;

		switch (s[i]) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		case '`': e = "&#96;"; break;
		default: continue;
		}
		tmpl_put(o, s + from, i - from);
		tmpl_put(o, e, strlen(e));
		from = i + 1;
	}
	tmpl_put(o, s + from, len - from);
}

char *
tmpl_escape(const char *s)
{
	struct tmpl_out o;

	memset(&o, 0, sizeof(o));
	tmpl_put(&o, "", 0);
	tmpl_put_escaped(&o, s ? s : "", s ? strlen(s) : 0);
	if (o.buf == NULL)
		return text_dup("");
	return o.buf;
}

struct tmpl_render {
	const struct tmpl_set *ts;
	json_t *stack[TMPL_MAX_DEPTH * 2 + 2];
	int depth;
	const char *(*msg)(void *, const char *);
	void *arg;
	struct tmpl_out out;
	bool too_deep;
};

/* The value of a dotted name: the first segment from the innermost
 * context that has it, the rest inside it. */
static json_t *
tmpl_lookup(struct tmpl_render *r, const char *name)
{
	char seg[TMPL_NAME_MAX + 1];
	const char *p = name, *dot;
	json_t *v = NULL;
	int i;

	if (strcmp(name, ".") == 0)
		return r->stack[r->depth - 1];
	dot = strchr(p, '.');
	snprintf(seg, sizeof(seg), "%.*s", (int)(dot ? (size_t)(dot - p) :
	    strlen(p)), p);
	for (i = r->depth - 1; i >= 0; i--)
		if (json_is_object(r->stack[i]) &&
		    (v = json_object_get(r->stack[i], seg)) != NULL)
			break;
	while (v != NULL && dot != NULL) {
		p = dot + 1;
		dot = strchr(p, '.');
		snprintf(seg, sizeof(seg), "%.*s", (int)(dot ?
		    (size_t)(dot - p) : strlen(p)), p);
		v = json_is_object(v) ? json_object_get(v, seg) : NULL;
	}
	return v;
}

static bool
tmpl_truthy(json_t *v)
{
	if (v == NULL)
		return false;
	switch (json_typeof(v)) {
	case JSON_OBJECT: return true;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0.0;
	case JSON_TRUE: return true;
	default: return false;
	}
}

/* s as one segment of a URL path (text_url_segment: "/" too, so that a
 * host id "site:https://…" stays one segment), which also leaves nothing
 * for HTML to escape. */
static void
tmpl_put_segment(struct tmpl_out *o, const char *s, size_t len)
{
	char *e = text_url_segment(s, len);

	if (e == NULL) {
		o->full = true;		/* out of memory: the page fails */
		return;
	}
	tmpl_put(o, e, strlen(e));
	free(e);
}

enum tmpl_how { TMPL_ESCAPED, TMPL_RAW, TMPL_SEGMENT };

static void
tmpl_put_value(struct tmpl_render *r, json_t *v, enum tmpl_how how)
{
	char num[64];
	const char *s = NULL;
	size_t len = 0;

	if (v == NULL)
		return;
	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		len = json_string_length(v);
		break;
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		s = num;
		len = strlen(num);
		break;
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.10g", json_real_value(v));
		s = num;
		len = strlen(num);
		break;
	case JSON_TRUE:
		s = "true";
		len = 4;
		break;
	case JSON_FALSE:
		s = "false";
		len = 5;
		break;
	default:
		return;
	}
	if (how == TMPL_RAW)
		tmpl_put(&r->out, s, len);
	else if (how == TMPL_SEGMENT)
		tmpl_put_segment(&r->out, s, len);
	else
		tmpl_put_escaped(&r->out, s, len);
}

static void tmpl_walk(struct tmpl_render *, const struct tmpl_node *);

static void
tmpl_with(struct tmpl_render *r, json_t *ctx, const struct tmpl_node *n)
{
	if (r->depth >= (int)(sizeof(r->stack) / sizeof(r->stack[0]))) {
		r->too_deep = true;
		return;
	}
	r->stack[r->depth++] = ctx;
	tmpl_walk(r, n);
	r->depth--;
}

static void
tmpl_walk(struct tmpl_render *r, const struct tmpl_node *n)
{
	for (; n != NULL && !r->out.full && !r->too_deep; n = n->next) {
		json_t *v;
		const struct tmpl *t;
		const char *m;
		size_t i;

		switch (n->kind) {
		case N_TEXT:
			tmpl_put(&r->out, n->text, n->len);
			break;
		case N_VALUE:
			tmpl_put_value(r, tmpl_lookup(r, n->text),
			    TMPL_ESCAPED);
			break;
		case N_RAW:
			tmpl_put_value(r, tmpl_lookup(r, n->text), TMPL_RAW);
			break;
		case N_SEGMENT:
			tmpl_put_value(r, tmpl_lookup(r, n->text),
			    TMPL_SEGMENT);
			break;
		case N_MSG:
			m = r->msg ? r->msg(r->arg, n->text) : NULL;
			if (m != NULL)
				tmpl_put_escaped(&r->out, m, strlen(m));
			break;
		case N_SECTION:
			v = tmpl_lookup(r, n->text);
			if (!tmpl_truthy(v))
				break;
			if (json_is_array(v)) {
				for (i = 0; i < json_array_size(v); i++)
					tmpl_with(r, json_array_get(v, i),
					    n->child);
			} else
				tmpl_with(r, v, n->child);
			break;
		case N_INVERTED:
			if (!tmpl_truthy(tmpl_lookup(r, n->text)))
				tmpl_walk(r, n->child);
			break;
		case N_PARTIAL:
			if ((t = tmpl_find(r->ts, n->text)) == NULL)
				break;
			/* A partial counts as a level: recursion ends. */
			tmpl_with(r, r->stack[r->depth - 1], t->root);
			break;
		}
	}
}

int
tmpl_render(const struct tmpl_set *ts, const char *name, json_t *model,
    const char *(*msg)(void *arg, const char *msgid), void *arg, char **out,
    size_t *len, char *err, size_t errlen)
{
	struct tmpl_render r;
	const struct tmpl *t;

	*out = NULL;
	*len = 0;
	if ((t = tmpl_find(ts, name)) == NULL) {
		snprintf(err, errlen, "không có mẫu “%s” — no template “%s”",
		    name, name);
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.ts = ts;
	r.msg = msg;
	r.arg = arg;
	r.stack[r.depth++] = model;
	tmpl_put(&r.out, "", 0);
	tmpl_walk(&r, t->root);
	if (r.out.full || r.too_deep || r.out.buf == NULL) {
		free(r.out.buf);
		if (r.too_deep)
			snprintf(err, errlen, "%s: lồng nhau quá sâu (mẫu con gọi "
			    "lại chính nó?) — nested too deeply (a partial "
			    "calling itself?)", t->file);
		else
			snprintf(err, errlen, "%s: trang quá lớn (tối đa %u byte) "
			    "— page too large (at most %u bytes)", t->file,
			    TMPL_MAX_OUTPUT, TMPL_MAX_OUTPUT);
		return -1;
	}
	*out = r.out.buf;
	*len = r.out.len;
	return 0;
}
