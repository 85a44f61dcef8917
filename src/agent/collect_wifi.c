/*
 * collect_wifi.c — the "wifi" facts: the wireless networks this computer
 * knows (NetworkManager keyfiles, wpa_supplicant, iwd), their security
 * and the strength of their shared key. The key itself is never copied:
 * it is measured in place in the file's buffer, which is wiped before it
 * is freed, and nothing of it is logged or written to the facts.
 */
#define _GNU_SOURCE /* memmem */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "agent/collect.h"
#include "agent/collect_wifi.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

#define WIFI_MAX_FILES 4096	/* profiles listed in one directory */
#define WIFI_SSID_MAX 32	/* 802.11 limit, in bytes */
#define WIFI_NAMES_SIZE 512

/* A value inside the file's buffer; s == NULL when absent. */
struct wifi_span {
	const char *s;
	size_t n;
};

/* ---------------------------------------------------------------------
 * Small helpers over spans.
 */

static bool
wifi_eq(struct wifi_span v, const char *w)
{
	return v.s != NULL && strlen(w) == v.n && strncasecmp(v.s, w, v.n) == 0;
}

/* v is a list separated by ';', ' ' or ','; true when word is in it. */
static bool
wifi_has(struct wifi_span v, const char *word)
{
	size_t i = 0, j, wl = strlen(word);

	while (v.s != NULL && i < v.n) {
		while (i < v.n && strchr("; ,\t", v.s[i]) != NULL)
			i++;
		for (j = i; j < v.n && strchr("; ,\t", v.s[j]) == NULL; j++)
			;
		if (j - i == wl && strncasecmp(v.s + i, word, wl) == 0)
			return true;
		i = j;
	}
	return false;
}

/* Every word of v is word (and there is at least one). */
static bool
wifi_only(struct wifi_span v, const char *word)
{
	size_t i = 0, j, wl = strlen(word);
	bool any = false;

	while (v.s != NULL && i < v.n) {
		while (i < v.n && strchr("; ,\t", v.s[i]) != NULL)
			i++;
		for (j = i; j < v.n && strchr("; ,\t", v.s[j]) == NULL; j++)
			;
		if (j > i) {
			if (j - i != wl || strncasecmp(v.s + i, word, wl) != 0)
				return false;
			any = true;
		}
		i = j;
	}
	return any;
}

static bool
wifi_hex64(struct wifi_span v)
{
	size_t i;

	if (v.s == NULL || v.n != 64)
		return false;
	for (i = 0; i < v.n; i++)
		if (!isxdigit((unsigned char)v.s[i]))
			return false;
	return true;
}

/*
 * Measures a key without copying it: its length in characters and the
 * classes of its characters. esc: the value uses keyfile escapes (\s).
 */
static void
wifi_measure(struct wifi_span v, bool esc, struct wifi_net *out)
{
	bool lo = false, up = false, di = false, ot = false;
	unsigned char c;
	size_t i;
	int len = 0;

	for (i = 0; i < v.n; i++) {
		c = (unsigned char)v.s[i];
		if (esc && c == '\\' && i + 1 < v.n) {
			c = (unsigned char)v.s[++i];
			c = c == 's' ? ' ' : c == 'n' ? '\n' : c == 't' ? '\t' :
			    c == 'r' ? '\r' : c;
		}
		if ((c & 0xc0) == 0x80)
			continue;	/* inside a UTF-8 character */
		len++;
		if (c >= 'a' && c <= 'z')
			lo = true;
		else if (c >= 'A' && c <= 'Z')
			up = true;
		else if (c >= '0' && c <= '9')
			di = true;
		else
			ot = true;
	}
	c = 0;
	out->psk = WIFI_PSK_CLEAR;
	out->psk_length = len;
	out->psk_classes = lo + up + di + ot;
	out->psk_digits_only = len > 0 && di && !lo && !up && !ot;
}

/* Bytes of an SSID as text: UTF-8 when it is printable UTF-8, else hex. */
static char *
wifi_ssid_text(const unsigned char *raw, size_t n)
{
	char *s;
	size_t i;
	bool text = text_valid_utf8((const char *)raw, n);

	for (i = 0; text && i < n; i++)
		if (raw[i] < 0x20 || raw[i] == 0x7f)
			text = false;
	if (text)
		return text_ndup((const char *)raw, n);
	s = malloc(2 * n + 3);
	if (s == NULL)
		return NULL;
	memcpy(s, "0x", 3);
	for (i = 0; i < n; i++)
		snprintf(s + 2 + 2 * i, 3, "%02x", raw[i]);
	return s;
}

enum wifi_ssid_form { SSID_KEYFILE, SSID_RAW, SSID_HEX, SSID_PRINTF };

static char *
wifi_ssid(struct wifi_span v, enum wifi_ssid_form form)
{
	unsigned char raw[WIFI_SSID_MAX];
	size_t i, n = 0, j;
	unsigned val;
	bool list = form == SSID_KEYFILE && v.n > 0 &&
	    memchr(v.s, ';', v.n) != NULL;
	int h, l;

	for (i = 0; list && i < v.n; i++)
		if (!isdigit((unsigned char)v.s[i]) && v.s[i] != ';')
			list = false;
	if (v.s == NULL)
		return NULL;
	if (list) {		/* NetworkManager's "70;80;84;" */
		for (i = 0; i < v.n; i = j + 1) {
			for (j = i, val = 0; j < v.n && v.s[j] != ';'; j++)
				if ((val = val * 10 + (unsigned)(v.s[j] - '0'))
				    > 255)
					return NULL;
			if (j == i)
				return NULL;
			if (n >= WIFI_SSID_MAX)
				return NULL;
			raw[n++] = (unsigned char)val;
		}
	} else if (form == SSID_HEX) {
		if (v.n % 2 != 0 || v.n / 2 > WIFI_SSID_MAX)
			return NULL;
		for (i = 0; i < v.n; i += 2) {
			if ((h = text_hexval(v.s[i])) < 0 ||
			    (l = text_hexval(v.s[i + 1])) < 0)
				return NULL;
			raw[n++] = (unsigned char)(h * 16 + l);
		}
	} else {
		for (i = 0; i < v.n; i++) {
			unsigned char c = (unsigned char)v.s[i];

			if (form != SSID_RAW && c == '\\' && i + 1 < v.n) {
				c = (unsigned char)v.s[++i];
				if (form == SSID_PRINTF && c == 'x' &&
				    i + 2 < v.n &&
				    (h = text_hexval(v.s[i + 1])) >= 0 &&
				    (l = text_hexval(v.s[i + 2])) >= 0) {
					c = (unsigned char)(h * 16 + l);
					i += 2;
				} else
					c = c == 's' ? ' ' : c == 'n' ? '\n' :
					    c == 't' ? '\t' : c == 'r' ? '\r' :
					    c == 'e' ? 0x1b : c;
			}
			if (n >= WIFI_SSID_MAX)
				return NULL;
			raw[n++] = c;
		}
	}
	if (n == 0)
		return NULL;
	return wifi_ssid_text(raw, n);
}

/* ---------------------------------------------------------------------
 * A keyfile reader that hands out spans of the buffer (NetworkManager,
 * iwd), so that no secret value is ever copied.
 */

struct wifi_kf {
	const char *p, *end;
	int line;
	char group[64];
};

static int
wifi_kf_next(struct wifi_kf *kf, struct wifi_span *key, struct wifi_span *val)
{
	const char *l, *eq, *k;
	size_t ll, kl;

	while (text_next_line(&kf->p, kf->end, &l, &ll)) {
		kf->line++;
		while (ll > 0 && (*l == ' ' || *l == '\t')) {
			l++;
			ll--;
		}
		while (ll > 0 && l[ll - 1] == '\r')
			ll--;
		if (ll == 0 || *l == '#')
			continue;
		if (*l == '[') {
			while (ll > 0 && (l[ll - 1] == ' ' ||
			    l[ll - 1] == '\t'))
				ll--;
			if (ll < 2 || l[ll - 1] != ']')
				return -1;
			snprintf(kf->group, sizeof(kf->group), "%.*s",
			    (int)(ll - 2), l + 1);
			continue;
		}
		if ((eq = memchr(l, '=', ll)) == NULL)
			return -1;
		for (k = l, kl = (size_t)(eq - l); kl > 0 &&
		    (k[kl - 1] == ' ' || k[kl - 1] == '\t'); kl--)
			;
		if (kl == 0)
			return -1;
		key->s = k;
		key->n = kl;
		val->s = eq + 1;
		val->n = (size_t)(l + ll - (eq + 1));
		while (val->n > 0 && (*val->s == ' ' || *val->s == '\t')) {
			val->s++;
			val->n--;
		}
		return 1;
	}
	return 0;
}

static bool
wifi_group(const struct wifi_kf *kf, const char *a, const char *b)
{
	return strcmp(kf->group, a) == 0 || (b && strcmp(kf->group, b) == 0);
}

static bool
wifi_key(struct wifi_span k, const char *name)
{
	return strlen(name) == k.n && memcmp(k.s, name, k.n) == 0;
}

static void
wifi_bool(struct wifi_span v, bool *out)
{
	if (wifi_eq(v, "false") || wifi_eq(v, "no") || wifi_eq(v, "0"))
		*out = false;
	else if (wifi_eq(v, "true") || wifi_eq(v, "yes") || wifi_eq(v, "1"))
		*out = true;
}

/* ---------------------------------------------------------------------
 * NetworkManager.
 */

struct wifi_nm {
	struct wifi_span type, ssid, km, proto, pairwise, group, psk, flags,
	    wep[4], wepidx, autoconnect;
	bool security;
};

int
collect_wifi_parse_nmconnection(const char *buf, size_t len,
    struct wifi_net *n, int *line)
{
	struct wifi_nm f;
	struct wifi_kf kf;
	struct wifi_span k, v;
	long idx, flags = 0;
	int r;

	memset(n, 0, sizeof(*n));
	memset(&f, 0, sizeof(f));
	*line = 0;
	n->autoconnect = true;
	if (!text_valid_utf8(buf, len))
		return -1;
	memset(&kf, 0, sizeof(kf));
	kf.p = buf;
	kf.end = buf + len;
	while ((r = wifi_kf_next(&kf, &k, &v)) > 0) {
		if (wifi_group(&kf, "connection", NULL)) {
			if (wifi_key(k, "type"))
				f.type = v;
			else if (wifi_key(k, "autoconnect"))
				f.autoconnect = v;
		} else if (wifi_group(&kf, "wifi", "802-11-wireless")) {
			if (wifi_key(k, "ssid"))
				f.ssid = v;
		} else if (wifi_group(&kf, "wifi-security",
		    "802-11-wireless-security")) {
			f.security = true;
			if (wifi_key(k, "key-mgmt"))
				f.km = v;
			else if (wifi_key(k, "proto"))
				f.proto = v;
			else if (wifi_key(k, "pairwise"))
				f.pairwise = v;
			else if (wifi_key(k, "group"))
				f.group = v;
			else if (wifi_key(k, "psk"))
				f.psk = v;
			else if (wifi_key(k, "psk-flags"))
				f.flags = v;
			else if (wifi_key(k, "wep-tx-keyidx"))
				f.wepidx = v;
			else if (k.n == 8 && memcmp(k.s, "wep-key", 7) == 0 &&
			    k.s[7] >= '0' && k.s[7] <= '3')
				f.wep[k.s[7] - '0'] = v;
		}
	}
	if (r < 0) {
		*line = kf.line;
		return -1;
	}
	if (!wifi_eq(f.type, "wifi") && !wifi_eq(f.type, "802-11-wireless"))
		return 0;
	if ((n->ssid = wifi_ssid(f.ssid, SSID_KEYFILE)) == NULL)
		return -1;
	wifi_bool(f.autoconnect, &n->autoconnect);
	n->tkip = wifi_has(f.pairwise, "tkip") || wifi_has(f.group, "tkip");
	if (f.flags.s != NULL && f.flags.n < 4) {
		char tmp[4];

		snprintf(tmp, sizeof(tmp), "%.*s", (int)f.flags.n, f.flags.s);
		if (!text_to_long(tmp, &flags))
			flags = 0;
	}
	if (!f.security) {
		n->security = "open";
	} else if (wifi_eq(f.km, "none") || wifi_eq(f.km, "ieee8021x")) {
		n->security = "wep";
		idx = 0;
		if (f.wepidx.s != NULL && f.wepidx.n == 1 &&
		    f.wepidx.s[0] >= '0' && f.wepidx.s[0] <= '3')
			idx = f.wepidx.s[0] - '0';
		if (wifi_eq(f.km, "ieee8021x"))
			n->psk = WIFI_PSK_NONE;
		else if (f.wep[idx].s != NULL && f.wep[idx].n > 0)
			wifi_measure(f.wep[idx], true, n);
		else
			n->psk = WIFI_PSK_UNSAVED;
	} else if (wifi_eq(f.km, "wpa-psk") || wifi_eq(f.km, "sae")) {
		if (wifi_eq(f.km, "sae"))
			n->security = "wpa3";
		else
			n->security = wifi_only(f.proto, "wpa") ? "wpa" :
			    "wpa2";
		if (wifi_hex64(f.psk))
			n->psk = WIFI_PSK_DERIVED;
		else if (f.psk.s != NULL && f.psk.n > 0 && (flags & 3) == 0)
			wifi_measure(f.psk, true, n);
		else
			n->psk = WIFI_PSK_UNSAVED;
	} else if (wifi_eq(f.km, "wpa-eap"))
		n->security = "wpa2-enterprise";
	else if (wifi_eq(f.km, "wpa-eap-suite-b-192"))
		n->security = "wpa3-enterprise";
	else if (wifi_eq(f.km, "owe"))
		n->security = "owe";
	else
		n->security = "unknown";
	return 1;
}

/* ---------------------------------------------------------------------
 * wpa_supplicant.
 */

struct wifi_wpa {
	struct wifi_span ssid, km, proto, pairwise, group, psk, sae, wep[4],
	    wepidx, disabled;
	enum wifi_ssid_form ssid_form;
	bool psk_quoted, sae_quoted, wep_quoted[4];
};

/* A value: "quoted" (to the last quote), P"printf" or a bare word. */
static int
wifi_wpa_value(const char *v, size_t n, struct wifi_span *out, bool *quoted,
    bool *printf_form)
{
	const char *q;

	*quoted = false;
	if (printf_form != NULL)
		*printf_form = false;
	if (n > 0 && v[0] == 'P' && printf_form != NULL && n > 1 &&
	    v[1] == '"') {
		*printf_form = true;
		v++;
		n--;
	}
	if (n > 0 && v[0] == '"') {
		for (q = v + n - 1; q > v && *q != '"'; q--)
			;
		if (q == v)
			return -1;
		out->s = v + 1;
		out->n = (size_t)(q - v - 1);
		*quoted = true;
		return 0;
	}
	out->s = v;
	out->n = n;
	return 0;
}

static void
wifi_wpa_finish(const struct wifi_wpa *w, struct wifi_net *n)
{
	struct wifi_span km = w->km, def = {"WPA-PSK WPA-EAP", 15};
	bool psk, sae, eap;
	long idx = 0;

	if (km.s == NULL)
		km = def;
	n->autoconnect = !wifi_eq(w->disabled, "1");
	n->tkip = wifi_has(w->pairwise, "TKIP") || wifi_has(w->group, "TKIP");
	psk = wifi_has(km, "WPA-PSK") || wifi_has(km, "FT-PSK") ||
	    wifi_has(km, "WPA-PSK-SHA256");
	sae = wifi_has(km, "SAE") || wifi_has(km, "FT-SAE");
	eap = wifi_has(km, "WPA-EAP") || wifi_has(km, "FT-EAP") ||
	    wifi_has(km, "WPA-EAP-SHA256");
	if (psk && (w->psk.s != NULL || w->sae.s != NULL || !eap)) {
		n->security = wifi_only(w->proto, "WPA") ? "wpa" : "wpa2";
		if (w->psk.s != NULL && !w->psk_quoted && wifi_hex64(w->psk))
			n->psk = WIFI_PSK_DERIVED;
		else if (w->psk.s != NULL && w->psk_quoted && w->psk.n > 0)
			wifi_measure(w->psk, false, n);
		else
			n->psk = WIFI_PSK_UNSAVED;
	} else if (sae) {
		n->security = "wpa3";
		if (w->sae.s != NULL && w->sae_quoted && w->sae.n > 0)
			wifi_measure(w->sae, false, n);
		else if (w->psk.s != NULL && w->psk_quoted && w->psk.n > 0)
			wifi_measure(w->psk, false, n);
		else
			n->psk = WIFI_PSK_UNSAVED;
	} else if (wifi_has(km, "WPA-EAP-SUITE-B-192"))
		n->security = "wpa3-enterprise";
	else if (eap)
		n->security = "wpa2-enterprise";
	else if (wifi_has(km, "OWE"))
		n->security = "owe";
	else if (wifi_has(km, "IEEE8021X"))
		n->security = "wep";
	else if (wifi_only(km, "NONE")) {
		if (w->wepidx.s != NULL && w->wepidx.n == 1 &&
		    w->wepidx.s[0] >= '0' && w->wepidx.s[0] <= '3')
			idx = w->wepidx.s[0] - '0';
		if (w->wep[idx].s != NULL && w->wep[idx].n > 0) {
			n->security = "wep";
			wifi_measure(w->wep[idx], false, n);
		} else if (w->wep[0].s || w->wep[1].s || w->wep[2].s ||
		    w->wep[3].s) {
			n->security = "wep";
			n->psk = WIFI_PSK_UNSAVED;
		} else
			n->security = "open";
	} else
		n->security = "unknown";
}

void
collect_wifi_net_clear(struct wifi_net *n)
{
	free(n->ssid);
	memset(n, 0, sizeof(*n));
}

void
collect_wifi_nets_free(struct wifi_net *nets, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		collect_wifi_net_clear(&nets[i]);
	free(nets);
}

static int
wifi_wpa_field(struct wifi_wpa *w, const char *l, size_t ll)
{
	const char *eq = memchr(l, '=', ll);
	struct wifi_span k, v;
	bool q, pf;
	size_t kl;

	if (eq == NULL)
		return -1;
	for (kl = (size_t)(eq - l); kl > 0 && (l[kl - 1] == ' ' ||
	    l[kl - 1] == '\t'); kl--)
		;
	k.s = l;
	k.n = kl;
	v.s = eq + 1;
	v.n = (size_t)(l + ll - v.s);
	if (wifi_key(k, "ssid")) {
		if (wifi_wpa_value(v.s, v.n, &w->ssid, &q, &pf) < 0)
			return -1;
		w->ssid_form = pf ? SSID_PRINTF : q ? SSID_RAW : SSID_HEX;
		return 0;
	}
	if (wifi_wpa_value(v.s, v.n, &v, &q, NULL) < 0)
		return -1;
	if (wifi_key(k, "key_mgmt"))
		w->km = v;
	else if (wifi_key(k, "proto"))
		w->proto = v;
	else if (wifi_key(k, "pairwise"))
		w->pairwise = v;
	else if (wifi_key(k, "group"))
		w->group = v;
	else if (wifi_key(k, "psk")) {
		w->psk = v;
		w->psk_quoted = q;
	} else if (wifi_key(k, "sae_password")) {
		w->sae = v;
		w->sae_quoted = q;
	} else if (wifi_key(k, "wep_tx_keyidx"))
		w->wepidx = v;
	else if (wifi_key(k, "disabled"))
		w->disabled = v;
	else if (k.n == 8 && memcmp(k.s, "wep_key", 7) == 0 &&
	    k.s[7] >= '0' && k.s[7] <= '3') {
		w->wep[k.s[7] - '0'] = v;
		w->wep_quoted[k.s[7] - '0'] = q;
	}
	return 0;
}

int
collect_wifi_parse_wpa_supplicant(const char *buf, size_t len,
    struct wifi_net **nets, size_t *count, int *line)
{
	const char *p = buf, *end = buf + len, *l;
	struct wifi_net *v = NULL, *nv;
	struct wifi_wpa w;
	size_t ll, n = 0;
	int lineno = 0, open = 0;	/* line of the open block */
	bool skip = false;
	char *ssid;

	*nets = NULL;
	*count = 0;
	*line = 0;
	memset(&w, 0, sizeof(w));
	while (text_next_line(&p, end, &l, &ll)) {
		lineno++;
		text_trim_span(&l, &ll);
		if (ll == 0 || *l == '#')
			continue;
		if (!open) {
			if (ll >= 2 && l[ll - 1] == '{') {
				skip = !(ll == 9 &&
				    memcmp(l, "network={", 9) == 0);
				open = lineno;
				memset(&w, 0, sizeof(w));
			} else if (memchr(l, '=', ll) == NULL)
				goto bad;
			continue;
		}
		if (ll == 1 && *l == '}') {
			open = 0;
			if (skip || w.ssid.s == NULL)
				continue;
			if (n >= WIFI_MAX_NETWORKS)
				goto bad;
			ssid = wifi_ssid(w.ssid, w.ssid_form);
			if (ssid == NULL)
				goto bad;
			nv = realloc(v, (n + 1) * sizeof(*v));
			if (nv == NULL) {
				free(ssid);
				goto bad;
			}
			v = nv;
			memset(&v[n], 0, sizeof(v[n]));
			v[n].ssid = ssid;
			wifi_wpa_finish(&w, &v[n]);
			n++;
			continue;
		}
		if (!skip && wifi_wpa_field(&w, l, ll) < 0)
			goto bad;
	}
	if (open) {
		lineno = open;
		goto bad;
	}
	*nets = v;
	*count = n;
	return 0;
bad:
	*line = lineno;
	collect_wifi_nets_free(v, n);
	return -1;
}

/* ---------------------------------------------------------------------
 * iwd: the file name is the SSID ("=" and hex when not plain text).
 */

int
collect_wifi_parse_iwd(const char *name, const char *buf, size_t len,
    struct wifi_net *n, int *line)
{
	const char *dot = strrchr(name, '.');
	struct wifi_span ssid, pass = {NULL, 0}, key = {NULL, 0};
	struct wifi_span ac = {NULL, 0};
	struct wifi_span k, v;
	struct wifi_kf kf;
	int r;

	memset(n, 0, sizeof(*n));
	*line = 0;
	if (dot == NULL || dot == name)
		return 0;
	if (strcmp(dot, ".psk") == 0)
		n->security = "wpa2";
	else if (strcmp(dot, ".open") == 0)
		n->security = "open";
	else if (strcmp(dot, ".8021x") == 0)
		n->security = "wpa2-enterprise";
	else
		return 0;
	if (!text_valid_utf8(buf, len))
		return -1;
	memset(&kf, 0, sizeof(kf));
	kf.p = buf;
	kf.end = buf + len;
	while ((r = wifi_kf_next(&kf, &k, &v)) > 0) {
		if (wifi_group(&kf, "Security", NULL)) {
			if (wifi_key(k, "Passphrase"))
				pass = v;
			else if (wifi_key(k, "PreSharedKey"))
				key = v;
		} else if (wifi_group(&kf, "Settings", NULL) &&
		    wifi_key(k, "AutoConnect"))
			ac = v;
	}
	if (r < 0) {
		*line = kf.line;
		return -1;
	}
	ssid.s = name[0] == '=' ? name + 1 : name;
	ssid.n = (size_t)(dot - ssid.s);
	n->ssid = wifi_ssid(ssid, name[0] == '=' ? SSID_HEX : SSID_RAW);
	if (n->ssid == NULL)
		return -1;
	n->autoconnect = true;
	wifi_bool(ac, &n->autoconnect);
	if (strcmp(dot, ".psk") == 0) {
		if (pass.s != NULL && pass.n > 0)
			wifi_measure(pass, true, n);
		else if (wifi_hex64(key))
			n->psk = WIFI_PSK_DERIVED;
		else
			n->psk = WIFI_PSK_UNSAVED;
	}
	return 1;
}

/* ---------------------------------------------------------------------
 * The collector.
 */

struct wifi_marks {
	char derived[WIFI_NAMES_SIZE];
	char unsaved[WIFI_NAMES_SIZE];
};

static void
wifi_note(char *names, const char *ssid)
{
	size_t n = strlen(names);

	if (n + 8 >= WIFI_NAMES_SIZE)
		return;
	if (n + strlen(ssid) + 8 >= WIFI_NAMES_SIZE)
		snprintf(names + n, WIFI_NAMES_SIZE - n, "%s…", n ? ", " : "");
	else
		snprintf(names + n, WIFI_NAMES_SIZE - n, "%s\"%s\"",
		    n ? ", " : "", ssid);
}

static void
wifi_add(json_t *list, const struct wifi_net *n, const char *source,
    struct wifi_marks *m)
{
	json_t *it = json_object();

	json_set_str(it, "ssid", n->ssid);
	json_set_str(it, "security", n->security);
	json_set_bool(it, "tkip", n->tkip);
	switch (n->psk) {
	case WIFI_PSK_NONE:
	case WIFI_PSK_CLEAR:
		json_set_int(it, "psk_length", n->psk_length);
		json_set_int(it, "psk_classes", n->psk_classes);
		json_set_bool(it, "psk_digits_only", n->psk_digits_only);
		break;
	case WIFI_PSK_DERIVED:
		json_set_int(it, "psk_length", 0);
		wifi_note(m->derived, n->ssid);
		break;
	case WIFI_PSK_UNSAVED:
		wifi_note(m->unsaved, n->ssid);
		break;
	}
	json_set_str(it, "source", source);
	json_set_bool(it, "autoconnect", n->autoconnect);
	json_array_append_new(list, it);
}

/* Reads a profile; the caller wipes and frees *buf. ENOENT is silent. */
static int
wifi_read(struct collect_ctx *ctx, const char *path, char **buf, size_t *len)
{
	int r = file_read(ctx->rootfd, path, FILE_MAX_SMALL, buf, len);

	if (r < 0 && r != -ENOENT)
		collect_file_error(ctx, "wifi.networks", path, r);
	return r;
}

static void
wifi_wipe(char *buf, size_t len)
{
	if (buf != NULL)
		explicit_bzero(buf, len);
	free(buf);
}

static bool
wifi_ignored_name(const char *name)
{
	static const char *const suffixes[] = {
		"~", ".bak", ".orig", ".rej", ".swp", ".tmp", ".nmmeta",
		".dpkg-old", ".dpkg-new", ".dpkg-dist", ".rpmnew", ".rpmsave",
		NULL
	};
	size_t i, n = strlen(name), sl;

	if (name[0] == '.')
		return true;
	for (i = 0; suffixes[i] != NULL; i++) {
		sl = strlen(suffixes[i]);
		if (n >= sl && strcmp(name + n - sl, suffixes[i]) == 0)
			return true;
	}
	return false;
}

static void
wifi_dir(struct collect_ctx *ctx, const char *dir, json_t *list,
    struct wifi_marks *m, int kind)
{
	char **names, *path, *buf;
	struct wifi_net net, *nets;
	size_t n, i, j, len, count;
	int r, line;

	r = file_list(ctx->rootfd, dir, WIFI_MAX_FILES, &names, &n);
	if (r == -ENOENT || r == -ENOTDIR)
		return;
	if (r < 0) {
		collect_file_error(ctx, "wifi.networks", dir, r);
		return;
	}
	for (i = 0; i < n; i++) {
		if (wifi_ignored_name(names[i]))
			continue;
		if (kind == 1 && (strlen(names[i]) < 6 ||
		    strcmp(names[i] + strlen(names[i]) - 5, ".conf") != 0))
			continue;
		path = file_join(dir, names[i]);
		if (wifi_read(ctx, path, &buf, &len) < 0) {
			free(path);
			continue;
		}
		if (kind == 1) {
			r = collect_wifi_parse_wpa_supplicant(buf, len, &nets,
			    &count, &line);
			for (j = 0; r == 0 && j < count; j++)
				wifi_add(list, &nets[j], path, m);
			if (r == 0)
				collect_wifi_nets_free(nets, count);
		} else {
			r = kind == 0 ?
			    collect_wifi_parse_nmconnection(buf, len, &net,
				&line) :
			    collect_wifi_parse_iwd(names[i], buf, len, &net,
				&line);
			if (r > 0)
				wifi_add(list, &net, path, m);
			collect_wifi_net_clear(&net);
		}
		wifi_wipe(buf, len);
		if (r < 0)
			collect_parse_error(ctx, "wifi.networks", path, line,
			    "cấu hình mạng Wi-Fi không hợp lệ hoặc không phải "
			    "văn bản UTF-8",
			    "malformed Wi-Fi profile or not UTF-8 text");
		free(path);
	}
	file_list_free(names, n);
}

static void
wifi_mark(struct collect_ctx *ctx, const char *names, const char *vi,
    const char *en)
{
	static const char *const paths[] = {
		"wifi.networks.psk_length", "wifi.networks.psk_classes",
		"wifi.networks.psk_digits_only", NULL
	};
	char *rvi, *ren;
	size_t i;

	if (names[0] == '\0')
		return;
	rvi = text_printf("%s: %s", vi, names);
	ren = text_printf("%s: %s", en, names);
	for (i = 0; paths[i] != NULL; i++)
		collect_unavailable(ctx, paths[i], "error", rvi, ren);
	free(rvi);
	free(ren);
}

static void
wifi_adapter(struct collect_ctx *ctx, json_t *sec)
{
	char **names, *p1, *p2;
	size_t n, i;
	bool found = false;
	int r;

	if (!ctx->live) {
		collect_not_live(ctx, "wifi.adapter");
		return;
	}
	r = file_list(ctx->rootfd, "/sys/class/net", 4096, &names, &n);
	if (r < 0) {
		collect_file_error(ctx, "wifi.adapter", "/sys/class/net", r);
		return;
	}
	for (i = 0; i < n && !found; i++) {
		p1 = text_printf("/sys/class/net/%s/wireless", names[i]);
		p2 = text_printf("/sys/class/net/%s/phy80211", names[i]);
		found = file_exists(ctx->rootfd, p1) ||
		    file_exists(ctx->rootfd, p2);
		free(p1);
		free(p2);
	}
	file_list_free(names, n);
	json_set_bool(sec, "adapter", found);
}

/*
 * Ubuntu 23.10 and later keep the desktop's connections as netplan YAML
 * (/etc/netplan/90-NM-*.yaml); netplan generates the NetworkManager
 * keyfiles (and wpa_supplicant files for networkd) under /run at boot.
 * On the running system those are read; on a disk (--root) the YAML is
 * not, and a netplan file with Wi-Fi makes the list partial.
 */
static void
wifi_netplan(struct collect_ctx *ctx)
{
	char **names, *path, *buf;
	size_t n, i, len, l;
	bool wifi = false;
	int r;

	r = file_list(ctx->rootfd, "/etc/netplan", WIFI_MAX_FILES, &names, &n);
	if (r == -ENOENT || r == -ENOTDIR)
		return;
	if (r < 0) {
		collect_file_error(ctx, "wifi.networks", "/etc/netplan", r);
		return;
	}
	for (i = 0; i < n && !wifi; i++) {
		l = strlen(names[i]);
		if (l < 6 || strcmp(names[i] + l - 5, ".yaml") != 0)
			continue;
		path = file_join("/etc/netplan", names[i]);
		r = file_read(ctx->rootfd, path, FILE_MAX_SMALL, &buf, &len);
		if (r < 0 && r != -ENOENT) {
			collect_file_error(ctx, "wifi.networks", path, r);
			wifi = true;
		} else if (r == 0) {
			wifi = memmem(buf, len, "wifis:", 6) != NULL;
			wifi_wipe(buf, len);
		}
		free(path);
	}
	file_list_free(names, n);
	if (wifi)
		collect_unavailable(ctx, "wifi.networks", "error",
		    "mạng Wi-Fi lưu trong cấu hình netplan (/etc/netplan) "
		    "chưa được đọc khi kiểm tra một ổ đĩa (--root)",
		    "Wi-Fi networks kept in netplan (/etc/netplan) are not "
		    "read when auditing a disk (--root)");
}

void
collect_wifi(struct collect_ctx *ctx)
{
	json_t *sec = collect_section(ctx, "wifi");
	json_t *list = json_array();
	struct wifi_marks m;

	memset(&m, 0, sizeof(m));
	wifi_adapter(ctx, sec);
	wifi_dir(ctx, "/etc/NetworkManager/system-connections", list, &m, 0);
	if (ctx->live) {
		/* generated by netplan (and runtime connections) */
		wifi_dir(ctx, "/run/NetworkManager/system-connections", list,
		    &m, 0);
		wifi_dir(ctx, "/run/netplan", list, &m, 1);
	} else
		wifi_netplan(ctx);
	wifi_dir(ctx, "/etc/wpa_supplicant", list, &m, 1);
	wifi_dir(ctx, "/var/lib/iwd", list, &m, 2);
	json_object_set_new(sec, "networks", list);
	wifi_mark(ctx, m.derived,
	    "chỉ lưu khóa dẫn xuất 64 ký tự hex, không biết mật khẩu gốc",
	    "only the 64-hex derived key is stored; the passphrase is "
	    "unknown");
	wifi_mark(ctx, m.unsaved,
	    "mật khẩu Wi-Fi không lưu trong tệp cấu hình (lưu ở keyring)",
	    "the Wi-Fi key is not stored in the profile (kept in a "
	    "keyring)");
}
