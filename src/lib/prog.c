/*
 * prog.c — finding and starting the helper programs (prog.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/text.h"
#include "lib/prog.h"

int
prog_path(const char *name, char *buf, size_t size)
{
	char self[PATH_MAX];
	ssize_t n;
	char *slash;
	int k;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			k = snprintf(buf, size, "%s/%s", self, name);
			if (k > 0 && (size_t)k < size &&
			    access(buf, X_OK) == 0)
				return 0;
		}
	}
	k = snprintf(buf, size, "%s/%s", PROG_LIBEXEC, name);
	if (k < 0 || (size_t)k >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (access(buf, X_OK) != 0) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

int
prog_exec(const char *name, char **argv, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int e;

	if (prog_path(name, path, sizeof(path)) != 0) {
		snprintf(err, errlen, "không tìm thấy chương trình %s (cạnh "
		    "chương trình này hoặc trong %s) — cannot find the program "
		    "%s (beside this one or in %s)", name, PROG_LIBEXEC, name,
		    PROG_LIBEXEC);
		return -1;
	}
	execv(path, argv);
	e = errno;
	snprintf(err, errlen, "không chạy được %s: %s — cannot run %s: %s",
	    path, text_strerror_vi(e), path, strerror(e));
	return -1;
}
