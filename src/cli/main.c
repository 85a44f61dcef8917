/*
 * main.c — canhgac, the administrator's command line: global options
 * (--data, --lang), the dispatch to the commands (cmd_*.c), and what they
 * share: the reading of their options, the data directory's configuration
 * and store, the name of the person at the keyboard, and the checking of
 * names typed on the command line. canhgac(8) describes every command;
 * docs/admin.md walks through them.
 */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/cli.h"
#include "lib/log.h"
#include "lib/text.h"
#include "server/auth.h"

void
cli_usage(FILE *out)
{
	fputs(
"Cách dùng / usage:\n"
"  canhgac [--data THƯ_MỤC] [--lang vi|en] LỆNH [TÙY_CHỌN...]\n"
"\n"
"  canhgac init --data THƯ_MỤC [--listen ĐỊA_CHỈ:CỔNG]... [--url URL]\n"
"               [--name TÊN_MIỀN|IP]... [--admin TÊN_ĐĂNG_NHẬP]\n"
"               [--password-file TỆP | --generate-password]\n"
"  canhgac token create --unit ĐƠN_VỊ [--expires 7d] [--uses N] [--note GHI_CHÚ]\n"
"                       [--json]\n"
"  canhgac token list [--json]\n"
"  canhgac token revoke MÃ_SỐ\n"
"  canhgac agent list [--unit ĐƠN_VỊ] [--json]\n"
"  canhgac agent revoke MÃ_AGENT\n"
"  canhgac hosts [--unit ĐƠN_VỊ] [--json]\n"
"  canhgac findings [--host MÁY] [--unit ĐƠN_VỊ] [--check TIÊU_CHÍ]\n"
"                   [--status fail|error|pass|na] [--all] [--json]\n"
"  canhgac user add --login TÊN --role supervisor|unit-it|unit-head|viewer\n"
"                   [--unit ĐƠN_VỊ] [--name HỌ_TÊN]\n"
"                   [--password-file TỆP | --generate-password]\n"
"  canhgac user list [--json]\n"
"  canhgac user passwd TÊN [--password-file TỆP | --generate-password]\n"
"  canhgac user role TÊN --role VAI_TRÒ [--unit ĐƠN_VỊ]\n"
"  canhgac user disable|enable|reset-totp|unlock TÊN\n"
"  canhgac audit-log verify [--json]\n"
"  canhgac audit-log list [--since 7d|NĂM-THÁNG-NGÀY] [--actor AI]\n"
"                         [--action HÀNH_ĐỘNG] [--limit N] [--json]\n"
"  canhgac site add --unit ĐƠN_VỊ [--interval 15m] [--sitemap] URL...\n"
"  canhgac site list [--unit ĐƠN_VỊ] [--json]\n"
"  canhgac site remove URL...\n"
"  canhgac site baseline [--state THƯ_MỤC] [--fetches N] [--cafile TỆP]\n"
"                        [--resolve MÁY:CỔNG:ĐỊA_CHỈ]... [--dns-server ĐỊA_CHỈ:CỔNG]\n"
"                        [--concurrency N] [--json] URL...\n"
"  canhgac site check [--state THƯ_MỤC] [--cafile TỆP] [--resolve MÁY:CỔNG:ĐỊA_CHỈ]...\n"
"                     [--dns-server ĐỊA_CHỈ:CỔNG] [--concurrency N] [--sitemap]\n"
"                     [--max-pages N] [--vocab TỆP] [--rounds N] [--json] URL...\n"
"  canhgac --version | --help\n"
"\n"
"init      tạo thư mục dữ liệu, CA riêng, chứng thư TLS, cấu hình và tài khoản\n"
"          giám sát đầu tiên / create the data directory, a private CA, the TLS\n"
"          certificate, the configuration and the first supervisor account\n"
"token     mã đăng ký một lần cho các agent / one-time enrolment tokens\n"
"agent     liệt kê hoặc thu hồi agent / list or revoke agents\n"
"hosts     các máy và điểm của chúng / hosts and their scores\n"
"findings  các vi phạm còn mở (hoặc tất cả với --all) / open findings (or all\n"
"          with --all)\n"
"user      người dùng bảng điều khiển, mật khẩu, TOTP, khoá / console users,\n"
"          passwords, TOTP, lockout\n"
"audit-log kiểm tra chuỗi băm hoặc liệt kê nhật ký kiểm toán / verify the hash\n"
"          chain of, or list, the audit log\n"
"site      giám sát cổng thông tin: danh sách trang của đơn vị (canhgacd kiểm\n"
"          tra định kỳ, cảnh báo thành vi phạm), học mốc, kiểm tra thay đổi\n"
"          giao diện, chèn cờ bạc, mã lạ, che giấu, chuyển hướng, TLS, DNS\n"
"          (--state: chạy độc lập) / portal monitor: each unit's sites\n"
"          (checked by canhgacd, alerts become findings), baselines, checks\n"
"          for defacement, gambling spam, foreign scripts, cloaking,\n"
"          redirects, TLS, DNS (--state: standalone)\n"
"\n"
"--data    thư mục dữ liệu (mặc định $CANHGAC_DATA hoặc /var/lib/canhgac) /\n"
"          data directory (default $CANHGAC_DATA or /var/lib/canhgac)\n"
"--lang    ngôn ngữ của bảng (mặc định vi; en khi LANG bắt đầu bằng en) /\n"
"          language of tables (default vi; en when LANG starts with en)\n"
"\n"
"Mã thoát / exit status: 0 thành công / success; 1 thất bại / failure;\n"
"2 lỗi cách dùng / usage error. Xem / see canhgac(8).\n", out);
}

int
cli_usage_error(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_warnx("%s", msg);
	fputs("Xem / see: canhgac --help\n", stderr);
	return EXIT_USAGE;
}

int
cli_option_error(char **argv)
{
	const char *bad = optind > 0 ? argv[optind - 1] : "?";

	return cli_usage_error("tùy chọn không hợp lệ hoặc thiếu giá trị "
	    "“%s” — unknown option or missing value “%s”", bad, bad);
}

int
cli_getopt(struct cli *c, int argc, char **argv,
    const struct option *longopts, const char *name, int *status)
{
	static const struct option globalopts[] = {
		CLI_GLOBAL_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	int ch, r;

	if (longopts == NULL)
		longopts = globalopts;
	*status = EXIT_OK;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (ch == '?' || ch == ':') {
			*status = cli_option_error(argv);
			return -1;
		}
		r = cli_global_option(c, ch, optarg);
		if (r < 0) {
			*status = EXIT_USAGE;
			return -1;
		}
		if (r > 0)
			return ch;
	}
	if (name != NULL && optind < argc)
		*status = cli_usage_error("%s: đối số thừa “%s” — unexpected "
		    "argument “%s”", name, argv[optind], argv[optind]);
	return -1;
}

int
cli_global_option(struct cli *c, int ch, const char *arg)
{
	switch (ch) {
	case CLI_OPT_DATA:
		if (arg[0] == '\0') {
			log_warnx("--data: thư mục rỗng — empty directory");
			return -1;
		}
		c->data = arg;
		return 0;
	case CLI_OPT_LANG:
		if (strcmp(arg, "vi") == 0)
			c->en = false;
		else if (strcmp(arg, "en") == 0)
			c->en = true;
		else {
			log_warnx("--lang: ngôn ngữ không hợp lệ “%s”: chọn vi "
			    "hoặc en — invalid language “%s”: use vi or en",
			    arg, arg);
			return -1;
		}
		return 0;
	case CLI_OPT_HELP:
		cli_usage(stdout);
		exit(EXIT_OK);
	default:
		return 1;
	}
}

int
cli_conf(const struct cli *c, struct serverconf *sc)
{
	char err[1024];
	char *path;

	memset(sc, 0, sizeof(*sc));
	path = text_printf("%s/%s", c->data, SERVERCONF_FILE);
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		log_warnx("%s: không có cấu hình; thư mục dữ liệu chưa được "
		    "khởi tạo (canhgac init --data %s) hoặc chọn thư mục khác "
		    "bằng --data — no configuration; the data directory was "
		    "not initialised (canhgac init --data %s) or choose another "
		    "with --data", path, c->data, c->data);
		free(path);
		return -1;
	}
	free(path);
	if (serverconf_load(c->data, sc, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		serverconf_free(sc);
		memset(sc, 0, sizeof(*sc));
		return -1;
	}
	return 0;
}

int
cli_store(const struct cli *c, const struct serverconf *sc, unsigned flags,
    struct store **st)
{
	char err[1024];

	(void)c;
	*st = NULL;
	if (sc->store == NULL) {
		log_warnx("cấu hình không nêu kho dữ liệu (store) — the "
		    "configuration names no store");
		return -1;
	}
	if (access(sc->store, F_OK) != 0 && errno == ENOENT) {
		log_warnx("%s: kho dữ liệu không tồn tại; chạy canhgac init "
		    "trước — the store does not exist; run canhgac init first",
		    sc->store);
		return -1;
	}
	if (store_open(sc->store, flags, st, err, sizeof(err)) != STORE_OK) {
		log_warnx("%s: %s", sc->store, err);
		*st = NULL;
		return -1;
	}
	return 0;
}

int
cli_open(const struct cli *c, unsigned flags, struct serverconf *sc,
    struct store **st)
{
	*st = NULL;
	if (cli_conf(c, sc) != 0)
		return -1;
	if (cli_store(c, sc, flags, st) != 0) {
		serverconf_free(sc);
		memset(sc, 0, sizeof(*sc));
		return -1;
	}
	return 0;
}

void
cli_close(struct serverconf *sc, struct store *st)
{
	if (st != NULL)
		store_close(st);
	serverconf_free(sc);
}

void
cli_audit(struct store *st, const char *action, const char *object,
    json_t *detail)
{
	char actor[320];

	snprintf(actor, sizeof(actor), "cli:%s", cli_user());
	auth_audit(st, (int64_t)time(NULL), actor, "", "", action, object,
	    detail);
}

const char *
cli_user(void)
{
	static char name[300];
	struct passwd *pw;
	const char *sudo;

	if (name[0] != '\0')
		return name;
	pw = getpwuid(getuid());
	if (pw != NULL && pw->pw_name != NULL)
		snprintf(name, sizeof(name), "%s", pw->pw_name);
	else
		snprintf(name, sizeof(name), "uid:%u", (unsigned)getuid());
	/* root through sudo: keep who asked, for the event log */
	sudo = getenv("SUDO_USER");
	if (getuid() == 0 && sudo != NULL && sudo[0] != '\0' &&
	    strlen(sudo) < 64 && text_valid_utf8(sudo, strlen(sudo)))
		snprintf(name + strlen(name), sizeof(name) - strlen(name),
		    " (sudo %s)", sudo);
	return name;
}

char *
cli_text_arg(const char *option, const char *arg, size_t max, bool empty_ok)
{
	size_t len = strlen(arg), i;
	char *nfc, *trimmed;

	if (!text_valid_utf8(arg, len)) {
		log_warnx("%s: không phải UTF-8 hợp lệ — not valid UTF-8",
		    option);
		return NULL;
	}
	for (i = 0; i < len; i++)
		if ((unsigned char)arg[i] < 0x20 || arg[i] == 0x7f) {
			log_warnx("%s: có ký tự điều khiển ở byte %zu — "
			    "control character at byte %zu", option, i + 1,
			    i + 1);
			return NULL;
		}
	nfc = text_nfc(arg, len);
	if (nfc == NULL) {
		log_warnx("%s: không chuẩn hoá được — cannot normalise",
		    option);
		return NULL;
	}
	trimmed = text_dup(text_trim(nfc));
	free(nfc);
	if (trimmed[0] == '\0' && !empty_ok) {
		log_warnx("%s: không được để trống — must not be empty",
		    option);
		free(trimmed);
		return NULL;
	}
	if (strlen(trimmed) > max) {
		log_warnx("%s: dài quá %zu byte — longer than %zu bytes",
		    option, max, max);
		free(trimmed);
		return NULL;
	}
	return trimmed;
}

/* vi unless the locale asks for English (LC_ALL, LC_MESSAGES, LANG). */
static bool
cli_lang_from_env(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	const char *v;
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		v = getenv(vars[i]);
		if (v != NULL && v[0] != '\0')
			return strncmp(v, "en", 2) == 0;
	}
	return false;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_OPTIONS,
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	static const struct {
		const char *name;
		int (*run)(struct cli *, int, char **);
	} cmds[] = {
		{"init", cmd_init},
		{"token", cmd_token},
		{"agent", cmd_agent},
		{"hosts", cmd_hosts},
		{"findings", cmd_findings},
		{"user", cmd_user},
		{"audit-log", cmd_auditlog},
		{"site", cmd_site},
	};
	struct cli c;
	const char *env;
	size_t i;
	int ch, r;

	log_init("canhgac", LOG_TO_STDERR, 0);
	if (sodium_init() < 0)
		log_fatalx("libsodium không khởi tạo được — libsodium init "
		    "failed");
	memset(&c, 0, sizeof(c));
	env = getenv("CANHGAC_DATA");
	c.data = env != NULL && env[0] != '\0' ? env : CLI_DEFAULT_DATA;
	c.en = cli_lang_from_env();

	/* global options up to the command name */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (ch == 'V') {
			printf("canhgac %s\n", CLI_VERSION);
			return EXIT_OK;
		}
		if (ch == '?' || ch == ':')
			return cli_option_error(argv);
		r = cli_global_option(&c, ch, optarg);
		if (r != 0)
			return EXIT_USAGE;
	}
	if (optind >= argc) {
		cli_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[optind], "help") == 0) {
		cli_usage(stdout);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[optind], cmds[i].name) == 0) {
			int sub = optind;

			optind = 0;	/* getopt_long starts afresh */
			return cmds[i].run(&c, argc - sub, argv + sub);
		}
	return cli_usage_error("lệnh không hợp lệ “%s” — unknown command “%s”",
	    argv[optind], argv[optind]);
}
