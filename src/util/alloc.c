/* alloc.c - the allocator wrapper with a failure countdown for tests. */
#include "util/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static long fail_countdown = -1;	/* allocations left before failing; -1 off */
static int fail_seen;			/* an allocation failed since last set */

static int
should_fail(void)
{
	if (fail_countdown < 0)
		return 0;
	if (fail_countdown == 0) {
		fail_seen = 1;
		return 1;
	}
	fail_countdown--;
	return 0;
}

void *
nl_alloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

/* Below this, nl_calloc is malloc and memset: glibc's calloc skips the
 * per-thread cache that malloc uses and takes its slow path every time,
 * which was a tenth of a campus run. Large blocks still go to calloc,
 * which gets fresh zeroed pages without writing them. */
#define NL_CALLOC_SMALL ((size_t)64 * 1024)

/* memset through a pointer the compiler cannot see through: gcc -O2
 * turns malloc followed by memset to zero back into calloc. */
static void *(*volatile zero_fn)(void *, int, size_t) = memset;

void *
nl_calloc(size_t count, size_t size)
{
	size_t n;
	void *p;

	if (should_fail())
		return NULL;
	if (count == 0 || size == 0)
		count = size = 1;
	if (count > SIZE_MAX / size)
		return NULL;
	n = count * size;
	if (n >= NL_CALLOC_SMALL)
		return calloc(count, size);
	p = malloc(n);
	if (p != NULL)
		(void)zero_fn(p, 0, n);
	return p;
}

void *
nl_realloc(void *p, size_t n)
{
	if (n == 0) {
		free(p);
		return NULL;
	}
	if (should_fail())
		return NULL;
	return realloc(p, n);
}

void
nl_free(void *p)
{
	free(p);
}

void *
nl_memdup(const void *p, size_t n)
{
	void *q;

	if (p == NULL)
		return NULL;
	q = nl_alloc(n);
	if (q != NULL && n > 0)
		memcpy(q, p, n);
	return q;
}

char *
nl_strndup(const char *s, size_t n)
{
	size_t len = 0;
	char *q;

	if (s == NULL)
		return NULL;
	while (len < n && s[len] != '\0')
		len++;
	q = nl_alloc(len + 1);
	if (q == NULL)
		return NULL;
	memcpy(q, s, len);
	q[len] = '\0';
	return q;
}

char *
nl_strdup(const char *s)
{
	if (s == NULL)
		return NULL;
	return nl_strndup(s, strlen(s));
}

enum nl_status
nl_array_grow(void **arr, size_t n, size_t *cap, size_t size, size_t first)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return NL_OK;
	ncap = *cap ? *cap * 2 : (first ? first : 1);
	if (ncap < *cap || ncap > SIZE_MAX / size)
		return NL_ELIMIT;
	p = nl_realloc(*arr, ncap * size);
	if (p == NULL)
		return NL_ENOMEM;
	*arr = p;
	*cap = ncap;
	return NL_OK;
}

void
nl_alloc_fail_after(long n)
{
	fail_countdown = n < 0 ? -1 : n;
	fail_seen = 0;
}

int
nl_alloc_failed(void)
{
	return fail_seen;
}
