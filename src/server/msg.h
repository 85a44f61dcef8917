/*
 * msg.h — the console's message catalogue (web/messages.yml): every text
 * a person reads on a page, in Vietnamese and English, by message id.
 *
 *	signin.title: {vi: "Đăng nhập", en: "Sign in"}
 *
 * Loaded with libyaml at start-up; an id lacking either language, a text
 * that is not UTF-8 or Vietnamese not in NFC is an error naming
 * file:line:col, and canhgacd refuses to start.
 */
#ifndef CG_MSG_H
#define CG_MSG_H

#include <stdbool.h>
#include <stddef.h>

#define MSG_ID_MAX 96
#define MSG_MAX_ENTRIES 4096

struct msg_catalog;

/* Parses the YAML text (file names it in errors). 0, or -1 with err. */
int msg_load(const char *file, const char *text, size_t len,
    struct msg_catalog **out, char *err, size_t errlen);
void msg_free(struct msg_catalog *c);

/* The text of id in English (en) or Vietnamese, or NULL. */
const char *msg_get(const struct msg_catalog *c, const char *id, bool en);
size_t msg_count(const struct msg_catalog *c);

#endif
