/* dns_cache.c - a resolver's cache in virtual time: RRsets and negative
 * answers (RFC 2308 section 5), each expiring by an engine event at
 * added + TTL, every change and hit a TRACE_STATE event (dns_cache.h
 * describes their fields). */
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

struct dns_cache {
	struct net *net;		/* trace and engine, not owned */
	int32_t node;			/* where the events happen */
	struct dns_cache_entry *oldest, *newest;	/* the order added: a
						 * list, so an entry leaves
						 * in O(1) (a campus cache
						 * holds thousands) */
	size_t n;			/* entries */
	struct dns_cache_entry **bucket;	/* by (name, type) hash, so a
						 * lookup does not scan a
						 * campus-sized cache */
	size_t nbucket;			/* a power of two, or 0 */
	struct nl_pool one_pool;	/* spent single-record entries */
};

/* FNV-1a over the name's octets, ASCII letters folded as dns_name_eq
 * compares them, and the type. */
static size_t
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

static struct dns_cache_entry **
bucket_of(struct dns_cache *c, const struct dns_name *name, uint16_t type)
{
	return &c->bucket[key_hash(name, type) & (c->nbucket - 1)];
}

/* The entry with that key, expired or not; NULL. */
static struct dns_cache_entry *
key_find(struct dns_cache *c, const struct dns_name *name, uint16_t type)
{
	struct dns_cache_entry *e;

	if (c->nbucket == 0)
		return NULL;
	for (e = *bucket_of(c, name, type); e != NULL; e = e->hnext)
		if (e->type == type && dns_name_eq(e->name, name))
			return e;
	return NULL;
}

static void
key_link(struct dns_cache *c, struct dns_cache_entry *e)
{
	struct dns_cache_entry **b = bucket_of(c, e->name, e->type);

	e->hnext = *b;
	*b = e;
}

static void
key_unlink(struct dns_cache *c, struct dns_cache_entry *e)
{
	struct dns_cache_entry **pp;

	if (c->nbucket == 0)
		return;
	for (pp = bucket_of(c, e->name, e->type); *pp != NULL;
	    pp = &(*pp)->hnext)
		if (*pp == e) {
			*pp = e->hnext;
			return;
		}
}

/* Room in the table for one more entry: at most one per bucket on
 * average. */
static enum nl_status
key_grow(struct dns_cache *c)
{
	size_t nb = c->nbucket ? c->nbucket : 16, i;
	struct dns_cache_entry **old = c->bucket;
	size_t oldn = c->nbucket;

	if (c->n + 1 <= c->nbucket)
		return NL_OK;
	while (c->n + 1 > nb)
		nb *= 2;
	c->bucket = nl_calloc(nb, sizeof *c->bucket);
	if (c->bucket == NULL) {
		c->bucket = old;
		return NL_ENOMEM;
	}
	c->nbucket = nb;
	for (i = 0; i < oldn; i++)
		while (old[i] != NULL) {
			struct dns_cache_entry *e = old[i];

			old[i] = e->hnext;
			key_link(c, e);
		}
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

/* A zeroed entry of c with room for n records right after it, and for
 * its own copy of the owner name after them when `own_name` (a negative
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
	if (n == 1 && !own_name)
		e = nl_pool_zget(&c->one_pool);
	else
		e = nl_calloc(1, ENTRY_HEAD + n * sizeof(struct dns_rr) +
		    extra);
	if (e != NULL) {
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
		dns_zone_rr_clear(&e->rr[i]);
	if (e->pooled)		/* the records are in the same block */
		nl_pool_put(&e->cache->one_pool, e);
	else
		nl_free(e);
}

/* Takes e out of the cache (keeping the order of the others), cancels
 * its timer unless it is the one firing, frees it. */
static void
entry_remove(struct dns_cache *c, struct dns_cache_entry *e)
{
	key_unlink(c, e);
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		c->oldest = e->newer;
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		c->newest = e->older;
	c->n--;
	if (e->timer != 0)
		(void)sim_cancel(net_sim(c->net), e->timer);
	entry_free(e);
}

void
dns_cache_free(struct dns_cache *c)
{
	if (c == NULL)
		return;
	while (c->newest != NULL)
		entry_remove(c, c->newest);
	nl_pool_drain(&c->one_pool);
	nl_free(c->bucket);
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

/* The engine event at an entry's expiry: the expire event, then the
 * entry goes. */
static sim_time
entry_expire(struct sim *s, void *arg)
{
	struct dns_cache_entry *e = arg;
	struct dns_cache *c = e->cache;
	struct nl_dbuf b;

	NL_UNUSED(s);
	e->timer = 0;
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
	struct dns_cache_entry *e = key_find(c, name, type);

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
	struct nl_dbuf b;
	size_t i;
	enum nl_status st = NL_OK;
	char t[16];

	old = key_find(c, e->name, e->type);
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
	e->timer = sim_schedule_at(net_sim(c->net), e->expires, entry_expire,
	    e, NULL);
	if (e->timer == 0) {
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
	if (net_trace(c->net) == NULL)
		return NL_OK;

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
	return NL_OK;
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
	while (c->newest != NULL)
		entry_remove(c, c->newest);
	if (why != NULL)
		snprintf(text, sizeof text, "cache lost: %s (%zu entr%s gone)",
		    why, n, n == 1 ? "y" : "ies");
	else
		snprintf(text, sizeof text, "cache flushed (%zu entr%s gone)",
		    n, n == 1 ? "y" : "ies");
	emit(c, DNS_ST_CACHE_FLUSH, NULL, 0, text);
}
