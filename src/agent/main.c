/*
 * main.c — canhgac-agent's command line: audit this computer (or a mounted
 * disk) against the directive and print the report; dump facts; check or
 * document the policy; find classified documents. Enrolling with the
 * server, running (audit on schedule and upload) and the status are
 * canhgac-agentd's (main_agentd.c), which this program becomes for them:
 * an audit maps no TLS library. canhgac-agent(8) describes every option.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "agent/audit.h"
#include "agent/policy_doc.h"
#include "agent/report.h"
#include "agent/run.h"
#include "agent/schema.h"
#include "agent/usage.h"
#include "lib/file.h"
#include "lib/log.h"
#include "lib/prog.h"
#include "lib/text.h"
#include "secrets/scan.h"

#define EXIT_USAGE 2

struct cli {
	struct audit_opts audit;
	const char *format, *output, *lang, *color;
	int verbose;
	bool test_only;
};

static int
cli_parse(int argc, char **argv, struct cli *c)
{
	static const struct option longopts[] = {
		{"root", required_argument, NULL, 'r'},
		{"policy", required_argument, NULL, 'p'},
		{"config", required_argument, NULL, 'c'},
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"lang", required_argument, NULL, 'l'},
		{"color", required_argument, NULL, 'C'},
		{"only", required_argument, NULL, 'O'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "r:p:c:f:o:l:vhnV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'r': c->audit.root = optarg; break;
		case 'p': c->audit.policy = optarg; break;
		case 'c': c->audit.config = optarg; break;
		case 'f': c->format = optarg; break;
		case 'o': c->output = optarg; break;
		case 'l': c->lang = optarg; break;
		case 'C': c->color = optarg; break;
		case 'O': c->audit.only = optarg; break;
		case 'v': c->verbose++; break;
		case 'n': c->test_only = true; break;
		case 'h': agent_usage(stdout); exit(0);
		case 'V': printf("canhgac-agent %s\n", AGENT_VERSION); exit(0);
		default: agent_usage(stderr); return -1;
		}
	}
	if (c->format != NULL && strcmp(c->format, "text") != 0 &&
	    strcmp(c->format, "json") != 0 && strcmp(c->format, "html") != 0) {
		log_warnx("định dạng không hợp lệ “%s”: chọn text, json hoặc "
		    "html — invalid format “%s”: use text, json or html",
		    c->format, c->format);
		return -1;
	}
	if (c->lang != NULL && strcmp(c->lang, "vi") != 0 &&
	    strcmp(c->lang, "en") != 0) {
		log_warnx("ngôn ngữ không hợp lệ “%s”: chọn vi hoặc en — "
		    "invalid language “%s”: use vi or en", c->lang, c->lang);
		return -1;
	}
	if (c->color != NULL && strcmp(c->color, "auto") != 0 &&
	    strcmp(c->color, "always") != 0 && strcmp(c->color, "never") != 0) {
		log_warnx("--color phải là auto, always hoặc never — "
		    "--color must be auto, always or never");
		return -1;
	}
	return 0;
}

/* Writes what render produced to --output atomically (mode 0600: a report
 * names accounts and weaknesses), or to stdout. */
static int
cli_emit(const struct cli *c, json_t *doc, const struct report_opts *ro)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int rc;

	m = c->output ? open_memstream(&buf, &len) : stdout;
	if (m == NULL)
		log_fatal("open_memstream");
	if (c->format != NULL && strcmp(c->format, "json") == 0)
		rc = report_json(m, doc);
	else if (c->format != NULL && strcmp(c->format, "html") == 0)
		rc = report_html(m, doc, ro);
	else
		rc = report_text(m, doc, ro);
	if (c->output == NULL) {
		if (fflush(stdout) != 0 || rc != 0) {
			log_warn("không ghi được báo cáo — cannot write the "
			    "report");
			return -1;
		}
		return 0;
	}
	fclose(m);
	rc = file_write_atomic(c->output, buf, len, 0600);
	free(buf);
	if (rc != 0) {
		log_warnx("%s: không ghi được báo cáo: %s — cannot write the "
		    "report: %s", c->output, text_strerror_vi(-rc) ?
		    text_strerror_vi(-rc) : strerror(-rc), strerror(-rc));
		return -1;
	}
	return 0;
}

static bool
cli_color(const struct cli *c)
{
	if (c->output != NULL || (c->format != NULL &&
	    strcmp(c->format, "text") != 0))
		return false;
	if (c->color != NULL && strcmp(c->color, "always") == 0)
		return true;
	if (c->color != NULL && strcmp(c->color, "never") == 0)
		return false;
	return isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL &&
	    getenv("TERM") != NULL && strcmp(getenv("TERM"), "dumb") != 0;
}

static int
cmd_audit(struct cli *c, bool facts_only)
{
	struct audit_setup s;
	struct report_opts ro;
	char err[2048];
	json_t *doc;
	int rc;

	if (audit_setup(&c->audit, &s, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		audit_setup_free(&s);
		return EXIT_USAGE;
	}
	if (facts_only)
		doc = audit_collect(&c->audit, &s, err, sizeof(err));
	else
		doc = audit_run(&c->audit, &s, err, sizeof(err));
	if (doc == NULL) {
		log_warnx("%s", err);
		audit_setup_free(&s);
		return EXIT_USAGE;
	}
	memset(&ro, 0, sizeof(ro));
	ro.lang = c->lang ? c->lang : s.lang ? s.lang : "vi";
	ro.color = cli_color(c);
	ro.verbose = c->verbose > 0;
	if (facts_only) {
		struct cli j = *c;

		j.format = "json";
		rc = cli_emit(&j, doc, &ro) == 0 ? 0 : EXIT_USAGE;
	} else {
		rc = cli_emit(c, doc, &ro) == 0 ? audit_exit_status(doc) :
		    EXIT_USAGE;
	}
	json_decref(doc);
	audit_setup_free(&s);
	return rc;
}

static int
cmd_policy(struct cli *c, int argc, char **argv)
{
	struct audit_setup s;
	char err[2048], today[16];
	char *md = NULL;
	time_t now = time(NULL) + 7 * 3600;
	struct tm tm;

	if (argc < 1 || (strcmp(argv[0], "check") != 0 &&
	    strcmp(argv[0], "doc") != 0) || (strcmp(argv[0], "doc") == 0 &&
	    (argc < 2 || (strcmp(argv[1], "checks") != 0 &&
	    strcmp(argv[1], "facts") != 0)))) {
		agent_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[0], "doc") == 0 && strcmp(argv[1], "facts") == 0) {
		md = policy_doc_facts(schema_embedded());
		fputs(md, stdout);
		free(md);
		return 0;
	}
	if (audit_setup(&c->audit, &s, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		audit_setup_free(&s);
		return EXIT_USAGE;
	}
	if (strcmp(argv[0], "check") == 0) {
		if (run_conf_check(s.conf, err, sizeof(err)) != 0) {
			log_warnx("%s", err);
			audit_setup_free(&s);
			return EXIT_USAGE;
		}
		printf("bộ tiêu chí hợp lệ: %zu tiêu chí, %zu văn bản pháp lý — "
		    "policy OK: %zu checks, %zu legal texts\n",
		    s.policy->nchecks, s.policy->nlegal, s.policy->nchecks,
		    s.policy->nlegal);
	} else {
		gmtime_r(&now, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		md = policy_doc_checks(s.policy, today);
		fputs(md, stdout);
		free(md);
	}
	audit_setup_free(&s);
	return 0;
}

int
main(int argc, char **argv)
{
	struct cli c;
	const char *cmd;

	log_init("canhgac-agent", LOG_TO_STDERR, 0);
	if (sodium_init() < 0)
		log_fatalx("libsodium không khởi tạo được — libsodium init "
		    "failed");
	memset(&c, 0, sizeof(c));
	if (argc < 2) {
		agent_usage(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[1];
	if (cmd[0] == '-') {
		/* canhgac-agent -n [options], --help, --version */
		if (cli_parse(argc, argv, &c) != 0)
			return EXIT_USAGE;
		if (!c.test_only) {
			agent_usage(stderr);
			return EXIT_USAGE;
		}
		char *pargv[] = {"check", NULL};
		return cmd_policy(&c, 1, pargv);
	}
	if (strcmp(cmd, "enroll") == 0 || strcmp(cmd, "run") == 0 ||
	    strcmp(cmd, "status") == 0) {
		/* the server's side lives in canhgac-agentd */
		char err[1024];

		prog_exec("canhgac-agentd", argv, err, sizeof(err));
		log_warnx("%s", err);
		return 1;
	}
	if (strcmp(cmd, "secrets") == 0)
		return secrets_main(argc - 1, argv + 1);
	optind = 2;
	if (cli_parse(argc, argv, &c) != 0)
		return EXIT_USAGE;
	if (strcmp(cmd, "audit") == 0 && optind == argc)
		return cmd_audit(&c, false);
	if (strcmp(cmd, "facts") == 0 && optind == argc)
		return cmd_audit(&c, true);
	if (strcmp(cmd, "policy") == 0)
		return cmd_policy(&c, argc - optind, argv + optind);
	if (strcmp(cmd, "help") == 0) {
		agent_usage(stdout);
		return 0;
	}
	log_warnx("lệnh không hợp lệ “%s” — unknown command “%s”", cmd, cmd);
	agent_usage(stderr);
	return EXIT_USAGE;
}
