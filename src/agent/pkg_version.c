/*
 * pkg_version.c — how package managers order versions: dpkg's
 * [epoch:]upstream[-revision] with its '~' rule (deb-version(7), as in
 * dpkg's verrevcmp) and rpm's rpmvercmp(). A pending update is a newer
 * version by exactly these rules, so they must not be approximated.
 */
#include <limits.h>
#include <string.h>

#include "agent/pkg.h"

static int
pkg_version_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static int
pkg_version_isalpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* dpkg's weight of a character in a non-digit part. */
static int
pkg_version_order(int c)
{
	if (pkg_version_isdigit(c))
		return 0;
	if (pkg_version_isalpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c != 0)
		return c + 256;
	return 0;
}

/* dpkg's verrevcmp over a[0..alen) and b[0..blen). */
static int
pkg_version_verrev(const char *a, const char *ae, const char *b,
    const char *be)
{
#define AC (a < ae ? (unsigned char)*a : 0)
#define BC (b < be ? (unsigned char)*b : 0)
	while (a < ae || b < be) {
		int first_diff = 0;

		while ((AC && !pkg_version_isdigit(AC)) ||
		    (BC && !pkg_version_isdigit(BC))) {
			int ac = pkg_version_order(AC);
			int bc = pkg_version_order(BC);

			if (ac != bc)
				return ac - bc;
			a++;
			b++;
		}
		while (AC == '0')
			a++;
		while (BC == '0')
			b++;
		while (pkg_version_isdigit(AC) && pkg_version_isdigit(BC)) {
			if (!first_diff)
				first_diff = AC - BC;
			a++;
			b++;
		}
		if (pkg_version_isdigit(AC))
			return 1;
		if (pkg_version_isdigit(BC))
			return -1;
		if (first_diff)
			return first_diff;
		/* A NUL byte inside the range ends the comparison. */
		if ((a < ae && *a == '\0') || (b < be && *b == '\0'))
			break;
	}
	return 0;
#undef AC
#undef BC
}

struct pkg_version_parts {
	long epoch;
	const char *up, *upe, *rev, *reve;
};

static void
pkg_version_split(const char *v, struct pkg_version_parts *p)
{
	const char *colon = strchr(v, ':');
	const char *end = v + strlen(v);
	const char *dash, *s;

	p->epoch = 0;
	if (colon != NULL) {
		for (s = v; s < colon; s++) {
			if (!pkg_version_isdigit((unsigned char)*s))
				break;
			if (p->epoch < INT_MAX / 10)
				p->epoch = p->epoch * 10 + (*s - '0');
			else
				p->epoch = INT_MAX;
		}
		v = colon + 1;
	}
	dash = strrchr(v, '-');
	p->up = v;
	if (dash != NULL) {
		p->upe = dash;
		p->rev = dash + 1;
		p->reve = end;
	} else {
		p->upe = end;
		p->rev = p->reve = end;
	}
}

int
pkg_version_cmp(const char *a, const char *b)
{
	struct pkg_version_parts pa, pb;
	int rc;

	pkg_version_split(a, &pa);
	pkg_version_split(b, &pb);
	if (pa.epoch != pb.epoch)
		return pa.epoch < pb.epoch ? -1 : 1;
	rc = pkg_version_verrev(pa.up, pa.upe, pb.up, pb.upe);
	if (rc != 0)
		return rc;
	return pkg_version_verrev(pa.rev, pa.reve, pb.rev, pb.reve);
}

static int
pkg_version_isalnum(int c)
{
	return pkg_version_isdigit(c) || pkg_version_isalpha(c);
}

/* Compares two segments as strcmp() would compare them NUL-terminated. */
static int
pkg_version_segcmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int rc = memcmp(a, b, alen < blen ? alen : blen);

	if (rc != 0)
		return rc < 0 ? -1 : 1;
	if (alen == blen)
		return 0;
	return alen < blen ? -1 : 1;
}

int
pkg_rpmvercmp(const char *a, const char *b)
{
	const char *one = a, *two = b, *s1, *s2;
	int isnum, rc;

	if (strcmp(a, b) == 0)
		return 0;
	while (*one || *two) {
		while (*one && !pkg_version_isalnum((unsigned char)*one) &&
		    *one != '~' && *one != '^')
			one++;
		while (*two && !pkg_version_isalnum((unsigned char)*two) &&
		    *two != '~' && *two != '^')
			two++;
		if (*one == '~' || *two == '~') {
			if (*one != '~')
				return 1;
			if (*two != '~')
				return -1;
			one++;
			two++;
			continue;
		}
		if (*one == '^' || *two == '^') {
			if (!*one)
				return -1;
			if (!*two)
				return 1;
			if (*one != '^')
				return 1;
			if (*two != '^')
				return -1;
			one++;
			two++;
			continue;
		}
		if (!(*one && *two))
			break;
		s1 = one;
		s2 = two;
		if (pkg_version_isdigit((unsigned char)*s1)) {
			while (pkg_version_isdigit((unsigned char)*s1))
				s1++;
			while (pkg_version_isdigit((unsigned char)*s2))
				s2++;
			isnum = 1;
		} else {
			while (pkg_version_isalpha((unsigned char)*s1))
				s1++;
			while (pkg_version_isalpha((unsigned char)*s2))
				s2++;
			isnum = 0;
		}
		if (two == s2)
			return isnum ? 1 : -1;
		if (isnum) {
			while (*one == '0' && one < s1 - 1)
				one++;
			while (*two == '0' && two < s2 - 1)
				two++;
			if (s1 - one != s2 - two)
				return s1 - one > s2 - two ? 1 : -1;
		}
		rc = pkg_version_segcmp(one, (size_t)(s1 - one), two,
		    (size_t)(s2 - two));
		if (rc != 0)
			return rc;
		one = s1;
		two = s2;
	}
	if (!*one && !*two)
		return 0;
	return !*one ? -1 : 1;
}
