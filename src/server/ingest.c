/*
 * ingest.c — parses and validates a batch of audit reports sent by an agent
 * (docs/api.md, docs/report-json.md), and inflates its gzip or zlib body.
 * Everything here is untrusted input: sizes are bounded before jansson
 * allocates anything (length, nesting depth, number of values), every
 * string after, and each member the server keeps is checked for its type,
 * syntax and range. An error names the JSON path of the first bad member.
 *
 * Choices beyond ingest.h: the document itself (too large, not JSON, too
 * deep) is named "$"; host.level defaults to 1 when absent (the lowest
 * level, claiming nothing); host.hostname may be empty (a machine whose
 * name could not be read); the summary counts must equal the tally of the
 * findings' statuses; a check appears once per report and a report_id once
 * per batch; a finding's basis text is malloc'd and freed with the batch.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "server/ingest.h"

#define INGEST_DEPTH_CAP 1024	/* whatever the limits say: the C stack */
#define INGEST_PATH_MAX 256
#define INGEST_NAME_MAX 255	/* hostname, os name... (store: 256) */
#define INGEST_VERSION_MAX 31	/* agent version (store: 32) */
#define INGEST_HOST_ID_MAX 80
#define INGEST_BASIS_MAX 64	/* legal ids cited by one finding */
#define INGEST_QUOTE_MAX 80	/* bytes of a bad value quoted in errors */
/*
 * jansson spends 30 to 130 bytes on each value it builds, while JSON can
 * write one in 2 or 3 ("[],"): without a bound, a document within
 * max_bytes could cost the server gigabytes. Each value costs one unit
 * and each container INGEST_CONTAINER_COST; a document may spend
 * max_bytes / INGEST_BYTES_PER_UNIT units. Real reports spend one unit per
 * 13 bytes or more; the agent's batches stay under 8 MiB (queue.h), a
 * quarter of the default bound.
 */
#define INGEST_CONTAINER_COST 8
#define INGEST_BYTES_PER_UNIT 8
#define INGEST_INFLATE_MIN (64u << 10)

enum ingest_kind {
	K_ID,		/* batch and report ids: [A-Za-z0-9-]{8,64} */
	K_HOST_ID,	/* [A-Za-z0-9-]{1,80} */
	K_CHECK,	/* [a-z0-9][a-z0-9-]{0,63} */
	K_LEGAL,	/* legal text ids: [a-z0-9][a-z0-9.-]{0,63} */
	K_VERSION,	/* printable ASCII without spaces, 1-31 */
	K_NAME,		/* no control character at all, at most 255 bytes */
	K_TEXT,		/* any text: evidence quotes what the host holds
			 * (an SSID, a file name), so control characters
			 * are data here, escaped by whoever shows them;
			 * refusing them would refuse the batch for ever */
};

struct ingest_ctx {
	const struct ingest_limits *lim;
	char *err;
	size_t errlen;
};

/* One step of the path to a value during the bounds walk. */
struct ingest_seg {
	const char *key;	/* NULL: an array index */
	size_t idx;
};

struct ingest_walk {
	struct ingest_ctx *c;
	struct ingest_seg *segs;
	size_t maxdepth;
	char path[INGEST_PATH_MAX];	/* here, not in each frame */
};

static void ingest_path(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* A path into the document; a long one is cut (paths only name). */
static void
ingest_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

static int ingest_bad(struct ingest_ctx *, const char *, const char *,
    const char *, ...) __attribute__((format(printf, 4, 5)));

/* err = "<base>.<member>: <message>"; returns -1. */
static int
ingest_bad(struct ingest_ctx *c, const char *base, const char *member,
    const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->err == NULL || c->errlen == 0)
		return -1;
	if (base != NULL && base[0] != '\0' && member != NULL)
		n = snprintf(c->err, c->errlen, "%s.%s: ", base, member);
	else
		n = snprintf(c->err, c->errlen, "%s: ",
		    member != NULL ? member : base != NULL ? base : "$");
	if (n < 0 || (size_t)n >= c->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* A bad value, made safe to quote in an error (logs, the agent's reply):
 * at most INGEST_QUOTE_MAX bytes, cut on a character boundary, with
 * control characters replaced by '?'. */
static const char *
ingest_quote(const char *s, size_t len, char *buf, size_t size)
{
	size_t i, n = 0, lead, need;

	for (i = 0; i < len && n + 4 < size && i < INGEST_QUOTE_MAX; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch == 0x7f)
			ch = '?';
		buf[n++] = (char)ch;
	}
	if (i < len) {
		/* cut: drop a character left incomplete */
		for (lead = n; lead > 0 &&
		    ((unsigned char)buf[lead - 1] & 0xc0) == 0x80; lead--)
			;
		if (lead > 0 && (unsigned char)buf[lead - 1] >= 0xc0) {
			unsigned char ch = (unsigned char)buf[lead - 1];

			need = ch >= 0xf0 ? 4 : ch >= 0xe0 ? 3 : 2;
			if (n - (lead - 1) < need)
				n = lead - 1;
		}
		buf[n++] = '.';
		buf[n++] = '.';
		buf[n++] = '.';
	}
	buf[n] = '\0';
	return buf;
}

/*
 * Before jansson: the nesting depth and the value budget, in one pass over
 * the text that only needs to be right for valid JSON (jansson refuses the
 * rest).
 */
static int
ingest_scan(struct ingest_ctx *c, const char *buf, size_t len,
    size_t maxdepth, size_t budget)
{
	size_t i, depth = 0, units = 1;
	bool instr = false;

	for (i = 0; i < len; i++) {
		char ch = buf[i];

		if (instr) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				instr = false;
			continue;
		}
		switch (ch) {
		case '"':
			instr = true;
			break;
		case '[':
		case '{':
			if (++depth > maxdepth)
				return ingest_bad(c, NULL, "$",
				    "lồng nhau sâu hơn %zu cấp (ở byte %zu) — "
				    "nested deeper than %zu levels (at byte "
				    "%zu)", maxdepth, i, maxdepth, i);
			units += INGEST_CONTAINER_COST;
			break;
		case ']':
		case '}':
			if (depth > 0)
				depth--;
			break;
		case ',':
			units++;
			break;
		default:
			continue;
		}
		if (units > budget)
			return ingest_bad(c, NULL, "$",
			    "quá nhiều phần tử JSON so với giới hạn %zu byte "
			    "(ở byte %zu) — too many JSON values for the "
			    "limit of %zu bytes (at byte %zu)",
			    c->lim->max_bytes, i, c->lim->max_bytes, i);
	}
	return 0;
}

static const char *
ingest_jansson_vi(enum json_error_code code)
{
	switch (code) {
	case json_error_out_of_memory:
		return "hết bộ nhớ";
	case json_error_stack_overflow:
		return "lồng nhau quá sâu";
	case json_error_invalid_utf8:
		return "không phải UTF-8 hợp lệ";
	case json_error_premature_end_of_input:
		return "tài liệu bị cắt cụt";
	case json_error_end_of_input_expected:
		return "có dữ liệu thừa sau tài liệu";
	case json_error_null_character:
	case json_error_null_byte_in_key:
		return "chuỗi chứa ký tự NUL (\\u0000)";
	case json_error_duplicate_key:
		return "khoá bị lặp lại trong một đối tượng";
	case json_error_numeric_overflow:
		return "số quá lớn";
	case json_error_wrong_type:
		return "gốc phải là một đối tượng";
	default:
		return "sai cú pháp";
	}
}

/* Writes the path of the value reached by the first depth steps of the
 * walk ("reports[0].facts.os"), or "$" for the root. */
static void
ingest_walk_path(struct ingest_walk *w, size_t depth, char *buf,
    size_t size)
{
	size_t i, n = 0;
	int k;

	buf[0] = '\0';
	for (i = 0; i < depth && n < size; i++) {
		const struct ingest_seg *sg = &w->segs[i];

		if (sg->key != NULL)
			k = snprintf(buf + n, size - n, "%s%s", n ? "." : "",
			    sg->key);
		else
			k = snprintf(buf + n, size - n, "[%zu]", sg->idx);
		if (k < 0)
			break;
		n += (size_t)k;
	}
	if (n >= size && size > 4)
		memcpy(buf + size - 4, "...", 4);	/* keep the beginning */
	else if (n == 0)
		snprintf(buf, size, "$");
}

/* After jansson: string and key sizes, and the depth again (the walk's
 * recursion is bounded by it). v is at depth (the root at 0); segs[d] is
 * the step from the container at depth d into its member. */
static int
ingest_walk(struct ingest_walk *w, json_t *v, size_t depth)
{
	char *path = w->path;
	size_t max = w->c->lim->max_string, i;
	const char *key;
	json_t *it;

	if (json_is_string(v)) {
		if (json_string_length(v) > max) {
			ingest_walk_path(w, depth, path, sizeof(w->path));
			return ingest_bad(w->c, NULL, path,
			    "chuỗi dài %zu byte, vượt giới hạn %zu — string of "
			    "%zu bytes exceeds the limit of %zu",
			    json_string_length(v), max, json_string_length(v),
			    max);
		}
		return 0;
	}
	if (!json_is_object(v) && !json_is_array(v))
		return 0;
	if (depth >= w->maxdepth) {
		ingest_walk_path(w, depth, path, sizeof(w->path));
		return ingest_bad(w->c, NULL, path,
		    "lồng nhau sâu hơn %zu cấp — nested deeper than %zu levels",
		    w->maxdepth, w->maxdepth);
	}
	if (json_is_object(v)) {
		json_object_foreach(v, key, it) {
			if (strlen(key) > max) {
				ingest_walk_path(w, depth, path, sizeof(w->path));
				return ingest_bad(w->c, NULL, path,
				    "có tên trường dài %zu byte, vượt giới hạn "
				    "%zu — holds a member name of %zu bytes, "
				    "over the limit of %zu", strlen(key), max,
				    strlen(key), max);
			}
			w->segs[depth].key = key;
			if (ingest_walk(w, it, depth + 1) == -1)
				return -1;
		}
	} else {
		json_array_foreach(v, i, it) {
			w->segs[depth].key = NULL;
			w->segs[depth].idx = i;
			if (ingest_walk(w, it, depth + 1) == -1)
				return -1;
		}
	}
	return 0;
}

/* Decodes the UTF-8 character at s (valid: jansson checked) into *cp;
 * returns its length. */
static size_t
ingest_utf8(const unsigned char *s, size_t left, unsigned *cp)
{
	if (s[0] < 0x80 || left < 2) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xe0) {
		*cp = (unsigned)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
		return 2;
	}
	if (s[0] < 0xf0 || left < 4) {
		if (left < 3) {
			*cp = s[0];
			return 1;
		}
		*cp = (unsigned)(s[0] & 0x0f) << 12 |
		    (unsigned)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
		return 3;
	}
	*cp = (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3f) << 12 |
	    (unsigned)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
	return 4;
}

/* A control character in an id or a name: C0, DEL, C1, and the characters
 * that reorder or break displayed text (bidi overrides and isolates,
 * direction marks, line and paragraph separators). */
static bool
ingest_is_control(unsigned cp, enum ingest_kind k)
{
	if (k == K_TEXT)
		return false;
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return true;
	return cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    cp == 0x2028 || cp == 0x2029 ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

static bool
ingest_id_char(unsigned char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	    (ch >= '0' && ch <= '9') || ch == '-';
}

static bool
ingest_lower_char(unsigned char ch, bool dot)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	    ch == '-' || (dot && ch == '.');
}

/* Checks s against the syntax of its kind; 0, or -1 with err. */
static int
ingest_syntax(struct ingest_ctx *c, const char *base, const char *key,
    const char *s, size_t len, enum ingest_kind k)
{
	char q[INGEST_QUOTE_MAX + 8];
	size_t i, n;
	unsigned cp;

	switch (k) {
	case K_ID:
	case K_HOST_ID:
		for (i = 0; i < len && ingest_id_char((unsigned char)s[i]); i++)
			;
		if (k == K_ID && (i < len || len < 8 || len > 64))
			return ingest_bad(c, base, key, "mã không hợp lệ “%s” "
			    "(8 đến 64 ký tự A-Z, a-z, 0-9, -) — invalid id "
			    "“%s” (8 to 64 characters A-Z, a-z, 0-9, -)",
			    ingest_quote(s, len, q, sizeof(q)), q);
		if (k == K_HOST_ID && (i < len || len < 1 ||
		    len > INGEST_HOST_ID_MAX))
			return ingest_bad(c, base, key, "mã máy không hợp lệ "
			    "“%s” (1 đến %d ký tự A-Z, a-z, 0-9, -) — invalid "
			    "host id “%s” (1 to %d characters A-Z, a-z, 0-9, "
			    "-)", ingest_quote(s, len, q, sizeof(q)),
			    INGEST_HOST_ID_MAX, q, INGEST_HOST_ID_MAX);
		return 0;
	case K_CHECK:
	case K_LEGAL:
		for (i = 0; i < len &&
		    ingest_lower_char((unsigned char)s[i], k == K_LEGAL); i++)
			;
		if (i < len || len < 1 || len > 64 || s[0] == '-' ||
		    s[0] == '.')
			return ingest_bad(c, base, key, "mã %s không hợp lệ "
			    "“%s” (1 đến 64 ký tự a-z, 0-9, -%s) — invalid %s "
			    "id “%s” (1 to 64 characters a-z, 0-9, -%s)",
			    k == K_CHECK ? "kiểm tra" : "văn bản",
			    ingest_quote(s, len, q, sizeof(q)),
			    k == K_LEGAL ? ", ." : "",
			    k == K_CHECK ? "check" : "legal text", q,
			    k == K_LEGAL ? ", ." : "");
		return 0;
	case K_VERSION:
		for (i = 0; i < len && s[i] > ' ' && s[i] < 0x7f &&
		    s[i] != '"' && s[i] != '\\'; i++)
			;
		if (i < len || len < 1 || len > INGEST_VERSION_MAX)
			return ingest_bad(c, base, key, "phiên bản không hợp lệ "
			    "“%s” (1 đến %d ký tự ASCII in được, không dấu "
			    "cách) — invalid version “%s” (1 to %d printable "
			    "ASCII characters, no space)",
			    ingest_quote(s, len, q, sizeof(q)),
			    INGEST_VERSION_MAX, q, INGEST_VERSION_MAX);
		return 0;
	case K_NAME:
		if (len > INGEST_NAME_MAX)
			return ingest_bad(c, base, key, "dài %zu byte, tối đa "
			    "%d — %zu bytes long, at most %d", len,
			    INGEST_NAME_MAX, len, INGEST_NAME_MAX);
		/* FALLTHROUGH */
	case K_TEXT:
		for (i = 0; i < len; i += n) {
			n = ingest_utf8((const unsigned char *)s + i, len - i,
			    &cp);
			if (ingest_is_control(cp, k))
				return ingest_bad(c, base, key, "chứa ký tự điều "
				    "khiển U+%04X ở byte %zu — contains the "
				    "control character U+%04X at byte %zu", cp,
				    i, cp, i);
		}
		return 0;
	}
	return 0;
}

static const char *
ingest_type_vi(json_type t)
{
	switch (t) {
	case JSON_OBJECT:
		return "một đối tượng";
	case JSON_ARRAY:
		return "một mảng";
	case JSON_STRING:
		return "một chuỗi";
	case JSON_INTEGER:
		return "một số nguyên";
	default:
		return "một giá trị";
	}
}

static const char *
ingest_type_en(json_type t)
{
	switch (t) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	default:
		return "a value";
	}
}

/* obj[key] of type t into *out: NULL when absent or null and not
 * required; -1 with err when required and absent, or of another type. */
static int
ingest_member(struct ingest_ctx *c, json_t *obj, const char *base,
    const char *key, json_type t, bool required, json_t **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || (json_is_null(v) && !required)) {
		if (required)
			return ingest_bad(c, base, key, "thiếu trường bắt buộc "
			    "— required member is missing");
		return 0;
	}
	if (json_typeof(v) != t)
		return ingest_bad(c, base, key, "phải là %s — must be %s",
		    ingest_type_vi(t), ingest_type_en(t));
	*out = v;
	return 0;
}

static int
ingest_string(struct ingest_ctx *c, json_t *obj, const char *base,
    const char *key, bool required, enum ingest_kind k, const char **out)
{
	json_t *v;
	const char *s;
	size_t len;

	*out = NULL;
	if (ingest_member(c, obj, base, key, JSON_STRING, required, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	s = json_string_value(v);
	len = json_string_length(v);
	if (strlen(s) != len)		/* cannot happen without ALLOW_NUL */
		return ingest_bad(c, base, key, "chuỗi chứa ký tự NUL — the "
		    "string holds a NUL character");
	if (ingest_syntax(c, base, key, s, len, k) == -1)
		return -1;
	*out = s;
	return 0;
}

static int
ingest_int(struct ingest_ctx *c, json_t *obj, const char *base,
    const char *key, bool required, int lo, int hi, int def, int *out)
{
	json_t *v;
	json_int_t n;

	*out = def;
	if (ingest_member(c, obj, base, key, JSON_INTEGER, required, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	n = json_integer_value(v);
	if (n < lo || n > hi)
		return ingest_bad(c, base, key, "phải là số nguyên từ %d đến "
		    "%d, không phải %lld — must be an integer from %d to %d, "
		    "not %lld", lo, hi, (long long)n, lo, hi, (long long)n);
	*out = (int)n;
	return 0;
}

static int64_t
ingest_days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Digits s[0..n) as a number, or -1. */
static int
ingest_digits(const char *s, int n)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* RFC 3339 in UTC: YYYY-MM-DDTHH:MM:SS[.fraction](Z|+00:00|-00:00), the
 * fraction dropped; years 1970 to 9999. */
static bool
ingest_rfc3339(const char *s, size_t len, int64_t *t)
{
	static const unsigned char mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };
	int y, mo, d, h, mi, sec;
	size_t i;
	bool leap;

	if (len < 20 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
		return false;
	y = ingest_digits(s, 4);
	mo = ingest_digits(s + 5, 2);
	d = ingest_digits(s + 8, 2);
	h = ingest_digits(s + 11, 2);
	mi = ingest_digits(s + 14, 2);
	sec = ingest_digits(s + 17, 2);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return false;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo == 2 && d == 29 && !leap)
		return false;
	i = 19;
	if (s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9' && i < 30; i++)
			;
		if (i == 20)
			return false;
	}
	if (len - i == 1 && (s[i] == 'Z' || s[i] == 'z'))
		;
	else if (len - i == 6 && (s[i] == '+' || s[i] == '-') &&
	    memcmp(s + i + 1, "00:00", 5) == 0)
		;
	else
		return false;
	*t = ingest_days_from_civil(y, mo, d) * 86400 +
	    h * 3600 + mi * 60 + sec;
	return true;
}

/* A {"vi", "en"} text: title, remedy. */
static int
ingest_i18n(struct ingest_ctx *c, json_t *obj, const char *base,
    const char *key, const char **vi, const char **en)
{
	char path[INGEST_PATH_MAX];
	json_t *v;

	*vi = *en = NULL;
	if (ingest_member(c, obj, base, key, JSON_OBJECT, false, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	ingest_path(path, sizeof(path), "%s.%s", base, key);
	if (ingest_string(c, v, path, "vi", false, K_TEXT, vi) == -1 ||
	    ingest_string(c, v, path, "en", false, K_TEXT, en) == -1)
		return -1;
	return 0;
}

/* basis: an array of legal ids, kept as its compact JSON text. */
static int
ingest_basis(struct ingest_ctx *c, json_t *obj, const char *base,
    const char **out)
{
	char path[INGEST_PATH_MAX];
	json_t *v, *it;
	size_t i;
	char *text;

	*out = NULL;
	if (ingest_member(c, obj, base, "basis", JSON_ARRAY, false, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	if (json_array_size(v) > INGEST_BASIS_MAX)
		return ingest_bad(c, base, "basis", "quá nhiều văn bản: %zu, tối "
		    "đa %d — too many legal texts: %zu, at most %d",
		    json_array_size(v), INGEST_BASIS_MAX, json_array_size(v),
		    INGEST_BASIS_MAX);
	json_array_foreach(v, i, it) {
		ingest_path(path, sizeof(path), "%s.basis[%zu]", base, i);
		if (!json_is_string(it))
			return ingest_bad(c, path, NULL, "phải là một chuỗi — "
			    "must be a string");
		if (ingest_syntax(c, path, NULL, json_string_value(it),
		    json_string_length(it), K_LEGAL) == -1)
			return -1;
	}
	if ((text = json_dumps(v, JSON_COMPACT)) == NULL)
		return ingest_bad(c, base, "basis", "hết bộ nhớ — out of "
		    "memory");
	*out = text;
	return 0;
}

static int
ingest_status_parse(const char *s, enum ingest_status *st)
{
	if (strcmp(s, "pass") == 0)
		*st = INGEST_PASS;
	else if (strcmp(s, "fail") == 0)
		*st = INGEST_FAIL;
	else if (strcmp(s, "na") == 0)
		*st = INGEST_NA;
	else if (strcmp(s, "error") == 0)
		*st = INGEST_ERROR;
	else
		return -1;
	return 0;
}

static const char *const ingest_severities[] = {
	"info", "low", "medium", "high", "critical", NULL
};

static int
ingest_finding(struct ingest_ctx *c, json_t *v, const char *base,
    struct ingest_finding *f)
{
	char q[INGEST_QUOTE_MAX + 8];
	const char *s;
	size_t i;

	if (!json_is_object(v))
		return ingest_bad(c, base, NULL, "phải là một đối tượng — must "
		    "be an object");
	if (ingest_string(c, v, base, "check", true, K_CHECK, &f->check) == -1)
		return -1;
	if (ingest_string(c, v, base, "status", true, K_NAME, &s) == -1)
		return -1;
	if (ingest_status_parse(s, &f->status) == -1)
		return ingest_bad(c, base, "status", "trạng thái không hợp lệ "
		    "“%s” (pass, fail, na, error) — invalid status “%s” "
		    "(pass, fail, na, error)", ingest_quote(s, strlen(s), q,
		    sizeof(q)), q);
	if (ingest_string(c, v, base, "severity", true, K_NAME,
	    &f->severity) == -1)
		return -1;
	for (i = 0; ingest_severities[i] != NULL; i++)
		if (strcmp(f->severity, ingest_severities[i]) == 0)
			break;
	if (ingest_severities[i] == NULL)
		return ingest_bad(c, base, "severity", "mức độ không hợp lệ "
		    "“%s” (info, low, medium, high, critical) — invalid "
		    "severity “%s” (info, low, medium, high, critical)",
		    ingest_quote(f->severity, strlen(f->severity), q,
		    sizeof(q)), q);
	f->severity = ingest_severities[i];
	if (ingest_int(c, v, base, "point", true, 0, 8, 0, &f->point) == -1)
		return -1;
	if (ingest_string(c, v, base, "evidence", false, K_TEXT,
	    &f->evidence) == -1)
		return -1;
	if (ingest_i18n(c, v, base, "title", &f->title_vi, &f->title_en) == -1)
		return -1;
	if (ingest_i18n(c, v, base, "remedy", &f->remedy_vi,
	    &f->remedy_en) == -1)
		return -1;
	return ingest_basis(c, v, base, &f->basis);
}

static int
ingest_host(struct ingest_ctx *c, json_t *rep, const char *rbase,
    struct ingest_report *r)
{
	char base[INGEST_PATH_MAX], obase[INGEST_PATH_MAX];
	json_t *host, *os;

	if (ingest_member(c, rep, rbase, "host", JSON_OBJECT, true, &host) == -1)
		return -1;
	ingest_path(base, sizeof(base), "%s.host", rbase);
	if (ingest_string(c, host, base, "id", true, K_HOST_ID,
	    &r->host_id) == -1 ||
	    ingest_string(c, host, base, "hostname", true, K_NAME,
	    &r->hostname) == -1 ||
	    ingest_string(c, host, base, "kernel", false, K_NAME,
	    &r->kernel) == -1 ||
	    ingest_string(c, host, base, "arch", false, K_NAME,
	    &r->arch) == -1 ||
	    ingest_string(c, host, base, "platform", false, K_NAME,
	    &r->platform) == -1 ||
	    ingest_int(c, host, base, "level", false, 1, 5, 1,
	    &r->level) == -1)
		return -1;
	if (ingest_member(c, host, base, "os", JSON_OBJECT, false, &os) == -1)
		return -1;
	if (os == NULL)
		return 0;
	ingest_path(obase, sizeof(obase), "%s.os", base);
	if (ingest_string(c, os, obase, "id", false, K_NAME, &r->os_id) == -1 ||
	    ingest_string(c, os, obase, "name", false, K_NAME,
	    &r->os_name) == -1 ||
	    ingest_string(c, os, obase, "version_id", false, K_NAME,
	    &r->os_version) == -1)
		return -1;
	return 0;
}

static int
ingest_summary(struct ingest_ctx *c, json_t *rep, const char *rbase,
    struct ingest_report *r, const size_t tally[4])
{
	static const char *const names[4] = { "pass", "fail", "na", "error" };
	char base[INGEST_PATH_MAX];
	int *counts[4] = { &r->pass, &r->fail, &r->na, &r->error };
	size_t i;

	if (ingest_member(c, rep, rbase, "summary", JSON_OBJECT, true,
	    &r->summary) == -1)
		return -1;
	ingest_path(base, sizeof(base), "%s.summary", rbase);
	if (ingest_int(c, r->summary, base, "score", true, 0, 100, 0,
	    &r->score) == -1)
		return -1;
	for (i = 0; i < 4; i++) {
		if (ingest_int(c, r->summary, base, names[i], true, 0, INT_MAX,
		    0, counts[i]) == -1)
			return -1;
		if ((size_t)*counts[i] != tally[i])
			return ingest_bad(c, base, names[i], "là %d nhưng có %zu "
			    "kết quả kiểm tra “%s” — is %d but %zu findings "
			    "are “%s”", *counts[i], tally[i], names[i],
			    *counts[i], tally[i], names[i]);
	}
	return 0;
}

static int
ingest_report(struct ingest_ctx *c, json_t *rep, size_t ri,
    struct ingest_report *r)
{
	char rbase[INGEST_PATH_MAX], fbase[INGEST_PATH_MAX];
	char abase[INGEST_PATH_MAX];
	size_t tally[4] = { 0, 0, 0, 0 }, i, n;
	json_t *agent, *findings, *seen, *v;
	const char *when;
	int schema;

	ingest_path(rbase, sizeof(rbase), "reports[%zu]", ri);
	if (!json_is_object(rep))
		return ingest_bad(c, rbase, NULL, "phải là một đối tượng — must "
		    "be an object");
	if (ingest_int(c, rep, rbase, "schema", false, INGEST_SCHEMA,
	    INGEST_SCHEMA, INGEST_SCHEMA, &schema) == -1)
		return -1;
	if (ingest_string(c, rep, rbase, "report_id", true, K_ID,
	    &r->report_id) == -1)
		return -1;
	if (ingest_string(c, rep, rbase, "collected_at", true, K_NAME,
	    &when) == -1)
		return -1;
	if (!ingest_rfc3339(when, strlen(when), &r->collected_at))
		return ingest_bad(c, rbase, "collected_at", "thời điểm không "
		    "hợp lệ, cần dạng RFC 3339 theo UTC như "
		    "2026-11-24T18:30:00Z — invalid time, expected RFC 3339 "
		    "in UTC such as 2026-11-24T18:30:00Z");
	if (ingest_host(c, rep, rbase, r) == -1)
		return -1;
	if (ingest_member(c, rep, rbase, "agent", JSON_OBJECT, true,
	    &agent) == -1)
		return -1;
	ingest_path(abase, sizeof(abase), "%s.agent", rbase);
	if (ingest_string(c, agent, abase, "version", true, K_VERSION,
	    &r->agent_version) == -1)
		return -1;

	if (ingest_member(c, rep, rbase, "findings", JSON_ARRAY, true,
	    &findings) == -1)
		return -1;
	n = json_array_size(findings);
	if (n > c->lim->max_findings)
		return ingest_bad(c, rbase, "findings", "quá nhiều kết quả kiểm "
		    "tra: %zu, tối đa %zu — too many findings: %zu, at most "
		    "%zu", n, c->lim->max_findings, n, c->lim->max_findings);
	if (n > 0 && (r->findings = calloc(n, sizeof(*r->findings))) == NULL)
		return ingest_bad(c, rbase, "findings", "hết bộ nhớ — out of "
		    "memory");
	if ((seen = json_object()) == NULL)
		return ingest_bad(c, rbase, "findings", "hết bộ nhớ — out of "
		    "memory");
	json_array_foreach(findings, i, v) {
		struct ingest_finding *f = &r->findings[i];

		ingest_path(fbase, sizeof(fbase), "%s.findings[%zu]", rbase, i);
		r->nfindings = i + 1;	/* so that the basis texts are freed */
		if (ingest_finding(c, v, fbase, f) == -1)
			goto fail;
		if (json_object_get(seen, f->check) != NULL) {
			ingest_bad(c, fbase, "check", "kiểm tra “%s” xuất hiện "
			    "hai lần trong một báo cáo — check “%s” appears "
			    "twice in one report", f->check, f->check);
			goto fail;
		}
		if (json_object_set_new(seen, f->check, json_null()) == -1) {
			ingest_bad(c, fbase, "check", "hết bộ nhớ — out of "
			    "memory");
			goto fail;
		}
		tally[f->status]++;
	}
	json_decref(seen);
	r->nfindings = n;

	if (ingest_summary(c, rep, rbase, r, tally) == -1 ||
	    ingest_member(c, rep, rbase, "facts", JSON_OBJECT, false,
	    &r->facts) == -1 ||
	    ingest_member(c, rep, rbase, "unavailable", JSON_OBJECT, false,
	    &r->unavailable) == -1)
		return -1;
	return 0;
fail:
	json_decref(seen);
	return -1;
}

int
ingest_parse(const char *buf, size_t len, const struct ingest_limits *lim,
    struct ingest_batch *b, char *err, size_t errlen)
{
	static const struct ingest_limits deflim = INGEST_LIMITS_DEFAULT;
	struct ingest_ctx c;
	struct ingest_walk w;
	json_error_t jerr;
	json_t *root, *reports, *v, *ids = NULL;
	size_t maxdepth, budget, n, i;
	char q[INGEST_QUOTE_MAX + 8];
	int rc;

	memset(b, 0, sizeof(*b));
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	c.lim = lim != NULL ? lim : &deflim;
	c.err = err;
	c.errlen = errlen;
	if (buf == NULL)
		len = 0;

	if (len > c.lim->max_bytes)
		return ingest_bad(&c, NULL, "$", "tài liệu dài %zu byte, vượt "
		    "giới hạn %zu — the document of %zu bytes exceeds the "
		    "limit of %zu", len, c.lim->max_bytes, len,
		    c.lim->max_bytes);
	maxdepth = c.lim->max_depth < INGEST_DEPTH_CAP ? c.lim->max_depth :
	    INGEST_DEPTH_CAP;
	budget = c.lim->max_bytes / INGEST_BYTES_PER_UNIT;
	if (budget < 1024)
		budget = 1024;
	if (ingest_scan(&c, buf, len, maxdepth, budget) == -1)
		return -1;

	root = json_loadb(buf != NULL ? buf : "", len, JSON_REJECT_DUPLICATES,
	    &jerr);
	if (root == NULL) {
		const char *t = jerr.text;
		enum json_error_code code = json_error_code(&jerr);

		return ingest_bad(&c, NULL, "$", "JSON không hợp lệ ở dòng %d, "
		    "cột %d: %s — invalid JSON at line %d, column %d: %s",
		    jerr.line, jerr.column,
		    ingest_jansson_vi(code), jerr.line,
		    jerr.column, code == json_error_null_character ||
		    code == json_error_null_byte_in_key ?
		    "a string holds a NUL character (\\u0000)" :
		    ingest_quote(t, strnlen(t, sizeof(jerr.text)), q,
		    sizeof(q)));
	}
	b->root = root;

	/* string sizes, and the depth once more */
	w.c = &c;
	w.maxdepth = maxdepth;
	if ((w.segs = calloc(maxdepth + 1, sizeof(*w.segs))) == NULL) {
		ingest_bad(&c, NULL, "$", "hết bộ nhớ — out of memory");
		goto fail;
	}
	rc = ingest_walk(&w, root, 0);
	free(w.segs);
	if (rc == -1)
		goto fail;

	if (!json_is_object(root)) {
		ingest_bad(&c, NULL, "$", "gốc phải là một đối tượng — the "
		    "root must be an object");
		goto fail;
	}
	if (ingest_member(&c, root, NULL, "schema", JSON_INTEGER, true,
	    &v) == -1)
		goto fail;
	if (json_integer_value(v) != INGEST_SCHEMA) {
		ingest_bad(&c, NULL, "schema", "phiên bản lược đồ %lld không "
		    "được hỗ trợ (chỉ %d) — schema version %lld is not "
		    "supported (only %d)", (long long)json_integer_value(v),
		    INGEST_SCHEMA, (long long)json_integer_value(v),
		    INGEST_SCHEMA);
		goto fail;
	}
	if (ingest_string(&c, root, NULL, "batch", true, K_ID,
	    &b->batch_id) == -1)
		goto fail;
	if (ingest_member(&c, root, NULL, "reports", JSON_ARRAY, true,
	    &reports) == -1)
		goto fail;
	n = json_array_size(reports);
	if (n == 0) {
		ingest_bad(&c, NULL, "reports", "lô không có báo cáo nào — the "
		    "batch holds no report");
		goto fail;
	}
	if (n > c.lim->max_reports) {
		ingest_bad(&c, NULL, "reports", "quá nhiều báo cáo: %zu, tối "
		    "đa %zu — too many reports: %zu, at most %zu", n,
		    c.lim->max_reports, n, c.lim->max_reports);
		goto fail;
	}
	if ((b->reports = calloc(n, sizeof(*b->reports))) == NULL ||
	    (ids = json_object()) == NULL) {
		ingest_bad(&c, NULL, "reports", "hết bộ nhớ — out of memory");
		goto fail;
	}
	json_array_foreach(reports, i, v) {
		struct ingest_report *r = &b->reports[i];

		b->nreports = i + 1;	/* so that a partial one is freed */
		if (ingest_report(&c, v, i, r) == -1)
			goto fail;
		if (json_object_get(ids, r->report_id) != NULL) {
			char rbase[INGEST_PATH_MAX];

			ingest_path(rbase, sizeof(rbase), "reports[%zu]", i);
			ingest_bad(&c, rbase, "report_id", "báo cáo “%s” xuất "
			    "hiện hai lần trong lô — report “%s” appears "
			    "twice in the batch", r->report_id, r->report_id);
			goto fail;
		}
		if (json_object_set_new(ids, r->report_id, json_null()) == -1) {
			ingest_bad(&c, NULL, "reports", "hết bộ nhớ — out of "
			    "memory");
			goto fail;
		}
	}
	json_decref(ids);
	return 0;
fail:
	json_decref(ids);
	ingest_batch_free(b);
	return -1;
}

void
ingest_batch_free(struct ingest_batch *b)
{
	size_t i, j;

	if (b == NULL)
		return;
	for (i = 0; b->reports != NULL && i < b->nreports; i++) {
		struct ingest_report *r = &b->reports[i];

		for (j = 0; r->findings != NULL && j < r->nfindings; j++)
			free((char *)r->findings[j].basis);
		free(r->findings);
	}
	free(b->reports);
	json_decref(b->root);
	memset(b, 0, sizeof(*b));
}

const char *
ingest_status_name(enum ingest_status s)
{
	switch (s) {
	case INGEST_PASS:
		return "pass";
	case INGEST_FAIL:
		return "fail";
	case INGEST_NA:
		return "na";
	case INGEST_ERROR:
		return "error";
	}
	return "error";
}

static int
ingest_inflate_fail(z_stream *zs, char *buf, char *err, size_t errlen,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int
ingest_inflate_fail(z_stream *zs, char *buf, char *err, size_t errlen,
    const char *fmt, ...)
{
	va_list ap;

	inflateEnd(zs);
	free(buf);
	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * The buffer doubles (from 4 times the input, at least 64 KiB) up to
 * max + 1 bytes: one byte more than allowed is enough to know the body is
 * too large, whatever its ratio. Only the first stream is read; anything
 * after it (a second gzip member included) is refused.
 */
int
ingest_inflate(const void *in, size_t inlen, size_t max, char **out,
    size_t *outlen, int *too_large, char *err, size_t errlen)
{
	const unsigned char *ip = in;
	size_t cap, size, total = 0, left = inlen;
	char *buf = NULL, *nbuf;
	z_stream zs;
	int ret;

	*out = NULL;
	*outlen = 0;
	if (too_large != NULL)
		*too_large = 0;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 32) != Z_OK) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "không khởi tạo được zlib — "
			    "cannot initialise zlib");
		return -1;
	}
	cap = max < SIZE_MAX ? max + 1 : SIZE_MAX;
	size = inlen < SIZE_MAX / 4 ? inlen * 4 : SIZE_MAX;
	if (size < INGEST_INFLATE_MIN)
		size = INGEST_INFLATE_MIN;
	if (size > cap)
		size = cap;
	if ((buf = malloc(size)) == NULL)
		return ingest_inflate_fail(&zs, buf, err, errlen, "hết bộ nhớ "
		    "— out of memory");
	for (;;) {
		uInt ain, aout;

		if (total == size) {
			if (size == cap)
				break;		/* max + 1 bytes: too large */
			size = size <= cap / 2 ? size * 2 : cap;
			if ((nbuf = realloc(buf, size)) == NULL)
				return ingest_inflate_fail(&zs, buf, err, errlen,
				    "hết bộ nhớ — out of memory");
			buf = nbuf;
		}
		ain = left > UINT_MAX ? UINT_MAX : (uInt)left;
		aout = size - total > UINT_MAX ? UINT_MAX :
		    (uInt)(size - total);
		zs.next_in = (Bytef *)(uintptr_t)ip;
		zs.avail_in = ain;
		zs.next_out = (Bytef *)buf + total;
		zs.avail_out = aout;
		ret = inflate(&zs, Z_NO_FLUSH);
		ip += ain - zs.avail_in;
		left -= ain - zs.avail_in;
		total += aout - zs.avail_out;
		if (ret == Z_STREAM_END)
			break;
		if (ret == Z_OK)
			continue;
		if (ret == Z_BUF_ERROR && zs.avail_out == 0)
			continue;
		if (ret == Z_BUF_ERROR && left == 0)
			return ingest_inflate_fail(&zs, buf, err, errlen,
			    "dữ liệu nén bị cắt cụt sau %zu byte — the "
			    "compressed body is truncated after %zu bytes",
			    inlen, inlen);
		if (ret == Z_MEM_ERROR)
			return ingest_inflate_fail(&zs, buf, err, errlen,
			    "hết bộ nhớ — out of memory");
		return ingest_inflate_fail(&zs, buf, err, errlen,
		    "dữ liệu nén bị hỏng ở byte %zu (%s) — the compressed "
		    "body is corrupt at byte %zu (%s)", inlen - left,
		    zs.msg != NULL ? zs.msg : "?", inlen - left,
		    zs.msg != NULL ? zs.msg : "?");
	}
	if (total > max) {
		if (too_large != NULL)
			*too_large = 1;
		return ingest_inflate_fail(&zs, buf, err, errlen,
		    "dữ liệu giải nén vượt quá %zu byte — the inflated body "
		    "exceeds %zu bytes", max, max);
	}
	if (left > 0)
		return ingest_inflate_fail(&zs, buf, err, errlen,
		    "có %zu byte thừa sau luồng nén — %zu bytes of trailing "
		    "data after the compressed stream", left, left);
	inflateEnd(&zs);
	if (total == size) {
		if ((nbuf = realloc(buf, total + 1)) == NULL) {
			free(buf);
			if (err != NULL && errlen > 0)
				snprintf(err, errlen, "hết bộ nhớ — out of "
				    "memory");
			return -1;
		}
		buf = nbuf;
	}
	buf[total] = '\0';
	*out = buf;
	*outlen = total;
	return 0;
}
