/* tcp.c - TCP as students see it (RFC 9293): three-way handshake with
 * random ISNs, byte sequence numbers, segmentation at the MSS, cumulative
 * ACKs and reassembly, retransmission on the RFC 6298 timer, Reno-lite
 * congestion control (RFC 5681 with RFC 6582 partial ACKs), FIN close in
 * every state of RFC 9293 3.3.2, and RST (3.10.7.1, RFC 5961).
 *
 * Where this TCP differs from a real one, on purpose:
 * - Every segment that occupies sequence space is ACKed at once, before the
 *   application sees its bytes: no delayed ACK (RFC 9293 3.8.6.3, RFC 5681
 *   4.2 allow up to 500 ms), so that every ACK is its own line in the trace
 *   and the textbook "data, ACK, reply" picture holds.
 * - The application consumes bytes inside on_recv, so the receive window
 *   never shrinks: we always advertise cfg.rwnd and need no persist timer
 *   (3.8.6.1); out-of-order bytes are kept only inside that window.
 * - No Nagle (3.7.4): a segment leaves as soon as the windows allow, but a
 *   short segment only when it carries the last queued byte or nothing is in
 *   flight (sender-side silly-window avoidance, 3.8.6.2.1).
 * - FIN-WAIT-1 / LAST-ACK are entered when the FIN actually leaves (after
 *   all queued data), not when net_tcp_close is called, so the transcript's
 *   "close: FIN sent" line sits next to the FIN segment.
 * - Fast retransmit sets cwnd = ssthresh without the RFC 5681 3.2 inflation
 *   by 3 SMSS and per duplicate ACK ("Reno-lite"); NewReno's recover point
 *   and partial-ACK retransmission (RFC 6582 3.2) keep several losses in
 *   one window from ending in a timeout.
 * - On a timeout we go back to SND.UNA and resend from there (go-back-N,
 *   RFC 5681 3.1 "loss window"), as BSD does; the receiver's reassembly
 *   queue makes the cumulative ACK jump over what it already holds.
 * - No window scaling, SACK, timestamps or urgent data.
 *
 * on_close(NL_OK) comes when the connection reaches CLOSED: after the ACK
 * of our FIN in LAST-ACK, or at the end of TIME-WAIT (2 MSL after the
 * active closer's last ACK). The handle is the TCB: one lifetime, freed
 * right after on_close returns.
 *
 * net->tcps is the list of every handle; an index shared by the handles
 * of one net (hash tables on the 4-tuple and on the local port) finds the
 * TCB of a segment and the users of a port in O(1), for benchmarks with
 * thousands of connections. */
#include "net/net_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engine/timer.h"
#include "proto/ip/tcp_hdr.h"
#include "util/alloc.h"
#include "util/nl.h"

/* Sequence number comparisons modulo 2^32 (RFC 9293 3.4). */
#define SEQ_LT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define SEQ_GT(a, b) SEQ_LT(b, a)
#define SEQ_GEQ(a, b) SEQ_LEQ(b, a)

#define TCP_PEER_MSS_DEFAULT 536	/* no MSS option: RFC 9293 3.7.1 */
#define TCP_MSS_MAX (IPV4_MAX_LEN - IPV4_HDR_LEN - TCP_HDR_LEN - 4)
#define TCP_RTO_G (1 * SIM_MS)		/* clock granularity G, RFC 6298 2 */
#define TCP_RTO_SYN_LOST (3 * SIM_S)	/* RFC 6298 5.7 */
#define TCP_CWND_MAX ((uint32_t)1 << 24)	/* far above any window */
#define TCP_SBUF_MAX ((size_t)1 << 30)	/* bytes queued per connection */
#define TCP_DUPACK_THRESH 3		/* RFC 5681 3.2 */

/* A segment that arrived ahead of RCV.NXT, kept until the gap fills. The
 * queue is sorted by seq; entries may overlap (delivery skips what is
 * already in), an entry wholly inside a newer one is dropped. */
struct tcp_oseg {
	struct tcp_oseg *next;	/* next by seq */
	uint32_t seq;		/* sequence number of data[0] */
	uint32_t len;		/* payload bytes */
	int fin;		/* a FIN follows the last byte */
	uint8_t data[];		/* the payload */
};

/* A place in one of the doubly linked lists of handles. */
struct tcp_link {
	struct net_tcp *next;	/* next in the list, NULL at the end */
	struct net_tcp **pprev;	/* what points at us; NULL: not linked */
};

/* The lookup tables of a net's handles, shared by all of them (struct
 * net has room for one list head only): created with the first handle,
 * freed with the last. Chains are doubly linked, so unlinking is O(1) even
 * for the thousands of children of one listener port. */
struct tcp_index {
	struct net_tcp **conn;	/* by (node, lport, raddr, rport); a
				 * listener has raddr 0, rport 0 */
	struct net_tcp **port;	/* by (node, lport): who uses a port */
	size_t nbucket;		/* size of both, a power of two */
	size_t count;		/* handles linked */
};

/* One TCP handle: a listener or a connection (its TCB, RFC 9293 3.3.1). */
struct net_tcp {
	struct tcp_link next;	/* in net->tcps, the list of all */
	struct tcp_link by_conn;	/* in index->conn */
	struct tcp_link by_port;	/* in index->port */
	struct tcp_index *idx;	/* the net's index while linked */
	struct net *net;	/* the network, not owned */
	int64_t id;		/* connection id in trace events */
	int32_t node;		/* our node */
	int32_t peer;		/* the remote node, -1 unknown */
	uint32_t laddr;		/* our address; 0 on a listener (any) */
	uint32_t raddr;		/* remote address */
	uint16_t lport, rport;	/* our and the remote port */
	enum net_tcp_state state;	/* changed only by tcp_set_state */
	struct net_tcp_cfg cfg;	/* settings when opened */
	struct net_tcp_cbs cbs;	/* owner's callbacks */
	void *ctx;		/* their context */
	net_tcp_accept_fn *accept;	/* listener: new connections */
	void *accept_ctx;	/* its context */
	struct net_tcp *listener;	/* child not yet accepted, else NULL */
	int active;		/* we sent the first SYN (active open) */
	int connecting;		/* on_connect not yet called */
	int noroute;		/* the timer reports NL_ENOROUTE */
	unsigned busy;		/* callbacks or input running on it */
	int dead;		/* closed and unlinked; free when !busy */
	struct sim_timer timer;	/* RTO, 2 MSL or the no-route report:
				 * reset at every ACK, so a sim_timer */

	/* Send side (RFC 9293 3.3.1 "Send Sequence Variables"). */
	uint32_t iss;		/* initial send sequence number */
	uint32_t snd_una;	/* oldest unacknowledged */
	uint32_t snd_nxt;	/* next to send (moves back on a timeout) */
	uint32_t snd_max;	/* highest sent + 1 */
	uint32_t snd_wnd;	/* peer's advertised window */
	uint32_t snd_wl1;	/* seq of the last window update */
	uint32_t snd_wl2;	/* ack of the last window update */
	uint32_t smss;		/* sender MSS: min(ours, peer's option) */
	uint8_t *sbuf;		/* queued bytes are sbuf[soff..soff+slen) */
	size_t soff, slen, scap;	/* offset, length, allocation */
	uint32_t sseq;		/* sequence number of sbuf[soff] */
	int fin_queued;		/* net_tcp_close: FIN after the data */
	int fin_sent;		/* our FIN has left at least once */
	uint32_t fin_seq;	/* its sequence number, once queued */

	/* Congestion control (RFC 5681, RFC 6582). */
	uint32_t cwnd;		/* congestion window, bytes */
	uint32_t ssthresh;	/* slow start threshold */
	uint32_t recover;	/* snd_max at the last loss: no new fast
				 * retransmit before it is acknowledged */
	int dupacks;		/* duplicate ACKs in a row */
	int in_recovery;	/* between fast retransmit and recover */

	/* Retransmission timer (RFC 6298). */
	sim_time srtt, rttvar;	/* smoothed RTT and its variation */
	sim_time rto;		/* current timeout, backed off */
	int have_rtt;		/* srtt holds a measurement */
	int retries;		/* timeouts in a row for the oldest segment */
	int syn_rexmit;		/* our SYN was retransmitted */
	int rtt_active;		/* a segment is being timed */
	uint32_t rtt_seq;	/* its sequence number */
	sim_time rtt_start;	/* when it left */

	/* Receive side. */
	uint32_t irs;		/* initial receive sequence number */
	uint32_t rcv_nxt;	/* next expected */
	uint16_t rcv_wnd;	/* what we advertise */
	struct tcp_oseg *ooo;	/* reassembly queue */
};

/* What the input steps tell their caller. */
enum tcp_verdict {
	TCP_CONT,		/* go on with the next step */
	TCP_STOP,		/* segment done (dropped or answered) */
	TCP_GONE		/* the TCB was closed; do not touch it */
};

static void tcp_timer_fire(struct sim *s, void *arg);

const char *
net_tcp_state_str(enum net_tcp_state st)
{
	switch (st) {
#define NET_TCP_STATE_CASE(name, text)                                     \
	case NET_TCP_##name:                                               \
		return text;
	NET_TCP_STATE_MAP(NET_TCP_STATE_CASE)
#undef NET_TCP_STATE_CASE
	case NET_TCP_STATE_COUNT_:
		break;
	}
	return "?";
}

void
net_tcp_cfg_default(struct net_tcp_cfg *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->mss = 1460;
	cfg->rwnd = 65535;
	cfg->rto_init = 1 * SIM_S;
	cfg->rto_min = 200 * SIM_MS;
	cfg->rto_max = 60 * SIM_S;
	cfg->syn_retries = 5;
	cfg->data_retries = 8;
	cfg->msl = 30 * SIM_S;
}

/* Copies cfg, mending values that would stall a connection: an MSS of 0
 * or too large for one datagram, a zero window (we have no persist timer),
 * timer bounds out of order, negative retries or MSL. */
void
net_tcp_cfg_set(struct net *n, const struct net_tcp_cfg *cfg)
{
	struct net_tcp_cfg c = *cfg;

	if (c.mss == 0)
		c.mss = 1460;
	if (c.mss > TCP_MSS_MAX)
		c.mss = TCP_MSS_MAX;
	if (c.rwnd == 0)
		c.rwnd = 65535;
	if (c.rto_min <= 0)
		c.rto_min = 1 * SIM_MS;
	if (c.rto_max < c.rto_min)
		c.rto_max = c.rto_min;
	if (c.rto_init < c.rto_min)
		c.rto_init = c.rto_min;
	if (c.rto_init > c.rto_max)
		c.rto_init = c.rto_max;
	if (c.syn_retries < 0)
		c.syn_retries = 0;
	if (c.data_retries < 0)
		c.data_retries = 0;
	if (c.msl < 0)
		c.msl = 0;
	n->tcp_cfg = c;
}

/* ---- Handles: lists, index, lifetime ---- */

#define TCP_INDEX_MIN 64	/* initial buckets */

enum tcp_list { TCP_L_ALL, TCP_L_CONN, TCP_L_PORT };

/* The link fields of c for one of its three lists. */
static struct tcp_link *
tcp_lk(struct net_tcp *c, enum tcp_list which)
{
	switch (which) {
	case TCP_L_ALL:
		return &c->next;
	case TCP_L_CONN:
		return &c->by_conn;
	case TCP_L_PORT:
		break;
	}
	return &c->by_port;
}

/* Puts c at the head of a list (the bucket or net->tcps at *head). */
static void
tcp_lk_insert(struct net_tcp **head, struct net_tcp *c, enum tcp_list which)
{
	struct tcp_link *l = tcp_lk(c, which);

	l->next = *head;
	if (*head != NULL)
		tcp_lk(*head, which)->pprev = &l->next;
	*head = c;
	l->pprev = head;
}

/* Takes c out of a list, if it is in it: O(1). */
static void
tcp_lk_remove(struct net_tcp *c, enum tcp_list which)
{
	struct tcp_link *l = tcp_lk(c, which);

	if (l->pprev == NULL)
		return;
	*l->pprev = l->next;
	if (l->next != NULL)
		tcp_lk(l->next, which)->pprev = l->pprev;
	l->next = NULL;
	l->pprev = NULL;
}

/* Bucket of a key in a table of nb buckets (a power of two): a
 * splitmix64-style mix, fixed, so runs repeat. */
static size_t
tcp_hash(size_t nb, int32_t node, uint16_t lport, uint32_t raddr,
    uint16_t rport)
{
	uint64_t h = ((uint64_t)(uint32_t)node << 32 | (uint64_t)lport << 16 |
	    rport) * 0x9E3779B97F4A7C15ULL;

	h ^= (uint64_t)raddr * 0xC2B2AE3D27D4EB4FULL;
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 32;
	return (size_t)(h & (nb - 1));
}

/* Links c into both tables under its current ends. */
static void
tcp_index_put(struct tcp_index *x, struct net_tcp *c)
{
	tcp_lk_insert(&x->conn[tcp_hash(x->nbucket, c->node, c->lport,
	    c->raddr, c->rport)], c, TCP_L_CONN);
	tcp_lk_insert(&x->port[tcp_hash(x->nbucket, c->node, c->lport, 0,
	    0)], c, TCP_L_PORT);
}

/* Doubles the tables and rehashes every handle when the load passes 1.
 * Out of memory keeps the old tables (longer chains, still correct). */
static void
tcp_index_grow(struct net *n, struct tcp_index *x)
{
	size_t nb = x->nbucket * 2;
	struct net_tcp **conn, **port, *c;

	if (x->count < x->nbucket)
		return;
	conn = nl_calloc(nb, sizeof *conn);
	port = nl_calloc(nb, sizeof *port);
	if (conn == NULL || port == NULL) {
		nl_free(conn);
		nl_free(port);
		return;
	}
	nl_free(x->conn);
	nl_free(x->port);
	x->conn = conn;
	x->port = port;
	x->nbucket = nb;
	for (c = n->tcps; c != NULL; c = c->next.next) {
		c->by_conn.pprev = c->by_port.pprev = NULL;
		tcp_index_put(x, c);
	}
}

/* Frees the tables; NULL does nothing. */
static void
tcp_index_free(struct tcp_index *x)
{
	if (x == NULL)
		return;
	nl_free(x->conn);
	nl_free(x->port);
	nl_free(x);
}

/* The index of n's handles, created if asked; NULL if there is none (no
 * handles) or out of memory. */
static struct tcp_index *
tcp_index_of(struct net *n, int create)
{
	struct tcp_index *x;

	if (n->tcps != NULL)
		return n->tcps->idx;
	if (!create)
		return NULL;
	x = nl_calloc(1, sizeof *x);
	if (x == NULL)
		return NULL;
	x->nbucket = TCP_INDEX_MIN;
	x->conn = nl_calloc(x->nbucket, sizeof *x->conn);
	x->port = nl_calloc(x->nbucket, sizeof *x->port);
	if (x->conn == NULL || x->port == NULL) {
		tcp_index_free(x);
		return NULL;
	}
	return x;
}

/* Links a handle whose node and ports (and, for a connection, remote
 * end) are set into net->tcps and the index. NL_ENOMEM if the first
 * handle of the net cannot get an index. */
static enum nl_status
tcp_attach(struct net_tcp *c)
{
	struct tcp_index *x = tcp_index_of(c->net, 1);

	if (x == NULL)
		return NL_ENOMEM;
	x->count++;
	tcp_lk_insert(&c->net->tcps, c, TCP_L_ALL);
	c->idx = x;
	tcp_index_grow(c->net, x);
	if (c->by_conn.pprev == NULL)	/* not put by a rehash */
		tcp_index_put(x, c);
	return NL_OK;
}

/* Takes c out of the list and the index (freed with the last handle). */
static void
tcp_unlink(struct net_tcp *c)
{
	struct tcp_index *x = c->idx;

	if (x == NULL)
		return;
	tcp_lk_remove(c, TCP_L_ALL);
	tcp_lk_remove(c, TCP_L_CONN);
	tcp_lk_remove(c, TCP_L_PORT);
	c->idx = NULL;
	if (--x->count == 0)
		tcp_index_free(x);
}

/* Stops the connection's timer, if it runs. */
static void
tcp_timer_stop(struct net_tcp *c)
{
	sim_timer_stop(&c->timer);
}

/* (Re)starts the one timer of the connection to fire after delay. */
static void
tcp_timer_arm(struct net_tcp *c, sim_time delay)
{
	(void)sim_timer_set(c->net->sim, &c->timer, delay);
}

/* Empties the reassembly queue. */
static void
tcp_ooo_free(struct net_tcp *c)
{
	while (c->ooo != NULL) {
		struct tcp_oseg *q = c->ooo;

		c->ooo = q->next;
		nl_free(q);
	}
}

/* Gives the send buffer back: a first-size one to the net's pool, for
 * the next connection (a mail server opens thousands). */
static void
tcp_sbuf_free(struct net_tcp *c)
{
	if (c->scap == TCP_SBUF_FIRST)
		nl_pool_put(&c->net->sbuf_pool, c->sbuf);
	else
		nl_free(c->sbuf);
	c->sbuf = NULL;
	c->scap = 0;
	c->soff = 0;
	c->slen = 0;
}

/* Frees the memory of a handle already unlinked (or never linked). */
static void
tcp_free(struct net_tcp *c)
{
	sim_timer_cancel(c->net->sim, &c->timer);
	tcp_ooo_free(c);
	tcp_sbuf_free(c);
	nl_free(c);
}

/* Ends a stretch of work on c begun with c->busy++; frees c if it was
 * closed meanwhile. Returns 1 when c is gone. */
static int
tcp_release(struct net_tcp *c)
{
	if (--c->busy == 0 && c->dead) {
		tcp_free(c);
		return 1;
	}
	return c->dead;
}

/* The connection is over (state already CLOSED): unlink it, tell the
 * owner with on_close(why), then free it unless a caller up the stack is
 * still working on it (it frees it in tcp_release). c is unusable after. */
static void
tcp_finish(struct net_tcp *c, enum nl_status why)
{
	tcp_unlink(c);
	sim_timer_cancel(c->net->sim, &c->timer);	/* no more events */
	c->dead = 1;
	if (c->cbs.on_close != NULL) {
		c->busy++;
		c->cbs.on_close(c, why, c->ctx);
		c->busy--;
	}
	if (c->busy == 0)
		tcp_free(c);
}

/* "10.0.0.1:49152" into buf; returns buf. */
static char *
tcp_endpoint_str(uint32_t addr, uint16_t port, char *buf, size_t size)
{
	char a[IPV4_ADDR_STRLEN];

	snprintf(buf, size, "%s:%u", ipv4_addr_str(addr, a), port);
	return buf;
}

/* The one setter of c->state. Emits a tcp-state event with the
 * default summary "OLD -> NEW local -> remote", or with `show` as the
 * summary and TRACE_F_SHOW when given (the transcript prints those). */
static void
tcp_set_state(struct net_tcp *c, enum net_tcp_state to, const char *show)
{
	struct trace_event ev;
	char text[200], l[32], r[32];
	enum net_tcp_state from = c->state;

	c->state = to;
	if (c->net->trace == NULL)
		return;		/* nobody reads the text: skip making it */
	memset(&ev, 0, sizeof ev);
	ev.kind = TRACE_TCP_STATE;
	ev.proto = TRACE_P_TCP;
	ev.node = c->node;
	ev.peer = c->peer;
	ev.link = -1;
	ev.a = from;
	ev.b = to;
	ev.c = c->id;
	tcp_endpoint_str(c->laddr, c->lport, l, sizeof l);
	tcp_endpoint_str(c->raddr, c->rport, r, sizeof r);
	if (show != NULL) {
		ev.flags = TRACE_F_SHOW;
		snprintf(text, sizeof text, "%s", show);
	} else if (c->raddr == 0) {	/* a listener */
		snprintf(text, sizeof text, "%s -> %s %s", net_tcp_state_str(from),
		    net_tcp_state_str(to), l);
	} else {
		snprintf(text, sizeof text, "%s -> %s %s -> %s",
		    net_tcp_state_str(from), net_tcp_state_str(to), l, r);
	}
	ev.summary = text;
	net_trace_event(c->net, &ev);
}

/* Enters ESTABLISHED; an active opener's line is shown in the
 * transcript ("connected 10.0.0.1:49152 → 10.0.1.1:7"). */
static void
tcp_set_established(struct net_tcp *c)
{
	char text[96], l[IPV4_ADDR_STRLEN], r[IPV4_ADDR_STRLEN];

	if (!c->active || c->net->trace == NULL) {
		tcp_set_state(c, NET_TCP_ESTABLISHED, NULL);
		return;
	}
	snprintf(text, sizeof text, "connected %s:%u → %s:%u",
	    ipv4_addr_str(c->laddr, l), c->lport, ipv4_addr_str(c->raddr, r),
	    c->rport);
	tcp_set_state(c, NET_TCP_ESTABLISHED, text);
}

/* A new handle on node with the current settings, in state CLOSED, not
 * yet linked (tcp_attach, once its ends are known). NULL when out of
 * memory. */
static struct net_tcp *
tcp_new(struct net *n, int32_t node)
{
	struct net_tcp *c = nl_calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	c->net = n;
	c->node = node;
	c->peer = -1;
	c->id = ++n->next_conn_id;
	c->state = NET_TCP_CLOSED;
	c->cfg = n->tcp_cfg;
	c->rcv_wnd = c->cfg.rwnd;
	c->rto = c->cfg.rto_init;
	c->smss = c->cfg.mss;
	c->ssthresh = TCP_CWND_MAX;
	sim_timer_init(&c->timer, tcp_timer_fire, c);
	return c;
}

/* Initial window, RFC 5681 3.1 equation (1). */
static uint32_t
tcp_initial_window(uint32_t smss)
{
	if (smss > 2190)
		return 2 * smss;
	if (smss > 1095)
		return 3 * smss;
	return 4 * smss;
}

/* Sets a fresh ISN (from the engine PRNG, so runs repeat) and the send
 * variables that follow from it. */
static void
tcp_init_iss(struct net_tcp *c)
{
	c->iss = (uint32_t)sim_rand_u64(c->net->sim);
	c->snd_una = c->iss;
	c->snd_nxt = c->iss + 1;
	c->snd_max = c->iss + 1;
	c->sseq = c->iss + 1;
	c->recover = c->iss;
}

/* ---- Sending segments ---- */

/* Writes one segment from c's endpoints and sends it as an IPv4 datagram.
 * ACK-bearing segments carry RCV.NXT and our window. Returns the status of
 * net_ip_send (NL_ENOROUTE matters only for the first SYN). */
static enum nl_status
tcp_emit(struct net_tcp *c, uint32_t seq, uint8_t flags,
    const uint8_t *data, size_t len)
{
	struct tcp_hdr h;
	struct nl_dbuf own, *b;
	enum nl_status st;

	memset(&h, 0, sizeof h);
	h.sport = c->lport;
	h.dport = c->rport;
	h.seq = seq;
	h.ack = (flags & TCP_ACK) ? c->rcv_nxt : 0;
	h.flags = flags;
	if (!(flags & TCP_RST))
		h.win = c->rcv_wnd;
	if (flags & TCP_SYN)
		h.mss = c->cfg.mss;	/* RFC 9293 3.7.1: on SYNs only */
	b = net_buf_take(c->net, NET_BUF_L4, &own,
	    IPV4_MAX_LEN - IPV4_HDR_LEN);
	st = tcp_hdr_write(b, c->laddr, c->raddr, &h, data, len);
	if (st == NL_OK)
		st = net_ip_send(c->net, c->node, c->laddr, c->raddr,
		    IPV4_PROTO_TCP, b->data, b->len);
	net_buf_give(c->net, NET_BUF_L4, b);
	return st;
}

/* A segment built from the fields of an incoming one, for answers when
 * there is no TCB (RST, RFC 9293 3.10.7.1). */
static void
tcp_emit_raw(struct net *n, int32_t node, uint32_t src, uint32_t dst,
    uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
    uint8_t flags)
{
	struct tcp_hdr h;
	struct nl_dbuf own, *b;

	memset(&h, 0, sizeof h);
	h.sport = sport;
	h.dport = dport;
	h.seq = seq;
	h.ack = ack;
	h.flags = flags;
	b = net_buf_take(n, NET_BUF_L4, &own, IPV4_MAX_LEN - IPV4_HDR_LEN);
	if (tcp_hdr_write(b, src, dst, &h, NULL, 0) == NL_OK)
		net_ip_send(n, node, src, dst, IPV4_PROTO_TCP, b->data, b->len);
	net_buf_give(n, NET_BUF_L4, b);
}

/* Answers a segment that found no connection (RFC 9293 3.10.7.1, also
 * used for a bad ACK in LISTEN and SYN-SENT): nothing to a RST; to a
 * segment with ACK <SEQ=SEG.ACK><CTL=RST>; else
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
static void
tcp_reply_rst(struct net *n, int32_t node, const struct ipv4_hdr *ih,
    const struct tcp_hdr *h, size_t plen)
{
	uint32_t seglen = (uint32_t)plen;

	if (h->flags & TCP_RST)
		return;
	if (h->flags & TCP_ACK) {
		tcp_emit_raw(n, node, ih->dst, ih->src, h->dport, h->sport,
		    h->ack, 0, TCP_RST);
		return;
	}
	if (h->flags & TCP_SYN)
		seglen++;
	if (h->flags & TCP_FIN)
		seglen++;
	tcp_emit_raw(n, node, ih->dst, ih->src, h->dport, h->sport, 0,
	    h->seq + seglen, TCP_RST | TCP_ACK);
}

/* A bare ACK: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. */
static void
tcp_send_ack(struct net_tcp *c)
{
	tcp_emit(c, c->snd_nxt, TCP_ACK, NULL, 0);
}

/* Our SYN (SYN-SENT) or SYN-ACK (SYN-RECEIVED), with the MSS option. */
static enum nl_status
tcp_send_syn(struct net_tcp *c)
{
	uint8_t flags = TCP_SYN;

	if (c->state == NET_TCP_SYN_RCVD)
		flags |= TCP_ACK;
	return tcp_emit(c, c->iss, flags, NULL, 0);
}

/* Sequence number just past the last queued byte. */
static uint32_t
tcp_data_end(const struct net_tcp *c)
{
	return c->sseq + (uint32_t)c->slen;
}

/* Sends len queued bytes from seq (and the FIN after them when fin). The
 * bytes must be in the send buffer. Starts the RTT measurement for new
 * data when none runs (Karn: retransmissions are never timed, RFC 6298
 * 3) and the timer when it is off (RFC 6298 5.1). */
static void
tcp_send_data(struct net_tcp *c, uint32_t seq, uint32_t len, int fin)
{
	uint8_t flags = TCP_ACK;
	const uint8_t *p = c->sbuf + c->soff + (uint32_t)(seq - c->sseq);
	uint32_t end = seq + len + (fin ? 1 : 0);

	if (len > 0 && seq + len == tcp_data_end(c))
		flags |= TCP_PSH;	/* the end of what the app gave */
	if (fin)
		flags |= TCP_FIN;
	if (SEQ_LT(seq, c->snd_max)) {
		c->rtt_active = 0;	/* a retransmission: Karn's rule */
	} else if (!c->rtt_active) {
		c->rtt_active = 1;
		c->rtt_seq = seq;
		c->rtt_start = sim_now(c->net->sim);
	}
	tcp_emit(c, seq, flags, len > 0 ? p : NULL, len);
	if (SEQ_GT(end, c->snd_max))
		c->snd_max = end;
	if (!sim_timer_armed(&c->timer))
		tcp_timer_arm(c, c->rto);
}

/* Our FIN is on the wire for the first time: the state follows. */
static void
tcp_fin_left(struct net_tcp *c)
{
	if (c->fin_sent)
		return;
	c->fin_sent = 1;
	if (c->state == NET_TCP_ESTABLISHED)
		tcp_set_state(c, NET_TCP_FIN_WAIT_1, "close: FIN sent");
	else if (c->state == NET_TCP_CLOSE_WAIT)
		tcp_set_state(c, NET_TCP_LAST_ACK, "close: FIN sent");
}

/* Sends what the windows allow from SND.NXT: queued data in segments of
 * at most SMSS, then the FIN if the owner closed. Usable window =
 * min(cwnd, SND.WND) - (SND.NXT - SND.UNA) (RFC 5681 2, RFC 9293
 * 3.8.6.2.1). Never calls the owner. */
static void
tcp_output(struct net_tcp *c)
{
	switch (c->state) {
	case NET_TCP_ESTABLISHED:
	case NET_TCP_CLOSE_WAIT:
	case NET_TCP_FIN_WAIT_1:
	case NET_TCP_CLOSING:
	case NET_TCP_LAST_ACK:
		break;
	default:
		return;
	}
	for (;;) {
		uint32_t wnd = NL_MIN(c->cwnd, c->snd_wnd);
		uint32_t flight = c->snd_nxt - c->snd_una;
		uint32_t usable = wnd > flight ? wnd - flight : 0;
		uint32_t end = tcp_data_end(c);
		uint32_t avail, len;
		int fin;

		if (SEQ_LT(c->snd_nxt, end)) {
			avail = end - c->snd_nxt;
			len = NL_MIN(NL_MIN(avail, c->smss), usable);
			if (len == 0 && flight == 0 && c->snd_wnd == 0)
				return;	/* peer's window shut; see top */
			/* Silly window avoidance: a short segment only for
			 * the tail of the queue or on an idle connection. */
			if (len == 0 || (len < c->smss && len < avail &&
			    flight > 0))
				return;
			fin = c->fin_queued && len == avail;
			tcp_send_data(c, c->snd_nxt, len, fin);
			c->snd_nxt += len + (fin ? 1 : 0);
			if (fin)
				tcp_fin_left(c);
			continue;
		}
		if (c->fin_queued && c->snd_nxt == end &&
		    (usable > 0 || flight == 0)) {
			tcp_send_data(c, c->snd_nxt, 0, 1);
			c->snd_nxt++;
			tcp_fin_left(c);
		}
		return;
	}
}

/* Resends one segment from SND.UNA without moving SND.NXT: fast
 * retransmit (RFC 5681 3.2) and NewReno partial ACKs (RFC 6582 3.2). */
static void
tcp_rexmit_una(struct net_tcp *c)
{
	uint32_t end = tcp_data_end(c);

	if (SEQ_LT(c->snd_una, end)) {
		uint32_t len = NL_MIN(end - c->snd_una, c->smss);
		int fin = c->fin_sent && c->snd_una + len == end;

		tcp_send_data(c, c->snd_una, len, fin);
	} else if (c->fin_sent && c->snd_una == c->fin_seq) {
		tcp_send_data(c, c->snd_una, 0, 1);
	}
}

/* Limited Transmit (RFC 3042, RFC 5681 3.2 step 1): on the first and
 * second duplicate ACK, one segment of new data if the peer's window
 * allows and no more than cwnd + 2 SMSS would be outstanding, so that a
 * small window still produces the three duplicates of a fast
 * retransmit. cwnd is not changed. */
static void
tcp_limited_transmit(struct net_tcp *c)
{
	uint32_t end = tcp_data_end(c), len, flight;
	int fin;

	if (c->snd_nxt != c->snd_max || !SEQ_LT(c->snd_nxt, end))
		return;		/* going back after a timeout, or no data */
	len = NL_MIN(end - c->snd_nxt, c->smss);
	flight = c->snd_nxt - c->snd_una;
	if (flight + len > c->snd_wnd ||
	    flight + len > c->cwnd + 2 * c->smss)
		return;
	fin = c->fin_queued && c->snd_nxt + len == end;
	tcp_send_data(c, c->snd_nxt, len, fin);
	c->snd_nxt += len + (fin ? 1 : 0);
	if (fin)
		tcp_fin_left(c);
}

/* ---- RTT and congestion ---- */

/* One RTT measurement r (RFC 6298 2.2, 2.3), then RTO clamped to the
 * configured bounds (2.4, 2.5). */
static void
tcp_rtt_sample(struct net_tcp *c, sim_time r)
{
	if (!c->have_rtt) {
		c->srtt = r;
		c->rttvar = r / 2;
		c->have_rtt = 1;
	} else {
		sim_time d = c->srtt > r ? c->srtt - r : r - c->srtt;

		c->rttvar = (3 * c->rttvar + d) / 4;
		c->srtt = (7 * c->srtt + r) / 8;
	}
	c->rto = c->srtt + NL_MAX(TCP_RTO_G, 4 * c->rttvar);
	if (c->rto < c->cfg.rto_min)
		c->rto = c->cfg.rto_min;
	if (c->rto > c->cfg.rto_max)
		c->rto = c->cfg.rto_max;
}

/* Doubles the RTO after a timeout (RFC 6298 5.5), up to rto_max. */
static void
tcp_backoff(struct net_tcp *c)
{
	c->rto = c->rto > c->cfg.rto_max / 2 ? c->cfg.rto_max : 2 * c->rto;
}

/* ssthresh after a loss, RFC 5681 equation (4). */
static void
tcp_loss_ssthresh(struct net_tcp *c)
{
	uint32_t flight = c->snd_max - c->snd_una;

	c->ssthresh = NL_MAX(flight / 2, 2 * c->smss);
}

/* cwnd growth for `acked` new bytes: slow start (RFC 5681 3.1, with
 * RFC 3465's limit of one SMSS per ACK), then congestion avoidance
 * (equation (3)). */
static void
tcp_cwnd_grow(struct net_tcp *c, uint32_t acked)
{
	uint32_t inc;

	if (c->cwnd < c->ssthresh)
		inc = NL_MIN(acked, c->smss);
	else
		inc = NL_MAX((uint32_t)((uint64_t)c->smss * c->smss /
		    c->cwnd), 1u);
	c->cwnd = c->cwnd > TCP_CWND_MAX - inc ? TCP_CWND_MAX : c->cwnd + inc;
}

/* The handshake's ACK arrived: the timed SYN gives the first RTT (unless
 * it was retransmitted), RFC 6298 5.7 for a lost SYN, and the initial
 * congestion window. */
static void
tcp_synced(struct net_tcp *c, const struct tcp_hdr *h)
{
	if (!c->syn_rexmit)
		tcp_rtt_sample(c, sim_now(c->net->sim) - c->rtt_start);
	else if (c->rto < TCP_RTO_SYN_LOST)
		c->rto = NL_MIN(TCP_RTO_SYN_LOST, c->cfg.rto_max);
	c->rtt_active = 0;
	c->retries = 0;
	c->snd_una = h->ack;
	c->snd_wnd = h->win;
	c->snd_wl1 = h->seq;
	c->snd_wl2 = h->ack;
	c->cwnd = tcp_initial_window(c->smss);
	tcp_timer_stop(c);
}

/* SMSS from the peer's MSS option (536 without one, RFC 9293 3.7.1)
 * and ours, the smaller. */
static void
tcp_peer_mss(struct net_tcp *c, const struct tcp_hdr *h)
{
	uint16_t peer = h->mss != 0 ? h->mss : TCP_PEER_MSS_DEFAULT;

	c->smss = NL_MIN(c->cfg.mss, peer);
}

/* "1.6 s" or "400 ms": an RTO as a student reads it. */
static const char *
tcp_rto_str(sim_time rto, char *buf, size_t size)
{
	if (rto >= SIM_S)
		snprintf(buf, size, "%.1f s", (double)rto / (double)SIM_S);
	else
		snprintf(buf, size, "%lld ms", (long long)(rto / SIM_MS));
	return buf;
}

/* A shown tcp event that is not a state change: a retransmission and
 * why. Sequence numbers are relative to the ISN, as Wireshark shows them
 * by default, so the transcript and a capture agree. */
static void tcp_note(struct net_tcp *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void
tcp_note(struct net_tcp *c, const char *fmt, ...)
{
	struct trace_event ev;
	char text[200];
	va_list ap;

	if (c->net->trace == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	memset(&ev, 0, sizeof ev);
	ev.kind = TRACE_STATE;
	ev.proto = TRACE_P_TCP;
	ev.flags = TRACE_F_SHOW;
	ev.node = c->node;
	ev.peer = c->peer;
	ev.link = -1;
	ev.a = c->state;
	ev.b = c->state;
	ev.c = c->id;
	ev.summary = text;
	net_trace_event(c->net, &ev);
}

/* ---- Ends of a connection ---- */

/* Closes c with the given summary (shown in the transcript) and status:
 * an active open still waiting hears on_connect(why) first, then
 * on_close(why). c is unusable after. */
static void
tcp_fail(struct net_tcp *c, enum nl_status why, const char *show)
{
	tcp_timer_stop(c);
	tcp_set_state(c, NET_TCP_CLOSED, show);
	if (c->connecting) {
		c->connecting = 0;
		if (c->cbs.on_connect != NULL) {
			c->busy++;
			c->cbs.on_connect(c, why, c->ctx);
			c->busy--;
		}
	}
	tcp_finish(c, why);
}

/* An active open refused by a RST (RFC 9293 3.10.7.3). */
static void
tcp_refused(struct net_tcp *c)
{
	char text[96], r[32];

	snprintf(text, sizeof text, "connection refused (RST from %s)",
	    tcp_endpoint_str(c->raddr, c->rport, r, sizeof r));
	tcp_fail(c, NL_ECONNREFUSED, text);
}

/* TIME-WAIT for 2 MSL (RFC 9293 3.6), on the connection's one timer. */
static void
tcp_enter_time_wait(struct net_tcp *c)
{
	tcp_set_state(c, NET_TCP_TIME_WAIT, NULL);
	tcp_timer_arm(c, 2 * c->cfg.msl);
	/* Everything sent was acknowledged (our FIN too) and nothing more
	 * will be: a busy server holds thousands of these for 2 MSL, so
	 * give their send buffers back now. */
	if (c->slen == 0)
		tcp_sbuf_free(c);
}

/* ---- Timer ---- */

/* The retransmission timer went off (RFC 6298 5.4-5.6) in a state with
 * something outstanding; gives up after the configured retries. */
static void
tcp_timeout(struct net_tcp *c)
{
	char text[80], rto[32];
	int syn = c->state == NET_TCP_SYN_SENT || c->state == NET_TCP_SYN_RCVD;
	int limit = syn ? c->cfg.syn_retries : c->cfg.data_retries;

	if (c->retries >= limit) {
		snprintf(text, sizeof text,
		    "connection timed out after %d retransmissions",
		    c->retries);
		if (!syn)	/* tell the peer, if it still listens */
			tcp_emit(c, c->snd_nxt, TCP_RST, NULL, 0);
		tcp_fail(c, NL_ETIMEDOUT, text);
		return;
	}
	c->retries++;
	tcp_rto_str(c->rto, rto, sizeof rto);
	if (syn)
		tcp_note(c, "no answer to SYN in %s: SYN sent again (try %d)",
		    rto, c->retries + 1);
	else
		tcp_note(c, "retransmission timeout after %s: resending from "
		    "seq=%lu", rto,
		    (unsigned long)(c->snd_una - c->iss));
	tcp_backoff(c);
	c->rtt_active = 0;	/* Karn */
	if (syn) {
		c->syn_rexmit = 1;
		tcp_send_syn(c);
		tcp_timer_arm(c, c->rto);
		return;
	}
	/* RFC 5681 3.1: ssthresh from the flight at the first timeout of
	 * this segment only, cwnd to the loss window, resend from SND.UNA.
	 * RFC 6582 4: recover = highest sent, so the duplicate ACKs our
	 * go-back-N provokes do not trigger a fast retransmit. */
	if (c->retries == 1)
		tcp_loss_ssthresh(c);
	c->cwnd = c->smss;
	c->snd_nxt = c->snd_una;
	c->recover = c->snd_max;
	c->in_recovery = 0;
	c->dupacks = 0;
	tcp_output(c);
	if (!sim_timer_armed(&c->timer))
		tcp_timer_arm(c, c->rto);
}

/* The engine fired the connection's timer: the no-route report, the end
 * of TIME-WAIT or a retransmission timeout. */
static void
tcp_timer_fire(struct sim *s, void *arg)
{
	struct net_tcp *c = arg;

	NL_UNUSED(s);
	c->busy++;
	if (c->noroute) {
		tcp_fail(c, NL_ENOROUTE, NULL);
	} else if (c->state == NET_TCP_TIME_WAIT) {
		tcp_set_state(c, NET_TCP_CLOSED, NULL);
		tcp_finish(c, NL_OK);
	} else if (c->state == NET_TCP_SYN_SENT ||
	    c->state == NET_TCP_SYN_RCVD || c->snd_una != c->snd_max) {
		tcp_timeout(c);
	}
	tcp_release(c);
}

/* ---- Input ---- */

/* RFC 9293 3.10.7.4 first check, the four cases of the acceptability
 * test: does any of the segment's seglen sequence numbers fall in the
 * receive window? */
static int
tcp_acceptable(const struct net_tcp *c, uint32_t seq, uint32_t seglen)
{
	uint32_t wnd = c->rcv_wnd;
	uint32_t last = seq + seglen - 1;

	if (seglen == 0) {
		if (wnd == 0)
			return seq == c->rcv_nxt;
		return SEQ_LEQ(c->rcv_nxt, seq) &&
		    SEQ_LT(seq, c->rcv_nxt + wnd);
	}
	if (wnd == 0)
		return 0;
	return (SEQ_LEQ(c->rcv_nxt, seq) && SEQ_LT(seq, c->rcv_nxt + wnd)) ||
	    (SEQ_LEQ(c->rcv_nxt, last) && SEQ_LT(last, c->rcv_nxt + wnd));
}

/* Keeps an out-of-order segment (len bytes at seq, maybe a FIN) in the
 * reassembly queue, sorted by seq; drops it if an entry already covers it
 * and drops the entries it covers. Out of memory loses the segment (the
 * peer will resend it). */
static void
tcp_ooo_add(struct net_tcp *c, uint32_t seq, const uint8_t *data,
    uint32_t len, int fin)
{
	struct tcp_oseg **pp, *q;
	uint32_t end = seq + len;

	for (pp = &c->ooo; (q = *pp) != NULL;) {
		uint32_t qend = q->seq + q->len;

		if (SEQ_LEQ(q->seq, seq) && SEQ_GEQ(qend, end) &&
		    (q->fin || !fin))
			return;		/* a duplicate */
		if (SEQ_GEQ(q->seq, seq) && SEQ_LEQ(qend, end) &&
		    (fin || !q->fin)) {
			*pp = q->next;	/* covered by the new one */
			nl_free(q);
			continue;
		}
		if (SEQ_GT(q->seq, seq))
			break;
		pp = &q->next;
	}
	q = nl_alloc(sizeof *q + len);
	if (q == NULL)
		return;
	q->seq = seq;
	q->len = len;
	q->fin = fin;
	if (len > 0)
		memcpy(q->data, data, len);
	q->next = *pp;
	*pp = q;
}

/* Processes the text and FIN of an acceptable segment (RFC 9293
 * 3.10.7.4 seventh and eighth): in-order bytes advance RCV.NXT, with
 * what the reassembly queue now continues; out-of-order ones are queued.
 * Every segment with data or FIN is ACKed at once, before the owner
 * hears of it. Returns TCP_GONE when a callback closed c. */
static enum tcp_verdict
tcp_input_text(struct net_tcp *c, uint32_t seq, uint8_t flags,
    const uint8_t *data, size_t plen)
{
	struct tcp_oseg *ready = NULL, **tail = &ready;
	uint32_t len = (uint32_t)plen, wend, done;
	int fin = (flags & TCP_FIN) != 0;
	enum tcp_verdict v = TCP_CONT;

	switch (c->state) {
	case NET_TCP_ESTABLISHED:
	case NET_TCP_FIN_WAIT_1:
	case NET_TCP_FIN_WAIT_2:
		break;
	default:
		/* CLOSE-WAIT and later: the peer's FIN came already; what
		 * follows it is ignored. */
		return TCP_CONT;
	}
	if (len == 0 && !fin)
		return TCP_CONT;
	/* Trim what we already have and what lies past the window. */
	if (SEQ_LT(seq, c->rcv_nxt)) {
		uint32_t d = c->rcv_nxt - seq;

		d = NL_MIN(d, len);
		data += d;
		len -= d;
		seq += d;
	}
	wend = c->rcv_nxt + c->rcv_wnd;
	if (SEQ_GT(seq + len, wend)) {
		len = SEQ_GT(wend, seq) ? wend - seq : 0;
		fin = 0;
	}
	if (len == 0 && !fin) {
		tcp_send_ack(c);
		return TCP_CONT;
	}
	if (seq != c->rcv_nxt) {
		/* A gap before it: keep it, and say what we miss with an
		 * immediate duplicate ACK (RFC 5681 4.2). */
		tcp_ooo_add(c, seq, data, len, fin);
		tcp_send_ack(c);
		return TCP_CONT;
	}
	c->rcv_nxt += len;
	/* The queue's head entries that now touch RCV.NXT follow. */
	while (!fin && c->ooo != NULL && SEQ_LEQ(c->ooo->seq, c->rcv_nxt)) {
		struct tcp_oseg *q = c->ooo;
		uint32_t qend = q->seq + q->len;

		c->ooo = q->next;
		q->next = NULL;
		if (SEQ_GT(qend, c->rcv_nxt) || (q->fin && qend == c->rcv_nxt)) {
			if (SEQ_GT(qend, c->rcv_nxt))
				c->rcv_nxt = qend;
			fin = q->fin;
			*tail = q;
			tail = &q->next;
		} else {
			nl_free(q);
		}
	}
	if (fin) {
		c->rcv_nxt++;
		tcp_ooo_free(c);	/* nothing can follow a FIN */
		if (c->state == NET_TCP_ESTABLISHED)
			tcp_set_state(c, NET_TCP_CLOSE_WAIT, NULL);
		else if (c->state == NET_TCP_FIN_WAIT_1)
			tcp_set_state(c, NET_TCP_CLOSING, NULL);
		else
			tcp_enter_time_wait(c);
	}
	tcp_send_ack(c);

	/* Now the owner: the segment's bytes, the queued ones, the FIN. Any
	 * callback may close c; the caller holds it (busy) till we return.
	 * `done` is the sequence number just past what the owner has. */
	if (len > 0 && c->cbs.on_recv != NULL)
		c->cbs.on_recv(c, data, len, c->ctx);
	done = seq + len;
	while (ready != NULL) {
		struct tcp_oseg *q = ready;
		uint32_t off = done - q->seq;	/* overlap already given */

		ready = q->next;
		if (!c->dead && off < q->len && c->cbs.on_recv != NULL)
			c->cbs.on_recv(c, q->data + off, q->len - off, c->ctx);
		if (SEQ_GT(q->seq + q->len, done))
			done = q->seq + q->len;
		nl_free(q);
	}
	if (c->dead)
		return TCP_GONE;
	if (fin && c->cbs.on_peer_fin != NULL) {
		c->cbs.on_peer_fin(c, c->ctx);
		if (c->dead)
			v = TCP_GONE;
	}
	return v;
}

/* ACK processing in a synchronized state (RFC 9293 3.10.7.4 fifth, RFC
 * 5681 2 and 3, RFC 6582 3.2, RFC 6298 5.2-5.3). */
static enum tcp_verdict
tcp_input_ack(struct net_tcp *c, const struct tcp_hdr *h, size_t plen)
{
	uint32_t ack = h->ack;

	if (SEQ_GT(ack, c->snd_max)) {
		tcp_send_ack(c);	/* acks something not yet sent */
		return TCP_STOP;
	}
	if (SEQ_LEQ(ack, c->snd_una)) {
		/* RFC 5681 2: a duplicate ACK is an ACK of SND.UNA with
		 * data outstanding, no payload, no SYN/FIN, same window. */
		if (ack == c->snd_una && c->snd_max != c->snd_una &&
		    plen == 0 && !(h->flags & (TCP_SYN | TCP_FIN)) &&
		    h->win == c->snd_wnd) {
			if (++c->dupacks < TCP_DUPACK_THRESH &&
			    !c->in_recovery)
				tcp_limited_transmit(c);
			else if (c->dupacks == TCP_DUPACK_THRESH &&
			    !c->in_recovery && SEQ_GEQ(ack, c->recover)) {
				/* Fast retransmit, RFC 5681 3.2 (Reno-lite:
				 * no inflation, see the top of the file). */
				tcp_note(c, "3 duplicate ACKs: fast retransmit "
				    "of seq=%lu",
				    (unsigned long)(c->snd_una - c->iss));
				tcp_loss_ssthresh(c);
				c->cwnd = c->ssthresh;
				c->recover = c->snd_max;
				c->in_recovery = 1;
				c->rtt_active = 0;
				tcp_rexmit_una(c);
			}
		}
	} else {
		uint32_t acked = ack - c->snd_una;
		uint32_t data_acked = 0;

		if (SEQ_GT(ack, c->sseq))
			data_acked = NL_MIN((uint32_t)(ack - c->sseq),
			    (uint32_t)c->slen);
		c->soff += data_acked;
		c->slen -= data_acked;
		c->sseq += data_acked;
		if (c->slen == 0)
			c->soff = 0;
		c->snd_una = ack;
		if (SEQ_LT(c->snd_nxt, ack))
			c->snd_nxt = ack;
		if (c->rtt_active && SEQ_GT(ack, c->rtt_seq)) {
			c->rtt_active = 0;
			tcp_rtt_sample(c, sim_now(c->net->sim) - c->rtt_start);
		}
		c->retries = 0;
		c->dupacks = 0;
		if (c->in_recovery) {
			if (SEQ_GEQ(ack, c->recover)) {
				c->in_recovery = 0;	/* full ACK */
				c->cwnd = c->ssthresh;
			} else {
				tcp_rexmit_una(c);	/* partial ACK */
			}
		} else {
			tcp_cwnd_grow(c, acked);
		}
		if (c->snd_una == c->snd_max)
			tcp_timer_stop(c);	/* RFC 6298 5.2 */
		else
			tcp_timer_arm(c, c->rto);	/* 5.3 */
	}
	/* Window update (RFC 9293 3.10.7.4, SND.WL1/WL2 guard old ones). */
	if (SEQ_LT(c->snd_wl1, h->seq) || (c->snd_wl1 == h->seq &&
	    SEQ_LEQ(c->snd_wl2, ack))) {
		c->snd_wnd = h->win;
		c->snd_wl1 = h->seq;
		c->snd_wl2 = ack;
	}
	if (c->fin_sent && SEQ_GT(c->snd_una, c->fin_seq)) {
		switch (c->state) {
		case NET_TCP_FIN_WAIT_1:
			tcp_set_state(c, NET_TCP_FIN_WAIT_2, NULL);
			break;
		case NET_TCP_CLOSING:
			tcp_enter_time_wait(c);
			return TCP_STOP;
		case NET_TCP_LAST_ACK:
			tcp_set_state(c, NET_TCP_CLOSED, NULL);
			tcp_finish(c, NL_OK);
			return TCP_GONE;
		default:
			break;
		}
	}
	return TCP_CONT;
}

/* RST in a synchronized state or SYN-RECEIVED (RFC 9293 3.10.7.4
 * second, with RFC 5961 3.2: only an exact RCV.NXT resets, another
 * in-window RST gets a challenge ACK). */
static void
tcp_input_rst(struct net_tcp *c, uint32_t seq)
{
	if (seq != c->rcv_nxt) {
		tcp_send_ack(c);
		return;
	}
	switch (c->state) {
	case NET_TCP_TIME_WAIT:
		return;		/* RFC 1337: no TIME-WAIT assassination */
	case NET_TCP_SYN_RCVD:
		if (c->active) {
			tcp_refused(c);
			return;
		}
		/* A passive child goes away (its listener stays). */
		tcp_fail(c, NL_ECONNRESET, "connection reset by peer");
		return;
	default:
		tcp_fail(c, NL_ECONNRESET, "connection reset by peer");
		return;
	}
}

/* Segment for a connection in SYN-SENT (RFC 9293 3.10.7.3). */
static void
tcp_input_syn_sent(struct net_tcp *c, const struct ipv4_hdr *ih,
    const struct tcp_hdr *h, size_t plen)
{
	if ((h->flags & TCP_ACK) &&
	    (SEQ_LEQ(h->ack, c->iss) || SEQ_GT(h->ack, c->snd_max))) {
		tcp_reply_rst(c->net, c->node, ih, h, plen);
		return;
	}
	if (h->flags & TCP_RST) {
		if (h->flags & TCP_ACK)
			tcp_refused(c);
		return;
	}
	if (!(h->flags & TCP_SYN))
		return;
	c->irs = h->seq;
	c->rcv_nxt = h->seq + 1;
	tcp_peer_mss(c, h);
	if (!(h->flags & TCP_ACK)) {
		/* Simultaneous open (RFC 9293 3.5 figure 7). */
		tcp_set_state(c, NET_TCP_SYN_RCVD, NULL);
		tcp_send_syn(c);
		return;
	}
	tcp_synced(c, h);
	tcp_set_established(c);
	tcp_send_ack(c);	/* the third segment, on its own */
	c->connecting = 0;
	if (c->cbs.on_connect != NULL)
		c->cbs.on_connect(c, NL_OK, c->ctx);
}

/* SYN-RECEIVED to ESTABLISHED on an acceptable ACK: the listener's
 * accept callback (passive) or on_connect (simultaneous open). */
static enum tcp_verdict
tcp_input_syn_rcvd_ack(struct net_tcp *c, const struct ipv4_hdr *ih,
    const struct tcp_hdr *h, size_t plen)
{
	struct net_tcp *l = c->listener;

	if (!(SEQ_GT(h->ack, c->snd_una) && SEQ_LEQ(h->ack, c->snd_max))) {
		tcp_reply_rst(c->net, c->node, ih, h, plen);
		return TCP_STOP;
	}
	tcp_synced(c, h);
	tcp_set_established(c);
	if (c->active) {
		c->connecting = 0;
		if (c->cbs.on_connect != NULL)
			c->cbs.on_connect(c, NL_OK, c->ctx);
	} else {
		c->listener = NULL;
		if (l != NULL && l->accept != NULL) {
			l->busy++;
			l->accept(l, c, l->accept_ctx);
			tcp_release(l);
		}
	}
	return c->dead ? TCP_GONE : TCP_CONT;
}

/* Segment for a connection past SYN-SENT (RFC 9293 3.10.7.4). */
static void
tcp_input_sync(struct net_tcp *c, const struct ipv4_hdr *ih,
    const struct tcp_hdr *h, const uint8_t *data, size_t plen)
{
	uint32_t seglen = (uint32_t)plen;
	enum tcp_verdict v;

	if (h->flags & TCP_SYN)
		seglen++;
	if (h->flags & TCP_FIN)
		seglen++;
	/* Our SYN-ACK was lost and the peer sent its SYN again: answer it
	 * again rather than with a bare ACK that SYN-SENT would drop. */
	if (c->state == NET_TCP_SYN_RCVD && (h->flags & TCP_SYN) &&
	    !(h->flags & (TCP_ACK | TCP_RST)) && h->seq == c->irs) {
		tcp_send_syn(c);
		return;
	}
	/* First: sequence number. */
	if (!tcp_acceptable(c, h->seq, seglen)) {
		if (!(h->flags & TCP_RST)) {
			tcp_send_ack(c);
			if (c->state == NET_TCP_TIME_WAIT &&
			    (h->flags & TCP_FIN))
				tcp_timer_arm(c, 2 * c->cfg.msl);
		}
		return;
	}
	/* Second: RST. */
	if (h->flags & TCP_RST) {
		tcp_input_rst(c, h->seq);
		return;
	}
	/* Fourth: SYN in the window; RFC 5961 4.2 challenge ACK. */
	if (h->flags & TCP_SYN) {
		tcp_send_ack(c);
		return;
	}
	/* Fifth: ACK. */
	if (!(h->flags & TCP_ACK))
		return;
	if (c->state == NET_TCP_SYN_RCVD)
		v = tcp_input_syn_rcvd_ack(c, ih, h, plen);
	else
		v = tcp_input_ack(c, h, plen);
	if (v != TCP_CONT)
		return;
	/* Seventh and eighth: text and FIN. */
	tcp_input_text(c, h->seq, h->flags, data, plen);
}

/* SYN on a listener (RFC 9293 3.10.7.2): a child in SYN-RECEIVED
 * answers with SYN-ACK. Data on the SYN is not kept (the peer resends
 * it); netlab's own stacks never send any. */
static void
tcp_input_listen(struct net_tcp *l, const struct ipv4_hdr *ih,
    const struct tcp_hdr *h, size_t plen)
{
	struct net_tcp *c;

	if (h->flags & TCP_RST)
		return;
	if (h->flags & TCP_ACK) {
		tcp_reply_rst(l->net, l->node, ih, h, plen);
		return;
	}
	if (!(h->flags & TCP_SYN))
		return;
	c = tcp_new(l->net, l->node);
	if (c == NULL)
		return;		/* out of memory: the peer retries */
	c->laddr = ih->dst;
	c->raddr = ih->src;
	c->lport = h->dport;
	c->rport = h->sport;
	c->peer = net_node_by_addr(l->net, c->raddr);
	c->listener = l;
	c->state = NET_TCP_LISTEN;	/* born of the listener */
	c->irs = h->seq;
	c->rcv_nxt = h->seq + 1;
	tcp_peer_mss(c, h);
	tcp_init_iss(c);
	c->snd_wnd = h->win;
	if (tcp_attach(c) != NL_OK) {
		tcp_free(c);
		return;
	}
	tcp_set_state(c, NET_TCP_SYN_RCVD, NULL);
	c->rtt_start = sim_now(l->net->sim);
	tcp_send_syn(c);
	tcp_timer_arm(c, c->rto);
}

/* The listener on node:port, NULL if none. */
static struct net_tcp *
tcp_find_listener(struct net *n, int32_t node, uint16_t port)
{
	struct tcp_index *x = tcp_index_of(n, 0);
	struct net_tcp *c;

	if (x == NULL)
		return NULL;
	c = x->conn[tcp_hash(x->nbucket, node, port, 0, 0)];
	for (; c != NULL; c = c->by_conn.next)
		if (c->state == NET_TCP_LISTEN && c->node == node &&
		    c->lport == port)
			return c;
	return NULL;
}

/* The connection (not a listener) of node with local laddr:lport and
 * remote raddr:rport, or NULL: one hash probe. */
static struct net_tcp *
tcp_find_conn(struct net *n, int32_t node, uint32_t laddr, uint16_t lport,
    uint32_t raddr, uint16_t rport)
{
	struct tcp_index *x = tcp_index_of(n, 0);
	struct net_tcp *c;

	if (x == NULL)
		return NULL;
	c = x->conn[tcp_hash(x->nbucket, node, lport, raddr, rport)];
	for (; c != NULL; c = c->by_conn.next)
		if (c->state != NET_TCP_LISTEN && c->node == node &&
		    c->lport == lport && c->rport == rport &&
		    c->raddr == raddr && c->laddr == laddr)
			return c;
	return NULL;
}

/* Finds the handle for a segment: the connection with this exact
 * 4-tuple, else a listener on the port (RFC 9293 3.10.7). */
static struct net_tcp *
tcp_lookup(struct net *n, int32_t node, const struct ipv4_hdr *ih,
    const struct tcp_hdr *h)
{
	struct net_tcp *c = tcp_find_conn(n, node, ih->dst, h->dport, ih->src,
	    h->sport);

	return c != NULL ? c : tcp_find_listener(n, node, h->dport);
}

/* A segment for node (ip.c's local delivery): checksum, demultiplexing,
 * then the state's event processing (RFC 9293 3.10.7). The TCB is held
 * (busy) throughout, so callbacks may close or abort it. */
void
net_tcp_input(struct net *n, int32_t node, const struct ipv4_hdr *ih,
    const uint8_t *seg, size_t len)
{
	struct tcp_hdr h;
	const uint8_t *data;
	size_t plen;
	struct net_tcp *c;

	/* A bad checksum or header: dropped like on a real host. */
	if (tcp_hdr_parse(seg, len, ih->src, ih->dst, &h, &data, &plen) !=
	    NL_OK)
		return;
	c = tcp_lookup(n, node, ih, &h);
	if (c == NULL) {
		tcp_reply_rst(n, node, ih, &h, plen);
		return;
	}
	if (c->state == NET_TCP_LISTEN) {
		tcp_input_listen(c, ih, &h, plen);
		return;
	}
	c->busy++;
	if (c->state == NET_TCP_SYN_SENT)
		tcp_input_syn_sent(c, ih, &h, plen);
	else
		tcp_input_sync(c, ih, &h, data, plen);
	if (!c->dead)
		tcp_output(c);	/* what the ACK or the owner allow now */
	tcp_release(c);
}

/* ---- Public API ---- */

/* A listener on node:port for any of the node's addresses (RFC 9293
 * 3.10.1 passive OPEN); port 0 takes an ephemeral one. */
enum nl_status
net_tcp_listen(struct net *n, int32_t node, uint16_t port,
    net_tcp_accept_fn *fn, void *ctx, struct net_tcp **out)
{
	struct net_tcp *c;

	*out = NULL;
	if (net_node_get(n, node) == NULL)
		return NL_EINVAL;
	if (port == 0) {
		port = net_port_alloc(n, node, IPV4_PROTO_TCP);
		if (port == 0)
			return NL_EADDRINUSE;
	}
	if (tcp_find_listener(n, node, port) != NULL)
		return NL_EADDRINUSE;
	c = tcp_new(n, node);
	if (c == NULL)
		return NL_ENOMEM;
	c->lport = port;
	if (tcp_attach(c) != NL_OK) {
		tcp_free(c);
		return NL_ENOMEM;
	}
	c->accept = fn;
	c->accept_ctx = ctx;
	tcp_set_state(c, NET_TCP_LISTEN, NULL);
	*out = c;
	return NL_OK;
}

/* Active OPEN (RFC 9293 3.10.1): ISN from the engine PRNG, SYN with
 * our MSS at once, the retransmission timer at rto_init. */
enum nl_status
net_tcp_connect(struct net *n, int32_t node, uint32_t dst, uint16_t dport,
    const struct net_tcp_cbs *cbs, void *ctx, struct net_tcp **out)
{
	struct net_tcp *c;
	uint16_t port;

	*out = NULL;
	if (net_node_get(n, node) == NULL || dport == 0 || dst == 0 ||
	    net_node_addr(n, node) == 0)
		return NL_EINVAL;
	port = net_port_alloc(n, node, IPV4_PROTO_TCP);
	if (port == 0)
		return NL_EADDRINUSE;
	c = tcp_new(n, node);
	if (c == NULL)
		return NL_ENOMEM;
	net_tcp_set_cbs(c, cbs, ctx);
	c->laddr = net_node_addr(n, node);
	c->raddr = dst;
	c->lport = port;
	c->rport = dport;
	c->peer = net_node_by_addr(n, dst);
	if (tcp_attach(c) != NL_OK) {
		tcp_free(c);
		return NL_ENOMEM;
	}
	c->active = 1;
	c->connecting = 1;
	tcp_init_iss(c);
	c->cwnd = tcp_initial_window(c->smss);
	tcp_set_state(c, NET_TCP_SYN_SENT, NULL);
	c->rtt_start = sim_now(n->sim);
	if (tcp_send_syn(c) == NL_ENOROUTE) {
		/* Reported from the engine, not from inside this call: the
		 * caller gets a valid handle first. */
		c->noroute = 1;
		tcp_timer_arm(c, 0);
	} else {
		tcp_timer_arm(c, c->rto);
	}
	*out = c;
	return NL_OK;
}

void
net_tcp_set_cbs(struct net_tcp *c, const struct net_tcp_cbs *cbs, void *ctx)
{
	if (cbs != NULL)
		c->cbs = *cbs;
	else
		memset(&c->cbs, 0, sizeof c->cbs);
	c->ctx = ctx;
}

/* SEND (RFC 9293 3.10.2): appends to the send buffer, a byte array with
 * a consumed prefix (soff) that ACKs advance and appends slide down, so
 * each byte is copied O(1) times; then sends what the windows allow. */
enum nl_status
net_tcp_send(struct net_tcp *c, const void *data, size_t len)
{
	if (c->dead || c->fin_queued)
		return NL_ESTATE;
	switch (c->state) {
	case NET_TCP_SYN_SENT:
	case NET_TCP_SYN_RCVD:
	case NET_TCP_ESTABLISHED:
	case NET_TCP_CLOSE_WAIT:
		break;
	default:
		return NL_ESTATE;
	}
	if (len == 0)
		return NL_OK;
	if (len > TCP_SBUF_MAX - c->slen)
		return NL_ELIMIT;
	if (c->soff + c->slen + len > c->scap) {
		/* Slide the live bytes down when the consumed part is at
		 * least as long as them (each byte moves O(1) times). */
		if (c->soff > 0 && c->soff >= c->slen) {
			memmove(c->sbuf, c->sbuf + c->soff, c->slen);
			c->soff = 0;
		}
		if (c->soff + c->slen + len > c->scap) {
			size_t cap = c->scap ? c->scap : TCP_SBUF_FIRST;
			uint8_t *p;

			while (cap < c->soff + c->slen + len)
				cap *= 2;
			if (c->scap == 0 && cap == TCP_SBUF_FIRST)
				p = nl_pool_get(&c->net->sbuf_pool);
			else
				p = nl_realloc(c->sbuf, cap);
			if (p == NULL)
				return NL_ENOMEM;
			c->sbuf = p;
			c->scap = cap;
		}
	}
	memcpy(c->sbuf + c->soff + c->slen, data, len);
	c->slen += len;
	c->busy++;
	tcp_output(c);
	tcp_release(c);
	return NL_OK;
}

/* Stops a listener: children still in SYN-RECEIVED are reset (nobody
 * would accept them), established ones live on; the listener is freed. */
static void
tcp_listener_close(struct net_tcp *l)
{
	struct net *n = l->net;
	struct net_tcp *c, *next;

	for (c = n->tcps; c != NULL; c = next) {
		next = c->next.next;
		if (c->listener != l)
			continue;
		c->listener = NULL;
		if (c->state == NET_TCP_SYN_RCVD && !c->dead) {
			tcp_emit(c, c->snd_nxt, TCP_RST, NULL, 0);
			tcp_set_state(c, NET_TCP_CLOSED, NULL);
			tcp_finish(c, NL_ECONNRESET);
		}
	}
	tcp_set_state(l, NET_TCP_CLOSED, NULL);
	tcp_unlink(l);
	l->dead = 1;
	if (l->busy == 0)
		tcp_free(l);
}

/* CLOSE (RFC 9293 3.10.4). */
enum nl_status
net_tcp_close(struct net_tcp *c)
{
	if (c->dead)
		return NL_ESTATE;
	switch (c->state) {
	case NET_TCP_LISTEN:
		tcp_listener_close(c);
		return NL_OK;
	case NET_TCP_SYN_SENT:
		/* RFC 9293 3.10.4: nothing to say to the peer yet. */
		tcp_set_state(c, NET_TCP_CLOSED, NULL);
		c->connecting = 0;
		tcp_finish(c, NL_OK);
		return NL_OK;
	case NET_TCP_SYN_RCVD:
	case NET_TCP_ESTABLISHED:
	case NET_TCP_CLOSE_WAIT:
		if (c->fin_queued)
			return NL_ESTATE;
		/* The FIN follows the queued data; in SYN-RECEIVED it waits
		 * for ESTABLISHED (3.10.4). */
		c->fin_queued = 1;
		c->fin_seq = tcp_data_end(c);
		c->busy++;
		tcp_output(c);
		tcp_release(c);
		return NL_OK;
	default:
		return NL_ESTATE;	/* closing already */
	}
}

/* ABORT (RFC 9293 3.10.5): RST in the states that have a peer to tell,
 * then CLOSED and on_close(NL_ECONNRESET). */
void
net_tcp_abort(struct net_tcp *c)
{
	const char *text = "connection aborted";

	if (c->dead || c->state == NET_TCP_CLOSED)
		return;
	switch (c->state) {
	case NET_TCP_LISTEN:
		tcp_listener_close(c);
		return;
	case NET_TCP_SYN_RCVD:
	case NET_TCP_ESTABLISHED:
	case NET_TCP_FIN_WAIT_1:
	case NET_TCP_FIN_WAIT_2:
	case NET_TCP_CLOSE_WAIT:
		/* RFC 9293 3.10.5: <SEQ=SND.NXT><CTL=RST>. */
		tcp_emit(c, c->snd_nxt, TCP_RST, NULL, 0);
		text = "connection aborted (RST sent)";
		break;
	default:
		break;		/* SYN-SENT, CLOSING, LAST-ACK, TIME-WAIT */
	}
	tcp_timer_stop(c);
	tcp_set_state(c, NET_TCP_CLOSED, text);
	c->connecting = 0;
	tcp_finish(c, NL_ECONNRESET);
}

enum net_tcp_state
net_tcp_get_state(const struct net_tcp *c)
{
	return c->state;
}

int64_t
net_tcp_id(const struct net_tcp *c)
{
	return c->id;
}

int32_t
net_tcp_node(const struct net_tcp *c)
{
	return c->node;
}

int32_t
net_tcp_peer_node(const struct net_tcp *c)
{
	return c->peer;
}

uint32_t
net_tcp_local_addr(const struct net_tcp *c)
{
	return c->laddr;
}

uint32_t
net_tcp_remote_addr(const struct net_tcp *c)
{
	return c->raddr;
}

uint16_t
net_tcp_local_port(const struct net_tcp *c)
{
	return c->lport;
}

uint16_t
net_tcp_remote_port(const struct net_tcp *c)
{
	return c->rport;
}

size_t
net_tcp_unacked(const struct net_tcp *c)
{
	return c->slen;
}

int
net_tcp_port_used(const struct net *n, int32_t node, uint16_t port)
{
	const struct tcp_index *x = n->tcps != NULL ? n->tcps->idx : NULL;
	const struct net_tcp *c;

	if (x == NULL)
		return 0;
	c = x->port[tcp_hash(x->nbucket, node, port, 0, 0)];
	for (; c != NULL; c = c->by_port.next)
		if (c->node == node && c->lport == port)
			return 1;
	return 0;
}

void
net_tcp_free_all(struct net *n)
{
	struct tcp_index *x = tcp_index_of(n, 0);

	while (n->tcps != NULL) {
		struct net_tcp *c = n->tcps;

		n->tcps = c->next.next;
		tcp_free(c);
	}
	tcp_index_free(x);
}

/* A node crashed (net_node_set_up down): its connections vanish without
 * a word to their peers, as a powered-off host sends no RST. Each goes to
 * CLOSED with a line in the transcript and its owner hears on_close
 * (NL_ECLOSED). Listeners stay: the services on the node close them. */
void
net_tcp_node_down(struct net *n, int32_t node)
{
	for (;;) {
		struct net_tcp *c;

		for (c = n->tcps; c != NULL; c = c->next.next)
			if (c->node == node && !c->dead &&
			    c->state != NET_TCP_LISTEN &&
			    c->state != NET_TCP_CLOSED)
				break;
		if (c == NULL)
			return;
		tcp_fail(c, NL_ECLOSED, "connection lost: the node went down");
	}
}

/* The ISNs of the connection that sends from src:sport to dst:dport, for
 * summaries with relative sequence numbers (Wireshark's default view).
 * Returns 0 when no such connection is open at src's node. */
int
net_tcp_isns(struct net *n, uint32_t src, uint16_t sport, uint32_t dst,
    uint16_t dport, uint32_t *iss, uint32_t *irs)
{
	int32_t node = net_node_by_addr(n, src);
	struct net_tcp *c;

	if (node < 0)
		return 0;
	c = tcp_find_conn(n, node, src, sport, dst, dport);
	if (c == NULL)
		return 0;
	*iss = c->iss;
	*irs = c->irs;
	/* Before the SYN-ACK the peer's ISN is unknown. */
	return c->state == NET_TCP_SYN_SENT ? 1 : 2;
}
