/* test_dns_cache.c - the resolver's cache in virtual time
 * (nodes/dns_cache.c): the TTL served at t is the TTL stored minus the
 * whole seconds elapsed; at expiry the entry is gone, by an engine event
 * with its own trace event; negative entries (RFC 2308); replacement,
 * flush, and a viewer that rebuilds the cache from the trace alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

#include "engine/sim.h"
#include "net/net.h"
#include "nodes/dns_cache.h"
#include "nodes/dns_zone.h"
#include "proto/dns/dns_msg.h"
#include "trace/trace.h"
#include "util/alloc.h"

struct world {
	struct sim *sim;
	struct trace *trace;
	struct net *net;
	int32_t node;
	struct dns_cache *c;
};

static int
world_new(struct world *w)
{
	memset(w, 0, sizeof *w);
	w->sim = sim_new(1);
	w->trace = trace_new();
	w->net = w->sim && w->trace ? net_new(w->sim, w->trace) : NULL;
	if (w->net == NULL ||
	    net_node_add(w->net, "dns.nyu.edu", "dns-local", 0, &w->node) !=
	    NL_OK)
		return 0;
	w->c = dns_cache_new(w->net, w->node);
	return w->c != NULL;
}

static void
world_free(struct world *w)
{
	dns_cache_free(w->c);
	net_free(w->net);
	trace_free(w->trace);
	sim_free(w->sim);
}

/* One record "name TYPE ttl data" into rr. */
static int
rr_make(struct dns_rr *rr, const char *name, uint16_t type, uint32_t ttl,
    const char *data)
{
	char why[160];

	memset(rr, 0, sizeof *rr);
	rr->type = type;
	rr->class = DNS_C_IN;
	rr->ttl = ttl;
	return dns_zone_name_read(name, NULL, &rr->name, why, sizeof why) ==
	    NL_OK && dns_zone_rdata_read(rr, data, NULL, why, sizeof why) ==
	    NL_OK;
}

static int
soa_make(struct dns_rr *rr, const char *zone, uint32_t ttl, uint32_t min)
{
	char why[160];

	memset(rr, 0, sizeof *rr);
	rr->type = DNS_T_SOA;
	rr->class = DNS_C_IN;
	rr->ttl = ttl;
	rr->rd.soa.minimum = min;
	rr->rd.soa.serial = 1;
	return dns_zone_name_read(zone, NULL, &rr->name, why, sizeof why) ==
	    NL_OK && dns_zone_name_read(zone, NULL, &rr->rd.soa.mname, why,
	    sizeof why) == NL_OK && dns_zone_name_read(zone, NULL,
	    &rr->rd.soa.rname, why, sizeof why) == NL_OK;
}

static struct dns_name
name_of(const char *s)
{
	struct dns_name n;
	char why[160];

	if (dns_zone_name_read(s, NULL, &n, why, sizeof why) != NL_OK)
		n.len = 1, n.wire[0] = 0;
	return n;
}

static void
run_to(struct world *w, sim_time t)
{
	sim_run(w->sim, SIM_RUN_UNTIL, t);
}

/* The last DNS state event of the trace, NULL if none. */
static const struct trace_event *
last_state(const struct world *w)
{
	size_t i = trace_count(w->trace);

	while (i-- > 0) {
		const struct trace_event *ev = trace_at(w->trace, i);

		if (ev->kind == TRACE_STATE && ev->proto == TRACE_P_DNS)
			return ev;
	}
	return NULL;
}

static void
test_ttl_countdown(void)
{
	struct world w;
	struct dns_rr rr;
	struct dns_cache_entry *e;
	struct dns_name gaia = name_of("gaia.cs.umass.edu");
	const struct trace_event *ev;

	ASSERT(world_new(&w));
	run_to(&w, 10 * SIM_S);
	ASSERT(rr_make(&rr, "gaia.cs.umass.edu", DNS_T_A, 300,
	    "128.119.245.12"));
	ASSERT_EQ(dns_cache_put(w.c, &rr, 1), NL_OK);
	ev = last_state(&w);
	ASSERT(ev != NULL);
	ASSERT_EQ(ev->a, DNS_ST_CACHE_ADD);
	ASSERT_EQ(ev->b, 300);
	ASSERT_EQ(ev->c, 310 * SIM_S);
	ASSERT(ev->flags & TRACE_F_SHOW);
	ASSERT_STR_EQ(ev->summary,
	    "cache + gaia.cs.umass.edu. 300 A 128.119.245.12");

	/* At t: stored TTL minus the whole seconds elapsed. */
	run_to(&w, 10 * SIM_S + 90 * SIM_S);
	e = dns_cache_get(w.c, &gaia, DNS_T_A);
	ASSERT(e != NULL);
	ASSERT_EQ(dns_cache_ttl_left(e), 210);
	run_to(&w, 10 * SIM_S + 90 * SIM_S + SIM_S / 2);
	ASSERT_EQ(dns_cache_ttl_left(e), 210);
	dns_cache_hit(e);
	ev = last_state(&w);
	ASSERT_EQ(ev->a, DNS_ST_CACHE_HIT);
	ASSERT_EQ(ev->b, 210);
	ASSERT_STR_EQ(ev->summary,
	    "cache hit gaia.cs.umass.edu. A (TTL 210 left)");
	run_to(&w, 310 * SIM_S - 1);
	ASSERT_EQ(dns_cache_ttl_left(e), 1);
	ASSERT(dns_cache_get(w.c, &gaia, DNS_T_A) == e);

	/* At expiry the entry is gone, with an event at that time. */
	run_to(&w, 310 * SIM_S);
	ASSERT(dns_cache_get(w.c, &gaia, DNS_T_A) == NULL);
	ASSERT_EQ(dns_cache_count(w.c), 0);
	ev = last_state(&w);
	ASSERT_EQ(ev->a, DNS_ST_CACHE_EXPIRE);
	ASSERT_EQ(ev->t, 310 * SIM_S);
	ASSERT_STR_EQ(ev->summary, "cache expired gaia.cs.umass.edu. A");
	dns_zone_rr_clear(&rr);
	world_free(&w);
}

static void
test_rrset_min_ttl(void)
{
	struct world w;
	struct dns_rr rr[2];
	struct dns_cache_entry *e;
	struct dns_name lb = name_of("www.cnn.com");

	ASSERT(world_new(&w));
	ASSERT(rr_make(&rr[0], "www.cnn.com", DNS_T_A, 60, "151.101.1.67"));
	ASSERT(rr_make(&rr[1], "www.cnn.com", DNS_T_A, 30, "151.101.65.67"));
	ASSERT_EQ(dns_cache_put(w.c, rr, 2), NL_OK);
	e = dns_cache_get(w.c, &lb, DNS_T_A);
	ASSERT(e != NULL);
	ASSERT_EQ(e->n, 2);
	ASSERT_EQ(e->ttl, 30);
	ASSERT_EQ(e->rr[0].ttl, 30);
	ASSERT_STR_EQ(last_state(&w)->summary,
	    "cache + www.cnn.com. 30 A 151.101.1.67, 151.101.65.67");
	world_free(&w);
}

static void
test_negative(void)
{
	struct world w;
	struct dns_rr soa;
	struct dns_cache_entry *e;
	struct dns_name nx = name_of("www.networkutopia.com");
	struct dns_name nd = name_of("umass.edu");
	struct dns_msg *m = NULL;
	const struct trace_event *ev;

	ASSERT(world_new(&w));
	/* RFC 2308 5: kept for min(SOA TTL, MINIMUM). */
	ASSERT(soa_make(&soa, "com", 900, 86400));
	ASSERT_EQ(dns_cache_put_neg(w.c, &nx, DNS_T_ANY, &soa), NL_OK);
	ev = last_state(&w);
	ASSERT_STR_EQ(ev->summary,
	    "cache + www.networkutopia.com. 900 NXDOMAIN (negative)");
	/* The event's data is the entry as a message: NXDOMAIN, the key as
	 * the question, the SOA in AUTHORITY. */
	ASSERT_EQ(dns_msg_parse(ev->data, ev->len, &m, NULL), NL_OK);
	ASSERT_EQ(m->hdr.rcode, DNS_R_NXDOMAIN);
	ASSERT_EQ(m->qd[0].type, DNS_T_ANY);
	ASSERT(dns_name_eq(&m->qd[0].name, &nx));
	ASSERT_EQ(m->sec[DNS_S_AUTHORITY].count, 1);
	ASSERT_EQ(m->sec[DNS_S_AUTHORITY].rr[0].ttl, 900);
	dns_msg_free(m);

	ASSERT(soa_make(&soa, "umass.edu", 3600, 600));
	ASSERT_EQ(dns_cache_put_neg(w.c, &nd, DNS_T_MX, &soa), NL_OK);
	ASSERT_STR_EQ(last_state(&w)->summary,
	    "cache + umass.edu. 600 MX NODATA (negative)");
	e = dns_cache_get(w.c, &nd, DNS_T_MX);
	ASSERT(e != NULL && e->negative);
	ASSERT(dns_cache_get(w.c, &nd, DNS_T_A) == NULL);
	run_to(&w, 200 * SIM_S);
	e = dns_cache_get(w.c, &nx, DNS_T_ANY);
	ASSERT(e != NULL && e->negative);
	ASSERT_EQ(dns_cache_ttl_left(e), 700);
	dns_cache_hit(e);
	ASSERT_STR_EQ(last_state(&w)->summary,
	    "cache hit www.networkutopia.com. NXDOMAIN (TTL 700 left)");
	run_to(&w, 600 * SIM_S);
	ASSERT(dns_cache_get(w.c, &nd, DNS_T_MX) == NULL);
	ASSERT_STR_EQ(last_state(&w)->summary,
	    "cache expired umass.edu. MX NODATA");
	run_to(&w, 900 * SIM_S);
	ASSERT_EQ(dns_cache_count(w.c), 0);
	world_free(&w);
}

static void
test_replace_and_zero(void)
{
	struct world w;
	struct dns_rr a, b, z;
	struct dns_name gaia = name_of("gaia.cs.umass.edu");
	size_t before;

	ASSERT(world_new(&w));
	ASSERT(rr_make(&a, "gaia.cs.umass.edu", DNS_T_A, 100, "1.1.1.1"));
	ASSERT(rr_make(&b, "gaia.cs.umass.edu", DNS_T_A, 500, "2.2.2.2"));
	ASSERT_EQ(dns_cache_put(w.c, &a, 1), NL_OK);
	run_to(&w, 50 * SIM_S);
	ASSERT_EQ(dns_cache_put(w.c, &b, 1), NL_OK);
	ASSERT_EQ(dns_cache_count(w.c), 1);
	/* The old entry's expiry at 100 s was cancelled. */
	before = trace_count(w.trace);
	run_to(&w, 200 * SIM_S);
	ASSERT_EQ(trace_count(w.trace), before);
	ASSERT(dns_cache_get(w.c, &gaia, DNS_T_A) != NULL);
	ASSERT_EQ(dns_cache_ttl_left(dns_cache_get(w.c, &gaia, DNS_T_A)),
	    350);
	/* TTL 0: used once, never cached (RFC 1035 3.2.1). */
	ASSERT(rr_make(&z, "zero.umass.edu", DNS_T_A, 0, "3.3.3.3"));
	ASSERT_EQ(dns_cache_put(w.c, &z, 1), NL_OK);
	ASSERT_EQ(dns_cache_count(w.c), 1);
	ASSERT_EQ(trace_count(w.trace), before);
	world_free(&w);
}

static void
test_flush(void)
{
	struct world w;
	struct dns_rr a, ns;
	const struct trace_event *ev;

	ASSERT(world_new(&w));
	ASSERT(rr_make(&a, "gaia.cs.umass.edu", DNS_T_A, 100, "1.1.1.1"));
	ASSERT(rr_make(&ns, "umass.edu", DNS_T_NS, 100, "dns.umass.edu"));
	ASSERT_EQ(dns_cache_put(w.c, &a, 1), NL_OK);
	ASSERT_EQ(dns_cache_put(w.c, &ns, 1), NL_OK);
	dns_cache_flush(w.c, NULL);
	ASSERT_EQ(dns_cache_count(w.c), 0);
	ev = last_state(&w);
	ASSERT_EQ(ev->a, DNS_ST_CACHE_FLUSH);
	ASSERT_STR_EQ(ev->summary, "cache flushed (2 entries gone)");
	ASSERT_EQ(ev->len, 0);
	/* Nothing left to expire. */
	run_to(&w, 200 * SIM_S);
	ASSERT(last_state(&w) == ev);
	world_free(&w);
}

/* A viewer's fold of the state events: the keys in the cache after the
 * events up to the cursor, from the trace alone. */
struct key {
	struct dns_name name;
	uint16_t type;
	int64_t expires;
};

static size_t
fold(const struct trace *t, size_t upto, struct key *keys, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < upto && i < trace_count(t); i++) {
		const struct trace_event *ev = trace_at(t, i);
		struct dns_msg *m = NULL;

		if (ev->kind != TRACE_STATE || ev->proto != TRACE_P_DNS)
			continue;
		if (ev->a == DNS_ST_CACHE_FLUSH) {
			n = 0;
			continue;
		}
		if ((ev->a != DNS_ST_CACHE_ADD &&
		    ev->a != DNS_ST_CACHE_EXPIRE) ||
		    dns_msg_parse(ev->data, ev->len, &m, NULL) != NL_OK)
			continue;
		for (j = 0; j < n; j++)
			if (keys[j].type == m->qd[0].type &&
			    dns_name_eq(&keys[j].name, &m->qd[0].name))
				break;
		if (ev->a == DNS_ST_CACHE_EXPIRE && j < n) {
			keys[j] = keys[--n];
		} else if (ev->a == DNS_ST_CACHE_ADD && (j < n || n < max)) {
			keys[j].name = m->qd[0].name;
			keys[j].type = m->qd[0].type;
			keys[j].expires = ev->c;
			if (j == n)
				n++;
		}
		dns_msg_free(m);
	}
	return n;
}

static void
test_trace_rebuild(void)
{
	struct world w;
	struct dns_rr a, b, ns, soa;
	struct dns_name nx = name_of("nosuch.umass.edu");
	struct key keys[8];
	size_t n;

	ASSERT(world_new(&w));
	ASSERT(rr_make(&a, "gaia.cs.umass.edu", DNS_T_A, 100, "1.1.1.1"));
	ASSERT(rr_make(&b, "gaia.cs.umass.edu", DNS_T_A, 300, "2.2.2.2"));
	ASSERT(rr_make(&ns, "umass.edu", DNS_T_NS, 200, "dns.umass.edu"));
	ASSERT(soa_make(&soa, "umass.edu", 50, 50));
	ASSERT_EQ(dns_cache_put(w.c, &a, 1), NL_OK);
	ASSERT_EQ(dns_cache_put(w.c, &ns, 1), NL_OK);
	ASSERT_EQ(dns_cache_put_neg(w.c, &nx, DNS_T_ANY, &soa), NL_OK);
	n = fold(w.trace, trace_count(w.trace), keys, 8);
	ASSERT_EQ(n, 3);
	ASSERT_EQ(n, dns_cache_count(w.c));
	run_to(&w, 60 * SIM_S);		/* the negative entry expires */
	ASSERT_EQ(dns_cache_put(w.c, &b, 1), NL_OK);	/* replaces */
	n = fold(w.trace, trace_count(w.trace), keys, 8);
	ASSERT_EQ(n, 2);
	ASSERT_EQ(n, dns_cache_count(w.c));
	run_to(&w, 250 * SIM_S);	/* NS gone, gaia stays to 360 s */
	n = fold(w.trace, trace_count(w.trace), keys, 8);
	ASSERT_EQ(n, 1);
	ASSERT_EQ(dns_cache_count(w.c), 1);
	ASSERT_EQ(keys[0].type, DNS_T_A);
	ASSERT_EQ(keys[0].expires, 360 * SIM_S);
	world_free(&w);
}

/* Failing allocations: a status, never a crash or a leak. */
static void
test_oom(void)
{
	long n;
	int done = 0;

	for (n = 0; n < 100 && !done; n++) {
		struct world w;
		struct dns_rr a;
		enum nl_status st = NL_ENOMEM;

		nl_alloc_fail_after(n);
		if (world_new(&w) && rr_make(&a, "gaia.cs.umass.edu", DNS_T_A,
		    100, "1.1.1.1")) {
			st = dns_cache_put(w.c, &a, 1);
			run_to(&w, 200 * SIM_S);
		}
		done = st == NL_OK && !nl_alloc_failed();
		nl_alloc_fail_after(-1);
		world_free(&w);
	}
	ASSERT(done);
}

/* Every allocation failing in turn while entries are stored, positive
 * and negative, with records whose copy allocates (opaque RDATA): each
 * put either stores or says NL_ENOMEM, and a failed entry goes back to
 * where it came from (a single-record entry lives in a slab: freeing it
 * by itself would be an invalid free, which ASan reports). */
static void
test_oom_copies(void)
{
	static uint8_t bytes[4] = {1, 2, 3, 4};
	struct dns_rr soa, op[2];
	struct dns_name nx;
	long n;
	int done = 0, i;

	memset(&soa, 0, sizeof soa);
	ASSERT_EQ(dns_name_from_str("example", &soa.name, NULL), NL_OK);
	ASSERT_EQ(dns_name_from_str("nx.example", &nx, NULL), NL_OK);
	soa.type = DNS_T_SOA;
	soa.class = DNS_C_ANY;		/* not IN: the RDATA is opaque */
	soa.ttl = 100;
	/* the negative TTL is read from the SOA fields, which the opaque
	 * bytes (at the union's start) leave alone */
	soa.rd.soa.minimum = 100;
	soa.rd.opaque.data = bytes;
	soa.rd.opaque.len = sizeof bytes;
	for (i = 0; i < 2; i++) {
		op[i] = soa;
		op[i].type = 65280;	/* private use, opaque in any class */
		op[i].class = DNS_C_IN;
		op[i].rd.opaque.data = bytes;
		op[i].rd.opaque.len = sizeof bytes;
	}
	for (n = 0; n < 200 && !done; n++) {
		struct world w;
		enum nl_status s1 = NL_ENOMEM, s2 = NL_ENOMEM, s3 = NL_ENOMEM;

		nl_alloc_fail_after(n);
		if (world_new(&w)) {
			s1 = dns_cache_put_neg(w.c, &nx, DNS_T_ANY, &soa);
			s2 = dns_cache_put(w.c, op, 1);
			s3 = dns_cache_put(w.c, op, 2);
			ASSERT(s1 == NL_OK || s1 == NL_ENOMEM);
			ASSERT(s2 == NL_OK || s2 == NL_ENOMEM);
			ASSERT(s3 == NL_OK || s3 == NL_ENOMEM);
			run_to(&w, 200 * SIM_S);
		}
		done = s1 == NL_OK && s2 == NL_OK && s3 == NL_OK &&
		    !nl_alloc_failed();
		nl_alloc_fail_after(-1);
		world_free(&w);
	}
	ASSERT(done);
}

/* A campus-sized workout against a model: puts of 500 keys (fresh and
 * replacing) with TTLs of 1 to 40 s at whole seconds, so that many
 * entries expire at the same time. After every step the cache holds
 * exactly the model's unexpired keys, with their data; the expire events
 * come in the order (time, add) that one engine event per entry would
 * give; a flush leaves nothing pending in the engine. */
#define MANY_KEYS 500

static uint32_t
many_rand(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

static void
test_many(void)
{
	struct world w;
	static sim_time expires[MANY_KEYS];	/* 0: never put */
	static uint32_t addr[MANY_KEYS];
	uint32_t x = 2463534242u;
	sim_time now = 0, last_t = -1;
	size_t i, last_add = 0, adds = 0, expiries = 0;
	static size_t add_at[MANY_KEYS];	/* trace index of its add */
	int step, k;

	ASSERT(world_new(&w));
	memset(expires, 0, sizeof expires);
	for (step = 0; step < 4000; step++) {
		size_t live = 0;
		char name[32], data[32];
		struct dns_rr rr;

		k = (int)(many_rand(&x) % MANY_KEYS);
		snprintf(name, sizeof name, "h%d.campus.example", k);
		addr[k] = many_rand(&x);
		snprintf(data, sizeof data, "10.%u.%u.%u", addr[k] >> 16 & 255,
		    addr[k] >> 8 & 255, addr[k] & 255);
		ASSERT(rr_make(&rr, name, DNS_T_A, 1 + many_rand(&x) % 40,
		    data));
		ASSERT_EQ(dns_cache_put(w.c, &rr, 1), NL_OK);
		expires[k] = now + (sim_time)rr.ttl * SIM_S;
		dns_zone_rr_clear(&rr);
		if (many_rand(&x) % 4 == 0) {
			now += (sim_time)(many_rand(&x) % 3) * SIM_S;
			run_to(&w, now);
		}
		for (i = 0; i < MANY_KEYS; i++) {
			struct dns_name n;
			struct dns_cache_entry *e;

			snprintf(name, sizeof name, "h%zu.campus.example", i);
			n = name_of(name);
			e = dns_cache_get(w.c, &n, DNS_T_A);
			if (expires[i] > now) {
				live++;
				ASSERT(e != NULL);
				ASSERT_EQ(e->expires, expires[i]);
				ASSERT_EQ(e->rr[0].rd.a[3], addr[i] & 255);
				ASSERT_EQ(e->rr[0].rd.a[2], addr[i] >> 8 & 255);
			} else {
				ASSERT(e == NULL);
			}
		}
		ASSERT_EQ(dns_cache_count(w.c), live);
	}
	run_to(&w, now + 41 * SIM_S);
	ASSERT_EQ(dns_cache_count(w.c), 0);
	ASSERT_EQ(sim_pending(w.sim), 0);

	/* The order of the expire events: by time, then by when added. */
	memset(add_at, 0, sizeof add_at);
	for (i = 0; i < trace_count(w.trace); i++) {
		const struct trace_event *ev = trace_at(w.trace, i);
		const char *h;

		if (ev->kind != TRACE_STATE || ev->proto != TRACE_P_DNS ||
		    (h = strstr(ev->summary, " h")) == NULL)
			continue;
		k = atoi(h + 2);
		ASSERT(k >= 0 && k < MANY_KEYS);
		if (ev->a == DNS_ST_CACHE_ADD) {
			add_at[k] = i;
			adds++;
		} else if (ev->a == DNS_ST_CACHE_EXPIRE) {
			ASSERT(ev->t > last_t ||
			    (ev->t == last_t && add_at[k] > last_add));
			last_t = ev->t;
			last_add = add_at[k];
			expiries++;
		}
	}
	ASSERT_EQ(adds, 4000);
	ASSERT(expiries > 1000);	/* the rest were replaced */

	/* A flush takes the engine event with it. */
	for (k = 0; k < 50; k++) {
		struct dns_rr rr;
		char name[32];

		snprintf(name, sizeof name, "f%d.campus.example", k);
		ASSERT(rr_make(&rr, name, DNS_T_A, 10 + (uint32_t)k,
		    "10.0.0.1"));
		ASSERT_EQ(dns_cache_put(w.c, &rr, 1), NL_OK);
		dns_zone_rr_clear(&rr);
	}
	ASSERT(sim_pending(w.sim) >= 1);
	dns_cache_flush(w.c, NULL);
	ASSERT_EQ(sim_pending(w.sim), 0);
	world_free(&w);
}

/* The same RRset put again (every referral brings back its NS and glue)
 * is kept in place but behaves as a new entry: a new TTL and expiry
 * (the old expiry does not fire), the end of the order (so it is evicted
 * last), an add event, and the round robin from its first record. A
 * name in other case is another record: replaced, with the new case. */
static void
test_refresh(void)
{
	struct world w;
	struct dns_rr ns[2], glue, other, upper;
	struct dns_cache_entry *e, *again;
	struct dns_name zone = name_of("umass.edu");
	const struct trace_event *ev;
	size_t before;

	ASSERT(world_new(&w));
	ASSERT(rr_make(&ns[0], "umass.edu", DNS_T_NS, 300, "ns1.umass.edu"));
	ASSERT(rr_make(&ns[1], "umass.edu", DNS_T_NS, 200, "ns2.umass.edu"));
	ASSERT(rr_make(&glue, "ns1.umass.edu", DNS_T_A, 600, "1.1.1.1"));
	ASSERT(rr_make(&other, "www.umass.edu", DNS_T_A, 900, "2.2.2.2"));
	ASSERT_EQ(dns_cache_put(w.c, ns, 2), NL_OK);
	ASSERT_EQ(dns_cache_put(w.c, &glue, 1), NL_OK);
	ASSERT_EQ(dns_cache_put(w.c, &other, 1), NL_OK);
	e = dns_cache_get(w.c, &zone, DNS_T_NS);
	ASSERT(e != NULL);
	dns_cache_hit(e);
	ASSERT_EQ(e->turn, 1);
	run_to(&w, 150 * SIM_S);
	ns[0].ttl = 400;
	ns[1].ttl = 500;
	ASSERT_EQ(dns_cache_put(w.c, ns, 2), NL_OK);
	ev = last_state(&w);
	ASSERT_EQ(ev->a, DNS_ST_CACHE_ADD);
	ASSERT_EQ(ev->c, 550 * SIM_S);
	ASSERT_STR_EQ(ev->summary, "cache + umass.edu. 400 NS "
	    "ns1.umass.edu., ns2.umass.edu.");
	again = dns_cache_get(w.c, &zone, DNS_T_NS);
	ASSERT(again == e);		/* kept in place */
	ASSERT_EQ(again->turn, 0);
	ASSERT_EQ(again->rr[1].ttl, 400);
	ASSERT_EQ(dns_cache_count(w.c), 3);
	/* The old expiry (200 s) is gone: nothing expires before 550 s,
	 * when the NS set does. */
	before = trace_count(w.trace);
	run_to(&w, 549 * SIM_S);
	ASSERT_EQ(trace_count(w.trace), before);
	run_to(&w, 550 * SIM_S);
	ev = last_state(&w);
	ASSERT_EQ(ev->a, DNS_ST_CACHE_EXPIRE);
	ASSERT_STR_EQ(ev->summary, "cache expired umass.edu. NS");
	ASSERT(dns_cache_get(w.c, &zone, DNS_T_NS) == NULL);
	/* Other case: another record, which replaces the first. */
	ASSERT(rr_make(&upper, "NS1.umass.edu", DNS_T_A, 60, "1.1.1.1"));
	ASSERT_EQ(dns_cache_put(w.c, &upper, 1), NL_OK);
	ASSERT_EQ(dns_cache_count(w.c), 2);
	e = dns_cache_get(w.c, &glue.name, DNS_T_A);
	ASSERT(e != NULL);
	ASSERT_EQ(e->rr[0].name.wire[1], 'N');
	dns_zone_rr_clear(&ns[0]);
	dns_zone_rr_clear(&ns[1]);
	dns_zone_rr_clear(&glue);
	dns_zone_rr_clear(&other);
	dns_zone_rr_clear(&upper);
	world_free(&w);
}

/* Refreshed entries go to the end of the order: with the cache full, the
 * oldest other entry is the one evicted. */
static void
test_refresh_order(void)
{
	struct world w;
	struct dns_rr rr;
	struct dns_name first = name_of("h0.example"), second;
	char name[32];
	int i;

	ASSERT(world_new(&w));
	for (i = 0; i < DNS_CACHE_MAX; i++) {
		snprintf(name, sizeof name, "h%d.example", i);
		ASSERT(rr_make(&rr, name, DNS_T_A, 1000, "10.0.0.1"));
		ASSERT_EQ(dns_cache_put(w.c, &rr, 1), NL_OK);
		dns_zone_rr_clear(&rr);
	}
	ASSERT(rr_make(&rr, "h0.example", DNS_T_A, 1000, "10.0.0.1"));
	ASSERT_EQ(dns_cache_put(w.c, &rr, 1), NL_OK);	/* refreshed */
	dns_zone_rr_clear(&rr);
	ASSERT(rr_make(&rr, "new.example", DNS_T_A, 1000, "10.0.0.2"));
	ASSERT_EQ(dns_cache_put(w.c, &rr, 1), NL_OK);	/* evicts one */
	dns_zone_rr_clear(&rr);
	ASSERT_EQ(dns_cache_count(w.c), DNS_CACHE_MAX);
	second = name_of("h1.example");
	ASSERT(dns_cache_get(w.c, &first, DNS_T_A) != NULL);
	ASSERT(dns_cache_get(w.c, &second, DNS_T_A) == NULL);
	world_free(&w);
}

const struct test_case tests_dns_cache[] = {
	{ "dns_cache_refresh", test_refresh },
	{ "dns_cache_refresh_order", test_refresh_order },
	{ "dns_cache_many", test_many },
	{ "dns_cache_ttl_countdown", test_ttl_countdown },
	{ "dns_cache_rrset_min_ttl", test_rrset_min_ttl },
	{ "dns_cache_negative", test_negative },
	{ "dns_cache_replace_and_zero_ttl", test_replace_and_zero },
	{ "dns_cache_flush", test_flush },
	{ "dns_cache_trace_rebuild", test_trace_rebuild },
	{ "dns_cache_oom", test_oom },
	{ "dns_cache_oom_copies", test_oom_copies },
	{ NULL, NULL }
};
