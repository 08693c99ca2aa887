/* dns_cache.c - a resolver's cache in virtual time: RRsets and negative
 * answers (RFC 2308 section 5), each expiring at added + TTL, every
 * change and hit a TRACE_STATE event (dns_cache.h describes their
 * fields).
 *
 * The expiries wait in the cache's own heap, and only the earliest is an
 * engine event: a campus's hundred resolvers hold hundreds of thousands
 * of entries, and as engine events they made every event of the run
 * wade through a heap ten times larger. Each entry takes an engine
 * ticket when it is added, so it still expires at the very place among
 * same-time events that an event of its own would have had. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "nodes/dns_cache.h"
#include "nodes/dns_zone.h"
#include "util/alloc.h"
#include "util/nl.h"
#include "util/pool.h"

/* Bytes before the records in an entry's block. */
#define ENTRY_HEAD ((sizeof(struct dns_cache_entry) + \
	_Alignof(struct dns_rr) - 1) / _Alignof(struct dns_rr) * \
	_Alignof(struct dns_rr))

/* An expiry heap slot: the key kept beside the pointer, so that a sift
 * compares without reading (cold) entries. */
struct exp_slot {
	sim_time expires;		/* the entry's */
	uint64_t ticket;		/* the entry's */
	struct dns_cache_entry *e;
};

/* A hash table slot: the hash kept beside the pointer. */
struct dns_cache_slot {
	uint32_t hash;			/* key_hash of the entry */
	struct dns_cache_entry *e;	/* NULL: empty */
};

struct dns_cache {
	struct net *net;		/* trace and engine, not owned */
	int32_t node;			/* where the events happen */
	struct dns_cache_entry *oldest, *newest;	/* the order added: a
						 * list, so an entry leaves
						 * in O(1) (a campus cache
						 * holds thousands) */
	size_t n;			/* entries */
	struct dns_cache_slot *slot;	/* by (name, type) hash, so a
					 * lookup does not scan a
					 * campus-sized cache */
	size_t nslot;			/* a power of two, or 0 */
	struct nl_pool one_pool;	/* spent single-record entries */
	struct exp_slot *heap;		/* by (expires, ticket): heap[0]
					 * expires first */
	size_t nheap, capheap;
	uint64_t timer;			/* the engine event of heap[0] */
};

static sim_time entry_expire(struct sim *s, void *arg);
static void entry_added(struct dns_cache *c, const struct dns_cache_entry *e);

/* 1 if a and b are the same name to the byte (dns_name_eq ignores
 * case). */
static int
name_identical(const struct dns_name *a, const struct dns_name *b)
{
	return a->len == b->len && memcmp(a->wire, b->wire, a->len) == 0;
}

/* ---- The expiry heap ---- */

static int
exp_less(const struct exp_slot *a, const struct exp_slot *b)
{
	if (a->expires != b->expires)
		return a->expires < b->expires;
	return a->ticket < b->ticket;
}

static void
exp_set(struct dns_cache *c, size_t i, struct exp_slot x)
{
	c->heap[i] = x;
	x.e->at = (uint32_t)i;
}

static void
exp_up(struct dns_cache *c, size_t i)
{
	struct exp_slot x = c->heap[i];

	while (i > 0 && exp_less(&x, &c->heap[(i - 1) / 2])) {
		exp_set(c, i, c->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	exp_set(c, i, x);
}

static void
exp_down(struct dns_cache *c, size_t i)
{
	struct exp_slot x = c->heap[i];

	for (;;) {
		size_t l = 2 * i + 1, m = l;

		if (l >= c->nheap)
			break;
		if (l + 1 < c->nheap &&
		    exp_less(&c->heap[l + 1], &c->heap[l]))
			m = l + 1;
		if (!exp_less(&c->heap[m], &x))
			break;
		exp_set(c, i, c->heap[m]);
		i = m;
	}
	exp_set(c, i, x);
}

/* The engine event for the earliest expiry, after heap[0] changed; the
 * old one goes (unless it is the one firing: `timer` is 0 then). Out of
 * memory, the old one stays and NL_ENOMEM. */
static enum nl_status
exp_arm(struct dns_cache *c)
{
	struct sim *s = net_sim(c->net);
	uint64_t id = 0;

	if (c->nheap > 0) {
		/* Not before now: an expiry missed when out of memory
		 * comes late rather than never. */
		sim_time at = NL_MAX(c->heap[0].expires, sim_now(s));

		id = sim_schedule_ticket(s, at, c->heap[0].ticket,
		    entry_expire, c, NULL);
		if (id == 0)
			return NL_ENOMEM;
	}
	if (c->timer != 0)
		(void)sim_cancel(s, c->timer);
	c->timer = id;
	return NL_OK;
}

/* Takes heap[i] out, without touching the engine. */
static void
exp_take(struct dns_cache *c, size_t i)
{
	struct exp_slot last = c->heap[--c->nheap];

	if (i < c->nheap) {
		exp_set(c, i, last);
		exp_down(c, i);
		exp_up(c, last.e->at);
	}
}

/* Adds e (expires and ticket set); NL_ENOMEM. */
static enum nl_status
exp_add(struct dns_cache *c, struct dns_cache_entry *e)
{
	struct exp_slot x;

	if (c->nheap == c->capheap) {
		size_t cap = c->capheap ? c->capheap * 2 : 64;
		struct exp_slot *h;

		if (cap > UINT32_MAX)
			return NL_ELIMIT;
		h = nl_realloc(c->heap, cap * sizeof *h);
		if (h == NULL)
			return NL_ENOMEM;
		c->heap = h;
		c->capheap = cap;
	}
	x.expires = e->expires;
	x.ticket = e->ticket;
	x.e = e;
	exp_set(c, c->nheap++, x);
	exp_up(c, e->at);
	if (e->at == 0 && exp_arm(c) != NL_OK) {
		exp_take(c, 0);	/* the old earliest keeps its event */
		return NL_ENOMEM;
	}
	return NL_OK;
}

static void
exp_del(struct dns_cache *c, struct dns_cache_entry *e)
{
	size_t i = e->at;

	exp_take(c, i);
	if (i == 0 && exp_arm(c) != NL_OK) {
		/* No event is better than one at the wrong time: lookups
		 * still see the expiries (dns_cache_get). */
		(void)sim_cancel(net_sim(c->net), c->timer);
		c->timer = 0;
	}
}

/* FNV-1a over the name's octets, ASCII letters folded as dns_name_eq
 * compares them, and the type. */
static uint32_t
key_hash(const struct dns_name *name, uint16_t type)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < name->len; i++) {
		uint8_t ch = name->wire[i];

		if (ch >= 'A' && ch <= 'Z')
			ch = (uint8_t)(ch + 32);
		h = (h ^ ch) * 16777619u;
	}
	h = (h ^ (type & 0xff)) * 16777619u;
	h = (h ^ (type >> 8)) * 16777619u;
	return h;
}

/* The slot of e, or where key (name, type) with hash h would go: linear
 * probing, and only a slot whose hash matches costs a look at an entry
 * (a miss on a cold one was a twentieth of a campus run). */
static size_t
slot_find(const struct dns_cache *c, uint32_t h, const struct dns_name *name,
    uint16_t type)
{
	size_t mask = c->nslot - 1, i;

	for (i = h & mask; c->slot[i].e != NULL; i = (i + 1) & mask) {
		const struct dns_cache_entry *e = c->slot[i].e;

		if (c->slot[i].hash == h && e->type == type &&
		    dns_name_eq(e->name, name))
			break;
	}
	return i;
}

/* The entry with that key (of hash h), expired or not; NULL. */
static struct dns_cache_entry *
key_find(struct dns_cache *c, uint32_t h, const struct dns_name *name,
    uint16_t type)
{
	if (c->nslot == 0)
		return NULL;
	return c->slot[slot_find(c, h, name, type)].e;
}

/* Puts e (not in the table, hash set) into its slot. */
static void
key_link(struct dns_cache *c, struct dns_cache_entry *e)
{
	size_t mask = c->nslot - 1, i;

	for (i = e->hash & mask; c->slot[i].e != NULL; i = (i + 1) & mask)
		continue;
	c->slot[i].hash = e->hash;
	c->slot[i].e = e;
}

/* Takes e out of the table, moving back the entries after it that
 * would no longer be found (Knuth's deletion for linear probing). */
static void
key_unlink(struct dns_cache *c, struct dns_cache_entry *e)
{
	size_t mask = c->nslot - 1, i, j;

	if (c->nslot == 0)
		return;
	for (i = e->hash & mask; c->slot[i].e != e; i = (i + 1) & mask)
		if (c->slot[i].e == NULL)
			return;		/* not in the table */
	for (j = (i + 1) & mask; c->slot[j].e != NULL; j = (j + 1) & mask) {
		size_t home = c->slot[j].hash & mask;

		/* Slot j stays if its home is cyclically in (i, j]. */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		c->slot[i] = c->slot[j];
		i = j;
	}
	c->slot[i].e = NULL;
	c->slot[i].hash = 0;
}

/* Room in the table for one more entry: at most half full. */
static enum nl_status
key_grow(struct dns_cache *c)
{
	size_t ns = c->nslot ? c->nslot : 32, i;
	struct dns_cache_slot *old = c->slot;
	size_t oldn = c->nslot;

	if (2 * (c->n + 1) <= c->nslot)
		return NL_OK;
	while (2 * (c->n + 1) > ns)
		ns *= 2;
	c->slot = nl_calloc(ns, sizeof *c->slot);
	if (c->slot == NULL) {
		c->slot = old;
		return NL_ENOMEM;
	}
	c->nslot = ns;
	for (i = 0; i < oldn; i++)
		if (old[i].e != NULL)
			key_link(c, old[i].e);
	nl_free(old);
	return NL_OK;
}

const char *
dns_state_op_str(enum dns_state_op op)
{
	switch (op) {
	case DNS_ST_CACHE_ADD:
		return "cache-add";
	case DNS_ST_CACHE_HIT:
		return "cache-hit";
	case DNS_ST_CACHE_EXPIRE:
		return "cache-expire";
	case DNS_ST_CACHE_FLUSH:
		return "cache-flush";
	case DNS_ST_ZONE_LOAD:
		return "zone-load";
	case DNS_ST_ZONE_ADD:
		return "zone-add";
	case DNS_ST_ZONE_DEL:
		return "zone-del";
	}
	return "?";
}

struct dns_cache *
dns_cache_new(struct net *n, int32_t node)
{
	struct dns_cache *c = nl_calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	c->net = n;
	c->node = node;
	/* Entries pile up (a campus resolver caches thousands), so they
	 * come 64 to a malloc. */
	nl_pool_init_slab(&c->one_pool, ENTRY_HEAD + sizeof(struct dns_rr),
	    64);
	return c;
}

/* An entry of c (its head zeroed) with room for n records after it, and
 * for its own copy of the owner name after them when `own_name` (a negative
 * entry: its record is the SOA, with another owner): one block, as a
 * campus resolver holds thousands of entries, and no second copy of the
 * name a positive entry's first record already has (256 bytes of about
 * 1,200). Positive single-record ones (most: an A, a CNAME, a zone's
 * one NS) come from c's pool, as every referral replaces the NS and
 * glue it brought last time. NULL. */
static struct dns_cache_entry *
entry_new(struct dns_cache *c, size_t n, int own_name)
{
	struct dns_cache_entry *e;
	size_t extra = own_name ? sizeof(struct dns_name) : 0;

	if (n == 0 || n > (SIZE_MAX - ENTRY_HEAD - extra) /
	    sizeof(struct dns_rr))
		return NULL;
	/* Only the head is zeroed: every record is copied in whole before
	 * it counts (e->n), and the name too. */
	if (n == 1 && !own_name)
		e = nl_pool_get(&c->one_pool);
	else
		e = nl_alloc(ENTRY_HEAD + n * sizeof(struct dns_rr) + extra);
	if (e != NULL) {
		memset(e, 0, ENTRY_HEAD);
		e->rr = (struct dns_rr *)(void *)((char *)e + ENTRY_HEAD);
		e->pooled = n == 1 && !own_name;
		e->cache = c;
		e->name = own_name ? (struct dns_name *)(void *)(e->rr + n) :
		    &e->rr[0].name;
	}
	return e;
}

/* Frees an entry that is in no list. */
static void
entry_free(struct dns_cache_entry *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		dns_zone_rr_drop(&e->rr[i]);
	if (e->pooled)		/* the records are in the same block */
		nl_pool_put(&e->cache->one_pool, e);
	else
		nl_free(e);
}

/* Takes e out of the cache (keeping the order of the others) and its
 * expiry heap, frees it. */
static void
entry_remove(struct dns_cache *c, struct dns_cache_entry *e)
{
	key_unlink(c, e);
	exp_del(c, e);
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	c->n--;
	entry_free(e);
}

/* Takes every entry out and frees it, with no event. */
static void
entries_clear(struct dns_cache *c)
{
	struct dns_cache_entry *e;

	if (c->timer != 0)
		(void)sim_cancel(net_sim(c->net), c->timer);
	c->timer = 0;
	c->nheap = 0;
	while ((e = c->oldest) != NULL) {
		c->oldest = e->newer;
		entry_free(e);
	}
	c->newest = NULL;
	c->n = 0;
	if (c->nslot > 0)
		memset(c->slot, 0, c->nslot * sizeof *c->slot);
}

void
dns_cache_free(struct dns_cache *c)
{
	if (c == NULL)
		return;
	entries_clear(c);
	nl_pool_drain(&c->one_pool);
	nl_free(c->heap);
	nl_free(c->slot);
	nl_free(c);
}

size_t
dns_cache_count(const struct dns_cache *c)
{
	return c->n;
}

/* "TYPE" of a type, or "TYPE65280" (RFC 3597). */
static const char *
type_str(uint16_t type, char *buf, size_t size)
{
	const char *s = dns_type_str((enum dns_type)type);

	if (s != NULL)
		return s;
	snprintf(buf, size, "TYPE%u", (unsigned)type);
	return buf;
}

/* "owner. TYPE" or "owner. NXDOMAIN" / "owner. TYPE NODATA". */
static enum nl_status
put_key(struct nl_dbuf *b, const struct dns_cache_entry *e)
{
	char t[16];
	enum nl_status st = dns_name_print(b, e->name);

	if (st != NL_OK)
		return st;
	if (e->negative && e->type == DNS_T_ANY)
		return nl_dbuf_add_str(b, " NXDOMAIN");
	st = nl_dbuf_addf(b, " %s", type_str(e->type, t, sizeof t));
	if (st == NL_OK && e->negative)
		st = nl_dbuf_add_str(b, " NODATA");
	return st;
}

/* The entry as a message (see dns_cache.h) into b; TTLs as given. */
static enum nl_status
entry_msg(const struct dns_cache_entry *e, uint32_t ttl, struct nl_dbuf *b)
{
	struct dns_msg *m = dns_msg_new();
	enum nl_status st;
	size_t i;

	if (m == NULL)
		return NL_ENOMEM;
	m->hdr.qr = 1;
	m->hdr.rcode = e->negative && e->type == DNS_T_ANY ?
	    DNS_R_NXDOMAIN : DNS_R_NOERROR;
	st = dns_msg_add_question(m, e->name, e->type, DNS_C_IN);
	for (i = 0; i < e->n && st == NL_OK; i++)
		st = dns_zone_msg_add(m, e->negative ? DNS_S_AUTHORITY :
		    DNS_S_ANSWER, &e->rr[i], ttl);
	if (st == NL_OK)
		st = dns_msg_write(m, b);
	dns_msg_free(m);
	return st;
}

/* Appends one state event; a summary that could not be built still
 * leaves an event with the op. */
static void
emit(struct dns_cache *c, enum dns_state_op op,
    const struct dns_cache_entry *e, int64_t ttl, const char *summary)
{
	struct trace_event ev;
	struct nl_dbuf data;

	if (net_trace(c->net) == NULL)
		return;		/* traces off: no message to encode */
	nl_dbuf_init(&data, DNS_MSG_MAX);
	if (e != NULL && entry_msg(e, (uint32_t)ttl, &data) != NL_OK)
		nl_dbuf_free(&data);
	memset(&ev, 0, sizeof ev);
	ev.kind = TRACE_STATE;
	ev.proto = TRACE_P_DNS;
	ev.flags = TRACE_F_SHOW;
	ev.node = c->node;
	ev.peer = -1;
	ev.link = -1;
	ev.a = op;
	ev.b = ttl;
	ev.c = e != NULL ? e->expires : 0;
	ev.summary = (char *)(uintptr_t)(summary != NULL ? summary : "");
	ev.data = data.data;
	ev.len = (uint32_t)data.len;
	(void)net_trace_event(c->net, &ev);
	nl_dbuf_free(&data);
}

uint32_t
dns_cache_ttl_left(const struct dns_cache_entry *e)
{
	sim_time left = e->expires - sim_now(net_sim(e->cache->net));

	if (left <= 0)
		return 0;
	return (uint32_t)((left + SIM_S - 1) / SIM_S);
}

/* The engine event at the earliest expiry: the expire event, then the
 * entry goes (and the next earliest gets the engine event). */
static sim_time
entry_expire(struct sim *s, void *arg)
{
	struct dns_cache *c = arg;
	struct dns_cache_entry *e;
	struct nl_dbuf b;

	NL_UNUSED(s);
	c->timer = 0;		/* firing: nothing to cancel */
	if (c->nheap == 0)
		return SIM_DONE;
	e = c->heap[0].e;
	if (net_trace(c->net) != NULL) {
		nl_dbuf_init(&b, 2048);
		if (nl_dbuf_add_str(&b, "cache expired ") == NL_OK)
			(void)put_key(&b, e);
		emit(c, DNS_ST_CACHE_EXPIRE, e, 0, (const char *)b.data);
		nl_dbuf_free(&b);
	}
	entry_remove(c, e);
	return SIM_DONE;
}

struct dns_cache_entry *
dns_cache_get(struct dns_cache *c, const struct dns_name *name,
    uint16_t type)
{
	sim_time now = sim_now(net_sim(c->net));
	struct dns_cache_entry *e = key_find(c, key_hash(name, type), name,
	    type);

	return e != NULL && e->expires > now ? e : NULL;
}

void
dns_cache_hit(struct dns_cache_entry *e)
{
	struct nl_dbuf b;
	uint32_t left = dns_cache_ttl_left(e);

	e->turn++;
	if (net_trace(e->cache->net) == NULL)
		return;
	nl_dbuf_init(&b, 2048);
	if (nl_dbuf_add_str(&b, "cache hit ") == NL_OK &&
	    put_key(&b, e) == NL_OK)
		(void)nl_dbuf_addf(&b, " (TTL %lu left)", (unsigned long)left);
	emit(e->cache, DNS_ST_CACHE_HIT, e, left, (const char *)b.data);
	nl_dbuf_free(&b);
}

/* Puts e in the cache in place of an entry with its key, schedules its
 * expiry and reports the add. Takes e (frees it on failure). */
static enum nl_status
entry_insert(struct dns_cache *c, struct dns_cache_entry *e)
{
	struct dns_cache_entry *old;

	e->hash = key_hash(e->name, e->type);
	old = key_find(c, e->hash, e->name, e->type);
	if (old != NULL)
		entry_remove(c, old);
	else if (c->n == DNS_CACHE_MAX)
		entry_remove(c, c->oldest);
	if (key_grow(c) != NL_OK) {
		entry_free(e);
		return NL_ENOMEM;
	}
	e->cache = c;
	e->added = sim_now(net_sim(c->net));
	e->expires = e->added + (sim_time)e->ttl * SIM_S;
	e->ticket = sim_ticket(net_sim(c->net));
	if (exp_add(c, e) != NL_OK) {
		entry_free(e);
		return NL_ENOMEM;
	}
	e->older = c->newest;
	e->newer = NULL;
	if (c->newest != NULL)
		c->newest->newer = e;
	else
		c->oldest = e;
	c->newest = e;
	c->n++;
	key_link(c, e);
	entry_added(c, e);
	return NL_OK;
}

/* The add event of e, just put in the cache. */
static void
entry_added(struct dns_cache *c, const struct dns_cache_entry *e)
{
	struct nl_dbuf b;
	size_t i;
	enum nl_status st;
	char t[16];

	if (net_trace(c->net) == NULL)
		return;
	/* "cache + gaia.cs.umass.edu. 300 A 128.119.245.12[, ...]" or
	 * "cache + x.umass.edu. 900 NXDOMAIN (negative)". */
	nl_dbuf_init(&b, 4096);
	st = nl_dbuf_add_str(&b, "cache + ");
	if (st == NL_OK)
		st = dns_name_print(&b, e->name);
	if (st == NL_OK)
		st = nl_dbuf_addf(&b, " %lu ", (unsigned long)e->ttl);
	if (st == NL_OK && e->negative)
		st = nl_dbuf_addf(&b, "%s%s (negative)", e->type == DNS_T_ANY ?
		    "" : type_str(e->type, t, sizeof t), e->type == DNS_T_ANY ?
		    "NXDOMAIN" : " NODATA");
	else if (st == NL_OK)
		st = nl_dbuf_add_str(&b, type_str(e->type, t, sizeof t));
	for (i = 0; !e->negative && i < e->n && st == NL_OK; i++) {
		st = nl_dbuf_add_str(&b, i == 0 ? " " : ", ");
		if (st == NL_OK)
			st = dns_rdata_print(&b, &e->rr[i]);
	}
	emit(c, DNS_ST_CACHE_ADD, e, e->ttl, (const char *)b.data);
	nl_dbuf_free(&b);
}

/* 1 if a and b are the same record to the byte, TTL aside. */
static int
rr_identical(const struct dns_rr *a, const struct dns_rr *b)
{
	if (a->type != b->type || a->class != b->class ||
	    !name_identical(&a->name, &b->name))
		return 0;
	switch (dns_rr_kind(a->type, a->class)) {
	case DNS_RD_A:
		return memcmp(a->rd.a, b->rd.a, sizeof a->rd.a) == 0;
	case DNS_RD_AAAA:
		return memcmp(a->rd.aaaa, b->rd.aaaa, sizeof a->rd.aaaa) == 0;
	case DNS_RD_NAME:
		return name_identical(&a->rd.name, &b->rd.name);
	case DNS_RD_MX:
		return a->rd.mx.preference == b->rd.mx.preference &&
		    name_identical(&a->rd.mx.exchange, &b->rd.mx.exchange);
	case DNS_RD_SOA:
		return name_identical(&a->rd.soa.mname, &b->rd.soa.mname) &&
		    name_identical(&a->rd.soa.rname, &b->rd.soa.rname) &&
		    a->rd.soa.serial == b->rd.soa.serial &&
		    a->rd.soa.refresh == b->rd.soa.refresh &&
		    a->rd.soa.retry == b->rd.soa.retry &&
		    a->rd.soa.expire == b->rd.soa.expire &&
		    a->rd.soa.minimum == b->rd.soa.minimum;
	case DNS_RD_TXT:
		return a->rd.txt.len == b->rd.txt.len &&
		    a->rd.txt.count == b->rd.txt.count &&
		    (a->rd.txt.len == 0 || memcmp(a->rd.txt.data,
		    b->rd.txt.data, a->rd.txt.len) == 0);
	case DNS_RD_OPAQUE:
		return a->rd.opaque.len == b->rd.opaque.len &&
		    (a->rd.opaque.len == 0 || memcmp(a->rd.opaque.data,
		    b->rd.opaque.data, a->rd.opaque.len) == 0);
	}
	return 0;
}

/* Puts the RRset again that e already holds to the byte (every referral
 * brings back the NS and glue it brought last time): the same as taking
 * e out and adding a copy, event for event (the entry goes to the end of
 * the order, with a new TTL, expiry and ticket, and the add event), with
 * no copy made. */
static void
entry_refresh(struct dns_cache *c, struct dns_cache_entry *e, uint32_t ttl)
{
	struct sim *s = net_sim(c->net);
	size_t i, at = e->at;

	e->ttl = ttl;
	for (i = 0; i < e->n; i++)
		e->rr[i].ttl = ttl;
	e->turn = 0;
	e->added = sim_now(s);
	e->expires = e->added + (sim_time)ttl * SIM_S;
	e->ticket = sim_ticket(s);
	c->heap[at].expires = e->expires;
	c->heap[at].ticket = e->ticket;
	exp_up(c, at);
	exp_down(c, e->at);
	if ((at == 0 || e->at == 0) && exp_arm(c) != NL_OK) {
		(void)sim_cancel(s, c->timer);	/* as exp_del does */
		c->timer = 0;
	}
	if (e != c->newest) {
		if (e->older != NULL)
			e->older->newer = e->newer;
		else
			c->oldest = e->newer;
		e->newer->older = e->older;
		e->older = c->newest;
		e->newer = NULL;
		c->newest->newer = e;
		c->newest = e;
	}
	entry_added(c, e);
}

enum nl_status
dns_cache_put(struct dns_cache *c, const struct dns_rr *rrs, size_t n)
{
	struct dns_cache_entry *e;
	uint32_t ttl;
	size_t i;

	if (n == 0)
		return NL_OK;
	ttl = rrs[0].ttl;
	for (i = 1; i < n; i++)
		ttl = NL_MIN(ttl, rrs[i].ttl);
	if (ttl == 0)
		return NL_OK;
	e = key_find(c, key_hash(&rrs[0].name, rrs[0].type), &rrs[0].name,
	    rrs[0].type);
	if (e != NULL && !e->negative && e->n == n) {
		for (i = 0; i < n && rr_identical(&e->rr[i], &rrs[i]); i++)
			continue;
		if (i == n) {
			entry_refresh(c, e, ttl);
			return NL_OK;
		}
	}
	e = entry_new(c, n, 0);
	if (e == NULL)
		return NL_ENOMEM;
	e->type = rrs[0].type;
	e->ttl = ttl;
	for (i = 0; i < n; i++) {
		if (dns_zone_rr_copy(&e->rr[i], &rrs[i]) != NL_OK) {
			entry_free(e);
			return NL_ENOMEM;
		}
		e->rr[i].ttl = ttl;
		e->n = i + 1;
	}
	return entry_insert(c, e);
}

enum nl_status
dns_cache_put_neg(struct dns_cache *c, const struct dns_name *name,
    uint16_t type, const struct dns_rr *soa)
{
	struct dns_cache_entry *e;
	uint32_t ttl = dns_zone_soa_neg_ttl(soa);

	if (ttl == 0)
		return NL_OK;
	e = entry_new(c, 1, 1);
	if (e == NULL)
		return NL_ENOMEM;
	if (dns_zone_rr_copy(&e->rr[0], soa) != NL_OK) {
		entry_free(e);	/* back to its pool */
		return NL_ENOMEM;
	}
	e->n = 1;
	e->rr[0].ttl = ttl;
	*e->name = *name;	/* its own copy, after the record */
	e->type = type;
	e->negative = 1;
	e->ttl = ttl;
	return entry_insert(c, e);
}

void
dns_cache_flush(struct dns_cache *c, const char *why)
{
	char text[128];
	size_t n = c->n;

	if (n == 0)
		return;
	entries_clear(c);
	if (why != NULL)
		snprintf(text, sizeof text, "cache lost: %s (%zu entr%s gone)",
		    why, n, n == 1 ? "y" : "ies");
	else
		snprintf(text, sizeof text, "cache flushed (%zu entr%s gone)",
		    n, n == 1 ? "y" : "ies");
	emit(c, DNS_ST_CACHE_FLUSH, NULL, 0, text);
}
