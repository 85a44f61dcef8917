/*
 * sysparse.h — the buffer parsers of the system collectors (system, os,
 * network, sysctl, sockets, timelog, screenlock, usb), public so that unit
 * tests and libFuzzer harnesses reach them without a file system. Each is
 * defined in the collector file its prefix names.
 */
#ifndef CG_SYSPARSE_H
#define CG_SYSPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "lib/conf.h"

/* collect_system.c: os-release(5). */
struct os_release {
	char *id, *id_like, *name, *pretty_name, *version_id, *codename;
};
/* Parses buf into rel (zeroed by the caller). Returns 0, or the first
 * malformed line (> 0), or -1 when buf is not UTF-8 text. Values of the
 * lines before and after a malformed one are kept. */
int collect_system_parse_os_release(const char *buf, size_t len,
                                    struct os_release *rel);
void collect_system_os_release_free(struct os_release *rel);
/* Compares kernel releases as versions: "6.1.0-27-amd64" is newer than
 * "6.1.0-9-amd64". <0, 0, >0 like strcmp. */
int collect_system_kernel_cmp(const char *a, const char *b);

/* collect_network.c */
/* Appends {interface, gateway} objects for the default routes of a
 * /proc/net/route (v6 false) or /proc/net/ipv6_route (v6 true) text.
 * Returns 0 or the first malformed line. */
int collect_network_parse_routes(const char *buf, size_t len, bool v6,
                                 json_t *routes);
/* Appends the nameserver addresses of a resolv.conf text to servers
 * (strings, no duplicates). Returns how many lines named a server. */
int collect_network_parse_resolv(const char *buf, size_t len, json_t *servers);
/* Runs the Internet probe configured in conf (may be NULL: defaults).
 * Returns "reachable", "unreachable" or "disabled", with the targets
 * tried written into tried; NULL on a configuration error (err filled). */
const char *collect_network_probe(const struct conf *conf, char *tried,
                                  size_t triedlen, char *err, size_t errlen);
/* Checks the probe's configuration without probing: 0, or -1 with err
 * "file:line:col: key value". */
int collect_network_probe_check(const struct conf *conf, char *err,
                                size_t errlen);

/* collect_sysctl.c */
enum {
	SYSCTL_RANDOMIZE_VA_SPACE,
	SYSCTL_IP_FORWARD,
	SYSCTL_ACCEPT_REDIRECTS,
	SYSCTL_SEND_REDIRECTS,
	SYSCTL_ACCEPT_SOURCE_ROUTE,
	SYSCTL_RP_FILTER,
	SYSCTL_TCP_SYNCOOKIES,
	SYSCTL_KPTR_RESTRICT,
	SYSCTL_DMESG_RESTRICT,
	SYSCTL_PROTECTED_SYMLINKS,
	SYSCTL_SUID_DUMPABLE,
	SYSCTL_N
};
#define SYSCTL_BAD (-2) /* set to a value that is not an integer */
struct sysctl_values {
	long long v[SYSCTL_N]; /* -1 not set, SYSCTL_BAD malformed */
	int line[SYSCTL_N];    /* line that set it */
};
/* Applies the assignments of one sysctl.d(5) text to vals, in order.
 * Returns 0, or the first malformed line (> 0), -1 when not text. */
int collect_sysctl_parse(const char *buf, size_t len,
                         struct sysctl_values *vals);

/* collect_sockets.c: one socket of /proc/net/{tcp,tcp6,udp,udp6}. */
struct procnet_sock {
	char address[48];
	int port;
	unsigned long long inode;
};
/* Parses a /proc/net text and keeps the listening TCP sockets (state 0A)
 * or the bound, unconnected UDP sockets (state 07, port != 0). *socks is
 * malloc'd (free it even on error). Returns 0 or the first malformed
 * line. At most max sockets are kept. */
int collect_sockets_parse(const char *buf, size_t len, bool v6, bool tcp,
                          size_t max, struct procnet_sock **socks, size_t *n);

/* collect_timelog.c: does an rsyslog or syslog-ng configuration text
 * forward logs to another host? */
bool collect_timelog_rsyslog_remote(const char *buf, size_t len);
bool collect_timelog_syslogng_remote(const char *buf, size_t len);

/* collect_usb.c: adds to *flags what a modprobe.d(5) text says of the USB
 * storage drivers. Returns 0 or the first malformed line. Storage is
 * blocked with USB_INSTALL_STORAGE ("install usb-storage /bin/false":
 * modprobe runs it also when uas pulls usb-storage in as a dependency), or
 * with both blacklists: "blacklist usb-storage" alone only stops loading
 * by alias, and uas (USB 3 drives) still loads it. */
#define USB_BLACKLIST_STORAGE 0x1
#define USB_BLACKLIST_UAS 0x2
#define USB_INSTALL_STORAGE 0x4
int collect_usb_parse_modprobe(const char *buf, size_t len, unsigned *flags);
bool collect_usb_blocked(unsigned flags);

/* collect_screenlock.c: value of the xfconf property path
 * ("/lock/enabled") in a channel XML file, copied into value. Returns 1
 * when found, 0 when not, -1 when malformed. */
int collect_screenlock_xfconf(const char *buf, size_t len, const char *prop,
                              char *value, size_t vlen);

#endif
