/*
 * cmd_token.c — canhgac token create | list | revoke: one-time enrolment
 * tokens. A token is "cg1_" and 32 random bytes in base64url (made by
 * src/server/enrol_token.c, as the console makes them); the store keeps
 * only its SHA-256, so the token is shown once, here, together with
 * the CA fingerprint and the exact canhgac-agent enroll command to run on
 * each computer. Tokens expire (at most 90 days) and count their uses
 * (1 to 10000). docs/api.md (POST /api/v1/enroll), canhgac(8).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cli/cli.h"
#include "lib/log.h"
#include "lib/pki.h"
#include "lib/text.h"
#include "server/enrol_token.h"

/* The token, the address and the fingerprint are made as the console's
 * enrolment-token page makes them (src/server/enrol_token.c). */
static char *
token_server_url(const struct serverconf *sc)
{
	bool wildcard;
	char *url = enrol_server_url(sc, &wildcard);

	if (wildcard)
		log_warnx("máy chủ nghe trên mọi địa chỉ (%s) nhưng canhgacd.conf "
		    "không có url: hãy đặt url là địa chỉ các agent dùng — the "
		    "server listens on every address (%s) but canhgacd.conf has "
		    "no url: set url to the address agents use", sc->listen[0],
		    sc->listen[0]);
	return url;
}

static int
token_ca_fingerprint(const struct serverconf *sc, char fpr[PKI_FPR_LEN])
{
	char err[1024];

	if (enrol_ca_fingerprint(sc->ca_cert, fpr, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		return -1;
	}
	return 0;
}

static void
token_event(struct store *st, const char *kind, int64_t id, const char *unit)
{
	char err[512], object[64], *detail;
	json_t *d = json_object();

	json_object_set_new(d, "token_id", json_integer(id));
	out_json_str(d, "by", cli_user());
	if (unit != NULL)
		out_json_str(d, "unit", unit);
	detail = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(d);
	if (store_event(st, (int64_t)time(NULL), kind, NULL, NULL, detail,
	    err, sizeof(err)) != STORE_OK)
		log_warnx("không ghi được nhật ký sự kiện: %s — cannot write "
		    "the event log", err);
	free(detail);
	snprintf(object, sizeof(object), "token:%lld", (long long)id);
	d = json_object();
	if (unit != NULL)
		out_json_str(d, "unit", unit);
	cli_audit(st, kind, object, d);
}

static int
token_create(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_OPTIONS,
		{"unit", required_argument, NULL, 'u'},
		{"expires", required_argument, NULL, 'e'},
		{"uses", required_argument, NULL, 'n'},
		{"note", required_argument, NULL, 'N'},
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	char tok[ENROL_TOKEN_SIZE], hash[65], fpr[PKI_FPR_LEN];
	char err[1024], when[OUT_TIME_LEN], *unit = NULL, *note = NULL;
	char *url = NULL, *cmd = NULL;
	const char *unit_arg = NULL, *note_arg = NULL;
	struct serverconf sc;
	struct store *st = NULL;
	int64_t expires = ENROL_DEFAULT_EXPIRES, now, unit_id, id;
	long uses = 1;
	bool json = false;
	int ch, rc;

	while ((ch = cli_getopt(c, argc, argv, longopts, "token create",
	    &rc)) != -1) {
		switch (ch) {
		case 'u': unit_arg = optarg; break;
		case 'N': note_arg = optarg; break;
		case 'j': json = true; break;
		case 'e':
			if (!enrol_duration(optarg, &expires) ||
			    expires < ENROL_MIN_EXPIRES ||
			    expires > ENROL_MAX_EXPIRES)
				return cli_usage_error("--expires “%s”: thời "
				    "hạn từ 1m đến 90d (s, m, h, d, w) — a "
				    "duration from 1m to 90d (s, m, h, d, w)",
				    optarg);
			break;
		case 'n':
			if (!text_to_long(optarg, &uses) || uses < 1 ||
			    uses > ENROL_MAX_USES)
				return cli_usage_error("--uses “%s”: số lần "
				    "dùng từ 1 đến %d — uses from 1 to %d",
				    optarg, ENROL_MAX_USES, ENROL_MAX_USES);
			break;
		}
	}
	if (rc != EXIT_OK)
		return rc;
	if (unit_arg == NULL)
		return cli_usage_error("token create: thiếu --unit ĐƠN_VỊ — "
		    "--unit UNIT is required");
	if ((unit = cli_text_arg("--unit", unit_arg, ENROL_UNIT_MAX,
	    false)) == NULL)
		return EXIT_USAGE;
	if (note_arg != NULL && (note = cli_text_arg("--note", note_arg,
	    ENROL_NOTE_MAX, true)) == NULL) {
		free(unit);
		return EXIT_USAGE;
	}

	rc = EXIT_FAIL;
	if (cli_conf(c, &sc) != 0) {
		free(unit);
		free(note);
		return EXIT_FAIL;
	}
	if (token_ca_fingerprint(&sc, fpr) != 0 || cli_store(c, &sc, 0,
	    &st) != 0)
		goto out;
	now = (int64_t)time(NULL);
	if (store_unit_ensure(st, unit, &unit_id, err, sizeof(err)) !=
	    STORE_OK) {
		log_warnx("%s: %s", unit, err);
		goto out;
	}
	enrol_token_make(tok, hash);
	if (store_token_add(st, hash, unit_id, now, now + expires, (int)uses,
	    note, &id, err, sizeof(err)) != STORE_OK) {
		log_warnx("%s: %s", sc.store, err);
		goto out;
	}
	token_event(st, "token.created", id, unit);
	url = token_server_url(&sc);
	cmd = enrol_command(url, tok, fpr);
	if (json) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_integer(id));
		out_json_str(o, "token", tok);
		out_json_str(o, "unit", unit);
		out_json_time(o, "created", now);
		out_json_time(o, "expires", now + expires);
		json_object_set_new(o, "uses_max", json_integer(uses));
		out_json_str(o, "note", note);
		out_json_str(o, "server", url);
		out_json_str(o, "ca_fingerprint", fpr);
		out_json_str(o, "command", cmd);
		{
			char *s = json_dumps(o, JSON_INDENT(2) |
			    JSON_PRESERVE_ORDER);

			if (s != NULL)
				puts(s);
			free(s);
		}
		json_decref(o);
	} else {
		char *eunit = out_escape(unit);

		out_time(now + expires, when);
		printf("Mã đăng ký, CHỈ HIỆN MỘT LẦN — enrolment token, shown "
		    "ONLY ONCE:\n    %s\n", tok);
		printf("Mã số — id: %lld\n", (long long)id);
		printf("Đơn vị — unit: %s\n", eunit);
		printf("Hết hạn — expires: %s (giờ Việt Nam — Vietnam time)\n",
		    when);
		printf("Số lần dùng — uses: %ld\n", uses);
		printf("Dấu vân tay CA — CA fingerprint: %s\n", fpr);
		printf("Trên mỗi máy của đơn vị, chạy với quyền root — on each "
		    "computer of the unit, run as root:\n    %s\n", cmd);
		free(eunit);
	}
	if (fflush(stdout) != 0) {
		log_warn("không in được mã đăng ký — cannot print the token");
		goto out;
	}
	rc = EXIT_OK;
out:
	sodium_memzero(tok, sizeof(tok));
	cli_close(&sc, st);
	free(unit);
	free(note);
	free(url);
	free(cmd);
	return rc;
}

static const char *
token_state(const struct store_token *t, int64_t now, bool en)
{
	if (t->revoked)
		return en ? "revoked" : "đã thu hồi";
	if (t->expires != 0 && t->expires <= now)
		return en ? "expired" : "hết hạn";
	if (t->uses >= t->uses_max)
		return en ? "used up" : "hết lượt";
	return en ? "active" : "còn hiệu lực";
}

static const char *
token_state_id(const struct store_token *t, int64_t now)
{
	if (t->revoked)
		return "revoked";
	if (t->expires != 0 && t->expires <= now)
		return "expired";
	if (t->uses >= t->uses_max)
		return "used-up";
	return "active";
}

static int
token_list_row(const struct store_token *t, void *arg)
{
	struct listing *l = arg;
	char id[24], created[OUT_TIME_LEN], expires[OUT_TIME_LEN], uses[32];

	if (l->json) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_integer(t->id));
		out_json_str(o, "unit", t->unit);
		out_json_time(o, "created", t->created);
		out_json_time(o, "expires", t->expires);
		json_object_set_new(o, "uses", json_integer(t->uses));
		json_object_set_new(o, "uses_max", json_integer(t->uses_max));
		json_object_set_new(o, "revoked", json_boolean(t->revoked));
		out_json_str(o, "state", token_state_id(t, l->now));
		out_json_str(o, "note", t->note);
		out_jsonarr_add(&l->arr, o);
		return 0;
	}
	snprintf(id, sizeof(id), "%lld", (long long)t->id);
	out_time(t->created, created);
	out_time(t->expires, expires);
	snprintf(uses, sizeof(uses), "%d/%d", t->uses, t->uses_max);
	out_table_row(l->tab, (const char *const[]){ id, t->unit, created,
	    expires, uses, token_state(t, l->now, l->en), t->note });
	return 0;
}

static const struct out_col token_list_cols[] = {
	{"MÃ SỐ", "ID", 0, 0, true, false},
	{"ĐƠN VỊ", "UNIT", 32, 14, false, false},
	{"TẠO LÚC", "CREATED", 0, 0, false, false},
	{"HẾT HẠN", "EXPIRES", 0, 0, false, false},
	{"ĐÃ DÙNG", "USES", 0, 0, true, false},
	{"TRẠNG THÁI", "STATE", 0, 0, false, false},
	{"GHI CHÚ", "NOTE", 0, 0, false, true},
};

static int
token_list_query(struct store *st, struct listing *l, char *err,
    size_t errlen)
{
	return store_token_list(st, token_list_row, l, err, errlen);
}

static int
token_list(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_OPTIONS,
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	struct listing l = {
		.cols = token_list_cols,
		.ncols = sizeof(token_list_cols) / sizeof(token_list_cols[0]),
		.query = token_list_query,
		.none = "chưa có mã đăng ký nào; tạo bằng canhgac token create "
		    "--unit ĐƠN_VỊ — no enrolment tokens yet; create one with "
		    "canhgac token create --unit UNIT",
	};
	int ch, rc;

	while ((ch = cli_getopt(c, argc, argv, longopts, "token list",
	    &rc)) != -1)
		if (ch == 'j')
			l.json = true;
	if (rc != EXIT_OK)
		return rc;
	return listing_run(c, &l);
}

static int
token_revoke(struct cli *c, int argc, char **argv)
{
	struct serverconf sc;
	struct store *st;
	char err[1024];
	long id;
	int r, rc;

	while (cli_getopt(c, argc, argv, NULL, NULL, &rc) != -1)
		continue;
	if (rc != EXIT_OK)
		return rc;
	rc = EXIT_FAIL;
	if (argc - optind != 1)
		return cli_usage_error("token revoke: cần đúng một MÃ_SỐ (xem "
		    "canhgac token list) — needs exactly one ID (see canhgac "
		    "token list)");
	if (!text_to_long(argv[optind], &id) || id < 1)
		return cli_usage_error("token revoke: “%s” không phải mã số — "
		    "“%s” is not an id", argv[optind], argv[optind]);
	if (cli_open(c, 0, &sc, &st) != 0)
		return EXIT_FAIL;
	r = store_token_revoke(st, id, err, sizeof(err));
	if (r == STORE_ENOTFOUND) {
		log_warnx("không có mã đăng ký số %ld — no enrolment token %ld",
		    id, id);
		goto out;
	}
	if (r != STORE_OK) {
		log_warnx("%s: %s", sc.store, err);
		goto out;
	}
	token_event(st, "token.revoked", id, NULL);
	printf("đã thu hồi mã đăng ký số %ld — enrolment token %ld revoked\n",
	    id, id);
	rc = EXIT_OK;
out:
	cli_close(&sc, st);
	return rc;
}

int
cmd_token(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("token: cần create, list hoặc revoke — "
		    "token needs create, list or revoke");
	if (strcmp(argv[1], "create") == 0)
		return token_create(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return token_list(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "revoke") == 0)
		return token_revoke(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_usage(stdout);
		return EXIT_OK;
	}
	return cli_usage_error("token: lệnh con không hợp lệ “%s”: chọn "
	    "create, list hoặc revoke — unknown subcommand “%s”: use create, "
	    "list or revoke", argv[1], argv[1]);
}
