/*
 * collect_sockets.c — listening TCP and bound UDP sockets of the running
 * system, from /proc/net/{tcp,tcp6,udp,udp6}, with the process that owns
 * each one found through the "socket:[inode]" links of /proc/PID/fd.
 * Without root the descriptors of other users' processes cannot be read:
 * their sockets keep process "" and pid -1, as facts.schema says.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/collect.h"
#include "agent/sysparse.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

#define SOCKETS_MAX 4096 /* sockets kept from one table */
#define SOCKETS_MAX_PIDS 65536
#define SOCKETS_MAX_FDS 65536     /* descriptors read from one process */
#define SOCKETS_MAX_LINKS 1000000 /* descriptors read in all */

static int
collect_sockets_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Reads exactly n hex digits into *out. */
static bool
collect_sockets_hexn(const char *s, size_t n, uint32_t *out)
{
	uint32_t v = 0;
	size_t i;
	int h;

	for (i = 0; i < n; i++) {
		if ((h = collect_sockets_hex(s[i])) < 0)
			return false;
		v = v << 4 | (uint32_t)h;
	}
	*out = v;
	return true;
}

/* "0100007F:0035" or 32 hex digits ":" 4: the kernel prints each 32-bit
 * word of the address as a number in host byte order. */
static bool
collect_sockets_addr(const char *s, size_t len, bool v6, char *out,
                     size_t outlen, int *port)
{
	size_t alen = v6 ? 32 : 8, i;
	uint32_t w, p;
	unsigned char a[16];

	if (len != alen + 5 || s[alen] != ':' ||
	    !collect_sockets_hexn(s + alen + 1, 4, &p))
		return false;
	for (i = 0; i < alen / 8; i++) {
		if (!collect_sockets_hexn(s + i * 8, 8, &w))
			return false;
		memcpy(a + i * 4, &w, 4);
	}
	if (inet_ntop(v6 ? AF_INET6 : AF_INET, a, out, (socklen_t)outlen) ==
	    NULL)
		return false;
	*port = (int)p;
	return true;
}

int
collect_sockets_parse(const char *buf, size_t len, bool v6, bool tcp,
                      size_t max, struct procnet_sock **socks, size_t *n)
{
	const char *p = buf, *end = buf + len, *l;
	size_t ll, cap = 0;
	int line = 0;

	*socks = NULL;
	*n = 0;
	while (text_next_line(&p, end, &l, &ll)) {
		const char *f[10], *q = l, *le = l + ll;
		size_t flen[10];
		struct procnet_sock s;
		uint32_t st;
		int nf = 0;
		char *e, num[24];

		line++;
		if (line == 1)
			continue; /* header */
		while (nf < 10) {
			while (q < le && (*q == ' ' || *q == '\t'))
				q++;
			if (q == le)
				break;
			f[nf] = q;
			while (q < le && *q != ' ' && *q != '\t')
				q++;
			flen[nf] = (size_t)(q - f[nf]);
			nf++;
		}
		if (nf == 0)
			continue;
		/* sl local rem st queues timer retr uid timeout inode */
		if (nf < 10 || flen[3] != 2 ||
		    !collect_sockets_hexn(f[3], 2, &st) ||
		    !collect_sockets_addr(f[1], flen[1], v6, s.address,
		                          sizeof(s.address), &s.port) ||
		    flen[9] >= sizeof(num))
			return line;
		memcpy(num, f[9], flen[9]);
		num[flen[9]] = '\0';
		errno = 0;
		s.inode = strtoull(num, &e, 10);
		if (errno != 0 || *e != '\0' || e == num)
			return line;
		if (tcp ? st != 0x0A : (st != 0x07 || s.port == 0))
			continue;
		if (*n >= max)
			continue;
		if (*n == cap) {
			struct procnet_sock *ns;

			cap = cap ? cap * 2 : 16;
			ns = reallocarray(*socks, cap, sizeof(**socks));
			if (ns == NULL)
				abort();
			*socks = ns;
		}
		(*socks)[(*n)++] = s;
	}
	return 0;
}

struct sockets_owner {
	unsigned long long inode;
	int pid;
	char comm[32];
};

/* Finds the owner of every inode in items by walking /proc/PID/fd. */
static void
collect_sockets_owners(struct collect_ctx *ctx, struct sockets_owner *own,
                       size_t nown)
{
	char **pids, **fds, path[64], link[64], *comm;
	size_t npids, nfds, i, j, k, links = 0;
	unsigned long long ino;
	size_t clen;
	long pid;

	if (nown == 0 || file_list(ctx->rootfd, "/proc", SOCKETS_MAX_PIDS,
	                           &pids, &npids) < 0)
		return;
	for (i = 0; i < npids && links < SOCKETS_MAX_LINKS; i++) {
		if (!text_to_long(pids[i], &pid) || pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/fd", pid);
		/* other users' processes: EACCES without root, skipped */
		if (file_list(ctx->rootfd, path, SOCKETS_MAX_FDS, &fds, &nfds) <
		    0)
			continue;
		for (j = 0; j < nfds && links < SOCKETS_MAX_LINKS;
		     j++, links++) {
			snprintf(path, sizeof(path), "/proc/%ld/fd/%.16s", pid,
			         fds[j]);
			if (file_readlink(ctx->rootfd, path, link,
			                  sizeof(link)) < 0 ||
			    sscanf(link, "socket:[%llu]", &ino) != 1)
				continue;
			for (k = 0; k < nown; k++) {
				if (own[k].inode != ino || own[k].pid != -1)
					continue;
				own[k].pid = (int)pid;
				snprintf(path, sizeof(path), "/proc/%ld/comm",
				         pid);
				if (file_read(ctx->rootfd, path, 256, &comm,
				              &clen) == 0) {
					text_trim(comm);
					snprintf(own[k].comm,
					         sizeof(own[k].comm), "%s",
					         comm);
					free(comm);
				}
			}
		}
		file_list_free(fds, nfds);
	}
	file_list_free(pids, npids);
}

static bool
collect_sockets_public(const char *addr, bool v6)
{
	if (!v6)
		return strncmp(addr, "127.", 4) != 0;
	return strcmp(addr, "::1") != 0 &&
	       strncmp(addr, "::ffff:127.", 11) != 0;
}

void
collect_sockets(struct collect_ctx *ctx)
{
	static const struct {
		const char *proto, *file;
		bool v6, tcp;
	} tables[] = {
	    {"tcp", "/proc/net/tcp", false, true},
	    {"tcp6", "/proc/net/tcp6", true, true},
	    {"udp", "/proc/net/udp", false, false},
	    {"udp6", "/proc/net/udp6", true, false},
	};
	struct procnet_sock *socks[4] = {0};
	struct sockets_owner *own = NULL;
	size_t ns[4] = {0}, nown = 0, t, i, k, len;
	json_t *sec, *list, *item;
	char *buf;
	int r;

	if (!ctx->live) {
		collect_not_live(ctx, "sockets");
		return;
	}
	for (t = 0; t < 4; t++) {
		r = file_read(ctx->rootfd, tables[t].file, FILE_MAX_MEDIUM,
		              &buf, &len);
		if (r == -ENOENT && tables[t].v6)
			continue; /* IPv6 disabled */
		if (r < 0) {
			collect_file_error(ctx, "sockets.listening",
			                   tables[t].file, r);
			continue;
		}
		r = collect_sockets_parse(buf, len, tables[t].v6, tables[t].tcp,
		                          SOCKETS_MAX, &socks[t], &ns[t]);
		free(buf);
		if (r != 0)
			collect_parse_error(
			    ctx, "sockets.listening", tables[t].file, r,
			    "dòng không đúng định dạng", "malformed line");
		nown += ns[t];
	}
	if (json_object_get(ctx->unavailable, "sockets.listening") == NULL) {
		own = calloc(nown ? nown : 1, sizeof(*own));
		if (own == NULL)
			abort();
		for (t = 0, k = 0; t < 4; t++)
			for (i = 0; i < ns[t]; i++, k++) {
				own[k].inode = socks[t][i].inode;
				own[k].pid = -1;
			}
		collect_sockets_owners(ctx, own, nown);
		sec = collect_section(ctx, "sockets");
		list = json_array();
		for (t = 0, k = 0; t < 4; t++)
			for (i = 0; i < ns[t]; i++, k++) {
				item = json_object();
				json_set_str(item, "proto", tables[t].proto);
				json_set_str(item, "address",
				             socks[t][i].address);
				json_set_int(item, "port", socks[t][i].port);
				json_set_str(item, "process", own[k].comm);
				json_set_int(item, "pid", own[k].pid);
				json_set_bool(
				    item, "public",
				    collect_sockets_public(socks[t][i].address,
				                           tables[t].v6));
				json_array_append_new(list, item);
			}
		json_object_set_new(sec, "listening", list);
		free(own);
	}
	for (t = 0; t < 4; t++)
		free(socks[t]);
}
