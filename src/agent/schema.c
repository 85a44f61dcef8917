/*
 * schema.c — loads the facts schema (facts.schema, one line per fact: PATH
 * TYPE [FLAGS] English | Vietnamese) and checks facts documents against it.
 * The policy loader types conditions with it; tests use schema_validate()
 * to hold every collector to the contract. See schema.h and the header
 * comment of src/agent/facts.schema.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/schema.h"
#include "agent/embedded.h"
#include "lib/text.h"

#define SCHEMA_MAX_FIELDS 4096
#define SCHEMA_MAX_LINE 4096
#define SCHEMA_MAX_PATH 256

static const char *const schema_type_names[] = {
	[FT_BOOL] = "bool", [FT_INT] = "int", [FT_STRING] = "string",
	[FT_OBJECT] = "object", [FT_LIST] = "list",
	[FT_LIST_STRING] = "list:string", [FT_LIST_INT] = "list:int",
};

const char *
ftype_name(enum ftype t)
{
	if ((size_t)t >= sizeof(schema_type_names) / sizeof(*schema_type_names))
		return "?";
	return schema_type_names[t];
}

static void
schema_err(char *err, size_t errlen, const char *name, int line,
    const char *vi, const char *en)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s:%d: %s — %s", name, line, vi, en);
}

void
schema_free(struct schema *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nfields; i++) {
		free(s->fields[i].path);
		free(s->fields[i].doc_en);
		free(s->fields[i].doc_vi);
	}
	free(s->fields);
	free(s);
}

const struct schema_field *
schema_lookup(const struct schema *s, const char *path)
{
	size_t i;

	if (s == NULL || path == NULL)
		return NULL;
	for (i = 0; i < s->nfields; i++)
		if (s->fields[i].path[0] == path[0] &&
		    strcmp(s->fields[i].path, path) == 0)
			return &s->fields[i];
	return NULL;
}

/* The parent path of path (everything before the last dot) into buf;
 * false for a top-level path. */
static bool
schema_parent(const char *path, char *buf, size_t size)
{
	const char *dot = strrchr(path, '.');
	size_t n;

	if (dot == NULL)
		return false;
	n = (size_t)(dot - path);
	if (n >= size)
		n = size - 1;
	memcpy(buf, path, n);
	buf[n] = '\0';
	return true;
}

const char *
schema_key(const struct schema *s, const char *list_path)
{
	char parent[SCHEMA_MAX_PATH];
	size_t i;

	if (s == NULL || list_path == NULL)
		return NULL;
	for (i = 0; i < s->nfields; i++) {
		const struct schema_field *f = &s->fields[i];

		if (!f->key || !schema_parent(f->path, parent, sizeof(parent)))
			continue;
		if (strcmp(parent, list_path) == 0)
			return strrchr(f->path, '.') + 1;
	}
	return NULL;
}

static bool
schema_type_parse(const char *w, size_t n, enum ftype *t)
{
	size_t i;

	for (i = 0; i < sizeof(schema_type_names) / sizeof(*schema_type_names);
	    i++) {
		if (strlen(schema_type_names[i]) == n &&
		    memcmp(schema_type_names[i], w, n) == 0) {
			*t = (enum ftype)i;
			return true;
		}
	}
	return false;
}

/* Parses "a.b[].c" into "a.b.c", checking each segment; *item is set when
 * the last segment follows "[]" (a field of list items). */
static bool
schema_path_parse(const char *w, size_t n, char *out, size_t size,
    bool *item, const char **why_vi, const char **why_en)
{
	size_t i, o = 0, seglen = 0;

	*item = false;
	if (n == 0 || n >= size) {
		*why_vi = "đường dẫn rỗng hoặc quá dài";
		*why_en = "empty or too long path";
		return false;
	}
	for (i = 0; i < n; i++) {
		char c = w[i];

		if (c == '[') {
			if (i + 1 >= n || w[i + 1] != ']' || seglen == 0 ||
			    i + 2 >= n || w[i + 2] != '.') {
				*why_vi = "\"[]\" phải theo sau một tên và "
				    "đứng trước dấu chấm";
				*why_en = "\"[]\" must follow a name and "
				    "precede a dot";
				return false;
			}
			i++;
			*item = true;
			continue;
		}
		if (c == '.') {
			if (seglen == 0) {
				*why_vi = "đường dẫn có đoạn rỗng";
				*why_en = "empty segment in path";
				return false;
			}
			seglen = 0;
			*item = false;
			if (i > 0 && w[i - 1] == ']')
				*item = true;
			out[o++] = '.';
			continue;
		}
		if (!(islower((unsigned char)c) || isdigit((unsigned char)c) ||
		    c == '_')) {
			*why_vi = "đường dẫn chỉ gồm chữ thường, chữ số, "
			    "dấu gạch dưới và dấu chấm";
			*why_en = "a path holds only lower-case letters, "
			    "digits, underscores and dots";
			return false;
		}
		out[o++] = c;
		seglen++;
	}
	if (seglen == 0) {
		*why_vi = "đường dẫn kết thúc bằng dấu chấm";
		*why_en = "path ends with a dot";
		return false;
	}
	out[o] = '\0';
	return true;
}

static char *
schema_trimdup(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return text_ndup(s, n);
}

/* Parses one non-comment line into f; false with reasons on error. */
static bool
schema_line(struct schema *s, const char *line, size_t len,
    struct schema_field *f, const char **vi, const char **en)
{
	const char *p = line, *end = line + len, *w, *bar;
	char path[SCHEMA_MAX_PATH], parent[SCHEMA_MAX_PATH];
	const struct schema_field *pf;
	bool item;

	memset(f, 0, sizeof(*f));
	w = p;
	while (p < end && !isspace((unsigned char)*p))
		p++;
	if (!schema_path_parse(w, (size_t)(p - w), path, sizeof(path), &item,
	    vi, en))
		return false;
	while (p < end && isspace((unsigned char)*p))
		p++;
	w = p;
	while (p < end && !isspace((unsigned char)*p))
		p++;
	if (!schema_type_parse(w, (size_t)(p - w), &f->type)) {
		*vi = "kiểu không hợp lệ (bool int string object list "
		    "list:string list:int)";
		*en = "bad type (bool int string object list list:string "
		    "list:int)";
		return false;
	}
	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p < end && *p == '[') {
		const char *close = memchr(p, ']', (size_t)(end - p));
		const char *q = p + 1;

		if (close == NULL) {
			*vi = "thiếu dấu \"]\" đóng cờ";
			*en = "missing \"]\" after the flags";
			return false;
		}
		while (q < close) {
			const char *c = q;
			size_t n;

			while (c < close && *c != ',')
				c++;
			n = (size_t)(c - q);
			if (n == 3 && memcmp(q, "key", 3) == 0)
				f->key = true;
			else if (n == 4 && memcmp(q, "live", 4) == 0)
				f->live = true;
			else if (n == 4 && memcmp(q, "root", 4) == 0)
				f->root = true;
			else {
				*vi = "cờ không hợp lệ (key, live, root)";
				*en = "unknown flag (key, live, root)";
				return false;
			}
			q = c < close ? c + 1 : c;
		}
		p = close + 1;
	}
	bar = NULL;
	for (w = p; w + 2 < end; w++)
		if (w[0] == ' ' && w[1] == '|' && w[2] == ' ') {
			bar = w;
			break;
		}
	if (bar == NULL) {
		*vi = "thiếu mô tả \"English | tiếng Việt\"";
		*en = "missing description \"English | tiếng Việt\"";
		return false;
	}
	f->doc_en = schema_trimdup(p, (size_t)(bar - p));
	f->doc_vi = schema_trimdup(bar + 3, (size_t)(end - bar - 3));
	if (f->doc_en[0] == '\0' || f->doc_vi[0] == '\0') {
		*vi = "mô tả tiếng Anh hoặc tiếng Việt rỗng";
		*en = "empty English or Vietnamese description";
		goto bad;
	}
	if (schema_lookup(s, path) != NULL) {
		*vi = "thông tin đã khai báo";
		*en = "fact declared twice";
		goto bad;
	}
	if (schema_parent(path, parent, sizeof(parent))) {
		pf = schema_lookup(s, parent);
		if (pf == NULL || (pf->type != FT_OBJECT &&
		    pf->type != FT_LIST)) {
			*vi = "thông tin cha chưa khai báo hoặc không phải "
			    "object/list";
			*en = "parent not declared before, or not an object "
			    "or a list";
			goto bad;
		}
		if ((pf->type == FT_LIST) != item) {
			*vi = "trường của phần tử danh sách phải viết "
			    "\"list[].field\", và chỉ chúng";
			*en = "fields of list items, and only they, are "
			    "written \"list[].field\"";
			goto bad;
		}
		if (f->key && (pf->type != FT_LIST ||
		    schema_key(s, parent) != NULL)) {
			*vi = "cờ key chỉ dùng cho một trường của phần tử "
			    "danh sách";
			*en = "the key flag marks one field of list items";
			goto bad;
		}
	} else if (item || f->key) {
		*vi = "thông tin cấp cao nhất không thể là phần tử danh sách";
		*en = "a top-level fact cannot be a list item field";
		goto bad;
	}
	f->path = text_dup(path);
	return true;
bad:
	free(f->doc_en);
	free(f->doc_vi);
	f->doc_en = f->doc_vi = NULL;
	return false;
}

struct schema *
schema_parse(const char *text, size_t len, const char *name, char *err,
    size_t errlen)
{
	struct schema *s;
	const char *p = text, *end = text + len, *line;
	size_t linelen, cap = 0;
	int lineno = 0;

	if (name == NULL)
		name = "facts.schema";
	if (text == NULL || !text_valid_utf8(text, len)) {
		schema_err(err, errlen, name, 0, "không phải văn bản UTF-8 "
		    "hợp lệ", "not valid UTF-8 text");
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		abort();
	while (text_next_line(&p, end, &line, &linelen)) {
		struct schema_field f;
		const char *vi, *en;
		size_t i = 0;

		lineno++;
		while (i < linelen && isspace((unsigned char)line[i]))
			i++;
		if (i == linelen || line[i] == '#')
			continue;
		if (i > 0) {
			schema_err(err, errlen, name, lineno, "dòng không được "
			    "thụt lề", "lines must not be indented");
			goto fail;
		}
		if (linelen > SCHEMA_MAX_LINE || s->nfields >=
		    SCHEMA_MAX_FIELDS) {
			schema_err(err, errlen, name, lineno, "dòng quá dài "
			    "hoặc quá nhiều thông tin", "line too long or too "
			    "many facts");
			goto fail;
		}
		if (!schema_line(s, line, linelen, &f, &vi, &en)) {
			schema_err(err, errlen, name, lineno, vi, en);
			goto fail;
		}
		f.line = lineno;
		if (s->nfields == cap) {
			cap = cap ? cap * 2 : 64;
			s->fields = realloc(s->fields,
			    cap * sizeof(*s->fields));
			if (s->fields == NULL)
				abort();
		}
		s->fields[s->nfields++] = f;
	}
	if (s->nfields == 0) {
		schema_err(err, errlen, name, lineno, "lược đồ rỗng",
		    "empty schema");
		goto fail;
	}
	return s;
fail:
	schema_free(s);
	return NULL;
}

const struct schema *
schema_embedded(void)
{
	static struct schema *cached;
	char err[512];

	if (cached == NULL) {
		cached = schema_parse(embedded_schema, embedded_schema_len,
		    "facts.schema", err, sizeof(err));
		if (cached == NULL) {
			fprintf(stderr, "lược đồ nhúng hỏng — embedded schema "
			    "broken: %s\n", err);
			abort();
		}
	}
	return cached;
}

/* Validation. */

static void
schema_problem(json_t *problems, size_t *n, const char *path, const char *vi,
    const char *en)
{
	(*n)++;
	if (problems != NULL) {
		char *s = text_printf("%s: %s — %s", path, vi, en);

		json_array_append_new(problems, json_string(s));
		free(s);
	}
}

static bool
schema_json_is(json_t *v, enum ftype t)
{
	switch (t) {
	case FT_BOOL:
		return json_is_boolean(v);
	case FT_INT:
		return json_is_integer(v);
	case FT_STRING:
		return json_is_string(v);
	case FT_OBJECT:
		return json_is_object(v);
	case FT_LIST:
	case FT_LIST_STRING:
	case FT_LIST_INT:
		return json_is_array(v);
	}
	return false;
}

static void schema_walk(const struct schema *s, json_t *obj,
    const char *spath, const char *shown, json_t *problems, size_t *n,
    int depth);

static void
schema_value(const struct schema *s, const struct schema_field *f,
    json_t *v, const char *shown, json_t *problems, size_t *n, int depth)
{
	size_t i;
	json_t *it;

	if (!schema_json_is(v, f->type)) {
		char *vi = text_printf("sai kiểu, cần %s", ftype_name(f->type));
		char *en = text_printf("wrong type, expected %s",
		    ftype_name(f->type));

		schema_problem(problems, n, shown, vi, en);
		free(vi);
		free(en);
		return;
	}
	switch (f->type) {
	case FT_OBJECT:
		schema_walk(s, v, f->path, shown, problems, n, depth + 1);
		break;
	case FT_LIST:
	case FT_LIST_STRING:
	case FT_LIST_INT:
		json_array_foreach(v, i, it) {
			char *ishown = text_printf("%s[%zu]", shown, i);
			bool ok = f->type == FT_LIST ? json_is_object(it) :
			    f->type == FT_LIST_INT ? json_is_integer(it) :
			    json_is_string(it);

			if (!ok)
				schema_problem(problems, n, ishown,
				    "phần tử sai kiểu", "item of wrong type");
			else if (f->type == FT_LIST)
				schema_walk(s, it, f->path, ishown, problems,
				    n, depth + 1);
			free(ishown);
		}
		break;
	default:
		break;
	}
}

static void
schema_walk(const struct schema *s, json_t *obj, const char *spath,
    const char *shown, json_t *problems, size_t *n, int depth)
{
	const char *k;
	json_t *v;

	if (depth > 16) {
		schema_problem(problems, n, shown, "lồng quá sâu",
		    "nested too deeply");
		return;
	}
	json_object_foreach(obj, k, v) {
		char *path = spath ? text_printf("%s.%s", spath, k) :
		    text_dup(k);
		char *show = shown ? text_printf("%s.%s", shown, k) :
		    text_dup(k);
		const struct schema_field *f = schema_lookup(s, path);

		if (f == NULL)
			schema_problem(problems, n, show, "thông tin không "
			    "khai báo trong lược đồ", "not declared in the "
			    "schema");
		else
			schema_value(s, f, v, show, problems, n, depth);
		free(path);
		free(show);
	}
}

size_t
schema_validate(const struct schema *s, json_t *facts, json_t *problems)
{
	size_t n = 0;

	if (!json_is_object(facts)) {
		schema_problem(problems, &n, "facts", "không phải object",
		    "not an object");
		return n;
	}
	schema_walk(s, facts, NULL, NULL, problems, &n, 0);
	return n;
}
