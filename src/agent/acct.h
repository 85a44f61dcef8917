/*
 * acct.h — the file parsers behind the accounts, auth and ssh collectors
 * (collect_accounts.c, collect_auth.c, collect_ssh.c), declared so that
 * unit tests and fuzz harnesses can call them on a buffer, and the few
 * functions one of these collectors lends another (login.defs values,
 * sudoers rules). Every parser is bounded and never trusts its input.
 */
#ifndef CG_ACCT_H
#define CG_ACCT_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include "agent/collect.h"

/* Longest line any of these parsers accepts (longer: malformed). */
#define ACCT_MAX_LINE 8192
/* Size of one record of /var/log/lastlog and /var/log/wtmp (Linux glibc,
 * x86_64 and aarch64). */
#define ACCT_LASTLOG_SIZE 292
#define ACCT_UTMP_SIZE 384

/*
 * collect_accounts.c
 */

/* /etc/passwd: a list of {"name","uid","gid","home","shell","pw"}.
 * NULL on a malformed line (*errline set to it, 1-based). */
json_t *collect_accounts_parse_passwd(const char *buf, size_t len,
    int *errline);
/* /etc/group: a list of {"name","gid","members":[...]}, or NULL. */
json_t *collect_accounts_parse_group(const char *buf, size_t len,
    int *errline);
/* /etc/shadow: an object name -> {"password","hash","password_age_days",
 * "password_max_days","expired","disabled"} computed for the day "today"
 * (days since 1970). NULL on a malformed line. */
json_t *collect_accounts_parse_shadow(const char *buf, size_t len,
    long long today, int *errline);
/* The password state and hash method of one shadow password field. */
void collect_accounts_hash(const char *pw, const char **state,
    const char **method);
/* Time of the last login of uid in a lastlog image (buf of len bytes):
 * 0 never or out of the file, -1 when len is not a whole number of
 * records (malformed). */
long long collect_accounts_lastlog(const unsigned char *buf, size_t len,
    unsigned long uid);
/* Adds to last (object user -> newest login time) the USER_PROCESS
 * records of a wtmp image; a partial record at the end is ignored.
 * Returns the number of records read. */
size_t collect_accounts_wtmp(const unsigned char *buf, size_t len,
    json_t *last);

/*
 * collect_auth.c
 */

/* Value of KEY in a login.defs-style buffer ("KEY VALUE" lines), malloc'd,
 * or NULL when unset. The last occurrence wins, as in shadow-utils. */
char *collect_auth_defs_value(const char *buf, size_t len, const char *key);
/* The same, read from /etc/login.defs of the audited system. */
char *collect_auth_login_defs(struct collect_ctx *ctx, const char *key);

/* One PAM stack file: a list of {"type","control","module","args":[...]}
 * where an "@include FILE" line gives {"type":"@include","module":FILE}
 * and "TYPE include|substack FILE" gives control "include"/"substack"
 * and module FILE. NULL on a malformed line (*errline). */
json_t *collect_auth_parse_pam(const char *buf, size_t len, int *errline);
/* "key = value" files (pwquality.conf, faillock.conf): an object of
 * strings (a key alone gives ""). NULL on a malformed line. */
json_t *collect_auth_parse_kv(const char *buf, size_t len, int *errline);

/* One sudoers file. Rules are appended to rules ({"who","commands",
 * "nopasswd","all","file"} with file "NAME:LINE"), User_Alias and
 * Cmnd_Alias definitions to aliases ({"User_Alias":{NAME:[...]},...}),
 * include directives to includes ({"dir":bool,"path":...}, in order).
 * Returns 0, or -1 with *errline set on a syntax error. */
int collect_auth_parse_sudoers(const char *buf, size_t len, const char *name,
    json_t *rules, json_t *aliases, json_t *includes, int *errline);
/* Reads /etc/sudoers and what it includes. On success *rules and
 * *aliases are new references and 0 is returned; otherwise -1, and errpath
 * is marked unavailable with the reason. A missing /etc/sudoers gives no
 * rules. */
int collect_auth_sudoers(struct collect_ctx *ctx, const char *errpath,
    json_t **rules, json_t **aliases);
/* true when a sudoers rule names user (directly, by ALL, by %group or
 * %#gid of one of groups — names of the user's groups — by #uid, or by a
 * User_Alias that does). */
bool collect_auth_sudo_names(json_t *rules, json_t *aliases,
    const char *user, long uid, json_t *groups, json_t *gids);

/*
 * collect_ssh.c
 */

/* Parses one sshd_config buffer alone (Include lines are ignored) and
 * returns the ssh facts it gives with OpenSSH's defaults for the rest
 * (without "installed" and "enabled"). NULL with err filled ("line N:
 * ..." in Vietnamese — English) on malformed input. */
json_t *collect_ssh_parse(const char *buf, size_t len, char *err,
    size_t errlen);
/* An sshd time value ("90", "2m", "1h30m") in seconds; -1 if invalid. */
long long collect_ssh_time(const char *s);

#endif
