/*
 * log.c — the logging vocabulary of log.h: stderr with the program name,
 * or syslog (journald) for a daemon. One write per message so that lines
 * of concurrent threads do not interleave. Library layers never call
 * this; programs do.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "lib/log.h"

static const char *log_progname = "canhgac";
static int log_flags = LOG_TO_STDERR;
static int log_level = 0;

void
log_init(const char *progname, int flags, int verbosity)
{
	if (progname != NULL) {
		const char *slash = strrchr(progname, '/');

		log_progname = slash != NULL ? slash + 1 : progname;
	}
	log_flags = flags;
	log_level = verbosity;
	if (log_flags & LOG_TO_SYSLOG)
		openlog(log_progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

int
log_verbosity(void)
{
	return log_level;
}

/* Formats and emits one message; err > 0 appends ": strerror(err)". */
static void __attribute__((format(printf, 3, 0)))
log_emit(int pri, int err, const char *fmt, va_list ap)
{
	char msg[2048];
	int n;

	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		strcpy(msg, "(log: bad format)");
	if (err > 0) {
		size_t used = strlen(msg);

		if (used < sizeof(msg))
			snprintf(msg + used, sizeof(msg) - used, ": %s",
			    strerror(err));
	}
	if (log_flags & LOG_TO_SYSLOG)
		syslog(pri, "%s", msg);
	else
		fprintf(stderr, "%s: %s\n", log_progname, msg);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_level < 2)
		return;
	va_start(ap, fmt);
	log_emit(LOG_DEBUG, 0, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_level < 1)
		return;
	va_start(ap, fmt);
	log_emit(LOG_INFO, 0, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	va_start(ap, fmt);
	log_emit(LOG_WARNING, err, fmt, ap);
	va_end(ap);
	errno = err;
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	va_start(ap, fmt);
	log_emit(LOG_WARNING, 0, fmt, ap);
	va_end(ap);
	errno = err;
}

void
log_fatal(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	va_start(ap, fmt);
	log_emit(LOG_CRIT, err, fmt, ap);
	va_end(ap);
	exit(1);
}

void
log_fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_CRIT, 0, fmt, ap);
	va_end(ap);
	exit(1);
}
