/*
 * collectors.c — the table of collectors, in the order they run, and
 * collect_all(). Kept apart from collect.c so that one collector can be
 * built and tested alone (make dev-test).
 */
#include <string.h>

#include "agent/collect.h"

const struct collector collectors[] = {
	{"system", collect_system},
	{"sysctl", collect_sysctl},
	{"packages", collect_packages},
	{"services", collect_services},
	{"sockets", collect_sockets},
	{"timelog", collect_timelog},
	{"desktop", collect_desktop},
	{"accounts", collect_accounts},
	{"auth", collect_auth},
	{"screenlock", collect_screenlock},
	{"ssh", collect_ssh},
	{"firewall", collect_firewall},
	{"av", collect_av},
	{"usb", collect_usb},
	{"wifi", collect_wifi},
	{"mail", collect_mail},
	{"software", collect_software},
	{"documents", collect_documents},
	{"network", collect_network},	/* last: waits for the probe */
	{NULL, NULL},
};

static int
collect_wanted(const char *only, const char *name)
{
	size_t n = strlen(name);
	const char *p = only;

	if (only == NULL)
		return 1;
	while ((p = strstr(p, name)) != NULL) {
		if ((p == only || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return 1;
		p += n;
	}
	return 0;
}

void
collect_all(struct collect_ctx *ctx, const char *only)
{
	const struct collector *c;

	json_object_set_new(ctx->facts, "schema", json_integer(1));
	if (collect_wanted(only, "network"))
		collect_network_probe_start(ctx);
	for (c = collectors; c->name != NULL; c++)
		if (collect_wanted(only, c->name))
			c->run(ctx);
	collect_network_probe_wait(ctx);
}
