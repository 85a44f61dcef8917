/*
 * store_sqlite_batch.c — store_batch(): one agent's upload stored in one
 * transaction, the hot path of the server (10,000 agents of 300 findings
 * every 5 minutes: about 33 reports and 10,000 findings a second).
 *
 * A report reads the host's findings once, merges them with its own in
 * check order and writes only what changed: a finding seen again
 * unchanged costs nothing (its last_seen is stored as 0, "in the host's
 * latest report", and read as hosts.report_at), a fact section only when
 * its SHA-256 changed, a check's catalogue entry only when its text did.
 * A report older than the host's latest is kept as history only; the
 * latest one's points 1-8 are kept in host_points for the console
 * (store_schema.c, migration 6), the open failing findings per check are
 * counted by the schema's triggers.
 *
 * Group commit: the callers that arrive while a group is being stored
 * queue their batches; the next of them to lead stores up to GROUP_MAX
 * of them in one transaction, each under its own savepoint (a failing
 * batch is undone alone), commits once (one fsync for the group: an
 * acknowledged batch is still on disk), then wakes each caller with its
 * own result. Fact values are kept compressed (store_int.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <zlib.h>

#include "lib/text.h"
#include "server/store.h"
#include "server/store_int.h"

#define STORE_MAX_SECTIONS 1024		/* fact sections kept per host */
#define GROUP_MAX 32			/* batches in one transaction */

/* A caller of store_batch, on its stack while it waits in the queue. */
struct batch_req {
	const struct store_agent *a;
	const struct ingest_batch *b;
	int64_t now;
	struct store_batch_result *r;
	char *err;
	size_t errlen;
	int ret;
	bool stored;			/* in the open transaction */
	bool done;			/* committed, or refused: ret says */
	struct batch_req *next;
};

/* An existing finding of a host, loaded for the merge. */
struct old_finding {
	int64_t id;
	const char *check, *status, *severity, *evidence;
	int64_t first_seen, last_seen, resolved;
};

static const char *const status_names[] = {
	[INGEST_PASS] = "pass", [INGEST_FAIL] = "fail", [INGEST_NA] = "na",
	[INGEST_ERROR] = "error",
};

static char *
xstrdup(const unsigned char *s)
{
	return s == NULL ? NULL : text_dup((const char *)s);
}

/* The check cache. */

static uint64_t
fnv(uint64_t h, const char *s)
{
	if (s == NULL)
		return (h ^ 0xff) * 0x100000001b3ULL;
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xfe) * 0x100000001b3ULL;	/* field separator */
}

static uint64_t
check_hash(const struct ingest_finding *f)
{
	char point[16];
	uint64_t h = 0xcbf29ce484222325ULL;

	snprintf(point, sizeof(point), "%d", f->point);
	h = fnv(h, f->severity);
	h = fnv(h, point);
	h = fnv(h, f->title_vi);
	h = fnv(h, f->title_en);
	h = fnv(h, f->remedy_vi);
	h = fnv(h, f->remedy_en);
	return fnv(h, f->basis);
}

void
sql_checks_forget(struct store *st)
{
	if (st->checks != NULL && st->nchecks > 0)
		memset(st->checks, 0,
		    CHECK_CACHE_SLOTS * sizeof(*st->checks));
	st->nchecks = 0;
}

static struct check_slot *
checks_slot(struct store *st, const char *id)
{
	size_t i = (size_t)fnv(0xcbf29ce484222325ULL, id) &
	    (CHECK_CACHE_SLOTS - 1);

	while (st->checks[i].id[0] != '\0' && strcmp(st->checks[i].id, id))
		i = (i + 1) & (CHECK_CACHE_SLOTS - 1);
	return &st->checks[i];
}

/* Writes the catalogue entry of f's check unless this handle already
 * wrote the same text. */
static int
check_put(struct store *st, const struct ingest_finding *f, char *err,
    size_t errlen)
{
	struct check_slot *slot = NULL;
	sqlite3_stmt *s;
	uint64_t h = check_hash(f);
	bool cacheable = strlen(f->check) <= CHECK_ID_MAX;
	int rc;

	if (cacheable) {
		slot = checks_slot(st, f->check);
		if (slot->id[0] != '\0' && slot->hash == h)
			return STORE_OK;
	}
	if ((s = sql_stmt(st, S_CHECK_PUT, err, errlen)) == NULL)
		return STORE_ERR;
	sql_bind_text(s, 1, f->check);
	sql_bind_text(s, 2, f->severity);
	sqlite3_bind_int(s, 3, f->point);
	sql_bind_text(s, 4, f->title_vi);
	sql_bind_text(s, 5, f->title_en);
	sql_bind_text(s, 6, f->remedy_vi);
	sql_bind_text(s, 7, f->remedy_en);
	sql_bind_text(s, 8, f->basis);
	if ((rc = sql_run(s)) != SQLITE_OK)
		return sql_dberr(st, rc, "store_batch checks", err, errlen);
	if (!cacheable)
		return STORE_OK;
	if (slot->id[0] == '\0') {
		if (st->nchecks >= CHECK_CACHE_MAX) {
			sql_checks_forget(st);
			slot = checks_slot(st, f->check);
		}
		sql_copy(slot->id, sizeof(slot->id),
		    (const unsigned char *)f->check);
		st->nchecks++;
	}
	slot->hash = h;
	return STORE_OK;
}

/* Ingestion. */

struct batch_ctx {
	struct store *st;
	const struct ingest_batch *b;
	struct store_batch_result *r;
	const char *agent_id;
	char host_id[81];
	int64_t unit_id;
	int64_t batch_row;
	int64_t hid, report_at;
	int64_t now;
	const char *version;		/* of the newest report stored */
	char *err;
	size_t errlen;
};

static int
old_finding_cmp(const void *a, const void *b)
{
	return strcmp(((const struct old_finding *)a)->check,
	    ((const struct old_finding *)b)->check);
}

/* The report's findings in check order; a check named twice keeps its
 * first occurrence (ties broken by position). */
static int
new_finding_cmp(const void *a, const void *b)
{
	const struct ingest_finding *fa =
	    *(const struct ingest_finding *const *)a;
	const struct ingest_finding *fb =
	    *(const struct ingest_finding *const *)b;
	int c = strcmp(fa->check, fb->check);

	if (c != 0)
		return c;
	return fa < fb ? -1 : fa > fb;
}

static bool
status_open(const char *s)
{
	return strcmp(s, "fail") == 0 || strcmp(s, "error") == 0;
}

static bool
str_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* The host's findings, their text in one arena: one allocation or two
 * for 300 findings instead of 1,200. */
struct old_findings {
	struct old_finding *v;
	size_t (*off)[4];		/* of the strings while loading */
	size_t n, cap;
	char *arena;
	size_t len, size;
};

static void
old_findings_free(struct old_findings *o)
{
	free(o->v);
	free(o->off);
	free(o->arena);
	memset(o, 0, sizeof(*o));
}

/* Appends a column's text to the arena: its offset, or SIZE_MAX for
 * NULL or when out of memory (*oom). */
static size_t
arena_add(struct old_findings *o, sqlite3_stmt *s, int col, bool *oom)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	size_t n, off, size;
	char *p;

	if (t == NULL)
		return SIZE_MAX;
	n = (size_t)sqlite3_column_bytes(s, col) + 1;
	if (o->len + n > o->size) {
		size = o->size ? o->size : 16384;
		while (size < o->len + n)
			size *= 2;
		if ((p = realloc(o->arena, size)) == NULL) {
			*oom = true;
			return SIZE_MAX;
		}
		o->arena = p;
		o->size = size;
	}
	off = o->len;
	memcpy(o->arena + off, t, n);
	o->len += n;
	return off;
}

static int
old_findings_load(struct batch_ctx *c, struct old_findings *o)
{
	struct store *st = c->st;
	struct old_finding *f, *t;
	size_t (*to)[4], i;
	sqlite3_stmt *s;
	bool oom = false;
	int rc;

	memset(o, 0, sizeof(*o));
	if ((s = sql_stmt(st, S_FINDINGS_GET, c->err, c->errlen)) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(s, 1, c->hid);
	while (!oom && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (o->n == o->cap) {
			o->cap = o->cap ? o->cap * 2 : 512;
			if ((t = realloc(o->v, o->cap * sizeof(*t))) != NULL)
				o->v = t;
			if ((to = realloc(o->off, o->cap * sizeof(*to))) !=
			    NULL)
				o->off = to;
			if (t == NULL || to == NULL) {
				oom = true;
				break;
			}
		}
		/* strings are offsets until the arena stops moving */
		for (i = 0; i < 4; i++)
			o->off[o->n][i] = arena_add(o, s, (int)i + 1, &oom);
		f = &o->v[o->n++];
		f->id = sqlite3_column_int64(s, 0);
		f->first_seen = sqlite3_column_int64(s, 5);
		f->last_seen = sqlite3_column_int64(s, 6);
		f->resolved = sqlite3_column_int64(s, 7);
	}
	sql_done(s);
	if (oom) {
		old_findings_free(o);
		sql_seterr(c->err, c->errlen, "hết bộ nhớ — out of memory");
		return STORE_ERR;
	}
	if (rc != SQLITE_DONE) {
		old_findings_free(o);
		return sql_dberr(st, rc, "store_batch findings", c->err,
		    c->errlen);
	}
	for (i = 0; i < o->n; i++) {
		f = &o->v[i];
#define AT(k) (o->off[i][k] == SIZE_MAX ? NULL : o->arena + o->off[i][k])
		f->check = AT(0);
		f->status = AT(1);
		f->severity = AT(2);
		f->evidence = AT(3);
#undef AT
		if (f->check == NULL || f->status == NULL ||
		    f->severity == NULL) {
			old_findings_free(o);
			sql_seterr(c->err, c->errlen, "%s: dòng findings "
			    "thiếu cột bắt buộc — %s: a findings row lacks a "
			    "required column", st->path, st->path);
			return STORE_ERR;
		}
	}
	if (o->n > 1)
		qsort(o->v, o->n, sizeof(*o->v), old_finding_cmp);
	return STORE_OK;
}

struct open_counts {
	int all, critical, high;
};

static void
open_count(struct open_counts *oc, const char *severity)
{
	oc->all++;
	if (strcmp(severity, "critical") == 0)
		oc->critical++;
	else if (strcmp(severity, "high") == 0)
		oc->high++;
}

/* A finding the host did not have. */
static int
finding_add(struct batch_ctx *c, const struct ingest_finding *f,
    int64_t t, struct open_counts *oc)
{
	const char *status = status_names[f->status];
	bool open = status_open(status);
	sqlite3_stmt *s;
	int rc;

	if ((s = sql_stmt(c->st, S_FINDING_ADD, c->err, c->errlen)) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(s, 1, c->hid);
	sql_bind_text(s, 2, f->check);
	sql_bind_text(s, 3, status);
	sql_bind_text(s, 4, f->severity);
	sql_bind_text(s, 5, f->evidence);
	sqlite3_bind_int64(s, 6, t);
	/* resolved 0 means open: a check first seen passing is "resolved"
	 * from the start */
	sqlite3_bind_int64(s, 7, open ? 0 : t);
	if ((rc = sql_run(s)) != SQLITE_OK)
		return sql_dberr(c->st, rc, "store_batch findings", c->err,
		    c->errlen);
	if (open) {
		c->r->opened++;
		open_count(oc, f->severity);
	}
	return STORE_OK;
}

/* A finding the host had: opens, resolves, changes or is seen again
 * unchanged, which writes nothing. */
static int
finding_merge(struct batch_ctx *c, const struct ingest_finding *f,
    const struct old_finding *o, int64_t t, struct open_counts *oc)
{
	const char *status = status_names[f->status];
	bool was_open = o->resolved == 0, open = status_open(status);
	int64_t first_seen = o->first_seen, resolved = o->resolved;
	sqlite3_stmt *s;
	int rc;

	if (!was_open && open) {
		first_seen = t;		/* a new failing episode */
		resolved = 0;
		c->r->opened++;
	} else if (was_open && !open) {
		resolved = t;
		c->r->resolved++;
	}
	if (open)
		open_count(oc, f->severity);
	if (o->last_seen == 0 && first_seen == o->first_seen &&
	    resolved == o->resolved && str_same(status, o->status) &&
	    str_same(f->severity, o->severity) &&
	    str_same(f->evidence, o->evidence))
		return STORE_OK;
	if ((s = sql_stmt(c->st, S_FINDING_UPDATE, c->err, c->errlen)) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(s, 1, o->id);
	sql_bind_text(s, 2, status);
	sql_bind_text(s, 3, f->severity);
	sql_bind_text(s, 4, f->evidence);
	sqlite3_bind_int64(s, 5, first_seen);
	sqlite3_bind_int64(s, 6, resolved);
	if ((rc = sql_run(s)) != SQLITE_OK)
		return sql_dberr(c->st, rc, "store_batch findings", c->err,
		    c->errlen);
	return STORE_OK;
}

/* A finding the report no longer has: the check was removed or no longer
 * applies. Its last_seen stays the host's previous report; open, it is
 * resolved (status na). */
static int
finding_gone(struct batch_ctx *c, const struct old_finding *o, int64_t t)
{
	bool open = o->resolved == 0;
	sqlite3_stmt *s;
	int rc;

	if (!open && o->last_seen != 0)
		return STORE_OK;	/* already gone before */
	if ((s = sql_stmt(c->st, S_FINDING_GONE, c->err, c->errlen)) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(s, 1, o->id);
	sql_bind_text(s, 2, open ? "na" : o->status);
	sqlite3_bind_int64(s, 3, o->last_seen != 0 ? o->last_seen :
	    c->report_at);
	sqlite3_bind_int64(s, 4, open ? t : o->resolved);
	if ((rc = sql_run(s)) != SQLITE_OK)
		return sql_dberr(c->st, rc, "store_batch findings", c->err,
		    c->errlen);
	if (open)
		c->r->resolved++;
	return STORE_OK;
}

/* Merges the report's findings, in check order, with the host's. Called
 * before c->report_at moves to this report. */
static int
report_findings(struct batch_ctx *c, size_t idx,
    const struct ingest_report *rep, struct open_counts *oc)
{
	const struct ingest_finding **nf = NULL, *f;
	struct old_findings old;
	size_t i, j = 0, n = rep->nfindings;
	int64_t t = rep->collected_at;
	int cmp, ret = STORE_OK;

	memset(oc, 0, sizeof(*oc));
	for (i = 0; i < n; i++) {
		f = &rep->findings[i];
		if (f->check == NULL || f->severity == NULL ||
		    (unsigned)f->status > INGEST_ERROR) {
			sql_seterr(c->err, c->errlen,
			    "reports[%zu].findings[%zu]:"
			    " thiếu check, status hoặc severity — missing or "
			    "invalid check, status or severity", idx, i);
			return STORE_ERR;
		}
	}
	if (n > 0 && (nf = calloc(n, sizeof(*nf))) == NULL) {
		sql_seterr(c->err, c->errlen, "hết bộ nhớ — out of memory");
		return STORE_ERR;
	}
	if ((ret = old_findings_load(c, &old)) != STORE_OK) {
		free(nf);
		return ret;
	}
	for (i = 0; i < n; i++)
		nf[i] = &rep->findings[i];
	if (n > 1)
		qsort(nf, n, sizeof(*nf), new_finding_cmp);

	i = 0;
	while (ret == STORE_OK && (i < n || j < old.n)) {
		if (i > 0 && i < n && strcmp(nf[i]->check,
		    nf[i - 1]->check) == 0) {
			i++;		/* the same check again: ignored */
			continue;
		}
		if (i == n)
			cmp = 1;
		else if (j == old.n)
			cmp = -1;
		else
			cmp = strcmp(nf[i]->check, old.v[j].check);
		if (cmp <= 0)
			ret = check_put(c->st, nf[i], c->err, c->errlen);
		if (ret != STORE_OK)
			break;
		if (cmp < 0)
			ret = finding_add(c, nf[i++], t, oc);
		else if (cmp == 0)
			ret = finding_merge(c, nf[i++], &old.v[j++], t, oc);
		else
			ret = finding_gone(c, &old.v[j++], t);
	}
	free(nf);
	old_findings_free(&old);
	return ret;
}

/* The merge of report_findings for a host without an agent or a report
 * row (the portal monitor's sites, store_sqlite_site.c). */
int
sql_findings_merge(struct store *st, int64_t hid, int64_t report_at,
    const struct ingest_report *rep, struct sql_merge_result *r, char *err,
    size_t errlen)
{
	struct store_batch_result br;
	struct batch_ctx c;
	struct open_counts oc;
	int ret;

	memset(&br, 0, sizeof(br));
	memset(&c, 0, sizeof(c));
	memset(r, 0, sizeof(*r));
	c.st = st;
	c.r = &br;
	c.hid = hid;
	c.report_at = report_at;
	c.now = rep->collected_at;
	c.err = err;
	c.errlen = errlen;
	if ((ret = report_findings(&c, 0, rep, &oc)) != STORE_OK)
		return ret;
	r->opened = br.opened;
	r->resolved = br.resolved;
	r->open_all = oc.all;
	r->open_critical = oc.critical;
	r->open_high = oc.high;
	return STORE_OK;
}

struct section {
	char *name;
	char sha[65];
	bool seen;
};

static int
section_cmp(const void *a, const void *b)
{
	return strcmp(((const struct section *)a)->name,
	    ((const struct section *)b)->name);
}

static void
sha256_hex(const char *text, size_t len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char h[crypto_hash_sha256_BYTES];
	size_t i;

	crypto_hash_sha256(h, (const unsigned char *)text, len);
	for (i = 0; i < sizeof(h); i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 15];
	}
	out[64] = '\0';
}

/* Fact values. */

int
sql_value_pack(const char *text, size_t len, unsigned char **out,
    size_t *outlen)
{
	unsigned char *p;
	uLongf n;

	*out = NULL;
	*outlen = 0;
	if (len <= STORE_PACK_MIN || len > STORE_VALUE_MAX)
		return 0;
	n = compressBound((uLong)len);
	if ((p = malloc(4 + n)) == NULL)
		return -1;
	if (compress2(p + 4, &n, (const Bytef *)text, (uLong)len,
	    Z_DEFAULT_COMPRESSION) != Z_OK || 4 + n >= len) {
		free(p);		/* kept as text */
		return 0;
	}
	p[0] = (unsigned char)(len >> 24);
	p[1] = (unsigned char)(len >> 16);
	p[2] = (unsigned char)(len >> 8);
	p[3] = (unsigned char)len;
	*out = p;
	*outlen = 4 + n;
	return 0;
}

/* A section's new value as it is written: packed or as text. */
struct fact_value {
	const char *text;
	unsigned char *blob;
	size_t bloblen;
};

static int
fact_value_init(struct batch_ctx *c, struct fact_value *v, const char *text)
{
	v->text = text;
	if (sql_value_pack(text, strlen(text), &v->blob, &v->bloblen) != 0) {
		sql_seterr(c->err, c->errlen, "hết bộ nhớ — out of memory");
		return STORE_ERR;
	}
	return STORE_OK;
}

static void
fact_value_bind(sqlite3_stmt *s, int i, const struct fact_value *v)
{
	if (v->blob != NULL)
		sqlite3_bind_blob(s, i, v->blob, (int)v->bloblen,
		    SQLITE_STATIC);
	else
		sql_bind_text(s, i, v->text);
}

static int
fact_history_add(struct batch_ctx *c, const char *section,
    const struct fact_value *value, int64_t t)
{
	sqlite3_stmt *s;
	int rc;

	s = sql_stmt(c->st, S_FACT_HISTORY_ADD, c->err, c->errlen);
	if (s == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(s, 1, c->hid);
	sqlite3_bind_int64(s, 2, t);
	sql_bind_text(s, 3, section);
	fact_value_bind(s, 4, value);
	if ((rc = sql_run(s)) != SQLITE_OK)
		return sql_dberr(c->st, rc, "store_batch facts", c->err,
		    c->errlen);
	c->r->fact_changes++;
	return STORE_OK;
}

static int
fact_put(struct batch_ctx *c, const char *section, const char *sha,
    const char *text, int64_t t)
{
	struct fact_value v;
	sqlite3_stmt *s;
	int rc, ret;

	if ((ret = fact_value_init(c, &v, text)) != STORE_OK)
		return ret;
	if ((s = sql_stmt(c->st, S_FACT_PUT, c->err, c->errlen)) == NULL) {
		free(v.blob);
		return STORE_ERR;
	}
	sqlite3_bind_int64(s, 1, c->hid);
	sql_bind_text(s, 2, section);
	sql_bind_text(s, 3, sha);
	fact_value_bind(s, 4, &v);
	sqlite3_bind_int64(s, 5, t);
	if ((rc = sql_run(s)) != SQLITE_OK)
		ret = sql_dberr(c->st, rc, "store_batch facts", c->err,
		    c->errlen);
	else
		ret = fact_history_add(c, section, &v, t);
	free(v.blob);
	return ret;
}

static int
fact_del(struct batch_ctx *c, const char *section, int64_t t)
{
	static const struct fact_value gone = { "null", NULL, 0 };
	sqlite3_stmt *s;
	int rc;

	if ((s = sql_stmt(c->st, S_FACT_DEL, c->err, c->errlen)) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(s, 1, c->hid);
	sql_bind_text(s, 2, section);
	if ((rc = sql_run(s)) != SQLITE_OK)
		return sql_dberr(c->st, rc, "store_batch facts", c->err,
		    c->errlen);
	return fact_history_add(c, section, &gone, t);
}

/* The sections of facts whose value changed since the host's latest, each
 * with a history row. A report without facts (its snapshot was dropped by
 * the agent's queue) changes nothing. */
static int
report_facts(struct batch_ctx *c, const struct ingest_report *rep)
{
	struct section *old = NULL, *t, key, *hit;
	size_t nold = 0, cap = 0, i, kept = 0;
	int64_t when = rep->collected_at;
	sqlite3_stmt *s;
	const char *name;
	json_t *v;
	char sha[65], *text;
	int rc, ret = STORE_OK;

	if (!json_is_object(rep->facts))
		return STORE_OK;
	if ((s = sql_stmt(c->st, S_FACTS_GET, c->err, c->errlen)) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(s, 1, c->hid);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (nold == cap) {
			cap = cap ? cap * 2 : 32;
			if ((t = realloc(old, cap * sizeof(*old))) == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			old = t;
		}
		old[nold].name = xstrdup(sqlite3_column_text(s, 0));
		sql_copy(old[nold].sha, sizeof(old[nold].sha),
		    sqlite3_column_text(s, 1));
		old[nold].seen = false;
		nold++;
	}
	sql_done(s);
	if (rc != SQLITE_DONE) {
		ret = sql_dberr(c->st, rc, "store_batch facts", c->err,
		    c->errlen);
		goto out;
	}
	if (nold > 1)
		qsort(old, nold, sizeof(*old), section_cmp);

	json_object_foreach(rep->facts, name, v) {
		if (kept++ >= STORE_MAX_SECTIONS)
			break;
		/* sorted keys: the same value always hashes the same */
		text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS |
		    JSON_ENCODE_ANY);
		if (text == NULL) {
			sql_seterr(c->err, c->errlen,
			    "facts.%s: không ghi được JSON "
			    "— facts.%s: cannot encode JSON", name, name);
			ret = STORE_ERR;
			break;
		}
		sha256_hex(text, strlen(text), sha);
		key.name = (char *)name;
		hit = nold ? bsearch(&key, old, nold, sizeof(*old),
		    section_cmp) : NULL;
		if (hit != NULL)
			hit->seen = true;
		if (hit == NULL || strcmp(hit->sha, sha) != 0)
			ret = fact_put(c, name, sha, text, when);
		free(text);
		if (ret != STORE_OK)
			break;
	}
	for (i = 0; ret == STORE_OK && i < nold; i++)
		if (!old[i].seen)
			ret = fact_del(c, old[i].name, when);
out:
	for (i = 0; i < nold; i++)
		free(old[i].name);
	free(old);
	return ret;
}

/* A count of a point of the summary: an integer clamped to 0-100000, else
 * 0 (as migration 6 of store_schema.c reads the stored summaries). */
static json_int_t
point_count(json_t *p, const char *name)
{
	json_t *v = json_object_get(p, name);
	json_int_t n;

	if (!json_is_integer(v))
		return 0;
	n = json_integer_value(v);
	return n < 0 ? 0 : n > 100000 ? 100000 : n;
}

/* The host's points 1-8 (host_points) from the summary of its latest
 * report: what summary.points gives for each, its score when a number
 * within 0-100. */
static int
report_points(struct batch_ctx *c, const struct ingest_report *rep)
{
	json_t *points = json_object_get(rep->summary, "points"), *p, *v;
	sqlite3_stmt *s;
	char key[2] = "0";
	double score;
	int rc, i;

	if ((s = sql_stmt(c->st, S_POINTS_CLEAR, c->err, c->errlen)) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(s, 1, c->hid);
	if ((rc = sql_run(s)) != SQLITE_OK)
		return sql_dberr(c->st, rc, "store_batch host_points", c->err,
		    c->errlen);
	if (!json_is_object(points))
		return STORE_OK;
	for (i = 1; i <= 8; i++) {
		key[0] = (char)('0' + i);
		if (!json_is_object(p = json_object_get(points, key)))
			continue;
		if ((s = sql_stmt(c->st, S_POINT_PUT, c->err, c->errlen)) ==
		    NULL)
			return STORE_ERR;
		sqlite3_bind_int64(s, 1, c->hid);
		sqlite3_bind_int(s, 2, i);
		sqlite3_bind_int64(s, 3, point_count(p, "pass"));
		sqlite3_bind_int64(s, 4, point_count(p, "fail"));
		sqlite3_bind_int64(s, 5, point_count(p, "na"));
		sqlite3_bind_int64(s, 6, point_count(p, "error"));
		v = json_object_get(p, "score");
		score = json_is_number(v) ? json_number_value(v) : -1;
		if (score >= 0 && score <= 100)
			sqlite3_bind_double(s, 7, score);
		if ((rc = sql_run(s)) != SQLITE_OK)
			return sql_dberr(c->st, rc, "store_batch host_points",
			    c->err, c->errlen);
	}
	return STORE_OK;
}

/* A report newer than what the host showed so far: it becomes the host's
 * current state. */
static int
report_current(struct batch_ctx *c, size_t idx,
    const struct ingest_report *rep)
{
	struct open_counts oc;
	sqlite3_stmt *s;
	int rc, ret;

	if ((ret = report_findings(c, idx, rep, &oc)) != STORE_OK ||
	    (ret = report_facts(c, rep)) != STORE_OK ||
	    (ret = report_points(c, rep)) != STORE_OK)
		return ret;
	if ((s = sql_stmt(c->st, S_HOST_UPDATE, c->err, c->errlen)) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(s, 1, c->hid);
	sql_bind_text(s, 2, rep->hostname);
	sql_bind_text(s, 3, rep->os_id);
	sql_bind_text(s, 4, rep->os_name);
	sql_bind_text(s, 5, rep->os_version);
	sql_bind_text(s, 6, rep->kernel);
	sql_bind_text(s, 7, rep->arch);
	sql_bind_text(s, 8, rep->platform);
	sqlite3_bind_int(s, 9, rep->level);
	sqlite3_bind_int64(s, 10, rep->collected_at);
	sqlite3_bind_int(s, 11, rep->score);
	sqlite3_bind_int(s, 12, rep->pass);
	sqlite3_bind_int(s, 13, rep->fail);
	sqlite3_bind_int(s, 14, rep->na);
	sqlite3_bind_int(s, 15, rep->error);
	sqlite3_bind_int(s, 16, oc.all);
	sqlite3_bind_int(s, 17, oc.critical);
	sqlite3_bind_int(s, 18, oc.high);
	if ((rc = sql_run(s)) != SQLITE_OK)
		return sql_dberr(c->st, rc, "store_batch hosts", c->err,
		    c->errlen);
	c->report_at = rep->collected_at;
	if (rep->agent_version != NULL)
		c->version = rep->agent_version;
	return STORE_OK;
}

/* One report: kept once per host, and the host's state when newest. */
static int
batch_report(struct batch_ctx *c, size_t idx)
{
	const struct ingest_report *rep = &c->b->reports[idx];
	sqlite3_stmt *s;
	char *summary = NULL;
	int rc;

	if (rep->host_id == NULL || strcmp(rep->host_id, c->host_id) != 0) {
		sql_seterr(c->err, c->errlen,
		    "reports[%zu].host.id: báo cáo về "
		    "máy %s, không phải máy %s của agent — the report is about "
		    "host %s, not the agent's host %s", idx,
		    rep->host_id ? rep->host_id : "", c->host_id,
		    rep->host_id ? rep->host_id : "", c->host_id);
		return STORE_ERR;
	}
	if (rep->report_id == NULL || rep->hostname == NULL) {
		sql_seterr(c->err, c->errlen,
		    "reports[%zu]: thiếu report_id hoặc "
		    "hostname — missing report_id or hostname", idx);
		return STORE_ERR;
	}
	if ((s = sql_stmt(c->st, S_REPORT_ADD, c->err, c->errlen)) == NULL)
		return STORE_ERR;
	if (rep->summary != NULL)
		summary = json_dumps(rep->summary, JSON_COMPACT |
		    JSON_ENCODE_ANY);
	sqlite3_bind_int64(s, 1, c->hid);
	sql_bind_text(s, 2, rep->report_id);
	sqlite3_bind_int64(s, 3, c->batch_row);
	sqlite3_bind_int64(s, 4, rep->collected_at);
	sqlite3_bind_int64(s, 5, c->now);
	sqlite3_bind_int(s, 6, rep->score);
	sqlite3_bind_int(s, 7, rep->pass);
	sqlite3_bind_int(s, 8, rep->fail);
	sqlite3_bind_int(s, 9, rep->na);
	sqlite3_bind_int(s, 10, rep->error);
	sql_bind_text(s, 11, summary);
	rc = sql_run(s);
	free(summary);
	if (rc != SQLITE_OK)
		return sql_dberr(c->st, rc, "store_batch reports", c->err,
		    c->errlen);
	if (sqlite3_changes(c->st->db) == 0) {
		c->r->skipped++;	/* already stored for this host */
		return STORE_OK;
	}
	c->r->reports++;

	if ((s = sql_stmt(c->st, S_SCORE_ADD, c->err, c->errlen)) == NULL)
		return STORE_ERR;
	sql_bind_text(s, 1, c->host_id);
	sqlite3_bind_int64(s, 2, rep->collected_at);
	sqlite3_bind_double(s, 3, rep->score);
	if ((rc = sql_run(s)) != SQLITE_OK)
		return sql_dberr(c->st, rc, "store_batch scores", c->err,
		    c->errlen);
	/* an older report is history only */
	if (rep->collected_at < c->report_at)
		return STORE_OK;
	return report_current(c, idx, rep);
}

/* The agent, its host and the batch row; *dup when already stored. */
static int
batch_start(struct batch_ctx *c, bool *dup)
{
	struct store *st = c->st;
	const struct ingest_report *first = c->b->nreports ?
	    &c->b->reports[0] : NULL;
	sqlite3_stmt *s;
	int rc;
	int64_t revoked_at = 0;

	*dup = false;
	if ((s = sql_stmt(st, S_AGENT_FOR_BATCH, c->err, c->errlen)) == NULL)
		return STORE_ERR;
	sql_bind_text(s, 1, c->agent_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		sql_copy(c->host_id, sizeof(c->host_id),
		    sqlite3_column_text(s, 0));
		c->unit_id = sqlite3_column_int64(s, 1);
		revoked_at = sqlite3_column_int64(s, 2);
	}
	sql_done(s);
	if (rc == SQLITE_DONE) {
		sql_seterr(c->err, c->errlen, "không có agent %s — no agent %s",
		    c->agent_id, c->agent_id);
		return STORE_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return sql_dberr(st, rc, "store_batch", c->err, c->errlen);
	if (revoked_at != 0) {
		sql_seterr(c->err, c->errlen,
		    "agent %s đã bị thu hồi — agent %s "
		    "was revoked", c->agent_id, c->agent_id);
		return STORE_EREVOKED;
	}

	if ((s = sql_stmt(st, S_BATCH_ADD, c->err, c->errlen)) == NULL)
		return STORE_ERR;
	sql_bind_text(s, 1, c->agent_id);
	sql_bind_text(s, 2, c->b->batch_id);
	sqlite3_bind_int64(s, 3, c->now);
	if ((rc = sql_run(s)) != SQLITE_OK)
		return sql_dberr(st, rc, "store_batch", c->err, c->errlen);
	if (sqlite3_changes(st->db) == 0) {
		*dup = true;
		return STORE_OK;
	}
	c->batch_row = sqlite3_last_insert_rowid(st->db);

	if ((s = sql_stmt(st, S_HOST_GET, c->err, c->errlen)) == NULL)
		return STORE_ERR;
	sql_bind_text(s, 1, c->host_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		c->hid = sqlite3_column_int64(s, 0);
		c->report_at = sqlite3_column_int64(s, 1);
	}
	sql_done(s);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	if (rc != SQLITE_DONE)
		return sql_dberr(st, rc, "store_batch", c->err, c->errlen);
	/* the host row went missing: made again in the agent's unit */
	if ((s = sql_stmt(st, S_HOST_ADD, c->err, c->errlen)) == NULL)
		return STORE_ERR;
	sql_bind_text(s, 1, c->host_id);
	sql_bind_text(s, 2, first && first->hostname ? first->hostname :
	    c->host_id);
	sqlite3_bind_int64(s, 3, c->unit_id);
	sql_bind_text(s, 4, c->agent_id);
	sqlite3_bind_int64(s, 5, c->now);
	if ((rc = sql_run(s)) != SQLITE_OK)
		return sql_dberr(st, rc, "store_batch", c->err, c->errlen);
	c->hid = sqlite3_last_insert_rowid(st->db);
	c->report_at = 0;
	return STORE_OK;
}

/* The batch's row count, the agent and host last seen, one event. */
static int
batch_finish(struct batch_ctx *c)
{
	struct store *st = c->st;
	sqlite3_stmt *s;
	int rc;

	if ((s = sql_stmt(st, S_BATCH_COUNT, c->err, c->errlen)) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(s, 1, c->batch_row);
	sqlite3_bind_int(s, 2, c->r->reports);
	if ((rc = sql_run(s)) != SQLITE_OK)
		return sql_dberr(st, rc, "store_batch", c->err, c->errlen);

	if ((s = sql_stmt(st, S_AGENT_SEEN, c->err, c->errlen)) == NULL)
		return STORE_ERR;
	sql_bind_text(s, 1, c->agent_id);
	sqlite3_bind_int64(s, 2, c->now);
	sql_bind_text(s, 3, c->version);
	if ((rc = sql_run(s)) != SQLITE_OK)
		return sql_dberr(st, rc, "store_batch", c->err, c->errlen);

	if ((s = sql_stmt(st, S_HOST_SEEN, c->err, c->errlen)) == NULL)
		return STORE_ERR;
	sqlite3_bind_int64(s, 1, c->hid);
	sqlite3_bind_int64(s, 2, c->now);
	sql_bind_text(s, 3, c->agent_id);
	if ((rc = sql_run(s)) != SQLITE_OK)
		return sql_dberr(st, rc, "store_batch", c->err, c->errlen);

	return sql_event_json(st, c->now,
	    "batch.stored", c->agent_id, c->host_id,
	    json_pack("{s:s, s:i, s:i, s:i, s:i, s:i}", "batch",
	    c->b->batch_id, "reports", c->r->reports, "skipped",
	    c->r->skipped, "opened", c->r->opened, "resolved",
	    c->r->resolved, "fact_changes", c->r->fact_changes), c->err,
	    c->errlen);
}

/* Group commit. */

/* Runs a savepoint statement: SQLITE_OK or the error. */
static int
savepoint(struct store *st, enum store_stmt id)
{
	sqlite3_stmt *s;

	if ((s = sql_stmt(st, id, NULL, 0)) == NULL)
		return SQLITE_ERROR;
	return sql_run(s);
}

/* Undoes what the batch wrote (when SQLite did not already roll the
 * whole transaction back: disk full, I/O error); what the check cache
 * remembers may be undone with it. */
static void
batch_undo(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db)) {
		savepoint(st, S_ROLLBACK_TO);
		savepoint(st, S_RELEASE);
	}
	sql_checks_forget(st);
}

/* One batch inside the group's transaction, under its own savepoint. */
static int
batch_run(struct store *st, struct batch_req *q)
{
	struct batch_ctx c;
	bool dup;
	size_t i;
	int rc, ret;

	memset(&c, 0, sizeof(c));
	c.st = st;
	c.b = q->b;
	c.r = q->r;
	c.agent_id = q->a->id;
	c.now = q->now;
	c.err = q->err;
	c.errlen = q->errlen;

	if ((rc = savepoint(st, S_SAVEPOINT)) != SQLITE_OK)
		return sql_dberr(st, rc, "store_batch", q->err, q->errlen);
	if ((ret = batch_start(&c, &dup)) != STORE_OK)
		goto fail;
	if (dup) {
		/* nothing was written; also when the first copy is in this
		 * very group */
		q->r->duplicate = true;
	} else {
		for (i = 0; i < q->b->nreports; i++)
			if ((ret = batch_report(&c, i)) != STORE_OK)
				goto fail;
		if ((ret = batch_finish(&c)) != STORE_OK)
			goto fail;
	}
	if ((rc = savepoint(st, S_RELEASE)) != SQLITE_OK) {
		ret = sql_dberr(st, rc, "store_batch", q->err, q->errlen);
		goto fail;
	}
	return STORE_OK;
fail:
	batch_undo(st);
	memset(q->r, 0, sizeof(*q->r));
	return ret;
}

/* The batches of the transaction from first to end (excluded) that were
 * stored in it are not: they get the error of why (ret, from's err). */
static void
group_lost(struct batch_req *first, struct batch_req *end, int ret,
    const struct batch_req *from)
{
	struct batch_req *q;

	for (q = first; q != end; q = q->next) {
		if (!q->stored)
			continue;
		q->stored = false;
		q->ret = ret;
		memset(q->r, 0, sizeof(*q->r));
		if (q != from)
			sql_seterr(q->err, q->errlen, "%s", from->err);
	}
}

/* Stores a group of batches: one transaction (or more, when SQLite
 * rolls one back whole), one savepoint and one result per batch. */
static void
group_store(struct store *st, struct batch_req *g)
{
	struct batch_req *q, *first = NULL, *last = NULL;
	int ret;

	pthread_mutex_lock(&st->lock);
	for (q = g; q != NULL; q = q->next) {
		if (first == NULL) {
			if ((ret = sql_tx_begin(st, "store_batch", q->err,
			    q->errlen)) != STORE_OK) {
				q->ret = ret;
				continue;
			}
			first = q;
		}
		q->ret = batch_run(st, q);
		q->stored = q->ret == STORE_OK;
		if (q->stored)
			last = q;
		if (sqlite3_get_autocommit(st->db)) {
			/* SQLite rolled the transaction back: the batches
			 * before this one are lost with it */
			if (q->ret == STORE_OK) {
				sql_seterr(q->err, q->errlen, "%s: giao dịch "
				    "bị hủy — %s: the transaction was rolled "
				    "back", st->path, st->path);
				q->ret = STORE_ERR;
				q->stored = false;
			}
			group_lost(first, q, q->ret, q);
			sql_checks_forget(st);
			first = last = NULL;
		}
	}
	if (first != NULL) {
		if (last == NULL)
			sql_tx_rollback(st);	/* nothing to keep */
		else if ((ret = sql_tx_commit(st, "store_batch", last->err,
		    last->errlen)) != STORE_OK)
			group_lost(first, NULL, ret, last);
	}
	pthread_mutex_unlock(&st->lock);
}

int
store_batch(struct store *st, const struct store_agent *a,
    const struct ingest_batch *b, int64_t now, struct store_batch_result *r,
    char *err, size_t errlen)
{
	struct batch_req me, *g, *q, *next, **end;
	int n;

	memset(r, 0, sizeof(*r));
	if (b->batch_id == NULL || !sql_id_valid(b->batch_id,
	    INGEST_BATCH_ID_MAX) || (b->nreports > 0 && b->reports == NULL)) {
		sql_seterr(err, errlen,
		    "batch: mã lô không hợp lệ — batch: invalid "
		    "batch id");
		return STORE_ERR;
	}
	if (sql_writable(st, "lưu lô báo cáo — store a batch", err,
	    errlen) != STORE_OK)
		return STORE_ERR;
	memset(&me, 0, sizeof(me));
	me.a = a;
	me.b = b;
	me.now = now;
	me.r = r;
	me.err = err;
	me.errlen = errlen;

	pthread_mutex_lock(&st->queue_lock);
	*st->queue_tail = &me;
	st->queue_tail = &me.next;
	st->nqueue++;
	for (;;) {
		while (!me.done && st->leader)
			pthread_cond_wait(&st->queue_done, &st->queue_lock);
		if (me.done)
			break;
		/* lead: the first GROUP_MAX batches of the queue (this one
		 * among them unless the queue is longer) */
		st->leader = true;
		g = st->queue;
		for (end = &st->queue, n = 0; *end != NULL && n < GROUP_MAX;
		    end = &(*end)->next, n++)
			;
		st->queue = *end;
		if (st->queue == NULL)
			st->queue_tail = &st->queue;
		*end = NULL;
		st->nqueue -= (size_t)n;
		pthread_mutex_unlock(&st->queue_lock);

		group_store(st, g);

		pthread_mutex_lock(&st->queue_lock);
		for (q = g; q != NULL; q = next) {
			next = q->next;
			q->done = true;	/* its caller may return now */
		}
		st->leader = false;
		pthread_cond_broadcast(&st->queue_done);
	}
	pthread_mutex_unlock(&st->queue_lock);
	return me.ret;
}
