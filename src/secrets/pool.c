/*
 * pool.c — the finder's worker processes, seen from the scanner (scan.h).
 * Every file is read in a worker with bounded address space and no core
 * dumps, so that a hostile document that crashes, hangs or swells an
 * extractor costs one file, never the scan: the parent kills a worker
 * over the time limit, reports the file ("timeout", "corrupt",
 * "no-memory") and starts another. The parent opens each file (it may be
 * root) and passes the descriptor with the request; the new worker, right
 * after the fork, drops to an unprivileged user when root (secrets-user),
 * locks itself down (no new privileges, few descriptors, no forking) and
 * only then becomes canhgac-docread, the program that holds the document
 * libraries (worker.c): the scanner links none of them and a re-scan
 * that finds nothing new starts no worker at all. docs/secrets-scan.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "lib/text.h"
#include "secrets/worker.h"

#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
#define WORKER_ASAN 1	/* ASan reserves terabytes: no RLIMIT_AS */
#else
#define WORKER_ASAN 0
#endif

#define WORKER_AS_LIMIT (1536ULL << 20)
#define WORKER_NOFILE 64		/* descriptors a worker may hold */
#define WORKER_READY_MS 5000		/* a new worker says it is ready */

void (*scan_open_hook)(const char *path);

struct worker {
	pid_t pid;
	int fd;
	bool busy;
	bool changed;		/* changed since the walk: not kept */
	uint64_t seq;
	double started;
};

struct scan_pool {
	struct scan_pool_conf c;
	struct worker w[SCAN_MAX_JOBS];
	unsigned n;
	bool priv_failed;	/* a worker could not lock itself down */
	char err[160];		/* why the last worker did not start */
	unsigned dead_rounds;	/* waits in a row with no worker alive */
};

/* Waits in a row with every worker dead and none restarting before the
 * scan gives up (instead of waiting for ever). */
#define POOL_DEAD_MAX 3

void
scan_lower_priority(void)
{
	/* IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0), IOPRIO_WHO_PROCESS */
	if (setpriority(PRIO_PROCESS, 0, 10) != 0) {
		/* already lower, or not allowed: keep what we have */
	}
	syscall(SYS_ioprio_set, 1, 0, 3 << 13);
}

/* --- the worker, before it reads ---------------------------------------- */

/* The parent's side: opens path as the walk saw it (want, may be NULL).
 * Returns the descriptor, or -1 with the outcome in o: an error (the open
 * refused: EACCES, ELOOP for a link planted in its place; a file replaced
 * or over max_file), or an empty file with nothing to read. A file whose
 * size or mtime moved is read but marked changed (not kept). */
static int
worker_open(const char *path, const struct stat *want, long long max_file,
    struct scan_outcome *o)
{
	int flags = O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC;
	struct stat st;
	int fd;

	if (scan_open_hook != NULL)
		scan_open_hook(path);
	/* reading must not change what staff see (atime) where allowed */
	fd = open(path, flags | O_NOATIME);
	if (fd == -1 && errno == EPERM)
		fd = open(path, flags);
	if (fd == -1) {
		worker_errno(o, "open", errno);
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		worker_errno(o, "fstat", errno);
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || (want != NULL &&
	    (st.st_dev != want->st_dev || st.st_ino != want->st_ino))) {
		/* replaced between the walk and now (a link planted?) */
		o->err = DOC_ERR_IO;
		o->changed = true;
		snprintf(o->detail, sizeof(o->detail), "replaced while the "
		    "scan ran");
		goto fail;
	}
	if (want != NULL && (st.st_size != want->st_size ||
	    st.st_mtim.tv_sec != want->st_mtim.tv_sec ||
	    st.st_mtim.tv_nsec != want->st_mtim.tv_nsec))
		o->changed = true;	/* being written: read, not kept */
	if (max_file > 0 && st.st_size > max_file) {
		o->err = DOC_ERR_TOO_LARGE;
		snprintf(o->detail, sizeof(o->detail), "%lld bytes",
		    (long long)st.st_size);
		goto fail;
	}
	if (st.st_size == 0) {
		snprintf(o->format, sizeof(o->format), "empty");
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

/* Locks the new worker down, before it reads anything: the user of
 * secrets-user when the parent is root (its groups dropped, the drop
 * checked: setuid(0) must fail), no new privileges, not dumpable (other
 * processes of that user cannot ptrace it), bounded memory and
 * descriptors, no core dumps, no forking once dropped, "/" as its folder.
 * 0, or the errno with the step that failed. */
static int
worker_confine(const struct scan_pool_conf *c, pid_t parent,
    const char **step)
{
	struct rlimit rl = {0, 0};
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	*step = "setgroups";
	if (c->drop && setgroups(0, NULL) != 0)
		return errno;
	*step = "setresgid";
	if (c->drop && setresgid(c->gid, c->gid, c->gid) != 0)
		return errno;
	*step = "setresuid";
	if (c->drop && setresuid(c->uid, c->uid, c->uid) != 0)
		return errno;
	*step = "check the user";
	if (c->drop && (getresuid(&ru, &eu, &su) != 0 ||
	    getresgid(&rg, &eg, &sg) != 0 || ru != c->uid || eu != c->uid ||
	    su != c->uid || rg != c->gid || eg != c->gid || sg != c->gid ||
	    getgroups(0, NULL) != 0 || setuid(0) != -1 || setgid(0) != -1))
		return EPERM;
	*step = "PR_SET_NO_NEW_PRIVS";
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return errno;
	*step = "PR_SET_DUMPABLE";
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return errno;
	/* after the drop: a change of user clears the death signal */
	*step = "PR_SET_PDEATHSIG";
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0)
		return errno;
	if (getppid() != parent)
		_exit(0);	/* the parent is gone already */
	*step = "RLIMIT_CORE";
	if (setrlimit(RLIMIT_CORE, &rl) != 0)
		return errno;
	*step = "RLIMIT_AS";
	rl.rlim_cur = rl.rlim_max = WORKER_AS_LIMIT;
	if (!WORKER_ASAN && setrlimit(RLIMIT_AS, &rl) != 0)
		return errno;
	*step = "RLIMIT_NOFILE";
	rl.rlim_cur = rl.rlim_max = WORKER_NOFILE;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		return errno;
	*step = "RLIMIT_NPROC";
	rl.rlim_cur = rl.rlim_max = 0;
	if (c->drop && setrlimit(RLIMIT_NPROC, &rl) != 0)
		return errno;
	*step = "chdir";
	if (chdir("/") != 0)
		return errno;
	return 0;
}

/* The new worker, right after the fork: its end of the pair becomes
 * WORKER_FD (and stays open across exec), every other descriptor is
 * closed, stdin and stdout are /dev/null (stdout is the command's JSON;
 * stderr stays), the process is locked down, then it becomes
 * canhgac-docread (c->docread) or serves in this copy (c->serve). A step
 * that fails is told to the parent as the worker's first message. */
static void __attribute__((noreturn))
pool_child(const struct scan_pool_conf *c, int fd, pid_t parent)
{
	struct worker_ready ready;
	char *argv[] = {"canhgac-docread", NULL};
	const char *step;
	int null;

	signal(SIGINT, SIG_IGN);	/* the parent ends the scan */
	signal(SIGTERM, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	if (fd != WORKER_FD && dup2(fd, WORKER_FD) == -1)
		_exit(1);
	if (fcntl(WORKER_FD, F_SETFD, 0) == -1)	/* kept across exec */
		_exit(1);
	close_range(WORKER_FD + 1, ~0U, 0);
	if ((null = open("/dev/null", O_RDWR)) != -1) {
		dup2(null, 0);
		dup2(null, 1);
		if (null > WORKER_FD)
			close(null);
	}
	memset(&ready, 0, sizeof(ready));
	ready.magic = WORKER_MAGIC;
	ready.err = worker_confine(c, parent, &step);
	if (ready.err == 0) {
		if (c->docread == NULL)
			c->serve(WORKER_FD);	/* does not return */
		execv(c->docread, argv);
		ready.err = errno;
		step = "exec canhgac-docread";
	}
	snprintf(ready.step, sizeof(ready.step), "%s", step);
	(void)send(WORKER_FD, &ready, sizeof(ready), 0);
	_exit(1);
}

/* --- the parent's side -------------------------------------------------- */

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

/* Waits for a new worker's word that it is locked down: 0, or -1 with
 * p->err (and p->priv_failed when it could not lock itself down). */
static int
pool_ready(struct scan_pool *p, struct worker *w)
{
	struct worker_ready r;
	struct pollfd pfd = {w->fd, POLLIN, 0};
	double end = clk_now() + WORKER_READY_MS / 1000.0, left;
	ssize_t n = -1;
	int k;

	for (;;) {
		left = end - clk_now();
		k = poll(&pfd, 1, left > 0 ? (int)(left * 1000) + 1 : 0);
		if (k >= 0 || errno != EINTR)
			break;
	}
	if (k > 0)
		n = recv(w->fd, &r, sizeof(r), MSG_DONTWAIT);
	if (n != (ssize_t)sizeof(r) || r.magic != WORKER_MAGIC) {
		snprintf(p->err, sizeof(p->err), "no answer");
		return -1;
	}
	if (r.err != 0) {
		r.step[sizeof(r.step) - 1] = '\0';
		p->priv_failed = true;
		snprintf(p->err, sizeof(p->err), "%s: %s", r.step,
		    strerror(r.err));
		return -1;
	}
	return 0;
}

static int
pool_spawn(struct scan_pool *p, struct worker *w)
{
	pid_t pid, parent = getpid();
	int sv[2], e;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
		snprintf(p->err, sizeof(p->err), "socketpair: %s",
		    strerror(errno));
		return -1;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		e = errno;
		close(sv[0]);
		close(sv[1]);
		snprintf(p->err, sizeof(p->err), "fork: %s", strerror(e));
		errno = e;
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		pool_child(&p->c, sv[1], parent);
	}
	close(sv[1]);
	w->pid = pid;
	w->fd = sv[0];
	w->busy = false;
	if (pool_ready(p, w) != 0) {
		kill(pid, SIGKILL);
		pool_reap(w, false, NULL);
		return -1;
	}
	return 0;
}

int
scan_pool_start(const struct scan_pool_conf *pc, struct scan_pool **pp,
    char *err, size_t errlen)
{
	struct scan_pool *p;
	unsigned i;
	int ret;

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
		p->w[i].pid = -1;
	for (i = 0; i < p->n; i++)
		if (pool_spawn(p, &p->w[i]) != 0) {
			if (p->priv_failed)
				snprintf(err, errlen, "tiến trình đọc tệp không "
				    "tự hạ được quyền (%s): không đọc tài liệu "
				    "— a worker process could not drop its "
				    "privileges (%s): not reading documents",
				    p->err, p->err);
			else
				snprintf(err, errlen, "không tạo được tiến "
				    "trình đọc tệp: %s — cannot start a worker "
				    "process: %s", p->err, p->err);
			ret = p->priv_failed ? -2 : -1;
			scan_pool_stop(p);
			return ret;
		}
	*pp = p;
	return 0;
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
	if (w->changed)
		res.o.changed = true;
	pool_finish(p, w, &res.o);
}

/* Waits up to max seconds for results, killing workers over the limit.
 * Returns the number of busy workers left. */
static unsigned
pool_wait(struct scan_pool *p, double max, volatile sig_atomic_t *stop)
{
	struct pollfd pfd[SCAN_MAX_JOBS];
	struct worker *ws[SCAN_MAX_JOBS];
	double now = clk_now(), wait = max, left;
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

/* Workers running now. */
static unsigned
pool_alive(const struct scan_pool *p)
{
	unsigned i, k = 0;

	for (i = 0; i < p->n; i++)
		if (p->w[i].pid != -1)
			k++;
	return k;
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

/* Sends q (n bytes) with the descriptor file to w. */
static int
pool_send(struct worker *w, const struct worker_req *q, size_t n, int file)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct iovec iov = {(void *)q, n};
	struct msghdr m;
	struct cmsghdr *c;
	ssize_t k;

	memset(&u, 0, sizeof(u));
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.buf;
	m.msg_controllen = sizeof(u.buf);
	c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &file, sizeof(int));
	while ((k = sendmsg(w->fd, &m, MSG_NOSIGNAL)) == -1 && errno == EINTR)
		;
	return k == (ssize_t)n ? 0 : -1;
}

int
scan_pool_submit(struct scan_pool *p, const struct scan_job *j,
    volatile sig_atomic_t *stop)
{
	struct worker_req q;
	struct worker *w;
	size_t len = strlen(j->path), n;
	struct scan_outcome o;
	int file, rc;

	while ((w = pool_idle(p)) == NULL) {
		if (stop != NULL && *stop)
			return -1;
		if (pool_alive(p) == 0) {
			/* no worker could be started again: say why and
			 * end the scan as interrupted */
			if (++p->dead_rounds >= POOL_DEAD_MAX) {
				log_warnx("event=secrets.workers.failed msg=%s",
				    p->err[0] != '\0' ? p->err : "-");
				if (stop != NULL)
					*stop = 1;
				return -1;
			}
			sleep(1);
			continue;
		}
		if (pool_wait(p, 1.0, stop) == p->n)
			continue;
	}
	p->dead_rounds = 0;
	if (stop != NULL && *stop)
		return -1;
	w->seq = j->seq;
	w->busy = true;
	memset(&o, 0, sizeof(o));
	if (len >= sizeof(q.path)) {
		o.err = DOC_ERR_IO;
		snprintf(o.detail, sizeof(o.detail), "path too long");
		pool_finish(p, w, &o);
		return 0;
	}
	/* the parent opens (it may be root), the worker only reads */
	if ((file = worker_open(j->path, &j->st, p->c.max_file, &o)) == -1) {
		pool_finish(p, w, &o);
		return 0;
	}
	w->changed = o.changed;
	w->started = clk_now();
	memset(&q, 0, offsetof(struct worker_req, path));
	q.magic = WORKER_MAGIC;
	q.ocr = p->c.ocr;
	q.seq = j->seq;
	q.max_file = p->c.max_file;
	q.seconds = p->c.seconds;
	memcpy(q.path, j->path, len + 1);
	n = offsetof(struct worker_req, path) + len + 1;
	rc = pool_send(w, &q, n, file);
	close(file);
	if (rc != 0)
		pool_lost(p, w, false);
	return 0;
}

void
scan_pool_wait(struct scan_pool *p, double seconds,
    volatile sig_atomic_t *stop)
{
	double end = clk_now() + seconds, left;

	while ((left = end - clk_now()) > 0 && !(stop != NULL && *stop)) {
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
