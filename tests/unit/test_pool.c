/* test_pool.c - free lists of fixed-size objects: reuse, the cap on what
 * is kept, zeroing, draining, and allocation failure reaching the pool. */
#include "test.h"

#include <stdint.h>
#include <string.h>

#include "util/alloc.h"
#include "util/pool.h"

/* Freed objects come back on the next gets (last in, first out; first
 * in, first out under AddressSanitizer), their bytes usable in full. */
static void
test_reuse(void)
{
	struct nl_pool p;
	unsigned char *a, *b, *c;

	nl_pool_init(&p, 100, 8);
	a = nl_pool_get(&p);
	b = nl_pool_get(&p);
	ASSERT(a != NULL && b != NULL && a != b);
	memset(a, 0xaa, 100);
	memset(b, 0xbb, 100);
	nl_pool_put(&p, a);
	nl_pool_put(&p, b);
	ASSERT_EQ(p.n, 2);
	c = nl_pool_get(&p);
	ASSERT(c == a || c == b);
	memset(c, 0xcc, 100);
	a = nl_pool_get(&p);
	ASSERT(a != c && (a == b || c == b));
	memset(a, 0xdd, 100);
	ASSERT_EQ(p.n, 0);
	nl_pool_put(&p, a);
	nl_pool_put(&p, c);
	nl_pool_put(&p, NULL);		/* nothing */
	ASSERT_EQ(p.n, 2);
	nl_pool_drain(&p);
	ASSERT_EQ(p.n, 0);
	ASSERT(p.free == NULL);
}

/* Past max, a put frees instead of keeping; an object smaller than a
 * pointer is made a pointer wide (the link lives in it). */
static void
test_cap_and_small(void)
{
	struct nl_pool p;
	void *v[5];
	int i;

	nl_pool_init(&p, 1, 3);
	ASSERT_EQ(p.size, sizeof(void *));
	for (i = 0; i < 5; i++)
		ASSERT((v[i] = nl_pool_get(&p)) != NULL);
	for (i = 0; i < 5; i++)
		nl_pool_put(&p, v[i]);
	ASSERT_EQ(p.n, 3);
	nl_pool_drain(&p);
	ASSERT_EQ(p.n, 0);
}

/* zget clears an object that comes back dirty. */
static void
test_zget(void)
{
	struct nl_pool p;
	unsigned char *a;
	size_t i;

	nl_pool_init(&p, 64, 4);
	a = nl_pool_get(&p);
	ASSERT(a != NULL);
	memset(a, 0x5a, 64);
	nl_pool_put(&p, a);
	a = nl_pool_zget(&p);
	ASSERT(a != NULL);
	for (i = 0; i < 64; i++)
		ASSERT_EQ(a[i], 0);
	nl_pool_put(&p, a);
	nl_pool_drain(&p);
}

/* An empty pool allocates, so the failure countdown reaches it; a kept
 * object is handed out without allocating. */
static void
test_alloc_failure(void)
{
	struct nl_pool p;
	void *a;

	nl_pool_init(&p, 32, 4);
	nl_alloc_fail_after(0);
	ASSERT(nl_pool_get(&p) == NULL);
	ASSERT(nl_pool_zget(&p) == NULL);
	nl_alloc_fail_after(-1);
	a = nl_pool_get(&p);
	ASSERT(a != NULL);
	nl_pool_put(&p, a);
	nl_alloc_fail_after(0);
	ASSERT(nl_pool_get(&p) == a);
	nl_alloc_fail_after(-1);
	nl_pool_put(&p, a);
	nl_pool_drain(&p);
}

/* nl_calloc zeroes below and above the size where it stops using
 * calloc, and refuses a count times size that overflows. */
static void
test_calloc(void)
{
	size_t sizes[] = { 1, 100, 4096, 65535, 65536, 200000 }, i, k;

	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		unsigned char *p = nl_alloc(sizes[i]);

		ASSERT(p != NULL);
		memset(p, 0x77, sizes[i]);	/* dirty the heap */
		nl_free(p);
		p = nl_calloc(sizes[i], 1);
		ASSERT(p != NULL);
		for (k = 0; k < sizes[i]; k++)
			if (p[k] != 0)
				break;
		ASSERT_EQ(k, sizes[i]);
		nl_free(p);
	}
	ASSERT(nl_calloc((size_t)-1 / 2, 4) == NULL);
}

/* Slab mode: one allocation brings per_slab objects, distinct, aligned
 * and each usable in full; given-back ones are kept whatever their
 * number; a failed slab allocation is a NULL, not a crash; drain frees
 * the slabs. */
static void
test_slab(void)
{
	struct nl_pool p;
	unsigned char *v[10];
	int i, j;

	nl_pool_init_slab(&p, 40, 4);
	ASSERT_EQ(p.size % 16, 0);
	nl_alloc_fail_after(1);		/* room for one slab only */
	for (i = 0; i < 4; i++) {
		v[i] = nl_pool_get(&p);
		ASSERT(v[i] != NULL);
		ASSERT_EQ((uintptr_t)v[i] % 16, 0);
		memset(v[i], i + 1, 40);
	}
	ASSERT(nl_pool_get(&p) == NULL);	/* the second slab failed */
	nl_alloc_fail_after(-1);
	for (i = 0; i < 4; i++)
		for (j = 0; j < 40; j++)
			ASSERT_EQ(v[i][j], i + 1);
	for (i = 4; i < 10; i++)
		ASSERT((v[i] = nl_pool_get(&p)) != NULL);
	for (i = 0; i < 10; i++)
		for (j = i + 1; j < 10; j++)
			ASSERT(v[i] != v[j]);
	for (i = 0; i < 10; i++)
		nl_pool_put(&p, v[i]);
	ASSERT_EQ(p.n, 12);		/* three slabs of four */
	nl_pool_drain(&p);
	ASSERT_EQ(p.n, 0);
	ASSERT(p.slabs == NULL && p.free == NULL);
	ASSERT(nl_pool_zget(&p) != NULL);	/* usable after a drain */
	nl_pool_drain(&p);
}

const struct test_case tests_pool[] = {
	{ "pool_reuse", test_reuse },
	{ "pool_cap_and_small", test_cap_and_small },
	{ "pool_zget", test_zget },
	{ "pool_alloc_failure", test_alloc_failure },
	{ "pool_calloc", test_calloc },
	{ "pool_slab", test_slab },
	{ NULL, NULL },
};
