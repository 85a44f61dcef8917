/*
 * collect_firewall.c — the "firewall" facts: which tool manages the host
 * firewall (nftables, ufw, firewalld, iptables-persistent), whether it is
 * enabled at boot, its policy for incoming traffic and its number of
 * rules. The configuration is read from files (live or --root); on the
 * running system, with root, the kernel's ruleset is read through
 * libnftables and takes precedence. See facts.schema, section firewall.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <nftables/libnftables.h>

#include "agent/collect.h"
#include "agent/collect_firewall.h"
#include "lib/file.h"
#include "lib/json.h"
#include "lib/text.h"

#define FW_MAX_FILES 256	/* nft files read through includes */
#define FW_MAX_INCLUDE_DEPTH 8
#define FW_MAX_RULESET (64u << 20)

/* ---------------------------------------------------------------------
 * The nft language: a lexer and a statement parser that understands
 * tables, chains and rules, and skips everything else.
 */

enum fw_tok { T_EOF, T_WORD, T_STR, T_LBRACE, T_RBRACE, T_END, T_ERR };

struct fw_token {
	enum fw_tok type;
	const char *s;
	size_t n;
	int line;
};

enum fw_block { B_TOP, B_TABLE, B_CHAIN };

struct fw_parse {
	struct fw_nft *st;
	const char *p, *end;
	int line;
	struct fw_token *toks;
	size_t ntoks;
	int depth;
	int err_line;
	const char *why_vi, *why_en;
};

static int
fw_fail(struct fw_parse *ps, int line, const char *vi, const char *en)
{
	ps->err_line = line;
	ps->why_vi = vi;
	ps->why_en = en;
	return -1;
}

static void
fw_lex(struct fw_parse *ps, struct fw_token *t)
{
	const char *q;
	char c;

	for (;;) {
		t->line = ps->line;
		t->s = ps->p;
		t->n = 0;
		if (ps->p >= ps->end) {
			t->type = T_EOF;
			return;
		}
		c = *ps->p;
		if (c == '\\' && ps->p + 1 < ps->end && ps->p[1] == '\n') {
			ps->p += 2;
			ps->line++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r') {
			ps->p++;
			continue;
		}
		if (c == '#') {
			while (ps->p < ps->end && *ps->p != '\n')
				ps->p++;
			continue;
		}
		ps->p++;
		t->n = 1;
		switch (c) {
		case '\n':
			ps->line++;
			t->type = T_END;
			return;
		case ';':
			t->type = T_END;
			return;
		case '{':
			t->type = T_LBRACE;
			return;
		case '}':
			t->type = T_RBRACE;
			return;
		case '"':
			for (q = ps->p; q < ps->end && *q != '"' && *q != '\n';
			    q++)
				;
			if (q >= ps->end || *q != '"') {
				t->type = T_ERR;
				return;
			}
			t->type = T_STR;
			t->s = ps->p;
			t->n = (size_t)(q - ps->p);
			ps->p = q + 1;
			return;
		default:
			break;
		}
		for (q = ps->p; q < ps->end; q++) {
			c = *q;
			if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
			    c == ';' || c == '{' || c == '}' || c == '"' ||
			    c == '#')
				break;
			if (c == '\\' && q + 1 < ps->end && q[1] == '\n')
				break;
		}
		t->type = T_WORD;
		t->n = (size_t)(q - t->s);
		ps->p = q;
		return;
	}
}

static bool
fw_is(const struct fw_token *t, const char *w)
{
	return (t->type == T_WORD || t->type == T_STR) &&
	    strlen(w) == t->n && memcmp(t->s, w, t->n) == 0;
}

static bool
fw_family(const struct fw_token *t)
{
	return fw_is(t, "ip") || fw_is(t, "ip6") || fw_is(t, "inet") ||
	    fw_is(t, "arp") || fw_is(t, "bridge") || fw_is(t, "netdev");
}

static char *
fw_tokdup(const struct fw_token *t)
{
	return text_ndup(t->s, t->n);
}

static struct fw_chain *
fw_chain_get(struct fw_nft *st, const char *family, const char *table,
    const char *name)
{
	struct fw_chain *c, *nc;
	size_t i;

	for (i = 0; i < st->nchains; i++) {
		c = &st->chains[i];
		if (strcmp(c->family, family) == 0 &&
		    strcmp(c->table, table) == 0 && strcmp(c->name, name) == 0)
			return c;
	}
	if (st->nchains >= FW_MAX_CHAINS) {
		st->truncated = true;
		return NULL;
	}
	nc = realloc(st->chains, (st->nchains + 1) * sizeof(*nc));
	if (nc == NULL)
		return NULL;
	st->chains = nc;
	c = &st->chains[st->nchains++];
	memset(c, 0, sizeof(*c));
	c->family = text_dup(family);
	c->table = text_dup(table);
	c->name = text_dup(name);
	c->filter = true;	/* a regular chain, until "type" says */
	return c;
}

static struct fw_chain *
fw_chain_tok(struct fw_nft *st, const char *family, const struct fw_token *t,
    const struct fw_token *c)
{
	char *tb = fw_tokdup(t), *nm = fw_tokdup(c);
	struct fw_chain *ch = fw_chain_get(st, family, tb, nm);

	free(tb);
	free(nm);
	return ch;
}

/* Words that may stand before an unconditional verdict. */
static bool
fw_harmless(const struct fw_token *t)
{
	static const char *const w[] = {
		"counter", "packets", "bytes", "log", "prefix", "level",
		"emerg", "alert", "crit", "err", "warn", "notice", "info",
		"debug", NULL
	};
	size_t i;

	if (t->type == T_STR)
		return true;
	for (i = 0; i < t->n && t->s[i] >= '0' && t->s[i] <= '9'; i++)
		;
	if (t->n > 0 && i == t->n)
		return true;
	for (i = 0; w[i] != NULL; i++)
		if (fw_is(t, w[i]))
			return true;
	return false;
}

static void
fw_rule(struct fw_chain *ch, const struct fw_token *t, size_t n)
{
	bool plain = true;
	size_t i;

	if (ch == NULL || n == 0)
		return;
	ch->rules++;
	for (i = 0; i < n; i++) {
		if (fw_is(&t[i], "drop") || fw_is(&t[i], "reject")) {
			ch->drops = true;
			if (plain)
				snprintf(ch->final, sizeof(ch->final), "%s",
				    fw_is(&t[i], "drop") ? "drop" : "reject");
			return;
		}
		plain = plain && fw_harmless(&t[i]);
	}
}

static void
fw_chain_stmt(struct fw_chain *ch, const struct fw_token *t, size_t n)
{
	size_t i;

	if (ch == NULL || n == 0)
		return;
	if (fw_is(&t[0], "type") && n >= 2) {
		ch->base = true;
		ch->filter = fw_is(&t[1], "filter");
		for (i = 2; i + 1 < n; i++)
			if (fw_is(&t[i], "hook"))
				ch->input = fw_is(&t[i + 1], "input");
	} else if (fw_is(&t[0], "policy") && n >= 2) {
		if (fw_is(&t[1], "drop"))
			snprintf(ch->policy, sizeof(ch->policy), "drop");
		else if (fw_is(&t[1], "accept"))
			snprintf(ch->policy, sizeof(ch->policy), "accept");
	} else if (fw_is(&t[0], "comment") || fw_is(&t[0], "devices") ||
	    fw_is(&t[0], "device"))
		;
	else
		fw_rule(ch, t, n);
}

/*
 * Reads one statement into ps->toks. It ends at ';' or a new line outside
 * braces, at a '}' closing the enclosing block (*term T_RBRACE), at EOF,
 * or at a '{' that opens a block (*term T_LBRACE) when the statement is a
 * block header for kind.
 */
static int
fw_stmt(struct fw_parse *ps, enum fw_block kind, enum fw_tok *term)
{
	struct fw_token t;
	int inner = 0, open_line = 0;
	bool header;

	ps->ntoks = 0;
	for (;;) {
		fw_lex(ps, &t);
		switch (t.type) {
		case T_ERR:
			return fw_fail(ps, t.line, "chuỗi không có dấu đóng \"",
			    "unterminated string");
		case T_EOF:
			if (inner > 0)
				return fw_fail(ps, open_line,
				    "khối { } không được đóng",
				    "unterminated { } block");
			*term = T_EOF;
			return 0;
		case T_END:
			if (inner > 0 || ps->ntoks == 0)
				continue;
			*term = T_END;
			return 0;
		case T_RBRACE:
			if (inner > 0) {
				inner--;
				break;
			}
			*term = T_RBRACE;
			return 0;
		case T_LBRACE:
			header = false;
			if (inner == 0 && ps->ntoks > 0) {
				if (kind == B_TABLE)
					header = true;
				else if (kind == B_TOP)
					header = fw_is(&ps->toks[0], "table") ||
					    (ps->ntoks > 1 &&
					    (fw_is(&ps->toks[0], "add") ||
					    fw_is(&ps->toks[0], "create")) &&
					    (fw_is(&ps->toks[1], "table") ||
					    fw_is(&ps->toks[1], "chain")));
			}
			if (header) {
				*term = T_LBRACE;
				return 0;
			}
			if (inner++ == 0)
				open_line = t.line;
			if (inner > FW_MAX_DEPTH)
				return fw_fail(ps, t.line,
				    "lồng khối { } quá sâu",
				    "{ } nested too deeply");
			break;
		default:
			break;
		}
		if (t.type == T_WORD || t.type == T_STR) {
			if (ps->ntoks >= FW_MAX_TOKENS)
				return fw_fail(ps, t.line, "câu lệnh quá dài",
				    "statement too long");
			ps->toks[ps->ntoks++] = t;
		}
	}
}

/* Skips a block we do not interpret (set, map, flowtable...). */
static int
fw_skip(struct fw_parse *ps, int open_line)
{
	struct fw_token t;
	int depth = 1;

	while (depth > 0) {
		fw_lex(ps, &t);
		if (t.type == T_ERR)
			return fw_fail(ps, t.line, "chuỗi không có dấu đóng \"",
			    "unterminated string");
		if (t.type == T_EOF)
			return fw_fail(ps, open_line,
			    "khối { } không được đóng",
			    "unterminated { } block");
		if (t.type == T_LBRACE && ++depth > FW_MAX_DEPTH)
			return fw_fail(ps, t.line, "lồng khối { } quá sâu",
			    "{ } nested too deeply");
		if (t.type == T_RBRACE)
			depth--;
	}
	return 0;
}

static void
fw_include(struct fw_parse *ps)
{
	struct fw_nft *st = ps->st;
	char **ni;

	if (ps->ntoks < 2 || !fw_is(&ps->toks[0], "include") ||
	    ps->toks[1].type != T_STR)
		return;
	if (st->nincludes >= FW_MAX_INCLUDES) {
		st->truncated = true;
		return;
	}
	ni = realloc(st->includes, (st->nincludes + 1) * sizeof(*ni));
	if (ni == NULL)
		return;
	st->includes = ni;
	st->includes[st->nincludes++] = fw_tokdup(&ps->toks[1]);
}

static int fw_block(struct fw_parse *ps, enum fw_block kind,
    struct fw_chain *ch, const char *family, const char *table,
    int open_line);

/* "add rule [family] table chain ..." and "insert rule" at top level. */
static void
fw_top_rule(struct fw_parse *ps)
{
	struct fw_token *t = ps->toks;
	size_t n = ps->ntoks, f = 2;
	char *fam;

	if (n < 4 || !(fw_is(&t[0], "add") || fw_is(&t[0], "insert")) ||
	    !fw_is(&t[1], "rule"))
		return;
	fam = text_dup("ip");
	if (fw_family(&t[2]) && n >= 5) {
		free(fam);
		fam = fw_tokdup(&t[2]);
		f = 3;
	}
	fw_rule(fw_chain_tok(ps->st, fam, &t[f], &t[f + 1]), t + f + 2,
	    n - f - 2);
	free(fam);
}

static int
fw_header(struct fw_parse *ps, enum fw_block kind, const char *table_family,
    const char *table_name, int line)
{
	struct fw_token *t = ps->toks;
	size_t n = ps->ntoks, i = 0;
	struct fw_chain *ch;
	char *fam, *name;
	int r;

	if (kind == B_TABLE) {
		if (fw_is(&t[0], "chain") && n >= 2) {
			char *cn = fw_tokdup(&t[1]);
			ch = fw_chain_get(ps->st, table_family, table_name, cn);
			free(cn);
			return fw_block(ps, B_CHAIN, ch, NULL, NULL, line);
		}
		return fw_skip(ps, line);
	}
	/* Top level: [add|create] table|chain ... */
	if (fw_is(&t[0], "add") || fw_is(&t[0], "create"))
		i = 1;
	if (fw_is(&t[i], "table")) {
		if (n - i == 2) {
			fam = text_dup("ip");
			name = fw_tokdup(&t[i + 1]);
		} else if (n - i == 3) {
			fam = fw_tokdup(&t[i + 1]);
			name = fw_tokdup(&t[i + 2]);
		} else
			return fw_fail(ps, line, "khai báo bảng không hợp lệ",
			    "malformed table declaration");
		r = fw_block(ps, B_TABLE, NULL, fam, name, line);
		free(fam);
		free(name);
		return r;
	}
	/* add chain [family] table chain { ... } */
	if (n - i == 3)
		fam = text_dup("ip");
	else if (n - i == 4 && fw_family(&t[i + 1]))
		fam = fw_tokdup(&t[++i]);
	else
		return fw_fail(ps, line, "khai báo chuỗi không hợp lệ",
		    "malformed chain declaration");
	ch = fw_chain_tok(ps->st, fam, &t[i + 1], &t[i + 2]);
	free(fam);
	return fw_block(ps, B_CHAIN, ch, NULL, NULL, line);
}

static int
fw_block(struct fw_parse *ps, enum fw_block kind, struct fw_chain *ch,
    const char *family, const char *table, int open_line)
{
	enum fw_tok term;

	if (++ps->depth > FW_MAX_DEPTH)
		return fw_fail(ps, open_line, "lồng khối { } quá sâu",
		    "{ } nested too deeply");
	for (;;) {
		if (fw_stmt(ps, kind, &term) < 0)
			return -1;
		if (term == T_LBRACE) {
			if (fw_header(ps, kind, family, table,
			    ps->toks[0].line) < 0)
				return -1;
			continue;
		}
		if (ps->ntoks > 0) {
			fw_include(ps);
			if (kind == B_CHAIN)
				fw_chain_stmt(ch, ps->toks, ps->ntoks);
			else if (kind == B_TOP)
				fw_top_rule(ps);
		}
		if (term == T_RBRACE) {
			if (kind == B_TOP)
				return fw_fail(ps, ps->line,
				    "dấu } không có khối mở tương ứng",
				    "unexpected }");
			ps->depth--;
			return 0;
		}
		if (term == T_EOF) {
			if (kind != B_TOP)
				return fw_fail(ps, open_line,
				    "khối { } không được đóng",
				    "unterminated { } block");
			return 0;
		}
	}
}

int
collect_firewall_parse_nft(struct fw_nft *st, const char *buf, size_t len,
    int *line, const char **why_vi, const char **why_en)
{
	struct fw_parse ps;
	int r;

	memset(&ps, 0, sizeof(ps));
	ps.st = st;
	ps.p = buf;
	ps.end = buf + len;
	ps.line = 1;
	ps.toks = calloc(FW_MAX_TOKENS, sizeof(*ps.toks));
	if (ps.toks == NULL)
		return -1;
	r = fw_block(&ps, B_TOP, NULL, NULL, NULL, 1);
	free(ps.toks);
	*line = ps.err_line;
	*why_vi = ps.why_vi;
	*why_en = ps.why_en;
	return r;
}

void
collect_firewall_nft_free(struct fw_nft *st)
{
	size_t i;

	for (i = 0; i < st->nchains; i++) {
		free(st->chains[i].family);
		free(st->chains[i].table);
		free(st->chains[i].name);
	}
	for (i = 0; i < st->nincludes; i++)
		free(st->includes[i]);
	free(st->chains);
	free(st->includes);
	memset(st, 0, sizeof(*st));
}

/*
 * Every base chain on a hook must accept a packet for it to pass, so one
 * input chain with policy drop makes the host's policy drop.
 */
void
collect_firewall_nft_summary(const struct fw_nft *st, struct fw_summary *sum)
{
	const struct fw_chain *c;
	const char *fin = NULL;
	bool drop = false;
	size_t i;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < st->nchains; i++) {
		c = &st->chains[i];
		if (c->filter)
			sum->rules += c->rules;
		if (!c->base || !c->filter || !c->input)
			continue;
		sum->input_chain = true;
		if (strcmp(c->policy, "drop") == 0)
			drop = true;
		if (c->final[0] != '\0' && fin == NULL)
			fin = strcmp(c->final, "drop") == 0 ? "drop" : "reject";
		if (strcmp(c->policy, "drop") == 0 || c->drops)
			sum->active = true;
	}
	sum->policy = drop ? "drop" : fin != NULL ? fin : "accept";
}

/* ---------------------------------------------------------------------
 * The kernel's ruleset as JSON ("nft -j list ruleset").
 */

static bool
fw_expr_verdict(json_t *expr, bool *plain, char *final, size_t fsize)
{
	size_t i;
	json_t *e;
	const char *k;
	json_t *v;
	bool found = false;

	*plain = true;
	json_array_foreach(expr, i, e) {
		json_object_foreach(e, k, v) {
			if (strcmp(k, "drop") == 0 ||
			    strcmp(k, "reject") == 0) {
				if (*plain && final[0] == '\0')
					snprintf(final, fsize, "%s", k);
				found = true;
			} else if (strcmp(k, "counter") != 0 &&
			    strcmp(k, "log") != 0)
				*plain = false;
		}
		if (found)
			return true;
	}
	return false;
}

int
collect_firewall_parse_ruleset_json(const char *buf, size_t len,
    struct fw_summary *sum)
{
	struct fw_nft st;
	json_error_t jerr;
	json_t *root, *arr, *item, *o;
	struct fw_chain *c;
	const char *fam, *tab, *name, *s;
	bool plain;
	size_t i;

	memset(sum, 0, sizeof(*sum));
	memset(&st, 0, sizeof(st));
	root = json_loadb(buf, len, 0, &jerr);
	arr = json_object_get(root, "nftables");
	if (!json_is_array(arr)) {
		json_decref(root);
		return -1;
	}
	json_array_foreach(arr, i, item) {
		bool is_rule = false;

		if ((o = json_object_get(item, "chain")) == NULL) {
			o = json_object_get(item, "rule");
			is_rule = true;
		}
		if (!json_is_object(o))
			continue;
		fam = json_str(o, "family", NULL);
		tab = json_str(o, "table", NULL);
		name = json_str(o, is_rule ? "chain" : "name", NULL);
		if (fam == NULL || tab == NULL || name == NULL)
			continue;
		if ((c = fw_chain_get(&st, fam, tab, name)) == NULL)
			continue;
		if (!is_rule) {
			if ((s = json_str(o, "type", NULL)) != NULL) {
				c->base = true;
				c->filter = strcmp(s, "filter") == 0;
				c->input = strcmp(json_str(o, "hook", ""),
				    "input") == 0;
			}
			s = json_str(o, "policy", "");
			if (strcmp(s, "drop") == 0 || strcmp(s, "accept") == 0)
				snprintf(c->policy, sizeof(c->policy), "%s", s);
			continue;
		}
		c->rules++;
		if (fw_expr_verdict(json_object_get(o, "expr"), &plain,
		    c->final, sizeof(c->final)))
			c->drops = true;
	}
	json_decref(root);
	collect_firewall_nft_summary(&st, sum);
	collect_firewall_nft_free(&st);
	return 0;
}

/* ---------------------------------------------------------------------
 * The collector: each tool's configuration, then the choice.
 */

struct fw_conf {
	const char *tool;
	const char *services[2];
	bool configured;	/* its configuration exists */
	bool conf_enabled;	/* its own switch (ufw ENABLED=yes) */
	const char *policy;	/* NULL: unknown */
	int rules;		/* -1: unknown */
	char *source;
	/* Why policy or rules are unknown. */
	char *err_file;
	int err_errno, err_line;
	const char *err_vi, *err_en;
};

static void
fw_conf_error(struct fw_conf *c, const char *file, int err, int line,
    const char *vi, const char *en)
{
	if (c->err_file != NULL)
		return;
	c->err_file = text_dup(file);
	c->err_errno = err;
	c->err_line = line;
	c->err_vi = vi;
	c->err_en = en;
}

/* Shell-style KEY=value (ufw.conf, /etc/default/ufw, firewalld.conf). */
static char *
fw_var(const char *buf, size_t len, const char *key)
{
	const char *p = buf, *end = buf + len, *l;
	size_t ll, kl = strlen(key), vl;
	char *val = NULL;

	while (text_next_line(&p, end, &l, &ll)) {
		while (ll > 0 && (*l == ' ' || *l == '\t')) {
			l++;
			ll--;
		}
		if (ll <= kl || strncmp(l, key, kl) != 0 || l[kl] != '=')
			continue;
		free(val);
		val = text_ndup(l + kl + 1, ll - kl - 1);
		text_trim(val);
		vl = strlen(val);
		if (vl >= 2 && (val[0] == '"' || val[0] == '\'') &&
		    val[vl - 1] == val[0]) {
			memmove(val, val + 1, vl - 2);
			val[vl - 2] = '\0';
		}
	}
	return val;
}

static const char *
fw_policy_word(const char *v)
{
	if (v == NULL)
		return NULL;
	if (strcasecmp(v, "drop") == 0)
		return "drop";
	if (strcasecmp(v, "reject") == 0)
		return "reject";
	if (strcasecmp(v, "accept") == 0)
		return "accept";
	return NULL;
}

static int
fw_count_prefix(struct collect_ctx *ctx, const char *path,
    const char *prefix, int *count)
{
	const char *p, *end, *l;
	size_t len, ll, pl = strlen(prefix);
	char *buf;
	int r;

	if ((r = file_read(ctx->rootfd, path, FILE_MAX_SMALL, &buf,
	    &len)) < 0)
		return r;
	p = buf;
	end = buf + len;
	while (text_next_line(&p, end, &l, &ll))
		if (ll > pl && strncmp(l, prefix, pl) == 0 &&
		    (l[pl] == ' ' || l[pl] == '\t'))
			(*count)++;
	free(buf);
	return 0;
}

static void
fw_ufw(struct collect_ctx *ctx, struct fw_conf *c)
{
	char *buf, *v;
	size_t len;
	int r, n = 0;

	c->rules = -1;
	r = file_read(ctx->rootfd, "/etc/ufw/ufw.conf", FILE_MAX_SMALL, &buf,
	    &len);
	if (r == -ENOENT)
		return;
	c->configured = true;
	c->source = text_dup("/etc/ufw/ufw.conf");
	if (r < 0) {
		fw_conf_error(c, "/etc/ufw/ufw.conf", r, 0, NULL, NULL);
		return;
	}
	v = fw_var(buf, len, "ENABLED");
	c->conf_enabled = v != NULL && strcasecmp(v, "yes") == 0;
	free(v);
	free(buf);
	r = file_read(ctx->rootfd, "/etc/default/ufw", FILE_MAX_SMALL, &buf,
	    &len);
	if (r < 0)
		fw_conf_error(c, "/etc/default/ufw", r, 0, NULL, NULL);
	else {
		v = fw_var(buf, len, "DEFAULT_INPUT_POLICY");
		c->policy = fw_policy_word(v);
		if (c->policy == NULL)
			fw_conf_error(c, "/etc/default/ufw", 0, 0,
			    "DEFAULT_INPUT_POLICY thiếu hoặc không hợp lệ",
			    "DEFAULT_INPUT_POLICY missing or invalid");
		free(v);
		free(buf);
	}
	r = fw_count_prefix(ctx, "/etc/ufw/user.rules", "-A ufw-user-input",
	    &n);
	if (r < 0 && r != -ENOENT) {
		fw_conf_error(c, "/etc/ufw/user.rules", r, 0, NULL, NULL);
		return;
	}
	r = fw_count_prefix(ctx, "/etc/ufw/user6.rules",
	    "-A ufw6-user-input", &n);
	if (r < 0 && r != -ENOENT) {
		fw_conf_error(c, "/etc/ufw/user6.rules", r, 0, NULL, NULL);
		return;
	}
	c->rules = n;
}

/* The target attribute of the <zone> element, or "default". */
static int
fw_zone_target(const char *buf, size_t len, char *out, size_t size)
{
	const char *z = NULL, *p, *gt, *q, *e;
	size_t i;

	for (i = 0; i + 5 <= len; i++)
		if (memcmp(buf + i, "<zone", 5) == 0 && i + 5 < len &&
		    (buf[i + 5] == ' ' || buf[i + 5] == '>' ||
		    buf[i + 5] == '\t' || buf[i + 5] == '\n' ||
		    buf[i + 5] == '/')) {
			z = buf + i + 5;
			break;
		}
	if (z == NULL)
		return -1;
	if ((gt = memchr(z, '>', (size_t)(buf + len - z))) == NULL)
		return -1;
	snprintf(out, size, "default");
	for (p = z; p + 7 <= gt; p++) {
		if (memcmp(p, "target", 6) != 0 || (p[-1] != ' ' &&
		    p[-1] != '\t' && p[-1] != '\n'))
			continue;
		for (q = p + 6; q < gt && (*q == ' ' || *q == '\t'); q++)
			;
		if (q >= gt || *q != '=')
			continue;
		for (q++; q < gt && (*q == ' ' || *q == '\t'); q++)
			;
		if (q >= gt || (*q != '"' && *q != '\''))
			return -1;
		if ((e = memchr(q + 1, *q, (size_t)(gt - q - 1))) == NULL ||
		    (size_t)(e - q - 1) >= size)
			return -1;
		snprintf(out, size, "%.*s", (int)(e - q - 1), q + 1);
		return 0;
	}
	return 0;
}

static int
fw_count_str(const char *buf, size_t len, const char *s)
{
	size_t sl = strlen(s), i;
	int n = 0;

	for (i = 0; i + sl <= len; i++)
		if (memcmp(buf + i, s, sl) == 0)
			n++;
	return n;
}

static void
fw_firewalld(struct collect_ctx *ctx, struct fw_conf *c)
{
	static const char *const dirs[] = {
		"/etc/firewalld/zones", "/usr/lib/firewalld/zones", NULL
	};
	char *buf, *zone, *path = NULL, target[32];
	size_t len, i;
	int r;

	c->rules = -1;
	r = file_read(ctx->rootfd, "/etc/firewalld/firewalld.conf",
	    FILE_MAX_SMALL, &buf, &len);
	if (r == -ENOENT)
		return;
	c->configured = true;
	c->conf_enabled = true;
	c->source = text_dup("/etc/firewalld/firewalld.conf");
	if (r < 0) {
		fw_conf_error(c, c->source, r, 0, NULL, NULL);
		return;
	}
	zone = fw_var(buf, len, "DefaultZone");
	free(buf);
	if (zone == NULL)
		zone = text_dup("public");
	for (i = 0; zone[i] != '\0'; i++)
		if (!((zone[i] >= 'a' && zone[i] <= 'z') ||
		    (zone[i] >= 'A' && zone[i] <= 'Z') ||
		    (zone[i] >= '0' && zone[i] <= '9') || zone[i] == '-' ||
		    zone[i] == '_'))
			break;
	if (zone[i] != '\0' || i == 0 || i > 64) {
		fw_conf_error(c, c->source, 0, 0,
		    "DefaultZone không hợp lệ", "invalid DefaultZone");
		free(zone);
		return;
	}
	r = -ENOENT;
	for (i = 0; dirs[i] != NULL && r == -ENOENT; i++) {
		free(path);
		path = text_printf("%s/%s.xml", dirs[i], zone);
		r = file_read(ctx->rootfd, path, FILE_MAX_SMALL, &buf, &len);
	}
	free(zone);
	if (r < 0) {
		fw_conf_error(c, path, r, 0, NULL, NULL);
		free(path);
		return;
	}
	free(c->source);
	c->source = path;
	if (fw_zone_target(buf, len, target, sizeof(target)) != 0) {
		fw_conf_error(c, path, 0, 0, "không đọc được thẻ <zone>",
		    "cannot read the <zone> element");
		free(buf);
		return;
	}
	/* The "default" target rejects what no rule accepts. */
	if (strcmp(target, "ACCEPT") == 0)
		c->policy = "accept";
	else if (strcmp(target, "DROP") == 0)
		c->policy = "drop";
	else if (strcmp(target, "%%REJECT%%") == 0 ||
	    strcmp(target, "REJECT") == 0 || strcmp(target, "default") == 0)
		c->policy = "reject";
	else
		fw_conf_error(c, path, 0, 0, "giá trị target không hợp lệ",
		    "invalid target value");
	c->rules = fw_count_str(buf, len, "<service ") +
	    fw_count_str(buf, len, "<port ") + fw_count_str(buf, len, "<rule");
	free(buf);
}

static void
fw_iptables(struct collect_ctx *ctx, struct fw_conf *c)
{
	const char *p, *end, *l;
	char *buf, *line, pol[16];
	bool filter = false, open_policy;
	size_t len, ll;
	int r, lineno = 0;

	c->rules = -1;
	r = file_read(ctx->rootfd, "/etc/iptables/rules.v4", FILE_MAX_SMALL,
	    &buf, &len);
	if (r == -ENOENT)
		return;
	c->configured = true;
	c->conf_enabled = true;
	c->source = text_dup("/etc/iptables/rules.v4");
	if (r < 0) {
		fw_conf_error(c, c->source, r, 0, NULL, NULL);
		return;
	}
	c->rules = 0;
	p = buf;
	end = buf + len;
	while (text_next_line(&p, end, &l, &ll)) {
		lineno++;
		line = text_ndup(l, ll);
		text_trim(line);
		if (line[0] == '*')
			filter = strcmp(line, "*filter") == 0;
		else if (filter && strcmp(line, "COMMIT") == 0)
			filter = false;
		else if (filter && sscanf(line, ":INPUT %15s", pol) == 1) {
			c->policy = fw_policy_word(pol);
			if (c->policy == NULL)
				fw_conf_error(c, c->source, 0, lineno,
				    "chính sách INPUT không hợp lệ",
				    "invalid INPUT policy");
		} else if (filter && strncmp(line, "-A ", 3) == 0) {
			c->rules++;
			open_policy = c->policy != NULL &&
			    strcmp(c->policy, "accept") == 0;
			if (open_policy && strcmp(line, "-A INPUT -j DROP") == 0)
				c->policy = "drop";
			else if (open_policy &&
			    strncmp(line, "-A INPUT -j REJECT", 18) == 0)
				c->policy = "reject";
		}
		free(line);
	}
	free(buf);
	if (c->policy == NULL)
		fw_conf_error(c, c->source, 0, 0,
		    "không có chính sách INPUT trong bảng filter",
		    "no INPUT policy in the filter table");
}

/* nft files: the configuration and its includes, with loop detection. */
struct fw_nft_walk {
	struct collect_ctx *ctx;
	struct fw_conf *conf;
	struct fw_nft st;
	const char *stack[FW_MAX_INCLUDE_DEPTH + 1];
	int depth;
	int files;
	bool failed;
};

static void fw_nft_file(struct fw_nft_walk *w, const char *path);

static bool
fw_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static void
fw_nft_include(struct fw_nft_walk *w, const char *from, const char *arg)
{
	char *dir, *path, *slash, **names;
	size_t n, i;

	if (arg[0] == '/')
		path = text_dup(arg);
	else {
		dir = text_dup(from);
		if ((slash = strrchr(dir, '/')) != NULL)
			*slash = '\0';
		path = text_printf("%s/%s", dir, arg);
		free(dir);
		if (!fw_glob(path) && !file_exists(w->ctx->rootfd, path)) {
			free(path);
			path = text_printf("/etc/%s", arg);
		}
	}
	slash = strrchr(path, '/');
	if (!fw_glob(slash + 1)) {
		fw_nft_file(w, path);
		free(path);
		return;
	}
	/* Only the last component may be a pattern; matches are sorted. */
	*slash = '\0';
	if (file_list(w->ctx->rootfd, path[0] ? path : "/", 4096, &names,
	    &n) == 0) {
		for (i = 0; i < n && !w->failed; i++) {
			if (names[i][0] == '.' ||
			    fnmatch(slash + 1, names[i], 0) != 0)
				continue;
			dir = text_printf("%s/%s", path, names[i]);
			fw_nft_file(w, dir);
			free(dir);
		}
		file_list_free(names, n);
	}
	free(path);
}

static void
fw_nft_file(struct fw_nft_walk *w, const char *path)
{
	const char *vi, *en;
	size_t len, first, last, i;
	char *buf, *arg;
	int r, line, d;

	if (w->failed)
		return;
	for (d = 0; d < w->depth; d++)
		if (strcmp(w->stack[d], path) == 0) {
			fw_conf_error(w->conf, w->stack[w->depth - 1], 0, 0,
			    "vòng lặp include", "include loop");
			w->failed = true;
			return;
		}
	if (w->depth >= FW_MAX_INCLUDE_DEPTH || ++w->files > FW_MAX_FILES) {
		fw_conf_error(w->conf, path, 0, 0,
		    "quá nhiều tệp include lồng nhau",
		    "too many nested include files");
		w->failed = true;
		return;
	}
	r = file_read(w->ctx->rootfd, path, FILE_MAX_SMALL, &buf, &len);
	if (r < 0) {
		fw_conf_error(w->conf, path, r, 0, NULL, NULL);
		w->failed = true;
		return;
	}
	first = w->st.nincludes;
	r = collect_firewall_parse_nft(&w->st, buf, len, &line, &vi, &en);
	free(buf);
	if (r < 0) {
		fw_conf_error(w->conf, path, 0, line, vi ? vi : "lỗi cú pháp",
		    en ? en : "syntax error");
		w->failed = true;
		return;
	}
	/* This file's includes, in order; nested ones are appended. */
	last = w->st.nincludes;
	w->stack[w->depth++] = path;
	for (i = first; i < last && !w->failed; i++) {
		arg = text_dup(w->st.includes[i]);
		fw_nft_include(w, path, arg);
		free(arg);
	}
	w->depth--;
}

static void
fw_nftables(struct collect_ctx *ctx, struct fw_conf *c)
{
	static const char *const paths[] = {
		"/etc/nftables.conf", "/etc/sysconfig/nftables.conf", NULL
	};
	struct fw_nft_walk w;
	struct fw_summary sum;
	size_t i;

	c->rules = -1;
	for (i = 0; paths[i] != NULL; i++)
		if (file_exists(ctx->rootfd, paths[i]))
			break;
	if (paths[i] == NULL)
		return;
	c->configured = true;
	c->conf_enabled = true;
	c->source = text_dup(paths[i]);
	memset(&w, 0, sizeof(w));
	w.ctx = ctx;
	w.conf = c;
	fw_nft_file(&w, paths[i]);
	if (!w.failed) {
		collect_firewall_nft_summary(&w.st, &sum);
		c->policy = sum.policy;
		c->rules = sum.rules;
		if (w.st.truncated)
			fw_conf_error(c, paths[i], 0, 0,
			    "cấu hình vượt giới hạn số chuỗi hoặc include",
			    "the configuration exceeds the limit of chains or "
			    "includes");
	}
	collect_firewall_nft_free(&w.st);
}

static void
fw_conf_free(struct fw_conf *c)
{
	free(c->source);
	free(c->err_file);
}

static void
fw_mark_conf_error(struct collect_ctx *ctx, const struct fw_conf *c,
    const char *path)
{
	if (c->err_errno != 0)
		collect_file_error(ctx, path, c->err_file, c->err_errno);
	else
		collect_parse_error(ctx, path, c->err_file, c->err_line,
		    c->err_vi, c->err_en);
}

/* The kernel's ruleset through libnftables (root, running system). */
static int
fw_running(struct fw_summary *sum, const char **why_vi, const char **why_en)
{
	struct nft_ctx *nft;
	const char *out;
	int r = -1;

	*why_vi = "không đọc được bộ quy tắc của nhân qua libnftables";
	*why_en = "cannot read the kernel ruleset through libnftables";
	if ((nft = nft_ctx_new(NFT_CTX_DEFAULT)) == NULL)
		return -1;
	nft_ctx_output_set_flags(nft, NFT_CTX_OUTPUT_JSON);
	if (nft_ctx_buffer_output(nft) != 0 ||
	    nft_ctx_buffer_error(nft) != 0)
		goto out;
	if (nft_run_cmd_from_buffer(nft, "list ruleset") != 0)
		goto out;
	out = nft_ctx_get_output_buffer(nft);
	if (out == NULL || strnlen(out, FW_MAX_RULESET) >= FW_MAX_RULESET) {
		*why_vi = "bộ quy tắc của nhân quá lớn";
		*why_en = "the kernel ruleset is too large";
		goto out;
	}
	if (out[0] == '\0') {
		/* An empty ruleset prints nothing: no filtering at all. */
		memset(sum, 0, sizeof(*sum));
		sum->policy = "accept";
		r = 0;
	} else
		r = collect_firewall_parse_ruleset_json(out, strlen(out), sum);
out:
	nft_ctx_free(nft);
	return r;
}

/* Legacy iptables tables are invisible to nft: say so, do not guess. */
static bool
fw_legacy_tables(struct collect_ctx *ctx)
{
	char *buf;
	size_t len;
	bool used;

	if (file_read(ctx->rootfd, "/proc/net/ip_tables_names",
	    FILE_MAX_SMALL, &buf, &len) != 0)
		return false;
	used = strstr(buf, "filter") != NULL;
	free(buf);
	return used;
}

void
collect_firewall(struct collect_ctx *ctx)
{
	json_t *sec = collect_section(ctx, "firewall");
	json_t *enabled = json_path(ctx->facts, "services.enabled");
	struct fw_conf conf[4];
	static const int fallback[] = {1, 2, 3, 0};
	struct fw_conf *c = NULL;
	struct fw_summary sum;
	const char *vi = "không đọc được bộ quy tắc của nhân",
	    *en = "cannot read the kernel ruleset";
	size_t i, j;
	bool on = false;

	if (!json_is_array(enabled))
		enabled = NULL;
	memset(conf, 0, sizeof(conf));
	conf[0].tool = "nftables";
	conf[0].services[0] = "nftables.service";
	conf[1].tool = "ufw";
	conf[1].services[0] = "ufw.service";
	conf[2].tool = "firewalld";
	conf[2].services[0] = "firewalld.service";
	conf[3].tool = "iptables";
	conf[3].services[0] = "netfilter-persistent.service";
	conf[3].services[1] = "iptables.service";
	fw_nftables(ctx, &conf[0]);
	fw_ufw(ctx, &conf[1]);
	fw_firewalld(ctx, &conf[2]);
	fw_iptables(ctx, &conf[3]);

	/* The first tool enabled at boot, else the first configured
	 * (nftables last: Debian ships an accept-all nftables.conf). */
	for (i = 0; i < 4 && c == NULL && enabled != NULL; i++) {
		json_t *v;
		size_t k;

		if (!conf[i].configured || !conf[i].conf_enabled)
			continue;
		json_array_foreach(enabled, k, v)
			for (j = 0; j < 2; j++)
				if (conf[i].services[j] != NULL &&
				    json_is_string(v) && strcmp(
				    json_string_value(v),
				    conf[i].services[j]) == 0)
					c = &conf[i];
	}
	on = c != NULL;
	for (i = 0; i < 4 && c == NULL; i++)
		if (conf[fallback[i]].configured)
			c = &conf[fallback[i]];

	json_set_str(sec, "tool", c ? c->tool : "");
	if (enabled != NULL || c == NULL)
		json_set_bool(sec, "enabled", on);
	else
		collect_unavailable(ctx, "firewall.enabled", "error",
		    "không biết các dịch vụ được bật khi khởi động",
		    "the services enabled at boot are not known");

	if (ctx->live && ctx->privileged && fw_running(&sum, &vi, &en) == 0) {
		if (!sum.input_chain && fw_legacy_tables(ctx)) {
			collect_unavailable(ctx, "firewall.active", "error",
			    "máy dùng iptables kiểu cũ (legacy), không đọc "
			    "được bằng nftables",
			    "the host uses legacy iptables, which nftables "
			    "cannot read");
			goto configured;
		}
		json_set_bool(sec, "active", sum.active);
		json_set_str(sec, "input_policy", sum.policy);
		json_set_int(sec, "rules", sum.rules);
		json_set_str(sec, "source", "running");
		goto done;
	}
	if (!ctx->live)
		collect_not_live(ctx, "firewall.active");
	else if (!ctx->privileged)
		collect_unavailable(ctx, "firewall.active", "error",
		    "cần quyền root để đọc bộ quy tắc tường lửa đang chạy",
		    "needs root to read the running firewall ruleset");
	else
		collect_unavailable(ctx, "firewall.active", "error", vi, en);
configured:
	if (c == NULL) {
		json_set_str(sec, "input_policy", "unknown");
		json_set_int(sec, "rules", 0);
		json_set_str(sec, "source", "");
		goto done;
	}
	json_set_str(sec, "source", c->source);
	json_set_str(sec, "input_policy", c->policy ? c->policy : "unknown");
	if (c->policy == NULL) {
		if (c->err_file != NULL)
			fw_mark_conf_error(ctx, c, "firewall.input_policy");
		else
			collect_unavailable(ctx, "firewall.input_policy",
			    "error", "không đọc được chính sách tường lửa",
			    "the firewall policy cannot be read");
	}
	if (c->rules >= 0)
		json_set_int(sec, "rules", c->rules);
	else if (c->err_file != NULL)
		fw_mark_conf_error(ctx, c, "firewall.rules");
	else
		collect_unavailable(ctx, "firewall.rules", "error",
		    "không đếm được quy tắc tường lửa",
		    "the firewall rules cannot be counted");
done:
	for (i = 0; i < 4; i++)
		fw_conf_free(&conf[i]);
}
