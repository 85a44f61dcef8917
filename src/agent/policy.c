/*
 * policy.c — loads the policy (YAML files of checks, parameters and the
 * legal catalogue, docs/policy.md) with libyaml's event API into a small
 * tree that keeps every node's position, checks every member, then types
 * every condition against the schema (cond.c) once all files are read, and
 * evaluates checks over facts into pass / fail / na / error (policy.h).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "agent/policy.h"
#include "agent/cond.h"
#include "agent/embedded.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

#define POLICY_MAX_FILE (4u << 20)	/* bytes of one YAML file */
#define POLICY_MAX_FILES 256
#define POLICY_MAX_DEPTH 32		/* YAML nesting */
#define POLICY_MAX_NODES 200000		/* YAML nodes of one file */

static const char *const policy_severities[] = {
	"info", "low", "medium", "high", "critical", NULL
};
static const char *const policy_statuses[] = {
	"pass", "fail", "na", "error", NULL
};
static const char *const policy_kinds[] = {
	"law", "decree", "decision", "directive", "circular", "regulation",
	"standard", NULL
};

const char *
severity_name(enum severity s)
{
	return (unsigned)s <= SEV_CRITICAL ? policy_severities[s] : "?";
}

const char *
status_name(enum status s)
{
	return (unsigned)s <= ST_ERROR ? policy_statuses[s] : "?";
}

/* The YAML tree. */

enum ykind { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	enum ykind k;
	char *v;		/* scalar value, NUL-terminated */
	size_t vlen;
	yaml_scalar_style_t style;
	int line, col;		/* 0-based, as libyaml marks */
	struct ynode **kids;	/* map: key, value, key, value... */
	size_t n, cap;
};

/* Where a condition's text came from, to map its errors to the file. */
struct srcloc {
	size_t file;
	int line, col;
	yaml_scalar_style_t style;
	char *value;		/* the scalar's value (the condition) */
	size_t vlen;
};

/* A reference to a legal id, checked once every file is read. */
struct ref {
	char *id;
	size_t file;
	int line, col;
};

struct pfile {
	char *name, *text;
	size_t len;
};

struct loader {
	struct policy *p;
	struct pfile *files;
	size_t nfiles;
	size_t cur;		/* index of the file being read */
	struct srcloc *locs;	/* two per check: applies, condition */
	struct ref *refs;
	size_t nrefs;
	char *err;
	size_t errlen;
	bool failed;
	size_t nodes;
};

/* Records the first error: "file:line:col: vi — en". */
static void
policy_seterr(struct loader *L, size_t file, int line, int col,
    const char *vi, const char *en)
{
	const char *name;

	if (L->failed)
		return;
	L->failed = true;
	if (L->err == NULL || L->errlen == 0)
		return;
	name = file < L->nfiles ? L->files[file].name : "policy";
	if (line > 0)
		snprintf(L->err, L->errlen, "%s:%d:%d: %s — %s", name, line,
		    col, vi, en);
	else
		snprintf(L->err, L->errlen, "%s: %s — %s", name, vi, en);
}

/* Formats both texts with the same arguments. */
static void
policy_verr(struct loader *L, size_t file, int line, int col, const char *vi,
    const char *en, va_list ap)
{
	char bvi[512], ben[512];
	va_list ap2;

	va_copy(ap2, ap);
	vsnprintf(bvi, sizeof(bvi), vi, ap);
	vsnprintf(ben, sizeof(ben), en, ap2);
	va_end(ap2);
	policy_seterr(L, file, line, col, bvi, ben);
}

/* An error at 1-based line and column of file. */
static void
policy_ferr(struct loader *L, size_t file, int line, int col, const char *vi,
    const char *en, ...)
{
	va_list ap;

	va_start(ap, en);
	policy_verr(L, file, line, col, vi, en, ap);
	va_end(ap);
}

/* An error at node n of the current file. */
static void
policy_nerr(struct loader *L, const struct ynode *n, const char *vi,
    const char *en, ...)
{
	va_list ap;

	va_start(ap, en);
	policy_verr(L, L->cur, n ? n->line + 1 : 0, n ? n->col + 1 : 0, vi, en,
	    ap);
	va_end(ap);
}

static void
policy_ynode_free(struct ynode *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->n; i++)
		policy_ynode_free(n->kids[i]);
	free(n->kids);
	free(n->v);
	free(n);
}

static void
policy_ynode_add(struct ynode *parent, struct ynode *kid)
{
	if (parent->n == parent->cap) {
		parent->cap = parent->cap ? parent->cap * 2 : 8;
		parent->kids = realloc(parent->kids, parent->cap *
		    sizeof(*parent->kids));
		if (parent->kids == NULL)
			abort();
	}
	parent->kids[parent->n++] = kid;
}

static struct ynode *
policy_ynode_new(struct loader *L, enum ykind k, yaml_mark_t m)
{
	struct ynode *n;

	if (++L->nodes > POLICY_MAX_NODES) {
		policy_ferr(L, L->cur, (int)m.line + 1, (int)m.column + 1,
		    "tệp có quá nhiều phần tử YAML (tối đa %d)",
		    "too many YAML nodes in the file (at most %d)",
		    POLICY_MAX_NODES, POLICY_MAX_NODES);
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (n == NULL)
		abort();
	n->k = k;
	n->line = (int)m.line;
	n->col = (int)m.column;
	return n;
}

/* Reads one YAML document into a tree; aliases are refused (no policy
 * needs them, and they make "billion laughs" bombs), nesting is bounded.
 * *root is NULL for an empty file. Returns false on error. */
static bool
policy_yaml(struct loader *L, const char *text, size_t len,
    struct ynode **root)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct ynode *stack[POLICY_MAX_DEPTH + 1];
	int depth = 0, docs = 0;
	bool done = false, ok = false;

	*root = NULL;
	L->nodes = 0;
	if (!yaml_parser_initialize(&parser))
		abort();
	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
	    len);
	while (!done) {
		struct ynode *n = NULL;

		if (!yaml_parser_parse(&parser, &ev)) {
			policy_ferr(L, L->cur, (int)parser.problem_mark.line +
			    1, (int)parser.problem_mark.column + 1,
			    "lỗi cú pháp YAML: %s", "YAML syntax error: %s",
			    parser.problem ? parser.problem : "?",
			    parser.problem ? parser.problem : "?");
			goto out;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				policy_ferr(L, L->cur, (int)ev.start_mark.line +
				    1, (int)ev.start_mark.column + 1, "một tệp "
				    "chỉ chứa một tài liệu YAML", "a file "
				    "holds one YAML document only");
				yaml_event_delete(&ev);
				goto out;
			}
			break;
		case YAML_ALIAS_EVENT:
			policy_ferr(L, L->cur, (int)ev.start_mark.line + 1,
			    (int)ev.start_mark.column + 1, "không cho phép "
			    "bí danh YAML (*%s)", "YAML aliases (*%s) are "
			    "not allowed", (char *)ev.data.alias.anchor,
			    (char *)ev.data.alias.anchor);
			yaml_event_delete(&ev);
			goto out;
		case YAML_SCALAR_EVENT:
			if ((n = policy_ynode_new(L, Y_SCALAR,
			    ev.start_mark)) == NULL) {
				yaml_event_delete(&ev);
				goto out;
			}
			n->vlen = ev.data.scalar.length;
			n->v = text_ndup((const char *)ev.data.scalar.value,
			    n->vlen);
			n->style = ev.data.scalar.style;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (depth >= POLICY_MAX_DEPTH) {
				policy_ferr(L, L->cur, (int)ev.start_mark.line +
				    1, (int)ev.start_mark.column + 1, "YAML "
				    "lồng nhau quá sâu (tối đa %d)", "YAML "
				    "nested too deeply (at most %d)",
				    POLICY_MAX_DEPTH, POLICY_MAX_DEPTH);
				yaml_event_delete(&ev);
				goto out;
			}
			if ((n = policy_ynode_new(L, ev.type ==
			    YAML_SEQUENCE_START_EVENT ? Y_SEQ : Y_MAP,
			    ev.start_mark)) == NULL) {
				yaml_event_delete(&ev);
				goto out;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 0)
				depth--;
			break;
		default:
			break;
		}
		if (n != NULL) {
			if (depth > 0)
				policy_ynode_add(stack[depth - 1], n);
			else if (*root == NULL)
				*root = n;
			else
				policy_ynode_free(n);	/* cannot happen */
			if (n->k != Y_SCALAR)
				stack[depth++] = n;
		}
		yaml_event_delete(&ev);
	}
	ok = true;
out:
	yaml_parser_delete(&parser);
	if (!ok) {
		policy_ynode_free(*root);
		*root = NULL;
	}
	return ok;
}

/* Members. */

static const char *
policy_kind_name(enum ykind k)
{
	return k == Y_SCALAR ? "scalar" : k == Y_SEQ ? "list" : "mapping";
}

static bool
policy_need(struct loader *L, const struct ynode *n, enum ykind k,
    const char *what)
{
	static const char *const vi_kind[] = {"giá trị đơn", "danh sách",
	    "ánh xạ (mapping)"};
	char vi[160], en[160];

	if (n->k == k)
		return true;
	snprintf(vi, sizeof(vi), "%s phải là %s, không phải %s", what,
	    vi_kind[k], vi_kind[n->k]);
	snprintf(en, sizeof(en), "%s must be a %s, not a %s", what,
	    policy_kind_name(k), policy_kind_name(n->k));
	policy_seterr(L, L->cur, n->line + 1, n->col + 1, vi, en);
	return false;
}

/* Checks that map n has only the keys in allowed (each once) and every
 * key in required; fills vals[i] with the value of allowed[i] or NULL. */
static bool
policy_members(struct loader *L, const struct ynode *n, const char *what,
    const char *const *allowed, const char *const *required,
    struct ynode **vals)
{
	size_t i, j;

	if (!policy_need(L, n, Y_MAP, what))
		return false;
	for (j = 0; allowed[j] != NULL; j++)
		vals[j] = NULL;
	for (i = 0; i + 1 < n->n; i += 2) {
		const struct ynode *k = n->kids[i];
		bool known = false;

		if (k->k != Y_SCALAR) {
			policy_nerr(L, k, "khóa của %s phải là một tên",
			    "the keys of %s must be names", what, what);
			return false;
		}
		for (j = 0; allowed[j] != NULL; j++) {
			if (strcmp(allowed[j], k->v) != 0)
				continue;
			known = true;
			if (vals[j] != NULL) {
				policy_nerr(L, k, "\"%s\" xuất hiện hai lần "
				    "trong %s", "\"%s\" given twice in %s",
				    k->v, what, k->v, what);
				return false;
			}
			vals[j] = n->kids[i + 1];
		}
		if (!known) {
			policy_nerr(L, k, "%s không có thành phần \"%.60s\"",
			    "%s: unknown member \"%.60s\"", what, k->v);
			return false;
		}
	}
	for (i = 0; required[i] != NULL; i++) {
		for (j = 0; allowed[j] != NULL; j++)
			if (strcmp(allowed[j], required[i]) == 0)
				break;
		if (vals[j] == NULL) {
			policy_nerr(L, n, "%s thiếu thành phần bắt buộc "
			    "\"%s\"", "%s lacks the required member \"%s\"",
			    what, required[i], what, required[i]);
			return false;
		}
	}
	return true;
}

static bool
policy_plain(const struct ynode *n)
{
	return n->k == Y_SCALAR && n->style == YAML_PLAIN_SCALAR_STYLE;
}

static bool
policy_is_int(const struct ynode *n, long *out)
{
	return policy_plain(n) && n->vlen > 0 && n->vlen < 20 &&
	    (isdigit((unsigned char)n->v[0]) || (n->v[0] == '-' &&
	    n->vlen > 1)) && text_to_long(n->v, out);
}

static bool
policy_int(struct loader *L, const struct ynode *n, const char *what,
    long min, long max, long *out)
{
	if (!policy_is_int(n, out) || *out < min || *out > max) {
		policy_nerr(L, n, "%s phải là số nguyên từ %ld đến %ld",
		    "%s must be an integer from %ld to %ld", what, min, max,
		    what, min, max);
		return false;
	}
	return true;
}

static bool
policy_bool(struct loader *L, const struct ynode *n, const char *what,
    bool *out)
{
	if (policy_plain(n) && strcmp(n->v, "true") == 0)
		*out = true;
	else if (policy_plain(n) && strcmp(n->v, "false") == 0)
		*out = false;
	else {
		policy_nerr(L, n, "%s phải là true hoặc false",
		    "%s must be true or false", what, what);
		return false;
	}
	return true;
}

/* A non-empty UTF-8 NFC text. */
static char *
policy_text(struct loader *L, const struct ynode *n, const char *what)
{
	char *nfc;
	size_t i;

	if (!policy_need(L, n, Y_SCALAR, what))
		return NULL;
	if (!text_valid_utf8(n->v, n->vlen)) {
		policy_nerr(L, n, "%s không phải UTF-8 hợp lệ (hoặc chứa "
		    "ký tự NUL)", "%s is not valid UTF-8 (or holds a NUL)",
		    what, what);
		return NULL;
	}
	for (i = 0; i < n->vlen && isspace((unsigned char)n->v[i]); i++)
		;
	if (i == n->vlen || (policy_plain(n) && strcmp(n->v, "~") == 0) ||
	    (policy_plain(n) && strcmp(n->v, "null") == 0)) {
		policy_nerr(L, n, "%s rỗng", "%s is empty", what, what);
		return NULL;
	}
	nfc = text_nfc(n->v, n->vlen);
	if (nfc == NULL || strcmp(nfc, n->v) != 0) {
		free(nfc);
		policy_nerr(L, n, "%s không ở dạng chuẩn NFC (dấu tiếng Việt "
		    "phải viết dựng sẵn)", "%s is not in Unicode NFC "
		    "(precomposed Vietnamese diacritics are required)", what,
		    what);
		return NULL;
	}
	free(nfc);
	return text_dup(n->v);
}

static bool
policy_i18n(struct loader *L, const struct ynode *n, const char *what,
    struct i18n *out)
{
	static const char *const keys[] = {"vi", "en", NULL};
	struct ynode *v[2];
	char wvi[64], wen[64];

	if (!policy_members(L, n, what, keys, keys, v))
		return false;
	snprintf(wvi, sizeof(wvi), "%s.vi", what);
	snprintf(wen, sizeof(wen), "%s.en", what);
	if ((out->vi = policy_text(L, v[0], wvi)) == NULL)
		return false;
	if ((out->en = policy_text(L, v[1], wen)) == NULL)
		return false;
	return true;
}

static bool
policy_id_ok(const char *s, bool underscore)
{
	const char *p;

	if (*s == '\0' || strlen(s) > 64)
		return false;
	for (p = s; *p; p++)
		if (!(islower((unsigned char)*p) ||
		    isdigit((unsigned char)*p) ||
		    (underscore ? *p == '_' : *p == '-')))
			return false;
	return true;
}

static char *
policy_id(struct loader *L, const struct ynode *n, const char *what)
{
	if (!policy_need(L, n, Y_SCALAR, what))
		return NULL;
	if (!policy_id_ok(n->v, false)) {
		policy_nerr(L, n, "%s \"%.60s\" không hợp lệ: chỉ gồm a-z, "
		    "0-9 và \"-\"", "%s \"%.60s\" is invalid: use a-z, 0-9 "
		    "and \"-\" only", what, n->v, what, n->v);
		return NULL;
	}
	return text_dup(n->v);
}

static bool
policy_date_ok(const char *s)
{
	int y, m, d;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};
	int i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return false;
	if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return d <= 29;
	return d <= mdays[m - 1];
}

static char *
policy_date(struct loader *L, const struct ynode *n, const char *what)
{
	if (!policy_need(L, n, Y_SCALAR, what))
		return NULL;
	if (!policy_date_ok(n->v)) {
		policy_nerr(L, n, "%s phải là ngày hợp lệ dạng YYYY-MM-DD",
		    "%s must be a valid date written YYYY-MM-DD", what, what);
		return NULL;
	}
	return text_dup(n->v);
}

static void
policy_ref(struct loader *L, const struct ynode *n)
{
	L->refs = realloc(L->refs, (L->nrefs + 1) * sizeof(*L->refs));
	if (L->refs == NULL)
		abort();
	L->refs[L->nrefs].id = text_dup(n->v);
	L->refs[L->nrefs].file = L->cur;
	L->refs[L->nrefs].line = n->line + 1;
	L->refs[L->nrefs].col = n->col + 1;
	L->nrefs++;
}

/* A list of legal ids, each remembered to be checked at the end. */
static bool
policy_basis_list(struct loader *L, const struct ynode *n, const char *what,
    bool nonempty, char ***out, size_t *nout)
{
	size_t i;

	*out = NULL;
	*nout = 0;
	if (!policy_need(L, n, Y_SEQ, what))
		return false;
	if (nonempty && n->n == 0) {
		policy_nerr(L, n, "%s không được rỗng", "%s must not be empty",
		    what, what);
		return false;
	}
	*out = calloc(n->n ? n->n : 1, sizeof(char *));
	if (*out == NULL)
		abort();
	for (i = 0; i < n->n; i++) {
		char *id = policy_id(L, n->kids[i], what);

		if (id == NULL)
			return false;
		(*out)[(*nout)++] = id;
		policy_ref(L, n->kids[i]);
	}
	return true;
}

static bool
policy_names(struct loader *L, const struct ynode *n, const char *what,
    const char *const *names, unsigned *bits, bool levels)
{
	size_t i;
	unsigned j;

	*bits = 0;
	if (!policy_need(L, n, Y_SEQ, what))
		return false;
	if (n->n == 0) {
		policy_nerr(L, n, "%s không được rỗng", "%s must not be empty",
		    what, what);
		return false;
	}
	for (i = 0; i < n->n; i++) {
		const struct ynode *k = n->kids[i];
		long lv;

		if (levels) {
			if (!policy_int(L, k, what, 1, 5, &lv))
				return false;
			*bits |= 1u << lv;
			continue;
		}
		for (j = 0; names[j] != NULL; j++)
			if (k->k == Y_SCALAR && strcmp(k->v, names[j]) == 0)
				break;
		if (names[j] == NULL) {
			policy_nerr(L, k, "%s không hợp lệ (linux, windows)",
			    "invalid %s (linux, windows)", what, what);
			return false;
		}
		*bits |= 1u << j;
	}
	return true;
}

/* Checks. */

static void
policy_check_free(struct check *c)
{
	size_t i;

	free(c->id);
	free(c->title.vi);
	free(c->title.en);
	free(c->rationale.vi);
	free(c->rationale.en);
	free(c->remedy.vi);
	free(c->remedy.en);
	for (i = 0; i < c->nbasis; i++)
		free(c->basis[i]);
	free(c->basis);
	free(c->applies_text);
	free(c->condition_text);
	cond_free(c->applies);
	cond_free(c->condition);
	free(c->file);
}

static void
policy_loc(struct loader *L, struct srcloc *loc, const struct ynode *n)
{
	loc->file = L->cur;
	loc->line = n->line;
	loc->col = n->col;
	loc->style = n->style;
	loc->value = text_ndup(n->v, n->vlen);
	loc->vlen = n->vlen;
}

static bool
policy_one_check(struct loader *L, const struct ynode *n)
{
	static const char *const keys[] = {"id", "point", "basis", "levels",
	    "severity", "platform", "applies", "condition", "title",
	    "rationale", "remedy", NULL};
	static const char *const required[] = {"id", "point", "basis",
	    "levels", "severity", "platform", "condition", "title",
	    "rationale", "remedy", NULL};
	static const char *const platforms[] = {"linux", "windows", NULL};
	struct ynode *v[11];
	struct policy *p = L->p;
	struct check *c;
	long point;
	size_t i;

	if (!policy_members(L, n, "check", keys, required, v))
		return false;
	p->checks = realloc(p->checks, (p->nchecks + 1) * sizeof(*p->checks));
	L->locs = realloc(L->locs, 2 * (p->nchecks + 1) * sizeof(*L->locs));
	if (p->checks == NULL || L->locs == NULL)
		abort();
	c = &p->checks[p->nchecks];
	memset(c, 0, sizeof(*c));
	memset(&L->locs[2 * p->nchecks], 0, 2 * sizeof(*L->locs));
	p->nchecks++;
	c->file = text_dup(L->files[L->cur].name);
	c->line = n->line + 1;
	if ((c->id = policy_id(L, v[0], "id")) == NULL)
		return false;
	for (i = 0; i + 1 < p->nchecks; i++)
		if (strcmp(p->checks[i].id, c->id) == 0) {
			policy_nerr(L, v[0], "mã tiêu chí \"%s\" bị trùng (đã "
			    "có ở %s:%d)", "duplicate check id \"%s\" (also "
			    "at %s:%d)", c->id, p->checks[i].file,
			    p->checks[i].line, c->id, p->checks[i].file,
			    p->checks[i].line);
			return false;
		}
	if (!policy_int(L, v[1], "point", 1, 8, &point))
		return false;
	c->point = (int)point;
	if (!policy_basis_list(L, v[2], "basis", true, &c->basis, &c->nbasis))
		return false;
	if (!policy_names(L, v[3], "levels", NULL, &c->levels, true))
		return false;
	if (!policy_need(L, v[4], Y_SCALAR, "severity"))
		return false;
	for (i = 0; policy_severities[i] != NULL; i++)
		if (strcmp(policy_severities[i], v[4]->v) == 0)
			break;
	if (policy_severities[i] == NULL) {
		policy_nerr(L, v[4], "mức độ \"%.40s\" không hợp lệ (info, "
		    "low, medium, high, critical)", "invalid severity "
		    "\"%.40s\" (info, low, medium, high, critical)", v[4]->v,
		    v[4]->v);
		return false;
	}
	c->severity = (enum severity)i;
	if (!policy_names(L, v[5], "platform", platforms, &c->platforms,
	    false))
		return false;
	/* bit 0 is linux, bit 1 windows: the PLATFORM_ values */
	if (v[6] != NULL) {
		if ((c->applies_text = policy_text(L, v[6], "applies")) == NULL)
			return false;
		policy_loc(L, &L->locs[2 * (p->nchecks - 1)], v[6]);
	}
	if ((c->condition_text = policy_text(L, v[7], "condition")) == NULL)
		return false;
	policy_loc(L, &L->locs[2 * (p->nchecks - 1) + 1], v[7]);
	return policy_i18n(L, v[8], "title", &c->title) &&
	    policy_i18n(L, v[9], "rationale", &c->rationale) &&
	    policy_i18n(L, v[10], "remedy", &c->remedy);
}

static void
policy_legal_free(struct legal *l)
{
	free(l->id);
	free(l->kind);
	free(l->number);
	free(l->title.vi);
	free(l->title.en);
	free(l->issued);
	free(l->effective);
	free(l->until);
	free(l->successor);
	free(l->unverified.vi);
	free(l->unverified.en);
}

static bool
policy_one_legal(struct loader *L, const struct ynode *n)
{
	static const char *const keys[] = {"id", "kind", "number", "title",
	    "issued", "effective", "until", "successor", "cited", "unverified",
	    NULL};
	static const char *const required[] = {"id", "kind", "number",
	    "title", "issued", "effective", NULL};
	struct ynode *v[10];
	struct policy *p = L->p;
	struct legal *l;
	size_t i;

	if (!policy_members(L, n, "legal", keys, required, v))
		return false;
	p->legal = realloc(p->legal, (p->nlegal + 1) * sizeof(*p->legal));
	if (p->legal == NULL)
		abort();
	l = &p->legal[p->nlegal++];
	memset(l, 0, sizeof(*l));
	if ((l->id = policy_id(L, v[0], "id")) == NULL)
		return false;
	for (i = 0; i + 1 < p->nlegal; i++)
		if (strcmp(p->legal[i].id, l->id) == 0) {
			policy_nerr(L, v[0], "mã văn bản \"%s\" bị trùng",
			    "duplicate legal id \"%s\"", l->id, l->id);
			return false;
		}
	if (!policy_need(L, v[1], Y_SCALAR, "kind"))
		return false;
	for (i = 0; policy_kinds[i] != NULL; i++)
		if (strcmp(policy_kinds[i], v[1]->v) == 0)
			break;
	if (policy_kinds[i] == NULL) {
		policy_nerr(L, v[1], "loại văn bản \"%.40s\" không hợp lệ",
		    "invalid kind \"%.40s\" (law, decree, decision, directive, "
		    "circular, regulation, standard)", v[1]->v, v[1]->v);
		return false;
	}
	l->kind = text_dup(v[1]->v);
	if ((l->number = policy_text(L, v[2], "number")) == NULL ||
	    !policy_i18n(L, v[3], "title", &l->title) ||
	    (l->issued = policy_date(L, v[4], "issued")) == NULL ||
	    (l->effective = policy_date(L, v[5], "effective")) == NULL)
		return false;
	if (v[6] != NULL && (l->until = policy_date(L, v[6], "until")) == NULL)
		return false;
	if (v[7] != NULL) {
		if ((l->successor = policy_id(L, v[7], "successor")) == NULL)
			return false;
		policy_ref(L, v[7]);
	}
	if (v[8] != NULL && !policy_bool(L, v[8], "cited", &l->cited))
		return false;
	if (v[9] != NULL && !policy_i18n(L, v[9], "unverified",
	    &l->unverified))
		return false;
	return true;
}

/* A parameter's default: its JSON value and type name. */
static json_t *
policy_default(struct loader *L, const struct ynode *n, const char **type)
{
	long iv;
	size_t i;
	json_t *arr;

	if (n->k == Y_MAP) {
		policy_nerr(L, n, "giá trị mặc định phải là số, chuỗi, "
		    "true/false hoặc danh sách", "a default must be an "
		    "integer, a string, true/false or a list");
		return NULL;
	}
	if (n->k == Y_SCALAR) {
		if (policy_is_int(n, &iv)) {
			*type = "int";
			return json_integer(iv);
		}
		if (policy_plain(n) && (strcmp(n->v, "true") == 0 ||
		    strcmp(n->v, "false") == 0)) {
			*type = "bool";
			return json_boolean(n->v[0] == 't');
		}
		*type = "string";
		if (!text_valid_utf8(n->v, n->vlen)) {
			policy_nerr(L, n, "chuỗi không phải UTF-8 hợp lệ",
			    "string is not valid UTF-8");
			return NULL;
		}
		return json_stringn(n->v, n->vlen);
	}
	arr = json_array();
	*type = "list:string";
	for (i = 0; i < n->n; i++) {
		const struct ynode *k = n->kids[i];
		bool isint = policy_is_int(k, &iv);

		if (k->k != Y_SCALAR || (i > 0 && isint !=
		    (strcmp(*type, "list:int") == 0)) ||
		    !text_valid_utf8(k->v, k->vlen)) {
			policy_nerr(L, k, "danh sách mặc định chỉ gồm chuỗi "
			    "hoặc chỉ gồm số nguyên", "a default list holds "
			    "only strings or only integers");
			json_decref(arr);
			return NULL;
		}
		if (i == 0 && isint)
			*type = "list:int";
		json_array_append_new(arr, isint ? json_integer(iv) :
		    json_stringn(k->v, k->vlen));
	}
	return arr;
}

static bool
policy_one_param(struct loader *L, const struct ynode *k,
    const struct ynode *n)
{
	static const char *const keys[] = {"default", "doc", "basis", NULL};
	static const char *const required[] = {"default", "doc", NULL};
	struct ynode *v[3];
	struct i18n doc = {NULL, NULL};
	const char *type = NULL;
	json_t *def, *d, *basis;
	char **ids = NULL;
	size_t nids = 0, i;
	bool ok = false;

	if (k->k != Y_SCALAR || !policy_id_ok(k->v, true) ||
	    !islower((unsigned char)k->v[0])) {
		policy_nerr(L, k, "tên tham số phải gồm a-z, 0-9 và \"_\", "
		    "bắt đầu bằng chữ", "a parameter name is made of a-z, "
		    "0-9 and \"_\" and starts with a letter");
		return false;
	}
	if (json_object_get(L->p->params, k->v) != NULL) {
		policy_nerr(L, k, "tham số \"%s\" bị trùng",
		    "duplicate parameter \"%s\"", k->v, k->v);
		return false;
	}
	if (!policy_members(L, n, "parameter", keys, required, v))
		return false;
	if ((def = policy_default(L, v[0], &type)) == NULL)
		return false;
	basis = json_array();
	if (!policy_i18n(L, v[1], "doc", &doc) || (v[2] != NULL &&
	    !policy_basis_list(L, v[2], "basis", false, &ids, &nids)))
		goto out;
	for (i = 0; i < nids; i++)
		json_array_append_new(basis, json_string(ids[i]));
	d = json_pack("{s:s, s:s, s:O, s:s}", "vi", doc.vi, "en", doc.en,
	    "basis", basis, "type", type);
	json_object_set_new(L->p->param_docs, k->v, d);
	json_object_set(L->p->params, k->v, def);
	ok = true;
out:
	for (i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
	free(doc.vi);
	free(doc.en);
	json_decref(basis);
	json_decref(def);
	return ok;
}

static bool
policy_file_tree(struct loader *L, const struct ynode *root)
{
	static const char *const keys[] = {"checks", "parameters", "legal",
	    NULL};
	static const char *const none[] = {NULL};
	struct ynode *v[3];
	size_t i;

	if (root == NULL)
		return true;	/* an empty file */
	if (!policy_members(L, root, "policy file", keys, none, v))
		return false;
	if (v[1] != NULL) {
		if (!policy_need(L, v[1], Y_MAP, "parameters"))
			return false;
		for (i = 0; i + 1 < v[1]->n; i += 2)
			if (!policy_one_param(L, v[1]->kids[i],
			    v[1]->kids[i + 1]))
				return false;
	}
	if (v[2] != NULL) {
		if (!policy_need(L, v[2], Y_SEQ, "legal"))
			return false;
		for (i = 0; i < v[2]->n; i++)
			if (!policy_one_legal(L, v[2]->kids[i]))
				return false;
	}
	if (v[0] != NULL) {
		if (!policy_need(L, v[0], Y_SEQ, "checks"))
			return false;
		for (i = 0; i < v[0]->n; i++)
			if (!policy_one_check(L, v[0]->kids[i]))
				return false;
	}
	return true;
}

static bool
policy_add_file(struct loader *L, const char *name, const char *text,
    size_t len)
{
	struct ynode *root;
	bool ok;

	if (L->nfiles >= POLICY_MAX_FILES) {
		policy_ferr(L, L->nfiles, 0, 0, "quá nhiều tệp bộ tiêu chí",
		    "too many policy files");
		return false;
	}
	L->files = realloc(L->files, (L->nfiles + 1) * sizeof(*L->files));
	if (L->files == NULL)
		abort();
	L->files[L->nfiles].name = text_dup(name);
	L->files[L->nfiles].text = text_ndup(text, len);
	L->files[L->nfiles].len = len;
	L->cur = L->nfiles++;
	if (len > POLICY_MAX_FILE) {
		policy_ferr(L, L->cur, 0, 0, "tệp quá lớn (tối đa %u byte)",
		    "file too large (at most %u bytes)", POLICY_MAX_FILE,
		    POLICY_MAX_FILE);
		return false;
	}
	if (!policy_yaml(L, text, len, &root))
		return false;
	ok = policy_file_tree(L, root);
	policy_ynode_free(root);
	return ok;
}

/* Maps byte offset off of a scalar's value to the 1-based line and column
 * of the file: walks the source from the scalar's start mark alongside the
 * value, skipping what YAML removed (quotes, escapes, indentation, folded
 * line breaks). */
static void
policy_map_offset(const struct pfile *f, const struct srcloc *loc,
    size_t off, int *oline, int *ocol)
{
	const char *t = f->text, *v = loc->value;
	size_t len = f->len, j = 0, j0, i = 0;
	int line = 0, col = 0;

	/* the scalar's start */
	while (j < len && line < loc->line) {
		if (t[j++] == '\n')
			line++;
	}
	while (j < len && col < loc->col && t[j] != '\n') {
		j++;
		while (j < len && ((unsigned char)t[j] & 0xc0) == 0x80)
			j++;
		col++;
	}
	j0 = j;
	if (loc->style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
	    loc->style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
		j++;
	else if (loc->style == YAML_LITERAL_SCALAR_STYLE ||
	    loc->style == YAML_FOLDED_SCALAR_STYLE) {
		while (j < len && t[j] != '\n')
			j++;
		if (j < len)
			j++;
	}
	if (off > loc->vlen)
		off = loc->vlen;
	while (i < off && j < len) {
		char vc = v[i], sc = t[j];

		if (loc->style == YAML_DOUBLE_QUOTED_SCALAR_STYLE &&
		    sc == '\\') {
			char e = j + 1 < len ? t[j + 1] : '\0';

			if (e == '\n') {
				j += 2;
				continue;
			}
			j += e == 'x' ? 4 : e == 'u' ? 6 : e == 'U' ? 10 : 2;
			i++;
			while (i < off && ((unsigned char)v[i] & 0xc0) == 0x80)
				i++;
			continue;
		}
		if (loc->style == YAML_SINGLE_QUOTED_SCALAR_STYLE &&
		    sc == '\'' && j + 1 < len && t[j + 1] == '\'') {
			j += 2;
			i++;
			continue;
		}
		if (sc == vc) {
			i++;
			j++;
			continue;
		}
		if ((vc == ' ' || vc == '\n') && (sc == '\n' || sc == '\r')) {
			j++;
			while (j < len && (t[j] == ' ' || t[j] == '\t'))
				j++;
			i++;
			continue;
		}
		if (sc == ' ' || sc == '\t' || sc == '\n' || sc == '\r') {
			j++;
			continue;
		}
		i++;
		j++;
	}
	/* skip indentation before the target character */
	while (j < len && i < loc->vlen && t[j] != v[i] && (t[j] == ' ' ||
	    t[j] == '\t' || t[j] == '\n' || t[j] == '\r'))
		j++;
	if (j > len)
		j = len;
	line = loc->line;
	col = loc->col;
	for (; j0 < j; j0++) {
		if (t[j0] == '\n') {
			line++;
			col = 0;
		} else if (((unsigned char)t[j0] & 0xc0) != 0x80)
			col++;
	}
	*oline = line + 1;
	*ocol = col + 1;
}

static struct cond *
policy_cond(struct loader *L, const struct srcloc *loc,
    const struct cond_env *env)
{
	struct cond_error e;
	struct cond *c;
	int line, col;

	c = cond_parse(loc->value, loc->vlen, env, &e);
	if (c == NULL) {
		policy_map_offset(&L->files[loc->file], loc, e.offset, &line,
		    &col);
		policy_seterr(L, loc->file, line, col, e.vi, e.en);
	}
	return c;
}

/* What can only be checked once every file is read: legal references,
 * successor chains, conditions. */
static bool
policy_finish(struct loader *L)
{
	struct policy *p = L->p;
	struct cond_env env;
	json_t *types;
	const char *name;
	json_t *d;
	size_t i, steps;

	for (i = 0; i < L->nrefs; i++)
		if (policy_legal(p, L->refs[i].id) == NULL) {
			policy_ferr(L, L->refs[i].file, L->refs[i].line,
			    L->refs[i].col, "không có văn bản \"%s\" trong "
			    "danh mục pháp lý", "legal id \"%s\" is not in "
			    "the legal catalogue", L->refs[i].id,
			    L->refs[i].id);
			return false;
		}
	for (i = 0; i < p->nlegal; i++) {
		const struct legal *l = &p->legal[i];

		for (steps = 0; l != NULL && l->successor != NULL; steps++) {
			if (steps > p->nlegal) {
				policy_ferr(L, 0, 0, 0, "chuỗi văn bản thay "
				    "thế của \"%s\" lặp vòng", "the successor "
				    "chain of \"%s\" loops", p->legal[i].id,
				    p->legal[i].id);
				return false;
			}
			l = policy_legal(p, l->successor);
		}
	}
	types = json_object();
	json_object_foreach(p->param_docs, name, d)
		json_object_set(types, name, json_object_get(d, "type"));
	env.schema = p->schema;
	env.params = p->params;
	env.param_types = types;
	for (i = 0; i < p->nchecks && !L->failed; i++) {
		struct check *c = &p->checks[i];

		if (c->applies_text != NULL && (c->applies = policy_cond(L,
		    &L->locs[2 * i], &env)) == NULL)
			break;
		if ((c->condition = policy_cond(L, &L->locs[2 * i + 1],
		    &env)) == NULL)
			break;
	}
	json_decref(types);
	return !L->failed;
}

static void
policy_loader_init(struct loader *L, const struct schema *schema, char *err,
    size_t errlen)
{
	memset(L, 0, sizeof(*L));
	L->err = err;
	L->errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	L->p = calloc(1, sizeof(*L->p));
	if (L->p == NULL)
		abort();
	L->p->params = json_object();
	L->p->param_docs = json_object();
	L->p->schema = schema ? schema : schema_embedded();
}

/* Ends loading: the policy, or NULL (freed) after an error. */
static struct policy *
policy_loader_done(struct loader *L)
{
	struct policy *p;
	size_t i;

	if (!L->failed)
		policy_finish(L);
	for (i = 0; i < L->nfiles; i++) {
		free(L->files[i].name);
		free(L->files[i].text);
	}
	free(L->files);
	for (i = 0; L->locs != NULL && i < 2 * L->p->nchecks; i++)
		free(L->locs[i].value);
	free(L->locs);
	for (i = 0; i < L->nrefs; i++)
		free(L->refs[i].id);
	free(L->refs);
	p = L->p;
	if (L->failed) {
		policy_free(p);
		return NULL;
	}
	return p;
}

struct policy *
policy_load_text(const char *text, size_t len, const char *name,
    const struct schema *schema, char *err, size_t errlen)
{
	struct loader L;

	policy_loader_init(&L, schema, err, errlen);
	policy_add_file(&L, name ? name : "policy", text ? text : "",
	    text ? len : 0);
	return policy_loader_done(&L);
}

struct policy *
policy_load_embedded(const struct schema *schema, char *err, size_t errlen)
{
	struct loader L;
	size_t i;

	policy_loader_init(&L, schema, err, errlen);
	for (i = 0; embedded_policy[i].name != NULL && !L.failed; i++)
		policy_add_file(&L, embedded_policy[i].name,
		    embedded_policy[i].data, embedded_policy[i].len);
	return policy_loader_done(&L);
}

static int
policy_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
policy_read(struct loader *L, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	rc = file_read_path(path, POLICY_MAX_FILE, &buf, &len);
	if (rc < 0) {
		const char *vi = text_strerror_vi(-rc);

		L->files = realloc(L->files, (L->nfiles + 1) *
		    sizeof(*L->files));
		if (L->files == NULL)
			abort();
		L->files[L->nfiles].name = text_dup(path);
		L->files[L->nfiles].text = text_dup("");
		L->files[L->nfiles].len = 0;
		L->nfiles++;
		if (rc == -EFBIG)
			policy_ferr(L, L->nfiles - 1, 0, 0, "tệp quá lớn (tối "
			    "đa %u byte)", "file too large (at most %u "
			    "bytes)", POLICY_MAX_FILE, POLICY_MAX_FILE);
		else {
			char *m = text_printf("không đọc được tệp: %s", vi ?
			    vi : strerror(-rc));
			char *e = text_printf("cannot read the file: %s",
			    strerror(-rc));

			policy_seterr(L, L->nfiles - 1, 0, 0, m, e);
			free(m);
			free(e);
		}
		return false;
	}
	policy_add_file(L, path, buf, len);
	free(buf);
	return !L->failed;
}

/* Reads every *.yml of dir in name order; a symbolic link is followed
 * only when it stays inside dir. */
static bool
policy_read_dir(struct loader *L, const char *dir)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL, *real = NULL;
	size_t n = 0, i;
	bool ok = true;

	if ((d = opendir(dir)) == NULL || (real = realpath(dir, NULL)) ==
	    NULL) {
		int e = errno;

		if (d != NULL)
			closedir(d);
		policy_ferr(L, 0, 0, 0, "không mở được thư mục %s: %s",
		    "cannot open directory %s: %s", dir, strerror(e), dir,
		    strerror(e));
		return false;
	}
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (de->d_name[0] == '.' || l < 5 ||
		    strcmp(de->d_name + l - 4, ".yml") != 0)
			continue;
		if (n >= POLICY_MAX_FILES) {
			ok = false;
			break;
		}
		names = realloc(names, (n + 1) * sizeof(*names));
		if (names == NULL)
			abort();
		names[n++] = text_dup(de->d_name);
	}
	closedir(d);
	if (!ok)
		policy_ferr(L, 0, 0, 0, "%s có quá nhiều tệp", "%s holds too "
		    "many files", dir, dir);
	if (n > 0)
		qsort(names, n, sizeof(*names), policy_strcmp);
	for (i = 0; i < n && ok; i++) {
		char *path = file_join(dir, names[i]);
		struct stat st;

		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
			char *target = realpath(path, NULL);
			size_t rl = strlen(real);

			if (target == NULL || strncmp(target, real, rl) != 0 ||
			    target[rl] != '/') {
				policy_ferr(L, 0, 0, 0, "%s là liên kết trỏ ra "
				    "ngoài thư mục bộ tiêu chí", "%s is a "
				    "symbolic link out of the policy "
				    "directory", path, path);
				ok = false;
			}
			free(target);
		}
		if (ok)
			ok = policy_read(L, path);
		free(path);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(real);
	return ok;
}

struct policy *
policy_load(const char *path, const struct schema *schema, char *err,
    size_t errlen)
{
	struct loader L;
	struct stat st;

	policy_loader_init(&L, schema, err, errlen);
	if (stat(path, &st) != 0)
		policy_ferr(&L, 0, 0, 0, "không tìm thấy %s: %s",
		    "cannot find %s: %s", path, strerror(errno), path,
		    strerror(errno));
	else if (S_ISDIR(st.st_mode))
		policy_read_dir(&L, path);
	else
		policy_read(&L, path);
	return policy_loader_done(&L);
}

void
policy_free(struct policy *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nchecks; i++)
		policy_check_free(&p->checks[i]);
	free(p->checks);
	for (i = 0; i < p->nlegal; i++)
		policy_legal_free(&p->legal[i]);
	free(p->legal);
	json_decref(p->params);
	json_decref(p->param_docs);
	free(p);
}

const struct check *
policy_check(const struct policy *p, const char *id)
{
	size_t i;

	for (i = 0; p != NULL && id != NULL && i < p->nchecks; i++)
		if (strcmp(p->checks[i].id, id) == 0)
			return &p->checks[i];
	return NULL;
}

const struct legal *
policy_legal(const struct policy *p, const char *id)
{
	size_t i;

	for (i = 0; p != NULL && id != NULL && i < p->nlegal; i++)
		if (strcmp(p->legal[i].id, id) == 0)
			return &p->legal[i];
	return NULL;
}

static bool
policy_in_force(const struct legal *l, const char *today)
{
	return strcmp(l->effective, today) <= 0 && (l->until == NULL ||
	    strcmp(today, l->until) <= 0);
}

static void
policy_add_unique(json_t *arr, const char *id)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (strcmp(json_string_value(v), id) == 0)
			return;
	json_array_append_new(arr, json_string(id));
}

json_t *
policy_basis(const struct policy *p, const struct check *c,
    const char *today)
{
	json_t *out = json_array();
	size_t i, steps;

	for (i = 0; c != NULL && i < c->nbasis; i++) {
		const struct legal *l = policy_legal(p, c->basis[i]);

		policy_add_unique(out, c->basis[i]);
		for (steps = 0; l != NULL && l->successor != NULL &&
		    steps <= p->nlegal; steps++) {
			l = policy_legal(p, l->successor);
			if (l != NULL && today != NULL &&
			    policy_in_force(l, today))
				policy_add_unique(out, l->id);
		}
	}
	return out;
}

/* Parameters from the configuration. */

static int
policy_perr(char *err, size_t errlen, const char *where, const char *vi,
    const char *en, ...)
{
	char bvi[256], ben[256];
	va_list ap, ap2;

	va_start(ap, en);
	va_copy(ap2, ap);
	vsnprintf(bvi, sizeof(bvi), vi, ap);
	vsnprintf(ben, sizeof(ben), en, ap2);
	va_end(ap2);
	va_end(ap);
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s: %s — %s", where ? where : "config",
		    bvi, ben);
	return -1;
}

static bool
policy_parse_long(const char *s, long *out)
{
	if (s == NULL || *s == '\0' || !(isdigit((unsigned char)*s) ||
	    (*s == '-' && isdigit((unsigned char)s[1]))))
		return false;
	return text_to_long(s, out);
}

int
policy_set_param(struct policy *p, const char *name,
    const char *const *values, size_t nvalues, const char *where, char *err,
    size_t errlen)
{
	json_t *doc = json_object_get(p->param_docs, name), *v;
	const char *type;
	struct cond_error ce;
	size_t i;
	long n;

	if (doc == NULL)
		return policy_perr(err, errlen, where, "không có tham số "
		    "\"%s\"", "unknown parameter \"%s\"", name, name);
	type = json_string_value(json_object_get(doc, "type"));
	for (i = 0; i < nvalues; i++)
		if (values[i] == NULL || !text_valid_utf8(values[i],
		    strlen(values[i])))
			return policy_perr(err, errlen, where, "giá trị của "
			    "\"%s\" không phải UTF-8 hợp lệ", "the value of "
			    "\"%s\" is not valid UTF-8", name, name);
	if (strncmp(type, "list", 4) != 0 && nvalues != 1)
		return policy_perr(err, errlen, where, "tham số \"%s\" cần "
		    "đúng một giá trị (%s)", "parameter \"%s\" takes exactly "
		    "one value (%s)", name, type, name, type);
	if (strcmp(type, "int") == 0) {
		if (!policy_parse_long(values[0], &n))
			return policy_perr(err, errlen, where, "tham số "
			    "\"%s\" cần một số nguyên, không phải \"%.40s\"",
			    "parameter \"%s\" needs an integer, not "
			    "\"%.40s\"", name, values[0], name, values[0]);
		v = json_integer(n);
	} else if (strcmp(type, "bool") == 0) {
		const char *s = values[0];

		if (strcmp(s, "yes") == 0 || strcmp(s, "true") == 0)
			v = json_true();
		else if (strcmp(s, "no") == 0 || strcmp(s, "false") == 0)
			v = json_false();
		else
			return policy_perr(err, errlen, where, "tham số "
			    "\"%s\" cần yes/no/true/false, không phải "
			    "\"%.40s\"", "parameter \"%s\" needs yes, no, "
			    "true or false, not \"%.40s\"", name, s, name, s);
	} else if (strcmp(type, "string") == 0) {
		v = json_string(values[0]);
	} else {
		bool ints = strcmp(type, "list:int") == 0;

		v = json_array();
		for (i = 0; i < nvalues; i++) {
			if (ints && !policy_parse_long(values[i], &n)) {
				json_decref(v);
				return policy_perr(err, errlen, where, "tham "
				    "số \"%s\" cần các số nguyên, không phải "
				    "\"%.40s\"", "parameter \"%s\" needs "
				    "integers, not \"%.40s\"", name,
				    values[i], name, values[i]);
			}
			json_array_append_new(v, ints ? json_integer(n) :
			    json_string(values[i]));
		}
	}
	for (i = 0; i < p->nchecks; i++) {
		if (!cond_uses_regex_param(p->checks[i].condition, name) &&
		    !cond_uses_regex_param(p->checks[i].applies, name))
			continue;
		if (cond_check_patterns(v, &ce) < 0) {
			json_decref(v);
			if (err != NULL && errlen > 0)
				snprintf(err, errlen, "%s: tham số \"%s\": "
				    "%s — parameter \"%s\": %s", where ? where :
				    "config", name, ce.vi, name, ce.en);
			return -1;
		}
		break;
	}
	json_object_set_new(p->params, name, v);
	for (i = 0; i < p->nchecks; i++) {
		cond_refresh_param(p->checks[i].condition, name, p->params,
		    &ce);
		cond_refresh_param(p->checks[i].applies, name, p->params, &ce);
	}
	return 0;
}

/* Evaluation. */

void
result_free(struct result *r)
{
	if (r == NULL)
		return;
	free(r->evidence);
	free(r->reason.vi);
	free(r->reason.en);
	memset(r, 0, sizeof(*r));
}

static void
policy_reason(struct result *out, enum status st, char *vi, char *en)
{
	out->status = st;
	out->reason.vi = vi;
	out->reason.en = en;
}

/* An unknown result: the collector's reason for the longest recorded
 * prefix of the missing path, or an error. */
static void
policy_unknown(const struct cond_result *r, json_t *unavailable,
    struct result *out)
{
	char *path;

	if (r->error_vi != NULL) {
		policy_reason(out, ST_ERROR, text_dup(r->error_vi),
		    text_dup(r->error_en));
		return;
	}
	if (r->missing == NULL) {
		policy_reason(out, ST_ERROR, text_dup("không xác định được "
		    "kết quả"), text_dup("the result could not be "
		    "determined"));
		return;
	}
	path = text_dup(r->missing);
	for (;;) {
		json_t *e = json_object_get(unavailable, path);
		char *dot;

		if (json_is_object(e)) {
			json_t *rs = json_object_get(e, "reason");
			const char *st = json_str(e, "status", "error");

			policy_reason(out, strcmp(st, "na") == 0 ? ST_NA :
			    ST_ERROR, text_dup(json_str(rs, "vi", "")),
			    text_dup(json_str(rs, "en", "")));
			free(path);
			return;
		}
		if ((dot = strrchr(path, '.')) == NULL)
			break;
		*dot = '\0';
	}
	free(path);
	policy_reason(out, ST_ERROR, text_printf("không thu thập được thông "
	    "tin %s", r->missing), text_printf("fact %s was not collected",
	    r->missing));
}

#ifdef _WIN32
#define POLICY_THIS_PLATFORM PLATFORM_WINDOWS
#define POLICY_PLATFORM_VI "Windows"
#else
#define POLICY_THIS_PLATFORM PLATFORM_LINUX
#define POLICY_PLATFORM_VI "Linux"
#endif

void
policy_eval(const struct policy *p, const struct check *c, int level,
    json_t *facts, json_t *unavailable, struct result *out)
{
	struct cond_result r;

	memset(out, 0, sizeof(*out));
	if (level < 1 || level > 5 || !(c->levels & (1u << level))) {
		policy_reason(out, ST_NA, text_printf("không áp dụng ở cấp độ "
		    "%d", level), text_printf("not required at level %d",
		    level));
		return;
	}
	if (!(c->platforms & POLICY_THIS_PLATFORM)) {
		policy_reason(out, ST_NA, text_dup("không áp dụng trên "
		    POLICY_PLATFORM_VI), text_dup("not applicable on "
		    POLICY_PLATFORM_VI));
		return;
	}
	if (c->applies != NULL) {
		cond_eval(c->applies, facts, unavailable, p->params, false,
		    &r);
		if (r.value == TRI_UNKNOWN) {
			policy_unknown(&r, unavailable, out);
			cond_result_free(&r);
			return;
		}
		if (r.value == TRI_FALSE) {
			policy_reason(out, ST_NA, text_printf("điều kiện áp "
			    "dụng không thỏa: %.200s", c->applies_text),
			    text_printf("the check's applicability condition "
			    "is false: %.200s", c->applies_text));
			cond_result_free(&r);
			return;
		}
		cond_result_free(&r);
	}
	cond_eval(c->condition, facts, unavailable, p->params, true,
	    &r);
	if (r.value == TRI_UNKNOWN) {
		policy_unknown(&r, unavailable, out);
	} else {
		out->status = r.value == TRI_TRUE ? ST_PASS : ST_FAIL;
		out->evidence = r.evidence;
		r.evidence = NULL;
	}
	cond_result_free(&r);
}
