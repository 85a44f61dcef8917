/*
 * cmd_agent.c — canhgac agent list | revoke: the enrolled agents, and
 * cutting one off. Revocation is written to the store, which canhgacd
 * reads on every request, so it takes effect at once, without a restart;
 * the event log keeps who did it (the Unix user). canhgac(8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "lib/log.h"
#include "lib/text.h"

#define AGENT_UNIT_MAX 200
#define AGENT_ID_LEN 32

static int
agent_list_row(const struct store_agent *a, void *arg)
{
	struct listing *l = arg;
	const char *unit = l->arg, *state;
	char enrolled[OUT_TIME_LEN], seen[OUT_TIME_LEN];

	if (unit != NULL && strcmp(unit, a->unit) != 0)
		return 0;
	if (l->json) {
		json_t *o = json_object();

		out_json_str(o, "id", a->id);
		out_json_str(o, "host_id", a->host_id);
		out_json_str(o, "hostname", a->hostname);
		out_json_str(o, "unit", a->unit);
		out_json_str(o, "version", a->version);
		out_json_str(o, "cert_serial", a->cert_serial);
		out_json_time(o, "enrolled", a->enrolled);
		out_json_time(o, "last_seen", a->last_seen);
		json_object_set_new(o, "revoked", json_boolean(a->revoked));
		out_json_time(o, "revoked_at", a->revoked_at);
		out_jsonarr_add(&l->arr, o);
		return 0;
	}
	out_time(a->enrolled, enrolled);
	out_time(a->last_seen, seen);
	if (a->revoked)
		state = l->en ? "revoked" : "đã thu hồi";
	else
		state = l->en ? "active" : "hoạt động";
	out_table_row(l->tab, (const char *const[]){ a->id, a->hostname,
	    a->unit, a->version, enrolled, seen, state });
	return 0;
}

static const struct out_col agent_list_cols[] = {
	{"MÃ AGENT", "AGENT ID", 0, 0, false, false},
	{"MÁY", "HOST", 32, 16, false, false},
	{"ĐƠN VỊ", "UNIT", 28, 14, false, false},
	{"PHIÊN BẢN", "VERSION", 12, 0, false, false},
	{"ĐĂNG KÝ", "ENROLLED", 0, 0, false, false},
	{"LIÊN LẠC CUỐI", "LAST SEEN", 0, 0, false, false},
	{"TRẠNG THÁI", "STATE", 0, 0, false, false},
};

static int
agent_list_query(struct store *st, struct listing *l, char *err,
    size_t errlen)
{
	return store_agent_list(st, agent_list_row, l, err, errlen);
}

static int
agent_list(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_OPTIONS,
		{"unit", required_argument, NULL, 'u'},
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	struct listing l = {
		.cols = agent_list_cols,
		.ncols = sizeof(agent_list_cols) / sizeof(agent_list_cols[0]),
		.query = agent_list_query,
		.none = "chưa có agent nào đăng ký — no agents enrolled yet",
	};
	const char *unit_arg = NULL;
	char *unit = NULL;
	int ch, rc;

	while ((ch = cli_getopt(c, argc, argv, longopts, "agent list",
	    &rc)) != -1)
		switch (ch) {
		case 'u': unit_arg = optarg; break;
		case 'j': l.json = true; break;
		}
	if (rc != EXIT_OK)
		return rc;
	if (unit_arg != NULL && (unit = cli_text_arg("--unit", unit_arg,
	    AGENT_UNIT_MAX, false)) == NULL)
		return EXIT_USAGE;
	l.arg = unit;
	rc = listing_run(c, &l);
	free(unit);
	return rc;
}

/* 32 hexadecimal digits, lower-cased into id. */
static bool
agent_id_ok(const char *s, char id[AGENT_ID_LEN + 1])
{
	size_t i;

	if (strlen(s) != AGENT_ID_LEN)
		return false;
	for (i = 0; i < AGENT_ID_LEN; i++) {
		if (text_hexval((unsigned char)s[i]) < 0)
			return false;
		id[i] = (char)(s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 'a' :
		    s[i]);
	}
	id[AGENT_ID_LEN] = '\0';
	return true;
}

static int
agent_revoke(struct cli *c, int argc, char **argv)
{
	struct store_agent a;
	struct serverconf sc;
	struct store *st;
	char err[1024], id[AGENT_ID_LEN + 1], *host;
	int r, rc;

	while (cli_getopt(c, argc, argv, NULL, NULL, &rc) != -1)
		continue;
	if (rc != EXIT_OK)
		return rc;
	rc = EXIT_FAIL;
	if (argc - optind != 1)
		return cli_usage_error("agent revoke: cần đúng một MÃ_AGENT (xem "
		    "canhgac agent list) — needs exactly one AGENT_ID (see "
		    "canhgac agent list)");
	if (!agent_id_ok(argv[optind], id))
		return cli_usage_error("agent revoke: “%s” không phải mã agent "
		    "(32 chữ số hex) — “%s” is not an agent id (32 hex "
		    "digits)", argv[optind], argv[optind]);
	if (cli_open(c, 0, &sc, &st) != 0)
		return EXIT_FAIL;
	memset(&a, 0, sizeof(a));
	r = store_agent_get(st, id, &a, err, sizeof(err));
	if (r == STORE_ENOTFOUND) {
		log_warnx("không có agent %s — no agent %s", id, id);
		goto out;
	}
	if (r != STORE_OK) {
		log_warnx("%s: %s", sc.store, err);
		goto out;
	}
	host = out_escape(a.hostname);
	if (a.revoked) {
		printf("agent %s (%s) đã bị thu hồi từ trước — was already "
		    "revoked\n", id, host);
		free(host);
		rc = EXIT_OK;
		goto out;
	}
	r = store_agent_revoke(st, id, (int64_t)time(NULL), cli_user(), err,
	    sizeof(err));
	if (r != STORE_OK && r != STORE_EREVOKED) {
		log_warnx("%s: %s", sc.store, err);
		free(host);
		goto out;
	}
	if (r == STORE_OK) {
		char object[64];
		json_t *d = json_object();

		snprintf(object, sizeof(object), "agent:%s", id);
		out_json_str(d, "host", a.hostname);
		cli_audit(st, "agent.revoked", object, d);
	}
	printf("đã thu hồi agent %s (máy %s); canhgacd từ chối nó ngay từ yêu "
	    "cầu kế tiếp — agent %s (host %s) revoked; canhgacd refuses it "
	    "from its next request\n", id, host, id, host);
	free(host);
	rc = EXIT_OK;
out:
	cli_close(&sc, st);
	return rc;
}

int
cmd_agent(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("agent: cần list hoặc revoke — agent "
		    "needs list or revoke");
	if (strcmp(argv[1], "list") == 0)
		return agent_list(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "revoke") == 0)
		return agent_revoke(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_usage(stdout);
		return EXIT_OK;
	}
	return cli_usage_error("agent: lệnh con không hợp lệ “%s”: chọn list "
	    "hoặc revoke — unknown subcommand “%s”: use list or revoke",
	    argv[1], argv[1]);
}
