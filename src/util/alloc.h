/* alloc.h - the one allocator every netlab module goes through.
 *
 * Test builds make the Nth allocation fail on demand, so every failure path
 * can be exercised (SQLite's faultsimStep, Lua's Memcontrol). */
#ifndef NL_ALLOC_H
#define NL_ALLOC_H

#include <stddef.h>

#include "util/status.h"

/* malloc/calloc/realloc with the fault countdown applied; NULL on failure.
 * nl_realloc(p, 0) frees p and returns NULL. */
void *nl_alloc(size_t n);
void *nl_calloc(size_t count, size_t size);
void *nl_realloc(void *p, size_t n);
/* free(); nl_free(NULL) does nothing. */
void nl_free(void *p);

/* Copies owned by the caller (free with nl_free); NULL on failure or when
 * s is NULL. nl_strndup copies at most n bytes and always terminates. */
char *nl_strdup(const char *s);
char *nl_strndup(const char *s, size_t n);
void *nl_memdup(const void *p, size_t n);

/* Makes room for one more element in a growable array: *arr holds n
 * elements of `size` bytes in *cap allocated. Doubles the capacity
 * (starting at `first`); on failure *arr and *cap are unchanged:
 * NL_ENOMEM, or NL_ELIMIT when the byte count would overflow. */
enum nl_status nl_array_grow(void **arr, size_t n, size_t *cap, size_t size,
    size_t first);

/* Fault injection. nl_alloc_fail_after(n): the next n allocations succeed
 * and every one after them fails, until nl_alloc_fail_after(-1) turns it
 * off. nl_alloc_failed() tells whether any allocation failed since the
 * countdown was last set. Not thread-safe: netlab is single-threaded. */
void nl_alloc_fail_after(long n);
int nl_alloc_failed(void);

#endif
