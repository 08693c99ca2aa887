/* evq.h - the event queue: 4-ary min-heaps of small (time, seq, slot)
 * keys over a pool of event records, ids instead of pointers, lazy
 * deletion of cancelled events. Private to the engine. */
#ifndef NL_EVQ_H
#define NL_EVQ_H

#include <stdint.h>

#include "engine/sim.h"
#include "util/status.h"

/* 16 bytes, so four children of a 4-ary node share one cache line. */
struct evq_key {
	sim_time t;		/* when the event fires */
	uint64_t seqslot;	/* seq << EVQ_SLOT_BITS | slot: the schedule
				 * counter breaks ties FIFO, the slot indexes
				 * evq.ev */
};

#define EVQ_SLOT_BITS 24	/* at most 16,777,216 events pending */
#define EVQ_SLOT_MASK ((1u << EVQ_SLOT_BITS) - 1)

struct evq_ev {
	sim_fn *fn;		/* callback, NULL when the slot is free */
	void *arg;		/* callback argument */
	sim_fin_fn *fin;	/* optional finalizer of arg */
	uint32_t gen;		/* bumped on each reuse; high half of the id */
	uint32_t next_free;	/* free list link, valid when free */
	uint8_t state;		/* EVQ_FREE, EVQ_PENDING, EVQ_RUNNING, EVQ_DEAD */
};

/* One 4-ary min-heap of keys. */
struct evq_heap {
	struct evq_key *k;	/* k[0] is the earliest key; in mem */
	uint32_t n;		/* keys, dead ones included */
	uint32_t cap;		/* keys allocated */
	void *mem;		/* the allocation k is aligned in */
};

/* Two heaps: events due within EVQ_NEAR of the last pop (datagrams on
 * the wire, mostly) and the rest (timeouts, TIME-WAIT, idle timers). A
 * campus keeps a few dozen of the first and tens of thousands of the
 * second; in one heap every pop sifted a far timer down through all of
 * them. The earlier of the two tops is the next event, so the order is
 * exactly that of one heap. */
struct evq {
	struct evq_heap near, far;
	sim_time now;		/* time of the last pop */
	struct evq_ev *ev;	/* event records, indexed by slot */
	uint32_t nev;		/* records allocated */
	uint32_t free_head;	/* first free slot, EVQ_NONE if none */
	uint32_t dead;		/* cancelled keys still in the heaps */
	uint64_t seq;		/* next seq */
};

struct evq_fire {
	sim_time t;		/* the event's time */
	sim_fn *fn;		/* what to call */
	void *arg;		/* with what */
	uint32_t slot;		/* to hand back to evq_done */
};

enum nl_status evq_init(struct evq *q);
/* Frees everything, running finalizers of events still pending. */
void evq_free(struct evq *q);
/* Adds an event; returns its id or 0 when out of memory (fin then ran). */
uint64_t evq_push(struct evq *q, sim_time t, sim_fn *fn, void *arg,
    sim_fin_fn *fin);
/* A seq taken now for evq_push_ticket later (sim_ticket). */
uint64_t evq_ticket(struct evq *q);
/* evq_push with that seq instead of the next one; 0 (fin has run) also
 * when the ticket was never issued. */
uint64_t evq_push_ticket(struct evq *q, sim_time t, uint64_t ticket,
    sim_fn *fn, void *arg, sim_fin_fn *fin);
enum nl_status evq_cancel(struct evq *q, uint64_t id);
int evq_is_pending(const struct evq *q, uint64_t id);
/* Pops the earliest live event with time <= limit into *f and marks it
 * running; returns 0 if there is none. */
int evq_pop(struct evq *q, sim_time limit, struct evq_fire *f);
/* Ends the running event: re-arms it at `again` (>= 0) unless it was
 * cancelled while running, or releases it (running its finalizer). */
void evq_done(struct evq *q, uint32_t slot, sim_time again);
/* Live (pending) events. */
uint64_t evq_live(const struct evq *q);

#endif
