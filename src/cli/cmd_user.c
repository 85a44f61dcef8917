/*
 * cmd_user.c — canhgac user add | list | passwd | role | disable | enable
 * | reset-totp | unlock: the people who sign in to the console, managed
 * from the server's own terminal (the supervisor's pages at /nguoi-dung
 * do the same). Passwords follow auth.c's policy and are kept as
 * Argon2id hashes; a generated one is shown once. Every change is written
 * to the audit log as "cli:<unix user>". canhgac(8), docs/admin.md.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/cli.h"
#include "lib/file.h"
#include "lib/log.h"
#include "lib/text.h"
#include "server/auth.h"

#define USER_NAME_MAX 200
#define USER_UNIT_MAX 200

/* Lower-case letters, digits, . _ -, a letter first, at most 64. */
static bool
user_login_ok(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len > 64 || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		    s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

static int
user_login_arg(const char *cmd, const char *s)
{
	if (s == NULL)
		return cli_usage_error("%s: thiếu TÊN_ĐĂNG_NHẬP — the LOGIN is "
		    "missing", cmd);
	if (!user_login_ok(s))
		return cli_usage_error("%s: tên đăng nhập “%s” không hợp lệ: chữ "
		    "thường, số, . _ -, bắt đầu bằng chữ, tối đa 64 — invalid "
		    "login “%s”: lower-case letters, digits, . _ -, starting "
		    "with a letter, at most 64", cmd, s, s);
	return EXIT_OK;
}

static bool
user_role_ok(const char *r)
{
	return r != NULL && (strcmp(r, "supervisor") == 0 ||
	    strcmp(r, "unit-it") == 0 || strcmp(r, "unit-head") == 0 ||
	    strcmp(r, "viewer") == 0);
}

static bool
user_role_has_unit(const char *r)
{
	return strcmp(r, "unit-it") == 0 || strcmp(r, "unit-head") == 0;
}

static void
user_audit(struct store *st, const char *action, const char *login,
    json_t *detail)
{
	char object[300];

	snprintf(object, sizeof(object), "user:%s", login);
	cli_audit(st, action, object, detail);
}

/* ---- passwords ---------------------------------------------------------- */

/*
 * A new password for login into pw[AUTH_PW_MAX + 2]: from file, generated
 * (also when stdin is not a terminal), or typed twice. *generated says
 * whether it must be shown. -1 after saying why.
 */
static int
user_new_password(const char *login, const char *file, bool generate,
    char *pw, size_t size, bool *generated)
{
	char again[AUTH_PW_MAX + 2], err[256];
	int tries;

	*generated = false;
	if (file != NULL) {
		if (cli_pw_file(file, pw, size) != 0)
			return -1;
		if (!auth_password_ok(pw, login, err, sizeof(err))) {
			log_warnx("%s: %s", file, err);
			return -1;
		}
		return 0;
	}
	if (generate || !isatty(STDIN_FILENO)) {
		auth_password_generate(pw);
		*generated = true;
		return 0;
	}
	for (tries = 0; tries < 3; tries++) {
		if (cli_read_tty("Mật khẩu mới — new password: ", pw,
		    size) != 0) {
			log_warnx("không đọc được mật khẩu (quá dài hoặc hết dữ "
			    "liệu vào) — cannot read the password (too long or "
			    "end of input)");
			return -1;
		}
		if (!auth_password_ok(pw, login, err, sizeof(err))) {
			log_warnx("%s", err);
			continue;
		}
		if (cli_read_tty("Nhập lại mật khẩu — repeat the password: ",
		    again, sizeof(again)) != 0) {
			sodium_memzero(again, sizeof(again));
			return -1;
		}
		if (strcmp(pw, again) == 0) {
			sodium_memzero(again, sizeof(again));
			return 0;
		}
		sodium_memzero(again, sizeof(again));
		log_warnx("hai lần nhập không khớp — the passwords do not match");
	}
	return -1;
}

static void
user_show_password(const char *login, const char *pw)
{
	printf("Mật khẩu của %s, CHỈ HIỆN MỘT LẦN — password of %s, shown "
	    "ONLY ONCE:\n    %s\n", login, login, pw);
}

/* ---- user add ----------------------------------------------------------- */

static int
user_add(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_OPTIONS,
		{"login", required_argument, NULL, 'l'},
		{"role", required_argument, NULL, 'r'},
		{"unit", required_argument, NULL, 'u'},
		{"name", required_argument, NULL, 'n'},
		{"password-file", required_argument, NULL, 'p'},
		{"generate-password", no_argument, NULL, 'g'},
		{NULL, 0, NULL, 0},
	};
	const char *login = NULL, *role = NULL, *unit_arg = NULL;
	const char *name_arg = NULL, *file = NULL;
	char pw[AUTH_PW_MAX + 2], hash[AUTH_PWHASH_MAX], err[1024];
	char *unit = NULL, *name = NULL;
	struct serverconf sc;
	struct store *st = NULL;
	int64_t unit_id = 0;
	bool generate = false, generated;
	int ch, rc;
	json_t *d;

	while ((ch = cli_getopt(c, argc, argv, longopts, "user add", &rc)) !=
	    -1) {
		switch (ch) {
		case 'l': login = optarg; break;
		case 'r': role = optarg; break;
		case 'u': unit_arg = optarg; break;
		case 'n': name_arg = optarg; break;
		case 'p': file = optarg; break;
		case 'g': generate = true; break;
		}
	}
	if (rc != EXIT_OK)
		return rc;
	if ((rc = user_login_arg("user add --login", login)) != EXIT_OK)
		return rc;
	if (!user_role_ok(role))
		return cli_usage_error("user add: --role phải là supervisor, "
		    "unit-it, unit-head hoặc viewer — --role must be supervisor, "
		    "unit-it, unit-head or viewer");
	if (user_role_has_unit(role) && unit_arg == NULL)
		return cli_usage_error("user add: vai trò %s cần --unit ĐƠN_VỊ — "
		    "role %s needs --unit UNIT", role, role);
	if (!user_role_has_unit(role) && unit_arg != NULL)
		return cli_usage_error("user add: vai trò %s xem mọi đơn vị, "
		    "không nhận --unit — role %s sees every unit and takes no "
		    "--unit", role, role);
	if (file != NULL && generate)
		return cli_usage_error("--password-file và --generate-password "
		    "loại trừ nhau — --password-file and --generate-password "
		    "exclude each other");
	if (unit_arg != NULL && (unit = cli_text_arg("--unit", unit_arg,
	    USER_UNIT_MAX, false)) == NULL)
		return EXIT_USAGE;
	if ((name = cli_text_arg("--name", name_arg ? name_arg : login,
	    USER_NAME_MAX, false)) == NULL) {
		free(unit);
		return EXIT_USAGE;
	}
	rc = EXIT_FAIL;
	if (user_new_password(login, file, generate, pw, sizeof(pw),
	    &generated) != 0)
		goto out;
	if (auth_password_hash(pw, hash) != 0) {
		log_warnx("không đủ bộ nhớ để băm mật khẩu (Argon2id) — out of "
		    "memory hashing the password (Argon2id)");
		goto out;
	}
	if (cli_open(c, 0, &sc, &st) != 0)
		goto out;
	if (unit != NULL && store_unit_ensure(st, unit, &unit_id, err,
	    sizeof(err)) != STORE_OK) {
		log_warnx("%s: %s", unit, err);
		goto close;
	}
	if (store_user_add(st, login, name, role, unit_id, hash,
	    (int64_t)time(NULL), err, sizeof(err)) != STORE_OK) {
		log_warnx("%s: %s", sc.store, err);
		goto close;
	}
	d = json_pack("{s:s, s:s, s:s}", "role", role, "name", name, "unit",
	    unit ? unit : "");
	user_audit(st, "user.added", login, d);
	printf("Đã thêm người dùng %s (%s) — user %s (%s) added\n", login, role,
	    login, role);
	if (generated)
		user_show_password(login, pw);
	if (strcmp(role, "supervisor") == 0)
		printf("Lần đăng nhập đầu, %s phải thiết lập mã xác thực TOTP — "
		    "at the first sign-in, %s must set up a TOTP code\n", login,
		    login);
	rc = fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
close:
	cli_close(&sc, st);
out:
	sodium_memzero(pw, sizeof(pw));
	free(unit);
	free(name);
	return rc;
}

/* ---- user list ---------------------------------------------------------- */

static const char *
user_state(const struct store_person *p, int64_t now, bool en)
{
	if (p->disabled_at != 0)
		return en ? "disabled" : "đã khoá tài khoản";
	if (p->locked_until > now)
		return en ? "locked" : "tạm khoá";
	return en ? "active" : "hoạt động";
}

static const char *
user_state_id(const struct store_person *p, int64_t now)
{
	if (p->disabled_at != 0)
		return "disabled";
	if (p->locked_until > now)
		return "locked";
	return "active";
}

static int
user_list_row(const struct store_person *p, void *arg)
{
	struct listing *l = arg;
	char changed[OUT_TIME_LEN], until[OUT_TIME_LEN], state[96];

	if (l->json) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_integer(p->id));
		out_json_str(o, "login", p->login);
		out_json_str(o, "name", p->name);
		out_json_str(o, "role", p->role);
		out_json_str(o, "unit", p->unit[0] ? p->unit : NULL);
		out_json_str(o, "state", user_state_id(p, l->now));
		json_object_set_new(o, "totp", json_boolean(p->totp_enabled));
		out_json_time(o, "created", p->created);
		out_json_time(o, "password_changed", p->password_changed);
		out_json_time(o, "disabled_at", p->disabled_at);
		out_json_time(o, "locked_until", p->locked_until > l->now ?
		    p->locked_until : 0);
		json_object_set_new(o, "failed_count",
		    json_integer(p->failed_count));
		out_jsonarr_add(&l->arr, o);
		return 0;
	}
	out_time(p->password_changed ? p->password_changed : p->created,
	    changed);
	if (p->locked_until > l->now && p->disabled_at == 0) {
		out_time(p->locked_until, until);
		snprintf(state, sizeof(state), "%s → %s", user_state(p, l->now,
		    l->en), until);
	} else
		snprintf(state, sizeof(state), "%s", user_state(p, l->now,
		    l->en));
	out_table_row(l->tab, (const char *const[]){ p->login, p->role,
	    p->unit, state, p->totp_enabled ? "TOTP" : "—", changed,
	    p->name });
	return 0;
}

static const struct out_col user_list_cols[] = {
	{"TÊN ĐĂNG NHẬP", "LOGIN", 32, 10, false, false},
	{"VAI TRÒ", "ROLE", 0, 0, false, false},
	{"ĐƠN VỊ", "UNIT", 32, 10, false, false},
	{"TRẠNG THÁI", "STATE", 0, 0, false, false},
	{"XÁC THỰC 2 BƯỚC", "2FA", 0, 0, false, false},
	{"ĐỔI MẬT KHẨU", "PASSWORD SET", 0, 0, false, false},
	{"HỌ TÊN", "NAME", 0, 0, false, true},
};

static int
user_list_query(struct store *st, struct listing *l, char *err,
    size_t errlen)
{
	return store_user_list(st, user_list_row, l, err, errlen);
}

static int
user_list(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_OPTIONS,
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	struct listing l = {
		.cols = user_list_cols,
		.ncols = sizeof(user_list_cols) / sizeof(user_list_cols[0]),
		.query = user_list_query,
		.none = "chưa có người dùng nào; thêm bằng canhgac user add — "
		    "no users yet; add one with canhgac user add",
	};
	int ch, rc;

	while ((ch = cli_getopt(c, argc, argv, longopts, "user list",
	    &rc)) != -1)
		if (ch == 'j')
			l.json = true;
	if (rc != EXIT_OK)
		return rc;
	return listing_run(c, &l);
}

/* ---- changes of one user ------------------------------------------------ */

enum user_op { OP_PASSWD, OP_ROLE, OP_DISABLE, OP_ENABLE, OP_RESET_TOTP,
    OP_UNLOCK };

static void
user_unlock_cb(struct store_lockout *l, void *arg)
{
	(void)arg;
	auth_lockout_clear(l);
}

static int
user_change(struct cli *c, int argc, char **argv, enum user_op op)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_OPTIONS,
		{"password-file", required_argument, NULL, 'p'},
		{"generate-password", no_argument, NULL, 'g'},
		{"role", required_argument, NULL, 'r'},
		{"unit", required_argument, NULL, 'u'},
		{NULL, 0, NULL, 0},
	};
	static const struct option noopts[] = {
		CLI_GLOBAL_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	const char *cmd = argv[0], *login, *file = NULL, *role = NULL;
	const char *unit_arg = NULL;
	char pw[AUTH_PW_MAX + 2], hash[AUTH_PWHASH_MAX], err[1024];
	char *unit = NULL;
	struct store_person p;
	struct serverconf sc;
	struct store *st = NULL;
	int64_t now = (int64_t)time(NULL), unit_id = 0;
	bool generate = false, generated = false;
	int ch, rc, r = STORE_OK;

	while ((ch = cli_getopt(c, argc, argv, op == OP_PASSWD ||
	    op == OP_ROLE ? longopts : noopts, NULL, &rc)) != -1) {
		switch (ch) {
		case 'p': file = optarg; break;
		case 'g': generate = true; break;
		case 'r': role = optarg; break;
		case 'u': unit_arg = optarg; break;
		}
	}
	if (rc != EXIT_OK)
		return rc;
	if (argc - optind != 1)
		return cli_usage_error("user %s: cần đúng một TÊN_ĐĂNG_NHẬP — "
		    "needs exactly one LOGIN", cmd);
	login = argv[optind];
	if ((rc = user_login_arg(cmd, login)) != EXIT_OK)
		return rc;
	if (op == OP_PASSWD && file != NULL && generate)
		return cli_usage_error("--password-file và --generate-password "
		    "loại trừ nhau — --password-file and --generate-password "
		    "exclude each other");
	if (op == OP_PASSWD && (role != NULL || unit_arg != NULL))
		return cli_usage_error("user passwd: không nhận --role, --unit — "
		    "takes no --role, --unit");
	if (op == OP_ROLE && (file != NULL || generate))
		return cli_usage_error("user role: không nhận tùy chọn mật khẩu "
		    "— takes no password option");
	if (op == OP_ROLE) {
		if (!user_role_ok(role))
			return cli_usage_error("user role: --role phải là "
			    "supervisor, unit-it, unit-head hoặc viewer — --role "
			    "must be supervisor, unit-it, unit-head or viewer");
		if (user_role_has_unit(role) != (unit_arg != NULL))
			return cli_usage_error("user role: --unit cần cho "
			    "unit-it và unit-head, không cho vai trò khác — "
			    "--unit is needed for unit-it and unit-head, and "
			    "refused for the other roles");
		if (unit_arg != NULL && (unit = cli_text_arg("--unit",
		    unit_arg, USER_UNIT_MAX, false)) == NULL)
			return EXIT_USAGE;
	}
	if (op == OP_PASSWD) {
		if (user_new_password(login, file, generate, pw, sizeof(pw),
		    &generated) != 0 || auth_password_hash(pw, hash) != 0) {
			sodium_memzero(pw, sizeof(pw));
			return EXIT_FAIL;
		}
	}
	rc = EXIT_FAIL;
	if (cli_open(c, 0, &sc, &st) != 0)
		goto out;
	r = store_user_get(st, login, &p, err, sizeof(err));
	sodium_memzero(p.pwhash, sizeof(p.pwhash));
	if (r == STORE_ENOTFOUND) {
		log_warnx("không có người dùng “%s” (xem canhgac user list) — no "
		    "user “%s” (see canhgac user list)", login, login);
		goto close;
	}
	if (r != STORE_OK) {
		log_warnx("%s: %s", sc.store, err);
		goto close;
	}
	switch (op) {
	case OP_PASSWD:
		r = store_user_set_password(st, p.id, hash, now, err,
		    sizeof(err));
		if (r == STORE_OK) {
			user_audit(st, "user.password", login, json_pack(
			    "{s:b}", "generated", generated));
			printf("Đã đổi mật khẩu của %s; các phiên đang mở đã "
			    "kết thúc — password of %s changed; its open "
			    "sessions were ended\n", login, login);
			if (generated)
				user_show_password(login, pw);
		}
		break;
	case OP_ROLE:
		if (unit != NULL && (r = store_unit_ensure(st, unit, &unit_id,
		    err, sizeof(err))) != STORE_OK)
			break;
		r = store_user_set_role(st, p.id, role, unit_id, err,
		    sizeof(err));
		if (r == STORE_OK) {
			user_audit(st, "user.role", login, json_pack(
			    "{s:s, s:s, s:s, s:s}", "from", p.role, "to", role,
			    "unit_from", p.unit, "unit", unit ? unit : ""));
			printf("%s: vai trò %s — role %s\n", login, role, role);
		}
		break;
	case OP_DISABLE:
	case OP_ENABLE:
		r = store_user_set_disabled(st, p.id, op == OP_DISABLE ? now :
		    0, err, sizeof(err));
		if (r == STORE_OK) {
			user_audit(st, op == OP_DISABLE ? "user.disabled" :
			    "user.enabled", login, NULL);
			if (op == OP_DISABLE)
				printf("Đã khoá tài khoản %s; các phiên đang "
				    "mở đã kết thúc — account %s disabled; its "
				    "open sessions were ended\n", login, login);
			else
				printf("Đã mở lại tài khoản %s — account %s "
				    "enabled\n", login, login);
		}
		break;
	case OP_RESET_TOTP:
		r = store_user_totp_clear(st, p.id, err, sizeof(err));
		if (r == STORE_OK) {
			user_audit(st, "totp.reset", login, json_pack("{s:b}",
			    "was_enabled", p.totp_enabled));
			printf("Đã xoá mã xác thực TOTP của %s; lần đăng nhập "
			    "sau %s phải thiết lập lại%s — the TOTP secret of "
			    "%s was removed; %s\n", login, login,
			    strcmp(p.role, "supervisor") == 0 ? "" :
			    " (nếu muốn)", login, strcmp(p.role,
			    "supervisor") == 0 ? "the next sign-in sets it up "
			    "again" : "it may be set up again");
		}
		break;
	case OP_UNLOCK:
		r = store_user_lockout(st, p.id, user_unlock_cb, NULL, NULL,
		    err, sizeof(err));
		if (r == STORE_OK) {
			user_audit(st, "user.unlocked", login, json_pack(
			    "{s:I, s:i}", "locked_until", (json_int_t)
			    p.locked_until, "failed_count", p.failed_count));
			printf("Đã mở khoá tạm thời cho %s — %s unlocked\n",
			    login, login);
		}
		break;
	}
	if (r != STORE_OK) {
		log_warnx("%s: %s", sc.store, err);
		goto close;
	}
	rc = fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
close:
	cli_close(&sc, st);
out:
	sodium_memzero(pw, sizeof(pw));
	free(unit);
	return rc;
}

int
cmd_user(struct cli *c, int argc, char **argv)
{
	static const struct {
		const char *name;
		int op;			/* -1: add, -2: list */
	} subs[] = {
		{"add", -1}, {"list", -2}, {"passwd", OP_PASSWD},
		{"role", OP_ROLE}, {"disable", OP_DISABLE},
		{"enable", OP_ENABLE}, {"reset-totp", OP_RESET_TOTP},
		{"unlock", OP_UNLOCK},
	};
	size_t i;

	if (argc < 2)
		return cli_usage_error("user: cần một lệnh con (add, list, "
		    "passwd, role, disable, enable, reset-totp, unlock) — needs "
		    "a subcommand (add, list, passwd, role, disable, enable, "
		    "reset-totp, unlock)");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (strcmp(argv[1], subs[i].name) != 0)
			continue;
		optind = 0;
		if (subs[i].op == -1)
			return user_add(c, argc - 1, argv + 1);
		if (subs[i].op == -2)
			return user_list(c, argc - 1, argv + 1);
		return user_change(c, argc - 1, argv + 1,
		    (enum user_op)subs[i].op);
	}
	return cli_usage_error("user: lệnh con không hợp lệ “%s” — unknown "
	    "subcommand “%s”", argv[1], argv[1]);
}
