/*
 * pkg_rpm.c — the rpm database of Fedora, RHEL and their kin: the
 * rpmdb.sqlite Packages table (read-only, immutable) whose blobs are rpm
 * headers (an index of tag/type/offset/count entries and a data store,
 * all big-endian), and the OpenPGP signature packets in them that name
 * the key a package was signed with. Every offset and count is bounded by
 * the blob it comes from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "agent/pkg.h"
#include "lib/text.h"

#define RPM_MAX_INDEX 0xffff	/* rpm's own limit of index entries */
#define RPM_MAX_DATA (256u << 20)
#define RPM_MAX_ROWS 200000

enum {
	RPM_TAG_SIGPGP = 259, RPM_TAG_SIGGPG = 262, RPM_TAG_DSAHEADER = 267,
	RPM_TAG_RSAHEADER = 268,
	RPM_TAG_NAME = 1000, RPM_TAG_VERSION = 1001, RPM_TAG_RELEASE = 1002,
	RPM_TAG_EPOCH = 1003, RPM_TAG_INSTALLTIME = 1008,
	RPM_TAG_VENDOR = 1011, RPM_TAG_ARCH = 1022,
};

enum {
	RPM_INT32 = 4, RPM_STRING = 6, RPM_BIN = 7, RPM_STRING_ARRAY = 8,
	RPM_I18NSTRING = 9,
};

struct pkg_rpm_hdr {
	const uint8_t *index, *data;
	uint32_t il, dl;
};

static uint32_t
pkg_rpm_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int
pkg_rpm_fail(struct pkg_err *err, int line, const char *vi, const char *en)
{
	err->line = line;
	err->vi = vi;
	err->en = en;
	return -1;
}

/* The index entry of tag, or false. */
static bool
pkg_rpm_entry(const struct pkg_rpm_hdr *h, uint32_t tag, uint32_t *type,
    uint32_t *off, uint32_t *count)
{
	uint32_t i;

	for (i = 0; i < h->il; i++) {
		const uint8_t *e = h->index + (size_t)i * 16;

		if (pkg_rpm_be32(e) != tag)
			continue;
		*type = pkg_rpm_be32(e + 4);
		*off = pkg_rpm_be32(e + 8);
		*count = pkg_rpm_be32(e + 12);
		return true;
	}
	return false;
}

/* The first string of a STRING, STRING_ARRAY or I18NSTRING tag, inside
 * the data store and NUL-terminated there; NULL otherwise. */
static const char *
pkg_rpm_string(const struct pkg_rpm_hdr *h, uint32_t tag, bool *bad)
{
	uint32_t type, off, count;
	const char *s;

	if (!pkg_rpm_entry(h, tag, &type, &off, &count))
		return NULL;
	if ((type != RPM_STRING && type != RPM_STRING_ARRAY &&
	    type != RPM_I18NSTRING) || count == 0 || off >= h->dl ||
	    memchr(h->data + off, '\0', h->dl - off) == NULL) {
		*bad = true;
		return NULL;
	}
	s = (const char *)h->data + off;
	if (!text_valid_utf8(s, strlen(s))) {
		*bad = true;
		return NULL;
	}
	return s;
}

static bool
pkg_rpm_int32(const struct pkg_rpm_hdr *h, uint32_t tag, uint32_t *v,
    bool *bad)
{
	uint32_t type, off, count;

	if (!pkg_rpm_entry(h, tag, &type, &off, &count))
		return false;
	if (type != RPM_INT32 || count == 0 || off > h->dl ||
	    h->dl - off < 4) {
		*bad = true;
		return false;
	}
	*v = pkg_rpm_be32(h->data + off);
	return true;
}

/* Length of an OpenPGP subpacket or new-format packet at p (RFC 9580
 * 4.2.1, 5.2.3.7); 0 on error. *hl gets the size of the length octets. */
static size_t
pkg_rpm_pgp_len(const uint8_t *p, size_t avail, size_t *hl)
{
	if (avail < 1)
		return 0;
	if (p[0] < 192) {
		*hl = 1;
		return p[0];
	}
	if (p[0] < 255) {
		if (avail < 2)
			return 0;
		*hl = 2;
		return ((size_t)(p[0] - 192) << 8) + p[1] + 192;
	}
	if (avail < 5)
		return 0;
	*hl = 5;
	return pkg_rpm_be32(p + 1);
}

static void
pkg_rpm_hex(const uint8_t *id, char *out)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 8; i++) {
		out[2 * i] = hex[id[i] >> 4];
		out[2 * i + 1] = hex[id[i] & 15];
	}
	out[16] = '\0';
}

/* Looks for an issuer in a run of signature subpackets. */
static bool
pkg_rpm_subpackets(const uint8_t *p, size_t len, char *keyid)
{
	while (len > 0) {
		size_t hl = 0, sl = pkg_rpm_pgp_len(p, len, &hl);
		uint8_t type;

		if (sl == 0 || hl > len || sl > len - hl)
			return false;
		p += hl;
		len -= hl;
		type = p[0] & 0x7f;
		if (type == 16 && sl == 9) {
			pkg_rpm_hex(p + 1, keyid);
			return true;
		}
		if (type == 33 && sl >= 2) {
			if (p[1] == 4 && sl == 22) {
				pkg_rpm_hex(p + 2 + 12, keyid);
				return true;
			}
			if ((p[1] == 5 || p[1] == 6) && sl == 34) {
				pkg_rpm_hex(p + 2, keyid);
				return true;
			}
		}
		p += sl;
		len -= sl;
	}
	return false;
}

/* The key id (16 hex digits) of an OpenPGP signature packet. */
static bool
pkg_rpm_keyid(const uint8_t *p, size_t len, char *keyid)
{
	size_t hl, bl;
	uint8_t tag;
	const uint8_t *b;

	if (len < 2 || !(p[0] & 0x80))
		return false;
	if (p[0] & 0x40) {
		tag = p[0] & 0x3f;
		if (p[1] >= 224 && p[1] < 255)
			return false;	/* partial lengths */
		bl = pkg_rpm_pgp_len(p + 1, len - 1, &hl);
		hl += 1;
	} else {
		static const size_t lens[3] = {1, 2, 4};
		int lt = p[0] & 3;
		size_t i;

		tag = (p[0] >> 2) & 15;
		if (lt == 3) {
			hl = 1;
			bl = len - 1;
		} else {
			hl = 1 + lens[lt];
			if (len < hl)
				return false;
			for (bl = 0, i = 1; i < hl; i++)
				bl = bl << 8 | p[i];
		}
	}
	if (tag != 2 || hl > len || bl > len - hl || bl < 1)
		return false;
	b = p + hl;
	if (b[0] == 3) {
		if (bl < 15 || b[1] != 5)
			return false;
		pkg_rpm_hex(b + 7, keyid);
		return true;
	}
	if (b[0] == 4 || b[0] == 5) {
		size_t hashed, unhashed;

		if (bl < 6)
			return false;
		hashed = (size_t)b[4] << 8 | b[5];
		if (hashed > bl - 6)
			return false;
		if (pkg_rpm_subpackets(b + 6, hashed, keyid))
			return true;
		if (bl - 6 - hashed < 2)
			return false;
		unhashed = (size_t)b[6 + hashed] << 8 | b[7 + hashed];
		if (unhashed > bl - 8 - hashed)
			return false;
		return pkg_rpm_subpackets(b + 8 + hashed, unhashed, keyid);
	}
	if (b[0] == 6) {
		size_t hashed;

		if (bl < 8)
			return false;
		hashed = pkg_rpm_be32(b + 4);
		if (hashed > bl - 8)
			return false;
		return pkg_rpm_subpackets(b + 8, hashed, keyid);
	}
	return false;
}

/* The signing key of the header, from the first signature tag present. */
static bool
pkg_rpm_signature(const struct pkg_rpm_hdr *h, char *keyid)
{
	static const uint32_t tags[] = {RPM_TAG_RSAHEADER, RPM_TAG_DSAHEADER,
	    RPM_TAG_SIGPGP, RPM_TAG_SIGGPG};
	size_t i;

	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		uint32_t type, off, count;

		if (!pkg_rpm_entry(h, tags[i], &type, &off, &count))
			continue;
		if (type != RPM_BIN || off > h->dl || count > h->dl - off)
			continue;
		if (pkg_rpm_keyid(h->data + off, count, keyid))
			return true;
	}
	return false;
}

int
pkg_rpm_parse_header(const uint8_t *blob, size_t len, struct pkg_set *set,
    struct pkg_err *err)
{
	struct pkg_rpm_hdr h;
	const char *name, *version, *release, *arch, *vendor;
	uint32_t epoch = 0, itime;
	bool bad = false, has_epoch;
	char keyid[17], *ver, *origin;
	struct pkg_inst *p;

	if (len < 8)
		return pkg_rpm_fail(err, 0, "tiêu đề rpm quá ngắn",
		    "rpm header too short");
	h.il = pkg_rpm_be32(blob);
	h.dl = pkg_rpm_be32(blob + 4);
	if (h.il == 0 || h.il > RPM_MAX_INDEX || h.dl > RPM_MAX_DATA ||
	    (size_t)h.il * 16 > len - 8 || h.dl > len - 8 - (size_t)h.il * 16)
		return pkg_rpm_fail(err, 0,
		    "kích thước chỉ mục hoặc dữ liệu của tiêu đề rpm sai",
		    "rpm header index or data size out of bounds");
	h.index = blob + 8;
	h.data = blob + 8 + (size_t)h.il * 16;
	name = pkg_rpm_string(&h, RPM_TAG_NAME, &bad);
	version = pkg_rpm_string(&h, RPM_TAG_VERSION, &bad);
	release = pkg_rpm_string(&h, RPM_TAG_RELEASE, &bad);
	arch = pkg_rpm_string(&h, RPM_TAG_ARCH, &bad);
	vendor = pkg_rpm_string(&h, RPM_TAG_VENDOR, &bad);
	has_epoch = pkg_rpm_int32(&h, RPM_TAG_EPOCH, &epoch, &bad);
	if (pkg_rpm_int32(&h, RPM_TAG_INSTALLTIME, &itime, &bad) &&
	    (long long)itime > set->last_install)
		set->last_install = itime;
	if (bad || name == NULL || version == NULL || release == NULL)
		return pkg_rpm_fail(err, 0,
		    "tiêu đề rpm thiếu hoặc sai tên, phiên bản",
		    "rpm header with a missing or bad name or version");
	if (strcmp(name, "gpg-pubkey") == 0)
		return 0;	/* an imported key, not software */
	ver = has_epoch ? text_printf("%u:%s-%s", epoch, version, release) :
	    text_printf("%s-%s", version, release);
	p = pkg_set_add(set, name, ver, arch ? arch : "", "installed",
	    vendor);
	free(ver);
	if (pkg_rpm_signature(&h, keyid))
		origin = vendor && *vendor ?
		    text_printf("%s, key %s", vendor, keyid) :
		    text_printf("key %s", keyid);
	else
		origin = text_dup("");
	p->origin = origin;
	return 0;
}

int
pkg_rpm_read_sqlite(int fd, struct pkg_set *set, struct pkg_err *err)
{
	char uri[64];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc, n = 0, ret = 0;

	snprintf(uri, sizeof(uri), "file:/proc/self/fd/%d?immutable=1", fd);
	rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
	    NULL);
	if (rc != SQLITE_OK) {
		sqlite3_close(db);
		return pkg_rpm_fail(err, 0, "không mở được cơ sở dữ liệu rpm",
		    "cannot open the rpm database");
	}
	rc = sqlite3_prepare_v2(db, "SELECT hnum, blob FROM Packages", -1,
	    &st, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_close(db);
		return pkg_rpm_fail(err, 0,
		    "cơ sở dữ liệu rpm không có bảng Packages hợp lệ",
		    "the rpm database has no valid Packages table");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const void *b = sqlite3_column_blob(st, 1);
		int bl = sqlite3_column_bytes(st, 1);

		if (++n > RPM_MAX_ROWS) {
			ret = pkg_rpm_fail(err, 0, "quá nhiều gói trong rpmdb",
			    "too many packages in the rpmdb");
			break;
		}
		if (b == NULL || bl <= 0 ||
		    pkg_rpm_parse_header(b, (size_t)bl, set, err) < 0) {
			if (b == NULL || bl <= 0)
				pkg_rpm_fail(err, 0, "tiêu đề rpm rỗng",
				    "empty rpm header");
			err->line = sqlite3_column_int(st, 0);
			ret = -1;
			break;
		}
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = pkg_rpm_fail(err, 0, "lỗi khi đọc cơ sở dữ liệu rpm",
		    "error while reading the rpm database");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ret;
}
