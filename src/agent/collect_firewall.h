/*
 * collect_firewall.h — the parsers of the firewall collector that tests
 * and fuzzers call directly: the nft configuration language (enough of
 * it to find filter chains, their hooks, policies and rules) and the JSON
 * ruleset libnftables prints. See collect_firewall.c.
 */
#ifndef CG_COLLECT_FIREWALL_H
#define CG_COLLECT_FIREWALL_H

#include <stdbool.h>
#include <stddef.h>

#define FW_MAX_CHAINS 512	/* chains kept over all files */
#define FW_MAX_INCLUDES 64	/* include statements kept */
#define FW_MAX_DEPTH 16		/* nesting of { } */
#define FW_MAX_TOKENS 4096	/* tokens of one statement */

struct fw_chain {
	char *family, *table, *name;
	bool filter;		/* "type filter" (or a regular chain) */
	bool base;		/* has a hook */
	bool input;		/* hook input */
	char policy[8];		/* "accept", "drop", "" unset */
	int rules;
	bool drops;		/* a rule drops or rejects */
	char final[8];		/* "drop"/"reject": an unconditional verdict */
};

/* What the nft files say, accumulated over a file and its includes. */
struct fw_nft {
	struct fw_chain *chains;
	size_t nchains;
	char **includes;	/* include arguments, in order */
	size_t nincludes;
	bool truncated;		/* a limit was reached */
};

/* The firewall as far as incoming traffic is concerned. */
struct fw_summary {
	const char *policy;	/* "drop", "reject", "accept" */
	int rules;		/* rules in filter chains */
	bool input_chain;	/* a filter chain hooks input */
	bool active;		/* an input chain drops (policy or rules) */
};

/*
 * Parses nft configuration text into st (zeroed by the caller; free with
 * collect_firewall_nft_free). Returns 0, or -1 with *line (0 unknown) and
 * a reason in Vietnamese and English.
 */
int collect_firewall_parse_nft(struct fw_nft *st, const char *buf,
    size_t len, int *line, const char **why_vi, const char **why_en);
void collect_firewall_nft_free(struct fw_nft *st);
void collect_firewall_nft_summary(const struct fw_nft *st,
    struct fw_summary *sum);

/* Parses the output of "nft -j list ruleset". Returns 0 or -1. */
int collect_firewall_parse_ruleset_json(const char *buf, size_t len,
    struct fw_summary *sum);

#endif
