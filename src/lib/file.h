/*
 * file.h — safe file access, always relative to a root directory.
 *
 * Every path the agent reads is resolved inside a root (the running
 * system's "/" or a mounted disk given with --root) with openat2(2)
 * RESOLVE_IN_ROOT, so an absolute symlink on an audited disk cannot lead
 * out of it. Reads are bounded: a file larger than the caller's limit is
 * refused with EFBIG, never read whole. Writes are atomic (temporary file,
 * fsync, rename, fsync of the directory).
 *
 * Functions return 0 on success or a negative errno value.
 */
#ifndef CG_FILE_H
#define CG_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <dirent.h>

/* Size limits used across collectors. */
#define FILE_MAX_SMALL (1u << 20)	/* configuration files: 1 MiB */
#define FILE_MAX_MEDIUM (16u << 20)	/* logs, status files: 16 MiB */
#define FILE_MAX_LARGE (256u << 20)	/* package lists: 256 MiB */

/* Opens dir as a root for the functions below (O_PATH|O_DIRECTORY). */
int file_root_open(const char *dir);

/* openat2(rootfd, path, RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS). flags are
 * open(2) flags; O_CLOEXEC is always added. Returns an fd or -errno. */
int file_open(int rootfd, const char *path, int flags);

/* Reads a whole regular file of at most max bytes into a malloc'd buffer,
 * NUL-terminated (len excludes the NUL). -EFBIG when larger than max,
 * -EINVAL when not a regular file. */
int file_read(int rootfd, const char *path, size_t max, char **buf,
    size_t *len);

/* Same from an absolute or relative path of the running system (no root). */
int file_read_path(const char *path, size_t max, char **buf, size_t *len);

/* Same from an open descriptor (e.g. after checking its fstat): -EINVAL
 * unless a regular file, -EFBIG beyond max. The fd stays open. */
int file_read_fd(int fd, size_t max, char **buf, size_t *len);

/* Maps a regular file read-only, at most max bytes. An empty file gives
 * *map == NULL and *len == 0. Release with file_unmap(). */
int file_map(int rootfd, const char *path, size_t max, const char **map,
    size_t *len);
void file_unmap(const char *map, size_t len);

/* stat inside the root; follow decides whether the last component's
 * symlink is followed. */
int file_stat(int rootfd, const char *path, struct stat *st, bool follow);

/* true when path exists inside the root (any type, symlinks followed). */
bool file_exists(int rootfd, const char *path);

/* Lists the names in a directory inside the root, sorted, without "." and
 * "..". *names is a malloc'd array of malloc'd strings; free with
 * file_list_free(). At most max entries (-E2BIG beyond). */
int file_list(int rootfd, const char *dir, size_t max, char ***names,
    size_t *n);
void file_list_free(char **names, size_t n);

/* Reads a symlink inside the root into buf (NUL-terminated). */
int file_readlink(int rootfd, const char *path, char *buf, size_t size);

/* Writes buf to path atomically with the given mode. */
int file_write_atomic(const char *path, const void *buf, size_t len,
    mode_t mode);

/* Joins two path parts with exactly one slash into a malloc'd string. */
char *file_join(const char *a, const char *b);

#endif
