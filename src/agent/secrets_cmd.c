/*
 * secrets_cmd.c — `canhgac-agent secrets`: find the documents that carry
 * a secrecy degree (TUYỆT MẬT, TỐI MẬT, MẬT) under the paths given, and
 * print them in Vietnamese or English, or as one JSON object (the
 * contract in docs/secrets-scan.md); also the secrets-* keys of
 * agent.conf that the scheduled scan reads (secrets-user: whom the
 * workers run as under root). canhgac-agent(8).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent/audit.h"
#include "lib/conf.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/text.h"
#include "secrets/scan.h"

#define SECRETS_EXIT_NONE 0
#define SECRETS_EXIT_FOUND 1
#define SECRETS_EXIT_USAGE 2
#define SECRETS_DEFAULT_CONFIG "/etc/canhgac/agent.conf"

static volatile sig_atomic_t secrets_stop;

static void
secrets_on_signal(int sig)
{
	secrets_stop = sig;
}

static void
secrets_usage(FILE *out)
{
	fputs(
"Cách dùng / usage:\n"
"  canhgac-agent secrets [--format text|json] [--ocr] [--lang vi|en]\n"
"                        [--cache TỆP | --no-cache] [--jobs N]\n"
"                        [--max-file CỠ] [--time-limit GIÂY]\n"
"                        [--max-rate MB/GIÂY] [--exclude MẪU]... [--no-nice]\n"
"                        [--cross-fs] [--user NGƯỜI_DÙNG] [--config TỆP]\n"
"                        ĐƯỜNG_DẪN...\n"
"\n"
"Tìm tài liệu mang độ mật (TUYỆT MẬT, TỐI MẬT, MẬT) trong các thư mục, tệp\n"
"đã cho / find the documents marked with a secrecy degree under the paths.\n"
"--ocr đọc cả bản quét và ảnh bằng Tesseract (chậm hơn) / also read scans and\n"
"images with Tesseract (slower).\n"
"Chạy bằng root, tệp được đọc bằng --user (secrets-user, mặc định nobody) /\n"
"run as root, files are parsed as --user (secrets-user, default nobody).\n"
"Mã thoát / exit status: 0 không tìm thấy / none found; 1 có tài liệu mật /\n"
"some found; 2 lỗi cách dùng hoặc bị ngắt / usage error or interrupted.\n"
"Xem / see canhgac-agent(8).\n", out);
}

/* --- agent.conf ---------------------------------------------------------- */

static int
secrets_bad(const struct conf_node *n, const char *vi, const char *en,
    char *err, size_t errlen)
{
	snprintf(err, errlen, "%s:%d:%d: %s “%s”: %s — %s “%s”: %s", n->file,
	    n->line, n->col, n->key, n->nargs > 0 ? n->args[0] : "", vi,
	    n->key, n->nargs > 0 ? n->args[0] : "", en);
	return -1;
}

/* "24h", "30m", "7d", "3600s" or bare seconds; 0 on error. */
static long long
secrets_duration(const char *s)
{
	long long v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return 0;
	for (; *p >= '0' && *p <= '9'; p++)
		if ((v = v * 10 + (*p - '0')) > 366LL * 86400)
			return 0;
	if (strcmp(p, "") == 0 || strcmp(p, "s") == 0)
		return v;
	if (strcmp(p, "m") == 0)
		return v * 60;
	if (strcmp(p, "h") == 0)
		return v * 3600;
	if (strcmp(p, "d") == 0)
		return v * 86400;
	return 0;
}

/* A size: "256M", "1G", "512K" or bytes; -1 on error. */
static long long
secrets_size(const char *s)
{
	long long v;

	return text_to_size(s, 1LL << 40, LLONG_MAX, &v) ? v : -1;
}

/* A rate: "20" (MB/s), "20M", "512K" (bytes/s), "0" or "off": none. */
static double
secrets_rate(const char *s)
{
	long long v;

	if (strcmp(s, "off") == 0)
		return 0;
	if ((v = secrets_size(s)) < 0)
		return -1;
	if (s[strspn(s, "0123456789")] == '\0')
		return (double)v * 1e6;
	return (double)v;
}

static int
secrets_list(const struct conf *c, const char *key, const char ***out,
    size_t *n)
{
	const struct conf_node *k;
	size_t i, total = 0;

	for (k = conf_find(c->first, key); k != NULL; k = conf_next(k))
		total += k->nargs;
	if (total == 0)
		return 0;
	if ((*out = calloc(total, sizeof(**out))) == NULL)
		return -1;
	for (k = conf_find(c->first, key); k != NULL; k = conf_next(k))
		for (i = 0; i < k->nargs; i++)
			(*out)[(*n)++] = k->args[i];
	return 0;
}

/* A user name as useradd(8) takes it (not a number: names only). */
static bool
secrets_user_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 32 || s[0] == '-' || strcmp(s, "root") == 0 ||
	    s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-")] != '\0' || strspn(s, "0123456789") == n)
		return false;
	return true;
}

static const char *const secrets_default_paths[] = {
	"/home", "/root", "/srv", "/media", "/mnt", "/var/mail",
};

int
secrets_conf_parse(const struct conf *c, struct secrets_conf *sc, char *err,
    size_t errlen)
{
	const struct conf_node *n;
	size_t i;

	memset(sc, 0, sizeof(*sc));
	sc->interval = 86400;
	sc->max_rate = 20e6;
	if (c != NULL) {
		if (secrets_list(c, "secrets-paths", &sc->paths,
		    &sc->npaths) != 0 || secrets_list(c, "secrets-exclude",
		    &sc->excludes, &sc->nexcludes) != 0) {
			snprintf(err, errlen, "không đủ bộ nhớ — out of memory");
			secrets_conf_free(sc);
			return -1;
		}
		for (i = 0; i < sc->npaths; i++)
			if (sc->paths[i][0] != '/') {
				n = conf_find(c->first, "secrets-paths");
				secrets_conf_free(sc);
				return secrets_bad(n, "cần đường dẫn tuyệt đối",
				    "absolute paths are needed", err, errlen);
			}
		if ((n = conf_find(c->first, "secrets-interval")) != NULL &&
		    strcmp(n->args[0], "off") == 0)
			sc->interval = 0;	/* no scheduled scan */
		else if (n != NULL &&
		    (sc->interval = secrets_duration(n->args[0])) < 600) {
			secrets_conf_free(sc);
			return secrets_bad(n, "cần một khoảng thời gian như 12h, "
			    "24h, 7d (ít nhất 10m), hoặc off", "a duration such "
			    "as 12h, 24h, 7d (at least 10m), or off is needed", err, errlen);
		}
		if ((n = conf_find(c->first, "secrets-ocr")) != NULL) {
			if (strcmp(n->args[0], "yes") != 0 &&
			    strcmp(n->args[0], "no") != 0) {
				secrets_conf_free(sc);
				return secrets_bad(n, "cần yes hoặc no",
				    "yes or no is needed", err, errlen);
			}
			sc->ocr = strcmp(n->args[0], "yes") == 0;
		}
		if ((n = conf_find(c->first, "secrets-max-rate")) != NULL &&
		    (sc->max_rate = secrets_rate(n->args[0])) < 0) {
			secrets_conf_free(sc);
			return secrets_bad(n, "cần một tốc độ như 20 (MB/giây), "
			    "512K, hoặc off", "a rate such as 20 (MB/s), 512K, "
			    "or off is needed", err, errlen);
		}
		if ((n = conf_find(c->first, "secrets-user")) != NULL) {
			if (!secrets_user_ok(n->args[0])) {
				secrets_conf_free(sc);
				return secrets_bad(n, "cần tên một người dùng "
				    "không có đặc quyền như nobody", "the name of "
				    "an unprivileged user such as nobody is "
				    "needed", err, errlen);
			}
			sc->user = n->args[0];
		}
		if ((n = conf_find(c->first, "secrets-cache")) != NULL) {
			if (n->args[0][0] != '/') {
				secrets_conf_free(sc);
				return secrets_bad(n, "cần đường dẫn tuyệt đối",
				    "an absolute path is needed", err, errlen);
			}
			sc->cache = n->args[0];
		}
	}
	if (sc->npaths == 0) {
		free(sc->paths);
		sc->paths = calloc(sizeof(secrets_default_paths) /
		    sizeof(secrets_default_paths[0]), sizeof(*sc->paths));
		if (sc->paths == NULL)
			return -1;
		for (i = 0; i < sizeof(secrets_default_paths) /
		    sizeof(secrets_default_paths[0]); i++)
			sc->paths[sc->npaths++] = secrets_default_paths[i];
	}
	return 0;
}

void
secrets_conf_free(struct secrets_conf *sc)
{
	free(sc->paths);
	free(sc->excludes);
	sc->paths = sc->excludes = NULL;
	sc->npaths = sc->nexcludes = 0;
}

/* --- the command line ---------------------------------------------------- */

struct secrets_cli {
	struct scan_opts so;
	const char *format, *lang, *cache, *config, *user;
	bool no_cache;
	const char **excludes;
	size_t nexcludes;
	char cache_buf[4096];
};

enum {
	OPT_FORMAT = 256, OPT_OCR, OPT_LANG, OPT_CACHE, OPT_NO_CACHE, OPT_JOBS,
	OPT_MAX_FILE, OPT_TIME, OPT_EXCLUDE, OPT_RATE, OPT_NO_NICE, OPT_XDEV,
	OPT_CONFIG, OPT_USER,
};

static int
secrets_opt_bad(const char *opt, const char *arg, const char *vi,
    const char *en)
{
	log_warnx("%s “%s”: %s — %s “%s”: %s", opt, arg, vi, opt, arg, en);
	return -1;
}

static int
secrets_exclude_add(struct secrets_cli *c, const char *g)
{
	const char **n = realloc(c->excludes, (c->nexcludes + 1) *
	    sizeof(*n));

	if (n == NULL)
		return -1;
	c->excludes = n;
	c->excludes[c->nexcludes++] = g;
	return 0;
}

static int
secrets_parse(int argc, char **argv, struct secrets_cli *c)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, OPT_FORMAT},
		{"ocr", no_argument, NULL, OPT_OCR},
		{"lang", required_argument, NULL, OPT_LANG},
		{"cache", required_argument, NULL, OPT_CACHE},
		{"no-cache", no_argument, NULL, OPT_NO_CACHE},
		{"jobs", required_argument, NULL, OPT_JOBS},
		{"max-file", required_argument, NULL, OPT_MAX_FILE},
		{"time-limit", required_argument, NULL, OPT_TIME},
		{"exclude", required_argument, NULL, OPT_EXCLUDE},
		{"max-rate", required_argument, NULL, OPT_RATE},
		{"no-nice", no_argument, NULL, OPT_NO_NICE},
		{"cross-fs", no_argument, NULL, OPT_XDEV},
		{"config", required_argument, NULL, OPT_CONFIG},
		{"user", required_argument, NULL, OPT_USER},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	long v;
	char *end;
	double d;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_FORMAT:
			if (strcmp(optarg, "text") != 0 &&
			    strcmp(optarg, "json") != 0)
				return secrets_opt_bad("--format", optarg,
				    "chọn text hoặc json", "use text or json");
			c->format = optarg;
			break;
		case OPT_OCR: c->so.ocr = true; break;
		case OPT_LANG:
			if (strcmp(optarg, "vi") != 0 &&
			    strcmp(optarg, "en") != 0)
				return secrets_opt_bad("--lang", optarg,
				    "chọn vi hoặc en", "use vi or en");
			c->lang = optarg;
			break;
		case OPT_CACHE: c->cache = optarg; break;
		case OPT_NO_CACHE: c->no_cache = true; break;
		case OPT_JOBS:
			if (!text_to_long(optarg, &v) || v < 1 ||
			    v > SCAN_MAX_JOBS)
				return secrets_opt_bad("--jobs", optarg,
				    "cần số từ 1 đến 64", "1 to 64 is needed");
			c->so.jobs = (unsigned)v;
			break;
		case OPT_MAX_FILE:
			if ((c->so.max_file = secrets_size(optarg)) < 1)
				return secrets_opt_bad("--max-file", optarg,
				    "cần dung lượng như 256M, 1G",
				    "a size such as 256M, 1G is needed");
			break;
		case OPT_TIME:
			d = strtod(optarg, &end);
			if (end == optarg || *end != '\0' || !(d >= 0.1) ||
			    d > 86400)
				return secrets_opt_bad("--time-limit", optarg,
				    "cần số giây từ 0,1 đến 86400", "0.1 to "
				    "86400 seconds is needed");
			c->so.seconds = d;
			break;
		case OPT_EXCLUDE:
			if (secrets_exclude_add(c, optarg) != 0)
				return -1;
			break;
		case OPT_RATE:
			if ((c->so.max_rate = secrets_rate(optarg)) < 0)
				return secrets_opt_bad("--max-rate", optarg,
				    "cần tốc độ như 20 (MB/giây) hoặc 512K",
				    "a rate such as 20 (MB/s) or 512K is "
				    "needed");
			break;
		case OPT_NO_NICE: c->so.no_nice = true; break;
		case OPT_XDEV: c->so.cross_fs = true; break;
		case OPT_CONFIG: c->config = optarg; break;
		case OPT_USER:
			if (!secrets_user_ok(optarg))
				return secrets_opt_bad("--user", optarg,
				    "cần tên một người dùng không có đặc quyền",
				    "the name of an unprivileged user is "
				    "needed");
			c->user = optarg;
			break;
		case 'h': secrets_usage(stdout); exit(0);
		default: secrets_usage(stderr); return -1;
		}
	}
	if (c->cache != NULL && c->no_cache) {
		log_warnx("--cache và --no-cache loại trừ nhau — --cache and "
		    "--no-cache exclude each other");
		return -1;
	}
	if (optind >= argc) {
		log_warnx("cần ít nhất một thư mục hoặc tệp để quét — at least "
		    "one folder or file to scan is needed");
		secrets_usage(stderr);
		return -1;
	}
	c->so.roots = (const char *const *)argv + optind;
	c->so.nroots = (size_t)(argc - optind);
	return 0;
}

/* The excludes of agent.conf (secrets-exclude) join those given. */
static int
secrets_config(struct secrets_cli *c, struct conf **confp)
{
	const char *path = c->config;
	struct secrets_conf sc;
	char err[2048];
	size_t i;

	*confp = NULL;
	if (path == NULL) {
		if (access(SECRETS_DEFAULT_CONFIG, R_OK) != 0)
			return 0;
		path = SECRETS_DEFAULT_CONFIG;
	}
	if ((*confp = conf_load(path, 0, err, sizeof(err))) == NULL ||
	    conf_validate(*confp, audit_conf_keys, err, sizeof(err)) != 0 ||
	    secrets_conf_parse(*confp, &sc, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		return -1;
	}
	for (i = 0; i < sc.nexcludes; i++)
		if (secrets_exclude_add(c, sc.excludes[i]) != 0) {
			secrets_conf_free(&sc);
			return -1;
		}
	if (c->cache == NULL && !c->no_cache && sc.cache != NULL)
		c->cache = sc.cache;
	if (c->user == NULL)
		c->user = sc.user;
	secrets_conf_free(&sc);
	return 0;
}

/* --- text output --------------------------------------------------------- */

/* Prints s for a terminal: valid UTF-8, control characters as '?'. */
static void
secrets_put(FILE *out, const char *s)
{
	char *t = scan_text(s, strlen(s)), *p;

	if (t == NULL)
		return;
	for (p = t; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	fputs(t, out);
	free(t);
}

#define L(vi, en) (en_ ? (en) : (vi))

static void
secrets_print_doc(FILE *out, const struct scan_item *it, bool en_)
{
	char t[32];

	fputs("  ", out);
	secrets_put(out, it->path);
	fprintf(out, "\n    %s: %s (%s %u%%, %s ", L("Độ mật", "Degree"),
	    scan_degree_text(it->o.v.degree, en_), L("độ tin cậy",
	    "confidence"), it->o.v.confidence, L("quy tắc", "rule"));
	secrets_put(out, it->o.v.rule);
	fprintf(out, ")\n    %s: ", L("Vị trí", "Where"));
	secrets_put(out, it->o.v.part[0] != '\0' ? it->o.v.part : "-");
	if (it->o.v.page > 0)
		fprintf(out, ", %s %u", L("trang", "page"), it->o.v.page);
	fprintf(out, " (%s, %s ", it->o.format, L("mã hóa", "encoding"));
	secrets_put(out, it->o.v.encoding[0] ? it->o.v.encoding : "-");
	fprintf(out, "%s)\n    %s: ", it->o.ocr_used ? ", OCR" : "",
	    L("Dấu", "Marking"));
	secrets_put(out, it->o.v.marking);
	fprintf(out, "\n    %s: ", L("Ngữ cảnh", "Evidence"));
	secrets_put(out, it->o.v.evidence);
	json_time(it->mtime, t, sizeof(t));
	fprintf(out, "\n    %s %lld %s, %s %s, SHA-256 %s\n", L("Cỡ", "Size"),
	    it->size, L("byte", "bytes"), L("sửa lúc", "modified"), t,
	    it->o.sha256);
}

static void
secrets_print_text(FILE *out, const struct scan_result *r, bool en_,
    bool interrupted)
{
	const struct scan_stats *st = &r->stats;
	size_t i, nfound = scan_count(r, SCAN_FOUND), nbad = scan_count(r,
	    SCAN_UNREADABLE), nonly = scan_count(r, SCAN_SCANNED_ONLY);
	double secs = st->seconds > 1e-6 ? st->seconds : 1e-6;

	if (nfound > 0) {
		fprintf(out, "%s (%zu):\n\n", L("Tài liệu mang độ mật",
		    "Documents marked with a secrecy degree"), nfound);
		for (i = 0; i < r->nitems; i++)
			if (r->items[i].kind == SCAN_FOUND) {
				secrets_print_doc(out, &r->items[i], en_);
				fputc('\n', out);
			}
	}
	if (nbad > 0) {
		fprintf(out, "%s (%zu):\n", L("Không đọc được",
		    "Could not read"), nbad);
		for (i = 0; i < r->nitems; i++) {
			const struct scan_item *it = &r->items[i];

			if (it->kind != SCAN_UNREADABLE)
				continue;
			fputs("  ", out);
			secrets_put(out, it->path);
			fprintf(out, ": %s", doc_err_text(it->o.err, en_));
			if (it->o.detail[0] != '\0') {
				fputs(" (", out);
				secrets_put(out, it->o.detail);
				fputc(')', out);
			}
			fputc('\n', out);
		}
		fputc('\n', out);
	}
	if (r->ocr)
		fprintf(out, "%s\n", L("Đã dùng OCR (nhận dạng chữ trong bản "
		    "quét và ảnh bằng Tesseract): chậm hơn.", "OCR was used "
		    "(text recognised in scans and images by Tesseract): "
		    "slower."));
	else if (nonly > 0)
		fprintf(out, "%s: %zu — %s\n", L("Bản quét, ảnh chưa đọc",
		    "Scans and images not read"), nonly, L("dùng --ocr để "
		    "đọc", "use --ocr to read them"));
	fprintf(out, "%s: %lld %s (%.1f MB), %s %lld, %s %lld, %s %lld; "
	    "%.2f %s (%.1f MB/s, %.0f %s/s)\n", L("Thống kê", "Statistics"),
	    st->files, L("tệp", "files"), (double)st->bytes / 1e6,
	    L("đọc", "read"), st->read, L("từ bộ nhớ đệm", "cached"),
	    st->cached, L("bỏ qua", "skipped"), st->skipped, st->seconds,
	    L("giây", "s"), (double)st->bytes / 1e6 / secs,
	    (double)st->files / secs, L("tệp", "files"));
	if (interrupted)
		fprintf(out, "%s\n", L("Bị ngắt: kết quả chưa đầy đủ.",
		    "Interrupted: the results are incomplete."));
	else if (!r->complete)
		fprintf(out, "%s\n", L("Có thư mục không đọc được: kết quả "
		    "có thể chưa đầy đủ.", "Some folders could not be read: "
		    "the results may be incomplete."));
	if (nfound == 0 && !interrupted)
		fprintf(out, "%s\n", L("Không tìm thấy tài liệu mang độ mật.",
		    "No document marked with a secrecy degree was found."));
}

#undef L

int
secrets_main(int argc, char **argv)
{
	struct secrets_cli c;
	struct scan_result r;
	struct sigaction sa, old_int, old_term;
	struct conf *conf = NULL;
	char err[2048];
	json_t *doc;
	char *text;
	int ret = SECRETS_EXIT_USAGE;

	memset(&c, 0, sizeof(c));
	if (secrets_parse(argc, argv, &c) != 0 ||
	    secrets_config(&c, &conf) != 0)
		goto out;
	c.so.excludes = c.excludes;
	c.so.nexcludes = c.nexcludes;
	c.so.user = c.user;
	if (!c.no_cache)
		c.so.cache = c.cache != NULL ? c.cache :
		    scan_cache_default(c.cache_buf, sizeof(c.cache_buf));
	c.so.stop = &secrets_stop;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = secrets_on_signal;	/* no SA_RESTART: wake poll */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	signal(SIGPIPE, SIG_IGN);
	if (scan_run(&c.so, &r, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		scan_result_free(&r);
		goto restore;
	}
	if (c.format != NULL && strcmp(c.format, "json") == 0) {
		doc = scan_result_json(&r, 0);
		text = json_dumps_pretty(doc);
		json_decref(doc);
		if (text != NULL) {
			fputs(text, stdout);
			fputc('\n', stdout);
		}
		free(text);
	} else {
		secrets_print_text(stdout, &r, c.lang != NULL &&
		    strcmp(c.lang, "en") == 0, secrets_stop != 0);
	}
	if (fflush(stdout) != 0)
		log_warn("stdout");
	if (scan_count(&r, SCAN_FOUND) > 0)
		ret = SECRETS_EXIT_FOUND;
	else if (secrets_stop != 0)
		ret = SECRETS_EXIT_USAGE;
	else
		ret = SECRETS_EXIT_NONE;
	scan_result_free(&r);
restore:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
out:
	free(c.excludes);
	conf_free(conf);
	return ret;
}
