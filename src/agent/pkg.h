/*
 * pkg.h — the parts of the packages collector (collect_packages.c):
 * version comparison (pkg_version.c), dpkg's status file and logs
 * (pkg_dpkg.c), APT's sources, Release files and Packages lists
 * (pkg_apt.c) and the rpm database (pkg_rpm.c). Parsers take buffers so
 * that unit tests and fuzzers (fuzz/fuzz_dpkg_status.c, ...) call them
 * directly; none of them logs or reads outside what it is given.
 */
#ifndef CG_PKG_H
#define CG_PKG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <zlib.h>

/* Why a parser refused its input: line (0 unknown), static texts. */
struct pkg_err {
	int line;
	const char *vi, *en;
};

/* pkg_version.c */

/* dpkg's order of two versions ([epoch:]upstream[-revision], '~' sorts
 * before anything, even the end): <0, 0, >0. */
int pkg_version_cmp(const char *a, const char *b);
/* rpm's rpmvercmp() of two version (or release) strings: -1, 0, 1. */
int pkg_rpmvercmp(const char *a, const char *b);

/* An installed package, and what the APT lists say of it. */
struct pkg_inst {
	char *name, *version, *arch, *state, *vendor;
	char *origin;		/* rpm: computed origin; dpkg: NULL */
	int origin_list;	/* list offering this version, or -1 */
	int other_list;		/* list offering another version, or -1 */
	char *candidate;	/* newest newer version seen, or NULL */
	int cand_list;		/* list of the candidate, or -1 */
	bool cand_security;	/* the candidate comes from a security list */
	/* APT pins a "NotAutomatic: yes" archive (backports, -proposed)
	 * at 100, or 1 without "ButAutomaticUpgrades: yes"; dpkg's
	 * installed version has 100, an ordinary archive 500. */
	bool origin_auto;	/* an ordinary archive offers this version */
	char *late_candidate;	/* newest newer version of a NotAutomatic,
				 * ButAutomaticUpgrades archive, or NULL */
	int late_list;		/* its list, or -1 */
	bool security_newer;	/* a security list offers a newer version */
};

struct pkg_set {
	struct pkg_inst *v;
	size_t n, cap;
	long long last_install;	/* rpm: newest INSTALLTIME, -1 unknown */
};

void pkg_set_init(struct pkg_set *s);
void pkg_set_free(struct pkg_set *s);
/* Adds a package (strings copied); vendor may be NULL. */
struct pkg_inst *pkg_set_add(struct pkg_set *s, const char *name,
    const char *version, const char *arch, const char *state,
    const char *vendor);
/* Sorts by name then arch, for pkg_set_find(). */
void pkg_set_sort(struct pkg_set *s);
/* The first package named name[0..len) and how many share the name
 * (multiarch), or NULL. */
struct pkg_inst *pkg_set_find(struct pkg_set *s, const char *name,
    size_t len, size_t *count);

/* pkg_dpkg.c */

/* Parses dpkg's status file: every package whose state is not
 * "not-installed" or "config-files" is added to set. A stanza without
 * Package, Version or a well-formed Status, a file cut inside a stanza,
 * or bytes that are not text fail with err filled. 0 or -1. */
int pkg_dpkg_parse_status(const char *buf, size_t len, struct pkg_set *set,
    struct pkg_err *err);
/* Time (UTC seconds) of the newest "install" or "upgrade" line of a
 * dpkg.log, or -1 when there is none. */
long long pkg_dpkg_log_last(const char *buf, size_t len);
/* Time of the newest End-Date of an apt history.log entry that installed
 * or upgraded packages, or -1. */
long long pkg_dpkg_history_last(const char *buf, size_t len);

/* pkg_apt.c */

struct apt_source {
	char *uri, *suite;
	char **components;
	size_t ncomponents;
	char *file;		/* "/etc/apt/sources.list:3" */
	bool trusted, allow_insecure;
};

struct apt_sources {
	struct apt_source *v;
	size_t n, cap;
};

void pkg_apt_sources_free(struct apt_sources *s);
/* One-line format (sources.list, *.list); file names the entries. */
int pkg_apt_parse_list(const char *buf, size_t len, const char *file,
    struct apt_sources *out, struct pkg_err *err);
/* deb822 format (*.sources). */
int pkg_apt_parse_deb822(const char *buf, size_t len, const char *file,
    struct apt_sources *out, struct pkg_err *err);
/* The host of a URI, lower case, into buf ("" when it has none). */
void pkg_apt_uri_host(const char *uri, char *buf, size_t size);
/* The distribution's own archive, or a host in mirrors (list of strings,
 * may be NULL). */
bool pkg_apt_official(const char *uri, json_t *mirrors);

/* The fields of a Release or InRelease file that name an archive. */
struct apt_release {
	char origin[64], label[64], suite[64], codename[64];
	bool not_automatic;	/* NotAutomatic: yes */
	bool but_automatic;	/* ButAutomaticUpgrades: yes */
};
/* Returns 0, or -1 when no field was found (not a Release file). */
int pkg_apt_parse_release(const char *buf, size_t len,
    struct apt_release *r);

/* What a list file name says: "deb.debian.org_debian_dists_bookworm_
 * main_binary-amd64_Packages.lz4" gives site "deb.debian.org/debian",
 * dist "bookworm", component "main". False when it is not a Packages
 * list. */
struct apt_listname {
	char site[256], dist[128], component[128];
	char release_stem[512];	/* "..._dists_bookworm_" ("" flat) */
	enum { APT_PLAIN, APT_GZ, APT_LZ4, APT_OTHER } compression;
};
bool pkg_apt_listname(const char *fname, struct apt_listname *ln);

/* Streaming reader of a Packages list: fed any number of byte chunks,
 * calls fn for every complete stanza with Package and Version. */
typedef void apt_stanza_fn(void *arg, const char *name, const char *version,
    const char *arch);

#define APT_LINE_MAX 1024

struct apt_scan {
	apt_stanza_fn *fn;
	void *arg;
	char line[APT_LINE_MAX];
	size_t linelen;
	bool line_long;		/* current line longer than line[] */
	char name[128], version[128], arch[32];
	bool in_stanza, stanza_bad;
	size_t stanzas, bad;	/* complete and malformed stanzas */
	bool binary;		/* NUL bytes seen: not a text list */
};

void pkg_apt_scan_init(struct apt_scan *s, apt_stanza_fn *fn, void *arg);
void pkg_apt_scan_feed(struct apt_scan *s, const char *buf, size_t len);
/* Ends the stream; 0, or -1 with err when the list is malformed. */
int pkg_apt_scan_end(struct apt_scan *s, struct pkg_err *err);
/* The same over one buffer. */
int pkg_apt_parse_packages(const char *buf, size_t len, apt_stanza_fn *fn,
    void *arg, struct pkg_err *err);
/* A stream decompressor (lz4 frames, gzip members, or plain) feeding a
 * scanner in bounded chunks; at most max bytes of output in all. */
struct apt_inflate {
	int compression;	/* APT_PLAIN, APT_GZ, APT_LZ4 */
	size_t total, max;
	char *out;
	struct LZ4F_dctx_s *lz4;
	size_t hint;		/* lz4: 0 when a frame just ended */
	z_stream z;
	bool zinit, zend, seen;
};

int pkg_apt_inflate_init(struct apt_inflate *in, int compression,
    size_t max);
int pkg_apt_inflate_feed(struct apt_inflate *in, struct apt_scan *s,
    const char *buf, size_t len, struct pkg_err *err);
/* The stream must end whole (no truncated frame or member). */
int pkg_apt_inflate_end(struct apt_inflate *in, struct apt_scan *s,
    struct pkg_err *err);
void pkg_apt_inflate_free(struct apt_inflate *in);

/* Decompresses an lz4 frame or gzip buffer into the scanner in bounded
 * chunks; at most max bytes of output. 0, or -1 with err. */
int pkg_apt_scan_lz4(struct apt_scan *s, const char *buf, size_t len,
    size_t max, struct pkg_err *err);
int pkg_apt_scan_gz(struct apt_scan *s, const char *buf, size_t len,
    size_t max, struct pkg_err *err);

/* pkg_rpm.c */

/* Reads one rpm header blob (as stored in rpmdb.sqlite: index count,
 * data length, index entries, data) and adds the package to set.
 * 0, or -1 with err. */
int pkg_rpm_parse_header(const uint8_t *blob, size_t len, struct pkg_set *set,
    struct pkg_err *err);
/* Reads every header of an rpmdb.sqlite opened through fd (read-only,
 * immutable). 0, or -1 with err. */
int pkg_rpm_read_sqlite(int fd, struct pkg_set *set, struct pkg_err *err);

#endif
