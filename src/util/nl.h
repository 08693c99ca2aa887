/* nl.h - small helpers every module may use: array length, defensive
 * branch markers, and the unused-parameter marker. */
#ifndef NL_NL_H
#define NL_NL_H

#include <assert.h>

#define NL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define NL_UNUSED(x) ((void)(x))
#define NL_MIN(a, b) ((a) < (b) ? (a) : (b))
#define NL_MAX(a, b) ((a) > (b) ? (a) : (b))

/* ALWAYS(x)/NEVER(x) wrap "cannot happen" branches (SQLite's habit): in
 * debug builds they assert, in release builds the branch still guards.
 * Input bytes never reach them; those get status codes. */
#ifdef NDEBUG
#define NL_ALWAYS(x) (x)
#define NL_NEVER(x) (x)
#else
#define NL_ALWAYS(x) ((x) ? 1 : (assert(0 && "ALWAYS"), 0))
#define NL_NEVER(x) ((x) ? (assert(0 && "NEVER"), 1) : 0)
#endif

#endif
