/*
 * fault.h — named fault points for the crash tests (tests/server/).
 *
 * fault_point("name") kills the process with SIGKILL when the environment
 * variable CANHGAC_FAULT names that point ("name" or "name@N": on its N-th
 * passage, counted from 1). Nothing happens otherwise: the check is one
 * getenv the first time and a cached pointer after. The points mark the
 * moments where durability is decided (after a commit and before the
 * acknowledgement is sent, after the acknowledgement is received and
 * before the queue forgets), so the tests can kill exactly there.
 */
#ifndef CG_FAULT_H
#define CG_FAULT_H

void fault_point(const char *name);

#endif
