/*
 * cmd_site.c — canhgac site add|list|remove|baseline|check: the portal
 * integrity monitor (directive point 3). add, list and remove keep the
 * server's registry of the URLs each unit watches (canhgacd checks them
 * when due, src/server/sitejob.c); baseline and check work on the
 * server's data directory (state in DATA/sites, the alerts of check
 * stored as the unit's findings), or alone with --state DIR, without the
 * server: learn what each page normally is, then check rounds of pages
 * for defacement, gambling spam, injected scripts, cloaking, redirects,
 * availability, TLS, DNS and headers (src/site/monitor.c). Text for
 * people in Vietnamese or English (--lang), JSON for programs (--json).
 * What a person changes goes to the audit log. canhgac(8), docs/sites.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/text.h"
#include "server/enrol_token.h"
#include "server/sitejob.h"
#include "site/monitor.h"

#define SITE_MAX_RESOLVE 64
#define SITE_URL_MAX 2048
#define SITE_MAX_ROUNDS 100000
#define SITE_SHOW_ITEMS 5		/* evidence items shown per list */
#define SITE_SHOW_WIDTH 150		/* columns of an evidence line */

struct site_args {
	const char *state;
	const char *cafile;
	const char *resolve[SITE_MAX_RESOLVE];
	size_t nresolve;
	const char *dns_server;
	const char *vocab;
	bool json;
	bool sitemap;
	long fetches;
	long concurrency;
	long rounds;
	long max_pages;
	char **urls;
	size_t nurls;
};

enum {
	SITE_OPT_STATE = 0x200,
	SITE_OPT_FETCHES,
	SITE_OPT_CAFILE,
	SITE_OPT_RESOLVE,
	SITE_OPT_DNS,
	SITE_OPT_JSON,
	SITE_OPT_CONC,
	SITE_OPT_SITEMAP,
	SITE_OPT_VOCAB,
	SITE_OPT_ROUNDS,
	SITE_OPT_MAXPAGES,
};

static bool
site_num(const char *opt, const char *arg, long lo, long hi, long *out)
{
	if (!text_to_long(arg, out) || *out < lo || *out > hi) {
		cli_usage_error("%s: cần số từ %ld đến %ld, không phải “%s” — "
		    "needs a number from %ld to %ld, not “%s”", opt, lo, hi,
		    arg, lo, hi, arg);
		return false;
	}
	return true;
}

/* Reads the options of baseline (check false) or check; EXIT_OK or the
 * exit status of the usage error it reported. */
static int
site_parse(struct cli *c, int argc, char **argv, bool check,
    struct site_args *a)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_OPTIONS,
		{"state", required_argument, NULL, SITE_OPT_STATE},
		{"fetches", required_argument, NULL, SITE_OPT_FETCHES},
		{"cafile", required_argument, NULL, SITE_OPT_CAFILE},
		{"resolve", required_argument, NULL, SITE_OPT_RESOLVE},
		{"dns-server", required_argument, NULL, SITE_OPT_DNS},
		{"json", no_argument, NULL, SITE_OPT_JSON},
		{"concurrency", required_argument, NULL, SITE_OPT_CONC},
		{"sitemap", no_argument, NULL, SITE_OPT_SITEMAP},
		{"vocab", required_argument, NULL, SITE_OPT_VOCAB},
		{"rounds", required_argument, NULL, SITE_OPT_ROUNDS},
		{"max-pages", required_argument, NULL, SITE_OPT_MAXPAGES},
		{NULL, 0, NULL, 0},
	};
	const char *name = check ? "site check" : "site baseline";
	int ch, status, i;
	char *host;

	memset(a, 0, sizeof(*a));
	a->rounds = 1;
	while ((ch = cli_getopt(c, argc, argv, longopts, NULL, &status)) !=
	    -1) {
		switch (ch) {
		case SITE_OPT_STATE:
			a->state = optarg;
			break;
		case SITE_OPT_FETCHES:
			if (!site_num("--fetches", optarg, 2, 20, &a->fetches))
				return EXIT_USAGE;
			break;
		case SITE_OPT_CAFILE:
			a->cafile = optarg;
			break;
		case SITE_OPT_RESOLVE:
			if (a->nresolve == SITE_MAX_RESOLVE)
				return cli_usage_error("--resolve: nhiều hơn "
				    "%d lần — more than %d times",
				    SITE_MAX_RESOLVE, SITE_MAX_RESOLVE);
			if (optarg[strcspn(optarg, " \t\n;")] != '\0' ||
			    strchr(optarg, ':') == NULL)
				return cli_usage_error("--resolve: cần "
				    "MÁY:CỔNG:ĐỊA_CHỈ — needs HOST:PORT:ADDR");
			a->resolve[a->nresolve++] = optarg;
			break;
		case SITE_OPT_DNS:
			a->dns_server = optarg;
			break;
		case SITE_OPT_JSON:
			a->json = true;
			break;
		case SITE_OPT_CONC:
			if (!site_num("--concurrency", optarg, 1, 256,
			    &a->concurrency))
				return EXIT_USAGE;
			break;
		case SITE_OPT_SITEMAP:
		case SITE_OPT_VOCAB:
		case SITE_OPT_ROUNDS:
		case SITE_OPT_MAXPAGES:
			if (!check)
				return cli_usage_error("%s: tùy chọn chỉ dùng "
				    "cho site check — option only for site "
				    "check", argv[optind - 1]);
			if (ch == SITE_OPT_SITEMAP)
				a->sitemap = true;
			else if (ch == SITE_OPT_VOCAB)
				a->vocab = optarg;
			else if (ch == SITE_OPT_ROUNDS) {
				if (!site_num("--rounds", optarg, 1,
				    SITE_MAX_ROUNDS, &a->rounds))
					return EXIT_USAGE;
			} else if (!site_num("--max-pages", optarg, 1, 100000,
			    &a->max_pages))
				return EXIT_USAGE;
			break;
		default:
			return cli_option_error(argv);
		}
	}
	if (status != EXIT_OK)
		return status;
	if (a->state != NULL && a->state[0] == '\0')
		return cli_usage_error("%s: --state cần một thư mục — --state "
		    "needs a directory", name);
	/* on the server's data directory: the registry says the rest */
	if (a->state == NULL && (a->sitemap || a->vocab != NULL ||
	    a->rounds != 1 || a->max_pages != 0 || a->fetches != 0))
		return cli_usage_error("%s: --fetches, --sitemap, --vocab, "
		    "--rounds và --max-pages chỉ dùng với --state — only with "
		    "--state", name);
	if (a->cafile != NULL && access(a->cafile, R_OK) != 0) {
		log_warn("--cafile %s: không đọc được — cannot read",
		    a->cafile);
		return EXIT_USAGE;
	}
	if (optind >= argc)
		return cli_usage_error("%s: cần ít nhất một URL — needs at "
		    "least one URL", name);
	for (i = optind; i < argc; i++) {
		size_t len = strlen(argv[i]), j;

		for (j = 0; j < len; j++)
			if ((unsigned char)argv[i][j] <= 0x20 ||
			    argv[i][j] == 0x7f)
				break;
		host = j == len && len <= SITE_URL_MAX &&
		    text_valid_utf8(argv[i], len) ? site_url_host(argv[i]) :
		    NULL;
		if (host == NULL) {
			char *e = out_escape(argv[i]);

			status = cli_usage_error("%s: “%s” không phải URL "
			    "http:// hoặc https:// — “%s” is not an http:// "
			    "or https:// URL", name, e, e);
			free(e);
			return status;
		}
		free(host);
	}
	a->urls = argv + optind;
	a->nurls = (size_t)(argc - optind);
	return EXIT_OK;
}

static void
site_opts(const struct site_args *a, struct site_limits *lim,
    struct site_round_opts *o)
{
	site_limits_default(lim);
	if (a->concurrency > 0)
		lim->concurrency = (int)a->concurrency;
	memset(o, 0, sizeof(*o));
	o->state_dir = a->state;
	o->urls = (const char *const *)a->urls;
	o->n = a->nurls;
	o->lim = lim;
	o->cafile = a->cafile;
	o->resolve = a->resolve;
	o->nresolve = a->nresolve;
	o->dns_server = a->dns_server;
	o->fetches = (int)a->fetches;
	o->sitemap = a->sitemap;
	o->max_pages = (size_t)a->max_pages;
}

static void
site_print_json(json_t *res)
{
	char *s = json_dumps(res, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (s != NULL) {
		fputs(s, stdout);
		fputc('\n', stdout);
		free(s);
	}
	fflush(stdout);
}

/* --- text output ------------------------------------------------------- */

static const char *
site_fetch_word(const char *fetch, bool en)
{
	if (strcmp(fetch, "browser") == 0)
		return en ? "browser" : "trình duyệt";
	if (strcmp(fetch, "crawler") == 0)
		return en ? "crawler (Googlebot)" : "máy thu thập (Googlebot)";
	if (strcmp(fetch, "both") == 0)
		return en ? "browser and crawler" : "trình duyệt và máy thu "
		    "thập";
	return fetch;
}

/* One evidence line: "      label: text", escaped and cut. */
static void
site_line(const char *label, const char *text)
{
	char *e = out_escape(text != NULL ? text : ""), *cut;

	cut = out_cut(e, SITE_SHOW_WIDTH);
	if (label != NULL)
		printf("      %s: %s\n", label, cut);
	else
		printf("      %s\n", cut);
	free(cut);
	free(e);
}

/* A JSON value as one short text (strings as they are). */
static char *
site_value_text(json_t *v)
{
	size_t i, len = 0;
	json_t *x;
	char *s, *t;

	if (json_is_string(v))
		return text_dup(json_string_value(v));
	if (json_is_array(v) && json_array_size(v) > 0) {
		bool strings = true;

		json_array_foreach(v, i, x)
			if (!json_is_string(x))
				strings = false;
		if (strings) {
			s = text_dup("");
			json_array_foreach(v, i, x) {
				t = text_printf("%s%s%s", s, i ? ", " : "",
				    json_string_value(x));
				free(s);
				s = t;
				len = strlen(s);
				if (len > 1000)
					break;
			}
			return s;
		}
	}
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY |
	    JSON_PRESERVE_ORDER);
	return s != NULL ? s : text_dup("");
}

/* An item of links, scripts or frames: its URL, text and hidden mark. */
static void
site_item(const char *label, json_t *it, bool en)
{
	const char *url, *text;
	char *line, *other;

	if (!json_is_object(it)) {
		other = site_value_text(it);
		site_line(label, other);
		free(other);
		return;
	}
	url = json_str(it, "href", json_str(it, "src", json_str(it, "host",
	    NULL)));
	text = json_str(it, "text", NULL);
	if (url == NULL) {
		other = site_value_text(it);
		site_line(label, other);
		free(other);
		return;
	}
	line = text_printf("%s%s%s%s%s", url, text != NULL && text[0] ?
	    " “" : "", text != NULL && text[0] ? text : "",
	    text != NULL && text[0] ? "”" : "",
	    json_bool(it, "hidden", false) ? (en ? " (hidden)" : " (ẩn)") :
	    "");
	site_line(label, line);
	free(line);
}

static void
site_evidence(json_t *ev, bool en)
{
	const char *key;
	json_t *v, *it;
	size_t i;
	char *s;

	json_object_foreach(ev, key, v) {
		if (strcmp(key, "diff") == 0 && json_is_array(v)) {
			printf("      %s:\n", en ? "text diff" :
			    "khác biệt văn bản");
			json_array_foreach(v, i, it) {
				if (i == 2 * SITE_SHOW_ITEMS) {
					printf("        …\n");
					break;
				}
				s = site_value_text(it);
				site_line(NULL, s);
				free(s);
			}
		} else if ((strcmp(key, "links") == 0 ||
		    strcmp(key, "scripts") == 0 ||
		    strcmp(key, "frames") == 0) && json_is_array(v)) {
			const char *label = strcmp(key, "links") == 0 ?
			    (en ? "link" : "liên kết") :
			    strcmp(key, "scripts") == 0 ?
			    (en ? "script" : "mã script") :
			    (en ? "frame" : "khung");

			json_array_foreach(v, i, it) {
				if (i == SITE_SHOW_ITEMS) {
					printf("      … (%zu)\n",
					    json_array_size(v));
					break;
				}
				site_item(label, it, en);
			}
		} else if (strcmp(key, "terms") == 0 && json_is_array(v)) {
			json_array_foreach(v, i, it) {
				if (i == SITE_SHOW_ITEMS) {
					printf("      … (%zu)\n",
					    json_array_size(v));
					break;
				}
				s = text_printf("%s — “%s”",
				    json_str(it, "term", "?"),
				    json_str(it, "context",
				    json_str(it, "found", "")));
				site_line(en ? "term" : "thuật ngữ", s);
				free(s);
			}
		} else if (strcmp(key, "chain") == 0 && json_is_array(v)) {
			json_array_foreach(v, i, it) {
				s = text_printf("%lld %s → %s",
				    json_int(it, "status", 0),
				    json_str(it, "url", "?"),
				    json_str(it, "location", "?"));
				site_line(en ? "redirect" : "chuyển hướng", s);
				free(s);
			}
		} else {
			const char *label = strcmp(key, "before") == 0 ?
			    (en ? "before" : "trước") :
			    strcmp(key, "after") == 0 ? (en ? "after" : "sau") :
			    key;

			s = site_value_text(v);
			site_line(label, s);
			free(s);
		}
	}
}

static void
site_print_alert(json_t *a, bool en)
{
	char *url, *kind;
	const char *title;
	json_t *t = json_object_get(a, "title");

	title = json_str(t, en ? "en" : "vi", json_str(a, "kind", "?"));
	url = out_escape(json_str(a, "url", ""));
	kind = out_escape(title);
	printf("  [%s] %s (%s)\n", out_severity(json_str(a, "severity", ""),
	    en), kind, json_str(a, "kind", "?"));
	printf("      %s: %s — %s\n", en ? "seen by" : "phát hiện qua",
	    site_fetch_word(json_str(a, "fetch", ""), en), url);
	free(url);
	free(kind);
	if (json_is_object(json_object_get(a, "evidence")))
		site_evidence(json_object_get(a, "evidence"), en);
}

static void
site_print_round(json_t *res, bool en)
{
	json_t *pages = json_object_get(res, "pages"), *site, *p, *a, *st;
	size_t i, j, learnt = 0, failed = 0;
	char *e;

	json_array_foreach(pages, i, p) {
		json_t *al = json_object_get(p, "alerts");

		if (json_bool(p, "learnt", false))
			learnt++;
		if (json_object_get(p, "learn_error") != NULL) {
			failed++;
			e = out_escape(json_str(p, "url", ""));
			printf("%s %s\n", en ? "baseline not learnt:" :
			    "chưa học được mốc:", e);
			free(e);
			site_line(en ? "why" : "lý do",
			    json_str(p, "learn_error", ""));
		}
		if (json_array_size(al) == 0)
			continue;
		e = out_escape(json_str(p, "url", ""));
		printf("%s (HTTP %lld)\n", e, json_int(p, "status", 0));
		free(e);
		json_array_foreach(al, j, a)
			site_print_alert(a, en);
	}
	site = json_object_get(res, "site");
	if (json_array_size(site) > 0) {
		printf("%s\n", en ? "Site-wide (once per host):" :
		    "Toàn trang (một lần cho mỗi máy chủ):");
		json_array_foreach(site, i, a)
			site_print_alert(a, en);
	}
	st = json_object_get(res, "stats");
	printf(en ? "%lld pages, %lld fetches, %lld alerts, %.2f s, "
	    "%.1f pages/s, peak memory %lld KiB" :
	    "%lld trang, %lld lần tải, %lld cảnh báo, %.2f giây, "
	    "%.1f trang/giây, bộ nhớ tối đa %lld KiB",
	    json_int(st, "pages", 0), json_int(st, "fetches", 0),
	    json_int(st, "alerts", 0),
	    json_real_value(json_object_get(st, "seconds")),
	    json_real_value(json_object_get(st, "pages_per_s")),
	    json_int(st, "max_rss_kb", 0));
	if (learnt > 0)
		printf(en ? "; baseline learnt for %zu new pages" :
		    "; đã học mốc cho %zu trang mới", learnt);
	if (failed > 0)
		printf(en ? "; %zu not learnt" : "; %zu trang chưa học được",
		    failed);
	printf("\n");
	fflush(stdout);
}

static void
site_print_learn(json_t *res, bool en)
{
	json_t *p, *st = json_object_get(res, "stats");
	size_t i;
	char *e;

	json_array_foreach(json_object_get(res, "pages"), i, p) {
		e = out_escape(json_str(p, "url", ""));
		if (json_bool(p, "learnt", false))
			printf("%s %s (HTTP %lld, %lld %s)\n",
			    en ? "learnt " : "đã học ", e,
			    json_int(p, "status", 0), json_int(p, "fetches", 0),
			    en ? "fetches" : "lần tải");
		else {
			printf("%s %s\n", en ? "FAILED " : "LỖI    ", e);
			site_line(en ? "why" : "lý do",
			    json_str(p, "learn_error", ""));
		}
		free(e);
	}
	printf(en ? "%lld of %lld baselines learnt, %lld fetches, %.2f s\n" :
	    "đã học %lld trên %lld mốc, %lld lần tải, %.2f giây\n",
	    json_int(st, "learnt", 0), json_int(st, "pages", 0),
	    json_int(st, "fetches", 0),
	    json_real_value(json_object_get(st, "seconds")));
}

/* --- on the server's data directory -------------------------------------- */

/* A URL typed by the operator: printable UTF-8, http(s), at most
 * SITE_URL_MAX bytes; a usage error otherwise. */
static bool
site_url_ok(const char *name, const char *url)
{
	size_t len = strlen(url), j;
	char *host, *e;

	for (j = 0; j < len; j++)
		if ((unsigned char)url[j] <= 0x20 || url[j] == 0x7f)
			break;
	host = j == len && len <= SITE_URL_MAX && text_valid_utf8(url, len) ?
	    site_url_host(url) : NULL;
	if (host != NULL) {
		free(host);
		return true;
	}
	e = out_escape(url);
	cli_usage_error("%s: “%s” không phải URL http:// hoặc https:// — “%s” "
	    "is not an http:// or https:// URL", name, e, e);
	free(e);
	return false;
}

static void
site_audit(struct store *st, const char *action, const char *url,
    json_t *detail)
{
	char *object = text_printf("site:%s", url);

	cli_audit(st, action, object, detail);
	free(object);
}

/* The server's configuration with the command's --cafile, --resolve,
 * --dns-server and --concurrency over its site-* keys (a shallow copy:
 * only sc is freed). */
static void
site_server_conf(const struct site_args *a, const struct serverconf *sc,
    struct serverconf *out)
{
	size_t i;

	*out = *sc;
	if (a->cafile != NULL)
		out->site_cafile = (char *)a->cafile;
	if (a->dns_server != NULL)
		out->site_dns_server = (char *)a->dns_server;
	if (a->concurrency > 0)
		out->site_concurrency = (int)a->concurrency;
	if (a->nresolve > 0) {
		for (i = 0; i < a->nresolve; i++)
			out->site_resolve[i] = (char *)a->resolve[i];
		out->nsite_resolve = a->nresolve;
	}
}

struct site_found {
	json_t *urls;			/* registered URL -> unit name */
};

static int
site_found_row(const struct store_site *s, void *arg)
{
	struct site_found *f = arg;

	json_object_set_new(f->urls, s->url, json_string(s->unit));
	return 0;
}

/* Every URL of a must be registered: EXIT_OK, or EXIT_FAIL after saying
 * which is not. */
static int
site_registered(struct store *st, const struct site_args *a)
{
	struct store_site_filter f;
	struct site_found found;
	char err[1024], *e;
	size_t i;
	int rc = EXIT_OK;

	found.urls = json_object();
	for (i = 0; i < a->nurls; i++) {
		memset(&f, 0, sizeof(f));
		f.url = a->urls[i];
		if (store_sites(st, &f, site_found_row, &found, err,
		    sizeof(err)) != STORE_OK) {
			log_warnx("%s", err);
			rc = EXIT_FAIL;
			break;
		}
		if (json_object_get(found.urls, a->urls[i]) == NULL) {
			e = out_escape(a->urls[i]);
			log_warnx("%s: chưa được theo dõi, thêm bằng canhgac site "
			    "add --unit ĐƠN_VỊ — not a monitored site, add it "
			    "with canhgac site add --unit UNIT", e);
			free(e);
			rc = EXIT_FAIL;
		}
	}
	json_decref(found.urls);
	return rc;
}

static int
site_server_baseline(struct cli *c, struct site_args *a)
{
	struct serverconf sc, sc2;
	struct store *st = NULL;
	struct sitejob j;
	json_t *res, *p;
	char err[1024];
	size_t i;
	int rc;

	if (cli_open(c, 0, &sc, &st) != 0)
		return EXIT_FAIL;
	if ((rc = site_registered(st, a)) != EXIT_OK)
		goto out;
	site_server_conf(a, &sc, &sc2);
	if (sitejob_init(&j, st, &sc2, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		rc = EXIT_FAIL;
		goto out;
	}
	res = sitejob_learn(&j, (const char *const *)a->urls, a->nurls, err,
	    sizeof(err));
	sitejob_free(&j);
	if (res == NULL) {
		log_warnx("%s", err);
		rc = EXIT_USAGE;
		goto out;
	}
	/* a new baseline is a decision of a person: the audit log */
	json_array_foreach(json_object_get(res, "pages"), i, p)
		if (json_bool(p, "learnt", false))
			site_audit(st, "site.baseline", json_str(p, "url", ""),
			    json_pack("{s:I}", "fetches",
			    (json_int_t)json_int(p, "fetches", 0)));
	if (a->json)
		site_print_json(res);
	else
		site_print_learn(res, c->en);
	rc = json_int(json_object_get(res, "stats"), "failed", 0) > 0 ?
	    EXIT_FAIL : EXIT_OK;
	json_decref(res);
out:
	cli_close(&sc, st);
	return rc;
}

static int
site_server_check(struct cli *c, struct site_args *a)
{
	struct serverconf sc, sc2;
	struct store *st = NULL;
	struct sitejob j;
	struct sitejob_result r;
	json_t *res;
	char err[1024];
	size_t i;
	int rc, ret;

	if (cli_open(c, 0, &sc, &st) != 0)
		return EXIT_FAIL;
	site_server_conf(a, &sc, &sc2);
	if (sitejob_init(&j, st, &sc2, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		cli_close(&sc, st);
		return EXIT_FAIL;
	}
	ret = sitejob_check(&j, (const char *const *)a->urls, a->nurls,
	    (int64_t)time(NULL), &r, err, sizeof(err));
	sitejob_free(&j);
	if (ret != STORE_OK) {
		log_warnx("%s", err);
		json_decref(r.rounds);
		cli_close(&sc, st);
		return ret == STORE_ENOTFOUND ? EXIT_FAIL : EXIT_USAGE;
	}
	rc = EXIT_OK;
	json_array_foreach(r.rounds, i, res) {
		if (a->json)
			site_print_json(res);
		else
			site_print_round(res, c->en);
		if (json_int(json_object_get(res, "stats"), "alerts", 0) > 0)
			rc = EXIT_FAIL;
	}
	if (!a->json)
		printf(c->en ? "stored: %zu sites of %zu origins, %d findings "
		    "opened, %d resolved\n" : "đã lưu: %zu trang của %zu nguồn, "
		    "mở %d vi phạm, đóng %d\n", r.sites, r.origins, r.opened,
		    r.resolved);
	json_decref(r.rounds);
	cli_close(&sc, st);
	return rc;
}

/* canhgac site add --unit U [--interval 15m] [--sitemap] URL... */
static int
site_add(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_OPTIONS,
		{"unit", required_argument, NULL, 'u'},
		{"interval", required_argument, NULL, 'i'},
		{"sitemap", no_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	struct serverconf sc;
	struct store *st = NULL;
	const char *unit_arg = NULL;
	char *unit = NULL, err[1024], *e;
	int64_t interval = STORE_SITE_INTERVAL_DEFAULT, unit_id;
	bool sitemap = false, added;
	int ch, rc, i;

	while ((ch = cli_getopt(c, argc, argv, longopts, NULL, &rc)) != -1) {
		switch (ch) {
		case 'u': unit_arg = optarg; break;
		case 's': sitemap = true; break;
		case 'i':
			if (!enrol_duration(optarg, &interval) ||
			    interval < STORE_SITE_INTERVAL_MIN ||
			    interval > STORE_SITE_INTERVAL_MAX)
				return cli_usage_error("--interval “%s”: chu kỳ "
				    "từ 1m đến 24h (s, m, h) — an interval from "
				    "1m to 24h (s, m, h)", optarg);
			break;
		}
	}
	if (rc != EXIT_OK)
		return rc;
	if (unit_arg == NULL)
		return cli_usage_error("site add: thiếu --unit ĐƠN_VỊ — --unit "
		    "UNIT is required");
	if (optind >= argc)
		return cli_usage_error("site add: cần ít nhất một URL — needs "
		    "at least one URL");
	for (i = optind; i < argc; i++)
		if (!site_url_ok("site add", argv[i]))
			return EXIT_USAGE;
	if ((unit = cli_text_arg("--unit", unit_arg, ENROL_UNIT_MAX,
	    false)) == NULL)
		return EXIT_USAGE;
	if (cli_open(c, 0, &sc, &st) != 0) {
		free(unit);
		return EXIT_FAIL;
	}
	rc = EXIT_OK;
	if (store_unit_ensure(st, unit, &unit_id, err, sizeof(err)) !=
	    STORE_OK) {
		log_warnx("%s: %s", unit, err);
		rc = EXIT_FAIL;
		goto out;
	}
	for (i = optind; i < argc; i++) {
		e = out_escape(argv[i]);
		if (store_site_add(st, unit_id, argv[i], (int)interval, sitemap,
		    cli_user(), (int64_t)time(NULL), &added, err,
		    sizeof(err)) != STORE_OK) {
			log_warnx("%s: %s", e, err);
			rc = EXIT_FAIL;
		} else {
			site_audit(st, added ? "site.added" : "site.changed",
			    argv[i], json_pack("{s:s, s:I, s:b}", "unit", unit,
			    "interval", (json_int_t)interval, "sitemap",
			    sitemap));
			printf(c->en ? "%s %s (unit %s, every %llds%s)\n" :
			    "%s %s (đơn vị %s, mỗi %lld giây%s)\n",
			    added ? (c->en ? "added  " : "đã thêm") :
			    (c->en ? "changed" : "đã đổi "), e, unit,
			    (long long)interval, sitemap ? ", sitemap" : "");
		}
		free(e);
	}
out:
	free(unit);
	cli_close(&sc, st);
	return rc;
}

/* canhgac site remove URL... */
static int
site_remove(struct cli *c, int argc, char **argv)
{
	struct serverconf sc;
	struct store *st = NULL;
	char err[1024], *e;
	int64_t unit_id;
	int i, rc, resolved;

	while (cli_getopt(c, argc, argv, NULL, NULL, &rc) != -1)
		;
	if (rc != EXIT_OK)
		return rc;
	if (optind >= argc)
		return cli_usage_error("site remove: cần ít nhất một URL — needs "
		    "at least one URL");
	if (cli_open(c, 0, &sc, &st) != 0)
		return EXIT_FAIL;
	rc = EXIT_OK;
	for (i = optind; i < argc; i++) {
		e = out_escape(argv[i]);
		if (store_site_remove(st, argv[i], (int64_t)time(NULL),
		    &unit_id, &resolved, err, sizeof(err)) != STORE_OK) {
			log_warnx("%s", err);
			rc = EXIT_FAIL;
		} else {
			site_audit(st, "site.removed", argv[i],
			    json_pack("{s:I, s:i}", "unit_id",
			    (json_int_t)unit_id, "resolved", resolved));
			printf("%s %s", c->en ? "removed" : "đã bỏ", e);
			if (resolved > 0)
				printf(c->en ? " (%d open findings of its "
				    "origin resolved: no longer checked)" :
				    " (%d phát hiện đang mở của trang đã đóng: "
				    "không còn được kiểm tra)", resolved);
			putchar('\n');
		}
		free(e);
	}
	cli_close(&sc, st);
	return rc;
}

static const struct out_col site_cols[] = {
	{"Đơn vị", "Unit", 30, 8, false, false},
	{"URL", "URL", 0, 20, false, true},
	{"Chu kỳ", "Interval", 0, 0, true, false},
	{"Sitemap", "Sitemap", 0, 0, false, false},
	{"Kiểm tra lần cuối", "Last checked", 0, 0, false, false},
	{"Lỗi", "Error", 40, 5, false, false},
};

static int
site_list_row(const struct store_site *s, void *arg)
{
	struct listing *l = arg;
	char iv[32], when[OUT_TIME_LEN];
	const char *cells[6];

	if (l->json) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_integer(s->id));
		out_json_str(o, "unit", s->unit);
		out_json_str(o, "url", s->url);
		out_json_str(o, "origin", s->origin);
		json_object_set_new(o, "host_id", json_sprintf("%s%s",
		    STORE_SITE_HOST_PREFIX, s->origin));
		json_object_set_new(o, "interval", json_integer(s->interval));
		json_object_set_new(o, "sitemap", json_boolean(s->sitemap));
		out_json_str(o, "added_by", s->added_by);
		out_json_time(o, "added_at", s->added_at);
		out_json_time(o, "last_checked", s->last_checked);
		out_json_time(o, "next_due", s->next_due);
		out_json_str(o, "last_error", s->last_error);
		out_jsonarr_add(&l->arr, o);
		return 0;
	}
	snprintf(iv, sizeof(iv), "%ds", s->interval);
	out_time(s->last_checked, when);
	cells[0] = s->unit;
	cells[1] = s->url;
	cells[2] = iv;
	cells[3] = s->sitemap ? (l->en ? "yes" : "có") : "";
	cells[4] = when;
	cells[5] = s->last_error;
	out_table_row(l->tab, cells);
	return 0;
}

static int
site_list_query(struct store *st, struct listing *l, char *err,
    size_t errlen)
{
	struct store_site_filter f;
	const char *unit = l->arg;
	int ret;

	memset(&f, 0, sizeof(f));
	if (unit != NULL) {
		ret = store_unit_find(st, unit, &f.unit_id, err, errlen);
		if (ret == STORE_ENOTFOUND)
			return STORE_OK;	/* no such unit: no site */
		if (ret != STORE_OK)
			return ret;
	}
	return store_sites(st, &f, site_list_row, l, err, errlen);
}

/* canhgac site list [--unit U] [--json] */
static int
site_list(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_OPTIONS,
		{"unit", required_argument, NULL, 'u'},
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	struct listing l;
	char *unit = NULL;
	int ch, rc;

	memset(&l, 0, sizeof(l));
	while ((ch = cli_getopt(c, argc, argv, longopts, "site list", &rc)) !=
	    -1) {
		switch (ch) {
		case 'u':
			free(unit);
			if ((unit = cli_text_arg("--unit", optarg, 255,
			    false)) == NULL)
				return EXIT_USAGE;
			break;
		case 'j': l.json = true; break;
		}
	}
	if (rc != EXIT_OK) {
		free(unit);
		return rc;
	}
	l.cols = site_cols;
	l.ncols = sizeof(site_cols) / sizeof(site_cols[0]);
	l.query = site_list_query;
	l.none = c->en ? "no monitored site (canhgac site add)" :
	    "chưa theo dõi trang nào (canhgac site add)";
	l.arg = unit;
	rc = listing_run(c, &l);
	free(unit);
	return rc;
}

/* --- the subcommands --------------------------------------------------- */

static int
site_baseline(struct cli *c, int argc, char **argv)
{
	struct site_args a;
	struct site_limits lim;
	struct site_round_opts o;
	char err[1024];
	json_t *res;
	int rc;

	if ((rc = site_parse(c, argc, argv, false, &a)) != EXIT_OK)
		return rc;
	if (a.state == NULL)
		return site_server_baseline(c, &a);
	site_opts(&a, &lim, &o);
	res = site_learn(&o, err, sizeof(err));
	if (res == NULL) {
		log_warnx("%s", err);
		return EXIT_USAGE;
	}
	if (a.json)
		site_print_json(res);
	else
		site_print_learn(res, c->en);
	rc = json_int(json_object_get(res, "stats"), "failed", 0) > 0 ?
	    EXIT_FAIL : EXIT_OK;
	json_decref(res);
	return rc;
}

static int
site_check(struct cli *c, int argc, char **argv)
{
	struct site_args a;
	struct site_limits lim;
	struct site_round_opts o;
	struct site_vocab *vocab = NULL;
	char err[1024];
	json_t *res;
	long r;
	int rc;

	if ((rc = site_parse(c, argc, argv, true, &a)) != EXIT_OK)
		return rc;
	if (a.state == NULL)
		return site_server_check(c, &a);
	site_opts(&a, &lim, &o);
	if (site_vocab_load(a.vocab, &vocab, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		return EXIT_USAGE;
	}
	o.vocab = vocab;
	rc = EXIT_OK;
	/* --rounds N: N rounds in one process, one JSON object a line */
	for (r = 0; r < a.rounds; r++) {
		o.now = 0;
		res = site_round(&o, err, sizeof(err));
		if (res == NULL) {
			log_warnx("%s", err);
			rc = EXIT_USAGE;
			break;
		}
		if (a.json)
			site_print_json(res);
		else
			site_print_round(res, c->en);
		if (json_int(json_object_get(res, "stats"), "alerts", 0) > 0)
			rc = EXIT_FAIL;
		json_decref(res);
	}
	site_vocab_free(vocab);
	return rc;
}

int
cmd_site(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("site: cần add, list, remove, baseline "
		    "hoặc check — site needs add, list, remove, baseline or "
		    "check");
	if (strcmp(argv[1], "baseline") == 0)
		return site_baseline(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "check") == 0)
		return site_check(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "add") == 0)
		return site_add(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return site_list(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "remove") == 0)
		return site_remove(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_usage(stdout);
		return EXIT_OK;
	}
	return cli_usage_error("site: lệnh con không hợp lệ “%s”: chọn add, "
	    "list, remove, baseline hoặc check — unknown subcommand “%s”: use "
	    "add, list, remove, baseline or check", argv[1], argv[1]);
}
