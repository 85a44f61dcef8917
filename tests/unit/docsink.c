/*
 * docsink.c — the recording document sink of the extractor tests
 * (docsink.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "docsink.h"

static enum doc_next
docsink_line(struct doc_sink *self, const struct doc_line *l)
{
	struct docsink *d = (struct docsink *)self;
	struct docsink_line *o;

	if (d->n < DOCSINK_MAX) {
		o = &d->l[d->n];
		snprintf(o->text, sizeof(o->text), "%.*s", (int)l->len,
		    l->text);
		snprintf(o->part, sizeof(o->part), "%s", l->part);
		o->len = l->len;
		o->zone = l->zone;
		o->enc = l->enc;
		o->flags = l->flags;
		o->page = l->page;
		o->index = l->index;
	}
	d->n++;
	return d->answer != NULL ? d->answer(d, l) : DOC_NEXT_MORE;
}

void
docsink_init(struct docsink *d, docsink_answer_fn answer)
{
	memset(d, 0, sizeof(*d));
	d->sink.line = docsink_line;
	d->answer = answer;
}

void
docsink_ctx(struct doc_ctx *ctx, struct doc_limits *lim, struct docsink *d)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->lim = lim;
	ctx->sink = &d->sink;
	ctx->prefix = "";
}

const struct docsink_line *
docsink_at(const struct docsink *d, size_t i)
{
	assert_true(i < d->n);
	assert_true(i < DOCSINK_MAX);
	return &d->l[i];
}

const struct docsink_line *
docsink_find(const struct docsink *d, const char *text, unsigned page)
{
	size_t i;

	for (i = 0; i < d->n && i < DOCSINK_MAX; i++)
		if (strcmp(d->l[i].text, text) == 0 && d->l[i].page == page)
			return &d->l[i];
	return NULL;
}

const struct docsink_line *
docsink_has(const struct docsink *d, unsigned page, const char *s,
    const char *but)
{
	size_t i;

	for (i = 0; i < d->n && i < DOCSINK_MAX; i++)
		if (d->l[i].page == page && strstr(d->l[i].text, s) != NULL &&
		    (but == NULL || strstr(d->l[i].text, but) == NULL))
			return &d->l[i];
	return NULL;
}

size_t
docsink_count(const struct docsink *d, const char *needle)
{
	size_t i, k = 0;

	for (i = 0; i < d->n && i < DOCSINK_MAX; i++)
		if (strstr(d->l[i].text, needle) != NULL)
			k++;
	return k;
}

static enum doc_next
docsink_rec_answer(struct docsink *d, const struct doc_line *l)
{
	struct docsink_rec *r = (struct docsink_rec *)d;

	assert_true(d->n <= DOCSINK_MAX);
	if (r->stop_after > 0 && d->n >= r->stop_after)
		return DOC_NEXT_STOP;
	if (l->zone == r->skip_zone && r->skip_body_after >= 0 &&
	    ++r->body >= (unsigned)r->skip_body_after)
		return DOC_NEXT_SKIP;
	return DOC_NEXT_MORE;
}

void
docsink_rec_init(struct docsink_rec *r)
{
	memset(r, 0, sizeof(*r));
	docsink_init(&r->d, docsink_rec_answer);
	r->skip_body_after = -1;
}

void
docsink_line_is(const struct docsink *d, size_t i, const char *text,
    enum doc_zone zone, unsigned flags, unsigned page, const char *part)
{
	assert_true(i < d->n);
	assert_string_equal(d->l[i].text, text);
	assert_int_equal(d->l[i].zone, zone);
	assert_int_equal(d->l[i].flags, flags);
	assert_int_equal(d->l[i].page, page);
	assert_string_equal(d->l[i].part, part);
}
