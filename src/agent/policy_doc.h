/*
 * policy_doc.h — Markdown documentation generated from the policy and the
 * facts schema (docs/checks.md, docs/facts.md), in Vietnamese and English;
 * `canhgac-agent policy doc checks|facts` prints it.
 */
#ifndef CG_POLICY_DOC_H
#define CG_POLICY_DOC_H

#include "agent/policy.h"
#include "agent/schema.h"

/* Every check grouped by directive point, then the parameters and the
 * legal catalogue; legal basis resolved on date today (YYYY-MM-DD).
 * Returns a malloc'd string. */
char *policy_doc_checks(const struct policy *p, const char *today);
/* A table of every fact of the schema. Returns a malloc'd string. */
char *policy_doc_facts(const struct schema *s);

#endif
