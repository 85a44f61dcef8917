/*
 * keyfile.h — INI-style "keyfile" configuration (LightDM, GDM, SDDM,
 * journald, KDE, .desktop entries, USBGuard's key=value files), the
 * dconf keyfiles of /etc/dconf/db/NAME.d (GVariant text values), and the
 * binary GVDB database dconf keeps per user (~/.config/dconf/user).
 * Parsers only: no logging, every input bounded; see keyfile.c.
 */
#ifndef CG_KEYFILE_H
#define CG_KEYFILE_H

#include <stdbool.h>
#include <stddef.h>

#define KEYFILE_MAX_ENTRIES 20000 /* entries kept from one file */

struct keyfile_entry {
	char *group; /* "" before the first [group] line */
	char *key;
	char *value; /* trimmed */
	int line;
};

struct keyfile {
	struct keyfile_entry *e;
	size_t n, cap;
	int bad_line; /* first malformed line (1-based), 0 none */
};

/*
 * Parses buf[0..len) into kf (zeroed by the caller or by a previous
 * keyfile_free). Comments start with '#' or ';'. A line that is neither
 * blank, a comment, a "[group]" nor "key=value" is malformed: it is
 * skipped and its number kept in kf->bad_line. Input that is not UTF-8
 * text is malformed as a whole (bad_line 1, no entries). Returns 0 when
 * the whole text was well formed, -1 otherwise.
 */
int keyfile_parse(const char *buf, size_t len, struct keyfile *kf);

/* Reads path inside rootfd (at most FILE_MAX_SMALL) and parses it.
 * Returns 0, a negative errno when the file cannot be read, or the first
 * malformed line (> 0; the well-formed entries are kept). */
int keyfile_load(int rootfd, const char *path, struct keyfile *kf);

void keyfile_free(struct keyfile *kf);

/* The value of the last "key=" in group (exact, case-sensitive), or
 * NULL; *line receives its line when line is not NULL. */
const char *keyfile_get(const struct keyfile *kf, const char *group,
                        const char *key, int *line);

/* INI booleans: true/false, yes/no, on/off, 1/0 (any case). */
bool keyfile_bool(const char *v, bool *out);

/* dconf (GVariant text) values: "true"/"false"; integers with an
 * optional type word ("uint32 300", "int32 5", "300"). */
bool keyfile_gvariant_bool(const char *v, bool *out);
bool keyfile_gvariant_int(const char *v, long long *out);

/* A value of the per-user dconf database. */
struct keyfile_gvalue {
	char type;     /* 'b', 'u', 'i' (others are not decoded) */
	long long num; /* u and i */
	bool b;
};

/*
 * Looks up key ("/org/gnome/desktop/session/idle-delay") in a GVDB file
 * held in buf[0..len). Returns 1 when found and decoded, 0 when absent or
 * of a type not decoded, -1 when the file is not a well-formed GVDB.
 */
int keyfile_gvdb_lookup(const char *buf, size_t len, const char *key,
                        struct keyfile_gvalue *out);

#endif
