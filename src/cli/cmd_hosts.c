/*
 * cmd_hosts.c — canhgac hosts: every computer in the store with its unit,
 * operating system, score, the counts of its latest report, its open
 * critical and high findings, and when it was last heard from; a host
 * silent for more than two days is marked, as is a revoked one. Opens the
 * store read-only, so it works while canhgacd runs. canhgac(8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define HOSTS_NAME_MAX 200

static bool
hosts_silent(const struct store_host *h, int64_t now)
{
	int64_t seen = h->last_seen != 0 ? h->last_seen : h->first_seen;

	return seen != 0 && now - seen > CLI_SILENT_AFTER;
}

static int
hosts_row(const struct store_host *h, void *arg)
{
	struct listing *l = arg;
	char score[16], fail[16], error[16], crit[16], high[16];
	char seen[OUT_TIME_LEN], state[64];
	bool silent = hosts_silent(h, l->now);

	if (l->json) {
		json_t *o = json_object();

		out_json_str(o, "id", h->id);
		out_json_str(o, "hostname", h->hostname);
		out_json_str(o, "unit", h->unit);
		out_json_str(o, "os", h->os_name);
		out_json_str(o, "kernel", h->kernel);
		out_json_str(o, "agent_id", h->agent_id);
		out_json_str(o, "agent_version", h->agent_version);
		json_object_set_new(o, "level", json_integer(h->level));
		json_object_set_new(o, "score", h->score < 0 ? json_null() :
		    json_integer(h->score));
		json_object_set_new(o, "pass", json_integer(h->pass));
		json_object_set_new(o, "fail", json_integer(h->fail));
		json_object_set_new(o, "na", json_integer(h->na));
		json_object_set_new(o, "error", json_integer(h->error));
		json_object_set_new(o, "open_critical",
		    json_integer(h->open_critical));
		json_object_set_new(o, "open_high",
		    json_integer(h->open_high));
		out_json_time(o, "first_seen", h->first_seen);
		out_json_time(o, "last_seen", h->last_seen);
		json_object_set_new(o, "silent", json_boolean(silent));
		json_object_set_new(o, "revoked", json_boolean(h->revoked));
		out_jsonarr_add(&l->arr, o);
		return 0;
	}
	if (h->score < 0)
		snprintf(score, sizeof(score), "—");
	else
		snprintf(score, sizeof(score), "%d", h->score);
	snprintf(fail, sizeof(fail), "%d", h->fail);
	snprintf(error, sizeof(error), "%d", h->error);
	snprintf(crit, sizeof(crit), "%d", h->open_critical);
	snprintf(high, sizeof(high), "%d", h->open_high);
	out_time(h->last_seen, seen);
	snprintf(state, sizeof(state), "%s%s%s",
	    h->revoked ? (l->en ? "revoked" : "đã thu hồi") : "",
	    h->revoked && silent ? ", " : "",
	    silent ? (l->en ? "silent" : "im lặng") : "");
	out_table_row(l->tab, (const char *const[]){ h->hostname, h->unit,
	    h->os_name, score, fail, error, crit, high, seen, state });
	return 0;
}

static const struct out_col hosts_cols[] = {
	{"MÁY", "HOST", 32, 16, false, false},
	{"ĐƠN VỊ", "UNIT", 28, 14, false, false},
	{"HỆ ĐIỀU HÀNH", "OS", 0, 0, false, true},
	{"ĐIỂM", "SCORE", 0, 0, true, false},
	{"KHÔNG ĐẠT", "FAIL", 0, 0, true, false},
	{"LỖI", "ERROR", 0, 0, true, false},
	{"NGHIÊM TRỌNG", "CRITICAL", 0, 0, true, false},
	{"CAO", "HIGH", 0, 0, true, false},
	{"LIÊN LẠC CUỐI", "LAST SEEN", 0, 0, false, false},
	{"GHI CHÚ", "NOTE", 0, 0, false, false},
};

static int
hosts_query(struct store *st, struct listing *l, char *err, size_t errlen)
{
	return store_hosts(st, l->arg, hosts_row, l, err, errlen);
}

static void
hosts_empty(struct store *st, struct listing *l)
{
	const struct store_host_filter *f = l->arg;
	char *eunit;

	(void)st;
	if (f->unit == NULL) {
		listing_no_hosts();
		return;
	}
	eunit = out_escape(f->unit);
	printf("không có máy nào trong đơn vị “%s” — no hosts in unit “%s”\n",
	    eunit, eunit);
	free(eunit);
}

int
cmd_hosts(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_OPTIONS,
		{"unit", required_argument, NULL, 'u'},
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	struct store_host_filter f;
	struct listing l = {
		.cols = hosts_cols,
		.ncols = sizeof(hosts_cols) / sizeof(hosts_cols[0]),
		.query = hosts_query,
		.empty = hosts_empty,
		.arg = &f,
	};
	const char *unit_arg = NULL;
	char *unit = NULL;
	int ch, rc;

	while ((ch = cli_getopt(c, argc, argv, longopts, "hosts", &rc)) != -1)
		switch (ch) {
		case 'u': unit_arg = optarg; break;
		case 'j': l.json = true; break;
		}
	if (rc != EXIT_OK)
		return rc;
	if (unit_arg != NULL && (unit = cli_text_arg("--unit", unit_arg,
	    HOSTS_NAME_MAX, false)) == NULL)
		return EXIT_USAGE;
	memset(&f, 0, sizeof(f));
	f.unit = unit;
	rc = listing_run(c, &l);
	free(unit);
	return rc;
}
