/*
 * tmpl.h — the console's template engine: a small subset of Mustache over
 * jansson models, parsed once at start-up (the .html files of web/templates/). Every
 * value is HTML-escaped; raw output ({{& name}}) is allowed only for model
 * keys starting with "html_" (markup the server itself produced, such as
 * SVG charts), so that nothing an agent sent can reach a page unescaped.
 *
 *	{{name}} {{a.b}} {{.}}	a value, escaped (& < > " ' `)
 *	{{#name}}…{{/name}}	array: each item; object, true, non-empty
 *				string, non-zero number: once, as context
 *	{{^name}}…{{/name}}	when name is missing, false, null, empty, 0
 *	{{> partial}}		another template of the set
 *	{{_ msgid}}		catalogue text in the request's language
 *	{{& html_name}}		raw
 *	{{% name}}		one URL path segment: percent-encoded but for
 *				A-Z a-z 0-9 - . _ ~ ("/" too)
 *	{{! comment}}
 */
#ifndef CG_TMPL_H
#define CG_TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define TMPL_MAX_DEPTH 24		/* nested sections and partials */
#define TMPL_MAX_OUTPUT (8u << 20)	/* bytes of one rendering */
#define TMPL_NAME_MAX 128		/* of a tag's name */

struct tmpl_set;

struct tmpl_set *tmpl_set_new(void);
void tmpl_set_free(struct tmpl_set *ts);

/* Parses text as template name (e.g. "layout"; file names the source in
 * errors). 0, or -1 with err "file:line:col: <vi> — <en>". */
int tmpl_set_add(struct tmpl_set *ts, const char *name, const char *file,
    const char *text, size_t len, char *err, size_t errlen);

/* Checks what needs the whole set: every partial exists, and every msgid
 * is known to has_msg (called with each msgid). 0 or -1 with err naming
 * file:line:col and the id. */
int tmpl_set_check(const struct tmpl_set *ts,
    bool (*has_msg)(void *arg, const char *msgid), void *arg, char *err,
    size_t errlen);

bool tmpl_exists(const struct tmpl_set *ts, const char *name);

/* Renders template name with model (borrowed). msg gives the text of a
 * msgid (NULL renders nothing). *out is malloc'd and NUL-terminated. 0, or
 * -1 with err (unknown template, too deep, output too large). */
int tmpl_render(const struct tmpl_set *ts, const char *name, json_t *model,
    const char *(*msg)(void *arg, const char *msgid), void *arg, char **out,
    size_t *len, char *err, size_t errlen);

/* A malloc'd HTML-escaped copy of s (never NULL), for code that builds
 * markup (html_ values) itself. */
char *tmpl_escape(const char *s);

#endif
