/*
 * keyfile.c — parsers for INI-style keyfiles, dconf keyfile values and
 * dconf's binary GVDB user database (keyfile.h). The GVDB layout follows
 * GLib's gvdb-format.h: a 24-byte header ("GVariant", version, options,
 * root pointer) and hash tables of 24-byte items whose keys are suffixes
 * of their parent's key. Every offset read from a file is checked against
 * the file's size; nothing is trusted.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/keyfile.h"
#include "lib/file.h"
#include "lib/text.h"

static void
keyfile_add(struct keyfile *kf, const char *group, const char *key,
            size_t keylen, const char *value, size_t valuelen, int line)
{
	struct keyfile_entry *e;

	if (kf->n == kf->cap) {
		size_t cap = kf->cap ? kf->cap * 2 : 16;

		e = reallocarray(kf->e, cap, sizeof(*e));
		if (e == NULL)
			abort();
		kf->e = e;
		kf->cap = cap;
	}
	e = &kf->e[kf->n++];
	e->group = text_dup(group);
	e->key = text_ndup(key, keylen);
	e->value = text_ndup(value, valuelen);
	e->line = line;
}

static void
keyfile_bad(struct keyfile *kf, int line)
{
	if (kf->bad_line == 0)
		kf->bad_line = line;
}

static bool
keyfile_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

int
keyfile_parse(const char *buf, size_t len, struct keyfile *kf)
{
	const char *p = buf, *end = buf + len, *l, *eq, *k, *ke, *v, *ve;
	size_t ll;
	char *group = text_dup("");
	int line = 0;

	if (len > 0 && !text_valid_utf8(buf, len)) {
		keyfile_bad(kf, 1);
		free(group);
		return -1;
	}
	while (text_next_line(&p, end, &l, &ll)) {
		const char *le = l + ll;

		line++;
		while (l < le && keyfile_space(*l))
			l++;
		while (le > l && keyfile_space(le[-1]))
			le--;
		if (l == le || *l == '#' || *l == ';')
			continue;
		if (*l == '[') {
			if (le - l < 3 || le[-1] != ']' ||
			    memchr(l + 1, '[', le - l - 2) != NULL ||
			    memchr(l + 1, ']', le - l - 2) != NULL) {
				keyfile_bad(kf, line);
				continue;
			}
			free(group);
			group = text_ndup(l + 1, le - l - 2);
			continue;
		}
		eq = memchr(l, '=', le - l);
		if (eq == NULL || eq == l) {
			keyfile_bad(kf, line);
			continue;
		}
		k = l;
		ke = eq;
		while (ke > k && keyfile_space(ke[-1]))
			ke--;
		v = eq + 1;
		ve = le;
		while (v < ve && keyfile_space(*v))
			v++;
		if (ke == k) {
			keyfile_bad(kf, line);
			continue;
		}
		if (kf->n >= KEYFILE_MAX_ENTRIES) {
			keyfile_bad(kf, line);
			break;
		}
		keyfile_add(kf, group, k, ke - k, v, ve - v, line);
	}
	free(group);
	return kf->bad_line ? -1 : 0;
}

int
keyfile_load(int rootfd, const char *path, struct keyfile *kf)
{
	char *buf;
	size_t len;
	int r;

	r = file_read(rootfd, path, FILE_MAX_SMALL, &buf, &len);
	if (r < 0)
		return r;
	keyfile_parse(buf, len, kf);
	free(buf);
	return kf->bad_line;
}

void
keyfile_free(struct keyfile *kf)
{
	size_t i;

	for (i = 0; i < kf->n; i++) {
		free(kf->e[i].group);
		free(kf->e[i].key);
		free(kf->e[i].value);
	}
	free(kf->e);
	memset(kf, 0, sizeof(*kf));
}

const char *
keyfile_get(const struct keyfile *kf, const char *group, const char *key,
            int *line)
{
	size_t i;

	for (i = kf->n; i > 0; i--) {
		const struct keyfile_entry *e = &kf->e[i - 1];

		if (strcmp(e->group, group) == 0 && strcmp(e->key, key) == 0) {
			if (line != NULL)
				*line = e->line;
			return e->value;
		}
	}
	return NULL;
}

bool
keyfile_bool(const char *v, bool *out)
{
	static const char *yes[] = {"true", "yes", "on", "1"};
	static const char *no[] = {"false", "no", "off", "0"};
	size_t i;

	if (v == NULL)
		return false;
	for (i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

bool
keyfile_gvariant_bool(const char *v, bool *out)
{
	if (v == NULL)
		return false;
	if (strcmp(v, "true") == 0) {
		*out = true;
		return true;
	}
	if (strcmp(v, "false") == 0) {
		*out = false;
		return true;
	}
	return false;
}

bool
keyfile_gvariant_int(const char *v, long long *out)
{
	static const char *types[] = {"uint32", "int32", "uint64", "int64",
	                              "uint16", "int16", "byte",   "@u",
	                              "@i",     "@t",    "@x"};
	size_t i, n;
	long l;
	char *tmp;
	bool ok;

	if (v == NULL)
		return false;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		n = strlen(types[i]);
		if (strncmp(v, types[i], n) == 0 &&
		    (v[n] == ' ' || v[n] == '\t')) {
			v += n;
			break;
		}
	}
	while (*v == ' ' || *v == '\t')
		v++;
	tmp = text_dup(v);
	text_trim(tmp);
	ok = tmp[0] != '\0' && text_to_long(tmp, &l);
	free(tmp);
	if (ok)
		*out = l;
	return ok;
}

/*
 * GVDB. All integers little-endian (a big-endian file, signature
 * "raVGtnai", is refused as not decoded).
 */
#define GVDB_HEADER 24
#define GVDB_ITEM 24
#define GVDB_NOPARENT 0xffffffffu
#define GVDB_MAX_DEPTH 64

struct gvdb {
	const unsigned char *p;
	size_t len;
	size_t items; /* offset of the first hash item */
	uint32_t nitems;
};

static uint32_t
gvdb_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* true when [start, end) lies inside the file */
static bool
gvdb_range(const struct gvdb *g, uint32_t start, uint32_t end)
{
	return start <= end && end <= g->len;
}

/* Item i's key ends key[0..keylen): compares suffixes up the parents. */
static int
gvdb_key_matches(const struct gvdb *g, uint32_t i, const char *key,
                 size_t keylen, int depth)
{
	const unsigned char *it;
	uint32_t kstart, parent;
	size_t ksize;

	if (depth > GVDB_MAX_DEPTH || i >= g->nitems)
		return -1;
	it = g->p + g->items + (size_t)i * GVDB_ITEM;
	parent = gvdb_u32(it + 4);
	kstart = gvdb_u32(it + 8);
	ksize = (size_t)it[12] | (size_t)it[13] << 8;
	if ((uint64_t)kstart + ksize > g->len)
		return -1;
	if (ksize > keylen ||
	    memcmp(g->p + kstart, key + keylen - ksize, ksize) != 0)
		return 0;
	if (parent == GVDB_NOPARENT)
		return keylen == ksize;
	return gvdb_key_matches(g, parent, key, keylen - ksize, depth + 1);
}

static int
gvdb_decode(const struct gvdb *g, const unsigned char *it,
            struct keyfile_gvalue *out)
{
	uint32_t start = gvdb_u32(it + 16), end = gvdb_u32(it + 20);
	const unsigned char *v, *z;
	size_t n, tlen;

	if (!gvdb_range(g, start, end))
		return -1;
	v = g->p + start;
	n = end - start;
	/* a serialised variant: the value, a NUL, then its type string */
	z = NULL;
	for (size_t k = n; k > 0; k--)
		if (v[k - 1] == '\0') {
			z = v + k - 1;
			break;
		}
	if (z == NULL)
		return -1;
	tlen = (size_t)(v + n - (z + 1));
	n = (size_t)(z - v);
	if (tlen != 1)
		return 0;
	switch (z[1]) {
	case 'b':
		if (n != 1 || v[0] > 1)
			return -1;
		out->type = 'b';
		out->b = v[0] == 1;
		return 1;
	case 'u':
	case 'i':
		if (n != 4)
			return -1;
		out->type = (char)z[1];
		out->num = z[1] == 'u' ? (long long)gvdb_u32(v)
		                       : (long long)(int32_t)gvdb_u32(v);
		return 1;
	default:
		return 0;
	}
}

int
keyfile_gvdb_lookup(const char *buf, size_t len, const char *key,
                    struct keyfile_gvalue *out)
{
	struct gvdb g;
	uint32_t rstart, rend, nbloom, nbuckets, i;
	size_t keylen = strlen(key), off, size;
	int m;

	memset(out, 0, sizeof(*out));
	if (buf == NULL || len < GVDB_HEADER || len > UINT32_MAX)
		return -1;
	g.p = (const unsigned char *)buf;
	g.len = len;
	if (memcmp(g.p, "GVariant", 8) != 0 || gvdb_u32(g.p + 8) != 0)
		return -1;
	rstart = gvdb_u32(g.p + 16);
	rend = gvdb_u32(g.p + 20);
	if (!gvdb_range(&g, rstart, rend) || rend - rstart < 8 ||
	    (rstart & 3) != 0)
		return -1;
	nbloom = gvdb_u32(g.p + rstart) & ((1u << 27) - 1);
	nbuckets = gvdb_u32(g.p + rstart + 4);
	off = (size_t)rstart + 8 + ((size_t)nbloom + nbuckets) * 4;
	if (off > rend)
		return -1;
	size = rend - off;
	if (size % GVDB_ITEM != 0)
		return -1;
	g.items = off;
	g.nitems = (uint32_t)(size / GVDB_ITEM);
	/* a linear scan: user databases are small, and it needs no trust
	 * in the buckets or the hash values */
	for (i = 0; i < g.nitems; i++) {
		const unsigned char *it = g.p + g.items + (size_t)i * GVDB_ITEM;

		if (it[14] != 'v')
			continue;
		m = gvdb_key_matches(&g, i, key, keylen, 0);
		if (m < 0)
			return -1;
		if (m == 1)
			return gvdb_decode(&g, it, out);
	}
	return 0;
}
