/* test_tcp.c - TCP over the virtual network: handshake and teardown
 * segments with exact numbers, bulk transfer over loss and through a
 * router, RST for a closed port, SYN and data timeouts with backoff, fast
 * retransmit, callbacks that close or abort, simultaneous close, and the
 * same trace for the same seed. Every test builds its own small world and
 * reads what happened from the trace, as the viewer would. */
#include "test.h"

#include <stdlib.h>

#include "engine/sim.h"
#include "net/net.h"
#include "proto/ip/ipv4.h"
#include "proto/ip/tcp_hdr.h"
#include "trace/trace.h"
#include "util/alloc.h"
#include "util/nl.h"

#define ADDR_A 0x0A000001u	/* 10.0.0.1, the client */
#define ADDR_B 0x0A000101u	/* 10.0.1.1, the server */
#define ADDR_R 0x0A000201u	/* 10.0.2.1, the router */
#define PORT 7

/* ---- A world: two hosts, or two hosts and a router between ---- */

struct world {
	struct sim *sim;
	struct trace *trace;
	struct net *net;
	int32_t a, b, r;	/* client, server, router (-1 without) */
	int32_t l1, l2;		/* a-b (or a-r), r-b (-1 without) */
};

static struct net_link_cfg
link_cfg(sim_time delay, uint64_t bw, double loss, uint32_t queue)
{
	struct net_link_cfg c;

	memset(&c, 0, sizeof c);
	c.delay = delay;
	c.bandwidth = bw;
	c.loss = loss;
	c.queue = queue;
	return c;
}

/* Builds the world; l2 NULL means a direct link a-b. 0 on failure. */
static int
world_init(struct world *w, uint64_t seed, const struct net_link_cfg *l1,
    const struct net_link_cfg *l2)
{
	memset(w, 0, sizeof *w);
	w->r = w->l2 = -1;
	w->sim = sim_new(seed);
	w->trace = trace_new();
	if (w->sim == NULL || w->trace == NULL)
		return 0;
	w->net = net_new(w->sim, w->trace);
	if (w->net == NULL ||
	    net_node_add(w->net, "a", "host", 0, &w->a) != NL_OK ||
	    net_node_add(w->net, "b", "host", 0, &w->b) != NL_OK ||
	    net_node_addr_add(w->net, w->a, ADDR_A) != NL_OK ||
	    net_node_addr_add(w->net, w->b, ADDR_B) != NL_OK)
		return 0;
	if (l2 == NULL)
		return net_link_add(w->net, w->a, w->b, l1, &w->l1) == NL_OK;
	return net_node_add(w->net, "r", "router", 1, &w->r) == NL_OK &&
	    net_node_addr_add(w->net, w->r, ADDR_R) == NL_OK &&
	    net_link_add(w->net, w->a, w->r, l1, &w->l1) == NL_OK &&
	    net_link_add(w->net, w->r, w->b, l2, &w->l2) == NL_OK;
}

static void
world_free(struct world *w)
{
	net_free(w->net);
	trace_free(w->trace);
	sim_free(w->sim);
}

/* ---- An application at one end ---- */

struct app {
	struct sim *sim;	/* for times */
	struct net_tcp *c;	/* the connection */
	int nconnect, nclose, npeerfin, naccept;
	enum nl_status connect_st, close_st;
	sim_time connect_t, close_t, peerfin_t;
	int64_t id;		/* the connection's id */
	uint8_t *rx;		/* bytes received */
	size_t rxlen, rxcap;
	const uint8_t *tx;	/* bytes to send once open */
	size_t txlen;
	int close_after_tx;	/* close right after sending tx */
	int close_on_peer_fin;	/* close when the peer's FIN comes */
	int close_on_recv;	/* close inside the first on_recv */
	int abort_on_recv;	/* abort inside the first on_recv */
	int abort_on_connect;	/* abort inside on_connect(NL_OK) */
	int bad_in_close;	/* close/send inside on_close did not
				 * answer NL_ESTATE */
};

static void
app_start(struct app *p)
{
	if (p->txlen > 0)
		net_tcp_send(p->c, p->tx, p->txlen);
	if (p->close_after_tx)
		net_tcp_close(p->c);
}

static void
app_on_connect(struct net_tcp *c, enum nl_status st, void *ctx)
{
	struct app *p = ctx;

	p->nconnect++;
	p->connect_st = st;
	p->connect_t = sim_now(p->sim);
	if (st != NL_OK)
		return;
	if (p->abort_on_connect) {
		net_tcp_abort(c);
		return;
	}
	app_start(p);
}

static void
app_on_recv(struct net_tcp *c, const uint8_t *data, size_t len, void *ctx)
{
	struct app *p = ctx;

	if (p->rxlen + len > p->rxcap) {
		size_t cap = p->rxcap ? p->rxcap : 1024;
		uint8_t *q;

		while (cap < p->rxlen + len)
			cap *= 2;
		q = nl_realloc(p->rx, cap);
		if (q == NULL)
			abort();
		p->rx = q;
		p->rxcap = cap;
	}
	memcpy(p->rx + p->rxlen, data, len);
	p->rxlen += len;
	if (p->close_on_recv) {
		p->close_on_recv = 0;
		net_tcp_close(c);
	}
	if (p->abort_on_recv) {
		p->abort_on_recv = 0;
		net_tcp_abort(c);
	}
}

static void
app_on_peer_fin(struct net_tcp *c, void *ctx)
{
	struct app *p = ctx;

	p->npeerfin++;
	p->peerfin_t = sim_now(p->sim);
	if (p->close_on_peer_fin)
		net_tcp_close(c);
}

static void
app_on_close(struct net_tcp *c, enum nl_status why, void *ctx)
{
	struct app *p = ctx;

	p->nclose++;
	p->close_st = why;
	p->close_t = sim_now(p->sim);
	/* Still valid here, but closed: both must say so. */
	if (net_tcp_close(c) != NL_ESTATE || net_tcp_send(c, "x", 1) !=
	    NL_ESTATE)
		p->bad_in_close = 1;
	net_tcp_abort(c);	/* a no-op now */
	p->c = NULL;
}

static const struct net_tcp_cbs app_cbs = {
	app_on_connect, app_on_recv, app_on_peer_fin, app_on_close,
};

static void
app_accept(struct net_tcp *listener, struct net_tcp *c, void *ctx)
{
	struct app *p = ctx;

	(void)listener;
	p->naccept++;
	p->c = c;
	p->id = net_tcp_id(c);
	net_tcp_set_cbs(c, &app_cbs, p);
	app_start(p);
}

static void
app_free(struct app *p)
{
	nl_free(p->rx);
}

/* Bytes from a small PRNG of our own (xorshift64), not the engine's. */
static uint8_t *
pattern_new(size_t n, uint64_t seed)
{
	uint8_t *p = nl_alloc(n ? n : 1);
	size_t i;

	if (p == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		p[i] = (uint8_t)(seed >> 24);
	}
	return p;
}

/* ---- Reading segments back from the trace ---- */

struct seg {
	sim_time t;		/* event time */
	int32_t node;		/* where the event happened */
	uint32_t src, dst;	/* IP addresses */
	struct tcp_hdr h;	/* TCP header */
	size_t plen;		/* payload bytes */
};

/* The TCP segment carried by event ev (a pkt-send, -recv or -drop). */
static int
seg_of(const struct trace_event *ev, struct seg *s)
{
	struct ipv4_hdr ih;
	const uint8_t *pl;
	size_t hl;

	if (ev->proto != TRACE_P_TCP || ev->len == 0 ||
	    ipv4_hdr_parse(ev->data, ev->len, &ih) != NL_OK)
		return 0;
	hl = (size_t)ih.ihl * 4;
	if (tcp_hdr_parse(ev->data + hl, ih.total_len - hl, ih.src, ih.dst,
	    &s->h, &pl, &s->plen) != NL_OK)
		return 0;
	s->t = ev->t;
	s->node = ev->node;
	s->src = ih.src;
	s->dst = ih.dst;
	return 1;
}

/* Segments a node built and put on a link (origin pkt-send), in order;
 * up to max into out. Returns how many there are in all. */
static size_t
sent_segs(const struct world *w, int32_t node, struct seg *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < trace_count(w->trace); i++) {
		const struct trace_event *ev = trace_at(w->trace, i);
		struct seg s;

		if (ev->kind != TRACE_PKT_SEND || !(ev->flags & TRACE_F_ORIGIN) ||
		    (node >= 0 && ev->node != node) || !seg_of(ev, &s))
			continue;
		if (n < max)
			out[n] = s;
		n++;
	}
	return n;
}

/* Counts the data segments node sent, and of them the retransmissions
 * (sequence space sent before), from pkt-send and drop-at-send events. */
static void
count_data(const struct world *w, int32_t node, uint32_t isn,
    size_t *segs, size_t *rexmits)
{
	size_t i;
	uint32_t high = isn + 1;

	*segs = *rexmits = 0;
	for (i = 0; i < trace_count(w->trace); i++) {
		const struct trace_event *ev = trace_at(w->trace, i);
		struct seg s;
		uint32_t end;

		if (ev->kind != TRACE_PKT_SEND || ev->node != node ||
		    !(ev->flags & TRACE_F_ORIGIN) || !seg_of(ev, &s) ||
		    s.plen == 0)
			continue;
		(*segs)++;
		end = s.h.seq + (uint32_t)s.plen;
		if ((int32_t)(s.h.seq - high) < 0)
			(*rexmits)++;
		if ((int32_t)(end - high) > 0)
			high = end;
	}
}

/* The tcp-state transitions of connection id, as old*100+new. */
static size_t
states_of(const struct world *w, int64_t id, int *out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < trace_count(w->trace); i++) {
		const struct trace_event *ev = trace_at(w->trace, i);

		if (ev->kind != TRACE_TCP_STATE || ev->c != id)
			continue;
		if (n < max)
			out[n] = (int)(ev->a * 100 + ev->b);
		n++;
	}
	return n;
}

#define TR(a, b) (NET_TCP_##a * 100 + NET_TCP_##b)

/* Whether a shown tcp-state event with this summary exists. */
static int
shown(const struct world *w, const char *summary)
{
	size_t i;

	for (i = 0; i < trace_count(w->trace); i++) {
		const struct trace_event *ev = trace_at(w->trace, i);

		if (ev->kind == TRACE_TCP_STATE &&
		    (ev->flags & TRACE_F_SHOW) &&
		    strcmp(ev->summary, summary) == 0)
			return 1;
	}
	return 0;
}

static int
verbose(void)
{
	return getenv("NETLAB_TEST_VERBOSE") != NULL;
}

/* ---- A transfer: client a sends size bytes to server b:7 and closes;
 * the server closes on the client's FIN. ---- */

struct xfer {
	struct world w;
	struct app cli, srv;
	struct net_tcp *listener;
	uint8_t *pattern;
	size_t size;
};

/* Sets everything up and connects; the caller runs the engine. */
static int
xfer_start(struct xfer *x, uint64_t seed, size_t size,
    const struct net_link_cfg *l1, const struct net_link_cfg *l2)
{
	memset(x, 0, sizeof *x);
	if (!world_init(&x->w, seed, l1, l2))
		return 0;
	x->size = size;
	x->pattern = pattern_new(size, seed * 2654435761u + 1);
	if (x->pattern == NULL)
		return 0;
	x->cli.sim = x->srv.sim = x->w.sim;
	x->cli.tx = x->pattern;
	x->cli.txlen = size;
	x->cli.close_after_tx = 1;
	x->srv.close_on_peer_fin = 1;
	if (net_tcp_listen(x->w.net, x->w.b, PORT, app_accept, &x->srv,
	    &x->listener) != NL_OK)
		return 0;
	if (net_tcp_connect(x->w.net, x->w.a, ADDR_B, PORT, &app_cbs, &x->cli,
	    &x->cli.c) != NL_OK)
		return 0;
	x->cli.id = net_tcp_id(x->cli.c);
	return 1;
}

static void
xfer_free(struct xfer *x)
{
	world_free(&x->w);
	app_free(&x->cli);
	app_free(&x->srv);
	nl_free(x->pattern);
}

/* The first SYN the client sent gives its ISN. */
static uint32_t
client_isn(const struct world *w)
{
	struct seg s;

	if (sent_segs(w, w->a, &s, 1) == 0)
		return 0;
	return s.h.seq;
}

/* Checks a finished transfer: bytes intact, orderly close on both. */
#define ASSERT_XFER_OK(x)                                                  \
	do {                                                               \
		ASSERT_EQ((x)->cli.nconnect, 1);                           \
		ASSERT_EQ((x)->cli.connect_st, NL_OK);                     \
		ASSERT_EQ((x)->srv.naccept, 1);                            \
		ASSERT_U64_EQ((x)->srv.rxlen, (x)->size);                  \
		ASSERT_MEM_EQ((x)->srv.rx, (x)->pattern, (x)->size);       \
		ASSERT_EQ((x)->srv.npeerfin, 1);                           \
		ASSERT_EQ((x)->cli.npeerfin, 1);                           \
		ASSERT_EQ((x)->cli.nclose, 1);                             \
		ASSERT_EQ((x)->srv.nclose, 1);                             \
		ASSERT_EQ((x)->cli.close_st, NL_OK);                       \
		ASSERT_EQ((x)->srv.close_st, NL_OK);                       \
		ASSERT_EQ((x)->cli.bad_in_close, 0);                       \
		ASSERT_EQ((x)->srv.bad_in_close, 0);                       \
	} while (0)

static void
report(const char *what, const struct xfer *x)
{
	size_t segs, rex;
	char t[32];

	if (!verbose())
		return;
	count_data(&x->w, x->w.a, client_isn(&x->w), &segs, &rex);
	fprintf(stderr, "  %s: %zu bytes in %s s (server saw FIN), "
	    "%zu data segments sent, %zu retransmitted, %zu events\n", what,
	    x->size, sim_time_str(x->srv.peerfin_t, t, sizeof t), segs, rex,
	    trace_count(x->w.trace));
}

/* ---- Tests ---- */

/* The textbook exchange: SYN, SYN-ACK, ACK, data, FIN and ACK both ways,
 * each with its exact sequence and acknowledgement numbers. */
static void
test_handshake(void)
{
	static const uint8_t hello[] = "hello";
	struct net_link_cfg lc = link_cfg(1 * SIM_MS, 100000000, 0, 100);
	struct xfer x;
	struct seg s[16];
	uint32_t i, j;
	size_t n, k;
	int st[16];
	static const int cli_states[] = {
		TR(CLOSED, SYN_SENT), TR(SYN_SENT, ESTABLISHED),
		TR(ESTABLISHED, FIN_WAIT_1), TR(FIN_WAIT_1, FIN_WAIT_2),
		TR(FIN_WAIT_2, TIME_WAIT), TR(TIME_WAIT, CLOSED),
	};
	static const int srv_states[] = {
		TR(LISTEN, SYN_RCVD), TR(SYN_RCVD, ESTABLISHED),
		TR(ESTABLISHED, CLOSE_WAIT), TR(CLOSE_WAIT, LAST_ACK),
		TR(LAST_ACK, CLOSED),
	};

	ASSERT(xfer_start(&x, 1, 0, &lc, NULL));
	x.cli.tx = hello;
	x.cli.txlen = 5;
	ASSERT_EQ(net_tcp_get_state(x.cli.c), NET_TCP_SYN_SENT);
	ASSERT_EQ(net_tcp_local_port(x.cli.c), 49152);
	ASSERT_EQ(net_tcp_remote_port(x.cli.c), PORT);
	ASSERT_EQ(net_tcp_peer_node(x.cli.c), x.w.b);
	sim_run(x.w.sim, SIM_RUN_EMPTY, 0);

	n = sent_segs(&x.w, -1, s, 16);
	ASSERT_EQ(n, 9);
	i = s[0].h.seq;		/* client ISN */
	j = s[1].h.seq;		/* server ISN */
#define ASSERT_SEG(k, from, fl, sq, ak, len)                               \
	do {                                                               \
		ASSERT_EQ(s[k].src, from);                                 \
		ASSERT_EQ(s[k].h.flags, fl);                               \
		ASSERT_U64_EQ(s[k].h.seq, (uint32_t)(sq));                 \
		ASSERT_U64_EQ(s[k].h.ack, (uint32_t)(ak));                 \
		ASSERT_EQ(s[k].plen, len);                                 \
		ASSERT_EQ(s[k].h.sport, (from) == ADDR_A ? 49152 : PORT);  \
	} while (0)
	ASSERT_SEG(0, ADDR_A, TCP_SYN, i, 0, 0);
	ASSERT_SEG(1, ADDR_B, TCP_SYN | TCP_ACK, j, i + 1, 0);
	ASSERT_SEG(2, ADDR_A, TCP_ACK, i + 1, j + 1, 0);
	ASSERT_SEG(3, ADDR_A, TCP_PSH | TCP_ACK, i + 1, j + 1, 5);
	ASSERT_SEG(4, ADDR_A, TCP_FIN | TCP_ACK, i + 6, j + 1, 0);
	ASSERT_SEG(5, ADDR_B, TCP_ACK, j + 1, i + 6, 0);
	ASSERT_SEG(6, ADDR_B, TCP_ACK, j + 1, i + 7, 0);
	ASSERT_SEG(7, ADDR_B, TCP_FIN | TCP_ACK, j + 1, i + 7, 0);
	ASSERT_SEG(8, ADDR_A, TCP_ACK, i + 7, j + 2, 0);
#undef ASSERT_SEG
	ASSERT_EQ(s[0].h.mss, 1460);
	ASSERT_EQ(s[1].h.mss, 1460);
	ASSERT_EQ(s[2].h.mss, 0);
	ASSERT_EQ(s[0].h.win, 65535);

	ASSERT_EQ(x.srv.rxlen, 5);
	ASSERT_MEM_EQ(x.srv.rx, "hello", 5);
	ASSERT_EQ(x.cli.nconnect, 1);
	ASSERT_EQ(x.cli.connect_st, NL_OK);
	ASSERT_EQ(x.srv.nclose, 1);
	ASSERT_EQ(x.srv.close_st, NL_OK);
	ASSERT_EQ(x.cli.nclose, 1);
	ASSERT_EQ(x.cli.close_st, NL_OK);
	/* The client closes after TIME-WAIT, 2 MSL after its last ACK. */
	ASSERT_EQ(x.cli.close_t, s[8].t + 60 * SIM_S);
	ASSERT(x.srv.close_t < 1 * SIM_S);

	n = states_of(&x.w, x.cli.id, st, 16);
	ASSERT_EQ(n, NL_ARRAY_LEN(cli_states));
	for (k = 0; k < n; k++)
		ASSERT_EQ(st[k], cli_states[k]);
	n = states_of(&x.w, x.srv.id, st, 16);
	ASSERT_EQ(n, NL_ARRAY_LEN(srv_states));
	for (k = 0; k < n; k++)
		ASSERT_EQ(st[k], srv_states[k]);
	ASSERT(x.srv.id != x.cli.id);
	ASSERT(shown(&x.w, "connected 10.0.0.1:49152 → 10.0.1.1:7"));
	ASSERT(shown(&x.w, "close: FIN sent"));
	ASSERT_EQ(net_tcp_get_state(x.listener), NET_TCP_LISTEN);
	xfer_free(&x);
}

/* 1 MB across a link that loses 10 % of the datagrams each way. */
static void
test_bulk_loss(void)
{
	struct net_link_cfg lc = link_cfg(5 * SIM_MS, 10000000, 0.10, 100);
	struct xfer x;

	ASSERT(xfer_start(&x, 42, 1 << 20, &lc, NULL));
	sim_run(x.w.sim, SIM_RUN_EMPTY, 0);
	report("1 MB, 10% loss", &x);
	ASSERT_XFER_OK(&x);
	xfer_free(&x);
}

/* 1 MB through a router onto a slower link with a short queue: the
 * router's drop-tail queue is where segments are lost. */
static void
test_bulk_router(void)
{
	struct net_link_cfg fast = link_cfg(2 * SIM_MS, 100000000, 0, 100);
	struct net_link_cfg slow = link_cfg(10 * SIM_MS, 5000000, 0, 16);
	struct xfer x;
	size_t i, drops = 0;

	ASSERT(xfer_start(&x, 7, 1 << 20, &fast, &slow));
	sim_run(x.w.sim, SIM_RUN_EMPTY, 0);
	report("1 MB via router", &x);
	ASSERT_XFER_OK(&x);
	for (i = 0; i < trace_count(x.w.trace); i++) {
		const struct trace_event *ev = trace_at(x.w.trace, i);

		if (ev->kind == TRACE_PKT_DROP && ev->node == x.w.r)
			drops++;
	}
	ASSERT(drops > 0);	/* congestion happened and was recovered */
	xfer_free(&x);
}

/* A SYN to a port nobody listens on gets RST+ACK (RFC 9293 3.10.7.1). */
static void
test_refused(void)
{
	struct net_link_cfg lc = link_cfg(1 * SIM_MS, 100000000, 0, 100);
	struct world w;
	struct app cli;
	struct seg s[4];
	size_t n;

	memset(&cli, 0, sizeof cli);
	ASSERT(world_init(&w, 3, &lc, NULL));
	cli.sim = w.sim;
	ASSERT_EQ(net_tcp_connect(w.net, w.a, ADDR_B, 9, &app_cbs, &cli,
	    &cli.c), NL_OK);
	sim_run(w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(cli.nconnect, 1);
	ASSERT_EQ(cli.connect_st, NL_ECONNREFUSED);
	ASSERT_EQ(cli.nclose, 1);
	ASSERT_EQ(cli.close_st, NL_ECONNREFUSED);
	ASSERT_EQ(cli.bad_in_close, 0);
	n = sent_segs(&w, w.b, s, 4);
	ASSERT_EQ(n, 1);
	ASSERT_EQ(s[0].h.flags, TCP_RST | TCP_ACK);
	ASSERT_U64_EQ(s[0].h.seq, 0);
	ASSERT_U64_EQ(s[0].h.ack, client_isn(&w) + 1);
	ASSERT_EQ(s[0].h.sport, 9);
	ASSERT(shown(&w, "connection refused (RST from 10.0.1.1:9)"));
	/* One RTT: 1 ms each way plus 44 bytes (SYN) and 40 bytes (RST)
	 * at 100 Mbit/s. */
	ASSERT_EQ(cli.connect_t, 2 * SIM_MS + 44 * 80 + 40 * 80);
	world_free(&w);
}

/* An address nobody routes to: on_connect(NL_ENOROUTE), on_close too. */
static void
test_no_route(void)
{
	struct net_link_cfg lc = link_cfg(1 * SIM_MS, 100000000, 0, 100);
	struct world w;
	struct app cli;

	memset(&cli, 0, sizeof cli);
	ASSERT(world_init(&w, 3, &lc, NULL));
	cli.sim = w.sim;
	ASSERT_EQ(net_tcp_connect(w.net, w.a, 0xC0000201u, 80, &app_cbs,
	    &cli, &cli.c), NL_OK);
	ASSERT_EQ(cli.nconnect, 0);	/* not from inside connect */
	sim_run(w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(cli.nconnect, 1);
	ASSERT_EQ(cli.connect_st, NL_ENOROUTE);
	ASSERT_EQ(cli.nclose, 1);
	ASSERT_EQ(cli.close_st, NL_ENOROUTE);
	world_free(&w);
}

/* Link down: the SYN goes out 1 + syn_retries times, 1 s, 2 s, 4 s...
 * apart (RFC 6298 5.5), then on_connect(NL_ETIMEDOUT). */
static void
test_syn_timeout(void)
{
	struct net_link_cfg lc = link_cfg(1 * SIM_MS, 100000000, 0, 100);
	struct world w;
	struct app cli;
	sim_time at[16];
	size_t i, n = 0;

	memset(&cli, 0, sizeof cli);
	ASSERT(world_init(&w, 5, &lc, NULL));
	cli.sim = w.sim;
	ASSERT_EQ(net_link_set_up(w.net, w.l1, 0), NL_OK);
	ASSERT_EQ(net_tcp_connect(w.net, w.a, ADDR_B, PORT, &app_cbs, &cli,
	    &cli.c), NL_OK);
	sim_run(w.sim, SIM_RUN_EMPTY, 0);
	for (i = 0; i < trace_count(w.trace); i++) {
		const struct trace_event *ev = trace_at(w.trace, i);
		struct seg s;

		if (ev->kind == TRACE_PKT_DROP && seg_of(ev, &s) &&
		    s.h.flags == TCP_SYN && n < 16)
			at[n++] = ev->t;
	}
	ASSERT_EQ(n, 6);	/* the SYN and 5 retransmissions */
	ASSERT_EQ(at[0], 0);
	for (i = 1; i < n; i++)
		ASSERT_EQ(at[i] - at[i - 1], ((sim_time)1 << (i - 1)) * SIM_S);
	ASSERT_EQ(cli.nconnect, 1);
	ASSERT_EQ(cli.connect_st, NL_ETIMEDOUT);
	ASSERT_EQ(cli.connect_t, 63 * SIM_S);
	ASSERT_EQ(cli.nclose, 1);
	ASSERT_EQ(cli.close_st, NL_ETIMEDOUT);
	ASSERT(shown(&w, "connection timed out after 5 retransmissions"));
	world_free(&w);
}

struct link_flip {
	struct net *net;
	int32_t link;		/* or -1 */
	int32_t node;		/* or -1 */
	int up;			/* state to set */
};

static sim_time
flip_fn(struct sim *s, void *arg)
{
	struct link_flip *f = arg;

	(void)s;
	if (f->link >= 0)
		net_link_set_up(f->net, f->link, f->up);
	else
		net_node_set_up(f->net, f->node, f->up);
	return SIM_DONE;
}

/* The link fails in mid-transfer for 4 s: the retransmissions of the
 * oldest segment go out with doubling gaps (RFC 6298 5.5), and once the
 * link is back the data arrives intact. */
static void
test_rto_outage(void)
{
	struct net_link_cfg lc = link_cfg(10 * SIM_MS, 10000000, 0, 100);
	struct xfer x;
	struct link_flip down, up;
	sim_time t_down = 100 * SIM_MS, t_up = t_down + 4 * SIM_S;
	sim_time at[32];
	uint32_t seq0 = 0;
	size_t i, n = 0;

	ASSERT(xfer_start(&x, 11, 300000, &lc, NULL));
	down.net = up.net = x.w.net;
	down.link = up.link = x.w.l1;
	down.node = up.node = -1;
	down.up = 0;
	up.up = 1;
	ASSERT(sim_schedule_at(x.w.sim, t_down, flip_fn, &down, NULL) != 0);
	ASSERT(sim_schedule_at(x.w.sim, t_up, flip_fn, &up, NULL) != 0);
	sim_run(x.w.sim, SIM_RUN_EMPTY, 0);
	report("300 KB, 4 s outage", &x);
	ASSERT_XFER_OK(&x);
	/* Data the client sent into the dead link: one segment each time,
	 * always the oldest unacknowledged one. */
	for (i = 0; i < trace_count(x.w.trace); i++) {
		const struct trace_event *ev = trace_at(x.w.trace, i);
		struct seg s;

		/* b == -1: refused at the sender, not lost in flight. */
		if (ev->kind != TRACE_PKT_DROP || ev->node != x.w.a ||
		    ev->t <= t_down || ev->b != -1 || !seg_of(ev, &s) ||
		    s.src != ADDR_A || s.plen == 0)
			continue;
		if (n == 0)
			seq0 = s.h.seq;
		ASSERT_U64_EQ(s.h.seq, seq0);
		if (n < 32)
			at[n++] = ev->t;
	}
	ASSERT(n >= 3);
	for (i = 2; i < n; i++)
		ASSERT_EQ(at[i] - at[i - 1], 2 * (at[i - 1] - at[i - 2]));
	ASSERT(at[n - 1] < t_up);
	xfer_free(&x);
}

/* The link dies for good in mid-transfer: after data_retries
 * retransmissions the client gives up with a RST it cannot deliver and
 * on_close(NL_ETIMEDOUT). The server never hears of it; net_free frees
 * its connection. */
static void
test_data_timeout(void)
{
	struct net_link_cfg lc = link_cfg(10 * SIM_MS, 10000000, 0, 100);
	struct net_tcp_cfg cfg;
	struct xfer x;
	struct link_flip down;
	size_t i, n = 0;

	memset(&x, 0, sizeof x);
	ASSERT(xfer_start(&x, 43, 300000, &lc, NULL));
	/* Settings apply to connections opened afterwards: reopen. */
	net_tcp_cfg_default(&cfg);
	cfg.data_retries = 3;
	net_tcp_cfg_set(x.w.net, &cfg);
	net_tcp_abort(x.cli.c);
	memset(&x.cli, 0, sizeof x.cli);
	x.cli.sim = x.w.sim;
	x.cli.tx = x.pattern;
	x.cli.txlen = x.size;
	ASSERT_EQ(net_tcp_connect(x.w.net, x.w.a, ADDR_B, PORT, &app_cbs,
	    &x.cli, &x.cli.c), NL_OK);
	down.net = x.w.net;
	down.link = x.w.l1;
	down.node = -1;
	down.up = 0;
	ASSERT(sim_schedule_at(x.w.sim, 100 * SIM_MS, flip_fn, &down, NULL));
	sim_run(x.w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(x.cli.nconnect, 1);
	ASSERT_EQ(x.cli.connect_st, NL_OK);
	ASSERT_EQ(x.cli.nclose, 1);
	ASSERT_EQ(x.cli.close_st, NL_ETIMEDOUT);
	ASSERT(shown(&x.w, "connection timed out after 3 retransmissions"));
	ASSERT_EQ(x.srv.naccept, 1);
	ASSERT_EQ(x.srv.nclose, 0);
	for (i = 0; i < trace_count(x.w.trace); i++) {
		const struct trace_event *ev = trace_at(x.w.trace, i);
		struct seg s;

		if (ev->kind == TRACE_PKT_DROP && ev->node == x.w.a &&
		    seg_of(ev, &s) && s.src == ADDR_A &&
		    (s.h.flags & TCP_RST))
			n++;
	}
	ASSERT_EQ(n, 1);
	xfer_free(&x);
}

/* Exactly one data segment is lost (net_link_lose_next on the client's
 * side of the link once the 9th is out): three duplicate ACKs bring it
 * back at once, no timeout. */
static void
test_fast_retransmit(void)
{
	struct net_link_cfg lc = link_cfg(10 * SIM_MS, 2000000, 0, 100);
	struct xfer x;
	uint32_t isn, lost = 0, ninth;
	size_t i, k, ndup = 0, segs, rex, nlost = 0;
	sim_time fourth = -1, resent = -1, first = -1;

	ASSERT(xfer_start(&x, 13, 100000, &lc, NULL));
	isn = client_isn(&x.w);
	ninth = isn + 1 + 8 * 1460;
	lost = ninth + 1460;		/* the 10th data segment */
	/* Step until the 9th is on the wire: the client sends nothing but
	 * data now, so the next datagram it puts on the link is the 10th. */
	for (k = 0; first < 0 && sim_run(x.w.sim, SIM_RUN_ONCE, 0) > 0;) {
		for (; k < trace_count(x.w.trace); k++) {
			const struct trace_event *ev = trace_at(x.w.trace, k);
			struct seg s;

			if (ev->kind == TRACE_PKT_SEND && seg_of(ev, &s) &&
			    s.src == ADDR_A && s.h.seq == ninth && s.plen > 0) {
				first = ev->t;
				ASSERT_EQ(net_link_lose_next(x.w.net, ev->link,
				    x.w.a, 1), NL_OK);
			}
		}
	}
	ASSERT(first >= 0);
	sim_run(x.w.sim, SIM_RUN_EMPTY, 0);
	report("100 KB, one loss", &x);
	ASSERT_XFER_OK(&x);
	for (i = 0; i < trace_count(x.w.trace); i++) {
		const struct trace_event *ev = trace_at(x.w.trace, i);
		struct seg s;

		if (!seg_of(ev, &s))
			continue;
		if (ev->kind == TRACE_PKT_RECV && ev->node == x.w.a &&
		    s.plen == 0 && s.h.ack == lost && ++ndup == 4)
			fourth = ev->t;	/* the normal ACK + 3 duplicates */
		/* The first send of `lost` is the one the link loses. */
		if (ev->kind == TRACE_PKT_SEND && s.src == ADDR_A &&
		    s.h.seq == lost && s.plen > 0 && ++nlost == 2)
			resent = ev->t;
	}
	ASSERT(fourth > 0);
	ASSERT_EQ(resent, fourth);
	count_data(&x.w, x.w.a, isn, &segs, &rex);
	ASSERT_EQ(rex, 1);
	xfer_free(&x);
}

/* The server closes from inside its first on_recv; the client keeps
 * sending into FIN-WAIT and closes when it sees the server's FIN. */
static void
test_close_in_recv(void)
{
	struct net_link_cfg lc = link_cfg(1 * SIM_MS, 100000000, 0, 100);
	struct xfer x;

	ASSERT(xfer_start(&x, 17, 20000, &lc, NULL));
	x.srv.close_on_recv = 1;
	x.cli.close_after_tx = 0;
	x.cli.close_on_peer_fin = 1;
	sim_run(x.w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_XFER_OK(&x);
	xfer_free(&x);
}

/* The client aborts from inside on_connect: RST, on_close(ECONNRESET)
 * on both sides; nothing is touched after it is gone (ASan). */
static void
test_abort_in_connect(void)
{
	struct net_link_cfg lc = link_cfg(1 * SIM_MS, 100000000, 0, 100);
	struct xfer x;
	struct seg s[8];
	size_t n;

	ASSERT(xfer_start(&x, 19, 1000, &lc, NULL));
	x.cli.abort_on_connect = 1;
	sim_run(x.w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(x.cli.nconnect, 1);
	ASSERT_EQ(x.cli.connect_st, NL_OK);
	ASSERT_EQ(x.cli.nclose, 1);
	ASSERT_EQ(x.cli.close_st, NL_ECONNRESET);
	ASSERT_EQ(x.srv.naccept, 1);
	ASSERT_EQ(x.srv.nclose, 1);
	ASSERT_EQ(x.srv.close_st, NL_ECONNRESET);
	ASSERT_EQ(x.srv.rxlen, 0);
	n = sent_segs(&x.w, x.w.a, s, 8);
	ASSERT_EQ(n, 3);	/* SYN, ACK, RST */
	ASSERT_EQ(s[2].h.flags, TCP_RST);
	ASSERT_U64_EQ(s[2].h.seq, s[0].h.seq + 1);
	ASSERT(shown(&x.w, "connection aborted (RST sent)"));
	ASSERT(shown(&x.w, "connection reset by peer"));
	xfer_free(&x);
}

/* The server aborts inside on_recv while data is still coming: the
 * client hears a reset. */
static void
test_abort_in_recv(void)
{
	struct net_link_cfg lc = link_cfg(1 * SIM_MS, 100000000, 0, 100);
	struct xfer x;

	ASSERT(xfer_start(&x, 23, 50000, &lc, NULL));
	x.srv.abort_on_recv = 1;
	x.cli.close_after_tx = 0;
	sim_run(x.w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(x.srv.nclose, 1);
	ASSERT_EQ(x.srv.close_st, NL_ECONNRESET);
	ASSERT_EQ(x.cli.nclose, 1);
	ASSERT_EQ(x.cli.close_st, NL_ECONNRESET);
	ASSERT(x.srv.rxlen > 0 && x.srv.rxlen < x.size);
	xfer_free(&x);
}

struct both_close {
	struct app *a, *b;	/* the two ends */
};

static sim_time
both_close_fn(struct sim *s, void *arg)
{
	struct both_close *bc = arg;

	(void)s;
	net_tcp_close(bc->a->c);
	net_tcp_close(bc->b->c);
	return SIM_DONE;
}

/* Both ends close at the same instant: FIN-WAIT-1, CLOSING, TIME-WAIT,
 * CLOSED on each side (RFC 9293 3.6 figure 13). */
static void
test_simultaneous_close(void)
{
	struct net_link_cfg lc = link_cfg(5 * SIM_MS, 100000000, 0, 100);
	struct xfer x;
	struct both_close bc;
	int st[16];
	size_t n, k;
	static const int want[] = {
		TR(ESTABLISHED, FIN_WAIT_1), TR(FIN_WAIT_1, CLOSING),
		TR(CLOSING, TIME_WAIT), TR(TIME_WAIT, CLOSED),
	};

	ASSERT(xfer_start(&x, 29, 3000, &lc, NULL));
	x.cli.close_after_tx = 0;
	x.srv.close_on_peer_fin = 0;
	x.srv.tx = (const uint8_t *)"welcome";
	x.srv.txlen = 7;
	bc.a = &x.cli;
	bc.b = &x.srv;
	ASSERT(sim_schedule_at(x.w.sim, 1 * SIM_S, both_close_fn, &bc, NULL));
	sim_run(x.w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_XFER_OK(&x);
	ASSERT_EQ(x.cli.rxlen, 7);
	n = states_of(&x.w, x.cli.id, st, 16);
	ASSERT_EQ(n, 2 + NL_ARRAY_LEN(want));
	for (k = 0; k < NL_ARRAY_LEN(want); k++)
		ASSERT_EQ(st[2 + k], want[k]);
	n = states_of(&x.w, x.srv.id, st, 16);
	ASSERT_EQ(n, 2 + NL_ARRAY_LEN(want));
	for (k = 0; k < NL_ARRAY_LEN(want); k++)
		ASSERT_EQ(st[2 + k], want[k]);
	xfer_free(&x);
}

/* Same seed, same trace: every event's time, kind, nodes, summary and
 * bytes; a lossy transfer so the PRNG matters. */
static void
test_determinism(void)
{
	struct net_link_cfg lc = link_cfg(5 * SIM_MS, 10000000, 0.10, 100);
	struct xfer x, y;
	size_t i;

	ASSERT(xfer_start(&x, 99, 100000, &lc, NULL));
	sim_run(x.w.sim, SIM_RUN_EMPTY, 0);
	ASSERT(xfer_start(&y, 99, 100000, &lc, NULL));
	sim_run(y.w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_XFER_OK(&x);
	ASSERT_EQ(trace_count(x.w.trace), trace_count(y.w.trace));
	for (i = 0; i < trace_count(x.w.trace); i++) {
		const struct trace_event *e = trace_at(x.w.trace, i);
		const struct trace_event *f = trace_at(y.w.trace, i);

		ASSERT_EQ(e->t, f->t);
		ASSERT_EQ(e->kind, f->kind);
		ASSERT_EQ(e->node, f->node);
		ASSERT_EQ(e->a, f->a);
		ASSERT_EQ(e->b, f->b);
		ASSERT_EQ(e->c, f->c);
		ASSERT_EQ(e->flags, f->flags);
		ASSERT_STR_EQ(e->summary, f->summary);
		ASSERT_EQ(e->len, f->len);
		if (e->len > 0)
			ASSERT_MEM_EQ(e->data, f->data, e->len);
	}
	xfer_free(&x);
	xfer_free(&y);
}

/* Both ends send 200 KB at once over 5 % loss and close when done:
 * data and ACKs share segments (duplicate ACKs that carry data do not
 * count), and both FINs cross. */
static void
test_bidir_loss(void)
{
	struct net_link_cfg lc = link_cfg(3 * SIM_MS, 10000000, 0.05, 100);
	struct xfer x;
	uint8_t *back = pattern_new(200000, 77);

	ASSERT(back != NULL);
	ASSERT(xfer_start(&x, 31, 200000, &lc, NULL));
	x.srv.tx = back;
	x.srv.txlen = 200000;
	x.srv.close_after_tx = 1;
	x.srv.close_on_peer_fin = 0;
	sim_run(x.w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_XFER_OK(&x);
	ASSERT_U64_EQ(x.cli.rxlen, 200000);
	ASSERT_MEM_EQ(x.cli.rx, back, 200000);
	xfer_free(&x);
	nl_free(back);
}

#define POOL 300

struct pool {
	struct app srv[POOL];	/* server ends, in accept order */
	int n;			/* accepted */
};

static void
pool_accept(struct net_tcp *listener, struct net_tcp *c, void *ctx)
{
	struct pool *p = ctx;

	if (p->n >= POOL) {
		net_tcp_abort(c);
		return;
	}
	p->srv[p->n].sim = p->srv[0].sim;
	p->srv[p->n].close_on_peer_fin = 1;
	app_accept(listener, c, &p->srv[p->n++]);
}

/* 300 clients at once to one listener over a lossy link, 3 KB each:
 * every byte arrives at the right server end, every end closes. */
static void
test_many(void)
{
	struct net_link_cfg lc = link_cfg(2 * SIM_MS, 100000000, 0.02, 1000);
	struct world w;
	struct net_tcp *l;
	struct app *cli = nl_calloc(POOL, sizeof *cli);
	struct pool *pool = nl_calloc(1, sizeof *pool);
	uint8_t *pat = pattern_new(3000 + POOL, 5);
	int i, j, ok = 0;

	ASSERT(cli != NULL && pool != NULL && pat != NULL);
	ASSERT(world_init(&w, 37, &lc, NULL));
	pool->srv[0].sim = w.sim;
	ASSERT_EQ(net_tcp_listen(w.net, w.b, PORT, pool_accept, pool, &l),
	    NL_OK);
	for (i = 0; i < POOL; i++) {
		cli[i].sim = w.sim;
		cli[i].tx = pat + i;	/* a different 3000 bytes each */
		cli[i].txlen = 3000;
		cli[i].close_after_tx = 1;
		ASSERT_EQ(net_tcp_connect(w.net, w.a, ADDR_B, PORT, &app_cbs,
		    &cli[i], &cli[i].c), NL_OK);
	}
	sim_run(w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(pool->n, POOL);
	for (i = 0; i < POOL; i++) {
		ASSERT_EQ(cli[i].nclose, 1);
		ASSERT_EQ(cli[i].close_st, NL_OK);
		ASSERT_EQ(pool->srv[i].nclose, 1);
		ASSERT_EQ(pool->srv[i].close_st, NL_OK);
		ASSERT_EQ(pool->srv[i].rxlen, 3000);
		/* Which client was it? Its bytes tell. */
		for (j = 0; j < POOL; j++)
			if (memcmp(pool->srv[i].rx, pat + j, 3000) == 0)
				break;
		ASSERT(j < POOL);
		ok++;
	}
	ASSERT_EQ(ok, POOL);
	for (i = 0; i < POOL; i++)
		app_free(&pool->srv[i]);
	nl_free(cli);
	nl_free(pool);
	nl_free(pat);
	world_free(&w);
}

struct closer {
	struct net_tcp *l;	/* listener to close */
};

static sim_time
close_listener_fn(struct sim *s, void *arg)
{
	struct closer *k = arg;

	(void)s;
	net_tcp_close(k->l);
	return SIM_DONE;
}

/* The listener closes while a child is still in SYN-RECEIVED: the child
 * is reset (nobody would accept it), the client that just connected
 * hears the reset, and the port is free again. */
static void
test_listener_close(void)
{
	struct net_link_cfg lc = link_cfg(1 * SIM_MS, 100000000, 0, 100);
	struct xfer x;
	struct closer k;
	struct net_tcp *l2;

	ASSERT(xfer_start(&x, 41, 1000, &lc, NULL));
	k.l = x.listener;
	/* The SYN arrives at ~1 ms, the client's ACK at ~3 ms. */
	ASSERT(sim_schedule_at(x.w.sim, 1500 * SIM_US, close_listener_fn, &k,
	    NULL));
	sim_run(x.w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(x.srv.naccept, 0);
	ASSERT_EQ(x.cli.nconnect, 1);
	ASSERT_EQ(x.cli.nclose, 1);
	ASSERT_EQ(x.cli.close_st, NL_ECONNRESET);
	ASSERT(shown(&x.w, "connection reset by peer"));
	ASSERT_EQ(net_tcp_listen(x.w.net, x.w.b, PORT, app_accept, &x.srv,
	    &l2), NL_OK);
	xfer_free(&x);
}

/* Listener bookkeeping: a second listener on the port is refused; a
 * closed listener frees its port; ephemeral ports advance. */
static void
test_listen_ports(void)
{
	struct net_link_cfg lc = link_cfg(1 * SIM_MS, 100000000, 0, 100);
	struct world w;
	struct net_tcp *l1, *l2;
	struct app srv;

	memset(&srv, 0, sizeof srv);
	ASSERT(world_init(&w, 1, &lc, NULL));
	ASSERT_EQ(net_tcp_listen(w.net, w.b, PORT, app_accept, &srv, &l1),
	    NL_OK);
	ASSERT_EQ(net_tcp_listen(w.net, w.b, PORT, app_accept, &srv, &l2),
	    NL_EADDRINUSE);
	ASSERT(l2 == NULL);
	ASSERT_EQ(net_tcp_get_state(l1), NET_TCP_LISTEN);
	ASSERT_EQ(net_tcp_send(l1, "x", 1), NL_ESTATE);
	ASSERT_EQ(net_tcp_close(l1), NL_OK);
	ASSERT_EQ(net_tcp_listen(w.net, w.b, PORT, app_accept, &srv, &l2),
	    NL_OK);
	ASSERT_STR_EQ(net_tcp_state_str(NET_TCP_SYN_RCVD), "SYN-RECEIVED");
	ASSERT_STR_EQ(net_tcp_state_str(NET_TCP_TIME_WAIT), "TIME-WAIT");
	world_free(&w);
}

/* The server's node crashes mid-transfer: its connection is gone at once
 * (on_close(NL_ECLOSED), a shown line), it sends no RST, and the client
 * retransmits into the void until it gives up. */
static void
test_node_crash(void)
{
	struct net_link_cfg lc = link_cfg(10 * SIM_MS, 10000000, 0, 100);
	struct net_tcp_cfg cfg;
	struct link_flip down;
	struct xfer x;
	size_t i, rst = 0;

	ASSERT(xfer_start(&x, 23, 200000, &lc, NULL));
	net_tcp_cfg_default(&cfg);
	cfg.data_retries = 3;
	net_tcp_cfg_set(x.w.net, &cfg);
	down.net = x.w.net;
	down.link = -1;
	down.node = x.w.b;
	down.up = 0;
	ASSERT(sim_schedule_at(x.w.sim, 100 * SIM_MS, flip_fn, &down, NULL));
	sim_run(x.w.sim, SIM_RUN_EMPTY, 0);
	ASSERT_EQ(x.srv.naccept, 1);
	ASSERT_EQ(x.srv.nclose, 1);
	ASSERT_EQ(x.srv.close_st, NL_ECLOSED);
	ASSERT_EQ(x.srv.close_t, 100 * SIM_MS);
	ASSERT(shown(&x.w, "connection lost: the node went down"));
	ASSERT_EQ(x.cli.nclose, 1);
	ASSERT_EQ(x.cli.close_st, NL_ETIMEDOUT);
	for (i = 0; i < trace_count(x.w.trace); i++) {
		const struct trace_event *ev = trace_at(x.w.trace, i);
		struct seg sg;

		if (ev->kind == TRACE_PKT_SEND && ev->node == x.w.b &&
		    ev->t >= 100 * SIM_MS && seg_of(ev, &sg) &&
		    (sg.h.flags & TCP_RST))
			rst++;
	}
	ASSERT_EQ(rst, 0);
	xfer_free(&x);
}

const struct test_case tests_tcp[] = {
	{ "tcp_node_crash", test_node_crash },
	{ "tcp_handshake", test_handshake },
	{ "tcp_bulk_loss", test_bulk_loss },
	{ "tcp_bulk_router", test_bulk_router },
	{ "tcp_refused", test_refused },
	{ "tcp_no_route", test_no_route },
	{ "tcp_syn_timeout", test_syn_timeout },
	{ "tcp_rto_outage", test_rto_outage },
	{ "tcp_data_timeout", test_data_timeout },
	{ "tcp_fast_retransmit", test_fast_retransmit },
	{ "tcp_close_in_recv", test_close_in_recv },
	{ "tcp_abort_in_connect", test_abort_in_connect },
	{ "tcp_abort_in_recv", test_abort_in_recv },
	{ "tcp_simultaneous_close", test_simultaneous_close },
	{ "tcp_determinism", test_determinism },
	{ "tcp_bidir_loss", test_bidir_loss },
	{ "tcp_many", test_many },
	{ "tcp_listener_close", test_listener_close },
	{ "tcp_listen_ports", test_listen_ports },
	{ NULL, NULL },
};
