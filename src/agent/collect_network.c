/*
 * collect_network.c — network interfaces (/sys/class/net and
 * getifaddrs(3)), default routes (/proc/net/route, ipv6_route), name
 * servers (resolv.conf) and an optional Internet probe: non-blocking TCP
 * connections to literal addresses, at once, bounded by a timeout. The
 * probe is configured with "internet-probe" (off, or HOST:PORT...) and
 * "internet-probe-timeout" (milliseconds) in the agent configuration.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "agent/collect.h"
#include "agent/sysparse.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

#define NETWORK_MAX_IFACES 1024
#define NETWORK_MAX_TARGETS 16
#define NETWORK_PROBE_TIMEOUT 1000 /* milliseconds */
#define NETWORK_MAX_TIMEOUT 30000

/* ---- routes ---- */

/* 1 to 8 hex digits, exactly the field */
static bool
collect_network_hex32(const char *s, size_t len, uint32_t *out)
{
	uint32_t v = 0;
	size_t i;
	int h;

	if (len == 0 || len > 8)
		return false;
	for (i = 0; i < len; i++) {
		if ((h = text_hexval(s[i])) < 0)
			return false;
		v = v << 4 | (uint32_t)h;
	}
	*out = v;
	return true;
}

/* 32 hex digits: the 16 bytes of an IPv6 address in order */
static bool
collect_network_hex128(const char *s, size_t len, unsigned char out[16])
{
	size_t i;
	int hi, lo;

	if (len != 32)
		return false;
	for (i = 0; i < 16; i++) {
		hi = text_hexval(s[2 * i]);
		lo = text_hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

static size_t
collect_network_fields(const char *l, size_t ll, const char **f, size_t *fl,
                       size_t max)
{
	const char *q = l, *le = l + ll;
	size_t n = 0;

	while (n < max) {
		while (q < le && (*q == ' ' || *q == '\t'))
			q++;
		if (q == le)
			break;
		f[n] = q;
		while (q < le && *q != ' ' && *q != '\t')
			q++;
		fl[n] = (size_t)(q - f[n]);
		n++;
	}
	return n;
}

static void
collect_network_add_route(json_t *routes, const char *iface, size_t ilen,
                          const char *gw)
{
	json_t *r = json_object();
	char *name = text_ndup(iface, ilen < IFNAMSIZ ? ilen : IFNAMSIZ);

	json_set_str(r, "interface", name);
	json_set_str(r, "gateway", gw);
	json_array_append_new(routes, r);
	free(name);
}

int
collect_network_parse_routes(const char *buf, size_t len, bool v6,
                             json_t *routes)
{
	const char *p = buf, *end = buf + len, *l, *f[12];
	size_t ll, fl[12], nf;
	int line = 0;
	char gw[INET6_ADDRSTRLEN];

	while (text_next_line(&p, end, &l, &ll)) {
		line++;
		if (!v6 && line == 1)
			continue; /* header */
		nf = collect_network_fields(l, ll, f, fl, 12);
		if (nf == 0)
			continue;
		if (!v6) {
			/* Iface Destination Gateway Flags RefCnt Use Metric
			 * Mask ... */
			uint32_t dst, g, flags, mask;

			if (nf < 8 || fl[1] != 8 || fl[2] != 8 || fl[7] != 8 ||
			    !collect_network_hex32(f[1], fl[1], &dst) ||
			    !collect_network_hex32(f[2], fl[2], &g) ||
			    !collect_network_hex32(f[3], fl[3], &flags) ||
			    !collect_network_hex32(f[7], fl[7], &mask))
				return line;
			if (dst != 0 || mask != 0 || !(flags & 0x1))
				continue;
			gw[0] = '\0';
			/* the kernel prints the address as it lies in memory */
			if (g != 0)
				inet_ntop(AF_INET, &g, gw, sizeof(gw));
			collect_network_add_route(routes, f[0], fl[0], gw);
		} else {
			/* dst plen src plen nexthop metric ref use flags
			 * iface */
			unsigned char dst[16], nh[16], zero[16] = {0};
			uint32_t flags;

			if (nf < 10 ||
			    !collect_network_hex128(f[0], fl[0], dst) ||
			    !collect_network_hex128(f[4], fl[4], nh) ||
			    !collect_network_hex32(f[8], fl[8], &flags))
				return line;
			/* up, not a reject route, not on loopback */
			if (memcmp(dst, zero, 16) != 0 || fl[1] != 2 ||
			    memcmp(f[1], "00", 2) != 0 || !(flags & 0x1) ||
			    (flags & 0x200) ||
			    (fl[9] == 2 && memcmp(f[9], "lo", 2) == 0))
				continue;
			gw[0] = '\0';
			if (memcmp(nh, zero, 16) != 0)
				inet_ntop(AF_INET6, nh, gw, sizeof(gw));
			collect_network_add_route(routes, f[9], fl[9], gw);
		}
	}
	return 0;
}

/* ---- name servers ---- */

int
collect_network_parse_resolv(const char *buf, size_t len, json_t *servers)
{
	const char *p = buf, *end = buf + len, *l, *f[3];
	size_t ll, fl[3], nf, i;
	int count = 0;
	json_t *v;

	while (text_next_line(&p, end, &l, &ll)) {
		char *addr, *pct;
		unsigned char tmp[16];
		bool dup = false;

		nf = collect_network_fields(l, ll, f, fl, 3);
		if (nf < 2 || fl[0] != 10 ||
		    memcmp(f[0], "nameserver", 10) != 0 ||
		    fl[1] >= INET6_ADDRSTRLEN + IFNAMSIZ)
			continue;
		addr = text_ndup(f[1], fl[1]);
		pct = strchr(addr, '%');
		if (pct != NULL)
			*pct = '\0';
		if (inet_pton(AF_INET, addr, tmp) == 1 ||
		    inet_pton(AF_INET6, addr, tmp) == 1) {
			count++;
			json_array_foreach(servers, i,
			                   v) if (strcmp(json_string_value(v),
			                                 addr) == 0) dup = true;
			if (!dup && json_array_size(servers) < 64)
				json_array_append_new(servers,
				                      json_string(addr));
		}
		free(addr);
	}
	return count;
}

static void
collect_network_dns(struct collect_ctx *ctx, json_t *sec)
{
	static const char *const stub = "/run/systemd/resolve/resolv.conf";
	json_t *servers = json_array();
	struct stat st;
	char *buf;
	size_t len;
	int r;

	r = file_read(ctx->rootfd, "/etc/resolv.conf", FILE_MAX_SMALL, &buf,
	              &len);
	if (r == -ENOENT && !ctx->live &&
	    file_stat(ctx->rootfd, "/etc/resolv.conf", &st, false) == 0) {
		/* a link into /run, empty on a disk that is not running */
		collect_not_live(ctx, "network.dns_servers");
		json_decref(servers);
		return;
	}
	if (r < 0 && r != -ENOENT) {
		collect_file_error(ctx, "network.dns_servers",
		                   "/etc/resolv.conf", r);
		json_decref(servers);
		return;
	}
	if (r == 0) {
		collect_network_parse_resolv(buf, len, servers);
		free(buf);
	}
	/* systemd-resolved's stub: the real servers are in its own file */
	if (json_array_size(servers) == 1 &&
	    strcmp(json_string_value(json_array_get(servers, 0)),
	           "127.0.0.53") == 0 &&
	    file_read(ctx->rootfd, stub, FILE_MAX_SMALL, &buf, &len) == 0) {
		json_array_clear(servers);
		collect_network_parse_resolv(buf, len, servers);
		free(buf);
	}
	json_object_set_new(sec, "dns_servers", servers);
}

/* ---- Internet probe ---- */

struct network_target {
	struct sockaddr_storage sa;
	socklen_t salen;
	int fd;
};

static bool
collect_network_target(const char *s, struct network_target *t)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon;
	long port;
	size_t hl;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	if (s[0] == '[') {
		const char *rb = strchr(s, ']');

		if (rb == NULL || rb[1] != ':')
			return false;
		hl = (size_t)(rb - s - 1);
		colon = rb + 1;
		s++;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return false;
		hl = (size_t)(colon - s);
	}
	if (hl == 0 || hl >= sizeof(host) || !text_to_long(colon + 1, &port) ||
	    port < 1 || port > 65535)
		return false;
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (inet_pton(AF_INET, host,
	              &((struct sockaddr_in *)&t->sa)->sin_addr) == 1) {
		struct sockaddr_in *in = (struct sockaddr_in *)&t->sa;

		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		t->salen = sizeof(*in);
		return true;
	}
	if (inet_pton(AF_INET6, host,
	              &((struct sockaddr_in6 *)&t->sa)->sin6_addr) == 1) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&t->sa;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		t->salen = sizeof(*in6);
		return true;
	}
	return false;
}

static long long
collect_network_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Connects to every target at once; true when one connects in time. */
static bool
collect_network_connect(struct network_target *t, size_t n, long timeout)
{
	struct pollfd pfd[NETWORK_MAX_TARGETS];
	long long deadline = collect_network_ms() + timeout, left;
	size_t i, open = 0;
	bool ok = false;
	int err;
	socklen_t el;

	for (i = 0; i < n; i++) {
		pfd[i].fd = -1;
		pfd[i].events = POLLOUT;
		t[i].fd = socket(t[i].sa.ss_family,
		                 SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (t[i].fd < 0)
			continue;
		if (connect(t[i].fd, (struct sockaddr *)&t[i].sa, t[i].salen) ==
		    0) {
			ok = true;
		} else if (errno == EINPROGRESS) {
			pfd[i].fd = t[i].fd;
			open++;
		}
	}
	while (!ok && open > 0 &&
	       (left = deadline - collect_network_ms()) > 0) {
		if (poll(pfd, n, (int)left) <= 0)
			continue; /* EINTR or timeout: loop checks time */
		for (i = 0; i < n; i++) {
			if (pfd[i].fd < 0 || pfd[i].revents == 0)
				continue;
			el = sizeof(err);
			if (getsockopt(pfd[i].fd, SOL_SOCKET, SO_ERROR, &err,
			               &el) == 0 &&
			    err == 0)
				ok = true;
			pfd[i].fd = -1;
			open--;
		}
	}
	for (i = 0; i < n; i++)
		if (t[i].fd >= 0)
			close(t[i].fd);
	return ok;
}

/*
 * Reads the probe's configuration into t[0..*n) and *timeout; *off when
 * "internet-probe off". false with err ("file:line:col: key ...") when a
 * value is invalid.
 */
static bool
collect_network_probe_plan(const struct conf *conf,
    struct network_target *t, size_t *n, long *timeout, bool *off,
    char *tried, size_t triedlen, char *err, size_t errlen)
{
	static const char *const defaults[] = {"1.1.1.1:443", "8.8.8.8:53"};
	const struct conf_node *probe = NULL, *to = NULL;
	const char *targets[NETWORK_MAX_TARGETS];
	size_t i, off_len = 0;

	*n = 0;
	*off = false;
	*timeout = NETWORK_PROBE_TIMEOUT;
	if (triedlen > 0)
		tried[0] = '\0';
	if (conf != NULL) {
		probe = conf_find(conf->first, "internet-probe");
		to = conf_find(conf->first, "internet-probe-timeout");
	}
	if (to != NULL &&
	    (to->nargs != 1 || !text_to_long(to->args[0], timeout) ||
	     *timeout < 1 || *timeout > NETWORK_MAX_TIMEOUT)) {
		snprintf(err, errlen, "%s:%d:%d: internet-probe-timeout",
		    to->file, to->line, to->col);
		return false;
	}
	if (probe != NULL && probe->nargs == 1 &&
	    strcmp(probe->args[0], "off") == 0) {
		*off = true;
		return true;
	}
	if (probe != NULL) {
		if (probe->nargs == 0 || probe->nargs > NETWORK_MAX_TARGETS) {
			snprintf(err, errlen, "%s:%d:%d: internet-probe",
			    probe->file, probe->line, probe->col);
			return false;
		}
		for (i = 0; i < probe->nargs; i++)
			targets[(*n)++] = probe->args[i];
	} else {
		for (i = 0; i < 2; i++)
			targets[(*n)++] = defaults[i];
	}
	for (i = 0; i < *n; i++) {
		if (!collect_network_target(targets[i], &t[i])) {
			snprintf(err, errlen, "%s:%d:%d: internet-probe %s",
			    probe->file, probe->line, probe->col, targets[i]);
			return false;
		}
		if (off_len < triedlen)
			off_len += (size_t)snprintf(tried + off_len,
			    triedlen - off_len, "%s%s", i ? " " : "",
			    targets[i]);
	}
	return true;
}

int
collect_network_probe_check(const struct conf *conf, char *err,
    size_t errlen)
{
	struct network_target t[NETWORK_MAX_TARGETS];
	size_t n;
	long timeout;
	bool off;

	return collect_network_probe_plan(conf, t, &n, &timeout, &off, NULL,
	    0, err, errlen) ? 0 : -1;
}

const char *
collect_network_probe(const struct conf *conf, char *tried, size_t triedlen,
                      char *err, size_t errlen)
{
	struct network_target t[NETWORK_MAX_TARGETS];
	size_t n;
	long timeout;
	bool off;

	if (!collect_network_probe_plan(conf, t, &n, &timeout, &off, tried,
	    triedlen, err, errlen))
		return NULL;
	if (off)
		return "disabled";
	return collect_network_connect(t, n, timeout) ? "reachable"
	                                              : "unreachable";
}

/* ---- interfaces ---- */

static char *
collect_network_sysfs(struct collect_ctx *ctx, const char *iface,
                      const char *attr)
{
	char path[128], *buf;
	size_t len;

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", iface, attr);
	if (file_read(ctx->rootfd, path, 4096, &buf, &len) < 0)
		return NULL;
	text_trim(buf);
	return buf;
}

static bool
collect_network_sysfs_has(struct collect_ctx *ctx, const char *iface,
                          const char *attr)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/class/net/%s/%s", iface, attr);
	return file_exists(ctx->rootfd, path);
}

static const char *
collect_network_kind(struct collect_ctx *ctx, const char *iface, long type,
                     long flags)
{
	if (type == 772 || (flags & 0x8))
		return "loopback";
	if (collect_network_sysfs_has(ctx, iface, "wireless") ||
	    collect_network_sysfs_has(ctx, iface, "phy80211") || type == 801)
		return "wifi";
	switch (type) {
	case 1:
		return collect_network_sysfs_has(ctx, iface, "device")
		           ? "ethernet"
		           : "virtual";
	case 65534:
	case 768:
	case 769:
	case 776:
	case 778:
	case 823:
		return "tunnel";
	default:
		return "other";
	}
}

/* true for addresses that reach only the link (or the host itself) */
static bool
collect_network_local_only(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		uint32_t a =
		    ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr);

		return (a >> 24) == 127 || (a >> 16) == 0xa9fe;
	}
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a =
		    &((const struct sockaddr_in6 *)sa)->sin6_addr;

		return IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_LOOPBACK(a);
	}
	return true;
}

static int
collect_network_prefix(const struct sockaddr *mask)
{
	const unsigned char *b;
	size_t n, i;
	int bits = 0;

	if (mask == NULL)
		return -1;
	if (mask->sa_family == AF_INET) {
		b = (const unsigned char *)&((const struct sockaddr_in *)mask)
		        ->sin_addr;
		n = 4;
	} else if (mask->sa_family == AF_INET6) {
		b = (const unsigned char *)&((const struct sockaddr_in6 *)mask)
		        ->sin6_addr;
		n = 16;
	} else {
		return -1;
	}
	for (i = 0; i < n; i++)
		bits += __builtin_popcount(b[i]);
	return bits;
}

/* The link has a carrier ("carrier" reads 1; unreadable when down). */
static bool
collect_network_carrier(struct collect_ctx *ctx, const char *iface)
{
	char *c = collect_network_sysfs(ctx, iface, "carrier");
	bool on = c != NULL && strcmp(c, "1") == 0;

	free(c);
	return on;
}

static void
collect_network_interfaces(struct collect_ctx *ctx, json_t *sec, bool *lan)
{
	struct ifaddrs *ifa = NULL, *a;
	json_t *list = json_array(), *item, *addrs;
	char **names, *type, *oper, *flags, *mac, addr[INET6_ADDRSTRLEN];
	char *cidr;
	size_t n, i;
	long t, f;
	bool up;
	int r;

	r = file_list(ctx->rootfd, "/sys/class/net", NETWORK_MAX_IFACES, &names,
	              &n);
	if (r < 0) {
		collect_file_error(ctx, "network.interfaces", "/sys/class/net",
		                   r);
		collect_file_error(ctx, "network.lan_connected",
		                   "/sys/class/net", r);
		json_decref(list);
		return;
	}
	if (getifaddrs(&ifa) < 0)
		ifa = NULL;
	*lan = false;
	for (i = 0; i < n; i++) {
		type = collect_network_sysfs(ctx, names[i], "type");
		oper = collect_network_sysfs(ctx, names[i], "operstate");
		flags = collect_network_sysfs(ctx, names[i], "flags");
		mac = collect_network_sysfs(ctx, names[i], "address");
		if (type == NULL || !text_to_long(type, &t))
			t = -1;
		if (flags == NULL || sscanf(flags, "%lx", &f) != 1)
			f = 0;
		/* When the driver reports "unknown" (loopback, tun, ppp,
		 * wireguard): IFF_UP and a carrier. sysfs "flags" holds
		 * dev->flags, which never carries IFF_RUNNING (0x40). */
		up = (oper != NULL && strcmp(oper, "up") == 0) ||
		     ((oper == NULL || strcmp(oper, "unknown") == 0) &&
		      (f & 0x1) && collect_network_carrier(ctx, names[i]));
		item = json_object();
		json_set_str(item, "name", names[i]);
		json_set_str(item, "kind",
		             collect_network_kind(ctx, names[i], t, f));
		json_set_bool(item, "up", up);
		json_set_str(
		    item, "mac",
		    mac == NULL || strcmp(mac, "00:00:00:00:00:00") == 0 ? ""
		                                                         : mac);
		addrs = json_array();
		for (a = ifa; a != NULL; a = a->ifa_next) {
			const void *src;

			if (a->ifa_addr == NULL ||
			    strcmp(a->ifa_name, names[i]) != 0)
				continue;
			if (a->ifa_addr->sa_family == AF_INET)
				src = &((struct sockaddr_in *)a->ifa_addr)
				           ->sin_addr;
			else if (a->ifa_addr->sa_family == AF_INET6)
				src = &((struct sockaddr_in6 *)a->ifa_addr)
				           ->sin6_addr;
			else
				continue;
			if (inet_ntop(a->ifa_addr->sa_family, src, addr,
			              sizeof(addr)) == NULL)
				continue;
			cidr =
			    text_printf("%s/%d", addr,
			                collect_network_prefix(a->ifa_netmask));
			json_array_append_new(addrs, json_string(cidr));
			free(cidr);
			if (up && !(f & 0x8) && t != 772 &&
			    !collect_network_local_only(a->ifa_addr))
				*lan = true;
		}
		json_object_set_new(item, "addresses", addrs);
		json_array_append_new(list, item);
		free(type);
		free(oper);
		free(flags);
		free(mac);
	}
	if (ifa != NULL)
		freeifaddrs(ifa);
	file_list_free(names, n);
	json_object_set_new(sec, "interfaces", list);
	json_set_bool(sec, "lan_connected", *lan);
}

static void
collect_network_routes(struct collect_ctx *ctx, json_t *sec)
{
	static const char *const files[] = {"/proc/net/route",
	                                    "/proc/net/ipv6_route"};
	json_t *routes = json_array();
	char *buf;
	size_t len;
	int i, r;

	for (i = 0; i < 2; i++) {
		r = file_read(ctx->rootfd, files[i], FILE_MAX_MEDIUM, &buf,
		              &len);
		if (r == -ENOENT && i == 1)
			continue; /* IPv6 disabled */
		if (r < 0) {
			collect_file_error(ctx, "network.default_routes",
			                   files[i], r);
			continue;
		}
		r = collect_network_parse_routes(buf, len, i == 1, routes);
		free(buf);
		if (r != 0)
			collect_parse_error(
			    ctx, "network.default_routes", files[i], r,
			    "dòng không đúng định dạng", "malformed line");
	}
	if (json_object_get(ctx->unavailable, "network.default_routes") == NULL)
		json_object_set_new(sec, "default_routes", routes);
	else
		json_decref(routes);
}

/*
 * The probe waits up to its timeout when a firewall drops the packets, so
 * it runs in a thread from the start of the audit (collect_all) while the
 * other collectors read files, and the network collector, last in the
 * table, takes its result.
 */
struct network_probe_job {
	pthread_t thread;
	const struct conf *conf;
	const char *res;
	char tried[1024], err[256];
};

static void *
collect_network_probe_run(void *arg)
{
	struct network_probe_job *j = arg;

	j->res = collect_network_probe(j->conf, j->tried, sizeof(j->tried),
	    j->err, sizeof(j->err));
	return NULL;
}

void
collect_network_probe_start(struct collect_ctx *ctx)
{
	struct network_probe_job *j;

	if (!ctx->live || ctx->probe != NULL)
		return;
	if ((j = calloc(1, sizeof(*j))) == NULL)
		return;
	j->conf = ctx->conf;
	if (pthread_create(&j->thread, NULL, collect_network_probe_run, j) !=
	    0) {
		free(j);
		return;
	}
	ctx->probe = j;
}

/* The probe's result: from the thread if one was started, else now. */
static const char *
collect_network_probe_result(struct collect_ctx *ctx, char *tried,
    size_t triedlen, char *err, size_t errlen)
{
	struct network_probe_job *j = ctx->probe;
	const char *res;

	if (j == NULL)
		return collect_network_probe(ctx->conf, tried, triedlen, err,
		    errlen);
	pthread_join(j->thread, NULL);
	snprintf(tried, triedlen, "%s", j->tried);
	snprintf(err, errlen, "%s", j->err);
	res = j->res;
	free(j);
	ctx->probe = NULL;
	return res;
}

void
collect_network_probe_wait(struct collect_ctx *ctx)
{
	char tried[8], err[8];

	if (ctx->probe != NULL)
		(void)collect_network_probe_result(ctx, tried, sizeof(tried),
		    err, sizeof(err));
}

void
collect_network(struct collect_ctx *ctx)
{
	static const char *const live[] = {"network.interfaces",
	                                   "network.default_routes",
	                                   "network.lan_connected",
	                                   "network.internet",
	                                   "network.internet_probe",
	                                   "network.connected",
	                                   NULL};
	json_t *sec = collect_section(ctx, "network");
	char tried[1024], err[256];
	const char *res;
	bool lan = false;
	int i;

	collect_network_dns(ctx, sec);
	if (!ctx->live) {
		for (i = 0; live[i] != NULL; i++)
			collect_not_live(ctx, live[i]);
		return;
	}
	collect_network_interfaces(ctx, sec, &lan);
	collect_network_routes(ctx, sec);
	res = collect_network_probe_result(ctx, tried, sizeof(tried), err,
	                                   sizeof(err));
	if (res == NULL) {
		char *vi = text_printf("cấu hình thử kết nối Internet không "
		                       "hợp lệ: %s",
		                       err);
		char *en = text_printf("invalid Internet probe configuration: "
		                       "%s",
		                       err);

		collect_unavailable(ctx, "network.internet", "error", vi, en);
		collect_unavailable(ctx, "network.internet_probe", "error", vi,
		                    en);
		collect_unavailable(ctx, "network.connected", "error", vi, en);
		free(vi);
		free(en);
		return;
	}
	json_set_str(sec, "internet", res);
	json_set_str(sec, "internet_probe", tried);
	if (strcmp(res, "reachable") == 0)
		json_set_bool(sec, "connected", true);
	else if (json_object_get(ctx->unavailable, "network.lan_connected") !=
	         NULL)
		collect_unavailable(ctx, "network.connected", "error",
		                    "không xác định được kết nối mạng nội bộ",
		                    "the LAN connection is unknown");
	else
		json_set_bool(sec, "connected", lan);
}
