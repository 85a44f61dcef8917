/*
 * page_people.h — the console's pages about people (issue 4,
 * page_people.c): the TOTP step after the password (/xac-thuc), setting
 * TOTP up (/xac-thuc/thiet-lap), the supervisor's management of users
 * (/nguoi-dung) and the audit log with its chain verified (/nhat-ky).
 * pages_people is the table to give web_new (web.h). auth.h holds the
 * policy; docs/admin.md explains it.
 */
#ifndef CG_PAGE_PEOPLE_H
#define CG_PAGE_PEOPLE_H

#include <stddef.h>

#include "server/web.h"

extern const struct web_page pages_people[];
extern const size_t pages_people_n;

#define PEOPLE_AUDIT_PAGE 50		/* audit records a page */

void page_totp(struct web_req *r, struct http_reply *rep);
void page_totp_post(struct web_req *r, struct http_reply *rep);
void page_totp_setup(struct web_req *r, struct http_reply *rep);
void page_totp_setup_post(struct web_req *r, struct http_reply *rep);
void page_users(struct web_req *r, struct http_reply *rep);
void page_users_post(struct web_req *r, struct http_reply *rep);
void page_auditlog(struct web_req *r, struct http_reply *rep);

#endif
