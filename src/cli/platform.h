/* platform.h - the few things netlab asks of the operating system that C11
 * does not offer portably: a monotonic clock, peak memory, a display
 * check. Everything Linux-, macOS- or Windows-specific lives in
 * platform.c and nowhere else. */
#ifndef NL_PLATFORM_H
#define NL_PLATFORM_H

#include <stdint.h>

/* Nanoseconds from an arbitrary start, never going backwards. */
uint64_t nl_wall_ns(void);

/* Processor time (user + system) this process used, in nanoseconds, 0
 * if unknown: the figure a loaded machine disturbs least. */
uint64_t nl_cpu_ns(void);

/* Peak resident set size of this process in bytes, 0 if unknown. */
uint64_t nl_peak_rss(void);

#endif
