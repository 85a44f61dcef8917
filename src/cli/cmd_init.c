/*
 * cmd_init.c — canhgac init: makes a new data directory with everything
 * canhgacd needs to start: the ward's private CA, the server's TLS
 * certificate, canhgacd.conf, the store and the first supervisor account.
 * It never overwrites: a directory that exists and is not empty is
 * refused, and on any failure (or Ctrl-C) what was made is removed, so
 * there is never a half-made data directory. canhgac(8), docs/admin.md.
 */
#define _XOPEN_SOURCE 700	/* nftw */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/cli.h"
#include "lib/file.h"
#include "lib/log.h"
#include "lib/pki.h"
#include "lib/text.h"

#define INIT_DEFAULT_LISTEN "127.0.0.1:8443"
#define INIT_DEFAULT_ADMIN "admin"
#define INIT_CA_DAYS 3650
#define INIT_SERVER_DAYS 825
#define INIT_MAX_NAMES 32
#define INIT_PW_MIN 12		/* characters */
#define INIT_PW_MAX 1024	/* bytes */
#define INIT_PW_GEN 20
#define INIT_CN_MAX 64		/* X.509 upper bound of a common name */
#define INIT_URL_MAX 2048

/* No 0/O/o, 1/l/I: read aloud and copied by hand without mistakes. */
static const char init_pw_alphabet[] =
    "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

struct init {
	const char *dir;		/* as given */
	char *abs;			/* absolute, once it exists */
	const char *listen[SERVERCONF_MAX_LISTEN];
	size_t nlisten;
	const char *url;
	char *names[INIT_MAX_NAMES];
	size_t nnames;
	const char *admin;
	const char *password_file;
	bool generate;
	bool made_dir;			/* we created dir itself */
	bool started;			/* something was written */
};

/* ---- checking what the operator typed ---- */

static bool
init_ip(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, buf) == 1 ||
	    inet_pton(AF_INET6, s, buf) == 1;
}

/* A DNS name: labels of letters, digits and '-', not at their ends. */
static bool
init_dns(const char *s)
{
	size_t len = strlen(s), label = 0, i;

	if (len == 0 || len > 253)
		return false;
	for (i = 0; i <= len; i++) {
		char ch = s[i];

		if (ch == '.' || ch == '\0') {
			if (label == 0 || label > 63 || s[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-'))
			return false;
		if (label == 0 && ch == '-')
			return false;
		label++;
	}
	return true;
}

/* "ADDR:PORT" with an IPv4 address or "[IPv6]". The address goes to
 * addr (without brackets). */
static bool
init_listen_ok(const char *s, char *addr, size_t addrlen)
{
	const char *colon;
	size_t alen;
	long port;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL || close[1] != ':')
			return false;
		alen = (size_t)(close - s - 1);
		if (alen == 0 || alen >= addrlen)
			return false;
		memcpy(addr, s + 1, alen);
		addr[alen] = '\0';
		colon = close + 1;
		if (strchr(addr, ':') == NULL)
			return false;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL || colon == s)
			return false;
		alen = (size_t)(colon - s);
		if (alen >= addrlen)
			return false;
		memcpy(addr, s, alen);
		addr[alen] = '\0';
		if (strchr(addr, ':') != NULL)
			return false;
	}
	if (!init_ip(addr))
		return false;
	if (!text_to_long(colon + 1, &port) || port < 1 || port > 65535)
		return false;
	return true;
}

/* https://HOST[:PORT][/path], printable ASCII without spaces or quotes;
 * the host (without the brackets of an IPv6 address) goes to host. */
static bool
init_url_ok(const char *s, char *host, size_t hostlen)
{
	const char *h, *end, *hend, *port;
	size_t i, len = strlen(s), hlen;
	char p[8];
	long v;

	if (len > INIT_URL_MAX || strncmp(s, "https://", 8) != 0)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f || s[i] == '"' ||
		    s[i] == '\'' || s[i] == '\\' || s[i] == '`')
			return false;
	h = s + 8;
	end = h + strcspn(h, "/?#");
	if (memchr(h, '@', (size_t)(end - h)) != NULL)
		return false;	/* no user:password@ */
	if (h[0] == '[') {
		hend = memchr(h, ']', (size_t)(end - h));
		if (hend == NULL)
			return false;
		port = hend + 1;
		h++;
	} else {
		hend = memchr(h, ':', (size_t)(end - h));
		if (hend == NULL)
			hend = end;
		port = hend;
	}
	hlen = (size_t)(hend - h);
	if (hlen == 0 || hlen >= hostlen)
		return false;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	if (port != end) {
		size_t plen = (size_t)(end - port - 1);

		if (port[0] != ':' || plen == 0 || plen >= sizeof(p))
			return false;
		memcpy(p, port + 1, plen);
		p[plen] = '\0';
		if (!text_to_long(p, &v) || v < 1 || v > 65535)
			return false;
	}
	if (s[8] == '[')
		return inet_pton(AF_INET6, host, (unsigned char[16]){0}) == 1;
	return init_ip(host) || init_dns(host);
}

static bool
init_login_ok(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len > 64 || !((s[0] >= 'a' && s[0] <= 'z')))
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		    s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

static void
init_add_name(struct init *in, const char *name)
{
	size_t i;

	for (i = 0; i < in->nnames; i++)
		if (strcasecmp(in->names[i], name) == 0)
			return;
	if (in->nnames < INIT_MAX_NAMES)
		in->names[in->nnames++] = text_dup(name);
}

static bool
init_wildcard(const char *addr)
{
	return strcmp(addr, "0.0.0.0") == 0 || strcmp(addr, "::") == 0;
}

/* The names of the server certificate: --name (or localhost, the loopback
 * addresses and this computer's name), then the host of --url and the
 * addresses of --listen, so that agents can always check the server. */
static void
init_names(struct init *in, const char *const *given, size_t ngiven)
{
	char host[256], addr[64];
	size_t i;

	for (i = 0; i < ngiven; i++)
		init_add_name(in, given[i]);
	if (ngiven == 0) {
		init_add_name(in, "localhost");
		init_add_name(in, "127.0.0.1");
		init_add_name(in, "::1");
		if (gethostname(host, sizeof(host)) == 0) {
			host[sizeof(host) - 1] = '\0';
			if (init_dns(host))
				init_add_name(in, host);
		}
	}
	if (in->url != NULL && init_url_ok(in->url, host, sizeof(host)))
		init_add_name(in, host);
	for (i = 0; i < in->nlisten; i++)
		if (init_listen_ok(in->listen[i], addr, sizeof(addr)) &&
		    !init_wildcard(addr))
			init_add_name(in, addr);
}

/* ---- the password ---- */

/* A password is valid UTF-8 without control characters, INIT_PW_MIN
 * characters or more. */
static bool
init_pw_ok(const char *pw, const char *where)
{
	size_t len = strlen(pw), i, chars = 0;

	if (!text_valid_utf8(pw, len)) {
		log_warnx("%s: mật khẩu không phải UTF-8 hợp lệ — the password "
		    "is not valid UTF-8", where);
		return false;
	}
	for (i = 0; i < len; i++) {
		if ((unsigned char)pw[i] < 0x20 || pw[i] == 0x7f) {
			log_warnx("%s: mật khẩu có ký tự điều khiển — the "
			    "password holds a control character", where);
			return false;
		}
		if (((unsigned char)pw[i] & 0xc0) != 0x80)
			chars++;
	}
	if (chars < INIT_PW_MIN) {
		log_warnx("%s: mật khẩu phải có ít nhất %d ký tự (có %zu) — "
		    "the password needs at least %d characters (it has %zu)",
		    where, INIT_PW_MIN, chars, INIT_PW_MIN, chars);
		return false;
	}
	return true;
}

static int
init_pw_prompt(char *pw, size_t size)
{
	char again[INIT_PW_MAX + 2];
	int tries;

	for (tries = 0; tries < 3; tries++) {
		if (cli_read_tty("Mật khẩu cho tài khoản giám sát — password "
		    "for the supervisor account: ", pw, size) != 0) {
			log_warnx("không đọc được mật khẩu (quá dài hoặc hết "
			    "dữ liệu vào) — cannot read the password (too long "
			    "or end of input)");
			return -1;
		}
		if (!init_pw_ok(pw, "terminal"))
			continue;
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
init_pw_generate(char *pw)
{
	size_t i;

	for (i = 0; i < INIT_PW_GEN; i++)
		pw[i] = init_pw_alphabet[randombytes_uniform(
		    sizeof(init_pw_alphabet) - 1)];
	pw[INIT_PW_GEN] = '\0';
}

/* ---- the data directory ---- */

/* 0 when dir does not exist or is an empty directory (*exists says
 * which); -1 after saying why it is refused. */
static int
init_check_dir(const char *dir, bool *exists)
{
	struct stat sb;
	struct dirent *de;
	DIR *d;
	bool empty = true;

	*exists = false;
	if (lstat(dir, &sb) != 0) {
		if (errno == ENOENT)
			return 0;
		log_warn("%s: không kiểm tra được thư mục dữ liệu — cannot "
		    "check the data directory", dir);
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		log_warnx("%s: đã tồn tại và không phải thư mục; canhgac init "
		    "không ghi đè — exists and is not a directory; canhgac init "
		    "does not overwrite", dir);
		return -1;
	}
	if ((d = opendir(dir)) == NULL) {
		log_warn("%s: không mở được thư mục dữ liệu — cannot open the "
		    "data directory", dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0) {
			empty = false;
			break;
		}
	closedir(d);
	if (!empty) {
		log_warnx("%s: thư mục dữ liệu đã tồn tại và không trống (có "
		    "thể đã có %s hoặc store.db); canhgac init không ghi đè — "
		    "the data directory exists and is not empty (it may "
		    "already hold %s or store.db); canhgac init does not "
		    "overwrite", dir, SERVERCONF_FILE, SERVERCONF_FILE);
		return -1;
	}
	*exists = true;
	return 0;
}

static int
init_rm_one(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	if (ftw->level == 0)
		return 0;	/* the root is handled by the caller */
	if (remove(path) != 0)
		log_warn("%s: không xoá được — cannot remove", path);
	return 0;
}

/* Removes what init made: the whole directory when it made it, else what
 * it put in it (it was empty). Symbolic links are not followed. */
static void
init_undo(struct init *in)
{
	const char *dir = in->abs != NULL ? in->abs : in->dir;

	if (!in->started)
		return;
	nftw(dir, init_rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	if (in->made_dir && rmdir(dir) != 0)
		log_warn("%s: không xoá được — cannot remove", dir);
	log_warnx("%s: đã xoá những gì vừa tạo — removed what was made",
	    dir);
}

static int
init_write(const char *dir, const char *rel, const char *text, mode_t mode)
{
	char *path = file_join(dir, rel);
	int r;

	r = file_write_atomic(path, text, strlen(text), mode);
	if (r != 0)
		log_warnx("%s: không ghi được: %s — cannot write: %s", path,
		    text_strerror_vi(-r) ? text_strerror_vi(-r) :
		    strerror(-r), strerror(-r));
	free(path);
	return r == 0 ? 0 : -1;
}

static int
init_mkdir(const char *dir, const char *rel, mode_t mode)
{
	char *path = file_join(dir, rel);
	int r = 0;

	if (mkdir(path, mode) != 0 || chmod(path, mode) != 0) {
		log_warn("%s: không tạo được thư mục — cannot create the "
		    "directory", path);
		r = -1;
	}
	free(path);
	return r;
}

/* The CA's common name: "Canh Gác CA <hostname>", within 64 bytes. */
static void
init_ca_cn(char *cn, size_t size)
{
	char host[256];
	size_t room;

	snprintf(cn, size, "Canh Gác CA");
	if (gethostname(host, sizeof(host)) != 0)
		return;
	host[sizeof(host) - 1] = '\0';
	if (!init_dns(host))
		return;
	room = INIT_CN_MAX - strlen(cn) - 1;
	snprintf(cn + strlen(cn), size - strlen(cn), " %.*s", (int)room, host);
}

/* Everything that writes; the caller undoes on failure. */
static int
init_make(struct init *in, const char *pwhash, char fpr[PKI_FPR_LEN])
{
	char err[1024], cn[INIT_CN_MAX + 8];
	char *ca_key = NULL, *ca_cert = NULL, *key = NULL, *cert = NULL;
	struct serverconf sc;
	struct store *st = NULL;
	int rc = -1, r;

	memset(&sc, 0, sizeof(sc));
	if (in->made_dir && chmod(in->abs, 0750) != 0) {
		log_warn("%s: chmod", in->abs);
		return -1;
	}
	/* ca/ is the claim: a second init racing us fails here */
	if (init_mkdir(in->abs, "ca", 0700) != 0)
		return -1;
	in->started = true;
	if (init_mkdir(in->abs, "tls", 0750) != 0)
		return -1;

	init_ca_cn(cn, sizeof(cn));
	if (pki_ca_create(cn, INIT_CA_DAYS, &ca_key, &ca_cert, err,
	    sizeof(err)) != 0) {
		log_warnx("CA: %s", err);
		goto out;
	}
	if (pki_server_cert(ca_key, ca_cert, (const char *const *)in->names,
	    in->nnames, INIT_SERVER_DAYS, &key, &cert, err,
	    sizeof(err)) != 0) {
		log_warnx("tls/server.pem: %s", err);
		goto out;
	}
	if (pki_fingerprint(ca_cert, fpr, err, sizeof(err)) != 0) {
		log_warnx("ca/ca.pem: %s", err);
		goto out;
	}
	if (init_write(in->abs, "ca/ca.key", ca_key, 0600) != 0 ||
	    init_write(in->abs, "ca/ca.pem", ca_cert, 0644) != 0 ||
	    init_write(in->abs, "tls/server.key", key, 0600) != 0 ||
	    init_write(in->abs, "tls/server.pem", cert, 0644) != 0)
		goto out;

	if (serverconf_write_default(in->abs, in->listen, in->nlisten,
	    in->url, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		goto out;
	}
	/* read back what was written: canhgacd will read the same */
	if (serverconf_load(in->abs, &sc, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		goto out;
	}
	if (store_open(sc.store, STORE_CREATE, &st, err, sizeof(err)) !=
	    STORE_OK) {
		log_warnx("%s: %s", sc.store, err);
		st = NULL;
		goto out;
	}
	r = store_user_add(st, in->admin, in->admin, "supervisor", 0, pwhash,
	    (int64_t)time(NULL), err, sizeof(err));
	if (r != STORE_OK) {
		log_warnx("%s: %s", sc.store, err);
		goto out;
	}
	{
		char object[300];
		json_t *d = json_object();

		snprintf(object, sizeof(object), "user:%s", in->admin);
		json_object_set_new(d, "role", json_string("supervisor"));
		cli_audit(st, "init", object, d);
	}
	rc = 0;
out:
	if (st != NULL)
		store_close(st);
	serverconf_free(&sc);
	if (ca_key != NULL)
		sodium_memzero(ca_key, strlen(ca_key));
	if (key != NULL)
		sodium_memzero(key, strlen(key));
	free(ca_key);
	free(ca_cert);
	free(key);
	free(cert);
	return rc;
}

static void
init_done(const struct init *in, const char *fpr, const char *password)
{
	printf("Đã khởi tạo thư mục dữ liệu — data directory initialised: "
	    "%s\n", in->abs);
	printf("Dấu vân tay CA — CA fingerprint: %s\n", fpr);
	printf("Tài khoản giám sát — supervisor account: %s\n", in->admin);
	if (password != NULL) {
		printf("\n");
		printf("Mật khẩu được sinh ngẫu nhiên, CHỈ HIỆN MỘT LẦN; hãy "
		    "ghi lại ngay và đổi sau khi đăng nhập — the generated "
		    "password is shown ONLY ONCE; write it down now and change "
		    "it after logging in:\n");
		printf("    %s\n", password);
	}
	printf("\n");
	printf("Bước tiếp theo — next steps:\n");
	printf("  1. Khởi động máy chủ — start the server:\n"
	    "       canhgacd --data %s\n", in->abs);
	printf("  2. Tạo mã đăng ký cho một đơn vị — create an enrolment "
	    "token for a unit:\n"
	    "       canhgac --data %s token create --unit \"Văn phòng UBND "
	    "phường\"\n", in->abs);
	printf("  3. Đăng ký từng máy bằng lệnh mà bước 2 in ra — enrol each "
	    "computer with the command step 2 prints "
	    "(canhgac-agent enroll ...)\n");
	printf("Khoá riêng của CA nằm ở %s/ca/ca.key: hãy sao lưu nó ở nơi an "
	    "toàn — the CA's private key is %s/ca/ca.key: back it up "
	    "somewhere safe\n", in->abs, in->abs);
	fflush(stdout);
}

static const int init_sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

/* The signals that would end us (not those we inherited as ignored, as
 * nohup or a background job do): blocked while we write, checked after. */
static void
init_signals(sigset_t *set)
{
	struct sigaction sa;
	size_t i;

	sigemptyset(set);
	for (i = 0; i < sizeof(init_sigs) / sizeof(init_sigs[0]); i++)
		if (sigaction(init_sigs[i], NULL, &sa) == 0 &&
		    sa.sa_handler != SIG_IGN)
			sigaddset(set, init_sigs[i]);
}

static bool
init_interrupted(const sigset_t *set, const sigset_t *pending)
{
	size_t i;

	for (i = 0; i < sizeof(init_sigs) / sizeof(init_sigs[0]); i++)
		if (sigismember(set, init_sigs[i]) &&
		    sigismember(pending, init_sigs[i]))
			return true;
	return false;
}

int
cmd_init(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_GLOBAL_OPTIONS,
		{"listen", required_argument, NULL, 'l'},
		{"url", required_argument, NULL, 'u'},
		{"name", required_argument, NULL, 'n'},
		{"admin", required_argument, NULL, 'a'},
		{"password-file", required_argument, NULL, 'p'},
		{"generate-password", no_argument, NULL, 'g'},
		{NULL, 0, NULL, 0},
	};
	const char *given[INIT_MAX_NAMES];
	char addr[64], host[256], pw[INIT_PW_MAX + 2];
	char pwhash[crypto_pwhash_STRBYTES], fpr[PKI_FPR_LEN];
	sigset_t block, old, pending;
	struct init in;
	size_t ngiven = 0, i;
	bool exists, shown_pw = false;
	int ch, r, rc = EXIT_FAIL;

	memset(&in, 0, sizeof(in));
	in.admin = INIT_DEFAULT_ADMIN;
	while ((ch = cli_getopt(c, argc, argv, longopts, "init", &r)) != -1) {
		switch (ch) {
		case 'l':
			if (!init_listen_ok(optarg, addr, sizeof(addr)))
				return cli_usage_error("--listen “%s”: phải là "
				    "ĐỊA_CHỈ_IP:CỔNG, ví dụ 127.0.0.1:8443 hoặc "
				    "[::1]:8443 — must be IP_ADDRESS:PORT, e.g. "
				    "127.0.0.1:8443 or [::1]:8443", optarg);
			if (in.nlisten == SERVERCONF_MAX_LISTEN)
				return cli_usage_error("--listen: nhiều nhất %d "
				    "địa chỉ — at most %d addresses",
				    SERVERCONF_MAX_LISTEN,
				    SERVERCONF_MAX_LISTEN);
			in.listen[in.nlisten++] = optarg;
			break;
		case 'u':
			if (!init_url_ok(optarg, host, sizeof(host)))
				return cli_usage_error("--url “%s”: phải là "
				    "https://TÊN_MÁY_HOẶC_IP[:CỔNG] — must be "
				    "https://HOST_OR_IP[:PORT]", optarg);
			in.url = optarg;
			break;
		case 'n':
			if (!init_ip(optarg) && !init_dns(optarg))
				return cli_usage_error("--name “%s”: không phải "
				    "tên miền hay địa chỉ IP — not a DNS name or "
				    "an IP address", optarg);
			if (ngiven == INIT_MAX_NAMES)
				return cli_usage_error("--name: nhiều nhất %d "
				    "tên — at most %d names", INIT_MAX_NAMES,
				    INIT_MAX_NAMES);
			given[ngiven++] = optarg;
			break;
		case 'a':
			if (!init_login_ok(optarg))
				return cli_usage_error("--admin “%s”: tên đăng "
				    "nhập gồm chữ thường, số, . _ -, bắt đầu "
				    "bằng chữ, tối đa 64 — a login is lower-case "
				    "letters, digits, . _ -, starting with a "
				    "letter, at most 64", optarg);
			in.admin = optarg;
			break;
		case 'p':
			in.password_file = optarg;
			break;
		case 'g':
			in.generate = true;
			break;
		}
	}
	if (r != EXIT_OK)
		return r;
	if (in.password_file != NULL && in.generate)
		return cli_usage_error("--password-file và --generate-password "
		    "loại trừ nhau — --password-file and --generate-password "
		    "exclude each other");
	in.dir = c->data;
	if (in.nlisten == 0)
		in.listen[in.nlisten++] = INIT_DEFAULT_LISTEN;
	init_names(&in, given, ngiven);

	if (init_check_dir(in.dir, &exists) != 0)
		goto out;

	/* the password first: nothing is made before the operator answers */
	if (in.password_file != NULL) {
		if (cli_pw_file(in.password_file, pw, sizeof(pw)) != 0 ||
		    !init_pw_ok(pw, in.password_file))
			goto out;
	} else if (in.generate || !isatty(STDIN_FILENO)) {
		init_pw_generate(pw);
		shown_pw = true;
	} else if (init_pw_prompt(pw, sizeof(pw)) != 0)
		goto out;
	if (crypto_pwhash_str(pwhash, pw, strlen(pw),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		log_warnx("không đủ bộ nhớ để băm mật khẩu (Argon2id) — out of "
		    "memory hashing the password (Argon2id)");
		goto out;
	}
	if (!shown_pw)
		sodium_memzero(pw, sizeof(pw));

	/* from here on an interruption is handled, not suffered */
	init_signals(&block);
	sigprocmask(SIG_BLOCK, &block, &old);
	umask(027);
	if (!exists) {
		if (mkdir(in.dir, 0750) != 0) {
			if (errno == EEXIST)
				log_warnx("%s: vừa được tạo bởi tiến trình khác; "
				    "canhgac init không ghi đè — was just "
				    "created by another process; canhgac init "
				    "does not overwrite", in.dir);
			else
				log_warn("%s: không tạo được thư mục dữ liệu — "
				    "cannot create the data directory", in.dir);
			goto unblock;
		}
		in.made_dir = true;
		in.started = true;
	}
	in.abs = realpath(in.dir, NULL);
	if (in.abs == NULL) {
		log_warn("%s", in.dir);
		init_undo(&in);
		goto unblock;
	}
	if (init_make(&in, pwhash, fpr) != 0) {
		init_undo(&in);
		goto unblock;
	}
	sigpending(&pending);
	if (init_interrupted(&block, &pending)) {
		log_warnx("bị ngắt — interrupted");
		init_undo(&in);
		goto unblock;
	}
	init_done(&in, fpr, shown_pw ? pw : NULL);
	rc = EXIT_OK;
unblock:
	sigprocmask(SIG_SETMASK, &old, NULL);
out:
	sodium_memzero(pw, sizeof(pw));
	sodium_memzero(pwhash, sizeof(pwhash));
	for (i = 0; i < in.nnames; i++)
		free(in.names[i]);
	free(in.abs);
	return rc;
}
