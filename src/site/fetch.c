/*
 * fetch.c — fetches a portal's pages as a browser and as a search-engine
 * crawler (site.h), many at once over one libcurl multi handle: bounded in
 * transfers (overall and per host, scheduled here so that no transfer's
 * clock runs while it waits), body size, time and redirects, which we
 * follow ourselves to record every hop. Also what the TLS handshake showed
 * of the certificate. Everything fetched is untrusted: header values and
 * error texts are cut to valid UTF-8 before anyone sees them.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <jansson.h>

#include "lib/clock.h"
#include "lib/text.h"
#include "site/site.h"

#define FETCH_UA_BROWSER "Mozilla/5.0 (Windows NT 10.0; Win64; x64) " \
	"AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 " \
	"Safari/537.36"
#define FETCH_UA_CRAWLER "Mozilla/5.0 (compatible; Googlebot/2.1; " \
	"+http://www.google.com/bot.html)"
#define FETCH_ACCEPT "Accept: text/html,application/xhtml+xml," \
	"application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
#define FETCH_LANG "Accept-Language: vi-VN,vi;q=0.9,en;q=0.8"

#define FETCH_SLACK (64u * 1024)	/* read past max_body, then abort */
#define FETCH_BUF_MIN (16u * 1024)	/* first body buffer */
#define FETCH_HDR_MAX 64		/* distinct response headers kept */
#define FETCH_HDR_VALUE 2048		/* bytes of one header value */
#define FETCH_HDR_TOTAL (32u * 1024)	/* bytes of all header values */
#define FETCH_URL_MAX 8192		/* longer URLs are refused */
#define FETCH_DN_MAX 1024		/* subject and issuer text */
#define FETCH_NONE SIZE_MAX

/* One (URL, agent) transfer, through all its hops. */
struct fetch_xfer {
	struct site_fetch *f;
	CURL *easy;			/* made on first start, freed at end */
	char *url;			/* this hop's */
	size_t host;			/* index in run.hosts */
	size_t next;			/* pending list of the host */
	bool started;
	bool insecure;			/* this hop without verification */
	bool verify_failed;		/* a hop's certificate did not verify */
	bool aborted;			/* we stopped it past max_body */
	size_t cap;			/* of f->body */
	size_t seen;			/* body bytes received this hop */
	size_t hdrbytes;
	char *location;			/* this hop's Location, raw */
	bool peer_seen;			/* certificate read from the session */
	int64_t peer_not_after;
	char *peer_subject;
	char *peer_issuer;
	int64_t deadline;		/* monotonic ms */
	size_t max_body;
	char errbuf[CURL_ERROR_SIZE];
};

struct fetch_host {
	char *name;
	int active;
	size_t head, tail;		/* pending transfers, in order */
};

struct fetch_run {
	const struct site_fetch_opts *o;
	struct site_limits lim;
	CURLM *multi;
	struct curl_slist *headers;	/* Accept, Accept-Language */
	struct curl_slist *resolve;
	struct fetch_xfer *x;
	size_t nx;
	struct fetch_host *hosts;
	size_t nhosts, rr;
	int active;
	CURL **pool;			/* easy handles done with, reused */
	size_t npool;
	bool bundle;			/* libcurl has a CA bundle file */
};

static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;
static CURLcode fetch_init_rc = CURLE_FAILED_INIT;

static void
fetch_global_init(void)
{
	fetch_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void
site_limits_default(struct site_limits *lim)
{
	lim->max_body = 4u * 1024 * 1024;
	lim->timeout_ms = 20000;
	lim->connect_ms = 10000;
	lim->max_redirects = 8;
	lim->concurrency = 32;
	lim->per_host = 6;
	lim->slow_ms = 5000;
}

/*
 * Copies untrusted bytes as text: valid UTF-8 kept, control characters and
 * invalid bytes become '?', cut at a character boundary to fit dstlen.
 */
static void
fetch_clean(char *dst, size_t dstlen, const char *src, size_t len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, o = 0, n;

	if (dstlen == 0)
		return;
	while (i < len) {
		if (s[i] < 0x80)
			n = 1;
		else if (s[i] >= 0xc2 && s[i] <= 0xdf)
			n = 2;
		else if (s[i] >= 0xe0 && s[i] <= 0xef)
			n = 3;
		else if (s[i] >= 0xf0 && s[i] <= 0xf4)
			n = 4;
		else
			n = 0;
		if (n == 0 || i + n > len || (n > 1 &&
		    !text_valid_utf8(src + i, n))) {
			if (o + 1 >= dstlen)
				break;
			dst[o++] = '?';
			i++;
			continue;
		}
		if (o + n >= dstlen)
			break;
		if (n == 1 && (s[i] < 0x20 || s[i] == 0x7f))
			dst[o++] = s[i] == '\t' ? ' ' : '?';
		else
			memcpy(dst + o, src + i, n), o += n;
		i += n;
	}
	dst[o] = '\0';
}

static char *
fetch_clean_dup(const char *src, size_t len, size_t max)
{
	char *s;

	if (len > max)
		len = max;
	s = malloc(len + 1);
	if (s == NULL)
		abort();
	fetch_clean(s, len + 1, src, len);
	return s;
}

/* f->error = "<vi> — <en>[: detail]", valid UTF-8 within its size. */
static void
fetch_fail(struct site_fetch *f, int code, const char *vi, const char *en,
    const char *detail)
{
	char buf[1024];

	f->curl_code = code;
	if (detail != NULL && *detail != '\0')
		snprintf(buf, sizeof(buf), "%s — %s: %s", vi, en, detail);
	else
		snprintf(buf, sizeof(buf), "%s — %s", vi, en);
	fetch_clean(f->error, sizeof(f->error), buf, strlen(buf));
}

static void
fetch_fail_curl(struct fetch_xfer *x, CURLcode rc)
{
	char detail[CURL_ERROR_SIZE];
	const char *vi = "không kết nối được", *en = "could not connect";
	size_t n;

	n = strnlen(x->errbuf, sizeof(x->errbuf));
	while (n > 0 && (x->errbuf[n - 1] == '\n' || x->errbuf[n - 1] == ' '))
		n--;
	if (n == 0)
		snprintf(detail, sizeof(detail), "%s", curl_easy_strerror(rc));
	else
		snprintf(detail, sizeof(detail), "%.*s", (int)n, x->errbuf);
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		vi = "quá thời gian chờ";
		en = "timed out";
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		vi = "không phân giải được tên miền";
		en = "could not resolve the host";
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
		vi = "chứng chỉ TLS không hợp lệ";
		en = "TLS certificate not valid";
		break;
	default:
		break;
	}
	fetch_fail(x->f, (int)rc, vi, en, detail);
}

/* --- URLs and hosts ------------------------------------------------------ */

/* Absolute form of loc against base (NULL when it cannot be one); *http
 * tells whether its scheme is http or https. */
static char *
fetch_join(const char *base, const char *loc, bool *http)
{
	CURLU *u;
	char *got = NULL, *scheme = NULL, *out = NULL;

	*http = false;
	if ((u = curl_url()) == NULL)
		return NULL;
	if ((base == NULL || curl_url_set(u, CURLUPART_URL, base, 0) ==
	    CURLUE_OK) && curl_url_set(u, CURLUPART_URL, loc,
	    CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &got, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK) {
		*http = strcasecmp(scheme, "http") == 0 ||
		    strcasecmp(scheme, "https") == 0;
		out = text_dup(got);
	}
	curl_free(got);
	curl_free(scheme);
	curl_url_cleanup(u);
	return out;
}

/* Lower-case host of an absolute URL, malloc'd, or NULL. */
static char *
fetch_host_of(const char *url)
{
	CURLU *u;
	char *h = NULL, *out = NULL;

	if ((u = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK) {
		out = text_dup(h);
		for (char *p = out; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	}
	curl_free(h);
	curl_url_cleanup(u);
	return out;
}

static bool
fetch_is_https(const char *url)
{
	return url != NULL && strncasecmp(url, "https:", 6) == 0;
}

static size_t
fetch_host_index(struct fetch_run *r, const char *name)
{
	struct fetch_host *h;

	for (size_t i = 0; i < r->nhosts; i++)
		if (strcmp(r->hosts[i].name, name) == 0)
			return i;
	if ((h = realloc(r->hosts, (r->nhosts + 1) * sizeof(*h))) == NULL)
		abort();
	r->hosts = h;
	h = &r->hosts[r->nhosts];
	h->name = text_dup(name);
	h->active = 0;
	h->head = h->tail = FETCH_NONE;
	return r->nhosts++;
}

static void
fetch_queue(struct fetch_run *r, size_t xi, bool front)
{
	struct fetch_xfer *x = &r->x[xi];
	struct fetch_host *h = &r->hosts[x->host];

	x->next = FETCH_NONE;
	if (h->head == FETCH_NONE)
		h->head = h->tail = xi;
	else if (front) {
		x->next = h->head;
		h->head = xi;
	} else {
		r->x[h->tail].next = xi;
		h->tail = xi;
	}
}

/* --- what the answer said ----------------------------------------------- */

/* Forgets the previous answer's headers and body (a new hop, a 1xx). */
static void
fetch_reset_answer(struct fetch_xfer *x)
{
	struct site_fetch *f = x->f;

	json_object_clear(f->headers);
	x->hdrbytes = 0;
	f->len = 0;
	if (f->body != NULL)
		f->body[0] = '\0';
	f->truncated = false;
	x->seen = 0;
	x->aborted = false;
	free(x->location);
	x->location = NULL;
}

static size_t
fetch_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct fetch_xfer *x = arg;
	struct site_fetch *f = x->f;
	size_t n = size * nmemb, keep, want, cap;
	unsigned char *b;

	x->seen += n;
	if (f->len < x->max_body) {
		keep = n < x->max_body - f->len ? n : x->max_body - f->len;
		want = f->len + keep + 1;
		if (want > x->cap) {
			curl_off_t cl = -1;

			/* The announced length, when there is one, is the
			 * first guess (compressed answers grow from it). */
			cap = x->cap < FETCH_BUF_MIN ? FETCH_BUF_MIN : x->cap;
			if (x->cap == 0 && curl_easy_getinfo(x->easy,
			    CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) ==
			    CURLE_OK && cl > 0 && (uint64_t)cl < x->max_body)
				cap = (size_t)cl + 1;
			while (cap < want)
				cap *= 2;
			if (cap > x->max_body + 1)
				cap = x->max_body + 1;
			if ((b = realloc(f->body, cap)) == NULL)
				return 0;	/* CURLE_WRITE_ERROR */
			f->body = b;
			x->cap = cap;
		}
		memcpy(f->body + f->len, data, keep);
		f->len += keep;
		f->body[f->len] = '\0';
	}
	if (x->seen > x->max_body) {
		f->truncated = true;
		if (x->seen - x->max_body > FETCH_SLACK) {
			x->aborted = true;
			return 0;
		}
	}
	return n;
}

/* The peer's certificate, read from the live GnuTLS session: works also
 * when the connection was reused and curl's certinfo is empty. */
static void
fetch_peer(struct fetch_xfer *x)
{
	struct curl_tlssessioninfo *ti = NULL;
	const gnutls_datum_t *certs;
	gnutls_x509_crt_t crt;
	gnutls_datum_t dn;
	unsigned int ncerts = 0;
	time_t t;

	x->peer_seen = true;
	if (curl_easy_getinfo(x->easy, CURLINFO_TLS_SSL_PTR, &ti) !=
	    CURLE_OK || ti == NULL || ti->backend != CURLSSLBACKEND_GNUTLS ||
	    ti->internals == NULL)
		return;
	certs = gnutls_certificate_get_peers(
	    (gnutls_session_t)ti->internals, &ncerts);
	if (certs == NULL || ncerts == 0 || gnutls_x509_crt_init(&crt) < 0)
		return;
	if (gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) >= 0) {
		if ((t = gnutls_x509_crt_get_expiration_time(crt)) !=
		    (time_t)-1)
			x->peer_not_after = (int64_t)t;
		if (gnutls_x509_crt_get_dn3(crt, &dn, 0) >= 0) {
			free(x->peer_subject);
			x->peer_subject = fetch_clean_dup((char *)dn.data,
			    dn.size, FETCH_DN_MAX);
			gnutls_free(dn.data);
		}
		if (gnutls_x509_crt_get_issuer_dn3(crt, &dn, 0) >= 0) {
			free(x->peer_issuer);
			x->peer_issuer = fetch_clean_dup((char *)dn.data,
			    dn.size, FETCH_DN_MAX);
			gnutls_free(dn.data);
		}
	}
	gnutls_x509_crt_deinit(crt);
}

static bool
fetch_token_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' &&
	    strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Keeps one header of the answer: lower-case name, cleaned value,
 * repeated headers joined with ", ", all bounded. */
static void
fetch_header_keep(struct fetch_xfer *x, const char *name, size_t nlen,
    const char *value, size_t vlen)
{
	char key[65], val[FETCH_HDR_VALUE + 1], *joined;
	json_t *old;
	size_t i;

	if (nlen == 0 || nlen >= sizeof(key))
		return;
	for (i = 0; i < nlen; i++) {
		if (!fetch_token_char((unsigned char)name[i]))
			return;
		key[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ?
		    name[i] - 'A' + 'a' : name[i]);
	}
	key[nlen] = '\0';
	if (x->hdrbytes + vlen > FETCH_HDR_TOTAL)
		return;
	fetch_clean(val, sizeof(val), value, vlen);
	x->hdrbytes += strlen(val) + nlen;
	if ((old = json_object_get(x->f->headers, key)) != NULL) {
		joined = text_printf("%s, %s", json_string_value(old), val);
		if (strlen(joined) <= FETCH_HDR_VALUE)
			json_object_set_new(x->f->headers, key,
			    json_string(joined));
		free(joined);
		return;
	}
	if (json_object_size(x->f->headers) < FETCH_HDR_MAX)
		json_object_set_new(x->f->headers, key, json_string(val));
}

static size_t
fetch_header(char *data, size_t size, size_t nmemb, void *arg)
{
	struct fetch_xfer *x = arg;
	size_t n = size * nmemb, len = n, nlen;
	const char *colon, *v;
	size_t vlen;

	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
		len--;
	if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		fetch_reset_answer(x);
		if (fetch_is_https(x->url) && !x->peer_seen)
			fetch_peer(x);
		return n;
	}
	if ((colon = memchr(data, ':', len)) == NULL)
		return n;
	nlen = (size_t)(colon - data);
	v = colon + 1;
	vlen = len - nlen - 1;
	text_trim_span(&v, &vlen);
	if (nlen == 8 && strncasecmp(data, "location", 8) == 0 &&
	    x->location == NULL && vlen <= FETCH_URL_MAX)
		x->location = text_ndup(v, vlen);
	fetch_header_keep(x, data, nlen, v, vlen);
	return n;
}

/* "2026-12-31 23:59:59 GMT" (curl's x509asn1) or "Dec 31 23:59:59 2026
 * GMT" (OpenSSL's) to UTC seconds; 0 when neither. */
static int64_t
fetch_cert_date(const char *s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct tm tm;
	char mon[4];
	const char *m;
	int y, mo, d, hh, mm, ss;

	while (*s == ' ')
		s++;
	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &hh, &mm,
	    &ss) == 6) {
		/* nothing more */
	} else if (sscanf(s, "%3s %2d %2d:%2d:%2d %4d", mon, &d, &hh, &mm,
	    &ss, &y) == 6 && (m = strstr(months, mon)) != NULL &&
	    (m - months) % 3 == 0)
		mo = (int)(m - months) / 3 + 1;
	else
		return 0;
	if (y < 1950 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    hh > 23 || mm > 59 || ss > 60 || hh < 0 || mm < 0 || ss < 0)
		return 0;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	return (int64_t)timegm(&tm);
}

/* The certificate of this hop: curl's certinfo when the hop made its own
 * connection (a reused one leaves certinfo empty or stale), else what the
 * session showed during the transfer. */
static void
fetch_cert(struct fetch_xfer *x)
{
	struct site_fetch *f = x->f;
	struct curl_certinfo *ci = NULL;
	struct curl_slist *sl;
	long conns = 0;
	int64_t t;

	free(f->cert_subject);
	free(f->cert_issuer);
	f->cert_subject = f->cert_issuer = NULL;
	f->cert_not_after = 0;
	if (curl_easy_getinfo(x->easy, CURLINFO_NUM_CONNECTS, &conns) ==
	    CURLE_OK && conns > 0 && curl_easy_getinfo(x->easy,
	    CURLINFO_CERTINFO, &ci) == CURLE_OK && ci != NULL &&
	    ci->num_of_certs > 0) {
		for (sl = ci->certinfo[0]; sl != NULL; sl = sl->next) {
			const char *l = sl->data;

			if (text_prefix_ci(l, "Subject:") &&
			    f->cert_subject == NULL)
				f->cert_subject = fetch_clean_dup(l + 8,
				    strlen(l + 8), FETCH_DN_MAX);
			else if (text_prefix_ci(l, "Issuer:") &&
			    f->cert_issuer == NULL)
				f->cert_issuer = fetch_clean_dup(l + 7,
				    strlen(l + 7), FETCH_DN_MAX);
			else if (text_prefix_ci(l, "Expire date:") &&
			    (t = fetch_cert_date(l + 12)) != 0)
				f->cert_not_after = t;
		}
		if (f->cert_subject != NULL)
			text_trim(f->cert_subject);
		if (f->cert_issuer != NULL)
			text_trim(f->cert_issuer);
	}
	if (f->cert_not_after == 0)
		f->cert_not_after = x->peer_not_after;
	if (f->cert_subject == NULL && x->peer_subject != NULL)
		f->cert_subject = text_dup(x->peer_subject);
	if (f->cert_issuer == NULL && x->peer_issuer != NULL)
		f->cert_issuer = text_dup(x->peer_issuer);
}

/* "text/html; charset=UTF-8" -> "text/html" and "utf-8". */
static void
fetch_content_type(struct site_fetch *f, const char *ct)
{
	char type[128], cs[48];
	const char *p, *q;
	size_t n = 0;

	free(f->content_type);
	free(f->charset);
	f->content_type = f->charset = NULL;
	if (ct == NULL)
		return;
	for (p = ct; *p == ' ' || *p == '\t'; p++)
		;
	for (; fetch_token_char((unsigned char)*p) || *p == '/'; p++)
		if (n + 1 < sizeof(type))
			type[n++] = (char)(*p >= 'A' && *p <= 'Z' ?
			    *p - 'A' + 'a' : *p);
	type[n] = '\0';
	if (n > 0)
		f->content_type = text_dup(type);
	while ((p = strchr(p, ';')) != NULL) {
		for (p++; *p == ' ' || *p == '\t'; p++)
			;
		if (!text_prefix_ci(p, "charset="))
			continue;
		q = p + 8;
		if (*q == '"')
			q++;
		for (n = 0; fetch_token_char((unsigned char)*q) &&
		    n + 1 < sizeof(cs); q++)
			cs[n++] = (char)(*q >= 'A' && *q <= 'Z' ?
			    *q - 'A' + 'a' : *q);
		cs[n] = '\0';
		if (n > 0)
			f->charset = text_dup(cs);
		break;
	}
}

/* --- scheduling ---------------------------------------------------------- */

static void
fetch_finish(struct fetch_run *r, struct fetch_xfer *x)
{
	struct site_fetch *f = x->f;
	char *ct = NULL;

	if (x->easy != NULL) {
		if (curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct) ==
		    CURLE_OK && ct != NULL && f->status != 0)
			fetch_content_type(f, ct);
		/* Reused by the next transfer: fewer allocations, less
		 * fragmentation over thousands of pages. */
		if (r->npool < (size_t)r->lim.concurrency)
			r->pool[r->npool++] = x->easy;
		else
			curl_easy_cleanup(x->easy);
		x->easy = NULL;
	}
	free(f->final_url);
	f->final_url = text_dup(x->url != NULL ? x->url : f->url);
	f->tls = fetch_is_https(f->final_url);
	f->cert_verified = f->tls && !x->verify_failed && f->curl_code !=
	    CURLE_PEER_FAILED_VERIFICATION;
	if (f->body == NULL) {
		if ((f->body = calloc(1, 1)) == NULL)
			abort();
		f->len = 0;
	} else if (x->cap > f->len + 1) {
		unsigned char *b;

		/* Thousands of results wait for the caller: keep no slack. */
		if ((b = realloc(f->body, f->len + 1)) != NULL)
			f->body = b;
		x->cap = f->len + 1;
	}
	free(x->location);
	free(x->peer_subject);
	free(x->peer_issuer);
	free(x->url);
	x->location = x->peer_subject = x->peer_issuer = x->url = NULL;
}

/* An easy handle with what every transfer shares. */
static CURL *
fetch_easy(struct fetch_run *r)
{
	CURL *e;

	if (r->npool > 0)
		return r->pool[--r->npool];
	if ((e = curl_easy_init()) == NULL)
		return NULL;
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
	    (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);
	if (r->resolve != NULL)
		curl_easy_setopt(e, CURLOPT_RESOLVE, r->resolve);
	/* The GnuTLS backend loads its trust store for every connection:
	 * a bundle file alone, not the same certificates again from the
	 * directory (or only the caller's CA file, for tests). */
	if (r->o != NULL && r->o->cafile != NULL) {
		curl_easy_setopt(e, CURLOPT_CAINFO, r->o->cafile);
		curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
	} else if (r->bundle)
		curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
	curl_easy_setopt(e, CURLOPT_CERTINFO, 1L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, fetch_write);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, fetch_header);
	return e;
}

/* Gives a transfer its easy handle, set for it. */
static CURL *
fetch_easy_for(struct fetch_run *r, struct fetch_xfer *x)
{
	CURL *e;

	if ((e = fetch_easy(r)) == NULL)
		return NULL;
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_USERAGENT,
	    x->f->agent == SITE_CRAWLER ? FETCH_UA_CRAWLER : FETCH_UA_BROWSER);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	return e;
}

/* Starts the transfer's current hop; false when it ended at once. */
static bool
fetch_start(struct fetch_run *r, size_t xi)
{
	struct fetch_xfer *x = &r->x[xi];
	int64_t now = clk_now_ms(), left;

	if (!x->started) {
		x->started = true;
		x->deadline = now + r->lim.timeout_ms;
	}
	if ((left = x->deadline - now) <= 0) {
		fetch_fail(x->f, CURLE_OPERATION_TIMEDOUT, "quá thời gian chờ",
		    "timed out", NULL);
		fetch_finish(r, x);
		return false;
	}
	if (x->easy == NULL && (x->easy = fetch_easy_for(r, x)) == NULL) {
		fetch_fail(x->f, CURLE_OUT_OF_MEMORY, "hết bộ nhớ",
		    "out of memory", NULL);
		fetch_finish(r, x);
		return false;
	}
	x->errbuf[0] = '\0';
	x->peer_seen = false;
	x->peer_not_after = 0;
	free(x->peer_subject);
	free(x->peer_issuer);
	x->peer_subject = x->peer_issuer = NULL;
	fetch_reset_answer(x);
	curl_easy_setopt(x->easy, CURLOPT_URL, x->url);
	curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS, (long)left);
	curl_easy_setopt(x->easy, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)(left < r->lim.connect_ms ? left : r->lim.connect_ms));
	curl_easy_setopt(x->easy, CURLOPT_SSL_VERIFYPEER, x->insecure ? 0L :
	    1L);
	curl_easy_setopt(x->easy, CURLOPT_SSL_VERIFYHOST, x->insecure ? 0L :
	    2L);
	curl_easy_setopt(x->easy, CURLOPT_PIPEWAIT,
	    fetch_is_https(x->url) ? 1L : 0L);
	if (curl_multi_add_handle(r->multi, x->easy) != CURLM_OK) {
		fetch_fail(x->f, CURLE_FAILED_INIT, "lỗi libcurl",
		    "libcurl error", "curl_multi_add_handle");
		fetch_finish(r, x);
		return false;
	}
	r->hosts[x->host].active++;
	r->active++;
	return true;
}

/* Starts what the bounds allow, hosts in turn. */
static void
fetch_start_some(struct fetch_run *r)
{
	struct fetch_host *h;
	size_t i, hi, xi;

	for (i = 0; i < r->nhosts && r->active < r->lim.concurrency; i++) {
		hi = (r->rr + i) % r->nhosts;
		h = &r->hosts[hi];
		while (h->head != FETCH_NONE && h->active < r->lim.per_host &&
		    r->active < r->lim.concurrency) {
			xi = h->head;
			h->head = r->x[xi].next;
			if (h->head == FETCH_NONE)
				h->tail = FETCH_NONE;
			fetch_start(r, xi);
			h = &r->hosts[hi];
		}
	}
	if (r->nhosts > 0)
		r->rr = (r->rr + 1) % r->nhosts;
}

static bool
fetch_redirect_status(long status)
{
	return status == 301 || status == 302 || status == 303 ||
	    status == 307 || status == 308;
}

/* The answer was a redirect: record the hop, then follow it or stop. */
static void
fetch_redirect(struct fetch_run *r, size_t xi)
{
	struct fetch_xfer *x = &r->x[xi];
	struct site_fetch *f = x->f;
	struct site_hop *hop;
	char *next, *host;
	bool http, seen;

	next = fetch_join(x->url, x->location, &http);
	if ((hop = realloc(f->hops, (f->nhops + 1) * sizeof(*hop))) == NULL)
		abort();
	f->hops = hop;
	hop = &f->hops[f->nhops++];
	hop->status = f->status;
	hop->url = text_dup(x->url);
	hop->location = next != NULL ? text_dup(next) :
	    fetch_clean_dup(x->location, strlen(x->location), FETCH_URL_MAX);
	if (next == NULL) {
		fetch_fail(f, CURLE_URL_MALFORMAT,
		    "chuyển hướng tới địa chỉ không hợp lệ",
		    "redirect to an invalid URL", hop->location);
		goto done;
	}
	if (!http) {
		fetch_fail(f, CURLE_UNSUPPORTED_PROTOCOL,
		    "chuyển hướng tới giao thức bị từ chối",
		    "redirect to a refused protocol", hop->location);
		goto done;
	}
	seen = strcmp(next, f->url) == 0;
	for (size_t i = 0; i < f->nhops && !seen; i++)
		seen = strcmp(next, f->hops[i].url) == 0;
	if (seen || (int)f->nhops > r->lim.max_redirects ||
	    strlen(next) > FETCH_URL_MAX) {
		fetch_fail(f, CURLE_TOO_MANY_REDIRECTS,
		    seen ? "quá nhiều lần chuyển hướng (vòng lặp)" :
		    "quá nhiều lần chuyển hướng",
		    seen ? "too many redirects (a loop)" :
		    "too many redirects", NULL);
		goto done;
	}
	if ((host = fetch_host_of(next)) == NULL) {
		fetch_fail(f, CURLE_URL_MALFORMAT,
		    "chuyển hướng tới địa chỉ không hợp lệ",
		    "redirect to an invalid URL", hop->location);
		goto done;
	}
	free(x->url);
	x->url = next;
	x->insecure = false;
	x->host = fetch_host_index(r, host);
	free(host);
	fetch_queue(r, xi, true);
	return;
done:
	free(next);
	fetch_finish(r, x);
}

static void
fetch_done(struct fetch_run *r, struct fetch_xfer *x, CURLcode rc)
{
	struct site_fetch *f = x->f;
	curl_off_t t = 0;
	char *ip = NULL;
	long status = 0;
	size_t xi = (size_t)(x - r->x);

	curl_multi_remove_handle(r->multi, x->easy);
	r->hosts[x->host].active--;
	r->active--;
	if (rc == CURLE_WRITE_ERROR && x->aborted)
		rc = CURLE_OK;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	f->status = status;
	if (curl_easy_getinfo(x->easy, CURLINFO_TOTAL_TIME_T, &t) == CURLE_OK)
		f->seconds += (double)t / 1e6;
	if (curl_easy_getinfo(x->easy, CURLINFO_STARTTRANSFER_TIME_T, &t) ==
	    CURLE_OK)
		f->ttfb = (double)t / 1e6;
	if (curl_easy_getinfo(x->easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK &&
	    ip != NULL && *ip != '\0') {
		free(f->ip);
		f->ip = fetch_clean_dup(ip, strlen(ip), 64);
	}
	if (fetch_is_https(x->url))
		fetch_cert(x);
	if (rc == CURLE_PEER_FAILED_VERIFICATION) {
		x->verify_failed = true;
		fetch_fail_curl(x, rc);
		free(f->cert_error);
		f->cert_error = text_dup(f->error);
		if (r->o != NULL && r->o->insecure_ok && !x->insecure) {
			/* Again without verification, so that the content
			 * checks still run; the failure stays recorded. */
			x->insecure = true;
			f->curl_code = CURLE_OK;
			f->error[0] = '\0';
			fetch_queue(r, xi, true);
			return;
		}
	}
	if (rc != CURLE_OK) {
		fetch_fail_curl(x, rc);
		fetch_finish(r, x);
		return;
	}
	if (fetch_redirect_status(status) && x->location != NULL) {
		fetch_redirect(r, xi);
		return;
	}
	fetch_finish(r, x);
}

/* --- the whole round ----------------------------------------------------- */

static struct curl_slist *
fetch_resolve_list(const char *spec)
{
	struct curl_slist *l = NULL, *n;
	const char *p = spec, *e;

	/* One or more "host:port:addr[,addr]" separated by spaces or ';'. */
	while (p != NULL && *p != '\0') {
		p += strspn(p, " \t\n;");
		e = p + strcspn(p, " \t\n;");
		if (e > p) {
			char *one = text_ndup(p, (size_t)(e - p));

			if ((n = curl_slist_append(l, one)) != NULL)
				l = n;
			free(one);
		}
		p = e;
	}
	return l;
}

void
site_fetch_many(const char *const *urls, size_t n,
    const enum site_agent *agents, size_t nagents,
    const struct site_fetch_opts *o, struct site_fetch *out)
{
	struct fetch_run r;
	struct fetch_xfer *x;
	struct curl_slist *h;
	curl_version_info_data *vi;
	CURLMsg *msg;
	char *host;
	int running, left;
	size_t i, nx = n * nagents;
	bool http;

	if (nx == 0)
		return;
	memset(&r, 0, sizeof(r));
	r.o = o;
	if (o != NULL && o->lim != NULL)
		r.lim = *o->lim;
	else
		site_limits_default(&r.lim);
	if (r.lim.concurrency < 1)
		r.lim.concurrency = 1;
	if (r.lim.per_host < 1)
		r.lim.per_host = 1;
	if (r.lim.max_redirects < 0)
		r.lim.max_redirects = 0;
	if (r.lim.timeout_ms < 1)
		r.lim.timeout_ms = 1;
	if (r.lim.connect_ms < 1)
		r.lim.connect_ms = r.lim.timeout_ms;
	for (i = 0; i < nx; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].url = text_dup(urls[i / nagents] != NULL ?
		    urls[i / nagents] : "");
		out[i].agent = agents[i % nagents];
		out[i].headers = json_object();
	}
	pthread_once(&fetch_once, fetch_global_init);
	if ((x = calloc(nx, sizeof(*x))) == NULL || (r.pool = calloc(
	    (size_t)r.lim.concurrency, sizeof(*r.pool))) == NULL)
		abort();
	r.x = x;
	r.nx = nx;
	if (fetch_init_rc != CURLE_OK || (r.multi = curl_multi_init()) ==
	    NULL) {
		for (i = 0; i < nx; i++) {
			x[i].f = &out[i];
			fetch_fail(&out[i], CURLE_FAILED_INIT, "lỗi libcurl",
			    "libcurl error", "init");
			fetch_finish(&r, &x[i]);
		}
		free(r.pool);
		free(x);
		return;
	}
	curl_multi_setopt(r.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    (long)r.lim.concurrency);
	curl_multi_setopt(r.multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)r.lim.per_host);
	curl_multi_setopt(r.multi, CURLMOPT_MAXCONNECTS,
	    (long)r.lim.concurrency);
	curl_multi_setopt(r.multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
	if ((h = curl_slist_append(NULL, FETCH_ACCEPT)) != NULL)
		r.headers = h;
	if ((h = curl_slist_append(r.headers, FETCH_LANG)) != NULL)
		r.headers = h;
	if (o != NULL && o->resolve != NULL)
		r.resolve = fetch_resolve_list(o->resolve);
	vi = curl_version_info(CURLVERSION_NOW);
	r.bundle = vi != NULL && vi->age >= CURLVERSION_SEVENTH &&
	    vi->cainfo != NULL && access(vi->cainfo, R_OK) == 0;

	for (i = 0; i < nx; i++) {
		x[i].f = &out[i];
		x[i].max_body = r.lim.max_body;
		x[i].next = FETCH_NONE;
		if (strlen(out[i].url) > FETCH_URL_MAX ||
		    (x[i].url = fetch_join(NULL, out[i].url, &http)) == NULL) {
			fetch_fail(&out[i], CURLE_URL_MALFORMAT,
			    "địa chỉ không hợp lệ", "invalid URL", NULL);
			fetch_finish(&r, &x[i]);
			continue;
		}
		if (!http) {
			fetch_fail(&out[i], CURLE_UNSUPPORTED_PROTOCOL,
			    "chỉ theo dõi được http và https",
			    "only http and https can be watched", NULL);
			fetch_finish(&r, &x[i]);
			continue;
		}
		if ((host = fetch_host_of(x[i].url)) == NULL) {
			fetch_fail(&out[i], CURLE_URL_MALFORMAT,
			    "địa chỉ không hợp lệ", "invalid URL", NULL);
			fetch_finish(&r, &x[i]);
			continue;
		}
		x[i].host = fetch_host_index(&r, host);
		free(host);
		fetch_queue(&r, i, false);
	}

	for (;;) {
		fetch_start_some(&r);
		if (r.active == 0)
			break;
		curl_multi_perform(r.multi, &running);
		while ((msg = curl_multi_info_read(r.multi, &left)) != NULL) {
			struct fetch_xfer *mx = NULL;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			    (char **)&mx);
			if (mx != NULL)
				fetch_done(&r, mx, msg->data.result);
		}
		if (r.active > 0 && running > 0)
			curl_multi_poll(r.multi, NULL, 0, 1000, NULL);
	}

	while (r.npool > 0)
		curl_easy_cleanup(r.pool[--r.npool]);
	free(r.pool);
	curl_multi_cleanup(r.multi);
	curl_slist_free_all(r.headers);
	curl_slist_free_all(r.resolve);
	for (i = 0; i < r.nhosts; i++)
		free(r.hosts[i].name);
	free(r.hosts);
	free(x);
}

void
site_fetch_free(struct site_fetch *f)
{
	if (f == NULL)
		return;
	free(f->url);
	free(f->final_url);
	free(f->content_type);
	free(f->charset);
	free(f->body);
	for (size_t i = 0; i < f->nhops; i++) {
		free(f->hops[i].url);
		free(f->hops[i].location);
	}
	free(f->hops);
	json_decref(f->headers);
	free(f->ip);
	free(f->cert_error);
	free(f->cert_subject);
	free(f->cert_issuer);
	memset(f, 0, sizeof(*f));
}
