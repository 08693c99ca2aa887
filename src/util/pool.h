/* pool.h - free lists of fixed-size objects for the simulator's hot paths.
 *
 * A run makes and drops millions of same-sized objects: datagrams in
 * flight, resolver tasks, mail deliveries. Objects over about a kilobyte
 * miss the C library's per-size caches and take its slow path each time;
 * a pool keeps the freed ones and hands them out again (the free lists of
 * libuv's request caches and ns-3's packet metadata pool). It is not a
 * general allocator: one size per pool, and a cap on how many it keeps.
 *
 * Under AddressSanitizer a kept object is poisoned, so a use after
 * nl_pool_put is still reported. Allocations go through nl_alloc, so the
 * failure countdown of alloc.h reaches them. */
#ifndef NL_POOL_H
#define NL_POOL_H

#include <stddef.h>

struct nl_pool {
	void *free;		/* kept objects, linked through their first bytes */
	size_t size;		/* bytes per object, at least a pointer */
	size_t n;		/* objects kept */
	size_t max;		/* objects kept at most; the rest are freed */
	size_t per_slab;	/* 0, or objects allocated per slab */
	void *slabs;		/* slab mode: the slabs, linked, owned */
	void *tail;		/* last kept object (AddressSanitizer builds
				 * keep them first in, first out) */
};

/* An empty pool of `size`-byte objects that keeps at most `max`. */
void nl_pool_init(struct nl_pool *p, size_t size, size_t max);
/* An empty pool that allocates its objects per_slab at a time, for
 * objects that pile up (a resolver's cache): one malloc per slab, not
 * per object. It keeps every object given back, and its memory goes
 * only with nl_pool_drain, which frees the slabs: by then every object
 * must have been given back (or be abandoned). */
void nl_pool_init_slab(struct nl_pool *p, size_t size, size_t per_slab);
/* An object of p->size bytes, its contents undefined; NULL when out of
 * memory. */
void *nl_pool_get(struct nl_pool *p);
/* The same, zero-filled. */
void *nl_pool_zget(struct nl_pool *p);
/* Gives obj (from nl_pool_get of this pool, or NULL) back. */
void nl_pool_put(struct nl_pool *p, void *obj);
/* Frees every kept object (slab mode: every slab); the pool stays
 * usable. */
void nl_pool_drain(struct nl_pool *p);

#endif
