/*
 * detect.c — compares one check of a page (its browser and crawler
 * fetches, parsed) with the page's baseline and with each other, and
 * raises the alerts of site.h with their evidence: defacement, gambling
 * spam, hidden links, new scripts and frames, miners, redirects,
 * cloaking, availability, TLS, DNS and security headers. What changes on
 * its own was learnt by baseline.c and is ignored here; the thresholds
 * are explained in docs/sites.md. Evidence is bounded (20 items, 300 bytes
 * a string) and left unescaped for whoever prints it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/text.h"
#include "site/detect_int.h"
#include "site/site.h"

#define DET_MAX_ITEMS 20	/* per evidence list */
#define DET_MAX_STR 300		/* bytes per evidence string */
#define DET_MAX_HITS 64
#define DET_EXPIRY_DAYS 21
#define DET_MIN_STABLE 3	/* stable blocks needed to judge "gone" */
#define DET_GONE 0.5		/* share of stable text gone: a signal */
#define DET_GONE_ALONE 0.8	/* … enough alone */
#define DET_SHAPE 0.5		/* structure similarity under: a signal */
#define DET_CLOAK_SHAPE 0.6	/* crawler vs browser similarity under */
#define DET_CLOAK_DOMAINS 5	/* foreign domains only the crawler sees */

static const struct {
	const char *code, *severity;
} det_kinds[SITE_ALERT_COUNT] = {
#define X(e, code, sev) [SITE_ALERT_##e] = { code, sev },
	SITE_ALERT_KINDS
#undef X
};

static const struct {
	const char *vi, *en;
} det_titles[SITE_ALERT_COUNT] = {
	[SITE_ALERT_DEFACED] = { "Trang bị thay đổi giao diện (deface)",
	    "Page defaced" },
	[SITE_ALERT_SPAM] = { "Nội dung cờ bạc, cá cược bị chèn vào trang",
	    "Gambling spam injected into the page" },
	[SITE_ALERT_HIDDEN_LINKS] = { "Liên kết ẩn tới tên miền lạ",
	    "Hidden links to foreign domains" },
	[SITE_ALERT_NEW_SCRIPT] = { "Mã script từ tên miền mới",
	    "Script from a new domain" },
	[SITE_ALERT_NEW_IFRAME] = { "Khung iframe từ tên miền mới",
	    "Iframe from a new domain" },
	[SITE_ALERT_MINER] = { "Mã đào tiền ảo trong trang",
	    "Cryptocurrency miner in the page" },
	[SITE_ALERT_REDIRECT] = { "Chuyển hướng sang tên miền khác",
	    "Redirect to another domain" },
	[SITE_ALERT_CLOAKING] = { "Máy tìm kiếm thấy nội dung khác người "
	    "xem (cloaking)", "Cloaking: search engines see other content" },
	[SITE_ALERT_DOWN] = { "Trang không truy cập được",
	    "Page unavailable" },
	[SITE_ALERT_SLOW] = { "Trang phản hồi chậm", "Slow response" },
	[SITE_ALERT_TLS_INVALID] = { "Chứng thư TLS không hợp lệ",
	    "Invalid TLS certificate" },
	[SITE_ALERT_TLS_EXPIRY] = { "Chứng thư TLS sắp hết hạn",
	    "TLS certificate expires soon" },
	[SITE_ALERT_DNS_CHANGED] = { "Bản ghi DNS thay đổi",
	    "DNS records changed" },
	[SITE_ALERT_HEADERS] = { "Thiếu tiêu đề bảo mật HTTP",
	    "Missing HTTP security headers" },
	[SITE_ALERT_UNREADABLE] = { "Không đọc được nội dung trang",
	    "Page content unreadable" },
};

const char *
site_alert_code(enum site_alert_kind k)
{
	return (unsigned)k < SITE_ALERT_COUNT ? det_kinds[k].code : "unknown";
}

const char *
site_alert_severity(enum site_alert_kind k)
{
	return (unsigned)k < SITE_ALERT_COUNT ? det_kinds[k].severity :
	    "medium";
}

const char *
site_alert_title(enum site_alert_kind k, bool en)
{
	if ((unsigned)k >= SITE_ALERT_COUNT)
		return en ? "Unknown alert" : "Cảnh báo không rõ";
	return en ? det_titles[k].en : det_titles[k].vi;
}

/* What one check compares with, prepared once. */
struct det {
	const struct site_check_in *in;
	const struct site_vocab *v;
	json_t *b;		/* the baseline, or NULL */
	char *own;		/* the asked URL's domain */
	char *bfinal;		/* the baseline's final domain */
	json_t *links, *scripts, *frames, *refresh, *jsredir;	/* sets */
	json_t *terms[3];	/* terms already present, sets */
	json_t *alerts;
};

/* --- evidence helpers ---------------------------------------------------- */

/* A JSON string of s cut to DET_MAX_STR bytes on a character boundary. */
static json_t *
det_str(const char *s)
{
	size_t len, max = DET_MAX_STR;
	json_t *v, *tmp;
	char *c;

	if (s == NULL)
		return json_null();
	len = strlen(s);
	if (len > max) {
		while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
			max--;
		len = max;
	}
	c = text_ndup(s, len);
	tmp = json_object();	/* json_set_str replaces invalid UTF-8 */
	json_set_str(tmp, "s", c);
	v = json_incref(json_object_get(tmp, "s"));
	json_decref(tmp);
	free(c);
	return v != NULL ? v : json_string("");
}

static void
det_set(json_t *obj, const char *key, const char *s)
{
	json_object_set_new(obj, key, det_str(s));
}

/* Appends item to evidence[key] (an array), at most DET_MAX_ITEMS. */
static void
det_push(json_t *ev, const char *key, json_t *item)
{
	json_t *arr = json_object_get(ev, key);

	if (arr == NULL) {
		arr = json_array();
		json_object_set_new(ev, key, arr);
	}
	if (json_array_size(arr) < DET_MAX_ITEMS)
		json_array_append_new(arr, item);
	else
		json_decref(item);
}

/* Appends a vocabulary hit to evidence.terms: the term, the text as
 * found and its context. */
static void
det_push_hit(json_t *ev, const struct site_hit *h)
{
	json_t *t = json_object();

	det_set(t, "term", h->term);
	det_set(t, "found", h->found);
	det_set(t, "context", h->context);
	det_push(ev, "terms", t);
}

/* No evidence: ev released, NULL returned. */
static json_t *
det_none(json_t *ev)
{
	json_decref(ev);
	return NULL;
}

/* ev when it holds key, else no evidence. */
static json_t *
det_if(json_t *ev, const char *key)
{
	return json_object_get(ev, key) != NULL ? ev : det_none(ev);
}

static json_t *
det_set_of(json_t *b, const char *key)
{
	json_t *set = json_object(), *arr = json_object_get(b, key), *v;
	size_t i;

	json_array_foreach(arr, i, v)
		if (json_is_string(v))
			json_object_set_new(set, json_string_value(v),
			    json_true());
	return set;
}

static bool
det_in(json_t *set, const char *s)
{
	return s != NULL && json_object_get(set, s) != NULL;
}

/* true when domain d is "the same site": the asked URL's or the learnt
 * final URL's. */
static bool
det_own(const struct det *d, const char *dom)
{
	return dom != NULL && ((d->own != NULL && strcmp(dom, d->own) == 0) ||
	    (d->bfinal != NULL && strcmp(dom, d->bfinal) == 0));
}

/* A host's domain is foreign: not the site's and not in set. */
static bool
det_foreign_host(const struct det *d, const char *host, json_t *set)
{
	char *dom;
	bool r;

	if (host == NULL)
		return false;
	dom = site_domain(host);
	if (dom == NULL)
		dom = text_dup(host);
	r = !det_own(d, dom) && !det_in(set, dom);
	free(dom);
	return r;
}

static void
det_alert(struct det *d, enum site_alert_kind k, const char *fetch,
    json_t *ev)
{
	json_t *a = json_object(), *title = json_object(), *sev;

	json_set_str(a, "kind", site_alert_code(k));
	sev = json_object_get(ev, "_severity");
	json_set_str(a, "severity", json_is_string(sev) ?
	    json_string_value(sev) : site_alert_severity(k));
	json_object_del(ev, "_severity");
	json_set_str(a, "url", d->in->url);
	json_set_str(a, "fetch", fetch);
	json_set_str(title, "vi", site_alert_title(k, false));
	json_set_str(title, "en", site_alert_title(k, true));
	json_object_set_new(a, "title", title);
	json_object_set_new(a, "evidence", ev);
	json_array_append_new(d->alerts, a);
}

typedef json_t *(*det_fn)(struct det *, const struct site_page *,
    const struct site_fetch *);

/* Runs a check on the browser's and the crawler's fetch; one alert, whose
 * "fetch" says which saw it (the browser's evidence when both). */
static void
det_both(struct det *d, enum site_alert_kind k, det_fn fn)
{
	const struct site_check_in *in = d->in;
	json_t *eb = NULL, *ec = NULL;

	if (in->browser != NULL || in->bpage != NULL)
		eb = fn(d, in->bpage, in->browser);
	if (in->crawler != NULL || in->cpage != NULL)
		ec = fn(d, in->cpage, in->crawler);
	if (eb != NULL && ec != NULL) {
		det_alert(d, k, "both", eb);
		json_decref(ec);
	} else if (eb != NULL)
		det_alert(d, k, "browser", eb);
	else if (ec != NULL)
		det_alert(d, k, "crawler", ec);
}

/* --- terms --------------------------------------------------------------- */

/* The terms of kind k in p not already in the baseline (nor in skip, a
 * set, when given) into ev["terms"]; returns the score (strong 2, weak
 * 1). */
static int
det_new_terms(struct det *d, enum site_vocab_kind k,
    const struct site_page *p, json_t *skip, json_t *ev)
{
	struct site_hit hits[DET_MAX_HITS];
	size_t i, n, len;
	char *text;
	int score = 0;

	if (d->v == NULL || p == NULL ||
	    (text = site_page_termtext(k, p, &len)) == NULL)
		return 0;
	n = site_vocab_find(d->v, k, text, len, hits, DET_MAX_HITS);
	for (i = 0; i < n; i++) {
		if (!det_in(d->terms[k], hits[i].term) && !det_in(skip,
		    hits[i].term)) {
			score += site_vocab_strength(d->v, k, hits[i].term);
			det_push_hit(ev, &hits[i]);
		}
		site_hit_free(&hits[i]);
	}
	free(text);
	return score;
}

/* The set of the terms of kind k in p. */
static json_t *
det_term_set(struct det *d, enum site_vocab_kind k, const struct site_page *p)
{
	json_t *arr = json_array(), *set = json_object(), *v;
	size_t i;

	site_page_terms(d->v, k, p, arr);
	json_array_foreach(arr, i, v)
		json_object_set_new(set, json_string_value(v), json_true());
	json_decref(arr);
	return set;
}

/* The links of p to new foreign domains into ev["links"]; counts. */
static size_t
det_new_links(struct det *d, const struct site_page *p, bool hidden_only,
    json_t *ev)
{
	size_t i, n = 0;

	for (i = 0; p != NULL && i < p->nlinks; i++) {
		const struct site_link *l = &p->links[i];
		json_t *o;

		if ((hidden_only && !l->hidden) || !det_foreign_host(d,
		    l->host, d->links))
			continue;
		o = json_object();
		det_set(o, "href", l->href);
		det_set(o, "text", l->text ? l->text : "");
		json_set_bool(o, "hidden", l->hidden);
		det_push(ev, "links", o);
		n++;
	}
	return n;
}

/* --- the text diff ------------------------------------------------------- */

/* Lines "- old" / "+ new" of the visible text on stable paths: stable
 * blocks gone or changed, and blocks at paths never seen while learning.
 * Volatile paths are left out, so dates and counters never show. The
 * removed and the added lines share the DET_MAX_ITEMS lines: each side
 * gets half, and what the other leaves. */
static json_t *
det_diff(struct det *d, const struct site_page *p)
{
	json_t *diff, *minus, *plus, *stable, *vol, *at, *e;
	const char *path;
	size_t i, nm, np, keepm, keepp;
	bool vcut;
	char hex[17], *line;

	stable = json_object_get(d->b, "stable");
	vol = det_set_of(d->b, "volatile");
	vcut = json_bool(d->b, "volatile_cut", false) ||
	    json_bool(d->b, "stable_cut", false);
	minus = json_array();
	plus = json_array();
	at = json_object();
	for (i = 0; i < p->nblocks; i++)
		if (p->blocks[i].path != NULL && json_object_get(at,
		    p->blocks[i].path) == NULL)
			json_object_set_new(at, p->blocks[i].path,
			    json_integer((json_int_t)i));
	json_object_foreach(stable, path, e) {
		json_t *ix = json_object_get(at, path);
		const struct site_block *blk;

		if (json_array_size(minus) >= DET_MAX_ITEMS)
			break;
		if (ix != NULL) {
			blk = &p->blocks[json_integer_value(ix)];
			snprintf(hex, sizeof(hex), "%016" PRIx64, blk->hash);
			if (strcmp(hex, json_str(e, "hash", "")) == 0)
				continue;
			line = text_printf("+ %s", blk->text ? blk->text : "");
			json_array_append_new(plus, det_str(line));
			free(line);
		}
		line = text_printf("- %s", json_str(e, "text", path));
		json_array_append_new(minus, det_str(line));
		free(line);
	}
	for (i = 0; !vcut && i < p->nblocks &&
	    json_array_size(plus) < DET_MAX_ITEMS; i++) {
		const struct site_block *blk = &p->blocks[i];

		if (blk->path == NULL || json_object_get(stable, blk->path) !=
		    NULL || det_in(vol, blk->path))
			continue;
		line = text_printf("+ %s%s", blk->hidden ?
		    "(ẩn — hidden) " : "", blk->text ? blk->text : "");
		json_array_append_new(plus, det_str(line));
		free(line);
	}
	nm = json_array_size(minus);
	np = json_array_size(plus);
	keepm = nm < DET_MAX_ITEMS / 2 ? nm : np < DET_MAX_ITEMS / 2 ?
	    DET_MAX_ITEMS - np : DET_MAX_ITEMS / 2;
	if (keepm > nm)
		keepm = nm;
	keepp = DET_MAX_ITEMS - keepm < np ? DET_MAX_ITEMS - keepm : np;
	diff = json_array();
	for (i = 0; i < keepm; i++)
		json_array_append(diff, json_array_get(minus, i));
	for (i = 0; i < keepp; i++)
		json_array_append(diff, json_array_get(plus, i));
	json_decref(minus);
	json_decref(plus);
	json_decref(at);
	json_decref(vol);
	return diff;
}

/* --- the content checks (need a baseline) -------------------------------- */

static double
det_jaccard_base(struct det *d, const struct site_page *p)
{
	uint64_t *a, *b;
	size_t na, nb;
	bool cut;
	double j;

	b = site_baseline_shape(d->b, &nb, &cut);
	a = site_page_shape(p, &na);
	j = nb == 0 ? 1.0 : site_shape_jaccard(a, na, b, nb, cut);
	free(a);
	free(b);
	return j;
}

static json_t *
det_defaced(struct det *d, const struct site_page *p,
    const struct site_fetch *f)
{
	json_t *ev = json_object(), *stable, *e, *hashes;
	const char *path, *btitle;
	long long total = 0, gone_chars = 0;
	size_t nstable = 0, i;
	double gone = 0, jac, learnt, thr;
	int phrase, signals = 0;
	bool title_changed = false;
	char hex[17];

	/* A page that did not come whole (error, truncated, 4xx/5xx) is
	 * "down" or "unreadable", not a defacement: nothing to compare. */
	if (p == NULL || d->b == NULL || (f != NULL && (f->curl_code != 0 ||
	    f->truncated || f->status == 0 || f->status >= 400)))
		return det_none(ev);
	phrase = det_new_terms(d, SITE_VOCAB_DEFACE, p, NULL, ev);
	btitle = json_str(d->b, "title", "");
	if (!json_bool(d->b, "title_varies", false) && *btitle != '\0' &&
	    strcmp(btitle, p->title ? p->title : "") != 0)
		title_changed = true;
	/* the stable text still there, wherever it moved */
	hashes = json_object();
	for (i = 0; i < p->nblocks; i++) {
		snprintf(hex, sizeof(hex), "%016" PRIx64, p->blocks[i].hash);
		json_object_set_new(hashes, hex, json_true());
	}
	stable = json_object_get(d->b, "stable");
	json_object_foreach(stable, path, e) {
		long long len = json_int(e, "len", 0);

		nstable++;
		total += len;
		if (!det_in(hashes, json_str(e, "hash", "")))
			gone_chars += len;
	}
	json_decref(hashes);
	if (nstable >= DET_MIN_STABLE && total > 0)
		gone = (double)gone_chars / (double)total;
	jac = det_jaccard_base(d, p);
	learnt = json_number_value(json_object_get(d->b, "shape_jaccard_min"));
	if (json_object_get(d->b, "shape_jaccard_min") == NULL)
		learnt = 1.0;
	thr = learnt - 0.2 < DET_SHAPE ? learnt - 0.2 : DET_SHAPE;
	if (thr < 0.1)
		thr = 0.1;
	signals = (title_changed ? 1 : 0) + (gone >= DET_GONE ? 1 : 0) +
	    (jac < thr ? 1 : 0);
	if (phrase < 2 && signals < 2 && gone < DET_GONE_ALONE &&
	    jac >= thr * 0.6)
		return det_none(ev);
	det_set(ev, "before", btitle);
	det_set(ev, "after", p->title ? p->title : "");
	json_object_set_new(ev, "stable_gone", json_real(gone));
	json_object_set_new(ev, "shape_similarity", json_real(jac));
	json_object_set_new(ev, "diff", det_diff(d, p));
	return ev;
}

static json_t *
det_spam(struct det *d, const struct site_page *p,
    const struct site_fetch *f)
{
	json_t *ev = json_object();

	(void)f;
	if (p == NULL || d->b == NULL || det_new_terms(d, SITE_VOCAB_GAMBLING,
	    p, NULL, ev) < 2)
		return det_none(ev);
	det_new_links(d, p, false, ev);
	json_object_set_new(ev, "diff", det_diff(d, p));
	return ev;
}

static json_t *
det_hidden(struct det *d, const struct site_page *p,
    const struct site_fetch *f)
{
	struct site_hit hits[4];
	json_t *ev = json_object(), *l;
	size_t i, n, len = 0;
	char *text;

	(void)f;
	if (p == NULL || d->b == NULL || det_new_links(d, p, true, ev) == 0)
		return det_none(ev);
	/* critical when the hidden links speak of gambling */
	json_array_foreach(json_object_get(ev, "links"), i, l) {
		len += strlen(json_str(l, "text", "")) +
		    strlen(json_str(l, "href", "")) + 2;
	}
	text = malloc(len + 1);
	if (text != NULL) {
		text[0] = '\0';
		json_array_foreach(json_object_get(ev, "links"), i, l) {
			strcat(text, json_str(l, "text", ""));
			strcat(text, "\n");
			strcat(text, json_str(l, "href", ""));
			strcat(text, "\n");
		}
		n = site_vocab_find(d->v, SITE_VOCAB_GAMBLING, text,
		    strlen(text), hits, 4);
		if (n > 0)
			json_set_str(ev, "_severity", "critical");
		for (i = 0; i < n; i++) {
			det_push_hit(ev, &hits[i]);
			site_hit_free(&hits[i]);
		}
		free(text);
	}
	return ev;
}

static json_t *
det_new_script(struct det *d, const struct site_page *p,
    const struct site_fetch *f)
{
	json_t *ev = json_object();
	size_t i;

	(void)f;
	for (i = 0; p != NULL && d->b != NULL && i < p->nscripts; i++)
		if (det_foreign_host(d, p->scripts[i].host, d->scripts))
			det_push(ev, "scripts", det_str(p->scripts[i].src));
	return det_if(ev, "scripts");
}

static json_t *
det_new_iframe(struct det *d, const struct site_page *p,
    const struct site_fetch *f)
{
	json_t *ev = json_object();
	size_t i;

	(void)f;
	for (i = 0; p != NULL && d->b != NULL && i < p->nframes; i++) {
		json_t *o;

		if (!det_foreign_host(d, p->frames[i].host, d->frames))
			continue;
		o = json_object();
		det_set(o, "src", p->frames[i].src);
		json_set_bool(o, "hidden", p->frames[i].hidden);
		det_push(ev, "frames", o);
	}
	return det_if(ev, "frames");
}

static json_t *
det_miner(struct det *d, const struct site_page *p,
    const struct site_fetch *f)
{
	json_t *ev = json_object();
	size_t i;

	(void)f;
	if (p == NULL || d->b == NULL || det_new_terms(d, SITE_VOCAB_MINER, p,
	    NULL, ev) < 2)
		return det_none(ev);
	for (i = 0; i < p->nscripts; i++)
		if (p->scripts[i].src != NULL)
			det_push(ev, "scripts", det_str(p->scripts[i].src));
	return ev;
}

static void
det_hop(json_t *ev, long status, const char *url, const char *location,
    const char *by)
{
	json_t *o = json_object();

	json_set_int(o, "status", status);
	det_set(o, "url", url);
	det_set(o, "location", location);
	json_set_str(o, "by", by);
	det_push(ev, "chain", o);
}

/* The HTTP chain of f as evidence. */
static void
det_chain(json_t *ev, const struct site_fetch *f)
{
	size_t i;

	for (i = 0; i < f->nhops; i++)
		det_hop(ev, f->hops[i].status, f->hops[i].url,
		    f->hops[i].location, "http");
}

/* The domain f ended at is foreign (a redirect away). */
static bool
det_http_away(struct det *d, const struct site_fetch *f)
{
	char *dom;
	bool r;

	if (f == NULL || f->final_url == NULL || f->nhops == 0)
		return false;
	dom = site_url_domain(f->final_url);
	r = dom != NULL && !det_own(d, dom);
	free(dom);
	return r;
}

static json_t *
det_redirect(struct det *d, const struct site_page *p,
    const struct site_fetch *f)
{
	json_t *ev = json_object(), *js, *v;
	size_t i;
	char *dom;

	if (d->b == NULL)
		return det_none(ev);
	if (det_http_away(d, f))
		det_chain(ev, f);
	if (p != NULL && p->refresh != NULL &&
	    (dom = site_url_domain(p->refresh)) != NULL) {
		if (!det_own(d, dom) && !det_in(d->refresh, dom))
			det_hop(ev, 0, f && f->final_url ? f->final_url :
			    d->in->url, p->refresh, "meta");
		free(dom);
	}
	if (p != NULL) {
		js = json_array();
		site_script_targets(p, js);
		json_array_foreach(js, i, v) {
			dom = site_url_domain(json_string_value(v));
			if (dom != NULL && !det_own(d, dom) &&
			    !det_in(d->jsredir, dom))
				det_hop(ev, 0, f && f->final_url ?
				    f->final_url : d->in->url,
				    json_string_value(v), "script");
			free(dom);
		}
		json_decref(js);
	}
	return det_if(ev, "chain");
}

/* The crawler sees what the browser does not, more than learnt. */
static void
det_cloaking(struct det *d)
{
	const struct site_check_in *in = d->in;
	const struct site_page *bp = in->bpage, *cp = in->cpage;
	json_t *ev, *bterms, *bdoms, *c;
	uint64_t *bs, *cs;
	size_t nbs, ncs, i, foreign = 0, flagged = 0;
	double jac, learnt = 1.0, thr;
	bool why = false;
	char *dom;

	if (d->b == NULL || bp == NULL || cp == NULL)
		return;
	ev = json_object();
	c = json_object_get(d->b, "crawler");
	if (json_is_object(c) && json_is_number(json_object_get(c,
	    "shape_jaccard_min")))
		learnt = json_number_value(json_object_get(c,
		    "shape_jaccard_min"));
	/* gambling terms only for the crawler */
	bterms = det_term_set(d, SITE_VOCAB_GAMBLING, bp);
	if (det_new_terms(d, SITE_VOCAB_GAMBLING, cp, bterms, ev) >= 2)
		why = true;
	json_decref(bterms);
	/* links to foreign domains only for the crawler */
	bdoms = json_object();
	for (i = 0; i < bp->nlinks; i++)
		if (bp->links[i].host != NULL && (dom =
		    site_domain(bp->links[i].host)) != NULL) {
			json_object_set_new(bdoms, dom, json_true());
			free(dom);
		}
	for (i = 0; i < cp->nlinks; i++) {
		const struct site_link *l = &cp->links[i];
		json_t *o;

		if (!det_foreign_host(d, l->host, d->links) ||
		    (dom = site_domain(l->host)) == NULL)
			continue;
		if (det_in(bdoms, dom)) {	/* the browser's too, or seen */
			free(dom);
			continue;
		}
		json_object_set_new(bdoms, dom, json_true());
		free(dom);
		foreign++;
		if (l->hidden)
			flagged++;
		o = json_object();
		det_set(o, "href", l->href);
		det_set(o, "text", l->text ? l->text : "");
		json_set_bool(o, "hidden", l->hidden);
		det_push(ev, "links", o);
	}
	json_decref(bdoms);
	if (flagged > 0 || foreign >= DET_CLOAK_DOMAINS)
		why = true;
	/* another title */
	if (!json_bool(d->b, "title_varies", false) && !(json_is_object(c) &&
	    json_bool(c, "title_differs", false)) && strcmp(bp->title ?
	    bp->title : "", cp->title ? cp->title : "") != 0) {
		why = true;
		det_set(ev, "before", bp->title ? bp->title : "");
		det_set(ev, "after", cp->title ? cp->title : "");
	}
	/* another structure */
	bs = site_page_shape(bp, &nbs);
	cs = site_page_shape(cp, &ncs);
	jac = site_shape_jaccard(cs, ncs, bs, nbs, false);
	free(bs);
	free(cs);
	thr = learnt - 0.15 < DET_CLOAK_SHAPE ? learnt - 0.15 :
	    DET_CLOAK_SHAPE;
	if (jac < thr)
		why = true;
	json_object_set_new(ev, "shape_similarity", json_real(jac));
	/* a redirect away for the crawler only */
	if (det_http_away(d, in->crawler) && !det_http_away(d, in->browser)) {
		why = true;
		det_chain(ev, in->crawler);
	}
	if (why)
		det_alert(d, SITE_ALERT_CLOAKING, "crawler", ev);
	else
		json_decref(ev);
}

/* --- availability, TLS, DNS, headers (with or without a baseline) -------- */

static json_t *
det_down(struct det *d, const struct site_page *p,
    const struct site_fetch *f)
{
	json_t *ev;
	long was = 200;

	(void)p;
	if (f == NULL)
		return NULL;
	if (d->b != NULL)
		was = (long)json_int(d->b, f->agent == SITE_CRAWLER &&
		    json_object_get(d->b, "crawler_status") ? "crawler_status" :
		    "status", 200);
	if (f->curl_code == 0 && f->status > 0 && f->status < 400)
		return NULL;
	if (f->curl_code == 0 && f->status >= 400 && f->status < 500 &&
	    was >= 400)
		return NULL;	/* it was already so when learnt */
	ev = json_object();
	json_set_int(ev, "status", f->status);
	if (d->b != NULL)
		json_set_int(ev, "status_before", was);
	if (f->curl_code != 0 || f->error[0] != '\0')
		det_set(ev, "error", f->error);
	if (f->final_url != NULL)
		det_set(ev, "final_url", f->final_url);
	return ev;
}

static json_t *
det_slow(struct det *d, const struct site_page *p,
    const struct site_fetch *f)
{
	long slow = d->in->lim != NULL ? d->in->lim->slow_ms : 5000;
	json_t *ev;

	(void)p;
	if (f == NULL || f->curl_code != 0 || slow <= 0 ||
	    f->seconds * 1000.0 <= (double)slow)
		return NULL;
	ev = json_object();
	json_object_set_new(ev, "seconds", json_real(f->seconds));
	json_set_int(ev, "limit_ms", slow);
	if (d->b != NULL && json_is_number(json_object_get(d->b,
	    "seconds_median")))
		json_object_set(ev, "seconds_before", json_object_get(d->b,
		    "seconds_median"));
	return ev;
}

static json_t *
det_unreadable(struct det *d, const struct site_page *p,
    const struct site_fetch *f)
{
	json_t *ev;

	(void)d;
	if (f == NULL || f->curl_code != 0 || f->status < 200 ||
	    f->status >= 300 || (p != NULL && !f->truncated))
		return NULL;
	ev = json_object();
	det_set(ev, "content_type", f->content_type ? f->content_type : "");
	json_set_int(ev, "bytes", (long long)f->len);
	json_set_bool(ev, "truncated", f->truncated);
	return ev;
}

static void
det_tls(struct det *d)
{
	const struct site_fetch *f = d->in->browser;
	json_t *ev;
	char ts[32];

	if (f == NULL || !f->tls)
		return;
	if (!f->cert_verified) {
		ev = json_object();
		det_set(ev, "error", f->cert_error ? f->cert_error : "");
		det_set(ev, "subject", f->cert_subject);
		det_set(ev, "issuer", f->cert_issuer);
		det_alert(d, SITE_ALERT_TLS_INVALID, "browser", ev);
	}
	if (f->cert_not_after != 0 && f->cert_not_after - d->in->now <
	    (int64_t)DET_EXPIRY_DAYS * 86400) {
		ev = json_object();
		json_time(f->cert_not_after, ts, sizeof(ts));
		json_set_str(ev, "not_after", ts);
		json_set_int(ev, "days_left", (f->cert_not_after -
		    d->in->now) / 86400);
		det_set(ev, "subject", f->cert_subject);
		det_alert(d, SITE_ALERT_TLS_EXPIRY, "browser", ev);
	}
}

/* Two arrays of strings hold the same set. */
static bool
det_same_set(json_t *a, json_t *b)
{
	json_t *sa = json_object(), *v;
	size_t i, n = 0;
	bool same = true;

	json_array_foreach(a, i, v)
		if (json_is_string(v))
			json_object_set_new(sa, json_string_value(v),
			    json_true());
	json_array_foreach(b, i, v) {
		if (!json_is_string(v) || json_object_get(sa,
		    json_string_value(v)) == NULL) {
			same = false;
			break;
		}
	}
	if (same) {
		json_t *sb = json_object();

		json_array_foreach(b, i, v)
			json_object_set_new(sb, json_string_value(v),
			    json_true());
		n = json_object_size(sb);
		json_decref(sb);
		same = n == json_object_size(sa);
	}
	json_decref(sa);
	return same;
}

static void
det_dns(struct det *d)
{
	static const char *const rr[] = { "a", "aaaa", "ns" };
	const struct site_dns *dns = d->in->dns;
	json_t *before, *ev, *bj, *aj;
	bool changed = false;
	size_t i;

	if (dns == NULL || dns->error[0] != '\0' || d->b == NULL ||
	    !json_is_object(before = json_object_get(d->b, "dns")))
		return;
	bj = json_object();
	aj = json_object();
	for (i = 0; i < 3; i++) {
		json_t *now = i == 0 ? dns->a : i == 1 ? dns->aaaa : dns->ns;
		json_t *was = json_object_get(before, rr[i]);

		if (!json_is_array(now))
			continue;
		if (!json_is_array(was) || !det_same_set(was, now)) {
			changed = true;
			json_object_set(bj, rr[i], was ? was : json_null());
			json_object_set(aj, rr[i], now);
		}
	}
	if (!changed) {
		json_decref(bj);
		json_decref(aj);
		return;
	}
	ev = json_object();
	json_object_set_new(ev, "before", bj);
	json_object_set_new(ev, "after", aj);
	det_alert(d, SITE_ALERT_DNS_CHANGED, "both", ev);
}

static void
det_headers(struct det *d)
{
	const struct site_fetch *f = d->in->browser;
	json_t *h, *ev, *missing;
	const char *csp, *url;

	if (f == NULL || f->curl_code != 0 || f->status < 200 ||
	    f->status >= 400 || !json_is_object(f->headers))
		return;
	h = f->headers;
	url = f->final_url ? f->final_url : f->url;
	csp = json_str(h, "content-security-policy", NULL);
	missing = json_array();
	if (url != NULL && text_prefix_ci(url, "https://") &&
	    json_object_get(h, "strict-transport-security") == NULL)
		json_append_str(missing, "Strict-Transport-Security");
	if (json_object_get(h, "x-content-type-options") == NULL)
		json_append_str(missing, "X-Content-Type-Options");
	if (json_object_get(h, "x-frame-options") == NULL && (csp == NULL ||
	    strstr(csp, "frame-ancestors") == NULL))
		json_append_str(missing, "X-Frame-Options");
	if (csp == NULL)
		json_append_str(missing, "Content-Security-Policy");
	if (json_array_size(missing) == 0) {
		json_decref(missing);
		return;
	}
	ev = json_object();
	json_object_set_new(ev, "missing", missing);
	det_alert(d, SITE_ALERT_HEADERS, "browser", ev);
}

/* --- the check ----------------------------------------------------------- */

json_t *
site_detect(const struct site_check_in *in)
{
	struct det d;
	json_t *terms;
	size_t k;
	static const char *const tl[] = { "gambling", "deface", "miner" };

	memset(&d, 0, sizeof(d));
	d.alerts = json_array();
	if (in == NULL || in->url == NULL)
		return d.alerts;
	d.in = in;
	d.v = in->vocab != NULL ? in->vocab : site_vocab_default(NULL, 0);
	d.b = json_is_object(in->baseline) ? in->baseline : NULL;
	d.own = site_url_domain(in->url);
	if (d.b != NULL) {
		const char *fd = json_str(d.b, "final_domain", NULL);

		d.bfinal = fd != NULL ? text_dup(fd) : NULL;
	}
	d.links = det_set_of(d.b, "link_domains");
	d.scripts = det_set_of(d.b, "script_domains");
	d.frames = det_set_of(d.b, "frame_domains");
	d.refresh = det_set_of(d.b, "refresh_domains");
	d.jsredir = det_set_of(d.b, "script_redirect_domains");
	terms = json_object_get(d.b, "terms");
	for (k = 0; k < 3; k++)
		d.terms[k] = det_set_of(terms, tl[k]);

	det_both(&d, SITE_ALERT_DOWN, det_down);
	det_both(&d, SITE_ALERT_UNREADABLE, det_unreadable);
	det_both(&d, SITE_ALERT_SLOW, det_slow);
	det_both(&d, SITE_ALERT_DEFACED, det_defaced);
	det_both(&d, SITE_ALERT_SPAM, det_spam);
	det_both(&d, SITE_ALERT_HIDDEN_LINKS, det_hidden);
	det_both(&d, SITE_ALERT_NEW_SCRIPT, det_new_script);
	det_both(&d, SITE_ALERT_NEW_IFRAME, det_new_iframe);
	det_both(&d, SITE_ALERT_MINER, det_miner);
	det_both(&d, SITE_ALERT_REDIRECT, det_redirect);
	det_cloaking(&d);
	det_tls(&d);
	det_dns(&d);
	det_headers(&d);

	free(d.own);
	free(d.bfinal);
	json_decref(d.links);
	json_decref(d.scripts);
	json_decref(d.frames);
	json_decref(d.refresh);
	json_decref(d.jsredir);
	for (k = 0; k < 3; k++)
		json_decref(d.terms[k]);
	return d.alerts;
}
