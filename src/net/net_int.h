/* net_int.h - what the files of net/ share; no other folder includes it.
 *
 * Private Part: struct net and the hooks between the IP layer (ip.c),
 * links (link.c), routes (route.c), UDP (udp.c) and TCP (tcp.c). */
#ifndef NL_NET_INT_H
#define NL_NET_INT_H

#include "net/net.h"
#include "proto/ip/ipv4.h"
#include "util/buf.h"
#include "util/pool.h"

struct net_node {
	char *name;		/* unique name, owned */
	int forwards;		/* a router */
	int up;			/* 0 when taken down */
	uint32_t *addrs;	/* addresses, host order; addrs[0] primary */
	size_t naddrs;
	int32_t *links;		/* ids of the links attached, in order added */
	size_t nlinks;
	uint16_t ip_id;		/* next IPv4 identification */
	uint16_t next_port;	/* next ephemeral port to try, 49152.. */
	net_node_updown_fn *updown;	/* owner's crash/restart hook */
	void *updown_ctx;
	struct net_udp *udps;	/* the UDP sockets bound on it (udp.c): a
				 * datagram looks among its node's only */
};

/* One direction of a link: what is queued for transmission. */
struct net_dir {
	sim_time busy_until;	/* end of the last queued transmission */
	sim_time *tx_end;	/* ring of the end times of the queued
				 * transmissions before the last, FIFO */
	uint32_t head;		/* ring position */
	uint32_t count;		/* queued transmissions: count - 1 in
				 * the ring, then the one ending at
				 * busy_until */
	uint32_t lose_next;	/* datagrams still to lose on purpose */
};

struct net_link {
	char *name;		/* unique name, owned */
	int32_t a, b;		/* the two nodes */
	sim_time delay;		/* propagation delay */
	uint64_t bandwidth;	/* bits per second */
	double loss;		/* loss probability */
	uint32_t queue;		/* drop-tail limit per direction */
	int up;			/* 0 when taken down */
	struct net_dir dir[2];	/* [0] a->b, [1] b->a */
	uint64_t gen;		/* bumped at every down, to fail in-flight */
};

/* Next hops towards one destination node, computed on first use. */
struct net_routes {
	int32_t *next_link;	/* per node that is not a stub (by its
				 * net_stub.row): link to send on, -1
				 * none */
};

/* The build buffers a send reuses, one per layer (net_buf_take). */
enum net_buf {
	NET_BUF_IP,		/* the datagram (ip.c) */
	NET_BUF_L4,		/* the segment or UDP datagram (tcp.c, udp.c) */
	NET_BUF_COUNT_
};

/* How a node hangs off the network, for routing: a stub (a node that
 * does not forward, on one link) is reached over `link` from `router`,
 * the node at that link's other end. Kept apart from struct net_node so
 * a hop's route lookup reads a few small arrays, not node records. */
struct net_stub {
	int32_t router;		/* the other end, or -1: no stub */
	int32_t link;		/* the one link */
	int32_t router_fwd;	/* the other end forwards */
	int32_t row;		/* not a stub: its index in a route
				 * table's next_link; -1: a stub */
};

struct net_addr_ent {
	uint32_t addr;		/* an address */
	int32_t node;		/* its node */
};

struct net {
	struct sim *sim;		/* not owned */
	struct trace *trace;		/* not owned, may be NULL */
	struct net_node *nodes;
	size_t nnodes, capnodes;
	struct net_link *links;
	size_t nlinks, caplinks;
	struct net_addr_ent *addrs;	/* by address hash, open addressing,
					 * node -1 when empty; owned */
	size_t naddrs, capaddrs;	/* entries used, slots (a power of 2) */
	uint32_t addr_gen;		/* bumped at every address added: a
					 * datagram's dst_node (net_ip_input)
					 * from before is looked up again */
	int32_t *node_tab;		/* node ids by name hash, open
					 * addressing (net.c), owned */
	int32_t *link_tab;		/* link ids the same way, owned */
	size_t cap_node_tab, cap_link_tab;	/* slots, powers of two */
	struct net_routes *routes;	/* per destination node, lazily */
	size_t nroutes;			/* entries allocated in routes */
	struct net_stub *stubs;		/* per node, owned (route.c) */
	size_t nstubs;			/* nodes in stubs; 0: to compute */
	size_t nrows;			/* nodes that are not stubs */
	struct net_tcp *tcps;		/* all TCP handles (tcp.c owns them) */
	struct net_tcp_cfg tcp_cfg;	/* settings for new connections */
	int64_t next_conn_id;		/* last TCP connection id given */
	struct net_flight *flights;	/* datagrams on the wire (link.c) */
	struct nl_pool flight_pool;	/* spent flights of NET_FLIGHT_CAP */
	struct nl_pool sbuf_pool;	/* TCP send buffers of TCP_SBUF_FIRST */
	struct nl_dbuf bufs[NET_BUF_COUNT_];	/* see net_buf_take */
	int buf_busy[NET_BUF_COUNT_];
};

/* Flights carrying up to this many bytes (an Ethernet MTU and then
 * some) come from net->flight_pool; longer ones from the heap. */
#define NET_FLIGHT_CAP 1536
/* A TCP send buffer's first size; it doubles as needed (tcp.c). */
#define TCP_SBUF_FIRST 4096

/* The node's index or NULL. */
struct net_node *net_node_get(struct net *n, int32_t id);
/* A free ephemeral port on node for proto (IPV4_PROTO_UDP or _TCP),
 * 0 if all 16384 are taken. */
uint16_t net_port_alloc(struct net *n, int32_t node, uint8_t proto);

/* Forgets every computed route (the topology changed). */
void net_routes_invalidate(struct net *n);
/* net_route to the node d that has the address (net_node_by_addr: one
 * lookup per hop serves both "is it mine?" and the route). */
enum nl_status net_route_node(struct net *n, int32_t node, int32_t d,
    int32_t *link);

/* An empty buffer of at most max bytes to build one layer's bytes in:
 * the net's own for that layer, which keeps its memory from one send to
 * the next (a datagram per event otherwise cost a malloc and a free),
 * or `own` when that one is in use. Give it back with net_buf_give. */
struct nl_dbuf *net_buf_take(struct net *n, enum net_buf which,
    struct nl_dbuf *own, size_t max);
void net_buf_give(struct net *n, enum net_buf which, struct nl_dbuf *b);

/* Sets up n's flight pool (link.c). */
void net_flights_init(struct net *n);

/* Puts a finished datagram on a link from node `from` (link.c). The
 * datagram is copied. `origin` marks the node that built it (for pcap);
 * dst_node is the node of its destination address (net_node_by_addr),
 * carried along so that no hop looks it up again. */
void net_link_transmit(struct net *n, int32_t from, int32_t link,
    const uint8_t *dgram, size_t len, int origin, int32_t dst_node);

/* Delivers a datagram a node sends to one of its own addresses, after
 * zero delay and with no link (link.c). */
void net_loopback(struct net *n, int32_t node, const uint8_t *dgram,
    size_t len);
/* Cancels every datagram still on the wire (net_free). */
void net_flights_cancel(struct net *n);

/* Hands a datagram that arrived at node (or was sent to itself) to the
 * IP layer: local delivery or forwarding (ip.c). dst_node is what
 * net_node_by_addr gave for its destination when addr_gen was gen. */
void net_ip_input(struct net *n, int32_t node, uint8_t *dgram, size_t len,
    int32_t dst_node, uint32_t gen);

/* Transport inputs, called by ip.c for local delivery. seg is the IP
 * payload; ih the parsed IPv4 header. */
void net_udp_input(struct net *n, int32_t node, const struct ipv4_hdr *ih,
    const uint8_t *seg, size_t len);
void net_tcp_input(struct net *n, int32_t node, const struct ipv4_hdr *ih,
    const uint8_t *seg, size_t len);
/* Whether a TCP handle on node uses local port `port` (for net_port_alloc). */
int net_tcp_port_used(const struct net *n, int32_t node, uint16_t port);
/* Whether a UDP socket on node is bound to `port`. */
int net_udp_port_used(const struct net *n, int32_t node, uint16_t port);
/* The ISNs of the connection sending src:sport -> dst:dport: 0 if
 * unknown, 1 if only *iss is known (SYN-SENT), 2 if both are (tcp.c). */
int net_tcp_isns(struct net *n, uint32_t src, uint16_t sport, uint32_t dst,
    uint16_t dport, uint32_t *iss, uint32_t *irs);
/* Drops every connection of a node that went down, silently (tcp.c). */
void net_tcp_node_down(struct net *n, int32_t node);
/* Frees every TCP handle without callbacks (net_free). */
void net_tcp_free_all(struct net *n);
void net_udp_free_all(struct net *n);

/* Records a drop of datagram dgram at node on link (-1 none). */
void net_trace_drop(struct net *n, int32_t node, int32_t peer, int32_t link,
    enum trace_drop why, int64_t send_seq, const uint8_t *dgram, size_t len);

/* One-line text of a datagram for the trace ("TCP 10.0.0.1:49152 →
 * 10.0.1.1:25 [SYN] seq=0 len=0"), into buf of size. TCP sequence and
 * acknowledgement numbers are relative to the ISNs while the sending
 * connection is known, as Wireshark shows them. */
void net_pkt_summary(struct net *n, const uint8_t *dgram, size_t len,
    char *buf, size_t size);

#endif
