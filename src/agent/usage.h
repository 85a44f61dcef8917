/*
 * usage.h — canhgac-agent's help text (usage.c).
 */
#ifndef CG_AGENT_USAGE_H
#define CG_AGENT_USAGE_H

#include <stdio.h>

void agent_usage(FILE *out);

#endif
