/*
 * prog.h — finding and starting Canh Gác's helper programs. A program that
 * needs another (canhgac-agent → canhgac-agentd, the scanner →
 * canhgac-docread) looks for it beside its own executable first (the
 * build tree, or an installation that keeps them together), then in
 * PROG_LIBEXEC. Keeping the heavy libraries in the helpers keeps the
 * programs that run often (an audit) small.
 */
#ifndef CG_LIB_PROG_H
#define CG_LIB_PROG_H

#include <stddef.h>

#ifndef PROG_LIBEXEC
#define PROG_LIBEXEC "/usr/libexec/canhgac"
#endif

/* The path of the helper program name into buf: 0, or -1 with errno
 * (ENOENT: found nowhere). */
int prog_path(const char *name, char *buf, size_t size);

/* Replaces this process with the helper name, argv kept as given (argv[0]
 * too: ps and the logs show the command the operator typed). Returns only
 * on failure, -1 with err ("<vi> — <en>"). */
int prog_exec(const char *name, char **argv, char *err, size_t errlen);

#endif
