/*
 * serverconf.h — canhgacd.conf, the server's configuration in the data
 * directory (written by canhgac init, read by canhgacd and canhgac), in the
 * grammar of conf.h. Relative paths are relative to the data directory.
 * canhgacd.conf(5) documents every key.
 *
 *	listen 127.0.0.1:8443		# repeatable; [::1]:8443 for IPv6
 *	url https://10.0.0.5:8443	# the address agents are told to use
 *	store store.db
 *	ca-cert ca/ca.pem
 *	ca-key ca/ca.key
 *	tls-cert tls/server.pem
 *	tls-key tls/server.key
 *	threads 16
 *	max-connections 4096
 *	timeout 30s
 *	agent-cert-days 730
 *	batch-max-bytes 8M		# as sent (compressed)
 *	batch-max-inflated 32M
 *	batch-max-reports 64
 *	rate-limit 20 60		# burst, batches per hour refilled
 *	metrics-allow 127.0.0.1 ::1
 *	store-max-size 0		# bytes, 0: no bound but the disk
 *	log-level info			# warn info debug
 *	site-checks on			# the portal monitor's job
 *	site-concurrency 16		# page fetches at once
 *	site-scan-every 30s		# how often due sites are looked for
 *	site-resolve HOST:PORT:ADDR...	# tests/airgap: fixed addresses
 *	site-cafile /path/ca.pem	# tests/airgap: instead of the system's
 *	site-dns-server 127.0.0.1:5353	# tests/airgap: instead of the system's
 */
#ifndef CG_SERVERCONF_H
#define CG_SERVERCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SERVERCONF_FILE "canhgacd.conf"
#define SERVERCONF_MAX_LISTEN 8
#define SERVERCONF_MAX_ALLOW 16
#define SERVERCONF_MAX_RESOLVE 64

struct serverconf {
	char *data_dir;			/* absolute */
	char *listen[SERVERCONF_MAX_LISTEN];
	size_t nlisten;
	char *url;			/* may be NULL */
	char *store;			/* absolute paths from here on */
	char *ca_cert, *ca_key, *tls_cert, *tls_key;
	int threads;
	int max_connections;
	int timeout_s;
	int agent_cert_days;
	size_t batch_max_bytes, batch_max_inflated, batch_max_reports;
	int rate_burst;
	int rate_per_hour;
	char *metrics_allow[SERVERCONF_MAX_ALLOW];
	size_t nmetrics_allow;
	int64_t store_max_size;
	int log_level;			/* 0 warn, 1 info, 2 debug */
	/* the portal monitor (docs/sites.md) */
	bool site_checks;
	int site_concurrency;
	int site_scan_s;
	char *site_resolve[SERVERCONF_MAX_RESOLVE];	/* curl HOST:PORT:ADDR */
	size_t nsite_resolve;
	char *site_cafile;		/* NULL: the system's CA bundle */
	char *site_dns_server;		/* NULL: the system's resolver */
};

/* Loads DATA_DIR/canhgacd.conf (defaults for keys not given). 0, or -1
 * with err "file:line:col: <vi> — <en>". */
int serverconf_load(const char *data_dir, struct serverconf *sc, char *err,
    size_t errlen);
void serverconf_free(struct serverconf *sc);

/* Writes a commented canhgacd.conf for canhgac init (mode 0640). */
int serverconf_write_default(const char *data_dir, const char *const *listen,
    size_t nlisten, const char *url, char *err, size_t errlen);

#endif
