/* pool.c - free lists of fixed-size objects (see pool.h). */
#include "util/pool.h"

#include <string.h>

#include "util/alloc.h"

/* AddressSanitizer's manual poisoning, when the build has it. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NL_POOL_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define NL_POOL_ASAN 1
#endif

#ifdef NL_POOL_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* Objects are kept aligned for any type: sizes round up to this. */
#define POOL_ALIGN (sizeof(void *) > 8 ? sizeof(void *) : 16)

void
nl_pool_init(struct nl_pool *p, size_t size, size_t max)
{
	p->free = NULL;
	p->size = size < sizeof(void *) ? sizeof(void *) : size;
	p->n = 0;
	p->max = max;
	p->per_slab = 0;
	p->slabs = NULL;
	p->tail = NULL;
}

void
nl_pool_init_slab(struct nl_pool *p, size_t size, size_t per_slab)
{
	nl_pool_init(p, (size + POOL_ALIGN - 1) / POOL_ALIGN * POOL_ALIGN,
	    (size_t)-1);
	p->per_slab = per_slab > 0 ? per_slab : 1;
}

/* Puts obj on the free list, poisoned. Normally last in, first out: the
 * next get takes the object freed last, still in cache. Under
 * AddressSanitizer first in, first out, so a freed object waits behind
 * all the others before it is handed out again and a use after
 * nl_pool_put still lands on poisoned memory (the quarantine a plain
 * free would have had). */
static void
keep(struct nl_pool *p, void *obj)
{
#ifdef NL_POOL_ASAN
	void *none = NULL;

	memcpy(obj, &none, sizeof(void *));
	POISON((char *)obj + sizeof(void *), p->size - sizeof(void *));
	POISON(obj, sizeof(void *));
	if (p->tail != NULL) {
		UNPOISON(p->tail, sizeof(void *));
		memcpy(p->tail, &obj, sizeof(void *));
		POISON(p->tail, sizeof(void *));
	} else {
		p->free = obj;
	}
	p->tail = obj;
#else
	memcpy(obj, &p->free, sizeof(void *));
	p->free = obj;
#endif
	p->n++;
}

/* Slab mode, pool empty: a new slab, its objects onto the free list.
 * A slab starts with its link to the next, padded to POOL_ALIGN. */
static void
slab_add(struct nl_pool *p)
{
	size_t k;
	char *slab;

	if (p->per_slab > ((size_t)-1 - POOL_ALIGN) / p->size)
		return;
	slab = nl_alloc(POOL_ALIGN + p->per_slab * p->size);
	if (slab == NULL)
		return;
	memcpy(slab, &p->slabs, sizeof(void *));
	p->slabs = slab;
	for (k = p->per_slab; k-- > 0;)
		keep(p, slab + POOL_ALIGN + k * p->size);
}

void *
nl_pool_get(struct nl_pool *p)
{
	void *obj;

	if (p->free == NULL && p->per_slab > 0)
		slab_add(p);
	obj = p->free;
	if (obj == NULL)
		return p->per_slab > 0 ? NULL : nl_alloc(p->size);
	/* Only the link is readable while the object is kept. */
	UNPOISON(obj, sizeof(void *));
	memcpy(&p->free, obj, sizeof(void *));
	UNPOISON(obj, p->size);
	if (p->free == NULL)
		p->tail = NULL;
	p->n--;
	return obj;
}

void *
nl_pool_zget(struct nl_pool *p)
{
	void *obj = nl_pool_get(p);

	if (obj != NULL)
		memset(obj, 0, p->size);
	return obj;
}

void
nl_pool_put(struct nl_pool *p, void *obj)
{
	if (obj == NULL)
		return;
	if (p->n >= p->max) {
		nl_free(obj);
		return;
	}
	keep(p, obj);
}

void
nl_pool_drain(struct nl_pool *p)
{
	if (p->per_slab > 0) {
		while (p->slabs != NULL) {
			char *slab = p->slabs;

			UNPOISON(slab + POOL_ALIGN, p->per_slab * p->size);
			memcpy(&p->slabs, slab, sizeof(void *));
			nl_free(slab);
		}
		p->free = p->tail = NULL;
		p->n = 0;
		return;
	}
	while (p->free != NULL) {
		void *obj = p->free;

		UNPOISON(obj, sizeof(void *));
		memcpy(&p->free, obj, sizeof(void *));
		UNPOISON(obj, p->size);
		nl_free(obj);
	}
	p->tail = NULL;
	p->n = 0;
}
