/*
 * pkg_dpkg.c — dpkg's own records: the status file (deb-status(5), the
 * installed packages and their states), dpkg.log and APT's history.log
 * (when packages were last installed or upgraded), and the set of
 * installed packages that the APT lists and rpm headers are matched
 * against. Parsers work on buffers (mapped files, fuzzers) and never log.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "agent/pkg.h"
#include "lib/text.h"

#define PKG_DPKG_FIELD_MAX 4096	/* longest value of a field we keep */

void
pkg_set_init(struct pkg_set *s)
{
	memset(s, 0, sizeof(*s));
	s->last_install = -1;
}

void
pkg_set_free(struct pkg_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		struct pkg_inst *p = &s->v[i];

		free(p->name);
		free(p->version);
		free(p->arch);
		free(p->state);
		free(p->vendor);
		free(p->origin);
		free(p->candidate);
		free(p->late_candidate);
	}
	free(s->v);
	pkg_set_init(s);
}

struct pkg_inst *
pkg_set_add(struct pkg_set *s, const char *name, const char *version,
    const char *arch, const char *state, const char *vendor)
{
	struct pkg_inst *p;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct pkg_inst *v = realloc(s->v, cap * sizeof(*v));

		if (v == NULL)
			abort();
		s->v = v;
		s->cap = cap;
	}
	p = &s->v[s->n++];
	memset(p, 0, sizeof(*p));
	p->name = text_dup(name);
	p->version = text_dup(version);
	p->arch = text_dup(arch);
	p->state = text_dup(state);
	p->vendor = text_dup(vendor ? vendor : "");
	p->origin_list = p->other_list = p->cand_list = p->late_list = -1;
	return p;
}

static int
pkg_set_cmp(const void *a, const void *b)
{
	const struct pkg_inst *x = a, *y = b;
	int rc = strcmp(x->name, y->name);

	return rc != 0 ? rc : strcmp(x->arch, y->arch);
}

void
pkg_set_sort(struct pkg_set *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), pkg_set_cmp);
}

/* strcmp of name[0..len) with a NUL-terminated string. */
static int
pkg_set_namecmp(const char *name, size_t len, const char *s)
{
	size_t sl = strlen(s);
	int rc = memcmp(name, s, len < sl ? len : sl);

	if (rc != 0)
		return rc;
	return len == sl ? 0 : (len < sl ? -1 : 1);
}

struct pkg_inst *
pkg_set_find(struct pkg_set *s, const char *name, size_t len, size_t *count)
{
	size_t lo = 0, hi = s->n, first, n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pkg_set_namecmp(name, len, s->v[mid].name) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == s->n || pkg_set_namecmp(name, len, s->v[lo].name) != 0)
		return NULL;
	first = lo;
	for (n = 1; first + n < s->n &&
	    pkg_set_namecmp(name, len, s->v[first + n].name) == 0; n++)
		;
	if (count != NULL)
		*count = n;
	return &s->v[first];
}

/* One field value of the current stanza: pointer into the buffer. */
struct pkg_dpkg_val {
	const char *p;
	size_t len;
};

struct pkg_dpkg_stanza {
	struct pkg_dpkg_val package, status, version, arch, maint;
	int line;
};

static int
pkg_dpkg_fail(struct pkg_err *err, int line, const char *vi, const char *en)
{
	err->line = line;
	err->vi = vi;
	err->en = en;
	return -1;
}

static const char *const pkg_dpkg_states[] = {
	"not-installed", "config-files", "half-installed", "unpacked",
	"half-configured", "triggers-awaited", "triggers-pending",
	"installed", NULL,
};

static char *
pkg_dpkg_copy(const struct pkg_dpkg_val *v)
{
	return text_ndup(v->p ? v->p : "", v->p ? v->len : 0);
}

/* Adds the stanza's package to set unless it is not installed. */
static int
pkg_dpkg_stanza_end(struct pkg_dpkg_stanza *st, struct pkg_set *set,
    struct pkg_err *err)
{
	const char *w[3], *p, *e;
	size_t wl[3], i, n = 0;
	char *name, *version, *arch, *state, *vendor;

	if (st->package.p == NULL || st->package.len == 0)
		return pkg_dpkg_fail(err, st->line, "mục thiếu trường Package",
		    "stanza without a Package field");
	if (st->status.p == NULL)
		return pkg_dpkg_fail(err, st->line, "mục thiếu trường Status",
		    "stanza without a Status field");
	p = st->status.p;
	e = p + st->status.len;
	while (p < e && n < 3) {
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (p == e)
			break;
		w[n] = p;
		while (p < e && *p != ' ' && *p != '\t')
			p++;
		wl[n] = (size_t)(p - w[n]);
		n++;
	}
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (n != 3 || p != e)
		return pkg_dpkg_fail(err, st->line,
		    "trường Status không có đúng ba từ",
		    "Status field does not have three words");
	for (i = 0; pkg_dpkg_states[i] != NULL; i++)
		if (strlen(pkg_dpkg_states[i]) == wl[2] &&
		    memcmp(pkg_dpkg_states[i], w[2], wl[2]) == 0)
			break;
	if (pkg_dpkg_states[i] == NULL)
		return pkg_dpkg_fail(err, st->line,
		    "trạng thái gói không hợp lệ trong trường Status",
		    "unknown package state in the Status field");
	if (i < 2)		/* not-installed, config-files */
		return 0;
	if (st->version.p == NULL || st->version.len == 0)
		return pkg_dpkg_fail(err, st->line, "gói đã cài thiếu Version",
		    "installed package without a Version field");
	name = pkg_dpkg_copy(&st->package);
	version = pkg_dpkg_copy(&st->version);
	arch = pkg_dpkg_copy(&st->arch);
	state = text_ndup(w[2], wl[2]);
	vendor = pkg_dpkg_copy(&st->maint);
	pkg_set_add(set, name, version, arch, state, vendor);
	free(name);
	free(version);
	free(arch);
	free(state);
	free(vendor);
	return 0;
}

int
pkg_dpkg_parse_status(const char *buf, size_t len, struct pkg_set *set,
    struct pkg_err *err)
{
	struct pkg_dpkg_stanza st;
	const char *p = buf, *end = buf + len;
	bool in = false;
	int lineno = 0;

	memset(&st, 0, sizeof(st));
	if (len > 0 && memchr(buf, '\0', len) != NULL)
		return pkg_dpkg_fail(err, 0,
		    "tệp chứa byte NUL, không phải văn bản",
		    "file holds NUL bytes: not text");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line = p, *le = nl ? nl : end;
		const char *colon, *v, *ve;
		struct pkg_dpkg_val *slot = NULL;
		size_t flen;

		p = nl ? nl + 1 : end;
		lineno++;
		if (nl == NULL)
			return pkg_dpkg_fail(err, lineno,
			    "tệp bị cắt cụt giữa một dòng",
			    "file is truncated inside a line");
		if (le == line) {
			if (in && pkg_dpkg_stanza_end(&st, set, err) < 0)
				return -1;
			in = false;
			memset(&st, 0, sizeof(st));
			continue;
		}
		if (*line == ' ' || *line == '\t') {
			if (!in)
				return pkg_dpkg_fail(err, lineno,
				    "dòng tiếp nối nằm ngoài mục",
				    "continuation line outside a stanza");
			continue;
		}
		if (!in) {
			in = true;
			st.line = lineno;
		}
		colon = memchr(line, ':', (size_t)(le - line));
		if (colon == NULL || colon == line)
			return pkg_dpkg_fail(err, lineno,
			    "dòng không có dạng \"Trường: giá trị\"",
			    "line is not \"Field: value\"");
		flen = (size_t)(colon - line);
		v = colon + 1;
		ve = le;
		while (v < ve && (*v == ' ' || *v == '\t'))
			v++;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
#define FIELD(s) (flen == sizeof(s) - 1 && strncasecmp(line, s, flen) == 0)
		if (FIELD("Package"))
			slot = &st.package;
		else if (FIELD("Status"))
			slot = &st.status;
		else if (FIELD("Version"))
			slot = &st.version;
		else if (FIELD("Architecture"))
			slot = &st.arch;
		else if (FIELD("Maintainer"))
			slot = &st.maint;
#undef FIELD
		if (slot == NULL)
			continue;
		if ((size_t)(ve - v) > PKG_DPKG_FIELD_MAX ||
		    !text_valid_utf8(v, (size_t)(ve - v)))
			return pkg_dpkg_fail(err, lineno,
			    "giá trị quá dài hoặc không phải UTF-8",
			    "value too long or not UTF-8");
		if (slot->p != NULL)
			return pkg_dpkg_fail(err, lineno,
			    "trường bị lặp lại trong một mục",
			    "field repeated in a stanza");
		slot->p = v;
		slot->len = (size_t)(ve - v);
	}
	if (in)
		return pkg_dpkg_fail(err, lineno,
		    "tệp kết thúc giữa một mục (bị cắt cụt)",
		    "file ends inside a stanza (truncated)");
	return 0;
}

/* Parses "YYYY-MM-DD" then blanks then "HH:MM:SS" at p (UTC); -1 when
 * it is not that. */
static long long
pkg_dpkg_date(const char *p, const char *end)
{
	int f[6], i, k;
	struct tm tm;
	const char *q = p;
	static const int width[6] = {4, 2, 2, 2, 2, 2};
	static const char sep[6] = {'-', '-', ' ', ':', ':', 0};

	for (i = 0; i < 6; i++) {
		f[i] = 0;
		for (k = 0; k < width[i]; k++, q++) {
			if (q >= end || !isdigit((unsigned char)*q))
				return -1;
			f[i] = f[i] * 10 + (*q - '0');
		}
		if (sep[i] == 0)
			break;
		if (q >= end || *q != sep[i])
			return -1;
		q++;
		if (sep[i] == ' ')
			while (q < end && *q == ' ')
				q++;
	}
	if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 ||
	    f[4] > 59 || f[5] > 60)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = f[0] - 1900;
	tm.tm_mon = f[1] - 1;
	tm.tm_mday = f[2];
	tm.tm_hour = f[3];
	tm.tm_min = f[4];
	tm.tm_sec = f[5];
	return (long long)timegm(&tm);
}

long long
pkg_dpkg_log_last(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *line;
	size_t ll;
	long long best = -1, t;

	while (text_next_line(&p, end, &line, &ll)) {
		/* "2026-05-08 10:11:12 upgrade pkg:amd64 old new" */
		const char *a;

		if (ll < 28)
			continue;
		a = line + 20;
		if (!(ll >= 28 && memcmp(a, "upgrade ", 8) == 0) &&
		    !(ll >= 28 && memcmp(a, "install ", 8) == 0))
			continue;
		t = pkg_dpkg_date(line, line + 19);
		if (t > best)
			best = t;
	}
	return best;
}

long long
pkg_dpkg_history_last(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *line;
	size_t ll;
	long long best = -1, t;
	bool changed = false;

	while (text_next_line(&p, end, &line, &ll)) {
		if (ll >= 11 && memcmp(line, "Start-Date:", 11) == 0) {
			changed = false;
		} else if ((ll >= 8 && memcmp(line, "Install:", 8) == 0) ||
		    (ll >= 8 && memcmp(line, "Upgrade:", 8) == 0)) {
			changed = true;
		} else if (ll >= 9 && memcmp(line, "End-Date:", 9) == 0 &&
		    changed) {
			const char *q = line + 9, *le = line + ll;

			while (q < le && *q == ' ')
				q++;
			t = pkg_dpkg_date(q, le);
			if (t > best)
				best = t;
			changed = false;
		}
	}
	return best;
}
