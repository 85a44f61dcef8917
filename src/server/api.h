/*
 * api.h — the agent API of docs/api.md over http.h: the CA certificate,
 * enrolment against a one-time token, batch upload (authenticated by the
 * agent's client certificate, rate-limited, validated, stored once,
 * acknowledged after the commit), the agent's own record, and /metrics.
 */
#ifndef CG_API_H
#define CG_API_H

#include <stddef.h>

#include "server/http.h"
#include "server/serverconf.h"
#include "server/store.h"

#define CANHGACD_VERSION "0.1.0"

struct api;

/* The handlers' shared state. ca_pem and ca_key_pem are copied; sc and st
 * must outlive the api. NULL with err on failure. */
struct api *api_new(const struct serverconf *sc, struct store *st,
    const char *ca_pem, const char *ca_key_pem, char *err, size_t errlen);
void api_free(struct api *a);

/* The route table for http_server_start (lives as long as a). */
const struct http_route *api_routes(struct api *a, size_t *nroutes);

#endif
