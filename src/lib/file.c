/*
 * file.c — safe file access inside a root directory (file.h). Paths are
 * resolved with openat2(2) RESOLVE_IN_ROOT so that "..", absolute paths
 * and absolute symlinks of an audited disk stay inside it; kernels
 * without openat2 get a user-space resolver with the same rules. Reads
 * are bounded and never block on FIFOs; writes are atomic.
 */
#define _GNU_SOURCE	/* O_PATH, fstatat flags */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "lib/file.h"
#include "lib/text.h"

#define FILE_MAX_LINKS 40	/* symlinks followed by one resolution */
#define FILE_READ_CHUNK 65536

/* 0: not probed yet, 1: openat2 works, -1: use the fallback. */
static atomic_int file_have_openat2;

static int
file_sys_openat2(int dirfd, const char *path, int flags)
{
#ifdef SYS_openat2
	struct open_how how;
	int fd, tries = 0;

	memset(&how, 0, sizeof(how));
	how.flags = (unsigned long long)(unsigned)flags;
	if (flags & O_CREAT)
		how.mode = 0600;
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
	do {
		/* EAGAIN: a concurrent rename raced the ".." check */
		fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	} while (fd < 0 && errno == EAGAIN && ++tries < 16);
	return fd < 0 ? -errno : fd;
#else
	(void)dirfd;
	(void)path;
	(void)flags;
	return -ENOSYS;
#endif
}

/* Whether openat2 can be used. Old container seccomp profiles answer
 * EPERM rather than ENOSYS, so a probe on the root decides once. */
static bool
file_openat2_works(int rootfd)
{
	int state = atomic_load(&file_have_openat2), fd;

	if (state != 0)
		return state > 0;
	fd = file_sys_openat2(rootfd, ".", O_PATH | O_CLOEXEC);
	if (fd == -ENOSYS || fd == -EPERM) {
		atomic_store(&file_have_openat2, -1);
		return false;
	}
	if (fd >= 0) {
		close(fd);
		atomic_store(&file_have_openat2, 1);
	}
	return true;
}

/* Appends component comp of clen bytes to the path res (of size). */
static int
file_push(char *res, size_t size, const char *comp, size_t clen)
{
	size_t rlen = strlen(res);

	if (rlen + 1 + clen + 1 > size)
		return -ENAMETOOLONG;
	if (rlen > 0)
		res[rlen++] = '/';
	memcpy(res + rlen, comp, clen);
	res[rlen + clen] = '\0';
	return 0;
}

/* Resolves path inside rootfd in user space the way RESOLVE_IN_ROOT
 * does: ".." stops at the root, absolute symlinks restart at the root,
 * at most FILE_MAX_LINKS links. The result, relative to the root and
 * free of symlinks but perhaps the last component, goes to res. */
static int
file_resolve(int rootfd, const char *path, bool follow_last, char *res,
    size_t size)
{
	char pending[PATH_MAX * 2], target[PATH_MAX], cand[PATH_MAX];
	size_t plen = strlen(path);
	const char *p;
	int links = 0, r;

	if (plen >= sizeof(pending))
		return -ENAMETOOLONG;
	memcpy(pending, path, plen + 1);
	res[0] = '\0';
	p = pending;
	for (;;) {
		const char *comp, *slash;
		size_t clen;
		struct stat st;
		ssize_t n;
		bool last;

		while (*p == '/')
			p++;
		if (*p == '\0')
			return 0;
		comp = p;
		slash = strchr(p, '/');
		clen = slash != NULL ? (size_t)(slash - p) : strlen(p);
		p = comp + clen;
		last = true;
		for (const char *q = p; *q != '\0'; q++)
			if (*q != '/') {
				last = false;
				break;
			}
		if (clen == 1 && comp[0] == '.')
			continue;
		if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
			char *up = strrchr(res, '/');

			if (up != NULL)
				*up = '\0';
			else
				res[0] = '\0';
			continue;
		}
		if (strlen(res) >= sizeof(cand))
			return -ENAMETOOLONG;
		strcpy(cand, res);
		if ((r = file_push(cand, sizeof(cand), comp, clen)) < 0)
			return r;
		if (last && !follow_last && *p == '\0') {
			strcpy(res, cand);
			return 0;
		}
		if (fstatat(rootfd, cand, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT && last) {
				strcpy(res, cand);
				return 0;
			}
			return -errno;
		}
		if (!S_ISLNK(st.st_mode)) {
			if (strlen(cand) >= size)
				return -ENAMETOOLONG;
			strcpy(res, cand);
			continue;
		}
		if (++links > FILE_MAX_LINKS)
			return -ELOOP;
		n = readlinkat(rootfd, cand, target, sizeof(target));
		if (n < 0)
			return -errno;
		if ((size_t)n >= sizeof(target))
			return -ENAMETOOLONG;
		target[n] = '\0';
		if (target[0] == '/')
			res[0] = '\0';
		/* the rest of the path follows the link's target */
		{
			size_t rest = strlen(p);

			if ((size_t)n + 1 + rest + 1 > sizeof(pending))
				return -ENAMETOOLONG;
			memmove(pending + n + 1, p, rest + 1);
			memcpy(pending, target, (size_t)n);
			pending[n] = '/';
			p = pending;
		}
	}
}

static int
file_open_fallback(int rootfd, const char *path, int flags)
{
	char res[PATH_MAX];
	size_t len = strlen(path);
	int r, fd;

	if (len > 0 && path[len - 1] == '/')
		flags |= O_DIRECTORY;	/* as the kernel reads "name/" */
	r = file_resolve(rootfd, path, !(flags & O_NOFOLLOW), res,
	    sizeof(res));
	if (r < 0)
		return r;
	fd = openat(rootfd, res[0] != '\0' ? res : ".",
	    flags | O_CLOEXEC | O_NOFOLLOW, 0600);
	return fd < 0 ? -errno : fd;
}

int
file_root_open(const char *dir)
{
	int fd;

	if (dir == NULL || *dir == '\0')
		return -EINVAL;
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int
file_open(int rootfd, const char *path, int flags)
{
	int fd;

	if (path == NULL)
		return -EINVAL;
	if (*path == '\0')
		path = ".";
	if (file_openat2_works(rootfd)) {
		fd = file_sys_openat2(rootfd, path, flags | O_CLOEXEC);
		if (fd != -ENOSYS)
			return fd;
		atomic_store(&file_have_openat2, -1);
	}
	return file_open_fallback(rootfd, path, flags);
}

/* Opens path for reading without blocking on a FIFO or a device, and
 * checks that it is a regular file of at most max bytes. */
static int
file_open_regular(int rootfd, const char *path, size_t max, struct stat *st)
{
	int fd, fl;

	if (rootfd == AT_FDCWD) {
		fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
	} else {
		fd = file_open(rootfd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
		if (fd < 0)
			return fd;
	}
	if (fstat(fd, st) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return -EINVAL;
	}
	if (st->st_size < 0 || (uintmax_t)st->st_size > max) {
		close(fd);
		return -EFBIG;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
}

/* Reads fd to its end, at most max bytes: files that grow while read
 * and procfs files that say size 0 are bounded all the same. */
static int
file_read_loop(int fd, size_t hint, size_t max, char **buf, size_t *len)
{
	size_t cap, used = 0;
	char *b;

	/* room for one byte more than announced: EOF is seen at once */
	cap = hint > 0 ? hint + 2 : 4096;
	if (cap > max + 2)
		cap = max + 2;
	if (cap < 64)
		cap = 64;
	b = malloc(cap);
	if (b == NULL)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (used + 1 >= cap) {
			size_t ncap;
			char *nb;

			if (used > max) {
				free(b);
				return -EFBIG;
			}
			ncap = cap < SIZE_MAX / 2 ? cap * 2 : SIZE_MAX;
			if (ncap > max + 2)
				ncap = max + 2;	/* room to see one byte over */
			if (ncap <= cap) {
				free(b);
				return -EFBIG;
			}
			nb = realloc(b, ncap);
			if (nb == NULL) {
				free(b);
				return -ENOMEM;
			}
			b = nb;
			cap = ncap;
		}
		n = read(fd, b + used, cap - 1 - used);
		if (n < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(b);
			return -e;
		}
		if (n == 0)
			break;
		used += (size_t)n;
		if (used > max) {
			free(b);
			return -EFBIG;
		}
	}
	b[used] = '\0';
	*buf = b;
	*len = used;
	return 0;
}

static int
file_read_at(int rootfd, const char *path, size_t max, char **buf,
    size_t *len)
{
	struct stat st;
	int fd, r;

	if (path == NULL || buf == NULL || len == NULL || max >= SIZE_MAX - 2)
		return -EINVAL;
	*buf = NULL;
	*len = 0;
	fd = file_open_regular(rootfd, path, max, &st);
	if (fd < 0)
		return fd;
	r = file_read_loop(fd, (size_t)st.st_size, max, buf, len);
	close(fd);
	return r;
}

int
file_read(int rootfd, const char *path, size_t max, char **buf, size_t *len)
{
	if (rootfd < 0)
		return -EBADF;
	return file_read_at(rootfd, path, max, buf, len);
}

int
file_read_path(const char *path, size_t max, char **buf, size_t *len)
{
	return file_read_at(AT_FDCWD, path, max, buf, len);
}

int
file_read_fd(int fd, size_t max, char **buf, size_t *len)
{
	struct stat st;

	if (buf == NULL || len == NULL || max >= SIZE_MAX - 2)
		return -EINVAL;
	*buf = NULL;
	*len = 0;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if (st.st_size < 0 || (uintmax_t)st.st_size > max)
		return -EFBIG;
	return file_read_loop(fd, (size_t)st.st_size, max, buf, len);
}

int
file_map(int rootfd, const char *path, size_t max, const char **map,
    size_t *len)
{
	struct stat st;
	void *m;
	int fd;

	if (path == NULL || map == NULL || len == NULL)
		return -EINVAL;
	*map = NULL;
	*len = 0;
	fd = file_open_regular(rootfd, path, max, &st);
	if (fd < 0)
		return fd;
	if (st.st_size == 0) {
		close(fd);
		return 0;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED) {
		int e = errno;

		close(fd);
		return -e;
	}
	close(fd);
	*map = m;
	*len = (size_t)st.st_size;
	return 0;
}

void
file_unmap(const char *map, size_t len)
{
	if (map != NULL && len > 0)
		munmap((void *)(uintptr_t)map, len);
}

/* Splits path into its parent (malloc'd into *parent) and last component
 * (pointer into path, trailing slashes cut into *baselen). */
static void
file_split(const char *path, char **parent, const char **base,
    size_t *baselen)
{
	size_t len = strlen(path), b;

	while (len > 1 && path[len - 1] == '/')
		len--;
	b = len;
	while (b > 0 && path[b - 1] != '/')
		b--;
	*base = path + b;
	*baselen = len - b;
	*parent = text_ndup(path, b);
}

/* Opens the parent directory of path inside the root (O_PATH) and gives
 * the last component, NUL-terminated, in name. */
static int
file_open_parent(int rootfd, const char *path, char *name, size_t size)
{
	const char *base;
	size_t blen;
	char *parent;
	int fd;

	file_split(path, &parent, &base, &blen);
	if (blen == 0 || (blen == 1 && base[0] == '.') ||
	    (blen == 2 && base[0] == '.' && base[1] == '.') ||
	    (blen == 1 && base[0] == '/')) {
		free(parent);
		return -EISDIR;	/* the root, "." or "..": no name */
	}
	if (blen >= size) {
		free(parent);
		return -ENAMETOOLONG;
	}
	memcpy(name, base, blen);
	name[blen] = '\0';
	fd = file_open(rootfd, parent, O_PATH | O_DIRECTORY);
	free(parent);
	return fd;
}

int
file_stat(int rootfd, const char *path, struct stat *st, bool follow)
{
	char name[NAME_MAX + 1];
	int fd, r = 0;

	if (path == NULL || st == NULL)
		return -EINVAL;
	if (path[0] != '\0' && path[strlen(path) - 1] == '/')
		follow = true;	/* "link/" names what the link points to */
	if (!follow) {
		fd = file_open_parent(rootfd, path, name, sizeof(name));
		if (fd >= 0) {
			if (fstatat(fd, name, st, AT_SYMLINK_NOFOLLOW) < 0)
				r = -errno;
			close(fd);
			return r;
		}
		if (fd != -EISDIR)
			return fd;
		/* ".", ".." or the root: a directory, never a link */
	}
	fd = file_open(rootfd, path, O_PATH);
	if (fd < 0)
		return fd;
	if (fstat(fd, st) < 0)
		r = -errno;
	close(fd);
	return r;
}

bool
file_exists(int rootfd, const char *path)
{
	struct stat st;

	return file_stat(rootfd, path, &st, true) == 0;
}

static int
file_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
file_list(int rootfd, const char *dir, size_t max, char ***names, size_t *n)
{
	char **v = NULL;
	size_t cnt = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int fd, r = 0;

	if (dir == NULL || names == NULL || n == NULL)
		return -EINVAL;
	*names = NULL;
	*n = 0;
	fd = file_open(rootfd, dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (d == NULL) {
		r = -errno;
		close(fd);
		return r;
	}
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (de == NULL) {
			r = errno != 0 ? -errno : 0;
			break;
		}
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (cnt >= max) {
			r = -E2BIG;
			break;
		}
		if (cnt == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			char **nv = realloc(v, ncap * sizeof(*v));

			if (nv == NULL) {
				r = -ENOMEM;
				break;
			}
			v = nv;
			cap = ncap;
		}
		v[cnt++] = text_dup(de->d_name);
	}
	closedir(d);
	if (r < 0) {
		file_list_free(v, cnt);
		return r;
	}
	if (cnt > 1)
		qsort(v, cnt, sizeof(*v), file_cmp);
	*names = v;
	*n = cnt;
	return 0;
}

void
file_list_free(char **names, size_t n)
{
	size_t i;

	if (names == NULL)
		return;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int
file_readlink(int rootfd, const char *path, char *buf, size_t size)
{
	char name[NAME_MAX + 1];
	ssize_t n;
	int fd;

	if (path == NULL || buf == NULL || size == 0)
		return -EINVAL;
	buf[0] = '\0';
	fd = file_open_parent(rootfd, path, name, sizeof(name));
	if (fd < 0)
		return fd == -EISDIR ? -EINVAL : fd;
	n = readlinkat(fd, name, buf, size);
	if (n < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	close(fd);
	if ((size_t)n >= size) {
		buf[0] = '\0';
		return -ENAMETOOLONG;
	}
	buf[n] = '\0';
	return 0;
}

/* Fills suffix with 6 random characters for a temporary name. */
static void
file_random_suffix(char *suffix)
{
	static const char set[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char rnd[6];
	size_t i;

	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(rnd)) {
		struct timespec ts;
		unsigned long long x;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		x = (unsigned long long)ts.tv_nsec ^
		    ((unsigned long long)getpid() << 20) ^
		    (unsigned long long)(uintptr_t)&ts;
		for (i = 0; i < sizeof(rnd); i++, x >>= 7)
			rnd[i] = (unsigned char)x;
	}
	for (i = 0; i < sizeof(rnd); i++)
		suffix[i] = set[rnd[i] % (sizeof(set) - 1)];
	suffix[sizeof(rnd)] = '\0';
}

static int
file_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
file_write_atomic(const char *path, const void *buf, size_t len, mode_t mode)
{
	const char *base;
	char *dir, *tmp = NULL, suffix[8];
	size_t blen;
	int fd = -1, dfd, r = 0, tries;

	if (path == NULL || (buf == NULL && len > 0))
		return -EINVAL;
	file_split(path, &dir, &base, &blen);
	if (blen == 0 || base[0] == '/') {
		free(dir);
		return -EISDIR;
	}
	for (tries = 0; tries < 100; tries++) {
		file_random_suffix(suffix);
		free(tmp);
		tmp = text_printf("%s.%.*s.%s.tmp", dir, (int)blen, base,
		    suffix);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, mode & 07777);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	if (fchmod(fd, mode & 07777) < 0 ||
	    (r = file_write_all(fd, buf, len)) < 0 || fsync(fd) < 0) {
		r = r < 0 ? r : -errno;
		close(fd);
		goto fail;
	}
	if (close(fd) < 0) {
		r = -errno;
		goto fail;
	}
	if (rename(tmp, path) < 0) {
		r = -errno;
		goto fail;
	}
	dfd = open(dir[0] != '\0' ? dir : ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC);
	if (dfd >= 0) {
		/* the rename is done; a failed directory sync is reported */
		r = fsync(dfd) < 0 && errno != EINVAL ? -errno : 0;
		close(dfd);
	} else
		r = -errno;
	goto out;
fail:
	unlink(tmp);
out:
	free(tmp);
	free(dir);
	return r;
}

char *
file_join(const char *a, const char *b)
{
	size_t alen = strlen(a);

	while (alen > 0 && a[alen - 1] == '/')
		alen--;
	while (*b == '/')
		b++;
	return text_printf("%.*s/%s", (int)alen, a, b);
}
