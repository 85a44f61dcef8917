/*
 * fault.c — named fault points (fault.h).
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fault.h"

static pthread_once_t fault_once = PTHREAD_ONCE_INIT;
static char fault_name[128];
static long fault_at = 1;
static atomic_long fault_seen;

static void
fault_init(void)
{
	const char *e = getenv("CANHGAC_FAULT");
	const char *at;
	size_t n;

	if (e == NULL || *e == '\0')
		return;
	at = strchr(e, '@');
	n = at != NULL ? (size_t)(at - e) : strlen(e);
	if (n >= sizeof(fault_name))
		return;
	memcpy(fault_name, e, n);
	fault_name[n] = '\0';
	if (at != NULL && (fault_at = strtol(at + 1, NULL, 10)) < 1)
		fault_at = 1;
}

void
fault_point(const char *name)
{
	pthread_once(&fault_once, fault_init);
	if (fault_name[0] == '\0' || strcmp(fault_name, name) != 0)
		return;
	if (atomic_fetch_add(&fault_seen, 1) + 1 == fault_at)
		kill(getpid(), SIGKILL);
}
