/*
 * sqlite.c — opening Canh Gác's SQLite files and wording their errors
 * (sqlite.h), shared by the agent's queue (src/agent/queue.c) and the
 * server's store (src/server/store_sqlite.c) so that both keep the same
 * durability (WAL, synchronous=FULL), the same hardening (defensive mode,
 * trusted_schema off) and say "disk full" the same way.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "lib/sqlite.h"
#include "lib/text.h"

static void
sqlite_seterr(char *err, size_t errlen, const char *path, const char *vi,
    const char *why_vi, const char *en, const char *why_en)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s: %s: %s — %s: %s", path, vi, why_vi,
		    en, why_en);
}

bool
sqlite_full(sqlite3 *db, int rc)
{
	int sys;

	if ((rc & 0xff) == SQLITE_FULL)
		return true;
	if ((rc & 0xff) != SQLITE_IOERR || db == NULL)
		return false;
	sys = sqlite3_system_errno(db);
	return sys == ENOSPC || sys == EDQUOT;
}

void
sqlite_error(sqlite3 *db, int rc, const char *path, const char *vi,
    const char *en, char *err, size_t errlen)
{
	const char *m = db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	const char *why;
	char vbuf[384], ebuf[384];
	int sys;

	switch (rc & 0xff) {
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		snprintf(vbuf, sizeof(vbuf), "tệp bị hỏng hoặc không phải cơ sở "
		    "dữ liệu SQLite (%s); hãy chuyển tệp sang chỗ khác rồi chạy "
		    "lại", m);
		snprintf(ebuf, sizeof(ebuf), "the file is corrupt or not an "
		    "SQLite database (%s); move the file aside and run again", m);
		sqlite_seterr(err, errlen, path, vi, vbuf, en, ebuf);
		return;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		sqlite_seterr(err, errlen, path, vi, "cơ sở dữ liệu bị khóa quá "
		    "lâu", en, "the database was locked for too long");
		return;
	case SQLITE_READONLY:
		sqlite_seterr(err, errlen, path, vi, "cơ sở dữ liệu chỉ được mở "
		    "để đọc", en, "the database is open read-only");
		return;
	case SQLITE_CANTOPEN:
		/* the system's reason, in both languages, when there is one */
		if ((sys = db != NULL ? sqlite3_system_errno(db) : 0) != 0) {
			why = text_strerror_vi(sys);
			sqlite_seterr(err, errlen, path, vi, why ? why :
			    strerror(sys), en, strerror(sys));
			return;
		}
		break;
	}
	if (sqlite_full(db, rc))
		sqlite_seterr(err, errlen, path, vi, "đĩa đầy", en, "disk full");
	else
		sqlite_seterr(err, errlen, path, vi, m, en, m);
}

/* Creates path mode 0600 when missing: the files hold reports naming
 * accounts and weaknesses, or password hashes. SQLite gives its -wal and
 * -shm files the same mode. */
static int
sqlite_create(const char *path, const char *vi, const char *en, char *err,
    size_t errlen)
{
	const char *why;
	int fd, e;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd == -1) {
		e = errno;
		why = text_strerror_vi(e);
		sqlite_seterr(err, errlen, path, vi, why ? why : strerror(e), en,
		    strerror(e));
		return -1;
	}
	close(fd);
	return 0;
}

int
sqlite_open(const char *path, int flags, int busy_ms, const char *what_vi,
    const char *what_en, sqlite3 **db, char *err, size_t errlen)
{
	char vi[128], en[128];
	int rc;

	*db = NULL;
	snprintf(vi, sizeof(vi), "không mở được %s", what_vi);
	snprintf(en, sizeof(en), "cannot open %s", what_en);
	if (path == NULL || *path == '\0') {
		sqlite_seterr(err, errlen, "", vi, "thiếu đường dẫn", en,
		    "no path given");
		return SQLITE_CANTOPEN;
	}
	if ((flags & SQLITE_OPEN_CREATE) != 0) {
		if (sqlite_create(path, vi, en, err, errlen) == -1)
			return SQLITE_CANTOPEN;
		flags &= ~SQLITE_OPEN_CREATE;
	}
	rc = sqlite3_open_v2(path, db, flags, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	sqlite3_extended_result_codes(*db, 1);
	sqlite3_busy_timeout(*db, busy_ms);
	sqlite3_db_config(*db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	rc = sqlite3_exec(*db, "PRAGMA foreign_keys = ON;"
	    "PRAGMA synchronous = FULL;"
	    "PRAGMA trusted_schema = OFF;", NULL, NULL, NULL);
	/* the first statement that reads the file: a damaged one shows here */
	if (rc == SQLITE_OK && (flags & SQLITE_OPEN_READONLY) == 0)
		rc = sqlite3_exec(*db, "PRAGMA journal_mode = WAL", NULL, NULL,
		    NULL);
	if (rc == SQLITE_OK)
		return SQLITE_OK;
fail:
	sqlite_error(*db, rc, path, vi, en, err, errlen);
	sqlite3_close(*db);
	*db = NULL;
	return rc;
}
