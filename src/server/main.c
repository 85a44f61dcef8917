/*
 * main.c — canhgacd, the Canh Gác server: reads canhgacd.conf from the data
 * directory, opens the store, serves the agent API over TLS (http.c,
 * api.c) and beside it the web console (web.c) on the same port, takes
 * the unit and ward score snapshot every ten minutes, checks the
 * registered portal sites when they are due (sitejob.c, its own
 * thread), and
 * on SIGTERM or SIGINT stops accepting, lets the requests in progress
 * finish and closes the store. It stays in the foreground (systemd runs
 * it); canhgacd(8) describes every option, docs/server.md the rest.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/file.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/pki.h"
#include "lib/text.h"
#include "server/api.h"
#include "server/http.h"
#include "server/serverconf.h"
#include "server/sitejob.h"
#include "server/store.h"
#include "server/page_act.h"
#include "server/page_people.h"
#include "server/page_reading.h"
#include "server/web.h"

#define EXIT_USAGE 2
#define DEFAULT_DATA "/var/lib/canhgac"
#define PEM_MAX (64u << 10)
#define SCORES_EVERY_S 600
#define CHECKPOINT_EVERY_S 1
#define STOP_GRACE_S 10

static void
usage(FILE *out)
{
	fputs(
"Cách dùng / usage:\n"
"  canhgacd [--data THƯ_MỤC] [-f] [--syslog] [-v]... [-n]\n"
"  canhgacd --version | --help\n"
"\n"
"Máy chủ Canh Gác: nhận báo cáo của các agent qua TLS và lưu vào kho dữ liệu\n"
"/ the Canh Gác server: receives the agents' reports over TLS and keeps them\n"
"in the store.\n"
"\n"
"--data THƯ_MỤC  thư mục dữ liệu (tạo bằng canhgac init); mặc định\n"
"                $CANHGAC_DATA hoặc " DEFAULT_DATA " / the data directory\n"
"                (made by canhgac init); default $CANHGAC_DATA or\n"
"                " DEFAULT_DATA "\n"
"-f, --foreground  chạy ở tiền cảnh (mặc định) / stay in the foreground (the\n"
"                default)\n"
"--syslog        ghi nhật ký vào syslog thay vì stderr / log to syslog instead\n"
"                of stderr\n"
"-v              chi tiết hơn (lặp lại: gỡ lỗi) / more verbose (twice: debug)\n"
"-n              kiểm tra cấu hình, chứng thư và khóa rồi thoát / check the\n"
"                configuration, certificates and keys, then exit\n"
"\n"
"Mã thoát / exit status: 0 dừng bình thường hoặc cấu hình hợp lệ / stopped\n"
"normally or the configuration is valid; 1 lỗi khi chạy / runtime error;\n"
"2 lỗi cách dùng hoặc cấu hình / usage or configuration error.\n"
"Xem / see canhgacd(8), canhgacd.conf(5).\n", out);
}

struct opts {
	const char *data;
	bool use_syslog, test_only;
	int verbose;
};

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"data", required_argument, NULL, 'd'},
		{"foreground", no_argument, NULL, 'f'},
		{"syslog", no_argument, NULL, 's'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "d:fvnh", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'd': o->data = optarg; break;
		case 'f': break;
		case 's': o->use_syslog = true; break;
		case 'v': o->verbose++; break;
		case 'n': o->test_only = true; break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("canhgacd %s\n", CANHGACD_VERSION); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		log_warnx("đối số thừa “%s” — unexpected argument “%s”",
		    argv[optind], argv[optind]);
		usage(stderr);
		return -1;
	}
	if (o->data == NULL)
		o->data = getenv("CANHGAC_DATA");
	if (o->data == NULL || o->data[0] == '\0')
		o->data = DEFAULT_DATA;
	return 0;
}

/* Reads a PEM file; a private key must not be readable by others. */
static char *
read_pem(const char *path, bool secret)
{
	struct stat sb;
	char *buf;
	size_t len;
	int rc;

	if (secret && stat(path, &sb) == 0 && (sb.st_mode & (S_IROTH |
	    S_IWOTH)) != 0) {
		log_warnx("%s: khóa bí mật không được để người khác đọc hoặc ghi "
		    "(chmod 600) — a private key must not be readable or "
		    "writable by others (chmod 600)", path);
		return NULL;
	}
	if ((rc = file_read_path(path, PEM_MAX, &buf, &len)) != 0) {
		log_warnx("%s: không đọc được: %s — cannot read: %s", path,
		    text_strerror_vi(-rc) ? text_strerror_vi(-rc) :
		    strerror(-rc), strerror(-rc));
		return NULL;
	}
	if (strstr(buf, "-----BEGIN ") == NULL) {
		log_warnx("%s: không phải tệp PEM — not a PEM file", path);
		free(buf);
		return NULL;
	}
	return buf;
}

struct pems {
	char *ca, *ca_key, *cert, *key;
};

static void
pems_free(struct pems *p)
{
	free(p->ca);
	free(p->cert);
	if (p->ca_key != NULL) {
		explicit_bzero(p->ca_key, strlen(p->ca_key));
		free(p->ca_key);
	}
	if (p->key != NULL) {
		explicit_bzero(p->key, strlen(p->key));
		free(p->key);
	}
}

static int
pems_load(const struct serverconf *sc, struct pems *p)
{
	char err[512], cn[PKI_CN_MAX], serial[65];
	time_t not_after;

	memset(p, 0, sizeof(*p));
	if ((p->ca = read_pem(sc->ca_cert, false)) == NULL ||
	    (p->ca_key = read_pem(sc->ca_key, true)) == NULL ||
	    (p->cert = read_pem(sc->tls_cert, false)) == NULL ||
	    (p->key = read_pem(sc->tls_key, true)) == NULL)
		return -1;
	if (pki_verify(p->ca, p->cert, time(NULL), err, sizeof(err)) != 0) {
		log_warnx("%s: chứng thư TLS không hợp lệ với CA %s: %s — the "
		    "TLS certificate is not valid under the CA", sc->tls_cert,
		    sc->ca_cert, err);
		return -1;
	}
	if (pki_cert_info(p->cert, cn, serial, &not_after, err,
	    sizeof(err)) == 0 && not_after - time(NULL) < 30 * 86400)
		log_warnx("event=tls.expiring cert=%s days=%lld msg=\"chứng thư "
		    "TLS sắp hết hạn — the TLS certificate expires soon\"",
		    sc->tls_cert, (long long)((not_after - time(NULL)) /
		    86400));
	return 0;
}

/* Raises the soft limit of open files to what the connections need. */
static void
raise_nofile(const struct serverconf *sc)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)sc->max_connections * sc->nlisten + 128;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = want < rl.rlim_max ? want : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		log_warn("setrlimit(RLIMIT_NOFILE)");
}

/* A job of canhgacd run now, then `every` seconds after each run ends, in
 * a thread of its own (so that it never holds up a request), until
 * periodic_stop. */
struct periodic {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	int every;			/* seconds */
	void (*run)(void *arg);
	void *arg;
};

static void *
periodic_main(void *arg)
{
	struct periodic *p = arg;
	struct timespec until;

	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		pthread_mutex_unlock(&p->lock);
		p->run(p->arg);
		pthread_mutex_lock(&p->lock);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += p->every;
		while (!p->stop && pthread_cond_timedwait(&p->cond, &p->lock,
		    &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static int
periodic_start(struct periodic *p, int every, void (*run)(void *),
    void *arg)
{
	pthread_condattr_t ca;

	memset(p, 0, sizeof(*p));
	p->every = every;
	p->run = run;
	p->arg = arg;
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cond, &ca);
	pthread_condattr_destroy(&ca);
	return pthread_create(&p->thread, NULL, periodic_main, p);
}

static void
periodic_stop(struct periodic *p)
{
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
}

/* The store's job, every CHECKPOINT_EVERY_S: a WAL checkpoint, and a
 * score snapshot every SCORES_EVERY_S (the first one at once). */
struct scores_job {
	struct store *st;
	int64_t next_scores;		/* monotonic seconds */
};

static void
scores_run(void *arg)
{
	struct scores_job *j = arg;
	struct timespec now;
	char err[512], lv[600];

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec >= j->next_scores) {
		j->next_scores = now.tv_sec + SCORES_EVERY_S;
		if (store_scores_snapshot(j->st, (int64_t)time(NULL), err,
		    sizeof(err)) != STORE_OK)
			log_warnx("event=scores.failed msg=%s",
			    http_logval(lv, sizeof(lv), err));
		else
			log_debug("event=scores.snapshot");
	}
	if (store_checkpoint(j->st, err, sizeof(err)) != STORE_OK)
		log_warnx("event=store.checkpoint_failed msg=%s",
		    http_logval(lv, sizeof(lv), err));
}

/* The portal monitor's job, every site-scan-every seconds (30 s): the
 * sites due are checked and their alerts stored as findings. */
static void
sites_opened(const char *host_id, const struct ingest_finding *f, void *arg)
{
	char lv[600], lv2[600];

	(void)arg;
	log_info("event=site.alert host=%s check=%s severity=%s",
	    http_logval(lv, sizeof(lv), host_id),
	    http_logval(lv2, sizeof(lv2), f->check), f->severity);
}

static void
sites_log(json_t *rounds)
{
	json_t *res, *p;
	size_t i, k;
	char lv[600];

	json_array_foreach(rounds, k, res)
		json_array_foreach(json_object_get(res, "pages"), i, p)
			log_info("event=site.checked url=%s status=%lld "
			    "alerts=%zu seconds=%.2f",
			    http_logval(lv, sizeof(lv), json_str(p, "url", "")),
			    json_int(p, "status", 0),
			    json_array_size(json_object_get(p, "alerts")),
			    json_number_value(json_object_get(p, "seconds")));
}

static void
sites_run(void *arg)
{
	struct sitejob *job = arg;
	struct sitejob_result r;
	struct timespec t0, t1;
	char err[1024], lv[1100];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (sitejob_due(job, (int64_t)time(NULL), &r, err, sizeof(err)) !=
	    STORE_OK)
		log_warnx("event=site.failed msg=%s",
		    http_logval(lv, sizeof(lv), err));
	else if (r.sites > 0) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		sites_log(r.rounds);
		log_info("event=site.round sites=%zu origins=%zu opened=%d "
		    "resolved=%d seconds=%.2f", r.sites, r.origins, r.opened,
		    r.resolved, (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	}
	json_decref(r.rounds);
}


int
main(int argc, char **argv)
{
	struct opts o;
	struct serverconf sc;
	struct pems pems;
	struct store *st = NULL;
	struct api *api;
	struct web *web;
	struct http_fallback console;
	struct http_server *srv;
	struct scores_job scores = {0};
	struct periodic scores_p, sites_p;
	struct sitejob sites = {0};
	const struct http_route *routes;
	size_t nroutes, i;
	sigset_t sigs;
	char err[2048], lv[600];
	int sig, verbosity;

	memset(&o, 0, sizeof(o));
	log_init(argv[0], LOG_TO_STDERR, 1);
	if (parse_opts(argc, argv, &o) != 0)
		return EXIT_USAGE;
	if (serverconf_load(o.data, &sc, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		return EXIT_USAGE;
	}
	verbosity = sc.log_level + o.verbose;
	if (verbosity > 2)
		verbosity = 2;
	log_init(argv[0], o.use_syslog ? LOG_TO_SYSLOG : LOG_TO_STDERR,
	    verbosity);
	if (pems_load(&sc, &pems) != 0) {
		pems_free(&pems);
		serverconf_free(&sc);
		return EXIT_USAGE;
	}
	/* The console's templates and catalogue are checked before anything
	 * starts: a broken one names its file:line:col and we stop. */
	if (pages_act_setup(&sc, err, sizeof(err)) != 0 ||
	    (web = web_new(NULL, NULL, 0, err, sizeof(err))) == NULL) {
		log_warnx("%s", err);
		pems_free(&pems);
		serverconf_free(&sc);
		return EXIT_USAGE;
	}
	if (web_add_pages(web, pages_people, pages_people_n) != 0 ||
	    web_add_pages(web, pages_reading, pages_reading_n) != 0 ||
	    web_add_pages(web, pages_act, pages_act_n) != 0) {
		log_warnx("quá nhiều bảng trang — too many page tables");
		web_free(web);
		pems_free(&pems);
		serverconf_free(&sc);
		return EXIT_USAGE;
	}
	if (o.test_only) {
		web_free(web);
		fprintf(stderr, "canhgacd: cấu hình hợp lệ — configuration OK "
		    "(%s/%s)\n", sc.data_dir, SERVERCONF_FILE);
		pems_free(&pems);
		serverconf_free(&sc);
		return 0;
	}

	/* Every thread created from here on inherits this mask: the
	 * signals that stop us are taken by sigwait below only. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	raise_nofile(&sc);

	if (store_open(sc.store, 0, &st, err, sizeof(err)) != STORE_OK)
		log_fatalx("%s: không mở được kho dữ liệu: %s — cannot open the "
		    "store", sc.store, err);
	web_set_store(web, st);
	if (sc.store_max_size > 0 && store_set_max_size(st,
	    sc.store_max_size) != STORE_OK)
		log_warnx("event=store.warning msg=\"không đặt được "
		    "store-max-size — cannot set store-max-size\"");
	if ((api = api_new(&sc, st, pems.ca, pems.ca_key, err,
	    sizeof(err))) == NULL)
		log_fatalx("%s", err);
	routes = api_routes(api, &nroutes);
	console.max_body = WEB_MAX_BODY;
	console.handle = web_handle;
	console.ctx = web;
	srv = http_server_start_with(&sc, pems.cert, pems.key, pems.ca, routes,
	    nroutes, api, &console, err, sizeof(err));
	pems_free(&pems);
	if (srv == NULL) {
		web_free(web);
		api_free(api);
		store_close(st);
		serverconf_free(&sc);
		log_fatalx("%s", err);
	}
	scores.st = st;
	if (periodic_start(&scores_p, CHECKPOINT_EVERY_S, scores_run,
	    &scores) != 0)
		log_fatalx("không tạo được luồng tính điểm — cannot create the "
		    "scores thread");
	if (sc.site_checks) {
		bool ok = sitejob_init(&sites, st, &sc, err, sizeof(err)) ==
		    0;

		if (!ok)
			log_warnx("%s", err);
		else {
			sites.opened = sites_opened;
			ok = periodic_start(&sites_p, sc.site_scan_s > 0 ?
			    sc.site_scan_s : 30, sites_run, &sites) == 0;
		}
		if (!ok)
			log_fatalx("không khởi động được việc giám sát cổng "
			    "thông tin — cannot start the portal monitor's job");
	}
	for (i = 0; i < sc.nlisten; i++)
		log_info("event=server.listening addr=%s",
		    http_logval(lv, sizeof(lv), sc.listen[i]));
	log_info("event=server.started version=%s data=%s threads=%d",
	    CANHGACD_VERSION, http_logval(lv, sizeof(lv), sc.data_dir),
	    sc.threads);

	for (;;) {
		if (sigwait(&sigs, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			log_info("event=server.sighup msg=\"nạp lại cấu hình cần "
			    "khởi động lại — reloading needs a restart\"");
			continue;
		}
		break;
	}
	log_info("event=server.stopping signal=%d", sig);
	http_server_stop(srv, STOP_GRACE_S);
	periodic_stop(&scores_p);
	if (sc.site_checks) {
		periodic_stop(&sites_p);
		sitejob_free(&sites);
	}
	web_free(web);
	api_free(api);
	store_close(st);
	log_info("event=server.stopped");
	serverconf_free(&sc);
	return 0;
}
