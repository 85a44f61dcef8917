/*
 * log.h — the one logging vocabulary of every Canh Gác program.
 *
 * Messages go to stderr, prefixed with the program name; a daemon calls
 * log_init() with LOG_TO_SYSLOG and they go to syslog (journald) instead.
 * warn and fatal append strerror(errno); warnx and fatalx do not.
 * Library code does not log: it returns a status and fills an error buffer.
 */
#ifndef CG_LOG_H
#define CG_LOG_H

#include <stdarg.h>

#define LOG_TO_STDERR 0x0
#define LOG_TO_SYSLOG 0x1

/* verbosity: 0 warnings only, 1 info, 2 debug */
void log_init(const char *progname, int flags, int verbosity);
int log_verbosity(void);

void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
void log_fatalx(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif
