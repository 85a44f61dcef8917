/*
 * policy_doc.c — writes the policy and the facts schema as Markdown
 * (docs/checks.md, docs/facts.md): checks grouped by the directive's
 * points with their legal basis resolved, the parameters, the legal
 * catalogue, and the table of facts. Vietnamese first, then English.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/policy_doc.h"
#include "agent/report.h"
#include "lib/text.h"

struct doc {
	char *b;
	size_t n, cap;
};

static void doc_printf(struct doc *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
doc_add(struct doc *d, const char *s, size_t n)
{
	if (d->n + n + 1 > d->cap) {
		d->cap = (d->n + n + 1) * 2;
		d->b = realloc(d->b, d->cap);
		if (d->b == NULL)
			abort();
	}
	memcpy(d->b + d->n, s, n);
	d->n += n;
	d->b[d->n] = '\0';
}

static void
doc_printf(struct doc *d, const char *fmt, ...)
{
	va_list ap, ap2;
	char *s;
	int n;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		abort();
	vsnprintf(s, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	doc_add(d, s, (size_t)n);
	free(s);
}

static void
doc_str(struct doc *d, const char *s)
{
	doc_add(d, s, strlen(s));
}

/* Text for a Markdown table cell: "|" escaped, line breaks as spaces. */
static void
doc_cell(struct doc *d, const char *s)
{
	for (; s != NULL && *s; s++) {
		if (*s == '|')
			doc_str(d, "\\|");
		else if (*s == '\n' || *s == '\r')
			doc_str(d, " ");
		else
			doc_add(d, s, 1);
	}
}

static void
doc_legal_ref(struct doc *d, const struct policy *p, const char *id)
{
	const struct legal *l = policy_legal(p, id);

	if (l == NULL) {
		doc_printf(d, "`%s`", id);
		return;
	}
	doc_printf(d, "%s %s (%s / %s", l->title.vi, l->number, l->title.en,
	    l->number);
	doc_printf(d, "; hiệu lực từ / in force from %s", l->effective);
	if (l->until != NULL)
		doc_printf(d, " đến / until %s", l->until);
	doc_str(d, ")");
	if (l->unverified.vi != NULL)
		doc_printf(d, " — **chưa xác minh / unverified:** %s / %s",
		    l->unverified.vi, l->unverified.en);
}

static void
doc_check(struct doc *d, const struct policy *p, const struct check *c,
    const char *today)
{
	json_t *basis = policy_basis(p, c, today), *v;
	size_t i;
	int lv;
	bool first = true;

	doc_printf(d, "### `%s` — %s\n\n*%s*\n\n", c->id, c->title.vi,
	    c->title.en);
	doc_printf(d, "- Mức độ / severity: %s / %s\n",
	    report_severity_label(severity_name(c->severity), false),
	    severity_name(c->severity));
	doc_str(d, "- Cấp độ / levels:");
	for (lv = 1; lv <= 5; lv++)
		if (c->levels & (1u << lv))
		{
			doc_printf(d, "%s%d", first ? " " : ", ", lv);
			first = false;
		}
	doc_printf(d, "\n- Nền tảng / platform: %s%s%s\n",
	    c->platforms & PLATFORM_LINUX ? "linux" : "",
	    c->platforms == (PLATFORM_LINUX | PLATFORM_WINDOWS) ? ", " : "",
	    c->platforms & PLATFORM_WINDOWS ? "windows" : "");
	doc_str(d, "- Căn cứ pháp lý / legal basis:\n");
	json_array_foreach(basis, i, v) {
		doc_str(d, "  - ");
		doc_legal_ref(d, p, json_string_value(v));
		doc_str(d, "\n");
	}
	json_decref(basis);
	if (c->applies_text != NULL)
		doc_printf(d, "- Áp dụng khi / applies when: `%s`\n",
		    c->applies_text);
	doc_printf(d, "\nĐiều kiện đạt / passes when:\n\n```\n%s\n```\n\n",
	    c->condition_text);
	doc_printf(d, "**Lý do.** %s\n\n*Rationale.* %s\n\n",
	    c->rationale.vi, c->rationale.en);
	doc_printf(d, "**Khắc phục.** %s\n\n*Remedy.* %s\n\n", c->remedy.vi,
	    c->remedy.en);
}

char *
policy_doc_checks(const struct policy *p, const char *today)
{
	struct doc d = {NULL, 0, 0};
	const char *name;
	json_t *doc, *v;
	size_t i, n;
	int pt;

	doc_printf(&d, "# Tiêu chí kiểm tra / Checks\n\n"
	    "*Tệp này được sinh từ bộ tiêu chí (`canhgac-agent policy doc "
	    "checks`); đừng sửa tay. Generated from the policy; do not edit."
	    "*\n\nCăn cứ pháp lý tính đến ngày / legal basis as of %s. "
	    "%zu tiêu chí / checks.\n\n", today ? today : "-",
	    p ? p->nchecks : 0);
	for (pt = 1; p != NULL && pt <= 8; pt++) {
		for (n = 0, i = 0; i < p->nchecks; i++)
			n += p->checks[i].point == pt;
		doc_printf(&d, "## Điểm %d — %s / Point %d — %s\n\n", pt,
		    report_point_title(pt, false), pt,
		    report_point_title(pt, true));
		if (n == 0)
			doc_str(&d, "*Chưa có tiêu chí tự động. No automated "
			    "check.*\n\n");
		for (i = 0; i < p->nchecks; i++)
			if (p->checks[i].point == pt)
				doc_check(&d, p, &p->checks[i], today);
	}
	doc_str(&d, "## Tham số / Parameters\n\n| tham số / parameter | "
	    "mặc định / default | mô tả | description |\n|---|---|---|---|\n");
	json_object_foreach(p ? p->param_docs : NULL, name, doc) {
		char *def;

		v = json_object_get(p->params, name);
		def = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		doc_printf(&d, "| `%s` | `", name);
		doc_cell(&d, def);
		doc_str(&d, "` | ");
		doc_cell(&d, json_string_value(json_object_get(doc, "vi")));
		doc_str(&d, " | ");
		doc_cell(&d, json_string_value(json_object_get(doc, "en")));
		doc_str(&d, " |\n");
		free(def);
	}
	doc_str(&d, "\n## Danh mục văn bản pháp lý / Legal catalogue\n\n"
	    "| mã / id | số / number | tên | title | hiệu lực / effective | "
	    "đến / until | thay bằng / successor |\n"
	    "|---|---|---|---|---|---|---|\n");
	for (i = 0; p != NULL && i < p->nlegal; i++) {
		const struct legal *l = &p->legal[i];

		doc_printf(&d, "| `%s` | ", l->id);
		doc_cell(&d, l->number);
		doc_str(&d, " | ");
		doc_cell(&d, l->title.vi);
		doc_str(&d, " | ");
		doc_cell(&d, l->title.en);
		doc_printf(&d, " | %s | %s | %s |\n", l->effective,
		    l->until ? l->until : "", l->successor ? l->successor : "");
	}
	return d.b;
}

char *
policy_doc_facts(const struct schema *s)
{
	struct doc d = {NULL, 0, 0};
	size_t i;

	doc_str(&d, "# Thông tin thu thập / Facts\n\n*Sinh từ "
	    "`src/agent/facts.schema` (`canhgac-agent policy doc facts`); "
	    "đừng sửa tay. Generated from the schema; do not edit.*\n\n"
	    "Cờ / flags: **key** — định danh phần tử trong bằng chứng / "
	    "identifies an item in evidence; **live** — chỉ biết trên máy "
	    "đang chạy / only known on the running system; **root** — cần "
	    "quyền root / needs root.\n\n"
	    "| thông tin / fact | kiểu / type | cờ / flags | mô tả | "
	    "description |\n|---|---|---|---|---|\n");
	for (i = 0; s != NULL && i < s->nfields; i++) {
		const struct schema_field *f = &s->fields[i];

		doc_printf(&d, "| `%s` | %s | %s%s%s%s%s | ", f->path,
		    ftype_name(f->type), f->key ? "key" : "",
		    f->key && (f->live || f->root) ? ", " : "",
		    f->live ? "live" : "", f->live && f->root ? ", " : "",
		    f->root ? "root" : "");
		doc_cell(&d, f->doc_vi);
		doc_str(&d, " | ");
		doc_cell(&d, f->doc_en);
		doc_str(&d, " |\n");
	}
	return d.b;
}
