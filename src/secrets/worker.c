/*
 * worker.c — a worker process of the classified-document finder: it says
 * it is ready, then reads the files the pool (pool.c) hands it, one at a
 * time, as open descriptors — it never opens a user's file by path — runs
 * the extractors and the detector of doc.h over each, and answers with
 * the outcome (worker.h). The pool has already locked the process down
 * (unprivileged user, no new privileges, bounded memory and descriptors)
 * before this code runs; a parser exploit gets a "nobody" that holds one
 * document. canhgac-docread(8) is this loop as a program, so that the
 * scanner itself (canhgac-agent) links none of the document libraries.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "secrets/worker.h"

void (*scan_worker_hook)(const char *path);

/* The format's name for people: the family from the bytes, refined by a
 * file name extension of that family ("docx" rather than "ooxml"). */
static void
worker_format(enum doc_format f, const char *name, char *out, size_t size)
{
	static const struct {
		enum doc_format f;
		const char *ext;
	} fam[] = {
		{DOC_FMT_OOXML, "docx"}, {DOC_FMT_OOXML, "docm"},
		{DOC_FMT_OOXML, "dotx"}, {DOC_FMT_OOXML, "dotm"},
		{DOC_FMT_OOXML, "xlsx"}, {DOC_FMT_OOXML, "xlsm"},
		{DOC_FMT_OOXML, "pptx"}, {DOC_FMT_OOXML, "ppsx"},
		{DOC_FMT_ODF, "odt"}, {DOC_FMT_ODF, "ods"}, {DOC_FMT_ODF, "odp"},
		{DOC_FMT_OLE2, "doc"}, {DOC_FMT_OLE2, "dot"},
		{DOC_FMT_OLE2, "xls"}, {DOC_FMT_OLE2, "xlt"},
		{DOC_FMT_OLE2, "ppt"}, {DOC_FMT_OLE2, "pps"},
		{DOC_FMT_OLE2, "msg"}, {DOC_FMT_MAIL, "eml"},
		{DOC_FMT_MAIL, "mbox"}, {DOC_FMT_MAIL, "mbx"},
		{DOC_FMT_IMAGE, "png"}, {DOC_FMT_IMAGE, "jpg"},
		{DOC_FMT_IMAGE, "jpeg"}, {DOC_FMT_IMAGE, "tif"},
		{DOC_FMT_IMAGE, "tiff"}, {DOC_FMT_TEXT, "txt"},
		{DOC_FMT_TEXT, "csv"}, {DOC_FMT_ZIP, "zip"},
	};
	const char *dot = strrchr(name, '.');
	size_t i;

	if (dot != NULL)
		for (i = 0; i < sizeof(fam) / sizeof(fam[0]); i++)
			if (fam[i].f == f && strcasecmp(dot + 1, fam[i].ext) ==
			    0) {
				snprintf(out, size, "%s", fam[i].ext);
				for (; *out != '\0'; out++)
					if (*out >= 'A' && *out <= 'Z')
						*out = (char)(*out - 'A' + 'a');
				return;
			}
	if (f == DOC_FMT_MAIL)
		snprintf(out, size, "%s", "mail");
	else if (f == DOC_FMT_TEXT)
		snprintf(out, size, "%s", "txt");
	else
		snprintf(out, size, "%s", doc_format_name(f));
}

static void
worker_extract(const unsigned char *map, size_t len, const char *name,
    bool ocr, long long max_file, double seconds, struct scan_outcome *o)
{
	struct doc_limits lim;
	struct doc_ctx ctx;
	struct doc_detector *d;
	enum doc_err e;

	doc_limits_default(&lim, ocr);
	lim.max_file = (size_t)max_file;
	lim.seconds = seconds;
	if ((d = doc_detector_new()) == NULL) {
		o->err = DOC_ERR_NOMEM;
		snprintf(o->detail, sizeof(o->detail), "detector");
		return;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.lim = &lim;
	ctx.sink = doc_detector_sink(d);
	ctx.ocr = ocr;
	ctx.deadline = doc_now() + seconds;
	ctx.prefix = "";
	worker_format(doc_sniff(map, len, name), name, o->format,
	    sizeof(o->format));
	e = doc_extract(&ctx, map, len, name);
	doc_detector_verdict(d, &o->v);
	doc_detector_free(d);
	o->ocr_used = ctx.ocr_used;
	o->scan_unread = ctx.scan_unread;
	if (e == DOC_OK && ctx.err != DOC_OK && !ctx.stopped)
		e = ctx.err;
	if (o->v.degree == DOC_DEGREE_NONE && e != DOC_OK) {
		o->err = e;
		snprintf(o->detail, sizeof(o->detail), "%s", ctx.detail);
	}
}

/* The worker's side: reads the file open as fd (the parent opened it and
 * checked it), named path. The size is fstat's again: the file may have
 * grown since, and only what is mapped is read. */
static void
worker_read(int fd, const char *path, bool ocr, long long max_file,
    double seconds, struct scan_outcome *o)
{
	const char *name = strrchr(path, '/');
	unsigned char h[crypto_hash_sha256_BYTES];
	struct stat st;
	void *map;

	name = name != NULL ? name + 1 : path;
	if (fstat(fd, &st) != 0) {
		worker_errno(o, "fstat", errno);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		/* cannot happen: the parent sends regular files only */
		o->err = DOC_ERR_IO;
		snprintf(o->detail, sizeof(o->detail), "not a regular file");
		return;
	}
	if (max_file > 0 && st.st_size > max_file) {
		o->err = DOC_ERR_TOO_LARGE;
		snprintf(o->detail, sizeof(o->detail), "%lld bytes",
		    (long long)st.st_size);
		return;
	}
	if (st.st_size == 0) {
		snprintf(o->format, sizeof(o->format), "empty");
		return;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		worker_errno(o, "mmap", errno);
		return;
	}
	worker_extract(map, (size_t)st.st_size, name, ocr, max_file, seconds,
	    o);
	if (o->v.degree != DOC_DEGREE_NONE) {
		crypto_hash_sha256(h, map, (unsigned long long)st.st_size);
		sodium_bin2hex(o->sha256, sizeof(o->sha256), h, sizeof(h));
	}
	munmap(map, (size_t)st.st_size);
}

/* The next request and its descriptor: 0; 1 when the parent closed the
 * channel; -1 when it sent something malformed. */
static int
worker_recv(int fd, struct worker_req *q, int *file)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct iovec iov = {q, sizeof(*q)};
	struct msghdr m;
	struct cmsghdr *c;
	ssize_t n;

	*file = -1;
	for (;;) {
		memset(&m, 0, sizeof(m));
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = u.buf;
		m.msg_controllen = sizeof(u.buf);
		if ((n = recvmsg(fd, &m, MSG_CMSG_CLOEXEC)) >= 0 ||
		    errno != EINTR)
			break;
	}
	if (n == 0)
		return 1;
	c = n > 0 ? CMSG_FIRSTHDR(&m) : NULL;
	if (c != NULL && c->cmsg_level == SOL_SOCKET &&
	    c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(file, CMSG_DATA(c), sizeof(int));
	if (n < (ssize_t)offsetof(struct worker_req, path) + 2 ||
	    q->magic != WORKER_MAGIC || *file == -1 ||
	    (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0) {
		if (*file != -1)
			close(*file);
		return -1;
	}
	((char *)q)[n - 1] = '\0';
	return 0;
}

void
scan_worker_serve(int fd)
{
	struct worker_ready ready;
	struct worker_req q;
	struct worker_res res;
	int file;

	signal(SIGINT, SIG_IGN);	/* the parent ends the scan */
	signal(SIGTERM, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	/* exec made the process dumpable again: other processes of the
	 * worker's user must not ptrace it */
	memset(&ready, 0, sizeof(ready));
	ready.magic = WORKER_MAGIC;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		ready.err = errno;
		snprintf(ready.step, sizeof(ready.step), "PR_SET_DUMPABLE");
	}
	if (send(fd, &ready, sizeof(ready), 0) != (ssize_t)sizeof(ready) ||
	    ready.err != 0)
		_exit(1);
	for (;;) {
		switch (worker_recv(fd, &q, &file)) {
		case 0: break;
		case 1: _exit(0);
		default: _exit(1);
		}
		memset(&res, 0, sizeof(res));
		res.magic = WORKER_MAGIC;
		res.seq = q.seq;
		res.o.ocr = q.ocr != 0;
		res.o.limit = q.seconds;
		if (scan_worker_hook != NULL)
			scan_worker_hook(q.path);
		worker_read(file, q.path, q.ocr != 0, q.max_file, q.seconds,
		    &res.o);
		close(file);
		if (send(fd, &res, sizeof(res), 0) != (ssize_t)sizeof(res))
			_exit(1);
	}
}
