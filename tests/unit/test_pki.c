/*
 * test_pki.c — the ward's certificate authority (pki.c): a CA, the server's
 * certificate, an agent's request signed into a client certificate, and the
 * attacks on them: tampered and weak requests, certificates from another
 * CA with the same name, requests asking for more than they get, and
 * garbage where PEM should be.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "lib/pki.h"

#define CA_NAME "Canh Gác CA phường Thái Hòa"
#define AGENT_ID "3f2a9c0d5e6b7a8190a1b2c3d4e5f607"

struct ca {
	char *key;
	char *cert;
};

static void
ca_make(struct ca *ca)
{
	char err[512];

	assert_int_equal(pki_ca_create(CA_NAME, 3650, &ca->key, &ca->cert,
	    err, sizeof(err)), 0);
	assert_non_null(ca->key);
	assert_non_null(ca->cert);
}

static void
ca_free(struct ca *ca)
{
	free(ca->key);
	free(ca->cert);
}

static gnutls_x509_crt_t
crt_load(const char *pem)
{
	gnutls_x509_crt_t crt;
	gnutls_datum_t d = {(unsigned char *)(uintptr_t)pem,
	    (unsigned int)strlen(pem)};

	assert_int_equal(gnutls_x509_crt_init(&crt), 0);
	assert_int_equal(gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM),
	    0);
	return crt;
}

/* A failure left a bilingual message: "<vi> — <en>". */
static void
assert_err(const char *err)
{
	assert_non_null(strstr(err, " — "));
}

/* Only the key purposes listed, in any order. */
static void
assert_purposes(gnutls_x509_crt_t crt, const char *const *want, size_t n)
{
	char oid[128];
	size_t len, i, found = 0;
	unsigned int critical;
	int idx, rc;

	for (idx = 0;; idx++) {
		len = sizeof(oid);
		rc = gnutls_x509_crt_get_key_purpose_oid(crt, idx, oid, &len,
		    &critical);
		if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		assert_int_equal(rc, 0);
		for (i = 0; i < n; i++)
			if (strcmp(oid, want[i]) == 0)
				break;
		assert_true(i < n);
		found++;
	}
	assert_int_equal(found, n);
}

/* A certificate for an end entity (server or agent): not a CA, a
 * signature key, and only the key purpose asked for. */
static void
assert_leaf(gnutls_x509_crt_t crt, const char *purpose)
{
	unsigned int critical, isca = 1, usage = 0;

	assert_purposes(crt, &purpose, 1);
	assert_int_equal(gnutls_x509_crt_get_basic_constraints(crt, &critical,
	    &isca, NULL), 0);
	assert_false(isca);
	assert_int_equal(gnutls_x509_crt_get_key_usage(crt, &usage, &critical),
	    0);
	assert_int_equal(usage, GNUTLS_KEY_DIGITAL_SIGNATURE);
}

/* A request in PEM made with GnuTLS directly, so the test controls the key
 * and what the request asks for. */
static char *
csr_with(gnutls_pk_algorithm_t pk, unsigned int bits, bool ask_ca)
{
	gnutls_x509_privkey_t key;
	gnutls_x509_crq_t crq;
	gnutls_datum_t d;
	char *pem;

	assert_int_equal(gnutls_x509_privkey_init(&key), 0);
	assert_int_equal(gnutls_x509_privkey_generate(key, pk, bits, 0), 0);
	assert_int_equal(gnutls_x509_crq_init(&crq), 0);
	assert_int_equal(gnutls_x509_crq_set_version(crq, 1), 0);
	assert_int_equal(gnutls_x509_crq_set_dn_by_oid(crq,
	    GNUTLS_OID_X520_COMMON_NAME, 0, "ke-gian", 7), 0);
	assert_int_equal(gnutls_x509_crq_set_key(crq, key), 0);
	if (ask_ca) {
		assert_int_equal(gnutls_x509_crq_set_basic_constraints(crq, 1,
		    -1), 0);
		assert_int_equal(gnutls_x509_crq_set_key_usage(crq,
		    GNUTLS_KEY_KEY_CERT_SIGN), 0);
		assert_int_equal(gnutls_x509_crq_set_key_purpose_oid(crq,
		    GNUTLS_KP_TLS_WWW_SERVER, 0), 0);
		assert_int_equal(gnutls_x509_crq_set_subject_alt_name(crq,
		    GNUTLS_SAN_DNSNAME, "canhgac.example", 15,
		    GNUTLS_FSAN_APPEND), 0);
	}
	/* The digest GnuTLS finds right for the key (SHA-384 for P-384). */
	assert_int_equal(gnutls_x509_crq_sign2(crq, key, 0, 0), 0);
	assert_int_equal(gnutls_x509_crq_export2(crq, GNUTLS_X509_FMT_PEM, &d),
	    0);
	pem = strndup((char *)d.data, d.size);
	assert_non_null(pem);
	gnutls_free(d.data);
	gnutls_x509_crq_deinit(crq);
	gnutls_x509_privkey_deinit(key);
	return pem;
}

/* The request with one byte flipped at off (negative: from the end of the
 * DER), PEM again. */
static char *
csr_flip(const char *pem, long off)
{
	gnutls_datum_t in = {(unsigned char *)(uintptr_t)pem,
	    (unsigned int)strlen(pem)};
	gnutls_datum_t der, out;
	char *res;

	assert_int_equal(gnutls_pem_base64_decode2("CERTIFICATE REQUEST", &in,
	    &der), 0);
	if (off < 0)
		off += der.size;
	assert_true(off >= 0 && off < (long)der.size);
	der.data[off] ^= 0x01;
	assert_int_equal(gnutls_pem_base64_encode2("CERTIFICATE REQUEST", &der,
	    &out), 0);
	res = strndup((char *)out.data, out.size);
	assert_non_null(res);
	gnutls_free(der.data);
	gnutls_free(out.data);
	return res;
}

static void
test_ca(void **state)
{
	struct ca ca, other;
	char fpr[PKI_FPR_LEN], fpr2[PKI_FPR_LEN], fpr3[PKI_FPR_LEN], err[512];
	char cn[PKI_CN_MAX], serial[65], buf[256];
	gnutls_x509_crt_t crt;
	unsigned int critical, isca, usage;
	size_t len, i;
	time_t not_after;
	int pathlen;

	(void)state;
	ca_make(&ca);
	ca_make(&other);
	assert_non_null(strstr(ca.key, "-----BEGIN PRIVATE KEY-----"));
	assert_non_null(strstr(ca.cert, "-----BEGIN CERTIFICATE-----"));

	/* Fingerprint: well-formed, stable, and different for another CA. */
	assert_int_equal(pki_fingerprint(ca.cert, fpr, err, sizeof(err)), 0);
	assert_int_equal(strlen(fpr), PKI_FPR_LEN - 1);
	assert_memory_equal(fpr, "SHA256:", 7);
	for (i = 7; fpr[i] != '\0'; i++)
		assert_non_null(strchr("0123456789abcdef", fpr[i]));
	assert_int_equal(pki_fingerprint(ca.cert, fpr2, err, sizeof(err)), 0);
	assert_string_equal(fpr, fpr2);
	assert_int_equal(pki_fingerprint_parse(fpr, fpr2), 0);
	assert_string_equal(fpr, fpr2);
	assert_int_equal(pki_fingerprint(other.cert, fpr3, err, sizeof(err)),
	    0);
	assert_string_not_equal(fpr, fpr3);

	/* What the certificate says. */
	assert_int_equal(pki_cert_info(ca.cert, cn, serial, &not_after, err,
	    sizeof(err)), 0);
	assert_string_equal(cn, CA_NAME);
	assert_int_equal(strlen(serial), 32);
	crt = crt_load(ca.cert);
	assert_int_equal(gnutls_x509_crt_get_version(crt), 3);
	assert_int_equal(gnutls_x509_crt_get_basic_constraints(crt, &critical,
	    &isca, &pathlen), 1);
	assert_true(critical);
	assert_true(isca);
	assert_int_equal(gnutls_x509_crt_get_key_usage(crt, &usage, &critical),
	    0);
	assert_int_equal(usage, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN);
	assert_true(critical);
	len = sizeof(buf);
	assert_int_equal(gnutls_x509_crt_get_subject_key_id(crt, buf, &len,
	    &critical), 0);
	assert_true(len > 0);
	len = sizeof(buf);
	assert_int_equal(gnutls_x509_crt_get_dn_by_oid(crt,
	    GNUTLS_OID_X520_ORGANIZATION_NAME, 0, 0, buf, &len), 0);
	assert_string_equal(buf, "Canh Gác");
	assert_int_equal(gnutls_x509_crt_get_signature_algorithm(crt),
	    GNUTLS_SIGN_ECDSA_SHA256);
	assert_int_equal(gnutls_x509_crt_get_pk_algorithm(crt, NULL),
	    GNUTLS_PK_ECDSA);
	/* Valid from five minutes before it was made, for ten years. */
	assert_int_equal(not_after - gnutls_x509_crt_get_activation_time(crt),
	    3650L * 86400 + 300);
	/* Self-signed and verifiable as its own issuer. */
	assert_int_equal(gnutls_x509_crt_check_issuer(crt, crt), 1);
	gnutls_x509_crt_deinit(crt);

	/* Bad arguments. */
	ca_free(&other);
	err[0] = '\0';
	assert_int_equal(pki_ca_create("", 3650, &other.key, &other.cert, err,
	    sizeof(err)), -1);
	assert_err(err);
	assert_null(other.key);
	err[0] = '\0';
	assert_int_equal(pki_ca_create("CA", 0, &other.key, &other.cert, err,
	    sizeof(err)), -1);
	assert_err(err);
	assert_int_equal(pki_ca_create("CA\nX", 10, &other.key, &other.cert,
	    err, sizeof(err)), -1);
	assert_int_equal(pki_ca_create(CA_NAME, 36501, &other.key, &other.cert,
	    err, sizeof(err)), -1);
	ca_free(&ca);
}

static void
test_server_cert(void **state)
{
	static const char *const names[] = {"127.0.0.1", "::1", "localhost",
	    "canhgac.thaihoa.gov.vn"};
	struct ca ca, other;
	char *key, *cert, err[512], cn[PKI_CN_MAX], buf[64], buf2[64];
	gnutls_x509_crt_t crt, cacrt;
	unsigned int critical;
	unsigned char v4[4] = {127, 0, 0, 1}, v6[16] = {0};
	time_t not_after;
	size_t len, len2;

	(void)state;
	ca_make(&ca);
	assert_int_equal(pki_server_cert(ca.key, ca.cert, names, 4, 825, &key,
	    &cert, err, sizeof(err)), 0);
	assert_non_null(strstr(key, "-----BEGIN PRIVATE KEY-----"));
	assert_int_equal(pki_verify(ca.cert, cert, time(NULL), err,
	    sizeof(err)), 0);
	assert_int_equal(pki_cert_info(cert, cn, NULL, &not_after, err,
	    sizeof(err)), 0);
	assert_string_equal(cn, "127.0.0.1");

	crt = crt_load(cert);
	cacrt = crt_load(ca.cert);
	assert_true(gnutls_x509_crt_check_hostname(crt, "127.0.0.1"));
	assert_true(gnutls_x509_crt_check_hostname(crt, "::1"));
	assert_true(gnutls_x509_crt_check_hostname(crt, "localhost"));
	assert_true(gnutls_x509_crt_check_hostname(crt,
	    "canhgac.thaihoa.gov.vn"));
	assert_false(gnutls_x509_crt_check_hostname(crt, "127.0.0.2"));
	assert_false(gnutls_x509_crt_check_hostname(crt, "evil.example"));
	v6[15] = 1;
	assert_true(gnutls_x509_crt_check_ip(crt, v4, 4, 0));
	assert_true(gnutls_x509_crt_check_ip(crt, v6, 16, 0));
	assert_leaf(crt, GNUTLS_KP_TLS_WWW_SERVER);
	/* The authority key id is the CA's subject key id. */
	len = sizeof(buf);
	assert_int_equal(gnutls_x509_crt_get_authority_key_id(crt, buf, &len,
	    &critical), 0);
	len2 = sizeof(buf2);
	assert_int_equal(gnutls_x509_crt_get_subject_key_id(cacrt, buf2, &len2,
	    &critical), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(buf, buf2, len);
	assert_int_equal(not_after - gnutls_x509_crt_get_activation_time(crt),
	    825L * 86400 + 300);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_crt_deinit(cacrt);
	free(key);
	free(cert);

	/* Names that are neither addresses nor DNS names. */
	{
		static const char *const bad1[] = {"localhost", "bad name"};
		static const char *const bad2[] = {"a..b"};
		static const char *const bad3[] = {"", "x"};
		static const char *const bad4[] = {"x", "evil\n.example"};

		err[0] = '\0';
		assert_int_equal(pki_server_cert(ca.key, ca.cert, bad1, 2, 825,
		    &key, &cert, err, sizeof(err)), -1);
		assert_err(err);
		assert_non_null(strstr(err, "bad name"));
		assert_null(key);
		assert_null(cert);
		assert_int_equal(pki_server_cert(ca.key, ca.cert, bad2, 1, 825,
		    &key, &cert, err, sizeof(err)), -1);
		assert_int_equal(pki_server_cert(ca.key, ca.cert, bad3, 2, 825,
		    &key, &cert, err, sizeof(err)), -1);
		assert_int_equal(pki_server_cert(ca.key, ca.cert, bad4, 2, 825,
		    &key, &cert, err, sizeof(err)), -1);
		assert_int_equal(pki_server_cert(ca.key, ca.cert, names, 0, 825,
		    &key, &cert, err, sizeof(err)), -1);
	}

	/* Another CA's key with this CA's certificate. */
	ca_make(&other);
	err[0] = '\0';
	assert_int_equal(pki_server_cert(other.key, ca.cert, names, 1, 825,
	    &key, &cert, err, sizeof(err)), -1);
	assert_err(err);
	assert_null(cert);
	/* A server certificate passed off as a CA. */
	assert_int_equal(pki_server_cert(ca.key, ca.cert, names, 1, 825, &key,
	    &cert, err, sizeof(err)), 0);
	{
		char *key2 = NULL, *cert2 = NULL;

		err[0] = '\0';
		assert_int_equal(pki_server_cert(key, cert, names, 1, 825,
		    &key2, &cert2, err, sizeof(err)), -1);
		assert_err(err);
		assert_null(cert2);
	}
	free(key);
	free(cert);
	ca_free(&other);
	ca_free(&ca);
}

static void
test_client(void **state)
{
	struct ca ca;
	char *key, *csr, *cert, *cert2, err[512], serial[33], serial2[33];
	char cn[PKI_CN_MAX], info_serial[65];
	gnutls_x509_crt_t crt;
	unsigned int critical;
	char san[256];
	size_t len;
	time_t not_after, from;

	(void)state;
	ca_make(&ca);
	assert_int_equal(pki_csr_create("may-tram-01", &key, &csr, err,
	    sizeof(err)), 0);
	assert_non_null(strstr(key, "-----BEGIN PRIVATE KEY-----"));
	assert_non_null(strstr(csr, "-----BEGIN CERTIFICATE REQUEST-----"));
	assert_int_equal(pki_issue_client(ca.key, ca.cert, csr, AGENT_ID, 365,
	    &cert, serial, err, sizeof(err)), 0);
	assert_int_equal(strlen(serial), 32);
	assert_int_equal(pki_verify(ca.cert, cert, time(NULL), err,
	    sizeof(err)), 0);
	assert_int_equal(pki_cert_info(cert, cn, info_serial, &not_after, err,
	    sizeof(err)), 0);
	/* The CN is the agent id the server chose, not what was asked. */
	assert_string_equal(cn, AGENT_ID);
	assert_string_equal(info_serial, serial);

	crt = crt_load(cert);
	assert_leaf(crt, GNUTLS_KP_TLS_WWW_CLIENT);
	from = gnutls_x509_crt_get_activation_time(crt);
	assert_int_equal(not_after - from, 365L * 86400 + 300);
	gnutls_x509_crt_deinit(crt);

	/* Valid only within its dates, as seen at the time the caller gives. */
	assert_int_equal(pki_verify(ca.cert, cert, from, err, sizeof(err)), 0);
	assert_int_equal(pki_verify(ca.cert, cert, not_after, err,
	    sizeof(err)), 0);
	err[0] = '\0';
	assert_int_equal(pki_verify(ca.cert, cert, not_after + 1, err,
	    sizeof(err)), -1);
	assert_err(err);
	assert_non_null(strstr(err, "expired"));
	assert_int_equal(pki_verify(ca.cert, cert, from - 1, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "not yet valid"));

	/* Each issue draws a new serial. */
	assert_int_equal(pki_issue_client(ca.key, ca.cert, csr, AGENT_ID, 365,
	    &cert2, serial2, err, sizeof(err)), 0);
	assert_string_not_equal(serial, serial2);
	free(cert2);
	free(cert);
	free(key);
	free(csr);

	/* A request asking to be a CA and a server gets a client cert. */
	csr = csr_with(GNUTLS_PK_ECDSA,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), true);
	assert_int_equal(pki_issue_client(ca.key, ca.cert, csr, AGENT_ID, 30,
	    &cert, serial, err, sizeof(err)), 0);
	crt = crt_load(cert);
	assert_leaf(crt, GNUTLS_KP_TLS_WWW_CLIENT);
	len = sizeof(san);
	assert_int_equal(gnutls_x509_crt_get_subject_alt_name(crt, 0, san,
	    &len, &critical), GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
	assert_int_equal(pki_cert_info(cert, cn, NULL, NULL, err, sizeof(err)),
	    0);
	assert_string_equal(cn, AGENT_ID);
	gnutls_x509_crt_deinit(crt);
	free(cert);

	/* A bad agent id is refused. */
	err[0] = '\0';
	assert_int_equal(pki_issue_client(ca.key, ca.cert, csr, "a,CN=x", 30,
	    &cert, serial, err, sizeof(err)), -1);
	assert_err(err);
	assert_null(cert);
	assert_int_equal(pki_issue_client(ca.key, ca.cert, csr, "", 30, &cert,
	    serial, err, sizeof(err)), -1);
	assert_int_equal(pki_issue_client(ca.key, ca.cert, csr, AGENT_ID, 0,
	    &cert, serial, err, sizeof(err)), -1);
	free(csr);
	ca_free(&ca);
}

static void
test_key_types(void **state)
{
	struct ca ca;
	char *csr, *cert, err[512], serial[33];

	(void)state;
	ca_make(&ca);
	/* Accepted: P-384, Ed25519, RSA 2048. */
	csr = csr_with(GNUTLS_PK_ECDSA,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP384R1), false);
	assert_int_equal(pki_issue_client(ca.key, ca.cert, csr, AGENT_ID, 30,
	    &cert, serial, err, sizeof(err)), 0);
	assert_int_equal(pki_verify(ca.cert, cert, time(NULL), err,
	    sizeof(err)), 0);
	free(cert);
	free(csr);
	csr = csr_with(GNUTLS_PK_EDDSA_ED25519, 0, false);
	assert_int_equal(pki_issue_client(ca.key, ca.cert, csr, AGENT_ID, 30,
	    &cert, serial, err, sizeof(err)), 0);
	free(cert);
	free(csr);
	csr = csr_with(GNUTLS_PK_RSA, 2048, false);
	assert_int_equal(pki_issue_client(ca.key, ca.cert, csr, AGENT_ID, 30,
	    &cert, serial, err, sizeof(err)), 0);
	free(cert);
	free(csr);

	/* Refused: RSA 1024, P-521. */
	csr = csr_with(GNUTLS_PK_RSA, 1024, false);
	err[0] = '\0';
	assert_int_equal(pki_issue_client(ca.key, ca.cert, csr, AGENT_ID, 30,
	    &cert, serial, err, sizeof(err)), -1);
	assert_err(err);
	assert_non_null(strstr(err, "1024"));
	assert_null(cert);
	free(csr);
	csr = csr_with(GNUTLS_PK_ECDSA,
	    GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP521R1), false);
	err[0] = '\0';
	assert_int_equal(pki_issue_client(ca.key, ca.cert, csr, AGENT_ID, 30,
	    &cert, serial, err, sizeof(err)), -1);
	assert_err(err);
	assert_null(cert);
	free(csr);
	ca_free(&ca);
}

static void
test_tampered_csr(void **state)
{
	struct ca ca;
	char *key, *csr, *bad, *cert, err[512], serial[33];

	(void)state;
	ca_make(&ca);
	assert_int_equal(pki_csr_create("may-tram-01", &key, &csr, err,
	    sizeof(err)), 0);
	/* A byte of the signature flipped. */
	bad = csr_flip(csr, -1);
	err[0] = '\0';
	assert_int_equal(pki_issue_client(ca.key, ca.cert, bad, AGENT_ID, 30,
	    &cert, serial, err, sizeof(err)), -1);
	assert_err(err);
	assert_non_null(strstr(err, "signature"));
	assert_null(cert);
	free(bad);
	/* A byte of the signed part flipped: the subject's last byte ('1')
	 * sits just before the public key; find it in the DER. */
	{
		gnutls_datum_t in = {(unsigned char *)csr,
		    (unsigned int)strlen(csr)}, der;
		size_t off;

		assert_int_equal(gnutls_pem_base64_decode2(
		    "CERTIFICATE REQUEST", &in, &der), 0);
		for (off = 0; off + 11 <= der.size; off++)
			if (memcmp(der.data + off, "may-tram-01", 11) == 0)
				break;
		assert_true(off + 11 <= der.size);
		bad = csr_flip(csr, (long)off + 10);
		gnutls_free(der.data);
	}
	err[0] = '\0';
	assert_int_equal(pki_issue_client(ca.key, ca.cert, bad, AGENT_ID, 30,
	    &cert, serial, err, sizeof(err)), -1);
	assert_err(err);
	assert_null(cert);
	free(bad);
	free(key);
	free(csr);
	ca_free(&ca);
}

static void
test_other_ca(void **state)
{
	struct ca ca, rogue;
	char *key, *csr, *cert, *rcert, err[512], serial[33];

	(void)state;
	/* Same name, different key: the rogue CA an attacker would make. */
	ca_make(&ca);
	ca_make(&rogue);
	assert_int_equal(pki_csr_create("x", &key, &csr, err, sizeof(err)), 0);
	assert_int_equal(pki_issue_client(ca.key, ca.cert, csr, AGENT_ID, 30,
	    &cert, serial, err, sizeof(err)), 0);
	assert_int_equal(pki_issue_client(rogue.key, rogue.cert, csr, AGENT_ID,
	    30, &rcert, serial, err, sizeof(err)), 0);

	assert_int_equal(pki_verify(ca.cert, cert, time(NULL), err,
	    sizeof(err)), 0);
	/* A certificate of another CA presented to ours. */
	err[0] = '\0';
	assert_int_equal(pki_verify(ca.cert, rcert, time(NULL), err,
	    sizeof(err)), -1);
	assert_err(err);
	/* Ours presented against another CA. */
	err[0] = '\0';
	assert_int_equal(pki_verify(rogue.cert, cert, time(NULL), err,
	    sizeof(err)), -1);
	assert_err(err);
	free(rcert);
	/* The CA's own certificate is not a certificate it issued. */
	err[0] = '\0';
	assert_int_equal(pki_verify(ca.cert, ca.cert, time(NULL), err,
	    sizeof(err)), -1);
	assert_err(err);
	/* A CA key with another CA's certificate signs nothing. */
	err[0] = '\0';
	assert_int_equal(pki_issue_client(rogue.key, ca.cert, csr, AGENT_ID,
	    30, &rcert, serial, err, sizeof(err)), -1);
	assert_err(err);
	assert_null(rcert);
	free(cert);
	free(key);
	free(csr);
	ca_free(&ca);
	ca_free(&rogue);
}

static void
test_garbage(void **state)
{
	static const char garbage[] = "-----BEGIN CERTIFICATE-----\n"
	                              "bm90IGEgY2VydGlmaWNhdGU=\n"
	                              "-----END CERTIFICATE-----\n";
	const char *inputs[6];
	struct ca ca;
	char *key, *skey, *csr, *cert, *half, *halfcsr, *big, err[512];
	char fpr[PKI_FPR_LEN], cn[PKI_CN_MAX], serial[65], serial33[33];
	time_t t;
	size_t i;

	(void)state;
	ca_make(&ca);
	assert_int_equal(pki_csr_create("x", &key, &csr, err, sizeof(err)), 0);
	half = strndup(ca.cert, strlen(ca.cert) / 2);
	halfcsr = strndup(csr, strlen(csr) / 2);
	big = malloc(100 * 1024);
	assert_non_null(half);
	assert_non_null(halfcsr);
	assert_non_null(big);
	memset(big, 'A', 100 * 1024 - 1);
	big[100 * 1024 - 1] = '\0';
	inputs[0] = garbage;
	inputs[1] = "";
	inputs[2] = half;
	inputs[3] = big;
	inputs[4] = "\xff\xfe\x00";
	inputs[5] = NULL;
	for (i = 0; i < 6; i++) {
		const char *in = inputs[i];

		err[0] = '\0';
		assert_int_equal(pki_fingerprint(in, fpr, err, sizeof(err)),
		    -1);
		assert_err(err);
		assert_string_equal(fpr, "");
		assert_int_equal(pki_cert_info(in, cn, serial, &t, err,
		    sizeof(err)), -1);
		assert_int_equal(pki_verify(ca.cert, in, time(NULL), err,
		    sizeof(err)), -1);
		assert_int_equal(pki_verify(in, ca.cert, time(NULL), err,
		    sizeof(err)), -1);
		assert_int_equal(pki_issue_client(ca.key, ca.cert,
		    i == 2 ? halfcsr : in, AGENT_ID, 30, &cert, serial33, err,
		    sizeof(err)), -1);
		assert_null(cert);
		assert_int_equal(pki_issue_client(in, ca.cert, csr, AGENT_ID,
		    30, &cert, serial33, err, sizeof(err)), -1);
		assert_int_equal(pki_issue_client(ca.key, in, csr, AGENT_ID,
		    30, &cert, serial33, err, sizeof(err)), -1);
		err[0] = '\0';
		assert_int_equal(pki_server_cert(in, ca.cert,
		    (const char *const[]){"localhost"}, 1, 30, &skey, &cert,
		    err, sizeof(err)), -1);
		assert_err(err);
		assert_null(skey);
	}
	free(key);
	/* A certificate where a request is expected. */
	assert_int_equal(pki_issue_client(ca.key, ca.cert, ca.cert, AGENT_ID,
	    30, &cert, serial33, err, sizeof(err)), -1);
	/* A tiny error buffer is never overrun. */
	assert_int_equal(pki_fingerprint(garbage, fpr, err, 4), -1);
	assert_int_equal(strlen(err), 3);
	assert_int_equal(pki_fingerprint(garbage, fpr, NULL, 0), -1);
	free(half);
	free(halfcsr);
	free(big);
	free(csr);
	ca_free(&ca);
}

static void
test_fingerprint_parse(void **state)
{
	static const char want[] = "SHA256:"
	    "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";
	static const char colons[] = "SHA256:AB:CD:EF:01:23:45:67:89:AB:CD:EF:"
	    "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
	char out[PKI_FPR_LEN];

	(void)state;
	assert_int_equal(pki_fingerprint_parse(colons, out), 0);
	assert_string_equal(out, want);
	assert_int_equal(pki_fingerprint_parse(want + 7, out), 0);
	assert_string_equal(out, want);
	assert_int_equal(pki_fingerprint_parse("sha256:"
	    "ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789",
	    out), 0);
	assert_string_equal(out, want);
	assert_int_equal(pki_fingerprint_parse(" SHA256:"
	    "ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789"
	    "\n", out), 0);
	assert_string_equal(out, want);

	/* 63 and 65 digits, a non-hex digit, nothing, other digests. */
	assert_int_equal(pki_fingerprint_parse("SHA256:"
	    "bcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
	    out), -1);
	assert_string_equal(out, "");
	assert_int_equal(pki_fingerprint_parse("SHA256:"
	    "abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567890",
	    out), -1);
	assert_int_equal(pki_fingerprint_parse("SHA256:"
	    "gbcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
	    out), -1);
	assert_int_equal(pki_fingerprint_parse("SHA256:"
	    "abcdef0123456789abcdef0123456789 abcdef0123456789abcdef0123456789",
	    out), -1);
	assert_int_equal(pki_fingerprint_parse("SHA1:"
	    "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
	    out), -1);
	assert_int_equal(pki_fingerprint_parse("", out), -1);
	assert_int_equal(pki_fingerprint_parse("SHA256:", out), -1);
	assert_int_equal(pki_fingerprint_parse(NULL, out), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ca),
		cmocka_unit_test(test_server_cert),
		cmocka_unit_test(test_client),
		cmocka_unit_test(test_key_types),
		cmocka_unit_test(test_tampered_csr),
		cmocka_unit_test(test_other_ca),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_fingerprint_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
