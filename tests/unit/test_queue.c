/*
 * test_queue.c — the agent's durable queue (queue.c): put, batch, ack; the
 * same batch id and bytes after a close and reopen (a crash before the
 * acknowledgement); ack forgets only its batch; the drop policy in its
 * order; counters; a corrupt file; the bounds on what goes in.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "agent/queue.h"
#include "lib/text.h"

#define D1 "1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "2222222222222222222222222222222222222222222222222222222222222222"
#define D3 "3333333333333333333333333333333333333333333333333333333333333333"
#define D4 "4444444444444444444444444444444444444444444444444444444444444444"

struct fix {
	char dir[64];
	char *path;
};

static int
setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/cg-queue-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->path = text_printf("%s/queue.db", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix *f = *state;
	char *cmd = text_printf("rm -rf '%s'", f->dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f->path);
	free(f);
	return 0;
}

/* A report: its id, a finding, and facts of about nfacts random
 * (incompressible) bytes. */
static char *
report(const char *id, size_t nfacts)
{
	unsigned char *r = malloc(nfacts / 2 + 1);
	char *hex = malloc(nfacts + 2), *s;

	randombytes_buf(r, nfacts / 2 + 1);
	sodium_bin2hex(hex, nfacts + 2, r, nfacts / 2);
	s = text_printf("{\"schema\":1,\"report_id\":\"%s\",\"host\":{\"id\":"
	    "\"h-1\"},\"facts\":{\"blob\":\"%s\"},\"unavailable\":{},"
	    "\"findings\":[{\"check\":\"ssh-root\",\"status\":\"fail\"}]}",
	    id, hex);
	free(r);
	free(hex);
	return s;
}

static void
put(struct queue *q, const char *id, size_t nfacts, const char *digest,
    int expect)
{
	char err[1024] = "";
	char *r = report(id, nfacts);
	int rc;

	rc = queue_put(q, id, r, strlen(r), digest, 1000, err, sizeof(err));
	if (rc != expect)
		fail_msg("put %s: %d, expected %d: %s", id, rc, expect, err);
	free(r);
}

static json_t *
batch_json(const struct queue_batch *b)
{
	json_error_t je;
	json_t *j = json_loadb(b->body, b->len, 0, &je);

	if (j == NULL)
		fail_msg("batch body is not JSON: %s", je.text);
	assert_int_equal(strlen(b->body), b->len);
	assert_string_equal(json_string_value(json_object_get(j, "batch")),
	    b->id);
	assert_int_equal(json_array_size(json_object_get(j, "reports")),
	    b->nreports);
	return j;
}

static const char *
member_id(json_t *batch, size_t i)
{
	return json_string_value(json_object_get(json_array_get(
	    json_object_get(batch, "reports"), i), "report_id"));
}

static struct queue_stats
stats(struct queue *q)
{
	struct queue_stats s;
	char err[1024] = "";

	if (queue_stats(q, &s, err, sizeof(err)) != 0)
		fail_msg("queue_stats: %s", err);
	return s;
}

/* The counters as expected (-1: not looked at); the stats for more. */
static struct queue_stats
expect(struct queue *q, int64_t reports, int64_t dropped, int64_t stripped,
    int64_t refused)
{
	struct queue_stats s = stats(q);

	if ((reports >= 0 && s.reports != reports) ||
	    (dropped >= 0 && s.dropped_snapshots != dropped) ||
	    (stripped >= 0 && s.stripped != stripped) ||
	    (refused >= 0 && s.refused != refused))
		fail_msg("queue: %lld reports, %lld dropped, %lld stripped, "
		    "%lld refused; expected %lld, %lld, %lld, %lld",
		    (long long)s.reports, (long long)s.dropped_snapshots,
		    (long long)s.stripped, (long long)s.refused,
		    (long long)reports, (long long)dropped,
		    (long long)stripped, (long long)refused);
	return s;
}

static struct queue *
open_q(struct fix *f, const struct queue_limits *lim)
{
	struct queue *q = NULL;
	char err[1024] = "";

	if (queue_open(f->path, lim, &q, err, sizeof(err)) != 0)
		fail_msg("queue_open: %s", err);
	return q;
}

static void
test_put_next_ack(void **state)
{
	struct fix *f = *state;
	struct queue *q = open_q(f, NULL);
	struct queue_batch b;
	struct queue_stats s;
	char err[1024], dg[80];
	struct stat st;
	json_t *j;

	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 077, 0);
	assert_int_equal(queue_last_digest(q, dg, sizeof(dg), err,
	    sizeof(err)), 0);
	assert_string_equal(dg, "");
	assert_int_equal(queue_next_batch(q, "0.1.0", &b, err, sizeof(err)),
	    1);
	put(q, "report-0001", 100, D1, 0);
	put(q, "report-0002", 100, D1, 0);
	put(q, "report-0003", 100, D2, 0);
	assert_int_equal(queue_last_digest(q, dg, sizeof(dg), err,
	    sizeof(err)), 0);
	assert_string_equal(dg, D2);
	assert_int_equal(queue_next_batch(q, "0.1.0", &b, err, sizeof(err)),
	    0);
	assert_int_equal(b.nreports, 3);
	assert_int_equal(b.attempts, 0);
	j = batch_json(&b);
	assert_int_equal(json_integer_value(json_object_get(j, "schema")), 1);
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(j, "agent"), "version")), "0.1.0");
	assert_non_null(json_object_get(json_object_get(j, "queue"),
	    "dropped_snapshots"));
	assert_string_equal(member_id(j, 0), "report-0001");
	assert_string_equal(member_id(j, 2), "report-0003");
	json_decref(j);
	assert_int_equal(queue_ack(q, b.id, err, sizeof(err)), 0);
	queue_batch_free(&b);
	s = stats(q);
	assert_int_equal(s.reports, 0);
	assert_int_equal(s.bytes, 0);
	assert_int_equal(s.oldest, 0);
	assert_int_equal(queue_next_batch(q, "0.1.0", &b, err, sizeof(err)),
	    1);
	/* the digest of the last report outlives its acknowledgement */
	assert_int_equal(queue_last_digest(q, dg, sizeof(dg), err,
	    sizeof(err)), 0);
	assert_string_equal(dg, D2);
	queue_close(q);
}

/* A crash after the batch was formed and before it was acknowledged: the
 * next run sends the very same id and bytes. */
static void
test_same_batch_after_reopen(void **state)
{
	struct fix *f = *state;
	struct queue *q = open_q(f, NULL);
	struct queue_batch b1, b2, b3;
	char err[1024];
	json_t *j;

	put(q, "report-0001", 2000, D1, 0);
	put(q, "report-0002", 2000, D2, 0);
	assert_int_equal(queue_next_batch(q, "0.1.0", &b1, err, sizeof(err)),
	    0);
	assert_int_equal(queue_attempt(q, b1.id, err, sizeof(err)), 0);
	queue_close(q);

	q = open_q(f, NULL);
	/* a report queued after the batch was formed is not part of it */
	put(q, "report-0003", 2000, D3, 0);
	assert_int_equal(queue_next_batch(q, "0.2.0", &b2, err, sizeof(err)),
	    0);
	assert_string_equal(b1.id, b2.id);
	assert_int_equal(b1.len, b2.len);
	assert_memory_equal(b1.body, b2.body, b1.len);
	assert_int_equal(b2.nreports, 2);
	assert_int_equal(b2.attempts, 1);
	assert_int_equal(b1.formed, b2.formed);
	assert_int_equal(queue_ack(q, b2.id, err, sizeof(err)), 0);
	assert_int_equal(queue_next_batch(q, "0.2.0", &b3, err, sizeof(err)),
	    0);
	assert_string_not_equal(b3.id, b1.id);
	assert_int_equal(b3.nreports, 1);
	j = batch_json(&b3);
	assert_string_equal(member_id(j, 0), "report-0003");
	json_decref(j);
	queue_batch_free(&b1);
	queue_batch_free(&b2);
	queue_batch_free(&b3);
	queue_close(q);
}

static void
test_ack_only_that_batch(void **state)
{
	struct fix *f = *state;
	struct queue_limits lim = QUEUE_LIMITS_DEFAULT;
	struct queue *q;
	struct queue_batch b;
	struct queue_stats s;
	char err[1024];
	json_t *j;

	lim.batch_reports = 2;
	q = open_q(f, &lim);
	put(q, "report-0001", 100, D1, 0);
	put(q, "report-0002", 100, D2, 0);
	put(q, "report-0003", 100, D3, 0);
	assert_int_equal(queue_next_batch(q, "0.1.0", &b, err, sizeof(err)),
	    0);
	assert_int_equal(b.nreports, 2);
	/* an unknown or forged id forgets nothing */
	assert_int_equal(queue_ack(q, "00000000-0000-4000-8000-000000000000",
	    err, sizeof(err)), 0);
	assert_int_equal(queue_ack(q, "x' OR 1=1 --", err, sizeof(err)), 0);
	s = stats(q);
	assert_int_equal(s.reports, 3);
	assert_int_equal(queue_ack(q, b.id, err, sizeof(err)), 0);
	/* acknowledged twice (the answer was lost and came again) */
	assert_int_equal(queue_ack(q, b.id, err, sizeof(err)), 0);
	s = stats(q);
	assert_int_equal(s.reports, 1);
	queue_batch_free(&b);
	assert_int_equal(queue_next_batch(q, "0.1.0", &b, err, sizeof(err)),
	    0);
	j = batch_json(&b);
	assert_int_equal(b.nreports, 1);
	assert_string_equal(member_id(j, 0), "report-0003");
	json_decref(j);
	queue_batch_free(&b);
	queue_close(q);
}

/* The reports of the batch formed next, as a JSON array (new ref). */
static json_t *
drain(struct queue *q)
{
	struct queue_batch b;
	char err[1024];
	json_t *all = json_array(), *j;
	int rc;

	while ((rc = queue_next_batch(q, "0.1.0", &b, err, sizeof(err))) ==
	    0) {
		j = batch_json(&b);
		json_array_extend(all, json_object_get(j, "reports"));
		json_decref(j);
		assert_int_equal(queue_ack(q, b.id, err, sizeof(err)), 0);
		queue_batch_free(&b);
	}
	assert_int_equal(rc, 1);
	return all;
}

static json_t *
find(json_t *reports, const char *id)
{
	json_t *r;
	size_t i;

	json_array_foreach(reports, i, r)
		if (strcmp(json_string_value(json_object_get(r, "report_id")),
		    id) == 0)
			return r;
	return NULL;
}

/*
 * Each report takes about 5.9 KB compressed; the bound holds four.
 * A (change) B C (snapshots) D (change) fill it; then:
 *   E (change): B, the oldest snapshot, goes;
 *   F (snapshot): C goes;
 *   G (change): F, the only snapshot left, goes before anything is
 *     stripped;
 *   H (snapshot): no snapshot waits: the facts of A, the oldest change,
 *     are stripped, its findings kept.
 */
static void
test_drop_policy(void **state)
{
	struct fix *f = *state;
	struct queue_limits lim = QUEUE_LIMITS_DEFAULT;
	struct queue *q;
	struct queue_stats s;
	struct queue_batch b;
	char err[1024];
	json_t *all, *r, *j, *qs;

	lim.max_bytes = 4 * 5900 + 1500;
	q = open_q(f, &lim);
	put(q, "report-A", 10000, D1, 0);
	put(q, "report-B", 10000, D1, 0);
	put(q, "report-C", 10000, D1, 0);
	put(q, "report-D", 10000, D2, 0);
	s = expect(q, 4, 0, -1, -1);
	assert_true(s.bytes <= lim.max_bytes);

	put(q, "report-E", 10000, D3, 0);
	expect(q, 4, 1, 0, -1);

	put(q, "report-F", 10000, D3, 0);	/* no change after E */
	expect(q, -1, 2, 0, -1);

	put(q, "report-G", 10000, D4, 0);
	s = expect(q, -1, 3, 0, -1);
	assert_true(s.bytes <= lim.max_bytes);

	put(q, "report-H", 10000, D4, 0);
	s = expect(q, 5, 3, 1, 0);
	assert_true(s.bytes <= lim.max_bytes);

	all = drain(q);
	assert_int_equal(json_array_size(all), 5);
	assert_null(find(all, "report-B"));
	assert_null(find(all, "report-C"));
	assert_null(find(all, "report-F"));
	/* the oldest change lost its facts, kept its findings */
	r = find(all, "report-A");
	assert_non_null(r);
	assert_null(json_object_get(r, "facts"));
	assert_null(json_object_get(r, "unavailable"));
	assert_true(json_is_true(json_object_get(r, "facts_stripped")));
	assert_int_equal(json_array_size(json_object_get(r, "findings")), 1);
	/* the others keep their facts */
	assert_non_null(json_object_get(find(all, "report-D"), "facts"));
	assert_non_null(json_object_get(find(all, "report-H"), "facts"));
	assert_null(json_object_get(find(all, "report-D"), "facts_stripped"));
	/* still in the order they were queued */
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    all, 0), "report_id")), "report-A");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    all, 4), "report_id")), "report-H");
	json_decref(all);

	/* the counters travel with the next batch */
	put(q, "report-N", 100, D3, 0);
	assert_int_equal(queue_next_batch(q, "0.1.0", &b, err, sizeof(err)),
	    0);
	j = batch_json(&b);
	qs = json_object_get(j, "queue");
	assert_int_equal(json_integer_value(json_object_get(qs,
	    "dropped_snapshots")), 3);
	assert_int_equal(json_integer_value(json_object_get(qs, "stripped")),
	    1);
	assert_int_equal(json_integer_value(json_object_get(qs, "refused")),
	    0);
	json_decref(j);
	queue_batch_free(&b);
	queue_close(q);
}

/*
 * A bound of 8000 bytes, a change A of about 6 KB, then reports of about
 * 9.5 KB each: a snapshot cannot fit even with A stripped and is refused
 * (A keeps its facts: nothing is lost for a refusal); a change of the
 * same size is kept beyond the bound.
 */
static void
test_drop_refuse(void **state)
{
	struct fix *f = *state;
	struct queue_limits lim = QUEUE_LIMITS_DEFAULT;
	struct queue *q;
	struct queue_stats s;
	json_t *all;

	lim.max_bytes = 8000;
	q = open_q(f, &lim);
	put(q, "report-A", 10000, D1, 0);
	put(q, "report-B", 16400, D1, QUEUE_EFULL);
	s = expect(q, 1, -1, 0, 1);
	assert_true(s.bytes <= lim.max_bytes);
	put(q, "report-C", 16400, D2, 0);
	s = expect(q, 2, -1, 1, 1);
	assert_true(s.bytes > lim.max_bytes);
	/* the refused report did not become "the last": no change after C */
	put(q, "report-D", 16400, D2, QUEUE_EFULL);
	all = drain(q);
	assert_int_equal(json_array_size(all), 2);
	assert_null(json_object_get(find(all, "report-A"), "facts"));
	assert_non_null(json_object_get(find(all, "report-C"), "facts"));
	json_decref(all);
	queue_close(q);
}

/* Reports in a formed batch are never dropped or stripped. */
static void
test_drop_spares_batch(void **state)
{
	struct fix *f = *state;
	struct queue_limits lim = QUEUE_LIMITS_DEFAULT;
	struct queue *q;
	struct queue_batch b1, b2;
	char err[1024];

	lim.max_bytes = 2 * 5900 + 1000;
	q = open_q(f, &lim);
	put(q, "report-A", 10000, D1, 0);
	put(q, "report-B", 10000, D1, 0);
	assert_int_equal(queue_next_batch(q, "0.1.0", &b1, err, sizeof(err)),
	    0);
	assert_int_equal(b1.nreports, 2);
	/* a snapshot: nothing outside the batch can go */
	put(q, "report-C", 10000, D1, QUEUE_EFULL);
	put(q, "report-D", 10000, D2, 0);
	assert_int_equal(queue_next_batch(q, "0.1.0", &b2, err, sizeof(err)),
	    0);
	assert_string_equal(b1.id, b2.id);
	assert_memory_equal(b1.body, b2.body, b1.len);
	queue_batch_free(&b1);
	queue_batch_free(&b2);
	queue_close(q);
}

static void
test_stats(void **state)
{
	struct fix *f = *state;
	struct queue *q = open_q(f, NULL);
	struct queue_stats s;
	char err[1024], *r;

	r = report("report-0001", 100);
	assert_int_equal(queue_put(q, "report-0001", r, strlen(r), D1, 5000,
	    err, sizeof(err)), 0);
	free(r);
	r = report("report-0002", 100);
	assert_int_equal(queue_put(q, "report-0002", r, strlen(r), D1, 7000,
	    err, sizeof(err)), 0);
	free(r);
	s = stats(q);
	assert_int_equal(s.reports, 2);
	assert_true(s.bytes > 0);
	assert_int_equal(s.oldest, 5000);
	assert_int_equal(s.dropped_snapshots + s.stripped + s.refused, 0);
	queue_close(q);
	/* the counters and the reports survive a reopen */
	q = open_q(f, NULL);
	s = stats(q);
	assert_int_equal(s.reports, 2);
	queue_close(q);
}

static void
test_corrupt(void **state)
{
	struct fix *f = *state;
	struct queue *q = NULL;
	char err[1024] = "", junk[8192];
	int fd;

	memset(junk, 'x', sizeof(junk));
	fd = open(f->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, junk, sizeof(junk)), sizeof(junk));
	close(fd);
	assert_int_equal(queue_open(f->path, NULL, &q, err, sizeof(err)), -1);
	assert_null(q);
	assert_non_null(strstr(err, f->path));
	assert_non_null(strstr(err, "corrupt"));
	assert_non_null(strstr(err, "hỏng"));
}

/* A real queue whose pages were overwritten after the header. */
static void
test_corrupt_pages(void **state)
{
	struct fix *f = *state;
	struct queue *q = open_q(f, NULL);
	char err[1024] = "", junk[4096];
	int i, fd;

	for (i = 0; i < 20; i++) {
		char id[32];

		snprintf(id, sizeof(id), "report-%04d", i);
		put(q, id, 4000, i % 2 ? D1 : D2, 0);
	}
	queue_close(q);
	q = NULL;
	memset(junk, 0xa5, sizeof(junk));
	fd = open(f->path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, junk, sizeof(junk), 4096), sizeof(junk));
	assert_int_equal(pwrite(fd, junk, sizeof(junk), 8192), sizeof(junk));
	close(fd);
	assert_int_equal(queue_open(f->path, NULL, &q, err, sizeof(err)), -1);
	assert_null(q);
	assert_non_null(strstr(err, "corrupt"));
}

static void
test_limits(void **state)
{
	struct fix *f = *state;
	struct queue_limits lim = QUEUE_LIMITS_DEFAULT;
	struct queue *q;
	struct queue_batch b;
	struct queue_stats s;
	char err[1024], *r;
	const char *nojson = "{\"report_id\": \"report-0009\", ";
	const char *other = "{\"report_id\": \"report-0010\"}";
	const char *dup = "{\"report_id\": \"report-0011\", \"report_id\": 1}";
	int n;

	lim.batch_bytes = 64 << 10;
	q = open_q(f, &lim);
	/* too large for one batch */
	r = report("report-0001", 70 << 10);
	assert_int_equal(queue_put(q, "report-0001", r, strlen(r), D1, 1,
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too large"));
	free(r);
	/* ids and digests with their syntax */
	r = report("bad id';--", 10);
	assert_int_equal(queue_put(q, "bad id';--", r, strlen(r), D1, 1, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "invalid report id"));
	free(r);
	r = report("report-0002", 10);
	assert_int_equal(queue_put(q, "report-0002", r, strlen(r), "abc", 1,
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "digest"));
	assert_int_equal(queue_put(q, "report-0002", r, strlen(r),
	    D1 "00", 1, err, sizeof(err)), -1);
	free(r);
	/* not JSON, another report's id, duplicate members */
	assert_int_equal(queue_put(q, "report-0009", nojson, strlen(nojson),
	    D1, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a JSON object"));
	assert_int_equal(queue_put(q, "report-0009", other, strlen(other),
	    D1, 1, err, sizeof(err)), -1);
	assert_int_equal(queue_put(q, "report-0011", dup, strlen(dup),
	    D1, 1, err, sizeof(err)), -1);
	/* the same report twice */
	put(q, "report-0003", 10, D1, 0);
	put(q, "report-0003", 10, D1, -1);
	s = stats(q);
	assert_int_equal(s.reports, 1);
	/* batches bounded by bytes: 20 KB reports, 64 KB a batch */
	for (n = 0; n < 6; n++) {
		char id[32];

		snprintf(id, sizeof(id), "report-1%03d", n);
		put(q, id, 20000, D2, 0);
	}
	n = 0;
	while (queue_next_batch(q, "0.1.0", &b, err, sizeof(err)) == 0) {
		assert_true(b.len <= lim.batch_bytes);
		assert_true(b.nreports >= 1 && b.nreports <= 4);
		n += (int)b.nreports;
		assert_int_equal(queue_ack(q, b.id, err, sizeof(err)), 0);
		queue_batch_free(&b);
	}
	assert_int_equal(n, 7);
	queue_close(q);
}

/* Reports per batch are bounded by count. */
static void
test_batch_count(void **state)
{
	struct fix *f = *state;
	struct queue *q = open_q(f, NULL);	/* 16 a batch */
	struct queue_batch b;
	char err[1024], id[32];
	int i;

	for (i = 0; i < 40; i++) {
		snprintf(id, sizeof(id), "report-%04d", i);
		put(q, id, 10, D1, 0);
	}
	assert_int_equal(queue_next_batch(q, "0.1.0", &b, err, sizeof(err)),
	    0);
	assert_int_equal(b.nreports, 16);
	queue_batch_free(&b);
	queue_close(q);
}

/* A queue path that is a symbolic link (planted by someone who may write
 * the agent's directory) is refused, and its target left alone. */
static void
test_open_symlink(void **state)
{
	struct fix *f = *state;
	struct queue *q = NULL;
	char err[1024] = "", *target;
	struct stat st;

	target = text_printf("%s/target", f->dir);
	assert_int_equal(symlink(target, f->path), 0);
	assert_int_equal(queue_open(f->path, NULL, &q, err, sizeof(err)), -1);
	assert_null(q);
	assert_non_null(strstr(err, f->path));
	assert_non_null(strstr(err, "cannot open the queue"));
	assert_non_null(strstr(err, "không mở được hàng đợi"));
	assert_int_equal(lstat(target, &st), -1);
	free(target);
}

/* An unwritable place gives an error naming the file. */
static void
test_open_error(void **state)
{
	struct fix *f = *state;
	struct queue *q = NULL;
	char err[1024] = "", *p;

	p = text_printf("%s/no/such/dir/queue.db", f->dir);
	assert_int_equal(queue_open(p, NULL, &q, err, sizeof(err)), -1);
	assert_null(q);
	assert_non_null(strstr(err, p));
	assert_non_null(strstr(err, "cannot open the queue"));
	free(p);
}

/* Each test in a fresh directory. */
#define TEST(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_put_next_ack),
		TEST(test_same_batch_after_reopen),
		TEST(test_ack_only_that_batch),
		TEST(test_drop_policy),
		TEST(test_drop_refuse),
		TEST(test_drop_spares_batch),
		TEST(test_stats),
		TEST(test_corrupt),
		TEST(test_corrupt_pages),
		TEST(test_limits),
		TEST(test_batch_count),
		TEST(test_open_error),
		TEST(test_open_symlink),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
