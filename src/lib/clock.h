/*
 * clock.h — the monotonic clock, for timing and deadlines (never for
 * dates): seconds as a double, or milliseconds.
 */
#ifndef CG_CLOCK_H
#define CG_CLOCK_H

#include <stdint.h>

/* Seconds on CLOCK_MONOTONIC. */
double clk_now(void);
/* Milliseconds on CLOCK_MONOTONIC. */
int64_t clk_now_ms(void);

#endif
