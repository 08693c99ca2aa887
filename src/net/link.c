/* link.c - point-to-point links: serialisation, propagation, drop-tail
 * queue, loss, up/down.
 *
 * A datagram handed to a link waits behind the ones queued before it,
 * takes len*8/bandwidth to transmit and delay to propagate; the far node
 * gets its own copy at start + tx + delay (ns-3's TransmitStart). The
 * send, the arrival and any drop are trace events. */
#include "net/net_int.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/nl.h"

/* A datagram on the wire, owned by its arrival event. */
struct net_flight {
	struct net *net;	/* the network */
	struct net_flight *next, **pprev;	/* net->flights list */
	uint64_t ev;		/* the arrival event */
	int32_t link;		/* link it travels on */
	int32_t from, to;	/* sending and receiving node */
	int32_t dst_node;	/* its destination address's node ... */
	uint32_t addr_gen;	/* ... when the addresses were at this */
	uint64_t gen;		/* link generation at send: down kills it */
	uint64_t send_seq;	/* seq of the pkt-send event, -1 untraced */
	int lost;		/* the loss draw said so */
	int pooled;		/* from net->flight_pool */
	size_t len;		/* datagram length */
	uint8_t dgram[];	/* the datagram */
};

/* Serialisation time of len bytes at bw bit/s, rounded up to the ns. */
static sim_time
tx_time(size_t len, uint64_t bw)
{
	uint64_t bits = (uint64_t)len * 8;

	/* bits * 1e9 / bw without overflow for any datagram size. */
	return (sim_time)((bits * 1000000000ULL + bw - 1) / bw);
}

static sim_time flight_arrive(struct sim *s, void *arg);

/* The arrival event's finalizer: after it fired or was cancelled. */
static void
flight_free(void *arg)
{
	struct net_flight *f = arg;

	if (f->pprev != NULL) {
		*f->pprev = f->next;
		if (f->next != NULL)
			f->next->pprev = f->pprev;
	}
	if (f->pooled)
		nl_pool_put(&f->net->flight_pool, f);
	else
		nl_free(f);
}

void
net_flights_init(struct net *n)
{
	/* Enough spent flights for a busy campus's links; more are freed. */
	nl_pool_init(&n->flight_pool, sizeof(struct net_flight) +
	    NET_FLIGHT_CAP, 4096);
}

/* A flight for len bytes, its fields unset but `pooled`; NULL. */
static struct net_flight *
flight_new(struct net *n, size_t len)
{
	struct net_flight *f;

	if (len <= NET_FLIGHT_CAP) {
		f = nl_pool_get(&n->flight_pool);
		if (f != NULL)
			f->pooled = 1;
	} else {
		f = nl_alloc(sizeof *f + len);
		if (f != NULL)
			f->pooled = 0;
	}
	return f;
}

/* Puts f on the net's list and schedules its arrival at `at`. */
static void
flight_schedule(struct net *n, struct net_flight *f, sim_time at)
{
	f->next = n->flights;
	f->pprev = &n->flights;
	if (f->next != NULL)
		f->next->pprev = &f->next;
	n->flights = f;
	f->ev = sim_schedule_at(n->sim, at, flight_arrive, f, flight_free);
}

void
net_flights_cancel(struct net *n)
{
	while (n->flights != NULL) {
		struct net_flight *f = n->flights;

		if (sim_cancel(n->sim, f->ev) != NL_OK)
			flight_free(f);	/* cannot happen: keeps the loop finite */
	}
}

void
net_trace_drop(struct net *n, int32_t node, int32_t peer, int32_t link,
    enum trace_drop why, int64_t send_seq, const uint8_t *dgram, size_t len)
{
	struct trace_event ev;
	char pkt[160], text[256];
	const char *where = "";

	if (n->trace == NULL)
		return;
	net_pkt_summary(n, dgram, len, pkt, sizeof pkt);
	if (link >= 0)
		where = n->links[link].name;
	if (*where != '\0')
		snprintf(text, sizeof text, "%s (%s on %s)", pkt,
		    trace_drop_str(why), where);
	else
		snprintf(text, sizeof text, "%s (%s)", pkt,
		    trace_drop_str(why));
	memset(&ev, 0, sizeof ev);
	ev.kind = TRACE_PKT_DROP;
	ev.proto = (uint8_t)(len > 9 && dgram[9] == IPV4_PROTO_TCP ?
	    TRACE_P_TCP : len > 9 && dgram[9] == IPV4_PROTO_UDP ?
	    TRACE_P_UDP : TRACE_P_IP);
	ev.node = node;
	ev.peer = peer;
	ev.link = link;
	ev.a = why;
	ev.b = send_seq;
	ev.c = -1;
	ev.summary = text;
	ev.data = (uint8_t *)(uintptr_t)dgram;
	ev.len = (uint32_t)len;
	net_trace_event(n, &ev);
}

static sim_time
flight_arrive(struct sim *s, void *arg)
{
	struct net_flight *f = arg;
	struct net *n = f->net;
	struct net_link *l;
	struct net_node *to = &n->nodes[f->to];
	struct trace_event ev;
	char text[160];

	NL_UNUSED(s);
	if (f->link < 0) {		/* to itself: no wire, no events */
		if (to->up)
			net_ip_input(n, f->to, f->dgram, f->len, f->dst_node,
			    f->addr_gen);
		return SIM_DONE;
	}
	l = &n->links[f->link];
	if (!l->up || l->gen != f->gen) {
		net_trace_drop(n, f->from, f->to, f->link,
		    TRACE_DROP_LINK_DOWN, (int64_t)f->send_seq, f->dgram,
		    f->len);
		return SIM_DONE;
	}
	if (f->lost) {
		net_trace_drop(n, f->from, f->to, f->link, TRACE_DROP_LOSS,
		    (int64_t)f->send_seq, f->dgram, f->len);
		return SIM_DONE;
	}
	if (!to->up) {
		net_trace_drop(n, f->from, f->to, f->link,
		    TRACE_DROP_NODE_DOWN, (int64_t)f->send_seq, f->dgram,
		    f->len);
		return SIM_DONE;
	}
	if (n->trace != NULL) {
		net_pkt_summary(n, f->dgram, f->len, text, sizeof text);
		memset(&ev, 0, sizeof ev);
		ev.kind = TRACE_PKT_RECV;
		ev.proto = (uint8_t)(f->dgram[9] == IPV4_PROTO_TCP ?
		    TRACE_P_TCP : f->dgram[9] == IPV4_PROTO_UDP ?
		    TRACE_P_UDP : TRACE_P_IP);
		ev.node = f->to;
		ev.peer = f->from;
		ev.link = f->link;
		ev.a = (int64_t)f->send_seq;
		ev.b = ev.c = -1;
		ev.summary = text;
		ev.data = f->dgram;
		ev.len = (uint32_t)f->len;
		net_trace_event(n, &ev);
	}
	net_ip_input(n, f->to, f->dgram, f->len, f->dst_node, f->addr_gen);
	return SIM_DONE;
}

void
net_link_transmit(struct net *n, int32_t from, int32_t link,
    const uint8_t *dgram, size_t len, int origin, int32_t dst_node)
{
	struct net_link *l = &n->links[link];
	int d = l->a == from ? 0 : 1;
	int32_t to = d == 0 ? l->b : l->a;
	struct net_dir *dir = &l->dir[d];
	sim_time now = sim_now(n->sim), start, arrive;
	struct net_flight *f;
	struct trace_event ev;
	char text[160];
	uint64_t seq = UINT64_MAX;

	if (!l->up) {
		net_trace_drop(n, from, to, link, TRACE_DROP_LINK_DOWN, -1,
		    dgram, len);
		return;
	}
	/* Forget transmissions that have ended; what is left is the queue
	 * (waiting plus the one on the wire). The newest one ends at
	 * busy_until, so the ring holds only the ones before it: when the
	 * last has ended the link is idle, the common case, and the ring
	 * (cold memory on a campus of 10,000 links) is not touched at
	 * all. */
	if (dir->busy_until <= now) {
		dir->count = 0;
		dir->head = 0;
	}
	while (dir->count > 1 && dir->tx_end[dir->head] <= now) {
		if (++dir->head == l->queue)
			dir->head = 0;
		dir->count--;
	}
	if (dir->count >= l->queue) {
		net_trace_drop(n, from, to, link, TRACE_DROP_QUEUE_FULL, -1,
		    dgram, len);
		return;
	}
	start = dir->busy_until > now ? dir->busy_until : now;
	if (dir->count > 0) {
		/* The newest so far joins the ring, behind the others. */
		uint32_t at = dir->head + dir->count - 1;

		dir->tx_end[at < l->queue ? at : at - l->queue] =
		    dir->busy_until;
	}
	dir->busy_until = start + tx_time(len, l->bandwidth);
	dir->count++;
	arrive = dir->busy_until + l->delay;

	f = flight_new(n, len);
	if (f == NULL)
		return;		/* out of memory: the datagram is lost */
	f->net = n;
	memcpy(f->dgram, dgram, len);
	f->link = link;
	f->from = from;
	f->to = to;
	f->dst_node = dst_node;
	f->addr_gen = n->addr_gen;
	f->gen = l->gen;
	f->len = len;
	/* Draw for every datagram, lossy link or not, so that changing one
	 * link's loss does not reshuffle the others' draws. */
	f->lost = sim_rand_unit(n->sim) < l->loss;
	if (dir->lose_next > 0) {
		dir->lose_next--;
		f->lost = 1;
	}
	if (n->trace != NULL) {
		net_pkt_summary(n, dgram, len, text, sizeof text);
		memset(&ev, 0, sizeof ev);
		ev.kind = TRACE_PKT_SEND;
		ev.proto = (uint8_t)(dgram[9] == IPV4_PROTO_TCP ? TRACE_P_TCP :
		    dgram[9] == IPV4_PROTO_UDP ? TRACE_P_UDP : TRACE_P_IP);
		ev.flags = origin ? TRACE_F_ORIGIN : 0;
		ev.node = from;
		ev.peer = to;
		ev.link = link;
		ev.a = -1;
		ev.b = start;
		ev.c = arrive;
		ev.summary = text;
		ev.data = (uint8_t *)(uintptr_t)dgram;
		ev.len = (uint32_t)len;
		ev.t = now;
		if (trace_append(n->trace, &ev, &seq) != NL_OK)
			seq = UINT64_MAX;
	}
	f->send_seq = seq;
	flight_schedule(n, f, arrive);
}

enum nl_status
net_link_lose_next(struct net *n, int32_t link, int32_t from, uint32_t count)
{
	struct net_link *l;

	if (link < 0 || (size_t)link >= n->nlinks)
		return NL_EINVAL;
	l = &n->links[link];
	if (from != l->a && from != l->b)
		return NL_EINVAL;
	l->dir[from == l->a ? 0 : 1].lose_next = count;
	return NL_OK;
}

void
net_loopback(struct net *n, int32_t node, const uint8_t *dgram, size_t len)
{
	struct net_flight *f = flight_new(n, len);

	if (f == NULL)
		return;		/* out of memory: the datagram is lost */
	f->net = n;
	f->gen = 0;
	f->lost = 0;
	f->link = -1;
	f->from = f->to = f->dst_node = node;
	f->addr_gen = n->addr_gen;
	f->send_seq = UINT64_MAX;
	f->len = len;
	memcpy(f->dgram, dgram, len);
	flight_schedule(n, f, sim_now(n->sim));
}
