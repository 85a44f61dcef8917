/*
 * serverconf.c — canhgacd.conf (serverconf.h): the server's keys, checked
 * against one table with conf_validate, each value bounded and its error
 * naming file:line:col; durations ("30s", "5m", "1h", "7d") and sizes
 * ("512K", "8M", "1G") in the forms canhgacd.conf(5) describes. Also
 * writes the commented default file for canhgac init.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/conf.h"
#include "lib/file.h"
#include "lib/text.h"
#include "server/serverconf.h"

#define SC_MAX_PATH 4096
#define SC_MAX_URL 2048

static const struct conf_key serverconf_keys[] = {
	{"listen", 1, 1, NULL},
	{"url", 1, 1, NULL},
	{"store", 1, 1, NULL},
	{"ca-cert", 1, 1, NULL},
	{"ca-key", 1, 1, NULL},
	{"tls-cert", 1, 1, NULL},
	{"tls-key", 1, 1, NULL},
	{"threads", 1, 1, NULL},
	{"max-connections", 1, 1, NULL},
	{"timeout", 1, 1, NULL},
	{"agent-cert-days", 1, 1, NULL},
	{"batch-max-bytes", 1, 1, NULL},
	{"batch-max-inflated", 1, 1, NULL},
	{"batch-max-reports", 1, 1, NULL},
	{"rate-limit", 2, 2, NULL},
	{"metrics-allow", 1, SERVERCONF_MAX_ALLOW, NULL},
	{"store-max-size", 1, 1, NULL},
	{"log-level", 1, 1, NULL},
	{"site-checks", 1, 1, NULL},
	{"site-concurrency", 1, 1, NULL},
	{"site-scan-every", 1, 1, NULL},
	{"site-resolve", 1, SERVERCONF_MAX_RESOLVE, NULL},
	{"site-cafile", 1, 1, NULL},
	{"site-dns-server", 1, 1, NULL},
	{NULL, 0, 0, NULL},
};

/* Keys that may be given more than once. */
static bool
serverconf_repeatable(const char *key)
{
	return strcmp(key, "listen") == 0;
}

static int __attribute__((format(printf, 4, 5)))
serverconf_err(char *err, size_t errlen, const struct conf_node *n,
    const char *fmt, ...)
{
	va_list ap;
	int len;

	len = snprintf(err, errlen, "%s:%d:%d: ", n->file, n->line, n->col);
	if (len < 0 || (size_t)len >= errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err + len, errlen - (size_t)len, fmt, ap);
	va_end(ap);
	return -1;
}

/* A whole decimal number in [min, max]. */
static bool
serverconf_int(const char *s, long min, long max, long *out)
{
	long v;

	if (!text_to_long(s, &v) || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* "30" (seconds), "30s", "5m", "1h", "7d" -> seconds. */
static bool
serverconf_duration(const char *s, int64_t *out)
{
	char num[32];
	size_t len = strlen(s), i;
	int64_t mult = 1;
	long v;

	if (len == 0 || len >= sizeof(num))
		return false;
	switch (s[len - 1]) {
	case 's': mult = 1; len--; break;
	case 'm': mult = 60; len--; break;
	case 'h': mult = 3600; len--; break;
	case 'd': mult = 86400; len--; break;
	default: break;
	}
	if (len == 0)
		return false;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	memcpy(num, s, len);
	num[len] = '\0';
	if (!text_to_long(num, &v) || v < 0 || v > INT32_MAX)
		return false;
	*out = (int64_t)v * mult;
	return true;
}

/* "8388608", "512K", "8M", "1G", also "8MiB" or "8MB" (powers of 1024). */
static bool
serverconf_size(const char *s, int64_t *out)
{
	static const struct {
		const char *suffix;
		int shift;
	} units[] = {
		{"", 0}, {"B", 0}, {"K", 10}, {"KB", 10}, {"KiB", 10},
		{"M", 20}, {"MB", 20}, {"MiB", 20}, {"G", 30}, {"GB", 30},
		{"GiB", 30}, {"T", 40}, {"TB", 40}, {"TiB", 40},
	};
	char num[32];
	size_t i, n = 0;
	long v;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	if (n == 0 || n >= sizeof(num))
		return false;
	memcpy(num, s, n);
	num[n] = '\0';
	if (!text_to_long(num, &v) || v < 0)
		return false;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(s + n, units[i].suffix) != 0)
			continue;
		if ((int64_t)v > (INT64_MAX >> units[i].shift))
			return false;
		*out = (int64_t)v << units[i].shift;
		return true;
	}
	return false;
}

/* "1.2.3.4:443" or "[::1]:443": the address must be numeric, the port
 * 1-65535. */
static bool
serverconf_listen_ok(const char *s)
{
	char host[INET6_ADDRSTRLEN + 2];
	unsigned char bin[sizeof(struct in6_addr)];
	const char *colon;
	size_t hlen;
	long port;
	int af = AF_INET;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL || close[1] != ':')
			return false;
		hlen = (size_t)(close - s - 1);
		if (hlen == 0 || hlen >= sizeof(host))
			return false;
		memcpy(host, s + 1, hlen);
		colon = close + 1;
		af = AF_INET6;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return false;
		hlen = (size_t)(colon - s);
		if (hlen == 0 || hlen >= sizeof(host))
			return false;
		memcpy(host, s, hlen);
	}
	host[hlen] = '\0';
	if (inet_pton(af, host, bin) != 1)
		return false;
	return serverconf_int(colon + 1, 1, 65535, &port);
}

/* "10.0.0.5", "::1", "10.0.0.0/24", "fd00::/8". */
static bool
serverconf_allow_ok(const char *s)
{
	char host[INET6_ADDRSTRLEN + 1];
	unsigned char bin[sizeof(struct in6_addr)];
	const char *slash = strchr(s, '/');
	size_t hlen = slash ? (size_t)(slash - s) : strlen(s);
	long bits;
	int af;

	if (hlen == 0 || hlen >= sizeof(host))
		return false;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	af = strchr(host, ':') != NULL ? AF_INET6 : AF_INET;
	if (inet_pton(af, host, bin) != 1)
		return false;
	if (slash == NULL)
		return true;
	return serverconf_int(slash + 1, 0, af == AF_INET ? 32 : 128, &bits);
}

static bool
serverconf_url_ok(const char *s)
{
	size_t i, len = strlen(s);

	if (len <= 8 || len > SC_MAX_URL || strncmp(s, "https://", 8) != 0)
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

/* A path relative to the data directory, or absolute. */
static char *
serverconf_path(const char *data_dir, const char *p)
{
	if (p[0] == '/')
		return text_dup(p);
	return file_join(data_dir, p);
}

static void
serverconf_defaults(struct serverconf *sc)
{
	sc->threads = 16;
	sc->max_connections = 4096;
	sc->timeout_s = 30;
	sc->agent_cert_days = 730;
	sc->batch_max_bytes = 8u << 20;
	sc->batch_max_inflated = 32u << 20;
	sc->batch_max_reports = 64;
	sc->rate_burst = 20;
	sc->rate_per_hour = 60;
	sc->store_max_size = 0;
	sc->log_level = 1;
	sc->site_checks = true;
	sc->site_concurrency = 16;
	sc->site_scan_s = 30;
}

/* The portal monitor's keys (site-*). */
static int
serverconf_site(struct serverconf *sc, const struct conf *c, char *err,
    size_t errlen)
{
	const struct conf_node *n;
	const char *a;
	int64_t v64;
	long v;
	size_t i;

	if ((n = conf_find(c->first, "site-checks")) != NULL) {
		if (strcmp(n->args[0], "on") == 0)
			sc->site_checks = true;
		else if (strcmp(n->args[0], "off") == 0)
			sc->site_checks = false;
		else
			return serverconf_err(err, errlen, n,
			    "site-checks phải là on hoặc off — site-checks "
			    "must be on or off");
	}
	if ((n = conf_find(c->first, "site-concurrency")) != NULL) {
		if (!serverconf_int(n->args[0], 1, 256, &v))
			return serverconf_err(err, errlen, n,
			    "site-concurrency phải từ 1 đến 256 — "
			    "site-concurrency must be 1 to 256");
		sc->site_concurrency = (int)v;
	}
	if ((n = conf_find(c->first, "site-scan-every")) != NULL) {
		if (!serverconf_duration(n->args[0], &v64) || v64 < 1 ||
		    v64 > 3600)
			return serverconf_err(err, errlen, n,
			    "site-scan-every phải từ 1s đến 1h — "
			    "site-scan-every must be 1s to 1h");
		sc->site_scan_s = (int)v64;
	}
	if ((n = conf_find(c->first, "site-resolve")) != NULL) {
		for (i = 0; i < n->nargs; i++) {
			a = n->args[i];
			if (a[0] == '\0' || strlen(a) > 300 ||
			    a[strcspn(a, " \t\n;")] != '\0' ||
			    strchr(a, ':') == NULL ||
			    strchr(strchr(a, ':') + 1, ':') == NULL)
				return serverconf_err(err, errlen, n,
				    "site-resolve: cần MÁY:CỔNG:ĐỊA_CHỈ, không "
				    "phải “%s” — needs HOST:PORT:ADDR, not “%s”",
				    a, a);
			sc->site_resolve[sc->nsite_resolve++] = text_dup(a);
		}
	}
	if ((n = conf_find(c->first, "site-cafile")) != NULL) {
		if (strlen(n->args[0]) > SC_MAX_PATH)
			return serverconf_err(err, errlen, n,
			    "site-cafile: đường dẫn quá dài — path too long");
		sc->site_cafile = serverconf_path(sc->data_dir, n->args[0]);
	}
	if ((n = conf_find(c->first, "site-dns-server")) != NULL) {
		a = n->args[0];
		if (!serverconf_listen_ok(a))
			return serverconf_err(err, errlen, n,
			    "site-dns-server: cần ĐỊA_CHỈ:CỔNG, không phải "
			    "“%s” — needs ADDR:PORT, not “%s”", a, a);
		sc->site_dns_server = text_dup(a);
	}
	return 0;
}

static int
serverconf_apply(struct serverconf *sc, const struct conf *c, char *err,
    size_t errlen)
{
	const char *store = "store.db", *ca_cert = "ca/ca.pem";
	const char *ca_key = "ca/ca.key", *tls_cert = "tls/server.pem";
	const char *tls_key = "tls/server.key";
	const struct conf_node *n, *m;
	int64_t v64;
	long v, w;
	size_t i;

	/* A key given twice is a mistake the operator should see. */
	for (n = c->first; n != NULL; n = n->next) {
		if (serverconf_repeatable(n->key))
			continue;
		for (m = c->first; m != n; m = m->next)
			if (strcmp(m->key, n->key) == 0)
				return serverconf_err(err, errlen, n,
				    "khóa “%s” đã có ở dòng %d — key “%s” "
				    "already given on line %d", n->key,
				    m->line, n->key, m->line);
	}
	for (n = conf_find(c->first, "listen"); n; n = conf_next(n)) {
		if (!serverconf_listen_ok(n->args[0]))
			return serverconf_err(err, errlen, n,
			    "địa chỉ lắng nghe không hợp lệ “%s” (cần "
			    "IPv4:CỔNG hoặc [IPv6]:CỔNG) — invalid listen "
			    "address “%s” (IPv4:PORT or [IPv6]:PORT)",
			    n->args[0], n->args[0]);
		for (i = 0; i < sc->nlisten; i++)
			if (strcmp(sc->listen[i], n->args[0]) == 0)
				return serverconf_err(err, errlen, n,
				    "địa chỉ “%s” đã có — address “%s” "
				    "given twice", n->args[0], n->args[0]);
		if (sc->nlisten == SERVERCONF_MAX_LISTEN)
			return serverconf_err(err, errlen, n,
			    "quá %d địa chỉ lắng nghe — more than %d listen "
			    "addresses", SERVERCONF_MAX_LISTEN,
			    SERVERCONF_MAX_LISTEN);
		sc->listen[sc->nlisten++] = text_dup(n->args[0]);
	}
	if (sc->nlisten == 0)
		sc->listen[sc->nlisten++] = text_dup("127.0.0.1:8443");
	if ((n = conf_find(c->first, "url")) != NULL) {
		if (!serverconf_url_ok(n->args[0]))
			return serverconf_err(err, errlen, n,
			    "url phải bắt đầu bằng https:// và không có dấu "
			    "cách — url must start with https:// and hold no "
			    "spaces");
		sc->url = text_dup(n->args[0]);
	}
	if ((n = conf_find(c->first, "store")) != NULL)
		store = n->args[0];
	if ((n = conf_find(c->first, "ca-cert")) != NULL)
		ca_cert = n->args[0];
	if ((n = conf_find(c->first, "ca-key")) != NULL)
		ca_key = n->args[0];
	if ((n = conf_find(c->first, "tls-cert")) != NULL)
		tls_cert = n->args[0];
	if ((n = conf_find(c->first, "tls-key")) != NULL)
		tls_key = n->args[0];
	for (n = c->first; n != NULL; n = n->next) {
		if ((strcmp(n->key, "store") == 0 ||
		    strcmp(n->key, "ca-cert") == 0 ||
		    strcmp(n->key, "ca-key") == 0 ||
		    strcmp(n->key, "tls-cert") == 0 ||
		    strcmp(n->key, "tls-key") == 0) &&
		    (n->args[0][0] == '\0' || strlen(n->args[0]) >= SC_MAX_PATH))
			return serverconf_err(err, errlen, n,
			    "đường dẫn rỗng hoặc quá dài — empty or too long "
			    "path");
	}
	sc->store = serverconf_path(sc->data_dir, store);
	sc->ca_cert = serverconf_path(sc->data_dir, ca_cert);
	sc->ca_key = serverconf_path(sc->data_dir, ca_key);
	sc->tls_cert = serverconf_path(sc->data_dir, tls_cert);
	sc->tls_key = serverconf_path(sc->data_dir, tls_key);

	if ((n = conf_find(c->first, "threads")) != NULL) {
		if (!serverconf_int(n->args[0], 1, 64, &v))
			return serverconf_err(err, errlen, n,
			    "threads phải từ 1 đến 64 — threads must be 1 to 64");
		sc->threads = (int)v;
	}
	if ((n = conf_find(c->first, "max-connections")) != NULL) {
		if (!serverconf_int(n->args[0], 1, 65536, &v))
			return serverconf_err(err, errlen, n,
			    "max-connections phải từ 1 đến 65536 — "
			    "max-connections must be 1 to 65536");
		sc->max_connections = (int)v;
	}
	if ((n = conf_find(c->first, "timeout")) != NULL) {
		if (!serverconf_duration(n->args[0], &v64) || v64 < 1 ||
		    v64 > 3600)
			return serverconf_err(err, errlen, n,
			    "timeout phải từ 1s đến 1h (ví dụ 30s, 5m) — "
			    "timeout must be 1s to 1h (e.g. 30s, 5m)");
		sc->timeout_s = (int)v64;
	}
	if ((n = conf_find(c->first, "agent-cert-days")) != NULL) {
		if (!serverconf_int(n->args[0], 1, 3650, &v))
			return serverconf_err(err, errlen, n,
			    "agent-cert-days phải từ 1 đến 3650 — "
			    "agent-cert-days must be 1 to 3650");
		sc->agent_cert_days = (int)v;
	}
	if ((n = conf_find(c->first, "batch-max-bytes")) != NULL) {
		if (!serverconf_size(n->args[0], &v64) || v64 < (1 << 10) ||
		    v64 > (1ll << 30))
			return serverconf_err(err, errlen, n,
			    "batch-max-bytes phải từ 1K đến 1G — "
			    "batch-max-bytes must be 1K to 1G");
		sc->batch_max_bytes = (size_t)v64;
	}
	if ((n = conf_find(c->first, "batch-max-inflated")) != NULL) {
		if (!serverconf_size(n->args[0], &v64) || v64 < (1 << 10) ||
		    v64 > (1ll << 30))
			return serverconf_err(err, errlen, n,
			    "batch-max-inflated phải từ 1K đến 1G — "
			    "batch-max-inflated must be 1K to 1G");
		sc->batch_max_inflated = (size_t)v64;
	}
	if ((n = conf_find(c->first, "batch-max-reports")) != NULL) {
		if (!serverconf_int(n->args[0], 1, 4096, &v))
			return serverconf_err(err, errlen, n,
			    "batch-max-reports phải từ 1 đến 4096 — "
			    "batch-max-reports must be 1 to 4096");
		sc->batch_max_reports = (size_t)v;
	}
	if ((n = conf_find(c->first, "rate-limit")) != NULL) {
		if (!serverconf_int(n->args[0], 1, 100000, &v) ||
		    !serverconf_int(n->args[1], 1, 3600000, &w))
			return serverconf_err(err, errlen, n,
			    "rate-limit cần hai số: số lô tối đa liền nhau "
			    "(1-100000) và số lô mỗi giờ (1-3600000) — "
			    "rate-limit takes two numbers: the burst "
			    "(1-100000) and batches per hour (1-3600000)");
		sc->rate_burst = (int)v;
		sc->rate_per_hour = (int)w;
	}
	if ((n = conf_find(c->first, "metrics-allow")) != NULL) {
		for (i = 0; i < n->nargs; i++) {
			if (!serverconf_allow_ok(n->args[i]))
				return serverconf_err(err, errlen, n,
				    "metrics-allow: địa chỉ không hợp lệ “%s” "
				    "(cần địa chỉ IP hoặc mạng IP/độ-dài) — "
				    "invalid address “%s” (an IP address or "
				    "IP/prefix)", n->args[i], n->args[i]);
			sc->metrics_allow[sc->nmetrics_allow++] =
			    text_dup(n->args[i]);
		}
	} else {
		sc->metrics_allow[sc->nmetrics_allow++] = text_dup("127.0.0.1");
		sc->metrics_allow[sc->nmetrics_allow++] = text_dup("::1");
	}
	if ((n = conf_find(c->first, "store-max-size")) != NULL) {
		if (!serverconf_size(n->args[0], &v64) ||
		    (v64 != 0 && v64 < (1 << 20)))
			return serverconf_err(err, errlen, n,
			    "store-max-size phải là 0 (không giới hạn) hoặc từ "
			    "1M trở lên — store-max-size must be 0 (no bound) "
			    "or at least 1M");
		sc->store_max_size = v64;
	}
	if ((n = conf_find(c->first, "log-level")) != NULL) {
		if (strcmp(n->args[0], "warn") == 0)
			sc->log_level = 0;
		else if (strcmp(n->args[0], "info") == 0)
			sc->log_level = 1;
		else if (strcmp(n->args[0], "debug") == 0)
			sc->log_level = 2;
		else
			return serverconf_err(err, errlen, n,
			    "log-level phải là warn, info hoặc debug — "
			    "log-level must be warn, info or debug");
	}
	return serverconf_site(sc, c, err, errlen);
}

int
serverconf_load(const char *data_dir, struct serverconf *sc, char *err,
    size_t errlen)
{
	char *path, *real;
	struct conf *c;
	int rc;

	memset(sc, 0, sizeof(*sc));
	serverconf_defaults(sc);
	if ((real = realpath(data_dir, NULL)) == NULL) {
		int e = errno;

		snprintf(err, errlen, "%s: không mở được thư mục dữ liệu: %s — "
		    "cannot open the data directory: %s", data_dir,
		    text_strerror_vi(e) ? text_strerror_vi(e) : strerror(e),
		    strerror(e));
		return -1;
	}
	sc->data_dir = real;
	path = file_join(real, SERVERCONF_FILE);
	c = conf_load(path, 0, err, errlen);
	free(path);
	if (c == NULL) {
		serverconf_free(sc);
		return -1;
	}
	rc = conf_validate(c, serverconf_keys, err, errlen);
	if (rc == 0)
		rc = serverconf_apply(sc, c, err, errlen);
	conf_free(c);
	if (rc != 0)
		serverconf_free(sc);
	return rc;
}

void
serverconf_free(struct serverconf *sc)
{
	size_t i;

	if (sc == NULL)
		return;
	free(sc->data_dir);
	for (i = 0; i < sc->nlisten; i++)
		free(sc->listen[i]);
	free(sc->url);
	free(sc->store);
	free(sc->ca_cert);
	free(sc->ca_key);
	free(sc->tls_cert);
	free(sc->tls_key);
	for (i = 0; i < sc->nmetrics_allow; i++)
		free(sc->metrics_allow[i]);
	for (i = 0; i < sc->nsite_resolve; i++)
		free(sc->site_resolve[i]);
	free(sc->site_cafile);
	free(sc->site_dns_server);
	memset(sc, 0, sizeof(*sc));
}

int
serverconf_write_default(const char *data_dir, const char *const *listen,
    size_t nlisten, const char *url, char *err, size_t errlen)
{
	char *path, *buf = NULL;
	size_t len = 0, i;
	FILE *m;
	int rc;

	if (nlisten > SERVERCONF_MAX_LISTEN) {
		snprintf(err, errlen, "quá %d địa chỉ lắng nghe — more than %d "
		    "listen addresses", SERVERCONF_MAX_LISTEN,
		    SERVERCONF_MAX_LISTEN);
		return -1;
	}
	for (i = 0; i < nlisten; i++) {
		if (!serverconf_listen_ok(listen[i])) {
			snprintf(err, errlen, "địa chỉ lắng nghe không hợp lệ "
			    "“%s” (cần IPv4:CỔNG hoặc [IPv6]:CỔNG) — invalid "
			    "listen address “%s” (IPv4:PORT or [IPv6]:PORT)",
			    listen[i], listen[i]);
			return -1;
		}
	}
	if (url != NULL && !serverconf_url_ok(url)) {
		snprintf(err, errlen, "url không hợp lệ “%s”: phải bắt đầu bằng "
		    "https:// — invalid url “%s”: must start with https://",
		    url, url);
		return -1;
	}
	path = file_join(data_dir, SERVERCONF_FILE);
	if (access(path, F_OK) == 0) {
		snprintf(err, errlen, "%s: tệp đã có, không ghi đè — the file "
		    "exists, not overwritten", path);
		free(path);
		return -1;
	}
	if ((m = open_memstream(&buf, &len)) == NULL) {
		snprintf(err, errlen, "hết bộ nhớ — out of memory");
		free(path);
		return -1;
	}
	fputs(
"# canhgacd.conf — cấu hình máy chủ Canh Gác / the Canh Gác server's\n"
"# configuration. Xem / see canhgacd.conf(5). Đường dẫn tương đối tính từ\n"
"# thư mục dữ liệu / relative paths are relative to the data directory.\n"
"\n"
"# Địa chỉ lắng nghe (TLS), lặp lại được / listen addresses (TLS),\n"
"# repeatable; [::1]:8443 for IPv6.\n", m);
	if (nlisten == 0)
		fputs("listen 127.0.0.1:8443\n", m);
	for (i = 0; i < nlisten; i++)
		fprintf(m, "listen %s\n", listen[i]);
	fputs(
"\n# Địa chỉ các agent dùng để kết nối / the address agents are told to use\n",
	    m);
	if (url != NULL)
		fprintf(m, "url %s\n", url);
	else
		fputs("#url https://10.0.0.5:8443\n", m);
	fputs(
"\n"
"store store.db\n"
"ca-cert ca/ca.pem\n"
"ca-key ca/ca.key\n"
"tls-cert tls/server.pem\n"
"tls-key tls/server.key\n"
"\n"
"# Luồng xử lý và kết nối / worker threads and connections\n"
"threads 16\n"
"max-connections 4096\n"
"timeout 30s\n"
"\n"
"# Thời hạn chứng thư của agent (ngày) / agent certificate lifetime (days)\n"
"agent-cert-days 730\n"
"\n"
"# Giới hạn một lô báo cáo / bounds of one batch of reports\n"
"batch-max-bytes 8M\n"
"batch-max-inflated 32M\n"
"batch-max-reports 64\n"
"\n"
"# Số lô liền nhau tối đa, số lô mỗi giờ cho mỗi agent / burst, batches\n"
"# per hour per agent\n"
"rate-limit 20 60\n"
"\n"
"# Ai được đọc /metrics / who may read /metrics\n"
"metrics-allow 127.0.0.1 ::1\n"
"\n"
"# Kích thước tối đa của kho dữ liệu, 0: không giới hạn / the store's size\n"
"# bound, 0: none but the disk\n"
"store-max-size 0\n"
"\n"
"# warn, info, debug\n"
"log-level info\n"
"\n"
"# Giám sát cổng thông tin (canhgac site add) / the portal monitor\n"
"site-checks on\n"
"site-concurrency 16\n", m);
	if (fclose(m) != 0) {
		snprintf(err, errlen, "hết bộ nhớ — out of memory");
		free(buf);
		free(path);
		return -1;
	}
	rc = file_write_atomic(path, buf, len, 0640);
	free(buf);
	if (rc != 0) {
		snprintf(err, errlen, "%s: không ghi được: %s — cannot write: %s",
		    path, text_strerror_vi(-rc) ? text_strerror_vi(-rc) :
		    strerror(-rc), strerror(-rc));
		free(path);
		return -1;
	}
	free(path);
	return 0;
}
