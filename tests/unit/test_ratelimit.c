/*
 * test_ratelimit.c — unit tests of src/server/ratelimit.c: the burst, the
 * refill, Retry-After, one agent never spending another's tokens, a full
 * table recycling refilled buckets first, a clock going backwards, and
 * threads racing for one bucket. Time is given, never read.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "server/ratelimit.h"

static void
test_burst_and_refill(void **state)
{
	struct ratelimit *rl = ratelimit_new(3, 60, 16);	/* 1 a minute */
	int retry = 0, i;

	(void)state;
	assert_non_null(rl);
	for (i = 0; i < 3; i++)
		assert_true(ratelimit_take(rl, "a", 1000, &retry));
	assert_false(ratelimit_take(rl, "a", 1000, &retry));
	assert_int_equal(retry, 60);
	/* 30 s later: half a token, 30 s more to wait. */
	assert_false(ratelimit_take(rl, "a", 31000, &retry));
	assert_int_equal(retry, 30);
	assert_true(ratelimit_take(rl, "a", 61000, &retry));
	assert_false(ratelimit_take(rl, "a", 61000, &retry));
	/* A long silence refills to the burst, not beyond. */
	for (i = 0; i < 3; i++)
		assert_true(ratelimit_take(rl, "a", 100000000, &retry));
	assert_false(ratelimit_take(rl, "a", 100000000, &retry));
	ratelimit_free(rl);
}

static void
test_agents_apart(void **state)
{
	struct ratelimit *rl = ratelimit_new(1, 1, 16);
	int retry = 0;

	(void)state;
	assert_true(ratelimit_take(rl, "a", 0, &retry));
	assert_false(ratelimit_take(rl, "a", 0, &retry));
	assert_int_equal(retry, 3600);
	assert_true(ratelimit_take(rl, "b", 0, &retry));
	/* A key longer than the bound is cut, not overflowed. */
	assert_true(ratelimit_take(rl, "0123456789012345678901234567890123456"
	    "789012345678901234567890123456789", 0, &retry));
	ratelimit_free(rl);
}

static void
test_clock_backwards(void **state)
{
	struct ratelimit *rl = ratelimit_new(1, 60, 4);
	int retry = 0;

	(void)state;
	assert_true(ratelimit_take(rl, "a", 500000, &retry));
	/* An earlier time gives no tokens and breaks nothing. */
	assert_false(ratelimit_take(rl, "a", 1000, &retry));
	assert_false(ratelimit_take(rl, "a", 500000, &retry));
	assert_true(ratelimit_take(rl, "a", 560000, &retry));
	ratelimit_free(rl);
}

static void
test_table_full(void **state)
{
	struct ratelimit *rl = ratelimit_new(2, 3600, 2);	/* 1 a second */
	char key[16];
	int retry = 0, i;

	(void)state;
	assert_true(ratelimit_take(rl, "a", 0, &retry));
	assert_true(ratelimit_take(rl, "b", 5, &retry));
	assert_int_equal(ratelimit_entries(rl), 2);
	/* Full and nobody refilled: the one idle longest makes room. */
	assert_true(ratelimit_take(rl, "c", 10, &retry));
	assert_int_equal(ratelimit_entries(rl), 2);
	/* a went; b spent a token and is still tracked. */
	assert_true(ratelimit_take(rl, "b", 20, &retry));
	assert_false(ratelimit_take(rl, "b", 20, &retry));
	/* Many agents through a tiny table: never more than its size. */
	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_true(ratelimit_take(rl, key, 100000 + i * 10, &retry));
		assert_true(ratelimit_entries(rl) <= 2);
	}
	ratelimit_free(rl);
}

static void
test_bad_parameters(void **state)
{
	(void)state;
	assert_null(ratelimit_new(0, 60, 16));
	assert_null(ratelimit_new(1, 0, 16));
	assert_null(ratelimit_new(1, 1, 0));
}

struct racer {
	struct ratelimit *rl;
	int allowed;
};

static void *
race(void *arg)
{
	struct racer *r = arg;
	int retry, i;

	for (i = 0; i < 5000; i++)
		if (ratelimit_take(r->rl, "shared", 42, &retry))
			r->allowed++;
	return NULL;
}

static void
test_threads(void **state)
{
	struct racer r[4];
	pthread_t t[4];
	struct ratelimit *rl = ratelimit_new(100, 1, 16);
	int i, total = 0;

	(void)state;
	for (i = 0; i < 4; i++) {
		r[i].rl = rl;
		r[i].allowed = 0;
		assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		total += r[i].allowed;
	}
	/* Exactly the burst, however the threads interleave. */
	assert_int_equal(total, 100);
	ratelimit_free(rl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_and_refill),
		cmocka_unit_test(test_agents_apart),
		cmocka_unit_test(test_clock_backwards),
		cmocka_unit_test(test_table_full),
		cmocka_unit_test(test_bad_parameters),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
