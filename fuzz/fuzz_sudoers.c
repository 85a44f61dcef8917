/*
 * fuzz_sudoers.c — libFuzzer harness of the sudoers parser of
 * collect_auth.c: any bytes through collect_auth_parse_sudoers(), then
 * every user name checked against the rules and aliases it produced
 * (alias expansion is bounded). Must never crash, hang or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/acct.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *rules = json_array(), *aliases = json_object();
	json_t *inc = json_array(), *groups, *gids;
	int line, r;

	r = collect_auth_parse_sudoers((const char *)data, size, "sudoers",
	    rules, aliases, inc, &line);
	if (r < 0 && line <= 0)
		abort();
	groups = json_pack("[s, s]", "wheel", "sudo");
	gids = json_pack("[i]", 27);
	(void)collect_auth_sudo_names(rules, aliases, "alice", 1000, groups,
	    gids);
	(void)collect_auth_sudo_names(rules, aliases, "ADMINS", 0, groups,
	    gids);
	json_decref(groups);
	json_decref(gids);
	json_decref(rules);
	json_decref(aliases);
	json_decref(inc);
	return 0;
}
