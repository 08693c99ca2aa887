/* test_net.c - links, routes, IP forwarding and UDP with exact figures:
 * serialisation + propagation, per-hop delays, drop-tail, loss, down. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include "net/net.h"
#include "proto/ip/ipv4.h"
#include "proto/ip/udp.h"
#include "trace/trace.h"

struct rx {
	int n;			/* datagrams received */
	sim_time at[16];	/* arrival times */
	size_t len[16];		/* payload lengths */
	uint32_t src;		/* last source */
	uint16_t sport;		/* last source port */
	struct net *net;	/* for the clock */
};

static void
rx_fn(struct net_udp *sock, uint32_t src, uint16_t sport,
    const uint8_t *data, size_t len, void *ctx)
{
	struct rx *r = ctx;

	(void)sock;
	(void)data;
	if (r->n < 16) {
		r->at[r->n] = sim_now(net_sim(r->net));
		r->len[r->n] = len;
	}
	r->n++;
	r->src = src;
	r->sport = sport;
}

struct world {
	struct sim *sim;
	struct trace *trace;
	struct net *net;
};

static int
world_new(struct world *w, uint64_t seed)
{
	w->sim = sim_new(seed);
	w->trace = trace_new();
	w->net = w->sim && w->trace ? net_new(w->sim, w->trace) : NULL;
	return w->net != NULL;
}

static void
world_free(struct world *w)
{
	net_free(w->net);
	trace_free(w->trace);
	sim_free(w->sim);
}

static int32_t
node(struct world *w, const char *name, const char *addr, int forwards)
{
	int32_t id;
	uint32_t a;

	if (net_node_add(w->net, name, forwards ? "router" : "host",
	    forwards, &id) != NL_OK)
		return -1;
	if (addr != NULL && (ipv4_addr_parse(addr, &a) != NL_OK ||
	    net_node_addr_add(w->net, id, a) != NL_OK))
		return -1;
	return id;
}

static int32_t
link(struct world *w, int32_t a, int32_t b, sim_time delay, uint64_t bw,
    uint32_t queue, double loss)
{
	struct net_link_cfg c = { NULL, delay, bw, loss, queue };
	int32_t id;

	if (net_link_add(w->net, a, b, &c, &id) != NL_OK)
		return -1;
	return id;
}

/* Hosts a (10.0.0.1) and b (10.0.0.2) on one link of 1 ms and 1 Mbit/s
 * with a drop-tail queue of `queue`, in a new w: r counts what reaches
 * b's port 9, *sa is a socket of a's, *addr_b b's address. 0 on
 * failure. */
static int
udp_pair(struct world *w, struct rx *r, uint32_t queue, struct net_udp **sa,
    uint32_t *addr_b)
{
	struct net_udp *sb;
	int32_t a, b;

	if (!world_new(w, 1))
		return 0;
	r->net = w->net;
	a = node(w, "a", "10.0.0.1", 0);
	b = node(w, "b", "10.0.0.2", 0);
	return link(w, a, b, 1 * SIM_MS, 1000000, queue, 0) >= 0 &&
	    net_udp_bind(w->net, b, 9, rx_fn, r, &sb) == NL_OK &&
	    net_udp_bind(w->net, a, 0, NULL, NULL, sa) == NL_OK &&
	    ipv4_addr_parse("10.0.0.2", addr_b) == NL_OK;
}

static size_t
count_kind(struct trace *t, enum trace_kind k, int64_t a)
{
	size_t i, n = 0;

	for (i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_at(t, i);

		if (ev->kind == k && (a < 0 || ev->a == a))
			n++;
	}
	return n;
}

/* A 1000-byte datagram over 1 Mbit/s with 10 ms delay: 8 ms to put on
 * the wire plus 10 ms to cross it = 18 ms exactly. */
static void
test_one_link_timing(void)
{
	struct world w;
	struct rx r = { 0 };
	struct net_udp *sa, *sb;
	static uint8_t payload[1000 - 20 - 8];
	int32_t a, b;
	uint32_t addr_b;

	ASSERT(world_new(&w, 1));
	r.net = w.net;
	a = node(&w, "a", "10.0.0.1", 0);
	b = node(&w, "b", "10.0.0.2", 0);
	ASSERT(a >= 0 && b >= 0);
	ASSERT(link(&w, a, b, 10 * SIM_MS, 1000000, 10, 0) >= 0);
	ASSERT_EQ(net_udp_bind(w.net, b, 7, rx_fn, &r, &sb), NL_OK);
	ASSERT_EQ(net_udp_bind(w.net, a, 0, rx_fn, &r, &sa), NL_OK);
	ASSERT_EQ(net_udp_port(sa), 49152);
	ipv4_addr_parse("10.0.0.2", &addr_b);
	ASSERT_EQ(net_udp_sendto(sa, addr_b, 7, payload, sizeof payload),
	    NL_OK);
	sim_run(w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(r.n, 1);
	ASSERT_EQ(r.at[0], 18 * SIM_MS);
	ASSERT_EQ(r.len[0], sizeof payload);
	ASSERT_EQ(r.sport, 49152);
	/* The trace: one send (origin) and one receive, with the datagram. */
	ASSERT_EQ(trace_count(w.trace), 2);
	{
		const struct trace_event *s = trace_at(w.trace, 0);
		const struct trace_event *v = trace_at(w.trace, 1);
		struct ipv4_hdr h;

		ASSERT_EQ(s->kind, TRACE_PKT_SEND);
		ASSERT(s->flags & TRACE_F_ORIGIN);
		ASSERT_EQ(s->len, 1000);
		ASSERT_EQ(s->b, 0);
		ASSERT_EQ(s->c, 18 * SIM_MS);
		ASSERT_EQ(s->proto, TRACE_P_UDP);
		ASSERT_EQ(ipv4_hdr_parse(s->data, s->len, &h), NL_OK);
		ASSERT_EQ(h.ttl, 64);
		ASSERT_EQ(v->kind, TRACE_PKT_RECV);
		ASSERT_EQ(v->t, 18 * SIM_MS);
		ASSERT_EQ(v->a, 0);
		ASSERT_EQ(v->node, b);
		ASSERT_EQ(v->peer, a);
		ASSERT_STR_EQ(s->summary,
		    "UDP 10.0.0.1:49152 → 10.0.0.2:7 len=972");
	}
	world_free(&w);
}

/* Three hops: each adds its own serialisation and propagation delay,
 * and each router decrements the TTL. */
static void
test_three_hops(void)
{
	struct world w;
	struct rx r = { 0 };
	struct net_udp *sa, *sb;
	static uint8_t payload[500 - 28];
	int32_t a, r1, r2, b;
	uint32_t addr_b;
	size_t i, sends = 0;
	sim_time expect;

	ASSERT(world_new(&w, 1));
	r.net = w.net;
	a = node(&w, "a", "10.0.0.1", 0);
	r1 = node(&w, "r1", "10.0.1.254", 1);
	r2 = node(&w, "r2", "10.0.2.254", 1);
	b = node(&w, "b", "10.0.3.1", 0);
	ASSERT(link(&w, a, r1, 1 * SIM_MS, 1000000, 10, 0) >= 0);
	ASSERT(link(&w, r1, r2, 2 * SIM_MS, 2000000, 10, 0) >= 0);
	ASSERT(link(&w, r2, b, 3 * SIM_MS, 4000000, 10, 0) >= 0);
	ASSERT_EQ(net_udp_bind(w.net, b, 53, rx_fn, &r, &sb), NL_OK);
	ASSERT_EQ(net_udp_bind(w.net, a, 0, NULL, NULL, &sa), NL_OK);
	ipv4_addr_parse("10.0.3.1", &addr_b);
	ASSERT_EQ(net_udp_sendto(sa, addr_b, 53, payload, sizeof payload),
	    NL_OK);
	sim_run(w.sim, SIM_RUN_EMPTY, 0);
	/* 4000 bits: 4 ms + 1, 2 ms + 2, 1 ms + 3 = 13 ms. */
	expect = (4 + 1 + 2 + 2 + 1 + 3) * SIM_MS;
	ASSERT_EQ(r.n, 1);
	ASSERT_EQ(r.at[0], expect);
	for (i = 0; i < trace_count(w.trace); i++) {
		const struct trace_event *ev = trace_at(w.trace, i);
		struct ipv4_hdr h;

		if (ev->kind != TRACE_PKT_SEND)
			continue;
		ASSERT_EQ(ipv4_hdr_parse(ev->data, ev->len, &h), NL_OK);
		ASSERT_EQ(h.ttl, 64 - sends);
		ASSERT_EQ(!!(ev->flags & TRACE_F_ORIGIN), sends == 0);
		sends++;
	}
	ASSERT_EQ(sends, 3);
	ASSERT_EQ(count_kind(w.trace, TRACE_PKT_RECV, -1), 3);
	world_free(&w);
}

/* Routes follow the lowest total delay, not the fewest hops. */
static void
test_route_by_delay(void)
{
	struct world w;
	int32_t a, r1, r2, b, l_slow, l_fast1, lk;
	uint32_t addr_b;

	ASSERT(world_new(&w, 1));
	a = node(&w, "a", "10.0.0.1", 0);
	r1 = node(&w, "r1", NULL, 1);
	r2 = node(&w, "r2", NULL, 1);
	b = node(&w, "b", "10.0.0.2", 0);
	l_slow = link(&w, a, r1, 50 * SIM_MS, 1000000, 10, 0);
	ASSERT(link(&w, r1, b, 1 * SIM_MS, 1000000, 10, 0) >= 0);
	l_fast1 = link(&w, a, r2, 5 * SIM_MS, 1000000, 10, 0);
	ASSERT(link(&w, r2, b, 5 * SIM_MS, 1000000, 10, 0) >= 0);
	ASSERT(l_slow >= 0 && l_fast1 >= 0);
	ipv4_addr_parse("10.0.0.2", &addr_b);
	ASSERT_EQ(net_route(w.net, a, addr_b, &lk), NL_OK);
	ASSERT_EQ(lk, l_fast1);
	/* A host never carries traffic for others. */
	ASSERT_EQ(net_route(w.net, r1, 0x0a0000ff, &lk), NL_ENOROUTE);
	world_free(&w);
}

/* Drop-tail: a queue of 2 takes two back-to-back datagrams; the rest of
 * the burst is dropped with reason "queue full". */
static void
test_queue_full(void)
{
	struct world w;
	struct rx r = { 0 };
	struct net_udp *sa;
	static uint8_t payload[100];
	uint32_t addr_b;
	int i;

	ASSERT(udp_pair(&w, &r, 2, &sa, &addr_b));
	for (i = 0; i < 5; i++)
		ASSERT_EQ(net_udp_sendto(sa, addr_b, 9, payload,
		    sizeof payload), NL_OK);
	sim_run(w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(r.n, 2);
	ASSERT_EQ(count_kind(w.trace, TRACE_PKT_DROP,
	    TRACE_DROP_QUEUE_FULL), 3);
	/* The second waits for the first: 128 bytes = 1.024 ms each. */
	ASSERT_EQ(r.at[0], 1024000 + SIM_MS);
	ASSERT_EQ(r.at[1], 2 * 1024000 + SIM_MS);
	world_free(&w);
}

static void
test_loss_and_down(void)
{
	struct world w;
	struct rx r = { 0 };
	struct net_udp *sa, *sb;
	uint8_t payload[10] = { 0 };
	int32_t a, b, l;
	uint32_t addr_b;
	int i;

	ASSERT(world_new(&w, 5));
	r.net = w.net;
	a = node(&w, "a", "10.0.0.1", 0);
	b = node(&w, "b", "10.0.0.2", 0);
	l = link(&w, a, b, 1 * SIM_MS, 1000000000, 1000, 0.25);
	ASSERT(l >= 0);
	ASSERT_EQ(net_udp_bind(w.net, b, 9, rx_fn, &r, &sb), NL_OK);
	ASSERT_EQ(net_udp_bind(w.net, a, 0, NULL, NULL, &sa), NL_OK);
	ipv4_addr_parse("10.0.0.2", &addr_b);
	for (i = 0; i < 400; i++)
		net_udp_sendto(sa, addr_b, 9, payload, sizeof payload);
	sim_run(w.sim, SIM_RUN_EMPTY, 0);
	/* About a quarter lost (binomial, 400 draws: well inside 60..140). */
	ASSERT(r.n > 260 && r.n < 340);
	ASSERT_EQ((size_t)r.n + count_kind(w.trace, TRACE_PKT_DROP,
	    TRACE_DROP_LOSS), 400);

	/* Link down: refused at the sender; in flight: lost on arrival. */
	r.n = 0;
	ASSERT_EQ(net_link_set_up(w.net, l, 0), NL_OK);
	net_udp_sendto(sa, addr_b, 9, payload, sizeof payload);
	ASSERT_EQ(net_link_set_up(w.net, l, 1), NL_OK);
	sim_run(w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(count_kind(w.trace, TRACE_PKT_DROP,
	    TRACE_DROP_LINK_DOWN), 1);
	ASSERT_EQ(count_kind(w.trace, TRACE_LINK, -1), 2);
	world_free(&w);
}

static void
test_in_flight_link_down(void)
{
	struct world w;
	struct rx r = { 0 };
	struct net_udp *sa, *sb;
	uint8_t payload[10] = { 0 };
	int32_t a, b, l, nb;
	uint32_t addr_b;

	ASSERT(world_new(&w, 5));
	r.net = w.net;
	a = node(&w, "a", "10.0.0.1", 0);
	b = node(&w, "b", "10.0.0.2", 0);
	l = link(&w, a, b, 10 * SIM_MS, 1000000000, 10, 0);
	ASSERT_EQ(net_udp_bind(w.net, b, 9, rx_fn, &r, &sb), NL_OK);
	ASSERT_EQ(net_udp_bind(w.net, a, 0, NULL, NULL, &sa), NL_OK);
	ipv4_addr_parse("10.0.0.2", &addr_b);
	net_udp_sendto(sa, addr_b, 9, payload, sizeof payload);
	sim_run(w.sim, SIM_RUN_UNTIL, 5 * SIM_MS);
	/* Down and up again while the datagram is on the wire: it is gone. */
	net_link_set_up(w.net, l, 0);
	net_link_set_up(w.net, l, 1);
	sim_run(w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(r.n, 0);
	ASSERT_EQ(count_kind(w.trace, TRACE_PKT_DROP,
	    TRACE_DROP_LINK_DOWN), 1);
	/* A node that is down drops what reaches it. */
	nb = b;
	net_node_set_up(w.net, nb, 0);
	net_udp_sendto(sa, addr_b, 9, payload, sizeof payload);
	sim_run(w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(r.n, 0);
	ASSERT_EQ(count_kind(w.trace, TRACE_PKT_DROP,
	    TRACE_DROP_NODE_DOWN), 1);
	net_node_set_up(w.net, nb, 1);
	net_udp_sendto(sa, addr_b, 9, payload, sizeof payload);
	sim_run(w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(r.n, 1);
	world_free(&w);
}

static void
test_udp_errors(void)
{
	struct world w;
	struct net_udp *s1, *s2;
	uint8_t payload[4] = { 1, 2, 3, 4 };
	int32_t a, b;
	uint32_t addr_b;

	ASSERT(world_new(&w, 1));
	a = node(&w, "a", "10.0.0.1", 0);
	b = node(&w, "b", "10.0.0.2", 0);
	ASSERT(link(&w, a, b, SIM_MS, 1000000, 10, 0) >= 0);
	ASSERT_EQ(net_udp_bind(w.net, a, 53, NULL, NULL, &s1), NL_OK);
	ASSERT_EQ(net_udp_bind(w.net, a, 53, NULL, NULL, &s2),
	    NL_EADDRINUSE);
	ASSERT(s2 == NULL);
	ipv4_addr_parse("10.0.0.2", &addr_b);
	/* Nobody listens on b:53: the datagram is dropped at b. */
	ASSERT_EQ(net_udp_sendto(s1, addr_b, 53, payload, 4), NL_OK);
	/* No route to an unknown address. */
	ASSERT_EQ(net_udp_sendto(s1, 0x08080808, 53, payload, 4),
	    NL_ENOROUTE);
	sim_run(w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(count_kind(w.trace, TRACE_PKT_DROP,
	    TRACE_DROP_PORT_UNREACHABLE), 1);
	ASSERT_EQ(count_kind(w.trace, TRACE_PKT_DROP, TRACE_DROP_NO_ROUTE),
	    1);
	net_udp_close(s1);
	net_udp_close(NULL);
	world_free(&w);
}

static void
test_topology_errors(void)
{
	struct world w;
	struct net_link_cfg c = { NULL, SIM_MS, 1000000, 0, 10 };
	int32_t a, b, id;
	uint32_t x;

	ASSERT(world_new(&w, 1));
	a = node(&w, "a", "10.0.0.1", 0);
	b = node(&w, "b", NULL, 0);
	ASSERT_EQ(net_node_add(w.net, "a", "host", 0, &id), NL_EEXIST);
	ipv4_addr_parse("10.0.0.1", &x);
	ASSERT_EQ(net_node_addr_add(w.net, b, x), NL_EEXIST);
	ASSERT_EQ(net_link_add(w.net, a, a, &c, &id), NL_EINVAL);
	ASSERT_EQ(net_link_add(w.net, a, 99, &c, &id), NL_EINVAL);
	c.loss = 1.5;
	ASSERT_EQ(net_link_add(w.net, a, b, &c, &id), NL_EINVAL);
	c.loss = 0;
	c.bandwidth = 0;
	ASSERT_EQ(net_link_add(w.net, a, b, &c, &id), NL_EINVAL);
	c.bandwidth = 1;
	ASSERT_EQ(net_link_add(w.net, a, b, &c, &id), NL_OK);
	ASSERT_EQ(net_link_find(w.net, "a-b"), id);
	ASSERT_EQ(net_link_add(w.net, a, b, &c, &id), NL_EEXIST);
	ASSERT_EQ(net_node_find(w.net, "b"), b);
	ASSERT_EQ(net_node_by_addr(w.net, x), a);
	ASSERT_EQ(net_node_by_addr(w.net, 1), -1);
	ASSERT_STR_EQ(trace_node_name(w.trace, a), "a");
	ASSERT_EQ(trace_link_count(w.trace), 1);
	world_free(&w);
}

/* net_link_lose_next loses exactly the next N datagrams one way only. */
static void
test_lose_next(void)
{
	struct world w;
	struct rx r = { 0 }, back = { 0 };
	struct net_udp *sa, *sb;
	uint8_t payload[8] = { 0 };
	int32_t a, b, l;
	uint32_t addr_a, addr_b;
	int i;

	ASSERT(world_new(&w, 1));
	r.net = back.net = w.net;
	a = node(&w, "a", "10.0.0.1", 0);
	b = node(&w, "b", "10.0.0.2", 0);
	l = link(&w, a, b, SIM_MS, 1000000000, 100, 0);
	ASSERT_EQ(net_udp_bind(w.net, b, 9, rx_fn, &r, &sb), NL_OK);
	ASSERT_EQ(net_udp_bind(w.net, a, 9, rx_fn, &back, &sa), NL_OK);
	ipv4_addr_parse("10.0.0.1", &addr_a);
	ipv4_addr_parse("10.0.0.2", &addr_b);
	ASSERT_EQ(net_link_lose_next(w.net, l, 99, 1), NL_EINVAL);
	ASSERT_EQ(net_link_lose_next(w.net, l, a, 2), NL_OK);
	for (i = 0; i < 5; i++) {
		net_udp_sendto(sa, addr_b, 9, payload, sizeof payload);
		net_udp_sendto(sb, addr_a, 9, payload, sizeof payload);
	}
	sim_run(w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(r.n, 3);
	ASSERT_EQ(back.n, 5);
	ASSERT_EQ(count_kind(w.trace, TRACE_PKT_DROP, TRACE_DROP_LOSS), 2);
	world_free(&w);
}

/* A node sending to its own address gets the datagram after zero delay,
 * with no link; freeing the net with datagrams still on their way
 * cancels them (ASan would see a use after free otherwise). */
static void
test_loopback_and_free(void)
{
	struct world w;
	struct rx r = { 0 };
	struct net_udp *sa, *sb;
	uint8_t payload[8] = { 0 };
	int32_t a, b;
	uint32_t addr_a, addr_b;

	ASSERT(world_new(&w, 1));
	r.net = w.net;
	a = node(&w, "a", "10.0.0.1", 0);
	b = node(&w, "b", "10.0.0.2", 0);
	ASSERT(link(&w, a, b, 10 * SIM_MS, 1000000, 10, 0) >= 0);
	ASSERT_EQ(net_udp_bind(w.net, a, 9, rx_fn, &r, &sa), NL_OK);
	ASSERT_EQ(net_udp_bind(w.net, b, 9, rx_fn, &r, &sb), NL_OK);
	ipv4_addr_parse("10.0.0.1", &addr_a);
	ipv4_addr_parse("10.0.0.2", &addr_b);
	ASSERT_EQ(net_udp_sendto(sa, addr_a, 9, payload, 8), NL_OK);
	sim_run(w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(r.n, 1);
	ASSERT_EQ(r.at[0], 0);
	ASSERT_EQ(trace_count(w.trace), 0);
	ASSERT_EQ(net_udp_sendto(sa, addr_b, 9, payload, 8), NL_OK);
	ASSERT_EQ(net_udp_sendto(sa, addr_a, 9, payload, 8), NL_OK);
	net_free(w.net);
	w.net = NULL;
	ASSERT_EQ(sim_pending(w.sim), 0);
	sim_run(w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(r.n, 1);
	world_free(&w);
}


/* The queue ring after it has drained, part-way and wholly: a queue of 3
 * takes bursts of 3 again and again, whichever slot the ring stopped at,
 * and a datagram sent while one is still on the wire waits for it. */
static void
test_queue_reuse(void)
{
	struct world w;
	struct rx r = { 0 };
	struct net_udp *sa;
	static uint8_t payload[100];
	uint32_t addr_b;
	int round, i;

	ASSERT(udp_pair(&w, &r, 3, &sa, &addr_b));
	for (round = 0; round < 4; round++) {
		/* A burst of 4 (one too many), then a wait of half a
		 * transmission: one datagram has left, so one more fits. */
		for (i = 0; i < 4; i++)
			net_udp_sendto(sa, addr_b, 9, payload, sizeof payload);
		sim_run(w.sim, SIM_RUN_UNTIL, sim_now(w.sim) + 1536000);
		net_udp_sendto(sa, addr_b, 9, payload, sizeof payload);
		sim_run(w.sim, SIM_RUN_EMPTY, 0);
	}
	ASSERT_EQ(r.n, 4 * 4);
	ASSERT_EQ(count_kind(w.trace, TRACE_PKT_DROP,
	    TRACE_DROP_QUEUE_FULL), 4);
	world_free(&w);
}

/* A campus of stubs: 40 routers in a line, 25 hosts on each. Every
 * route found through a host's router must be the link Dijkstra from
 * that host would take, and hosts on one router reach each other in two
 * hops; 1,000 addresses all resolve, an unknown one does not. */
static void
test_stub_routes(void)
{
	struct world w;
	int32_t r[40], h[40][25], hl[40][25], up[40], lk, extra;
	uint32_t ha;
	char name[32], addr[32];
	int i, j;

	ASSERT(world_new(&w, 1));
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "r%d", i);
		r[i] = node(&w, name, NULL, 1);
		ASSERT(r[i] >= 0);
		up[i] = i > 0 ? link(&w, r[i - 1], r[i], 1 * SIM_MS,
		    1000000000, 10, 0) : -1;
		for (j = 0; j < 25; j++) {
			snprintf(name, sizeof name, "h%d.%d", i, j);
			snprintf(addr, sizeof addr, "10.%d.0.%d", i, j + 1);
			h[i][j] = node(&w, name, addr, 0);
			ASSERT(h[i][j] >= 0);
			hl[i][j] = link(&w, h[i][j], r[i], 1 * SIM_MS,
			    1000000000, 10, 0);
			ASSERT(hl[i][j] >= 0);
		}
	}
	ipv4_addr_parse("10.39.0.25", &ha);
	ASSERT_EQ(net_node_by_addr(w.net, ha), h[39][24]);
	ASSERT_EQ(net_node_by_addr(w.net, ha + 1), -1);
	ASSERT_EQ(net_node_addr_add(w.net, h[0][0], ha), NL_EEXIST);
	for (i = 0; i < 40; i++)
		for (j = 0; j < 25; j++)
			ASSERT_EQ(net_node_by_addr(w.net,
			    net_node_addr(w.net, h[i][j])), h[i][j]);
	/* From h0.0 to h39.24: up to r0, then right along the line. */
	ASSERT_EQ(net_route(w.net, h[0][0], ha, &lk), NL_OK);
	ASSERT_EQ(lk, hl[0][0]);
	for (i = 0; i < 39; i++) {
		ASSERT_EQ(net_route(w.net, r[i], ha, &lk), NL_OK);
		ASSERT_EQ(lk, up[i + 1]);
	}
	ASSERT_EQ(net_route(w.net, r[39], ha, &lk), NL_OK);
	ASSERT_EQ(lk, hl[39][24]);
	/* And back left, from the far router to a host of r0. */
	ASSERT_EQ(net_route(w.net, r[39], net_node_addr(w.net, h[0][3]),
	    &lk), NL_OK);
	ASSERT_EQ(lk, up[39]);
	/* Neighbours on one router: the sender's link, then the other's. */
	ASSERT_EQ(net_route(w.net, h[5][1], net_node_addr(w.net, h[5][2]),
	    &lk), NL_OK);
	ASSERT_EQ(lk, hl[5][1]);
	ASSERT_EQ(net_route(w.net, r[5], net_node_addr(w.net, h[5][2]),
	    &lk), NL_OK);
	ASSERT_EQ(lk, hl[5][2]);
	/* A link added later changes the stubs: h7.0 gets a second link
	 * (to r8), so it is no stub, and r8 reaches it directly. */
	extra = link(&w, h[7][0], r[8], 1 * SIM_MS, 1000000000, 10, 0);
	ASSERT(extra >= 0);
	ASSERT_EQ(net_route(w.net, r[8], net_node_addr(w.net, h[7][0]),
	    &lk), NL_OK);
	ASSERT_EQ(lk, extra);
	/* ... and r7, which had it as a stub, still takes its own link. */
	ASSERT_EQ(net_route(w.net, r[7], net_node_addr(w.net, h[7][0]),
	    &lk), NL_OK);
	ASSERT_EQ(lk, hl[7][0]);
	world_free(&w);
}

/* Where a stub's one link leads nowhere: a host whose router cannot
 * reach the destination (two islands), and hosts behind a host, which
 * does not forward. Each is "no route", as Dijkstra from the
 * destination finds; the neighbour itself is reachable. */
static void
test_stub_no_way(void)
{
	struct world w;
	int32_t r0, r1, h0, h1, a, b, c, la, lk;

	ASSERT(world_new(&w, 1));
	r0 = node(&w, "r0", NULL, 1);
	r1 = node(&w, "r1", NULL, 1);
	h0 = node(&w, "h0", "10.0.0.1", 0);
	h1 = node(&w, "h1", "10.1.0.1", 0);
	a = node(&w, "a", "10.2.0.1", 0);
	b = node(&w, "b", "10.2.0.2", 0);
	c = node(&w, "c", "10.2.0.3", 0);
	ASSERT(link(&w, h0, r0, SIM_MS, 1000000, 10, 0) >= 0);
	ASSERT(link(&w, h1, r1, SIM_MS, 1000000, 10, 0) >= 0);
	la = link(&w, a, b, SIM_MS, 1000000, 10, 0);
	ASSERT(la >= 0);
	ASSERT(link(&w, b, c, SIM_MS, 1000000, 10, 0) >= 0);
	ASSERT_EQ(net_route(w.net, h0, net_node_addr(w.net, h1), &lk),
	    NL_ENOROUTE);
	ASSERT_EQ(lk, -1);
	ASSERT_EQ(net_route(w.net, r0, net_node_addr(w.net, h1), &lk),
	    NL_ENOROUTE);
	ASSERT_EQ(net_route(w.net, a, net_node_addr(w.net, c), &lk),
	    NL_ENOROUTE);
	ASSERT_EQ(net_route(w.net, a, net_node_addr(w.net, b), &lk), NL_OK);
	ASSERT_EQ(lk, la);
	ASSERT_EQ(net_route(w.net, h0, net_node_addr(w.net, a), &lk),
	    NL_ENOROUTE);
	/* Joined, the islands route. */
	ASSERT(link(&w, r0, r1, SIM_MS, 1000000, 10, 0) >= 0);
	ASSERT_EQ(net_route(w.net, h0, net_node_addr(w.net, h1), &lk), NL_OK);
	world_free(&w);
}

const struct test_case tests_net[] = {
	{ "net_stub_no_way", test_stub_no_way },
	{ "net_loopback_and_free", test_loopback_and_free },
	{ "net_lose_next", test_lose_next },
	{ "net_one_link_timing", test_one_link_timing },
	{ "net_three_hops", test_three_hops },
	{ "net_route_by_delay", test_route_by_delay },
	{ "net_queue_full", test_queue_full },
	{ "net_queue_reuse", test_queue_reuse },
	{ "net_stub_routes", test_stub_routes },
	{ "net_loss_and_down", test_loss_and_down },
	{ "net_in_flight_link_down", test_in_flight_link_down },
	{ "net_udp_errors", test_udp_errors },
	{ "net_topology_errors", test_topology_errors },
	{ NULL, NULL },
};
