/*
 * msg.c — loads the message catalogue (msg.h) from YAML with libyaml's
 * event parser: one mapping of ids, each a mapping with exactly the keys
 * vi and en and string values. The entries are kept sorted for bsearch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "lib/text.h"
#include "server/msg.h"

struct msg_entry {
	char *id, *vi, *en;
};

struct msg_catalog {
	struct msg_entry *e;
	size_t n, cap;
};

void
msg_free(struct msg_catalog *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->e[i].id);
		free(c->e[i].vi);
		free(c->e[i].en);
	}
	free(c->e);
	free(c);
}

static int
msg_cmp(const void *a, const void *b)
{
	return strcmp(((const struct msg_entry *)a)->id,
	    ((const struct msg_entry *)b)->id);
}

const char *
msg_get(const struct msg_catalog *c, const char *id, bool en)
{
	struct msg_entry key, *e;

	if (c == NULL || id == NULL || c->n == 0)
		return NULL;
	key.id = (char *)id;
	e = bsearch(&key, c->e, c->n, sizeof(*c->e), msg_cmp);
	if (e == NULL)
		return NULL;
	return en ? e->en : e->vi;
}

size_t
msg_count(const struct msg_catalog *c)
{
	return c ? c->n : 0;
}

struct msg_parse {
	yaml_parser_t p;
	const char *file;
	char *err;
	size_t errlen;
};

static int
msg_fail(struct msg_parse *mp, const yaml_mark_t *m, const char *vi,
    const char *en, const char *id)
{
	snprintf(mp->err, mp->errlen, "%s:%zu:%zu: %s%s%s%s — %s%s%s%s",
	    mp->file, m->line + 1, m->column + 1, vi, id ? " “" : "",
	    id ? id : "", id ? "”" : "", en, id ? " “" : "", id ? id : "",
	    id ? "”" : "");
	return -1;
}

/* The next event; -1 with err on a syntax error. */
static int
msg_next(struct msg_parse *mp, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&mp->p, ev)) {
		snprintf(mp->err, mp->errlen, "%s:%zu:%zu: YAML không hợp lệ: %s "
		    "— invalid YAML: %s", mp->file,
		    mp->p.problem_mark.line + 1, mp->p.problem_mark.column + 1,
		    mp->p.problem ? mp->p.problem : "?",
		    mp->p.problem ? mp->p.problem : "?");
		return -1;
	}
	return 0;
}

static bool
msg_id_valid(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > MSG_ID_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '_' || s[i] == '-' || s[i] == '.'))
			return false;
	return true;
}

/* One entry's {vi: …, en: …} after its id. */
static int
msg_entry(struct msg_parse *mp, const char *id, struct msg_entry *e)
{
	yaml_event_t ev;
	yaml_mark_t start;
	int rc = -1;

	if (msg_next(mp, &ev) != 0)
		return -1;
	start = ev.start_mark;
	if (ev.type != YAML_MAPPING_START_EVENT) {
		yaml_event_delete(&ev);
		return msg_fail(mp, &start, "cần một ánh xạ {vi: …, en: …} cho",
		    "want a mapping {vi: …, en: …} for", id);
	}
	yaml_event_delete(&ev);
	for (;;) {
		yaml_event_t kv;
		char **slot;
		const char *v;
		size_t vlen;

		if (msg_next(mp, &ev) != 0)
			return -1;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			msg_fail(mp, &ev.start_mark, "cần khóa vi hoặc en trong",
			    "want key vi or en in", id);
			yaml_event_delete(&ev);
			return -1;
		}
		if (strcmp((char *)ev.data.scalar.value, "vi") == 0)
			slot = &e->vi;
		else if (strcmp((char *)ev.data.scalar.value, "en") == 0)
			slot = &e->en;
		else {
			msg_fail(mp, &ev.start_mark, "khóa lạ (chỉ vi, en) trong",
			    "unknown key (only vi, en) in", id);
			yaml_event_delete(&ev);
			return -1;
		}
		if (*slot != NULL) {
			msg_fail(mp, &ev.start_mark, "khóa lặp lại trong",
			    "repeated key in", id);
			yaml_event_delete(&ev);
			return -1;
		}
		yaml_event_delete(&ev);
		if (msg_next(mp, &kv) != 0)
			return -1;
		if (kv.type != YAML_SCALAR_EVENT) {
			msg_fail(mp, &kv.start_mark, "cần một chuỗi trong",
			    "want a string in", id);
			yaml_event_delete(&kv);
			return -1;
		}
		v = (const char *)kv.data.scalar.value;
		vlen = kv.data.scalar.length;
		if (vlen == 0 || !text_valid_utf8(v, vlen)) {
			msg_fail(mp, &kv.start_mark, "văn bản rỗng hoặc không "
			    "phải UTF-8 trong", "empty or not UTF-8 text in", id);
			yaml_event_delete(&kv);
			return -1;
		}
		if (slot == &e->vi) {
			char *nfc = text_nfc(v, vlen);
			bool same = nfc != NULL && strcmp(nfc, v) == 0;

			free(nfc);
			if (!same) {
				msg_fail(mp, &kv.start_mark, "tiếng Việt phải ở "
				    "dạng NFC (dựng sẵn) trong", "Vietnamese must "
				    "be in NFC (precomposed) in", id);
				yaml_event_delete(&kv);
				return -1;
			}
		}
		*slot = text_ndup(v, vlen);
		yaml_event_delete(&kv);
	}
	if (e->vi == NULL || e->en == NULL)
		return msg_fail(mp, &start, e->vi == NULL ? "thiếu bản tiếng "
		    "Việt (vi) của" : "thiếu bản tiếng Anh (en) của",
		    e->vi == NULL ? "no Vietnamese (vi) text for" :
		    "no English (en) text for", id);
	rc = 0;
	return rc;
}

int
msg_load(const char *file, const char *text, size_t len,
    struct msg_catalog **out, char *err, size_t errlen)
{
	struct msg_parse mp;
	struct msg_catalog *c;
	yaml_event_t ev;
	size_t i;
	int rc = -1, level = 0;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(err, errlen, "hết bộ nhớ — out of memory");
		return -1;
	}
	memset(&mp, 0, sizeof(mp));
	mp.file = file;
	mp.err = err;
	mp.errlen = errlen;
	yaml_parser_initialize(&mp.p);
	yaml_parser_set_input_string(&mp.p, (const unsigned char *)text, len);
	/* stream start, document start, mapping start */
	while (level < 3) {
		if (msg_next(&mp, &ev) != 0)
			goto out;
		if ((level == 0 && ev.type != YAML_STREAM_START_EVENT) ||
		    (level == 1 && ev.type != YAML_DOCUMENT_START_EVENT) ||
		    (level == 2 && ev.type != YAML_MAPPING_START_EVENT)) {
			msg_fail(&mp, &ev.start_mark, "cần một ánh xạ các mã "
			    "thông điệp", "want a mapping of message ids", NULL);
			yaml_event_delete(&ev);
			goto out;
		}
		yaml_event_delete(&ev);
		level++;
	}
	for (;;) {
		struct msg_entry e;
		yaml_mark_t at;

		if (msg_next(&mp, &ev) != 0)
			goto out;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		at = ev.start_mark;
		if (ev.type != YAML_SCALAR_EVENT ||
		    !msg_id_valid((char *)ev.data.scalar.value)) {
			msg_fail(&mp, &at, "mã thông điệp không hợp lệ "
			    "([A-Za-z0-9_.-], tối đa 96)", "invalid message id "
			    "([A-Za-z0-9_.-], at most 96)", ev.type ==
			    YAML_SCALAR_EVENT ? (char *)ev.data.scalar.value :
			    NULL);
			yaml_event_delete(&ev);
			goto out;
		}
		memset(&e, 0, sizeof(e));
		e.id = text_dup((char *)ev.data.scalar.value);
		yaml_event_delete(&ev);
		if (msg_get(c, e.id, false) != NULL || c->n >= MSG_MAX_ENTRIES) {
			msg_fail(&mp, &at, c->n >= MSG_MAX_ENTRIES ? "quá nhiều "
			    "thông điệp ở" : "mã thông điệp lặp lại",
			    c->n >= MSG_MAX_ENTRIES ? "too many messages at" :
			    "repeated message id", e.id);
			free(e.id);
			goto out;
		}
		if (msg_entry(&mp, e.id, &e) != 0) {
			free(e.id);
			free(e.vi);
			free(e.en);
			goto out;
		}
		if (c->n == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 64;
			struct msg_entry *ne = realloc(c->e, cap * sizeof(*ne));

			if (ne == NULL) {
				free(e.id);
				free(e.vi);
				free(e.en);
				snprintf(err, errlen, "hết bộ nhớ — out of memory");
				goto out;
			}
			c->e = ne;
			c->cap = cap;
		}
		/* Kept sorted as it grows, so that repeats are found. */
		for (i = c->n; i > 0 && strcmp(c->e[i - 1].id, e.id) > 0; i--)
			c->e[i] = c->e[i - 1];
		c->e[i] = e;
		c->n++;
	}
	rc = 0;
out:
	yaml_parser_delete(&mp.p);
	if (rc != 0) {
		msg_free(c);
		return -1;
	}
	*out = c;
	return 0;
}
