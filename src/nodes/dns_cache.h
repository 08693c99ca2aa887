/* dns_cache.h - the cache of a resolving DNS server: RRsets and negative
 * answers (RFC 2308) kept for their TTL, counted down in virtual time.
 *
 * Every change and every use is a TRACE_STATE event (proto DNS) at the
 * cache's node, so a viewer rebuilds the cache from the trace alone:
 *
 *   a        enum dns_state_op (DNS_ST_CACHE_ADD, _HIT, _EXPIRE, _FLUSH)
 *   b        TTL in seconds: as stored (add), left (hit), 0 otherwise
 *   c        when the entry expires, ns of virtual time (add, hit)
 *   data     the entry as a DNS message (RFC 1035 wire format, id 0,
 *            QR set): the question is the key (owner, type; type ANY
 *            for an NXDOMAIN entry, which covers every type), ANSWER
 *            holds the RRset with its TTL, a negative entry has RCODE
 *            NXDOMAIN or NOERROR and the SOA in AUTHORITY. None for
 *            a flush.
 *   summary  "cache + gaia.cs.umass.edu. 300 A 128.119.245.12",
 *            "cache hit gaia.cs.umass.edu. A (TTL 240 left)",
 *            "cache expired gaia.cs.umass.edu. A", "cache flushed ..."
 *
 * An add replaces the entry with the same key. */
#ifndef NL_DNS_CACHE_H
#define NL_DNS_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/sim.h"
#include "net/net.h"
#include "proto/dns/dns_msg.h"
#include "util/status.h"

#define DNS_CACHE_MAX 10000	/* entries; past it the oldest goes */

/* What a DNS state event (TRACE_STATE, proto DNS) did: its `a`. ORDER
 * STATE: the numbers are written in trace files; never renumber. */
enum dns_state_op {
	DNS_ST_CACHE_ADD = 0,	/* an entry entered the cache */
	DNS_ST_CACHE_HIT = 1,	/* an entry answered a question */
	DNS_ST_CACHE_EXPIRE = 2,	/* its TTL ran out: the entry is gone */
	DNS_ST_CACHE_FLUSH = 3,	/* every entry is gone (flush, crash) */
	DNS_ST_ZONE_LOAD = 4,	/* a zone's records when the run starts */
	DNS_ST_ZONE_ADD = 5,	/* a record entered a zone */
	DNS_ST_ZONE_DEL = 6	/* a record left a zone */
};
/* "cache-add", ...; never NULL. */
const char *dns_state_op_str(enum dns_state_op op);

struct dns_cache;

/* One entry: an RRset, or a negative answer. */
struct dns_cache_entry {
	struct dns_name *name;	/* owner: the first record's own
					 * name, or (negative) a copy after
					 * the records, in the same block */
	uint16_t type;		/* the RRset's type; DNS_T_ANY: NXDOMAIN */
	uint8_t negative;	/* 1: NXDOMAIN or NODATA, rr[0] the SOA */
	struct dns_rr *rr;	/* the records, or the SOA, in the
				 * entry's own block */
	size_t n;		/* records in rr */
	int pooled;		/* the block is from the cache's pool */
	uint32_t ttl;		/* seconds, as stored */
	sim_time added;		/* when it entered */
	sim_time expires;	/* added + ttl seconds */
	uint64_t ticket;	/* its place among events at `expires` */
	uint32_t at;		/* its index in the cache's expiry heap */
	uint32_t turn;		/* hits so far: the rotation of A/AAAA */
	struct dns_cache *cache;	/* the cache it is in */
	uint32_t hash;		/* of its key, in the cache's table */
	struct dns_cache_entry *older, *newer;	/* in the order added */
};

/* The cache of node `node` in net n (its engine counts the TTLs down,
 * its trace gets the events). NULL when out of memory. */
struct dns_cache *dns_cache_new(struct net *n, int32_t node);
/* Frees the entries and cancels their timers, with no event; NULL does
 * nothing. */
void dns_cache_free(struct dns_cache *c);

/* Stores the RRset rrs[0..n) (one owner and type; the TTL kept is the
 * smallest of theirs, RFC 2181 5.2) in place of any entry of that key.
 * A TTL of 0 is not cached (RFC 1035 3.2.1). NL_ENOMEM. */
enum nl_status dns_cache_put(struct dns_cache *c, const struct dns_rr *rrs,
    size_t n);
/* Stores a negative answer for (name, type), type DNS_T_ANY meaning
 * NXDOMAIN, kept for min(SOA TTL, SOA MINIMUM) (RFC 2308 5). */
enum nl_status dns_cache_put_neg(struct dns_cache *c,
    const struct dns_name *name, uint16_t type, const struct dns_rr *soa);

/* The live entry of (name, type), NULL if none. No event: call
 * dns_cache_hit when the entry is used. */
struct dns_cache_entry *dns_cache_get(struct dns_cache *c,
    const struct dns_name *name, uint16_t type);
/* The TTL left at the current time, in whole seconds rounded up: the
 * TTL stored minus the whole seconds elapsed. */
uint32_t dns_cache_ttl_left(const struct dns_cache_entry *e);
/* Records that e answered something (a hit event) and turns its
 * rotation by one. */
void dns_cache_hit(struct dns_cache_entry *e);

/* Drops every entry. With `why` (e.g. "node down") a flush event says
 * so; NULL: a plain flush. No event when the cache was empty. */
void dns_cache_flush(struct dns_cache *c, const char *why);
size_t dns_cache_count(const struct dns_cache *c);

#endif
