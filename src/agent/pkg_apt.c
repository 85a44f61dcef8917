/*
 * pkg_apt.c — APT's configuration and data as the packages collector
 * needs them: sources in the one-line and deb822 formats
 * (sources.list(5)), Release/InRelease files, list file names, and a
 * streaming reader of Packages lists (plain, gzip, lz4 frames) that keeps
 * nothing but the Package, Version and Architecture of each stanza, so
 * that lists of tens of megabytes cost no memory.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <lz4frame.h>
#include <zlib.h>

#include "agent/pkg.h"
#include "lib/text.h"

#define PKG_APT_CHUNK (128u << 10)	/* decompression output chunk */
#define PKG_APT_MAX_SOURCES 4096

static int
pkg_apt_fail(struct pkg_err *err, int line, const char *vi, const char *en)
{
	err->line = line;
	err->vi = vi;
	err->en = en;
	return -1;
}

void
pkg_apt_sources_free(struct apt_sources *s)
{
	size_t i, j;

	for (i = 0; i < s->n; i++) {
		struct apt_source *a = &s->v[i];

		free(a->uri);
		free(a->suite);
		for (j = 0; j < a->ncomponents; j++)
			free(a->components[j]);
		free(a->components);
		free(a->file);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* A list of words split at blanks, copied. */
struct pkg_apt_words {
	char **w;
	size_t n;
};

static void
pkg_apt_words_free(struct pkg_apt_words *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->w[i]);
	free(w->w);
	w->w = NULL;
	w->n = 0;
}

static void
pkg_apt_words_add(struct pkg_apt_words *w, const char *s, size_t len)
{
	char **v = realloc(w->w, (w->n + 1) * sizeof(*v));

	if (v == NULL)
		abort();
	w->w = v;
	w->w[w->n++] = text_ndup(s, len);
}

static void
pkg_apt_split(const char *p, const char *e, struct pkg_apt_words *w)
{
	while (p < e) {
		const char *s;

		while (p < e && isspace((unsigned char)*p))
			p++;
		s = p;
		while (p < e && !isspace((unsigned char)*p))
			p++;
		if (p > s)
			pkg_apt_words_add(w, s, (size_t)(p - s));
	}
}

/*
 * Splits a one-line source as APT's ParseQuoteWord does: "[...]" and
 * "\"...\"" may hold blanks inside a word (cdrom:[Debian GNU/Linux 12 ...]/),
 * double quotes are then removed. False on an unclosed bracket or quote.
 */
static bool
pkg_apt_split_quoted(const char *p, const char *e, struct pkg_apt_words *w)
{
	while (p < e) {
		const char *s, *c;
		char *word;
		size_t i, o;

		while (p < e && isspace((unsigned char)*p))
			p++;
		if (p == e)
			break;
		for (s = p; p < e && !isspace((unsigned char)*p); p++) {
			if (*p != '"' && *p != '[')
				continue;
			c = memchr(p + 1, *p == '"' ? '"' : ']',
			    (size_t)(e - p - 1));
			if (c == NULL)
				return false;
			p = c;
		}
		pkg_apt_words_add(w, s, (size_t)(p - s));
		word = w->w[w->n - 1];
		for (i = o = 0; word[i] != '\0'; i++)
			if (word[i] != '"')
				word[o++] = word[i];
		word[o] = '\0';
	}
	return true;
}

static int
pkg_apt_add(struct apt_sources *out, const char *uri, const char *suite,
    char **comps, size_t ncomps, const char *file, int line, bool trusted,
    bool insecure, struct pkg_err *err)
{
	struct apt_source *a;
	size_t i;

	if (out->n >= PKG_APT_MAX_SOURCES)
		return pkg_apt_fail(err, line, "quá nhiều nguồn gói",
		    "too many sources");
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 8;
		struct apt_source *v = realloc(out->v, cap * sizeof(*v));

		if (v == NULL)
			abort();
		out->v = v;
		out->cap = cap;
	}
	a = &out->v[out->n++];
	memset(a, 0, sizeof(*a));
	a->uri = text_dup(uri);
	a->suite = text_dup(suite);
	if (ncomps > 0) {
		a->components = calloc(ncomps, sizeof(char *));
		if (a->components == NULL)
			abort();
		for (i = 0; i < ncomps; i++)
			a->components[i] = text_dup(comps[i]);
	}
	a->ncomponents = ncomps;
	a->file = text_printf("%s:%d", file, line);
	a->trusted = trusted;
	a->allow_insecure = insecure;
	return 0;
}

static bool
pkg_apt_yes(const char *v)
{
	return strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0 ||
	    strcmp(v, "1") == 0 || strcasecmp(v, "on") == 0;
}

static bool
pkg_apt_insecure_key(const char *k, size_t len)
{
	static const char *const keys[] = {"allow-insecure", "allow-weak",
	    "allow-downgrade-to-insecure", NULL};
	size_t i;

	for (i = 0; keys[i] != NULL; i++)
		if (strlen(keys[i]) == len && strncasecmp(k, keys[i], len) == 0)
			return true;
	return false;
}

/* Applies one "key=value" option of a one-line source. */
static void
pkg_apt_option(const char *opt, bool *trusted, bool *insecure)
{
	const char *eq = strchr(opt, '=');
	size_t klen;

	if (eq == NULL)
		return;
	klen = (size_t)(eq - opt);
	if (klen > 0 && (opt[klen - 1] == '+' || opt[klen - 1] == '-'))
		return;		/* arch+=, arch-= */
	if (klen == 7 && strncasecmp(opt, "trusted", 7) == 0)
		*trusted = pkg_apt_yes(eq + 1);
	else if (pkg_apt_insecure_key(opt, klen) && pkg_apt_yes(eq + 1))
		*insecure = true;
}

/* A line of a sources file must be UTF-8 text without NUL bytes. */
static int
pkg_apt_text_line(const char *line, size_t len, int lineno,
    struct pkg_err *err)
{
	if (!text_valid_utf8(line, len))
		return pkg_apt_fail(err, lineno,
		    "dòng chứa dữ liệu nhị phân, không phải văn bản UTF-8",
		    "line holds binary data, not UTF-8 text");
	return 0;
}

int
pkg_apt_parse_list(const char *buf, size_t len, const char *file,
    struct apt_sources *out, struct pkg_err *err)
{
	const char *p = buf, *end = buf + len, *line;
	size_t ll;
	int lineno = 0, rc = 0;

	while (rc == 0 && text_next_line(&p, end, &line, &ll)) {
		const char *le = line + ll, *hash, *q, *close;
		struct pkg_apt_words w = {0}, opts = {0};
		bool trusted = false, insecure = false, src;
		size_t i;

		if (pkg_apt_text_line(line, ll, ++lineno, err) < 0)
			return -1;
		hash = memchr(line, '#', ll);
		if (hash != NULL)
			le = hash;
		q = line;
		while (q < le && isspace((unsigned char)*q))
			q++;
		if (q == le)
			continue;
		/* type */
		if ((size_t)(le - q) > 4 && memcmp(q, "deb", 3) == 0 &&
		    isspace((unsigned char)q[3])) {
			src = false;
			q += 3;
		} else if ((size_t)(le - q) > 8 &&
		    memcmp(q, "deb-src", 7) == 0 && isspace((unsigned char)q[7])) {
			src = true;
			q += 7;
		} else {
			return pkg_apt_fail(err, lineno,
			    "dòng không bắt đầu bằng deb hoặc deb-src",
			    "line does not start with deb or deb-src");
		}
		while (q < le && isspace((unsigned char)*q))
			q++;
		if (q < le && *q == '[') {
			close = memchr(q, ']', (size_t)(le - q));
			if (close == NULL)
				return pkg_apt_fail(err, lineno,
				    "thiếu dấu ']' đóng phần tùy chọn",
				    "unterminated '[' option list");
			pkg_apt_split(q + 1, close, &opts);
			for (i = 0; i < opts.n; i++)
				pkg_apt_option(opts.w[i], &trusted, &insecure);
			pkg_apt_words_free(&opts);
			q = close + 1;
		}
		if (!pkg_apt_split_quoted(q, le, &w)) {
			rc = pkg_apt_fail(err, lineno,
			    "thiếu dấu ']' hoặc '\"' đóng",
			    "unterminated '[' or '\"'");
		} else if (w.n < 2 || w.w[0][0] == '\0' ||
		    w.w[1][0] == '\0') {
			rc = pkg_apt_fail(err, lineno,
			    "thiếu địa chỉ kho hoặc bộ phát hành",
			    "missing URI or suite");
		} else if (w.w[1][strlen(w.w[1]) - 1] != '/' && w.n < 3) {
			rc = pkg_apt_fail(err, lineno,
			    "thiếu thành phần (component)",
			    "missing component");
		} else if (strchr(w.w[0], ':') == NULL) {
			rc = pkg_apt_fail(err, lineno,
			    "địa chỉ kho không hợp lệ", "invalid URI");
		} else if (!src) {
			rc = pkg_apt_add(out, w.w[0], w.w[1], w.w + 2, w.n - 2,
			    file, lineno, trusted, insecure, err);
		}
		pkg_apt_words_free(&w);
	}
	return rc;
}

/* The fields of one deb822 stanza that name sources. */
struct pkg_apt_stanza {
	struct pkg_apt_words types, uris, suites, comps;
	bool enabled, trusted, insecure, any;
	int line;
};

static void
pkg_apt_stanza_reset(struct pkg_apt_stanza *st)
{
	pkg_apt_words_free(&st->types);
	pkg_apt_words_free(&st->uris);
	pkg_apt_words_free(&st->suites);
	pkg_apt_words_free(&st->comps);
	st->enabled = true;
	st->trusted = st->insecure = st->any = false;
	st->line = 0;
}

static int
pkg_apt_stanza_end(struct pkg_apt_stanza *st, const char *file,
    struct apt_sources *out, struct pkg_err *err)
{
	size_t i, j;
	bool deb = false;

	if (!st->any)
		return 0;
	if (st->types.n == 0 || st->uris.n == 0 || st->suites.n == 0)
		return pkg_apt_fail(err, st->line,
		    "mục thiếu Types, URIs hoặc Suites",
		    "stanza without Types, URIs or Suites");
	for (i = 0; i < st->types.n; i++) {
		if (strcmp(st->types.w[i], "deb") == 0)
			deb = true;
		else if (strcmp(st->types.w[i], "deb-src") != 0)
			return pkg_apt_fail(err, st->line,
			    "kiểu nguồn không hợp lệ trong Types",
			    "unknown type in Types");
	}
	if (!deb || !st->enabled)
		return 0;
	for (i = 0; i < st->uris.n; i++) {
		if (strchr(st->uris.w[i], ':') == NULL)
			return pkg_apt_fail(err, st->line,
			    "địa chỉ kho không hợp lệ", "invalid URI");
		for (j = 0; j < st->suites.n; j++) {
			const char *s = st->suites.w[j];

			if (s[strlen(s) - 1] != '/' && st->comps.n == 0)
				return pkg_apt_fail(err, st->line,
				    "thiếu Components", "missing Components");
			if (pkg_apt_add(out, st->uris.w[i], s, st->comps.w,
			    st->comps.n, file, st->line, st->trusted,
			    st->insecure, err) < 0)
				return -1;
		}
	}
	return 0;
}

int
pkg_apt_parse_deb822(const char *buf, size_t len, const char *file,
    struct apt_sources *out, struct pkg_err *err)
{
	const char *p = buf, *end = buf + len, *line;
	struct pkg_apt_stanza st;
	struct pkg_apt_words *cur = NULL;
	size_t ll;
	int lineno = 0, rc = 0;

	memset(&st, 0, sizeof(st));
	pkg_apt_stanza_reset(&st);
	while (rc == 0 && text_next_line(&p, end, &line, &ll)) {
		const char *colon, *v, *le = line + ll;
		char val[32];
		size_t klen, vl;

		if (pkg_apt_text_line(line, ll, ++lineno, err) < 0) {
			rc = -1;
			break;
		}
		if (ll > 0 && line[0] == '#')
			continue;
		while (le > line && isspace((unsigned char)le[-1]))
			le--;
		if (le == line) {
			rc = pkg_apt_stanza_end(&st, file, out, err);
			pkg_apt_stanza_reset(&st);
			cur = NULL;
			continue;
		}
		if (line[0] == ' ' || line[0] == '\t') {
			if (!st.any)
				rc = pkg_apt_fail(err, lineno,
				    "dòng tiếp nối nằm ngoài mục",
				    "continuation line outside a stanza");
			else if (cur != NULL)
				pkg_apt_split(line, le, cur);
			continue;
		}
		colon = memchr(line, ':', (size_t)(le - line));
		if (colon == NULL || colon == line) {
			rc = pkg_apt_fail(err, lineno,
			    "dòng không có dạng \"Trường: giá trị\"",
			    "line is not \"Field: value\"");
			continue;
		}
		if (!st.any) {
			st.any = true;
			st.line = lineno;
		}
		klen = (size_t)(colon - line);
		v = colon + 1;
		while (v < le && isspace((unsigned char)*v))
			v++;
		vl = (size_t)(le - v);
		if (vl >= sizeof(val))
			vl = sizeof(val) - 1;
		memcpy(val, v, vl);
		val[vl] = '\0';
		cur = NULL;
#define KEY(s) (klen == sizeof(s) - 1 && strncasecmp(line, s, klen) == 0)
		if (KEY("Types"))
			cur = &st.types;
		else if (KEY("URIs"))
			cur = &st.uris;
		else if (KEY("Suites"))
			cur = &st.suites;
		else if (KEY("Components"))
			cur = &st.comps;
		else if (KEY("Enabled"))
			st.enabled = pkg_apt_yes(val);
		else if (KEY("Trusted"))
			st.trusted = pkg_apt_yes(val);
		else if (pkg_apt_insecure_key(line, klen) && pkg_apt_yes(val))
			st.insecure = true;
#undef KEY
		if (cur != NULL)
			pkg_apt_split(v, le, cur);
	}
	if (rc == 0)
		rc = pkg_apt_stanza_end(&st, file, out, err);
	pkg_apt_stanza_reset(&st);
	return rc;
}

void
pkg_apt_uri_host(const char *uri, char *buf, size_t size)
{
	const char *p = strstr(uri, "://"), *e, *at;
	size_t n, i;

	buf[0] = '\0';
	if (p == NULL || size == 0)
		return;
	p += 3;
	e = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(e - p));
	if (at != NULL)
		p = at + 1;
	if (p < e && *p == '[') {
		const char *c = memchr(p, ']', (size_t)(e - p));

		if (c == NULL)
			return;
		p++;
		e = c;
	} else {
		const char *c = memchr(p, ':', (size_t)(e - p));

		if (c != NULL)
			e = c;
	}
	n = (size_t)(e - p);
	if (n >= size)
		n = size - 1;
	for (i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)p[i]);
	buf[n] = '\0';
}

static bool
pkg_apt_domain(const char *host, const char *domain)
{
	size_t h = strlen(host), d = strlen(domain);

	if (h == d)
		return strcmp(host, domain) == 0;
	return h > d && host[h - d - 1] == '.' &&
	    strcmp(host + h - d, domain) == 0;
}

bool
pkg_apt_official(const char *uri, json_t *mirrors)
{
	char host[256];
	size_t i;
	json_t *m;

	pkg_apt_uri_host(uri, host, sizeof(host));
	if (host[0] == '\0')
		return false;
	if (pkg_apt_domain(host, "debian.org") ||
	    pkg_apt_domain(host, "ubuntu.com"))
		return true;
	json_array_foreach(mirrors, i, m) {
		const char *s = json_string_value(m);

		if (s != NULL && strcasecmp(s, host) == 0)
			return true;
	}
	return false;
}

int
pkg_apt_parse_release(const char *buf, size_t len, struct apt_release *r)
{
	const char *p = buf, *end = buf + len, *line;
	size_t ll;
	bool header = false, found = false;

	memset(r, 0, sizeof(*r));
	while (text_next_line(&p, end, &line, &ll)) {
		const char *colon, *v, *le = line + ll;
		char *dst = NULL;
		size_t klen, vl;

		if (ll >= 5 && memcmp(line, "-----", 5) == 0) {
			if (ll >= 34 && memcmp(line,
			    "-----BEGIN PGP SIGNED MESSAGE-----", 34) == 0) {
				header = true;
				continue;
			}
			break;	/* the signature */
		}
		if (header) {	/* "Hash: SHA512" up to a blank line */
			if (ll == 0)
				header = false;
			continue;
		}
		if (ll == 0 || line[0] == ' ' || line[0] == '\t')
			continue;
		colon = memchr(line, ':', ll);
		if (colon == NULL)
			continue;
		klen = (size_t)(colon - line);
		if ((klen == 12 && memcmp(line, "NotAutomatic", 12) == 0) ||
		    (klen == 20 && memcmp(line, "ButAutomaticUpgrades",
		    20) == 0)) {
			v = colon + 1;
			while (v < le && isspace((unsigned char)*v))
				v++;
			while (le > v && isspace((unsigned char)le[-1]))
				le--;
			if ((size_t)(le - v) == 3 &&
			    strncasecmp(v, "yes", 3) == 0) {
				if (klen == 12)
					r->not_automatic = true;
				else
					r->but_automatic = true;
			}
			found = true;
			continue;
		}
		if (klen == 6 && memcmp(line, "Origin", 6) == 0)
			dst = r->origin;
		else if (klen == 5 && memcmp(line, "Label", 5) == 0)
			dst = r->label;
		else if (klen == 5 && memcmp(line, "Suite", 5) == 0)
			dst = r->suite;
		else if (klen == 8 && memcmp(line, "Codename", 8) == 0)
			dst = r->codename;
		if (dst == NULL)
			continue;
		v = colon + 1;
		while (v < le && isspace((unsigned char)*v))
			v++;
		while (le > v && isspace((unsigned char)le[-1]))
			le--;
		vl = (size_t)(le - v);
		if (vl > 63 || !text_valid_utf8(v, vl))
			continue;
		memcpy(dst, v, vl);
		dst[vl] = '\0';
		found = true;
	}
	return found ? 0 : -1;
}

/* Copies s[0..len) to dst, '_' becoming '/' and "%XX" decoded. */
static bool
pkg_apt_unescape(const char *s, size_t len, char *dst, size_t size)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (o + 1 >= size)
			return false;
		if (c == '_') {
			c = '/';
		} else if (c == '%' && i + 2 < len &&
		    isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = {s[i + 1], s[i + 2], 0};
			long x = strtol(hex, NULL, 16);

			if (x < 0x20 || x > 0x7e)
				return false;
			c = (char)x;
			i += 2;
		} else if ((unsigned char)c < 0x20 || (unsigned char)c > 0x7e) {
			return false;
		}
		dst[o++] = c;
	}
	dst[o] = '\0';
	return true;
}

bool
pkg_apt_listname(const char *fname, struct apt_listname *ln)
{
	const char *pk, *suffix, *d, *b, *rest, *stem_end, *u;
	size_t stemlen;

	memset(ln, 0, sizeof(*ln));
	pk = NULL;
	for (u = strstr(fname, "_Packages"); u != NULL;
	    u = strstr(u + 1, "_Packages"))
		pk = u;
	if (pk == NULL)
		return false;
	suffix = pk + 9;
	if (*suffix == '\0')
		ln->compression = APT_PLAIN;
	else if (strcmp(suffix, ".gz") == 0)
		ln->compression = APT_GZ;
	else if (strcmp(suffix, ".lz4") == 0)
		ln->compression = APT_LZ4;
	else if (strcmp(suffix, ".xz") == 0 || strcmp(suffix, ".bz2") == 0 ||
	    strcmp(suffix, ".zst") == 0 || strcmp(suffix, ".lzma") == 0)
		ln->compression = APT_OTHER;
	else
		return false;
	stem_end = pk;
	stemlen = (size_t)(stem_end - fname);
	d = strstr(fname, "_dists_");
	if (d == NULL || d >= stem_end) {
		/* flat repository: "host_path_Packages" */
		if (!pkg_apt_unescape(fname, stemlen, ln->site,
		    sizeof(ln->site)))
			return false;
		if (stemlen + 2 > sizeof(ln->release_stem))
			return false;
		memcpy(ln->release_stem, fname, stemlen);
		memcpy(ln->release_stem + stemlen, "_", 2);
		return true;
	}
	if (!pkg_apt_unescape(fname, (size_t)(d - fname), ln->site,
	    sizeof(ln->site)))
		return false;
	rest = d + 7;
	if (rest > stem_end)	/* "_dists_" overlaps "_Packages" */
		return false;
	u = memchr(rest, '_', (size_t)(stem_end - rest));
	if (u == NULL)
		return false;
	if (!pkg_apt_unescape(rest, (size_t)(u - rest), ln->dist,
	    sizeof(ln->dist)))
		return false;
	/* component: up to the last "_binary-" */
	b = NULL;
	for (d = strstr(u, "_binary-"); d != NULL && d < stem_end;
	    d = strstr(d + 1, "_binary-"))
		b = d;
	if (b == NULL || b <= u)
		return false;
	if (!pkg_apt_unescape(u + 1, (size_t)(b - u - 1), ln->component,
	    sizeof(ln->component)))
		return false;
	if ((size_t)(u - fname) + 2 > sizeof(ln->release_stem))
		return false;
	memcpy(ln->release_stem, fname, (size_t)(u - fname) + 1);
	ln->release_stem[u - fname + 1] = '\0';
	return true;
}

void
pkg_apt_scan_init(struct apt_scan *s, apt_stanza_fn *fn, void *arg)
{
	memset(s, 0, sizeof(*s));
	s->fn = fn;
	s->arg = arg;
}

static bool
pkg_apt_namechar(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '.' || c == '+' || c == '-' || (c >= 'A' && c <= 'Z');
}

static bool
pkg_apt_verchar(int c)
{
	return pkg_apt_namechar(c) || c == '~' || c == ':' || c == '_';
}

/* Copies a field value into dst when every byte passes ok(). */
static bool
pkg_apt_value(const char *v, const char *e, char *dst, size_t size,
    bool (*ok)(int))
{
	size_t n;
	const char *q;

	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	while (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	n = (size_t)(e - v);
	if (n == 0 || n >= size)
		return false;
	for (q = v; q < e; q++)
		if (!ok((unsigned char)*q))
			return false;
	memcpy(dst, v, n);
	dst[n] = '\0';
	return true;
}

static void
pkg_apt_scan_stanza_end(struct apt_scan *s)
{
	if (!s->in_stanza)
		return;
	if (s->stanza_bad || s->name[0] == '\0' || s->version[0] == '\0') {
		s->bad++;
	} else {
		s->stanzas++;
		if (s->fn != NULL)
			s->fn(s->arg, s->name, s->version, s->arch);
	}
	s->in_stanza = s->stanza_bad = false;
	s->name[0] = s->version[0] = s->arch[0] = '\0';
}

static void
pkg_apt_scan_line(struct apt_scan *s, const char *line, size_t len,
    bool cut)
{
	const char *e = line + len;

	if (len > 0 && line[len - 1] == '\r')
		len--, e--;
	if (len == 0) {
		pkg_apt_scan_stanza_end(s);
		return;
	}
	if (line[0] == ' ' || line[0] == '\t')
		return;
	s->in_stanza = true;
	if (len >= 8 && memcmp(line, "Package:", 8) == 0) {
		if (cut || s->name[0] || !pkg_apt_value(line + 8, e, s->name,
		    sizeof(s->name), pkg_apt_namechar))
			s->stanza_bad = true;
	} else if (len >= 8 && memcmp(line, "Version:", 8) == 0) {
		if (cut || s->version[0] || !pkg_apt_value(line + 8, e,
		    s->version, sizeof(s->version), pkg_apt_verchar))
			s->stanza_bad = true;
	} else if (len >= 13 && memcmp(line, "Architecture:", 13) == 0) {
		if (cut || s->arch[0] || !pkg_apt_value(line + 13, e,
		    s->arch, sizeof(s->arch), pkg_apt_namechar))
			s->stanza_bad = true;
	} else if (memchr(line, ':', len) == NULL) {
		s->stanza_bad = true;
	}
}

void
pkg_apt_scan_feed(struct apt_scan *s, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	if (len == 0)
		return;
	if (memchr(buf, '\0', len) != NULL)
		s->binary = true;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t n = (size_t)(le - p);

		if (s->linelen > 0 || s->line_long || nl == NULL) {
			/* continue (or start) a carried line */
			size_t room = sizeof(s->line) - s->linelen;

			if (n > room) {
				s->line_long = true;
				n = room;
			}
			memcpy(s->line + s->linelen, p, n);
			s->linelen += n;
			if (nl != NULL) {
				pkg_apt_scan_line(s, s->line, s->linelen,
				    s->line_long);
				s->linelen = 0;
				s->line_long = false;
			}
		} else {
			pkg_apt_scan_line(s, p, n, false);
		}
		p = nl ? nl + 1 : end;
	}
}

int
pkg_apt_scan_end(struct apt_scan *s, struct pkg_err *err)
{
	if (s->linelen > 0 || s->line_long) {
		pkg_apt_scan_line(s, s->line, s->linelen, s->line_long);
		s->linelen = 0;
		s->line_long = false;
	}
	pkg_apt_scan_stanza_end(s);
	if (s->binary)
		return pkg_apt_fail(err, 0,
		    "danh sách gói chứa byte NUL, không phải văn bản",
		    "package list holds NUL bytes: not text");
	if (s->bad > 0)
		return pkg_apt_fail(err, 0,
		    "danh sách gói có mục thiếu hoặc sai Package/Version",
		    "package list has stanzas with a missing or bad "
		    "Package/Version");
	return 0;
}

int
pkg_apt_parse_packages(const char *buf, size_t len, apt_stanza_fn *fn,
    void *arg, struct pkg_err *err)
{
	struct apt_scan s;

	pkg_apt_scan_init(&s, fn, arg);
	pkg_apt_scan_feed(&s, buf, len);
	return pkg_apt_scan_end(&s, err);
}

static int
pkg_apt_too_big(struct pkg_err *err)
{
	return pkg_apt_fail(err, 0,
	    "danh sách gói giải nén vượt giới hạn kích thước",
	    "package list expands past the size limit");
}

int
pkg_apt_inflate_init(struct apt_inflate *in, int compression, size_t max)
{
	memset(in, 0, sizeof(*in));
	in->compression = compression;
	in->max = max;
	in->out = malloc(PKG_APT_CHUNK);
	if (in->out == NULL)
		abort();
	if (compression == APT_LZ4) {
		if (LZ4F_isError(LZ4F_createDecompressionContext(&in->lz4,
		    LZ4F_VERSION)))
			abort();
		in->hint = 1;
	} else if (compression == APT_GZ) {
		if (inflateInit2(&in->z, 15 + 32) != Z_OK)
			abort();
		in->zinit = true;
	}
	return 0;
}

void
pkg_apt_inflate_free(struct apt_inflate *in)
{
	if (in->lz4 != NULL)
		LZ4F_freeDecompressionContext(in->lz4);
	if (in->zinit)
		inflateEnd(&in->z);
	free(in->out);
	memset(in, 0, sizeof(*in));
}

static int
pkg_apt_inflate_out(struct apt_inflate *in, struct apt_scan *s, size_t n,
    struct pkg_err *err)
{
	in->total += n;
	if (in->total > in->max)
		return pkg_apt_too_big(err);
	pkg_apt_scan_feed(s, in->out, n);
	return 0;
}

static int
pkg_apt_inflate_lz4(struct apt_inflate *in, struct apt_scan *s,
    const char *buf, size_t len, struct pkg_err *err)
{
	const char *p = buf, *end = buf + len;

	do {
		size_t outsz = PKG_APT_CHUNK, insz = (size_t)(end - p);

		in->hint = LZ4F_decompress(in->lz4, in->out, &outsz, p, &insz,
		    NULL);
		if (LZ4F_isError(in->hint))
			return pkg_apt_fail(err, 0, "dữ liệu lz4 không hợp lệ",
			    "invalid lz4 data");
		p += insz;
		if (pkg_apt_inflate_out(in, s, outsz, err) < 0)
			return -1;
		if (insz == 0 && outsz == 0)
			break;
	} while (p < end);
	return 0;
}

static int
pkg_apt_inflate_gz(struct apt_inflate *in, struct apt_scan *s,
    const char *buf, size_t len, struct pkg_err *err)
{
	in->z.next_in = (Bytef *)(uintptr_t)buf;
	in->z.avail_in = (uInt)len;
	for (;;) {
		size_t got;
		int zr;

		if (in->zend) {
			if (in->z.avail_in == 0)
				return 0;
			if (inflateReset(&in->z) != Z_OK)
				abort();
			in->zend = false;
		}
		in->z.next_out = (Bytef *)in->out;
		in->z.avail_out = PKG_APT_CHUNK;
		zr = inflate(&in->z, Z_NO_FLUSH);
		got = PKG_APT_CHUNK - in->z.avail_out;
		if (zr == Z_BUF_ERROR && got == 0)
			return 0;	/* needs more input */
		if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
			return pkg_apt_fail(err, 0,
			    "dữ liệu gzip không hợp lệ", "invalid gzip data");
		if (pkg_apt_inflate_out(in, s, got, err) < 0)
			return -1;
		if (zr == Z_STREAM_END)
			in->zend = true;
		else if (in->z.avail_in == 0 && in->z.avail_out != 0)
			return 0;
	}
}

int
pkg_apt_inflate_feed(struct apt_inflate *in, struct apt_scan *s,
    const char *buf, size_t len, struct pkg_err *err)
{
	if (len > 0)
		in->seen = true;
	if (in->compression == APT_LZ4)
		return len ? pkg_apt_inflate_lz4(in, s, buf, len, err) : 0;
	if (in->compression == APT_GZ) {
		if (len > (uInt)-1)
			return pkg_apt_fail(err, 0, "khối dữ liệu quá lớn",
			    "chunk too large");
		return pkg_apt_inflate_gz(in, s, buf, len, err);
	}
	in->total += len;
	if (in->total > in->max)
		return pkg_apt_too_big(err);
	pkg_apt_scan_feed(s, buf, len);
	return 0;
}

int
pkg_apt_inflate_end(struct apt_inflate *in, struct apt_scan *s,
    struct pkg_err *err)
{
	if (in->compression == APT_LZ4) {
		/* Flush what the context holds; the frame must be whole. */
		while (in->hint != 0) {
			size_t outsz = PKG_APT_CHUNK, insz = 0;

			in->hint = LZ4F_decompress(in->lz4, in->out, &outsz,
			    "", &insz, NULL);
			if (LZ4F_isError(in->hint) || outsz == 0)
				return pkg_apt_fail(err, 0,
				    "dữ liệu lz4 bị cắt cụt",
				    "truncated lz4 data");
			if (pkg_apt_inflate_out(in, s, outsz, err) < 0)
				return -1;
		}
	} else if (in->compression == APT_GZ && !in->zend) {
		return pkg_apt_fail(err, 0, "dữ liệu gzip bị cắt cụt",
		    "truncated gzip data");
	}
	return 0;
}

/* One buffer through a decompressor into the scanner. */
static int
pkg_apt_scan_buffer(struct apt_scan *s, int compression, const char *buf,
    size_t len, size_t max, struct pkg_err *err)
{
	struct apt_inflate in;
	int rc;

	pkg_apt_inflate_init(&in, compression, max);
	rc = pkg_apt_inflate_feed(&in, s, buf, len, err);
	if (rc == 0)
		rc = pkg_apt_inflate_end(&in, s, err);
	pkg_apt_inflate_free(&in);
	return rc;
}

int
pkg_apt_scan_lz4(struct apt_scan *s, const char *buf, size_t len,
    size_t max, struct pkg_err *err)
{
	return pkg_apt_scan_buffer(s, APT_LZ4, buf, len, max, err);
}

int
pkg_apt_scan_gz(struct apt_scan *s, const char *buf, size_t len,
    size_t max, struct pkg_err *err)
{
	return pkg_apt_scan_buffer(s, APT_GZ, buf, len, max, err);
}
