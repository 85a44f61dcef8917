/*
 * worker.c — the finder's worker processes (scan.h). Every file is read
 * in a forked worker with bounded address space and no core dumps, so
 * that a hostile document that crashes, hangs or swells an extractor
 * costs one file, never the scan: the parent kills a worker over the time
 * limit, reports the file ("timeout", "corrupt", "no-memory") and starts
 * another. Parent and worker talk over a SOCK_SEQPACKET pair, one
 * fixed-layout message per request and per result, every one
 * size-checked. docs/secrets-scan.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "lib/text.h"
#include "secrets/scan.h"

#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
#define WORKER_ASAN 1	/* ASan reserves terabytes: no RLIMIT_AS */
#else
#define WORKER_ASAN 0
#endif

#define WORKER_MAGIC 0x43475357u	/* "CGSW" */
#define WORKER_AS_LIMIT (1536ULL << 20)

void (*scan_worker_hook)(const char *path);

struct worker_req {
	uint32_t magic;
	uint32_t ocr;
	uint64_t seq;
	uint64_t dev, ino;
	int64_t size, mtime_sec, mtime_nsec;
	int64_t max_file;
	double seconds;
	char path[PATH_MAX];
};

struct worker_res {
	uint32_t magic;
	uint64_t seq;
	struct scan_outcome o;
};

struct worker {
	pid_t pid;
	int fd;
	bool busy;
	uint64_t seq;
	double started;
};

struct scan_pool {
	struct scan_pool_conf c;
	struct worker w[SCAN_MAX_JOBS];
	unsigned n;
};

static double
worker_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
scan_lower_priority(void)
{
	/* IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0), IOPRIO_WHO_PROCESS */
	if (setpriority(PRIO_PROCESS, 0, 10) != 0) {
		/* already lower, or not allowed: keep what we have */
	}
	syscall(SYS_ioprio_set, 1, 0, 3 << 13);
}

/* --- reading one file ---------------------------------------------------- */

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
worker_errno(struct scan_outcome *o, const char *what, int e)
{
	o->err = e == ENOMEM ? DOC_ERR_NOMEM : DOC_ERR_IO;
	snprintf(o->detail, sizeof(o->detail), "%s: %s", what, strerror(e));
}

static int
worker_open(const char *path)
{
	int flags = O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC;
	int fd;

	/* reading must not change what staff see (atime) where allowed */
	fd = open(path, flags | O_NOATIME);
	if (fd == -1 && errno == EPERM)
		fd = open(path, flags);
	return fd;
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

void
scan_read_file(const char *path, const struct stat *want, bool ocr,
    long long max_file, double seconds, struct scan_outcome *o)
{
	const char *name = strrchr(path, '/');
	unsigned char h[crypto_hash_sha256_BYTES];
	struct stat st;
	void *map = NULL;
	int fd;

	memset(o, 0, sizeof(*o));
	o->ocr = ocr;
	o->limit = seconds;
	name = name != NULL ? name + 1 : path;
	if (scan_worker_hook != NULL)
		scan_worker_hook(path);
	if ((fd = worker_open(path)) == -1) {
		worker_errno(o, "open", errno);
		return;
	}
	if (fstat(fd, &st) != 0) {
		worker_errno(o, "fstat", errno);
		goto out;
	}
	if (!S_ISREG(st.st_mode) || (want != NULL &&
	    (st.st_dev != want->st_dev || st.st_ino != want->st_ino))) {
		/* replaced between the walk and now (a link planted?) */
		o->err = DOC_ERR_IO;
		o->changed = true;
		snprintf(o->detail, sizeof(o->detail), "replaced while the "
		    "scan ran");
		goto out;
	}
	if (want != NULL && (st.st_size != want->st_size ||
	    st.st_mtim.tv_sec != want->st_mtim.tv_sec ||
	    st.st_mtim.tv_nsec != want->st_mtim.tv_nsec))
		o->changed = true;	/* being written: read, not kept */
	if (max_file > 0 && st.st_size > max_file) {
		o->err = DOC_ERR_TOO_LARGE;
		snprintf(o->detail, sizeof(o->detail), "%lld bytes",
		    (long long)st.st_size);
		goto out;
	}
	if (st.st_size == 0) {
		snprintf(o->format, sizeof(o->format), "empty");
		goto out;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		map = NULL;
		worker_errno(o, "mmap", errno);
		goto out;
	}
	worker_extract(map, (size_t)st.st_size, name, ocr, max_file, seconds,
	    o);
	if (o->v.degree != DOC_DEGREE_NONE) {
		crypto_hash_sha256(h, map, (unsigned long long)st.st_size);
		sodium_bin2hex(o->sha256, sizeof(o->sha256), h, sizeof(h));
	}
out:
	if (map != NULL)
		munmap(map, (size_t)st.st_size);
	close(fd);
}

/* --- the worker process ------------------------------------------------- */

static void
worker_limits(void)
{
	struct rlimit rl = {0, 0};

	setrlimit(RLIMIT_CORE, &rl);
	if (!WORKER_ASAN) {
		rl.rlim_cur = rl.rlim_max = WORKER_AS_LIMIT;
		setrlimit(RLIMIT_AS, &rl);
	}
}

static void __attribute__((noreturn))
worker_main(int fd)
{
	struct worker_req q;
	struct worker_res res;
	struct stat st;
	ssize_t n;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGINT, SIG_IGN);	/* the parent ends the scan */
	signal(SIGTERM, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	if (dup2(fd, 3) == -1)
		_exit(1);
	close_range(4, ~0U, 0);
	fd = 3;
	worker_limits();
	for (;;) {
		n = recv(fd, &q, sizeof(q), 0);
		if (n == 0)
			_exit(0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < (ssize_t)offsetof(struct worker_req, path) + 2 ||
		    q.magic != WORKER_MAGIC)
			_exit(1);
		((char *)&q)[n - 1] = '\0';
		memset(&st, 0, sizeof(st));
		st.st_dev = (dev_t)q.dev;
		st.st_ino = (ino_t)q.ino;
		st.st_size = (off_t)q.size;
		st.st_mtim.tv_sec = (time_t)q.mtime_sec;
		st.st_mtim.tv_nsec = (long)q.mtime_nsec;
		memset(&res, 0, sizeof(res));
		res.magic = WORKER_MAGIC;
		res.seq = q.seq;
		scan_read_file(q.path, &st, q.ocr != 0, q.max_file, q.seconds,
		    &res.o);
		if (send(fd, &res, sizeof(res), 0) != (ssize_t)sizeof(res))
			_exit(1);
	}
}

/* --- the parent's side -------------------------------------------------- */

static int
pool_spawn(struct scan_pool *p, struct worker *w)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	fflush(NULL);
	if ((pid = fork()) == -1) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		worker_main(sv[1]);
	}
	close(sv[1]);
	w->pid = pid;
	w->fd = sv[0];
	w->busy = false;
	(void)p;
	return 0;
}

int
scan_pool_start(const struct scan_pool_conf *pc, struct scan_pool **pp,
    char *err, size_t errlen)
{
	struct scan_pool *p;
	unsigned i;

	*pp = NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		snprintf(err, errlen, "không đủ bộ nhớ — out of memory");
		return -1;
	}
	p->c = *pc;
	p->n = pc->jobs == 0 ? 1 : pc->jobs > SCAN_MAX_JOBS ? SCAN_MAX_JOBS :
	    pc->jobs;
	for (i = 0; i < p->n; i++)
		p->w[i].fd = -1;
	for (i = 0; i < p->n; i++)
		if (pool_spawn(p, &p->w[i]) != 0) {
			snprintf(err, errlen, "không tạo được tiến trình đọc "
			    "tệp: %s — cannot start a worker process: %s",
			    strerror(errno), strerror(errno));
			scan_pool_stop(p);
			return -1;
		}
	*pp = p;
	return 0;
}

/* Reaps w after it died or was killed; the reason for its file. */
static void
pool_reap(struct worker *w, bool killed, struct scan_outcome *o)
{
	int status = 0;

	close(w->fd);
	w->fd = -1;
	while (waitpid(w->pid, &status, 0) == -1 && errno == EINTR)
		;
	w->pid = -1;
	if (o == NULL)
		return;
	if (killed) {
		o->err = DOC_ERR_TIMEOUT;
		return;
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
		/* killed by nobody here: the kernel's OOM killer */
		o->err = DOC_ERR_NOMEM;
		snprintf(o->detail, sizeof(o->detail), "worker killed");
	} else if (WIFSIGNALED(status)) {
		o->err = DOC_ERR_CORRUPT;
		snprintf(o->detail, sizeof(o->detail), "worker crashed: %s",
		    strsignal(WTERMSIG(status)));
	} else {
		o->err = DOC_ERR_CORRUPT;
		snprintf(o->detail, sizeof(o->detail), "worker ended (status "
		    "%d)", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
}

/* A worker's message is checked like any input. */
static void
pool_sane(struct scan_outcome *o)
{
	char *f[] = {o->detail, o->v.rule, o->v.marking, o->v.evidence,
	    o->v.part, o->v.encoding, o->format, o->sha256};
	size_t s[] = {sizeof(o->detail), sizeof(o->v.rule),
	    sizeof(o->v.marking), sizeof(o->v.evidence), sizeof(o->v.part),
	    sizeof(o->v.encoding), sizeof(o->format), sizeof(o->sha256)};
	size_t i;
	char *t;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		f[i][s[i] - 1] = '\0';
		if (!text_valid_utf8(f[i], strlen(f[i]))) {
			t = scan_text(f[i], strlen(f[i]));
			snprintf(f[i], s[i], "%s", t);
			free(t);
		}
	}
	if ((unsigned)o->err > DOC_ERR_NOMEM) {
		o->err = DOC_ERR_CORRUPT;
		snprintf(o->detail, sizeof(o->detail), "bad worker answer");
	}
	if ((unsigned)o->v.degree > DOC_DEGREE_TUYET_MAT)
		o->v.degree = DOC_DEGREE_NONE;
	if (o->v.confidence > 100)
		o->v.confidence = 100;
}

static void
pool_finish(struct scan_pool *p, struct worker *w, struct scan_outcome *o)
{
	w->busy = false;
	o->ocr = p->c.ocr;
	if (o->limit <= 0)
		o->limit = p->c.seconds;
	p->c.done(p->c.arg, w->seq, o);
}

/* A worker that died or hung: its file is reported, another starts. */
static void
pool_lost(struct scan_pool *p, struct worker *w, bool killed)
{
	struct scan_outcome o;

	memset(&o, 0, sizeof(o));
	if (killed)
		kill(w->pid, SIGKILL);
	pool_reap(w, killed, &o);
	if (killed)
		snprintf(o.detail, sizeof(o.detail), "%.0f s", p->c.seconds);
	o.limit = p->c.seconds;
	pool_finish(p, w, &o);
	if (pool_spawn(p, w) != 0)
		w->pid = -1;
}

static void
pool_read(struct scan_pool *p, struct worker *w)
{
	struct worker_res res;
	ssize_t n;

	n = recv(w->fd, &res, sizeof(res), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n != (ssize_t)sizeof(res) || res.magic != WORKER_MAGIC ||
	    res.seq != w->seq) {
		pool_lost(p, w, false);
		return;
	}
	pool_sane(&res.o);
	pool_finish(p, w, &res.o);
}

/* Waits up to max seconds for results, killing workers over the limit.
 * Returns the number of busy workers left. */
static unsigned
pool_wait(struct scan_pool *p, double max, volatile sig_atomic_t *stop)
{
	struct pollfd pfd[SCAN_MAX_JOBS];
	struct worker *ws[SCAN_MAX_JOBS];
	double now = worker_now(), wait = max, left;
	unsigned i, n = 0;
	int r;

	for (i = 0; i < p->n; i++) {
		if (!p->w[i].busy)
			continue;
		left = p->w[i].started + p->c.kill_after - now;
		if (left <= 0) {
			pool_lost(p, &p->w[i], true);
			continue;
		}
		if (left < wait)
			wait = left;
		pfd[n].fd = p->w[i].fd;
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		ws[n++] = &p->w[i];
	}
	if (n == 0)
		return 0;
	if (wait > 1.0)
		wait = 1.0;	/* look at the stop flag now and then */
	if (stop != NULL && *stop)
		return n;
	r = poll(pfd, n, (int)(wait * 1000) + 1);
	if (r <= 0)
		return n;
	for (i = 0; i < n; i++) {
		if ((pfd[i].revents & POLLIN) != 0)
			pool_read(p, ws[i]);
		else if ((pfd[i].revents & (POLLHUP | POLLERR | POLLNVAL)) != 0)
			pool_lost(p, ws[i], false);
	}
	n = 0;
	for (i = 0; i < p->n; i++)
		n += p->w[i].busy;
	return n;
}

static struct worker *
pool_idle(struct scan_pool *p)
{
	unsigned i;

	for (i = 0; i < p->n; i++) {
		if (p->w[i].pid == -1 && pool_spawn(p, &p->w[i]) != 0)
			continue;
		if (!p->w[i].busy)
			return &p->w[i];
	}
	return NULL;
}

int
scan_pool_submit(struct scan_pool *p, const struct scan_job *j,
    volatile sig_atomic_t *stop)
{
	struct worker_req q;
	struct worker *w;
	size_t len = strlen(j->path), n;
	struct scan_outcome o;

	while ((w = pool_idle(p)) == NULL) {
		if (stop != NULL && *stop)
			return -1;
		if (pool_wait(p, 1.0, stop) == p->n)
			continue;
	}
	if (stop != NULL && *stop)
		return -1;
	w->seq = j->seq;
	w->busy = true;
	w->started = worker_now();
	if (len >= sizeof(q.path)) {
		memset(&o, 0, sizeof(o));
		o.err = DOC_ERR_IO;
		snprintf(o.detail, sizeof(o.detail), "path too long");
		pool_finish(p, w, &o);
		return 0;
	}
	memset(&q, 0, offsetof(struct worker_req, path));
	q.magic = WORKER_MAGIC;
	q.ocr = p->c.ocr;
	q.seq = j->seq;
	q.dev = (uint64_t)j->st.st_dev;
	q.ino = (uint64_t)j->st.st_ino;
	q.size = (int64_t)j->st.st_size;
	q.mtime_sec = (int64_t)j->st.st_mtim.tv_sec;
	q.mtime_nsec = (int64_t)j->st.st_mtim.tv_nsec;
	q.max_file = p->c.max_file;
	q.seconds = p->c.seconds;
	memcpy(q.path, j->path, len + 1);
	n = offsetof(struct worker_req, path) + len + 1;
	if (send(w->fd, &q, n, MSG_NOSIGNAL) != (ssize_t)n)
		pool_lost(p, w, false);
	return 0;
}

void
scan_pool_wait(struct scan_pool *p, double seconds,
    volatile sig_atomic_t *stop)
{
	double end = worker_now() + seconds, left;

	while ((left = end - worker_now()) > 0 && !(stop != NULL && *stop)) {
		if (pool_wait(p, left, stop) == 0) {
			struct timespec ts;

			if (left > 0.2)
				left = 0.2;
			ts.tv_sec = 0;
			ts.tv_nsec = (long)(left * 1e9);
			nanosleep(&ts, NULL);
		}
	}
}

void
scan_pool_drain(struct scan_pool *p, volatile sig_atomic_t *stop)
{
	while (!(stop != NULL && *stop) && pool_wait(p, 1.0, stop) > 0)
		;
}

void
scan_pool_stop(struct scan_pool *p)
{
	unsigned i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		if (p->w[i].pid > 0)
			kill(p->w[i].pid, SIGKILL);
	for (i = 0; i < p->n; i++)
		if (p->w[i].pid > 0)
			pool_reap(&p->w[i], false, NULL);
	free(p);
}
