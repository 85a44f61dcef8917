/*
 * sqlite.h — how Canh Gác opens its SQLite files (the agent's queue, the
 * server's store) and words their errors, in one place. A file is created
 * private (0600) before SQLite touches it; a connection has extended result
 * codes, foreign keys on, untrusted schema off, defensive mode, every commit
 * synced (synchronous=FULL) and, when writable, WAL. A full disk is told
 * apart from other errors. Library code: no logging; "<vi> — <en>" errors.
 */
#ifndef CG_SQLITE_H
#define CG_SQLITE_H

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

/* Opens path with SQLite's open flags: SQLITE_OPEN_READONLY or
 * SQLITE_OPEN_READWRITE, and any of SQLITE_OPEN_CREATE (the file is made
 * mode 0600, O_NOFOLLOW, when missing), SQLITE_OPEN_NOMUTEX,
 * SQLITE_OPEN_NOFOLLOW. busy_ms bounds the wait for another connection's
 * lock. what_vi/what_en name the file in errors ("hàng đợi", "the queue").
 * Returns SQLITE_OK with *db, or a result code (SQLITE_CANTOPEN when the
 * file cannot be made or opened) with err and *db NULL. */
int sqlite_open(const char *path, int flags, int busy_ms,
    const char *what_vi, const char *what_en, sqlite3 **db, char *err,
    size_t errlen);

/* rc, the result of a call on db (NULL allowed), means the disk or the
 * database's size bound (max_page_count) is full: SQLITE_FULL, or an I/O
 * error with ENOSPC or EDQUOT. */
bool sqlite_full(sqlite3 *db, int rc);

/* err = "<path>: <vi>: <why> — <en>: <why>" for rc, a failed call on db
 * (NULL allowed): disk full, corrupt file, locked too long, read-only, or
 * SQLite's own message. */
void sqlite_error(sqlite3 *db, int rc, const char *path, const char *vi,
    const char *en, char *err, size_t errlen);

#endif
