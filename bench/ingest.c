/*
 * ingest.c — the load generator of the ingestion benchmark (issue 3):
 * simulates N agents, each enrolled through the real API with its own key
 * and certificate (POST /api/v1/enroll), uploading gzip batches of
 * realistic audit reports (a real agent report replicated to ~300
 * findings, a few of them changing status between reports) over TLS with
 * its client certificate, at the pace of N agents every P seconds. It
 * measures latency, throughput and errors, and samples the server's peak
 * RSS and CPU from /proc. bench/ingest.sh drives it; bench/README.md says
 * what the figures mean.
 *
 * The bodies are assembled from pre-compressed pieces (raw deflate blocks
 * ended by a sync flush, joined under one gzip header with the CRC-32
 * combined), so that the generator spends microseconds, not milliseconds,
 * per request and leaves the two cores to the server.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <zlib.h>

#include "lib/file.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/pki.h"
#include "server/ingest.h"

#define BENCH_VERSION "0.1.0"
#define BENCH_GROUP 16			/* findings per pre-compressed piece */
#define BENCH_MAX_CHANGES 64
#define BENCH_MAX_PIDS 16
#define BENCH_MAX_TOKENS 64
#define BENCH_RESP_MAX 16384		/* bytes of an answer kept */
#define BENCH_SAMPLE_S 0.2		/* /proc sampling interval */
#define BENCH_PROGRESS_S 10.0
#define BENCH_MARK "@@CGSTATUS@@"

enum { ST_PASS, ST_FAIL, ST_NA, ST_ERROR, ST_N };
static const char *const bench_status[ST_N] = {"pass", "fail", "na", "error"};

/* ---------------------------------------------------------------------
 * Growable byte buffers.
 */
struct buf {
	unsigned char *p;
	size_t len, cap;
};

static void
buf_need(struct buf *b, size_t n)
{
	size_t cap;
	unsigned char *p;

	if (b->len + n <= b->cap)
		return;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL)
		log_fatalx("hết bộ nhớ — out of memory");
	b->p = p;
	b->cap = cap;
}

static void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_need(b, n);
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3)))
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		log_fatalx("định dạng sai — bad format");
	buf_need(b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static char *
xstrdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		log_fatalx("hết bộ nhớ — out of memory");
	return p;
}

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* splitmix64: the deterministic randomness of schedules and changes. */
static uint64_t
mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* ---------------------------------------------------------------------
 * Gzip bodies from pieces: each piece is raw deflate ended by a sync
 * flush (byte-aligned, no reference outside itself), so pieces compressed
 * once can be joined with pieces compressed per request.
 */
struct zseg {
	char *text;			/* the uncompressed piece */
	size_t len;
	unsigned char *z;
	size_t zlen;
	uLong crc;
};

static z_stream bench_zs;

static void
z_init(void)
{
	memset(&bench_zs, 0, sizeof(bench_zs));
	if (deflateInit2(&bench_zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		log_fatalx("không khởi tạo được zlib — cannot initialise zlib");
}

static void
z_piece(const void *in, size_t n, struct buf *out)
{
	size_t room;
	int rc;

	if (deflateReset(&bench_zs) != Z_OK)
		log_fatalx("zlib: deflateReset");
	bench_zs.next_in = (Bytef *)(uintptr_t)in;
	bench_zs.avail_in = (uInt)n;
	do {
		buf_need(out, 16384 + n / 2);
		room = out->cap - out->len;
		if (room > UINT_MAX)
			room = UINT_MAX;
		bench_zs.next_out = out->p + out->len;
		bench_zs.avail_out = (uInt)room;
		rc = deflate(&bench_zs, Z_SYNC_FLUSH);
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			log_fatalx("zlib: deflate %d", rc);
		out->len += room - bench_zs.avail_out;
	} while (bench_zs.avail_out == 0 || bench_zs.avail_in > 0);
}

static void
zseg_make(struct zseg *s, char *text)
{
	struct buf z = {NULL, 0, 0};

	s->text = text;
	s->len = strlen(text);
	z_piece(text, s->len, &z);
	s->z = z.p;
	s->zlen = z.len;
	s->crc = crc32(crc32(0L, Z_NULL, 0), (const Bytef *)text,
	    (uInt)s->len);
}

struct gz {
	struct buf out;
	struct buf *plain;		/* the same, uncompressed (--check) */
	uLong crc;
	uint64_t total;
};

static void
gz_begin(struct gz *g, struct buf *plain)
{
	static const unsigned char hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0,
	    0, 3};

	g->out.len = 0;
	buf_add(&g->out, hdr, sizeof(hdr));
	g->plain = plain;
	if (plain != NULL)
		plain->len = 0;
	g->crc = crc32(0L, Z_NULL, 0);
	g->total = 0;
}

static void
gz_static(struct gz *g, const struct zseg *s)
{
	if (s->len == 0)
		return;
	buf_add(&g->out, s->z, s->zlen);
	g->crc = crc32_combine(g->crc, s->crc, (z_off_t)s->len);
	g->total += s->len;
	if (g->plain != NULL)
		buf_add(g->plain, s->text, s->len);
}

static void
gz_text(struct gz *g, const void *p, size_t n)
{
	if (n == 0)
		return;
	z_piece(p, n, &g->out);
	g->crc = crc32(g->crc, p, (uInt)n);
	g->total += n;
	if (g->plain != NULL)
		buf_add(g->plain, p, n);
}

static void
gz_end(struct gz *g)
{
	unsigned char t[10];
	uint32_t crc = (uint32_t)g->crc, size = (uint32_t)g->total;
	int i;

	t[0] = 0x03;			/* last block: fixed Huffman, empty */
	t[1] = 0x00;
	for (i = 0; i < 4; i++) {
		t[2 + i] = (unsigned char)(crc >> (8 * i));
		t[6 + i] = (unsigned char)(size >> (8 * i));
	}
	buf_add(&g->out, t, sizeof(t));
}

/* ---------------------------------------------------------------------
 * The report template: a real agent report, its findings replicated to
 * the wanted number, each finding cut around its status.
 */
struct tfinding {
	char *pre, *post;		/* text before and after the status */
	int base;			/* ST_* in the template */
	int weight;			/* severity weight (audit.c) */
	int point;			/* 0-8 */
};

struct tmpl {
	char *schema;			/* the report's "schema" member text */
	char *agent;			/* the report's "agent" member text */
	char *host_rest;		/* host members after id and hostname */
	struct zseg a;			/* ,"facts":… ,"findings":[ */
	struct zseg b;			/* ,"legal":…}]} */
	size_t nf;
	struct tfinding *f;
	size_t *flip;			/* findings that pass or fail */
	size_t nflip;
	size_t ngroups;
	struct zseg *groups;		/* BENCH_GROUP findings, base status */
	int porder[9];			/* points in order of appearance */
	size_t npoints;
	uint8_t *st;			/* scratch: statuses of one report */
	bool *dirty;			/* scratch: groups that differ */
};

static void
zseg_free(struct zseg *s)
{
	free(s->text);
	free(s->z);
}

static void
tmpl_free(struct tmpl *t)
{
	size_t i;

	for (i = 0; t->f != NULL && i < t->nf; i++) {
		free(t->f[i].pre);
		free(t->f[i].post);
	}
	for (i = 0; t->groups != NULL && i < t->ngroups; i++)
		zseg_free(&t->groups[i]);
	zseg_free(&t->a);
	zseg_free(&t->b);
	free(t->f);
	free(t->flip);
	free(t->st);
	free(t->groups);
	free(t->dirty);
	free(t->schema);
	free(t->agent);
	free(t->host_rest);
	memset(t, 0, sizeof(*t));
}

static int
tmpl_weight(const char *sev)
{
	static const char *const names[] = {"info", "low", "medium", "high",
	    "critical"};
	static const int w[] = {0, 1, 2, 4, 8};
	size_t i;

	for (i = 0; i < 5; i++)
		if (strcmp(sev, names[i]) == 0)
			return w[i];
	return -1;
}

static char *
tmpl_dump(json_t *v)
{
	char *s;

	if ((s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)) == NULL)
		log_fatalx("hết bộ nhớ — out of memory");
	return s;
}

/* Text of finding i of group g with statuses st (leading comma but for
 * the first finding of the list). */
static void
tmpl_group_text(const struct tmpl *t, size_t g, const uint8_t *st,
    struct buf *out)
{
	size_t i, end = (g + 1) * BENCH_GROUP;

	if (end > t->nf)
		end = t->nf;
	for (i = g * BENCH_GROUP; i < end; i++) {
		if (i > 0)
			buf_adds(out, ",");
		buf_adds(out, t->f[i].pre);
		buf_adds(out, bench_status[st[i]]);
		buf_adds(out, t->f[i].post);
	}
}

static char *
buf_string(struct buf *b)
{
	char *s;

	buf_add(b, "", 1);
	s = (char *)b->p;
	b->p = NULL;
	b->len = b->cap = 0;
	return s;
}

static int
tmpl_finding(struct tmpl *t, size_t i, json_t *src, size_t copy,
    const char *file, size_t si)
{
	struct tfinding *f = &t->f[i];
	json_t *o, *v;
	const char *check, *status, *sev;
	char id[80], *text, *mark;
	int st;

	check = json_string_value(json_object_get(src, "check"));
	status = json_string_value(json_object_get(src, "status"));
	sev = json_string_value(json_object_get(src, "severity"));
	v = json_object_get(src, "point");
	if (check == NULL || status == NULL || sev == NULL ||
	    !json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 8 || tmpl_weight(sev) < 0) {
		log_warnx("%s: findings[%zu]: thiếu check, status, severity "
		    "hoặc point hợp lệ — no valid check, status, severity or "
		    "point", file, si);
		return -1;
	}
	for (st = 0; st < ST_N; st++)
		if (strcmp(status, bench_status[st]) == 0)
			break;
	if (st == ST_N) {
		log_warnx("%s: findings[%zu].status: \"%s\" không hợp lệ — "
		    "is not valid", file, si, status);
		return -1;
	}
	if ((o = json_deep_copy(src)) == NULL)
		log_fatalx("hết bộ nhớ — out of memory");
	if (copy > 0) {
		snprintf(id, sizeof(id), "%.*s-r%zu", 56, check, copy);
		json_object_set_new(o, "check", json_string(id));
	}
	json_object_set_new(o, "status", json_string(BENCH_MARK));
	text = tmpl_dump(o);
	json_decref(o);
	if ((mark = strstr(text, BENCH_MARK)) == NULL)
		log_fatalx("%s: findings[%zu]: dấu trạng thái mất — status "
		    "mark lost", file, si);
	*mark = '\0';
	f->pre = xstrdup(text);
	f->post = xstrdup(mark + strlen(BENCH_MARK));
	free(text);
	f->base = st;
	f->weight = tmpl_weight(sev);
	f->point = (int)json_integer_value(v);
	return 0;
}

static int
tmpl_load(const char *file, size_t nf, struct tmpl *t)
{
	static const char *const own[] = {"report_id", "schema", "agent",
	    "collected_at", "host", "findings", "summary", "legal", NULL};
	json_error_t jerr;
	json_t *root, *findings, *host, *v;
	const char *key;
	struct buf a = {NULL, 0, 0}, b = {NULL, 0, 0}, g = {NULL, 0, 0};
	char *s, *text;
	size_t i, n, k, len;
	bool seen[9] = {false};
	int rc;

	memset(t, 0, sizeof(*t));
	if ((rc = file_read_path(file, FILE_MAX_MEDIUM, &text, &len)) < 0) {
		log_warnx("%s: báo cáo mẫu không đọc được — cannot read the "
		    "template report: %s", file, strerror(-rc));
		return -1;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (root == NULL) {
		log_warnx("%s:%d:%d: báo cáo mẫu không phải JSON hợp lệ — the "
		    "template report is not valid JSON: %s", file, jerr.line,
		    jerr.column, jerr.text);
		return -1;
	}
	findings = json_object_get(root, "findings");
	host = json_object_get(root, "host");
	if (!json_is_array(findings) || json_array_size(findings) == 0 ||
	    !json_is_object(host)) {
		log_warnx("%s: báo cáo mẫu thiếu findings hoặc host — the "
		    "template report has no findings or no host", file);
		json_decref(root);
		return -1;
	}
	n = json_array_size(findings);
	t->nf = nf;
	if ((t->f = calloc(nf, sizeof(*t->f))) == NULL ||
	    (t->flip = calloc(nf, sizeof(*t->flip))) == NULL ||
	    (t->st = calloc(nf, 1)) == NULL)
		log_fatalx("hết bộ nhớ — out of memory");
	for (i = 0; i < nf; i++) {
		if (tmpl_finding(t, i, json_array_get(findings, i % n), i / n,
		    file, i % n) == -1) {
			json_decref(root);
			tmpl_free(t);
			return -1;
		}
		if (t->f[i].base == ST_PASS || t->f[i].base == ST_FAIL)
			t->flip[t->nflip++] = i;
		if (!seen[t->f[i].point]) {
			seen[t->f[i].point] = true;
			t->porder[t->npoints++] = t->f[i].point;
		}
	}

	v = json_object_get(root, "schema");
	t->schema = v != NULL ? tmpl_dump(v) : xstrdup("1");
	v = json_object_get(root, "agent");
	t->agent = v != NULL ? tmpl_dump(v) : xstrdup("{\"version\":\""
	    BENCH_VERSION "\"}");
	/* The host without its id and name (ours) and --root's "root". */
	host = json_deep_copy(host);
	json_object_del(host, "id");
	json_object_del(host, "hostname");
	json_object_del(host, "root");
	s = tmpl_dump(host);
	json_decref(host);
	if (strcmp(s, "{}") == 0)
		t->host_rest = xstrdup("}");
	else {
		s[0] = ',';
		t->host_rest = xstrdup(s);
	}
	free(s);

	/* Every member we do not write ourselves, in the template's order. */
	json_object_foreach(root, key, v) {
		for (k = 0; own[k] != NULL; k++)
			if (strcmp(key, own[k]) == 0)
				break;
		if (own[k] != NULL)
			continue;
		s = tmpl_dump(v);
		buf_printf(&a, ",\"%s\":%s", key, s);
		free(s);
	}
	buf_adds(&a, ",\"findings\":[");
	zseg_make(&t->a, buf_string(&a));
	if ((v = json_object_get(root, "legal")) != NULL) {
		s = tmpl_dump(v);
		buf_printf(&b, ",\"legal\":%s", s);
		free(s);
	}
	buf_adds(&b, "}]}");
	zseg_make(&t->b, buf_string(&b));
	json_decref(root);

	t->ngroups = (nf + BENCH_GROUP - 1) / BENCH_GROUP;
	if ((t->groups = calloc(t->ngroups, sizeof(*t->groups))) == NULL ||
	    (t->dirty = calloc(t->ngroups, sizeof(*t->dirty))) == NULL)
		log_fatalx("hết bộ nhớ — out of memory");
	for (i = 0; i < nf; i++)
		t->st[i] = (uint8_t)t->f[i].base;
	for (i = 0; i < t->ngroups; i++) {
		tmpl_group_text(t, i, t->st, &g);
		zseg_make(&t->groups[i], buf_string(&g));
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * The agents and what each sends.
 */
struct bench {
	const char *url, *ca, *state, *report, *label, *json_out;
	const char *tokens[BENCH_MAX_TOKENS];
	size_t ntokens;
	const char *prefix;
	size_t agents, findings, changes, concurrency, enroll_conc;
	double period, duration, timeout;
	uint64_t seed;
	uint32_t nonce;
	bool prime;
	pid_t pids[BENCH_MAX_PIDS];
	size_t npids;
	struct tmpl t;
	bool *enrolled;
	CURLM *multi;
	struct curl_slist *hdr_json, *hdr_batch;
	char *url_enroll, *url_batches;
};

static volatile sig_atomic_t bench_stop;

static void
bench_sigint(int sig)
{
	(void)sig;
	bench_stop = 1;
}

static void
agent_host(const struct bench *c, uint32_t a, char *buf, size_t size)
{
	snprintf(buf, size, "%s-%06" PRIu32, c->prefix, a);
}

static void
agent_path(const struct bench *c, uint32_t a, const char *ext, char *buf,
    size_t size)
{
	snprintf(buf, size, "%s/agent-%06" PRIu32 ".%s", c->state, a, ext);
}

/* The findings whose status differs from the template in report k of
 * agent a: report k fixes those of report k-1 and breaks new ones, so
 * that consecutive reports differ in at most 2*changes findings. */
static size_t
agent_changes(const struct bench *c, uint32_t a, uint32_t k, size_t *out)
{
	uint64_t x = mix64(c->seed ^ mix64(((uint64_t)a << 32) | k));
	size_t n = c->changes < c->t.nflip ? c->changes : c->t.nflip;
	size_t cnt = 0, i, idx;

	while (cnt < n) {
		x = mix64(x);
		idx = c->t.flip[x % c->t.nflip];
		for (i = 0; i < cnt; i++)
			if (out[i] == idx)
				break;
		if (i == cnt)
			out[cnt++] = idx;
	}
	return cnt;
}

static void
agent_batch_id(const struct bench *c, uint32_t a, uint32_t k, char id[40])
{
	uint64_t x = mix64(((uint64_t)c->nonce << 40) ^ ((uint64_t)a << 20) ^
	    k ^ c->seed), y = mix64(x);

	snprintf(id, 40, "%08" PRIx32 "-%04" PRIx32 "-4%03" PRIx32 "-%04"
	    PRIx32 "-%012" PRIx64, (uint32_t)x, (uint32_t)(x >> 32) & 0xffff,
	    (uint32_t)(x >> 48) & 0xfff, ((uint32_t)y & 0x3fff) | 0x8000,
	    (uint64_t)((y >> 16) & 0xffffffffffffull));
}

static void
summary_counts(struct buf *b, const int c[ST_N], long wpass, long wtotal)
{
	long score = wtotal > 0 ? (200 * wpass + wtotal) / (2 * wtotal) : 100;

	buf_printf(b, "{\"pass\":%d,\"fail\":%d,\"na\":%d,\"error\":%d,"
	    "\"score\":%ld", c[ST_PASS], c[ST_FAIL], c[ST_NA], c[ST_ERROR],
	    score);
}

/* Builds the gzip body of report k of agent a into g; batch_id gets the
 * batch's id. plain, when not NULL, receives the uncompressed JSON. */
static void
body_build(struct bench *c, uint32_t a, uint32_t k, struct gz *g,
    struct buf *plain, char batch_id[40])
{
	struct tmpl *t = &c->t;
	size_t ch[BENCH_MAX_CHANGES], nch, i, p;
	int cnt[ST_N] = {0}, pc[9][ST_N];
	long wpass = 0, wtotal = 0, pw[9] = {0}, pt[9] = {0};
	struct buf h = {NULL, 0, 0};
	char host[64], when[32];

	memset(pc, 0, sizeof(pc));
	for (i = 0; i < t->nf; i++)
		t->st[i] = (uint8_t)t->f[i].base;
	memset(t->dirty, 0, t->ngroups * sizeof(*t->dirty));
	nch = agent_changes(c, a, k, ch);
	for (i = 0; i < nch; i++) {
		t->st[ch[i]] = t->st[ch[i]] == ST_PASS ? ST_FAIL : ST_PASS;
		t->dirty[ch[i] / BENCH_GROUP] = true;
	}
	for (i = 0; i < t->nf; i++) {
		const struct tfinding *f = &t->f[i];

		cnt[t->st[i]]++;
		pc[f->point][t->st[i]]++;
		if (t->st[i] == ST_PASS || t->st[i] == ST_FAIL) {
			wtotal += f->weight;
			pt[f->point] += f->weight;
			if (t->st[i] == ST_PASS) {
				wpass += f->weight;
				pw[f->point] += f->weight;
			}
		}
	}

	agent_batch_id(c, a, k, batch_id);
	agent_host(c, a, host, sizeof(host));
	json_time((long long)time(NULL), when, sizeof(when));
	gz_begin(g, plain);
	buf_printf(&h, "{\"schema\":1,\"batch\":\"%s\",\"agent\":{\"version\":"
	    "\"%s\"},\"queue\":{\"dropped_snapshots\":0,\"stripped\":0,"
	    "\"refused\":0},\"reports\":[{\"report_id\":\"r%08" PRIx32 "-%06"
	    PRIu32 "-%06" PRIu32 "\",\"schema\":%s,\"agent\":%s,"
	    "\"collected_at\":\"%s\",\"host\":{\"id\":\"%s\",\"hostname\":"
	    "\"may-%s\"%s", batch_id, BENCH_VERSION, c->nonce, a, k,
	    t->schema, t->agent, when, host, host, t->host_rest);
	gz_text(g, h.p, h.len);
	gz_static(g, &t->a);
	for (i = 0; i < t->ngroups; i++) {
		if (!t->dirty[i]) {
			gz_static(g, &t->groups[i]);
			continue;
		}
		h.len = 0;
		tmpl_group_text(t, i, t->st, &h);
		gz_text(g, h.p, h.len);
	}
	h.len = 0;
	buf_adds(&h, "],\"summary\":");
	summary_counts(&h, cnt, wpass, wtotal);
	buf_adds(&h, ",\"points\":{");
	for (i = 0; i < t->npoints; i++) {
		p = (size_t)t->porder[i];
		buf_printf(&h, "%s\"%zu\":", i > 0 ? "," : "", p);
		summary_counts(&h, pc[p], pw[p], pt[p]);
		buf_adds(&h, "}");
	}
	buf_adds(&h, "}}");
	gz_text(g, h.p, h.len);
	gz_static(g, &t->b);
	gz_end(g);
	free(h.p);
}

/* ---------------------------------------------------------------------
 * Sampling the server's processes.
 */
struct proc_sample {
	long rss_kb, hwm_kb;
	unsigned long long ticks;
	size_t gone;			/* processes that disappeared */
};

static void
proc_read(const struct bench *c, struct proc_sample *s)
{
	char path[64], line[512];
	FILE *f;
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < c->npids; i++) {
		snprintf(path, sizeof(path), "/proc/%d/status",
		    (int)c->pids[i]);
		if ((f = fopen(path, "r")) == NULL) {
			s->gone++;
			continue;
		}
		while (fgets(line, sizeof(line), f) != NULL) {
			long v;

			if (sscanf(line, "VmRSS: %ld", &v) == 1)
				s->rss_kb += v;
			else if (sscanf(line, "VmHWM: %ld", &v) == 1)
				s->hwm_kb += v;
		}
		fclose(f);
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)c->pids[i]);
		if ((f = fopen(path, "r")) == NULL) {
			s->gone++;
			continue;
		}
		if (fgets(line, sizeof(line), f) != NULL) {
			char *p = strrchr(line, ')');
			unsigned long long ut, stt;

			/* fields 3.. after the name: utime is 14, stime 15 */
			if (p != NULL && sscanf(p + 2, "%*c %*d %*d %*d %*d "
			    "%*d %*u %*u %*u %*u %*u %llu %llu", &ut, &stt) ==
			    2)
				s->ticks += ut + stt;
		}
		fclose(f);
	}
}

static double
cpu_self(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* ---------------------------------------------------------------------
 * One phase: enrolment, priming (every agent's first report, as fast as
 * the server takes them) or the paced run.
 */
enum kind { K_ENROLL, K_BATCH };

struct job {
	uint32_t agent, k;
	double due;			/* seconds after the phase started */
};

struct stats {
	const char *name;
	enum kind kind;
	bool paced;
	size_t njobs, sent, done, ok;
	size_t http[600];
	size_t curlerr[CURL_LAST];
	size_t stored, duplicate, reports, skipped, other;
	double *lat, *svc, *tls;	/* seconds, one per answer */
	size_t nlat;
	uint64_t bytes_sent, bytes_plain;
	double wall, cli_cpu, srv_cpu, max_lag;
	size_t late;			/* started over 100 ms after due */
	long srv_rss_peak_kb, srv_hwm_kb;
	size_t srv_gone;
	double loadavg;			/* of the machine, at the end */
	char first_error[512];
};

struct req {
	CURL *e;
	struct stats *s;
	struct job job;
	double due;			/* monotonic */
	struct buf body;
	size_t plain;
	char resp[BENCH_RESP_MAX];
	size_t resplen;
	char *key_pem;
};

static size_t
req_write(char *p, size_t size, size_t n, void *arg)
{
	struct req *r = arg;
	size_t len = size * n, room = sizeof(r->resp) - 1 - r->resplen;

	if (len < room)
		room = len;
	memcpy(r->resp + r->resplen, p, room);
	r->resplen += room;
	r->resp[r->resplen] = '\0';
	return len;
}

static CURL *
req_easy(struct bench *c, struct req *r, const char *url,
    struct curl_slist *hdr)
{
	CURL *e;

	if ((e = curl_easy_init()) == NULL)
		log_fatalx("curl_easy_init");
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, (char *)r->body.p);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)r->body.len);
	curl_easy_setopt(e, CURLOPT_CAINFO, c->ca);
	/* only the ward's CA: libcurl would load the system's store too */
	curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
	curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	/* An agent uploads every few minutes: a new connection and a full
	 * handshake each time, as it would. */
	curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_SESSIONID_CACHE, 0L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(c->timeout * 1000));
	curl_easy_setopt(e, CURLOPT_USERAGENT, "canhgac-bench/" BENCH_VERSION);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, req_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	return e;
}

static void
req_start(struct bench *c, struct stats *s, const struct job *j, double due)
{
	struct req *r;
	char host[64], err[512], crt[PATH_MAX], key[PATH_MAX];

	if ((r = calloc(1, sizeof(*r))) == NULL)
		log_fatalx("hết bộ nhớ — out of memory");
	r->s = s;
	r->job = *j;
	r->due = due;
	agent_host(c, j->agent, host, sizeof(host));
	if (s->kind == K_ENROLL) {
		char *csr = NULL, name[96];
		json_t *o;
		char *txt;

		if (pki_csr_create(host, &r->key_pem, &csr, err,
		    sizeof(err)) == -1)
			log_fatalx("pki_csr_create: %s", err);
		snprintf(name, sizeof(name), "may-%s", host);
		o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "token",
		    c->tokens[j->agent % c->ntokens],
		    "csr", csr, "host_id", host, "hostname", name,
		    "agent_version", BENCH_VERSION);
		free(csr);
		if (o == NULL || (txt = tmpl_dump(o)) == NULL)
			log_fatalx("hết bộ nhớ — out of memory");
		json_decref(o);
		buf_adds(&r->body, txt);
		r->plain = r->body.len;
		free(txt);
		r->e = req_easy(c, r, c->url_enroll, c->hdr_json);
	} else {
		struct gz g;
		char id[40];

		memset(&g, 0, sizeof(g));
		body_build(c, j->agent, j->k, &g, NULL, id);
		r->body = g.out;
		r->plain = (size_t)g.total;
		r->e = req_easy(c, r, c->url_batches, c->hdr_batch);
		agent_path(c, j->agent, "crt", crt, sizeof(crt));
		agent_path(c, j->agent, "key", key, sizeof(key));
		curl_easy_setopt(r->e, CURLOPT_SSLCERT, crt);
		curl_easy_setopt(r->e, CURLOPT_SSLCERTTYPE, "PEM");
		curl_easy_setopt(r->e, CURLOPT_SSLKEY, key);
		curl_easy_setopt(r->e, CURLOPT_SSLKEYTYPE, "PEM");
	}
	if (curl_multi_add_handle(c->multi, r->e) != CURLM_OK)
		log_fatalx("curl_multi_add_handle");
	s->sent++;
	s->bytes_sent += r->body.len;
	s->bytes_plain += r->plain;
}

static int
write_file(const char *path, const char *text, mode_t mode)
{
	size_t len = strlen(text), off = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)) ==
	    -1)
		return -1;
	while (off < len) {
		if ((n = write(fd, text + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	return close(fd);
}

static void
req_note_error(struct stats *s, const struct req *r, const char *what)
{
	if (s->first_error[0] != '\0')
		return;
	snprintf(s->first_error, sizeof(s->first_error), "agent %" PRIu32
	    ": %s %.300s", r->job.agent, what, r->resp);
}

/* The answer to an enrolment: the certificate, written beside the key. */
static bool
req_enrolled(struct bench *c, struct req *r)
{
	char path[PATH_MAX];
	const char *cert;
	json_t *o;
	bool ok = false;

	if ((o = json_loads(r->resp, 0, NULL)) == NULL)
		return false;
	cert = json_string_value(json_object_get(o, "certificate"));
	if (cert != NULL && strstr(cert, "BEGIN CERTIFICATE") != NULL) {
		agent_path(c, r->job.agent, "key", path, sizeof(path));
		if (write_file(path, r->key_pem, 0600) == -1)
			log_fatal("%s", path);
		agent_path(c, r->job.agent, "crt", path, sizeof(path));
		if (write_file(path, cert, 0644) == -1)
			log_fatal("%s", path);
		c->enrolled[r->job.agent] = true;
		ok = true;
	}
	json_decref(o);
	return ok;
}

/* The answer to a batch: {"batch", "status", "reports", "skipped"}. */
static bool
req_stored(struct stats *s, struct req *r)
{
	const char *st;
	json_t *o;
	bool ok = true;

	if ((o = json_loads(r->resp, 0, NULL)) == NULL)
		return false;
	st = json_string_value(json_object_get(o, "status"));
	if (st != NULL && strcmp(st, "stored") == 0)
		s->stored++;
	else if (st != NULL && strcmp(st, "duplicate") == 0)
		s->duplicate++;
	else if (json_object_get(o, "status") != NULL)
		ok = false;
	else
		s->other++;	/* a peer that answers something else */
	s->reports += (size_t)json_integer_value(json_object_get(o,
	    "reports"));
	s->skipped += (size_t)json_integer_value(json_object_get(o,
	    "skipped"));
	json_decref(o);
	return ok;
}

static void
req_done(struct bench *c, CURL *e, CURLcode rc)
{
	struct req *r = NULL;
	struct stats *s;
	long code = 0;
	curl_off_t total = 0, tls = 0;
	double now = mono();

	curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&r);
	s = r->s;
	s->done++;
	if (rc != CURLE_OK) {
		if ((size_t)rc < CURL_LAST)
			s->curlerr[rc]++;
		req_note_error(s, r, curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(e, CURLINFO_TOTAL_TIME_T, &total);
	curl_easy_getinfo(e, CURLINFO_APPCONNECT_TIME_T, &tls);
	if (code < 0 || code >= 600)
		code = 0;
	s->http[code]++;
	s->lat[s->nlat] = now - r->due;
	s->svc[s->nlat] = (double)total / 1e6;
	s->tls[s->nlat] = (double)tls / 1e6;
	s->nlat++;
	if (s->kind == K_ENROLL) {
		if ((code == 200 || code == 201) && req_enrolled(c, r))
			s->ok++;
		else
			req_note_error(s, r, "HTTP");
	} else {
		if (code == 200 && req_stored(s, r))
			s->ok++;
		else
			req_note_error(s, r, "HTTP");
	}
out:
	curl_multi_remove_handle(c->multi, e);
	curl_easy_cleanup(e);
	free(r->body.p);
	free(r->key_pem);
	free(r);
}

static void
phase_run(struct bench *c, struct stats *s, const struct job *jobs,
    size_t n, size_t conc)
{
	struct proc_sample p0, p1, ps;
	double t0, now, next_sample, next_progress, cpu0;
	size_t next = 0, inflight = 0;
	CURLMsg *m;
	int running, left, wait;

	s->njobs = n;
	if ((s->lat = calloc(n + 1, sizeof(double))) == NULL ||
	    (s->svc = calloc(n + 1, sizeof(double))) == NULL ||
	    (s->tls = calloc(n + 1, sizeof(double))) == NULL)
		log_fatalx("hết bộ nhớ — out of memory");
	proc_read(c, &p0);
	s->srv_rss_peak_kb = p0.rss_kb;
	cpu0 = cpu_self();
	t0 = mono();
	next_sample = t0 + BENCH_SAMPLE_S;
	next_progress = t0 + BENCH_PROGRESS_S;
	while ((next < n && !bench_stop) || inflight > 0) {
		now = mono();
		while (!bench_stop && next < n && inflight < conc &&
		    (!s->paced || t0 + jobs[next].due <= now)) {
			double due = s->paced ? t0 + jobs[next].due : mono();
			double lag = mono() - due;

			if (lag > s->max_lag)
				s->max_lag = lag;
			if (lag > 0.1)
				s->late++;
			req_start(c, s, &jobs[next], due);
			next++;
			inflight++;
		}
		curl_multi_perform(c->multi, &running);
		while ((m = curl_multi_info_read(c->multi, &left)) != NULL) {
			if (m->msg != CURLMSG_DONE)
				continue;
			req_done(c, m->easy_handle, m->data.result);
			inflight--;
		}
		now = mono();
		if (now >= next_sample) {
			proc_read(c, &ps);
			if (ps.rss_kb > s->srv_rss_peak_kb)
				s->srv_rss_peak_kb = ps.rss_kb;
			next_sample = now + BENCH_SAMPLE_S;
		}
		if (now >= next_progress) {
			fprintf(stderr, "  [%s] %.0f s: %zu/%zu gửi — sent, %zu "
			    "xong — done, %zu lỗi — errors, %zu đang chạy — in "
			    "flight\n", s->name, now - t0, s->sent, n, s->done,
			    s->done - s->ok, inflight);
			next_progress = now + BENCH_PROGRESS_S;
		}
		wait = 100;
		if (!bench_stop && next < n && inflight < conc) {
			double d = s->paced ? t0 + jobs[next].due - now : 0;

			wait = d <= 0 ? 0 : d < 0.1 ? (int)(d * 1000) + 1 : 100;
		}
		if (wait > 0)
			curl_multi_poll(c->multi, NULL, 0, wait, NULL);
	}
	s->wall = mono() - t0;
	s->cli_cpu = cpu_self() - cpu0;
	proc_read(c, &p1);
	if (p1.rss_kb > s->srv_rss_peak_kb)
		s->srv_rss_peak_kb = p1.rss_kb;
	s->srv_hwm_kb = p1.hwm_kb;
	s->srv_gone = p1.gone;
	s->srv_cpu = (double)(p1.ticks - p0.ticks) /
	    (double)sysconf(_SC_CLK_TCK);
	/* Other work on the machine skews every figure: say how much. */
	if (getloadavg(&s->loadavg, 1) != 1)
		s->loadavg = -1;
}

static void
stats_free(struct stats *s)
{
	free(s->lat);
	free(s->svc);
	free(s->tls);
}

/* ---------------------------------------------------------------------
 * Results.
 */
static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v, in milliseconds. */
static double
pct(const double *v, size_t n, double q)
{
	size_t rank;

	if (n == 0)
		return 0;
	rank = (size_t)(q * (double)n);
	if ((double)rank < q * (double)n)
		rank++;
	if (rank == 0)
		rank = 1;
	return v[rank - 1] * 1000;
}

static json_t *
dist_json(double *v, size_t n)
{
	double sum = 0;
	size_t i;

	qsort(v, n, sizeof(double), dcmp);
	for (i = 0; i < n; i++)
		sum += v[i];
	return json_pack("{s:f, s:f, s:f, s:f, s:f, s:f}", "p50", pct(v, n, .5),
	    "p90", pct(v, n, .9), "p99", pct(v, n, .99), "p999",
	    pct(v, n, .999), "max", n ? v[n - 1] * 1000 : 0.0, "mean",
	    n ? sum / (double)n * 1000 : 0.0);
}

static json_t *
phase_json(const struct bench *c, struct stats *s)
{
	json_t *o, *http, *cerr;
	size_t i, findings = 0, acked;
	char k[16];

	http = json_object();
	for (i = 0; i < 600; i++)
		if (s->http[i] > 0) {
			snprintf(k, sizeof(k), "%zu", i);
			json_object_set_new(http, k, json_integer(
			    (json_int_t)s->http[i]));
		}
	cerr = json_object();
	for (i = 0; i < CURL_LAST; i++)
		if (s->curlerr[i] > 0)
			json_object_set_new(cerr, curl_easy_strerror(
			    (CURLcode)i), json_integer((json_int_t)
			    s->curlerr[i]));
	acked = s->kind == K_BATCH ? s->ok : 0;
	if (s->kind == K_BATCH)
		findings = acked * c->t.nf;
	o = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:f}",
	    "phase", s->name, "paced", s->paced, "requests",
	    (json_int_t)s->sent, "answered", (json_int_t)s->done, "ok",
	    (json_int_t)s->ok, "errors", (json_int_t)(s->sent - s->ok),
	    "jobs", (json_int_t)s->njobs, "http", http, "transport", cerr,
	    "wall_s", s->wall);
	json_object_set_new(o, "latency_ms", dist_json(s->lat, s->nlat));
	json_object_set_new(o, "service_ms", dist_json(s->svc, s->nlat));
	json_object_set_new(o, "tls_ms", dist_json(s->tls, s->nlat));
	json_object_set_new(o, "requests_per_s", json_real(s->wall > 0 ?
	    (double)s->ok / s->wall : 0));
	if (s->kind == K_BATCH) {
		json_object_set_new(o, "stored", json_integer(
		    (json_int_t)s->stored));
		json_object_set_new(o, "duplicate", json_integer(
		    (json_int_t)s->duplicate));
		json_object_set_new(o, "skipped", json_integer(
		    (json_int_t)s->skipped));
		json_object_set_new(o, "reports_per_s", json_real(s->wall > 0 ?
		    (double)acked / s->wall : 0));
		json_object_set_new(o, "findings_per_s", json_real(s->wall > 0 ?
		    (double)findings / s->wall : 0));
	}
	json_object_set_new(o, "body_bytes_mean", json_real(s->sent ?
	    (double)s->bytes_sent / (double)s->sent : 0));
	json_object_set_new(o, "inflated_bytes_mean", json_real(s->sent ?
	    (double)s->bytes_plain / (double)s->sent : 0));
	json_object_set_new(o, "late_starts", json_integer((json_int_t)
	    s->late));
	json_object_set_new(o, "max_start_lag_ms", json_real(s->max_lag *
	    1000));
	json_object_set_new(o, "server", json_pack("{s:f, s:f, s:f, s:f, "
	    "s:I}", "cpu_s", s->srv_cpu, "cpu_pct", s->wall > 0 ?
	    100 * s->srv_cpu / s->wall : 0, "rss_peak_mb",
	    (double)s->srv_rss_peak_kb / 1024, "hwm_mb",
	    (double)s->srv_hwm_kb / 1024, "gone", (json_int_t)s->srv_gone));
	json_object_set_new(o, "generator_cpu_s", json_real(s->cli_cpu));
	json_object_set_new(o, "loadavg_1m", json_real(s->loadavg));
	if (s->first_error[0] != '\0')
		json_object_set_new(o, "first_error", json_string(
		    s->first_error));
	return o;
}

static void
phase_print(json_t *o)
{
	json_t *lat = json_object_get(o, "latency_ms");
	json_t *svc = json_object_get(o, "service_ms");
	json_t *tls = json_object_get(o, "tls_ms");
	json_t *srv = json_object_get(o, "server");
	json_t *v;
	const char *key;

#define D(obj, k) json_number_value(json_object_get((obj), (k)))
#define I(obj, k) (long long)json_integer_value(json_object_get((obj), (k)))
	printf("\n== %s ==\n", json_string_value(json_object_get(o, "phase")));
	printf("  yêu cầu — requests         %lld (đạt — ok %lld, lỗi — "
	    "errors %lld) trong — in %.1f s\n", I(o, "requests"), I(o, "ok"),
	    I(o, "errors"), D(o, "wall_s"));
	printf("  độ trễ từ lịch — latency from schedule (ms)  p50 %.1f  p90 "
	    "%.1f  p99 %.1f  max %.1f\n", D(lat, "p50"), D(lat, "p90"),
	    D(lat, "p99"), D(lat, "max"));
	printf("  thời gian phục vụ — service time (ms)        p50 %.1f  p99 "
	    "%.1f  max %.1f   (bắt tay TLS — TLS handshake p50 %.1f)\n",
	    D(svc, "p50"), D(svc, "p99"), D(svc, "max"), D(tls, "p50"));
	if (json_object_get(o, "reports_per_s") != NULL)
		printf("  báo cáo/s — reports/s      %.1f   phát hiện/s — "
		    "findings/s %.0f   (stored %lld, duplicate %lld, skipped "
		    "%lld)\n", D(o, "reports_per_s"), D(o, "findings_per_s"),
		    I(o, "stored"), I(o, "duplicate"), I(o, "skipped"));
	else
		printf("  yêu cầu/s — requests/s     %.1f\n",
		    D(o, "requests_per_s"));
	printf("  thân — body                %.0f B gzip, %.0f B JSON\n",
	    D(o, "body_bytes_mean"), D(o, "inflated_bytes_mean"));
	printf("  máy chủ — server           CPU %.1f s (%.0f%% một lõi — of "
	    "one core), RSS đỉnh — peak %.1f MB, VmHWM %.1f MB\n",
	    D(srv, "cpu_s"), D(srv, "cpu_pct"), D(srv, "rss_peak_mb"),
	    D(srv, "hwm_mb"));
	printf("  bộ tạo tải — generator     CPU %.1f s, khởi động trễ — late "
	    "starts %lld (max %.0f ms); tải máy — load average %.1f\n",
	    D(o, "generator_cpu_s"), I(o, "late_starts"),
	    D(o, "max_start_lag_ms"), D(o, "loadavg_1m"));
	json_object_foreach(json_object_get(o, "http"), key, v)
		printf("  HTTP %s: %lld\n", key, (long long)
		    json_integer_value(v));
	json_object_foreach(json_object_get(o, "transport"), key, v)
		printf("  lỗi truyền — transport error \"%s\": %lld\n", key,
		    (long long)json_integer_value(v));
	if (I(srv, "gone") > 0)
		printf("  CẢNH BÁO: tiến trình máy chủ đã mất — WARNING: the "
		    "server process is gone\n");
	if (json_object_get(o, "first_error") != NULL)
		printf("  lỗi đầu tiên — first error: %s\n",
		    json_string_value(json_object_get(o, "first_error")));
#undef D
#undef I
}

/* ---------------------------------------------------------------------
 * --check: builds bodies and verifies them (inflate, parse, statuses,
 * summary, changes between reports, and the server's ingest_parse)
 * without any network.
 */
static int
check_inflate(const struct buf *gzbody, struct buf *out)
{
	z_stream zs;
	int rc;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit2(&zs, 15 + 16) != Z_OK)
		return -1;
	zs.next_in = gzbody->p;
	zs.avail_in = (uInt)gzbody->len;
	out->len = 0;
	do {
		buf_need(out, 65536);
		zs.next_out = out->p + out->len;
		zs.avail_out = (uInt)(out->cap - out->len);
		rc = inflate(&zs, Z_NO_FLUSH);
		out->len = out->cap - zs.avail_out;
	} while (rc == Z_OK);
	inflateEnd(&zs);
	/* the whole body is one gzip member, CRC and size checked */
	return rc == Z_STREAM_END && zs.avail_in == 0 ? 0 : -1;
}

static int
check_report(struct bench *c, uint32_t a, uint32_t k, json_t *root,
    const char *id)
{
	json_t *rep, *fs, *f, *sum;
	char host[64];
	size_t i, ch[BENCH_MAX_CHANGES], nch;
	int cnt[ST_N] = {0}, st;

	agent_host(c, a, host, sizeof(host));
	rep = json_array_get(json_object_get(root, "reports"), 0);
	fs = json_object_get(rep, "findings");
	if (strcmp(json_string_value(json_object_get(root, "batch")), id) != 0 ||
	    json_array_size(json_object_get(root, "reports")) != 1 ||
	    strcmp(json_str(json_object_get(rep, "host"), "id", ""), host) !=
	    0 || json_array_size(fs) != c->t.nf) {
		log_warnx("kiểm tra: lô, máy hoặc số phát hiện sai — check: "
		    "wrong batch, host or number of findings");
		return -1;
	}
	nch = agent_changes(c, a, k, ch);
	json_array_foreach(fs, i, f) {
		size_t j;
		const char *s = json_str(f, "status", "");
		int want = c->t.f[i].base;

		for (j = 0; j < nch; j++)
			if (ch[j] == i)
				want = want == ST_PASS ? ST_FAIL : ST_PASS;
		for (st = 0; st < ST_N; st++)
			if (strcmp(s, bench_status[st]) == 0)
				break;
		if (st != want) {
			log_warnx("kiểm tra: findings[%zu].status sai — check: "
			    "wrong status", i);
			return -1;
		}
		cnt[st]++;
	}
	sum = json_object_get(rep, "summary");
	for (st = 0; st < ST_N; st++)
		if (json_int(sum, bench_status[st], -1) != cnt[st]) {
			log_warnx("kiểm tra: summary.%s sai — check: wrong "
			    "summary", bench_status[st]);
			return -1;
		}
	return 0;
}

static int
check_bodies(struct bench *c)
{
	static const uint32_t ks[] = {0, 1, 2, 7};
	uint32_t agents[3] = {0, 1, 0};
	struct buf plain = {NULL, 0, 0}, back = {NULL, 0, 0};
	struct gz g;
	char id[40];
	size_t i, j, gzsum = 0, plainsum = 0, nb = 0;
	double t0, dt;
	json_t *root;
	json_error_t jerr;
	struct ingest_limits lim = INGEST_LIMITS_DEFAULT;
	struct ingest_batch ib;
	char err[512];
	int rc = -1;

	agents[2] = (uint32_t)c->agents - 1;
	memset(&g, 0, sizeof(g));
	for (i = 0; i < 3; i++)
		for (j = 0; j < sizeof(ks) / sizeof(ks[0]); j++) {
			body_build(c, agents[i], ks[j], &g, &plain, id);
			if (check_inflate(&g.out, &back) == -1 ||
			    back.len != plain.len ||
			    memcmp(back.p, plain.p, plain.len) != 0) {
				log_warnx("kiểm tra: gzip không giải nén đúng "
				    "— check: gzip does not inflate to the "
				    "JSON (agent %" PRIu32 ", report %" PRIu32
				    ")", agents[i], ks[j]);
				goto out;
			}
			if ((root = json_loadb((char *)back.p, back.len,
			    JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
				log_warnx("kiểm tra: JSON sai — check: bad "
				    "JSON at %d:%d: %s", jerr.line,
				    jerr.column, jerr.text);
				goto out;
			}
			if (check_report(c, agents[i], ks[j], root, id) == -1) {
				json_decref(root);
				goto out;
			}
			json_decref(root);
			/* and the server's own validator takes it */
			if (ingest_parse((char *)back.p, back.len, &lim, &ib,
			    err, sizeof(err)) == -1) {
				log_warnx("kiểm tra: ingest_parse từ chối — "
				    "check: ingest_parse refuses: %s", err);
				goto out;
			}
			ingest_batch_free(&ib);
			gzsum += g.out.len;
			plainsum += plain.len;
			nb++;
		}
	t0 = mono();
	for (i = 0; i < 200; i++)
		body_build(c, (uint32_t)i, 3, &g, NULL, id);
	dt = (mono() - t0) / 200;
	printf("kiểm tra thân yêu cầu: đạt — request bodies check: passed "
	    "(%zu bodies, %zu findings each, mean %zu B gzip / %zu B JSON, "
	    "%.3f ms to build one)\n", nb, c->t.nf, gzsum / nb, plainsum / nb,
	    dt * 1000);
	rc = 0;
out:
	free(plain.p);
	free(back.p);
	free(g.out.p);
	return rc;
}

/* ---------------------------------------------------------------------
 * Command line.
 */
static void
usage(FILE *f)
{
	fprintf(f,
	    "cách dùng — usage: ingest --url URL --ca CA.pem --state DIR "
	    "--report REPORT.json [options]\n"
	    "  --token T            đăng ký các agent chưa có chứng chỉ (lặp "
	    "lại được: agent i dùng mã i mod số mã) — enrol the agents "
	    "without credentials (repeatable: agent i uses token i mod the "
	    "number of tokens)\n"
	    "  --agents N           số agent — agents (10000)\n"
	    "  --period P           mỗi agent gửi mỗi P giây — each agent "
	    "reports every P s (300)\n"
	    "  --duration D         thời gian đo — measured run, s (120)\n"
	    "  --findings F         phát hiện mỗi báo cáo — findings per "
	    "report (300)\n"
	    "  --changes C          phát hiện đổi trạng thái mỗi báo cáo — "
	    "findings changing per report (3)\n"
	    "  --concurrency K      yêu cầu đồng thời tối đa — most "
	    "requests in flight (128)\n"
	    "  --enroll-concurrency K   khi đăng ký — while enrolling (16)\n"
	    "  --no-prime           không gửi báo cáo đầu tiên trước khi đo "
	    "— do not send each agent's first report before measuring\n"
	    "  --pid PID            tiến trình máy chủ để lấy mẫu RSS/CPU "
	    "(lặp lại được) — server process to sample (repeatable)\n"
	    "  --label NAME         tên trong kết quả — name in the results\n"
	    "  --json FILE          ghi kết quả JSON — write the results as "
	    "JSON\n"
	    "  --seed S             hạt giống ngẫu nhiên — random seed (1)\n"
	    "  --timeout S          thời hạn mỗi yêu cầu — per request "
	    "timeout, s (30)\n"
	    "  --prefix P           tiền tố mã máy — host id prefix "
	    "(bench)\n"
	    "  --check              chỉ kiểm tra thân yêu cầu, không mạng — "
	    "only verify the request bodies, no network\n");
}

static double
opt_num(const char *opt, const char *arg, double min, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || v < min || v > max) {
		log_warnx("--%s: \"%s\" không phải số trong [%g, %g] — is not "
		    "a number in [%g, %g]", opt, arg, min, max, min, max);
		usage(stderr);
		exit(2);
	}
	return v;
}

static int
dcmp_job(const void *a, const void *b)
{
	const struct job *x = a, *y = b;

	return (x->due > y->due) - (x->due < y->due);
}

static void
mkdir_p(const char *dir)
{
	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		log_fatal("mkdir %s", dir);
}

int
main(int argc, char **argv)
{
	enum { O_URL = 0x100, O_CA, O_STATE, O_TOKEN, O_REPORT, O_AGENTS,
	    O_PERIOD, O_DURATION, O_FINDINGS, O_CHANGES, O_CONC, O_ECONC,
	    O_NOPRIME, O_PID, O_LABEL, O_JSON, O_SEED, O_TIMEOUT, O_PREFIX,
	    O_CHECK };
	static const struct option opts[] = {
		{"url", required_argument, NULL, O_URL},
		{"ca", required_argument, NULL, O_CA},
		{"state", required_argument, NULL, O_STATE},
		{"token", required_argument, NULL, O_TOKEN},
		{"report", required_argument, NULL, O_REPORT},
		{"agents", required_argument, NULL, O_AGENTS},
		{"period", required_argument, NULL, O_PERIOD},
		{"duration", required_argument, NULL, O_DURATION},
		{"findings", required_argument, NULL, O_FINDINGS},
		{"changes", required_argument, NULL, O_CHANGES},
		{"concurrency", required_argument, NULL, O_CONC},
		{"enroll-concurrency", required_argument, NULL, O_ECONC},
		{"no-prime", no_argument, NULL, O_NOPRIME},
		{"pid", required_argument, NULL, O_PID},
		{"label", required_argument, NULL, O_LABEL},
		{"json", required_argument, NULL, O_JSON},
		{"seed", required_argument, NULL, O_SEED},
		{"timeout", required_argument, NULL, O_TIMEOUT},
		{"prefix", required_argument, NULL, O_PREFIX},
		{"check", no_argument, NULL, O_CHECK},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	struct bench c;
	struct stats se, sp, sr;
	struct job *jobs;
	struct rlimit rl;
	json_t *out, *phases;
	size_t i, n, missing = 0;
	uint32_t a, k;
	bool check = false;
	int ch;

	log_init(argv[0], LOG_TO_STDERR, 1);
	memset(&c, 0, sizeof(c));
	c.agents = 10000;
	c.period = 300;
	c.duration = 120;
	c.findings = 300;
	c.changes = 3;
	c.concurrency = 128;
	c.enroll_conc = 16;
	c.timeout = 30;
	c.seed = 1;
	c.prime = true;
	c.label = "canhgacd";
	c.prefix = "bench";
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case O_URL: c.url = optarg; break;
		case O_CA: c.ca = optarg; break;
		case O_STATE: c.state = optarg; break;
		case O_TOKEN:
			if (c.ntokens == BENCH_MAX_TOKENS)
				log_fatalx("--token: nhiều nhất %d — at most %d",
				    BENCH_MAX_TOKENS, BENCH_MAX_TOKENS);
			c.tokens[c.ntokens++] = optarg;
			break;
		case O_REPORT: c.report = optarg; break;
		case O_AGENTS:
			c.agents = (size_t)opt_num("agents", optarg, 1, 1e6);
			break;
		case O_PERIOD:
			c.period = opt_num("period", optarg, 0.001, 86400);
			break;
		case O_DURATION:
			c.duration = opt_num("duration", optarg, 0, 86400);
			break;
		case O_FINDINGS:
			c.findings = (size_t)opt_num("findings", optarg, 1,
			    100000);
			break;
		case O_CHANGES:
			c.changes = (size_t)opt_num("changes", optarg, 0,
			    BENCH_MAX_CHANGES);
			break;
		case O_CONC:
			c.concurrency = (size_t)opt_num("concurrency", optarg,
			    1, 4096);
			break;
		case O_ECONC:
			c.enroll_conc = (size_t)opt_num("enroll-concurrency",
			    optarg, 1, 4096);
			break;
		case O_NOPRIME: c.prime = false; break;
		case O_PID:
			if (c.npids == BENCH_MAX_PIDS)
				log_fatalx("--pid: nhiều nhất %d — at most %d",
				    BENCH_MAX_PIDS, BENCH_MAX_PIDS);
			c.pids[c.npids++] = (pid_t)opt_num("pid", optarg, 1,
			    4194304);
			break;
		case O_LABEL: c.label = optarg; break;
		case O_JSON: c.json_out = optarg; break;
		case O_SEED:
			c.seed = (uint64_t)opt_num("seed", optarg, 0, 1e15);
			break;
		case O_TIMEOUT:
			c.timeout = opt_num("timeout", optarg, 0.1, 3600);
			break;
		case O_PREFIX:
			c.prefix = optarg;
			if (strlen(c.prefix) < 1 || strlen(c.prefix) > 40 ||
			    strspn(c.prefix, "abcdefghijklmnopqrstuvwxyz"
			    "0123456789-") != strlen(c.prefix))
				log_fatalx("--prefix: chỉ a-z, 0-9, - (1–40) — "
				    "only a-z, 0-9, - (1-40)");
			break;
		case O_CHECK: check = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || c.report == NULL || (!check && (c.url == NULL ||
	    c.ca == NULL || c.state == NULL))) {
		usage(stderr);
		return 2;
	}
	z_init();
	if (tmpl_load(c.report, c.findings, &c.t) == -1)
		return 1;
	if (check) {
		ch = check_bodies(&c) == 0 ? 0 : 1;
		tmpl_free(&c.t);
		deflateEnd(&bench_zs);
		return ch;
	}

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGINT, bench_sigint);
	signal(SIGTERM, bench_sigint);
	signal(SIGPIPE, SIG_IGN);
	{
		FILE *f = fopen("/dev/urandom", "r");

		if (f == NULL || fread(&c.nonce, sizeof(c.nonce), 1, f) != 1)
			c.nonce = (uint32_t)time(NULL) ^ (uint32_t)getpid();
		if (f != NULL)
			fclose(f);
	}
	mkdir_p(c.state);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (c.multi = curl_multi_init()) == NULL)
		log_fatalx("không khởi tạo được libcurl — cannot initialise "
		    "libcurl");
	c.hdr_json = curl_slist_append(NULL, "Content-Type: application/json");
	c.hdr_json = curl_slist_append(c.hdr_json, "Expect:");
	c.hdr_batch = curl_slist_append(NULL, "Content-Type: application/json");
	c.hdr_batch = curl_slist_append(c.hdr_batch, "Content-Encoding: gzip");
	c.hdr_batch = curl_slist_append(c.hdr_batch, "Expect:");
	{
		size_t len = strlen(c.url);
		const char *sl = len > 0 && c.url[len - 1] == '/' ? "" : "/";

		if ((c.url_enroll = malloc(len + 32)) == NULL ||
		    (c.url_batches = malloc(len + 32)) == NULL)
			log_fatalx("hết bộ nhớ — out of memory");
		snprintf(c.url_enroll, len + 32, "%s%sapi/v1/enroll", c.url, sl);
		snprintf(c.url_batches, len + 32, "%s%sapi/v1/batches", c.url,
		    sl);
	}
	if ((c.enrolled = calloc(c.agents, sizeof(bool))) == NULL ||
	    (jobs = calloc(c.agents + 1, sizeof(*jobs))) == NULL)
		log_fatalx("hết bộ nhớ — out of memory");
	for (a = 0; a < c.agents; a++) {
		char path[PATH_MAX];

		agent_path(&c, a, "crt", path, sizeof(path));
		if (access(path, R_OK) == 0)
			c.enrolled[a] = true;
		else
			jobs[missing++].agent = a;
	}
	out = json_pack("{s:s, s:I, s:f, s:f, s:I, s:I, s:I, s:s}", "label",
	    c.label, "agents", (json_int_t)c.agents, "period_s", c.period,
	    "duration_s", c.duration, "findings_per_report",
	    (json_int_t)c.t.nf, "changes_per_report", (json_int_t)c.changes,
	    "concurrency", (json_int_t)c.concurrency, "url", c.url);
	phases = json_object();
	json_object_set_new(out, "phases", phases);
	printf("%s: %zu agent, mỗi — every %.0f s, đo — measured %.0f s, "
	    "%zu phát hiện/báo cáo — findings/report, %zu đổi — changing\n",
	    c.label, c.agents, c.period, c.duration, c.t.nf, c.changes);
	fflush(stdout);

	memset(&se, 0, sizeof(se));
	se.name = "enroll";
	se.kind = K_ENROLL;
	if (missing > 0) {
		if (c.ntokens == 0)
			log_fatalx("%zu agent chưa có chứng chỉ trong %s và không "
			    "có --token — agents have no credentials in %s and "
			    "no --token was given", missing, c.state, c.state);
		fprintf(stderr, "đăng ký %zu agent — enrolling %zu agents\n",
		    missing, missing);
		phase_run(&c, &se, jobs, missing, c.enroll_conc);
		json_object_set_new(phases, "enroll", phase_json(&c, &se));
		phase_print(json_object_get(phases, "enroll"));
	}

	/* Agents with credentials take part; the others are counted. */
	memset(&sp, 0, sizeof(sp));
	sp.name = "prime";
	sp.kind = K_BATCH;
	n = 0;
	for (a = 0; a < c.agents; a++)
		if (c.enrolled[a]) {
			jobs[n].agent = a;
			jobs[n].k = 0;
			jobs[n++].due = 0;
		}
	if (n == 0)
		log_fatalx("không agent nào có chứng chỉ — no agent has "
		    "credentials");
	if (n < c.agents)
		log_warnx("%zu agent không có chứng chỉ, bỏ qua — agents have "
		    "no credentials and are left out", c.agents - n);
	if (c.prime && !bench_stop && n > 0) {
		fprintf(stderr, "gửi báo cáo đầu tiên của %zu agent — sending "
		    "the first report of %zu agents\n", n, n);
		phase_run(&c, &sp, jobs, n, c.concurrency);
		json_object_set_new(phases, "prime", phase_json(&c, &sp));
		phase_print(json_object_get(phases, "prime"));
	}

	/* The paced run: agent a reports at its own phase, every period. */
	memset(&sr, 0, sizeof(sr));
	sr.name = "run";
	sr.kind = K_BATCH;
	sr.paced = true;
	{
		size_t cap = 0, m = 0, per = (size_t)(c.duration / c.period) + 2;
		struct job *rj;

		cap = n * per + 1;
		if ((rj = calloc(cap, sizeof(*rj))) == NULL)
			log_fatalx("hết bộ nhớ — out of memory");
		for (i = 0; i < n; i++) {
			double ph;

			/* a uniform phase in [0, period), fixed by the seed */
			a = jobs[i].agent;
			ph = (double)(mix64(c.seed ^ mix64(a)) >> 11) /
			    9007199254740992.0 * c.period;

			for (k = 0; ph + k * c.period < c.duration && m < cap;
			    k++) {
				rj[m].agent = a;
				rj[m].k = k + (c.prime ? 1 : 0);
				rj[m++].due = ph + k * c.period;
			}
		}
		qsort(rj, m, sizeof(*rj), dcmp_job);
		if (!bench_stop && m > 0) {
			fprintf(stderr, "đo %zu báo cáo trong %.0f s — measuring "
			    "%zu reports over %.0f s\n", m, c.duration, m,
			    c.duration);
			phase_run(&c, &sr, rj, m, c.concurrency);
			json_object_set_new(phases, "run", phase_json(&c, &sr));
			phase_print(json_object_get(phases, "run"));
		}
		free(rj);
	}
	if (c.json_out != NULL && json_dump_file(out, c.json_out,
	    JSON_INDENT(2)) == -1)
		log_fatalx("%s: không ghi được — cannot write", c.json_out);
	json_decref(out);
	stats_free(&se);
	stats_free(&sp);
	stats_free(&sr);
	free(jobs);
	free(c.enrolled);
	free(c.url_enroll);
	free(c.url_batches);
	tmpl_free(&c.t);
	deflateEnd(&bench_zs);
	curl_slist_free_all(c.hdr_json);
	curl_slist_free_all(c.hdr_batch);
	curl_multi_cleanup(c.multi);
	curl_global_cleanup();
	return bench_stop ? 130 : 0;
}
