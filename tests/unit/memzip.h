/*
 * memzip.h — a zip archive made in memory for the extractor tests
 * (test_extract_{zip,odf,ooxml,mail}.c), with libzip: entries in the
 * order given, names in UTF-8, deflated (an entry named "mimetype"
 * stored, as ODF wants), folders, and AES-256 encryption on request.
 */
#ifndef CG_MEMZIP_H
#define CG_MEMZIP_H

#include <stdbool.h>
#include <stddef.h>

struct memzip_entry {
	const char *name;
	const void *data;	/* NULL: a folder */
	size_t len;		/* 0: strlen(data) */
	bool encrypt;		/* AES-256, password "mật khẩu" */
};

/* The archive (malloc'd) and its length; a failure fails the test. */
unsigned char *memzip(const struct memzip_entry *e, size_t n,
    size_t *outlen);

#endif
