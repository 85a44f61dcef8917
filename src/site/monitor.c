/*
 * monitor.c — one round of the portal integrity monitor over many URLs.
 *
 * The pages are fetched in chunks (each URL as a browser and as a crawler
 * in one site_fetch_many call), the next chunk in a thread while this one
 * is parsed and compared, so that at most two chunks of bodies are held
 * whatever the number of pages and both cores work. Each URL's state (its
 * baseline, learnt by site_learn or on first sight) is read when its chunk
 * is compared and written back (atomically) only when it changed: on first
 * sight of a baseline, or to record the host's DNS answers once. DNS is
 * looked up once per host, and the per-host alerts (TLS, DNS, headers)
 * are kept once per site. Sitemaps add the pages they list (one level of
 * index, same host only, bounded). Library code: no logging. docs/sites.md.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <sodium.h>

#include "lib/clock.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"
#include "site/detect_int.h"
#include "site/monitor.h"

#define MON_CHUNK 128			/* URLs of a check chunk */
#define MON_LEARN_FETCHES 256		/* URL fetches of a learning chunk */
#define MON_SITEMAP_BODY (16u << 20)	/* bytes of a sitemap */
#define MON_STATE_SCHEMA 1
#define MON_MAX_FETCHES 20		/* --fetches at most */
#define MON_MAX_WORKERS 8		/* threads comparing pages */

/* Alert kinds that concern a whole site, kept once per host. */
static bool
mon_site_kind(const char *kind)
{
	static const enum site_alert_kind kinds[] = { SITE_ALERT_TLS_INVALID,
	    SITE_ALERT_TLS_EXPIRY, SITE_ALERT_DNS_CHANGED, SITE_ALERT_HEADERS };
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, site_alert_code(kinds[i])) == 0)
			return true;
	return false;
}

struct mon_host {
	char *name;			/* host name, lower case */
	bool lookup;			/* a name (not an address): ask DNS */
	struct site_dns dns;
	bool have_dns;			/* dns answered without error */
	size_t rep;			/* page the DNS is compared on */
	bool has_rep;
};

struct mon_page {
	char *url;
	char *origin;			/* "host:port", the per-site key */
	size_t host;			/* index in mon.hosts */
	bool from_sitemap;
	bool has_state;			/* a state file existed at the start */
	bool learn;			/* to be learnt after the round */
	json_t *result;			/* the page's object of the contract */
};

struct mon {
	const struct site_round_opts *o;	/* &opts */
	struct site_round_opts opts;	/* the caller's, now set */
	struct site_limits lim;
	struct site_fetch_opts fo;
	const struct site_vocab *vocab;
	struct mon_page *pages;
	size_t npages, cpages;
	struct mon_host *hosts;
	size_t nhosts;
	json_t *site;			/* per-host alerts */
	json_t *seen;			/* "origin kind" -> true */
	size_t fetches;
	size_t alerts;
	int nfetch;			/* baseline fetches */
	char *resolve;			/* the entries joined with ';' */
	pthread_mutex_t lock;		/* site, seen, alerts: workers */
	int workers;			/* threads comparing a chunk */
};

static const enum site_agent mon_agents[] = { SITE_BROWSER, SITE_CRAWLER };

static long
mon_rss_kb(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return ru.ru_maxrss;
}

char *
site_state_path(const char *dir, const char *url)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[2 * 16 + 1], name[48];

	crypto_hash_sha256(h, (const unsigned char *)url, strlen(url));
	sodium_bin2hex(hex, sizeof(hex), h, 16);
	snprintf(name, sizeof(name), "%s.json", hex);
	return file_join(dir, name);
}

/* "host:port" of an absolute http(s) URL (default port filled), or NULL. */
static char *
mon_origin(const char *url)
{
	CURLU *u;
	char *scheme = NULL, *host = NULL, *port = NULL, *r = NULL;

	u = curl_url();
	if (u == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ==
	    CURLUE_OK && (strcmp(scheme, "http") == 0 ||
	    strcmp(scheme, "https") == 0) && host[0] != '\0') {
		char *p;

		r = text_printf("%s:%s", host, port);
		for (p = r; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return r;
}

/* scheme://host[:port]/sitemap.xml of a URL, or NULL. */
static char *
mon_sitemap_url(const char *url)
{
	CURLU *u;
	char *r = NULL, *s = NULL;

	u = curl_url();
	if (u == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_PATH, "/sitemap.xml", 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_QUERY, NULL, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_USER, NULL, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
		r = text_dup(s);
	curl_free(s);
	curl_url_cleanup(u);
	return r;
}

/* A host written as an address, or one that no DNS server knows. */
static bool
mon_no_dns(const char *host)
{
	unsigned char a[16];
	char buf[64];
	size_t len = strlen(host);

	if (len >= 2 && host[0] == '[' && len - 2 < sizeof(buf)) {
		memcpy(buf, host + 1, len - 2);
		buf[len - 2] = '\0';
		return inet_pton(AF_INET6, buf, a) == 1;
	}
	return inet_pton(AF_INET, host, a) == 1 ||
	    inet_pton(AF_INET6, host, a) == 1 ||
	    strcmp(host, "localhost") == 0;
}

/* --- state files ------------------------------------------------------- */

static json_t *
mon_state_load(const char *dir, const char *url, char *err, size_t errlen)
{
	json_error_t je;
	char *path, *buf = NULL;
	size_t len;
	json_t *st;
	int r;

	path = site_state_path(dir, url);
	r = file_read_path(path, SITE_STATE_MAX, &buf, &len);
	if (r == -ENOENT) {
		free(path);
		return NULL;
	}
	if (r != 0) {
		snprintf(err, errlen, "%s: không đọc được trạng thái — cannot "
		    "read the state: %s", path, strerror(-r));
		free(path);
		return NULL;
	}
	st = json_loadb(buf, len, 0, &je);
	free(buf);
	if (st == NULL || !json_is_object(st) ||
	    !json_is_object(json_object_get(st, "baseline")) ||
	    strcmp(json_str(st, "url", ""), url) != 0) {
		snprintf(err, errlen, "%s: trạng thái hỏng hoặc của URL khác, "
		    "sẽ học lại — broken state or another URL's, learnt again",
		    path);
		json_decref(st);
		free(path);
		return NULL;
	}
	free(path);
	return st;
}

static int
mon_state_save(const char *dir, const char *url, json_t *st, char *err,
    size_t errlen)
{
	char *path, *buf;
	int r;

	buf = json_dumps(st, JSON_COMPACT);
	if (buf == NULL) {
		snprintf(err, errlen, "hết bộ nhớ — out of memory");
		return -1;
	}
	path = site_state_path(dir, url);
	r = file_write_atomic(path, buf, strlen(buf), 0600);
	if (r != 0)
		snprintf(err, errlen, "%s: không ghi được trạng thái — cannot "
		    "write the state: %s", path, strerror(-r));
	free(path);
	free(buf);
	return r == 0 ? 0 : -1;
}

static int
mon_state_dir(const char *dir, char *err, size_t errlen)
{
	struct stat sb;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: không tạo được thư mục trạng thái — "
		    "cannot create the state directory: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
	    access(dir, W_OK | X_OK) != 0) {
		snprintf(err, errlen, "%s: không phải thư mục ghi được — not a "
		    "writable directory", dir);
		return -1;
	}
	return 0;
}

static json_t *
mon_dns_json(const struct site_dns *d)
{
	json_t *o = json_object();

	/* copies: the host's answers are read by several threads */
	json_object_set_new(o, "a", d->a != NULL ? json_deep_copy(d->a) :
	    json_array());
	json_object_set_new(o, "aaaa", d->aaaa != NULL ?
	    json_deep_copy(d->aaaa) : json_array());
	json_object_set_new(o, "ns", d->ns != NULL ? json_deep_copy(d->ns) :
	    json_array());
	return o;
}

/* --- setting up the pages and hosts ------------------------------------ */

static int
mon_add(struct mon *m, const char *url, bool from_sitemap, char *err,
    size_t errlen)
{
	struct mon_page *p;
	char *host, *origin;
	size_t i;

	host = site_url_host(url);
	origin = mon_origin(url);
	if (host == NULL || origin == NULL) {
		snprintf(err, errlen, "“%.300s”: không phải URL http(s) — not "
		    "an http(s) URL", url);
		free(host);
		free(origin);
		return -1;
	}
	if (m->npages == m->cpages) {
		m->cpages = m->cpages ? m->cpages * 2 : 16;
		m->pages = realloc(m->pages, m->cpages * sizeof(*m->pages));
		if (m->pages == NULL)
			abort();
	}
	p = &m->pages[m->npages];
	memset(p, 0, sizeof(*p));
	p->url = text_dup(url);
	p->origin = origin;
	p->from_sitemap = from_sitemap;
	for (i = 0; i < m->nhosts; i++)
		if (strcmp(m->hosts[i].name, host) == 0)
			break;
	if (i == m->nhosts) {
		m->hosts = realloc(m->hosts, (m->nhosts + 1) *
		    sizeof(*m->hosts));
		if (m->hosts == NULL)
			abort();
		memset(&m->hosts[i], 0, sizeof(m->hosts[i]));
		m->hosts[i].name = host;
		m->hosts[i].lookup = !mon_no_dns(host);
		m->nhosts++;
	} else
		free(host);
	p->host = i;
	m->npages++;
	return 0;
}

static bool
mon_has(const struct mon *m, const char *url)
{
	size_t i;

	for (i = 0; i < m->npages; i++)
		if (strcmp(m->pages[i].url, url) == 0)
			return true;
	return false;
}

static void
mon_free(struct mon *m)
{
	size_t i;

	for (i = 0; i < m->npages; i++) {
		free(m->pages[i].url);
		free(m->pages[i].origin);
		json_decref(m->pages[i].result);
	}
	free(m->pages);
	for (i = 0; i < m->nhosts; i++) {
		free(m->hosts[i].name);
		if (m->hosts[i].lookup)
			site_dns_free(&m->hosts[i].dns);
	}
	free(m->hosts);
	json_decref(m->site);
	json_decref(m->seen);
	free(m->resolve);
	pthread_mutex_destroy(&m->lock);
}

/* Prepares m for a round or a learning pass over a copy of o (now
 * defaulted to the clock), its pages and the vocabulary: 0, or -1 with
 * err (mon_free then). */
static int
mon_init(struct mon *m, const struct site_round_opts *o, char *err,
    size_t errlen)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	m->opts = *o;
	if (m->opts.now == 0)
		m->opts.now = (int64_t)time(NULL);
	m->o = o = &m->opts;
	if (o->lim != NULL)
		m->lim = *o->lim;
	else
		site_limits_default(&m->lim);
	m->fo.lim = &m->lim;
	m->fo.cafile = o->cafile;
	/* fetch.c reads entries separated by ';' */
	for (i = 0; i < o->nresolve; i++) {
		char *r = text_printf("%s%s%s", m->resolve != NULL ?
		    m->resolve : "", m->resolve != NULL ? ";" : "",
		    o->resolve[i]);

		free(m->resolve);
		m->resolve = r;
	}
	m->fo.resolve = m->resolve;
	m->fo.insecure_ok = true;
	m->nfetch = o->fetches > 0 ? o->fetches : SITE_ROUND_FETCHES;
	if (m->nfetch > MON_MAX_FETCHES)
		m->nfetch = MON_MAX_FETCHES;
	m->site = json_array();
	m->seen = json_object();
	pthread_mutex_init(&m->lock, NULL);
	m->workers = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (m->workers < 1)
		m->workers = 1;
	if (m->workers > MON_MAX_WORKERS)
		m->workers = MON_MAX_WORKERS;
	xmlInitParser();
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium không khởi tạo được — "
		    "libsodium init failed");
		return -1;
	}
	if (mon_state_dir(o->state_dir, err, errlen) != 0)
		return -1;
	for (i = 0; i < o->n; i++)
		if (!mon_has(m, o->urls[i]) &&
		    mon_add(m, o->urls[i], false, err, errlen) != 0)
			return -1;
	m->vocab = o->vocab;
	if (m->vocab == NULL)
		m->vocab = site_vocab_default(err, errlen);
	return m->vocab != NULL ? 0 : -1;
}

/* --- sitemaps ---------------------------------------------------------- */

/* host:port of url equals origin */
static bool
mon_same_origin(const char *url, const char *origin)
{
	char *o = mon_origin(url);
	bool same = o != NULL && strcmp(o, origin) == 0;

	free(o);
	return same;
}

static const char *
mon_local(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE ? (const char *)n->name : "";
}

/* The text of a <loc>: its text and CDATA children only (entity
 * references are never expanded), trimmed. */
static char *
mon_loc_text(const xmlNode *loc)
{
	const xmlNode *c;
	char *s = NULL, *t;
	size_t len = 0, l;

	for (c = loc->children; c != NULL; c = c->next) {
		if ((c->type != XML_TEXT_NODE &&
		    c->type != XML_CDATA_SECTION_NODE) || c->content == NULL)
			continue;
		l = strlen((const char *)c->content);
		if (len + l > 4096)
			break;
		s = realloc(s, len + l + 1);
		if (s == NULL)
			abort();
		memcpy(s + len, c->content, l);
		len += l;
		s[len] = '\0';
	}
	if (s == NULL)
		return NULL;
	t = text_dup(text_trim(s));
	free(s);
	return t;
}

json_t *
site_sitemap_parse(const unsigned char *body, size_t len,
    const char *base_url, size_t max, bool *index, size_t *dropped,
    char *err, size_t errlen)
{
	const xmlNode *root, *n, *c;
	xmlDoc *doc;
	json_t *urls;
	char *origin, *loc;
	const char *want;

	*index = false;
	*dropped = 0;
	if (len > INT32_MAX) {
		snprintf(err, errlen, "sơ đồ trang quá lớn — sitemap too large");
		return NULL;
	}
	origin = mon_origin(base_url);
	if (origin == NULL) {
		snprintf(err, errlen, "URL gốc không hợp lệ — invalid base URL");
		return NULL;
	}
	doc = xmlReadMemory((const char *)body, (int)len, base_url, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_NOCDATA);
	if (doc == NULL || (root = xmlDocGetRootElement(doc)) == NULL) {
		snprintf(err, errlen, "sơ đồ trang không phải XML — the sitemap "
		    "is not XML");
		xmlFreeDoc(doc);
		free(origin);
		return NULL;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		/* a sitemap has no DOCTYPE: refuse entities of any kind */
		snprintf(err, errlen, "sơ đồ trang có DOCTYPE, bị từ chối — "
		    "the sitemap has a DOCTYPE, refused");
		xmlFreeDoc(doc);
		free(origin);
		return NULL;
	}
	if (strcmp(mon_local(root), "sitemapindex") == 0) {
		*index = true;
		want = "sitemap";
	} else if (strcmp(mon_local(root), "urlset") == 0)
		want = "url";
	else {
		snprintf(err, errlen, "không phải sơ đồ trang (urlset, "
		    "sitemapindex) — not a sitemap (urlset, sitemapindex)");
		xmlFreeDoc(doc);
		free(origin);
		return NULL;
	}
	urls = json_array();
	for (n = root->children; n != NULL; n = n->next) {
		if (strcmp(mon_local(n), want) != 0)
			continue;
		for (c = n->children; c != NULL; c = c->next) {
			if (strcmp(mon_local(c), "loc") != 0)
				continue;
			loc = mon_loc_text(c);
			if (loc != NULL && json_array_size(urls) < max &&
			    text_valid_utf8(loc, strlen(loc)) &&
			    mon_same_origin(loc, origin))
				json_array_append_new(urls, json_string(loc));
			else
				(*dropped)++;
			free(loc);
			break;
		}
	}
	xmlFreeDoc(doc);
	free(origin);
	return urls;
}

/* Adds the pages listed by each site's sitemap, up to max_pages. */
static void
mon_sitemaps(struct mon *m, json_t *notes)
{
	const size_t maxpages = m->o->max_pages ? m->o->max_pages :
	    SITE_ROUND_MAX_PAGES;
	struct site_limits lim = m->lim;
	struct site_fetch_opts fo = m->fo;
	const char **urls = NULL, **subs = NULL;
	struct site_fetch *out = NULL, *sout = NULL;
	size_t nurls = 0, nsubs = 0, i, j, k, budget, dropped;
	char **owned = NULL, err[256];
	json_t *list, *v;
	bool index;

	lim.max_body = MON_SITEMAP_BODY;
	fo.lim = &lim;
	/* one sitemap per site */
	owned = calloc(m->npages + 1, sizeof(*owned));
	urls = calloc(m->npages + 1, sizeof(*urls));
	if (owned == NULL || urls == NULL)
		abort();
	for (i = 0; i < m->npages; i++) {
		char *s = mon_sitemap_url(m->pages[i].url);

		for (j = 0; s != NULL && j < nurls; j++)
			if (strcmp(urls[j], s) == 0)
				break;
		if (s == NULL || j < nurls) {
			free(s);
			continue;
		}
		owned[nurls] = s;
		urls[nurls++] = s;
	}
	out = calloc(nurls + 1, sizeof(*out));
	if (out == NULL)
		abort();
	site_fetch_many(urls, nurls, mon_agents, 1, &fo, out);
	m->fetches += nurls;
	for (i = 0; i < nurls; i++) {
		budget = SITE_SITEMAP_MAX_URLS;
		list = NULL;
		if (out[i].body != NULL && out[i].status == 200)
			list = site_sitemap_parse(out[i].body, out[i].len,
			    urls[i], budget, &index, &dropped, err,
			    sizeof(err));
		else
			snprintf(err, sizeof(err), "HTTP %ld %s", out[i].status,
			    out[i].error);
		if (list == NULL) {
			v = json_object();
			json_set_str(v, "sitemap", urls[i]);
			json_set_str(v, "error", err);
			json_array_append_new(notes, v);
			continue;
		}
		if (index) {
			/* one level: fetch the sitemaps it lists */
			nsubs = json_array_size(list);
			if (nsubs > SITE_SITEMAP_MAX_FILES)
				nsubs = SITE_SITEMAP_MAX_FILES;
			subs = calloc(nsubs + 1, sizeof(*subs));
			sout = calloc(nsubs + 1, sizeof(*sout));
			if (subs == NULL || sout == NULL)
				abort();
			for (j = 0; j < nsubs; j++)
				subs[j] = json_string_value(
				    json_array_get(list, j));
			site_fetch_many(subs, nsubs, mon_agents, 1, &fo, sout);
			m->fetches += nsubs;
			for (j = 0; j < nsubs; j++) {
				json_t *l2 = NULL;
				bool idx2;

				if (sout[j].body != NULL &&
				    sout[j].status == 200 && budget > 0)
					l2 = site_sitemap_parse(sout[j].body,
					    sout[j].len, subs[j], budget, &idx2,
					    &dropped, err, sizeof(err));
				if (l2 != NULL && !idx2) {
					budget -= json_array_size(l2);
					json_array_foreach(l2, k, v)
						if (m->npages < maxpages &&
						    !mon_has(m,
						    json_string_value(v)))
							mon_add(m,
							    json_string_value(v),
							    true, err,
							    sizeof(err));
				}
				json_decref(l2);
				site_fetch_free(&sout[j]);
			}
			free(subs);
			free(sout);
			subs = NULL;
			sout = NULL;
		} else {
			json_array_foreach(list, k, v)
				if (m->npages < maxpages &&
				    !mon_has(m, json_string_value(v)))
					mon_add(m, json_string_value(v), true,
					    err, sizeof(err));
		}
		json_decref(list);
	}
	for (i = 0; i < nurls; i++) {
		site_fetch_free(&out[i]);
		free(owned[i]);
	}
	free(out);
	free(owned);
	free(urls);
}

/* --- DNS --------------------------------------------------------------- */

static void *
mon_dns_thread(void *arg)
{
	struct mon *m = arg;
	size_t i;

	for (i = 0; i < m->nhosts; i++) {
		struct mon_host *h = &m->hosts[i];

		if (!h->lookup)
			continue;
		memset(&h->dns, 0, sizeof(h->dns));
		site_dns_lookup(h->name, m->o->dns_server, &h->dns);
		h->have_dns = h->dns.error[0] == '\0';
	}
	return NULL;
}

/* Work done in a thread beside the caller's, or at once in the caller's
 * when no thread can be started. */
struct mon_job {
	pthread_t t;
	bool started;
};

static void
mon_job_start(struct mon_job *j, void *(*fn)(void *), void *arg)
{
	j->started = pthread_create(&j->t, NULL, fn, arg) == 0;
	if (!j->started)
		fn(arg);
}

static void
mon_job_wait(struct mon_job *j)
{
	if (j->started)
		pthread_join(j->t, NULL);
	j->started = false;
}

/* The hosts' DNS answers, looked up in a thread while fetching starts. */
static void
mon_dns_start(struct mon *m, struct mon_job *j)
{
	mon_job_start(j, mon_dns_thread, m);
}

/* --- fetching in chunks ------------------------------------------------ */

struct mon_batch {
	const struct site_fetch_opts *fo;
	const char **urls;
	size_t n;
	size_t nagents;
	struct site_fetch *out;
	struct mon_job job;
};

static void *
mon_batch_thread(void *arg)
{
	struct mon_batch *b = arg;

	site_fetch_many(b->urls, b->n, mon_agents, b->nagents, b->fo, b->out);
	return NULL;
}

static void
mon_batch_start(struct mon_batch *b)
{
	b->out = calloc(b->n * b->nagents + 1, sizeof(*b->out));
	if (b->out == NULL)
		abort();
	mon_job_start(&b->job, mon_batch_thread, b);
}

static void
mon_batch_free(struct mon_batch *b)
{
	size_t i;

	for (i = 0; b->out != NULL && i < b->n * b->nagents; i++)
		site_fetch_free(&b->out[i]);
	free(b->out);
	free(b->urls);
	memset(b, 0, sizeof(*b));
}

/* --- one page ---------------------------------------------------------- */

static json_t *
mon_fetch_json(const struct site_fetch *f)
{
	json_t *o = json_object();

	json_set_int(o, "status", f->status);
	json_object_set_new(o, "seconds", json_real(f->seconds));
	json_object_set_new(o, "ttfb", json_real(f->ttfb));
	json_set_int(o, "bytes", (long long)f->len);
	json_set_bool(o, "truncated", f->truncated);
	json_set_str(o, "final_url", f->final_url);
	json_set_str(o, "content_type", f->content_type);
	json_set_str(o, "ip", f->ip);
	json_set_int(o, "redirects", (long long)f->nhops);
	if (f->curl_code != 0 || f->error[0] != '\0')
		json_set_str(o, "error", f->error);
	return o;
}

/* Parses a fetch's body; false (p zeroed, err filled) when there is none
 * or it was refused. */
static bool
mon_parse(const struct site_fetch *f, struct site_page *p, char *err,
    size_t errlen)
{
	memset(p, 0, sizeof(*p));
	err[0] = '\0';
	if (f->body == NULL || f->len == 0)
		return false;
	if (site_html_parse(f->body, f->len, f->charset,
	    f->final_url != NULL ? f->final_url : f->url, p, err, errlen) != 0) {
		site_page_free(p);
		memset(p, 0, sizeof(*p));
		return false;
	}
	return true;
}

/* Terms of a kind in a page's title and text into terms[]; distinct
 * count returned, *in_title set when one is in the title. */
static size_t
mon_terms(const struct site_vocab *v, enum site_vocab_kind k,
    const struct site_page *p, json_t *terms, bool *in_title)
{
	struct site_hit hits[20];
	const char *parts[2];
	size_t nparts = 0, i, j, n, distinct = 0;
	json_t *t;

	parts[nparts++] = p->title != NULL ? p->title : "";
	parts[nparts++] = p->text != NULL ? p->text : "";
	for (i = 0; i < nparts; i++) {
		n = site_vocab_find(v, k, parts[i], strlen(parts[i]), hits,
		    sizeof(hits) / sizeof(hits[0]));
		for (j = 0; j < n; j++) {
			bool dup = false;
			size_t x;

			json_array_foreach(terms, x, t)
				if (strcmp(json_str(t, "term", ""),
				    hits[j].term) == 0)
					dup = true;
			if (!dup && json_array_size(terms) < 20) {
				t = json_object();
				json_set_str(t, "term", hits[j].term);
				json_set_str(t, "found", hits[j].found);
				json_set_str(t, "context", hits[j].context);
				json_array_append_new(terms, t);
				distinct++;
				if (i == 0)
					*in_title = true;
			}
			site_hit_free(&hits[j]);
		}
	}
	return distinct;
}

static json_t *
mon_alert(enum site_alert_kind k, const char *url, const char *fetch,
    json_t *evidence)
{
	json_t *a = json_object(), *title = json_object();

	json_set_str(a, "kind", site_alert_code(k));
	json_set_str(a, "severity", site_alert_severity(k));
	json_set_str(a, "url", url);
	json_set_str(a, "fetch", fetch);
	json_set_str(title, "vi", site_alert_title(k, false));
	json_set_str(title, "en", site_alert_title(k, true));
	json_object_set_new(a, "title", title);
	json_object_set_new(a, "evidence", evidence);
	return a;
}

/* Whether a page holds terms of a kind enough to alert: one strong term
 * or two weak ones (detect.c's rule); terms receives the evidence. */
static bool
mon_page_hit(const struct site_vocab *v, enum site_vocab_kind k,
    const struct site_page *p, json_t *terms)
{
	json_t *found = json_array(), *t;
	size_t i, strong = 0, weak = 0;
	bool title = false;

	site_page_terms(v, k, p, found);
	json_array_foreach(found, i, t) {
		int st = site_vocab_strength(v, k, json_string_value(t));

		if (st >= 2)
			strong++;
		else if (st == 1)
			weak++;
	}
	if (strong > 0 || weak >= 2) {
		/* with their context when in the title or the text */
		mon_terms(v, k, p, terms, &title);
		if (json_array_size(terms) == 0)
			json_array_foreach(found, i, t) {
				json_t *o = json_object();

				json_object_set(o, "term", t);
				json_array_append_new(terms, o);
			}
	}
	json_decref(found);
	return strong > 0 || weak >= 2;
}

/*
 * A page that appeared in the sitemap has no baseline to compare with:
 * what is wrong with it whatever it was before is gambling vocabulary and
 * defacement phrases ("newly appearing pages" of issue 6).
 */
static void
mon_new_page(const struct mon *m, const char *url, const struct site_page *bp,
    const struct site_page *cp, json_t *alerts)
{
	static const struct {
		enum site_vocab_kind vk;
		enum site_alert_kind ak;
	} rules[] = {
		{ SITE_VOCAB_GAMBLING, SITE_ALERT_SPAM },
		{ SITE_VOCAB_DEFACE, SITE_ALERT_DEFACED },
	};
	size_t r;
	json_t *tb, *tc, *ev;
	bool hb, hc;

	for (r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
		tb = json_array();
		tc = json_array();
		hb = bp != NULL && mon_page_hit(m->vocab, rules[r].vk, bp, tb);
		hc = cp != NULL && mon_page_hit(m->vocab, rules[r].vk, cp, tc);
		if (hb || hc) {
			ev = json_object();
			json_object_set(ev, "terms", hb ? tb : tc);
			json_set_bool(ev, "new_page", true);
			json_array_append_new(alerts, mon_alert(rules[r].ak,
			    url, hb && hc ? "both" : hb ? "browser" : "crawler",
			    ev));
		}
		json_decref(tb);
		json_decref(tc);
	}
}

/* Files alerts of the page: site-wide kinds once per site into m->site,
 * the others into the page's list. */
static void
mon_file_alerts(struct mon *m, const struct mon_page *p, json_t *alerts,
    json_t *page_alerts)
{
	size_t i;
	json_t *a;
	char *key;

	pthread_mutex_lock(&m->lock);
	json_array_foreach(alerts, i, a) {
		const char *kind = json_str(a, "kind", "");

		if (!mon_site_kind(kind)) {
			json_array_append(page_alerts, a);
			m->alerts++;
			continue;
		}
		key = text_printf("%s %s", p->origin, kind);
		if (json_object_get(m->seen, key) == NULL) {
			json_object_set_new(m->seen, key, json_true());
			json_set_str(a, "host", p->origin);
			json_array_append(m->site, a);
			m->alerts++;
		}
		free(key);
	}
	pthread_mutex_unlock(&m->lock);
}

static void
mon_check_page(struct mon *m, size_t idx, const struct site_fetch *bf,
    const struct site_fetch *cf)
{
	struct mon_page *p = &m->pages[idx];
	struct mon_host *h = &m->hosts[p->host];
	struct site_page bp, cp;
	struct site_check_in in;
	char err[512], perr[256];
	bool bok, cok, dirty = false;
	json_t *st = NULL, *base = NULL, *alerts, *res, *fetches, *pal;

	err[0] = '\0';
	if (p->has_state) {
		st = mon_state_load(m->o->state_dir, p->url, err, sizeof(err));
		base = st != NULL ? json_object_get(st, "baseline") : NULL;
	}
	bok = mon_parse(bf, &bp, perr, sizeof(perr));
	cok = mon_parse(cf, &cp, perr, sizeof(perr));

	memset(&in, 0, sizeof(in));
	in.url = p->url;
	in.baseline = base;
	in.browser = bf;
	in.crawler = cf;
	in.bpage = bok ? &bp : NULL;
	in.cpage = cok ? &cp : NULL;
	in.vocab = m->vocab;
	in.lim = &m->lim;
	in.now = m->o->now;
	if (h->has_rep && h->rep == idx && h->have_dns && base != NULL) {
		if (json_object_get(base, "dns") == NULL) {
			/* first sight of this host's answers: record them */
			json_object_set_new(base, "dns", mon_dns_json(&h->dns));
			dirty = true;
		} else
			in.dns = &h->dns;
	}
	alerts = site_detect(&in);
	if (alerts == NULL)
		alerts = json_array();
	if (base == NULL && p->from_sitemap && m->vocab != NULL)
		mon_new_page(m, p->url, bok ? &bp : NULL, cok ? &cp : NULL,
		    alerts);

	res = json_object();
	json_set_str(res, "url", p->url);
	json_set_str(res, "final_url", bf->final_url != NULL ? bf->final_url :
	    p->url);
	json_set_int(res, "status", bf->status);
	json_object_set_new(res, "seconds", json_real(bf->seconds));
	fetches = json_object();
	json_object_set_new(fetches, "browser", mon_fetch_json(bf));
	json_object_set_new(fetches, "crawler", mon_fetch_json(cf));
	json_object_set_new(res, "fetches", fetches);
	if (p->from_sitemap)
		json_set_bool(res, "sitemap", true);
	if (err[0] != '\0')
		json_set_str(res, "state_error", err);
	if (!bok && perr[0] != '\0')
		json_set_str(res, "parse_error", perr);
	pal = json_array();
	mon_file_alerts(m, p, alerts, pal);
	json_object_set_new(res, "alerts", pal);
	json_decref(alerts);
	p->result = res;
	if (base == NULL)
		p->learn = true;
	if (dirty && mon_state_save(m->o->state_dir, p->url, st, err,
	    sizeof(err)) != 0)
		json_set_str(res, "state_error", err);
	if (bok)
		site_page_free(&bp);
	if (cok)
		site_page_free(&cp);
	json_decref(st);
}

/* The pages of a fetched chunk, compared by m->workers threads: parsing
 * dominates a round, and pages are independent but for the per-site
 * alerts (under m->lock). */
struct mon_work {
	struct mon *m;
	const struct mon_batch *b;
	size_t first;			/* index of the chunk's first page */
	size_t next;			/* next page to take (atomic) */
};

static void *
mon_work_thread(void *arg)
{
	struct mon_work *w = arg;
	size_t i;

	while ((i = __atomic_fetch_add(&w->next, 1, __ATOMIC_RELAXED)) <
	    w->b->n)
		mon_check_page(w->m, w->first + i, &w->b->out[2 * i],
		    &w->b->out[2 * i + 1]);
	return NULL;
}

static void
mon_check_chunk(struct mon *m, const struct mon_batch *b, size_t first)
{
	struct mon_work w = { m, b, first, 0 };
	pthread_t t[MON_MAX_WORKERS];
	int n, k;

	for (n = 0; n < m->workers - 1; n++)
		if (pthread_create(&t[n], NULL, mon_work_thread, &w) != 0)
			break;
	mon_work_thread(&w);
	for (k = 0; k < n; k++)
		pthread_join(t[k], NULL);
}

/* --- learning ---------------------------------------------------------- */

/* Learns one page's baseline from its 2 * F fetches (browser, crawler,
 * browser, …) and writes its state file. */
static void
mon_learn_page(struct mon *m, size_t idx, const struct site_fetch *out)
{
	const size_t F = (size_t)m->nfetch;
	struct site_page pages[2 * MON_MAX_FETCHES];
	struct site_fetch fs[2 * MON_MAX_FETCHES];
	struct mon_page *p = &m->pages[idx];
	struct mon_host *h = &m->hosts[p->host];
	json_t *base, *st;
	size_t j, np = 0;
	char err[512], ts[32], *path;

	if (p->result == NULL) {
		p->result = json_object();
		json_set_str(p->result, "url", p->url);
		json_set_str(p->result, "final_url", out[0].final_url != NULL ?
		    out[0].final_url : p->url);
		json_set_int(p->result, "status", out[0].status);
	}
	err[0] = '\0';
	for (j = 0; j < 2 * F; j++) {
		char perr[256];

		if (out[j].curl_code != 0 && err[0] == '\0')
			snprintf(err, sizeof(err), "%s", out[j].error);
		if (!mon_parse(&out[j], &pages[np], perr, sizeof(perr))) {
			if (perr[0] != '\0')
				snprintf(err, sizeof(err), "%s", perr);
			continue;
		}
		fs[np++] = out[j];	/* shallow: read only */
	}
	base = np >= 2 ? site_baseline_learn_vocab(pages, np, fs, m->vocab) :
	    NULL;
	for (j = 0; j < np; j++)
		site_page_free(&pages[j]);
	json_set_int(p->result, "fetches", (long long)np);
	if (base == NULL) {
		if (err[0] == '\0')
			snprintf(err, sizeof(err), "quá ít lần tải đọc được — "
			    "too few readable fetches");
		json_set_bool(p->result, "learnt", false);
		json_set_str(p->result, "learn_error", err);
		return;
	}
	if (h->have_dns && json_object_get(base, "dns") == NULL)
		json_object_set_new(base, "dns", mon_dns_json(&h->dns));
	st = json_object();
	json_set_int(st, "schema", MON_STATE_SCHEMA);
	json_set_str(st, "url", p->url);
	json_time(m->o->now, ts, sizeof(ts));
	json_set_str(st, "learned_at", ts);
	json_set_int(st, "fetches", (long long)np);
	json_object_set_new(st, "baseline", base);
	if (mon_state_save(m->o->state_dir, p->url, st, err,
	    sizeof(err)) != 0) {
		json_set_bool(p->result, "learnt", false);
		json_set_str(p->result, "learn_error", err);
	} else {
		path = site_state_path(m->o->state_dir, p->url);
		json_set_bool(p->result, "learnt", true);
		json_set_str(p->result, "file", path);
		free(path);
	}
	json_decref(st);
}

struct mon_lwork {
	struct mon *m;
	const size_t *idx;		/* pages of the chunk */
	size_t n;
	const struct site_fetch *out;	/* their 2 * F fetches each */
	size_t next;			/* atomic */
};

static void *
mon_lwork_thread(void *arg)
{
	struct mon_lwork *w = arg;
	size_t i, per = 2 * (size_t)w->m->nfetch;

	while ((i = __atomic_fetch_add(&w->next, 1, __ATOMIC_RELAXED)) < w->n)
		mon_learn_page(w->m, w->idx[i], &w->out[i * per]);
	return NULL;
}

/*
 * Learns the baselines of the pages idx[0..n): m->nfetch fetches of each
 * as both agents, in chunks of about MON_LEARN_FETCHES URL fetches, each
 * page learnt and written by one of m->workers threads. Each page's result
 * gets "learnt" (and "learn_error" when it could not be).
 */
static void
mon_learn(struct mon *m, const size_t *idx, size_t n)
{
	const size_t F = (size_t)m->nfetch;
	size_t per = MON_LEARN_FETCHES / F, c, i, r;
	pthread_t t[MON_MAX_WORKERS];
	int nt, k;

	if (per == 0)
		per = 1;
	for (c = 0; c < n; c += per) {
		struct mon_batch b;
		struct mon_lwork w;
		size_t cn = n - c < per ? n - c : per;

		memset(&b, 0, sizeof(b));
		b.fo = &m->fo;
		b.n = cn * F;
		b.nagents = 2;
		b.urls = calloc(b.n + 1, sizeof(*b.urls));
		if (b.urls == NULL)
			abort();
		for (i = 0; i < cn; i++)
			for (r = 0; r < F; r++)
				b.urls[i * F + r] = m->pages[idx[c + i]].url;
		b.out = calloc(b.n * 2 + 1, sizeof(*b.out));
		if (b.out == NULL)
			abort();
		site_fetch_many(b.urls, b.n, mon_agents, 2, &m->fo, b.out);
		m->fetches += b.n * 2;
		memset(&w, 0, sizeof(w));
		w.m = m;
		w.idx = idx + c;
		w.n = cn;
		w.out = b.out;
		for (nt = 0; nt < m->workers - 1; nt++)
			if (pthread_create(&t[nt], NULL, mon_lwork_thread,
			    &w) != 0)
				break;
		mon_lwork_thread(&w);
		for (k = 0; k < nt; k++)
			pthread_join(t[k], NULL);
		mon_batch_free(&b);
	}
}

/* --- the round --------------------------------------------------------- */

static json_t *
mon_stats(const struct mon *m, double t0, size_t pages)
{
	json_t *s = json_object();
	double secs = clk_now() - t0;

	json_set_int(s, "pages", (long long)pages);
	json_set_int(s, "fetches", (long long)m->fetches);
	json_object_set_new(s, "seconds", json_real(secs));
	json_object_set_new(s, "pages_per_s", json_real(secs > 0 ?
	    (double)pages / secs : 0));
	json_set_int(s, "alerts", (long long)m->alerts);
	json_set_int(s, "max_rss_kb", mon_rss_kb());
	return s;
}

json_t *
site_round(const struct site_round_opts *o, char *err, size_t errlen)
{
	struct mon m;
	struct mon_job dj;
	struct mon_batch cur, next;
	json_t *res = NULL, *pages, *notes;
	size_t i, k, nlearn = 0, *learn;
	double t0 = clk_now();
	char ts[32];

	if (mon_init(&m, o, err, errlen) != 0) {
		mon_free(&m);
		return NULL;
	}
	notes = json_array();
	if (m.o->sitemap)
		mon_sitemaps(&m, notes);

	/* which page compares each host's DNS: the first with a state */
	for (i = 0; i < m.npages; i++) {
		char *path = site_state_path(m.o->state_dir, m.pages[i].url);
		struct mon_host *h = &m.hosts[m.pages[i].host];

		m.pages[i].has_state = access(path, F_OK) == 0;
		free(path);
		if (m.pages[i].has_state && !h->has_rep) {
			h->rep = i;
			h->has_rep = true;
		}
	}
	mon_dns_start(&m, &dj);

	/* fetch chunk k+1 while chunk k is compared */
	memset(&cur, 0, sizeof(cur));
	memset(&next, 0, sizeof(next));
	for (k = 0; k < m.npages; k += MON_CHUNK) {
		if (k == 0) {
			cur.fo = &m.fo;
			cur.nagents = 2;
			cur.n = m.npages < MON_CHUNK ? m.npages : MON_CHUNK;
			cur.urls = calloc(cur.n + 1, sizeof(*cur.urls));
			if (cur.urls == NULL)
				abort();
			for (i = 0; i < cur.n; i++)
				cur.urls[i] = m.pages[i].url;
			mon_batch_start(&cur);
		}
		mon_job_wait(&cur.job);
		if (k + MON_CHUNK < m.npages) {
			size_t s = k + MON_CHUNK;

			next.fo = &m.fo;
			next.nagents = 2;
			next.n = m.npages - s < MON_CHUNK ? m.npages - s :
			    MON_CHUNK;
			next.urls = calloc(next.n + 1, sizeof(*next.urls));
			if (next.urls == NULL)
				abort();
			for (i = 0; i < next.n; i++)
				next.urls[i] = m.pages[s + i].url;
			mon_batch_start(&next);
		}
		if (k == 0)
			mon_job_wait(&dj);
		m.fetches += cur.n * 2;
		mon_check_chunk(&m, &cur, k);
		mon_batch_free(&cur);
		cur = next;
		memset(&next, 0, sizeof(next));
	}
	mon_job_wait(&dj);

	/* first sight: learn the pages without a baseline */
	learn = calloc(m.npages + 1, sizeof(*learn));
	if (learn == NULL)
		abort();
	for (i = 0; i < m.npages; i++)
		if (m.pages[i].learn)
			learn[nlearn++] = i;
	mon_learn(&m, learn, nlearn);
	free(learn);

	res = json_object();
	json_set_int(res, "schema", 1);
	json_time(m.o->now, ts, sizeof(ts));
	json_set_str(res, "checked_at", ts);
	pages = json_array();
	for (i = 0; i < m.npages; i++) {
		json_array_append_new(pages, m.pages[i].result);
		m.pages[i].result = NULL;
	}
	json_object_set_new(res, "pages", pages);
	json_object_set(res, "site", m.site);
	if (json_array_size(notes) > 0)
		json_object_set(res, "sitemaps", notes);
	json_object_set_new(res, "stats", mon_stats(&m, t0, m.npages));
	json_decref(notes);
	mon_free(&m);
	return res;
}

json_t *
site_learn(const struct site_round_opts *o, char *err, size_t errlen)
{
	struct mon m;
	struct mon_job dj;
	json_t *res, *pages, *stats;
	size_t i, *idx, learnt = 0;
	double t0 = clk_now();
	char ts[32];

	if (mon_init(&m, o, err, errlen) != 0) {
		mon_free(&m);
		return NULL;
	}
	mon_dns_start(&m, &dj);
	mon_job_wait(&dj);
	idx = calloc(m.npages + 1, sizeof(*idx));
	if (idx == NULL)
		abort();
	for (i = 0; i < m.npages; i++)
		idx[i] = i;
	mon_learn(&m, idx, m.npages);
	free(idx);

	res = json_object();
	json_set_int(res, "schema", 1);
	json_time(m.o->now, ts, sizeof(ts));
	json_set_str(res, "learned_at", ts);
	pages = json_array();
	for (i = 0; i < m.npages; i++) {
		if (json_bool(m.pages[i].result, "learnt", false))
			learnt++;
		json_array_append_new(pages, m.pages[i].result);
		m.pages[i].result = NULL;
	}
	json_object_set_new(res, "pages", pages);
	stats = mon_stats(&m, t0, m.npages);
	json_set_int(stats, "learnt", (long long)learnt);
	json_set_int(stats, "failed", (long long)(m.npages - learnt));
	json_object_set_new(res, "stats", stats);
	mon_free(&m);
	return res;
}
