/* evq.c - 4-ary min-heaps of event keys with a pooled, id-addressed
 * store.
 *
 * The heaps move only 16-byte keys; callbacks stay put in the pool, so a
 * schedule costs no malloc once the pool has grown (ns-3's scheduler
 * keeps the same split between the key and the event impl). Events due
 * soon and events due later wait in two heaps (evq.h says why); the
 * earlier of the two tops goes next. Cancel only marks the record dead;
 * dead keys are dropped when they surface, or all at once when they
 * outnumber the live ones. */
#include "engine/evq.h"

#include <string.h>

#include "util/alloc.h"

#define EVQ_NONE UINT32_MAX
#define EVQ_D 4			/* heap arity */
#define EVQ_LINE 64		/* cache line: the four children of a node,
				 * k[4i+1..4i+4], start on one */
#define EVQ_NEAR (100 * SIM_MS)	/* due within this of the last pop: the
				 * near heap (evq.h) */

enum { EVQ_FREE, EVQ_PENDING, EVQ_RUNNING, EVQ_DEAD };

static int
key_less(const struct evq_key *a, const struct evq_key *b)
{
	if (a->t != b->t)
		return a->t < b->t;
	return a->seqslot < b->seqslot;
}

static void
sift_up(struct evq_heap *h, uint32_t i)
{
	struct evq_key k = h->k[i];

	while (i > 0) {
		uint32_t parent = (i - 1) / EVQ_D;

		if (!key_less(&k, &h->k[parent]))
			break;
		h->k[i] = h->k[parent];
		i = parent;
	}
	h->k[i] = k;
}

static void
sift_down(struct evq_heap *h, uint32_t i)
{
	struct evq_key k = h->k[i];
	uint32_t n = h->n;

	for (;;) {
		uint32_t c = i * EVQ_D + 1, best, j, end;

		if (c >= n)
			break;
		best = c;
		end = c + EVQ_D < n ? c + EVQ_D : n;
		for (j = c + 1; j < end; j++)
			if (key_less(&h->k[j], &h->k[best]))
				best = j;
		if (!key_less(&h->k[best], &k))
			break;
		h->k[i] = h->k[best];
		i = best;
	}
	h->k[i] = k;
}

/* Room for one more key in h. */
static enum nl_status
heap_grow(struct evq_heap *h)
{
	uint32_t cap;
	char *mem;
	uintptr_t one;
	struct evq_key *k;

	if (h->n < h->cap)
		return NL_OK;
	if (h->cap > UINT32_MAX / 4)
		return NL_ELIMIT;
	cap = h->cap ? h->cap * 2 : 256;
	/* k[1] on a line boundary, so a sift reads one line per level, not
	 * two: malloc aligns to 16 bytes only. */
	mem = nl_alloc((size_t)cap * sizeof *k + EVQ_LINE);
	if (mem == NULL)
		return NL_ENOMEM;
	one = ((uintptr_t)mem + sizeof *k + EVQ_LINE - 1) / EVQ_LINE *
	    EVQ_LINE;
	k = (struct evq_key *)(void *)(mem + (one - sizeof *k -
	    (uintptr_t)mem));
	if (h->n > 0)
		memcpy(k, h->k, (size_t)h->n * sizeof *k);
	nl_free(h->mem);
	h->mem = mem;
	h->k = k;
	h->cap = cap;
	return NL_OK;
}

/* The heap a key due at t goes to. */
static struct evq_heap *
heap_for(struct evq *q, sim_time t)
{
	return t - q->now < EVQ_NEAR ? &q->near : &q->far;
}

/* The heap whose top is the next key; NULL when both are empty. */
static struct evq_heap *
heap_next(struct evq *q)
{
	if (q->near.n == 0)
		return q->far.n > 0 ? &q->far : NULL;
	if (q->far.n == 0 || key_less(&q->near.k[0], &q->far.k[0]))
		return &q->near;
	return &q->far;
}

enum nl_status
evq_init(struct evq *q)
{
	memset(q, 0, sizeof *q);
	q->free_head = EVQ_NONE;
	return NL_OK;
}

void
evq_free(struct evq *q)
{
	uint32_t i;

	for (i = 0; i < q->nev; i++) {
		struct evq_ev *e = &q->ev[i];

		if (e->state == EVQ_PENDING && e->fin != NULL)
			e->fin(e->arg);
	}
	nl_free(q->near.mem);
	nl_free(q->far.mem);
	nl_free(q->ev);
	memset(q, 0, sizeof *q);
	q->free_head = EVQ_NONE;
}

/* Room for one more event due at t: its key and its record. */
static enum nl_status
grow(struct evq *q, sim_time t)
{
	enum nl_status st = heap_grow(heap_for(q, t));

	if (st != NL_OK)
		return st;
	if (q->free_head == EVQ_NONE) {
		uint32_t nev = q->nev ? q->nev * 2 : 256, i;
		struct evq_ev *ev;

		if (q->nev >= EVQ_SLOT_MASK)
			return NL_ELIMIT;
		if (nev > EVQ_SLOT_MASK + 1)
			nev = EVQ_SLOT_MASK + 1;
		ev = nl_realloc(q->ev, (size_t)nev * sizeof *ev);
		if (ev == NULL)
			return NL_ENOMEM;
		memset(ev + q->nev, 0, (size_t)(nev - q->nev) * sizeof *ev);
		/* Thread the new records onto the free list, lowest first. */
		for (i = nev; i-- > q->nev;) {
			ev[i].next_free = q->free_head;
			ev[i].gen = 1;
			q->free_head = i;
		}
		q->ev = ev;
		q->nev = nev;
	}
	return NL_OK;
}

static void
release(struct evq *q, uint32_t slot)
{
	struct evq_ev *e = &q->ev[slot];

	e->state = EVQ_FREE;
	e->fn = NULL;
	e->arg = NULL;
	e->fin = NULL;
	e->gen++;
	if (e->gen == 0)
		e->gen = 1;
	e->next_free = q->free_head;
	q->free_head = slot;
}

/* Adds the key; grow(q, t) made room. */
static void
heap_push(struct evq *q, sim_time t, uint64_t seq, uint32_t slot)
{
	struct evq_heap *h = heap_for(q, t);
	struct evq_key *k = &h->k[h->n];

	k->t = t;
	k->seqslot = seq << EVQ_SLOT_BITS | slot;
	sift_up(h, h->n++);
}

uint64_t
evq_ticket(struct evq *q)
{
	return q->seq++;
}

/* The record for a new event, its key in the heap with seq. */
static uint64_t
push_seq(struct evq *q, sim_time t, uint64_t seq, sim_fn *fn, void *arg,
    sim_fin_fn *fin)
{
	struct evq_ev *e;
	uint32_t slot;

	if (grow(q, t) != NL_OK) {
		if (fin != NULL)
			fin(arg);
		return 0;
	}
	slot = q->free_head;
	e = &q->ev[slot];
	q->free_head = e->next_free;
	e->fn = fn;
	e->arg = arg;
	e->fin = fin;
	e->state = EVQ_PENDING;
	heap_push(q, t, seq, slot);
	return (uint64_t)e->gen << 32 | slot;
}

uint64_t
evq_push(struct evq *q, sim_time t, sim_fn *fn, void *arg, sim_fin_fn *fin)
{
	return push_seq(q, t, q->seq++, fn, arg, fin);
}

uint64_t
evq_push_ticket(struct evq *q, sim_time t, uint64_t ticket, sim_fn *fn,
    void *arg, sim_fin_fn *fin)
{
	if (ticket >= q->seq) {
		if (fin != NULL)
			fin(arg);
		return 0;
	}
	return push_seq(q, t, ticket, fn, arg, fin);
}

static struct evq_ev *
lookup(const struct evq *q, uint64_t id)
{
	uint32_t slot = (uint32_t)id, gen = (uint32_t)(id >> 32);

	if (slot >= q->nev || q->ev[slot].gen != gen)
		return NULL;
	return &q->ev[slot];
}

/* Drops h's dead keys and rebuilds it in O(n). */
static void
compact_heap(struct evq *q, struct evq_heap *h)
{
	uint32_t i, n = 0;

	for (i = 0; i < h->n; i++) {
		uint32_t slot = (uint32_t)(h->k[i].seqslot & EVQ_SLOT_MASK);

		if (q->ev[slot].state == EVQ_DEAD)
			release(q, slot);
		else
			h->k[n++] = h->k[i];
	}
	h->n = n;
	for (i = n / EVQ_D + 1; i-- > 0;)
		if (i < n)
			sift_down(h, i);
}

/* Drops every dead key; keeps the heaps from filling with cancelled
 * timers (every DNS query's timeout, cancelled by the answer). */
static void
compact(struct evq *q)
{
	compact_heap(q, &q->near);
	compact_heap(q, &q->far);
	q->dead = 0;
}

enum nl_status
evq_cancel(struct evq *q, uint64_t id)
{
	struct evq_ev *e = lookup(q, id);
	sim_fin_fn *fin;
	void *arg;

	if (e == NULL)
		return NL_ENOTFOUND;
	if (e->state == EVQ_RUNNING) {
		/* Its finalizer runs when the callback returns. */
		e->state = EVQ_DEAD;
		return NL_OK;
	}
	if (e->state != EVQ_PENDING)
		return NL_ENOTFOUND;
	fin = e->fin;
	arg = e->arg;
	e->state = EVQ_DEAD;
	e->fin = NULL;
	e->arg = NULL;
	q->dead++;
	if (fin != NULL)
		fin(arg);
	if (q->dead > 1024 && q->dead > (q->near.n + q->far.n) / 2)
		compact(q);
	return NL_OK;
}

int
evq_is_pending(const struct evq *q, uint64_t id)
{
	const struct evq_ev *e = lookup(q, id);

	return e != NULL && e->state == EVQ_PENDING;
}

int
evq_pop(struct evq *q, sim_time limit, struct evq_fire *f)
{
	struct evq_heap *h;

	while ((h = heap_next(q)) != NULL) {
		struct evq_key top = h->k[0];
		uint32_t slot = (uint32_t)(top.seqslot & EVQ_SLOT_MASK);
		struct evq_ev *e = &q->ev[slot];

		if (e->state != EVQ_DEAD && top.t > limit)
			return 0;
		h->k[0] = h->k[--h->n];
		if (h->n > 0)
			sift_down(h, 0);
		if (e->state == EVQ_DEAD) {
			q->dead--;
			release(q, slot);
			continue;
		}
		e->state = EVQ_RUNNING;
		q->now = top.t;
		f->t = top.t;
		f->fn = e->fn;
		f->arg = e->arg;
		f->slot = slot;
		return 1;
	}
	return 0;
}

void
evq_done(struct evq *q, uint32_t slot, sim_time again)
{
	struct evq_ev *e;
	int room = again >= 0 && grow(q, again) == NL_OK;

	e = &q->ev[slot];	/* after grow: the pool may have moved */
	if (e->state == EVQ_RUNNING && room) {
		/* Re-armed under the same id: the slot is still ours. */
		e->state = EVQ_PENDING;
		heap_push(q, again, q->seq++, slot);
		return;
	}
	if (e->fin != NULL)
		e->fin(e->arg);
	release(q, slot);
}

uint64_t
evq_live(const struct evq *q)
{
	return (uint64_t)q->near.n + q->far.n - q->dead;
}
