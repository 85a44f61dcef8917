/*
 * main_agentd.c — canhgac-agentd, the part of canhgac-agent that talks to
 * the server: enroll (keys, the certificate request, the pinned CA), run
 * (audit on schedule, the durable queue, upload with back-off, the
 * scheduled document scan) and status. canhgac-agent executes it for those
 * three commands, with the same arguments, so that an audit or a document
 * scan maps neither libcurl nor GnuTLS. canhgac-agent(8).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "agent/enroll.h"
#include "agent/run.h"
#include "agent/upload.h"
#include "agent/usage.h"
#include "lib/log.h"

#define EXIT_USAGE 2

/* Options of enroll, run and status; what a command does not take is
 * refused. */
enum {
	OPT_SERVER = 256, OPT_TOKEN, OPT_FPR, OPT_STATE, OPT_FORCE, OPT_ONCE,
};

static int
cmd_service_parse(int argc, char **argv, const char *allowed,
    struct enroll_opts *eo, struct run_opts *ro)
{
	static const struct option longopts[] = {
		{"server", required_argument, NULL, OPT_SERVER},
		{"token", required_argument, NULL, OPT_TOKEN},
		{"ca-fingerprint", required_argument, NULL, OPT_FPR},
		{"state", required_argument, NULL, OPT_STATE},
		{"force", no_argument, NULL, OPT_FORCE},
		{"once", no_argument, NULL, OPT_ONCE},
		{"root", required_argument, NULL, 'r'},
		{"config", required_argument, NULL, 'c'},
		{"policy", required_argument, NULL, 'p'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int ch, i;

	optind = 2;
	while ((ch = getopt_long(argc, argv, "r:c:p:vh", longopts, &i)) !=
	    -1) {
		const char *name = NULL;

		switch (ch) {
		case OPT_SERVER: name = "server"; eo->server = optarg; break;
		case OPT_TOKEN: name = "token"; eo->token = optarg; break;
		case OPT_FPR: name = "ca-fingerprint";
			eo->fingerprint = optarg; break;
		case OPT_STATE: name = "state"; eo->state_dir = optarg;
			ro->state_dir = optarg; break;
		case OPT_FORCE: name = "force"; eo->force = true; break;
		case OPT_ONCE: name = "once"; ro->once = true; break;
		case 'r': name = "root"; eo->audit.root = optarg;
			ro->audit.root = optarg; break;
		case 'c': name = "config"; eo->audit.config = optarg;
			ro->audit.config = optarg; break;
		case 'p': name = "policy"; eo->audit.policy = optarg;
			ro->audit.policy = optarg; break;
		case 'v': name = "verbose"; ro->verbose++; break;
		case 'h': agent_usage(stdout); exit(0);
		default: agent_usage(stderr); return -1;
		}
		if (strstr(allowed, name) == NULL) {
			log_warnx("“%s” không nhận --%s — “%s” does not take "
			    "--%s", argv[1], name, argv[1], name);
			return -1;
		}
	}
	if (optind != argc) {
		log_warnx("đối số thừa “%s” — unexpected argument “%s”",
		    argv[optind], argv[optind]);
		return -1;
	}
	return 0;
}

static int
cmd_enroll(int argc, char **argv)
{
	struct enroll_opts eo;
	struct run_opts ro;
	struct enrolment e;
	char err[4096];

	memset(&eo, 0, sizeof(eo));
	memset(&ro, 0, sizeof(ro));
	if (cmd_service_parse(argc, argv, "server token ca-fingerprint state "
	    "force root config policy verbose", &eo, &ro) != 0)
		return EXIT_USAGE;
	if (eo.server == NULL || eo.token == NULL || eo.fingerprint == NULL) {
		log_warnx("enroll cần --server, --token và --ca-fingerprint — "
		    "enroll needs --server, --token and --ca-fingerprint");
		agent_usage(stderr);
		return EXIT_USAGE;
	}
	if (upload_init(err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		return 1;
	}
	if (enroll(&eo, &e, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		return 1;
	}
	printf("Đã đăng ký với %s: agent %s, đơn vị “%s”, máy %s — enrolled "
	    "with %s: agent %s, unit “%s”, host %s\n", e.server, e.agent_id,
	    e.unit, e.host_id, e.server, e.agent_id, e.unit, e.host_id);
	enroll_free(&e);
	return 0;
}

static int
cmd_run(int argc, char **argv)
{
	struct enroll_opts eo;
	struct run_opts ro;

	memset(&eo, 0, sizeof(eo));
	memset(&ro, 0, sizeof(ro));
	if (cmd_service_parse(argc, argv, "once state root config policy "
	    "verbose", &eo, &ro) != 0)
		return EXIT_USAGE;
	log_init("canhgac-agent", LOG_TO_STDERR, 1 + ro.verbose);
	return run_main(&ro);
}

static int
cmd_status(int argc, char **argv)
{
	struct enroll_opts eo;
	struct run_opts ro;

	memset(&eo, 0, sizeof(eo));
	memset(&ro, 0, sizeof(ro));
	if (cmd_service_parse(argc, argv, "state config", &eo, &ro) != 0)
		return EXIT_USAGE;
	return run_status(&ro);
}

int
main(int argc, char **argv)
{
	log_init("canhgac-agent", LOG_TO_STDERR, 0);
	if (sodium_init() < 0)
		log_fatalx("libsodium không khởi tạo được — libsodium init "
		    "failed");
	if (argc >= 2 && strcmp(argv[1], "enroll") == 0)
		return cmd_enroll(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "run") == 0)
		return cmd_run(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "status") == 0)
		return cmd_status(argc, argv);
	agent_usage(stderr);
	return EXIT_USAGE;
}
