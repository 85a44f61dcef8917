/*
 * ratelimit.h — a token bucket per agent for the batch upload: each agent
 * may send a burst of batches at once, then so many per hour. The buckets
 * live in a bounded hash table shared by the server's threads; an agent
 * whose bucket has refilled needs no entry, so when the table is full the
 * refilled entries are recycled first.
 */
#ifndef CG_RATELIMIT_H
#define CG_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RATELIMIT_KEY_MAX 64		/* agent ids are 32 hex */
#define RATELIMIT_DEFAULT_ENTRIES 65536

struct ratelimit;

/* burst >= 1 tokens, refilled at per_hour tokens an hour (>= 1); at most
 * max_entries agents tracked at once. NULL on allocation failure. */
struct ratelimit *ratelimit_new(int burst, int per_hour, size_t max_entries);
void ratelimit_free(struct ratelimit *rl);

/* Takes one token of key's bucket at now_ms (a monotonic clock in
 * milliseconds, given by the caller so that tests need no clock). true
 * when allowed; false with *retry_after_s (>= 1) the seconds until the
 * next token. Keys longer than RATELIMIT_KEY_MAX are cut. */
bool ratelimit_take(struct ratelimit *rl, const char *key, int64_t now_ms,
    int *retry_after_s);

/* Agents tracked now (for tests and /metrics). */
size_t ratelimit_entries(struct ratelimit *rl);

#endif
