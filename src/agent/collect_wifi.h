/*
 * collect_wifi.h — the parsers of the Wi-Fi collector that tests and
 * fuzzers call directly: NetworkManager keyfiles, wpa_supplicant.conf and
 * iwd profiles. A network's key is measured (length, character classes)
 * while it is read and never copied out of the caller's buffer, which the
 * caller wipes. See collect_wifi.c.
 */
#ifndef CG_COLLECT_WIFI_H
#define CG_COLLECT_WIFI_H

#include <stdbool.h>
#include <stddef.h>

#define WIFI_MAX_NETWORKS 1024	/* networks kept from one file */

enum wifi_psk {
	WIFI_PSK_NONE,		/* the security needs no shared key */
	WIFI_PSK_CLEAR,		/* the passphrase is stored: measured */
	WIFI_PSK_DERIVED,	/* only the 256-bit derived key is stored */
	WIFI_PSK_UNSAVED	/* the key is kept elsewhere (keyring) */
};

struct wifi_net {
	char *ssid;		/* UTF-8; other bytes as "0x" and hex */
	const char *security;	/* a facts.schema value (static) */
	bool tkip;
	bool autoconnect;
	enum wifi_psk psk;
	int psk_length;		/* characters; 0 unless WIFI_PSK_CLEAR */
	int psk_classes;	/* lower, upper, digit, other */
	bool psk_digits_only;
};

/* One NetworkManager keyfile. Returns 1 for a Wi-Fi connection (n filled;
 * release with collect_wifi_net_clear), 0 for another kind of connection,
 * -1 when malformed (*line: the line, 0 for the whole file). */
int collect_wifi_parse_nmconnection(const char *buf, size_t len,
    struct wifi_net *n, int *line);

/* The network={...} blocks of a wpa_supplicant configuration. Returns 0
 * with *nets (free with collect_wifi_nets_free) or -1 with *line. */
int collect_wifi_parse_wpa_supplicant(const char *buf, size_t len,
    struct wifi_net **nets, size_t *count, int *line);

/* One iwd profile: name is its file name ("SSID.psk", "=hex.open").
 * Returns 1, 0 (not a profile) or -1 like the NetworkManager parser. */
int collect_wifi_parse_iwd(const char *name, const char *buf, size_t len,
    struct wifi_net *n, int *line);

void collect_wifi_net_clear(struct wifi_net *n);
void collect_wifi_nets_free(struct wifi_net *nets, size_t count);

#endif
