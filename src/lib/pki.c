/*
 * pki.c — the ward's private certificate authority (pki.h), over GnuTLS's
 * X.509 API. The CA and every key it makes are ECDSA P-256 signed with
 * SHA-256; serials are 128 random bits; validity starts five minutes in
 * the past to forgive clock skew between a ward's computers. A request
 * from an agent is untrusted input: bounded, its signature and key
 * checked, and only its public key copied into what we sign (RFC 5280).
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "lib/pki.h"
#include "lib/text.h"

#define PKI_PEM_MAX (64u * 1024)	/* one certificate, key or request */
#define PKI_DAYS_MAX 36500		/* a hundred years */
#define PKI_SKEW 300			/* seconds before now a cert starts */
#define PKI_SERIAL_LEN 16		/* 128-bit serials */
#define PKI_KEYID_MAX 64
#define PKI_RSA_MIN 2048
#define PKI_RSA_MAX 8192		/* bigger keys only cost us CPU */
#define PKI_ORG "Canh Gác"

/* A failure: "<vi>: <gnutls> — <en>: <gnutls>" (GnuTLS speaks English). */
static int
pki_fail(char *err, size_t errlen, int rc, const char *vi, const char *en)
{
	if (err == NULL || errlen == 0)
		return -1;
	if (rc < 0)
		snprintf(err, errlen, "%s: %s — %s: %s", vi,
		    gnutls_strerror(rc), en, gnutls_strerror(rc));
	else
		snprintf(err, errlen, "%s — %s", vi, en);
	return -1;
}

/* A caller's PEM text as a datum, refusing NULL, empty and oversized. */
static int
pki_datum(const char *pem, gnutls_datum_t *d, const char *vi,
    const char *en, char *err, size_t errlen)
{
	size_t len;
	char v[160], e[160];

	if (pem == NULL || (len = strnlen(pem, PKI_PEM_MAX + 1)) == 0) {
		snprintf(v, sizeof(v), "%s: trống", vi);
		snprintf(e, sizeof(e), "%s: empty", en);
		return pki_fail(err, errlen, 0, v, e);
	}
	if (len > PKI_PEM_MAX) {
		snprintf(v, sizeof(v), "%s: lớn hơn %u byte", vi, PKI_PEM_MAX);
		snprintf(e, sizeof(e), "%s: larger than %u bytes", en,
		    PKI_PEM_MAX);
		return pki_fail(err, errlen, 0, v, e);
	}
	d->data = (unsigned char *)(uintptr_t)pem;
	d->size = (unsigned int)len;
	return 0;
}

/* Copies a GnuTLS export into a malloc'd C string, wiping and freeing it. */
static char *
pki_string(gnutls_datum_t *d)
{
	char *s;

	if ((s = malloc((size_t)d->size + 1)) != NULL) {
		memcpy(s, d->data, d->size);
		s[d->size] = '\0';
	}
	gnutls_memset(d->data, 0, d->size);
	gnutls_free(d->data);
	d->data = NULL;
	d->size = 0;
	return s;
}

static void
pki_hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 0xf];
	}
	out[2 * n] = '\0';
}

static int
pki_check_days(int days, char *err, size_t errlen)
{
	char v[96], e[96];

	if (days >= 1 && days <= PKI_DAYS_MAX)
		return 0;
	snprintf(v, sizeof(v), "thời hạn %d ngày không hợp lệ (1–%d)", days,
	    PKI_DAYS_MAX);
	snprintf(e, sizeof(e), "validity of %d days is invalid (1-%d)", days,
	    PKI_DAYS_MAX);
	return pki_fail(err, errlen, 0, v, e);
}

/* A subject name: 1-64 bytes (X.520 ub-common-name), valid UTF-8 without
 * control characters. */
static bool
pki_cn_ok(const char *cn)
{
	const unsigned char *p = (const unsigned char *)cn;
	size_t len;

	if (cn == NULL || (len = strnlen(cn, 65)) == 0 || len > 64 ||
	    !text_valid_utf8(cn, len))
		return false;
	for (; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

/* An agent id: letters, digits, '.', '_' and '-', 1-64 characters. */
static bool
pki_agent_id_ok(const char *id)
{
	size_t len;
	const char *p;

	if (id == NULL || (len = strnlen(id, 65)) == 0 || len > 64)
		return false;
	for (p = id; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '-'))
			return false;
	return true;
}

/* A DNS name for a SAN: labels of letters, digits and '-', 1-63 bytes each,
 * 253 at most in all. */
static bool
pki_dns_ok(const char *name)
{
	size_t len, label = 0;
	const char *p;

	if ((len = strnlen(name, 254)) == 0 || len > 253)
		return false;
	for (p = name; *p != '\0'; p++) {
		if (*p == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-'))
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0;
}

/* A fresh ECDSA P-256 key. */
static int
pki_keygen(gnutls_x509_privkey_t *key, char *err, size_t errlen)
{
	int rc;

	if ((rc = gnutls_x509_privkey_init(key)) < 0)
		return pki_fail(err, errlen, rc, "không khởi tạo được khóa",
		    "cannot initialise a key");
	rc = gnutls_x509_privkey_generate(*key, GNUTLS_PK_ECDSA,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
	if (rc < 0) {
		gnutls_x509_privkey_deinit(*key);
		*key = NULL;
		return pki_fail(err, errlen, rc,
		    "không tạo được khóa ECDSA P-256",
		    "cannot generate an ECDSA P-256 key");
	}
	return 0;
}

/* What an export (rc, into d) gave, as a malloc'd string in *pem; vi, en
 * say what could not be exported. */
static int
pki_export(int rc, gnutls_datum_t *d, char **pem, const char *vi,
    const char *en, char *err, size_t errlen)
{
	if (rc < 0)
		return pki_fail(err, errlen, rc, vi, en);
	if ((*pem = pki_string(d)) == NULL)
		return pki_fail(err, errlen, 0, "hết bộ nhớ", "out of memory");
	return 0;
}

/* The key as unencrypted PKCS#8 PEM in a malloc'd string. */
static int
pki_key_pem(gnutls_x509_privkey_t key, char **pem, char *err, size_t errlen)
{
	gnutls_datum_t d = {NULL, 0};

	return pki_export(gnutls_x509_privkey_export2_pkcs8(key,
	    GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &d), &d, pem,
	    "không xuất được khóa", "cannot export the key", err, errlen);
}

static int
pki_crt_pem(gnutls_x509_crt_t crt, char **pem, char *err, size_t errlen)
{
	gnutls_datum_t d = {NULL, 0};

	return pki_export(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM,
	    &d), &d, pem, "không xuất được chứng chỉ",
	    "cannot export the certificate", err, errlen);
}

static int
pki_load_key(const char *pem, gnutls_x509_privkey_t *key, char *err,
    size_t errlen)
{
	gnutls_datum_t d;
	int rc;

	if (pki_datum(pem, &d, "khóa CA", "CA key", err, errlen) == -1)
		return -1;
	if ((rc = gnutls_x509_privkey_init(key)) < 0)
		return pki_fail(err, errlen, rc, "không khởi tạo được khóa",
		    "cannot initialise a key");
	rc = gnutls_x509_privkey_import2(*key, &d, GNUTLS_X509_FMT_PEM, NULL,
	    0);
	if (rc < 0) {
		gnutls_x509_privkey_deinit(*key);
		*key = NULL;
		return pki_fail(err, errlen, rc,
		    "khóa CA: PEM không hợp lệ", "CA key: invalid PEM");
	}
	return 0;
}

static int
pki_load_crt(const char *pem, gnutls_x509_crt_t *crt, const char *vi,
    const char *en, char *err, size_t errlen)
{
	gnutls_datum_t d;
	char v[128], e[128];
	int rc;

	if (pki_datum(pem, &d, vi, en, err, errlen) == -1)
		return -1;
	if ((rc = gnutls_x509_crt_init(crt)) < 0)
		return pki_fail(err, errlen, rc,
		    "không khởi tạo được chứng chỉ",
		    "cannot initialise a certificate");
	if ((rc = gnutls_x509_crt_import(*crt, &d, GNUTLS_X509_FMT_PEM)) < 0) {
		gnutls_x509_crt_deinit(*crt);
		*crt = NULL;
		snprintf(v, sizeof(v), "%s: PEM không hợp lệ", vi);
		snprintf(e, sizeof(e), "%s: invalid PEM", en);
		return pki_fail(err, errlen, rc, v, e);
	}
	return 0;
}

/* The CA's key and certificate, checked to belong together and the
 * certificate to be a CA. */
static int
pki_load_ca(const char *key_pem, const char *cert_pem,
    gnutls_x509_privkey_t *key, gnutls_x509_crt_t *crt, char *err,
    size_t errlen)
{
	unsigned char kid[PKI_KEYID_MAX], cid[PKI_KEYID_MAX];
	size_t klen = sizeof(kid), clen = sizeof(cid);
	unsigned int critical, ca;
	int rc;

	*key = NULL;
	*crt = NULL;
	if (pki_load_key(key_pem, key, err, errlen) == -1)
		return -1;
	if (pki_load_crt(cert_pem, crt, "chứng chỉ CA", "CA certificate", err,
	    errlen) == -1)
		goto fail;
	rc = gnutls_x509_crt_get_basic_constraints(*crt, &critical, &ca, NULL);
	if (rc < 0 || !ca) {
		pki_fail(err, errlen, 0,
		    "chứng chỉ CA không phải chứng chỉ của CA (CA:TRUE)",
		    "the CA certificate is not a CA certificate (CA:TRUE)");
		goto fail;
	}
	if ((rc = gnutls_x509_privkey_get_key_id(*key, 0, kid, &klen)) < 0 ||
	    (rc = gnutls_x509_crt_get_key_id(*crt, 0, cid, &clen)) < 0) {
		pki_fail(err, errlen, rc, "không đọc được định danh khóa CA",
		    "cannot read the CA's key id");
		goto fail;
	}
	if (klen != clen || memcmp(kid, cid, klen) != 0) {
		pki_fail(err, errlen, 0, "khóa CA không khớp chứng chỉ CA",
		    "the CA key does not match the CA certificate");
		goto fail;
	}
	return 0;
fail:
	if (*crt != NULL)
		gnutls_x509_crt_deinit(*crt);
	gnutls_x509_privkey_deinit(*key);
	*key = NULL;
	*crt = NULL;
	return -1;
}

/* Version, random positive serial, validity, subject CN (and O). The
 * serial is written as hex to serial_hex when not NULL. */
static int
pki_crt_base(gnutls_x509_crt_t crt, const char *cn, const char *org,
    int days, char serial_hex[33], char *err, size_t errlen)
{
	unsigned char serial[PKI_SERIAL_LEN];
	time_t now = time(NULL);
	int rc;

	if ((rc = gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial))) < 0)
		return pki_fail(err, errlen, rc,
		    "không sinh được số sê-ri ngẫu nhiên",
		    "cannot draw a random serial");
	/* Positive, and no leading zero octet so it stays 16 bytes. */
	serial[0] &= 0x7f;
	if (serial[0] == 0)
		serial[0] = 0x01;
	if ((rc = gnutls_x509_crt_set_version(crt, 3)) < 0 ||
	    (rc = gnutls_x509_crt_set_serial(crt, serial,
	    sizeof(serial))) < 0 ||
	    (rc = gnutls_x509_crt_set_activation_time(crt,
	    now - PKI_SKEW)) < 0 ||
	    (rc = gnutls_x509_crt_set_expiration_time(crt,
	    now + (time_t)days * 86400)) < 0)
		return pki_fail(err, errlen, rc,
		    "không đặt được sê-ri hoặc thời hạn chứng chỉ",
		    "cannot set the certificate's serial or validity");
	/* O before CN, the usual order of a distinguished name. */
	if (org != NULL && (rc = gnutls_x509_crt_set_dn_by_oid(crt,
	    GNUTLS_OID_X520_ORGANIZATION_NAME, 0, org,
	    (unsigned int)strlen(org))) < 0)
		return pki_fail(err, errlen, rc,
		    "không đặt được tên tổ chức (O)",
		    "cannot set the organisation name");
	if ((rc = gnutls_x509_crt_set_dn_by_oid(crt,
	    GNUTLS_OID_X520_COMMON_NAME, 0, cn, (unsigned int)strlen(cn))) < 0)
		return pki_fail(err, errlen, rc,
		    "không đặt được tên chung (CN)",
		    "cannot set the common name");
	if (serial_hex != NULL)
		pki_hex(serial, sizeof(serial), serial_hex);
	return 0;
}

/* Subject key id from the certificate's own key; authority key id from
 * the issuer's subject key id. */
static int
pki_crt_key_ids(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer, char *err,
    size_t errlen)
{
	unsigned char id[PKI_KEYID_MAX];
	size_t len = sizeof(id);
	unsigned int critical;
	int rc;

	if ((rc = gnutls_x509_crt_get_key_id(crt, 0, id, &len)) < 0 ||
	    (rc = gnutls_x509_crt_set_subject_key_id(crt, id, len)) < 0)
		return pki_fail(err, errlen, rc,
		    "không đặt được định danh khóa chủ thể",
		    "cannot set the subject key id");
	if (issuer == NULL)
		return 0;
	len = sizeof(id);
	rc = gnutls_x509_crt_get_subject_key_id(issuer, id, &len, &critical);
	if (rc < 0) {
		len = sizeof(id);
		rc = gnutls_x509_crt_get_key_id(issuer, 0, id, &len);
	}
	if (rc < 0 || (rc = gnutls_x509_crt_set_authority_key_id(crt, id,
	    len)) < 0)
		return pki_fail(err, errlen, rc,
		    "không đặt được định danh khóa của CA",
		    "cannot set the authority key id");
	return 0;
}

static int
pki_sign(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t key, char *err, size_t errlen)
{
	int rc;

	if ((rc = gnutls_x509_crt_sign2(crt, issuer, key, GNUTLS_DIG_SHA256,
	    0)) < 0)
		return pki_fail(err, errlen, rc, "không ký được chứng chỉ",
		    "cannot sign the certificate");
	return 0;
}

/* Adds each name as an IP or a DNS subject alternative name. */
static int
pki_add_sans(gnutls_x509_crt_t crt, const char *const *names, size_t nnames,
    char *err, size_t errlen)
{
	unsigned char ip[16];
	char v[400], e[400];
	size_t i;
	int rc;

	for (i = 0; i < nnames; i++) {
		const char *n = names[i];

		if (n == NULL)
			goto bad;
		if (inet_pton(AF_INET, n, ip) == 1)
			rc = gnutls_x509_crt_set_subject_alt_name(crt,
			    GNUTLS_SAN_IPADDRESS, ip, 4, GNUTLS_FSAN_APPEND);
		else if (inet_pton(AF_INET6, n, ip) == 1)
			rc = gnutls_x509_crt_set_subject_alt_name(crt,
			    GNUTLS_SAN_IPADDRESS, ip, 16, GNUTLS_FSAN_APPEND);
		else if (pki_dns_ok(n))
			rc = gnutls_x509_crt_set_subject_alt_name(crt,
			    GNUTLS_SAN_DNSNAME, n, (unsigned int)strlen(n),
			    GNUTLS_FSAN_APPEND);
		else
			goto bad;
		if (rc < 0) {
			snprintf(v, sizeof(v), "tên máy chủ %zu (%.256s)", i,
			    n);
			snprintf(e, sizeof(e), "server name %zu (%.256s)", i,
			    n);
			return pki_fail(err, errlen, rc, v, e);
		}
	}
	return 0;
bad:
	snprintf(v, sizeof(v), "tên máy chủ %zu (%.256s) không phải tên miền "
	    "hay địa chỉ IP hợp lệ", i, names[i] ? names[i] : "(null)");
	snprintf(e, sizeof(e), "server name %zu (%.256s) is neither a valid "
	    "DNS name nor an IP address", i, names[i] ? names[i] : "(null)");
	return pki_fail(err, errlen, 0, v, e);
}

/* What a certificate says besides its key and its issuer: the CA's, the
 * server's and an agent's differ only here. */
struct pki_profile {
	const char *cn, *org;		/* subject; org may be NULL */
	int days;
	bool ca;			/* CA:TRUE, path length 0 */
	unsigned int usage;		/* GNUTLS_KEY_* */
	const char *purpose;		/* extended key usage, or NULL */
	const char *const *names;	/* subject alternative names */
	size_t nnames;
	const char *vi, *en;		/* whose ("của CA", "the CA's") */
};

/* Makes, signs and exports (cert_pem, malloc'd) a certificate of profile p
 * for key, or for pub when key is NULL, issued by issuer with issuer_key,
 * or self-signed with key when issuer is NULL. Its serial goes to
 * serial_hex when not NULL. */
static int
pki_make_crt(const struct pki_profile *p, gnutls_x509_privkey_t key,
    gnutls_pubkey_t pub, gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t issuer_key, char **cert_pem, char serial_hex[33],
    char *err, size_t errlen)
{
	gnutls_x509_crt_t crt;
	char serial[33], v[160], e[160];
	int rc, ret = -1;

	if ((rc = gnutls_x509_crt_init(&crt)) < 0)
		return pki_fail(err, errlen, rc, "không khởi tạo được chứng chỉ",
		    "cannot initialise a certificate");
	if (pki_crt_base(crt, p->cn, p->org, p->days, serial, err,
	    errlen) == -1)
		goto out;
	if ((rc = key != NULL ? gnutls_x509_crt_set_key(crt, key) :
	    gnutls_x509_crt_set_pubkey(crt, pub)) < 0 ||
	    (rc = gnutls_x509_crt_set_basic_constraints(crt, p->ca,
	    p->ca ? 0 : -1)) < 0 ||
	    (rc = gnutls_x509_crt_set_key_usage(crt, p->usage)) < 0 ||
	    (p->purpose != NULL && (rc = gnutls_x509_crt_set_key_purpose_oid(
	    crt, p->purpose, 0)) < 0)) {
		snprintf(v, sizeof(v), "không đặt được khóa hoặc phần mở rộng "
		    "%s", p->vi);
		snprintf(e, sizeof(e), "cannot set %s key or extensions", p->en);
		pki_fail(err, errlen, rc, v, e);
		goto out;
	}
	if (pki_add_sans(crt, p->names, p->nnames, err, errlen) == -1 ||
	    pki_crt_key_ids(crt, issuer, err, errlen) == -1 ||
	    pki_sign(crt, issuer != NULL ? issuer : crt,
	    issuer != NULL ? issuer_key : key, err, errlen) == -1 ||
	    pki_crt_pem(crt, cert_pem, err, errlen) == -1)
		goto out;
	if (serial_hex != NULL)
		memcpy(serial_hex, serial, sizeof(serial));
	ret = 0;
out:
	gnutls_x509_crt_deinit(crt);
	return ret;
}

/* A new key and its certificate of profile p, as PEM (see pki_make_crt). */
static int
pki_make_keyed(const struct pki_profile *p, gnutls_x509_crt_t issuer,
    gnutls_x509_privkey_t issuer_key, char **key_pem, char **cert_pem,
    char *err, size_t errlen)
{
	gnutls_x509_privkey_t key;
	char *kp = NULL, *cp = NULL;
	int ret = -1;

	if (pki_keygen(&key, err, errlen) == -1)
		return -1;
	if (pki_make_crt(p, key, NULL, issuer, issuer_key, &cp, NULL, err,
	    errlen) == 0 && pki_key_pem(key, &kp, err, errlen) == 0) {
		*key_pem = kp;
		*cert_pem = cp;
		kp = cp = NULL;
		ret = 0;
	}
	free(kp);
	free(cp);
	gnutls_x509_privkey_deinit(key);
	return ret;
}

int
pki_ca_create(const char *cn, int days, char **key_pem, char **cert_pem,
    char *err, size_t errlen)
{
	const struct pki_profile ca = {
		.cn = cn, .org = PKI_ORG, .days = days, .ca = true,
		.usage = GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN,
		.vi = "của CA", .en = "the CA's",
	};

	*key_pem = *cert_pem = NULL;
	if (!pki_cn_ok(cn))
		return pki_fail(err, errlen, 0,
		    "tên CA không hợp lệ (1–64 byte, không ký tự điều khiển)",
		    "invalid CA name (1-64 bytes, no control characters)");
	if (pki_check_days(days, err, errlen) == -1)
		return -1;
	return pki_make_keyed(&ca, NULL, NULL, key_pem, cert_pem, err,
	    errlen);
}

int
pki_server_cert(const char *ca_key_pem, const char *ca_cert_pem,
    const char *const *names, size_t nnames, int days, char **key_pem,
    char **cert_pem, char *err, size_t errlen)
{
	const struct pki_profile server = {
		.cn = names != NULL && nnames > 0 ? names[0] : NULL,
		.org = PKI_ORG, .days = days,
		.usage = GNUTLS_KEY_DIGITAL_SIGNATURE,
		.purpose = GNUTLS_KP_TLS_WWW_SERVER,
		.names = names, .nnames = nnames,
		.vi = "của máy chủ", .en = "the server's",
	};
	gnutls_x509_privkey_t cakey;
	gnutls_x509_crt_t cacrt;
	int ret;

	*key_pem = *cert_pem = NULL;
	if (names == NULL || nnames == 0)
		return pki_fail(err, errlen, 0, "chưa có tên máy chủ nào",
		    "no server name given");
	if (!pki_cn_ok(names[0]))
		return pki_fail(err, errlen, 0,
		    "tên máy chủ đầu tiên không dùng được làm CN (1–64 byte)",
		    "the first server name cannot be the CN (1-64 bytes)");
	if (pki_check_days(days, err, errlen) == -1)
		return -1;
	if (pki_load_ca(ca_key_pem, ca_cert_pem, &cakey, &cacrt, err,
	    errlen) == -1)
		return -1;
	ret = pki_make_keyed(&server, cacrt, cakey, key_pem, cert_pem, err,
	    errlen);
	gnutls_x509_crt_deinit(cacrt);
	gnutls_x509_privkey_deinit(cakey);
	return ret;
}

int
pki_csr_create(const char *cn, char **key_pem, char **csr_pem, char *err,
    size_t errlen)
{
	gnutls_x509_privkey_t key = NULL;
	gnutls_x509_crq_t crq = NULL;
	gnutls_datum_t der = {NULL, 0}, d = {NULL, 0};
	char *kp = NULL, *cp = NULL;
	int rc, ret = -1;

	*key_pem = *csr_pem = NULL;
	if (!pki_cn_ok(cn))
		return pki_fail(err, errlen, 0,
		    "tên trong yêu cầu chứng chỉ không hợp lệ (1–64 byte)",
		    "invalid name for the certificate request (1-64 bytes)");
	if (pki_keygen(&key, err, errlen) == -1)
		return -1;
	if ((rc = gnutls_x509_crq_init(&crq)) < 0 ||
	    (rc = gnutls_x509_crq_set_version(crq, 1)) < 0 ||
	    (rc = gnutls_x509_crq_set_dn_by_oid(crq,
	    GNUTLS_OID_X520_COMMON_NAME, 0, cn,
	    (unsigned int)strlen(cn))) < 0 ||
	    (rc = gnutls_x509_crq_set_key(crq, key)) < 0 ||
	    (rc = gnutls_x509_crq_sign2(crq, key, GNUTLS_DIG_SHA256, 0)) < 0) {
		pki_fail(err, errlen, rc,
		    "không tạo được yêu cầu chứng chỉ",
		    "cannot make the certificate request");
		goto out;
	}
	/* GnuTLS writes "NEW CERTIFICATE REQUEST"; RFC 7468 and docs/api.md
	 * say "CERTIFICATE REQUEST". */
	if ((rc = gnutls_x509_crq_export2(crq, GNUTLS_X509_FMT_DER,
	    &der)) >= 0)
		rc = gnutls_pem_base64_encode2("CERTIFICATE REQUEST", &der, &d);
	if (pki_export(rc, &d, &cp, "không xuất được yêu cầu chứng chỉ",
	    "cannot export the certificate request", err, errlen) == -1 ||
	    pki_key_pem(key, &kp, err, errlen) == -1)
		goto out;
	*key_pem = kp;
	*csr_pem = cp;
	kp = cp = NULL;
	ret = 0;
out:
	free(kp);
	free(cp);
	gnutls_free(der.data);
	if (crq != NULL)
		gnutls_x509_crq_deinit(crq);
	gnutls_x509_privkey_deinit(key);
	return ret;
}

/* The request's public key, if of a kind and size we accept. */
static int
pki_csr_pubkey(gnutls_x509_crq_t crq, gnutls_pubkey_t *pub, char *err,
    size_t errlen)
{
	gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
	unsigned int bits = 0;
	const char *name;
	char v[160], e[160];
	int rc, pk;

	if ((rc = gnutls_pubkey_init(pub)) < 0)
		return pki_fail(err, errlen, rc,
		    "không khởi tạo được khóa công khai",
		    "cannot initialise a public key");
	if ((rc = gnutls_pubkey_import_x509_crq(*pub, crq, 0)) < 0) {
		pki_fail(err, errlen, rc,
		    "yêu cầu chứng chỉ: không đọc được khóa công khai",
		    "certificate request: cannot read the public key");
		goto fail;
	}
	pk = gnutls_pubkey_get_pk_algorithm(*pub, &bits);
	switch (pk) {
	case GNUTLS_PK_ECDSA:
		rc = gnutls_pubkey_export_ecc_raw2(*pub, &curve, NULL, NULL, 0);
		if (rc < 0) {
			pki_fail(err, errlen, rc,
			    "yêu cầu chứng chỉ: không đọc được đường cong "
			    "ECDSA", "certificate request: cannot read the "
			    "ECDSA curve");
			goto fail;
		}
		if (curve == GNUTLS_ECC_CURVE_SECP256R1 ||
		    curve == GNUTLS_ECC_CURVE_SECP384R1)
			return 0;
		if ((name = gnutls_ecc_curve_get_name(curve)) == NULL)
			name = "?";
		snprintf(v, sizeof(v), "yêu cầu chứng chỉ: đường cong %s "
		    "không được chấp nhận (chỉ P-256, P-384)", name);
		snprintf(e, sizeof(e), "certificate request: curve %s is not "
		    "accepted (only P-256, P-384)", name);
		break;
	case GNUTLS_PK_EDDSA_ED25519:
		return 0;
	case GNUTLS_PK_RSA:
		if (bits >= PKI_RSA_MIN && bits <= PKI_RSA_MAX)
			return 0;
		snprintf(v, sizeof(v), "yêu cầu chứng chỉ: khóa RSA %u bit "
		    "không được chấp nhận (%d–%d bit)", bits, PKI_RSA_MIN,
		    PKI_RSA_MAX);
		snprintf(e, sizeof(e), "certificate request: an RSA key of %u "
		    "bits is not accepted (%d-%d bits)", bits, PKI_RSA_MIN,
		    PKI_RSA_MAX);
		break;
	default:
		name = pk >= 0 ? gnutls_pk_get_name(pk) : NULL;
		if (name == NULL)
			name = "?";
		snprintf(v, sizeof(v), "yêu cầu chứng chỉ: loại khóa %s không "
		    "được chấp nhận (ECDSA P-256/P-384, Ed25519, RSA ≥ 2048)",
		    name);
		snprintf(e, sizeof(e), "certificate request: key type %s is "
		    "not accepted (ECDSA P-256/P-384, Ed25519, RSA >= 2048)",
		    name);
		break;
	}
	pki_fail(err, errlen, 0, v, e);
fail:
	gnutls_pubkey_deinit(*pub);
	*pub = NULL;
	return -1;
}

int
pki_issue_client(const char *ca_key_pem, const char *ca_cert_pem,
    const char *csr_pem, const char *agent_id, int days, char **cert_pem,
    char serial_hex[33], char *err, size_t errlen)
{
	const struct pki_profile client = {
		.cn = agent_id, .days = days,
		.usage = GNUTLS_KEY_DIGITAL_SIGNATURE,
		.purpose = GNUTLS_KP_TLS_WWW_CLIENT,
		.vi = "của máy trạm", .en = "the agent's",
	};
	gnutls_x509_privkey_t cakey = NULL;
	gnutls_x509_crt_t cacrt = NULL;
	gnutls_x509_crq_t crq = NULL;
	gnutls_pubkey_t pub = NULL;
	gnutls_datum_t d;
	int rc, ret = -1;

	*cert_pem = NULL;
	if (!pki_agent_id_ok(agent_id))
		return pki_fail(err, errlen, 0,
		    "mã máy trạm không hợp lệ (1–64 chữ, số, '.', '_', '-')",
		    "invalid agent id (1-64 letters, digits, '.', '_', '-')");
	if (pki_check_days(days, err, errlen) == -1)
		return -1;
	if (pki_datum(csr_pem, &d, "yêu cầu chứng chỉ",
	    "certificate request", err, errlen) == -1)
		return -1;
	if ((rc = gnutls_x509_crq_init(&crq)) < 0)
		return pki_fail(err, errlen, rc,
		    "không khởi tạo được yêu cầu chứng chỉ",
		    "cannot initialise a certificate request");
	if ((rc = gnutls_x509_crq_import(crq, &d, GNUTLS_X509_FMT_PEM)) < 0) {
		pki_fail(err, errlen, rc, "yêu cầu chứng chỉ: PEM không hợp lệ",
		    "certificate request: invalid PEM");
		goto out;
	}
	/* The key first: a huge or exotic key is refused before any costly
	 * signature check. */
	if (pki_csr_pubkey(crq, &pub, err, errlen) == -1)
		goto out;
	if ((rc = gnutls_x509_crq_verify(crq, 0)) < 0) {
		pki_fail(err, errlen, rc,
		    "yêu cầu chứng chỉ: chữ ký không hợp lệ",
		    "certificate request: invalid signature");
		goto out;
	}
	if (pki_load_ca(ca_key_pem, ca_cert_pem, &cakey, &cacrt, err,
	    errlen) == -1)
		goto out;
	ret = pki_make_crt(&client, NULL, pub, cacrt, cakey, cert_pem,
	    serial_hex, err, errlen);
out:
	if (cacrt != NULL)
		gnutls_x509_crt_deinit(cacrt);
	if (cakey != NULL)
		gnutls_x509_privkey_deinit(cakey);
	if (pub != NULL)
		gnutls_pubkey_deinit(pub);
	gnutls_x509_crq_deinit(crq);
	return ret;
}

int
pki_fingerprint(const char *cert_pem, char out[PKI_FPR_LEN], char *err,
    size_t errlen)
{
	gnutls_x509_crt_t crt;
	unsigned char md[32];
	size_t len = sizeof(md);
	int rc;

	out[0] = '\0';
	if (pki_load_crt(cert_pem, &crt, "chứng chỉ", "certificate", err,
	    errlen) == -1)
		return -1;
	rc = gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256, md, &len);
	gnutls_x509_crt_deinit(crt);
	if (rc < 0 || len != sizeof(md))
		return pki_fail(err, errlen, rc,
		    "không tính được dấu vân tay SHA-256",
		    "cannot compute the SHA-256 fingerprint");
	memcpy(out, "SHA256:", 7);
	pki_hex(md, sizeof(md), out + 7);
	return 0;
}

int
pki_fingerprint_parse(const char *in, char out[PKI_FPR_LEN])
{
	static const char digits[] = "0123456789abcdef";
	const char *p;
	size_t n = 0;
	int v;

	out[0] = '\0';
	if (in == NULL)
		return -1;
	while (*in == ' ' || *in == '\t')
		in++;
	if (strncasecmp(in, "SHA256:", 7) == 0)
		in += 7;
	memcpy(out, "SHA256:", 7);
	for (p = in; *p != '\0'; p++) {
		if (*p == ':')
			continue;
		if (*p >= '0' && *p <= '9')
			v = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			v = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			v = *p - 'A' + 10;
		else if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			/* Only trailing blanks. */
			while (*p == ' ' || *p == '\t' || *p == '\r' ||
			    *p == '\n')
				p++;
			if (*p != '\0')
				goto bad;
			break;
		} else
			goto bad;
		if (n == 64)
			goto bad;
		out[7 + n++] = digits[v];
	}
	if (n != 64)
		goto bad;
	out[7 + n] = '\0';
	return 0;
bad:
	out[0] = '\0';
	return -1;
}

int
pki_cert_info(const char *cert_pem, char cn[PKI_CN_MAX],
    char serial_hex[65], time_t *not_after, char *err, size_t errlen)
{
	gnutls_x509_crt_t crt;
	unsigned char serial[32];
	char buf[PKI_CN_MAX];
	size_t len;
	time_t t;
	int rc, ret = -1;

	if (cn != NULL)
		cn[0] = '\0';
	if (serial_hex != NULL)
		serial_hex[0] = '\0';
	if (pki_load_crt(cert_pem, &crt, "chứng chỉ", "certificate", err,
	    errlen) == -1)
		return -1;
	len = sizeof(buf);
	rc = gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0,
	    0, buf, &len);
	if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) {
		buf[0] = '\0';
	} else if (rc < 0 || len >= sizeof(buf) || strlen(buf) != len) {
		pki_fail(err, errlen, rc < 0 ? rc : 0,
		    "chứng chỉ: tên chung (CN) không đọc được hoặc quá dài",
		    "certificate: common name unreadable or too long");
		goto out;
	}
	len = sizeof(serial);
	if ((rc = gnutls_x509_crt_get_serial(crt, serial, &len)) < 0 ||
	    len == 0) {
		pki_fail(err, errlen, rc < 0 ? rc : 0,
		    "chứng chỉ: số sê-ri không đọc được hoặc dài hơn 32 byte",
		    "certificate: serial unreadable or longer than 32 bytes");
		goto out;
	}
	if ((t = gnutls_x509_crt_get_expiration_time(crt)) == (time_t)-1) {
		pki_fail(err, errlen, 0,
		    "chứng chỉ: không đọc được ngày hết hạn",
		    "certificate: cannot read the expiry date");
		goto out;
	}
	if (cn != NULL)
		memcpy(cn, buf, strlen(buf) + 1);
	if (serial_hex != NULL)
		pki_hex(serial, len, serial_hex);
	if (not_after != NULL)
		*not_after = t;
	ret = 0;
out:
	gnutls_x509_crt_deinit(crt);
	return ret;
}

/* now within [notBefore, notAfter] of crt. */
static int
pki_check_time(gnutls_x509_crt_t crt, time_t now, const char *vi,
    const char *en, char *err, size_t errlen)
{
	time_t from = gnutls_x509_crt_get_activation_time(crt);
	time_t until = gnutls_x509_crt_get_expiration_time(crt);
	char v[128], e[128];

	if (from == (time_t)-1 || until == (time_t)-1) {
		snprintf(v, sizeof(v), "%s: không đọc được thời hạn", vi);
		snprintf(e, sizeof(e), "%s: cannot read the validity", en);
		return pki_fail(err, errlen, 0, v, e);
	}
	if (now < from) {
		snprintf(v, sizeof(v), "%s: chưa có hiệu lực", vi);
		snprintf(e, sizeof(e), "%s: not yet valid", en);
		return pki_fail(err, errlen, 0, v, e);
	}
	if (now > until) {
		snprintf(v, sizeof(v), "%s: đã hết hạn", vi);
		snprintf(e, sizeof(e), "%s: expired", en);
		return pki_fail(err, errlen, 0, v, e);
	}
	return 0;
}

int
pki_verify(const char *ca_cert_pem, const char *cert_pem, time_t now,
    char *err, size_t errlen)
{
	gnutls_x509_crt_t ca = NULL, crt = NULL;
	gnutls_datum_t out = {NULL, 0};
	unsigned int status = 0, critical, isca = 0;
	const char *why;
	char v[512], e[512];
	int rc, ret = -1;

	if (pki_load_crt(ca_cert_pem, &ca, "chứng chỉ CA", "CA certificate",
	    err, errlen) == -1)
		return -1;
	if (pki_load_crt(cert_pem, &crt, "chứng chỉ", "certificate", err,
	    errlen) == -1)
		goto out;
	rc = gnutls_x509_crt_get_basic_constraints(crt, &critical, &isca,
	    NULL);
	if (rc >= 0 && isca) {
		pki_fail(err, errlen, 0,
		    "chứng chỉ là chứng chỉ của một CA, không phải chứng chỉ "
		    "CA đã cấp", "the certificate is a CA certificate, not one "
		    "the CA issued");
		goto out;
	}
	/* Time is checked below against the caller's now, not the clock. */
	rc = gnutls_x509_crt_verify(crt, &ca, 1,
	    GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
	    GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
	    GNUTLS_VERIFY_DO_NOT_ALLOW_SAME, &status);
	if (rc < 0) {
		pki_fail(err, errlen, rc, "không kiểm tra được chứng chỉ",
		    "cannot verify the certificate");
		goto out;
	}
	if (status != 0) {
		/* GnuTLS explains the status in English only. */
		rc = gnutls_certificate_verification_status_print(status,
		    GNUTLS_CRT_X509, &out, 0);
		why = rc >= 0 && out.data != NULL ?
		    text_trim((char *)out.data) : "?";
		snprintf(v, sizeof(v), "chứng chỉ không do CA này cấp hoặc "
		    "không hợp lệ (%s)", why);
		snprintf(e, sizeof(e), "the certificate was not issued by this "
		    "CA or is invalid (%s)", why);
		gnutls_free(out.data);
		pki_fail(err, errlen, 0, v, e);
		goto out;
	}
	if (pki_check_time(ca, now, "chứng chỉ CA", "CA certificate", err,
	    errlen) == -1 || pki_check_time(crt, now, "chứng chỉ",
	    "certificate", err, errlen) == -1)
		goto out;
	ret = 0;
out:
	if (crt != NULL)
		gnutls_x509_crt_deinit(crt);
	gnutls_x509_crt_deinit(ca);
	return ret;
}
