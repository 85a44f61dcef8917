/*
 * pki.h — the ward's private certificate authority, with GnuTLS.
 *
 * canhgac init makes a CA (ECDSA P-256, 10 years) and the server's TLS
 * certificate; an agent makes its own key and a certificate request at
 * enrolment (its private key never leaves the computer); the server signs
 * the request after the agent showed a valid one-time token, with the
 * agent's id as the common name, for TLS client authentication only.
 * Everything is PEM text in memory; callers write files (file_write_atomic,
 * mode 0600 for keys). Library code: no logging; -1 and a bilingual err
 * "<vi> — <en>" on failure.
 */
#ifndef CG_PKI_H
#define CG_PKI_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define PKI_FPR_LEN 72		/* "SHA256:" + 64 hex + NUL */
#define PKI_CN_MAX 128

/* A new CA: key and self-signed certificate (CA:TRUE, keyCertSign, cRLSign),
 * subject CN=cn, O="Canh Gác". Strings are malloc'd. */
int pki_ca_create(const char *cn, int days, char **key_pem, char **cert_pem,
    char *err, size_t errlen);

/* A server certificate signed by the CA, valid for every name in names
 * (each a DNS name or an IPv4/IPv6 address: IP SANs for addresses), with
 * serverAuth. CN is names[0]. */
int pki_server_cert(const char *ca_key_pem, const char *ca_cert_pem,
    const char *const *names, size_t nnames, int days, char **key_pem,
    char **cert_pem, char *err, size_t errlen);

/* An agent's key and a certificate request (CN=cn), signed by the key. */
int pki_csr_create(const char *cn, char **key_pem, char **csr_pem, char *err,
    size_t errlen);

/* Signs a request: checks the request's own signature, ignores its subject
 * and extensions, and issues CN=agent_id, clientAuth only, with a random
 * 128-bit serial, written as hex to serial_hex (33 bytes). Refuses keys
 * other than ECDSA P-256/P-384, Ed25519 or RSA >= 2048 bits. */
int pki_issue_client(const char *ca_key_pem, const char *ca_cert_pem,
    const char *csr_pem, const char *agent_id, int days, char **cert_pem,
    char serial_hex[33], char *err, size_t errlen);

/* "SHA256:" and 64 lowercase hex digits of the DER certificate. */
int pki_fingerprint(const char *cert_pem, char out[PKI_FPR_LEN], char *err,
    size_t errlen);

/* Normalises a fingerprint a person typed ("SHA256:" optional, colons and
 * case ignored) to the form above; -1 when it is not 64 hex digits. */
int pki_fingerprint_parse(const char *in, char out[PKI_FPR_LEN]);

/* Common name, serial (hex) and expiry of a certificate. */
int pki_cert_info(const char *cert_pem, char cn[PKI_CN_MAX],
    char serial_hex[65], time_t *not_after, char *err, size_t errlen);

/* Verifies cert_pem was issued by ca_cert_pem and is valid at now. */
int pki_verify(const char *ca_cert_pem, const char *cert_pem, time_t now,
    char *err, size_t errlen);

#endif
