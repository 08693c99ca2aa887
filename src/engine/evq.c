/* evq.c - 4-ary min-heap of event keys with a pooled, id-addressed store.
 *
 * The heap moves only 24-byte keys; callbacks stay put in the pool, so a
 * schedule costs no malloc once the pool has grown (ns-3's scheduler
 * keeps the same split between the key and the event impl). Cancel only
 * marks the record dead; dead keys are dropped when they surface, or all
 * at once when they outnumber the live ones. */
#include "engine/evq.h"

#include <string.h>

#include "util/alloc.h"

#define EVQ_NONE UINT32_MAX
#define EVQ_D 4			/* heap arity */

enum { EVQ_FREE, EVQ_PENDING, EVQ_RUNNING, EVQ_DEAD };

static int
key_less(const struct evq_key *a, const struct evq_key *b)
{
	if (a->t != b->t)
		return a->t < b->t;
	return a->seqslot < b->seqslot;
}

static void
sift_up(struct evq *q, uint32_t i)
{
	struct evq_key k = q->heap[i];

	while (i > 0) {
		uint32_t parent = (i - 1) / EVQ_D;

		if (!key_less(&k, &q->heap[parent]))
			break;
		q->heap[i] = q->heap[parent];
		i = parent;
	}
	q->heap[i] = k;
}

static void
sift_down(struct evq *q, uint32_t i)
{
	struct evq_key k = q->heap[i];
	uint32_t n = q->n;

	for (;;) {
		uint32_t c = i * EVQ_D + 1, best, j, end;

		if (c >= n)
			break;
		best = c;
		end = c + EVQ_D < n ? c + EVQ_D : n;
		for (j = c + 1; j < end; j++)
			if (key_less(&q->heap[j], &q->heap[best]))
				best = j;
		if (!key_less(&q->heap[best], &k))
			break;
		q->heap[i] = q->heap[best];
		i = best;
	}
	q->heap[i] = k;
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
	nl_free(q->heap);
	nl_free(q->ev);
	memset(q, 0, sizeof *q);
	q->free_head = EVQ_NONE;
}

static enum nl_status
grow(struct evq *q)
{
	if (q->n == q->cap) {
		uint32_t cap = q->cap ? q->cap * 2 : 256;
		struct evq_key *h;

		if (q->cap > UINT32_MAX / 4)
			return NL_ELIMIT;
		h = nl_realloc(q->heap, (size_t)cap * sizeof *h);
		if (h == NULL)
			return NL_ENOMEM;
		q->heap = h;
		q->cap = cap;
	}
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

static void
heap_push(struct evq *q, sim_time t, uint64_t seq, uint32_t slot)
{
	struct evq_key *k = &q->heap[q->n];

	k->t = t;
	k->seqslot = seq << EVQ_SLOT_BITS | slot;
	sift_up(q, q->n++);
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

	if (grow(q) != NL_OK) {
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

/* Drops every dead key and rebuilds the heap in O(n); keeps the heap from
 * filling with cancelled timers (a TCP resets its RTO at every ACK). */
static void
compact(struct evq *q)
{
	uint32_t i, n = 0;

	for (i = 0; i < q->n; i++) {
		uint32_t slot =
		    (uint32_t)(q->heap[i].seqslot & EVQ_SLOT_MASK);

		if (q->ev[slot].state == EVQ_DEAD)
			release(q, slot);
		else
			q->heap[n++] = q->heap[i];
	}
	q->n = n;
	q->dead = 0;
	for (i = n / EVQ_D + 1; i-- > 0;)
		if (i < n)
			sift_down(q, i);
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
	if (q->dead > 1024 && q->dead > q->n / 2)
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
	while (q->n > 0) {
		struct evq_key top = q->heap[0];
		uint32_t slot = (uint32_t)(top.seqslot & EVQ_SLOT_MASK);
		struct evq_ev *e = &q->ev[slot];

		if (e->state != EVQ_DEAD && top.t > limit)
			return 0;
		q->heap[0] = q->heap[--q->n];
		if (q->n > 0)
			sift_down(q, 0);
		if (e->state == EVQ_DEAD) {
			q->dead--;
			release(q, slot);
			continue;
		}
		e->state = EVQ_RUNNING;
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
	int room = again >= 0 && grow(q) == NL_OK;

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
	return (uint64_t)q->n - q->dead;
}
