/*
 * sitejob.c — the portal monitor on the server (sitejob.h): picks the
 * registered sites to check, groups them by origin (every site of an
 * origin in the same round, so that a kind that no page raised any more
 * is resolved and not just unseen), runs site_round (src/site/monitor.c)
 * once for the origins watched with their sitemap and once for the
 * others, and turns each origin's alerts into one finding per alert kind
 * (check "site-<kind>", point 3) stored by store_site_round. docs/sites.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"
#include "server/sitejob.h"
#include "site/monitor.h"

static const char *const sitejob_sev[] = {
	"info", "low", "medium", "high", "critical",
};

static int
sev_rank(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < sizeof(sitejob_sev) /
	    sizeof(sitejob_sev[0]); i++)
		if (strcmp(s, sitejob_sev[i]) == 0)
			return (int)i;
	return -1;
}

int
sitejob_init(struct sitejob *j, struct store *st,
    const struct serverconf *sc, char *err, size_t errlen)
{
	memset(j, 0, sizeof(*j));
	j->st = st;
	j->sc = sc;
	j->state_dir = file_join(sc->data_dir, SITEJOB_STATE_DIR);
	if (mkdir(j->state_dir, 0750) != 0 && errno != EEXIST) {
		int e = errno;

		snprintf(err, errlen, "%s: không tạo được thư mục: %s — cannot "
		    "make the directory: %s", j->state_dir,
		    text_strerror_vi(e) ? text_strerror_vi(e) : strerror(e),
		    strerror(e));
		sitejob_free(j);
		return -1;
	}
	if (site_vocab_load(NULL, &j->vocab, err, errlen) != 0) {
		sitejob_free(j);
		return -1;
	}
	return 0;
}

void
sitejob_free(struct sitejob *j)
{
	free(j->state_dir);
	site_vocab_free(j->vocab);
	memset(j, 0, sizeof(*j));
}

/* --- the sites of a round ---------------------------------------------- */

/* A registered site, copied out of the store's row. */
struct jsite {
	char *url, *origin;
	int64_t unit_id;
	bool sitemap;
};

struct jsites {
	struct jsite *v;
	size_t n, cap;
	json_t *origins;		/* origin -> true: those to take */
	json_t *seen;			/* url -> true: taken already */
};

static int
jsites_add(const struct store_site *s, void *arg)
{
	struct jsites *l = arg;
	struct jsite *t;

	if (json_object_get(l->seen, s->url) != NULL)
		return 0;
	if (l->origins != NULL && json_object_get(l->origins, s->origin) ==
	    NULL)
		return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		if ((t = realloc(l->v, l->cap * sizeof(*t))) == NULL)
			abort();
		l->v = t;
	}
	l->v[l->n].url = text_dup(s->url);
	l->v[l->n].origin = text_dup(s->origin);
	l->v[l->n].unit_id = s->unit_id;
	l->v[l->n].sitemap = s->sitemap;
	l->n++;
	json_object_set_new(l->seen, s->url, json_true());
	return 0;
}

static void
jsites_free(struct jsites *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].url);
		free(l->v[i].origin);
	}
	free(l->v);
	json_decref(l->origins);
	json_decref(l->seen);
	memset(l, 0, sizeof(*l));
}

/* Every registered site of the origins in l->origins. */
static int
jsites_of_origins(struct sitejob *j, struct jsites *l, char *err,
    size_t errlen)
{
	const char *o;
	json_t *v;
	struct store_site_filter f;
	int ret;

	json_object_foreach(l->origins, o, v) {
		memset(&f, 0, sizeof(f));
		f.origin = o;
		if ((ret = store_sites(j->st, &f, jsites_add, l, err,
		    errlen)) != STORE_OK)
			return ret;
	}
	return STORE_OK;
}

/* --- a round's alerts as findings ----------------------------------------- */

/* Per origin, the alerts of each kind (arrays), filled from a round. */
struct jorigin {
	const char *origin;
	int64_t unit_id;
	json_t *kinds;			/* code -> [alert...] */
};

static void
alert_file(struct jorigin *o, size_t n, json_t *a, const char *page_url)
{
	const char *url = json_str(a, "url", page_url), *kind;
	char *origin = store_site_origin(url);
	json_t *arr;
	size_t i;

	if (origin == NULL && page_url != NULL)
		origin = store_site_origin(page_url);
	kind = json_str(a, "kind", NULL);
	for (i = 0; origin != NULL && kind != NULL && i < n; i++) {
		if (strcmp(o[i].origin, origin) != 0)
			continue;
		if ((arr = json_object_get(o[i].kinds, kind)) == NULL) {
			arr = json_array();
			json_object_set_new(o[i].kinds, kind, arr);
		}
		json_array_append(arr, a);
		break;
	}
	free(origin);
}

/* The evidence of a finding: the alerts of its kind (at most
 * SITEJOB_EVIDENCE_ALERTS, SITEJOB_EVIDENCE_MAX bytes), and the worst
 * severity among them in *sev. */
static char *
finding_evidence(json_t *alerts, const char **sev)
{
	json_t *ev = json_object(), *list = json_array(), *a, *it;
	size_t i, len = 0;
	char *s;

	json_array_foreach(alerts, i, a) {
		const char *as = json_str(a, "severity", NULL);

		if (sev_rank(as) > sev_rank(*sev))
			*sev = sitejob_sev[sev_rank(as)];
		if (i >= SITEJOB_EVIDENCE_ALERTS)
			continue;
		it = json_object();
		json_set_str(it, "url", json_str(a, "url", ""));
		json_set_str(it, "fetch", json_str(a, "fetch", ""));
		if (json_object_get(a, "evidence") != NULL)
			json_object_set(it, "evidence",
			    json_object_get(a, "evidence"));
		s = json_dumps(it, JSON_COMPACT);
		if (s != NULL && len + strlen(s) < SITEJOB_EVIDENCE_MAX) {
			len += strlen(s);
			json_array_append(list, it);
		}
		free(s);
		json_decref(it);
	}
	json_object_set_new(ev, "alerts", list);
	json_object_set_new(ev, "count", json_integer((json_int_t)
	    json_array_size(alerts)));
	s = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(ev);
	return s;
}

/* The page of a round with url, or NULL. */
static json_t *
round_page(json_t *rounds, const char *url)
{
	json_t *res, *p;
	size_t i, k;

	json_array_foreach(rounds, k, res)
		json_array_foreach(json_object_get(res, "pages"), i, p)
			if (strcmp(json_str(p, "url", ""), url) == 0)
				return p;
	return NULL;
}

/* Stores the rounds' results for the sites of l. */
static int
sitejob_store(struct sitejob *j, struct jsites *l, json_t *rounds,
    int64_t now, struct sitejob_result *r, char *err, size_t errlen)
{
	struct jorigin *o;
	struct store_site_host *hosts;
	struct store_site_checked *checked;
	struct ingest_finding *f;
	struct store_site_round rd;
	struct store_site_round_result rr;
	char **texts;
	json_t *res, *p, *a;
	size_t i, k, q, no = 0, nf = 0, ntexts = 0;
	int ret;

	o = calloc(l->n + 1, sizeof(*o));
	hosts = calloc(l->n + 1, sizeof(*hosts));
	checked = calloc(l->n + 1, sizeof(*checked));
	f = calloc((l->n + 1) * SITE_ALERT_COUNT, sizeof(*f));
	texts = calloc((l->n + 1) * SITE_ALERT_COUNT * 2, sizeof(*texts));
	if (o == NULL || hosts == NULL || checked == NULL || f == NULL ||
	    texts == NULL)
		abort();
	for (i = 0; i < l->n; i++) {
		for (k = 0; k < no; k++)
			if (strcmp(o[k].origin, l->v[i].origin) == 0)
				break;
		if (k == no) {
			o[no].origin = l->v[i].origin;
			o[no].unit_id = l->v[i].unit_id;
			o[no].kinds = json_object();
			no++;
		}
	}
	json_array_foreach(rounds, q, res) {
		json_array_foreach(json_object_get(res, "pages"), i, p)
			json_array_foreach(json_object_get(p, "alerts"), k, a)
				alert_file(o, no, a, json_str(p, "url", NULL));
		json_array_foreach(json_object_get(res, "site"), k, a)
			alert_file(o, no, a, NULL);
	}
	for (i = 0; i < no; i++) {
		hosts[i].origin = o[i].origin;
		hosts[i].unit_id = o[i].unit_id;
		hosts[i].findings = &f[nf];
		for (k = 0; k < SITE_ALERT_COUNT; k++) {
			const char *code = site_alert_code((enum site_alert_kind)k);
			json_t *al = json_object_get(o[i].kinds, code);
			struct ingest_finding *x = &f[nf++];

			x->check = texts[ntexts++] = text_printf("site-%s", code);
			x->severity = site_alert_severity((enum site_alert_kind)k);
			x->point = 3;
			x->title_vi = site_alert_title((enum site_alert_kind)k, false);
			x->title_en = site_alert_title((enum site_alert_kind)k, true);
			if (json_array_size(al) > 0) {
				x->status = INGEST_FAIL;
				x->evidence = texts[ntexts++] =
				    finding_evidence(al, &x->severity);
			} else
				x->status = INGEST_PASS;
			hosts[i].nfindings++;
		}
	}
	for (i = 0; i < l->n; i++) {
		checked[i].url = l->v[i].url;
		p = round_page(rounds, l->v[i].url);
		if (p == NULL)
			checked[i].error = "không được kiểm tra — not checked";
		else if (json_object_get(p, "learn_error") != NULL)
			checked[i].error = json_str(p, "learn_error", NULL);
		else
			checked[i].error = json_str(json_object_get(
			    json_object_get(p, "fetches"), "browser"), "error",
			    NULL);
	}
	memset(&rd, 0, sizeof(rd));
	rd.now = now;
	rd.hosts = hosts;
	rd.nhosts = no;
	rd.checked = checked;
	rd.nchecked = l->n;
	rd.opened = j->opened;
	rd.arg = j->arg;
	ret = store_site_round(j->st, &rd, &rr, err, errlen);
	if (ret == STORE_OK) {
		r->opened += rr.opened;
		r->resolved += rr.resolved;
		r->events += rr.events;
		r->origins += no;
		r->sites += l->n;
	}
	for (i = 0; i < no; i++)
		json_decref(o[i].kinds);
	for (i = 0; i < ntexts; i++)
		free(texts[i]);
	free(texts);
	free(f);
	free(checked);
	free(hosts);
	free(o);
	return ret;
}

/* --- rounds ------------------------------------------------------------- */

static void
sitejob_opts(struct sitejob *j, struct site_limits *lim,
    struct site_round_opts *o)
{
	site_limits_default(lim);
	if (j->sc->site_concurrency > 0)
		lim->concurrency = j->sc->site_concurrency;
	memset(o, 0, sizeof(*o));
	o->state_dir = j->state_dir;
	o->lim = lim;
	o->cafile = j->sc->site_cafile;
	o->resolve = (const char *const *)j->sc->site_resolve;
	o->nresolve = j->sc->nsite_resolve;
	o->dns_server = j->sc->site_dns_server;
	o->vocab = j->vocab;
}

/* Checks the sites of l (whole origins) in at most two rounds (with and
 * without the sitemap) and stores the result. */
static int
sitejob_run(struct sitejob *j, struct jsites *l, int64_t now,
    struct sitejob_result *r, char *err, size_t errlen)
{
	struct site_limits lim;
	struct site_round_opts o;
	const char **urls;
	json_t *sm = json_object(), *res;
	size_t i, n;
	int pass, ret = STORE_OK;

	memset(r, 0, sizeof(*r));
	r->rounds = json_array();
	if (l->n == 0) {
		json_decref(sm);
		return STORE_OK;
	}
	for (i = 0; i < l->n; i++)
		if (l->v[i].sitemap)
			json_object_set_new(sm, l->v[i].origin, json_true());
	if ((urls = calloc(l->n + 1, sizeof(*urls))) == NULL)
		abort();
	for (pass = 0; pass < 2; pass++) {
		n = 0;
		for (i = 0; i < l->n; i++)
			if ((json_object_get(sm, l->v[i].origin) != NULL) ==
			    (pass == 1))
				urls[n++] = l->v[i].url;
		if (n == 0)
			continue;
		sitejob_opts(j, &lim, &o);
		o.urls = urls;
		o.n = n;
		o.sitemap = pass == 1;
		o.now = now;
		if ((res = site_round(&o, err, errlen)) == NULL) {
			ret = STORE_ERR;
			break;
		}
		json_array_append_new(r->rounds, res);
	}
	free(urls);
	json_decref(sm);
	if (ret == STORE_OK)
		ret = sitejob_store(j, l, r->rounds, now, r, err, errlen);
	return ret;
}

int
sitejob_check(struct sitejob *j, const char *const *urls, size_t n,
    int64_t now, struct sitejob_result *r, char *err, size_t errlen)
{
	struct jsites l;
	struct store_site_filter f;
	size_t i;
	int ret = STORE_OK;

	memset(r, 0, sizeof(*r));
	memset(&l, 0, sizeof(l));
	l.seen = json_object();
	/* the URLs must be registered: their origins are what is checked */
	for (i = 0; i < n && ret == STORE_OK; i++) {
		size_t before = l.n;

		memset(&f, 0, sizeof(f));
		f.url = urls[i];
		ret = store_sites(j->st, &f, jsites_add, &l, err, errlen);
		if (ret == STORE_OK && l.n == before &&
		    json_object_get(l.seen, urls[i]) == NULL) {
			snprintf(err, errlen, "%s: chưa được theo dõi (canhgac "
			    "site add) — not a monitored site (canhgac site "
			    "add)", urls[i]);
			ret = STORE_ENOTFOUND;
		}
	}
	if (ret == STORE_OK) {
		l.origins = json_object();
		for (i = 0; i < l.n; i++)
			json_object_set_new(l.origins, l.v[i].origin,
			    json_true());
		ret = jsites_of_origins(j, &l, err, errlen);
	}
	if (ret == STORE_OK)
		ret = sitejob_run(j, &l, now, r, err, errlen);
	jsites_free(&l);
	return ret;
}

int
sitejob_due(struct sitejob *j, int64_t now, struct sitejob_result *r,
    char *err, size_t errlen)
{
	struct jsites due, l;
	struct store_site_filter f;
	size_t i;
	int ret;

	memset(r, 0, sizeof(*r));
	memset(&due, 0, sizeof(due));
	memset(&l, 0, sizeof(l));
	due.seen = json_object();
	l.seen = json_object();
	memset(&f, 0, sizeof(f));
	f.due_by = now;
	if ((ret = store_sites(j->st, &f, jsites_add, &due, err, errlen)) ==
	    STORE_OK && due.n > 0) {
		l.origins = json_object();
		for (i = 0; i < due.n; i++)
			json_object_set_new(l.origins, due.v[i].origin,
			    json_true());
		ret = jsites_of_origins(j, &l, err, errlen);
	}
	if (ret == STORE_OK && l.n > 0)
		ret = sitejob_run(j, &l, now, r, err, errlen);
	jsites_free(&due);
	jsites_free(&l);
	return ret;
}

json_t *
sitejob_learn(struct sitejob *j, const char *const *urls, size_t n,
    char *err, size_t errlen)
{
	struct site_limits lim;
	struct site_round_opts o;

	sitejob_opts(j, &lim, &o);
	o.urls = urls;
	o.n = n;
	return site_learn(&o, err, errlen);
}
