/*
 * baseline.c — what a page normally is (site.h), learnt from several
 * fetches of the same URL: the text blocks that stayed the same (stable,
 * kept with their hash and the start of their text for the diff) and the
 * paths whose text changed or came and went (volatile: dates, counters,
 * news lists, tokens, rotating banners — ignored later), the title and
 * whether it varies, the domains of links, scripts and frames, a bottom-k
 * sketch of the structure signature, how much the crawler's page differs
 * from the browser's, the terms already present, the final URL, TLS
 * issuer and response time. docs/sites.md lists the JSON members.
 */
#define _GNU_SOURCE	/* memmem */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/json.h"
#include "lib/text.h"
#include "site/detect_int.h"
#include "site/site.h"

#define BL_VERSION 1
#define BL_MAX_BLOCKS 2000	/* stable blocks kept */
#define BL_MAX_VOLATILE 2000	/* volatile paths kept */
#define BL_MAX_TEXT 300		/* bytes of a stable block's text kept */
#define BL_MAX_ALLTEXT (256u << 10)	/* bytes of stable text kept */
#define BL_MAX_DOMAINS 500	/* per list */
#define BL_MAX_TERMS 64

static const char *const bl_term_lists[] = { "gambling", "deface",
    "miner" };

static void
bl_hex(uint64_t h, char buf[17])
{
	snprintf(buf, 17, "%016" PRIx64, h);
}

static bool
bl_unhex(const char *s, uint64_t *h)
{
	char *end;

	if (s == NULL || strlen(s) != 16)
		return false;
	*h = (uint64_t)strtoull(s, &end, 16);
	return *end == '\0';
}

/* A copy of s cut to at most max bytes on a UTF-8 character boundary. */
static char *
bl_cut(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (len <= max)
		return text_dup(s);
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return text_ndup(s, max);
}

char *
site_url_domain(const char *url)
{
	char *host, *d;

	if (url == NULL || (host = site_url_host(url)) == NULL)
		return NULL;
	d = site_domain(host);
	free(host);
	return d;
}

static int
bl_u64cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t *
site_page_shape(const struct site_page *p, size_t *n)
{
	uint64_t *s;
	size_t i, j;

	*n = 0;
	if (p == NULL || p->nshape == 0 || p->shape == NULL)
		return NULL;
	if ((s = malloc(p->nshape * sizeof(*s))) == NULL)
		return NULL;
	memcpy(s, p->shape, p->nshape * sizeof(*s));
	for (i = 1; i < p->nshape && s[i - 1] < s[i]; i++)
		;
	if (i < p->nshape) {	/* not as promised: sort and unique */
		qsort(s, p->nshape, sizeof(*s), bl_u64cmp);
		for (i = 1, j = 1; i < p->nshape; i++)
			if (s[i] != s[j - 1])
				s[j++] = s[i];
		*n = j;
	} else
		*n = p->nshape;
	return s;
}

double
site_shape_jaccard(const uint64_t *a, size_t na, const uint64_t *b,
    size_t nb, bool b_cut)
{
	size_t i = 0, j = 0, both = 0, uni = 0;
	uint64_t top = b_cut && nb > 0 ? b[nb - 1] : UINT64_MAX;

	while (i < na || j < nb) {
		if (i < na && a[i] > top) {
			i = na;		/* beyond the sketch */
			continue;
		}
		if (j >= nb || (i < na && a[i] < b[j]))
			i++;
		else if (i >= na || b[j] < a[i])
			j++;
		else {
			i++;
			j++;
			both++;
		}
		uni++;
	}
	return uni == 0 ? 1.0 : (double)both / (double)uni;
}

uint64_t *
site_baseline_shape(json_t *baseline, size_t *n, bool *cut)
{
	json_t *arr = json_object_get(baseline, "shape"), *v;
	uint64_t *s;
	size_t i, k = 0;

	*n = 0;
	*cut = json_bool(baseline, "shape_cut", false);
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return NULL;
	if ((s = malloc(json_array_size(arr) * sizeof(*s))) == NULL)
		return NULL;
	json_array_foreach(arr, i, v) {
		if (bl_unhex(json_string_value(v), &s[k]))
			k++;
	}
	qsort(s, k, sizeof(*s), bl_u64cmp);
	*n = k;
	return s;
}

/* Merges a page's shape into the baseline's bottom-k sketch. */
static void
bl_shape_merge(json_t *b, const struct site_page *p)
{
	uint64_t *old, *cur, *out;
	size_t no, nc, i = 0, j = 0, k = 0;
	bool cut;
	json_t *arr;
	char hex[17];

	old = site_baseline_shape(b, &no, &cut);
	cur = site_page_shape(p, &nc);
	out = malloc((no + nc + 1) * sizeof(*out));
	if (out == NULL)
		goto done;
	while ((i < no || j < nc) && k < SITE_SHAPE_K) {
		if (j >= nc || (i < no && old[i] < cur[j]))
			out[k++] = old[i++];
		else if (i >= no || cur[j] < old[i])
			out[k++] = cur[j++];
		else {
			out[k++] = old[i++];
			j++;
		}
	}
	if (i < no || j < nc)
		cut = true;
	arr = json_array();
	for (i = 0; i < k; i++) {
		bl_hex(out[i], hex);
		json_array_append_new(arr, json_string(hex));
	}
	json_object_set_new(b, "shape", arr);
	json_set_bool(b, "shape_cut", cut);
done:
	free(old);
	free(cur);
	free(out);
}

/* Adds s to a sorted-on-output set (a JSON array of strings), bounded. */
static void
bl_set_add(json_t *b, const char *list, const char *s)
{
	json_t *arr = json_object_get(b, list), *v;
	size_t i;

	if (s == NULL || *s == '\0')
		return;
	if (!json_is_array(arr)) {
		arr = json_array();
		json_object_set_new(b, list, arr);
	}
	if (json_array_size(arr) >= BL_MAX_DOMAINS)
		return;
	json_array_foreach(arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return;
	json_append_str(arr, s);
}

static void
bl_set_add_domain(json_t *b, const char *list, const char *host)
{
	char *d;

	if (host == NULL)
		return;
	d = site_domain(host);
	bl_set_add(b, list, d != NULL ? d : host);
	free(d);
}

static void
bl_domains(json_t *b, const struct site_page *p)
{
	json_t *js, *v;
	size_t i;
	char *d;

	for (i = 0; i < p->nlinks; i++)
		bl_set_add_domain(b, "link_domains", p->links[i].host);
	for (i = 0; i < p->nscripts; i++)
		bl_set_add_domain(b, "script_domains", p->scripts[i].host);
	for (i = 0; i < p->nframes; i++)
		bl_set_add_domain(b, "frame_domains", p->frames[i].host);
	if (p->refresh != NULL && (d = site_url_domain(p->refresh)) != NULL) {
		bl_set_add(b, "refresh_domains", d);
		free(d);
	}
	js = json_array();
	site_script_targets(p, js);
	json_array_foreach(js, i, v)
		if ((d = site_url_domain(json_string_value(v))) != NULL) {
			bl_set_add(b, "script_redirect_domains", d);
			free(d);
		}
	json_decref(js);
}

char *
site_page_termtext(enum site_vocab_kind k, const struct site_page *p,
    size_t *lenp)
{
	static const char *const metas[] = { "description", "keywords",
	    "og:title", "og:description", "twitter:title",
	    "twitter:description" };
	size_t i, len = 0, cap = 4096;
	char *buf;

#define BL_ADD(s) do {							\
		const char *s_ = (s);					\
		size_t l_ = s_ != NULL ? strlen(s_) : 0;		\
		if (l_ == 0)						\
			break;						\
		if (len + l_ + 2 > cap) {				\
			char *nb_;					\
			while (len + l_ + 2 > cap)			\
				cap *= 2;				\
			if ((nb_ = realloc(buf, cap)) == NULL) {	\
				free(buf);				\
				return NULL;				\
			}						\
			buf = nb_;					\
		}							\
		memcpy(buf + len, s_, l_);				\
		len += l_;						\
		buf[len++] = '\n';					\
		buf[len] = '\0';					\
	} while (0)

	*lenp = 0;
	if (p == NULL || (buf = malloc(cap)) == NULL)
		return NULL;
	buf[0] = '\0';
	BL_ADD(p->title);
	for (i = 0; i < sizeof(metas) / sizeof(metas[0]); i++)
		BL_ADD(json_str(p->meta, metas[i], NULL));
	if (k == SITE_VOCAB_MINER) {
		for (i = 0; i < p->nscripts; i++) {
			BL_ADD(p->scripts[i].src);
			BL_ADD(p->scripts[i].text);
		}
		for (i = 0; i < p->nframes; i++)
			BL_ADD(p->frames[i].src);
	} else {
		for (i = 0; i < p->nblocks; i++)
			BL_ADD(p->blocks[i].text);
		if (p->nblocks == 0)
			BL_ADD(p->text);
		for (i = 0; i < p->nlinks; i++) {
			BL_ADD(p->links[i].text);
			if (k == SITE_VOCAB_GAMBLING)
				BL_ADD(p->links[i].host);
		}
	}
#undef BL_ADD
	*lenp = len;
	return buf;
}

void
site_page_terms(const struct site_vocab *v, enum site_vocab_kind k,
    const struct site_page *p, json_t *arr)
{
	struct site_hit hits[BL_MAX_TERMS];
	size_t i, n, len;
	char *buf;

	if (v == NULL || (buf = site_page_termtext(k, p, &len)) == NULL)
		return;
	n = site_vocab_find(v, k, buf, len, hits, BL_MAX_TERMS);
	for (i = 0; i < n; i++) {
		json_t *t;
		size_t j;
		bool dup = false;

		json_array_foreach(arr, j, t)
			if (strcmp(json_string_value(t), hits[i].term) == 0)
				dup = true;
		if (!dup && json_array_size(arr) < BL_MAX_TERMS)
			json_append_str(arr, hits[i].term);
		site_hit_free(&hits[i]);
	}
	free(buf);
}

/* Skips white space in s[*i..len). */
static void
bl_skip_space(const char *s, size_t len, size_t *i)
{
	while (*i < len && (s[*i] == ' ' || s[*i] == '\t' || s[*i] == '\n' ||
	    s[*i] == '\r'))
		(*i)++;
}

void
site_script_targets(const struct site_page *p, json_t *arr)
{
	size_t si, i, j, len;
	const char *s, *at;

	for (si = 0; si < p->nscripts; si++) {
		if ((s = p->scripts[si].text) == NULL)
			continue;
		len = strlen(s);
		for (at = s; (at = memmem(at, len - (size_t)(at - s),
		    "location", 8)) != NULL; at += 8) {
			char q, *url;

			i = (size_t)(at - s) + 8;
			bl_skip_space(s, len, &i);
			if (len - i >= 5 && memcmp(s + i, ".href", 5) == 0) {
				i += 5;
				bl_skip_space(s, len, &i);
			}
			if (i < len && s[i] == '=' && (i + 1 >= len ||
			    s[i + 1] != '='))
				i++;
			else if (len - i >= 9 && memcmp(s + i, ".replace(",
			    9) == 0)
				i += 9;
			else if (len - i >= 8 && memcmp(s + i, ".assign(",
			    8) == 0)
				i += 8;
			else
				continue;
			bl_skip_space(s, len, &i);
			if (i >= len || (s[i] != '\'' && s[i] != '"' &&
			    s[i] != '`'))
				continue;
			q = s[i++];
			for (j = i; j < len && j - i < 2048 && s[j] != q &&
			    s[j] != '\n'; j++)
				;
			if (j >= len || s[j] != q)
				continue;
			if (j - i > 2 && s[i] == '/' && s[i + 1] == '/')
				url = text_printf("https:%.*s", (int)(j - i),
				    s + i);
			else if (text_prefix_ci(s + i, "http://") ||
			    text_prefix_ci(s + i, "https://"))
				url = text_ndup(s + i, j - i);
			else
				continue;
			if (json_array_size(arr) < 20)
				json_append_str(arr, url);
			free(url);
		}
	}
}

static void
bl_terms(json_t *b, const struct site_vocab *v, const struct site_page *p)
{
	json_t *terms = json_object_get(b, "terms");
	size_t k;

	if (v == NULL)
		return;
	if (!json_is_object(terms)) {
		terms = json_object();
		json_object_set_new(b, "terms", terms);
	}
	for (k = 0; k < 3; k++) {
		json_t *arr = json_object_get(terms, bl_term_lists[k]);

		if (!json_is_array(arr)) {
			arr = json_array();
			json_object_set_new(terms, bl_term_lists[k], arr);
		}
		site_page_terms(v, (enum site_vocab_kind)k, p, arr);
	}
}

static void
bl_volatile_add(json_t *b, json_t *vol_index, const char *path)
{
	json_t *vol = json_object_get(b, "volatile");

	if (json_object_get(vol_index, path) != NULL)
		return;
	json_object_set_new(vol_index, path, json_true());
	if (json_array_size(vol) < BL_MAX_VOLATILE)
		json_append_str(vol, path);
	else
		json_set_bool(b, "volatile_cut", true);
}

static void
bl_stable_chars(json_t *b)
{
	json_t *stable = json_object_get(b, "stable"), *v;
	const char *path;
	long long total = 0;

	json_object_foreach(stable, path, v)
		total += json_int(v, "len", 0);
	json_set_int(b, "stable_chars", total);
}

/* The first page: every block stable (bounded), the rest from the page. */
static json_t *
bl_init(const struct site_page *p)
{
	json_t *b = json_object(), *stable = json_object(), *vol_index;
	size_t i, kept = 0;
	char hex[17], ts[32];

	json_set_int(b, "version", BL_VERSION);
	json_time((long long)time(NULL), ts, sizeof(ts));
	json_set_str(b, "learned_at", ts);
	json_set_int(b, "fetches", 1);
	json_set_str(b, "title", p->title != NULL ? p->title : "");
	json_set_bool(b, "title_varies", false);
	json_object_set_new(b, "stable", stable);
	json_object_set_new(b, "volatile", json_array());
	json_object_set_new(b, "link_domains", json_array());
	json_object_set_new(b, "script_domains", json_array());
	json_object_set_new(b, "frame_domains", json_array());
	vol_index = json_object();
	for (i = 0; i < p->nblocks; i++) {
		const struct site_block *blk = &p->blocks[i];
		json_t *e = json_object_get(stable, blk->path);
		size_t len = strlen(blk->text);
		char *cut;

		if (blk->path == NULL || blk->text == NULL)
			continue;
		bl_hex(blk->hash, hex);
		if (e != NULL) {	/* the same path twice */
			if (strcmp(json_str(e, "hash", ""), hex) != 0) {
				json_object_del(stable, blk->path);
				bl_volatile_add(b, vol_index, blk->path);
			}
			continue;
		}
		if (json_object_get(vol_index, blk->path) != NULL)
			continue;
		if (json_object_size(stable) >= BL_MAX_BLOCKS) {
			json_set_bool(b, "stable_cut", true);
			continue;
		}
		e = json_object();
		json_set_str(e, "hash", hex);
		json_set_int(e, "len", (long long)len);
		if (kept < BL_MAX_ALLTEXT) {
			cut = bl_cut(blk->text, BL_MAX_TEXT);
			kept += strlen(cut);
			json_set_str(e, "text", cut);
			free(cut);
		}
		if (blk->hidden)
			json_set_bool(e, "hidden", true);
		json_object_set_new(stable, blk->path, e);
	}
	json_decref(vol_index);
	bl_domains(b, p);
	bl_shape_merge(b, p);
	bl_stable_chars(b);
	return b;
}

/* Merges page p; counts its terms with v unless v is NULL. */
static void
bl_update(json_t *b, const struct site_page *p, const struct site_vocab *voc)
{
	json_t *stable, *vol, *vol_index, *seen, *e, *v, *tmp;
	const char *path;
	size_t i;
	char hex[17];

	if (b == NULL || p == NULL)
		return;
	stable = json_object_get(b, "stable");
	vol = json_object_get(b, "volatile");
	if (!json_is_object(stable)) {
		stable = json_object();
		json_object_set_new(b, "stable", stable);
	}
	if (!json_is_array(vol)) {
		vol = json_array();
		json_object_set_new(b, "volatile", vol);
	}
	json_set_int(b, "fetches", json_int(b, "fetches", 0) + 1);
	if (strcmp(json_str(b, "title", ""), p->title ? p->title : "") != 0)
		json_set_bool(b, "title_varies", true);
	vol_index = json_object();
	json_array_foreach(vol, i, v)
		if (json_is_string(v))
			json_object_set_new(vol_index, json_string_value(v),
			    json_true());
	/* this page's path -> hash ("" when the path repeats differently) */
	seen = json_object();
	for (i = 0; i < p->nblocks; i++) {
		const char *prev;

		if (p->blocks[i].path == NULL)
			continue;
		bl_hex(p->blocks[i].hash, hex);
		prev = json_str(seen, p->blocks[i].path, NULL);
		if (prev == NULL)
			json_set_str(seen, p->blocks[i].path, hex);
		else if (strcmp(prev, hex) != 0)
			json_set_str(seen, p->blocks[i].path, "");
	}
	/* a stable block changed or missing becomes volatile */
	tmp = json_array();
	json_object_foreach(stable, path, e) {
		const char *h = json_str(seen, path, NULL);

		if (h == NULL || strcmp(h, json_str(e, "hash", "")) != 0)
			json_append_str(tmp, path);
	}
	json_array_foreach(tmp, i, v) {
		json_object_del(stable, json_string_value(v));
		bl_volatile_add(b, vol_index, json_string_value(v));
	}
	json_decref(tmp);
	/* a path of this page only is volatile too */
	json_object_foreach(seen, path, v)
		if (json_object_get(stable, path) == NULL)
			bl_volatile_add(b, vol_index, path);
	json_decref(seen);
	json_decref(vol_index);
	bl_domains(b, p);
	bl_shape_merge(b, p);
	bl_terms(b, voc, p);
	bl_stable_chars(b);
}

void
site_baseline_update(json_t *b, const struct site_page *p)
{
	bl_update(b, p, site_vocab_default(NULL, 0));
}

static int
bl_dblcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static bool
bl_is_crawler(const struct site_fetch *fetches, size_t i)
{
	return fetches != NULL && fetches[i].agent == SITE_CRAWLER;
}

json_t *
site_baseline_learn_vocab(const struct site_page *pages, size_t n,
    const struct site_fetch *fetches, const struct site_vocab *v)
{
	json_t *b = NULL, *terms;
	size_t i, first = n, nb = 0, nc = 0, ns = 0, nshape, nbshape, k;
	double *secs, jmin = 1.0, cjmin = 1.0;
	uint64_t *bshape, *shape;
	bool cut, title_differs = false, all_browser;
	char *d;

	if (pages == NULL || n == 0)
		return NULL;
	for (i = 0; i < n && first == n; i++)
		if (!bl_is_crawler(fetches, i))
			first = i;
	all_browser = first == n;	/* crawler pages only: learn from them */
	if (all_browser)
		first = 0;
	/* the browser's pages: stable and volatile blocks */
	for (i = first; i < n; i++) {
		if (!all_browser && bl_is_crawler(fetches, i))
			continue;
		if (b == NULL)
			b = bl_init(&pages[i]);
		else
			bl_update(b, &pages[i], NULL);
		nb++;
	}
	json_set_int(b, "fetches", (long long)nb);
	/* the terms of every page, the domains of the crawler's too */
	terms = json_object();
	json_object_set_new(b, "terms", terms);
	for (i = 0; i < n; i++) {
		bl_terms(b, v, &pages[i]);
		if (bl_is_crawler(fetches, i))
			bl_domains(b, &pages[i]);
	}
	/* how far each browser page is from the sketch */
	bshape = site_baseline_shape(b, &nbshape, &cut);
	for (i = 0; i < n; i++) {
		double j;

		if (!all_browser && bl_is_crawler(fetches, i))
			continue;
		shape = site_page_shape(&pages[i], &nshape);
		j = site_shape_jaccard(shape, nshape, bshape, nbshape, cut);
		if (j < jmin)
			jmin = j;
		free(shape);
	}
	free(bshape);
	json_object_set_new(b, "shape_jaccard_min", json_real(jmin));
	/* the crawler against the browser fetch before it */
	for (i = 0; i < n && !all_browser; i++) {
		const struct site_page *bp = &pages[first];
		uint64_t *cs;
		size_t ncs;

		if (!bl_is_crawler(fetches, i))
			continue;
		for (k = i; k-- > 0;)
			if (!bl_is_crawler(fetches, k)) {
				bp = &pages[k];
				break;
			}
		shape = site_page_shape(bp, &nshape);
		cs = site_page_shape(&pages[i], &ncs);
		double j = site_shape_jaccard(cs, ncs, shape, nshape, false);
		if (j < cjmin)
			cjmin = j;
		free(shape);
		free(cs);
		if (strcmp(bp->title ? bp->title : "", pages[i].title ?
		    pages[i].title : "") != 0)
			title_differs = true;
		nc++;
	}
	if (nc > 0) {
		json_t *c = json_object();

		json_set_int(c, "fetches", (long long)nc);
		json_object_set_new(c, "shape_jaccard_min", json_real(cjmin));
		json_set_bool(c, "title_differs", title_differs);
		json_object_set_new(b, "crawler", c);
	}
	/* the fetches: final URL, status, TLS issuer, median time */
	if (fetches != NULL) {
		const struct site_fetch *f = &fetches[first];

		json_set_str(b, "url", f->url);
		json_set_str(b, "final_url", f->final_url ? f->final_url :
		    f->url);
		if ((d = site_url_domain(f->final_url ? f->final_url :
		    f->url)) != NULL) {
			json_set_str(b, "final_domain", d);
			free(d);
		}
		json_set_int(b, "status", f->status);
		if (f->tls && f->cert_issuer != NULL)
			json_set_str(b, "tls_issuer", f->cert_issuer);
		for (i = 0; i < n; i++)
			if (bl_is_crawler(fetches, i)) {
				json_set_int(b, "crawler_status",
				    fetches[i].status);
				break;
			}
		if ((secs = malloc(n * sizeof(*secs))) != NULL) {
			for (i = 0; i < n; i++)
				if (all_browser || !bl_is_crawler(fetches, i))
					secs[ns++] = fetches[i].seconds;
			qsort(secs, ns, sizeof(*secs), bl_dblcmp);
			if (ns > 0)
				json_object_set_new(b, "seconds_median",
				    json_real(secs[ns / 2]));
			free(secs);
		}
	}
	return b;
}

json_t *
site_baseline_learn(const struct site_page *pages, size_t n,
    const struct site_fetch *fetches)
{
	return site_baseline_learn_vocab(pages, n, fetches,
	    site_vocab_default(NULL, 0));
}
