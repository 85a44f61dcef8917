/*
 * ratelimit.c — token buckets per agent (ratelimit.h) in a fixed-size
 * chained hash table under one mutex: the work per call is a hash and a
 * short chain walk, so one lock is enough for a ward's server. Tokens are
 * counted in integer units of 1/3,600,000 of a token so that a refill of
 * N tokens an hour is exactly N units a millisecond.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/ratelimit.h"

#define RL_UNIT 3600000ll		/* units per token: ms per hour */
#define RL_NONE UINT32_MAX

struct rl_entry {
	char key[RATELIMIT_KEY_MAX + 1];
	int64_t units;			/* tokens * RL_UNIT at last_ms */
	int64_t last_ms;
	uint32_t next;			/* chain, or the free list */
};

struct ratelimit {
	pthread_mutex_t lock;
	int64_t cap;			/* burst * RL_UNIT */
	int64_t rate;			/* units per ms: tokens per hour */
	struct rl_entry *entries;
	uint32_t *buckets;
	size_t nbuckets;		/* power of two */
	size_t max, used;
	uint32_t free;
};

static uint32_t
rl_hash(const char *key)
{
	uint32_t h = 2166136261u;

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h;
}

struct ratelimit *
ratelimit_new(int burst, int per_hour, size_t max_entries)
{
	struct ratelimit *rl;
	size_t i;

	if (burst < 1 || per_hour < 1 || max_entries < 1 ||
	    max_entries >= RL_NONE)
		return NULL;
	if ((rl = calloc(1, sizeof(*rl))) == NULL)
		return NULL;
	rl->cap = (int64_t)burst * RL_UNIT;
	rl->rate = per_hour;
	rl->max = max_entries;
	for (rl->nbuckets = 16; rl->nbuckets < max_entries; rl->nbuckets <<= 1)
		;
	rl->entries = calloc(max_entries, sizeof(*rl->entries));
	rl->buckets = malloc(rl->nbuckets * sizeof(*rl->buckets));
	if (rl->entries == NULL || rl->buckets == NULL) {
		free(rl->entries);
		free(rl->buckets);
		free(rl);
		return NULL;
	}
	for (i = 0; i < rl->nbuckets; i++)
		rl->buckets[i] = RL_NONE;
	for (i = 0; i < max_entries; i++)
		rl->entries[i].next = i + 1 < max_entries ? (uint32_t)(i + 1) :
		    RL_NONE;
	rl->free = 0;
	pthread_mutex_init(&rl->lock, NULL);
	return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl->entries);
	free(rl->buckets);
	free(rl);
}

/* The bucket's level at now, refilled and capped. */
static int64_t
rl_level(const struct ratelimit *rl, const struct rl_entry *e, int64_t now)
{
	int64_t elapsed = now - e->last_ms;

	if (elapsed <= 0)
		return e->units;
	if (elapsed >= (rl->cap - e->units) / rl->rate + 1)
		return rl->cap;
	return e->units + elapsed * rl->rate;
}

static void
rl_release(struct ratelimit *rl, uint32_t *link)
{
	uint32_t i = *link;

	*link = rl->entries[i].next;
	rl->entries[i].next = rl->free;
	rl->free = i;
	rl->used--;
}

/* Makes room: drops every entry whose bucket has refilled (it is the same
 * as no entry); when none has, drops the one idle the longest. */
static void
rl_reclaim(struct ratelimit *rl, int64_t now)
{
	uint32_t *link, *oldest = NULL;
	int64_t oldest_ms = INT64_MAX;
	size_t b;

	for (b = 0; b < rl->nbuckets; b++) {
		link = &rl->buckets[b];
		while (*link != RL_NONE) {
			struct rl_entry *e = &rl->entries[*link];

			if (rl_level(rl, e, now) >= rl->cap) {
				rl_release(rl, link);
				continue;
			}
			link = &e->next;
		}
	}
	if (rl->used < rl->max)
		return;
	for (b = 0; b < rl->nbuckets; b++)
		for (link = &rl->buckets[b]; *link != RL_NONE;
		    link = &rl->entries[*link].next)
			if (rl->entries[*link].last_ms < oldest_ms) {
				oldest_ms = rl->entries[*link].last_ms;
				oldest = link;
			}
	if (oldest != NULL)
		rl_release(rl, oldest);
}

bool
ratelimit_take(struct ratelimit *rl, const char *key, int64_t now_ms,
    int *retry_after_s)
{
	char k[RATELIMIT_KEY_MAX + 1];
	struct rl_entry *e = NULL;
	uint32_t i, b;
	int64_t level, wait_ms;
	bool ok;

	snprintf(k, sizeof(k), "%s", key);
	b = rl_hash(k) & (uint32_t)(rl->nbuckets - 1);
	pthread_mutex_lock(&rl->lock);
	for (i = rl->buckets[b]; i != RL_NONE; i = rl->entries[i].next)
		if (strcmp(rl->entries[i].key, k) == 0) {
			e = &rl->entries[i];
			break;
		}
	if (e == NULL) {
		if (rl->free == RL_NONE)
			rl_reclaim(rl, now_ms);
		i = rl->free;
		e = &rl->entries[i];
		rl->free = e->next;
		rl->used++;
		memcpy(e->key, k, sizeof(k));
		e->units = rl->cap;
		e->last_ms = now_ms;
		e->next = rl->buckets[b];
		rl->buckets[b] = i;
	}
	level = rl_level(rl, e, now_ms);
	if (now_ms > e->last_ms)
		e->last_ms = now_ms;
	if (level >= RL_UNIT) {
		e->units = level - RL_UNIT;
		ok = true;
	} else {
		e->units = level;
		wait_ms = (RL_UNIT - level + rl->rate - 1) / rl->rate;
		if (retry_after_s != NULL)
			*retry_after_s = (int)((wait_ms + 999) / 1000) < 1 ? 1 :
			    (int)((wait_ms + 999) / 1000);
		ok = false;
	}
	pthread_mutex_unlock(&rl->lock);
	return ok;
}

size_t
ratelimit_entries(struct ratelimit *rl)
{
	size_t n;

	pthread_mutex_lock(&rl->lock);
	n = rl->used;
	pthread_mutex_unlock(&rl->lock);
	return n;
}
