/*
 * run.c — canhgac-agent run and status (run.h).
 *
 * The loop: audit now and then every `interval` (±10 % jitter), put each
 * report in the queue (queue.h) before anything else, upload what waits
 * in batches (upload.h). A failure backs off exponentially with full
 * jitter between retry-min and retry-max, or as long as the server's
 * Retry-After says; 401/403 stops uploading until the operator acts. A
 * batch is forgotten only after the server acknowledged it. SIGTERM and
 * SIGINT end the loop after the step in progress. The log lines named
 * event=… are logfmt and read by the tests (docs/agent-queue.md).
 *
 * On the running system (no --root), the search for classified documents
 * (directive point 6; docs/secrets-scan.md) runs every secrets-interval
 * before the audit that is due, in a child process at low priority so
 * that a crash or a hang cannot take the agent down; uploads go on
 * meanwhile and the audit that follows carries its results (the
 * documents facts).
 */
#define _GNU_SOURCE	/* ppoll */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "agent/enroll.h"
#include "agent/queue.h"
#include "agent/run.h"
#include "agent/run_conf.h"
#include "agent/upload.h"
#include "lib/clock.h"
#include "lib/conf.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/text.h"
#include "secrets/scan.h"

#define RUN_DEFAULT_CONFIG "/etc/canhgac/agent.conf"
#define RUN_DAY_MS (86400LL * 1000)
#define RUN_NEVER INT64_MAX

struct run {
	const struct run_opts *o;
	struct run_conf rc;
	struct audit_setup setup;
	struct enrolment e;
	struct upload_conf uc;
	struct queue *q;
	int fails;			/* consecutive failed uploads */
	int64_t next_audit, next_upload;	/* monotonic ms */
	bool denied;
	int64_t denied_until;	/* while denied, the server is asked again
				 * only after this (a day), or at once when
				 * agent.json shows a new enrolment */
	bool refused;			/* --once: the report was not kept */
	pid_t scan_pid;			/* the scan running, or 0 */
	long long next_scan;		/* UTC seconds; 0: never */
};

static volatile sig_atomic_t run_stop_sig;

static void
run_on_signal(int sig)
{
	run_stop_sig = sig;
}

/* SIGTERM and SIGINT are blocked outside the sleeps: a pending one counts
 * as a request to stop after the current step. */
static bool
run_stopping(void)
{
	sigset_t p;

	if (run_stop_sig != 0)
		return true;
	if (sigpending(&p) != 0)
		return false;
	if (sigismember(&p, SIGTERM))
		run_stop_sig = SIGTERM;
	else if (sigismember(&p, SIGINT))
		run_stop_sig = SIGINT;
	return run_stop_sig != 0;
}

/* --- the scheduled search for classified documents ----------------------- */

static volatile sig_atomic_t run_scan_stop;

static void
run_scan_on_signal(int sig)
{
	run_scan_stop = sig;
}

static const char *
run_scan_cache(const struct run *r, char *buf, size_t size)
{
	if (r->rc.secrets.cache != NULL)
		return r->rc.secrets.cache;
	return scan_cache_default(buf, size);
}

/* When the next scan is due: a secrets-interval after the last one kept
 * in the cache (an agent restart does not scan again), or now. */
static void
run_scan_plan(struct run *r)
{
	char buf[4096], err[2048], *end;
	json_t *last = NULL;
	struct tm tm;
	long long at = 0;

	r->next_scan = 0;
	if (r->rc.secrets.interval <= 0 || r->o->audit.root != NULL)
		return;		/* off, or auditing a disk */
	if (scan_cache_load_last(run_scan_cache(r, buf, sizeof(buf)), &last,
	    err, sizeof(err)) == 0) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(json_str(last, "scanned_at", ""),
		    "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (end != NULL && *end == '\0' && json_bool(last,
		    "complete", false))
			at = (long long)timegm(&tm);
	}
	json_decref(last);
	r->next_scan = at > 0 ? at + r->rc.secrets.interval : 1;
}

static bool
run_scan_due(const struct run *r)
{
	return r->next_scan > 0 && (long long)time(NULL) >= r->next_scan;
}

/* The scan, in the child: the roots that exist, at low priority. */
static void __attribute__((noreturn))
run_scan_child(struct run *r)
{
	const struct secrets_conf *sc = &r->rc.secrets;
	struct scan_opts so;
	struct scan_result res;
	struct sigaction sa;
	sigset_t none;
	const char **roots;
	char buf[4096], err[2048];
	size_t i, n = 0;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = run_scan_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if ((roots = calloc(sc->npaths + 1, sizeof(*roots))) == NULL)
		_exit(2);
	for (i = 0; i < sc->npaths; i++)
		if (access(sc->paths[i], F_OK) == 0)
			roots[n++] = sc->paths[i];
	memset(&so, 0, sizeof(so));
	so.roots = roots;
	so.nroots = n;
	so.excludes = sc->excludes;
	so.nexcludes = sc->nexcludes;
	so.ocr = sc->ocr;
	so.max_rate = sc->max_rate;
	so.jobs = 1;
	so.cache = run_scan_cache(r, buf, sizeof(buf));
	so.user = sc->user;	/* the workers' user: the agent is root */
	so.stop = &run_scan_stop;
	if (n == 0) {
		log_info("event=secrets.skipped reason=\"no folder to scan\"");
		_exit(0);
	}
	rc = scan_run(&so, &res, err, sizeof(err));
	if (rc != 0) {
		log_warnx("event=secrets.failed %s", err);
		_exit(2);
	}
	log_info("event=secrets.done found=%zu unreadable=%zu "
	    "scanned_only=%zu files=%lld read=%lld cached=%lld seconds=%.1f "
	    "complete=%d", scan_count(&res, SCAN_FOUND), scan_count(&res,
	    SCAN_UNREADABLE), scan_count(&res, SCAN_SCANNED_ONLY),
	    res.stats.files, res.stats.read, res.stats.cached,
	    res.stats.seconds, res.complete);
	scan_result_free(&res);
	free(roots);
	_exit(0);
}

static void
run_scan_start(struct run *r)
{
	pid_t pid;

	fflush(NULL);
	if ((pid = fork()) == -1) {
		log_warn("event=secrets.failed fork");
		r->next_scan = (long long)time(NULL) + 3600;
		return;
	}
	if (pid == 0)
		run_scan_child(r);
	log_info("event=secrets.start pid=%ld", (long)pid);
	r->scan_pid = pid;
}

/* true once the scan child ended (or none runs); wait: block for it. */
static bool
run_scan_reap(struct run *r, bool wait)
{
	int status;
	pid_t p;

	if (r->scan_pid <= 0)
		return true;
	p = waitpid(r->scan_pid, &status, wait ? 0 : WNOHANG);
	if (p == 0 || (p == -1 && errno == EINTR))
		return false;
	if (p > 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		log_warnx("event=secrets.failed status=%d signal=%d",
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	r->scan_pid = 0;
	r->next_scan = (long long)time(NULL) + r->rc.secrets.interval;
	return true;
}

/* Ends a scan in progress (agent stopping): it saves what it read. */
static void
run_scan_end(struct run *r)
{
	if (r->scan_pid <= 0)
		return;
	kill(r->scan_pid, SIGTERM);
	run_scan_reap(r, true);
}

static int
run_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* SHA-256 (hex) over the sorted "check=status" lines of the findings. */
static void
run_digest(json_t *doc, char out[65])
{
	json_t *findings = json_object_get(doc, "findings"), *f;
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	size_t n = json_array_size(findings), i;
	char **pairs = calloc(n + 1, sizeof(*pairs));

	if (pairs == NULL)
		log_fatal("calloc");
	json_array_foreach(findings, i, f)
		pairs[i] = text_printf("%s=%s", json_str(f, "check", ""),
		    json_str(f, "status", ""));
	qsort(pairs, n, sizeof(*pairs), run_cmp);
	crypto_hash_sha256_init(&st);
	for (i = 0; i < n; i++) {
		crypto_hash_sha256_update(&st, (unsigned char *)pairs[i],
		    strlen(pairs[i]));
		crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
		free(pairs[i]);
	}
	free(pairs);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* A message made safe for a logfmt value in double quotes. */
static void
run_quote(char *dst, size_t size, const char *s)
{
	size_t i;

	snprintf(dst, size, "%s", s);
	for (i = 0; dst[i] != '\0'; i++)
		if (dst[i] == '"' || dst[i] == '\\')
			dst[i] = '\'';
		else if ((unsigned char)dst[i] < 0x20)
			dst[i] = ' ';
}

/* One audit, its report in the queue. 0, 1 when not queued (logged), -1
 * on an error that --once reports as a usage or configuration error. */
static int
run_audit(struct run *r)
{
	char err[2048], id[37], digest[65], last[80];
	const char *host;
	json_t *doc;
	char *text;
	int rc;

	doc = audit_run(&r->o->audit, &r->setup, err, sizeof(err));
	if (doc == NULL) {
		log_warnx("event=audit.failed %s", err);
		return -1;
	}
	host = json_str(json_object_get(doc, "host"), "id", "");
	if (strcmp(host, r->e.host_id) != 0) {
		log_warnx("event=audit.failed mã máy của báo cáo (%s) khác mã "
		    "đã đăng ký (%s): --root hoặc máy đã đổi; hãy đăng ký lại "
		    "— the report's host id (%s) is not the enrolled one (%s): "
		    "--root, or the machine changed; enrol again", host,
		    r->e.host_id, host, r->e.host_id);
		json_decref(doc);
		return -1;
	}
	queue_uuid(id);
	json_object_set_new(doc, "report_id", json_string(id));
	run_digest(doc, digest);
	text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (text == NULL)
		log_fatalx("json_dumps");
	if (queue_last_digest(r->q, last, sizeof(last), err,
	    sizeof(err)) != 0) {
		free(text);
		log_warnx("event=queue.error %s", err);
		return 1;
	}
	rc = queue_put(r->q, id, text, strlen(text), digest,
	    (int64_t)time(NULL), err, sizeof(err));
	free(text);
	if (rc == QUEUE_EFULL) {
		log_warnx("event=report.refused report=%s %s", id, err);
		return 1;
	}
	if (rc != 0) {
		log_warnx("event=queue.error report=%s %s", id, err);
		return 1;
	}
	log_info("event=report.queued report=%s changed=%d", id,
	    strcmp(last, digest) != 0);
	return 0;
}

/* Back-off after the n-th consecutive failure (n from 1): uniform in
 * [retry-min, min(retry-max, retry-min * 2^(n-1))]. */
static long long
run_backoff(const struct run *r, long long retry_after)
{
	long long cap = r->rc.retry_min, span;
	int i;

	if (retry_after >= 0)
		return retry_after > 100 ? retry_after : 100;
	for (i = 1; i < r->fails && cap < r->rc.retry_max; i++)
		cap *= 2;
	if (cap > r->rc.retry_max)
		cap = r->rc.retry_max;
	span = cap - r->rc.retry_min;
	if (span <= 0)
		return r->rc.retry_min;
	if (span > UINT32_MAX - 1)
		span = UINT32_MAX - 1;
	return r->rc.retry_min + randombytes_uniform((uint32_t)span + 1);
}

enum { RUN_UP_DONE, RUN_UP_LATER, RUN_UP_DENIED, RUN_UP_STOP };

/* Uploads what waits, batch after batch. */
static int
run_upload(struct run *r)
{
	struct queue_batch b;
	struct upload_answer a;
	enum upload_outcome out;
	char err[2048], status[16], msg[2048];
	long stored;
	long long wait;
	int rc;

	for (;;) {
		if (run_stopping())
			return RUN_UP_STOP;
		rc = queue_next_batch(r->q, AGENT_VERSION, &b, err,
		    sizeof(err));
		if (rc == 1)
			return RUN_UP_DONE;
		if (rc < 0) {
			r->fails++;
			wait = run_backoff(r, -1);
			log_warnx("event=queue.error retry_in=%lld %s", wait,
			    err);
			r->next_upload = clk_now_ms() + wait;
			return RUN_UP_LATER;
		}
		out = upload_batch(&r->uc, &b, &a, status, sizeof(status),
		    &stored, err, sizeof(err));
		run_quote(msg, sizeof(msg), err);
		switch (out) {
		case UPLOAD_ACKED:
			if (queue_ack(r->q, b.id, err, sizeof(err)) != 0) {
				/* sent again later: the server answers
				 * "duplicate" */
				log_warnx("event=queue.error batch=%s %s",
				    b.id, err);
				r->fails++;
				r->next_upload = clk_now_ms() +
				    run_backoff(r, -1);
				rc = RUN_UP_LATER;
				break;
			}
			log_info("event=batch.acknowledged batch=%s reports=%zu "
			    "status=%s stored=%ld attempts=%d", b.id,
			    b.nreports, status, stored, b.attempts + 1);
			r->fails = 0;
			rc = -1;
			break;
		case UPLOAD_REJECTED:
			/* Never accepted as it is: kept, it would stop every
			 * later report. */
			log_warnx("event=batch.rejected batch=%s reports=%zu "
			    "http=%ld code=%s msg=\"%s\"", b.id, b.nreports,
			    a.http, a.code, msg);
			if (queue_ack(r->q, b.id, err, sizeof(err)) != 0)
				log_warnx("event=queue.error batch=%s %s",
				    b.id, err);
			rc = -1;
			break;
		case UPLOAD_DENIED:
			queue_attempt(r->q, b.id, err, sizeof(err));
			log_warnx("event=upload.denied batch=%s http=%ld "
			    "code=%s msg=\"%s\" — máy chủ từ chối agent này "
			    "(bị thu hồi?); ngừng gửi cho đến khi quản trị "
			    "viên xử lý (đăng ký lại: canhgac-agent enroll "
			    "--force) — the server refuses this agent "
			    "(revoked?); uploading stops until the operator "
			    "acts (enrol again: canhgac-agent enroll --force)",
			    b.id, a.http, a.code, msg);
			r->denied = true;
			r->denied_until = clk_now_ms() + RUN_DAY_MS;
			r->next_upload = clk_now_ms() + r->rc.retry_max;
			rc = RUN_UP_DENIED;
			break;
		case UPLOAD_RETRY:
		default:
			queue_attempt(r->q, b.id, err, sizeof(err));
			r->fails++;
			wait = run_backoff(r, (a.http == 429 ||
			    a.http == 503) ? a.retry_after_ms : -1);
			log_warnx("event=upload.failed batch=%s http=%ld "
			    "code=%s retry_in=%lld attempts=%d msg=\"%s\"",
			    b.id, a.http, a.code[0] ? a.code : "-", wait,
			    b.attempts + 1, msg);
			r->next_upload = clk_now_ms() + wait;
			rc = RUN_UP_LATER;
			break;
		}
		upload_answer_free(&a);
		queue_batch_free(&b);
		if (rc >= 0)
			return rc;
	}
}

/* Sleeps until the monotonic time t, or a signal. */
static void
run_sleep_until(int64_t t, const sigset_t *open)
{
	int64_t d = t - clk_now_ms();
	struct timespec ts;

	if (d <= 0)
		return;
	if (d > RUN_DAY_MS)
		d = RUN_DAY_MS;
	ts.tv_sec = d / 1000;
	ts.tv_nsec = (d % 1000) * 1000000;
	ppoll(NULL, 0, &ts, open);
}

static int64_t
run_jitter(long long interval)
{
	long long j = interval / 5;

	if (j <= 0 || j > UINT32_MAX - 1)
		return interval;
	return interval - interval / 10 + randombytes_uniform((uint32_t)j + 1);
}

static void
run_upload_conf(struct run *r)
{
	memset(&r->uc, 0, sizeof(r->uc));
	r->uc.server = r->e.server;
	r->uc.ca_file = r->e.ca_file;
	r->uc.cert_file = r->e.cert_file;
	r->uc.key_file = r->e.key_file;
	r->uc.timeout_ms = (long)r->rc.upload_timeout;
	r->uc.connect_timeout_ms = r->rc.upload_timeout < 10000 ?
	    (long)r->rc.upload_timeout : 10000;
}

/* A new enrolment (enroll --force) lifts a denial. */
static void
run_reload_enrolment(struct run *r, const char *dir)
{
	struct enrolment e;
	char err[2048];

	if (enroll_load(dir, &e, err, sizeof(err)) != 0)
		return;
	if (strcmp(e.agent_id, r->e.agent_id) == 0) {
		enroll_free(&e);
		return;
	}
	log_info("event=enrolment.changed agent=%s", e.agent_id);
	enroll_free(&r->e);
	r->e = e;
	run_upload_conf(r);
	r->denied = false;
	r->fails = 0;
}

static int
run_loop(struct run *r, const char *dir, const sigset_t *open)
{
	int64_t now, t;
	int up, rc;

	r->next_audit = clk_now_ms();
	r->next_upload = clk_now_ms();
	while (!run_stopping()) {
		now = clk_now_ms();
		if (!run_scan_reap(r, r->o->once)) {
			/* scanning: the audit waits for its results */
		} else if (now >= r->next_audit && run_scan_due(r)) {
			run_scan_start(r);
			continue;
		} else if (now >= r->next_audit) {
			rc = run_audit(r);
			if (r->o->once && rc != 0) {
				if (rc < 0)
					return RUN_EXIT_USAGE;
				r->refused = true;
			}
			r->next_audit = r->o->once ? RUN_NEVER :
			    clk_now_ms() + run_jitter(r->rc.interval);
			if (rc == 0 && r->fails == 0 && !r->denied)
				r->next_upload = clk_now_ms();
		}
		if (run_stopping())
			break;
		if (clk_now_ms() >= r->next_upload) {
			if (r->denied)
				run_reload_enrolment(r, dir);
			if (r->denied && clk_now_ms() < r->denied_until) {
				/* Refused: send nothing until the operator
				 * enrols again; look at agent.json now and
				 * then, and ask the server once a day. */
				r->next_upload = clk_now_ms() +
				    r->rc.retry_max;
				if (r->o->once)
					break;
			} else {
				up = run_upload(r);
				if (up == RUN_UP_DONE)
					r->next_upload = RUN_NEVER;
				if (r->o->once)
					break;
			}
		}
		t = r->next_audit < r->next_upload ? r->next_audit :
		    r->next_upload;
		if (t == RUN_NEVER)
			t = clk_now_ms() + RUN_DAY_MS;
		if (r->scan_pid > 0 && t > clk_now_ms() + 1000)
			t = clk_now_ms() + 1000;	/* look at the scan */
		run_sleep_until(t, open);
	}
	run_scan_end(r);
	if (r->o->once) {
		struct queue_stats s;
		char err[2048];

		if (queue_stats(r->q, &s, err, sizeof(err)) != 0) {
			log_warnx("%s", err);
			return RUN_EXIT_QUEUED;
		}
		if (s.reports > 0 || r->refused) {
			log_info("event=run.end queued=%lld", (long long)
			    s.reports);
			return RUN_EXIT_QUEUED;
		}
		log_info("event=run.end queued=0");
	}
	return RUN_EXIT_OK;
}

static const char *
run_state_dir(const struct run_opts *o, const struct run_conf *rc)
{
	if (o->state_dir != NULL)
		return o->state_dir;
	if (rc->state_dir != NULL)
		return rc->state_dir;
	return ENROLL_STATE_DIR;
}

int
run_main(const struct run_opts *o)
{
	struct run r;
	struct queue_limits lim = QUEUE_LIMITS_DEFAULT;
	struct sigaction sa;
	sigset_t block, open;
	const char *dir;
	char err[2048];
	int rc, ret = RUN_EXIT_USAGE;

	memset(&r, 0, sizeof(r));
	r.o = o;
	if (upload_init(err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		return RUN_EXIT_USAGE;
	}
	if (audit_setup(&o->audit, &r.setup, err, sizeof(err)) != 0 ||
	    run_conf_parse(r.setup.conf, &r.rc, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		goto out;
	}
	dir = run_state_dir(o, &r.rc);
	rc = enroll_load(dir, &r.e, err, sizeof(err));
	if (rc == 1) {
		log_warnx("%s: máy này chưa đăng ký với máy chủ; chạy "
		    "“canhgac-agent enroll” trước — this computer is not "
		    "enrolled; run “canhgac-agent enroll” first", dir);
		goto out;
	}
	if (rc != 0) {
		log_warnx("%s", err);
		goto out;
	}
	lim.max_bytes = r.rc.queue_max;
	lim.batch_reports = (size_t)r.rc.batch_reports;
	if (queue_open(r.e.queue_file, &lim, &r.q, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		goto out;
	}
	run_upload_conf(&r);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = run_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &open);
	sigdelset(&open, SIGTERM);
	sigdelset(&open, SIGINT);

	log_info("event=run.start agent=%s server=%s once=%d interval=%lld",
	    r.e.agent_id, r.e.server, o->once, r.rc.interval);
	run_scan_plan(&r);
	ret = run_loop(&r, dir, &open);
	if (run_stopping())
		log_info("event=run.stop signal=%d", (int)run_stop_sig);
out:
	queue_close(r.q);
	enroll_free(&r.e);
	secrets_conf_free(&r.rc.secrets);
	audit_setup_free(&r.setup);
	return ret;
}

static void
run_print_time(const char *vi_en, long long t)
{
	char buf[32];

	if (t <= 0) {
		printf("  %s: —\n", vi_en);
		return;
	}
	json_time(t, buf, sizeof(buf));
	printf("  %s: %s\n", vi_en, buf);
}

int
run_status(const struct run_opts *o)
{
	struct run_conf rc;
	struct conf *c = NULL;
	struct enrolment e;
	struct queue_limits lim = QUEUE_LIMITS_DEFAULT;
	struct queue_stats s;
	struct queue *q = NULL;
	const char *path = o->audit.config, *dir;
	char err[2048];
	int r, ret = RUN_EXIT_USAGE;

	if (path == NULL && access(RUN_DEFAULT_CONFIG, F_OK) == 0)
		path = RUN_DEFAULT_CONFIG;
	if (path != NULL && ((c = conf_load(path, 0, err, sizeof(err))) ==
	    NULL || conf_validate(c, audit_conf_keys, err, sizeof(err)) != 0)) {
		log_warnx("%s", err);
		goto out;
	}
	if (run_conf_parse(c, &rc, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		goto out;
	}
	secrets_conf_free(&rc.secrets);
	dir = run_state_dir(o, &rc);
	r = enroll_load(dir, &e, err, sizeof(err));
	if (r < 0) {
		log_warnx("%s", err);
		goto out;
	}
	if (r == 1) {
		printf("Chưa đăng ký với máy chủ (%s) — not enrolled (%s)\n",
		    dir, dir);
		ret = 1;
		goto out;
	}
	printf("Đăng ký — enrolment (%s)\n", dir);
	printf("  %s: %s\n", "máy chủ — server", e.server);
	printf("  %s: %s\n", "mã agent — agent id", e.agent_id);
	printf("  %s: %s\n", "đơn vị — unit", e.unit);
	printf("  %s: %s\n", "mã máy — host id", e.host_id);
	printf("  %s: %s\n", "vân tay CA — CA fingerprint",
	    e.ca_fingerprint);
	printf("  %s: %s\n", "đăng ký lúc — enrolled at", e.enrolled_at);
	printf("Hàng đợi — queue (%s)\n", e.queue_file);
	if (access(e.queue_file, F_OK) != 0) {
		printf("  %s: 0\n", "báo cáo chờ gửi — reports waiting");
		ret = 0;
		enroll_free(&e);
		goto out;
	}
	lim.max_bytes = rc.queue_max;
	if (queue_open(e.queue_file, &lim, &q, err, sizeof(err)) != 0 ||
	    queue_stats(q, &s, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		enroll_free(&e);
		goto out;
	}
	printf("  %s: %lld\n", "báo cáo chờ gửi — reports waiting",
	    (long long)s.reports);
	printf("  %s: %lld / %lld\n", "byte đã lưu — bytes stored",
	    (long long)s.bytes, rc.queue_max);
	run_print_time("cũ nhất — oldest", (long long)s.oldest);
	printf("  %s: %lld\n", "ảnh chụp đã bỏ — snapshots dropped",
	    (long long)s.dropped_snapshots);
	printf("  %s: %lld\n", "đã bỏ dữ kiện — facts stripped",
	    (long long)s.stripped);
	printf("  %s: %lld\n", "bị từ chối vì đầy — refused when full",
	    (long long)s.refused);
	enroll_free(&e);
	ret = 0;
out:
	queue_close(q);
	conf_free(c);
	return ret;
}
